// FPMax, FPMin, FPMaxNum, FPMinNum, FPCompare, FPCompareEQ/GE/GT, FPAbs, FPNeg.
import {
  fpFlags, FPSR_IOC,
  FPType_Zero, FPType_Infinity, FPType_QNaN, FPType_SNaN,
  FPZero, FPInfinity, signBit, absMask, quietBit,
  uSign, unpack, processNaNs,
} from "./fpcore";

// A signed key ordered like the values of non-NaN operands (after flushing:
// a flushed denormal compares as zero, and both zeros compare equal).
@inline function orderKey(x: u64, t: i32, s: u32, N: i32): i64 {
  if (t == FPType_Zero) return 0;
  const m = <i64>(x & absMask(N));
  return s ? -m : m;
}

function maxMin(op1: u64, op2: u64, fpcr: u32, N: i32, isMax: bool): u64 {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) return processNaNs(t1, t2, op1, op2, N, fpcr);
  const k1 = orderKey(op1, t1, s1, N), k2 = orderKey(op2, t2, s2, N);
  const pick1 = isMax ? k1 > k2 : k1 < k2;
  const t = pick1 ? t1 : t2;
  if (t == FPType_Zero) return FPZero(isMax ? (s1 & s2) : (s1 | s2), N);
  if (t == FPType_Infinity) return FPInfinity(pick1 ? s1 : s2, N);
  // FPRound of an exactly representable value: the operand itself.
  return (pick1 ? op1 : op2) & (signBit(N) | absMask(N));
}

// FMAX
export function FPMax(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  return maxMin(op1, op2, fpcr, N, true);
}

// FMIN
export function FPMin(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  return maxMin(op1, op2, fpcr, N, false);
}

// FMAXNM / FMINNM: a single quiet NaN loses to a number (it is replaced by
// -Infinity for FMAXNM, +Infinity for FMINNM); signalling NaNs and two quiet
// NaNs are processed as for FMAX/FMIN.
function maxMinNum(op1: u64, op2: u64, fpcr: u32, N: i32, isMax: bool): u64 {
  const q1 = isQNaN(op1, N), q2 = isQNaN(op2, N);
  if (q1 != q2) {
    const inf = FPInfinity(isMax ? 1 : 0, N);
    if (q1) op1 = inf; else op2 = inf;
  }
  return maxMin(op1, op2, fpcr, N, isMax);
}

@inline function isQNaN(x: u64, N: i32): bool {
  return (x & absMask(N)) >= (FPInfinity(0, N) | quietBit(N));
}

export function FPMaxNum(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  return maxMinNum(op1, op2, fpcr, N, true);
}

export function FPMinNum(op1: u64, op2: u64, fpcr: u32, N: i32): u64 {
  return maxMinNum(op1, op2, fpcr, N, false);
}

// FPCompare: the NZCV result of FCMP (signalNaNs false) / FCMPE (true), in
// bits 31:28 as PSTATE.NZCV is held (0x6000_0000 equal, 0x8000_0000 less,
// 0x2000_0000 greater, 0x3000_0000 unordered).
export function FPCompare(op1: u64, op2: u64, signalNaNs: bool, fpcr: u32, N: i32): u32 {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) {
    if (signalNaNs || t1 == FPType_SNaN || t2 == FPType_SNaN) fpFlags |= FPSR_IOC;
    return 0x3000_0000;
  }
  const k1 = orderKey(op1, t1, s1, N), k2 = orderKey(op2, t2, s2, N);
  if (k1 == k2) return 0x6000_0000;
  return k1 < k2 ? 0x8000_0000 : 0x2000_0000;
}

// FPCompareEQ (FCMEQ): false for NaNs; Invalid only for a signalling NaN.
export function FPCompareEQ(op1: u64, op2: u64, fpcr: u32, N: i32): bool {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) {
    if (t1 == FPType_SNaN || t2 == FPType_SNaN) fpFlags |= FPSR_IOC;
    return false;
  }
  return orderKey(op1, t1, s1, N) == orderKey(op2, t2, s2, N);
}

// FPCompareGE (FCMGE, FCMLE with swapped operands): false and Invalid for any NaN.
export function FPCompareGE(op1: u64, op2: u64, fpcr: u32, N: i32): bool {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) {
    fpFlags |= FPSR_IOC;
    return false;
  }
  return orderKey(op1, t1, s1, N) >= orderKey(op2, t2, s2, N);
}

// FPCompareGT (FCMGT, FCMLT with swapped operands): false and Invalid for any NaN.
export function FPCompareGT(op1: u64, op2: u64, fpcr: u32, N: i32): bool {
  const t1 = unpack(op1, N, fpcr);
  const s1 = uSign;
  const t2 = unpack(op2, N, fpcr);
  const s2 = uSign;
  if (t1 >= FPType_QNaN || t2 >= FPType_QNaN) {
    fpFlags |= FPSR_IOC;
    return false;
  }
  return orderKey(op1, t1, s1, N) > orderKey(op2, t2, s2, N);
}

// FPAbs / FPNeg: sign-bit operations, no exceptions, NaNs unchanged otherwise.
@inline export function FPAbs(op: u64, N: i32): u64 {
  return op & absMask(N);
}

@inline export function FPNeg(op: u64, N: i32): u64 {
  return (op ^ signBit(N)) & (signBit(N) | absMask(N));
}
