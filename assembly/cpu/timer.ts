// The generic timers (Arm ARM D11): the EL1 physical timer (CNTP_*), the
// virtual timer (CNTV_*), the EL2 physical timer (CNTHP_*) and FEAT_VHE's
// EL2 virtual timer (CNTHV_*). The physical count is instructions retired
// plus TIME_OFFSET (which the host advances to skip idle time); the EL1
// virtual timer counts the virtual count, which subtracts CNTVOFF_EL2; the
// EL2 virtual timer belongs to the EL2&0 regime, whose virtual count has no
// offset (CNTVOFF_EL2 is the guest's), so it counts the physical count. The core never
// interrupts itself: it publishes the timers' output levels (TIMER_LINES) and
// when the next one fires (TIMER_DEADLINE) at every exit, and run() stops at
// that deadline, so the host can route the lines to its interrupt controller.
import {
  TIME_OFFSET, TIMER_LINES, TIMER_DEADLINE, TIMER_PHYS, TIMER_VIRT, TIMER_HYP, TIMER_HYPVIRT, SR_CNTVOFF_EL2,
  SR_CNTP_CTL_EL0, SR_CNTP_CVAL_EL0, SR_CNTV_CTL_EL0, SR_CNTV_CVAL_EL0, SR_CNTHP_CTL_EL2, SR_CNTHP_CVAL_EL2,
  SR_CNTHV_CTL_EL2, SR_CNTHV_CVAL_EL2,
} from "../abi";
import { sysreg } from "./state";
import { highestEL } from "./config";
import { pmuIrq } from "./pmu";
import { TIMER_PMU } from "../abi";

export const NO_DEADLINE: u64 = 0xffff_ffff_ffff_ffff;

// CNTPCT_EL0 after `retired` instructions.
@inline export function physicalCount(retired: u64): u64 { return retired + load<u64>(TIME_OFFSET); }
// CNTVOFF_EL2 when EL2 exists.
@inline export function virtualOffset(): u64 { return highestEL() >= 2 ? sysreg(SR_CNTVOFF_EL2) : 0; }

// Timer numbers: 0 physical, 1 virtual, 2 EL2 physical, 3 EL2 virtual.
export const TIMER_COUNT: u32 = 4;
@inline export function ctlOf(timer: u32): i32 {
  return timer == 0 ? SR_CNTP_CTL_EL0 : timer == 1 ? SR_CNTV_CTL_EL0 : timer == 2 ? SR_CNTHP_CTL_EL2 : SR_CNTHV_CTL_EL2;
}
@inline export function cvalOf(timer: u32): i32 {
  return timer == 0 ? SR_CNTP_CVAL_EL0 : timer == 1 ? SR_CNTV_CVAL_EL0 : timer == 2 ? SR_CNTHP_CVAL_EL2 : SR_CNTHV_CVAL_EL2;
}
// The count a timer compares against.
@inline export function timerCount(timer: u32, retired: u64): u64 {
  let c = physicalCount(retired);
  return timer == 1 ? c - virtualOffset() : c;
}

// CNTx_CTL as read: ENABLE, IMASK and ISTATUS (the condition CVAL <= count, when enabled).
export function readTimerCtl(timer: u32, retired: u64): u64 {
  let ctl = sysreg(ctlOf(timer)) & 3;
  if ((ctl & 1) != 0 && timerCount(timer, retired) >= sysreg(cvalOf(timer))) ctl |= 4;
  return ctl;
}

// Recompute TIMER_LINES and TIMER_DEADLINE for the state after `retired` instructions.
export function updateTimers(retired: u64): void {
  let lines: u32 = 0;
  let deadline = NO_DEADLINE;
  let timers: u32 = highestEL() >= 2 ? TIMER_COUNT : 2; // the EL2 timers exist with EL2
  for (let t: u32 = 0; t < timers; t++) {
    let ctl = sysreg(ctlOf(t));
    if ((ctl & 3) != 1) continue; // disabled, or masked: its output stays low
    let cval = sysreg(cvalOf(t));
    let count = timerCount(t, retired);
    if (count >= cval) {
      lines |= t == 0 ? TIMER_PHYS : t == 1 ? TIMER_VIRT : t == 2 ? TIMER_HYP : TIMER_HYPVIRT;
    } else {
      let at = retired + (cval - count); // the retired count at which it fires
      if (at < deadline) deadline = at;
    }
  }
  if (pmuIrq()) lines |= TIMER_PMU; // the PMU's overflow interrupt travels with the timers' outputs
  store<u32>(TIMER_LINES, lines);
  store<u64>(TIMER_DEADLINE, deadline);
}
