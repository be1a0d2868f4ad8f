// FPRoundInt, FPRoundIntN, FPToFixed, FixedToFP, FPConvert, FPToFixedJS,
// FPRecpX.
import {
  fpFlags, FPSR_IOC, FPSR_IXC, FPCR_DN, FPCR_AHP,
  FPType_Zero, FPType_Infinity, FPType_QNaN, FPType_SNaN,
  FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, FPRounding_ZERO, FPRounding_TIEAWAY,
  fracBits, expBits, signBit, absMask,
  FPZero, FPInfinity, FPDefaultNaN,
  uSign, uExp, uSig, unpack, unpackCV, processNaN, roundPack,
} from "./fpcore";

// Integer part and fraction of the value m * 2^e (m normalized): sets gInt and
// gFrac (the fraction left-aligned in 64 bits: 0x8000... is one half; low bits
// of a longer fraction are jammed into bit 0). Returns false when the value
// is 2^64 or more (gInt would not fit).
let gInt: u64 = 0;
let gFrac: u64 = 0;
function splitInt(m: u64, e: i32): bool {
  if (e > 0) return false;
  if (e == 0) {
    gInt = m;
    gFrac = 0;
  } else if (e > -64) {
    gInt = m >> <u64>(-e);
    gFrac = m << <u64>(64 + e);
  } else if (e == -64) {
    gInt = 0;
    gFrac = m;
  } else {
    gInt = 0;
    gFrac = e > -128 ? (m >> <u64>(-64 - e)) | ((m << <u64>(128 + e)) != 0 ? 1 : 0) : 1;
  }
  return true;
}

// Whether rounding the magnitude int+frac of a value of sign `sign` increments
// it (the pseudocode's round_up, expressed on the magnitude).
@inline function roundUpMag(int: u64, frac: u64, sign: u32, rounding: i32): bool {
  const H: u64 = 0x8000_0000_0000_0000;
  switch (rounding) {
    case FPRounding_TIEEVEN: return frac > H || (frac == H && (int & 1) != 0);
    case FPRounding_POSINF: return frac != 0 && sign == 0;
    case FPRounding_NEGINF: return frac != 0 && sign != 0;
    case FPRounding_TIEAWAY: return frac >= H;
    default: return false;
  }
}

// FPRoundInt (FRINTN/P/M/Z/A: exact=false; FRINTX, and FRINTI with the FPCR
// mode: FRINTX exact=true, FRINTI exact=false).
export function FPRoundInt(op: u64, fpcr: u32, rounding: i32, exact: bool, N: i32): u64 {
  const t = unpack(op, N, fpcr);
  const s = uSign;
  if (t >= FPType_QNaN) return processNaN(t, op, N, fpcr);
  if (t == FPType_Infinity) return FPInfinity(s, N);
  if (t == FPType_Zero) return FPZero(s, N);
  if (!splitInt(uSig, uExp) || gFrac == 0) return op & (signBit(N) | absMask(N)); // already integral
  let int = gInt;
  if (roundUpMag(int, gFrac, s, rounding)) int++;
  if (exact) fpFlags |= FPSR_IXC;
  if (int == 0) return FPZero(s, N);
  return roundPack(s, 0, int, N, fpcr, FPRounding_ZERO, false);
}

// FPRoundIntN (FRINT32Z/X, FRINT64Z/X; N = 32 or 64, intsize = 32 or 64).
export function FPRoundIntN(op: u64, fpcr: u32, rounding: i32, intsize: i32, N: i32): u64 {
  const t = unpack(op, N, fpcr);
  const s = uSign;
  // -2^(intsize-1) as the N-bit format
  const ovf = signBit(N) | (<u64>((1 << (expBits(N) - 1)) - 2 + intsize) << <u64>fracBits(N));
  if (t >= FPType_Infinity) {
    fpFlags |= FPSR_IOC;
    return ovf;
  }
  if (t == FPType_Zero) return FPZero(s, N);
  let int: u64 = 0, frac: u64 = 0;
  let big = !splitInt(uSig, uExp);
  if (!big) {
    int = gInt;
    frac = gFrac;
    if (roundUpMag(int, frac, s, rounding)) int++;
    const lim = <u64>1 << <u64>(intsize - 1); // magnitude limit: 2^(intsize-1) (negative), -1 (positive)
    big = s ? int > lim : int >= lim;
  }
  if (big) {
    fpFlags |= FPSR_IOC;
    return ovf;
  }
  if (frac != 0) fpFlags |= FPSR_IXC;
  if (int == 0) return FPZero(s, N);
  return roundPack(s, 0, int, N, fpcr, FPRounding_ZERO, false);
}

// FPToFixed: the N-bit floating-point op times 2^fbits, rounded, saturated to
// an M-bit (16, 32 or 64) signed or unsigned integer, zero-extended into the
// u64 result. FCVT{N,P,M,Z,A}{S,U} (fbits 0) and FCVTZ{S,U} fixed-point
// (M = 16 for the Advanced SIMD half-precision forms).
// NaN: 0 and Invalid; out of range: saturated and Invalid; else Inexact if
// not exact.
export function FPToFixed(op: u64, fbits: i32, unsigned: bool, fpcr: u32, rounding: i32, N: i32, M: i32): u64 {
  const t = unpack(op, N, fpcr);
  const s = uSign;
  if (t >= FPType_QNaN) {
    fpFlags |= FPSR_IOC;
    return 0;
  }
  if (t == FPType_Zero) return 0;
  const mMask: u64 = M == 64 ? <u64>-1 : ((<u64>1 << <u64>M) - 1);
  let mag: u64 = 0, frac: u64 = 0;
  let ovf = t == FPType_Infinity || !splitInt(uSig, uExp + fbits);
  if (!ovf) {
    mag = gInt;
    frac = gFrac;
    if (roundUpMag(mag, frac, s, rounding)) mag++; // mag < 2^64 - 1 here unless frac == 0
    if (unsigned) {
      ovf = s ? mag != 0 : mag > mMask;
    } else {
      const lim = <u64>1 << <u64>(M - 1);
      ovf = s ? mag > lim : mag >= lim;
    }
  }
  if (ovf) {
    fpFlags |= FPSR_IOC;
    if (unsigned) return s ? 0 : mMask;
    return s ? (<u64>1 << <u64>(M - 1)) : ((<u64>1 << <u64>(M - 1)) - 1);
  }
  if (frac != 0) fpFlags |= FPSR_IXC;
  return (s ? 0 - mag : mag) & mMask;
}

// FixedToFP: the M-bit (16, 32 or 64) signed or unsigned integer op divided
// by 2^fbits, rounded to the N-bit format (SCVTF, UCVTF).
export function FixedToFP(op: u64, fbits: i32, unsigned: bool, fpcr: u32, rounding: i32, N: i32, M: i32): u64 {
  let x = op;
  let s: u32 = 0;
  if (M != 64) {
    const top = <u64>1 << <u64>(M - 1);
    x &= (top << 1) - 1;
    if (!unsigned && (x & top)) {
      s = 1;
      x = (top << 1) - x;
    }
  } else if (!unsigned && (<i64>x < 0)) {
    s = 1;
    x = 0 - x;
  }
  if (x == 0) return 0;
  return roundPack(s, -fbits, x, N, fpcr, rounding, false);
}

// FPConvert: from N-bit op to M-bit (FCVT; FCVTXN with FPRounding_ODD).
// FPCR.AHP selects the alternative half-precision format for a half operand
// or result; FZ16 is ignored; FZ applies to single and double.
export function FPConvert(op: u64, fpcr: u32, rounding: i32, N: i32, M: i32): u64 {
  const t = unpackCV(op, N, fpcr);
  const s = uSign;
  const altHP = M == 16 && (fpcr & FPCR_AHP) != 0;
  if (t >= FPType_QNaN) {
    if (t == FPType_SNaN || altHP) fpFlags |= FPSR_IOC;
    if (altHP) return FPZero(s, 16);
    if (fpcr & FPCR_DN) return FPDefaultNaN(M);
    return FPConvertNaN(op, N, M);
  }
  if (t == FPType_Infinity) {
    if (altHP) {
      fpFlags |= FPSR_IOC;
      return FPZero(s, 16) | 0x7FFF;
    }
    return FPInfinity(s, M);
  }
  if (t == FPType_Zero) return FPZero(s, M);
  return roundPack(s, uExp, uSig, M, fpcr, rounding, true);
}

// FPConvertNaN: quiet NaN of M bits with op's sign and most significant payload bits.
export function FPConvertNaN(op: u64, N: i32, M: i32): u64 {
  const s = <u32>(op >> <u64>(N - 1)) & 1;
  // 51 payload bits below the quiet bit, left-aligned
  const frac51 = (op & ((<u64>1 << <u64>(fracBits(N) - 1)) - 1)) << <u64>(52 - fracBits(N));
  const FM = fracBits(M);
  return FPInfinity(s, M) | (<u64>1 << <u64>(FM - 1)) | (frac51 >> <u64>(52 - FM));
}

// FPToFixedJS (FJCVTZS): double to 32-bit signed integer, rounding toward
// zero, modulo 2^32. Returns the result zero-extended; sets fpjsZ to the Z
// flag (PSTATE.NZCV = fpjsZ ? 0x4000_0000 : 0).
export let fpjsZ: bool = false;
export function FPToFixedJS(op: u64, fpcr: u32): u64 {
  const t = unpack(op, 64, fpcr);
  const s = uSign;
  fpjsZ = false;
  if (t >= FPType_QNaN) {
    fpFlags |= FPSR_IOC;
    return 0;
  }
  if (t == FPType_Infinity) {
    fpFlags |= FPSR_IOC;
    return 0;
  }
  if (t == FPType_Zero) {
    fpjsZ = s == 0 && (op & 0x000F_FFFF_FFFF_FFFF) == 0;
    return 0;
  }
  const m = uSig, e = uExp;
  let low: u32;
  let ovf: bool;
  let frac: u64 = 0;
  if (e >= 0) {
    low = e < 64 ? <u32>(m << <u64>e) : 0;
    ovf = true;
  } else {
    splitInt(m, e);
    low = <u32>gInt;
    frac = gFrac;
    ovf = s ? gInt > 0x8000_0000 : gInt > 0x7FFF_FFFF;
  }
  if (ovf) fpFlags |= FPSR_IOC;
  else if (frac != 0) fpFlags |= FPSR_IXC;
  else fpjsZ = true;
  const r: u32 = s ? 0 - low : low;
  return <u64>r;
}

// FPRecpX (FRECPX)
export function FPRecpX(op: u64, fpcr: u32, N: i32): u64 {
  const t = unpack(op, N, fpcr);
  if (t >= FPType_QNaN) return processNaN(t, op, N, fpcr);
  const F = fracBits(N);
  const eMask: u64 = (<u64>1 << <u64>expBits(N)) - 1;
  const ef = (op >> <u64>F) & eMask;
  const sb = op & signBit(N);
  if (ef == 0) return sb | ((eMask - 1) << <u64>F);
  return sb | ((~ef & eMask) << <u64>F);
}
