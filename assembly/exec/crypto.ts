// Semantics: the Cryptographic Extension (FEAT_AES, FEAT_SHA1, FEAT_SHA256):
// AESE, AESD, AESMC, AESIMC; SHA1C, SHA1P, SHA1M, SHA1SU0, SHA1H, SHA1SU1;
// SHA256H, SHA256H2, SHA256SU0, SHA256SU1. The 128-bit operands are kept as
// two u64 halves (or four u32 words, word 0 = bits 31:0) in locals: nothing is
// allocated and the S-boxes are static tables. All inputs (including Vd) are
// read before V[d] is written.
import { fA, fB, fC, fD } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vLo, vHi, setV } from "./simdfp";

// FIPS-197 S-box (AESSubBytes) and its inverse (AESInvSubBytes).
const SBOX = memory.data<u8>([
  0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
  0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
  0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
  0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
  0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
  0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
  0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
  0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
  0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
  0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
  0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
  0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
  0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
  0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
  0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
  0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
]);
const INV_SBOX = memory.data<u8>([
  0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
  0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
  0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
  0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
  0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
  0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
  0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
  0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
  0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
  0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
  0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
  0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
  0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
  0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
  0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
  0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
]);

// ---- AES ----------------------------------------------------------------------------------
// The state's byte i is bits 8i+7:8i (column i / 4, row i % 4). Byte i of
// AESShiftRows(x) is byte SR[i] of x, of AESInvShiftRows(x) byte ISR[i]:
//   SR  = 0 5 10 15 4 9 14 3 8 13 2 7 12 1 6 11
//   ISR = 0 13 10 7 4 1 14 11 8 5 2 15 12 9 6 3
// Sub(Inv)Bytes is bytewise, so the two steps are one table lookup per byte.
@inline function sbyte(t: usize, lo: u64, hi: u64, i: u32): u64 {
  let b = i < 8 ? lo >> (<u64>i << 3) : hi >> (<u64>(i - 8) << 3);
  return <u64>load<u8>(t + (<usize>b & 0xff));
}

// AESE: AESSubBytes(AESShiftRows(V[d] EOR V[n])); AESD: the inverses.
export function execAesEncDec(w: u64, e: usize, decrypt: bool): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w);
  let lo = vLo(d) ^ vLo(n), hi = vHi(d) ^ vHi(n);
  let rlo: u64, rhi: u64;
  if (!decrypt) {
    let t = SBOX;
    rlo = sbyte(t, lo, hi, 0) | sbyte(t, lo, hi, 5) << 8 | sbyte(t, lo, hi, 10) << 16 | sbyte(t, lo, hi, 15) << 24 |
      sbyte(t, lo, hi, 4) << 32 | sbyte(t, lo, hi, 9) << 40 | sbyte(t, lo, hi, 14) << 48 | sbyte(t, lo, hi, 3) << 56;
    rhi = sbyte(t, lo, hi, 8) | sbyte(t, lo, hi, 13) << 8 | sbyte(t, lo, hi, 2) << 16 | sbyte(t, lo, hi, 7) << 24 |
      sbyte(t, lo, hi, 12) << 32 | sbyte(t, lo, hi, 1) << 40 | sbyte(t, lo, hi, 6) << 48 | sbyte(t, lo, hi, 11) << 56;
  } else {
    let t = INV_SBOX;
    rlo = sbyte(t, lo, hi, 0) | sbyte(t, lo, hi, 13) << 8 | sbyte(t, lo, hi, 10) << 16 | sbyte(t, lo, hi, 7) << 24 |
      sbyte(t, lo, hi, 4) << 32 | sbyte(t, lo, hi, 1) << 40 | sbyte(t, lo, hi, 14) << 48 | sbyte(t, lo, hi, 11) << 56;
    rhi = sbyte(t, lo, hi, 8) | sbyte(t, lo, hi, 5) << 8 | sbyte(t, lo, hi, 2) << 16 | sbyte(t, lo, hi, 15) << 24 |
      sbyte(t, lo, hi, 12) << 32 | sbyte(t, lo, hi, 9) << 40 | sbyte(t, lo, hi, 6) << 48 | sbyte(t, lo, hi, 3) << 56;
  }
  setV(d, rlo, rhi);
  return O.R_NEXT;
}

// FFmul02 on each byte of two packed columns.
@inline function xtime(x: u64): u64 {
  return ((x & 0x7f7f_7f7f_7f7f_7f7f) << 1) ^ (((x >> 7) & 0x0101_0101_0101_0101) * 0x1b);
}
// Rotate each 32-bit column right by 8 * k bits (byte i takes byte i + k of its column).
@inline function rotCols(x: u64, k: u64): u64 {
  let s = k << 3;
  let m: u64 = (<u64>0xffff_ffff >> s) * 0x1_0000_0001; // the bytes that move down
  return ((x >> s) & m) | ((x << (32 - s)) & ~m);
}
// AESMixColumns on two columns: b_i = 2a_i ^ 3a_(i+1) ^ a_(i+2) ^ a_(i+3) (indices mod 4).
@inline function mixColumns(x: u64): u64 {
  let t = xtime(x);
  return t ^ rotCols(x ^ t, 1) ^ rotCols(x, 2) ^ rotCols(x, 3);
}
// AESInvMixColumns = AESMixColumns after the column multiplication by
// {05, 00, 04, 00} (the factorisation of {0e, 0b, 0d, 09} in FIPS-197's ring).
@inline function invMixColumns(x: u64): u64 {
  let u = xtime(xtime(x ^ rotCols(x, 2)));
  return mixColumns(x ^ u);
}

// AESMC (AESMixColumns(V[n])), AESIMC (AESInvMixColumns(V[n])).
export function execAesMix(w: u64, e: usize, inverse: bool): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let n = fB(w);
  let lo = vLo(n), hi = vHi(n);
  if (inverse) setV(fA(w), invMixColumns(lo), invMixColumns(hi));
  else setV(fA(w), mixColumns(lo), mixColumns(hi));
  return O.R_NEXT;
}

// ---- SHA-1 and SHA-256 ----------------------------------------------------------------------
@inline function lo32(x: u64): u32 { return <u32>x; }
@inline function hi32(x: u64): u32 { return <u32>(x >> 32); }
@inline function pack(a: u32, b: u32): u64 { return <u64>a | (<u64>b << 32); }
@inline function shaChoose(x: u32, y: u32, z: u32): u32 { return ((y ^ z) & x) ^ z; }
@inline function shaParity(x: u32, y: u32, z: u32): u32 { return x ^ y ^ z; }
@inline function shaMajority(x: u32, y: u32, z: u32): u32 { return (x & y) | ((x | y) & z); }

// SHA1C (sub 0), SHA1P (1), SHA1M (2): four rounds on X = V[d] (a, b, c, d),
// Y = S[n] (e) with the four W + K words of V[m]. After each round the
// 160-bit Y:X rotates left by 32: X = (X<95:0> : Y), Y = X<127:96>.
// SHA1SU0 (3): V[d] = (V[n]<63:0> : V[d]<127:64>) EOR V[d] EOR V[m].
export function execSha1Three(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), sub = fD(w);
  let dlo = vLo(d), dhi = vHi(d), mlo = vLo(m), mhi = vHi(m);
  if (sub == 3) {
    setV(d, (dhi ^ dlo ^ mlo), (vLo(n) ^ dhi ^ mhi));
    return O.R_NEXT;
  }
  let x0 = lo32(dlo), x1 = hi32(dlo), x2 = lo32(dhi), x3 = hi32(dhi);
  let y = lo32(vLo(n));
  for (let i: u32 = 0; i < 4; i++) {
    let wi = i == 0 ? lo32(mlo) : i == 1 ? hi32(mlo) : i == 2 ? lo32(mhi) : hi32(mhi);
    let t = sub == 0 ? shaChoose(x1, x2, x3) : sub == 1 ? shaParity(x1, x2, x3) : shaMajority(x1, x2, x3);
    y = y + rotl<u32>(x0, 5) + t + wi;
    x1 = rotl<u32>(x1, 30);
    let ny = x3;
    x3 = x2; x2 = x1; x1 = x0; x0 = y;
    y = ny;
  }
  setV(d, pack(x0, x1), pack(x2, x3));
  return O.R_NEXT;
}

@inline function sigma0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
@inline function sigma1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
@inline function ssig0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >> 3); }
@inline function ssig1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >> 10); }

// SHA256H (sub 0): V[d] = SHA256hash(V[d], V[n], V[m], TRUE); SHA256H2 (1):
// V[d] = SHA256hash(V[n], V[d], V[m], FALSE). SHA256hash runs four rounds on
// X (a, b, c, d) and Y (e, f, g, h); after each the 256-bit Y:X rotates left
// by 32: X = (X<95:0> : Y<127:96>), Y = (Y<95:0> : X<127:96>).
// SHA256SU1 (2): the second half of the message schedule update.
export function execSha256Three(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), m = fC(w), sub = fD(w);
  let dlo = vLo(d), dhi = vHi(d), nlo = vLo(n), nhi = vHi(n), mlo = vLo(m), mhi = vHi(m);
  if (sub == 2) {
    // T0 = V[m]<31:0> : V[n]<127:32>; T1 = V[m]<127:64>; the last two words
    // use the first two results as their T1.
    let t00 = hi32(nlo), t01 = lo32(nhi), t02 = hi32(nhi), t03 = lo32(mlo);
    let r0 = ssig1(lo32(mhi)) + lo32(dlo) + t00;
    let r1 = ssig1(hi32(mhi)) + hi32(dlo) + t01;
    let r2 = ssig1(r0) + lo32(dhi) + t02;
    let r3 = ssig1(r1) + hi32(dhi) + t03;
    setV(d, pack(r0, r1), pack(r2, r3));
    return O.R_NEXT;
  }
  let xlo = sub == 0 ? dlo : nlo, xhi = sub == 0 ? dhi : nhi;
  let ylo = sub == 0 ? nlo : dlo, yhi = sub == 0 ? nhi : dhi;
  let x0 = lo32(xlo), x1 = hi32(xlo), x2 = lo32(xhi), x3 = hi32(xhi);
  let y0 = lo32(ylo), y1 = hi32(ylo), y2 = lo32(yhi), y3 = hi32(yhi);
  for (let i: u32 = 0; i < 4; i++) {
    let wi = i == 0 ? lo32(mlo) : i == 1 ? hi32(mlo) : i == 2 ? lo32(mhi) : hi32(mhi);
    let chs = shaChoose(y0, y1, y2);
    let maj = shaMajority(x0, x1, x2);
    let t = y3 + sigma1(y0) + chs + wi;
    x3 = t + x3;
    y3 = t + sigma0(x0) + maj;
    let nx0 = y3, ny0 = x3;
    x3 = x2; x2 = x1; x1 = x0; x0 = nx0;
    y3 = y2; y2 = y1; y1 = y0; y0 = ny0;
  }
  if (sub == 0) setV(d, pack(x0, x1), pack(x2, x3));
  else setV(d, pack(y0, y1), pack(y2, y3));
  return O.R_NEXT;
}

// SHA1H (sub 0): S[d] = ROL(S[n], 30). SHA1SU1 (1): the SHA-1 schedule
// update. SHA256SU0 (2): the first half of the SHA-256 schedule update.
export function execShaTwo(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), n = fB(w), sub = fC(w);
  let nlo = vLo(n), nhi = vHi(n);
  if (sub == 0) { setV(d, <u64>rotl<u32>(lo32(nlo), 30), 0); return O.R_NEXT; }
  let dlo = vLo(d), dhi = vHi(d);
  if (sub == 1) {
    // T = V[d] EOR LSR(V[n], 32)
    let t0 = lo32(dlo) ^ hi32(nlo), t1 = hi32(dlo) ^ lo32(nhi), t2 = lo32(dhi) ^ hi32(nhi), t3 = hi32(dhi);
    let w0 = rotl<u32>(t0, 1), w1 = rotl<u32>(t1, 1), w2 = rotl<u32>(t2, 1);
    let w3 = rotl<u32>(t3, 1) ^ rotl<u32>(t0, 2);
    setV(d, pack(w0, w1), pack(w2, w3));
    return O.R_NEXT;
  }
  // T = V[n]<31:0> : V[d]<127:32>
  let r0 = ssig0(hi32(dlo)) + lo32(dlo);
  let r1 = ssig0(lo32(dhi)) + hi32(dlo);
  let r2 = ssig0(hi32(dhi)) + lo32(dhi);
  let r3 = ssig0(lo32(nlo)) + hi32(dhi);
  setV(d, pack(r0, r1), pack(r2, r3));
  return O.R_NEXT;
}
