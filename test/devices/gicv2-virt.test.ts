// GICv2 virtualization extensions (IHI 0048B chapter 5): the virtual
// interface control registers (GICH_*, at 0x0803_0000 on the virt board) a
// hypervisor programs and the virtual CPU interface (GICV_*, 0x0804_0000) a
// guest uses as its GICC, both banked per CPU; virtual IRQ/FIQ outputs and
// the maintenance interrupt (PPI 9, INTID 25). The list-register state
// machine is exercised by the scenarios shared with GICv3 (./vgic-scenarios).
import { describe, it, expect } from "vitest";
import { GicV2 } from "../../src/devices/gicv2";
import { sharedVgicScenarios, type LR, type VgicHarness, PENDING, ACTIVE, EN, SPURIOUS } from "./vgic-scenarios";

const GICD_CTLR = 0x0, GICD_IGROUPR = 0x80, GICD_ISENABLER = 0x100, GICD_ISPENDR = 0x200, GICD_ISACTIVER = 0x300,
  GICD_IPRIORITYR = 0x400, GICD_ICFGR = 0xc00;
const GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c, GICC_EOIR = 0x10, GICC_RPR = 0x14,
  GICC_HPPIR = 0x18, GICC_ABPR = 0x1c, GICC_AIAR = 0x20, GICC_AEOIR = 0x24, GICC_AHPPIR = 0x28, GICC_APR0 = 0xd0,
  GICC_NSAPR0 = 0xe0, GICC_DIR = 0x1000;
const GICH_HCR = 0x00, GICH_VTR = 0x04, GICH_VMCR = 0x08, GICH_MISR = 0x10, GICH_EISR0 = 0x20, GICH_EISR1 = 0x24,
  GICH_ELRSR0 = 0x30, GICH_ELRSR1 = 0x34, GICH_APR = 0xf0, GICH_LR0 = 0x100;
const VMCR_GRP0 = 1, VMCR_GRP1 = 2, VMCR_ACKCTL = 4, VMCR_FIQEN = 8, VMCR_VEM = 1 << 9;
const CTLR_EOIMODE = 1 << 9;

// GICH_LR<n> as IHI 0048B 5.3.11 lays it out.
function encodeLR(l: LR & { cpuid?: number }): number {
  let v = l.vintid | ((l.prio >> 3) << 23) | (l.state << 28) | (l.group << 30);
  if (l.hw) v |= (1 << 31) | ((l.pintid ?? 0) << 10);
  else v |= (l.eoi ? 1 << 19 : 0) | ((l.cpuid ?? 0) << 10);
  return v >>> 0;
}
function decodeLR(v: number): LR {
  const hw = (v >>> 31) === 1;
  return {
    state: (v >>> 28) & 3, vintid: v & 0x3ff, prio: ((v >>> 23) & 0x1f) << 3, group: ((v >>> 30) & 1) as 0 | 1,
    hw, pintid: hw ? (v >>> 10) & 0x3ff : undefined, eoi: !hw && ((v >>> 19) & 1) === 1,
  };
}

class Rig implements VgicHarness {
  readonly gic: GicV2;
  cur = 0;
  constructor(cpus = 1) {
    this.gic = new GicV2({ cpus, currentCpu: () => this.cur });
    // As a hypervisor sets up the physical GIC: both groups, SPIs 40-47
    // edge-triggered Group 1 with CPU 0's target, the maintenance PPI
    // enabled, EOImode 1.
    this.dw(GICD_CTLR, 3);
    this.dw(GICD_IGROUPR + 4, 0xffff_ffff);
    this.dw(GICD_ICFGR + 8, 0xaaaa_aaaa);
    this.dw(GICD_ISENABLER + 4, 0xff00);
    for (let i = 40; i < 48; i += 4) this.dw(GICD_IPRIORITYR + i, 0x8080_8080);
    for (let c = 0; c < cpus; c++) {
      this.cur = c;
      this.dw(GICD_ISENABLER, 1 << 25);
      this.cw(GICC_PMR, 0xff);
      this.cw(GICC_CTLR, 3 | 4 | CTLR_EOIMODE);
    }
    this.cur = 0;
  }
  dw(off: number, v: number): void { this.gic.distributor.write(off, 4, BigInt(v >>> 0)); }
  d(off: number): number { return Number(this.gic.distributor.read(off, 4)); }
  cw(off: number, v: number): void { this.gic.cpuInterface.write(off, 4, BigInt(v >>> 0)); }
  c(off: number): number { return Number(this.gic.cpuInterface.read(off, 4)); }
  h(off: number): number { return Number(this.gic.hypInterface.read(off, 4)); }
  hw(off: number, v: number): void { this.gic.hypInterface.write(off, 4, BigInt(v >>> 0)); }
  v(off: number): number { return Number(this.gic.virtualCpuInterface.read(off, 4)); }
  vw(off: number, v: number): void { this.gic.virtualCpuInterface.write(off, 4, BigInt(v >>> 0)); }

  writeLR(n: number, lr: LR): void { this.hw(GICH_LR0 + 4 * n, encodeLR(lr)); }
  readLR(n: number): LR { return decodeLR(this.h(GICH_LR0 + 4 * n)); }
  setHcr(v: number): void { this.hw(GICH_HCR, v); }
  hcr(): number { return this.h(GICH_HCR); }
  setVmcr(f: { eng0?: boolean; eng1?: boolean; pmr?: number }): void {
    const old = this.h(GICH_VMCR);
    this.hw(GICH_VMCR, (old & 0x07ff_fffc) | (f.eng0 ? VMCR_GRP0 : 0) | (f.eng1 ? VMCR_GRP1 : 0) | (((f.pmr ?? 0) >> 3) << 27));
  }
  misr(): number { return this.h(GICH_MISR); }
  eisr(): number { return this.h(GICH_EISR0); }
  elrsr(): number { return this.h(GICH_ELRSR0); }
  // Group 1 through the aliased registers, Group 0 through IAR/EOIR/HPPIR.
  iar(g: 0 | 1): number { return this.v(g ? GICC_AIAR : GICC_IAR); }
  eoi(g: 0 | 1, intid: number): void { this.vw(g ? GICC_AEOIR : GICC_EOIR, intid); }
  dir(intid: number): void { this.vw(GICC_DIR, intid); }
  hppir(g: 0 | 1): number { return this.v(g ? GICC_AHPPIR : GICC_HPPIR); }
  rpr(): number { return this.v(GICC_RPR); }
  setEoiMode(on: boolean): void { this.vw(GICC_CTLR, (this.v(GICC_CTLR) & ~CTLR_EOIMODE) | (on ? CTLR_EOIMODE : 0)); }
  signalled(): boolean { return this.gic.virqLine(this.cur) || this.gic.vfiqLine(this.cur); }
  maintenance(): boolean { return ((this.d(GICD_ISPENDR) >>> 25) & 1) === 1; }
  physTakeSpi(intid: number): void {
    this.gic.setSpi(intid, true);
    this.gic.setSpi(intid, false);
    expect(this.c(GICC_IAR)).toBe(intid);
    this.cw(GICC_EOIR, intid);              // EOImode 1: priority drop only
  }
  physActive(intid: number): boolean { return ((this.d(GICD_ISACTIVER + (intid >> 5) * 4) >>> (intid & 31)) & 1) === 1; }
}

describe("GICv2 virtual CPU interface: list-register scenarios", () => {
  sharedVgicScenarios(() => new Rig());
});

describe("GICv2 virtualization: GICH_* and GICV_* specifics", () => {
  it("GICH_VTR: 4 list registers, 5 priority and preemption bits", () => {
    const t = new Rig();
    const vtr = t.h(GICH_VTR);
    expect(vtr & 0x3f).toBe(3);
    expect((vtr >>> 26) & 7).toBe(4);
    expect((vtr >>> 29) & 7).toBe(4);
    expect(t.h(GICH_EISR1)).toBe(0);
    expect(t.h(GICH_ELRSR1)).toBe(0);
    expect(t.h(GICH_LR0 + 4 * 4)).toBe(0);          // no LR4
  });

  it("Group 0 is a virtual FIQ only with GICV_CTLR.FIQEn (GICH_VMCR.VMFIQEn), else a virtual IRQ", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.hw(GICH_VMCR, VMCR_GRP0 | (0x1f << 27));
    t.writeLR(0, { state: PENDING, vintid: 40, prio: 0x80, group: 0 });
    expect(t.gic.virqLine(0)).toBe(true);
    expect(t.gic.vfiqLine(0)).toBe(false);
    t.vw(GICC_CTLR, t.v(GICC_CTLR) | VMCR_FIQEN);     // GICV_CTLR.FIQEn is bit 3 as in GICH_VMCR
    expect(t.h(GICH_VMCR) & VMCR_FIQEN).toBe(VMCR_FIQEN);
    expect(t.gic.virqLine(0)).toBe(false);
    expect(t.gic.vfiqLine(0)).toBe(true);
  });

  it("GICV_IAR reads 1022 for a Group 1 interrupt without AckCtl, and acknowledges it with AckCtl", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.hw(GICH_VMCR, VMCR_GRP1 | (0x1f << 27));
    t.writeLR(0, { state: PENDING, vintid: 45, prio: 0x80, group: 1 });
    expect(t.v(GICC_IAR)).toBe(1022);
    expect(t.v(GICC_HPPIR)).toBe(1022);
    expect(t.readLR(0).state).toBe(PENDING);
    t.hw(GICH_VMCR, t.h(GICH_VMCR) | VMCR_ACKCTL);
    expect(t.v(GICC_IAR)).toBe(45);
    expect(t.readLR(0).state).toBe(ACTIVE);
    t.vw(GICC_EOIR, 45);                            // EOIR ends the interrupt of its own group
    expect(t.readLR(0).state).toBe(0);
  });

  it("a virtual SGI reports its source CPUID (GICH_LR bits [12:10]) in GICV_IAR and GICV_HPPIR bits [12:10]", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.hw(GICH_VMCR, VMCR_GRP1 | VMCR_ACKCTL | (0x1f << 27));
    t.hw(GICH_LR0, encodeLR({ state: PENDING, vintid: 3, prio: 0x80, group: 1, cpuid: 5 }));
    expect(t.v(GICC_HPPIR)).toBe(3 | (5 << 10));
    expect(t.v(GICC_IAR)).toBe(3 | (5 << 10));
    t.vw(GICC_EOIR, 3 | (5 << 10));
    expect(t.readLR(0).state).toBe(0);
  });

  it("GICV_APR0 and GICH_APR are one active-priority register for both groups; GICV_NSAPR0 is RAZ/WI", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.hw(GICH_VMCR, VMCR_GRP0 | VMCR_GRP1 | VMCR_ACKCTL | (0x1f << 27));
    t.writeLR(0, { state: PENDING, vintid: 50, prio: 0x80, group: 1 });
    t.writeLR(1, { state: PENDING, vintid: 51, prio: 0x40, group: 0 });
    expect(t.v(GICC_IAR)).toBe(51);
    expect(t.v(GICC_IAR)).toBe(SPURIOUS);           // 50 is lower than the running 0x40
    expect(t.v(GICC_APR0)).toBe(1 << (0x40 >> 3));
    expect(t.h(GICH_APR)).toBe(1 << (0x40 >> 3));
    t.vw(GICC_NSAPR0, 0xffff);
    expect(t.v(GICC_NSAPR0)).toBe(0);
    t.hw(GICH_APR, 0);                              // the hypervisor clears it
    expect(t.v(GICC_RPR)).toBe(0xff);
    expect(t.v(GICC_IAR)).toBe(50);
  });

  it("GICH_VMCR holds GICV_CTLR, PMR, BPR and ABPR; binary points at least their minimum", () => {
    const t = new Rig();
    t.vw(GICC_CTLR, VMCR_GRP0 | VMCR_GRP1 | VMCR_ACKCTL | VMCR_VEM);
    t.vw(GICC_PMR, 0xa8);
    t.vw(GICC_BPR, 4);
    t.vw(GICC_ABPR, 0);
    const vmcr = t.h(GICH_VMCR);
    expect(vmcr & 0x3ff).toBe(VMCR_GRP0 | VMCR_GRP1 | VMCR_ACKCTL | VMCR_VEM);
    expect(vmcr >>> 27).toBe(0xa8 >> 3);
    expect((vmcr >>> 21) & 7).toBe(4);              // VMBP
    expect((vmcr >>> 18) & 7).toBe(3);              // VMABP: minimum
    expect(t.v(GICC_PMR)).toBe(0xa8);
    expect(t.c(GICC_PMR)).toBe(0xf8);               // the physical GICC is separate
  });

  it("GICH and GICV are banked: each CPU reaches its own list registers", () => {
    const t = new Rig(2);
    t.cur = 1;
    t.setHcr(EN);
    t.setVmcr({ eng1: true, pmr: 0xf8 });
    t.writeLR(0, { state: PENDING, vintid: 60, prio: 0x80, group: 1 });
    expect(t.gic.virqLine(1)).toBe(true);
    expect(t.gic.virqLine(0)).toBe(false);
    t.cur = 0;
    expect(t.readLR(0).state).toBe(0);
    expect(t.v(GICC_AIAR)).toBe(SPURIOUS);
    t.cur = 1;
    expect(t.v(GICC_AIAR)).toBe(60);
  });

  it("GICH_LR: bits [22:20] are reserved; without HW, PhysicalID holds only EOI [19] and CPUID [12:10]", () => {
    const t = new Rig();
    t.hw(GICH_LR0 + 4, 0xffff_ffff);              // HW = 1: PhysicalID [19:10] is the physical INTID
    expect(t.h(GICH_LR0 + 4)).toBe(0xff8f_ffff);
    t.hw(GICH_LR0 + 4, 0x7fff_ffff);              // HW = 0
    expect(t.h(GICH_LR0 + 4)).toBe(0x7f88_1fff);
  });

  it("a snapshot carries GICH state", () => {
    const a = new Rig();
    a.setHcr(EN);
    a.setVmcr({ eng1: true, pmr: 0xf8 });
    a.writeLR(2, { state: PENDING, vintid: 99, prio: 0x60, group: 1 });
    const snap = JSON.parse(JSON.stringify(a.gic.distributor.saveState!()));
    const b = new Rig();
    b.gic.distributor.restoreState!(snap);
    expect(b.gic.virqLine(0)).toBe(true);
    expect(b.v(GICC_AIAR)).toBe(99);
  });
});
