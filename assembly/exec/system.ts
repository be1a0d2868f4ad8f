// Semantics: system instructions -- MRS/MSR, hints, barriers, DC/IC/AT/TLBI.
import { getX, setX, currentEL, sysreg, setSysreg } from "../cpu/state";
import { fA, fB, fC, fF, imm } from "../decode/entry";
import { pcOf, setNextPC, requestExit, exitPending, exitSyndrome } from "../cpu/context";
import { highestEL } from "../cpu/config";
import { R_NEXT, R_SYNC, R_FAULT } from "../decode/ops";
import {
  EVENT_REGISTER, EXCL_SIZE, EXIT_WFI, EXIT_WFE, EXIT_PC, SR_HCR_EL2, SR_SCR_EL3, SR_PAR_EL1,
  CONTROL_LINES,
} from "../abi";
import { virtualPending } from "../except/interrupt";
import { esbOperation } from "../except/ras";
import { mrs, msr, msrImmediate, sysValue } from "../sysreg/access";
import * as S from "../sysreg/sysops";
import { sysOpTrapped } from "../sysreg/traps";
import { takeException, takeSync, undefinedInstruction, el2Enabled, tgeInEffect, sctlrForEL0, nvControlsAtEL1, HCR_NV, HCR_AT } from "../except/exception";
import { syndrome, issSysreg, issWFx, EC_WFX_TRAP, EC_SYSREG, VECT_SYNC } from "../except/syndrome";
import { hostWrite } from "../mmu/tlb";
import { translateAddress, AT_READ } from "../mmu/translate";
import { addressTranslate, tlbMaintenance } from "../mmu/maintenance";
import { writableHost } from "../mmu/memory";
import { flushCodeCache, flushCodePage } from "../decode/cache";
import { DC_ZVA_BYTES } from "../sysreg/idregs";

const SCTLR_DZE: u64 = 1 << 14;
const SCTLR_UCI: u64 = 1 << 26;
const SCTLR_NTWI: u64 = 1 << 16;
const SCTLR_NTWE: u64 = 1 << 18;
const HCR_TWI: u64 = 1 << 13;
const HCR_TWE: u64 = 1 << 14;
const SCR_TWI: u64 = 1 << 12;
const SCR_TWE: u64 = 1 << 13;

@inline export function execMRS(w: u64, e: usize, now: u64): i32 {
  if (!mrs(<i32>imm(e), fF(w), fB(w), e, now)) return R_FAULT;
  if (exitPending) { setNextPC(pcOf(e) + 4); return R_SYNC; } // the host supplies Xt (EXIT_SYSREG)
  setX(fA(w), sysValue);
  return R_NEXT;
}

// MSR may change the translation regime, masking or the stack pointer: resynchronise.
@inline export function execMSR(w: u64, e: usize, now: u64): i32 {
  if (!msr(<i32>imm(e), fF(w), fB(w), getX(fA(w)), e, now)) return R_FAULT;
  setNextPC(pcOf(e) + 4);
  return R_SYNC;
}

@inline export function execMSRImm(w: u64, e: usize): i32 {
  if (!msrImmediate(fF(w), fC(w), e)) return R_FAULT;
  setNextPC(pcOf(e) + 4);
  return R_SYNC;
}

// ESB with an SError pending (the caller checked esbMayAct): defer it if
// masked (except/ras.ts), then end the block so that the boundary takes one
// that is not (TakeUnmaskedSErrorInterrupts).
export function execESB(e: usize): i32 {
  esbOperation();
  setNextPC(pcOf(e) + 4);
  return R_SYNC;
}

// WFI/WFE: trapped by SCTLR_EL1.nTWx at EL0 (to EL1, or to EL2 under
// HCR_EL2.TGE: AArch64.WFxTrap), HCR_EL2.TWx at EL0/1, SCR_EL3.TWx below EL3
// (AArch64.CheckForWFxTrap); otherwise the host decides how to idle.
export function execWFx(e: usize, isWFE: bool): i32 {
  let pc = pcOf(e), el = currentEL();
  if (isWFE && load<u32>(EVENT_REGISTER) != 0) { store<u32>(EVENT_REGISTER, 0); return R_NEXT; }
  let target: u32 = 0;
  if (el == 0 && (sctlrForEL0() & (isWFE ? SCTLR_NTWE : SCTLR_NTWI)) == 0) target = tgeInEffect() ? 2 : 1;
  else if (el <= 1 && el2Enabled() && (sysreg(SR_HCR_EL2) & (isWFE ? HCR_TWE : HCR_TWI)) != 0) target = 2;
  else if (el <= 2 && highestEL() == 3 && (sysreg(SR_SCR_EL3) & (isWFE ? SCR_TWE : SCR_TWI)) != 0) target = 3;
  let esr = syndrome(EC_WFX_TRAP, issWFx(isWFE));
  if (target != 0) {
    setNextPC(takeException(target, VECT_SYNC, esr, 0, false, pc));
    return R_SYNC;
  }
  // A virtual interrupt pending for EL1/EL0 is a WFI wake-up event even while
  // PSTATE masks it: WFI completes at once instead of idling in the host.
  if (!isWFE && virtualPending(load<u32>(CONTROL_LINES)) != 0) { setNextPC(pc + 4); return R_SYNC; }
  // The host as hypervisor (it owns EL2) takes it as HCR_EL2.TWx would trap it.
  if (highestEL() == 1) exitSyndrome(esr, 0, 0);
  store<u64>(EXIT_PC, pc);
  setNextPC(pc + 4);
  requestExit(isWFE ? EXIT_WFE : EXIT_WFI);
  return R_SYNC;
}

@inline export function execSEV(): void { store<u32>(EVENT_REGISTER, 1); }
@inline export function execCLREX(): void { store<u32>(EXCL_SIZE, 0); }

// Minimum EL of a SYS operation from op1 of its encoding.
function sysMinimumEL(key: u32): u32 {
  let op1 = (key >> 11) & 7;
  return op1 == 3 ? 0 : op1 == 4 ? 2 : op1 == 6 ? 3 : 1;
}

export function execSYS(w: u64, e: usize): i32 {
  let key = fF(w), op = <i32>imm(e), el = currentEL();
  let min = sysMinimumEL(key);
  if (el == 1) {
    // FEAT_NV (CONFIG_NV): at EL1, the EL2-only AT and TLBI operations (op1 = 4)
    // trap to EL2 under HCR_EL2.NV, and AT S1E1R/W, S1E0R/W under HCR_EL2.AT (EC 0x18).
    let nv = nvControlsAtEL1();
    let op1 = (key >> 11) & 7;
    if (((nv & HCR_NV) != 0 && op1 == 4) || ((nv & HCR_AT) != 0 && op == S.SYS_AT && op1 == 0)) {
      setNextPC(takeException(2, VECT_SYNC, syndrome(EC_SYSREG, issSysreg(key, fB(w), false)), 0, false, pcOf(e)));
      return R_FAULT;
    }
  }
  if (min > highestEL() || el < min) { setNextPC(undefinedInstruction(pcOf(e))); return R_FAULT; }
  if (el == 0) {
    // EL0 cache maintenance needs SCTLR_EL1.UCI, DC ZVA needs SCTLR_EL1.DZE
    // (SCTLR_EL2's in the host's EL0).
    let sctlr = sctlrForEL0();
    let enabled = op == S.SYS_DC_ZVA ? (sctlr & SCTLR_DZE) != 0 : (sctlr & SCTLR_UCI) != 0;
    if (!enabled) { setNextPC(takeSync(EC_SYSREG, issSysreg(key, fB(w), false), pcOf(e))); return R_FAULT; }
  }
  // HCR_EL2.TDZ, TSW, TPCP, TPU, TTLB (traps.ts).
  if (sysOpTrapped(op, key, el)) {
    setNextPC(takeException(2, VECT_SYNC, syndrome(EC_SYSREG, issSysreg(key, fB(w), false)), 0, false, pcOf(e)));
    return R_FAULT;
  }
  switch (op) {
    case S.SYS_DC_ZVA: {
      let va = getX(fA(w)) & ~(DC_ZVA_BYTES - 1);
      let h = hostWrite(va, <u32>DC_ZVA_BYTES);
      if (!h) { h = writableHost(va, <u32>DC_ZVA_BYTES, 0, e); if (!h) return R_FAULT; }
      memory.fill(h, 0, <usize>DC_ZVA_BYTES);
      return R_NEXT;
    }
    case S.SYS_DC_BY_VA:
    case S.SYS_DC_BY_SETWAY:
      return R_NEXT; // no caches are modelled: RAM is always coherent
    case S.SYS_IC_IALLU:
      flushCodeCache();
      break;
    case S.SYS_IC_IVAU: {
      let va = getX(fA(w));
      let pa = translateAddress(va, AT_READ, el, el == 0 ? 0 : 1);
      if (pa >= 0) flushCodePage(<u64>pa);
      break;
    }
    case S.SYS_AT:
      if (!addressTranslate(key, getX(fA(w)), e)) return R_FAULT;
      break;
    case S.SYS_TLBI:
      tlbMaintenance(key, getX(fA(w)));
      break;
  }
  setNextPC(pcOf(e) + 4);
  return R_SYNC;
}
