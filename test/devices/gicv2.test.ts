// GICv2 (IHI 0048B) without Security Extensions: the register frames as
// Linux's irq-gic driver uses them (gic_init_bases, gic_dist_init,
// gic_cpu_init, gic_handle_irq, gic_ipi_send_mask, gic_set_affinity),
// delivery, acknowledge/EOI, priorities, SGIs with their source CPU, banked
// SGIs/PPIs, EOImode, groups, snapshots.
import { describe, it, expect } from "vitest";
import { GicV2, SPURIOUS } from "../../src/devices/gicv2";
import {
  GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR, GICD_ICPENDR,
  GICD_ISACTIVER, GICD_ICACTIVER, GICD_IPRIORITYR, GICD_ICFGR, DEF_PRI,
  type GicHarness, sharedScenarios,
} from "./gic-scenarios";

const GICD_ITARGETSR = 0x800, GICD_SGIR = 0xf00, GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20, GICD_PIDR2 = 0xfe8;
const GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c, GICC_EOIR = 0x10, GICC_RPR = 0x14,
  GICC_HPPIR = 0x18, GICC_ABPR = 0x1c, GICC_AIAR = 0x20, GICC_AEOIR = 0x24, GICC_AHPPIR = 0x28, GICC_APR0 = 0xd0,
  GICC_NSAPR0 = 0xe0, GICC_IIDR = 0xfc, GICC_DIR = 0x1000;
const CTLR_EN_GRP0 = 1, CTLR_EN_GRP1 = 2, CTLR_ACKCTL = 4, CTLR_FIQEN = 8, CTLR_EOIMODE = 1 << 9;

type Change = { cpu: number; irq: boolean; fiq: boolean };

class Rig implements GicHarness {
  readonly gic: GicV2;
  readonly changes: Change[] = [];
  cur = 0; // the CPU making the access
  constructor(cpus: number, irqs?: number) {
    this.gic = new GicV2({ cpus, irqs, onChange: (cpu, irq, fiq) => this.changes.push({ cpu, irq, fiq }), currentCpu: () => this.cur });
  }
  d(off: number, size = 4, cpu = 0): number { this.cur = cpu; return Number(this.gic.distributor.read(off, size)); }
  dw(off: number, v: number, size = 4, cpu = 0): void { this.cur = cpu; this.gic.distributor.write(off, size, BigInt(v >>> 0)); }
  c(cpu: number, off: number): number { this.cur = cpu; return Number(this.gic.cpuInterface.read(off, 4)); }
  cw(cpu: number, off: number, v: number): void { this.cur = cpu; this.gic.cpuInterface.write(off, 4, BigInt(v >>> 0)); }
  iar(cpu: number): number { return this.c(cpu, GICC_IAR); }
  eoi(cpu: number, v: number): void { this.cw(cpu, GICC_EOIR, v); }
  irq(cpu: number): boolean { return this.gic.irqLine(cpu); }
  lines(): boolean[] { return Array.from({ length: this.gic.cpus }, (_, c) => this.gic.irqLine(c)); }
  setPrio(intid: number, prio: number, cpu = 0): void { this.dw(GICD_IPRIORITYR + intid, prio, 1, cpu); }
  enable(intid: number, cpu = 0): void { this.dw(GICD_ISENABLER + (intid >> 5) * 4, 1 << (intid & 31), 4, cpu); }
  setEdge(intid: number, cpu = 0): void {
    const off = GICD_ICFGR + (intid >> 4) * 4;
    this.dw(off, this.d(off, 4, cpu) | (2 << ((intid & 15) * 2)), 4, cpu);
  }
  // The rest of GicHarness (./gic-scenarios).
  spi(intid: number, level: boolean): void { this.gic.setSpi(intid, level); }
  dread(off: number): number { return this.d(off); }
  dir(cpu: number, intid: number): void { this.cw(cpu, GICC_DIR, intid); }
  setEoiMode(cpu: number, on: boolean): void {
    this.cw(cpu, GICC_CTLR, (this.c(cpu, GICC_CTLR) & ~CTLR_EOIMODE) | (on ? CTLR_EOIMODE : 0));
  }
  setPmr(cpu: number, v: number): void { this.cw(cpu, GICC_PMR, v); }
  rpr(cpu: number): number { return this.c(cpu, GICC_RPR); }
  hppir(cpu: number): number { return this.c(cpu, GICC_HPPIR); }
  // gic_set_affinity: one CPU's bit in the SPI's ITARGETSR byte.
  target(intid: number, cpus: number): void { this.dw(GICD_ITARGETSR + intid, cpus, 1); }

  // Linux's drivers/irqchip/irq-gic.c: gic_init_bases, gic_dist_init on the
  // boot CPU, then gic_cpu_init on each CPU as it comes up.
  linuxBringUp(eoiMode = false): void {
    expect((this.d(GICD_PIDR2) >> 4) & 0xf).toBe(2);
    // gic_check_gicv2 (for the EOImode decision)
    expect(this.c(0, GICC_IIDR) & 0xff0fff).toBe(0x02043b);
    let gicIrqs = ((this.d(GICD_TYPER) & 0x1f) + 1) * 32;
    if (gicIrqs > 1020) gicIrqs = 1020;
    // gic_dist_init
    this.dw(GICD_CTLR, 0);
    let cpumask = this.cpuMask(0);
    cpumask |= cpumask << 8;
    cpumask |= cpumask << 16;
    for (let i = 32; i < gicIrqs; i += 4) this.dw(GICD_ITARGETSR + i, cpumask);
    // gic_dist_config: level, default priority, inactive, disabled
    for (let i = 32; i < gicIrqs; i += 16) this.dw(GICD_ICFGR + i / 4, 0);
    for (let i = 32; i < gicIrqs; i += 4) this.dw(GICD_IPRIORITYR + i, 0xa0a0a0a0);
    for (let i = 32; i < gicIrqs; i += 32) {
      this.dw(GICD_ICACTIVER + i / 8, 0xffffffff);
      this.dw(GICD_ICENABLER + i / 8, 0xffffffff);
    }
    this.dw(GICD_CTLR, 1);
    for (let cpu = 0; cpu < this.gic.cpus; cpu++) {
      // gic_cpu_init: gic_get_cpumask as this CPU
      const mask = this.cpuMask(cpu);
      if (this.gic.cpus > 1) expect(mask).toBe(1 << cpu);
      // gic_cpu_config
      this.dw(GICD_ICACTIVER, 0xffffffff, 4, cpu);
      this.dw(GICD_ICENABLER, 0xffffffff, 4, cpu);
      for (let i = 0; i < 32; i += 4) this.dw(GICD_IPRIORITYR + i, 0xa0a0a0a0, 4, cpu);
      this.dw(GICD_ISENABLER, 0x0000ffff, 4, cpu);
      // gic_cpu_if_up
      this.cw(cpu, GICC_PMR, 0xf0);
      const bypass = this.c(cpu, GICC_CTLR) & 0x1e0;
      this.cw(cpu, GICC_CTLR, bypass | (eoiMode ? CTLR_EOIMODE : 0) | 1);
    }
  }

  // gic_get_cpumask: the first non-zero ITARGETSR0..7 word, folded to a byte.
  cpuMask(cpu: number): number {
    let mask = 0;
    for (let i = 0; i < 32; i += 4) {
      mask = this.d(GICD_ITARGETSR + i, 4, cpu);
      mask |= mask >>> 16;
      mask |= mask >>> 8;
      if (mask) break;
    }
    return mask & 0xff;
  }

  // gic_ipi_send_mask
  sendSgi(from: number, sgi: number, targets: number, filter = 0): void {
    this.dw(GICD_SGIR, (filter << 24) | (targets << 16) | sgi, 4, from);
  }
}

describe("GICv2 registers", () => {
  it("identifies itself: TYPER, IIDR, ICPIDR2 (ArchRev 2), GICC_IIDR, CTLR", () => {
    const t = new Rig(4, 256);
    const typer = t.d(GICD_TYPER);
    expect(typer & 0x1f).toBe(256 / 32 - 1);     // ITLinesNumber
    expect((typer >> 5) & 7).toBe(3);            // CPUNumber: 4 CPUs
    expect(typer & (1 << 10)).toBe(0);           // SecurityExtn
    expect(t.d(GICD_IIDR) & 0xfff).toBe(0x43b);
    expect(t.d(GICD_PIDR2)).toBe(0x2b);
    expect([0xff0, 0xff4, 0xff8, 0xffc].map((o) => t.d(o))).toEqual([0x0d, 0xf0, 0x05, 0xb1]);
    expect(t.d(0xfe0)).toBe(0x90);
    expect(t.c(0, GICC_IIDR)).toBe(0x0002043b);
    expect(new Rig(1).d(GICD_TYPER)).toBe(288 / 32 - 1); // default 288 INTIDs, CPUNumber 0
    expect(t.d(GICD_CTLR)).toBe(0);
    t.dw(GICD_CTLR, 0xffffffff);
    expect(t.d(GICD_CTLR)).toBe(3);              // EnableGrp0, EnableGrp1
    expect(t.gic.distributor.size).toBe(0x10000);
    expect(t.gic.cpuInterface.size).toBe(0x10000);
    expect(t.d(0x1fe8)).toBe(0);                 // beyond the 4 KiB block: RAZ
  });

  it("banks INTIDs 0-31 per CPU: enables, priorities, ICFGR; SGIs always enabled and edge", () => {
    const t = new Rig(2);
    expect(t.d(GICD_ISENABLER, 4, 0)).toBe(0xffff);
    t.dw(GICD_ICENABLER, 0xffffffff, 4, 1);
    expect(t.d(GICD_ISENABLER, 4, 1)).toBe(0xffff); // SGI enables RAO/WI
    t.dw(GICD_ISENABLER, 1 << 27, 4, 1);
    expect(t.d(GICD_ISENABLER, 4, 1)).toBe(0xffff | (1 << 27));
    expect(t.d(GICD_ISENABLER, 4, 0)).toBe(0xffff);
    t.setPrio(27, 0x40, 1);
    expect(t.d(GICD_IPRIORITYR + 27, 1, 1)).toBe(0x40);
    expect(t.d(GICD_IPRIORITYR + 27, 1, 0)).toBe(0);
    expect(t.d(GICD_ICFGR, 4, 0)).toBe(0xaaaaaaaa);
    t.dw(GICD_ICFGR, 0, 4, 0);
    expect(t.d(GICD_ICFGR, 4, 0)).toBe(0xaaaaaaaa);
    t.setEdge(27, 1);
    expect(t.d(GICD_ICFGR + 4, 4, 1)).toBe(2 << 22);
    expect(t.d(GICD_ICFGR + 4, 4, 0)).toBe(0);
    // The per-CPU views, without the hook (the state is saved with `distributor` only).
    expect(t.gic.distributorFor(1).read(GICD_IPRIORITYR + 27, 1)).toBe(0x40n);
    t.gic.cpuInterfaceFor(1).write(GICC_PMR, 4, 0x80n);
    expect(t.c(1, GICC_PMR)).toBe(0x80);
    expect(t.c(0, GICC_PMR)).toBe(0);
    expect(t.gic.cpuInterfaceFor(1).saveState).toBeUndefined();
    expect(t.gic.distributorFor(1).saveState).toBeUndefined();
    expect(() => t.gic.distributorFor(2)).toThrow(RangeError);
    t.cur = 5;
    expect(() => t.gic.distributor.read(0, 4)).toThrow(RangeError);
  });

  it("reads ITARGETSR0-7 as the reader's own bit, read-only; SPI targets by byte; RAZ/WI on one CPU", () => {
    const t = new Rig(4);
    for (let c = 0; c < 4; c++) {
      expect(t.d(GICD_ITARGETSR, 4, c)).toBe(((1 << c) * 0x01010101) >>> 0);
      expect(t.d(GICD_ITARGETSR + 31, 1, c)).toBe(1 << c);
    }
    t.dw(GICD_ITARGETSR, 0xffffffff, 4, 2);
    expect(t.d(GICD_ITARGETSR, 4, 2)).toBe(0x04040404);
    t.dw(GICD_ITARGETSR + 41, 0xff, 1);
    expect(t.d(GICD_ITARGETSR + 40)).toBe(0x0f00);   // only the 4 CPUs that exist
    t.dw(GICD_ITARGETSR + 42, 0x0201, 2);
    expect(t.d(GICD_ITARGETSR + 40)).toBe(0x02010f00);
    const up = new Rig(1);
    expect(up.d(GICD_ITARGETSR)).toBe(0);
    up.dw(GICD_ITARGETSR + 32, 0x01010101);
    expect(up.d(GICD_ITARGETSR + 32)).toBe(0);
  });

  it("handles byte and halfword accesses to IPRIORITYR (5 priority bits)", () => {
    const t = new Rig(1);
    t.dw(GICD_IPRIORITYR + 41, 0xff, 1);
    expect(t.d(GICD_IPRIORITYR + 41, 1)).toBe(0xf8);
    expect(t.d(GICD_IPRIORITYR + 40)).toBe(0xf800);
    t.dw(GICD_IPRIORITYR + 42, 0x1234, 2);
    expect(t.d(GICD_IPRIORITYR + 40)).toBe(0x1030f800);
    t.cw(0, GICC_PMR, 0xff);
    expect(t.c(0, GICC_PMR)).toBe(0xf8);
    expect(t.c(0, GICC_RPR)).toBe(0xff);
    t.cw(0, GICC_BPR, 0);
    expect(t.c(0, GICC_BPR)).toBe(2);
    t.cw(0, GICC_ABPR, 0);
    expect(t.c(0, GICC_ABPR)).toBe(3);
    t.cw(0, GICC_CTLR, 0xffffffff);
    expect(t.c(0, GICC_CTLR)).toBe(0x21f);       // bypass-disable bits RAZ/WI
    expect(t.gic.cpuInterface.read(GICC_PMR, 1)).toBe(0n); // 32-bit registers only
  });
});

describe("GICv2 delivery after Linux's bring-up", () => {
  it("completes the bring-up with every CPU's mask found and nothing signalled", () => {
    const t = new Rig(4);
    t.linuxBringUp();
    expect(t.lines()).toEqual([false, false, false, false]);
    for (let c = 0; c < 4; c++) {
      expect(t.iar(c)).toBe(SPURIOUS);
      expect(t.c(c, GICC_HPPIR)).toBe(SPURIOUS);
      expect(t.c(c, GICC_PMR)).toBe(0xf0);
      expect(t.c(c, GICC_CTLR)).toBe(CTLR_EN_GRP0);
      expect(t.d(GICD_ISENABLER, 4, c)).toBe(0xffff);
      expect(t.d(GICD_IPRIORITYR + 28, 4, c)).toBe(0xa0a0a0a0);
    }
    expect(t.d(GICD_ITARGETSR + 32)).toBe(0x01010101); // SPIs to the boot CPU
    expect(t.d(GICD_ITARGETSR + 284)).toBe(0x01010101);
    expect(t.d(GICD_CTLR)).toBe(1);
  });

  it("delivers an SPI (the UART's, level) to its target; IAR takes it; EOIR ends it", () => {
    const t = new Rig(2);
    t.linuxBringUp();
    t.target(33, 2);                   // to CPU 1
    t.enable(33);
    t.changes.length = 0;
    const uart = t.gic.spiLine(33);
    uart(true);
    expect(t.lines()).toEqual([false, true]);
    expect(t.changes).toEqual([{ cpu: 1, irq: true, fiq: false }]); // Group 0 without FIQEn: IRQ
    expect(t.iar(0)).toBe(SPURIOUS);
    expect(t.c(1, GICC_HPPIR)).toBe(33);
    expect(t.iar(1)).toBe(33);
    expect(t.lines()).toEqual([false, false]);
    expect(t.c(1, GICC_RPR)).toBe(DEF_PRI);
    expect(t.c(1, GICC_APR0)).toBe(1 << (DEF_PRI >> 3));
    expect(t.d(GICD_ISACTIVER + 4)).toBe(2);
    expect(t.d(GICD_ISPENDR + 4)).toBe(2);      // level still high: active and pending
    uart(false);                                // the driver services the device
    t.eoi(1, 33);
    expect(t.d(GICD_ISACTIVER + 4)).toBe(0);
    expect(t.c(1, GICC_RPR)).toBe(0xff);
    expect(t.lines()).toEqual([false, false]);
    // Re-targeting a pending SPI moves it.
    uart(true);
    expect(t.lines()).toEqual([false, true]);
    t.target(33, 1);
    expect(t.lines()).toEqual([true, false]);
    t.target(33, 0);                            // no target: nowhere
    expect(t.lines()).toEqual([false, false]);
  });

  it("offers an SPI with several targets to all of them; the first to acknowledge takes it", () => {
    const t = new Rig(3);
    t.linuxBringUp();
    t.target(40, 0b110);
    t.setEdge(40);
    t.enable(40);
    t.gic.setSpi(40, true);
    expect(t.lines()).toEqual([false, true, true]);
    expect(t.iar(2)).toBe(40);
    expect(t.lines()).toEqual([false, false, false]);
    expect(t.iar(1)).toBe(SPURIOUS);
    t.eoi(2, 40);
    expect(t.d(GICD_ISACTIVER + 4)).toBe(0);
    // An EOI of an INTID that does not exist (or of the spurious one) changes nothing.
    t.gic.setSpi(40, false);
    t.gic.setSpi(40, true);
    expect(t.iar(1)).toBe(40);
    t.eoi(1, 300);
    t.eoi(1, SPURIOUS);
    expect(t.c(1, GICC_RPR)).toBe(DEF_PRI);
    t.eoi(1, 40);
    expect(t.c(1, GICC_RPR)).toBe(0xff);
  });

  sharedScenarios(() => {
    const t = new Rig(1);
    t.linuxBringUp();
    return t;
  });

  it("preempts by group priority only, per GICC_BPR", () => {
    const t = new Rig(1);
    t.linuxBringUp();
    // The binary point: with BPR 5 the group priority is [7:6], so 0x40 does
    // not preempt 0x60 (both 0x40); with BPR 2 ([7:3]) it does.
    t.setPrio(43, 0x60); t.setEdge(43); t.enable(43);
    t.setPrio(44, 0x40); t.setEdge(44); t.enable(44);
    for (const [bpr, preempts] of [[5, false], [2, true]] as const) {
      t.cw(0, GICC_BPR, bpr);
      t.gic.setSpi(43, true);
      expect(t.iar(0)).toBe(43);
      t.gic.setSpi(44, true);
      expect(t.irq(0)).toBe(preempts);
      if (preempts) { expect(t.iar(0)).toBe(44); t.eoi(0, 44); }
      t.eoi(0, 43);
      if (!preempts) { expect(t.iar(0)).toBe(44); t.eoi(0, 44); }
      t.gic.setSpi(43, false);
      t.gic.setSpi(44, false);
      expect(t.c(0, GICC_RPR)).toBe(0xff);
    }
  });

  it("delivers PPIs to their own CPU, banked (the timer's PPI 30)", () => {
    const t = new Rig(2);
    t.linuxBringUp();
    t.enable(30, 1);
    t.gic.setPpi(0, 30, true);             // CPU 0's copy is disabled
    expect(t.lines()).toEqual([false, false]);
    expect(t.d(GICD_ISPENDR, 4, 0)).toBe(1 << 30);
    expect(t.d(GICD_ISPENDR, 4, 1)).toBe(0);
    t.gic.setPpi(1, 30, true);
    expect(t.lines()).toEqual([false, true]);
    expect(t.iar(1)).toBe(30);
    expect(t.d(GICD_ISACTIVER, 4, 1)).toBe(1 << 30);
    expect(t.d(GICD_ISACTIVER, 4, 0)).toBe(0);
    t.gic.setPpi(1, 30, false);
    t.eoi(1, 30);
    expect(t.lines()).toEqual([false, false]);
    t.enable(30, 0);
    expect(t.lines()).toEqual([true, false]);
    const vtimer = t.gic.ppiLine(1, 27);
    t.enable(27, 1);
    vtimer(true);
    expect(t.iar(1)).toBe(27);
    expect(() => t.gic.setPpi(2, 30, true)).toThrow(RangeError);
    expect(() => t.gic.setPpi(0, 15, true)).toThrow(RangeError);
  });

  it("sends SGIs by target list, to all but self and to self; IAR carries the source CPU", () => {
    const t = new Rig(4);
    t.linuxBringUp();
    t.sendSgi(0, 3, 0b1010);               // from CPU 0 to CPUs 1 and 3
    expect(t.lines()).toEqual([false, true, false, true]);
    expect(t.d(GICD_ISPENDR, 4, 1)).toBe(1 << 3);
    expect(t.d(GICD_SPENDSGIR, 4, 1)).toBe(1 << 24);  // SGI 3's byte: source CPU 0
    expect(t.c(1, GICC_HPPIR)).toBe(3);
    const v = t.iar(1);
    expect(v & 0x3ff).toBe(3);
    expect((v >> 10) & 7).toBe(0);
    t.eoi(1, v);                           // Linux writes IAR's value back
    expect(t.iar(3)).toBe(3);
    t.eoi(3, 3);
    expect(t.lines()).toEqual([false, false, false, false]);
    // TargetListFilter 1 from CPU 2: everyone else.
    t.sendSgi(2, 5, 0, 1);
    expect(t.lines()).toEqual([true, true, false, true]);
    for (const c of [0, 1, 3]) { const x = t.iar(c); expect(x).toBe(5 | (2 << 10)); t.eoi(c, x); }
    // TargetListFilter 2: to self only; 3 is reserved.
    t.sendSgi(3, 1, 0, 2);
    t.sendSgi(3, 2, 0xff, 3);
    expect(t.lines()).toEqual([false, false, false, true]);
    expect(t.iar(3)).toBe(1 | (3 << 10));
    t.eoi(3, 1 | (3 << 10));
    // Targets beyond the CPUs that exist are dropped.
    t.sendSgi(0, 1, 0xf0);
    expect(t.lines()).toEqual([false, false, false, false]);
  });

  it("keeps an SGI pending per source: two senders, two acknowledges", () => {
    const t = new Rig(3);
    t.linuxBringUp();
    t.sendSgi(2, 7, 0b001);
    t.sendSgi(1, 7, 0b001);
    expect(t.d(GICD_SPENDSGIR + 4, 4, 0)).toBe(0b110 << 24);
    expect(t.c(0, GICC_HPPIR)).toBe(7 | (1 << 10)); // the lowest source first
    const first = t.iar(0);
    expect(first).toBe(7 | (1 << 10));
    expect(t.d(GICD_ISPENDR, 4, 0) & (1 << 7)).toBe(1 << 7); // still pending from CPU 2
    expect(t.d(GICD_ISACTIVER, 4, 0)).toBe(1 << 7);
    expect(t.irq(0)).toBe(false);          // active: not taken again yet
    t.eoi(0, first);
    expect(t.irq(0)).toBe(true);
    expect(t.iar(0)).toBe(7 | (2 << 10));
    t.eoi(0, 7 | (2 << 10));
    expect(t.d(GICD_ISPENDR, 4, 0)).toBe(0);
    // ISPENDR/ICPENDR do not reach SGIs; SPENDSGIR/CPENDSGIR do, by source byte.
    t.dw(GICD_ISPENDR, 0xffff, 4, 0);
    expect(t.d(GICD_ISPENDR, 4, 0)).toBe(0);
    t.dw(GICD_SPENDSGIR + 2, 0b100, 1, 1);  // SGI 2 on CPU 1, from CPU 2
    expect(t.d(GICD_CPENDSGIR, 4, 1)).toBe(0b100 << 16);
    expect(t.irq(1)).toBe(true);
    t.dw(GICD_ICPENDR, 0xffff, 4, 1);
    expect(t.irq(1)).toBe(true);
    t.dw(GICD_CPENDSGIR, 0b100 << 16, 4, 1);
    expect(t.irq(1)).toBe(false);
    expect(t.d(GICD_ISPENDR, 4, 1)).toBe(0);
  });

  it("ends an SGI with EOImode = 1 as Linux at EL2 does: IAR's whole value to EOIR, then DIR", () => {
    const t = new Rig(1);
    t.linuxBringUp(true);
    expect(t.c(0, GICC_CTLR)).toBe(CTLR_EOIMODE | CTLR_EN_GRP0);
    // An SGI: Linux writes IAR's whole value (with the source) to EOIR and DIR.
    t.sendSgi(0, 4, 0, 2);
    const v = t.iar(0);
    expect(v).toBe(4);
    t.eoi(0, v);
    expect(t.d(GICD_ISACTIVER, 4, 0)).toBe(1 << 4);
    t.cw(0, GICC_DIR, v);
    expect(t.d(GICD_ISACTIVER, 4, 0)).toBe(0);
  });

  it("never signals a disabled interrupt, nor one whose group the Distributor or CPU interface disables", () => {
    const t = new Rig(1);
    t.linuxBringUp();
    t.setEdge(60);
    t.gic.setSpi(60, true);
    expect(t.irq(0)).toBe(false);
    expect(t.d(GICD_ISPENDR + 4)).toBe(1 << 28);
    t.enable(60);
    expect(t.irq(0)).toBe(true);
    t.dw(GICD_CTLR, 0);
    expect(t.irq(0)).toBe(false);
    t.dw(GICD_CTLR, 1);
    t.cw(0, GICC_CTLR, 0);
    expect(t.irq(0)).toBe(false);
    expect(t.iar(0)).toBe(SPURIOUS);
    t.cw(0, GICC_CTLR, 1);
    expect(t.iar(0)).toBe(60);
  });

  it("serves Group 1 through AIAR/AEOIR/AHPPIR, through IAR with AckCtl; Group 0 as FIQ with FIQEn", () => {
    const t = new Rig(1);
    t.linuxBringUp();
    t.dw(GICD_IGROUPR + 4, 1 << 1);        // INTID 33 in Group 1
    t.setEdge(33); t.enable(33); t.setPrio(33, 0x80);
    t.setEdge(32); t.enable(32); t.setPrio(32, 0x40);
    t.dw(GICD_CTLR, 3);
    t.cw(0, GICC_CTLR, CTLR_EN_GRP0 | CTLR_EN_GRP1);
    t.gic.setSpi(33, true);
    expect(t.irq(0)).toBe(true);           // Group 1: IRQ
    expect(t.c(0, GICC_HPPIR)).toBe(1022);
    expect(t.c(0, GICC_AHPPIR)).toBe(33);
    expect(t.iar(0)).toBe(1022);           // AckCtl clear: not taken
    expect(t.irq(0)).toBe(true);
    expect(t.c(0, GICC_AIAR)).toBe(33);
    expect(t.c(0, GICC_NSAPR0)).toBe(1 << (0x80 >> 3));
    expect(t.c(0, GICC_APR0)).toBe(0);
    t.cw(0, GICC_AEOIR, 33);
    expect(t.c(0, GICC_NSAPR0)).toBe(0);
    expect(t.d(GICD_ISACTIVER + 4)).toBe(0);
    // With AckCtl, IAR takes Group 1 too.
    t.cw(0, GICC_CTLR, CTLR_EN_GRP0 | CTLR_EN_GRP1 | CTLR_ACKCTL);
    t.gic.setSpi(33, false);
    t.gic.setSpi(33, true);
    expect(t.iar(0)).toBe(33);
    t.eoi(0, 33);
    expect(t.c(0, GICC_NSAPR0)).toBe(0);
    // Group 0 with FIQEn: FIQ; AIAR does not take Group 0.
    t.cw(0, GICC_CTLR, CTLR_EN_GRP0 | CTLR_EN_GRP1 | CTLR_FIQEN);
    t.changes.length = 0;
    t.gic.setSpi(32, true);
    expect(t.gic.fiqLine(0)).toBe(true);
    expect(t.irq(0)).toBe(false);
    expect(t.changes).toEqual([{ cpu: 0, irq: false, fiq: true }]);
    expect(t.c(0, GICC_AIAR)).toBe(SPURIOUS);
    expect(t.iar(0)).toBe(32);
    expect(t.gic.fiqLine(0)).toBe(false);
    t.cw(0, GICC_AEOIR, 32);               // AEOIR does not end Group 0
    expect(t.c(0, GICC_APR0)).toBe(1 << (0x40 >> 3));
    t.eoi(0, 32);
    expect(t.c(0, GICC_APR0)).toBe(0);
    // Group 1 preempts by ABPR unless CBPR.
    t.cw(0, GICC_ABPR, 7);
    expect(t.c(0, GICC_ABPR)).toBe(7);
  });

  it("saves and restores its state (JSON-safe) and reports the outputs", () => {
    const a = new Rig(2);
    a.linuxBringUp();
    a.target(40, 2); a.setEdge(40); a.enable(40);
    a.enable(41); a.setPrio(41, 0x60);
    a.gic.setSpi(40, true);
    expect(a.iar(1)).toBe(40);
    a.gic.setSpi(41, true);                // level, to CPU 0
    a.sendSgi(0, 6, 0b10);
    a.sendSgi(1, 6, 0b10);
    const snap = JSON.parse(JSON.stringify(a.gic.distributor.saveState!()));
    const b = new Rig(2);
    b.gic.distributor.restoreState!(snap);
    expect(b.changes).toEqual([{ cpu: 0, irq: true, fiq: false }, { cpu: 1, irq: false, fiq: false }]);
    expect(b.c(1, GICC_RPR)).toBe(0xa0);
    expect(b.d(GICD_ITARGETSR + 40)).toBe(0x0101_0102);
    expect(b.iar(0)).toBe(41);
    b.gic.setSpi(41, false);
    b.eoi(0, 41);
    b.eoi(1, 40);
    expect(b.iar(1)).toBe(6);
    b.eoi(1, 6);
    expect(b.iar(1)).toBe(6 | (1 << 10));
    b.eoi(1, 6 | (1 << 10));
    expect(b.lines()).toEqual([false, false]);
    expect(() => new Rig(3).gic.restoreState(snap)).toThrow();
  });

  it("rejects configurations and wires that do not exist", () => {
    expect(() => new GicV2({ cpus: 9 })).toThrow(RangeError);
    expect(() => new GicV2({ cpus: 0 })).toThrow(RangeError);
    expect(() => new GicV2({ cpus: 1, irqs: 100 })).toThrow(RangeError);
    const t = new Rig(2, 64);
    expect(() => t.gic.setSpi(64, true)).toThrow(RangeError);
    expect(() => t.gic.setSpi(31, true)).toThrow(RangeError);
  });
});
