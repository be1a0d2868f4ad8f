// Semantics: Advanced SIMD integer two-register misc (vector and scalar) and
// across lanes. The handlers that work element by element stage the result
// in RES and copy it to V[d] at the end, so V[d] may also be a source (read
// where the instruction accumulates or keeps half of it); staging starts at
// zero, which gives the zeroed upper half of a 64-bit vector result and of a
// scalar result. Operations that are the same on every bit of a lane work on
// 64 bits at once instead.
// Element counts are computed at decode time (ops.ts has the field layouts).
import { fA, fB, fC, fD, fF } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vAddr, vLo, vHi, setV } from "./simdfp";
import { setQC, satS, satU } from "./simd_lanes";

// ---- sub-operations (field d) ----------------------------------------------------------
// OP_SIMD_UNARY
export const MISC_CLS: u32 = 0;
export const MISC_CLZ: u32 = 1;
export const MISC_CNT: u32 = 2;
export const MISC_NOT: u32 = 3;
export const MISC_RBIT: u32 = 4;
export const MISC_SQABS: u32 = 5;
export const MISC_SQNEG: u32 = 6;
export const MISC_CMGT0: u32 = 7;
export const MISC_CMGE0: u32 = 8;
export const MISC_CMEQ0: u32 = 9;
export const MISC_CMLE0: u32 = 10;
export const MISC_CMLT0: u32 = 11;
export const MISC_ABS: u32 = 12;
export const MISC_NEG: u32 = 13;
export const MISC_SUQADD: u32 = 14;
export const MISC_USQADD: u32 = 15;
// OP_SIMD_ACROSS
export const ACROSS_SADDLV: u32 = 0;
export const ACROSS_UADDLV: u32 = 1;
export const ACROSS_SMAXV: u32 = 2;
export const ACROSS_UMAXV: u32 = 3;
export const ACROSS_SMINV: u32 = 4;
export const ACROSS_UMINV: u32 = 5;
export const ACROSS_ADDV: u32 = 6;

// ---- shared by the group's handlers ------------------------------------------------------
// The result being built (16 bytes).
export const RES: usize = memory.data(16);
@inline export function clearRes(): void { store<u64>(RES, 0); store<u64>(RES, 0, 8); }
@inline export function writeRes(d: u32): void { setV(d, load<u64>(RES), load<u64>(RES, 8)); }

// log2(bytes) of an element type, and SignExtend of a zero-extended element of it.
@inline export function sizeOf<T>(): u32 { return sizeof<T>() == 1 ? 0 : sizeof<T>() == 2 ? 1 : sizeof<T>() == 4 ? 2 : 3; }
@inline export function sx<T>(x: u64): i64 {
  const sh = <u64>(64 - (sizeof<T>() << 3));
  return <i64>(x << sh) >> sh;
}
// Element i of V[v] (or of the staging area), zero-extended.
@inline export function ld<T>(base: usize, i: u32): u64 { return <u64>load<T>(base + (<usize>i << sizeOf<T>())); }
@inline export function st<T>(base: usize, i: u32, x: u64): void { store<T>(base + (<usize>i << sizeOf<T>()), <T>x); }

// UnsignedSatQ of an unsigned 64-bit value to the width of T.
@inline export function satUU<T>(x: u64): u64 {
  const max: u64 = sizeof<T>() == 8 ? <u64>-1 : (<u64>1 << (sizeof<T>() << 3)) - 1;
  if (x > max) { setQC(); return max; }
  return x;
}

// ---- two-register misc, same element size ----------------------------------------------
// Lane-parallel forms on 64 bits at once. The byte-only operations:
@inline function rbit8x8(x: u64): u64 {
  x = ((x >> 4) & 0x0f0f_0f0f_0f0f_0f0f) | ((x & 0x0f0f_0f0f_0f0f_0f0f) << 4);
  x = ((x >> 2) & 0x3333_3333_3333_3333) | ((x & 0x3333_3333_3333_3333) << 2);
  return ((x >> 1) & 0x5555_5555_5555_5555) | ((x & 0x5555_5555_5555_5555) << 1);
}
@inline function cnt8x8(x: u64): u64 {
  x = x - ((x >> 1) & 0x5555_5555_5555_5555);
  x = (x & 0x3333_3333_3333_3333) + ((x >> 2) & 0x3333_3333_3333_3333);
  return (x + (x >> 4)) & 0x0f0f_0f0f_0f0f_0f0f;
}
// The compares with zero, any element size; h has the sign bit of every
// element. A lane's low bits plus all ones below its sign bit carry into the
// sign bit exactly when they are not zero, and never out of the lane.
@inline function cmpZero(x: u64, op: u32, h: u64, esize: u64): u64 {
  let neg = x & h;
  let nonzero = (((x & ~h) + ~h) | x) & h;
  let m: u64;
  if (op == MISC_CMEQ0) m = nonzero ^ h;
  else if (op == MISC_CMLT0 || op == MISC_CMGE0) m = neg;
  else m = (nonzero ^ h) | neg; // CMLE0, CMGT0
  m |= m - (m >> (esize - 1));  // sign bit to the whole element
  return op == MISC_CMGE0 || op == MISC_CMGT0 ? ~m : m;
}
// Replicate(1 << (esize - 1)) for each element size.
const SIGN_BITS: usize = memory.data<u64>([0x8080_8080_8080_8080, 0x8000_8000_8000_8000, 0x8000_0000_8000_0000, 0x8000_0000_0000_0000]);

export function execSimdUnary(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), size = fC(w), op = fD(w), cnt = fF(w);
  let wide = (cnt << size) == 16; // 128 bits (cnt = 1 is a scalar, 64 bits)
  if (op >= MISC_CNT && op <= MISC_RBIT) { // 8B/16B only
    let lo = vLo(n), hi: u64 = wide ? vHi(n) : 0;
    if (op == MISC_NOT) { lo = ~lo; hi = wide ? ~hi : 0; }
    else if (op == MISC_CNT) { lo = cnt8x8(lo); hi = cnt8x8(hi); }
    else { lo = rbit8x8(lo); hi = rbit8x8(hi); }
    setV(d, lo, hi);
    return O.R_NEXT;
  }
  if (op >= MISC_CMGT0 && op <= MISC_CMLT0) {
    let h = load<u64>(SIGN_BITS + (<usize>size << 3)), esize = <u64>(8 << size);
    setV(d, cmpZero(vLo(n), op, h, esize), wide ? cmpZero(vHi(n), op, h, esize) : 0);
    return O.R_NEXT;
  }
  clearRes();
  if (size == 0) unary<u8>(op, d, n, cnt);
  else if (size == 1) unary<u16>(op, d, n, cnt);
  else if (size == 2) unary<u32>(op, d, n, cnt);
  else unary<u64>(op, d, n, cnt);
  writeRes(d);
  return O.R_NEXT;
}

const I64_MIN: i64 = i64.MIN_VALUE, I64_MAX: i64 = i64.MAX_VALUE;

// CLS, CLZ, SQABS, SQNEG, ABS, NEG, SUQADD, USQADD.
function unary<T>(op: u32, d: u32, n: u32, cnt: u32): void {
  const esize = <u64>(sizeof<T>() << 3), sz = sizeOf<T>();
  let src = vAddr(n), acc = vAddr(d);
  switch (op) {
    case MISC_CLS: // CountLeadingSignBits: leading zeros of x<N-1:1> XOR x<N-2:0>
      for (let i: u32 = 0; i < cnt; i++) { let s = sx<T>(ld<T>(src, i)); st<T>(RES, i, <u64>clz(s ^ (s >> 1)) - (65 - esize)); }
      break;
    case MISC_CLZ:
      for (let i: u32 = 0; i < cnt; i++) st<T>(RES, i, <u64>clz(ld<T>(src, i)) - (64 - esize));
      break;
    case MISC_ABS:
      for (let i: u32 = 0; i < cnt; i++) { let s = sx<T>(ld<T>(src, i)); st<T>(RES, i, <u64>(s < 0 ? -s : s)); }
      break;
    case MISC_NEG:
      for (let i: u32 = 0; i < cnt; i++) st<T>(RES, i, -ld<T>(src, i));
      break;
    case MISC_SQABS: case MISC_SQNEG: {
      let negate = op == MISC_SQNEG;
      for (let i: u32 = 0; i < cnt; i++) {
        let s = sx<T>(ld<T>(src, i));
        if (!negate && s >= 0) { st<T>(RES, i, <u64>s); continue; }
        let r: u64;
        if (sz < 3) r = satS(-s, sz);
        else if (s == I64_MIN) { setQC(); r = <u64>I64_MAX; }
        else r = <u64>-s;
        st<T>(RES, i, r);
      }
      break;
    }
    case MISC_SUQADD: // signed accumulator V[d] + unsigned V[n], signed saturation
      for (let i: u32 = 0; i < cnt; i++) {
        let x = ld<T>(src, i), a = sx<T>(ld<T>(acc, i));
        let r: u64;
        if (sz < 3) r = satS(a + <i64>x, sz);
        // a + x > MAX exactly when x > MAX - a (which fits in 64 unsigned bits).
        else if (x > <u64>I64_MAX - <u64>a) { setQC(); r = <u64>I64_MAX; }
        else r = <u64>a + x;
        st<T>(RES, i, r);
      }
      break;
    default: // MISC_USQADD: unsigned accumulator V[d] + signed V[n], unsigned saturation
      for (let i: u32 = 0; i < cnt; i++) {
        let s = sx<T>(ld<T>(src, i)), a = ld<T>(acc, i);
        let r: u64;
        if (sz < 3) r = satU(<i64>a + s, sz);
        else if (s >= 0) { r = a + <u64>s; if (r < a) { setQC(); r = <u64>-1; } }
        else if (a < <u64>-s) { setQC(); r = 0; }
        else r = a - <u64>-s;
        st<T>(RES, i, r);
      }
      break;
  }
}

// ---- REV16, REV32, REV64 -----------------------------------------------------------------
// Reversing the elements within each container maps byte i to byte i XOR
// (container bytes - element bytes); each set bit of that mask swaps bytes,
// halfwords or words.
@inline function revBytes(x: u64, mask: u32): u64 {
  if (mask & 1) x = ((x >> 8) & 0x00ff_00ff_00ff_00ff) | ((x & 0x00ff_00ff_00ff_00ff) << 8);
  if (mask & 2) x = ((x >> 16) & 0x0000_ffff_0000_ffff) | ((x & 0x0000_ffff_0000_ffff) << 16);
  if (mask & 4) x = rotr<u64>(x, 32);
  return x;
}
export function execSimdRev(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), mask = fF(w);
  setV(fA(w), revBytes(vLo(n), mask), fD(w) ? revBytes(vHi(n), mask) : 0);
  return O.R_NEXT;
}

// ---- SADDLP, UADDLP, SADALP, UADALP ------------------------------------------------------
export function execSimdAddlp(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), size = fC(w), op = fD(w), cnt = fF(w);
  clearRes();
  if (size == 0) addlp<u8, u16>(op, d, n, cnt);
  else if (size == 1) addlp<u16, u32>(op, d, n, cnt);
  else addlp<u32, u64>(op, d, n, cnt);
  writeRes(d);
  return O.R_NEXT;
}
function addlp<T, W>(op: u32, d: u32, n: u32, cnt: u32): void {
  let src = vAddr(n), acc = vAddr(d);
  let unsigned = (op & 1) != 0, accumulate = (op & 2) != 0;
  for (let i: u32 = 0; i < cnt; i++) {
    let a = ld<T>(src, 2 * i), b = ld<T>(src, 2 * i + 1);
    let r = unsigned ? a + b : <u64>(sx<T>(a) + sx<T>(b));
    if (accumulate) r += ld<W>(acc, i);
    st<W>(RES, i, r);
  }
}

// ---- across lanes ------------------------------------------------------------------------
export function execSimdAcross(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w), op = fD(w), cnt = fF(w), n = fB(w);
  let r: u64;
  if (size == 0) r = across<u8>(op, n, cnt);
  else if (size == 1) r = across<u16>(op, n, cnt);
  else r = across<u32>(op, n, cnt);
  setV(fA(w), r, 0);
  return O.R_NEXT;
}
// The scalar result, zero-extended: esize bits, 2 * esize for the long sums.
function across<T>(op: u32, n: u32, cnt: u32): u64 {
  const mask: u64 = (<u64>1 << (sizeof<T>() << 3)) - 1;
  const wmask: u64 = sizeof<T>() == 4 ? <u64>-1 : (<u64>1 << (sizeof<T>() << 4)) - 1;
  let src = vAddr(n);
  let x = ld<T>(src, 0), s = sx<T>(x);
  switch (op) {
    case ACROSS_SADDLV: for (let i: u32 = 1; i < cnt; i++) s += sx<T>(ld<T>(src, i)); return <u64>s & wmask;
    case ACROSS_UADDLV: for (let i: u32 = 1; i < cnt; i++) x += ld<T>(src, i); return x;
    case ACROSS_SMAXV: for (let i: u32 = 1; i < cnt; i++) s = max(s, sx<T>(ld<T>(src, i))); return <u64>s & mask;
    case ACROSS_UMAXV: for (let i: u32 = 1; i < cnt; i++) x = max(x, ld<T>(src, i)); return x;
    case ACROSS_SMINV: for (let i: u32 = 1; i < cnt; i++) s = min(s, sx<T>(ld<T>(src, i))); return <u64>s & mask;
    case ACROSS_UMINV: for (let i: u32 = 1; i < cnt; i++) x = min(x, ld<T>(src, i)); return x;
    default: for (let i: u32 = 1; i < cnt; i++) x += ld<T>(src, i); return x & mask; // ADDV
  }
}
