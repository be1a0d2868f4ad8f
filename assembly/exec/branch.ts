// Semantics: branches and exception-generating instructions.
import { getX, setX, getW, getNZCV, conditionHolds, currentEL, sysreg } from "../cpu/state";
import { fA, fB, fC, fF, imm } from "../decode/entry";
import { pcOf, setNextPC, requestExit, exitSyndrome } from "../cpu/context";
import { highestEL, semihosting } from "../cpu/config";
import { R_NEXT, R_BRANCH, R_SYNC } from "../decode/ops";
import { EXIT_HVC, EXIT_SMC, EXIT_DEBUG, EXIT_IMM, EXIT_PC, SR_SCR_EL3, SR_HCR_EL2 } from "../abi";
import {
  takeException, syncTargetEL, debugTargetEL, undefinedInstruction, exceptionReturn, el2Enabled,
  nvControlsAtEL1, HCR_NV,
} from "../except/exception";
import { syndrome, EC_SVC64, EC_HVC64, EC_SMC64, EC_BRK64, EC_ERET, VECT_SYNC } from "../except/syndrome";
import { branchAddr } from "../mmu/translate";

const SCR_SMD: u64 = 1 << 7;
const SCR_HCE: u64 = 1 << 8;
const HCR_TSC: u64 = 1 << 19;
const HCR_HCD: u64 = 1 << 29;
const SEMIHOSTING_HLT: u32 = 0xf000;

@inline function branchTo(target: u64): i32 { setNextPC(target); return R_BRANCH; }

@inline export function execB(e: usize): i32 { return branchTo(pcOf(e) + imm(e)); }
@inline export function execBL(e: usize): i32 { let pc = pcOf(e); setX(30, pc + 4); return branchTo(pc + imm(e)); }
@inline export function execBcond(w: u64, e: usize): i32 {
  return conditionHolds(fC(w), getNZCV()) ? branchTo(pcOf(e) + imm(e)) : R_NEXT;
}
@inline export function cbzTaken(w: u64, nonzero: bool, sf: bool): bool {
  let z = sf ? getX(fA(w)) == 0 : getW(fA(w)) == 0;
  return z != nonzero;
}
@inline export function tbzTaken(w: u64, nonzero: bool): bool {
  return (((getX(fA(w)) >> <u64>fC(w)) & 1) != 0) == nonzero;
}
@inline export function execCBZ(w: u64, e: usize, nonzero: bool, sf: bool): i32 {
  return cbzTaken(w, nonzero, sf) ? branchTo(pcOf(e) + imm(e)) : R_NEXT;
}
@inline export function execTBZ(w: u64, e: usize, nonzero: bool): i32 {
  return tbzTaken(w, nonzero) ? branchTo(pcOf(e) + imm(e)) : R_NEXT;
}
// BR, RET; BLR reads the target before writing X30. A target with a TBI tag
// loses it (AArch64.BranchAddr).
@inline function registerTarget(v: u64): u64 { return (v >> 56) != 0 && (v >> 56) != 0xff ? branchAddr(v, currentEL()) : v; }
@inline export function execBR(w: u64): i32 { return branchTo(registerTarget(getX(fB(w)))); }
@inline export function execBLR(w: u64, e: usize): i32 {
  let t = registerTarget(getX(fB(w)));
  setX(30, pcOf(e) + 4);
  return branchTo(t);
}

// esr: the syndrome of the exception the exit stands for at the level the
// host owns (EXIT_ESR), 0 for none.
function exitToHost(reason: u32, immediate: u32, pc: u64, next: u64, esr: u64): i32 {
  exitSyndrome(esr, 0, 0);
  store<u32>(EXIT_IMM, immediate);
  store<u64>(EXIT_PC, pc);
  setNextPC(next);
  requestExit(reason);
  return R_SYNC;
}

export function execSVC(w: u64, e: usize): i32 {
  let pc = pcOf(e);
  setNextPC(takeException(syncTargetEL(), VECT_SYNC, syndrome(EC_SVC64, fF(w)), 0, false, pc + 4));
  return R_SYNC;
}

export function execHVC(w: u64, e: usize): i32 {
  let pc = pcOf(e), el = currentEL();
  if (el == 0) { setNextPC(undefinedInstruction(pc)); return R_SYNC; }
  if (highestEL() < 2) return exitToHost(EXIT_HVC, fF(w), pc, pc + 4, syndrome(EC_HVC64, fF(w))); // the host owns EL2
  let enabled = highestEL() == 3 ? (sysreg(SR_SCR_EL3) & SCR_HCE) != 0 : (sysreg(SR_HCR_EL2) & HCR_HCD) == 0;
  if (!enabled || (el == 1 && !el2Enabled())) { setNextPC(undefinedInstruction(pc)); return R_SYNC; }
  let target: u32 = el == 3 ? 3 : 2;
  setNextPC(takeException(target, VECT_SYNC, syndrome(EC_HVC64, fF(w)), 0, false, pc + 4));
  return R_SYNC;
}

export function execSMC(w: u64, e: usize): i32 {
  let pc = pcOf(e), el = currentEL();
  if (el == 0) { setNextPC(undefinedInstruction(pc)); return R_SYNC; }
  // HCR_EL2.TSC traps SMC at EL1 to EL2; the preferred return is the SMC itself.
  if (el == 1 && el2Enabled() && (sysreg(SR_HCR_EL2) & HCR_TSC) != 0) {
    setNextPC(takeException(2, VECT_SYNC, syndrome(EC_SMC64, fF(w)), 0, false, pc));
    return R_SYNC;
  }
  // The host owns EL3 (and, as hypervisor, traps SMC with HCR_EL2.TSC): ISS = imm16 either way.
  if (highestEL() < 3) return exitToHost(EXIT_SMC, fF(w), pc, pc + 4, syndrome(EC_SMC64, fF(w)));
  if (sysreg(SR_SCR_EL3) & SCR_SMD) { setNextPC(undefinedInstruction(pc)); return R_SYNC; }
  setNextPC(takeException(3, VECT_SYNC, syndrome(EC_SMC64, fF(w)), 0, false, pc + 4));
  return R_SYNC;
}

export function execBRK(w: u64, e: usize): i32 {
  setNextPC(takeException(debugTargetEL(), VECT_SYNC, syndrome(EC_BRK64, fF(w)), 0, false, pcOf(e)));
  return R_SYNC;
}

// HLT: UNDEFINED unless halting debug is enabled, which it never is; with
// semihosting on, HLT #0xF000 is the Arm semihosting call and goes to the host.
export function execHLT(w: u64, e: usize): i32 {
  let pc = pcOf(e);
  if (semihosting && fF(w) == SEMIHOSTING_HLT) return exitToHost(EXIT_DEBUG, fF(w), pc, pc + 4, 0);
  setNextPC(undefinedInstruction(pc));
  return R_SYNC;
}

export function execERET(e: usize): i32 {
  if (currentEL() == 0) { setNextPC(undefinedInstruction(pcOf(e))); return R_SYNC; }
  // FEAT_NV: ERET at EL1 under HCR_EL2.NV traps to EL2 (EC 0x1A, ISS.ERET = 0, ISS.ERETA = 0).
  if ((nvControlsAtEL1() & HCR_NV) != 0) {
    setNextPC(takeException(2, VECT_SYNC, syndrome(EC_ERET, 0), 0, false, pcOf(e)));
    return R_SYNC;
  }
  setNextPC(exceptionReturn());
  return R_SYNC;
}
