// The software TLB. Direct-mapped, TLB_ENTRIES entries of TLB_ENTRY_SIZE bytes:
//   +0  tag for reads     +8  tag for writes    +16 tag for instruction fetch
//   +24 u32 addend: host address = (u32)va + addend
//   +28 u32 meta: bit 0 global (nG = 0), bits 3:1 regime, bits 13:8 log2 of the
//       stage 1 mapping size, bit 14 stage 2 applied
//   +32 u64 physical page address    +40 u64 IPA page    +48 u16 ASID
//   +50 u16 VMID                     +56 u64 VA page
// Entries cache the whole translation (both stages) of one 4 KiB page, and
// only the access types the translation permits at the context's privilege.
// A tag is (VA of the last byte accessed, page aligned) | context. Folding the
// last byte's page into the tag sends page-crossing accesses to the slow path.
// While alignment checking is on (SCTLR_ELx.A), entries are filled with a
// tag that never matches, so every data access takes the slow path, which
// checks alignment: the common case pays nothing for it. The context field (bits 4..11) names
// the translation regime the entry belongs to, so entries of different
// contexts coexist. A context is a (regime, privilege, PAN, stage 1 on,
// stage 2 on, ASID, VMID) combination numbered on first use (contextFor).
import {
  TLB_BASE, TLB_ENTRIES, TLB_ENTRY_SIZE, CNT_TLB_FILLS, CNT_TLB_FLUSHES, CNT_TLB_INVALIDATED, CNT_TLB_FILLS_VMID, CNT_TLB_HITS,
} from "../abi";

export const TLB_TAG_R = 0;
export const TLB_TAG_W = 8;
export const TLB_TAG_X = 16;
export const TLB_ADDEND = 24;
export const TLB_META = 28;
export const TLB_PA = 32;
export const TLB_IPA = 40;
export const TLB_ASID = 48;
export const TLB_VMID = 50;
export const TLB_VA = 56;
export const META_GLOBAL: u32 = 1;
export const META_S2: u32 = 1 << 14;
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

// The stats build (asc --use COUNT_TLB_HITS=1) counts fast-path hits; the
// release build does not pay for it.
// @ts-ignore: COUNT_TLB_HITS exists only in the stats build
@inline export function countTlbHit(): void { if (isDefined(COUNT_TLB_HITS)) store<u64>(CNT_TLB_HITS, load<u64>(CNT_TLB_HITS) + 1); }
// @ts-ignore: COUNT_TLB_HITS exists only in the stats build
@inline export function countsTlbHits(): bool { return isDefined(COUNT_TLB_HITS); }

@inline function tagFor(va: u64, size: u32): u64 {
  return ((va + <u64>(size - 1)) & ~<u64>0xfff) | tlbCtx;
}
const TAG_SLOW_DATA: u64 = 0x8; // never set in a computed tag: data accesses go slow

// Fast paths: the host address of [va, va+size), or 0 for the slow path.
@inline export function hostRead(va: u64, size: u32): usize {
  let e = tlbEntry(va);
  if (load<u64>(e, TLB_TAG_R) != tagFor(va, size)) return 0;
  countTlbHit();
  return <usize>(<u32>va + load<u32>(e, TLB_ADDEND));
}
@inline export function hostWrite(va: u64, size: u32): usize {
  let e = tlbEntry(va);
  if (load<u64>(e, TLB_TAG_W) != tagFor(va, size)) return 0;
  countTlbHit();
  return <usize>(<u32>va + load<u32>(e, TLB_ADDEND));
}

export function tlbFill(va: u64, pa: u64, host: usize, readable: bool, writable: bool, executable: bool,
  meta: u32, ipa: u64, asid: u32, vmid: u32): void {
  let e = tlbEntry(va);
  store<u32>(e, meta, TLB_META);
  store<u64>(e, ipa & ~<u64>0xfff, TLB_IPA);
  store<u16>(e, <u16>asid, TLB_ASID);
  store<u16>(e, <u16>vmid, TLB_VMID);
  store<u64>(e, va & ~<u64>0xfff, TLB_VA);
  let fv = CNT_TLB_FILLS_VMID + ((<usize>vmid & 31) << 3);
  store<u64>(fv, load<u64>(fv) + 1);
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

// ---- TLB maintenance by scope (TLBI) ---------------------------------------------
export const MATCH_REGIME: u32 = 1;   // regime must equal `regime`
export const MATCH_VMID: u32 = 2;     // VMID must equal `vmid` (EL1&0 entries)
export const MATCH_ASID: u32 = 4;     // ASID must equal `asid`, global entries excepted
export const MATCH_ASID_OR_GLOBAL: u32 = 8; // ASID must equal `asid`, or the entry is global
export const MATCH_VA: u32 = 16;      // the entry's mapping covers `addr` (a VA)
export const MATCH_IPA: u32 = 32;     // the entry came through stage 2 and its IPA page is `addr`'s

// Invalidates every entry matching all the given conditions. Returns how many.
export function tlbInvalidate(match: u32, regime: u32, vmid: u32, asid: u32, addr: u64): u32 {
  let n: u32 = 0;
  for (let i = 0; i < TLB_ENTRIES; i++) {
    let e = TLB_BASE + <usize>i * TLB_ENTRY_SIZE;
    if ((load<u64>(e, TLB_TAG_R) & load<u64>(e, TLB_TAG_W) & load<u64>(e, TLB_TAG_X)) == TAG_INVALID) continue;
    let meta = load<u32>(e, TLB_META);
    if ((match & MATCH_REGIME) && ((meta >> 1) & 7) != regime) continue;
    if ((match & MATCH_VMID) && <u32>load<u16>(e, TLB_VMID) != vmid) continue;
    if ((match & MATCH_ASID) && ((meta & META_GLOBAL) != 0 || <u32>load<u16>(e, TLB_ASID) != asid)) continue;
    if ((match & MATCH_ASID_OR_GLOBAL) && (meta & META_GLOBAL) == 0 && <u32>load<u16>(e, TLB_ASID) != asid) continue;
    if (match & MATCH_VA) {
      let shift = <u64>((meta >> 8) & 63);
      // VA[55:12] only: entries filled through tagged (TBI) addresses match too.
      let m = ~((<u64>1 << shift) - 1) & 0x00ff_ffff_ffff_ffff;
      if ((load<u64>(e, TLB_VA) & m) != (addr & m)) continue;
    }
    if ((match & MATCH_IPA) && ((meta & META_S2) == 0 || load<u64>(e, TLB_IPA) != (addr & ~<u64>0xfff))) continue;
    store<u64>(e, TAG_INVALID, TLB_TAG_R);
    store<u64>(e, TAG_INVALID, TLB_TAG_W);
    store<u64>(e, TAG_INVALID, TLB_TAG_X);
    n++;
  }
  let c = CNT_TLB_INVALIDATED + ((<usize>vmid & 31) << 3);
  store<u64>(c, load<u64>(c) + n);
  return n;
}

// ---- translation contexts -----------------------------------------------------------
// Context numbers 1..254 for the keys seen since the last full flush.
const CTX_HASH = 512;
const ctxKeys = new StaticArray<u64>(CTX_HASH);
const ctxIds = new StaticArray<u8>(CTX_HASH);
let nextCtx: u32 = 1;

export function contextFor(key: u64): u64 {
  let h = <u32>((key * 0x9e37_79b9_7f4a_7c15) >> 55) & (CTX_HASH - 1);
  while (true) {
    let id = unchecked(ctxIds[h]);
    if (id == 0) break;
    if (unchecked(ctxKeys[h]) == key) return <u64>id;
    h = (h + 1) & (CTX_HASH - 1);
  }
  if (nextCtx > 254) {
    // Out of numbers: forget every context and everything cached under them.
    for (let i = 0; i < CTX_HASH; i++) unchecked(ctxIds[i] = 0);
    nextCtx = 1;
    tlbFlushAll();
    return contextFor(key);
  }
  unchecked(ctxKeys[h] = key);
  unchecked(ctxIds[h] = <u8>nextCtx);
  let id = nextCtx;
  nextCtx++;
  return <u64>id;
}

// Make every entry mapping this physical page refuse fast-path writes.
export function tlbWriteProtectPage(paPage: u64): void {
  for (let i = 0; i < TLB_ENTRIES; i++) {
    let e = TLB_BASE + <usize>i * TLB_ENTRY_SIZE;
    if (load<u64>(e, TLB_PA) == paPage) store<u64>(e, TAG_INVALID, TLB_TAG_W);
  }
}
