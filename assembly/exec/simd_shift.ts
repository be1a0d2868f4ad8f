// Semantics: Advanced SIMD shift by immediate (vector and scalar), and the
// narrowing and widening moves of two-register misc that are the same
// operations with a fixed shift: XTN = SHRN #0, SQXTN = SQSHRN #0, UQXTN =
// UQSHRN #0, SQXTUN = SQSHRUN #0, SHLL = USHLL #esize. Shift amounts are
// resolved at decode time (right shifts 1..esize, left shifts 0..esize-1).
// Rounding shifts add 2^(shift-1) before shifting; that is computed as
// (x >> shift) + x<shift-1>, which cannot overflow 64 bits.
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vAddr, vLo } from "./simdfp";
import { setQC, satS, satU } from "./simd_lanes";
import { RES, clearRes, writeRes, sizeOf, sx, ld, st, satUU } from "./simd_misc";

// OP_SIMD_SHIFT sub-operations. 0..7: right shifts, bit 0 unsigned, bit 1
// accumulate, bit 2 round (SSHR, USHR, SSRA, USRA, SRSHR, URSHR, SRSRA, URSRA).
export const SHIFT_ACC: u32 = 2;
export const SHIFT_ROUND: u32 = 4;
export const SHIFT_SRI: u32 = 8;
export const SHIFT_SHL: u32 = 9;
export const SHIFT_SLI: u32 = 10;
export const SHIFT_SQSHL: u32 = 11;
export const SHIFT_UQSHL: u32 = 12;
export const SHIFT_SQSHLU: u32 = 13;
// OP_SIMD_NARROW: how the shifted 2 * esize element becomes esize bits (bit 2: round).
export const NARROW_TRUNC: u32 = 0;  // XTN, SHRN, RSHRN
export const NARROW_SS: u32 = 1;     // signed to signed saturating: SQXTN, SQSHRN, SQRSHRN
export const NARROW_UU: u32 = 2;     // unsigned to unsigned saturating: UQXTN, UQSHRN, UQRSHRN
export const NARROW_SU: u32 = 3;     // signed to unsigned saturating: SQXTUN, SQSHRUN, SQRSHRUN
export const NARROW_ROUND: u32 = 4;

// ---- same element size ---------------------------------------------------------------------
export function execSimdShift(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), size = fC(w), op = fD(w), cnt = fF(w);
  let sh = <u32>imm(e);
  clearRes();
  if (size == 0) shift<u8>(op, d, n, cnt, sh);
  else if (size == 1) shift<u16>(op, d, n, cnt, sh);
  else if (size == 2) shift<u32>(op, d, n, cnt, sh);
  else shift<u64>(op, d, n, cnt, sh);
  writeRes(d);
  return O.R_NEXT;
}

const ONES: u64 = <u64>-1;

function shift<T>(op: u32, d: u32, n: u32, cnt: u32, sh: u32): void {
  const sz = sizeOf<T>();
  const emask: u64 = sz == 3 ? ONES : (<u64>1 << <u64>(8 << sz)) - 1;
  let src = vAddr(n), acc = vAddr(d);
  let s64 = <u64>sh;
  // x >> sh for the right shifts, where sh may be 64 (size 3).
  let srl = sh >= 64;
  for (let i: u32 = 0; i < cnt; i++) {
    let x = ld<T>(src, i);
    let r: u64;
    if (op < SHIFT_SRI) {
      if (op & 1) {
        r = srl ? 0 : x >> s64;
        if (op & SHIFT_ROUND) r += (x >> (s64 - 1)) & 1;
      } else {
        let s = sx<T>(x);
        r = <u64>(s >> <i64>min<u32>(sh, 63));
        if (op & SHIFT_ROUND) r += <u64>(s >> <i64>(sh - 1)) & 1;
      }
      if (op & SHIFT_ACC) r += ld<T>(acc, i);
    } else {
      switch (op) {
        case SHIFT_SRI: {
          let mask = srl ? 0 : emask >> s64;
          r = (ld<T>(acc, i) & ~mask) | (srl ? 0 : x >> s64);
          break;
        }
        case SHIFT_SHL: r = x << s64; break;
        case SHIFT_SLI: r = (ld<T>(acc, i) & ~(emask << s64)) | (x << s64); break;
        case SHIFT_SQSHL: {
          let s = sx<T>(x);
          if (sz < 3) { r = satS(s << <i64>sh, sz); break; } // |s| < 2^31, sh < 32: no overflow
          let t = s << <i64>sh;
          if ((t >> <i64>sh) != s) { setQC(); r = s < 0 ? <u64>i64.MIN_VALUE : <u64>i64.MAX_VALUE; } else r = <u64>t;
          break;
        }
        case SHIFT_UQSHL:
          if (sz < 3) { r = satU(<i64>(x << s64), sz); break; }
          r = x << s64;
          if ((r >> s64) != x) { setQC(); r = ONES; }
          break;
        default: { // SHIFT_SQSHLU: UnsignedSatQ(SInt(element) << shift)
          let s = sx<T>(x);
          if (s < 0) { setQC(); r = 0; break; }
          if (sz < 3) { r = satU(s << <i64>sh, sz); break; }
          r = x << s64;
          if ((r >> s64) != x) { setQC(); r = ONES; }
          break;
        }
      }
    }
    st<T>(RES, i, r);
  }
}

// ---- narrowing: T is the result element, W the source (2 * esize) ------------------------------
export function execSimdNarrow(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), size = fC(w), op = fD(w), f = fF(w);
  let sh = imm(e);
  let cnt = f & 0xff;
  // The "2" forms write the upper half and keep the lower half of V[d].
  let out = RES;
  if (f >> 8) { store<u64>(RES, vLo(d)); out += 8; } else store<u64>(RES, 0);
  store<u64>(RES, 0, 8);
  if (size == 0) narrow<u8, u16>(op, n, cnt, sh, out);
  else if (size == 1) narrow<u16, u32>(op, n, cnt, sh, out);
  else narrow<u32, u64>(op, n, cnt, sh, out);
  writeRes(d);
  return O.R_NEXT;
}
function narrow<T, W>(op: u32, n: u32, cnt: u32, sh: u64, out: usize): void {
  const sz = sizeOf<T>();
  let src = vAddr(n);
  let round = (op & NARROW_ROUND) != 0 && sh != 0;
  let kind = op & 3;
  for (let i: u32 = 0; i < cnt; i++) {
    let x = ld<W>(src, i);
    let r: u64;
    if (kind == NARROW_SS || kind == NARROW_SU) {
      let s = sx<W>(x);
      let v = s >> <i64>sh;
      if (round) v += (s >> <i64>(sh - 1)) & 1;
      r = kind == NARROW_SS ? satS(v, sz) : satU(v, sz);
    } else {
      let v = x >> sh;
      if (round) v += (x >> (sh - 1)) & 1;
      r = kind == NARROW_UU ? satUU<T>(v) : v;
    }
    st<T>(out, i, r);
  }
}

// ---- widening: T is the source element, W the result -----------------------------------------
export function execSimdWiden(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), size = fC(w);
  let unsigned = fD(w) != 0;
  let src = vAddr(n) + (<usize>fF(w) << 3); // the "2" forms read the upper half
  let sh = imm(e);
  if (size == 0) widen<u8, u16>(unsigned, src, sh);
  else if (size == 1) widen<u16, u32>(unsigned, src, sh);
  else widen<u32, u64>(unsigned, src, sh);
  writeRes(d);
  return O.R_NEXT;
}
function widen<T, W>(unsigned: bool, src: usize, sh: u64): void {
  const cnt: u32 = 8 >> sizeOf<T>();
  for (let i: u32 = 0; i < cnt; i++) {
    let x = ld<T>(src, i);
    st<W>(RES, i, (unsigned ? x : <u64>sx<T>(x)) << sh);
  }
}
