// Decoding: Data Processing -- Scalar Floating-Point and Advanced SIMD (Arm
// ARM C4.1.95; op0 = insn[28:25] = x111), reached only with CONFIG_FP.
//
// Implemented (phase 1 of FP/AdvSIMD):
// - scalar floating point, single and double precision: FP data-processing
//   (1, 2 and 3 source), compare, conditional compare, conditional select,
//   immediate, conversions to/from integer and fixed point, FMOV (general),
//   and FCVT between half, single and double;
// - Advanced SIMD: modified immediate (MOVI, MVNI, ORR, BIC, FMOV), copy
//   (DUP, INS, UMOV, SMOV, and the scalar DUP), ORR (vector, register) / MOV.
// UNDEFINED: half-precision arithmetic (FEAT_FP16 is not advertised),
// FJCVTZS (FEAT_JSCVT), FRINT32/64 (FEAT_FRINTTS), BFCVT (FEAT_BF16), and
// all other Advanced SIMD instructions (vector arithmetic, three same/
// different, two-register misc, across lanes, by element, shifts, permute,
// extract, table lookup, crypto, the scalar AdvSIMD groups except DUP).
import { emit, undef, rZ, wZ, bits, bit } from "./entry";
import * as O from "./ops";
import { FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, FPRounding_ZERO, FPRounding_TIEAWAY } from "../fp/index";

// ftype (insn 23:22) to N: 00 single, 01 double; 11 half (only for FCVT), 10 none.
@inline function ftypeN(ftype: u32): u32 { return ftype == 0 ? 32 : ftype == 1 ? 64 : ftype == 3 ? 16 : 0; }

export function decodeSimdFp(insn: u32, e: usize): void {
  // Scalar floating point: M 0 S 1111x ...
  if ((insn & 0x5e00_0000) == 0x1e00_0000) { decodeScalarFP(insn, e); return; }
  // AdvSIMD modified immediate: 0 Q op 0111100000 abc cmode o2 1 defgh Rd
  if ((insn & 0x9ff8_0400) == 0x0f00_0400) { decodeModifiedImmediate(insn, e); return; }
  // AdvSIMD copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd
  if ((insn & 0x9fe0_8400) == 0x0e00_0400) { decodeCopy(insn, e); return; }
  // AdvSIMD scalar copy: 01 op 11110000 imm5 0 imm4 1 Rn Rd (only DUP (element), op 0 imm4 0000)
  if ((insn & 0xffe0_fc00) == 0x5e00_0400) {
    let imm5 = bits(insn, 20, 16);
    let size = <u32>ctz(imm5);
    if (size > 3) { undef(e); return; }
    emit(e, O.OP_SIMD_DUP_ELEM, bits(insn, 4, 0), bits(insn, 9, 5), size, 2, imm5 >> (size + 1), 0);
    return;
  }
  // ORR (vector, register): 0 Q 0 01110 10 1 Rm 000111 Rn Rd (MOV when Rn == Rm)
  if ((insn & 0xbfe0_fc00) == 0x0ea0_1c00) {
    emit(e, O.OP_SIMD_ORR, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), bit(insn, 30), 0, 0);
    return;
  }
  undef(e);
}

// ---- Scalar floating point -------------------------------------------------------------
function decodeScalarFP(insn: u32, e: usize): void {
  let ftype = bits(insn, 23, 22);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5), rm = bits(insn, 20, 16);
  let sf = bit(insn, 31);
  if (bit(insn, 29)) { undef(e); return; } // S = 1: unallocated throughout
  if (bit(insn, 24)) { // data-processing (3 source): M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd
    if (sf || ftype > 1) { undef(e); return; }
    let kind = (bit(insn, 21) << 1) | bit(insn, 15);
    emit(e, O.OP_FP_DP3, rd, rn, rm, bits(insn, 14, 10), ftypeN(ftype) | (kind << 8), 0);
    return;
  }
  if (bit(insn, 21) == 0) { decodeFixedConversion(insn, e); return; }
  if (bits(insn, 15, 10) == 0) { decodeIntConversion(insn, e); return; }
  // Everything else: M = 0, and no half-precision arithmetic (FEAT_FP16), except FCVT from half.
  if (sf || ftype == 2) { undef(e); return; }
  let n = ftypeN(ftype);
  let low = bits(insn, 11, 10);
  if (low == 1) { // conditional compare: ... Rm cond 01 Rn op nzcv
    if (ftype == 3) { undef(e); return; }
    emit(e, O.OP_FCCMP, rn, rm, bits(insn, 15, 12), bits(insn, 3, 0), n | (bit(insn, 4) << 8), 0);
    return;
  }
  if (low == 2) { // data-processing (2 source): ... Rm opcode 10 Rn Rd
    let opcode = bits(insn, 15, 12);
    if (ftype == 3 || opcode > 8) { undef(e); return; }
    emit(e, O.OP_FP_DP2, rd, rn, rm, opcode, n, 0);
    return;
  }
  if (low == 3) { // conditional select: ... Rm cond 11 Rn Rd
    if (ftype == 3) { undef(e); return; }
    emit(e, O.OP_FCSEL, rd, rn, rm, bits(insn, 15, 12), n, 0);
    return;
  }
  if (bit(insn, 12)) { // immediate: ... imm8 100 imm5 Rd
    if (ftype == 3 || bits(insn, 9, 5) != 0) { undef(e); return; }
    emit(e, O.OP_SIMD_MOVI, rd, 0, 0, 0, 0, vfpExpandImm(bits(insn, 20, 13), n));
    return;
  }
  if (bit(insn, 13)) { // compare: ... Rm op 1000 Rn opcode2
    if (ftype == 3 || bits(insn, 15, 14) != 0 || bits(insn, 2, 0) != 0) { undef(e); return; }
    emit(e, O.OP_FCMP, rn, rm, (bit(insn, 4)) | (bit(insn, 3) << 1), 0, n, 0);
    return;
  }
  if (bit(insn, 14)) { // data-processing (1 source): ... opcode(6) 10000 Rn Rd
    let opcode = bits(insn, 20, 15);
    if (opcode >= 4 && opcode <= 7) { // FCVT: opc = opcode<1:0> is the destination type
      let opc = opcode & 3;
      if (opc == 2 || opc == ftype) { undef(e); return; } // BFCVT (FEAT_BF16), same type
      emit(e, O.OP_FP_DP1, rd, rn, opcode, 0, n, 0);
      return;
    }
    if (ftype == 3) { undef(e); return; }
    // FMOV, FABS, FNEG, FSQRT; FRINTN, P, M, Z, A, X, I.
    if (opcode <= 3 || (opcode >= 8 && opcode <= 15 && opcode != 13)) {
      emit(e, O.OP_FP_DP1, rd, rn, opcode, 0, n, 0);
      return;
    }
    undef(e); // FRINT32/64 (FEAT_FRINTTS) and unallocated
    return;
  }
  undef(e);
}

// VFPExpandImm(imm8) for N = 32 or 64.
function vfpExpandImm(imm8: u32, n: u32): u64 {
  let sign = <u64>(imm8 >> 7);
  let b6 = <u64>((imm8 >> 6) & 1);
  let e = n == 64 ? 11 : 8;
  let f = <u64>(n - e - 1);
  // exponent: NOT(b6) : Replicate(b6, e - 3) : imm8<5:4>
  let exp = ((b6 ^ 1) << <u64>(e - 1)) | ((b6 ? (<u64>1 << <u64>(e - 3)) - 1 : 0) << 2) | <u64>((imm8 >> 4) & 3);
  let frac = <u64>(imm8 & 15) << (f - 4);
  return (sign << <u64>(n - 1)) | (exp << f) | frac;
}

// Conversion between floating-point and integer: sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd
function decodeIntConversion(insn: u32, e: usize): void {
  let sf = bit(insn, 31), ftype = bits(insn, 23, 22), rmode = bits(insn, 20, 19), opcode = bits(insn, 18, 16);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  if (opcode == 6 || opcode == 7) { // FMOV (general)
    let toGP = opcode == 6;
    let kind: i32 = -1;
    if (rmode == 0 && sf == 0 && ftype == 0) kind = 0;      // Wd <-> Sn
    else if (rmode == 0 && sf == 1 && ftype == 1) kind = 1; // Xd <-> Dn
    else if (rmode == 1 && sf == 1 && ftype == 2) kind = 2; // Xd <-> Vn.D[1]
    if (kind < 0) { undef(e); return; } // the half forms need FEAT_FP16; FJCVTZS (rmode 11) FEAT_JSCVT
    if (toGP) emit(e, O.OP_FMOV_TOGP, wZ(rd), rn, <u32>kind, 0, 0, 0);
    else emit(e, O.OP_FMOV_FROMGP, rd, rZ(rn), <u32>kind, 0, 0, 0);
    return;
  }
  if (ftype > 1) { undef(e); return; } // half: FEAT_FP16
  let n = ftypeN(ftype);
  if (opcode == 2 || opcode == 3) { // SCVTF, UCVTF
    if (rmode != 0) { undef(e); return; }
    emit(e, O.OP_CVTF, rd, rZ(rn), 0, (opcode & 1) | (sf << 1), n, 0);
    return;
  }
  let rounding: i32;
  if (opcode == 0 || opcode == 1) { // FCVTNS/NU, FCVTPS/PU, FCVTMS/MU, FCVTZS/ZU
    rounding = rmode == 0 ? FPRounding_TIEEVEN : rmode == 1 ? FPRounding_POSINF : rmode == 2 ? FPRounding_NEGINF : FPRounding_ZERO;
  } else if ((opcode == 4 || opcode == 5) && rmode == 0) { // FCVTAS, FCVTAU
    rounding = FPRounding_TIEAWAY;
  } else { undef(e); return; }
  emit(e, O.OP_FCVT_TOINT, wZ(rd), rn, <u32>rounding, (opcode & 1) | (sf << 1), n, 0);
}

// Conversion between floating-point and fixed-point: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd
function decodeFixedConversion(insn: u32, e: usize): void {
  let sf = bit(insn, 31), ftype = bits(insn, 23, 22), rmode = bits(insn, 20, 19), opcode = bits(insn, 18, 16);
  let scale = bits(insn, 15, 10);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  if (ftype > 1 || (sf == 0 && scale < 32)) { undef(e); return; }
  let n = ftypeN(ftype), fbits = 64 - scale;
  if (rmode == 0 && (opcode == 2 || opcode == 3)) { // SCVTF, UCVTF (fixed-point)
    emit(e, O.OP_CVTF, rd, rZ(rn), 0, (opcode & 1) | (sf << 1), n | (fbits << 8), 0);
    return;
  }
  if (rmode == 3 && (opcode == 0 || opcode == 1)) { // FCVTZS, FCVTZU (fixed-point)
    emit(e, O.OP_FCVT_TOINT, wZ(rd), rn, <u32>FPRounding_ZERO, (opcode & 1) | (sf << 1), n | (fbits << 8), 0);
    return;
  }
  undef(e);
}

// ---- Advanced SIMD modified immediate ---------------------------------------------------
// AdvSIMDExpandImm(op, cmode, imm8), with MVNI's inversion; the operation is
// MOVI/MVNI/FMOV (set), ORR or BIC.
function decodeModifiedImmediate(insn: u32, e: usize): void {
  let q = bit(insn, 30), op = bit(insn, 29), cmode = bits(insn, 15, 12), o2 = bit(insn, 11);
  let rd = bits(insn, 4, 0);
  let imm8 = <u64>((bits(insn, 18, 16) << 5) | bits(insn, 9, 5));
  if (o2) { undef(e); return; } // FMOV (vector, immediate) half precision: FEAT_FP16
  let imm: u64;
  let kind = O.OP_SIMD_MOVI;
  let hi3 = cmode >> 1;
  if (hi3 <= 3) {             // 32-bit shifted: 0xx0 MOVI/MVNI, 0xx1 ORR/BIC
    imm = replicate32(imm8 << <u64>(8 * hi3));
    if (cmode & 1) kind = op ? O.OP_SIMD_BICI : O.OP_SIMD_ORRI;
    else if (op) imm = ~imm;
  } else if (hi3 <= 5) {      // 16-bit shifted: 10x0 MOVI/MVNI, 10x1 ORR/BIC
    let h = imm8 << <u64>(8 * (hi3 & 1));
    imm = h | (h << 16) | (h << 32) | (h << 48);
    if (cmode & 1) kind = op ? O.OP_SIMD_BICI : O.OP_SIMD_ORRI;
    else if (op) imm = ~imm;
  } else if (hi3 == 6) {      // 32-bit shifting ones (MSL): 110x MOVI/MVNI
    imm = replicate32((cmode & 1) ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff);
    if (op) imm = ~imm;
  } else if ((cmode & 1) == 0) {
    if (op == 0) {            // 1110 op 0: MOVI 8-bit
      imm = imm8 * 0x0101_0101_0101_0101;
    } else {                  // 1110 op 1: MOVI 64-bit, each bit of imm8 a byte of ones
      imm = 0;
      for (let i: u64 = 0; i < 8; i++) if ((imm8 >> i) & 1) imm |= <u64>0xff << (i * 8);
    }
  } else if (op == 0) {       // 1111 op 0: FMOV (vector, immediate) single
    imm = replicate32(vfpExpandImm(<u32>imm8, 32));
  } else {                    // 1111 op 1: FMOV (vector, immediate) double, Q = 1 only
    if (q == 0) { undef(e); return; }
    imm = vfpExpandImm(<u32>imm8, 64);
  }
  emit(e, kind, rd, q, 0, 0, 0, imm);
}

@inline function replicate32(x: u64): u64 { return (x & 0xffff_ffff) | (x << 32); }

// ---- Advanced SIMD copy -------------------------------------------------------------------
function decodeCopy(insn: u32, e: usize): void {
  let q = bit(insn, 30), op = bit(insn, 29), imm5 = bits(insn, 20, 16), imm4 = bits(insn, 14, 11);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  let size = <u32>ctz(imm5); // LowestSetBit(imm5); 32 when imm5 = 0
  if (size > 3) { undef(e); return; }
  let index = imm5 >> (size + 1);
  if (op == 1) { // INS (element): Q = 1
    if (q == 0) { undef(e); return; }
    emit(e, O.OP_SIMD_INS_ELEM, rd, rn, size, imm4 >> size, index, 0);
    return;
  }
  switch (imm4) {
    case 0: // DUP (element)
      if (size == 3 && q == 0) break;
      emit(e, O.OP_SIMD_DUP_ELEM, rd, rn, size, q, index, 0);
      return;
    case 1: // DUP (general)
      if (size == 3 && q == 0) break;
      emit(e, O.OP_SIMD_DUP_GEN, rd, rZ(rn), size, q, 0, 0);
      return;
    case 3: // INS (general)
      if (q == 0) break;
      emit(e, O.OP_SIMD_INS_GEN, rd, rZ(rn), size, 0, index, 0);
      return;
    case 5: // SMOV: byte and half to W or X, word to X only
      if (size == 3 || (size == 2 && q == 0)) break;
      emit(e, O.OP_SIMD_SMOV, wZ(rd), rn, size, q, index, 0);
      return;
    case 7: // UMOV: byte, half, word to W (Q = 0), doubleword to X (Q = 1)
      if (q != (size == 3 ? 1 : 0)) break;
      emit(e, O.OP_SIMD_UMOV, wZ(rd), rn, size, 0, index, 0);
      return;
  }
  undef(e);
}
