// `armvisor boot`: the virt board with a Linux kernel (hv/vm.ts, board/virt.ts),
// or a hypervisor with its boot modules (`boot xen`: Xen with the Debian kernel as dom0).
import { Command, InvalidArgumentError, Option } from "commander";
import { VirtBoard, type BootModule, type VirtDrive } from "../board/virt";
import { VIRT_MEMMAP } from "../board/virt-dt";
import { decompressImage } from "../loader/linux";
import { EC_NAMES } from "../hv/stats";
import { readInput, parseCount, parseGic, printStats, reportEnd } from "./args";
import { UserError } from "../errors";
import { stdoutSink } from "../node/console";
import { attachConsole } from "../node/terminal";
import { readCoreWasm } from "../node/core-wasm";
import { PAUTH_DEFAULT } from "../core/core";
import { FileDisk } from "../node/file-disk";

export interface BootOptions {
  kernel?: string; initrd?: string; append?: string; memory?: number; smp: number; drive: string[];
  gic: 2 | 3; dtb?: string; clock: "icount" | "host"; stats?: boolean; jit: boolean; maxInsns?: bigint; fp?: boolean;
  virtualization?: boolean; module?: string[]; vhe?: boolean; pauth?: boolean;
}

// What `boot linux` and `boot xen` boot: the fetched images; options given
// on the command line take precedence.
export interface BootImages {
  kernel: string; initrd?: string; append: string;
  modules?: ModuleSpec[];
  virtualization?: boolean;    // the kernel is a hypervisor: it owns EL2
  memory?: number;             // default RAM in MiB
}

export interface ModuleSpec { path: string; cmdline?: string }

// The files `boot xen` uses: Xen from `fetch xen`, dom0 from `fetch linux`.
export interface XenFiles { xen: string; kernel: string; initramfs: string }

export const XEN_DEFAULT_MEMORY = 1024;
export const DOM0_APPEND = "console=hvc0 earlycon=xen panic=-1";

// Xen's command line for `boot xen`: its console on the PL011, dom0 with
// half the RAM (Xen, its heap and the boot modules fit in the rest) and one
// vCPU per CPU.
export function xenAppend(memoryMiB: number, cpus: number): string {
  return `dom0_mem=${Math.floor(memoryMiB / 2)}M dom0_max_vcpus=${cpus} loglvl=all guest_loglvl=all console=dtuart dtuart=/pl011@${VIRT_MEMMAP.uart.base.toString(16)}`;
}

export function xenImages(f: XenFiles, memoryMiB: number, cpus: number): BootImages {
  return {
    kernel: f.xen, append: xenAppend(memoryMiB, cpus), virtualization: true, memory: XEN_DEFAULT_MEMORY,
    modules: [{ path: f.kernel, cmdline: DOM0_APPEND }, { path: f.initramfs }],
  };
}

// --module FILE[,cmdline]: the command line is everything after the first comma.
export function parseModule(spec: string): ModuleSpec {
  const comma = spec.indexOf(",");
  const path = comma < 0 ? spec : spec.slice(0, comma);
  if (!path) throw new UserError(`--module needs a file name: "${spec}"`);
  return comma < 0 ? { path } : { path, cmdline: spec.slice(comma + 1) };
}

export const DEFAULT_MEMORY = 512;

function parseDrive(spec: string): VirtDrive {
  const [path, ...flags] = spec.split(",");
  if (!path) throw new UserError(`--drive needs a file name: "${spec}"`);
  for (const f of flags) if (f !== "readonly") throw new UserError(`--drive ${spec}: unknown flag "${f}" (only "readonly")`);
  const readonly = flags.includes("readonly");
  return { backend: new FileDisk(path, { readonly }), readonly };
}

export const DEFAULT_APPEND = "console=ttyAMA0 earlycon=pl011,0x9000000";

export async function bootCommand(opts: BootOptions, images?: BootImages): Promise<number> {
  const kernelPath = opts.kernel ?? images?.kernel;
  if (!kernelPath) throw new UserError("no kernel: give --kernel FILE (or `boot linux` for the fetched Debian kernel)");
  const kernel = readInput(kernelPath, "kernel");
  const initrdPath = opts.initrd ?? images?.initrd;
  const initrd = initrdPath ? readInput(initrdPath, "initrd") : undefined;
  const dtb = opts.dtb ? readInput(opts.dtb, "device tree") : undefined;
  const memory = opts.memory ?? images?.memory ?? DEFAULT_MEMORY;
  const virtualization = opts.virtualization || (images?.virtualization ?? false);
  const specs = opts.module?.length ? opts.module.map(parseModule) : images?.modules ?? [];
  const modules: BootModule[] = [];
  for (const [i, m] of specs.entries()) {
    let data = readInput(m.path, i === 0 ? "module (dom0 kernel)" : i === 1 ? "module (ramdisk)" : "module");
    // The first module is the dom0 kernel: a compressed Image goes in decompressed, as the loader takes one.
    if (i === 0) data = (await decompressImage(data, m.path, BigInt(memory) << 20n)).data;
    modules.push({ data, name: m.path, cmdline: m.cmdline });
  }
  const drives = opts.drive.map(parseDrive);
  // Console input wakes a machine whose vCPUs all wait with no timer armed.
  let inputEnded = false;
  let wake: ((more: boolean) => void) | undefined;
  const waitForInput = () => new Promise<boolean>((resolve) => { if (inputEnded) resolve(false); else wake = resolve; });
  const paceIdle = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(() => { wake = undefined; resolve(); }, ms);
    if (!inputEnded) wake = () => { clearTimeout(t); resolve(); };
  });
  const board = await VirtBoard.create({
    wasm: readCoreWasm(opts.stats ? "stats" : "release") as BufferSource,
    ramMiB: memory, cpus: opts.smp, console: stdoutSink, clock: opts.clock, jit: opts.jit, fp: opts.fp ?? true, drives, gic: opts.gic,
    virtualization, vhe: opts.vhe ?? true, pauth: opts.pauth, waitForInput, paceIdle,
  });
  await board.bootLinux({ kernel, kernelName: kernelPath, initrd, initrdName: initrdPath, append: opts.append ?? images?.append ?? DEFAULT_APPEND, dtb, modules });
  const console = attachConsole((b) => { board.pushInput(b); wake?.(true); wake = undefined; }, () => { board.vm.requestQuit(); wake?.(false); }, {
    onEnd: () => { inputEnded = true; wake?.(false); wake = undefined; },
  });
  const detach = () => console.detach();
  const t0 = performance.now();
  let result;
  try {
    result = await board.run(opts.maxInsns);
  } finally {
    detach();
    for (const d of drives) (d.backend as FileDisk).close?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (opts.stats) {
    printStats(board.core, board.vm.jit, seconds);
    for (const e of board.vm.exitCounts()) process.stderr.write(`exit cpu${e.cpu} ${EC_NAMES[e.ec] ?? e.ec.toString(16)} ${e.count}\n`);
  }
  reportEnd(result, opts.maxInsns);
  return result.status;
}

function parseSmp(v: string): number {
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`not a vCPU count: ${v}`);
  return Number(v);
}
function parseMiB(v: string): number {
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`not a size in MiB: ${v}`);
  return Number(v);
}
export interface GuestImages {
  linux: () => Promise<BootImages>;
  xen: () => Promise<XenFiles>;
}

export function registerBoot(program: Command, setStatus: (s: number) => void, guests: GuestImages): void {
  program
    .command("boot")
    .description("boot a Linux kernel on the virt board (`boot linux`: the Debian kernel and initramfs from `fetch linux`; " +
      "`boot xen`: Xen from `fetch xen` at EL2 with them as dom0)")
    .argument("[guest]", "`linux` or `xen` for the fetched Debian images")
    .option("--kernel <file>", "arm64 Linux Image (raw or gzip)")
    .option("--initrd <file>", "initial ramdisk")
    .option("--append <cmdline>", `kernel command line (default "${DEFAULT_APPEND}")`)
    .option("-m, --memory <MiB>", `RAM size in MiB (default ${DEFAULT_MEMORY}; ${XEN_DEFAULT_MEMORY} for \`boot xen\`)`, parseMiB)
    .option("--smp <n>", "number of vCPUs", parseSmp, 1)
    .option("--drive <file[,readonly]>", "virtio-blk disk backed by a raw image file (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(new Option("--gic <version>", "interrupt controller: 2 or 3").default(3).argParser(parseGic))
    .option("--dtb <file>", "use this device tree instead of the generated one")
    .option("--virtualization", "the guest owns EL2: enter the kernel at EL2 (a hypervisor such as KVM keeps it), PSCI by SMC")
    .option("--no-vhe", "without FEAT_VHE (ID_AA64MMFR1_EL1.VH = 0, as a Cortex-A57): KVM runs in nVHE mode")
    .option("--pauth", `with FEAT_PAuth, QARMA5${PAUTH_DEFAULT ? " (the default)" : ""}: a kernel with CONFIG_ARM64_PTR_AUTH signs its return addresses`)
    .option("--no-pauth", `without FEAT_PAuth (ID_AA64ISAR1_EL1.APA = GPA = 0)${PAUTH_DEFAULT ? "" : " (the default)"}`)
    .option("--module <file[,cmdline]>", "a boot module for a hypervisor, described under /chosen as Xen expects: the first is the dom0 kernel " +
      "(with its command line), the second its ramdisk (repeatable; --append is then the hypervisor's command line)",
    (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(new Option("--clock <source>", "counter source: instructions retired (deterministic) or wall-clock time").choices(["icount", "host"]).default("icount"))
    .option("--max-insns <n>", "stop after this many instructions (exit status 124)", parseCount)
    .option("--stats", "print instruction, exit, exception and TLB counters on stderr")
    .option("--no-jit", "interpret only")
    .option("--no-fp", "without FP/AdvSIMD (every SIMD&FP instruction UNDEFINED)")
    .configureOutput({ outputError: (str, write) => write(`armvisor: ${str.replace(/^error: /, "")}`) })
    .action(async (guest: string | undefined, opts: BootOptions) => {
      if (guest !== undefined && guest !== "linux" && guest !== "xen") throw new UserError(`unknown guest "${guest}" ("linux" or "xen")`);
      if (opts.module?.length) opts.module.forEach(parseModule); // bad specs fail before any fetching
      const images = guest === "linux" ? await guests.linux()
        : guest === "xen" ? xenImages(await guests.xen(), opts.memory ?? XEN_DEFAULT_MEMORY, opts.smp)
        : undefined;
      setStatus(await bootCommand(opts, images));
    });
}
