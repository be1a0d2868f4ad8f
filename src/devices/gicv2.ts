// GICv2 interrupt controller (Arm IHI 0048B, GIC Architecture Specification
// v2) for 1 to 8 CPUs, as QEMU's virt board presents it with
// gic-version=2 to a guest without EL3: no Security Extensions (Group 0 and
// Group 1 both reachable; Group 0 signalled as FIQ only with GICC_CTLR.FIQEn),
// SPIs routed by a CPU target list (ITARGETSR), SGIs sent through GICD_SGIR
// with their pending state kept per source CPU. No GICv2m.
//
// Virtualization extensions: each CPU's virtual interface control registers
// (GICH_*, gic/v2-hyp-interface.ts) and virtual CPU interface (GICV_*,
// gic/v2-virtual-cpu-interface.ts) over its list registers
// (gic/list-registers.ts, shared with the GICv3 model); virtual IRQ/FIQ
// outputs through onChange; the maintenance interrupt on the CPU's PPI 9
// (INTID 25).
//
// The interrupt state machine -- pending/active, level/edge, priorities,
// groups, delivery -- and the CPU interface's priority logic are shared with
// the GICv3 model (gic/core.ts, gic/cpu-core.ts); this file holds what is
// GICv2's own. The register frames are gic/v2-distributor.ts (GICD_*) and
// gic/v2-cpu-interface.ts (GICC_*).
//
// Board wiring: map `distributor` at 0x0800_0000 and `cpuInterface` at
// 0x0801_0000 (64 KiB each), and for a guest that owns EL2 `hypInterface`
// (GICH) at 0x0803_0000 and `virtualCpuInterface` (GICV) at 0x0804_0000; all
// are banked per CPU, so set `currentCpu` to report which CPU makes the
// access (or map distributorFor(cpu) / cpuInterfaceFor(cpu) on per-CPU buses). Feed devices' lines to
// setSpi/spiLine and the timers' to setPpi/ppiLine; take irqLine/fiqLine (or
// the onChange callback) to the cores' IRQ/FIQ inputs.
import type { MmioDevice } from "./device";
import { GicCore, type GicCoreState, type GicOutputs } from "./gic/core";
import { GicV2Distributor } from "./gic/v2-distributor";
import { GicV2CpuInterface, type GicV2CpuState } from "./gic/v2-cpu-interface";
import { GicV2VirtualCpuInterface } from "./gic/v2-virtual-cpu-interface";
import { GicV2HypInterface } from "./gic/v2-hyp-interface";
import { lowestBit } from "./gic/cpu-core";

export { GICH_VTR_VALUE } from "./gic/v2-hyp-interface";

export { SPURIOUS, GROUP0, GROUP1, PRI_BITS, PRIO_MASK } from "./gic/constants";

export const GICV2_DIST_BASE = 0x0800_0000n;
export const GICV2_CPU_BASE = 0x0801_0000n;
export const GICV2_HYP_BASE = 0x0803_0000n;
export const GICV2_VCPU_BASE = 0x0804_0000n;
export const GICV2_MAX_CPUS = 8;

export interface GicV2Options {
  cpus: number;                 // 1..8
  // INTIDs 0..irqs-1 exist (SPIs 32..irqs-1): a multiple of 32, 64..1024.
  // Default 288, as QEMU's virt board (256 SPIs).
  irqs?: number;
  onChange?: GicOutputs;
  // Which CPU is making the current access to the banked frames (default: CPU 0).
  currentCpu?: () => number;
}

export interface GicV2State extends GicCoreState {
  version: 2;
  arch: 2;
  cpus: number;
  irqs: number;
  targets: number[];
  sgiSources: number[];
  cpu: GicV2CpuState[];
}

export class GicV2 extends GicCore<GicV2CpuInterface> {
  // The frames as the accessing CPU (currentCpu()) sees them.
  readonly distributor: MmioDevice;
  readonly cpuInterface: MmioDevice;
  readonly hypInterface: MmioDevice;         // GICH
  readonly virtualCpuInterface: MmioDevice;  // GICV
  currentCpu: () => number;

  // Beside the shared state (see GicCore):
  targets!: Uint8Array;    // GICD_ITARGETSR CPU targets per SPI (ignored with one CPU: all go to CPU 0)
  sgiSources!: Uint8Array; // index cpu * 16 + SGI: the CPUs the SGI is pending from, on CPU cpu

  private readonly distViews: GicV2Distributor[];
  private readonly cpuViews: MmioDevice[];
  private readonly hypViews: GicV2HypInterface[];

  constructor(options: GicV2Options) {
    super("GICv2", { cpus: options.cpus, irqs: options.irqs ?? 288, onChange: options.onChange }, GICV2_MAX_CPUS);
    this.currentCpu = options.currentCpu ?? (() => 0);
    this.distViews = Array.from({ length: this.cpus }, (_, c) => new GicV2Distributor(this, c));
    this.cpuViews = this.cpuif.map((c) => new Frame("gicv2-cpu-interface", () => c));
    // The whole GIC's state is saved with the (banked) Distributor device.
    const dist = new Frame("gicv2-distributor", () => this.distributorFor(this.currentCpu()));
    dist.saveState = () => this.saveState();
    dist.restoreState = (s) => this.restoreState(s);
    this.distributor = dist;
    this.cpuInterface = new Frame("gicv2-cpu-interface", () => this.cpuInterfaceFor(this.currentCpu()));
    this.hypViews = this.lrs.map((l, c) => new GicV2HypInterface(l, this.vcpuif[c] as GicV2VirtualCpuInterface));
    this.hypInterface = new Frame("gicv2-hyp-interface", () => this.hypViews[this.checkCpu(this.currentCpu())]);
    this.virtualCpuInterface = new Frame("gicv2-virtual-cpu-interface", () => this.vcpuif[this.checkCpu(this.currentCpu())]);
    this.reset();
  }

  protected createCpuInterface(cpu: number): GicV2CpuInterface { return new GicV2CpuInterface(this, cpu); }
  protected createVirtualCpuInterface(cpu: number): GicV2CpuInterface { return new GicV2VirtualCpuInterface(this, cpu); }

  // The Distributor and CPU interface frames as CPU `cpu` sees them (no
  // state of their own: see saveState).
  distributorFor(cpu: number): MmioDevice { return this.distViews[this.checkCpu(cpu)]; }
  cpuInterfaceFor(cpu: number): MmioDevice { return this.cpuViews[this.checkCpu(cpu)]; }

  // Power-on state: everything Group 0, disabled but the SGIs (always
  // enabled), inactive, priority 0, level-sensitive but the SGIs (edge), no
  // SPI targets, Distributor and CPU interfaces disabled.
  reset(): void {
    this.resetCore();
    for (let c = 0; c < this.cpus; c++) this.enable[c] = 0xffff;
    this.targets = new Uint8Array(this.irqs);
    this.sgiSources = new Uint8Array(this.cpus * 16);
    this.update();
  }

  // ---- Distributor operations ----

  // ITARGETSR byte write for `intid`: SPIs only (SGI/PPI bytes are
  // read-only), and nothing on a uniprocessor GIC (RAZ/WI).
  setTarget(intid: number, cpus: number): void {
    if (this.cpus === 1 || intid < 32 || intid >= this.irqs) return;
    this.targets[intid] = cpus & ((1 << this.cpus) - 1);
  }

  // GICD_SGIR written by CPU `cpu`: SGIINTID [3:0] to the CPUs that
  // TargetListFilter [25:24] selects -- 0: CPUTargetList [23:16], 1: all but
  // `cpu`, 2: `cpu` only (3 is reserved: ignored). Each target has it
  // pending from `cpu`.
  generateSgi(cpu: number, value: number): void {
    const sgi = value & 0xf;
    let list: number;
    switch ((value >>> 24) & 3) {
      case 0: list = (value >>> 16) & 0xff; break;
      case 1: list = 0xff & ~(1 << cpu); break;
      case 2: list = 1 << cpu; break;
      default: return;
    }
    list &= (1 << this.cpus) - 1;
    for (let t = 0; t < this.cpus; t++) if ((list >> t) & 1) this.changeSgiSources(t, sgi, 1 << cpu, true);
    this.update();
  }

  // GICD_SPENDSGIR (set) / GICD_CPENDSGIR (clear) byte for SGI `sgi` on CPU
  // `cpu`; the SGI is pending while any source is. The caller updates.
  changeSgiSources(cpu: number, sgi: number, sources: number, set: boolean): void {
    const i = cpu * 16 + sgi;
    sources &= (1 << this.cpus) - 1;
    this.sgiSources[i] = set ? this.sgiSources[i] | sources : this.sgiSources[i] & ~sources;
    if (this.sgiSources[i]) this.latch[cpu] |= 1 << sgi; else this.latch[cpu] &= ~(1 << sgi);
  }

  // ---- CPU interface operations ----

  // Acknowledging an SGI takes it from its lowest-numbered source CPU, which
  // IAR reports in bits [12:10]; it stays pending from the others.
  activate(cpu: number, intid: number): number {
    if (intid >= 16) return super.activate(cpu, intid);
    const i = cpu * 16 + intid, sources = this.sgiSources[i];
    const src = sources ? lowestBit(sources) : 0;
    this.changeSgiSources(cpu, intid, 1 << src, false);
    this.active[cpu] |= 1 << intid;
    return intid | (src << 10);
  }

  // `intid` as IAR/HPPIR report it to CPU `cpu`: with an SGI's source CPU.
  withSource(cpu: number, intid: number): number {
    if (intid >= 16) return intid;
    const sources = this.sgiSources[cpu * 16 + intid];
    return sources ? intid | (lowestBit(sources) << 10) : intid;
  }

  // ---- delivery ----

  // An SPI is pending on every CPU interface in its target list; the first
  // to acknowledge it takes it.
  protected routeSpi(intid: number, group: number, prio: number): void {
    const list = this.cpus === 1 ? 1 : this.targets[intid];
    for (let c = 0; c < this.cpus; c++) if ((list >> c) & 1) this.offer(c, intid, prio, group);
  }

  private checkCpu(cpu: number): number {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) throw new RangeError(`GICv2: no CPU ${cpu}`);
    return cpu;
  }

  // ---- snapshots ----

  saveState(): GicV2State {
    return {
      version: 2, arch: 2, cpus: this.cpus, irqs: this.irqs, ...this.saveCore(),
      targets: [...this.targets], sgiSources: [...this.sgiSources],
      cpu: this.cpuif.map((c) => c.saveState()),
    };
  }

  // Restores a saveState() of a GICv2 with the same CPU and INTID counts,
  // then reports every CPU's IRQ/FIQ outputs through onChange.
  restoreState(state: unknown): void {
    const s = state as GicV2State;
    if (!s || s.version !== 2 || s.arch !== 2 || s.cpus !== this.cpus || s.irqs !== this.irqs) throw new Error("GICv2: snapshot is not of this configuration");
    if (!Array.isArray(s.targets) || s.targets.length !== this.irqs || !Array.isArray(s.sgiSources) || s.sgiSources.length !== this.cpus * 16) throw new Error("GICv2: malformed snapshot");
    this.restoreCore(s, s.cpu);
    this.targets = Uint8Array.from(s.targets);
    this.sgiSources = Uint8Array.from(s.sgiSources);
    this.announce();
  }
}

// A 64 KiB frame whose accesses go to view(): the accessing CPU's, or one CPU's.
class Frame implements MmioDevice {
  readonly size = 0x1_0000;
  saveState?: () => unknown;
  restoreState?: (state: unknown) => void;
  constructor(readonly name: string, private readonly view: () => Pick<MmioDevice, "read" | "write">) {}
  read(offset: number, size: number): bigint { return this.view().read(offset, size); }
  write(offset: number, size: number, value: bigint): void { this.view().write(offset, size, value); }
}
