// The GICv2 virtual CPU interface of one CPU (GICV_*, IHI 0048 5.5): the
// GICC_* frame layout (./v2-cpu-interface) over the CPU's list registers
// (./list-registers), which a hypervisor fills through GICH_*
// (./v2-hyp-interface). GICV_CTLR, PMR, BPR and ABPR are the fields of
// GICH_VMCR; with FIQEn clear a Group 0 virtual interrupt is a virtual IRQ.
// What differs from the physical frame: the virtual interface keeps one set
// of active priorities, GICV_APR0 (= GICH_APR), for both groups, and has no
// GICV_NSAPR0 (RAZ/WI).
import type { GicV2 } from "../gicv2";
import { GicV2CpuInterface, GICC_APR0, GICC_NSAPR0 } from "./v2-cpu-interface";

export class GicV2VirtualCpuInterface extends GicV2CpuInterface {
  constructor(gic: GicV2, cpu: number) { super(gic, cpu); }

  // GICV_APR0 / GICH_APR: the active priorities of both groups.
  get apr(): number { return (this.ap[0] | this.ap[1]) >>> 0; }
  set apr(v: number) { this.ap = [v >>> 0, 0]; }

  readWord(offset: number): number {
    if (offset === GICC_APR0) return this.apr;
    if (offset === GICC_NSAPR0) return 0;
    return super.readWord(offset);
  }

  writeWord(offset: number, v: number): void {
    if (offset === GICC_APR0) { this.apr = v; this.source.changed(); return; }
    if (offset === GICC_NSAPR0) return;
    super.writeWord(offset, v);
  }
}
