// The `virt` board with the host as hypervisor: QEMU's -M virt memory map and
// interrupt numbers (virt-dt.ts), a GICv3 (or GICv2), the generic timers as PPIs, a
// PL011, a PL031, 32 virtio-mmio transports (disks, a console, an RNG), PSCI through HVC, and a generated device
// tree. The guest runs at EL1/EL0 in a VM (VMID 1) whose RAM sits behind a
// stage 2 table the host builds in memory after it (hv/stage2.ts); the
// host owns EL2 (hv/vm.ts).
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
}

const SPI_BASE = 32, PPI_BASE = 16;
const VMID = 1;                  // the board's one VM (each board has a core, and a TLB, of its own)
const MAX_RAM_MIB = 3072;        // RAM and the core's own memory share one 4 GiB wasm memory

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
      if (options.virtualization) {
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
    const stage2 = options.virtualization ? undefined : buildStage2(core, {
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
        } : {}),
      },
      timerIntids: {
        phys: PPI_BASE + VIRT_IRQ.timerPhysPpi, virt: PPI_BASE + VIRT_IRQ.timerVirtPpi, hyp: PPI_BASE + VIRT_IRQ.timerHypPpi,
        hypVirt: PPI_BASE + VIRT_IRQ.timerHypVirtPpi,
      },
      poll: () => this.poll(),
    }, {
      cpus: this.cpus, affinity, bootEL: options.virtualization ? 2 : 1, el2: stage2,
      clock: options.clock === "host" ? hostClock() : icountClock(),
      jit: options.jit,
      waitForInput: options.waitForInput,
      paceIdle: options.paceIdle,
    });
  }

  static async create(options: VirtBoardOptions): Promise<VirtBoard> {
    const { ramMiB } = options;
    const cpus = options.cpus ?? 1;
    if (!Number.isInteger(ramMiB) || ramMiB < 16) throw new UserError(`invalid memory size: ${ramMiB} MiB (the virt board needs at least 16)`);
    if (ramMiB > MAX_RAM_MIB) throw new UserError(`invalid memory size: ${ramMiB} MiB (at most ${MAX_RAM_MIB})`);
    const gicVersion = options.gic ?? 3;
    const maxCpus = gicVersion === 3 ? VIRT_MAX_CPUS_GICV3 : VIRT_MAX_CPUS_GICV2;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > maxCpus) throw new UserError(`invalid vCPU count: ${cpus} (1 to ${maxCpus} with GICv${gicVersion})`);
    // The core's RAM is the guest's and, after it, the host's stage 2 tables
    // (none when the guest owns EL2 and builds its own).
    const hostEl2 = !options.virtualization;
    const core = await Core.create(options.wasm, {
      ramBase: VIRT_MEMMAP.ram.base, ramSize: ramMiB * 1024 * 1024 + (hostEl2 ? STAGE2_RESERVED : 0), highestEL: hostEl2 ? 1 : 2,
      semihosting: false, gic: gicVersion === 3 ? 3 : undefined, fp: options.fp ?? false, hostStage2: hostEl2,
    });
    return new VirtBoard(core, options);
  }

  // Place kernel, initrd and device tree as QEMU does and reset vCPU 0 into
  // the kernel as booting.rst asks: X0 = the DTB, MMU off, DAIF masked, at
  // EL1 (EL2 with virtualization: a kernel with KVM then keeps EL2).
  async bootLinux(boot: LinuxBoot): Promise<void> {
    const ramBase = VIRT_MEMMAP.ram.base, ramSize = BigInt(this.options.ramMiB) * 1024n * 1024n;
    const kernel = await loadLinuxImage(boot.kernel, boot.kernelName ?? "kernel", ramBase, ramSize);
    const place = placeBootBlobs({ kernel, initrd: boot.initrd, initrdName: boot.initrdName, dtbSize: boot.dtb?.length });
    const dtb = boot.dtb ?? virtDeviceTree({
      ramBase, ramSize, cpus: this.cpus, gicVersion: this.options.gic ?? 3, virtualization: this.options.virtualization ?? false,
      bootargs: boot.append ?? "", initrd: place.initrd,
      // Fixed seeds keep icount runs repeatable; the host clock takes real randomness.
      rngSeed: this.options.clock === "host" ? crypto.getRandomValues(new Uint8Array(32)) : new Uint8Array(32).fill(0x5a),
    });
    if (dtb.length > DTB_MAX_SIZE) throw new UserError(`device tree is ${dtb.length} bytes; arm64 Linux accepts at most 2 MiB`);
    this.core.writeRam(kernel.loadAddr, kernel.data);
    if (boot.initrd && place.initrd) this.core.writeRam(place.initrd.start, boot.initrd);
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
