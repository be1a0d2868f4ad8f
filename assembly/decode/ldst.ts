// Decoding: Loads and Stores (Arm ARM C4.1.88). The SIMD&FP forms (V = 1)
// are UNDEFINED unless FP/AdvSIMD is configured (CONFIG_FP); then the single
// register, literal and pair forms are decoded (decodeLoadStoreFP).
import { emit, undef, rZ, wZ, rS, bits, bit } from "./entry";
import * as O from "./ops";
import { signExtend } from "../util/bits";
import { extendField } from "../exec/flags";
import { fpEnabled } from "../cpu/config";
import { decodeLoadStoreStructure } from "./simd_ldst";
import { decodeLDRA } from "./pauth";

// The memop for size:opc of a single-register load/store; -1 if unallocated.
function memopFor(size: u32, opc: u32, allowPrfm: bool): i32 {
  switch ((size << 2) | opc) {
    case 0x0: return O.MEMOP_STRB;
    case 0x1: return O.MEMOP_LDRB;
    case 0x2: return O.MEMOP_LDRSBX;
    case 0x3: return O.MEMOP_LDRSBW;
    case 0x4: return O.MEMOP_STRH;
    case 0x5: return O.MEMOP_LDRH;
    case 0x6: return O.MEMOP_LDRSHX;
    case 0x7: return O.MEMOP_LDRSHW;
    case 0x8: return O.MEMOP_STRW;
    case 0x9: return O.MEMOP_LDRW;
    case 0xa: return O.MEMOP_LDRSW;
    case 0xc: return O.MEMOP_STRX;
    case 0xd: return O.MEMOP_LDRX;
    case 0xe: return allowPrfm ? O.MEMOP_PRFM : -1;
  }
  return -1;
}

@inline function isStore(memop: i32): bool { return memop >= O.MEMOP_STRB && memop <= O.MEMOP_STRX; }

// Rt's slot: loads write it (X31 = XZR), stores read it.
@inline function rtSlot(rt: u32, memop: i32): u32 { return isStore(memop) ? rZ(rt) : wZ(rt); }

export function decodeLoadStore(insn: u32, e: usize): void {
  if (bit(insn, 26)) { // SIMD&FP
    if (fpEnabled) decodeLoadStoreFP(insn, e); else undef(e);
    return;
  }
  if (decodeLDRA(insn, e)) return;
  let size = bits(insn, 31, 30), rt = bits(insn, 4, 0), rn = bits(insn, 9, 5);

  // Load/store exclusive, acquire/release, CAS: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt
  if (bits(insn, 29, 24) == 0x08) {
    let o2 = bit(insn, 23), l = bit(insn, 22), o1 = bit(insn, 21), o0 = bit(insn, 15);
    let rs = bits(insn, 20, 16), rt2 = bits(insn, 14, 10);
    if (o2 == 0 && o1 == 0) { // LDXR/LDAXR, STXR/STLXR
      if (l) emit(e, O.OP_LDX, wZ(rt), rS(rn), 0, 0, size, 0);
      else emit(e, O.OP_STX, rZ(rt), rS(rn), 0, wZ(rs), size, 0);
      return;
    }
    if (o2 == 0 && o1 == 1) {
      if (size >= 2) { // LDXP/LDAXP, STXP/STLXP
        if (l) emit(e, O.OP_LDXP, wZ(rt), rS(rn), wZ(rt2), 0, size, 0);
        else emit(e, O.OP_STXP, rZ(rt), rS(rn), rZ(rt2), wZ(rs), size, 0);
      } else { // CASP{A,L,AL}: size 0 = 32-bit pairs, 1 = 64-bit; Rs and Rt even; Rt2 must be 11111
        if ((rs & 1) || (rt & 1) || rt2 != 31) { undef(e); return; }
        emit(e, O.OP_CASP, rt, rS(rn), rs, 0, size + 2, 0);
      }
      return;
    }
    if (o2 == 1 && o1 == 0) {
      // LDAR/STLR, and with o0 = 0 LDLAR/STLLR (FEAT_LOR): LoadLOAcquire and
      // StoreLORelease order only against accesses in the same LORegion,
      // LDAR/STLR against all; accesses here are performed in program order,
      // so both are the same operation (and the same syndrome: AR = 1).
      if (l) emit(e, O.OP_LDAR, wZ(rt), rS(rn), 0, 0, size, 0);
      else emit(e, O.OP_STLR, rZ(rt), rS(rn), 0, 0, size, 0);
      return;
    }
    // CAS{A,L,AL}{B,H,}: Rs = compare value (and receives the old value), Rt = new value; Rt2 must be 11111
    if (rt2 != 31) { undef(e); return; }
    emit(e, O.OP_CAS, rZ(rt), rS(rn), rZ(rs), wZ(rs), size, 0);
    return;
  }
  // Load register (literal): opc 011 V 00 imm19 Rt
  if (bits(insn, 29, 27) == 3 && bits(insn, 25, 24) == 0) {
    let opc = size;
    let off = signExtend(<u64>bits(insn, 23, 5) << 2, 21);
    let memop = opc == 0 ? O.MEMOP_LDRW : opc == 1 ? O.MEMOP_LDRX : opc == 2 ? O.MEMOP_LDRSW : O.MEMOP_PRFM;
    emit(e, O.OP_LDR_LIT, wZ(rt), 0, 0, 0, memop, off);
    return;
  }
  // Load/store pair: opc 101 V mode(3) L imm7 Rt2 Rn Rt
  if (bits(insn, 29, 27) == 5) {
    let opc = size, mode3 = bits(insn, 25, 23), l = bit(insn, 22), rt2 = bits(insn, 14, 10);
    if (opc == 3 || (opc == 1 && (l == 0 || mode3 == 0))) { undef(e); return; } // STGP, LDNP-SW
    let mode: u32 = mode3 == 1 ? O.MODE_POST : mode3 == 3 ? O.MODE_PRE : O.MODE_OFF; // 0 (non-temporal) and 2 are offset
    let scale: u32 = opc == 2 ? 3 : 2;
    let off = signExtend(<u64>bits(insn, 21, 15), 7) << scale;
    let pairop: u32 = l ? (opc == 0 ? O.PAIROP_LDPW : opc == 2 ? O.PAIROP_LDPX : O.PAIROP_LDPSW)
                        : (opc == 0 ? O.PAIROP_STPW : O.PAIROP_STPX);
    let ta = l ? wZ(rt) : rZ(rt), tb = l ? wZ(rt2) : rZ(rt2);
    emit(e, O.OP_PAIR + mode * O.PAIROP_COUNT + pairop, ta, rS(rn), tb, 0, 0, off);
    return;
  }
  // Load/store register (all other forms): size 111 V 0x opc ...
  if (bits(insn, 29, 27) == 7) {
    let opc = bits(insn, 23, 22);
    if (bit(insn, 24)) { // unsigned immediate
      let memop = memopFor(size, opc, true);
      if (memop < 0) { undef(e); return; }
      let off = <u64>bits(insn, 21, 10) << size;
      emit(e, O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + memop, rtSlot(rt, memop), rS(rn), 0, 0, 0, off);
      return;
    }
    let op4 = bits(insn, 11, 10);
    if (bit(insn, 21) == 0) {
      let off = signExtend(<u64>bits(insn, 20, 12), 9);
      let mode: u32;
      if (op4 == 0) mode = O.MODE_OFF;          // unscaled (LDUR..., PRFUM)
      else if (op4 == 1) mode = O.MODE_POST;
      else if (op4 == 2) mode = O.MODE_UNPRIV;  // LDTR..., no PRFM
      else mode = O.MODE_PRE;
      let memop = memopFor(size, opc, op4 == 0);
      if (memop < 0) { undef(e); return; }
      emit(e, O.OP_LDST + mode * O.MEMOP_COUNT + memop, rtSlot(rt, memop), rS(rn), 0, 0, 0, off);
      return;
    }
    if (op4 == 2) { // register offset
      let option = bits(insn, 15, 13), s = bit(insn, 12), rm = bits(insn, 20, 16);
      if ((option & 2) == 0) { undef(e); return; }
      let memop = memopFor(size, opc, true);
      if (memop < 0) { undef(e); return; }
      let shift = s ? size : 0;
      emit(e, O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + memop, rtSlot(rt, memop), rS(rn), rZ(rm), 0, extendField(option, shift), 0);
      return;
    }
    if (op4 == 0) { // atomic memory operations (FEAT_LSE)
      let rs = bits(insn, 20, 16); // A and R (ordering) need nothing in a single-threaded core
      let o3 = bit(insn, 15), opc3 = bits(insn, 14, 12);
      if (o3 == 0) { emit(e, O.OP_LSE_LD, wZ(rt), rS(rn), rZ(rs), 0, (opc3 << 4) | size, 0); return; }
      if (opc3 == 0) { emit(e, O.OP_SWP, wZ(rt), rS(rn), rZ(rs), 0, size, 0); return; }
      undef(e); // LDAPR (FEAT_LRCPC) not implemented
      return;
    }
    undef(e); // PAC loads (LDRAA/LDRAB)
    return;
  }
  undef(e);
}

// SIMD&FP loads and stores (V = 1): LDR/STR B, H, S, D, Q (unsigned offset,
// unscaled, pre/post-index, register offset), LDR S/D/Q (literal), LDP/STP/
// LDNP/STNP S/D/Q; the AdvSIMD structure loads and stores in simd_ldst.ts.
// Not implemented (UNDEFINED): the FEAT_LRCPC3 forms.
function decodeLoadStoreFP(insn: u32, e: usize): void {
  let size = bits(insn, 31, 30), rt = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  let op = bits(insn, 29, 27);
  // Load register (literal): opc 011 1 00 imm19 Rt; opc 11 is unallocated.
  if (op == 3 && bits(insn, 25, 24) == 0) {
    if (size == 3) { undef(e); return; }
    emit(e, O.OP_FLDR_LIT, rt, 0, 0, size + 2, 0, signExtend(<u64>bits(insn, 23, 5) << 2, 21));
    return;
  }
  // Load/store pair: opc 101 1 mode(3) L imm7 Rt2 Rn Rt; opc 00 S, 01 D, 10 Q.
  if (op == 5) {
    if (size == 3) { undef(e); return; }
    let mode3 = bits(insn, 25, 23), store: u32 = bit(insn, 22) ^ 1;
    let mode: u32 = mode3 == 1 ? O.MODE_POST : mode3 == 3 ? O.MODE_PRE : O.MODE_OFF; // 0 (non-temporal) and 2 are offset
    let scale = size + 2;
    let off = signExtend(<u64>bits(insn, 21, 15), 7) << scale;
    emit(e, O.OP_FPAIR + ((mode << 1) | store), rt, rS(rn), bits(insn, 14, 10), scale, 0, off);
    return;
  }
  // AdvSIMD load/store multiple structures and single structure: 0 Q 0011 0x ...
  if (op == 1 && bit(insn, 25) == 0 && bit(insn, 31) == 0) { decodeLoadStoreStructure(insn, e); return; }
  if (op != 7) { undef(e); return; } // exclusives: unallocated
  // Load/store register: size 111 1 0x opc ...; opc<1> with size 00 is the 128-bit Q form.
  let opc = bits(insn, 23, 22);
  let store: u32 = (opc & 1) ^ 1;
  let scale = size;
  if (opc & 2) {
    if (size != 0) { undef(e); return; }
    scale = 4;
  }
  if (bit(insn, 24)) { // unsigned immediate
    emit(e, O.OP_FLDST + ((O.MODE_OFF << 1) | store), rt, rS(rn), 0, scale, 0, <u64>bits(insn, 21, 10) << scale);
    return;
  }
  let op4 = bits(insn, 11, 10);
  if (bit(insn, 21) == 0) {
    if (op4 == 2) { undef(e); return; } // no unprivileged SIMD&FP forms
    let mode: u32 = op4 == 0 ? O.MODE_OFF : op4 == 1 ? O.MODE_POST : O.MODE_PRE;
    emit(e, O.OP_FLDST + ((mode << 1) | store), rt, rS(rn), 0, scale, 0, signExtend(<u64>bits(insn, 20, 12), 9));
    return;
  }
  if (op4 == 2) { // register offset
    let option = bits(insn, 15, 13), s = bit(insn, 12), rm = bits(insn, 20, 16);
    if ((option & 2) == 0) { undef(e); return; }
    emit(e, O.OP_FLDST + ((O.MODE_REG << 1) | store), rt, rS(rn), rZ(rm), scale, extendField(option, s ? scale : 0), 0);
    return;
  }
  undef(e); // atomics, PAC loads: no SIMD&FP forms
}
