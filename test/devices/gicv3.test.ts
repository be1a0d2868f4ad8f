// GICv3 (IHI 0069) with affinity routing and GICD_CTLR.DS = 1: the register
// frames, Linux's bring-up sequence, delivery, acknowledge/EOI, priorities,
// SGIs, snapshots.
import { describe, it, expect } from "vitest";
import { GicV3, ICC_REGS, iccRegisterName, REDIST_FRAME_SIZE, SPURIOUS } from "../../src/devices/gicv3";
import {
  GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR, GICD_ISACTIVER,
  GICD_ICACTIVER, GICD_IPRIORITYR, GICD_ICFGR, DEF_PRI,
  type GicHarness, sharedScenarios,
} from "./gic-scenarios";

const GICD_IGRPMODR = 0xd00, GICD_IROUTER = 0x6000, GICD_PIDR2 = 0xffe8;
const GICR_CTLR = 0x0, GICR_TYPER = 0x8, GICR_WAKER = 0x14, GICR_PIDR2 = 0xffe8, SGI = 0x1_0000;
const CTLR_ENABLE_G1 = 1 << 0, CTLR_ENABLE_G1A = 1 << 1, CTLR_ARE_NS = 1 << 4, CTLR_DS = 1 << 6;
const WAKER_PS = 1 << 1, WAKER_CA = 1 << 2;

type Change = { cpu: number; irq: boolean; fiq: boolean };

class Rig implements GicHarness {
  readonly gic: GicV3;
  readonly changes: Change[] = [];
  constructor(cpus: number, irqs?: number) {
    this.gic = new GicV3({ cpus, irqs, onChange: (cpu, irq, fiq) => this.changes.push({ cpu, irq, fiq }) });
  }
  d(off: number, size = 4): bigint { return this.gic.distributor.read(off, size); }
  dw(off: number, v: number | bigint, size = 4): void { this.gic.distributor.write(off, size, BigInt(v)); }
  r(cpu: number, off: number, size = 4): bigint { return this.gic.redistributors.read(cpu * REDIST_FRAME_SIZE + off, size); }
  rw(cpu: number, off: number, v: number | bigint, size = 4): void { this.gic.redistributors.write(cpu * REDIST_FRAME_SIZE + off, size, BigInt(v)); }
  sys(cpu: number, name: string): bigint { return this.gic.readSysreg(cpu, name); }
  setSys(cpu: number, name: string, v: number | bigint): void { this.gic.writeSysreg(cpu, name, BigInt(v)); }
  iar(cpu: number): number { return Number(this.sys(cpu, "ICC_IAR1_EL1")); }
  eoi(cpu: number, intid: number): void { this.setSys(cpu, "ICC_EOIR1_EL1", intid); }
  irq(cpu: number): boolean { return this.gic.irqLine(cpu); }
  lines(): boolean[] { return Array.from({ length: this.gic.cpus }, (_, c) => this.gic.irqLine(c)); }
  setPrio(intid: number, prio: number, cpu = 0): void {
    if (intid < 32) this.rw(cpu, SGI + 0x400 + intid, prio, 1); else this.dw(GICD_IPRIORITYR + intid, prio, 1);
  }
  enable(intid: number, cpu = 0): void {
    if (intid < 32) this.rw(cpu, SGI + 0x100, 1 << intid); else this.dw(GICD_ISENABLER + (intid >> 5) * 4, (1 << (intid & 31)) >>> 0);
  }
  route(intid: number, cpu: number): void { this.dw(GICD_IROUTER + intid * 8, BigInt(this.gic.affinity(cpu)), 8); }
  setEdge(intid: number): void {
    const off = GICD_ICFGR + (intid >> 4) * 4;
    this.dw(off, Number(this.d(off)) | (2 << ((intid & 15) * 2)));
  }
  // The rest of GicHarness (./gic-scenarios).
  spi(intid: number, level: boolean): void { this.gic.setSpi(intid, level); }
  dread(off: number): number { return Number(this.d(off)); }
  dir(cpu: number, intid: number): void { this.setSys(cpu, "ICC_DIR_EL1", intid); }
  setEoiMode(cpu: number, on: boolean): void { this.setSys(cpu, "ICC_CTLR_EL1", on ? 2 : 0); }
  setPmr(cpu: number, v: number): void { this.setSys(cpu, "ICC_PMR_EL1", v); }
  rpr(cpu: number): number { return Number(this.sys(cpu, "ICC_RPR_EL1")); }
  hppir(cpu: number): number { return Number(this.sys(cpu, "ICC_HPPIR1_EL1")); }

  // Linux's drivers/irqchip/irq-gic-v3.c: gic_init_bases / gic_dist_init /
  // gic_cpu_init / gic_cpu_sys_reg_init, for every CPU.
  linuxBringUp(eoiMode = 0): void {
    expect(Number(this.d(GICD_PIDR2)) & 0xf0).toBe(0x30);
    const typer = Number(this.d(GICD_TYPER));
    const lines = Math.min(((typer & 0x1f) + 1) * 32, 1020);
    this.dw(GICD_CTLR, 0);
    expect(Number(this.d(GICD_CTLR)) & (1 << 31)).toBe(0); // RWP
    for (let i = 32; i < lines; i += 32) {
      this.dw(GICD_IGROUPR + i / 8, 0xffffffff);
      this.dw(GICD_ICACTIVER + i / 8, 0xffffffff);
      this.dw(GICD_ICENABLER + i / 8, 0xffffffff);
    }
    for (let i = 32; i < lines; i += 16) this.dw(GICD_ICFGR + i / 4, 0);
    for (let i = 32; i < lines; i += 4) this.dw(GICD_IPRIORITYR + i, 0xa0a0a0a0);
    this.dw(GICD_CTLR, CTLR_ARE_NS | CTLR_ENABLE_G1A | CTLR_ENABLE_G1);
    const boot = BigInt(this.gic.affinity(0));
    const irouter = (boot & 0xffffffn) | ((boot >> 24n) << 32n);
    for (let i = 32; i < lines; i++) this.dw(GICD_IROUTER + i * 8, irouter, 8);

    for (let cpu = 0; cpu < this.gic.cpus; cpu++) {
      // gic_populate_rdist: walk the frames for the one whose TYPER affinity is ours.
      let frame = 0;
      for (;; frame++) {
        expect(Number(this.r(frame, GICR_PIDR2)) & 0xf0).toBe(0x30);
        const t = this.r(frame, GICR_TYPER, 8);
        if (Number(t >> 32n) === this.gic.affinity(cpu)) break;
        expect(Number(t) & (1 << 4)).toBe(0); // not Last yet
      }
      expect(frame).toBe(cpu);
      // gic_enable_redist: wake up.
      this.rw(cpu, GICR_WAKER, Number(this.r(cpu, GICR_WAKER)) & ~WAKER_PS);
      expect(Number(this.r(cpu, GICR_WAKER)) & WAKER_CA).toBe(0);
      // gic_cpu_config: SGIs/PPIs Group 1, inactive, PPIs disabled, SGIs enabled.
      this.rw(cpu, SGI + 0x80, 0xffffffff);
      this.rw(cpu, SGI + 0x380, 0xffffffff);
      this.rw(cpu, SGI + 0x180, 0xffff0000);
      this.rw(cpu, SGI + 0x100, 0x0000ffff);
      for (let i = 0; i < 32; i += 4) this.rw(cpu, SGI + 0x400 + i, 0xa0a0a0a0);
      // gic_cpu_sys_reg_init
      this.setSys(cpu, "ICC_SRE_EL1", this.sys(cpu, "ICC_SRE_EL1") | 1n);
      expect(this.sys(cpu, "ICC_SRE_EL1") & 1n).toBe(1n);
      this.setSys(cpu, "ICC_PMR_EL1", 0xf0);
      this.setSys(cpu, "ICC_BPR1_EL1", 0);
      this.setSys(cpu, "ICC_CTLR_EL1", eoiMode << 1);
      const pribits = Number((this.sys(cpu, "ICC_CTLR_EL1") >> 8n) & 7n) + 1;
      expect(pribits).toBe(5);
      this.setSys(cpu, "ICC_AP1R0_EL1", 0);
      this.setSys(cpu, "ICC_IGRPEN1_EL1", 1);
    }
  }
}

describe("GICv3 registers", () => {
  it("identifies itself: TYPER, IIDR, PIDR2 (ArchRev 3), CTLR with ARE and DS fixed", () => {
    const t = new Rig(2, 256);
    const typer = Number(t.d(GICD_TYPER));
    expect(typer & 0x1f).toBe(256 / 32 - 1);       // ITLinesNumber: SPIs 32..255
    expect((typer >> 19) & 0x1f).toBe(15);         // IDbits
    expect(typer & (1 << 16)).toBe(0);             // MBIS
    expect(typer & (1 << 17)).toBe(0);             // LPIS
    expect(typer & (1 << 10)).toBe(0);             // SecurityExtn
    expect(Number(t.d(GICD_IIDR)) & 0xfff).toBe(0x43b);
    expect((Number(t.d(GICD_PIDR2)) >> 4) & 0xf).toBe(3);
    expect((Number(t.r(0, GICR_PIDR2)) >> 4) & 0xf).toBe(3);
    expect(Number(t.d(GICD_CTLR))).toBe(CTLR_ARE_NS | CTLR_DS);
    t.dw(GICD_CTLR, 0);
    expect(Number(t.d(GICD_CTLR))).toBe(CTLR_ARE_NS | CTLR_DS); // RAO/WI
    t.dw(GICD_CTLR, 3);
    expect(Number(t.d(GICD_CTLR))).toBe(CTLR_ARE_NS | CTLR_DS | 3);
    expect(t.d(0xfff0)).toBe(0x0dn);
  });

  it("has one 128 KiB redistributor per CPU: affinity, Processor_Number and Last in GICR_TYPER", () => {
    const t = new Rig(3);
    expect(t.gic.redistributors.size).toBe(3 * 0x20000);
    for (let c = 0; c < 3; c++) {
      const typer = t.r(c, GICR_TYPER, 8);
      expect(Number(typer >> 32n)).toBe(c);               // Aff0 = c
      expect(Number((typer >> 8n) & 0xffffn)).toBe(c);
      expect(Number(typer & 0x10n) !== 0).toBe(c === 2);  // Last
      expect(Number(typer & 1n)).toBe(0);                 // PLPIS
      // The 32-bit halves read the same.
      expect(t.r(c, GICR_TYPER + 4)).toBe(typer >> 32n);
    }
    const big = new GicV3({ cpus: 18 });
    expect(big.redistributors.read(17 * 0x20000 + GICR_TYPER + 4, 4)).toBe(0x101n); // Aff1 1, Aff0 1
  });

  it("implements the WAKER handshake: ProcessorSleep set at reset, ChildrenAsleep follows it", () => {
    const t = new Rig(1);
    expect(Number(t.r(0, GICR_WAKER))).toBe(WAKER_PS | WAKER_CA);
    t.rw(0, GICR_WAKER, 0);
    expect(Number(t.r(0, GICR_WAKER))).toBe(0);
    t.rw(0, GICR_WAKER, WAKER_PS);
    expect(Number(t.r(0, GICR_WAKER))).toBe(WAKER_PS | WAKER_CA);
    t.rw(0, GICR_CTLR, 0xffffffff);
    expect(Number(t.r(0, GICR_CTLR))).toBe(0x07000000); // DPG bits only; EnableLPIs RAZ/WI
  });

  it("handles byte, halfword, word and doubleword accesses as the registers allow", () => {
    const t = new Rig(2);
    t.dw(GICD_IPRIORITYR + 41, 0xff, 1);
    expect(t.d(GICD_IPRIORITYR + 41, 1)).toBe(0xf8n); // 5 priority bits
    expect(t.d(GICD_IPRIORITYR + 40)).toBe(0xf800n);
    t.dw(GICD_IPRIORITYR + 42, 0x1234, 2);
    expect(t.d(GICD_IPRIORITYR + 40)).toBe(0x1030f800n);
    // IROUTER: 64-bit, or two 32-bit halves; Aff3 in [39:32], IRM in bit 31.
    t.dw(GICD_IROUTER + 40 * 8, 0x0000_00ff_8003_0201n, 8);
    expect(t.d(GICD_IROUTER + 40 * 8, 8)).toBe(0x0000_00ff_8003_0201n);
    t.dw(GICD_IROUTER + 40 * 8, 0x0000_0001, 4);
    expect(t.d(GICD_IROUTER + 40 * 8, 8)).toBe(0x0000_00ff_0000_0001n);
    t.dw(GICD_IROUTER + 40 * 8 + 4, 0, 4);
    expect(t.d(GICD_IROUTER + 40 * 8, 8)).toBe(1n);
    // ISENABLER by bytes: only the written lane's bits.
    t.dw(GICD_ISENABLER + 4 + 1, 0x01, 1);
    expect(t.d(GICD_ISENABLER + 4)).toBe(0x100n);
    t.dw(GICD_ICENABLER + 4, 0x100);
    expect(t.d(GICD_ISENABLER + 4)).toBe(0n);
  });

  it("keeps INTIDs 0-31 in the redistributors: the distributor's copies are RAZ/WI", () => {
    const t = new Rig(2);
    t.dw(GICD_IGROUPR, 0xffffffff);
    t.dw(GICD_ISENABLER, 0xffffffff);
    t.dw(GICD_IPRIORITYR, 0x80808080);
    t.dw(GICD_IROUTER + 8 * 5, 1n, 8);
    expect(t.d(GICD_IGROUPR)).toBe(0n);
    expect(t.d(GICD_ISENABLER)).toBe(0n);
    expect(t.d(GICD_IPRIORITYR)).toBe(0n);
    expect(t.d(GICD_IROUTER + 8 * 5, 8)).toBe(0n);
    // Banked per CPU in SGI_base.
    t.rw(1, SGI + 0x100, 0x00010002);
    expect(t.r(1, SGI + 0x100)).toBe(0x00010002n);
    expect(t.r(0, SGI + 0x100)).toBe(0n);
    // SGIs are edge-triggered (RO); PPIs default to level and are configurable.
    expect(t.r(0, SGI + 0xc00)).toBe(0xaaaaaaaan);
    t.rw(0, SGI + 0xc00, 0);
    expect(t.r(0, SGI + 0xc00)).toBe(0xaaaaaaaan);
    expect(t.r(0, SGI + 0xc04)).toBe(0n);
    t.rw(0, SGI + 0xc04, 0x2 << 22); // INTID 27 edge
    expect(t.r(0, SGI + 0xc04)).toBe(BigInt(0x2 << 22));
    // IGRPMODR is RAZ/WI with DS = 1.
    t.dw(GICD_IGRPMODR + 4, 0xffffffff);
    expect(t.d(GICD_IGRPMODR + 4)).toBe(0n);
  });

  it("names the ICC registers by their MRS/MSR encodings", () => {
    expect(iccRegisterName(3, 0, 12, 12, 0)).toBe("ICC_IAR1_EL1");
    expect(iccRegisterName(3, 0, 4, 6, 0)).toBe("ICC_PMR_EL1");
    expect(iccRegisterName(3, 0, 12, 11, 5)).toBe("ICC_SGI1R_EL1");
    expect(iccRegisterName(3, 0, 12, 9, 1)).toBeUndefined(); // AP1R1: 5 priority bits
    expect(ICC_REGS.ICC_EOIR1_EL1.access).toBe("w");
    const t = new Rig(1);
    expect(() => t.sys(0, "ICC_AP1R1_EL1")).toThrow(RangeError);
  });

  it("reports the CPU interface's fixed fields: SRE, PRIbits, PMR and BPR limits", () => {
    const t = new Rig(1);
    expect(t.sys(0, "ICC_SRE_EL1")).toBe(7n);
    t.setSys(0, "ICC_SRE_EL1", 0);
    expect(t.sys(0, "ICC_SRE_EL1")).toBe(7n);
    const ctlr = t.sys(0, "ICC_CTLR_EL1");
    expect(Number((ctlr >> 8n) & 7n)).toBe(4);   // PRIbits: 5 bits
    expect(Number((ctlr >> 11n) & 7n)).toBe(0);  // IDbits: 16
    t.setSys(0, "ICC_PMR_EL1", 0xff);
    expect(t.sys(0, "ICC_PMR_EL1")).toBe(0xf8n);
    t.setSys(0, "ICC_PMR_EL1", 0x08);             // Linux's gic_has_group0 probe
    expect(t.sys(0, "ICC_PMR_EL1")).toBe(0x08n);
    t.setSys(0, "ICC_BPR1_EL1", 0);
    expect(t.sys(0, "ICC_BPR1_EL1")).toBe(3n);
    t.setSys(0, "ICC_BPR0_EL1", 0);
    expect(t.sys(0, "ICC_BPR0_EL1")).toBe(2n);
    t.setSys(0, "ICC_CTLR_EL1", 1);               // CBPR: BPR1 reads BPR0 + 1, writes ignored
    t.setSys(0, "ICC_BPR0_EL1", 4);
    expect(t.sys(0, "ICC_BPR1_EL1")).toBe(5n);
    t.setSys(0, "ICC_BPR1_EL1", 7);
    t.setSys(0, "ICC_CTLR_EL1", 0);
    expect(t.sys(0, "ICC_BPR1_EL1")).toBe(3n);
    expect(t.sys(0, "ICC_RPR_EL1")).toBe(0xffn);
  });
});

describe("GICv3 delivery after Linux's bring-up", () => {
  it("completes the bring-up with no interrupt signalled and spurious IAR", () => {
    const t = new Rig(4);
    t.linuxBringUp();
    expect(t.lines()).toEqual([false, false, false, false]);
    for (let c = 0; c < 4; c++) {
      expect(t.iar(c)).toBe(SPURIOUS);
      expect(t.sys(c, "ICC_HPPIR1_EL1")).toBe(1023n);
      expect(t.sys(c, "ICC_PMR_EL1")).toBe(0xf0n);
      expect(t.sys(c, "ICC_IGRPEN1_EL1")).toBe(1n);
    }
    expect(t.d(GICD_IGROUPR + 4)).toBe(0xffffffffn);
  });

  it("delivers an SPI routed by IROUTER to CPU 1 only; IAR takes it and drops the line; EOI", () => {
    const t = new Rig(2);
    t.linuxBringUp();
    t.route(48, 1);
    t.setEdge(48);
    t.enable(48);
    t.changes.length = 0;
    t.gic.setSpi(48, true);
    expect(t.lines()).toEqual([false, true]);
    expect(t.changes).toEqual([{ cpu: 1, irq: true, fiq: false }]);
    expect(t.iar(0)).toBe(SPURIOUS);
    expect(t.sys(1, "ICC_HPPIR1_EL1")).toBe(48n);
    expect(t.iar(1)).toBe(48);
    expect(t.lines()).toEqual([false, false]);
    expect(t.sys(1, "ICC_RPR_EL1")).toBe(BigInt(DEF_PRI));
    expect(t.sys(1, "ICC_AP1R0_EL1")).toBe(BigInt(1 << (DEF_PRI >> 3)));
    expect(t.d(GICD_ISACTIVER + 4)).toBe(1n << 16n);
    expect(t.d(GICD_ISPENDR + 4)).toBe(0n);
    t.eoi(1, 48);
    expect(t.d(GICD_ISACTIVER + 4)).toBe(0n);
    expect(t.sys(1, "ICC_RPR_EL1")).toBe(0xffn);
    expect(t.sys(1, "ICC_AP1R0_EL1")).toBe(0n);
    expect(t.lines()).toEqual([false, false]);
    // Re-routing a pending SPI moves it.
    t.gic.setSpi(48, false);
    t.gic.setSpi(48, true);
    expect(t.lines()).toEqual([false, true]);
    t.route(48, 0);
    expect(t.lines()).toEqual([true, false]);
  });

  sharedScenarios(() => {
    const t = new Rig(1);
    t.linuxBringUp();
    return t;
  });

  it("preempts by group priority only, per the binary point", () => {
    const t = new Rig(1);
    t.linuxBringUp();
    for (const i of [40, 41]) { t.setEdge(i); t.enable(i); }
    t.setPrio(40, 0x80);
    t.setPrio(41, 0x70);
    t.setSys(0, "ICC_BPR1_EL1", 5); // group priority [7:5]: 0x80 and 0x70 differ (0x80 vs 0x60)
    t.gic.setSpi(40, true);
    expect(t.iar(0)).toBe(40);
    t.gic.setSpi(41, true);
    expect(t.irq(0)).toBe(true);
    t.setSys(0, "ICC_BPR1_EL1", 7); // group priority [7]: both 0x80 vs 0x00 -- still preempts
    expect(t.irq(0)).toBe(true);
    t.setPrio(41, 0x90);            // lower priority than the running 0x80
    expect(t.irq(0)).toBe(false);
  });

  it("delivers PPIs to their own CPU (timer PPI 30, level)", () => {
    const t = new Rig(2);
    t.linuxBringUp();
    t.enable(30, 1);
    t.gic.setPpi(0, 30, true);              // CPU 0's PPI 30 is disabled
    expect(t.lines()).toEqual([false, false]);
    t.gic.setPpi(1, 30, true);
    expect(t.lines()).toEqual([false, true]);
    expect(t.iar(1)).toBe(30);
    t.gic.setPpi(1, 30, false);
    t.eoi(1, 30);
    expect(t.lines()).toEqual([false, false]);
    const timer = t.gic.ppiLine(1, 27);
    t.enable(27, 1);
    timer(true);
    expect(t.iar(1)).toBe(27);
  });

  it("sends SGIs to a target list and to all but self", () => {
    const t = new Rig(4);
    t.linuxBringUp();
    // SGI 3 from CPU 0 to CPUs 1 and 3 (Aff1 0, TargetList bits 1 and 3).
    t.setSys(0, "ICC_SGI1R_EL1", (3n << 24n) | 0b1010n);
    expect(t.lines()).toEqual([false, true, false, true]);
    expect(t.iar(1)).toBe(3);
    expect(t.iar(3)).toBe(3);
    t.eoi(1, 3);
    t.eoi(3, 3);
    expect(t.lines()).toEqual([false, false, false, false]);
    // IRM = 1 from CPU 2: everyone else.
    t.setSys(2, "ICC_SGI1R_EL1", (1n << 40n) | (5n << 24n));
    expect(t.lines()).toEqual([true, true, false, true]);
    for (const c of [0, 1, 3]) { expect(t.iar(c)).toBe(5); t.eoi(c, 5); }
    expect(t.lines()).toEqual([false, false, false, false]);
    // A different Aff1 or RS matches nobody.
    t.setSys(0, "ICC_SGI1R_EL1", (1n << 16n) | (3n << 24n) | 0xffffn);
    t.setSys(0, "ICC_SGI1R_EL1", (1n << 44n) | (3n << 24n) | 0xffffn);
    expect(t.lines()).toEqual([false, false, false, false]);
    // SGI0R targets Group 0 SGIs only: every SGI here is Group 1.
    t.setSys(0, "ICC_SGI0R_EL1", (3n << 24n) | 0b10n);
    expect(t.lines()).toEqual([false, false, false, false]);
  });

  it("targets CPUs in a second affinity cluster (Aff1 = 1)", () => {
    const t = new Rig(18);
    t.linuxBringUp();
    t.setSys(0, "ICC_SGI1R_EL1", (1n << 16n) | (2n << 24n) | 0b10n); // 0.0.1.1 = CPU 17
    expect(t.lines().map((l, c) => (l ? c : -1)).filter((c) => c >= 0)).toEqual([17]);
    t.route(40, 16);
    t.enable(40);
    t.gic.setSpi(40, true);
    expect(t.irq(16)).toBe(true);
  });

  it("never signals a disabled interrupt, nor one whose group is disabled", () => {
    const t = new Rig(1);
    t.linuxBringUp();
    t.setEdge(60);
    t.gic.setSpi(60, true);
    expect(t.irq(0)).toBe(false);
    expect(t.iar(0)).toBe(SPURIOUS);
    expect(t.d(GICD_ISPENDR + 4)).toBe(1n << 28n); // pending, just not enabled
    t.enable(60);
    expect(t.irq(0)).toBe(true);
    t.dw(GICD_ICENABLER + 4, 1 << 28);
    expect(t.irq(0)).toBe(false);
    t.enable(60);
    t.setSys(0, "ICC_IGRPEN1_EL1", 0);
    expect(t.irq(0)).toBe(false);
    expect(t.iar(0)).toBe(SPURIOUS);
    t.setSys(0, "ICC_IGRPEN1_EL1", 1);
    t.dw(GICD_CTLR, CTLR_ARE_NS | CTLR_ENABLE_G1); // Group 1 (bit 1) off
    expect(t.irq(0)).toBe(false);
    t.dw(GICD_CTLR, CTLR_ARE_NS | CTLR_ENABLE_G1 | CTLR_ENABLE_G1A);
    expect(t.iar(0)).toBe(60);
    t.eoi(0, 60);
    // A CPU whose redistributor is asleep gets nothing.
    t.gic.setSpi(60, false);
    t.rw(0, GICR_WAKER, WAKER_PS);
    t.gic.setSpi(60, true);
    expect(t.irq(0)).toBe(false);
    t.rw(0, GICR_WAKER, 0);
    expect(t.irq(0)).toBe(true);
  });

  it("signals Group 0 as FIQ through IAR0/EOIR0, beside Group 1 as IRQ", () => {
    const t = new Rig(1);
    t.linuxBringUp();
    t.dw(GICD_IGROUPR + 4, 0xfffffffe);        // INTID 32 in Group 0
    t.setSys(0, "ICC_IGRPEN0_EL1", 1);
    t.setEdge(32); t.enable(32); t.setPrio(32, 0x40);
    t.setEdge(33); t.enable(33); t.setPrio(33, 0x80);
    t.changes.length = 0;
    t.gic.setSpi(32, true);
    expect(t.gic.fiqLine(0)).toBe(true);
    expect(t.irq(0)).toBe(false);
    expect(t.changes).toEqual([{ cpu: 0, irq: false, fiq: true }]);
    expect(t.iar(0)).toBe(SPURIOUS);            // IAR1 does not take Group 0
    expect(t.sys(0, "ICC_HPPIR0_EL1")).toBe(32n);
    expect(t.sys(0, "ICC_IAR0_EL1")).toBe(32n);
    expect(t.gic.fiqLine(0)).toBe(false);
    t.gic.setSpi(33, true);                     // lower priority Group 1: masked by the running priority
    expect(t.irq(0)).toBe(false);
    t.eoi(0, 32);                                // EOIR1 does not end a Group 0 interrupt
    expect(t.sys(0, "ICC_AP0R0_EL1")).toBe(BigInt(1 << (0x40 >> 3)));
    t.setSys(0, "ICC_EOIR0_EL1", 32);
    expect(t.sys(0, "ICC_AP0R0_EL1")).toBe(0n);
    expect(t.irq(0)).toBe(true);
    expect(t.iar(0)).toBe(33);
  });

  it("delivers a 1-of-N SPI to one awake CPU that has not opted out", () => {
    const t = new Rig(3);
    t.linuxBringUp();
    t.enable(44);
    t.dw(GICD_IROUTER + 44 * 8, 1n << 31n, 8);
    t.rw(0, GICR_CTLR, 1 << 25); // CPU 0: DPG1NS
    t.gic.setSpi(44, true);
    expect(t.lines()).toEqual([false, true, false]);
    expect(t.iar(1)).toBe(44);
    expect(t.lines()).toEqual([false, false, false]);
  });

  it("saves and restores its state (JSON-safe) and reports the outputs", () => {
    const a = new Rig(2);
    a.linuxBringUp();
    a.route(40, 1); a.setEdge(40); a.enable(40); a.enable(41); a.setPrio(41, 0x60);
    a.gic.setSpi(40, true);
    expect(a.iar(1)).toBe(40);
    a.gic.setSpi(41, true); // level, routed to CPU 0
    const snap = JSON.parse(JSON.stringify(a.gic.distributor.saveState!()));
    const b = new Rig(2);
    b.gic.distributor.restoreState!(snap);
    expect(b.changes).toEqual([{ cpu: 0, irq: true, fiq: false }, { cpu: 1, irq: false, fiq: false }]);
    expect(b.sys(1, "ICC_RPR_EL1")).toBe(0xa0n);
    expect(b.d(GICD_ISACTIVER + 4)).toBe(1n << 8n);
    expect(b.iar(0)).toBe(41);
    b.gic.setSpi(41, false);
    b.eoi(0, 41);
    b.eoi(1, 40);
    expect(b.d(GICD_ISACTIVER + 4)).toBe(0n);
    expect(b.lines()).toEqual([false, false]);
    expect(() => new Rig(3).gic.restoreState(snap)).toThrow();
  });

  it("rejects wires that do not exist", () => {
    const t = new Rig(2, 64);
    expect(() => t.gic.setSpi(64, true)).toThrow(RangeError);
    expect(() => t.gic.setSpi(31, true)).toThrow(RangeError);
    expect(() => t.gic.setPpi(0, 15, true)).toThrow(RangeError);
    expect(() => t.gic.setPpi(2, 30, true)).toThrow(RangeError);
    expect(() => new GicV3({ cpus: 1, irqs: 100 })).toThrow(RangeError);
  });
});
