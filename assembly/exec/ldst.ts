// Semantics: loads and stores. Every handler performs all of its memory
// accesses before it changes any register, so an instruction that leaves
// run() for MMIO can be executed again once the host has answered.
import { getX, setX, sysreg, currentEL } from "../cpu/state";
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import { pcOf, setNextPC } from "../cpu/context";
import * as O from "../decode/ops";
import { SLOT_SINK, SLOT_SP, SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, EXCL_ADDR, EXCL_SIZE } from "../abi";
import { hostRead, hostWrite } from "../mmu/tlb";
import { readSlow, writeSlow, writableHost, dataAbort, ACC_ALIGNED, ACC_RAM_ONLY, ACC_UNPRIV } from "../mmu/memory";
import { extendReg } from "./flags";
import { takeSync, sctlrForEL0 } from "../except/exception";
import { EC_SP_ALIGN, FSC_ALIGNMENT } from "../except/syndrome";

// ---- SP alignment checking (SCTLR_ELx.SA / SA0), resolved when the context changes.
let spAlignCheck = false;
export function updateSPAlignCheck(): void {
  let el = currentEL();
  let sctlr = el == 3 ? sysreg(SR_SCTLR_EL3) : el == 2 ? sysreg(SR_SCTLR_EL2) : el == 1 ? sysreg(SR_SCTLR_EL1) : sctlrForEL0();
  spAlignCheck = (sctlr & (el == 0 ? (1 << 4) : (1 << 3))) != 0;
}

export function spAlignCheckOn(): bool { return spAlignCheck; }

@inline export function spMisaligned(slot: u32, base: u64): bool { return slot == SLOT_SP && spAlignCheck && (base & 15) != 0; }

export function spAlignmentFault(e: usize): i32 { setNextPC(takeSync(EC_SP_ALIGN, 0, pcOf(e))); return O.R_FAULT; }

// ---- Sized accesses through the TLB ----------------------------------------------
@inline function memopSize(m: u32): u32 {
  if (m == O.MEMOP_LDRB || m == O.MEMOP_LDRSBX || m == O.MEMOP_LDRSBW || m == O.MEMOP_STRB) return 1;
  if (m == O.MEMOP_LDRH || m == O.MEMOP_LDRSHX || m == O.MEMOP_LDRSHW || m == O.MEMOP_STRH) return 2;
  if (m == O.MEMOP_LDRW || m == O.MEMOP_LDRSW || m == O.MEMOP_STRW) return 4;
  return 8;
}

// Load `size` bytes from host address h, extended as the memop says.
@inline function loadExtend(h: usize, m: u32): u64 {
  switch (m) {
    case O.MEMOP_LDRB: return <u64>load<u8>(h);
    case O.MEMOP_LDRH: return <u64>load<u16>(h);
    case O.MEMOP_LDRW: return <u64>load<u32>(h);
    case O.MEMOP_LDRSBX: return <u64>load<i8>(h);
    case O.MEMOP_LDRSBW: return <u64><u32>load<i8>(h);
    case O.MEMOP_LDRSHX: return <u64>load<i16>(h);
    case O.MEMOP_LDRSHW: return <u64><u32>load<i16>(h);
    case O.MEMOP_LDRSW: return <u64>load<i32>(h);
    default: return load<u64>(h);
  }
}

@inline function storeSized(h: usize, v: u64, size: u32): void {
  if (size == 1) store<u8>(h, <u8>v);
  else if (size == 2) store<u16>(h, <u16>v);
  else if (size == 4) store<u32>(h, <u32>v);
  else store<u64>(h, v);
}

// Host address for a read (0: an exception or exit was taken).
@inline export function readHost(va: u64, size: u32, acc: u32, e: usize): usize {
  let h = hostRead(va, size);
  return h ? h : readSlow(va, size, acc, e);
}

// Perform a write; false if an exception or exit was taken.
@inline export function write(va: u64, size: u32, v: u64, acc: u32, e: usize): bool {
  let h = hostWrite(va, size);
  if (h) { storeSized(h, v, size); return true; }
  return writeSlow(va, size, v, acc, e);
}

// The address of a single-register load/store (the integer and the SIMD&FP
// forms share the addressing modes): base for post-index, base + extended
// Rm for register offset, else base + the decoded byte offset.
@inline export function singleAddress(w: u64, e: usize, mode: u32, base: u64): u64 {
  if (mode == O.MODE_POST) return base;
  if (mode == O.MODE_REG) return base + extendReg(getX(fC(w)), fF(w));
  return base + imm(e);
}

// ---- Single register: LDR/STR (immediate, unscaled, pre/post-index, register, unprivileged)
@inline export function execLdSt(w: u64, e: usize, mode: u32, m: u32): i32 {
  if (m == O.MEMOP_PRFM) return O.R_NEXT; // prefetches never fault
  let rn = fB(w);
  let base = getX(rn);
  if (spMisaligned(rn, base)) return spAlignmentFault(e);
  let addr = singleAddress(w, e, mode, base);
  let size = memopSize(m);
  if (mode == O.MODE_UNPRIV) return execUnprivileged(w, e, rn, addr, size, m);
  if (m >= <u32>O.MEMOP_STRB) {
    if (!write(addr, size, getX(fA(w)), 0, e)) return O.R_FAULT;
    if (mode == O.MODE_PRE) setX(rn, addr);
    else if (mode == O.MODE_POST) setX(rn, base + imm(e));
  } else {
    let h = readHost(addr, size, 0, e);
    if (!h) return O.R_FAULT;
    let v = loadExtend(h, m);
    if (mode == O.MODE_PRE) setX(rn, addr);
    else if (mode == O.MODE_POST) setX(rn, base + imm(e));
    setX(fA(w), v);
  }
  return O.R_NEXT;
}

// LDTR/STTR and friends: always the slow path, since the TLB caches the
// permissions of the current privilege, not EL0's.
function execUnprivileged(w: u64, e: usize, rn: u32, addr: u64, size: u32, m: u32): i32 {
  if (m >= <u32>O.MEMOP_STRB) return writeSlow(addr, size, getX(fA(w)), ACC_UNPRIV, e) ? O.R_NEXT : O.R_FAULT;
  let h = readSlow(addr, size, ACC_UNPRIV, e);
  if (!h) return O.R_FAULT;
  setX(fA(w), loadExtend(h, m));
  return O.R_NEXT;
}

// LDR (literal), LDRSW (literal), PRFM (literal).
@inline export function execLdrLiteral(w: u64, e: usize): i32 {
  let m = fF(w);
  if (m == O.MEMOP_PRFM) return O.R_NEXT;
  let addr = pcOf(e) + imm(e);
  let size: u32 = m == O.MEMOP_LDRX ? 8 : 4;
  let h = readHost(addr, size, 0, e);
  if (!h) return O.R_FAULT;
  setX(fA(w), m == O.MEMOP_LDRX ? load<u64>(h) : m == O.MEMOP_LDRSW ? <u64>load<i32>(h) : <u64>load<u32>(h));
  return O.R_NEXT;
}

// ---- Pairs: LDP, LDPSW, STP, LDNP, STNP ------------------------------------------------
@inline export function execPair(w: u64, e: usize, mode: u32, p: u32): i32 {
  let rn = fB(w);
  let base = getX(rn);
  if (spMisaligned(rn, base)) return spAlignmentFault(e);
  let size: u32 = p == O.PAIROP_LDPX || p == O.PAIROP_STPX ? 8 : 4;
  let addr = mode == O.MODE_POST ? base : base + imm(e);
  if (p >= <u32>O.PAIROP_STPW) {
    let v1 = getX(fA(w)), v2 = getX(fC(w));
    if (!write(addr, size, v1, 0, e)) return O.R_FAULT;
    if (!write(addr + size, size, v2, 0, e)) return O.R_FAULT;
    if (mode != O.MODE_OFF) setX(rn, base + imm(e));
  } else {
    let h1 = readHost(addr, size, 0, e);
    if (!h1) return O.R_FAULT;
    let v1: u64 = size == 8 ? load<u64>(h1) : p == O.PAIROP_LDPSW ? <u64>load<i32>(h1) : <u64>load<u32>(h1);
    let h2 = readHost(addr + size, size, 0, e);
    if (!h2) return O.R_FAULT;
    let v2: u64 = size == 8 ? load<u64>(h2) : p == O.PAIROP_LDPSW ? <u64>load<i32>(h2) : <u64>load<u32>(h2);
    if (mode != O.MODE_OFF) setX(rn, base + imm(e));
    setX(fA(w), v1);
    setX(fC(w), v2);
  }
  return O.R_NEXT;
}

// ---- Exclusives and acquire/release ------------------------------------------------------
@inline function sizedLoad(h: usize, size: u32): u64 {
  if (size == 1) return <u64>load<u8>(h);
  if (size == 2) return <u64>load<u16>(h);
  if (size == 4) return <u64>load<u32>(h);
  return load<u64>(h);
}

// The base address of an exclusive/acquire/atomic access, which must be
// aligned to the access size; baseFaulted is set when a fault was taken.
let baseFaulted = false;
function alignedBase(w: u64, e: usize, bytes: u32, isWrite: bool = false): u64 {
  let rn = fB(w);
  let va = getX(rn);
  baseFaulted = true;
  if (spMisaligned(rn, va)) { spAlignmentFault(e); return 0; }
  if (va & <u64>(bytes - 1)) { dataAbort(va, FSC_ALIGNMENT, isWrite, pcOf(e)); return 0; }
  baseFaulted = false;
  return va;
}

// LDXR, LDAXR (f = size); LDXP, LDAXP (pair of 2^f-byte elements).
export function execLoadExclusive(w: u64, e: usize, pair: bool): i32 {
  let esize: u32 = <u32>1 << fF(w);
  let total = pair ? esize * 2 : esize;
  let va = alignedBase(w, e, total);
  if (baseFaulted) return O.R_FAULT;
  let h = readHost(va, total, ACC_ALIGNED | ACC_RAM_ONLY, e);
  if (!h) return O.R_FAULT;
  let v1 = sizedLoad(h, esize);
  let v2 = pair ? sizedLoad(h + esize, esize) : 0;
  store<u64>(EXCL_ADDR, <u64>h); // the monitor tracks the RAM location itself
  store<u32>(EXCL_SIZE, total);
  setX(fA(w), v1);
  if (pair) setX(fC(w), v2);
  return O.R_NEXT;
}

// STXR, STLXR; STXP, STLXP. Status register in d: 0 = stored, 1 = failed.
export function execStoreExclusive(w: u64, e: usize, pair: bool): i32 {
  let esize: u32 = <u32>1 << fF(w);
  let total = pair ? esize * 2 : esize;
  let va = alignedBase(w, e, total, true);
  if (baseFaulted) return O.R_FAULT;
  let v1 = getX(fA(w)), v2 = pair ? getX(fC(w)) : 0;
  let h = hostWrite(va, total);
  if (!h) { h = writableHost(va, total, ACC_ALIGNED, e); if (!h) return O.R_FAULT; }
  let ok = load<u32>(EXCL_SIZE) == total && load<u64>(EXCL_ADDR) == <u64>h;
  if (ok) {
    storeSized(h, v1, esize);
    if (pair) storeSized(h + esize, v2, esize);
  }
  store<u32>(EXCL_SIZE, 0);
  setX(fD(w), ok ? 0 : 1);
  return O.R_NEXT;
}

// LDAR, STLR: ordinary accesses that must be aligned; ordering is implicit here.
export function execLoadAcquire(w: u64, e: usize): i32 {
  let size: u32 = <u32>1 << fF(w);
  let va = alignedBase(w, e, size);
  if (baseFaulted) return O.R_FAULT;
  let h = readHost(va, size, ACC_ALIGNED, e);
  if (!h) return O.R_FAULT;
  setX(fA(w), sizedLoad(h, size));
  return O.R_NEXT;
}
export function execStoreRelease(w: u64, e: usize): i32 {
  let size: u32 = <u32>1 << fF(w);
  let va = alignedBase(w, e, size, true);
  if (baseFaulted) return O.R_FAULT;
  return write(va, size, getX(fA(w)), ACC_ALIGNED, e) ? O.R_NEXT : O.R_FAULT;
}

// ---- LSE atomics ------------------------------------------------------------------
@inline function rmwHost(va: u64, size: u32, e: usize): usize {
  let h = hostWrite(va, size);
  return h ? h : writableHost(va, size, ACC_ALIGNED, e);
}

@inline function sext(v: u64, size: u32): i64 { let s = <u64>(64 - size * 8); return <i64>(v << s) >> s; }

// LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN (f = opc << 4 | size).
export function execAtomic(w: u64, e: usize): i32 {
  let f = fF(w);
  let size: u32 = <u32>1 << (f & 3);
  let va = alignedBase(w, e, size);
  if (baseFaulted) return O.R_FAULT;
  let h = rmwHost(va, size, e);
  if (!h) return O.R_FAULT;
  let old = sizedLoad(h, size);
  let s = getX(fC(w));
  let r: u64;
  switch (f >> 4) {
    case 0: r = old + s; break;
    case 1: r = old & ~s; break;
    case 2: r = old ^ s; break;
    case 3: r = old | s; break;
    case 4: r = sext(old, size) > sext(s, size) ? old : s; break;
    case 5: r = sext(old, size) < sext(s, size) ? old : s; break;
    case 6: { let m = size == 8 ? <u64>-1 : (<u64>1 << (size * 8)) - 1; r = (old & m) > (s & m) ? old : s; break; }
    default: { let m = size == 8 ? <u64>-1 : (<u64>1 << (size * 8)) - 1; r = (old & m) < (s & m) ? old : s; }
  }
  storeSized(h, r, size);
  setX(fA(w), old);
  return O.R_NEXT;
}

// SWP{A,L,AL}{B,H,}.
export function execSwap(w: u64, e: usize): i32 {
  let size: u32 = <u32>1 << fF(w);
  let va = alignedBase(w, e, size);
  if (baseFaulted) return O.R_FAULT;
  let h = rmwHost(va, size, e);
  if (!h) return O.R_FAULT;
  let old = sizedLoad(h, size);
  storeSized(h, getX(fC(w)), size);
  setX(fA(w), old);
  return O.R_NEXT;
}

// CAS{A,L,AL}{B,H,}: c = Rs (compare), d = Rs as destination, a = Rt (new value).
export function execCAS(w: u64, e: usize): i32 {
  let size: u32 = <u32>1 << fF(w);
  let va = alignedBase(w, e, size);
  if (baseFaulted) return O.R_FAULT;
  let h = rmwHost(va, size, e);
  if (!h) return O.R_FAULT;
  let old = sizedLoad(h, size);
  let m = size == 8 ? <u64>-1 : (<u64>1 << (size * 8)) - 1;
  if (old == (getX(fC(w)) & m)) storeSized(h, getX(fA(w)), size);
  setX(fD(w), old);
  return O.R_NEXT;
}

@inline function readSlot(r: u32): u32 { return r; }
@inline function writeSlot(r: u32): u32 { return r == 31 ? SLOT_SINK : r; }

// CASP{A,L,AL}: registers <Rs, Rs+1> compared with memory, <Rt, Rt+1> stored.
// a = Rt and c = Rs are register numbers (even); f = log2(element size).
export function execCASP(w: u64, e: usize): i32 {
  let esize: u32 = <u32>1 << fF(w);
  let va = alignedBase(w, e, esize * 2);
  if (baseFaulted) return O.R_FAULT;
  let h = rmwHost(va, esize * 2, e);
  if (!h) return O.R_FAULT;
  let rs = fC(w), rt = fA(w);
  let m = esize == 8 ? <u64>-1 : (<u64>1 << (esize * 8)) - 1;
  let old1 = sizedLoad(h, esize), old2 = sizedLoad(h + esize, esize);
  if (old1 == (getX(readSlot(rs)) & m) && old2 == (getX(readSlot(rs + 1)) & m)) {
    storeSized(h, getX(readSlot(rt)), esize);
    storeSized(h + esize, getX(readSlot(rt + 1)), esize);
  }
  setX(writeSlot(rs), old1);
  setX(writeSlot(rs + 1), old2);
  return O.R_NEXT;
}
