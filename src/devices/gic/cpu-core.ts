// What the GICv2 CPU interface (GICC_*, IHI 0048 chapter 4.4) and the GICv3
// one (ICC_*_EL1, IHI 0069 chapter 12.2) have in common, for one CPU:
// priority masking (PMR), the binary points, the active priority registers
// (one bit per group priority, 32 with 5 priority bits, for each group) from
// which the running priority follows, preemption, acknowledge, priority drop
// and deactivation (EOImode). The register views are the subclasses'.
import type { GicCore } from "./core";
import { SPURIOUS, GROUP0, GROUP1, PRI_BITS, PRIO_MASK } from "./constants";

export const MIN_BPR0 = 7 - PRI_BITS;  // 2: the group priority is all 5 bits
export const MIN_BPR1 = MIN_BPR0 + 1;  // Group 1's binary point counts one lower
export const IDLE = 0x100;             // no active priority

export interface CpuCoreState {
  pmr: number; bpr0: number; bpr1: number; cbpr: boolean; eoiMode: boolean;
  igrpen0: boolean; igrpen1: boolean; ap0: number; ap1: number;
}

export class GicCpuCore {
  pmr = 0;
  bpr0 = MIN_BPR0;
  bpr1 = MIN_BPR1;
  cbpr = false;     // Group 1 preempts by the Group 0 binary point
  eoiMode = false;  // EOI drops the priority only; DIR deactivates
  igrpen0 = false;
  igrpen1 = false;
  ap = [0, 0];      // active priorities of Group 0, Group 1

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
  protected groupPriorityMask(group: number): number {
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
  protected highestActiveGroup(): number {
    const [a0, a1] = this.ap;
    if (!a0 && !a1) return -1;
    if (!a1) return GROUP0;
    if (!a0) return GROUP1;
    return lowestBit(a0) <= lowestBit(a1) ? GROUP0 : GROUP1;
  }

  // Acknowledge the highest-priority pending interrupt if it is of `group`
  // and signalled: its group priority becomes active. Returns what the
  // acknowledge register reads (SPURIOUS if nothing was taken).
  protected acknowledge(group: number): number {
    const gic = this.gic, c = this.cpu;
    const intid = gic.hppiId[c], prio = gic.hppiPrio[c];
    if (intid === SPURIOUS || gic.hppiGroup[c] !== group || !this.canPreempt(prio, group)) return SPURIOUS;
    this.ap[group] = (this.ap[group] | (1 << ((prio & this.groupPriorityMask(group)) >> (8 - PRI_BITS)))) >>> 0;
    const value = gic.activate(c, intid);
    gic.update();
    return value;
  }

  // End of interrupt: drop the highest active priority (if it is this
  // group's), and with EOImode = 0 deactivate the interrupt too. Special
  // INTIDs are ignored.
  protected endOfInterrupt(group: number, intid: number): void {
    if (intid >= 1020 || this.highestActiveGroup() !== group) return;
    const a = this.ap[group];
    this.ap[group] = (a & (a - 1)) >>> 0;
    if (!this.eoiMode) this.gic.deactivate(this.cpu, intid);
    this.gic.update();
  }

  // DIR: deactivate, with EOImode = 1 (with EOImode = 0 it is UNPREDICTABLE: ignored).
  protected deactivateDirect(intid: number): void {
    if (!this.eoiMode || intid >= 1020) return;
    this.gic.deactivate(this.cpu, intid);
    this.gic.update();
  }

  // The highest-priority pending interrupt if it is of `group` (the priority mask aside).
  protected highestPending(group: number): number {
    const c = this.cpu;
    return this.gic.hppiId[c] !== SPURIOUS && this.gic.hppiGroup[c] === group ? this.gic.hppiId[c] : SPURIOUS;
  }

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
