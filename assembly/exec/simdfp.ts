// SIMD&FP state shared by the FP/AdvSIMD handlers: the V registers, FPCR and
// FPSR, and the FP/AdvSIMD enable check (AArch64.CheckFPAdvSIMDEnabled),
// resolved once per context by updateFPTrap() (called from syncContext()).
import { V_BASE, SR_CPACR_EL1, SR_CPTR_EL2, SR_CPTR_EL3, SR_FPCR, SR_FPSR, SR_HCR_EL2 } from "../abi";
import { currentEL, sysreg, setSysreg } from "../cpu/state";
import { highestEL, fpEnabled } from "../cpu/config";
import { pcOf, setNextPC } from "../cpu/context";
import { takeException, el2Enabled, tgeInEffect, elIsInHost } from "../except/exception";
import { syndrome, VECT_SYNC, EC_UNKNOWN, EC_FP_ACCESS_TRAP } from "../except/syndrome";
import { fpTakeFlags } from "../fp/index";
import * as O from "../decode/ops";

// ---- V registers: V[n] is 16 bytes at V_BASE + 16 n, D[0] first ----------------------
@inline export function vAddr(n: u32): usize { return V_BASE + (<usize>n << 4); }
@inline export function vLo(n: u32): u64 { return load<u64>(vAddr(n)); }
@inline export function vHi(n: u32): u64 { return load<u64>(vAddr(n), 8); }
@inline export function setV(n: u32, lo: u64, hi: u64): void { let a = vAddr(n); store<u64>(a, lo); store<u64>(a, hi, 8); }
// A scalar write: V[n] = ZeroExtend(value) (the bits above the value are 0 in `lo`).
@inline export function setVScalar(n: u32, lo: u64): void { setV(n, lo, 0); }

// ---- FPCR, FPSR -------------------------------------------------------------------------
// Writable bits. FPCR: AHP, DN, FZ, RMode (no FP16: FZ16 RES0; no trapped
// exceptions: IDE..IOE RAZ/WI; Len/Stride are AArch32 only). FPSR: QC and
// the cumulative flags IDC, IXC, UFC, OFC, DZC, IOC (N, Z, C, V are AArch32 only).
export const FPCR_MASK: u64 = 0x07c0_0000;
export const FPSR_MASK: u64 = 0x0800_009f;

@inline export function fpcr(): u32 { return <u32>sysreg(SR_FPCR); }

// FPSR |= the cumulative exception flags the library raised (once per instruction).
@inline export function mergeFPFlags(): void {
  let f = fpTakeFlags();
  if (f) setSysreg(SR_FPSR, sysreg(SR_FPSR) | <u64>f);
}

// ---- The FP/AdvSIMD enable check -------------------------------------------------------
// 0 when FP/AdvSIMD instructions may execute in the current context, else the
// EL their use is trapped to; fpTrapSyndrome is the ESR to report there.
export let fpTrapEL: u32 = 0;
let fpTrapSyndrome: u64 = 0;

const CPTR_TFP: u64 = 1 << 10;
const HCR_TGE: u64 = 1 << 27;
const HCR_E2H: u64 = <u64>1 << 34;
// ISS of EC 0x07 from AArch64: CV = 1, COND = 0b1110 (ConditionSyndrome()).
const ISS_FP_TRAP: u32 = (1 << 24) | (0xe << 20);

// AArch64.CheckFPAdvSIMDEnabled, in priority order: CPACR_EL1.FPEN (EL0/EL1
// outside the host, to EL1; to EL2 under HCR_EL2.TGE, reported as
// Uncategorized, see AArch64.AdvSIMDFPAccessTrap), then CPTR_EL2 (EL0-EL2,
// when EL2 is enabled): TFP, or with HCR_EL2.E2H its CPACR_EL1-like FPEN
// (0bx0 traps EL0-EL2, 0b01 the host's EL0), then CPTR_EL3.TFP.
export function updateFPTrap(): void {
  fpTrapEL = 0;
  if (!fpEnabled) return;
  let el = currentEL();
  if (el <= 1 && !elIsInHost(el)) {
    let fpen = (sysreg(SR_CPACR_EL1) >> 20) & 3;
    if (fpen != 3 && !(fpen == 1 && el == 1)) {
      if (tgeInEffect()) { fpTrapEL = 2; fpTrapSyndrome = syndrome(EC_UNKNOWN, 0); }
      else { fpTrapEL = 1; fpTrapSyndrome = syndrome(EC_FP_ACCESS_TRAP, ISS_FP_TRAP); }
      return;
    }
  }
  if (el <= 2 && el2Enabled()) {
    let cptr = sysreg(SR_CPTR_EL2), hcr = sysreg(SR_HCR_EL2);
    let trap: bool;
    if ((hcr & HCR_E2H) != 0) {
      let fpen = (cptr >> 20) & 3;
      trap = (fpen & 1) == 0 || (fpen == 1 && el == 0 && (hcr & HCR_TGE) != 0);
    } else {
      trap = (cptr & CPTR_TFP) != 0;
    }
    if (trap) {
      fpTrapEL = 2; fpTrapSyndrome = syndrome(EC_FP_ACCESS_TRAP, ISS_FP_TRAP);
      return;
    }
  }
  if (highestEL() == 3 && (sysreg(SR_CPTR_EL3) & CPTR_TFP) != 0) {
    fpTrapEL = 3; fpTrapSyndrome = syndrome(EC_FP_ACCESS_TRAP, ISS_FP_TRAP);
  }
}

// Take the FP/AdvSIMD access trap for the instruction at entry e (call when fpTrapEL != 0).
export function fpAccessTrap(e: usize): i32 {
  setNextPC(takeException(fpTrapEL, VECT_SYNC, fpTrapSyndrome, 0, false, pcOf(e)));
  return O.R_FAULT;
}
// The same for MRS/MSR of FPCR/FPSR (AArch64.SystemAccessTrap with EC 0x07,
// or 0x00 under HCR_EL2.TGE): the same syndrome.
export function fpSysregTrap(e: usize): bool { fpAccessTrap(e); return false; }
