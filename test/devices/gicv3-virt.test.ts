// GICv3 virtualization (IHI 0069): the ICH_*_EL2 registers a hypervisor at
// EL2 programs, the ICV_*_EL1 registers EL1 reaches through the ICC_*
// encodings when HCR_EL2.IMO/FMO route to EL2, the virtual IRQ/FIQ outputs
// and the maintenance interrupt (PPI 9, INTID 25). The list-register state
// machine is exercised by the scenarios shared with GICv2 (./vgic-scenarios).
import { describe, it, expect } from "vitest";
import { GicV3, REDIST_FRAME_SIZE, type SysregAccess } from "../../src/devices/gicv3";
import { sharedVgicScenarios, type LR, type VgicHarness, PENDING, ACTIVE, EN, SPURIOUS } from "./vgic-scenarios";

const GICD_CTLR = 0x0, GICD_IGROUPR = 0x80, GICD_ISENABLER = 0x100, GICD_ISACTIVER = 0x300, GICD_IPRIORITYR = 0x400,
  GICD_ICFGR = 0xc00, GICD_IROUTER = 0x6000;
const GICR_WAKER = 0x14, SGI = 0x1_0000, GICR_IGROUPR0 = SGI + 0x80, GICR_ISENABLER0 = SGI + 0x100, GICR_ISPENDR0 = SGI + 0x200,
  GICR_IPRIORITYR = SGI + 0x400;
const CTLR_G1 = 1, CTLR_G1A = 2, CTLR_ARE = 1 << 4;

const EL1_VIRT: SysregAccess = { el: 1, imo: true, fmo: true };
const EL2: SysregAccess = { el: 2, imo: true, fmo: true };

// ICH_LR<n>_EL2 as IHI 0069 12.4.9 lays it out.
function encodeLR(l: LR): bigint {
  let v = BigInt(l.vintid) | (BigInt(l.prio) << 48n) | (BigInt(l.group) << 60n) | (BigInt(l.state) << 62n);
  if (l.hw) v |= (1n << 61n) | (BigInt(l.pintid ?? 0) << 32n);
  else if (l.eoi) v |= 1n << 41n;
  return v;
}
function decodeLR(v: bigint): LR {
  const hw = ((v >> 61n) & 1n) === 1n;
  return {
    state: Number(v >> 62n), vintid: Number(v & 0xffff_ffffn), prio: Number((v >> 48n) & 0xffn), group: Number((v >> 60n) & 1n) as 0 | 1,
    hw, pintid: hw ? Number((v >> 32n) & 0x1fffn) : undefined, eoi: !hw && ((v >> 41n) & 1n) === 1n,
  };
}

type Out = { irq: boolean; fiq: boolean; virq: boolean; vfiq: boolean };

class Rig implements VgicHarness {
  readonly gic: GicV3;
  readonly changes: (Out & { cpu: number })[] = [];
  constructor(cpus = 1) {
    this.gic = new GicV3({ cpus, onChange: (cpu, irq, fiq, virq, vfiq) => this.changes.push({ cpu, irq, fiq, virq, vfiq }) });
    // The physical GIC as a hypervisor at EL2 sets it up: affinity routing,
    // Group 1, every PE awake, SPIs 40-47 edge-triggered Group 1 routed to
    // PE 0, the maintenance PPI enabled, EOImode 1 at EL2.
    this.dw(GICD_CTLR, CTLR_ARE | CTLR_G1A | CTLR_G1);
    for (let c = 0; c < cpus; c++) {
      this.rw(c, GICR_WAKER, 0);
      this.rw(c, GICR_IGROUPR0, 0xffff_ffff);
      this.rw(c, GICR_ISENABLER0, 1 << 25);
      this.rw(c, GICR_IPRIORITYR + 24, 0xa0a0a0a0);
    }
    this.dw(GICD_IGROUPR + 4, 0xffff_ffff);
    this.dw(GICD_ICFGR + 8, 0xaaaa_aaaa);           // INTIDs 32-47 edge
    this.dw(GICD_ISENABLER + 4, 0xff00);
    for (let i = 40; i < 48; i += 4) this.dw(GICD_IPRIORITYR + i, 0x8080_8080);
    for (let i = 40; i < 48; i++) this.gic.distributor.write(GICD_IROUTER + i * 8, 8, 0n);
    for (let c = 0; c < cpus; c++) {
      this.gic.writeSysreg(c, "ICC_PMR_EL1", 0xffn, EL2);
      this.gic.writeSysreg(c, "ICC_CTLR_EL1", 2n, EL2);
      this.gic.writeSysreg(c, "ICC_IGRPEN1_EL1", 1n, EL2);
    }
  }
  dw(off: number, v: number): void { this.gic.distributor.write(off, 4, BigInt(v >>> 0)); }
  rw(cpu: number, off: number, v: number): void { this.gic.redistributors.write(cpu * REDIST_FRAME_SIZE + off, 4, BigInt(v >>> 0)); }
  rr(cpu: number, off: number): number { return Number(this.gic.redistributors.read(cpu * REDIST_FRAME_SIZE + off, 4)); }
  ich(name: string, cpu = 0): bigint { return this.gic.readSysreg(cpu, name, EL2); }
  setIch(name: string, v: number | bigint, cpu = 0): void { this.gic.writeSysreg(cpu, name, BigInt(v), EL2); }
  icv(name: string, cpu = 0): number { return Number(this.gic.readSysreg(cpu, name, EL1_VIRT)); }
  setIcv(name: string, v: number, cpu = 0): void { this.gic.writeSysreg(cpu, name, BigInt(v), EL1_VIRT); }

  writeLR(n: number, lr: LR): void { this.setIch(`ICH_LR${n}_EL2`, encodeLR(lr)); }
  readLR(n: number): LR { return decodeLR(this.ich(`ICH_LR${n}_EL2`)); }
  setHcr(v: number): void { this.setIch("ICH_HCR_EL2", v >>> 0); }
  hcr(): number { return Number(this.ich("ICH_HCR_EL2")); }
  setVmcr(f: { eng0?: boolean; eng1?: boolean; pmr?: number }): void {
    const old = Number(this.ich("ICH_VMCR_EL2"));
    const v = (old & 0x00ff_fffc) | (f.eng0 ? 1 : 0) | (f.eng1 ? 2 : 0) | ((f.pmr ?? 0) << 24);
    this.setIch("ICH_VMCR_EL2", v >>> 0);
  }
  misr(): number { return Number(this.ich("ICH_MISR_EL2")); }
  eisr(): number { return Number(this.ich("ICH_EISR_EL2")); }
  elrsr(): number { return Number(this.ich("ICH_ELRSR_EL2")); }
  iar(g: 0 | 1): number { return this.icv(g ? "ICC_IAR1_EL1" : "ICC_IAR0_EL1"); }
  eoi(g: 0 | 1, intid: number): void { this.setIcv(g ? "ICC_EOIR1_EL1" : "ICC_EOIR0_EL1", intid); }
  dir(intid: number): void { this.setIcv("ICC_DIR_EL1", intid); }
  hppir(g: 0 | 1): number { return this.icv(g ? "ICC_HPPIR1_EL1" : "ICC_HPPIR0_EL1"); }
  rpr(): number { return this.icv("ICC_RPR_EL1"); }
  setEoiMode(on: boolean): void { this.setIcv("ICC_CTLR_EL1", (this.icv("ICC_CTLR_EL1") & ~2) | (on ? 2 : 0)); }
  signalled(): boolean { return this.gic.virqLine(0) || this.gic.vfiqLine(0); }
  maintenance(cpu = 0): boolean { return ((this.rr(cpu, GICR_ISPENDR0) >>> 25) & 1) === 1; }
  physTakeSpi(intid: number): void {
    this.gic.setSpi(intid, true);
    this.gic.setSpi(intid, false);
    expect(Number(this.gic.readSysreg(0, "ICC_IAR1_EL1", EL2))).toBe(intid);
    this.gic.writeSysreg(0, "ICC_EOIR1_EL1", BigInt(intid), EL2); // EOImode 1: priority drop only
  }
  physActive(intid: number): boolean {
    return ((Number(this.gic.distributor.read(GICD_ISACTIVER + (intid >> 5) * 4, 4)) >>> (intid & 31)) & 1) === 1;
  }
}

describe("GICv3 virtual CPU interface: list-register scenarios", () => {
  sharedVgicScenarios(() => new Rig());
});

describe("GICv3 virtualization: ICH_* and ICV_* specifics", () => {
  it("ICH_VTR_EL2: 4 list registers, 5 priority and preemption bits, 16-bit INTIDs, A3V as ICV_CTLR_EL1, no SEIS, no direct injection", () => {
    const t = new Rig();
    const vtr = Number(t.ich("ICH_VTR_EL2"));
    expect(vtr & 0x1f).toBe(3);                 // ListRegs: 4
    expect((vtr >>> 29) & 7).toBe(4);            // PRIbits: 5
    expect((vtr >>> 26) & 7).toBe(4);            // PREbits: 5
    expect((vtr >>> 23) & 7).toBe(0);            // IDbits: 16
    expect((vtr >>> 22) & 1).toBe(0);            // SEIS
    expect((vtr >>> 20) & 1).toBe(1);            // nV4
    const ctlr = t.icv("ICC_CTLR_EL1");
    expect((vtr >>> 21) & 1).toBe((ctlr >>> 15) & 1);   // A3V
    expect((ctlr >>> 8) & 7).toBe(4);            // ICV_CTLR_EL1.PRIbits
    expect((ctlr >>> 11) & 7).toBe(0);           // ICV_CTLR_EL1.IDbits
  });

  it("a Group 1 list register is a virtual IRQ, a Group 0 one a virtual FIQ, reported through onChange", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.setVmcr({ eng0: true, eng1: true, pmr: 0xf8 });
    t.writeLR(0, { state: PENDING, vintid: 33, prio: 0x80, group: 1 });
    expect(t.gic.virqLine(0)).toBe(true);
    expect(t.gic.vfiqLine(0)).toBe(false);
    expect(t.changes.at(-1)).toEqual({ cpu: 0, irq: false, fiq: false, virq: true, vfiq: false });
    t.writeLR(0, { state: PENDING, vintid: 34, prio: 0x80, group: 0 });
    expect(t.gic.virqLine(0)).toBe(false);
    expect(t.gic.vfiqLine(0)).toBe(true);
    expect(t.changes.at(-1)).toEqual({ cpu: 0, irq: false, fiq: false, virq: false, vfiq: true });
    expect(t.iar(0)).toBe(34);
    expect(t.gic.vfiqLine(0)).toBe(false);
  });

  it("ICC_* from EL1 reach ICV_* by HCR_EL2: Group 1 registers with IMO, Group 0 with FMO, PMR/CTLR/DIR/RPR with either; EL2 always the physical interface", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.setVmcr({ eng1: true, pmr: 0xf8 });
    t.writeLR(0, { state: PENDING, vintid: 200, prio: 0x80, group: 1 });
    t.gic.setSpi(44, true);                   // a physical interrupt pending at the same time
    t.gic.setSpi(44, false);
    const onlyFmo: SysregAccess = { el: 1, imo: false, fmo: true };
    const onlyImo: SysregAccess = { el: 1, imo: true, fmo: false };
    expect(Number(t.gic.readSysreg(0, "ICC_HPPIR1_EL1", onlyFmo))).toBe(44);   // physical: IMO clear
    expect(Number(t.gic.readSysreg(0, "ICC_HPPIR1_EL1", onlyImo))).toBe(200);  // virtual
    expect(Number(t.gic.readSysreg(0, "ICC_HPPIR1_EL1", EL2))).toBe(44);
    t.gic.writeSysreg(0, "ICC_PMR_EL1", 0x40n, onlyFmo);                       // VPMR
    expect(Number(t.ich("ICH_VMCR_EL2") >> 24n)).toBe(0x40);
    expect(Number(t.gic.readSysreg(0, "ICC_PMR_EL1", EL2))).toBe(0xf8);       // the physical PMR (0xff as 5 bits) is untouched
    t.gic.writeSysreg(0, "ICC_IGRPEN0_EL1", 1n, onlyImo);                      // physical: FMO clear
    expect(Number(t.ich("ICH_VMCR_EL2")) & 1).toBe(0);
    expect(Number(t.gic.readSysreg(0, "ICC_IGRPEN0_EL1", EL2))).toBe(1);
    expect(() => t.gic.readSysreg(0, "ICC_AP1R1_EL1", onlyImo)).toThrow(RangeError);        // not implemented, virtual or not
    const none: SysregAccess = { el: 1, imo: false, fmo: false };
    expect(Number(t.gic.readSysreg(0, "ICC_IAR1_EL1", none))).toBe(44);       // acknowledges the physical one
  });

  it("ICH_LR<n>_EL2 keeps the implemented priority bits and 16 vINTID bits; ICH_VMCR_EL2.VFIQEn reads 1, binary points at least their minimum", () => {
    const t = new Rig();
    t.setIch("ICH_LR2_EL2", encodeLR({ state: PENDING, vintid: 0x12_3456, prio: 0xa7, group: 1 }));
    const lr = t.readLR(2);
    expect(lr.prio).toBe(0xa0);
    expect(lr.vintid).toBe(0x3456);
    t.setIch("ICH_VMCR_EL2", 0);
    const vmcr = Number(t.ich("ICH_VMCR_EL2"));
    expect((vmcr >>> 3) & 1).toBe(1);                // VFIQEn RES1
    expect((vmcr >>> 21) & 7).toBe(2);               // VBPR0 minimum: 7 - PREbits
    expect((vmcr >>> 18) & 7).toBe(3);               // VBPR1 minimum: VBPR0's + 1
    expect(t.icv("ICC_BPR0_EL1")).toBe(2);
    expect(t.icv("ICC_BPR1_EL1")).toBe(3);
  });

  it("the ICV_* state is ICH_VMCR_EL2's: EOImode and CBPR written at EL1 read back as VEOIM and VCBPR", () => {
    const t = new Rig();
    t.setIcv("ICC_CTLR_EL1", 3);
    expect(Number(t.ich("ICH_VMCR_EL2")) & ((1 << 9) | (1 << 4))).toBe((1 << 9) | (1 << 4));
    expect(Number(t.gic.readSysreg(0, "ICC_CTLR_EL1", EL2)) & 3).toBe(2);    // the physical CTLR as the rig set it
  });

  it("ICH_AP1R0_EL2 shows the virtual active priority an acknowledge sets", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.setVmcr({ eng1: true, pmr: 0xf8 });
    t.writeLR(0, { state: PENDING, vintid: 300, prio: 0x48, group: 1 });
    expect(t.iar(1)).toBe(300);
    expect(t.readLR(0).state).toBe(ACTIVE);
    expect(Number(t.ich("ICH_AP1R0_EL2"))).toBe(1 << (0x48 >> 3));
    expect(Number(t.ich("ICH_AP0R0_EL2"))).toBe(0);
    t.setIch("ICH_AP1R0_EL2", 0);                   // the hypervisor clears it (as on a context switch)
    expect(t.rpr()).toBe(0xff);
  });

  it("the virtual interfaces of two PEs are separate, each with its own maintenance interrupt", () => {
    const t = new Rig(2);
    t.setIch("ICH_HCR_EL2", EN | (1 << 3), 1);     // NPIE on PE 1 only
    expect(t.maintenance(1)).toBe(true);
    expect(t.maintenance(0)).toBe(false);
    t.setIch("ICH_LR0_EL2", encodeLR({ state: PENDING, vintid: 9, prio: 0x80, group: 1 }), 1);
    expect(t.readLR(0).state).toBe(0);
    expect(t.maintenance(1)).toBe(false);
    expect(t.iar(1)).toBe(SPURIOUS);
  });

  it("reset empties the list registers and reports the virtual IRQ going low", () => {
    const t = new Rig();
    t.setHcr(EN);
    t.setVmcr({ eng1: true, pmr: 0xf8 });
    t.writeLR(0, { state: PENDING, vintid: 5, prio: 0x80, group: 1 });
    expect(t.gic.virqLine(0)).toBe(true);
    t.gic.reset();
    expect(t.gic.virqLine(0)).toBe(false);
    expect(t.changes.at(-1)).toMatchObject({ cpu: 0, virq: false, vfiq: false });
    expect(t.readLR(0).state).toBe(0);
    expect(t.hcr()).toBe(0);
  });

  it("a snapshot carries the list registers and the virtual interface's state", () => {
    const a = new Rig();
    a.setHcr(EN);
    a.setVmcr({ eng1: true, pmr: 0xf8 });
    a.writeLR(0, { state: PENDING, vintid: 77, prio: 0x80, group: 1 });
    a.writeLR(1, { state: PENDING, vintid: 78, prio: 0x90, group: 1, eoi: true });
    expect(a.iar(1)).toBe(77);
    const snap = JSON.parse(JSON.stringify(a.gic.distributor.saveState!()));
    const b = new Rig();
    b.gic.distributor.restoreState!(snap);
    expect(b.readLR(0).state).toBe(ACTIVE);
    expect(b.readLR(1)).toEqual(a.readLR(1));
    expect(b.rpr()).toBe(0x80);
    expect(b.hcr()).toBe(EN);
    b.eoi(1, 77);
    expect(b.iar(1)).toBe(78);
  });
});

describe("ICH_HCR_EL2 trap bits for the core (GicV3.ichTraps -> ABI.ICH_TRAPS)", () => {
  it("reports TC, TALL0, TALL1 (bits 10..12) of each PE's ICH_HCR_EL2 and nothing else", () => {
    const gic = new GicV3({ cpus: 2 });
    const el2: SysregAccess = { el: 2, imo: false, fmo: false };
    expect(gic.ichTraps(0)).toBe(0);
    gic.writeSysreg(0, "ICH_HCR_EL2", 0x1c01n, el2); // En | TC | TALL0 | TALL1
    gic.writeSysreg(1, "ICH_HCR_EL2", 0x1001n, el2); // En | TALL1
    expect(gic.ichTraps(0)).toBe(0x1c00);
    expect(gic.ichTraps(1)).toBe(0x1000);
    gic.writeSysreg(0, "ICH_HCR_EL2", 0x1n, el2);
    expect(gic.ichTraps(0)).toBe(0);
  });
});
