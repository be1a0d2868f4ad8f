// Bit-manipulation helpers named after the Arm ARM's shared pseudocode.

// Ones(n) for n in 0..64.
@inline export function ones(n: u32): u64 {
  return n >= 64 ? 0xFFFF_FFFF_FFFF_FFFF : (<u64>1 << n) - 1;
}

// ROR(x, shift) at a datasize of 32 or 64.
@inline export function ror(x: u64, shift: u32, datasize: u32): u64 {
  if (datasize == 64) return rotr<u64>(x, <u64>shift);
  return <u64>rotr<u32>(<u32>x, shift);
}

// Replicate(x) of an esize-bit element to 64 bits.
export function replicate(x: u64, esize: u32): u64 {
  let r = x & ones(esize);
  for (let s = esize; s < 64; s <<= 1) r |= r << s;
  return r;
}

// DecodeBitMasks(N, imms, immr, immediate=TRUE). Returns wmask, or 0 with
// decodeBitMasksValid = false for the reserved encodings. (The pseudocode's
// tmask is not needed: the bitfield instructions precompute their own masks.)
export let decodeBitMasksValid = false;
export function decodeBitMasks(n: u32, imms: u32, immr: u32, immediate: bool, datasize: u32): u64 {
  let combined = (n << 6) | (~imms & 0x3f);
  if (combined == 0) { decodeBitMasksValid = false; return 0; }
  let len = 31 - clz<u32>(combined);
  if (len < 1) { decodeBitMasksValid = false; return 0; }
  let levels = (<u32>1 << len) - 1;
  if (immediate && (imms & levels) == levels) { decodeBitMasksValid = false; return 0; }
  let esize: u32 = <u32>1 << len;
  if (esize > datasize) { decodeBitMasksValid = false; return 0; }
  let s = imms & levels;
  let r = immr & levels;
  let welem = ones(s + 1);
  // ROR(welem, r) within esize bits
  let em = ones(esize);
  let wrot = r == 0 ? welem : (((welem >> r) | (welem << (esize - r))) & em);
  let wmask = replicate(wrot, esize);
  if (datasize == 32) wmask &= 0xFFFF_FFFF;
  decodeBitMasksValid = true;
  return wmask;
}

// Unsigned and signed high halves of a 64x64 multiply.
export function umulh(a: u64, b: u64): u64 {
  let a0 = a & 0xFFFF_FFFF, a1 = a >> 32;
  let b0 = b & 0xFFFF_FFFF, b1 = b >> 32;
  let p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  let mid = (p00 >> 32) + (p01 & 0xFFFF_FFFF) + (p10 & 0xFFFF_FFFF);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

export function smulh(a: u64, b: u64): u64 {
  let h = umulh(a, b);
  if (<i64>a < 0) h -= b;
  if (<i64>b < 0) h -= a;
  return h;
}

// SignExtend(x<bits-1:0>) to 64 bits.
@inline export function signExtend(x: u64, bits: u32): u64 {
  let s = <u64>(64 - bits);
  return <u64>((<i64>(x << s)) >> s);
}

// ---- CRC32 (polynomial 0x04C11DB7) and CRC32C (0x1EDC6F41), reflected ----
const crcTable = new StaticArray<u32>(256);
const crcCTable = new StaticArray<u32>(256);

function fillCrcTable(t: StaticArray<u32>, poly: u32): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
    unchecked(t[i] = c);
  }
}

export function initCrc(): void {
  fillCrcTable(crcTable, 0xEDB88320);
  fillCrcTable(crcCTable, 0x82F63B78);
}

// CRC32{B,H,W,X} / CRC32C{B,H,W,X}: acc updated with the low `bytes` of val.
export function crc32(acc: u32, val: u64, bytes: u32, castagnoli: bool): u32 {
  let t = castagnoli ? crcCTable : crcTable;
  let c = acc;
  for (let i: u32 = 0; i < bytes; i++) {
    c = unchecked(t[(c ^ <u32>(val >> (i * 8))) & 0xff]) ^ (c >> 8);
  }
  return c;
}
