// Semantics: Advanced SIMD integer multiplies by element (vector and
// scalar). The element of V[m] is read once; products of 16- and 32-bit
// elements are exact in 64 bits, and the doubling forms saturate only when
// both operands are the most negative value.
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vAddr } from "./simdfp";
import { setQC, satS } from "./simd_lanes";
import { RES, clearRes, writeRes, sizeOf, sx, ld, st } from "./simd_misc";

// OP_SIMD_ELEM sub-operations.
export const ELEM_MUL: u32 = 0;
export const ELEM_MLA: u32 = 1;
export const ELEM_MLS: u32 = 2;
export const ELEM_SQDMULH: u32 = 3;
export const ELEM_SQRDMULH: u32 = 4;
// OP_SIMD_ELEML sub-operations (| ELEML_UNSIGNED for UMULL, UMLAL, UMLSL).
export const ELEML_MULL: u32 = 0;
export const ELEML_MLAL: u32 = 1;
export const ELEML_MLSL: u32 = 2;
export const ELEML_SQDMULL: u32 = 3;
export const ELEML_SQDMLAL: u32 = 4;
export const ELEML_SQDMLSL: u32 = 5;
export const ELEML_UNSIGNED: u32 = 8;

// ---- same element size ---------------------------------------------------------------------
export function execSimdElem(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), op = fD(w), f = fF(w);
  let index = <u32>imm(e), cnt = f >> 2;
  clearRes();
  if ((f & 3) == 1) elem<u16>(op, d, n, m, index, cnt);
  else elem<u32>(op, d, n, m, index, cnt);
  writeRes(d);
  return O.R_NEXT;
}
function elem<T>(op: u32, d: u32, n: u32, m: u32, index: u32, cnt: u32): void {
  const sz = sizeOf<T>();
  const esize = <i64>(8 << sz);
  let b = sx<T>(ld<T>(vAddr(m), index));
  let src = vAddr(n), acc = vAddr(d);
  for (let i: u32 = 0; i < cnt; i++) {
    let p = sx<T>(ld<T>(src, i)) * b;
    let r: u64;
    switch (op) {
      case ELEM_MUL: r = <u64>p; break;
      case ELEM_MLA: r = ld<T>(acc, i) + <u64>p; break;
      case ELEM_MLS: r = ld<T>(acc, i) - <u64>p; break;
      // (2 * a * b) >> esize, with + 2^(esize-1) when rounding, halved.
      case ELEM_SQDMULH: r = satS(p >> (esize - 1), sz); break;
      default: r = satS((p + (<i64>1 << (esize - 2))) >> (esize - 1), sz); break; // SQRDMULH
    }
    st<T>(RES, i, r);
  }
}

// ---- long: T is the source element, W the result (2 * esize) ----------------------------------
export function execSimdElemLong(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), op = fD(w), f = fF(w);
  let index = <u32>imm(e), cnt = f >> 3;
  let src = vAddr(n) + (<usize>((f >> 2) & 1) << 3); // the "2" forms read the upper half
  clearRes();
  if ((f & 3) == 1) elemLong<u16, u32>(op, d, src, m, index, cnt);
  else elemLong<u32, u64>(op, d, src, m, index, cnt);
  writeRes(d);
  return O.R_NEXT;
}
function elemLong<T, W>(op: u32, d: u32, src: usize, m: u32, index: u32, cnt: u32): void {
  const wsz = sizeOf<W>();
  let acc = vAddr(d);
  let bu = ld<T>(vAddr(m), index);
  let unsigned = (op & ELEML_UNSIGNED) != 0;
  let kind = op & 7;
  let bs = sx<T>(bu);
  for (let i: u32 = 0; i < cnt; i++) {
    let a = ld<T>(src, i);
    let r: u64;
    if (kind < ELEML_SQDMULL) {
      let p = unsigned ? a * bu : <u64>(sx<T>(a) * bs);
      r = kind == ELEML_MULL ? p : kind == ELEML_MLAL ? ld<W>(acc, i) + p : ld<W>(acc, i) - p;
    } else {
      // SignedSatQ(2 * a * b, 2 * esize); for 32-bit elements only MIN * MIN overflows.
      let p = sx<T>(a) * bs;
      let prod: i64;
      if (wsz == 3) {
        if (p == <i64>1 << 62) { setQC(); prod = i64.MAX_VALUE; } else prod = p << 1;
      } else prod = <i64>satS(p << 1, wsz) << 32 >> 32;
      if (kind == ELEML_SQDMULL) { r = <u64>prod; }
      else {
        // prod > MIN, so negating it for SQDMLSL cannot overflow.
        if (kind == ELEML_SQDMLSL) prod = -prod;
        let a64 = sx<W>(ld<W>(acc, i));
        if (wsz < 3) r = satS(a64 + prod, wsz);
        else {
          let t = a64 + prod;
          if (((a64 ^ t) & (prod ^ t)) < 0) { setQC(); r = a64 < 0 ? <u64>i64.MIN_VALUE : <u64>i64.MAX_VALUE; } else r = <u64>t;
        }
      }
    }
    st<W>(RES, i, r);
  }
}
