// Semantics: Advanced SIMD shift by immediate (vector and scalar), and the
// narrowing and widening moves of two-register misc that are the same
// operations with a fixed shift: XTN = SHRN #0, SQXTN = SQSHRN #0, UQXTN =
// UQSHRN #0, SQXTUN = SQSHRUN #0, SHLL = USHLL #esize. Shift amounts are
// resolved at decode time (right shifts 1..esize, left shifts 0..esize-1).
// Rounding shifts add 2^(shift-1) before shifting; that is computed as
// (x >> shift) + x<shift-1>, which cannot overflow 64 bits.
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vAddr, vLo, vHi, setV } from "./simdfp";
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

// The right shifts, specialised by inlining with constant flags.
@inline function shiftRight<T>(unsigned: bool, accumulate: bool, round: bool, src: usize, acc: usize, cnt: u32, sh: u32): void {
  let s64 = <u64>sh;
  if (unsigned) {
    // sh is 64 only for 64-bit elements: then x >> sh is 0.
    let big = sh >= 64;
    for (let i: u32 = 0; i < cnt; i++) {
      let x = ld<T>(src, i);
      let r = big ? 0 : x >> s64;
      if (round) r += (x >> (s64 - 1)) & 1;
      if (accumulate) r += ld<T>(acc, i);
      st<T>(RES, i, r);
    }
  } else {
    let ash = <i64>min<u32>(sh, 63); // shifting in copies of the sign bit
    for (let i: u32 = 0; i < cnt; i++) {
      let x = sx<T>(ld<T>(src, i));
      let r = <u64>(x >> ash);
      if (round) r += <u64>(x >> <i64>(sh - 1)) & 1;
      if (accumulate) r += ld<T>(acc, i);
      st<T>(RES, i, r);
    }
  }
}

function shift<T>(op: u32, d: u32, n: u32, cnt: u32, sh: u32): void {
  const sz = sizeOf<T>();
  const emask: u64 = sz == 3 ? ONES : (<u64>1 << <u64>(8 << sz)) - 1;
  let src = vAddr(n), acc = vAddr(d);
  let s64 = <u64>sh;
  switch (op) {
    case 0: shiftRight<T>(false, false, false, src, acc, cnt, sh); break; // SSHR
    case 1: shiftRight<T>(true, false, false, src, acc, cnt, sh); break;  // USHR
    case 2: shiftRight<T>(false, true, false, src, acc, cnt, sh); break;  // SSRA
    case 3: shiftRight<T>(true, true, false, src, acc, cnt, sh); break;   // USRA
    case 4: shiftRight<T>(false, false, true, src, acc, cnt, sh); break;  // SRSHR
    case 5: shiftRight<T>(true, false, true, src, acc, cnt, sh); break;   // URSHR
    case 6: shiftRight<T>(false, true, true, src, acc, cnt, sh); break;   // SRSRA
    case 7: shiftRight<T>(true, true, true, src, acc, cnt, sh); break;    // URSRA
    case SHIFT_SRI: {
      let big = sh >= 64;
      let keep = big ? ONES : ~(emask >> s64);
      for (let i: u32 = 0; i < cnt; i++) st<T>(RES, i, (ld<T>(acc, i) & keep) | (big ? 0 : ld<T>(src, i) >> s64));
      break;
    }
    case SHIFT_SHL:
      for (let i: u32 = 0; i < cnt; i++) st<T>(RES, i, ld<T>(src, i) << s64);
      break;
    case SHIFT_SLI: {
      let keep = ~(emask << s64);
      for (let i: u32 = 0; i < cnt; i++) st<T>(RES, i, (ld<T>(acc, i) & keep) | (ld<T>(src, i) << s64));
      break;
    }
    case SHIFT_SQSHL:
      for (let i: u32 = 0; i < cnt; i++) {
        let s = sx<T>(ld<T>(src, i));
        let r: u64;
        if (sz < 3) r = satS(s << <i64>sh, sz); // |s| < 2^31 and sh < 32: exact in 64 bits
        else {
          let t = s << <i64>sh;
          if ((t >> <i64>sh) != s) { setQC(); r = s < 0 ? <u64>i64.MIN_VALUE : <u64>i64.MAX_VALUE; } else r = <u64>t;
        }
        st<T>(RES, i, r);
      }
      break;
    default: { // UQSHL; SQSHLU = UnsignedSatQ(SInt(element) << shift)
      let signed = op == SHIFT_SQSHLU;
      for (let i: u32 = 0; i < cnt; i++) {
        let x = ld<T>(src, i);
        let r: u64;
        if (signed && sx<T>(x) < 0) { setQC(); r = 0; }
        else if (sz < 3) r = satU(<i64>(x << s64), sz);
        else { r = x << s64; if ((r >> s64) != x) { setQC(); r = ONES; } }
        st<T>(RES, i, r);
      }
      break;
    }
  }
}

// ---- narrowing: T is the result element, W the source (2 * esize) ------------------------------
// Keeping the low esize bits of each source element after the shift
// (sh <= esize) needs no per-element work: shift the whole 64 bits, mask,
// and pack the halves together.
const LOW_HALVES: usize = memory.data<u64>([0x00ff_00ff_00ff_00ff, 0x0000_ffff_0000_ffff, 0x0000_0000_ffff_ffff]);
const ONE_PER_ELEMENT: usize = memory.data<u64>([0x0001_0001_0001_0001, 0x0000_0001_0000_0001, 0x0000_0000_0000_0001]);
@inline function truncNarrow(x: u64, size: u32, sh: u64, round: bool): u64 {
  let m = load<u64>(LOW_HALVES + (<usize>size << 3));
  let v = (x >> sh) & m;
  if (round) v = (v + ((x >> (sh - 1)) & load<u64>(ONE_PER_ELEMENT + (<usize>size << 3)))) & m;
  if (size == 0) v = (v | (v >> 8)) & 0x0000_ffff_0000_ffff;
  if (size <= 1) v = v | (v >> 16);
  return v & 0xffff_ffff;
}

export function execSimdNarrow(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), size = fC(w), op = fD(w), f = fF(w);
  let sh = imm(e);
  let cnt = f & 0xff, upper = (f >> 8) != 0;
  let round = (op & NARROW_ROUND) != 0 && sh != 0;
  if ((op & 3) == NARROW_TRUNC) { // XTN, SHRN, RSHRN: never scalar
    let r = truncNarrow(vLo(n), size, sh, round) | (truncNarrow(vHi(n), size, sh, round) << 32);
    // The "2" forms write the upper half and keep the lower half of V[d].
    if (upper) setV(d, vLo(d), r); else setV(d, r, 0);
    return O.R_NEXT;
  }
  let out = RES;
  if (upper) { store<u64>(RES, vLo(d)); out += 8; } else store<u64>(RES, 0);
  store<u64>(RES, 0, 8);
  if (size == 0) narrow<u8, u16>(op & 3, round, n, cnt, sh, out);
  else if (size == 1) narrow<u16, u32>(op & 3, round, n, cnt, sh, out);
  else narrow<u32, u64>(op & 3, round, n, cnt, sh, out);
  writeRes(d);
  return O.R_NEXT;
}
// The saturating forms.
function narrow<T, W>(kind: u32, round: bool, n: u32, cnt: u32, sh: u64, out: usize): void {
  const sz = sizeOf<T>();
  let src = vAddr(n);
  if (kind == NARROW_UU) {
    for (let i: u32 = 0; i < cnt; i++) {
      let x = ld<W>(src, i);
      let v = x >> sh;
      if (round) v += (x >> (sh - 1)) & 1;
      st<T>(out, i, satUU<T>(v));
    }
    return;
  }
  let toUnsigned = kind == NARROW_SU;
  for (let i: u32 = 0; i < cnt; i++) {
    let s = sx<W>(ld<W>(src, i));
    let v = s >> <i64>sh;
    if (round) v += (s >> <i64>(sh - 1)) & 1;
    st<T>(out, i, toUnsigned ? satU(v, sz) : satS(v, sz));
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
