// The list registers of one CPU's virtual CPU interface, and their state
// machine -- what the GICv3 (IHI 0069 chapter 6, "Virtual interrupt
// handling and prioritization", and the ICH_*_EL2 / ICV_*_EL1 registers) and
// GICv2 (IHI 0048 chapter 5, GICH_* / GICV_*) virtualization extensions have
// in common. A hypervisor at EL2 writes virtual interrupts into list
// registers; the virtual CPU interface signals the highest-priority pending
// one to the vCPU as a virtual IRQ or FIQ; the vCPU acknowledges, ends and
// deactivates it through the ICV_* (GICV_*) registers; maintenance
// interrupts tell the hypervisor when the list registers need it.
//
// The virtual CPU interface's priority state -- ICH_VMCR_EL2's VPMR, VBPR0,
// VBPR1, VCBPR, VEOIM, VENG0, VENG1 and the virtual active priorities
// (ICH_AP0R0/AP1R0_EL2) -- is the GicCpuCore `vcpu` (./cpu-core), whose
// priority rules are the physical interface's. The list-register formats
// (64-bit ICH_LR<n>_EL2, 32-bit GICH_LR<n>) are the register views'
// (./ich-registers, ./v2-hyp-interface); here a list register is its fields.
import type { GicCore } from "./core";
import type { GicCpuCore, InterruptSource } from "./cpu-core";
import { SPURIOUS, GROUP0, PRI_BITS, MAINTENANCE_INTID } from "./constants";
import { IDLE, lowestBit } from "./cpu-core";

// As a Cortex-A57's GIC CPU interface (ICH_VTR_EL2.ListRegs = 3).
export const LIST_REGS = 4;

// ICH_LR<n>_EL2.State / GICH_LR<n>.State.
export const LR_INVALID = 0, LR_PENDING = 1, LR_ACTIVE = 2, LR_PENDING_ACTIVE = 3;

// ICH_HCR_EL2 / GICH_HCR.
export const HCR_EN = 1 << 0;        // virtual CPU interface enabled
export const HCR_UIE = 1 << 1;       // underflow: at most one valid list register
export const HCR_LRENPIE = 1 << 2;   // List Register Entry Not Present: EOIcount != 0
export const HCR_NPIE = 1 << 3;      // no list register pending
export const HCR_VGRP0EIE = 1 << 4;  // virtual Group 0 enabled
export const HCR_VGRP0DIE = 1 << 5;  // virtual Group 0 disabled
export const HCR_VGRP1EIE = 1 << 6;  // virtual Group 1 enabled
export const HCR_VGRP1DIE = 1 << 7;  // virtual Group 1 disabled
export const HCR_EOICOUNT_SHIFT = 27;
export const HCR_EOICOUNT_MASK = 0x1f << HCR_EOICOUNT_SHIFT;

// ICH_MISR_EL2 / GICH_MISR.
export const MISR_EOI = 1 << 0, MISR_U = 1 << 1, MISR_LRENP = 1 << 2, MISR_NP = 1 << 3,
  MISR_VGRP0E = 1 << 4, MISR_VGRP0D = 1 << 5, MISR_VGRP1E = 1 << 6, MISR_VGRP1D = 1 << 7;

const FIRST_SPECIAL = 1020, LAST_SPECIAL = 1023; // INTIDs 1020-1023
const FIRST_LPI = 8192;                          // LPIs have no active state

export interface ListRegister {
  state: number;     // LR_*
  vintid: number;    // the virtual INTID the vCPU sees
  pintid: number;    // with hw: the physical INTID deactivated with it
  priority: number;  // 8-bit priority (the low bits beyond the implemented ones are 0)
  group: number;     // 0 or 1
  hw: boolean;       // a hardware interrupt: deactivating the virtual one deactivates pintid
  eoi: boolean;      // without hw: EOI maintenance interrupt when it becomes invalid
  cpuid: number;     // GICv2, without hw: the source CPU an SGI reports in IAR bits [12:10]
}

export interface ListRegistersState {
  hcr: number;
  lr: [number, number, number, number, number, boolean, boolean, number][];
}

function emptyLR(): ListRegister {
  return { state: LR_INVALID, vintid: 0, pintid: 0, priority: 0, group: 0, hw: false, eoi: false, cpuid: 0 };
}

const isSpecial = (intid: number) => intid >= FIRST_SPECIAL && intid <= LAST_SPECIAL;

export class ListRegisters implements InterruptSource {
  readonly lr: ListRegister[] = Array.from({ length: LIST_REGS }, emptyLR);
  hcr = 0; // ICH_HCR_EL2 (GICH_HCR is its low byte and EOIcount)

  constructor(readonly vcpu: GicCpuCore, private readonly gic: GicCore, readonly cpu: number) {}

  reset(): void {
    for (let i = 0; i < LIST_REGS; i++) this.lr[i] = emptyLR();
    this.hcr = 0;
  }

  // HighestPriorityVirtualInterrupt: the list register holding the
  // highest-priority Pending (not Active and Pending) interrupt of an
  // enabled virtual group, the lowest-numbered on a tie; -1 if none.
  highestPendingIndex(): number {
    let best = -1, bestPrio = 0x100;
    for (let i = 0; i < LIST_REGS; i++) {
      const r = this.lr[i];
      if (r.state !== LR_PENDING || !this.vcpu.groupEnabled(r.group)) continue;
      if (r.priority < bestPrio) { best = i; bestPrio = r.priority; }
    }
    return best;
  }

  // The list register holding `intid` Active (or Active and Pending), or -1
  // (FindActiveVirtualInterrupt).
  findActive(intid: number): number {
    for (let i = 0; i < LIST_REGS; i++) if ((this.lr[i].state & LR_ACTIVE) !== 0 && this.lr[i].vintid === intid) return i;
    return -1;
  }

  // ---- InterruptSource: what the ICV_* / GICV_* registers act on ----

  pendingId(): number { const i = this.highestPendingIndex(); return i < 0 ? SPURIOUS : this.lr[i].vintid; }
  pendingPriority(): number { const i = this.highestPendingIndex(); return i < 0 ? 0x100 : this.lr[i].priority; }
  pendingGroup(): number { const i = this.highestPendingIndex(); return i < 0 ? GROUP0 : this.lr[i].group; }

  // CanSignalVirtualInterrupt: the virtual CPU interface enabled
  // (ICH_HCR_EL2.En), the priority above VPMR and the group priority above
  // the virtual running priority.
  canSignal(prio: number, group: number): boolean {
    return (this.hcr & HCR_EN) !== 0 && this.vcpu.canPreempt(prio, group);
  }

  // ICV_IAR0/1: the highest-priority pending virtual interrupt, if it is of
  // `group` and can be signalled, goes Pending -> Active (an LPI, which has
  // no active state, -> Invalid) and its group priority becomes active. A
  // special INTID a hypervisor wrote (1020-1023) is returned as it is and its
  // list register invalidated, without a priority change.
  acknowledge(group: number): number {
    const i = this.highestPendingIndex();
    if (i < 0) return SPURIOUS;
    const r = this.lr[i];
    if (r.group !== group || !this.canSignal(r.priority, group)) return SPURIOUS;
    if (isSpecial(r.vintid)) {
      r.state = LR_INVALID;
    } else {
      this.vcpu.activatePriority(group, r.priority);
      r.state = r.vintid >= FIRST_LPI ? LR_INVALID : LR_ACTIVE;
    }
    const value = this.withCpuid(r);
    this.update();
    return value;
  }

  // ICV_HPPIR0/1: the highest-priority pending virtual interrupt if it is of `group`.
  highestPending(group: number): number {
    const i = this.highestPendingIndex();
    return i >= 0 && this.lr[i].group === group ? this.lr[i].vintid : SPURIOUS;
  }

  // ICV_EOIR0/1: drop the highest active virtual priority (of either group,
  // Group 0 on a tie). With ICH_VMCR_EL2.VEOIM = 0 the interrupt is also
  // deactivated -- if its list register is found and matches the group and
  // the priority dropped (otherwise UNPREDICTABLE: nothing); if no list
  // register holds it, ICH_HCR_EL2.EOIcount counts the deactivation the
  // hypervisor must do. With no active priority at all nothing happens (the
  // CONSTRAINED UNPREDICTABLE choice of not checking the list registers).
  endOfInterrupt(group: number, intid: number): void {
    if (isSpecial(intid)) return;
    const dropped = this.dropPriority();
    if (dropped === IDLE) return;
    const i = this.findActive(intid);
    if (i < 0) {
      if (!this.vcpu.eoiMode) this.countEoi(intid);
    } else {
      const r = this.lr[i];
      if (!this.vcpu.eoiMode && r.group === group && (r.priority & this.vcpu.groupPriorityMask(group)) === dropped) this.deactivate(i);
    }
    this.update();
  }

  // ICV_DIR: with VEOIM = 1, deactivate the list register holding `intid`,
  // or count it in EOIcount if none does. With VEOIM = 0 it is
  // UNPREDICTABLE: ignored.
  deactivateDirect(intid: number): void {
    if (!this.vcpu.eoiMode || isSpecial(intid)) return;
    const i = this.findActive(intid);
    if (i < 0) this.countEoi(intid); else this.deactivate(i);
    this.update();
  }

  // The group of the active list register holding `intid`; -1 when none
  // does (its EOI still drops the priority and counts in EOIcount).
  groupOf(intid: number): number {
    const i = this.findActive(intid);
    return i < 0 ? -1 : this.lr[i].group;
  }

  // For HPPIR: the pending list register `intid` came from.
  withSource(intid: number): number {
    const i = this.highestPendingIndex();
    return i >= 0 && this.lr[i].vintid === intid ? this.withCpuid(this.lr[i]) : intid;
  }

  changed(): void { this.update(); }

  private withCpuid(r: ListRegister): number {
    return r.vintid < 16 && !r.hw ? r.vintid | (r.cpuid << 10) : r.vintid;
  }

  // Clear the lowest set bit of the virtual active priorities (Group 0 first
  // on a tie) and return the priority it stood for, or IDLE.
  private dropPriority(): number {
    const g = this.vcpu.highestActiveGroup();
    if (g < 0) return IDLE;
    const a = this.vcpu.ap[g], bit = lowestBit(a);
    this.vcpu.ap[g] = (a & (a - 1)) >>> 0;
    return bit << (8 - PRI_BITS);
  }

  // Active -> Invalid, Active and Pending -> Pending; a hardware interrupt's
  // physical INTID is deactivated in the Distributor/Redistributor too.
  private deactivate(i: number): void {
    const r = this.lr[i];
    r.state &= ~LR_ACTIVE;
    if (r.hw && !isSpecial(r.pintid) && r.pintid < this.gic.irqs) {
      this.gic.deactivate(this.cpu, r.pintid);
      this.gic.update();
    }
  }

  // EOIcount counts deactivations of interrupts no list register holds (LPIs aside).
  private countEoi(intid: number): void {
    if (intid >= FIRST_LPI) return;
    const n = ((this.hcr & HCR_EOICOUNT_MASK) >>> HCR_EOICOUNT_SHIFT) + 1;
    this.hcr = ((this.hcr & ~HCR_EOICOUNT_MASK) | ((n & 0x1f) << HCR_EOICOUNT_SHIFT)) >>> 0;
  }

  // ---- the hypervisor's status registers ----

  // ICH_EISR_EL2: list registers with an EOI maintenance interrupt -- Invalid, not hw, EOI set.
  eisr(): number {
    let v = 0;
    for (let i = 0; i < LIST_REGS; i++) {
      const r = this.lr[i];
      if (r.state === LR_INVALID && !r.hw && r.eoi) v |= 1 << i;
    }
    return v;
  }

  // ICH_ELRSR_EL2: list registers free for a new interrupt -- Invalid, and
  // not waiting for an EOI maintenance interrupt.
  elrsr(): number {
    let v = 0;
    for (let i = 0; i < LIST_REGS; i++) {
      const r = this.lr[i];
      if (r.state === LR_INVALID && (r.hw || !r.eoi)) v |= 1 << i;
    }
    return v;
  }

  // ICH_MISR_EL2: the maintenance interrupt conditions that hold.
  misr(): number {
    const h = this.hcr, v = this.vcpu;
    let valid = 0, pending = false;
    for (const r of this.lr) {
      if (r.state !== LR_INVALID) valid++;
      if (r.state === LR_PENDING) pending = true;
    }
    let m = 0;
    if (this.eisr() !== 0) m |= MISR_EOI;
    if ((h & HCR_UIE) && valid <= 1) m |= MISR_U;
    if ((h & HCR_LRENPIE) && (h & HCR_EOICOUNT_MASK) !== 0) m |= MISR_LRENP;
    if ((h & HCR_NPIE) && !pending) m |= MISR_NP;
    if ((h & HCR_VGRP0EIE) && v.igrpen0) m |= MISR_VGRP0E;
    if ((h & HCR_VGRP0DIE) && !v.igrpen0) m |= MISR_VGRP0D;
    if ((h & HCR_VGRP1EIE) && v.igrpen1) m |= MISR_VGRP1E;
    if ((h & HCR_VGRP1DIE) && !v.igrpen1) m |= MISR_VGRP1D;
    return m;
  }

  // Recompute the outputs: the virtual IRQ/FIQ for the highest-priority
  // pending list register if it can be signalled (Group 1 as vIRQ, Group 0
  // as vFIQ -- for GICv2 only with GICV_CTLR.FIQEn), and the maintenance
  // interrupt: ICH_HCR_EL2.En and any ICH_MISR_EL2 condition.
  update(): void {
    const i = this.highestPendingIndex();
    let virq = false, vfiq = false;
    if (i >= 0 && this.canSignal(this.lr[i].priority, this.lr[i].group)) {
      if (this.vcpu.signalsFiq(this.lr[i].group)) vfiq = true; else virq = true;
    }
    this.gic.setVirtualOutputs(this.cpu, virq, vfiq);
    this.gic.setPpi(this.cpu, MAINTENANCE_INTID, (this.hcr & HCR_EN) !== 0 && this.misr() !== 0);
  }

  // ---- snapshots ----

  saveState(): ListRegistersState {
    return { hcr: this.hcr, lr: this.lr.map((r) => [r.state, r.vintid, r.pintid, r.priority, r.group, r.hw, r.eoi, r.cpuid]) };
  }

  restoreState(s: ListRegistersState): void {
    if (!Array.isArray(s.lr) || s.lr.length !== LIST_REGS) throw new Error("GIC: malformed list-register snapshot");
    this.hcr = s.hcr >>> 0;
    s.lr.forEach(([state, vintid, pintid, priority, group, hw, eoi, cpuid], i) => {
      this.lr[i] = { state: state & 3, vintid: vintid >>> 0, pintid: pintid >>> 0, priority: priority & 0xff, group: group & 1, hw: !!hw, eoi: !!eoi, cpuid: cpuid & 7 };
    });
  }
}
