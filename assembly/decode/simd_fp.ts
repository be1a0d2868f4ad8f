// Decoding: Advanced SIMD floating point, vector and scalar (Arm ARM
// C4.1.95): three same, two-register misc, across lanes, scalar pairwise,
// by element, and the fixed-point conversions in shift by immediate. Group FPVEC.
//
// Single and double precision only: the half-precision arithmetic forms
// (FEAT_FP16) are UNDEFINED, as are FMLAL/FMLSL (FEAT_FHM), FCMLA (FEAT_FCMA),
// FRINT32/64 (FEAT_FRINTTS) and BFCVTN (FEAT_BF16). Half precision appears
// only as the storage format of FCVTN/FCVTL. The vector forms with sz = 1
// (double) need Q = 1; the element count is resolved here (1 for scalar).
import { emit, undef, bits, bit } from "./entry";
import * as O from "./ops";
import { FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, FPRounding_ZERO, FPRounding_TIEAWAY } from "../fp/index";

// Element count of a vector form: 64 or 128 bits of 32 << sz-bit elements.
@inline function laneCount(q: u32, sz: u32): u32 { return (q ? 4 : 2) >> sz; }
@inline function laneField(sz: u32, lanes: u32): u32 { return sz | (lanes << 1); }

// Three same, floating point (opcode insn 15:11 = 11xxx), indexed by
// U:a:opcode<2:0> (a = insn 23, size<1>). Entries: FPBIN_* | TS_PAIR for the
// pairwise forms | TS_SCALAR when the scalar form exists; -1 unallocated
// (including FMLAL/FMLSL (FEAT_FHM) at U:a:opcode 0:x:101 and 1:x:001).
const TS_PAIR = 0x20, TS_SCALAR = 0x40;
const THREE_SAME: StaticArray<i32> = [
  // U = 0, a = 0: FMAXNM, FMLA, FADD, FMULX, FCMEQ, -, FMAX, FRECPS
  O.FPBIN_MAXNM, O.FPBIN_MLA, O.FPBIN_ADD, O.FPBIN_MULX | TS_SCALAR, O.FPBIN_CMEQ | TS_SCALAR, -1, O.FPBIN_MAX, O.FPBIN_RECPS | TS_SCALAR,
  // U = 0, a = 1: FMINNM, FMLS, FSUB, -, -, -, FMIN, FRSQRTS
  O.FPBIN_MINNM, O.FPBIN_MLS, O.FPBIN_SUB, -1, -1, -1, O.FPBIN_MIN, O.FPBIN_RSQRTS | TS_SCALAR,
  // U = 1, a = 0: FMAXNMP, -, FADDP, FMUL, FCMGE, FACGE, FMAXP, FDIV
  O.FPBIN_MAXNM | TS_PAIR, -1, O.FPBIN_ADD | TS_PAIR, O.FPBIN_MUL, O.FPBIN_CMGE | TS_SCALAR, O.FPBIN_ACGE | TS_SCALAR, O.FPBIN_MAX | TS_PAIR, O.FPBIN_DIV,
  // U = 1, a = 1: FMINNMP, -, FABD, -, FCMGT, FACGT, FMINP, -
  O.FPBIN_MINNM | TS_PAIR, -1, O.FPBIN_ABD | TS_SCALAR, -1, O.FPBIN_CMGT | TS_SCALAR, O.FPBIN_ACGT | TS_SCALAR, O.FPBIN_MIN | TS_PAIR, -1,
];

// Three same: 0 Q U 01110 a sz 1 Rm opcode 1 Rn Rd; scalar 01 U 11110 a sz 1 Rm opcode 1 Rn Rd.
export function decodeFpThreeSame(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), sz = bit(insn, 22);
  let v = <i32>THREE_SAME[(bit(insn, 29) << 4) | (bit(insn, 23) << 3) | (bits(insn, 15, 11) & 7)];
  if (v < 0) { undef(e); return; }
  let lanes: u32 = 1;
  if (scalar) {
    if ((v & TS_SCALAR) == 0) { undef(e); return; }
  } else {
    if (sz && !q) { undef(e); return; }
    lanes = laneCount(q, sz);
  }
  let op = (v & TS_PAIR) ? O.OP_SIMD_FP_PAIR : O.OP_SIMD_FP_BIN;
  emit(e, op, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), <u32>v & 0x1f, laneField(sz, lanes), 0);
}

// FRINT{N,M,P,Z,A,X,-,I} by U:a:opcode<0> (FPVEC_RMODE_FPCR: FPCR's mode; -1 unallocated).
const FRINT_RMODE: StaticArray<i32> = [
  FPRounding_TIEEVEN, FPRounding_NEGINF, FPRounding_POSINF, FPRounding_ZERO,
  FPRounding_TIEAWAY, O.FPVEC_RMODE_FPCR, -1, O.FPVEC_RMODE_FPCR,
];
// FCVT{N,M,P,Z}{S,U} by a:opcode<0>.
const FCVT_RMODE: StaticArray<i32> = [FPRounding_TIEEVEN, FPRounding_NEGINF, FPRounding_POSINF, FPRounding_ZERO];

// Two-register misc, floating point (opcode insn 16:12 = 011xx or 1011x and above):
// 0 Q U 01110 a sz 10000 opcode 10 Rn Rd; scalar 01 U 11110 a sz 10000 opcode 10 Rn Rd.
export function decodeFpTwoRegMisc(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), a = bit(insn, 23), sz = bit(insn, 22), opcode = bits(insn, 16, 12);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  let un = -1, rmode: i32 = 0;
  switch (opcode) {
    case 0x0c: if (a) un = u ? O.FPUN_CMGE0 : O.FPUN_CMGT0; break;
    case 0x0d: if (a) un = u ? O.FPUN_CMLE0 : O.FPUN_CMEQ0; break;
    case 0x0e: if (a && !u) un = O.FPUN_CMLT0; break;
    case 0x0f: if (a && !scalar) un = u ? O.FPUN_NEG : O.FPUN_ABS; break;
    case 0x16: // FCVTN (U = 0, vector), FCVTXN (U = 1, vector and scalar, from double only); a = 1: BFCVTN (FEAT_BF16)
      if (a || (u ? sz == 0 : scalar)) break;
      emit(e, O.OP_SIMD_FP_NARROW, rd, rn, u, scalar ? 2 : q, 32 << sz, 0);
      return;
    case 0x17: // FCVTL (vector)
      if (a || u || scalar) break;
      emit(e, O.OP_SIMD_FP_WIDEN, rd, rn, 0, q, 16 << sz, 0);
      return;
    case 0x18: case 0x19: // FRINTN, M, P, Z, A, X, I (vector)
      if (scalar) break;
      rmode = FRINT_RMODE[(u << 2) | (a << 1) | (opcode & 1)];
      if (rmode >= 0) un = (u && !a && (opcode & 1)) ? O.FPUN_RINTX : O.FPUN_RINT;
      break;
    case 0x1a: case 0x1b: // FCVT{N,M,P,Z}{S,U}
      rmode = FCVT_RMODE[(a << 1) | (opcode & 1)];
      un = O.FPUN_TOFIXED;
      break;
    case 0x1c: // FCVTA{S,U}; a = 1: URECPE, URSQRTE (vector, 32-bit)
      if (!a) { rmode = FPRounding_TIEAWAY; un = O.FPUN_TOFIXED; }
      else if (!scalar && !sz) un = u ? O.FPUN_URSQRTE : O.FPUN_URECPE;
      break;
    case 0x1d: // SCVTF, UCVTF (integer); a = 1: FRECPE, FRSQRTE
      if (!a) { rmode = O.FPVEC_RMODE_FPCR; un = O.FPUN_FROMFIXED; }
      else un = u ? O.FPUN_RSQRTE : O.FPUN_RECPE;
      break;
    case 0x1f: // a = 1: FRECPX (scalar), FSQRT (vector); a = 0: FRINT64Z/X (FEAT_FRINTTS)
      if (a && (u ? !scalar : scalar)) un = u ? O.FPUN_SQRT : O.FPUN_RECPX;
      break;
    default: break; // 0x1e: FRINT32Z/X (FEAT_FRINTTS)
  }
  if (un < 0 || (!scalar && sz && !q)) { undef(e); return; }
  let unsigned = un == O.FPUN_TOFIXED || un == O.FPUN_FROMFIXED ? u : 0;
  emit(e, O.OP_SIMD_FP_UN, rd, rn, <u32>un, <u32>rmode | (unsigned << 3), laneField(sz, scalar ? 1 : laneCount(q, sz)), 0);
}

// Across lanes: 0 Q U 01110 o1 sz 11000 opcode 10 Rn Rd, opcode 01100 FMAXNMV/FMINNMV,
// 01111 FMAXV/FMINV. U = 0 is half precision (FEAT_FP16); single needs Q = 1, sz = 0.
export function decodeFpAcrossLanes(insn: u32, e: usize): void {
  if (!bit(insn, 29) || !bit(insn, 30) || bit(insn, 22)) { undef(e); return; }
  let min = bit(insn, 23);
  let op: u32 = bits(insn, 16, 12) == 0x0c ? (min ? O.FPBIN_MINNM : O.FPBIN_MAXNM) : (min ? O.FPBIN_MIN : O.FPBIN_MAX);
  emit(e, O.OP_SIMD_FP_REDUCE, bits(insn, 4, 0), bits(insn, 9, 5), 0, op, laneField(0, 4), 0);
}

// Scalar pairwise: 01 U 11110 size 11000 opcode 10 Rn Rd. U = 0: ADDP (size 11,
// opcode 11011) and the half-precision forms (FEAT_FP16); U = 1: FMAXNMP,
// FADDP, FMAXP (a = 0), FMINNMP, FMINP (a = 1), on the two elements of Vn.
export function decodeScalarPairwise(insn: u32, e: usize): void {
  let u = bit(insn, 29), a = bit(insn, 23), sz = bit(insn, 22), opcode = bits(insn, 16, 12);
  let op = -1;
  if (!u) {
    if (opcode == 0x1b && a && sz) op = O.FPBIN_ADDP;
  } else if (opcode == 0x0c) op = a ? O.FPBIN_MINNM : O.FPBIN_MAXNM;
  else if (opcode == 0x0d) { if (!a) op = O.FPBIN_ADD; }
  else if (opcode == 0x0f) op = a ? O.FPBIN_MIN : O.FPBIN_MAX;
  if (op < 0) { undef(e); return; }
  emit(e, O.OP_SIMD_FP_PAIR, bits(insn, 4, 0), bits(insn, 9, 5), 0, <u32>op, laneField(sz, 1), 0);
}

// By element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd (scalar: 01 U 11111 ...):
// opcode 0001 FMLA, 0101 FMLS, 1001 FMUL (U = 0) / FMULX (U = 1); U = 1 with
// 0001/0101 is FCMLA (FEAT_FCMA). size 10 single (index H:L), 11 double
// (index H; L = 1 unallocated); 00 is half precision (FEAT_FP16), 01 unallocated.
// The element register is M:Rm.
export function decodeFpByElement(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), size = bits(insn, 23, 22), l = bit(insn, 21), h = bit(insn, 11);
  let opcode = bits(insn, 15, 12);
  let sz = size & 1;
  if (size < 2 || (sz && l) || (!scalar && sz && !q)) { undef(e); return; }
  let op: u32;
  if (opcode == 9) op = u ? O.FPBIN_MULX : O.FPBIN_MUL;
  else if (u) { undef(e); return; }
  else op = opcode == 1 ? O.FPBIN_MLA : O.FPBIN_MLS;
  let index = sz ? h : (h << 1) | l;
  let lanes = scalar ? 1 : laneCount(q, sz);
  emit(e, O.OP_SIMD_FP_BIN_ELEM, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), op, laneField(sz, lanes) | (index << 4), 0);
}

// Shift by immediate, fixed-point conversions: 0 Q U 011110 immh immb opcode 1 Rn Rd
// (scalar: 01 U 111110 ...), opcode 11100 SCVTF/UCVTF, 11111 FCVTZS/FCVTZU.
// immh 1xxx double, 01xx single; 001x half (FEAT_FP16) and 0001 are unallocated.
// fbits = 2 esize - immh:immb.
export function decodeFpShiftImm(insn: u32, e: usize, scalar: bool): void {
  let q = bit(insn, 30), u = bit(insn, 29), immh = bits(insn, 22, 19);
  if (immh < 4) { undef(e); return; }
  let sz: u32 = immh >= 8 ? 1 : 0;
  if (!scalar && sz && !q) { undef(e); return; }
  let fbits = (<u32>64 << sz) - bits(insn, 22, 16);
  let toFixed = bits(insn, 15, 11) == 0x1f;
  let un = toFixed ? O.FPUN_TOFIXED : O.FPUN_FROMFIXED;
  let rmode = toFixed ? FPRounding_ZERO : O.FPVEC_RMODE_FPCR;
  emit(e, O.OP_SIMD_FP_UN, bits(insn, 4, 0), bits(insn, 9, 5), <u32>un, <u32>rmode | (u << 3),
    laneField(sz, scalar ? 1 : laneCount(q, sz)) | (fbits << 8), 0);
}
