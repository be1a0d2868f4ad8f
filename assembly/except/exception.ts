// Exception entry and return: AArch64.TakeException and AArch64.ExceptionReturn.
import { pmuEvent, EV_EXC_TAKEN, EV_EXC_RETURN } from "../cpu/pmu";
import {
  PSTATE_NZCV, PSTATE_DAIF, PSTATE_PAN, PSTATE_UAO, PSTATE_SS, PSTATE_IL, EXCL_SIZE, EVENT_REGISTER,
  SR_SCTLR_EL1, SR_SCTLR_EL2, SR_HCR_EL2, SR_SCR_EL3, SR_MDCR_EL2, SR_VBAR_EL1, SR_ELR_EL1, SR_SPSR_EL1, SR_ESR_EL1, SR_FAR_EL1,
  CNT_EXCEPTION, CNT_ERET,
} from "../abi";
import { currentEL, spSel, sysreg, setSysreg, setELAndSP } from "../cpu/state";
import { highestEL, nvControls, rasImplemented } from "../cpu/config";
import { syndrome, VECT_SYNC, EC_UNKNOWN, EC_ILLEGAL_STATE, FSC_SYNC_EXTERNAL } from "./syndrome";
import { branchAddr } from "../mmu/translate";

// Per-EL banked registers are stored consecutively: X_EL1, X_EL2, X_EL3.
@inline function banked(base: i32, el: u32): i32 { return base + <i32>el - 1; }

const HCR_TGE: u64 = 1 << 27;
const HCR_E2H: u64 = <u64>1 << 34;
const SCR_NS: u64 = 1;
export const HCR_NV: u64 = <u64>1 << 42;
export const HCR_NV1: u64 = <u64>1 << 43;
export const HCR_AT: u64 = <u64>1 << 44;
export const HCR_NV2: u64 = <u64>1 << 45;
const SCTLR_SPAN: u64 = 1 << 23;

// Is EL2 enabled in the current Security state (EL2 implemented and, with EL3, SCR_EL3.NS set).
export function el2Enabled(): bool {
  let hi = highestEL();
  if (hi < 2) return false;
  if (hi == 3) return (sysreg(SR_SCR_EL3) & SCR_NS) != 0;
  return true;
}

// FEAT_NV, FEAT_NV2: the HCR_EL2.{NV, NV1, NV2, AT} controls in effect
// for the current EL, 0 unless at EL1 with EL2 enabled. HCR_EL2.{NV1, NV} =
// {1, 0} is CONSTRAINED UNPREDICTABLE; this core behaves as {0, 0} then.
export function nvControlsAtEL1(): u64 {
  if (!nvControls || currentEL() != 1 || !el2Enabled()) return 0;
  let hcr = sysreg(SR_HCR_EL2);
  if ((hcr & HCR_NV) == 0) hcr &= ~(HCR_NV1 | HCR_NV2); // NV2 acts only with NV
  return hcr & (HCR_NV | HCR_NV1 | HCR_NV2 | HCR_AT);
}

// FEAT_NV: HCR_EL2.{NV, NV1} = {1, 1} with EL2 enabled, which changes how
// the EL1&0 regime's stage 1 descriptors are read (translate.ts), whatever
// the current EL.
export function nv1DescriptorsInEffect(): bool {
  return nvControls && el2Enabled() && (sysreg(SR_HCR_EL2) & (HCR_NV | HCR_NV1)) == (HCR_NV | HCR_NV1);
}

// HCR_EL2.TGE in effect.
@inline export function tgeInEffect(): bool { return el2Enabled() && (sysreg(SR_HCR_EL2) & HCR_TGE) != 0; }

// ELIsInHost(el) (FEAT_VHE): EL2 runs the EL2&0 regime when HCR_EL2.E2H is
// set, and EL0 is the host's user space (EL2&0 regime, EL2 controls) when
// HCR_EL2.{E2H, TGE} = {1, 1}. Never EL1 or EL3.
export function elIsInHost(el: u32): bool {
  if (el == 1 || el == 3 || !el2Enabled()) return false;
  let mask = el == 2 ? HCR_E2H : HCR_E2H | HCR_TGE;
  return (sysreg(SR_HCR_EL2) & mask) == mask;
}

// The SCTLR that controls EL0 (UCT, UCI, DZE, UMA, nTWI, nTWE, SA0):
// SCTLR_EL2 for the host's EL0 (ELIsInHost(EL0)), else SCTLR_EL1.
export function sctlrForEL0(): u64 { return sysreg(elIsInHost(0) ? SR_SCTLR_EL2 : SR_SCTLR_EL1); }

// The EL that a synchronous exception from the current EL is taken to, when
// no trap routes it elsewhere: EL0 goes to EL1, or EL2 under HCR_EL2.TGE.
export function syncTargetEL(): u32 {
  let el = currentEL();
  if (el == 0) return tgeInEffect() ? 2 : 1;
  return el;
}

const MDCR_TDE: u64 = 1 << 8;
const SCR_EA: u64 = 1 << 3;

// The EL a debug exception (BRK) from the current EL is taken to: EL2 from
// EL0/EL1 under HCR_EL2.TGE or MDCR_EL2.TDE (AArch64.SoftwareBreakpoint).
export function debugTargetEL(): u32 {
  let el = currentEL();
  if (el <= 1 && el2Enabled() && ((sysreg(SR_HCR_EL2) & HCR_TGE) | (sysreg(SR_MDCR_EL2) & MDCR_TDE)) != 0) return 2;
  return syncTargetEL();
}

// Synchronous External aborts go to EL3 under SCR_EL3.EA (AArch64.Abort's route_to_el3).
export function externalAbortToEL3(): bool {
  return highestEL() == 3 && (sysreg(SR_SCR_EL3) & SCR_EA) != 0;
}

export const HCR_TEA: u64 = <u64>1 << 37;

// The EL a synchronous External abort (on an access or on a stage 1 walk) is
// taken to (AArch64.Abort): EL3 under SCR_EL3.EA; else, from EL0/EL1 with
// EL2 enabled, EL2 under HCR_EL2.TEA (FEAT_RAS; RES0 without it) or TGE;
// else the default target.
export function externalAbortTargetEL(): u32 {
  if (externalAbortToEL3()) return 3;
  if (rasImplemented && currentEL() <= 1 && el2Enabled() && (sysreg(SR_HCR_EL2) & HCR_TEA) != 0) return 2;
  return syncTargetEL();
}

// The EL an abort with fault status code fsc is taken to, when not a stage 2 fault.
export function abortTargetEL(fsc: u32): u32 {
  return fsc == FSC_SYNC_EXTERNAL ? externalAbortTargetEL() : syncTargetEL();
}

// PSTATE as it is saved in SPSR_ELx.
export function pstateToSPSR(): u64 {
  let v: u64 = <u64>load<u32>(PSTATE_NZCV) & 0xf000_0000;
  v |= <u64>load<u32>(PSTATE_UAO) << 23;
  v |= <u64>load<u32>(PSTATE_PAN) << 22;
  v |= <u64>load<u32>(PSTATE_SS) << 21;
  v |= <u64>load<u32>(PSTATE_IL) << 20;
  v |= <u64>load<u32>(PSTATE_DAIF) & 0x3c0;
  v |= <u64>(currentEL() << 2) | <u64>spSel();
  return v;
}

// AArch64.TakeException. Returns the PC to continue at (the vector).
export function takeException(target: u32, vect: u32, esr: u64, far: u64, hasFar: bool, preferredReturn: u64): u64 {
  pmuEvent(EV_EXC_TAKEN); // counted in the state it is taken from
  let from = currentEL();
  let offset: u32;
  if (target > from) offset = 0x400;         // lower EL, AArch64
  else if (spSel() == 0) offset = 0x000;     // current EL with SP_EL0
  else offset = 0x200;                       // current EL with SP_ELx
  let spsr = pstateToSPSR();
  // FEAT_NV: with HCR_EL2.{NV1, NV} = {0, 1}, an exception taken from EL1 to
  // EL1 records EL2 in SPSR_EL1.M[3:2] (the guest hypervisor believes it is at EL2).
  if (from == 1 && target == 1 && (nvControlsAtEL1() & (HCR_NV | HCR_NV1)) == HCR_NV) spsr = (spsr & ~<u64>0xc) | 0x8;
  setSysreg(banked(SR_SPSR_EL1, target), spsr);
  setSysreg(banked(SR_ELR_EL1, target), preferredReturn);
  if (vect == VECT_SYNC || vect == 0x180) setSysreg(banked(SR_ESR_EL1, target), esr);
  if (hasFar) setSysreg(banked(SR_FAR_EL1, target), far);
  setELAndSP(target, 1);
  store<u32>(PSTATE_DAIF, 0x3c0);
  store<u32>(PSTATE_SS, 0);
  store<u32>(PSTATE_IL, 0);
  store<u32>(PSTATE_UAO, 0);
  // FEAT_PAN: PSTATE.PAN is set on taking an exception to EL1 when
  // SCTLR_EL1.SPAN is 0, and (FEAT_VHE) to EL2 under HCR_EL2.{E2H, TGE} =
  // {1, 1} when SCTLR_EL2.SPAN is 0.
  if (target == 1 && (sysreg(SR_SCTLR_EL1) & SCTLR_SPAN) == 0) store<u32>(PSTATE_PAN, 1);
  if (target == 2 && elIsInHost(0) && (sysreg(SR_SCTLR_EL2) & SCTLR_SPAN) == 0) store<u32>(PSTATE_PAN, 1);
  countException(from, target, vect == VECT_SYNC ? <u32>(esr >> 26) & 0x3f : asyncClass(vect));
  // VBAR_ELx<10:0> are RES0: the vector is VBAR<63:11>:offset.
  return (sysreg(banked(SR_VBAR_EL1, target)) & ~<u64>0x7ff) + offset + vect;
}

// Asynchronous exceptions have no EC; they are counted in the unused EC
// numbers 0x3D (IRQ), 0x3E (FIQ) and 0x3F (SError) of the counter table.
@inline function asyncClass(vect: u32): u32 { return vect == 0x80 ? 0x3d : vect == 0x100 ? 0x3e : 0x3f; }

@inline function countException(from: u32, to: u32, ec: u32): void {
  let a = CNT_EXCEPTION + ((((from << 2) | to) << 6 | ec) << 3);
  store<u64>(a, load<u64>(a) + 1);
}

// A synchronous exception to the default target for the current EL.
export function takeSync(ec: u32, iss: u32, pc: u64): u64 {
  return takeException(syncTargetEL(), VECT_SYNC, syndrome(ec, iss), 0, false, pc);
}

export function undefinedInstruction(pc: u64): u64 { return takeSync(EC_UNKNOWN, 0, pc); }

// AArch64.ExceptionReturn. Returns the new PC. ERETAA/ERETAB pass the
// authenticated ELR (given = true).
export function exceptionReturn(authElr: u64 = 0, given: bool = false): u64 {
  pmuEvent(EV_EXC_RETURN);
  let from = currentEL();
  let spsr = sysreg(banked(SR_SPSR_EL1, from));
  let elr = given ? authElr : sysreg(banked(SR_ELR_EL1, from));
  let m = <u32>spsr & 0x1f;
  let target = (m >> 2) & 3;
  let illegal = false;
  if (m & 0x10) illegal = true;                         // AArch32 is not implemented
  else if (m & 0x2) illegal = true;                     // M[1] is reserved
  else if (target > from) illegal = true;
  else if (target > highestEL()) illegal = true;
  else if (target == 2 && !el2Enabled()) illegal = true;  // EL2 not enabled in this Security state
  else if (target == 1 && tgeInEffect()) illegal = true;  // EL1 with HCR_EL2.TGE set
  else if (target == 0 && (m & 1)) illegal = true;      // EL0 has only SP_EL0

  store<u32>(PSTATE_NZCV, <u32>spsr & 0xf000_0000);
  store<u32>(PSTATE_DAIF, <u32>spsr & 0x3c0);
  store<u32>(PSTATE_PAN, <u32>(spsr >> 22) & 1);
  store<u32>(PSTATE_UAO, <u32>(spsr >> 23) & 1);
  // DebugExceptionReturnSS(): software step is not implemented, so SS is 0.
  store<u32>(PSTATE_SS, 0);
  if (illegal) {
    // IllegalExceptionReturn: EL, SP and nRW are unchanged; PSTATE.IL is set.
    store<u32>(PSTATE_IL, 1);
  } else {
    store<u32>(PSTATE_IL, <u32>(spsr >> 20) & 1);
    setELAndSP(target, m & 1);
  }
  store<u32>(EXCL_SIZE, 0);      // ClearExclusiveLocal
  store<u32>(EVENT_REGISTER, 1); // SendEventLocal: an exception return is a WFE wake-up event
  let a = CNT_ERET + (((from << 2) | currentEL()) << 3);
  store<u64>(a, load<u64>(a) + 1);
  // BranchTo at the new EL: a TBI tag on ELR is stripped (AArch64.BranchAddr).
  let top = elr >> 56;
  return top != 0 && top != 0xff ? branchAddr(elr, currentEL()) : elr;
}

// The Illegal Execution state exception (PSTATE.IL set when an instruction executes).
export function illegalState(pc: u64): u64 { return takeSync(EC_ILLEGAL_STATE, 0, pc); }
