// Semantics: Advanced SIMD permute (UZP1/2, TRN1/2, ZIP1/2), EXT and table
// lookup (TBL, TBX). Group THREE. Every result is computed in two doublewords
// before V[d] is written, so Vd may be any of the sources (or a table register).
import { fA, fB, fC, fD, fF } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vAddr, vLo, vHi, setV } from "./simdfp";
import { setVQ, evenLanes, unzipLanes, spreadLanes } from "./simd_three_lanes";

// UZP1/2, TRN1/2, ZIP1/2: f = op << 3 | size << 1 | Q, op 0 UZP1, 1 UZP2,
// 2 TRN1, 3 TRN2, 4 ZIP1, 5 ZIP2 (the "2" forms take the odd elements / the
// upper halves). With Q = 0 the sources are the low 64 bits of Vn and Vm.
export function execPermute(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let f = fF(w);
  let q = f & 1, size = (f >> 1) & 3, op = f >> 3, odd = (op & 1) != 0;
  let n = fB(w), m = fC(w);
  let n0 = vLo(n), n1 = vHi(n), m0 = vLo(m), m1 = vHi(m);
  let lo: u64, hi: u64 = 0;
  if (size == 3) { // 2D: UZP1 = TRN1 = ZIP1 = Vn.D[0], Vm.D[0]; the "2" forms D[1]
    lo = odd ? n1 : n0;
    hi = odd ? m1 : m0;
  } else if (op < 2) { // UZP: the even (odd) elements of Vm:Vn
    if (q) {
      lo = unzipLanes(n0, size, odd) | (unzipLanes(n1, size, odd) << 32);
      hi = unzipLanes(m0, size, odd) | (unzipLanes(m1, size, odd) << 32);
    } else {
      lo = unzipLanes(n0, size, odd) | (unzipLanes(m0, size, odd) << 32);
    }
  } else if (op < 4) { // TRN: even result elements from Vn, odd ones from Vm, both the even (odd) source elements
    let ev = evenLanes(size), es = <u64>(8 << size);
    if (odd) {
      lo = ((n0 >> es) & ev) | (m0 & ~ev);
      hi = ((n1 >> es) & ev) | (m1 & ~ev);
    } else {
      lo = (n0 & ev) | ((m0 & ev) << es);
      hi = (n1 & ev) | ((m1 & ev) << es);
    }
  } else { // ZIP: the lower (upper) halves of Vn and Vm interleaved, Vn's first
    let es = <u64>(8 << size);
    if (q) {
      let x = odd ? n1 : n0, y = odd ? m1 : m0;
      lo = spreadLanes(x, size) | (spreadLanes(y, size) << es);
      hi = spreadLanes(x >> 32, size) | (spreadLanes(y >> 32, size) << es);
    } else {
      let x = odd ? n0 >> 32 : n0, y = odd ? m0 >> 32 : m0;
      lo = spreadLanes(x, size) | (spreadLanes(y, size) << es);
    }
  }
  setVQ(fA(w), lo, hi, q);
  return O.R_NEXT;
}

// EXT: bytes imm4 upwards of Vm:Vn (of Vm<63:0>:Vn<63:0> when Q = 0).
export function execExt(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), pos = fF(w);
  if (!fD(w)) {
    let x = vLo(n), s = <u64>pos << 3;
    setV(d, s ? (x >> s) | (vLo(m) << (64 - s)) : x, 0);
    return O.R_NEXT;
  }
  // Three consecutive doublewords of Vm:Vn cover the 16 result bytes.
  let w0: u64, w1: u64, w2: u64;
  if (pos < 8) { w0 = vLo(n); w1 = vHi(n); w2 = vLo(m); }
  else { w0 = vHi(n); w1 = vLo(m); w2 = vHi(m); }
  let s = <u64>(pos & 7) << 3;
  if (s) setV(d, (w0 >> s) | (w1 << (64 - s)), (w1 >> s) | (w2 << (64 - s)));
  else setV(d, w0, w1);
  return O.R_NEXT;
}

// Eight bytes of a table lookup: byte j = table byte idx<8j+7:8j> where the
// table is Vn, Vn+1, ... (wrapping at V31) of `limit` bytes; out of range it
// is the byte of `old` (Vd for TBX, 0 for TBL).
@inline function lookup8(n: u32, idx: u64, limit: u64, old: u64): u64 {
  let r: u64 = 0;
  for (let j: u64 = 0; j < 64; j += 8) {
    let x = (idx >> j) & 0xff;
    let b = x < limit ? <u64>load<u8>(vAddr((n + <u32>(x >> 4)) & 31) + <usize>(x & 15)) : (old >> j) & 0xff;
    r |= b << j;
  }
  return r;
}

// TBL, TBX: d = Q, f = registers | TBX << 3.
export function execTbl(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), f = fF(w);
  let limit = <u64>(f & 7) << 4;
  let tbx = (f & 8) != 0;
  let lo = lookup8(n, vLo(m), limit, tbx ? vLo(d) : 0);
  let hi: u64 = fD(w) ? lookup8(n, vHi(m), limit, tbx ? vHi(d) : 0) : 0;
  setV(d, lo, hi);
  return O.R_NEXT;
}
