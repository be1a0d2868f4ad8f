// Decoding: Data Processing -- Immediate (Arm ARM C4.1.86).
import { emit, undef, rZ, wZ, rS, bits, bit } from "./entry";
import {
  OP_ADR, OP_ADRP, OP_ADD_IMM, OP_ADDS_IMM, OP_AND_IMM, OP_ORR_IMM, OP_ORR_IMM32, OP_EOR_IMM,
  OP_EOR_IMM32, OP_ANDS_IMM, OP_ANDS_IMM32, OP_MOVI, OP_MOVK, OP_MOVK32, OP_UBFM, OP_SBFM, OP_BFM,
  OP_BFM32, OP_EXTR, OP_EXTR32, OP_SUBSI_BCOND, OP_SUBSI_BCOND32,
} from "./ops";
import { fusibleBranch } from "./fusion";
import { NO_NEXT } from "./decoder";
import { decodeBitMasks, decodeBitMasksValid, signExtend, ones } from "../util/bits";

export function decodeDataProcessingImmediate(insn: u32, e: usize): void {
  let op0 = bits(insn, 25, 23);
  let sf = bit(insn, 31);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  switch (op0) {
    case 0: case 1: { // PC-rel. addressing
      let immlo = bits(insn, 30, 29), immhi = bits(insn, 23, 5);
      let off = signExtend(<u64>((immhi << 2) | immlo), 21);
      if (bit(insn, 31)) emit(e, OP_ADRP, wZ(rd), 0, 0, 0, 0, off << 12);
      else emit(e, OP_ADR, wZ(rd), 0, 0, 0, 0, off);
      return;
    }
    case 2: { // Add/subtract (immediate)
      let op = bit(insn, 30), s = bit(insn, 29), sh = bit(insn, 22);
      let imm = <u64>bits(insn, 21, 10) << (sh ? 12 : 0);
      // OP_ADD_IMM, _32, OP_SUB_IMM, _32, OP_ADDS_IMM, _32, OP_SUBS_IMM, _32
      if (s == 1 && op == 1 && sh == 0) { // SUBS, CMP: fuse with a following in-page B.cond
        let f = fusibleBranch(e);
        if (f != NO_NEXT) {
          emit(e, sf ? OP_SUBSI_BCOND : OP_SUBSI_BCOND32, wZ(rd), rS(rn), <u32>(f >> 32), 0, bits(insn, 21, 10), <u64><i64><i32>f);
          return;
        }
      }
      let o = OP_ADD_IMM + ((s << 2) | (op << 1) | (sf ^ 1));
      emit(e, o, s ? wZ(rd) : rS(rd), rS(rn), 0, 0, 0, imm);
      return;
    }
    case 4: { // Logical (immediate)
      let opc = bits(insn, 30, 29), n = bit(insn, 22);
      if (sf == 0 && n == 1) { undef(e); return; }
      let datasize: u32 = sf ? 64 : 32;
      let m = decodeBitMasks(n, bits(insn, 15, 10), bits(insn, 21, 16), true, datasize);
      if (!decodeBitMasksValid) { undef(e); return; }
      let dst = opc == 3 ? wZ(rd) : rS(rd);
      switch (opc) {
        case 0: emit(e, OP_AND_IMM, dst, rZ(rn), 0, 0, 0, m); break;
        case 1:
          if (rn == 31) emit(e, OP_MOVI, dst, 0, 0, 0, 0, m); // MOV (bitmask immediate)
          else emit(e, sf ? OP_ORR_IMM : OP_ORR_IMM32, dst, rZ(rn), 0, 0, 0, m);
          break;
        case 2: emit(e, sf ? OP_EOR_IMM : OP_EOR_IMM32, dst, rZ(rn), 0, 0, 0, m); break;
        default: emit(e, sf ? OP_ANDS_IMM : OP_ANDS_IMM32, dst, rZ(rn), 0, 0, 0, m);
      }
      return;
    }
    case 5: { // Move wide (immediate)
      let opc = bits(insn, 30, 29), hw = bits(insn, 22, 21);
      if (opc == 1 || (sf == 0 && hw >= 2)) { undef(e); return; }
      let pos = hw << 4;
      let v = <u64>bits(insn, 20, 5) << pos;
      if (opc == 0) { // MOVN
        v = ~v;
        if (!sf) v &= 0xFFFF_FFFF;
        emit(e, OP_MOVI, wZ(rd), 0, 0, 0, 0, v);
      } else if (opc == 2) {
        emit(e, OP_MOVI, wZ(rd), 0, 0, 0, 0, v);
      } else {
        emit(e, sf ? OP_MOVK : OP_MOVK32, wZ(rd), rZ(rd), 0, 0, pos, v);
      }
      return;
    }
    case 6: { // Bitfield
      let opc = bits(insn, 30, 29), n = bit(insn, 22);
      let immr = bits(insn, 21, 16), imms = bits(insn, 15, 10);
      if (opc == 3 || n != sf || (!sf && (immr >= 32 || imms >= 32))) { undef(e); return; }
      let width: u32 = sf ? 64 : 32;
      let wm = ones(width);
      // Source field Rn<S:R> (S >= R) moves to bit 0; otherwise Rn<S:0> moves to bit width-R.
      // Both are ((Rn << l) >> r) << lsh, with the sign or zero fill from the shift kind.
      let l: u32 = 63 - imms;
      let r: u32, lsh: u32, fieldMask: u64;
      if (imms >= immr) { r = 63 - imms + immr; lsh = 0; fieldMask = ones(imms - immr + 1); }
      else { r = 63 - imms; lsh = width - immr; fieldMask = ones(imms + 1) << lsh; }
      if (opc == 0) emit(e, OP_SBFM, wZ(rd), rZ(rn), l, r, lsh, wm);
      else if (opc == 2) emit(e, OP_UBFM, wZ(rd), rZ(rn), l, r, lsh, wm);
      else emit(e, sf ? OP_BFM : OP_BFM32, wZ(rd), rZ(rn), l, r, lsh, fieldMask);
      return;
    }
    case 7: { // Extract
      let op21 = bits(insn, 30, 29), n = bit(insn, 22), o0 = bit(insn, 21);
      let imms = bits(insn, 15, 10), rm = bits(insn, 20, 16);
      if (op21 != 0 || o0 != 0 || n != sf || (!sf && imms >= 32)) { undef(e); return; }
      emit(e, sf ? OP_EXTR : OP_EXTR32, wZ(rd), rZ(rn), rZ(rm), imms, 0, 0);
      return;
    }
    default: undef(e); // 3: add/subtract with tags (FEAT_MTE) not implemented
  }
}
