// Test entry for the floating-point library (compiled on its own into
// build/fp-test.wasm by scripts/build-fp-test.mjs; not part of the core).
// run() dispatches one operation by number; the numbering and the packing of
// `p` are shared with test/fp/cases.mjs.
import {
  fpTakeFlags, fpjsZ,
  FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPMulAdd, FPMulAddH, FPSqrt,
  UnsignedRecipEstimate, UnsignedRSqrtEstimate,
  FPRecipStepFused, FPRSqrtStepFused,
  FPMax, FPMin, FPMaxNum, FPMinNum,
  FPCompare, FPCompareEQ, FPCompareGE, FPCompareGT, FPAbs, FPNeg,
  FPRoundInt, FPRoundIntN, FPToFixed, FixedToFP, FPConvert,
  FPToFixedJS, FPRecpX, FPRecipEstimate, FPRSqrtEstimate,
  fpRMode, FPRounding_ODD,
} from "./index";

export function flags(): u32 {
  return fpTakeFlags();
}

@inline function ones(N: i32): u64 {
  return N == 64 ? <u64>-1 : ((<u64>1 << <u64>N) - 1);
}

@inline function intBits(p: i32): i32 {
  const m = (p >> 17) & 3;
  return m == 0 ? 32 : (m == 1 ? 64 : 16);
}

@inline function mlalLane(acc: u32, x: u32, y: u32, fpcr: u32, sub: i32): u32 {
  return <u32>FPMulAddH(acc, sub ? FPNeg(x, 16) : x, y, fpcr);
}

export function run(op: i32, N: i32, fpcr: u32, a: u64, b: u64, c: u64, p: i32): u64 {
  switch (op) {
    case 0: return FPAdd(a, b, fpcr, N);
    case 1: return FPSub(a, b, fpcr, N);
    case 2: return FPMul(a, b, fpcr, N);
    case 3: return FPDiv(a, b, fpcr, N);
    case 4: return FPMulX(a, b, fpcr, N);
    case 5: return FPMax(a, b, fpcr, N);
    case 6: return FPMin(a, b, fpcr, N);
    case 7: return FPMaxNum(a, b, fpcr, N);
    case 8: return FPMinNum(a, b, fpcr, N);
    case 9: return FPNeg(FPMul(a, b, fpcr, N), N); // FNMUL
    // FMADD/FMSUB/FNMADD/FNMSUB d = a +- b*c (a = Ra, b = Rn, c = Rm)
    case 10: return FPMulAdd(a, b, c, fpcr, N);
    case 11: return FPMulAdd(a, FPNeg(b, N), c, fpcr, N);
    case 12: return FPMulAdd(FPNeg(a, N), FPNeg(b, N), c, fpcr, N);
    case 13: return FPMulAdd(FPNeg(a, N), b, c, fpcr, N);
    case 14: return FPSqrt(a, fpcr, N);
    case 15: return FPAbs(a, N);
    case 16: return FPNeg(a, N);
    case 17: return <u64>FPCompare(a, b, p != 0, fpcr, N);
    case 18: return FPCompareEQ(a, b, fpcr, N) ? ones(N) : 0;
    case 19: return FPCompareGE(a, b, fpcr, N) ? ones(N) : 0;
    case 20: return FPCompareGT(a, b, fpcr, N) ? ones(N) : 0;
    case 21: { // FRINT<p>: p = 0 N, 1 P, 2 M, 3 Z, 4 A, 6 X, 7 I
      const rm = p >= 6 ? fpRMode(fpcr) : p;
      return FPRoundInt(a, fpcr, rm, p == 6, N);
    }
    case 22: // FCVT<r>{S,U}: p = rounding | fbits << 8 | unsigned << 16 | Msel << 17 (Msel 0: M=32, 1: 64, 2: 16)
      return FPToFixed(a, (p >> 8) & 0xFF, (p & 0x10000) != 0, fpcr, p & 0xF, N, intBits(p));
    case 23: // {S,U}CVTF: p = fbits << 8 | unsigned << 16 | Msel << 17
      return FixedToFP(a, (p >> 8) & 0xFF, (p & 0x10000) != 0, fpcr, fpRMode(fpcr), N, intBits(p));
    case 24: return FPConvert(a, fpcr, fpRMode(fpcr), N, p); // FCVT to p bits
    case 25: return FPConvert(a, fpcr, FPRounding_ODD, 64, 32); // FCVTXN
    case 26: return FPRecipEstimate(a, fpcr, N);
    case 27: return FPRSqrtEstimate(a, fpcr, N);
    case 28: return FPRecipStepFused(a, b, fpcr, N);
    case 29: return FPRSqrtStepFused(a, b, fpcr, N);
    case 30: return FPRecpX(a, fpcr, N);
    case 31: { // FJCVTZS: result | Z << 32
      const r = FPToFixedJS(a, fpcr);
      return r | (fpjsZ ? <u64>1 << 32 : 0);
    }
    case 32: { // FRINT32/64{Z,X}: p = (3 Z | 7 X) | intsize << 8
      const rm = (p & 0xF) == 7 ? fpRMode(fpcr) : 3;
      return FPRoundIntN(a, fpcr, rm, p >> 8, N);
    }
    case 33: // FMLAL/FMLSL (p = 1) Vd.2S, Vn.2H, Vm.2H: two lanes
      return <u64>mlalLane(<u32>a, <u32>b & 0xFFFF, <u32>c & 0xFFFF, fpcr, p) |
        (<u64>mlalLane(<u32>(a >> 32), (<u32>b >> 16) & 0xFFFF, (<u32>c >> 16) & 0xFFFF, fpcr, p) << 32);
    case 34: // URECPE Vd.2S
      return <u64>UnsignedRecipEstimate(<u32>a) | (<u64>UnsignedRecipEstimate(<u32>(a >> 32)) << 32);
    case 35: // URSQRTE Vd.2S
      return <u64>UnsignedRSqrtEstimate(<u32>a) | (<u64>UnsignedRSqrtEstimate(<u32>(a >> 32)) << 32);
    default: return 0xDEAD;
  }
}

// Timing helper: `iters` calls of run() with operand a stepped by one ulp.
export function bench(op: i32, N: i32, fpcr: u32, a: u64, b: u64, c: u64, p: i32, iters: i32): u64 {
  let acc: u64 = 0;
  for (let i = 0; i < iters; i++) acc ^= run(op, N, fpcr, a + <u64>(i & 0xFFFF), b, c, p);
  fpTakeFlags();
  return acc;
}
