// Warm reset of the running vCPU into AArch64 at a given EL, with the
// architectural reset values the boot code relies on.
import {
  VCPU_BASE, SYSREG_BASE, SR_COUNT, PSTATE_DAIF, SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3,
  SR_MIDR_EL1, SR_MPIDR_EL1, SR_VPIDR_EL2, SR_VMPIDR_EL2, SR_CNTFRQ_EL0, SR_OSLSR_EL1, SR_SCR_EL3,
  SR_HCR_EL2, SR_CNTHCTL_EL2, SR_MDCR_EL2, CONFIG_CPU_INDEX, PSTATE_EL, PSTATE_SP, SP_EL_BASE, V_BASE, V_END,
} from "../abi";
import { setSysreg } from "./state";
import { highestEL } from "./config";
import { MIDR_DEFAULT } from "../sysreg/idregs";
import { PMU_N } from "./pmu";

export const CNTFRQ_HZ: u64 = 62_500_000; // as QEMU's virt board reports

export function resetVCPU(el: u32): void {
  memory.fill(VCPU_BASE, 0, SYSREG_BASE - VCPU_BASE + SR_COUNT * 8);
  store<u32>(PSTATE_EL, el);
  store<u32>(PSTATE_SP, el == 0 ? 0 : 1); // EL0 has only SP_EL0 (EL0t)
  store<u32>(PSTATE_DAIF, 0x3c0);
  memory.fill(SP_EL_BASE, 0, 32);
  memory.fill(V_BASE, 0, V_END - V_BASE); // V0..V31 (UNKNOWN at reset; FPCR, FPSR are zeroed above)
  // SCTLR_ELx RES1 bits; MMU, caches and alignment checking off.
  setSysreg(SR_SCTLR_EL1, 0x30d0_0800);
  setSysreg(SR_SCTLR_EL2, 0x30c5_0830);
  setSysreg(SR_SCTLR_EL3, 0x30c5_0830);
  let cpu = <u64>load<u32>(CONFIG_CPU_INDEX);
  setSysreg(SR_MIDR_EL1, MIDR_DEFAULT);
  setSysreg(SR_MPIDR_EL1, 0x8000_0000 | (cpu & 0xff) | (((cpu >> 8) & 0xff) << 8));
  setSysreg(SR_VPIDR_EL2, MIDR_DEFAULT);
  setSysreg(SR_VMPIDR_EL2, 0x8000_0000 | (cpu & 0xff) | (((cpu >> 8) & 0xff) << 8));
  setSysreg(SR_CNTFRQ_EL0, CNTFRQ_HZ);
  setSysreg(SR_OSLSR_EL1, 1); // the OS lock is locked at reset
  // The levels above the guest's highest EL belong to the host, which leaves
  // them as firmware would: EL3 hands over in Non-secure state, AArch64 below.
  setSysreg(SR_SCR_EL3, highestEL() < 3 ? (1 | (1 << 8) | (1 << 10)) : (1 << 10)); // NS, HCE, RW
  setSysreg(SR_HCR_EL2, <u64>1 << 31); // RW: EL1 is AArch64
  // EL1 may use the physical counter and timer (as booting.rst asks of an EL2
  // that enters the kernel at EL1); a guest hypervisor sets its own value.
  setSysreg(SR_CNTHCTL_EL2, 3);
  // MDCR_EL2.HPMN resets to PMCR_EL0.N: EL2 reserves no PMU counter.
  setSysreg(SR_MDCR_EL2, PMU_N);
}
