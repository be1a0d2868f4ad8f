// Semantics: Advanced SIMD floating point, vector and scalar (group FPVEC),
// lane by lane on the Arm-exact library in assembly/fp. The flags of all
// lanes accumulate and are merged into FPSR once per instruction, as the
// architecture ORs them. Field layouts are in decode/ops.ts; a scalar form is
// a vector form of one element, so the rest of Vd is zeroed the same way.
import { fA, fB, fC, fD, fF } from "../decode/entry";
import * as O from "../decode/ops";
import {
  FPAdd, FPSub, FPMul, FPDiv, FPMulX, FPMulAdd, FPSqrt, FPMax, FPMin, FPMaxNum, FPMinNum,
  FPCompareEQ, FPCompareGE, FPCompareGT, FPAbs, FPNeg, FPRecipStepFused, FPRSqrtStepFused,
  FPRoundInt, FPToFixed, FixedToFP, FPConvert, FPRecpX, FPRecipEstimate, FPRSqrtEstimate,
  UnsignedRecipEstimate, UnsignedRSqrtEstimate, fpRMode, FPRounding_ODD,
} from "../fp/index";
import { fpTrapEL, fpAccessTrap, vLo, vHi, setV, setVScalar, fpcr, mergeFPFlags } from "./simdfp";
import { elem } from "./simd_lanes";

// The result is assembled here and written at the end, because Vd may also
// be a source (Vn, Vm, or the accumulator).
const OUT: usize = memory.data(16, 16);

@inline function putLane(i: u32, size: u32, r: u64): void {
  if (size == 3) store<u64>(OUT + (<usize>i << 3), r);
  else store<u32>(OUT + (<usize>i << 2), <u32>r);
}
// V[d] = the first `lanes` elements of OUT, zero-extended to 128 bits.
@inline function writeOut(d: u32, lanes: u32, size: u32): void {
  let width = lanes << (size + 3);
  setV(d, width == 32 ? <u64>load<u32>(OUT) : load<u64>(OUT), width == 128 ? load<u64>(OUT, 8) : 0);
}

// The f field: bit 0 sz, bits 3:1 element count.
@inline function sizeOf(f: u32): u32 { return 2 + (f & 1); }
@inline function lanesOf(f: u32): u32 { return (f >> 1) & 7; }

// All ones in an N-bit element: the TRUE of the comparisons.
@inline function ones(N: i32): u64 { return N == 64 ? <u64>-1 : 0xffff_ffff; }
@inline function mask(t: bool, N: i32): u64 { return t ? ones(N) : 0; }

// One element of a two-operand operation (FPBIN_*); acc is Vd's element for FMLA/FMLS.
function binOp(op: u32, x: u64, y: u64, acc: u64, cr: u32, N: i32): u64 {
  switch (op) {
    case O.FPBIN_ADD: return FPAdd(x, y, cr, N);
    case O.FPBIN_SUB: return FPSub(x, y, cr, N);
    case O.FPBIN_MUL: return FPMul(x, y, cr, N);
    case O.FPBIN_DIV: return FPDiv(x, y, cr, N);
    case O.FPBIN_MAX: return FPMax(x, y, cr, N);
    case O.FPBIN_MIN: return FPMin(x, y, cr, N);
    case O.FPBIN_MAXNM: return FPMaxNum(x, y, cr, N);
    case O.FPBIN_MINNM: return FPMinNum(x, y, cr, N);
    case O.FPBIN_MULX: return FPMulX(x, y, cr, N);
    case O.FPBIN_ABD: return FPAbs(FPSub(x, y, cr, N), N);
    case O.FPBIN_RECPS: return FPRecipStepFused(x, y, cr, N);
    case O.FPBIN_RSQRTS: return FPRSqrtStepFused(x, y, cr, N);
    case O.FPBIN_CMEQ: return mask(FPCompareEQ(x, y, cr, N), N);
    case O.FPBIN_CMGE: return mask(FPCompareGE(x, y, cr, N), N);
    case O.FPBIN_CMGT: return mask(FPCompareGT(x, y, cr, N), N);
    // FACGE, FACGT: the absolute values are taken first, NaNs included.
    case O.FPBIN_ACGE: return mask(FPCompareGE(FPAbs(x, N), FPAbs(y, N), cr, N), N);
    case O.FPBIN_ACGT: return mask(FPCompareGT(FPAbs(x, N), FPAbs(y, N), cr, N), N);
    // Fused: one rounding. FMLS negates the multiplicand (a NaN too) before the product.
    case O.FPBIN_MLA: return FPMulAdd(acc, x, y, cr, N);
    case O.FPBIN_MLS: return FPMulAdd(acc, FPNeg(x, N), y, cr, N);
    default: return x + y; // FPBIN_ADDP: integer, 64-bit, modulo
  }
}

// Three same (elementwise), vector and scalar.
export function execFpBin(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), op = fD(w), f = fF(w), cr = fpcr();
  let size = sizeOf(f), lanes = lanesOf(f), N = <i32>(8 << size);
  for (let i: u32 = 0; i < lanes; i++) {
    putLane(i, size, binOp(op, elem(n, i, size), elem(m, i, size), elem(d, i, size), cr, N));
  }
  writeOut(d, lanes, size);
  mergeFPFlags();
  return O.R_NEXT;
}

// By element: the second operand is Vm[index] for every element.
export function execFpBinElem(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), op = fD(w), f = fF(w), cr = fpcr();
  let size = sizeOf(f), lanes = lanesOf(f), N = <i32>(8 << size);
  let y = elem(fC(w), (f >> 4) & 3, size);
  for (let i: u32 = 0; i < lanes; i++) {
    putLane(i, size, binOp(op, elem(n, i, size), y, elem(d, i, size), cr, N));
  }
  writeOut(d, lanes, size);
  mergeFPFlags();
  return O.R_NEXT;
}

// Pairwise: element i of the result combines elements 2i and 2i+1 of the
// concatenation Vm:Vn (Vn the low half); the scalar forms combine Vn's
// elements 0 and 1.
export function execFpPair(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), op = fD(w), f = fF(w), cr = fpcr();
  let size = sizeOf(f), lanes = lanesOf(f), N = <i32>(8 << size);
  let half = lanes > 1 ? lanes >> 1 : 1;
  for (let i: u32 = 0; i < lanes; i++) {
    let src = i < half ? n : m;
    let j = (i < half ? i : i - half) << 1;
    putLane(i, size, binOp(op, elem(src, j, size), elem(src, j + 1, size), 0, cr, N));
  }
  writeOut(d, lanes, size);
  mergeFPFlags();
  return O.R_NEXT;
}

// FMAXNMV, FMINNMV, FMAXV, FMINV (4S): Reduce() halves the vector
// recursively, so the order is op(op(e0, e1), op(e2, e3)), which decides
// which NaN propagates and which flags are raised.
export function execFpReduce(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), op = fD(w), cr = fpcr();
  let lo = binOp(op, elem(n, 0, 2), elem(n, 1, 2), 0, cr, 32);
  let hi = binOp(op, elem(n, 2, 2), elem(n, 3, 2), 0, cr, 32);
  setVScalar(fA(w), binOp(op, lo, hi, 0, cr, 32));
  mergeFPFlags();
  return O.R_NEXT;
}

// One element of a one-operand operation (FPUN_*).
function unOp(op: u32, x: u64, rmode: i32, unsigned: bool, fbits: i32, cr: u32, N: i32): u64 {
  switch (op) {
    case O.FPUN_ABS: return FPAbs(x, N);
    case O.FPUN_NEG: return FPNeg(x, N);
    case O.FPUN_SQRT: return FPSqrt(x, cr, N);
    case O.FPUN_RINT: return FPRoundInt(x, cr, rmode, false, N);
    case O.FPUN_RINTX: return FPRoundInt(x, cr, rmode, true, N);
    case O.FPUN_TOFIXED: return FPToFixed(x, fbits, unsigned, cr, rmode, N, N);
    case O.FPUN_FROMFIXED: return FixedToFP(x, fbits, unsigned, cr, rmode, N, N);
    case O.FPUN_RECPE: return FPRecipEstimate(x, cr, N);
    case O.FPUN_RSQRTE: return FPRSqrtEstimate(x, cr, N);
    case O.FPUN_RECPX: return FPRecpX(x, cr, N);
    case O.FPUN_URECPE: return <u64>UnsignedRecipEstimate(<u32>x);
    case O.FPUN_URSQRTE: return <u64>UnsignedRSqrtEstimate(<u32>x);
    // Comparisons with #0.0; the LT and LE forms swap the operands.
    case O.FPUN_CMGT0: return mask(FPCompareGT(x, 0, cr, N), N);
    case O.FPUN_CMEQ0: return mask(FPCompareEQ(x, 0, cr, N), N);
    case O.FPUN_CMLT0: return mask(FPCompareGT(0, x, cr, N), N);
    case O.FPUN_CMGE0: return mask(FPCompareGE(x, 0, cr, N), N);
    default: return mask(FPCompareGE(0, x, cr, N), N); // FPUN_CMLE0
  }
}

// Two-register misc (elementwise) and the fixed-point conversions of shift by immediate.
export function execFpUn(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), op = fC(w), p = fD(w), f = fF(w), cr = fpcr();
  let size = sizeOf(f), lanes = lanesOf(f), N = <i32>(8 << size);
  let rmode = <i32>(p & 7);
  if (rmode == O.FPVEC_RMODE_FPCR) rmode = fpRMode(cr);
  let unsigned = (p & 8) != 0, fbits = <i32>(f >> 8);
  for (let i: u32 = 0; i < lanes; i++) {
    putLane(i, size, unOp(op, elem(n, i, size), rmode, unsigned, fbits, cr, N));
  }
  writeOut(d, lanes, size);
  mergeFPFlags();
  return O.R_NEXT;
}

// FCVTN, FCVTN2 (FPCR's rounding; to half honouring AHP), FCVTXN, FCVTXN2
// and scalar FCVTXN (round to odd): 128 bits of wide elements to 64 bits
// of narrow ones, written to the low half of Vd (upper zeroed) or, for the
// "2" forms, to the upper half (lower kept).
export function execFpNarrow(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), part = fD(w), srcN = <i32>fF(w), cr = fpcr();
  let rounding = fC(w) ? FPRounding_ODD : fpRMode(cr);
  if (part == 2) {
    setVScalar(d, FPConvert(vLo(n), cr, rounding, 64, 32));
  } else {
    let dstN = srcN >> 1, srcSize: u32 = srcN == 64 ? 3 : 2;
    let lanes = <u32>(128 / srcN);
    let r: u64 = 0;
    for (let i: u32 = 0; i < lanes; i++) {
      r |= FPConvert(elem(n, i, srcSize), cr, rounding, srcN, dstN) << <u64>(<i32>i * dstN);
    }
    if (part) setV(d, vLo(d), r);
    else setV(d, r, 0);
  }
  mergeFPFlags();
  return O.R_NEXT;
}

// FCVTL, FCVTL2: the low (or, for the "2" form, high) 64 bits of Vn, half
// to single (honouring AHP) or single to double; exact.
export function execFpWiden(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), srcN = <i32>fF(w), cr = fpcr();
  let src = fD(w) ? vHi(n) : vLo(n);
  let dstN = srcN << 1, rmode = fpRMode(cr);
  let srcMask: u64 = (<u64>1 << <u64>srcN) - 1;
  let half = <u32>(32 / srcN); // elements per 64-bit result half
  let lo: u64 = 0, hi: u64 = 0;
  for (let i: u32 = 0; i < half; i++) {
    let sh = <u64>(<i32>i * dstN);
    lo |= FPConvert((src >> <u64>(<i32>i * srcN)) & srcMask, cr, rmode, srcN, dstN) << sh;
    hi |= FPConvert((src >> <u64>(<i32>(i + half) * srcN)) & srcMask, cr, rmode, srcN, dstN) << sh;
  }
  setV(fA(w), lo, hi);
  mergeFPFlags();
  return O.R_NEXT;
}
