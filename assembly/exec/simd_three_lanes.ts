// Lane-parallel arithmetic on doublewords for group THREE: a u64 holds
// 8 >> size lanes of 8 << size bits, and each helper computes every lane at
// once with ordinary integer operations arranged so that no carry or borrow
// crosses a lane boundary. Used by the hot three same forms (ADD/SUB,
// compares, MAX/MIN, the pairwise ones) and by UZP/TRN/ZIP.
import { setV } from "./simdfp";
import {
  LANE_CMGT, LANE_CMHI, LANE_CMGE, LANE_CMHS, LANE_CMEQ, LANE_CMTST, LANE_SMAX, LANE_UMAX, LANE_SMIN,
} from "../decode/simd_three";

// The most significant bit of every lane.
@inline export function laneMSB(size: u32): u64 {
  if (size == 0) return 0x8080_8080_8080_8080;
  if (size == 1) return 0x8000_8000_8000_8000;
  if (size == 2) return 0x8000_0000_8000_0000;
  return 0x8000_0000_0000_0000;
}
// The even lanes (0, 2, ...), i.e. the low half of every lane twice the size.
@inline export function evenLanes(size: u32): u64 {
  if (size == 0) return 0x00ff_00ff_00ff_00ff;
  if (size == 1) return 0x0000_ffff_0000_ffff;
  return 0x0000_0000_ffff_ffff;
}
@inline export function emask(size: u32): u64 { return size == 3 ? <u64>-1 : (<u64>1 << (<u64>8 << size)) - 1; }

// V[d] = lo:hi, the high half zeroed when Q = 0.
@inline export function setVQ(d: u32, lo: u64, hi: u64, q: u32): void { setV(d, lo, q ? hi : 0); }

// Lane-wise a + b and a - b: the low bits of each lane are added without
// their top bit (so no carry leaves the lane), the top bit is fixed up by XOR.
@inline export function laneAdd(a: u64, b: u64, size: u32): u64 {
  if (size == 3) return a + b;
  let h = laneMSB(size);
  return ((a & ~h) + (b & ~h)) ^ ((a ^ b) & h);
}
@inline export function laneSub(a: u64, b: u64, size: u32): u64 {
  if (size == 3) return a - b;
  let h = laneMSB(size);
  return ((a | h) - (b & ~h)) ^ ((a ^ ~b) & h);
}
// A lane's top bit spread to the whole lane.
@inline function spreadMSB(x: u64, size: u32): u64 { return (x >> <u64>((8 << size) - 1)) * emask(size); }
// All ones in the lanes of x that are zero: adding 0b0111.. to the low bits
// carries into the top bit exactly when they are not all 0.
@inline export function zeroLanes(x: u64, size: u32): u64 {
  if (size == 3) return x == 0 ? <u64>-1 : 0;
  let h = laneMSB(size);
  return spreadMSB(((((x & ~h) + ~h) | x) & h) ^ h, size);
}
// All ones in the lanes where a >= b: no borrow out of the lane's top bit in
// a - b (the full subtractor's borrow, with the borrow in recovered from the
// lane-wise difference). Signed lanes compare as unsigned with the top bits flipped.
@inline export function geLanes(a: u64, b: u64, size: u32, signed: bool): u64 {
  if (size == 3) return (signed ? <i64>a >= <i64>b : a >= b) ? <u64>-1 : 0;
  let h = laneMSB(size);
  if (signed) { a ^= h; b ^= h; }
  let diff = laneSub(a, b, size);
  return spreadMSB((((~a & b) | (~(a ^ b) & diff)) & h) ^ h, size);
}

// The compares and MAX/MIN (kinds LANE_CMGT..LANE_UMIN), all lanes at once.
@inline export function laneOp(a: u64, b: u64, kind: u32, size: u32): u64 {
  switch (kind) {
    case LANE_CMGT: return ~geLanes(b, a, size, true);
    case LANE_CMHI: return ~geLanes(b, a, size, false);
    case LANE_CMGE: return geLanes(a, b, size, true);
    case LANE_CMHS: return geLanes(a, b, size, false);
    case LANE_CMEQ: return zeroLanes(a ^ b, size);
    case LANE_CMTST: return ~zeroLanes(a & b, size);
    case LANE_SMAX: { let m = geLanes(a, b, size, true); return (a & m) | (b & ~m); }
    case LANE_UMAX: { let m = geLanes(a, b, size, false); return (a & m) | (b & ~m); }
    case LANE_SMIN: { let m = geLanes(a, b, size, true); return (b & m) | (a & ~m); }
    default: { let m = geLanes(a, b, size, false); return (b & m) | (a & ~m); } // LANE_UMIN
  }
}

// The even lanes of x (size < 3) packed into the low 32 bits; the odd lanes with odd = true.
@inline export function unzipLanes(x: u64, size: u32, odd: bool): u64 {
  if (odd) x >>= <u64>(8 << size);
  x &= evenLanes(size);
  if (size == 0) x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
  if (size <= 1) x = x | (x >> 16);
  return x & 0xffff_ffff;
}
// The inverse: the lanes of the low 32 bits of x spread to the even lanes.
@inline export function spreadLanes(x: u64, size: u32): u64 {
  x &= 0xffff_ffff;
  if (size <= 1) x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
  if (size == 0) x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
  return x;
}
