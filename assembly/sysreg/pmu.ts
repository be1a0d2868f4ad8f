// The FEAT_PMUv3 registers (cpu/pmu.ts has the counting model): their EL0
// access controls (PMUSERENR_EL0), the counters EL2 reserves with
// MDCR_EL2.HPMN, and what reads and writes do. MDCR_EL2.TPM/TPMCR and
// MDCR_EL3.TPM are in traps.ts with the other traps to EL2 and EL3.
import {
  SR_PMCR_EL0, SR_PMCNTENSET_EL0, SR_PMINTENSET_EL1, SR_PMOVSSET_EL0, SR_PMSELR_EL0,
  SR_PMUSERENR_EL0, SR_PMCCFILTR_EL0, SR_PMCCNTR_EL0, SR_PMEVCNTR0_EL0, SR_PMEVTYPER0_EL0, SR_MDCR_EL2,
} from "../abi";
import { sysreg, setSysreg } from "../cpu/state";
import { highestEL } from "../cpu/config";
import {
  PMU_N, CYCLE_COUNTER, PMCR_P, PMCR_C, PMCR_LC, pmcrWritable, PMCEID0, PMCEID1, PMCCFILTR_MASK,
  PMEVTYPER_MASK, countersAccessible, accessibleBits, pmuFold, pmuRecompute, pmuIrqCheck,
  pmuSoftwareIncrement, pmuReset,
} from "../cpu/pmu";
import * as T from "./table";

const USERENR_EN: u64 = 1;
const USERENR_SW: u64 = 2;
const USERENR_CR: u64 = 4;
const USERENR_ER: u64 = 8;
// NSH exists with EL2; NSK, NSU and M with EL3 (RES0 otherwise).
const FLT_NSK: u64 = 1 << 29;
const FLT_NSU: u64 = 1 << 28;
const FLT_NSH: u64 = 1 << 27;
const FLT_M: u64 = 1 << 26;

// Whether PMUSERENR_EL0 lets EL0 make this access (else it traps to EL1, or
// EL2 under HCR_EL2.TGE, with EC 0x18). PMUSERENR_EL0 itself is readable at EL0.
export function pmuEL0Allowed(reg: i32, isRead: bool): bool {
  let u = sysreg(SR_PMUSERENR_EL0);
  if ((u & USERENR_EN) != 0 || reg == T.SPR_PMUSERENR) return true;
  if (reg == T.SPR_PMSWINC) return (u & USERENR_SW) != 0;
  if (reg == T.SPR_PMCCNTR) return isRead && (u & USERENR_CR) != 0;
  if (reg == T.SPR_PMXEVCNTR || (reg >= T.SPR_PMEVCNTR && reg < T.SPR_PMEVCNTR + <i32>PMU_N)) return isRead && (u & USERENR_ER) != 0;
  if (reg == T.SPR_PMSELR) return (u & USERENR_ER) != 0;
  return false;
}

// The event counter (or CYCLE_COUNTER) a PMEVCNTR/PMEVTYPER/PMXEV* access
// from `el` reaches, or -1 where it is not accessible: n >= MDCR_EL2.HPMN at
// EL0/EL1 with EL2 enabled, or PMSELR_EL0.SEL naming no counter (CONSTRAINED
// UNPREDICTABLE; this core makes them UNDEFINED). PMXEVTYPER with SEL = 31 is PMCCFILTR_EL0.
export function pmuCounterOf(reg: i32, el: u32, el2On: bool): i32 {
  let n: u32;
  if (reg == T.SPR_PMXEVTYPER || reg == T.SPR_PMXEVCNTR) {
    n = <u32>sysreg(SR_PMSELR_EL0) & 0x1f;
    if (n == CYCLE_COUNTER) return reg == T.SPR_PMXEVTYPER ? <i32>CYCLE_COUNTER : -1;
  } else if (reg >= T.SPR_PMEVTYPER) n = <u32>(reg - T.SPR_PMEVTYPER);
  else if (reg >= T.SPR_PMEVCNTR) n = <u32>(reg - T.SPR_PMEVCNTR);
  else return 0;
  return n < countersAccessible(el, el2On) ? <i32>n : -1;
}
@inline function isCounterReg(reg: i32): bool { return reg >= T.SPR_PMEVCNTR || reg == T.SPR_PMXEVCNTR; }
@inline function isTypeReg(reg: i32): bool { return (reg >= T.SPR_PMEVTYPER && reg < T.SPR_PMU_END) || reg == T.SPR_PMXEVTYPER; }
// Needs pmuCounterOf's check (a counter that may be inaccessible).
export function pmuIndexed(reg: i32): bool {
  return reg == T.SPR_PMXEVTYPER || reg == T.SPR_PMXEVCNTR || (reg >= T.SPR_PMEVCNTR && reg < T.SPR_PMU_END);
}

// MRS of a PMU register (access checks passed); `now` = instructions retired before it.
export function pmuRead(reg: i32, el: u32, el2On: bool, now: u64): u64 {
  pmuFold(now);
  let bits = <u64>accessibleBits(el, el2On);
  switch (reg) {
    case T.SPR_PMCR: {
      // N: the counters EL0/EL1 may use when EL2 reserves some (MDCR_EL2.HPMN).
      let n: u64 = el <= 1 && el2On ? sysreg(SR_MDCR_EL2) & 0x1f : <u64>PMU_N;
      return sysreg(SR_PMCR_EL0) | PMCR_LC | (n << 11); // IMP = 0, IDCODE = 0
    }
    case T.SPR_PMCNTENSET: case T.SPR_PMCNTENCLR: return sysreg(SR_PMCNTENSET_EL0) & bits;
    case T.SPR_PMINTENSET: case T.SPR_PMINTENCLR: return sysreg(SR_PMINTENSET_EL1) & bits;
    case T.SPR_PMOVSSET: case T.SPR_PMOVSCLR: return sysreg(SR_PMOVSSET_EL0) & bits;
    case T.SPR_PMSELR: return sysreg(SR_PMSELR_EL0);
    case T.SPR_PMCEID0: return PMCEID0;
    case T.SPR_PMCEID1: return PMCEID1;
    case T.SPR_PMCCNTR: return sysreg(SR_PMCCNTR_EL0);
    case T.SPR_PMUSERENR: return sysreg(SR_PMUSERENR_EL0);
    case T.SPR_PMCCFILTR: return sysreg(SR_PMCCFILTR_EL0);
  }
  let n = pmuCounterOf(reg, el, el2On);
  if (isTypeReg(reg)) return n == <i32>CYCLE_COUNTER ? sysreg(SR_PMCCFILTR_EL0) : sysreg(SR_PMEVTYPER0_EL0 + n);
  return sysreg(SR_PMEVCNTR0_EL0 + n);
}

// MSR to a PMU register (access checks passed).
export function pmuWrite(reg: i32, v: u64, el: u32, el2On: bool, now: u64): void {
  pmuFold(now); // what counted so far counted under the old settings
  let bits = <u64>accessibleBits(el, el2On);
  let el3: u64 = FLT_NSK | FLT_NSU | FLT_M;
  let fmask: u64 = (highestEL() >= 2 ? FLT_NSH : 0) | (highestEL() >= 3 ? el3 : 0) | ~(FLT_NSH | el3);
  switch (reg) {
    case T.SPR_PMCR:
      setSysreg(SR_PMCR_EL0, v & pmcrWritable());
      pmuReset((v & PMCR_P) != 0, (v & PMCR_C) != 0, countersAccessible(el, el2On));
      break;
    case T.SPR_PMCNTENSET: setSysreg(SR_PMCNTENSET_EL0, sysreg(SR_PMCNTENSET_EL0) | (v & bits)); break;
    case T.SPR_PMCNTENCLR: setSysreg(SR_PMCNTENSET_EL0, sysreg(SR_PMCNTENSET_EL0) & ~(v & bits)); break;
    case T.SPR_PMINTENSET: setSysreg(SR_PMINTENSET_EL1, sysreg(SR_PMINTENSET_EL1) | (v & bits)); break;
    case T.SPR_PMINTENCLR: setSysreg(SR_PMINTENSET_EL1, sysreg(SR_PMINTENSET_EL1) & ~(v & bits)); break;
    case T.SPR_PMOVSSET: setSysreg(SR_PMOVSSET_EL0, sysreg(SR_PMOVSSET_EL0) | (v & bits)); break;
    case T.SPR_PMOVSCLR: setSysreg(SR_PMOVSSET_EL0, sysreg(SR_PMOVSSET_EL0) & ~(v & bits)); break;
    case T.SPR_PMSWINC: pmuSoftwareIncrement(<u32>(v & bits) & ~(<u32>1 << CYCLE_COUNTER)); break;
    case T.SPR_PMSELR: setSysreg(SR_PMSELR_EL0, v & 0x1f); break;
    case T.SPR_PMCCNTR: setSysreg(SR_PMCCNTR_EL0, v); break;
    case T.SPR_PMUSERENR: setSysreg(SR_PMUSERENR_EL0, v & 0xf); break;
    case T.SPR_PMCCFILTR: setSysreg(SR_PMCCFILTR_EL0, v & PMCCFILTR_MASK & fmask); break;
    default: {
      let n = pmuCounterOf(reg, el, el2On);
      if (isTypeReg(reg)) {
        if (n == <i32>CYCLE_COUNTER) setSysreg(SR_PMCCFILTR_EL0, v & PMCCFILTR_MASK & fmask);
        else setSysreg(SR_PMEVTYPER0_EL0 + n, v & PMEVTYPER_MASK & fmask);
      } else if (isCounterReg(reg)) setSysreg(SR_PMEVCNTR0_EL0 + n, v & 0xffff_ffff);
    }
  }
  pmuRecompute(now);
  pmuIrqCheck();
}
