// Asynchronous exceptions (Arm ARM D1.3.6, "Asynchronous exception routing
// and masking", and the pseudocode TakePendingInterrupts):
// - physical IRQ, FIQ and SError from the lines the host drives, routed by
//   SCR_EL3.{IRQ,FIQ,EA} and HCR_EL2.{IMO,FMO,AMO,TGE}, masked by PSTATE.{I,F,A};
// - virtual IRQ, FIQ and SError, which a hypervisor at EL2 makes pending with
//   HCR_EL2.{VI,VF,VSE} and the host's GIC virtual CPU interface with
//   LINE_VIRQ / LINE_VFIQ: pending only at EL1/EL0 with EL2 enabled,
//   HCR_EL2.TGE = 0 and the matching HCR_EL2.{IMO,FMO,AMO} set
//   (AArch64.PendingUnmaskedVirtualInterrupts), masked by PSTATE.{I,F,A},
//   always taken to EL1 (AArch64.TakeVirtualIRQException etc.).
import {
  LINE_IRQ, LINE_FIQ, LINE_SERROR, LINE_VIRQ, LINE_VFIQ, SR_SCR_EL3, SR_HCR_EL2, PSTATE_DAIF, CONTROL_LINES,
  SR_VSESR_EL2,
} from "../abi";
import { currentEL, sysreg, setSysreg } from "../cpu/state";
import { highestEL, rasImplemented } from "../cpu/config";
import { physicalSErrorSyndrome, VSESR_MASK } from "./ras";
import { el2Enabled, elIsInHost, takeException } from "./exception";
import { VECT_IRQ, VECT_FIQ, VECT_SERROR, syndrome, EC_SERROR } from "./syndrome";

const HCR_FMO: u64 = 1 << 3;
const HCR_IMO: u64 = 1 << 4;
const HCR_AMO: u64 = 1 << 5;
const HCR_VF: u64 = 1 << 6;
const HCR_VI: u64 = 1 << 7;
const HCR_VSE: u64 = 1 << 8;
const HCR_TGE: u64 = 1 << 27;
const DAIF_A: u32 = 0x100;
const DAIF_I: u32 = 0x80;
const DAIF_F: u32 = 0x40;

// The control lines that stand for an interrupt (physical or virtual).
export const INTERRUPT_LINES: u32 = LINE_IRQ | LINE_FIQ | LINE_SERROR | LINE_VIRQ | LINE_VFIQ;

// Whether HCR_EL2 holds a virtual interrupt a hypervisor made pending (VI, VF
// or VSE), for the run loop's block-boundary check (see cpu/sync.ts).
export function hcrVirtualPending(): bool {
  return highestEL() >= 2 && (sysreg(SR_HCR_EL2) & (HCR_VI | HCR_VF | HCR_VSE)) != 0;
}

// The virtual interrupts pending now, masked or not (for WFI), as
// VIRT_* bits; 0 outside EL1/EL0 or when EL2 does not route the physical class.
const VIRT_SERROR: u32 = 1;
const VIRT_IRQ: u32 = 2;
const VIRT_FIQ: u32 = 4;
export function virtualPending(lines: u32): u32 {
  if (currentEL() > 1 || !el2Enabled()) return 0;
  let hcr = sysreg(SR_HCR_EL2);
  if ((hcr & HCR_TGE) != 0) return 0;
  let p: u32 = 0;
  if ((hcr & HCR_AMO) != 0 && (hcr & HCR_VSE) != 0) p |= VIRT_SERROR;
  if ((hcr & HCR_IMO) != 0 && ((hcr & HCR_VI) != 0 || (lines & LINE_VIRQ) != 0)) p |= VIRT_IRQ;
  if ((hcr & HCR_FMO) != 0 && ((hcr & HCR_VF) != 0 || (lines & LINE_VFIQ) != 0)) p |= VIRT_FIQ;
  return p;
}

// ISR_EL1: A, I, F (bits 8, 7, 6) pending, masked or not. At EL1/EL0, for a
// class EL2 routes to itself (HCR_EL2.AMO/IMO/FMO with TGE = 0) the bit shows
// the virtual interrupt (VSE/VI/VF, the GIC's virtual lines), otherwise the
// physical one (KVM's guest entry reads it to back out when one is pending).
export function isrValue(): u64 {
  let lines = load<u32>(CONTROL_LINES);
  let routed: u64 = 0;
  if (currentEL() <= 1 && el2Enabled()) {
    let hcr = sysreg(SR_HCR_EL2);
    if ((hcr & HCR_TGE) == 0) routed = hcr & (HCR_AMO | HCR_IMO | HCR_FMO);
  }
  let v = virtualPending(lines);
  let a = (routed & HCR_AMO) != 0 ? (v & VIRT_SERROR) != 0 : (lines & LINE_SERROR) != 0;
  let i = (routed & HCR_IMO) != 0 ? (v & VIRT_IRQ) != 0 : (lines & LINE_IRQ) != 0;
  let f = (routed & HCR_FMO) != 0 ? (v & VIRT_FIQ) != 0 : (lines & LINE_FIQ) != 0;
  return (a ? <u64>0x100 : 0) | (i ? <u64>0x80 : 0) | (f ? <u64>0x40 : 0);
}

// The EL a physical interrupt is taken to now, or 0 if it is masked or routed to a lower EL.
function interruptTarget(scrBit: u64, hcrBit: u64, daifBit: u32): u32 {
  let el = currentEL();
  let target: u32;
  if (highestEL() == 3 && (sysreg(SR_SCR_EL3) & scrBit) != 0) target = 3;
  else if (el2Enabled() && (sysreg(SR_HCR_EL2) & (hcrBit | HCR_TGE)) != 0) target = 2;
  else target = 1;
  if (target < el) return 0;
  // PSTATE masks an interrupt taken at the current EL, and one taken from EL0
  // to the EL0's own kernel: EL1, or EL2 when EL0 is the host's (HCR_EL2.{E2H,
  // TGE} = {1, 1}). Only a target above that ignores the mask.
  let masks = target == el || (el == 0 && (target == 1 || (target == 2 && elIsInHost(0))));
  if (masks && (load<u32>(PSTATE_DAIF) & daifBit) != 0) return 0;
  return target;
}

// Takes the highest-priority pending interrupt if it can be taken; returns
// the vector to continue at, or 1 if none was taken. Virtual interrupts
// come first, FIQ, IRQ, SError, as in TakePendingInterrupts (the physical
// ones that follow can only target EL2 or EL3 then, or are masked).
export function pendingInterrupt(lines: u32, returnPC: u64): u64 {
  let v = virtualPending(lines);
  if (v != 0) {
    let daif = load<u32>(PSTATE_DAIF);
    // AArch64.TakeVirtualFIQException / TakeVirtualIRQException: VBAR_EL1, no syndrome.
    if ((v & VIRT_FIQ) != 0 && (daif & DAIF_F) == 0) return takeException(1, VECT_FIQ, 0, 0, false, returnPC);
    if ((v & VIRT_IRQ) != 0 && (daif & DAIF_I) == 0) return takeException(1, VECT_IRQ, 0, 0, false, returnPC);
    if ((v & VIRT_SERROR) != 0 && (daif & DAIF_A) == 0) {
      // AArch64.TakeVirtualSErrorException: with FEAT_RAS, ESR_EL1.{IDS,
      // ISS} = VSESR_EL2.{IDS, ISS}; without it (no VSESR_EL2), IDS = 0 and
      // ISS = 0 (the IMPLEMENTATION DEFINED syndrome is not used). Taking it
      // clears HCR_EL2.VSE (ClearPendingVirtualSError).
      setSysreg(SR_HCR_EL2, sysreg(SR_HCR_EL2) & ~HCR_VSE);
      let iss = rasImplemented ? <u32>(sysreg(SR_VSESR_EL2) & VSESR_MASK) : 0;
      return takeException(1, VECT_SERROR, syndrome(EC_SERROR, iss), 0, false, returnPC);
    }
  }
  if (lines & LINE_SERROR) {
    let t = interruptTarget(1 << 3, HCR_AMO, DAIF_A);
    if (t) return takeException(t, VECT_SERROR, syndrome(EC_SERROR, physicalSErrorSyndrome(rasImplemented)), 0, false, returnPC);
  }
  if (lines & LINE_FIQ) {
    let t = interruptTarget(1 << 2, HCR_FMO, DAIF_F);
    if (t) return takeException(t, VECT_FIQ, 0, 0, false, returnPC);
  }
  if (lines & LINE_IRQ) {
    let t = interruptTarget(1 << 1, HCR_IMO, DAIF_I);
    if (t) return takeException(t, VECT_IRQ, 0, 0, false, returnPC);
  }
  return 1;
}
