// Semantics: SIMD&FP loads and stores (LDR/STR B, H, S, D, Q; LDR literal;
// LDP/STP/LDNP/STNP S, D, Q). As in ldst.ts, every memory access comes before
// any register write (MMIO replay). A 128-bit element is one access when the
// TLB fast path covers it, else two 64-bit accesses (its alignment, when
// SCTLR_ELx.A checks it, is checked for the whole 16 bytes first).
import { getX, setX } from "../cpu/state";
import { fA, fB, fC, fD, imm } from "../decode/entry";
import { pcOf } from "../cpu/context";
import * as O from "../decode/ops";
import { hostRead, hostWrite, alignMask } from "../mmu/tlb";
import { dataAbort } from "../mmu/memory";
import { FSC_ALIGNMENT } from "../except/syndrome";
import { readHost, write, spMisaligned, spAlignmentFault, singleAddress } from "./ldst";
import { fpTrapEL, fpAccessTrap, vLo, vHi, setV } from "./simdfp";

// The element read by readElem (bits above its size are zero).
let gLo: u64 = 0;
let gHi: u64 = 0;

// Read one element of 2^scale bytes (scale 0..4) at va into gLo/gHi; false
// after a fault or an MMIO exit.
function readElem(va: u64, scale: u32, e: usize): bool {
  if (scale < 4) {
    let h = readHost(va, <u32>1 << scale, 0, e);
    if (!h) return false;
    gLo = scale == 3 ? load<u64>(h) : scale == 2 ? <u64>load<u32>(h) : scale == 1 ? <u64>load<u16>(h) : <u64>load<u8>(h);
    gHi = 0;
    return true;
  }
  let h = hostRead(va, 16);
  if (h) { gLo = load<u64>(h); gHi = load<u64>(h, 8); return true; }
  if (alignMask != 0 && (va & 15) != 0) { dataAbort(va, FSC_ALIGNMENT, false, pcOf(e)); return false; }
  h = readHost(va, 8, 0, e);
  if (!h) return false;
  let lo = load<u64>(h); // before the second access reuses the slow path's buffer
  h = readHost(va + 8, 8, 0, e);
  if (!h) return false;
  gLo = lo;
  gHi = load<u64>(h);
  return true;
}

// Write one element of 2^scale bytes; false after a fault or an MMIO exit.
function writeElem(va: u64, scale: u32, lo: u64, hi: u64, e: usize): bool {
  if (scale < 4) return write(va, <u32>1 << scale, lo, 0, e);
  let h = hostWrite(va, 16);
  if (h) { store<u64>(h, lo); store<u64>(h, hi, 8); return true; }
  if (alignMask != 0 && (va & 15) != 0) { dataAbort(va, FSC_ALIGNMENT, true, pcOf(e)); return false; }
  return write(va, 8, lo, 0, e) && write(va + 8, 8, hi, 0, e);
}

// LDR/STR (SIMD&FP): unsigned offset, unscaled, pre/post-index, register offset.
export function execFLdSt(w: u64, e: usize, mode: u32, isStore: bool): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let rn = fB(w);
  let base = getX(rn);
  if (spMisaligned(rn, base)) return spAlignmentFault(e);
  let addr = singleAddress(w, e, mode, base);
  let t = fA(w), scale = fD(w);
  if (isStore) {
    if (!writeElem(addr, scale, vLo(t), vHi(t), e)) return O.R_FAULT;
  } else if (!readElem(addr, scale, e)) return O.R_FAULT;
  if (mode == O.MODE_PRE) setX(rn, addr);
  else if (mode == O.MODE_POST) setX(rn, base + imm(e));
  if (!isStore) setV(t, gLo, gHi);
  return O.R_NEXT;
}

// LDR (literal, SIMD&FP): S, D, Q.
export function execFLdrLiteral(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  if (!readElem(pcOf(e) + imm(e), fD(w), e)) return O.R_FAULT;
  setV(fA(w), gLo, gHi);
  return O.R_NEXT;
}

// LDP/STP/LDNP/STNP (SIMD&FP): S, D, Q.
export function execFPair(w: u64, e: usize, mode: u32, isStore: bool): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let rn = fB(w);
  let base = getX(rn);
  if (spMisaligned(rn, base)) return spAlignmentFault(e);
  let scale = fD(w);
  let addr = mode == O.MODE_POST ? base : base + imm(e);
  let addr2 = addr + (<u64>1 << scale);
  let t = fA(w), t2 = fC(w);
  if (isStore) {
    let lo2 = vLo(t2), hi2 = vHi(t2);
    if (!writeElem(addr, scale, vLo(t), vHi(t), e)) return O.R_FAULT;
    if (!writeElem(addr2, scale, lo2, hi2, e)) return O.R_FAULT;
    if (mode != O.MODE_OFF) setX(rn, base + imm(e));
  } else {
    if (!readElem(addr, scale, e)) return O.R_FAULT;
    let lo = gLo, hi = gHi;
    if (!readElem(addr2, scale, e)) return O.R_FAULT;
    if (mode != O.MODE_OFF) setX(rn, base + imm(e));
    setV(t, lo, hi);
    setV(t2, gLo, gHi);
  }
  return O.R_NEXT;
}
