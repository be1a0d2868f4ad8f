// FEAT_RAS, the PE side (CONFIG_RAS): SError syndromes, the Error
// Synchronization Barrier (ESB) and deferred SErrors (DISR_EL1, VDISR_EL2).
// There are no error records and no sources of errors inside the core: the
// only physical SError is the host's LINE_SERROR, and the only virtual one
// HCR_EL2.VSE, with the syndrome EL2 wrote in VSESR_EL2.
//
// SCTLR_ELx.IESB (implicit error synchronization at exception entry and
// return) is stored and has no observable effect here, precisely because of
// that: SynchronizeErrors() has no error in flight to make pending (LINE_SERROR
// only changes between run() calls), and the implicit ESB does not defer
// (no DISR write); all it can do is TakeUnmaskedPhysicalSErrorInterrupts
// with ESR.IESB = 1. At exception entry the PE only ever becomes more masked
// (PSTATE.A = 1, same or higher EL), so an SError masked before the entry is
// masked after it, and one unmasked before it was taken at the block
// boundary before the excepting instruction. At exception return, the check
// runs before the return, at the current EL: an unmasked SError was taken at
// the block boundary before the ERET (every change to PSTATE.A or to the
// routing controls ends a block), and one unmasked by the return is taken
// after it at the new EL, with IESB = 0, as the architecture takes it.
import {
  CONTROL_LINES, LINE_SERROR, PSTATE_DAIF, SR_HCR_EL2, SR_SCR_EL3, SR_DISR_EL1, SR_VDISR_EL2, SR_VSESR_EL2,
} from "../abi";
import { currentEL, sysreg, setSysreg } from "../cpu/state";
import { highestEL } from "../cpu/config";
import { el2Enabled, elIsInHost } from "./exception";

const HCR_AMO: u64 = 1 << 5;
const HCR_VSE: u64 = 1 << 8;
const HCR_TGE: u64 = 1 << 27;
const SCR_EA: u64 = 1 << 3;
const DAIF_A: u32 = 0x100;

// ESR_ELx.ISS / DISR_EL1 fields of an SError.
const ISS_IDS: u32 = 1 << 24;       // IMPLEMENTATION DEFINED syndrome in ISS[23:0]
const ISS_AET_MASK: u32 = 7 << 10;  // Asynchronous Error Type
const ISS_EA: u32 = 1 << 9;         // External abort type
const ISS_DFSC_MASK: u32 = 0x3f;
const DFSC_ASYNC_SERROR: u32 = 0x11; // DFSC 0b010001: Asynchronous SError interrupt
const DISR_A: u64 = <u64>1 << 31;
export const VSESR_MASK: u64 = 0x1ff_ffff; // VSESR_EL2.{IDS, ISS}

// AArch64.PhysicalSErrorSyndrome: the host's SError carries no error record,
// so the architected format with the most conservative type: IDS = 0,
// AET = 0b000 (Uncontainable), EA = 0, DFSC = Asynchronous SError interrupt.
// Without FEAT_RAS the ISS is 0 (uncategorized).
export function physicalSErrorSyndrome(ras: bool): u32 {
  return ras ? DFSC_ASYNC_SERROR : 0;
}

// The DISR_EL1/VDISR_EL2 fields of an SError syndrome (IDS, then ISS[23:0]
// if IDS is set, else AET, EA, DFSC): AArch64.ReportDeferredSError without
// the A bit, and the writable fields of both registers.
export function deferredSyndrome(v: u64): u64 {
  let s = <u32>v;
  if ((s & ISS_IDS) != 0) return <u64>(s & 0x1ff_ffff);
  return <u64>(s & (ISS_AET_MASK | ISS_EA | ISS_DFSC_MASK));
}

// The value an MSR writes to DISR_EL1 or VDISR_EL2 (A, IDS, the fields above).
export function deferredValue(v: u64): u64 { return (v & DISR_A) | deferredSyndrome(v); }

// The register an access to DISR_EL1 at the current EL reaches (the Arm ARM's
// DISR_EL1 access pseudocode): VDISR_EL2 at EL1 with EL2 enabled and
// HCR_EL2.AMO; nothing (RAZ/WI, -1) at EL1 and EL2 with SCR_EL3.EA; else DISR_EL1.
export function disrRegister(): i32 {
  let el = currentEL();
  if (el == 1 && el2Enabled() && (sysreg(SR_HCR_EL2) & HCR_AMO) != 0) return SR_VDISR_EL2;
  if (el <= 2 && highestEL() == 3 && (sysreg(SR_SCR_EL3) & SCR_EA) != 0) return -1;
  return SR_DISR_EL1;
}

// Whether an ESB may have anything to do: a physical SError pending, or a
// virtual one in HCR_EL2.VSE. The cheap test the interpreter and compiled
// code make before leaving for esbOperation (false: ESB is a NOP).
@inline export function esbMayAct(): bool {
  return (load<u32>(CONTROL_LINES) & LINE_SERROR) != 0 || (sysreg(SR_HCR_EL2) & HCR_VSE) != 0;
}

// ESB: AArch64.ESBOperation, then AArch64.vESBOperation at EL0/EL1 with EL2
// enabled. SynchronizeErrors() has nothing to do (no errors in flight), and
// TakeUnmaskedSErrorInterrupts is the block boundary the caller ends the
// block at.
export function esbOperation(): void {
  let el = currentEL();
  let aMasked = (load<u32>(PSTATE_DAIF) & DAIF_A) != 0;
  if ((load<u32>(CONTROL_LINES) & LINE_SERROR) != 0) {
    // The physical SError's target (AArch64.PhysicalSErrorTarget) and whether
    // it is masked there: a target below the current EL always masks it;
    // PSTATE.A masks it at the target EL, at EL0/EL1 for a target of EL1, and
    // at EL0/EL2 for EL2 in the host (HCR_EL2.{E2H, TGE} = {1, 1}).
    let target: u32 = 1;
    if (highestEL() == 3 && (sysreg(SR_SCR_EL3) & SCR_EA) != 0) target = 3;
    else if (el2Enabled() && (sysreg(SR_HCR_EL2) & (HCR_TGE | HCR_AMO)) != 0) target = 2;
    let maskActive: bool;
    if (target == 1) maskActive = el <= 1;
    else if (target == 2 && elIsInHost(0)) maskActive = el == 0 || el == 2;
    else maskActive = el == target;
    if (target < el || (maskActive && aMasked)) {
      setSysreg(SR_DISR_EL1, DISR_A | deferredSyndrome(<u64>physicalSErrorSyndrome(true)));
      store<u32>(CONTROL_LINES, load<u32>(CONTROL_LINES) & ~LINE_SERROR); // ClearPendingPhysicalSError
    }
  }
  if (el <= 1 && el2Enabled()) {
    // AArch64.vESBOperation: a virtual SError pending (HCR_EL2.{TGE, AMO,
    // VSE} = {0, 1, 1}) and masked by PSTATE.A is deferred into VDISR_EL2
    // with VSESR_EL2's syndrome, and is no longer pending.
    let hcr = sysreg(SR_HCR_EL2);
    if ((hcr & (HCR_TGE | HCR_AMO | HCR_VSE)) == (HCR_AMO | HCR_VSE) && aMasked) {
      setSysreg(SR_VDISR_EL2, DISR_A | deferredSyndrome(sysreg(SR_VSESR_EL2)));
      setSysreg(SR_HCR_EL2, hcr & ~HCR_VSE);
    }
  }
}
