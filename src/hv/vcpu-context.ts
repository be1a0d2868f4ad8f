// Several vCPUs on one core: the core runs one vCPU at a time, whose
// architectural state lives in the VCPU block of shared memory. A
// VcpuContext holds a vCPU's copy of that block (and of its per-vCPU
// control words) while another vCPU runs; switching copies it in and out.
//
// What a switch must also do, and why:
// - the TLB caches translations of the vCPU that filled it (it is not tagged
//   by vCPU), so it is flushed;
// - the exclusive monitor is cleared on the vCPU switched out: another vCPU
//   may store to the monitored location while this one is not running, and
//   clearing is always allowed (the STXR fails and the guest retries);
// - decoded code is by physical page and shared by every vCPU.
import { Core, ABI } from "../core/core";

const STATE_BYTES = ABI.V_END - ABI.VCPU_BASE;

export class VcpuContext {
  readonly index: number;
  readonly affinity: number;         // MPIDR_EL1.Aff1:Aff0 (CONFIG_CPU_INDEX)
  private state: Uint8Array | undefined;
  controlLines = 0;                  // CONTROL_LINES: IRQ/FIQ from the interrupt controller
  timerLines = 0;                    // TIMER_LINES as the core published them at this vCPU's last exit
  timerDeadline: bigint = 0xffff_ffff_ffff_ffffn; // TIMER_DEADLINE at its last exit

  constructor(index: number, affinity: number) {
    this.index = index;
    this.affinity = affinity;
  }

  // Copy the running vCPU's state out of the core (it stops being current).
  saveFrom(core: Core): void {
    core.setU32(ABI.EXCL_SIZE, 0);
    this.state = core.readBlock(ABI.VCPU_BASE, STATE_BYTES);
    this.timerLines = core.u32(ABI.TIMER_LINES);
    this.timerDeadline = core.u64(ABI.TIMER_DEADLINE);
  }

  // Make this vCPU the one the core runs.
  loadInto(core: Core): void {
    core.setU32(ABI.CONFIG_CPU_INDEX, this.affinity);
    if (this.state) core.writeBlock(ABI.VCPU_BASE, this.state);
    core.setU32(ABI.TIMER_LINES, this.timerLines);
    core.setU64(ABI.TIMER_DEADLINE, this.timerDeadline);
    core.exports.flushTlb();
  }
}
