// Runs snippets on cores built with FP/AdvSIMD (CoreOptions.fp), and batches
// of one-instruction floating-point cases; optionally the same batch under
// QEMU user mode (qemu-aarch64) as a cross-check.
//
// The memory layout and the vector table are those of machine.ts: the entry
// point at ENTRY, DATA for scratch memory, vectors exiting with 0x100 + n.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  Core, Vcpu, ABI, vectorTable, ENTRY, CODE_BASE, VBAR, DATA, STACK_TOP, RAM_BASE, RAM_SIZE, JIT_BY_DEFAULT, hex,
  runLoaded, type SnippetResult,
} from "./machine";
import { assemble } from "./asm";
import { Jit } from "../../src/jit/jit";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ZERO = new Uint8Array(4 << 20);
let wasm: Uint8Array<ArrayBuffer> | undefined;
const cores = new Map<string, Promise<Core>>();
const jits = new WeakMap<Core, Jit>();

// A core per (highest EL, FP on/off, JIT), shared by a test file.
export function fpCore(highestEL: 1 | 2 | 3, fp = true, jit = false): Promise<Core> {
  const key = `${highestEL}/${fp}/${jit}`;
  let c = cores.get(key);
  if (!c) {
    wasm ??= new Uint8Array(fs.readFileSync(process.env.ARMVISOR_CORE_WASM ?? path.join(ROOT, "build/core.wasm")));
    c = Core.create(wasm, { ramBase: RAM_BASE, ramSize: RAM_SIZE, highestEL, semihosting: true, fp }).then((core) => {
      if (jit) jits.set(core, new Jit(core));
      return core;
    });
    cores.set(key, c);
  }
  return c;
}

export interface FpOptions {
  el?: 0 | 1 | 2 | 3;
  highestEL?: 1 | 2 | 3;
  fp?: boolean;             // default true
  jit?: boolean;            // default: ARMVISOR_TEST_JIT=1
  cpacr?: bigint;           // CPACR_EL1, default FPEN = 0b11 (no trap)
  regs?: Record<number, bigint>;
  v?: Record<number, bigint>;
  setup?: (core: Core) => void;
  maxInsns?: bigint;
}

export const FPEN_ALL = 3n << 20n;

// Assemble, load, reset, set registers and run until the first non-MMIO exit
// (MMIO reads are answered with 0 and recorded).
export async function fpRun(source: string, opts: FpOptions = {}): Promise<SnippetResult> {
  const el = opts.el ?? 1;
  const highestEL = opts.highestEL ?? (Math.max(el, 1) as 1 | 2 | 3);
  const code = assemble(vectorTable(highestEL) + source, CODE_BASE);
  const core = await fpCore(highestEL, opts.fp ?? true, opts.jit ?? JIT_BY_DEFAULT);
  core.exports.reset(el);
  core.writeRam(RAM_BASE, ZERO);
  core.writeRam(CODE_BASE, code);
  core.pc = ENTRY;
  core.sp = STACK_TOP;
  core.setSysreg(ABI.SR_VBAR_EL1, VBAR);
  core.setSysreg(ABI.SR_VBAR_EL2, VBAR);
  core.setSysreg(ABI.SR_VBAR_EL3, VBAR);
  core.setSysreg(ABI.SR_CPACR_EL1, opts.cpacr ?? FPEN_ALL);
  for (const [n, v] of Object.entries(opts.regs ?? {})) core.setX(Number(n), BigInt.asUintN(64, v));
  for (const [n, v] of Object.entries(opts.v ?? {})) core.setV(Number(n), BigInt.asUintN(128, v));
  opts.setup?.(core);
  return runLoaded(core, new Vcpu(core), opts.maxInsns ?? 100_000n, jits.get(core));
}

export function jitOfFp(core: Core): Jit | undefined { return jits.get(core); }

// ---- bit patterns ------------------------------------------------------------------
const b4 = new DataView(new ArrayBuffer(8));
export function f32(x: number): bigint { b4.setFloat32(0, x, true); return BigInt(b4.getUint32(0, true)); }
export function f64(x: number): bigint { b4.setFloat64(0, x, true); return b4.getBigUint64(0, true); }
export const q = (hi: bigint, lo: bigint): bigint => (BigInt.asUintN(64, hi) << 64n) | BigInt.asUintN(64, lo);

export const IOC = 0x01, DZC = 0x02, OFC = 0x04, UFC = 0x08, IXC = 0x10, IDC = 0x80;
export const RN = 0, RP = 1 << 22, RM = 2 << 22, RZ = 3 << 22, FZ = 1 << 24, DN = 1 << 25, AHP = 1 << 26;

export function fpsrStr(f: number): string {
  const names: [number, string][] = [[IOC, "IOC"], [DZC, "DZC"], [OFC, "OFC"], [UFC, "UFC"], [IXC, "IXC"], [IDC, "IDC"]];
  const s = names.filter(([b]) => f & b).map(([, n]) => n);
  const rest = f & ~0x9f;
  if (rest) s.push(hex(rest));
  return s.length ? s.join("|") : "-";
}

// ---- batches of one-instruction cases ---------------------------------------------
// Before `insn`: V0 = GARBAGE_Q, V1..V3 and X1..X3 as given (default 0),
// X0 = GARBAGE, FPCR as given (default 0), FPSR = 0, NZCV as given. After it,
// V0, X0, FPSR and NZCV are compared with `want` (V0 as all 128 bits, so a
// scalar result must have zeroed the rest; omitted fields are not checked,
// except FPSR, which defaults to 0, and NZCV, which defaults to unchanged).
export interface FpCase {
  insn: string;
  v1?: bigint; v2?: bigint; v3?: bigint;
  x1?: bigint; x2?: bigint; x3?: bigint;
  fpcr?: number;
  nzcv?: number;
  want: { v0?: bigint; x0?: bigint; fpsr?: number; nzcv?: number };
  name?: string;
}
export const GARBAGE_Q = 0xa5a5_a5a5_5a5a_5a5a_c3c3_c3c3_3c3c_3c3cn;
export const GARBAGE_X = 0xdead_beef_cafe_f00dn;
const DEFAULT_NZCV = 0x9000_0000;
const IN_REC = 112, OUT_REC = 48;
const OUT_OFFSET = 0x8_0000n;

function batchBody(cases: FpCase[]): string {
  const lines: string[] = [];
  for (const c of cases) {
    lines.push(
      "  ldp q0, q1, [x20], #32", "  ldp q2, q3, [x20], #32", "  ldp x9, x10, [x20], #16",
      "  msr fpcr, x9", "  msr fpsr, xzr", "  msr nzcv, x10",
      "  ldp x0, x1, [x20], #16", "  ldp x2, x3, [x20], #16",
      `  ${c.insn}`,
      "  mrs x9, fpsr", "  mrs x10, nzcv",
      "  str q0, [x21], #16", "  stp x0, x9, [x21], #16", "  str x10, [x21], #16",
    );
  }
  return lines.join("\n");
}

function batchInput(cases: FpCase[]): Uint8Array {
  const buf = new Uint8Array(cases.length * IN_REC);
  const dv = new DataView(buf.buffer);
  const q128 = (off: number, v: bigint) => {
    dv.setBigUint64(off, BigInt.asUintN(64, v), true);
    dv.setBigUint64(off + 8, BigInt.asUintN(64, v >> 64n), true);
  };
  cases.forEach((c, i) => {
    const o = i * IN_REC;
    q128(o, GARBAGE_Q); q128(o + 16, c.v1 ?? 0n); q128(o + 32, c.v2 ?? 0n); q128(o + 48, c.v3 ?? 0n);
    dv.setBigUint64(o + 64, BigInt(c.fpcr ?? 0), true);
    dv.setBigUint64(o + 72, BigInt(c.nzcv ?? DEFAULT_NZCV), true);
    dv.setBigUint64(o + 80, GARBAGE_X, true);
    dv.setBigUint64(o + 88, BigInt.asUintN(64, c.x1 ?? 0n), true);
    dv.setBigUint64(o + 96, BigInt.asUintN(64, c.x2 ?? 0n), true);
    dv.setBigUint64(o + 104, BigInt.asUintN(64, c.x3 ?? 0n), true);
  });
  return buf;
}

export interface CaseResult { v0: bigint; x0: bigint; fpsr: number; nzcv: number }

function parseOutput(out: Uint8Array, n: number): CaseResult[] {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const r: CaseResult[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * OUT_REC;
    r.push({
      v0: (dv.getBigUint64(o + 8, true) << 64n) | dv.getBigUint64(o, true),
      x0: dv.getBigUint64(o + 16, true),
      fpsr: Number(dv.getBigUint64(o + 24, true)),
      nzcv: Number(dv.getBigUint64(o + 32, true)),
    });
  }
  return r;
}

export function describeMismatch(c: FpCase, got: CaseResult): string | undefined {
  const w = c.want;
  const wantFpsr = w.fpsr ?? 0, wantNzcv = w.nzcv ?? c.nzcv ?? DEFAULT_NZCV;
  const bad: string[] = [];
  if (w.v0 !== undefined && got.v0 !== BigInt.asUintN(128, w.v0)) bad.push(`v0=${hex(got.v0)} want ${hex(BigInt.asUintN(128, w.v0))}`);
  if (w.x0 !== undefined && got.x0 !== BigInt.asUintN(64, w.x0)) bad.push(`x0=${hex(got.x0)} want ${hex(BigInt.asUintN(64, w.x0))}`);
  if (got.fpsr !== wantFpsr) bad.push(`fpsr=${fpsrStr(got.fpsr)} want ${fpsrStr(wantFpsr)}`);
  if (got.nzcv !== wantNzcv) bad.push(`nzcv=${hex(got.nzcv)} want ${hex(wantNzcv)}`);
  if (!bad.length) return undefined;
  const ins = (["v1", "v2", "v3", "x1", "x2"] as const).filter((k) => c[k] !== undefined).map((k) => `${k}=${hex(c[k]!)}`);
  if (c.fpcr) ins.push(`fpcr=${hex(c.fpcr)}`);
  return `${c.name ?? c.insn} [${ins.join(" ")}]: ${bad.join(", ")}`;
}

// Run a batch on armvisor (at EL1, FP enabled); returns the per-case results.
export async function runFpBatch(cases: FpCase[]): Promise<CaseResult[]> {
  const input = batchInput(cases);
  const out = DATA + OUT_OFFSET;
  const r = await fpRun(batchBody(cases) + "\n  hvc #0\n", {
    regs: { 20: DATA, 21: out },
    setup: (core) => core.writeRam(DATA, input),
    maxInsns: BigInt(cases.length * 20 + 100),
  });
  if (r.exit.kind !== "hvc" || r.exit.imm !== 0) {
    throw new Error(`batch did not finish: ${JSON.stringify(r.exit, (_k, v) => typeof v === "bigint" ? hex(v) : v)} ESR_EL1=${hex(r.core.sysreg(ABI.SR_ESR_EL1))} ELR_EL1=${hex(r.core.sysreg(ABI.SR_ELR_EL1))}`);
  }
  return parseOutput(r.core.readRam(out, cases.length * OUT_REC), cases.length);
}

// Mismatches of a batch against its expectations (empty when all pass).
export async function checkFpCases(cases: FpCase[]): Promise<string[]> {
  const got = await runFpBatch(cases);
  return cases.map((c, i) => describeMismatch(c, got[i])).filter((s): s is string => s !== undefined);
}

// ---- the same batch under QEMU user mode ----------------------------------------------
const QEMU_USER = process.env.QEMU_USER ?? "qemu-aarch64";
export function hasQemuUser(): boolean {
  const r = spawnSync(QEMU_USER, ["--version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

// Runs the batch as a Linux user-mode program under qemu-aarch64 (-cpu
// cortex-a57: Armv8.0 with FP and AdvSIMD, no FP16) and returns its results.
export function runFpBatchQemu(cases: FpCase[]): CaseResult[] {
  const input = batchInput(cases);
  const outLen = cases.length * OUT_REC;
  const bytes = Array.from(input, (b) => `0x${b.toString(16)}`);
  const data: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) data.push(`  .byte ${bytes.slice(i, i + 16).join(", ")}`);
  const src = [
    "  .text", "  .global _start", "_start:",
    "  adrp x20, in_data", "  add x20, x20, :lo12:in_data",
    "  adrp x21, out_data", "  add x21, x21, :lo12:out_data",
    batchBody(cases),
    "  mov x0, #1", "  adrp x1, out_data", "  add x1, x1, :lo12:out_data", `  ldr x2, =${outLen}`, "  mov x8, #64", "  svc #0",
    "  mov x0, #0", "  mov x8, #93", "  svc #0", "  .ltorg",
    "  .data", "  .balign 16", "in_data:", ...data,
    "  .bss", "  .balign 16", "out_data:", `  .space ${outLen}`, "",
  ].join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "armvisor-fpq-"));
  try {
    const s = path.join(dir, "t.s"), o = path.join(dir, "t.o"), elf = path.join(dir, "t.elf");
    fs.writeFileSync(s, src);
    const run = (cmd: string, args: string[], input?: boolean) => {
      const r = spawnSync(cmd, args, { maxBuffer: 1 << 26, encoding: input ? "buffer" : "utf8" });
      if (r.error || r.status !== 0) throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr}`);
      return r.stdout;
    };
    run("aarch64-linux-gnu-as", ["-march=armv8-a", "-o", o, s]);
    run("aarch64-linux-gnu-ld", ["-static", "-o", elf, o]);
    const out = run(QEMU_USER, ["-cpu", "cortex-a57", elf], true) as Buffer;
    if (out.length !== outLen) throw new Error(`qemu-aarch64 wrote ${out.length} bytes, expected ${outLen}`);
    return parseOutput(new Uint8Array(out), cases.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
