// What the GICv2 CPU interface (GICC_*, IHI 0048 chapter 4.4) and the GICv3
// one (ICC_*_EL1, IHI 0069 chapter 12.2) have in common, for one CPU:
// priority masking (PMR), the binary points, the active priority registers
// (one bit per group priority, 32 with 5 priority bits, for each group) from
// which the running priority follows, preemption, acknowledge, priority drop
// and deactivation (EOImode). The register views are the subclasses'.
//
// A virtual CPU interface (GICv3 ICV_*, GICv2 GICV_*) has the same priority
// state -- the fields of ICH_VMCR_EL2 / GICH_VMCR and the virtual active
// priorities -- and the same register views; only the interrupts it
// acknowledges, ends and deactivates are a hypervisor's list registers
// instead of the Distributor's. The register views therefore act through
// `source` (an InterruptSource): the GicCpuCore itself for a physical
// interface, a ListRegisters (./list-registers) for a virtual one.
import type { GicCore } from "./core";
import { SPURIOUS, GROUP0, GROUP1, PRI_BITS, PRIO_MASK } from "./constants";

// What a CPU interface's acknowledge, end-of-interrupt and deactivate
// registers act on.
export interface InterruptSource {
  // The highest-priority pending interrupt this interface sees (SPURIOUS:
  // none), its priority and group; the priority mask and running priority aside.
  pendingId(): number;
  pendingPriority(): number;
  pendingGroup(): number;
  // Whether a pending interrupt of `prio` and `group` is signalled.
  canSignal(prio: number, group: number): boolean;
  // IAR: acknowledge the highest-priority pending interrupt if it is of
  // `group` and signalled; returns what IAR reads (SPURIOUS if none).
  acknowledge(group: number): number;
  // HPPIR: the highest-priority pending interrupt if it is of `group`.
  highestPending(group: number): number;
  endOfInterrupt(group: number, intid: number): void;  // EOIR
  deactivateDirect(intid: number): void;               // DIR
  groupOf(intid: number): number;      // the group of `intid` (GICv2's EOIR ends an interrupt of its own group); -1: unknown
  withSource(intid: number): number;   // `intid` as IAR/HPPIR report it (GICv2: with an SGI's source CPU in bits [12:10])
  changed(): void;                     // a register write changed the interface's state: recompute its outputs
}

export const MIN_BPR0 = 7 - PRI_BITS;  // 2: the group priority is all 5 bits
export const MIN_BPR1 = MIN_BPR0 + 1;  // Group 1's binary point counts one lower
export const IDLE = 0x100;             // no active priority

export interface CpuCoreState {
  pmr: number; bpr0: number; bpr1: number; cbpr: boolean; eoiMode: boolean;
  igrpen0: boolean; igrpen1: boolean; ap0: number; ap1: number;
}

export class GicCpuCore implements InterruptSource {
  pmr = 0;
  bpr0 = MIN_BPR0;
  bpr1 = MIN_BPR1;
  cbpr = false;     // Group 1 preempts by the Group 0 binary point
  eoiMode = false;  // EOI drops the priority only; DIR deactivates
  igrpen0 = false;
  igrpen1 = false;
  ap = [0, 0];      // active priorities of Group 0, Group 1
  // What the register views act on: this interface's own Distributor-backed
  // operations below, or a virtual interface's list registers.
  source: InterruptSource = this;

  constructor(protected readonly gic: GicCore, readonly cpu: number) {}

  reset(): void {
    this.pmr = 0; this.bpr0 = MIN_BPR0; this.bpr1 = MIN_BPR1; this.cbpr = false; this.eoiMode = false;
    this.igrpen0 = false; this.igrpen1 = false; this.ap = [0, 0];
  }

  groupEnabled(group: number): boolean { return group === GROUP1 ? this.igrpen1 : this.igrpen0; }

  // Whether a signalled interrupt of `group` goes out as FIQ (else IRQ).
  signalsFiq(group: number): boolean { return group === GROUP0; }

  // The running priority: that of the highest active group priority bit, or IDLE.
  runningPriority(): number {
    const all = (this.ap[0] | this.ap[1]) >>> 0;
    return all ? lowestBit(all) << (8 - PRI_BITS) : IDLE;
  }

  // The group priority field of a priority, by the binary point that applies.
  groupPriorityMask(group: number): number {
    if (group === GROUP1 && !this.cbpr) return (0xff << this.bpr1) & 0xff;
    return (0xff << (this.bpr0 + 1)) & 0xff;
  }

  // Whether a pending interrupt of `prio` is signalled: above the priority
  // mask, and its group priority above the running priority.
  canPreempt(prio: number, group: number): boolean {
    if (prio >= this.pmr) return false;
    const running = this.runningPriority();
    return running === IDLE || (prio & this.groupPriorityMask(group)) < running;
  }

  // Which group holds the highest active priority (-1: none); Group 0 on a tie.
  highestActiveGroup(): number {
    const [a0, a1] = this.ap;
    if (!a0 && !a1) return -1;
    if (!a1) return GROUP0;
    if (!a0) return GROUP1;
    return lowestBit(a0) <= lowestBit(a1) ? GROUP0 : GROUP1;
  }

  // ---- the physical interface's InterruptSource: the Distributor's interrupts ----

  pendingId(): number { return this.gic.hppiId[this.cpu]; }
  pendingPriority(): number { return this.gic.hppiPrio[this.cpu]; }
  pendingGroup(): number { return this.gic.hppiGroup[this.cpu]; }
  canSignal(prio: number, group: number): boolean { return this.canPreempt(prio, group); }

  // Acknowledge the highest-priority pending interrupt if it is of `group`
  // and signalled: its group priority becomes active. Returns what the
  // acknowledge register reads (SPURIOUS if nothing was taken).
  acknowledge(group: number): number {
    const gic = this.gic, c = this.cpu;
    const intid = gic.hppiId[c], prio = gic.hppiPrio[c];
    if (intid === SPURIOUS || gic.hppiGroup[c] !== group || !this.canPreempt(prio, group)) return SPURIOUS;
    this.activatePriority(group, prio);
    const value = gic.activate(c, intid);
    gic.update();
    return value;
  }

  // The active priority bit for `prio`'s group priority in `group`'s
  // active priority register.
  activatePriority(group: number, prio: number): void {
    this.ap[group] = (this.ap[group] | (1 << ((prio & this.groupPriorityMask(group)) >> (8 - PRI_BITS)))) >>> 0;
  }

  // End of interrupt: drop the highest active priority (if it is this
  // group's), and with EOImode = 0 deactivate the interrupt too. Special
  // INTIDs and INTIDs that do not exist are ignored.
  endOfInterrupt(group: number, intid: number): void {
    if (intid >= 1020 || intid >= this.gic.irqs || this.highestActiveGroup() !== group) return;
    const a = this.ap[group];
    this.ap[group] = (a & (a - 1)) >>> 0;
    if (!this.eoiMode) this.gic.deactivate(this.cpu, intid);
    this.gic.update();
  }

  // DIR: deactivate, with EOImode = 1 (with EOImode = 0 it is UNPREDICTABLE: ignored).
  deactivateDirect(intid: number): void {
    if (!this.eoiMode || intid >= 1020) return;
    this.gic.deactivate(this.cpu, intid);
    this.gic.update();
  }

  // The highest-priority pending interrupt if it is of `group` (the priority mask aside).
  highestPending(group: number): number {
    const c = this.cpu;
    return this.gic.hppiId[c] !== SPURIOUS && this.gic.hppiGroup[c] === group ? this.gic.hppiId[c] : SPURIOUS;
  }

  groupOf(intid: number): number { return this.gic.groupOf(this.cpu, intid); }
  withSource(intid: number): number { return intid; }
  changed(): void { this.gic.update(); }

  saveState(): CpuCoreState {
    return { pmr: this.pmr, bpr0: this.bpr0, bpr1: this.bpr1, cbpr: this.cbpr, eoiMode: this.eoiMode,
      igrpen0: this.igrpen0, igrpen1: this.igrpen1, ap0: this.ap[0], ap1: this.ap[1] };
  }

  restoreState(s: CpuCoreState): void {
    this.pmr = s.pmr & PRIO_MASK; this.bpr0 = s.bpr0 & 7; this.bpr1 = s.bpr1 & 7; this.cbpr = !!s.cbpr; this.eoiMode = !!s.eoiMode;
    this.igrpen0 = !!s.igrpen0; this.igrpen1 = !!s.igrpen1; this.ap = [s.ap0 >>> 0, s.ap1 >>> 0];
  }
}

export function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
