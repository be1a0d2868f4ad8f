// Semantics: the Advanced SIMD moves and copies compilers use even in scalar
// code: MOVI/MVNI/FMOV (immediate, expanded at decode time), ORR/BIC
// (vector, immediate), DUP (general, element, scalar), INS (general,
// element), UMOV, SMOV. A 64-bit (Q = 0) result
// zeroes the upper half of V[d]; INS keeps the other elements.
import { getX, setX } from "../cpu/state";
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import * as O from "../decode/ops";
import { fpTrapEL, fpAccessTrap, vLo, vHi, setV } from "./simdfp";
import { loadElem, storeElem, elemAddr, replicate64 } from "./simd_lanes";

// MOVI, MVNI, FMOV (vector and scalar immediate): V[d] = imm (Q = 1: imm:imm).
export function execMovi(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let v = imm(e);
  setV(fA(w), v, fB(w) ? v : 0);
  return O.R_NEXT;
}

// ORR (vector, immediate); BIC (vector, immediate) when `bic`.
export function execOrrBicImm(w: u64, e: usize, bic: bool): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let d = fA(w), v = imm(e);
  if (bic) v = ~v;
  let lo = bic ? vLo(d) & v : vLo(d) | v;
  let hi: u64 = fB(w) ? (bic ? vHi(d) & v : vHi(d) | v) : 0;
  setV(d, lo, hi);
  return O.R_NEXT;
}

// DUP (general): every element of V[d] = Xn<esize-1:0>.
export function execDupGeneral(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w);
  let x = getX(fB(w));
  if (size < 3) x &= (<u64>1 << (<u64>8 << size)) - 1;
  let r = replicate64(x, size);
  setV(fA(w), r, fD(w) ? r : 0);
  return O.R_NEXT;
}

// DUP (element), vector (d = Q) and scalar (d = 2: MOV Vd, Vn.T[i]).
export function execDupElement(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w), q = fD(w);
  let x = loadElem(elemAddr(fB(w), fF(w), size), size);
  if (q == 2) { setV(fA(w), x, 0); return O.R_NEXT; }
  let r = replicate64(x, size);
  setV(fA(w), r, q ? r : 0);
  return O.R_NEXT;
}

// INS (general): Vd.T[index] = Xn<esize-1:0>.
export function execInsGeneral(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w);
  storeElem(elemAddr(fA(w), fF(w), size), getX(fB(w)), size);
  return O.R_NEXT;
}

// INS (element): Vd.T[index] = Vn.T[source index].
export function execInsElement(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w);
  let x = loadElem(elemAddr(fB(w), fD(w), size), size);
  storeElem(elemAddr(fA(w), fF(w), size), x, size);
  return O.R_NEXT;
}

// UMOV: Wd/Xd = ZeroExtend(Vn.T[index]).
export function execUmov(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w);
  setX(fA(w), loadElem(elemAddr(fB(w), fF(w), size), size));
  return O.R_NEXT;
}

// SMOV: Wd/Xd = SignExtend(Vn.T[index]) (d = 1: to 64 bits, else 32 zero-extended).
export function execSmov(w: u64, e: usize): i32 {
  if (fpTrapEL) return fpAccessTrap(e);
  let size = fC(w);
  let sh = <u64>(64 - (8 << size));
  let x = <u64>(<i64>(loadElem(elemAddr(fB(w), fF(w), size), size) << sh) >> sh);
  setX(fA(w), fD(w) ? x : x & 0xffff_ffff);
  return O.R_NEXT;
}
