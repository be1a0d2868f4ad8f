// Runs assembled snippets on an armvisor core.
//
// Layout of guest RAM (base 0x4000_0000) for every snippet:
//   0x4008_0000  exception vector table (2 KiB; VBAR_EL1/2/3 point here)
//   0x4008_0800  the snippet's first instruction (the entry point)
//   0x4010_0000  DATA: scratch memory for loads and stores
//   0x4020_0000  STACK_TOP: the initial SP
// Each vector entry leaves run() with an immediate naming the entry,
// 0x100 + (offset >> 7): 0x100 sync/SP_EL0, 0x104 sync/SP_ELx, 0x108 sync
// from a lower EL, ... At highestEL 1 the entry is `hvc #imm`, at highestEL 2
// `smc #imm` (the host owns EL3), at highestEL 3 `mov x28, #imm; hlt #0xf000`.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Core, ABI, PAUTH_DEFAULT } from "../../src/core/core";
import { Vcpu } from "../../src/hv/vcpu";
import { Jit } from "../../src/jit/jit";
import type { VcpuExit } from "../../src/hv/exit";
import { assemble } from "./asm";

export { ABI, Core, Vcpu };
export type { VcpuExit };

export const RAM_BASE = 0x4000_0000n;
export const RAM_SIZE = 16 << 20;
export const CODE_BASE = 0x4008_0000n;
export const VBAR = CODE_BASE;
export const ENTRY = CODE_BASE + 0x800n;
export const DATA = 0x4010_0000n;
export const STACK_TOP = 0x4020_0000n;
const CLEAR_BYTES = 4 << 20; // RAM zeroed before each snippet: 0x4000_0000..0x4040_0000

// Vector numbers (the immediate each vector entry exits with).
export const VEC_CUR_SP0_SYNC = 0x100;
export const VEC_CUR_SPX_SYNC = 0x104;
export const VEC_LOWER_SYNC = 0x108;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let wasm: Uint8Array<ArrayBuffer> | undefined;
const cores = new Map<string, Promise<Core>>();
const jits = new WeakMap<Core, Jit>();
// ARMVISOR_TEST_JIT=1 runs every snippet with the host JIT enabled (hot code
// pages compiled to WebAssembly); by default only snippets asking for it do.
export const JIT_BY_DEFAULT = process.env.ARMVISOR_TEST_JIT === "1";
const ZERO = new Uint8Array(CLEAR_BYTES);

function coreWasm(): Uint8Array<ArrayBuffer> {
  // ARMVISOR_CORE_WASM overrides the core under test (e.g. a build of another revision).
  if (!wasm) wasm = new Uint8Array(fs.readFileSync(process.env.ARMVISOR_CORE_WASM ?? path.join(ROOT, "build/core.wasm")));
  return wasm;
}

// One core per highest EL (the CONFIG block fixes it), JIT setting and
// FEAT_PAuth setting (default PAUTH_DEFAULT), shared by a test file.
export function getCore(highestEL: 1 | 2 | 3, jit = JIT_BY_DEFAULT, pauth = PAUTH_DEFAULT): Promise<Core> {
  const key = `${highestEL}/${jit}/${pauth}`;
  let c = cores.get(key);
  if (!c) {
    c = Core.create(coreWasm(), { ramBase: RAM_BASE, ramSize: RAM_SIZE, highestEL, semihosting: true, pauth }).then((core) => {
      if (jit) jits.set(core, new Jit(core));
      return core;
    });
    cores.set(key, c);
  }
  return c;
}

// The JIT attached to a core, if any (its counters show what was compiled).
export function jitOf(core: Core): Jit | undefined { return jits.get(core); }

export function exitInsn(highestEL: number, imm: number): string {
  if (highestEL === 1) return `hvc #${imm}`;
  if (highestEL === 2) return `smc #${imm}`;
  return `mov x28, #${imm}\n  hlt #0xf000`;
}

export function vectorTable(highestEL: number): string {
  let s = "  .text\n  .balign 2048\n__vectors:\n";
  for (let i = 0; i < 16; i++) s += `  .balign 128\n  ${exitInsn(highestEL, 0x100 + i)}\n`;
  s += "  .balign 2048\n__entry:\n";
  return s;
}

export interface SnippetOptions {
  el?: 0 | 1 | 2 | 3;
  highestEL?: 1 | 2 | 3;
  regs?: Record<number, bigint>;
  nzcv?: number;
  sp?: bigint;
  setup?: (core: Core) => void;
  maxInsns?: bigint;
  jit?: boolean;          // enable the host JIT (default: ARMVISOR_TEST_JIT=1)
  pauth?: boolean;        // FEAT_PAuth (default PAUTH_DEFAULT)
}

export interface Loaded {
  core: Core;
  vcpu: Vcpu;
  code: Uint8Array;
}

// Assemble, load, reset and set registers; does not run.
export async function loadSnippet(source: string, opts: SnippetOptions = {}): Promise<Loaded> {
  const el = opts.el ?? 1;
  const highestEL = opts.highestEL ?? (Math.max(el, 1) as 1 | 2 | 3);
  const code = assemble(vectorTable(highestEL) + source, CODE_BASE);
  const core = await getCore(highestEL, opts.jit ?? JIT_BY_DEFAULT, opts.pauth ?? PAUTH_DEFAULT);
  core.exports.reset(el);
  core.writeRam(RAM_BASE, ZERO);
  core.writeRam(CODE_BASE, code);
  core.pc = ENTRY;
  core.sp = opts.sp ?? STACK_TOP;
  core.setSysreg(ABI.SR_VBAR_EL1, VBAR);
  core.setSysreg(ABI.SR_VBAR_EL2, VBAR);
  core.setSysreg(ABI.SR_VBAR_EL3, VBAR);
  for (const [n, v] of Object.entries(opts.regs ?? {})) core.setX(Number(n), BigInt.asUintN(64, v));
  if (opts.nzcv !== undefined) core.nzcv = opts.nzcv;
  opts.setup?.(core);
  return { core, vcpu: new Vcpu(core), code };
}

export interface SnippetResult {
  core: Core;
  vcpu: Vcpu;
  exit: VcpuExit;
  insns: bigint;          // instructions retired by this run
  mmio: VcpuExit[];       // MMIO exits answered on the way (reads with 0)
}

// Run until the first exit that is neither MMIO (answered: reads with 0) nor
// the end of a budget slice; an exhausted maxInsns returns the budget exit.
export async function runSnippet(source: string, opts: SnippetOptions = {}): Promise<SnippetResult> {
  const { core, vcpu } = await loadSnippet(source, opts);
  return runLoaded(core, vcpu, opts.maxInsns ?? 100_000n);
}

// One vcpu.run(budget), compiling hot pages on the way when the JIT asks.
export function step(core: Core, vcpu: Vcpu, budget: bigint): VcpuExit {
  for (;;) {
    const e = vcpu.run(budget);
    if (e.kind !== "jit") return e;
    jits.get(core)?.compileSlot(e.slot);
  }
}

// jit: the compiler for pages that get hot (default: the one this file attached to core).
export function runLoaded(core: Core, vcpu: Vcpu, maxInsns = 100_000n, jit: Jit | undefined = jits.get(core)): SnippetResult {
  const start = core.instructions;
  const mmio: VcpuExit[] = [];
  let exit: VcpuExit;
  for (;;) {
    const used = core.instructions - start;
    if (used >= maxInsns) { exit = { kind: "budget" }; break; }
    exit = vcpu.run(maxInsns - used);
    if (exit.kind === "jit") { jit?.compileSlot(exit.slot); continue; }
    if (exit.kind === "mmio") {
      mmio.push(exit);
      if (mmio.length > 10_000) break;
      if (exit.isWrite) vcpu.completeMmioWrite(); else vcpu.completeMmioRead(0n);
      continue;
    }
    if (exit.kind === "budget" && core.instructions - start < maxInsns) continue;
    break;
  }
  return { core, vcpu, exit, insns: core.instructions - start, mmio };
}

// ---- small helpers for assertions -------------------------------------------------
export const M64 = (1n << 64n) - 1n;
export const M32 = (1n << 32n) - 1n;
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
export const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
export const hex = (v: bigint | number): string => "0x" + v.toString(16);

export function writeU64(core: Core, pa: bigint, v: bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  core.writeRam(pa, b);
}
export function readU64(core: Core, pa: bigint): bigint {
  return new DataView(core.readRam(pa, 8).buffer).getBigUint64(0, true);
}
export function readU32(core: Core, pa: bigint): number {
  return new DataView(core.readRam(pa, 4).buffer).getUint32(0, true);
}
export function writeBytes(core: Core, pa: bigint, bytes: number[] | Uint8Array): void {
  core.writeRam(pa, bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

// Syndrome fields.
export const esrEC = (esr: bigint): number => Number((esr >> 26n) & 0x3fn);
export const esrIL = (esr: bigint): number => Number((esr >> 25n) & 1n);
export const esrISS = (esr: bigint): number => Number(esr & 0x1ffffffn);

// NZCV flags as the register layout: nzcv("nZcV") style helper.
export function flags(n: number, z: number, c: number, v: number): number {
  return ((n << 31) | (z << 30) | (c << 29) | (v << 28)) >>> 0;
}
export function flagStr(nzcv: number): string {
  return ["N", "Z", "C", "V"].map((f, i) => ((nzcv >>> (31 - i)) & 1 ? f : f.toLowerCase())).join("");
}

// Expect an HVC exit with this immediate (the usual end of a snippet at EL1).
export function hvcImm(exit: VcpuExit): number {
  if (exit.kind !== "hvc") throw new Error(`expected an hvc exit, got ${JSON.stringify(exit, (_k, v) => typeof v === "bigint" ? hex(v) : v)}`);
  return exit.imm;
}

// ---- batches of one-instruction cases ------------------------------------------------
// Each case loads X0..X3 and NZCV, executes `insn` (which may use X0..X8 and
// must not touch X9, X20..X22 or SP), and stores X0 and NZCV. A case's expectation
// is X0 and NZCV afterwards; NZCV defaults to unchanged.
export interface Case {
  insn: string;
  x0?: bigint; x1?: bigint; x2?: bigint; x3?: bigint;
  nzcv?: number;
  want: { x0: bigint; nzcv?: number };
  name?: string;
}

export const GARBAGE = 0xdead_beef_cafe_f00dn;
const DEFAULT_NZCV = 0x9000_0000; // N and V set: a flag-preserving instruction leaves them

// With `repeat`, the whole batch runs that many times (the last run's results
// are checked): enough repeats make its pages hot for the JIT.
export async function runCases(cases: Case[], opts: SnippetOptions & { repeat?: number } = {}): Promise<string[]> {
  // Under the JIT, repeat by default until every page of the batch is hot and compiled.
  const repeat = opts.repeat ?? ((opts.jit ?? JIT_BY_DEFAULT) ? 80 : 1);
  const lines: string[] = [`  ldr x22, =${repeat}`, "__batch:", "  mov x20, x21"];
  cases.forEach((c, i) => {
    lines.push(
      `  ldr x0, =${hex(u64(c.x0 ?? GARBAGE))}`,
      `  ldr x1, =${hex(u64(c.x1 ?? 0n))}`,
      `  ldr x2, =${hex(u64(c.x2 ?? 0n))}`,
      `  ldr x3, =${hex(u64(c.x3 ?? 0n))}`,
      `  ldr x9, =${hex(c.nzcv ?? DEFAULT_NZCV)}`,
      `  msr nzcv, x9`,
      `  ${c.insn}`,
      `  mrs x9, nzcv`,
      `  stp x0, x9, [x20], #16`,
    );
    if (i % 64 === 63) lines.push("  b 1f", "  .ltorg", "1:");
  });
  lines.push("  subs x22, x22, #1", "  b.ne __batch", "  hvc #0", "  .ltorg");
  const r = await runSnippet(lines.join("\n"), { ...opts, regs: { ...(opts.regs ?? {}), 21: DATA }, maxInsns: BigInt((cases.length * 20 + 100) * repeat) });
  const bad: string[] = [];
  if (r.exit.kind !== "hvc" || r.exit.imm !== 0) {
    bad.push(`batch did not finish: exit ${JSON.stringify(r.exit, (_k, v) => typeof v === "bigint" ? hex(v) : v)}, ESR_EL1=${hex(r.core.sysreg(ABI.SR_ESR_EL1))} ELR_EL1=${hex(r.core.sysreg(ABI.SR_ELR_EL1))}`);
    return bad;
  }
  cases.forEach((c, i) => {
    const x0 = readU64(r.core, DATA + BigInt(i * 16));
    const nz = Number(readU64(r.core, DATA + BigInt(i * 16 + 8)));
    const wantX0 = u64(c.want.x0);
    const wantNZ = c.want.nzcv ?? c.nzcv ?? DEFAULT_NZCV;
    if (x0 !== wantX0 || nz !== wantNZ) {
      const ins = ["x0", "x1", "x2", "x3"].filter((k) => (c as any)[k] !== undefined).map((k) => `${k}=${hex(u64((c as any)[k]))}`);
      if (c.nzcv !== undefined) ins.push(`nzcv=${flagStr(c.nzcv)}`);
      bad.push(`${c.name ?? c.insn} [${ins.join(" ")}]: got x0=${hex(x0)} ${flagStr(nz)}, want x0=${hex(wantX0)} ${flagStr(wantNZ)}`);
    }
  });
  return bad;
}

// ---- exceptions taken to EL1 ----------------------------------------------------------
export interface TakenEL1 {
  vector: number;   // the vector entry's immediate (VEC_*), or -1 if run() left otherwise
  ec: number;       // ESR_EL1.EC
  il: number;       // ESR_EL1.IL
  iss: number;      // ESR_EL1.ISS
  esr: bigint;
  elr: bigint;
  far: bigint;
  spsr: bigint;
}
export function takenEL1(core: Core, exit: VcpuExit): TakenEL1 {
  const esr = core.sysreg(ABI.SR_ESR_EL1);
  return {
    vector: exit.kind === "hvc" ? exit.imm : -1,
    ec: esrEC(esr), il: esrIL(esr), iss: esrISS(esr), esr,
    elr: core.sysreg(ABI.SR_ELR_EL1), far: core.sysreg(ABI.SR_FAR_EL1), spsr: core.sysreg(ABI.SR_SPSR_EL1),
  };
}
