// The device tree of the `virt` board, written the way QEMU's `-M virt`
// (hw/arm/virt.c) writes it: the same node names, compatible strings,
// addresses and interrupts, so that a kernel configured for QEMU's board
// finds the same devices here.
//
// Nodes of QEMU's tree left out on purpose (armvisor has no such device):
//   /flash@0 (cfi-flash), /fw-cfg@9020000, /pl061@9030000 and /gpio-keys
//   (the power button), /pcie@10000000, /platform-bus@c000000, the MSI controllers under the GIC
//   (/intc@8000000/its@8080000 for GICv3, /intc@8000000/v2m@8020000 for
//   GICv2) and /smmuv3@9050000.
// Other deliberate differences from QEMU 7.2's tree:
//   - every /cpus/cpu@N has enable-method = "psci" (QEMU omits it with one
//     CPU; it is harmless there and keeps the nodes uniform);
//   - with virtualization, /timer lists the EL2 virtual timer (PPI 12) as a
//     fifth interrupt (QEMU 9.0+ does so for CPUs with FEAT_VHE; QEMU 7.2
//     lists four);
//   - rng-seed and kaslr-seed appear only when the caller supplies them (QEMU
//     always generates random ones; armvisor runs are reproducible);
//   - phandles are numbered from 1 (QEMU starts at 0x8000).
import { Fdt } from "./fdt";
import { UserError } from "../errors";

// QEMU hw/arm/virt.c base_memmap (the regions this tree describes).
export const VIRT_MEMMAP = {
  gicDist: { base: 0x0800_0000n, size: 0x1_0000n },
  gicCpu: { base: 0x0801_0000n, size: 0x1_0000n },
  gicHyp: { base: 0x0803_0000n, size: 0x1_0000n },
  gicVcpu: { base: 0x0804_0000n, size: 0x1_0000n },
  gicRedist: { base: 0x080a_0000n, size: 0xf6_0000n },
  uart: { base: 0x0900_0000n, size: 0x1000n },
  rtc: { base: 0x0901_0000n, size: 0x1000n },
  virtioMmio: { base: 0x0a00_0000n, size: 0x200n },
  ram: { base: 0x4000_0000n },
} as const;

// SPIs (GIC INTID - 32) and PPIs (INTID - 16), as QEMU numbers them.
export const VIRT_IRQ = {
  uart: 1,
  rtc: 2,
  virtioMmioFirst: 16,
  virtioMmioCount: 32,
  gicMaintenancePpi: 9,
  timerHypPpi: 10,
  timerVirtPpi: 11,
  timerHypVirtPpi: 12,
  timerSecurePhysPpi: 13,
  timerPhysPpi: 14,
  pmuPpi: 7, // VIRTUAL_PMU_IRQ
} as const;

export const GICV3_REDIST_FRAME_SIZE = 0x2_0000n; // RD_base + SGI_base, 64 KiB each
export const VIRT_MAX_CPUS_GICV2 = 8;
export const VIRT_MAX_CPUS_GICV3 = Number(VIRT_MEMMAP.gicRedist.size / GICV3_REDIST_FRAME_SIZE); // 123

export const APB_PCLK_HZ = 24_000_000;

// Interrupt specifier cells (Linux bindings: interrupt-controller/arm,gic*).
const GIC_SPI = 0;
const GIC_PPI = 1;
const IRQ_TYPE_EDGE_RISING = 1;
const IRQ_TYPE_LEVEL_HIGH = 4;

// A boot module for a hypervisor (Xen's docs/misc/arm/device-tree/booting.txt,
// "Dom0 kernel and ramdisk modules"): an image in RAM, described by a
// /chosen/module@ADDR node.
export interface BootModuleDt {
  addr: bigint;
  size: bigint;
  // "kernel" (the dom0 kernel), "ramdisk" (its initrd), or a module of no
  // specific type: "multiboot,kernel"/"multiboot,ramdisk" with "multiboot,module".
  kind: "kernel" | "ramdisk" | "module";
  bootargs?: string;             // the module's command line
}

export interface VirtDtConfig {
  ramBase: bigint;
  ramSize: bigint;
  cpus: number;
  gicVersion: 2 | 3;
  // The guest owns EL2: PSCI through SMC, the GICv2 hypervisor and vCPU
  // interfaces, the GIC maintenance interrupt.
  virtualization: boolean;
  // List the EL2 virtual timer (PPI 12) in /timer; defaults to `virtualization`.
  el2VirtualTimer?: boolean;
  cpuCompatible?: string; // default "arm,cortex-a57", as QEMU's -cpu cortex-a57; "arm,armv8" is the neutral choice
  bootargs?: string;
  initrd?: { start: bigint; end: bigint };
  rngSeed?: Uint8Array;
  kaslrSeed?: bigint;
  virtioMmio?: number; // transports, default 32
  // Boot modules for a hypervisor under /chosen (with #address-cells and
  // #size-cells 2 there), and the command lines Xen reads from /chosen:
  // xen,xen-bootargs for itself, xen,dom0-bootargs for dom0.
  modules?: BootModuleDt[];
  xenBootargs?: string;
  dom0Bootargs?: string;
  stdoutPath?: string; // default "/pl011@9000000"
}

// The MPIDR_EL1 affinity QEMU's virt board gives CPU `index` (TCG): clusters
// of 16 CPUs with GICv3, of 8 with GICv2 (the GIC's target-list width).
export function virtMpidrAffinity(index: number, gicVersion: 2 | 3): number {
  const clusterSize = gicVersion === 3 ? 16 : 8;
  return (Math.floor(index / clusterSize) << 8) | index % clusterSize;
}

const hex = (v: bigint) => v.toString(16);

export function virtDeviceTree(config: VirtDtConfig): Uint8Array {
  return virtDeviceTreeNodes(config).toBytes();
}

// The tree itself, for callers that want to add to it before writing it out.
export function virtDeviceTreeNodes(config: VirtDtConfig): Fdt {
  const { ramBase, ramSize, cpus, gicVersion, virtualization } = config;
  const virtioCount = config.virtioMmio ?? VIRT_IRQ.virtioMmioCount;
  const maxCpus = gicVersion === 3 ? VIRT_MAX_CPUS_GICV3 : VIRT_MAX_CPUS_GICV2;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > maxCpus) {
    throw new UserError(`the virt board with GICv${gicVersion} supports 1 to ${maxCpus} CPUs, not ${cpus}`);
  }
  if (ramSize <= 0n) throw new UserError("the virt board needs some RAM");
  if (!Number.isInteger(virtioCount) || virtioCount < 0 || virtioCount > VIRT_IRQ.virtioMmioCount) {
    throw new UserError(`the virt board has 0 to ${VIRT_IRQ.virtioMmioCount} virtio-mmio transports, not ${virtioCount}`);
  }

  const fdt = new Fdt();
  const root = fdt.root;
  const gic = fdt.allocPhandle(); // the GIC's, referenced before its node is written
  root.setU32("interrupt-parent", gic)
    .setString("model", "linux,dummy-virt")
    .setU32("#size-cells", 2)
    .setU32("#address-cells", 2)
    .setString("compatible", "linux,dummy-virt");

  // PSCI 0.2+ function IDs, plus the 0.1-style ones QEMU also lists.
  root.addNode("psci")
    .setStrings("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci")
    .setString("method", virtualization ? "smc" : "hvc")
    .setU32("cpu_suspend", 0xc400_0001)
    .setU32("cpu_off", 0x8400_0002)
    .setU32("cpu_on", 0xc400_0003)
    .setU32("migrate", 0xc400_0005);

  root.addNode(`memory@${hex(ramBase)}`)
    .setString("device_type", "memory")
    .setU64("reg", ramBase, ramSize);

  const cpusNode = root.addNode("cpus").setU32("#address-cells", 1).setU32("#size-cells", 0);
  const cpuMap = cpusNode.addNode("cpu-map").addNode("socket0").addNode("cluster0");
  for (let i = 0; i < cpus; i++) {
    const aff = virtMpidrAffinity(i, gicVersion);
    const cpu = cpusNode.addNode(`cpu@${aff.toString(16)}`)
      .setString("device_type", "cpu")
      .setString("compatible", config.cpuCompatible ?? "arm,cortex-a57")
      .setU32("reg", aff)
      .setString("enable-method", "psci");
    cpuMap.addNode(`core${i}`).setU32("cpu", cpu.phandle());
  }

  // GICv2 PPI specifiers carry a CPU mask in bits 15:8 (QEMU sets it for
  // the timer, not for the maintenance interrupt).
  const ppiFlags = gicVersion === 2 ? (((1 << cpus) - 1) << 8) | IRQ_TYPE_LEVEL_HIGH : IRQ_TYPE_LEVEL_HIGH;
  const timerPpis: number[] = [VIRT_IRQ.timerSecurePhysPpi, VIRT_IRQ.timerPhysPpi, VIRT_IRQ.timerVirtPpi, VIRT_IRQ.timerHypPpi];
  if (config.el2VirtualTimer ?? virtualization) timerPpis.push(VIRT_IRQ.timerHypVirtPpi);
  root.addNode("timer")
    .setStrings("compatible", "arm,armv8-timer", "arm,armv7-timer")
    .setEmpty("always-on")
    .setU32("interrupts", ...timerPpis.flatMap((ppi) => [GIC_PPI, ppi, ppiFlags]));

  // The PMUv3 (FEAT_PMUv3, every vCPU has one) and its overflow interrupt, as
  // QEMU's fdt_add_pmu_nodes writes them.
  root.addNode("pmu")
    .setString("compatible", "arm,armv8-pmuv3")
    .setU32("interrupts", GIC_PPI, VIRT_IRQ.pmuPpi, ppiFlags);

  const intc = root.addNode(`intc@${hex(VIRT_MEMMAP.gicDist.base)}`)
    .setU32("phandle", gic)
    .setU32("#interrupt-cells", 3)
    .setEmpty("interrupt-controller")
    .setU32("#address-cells", 2)
    .setU32("#size-cells", 2)
    .setEmpty("ranges");
  if (gicVersion === 3) {
    intc.setString("compatible", "arm,gic-v3")
      .setU32("#redistributor-regions", 1)
      .setU64("reg", VIRT_MEMMAP.gicDist.base, VIRT_MEMMAP.gicDist.size, VIRT_MEMMAP.gicRedist.base, VIRT_MEMMAP.gicRedist.size);
  } else {
    const regions: { base: bigint; size: bigint }[] = [VIRT_MEMMAP.gicDist, VIRT_MEMMAP.gicCpu];
    if (virtualization) regions.push(VIRT_MEMMAP.gicHyp, VIRT_MEMMAP.gicVcpu);
    intc.setString("compatible", "arm,cortex-a15-gic")
      .setU64("reg", ...regions.flatMap((r) => [r.base, r.size]));
  }
  if (virtualization) intc.setU32("interrupts", GIC_PPI, VIRT_IRQ.gicMaintenancePpi, IRQ_TYPE_LEVEL_HIGH);

  const clk = root.addNode("apb-pclk")
    .setString("compatible", "fixed-clock")
    .setU32("#clock-cells", 0)
    .setU32("clock-frequency", APB_PCLK_HZ)
    .setString("clock-output-names", "clk24mhz");
  const pclk = clk.phandle();

  root.addNode(`pl011@${hex(VIRT_MEMMAP.uart.base)}`)
    .setStrings("compatible", "arm,pl011", "arm,primecell")
    .setU64("reg", VIRT_MEMMAP.uart.base, VIRT_MEMMAP.uart.size)
    .setU32("interrupts", GIC_SPI, VIRT_IRQ.uart, IRQ_TYPE_LEVEL_HIGH)
    .setU32("clocks", pclk, pclk)
    .setStrings("clock-names", "uartclk", "apb_pclk");

  root.addNode(`pl031@${hex(VIRT_MEMMAP.rtc.base)}`)
    .setStrings("compatible", "arm,pl031", "arm,primecell")
    .setU64("reg", VIRT_MEMMAP.rtc.base, VIRT_MEMMAP.rtc.size)
    .setU32("interrupts", GIC_SPI, VIRT_IRQ.rtc, IRQ_TYPE_LEVEL_HIGH)
    .setU32("clocks", pclk)
    .setString("clock-names", "apb_pclk");

  for (let n = 0; n < virtioCount; n++) {
    const base = VIRT_MEMMAP.virtioMmio.base + BigInt(n) * VIRT_MEMMAP.virtioMmio.size;
    root.addNode(`virtio_mmio@${hex(base)}`)
      .setString("compatible", "virtio,mmio")
      .setU64("reg", base, VIRT_MEMMAP.virtioMmio.size)
      .setU32("interrupts", GIC_SPI, VIRT_IRQ.virtioMmioFirst + n, IRQ_TYPE_EDGE_RISING)
      .setEmpty("dma-coherent");
  }

  const chosen = root.addNode("chosen");
  chosen.setString("stdout-path", config.stdoutPath ?? `/pl011@${hex(VIRT_MEMMAP.uart.base)}`);
  if (config.bootargs !== undefined) chosen.setString("bootargs", config.bootargs);
  if (config.initrd) {
    chosen.setU64("linux,initrd-start", config.initrd.start).setU64("linux,initrd-end", config.initrd.end);
  }
  if (config.rngSeed) chosen.setBytes("rng-seed", config.rngSeed);
  if (config.kaslrSeed !== undefined) chosen.setU64("kaslr-seed", config.kaslrSeed);
  if (config.xenBootargs !== undefined) chosen.setString("xen,xen-bootargs", config.xenBootargs);
  if (config.dom0Bootargs !== undefined) chosen.setString("xen,dom0-bootargs", config.dom0Bootargs);
  if (config.modules?.length) {
    chosen.setU32("#address-cells", 2).setU32("#size-cells", 2);
    for (const m of config.modules) {
      const node = chosen.addNode(`module@${hex(m.addr)}`);
      node.setStrings("compatible", ...(m.kind === "module" ? [] : [`multiboot,${m.kind}`]), "multiboot,module")
        .setU64("reg", m.addr, m.size);
      if (m.bootargs !== undefined) node.setString("bootargs", m.bootargs);
    }
  }
  return fdt;
}
