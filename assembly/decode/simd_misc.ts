// Decoding: Advanced SIMD integer two-register misc, across lanes, shift by
// immediate and by element, vector and scalar (Arm ARM C4.1.95). Group MISC.
// The dispatcher (decode/simdfp.ts) has already sent the floating-point
// opcodes of these groups elsewhere. Element counts, shift amounts and
// element indexes are resolved here; ops.ts has the field layouts.
import { emit, undef, bits, bit } from "./entry";
import * as O from "./ops";
import {
  MISC_CLS, MISC_CLZ, MISC_CNT, MISC_NOT, MISC_RBIT, MISC_SQABS, MISC_SQNEG, MISC_CMGT0, MISC_CMGE0, MISC_CMEQ0,
  MISC_CMLE0, MISC_CMLT0, MISC_ABS, MISC_NEG, MISC_SUQADD, MISC_USQADD,
  ACROSS_SADDLV, ACROSS_SMAXV, ACROSS_SMINV, ACROSS_ADDV,
} from "../exec/simd_misc";
import {
  SHIFT_SRI, SHIFT_SHL, SHIFT_SLI, SHIFT_SQSHL, SHIFT_UQSHL, SHIFT_SQSHLU,
  NARROW_TRUNC, NARROW_SS, NARROW_UU, NARROW_SU, NARROW_ROUND,
} from "../exec/simd_shift";
import {
  ELEM_MUL, ELEM_MLA, ELEM_MLS, ELEM_SQDMULH, ELEM_SQRDMULH,
  ELEML_MULL, ELEML_MLAL, ELEML_MLSL, ELEML_SQDMULL, ELEML_SQDMLAL, ELEML_SQDMLSL, ELEML_UNSIGNED,
} from "../exec/simd_elem";

const NONE: u32 = 0xff; // unallocated

// A same-size operation: elements of one 64- or 128-bit vector, or one scalar element.
@inline function sameCount(q: u32, size: u32, scalar: bool): u32 { return scalar ? 1 : (8 << q) >> size; }

// ---- two-register misc: 0 Q U 01110 size 10000 opcode 10 Rn Rd (scalar: 01 U 11110 ...) ---------
export function decodeIntTwoRegMisc(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), size = bits(insn, 23, 22), opcode = bits(insn, 16, 12);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  let op = NONE;
  let vectorOnly = true, dOnly = false;
  switch (opcode) {
    case 0x00: case 0x01: { // REV64, REV32, REV16: container 64 >> (o0:U)
      let c = (bit(insn, 12) << 1) | u;
      if (scalar || size + c >= 3) break;
      emit(e, O.OP_SIMD_REV, rd, rn, 0, q, ((8 >> c) - 1) ^ ((1 << size) - 1), 0);
      return;
    }
    case 0x02: case 0x06: // SADDLP, UADDLP, SADALP, UADALP
      if (scalar || size == 3) break;
      emit(e, O.OP_SIMD_ADDLP, rd, rn, size, u | ((opcode >> 2) << 1), (8 << q) >> (size + 1), 0);
      return;
    case 0x03: op = u ? MISC_USQADD : MISC_SUQADD; vectorOnly = false; break;
    case 0x04: op = u ? MISC_CLZ : MISC_CLS; if (size == 3) op = NONE; break;
    case 0x05: // CNT; NOT, RBIT
      if (u == 0) op = size == 0 ? MISC_CNT : NONE;
      else op = size == 0 ? MISC_NOT : size == 1 ? MISC_RBIT : NONE;
      size = 0;
      break;
    case 0x07: op = u ? MISC_SQNEG : MISC_SQABS; vectorOnly = false; break;
    case 0x08: op = u ? MISC_CMGE0 : MISC_CMGT0; vectorOnly = false; dOnly = true; break;
    case 0x09: op = u ? MISC_CMLE0 : MISC_CMEQ0; vectorOnly = false; dOnly = true; break;
    case 0x0a: op = u ? NONE : MISC_CMLT0; vectorOnly = false; dOnly = true; break;
    case 0x0b: op = u ? MISC_NEG : MISC_ABS; vectorOnly = false; dOnly = true; break;
    case 0x12: // XTN, SQXTUN
      if (size == 3 || (scalar && u == 0)) break;
      emitNarrow(e, rd, rn, size, u ? NARROW_SU : NARROW_TRUNC, q, scalar, 0);
      return;
    case 0x13: // SHLL: SHLL2 reads the upper half
      if (scalar || u == 0 || size == 3) break;
      emit(e, O.OP_SIMD_WIDEN, rd, rn, size, 1, q, <u64>(8 << size));
      return;
    case 0x14: // SQXTN, UQXTN
      if (size == 3) break;
      emitNarrow(e, rd, rn, size, u ? NARROW_UU : NARROW_SS, q, scalar, 0);
      return;
  }
  if (op == NONE || (scalar && (vectorOnly || (dOnly && size != 3))) || (!scalar && size == 3 && q == 0)) { undef(e); return; }
  emit(e, O.OP_SIMD_UNARY, rd, rn, size, op, sameCount(q, size, scalar), 0);
}

// Narrowing to esize = 8 << size: the vector form writes 64 bits (Q = 1: the upper half).
@inline function emitNarrow(e: usize, rd: u32, rn: u32, size: u32, kind: u32, q: u32, scalar: bool, shift: u32): void {
  let f = scalar ? 1 : (8 >> size) | (q << 8);
  emit(e, O.OP_SIMD_NARROW, rd, rn, size, kind, f, <u64>shift);
}

// ---- across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd -----------------------------------
export function decodeIntAcrossLanes(insn: u32, e: usize): void {
  let q = bit(insn, 30), u = bit(insn, 29), size = bits(insn, 23, 22), opcode = bits(insn, 16, 12);
  let op = NONE;
  if (opcode == 0x03) op = ACROSS_SADDLV + u;    // the U forms follow the signed ones
  else if (opcode == 0x0a) op = ACROSS_SMAXV + u;
  else if (opcode == 0x1a) op = ACROSS_SMINV + u;
  else if (opcode == 0x1b && u == 0) op = ACROSS_ADDV;
  // Two 32-bit elements (2S) and 64-bit elements are reserved.
  if (op == NONE || size == 3 || (size == 2 && q == 0)) { undef(e); return; }
  emit(e, O.OP_SIMD_ACROSS, bits(insn, 4, 0), bits(insn, 9, 5), size, op, (8 << q) >> size, 0);
}

// ---- shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd (scalar: 01 U 111110 ...) -------
export function decodeIntShiftImm(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), immh = bits(insn, 22, 19), opcode = bits(insn, 15, 11);
  let immhb = bits(insn, 22, 16);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  let size = 31 - <u32>clz(immh); // HighestSetBit(immh); immh != 0 here
  let esize = 8 << size;
  let right = 2 * esize - immhb, left = immhb - esize;
  let op = NONE, sh = right;
  switch (opcode) {
    case 0x00: case 0x02: case 0x04: case 0x06: // [SU]SHR, [SU]SRA, [SU]RSHR, [SU]RSRA
      op = u | (opcode & 6);
      break;
    case 0x08: if (u) op = SHIFT_SRI; break;
    case 0x0a: op = u ? SHIFT_SLI : SHIFT_SHL; sh = left; break;
    case 0x0c: if (u) op = SHIFT_SQSHLU; sh = left; break;
    case 0x0e: op = u ? SHIFT_UQSHL : SHIFT_SQSHL; sh = left; break;
    case 0x10: case 0x11: case 0x12: case 0x13: { // SHRN, RSHRN, SQSHRUN, SQRSHRUN; [SU]Q[R]SHRN
      if (size == 3) break; // immh 1xxx: reserved
      let kind: u32;
      if (opcode < 0x12) {
        if (u == 0 && scalar) break; // SHRN and RSHRN have no scalar form
        kind = u ? NARROW_SU : NARROW_TRUNC;
      } else kind = u ? NARROW_UU : NARROW_SS;
      emitNarrow(e, rd, rn, size, kind | ((opcode & 1) ? NARROW_ROUND : 0), q, scalar, right);
      return;
    }
    case 0x14: // SSHLL, USHLL (SXTL, UXTL)
      if (scalar || size == 3) break;
      emit(e, O.OP_SIMD_WIDEN, rd, rn, size, u, q, <u64>left);
      return;
  }
  if (op == NONE) { undef(e); return; }
  // The plain shifts have only the 64-bit scalar form; the saturating left
  // shifts have all sizes. A vector of one 64-bit element (Q = 0) is reserved.
  if (scalar ? (size != 3 && op < SHIFT_SQSHL) : (size == 3 && q == 0)) { undef(e); return; }
  emit(e, O.OP_SIMD_SHIFT, rd, rn, size, op, sameCount(q, size, scalar), <u64>sh);
}

// ---- by element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd (scalar: 01 U 11111 ...) ------------
export function decodeIntByElement(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), size = bits(insn, 23, 22), opcode = bits(insn, 15, 12);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  let h = bit(insn, 11), l = bit(insn, 21), m = bit(insn, 20);
  if (size == 0 || size == 3) { undef(e); return; }
  // 16-bit elements: index H:L:M and Vm in V0-V15; 32-bit: index H:L, Vm = M:Rm.
  let index = size == 1 ? (h << 2) | (l << 1) | m : (h << 1) | l;
  let rm = size == 1 ? bits(insn, 19, 16) : bits(insn, 20, 16);
  let same = NONE, long = NONE;
  switch (opcode) {
    case 0x0: if (u && !scalar) same = ELEM_MLA; break;
    case 0x4: if (u && !scalar) same = ELEM_MLS; break;
    case 0x8: if (!u && !scalar) same = ELEM_MUL; break;
    case 0xc: if (!u) same = ELEM_SQDMULH; break;
    case 0xd: if (!u) same = ELEM_SQRDMULH; break; // U = 1: SQRDMLAH (FEAT_RDM)
    case 0x2: if (!scalar) long = ELEML_MLAL | (u ? ELEML_UNSIGNED : 0); break;
    case 0x6: if (!scalar) long = ELEML_MLSL | (u ? ELEML_UNSIGNED : 0); break;
    case 0xa: if (!scalar) long = ELEML_MULL | (u ? ELEML_UNSIGNED : 0); break;
    case 0x3: if (!u) long = ELEML_SQDMLAL; break;
    case 0x7: if (!u) long = ELEML_SQDMLSL; break;
    case 0xb: if (!u) long = ELEML_SQDMULL; break;
  }
  if (same != NONE) {
    emit(e, O.OP_SIMD_ELEM, rd, rn, rm, same, size | (sameCount(q, size, scalar) << 2), <u64>index);
  } else if (long != NONE) {
    let cnt = scalar ? 1 : 8 >> size;
    emit(e, O.OP_SIMD_ELEML, rd, rn, rm, long, size | ((scalar ? 0 : q) << 2) | (cnt << 3), <u64>index);
  } else undef(e);
}
