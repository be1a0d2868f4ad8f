// Decoding: Data Processing -- Register (Arm ARM C4.1.89).
import { emit, undef, rZ, wZ, rS, bits, bit } from "./entry";
import * as O from "./ops";
import { extendField } from "../exec/flags";
import { fusibleBranch } from "./fusion";
import { NO_NEXT } from "./decoder";
import { decodePAuthDP1, decodePACGA } from "./pauth";

export function decodeDataProcessingRegister(insn: u32, e: usize): void {
  let sf = bit(insn, 31), op0 = bit(insn, 30), op1 = bit(insn, 28), op2 = bits(insn, 24, 21);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5), rm = bits(insn, 20, 16);
  let imm6 = bits(insn, 15, 10);

  if (op1 == 0) {
    if ((op2 & 8) == 0) { // Logical (shifted register)
      let opc = bits(insn, 30, 29), shift = bits(insn, 23, 22), n = bit(insn, 21);
      if (!sf && imm6 >= 32) { undef(e); return; }
      if (opc == 1 && n == 0 && shift == 0 && imm6 == 0 && rn == 31) { // MOV (register)
        emit(e, sf ? O.OP_MOV_REG : O.OP_MOV_REG32, wZ(rd), rZ(rm), 0, 0, 0, 0);
        return;
      }
      emit(e, O.OP_LOG_SR + ((((opc << 1) | n) << 1) | sf), wZ(rd), rZ(rn), rZ(rm), shift, imm6, 0);
      return;
    }
    let op = bit(insn, 30), s = bit(insn, 29);
    let k = (((op << 1) | s) << 1) | sf;
    if ((op2 & 1) == 0) { // Add/subtract (shifted register)
      let shift = bits(insn, 23, 22);
      if (shift == 3 || (!sf && imm6 >= 32)) { undef(e); return; }
      if (k >> 1 == 3) { // SUBS, CMP: fuse with a following in-page B.cond
        let f = fusibleBranch(e);
        if (f != NO_NEXT) {
          let cond = <u32>(f >> 32);
          emit(e, sf ? O.OP_SUBS_BCOND : O.OP_SUBS_BCOND32, wZ(rd), rZ(rn), rZ(rm), shift | (cond << 4), imm6, <u64><i64><i32>f);
          return;
        }
      }
      emit(e, O.OP_ADDSUB_SR + k, wZ(rd), rZ(rn), rZ(rm), shift, imm6, 0);
      return;
    }
    // Add/subtract (extended register)
    let opt = bits(insn, 23, 22), option = bits(insn, 15, 13), imm3 = bits(insn, 12, 10);
    if (opt != 0 || imm3 > 4) { undef(e); return; }
    emit(e, O.OP_ADDSUB_ER + k, s ? wZ(rd) : rS(rd), rS(rn), rZ(rm), 0, extendField(option, imm3), 0);
    return;
  }

  switch (op2) {
    case 0: { // Add/subtract (with carry)
      if (imm6 != 0) { undef(e); return; } // RMIF, SETF (FEAT_FlagM) not implemented
      let k = (((bit(insn, 30) << 1) | bit(insn, 29)) << 1) | sf;
      emit(e, O.OP_ADC + k, wZ(rd), rZ(rn), rZ(rm), 0, 0, 0);
      return;
    }
    case 2: { // Conditional compare (register / immediate)
      let s = bit(insn, 29), o2 = bit(insn, 10), o3 = bit(insn, 4), isImm = bit(insn, 11);
      if (s == 0 || o2 != 0 || o3 != 0) { undef(e); return; }
      let cond = bits(insn, 15, 12), nzcv = bits(insn, 3, 0);
      emit(e, O.OP_CCMP + ((bit(insn, 30) << 1) | sf), rZ(rn), isImm ? 0 : rZ(rm), cond, nzcv, isImm, <u64>rm);
      return;
    }
    case 4: { // Conditional select
      let s = bit(insn, 29), o2 = bits(insn, 11, 10);
      if (s != 0 || o2 > 1) { undef(e); return; }
      let k = (((bit(insn, 30) << 1) | o2) << 1) | sf;
      emit(e, O.OP_CSEL + k, wZ(rd), rZ(rn), rZ(rm), bits(insn, 15, 12), 0, 0);
      return;
    }
    case 6: {
      let s = bit(insn, 29), opcode = imm6;
      if (s != 0) { undef(e); return; }
      if (op0 == 1) { // Data-processing (1 source)
        if (rm == 1 && sf && decodePAuthDP1(opcode, rn, rd, e)) return; // opcode2 = 00001: FEAT_PAuth
        if (rm != 0 || opcode > 5) { undef(e); return; }
        if (opcode == 3 && !sf) { undef(e); return; }     // REV (64-bit) only with sf = 1
        emit(e, O.OP_DP1 + sf, wZ(rd), rZ(rn), 0, opcode, 0, 0);
        return;
      }
      // Data-processing (2 source)
      if (opcode == 12 && sf && decodePACGA(rm, rn, rd, e)) return;
      let ok = opcode == 2 || opcode == 3 || (opcode >= 8 && opcode <= 11);
      if (opcode >= 16 && opcode <= 23) ok = ((opcode & 3) == 3) == (sf == 1); // CRC32{C}X needs sf = 1, B/H/W sf = 0
      if (!ok) { undef(e); return; }
      emit(e, O.OP_DP2 + sf, wZ(rd), rZ(rn), rZ(rm), opcode, 0, 0);
      return;
    }
  }
  if (op2 & 8) { // Data-processing (3 source)
    let op54 = bits(insn, 30, 29), op31 = bits(insn, 23, 21), o0 = bit(insn, 15), ra = bits(insn, 14, 10);
    if (op54 != 0) { undef(e); return; }
    if (op31 == 0) {
      let o = o0 ? (sf ? O.OP_MSUB : O.OP_MSUB32) : (sf ? O.OP_MADD : O.OP_MADD32);
      emit(e, o, wZ(rd), rZ(rn), rZ(rm), rZ(ra), 0, 0);
      return;
    }
    if (!sf) { undef(e); return; }
    // 1: SMADDL/SMSUBL, 2: SMULH (o0 = 0), 5: UMADDL/UMSUBL, 6: UMULH (o0 = 0)
    if (op31 == 1 || op31 == 5 || ((op31 == 2 || op31 == 6) && o0 == 0)) {
      emit(e, O.OP_DP3, wZ(rd), rZ(rn), rZ(rm), rZ(ra), (op31 << 1) | o0, 0);
      return;
    }
  }
  undef(e);
}
