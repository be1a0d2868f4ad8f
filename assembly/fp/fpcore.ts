// Shared machinery of the floating-point library (Arm ARM shared/functions/float):
// FPCR/FPSR bit names, the cumulative-flag accumulator, FPUnpack, FPRound,
// FPProcessNaN(s), and 64/128-bit integer helpers.
//
// Conventions used by every function in assembly/fp:
// - A floating-point operand or result is a raw bit pattern in the low N bits of
//   a u64 (N = 16 half, 32 single, 64 double); the bits above N are zero in
//   results and ignored in operands.
// - `fpcr` is the FPCR value. Used: RMode <23:22>, FZ <24>, DN <25>, AHP <26>,
//   FZ16 <19>. Trap enables (IOE..IDE) are ignored: traps are not implemented,
//   as if FPCR.{IDE,IXE,UFE,OFE,DZE,IOE} were RES0.
// - Exceptions are not returned: each function ORs the FPSR cumulative bits it
//   raises into the exported global `fpFlags` (IOC bit 0, DZC 1, OFC 2, UFC 3,
//   IXC 4, IDC 7 -- the same positions as in FPSR). The caller merges them:
//   `FPSR |= fpFlags; fpFlags = 0`.
// - Rounding-mode arguments use the FPRounding values below; RN/RP/RM/RZ are
//   the FPCR.RMode encodings, so `fpRMode(fpcr)` is FPRoundingMode(FPCR).
// - Nothing allocates; multi-value returns go through module globals.

export const FPSR_IOC: u32 = 1 << 0;
export const FPSR_DZC: u32 = 1 << 1;
export const FPSR_OFC: u32 = 1 << 2;
export const FPSR_UFC: u32 = 1 << 3;
export const FPSR_IXC: u32 = 1 << 4;
export const FPSR_IDC: u32 = 1 << 7;

export const FPCR_FZ16: u32 = 1 << 19;
export const FPCR_RMODE_SHIFT: u32 = 22;
export const FPCR_FZ: u32 = 1 << 24;
export const FPCR_DN: u32 = 1 << 25;
export const FPCR_AHP: u32 = 1 << 26;

// FPRounding
export const FPRounding_TIEEVEN: i32 = 0; // RN
export const FPRounding_POSINF: i32 = 1;  // RP
export const FPRounding_NEGINF: i32 = 2;  // RM
export const FPRounding_ZERO: i32 = 3;    // RZ
export const FPRounding_TIEAWAY: i32 = 4; // FCVTA*, FRINTA
export const FPRounding_ODD: i32 = 5;     // FCVTXN

// FPType (the order matters: NaNs last)
export const FPType_Zero: i32 = 0;
export const FPType_Nonzero: i32 = 1; // normal or (not flushed) denormal
export const FPType_Infinity: i32 = 2;
export const FPType_QNaN: i32 = 3;
export const FPType_SNaN: i32 = 4;

// Cumulative exception flags raised since the caller last cleared them.
export let fpFlags: u32 = 0;

// (A module importing fpFlags cannot assign it: use these.)
@inline export function fpClearFlags(): void {
  fpFlags = 0;
}
@inline export function fpTakeFlags(): u32 {
  const f = fpFlags;
  fpFlags = 0;
  return f;
}

// FPRoundingMode(fpcr)
@inline export function fpRMode(fpcr: u32): i32 {
  return <i32>((fpcr >> FPCR_RMODE_SHIFT) & 3);
}

// ---- format parameters -----------------------------------------------------

@inline export function fracBits(N: i32): i32 { return N == 64 ? 52 : (N == 32 ? 23 : 10); }
@inline export function expBits(N: i32): i32 { return N == 64 ? 11 : (N == 32 ? 8 : 5); }
// Exponent of the smallest normal number: 1 - bias.
@inline export function minExp(N: i32): i32 { return N == 64 ? -1022 : (N == 32 ? -126 : -14); }
@inline export function signBit(N: i32): u64 { return <u64>1 << <u64>(N - 1); }
@inline export function absMask(N: i32): u64 { return signBit(N) - 1; }
@inline export function quietBit(N: i32): u64 { return <u64>1 << <u64>(fracBits(N) - 1); }

@inline export function FPZero(sign: u32, N: i32): u64 { return <u64>sign << <u64>(N - 1); }
@inline export function FPInfinity(sign: u32, N: i32): u64 {
  return (<u64>sign << <u64>(N - 1)) | ((<u64>((1 << expBits(N)) - 1)) << <u64>fracBits(N));
}
@inline export function FPMaxNormal(sign: u32, N: i32): u64 {
  return FPInfinity(sign, N) - 1;
}
@inline export function FPDefaultNaN(N: i32): u64 {
  return N == 64 ? 0x7FF8_0000_0000_0000 : (N == 32 ? 0x7FC0_0000 : 0x7E00);
}
// sign : 1.0 * 2^k (k small)
@inline export function FPPow2(sign: u32, k: i32, N: i32): u64 {
  return (<u64>sign << <u64>(N - 1)) | (<u64>(k + (1 << (expBits(N) - 1)) - 1) << <u64>fracBits(N));
}

// ---- FPUnpack ----------------------------------------------------------------
// The value of a Nonzero operand is uSig * 2^uExp with uSig normalized (bit 63
// set). uSign is set for every type.
export let uSign: u32 = 0;
export let uExp: i32 = 0;
export let uSig: u64 = 0;

// FPUnpack(fpval, fpcr) (with fpexc = TRUE): flushes denormals when FZ (single,
// double; raises IDC) or FZ16 (half; no IDC) is set. AHP is ignored (treated
// as 0), as in FPUnpack. Returns the FPType.
export function unpack(x: u64, N: i32, fpcr: u32): i32 {
  const F = fracBits(N);
  const E = expBits(N);
  uSign = <u32>(x >> <u64>(N - 1)) & 1;
  const ef = <i32>(x >> <u64>F) & ((1 << E) - 1);
  const frac = x & ((<u64>1 << <u64>F) - 1);
  if (ef == 0) {
    if (frac == 0) return FPType_Zero;
    if (N == 16) {
      if (fpcr & FPCR_FZ16) return FPType_Zero;
    } else if (fpcr & FPCR_FZ) {
      fpFlags |= FPSR_IDC;
      return FPType_Zero;
    }
    const lz = <i32>clz<u64>(frac);
    uSig = frac << <u64>lz;
    uExp = minExp(N) - F - lz;
    return FPType_Nonzero;
  }
  if (ef == (1 << E) - 1) {
    if (frac == 0) return FPType_Infinity;
    return (frac & (<u64>1 << <u64>(F - 1))) ? FPType_QNaN : FPType_SNaN;
  }
  uSig = (frac | (<u64>1 << <u64>F)) << <u64>(63 - F);
  uExp = ef - ((1 << (E - 1)) - 1) - 63;
  return FPType_Nonzero;
}

// FPUnpackCV: as FPUnpack but for FPConvert: FZ16 is ignored (half denormals
// are never flushed) and, for half precision, FPCR.AHP selects the alternative
// format in which exponent 31 encodes normal numbers.
export function unpackCV(x: u64, N: i32, fpcr: u32): i32 {
  if (N != 16) return unpack(x, N, fpcr);
  uSign = <u32>(x >> 15) & 1;
  const ef = <i32>(x >> 10) & 31;
  const frac = x & 0x3FF;
  if (ef == 0) {
    if (frac == 0) return FPType_Zero;
    const lz = <i32>clz<u64>(frac);
    uSig = frac << <u64>lz;
    uExp = -14 - 10 - lz;
    return FPType_Nonzero;
  }
  if (ef == 31 && !(fpcr & FPCR_AHP)) {
    if (frac == 0) return FPType_Infinity;
    return (frac & 0x200) ? FPType_QNaN : FPType_SNaN;
  }
  uSig = (frac | 0x400) << 53;
  uExp = ef - 15 - 63;
  return FPType_Nonzero;
}

// ---- NaNs --------------------------------------------------------------------

// FPProcessNaN
export function processNaN(type: i32, op: u64, N: i32, fpcr: u32): u64 {
  let r = op & (signBit(N) | absMask(N));
  if (type == FPType_SNaN) {
    r |= quietBit(N);
    fpFlags |= FPSR_IOC;
  }
  if (fpcr & FPCR_DN) r = FPDefaultNaN(N);
  return r;
}

// FPProcessNaNs (call only when t1 or t2 is a NaN)
export function processNaNs(t1: i32, t2: i32, op1: u64, op2: u64, N: i32, fpcr: u32): u64 {
  if (t1 == FPType_SNaN) return processNaN(t1, op1, N, fpcr);
  if (t2 == FPType_SNaN) return processNaN(t2, op2, N, fpcr);
  if (t1 == FPType_QNaN) return processNaN(t1, op1, N, fpcr);
  return processNaN(t2, op2, N, fpcr);
}

// FPProcessNaNs3 (call only when one of t1, t2, t3 is a NaN)
export function processNaNs3(t1: i32, t2: i32, t3: i32, op1: u64, op2: u64, op3: u64, N: i32, fpcr: u32): u64 {
  if (t1 == FPType_SNaN) return processNaN(t1, op1, N, fpcr);
  if (t2 == FPType_SNaN) return processNaN(t2, op2, N, fpcr);
  if (t3 == FPType_SNaN) return processNaN(t3, op3, N, fpcr);
  if (t1 == FPType_QNaN) return processNaN(t1, op1, N, fpcr);
  if (t2 == FPType_QNaN) return processNaN(t2, op2, N, fpcr);
  return processNaN(t3, op3, N, fpcr);
}

// ---- integer helpers -----------------------------------------------------------

// x >> n with the bits shifted out ORed into bit 0 ("jamming"); any n >= 0.
@inline export function shiftRightJam(x: u64, n: i32): u64 {
  if (n <= 0) return x;
  if (n >= 64) return x != 0 ? 1 : 0;
  return (x >> <u64>n) | ((x << <u64>(64 - n)) != 0 ? 1 : 0);
}

// 64x64 -> 128-bit unsigned product into (mulHi, mulLo).
export let mulHi: u64 = 0;
export let mulLo: u64 = 0;
@inline export function mul64x64(a: u64, b: u64): void {
  const a0 = a & 0xFFFF_FFFF, a1 = a >> 32;
  const b0 = b & 0xFFFF_FFFF, b1 = b >> 32;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFF_FFFF) + (p10 & 0xFFFF_FFFF);
  mulLo = (mid << 32) | (p00 & 0xFFFF_FFFF);
  mulHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

// ---- FPRound -------------------------------------------------------------------

// FPRound / FPRoundCV of the nonzero value sig * 2^scale (sig != 0; bit 0 of
// sig may be a sticky bit standing for any nonzero bits below it, provided
// the rounding position is at least two bits above it).
// cv: FPRoundCV (FPConvert): FZ16 ignored and FPCR.AHP honoured for a half
// result; otherwise FPRound (AHP treated as 0).
export function roundPack(sign: u32, scale: i32, sig: u64, N: i32, fpcr: u32, rounding: i32, cv: bool): u64 {
  const lz = <i32>clz<u64>(sig);
  sig <<= <u64>lz;
  const exponent = scale + 63 - lz; // value = 1.xxx * 2^exponent
  const F = fracBits(N);
  const E = expBits(N);
  const me = minExp(N);
  const sb = <u64>sign << <u64>(N - 1);
  const fz = N == 16 ? (!cv && (fpcr & FPCR_FZ16) != 0) : (fpcr & FPCR_FZ) != 0;
  if (fz && exponent < me) {
    fpFlags |= FPSR_UFC;
    return sb;
  }
  let biased = exponent - me + 1;
  if (biased <= 0) {
    sig = shiftRightJam(sig, 1 - biased);
    biased = 0;
  }
  const sh = <u64>(63 - F);
  let mant = sig >> sh;
  const err = sig & ((<u64>1 << sh) - 1);
  const half = <u64>1 << (sh - 1);
  if (biased == 0 && err != 0) fpFlags |= FPSR_UFC;
  let up = false;
  let ovfInf = false;
  switch (rounding) {
    case FPRounding_TIEEVEN: up = err > half || (err == half && (mant & 1) != 0); ovfInf = true; break;
    case FPRounding_POSINF: up = err != 0 && sign == 0; ovfInf = sign == 0; break;
    case FPRounding_NEGINF: up = err != 0 && sign != 0; ovfInf = sign != 0; break;
    case FPRounding_TIEAWAY: up = err >= half; ovfInf = true; break;
    default: break; // ZERO, ODD
  }
  if (up) {
    mant++;
    if (mant == (<u64>1 << <u64>F)) biased = 1;
    if (mant == (<u64>2 << <u64>F)) {
      biased++;
      mant >>= 1;
    }
  }
  if (rounding == FPRounding_ODD && err != 0) mant |= 1;
  if (N == 16 && cv && (fpcr & FPCR_AHP) != 0) {
    if (biased >= 32) {
      fpFlags |= FPSR_IOC;
      return sb | 0x7FFF;
    }
  } else if (biased >= (1 << E) - 1) {
    fpFlags |= FPSR_OFC | FPSR_IXC;
    return ovfInf ? FPInfinity(sign, N) : FPMaxNormal(sign, N);
  }
  if (err != 0) fpFlags |= FPSR_IXC;
  return sb | (<u64>biased << <u64>F) | (mant & ((<u64>1 << <u64>F) - 1));
}

// roundPack of the nonzero 128-bit value (hi:lo) * 2^scale.
export function roundPack128(sign: u32, scale: i32, hi: u64, lo: u64, N: i32, fpcr: u32, rounding: i32): u64 {
  if (hi == 0) return roundPack(sign, scale, lo, N, fpcr, rounding, false);
  const lz = <i32>clz<u64>(hi);
  let sig: u64;
  if (lz == 0) sig = hi | (lo != 0 ? 1 : 0);
  else sig = (hi << <u64>lz) | (lo >> <u64>(64 - lz)) | ((lo << <u64>lz) != 0 ? 1 : 0);
  return roundPack(sign, scale + 64 - lz, sig, N, fpcr, rounding, false);
}
