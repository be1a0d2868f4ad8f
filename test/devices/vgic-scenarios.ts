// Behaviour the GICv3 (ICH_*_EL2 / ICV_*_EL1) and GICv2 (GICH_* / GICV_*)
// virtual CPU interfaces share -- the list-register state machine of
// src/devices/gic/list-registers.ts -- written once against a small harness
// each test file adapts its rig to. Expectations follow the GICv3
// architecture specification (IHI 0069, chapter 6 and the ICH_* / ICV_*
// register descriptions); where GICv2 (IHI 0048 chapter 5) says the same,
// the same scenario runs against its frames.
import { expect, it } from "vitest";

export const SPURIOUS = 1023;
export const INVALID = 0, PENDING = 1, ACTIVE = 2, PENDING_ACTIVE = 3;
// ICH_HCR_EL2 / GICH_HCR
export const EN = 1 << 0, UIE = 1 << 1, LRENPIE = 1 << 2, NPIE = 1 << 3,
  VGRP0EIE = 1 << 4, VGRP0DIE = 1 << 5, VGRP1EIE = 1 << 6, VGRP1DIE = 1 << 7;
export const EOICOUNT_SHIFT = 27;
// ICH_MISR_EL2 / GICH_MISR
export const MISR_EOI = 1 << 0, MISR_U = 1 << 1, MISR_LRENP = 1 << 2, MISR_NP = 1 << 3,
  MISR_VGRP0E = 1 << 4, MISR_VGRP0D = 1 << 5, MISR_VGRP1E = 1 << 6, MISR_VGRP1D = 1 << 7;

export interface LR {
  state: number;
  vintid: number;
  prio: number;
  group: 0 | 1;
  hw?: boolean;
  pintid?: number;
  eoi?: boolean;
}

export interface VgicHarness {
  // The hypervisor's side (ICH_*_EL2 at EL2 / the GICH frame).
  writeLR(n: number, lr: LR): void;
  readLR(n: number): LR;
  setHcr(v: number): void;
  hcr(): number;
  setVmcr(f: { eng0?: boolean; eng1?: boolean; pmr?: number }): void;
  misr(): number;
  eisr(): number;
  elrsr(): number;
  // The vCPU's side (ICV_*_EL1 at EL1 with HCR_EL2.IMO/FMO / the GICV frame).
  iar(group: 0 | 1): number;
  eoi(group: 0 | 1, intid: number): void;
  dir(intid: number): void;
  hppir(group: 0 | 1): number;
  rpr(): number;
  setEoiMode(on: boolean): void;
  // Outputs: a virtual IRQ or FIQ signalled; the maintenance interrupt
  // pending at the physical GIC (its PPI, INTID 25).
  signalled(): boolean;
  maintenance(): boolean;
  // The physical GIC: bring SPI `intid` to Active at the physical CPU
  // interface with its priority dropped (as a hypervisor does before
  // handing it to a vCPU with the HW bit), and read its active state.
  physTakeSpi(intid: number): void;
  physActive(intid: number): boolean;
}

const G1 = (vintid: number, prio = 0xa0, extra: Partial<LR> = {}): LR => ({ state: PENDING, vintid, prio, group: 1, ...extra });

function enableG1(t: VgicHarness, pmr = 0xf8): void {
  t.setHcr(EN);
  t.setVmcr({ eng1: true, pmr });
}

// A pending list register is signalled; IAR returns its vINTID and makes it
// Active (no longer signalled), the running priority becomes its group
// priority; EOI (EOImode 0) deactivates it: Invalid, idle priority, and the
// list register shows as empty in ELRSR again.
export function acknowledgeAndEoi(t: VgicHarness): void {
  enableG1(t);
  t.writeLR(0, G1(42));
  expect(t.signalled()).toBe(true);
  expect(t.elrsr() & 1).toBe(0);
  expect(t.hppir(1)).toBe(42);
  expect(t.iar(1)).toBe(42);
  expect(t.readLR(0).state).toBe(ACTIVE);
  expect(t.signalled()).toBe(false);
  expect(t.rpr()).toBe(0xa0);
  expect(t.iar(1)).toBe(SPURIOUS);
  t.eoi(1, 42);
  expect(t.readLR(0).state).toBe(INVALID);
  expect(t.rpr()).toBe(0xff);
  expect(t.elrsr() & 1).toBe(1);
}

// VPMR masks a priority equal to or lower than it; HPPIR ignores the mask.
export function priorityMask(t: VgicHarness): void {
  enableG1(t, 0x80);
  t.writeLR(1, G1(50, 0x80));
  expect(t.signalled()).toBe(false);
  expect(t.iar(1)).toBe(SPURIOUS);
  expect(t.readLR(1).state).toBe(PENDING);
  expect(t.hppir(1)).toBe(50);
  t.setVmcr({ eng1: true, pmr: 0x88 });
  expect(t.signalled()).toBe(true);
  expect(t.iar(1)).toBe(50);
}

// A list register of a disabled virtual group is no candidate at all (not
// even for HPPIR); a Group 1 acknowledge does not take a Group 0 interrupt.
export function groupEnables(t: VgicHarness): void {
  t.setHcr(EN);
  t.setVmcr({ eng0: false, eng1: false, pmr: 0xf8 });
  t.writeLR(0, G1(60));
  expect(t.signalled()).toBe(false);
  expect(t.hppir(1)).toBe(SPURIOUS);
  expect(t.iar(1)).toBe(SPURIOUS);
  t.setVmcr({ eng0: false, eng1: true, pmr: 0xf8 });
  expect(t.signalled()).toBe(true);
  t.writeLR(0, { state: PENDING, vintid: 61, prio: 0xa0, group: 0 });
  expect(t.signalled()).toBe(false);      // Group 0 disabled
  t.setVmcr({ eng0: true, eng1: true, pmr: 0xf8 });
  expect(t.signalled()).toBe(true);
  expect(t.hppir(1)).toBe(SPURIOUS);
  expect(t.iar(1)).toBe(SPURIOUS);
  expect(t.hppir(0)).toBe(61);
  expect(t.iar(0)).toBe(61);
  t.eoi(0, 61);
  expect(t.readLR(0).state).toBe(INVALID);
}

// ICH_HCR_EL2.En = 0: the virtual CPU interface signals nothing and IAR
// takes nothing.
export function interfaceDisabled(t: VgicHarness): void {
  t.setVmcr({ eng1: true, pmr: 0xf8 });
  t.setHcr(0);
  t.writeLR(0, G1(70));
  expect(t.signalled()).toBe(false);
  expect(t.iar(1)).toBe(SPURIOUS);
  expect(t.readLR(0).state).toBe(PENDING);
  t.setHcr(EN);
  expect(t.signalled()).toBe(true);
}

// The highest-priority pending list register is presented; an active one
// holds back equal and lower priorities and is preempted by a higher group
// priority; EOIs unwind the running priority.
export function preemption(t: VgicHarness): void {
  enableG1(t);
  t.writeLR(0, G1(40, 0xa0));
  t.writeLR(1, G1(41, 0x80));
  expect(t.hppir(1)).toBe(41);
  expect(t.iar(1)).toBe(41);                // the highest priority
  expect(t.signalled()).toBe(false);        // 40 is lower
  t.writeLR(2, G1(42, 0x80));
  expect(t.signalled()).toBe(false);        // the same group priority as the running one does not preempt
  t.writeLR(3, G1(43, 0x40));
  expect(t.signalled()).toBe(true);
  expect(t.iar(1)).toBe(43);
  expect(t.rpr()).toBe(0x40);
  t.eoi(1, 43);
  expect(t.rpr()).toBe(0x80);
  t.eoi(1, 41);
  expect(t.rpr()).toBe(0xff);
  expect(t.iar(1)).toBe(42);
  t.eoi(1, 42);
  expect(t.iar(1)).toBe(40);
}

// EOImode = 1 (ICV_CTLR_EL1.EOImode, ICH_VMCR_EL2.VEOIM): EOI drops the
// priority only, DIR deactivates. With EOImode = 0 DIR does nothing.
export function eoiModeSplit(t: VgicHarness): void {
  enableG1(t);
  t.setEoiMode(true);
  t.writeLR(0, G1(80));
  expect(t.iar(1)).toBe(80);
  t.eoi(1, 80);
  expect(t.rpr()).toBe(0xff);
  expect(t.readLR(0).state).toBe(ACTIVE);
  t.dir(80);
  expect(t.readLR(0).state).toBe(INVALID);
  t.setEoiMode(false);
  t.writeLR(0, G1(81));
  expect(t.iar(1)).toBe(81);
  t.dir(81);
  expect(t.readLR(0).state).toBe(ACTIVE);
  t.eoi(1, 81);
  expect(t.readLR(0).state).toBe(INVALID);
}

// An Active and Pending list register is not a candidate; deactivating it
// leaves it Pending, and it is signalled again.
export function activeAndPending(t: VgicHarness): void {
  enableG1(t);
  t.writeLR(0, { ...G1(90), state: PENDING_ACTIVE });
  expect(t.signalled()).toBe(false);
  expect(t.hppir(1)).toBe(SPURIOUS);
  t.setEoiMode(true);
  t.dir(90);
  expect(t.readLR(0).state).toBe(PENDING);
  expect(t.signalled()).toBe(true);
}

// HW = 1: deactivating the virtual interrupt deactivates the physical
// interrupt pINTID -- at EOI with EOImode 0, at DIR with EOImode 1.
export function hardwareDeactivation(t: VgicHarness): void {
  enableG1(t);
  t.physTakeSpi(40);
  expect(t.physActive(40)).toBe(true);
  t.writeLR(0, G1(27, 0xa0, { hw: true, pintid: 40 }));
  expect(t.iar(1)).toBe(27);
  expect(t.physActive(40)).toBe(true);
  t.eoi(1, 27);
  expect(t.readLR(0).state).toBe(INVALID);
  expect(t.physActive(40)).toBe(false);

  t.physTakeSpi(41);
  t.setEoiMode(true);
  t.writeLR(1, G1(28, 0xa0, { hw: true, pintid: 41 }));
  expect(t.iar(1)).toBe(28);
  t.eoi(1, 28);
  expect(t.physActive(41)).toBe(true);      // priority drop only
  t.dir(28);
  expect(t.readLR(1).state).toBe(INVALID);
  expect(t.physActive(41)).toBe(false);
}

// ICH_ELRSR_EL2: an Invalid list register is free unless it waits for its
// EOI maintenance interrupt (EOI = 1, HW = 0); ICH_EISR_EL2 shows those.
export function elrsrAndEisr(t: VgicHarness): void {
  enableG1(t);
  t.writeLR(0, { state: INVALID, vintid: 0, prio: 0, group: 0 });
  t.writeLR(1, { state: INVALID, vintid: 5, prio: 0, group: 1, eoi: true });
  t.writeLR(2, { state: INVALID, vintid: 6, prio: 0, group: 1, hw: true, pintid: 50 });
  t.writeLR(3, G1(7));
  expect(t.elrsr()).toBe(0b0101);
  expect(t.eisr()).toBe(0b0010);
}

// EOI maintenance: a list register with EOI = 1 that becomes Invalid sets
// its ICH_EISR_EL2 bit and ICH_MISR_EL2.EOI, which with En asserts the
// maintenance interrupt until the hypervisor rewrites the list register.
export function eoiMaintenance(t: VgicHarness): void {
  enableG1(t);
  t.writeLR(0, G1(100, 0xa0, { eoi: true }));
  expect(t.eisr()).toBe(0);
  expect(t.misr() & MISR_EOI).toBe(0);
  expect(t.maintenance()).toBe(false);
  expect(t.iar(1)).toBe(100);
  t.eoi(1, 100);
  expect(t.readLR(0).state).toBe(INVALID);
  expect(t.eisr()).toBe(1);
  expect(t.elrsr() & 1).toBe(0);
  expect(t.misr() & MISR_EOI).toBe(MISR_EOI);
  expect(t.maintenance()).toBe(true);
  t.writeLR(0, { state: INVALID, vintid: 0, prio: 0, group: 0 });
  expect(t.eisr()).toBe(0);
  expect(t.maintenance()).toBe(false);
}

// Underflow (UIE): asserted while zero or one list register is valid.
export function underflow(t: VgicHarness): void {
  t.setVmcr({ eng1: true, pmr: 0xf8 });
  t.setHcr(EN | UIE);
  expect(t.misr() & MISR_U).toBe(MISR_U);     // none valid
  t.writeLR(0, G1(110));
  t.writeLR(1, G1(111));
  expect(t.misr() & MISR_U).toBe(0);
  expect(t.maintenance()).toBe(false);
  expect(t.iar(1)).toBe(110);
  t.eoi(1, 110);
  expect(t.misr() & MISR_U).toBe(MISR_U);     // one valid
  expect(t.maintenance()).toBe(true);
}

// No Pending (NPIE): asserted while no list register is Pending.
export function noPending(t: VgicHarness): void {
  t.setVmcr({ eng1: true, pmr: 0xf8 });
  t.setHcr(EN | NPIE);
  t.writeLR(0, G1(120));
  expect(t.misr() & MISR_NP).toBe(0);
  expect(t.iar(1)).toBe(120);                  // Active now: nothing Pending
  expect(t.misr() & MISR_NP).toBe(MISR_NP);
  expect(t.maintenance()).toBe(true);
}

// An EOI or DIR that would deactivate an interrupt no list register holds
// (the hypervisor took it out while it was active) counts in
// ICH_HCR_EL2.EOIcount; with LRENPIE, a non-zero count is a maintenance
// interrupt (MISR.LRENP). An EOIR with EOImode 1 deactivates nothing: no count.
export function eoiCount(t: VgicHarness): void {
  enableG1(t);
  t.writeLR(0, G1(130));
  expect(t.iar(1)).toBe(130);
  t.writeLR(0, { state: INVALID, vintid: 0, prio: 0, group: 0 });  // evicted while active
  t.eoi(1, 130);
  expect(t.rpr()).toBe(0xff);
  expect(t.hcr() >>> EOICOUNT_SHIFT).toBe(1);
  expect(t.misr() & MISR_LRENP).toBe(0);       // LRENPIE clear
  t.setHcr(t.hcr() | LRENPIE);
  expect(t.misr() & MISR_LRENP).toBe(MISR_LRENP);
  expect(t.maintenance()).toBe(true);
  t.setHcr(EN);                                 // EOIcount written back to 0
  expect(t.maintenance()).toBe(false);

  t.setEoiMode(true);
  t.writeLR(0, G1(131));
  expect(t.iar(1)).toBe(131);
  t.writeLR(0, { state: INVALID, vintid: 0, prio: 0, group: 0 });
  t.eoi(1, 131);
  expect(t.hcr() >>> EOICOUNT_SHIFT).toBe(0);
  t.dir(131);
  expect(t.hcr() >>> EOICOUNT_SHIFT).toBe(1);
}

// VGrp0EIE / VGrp0DIE / VGrp1EIE / VGrp1DIE follow the virtual group enables.
export function groupEnableMaintenance(t: VgicHarness): void {
  t.setHcr(EN | VGRP0EIE | VGRP0DIE | VGRP1EIE | VGRP1DIE);
  t.setVmcr({ eng0: false, eng1: false });
  expect(t.misr()).toBe(MISR_VGRP0D | MISR_VGRP1D);
  t.setVmcr({ eng0: true, eng1: false });
  expect(t.misr()).toBe(MISR_VGRP0E | MISR_VGRP1D);
  t.setVmcr({ eng0: false, eng1: true });
  expect(t.misr()).toBe(MISR_VGRP0D | MISR_VGRP1E);
  expect(t.maintenance()).toBe(true);
  t.setHcr(EN | VGRP1DIE);
  expect(t.misr()).toBe(0);
  expect(t.maintenance()).toBe(false);
}

// Without ICH_HCR_EL2.En there is no maintenance interrupt, whatever MISR says.
export function maintenanceNeedsEn(t: VgicHarness): void {
  t.setHcr(NPIE);
  expect(t.misr() & MISR_NP).toBe(MISR_NP);
  expect(t.maintenance()).toBe(false);
  t.setHcr(NPIE | EN);
  expect(t.maintenance()).toBe(true);
}

export function sharedVgicScenarios(rig: () => VgicHarness): void {
  for (const [name, scenario] of [
    ["LR Pending: signalled; IAR returns the vINTID and makes it Active; EOI makes it Invalid", acknowledgeAndEoi],
    ["VPMR masks equal and lower priorities; HPPIR ignores the mask", priorityMask],
    ["a list register of a disabled virtual group is no candidate; IAR1 does not take Group 0", groupEnables],
    ["ICH_HCR_EL2.En = 0: nothing signalled or acknowledged", interfaceDisabled],
    ["presents the highest priority, preempts by group priority, EOIs unwind the running priority", preemption],
    ["EOImode 1: EOI drops the priority, DIR deactivates; DIR ignored with EOImode 0", eoiModeSplit],
    ["Active and Pending is not signalled; deactivation leaves it Pending", activeAndPending],
    ["HW = 1: deactivating the virtual interrupt deactivates pINTID (EOI, or DIR with EOImode 1)", hardwareDeactivation],
    ["ELRSR: Invalid and not waiting for an EOI maintenance interrupt; EISR: Invalid with EOI and not HW", elrsrAndEisr],
    ["EOI maintenance interrupt until the hypervisor rewrites the list register", eoiMaintenance],
    ["UIE: underflow while at most one list register is valid", underflow],
    ["NPIE: no list register Pending", noPending],
    ["EOIcount counts deactivations of interrupts in no list register; LRENPIE", eoiCount],
    ["VGrp0EIE/VGrp0DIE/VGrp1EIE/VGrp1DIE follow the virtual group enables", groupEnableMaintenance],
    ["no maintenance interrupt without ICH_HCR_EL2.En", maintenanceNeedsEn],
  ] as const) {
    it(name, () => scenario(rig()));
  }
}
