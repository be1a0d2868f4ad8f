// Shared code for the guest and CLI tests: building the bare-metal guests,
// running them on the armvisor CLI and under QEMU.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EC_NAMES } from "../../src/hv/stats";

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const GUESTS = join(ROOT, "guests");
export const CLI = join(ROOT, "bin", "armvisor.js");
export const QEMU = process.env.QEMU ?? "qemu-system-aarch64";

// guests/<build>/<name>.<ext>
export function guest(name: string, build = "build", ext = "elf"): string {
  return join(GUESTS, build, `${name}.${ext}`);
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// vitest runs test files in parallel workers: serialise `make -C guests`
// across them (and across concurrent `vitest` runs on this checkout) with a
// lock directory, so two makes never write the same objects at once.
function withGuestsLock<T>(fn: () => T): T {
  const key = createHash("sha1").update(GUESTS).digest("hex").slice(0, 12);
  const lock = join(tmpdir(), `armvisor-guests-make-${key}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      try {
        // A lock older than 3 minutes belongs to a make that died.
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch { /* it went away meanwhile */ }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleepSync(100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function make(args: string[]): void {
  const r = spawnSync("make", ["-C", GUESTS, ...args], { encoding: "utf8", timeout: 120_000 });
  if (r.error) throw new Error(`make ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`make -C guests ${args.join(" ")} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

// The builds the tests use:
//   make -C guests                                                    (build/*)
//   make -C guests BUILD=build-strict EXC_STRICT=1 build-strict/exceptions.elf
//   make -C guests BUILD=build-strict MMU_STRICT=1 build-strict/mmu.elf
//   make -C guests BUILD=build-strict TRAPS_STRICT=1 build-strict/el2-traps.elf
//   make -C guests BUILD=build-strict VHE_STRICT=1 build-strict/vhe.elf
//   make -C guests BUILD=build-strict RAS_STRICT=1 build-strict/ras.elf
//   make -C guests BUILD=build-small MIPS_ITERS=2 build-small/mips.elf
export function buildGuests(): void {
  if (!existsSync(join(ROOT, "dist", "cli.js")) || !existsSync(join(ROOT, "build", "core.wasm"))) {
    throw new Error("dist/cli.js or build/core.wasm is missing: run `npm run build` first");
  }
  withGuestsLock(() => {
    make([]);
    make(["BUILD=build-strict", "EXC_STRICT=1", "build-strict/exceptions.elf"]);
    make(["BUILD=build-strict", "MMU_STRICT=1", "build-strict/mmu.elf"]);
    make(["BUILD=build-strict", "TRAPS_STRICT=1", "build-strict/el2-traps.elf"]);
    make(["BUILD=build-strict", "VHE_STRICT=1", "build-strict/vhe.elf"]);
    make(["BUILD=build-strict", "RAS_STRICT=1", "build-strict/ras.elf"]);
    make(["BUILD=build-small", "MIPS_ITERS=2", "build-small/mips.elf"]);
    make(["BUILD=build-small", "MIPS_ITERS=2", "build-small/mips-mmu.elf"]);
  });
}

// `node bin/armvisor.js ...args`, from the repository root.
export function armvisor(args: string[], timeoutMs = 60_000): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT, encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

let qemuChecked: boolean | undefined;
export function hasQemu(): boolean {
  if (qemuChecked === undefined) {
    const r = spawnSync(QEMU, ["--version"], { encoding: "utf8" });
    qemuChecked = !r.error && r.status === 0;
  }
  return qemuChecked;
}

const QEMU_MACHINE = { 1: "virt", 2: "virt,virtualization=on", 3: "virt,secure=on,virtualization=on" } as const;

// The guest under QEMU 7.2 at `el` (guests/README.md); `machine` adds
// options to -M (say "gic-version=3"), `cpu` replaces -cpu max.
export function qemu(elf: string, el: 1 | 2 | 3, timeoutMs = 30_000, machine?: string, cpu = "max"): Run {
  const m = machine ? `${QEMU_MACHINE[el]},${machine}` : QEMU_MACHINE[el];
  const r = spawnSync(QEMU, ["-M", m, "-cpu", cpu, "-nographic", "-semihosting", "-kernel", elf], {
    cwd: ROOT, encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// The `N passed, M failed` line of isa/exceptions (the last one printed).
export function report(stdout: string): { passed: number; failed: number } | undefined {
  const all = [...stdout.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const m = all.at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

// "from->to ec" -> count, from the guest's `exceptions ELa->ELb ec=0xNN N` lines.
export function guestTally(stdout: string): Map<string, number> {
  const t = new Map<string, number>();
  for (const l of lines(stdout)) {
    const m = /^exceptions EL(\d)->EL(\d) ec=0x([0-9a-f]{2}) (\d+)$/.exec(l);
    if (m) t.set(`${m[1]}->${m[2]} ${parseInt(m[3], 16)}`, Number(m[4]));
  }
  return t;
}

// Lines of a stream's text, without the empty string after a final newline.
export function lines(s: string): string[] {
  const l = s.split("\n");
  if (l.at(-1) === "") l.pop();
  return l;
}

// A stack trace has lines like "    at fn (file:line:col)".
export function hasStackTrace(s: string): boolean {
  return /^\s+at /m.test(s);
}

// For assertion messages.
export function describeRun(r: Run): string {
  return `status=${r.status} signal=${r.signal}\n--- stdout ---\n${r.stdout.slice(0, 4000)}\n--- stderr ---\n${r.stderr.slice(0, 4000)}`;
}

// The `exceptions taken` block of --stats (stderr): "from->to ec" -> count,
// the interrupts as their pseudo-classes (IRQ 0x3d, FIQ 0x3e, SError 0x3f).
export function statsTally(stderr: string): Map<string, number> {
  const byName = new Map(Object.entries(EC_NAMES).map(([ec, name]) => [name, Number(ec)]));
  const t = new Map<string, number>();
  let inBlock = false;
  for (const l of lines(stderr)) {
    if (l.startsWith("exceptions taken")) { inBlock = true; continue; }
    if (inBlock && !l.startsWith("  ")) break;
    const m = inBlock ? /^\s+EL(\d) -> EL(\d)\s+(\S+)\s+(\d+)$/.exec(l) : null;
    if (!m) continue;
    const ec = byName.get(m[3]) ?? parseInt(m[3].replace(/^EC_0x/, ""), 16);
    t.set(`${m[1]}->${m[2]} ${ec}`, Number(m[4]));
  }
  return t;
}
