// A virtual machine with the host as its hypervisor (or, without
// VmOptions.el2, a guest that owns EL2 itself): N vCPUs at EL1/EL0 on
// one core behind the stage 2 table the board built (VmOptions.el2), with
// a VMID, scheduled round-robin in one thread (deterministic), and every
// exit the architecture would take to EL2 dispatched by a table keyed by its
// exception class (ESR_EL2.EC, from the exit record), as Linux's
// arm_exit_handlers[] is:
//   EC_DABT_LOW (0x24)  stage 2 Data Abort: an IPA without RAM, device MMIO on the bus
//   EC_HVC64 / EC_SMC64 PSCI
//   EC_SYSREG (0x18)    the GIC CPU interface registers (ICC_*; ICV_* and ICH_*
//                       when the guest owns EL2)
//   EC_WFX_TRAP (0x01)  WFI/WFE: the vCPU idles until an interrupt (physical,
//                       or virtual from the GIC's virtual CPU interface)
//   EC_IABT_LOW (0x20)  stage 2 Instruction Abort: the guest ran off its RAM (an error)
// Board-neutral: the board supplies the bus, the interrupt controller and
// the console device.
import { Core, ABI } from "../core/core";
import { Vcpu } from "./vcpu";
import { esrClass, type VcpuExit } from "./exit";
import { VcpuContext } from "./vcpu-context";
import type { Bus } from "../board/bus";
import { psciCall, PSCI_ALREADY_ON, PSCI_INVALID_PARAMETERS, AFFINITY_ON, AFFINITY_OFF, type PsciPower } from "../devices/psci";
import { dispatchMmio } from "./mmio";
import type { Clock } from "./clock";
import { Jit } from "../jit/jit";
import type { SysregAccess } from "../devices/gicv3";
import { semihostingCall } from "../devices/semihosting";

export const EC_WFX_TRAP = 0x01, EC_HVC64 = 0x16, EC_SMC64 = 0x17, EC_SYSREG = 0x18, EC_IABT_LOW = 0x20, EC_DABT_LOW = 0x24;

// HCR_EL2 as the host, a hypervisor, sets it for every vCPU: stage 2 on (VM),
// physical interrupts and SErrors routed to it (IMO, FMO, AMO: the guest gets
// them as the host injects them), WFI/WFE and SMC trapped (TWI, TWE, TSC),
// EL1 AArch64 (RW). The core acts on VM; the other exits it produces
// whatever these say, because EL2 is the host's.
const HCR_VM = 1n << 0n, HCR_FMO = 1n << 3n, HCR_IMO = 1n << 4n, HCR_AMO = 1n << 5n;
const HCR_TWI = 1n << 13n, HCR_TWE = 1n << 14n, HCR_TSC = 1n << 19n, HCR_RW = 1n << 31n;
export const HOST_HCR_EL2 = HCR_VM | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TWI | HCR_TWE | HCR_TSC | HCR_RW;

// The EL2 state the host gives each vCPU after every reset: its stage 2
// (src/hv/stage2.ts) and HCR_EL2. The core must run with hostStage2. None
// when the guest owns EL2 (its own hypervisor sets these).
export interface HostEl2 {
  vtcr: bigint;   // VTCR_EL2
  vttbr: bigint;  // VTTBR_EL2, with the VM's VMID
  hcr?: bigint;   // default HOST_HCR_EL2
}

// The interrupt controller as the VM needs it: per-vCPU output lines
// (physical IRQ/FIQ, and virtual IRQ/FIQ from its virtual CPU interface), the
// timer PPIs as inputs, and the system-register CPU interface (GICv3).
export interface InterruptController {
  irqLine(cpu: number): boolean;
  fiqLine(cpu: number): boolean;
  onChange: (cpu: number, irq: boolean, fiq: boolean, virq: boolean, vfiq: boolean) => void;
  setPpi(cpu: number, intid: number, level: boolean): void;
  // op0..op2 of an MRS/MSR the core handed to the host, or undefined if not one of ours.
  sysregName?(op0: number, op1: number, crn: number, crm: number, op2: number): string | undefined;
  // `access`: who accesses -- the EL, and HCR_EL2.IMO/FMO of a guest that owns EL2.
  readSysreg?(cpu: number, name: string, access: SysregAccess): bigint;
  writeSysreg?(cpu: number, name: string, value: bigint, access: SysregAccess): void;
  // ICH_HCR_EL2.TC/TALL0/TALL1 of a vCPU (GICv3 virtualization), for ABI.ICH_TRAPS.
  ichTraps?(cpu: number): number;
}

export interface VmDevices {
  bus: Bus;
  gic: InterruptController;
  // Timer outputs to PPI INTIDs (TIMER_PHYS, TIMER_VIRT, TIMER_HYP,
  // TIMER_HYPVIRT bits) and the PMU's overflow interrupt (TIMER_PMU); a board
  // without hypVirt or pmu leaves the EL2 virtual timer or the PMU unconnected.
  timerIntids: { phys: number; virt: number; hyp: number; hypVirt?: number; pmu?: number };
  // Called between slices: devices flush output, accept console input.
  poll?(): void;
}

export type VmResult =
  | { kind: "system-off"; status: 0 }
  | { kind: "system-reset"; status: 0 }
  | { kind: "quit"; status: 0 }                 // the host asked (requestQuit)
  | { kind: "exit"; status: number }            // semihosting SYS_EXIT (VmOptions.semihosting)
  | { kind: "limit"; status: number }
  | { kind: "stuck"; status: number; message: string }
  | { kind: "error"; status: number; message: string };

type PowerState = "off" | "on";

interface VcpuSlot {
  ctx: VcpuContext;
  power: PowerState;
  waiting: boolean;     // in WFI/WFE, until an interrupt or its timer deadline
  // In WFE: also until the next event of the timer event stream (instructions-
  // retired units, NO_DEADLINE without one) or, with other vCPUs, until they
  // have had a turn (an event they send is not tracked: yielding stands for it).
  wfe: boolean;
  eventDeadline: bigint;
  wfeRound: number;
  exits: Map<number, bigint>; // exits by EC
}

type ExitHandler = (slot: VcpuSlot, exit: VcpuExit) => VmResult | "idle" | undefined;

const SLICE = 1n << 20n;   // instructions a vCPU runs before the next one's turn
const RUN_CHUNK = 1n << 22n;
const NO_DEADLINE = 0xffff_ffff_ffff_ffffn;
// The lines that end a WFI/WFE wait: the physical interrupts. A virtual one
// (LINE_VIRQ/LINE_VFIQ) is a wake-up event only where it is pending -- at
// EL1/EL0 with HCR_EL2.IMO/FMO routing it -- and there the core completes the
// WFI itself without leaving run(); nor can it appear while its vCPU waits
// (only the vCPU's own accesses change its list registers).
const WAKE_LINES = ABI.LINE_IRQ | ABI.LINE_FIQ | ABI.LINE_SERROR;

// A kernel runs most of its code a few hundred to a few thousand times: the
// interpreter runs that faster than the JIT compiles it (measured on the
// Debian kernel's boot: heat 1024 -> 31 MIPS, 65536 -> 184, 262144 -> 218,
// interpreter alone 229). Only code that stays hot (loops in user
// programs, checksums, crypto) reaches this heat.
export const VM_JIT_HEAT = 1 << 18;

export interface VmOptions {
  cpus: number;
  el2?: HostEl2;
  affinity: (index: number) => number;   // MPIDR_EL1.Aff1:Aff0 of vCPU `index`
  bootEL: 1 | 2 | 3;
  clock: Clock;
  jit?: boolean;
  jitHeat?: number;        // default VM_JIT_HEAT
  jitBackground?: boolean; // compile in the background (default true; see JitOptions)
  // Arm semihosting (HLT #0xF000, the core built with semihosting on): its
  // console output goes here, and SYS_EXIT ends the run. Without it a
  // semihosting call stops the VM with an error.
  semihosting?: { write(bytes: Uint8Array): void };
  // Waits for something from outside (console input) when every vCPU idles
  // with no timer armed; resolves false when nothing can ever arrive.
  waitForInput?: () => Promise<boolean>;
  // An interactive machine idles in real time too: before time jumps more
  // than IDLE_PACE_TICKS ahead, wait this long (ms, resolving early on
  // input), so an idle shell does not spin a host core racing its clock ahead.
  paceIdle?: (ms: number) => Promise<void>;
}

const IDLE_PACE_TICKS = 6_250_000n; // 100 ms of guest time at 62.5 MHz

export class Vm {
  readonly core: Core;
  readonly vcpu: Vcpu;
  readonly devices: VmDevices;
  readonly options: VmOptions;
  readonly jit: Jit | undefined;
  private readonly slots: VcpuSlot[];
  private current: VcpuSlot;
  private readonly handlers: Map<number, ExitHandler>;
  private pendingReset = false;
  private round = 0;
  private powerOff = false;
  private quit = false;

  // Stop at the next slice boundary (the user quit the console).
  requestQuit(): void { this.quit = true; }

  constructor(core: Core, devices: VmDevices, options: VmOptions) {
    this.core = core;
    this.vcpu = new Vcpu(core);
    this.devices = devices;
    this.options = options;
    if (options.jit ?? true) this.jit = new Jit(core, { background: options.jitBackground ?? true, heat: options.jitHeat ?? VM_JIT_HEAT });
    this.slots = [];
    for (let i = 0; i < options.cpus; i++) {
      this.slots.push({ ctx: new VcpuContext(i, options.affinity(i)), power: i === 0 ? "on" : "off", waiting: false, wfe: false, eventDeadline: NO_DEADLINE, wfeRound: 0, exits: new Map() });
    }
    this.current = this.slots[0];
    this.current.ctx.loadInto(core);
    // A vCPU waiting in WFI wakes for a virtual interrupt too: the core
    // decides whether it is taken (only at EL1/EL0 with HCR_EL2 routing it).
    devices.gic.onChange = (cpu, irq, fiq, virq, vfiq) => {
      const s = this.slots[cpu];
      if (!s) return;
      s.ctx.controlLines = (irq ? ABI.LINE_IRQ : 0) | (fiq ? ABI.LINE_FIQ : 0) | (virq ? ABI.LINE_VIRQ : 0) | (vfiq ? ABI.LINE_VFIQ : 0);
      if (s.ctx.controlLines & WAKE_LINES) s.waiting = false;
    };
    this.handlers = new Map<number, ExitHandler>([
      [EC_DABT_LOW, (_s, x) => { dispatchMmio(this.devices.bus, this.vcpu, x as Extract<VcpuExit, { kind: "mmio" }>); return undefined; }],
      [EC_HVC64, (s) => this.onPsci(s)],
      [EC_SMC64, (s) => this.onPsci(s)],
      [EC_SYSREG, (s, x) => this.onSysreg(s, x as Extract<VcpuExit, { kind: "sysreg" }>)],
      [EC_WFX_TRAP, (s, x) => this.onWfx(s, x)],
      [EC_IABT_LOW, (_s, x) => fetchOutsideRam(x as Extract<VcpuExit, { kind: "exception" }>)],
    ]);
  }

  get cpuCount(): number { return this.slots.length; }
  get currentCpu(): number { return this.current.ctx.index; }

  // Exits taken so far, per vCPU, by exception class.
  exitCounts(): { cpu: number; ec: number; count: bigint }[] {
    const out: { cpu: number; ec: number; count: bigint }[] = [];
    for (const s of this.slots) for (const [ec, count] of s.exits) out.push({ cpu: s.ctx.index, ec, count });
    return out;
  }

  // Reset vCPU 0 at the boot EL with PC = entry and X0..X3; the others off.
  boot(entry: bigint, x: bigint[] = []): void {
    for (const s of this.slots) { s.power = "off"; s.waiting = false; }
    this.switchTo(this.slots[0]);
    this.resetCurrent();
    this.core.pc = entry;
    x.forEach((v, i) => this.core.setX(i, v));
    this.slots[0].power = "on";
  }

  // Run until the guest powers off or resets, or `maxInstructions` retire.
  async run(maxInstructions?: bigint, yieldMs = 50): Promise<VmResult> {
    let last = Date.now();
    for (;;) {
      let ran = false;
      this.round++;
      for (const s of this.slots) {
        if (s.power !== "on") continue;
        if (s.waiting && !this.wakeable(s)) continue;
        s.waiting = false;
        s.wfe = false;
        const r = this.runSlice(s, maxInstructions);
        ran = true;
        if (r) return r;
        if (this.powerOff) return { kind: "system-off", status: 0 };
        if (this.quit) return { kind: "quit", status: 0 };
        if (this.pendingReset) return { kind: "system-reset", status: 0 };
      }
      if (!this.slots.some((s) => s.power === "on")) return { kind: "system-off", status: 0 };
      if (this.quit) return { kind: "quit", status: 0 };
      if (!ran) {
        const r = await this.idle();
        if (r) return r;
        last = Date.now();
      }
      if (Date.now() - last >= yieldMs) {
        this.devices.poll?.();
        await new Promise((r) => setTimeout(r, 0));
        last = Date.now();
      }
    }
  }

  private wakeable(s: VcpuSlot): boolean {
    const now = this.core.instructions;
    if ((s.ctx.controlLines & WAKE_LINES) !== 0 || s.ctx.timerDeadline <= now) return true;
    return s.wfe && (s.eventDeadline <= now || (this.slots.length > 1 && this.round > s.wfeRound + 1));
  }

  // When a vCPU waits, the instruction count at which it next has cause to run.
  private wakeAt(s: VcpuSlot): bigint {
    const t = s.ctx.timerDeadline;
    return s.wfe && s.eventDeadline < t ? s.eventDeadline : t;
  }

  // Reset the current vCPU at the boot EL and give it the host's EL2 state
  // (a reset clears the vCPU's system registers, EL2's included).
  private resetCurrent(): void {
    const core = this.core, el2 = this.options.el2;
    core.exports.reset(this.options.bootEL);
    if (!el2) return;
    core.setSysreg(ABI.SR_HCR_EL2, el2.hcr ?? HOST_HCR_EL2);
    core.setSysreg(ABI.SR_VTCR_EL2, el2.vtcr);
    core.setSysreg(ABI.SR_VTTBR_EL2, el2.vttbr);
  }

  private switchTo(s: VcpuSlot): void {
    if (s === this.current) return;
    this.current.ctx.saveFrom(this.core);
    s.ctx.loadInto(this.core);
    this.current = s;
  }

  // Run vCPU `s` for one slice, handling its exits.
  private runSlice(s: VcpuSlot, maxInstructions?: bigint): VmResult | undefined {
    this.switchTo(s);
    const core = this.core;
    // Its timers may have fired while other vCPUs ran or time moved on.
    core.exports.timerUpdate();
    this.updateTimerLines(s);
    const sliceEnd = core.instructions + SLICE;
    for (;;) {
      this.options.clock.beforeRun(core);
      core.setU32(ABI.CONTROL_LINES, s.ctx.controlLines);
      core.setU32(ABI.ICH_TRAPS, this.devices.gic.ichTraps?.(s.ctx.index) ?? 0);
      let budget = sliceEnd - core.instructions;
      if (budget > RUN_CHUNK) budget = RUN_CHUNK;
      if (maxInstructions !== undefined) {
        const left = maxInstructions - core.instructions;
        if (left <= 0n) return { kind: "limit", status: 124 };
        if (left < budget) budget = left;
      }
      if (budget <= 0n) budget = 1n;
      const before = core.instructions;
      const exit = this.vcpu.run(budget);
      this.updateTimerLines(s);
      const r = this.dispatch(s, exit, before);
      if (r === "idle") return undefined;
      if (r) return r;
      if (this.powerOff || this.pendingReset || s.power !== "on") return undefined;
      if (exit.kind !== "mmio" && core.instructions >= sliceEnd) return undefined;
    }
  }

  private dispatch(s: VcpuSlot, exit: VcpuExit, before: bigint): VmResult | "idle" | undefined {
    // An exception to EL2: its handler by ESR_EL2.EC.
    if ("esr" in exit && exit.esr !== 0n) {
      const ec = esrClass(exit.esr);
      s.exits.set(ec, (s.exits.get(ec) ?? 0n) + 1n);
      const handler = this.handlers.get(ec);
      if (!handler) return { kind: "error", status: 70, message: `no handler for exception class 0x${ec.toString(16)} (ESR_EL2 0x${exit.esr.toString(16)}, ${exit.kind} exit at PC 0x${exit.pc.toString(16)})` };
      return handler(s, exit);
    }
    switch (exit.kind) {
      case "budget":
        if (this.core.instructions === before && s.ctx.controlLines === 0) {
          return { kind: "stuck", status: 3, message: `guest stuck: exceptions without an instruction retiring, at PC 0x${this.core.pc.toString(16)} (EL${this.core.el}, vCPU ${s.ctx.index})` };
        }
        return undefined;
      case "timer": case "stop": return undefined;
      // A guest that owns EL2 idles in WFI/WFE at its own EL2 (or with TWx
      // clear): no exception to EL2, no syndrome, but the host still idles it.
      case "wfi": case "wfe": return this.onWfx(s, exit);
      // Its accesses to physical addresses outside RAM are device accesses
      // on the bus (there is no host stage 2 to fault them).
      case "mmio": return this.handlers.get(EC_DABT_LOW)!(s, exit);
      case "jit": this.jit?.compileSlot(exit.slot); return undefined;
      case "halt": return { kind: "system-off", status: 0 };
      case "debug": return this.onSemihosting(exit.pc);
      case "internal-error": return { kind: "error", status: 70, message: exit.message };
    }
    return { kind: "error", status: 70, message: `unhandled exit ${exit.kind}` };
  }

  // The timer outputs the core published at this exit, as PPIs.
  private updateTimerLines(s: VcpuSlot): void {
    const lines = this.core.u32(ABI.TIMER_LINES);
    s.ctx.timerDeadline = this.core.u64(ABI.TIMER_DEADLINE);
    const changed = lines ^ s.ctx.timerLines;
    s.ctx.timerLines = lines;
    if (!changed) return;
    const { gic, timerIntids: t } = this.devices;
    const cpu = s.ctx.index;
    if (changed & ABI.TIMER_PHYS) gic.setPpi(cpu, t.phys, (lines & ABI.TIMER_PHYS) !== 0);
    if (changed & ABI.TIMER_VIRT) gic.setPpi(cpu, t.virt, (lines & ABI.TIMER_VIRT) !== 0);
    if (changed & ABI.TIMER_HYP) gic.setPpi(cpu, t.hyp, (lines & ABI.TIMER_HYP) !== 0);
    if ((changed & ABI.TIMER_HYPVIRT) && t.hypVirt !== undefined) gic.setPpi(cpu, t.hypVirt, (lines & ABI.TIMER_HYPVIRT) !== 0);
    if ((changed & ABI.TIMER_PMU) && t.pmu !== undefined) gic.setPpi(cpu, t.pmu, (lines & ABI.TIMER_PMU) !== 0);
  }

  // WFI waits unless an interrupt is already pending at the PE, masked or
  // not (see WAKE_LINES for virtual interrupts). WFE (its event register was clear) waits for the next event of the
  // timer event streams (CNTKCTL_EL1.EVNTEN, CNTHCTL_EL2.EVNTEN: Linux's udelay waits so) and,
  // with other vCPUs, for them to run (a lock holder releasing the lock).
  private onWfx(s: VcpuSlot, exit: VcpuExit): "idle" | undefined {
    if (s.ctx.controlLines & WAKE_LINES) return undefined;
    if (exit.kind === "wfe") {
      s.eventDeadline = this.nextEventStreamEvent();
      if (s.eventDeadline === NO_DEADLINE && this.slots.length === 1) return undefined;
      s.wfe = true;
      s.wfeRound = this.round;
    } else {
      s.wfe = false;
    }
    s.waiting = true;
    return "idle";
  }

  // The next event of the running vCPU's event streams: CNTKCTL_EL1's and,
  // with EL2, CNTHCTL_EL2's (where a kernel running at EL2 with HCR_EL2.E2H
  // programs its own through the CNTKCTL_EL1 encoding).
  private nextEventStreamEvent(): bigint {
    const el1 = this.eventStreamEvent(this.core.sysreg(ABI.SR_CNTKCTL_EL1));
    if (this.core.u32(ABI.CONFIG_HIGHEST_EL) < 2) return el1;
    const el2 = this.eventStreamEvent(this.core.sysreg(ABI.SR_CNTHCTL_EL2));
    return el1 < el2 ? el1 : el2;
  }

  // One event stream (EVNTEN bit 2, EVNTDIR bit 3, EVNTI bits 7:4 of
  // CNTKCTL_EL1 or CNTHCTL_EL2): an event each time count bit EVNTI goes
  // 0 -> 1 (EVNTDIR = 0) or 1 -> 0 (EVNTDIR = 1).
  private eventStreamEvent(kctl: bigint): bigint {
    const core = this.core;
    if ((kctl & 4n) === 0n) return NO_DEADLINE;
    const bit = (kctl >> 4n) & 15n, dir = (kctl >> 3n) & 1n;
    const now = core.instructions;
    const count = now + core.u64(ABI.TIME_OFFSET);
    const period = 1n << (bit + 1n);
    let t = count - (count % period) + (dir ? 0n : 1n << bit);
    if (t <= count) t += period;
    return now + (t - count);
  }

  private onSysreg(s: VcpuSlot, x: Extract<VcpuExit, { kind: "sysreg" }>): VmResult | undefined {
    const gic = this.devices.gic;
    const k = x.key;
    const name = gic.sysregName?.((k >> 14) & 3, (k >> 11) & 7, (k >> 7) & 15, (k >> 3) & 15, k & 7);
    if (!name) return { kind: "error", status: 70, message: `system register exit for an unknown register (key 0x${k.toString(16)})` };
    const access = this.sysregAccess();
    if (x.isWrite) gic.writeSysreg!(s.ctx.index, name, x.data, access);
    else this.vcpu.completeSysregRead(gic.readSysreg!(s.ctx.index, name, access));
    return undefined;
  }

  // The running vCPU's EL and, where the guest owns EL2 and it is enabled
  // (no EL3, or SCR_EL3.NS), its HCR_EL2.IMO/FMO; with the host as
  // hypervisor HCR_EL2 is the host's own and routes nothing to a virtual interface.
  private sysregAccess(): SysregAccess {
    const core = this.core, el = core.el;
    const highest = core.options.highestEL;
    const el2 = highest >= 2 && (highest < 3 || (core.sysreg(ABI.SR_SCR_EL3) & 1n) !== 0n);
    const hcr = el2 ? core.sysreg(ABI.SR_HCR_EL2) : 0n;
    return { el, imo: (hcr & (1n << 4n)) !== 0n, fmo: (hcr & (1n << 3n)) !== 0n };
  }

  // HLT #0xF000: the operation in W0, its parameter block at X1 (a physical
  // address: bare-metal programs make the call with the MMU off or identity-mapped).
  private onSemihosting(pc: bigint): VmResult | undefined {
    const sink = this.options.semihosting;
    if (!sink) return { kind: "error", status: 70, message: `semihosting call at PC 0x${pc.toString(16)}: not available on this board` };
    const core = this.core;
    const mem = {
      readU8: (a: bigint) => core.readRam(a, 1)[0],
      readU64: (a: bigint) => new DataView(core.readRam(a, 8).buffer).getBigUint64(0, true),
    };
    try {
      const r = semihostingCall(core.x(0), core.x(1), mem, (b) => { this.devices.poll?.(); sink.write(b); },
        () => (core.instructions + core.u64(ABI.TIME_OFFSET)) / 625_000n /* centiseconds of the 62.5 MHz counter */);
      if (r.kind === "exit") return { kind: "exit", status: r.status };
      core.setX(0, r.x0);
    } catch {
      core.setX(0, BigInt.asUintN(64, -1n)); // a bad pointer: the call fails
    }
    return undefined;
  }

  private onPsci(s: VcpuSlot): VmResult | undefined {
    const core = this.core;
    const power: PsciPower = {
      cpuOn: (target, entry, context) => this.cpuOn(target, entry, context),
      cpuOff: () => { s.power = "off"; },
      affinityInfo: (target, level) => {
        if (level !== 0n) return PSCI_INVALID_PARAMETERS;
        const t = this.slotByAffinity(target);
        return t === undefined ? PSCI_INVALID_PARAMETERS : t.power === "on" ? AFFINITY_ON : AFFINITY_OFF;
      },
    };
    const action = psciCall(core.x(0), core.x(1), core.x(2), core.x(3), this.options.cpus > 1 ? power : undefined);
    switch (action.kind) {
      case "system-off": this.powerOff = true; return undefined;
      case "system-reset": this.pendingReset = true; return undefined;
      case "cpu-off": return undefined;
      case "return": core.setX(0, action.x0); return undefined;
    }
  }

  private slotByAffinity(mpidr: bigint): VcpuSlot | undefined {
    const aff = Number(mpidr & 0xff_ffffn);
    return this.slots.find((s) => s.ctx.affinity === aff);
  }

  // PSCI CPU_ON: the target starts at the boot EL, MMU off, PC = entry, X0 = context.
  private cpuOn(target: bigint, entry: bigint, context: bigint): bigint {
    const t = this.slotByAffinity(target);
    if (!t || (target >> 24n & 0xffn) !== 0n || (target >> 32n) !== 0n) return PSCI_INVALID_PARAMETERS;
    if (t.power === "on") return PSCI_ALREADY_ON;
    const caller = this.current;
    const callerPc = this.core.pc;
    this.switchTo(t);
    this.resetCurrent();
    this.core.pc = entry;
    this.core.setX(0, context);
    t.power = "on";
    t.waiting = false;
    this.switchTo(caller);
    this.core.pc = callerPc;
    return 0n;
  }

  // Every powered vCPU waits: move time to the earliest timer deadline (or
  // wait for it, with a wall clock), or wait for input from outside.
  private async idle(): Promise<VmResult | undefined> {
    let next: VcpuSlot | undefined;
    for (const s of this.slots) {
      if (s.power === "on" && s.waiting && this.wakeAt(s) !== NO_DEADLINE && (!next || this.wakeAt(s) < this.wakeAt(next))) next = s;
    }
    this.devices.poll?.();
    if (next) {
      const jump = this.wakeAt(next) - this.core.instructions;
      if (this.options.paceIdle && jump > IDLE_PACE_TICKS) await this.options.paceIdle(Math.min(50, Number(jump / 62_500n)));
      await this.options.clock.idleUntil(this.core, this.wakeAt(next));
      // Let the vCPU's timers see the new time.
      this.switchTo(next);
      this.core.exports.timerUpdate();
      this.updateTimerLines(next);
      next.waiting = false; // its deadline has passed: it runs (and may wait again)
      next.wfe = false;
      return undefined;
    }
    if (this.options.waitForInput && await this.options.waitForInput()) return undefined;
    if (this.slots.some((s) => s.power === "on" && (s.ctx.controlLines & WAKE_LINES) !== 0)) return undefined;
    return { kind: "stuck", status: 3, message: "every vCPU waits for an interrupt and none can arrive (no timer armed, no input)" };
  }
}

// A stage 2 Instruction Abort: the guest fetched from an IPA where its VM
// has no RAM. KVM would inject an abort; here the VM stops, with the place.
function fetchOutsideRam(x: Extract<VcpuExit, { kind: "exception" }>): VmResult {
  const ipa = ((x.hpfar >> 4n) << 12n) | (x.far & 0xfffn);
  return { kind: "error", status: 70, message: `guest instruction fetch at PC 0x${x.pc.toString(16)} from IPA 0x${ipa.toString(16)}, where the VM has no RAM (stage 2 Instruction Abort, ESR_EL2 0x${x.esr.toString(16)})` };
}
