// FPRecipEstimate (FRECPE) and FPRSqrtEstimate (FRSQRTE), without FEAT_RPRES
// increased precision and with FPCR.AH = 0.
import {
  fpFlags, FPSR_IOC, FPSR_DZC, FPSR_OFC, FPSR_UFC, FPSR_IXC, FPCR_FZ, FPCR_FZ16,
  FPType_Zero, FPType_Infinity, FPType_QNaN,
  FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, fpRMode,
  fracBits, expBits, FPZero, FPInfinity, FPMaxNormal, FPDefaultNaN,
  uSign, uExp, unpack, processNaN,
} from "./fpcore";

// RecipSqrtEstimate(a) - 256 for a = 128..511 (estimate<7:0>).
const RSQRT_TABLE = memory.data<u8>([
  255, 253, 251, 249, 247, 245, 243, 242, 240, 238, 236, 234, 233, 231, 229, 228, 226, 224, 223, 221,
  219, 218, 216, 215, 213, 212, 210, 209, 207, 206, 204, 203, 201, 200, 198, 197, 196, 194, 193, 192,
  190, 189, 188, 186, 185, 184, 183, 181, 180, 179, 178, 176, 175, 174, 173, 172, 170, 169, 168, 167,
  166, 165, 164, 163, 162, 160, 159, 158, 157, 156, 155, 154, 153, 152, 151, 150, 149, 148, 147, 146,
  145, 144, 143, 142, 141, 140, 140, 139, 138, 137, 136, 135, 134, 133, 132, 131, 131, 130, 129, 128,
  127, 126, 126, 125, 124, 123, 122, 121, 121, 120, 119, 118, 118, 117, 116, 115, 114, 114, 113, 112,
  111, 111, 110, 109, 109, 108, 107, 106, 105, 105, 104, 104, 103, 103, 101, 101, 100, 100, 99, 99,
  97, 97, 96, 96, 95, 95, 93, 93, 92, 92, 91, 91, 90, 90, 88, 88, 87, 87, 86, 86, 85, 85, 84, 84, 82,
  82, 81, 81, 80, 80, 79, 79, 78, 78, 77, 77, 76, 76, 75, 75, 74, 74, 72, 72, 71, 71, 70, 70, 69, 69,
  68, 68, 67, 67, 66, 66, 65, 65, 64, 64, 63, 63, 62, 62, 61, 61, 60, 60, 60, 60, 59, 59, 58, 58, 57,
  57, 56, 56, 55, 55, 54, 54, 53, 53, 52, 52, 51, 51, 51, 51, 50, 50, 49, 49, 48, 48, 47, 47, 46, 46,
  46, 46, 45, 45, 44, 44, 43, 43, 42, 42, 42, 42, 41, 41, 40, 40, 39, 39, 38, 38, 38, 38, 37, 37, 36,
  36, 35, 35, 35, 35, 34, 34, 33, 33, 33, 33, 32, 32, 31, 31, 30, 30, 30, 30, 29, 29, 28, 28, 28, 28,
  27, 27, 26, 26, 26, 26, 25, 25, 24, 24, 24, 24, 23, 23, 22, 22, 22, 22, 21, 21, 20, 20, 20, 20, 19,
  19, 19, 19, 18, 18, 17, 17, 17, 17, 16, 16, 16, 16, 15, 15, 14, 14, 14, 14, 13, 13, 13, 13, 12, 12,
  11, 11, 11, 11, 10, 10, 10, 10, 9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4,
  3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0
]);

// RecipEstimate(a) for a = 256..511: a 9-bit estimate 256..511.
@inline function recipEstimate(a: u32): u32 {
  a = a * 2 + 1;
  const b = (<u32>1 << 19) / a;
  return (b + 1) >> 1;
}

// The 52-bit fraction and the exponent field of op, as the pseudocode
// extends them to double-precision layout.
let eFrac: u64 = 0;
let eExp: i32 = 0;
@inline function fracExp(op: u64, N: i32): void {
  const F = fracBits(N);
  eFrac = (op & ((<u64>1 << <u64>F) - 1)) << <u64>(52 - F);
  eExp = <i32>(op >> <u64>F) & ((1 << expBits(N)) - 1);
}

export function FPRecipEstimate(op: u64, fpcr: u32, N: i32): u64 {
  const t = unpack(op, N, fpcr);
  const s = uSign;
  if (t >= FPType_QNaN) return processNaN(t, op, N, fpcr);
  if (t == FPType_Infinity) return FPZero(s, N);
  if (t == FPType_Zero) {
    fpFlags |= FPSR_DZC;
    return FPInfinity(s, N);
  }
  const lead = uExp + 63; // |value| in [2^lead, 2^(lead+1))
  if (lead < (N == 16 ? -16 : (N == 32 ? -128 : -1024))) {
    const rounding = fpRMode(fpcr);
    const ovfInf = rounding == FPRounding_TIEEVEN ||
      (rounding == FPRounding_POSINF && s == 0) || (rounding == FPRounding_NEGINF && s != 0);
    fpFlags |= FPSR_OFC | FPSR_IXC;
    return ovfInf ? FPInfinity(s, N) : FPMaxNormal(s, N);
  }
  const fz = N == 16 ? (fpcr & FPCR_FZ16) != 0 : (fpcr & FPCR_FZ) != 0;
  if (fz && lead >= (N == 16 ? 14 : (N == 32 ? 126 : 1022))) {
    fpFlags |= FPSR_UFC;
    return FPZero(s, N);
  }
  fracExp(op, N);
  let fraction = eFrac;
  let exp = eExp;
  if (exp == 0) {
    if ((fraction >> 51) == 0) {
      exp = -1;
      fraction = (fraction << 2) & 0x000F_FFFF_FFFF_FFFF;
    } else {
      fraction = (fraction << 1) & 0x000F_FFFF_FFFF_FFFF;
    }
  }
  const scaled = <u32>(0x100 | (fraction >> 44));
  let rexp = (N == 16 ? 29 : (N == 32 ? 253 : 2045)) - exp;
  fraction = <u64>(recipEstimate(scaled) & 0xFF) << 44;
  if (rexp == 0) {
    fraction = (<u64>1 << 51) | (fraction >> 1);
  } else if (rexp == -1) {
    fraction = (<u64>1 << 50) | (fraction >> 2);
    rexp = 0;
  }
  const F = fracBits(N);
  return (<u64>s << <u64>(N - 1)) | (<u64>rexp << <u64>F) | (fraction >> <u64>(52 - F));
}

export function FPRSqrtEstimate(op: u64, fpcr: u32, N: i32): u64 {
  const t = unpack(op, N, fpcr);
  const s = uSign;
  if (t >= FPType_QNaN) return processNaN(t, op, N, fpcr);
  if (t == FPType_Zero) {
    fpFlags |= FPSR_DZC;
    return FPInfinity(s, N);
  }
  if (s) {
    fpFlags |= FPSR_IOC;
    return FPDefaultNaN(N);
  }
  if (t == FPType_Infinity) return 0;
  fracExp(op, N);
  let fraction = eFrac;
  let exp = eExp;
  if (exp == 0) {
    while ((fraction >> 51) == 0) {
      fraction <<= 1;
      exp--;
    }
    fraction = (fraction << 1) & 0x000F_FFFF_FFFF_FFFF;
  }
  const scaled = (exp & 1) == 0 ? <u32>(0x100 | (fraction >> 44)) : <u32>(0x80 | (fraction >> 45));
  const rexp = ((N == 16 ? 44 : (N == 32 ? 380 : 3068)) - exp) >> 1;
  const est = <u64>load<u8>(RSQRT_TABLE + scaled - 128);
  const F = fracBits(N);
  return (<u64>rexp << <u64>F) | (est << <u64>(F - 8));
}

// UnsignedRecipEstimate (URECPE), 32-bit.
export function UnsignedRecipEstimate(op: u32): u32 {
  if ((op >> 31) == 0) return 0xFFFF_FFFF;
  return recipEstimate(op >> 23) << 23;
}

// UnsignedRSqrtEstimate (URSQRTE), 32-bit.
export function UnsignedRSqrtEstimate(op: u32): u32 {
  if ((op >> 30) == 0) return 0xFFFF_FFFF;
  return (<u32>load<u8>(RSQRT_TABLE + (op >> 23) - 128) | 0x100) << 23;
}
