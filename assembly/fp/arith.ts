// FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPMulAdd, FPSqrt, FPRecipStepFused,
// FPRSqrtStepFused (Arm ARM shared/functions/float). Operands and results are
// raw bit patterns in the low N bits (N = 16, 32, 64); see fpcore.ts for the
// FPCR/flag conventions.
import {
  fpFlags, FPSR_IOC, FPSR_DZC,
  FPType_Zero, FPType_Nonzero, FPType_Infinity, FPType_QNaN, FPType_SNaN,
  FPRounding_NEGINF, fpRMode, fracBits,
  FPZero, FPInfinity, FPDefaultNaN, FPPow2, signBit,
  uSign, uExp, uSig, unpack, processNaN, processNaNs, processNaNs3,
  shiftRightJam, mul64x64, mulHi, mulLo, roundPack, roundPack128,
} from "./fpcore";
import { FPConvertNaN } from "./convert";
import {
  NO_FAST, fastAdd64, fastMul64, fastDiv64, fastSqrt64, fastAdd32, fastMul32, fastDiv32, fastSqrt32,
  fastMulAdd32, fastMulAdd64,
} from "./fast";

// ---- FPAdd / FPSub ------------------------------------------------------------

function addSub(op1: u64, op2: u64, fpcr: u32, N: i32, neg: u32): u64 {
  const t1 = unpack(op1, N, fpcr);
  let s1 = uSign, e1 = uExp, m1 = uSig;
  const t2 = unpack(op2, N, fpcr);
  let s2 = uSign ^ neg, e2 = uExp, m2 = uSig;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) return processNaNs(t1, t2, op1, op2, N, fpcr);
  const rounding = fpRMode(fpcr);
  if (t1 == FPType_Infinity) {
    if (t2 == FPType_Infinity && s1 != s2) {
      fpFlags |= FPSR_IOC;
      return FPDefaultNaN(N);
    }
    return FPInfinity(s1, N);
  }
  if (t2 == FPType_Infinity) return FPInfinity(s2, N);
  if (t1 == FPType_Zero) {
    if (t2 == FPType_Zero) return FPZero(s1 == s2 ? s1 : (rounding == FPRounding_NEGINF ? 1 : 0), N);
    return roundPack(s2, e2, m2, N, fpcr, rounding, false); // exact
  }
  if (t2 == FPType_Zero) return roundPack(s1, e1, m1, N, fpcr, rounding, false); // exact
  // Both nonzero and finite: make operand 1 the larger in magnitude.
  if (e1 < e2 || (e1 == e2 && m1 < m2)) {
    let ts = s1; s1 = s2; s2 = ts;
    let te = e1; e1 = e2; e2 = te;
    let tm = m1; m1 = m2; m2 = tm;
  }
  const a = m1 >> 1;
  const b = shiftRightJam(m2 >> 1, e1 - e2);
  let r: u64;
  if (s1 == s2) {
    r = a + b;
  } else {
    r = a - b;
    if (r == 0) return FPZero(rounding == FPRounding_NEGINF ? 1 : 0, N);
  }
  return roundPack(s1, e1 + 1, r, N, fpcr, rounding, false);
}

export function FPAdd(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  if (N == 64) {
    const r = fastAdd64(op1, op2, fpcr);
    if (r != NO_FAST) return r;
  } else if (N == 32) {
    const r = fastAdd32(op1, op2, fpcr);
    if (r != NO_FAST) return r;
  }
  return addSub(op1, op2, fpcr, N, 0);
}

export function FPSub(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  if (N == 64) {
    const r = fastAdd64(op1, op2 ^ 0x8000_0000_0000_0000, fpcr);
    if (r != NO_FAST) return r;
  } else if (N == 32) {
    const r = fastAdd32(op1, op2 ^ 0x8000_0000, fpcr);
    if (r != NO_FAST) return r;
  }
  return addSub(op1, op2, fpcr, N, 1);
}

// ---- FPMul / FPMulX -----------------------------------------------------------

// FPMulX: inf * 0 gives +-2.0 instead of Invalid.
function mulCore(op1: u64, op2: u64, fpcr: u32, N: i32, mulx: bool): u64 {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign, e1 = uExp, m1 = uSig;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign, e2 = uExp, m2 = uSig;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) return processNaNs(t1, t2, op1, op2, N, fpcr);
  const s = s1 ^ s2;
  const inf1 = t1 == FPType_Infinity, inf2 = t2 == FPType_Infinity;
  const zero1 = t1 == FPType_Zero, zero2 = t2 == FPType_Zero;
  if ((inf1 && zero2) || (zero1 && inf2)) {
    if (mulx) return FPPow2(s, 1, N);
    fpFlags |= FPSR_IOC;
    return FPDefaultNaN(N);
  }
  if (inf1 || inf2) return FPInfinity(s, N);
  if (zero1 || zero2) return FPZero(s, N);
  const rounding = fpRMode(fpcr);
  if (N != 64) {
    // (F+1)-bit integer mantissas: the product fits in 64 bits.
    const sh = <u64>(63 - fracBits(N));
    return roundPack(s, e1 + e2 + 2 * <i32>sh, (m1 >> sh) * (m2 >> sh), N, fpcr, rounding, false);
  }
  mul64x64(m1, m2);
  return roundPack128(s, e1 + e2, mulHi, mulLo, N, fpcr, rounding);
}

export function FPMul(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  if (N == 64) {
    const r = fastMul64(op1, op2, fpcr);
    if (r != NO_FAST) return r;
  } else if (N == 32) {
    const r = fastMul32(op1, op2, fpcr);
    if (r != NO_FAST) return r;
  }
  return mulCore(op1, op2, fpcr, N, false);
}

export function FPMulX(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  return mulCore(op1, op2, fpcr, N, true);
}

// ---- FPDiv ----------------------------------------------------------------------

export function FPDiv(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  if (N == 64) {
    const r = fastDiv64(op1, op2, fpcr);
    if (r != NO_FAST) return r;
  } else if (N == 32) {
    const r = fastDiv32(op1, op2, fpcr);
    if (r != NO_FAST) return r;
  }
  return divSlow(op1, op2, fpcr, N);
}

function divSlow(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign, e1 = uExp, m1 = uSig;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign, e2 = uExp, m2 = uSig;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) return processNaNs(t1, t2, op1, op2, N, fpcr);
  const s = s1 ^ s2;
  const inf1 = t1 == FPType_Infinity, inf2 = t2 == FPType_Infinity;
  const zero1 = t1 == FPType_Zero, zero2 = t2 == FPType_Zero;
  if ((inf1 && inf2) || (zero1 && zero2)) {
    fpFlags |= FPSR_IOC;
    return FPDefaultNaN(N);
  }
  if (inf1 || zero2) {
    if (!inf1) fpFlags |= FPSR_DZC;
    return FPInfinity(s, N);
  }
  if (zero1 || inf2) return FPZero(s, N);
  // Integer mantissas of at most 53 bits; long division 11 quotient bits at a time.
  const sh = <u64>(63 - fracBits(N));
  const a = m1 >> sh, b = m2 >> sh;
  let q = a / b;
  let r = a - q * b;
  // N=64 needs 1+55 quotient bits; single 1+33, half 1+22.
  const steps = N == 64 ? 5 : (N == 32 ? 3 : 2);
  for (let i = 0; i < steps; i++) {
    const rr = r << 11;
    const d = rr / b;
    q = (q << 11) | d;
    r = rr - d * b;
  }
  return roundPack(s, e1 - e2 - 11 * steps, q | (r != 0 ? 1 : 0), N, fpcr, fpRMode(fpcr), false);
}

// ---- FPMulAdd and the fused step functions ---------------------------------------

// Exact addend + op1*op2 (optionally halved), rounded once. The addend is
// (tA, sA, eA, mA) as unpacked, with tA Zero or Nonzero; the product factors
// are nonzero finite, or a zero factor is flagged by zeroP (exact zero product
// of sign sP). Handles the zero cases the pseudocode gives for result_value.
function fusedCore(tA: i32, sA: u32, eA: i32, mA: u64, sP: u32, zeroP: bool,
                   e1: i32, m1: u64, e2: i32, m2: u64, halve: i32,
                   N: i32, fpcr: u32): u64 {
  const rounding = fpRMode(fpcr);
  if (zeroP) {
    if (tA == FPType_Zero) return FPZero(rounding == FPRounding_NEGINF ? 1 : 0, N);
    return roundPack(sA, eA - halve, mA, N, fpcr, rounding, false);
  }
  mul64x64(m1, m2); // in [2^126, 2^128)
  // Product and addend as 128-bit values with their leading bit at 124..125.
  let pHi = mulHi, pLo = mulLo;
  pLo = (pLo >> 2) | (pHi << 62);
  pHi >>= 2;
  let pScale = e1 + e2 + 2;
  if (tA == FPType_Zero) return roundPack128(sP, pScale - halve, pHi, pLo, N, fpcr, rounding);
  let aHi = mA >> 2, aLo = mA << 62;
  let aScale = eA - 62;
  // Align the operand of smaller scale to the other.
  let xHi: u64, xLo: u64, yHi: u64, yLo: u64; // x: larger scale (unshifted), y: shifted
  let sx: u32, sy: u32, scale: i32, d: i32;
  if (pScale >= aScale) {
    xHi = pHi; xLo = pLo; sx = sP; yHi = aHi; yLo = aLo; sy = sA;
    scale = pScale; d = pScale - aScale;
  } else {
    xHi = aHi; xLo = aLo; sx = sA; yHi = pHi; yLo = pLo; sy = sP;
    scale = aScale; d = aScale - pScale;
  }
  // (yHi:yLo) >>= d with jamming.
  if (d > 0) {
    if (d >= 128) {
      yLo = (yHi | yLo) != 0 ? 1 : 0;
      yHi = 0;
    } else if (d >= 64) {
      const sticky: u64 = (yLo != 0 || (d > 64 && (yHi << <u64>(128 - d)) != 0)) ? 1 : 0;
      yLo = (d == 64 ? yHi : (yHi >> <u64>(d - 64))) | sticky;
      yHi = 0;
    } else {
      const sticky: u64 = (yLo << <u64>(64 - d)) != 0 ? 1 : 0;
      yLo = (yLo >> <u64>d) | (yHi << <u64>(64 - d)) | sticky;
      yHi >>= <u64>d;
    }
  }
  let rHi: u64, rLo: u64, rs: u32;
  if (sx == sy) {
    rLo = xLo + yLo;
    rHi = xHi + yHi + (rLo < xLo ? 1 : 0);
    rs = sx;
  } else if (xHi > yHi || (xHi == yHi && xLo >= yLo)) {
    rLo = xLo - yLo;
    rHi = xHi - yHi - (xLo < yLo ? 1 : 0);
    rs = sx;
  } else {
    rLo = yLo - xLo;
    rHi = yHi - xHi - (yLo < xLo ? 1 : 0);
    rs = sy;
  }
  if ((rHi | rLo) == 0) return FPZero(rounding == FPRounding_NEGINF ? 1 : 0, N);
  return roundPack128(rs, scale - halve, rHi, rLo, N, fpcr, rounding);
}

// FPMulAdd(addend, op1, op2): addend + op1*op2 with a single rounding.
// The A64 instructions map onto it as (Arm ARM FMADD/FMSUB/FNMADD/FNMSUB):
//   FMADD  d = FPMulAdd(a, n, m)
//   FMSUB  d = FPMulAdd(a, FPNeg(n), m)
//   FNMADD d = FPMulAdd(FPNeg(a), FPNeg(n), m)
//   FNMSUB d = FPMulAdd(FPNeg(a), n, m)
// (the negations are applied by the caller to the raw operands, NaNs included;
// FMLA/FMLS vector: FPMulAdd(d, n, m) / FPMulAdd(d, FPNeg(n), m)).
export function FPMulAdd(addend: u64, op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  if (N == 64) {
    const r = fastMulAdd64(addend, op1, op2, fpcr);
    if (r != NO_FAST) return r;
  } else if (N == 32) {
    const r = fastMulAdd32(addend, op1, op2, fpcr);
    if (r != NO_FAST) return r;
  }
  const tA = unpack(addend, N, fpcr);
  const sA = uSign, eA = uExp, mA = uSig;
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign, e1 = uExp, m1 = uSig;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign, e2 = uExp, m2 = uSig;
  const inf1 = t1 == FPType_Infinity, zero1 = t1 == FPType_Zero;
  const inf2 = t2 == FPType_Infinity, zero2 = t2 == FPType_Zero;
  if (tA >= FPType_QNaN || t1 >= FPType_QNaN || t2 >= FPType_QNaN) {
    let r = processNaNs3(tA, t1, t2, addend, op1, op2, N, fpcr);
    if (tA == FPType_QNaN && ((inf1 && zero2) || (zero1 && inf2))) {
      fpFlags |= FPSR_IOC;
      r = FPDefaultNaN(N);
    }
    return r;
  }
  const infA = tA == FPType_Infinity, zeroA = tA == FPType_Zero;
  const sP = s1 ^ s2;
  const infP = inf1 || inf2;
  const zeroP = zero1 || zero2;
  if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && sA != sP)) {
    fpFlags |= FPSR_IOC;
    return FPDefaultNaN(N);
  }
  if (infA) return FPInfinity(sA, N);
  if (infP) return FPInfinity(sP, N);
  if (zeroA && zeroP && sA == sP) return FPZero(sA, N);
  return fusedCore(tA, sA, eA, mA, sP, zeroP, e1, m1, e2, m2, 0, N, fpcr);
}

// FPMulAddH (FMLAL, FMLAL2; FMLSL/FMLSL2 with FPNeg(op1)): the single
// addend + the product of two half-precision operands, fused, rounded to
// single. The halves are unpacked as half precision (FZ16 flushing), NaN
// operands converted to single (FPProcessNaNs3H).
export function FPMulAddH(addend: u64, op1: u64, op2: u64, fpcr: u32): u64 {
  const tA = unpack(addend, 32, fpcr);
  const sA = uSign, eA = uExp, mA = uSig;
  const t1 = unpack(op1, 16, fpcr);
  const s1 = uSign, e1 = uExp, m1 = uSig;
  const t2 = unpack(op2, 16, fpcr);
  const s2 = uSign, e2 = uExp, m2 = uSig;
  const inf1 = t1 == FPType_Infinity, zero1 = t1 == FPType_Zero;
  const inf2 = t2 == FPType_Infinity, zero2 = t2 == FPType_Zero;
  if (tA >= FPType_QNaN || t1 >= FPType_QNaN || t2 >= FPType_QNaN) {
    let r: u64;
    if (tA == FPType_SNaN) r = processNaN(tA, addend, 32, fpcr);
    else if (t1 == FPType_SNaN) r = FPConvertNaN(processNaN(t1, op1, 16, fpcr), 16, 32);
    else if (t2 == FPType_SNaN) r = FPConvertNaN(processNaN(t2, op2, 16, fpcr), 16, 32);
    else if (tA == FPType_QNaN) r = processNaN(tA, addend, 32, fpcr);
    else if (t1 == FPType_QNaN) r = FPConvertNaN(processNaN(t1, op1, 16, fpcr), 16, 32);
    else r = FPConvertNaN(processNaN(t2, op2, 16, fpcr), 16, 32);
    if (tA == FPType_QNaN && ((inf1 && zero2) || (zero1 && inf2))) {
      fpFlags |= FPSR_IOC;
      r = FPDefaultNaN(32);
    }
    return r;
  }
  const infA = tA == FPType_Infinity, zeroA = tA == FPType_Zero;
  const sP = s1 ^ s2;
  const infP = inf1 || inf2;
  const zeroP = zero1 || zero2;
  if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && sA != sP)) {
    fpFlags |= FPSR_IOC;
    return FPDefaultNaN(32);
  }
  if (infA) return FPInfinity(sA, 32);
  if (infP) return FPInfinity(sP, 32);
  if (zeroA && zeroP && sA == sP) return FPZero(sA, 32);
  return fusedCore(tA, sA, eA, mA, sP, zeroP, e1, m1, e2, m2, 0, 32, fpcr);
}

// FPRecipStepFused (FRECPS): 2.0 - op1*op2, fused.
export function FPRecipStepFused(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  op1 ^= signBit(N); // FPNeg, before NaN processing
  return stepFused(op1, op2, fpcr, N, 0);
}

// FPRSqrtStepFused (FRSQRTS): (3.0 - op1*op2) / 2, fused.
export function FPRSqrtStepFused(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  op1 ^= signBit(N);
  return stepFused(op1, op2, fpcr, N, 1);
}

function stepFused(op1: u64, op2: u64, fpcr: u32, N: i32, rsqrt: i32): u64 {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign, e1 = uExp, m1 = uSig;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign, e2 = uExp, m2 = uSig;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) return processNaNs(t1, t2, op1, op2, N, fpcr);
  const inf1 = t1 == FPType_Infinity, zero1 = t1 == FPType_Zero;
  const inf2 = t2 == FPType_Infinity, zero2 = t2 == FPType_Zero;
  if ((inf1 && zero2) || (zero1 && inf2)) {
    // FPTwo('0') or FPOnePointFive('0')
    return rsqrt ? FPPow2(0, 0, N) | (<u64>1 << <u64>(fracBits(N) - 1)) : FPPow2(0, 1, N);
  }
  if (inf1 || inf2) return FPInfinity(s1 ^ s2, N);
  // addend 2.0 = 2^63 * 2^-62, or 3.0 = 3*2^62 * 2^-62 (then halved)
  const mA: u64 = rsqrt ? 0xC000_0000_0000_0000 : 0x8000_0000_0000_0000;
  return fusedCore(FPType_Nonzero, 0, -62, mA, s1 ^ s2, zero1 || zero2, e1, m1, e2, m2, rsqrt, N, fpcr);
}

// ---- FPSqrt -------------------------------------------------------------------------

export function FPSqrt(op: u64, fpcr: u32, N: i32): u64 {
  if (N == 64) {
    const r = fastSqrt64(op, fpcr);
    if (r != NO_FAST) return r;
  } else if (N == 32) {
    const r = fastSqrt32(op, fpcr);
    if (r != NO_FAST) return r;
  }
  return sqrtSlow(op, fpcr, N);
}

function sqrtSlow(op: u64, fpcr: u32, N: i32): u64 {
  const t = unpack(op, N, fpcr);
  const s = uSign;
  if (t >= FPType_QNaN) return processNaN(t, op, N, fpcr);
  if (t == FPType_Zero) return FPZero(s, N);
  if (t == FPType_Infinity && s == 0) return FPInfinity(0, N);
  if (s) {
    fpFlags |= FPSR_IOC;
    return FPDefaultNaN(N);
  }
  // value = i * 2^e with i the (F+1)-bit integer mantissa; make e even.
  const F = fracBits(N);
  let i = uSig >> <u64>(63 - F);
  let e = uExp + 63 - F;
  if (e & 1) {
    i <<= 1;
    e -= 1;
  }
  // Digit-by-digit square root of i * 4^k, T result bits (T >= F+3).
  const bits = 64 - <i32>clz<u64>(i);
  const P = (bits + 1) >> 1; // bit pairs in i
  const T = F + 4;
  let rem: u64 = 0, root: u64 = 0;
  for (let j = 0; j < T; j++) {
    const pos = 2 * (P - 1 - j);
    const pair: u64 = pos >= 0 ? (i >> <u64>pos) & 3 : 0;
    rem = (rem << 2) | pair;
    const trial = (root << 2) | 1;
    root <<= 1;
    if (rem >= trial) {
      rem -= trial;
      root |= 1;
    }
  }
  // root = floor(sqrt(i * 4^(T-P))); sqrt(value) = that * 2^(e/2 - (T-P))
  return roundPack(0, (e >> 1) - (T - P), root | (rem != 0 ? 1 : 0), N, fpcr, fpRMode(fpcr), false);
}
