// Decoding: Advanced SIMD three same (integer and logical) and three
// different, vector and scalar (Arm ARM C4.1.95). Group THREE.
//
// The hot, simple operations get their own ops, computed a doubleword at a
// time (logical; ADD/SUB; compares and MAX/MIN, OP_SIMD_CMP; the pairwise
// ones; MUL/MLA/MLS); the other element-wise ones go through one handler
// (OP_SIMD_INT3) keyed by U:opcode.
import { emit, undef, bits, bit } from "./entry";
import * as O from "./ops";

// Three same, opcode (insn 15:11) < 0b11000; scalar: the scalar three same group.
export function decodeIntThreeSame(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), size = bits(insn, 23, 22), opcode = bits(insn, 15, 11);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5), rm = bits(insn, 20, 16);
  let kind = (u << 5) | opcode;
  if (scalar) { decodeScalarThreeSame(e, rd, rn, rm, u, size, opcode, kind); return; }
  // AND, BIC, ORR, ORN / EOR, BSL, BIT, BIF: size is the operation, Q the only arrangement choice.
  if (opcode == 0x03) { emit(e, O.OP_SIMD_LOGIC, rd, rn, rm, q, (u << 2) | size, 0); return; }
  if (size == 3 && q == 0) { undef(e); return; } // size:Q = 110 is reserved throughout
  switch (opcode) {
    case 0x00: case 0x02: case 0x04: // SHADD/UHADD, SRHADD/URHADD, SHSUB/UHSUB
    case 0x0e: case 0x0f:            // SABD/UABD, SABA/UABA
      if (size == 3) break;
      emit(e, O.OP_SIMD_INT3, rd, rn, rm, q, kind | (size << 8), 0);
      return;
    case 0x12: // MLA / MLS
      if (size == 3) break;
      emit(e, O.OP_SIMD_MUL, rd, rn, rm, q, ((1 + u) << 2) | size, 0);
      return;
    case 0x01: case 0x05:            // SQADD/UQADD, SQSUB/UQSUB
    case 0x08: case 0x09: case 0x0a: case 0x0b: // SSHL.., SQSHL.., SRSHL.., SQRSHL.. (register)
      emit(e, O.OP_SIMD_INT3, rd, rn, rm, q, kind | (size << 8), 0);
      return;
    case 0x06: case 0x07: case 0x11: // CMGT/CMHI, CMGE/CMHS, CMTST/CMEQ
      emit(e, O.OP_SIMD_CMP, rd, rn, rm, q, (compareKind(opcode, u) << 2) | size, 0);
      return;
    case 0x0c: case 0x0d: // SMAX/UMAX, SMIN/UMIN
      if (size == 3) break;
      emit(e, O.OP_SIMD_CMP, rd, rn, rm, q, ((opcode == 0x0c ? LANE_SMAX : LANE_SMIN) + u) << 2 | size, 0);
      return;
    case 0x10: // ADD / SUB
      emit(e, O.OP_SIMD_ADDSUB, rd, rn, rm, q, (u << 2) | size, 0);
      return;
    case 0x13: // MUL (U = 0, not 64-bit); PMUL (U = 1, bytes only)
      if (u ? size != 0 : size == 3) break;
      if (u) emit(e, O.OP_SIMD_INT3, rd, rn, rm, q, kind, 0);
      else emit(e, O.OP_SIMD_MUL, rd, rn, rm, q, size, 0);
      return;
    case 0x14: case 0x15: // SMAXP/UMAXP, SMINP/UMINP: pairs combined by SMAX/UMAX, SMIN/UMIN
      if (size == 3) break;
      emit(e, O.OP_SIMD_PAIR, rd, rn, rm, q, ((opcode == 0x14 ? LANE_SMAX : LANE_SMIN) + u) << 2 | size, 0);
      return;
    case 0x16: // SQDMULH / SQRDMULH: halfwords and words only
      if (size == 0 || size == 3) break;
      emit(e, O.OP_SIMD_INT3, rd, rn, rm, q, kind | (size << 8), 0);
      return;
    case 0x17: // ADDP (vector); U = 1 unallocated
      if (u) break;
      emit(e, O.OP_SIMD_PAIR, rd, rn, rm, q, (LANE_ADD << 2) | size, 0);
      return;
  }
  undef(e);
}

// The operations OP_SIMD_CMP and OP_SIMD_PAIR compute lane-parallel (f = kind << 2 | size).
export const LANE_CMGT: u32 = 0, LANE_CMHI: u32 = 1, LANE_CMGE: u32 = 2, LANE_CMHS: u32 = 3, LANE_CMEQ: u32 = 4,
  LANE_CMTST: u32 = 5, LANE_SMAX: u32 = 6, LANE_UMAX: u32 = 7, LANE_SMIN: u32 = 8, LANE_UMIN: u32 = 9, LANE_ADD: u32 = 10;

// Opcode 00110 CMGT/CMHI, 00111 CMGE/CMHS, 10001 CMTST/CMEQ (U = 1 the second).
@inline function compareKind(opcode: u32, u: u32): u32 {
  if (opcode == 0x06) return u ? LANE_CMHI : LANE_CMGT;
  if (opcode == 0x07) return u ? LANE_CMHS : LANE_CMGE;
  return u ? LANE_CMEQ : LANE_CMTST;
}

// The scalar three same group allocates fewer forms: the saturating ones for
// every size, the rest on D registers only, SQDMULH/SQRDMULH on H and S. A
// 64-bit scalar is the vector form with Q = 0 (element 0, the rest zeroed).
function decodeScalarThreeSame(e: usize, rd: u32, rn: u32, rm: u32, u: u32, size: u32, opcode: u32, kind: u32): void {
  switch (opcode) {
    case 0x01: case 0x05: case 0x09: case 0x0b: // SQADD.., SQSUB.., SQSHL.., SQRSHL..
      emit(e, O.OP_SIMD_INT3, rd, rn, rm, D_SCALAR, kind | (size << 8), 0);
      return;
    case 0x06: case 0x07: case 0x11: // CMGT/CMHI, CMGE/CMHS, CMTST/CMEQ
      if (size != 3) break;
      emit(e, O.OP_SIMD_CMP, rd, rn, rm, 0, (compareKind(opcode, u) << 2) | 3, 0);
      return;
    case 0x08: case 0x0a: // SSHL/USHL, SRSHL/URSHL
      if (size != 3) break;
      emit(e, O.OP_SIMD_INT3, rd, rn, rm, 0, kind | (3 << 8), 0);
      return;
    case 0x10: // ADD / SUB
      if (size != 3) break;
      emit(e, O.OP_SIMD_ADDSUB, rd, rn, rm, 0, (u << 2) | 3, 0);
      return;
    case 0x16: // SQDMULH / SQRDMULH
      if (size == 0 || size == 3) break;
      emit(e, O.OP_SIMD_INT3, rd, rn, rm, D_SCALAR, kind | (size << 8), 0);
      return;
  }
  undef(e);
}

// The d field of OP_SIMD_INT3 / OP_SIMD_LONG: Q (the part), or this for a
// scalar (one element, the rest zeroed).
export const D_SCALAR: u32 = 2;

// Three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd; scalar: 01 U 11110 size 1 Rm opcode 00 Rn Rd.
// Q selects the half the "2" forms read (long, wide) or write (narrow).
export function decodeThreeDifferent(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), size = bits(insn, 23, 22), opcode = bits(insn, 15, 12);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5), rm = bits(insn, 20, 16);
  let saturating = opcode == 0x9 || opcode == 0xb || opcode == 0xd; // SQDMLAL, SQDMLSL, SQDMULL
  if (scalar) {
    if (u || !saturating || size == 0 || size == 3) { undef(e); return; }
    emit(e, O.OP_SIMD_LONG, rd, rn, rm, D_SCALAR, opcode | (size << 8), 0);
    return;
  }
  if (opcode == 0xe) { // PMULL{2}: 8 x 8 -> 16, or 64 x 64 -> 128 (FEAT_PMULL)
    if (u) { undef(e); return; }
    if (size == 0) emit(e, O.OP_SIMD_LONG, rd, rn, rm, q, opcode, 0);
    else if (size == 3) emit(e, O.OP_SIMD_PMULL64, rd, rn, rm, q, 0, 0);
    else undef(e);
    return;
  }
  if (opcode == 0xf || size == 3) { undef(e); return; }
  if (saturating && (u || size == 0)) { undef(e); return; }
  emit(e, O.OP_SIMD_LONG, rd, rn, rm, q, opcode | (u << 4) | (size << 8), 0);
}
