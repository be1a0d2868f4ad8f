// Physical interrupts (IRQ, FIQ, SError) from the lines the host drives:
// routing by SCR_EL3.{IRQ,FIQ,EA} and HCR_EL2.{IMO,FMO,AMO,TGE}, masking by
// PSTATE.{I,F,A} (Arm ARM D1.3.6, "Asynchronous exception routing and masking").
import { LINE_IRQ, LINE_FIQ, LINE_SERROR, SR_SCR_EL3, SR_HCR_EL2, PSTATE_DAIF } from "../abi";
import { currentEL, sysreg } from "../cpu/state";
import { highestEL } from "../cpu/config";
import { el2Enabled, takeException } from "./exception";
import { VECT_IRQ, VECT_FIQ, VECT_SERROR, syndrome, EC_SERROR } from "./syndrome";

const HCR_TGE: u64 = 1 << 27;

// The EL an interrupt is taken to now, or 0 if it is masked or routed to a lower EL.
function interruptTarget(scrBit: u64, hcrBit: u64, daifBit: u32): u32 {
  let el = currentEL();
  let target: u32;
  if (highestEL() == 3 && (sysreg(SR_SCR_EL3) & scrBit) != 0) target = 3;
  else if (el2Enabled() && (sysreg(SR_HCR_EL2) & (hcrBit | HCR_TGE)) != 0) target = 2;
  else target = 1;
  if (target < el) return 0;
  if (target == el && (load<u32>(PSTATE_DAIF) & daifBit) != 0) return 0;
  return target;
}

// Takes the highest-priority pending interrupt if it can be taken; returns
// the vector to continue at, or 1 if none was taken.
export function pendingInterrupt(lines: u32, returnPC: u64): u64 {
  if (lines & LINE_SERROR) {
    let t = interruptTarget(1 << 3, 1 << 5, 0x100);
    if (t) return takeException(t, VECT_SERROR, syndrome(EC_SERROR, 0), 0, false, returnPC);
  }
  if (lines & LINE_FIQ) {
    let t = interruptTarget(1 << 2, 1 << 3, 0x40);
    if (t) return takeException(t, VECT_FIQ, 0, 0, false, returnPC);
  }
  if (lines & LINE_IRQ) {
    let t = interruptTarget(1 << 1, 1 << 4, 0x80);
    if (t) return takeException(t, VECT_IRQ, 0, 0, false, returnPC);
  }
  return 1;
}
