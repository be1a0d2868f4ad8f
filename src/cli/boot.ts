// `armvisor boot`: the virt board with a Linux kernel (hv/vm.ts, board/virt.ts).
import { Command, InvalidArgumentError, Option } from "commander";
import { VirtBoard, type VirtDrive } from "../board/virt";
import { EC_NAMES } from "../hv/stats";
import { readInput, parseCount, parseGic, printStats, reportEnd } from "./args";
import { UserError } from "../errors";
import { stdoutSink } from "../node/console";
import { attachConsole } from "../node/terminal";
import { readCoreWasm } from "../node/core-wasm";
import { FileDisk } from "../node/file-disk";

export interface BootOptions {
  kernel?: string; initrd?: string; append?: string; memory: number; smp: number; drive: string[];
  gic: 2 | 3; dtb?: string; clock: "icount" | "host"; stats?: boolean; jit: boolean; maxInsns?: bigint; fp?: boolean;
  virtualization?: boolean;
}

// What `boot linux` boots: the fetched Debian kernel and initramfs.
export interface BootImages { kernel: string; initrd: string; append: string }

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
    ramMiB: opts.memory, cpus: opts.smp, console: stdoutSink, clock: opts.clock, jit: opts.jit, fp: opts.fp ?? true, drives, gic: opts.gic,
    virtualization: opts.virtualization ?? false, waitForInput, paceIdle,
  });
  await board.bootLinux({ kernel, kernelName: kernelPath, initrd, initrdName: initrdPath, append: opts.append ?? images?.append ?? DEFAULT_APPEND, dtb });
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
export function registerBoot(program: Command, setStatus: (s: number) => void, linuxImages: () => Promise<BootImages>): void {
  program
    .command("boot")
    .description("boot a Linux kernel on the virt board (`boot linux`: the Debian kernel and initramfs from `fetch linux`)")
    .argument("[guest]", "`linux` for the fetched Debian images")
    .option("--kernel <file>", "arm64 Linux Image (raw or gzip)")
    .option("--initrd <file>", "initial ramdisk")
    .option("--append <cmdline>", `kernel command line (default "${DEFAULT_APPEND}")`)
    .option("-m, --memory <MiB>", "RAM size in MiB", parseMiB, 512)
    .option("--smp <n>", "number of vCPUs", parseSmp, 1)
    .option("--drive <file[,readonly]>", "virtio-blk disk backed by a raw image file (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(new Option("--gic <version>", "interrupt controller: 2 or 3").default(3).argParser(parseGic))
    .option("--dtb <file>", "use this device tree instead of the generated one")
    .option("--virtualization", "the guest owns EL2: enter the kernel at EL2 (a hypervisor such as KVM keeps it), PSCI by SMC")
    .addOption(new Option("--clock <source>", "counter source: instructions retired (deterministic) or wall-clock time").choices(["icount", "host"]).default("icount"))
    .option("--max-insns <n>", "stop after this many instructions (exit status 124)", parseCount)
    .option("--stats", "print instruction, exit, exception and TLB counters on stderr")
    .option("--no-jit", "interpret only")
    .option("--no-fp", "without FP/AdvSIMD (every SIMD&FP instruction UNDEFINED)")
    .configureOutput({ outputError: (str, write) => write(`armvisor: ${str.replace(/^error: /, "")}`) })
    .action(async (guest: string | undefined, opts: BootOptions) => {
      if (guest !== undefined && guest !== "linux") throw new UserError(`unknown guest "${guest}" (only "linux")`);
      setStatus(await bootCommand(opts, guest === "linux" ? await linuxImages() : undefined));
    });
}
