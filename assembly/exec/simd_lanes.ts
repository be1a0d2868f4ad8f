// Element (lane) access to the V registers and the saturation rules shared by
// every Advanced SIMD handler. Elements are little-endian within V[n]
// (element i of size 8 << size bits at byte i << size), as Elem[] reads them.
import { SR_FPSR } from "../abi";
import { sysreg, setSysreg } from "../cpu/state";
import { vAddr } from "./simdfp";

@inline export function loadElem(a: usize, size: u32): u64 {
  if (size == 0) return <u64>load<u8>(a);
  if (size == 1) return <u64>load<u16>(a);
  if (size == 2) return <u64>load<u32>(a);
  return load<u64>(a);
}
@inline export function storeElem(a: usize, v: u64, size: u32): void {
  if (size == 0) store<u8>(a, <u8>v);
  else if (size == 1) store<u16>(a, <u16>v);
  else if (size == 2) store<u32>(a, <u32>v);
  else store<u64>(a, v);
}
@inline export function elemAddr(v: u32, index: u32, size: u32): usize { return vAddr(v) + (<usize>index << size); }

// Elem[V[v], index, 8 << size], zero-extended / sign-extended to 64 bits.
@inline export function elem(v: u32, index: u32, size: u32): u64 { return loadElem(elemAddr(v, index, size), size); }
@inline export function selem(v: u32, index: u32, size: u32): i64 {
  let sh = <u64>(64 - (8 << size));
  return <i64>(elem(v, index, size) << sh) >> sh;
}
@inline export function setElem(v: u32, index: u32, size: u32, x: u64): void { storeElem(elemAddr(v, index, size), x, size); }

// Replicate(element, 64 / esize) for an element zero-extended in x.
@inline export function replicate64(x: u64, size: u32): u64 {
  if (size == 0) return x * 0x0101_0101_0101_0101;
  if (size == 1) return x * 0x0001_0001_0001_0001;
  if (size == 2) return x | (x << 32);
  return x;
}

// FPSR.QC (bit 27), set by the saturating instructions when they saturate.
const FPSR_QC: u64 = 1 << 27;
@inline export function setQC(): void { setSysreg(SR_FPSR, sysreg(SR_FPSR) | FPSR_QC); }

// SignedSatQ / UnsignedSatQ of a value already known to fit in 64 bits (as
// i64), to esize = 8 << size bits, setting QC on saturation. For size 3 the
// caller detects 64-bit overflow itself.
export function satS(x: i64, size: u32): u64 {
  if (size == 3) return <u64>x;
  let max = (<i64>1 << <i64>((8 << size) - 1)) - 1, min = -max - 1;
  if (x > max) { setQC(); x = max; } else if (x < min) { setQC(); x = min; }
  return <u64>x & ((<u64>1 << <u64>(8 << size)) - 1);
}
export function satU(x: i64, size: u32): u64 {
  if (size == 3) return <u64>x;
  let max = (<i64>1 << <i64>(8 << size)) - 1;
  if (x > max) { setQC(); x = max; } else if (x < 0) { setQC(); x = 0; }
  return <u64>x;
}
