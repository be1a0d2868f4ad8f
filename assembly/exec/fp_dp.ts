// Semantics: scalar floating-point data processing, on the Arm-exact library
// in assembly/fp (raw bit patterns, flags accumulated and merged into FPSR
// once per instruction). Scalar results are written as V[d] = ZeroExtend(result).
// Field layouts are in decode/ops.ts.
import { getX, setX, getNZCV, setNZCV, conditionHolds } from "../cpu/state";
import { fA, fB, fC, fD, fF } from "../decode/entry";
import * as O from "../decode/ops";
import {
  FPAdd, FPSub, FPMul, FPDiv, FPMulAdd, FPSqrt, FPMax, FPMin, FPMaxNum, FPMinNum, FPCompare,
  FPAbs, FPNeg, FPRoundInt, FPToFixed, FixedToFP, FPConvert, fpRMode,
  FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, FPRounding_ZERO, FPRounding_TIEAWAY,
} from "../fp/index";
import { fpTrapEL, fpAccessTrap, vAddr, vLo, vHi, setVScalar, fpcr, mergeFPFlags } from "./simdfp";

@inline function nOf(w: u64): i32 { return <i32>(fF(w) & 0xff); }
@inline function lowBits(x: u64, n: i32): u64 { return n == 64 ? x : x & ((<u64>1 << <u64>n) - 1); }

// FMOV (register), FABS, FNEG, FSQRT, FCVT (between half, single, double),
// FRINTN/P/M/Z/A/X/I. c = opcode (insn 20:15).
export function execFpDp1(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = nOf(w), x = vLo(fB(w)), cr = fpcr();
  let r: u64;
  switch (fC(w)) {
    case 0: r = lowBits(x, n); break;
    case 1: r = FPAbs(x, n); break;
    case 2: r = FPNeg(x, n); break;
    case 3: r = FPSqrt(x, cr, n); break;
    case 4: r = FPConvert(x, cr, fpRMode(cr), n, 32); break;
    case 5: r = FPConvert(x, cr, fpRMode(cr), n, 64); break;
    case 7: r = FPConvert(x, cr, fpRMode(cr), n, 16); break;
    case 8: r = FPRoundInt(x, cr, FPRounding_TIEEVEN, false, n); break;
    case 9: r = FPRoundInt(x, cr, FPRounding_POSINF, false, n); break;
    case 10: r = FPRoundInt(x, cr, FPRounding_NEGINF, false, n); break;
    case 11: r = FPRoundInt(x, cr, FPRounding_ZERO, false, n); break;
    case 12: r = FPRoundInt(x, cr, FPRounding_TIEAWAY, false, n); break;
    case 14: r = FPRoundInt(x, cr, fpRMode(cr), true, n); break;    // FRINTX
    default: r = FPRoundInt(x, cr, fpRMode(cr), false, n); break;   // 15: FRINTI
  }
  setVScalar(fA(w), r);
  mergeFPFlags();
  return O.R_NEXT;
}

// FMUL, FDIV, FADD, FSUB, FMAX, FMIN, FMAXNM, FMINNM, FNMUL (d = opcode).
export function execFpDp2(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = nOf(w), a = vLo(fB(w)), b = vLo(fC(w)), cr = fpcr();
  let r: u64;
  switch (fD(w)) {
    case 0: r = FPMul(a, b, cr, n); break;
    case 1: r = FPDiv(a, b, cr, n); break;
    case 2: r = FPAdd(a, b, cr, n); break;
    case 3: r = FPSub(a, b, cr, n); break;
    case 4: r = FPMax(a, b, cr, n); break;
    case 5: r = FPMin(a, b, cr, n); break;
    case 6: r = FPMaxNum(a, b, cr, n); break;
    case 7: r = FPMinNum(a, b, cr, n); break;
    default: r = FPNeg(FPMul(a, b, cr, n), n); break; // 8: FNMUL
  }
  setVScalar(fA(w), r);
  mergeFPFlags();
  return O.R_NEXT;
}

// FMADD, FMSUB, FNMADD, FNMSUB (f bits 9:8 = o1:o0); the negations are of
// the raw operands, NaNs included, as the Arm ARM has them.
export function execFpDp3(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = nOf(w), x = vLo(fB(w)), y = vLo(fC(w)), acc = vLo(fD(w)), cr = fpcr();
  let kind = fF(w) >> 8;
  if (kind & 2) acc = FPNeg(acc, n);              // FNMADD, FNMSUB
  if (kind == 1 || kind == 2) x = FPNeg(x, n);    // FMSUB, FNMADD
  setVScalar(fA(w), FPMulAdd(acc, x, y, cr, n));
  mergeFPFlags();
  return O.R_NEXT;
}

// FCMP, FCMPE (c bit 0 = E, bit 1 = compare with +0.0).
export function execFcmp(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let c = fC(w);
  let b: u64 = (c & 2) ? 0 : vLo(fB(w));
  setNZCV(FPCompare(vLo(fA(w)), b, (c & 1) != 0, fpcr(), nOf(w)));
  mergeFPFlags();
  return O.R_NEXT;
}

// FCCMP, FCCMPE: compare if the condition holds, else NZCV = #nzcv.
export function execFccmp(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  if (conditionHolds(fC(w), getNZCV())) {
    setNZCV(FPCompare(vLo(fA(w)), vLo(fB(w)), (fF(w) & 0x100) != 0, fpcr(), nOf(w)));
    mergeFPFlags();
  } else {
    setNZCV(fD(w) << 28);
  }
  return O.R_NEXT;
}

// FCSEL.
export function execFcsel(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let src = conditionHolds(fD(w), getNZCV()) ? fB(w) : fC(w);
  setVScalar(fA(w), lowBits(vLo(src), nOf(w)));
  return O.R_NEXT;
}

// FCVT{N,P,M,Z,A}{S,U} (c = rounding) and FCVTZ{S,U} (fixed-point): to W or X.
export function execFcvtToInt(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let f = fF(w), d = fD(w);
  let r = FPToFixed(vLo(fB(w)), <i32>(f >> 8), (d & 1) != 0, fpcr(), <i32>fC(w), <i32>(f & 0xff), (d & 2) ? 64 : 32);
  setX(fA(w), r);
  mergeFPFlags();
  return O.R_NEXT;
}

// SCVTF, UCVTF (integer and fixed-point), rounding as FPCR says.
export function execCvtf(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let f = fF(w), d = fD(w), cr = fpcr();
  let r = FixedToFP(getX(fB(w)), <i32>(f >> 8), (d & 1) != 0, cr, fpRMode(cr), <i32>(f & 0xff), (d & 2) ? 64 : 32);
  setVScalar(fA(w), r);
  mergeFPFlags();
  return O.R_NEXT;
}

// FMOV (general), to a general register: Wd <- Sn, Xd <- Dn, Xd <- Vn.D[1].
export function execFmovToGP(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), k = fC(w);
  setX(fA(w), k == 0 ? vLo(n) & 0xffff_ffff : k == 1 ? vLo(n) : vHi(n));
  return O.R_NEXT;
}

// FMOV (general), from a general register: Sd <- Wn, Dd <- Xn (the rest of
// V[d] zeroed), Vd.D[1] <- Xn (D[0] kept).
export function execFmovFromGP(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let x = getX(fB(w)), d = fA(w), k = fC(w);
  if (k == 2) store<u64>(vAddr(d), x, 8);
  else setVScalar(d, k == 0 ? x & 0xffff_ffff : x);
  return O.R_NEXT;
}
