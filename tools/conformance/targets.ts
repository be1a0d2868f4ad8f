// Running the harness guest with a block table: on armvisor (in-process,
// through the library) and on qemu-system-aarch64 (a child process).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Machine } from "../../src/hv/machine";
import { loadElf } from "../../src/loader/elf";
import { TABLE_ADDR } from "./layout";

// The repository root: the nearest directory above this module (or the bundle
// made from it) or the working directory that holds guests/harness.
function findRoot(): string {
  for (let d of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let i = 0; i < 8; i++) {
      if (existsSync(join(d, "guests/harness/harness.h")) && existsSync(join(d, "package.json"))) return d;
      d = dirname(d);
    }
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "../..");
}
export const ROOT = findRoot();
export const HARNESS_ELF = join(ROOT, "guests/build/harness.elf");
export const QEMU = process.env.QEMU ?? "qemu-system-aarch64";
// The campaign's reference CPU for the integer and system classes: cortex-a76
// is Armv8.2 with LSE, PAN and UAO, DC ZVA zeroes 64 bytes (DCZID_EL0.BS = 4)
// and CTR_EL0 = 0x8444c004, exactly as armvisor; it has no PAuth, so
// unallocated hints are NOPs on both. The SIMD&FP classes use cortex-a57
// (table.ts CAMPAIGN_CPU).
export const DEFAULT_CPU = "cortex-a76";

export interface TargetRun {
  output: string;
  status: string;    // how the run ended
  seconds: number;
}

let wasmBytes: Uint8Array | undefined;
function coreWasm(): Uint8Array {
  if (!wasmBytes) {
    const p = process.env.ARMVISOR_CORE_WASM ?? join(ROOT, "build/core.wasm");
    if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` first`);
    wasmBytes = new Uint8Array(readFileSync(p));
  }
  return wasmBytes;
}

export function harnessElf(): Uint8Array {
  if (!existsSync(HARNESS_ELF)) throw new Error(`${HARNESS_ELF} is missing: run \`make -C guests\` first`);
  return new Uint8Array(readFileSync(HARNESS_ELF));
}

// armvisor, booted at EL1 as `armvisor run --el 1 --fp` would (FP/AdvSIMD
// implemented), with the table written into RAM.
export async function runArmvisor(table: Uint8Array, opts: { semihosting?: boolean; maxInsns?: bigint } = {}): Promise<TargetRun> {
  const t0 = performance.now();
  const chunks: Uint8Array[] = [];
  const machine = await Machine.create({
    // With FEAT_PAuth, so that the sweep compares its classes against max (explain.ts).
    wasm: coreWasm() as BufferSource, ramMiB: 128, el: 1, semihosting: opts.semihosting ?? true, fp: true, pauth: true,
    console: { write: (b: Uint8Array) => { chunks.push(b.slice()); } },
  });
  machine.load(loadElf(harnessElf(), "harness.elf"));
  machine.core.writeRam(TABLE_ADDR, table);
  let status: string;
  try {
    const r = await machine.run(opts.maxInsns ?? 20_000_000_000n, 1000);
    status = r.kind === "system-off" ? "ok" : `${r.kind} ${r.status}${"message" in r ? ": " + r.message : ""}`;
  } catch (e) {
    status = `exception: ${e instanceof Error ? e.message : String(e)}`;
  }
  const output = Buffer.concat(chunks).toString("latin1");
  return { output, status, seconds: (performance.now() - t0) / 1000 };
}

export function qemuArgs(tableFile: string, cpu: string, semihosting: boolean): string[] {
  const a = ["-M", "virt", "-cpu", cpu, "-m", "128M", "-nographic", "-monitor", "none", "-serial", "stdio",
    "-kernel", HARNESS_ELF, "-device", `loader,file=${tableFile},addr=0x${TABLE_ADDR.toString(16)},force-raw=on`];
  if (semihosting) a.push("-semihosting");
  return a;
}

// QEMU at EL1 (-M virt: no EL2/EL3, PSCI over HVC, as armvisor --el 1).
export function runQemu(table: Uint8Array, opts: { cpu?: string; semihosting?: boolean; timeoutMs?: number } = {}): Promise<TargetRun> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "armvisor-conf-"));
  const file = join(dir, "table.bin");
  writeFileSync(file, table);
  return new Promise((resolveRun) => {
    const child = spawn(QEMU, qemuArgs(file, opts.cpu ?? DEFAULT_CPU, opts.semihosting ?? true), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, opts.timeoutMs ?? 600_000);
    const finish = (status: string) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolveRun({ output: Buffer.concat(out).toString("latin1"), status, seconds: (performance.now() - t0) / 1000 });
    };
    child.on("error", (e) => finish(`spawn error: ${e.message}`));
    child.on("close", (code, signal) => {
      const e = Buffer.concat(err).toString().trim();
      if (timedOut) finish("timeout");
      else if (code === 0) finish("ok");
      else finish(`exit ${code ?? signal}${e ? ": " + e.slice(0, 500) : ""}`);
    });
  });
}

export function hasQemu(): boolean {
  const r = spawnSync(QEMU, ["--version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

// Disassembly of single words with the cross objdump.
export function disassemble(words: number[]): string[] {
  if (words.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), "armvisor-dis-"));
  try {
    const f = join(dir, "w.bin");
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
    writeFileSync(f, b);
    const r = spawnSync("aarch64-linux-gnu-objdump", ["-D", "-b", "binary", "-m", "aarch64", f], { encoding: "utf8", maxBuffer: 1 << 30 });
    const res: string[] = words.map(() => "?");
    if (r.status !== 0) return res;
    for (const line of r.stdout.split("\n")) {
      const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$/.exec(line);
      if (m) { const i = parseInt(m[1], 16) / 4; if (i < res.length) res[i] = m[2].replace(/\s+/g, " ").trim(); }
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
