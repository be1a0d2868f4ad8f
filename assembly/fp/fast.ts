// Fast paths for single and double FPAdd/FPSub/FPMul/FPDiv/FPSqrt/FPMulAdd that use
// the WebAssembly f64/f32 operations where the result is provably the one the
// integer implementation gives, flags included:
// - only for operands that are normal numbers away from the ends of the
//   exponent range, and results whose exponent keeps them clear of underflow
//   (|result| > the smallest normal, so neither UFC nor FZ flushing can apply)
//   and of overflow (|result| < 2^(emax), so a one-ulp step stays finite);
// - the hardware result r is round-to-nearest-even, as Arm's RN. Exactness and
//   the side of r the exact value lies on are found exactly (TwoSum; Dekker's
//   TwoProduct for the residuals of mul/div/sqrt; for single, exact double
//   arithmetic; for the FMAs see fastMulAdd32/64), giving IXC and the one-ulp
//   correction for RP/RM/RZ.
// - single-precision results go through f64 then f32.demote (RNE twice);
//   that double rounding is innocuous for +,-,*,/,sqrt because 53 >= 2*24+2.
// Each returns NO_FAST when the case is outside these conditions.
import { fpFlags, FPSR_IXC, fpRMode, FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF } from "./fpcore";

export const NO_FAST: u64 = 0xFFFF_FFFF_FFFF_FFFF; // a NaN: never a fast result

// Exponent field of a double in [lo, hi]
@inline function exp64In(x: u64, lo: u64, hi: u64): bool {
  return ((x >> 52) & 0x7FF) - lo <= hi - lo;
}
@inline function exp32In(x: u64, lo: u64, hi: u64): bool {
  return ((x >> 23) & 0xFF) - lo <= hi - lo;
}

// The inexact result `bits` (sign bit at `top`) rounded to nearest, given
// whether the exact value lies above it: raise IXC and apply FPCR's mode.
@inline function inexact(bits: u64, top: u64, exactAbove: bool, fpcr: u32): u64 {
  fpFlags |= FPSR_IXC;
  const rm = fpRMode(fpcr);
  if (rm == FPRounding_TIEEVEN) return bits;
  const neg = (bits >> top) != 0;
  if (rm == FPRounding_POSINF) return exactAbove ? (neg ? bits - 1 : bits + 1) : bits;
  if (rm == FPRounding_NEGINF) return exactAbove ? bits : (neg ? bits + 1 : bits - 1);
  return exactAbove == neg ? bits - 1 : bits; // ZERO: toward zero if the exact value is nearer zero
}

// Dekker's TwoProduct error: x*y - p exactly, for p = fl(x*y), without FMA.
// Exact when |x|, |y| < 2^996 and no partial product underflows (the callers'
// exponent windows guarantee both).
@inline function twoProductErr(x: f64, y: f64, p: f64): f64 {
  const SPLIT: f64 = 134217729.0; // 2^27 + 1
  const cx = SPLIT * x, cy = SPLIT * y;
  const xh = cx - (cx - x), xl = x - xh;
  const yh = cy - (cy - y), yl = y - yh;
  return (((xh * yh - p) + xh * yl) + xl * yh) + xl * yl;
}

// ---- double -----------------------------------------------------------------------

export function fastAdd64(a: u64, b: u64, fpcr: u32): u64 {
  if (!exp64In(a, 1, 0x7FD) || !exp64In(b, 1, 0x7FD)) return NO_FAST;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const s = x + y;
  const r = reinterpret<u64>(s);
  if (!exp64In(r, 2, 0x7FD)) return NO_FAST;
  const bb = s - x;
  const e = (x - (s - bb)) + (y - bb); // TwoSum: x + y = s + e exactly
  if (e == 0) return r;
  return inexact(r, 63, e > 0, fpcr);
}

export function fastMul64(a: u64, b: u64, fpcr: u32): u64 {
  if (!exp64In(a, 0x100, 0x700) || !exp64In(b, 0x100, 0x700)) return NO_FAST;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const p = x * y;
  const r = reinterpret<u64>(p);
  if (!exp64In(r, 0x100, 0x700)) return NO_FAST;
  const e = twoProductErr(x, y, p);
  if (e == 0) return r;
  return inexact(r, 63, e > 0, fpcr);
}

export function fastDiv64(a: u64, b: u64, fpcr: u32): u64 {
  if (!exp64In(a, 0x100, 0x700) || !exp64In(b, 0x100, 0x700)) return NO_FAST;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const q = x / y;
  const r = reinterpret<u64>(q);
  if (!exp64In(r, 0x100, 0x700)) return NO_FAST;
  // x - q*y, exactly: q*y = p + e; x - p is exact (Sterbenz); the residual
  // is then computed with at most one rounding that cannot change its sign or
  // make it zero.
  const p = q * y;
  const res = (x - p) - twoProductErr(q, y, p);
  if (res == 0) return r;
  return inexact(r, 63, (res > 0) == (y > 0), fpcr); // x/y - q = res/y
}

export function fastSqrt64(a: u64, fpcr: u32): u64 {
  if (!exp64In(a, 0x100, 0x7FD) || (a >> 63) != 0) return NO_FAST;
  const x = reinterpret<f64>(a);
  const q = Math.sqrt(x);
  const p = q * q;
  const res = (x - p) - twoProductErr(q, q, p);
  const r = reinterpret<u64>(q);
  if (res == 0) return r;
  return inexact(r, 63, res > 0, fpcr);
}

// ---- single -----------------------------------------------------------------------

@inline function f32of(a: u64): f64 {
  return <f64>reinterpret<f32>(<u32>a);
}
@inline function bitsOf(r: f32): u64 {
  return <u64>reinterpret<u32>(r);
}

export function fastAdd32(a: u64, b: u64, fpcr: u32): u64 {
  if (!exp32In(a, 1, 0xFD) || !exp32In(b, 1, 0xFD)) return NO_FAST;
  const ea = <i32>((a >> 23) & 0xFF), eb = <i32>((b >> 23) & 0xFF);
  const d = ea - eb;
  if (d > 28 || d < -28) return NO_FAST; // keeps the double sum exact
  const s = f32of(a) + f32of(b);
  const rf = <f32>s;
  const r = bitsOf(rf);
  if (!exp32In(r, 2, 0xFD)) return NO_FAST;
  const rd = <f64>rf;
  if (rd == s) return r;
  return inexact(r, 31, s > rd, fpcr);
}

export function fastMul32(a: u64, b: u64, fpcr: u32): u64 {
  if (!exp32In(a, 1, 0xFE) || !exp32In(b, 1, 0xFE)) return NO_FAST;
  const p = f32of(a) * f32of(b); // exact: 48 significant bits
  const rf = <f32>p;
  const r = bitsOf(rf);
  if (!exp32In(r, 2, 0xFD)) return NO_FAST;
  const rd = <f64>rf;
  if (rd == p) return r;
  return inexact(r, 31, p > rd, fpcr);
}

export function fastDiv32(a: u64, b: u64, fpcr: u32): u64 {
  if (!exp32In(a, 1, 0xFE) || !exp32In(b, 1, 0xFE)) return NO_FAST;
  const x = f32of(a), y = f32of(b);
  const rf = <f32>(x / y);
  const r = bitsOf(rf);
  if (!exp32In(r, 2, 0xFD)) return NO_FAST;
  const res = x - <f64>rf * y; // q*y exact (48 bits), the difference exact (Sterbenz)
  if (res == 0) return r;
  return inexact(r, 31, (res > 0) == (y > 0), fpcr);
}

export function fastSqrt32(a: u64, fpcr: u32): u64 {
  if (!exp32In(a, 1, 0xFE) || (a & 0x8000_0000) != 0) return NO_FAST;
  const x = f32of(a);
  const rf = <f32>Math.sqrt(x);
  const rd = <f64>rf;
  const res = x - rd * rd; // exact
  const r = bitsOf(rf);
  if (res == 0) return r;
  return inexact(r, 31, res > 0, fpcr);
}

// Single FPMulAdd: addend + op1*op2. The product is exact in double; TwoSum
// gives the double sum s and its exact error e. When e != 0 the double s can
// only mislead the single rounding if s is exactly halfway between two
// singles (then e decides the side).
export function fastMulAdd32(addend: u64, op1: u64, op2: u64, fpcr: u32): u64 {
  if (!exp32In(addend, 1, 0xFE) || !exp32In(op1, 1, 0xFE) || !exp32In(op2, 1, 0xFE)) return NO_FAST;
  const x = f32of(addend);
  const p = f32of(op1) * f32of(op2);
  const s = x + p;
  const bb = s - x;
  const e = (x - (s - bb)) + (p - bb);
  let rf = <f32>s;
  let r = bitsOf(rf);
  if (!exp32In(r, 2, 0xFD)) return NO_FAST;
  const rd = <f64>rf;
  if (e == 0) return rd == s ? r : inexact(r, 31, s > rd, fpcr);
  if (rd == s) return inexact(r, 31, e > 0, fpcr);
  if ((reinterpret<u64>(s) & 0x1FFF_FFFF) == 0x1000_0000 && (e > 0) != (rd > s)) {
    // s is halfway between two singles and the tie went away from the
    // exact value s + e: take the other neighbour (one ulp toward s + e),
    // which lies beyond s + e.
    const up = e > 0;
    r = up == ((r >> 31) != 0) ? r - 1 : r + 1;
    if (!exp32In(r, 2, 0xFD)) return NO_FAST;
    return inexact(r, 31, !up, fpcr);
  }
  return inexact(r, 31, s > rd, fpcr);
}

// Double FPMulAdd: addend + op1*op2 by Boldo & Melquiond's FMA emulation
// with rounding to odd ("Emulation of FMA and correctly rounded sums: proved
// algorithms using rounding to odd", IEEE TC 2008): with uh + ul = op1*op2
// (TwoProduct) and th + tl = addend + uh (TwoSum), RN(th + RO(tl + ul)) is
// RN(addend + op1*op2) when nothing underflows or overflows. The side of the
// exact value E = th + tl + ul that the result z lies on is the sign of the
// exact expansion of E - z (Shewchuk's Grow-Expansion, error-free).
// Operands, product and result are kept inside exponent windows that rule
// out underflow and overflow in every step.
export function fastMulAdd64(addend: u64, op1: u64, op2: u64, fpcr: u32): u64 {
  if (!exp64In(addend, 0x200, 0x600) || !exp64In(op1, 0x200, 0x600) || !exp64In(op2, 0x200, 0x600)) return NO_FAST;
  const pe = <i32>((op1 >> 52) & 0x7FF) + <i32>((op2 >> 52) & 0x7FF) - 1023;
  if (pe < 0x200 || pe > 0x600) return NO_FAST;
  const a = reinterpret<f64>(addend), x = reinterpret<f64>(op1), y = reinterpret<f64>(op2);
  const uh = x * y;
  const ul = twoProductErr(x, y, uh);
  const th = a + uh;
  let bb = th - a;
  const tl = (a - (th - bb)) + (uh - bb);
  // v = RO(tl + ul): the truncation of tl + ul with its last bit forced to 1 if inexact
  const v0 = tl + ul;
  bb = v0 - tl;
  const ve = (tl - (v0 - bb)) + (ul - bb);
  let v = v0;
  if (ve != 0) {
    let vb = reinterpret<u64>(v0);
    if ((ve < 0) != (v0 < 0)) vb--; // v0 was rounded away from zero: step back toward it
    v = reinterpret<f64>(vb | 1);
  }
  const z = th + v;
  const r = reinterpret<u64>(z);
  if (!exp64In(r, 0x100, 0x7FD)) return NO_FAST;
  // E - z = (th - z) + v0 + ve exactly; as a nonoverlapping expansion h0..h3.
  let q = th - z;
  bb = q - th;
  const h0 = (th - (q - bb)) + (-z - bb); // TwoSum(th, -z) = (q, h0)
  const h1 = q;
  // grow with v0
  q = v0 + h0; bb = q - v0; const g0 = (v0 - (q - bb)) + (h0 - bb);
  let s = q + h1; bb = s - q; const g1 = (q - (s - bb)) + (h1 - bb);
  const g2 = s;
  // grow with ve
  q = ve + g0; bb = q - ve; const k0 = (ve - (q - bb)) + (g0 - bb);
  s = q + g1; bb = s - q; const k1 = (q - (s - bb)) + (g1 - bb);
  q = s + g2; bb = q - s; const k2 = (s - (q - bb)) + (g2 - bb);
  const k3 = q;
  const top = k3 != 0 ? k3 : (k2 != 0 ? k2 : (k1 != 0 ? k1 : k0));
  if (top == 0) return r;
  return inexact(r, 63, top > 0, fpcr);
}
