// The decoded-code cache: guest code is predecoded per 4 KiB physical page of
// RAM into a slot of CODE_SLOT_ENTRIES entries, lazily, one instruction at a
// time (an entry whose op is OP_DECODE is decoded when first executed). A
// write to RAM that overlaps decoded instructions turns exactly those entries
// back into OP_DECODE, so self-modifying code is always seen.
import {
  CODE_BASE, CODE_SLOTS, CODE_SLOT_SIZE, CODE_ENTRY_SIZE, PAGE_SLOT_MAP, CODE_SLOT_OWNER,
  CNT_CODE_SLOT_FILLS, CNT_CODE_INVALIDATIONS, CODE_SLOT_ENTRIES, CODE_SLOT_JIT, CODE_SLOT_HEAT, RAM_HOST_BASE,
} from "../abi";
import { OP_PAGE_END } from "./ops";
import { decodeInstruction, NO_NEXT } from "./decoder";
import { ramBase, ramSize } from "../cpu/config";
import { tlbWriteProtectPage } from "../mmu/tlb";

let nextSlot: u32 = 0;

@inline function mapEntry(pageIndex: u64): usize { return PAGE_SLOT_MAP + (<usize>pageIndex << 1); }
@inline export function slotBase(slot: u32): usize { return CODE_BASE + <usize>slot * CODE_SLOT_SIZE; }
@inline export function slotIndexOf(base: usize): u32 { return <u32>((base - CODE_BASE) / CODE_SLOT_SIZE); }

// A compiled function stays valid only while the page's decoded code does.
@inline function dropCompiled(slot: u32): void {
  store<u32>(CODE_SLOT_JIT + (<usize>slot << 2), 0);
  store<u32>(CODE_SLOT_HEAT + (<usize>slot << 2), 0);
}

// Is there decoded code for this RAM page? (pageIndex = (pa - ramBase) >> 12)
@inline export function pageHasCode(pageIndex: u64): bool { return load<u16>(mapEntry(pageIndex)) != 0; }

// The slot holding the page at physical address paPage (page aligned, in RAM).
export function slotForPage(paPage: u64): usize {
  let pageIndex = (paPage - ramBase) >> 12;
  let m = load<u16>(mapEntry(pageIndex));
  if (m != 0) return slotBase(m - 1);
  let s = nextSlot;
  nextSlot = (nextSlot + 1) % CODE_SLOTS;
  let ownerAddr = CODE_SLOT_OWNER + (<usize>s << 2);
  let owner = load<u32>(ownerAddr);
  if (owner != 0) store<u16>(mapEntry(<u64>(owner - 1)), 0);
  let base = slotBase(s);
  memory.fill(base, 0, CODE_SLOT_SIZE);
  dropCompiled(s);
  store<u64>(base + <usize>(CODE_SLOT_ENTRIES - 1) * CODE_ENTRY_SIZE, <u64>OP_PAGE_END);
  store<u32>(ownerAddr, <u32>pageIndex + 1);
  store<u16>(mapEntry(pageIndex), <u16>(s + 1));
  // Stores to this page must now take the slow path, which invalidates code.
  tlbWriteProtectPage(paPage);
  store<u64>(CNT_CODE_SLOT_FILLS, load<u64>(CNT_CODE_SLOT_FILLS) + 1);
  return base;
}

// Drop decoded instructions overlapping [pa, pa + len). Returns how many.
export function invalidateCode(pa: u64, len: u64): u32 {
  if (len == 0 || pa + len <= ramBase || pa >= ramBase + ramSize) return 0;
  let lo = pa < ramBase ? ramBase : pa;
  let end = pa + len;
  if (end > ramBase + ramSize) end = ramBase + ramSize;
  let dropped: u32 = 0;
  let a = lo & ~<u64>3;
  while (a < end) {
    let pageIndex = (a - ramBase) >> 12;
    let pageEnd = (a | 0xfff) + 1;
    let stop = end < pageEnd ? end : pageEnd;
    let m = load<u16>(mapEntry(pageIndex));
    if (m != 0) {
      let base = slotBase(m - 1);
      dropCompiled(m - 1);
      // The entry before the first one goes too: it may be a fused pair
      // (OP_SUBS_BCOND) that carries the overwritten instruction.
      let first = (a & 0xfff) >> 2;
      if (first > 0) first--;
      for (let i = first; i <= ((stop - 1) & 0xfff) >> 2; i++) {
        let ent = base + <usize>i * CODE_ENTRY_SIZE;
        if (load<u16>(ent) != 0) { store<u64>(ent, 0); dropped++; }
      }
    }
    a = stop;
  }
  if (dropped) store<u64>(CNT_CODE_INVALIDATIONS, load<u64>(CNT_CODE_INVALIDATIONS) + dropped);
  return dropped;
}

// Drop all decoded code (IC IALLU, IC IALLUIS, reset).
export function flushCodeCache(): void {
  for (let s: u32 = 0; s < <u32>CODE_SLOTS; s++) {
    let ownerAddr = CODE_SLOT_OWNER + (<usize>s << 2);
    let owner = load<u32>(ownerAddr);
    if (owner != 0) { store<u16>(mapEntry(<u64>(owner - 1)), 0); store<u32>(ownerAddr, 0); }
    dropCompiled(s);
  }
  nextSlot = 0;
}

// Drop the decoded page holding physical address pa (IC IVAU).
export function flushCodePage(pa: u64): void {
  if (pa < ramBase || pa >= ramBase + ramSize) return;
  let pageIndex = (pa - ramBase) >> 12;
  let m = load<u16>(mapEntry(pageIndex));
  if (m == 0) return;
  store<u32>(CODE_SLOT_OWNER + (<usize>(m - 1) << 2), 0);
  store<u16>(mapEntry(pageIndex), 0);
  dropCompiled(m - 1);
}

// Decode every not-yet-decoded entry of a slot (before the host compiles it).
export function decodeWholeSlot(slot: u32): void {
  let owner = load<u32>(CODE_SLOT_OWNER + (<usize>slot << 2));
  if (owner == 0) return;
  let host = RAM_HOST_BASE + (<usize>(owner - 1) << 12);
  let base = slotBase(slot);
  for (let i: u32 = 0; i < 1024; i++) {
    let e = base + <usize>i * CODE_ENTRY_SIZE;
    if (load<u16>(e) != 0) continue;
    let at = host + (<usize>i << 2);
    decodeInstruction(load<u32>(at), e, i < 1023 ? <u64>load<u32>(at, 4) : NO_NEXT);
  }
}
