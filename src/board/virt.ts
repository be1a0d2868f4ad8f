// The `virt` board with the host as hypervisor: QEMU's -M virt memory map and
// interrupt numbers (virt-dt.ts), a GICv3 (or GICv2), the generic timers as PPIs, a
// PL011, a PL031, 32 virtio-mmio transports (disks, a console, an RNG), PSCI through HVC, and a generated device
// tree. The guest runs at EL1/EL0 in a VM (VMID 1) whose RAM sits behind a
// stage 2 table the host builds in memory after it (hv/stage2.ts); the
// host owns EL2 (hv/vm.ts). With `virtualization` the guest owns EL2; with
// `bareMetal` (`armvisor run`) a program owns every EL the CPU has.
import { Core, ABI } from "../core/core";
import { Bus } from "./bus";
import { Vm, type VmResult } from "../hv/vm";
import { buildStage2, STAGE2_RESERVED } from "../hv/stage2";
import { icountClock, hostClock, CNTFRQ_HZ } from "../hv/clock";
import { GicV3, iccRegisterName, type SysregAccess } from "../devices/gicv3";
import { GicV2 } from "../devices/gicv2";
import { PL011 } from "../devices/pl011";
import { PL031 } from "../devices/pl031";
import { VirtioMmio, VirtioBlk, VirtioConsole, VirtioRng, guestMemoryFromRam, emptyVirtioDevice, type BlockBackend, type RamAccess } from "../devices/virtio";
import type { ConsoleSink } from "../devices/device";
import { VIRT_MEMMAP, VIRT_IRQ, VIRT_MAX_CPUS_GICV3, VIRT_MAX_CPUS_GICV2, virtDeviceTree, virtMpidrAffinity } from "./virt-dt";
import { loadLinuxImage, placeBootBlobs, DTB_MAX_SIZE } from "../loader/linux";
import { UserError } from "../errors";

export interface VirtDrive { backend: BlockBackend; readonly?: boolean }

export interface VirtBoardOptions {
  wasm: BufferSource;
  ramMiB: number;
  cpus?: number;                 // default 1
  console: ConsoleSink;
  clock?: "icount" | "host";    // default icount
  jit?: boolean;                 // default true
  fp?: boolean;
  gic?: 2 | 3;                   // default 3
  // The guest owns EL2 (DESIGN.md "Who owns EL2"): it is entered at EL2, PSCI
  // is reached by SMC, the device tree lists the hypervisor's interrupts.
  virtualization?: boolean;
  // FEAT_VHE when the CPU has EL2 (default true); false hides it from the ID
  // registers and makes it absent, as on a Cortex-A57 (`--no-vhe`).
  vhe?: boolean;
  // FEAT_PAuth (default PAUTH_DEFAULT; `--pauth`, `--no-pauth`): see CoreOptions.pauth.
  pauth?: boolean;
  // A bare-metal program (`armvisor run`, hv/machine.ts) rather than a
  // kernel: the CPU implements EL1 up to `el`, the program is entered there
  // from reset and owns every level the CPU has, so there is no host stage 2
  // (the host is the platform only: PSCI by HVC from EL1 and by SMC from EL2,
  // as QEMU's virt board without and with virtualization=on). Arm
  // semihosting (HLT #0xF000) when `semihosting`, its output to the console.
  bareMetal?: { el: 1 | 2 | 3; semihosting?: boolean };
  jitHeat?: number;              // see VmOptions
  jitBackground?: boolean;
  drives?: VirtDrive[];
  // Waits for console input when every vCPU idles with no timer armed (see VmOptions).
  waitForInput?: () => Promise<boolean>;
  paceIdle?: (ms: number) => Promise<void>;
}

export interface LinuxBoot {
  kernel: Uint8Array;
  kernelName?: string;
  initrd?: Uint8Array;
  initrdName?: string;
  append?: string;
  dtb?: Uint8Array;              // supplied instead of the generated one
  // Further images for a hypervisor (Xen): the first is the dom0 kernel, the
  // second its ramdisk, described under /chosen (virt-dt.ts BootModuleDt);
  // `append` is then the hypervisor's command line (also xen,xen-bootargs)
  // and the first module's cmdline dom0's (also xen,dom0-bootargs).
  modules?: BootModule[];
}

export interface BootModule { data: Uint8Array; name: string; cmdline?: string }

const SPI_BASE = 32, PPI_BASE = 16;
const VMID = 1;                  // the board's one VM (each board has a core, and a TLB, of its own)
const MAX_RAM_MIB = 3072;        // RAM and the core's own memory share one 4 GiB wasm memory
const MAX_RAM_MIB_BARE_METAL = 4000;

// The host is the guest's hypervisor, with a stage 2 of its own (hv/stage2.ts).
function hostOwnsEl2(options: VirtBoardOptions): boolean { return !options.virtualization && !options.bareMetal; }

export class VirtBoard {
  readonly core: Core;
  readonly vm: Vm;
  readonly bus: Bus;
  readonly gic: GicV3 | GicV2;
  readonly uart: PL011;
  readonly rtc: PL031;
  readonly options: VirtBoardOptions;
  readonly cpus: number;
  private input: number[] = [];

  private constructor(core: Core, options: VirtBoardOptions) {
    this.core = core;
    this.options = options;
    this.cpus = options.cpus ?? 1;
    const gicVersion = options.gic ?? 3;
    const affinity = (i: number) => virtMpidrAffinity(i, gicVersion);
    this.bus = new Bus();
    if (gicVersion === 3) {
      const gic = new GicV3({ cpus: this.cpus, affinity });
      this.bus.map(VIRT_MEMMAP.gicDist.base, gic.distributor);
      this.bus.map(VIRT_MEMMAP.gicRedist.base, gic.redistributors);
      this.gic = gic;
    } else {
      // The GICv2 registers are banked per CPU: accesses are the running vCPU's.
      const gic = new GicV2({ cpus: this.cpus, currentCpu: () => this.vm.currentCpu });
      this.bus.map(VIRT_MEMMAP.gicDist.base, gic.distributor);
      this.bus.map(VIRT_MEMMAP.gicCpu.base, gic.cpuInterface);
      // A guest that owns EL2 has the virtualization extension's frames.
      if (options.virtualization || (options.bareMetal?.el ?? 1) >= 2) {
        this.bus.map(VIRT_MEMMAP.gicHyp.base, gic.hypInterface);
        this.bus.map(VIRT_MEMMAP.gicVcpu.base, gic.virtualCpuInterface);
      }
      this.gic = gic;
    }
    this.uart = new PL011(options.console, this.gic.spiLine(SPI_BASE + VIRT_IRQ.uart));
    this.bus.map(VIRT_MEMMAP.uart.base, this.uart);
    // The RTC reads wall-clock time at boot plus the guest's own elapsed
    // time (its counter), so an icount run sees a consistent calendar.
    const epoch = Date.now() / 1000;
    this.rtc = new PL031(this.gic.spiLine(SPI_BASE + VIRT_IRQ.rtc), () => epoch + Number(this.guestTicks()) / CNTFRQ_HZ);
    this.bus.map(VIRT_MEMMAP.rtc.base, this.rtc);
    const ramSize = BigInt(options.ramMiB) * 1024n * 1024n;
    // Devices reach the guest's RAM only (DMA is to IPAs), never the stage 2 tables after it.
    const memory = guestMemoryFromRam(guestRam(core, ramSize));
    // The first transports carry the disks, then a virtio console (hvc0,
    // output to the same console as the UART) and an entropy source.
    const devices = [
      ...(options.drives ?? []).map((d) => new VirtioBlk(d.backend, { readonly: d.readonly })),
      new VirtioConsole(options.console), new VirtioRng(),
    ];
    for (let n = 0; n < VIRT_IRQ.virtioMmioCount; n++) {
      const dev = devices[n] ?? emptyVirtioDevice();
      const base = VIRT_MEMMAP.virtioMmio.base + BigInt(n) * VIRT_MEMMAP.virtioMmio.size;
      this.bus.map(base, new VirtioMmio(dev, memory, this.gic.spiLine(SPI_BASE + VIRT_IRQ.virtioMmioFirst + n)));
    }
    const gic = this.gic;
    const stage2 = !hostOwnsEl2(options) ? undefined : buildStage2(core, {
      ramBase: VIRT_MEMMAP.ram.base, ramSize, tables: VIRT_MEMMAP.ram.base + ramSize, tablesSize: STAGE2_RESERVED, vmid: VMID,
    });
    this.vm = new Vm(core, {
      bus: this.bus,
      gic: {
        irqLine: (c) => gic.irqLine(c), fiqLine: (c) => gic.fiqLine(c),
        set onChange(f) { gic.onChange = f; }, get onChange() { return gic.onChange; },
        setPpi: (c, intid, level) => gic.setPpi(c, intid, level),
        ...(gic instanceof GicV3 ? {
          sysregName: (...k: [number, number, number, number, number]) => iccRegisterName(...k),
          readSysreg: (c: number, name: string, a: SysregAccess) => gic.readSysreg(c, name, a),
          writeSysreg: (c: number, name: string, v: bigint, a: SysregAccess) => gic.writeSysreg(c, name, v, a),
          ichTraps: (c: number) => gic.ichTraps(c),
        } : {}),
      },
      timerIntids: {
        phys: PPI_BASE + VIRT_IRQ.timerPhysPpi, virt: PPI_BASE + VIRT_IRQ.timerVirtPpi, hyp: PPI_BASE + VIRT_IRQ.timerHypPpi,
        hypVirt: PPI_BASE + VIRT_IRQ.timerHypVirtPpi, pmu: PPI_BASE + VIRT_IRQ.pmuPpi,
      },
      poll: () => this.poll(),
    }, {
      cpus: this.cpus, affinity, bootEL: options.bareMetal?.el ?? (options.virtualization ? 2 : 1), el2: stage2,
      clock: options.clock === "host" ? hostClock() : icountClock(),
      jit: options.jit, jitHeat: options.jitHeat, jitBackground: options.jitBackground,
      semihosting: options.bareMetal?.semihosting ? { write: (b) => options.console.write(b) } : undefined,
      waitForInput: options.waitForInput,
      paceIdle: options.paceIdle,
    });
  }

  static async create(options: VirtBoardOptions): Promise<VirtBoard> {
    const { ramMiB, bareMetal } = options;
    const cpus = options.cpus ?? 1;
    // A kernel needs room for itself, its initrd and device tree; a bare-metal program only for its image.
    const [minMiB, maxMiB] = bareMetal ? [1, MAX_RAM_MIB_BARE_METAL] : [16, MAX_RAM_MIB];
    if (!Number.isInteger(ramMiB) || ramMiB < minMiB) throw new UserError(`invalid memory size: ${ramMiB} MiB (the virt board needs at least ${minMiB})`);
    if (ramMiB > maxMiB) throw new UserError(`invalid memory size: ${ramMiB} MiB (at most ${maxMiB})`);
    const gicVersion = options.gic ?? 3;
    const maxCpus = gicVersion === 3 ? VIRT_MAX_CPUS_GICV3 : VIRT_MAX_CPUS_GICV2;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > maxCpus) throw new UserError(`invalid vCPU count: ${cpus} (1 to ${maxCpus} with GICv${gicVersion})`);
    // The core's RAM is the guest's and, after it, the host's stage 2 tables
    // (none when the guest owns EL2 and builds its own, or for a bare-metal program).
    const hostEl2 = hostOwnsEl2(options);
    const core = await Core.create(options.wasm, {
      ramBase: VIRT_MEMMAP.ram.base, ramSize: ramMiB * 1024 * 1024 + (hostEl2 ? STAGE2_RESERVED : 0),
      highestEL: bareMetal?.el ?? (hostEl2 ? 1 : 2), semihosting: bareMetal?.semihosting ?? false,
      gic: gicVersion === 3 ? 3 : undefined, fp: options.fp ?? false, hostStage2: hostEl2, vhe: options.vhe, pauth: options.pauth,
    });
    return new VirtBoard(core, options);
  }

  // Place kernel, initrd and device tree as QEMU does and reset vCPU 0 into
  // the kernel as booting.rst asks: X0 = the DTB, MMU off, DAIF masked, at
  // EL1 (EL2 with virtualization: a kernel with KVM then keeps EL2).
  async bootLinux(boot: LinuxBoot): Promise<void> {
    const ramBase = VIRT_MEMMAP.ram.base, ramSize = BigInt(this.options.ramMiB) * 1024n * 1024n;
    const kernel = await loadLinuxImage(boot.kernel, boot.kernelName ?? "kernel", ramBase, ramSize);
    const modules = boot.modules ?? [];
    const place = placeBootBlobs({
      kernel, initrd: boot.initrd, initrdName: boot.initrdName, dtbSize: boot.dtb?.length, modules: modules.map((m) => ({ size: m.data.length, name: m.name })),
    });
    const kinds = ["kernel", "ramdisk"] as const;
    const dtb = boot.dtb ?? virtDeviceTree({
      ramBase, ramSize, cpus: this.cpus, gicVersion: this.options.gic ?? 3, virtualization: this.options.virtualization ?? false,
      bootargs: boot.append ?? "", initrd: place.initrd,
      ...(modules.length && {
        modules: modules.map((m, i) => ({
          addr: place.modules[i].start, size: place.modules[i].end - place.modules[i].start, kind: kinds[i] ?? "module", bootargs: m.cmdline,
        })),
        xenBootargs: boot.append ?? "",
        ...(modules[0].cmdline !== undefined && { dom0Bootargs: modules[0].cmdline }),
      }),
      // Fixed seeds keep icount runs repeatable; the host clock takes real randomness.
      rngSeed: this.options.clock === "host" ? crypto.getRandomValues(new Uint8Array(32)) : new Uint8Array(32).fill(0x5a),
    });
    if (dtb.length > DTB_MAX_SIZE) throw new UserError(`device tree is ${dtb.length} bytes; arm64 Linux accepts at most 2 MiB`);
    this.core.writeRam(kernel.loadAddr, kernel.data);
    if (boot.initrd && place.initrd) this.core.writeRam(place.initrd.start, boot.initrd);
    modules.forEach((m, i) => this.core.writeRam(place.modules[i].start, m.data));
    this.core.writeRam(place.dtb, dtb);
    this.vm.boot(kernel.loadAddr, [place.dtb, 0n, 0n, 0n]);
  }

  // Bytes typed at the console: into the UART's receive FIFO as it has room.
  pushInput(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
    this.poll();
  }

  // The physical count (CNTPCT): instructions retired plus the host's offset.
  private guestTicks(): bigint { return this.core.instructions + this.core.u64(ABI.TIME_OFFSET); }

  private poll(): void {
    this.rtc.poll();
    if (this.input.length && this.uart.rxListening) {
      const room = this.uart.rxRoom;
      if (room > 0) this.uart.pushInput(Uint8Array.from(this.input.splice(0, room)));
    }
    this.uart.flush();
  }

  get pendingInput(): number { return this.input.length; }

  async run(maxInstructions?: bigint): Promise<VmResult> {
    try {
      return await this.vm.run(maxInstructions);
    } finally {
      this.uart.flush();
    }
  }
}

// The part of the core's RAM that is the guest's: [ramBase, ramBase + size).
function guestRam(core: Core, size: bigint): RamAccess {
  const inside = (pa: bigint, len: number) => pa >= core.ramBase && pa + BigInt(len) <= core.ramBase + size;
  return {
    ramOffset: (pa, len) => (inside(pa, len) ? core.ramOffset(pa, len) : -1),
    readRam: (pa, len) => { if (!inside(pa, len)) throw new RangeError(`0x${pa.toString(16)}+${len} is outside the guest's RAM`); return core.readRam(pa, len); },
    writeRam: (pa, data) => { if (!inside(pa, data.length)) throw new RangeError(`0x${pa.toString(16)}+${data.length} is outside the guest's RAM`); core.writeRam(pa, data); },
  };
}
