// The armvisor command line.
import { Command, InvalidArgumentError, Option } from "commander";
import { Machine } from "../hv/machine";
import { PAUTH_DEFAULT } from "../core/core";
import { loadElf, isElf } from "../loader/elf";
import { loadRaw, RAW_DEFAULT_LOAD } from "../loader/raw";
import { UserError } from "../errors";
import { stdoutSink, attachStdin } from "../node/console";
import { readCoreWasm } from "../node/core-wasm";
import { readInput, parseCount, parseGic, printStats, reportEnd } from "./args";
import { registerBoot, DEFAULT_APPEND } from "./boot";
import { registerFetch } from "./fetch";
import { ensureLinuxGuest } from "../guests/linux-fetch";
import { ensureXen } from "../guests/xen-fetch";

function parseAddress(v: string): bigint {
  if (!/^(0x[0-9a-fA-F_]+|[0-9_]+)$/.test(v)) throw new InvalidArgumentError(`not an address: ${v}`);
  return BigInt(v.replace(/_/g, ""));
}

function parseEL(v: string): 1 | 2 | 3 {
  if (v !== "1" && v !== "2" && v !== "3") throw new InvalidArgumentError(`the boot EL must be 1, 2 or 3`);
  return Number(v) as 1 | 2 | 3;
}

function parseMiB(v: string): number {
  if (!/^[0-9]+$/.test(v)) throw new InvalidArgumentError(`not a size in MiB: ${v}`);
  const n = Number(v);
  if (n < 1) throw new InvalidArgumentError(`memory size must be at least 1 MiB`);
  if (n > 4000) throw new InvalidArgumentError(`memory size must be at most 4000 MiB`);
  return n;
}

interface RunOptions {
  el: 1 | 2 | 3; memory: number; entry?: bigint; maxInsns?: bigint; stats?: boolean; raw?: boolean; load?: bigint; semihosting: boolean; jit: boolean; fp?: boolean; gic: 2 | 3; vhe: boolean; pauth?: boolean;
}

async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const bytes = readInput(file);
  let image;
  if (opts.raw) image = loadRaw(bytes, file, opts.load ?? RAW_DEFAULT_LOAD);
  else if (isElf(bytes)) image = loadElf(bytes, file);
  else throw new UserError(`${file}: not an AArch64 ELF64 file (use --raw for a raw binary)`);
  const machine = await Machine.create({
    // --stats runs the stats build of the core, which also counts TLB hits.
    wasm: readCoreWasm(opts.stats ? "stats" : "release") as BufferSource, ramMiB: opts.memory, el: opts.el, console: stdoutSink, semihosting: opts.semihosting, jit: opts.jit,
    fp: opts.fp ?? true, gic: opts.gic, vhe: opts.vhe, pauth: opts.pauth,
  });
  machine.load(image, opts.entry);
  const detach = attachStdin((b) => machine.pushInput(b));
  const t0 = performance.now();
  let result;
  try {
    result = await machine.run(opts.maxInsns);
  } finally {
    detach();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (opts.stats) printStats(machine.core, machine.jit, seconds);
  reportEnd(result, opts.maxInsns);
  return result.status;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name("armvisor")
    .description("AArch64 system emulator with the virtualization extensions")
    .version("0.1.0")
    .showHelpAfterError(false)
    // Option errors in the same one-line form as every other error.
    .configureOutput({ outputError: (str, write) => write(`armvisor: ${str.replace(/^error: /, "")}`) });
  let status = 0;
  program
    .command("run")
    .description("run a bare-metal AArch64 program on the virt board (GICv3, timers, PL011; semihosting) until it powers off; exits with the guest's status")
    .argument("<file>", "AArch64 ELF64 executable (or raw binary with --raw)")
    .option("--el <n>", "exception level to boot at; the host owns the levels above it (1, 2 or 3)", parseEL, 1 as 1 | 2 | 3)
    .option("-m, --memory <MiB>", "RAM size in MiB", parseMiB, 128)
    .option("--entry <addr>", "start here instead of the ELF entry point", parseAddress)
    .option("--max-insns <n>", "stop after this many instructions (exit status 124)", parseCount)
    .option("--stats", "print instruction, exit, exception and TLB counters on stderr (runs the counting build of the core)")
    .option("--raw", "the file is a raw binary")
    .option("--load <addr>", `load address of a raw binary (default 0x${RAW_DEFAULT_LOAD.toString(16)})`, parseAddress)
    .option("--no-semihosting", "make HLT #0xF000 UNDEFINED instead of a semihosting call")
    .option("--no-jit", "interpret only: do not compile hot code pages to WebAssembly")
    .option("--no-fp", "without FP/AdvSIMD: every SIMD&FP instruction UNDEFINED, ID_AA64PFR0_EL1.FP = AdvSIMD = 0xF")
    .option("--no-vhe", "with --el 2 or 3, without FEAT_VHE and so without FEAT_NV/NV2 (ID_AA64MMFR1_EL1.VH = 0, ID_AA64MMFR2_EL1.NV = 0)")
    .option("--pauth", `with FEAT_PAuth, QARMA5 (ID_AA64ISAR1_EL1.APA = GPA = 1)${PAUTH_DEFAULT ? " (the default)" : ""}`)
    .option("--no-pauth", `without FEAT_PAuth: the hint-space PAC instructions are NOPs, the others UNDEFINED${PAUTH_DEFAULT ? "" : " (the default)"}`)
    .addOption(new Option("--gic <version>", "interrupt controller: 3 (GICv3, system-register CPU interface) or 2").default(3).argParser(parseGic))
    .configureOutput({ outputError: (str, write) => write(`armvisor: ${str.replace(/^error: /, "")}`) })
    .action(async (file: string, opts: RunOptions) => { status = await runCommand(file, opts); });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  registerBoot(program, (s) => { status = s; }, {
    linux: async () => {
      const g = await ensureLinuxGuest({ log });
      return { kernel: g.kernel, initrd: g.initramfs, append: DEFAULT_APPEND };
    },
    xen: async () => {
      const x = await ensureXen({ log });
      const g = await ensureLinuxGuest({ log });
      return { xen: x.xen, kernel: g.kernel, initramfs: g.initramfs };
    },
  });
  registerFetch(program);
  await program.parseAsync(argv);
  return status;
}

main(process.argv).then(
  (status) => process.exit(status),
  (e) => {
    if (e instanceof UserError) { process.stderr.write(`armvisor: ${e.message}\n`); process.exit(2); }
    process.stderr.write(`armvisor: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(70);
  },
);
