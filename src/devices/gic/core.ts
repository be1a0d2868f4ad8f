// The interrupt state machine the GICv2 (IHI 0048) and GICv3 (IHI 0069)
// models share: per-INTID group, enable, pending (latched or following a
// level-sensitive line), active, trigger and priority; the input wires; the
// highest-priority pending interrupt of each CPU interface and the IRQ/FIQ
// outputs that follow from it. What differs between the versions is left to
// the subclass: where an SPI goes (routeSpi), whether a PE takes part at all
// (cpuAsleep), what an acknowledge returns (activate), and the register frames.
//
// Each CPU also has a virtual CPU interface (the GIC virtualization
// extensions: list registers a hypervisor at EL2 fills, ./list-registers)
// whose virtual IRQ/FIQ outputs are reported beside the physical ones and
// whose maintenance interrupt is a PPI of its CPU.
import type { IrqLine } from "../device";
import { SPURIOUS } from "./constants";
import type { GicCpuCore, CpuCoreState } from "./cpu-core";
import { ListRegisters, type ListRegistersState } from "./list-registers";

// The CPU interface outputs: physical IRQ and FIQ, virtual IRQ and FIQ.
export type GicOutputs = (cpu: number, irq: boolean, fiq: boolean, virq: boolean, vfiq: boolean) => void;

export interface GicCoreOptions {
  cpus: number;
  irqs: number;
  onChange?: GicOutputs;
}

// The shared part of a snapshot (plain arrays: JSON-safe).
export interface GicCoreState {
  distCtlr: number;
  group: number[];
  enable: number[];
  latch: number[];
  active: number[];
  edge: number[];
  line: number[];
  prio: number[];
  virtual: (CpuCoreState & ListRegistersState)[];
}

export abstract class GicCore<C extends GicCpuCore = GicCpuCore> {
  readonly cpus: number;
  readonly irqs: number;
  onChange: GicOutputs;

  // Interrupt state as bitmaps of 32 INTIDs a word: word `cpu` holds CPU
  // cpu's SGIs and PPIs (INTIDs 0-31, banked), word cpus + k - 1 holds SPIs
  // 32k..32k+31. See word().
  group!: Uint32Array;  // 1 = Group 1, 0 = Group 0
  enable!: Uint32Array;
  latch!: Uint32Array;  // pending state latched by an edge, ISPENDR or an SGI
  active!: Uint32Array;
  edge!: Uint32Array;   // 1 = edge-triggered (ICFGR Int_config[1])
  line!: Uint32Array;   // input wire levels
  prio!: Uint8Array;    // one byte an INTID, indexed word(cpu, intid) * 32 + intid % 32
  distCtlr = 0;         // GICD_CTLR EnableGrp0 (bit 0), EnableGrp1 (bit 1)
  readonly cpuif: C[];
  // Each CPU's virtual CPU interface: its register view (acting on the list
  // registers) and the list registers with the hypervisor's controls.
  readonly vcpuif: C[];
  readonly lrs: ListRegisters[];

  // The highest-priority pending interrupt each CPU interface can see (1023: none).
  readonly hppiId: Int32Array;
  readonly hppiPrio: Uint16Array;
  readonly hppiGroup: Uint8Array;
  private readonly irqOut: Uint8Array;
  private readonly fiqOut: Uint8Array;
  private readonly virqOut: Uint8Array;
  private readonly vfiqOut: Uint8Array;

  // `label` names the model in errors. Subclasses finish their own fields,
  // then call reset().
  protected constructor(protected readonly label: string, options: GicCoreOptions, maxCpus: number) {
    const { cpus, irqs } = options;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > maxCpus) throw new RangeError(`${label}: bad PE count ${cpus}`);
    if (!Number.isInteger(irqs) || irqs % 32 !== 0 || irqs < 64 || irqs > 1024) throw new RangeError(`${label}: bad INTID count ${irqs}`);
    this.cpus = cpus;
    this.irqs = irqs;
    this.onChange = options.onChange ?? (() => {});
    this.hppiId = new Int32Array(cpus);
    this.hppiPrio = new Uint16Array(cpus);
    this.hppiGroup = new Uint8Array(cpus);
    this.irqOut = new Uint8Array(cpus);
    this.fiqOut = new Uint8Array(cpus);
    this.virqOut = new Uint8Array(cpus);
    this.vfiqOut = new Uint8Array(cpus);
    this.cpuif = Array.from({ length: cpus }, (_, c) => this.createCpuInterface(c));
    this.vcpuif = Array.from({ length: cpus }, (_, c) => this.createVirtualCpuInterface(c));
    this.lrs = this.vcpuif.map((v, c) => {
      const lrs = new ListRegisters(v, this, c);
      v.source = lrs;
      return lrs;
    });
  }

  protected abstract createCpuInterface(cpu: number): C;
  // The register view of a virtual CPU interface (its source is set to its list registers).
  protected abstract createVirtualCpuInterface(cpu: number): C;

  // Offer SPI `intid` (pending, enabled, inactive, its group enabled in the
  // Distributor) to the CPU interface(s) it targets, through offer().
  protected abstract routeSpi(intid: number, group: number, prio: number): void;

  // Whether CPU `cpu` is out of delivery altogether (a sleeping GICv3 Redistributor).
  protected cpuAsleep(_cpu: number): boolean { return false; }

  // The shared power-on state: everything Group 0, disabled, inactive,
  // priority 0, level-sensitive but the SGIs (edge), both groups disabled.
  protected resetCore(): void {
    const words = this.cpus + this.irqs / 32 - 1;
    this.group = new Uint32Array(words);
    this.enable = new Uint32Array(words);
    this.latch = new Uint32Array(words);
    this.active = new Uint32Array(words);
    this.edge = new Uint32Array(words);
    for (let c = 0; c < this.cpus; c++) this.edge[c] = 0xffff;
    this.line = new Uint32Array(words);
    this.prio = new Uint8Array(words * 32);
    this.distCtlr = 0;
    for (const c of this.cpuif) c.reset();
    for (const c of this.vcpuif) c.reset();
    for (const l of this.lrs) l.reset();
    for (let c = 0; c < this.cpus; c++) this.setVirtualOutputs(c, false, false);
  }

  // The bitmap word holding `intid` as CPU `cpu` sees it.
  word(cpu: number, intid: number): number {
    return intid < 32 ? cpu : this.cpus + (intid >> 5) - 1;
  }

  // Pending: the latch, or for a level-sensitive interrupt the line.
  pendingWord(w: number): number {
    return (this.latch[w] | (this.line[w] & ~this.edge[w])) >>> 0;
  }

  // ---- input wires ----

  setSpi(intid: number, level: boolean): void {
    if (!Number.isInteger(intid) || intid < 32 || intid >= this.irqs) throw new RangeError(`${this.label}: no SPI ${intid}`);
    this.setLine(this.word(0, intid), intid & 31, level);
  }

  setPpi(cpu: number, intid: number, level: boolean): void {
    if (!Number.isInteger(intid) || intid < 16 || intid >= 32) throw new RangeError(`${this.label}: no PPI ${intid}`);
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) throw new RangeError(`${this.label}: no PE ${cpu}`);
    this.setLine(cpu, intid, level);
  }

  // Lines to hand to devices (see IrqLine in ../device).
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
  virqLine(cpu: number): boolean { return this.virqOut[cpu] !== 0; }
  vfiqLine(cpu: number): boolean { return this.vfiqOut[cpu] !== 0; }

  // A virtual CPU interface's outputs (see ListRegisters.update).
  setVirtualOutputs(cpu: number, virq: boolean, vfiq: boolean): void {
    const v = virq ? 1 : 0, f = vfiq ? 1 : 0;
    if (v === this.virqOut[cpu] && f === this.vfiqOut[cpu]) return;
    this.virqOut[cpu] = v;
    this.vfiqOut[cpu] = f;
    this.onChange(cpu, this.irqOut[cpu] !== 0, this.fiqOut[cpu] !== 0, virq, vfiq);
  }

  // ---- operations of the CPU interface ----

  // Acknowledge: active, and the latched pending state cleared (a
  // level-sensitive interrupt stays pending while its line is high). Returns
  // the value the acknowledge register reads.
  activate(cpu: number, intid: number): number {
    const w = this.word(cpu, intid), bit = (1 << (intid & 31)) >>> 0;
    this.active[w] |= bit;
    this.latch[w] &= ~bit;
    return intid;
  }

  deactivate(cpu: number, intid: number): void {
    if (intid >= this.irqs) return;
    this.active[this.word(cpu, intid)] &= ~((1 << (intid & 31)) >>> 0);
  }

  // The group of `intid` as CPU `cpu` sees it (0 for INTIDs that do not exist).
  groupOf(cpu: number, intid: number): number {
    return intid < this.irqs ? (this.group[this.word(cpu, intid)] >>> (intid & 31)) & 1 : 0;
  }

  // ---- delivery ----

  // Make `intid` a candidate for CPU `cpu`'s highest-priority pending
  // interrupt, if the CPU interface has its group enabled (ties go to the
  // lowest INTID: candidates come in ascending order).
  protected offer(cpu: number, intid: number, prio: number, group: number): void {
    if (prio < this.hppiPrio[cpu] && this.cpuif[cpu].groupEnabled(group)) {
      this.hppiId[cpu] = intid;
      this.hppiPrio[cpu] = prio;
      this.hppiGroup[cpu] = group;
    }
  }

  // Recompute each CPU's highest-priority pending interrupt (pending,
  // enabled, not active, its group enabled in GICD_CTLR and the CPU
  // interface) and the IRQ/FIQ outputs.
  update(): void {
    const dist0 = (this.distCtlr & 1) !== 0, dist1 = (this.distCtlr & 2) !== 0;
    for (let c = 0; c < this.cpus; c++) {
      this.hppiId[c] = SPURIOUS;
      this.hppiPrio[c] = 0x100;
      if (this.cpuAsleep(c)) continue;
      let cand = (this.pendingWord(c) & this.enable[c] & ~this.active[c] & ((dist1 ? this.group[c] : 0) | (dist0 ? ~this.group[c] : 0))) >>> 0;
      while (cand) {
        const b = 31 - Math.clz32(cand & -cand);
        cand &= cand - 1;
        this.offer(c, b, this.prio[c * 32 + b], (this.group[c] >> b) & 1);
      }
    }
    if (dist0 || dist1) {
      for (let w = this.cpus; w < this.group.length; w++) {
        let cand = (this.pendingWord(w) & this.enable[w] & ~this.active[w] & ((dist1 ? this.group[w] : 0) | (dist0 ? ~this.group[w] : 0))) >>> 0;
        while (cand) {
          const b = 31 - Math.clz32(cand & -cand);
          cand &= cand - 1;
          this.routeSpi((w - this.cpus + 1) * 32 + b, (this.group[w] >> b) & 1, this.prio[w * 32 + b]);
        }
      }
    }
    for (let c = 0; c < this.cpus; c++) {
      const signal = this.hppiId[c] !== SPURIOUS && this.cpuif[c].canPreempt(this.hppiPrio[c], this.hppiGroup[c]);
      const asFiq = signal && this.cpuif[c].signalsFiq(this.hppiGroup[c]);
      const irq = signal && !asFiq ? 1 : 0;
      const fiq = asFiq ? 1 : 0;
      if (irq !== this.irqOut[c] || fiq !== this.fiqOut[c]) {
        this.irqOut[c] = irq;
        this.fiqOut[c] = fiq;
        this.onChange(c, irq !== 0, fiq !== 0, this.virqOut[c] !== 0, this.vfiqOut[c] !== 0);
      }
    }
  }

  // ---- snapshots ----

  protected saveCore(): GicCoreState {
    return {
      distCtlr: this.distCtlr,
      group: [...this.group], enable: [...this.enable], latch: [...this.latch], active: [...this.active],
      edge: [...this.edge], line: [...this.line], prio: [...this.prio],
      virtual: this.vcpuif.map((v, c) => ({ ...v.saveState(), ...this.lrs[c].saveState() })),
    };
  }

  protected restoreCore(s: GicCoreState, cpu: CpuCoreState[]): void {
    const words = this.group.length;
    const u32 = (a: number[]) => { if (!Array.isArray(a) || a.length !== words) throw new Error(`${this.label}: malformed snapshot`); return Uint32Array.from(a); };
    if (!Array.isArray(s.prio) || s.prio.length !== words * 32 || !Array.isArray(cpu) || cpu.length !== this.cpus
      || !Array.isArray(s.virtual) || s.virtual.length !== this.cpus) throw new Error(`${this.label}: malformed snapshot`);
    this.distCtlr = s.distCtlr & 3;
    this.group = u32(s.group); this.enable = u32(s.enable); this.latch = u32(s.latch);
    this.active = u32(s.active); this.edge = u32(s.edge); this.line = u32(s.line);
    this.prio = Uint8Array.from(s.prio);
    cpu.forEach((c, i) => this.cpuif[i].restoreState(c));
    s.virtual.forEach((v, i) => { this.vcpuif[i].restoreState(v); this.lrs[i].restoreState(v); });
  }

  // After a restore: recompute, and report every CPU's outputs through onChange.
  protected announce(): void {
    this.irqOut.fill(0);
    this.fiqOut.fill(0);
    this.virqOut.fill(0);
    this.vfiqOut.fill(0);
    this.update();
    for (const l of this.lrs) l.update();
    for (let c = 0; c < this.cpus; c++) {
      if (!this.irqOut[c] && !this.fiqOut[c] && !this.virqOut[c] && !this.vfiqOut[c]) this.onChange(c, false, false, false, false);
    }
  }
}
