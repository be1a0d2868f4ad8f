// Semantics: Data Processing -- Immediate.
import { getX, setX, getW, setW } from "../cpu/state";
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import { pcOf } from "../cpu/context";
import { addWithCarry64, addWithCarry32, logicalFlags64, logicalFlags32 } from "./flags";

@inline export function execADR(w: u64, e: usize): void { setX(fA(w), pcOf(e) + imm(e)); }
@inline export function execADRP(w: u64, e: usize): void { setX(fA(w), (pcOf(e) & ~<u64>0xfff) + imm(e)); }

@inline export function execAddImm(w: u64, e: usize): void { setX(fA(w), getX(fB(w)) + imm(e)); }
@inline export function execAddImm32(w: u64, e: usize): void { setW(fA(w), getW(fB(w)) + <u32>imm(e)); }
@inline export function execSubImm(w: u64, e: usize): void { setX(fA(w), getX(fB(w)) - imm(e)); }
@inline export function execSubImm32(w: u64, e: usize): void { setW(fA(w), getW(fB(w)) - <u32>imm(e)); }
@inline export function execAddsImm(w: u64, e: usize): void { setX(fA(w), addWithCarry64(getX(fB(w)), imm(e), 0)); }
@inline export function execAddsImm32(w: u64, e: usize): void { setW(fA(w), addWithCarry32(getW(fB(w)), <u32>imm(e), 0)); }
@inline export function execSubsImm(w: u64, e: usize): void { setX(fA(w), addWithCarry64(getX(fB(w)), ~imm(e), 1)); }
@inline export function execSubsImm32(w: u64, e: usize): void { setW(fA(w), addWithCarry32(getW(fB(w)), ~<u32>imm(e), 1)); }

@inline export function execAndImm(w: u64, e: usize): void { setX(fA(w), getX(fB(w)) & imm(e)); }
@inline export function execOrrImm(w: u64, e: usize): void { setX(fA(w), getX(fB(w)) | imm(e)); }
@inline export function execOrrImm32(w: u64, e: usize): void { setW(fA(w), getW(fB(w)) | <u32>imm(e)); }
@inline export function execEorImm(w: u64, e: usize): void { setX(fA(w), getX(fB(w)) ^ imm(e)); }
@inline export function execEorImm32(w: u64, e: usize): void { setW(fA(w), getW(fB(w)) ^ <u32>imm(e)); }
@inline export function execAndsImm(w: u64, e: usize): void { let r = getX(fB(w)) & imm(e); logicalFlags64(r); setX(fA(w), r); }
@inline export function execAndsImm32(w: u64, e: usize): void { let r = getW(fB(w)) & <u32>imm(e); logicalFlags32(r); setW(fA(w), r); }

@inline export function execMovi(w: u64, e: usize): void { setX(fA(w), imm(e)); }
@inline export function execMovk(w: u64, e: usize): void {
  setX(fA(w), (getX(fB(w)) & ~(<u64>0xffff << <u64>fF(w))) | imm(e));
}
@inline export function execMovk32(w: u64, e: usize): void {
  setW(fA(w), (getW(fB(w)) & ~(<u32>0xffff << fF(w))) | <u32>imm(e));
}

// Bitfield moves: the field is ((Rn << l) >> r) << lsh with l = c, r = d, lsh = f.
@inline export function execUBFM(w: u64, e: usize): void {
  setX(fA(w), ((getX(fB(w)) << <u64>fC(w)) >> <u64>fD(w)) << <u64>fF(w) & imm(e));
}
@inline export function execSBFM(w: u64, e: usize): void {
  setX(fA(w), <u64>((<i64>(getX(fB(w)) << <u64>fC(w))) >> <u64>fD(w)) << <u64>fF(w) & imm(e));
}
@inline export function execBFM(w: u64, e: usize, wmask: u64): void {
  let mask = imm(e);
  let field = ((getX(fB(w)) << <u64>fC(w)) >> <u64>fD(w)) << <u64>fF(w);
  let a = fA(w);
  setX(a, ((getX(a) & ~mask) | (field & mask)) & wmask);
}

@inline export function execExtr(w: u64): void {
  let lsb = <u64>fD(w);
  let lo = getX(fC(w)), hi = getX(fB(w));
  setX(fA(w), lsb == 0 ? lo : (lo >> lsb) | (hi << (64 - lsb)));
}
@inline export function execExtr32(w: u64): void {
  let lsb = fD(w);
  let lo = getW(fC(w)), hi = getW(fB(w));
  setW(fA(w), lsb == 0 ? lo : (lo >> lsb) | (hi << (32 - lsb)));
}


// The SUBS half of a fused SUBS + B.cond (immediate form, imm12 in f).
@inline export function execSubsImmF(w: u64, sf: u32): void {
  if (sf) setX(fA(w), addWithCarry64(getX(fB(w)), ~<u64>fF(w), 1));
  else setW(fA(w), addWithCarry32(getW(fB(w)), ~fF(w), 1));
}
