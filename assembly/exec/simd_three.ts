// Semantics: Advanced SIMD three same (integer and logical) and three
// different, vector and scalar. Group THREE.
//
// The logical operations, ADD/SUB, the compares, MAX/MIN and the pairwise
// operations work a doubleword at a time (simd_three_lanes.ts). The rest
// go element by element through op3() / the three-different loop, which
// follow the pseudocode on integers: every intermediate value fits in i64 for
// the forms the decoder lets through, or 64-bit overflow is detected.
// Results that do not land in the lane they were read from are gathered in
// two doublewords and written at the end, so Vd may also be a source.
import { fA, fB, fC, fD, fF } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vAddr, vLo, vHi, setV, setVScalar } from "./simdfp";
import { loadElem, storeElem, setQC, satS, satU } from "./simd_lanes";
import { emask, setVQ, laneAdd, laneSub, laneOp, laneMSB, evenLanes, unzipLanes } from "./simd_three_lanes";
import { D_SCALAR, LANE_ADD, LANE_SMAX, LANE_UMAX, LANE_SMIN } from "../decode/simd_three";

// AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF (vector): f = U << 2 | size.
export function execLogic(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), q = fD(w);
  let a0 = vLo(n), a1 = vHi(n), b0 = vLo(m), b1 = vHi(m);
  switch (fF(w)) {
    case 0: setVQ(d, a0 & b0, a1 & b1, q); break;
    case 1: setVQ(d, a0 & ~b0, a1 & ~b1, q); break;
    case 2: setVQ(d, a0 | b0, a1 | b1, q); break;
    case 3: setVQ(d, a0 | ~b0, a1 | ~b1, q); break;
    case 4: setVQ(d, a0 ^ b0, a1 ^ b1, q); break;
    // BSL: Vd selects Vn over Vm; BIT: Vm selects Vn over Vd; BIF: Vm selects Vd over Vn.
    case 5: { let c0 = vLo(d), c1 = vHi(d); setVQ(d, b0 ^ ((b0 ^ a0) & c0), b1 ^ ((b1 ^ a1) & c1), q); break; }
    case 6: { let c0 = vLo(d), c1 = vHi(d); setVQ(d, c0 ^ ((c0 ^ a0) & b0), c1 ^ ((c1 ^ a1) & b1), q); break; }
    default: { let c0 = vLo(d), c1 = vHi(d); setVQ(d, c0 ^ ((c0 ^ a0) & ~b0), c1 ^ ((c1 ^ a1) & ~b1), q); break; }
  }
  return O.R_NEXT;
}

// ADD, SUB (vector; scalar D as Q = 0): f = sub << 2 | size.
export function execAddSub(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), m = fC(w), f = fF(w), size = f & 3;
  if (f & 4) setVQ(fA(w), laneSub(vLo(n), vLo(m), size), laneSub(vHi(n), vHi(m), size), fD(w));
  else setVQ(fA(w), laneAdd(vLo(n), vLo(m), size), laneAdd(vHi(n), vHi(m), size), fD(w));
  return O.R_NEXT;
}

// CMGT, CMHI, CMGE, CMHS, CMEQ, CMTST (all ones where true), SMAX, UMAX, SMIN,
// UMIN (vector; the compares also scalar D as Q = 0): f = LANE_* << 2 | size.
export function execCmp(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), m = fC(w), f = fF(w), kind = f >> 2, size = f & 3;
  setVQ(fA(w), laneOp(vLo(n), vLo(m), kind, size), laneOp(vHi(n), vHi(m), kind, size), fD(w));
  return O.R_NEXT;
}

// The pairs of adjacent lanes of x combined (size < 3), packed into 32 bits.
// The even and odd lanes are spread to lanes twice as wide, where a lane's
// value cannot reach the lane above: the sum is a plain add, and a >= b is
// bit es of (a + 2^es) - b. Signed lanes are ordered as unsigned ones with
// the top bit flipped (and flipped back).
@inline function pairLanes(x: u64, kind: u32, size: u32): u64 {
  let es = <u64>(8 << size), ev = evenLanes(size);
  let one: u64 = size == 0 ? 0x0001_0001_0001_0001 : size == 1 ? 0x0000_0001_0000_0001 : 1; // bit 0 of each wide lane
  let flip: u64 = kind == LANE_SMAX || kind == LANE_SMIN ? laneMSB(size) : 0;
  x ^= flip;
  let a = x & ev, b = (x >> es) & ev;
  let r: u64;
  if (kind == LANE_ADD) r = a + b;
  else {
    let ge = ((((a | (one << es)) - b) >> es) & one) * emask(size);
    r = kind == LANE_SMAX || kind == LANE_UMAX ? b ^ ((a ^ b) & ge) : a ^ ((a ^ b) & ge);
  }
  return unzipLanes(r ^ flip, size, false);
}

// ADDP, SMAXP, UMAXP, SMINP, UMINP (vector): element i of the result combines
// elements 2i and 2i+1 of Vm:Vn: f = LANE_* << 2 | size.
export function execPair(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), m = fC(w), q = fD(w), f = fF(w), kind = f >> 2, size = f & 3;
  let n0 = vLo(n), m0 = vLo(m);
  if (size == 3) setV(fA(w), n0 + vHi(n), m0 + vHi(m)); // ADDP .2D (Q = 1 only)
  else if (q) {
    let lo = pairLanes(n0, kind, size) | (pairLanes(vHi(n), kind, size) << 32);
    setV(fA(w), lo, pairLanes(m0, kind, size) | (pairLanes(vHi(m), kind, size) << 32));
  } else {
    setV(fA(w), pairLanes(n0, kind, size) | (pairLanes(m0, kind, size) << 32), 0);
  }
  return O.R_NEXT;
}

// The lane-wise products (mod 2^esize) of a and b (size < 3): the low bits of
// a product depend only on the low bits of its factors, so each lane is one
// 64-bit multiply of the shifted doublewords.
@inline function mulLanes(a: u64, b: u64, size: u32): u64 {
  let es = <u64>(8 << size), m = emask(size);
  let r: u64 = 0;
  for (let k: u64 = 0; k < 64; k += es) r |= (((a >> k) * (b >> k)) & m) << k;
  return r;
}

// MUL, MLA, MLS (vector): f = op << 2 | size, op 0 MUL, 1 MLA (Vd + product), 2 MLS (Vd - product).
export function execMul(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), q = fD(w), f = fF(w), size = f & 3;
  let p0 = mulLanes(vLo(n), vLo(m), size), p1: u64 = q ? mulLanes(vHi(n), vHi(m), size) : 0;
  if (f >= 8) { p0 = laneSub(vLo(d), p0, size); p1 = laneSub(vHi(d), p1, size); }
  else if (f >= 4) { p0 = laneAdd(vLo(d), p0, size); p1 = laneAdd(vHi(d), p1, size); }
  setVQ(d, p0, p1, q);
  return O.R_NEXT;
}

// ---- element by element ---------------------------------------------------------------

@inline function sext(x: u64, size: u32): i64 { let sh = <u64>(64 - (8 << size)); return <i64>(x << sh) >> sh; }
@inline function smax(size: u32): i64 { return size == 3 ? I64.MAX_VALUE : (<i64>1 << <i64>((8 << size) - 1)) - 1; }
@inline function absDiff(a: u64, b: u64, size: u32, u: bool): u64 {
  if (u) return a > b ? a - b : b - a;
  let sa = sext(a, size), sb = sext(b, size);
  return <u64>(sa > sb ? sa - sb : sb - sa);
}

// Polynomial (carry-less) multiplication of two bytes: the 15-bit product.
function clmul8(a: u64, b: u64): u64 {
  let r: u64 = 0;
  for (let i: u64 = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
  return r;
}

// SSHL, USHL, SQSHL, UQSHL, SRSHL, URSHL, SQRSHL, UQRSHL (register): the shift
// is SInt(Vm element<7:0>), negative shifting right (rounding: adding
// 1 << (-shift - 1) first). Right shifts never saturate; the rounded right
// shift by s is floor(x / 2^s) plus bit s-1 of x, which needs no wider type.
function shiftReg(a: u64, b: u64, size: u32, u: bool, round: bool, sat: bool): u64 {
  let esize = <i32>(8 << size);
  let mask = emask(size);
  let shift = <i32><i8>b;
  let sa = sext(a, size);
  if (shift < 0) {
    let s = -shift; // 1..128
    if (u) {
      let r: u64 = s >= 64 ? 0 : a >> <u64>s;
      if (round && s <= 64) r += (a >> <u64>(s - 1)) & 1;
      return r;
    }
    let r = sa >> <i64>min(s, 63);
    if (round) r += (sa >> <i64>min(s - 1, 63)) & 1;
    return <u64>r & mask;
  }
  if (shift == 0) return a;
  if (!sat) return shift >= esize ? 0 : (a << <u64>shift) & mask;
  if (u) {
    if (a == 0) return 0;
    if (shift >= esize || (a >> <u64>(esize - shift)) != 0) { setQC(); return mask; }
    return a << <u64>shift;
  }
  if (sa == 0) return 0;
  let max = smax(size);
  if (shift < esize) {
    let r = sa << <i64>shift;
    if ((r >> <i64>shift) == sa && r <= max && r >= -max - 1) return <u64>r & mask;
  }
  setQC();
  return <u64>(sa < 0 ? -max - 1 : max) & mask;
}

// One element of a three-same operation, kind = U:opcode, on zero-extended
// elements a (Vn), b (Vm) and, for the accumulating forms, acc (Vd).
function op3(kind: u32, a: u64, b: u64, acc: u64, size: u32): u64 {
  let mask = emask(size);
  let sa = sext(a, size), sb = sext(b, size);
  switch (kind) {
    case 0x00: return <u64>((sa + sb) >> 1) & mask;                     // SHADD
    case 0x20: return (a + b) >> 1;                                      // UHADD
    case 0x02: return <u64>((sa + sb + 1) >> 1) & mask;                 // SRHADD
    case 0x22: return (a + b + 1) >> 1;                                  // URHADD
    case 0x04: return <u64>((sa - sb) >> 1) & mask;                     // SHSUB
    case 0x24: return <u64>((<i64>a - <i64>b) >> 1) & mask;             // UHSUB
    case 0x01: {                                                         // SQADD
      if (size < 3) return satS(sa + sb, size);
      let r = sa + sb;
      if (((sa ^ r) & (sb ^ r)) < 0) { setQC(); return sa < 0 ? <u64>I64.MIN_VALUE : <u64>I64.MAX_VALUE; }
      return <u64>r;
    }
    case 0x21: {                                                         // UQADD
      if (size < 3) return satU(<i64>(a + b), size);
      let r = a + b;
      if (r < a) { setQC(); return mask; }
      return r;
    }
    case 0x05: {                                                         // SQSUB
      if (size < 3) return satS(sa - sb, size);
      let r = sa - sb;
      if (((sa ^ sb) & (sa ^ r)) < 0) { setQC(); return sa < 0 ? <u64>I64.MIN_VALUE : <u64>I64.MAX_VALUE; }
      return <u64>r;
    }
    case 0x25:                                                           // UQSUB
      if (a < b) { setQC(); return 0; }
      return a - b;
    case 0x08: return shiftReg(a, b, size, false, false, false);         // SSHL
    case 0x28: return shiftReg(a, b, size, true, false, false);          // USHL
    case 0x09: return shiftReg(a, b, size, false, false, true);          // SQSHL
    case 0x29: return shiftReg(a, b, size, true, false, true);           // UQSHL
    case 0x0a: return shiftReg(a, b, size, false, true, false);          // SRSHL
    case 0x2a: return shiftReg(a, b, size, true, true, false);           // URSHL
    case 0x0b: return shiftReg(a, b, size, false, true, true);           // SQRSHL
    case 0x2b: return shiftReg(a, b, size, true, true, true);            // UQRSHL
    case 0x0e: return absDiff(a, b, size, false) & mask;                 // SABD
    case 0x2e: return absDiff(a, b, size, true);                         // UABD
    case 0x0f: return (acc + absDiff(a, b, size, false)) & mask;         // SABA
    case 0x2f: return (acc + absDiff(a, b, size, true)) & mask;          // UABA
    case 0x33: return clmul8(a, b) & 0xff;                               // PMUL
    case 0x16: case 0x36: {                                              // SQDMULH, SQRDMULH
      // (2ab + round) >> esize with both sides halved: ab fits in i64 (|ab| <= 2^62).
      let esize = <i64>(8 << size);
      let p = sa * sb;
      if (kind == 0x36) p += <i64>1 << (esize - 2);
      return satS(p >> (esize - 1), size);
    }
  }
  return 0; // not reached: the decoder emits the kinds above only
}

// The other three same operations: d = Q or D_SCALAR, f = U:opcode | size << 8.
export function execInt3(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), q = fD(w), f = fF(w);
  let kind = f & 0x3f, size = f >> 8;
  let pd = vAddr(d), pn = vAddr(fB(w)), pm = vAddr(fC(w));
  if (q == D_SCALAR) {
    setVScalar(d, op3(kind, loadElem(pn, size), loadElem(pm, size), 0, size));
    return O.R_NEXT;
  }
  // Element i of the result depends only on elements i of the sources, so
  // writing Vd in place is safe even when it is also a source.
  let bytes: usize = q ? 16 : 8;
  let step: usize = 1 << size;
  for (let i: usize = 0; i < bytes; i += step) {
    storeElem(pd + i, op3(kind, loadElem(pn + i, size), loadElem(pm + i, size), loadElem(pd + i, size), size), size);
  }
  if (!q) store<u64>(pd, 0, 8);
  return O.R_NEXT;
}

// ---- three different -----------------------------------------------------------------------

// SADDL, SADDW, SSUBL, SSUBW, ADDHN, SABAL, SUBHN, SABDL, SMLAL, SQDMLAL, SMLSL,
// SQDMLSL, SMULL, SQDMULL, PMULL (bytes), the unsigned and rounding (U = 1)
// forms: d = part (the "2" forms) or D_SCALAR, f = opcode | U << 4 | size << 8.
export function execLong(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), dd = fD(w), f = fF(w);
  let opcode = f & 15, u = (f & 16) != 0, size = f >> 8, wide = size + 1;
  let pn = vAddr(fB(w)), pm = vAddr(fC(w)), pd = vAddr(d);
  let count: usize = 8 >> size;
  if (opcode == 4 || opcode == 6) { // ADDHN, RADDHN, SUBHN, RSUBHN: the high halves of the wide sums
    let esize = <u64>(8 << size);
    let round: u64 = u ? <u64>1 << (esize - 1) : 0;
    let r: u64 = 0;
    for (let i: usize = 0; i < count; i++) {
      let a = loadElem(pn + (i << wide), wide), b = loadElem(pm + (i << wide), wide);
      let s = (opcode == 4 ? a + b : a - b) + round;
      r |= ((s >> esize) & emask(size)) << (<u64>i * esize);
    }
    if (dd) store<u64>(pd, r, 8); // the "2" forms keep the low half of Vd
    else setV(d, r, 0);
    return O.R_NEXT;
  }
  if (dd == D_SCALAR) count = 1;
  let src: usize = <usize>(dd & 1) << 3; // byte offset of the narrow source half
  let wmask = emask(wide);
  let lo: u64 = 0, hi: u64 = 0;
  for (let i: usize = 0; i < count; i++) {
    let a = loadElem(pn + src + (i << size), size), b = loadElem(pm + src + (i << size), size);
    let xa = u ? a : <u64>sext(a, size), xb = u ? b : <u64>sext(b, size);
    let r: u64;
    switch (opcode) {
      case 0: r = xa + xb; break;                                          // SADDL
      case 1: r = loadElem(pn + (i << wide), wide) + xb; break;            // SADDW: Vn is wide
      case 2: r = xa - xb; break;                                          // SSUBL
      case 3: r = loadElem(pn + (i << wide), wide) - xb; break;            // SSUBW
      case 5: r = loadElem(pd + (i << wide), wide) + absDiff(a, b, size, u); break; // SABAL
      case 7: r = absDiff(a, b, size, u); break;                           // SABDL
      case 8: r = loadElem(pd + (i << wide), wide) + xa * xb; break;       // SMLAL
      case 10: r = loadElem(pd + (i << wide), wide) - xa * xb; break;      // SMLSL
      case 12: r = xa * xb; break;                                         // SMULL
      case 14: r = clmul8(a, b); break;                                    // PMULL
      default: {                                                           // SQDMLAL, SQDMLSL, SQDMULL
        // SignedSatQ(2ab, 2 esize): only MIN * MIN overflows, and for words
        // 2ab would not fit in i64 then.
        let sa = <i64>xa, sb = <i64>xb;
        if (size == 2 && sa == sb && sa == <i64>I32.MIN_VALUE) { setQC(); r = <u64>I64.MAX_VALUE; }
        else r = satS(2 * sa * sb, wide);
        // SignedSatQ(Vd element +/- product), as SQADD / SQSUB compute it.
        if (opcode != 13) r = op3(opcode == 9 ? 0x01 : 0x05, loadElem(pd + (i << wide), wide), r, 0, wide);
      }
    }
    r &= wmask;
    let bit = <u64>i << (<u64>wide + 3);
    if (bit < 64) lo |= r << bit; else hi |= r << (bit - 64);
  }
  if (dd == D_SCALAR) setVScalar(d, lo);
  else setV(d, lo, hi);
  return O.R_NEXT;
}

// PMULL, PMULL2 with doublewords (FEAT_PMULL): the 128-bit carry-less
// product of element `part` of Vn and Vm, one XOR per set bit of the multiplier.
export function execPmull64(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w), m = fC(w), part = fD(w);
  let a = part ? vHi(n) : vLo(n), b = part ? vHi(m) : vLo(m);
  let lo: u64 = 0, hi: u64 = 0;
  while (b) {
    let i = ctz(b);
    lo ^= a << i;
    if (i) hi ^= a >> (64 - i);
    b &= b - 1;
  }
  setV(fA(w), lo, hi);
  return O.R_NEXT;
}
