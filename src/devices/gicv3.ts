// GICv3 interrupt controller (Arm IHI 0069, GICv3/v4 Architecture
// Specification) for N PEs, as QEMU's virt board presents it to a guest
// without EL3: affinity routing always on (GICD_CTLR.ARE RAO/WI) and a single
// Security state (GICD_CTLR.DS RAO/WI). Group 1 interrupts are signalled as
// IRQ, Group 0 as FIQ. No LPIs or ITS, no GICv2 compatibility, no
// virtualization (ICH_* registers, virtual CPU interface).
//
// This file holds the interrupt state and its delivery to the PEs; the
// register decoding is in gic/distributor.ts (GICD_*), gic/redistributor.ts
// (GICR_*) and gic/cpu-interface.ts (ICC_*_EL1, reached through
// readSysreg/writeSysreg).
//
// Board wiring: map `distributor` at 0x0800_0000 and `redistributors` (128 KiB
// per PE, consecutively) at 0x080A_0000; feed devices' lines to
// setSpi/spiLine and the timers' to setPpi/ppiLine; route ICC_* system
// register accesses (see ICC_REGS / iccRegisterName) to readSysreg/writeSysreg;
// take irqLine/fiqLine (or the onChange callback) to the core's IRQ/FIQ inputs.
// The PEs' MPIDR_EL1 must carry the affinity `affinity(cpu)` reports.
import type { MmioDevice, IrqLine } from "./device";
import { GicDistributor } from "./gic/distributor";
import { GicRedistributors } from "./gic/redistributor";
import { GicCpuInterface, type CpuInterfaceState } from "./gic/cpu-interface";
import { SPURIOUS, GROUP0, GROUP1, GICR_CTLR_DPG0, GICR_CTLR_DPG1NS } from "./gic/constants";

export { ICC_REGS, iccRegisterName, type IccRegName } from "./gic/cpu-interface";
export { REDIST_FRAME_SIZE } from "./gic/redistributor";
export * from "./gic/constants";

export const GICD_BASE = 0x0800_0000n;
export const GICR_BASE = 0x080a_0000n;

export interface GicV3Options {
  cpus: number;
  // INTIDs 0..irqs-1 exist (SPIs 32..irqs-1): a multiple of 32, 64..1024.
  // Default 288, as QEMU's virt board (256 SPIs).
  irqs?: number;
  // The affinity (Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0) of PE `cpu`; by
  // default QEMU virt's with GICv3: clusters of 16 (Aff1 = cpu/16, Aff0 = cpu%16).
  affinity?: (cpu: number) => number;
  onChange?: (cpu: number, irq: boolean, fiq: boolean) => void;
}

export interface GicV3State {
  version: 1;
  cpus: number;
  irqs: number;
  distCtlr: number;
  group: number[];
  enable: number[];
  latch: number[];
  active: number[];
  edge: number[];
  line: number[];
  prio: number[];
  routeAff: number[];
  routeIrm: number[];
  rdCtlr: number[];
  rdSleep: number[];
  cpu: CpuInterfaceState[];
}

export class GicV3 {
  readonly cpus: number;
  readonly irqs: number;
  readonly distributor: MmioDevice;
  readonly redistributors: MmioDevice;
  onChange: (cpu: number, irq: boolean, fiq: boolean) => void;

  // Interrupt state as bitmaps of 32 INTIDs a word: word `cpu` holds PE
  // cpu's SGIs and PPIs (INTIDs 0-31, banked in its Redistributor), word
  // cpus + k - 1 holds SPIs 32k..32k+31 (in the Distributor). See word().
  group!: Uint32Array;  // 1 = Group 1 (IRQ), 0 = Group 0 (FIQ)
  enable!: Uint32Array;
  latch!: Uint32Array;  // pending state latched by an edge, ISPENDR or an SGI
  active!: Uint32Array;
  edge!: Uint32Array;   // 1 = edge-triggered (ICFGR Int_config[1])
  line!: Uint32Array;   // input wire levels
  prio!: Uint8Array;    // one byte an INTID, indexed word(cpu, intid) * 32 + intid % 32
  routeAff!: Uint32Array; // GICD_IROUTER<n> affinity per SPI, Aff3.Aff2.Aff1.Aff0
  routeIrm!: Uint8Array;  // GICD_IROUTER<n>.Interrupt_Routing_Mode (1-of-N)
  distCtlr = 0;           // GICD_CTLR EnableGrp0 (bit 0), EnableGrp1 (bit 1)
  rdCtlr!: Uint32Array;   // GICR_CTLR DPG bits
  rdSleep!: Uint8Array;   // GICR_WAKER.ProcessorSleep
  readonly cpuif: GicCpuInterface[];

  // The highest-priority pending interrupt each PE can see (1023: none).
  readonly hppiId: Int32Array;
  readonly hppiPrio: Uint16Array;
  readonly hppiGroup: Uint8Array;
  private readonly aff: Uint32Array;
  private readonly byAff = new Map<number, number>();
  private readonly irqOut: Uint8Array;
  private readonly fiqOut: Uint8Array;

  constructor(options: GicV3Options) {
    const cpus = options.cpus, irqs = options.irqs ?? 288;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 0x10000) throw new RangeError(`GICv3: bad PE count ${cpus}`);
    if (!Number.isInteger(irqs) || irqs % 32 !== 0 || irqs < 64 || irqs > 1024) throw new RangeError(`GICv3: bad INTID count ${irqs}`);
    this.cpus = cpus;
    this.irqs = irqs;
    this.onChange = options.onChange ?? (() => {});
    const affinity = options.affinity ?? ((cpu: number) => ((cpu >> 4) << 8) | (cpu & 15));
    this.aff = new Uint32Array(cpus);
    for (let c = 0; c < cpus; c++) {
      const a = affinity(c) >>> 0;
      if (this.byAff.has(a)) throw new RangeError(`GICv3: PEs ${this.byAff.get(a)} and ${c} share affinity 0x${a.toString(16)}`);
      this.aff[c] = a;
      this.byAff.set(a, c);
    }
    this.hppiId = new Int32Array(cpus);
    this.hppiPrio = new Uint16Array(cpus);
    this.hppiGroup = new Uint8Array(cpus);
    this.irqOut = new Uint8Array(cpus);
    this.fiqOut = new Uint8Array(cpus);
    this.cpuif = Array.from({ length: cpus }, (_, c) => new GicCpuInterface(this, c));
    this.distributor = new GicDistributor(this);
    this.redistributors = new GicRedistributors(this);
    this.reset();
  }

  // Power-on state: everything Group 0, disabled, priority 0, level-sensitive
  // (SGIs edge), routed to affinity 0.0.0.0, every PE asleep.
  reset(): void {
    const words = this.cpus + this.irqs / 32 - 1;
    this.group = new Uint32Array(words);
    this.enable = new Uint32Array(words);
    this.latch = new Uint32Array(words);
    this.active = new Uint32Array(words);
    this.edge = new Uint32Array(words);
    for (let c = 0; c < this.cpus; c++) this.edge[c] = 0xffff;
    this.line = new Uint32Array(words);
    this.prio = new Uint8Array(words * 32);
    this.routeAff = new Uint32Array(this.irqs);
    this.routeIrm = new Uint8Array(this.irqs);
    this.distCtlr = 0;
    this.rdCtlr = new Uint32Array(this.cpus);
    this.rdSleep = new Uint8Array(this.cpus).fill(1);
    for (const c of this.cpuif) c.reset();
    this.update();
  }

  // Affinity Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0 of PE `cpu` (GICR_TYPER[63:32]).
  affinity(cpu: number): number { return this.aff[cpu]; }

  // The bitmap word holding `intid` as PE `cpu` sees it.
  word(cpu: number, intid: number): number {
    return intid < 32 ? cpu : this.cpus + (intid >> 5) - 1;
  }

  // Pending: the latch, or for a level-sensitive interrupt the line.
  pendingWord(w: number): number {
    return (this.latch[w] | (this.line[w] & ~this.edge[w])) >>> 0;
  }

  // ---- input wires ----

  setSpi(intid: number, level: boolean): void {
    if (!Number.isInteger(intid) || intid < 32 || intid >= this.irqs) throw new RangeError(`GICv3: no SPI ${intid}`);
    this.setLine(this.word(0, intid), intid & 31, level);
  }

  setPpi(cpu: number, intid: number, level: boolean): void {
    if (!Number.isInteger(intid) || intid < 16 || intid >= 32) throw new RangeError(`GICv3: no PPI ${intid}`);
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) throw new RangeError(`GICv3: no PE ${cpu}`);
    this.setLine(cpu, intid, level);
  }

  // Lines to hand to devices (see IrqLine in ./device).
  spiLine(intid: number): IrqLine {
    this.setSpi(intid, false);
    return (asserted) => this.setSpi(intid, asserted);
  }

  ppiLine(cpu: number, intid: number): IrqLine {
    this.setPpi(cpu, intid, false);
    return (asserted) => this.setPpi(cpu, intid, asserted);
  }

  private setLine(w: number, b: number, level: boolean): void {
    const bit = (1 << b) >>> 0;
    const was = (this.line[w] & bit) !== 0;
    if (was === level) return;
    if (level) {
      this.line[w] |= bit;
      if (this.edge[w] & bit) this.latch[w] |= bit; // rising edge
    } else {
      this.line[w] &= ~bit;
    }
    this.update();
  }

  // ---- outputs ----

  irqLine(cpu: number): boolean { return this.irqOut[cpu] !== 0; }
  fiqLine(cpu: number): boolean { return this.fiqOut[cpu] !== 0; }

  // ---- operations of the CPU interface ----

  // Acknowledge: active, and the latched pending state cleared (a
  // level-sensitive interrupt stays pending while its line is high).
  activate(cpu: number, intid: number): void {
    const w = this.word(cpu, intid), bit = (1 << (intid & 31)) >>> 0;
    this.active[w] |= bit;
    this.latch[w] &= ~bit;
  }

  deactivate(cpu: number, intid: number): void {
    if (intid >= this.irqs) return;
    this.active[this.word(cpu, intid)] &= ~((1 << (intid & 31)) >>> 0);
  }

  // ICC_SGI0R_EL1 / ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 from PE `cpu`: SGI
  // INTID[27:24] to Aff3[55:48].Aff2[39:32].Aff1[23:16].<RS[47:44]*16 +
  // bit of TargetList[15:0]>, or with IRM (bit 40) to every PE but `cpu`. A
  // target takes it only if its copy of the SGI is in `group`.
  generateSgi(cpu: number, value: bigint, group: number): void {
    const v = BigInt.asUintN(64, value);
    const intid = Number((v >> 24n) & 0xfn);
    const irm = ((v >> 40n) & 1n) !== 0n;
    const targets = Number(v & 0xffffn);
    const rs = Number((v >> 44n) & 0xfn);
    const upper = Number((((v >> 48n) & 0xffn) << 16n) | (((v >> 32n) & 0xffn) << 8n) | ((v >> 16n) & 0xffn));
    const bit = 1 << intid;
    for (let t = 0; t < this.cpus; t++) {
      if (irm) {
        if (t === cpu) continue;
      } else {
        const a = this.aff[t];
        if (a >>> 8 !== upper || (a & 0xff) >> 4 !== rs || !((targets >> (a & 15)) & 1)) continue;
      }
      if (((this.group[t] >> intid) & 1) !== group) continue;
      this.latch[t] |= bit;
    }
    this.update();
  }

  // ---- delivery ----

  // The PE an SPI goes to, or -1: the PE whose affinity IROUTER names, or for
  // 1-of-N the lowest-numbered awake PE with the group enabled that has not
  // opted out through GICR_CTLR.DPG*.
  private spiTarget(intid: number, group: number): number {
    if (this.routeIrm[intid]) {
      const dpg = group ? GICR_CTLR_DPG1NS : GICR_CTLR_DPG0;
      for (let c = 0; c < this.cpus; c++) {
        if (!this.rdSleep[c] && !(this.rdCtlr[c] & dpg) && this.cpuif[c].groupEnabled(group)) return c;
      }
      return -1;
    }
    const c = this.byAff.get(this.routeAff[intid]);
    return c === undefined || this.rdSleep[c] ? -1 : c;
  }

  // Recompute each PE's highest-priority pending interrupt (pending, enabled,
  // not active, its group enabled in GICD_CTLR and ICC_IGRPEN<n>_EL1; ties to
  // the lowest INTID) and the IRQ/FIQ outputs.
  update(): void {
    const dist0 = (this.distCtlr & 1) !== 0, dist1 = (this.distCtlr & 2) !== 0;
    for (let c = 0; c < this.cpus; c++) {
      this.hppiId[c] = SPURIOUS;
      this.hppiPrio[c] = 0x100;
      if (this.rdSleep[c]) continue;
      const g1 = dist1 && this.cpuif[c].groupEnabled(1) ? 0xffff_ffff : 0;
      const g0 = dist0 && this.cpuif[c].groupEnabled(0) ? 0xffff_ffff : 0;
      let cand = (this.pendingWord(c) & this.enable[c] & ~this.active[c] & ((this.group[c] & g1) | (~this.group[c] & g0))) >>> 0;
      while (cand) {
        const b = 31 - Math.clz32(cand & -cand);
        cand &= cand - 1;
        const p = this.prio[c * 32 + b];
        if (p < this.hppiPrio[c]) { this.hppiId[c] = b; this.hppiPrio[c] = p; this.hppiGroup[c] = (this.group[c] >> b) & 1; }
      }
    }
    if (dist0 || dist1) {
      for (let w = this.cpus; w < this.group.length; w++) {
        let cand = (this.pendingWord(w) & this.enable[w] & ~this.active[w] & ((dist1 ? this.group[w] : 0) | (dist0 ? ~this.group[w] : 0))) >>> 0;
        while (cand) {
          const b = 31 - Math.clz32(cand & -cand);
          cand &= cand - 1;
          const intid = (w - this.cpus + 1) * 32 + b;
          const g = (this.group[w] >> b) & 1;
          const c = this.spiTarget(intid, g);
          if (c < 0 || !this.cpuif[c].groupEnabled(g)) continue;
          const p = this.prio[w * 32 + b];
          if (p < this.hppiPrio[c]) { this.hppiId[c] = intid; this.hppiPrio[c] = p; this.hppiGroup[c] = g; }
        }
      }
    }
    for (let c = 0; c < this.cpus; c++) {
      const signal = this.hppiId[c] !== SPURIOUS && this.cpuif[c].canPreempt(this.hppiPrio[c], this.hppiGroup[c]);
      const irq = signal && this.hppiGroup[c] === GROUP1 ? 1 : 0;
      const fiq = signal && this.hppiGroup[c] === GROUP0 ? 1 : 0;
      if (irq !== this.irqOut[c] || fiq !== this.fiqOut[c]) {
        this.irqOut[c] = irq;
        this.fiqOut[c] = fiq;
        this.onChange(c, irq !== 0, fiq !== 0);
      }
    }
  }

  // ---- the CPU interface's system registers ----

  readSysreg(cpu: number, name: string): bigint {
    return this.cpuifFor(cpu).read(name);
  }

  writeSysreg(cpu: number, name: string, value: bigint): void {
    this.cpuifFor(cpu).write(name, value);
  }

  private cpuifFor(cpu: number): GicCpuInterface {
    const c = this.cpuif[cpu];
    if (!c) throw new RangeError(`GICv3: no PE ${cpu}`);
    return c;
  }

  // ---- snapshots ----

  saveState(): GicV3State {
    return {
      version: 1, cpus: this.cpus, irqs: this.irqs, distCtlr: this.distCtlr,
      group: [...this.group], enable: [...this.enable], latch: [...this.latch], active: [...this.active],
      edge: [...this.edge], line: [...this.line], prio: [...this.prio],
      routeAff: [...this.routeAff], routeIrm: [...this.routeIrm],
      rdCtlr: [...this.rdCtlr], rdSleep: [...this.rdSleep],
      cpu: this.cpuif.map((c) => c.saveState()),
    };
  }

  // Restores a saveState() of a GIC with the same PE and INTID counts, then
  // reports every PE's IRQ/FIQ outputs through onChange.
  restoreState(state: unknown): void {
    const s = state as GicV3State;
    if (!s || s.version !== 1 || s.cpus !== this.cpus || s.irqs !== this.irqs) throw new Error("GICv3: snapshot is not of this configuration");
    const words = this.group.length;
    const u32 = (a: number[], n: number) => { if (a.length !== n) throw new Error("GICv3: malformed snapshot"); return Uint32Array.from(a); };
    this.distCtlr = s.distCtlr & 3;
    this.group = u32(s.group, words); this.enable = u32(s.enable, words); this.latch = u32(s.latch, words);
    this.active = u32(s.active, words); this.edge = u32(s.edge, words); this.line = u32(s.line, words);
    if (s.prio.length !== words * 32) throw new Error("GICv3: malformed snapshot");
    this.prio = Uint8Array.from(s.prio);
    this.routeAff = u32(s.routeAff, this.irqs);
    this.routeIrm = Uint8Array.from(u32(s.routeIrm, this.irqs));
    this.rdCtlr = u32(s.rdCtlr, this.cpus);
    this.rdSleep = Uint8Array.from(u32(s.rdSleep, this.cpus));
    s.cpu.forEach((c, i) => this.cpuif[i].restoreState(c));
    this.irqOut.fill(0);
    this.fiqOut.fill(0);
    this.update();
    for (let c = 0; c < this.cpus; c++) if (!this.irqOut[c] && !this.fiqOut[c]) this.onChange(c, false, false);
  }
}
