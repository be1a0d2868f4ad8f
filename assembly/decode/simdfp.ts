// Decoding: Data Processing -- Scalar Floating-Point and Advanced SIMD (Arm
// ARM C4.1.95; op0 = insn[28:25] = x111), reached only with CONFIG_FP.
//
// This file classifies the groups and decodes scalar floating point, the
// AdvSIMD modified immediate and copy groups; every other group has its own
// decoder (simd_three, simd_permute, simd_fp, simd_misc, crypto; structure
// loads/stores in simd_ldst). UNDEFINED throughout: the features not
// advertised -- half-precision arithmetic (FEAT_FP16), FJCVTZS (FEAT_JSCVT),
// FRINT32/64 (FEAT_FRINTTS), BFCVT (FEAT_BF16), DotProd, RDM, FCMA, I8MM,
// SHA512, SHA3, SM3/SM4.
import { emit, undef, rZ, wZ, bits, bit } from "./entry";
import * as O from "./ops";
import { decodeIntThreeSame, decodeThreeDifferent } from "./simd_three";
import { decodeTableLookup, decodePermute, decodeExtract } from "./simd_permute";
import {
  decodeFpThreeSame, decodeFpTwoRegMisc, decodeFpAcrossLanes, decodeScalarPairwise, decodeFpByElement, decodeFpShiftImm,
} from "./simd_fp";
import { decodeIntTwoRegMisc, decodeIntAcrossLanes, decodeIntShiftImm, decodeIntByElement } from "./simd_misc";
import { decodeCryptoAES, decodeCryptoSha3, decodeCryptoSha2 } from "./crypto";
import { FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, FPRounding_ZERO, FPRounding_TIEAWAY } from "../fp/index";

// ftype (insn 23:22) to N: 00 single, 01 double; 11 half (only for FCVT), 10 none.
@inline function ftypeN(ftype: u32): u32 { return ftype == 0 ? 32 : ftype == 1 ? 64 : ftype == 3 ? 16 : 0; }

export function decodeSimdFp(insn: u32, e: usize): void {
  // Scalar floating point: M 0 S 1111x ...
  if ((insn & 0x5e00_0000) == 0x1e00_0000) { decodeScalarFP(insn, e); return; }
  if (insn & 0x8000_0000) { undef(e); return; }  // op0 = 1xxx: unallocated (SVE lives elsewhere)
  if (insn & 0x1000_0000) { decodeScalarAdvSimd(insn, e); return; } // op0 = 01x1
  // Cryptographic AES: 01001110 00 10100 opcode(5) 10 Rn Rd
  if ((insn & 0xff3e_0c00) == 0x4e28_0800) { decodeCryptoAES(insn, e); return; }
  if (insn & 0x0100_0000) { // op0 = 0xx0, op1 = 1x: modified immediate, shift by immediate, by element
    if ((insn & 0x9f80_0400) == 0x0f00_0400) {
      // immh = 0: modified immediate; otherwise shift by immediate.
      if (bits(insn, 22, 19) == 0) decodeModifiedImmediate(insn, e);
      else decodeShiftByImmediate(insn, e, false);
      return;
    }
    if ((insn & 0x9f00_0400) == 0x0f00_0000) { decodeByElement(insn, e, false); return; }
    undef(e);
    return;
  }
  // Table lookup: 0 Q 001110 op2 0 Rm 0 len op 00 Rn Rd
  if ((insn & 0xbf20_8c00) == 0x0e00_0000) { decodeTableLookup(insn, e); return; }
  // Permute: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd
  if ((insn & 0xbf20_8c00) == 0x0e00_0800) { decodePermute(insn, e); return; }
  // Extract: 0 Q 101110 op2 0 Rm 0 imm4 0 Rn Rd
  if ((insn & 0xbf20_8400) == 0x2e00_0000) { decodeExtract(insn, e); return; }
  // Copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd
  if ((insn & 0x9fe0_8400) == 0x0e00_0400) { decodeCopy(insn, e); return; }
  // Two-register misc: 0 Q U 01110 size 10000 opcode 10 Rn Rd
  if ((insn & 0x9f3e_0c00) == 0x0e20_0800) { decodeTwoRegMisc(insn, e, false); return; }
  // Across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd
  if ((insn & 0x9f3e_0c00) == 0x0e30_0800) {
    let opcode = bits(insn, 16, 12);
    if (opcode == 0x0c || opcode == 0x0f) decodeFpAcrossLanes(insn, e); else decodeIntAcrossLanes(insn, e);
    return;
  }
  // Three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd
  if ((insn & 0x9f20_0c00) == 0x0e20_0000) { decodeThreeDifferent(insn, e, false); return; }
  // Three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd
  if ((insn & 0x9f20_0400) == 0x0e20_0400) { decodeThreeSame(insn, e, false); return; }
  // Three same FP16, two-register misc FP16, three same extra (FEAT_FP16,
  // FEAT_DotProd, FEAT_RDM, FEAT_FCMA...): not implemented, not advertised.
  undef(e);
}

// op0 = 01x1: the scalar Advanced SIMD groups and the SHA instructions.
function decodeScalarAdvSimd(insn: u32, e: usize): void {
  // Cryptographic three-register SHA: 01011110 00 0 Rm 0 opcode 00 Rn Rd
  if ((insn & 0xff20_8c00) == 0x5e00_0000) { decodeCryptoSha3(insn, e); return; }
  // Cryptographic two-register SHA: 01011110 00 10100 opcode 10 Rn Rd
  if ((insn & 0xff3e_0c00) == 0x5e28_0800) { decodeCryptoSha2(insn, e); return; }
  if (insn & 0x0100_0000) { // op1 = 1x: shift by immediate, by element
    if ((insn & 0xdf80_0400) == 0x5f00_0400) {
      if (bits(insn, 22, 19) == 0) undef(e); else decodeShiftByImmediate(insn, e, true);
      return;
    }
    if ((insn & 0xdf00_0400) == 0x5f00_0000) { decodeByElement(insn, e, true); return; }
    undef(e);
    return;
  }
  // Scalar copy: 01 op 11110000 imm5 0 imm4 1 Rn Rd (only DUP (element), op 0 imm4 0000)
  if ((insn & 0xffe0_fc00) == 0x5e00_0400) {
    let imm5 = bits(insn, 20, 16);
    let size = <u32>ctz(imm5);
    if (size > 3) { undef(e); return; }
    emit(e, O.OP_SIMD_DUP_ELEM, bits(insn, 4, 0), bits(insn, 9, 5), size, 2, imm5 >> (size + 1), 0);
    return;
  }
  // Scalar two-register misc: 01 U 11110 size 10000 opcode 10 Rn Rd
  if ((insn & 0xdf3e_0c00) == 0x5e20_0800) { decodeTwoRegMisc(insn, e, true); return; }
  // Scalar pairwise: 01 U 11110 size 11000 opcode 10 Rn Rd
  if ((insn & 0xdf3e_0c00) == 0x5e30_0800) { decodeScalarPairwise(insn, e); return; }
  // Scalar three different: 01 U 11110 size 1 Rm opcode 00 Rn Rd
  if ((insn & 0xdf20_0c00) == 0x5e20_0000) { decodeThreeDifferent(insn, e, true); return; }
  // Scalar three same: 01 U 11110 size 1 Rm opcode 1 Rn Rd
  if ((insn & 0xdf20_0400) == 0x5e20_0400) { decodeThreeSame(insn, e, true); return; }
  undef(e);
}

// The groups that mix integer and floating-point encodings are split here
// between the integer decoders and the floating-point one (decode/simd_fp.ts).
// Three same: opcode (insn 15:11) 11xxx is floating point.
function decodeThreeSame(insn: u32, e: usize, scalar: bool): void {
  if (bits(insn, 15, 11) >= 0x18) decodeFpThreeSame(insn, e, scalar); else decodeIntThreeSame(insn, e, scalar);
}
// Two-register misc: opcode (insn 16:12) 011xx (FCMxx #0, FABS, FNEG) and 1011x and above are floating point.
function decodeTwoRegMisc(insn: u32, e: usize, scalar: bool): void {
  let opcode = bits(insn, 16, 12);
  if (opcode >= 0x16 || (opcode >= 0x0c && opcode <= 0x0f)) decodeFpTwoRegMisc(insn, e, scalar);
  else decodeIntTwoRegMisc(insn, e, scalar);
}
// Shift by immediate: opcode (insn 15:11) 11100 (SCVTF/UCVTF) and 11111 (FCVTZS/FCVTZU) are floating point.
function decodeShiftByImmediate(insn: u32, e: usize, scalar: bool): void {
  let opcode = bits(insn, 15, 11);
  if (opcode == 0x1c || opcode == 0x1f) decodeFpShiftImm(insn, e, scalar); else decodeIntShiftImm(insn, e, scalar);
}
// By element: opcode (insn 15:12) 0001 (FMLA, FCMLA), 0101 (FMLS), 1001 (FMUL, FMULX) are floating point.
function decodeByElement(insn: u32, e: usize, scalar: bool): void {
  let opcode = bits(insn, 15, 12);
  if (opcode == 1 || opcode == 5 || opcode == 9) decodeFpByElement(insn, e, scalar); else decodeIntByElement(insn, e, scalar);
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
