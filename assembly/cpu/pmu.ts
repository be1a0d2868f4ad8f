// FEAT_PMUv3 (ID_AA64DFR0_EL1.PMUVer = 1, the Armv8.0 Performance Monitors
// Extension, Arm ARM D7 and D13): PMCR_EL0.N = 4 event counters
// (PMEVCNTR<n>_EL0, 32 bits) and the cycle counter (PMCCNTR_EL0, 64 bits).
// Four is what an OS needs to measure a few events at once (Linux reports
// "5 counters": four plus the cycle counter) and keeps the per-fold loop short;
// MDCR_EL2.HPMN resets to it.
//
// The counting model. This core has no cycles: time is instructions retired.
//   CPU_CYCLES (0x11) and the cycle counter count one cycle per instruction
//     retired (CPI = 1).
//   INST_RETIRED (0x08): instructions architecturally executed. An instruction
//     that takes a synchronous exception (a fault, an UNDEFINED or trapped
//     one) is not; SVC, HVC, SMC and ERET are, at the EL they execute at.
//   EXC_TAKEN (0x09): exceptions taken, counted at the EL (and Security
//     state) they are taken from; EXC_RETURN (0x0A): ERETs that complete
//     (legal or illegal), counted at the EL that executes them.
//   SW_INCR (0x00): writes of 1 to PMSWINC_EL0<n>.
// Any other event number counts nothing; PMCEID0/1_EL0 advertise exactly these.
//
// Reads are exact: an MRS of a counter returns the events of the instructions
// before it, so two reads around 100 NOPs differ by 101 INST_RETIRED (the first
// MRS and the NOPs). An MSR that enables a counter, or writes its value,
// takes effect before its own retirement, which is counted.
//
// Nothing is added per instruction. Instruction and cycle counts are derived
// from the core's instruction count: the counters hold their value as of
// SR_PMU_SNAPSHOT, and fold(now) adds now - SR_PMU_SNAPSHOT to those that
// count in the current state (countMask). The run loop folds at every change
// of exception level or Security state (exception entry, ERET: the paths
// that resynchronise the context) and at every exit, PMU accesses fold
// first, and run() entry re-snapshots (other vCPUs' instructions do not
// count). The next overflow of an instruction-driven counter whose
// interrupt is enabled bounds run()'s budget (pmuDeadline), as the timers'
// deadlines do, so the overflow interrupt is raised within a block of it.
// Overflow sets PMOVSSET_EL0; PMUIRQ (CheckForPMUOverflow) is published in
// TIMER_LINES as TIMER_PMU and the host raises PPI 7 with it.
//
// PMCR_EL0 of a PE without AArch32 (the Arm ARM's PMCR_EL0 field
// descriptions): LC is RES1 (the cycle counter overflows out of bit 63), D is
// RES0 (no divider), X is RAZ/WI (no event export bus), and DP exists only
// with EL3 (without FEAT_PMUv3p1 only Secure state prohibits counting).
//
// Not implemented (Armv8.1 and later, so not advertised): MDCR_EL2.HPMD
// (FEAT_PMUv3p1), 16-bit event numbers and PMCEID's upper halves, PMMIR,
// the 64-bit event counters of FEAT_PMUv3p5, PMUSERENR_EL0's and PMCR's later
// fields.
import {
  SR_PMCR_EL0, SR_PMCNTENSET_EL0, SR_PMINTENSET_EL1, SR_PMOVSSET_EL0, SR_PMCCFILTR_EL0,
  SR_PMCCNTR_EL0, SR_PMEVCNTR0_EL0, SR_PMEVTYPER0_EL0, SR_PMU_SNAPSHOT,
  SR_MDCR_EL2, SR_MDCR_EL3, SR_SCR_EL3, TIMER_LINES, TIMER_PMU, EXIT_TIMER,
} from "../abi";
import { sysreg, setSysreg, currentEL } from "./state";
import { highestEL } from "./config";
import { requestExit } from "./context";

export const PMU_N: u32 = 4;
export const CYCLE_COUNTER: u32 = 31;
const ALL_EVENT_COUNTERS: u32 = (1 << PMU_N) - 1;
export const PMU_COUNTER_BITS: u32 = ALL_EVENT_COUNTERS | (1 << CYCLE_COUNTER);

export const PMCR_E: u64 = 1;
export const PMCR_P: u64 = 2;
export const PMCR_C: u64 = 4;
const PMCR_DP: u64 = 32;
export const PMCR_LC: u64 = 64; // RES1
// The fields that hold state: E, and DP with EL3.
export function pmcrWritable(): u64 { return highestEL() == 3 ? PMCR_E | PMCR_DP : PMCR_E; }
const MDCR_HPMN: u64 = 0x1f;
const MDCR_HPME: u64 = 1 << 7;
const MDCR3_SPME: u64 = 1 << 17;
const SCR_NS: u64 = 1;

export const EV_SW_INCR: u32 = 0x00;
export const EV_INST_RETIRED: u32 = 0x08;
export const EV_EXC_TAKEN: u32 = 0x09;
export const EV_EXC_RETURN: u32 = 0x0a;
export const EV_CPU_CYCLES: u32 = 0x11;
// PMCEID0_EL0: bit e = common event e (0x00..0x1F) implemented.
export const PMCEID0: u64 = (1 << EV_SW_INCR) | (1 << EV_INST_RETIRED) | (1 << EV_EXC_TAKEN) |
  (1 << EV_EXC_RETURN) | (1 << EV_CPU_CYCLES);
export const PMCEID1: u64 = 0;

// PMEVTYPER<n>_EL0 and PMCCFILTR_EL0: P, U, NSK, NSU, NSH, M (31:26); evtCount (9:0)
// in PMEVTYPER only (Armv8.0: 10 bits).
const FLT_P: u64 = 1 << 31;
const FLT_U: u64 = 1 << 30;
const FLT_NSK: u64 = 1 << 29;
const FLT_NSU: u64 = 1 << 28;
const FLT_NSH: u64 = 1 << 27;
const FLT_M: u64 = 1 << 26;
export const PMCCFILTR_MASK: u64 = 0xfc00_0000;
export const PMEVTYPER_MASK: u64 = 0xfc00_03ff;

export const NO_PMU_DEADLINE: u64 = 0xffff_ffff_ffff_ffff;

// Counters (bit n, 31 = cycle counter) counting instructions or cycles in the
// current state, those counting any event in it, and the instruction count at
// which the next one whose overflow interrupt is enabled overflows.
let countMask: u32 = 0;
let eventMask: u32 = 0;
export let pmuDeadline: u64 = NO_PMU_DEADLINE;

@inline function evtype(n: u32): u64 { return sysreg(SR_PMEVTYPER0_EL0 + <i32>n); }
@inline function evcnt(n: u32): i32 { return SR_PMEVCNTR0_EL0 + <i32>n; }

// MDCR_EL2.HPMN as it acts: a value above N behaves as N (CONSTRAINED UNPREDICTABLE).
export function hpmn(): u32 {
  let h = <u32>(sysreg(SR_MDCR_EL2) & MDCR_HPMN);
  return h > PMU_N ? PMU_N : h;
}

// The event counters an access from `el` may reach (AArch64.GetNumEventCountersAccessible):
// at EL0 and EL1 with EL2 enabled, those below MDCR_EL2.HPMN.
export function countersAccessible(el: u32, el2On: bool): u32 {
  return el <= 1 && el2On ? hpmn() : PMU_N;
}
// PMCNTEN/PMINTEN/PMOVS bits an access from `el` may reach.
export function accessibleBits(el: u32, el2On: bool): u32 {
  return ((1 << countersAccessible(el, el2On)) - 1) | (1 << CYCLE_COUNTER);
}

// Counters enabled (PMCNTENSET and the enable that governs each:
// PMCR_EL0.E, or MDCR_EL2.HPME for those EL2 reserves with HPMN).
function enableControl(): u32 {
  let e: u32 = (sysreg(SR_PMCR_EL0) & PMCR_E) != 0 ? PMU_COUNTER_BITS : 0;
  if (highestEL() < 2) return e;
  let low: u32 = (1 << hpmn()) - 1;
  let high: u32 = (sysreg(SR_MDCR_EL2) & MDCR_HPME) != 0 ? ALL_EVENT_COUNTERS & ~low : 0;
  return (e & (low | (1 << CYCLE_COUNTER))) | high;
}

// Whether the filter (PMEVTYPER/PMCCFILTR) excludes the current state (Armv8.0).
function filtered(f: u64, el: u32, secure: bool): bool {
  switch (el) {
    case 0: return secure ? (f & FLT_U) != 0 : ((f & FLT_U) != 0) != ((f & FLT_NSU) != 0);
    case 1: return secure ? (f & FLT_P) != 0 : ((f & FLT_P) != 0) != ((f & FLT_NSK) != 0);
    case 2: return (f & FLT_NSH) == 0;
    default: return ((f & FLT_M) != 0) != ((f & FLT_P) != 0);
  }
}

// Adds d events to event counter n (32 bits), setting its overflow flag on a wrap.
function addEvents(n: u32, d: u64): bool {
  let v = sysreg(evcnt(n)) + d;
  setSysreg(evcnt(n), v & 0xffff_ffff);
  if ((v >> 32) == 0) return false;
  setSysreg(SR_PMOVSSET_EL0, sysreg(SR_PMOVSSET_EL0) | (<u64>1 << n));
  return true;
}

// Adds d cycles to the cycle counter, which overflows out of bit 63 (PMCR_EL0.LC is RES1).
function addCycles(d: u64): void {
  let old = sysreg(SR_PMCCNTR_EL0);
  let v = old + d;
  setSysreg(SR_PMCCNTR_EL0, v);
  if (v < old) setSysreg(SR_PMOVSSET_EL0, sysreg(SR_PMOVSSET_EL0) | (<u64>1 << CYCLE_COUNTER));
}

// Counts the instructions retired since the snapshot into the counters
// counting them in the state they ran in; the snapshot becomes `now`.
export function pmuFold(now: u64): void {
  let d = now - sysreg(SR_PMU_SNAPSHOT);
  setSysreg(SR_PMU_SNAPSHOT, now);
  if (countMask == 0 || d == 0) return;
  for (let n: u32 = 0; n < PMU_N; n++) if (countMask & (1 << n)) addEvents(n, d);
  if (countMask & (1 << CYCLE_COUNTER)) addCycles(d);
}

// Recomputes what counts in the current state, and the next overflow deadline.
// Call after pmuFold(now), once the state has changed.
export function pmuRecompute(now: u64): void {
  countMask = 0;
  eventMask = 0;
  pmuDeadline = NO_PMU_DEADLINE;
  let en = <u32>sysreg(SR_PMCNTENSET_EL0);
  if (en == 0) return; // the common case: no counter enabled
  en &= enableControl();
  if (en == 0) return;
  let el = currentEL();
  let secure = highestEL() == 3 && (el == 3 || (sysreg(SR_SCR_EL3) & SCR_NS) == 0);
  // Event counting is prohibited in Secure state unless MDCR_EL3.SPME; the
  // cycle counter then still counts unless PMCR_EL0.DP.
  let prohibited = secure && (sysreg(SR_MDCR_EL3) & MDCR3_SPME) == 0;
  let inten = <u32>sysreg(SR_PMINTENSET_EL1);
  for (let n: u32 = 0; n < PMU_N; n++) {
    if ((en & (1 << n)) == 0 || prohibited) continue;
    let t = evtype(n);
    if (filtered(t, el, secure)) continue;
    eventMask |= 1 << n;
    let ev = <u32>t & 0x3ff;
    if (ev != EV_INST_RETIRED && ev != EV_CPU_CYCLES) continue;
    countMask |= 1 << n;
    if (inten & (1 << n)) {
      let at = now + ((<u64>1 << 32) - sysreg(evcnt(n)));
      if (at < pmuDeadline) pmuDeadline = at;
    }
  }
  if ((en & (1 << CYCLE_COUNTER)) != 0 && !(prohibited && (sysreg(SR_PMCR_EL0) & PMCR_DP) != 0) &&
      !filtered(sysreg(SR_PMCCFILTR_EL0), el, secure)) {
    countMask |= 1 << CYCLE_COUNTER;
    eventMask |= 1 << CYCLE_COUNTER;
    if (inten & (1 << CYCLE_COUNTER)) {
      let at = now + (~sysreg(SR_PMCCNTR_EL0) + 1); // 2^64 - PMCCNTR_EL0
      if (at > now && at < pmuDeadline) pmuDeadline = at; // (a zero counter: 2^64 away, none)
    }
  }
}

// Both, at a change of state (the run loop's resynchronisation points).
export function pmuSync(now: u64): void {
  pmuFold(now);
  pmuRecompute(now);
}

// At run() entry: the instructions retired since this vCPU's last exit are
// other vCPUs' (or none); counting resumes from here.
export function pmuResume(now: u64): void {
  setSysreg(SR_PMU_SNAPSHOT, now);
  pmuRecompute(now);
}

// CheckForPMUOverflow: the PMU interrupt request level.
export function pmuIrq(): bool {
  let pending = <u32>(sysreg(SR_PMOVSSET_EL0) & sysreg(SR_PMINTENSET_EL1));
  return pending != 0 && (pending & enableControl()) != 0;
}

// Tells the host when PMUIRQ no longer matches what it last saw (TIMER_LINES).
export function pmuIrqCheck(): void {
  if (pmuIrq() != ((load<u32>(TIMER_LINES) & TIMER_PMU) != 0)) requestExit(EXIT_TIMER);
}

// One occurrence of `event` (EXC_TAKEN, EXC_RETURN) in the current state.
export function pmuEvent(event: u32): void {
  if (eventMask == 0) return;
  let over = false;
  for (let n: u32 = 0; n < PMU_N; n++) {
    if ((eventMask & (1 << n)) != 0 && (<u32>evtype(n) & 0x3ff) == event) over = addEvents(n, 1) || over;
  }
  if (over) pmuIrqCheck();
}

// PMSWINC_EL0 written with `bits` (already limited to the accessible counters).
export function pmuSoftwareIncrement(bits: u32): void {
  let over = false;
  for (let n: u32 = 0; n < PMU_N; n++) {
    if ((bits & eventMask & (1 << n)) != 0 && (<u32>evtype(n) & 0x3ff) == EV_SW_INCR) over = addEvents(n, 1) || over;
  }
  if (over) pmuIrqCheck();
}

// PMCR_EL0.P: resets the event counters (from EL0/EL1 with EL2 enabled, only
// those below HPMN); PMCR_EL0.C: the cycle counter.
export function pmuReset(p: bool, c: bool, limit: u32): void {
  if (p) for (let n: u32 = 0; n < limit; n++) setSysreg(evcnt(n), 0);
  if (c) setSysreg(SR_PMCCNTR_EL0, 0);
}
