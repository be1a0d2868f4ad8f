// GICv3 interrupt controller (Arm IHI 0069, GICv3/v4 Architecture
// Specification) for N PEs, as QEMU's virt board presents it to a guest
// without EL3: affinity routing always on (GICD_CTLR.ARE RAO/WI) and a single
// Security state (GICD_CTLR.DS RAO/WI). Group 1 interrupts are signalled as
// IRQ, Group 0 as FIQ. No LPIs or ITS, no GICv2 compatibility.
//
// Virtualization: each PE's virtual CPU interface -- the ICH_*_EL2 registers
// (gic/ich-registers.ts) over its list registers (gic/list-registers.ts,
// shared with the GICv2 model), the ICV_*_EL1 registers EL1 reaches through
// the ICC_* encodings when HCR_EL2.IMO/FMO route to EL2 (the same register
// view, gic/cpu-interface.ts), virtual IRQ/FIQ outputs reported through
// onChange, and the maintenance interrupt on the PE's PPI 9 (INTID 25).
//
// This file holds what is GICv3's own -- affinity routing of SPIs and SGIs,
// Redistributor power state -- over the interrupt state machine and its
// delivery shared with the GICv2 model (gic/core.ts, gic/cpu-core.ts); the
// register decoding is in gic/distributor.ts (GICD_*), gic/redistributor.ts
// (GICR_*) and gic/cpu-interface.ts (ICC_*_EL1, reached through
// readSysreg/writeSysreg).
//
// Board wiring: map `distributor` at 0x0800_0000 and `redistributors` (128 KiB
// per PE, consecutively) at 0x080A_0000; feed devices' lines to
// setSpi/spiLine and the timers' to setPpi/ppiLine; route ICC_* system
// register accesses (see ICC_REGS / ICH_REGS / iccRegisterName) to
// readSysreg/writeSysreg, saying who accesses (SysregAccess: EL, HCR_EL2.IMO/FMO)
// where the guest owns EL2; take irqLine/fiqLine and virqLine/vfiqLine (or
// the onChange callback) to the core's IRQ/FIQ and LINE_VIRQ/LINE_VFIQ inputs.
// The PEs' MPIDR_EL1 must carry the affinity `affinity(cpu)` reports.
import type { MmioDevice } from "./device";
import { GicCore, type GicCoreState, type GicOutputs } from "./gic/core";
import { GicDistributor } from "./gic/distributor";
import { GicRedistributors } from "./gic/redistributor";
import { GicCpuInterface, icvRouted, type CpuInterfaceState, type IccRegName, type SysregAccess } from "./gic/cpu-interface";
import { isIchRegister, readIch, writeIch } from "./gic/ich-registers";
import { GICR_CTLR_DPG0, GICR_CTLR_DPG1NS } from "./gic/constants";

export { ICC_REGS, iccRegisterName, type IccRegName, type SysregAccess } from "./gic/cpu-interface";
export { ICH_REGS, ICH_VTR_VALUE, type IchRegName } from "./gic/ich-registers";
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
  onChange?: GicOutputs;
}

export interface GicV3State extends GicCoreState {
  version: 2;
  cpus: number;
  irqs: number;
  routeAff: number[];
  routeIrm: number[];
  rdCtlr: number[];
  rdSleep: number[];
  cpu: CpuInterfaceState[];
}

export class GicV3 extends GicCore<GicCpuInterface> {
  readonly distributor: MmioDevice;
  readonly redistributors: MmioDevice;

  // Beside the shared state (see GicCore): SPI routing and Redistributor state.
  routeAff!: Uint32Array; // GICD_IROUTER<n> affinity per SPI, Aff3.Aff2.Aff1.Aff0
  routeIrm!: Uint8Array;  // GICD_IROUTER<n>.Interrupt_Routing_Mode (1-of-N)
  rdCtlr!: Uint32Array;   // GICR_CTLR DPG bits
  rdSleep!: Uint8Array;   // GICR_WAKER.ProcessorSleep

  private readonly aff: Uint32Array;
  private readonly byAff = new Map<number, number>();

  constructor(options: GicV3Options) {
    super("GICv3", { cpus: options.cpus, irqs: options.irqs ?? 288, onChange: options.onChange }, 0x10000);
    const cpus = this.cpus;
    const affinity = options.affinity ?? ((cpu: number) => ((cpu >> 4) << 8) | (cpu & 15));
    this.aff = new Uint32Array(cpus);
    for (let c = 0; c < cpus; c++) {
      const a = affinity(c) >>> 0;
      if (this.byAff.has(a)) throw new RangeError(`GICv3: PEs ${this.byAff.get(a)} and ${c} share affinity 0x${a.toString(16)}`);
      this.aff[c] = a;
      this.byAff.set(a, c);
    }
    this.distributor = new GicDistributor(this);
    this.redistributors = new GicRedistributors(this);
    this.reset();
  }

  protected createCpuInterface(cpu: number): GicCpuInterface { return new GicCpuInterface(this, cpu); }
  protected createVirtualCpuInterface(cpu: number): GicCpuInterface { return new GicCpuInterface(this, cpu); }

  // Power-on state: everything Group 0, disabled, priority 0, level-sensitive
  // (SGIs edge), routed to affinity 0.0.0.0, every PE asleep.
  reset(): void {
    this.resetCore();
    this.routeAff = new Uint32Array(this.irqs);
    this.routeIrm = new Uint8Array(this.irqs);
    this.rdCtlr = new Uint32Array(this.cpus);
    this.rdSleep = new Uint8Array(this.cpus).fill(1);
    this.update();
  }

  // Affinity Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0 of PE `cpu` (GICR_TYPER[63:32]).
  affinity(cpu: number): number { return this.aff[cpu]; }

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

  protected cpuAsleep(cpu: number): boolean { return this.rdSleep[cpu] !== 0; }

  protected routeSpi(intid: number, group: number, prio: number): void {
    const c = this.spiTarget(intid, group);
    if (c >= 0) this.offer(c, intid, prio, group);
  }

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

  // ---- the CPU interface's system registers ----

  // An ICC_* or ICH_* register of PE `cpu` (ICC_REGS, ICH_REGS), accessed as
  // `access` says: an ICC_* access from EL1 that HCR_EL2 routes (icvRouted)
  // is to the virtual CPU interface's ICV_* register. Without `access`, the
  // physical interface.
  readSysreg(cpu: number, name: string, access?: SysregAccess): bigint {
    this.checkCpu(cpu);
    if (isIchRegister(name)) return readIch(this.lrs[cpu], name);
    return this.cpuifFor(cpu, name, access).read(name);
  }

  writeSysreg(cpu: number, name: string, value: bigint, access?: SysregAccess): void {
    this.checkCpu(cpu);
    if (isIchRegister(name)) { writeIch(this.lrs[cpu], name, value); return; }
    this.cpuifFor(cpu, name, access).write(name, value);
  }

  // The ICH_HCR_EL2 trap bits TC, TALL0, TALL1 of PE `cpu` (bits 10..12), for
  // the core to trap EL1's CPU interface accesses to EL2 (ABI.ICH_TRAPS).
  ichTraps(cpu: number): number {
    this.checkCpu(cpu);
    return this.lrs[cpu].hcr & (7 << 10);
  }

  private cpuifFor(cpu: number, name: string, access: SysregAccess | undefined): GicCpuInterface {
    return icvRouted(name as IccRegName, access) ? this.vcpuif[cpu] : this.cpuif[cpu];
  }

  private checkCpu(cpu: number): void {
    if (!this.cpuif[cpu]) throw new RangeError(`GICv3: no PE ${cpu}`);
  }

  // ---- snapshots ----

  saveState(): GicV3State {
    return {
      version: 2, cpus: this.cpus, irqs: this.irqs, ...this.saveCore(),
      routeAff: [...this.routeAff], routeIrm: [...this.routeIrm],
      rdCtlr: [...this.rdCtlr], rdSleep: [...this.rdSleep],
      cpu: this.cpuif.map((c) => c.saveState()),
    };
  }

  // Restores a saveState() of a GIC with the same PE and INTID counts, then
  // reports every PE's IRQ/FIQ outputs through onChange.
  restoreState(state: unknown): void {
    const s = state as GicV3State;
    if (!s || s.version !== 2 || s.cpus !== this.cpus || s.irqs !== this.irqs) throw new Error("GICv3: snapshot is not of this configuration");
    const u32 = (a: number[], n: number) => { if (!Array.isArray(a) || a.length !== n) throw new Error("GICv3: malformed snapshot"); return Uint32Array.from(a); };
    this.restoreCore(s, s.cpu);
    this.routeAff = u32(s.routeAff, this.irqs);
    this.routeIrm = Uint8Array.from(u32(s.routeIrm, this.irqs));
    this.rdCtlr = u32(s.rdCtlr, this.cpus);
    this.rdSleep = Uint8Array.from(u32(s.rdSleep, this.cpus));
    this.announce();
  }
}
