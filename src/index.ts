// armvisor as a library (Node and browser): the core, a vCPU with typed
// exits, and a machine that runs bare-metal guests.
export { Core, ABI } from "./core/core";
export type { CoreOptions, CoreExports } from "./core/core";
export { Vcpu } from "./hv/vcpu";
export type { VcpuExit, ExitKind } from "./hv/exit";
export { Machine } from "./hv/machine";
export type { MachineOptions, RunResult } from "./hv/machine";
export { readStats, formatStats } from "./hv/stats";
export { loadElf, isElf } from "./loader/elf";
export { loadRaw } from "./loader/raw";
export { UserError } from "./errors";
export { PL011 } from "./devices/pl011";
export type { MmioDevice, ConsoleSink, IrqLine } from "./devices/device";
export { GicV3 } from "./devices/gicv3";
export * from "./devices/virtio/index";
export { Fdt } from "./board/fdt";
export { virtDeviceTree } from "./board/virt-dt";
export { loadLinuxImage, placeBootBlobs } from "./loader/linux";
