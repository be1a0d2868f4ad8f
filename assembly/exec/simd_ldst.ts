// Semantics: the Advanced SIMD structure loads and stores: LD1-LD4/ST1-ST4
// (multiple structures, single structure), LD1R-LD4R, with post-index by the
// transfer size or by Xm.
//
// Every form transfers one contiguous block of at most 64 bytes at the base
// address (its elements are consecutive, in increasing address order), so a
// handler moves the block as a whole: through the TLB fast path when it lies
// in one page (one tag check, then plain copies), else through gather/scatter
// below, one translation per page. As everywhere else, all memory accesses
// come before any register write (MMIO replay): loads read the whole block
// before writing the V registers, and the base writeback comes last.
import { REPLAY_MAX } from "../abi";
import { getX, setX, currentEL } from "../cpu/state";
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import { pcOf } from "../cpu/context";
import * as O from "../decode/ops";
import { hostRead, hostWrite, alignMask } from "../mmu/tlb";
import { readSlow, writeSlow, dataAbort } from "../mmu/memory";
import { translateAddress, AT_WRITE } from "../mmu/translate";
import { reportTranslationFault, hostStage2Fault } from "../mmu/fault";
import { FSC_ALIGNMENT } from "../except/syndrome";
import { spMisaligned, spAlignmentFault } from "./ldst";
import { fpTrapEL, fpAccessTrap, vAddr, setV } from "./simdfp";
import { loadElem, storeElem, replicate64 } from "./simd_lanes";

// The block of a slow-path transfer (loads: gathered here; stores: built here).
const BUF: usize = memory.data(64, 16);

// ---- Block transfer slow paths --------------------------------------------------------
// The bytes from a to the end of its page, at most rest.
@inline function pageRun(a: u64, rest: u32): u32 {
  let inPage: u32 = 0x1000 - (<u32>a & 0xfff);
  return rest < inPage ? rest : inPage;
}

// log2 of the MMIO access size: the element size, widened to 8 bytes when the
// block has more elements than the replay log can hold answers for.
@inline function granule(n: u32, size: u32): u32 { return (n >> size) > <u32>REPLAY_MAX ? 3 : size; }

// log2 of the largest naturally aligned access at a, at most 2^g and len bytes.
@inline function chunk(a: u64, len: u32, g: u32): u32 {
  let c = g;
  while (c > 0 && ((<u32>a & ((<u32>1 << c) - 1)) != 0 || (<u32>1 << c) > len)) c--;
  return c;
}

// With SCTLR_ELx.A set every element must be aligned to its size; the
// elements are consecutive, so the first one decides. The alignment fault
// comes before any translation, as in AArch64.MemSingle.
function misalignedBlock(va: u64, size: u32, isWrite: bool, e: usize): bool {
  if (alignMask == 0 || (va & ((<u64>1 << size) - 1)) == 0) return false;
  dataAbort(va, FSC_ALIGNMENT, isWrite, pcOf(e));
  return true;
}

// Reads the n bytes at va into BUF: RAM through the TLB (the first access of
// a page fills it), MMIO as accesses of the granule. False after a fault
// (FAR: the first address accessed in the faulting page) or an MMIO exit.
function gather(va: u64, n: u32, size: u32, e: usize): bool {
  if (misalignedBlock(va, size, false, e)) return false;
  let g = granule(n, size);
  let pos: u32 = 0;
  while (pos < n) {
    let a = va + pos;
    let len = pageRun(a, n - pos);
    let h = hostRead(a, len);
    if (h) { memory.copy(BUF + pos, h, len); pos += len; continue; }
    let c = chunk(a, len, g);
    h = readSlow(a, <u32>1 << c, 0, e);
    if (!h) return false;
    storeElem(BUF + pos, loadElem(h, c), c);
    pos += <u32>1 << c;
  }
  return true;
}

// Translates va for a write without writing; false after taking the fault.
// An IPA without RAM under the host's stage 2 is MMIO, which the write reaches.
function probeWrite(va: u64, e: usize): bool {
  let el = currentEL();
  if (translateAddress(va, AT_WRITE, el, el != 0 ? 1 : 0) >= 0 || hostStage2Fault()) return true;
  reportTranslationFault(va, AT_WRITE, pcOf(e), e);
  return false;
}

// Writes the n bytes of BUF at va. A block crossing a page has both pages
// translated first, so a fault on the second leaves memory untouched.
function scatter(va: u64, n: u32, size: u32, e: usize): bool {
  if (misalignedBlock(va, size, true, e)) return false;
  let first = pageRun(va, n);
  if (first < n) {
    if (!hostWrite(va, first) && !probeWrite(va, e)) return false;
    let p2 = va + first;
    if (!hostWrite(p2, n - first) && !probeWrite(p2, e)) return false;
  }
  let g = granule(n, size);
  let pos: u32 = 0;
  while (pos < n) {
    let a = va + pos;
    let len = pageRun(a, n - pos);
    let h = hostWrite(a, len);
    if (h) { memory.copy(h, BUF + pos, len); pos += len; continue; }
    let c = chunk(a, len, g);
    if (!writeSlow(a, <u32>1 << c, loadElem(BUF + pos, c), 0, e)) return false;
    pos += <u32>1 << c;
  }
  return true;
}

// The base address of the instruction being executed (set by loadOperand and storeTarget).
let gBase: u64 = 0;

// The block a load reads: a host address holding its bytes (RAM, or BUF),
// or 0 after an SP alignment fault, a fault or an MMIO exit.
function loadOperand(w: u64, e: usize): usize {
  let rn = fB(w);
  let base = getX(rn);
  if (spMisaligned(rn, base)) { spAlignmentFault(e); return 0; }
  gBase = base;
  let n = <u32>imm(e);
  let h = hostRead(base, n);
  if (h) return h;
  return gather(base, n, fF(w) & 3, e) ? BUF : 0;
}

// Where a store builds its block: the RAM itself when the TLB allows the
// write, else BUF (then storeCommit writes it); 0 after an SP alignment fault.
function storeTarget(w: u64, e: usize): usize {
  let rn = fB(w);
  let base = getX(rn);
  if (spMisaligned(rn, base)) { spAlignmentFault(e); return 0; }
  gBase = base;
  let h = hostWrite(base, <u32>imm(e));
  return h ? h : BUF;
}
@inline function storeCommit(w: u64, e: usize, p: usize): bool {
  return p != BUF || scatter(gBase, <u32>imm(e), fF(w) & 3, e);
}

// Post-index writeback, after every access: Xn = base + (the transfer size or Xm).
@inline function writeback(w: u64, e: usize): void {
  let wb = fD(w);
  if (wb == O.LDST_WB_NONE) return;
  setX(fB(w), gBase + (wb == O.LDST_WB_IMM ? imm(e) : getX(fC(w))));
}

// ---- Field access -----------------------------------------------------------------------
@inline function fSize(f: u32): u32 { return f & 3; }
@inline function fQ(f: u32): u32 { return (f >> 2) & 1; }
@inline function fCount(f: u32): u32 { return (f >> 3) & 7; }
@inline function fIndex(f: u32): u32 { return f >> 6; }
@inline function vreg(t: u32, r: u32): usize { return vAddr((t + r) & 31); }

// ---- LD1/ST1 (multiple structures): whole registers, no interleaving --------------------
// Registers t, t+1, ... (mod 32) hold consecutive 8 (Q = 0) or 16 bytes each.
export function execLd1Multiple(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let src = loadOperand(w, e);
  if (!src) return O.R_FAULT;
  let f = fF(w), t = fA(w), regs = fCount(f);
  if (fQ(f)) {
    for (let r: u32 = 0; r < regs; r++) { let p = src + (<usize>r << 4); setV((t + r) & 31, load<u64>(p), load<u64>(p, 8)); }
  } else {
    for (let r: u32 = 0; r < regs; r++) setV((t + r) & 31, load<u64>(src + (<usize>r << 3)), 0);
  }
  writeback(w, e);
  return O.R_NEXT;
}

export function execSt1Multiple(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let p = storeTarget(w, e);
  if (!p) return O.R_FAULT;
  let f = fF(w), t = fA(w), regs = fCount(f);
  if (fQ(f)) {
    for (let r: u32 = 0; r < regs; r++) {
      let v = vreg(t, r), o = p + (<usize>r << 4);
      store<u64>(o, load<u64>(v)); store<u64>(o, load<u64>(v, 8), 8);
    }
  } else {
    for (let r: u32 = 0; r < regs; r++) store<u64>(p + (<usize>r << 3), load<u64>(vreg(t, r)));
  }
  if (!storeCommit(w, e, p)) return O.R_FAULT;
  writeback(w, e);
  return O.R_NEXT;
}

// ---- LD2-LD4/ST2-ST4 (multiple structures): element i of register t + s is
// structure element s of structure i, at byte (i * selem + s) * esize.
@inline function deinterleave<T>(src: usize, t: u32, selem: u32, epr: u32): void {
  const sz = <usize>sizeof<T>();
  for (let s: u32 = 0; s < selem; s++) {
    let v = vreg(t, s), p = src + <usize>s * sz, stride = <usize>selem * sz;
    for (let i: u32 = 0; i < epr; i++) { store<T>(v + <usize>i * sz, load<T>(p)); p += stride; }
  }
}
@inline function interleave<T>(dst: usize, t: u32, selem: u32, epr: u32): void {
  const sz = <usize>sizeof<T>();
  for (let s: u32 = 0; s < selem; s++) {
    let v = vreg(t, s), p = dst + <usize>s * sz, stride = <usize>selem * sz;
    for (let i: u32 = 0; i < epr; i++) { store<T>(p, load<T>(v + <usize>i * sz)); p += stride; }
  }
}

export function execLdNMultiple(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let src = loadOperand(w, e);
  if (!src) return O.R_FAULT;
  let f = fF(w), t = fA(w), size = fSize(f), q = fQ(f), selem = fCount(f);
  let epr = (<u32>8 << q) >> size; // elements per register
  if (!q) for (let s: u32 = 0; s < selem; s++) store<u64>(vreg(t, s), 0, 8);
  switch (size) {
    case 0: deinterleave<u8>(src, t, selem, epr); break;
    case 1: deinterleave<u16>(src, t, selem, epr); break;
    case 2: deinterleave<u32>(src, t, selem, epr); break;
    default: deinterleave<u64>(src, t, selem, epr);
  }
  writeback(w, e);
  return O.R_NEXT;
}

export function execStNMultiple(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let p = storeTarget(w, e);
  if (!p) return O.R_FAULT;
  let f = fF(w), t = fA(w), size = fSize(f), selem = fCount(f);
  let epr = (<u32>8 << fQ(f)) >> size;
  switch (size) {
    case 0: interleave<u8>(p, t, selem, epr); break;
    case 1: interleave<u16>(p, t, selem, epr); break;
    case 2: interleave<u32>(p, t, selem, epr); break;
    default: interleave<u64>(p, t, selem, epr);
  }
  if (!storeCommit(w, e, p)) return O.R_FAULT;
  writeback(w, e);
  return O.R_NEXT;
}

// ---- LD1-LD4/ST1-ST4 (single structure): lane `index` of registers t..t+selem-1;
// the other lanes are unchanged.
export function execLdSingle(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let src = loadOperand(w, e);
  if (!src) return O.R_FAULT;
  let f = fF(w), t = fA(w), size = fSize(f), selem = fCount(f), lane = <usize>fIndex(f) << size;
  for (let s: u32 = 0; s < selem; s++) storeElem(vreg(t, s) + lane, loadElem(src + (<usize>s << size), size), size);
  writeback(w, e);
  return O.R_NEXT;
}

export function execStSingle(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let p = storeTarget(w, e);
  if (!p) return O.R_FAULT;
  let f = fF(w), t = fA(w), size = fSize(f), selem = fCount(f), lane = <usize>fIndex(f) << size;
  for (let s: u32 = 0; s < selem; s++) storeElem(p + (<usize>s << size), loadElem(vreg(t, s) + lane, size), size);
  if (!storeCommit(w, e, p)) return O.R_FAULT;
  writeback(w, e);
  return O.R_NEXT;
}

// ---- LD1R-LD4R: structure element s replicated to every lane of register t + s.
export function execLdReplicate(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let src = loadOperand(w, e);
  if (!src) return O.R_FAULT;
  let f = fF(w), t = fA(w), size = fSize(f), selem = fCount(f), q = fQ(f);
  for (let s: u32 = 0; s < selem; s++) {
    let x = replicate64(loadElem(src + (<usize>s << size), size), size);
    setV((t + s) & 31, x, q ? x : 0);
  }
  writeback(w, e);
  return O.R_NEXT;
}
