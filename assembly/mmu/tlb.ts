// The software TLB. Direct-mapped, TLB_ENTRIES entries of TLB_ENTRY_SIZE bytes:
//   +0  tag for reads     +8  tag for writes    +16 tag for instruction fetch
//   +24 u32 addend: host address = (u32)va + addend
//   +32 u64 physical page address
// A tag is (VA of the last byte accessed, page aligned) | context. Folding the
// last byte's page into the tag sends page-crossing accesses to the slow path.
// While alignment checking is on (SCTLR_ELx.A), entries are filled with a
// tag that never matches, so every data access takes the slow path, which
// checks alignment: the common case pays nothing for it. The context field (bits 4..11) names
// the translation regime the entry belongs to, so entries of different
// contexts coexist; the MMU issue extends it to VMID and ASID.
import { TLB_BASE, TLB_ENTRIES, TLB_ENTRY_SIZE, CNT_TLB_FILLS, CNT_TLB_FLUSHES } from "../abi";

export const TLB_TAG_R = 0;
export const TLB_TAG_W = 8;
export const TLB_TAG_X = 16;
export const TLB_ADDEND = 24;
export const TLB_PA = 32;
export const TAG_INVALID: u64 = 0xFFFF_FFFF_FFFF_FFFF;

// Current translation context (bits 4..11 of every tag) and alignment check mask.
export let tlbCtx: u64 = 0;
export let alignMask: u64 = 0;
export function setTranslationContext(ctx: u64, align: u64): void {
  // Entries filled under the other alignment setting would bypass (or
  // needlessly take) the slow path: changing it flushes the TLB.
  if (align != alignMask) { alignMask = align; tlbFlushAll(); }
  tlbCtx = ctx << 4;
}

@inline export function tlbEntry(va: u64): usize {
  return TLB_BASE + ((<usize>(va >> 12) & (TLB_ENTRIES - 1)) * TLB_ENTRY_SIZE);
}

@inline function tagFor(va: u64, size: u32): u64 {
  return ((va + <u64>(size - 1)) & ~<u64>0xfff) | tlbCtx;
}
const TAG_SLOW_DATA: u64 = 0x8; // never set in a computed tag: data accesses go slow

// Fast paths: the host address of [va, va+size), or 0 for the slow path.
@inline export function hostRead(va: u64, size: u32): usize {
  let e = tlbEntry(va);
  return load<u64>(e, TLB_TAG_R) == tagFor(va, size) ? <usize>(<u32>va + load<u32>(e, TLB_ADDEND)) : 0;
}
@inline export function hostWrite(va: u64, size: u32): usize {
  let e = tlbEntry(va);
  return load<u64>(e, TLB_TAG_W) == tagFor(va, size) ? <usize>(<u32>va + load<u32>(e, TLB_ADDEND)) : 0;
}

export function tlbFill(va: u64, pa: u64, host: usize, readable: bool, writable: bool, executable: bool): void {
  let e = tlbEntry(va);
  let tag = (va & ~<u64>0xfff) | tlbCtx;
  let dataTag = alignMask != 0 ? tag | TAG_SLOW_DATA : tag;
  store<u64>(e, readable ? dataTag : TAG_INVALID, TLB_TAG_R);
  store<u64>(e, writable ? dataTag : TAG_INVALID, TLB_TAG_W);
  store<u64>(e, executable ? tag : TAG_INVALID, TLB_TAG_X);
  store<u32>(e, <u32>(host & ~<usize>0xfff) - <u32>(va & ~<u64>0xfff), TLB_ADDEND);
  store<u64>(e, pa & ~<u64>0xfff, TLB_PA);
  store<u64>(CNT_TLB_FILLS, load<u64>(CNT_TLB_FILLS) + 1);
}

// The physical page of an instruction fetch at va if the TLB holds it, else 1.
export function tlbLookupExec(va: u64): u64 {
  let e = tlbEntry(va);
  if (load<u64>(e, TLB_TAG_X) == ((va & ~<u64>0xfff) | tlbCtx)) return load<u64>(e, TLB_PA);
  return 1;
}

export function tlbFlushAll(): void {
  memory.fill(TLB_BASE, 0xff, TLB_ENTRIES * TLB_ENTRY_SIZE);
  store<u64>(CNT_TLB_FLUSHES, load<u64>(CNT_TLB_FLUSHES) + 1);
}

// Make every entry mapping this physical page refuse fast-path writes.
export function tlbWriteProtectPage(paPage: u64): void {
  for (let i = 0; i < TLB_ENTRIES; i++) {
    let e = TLB_BASE + <usize>i * TLB_ENTRY_SIZE;
    if (load<u64>(e, TLB_PA) == paPage) store<u64>(e, TAG_INVALID, TLB_TAG_W);
  }
}
