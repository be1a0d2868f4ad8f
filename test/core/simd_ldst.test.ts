// The Advanced SIMD structure loads and stores (group LDST): LD1-LD4/ST1-ST4
// (multiple structures, single structure), LD1R-LD4R, with post-index by the
// transfer size and by Xm.
//
// Every form is checked against a small model of the Arm ARM pseudocode
// (AArch64 "LD/ST multiple structures" and "LD/ST single structure": element
// e of structure register r + s at consecutive addresses, Q = 0 loads zeroing
// bits 127:64, registers wrapping modulo 32) on random registers and memory,
// with the base placed across a page boundary and misaligned; where
// qemu-aarch64 is installed the same program also runs under QEMU user mode
// and must agree byte for byte. Then: faults on the second page (nothing
// written, FAR the first byte of the faulting page), alignment (SCTLR.A), SP
// as the base, MMIO (accesses in order, replay, writeback once), the FP trap,
// and the reserved encodings (UNDEFINED).
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import {
  ABI, Vcpu, ENTRY, CODE_BASE, VBAR, DATA, STACK_TOP, RAM_BASE, hex, takenEL1, hvcImm, step, vectorTable,
  VEC_CUR_SPX_SYNC, type Core, type VcpuExit,
} from "../helpers/machine";
import { fpRun, fpCore, hasQemuUser, FPEN_ALL } from "../helpers/fp";
import { assemble } from "../helpers/asm";
import { PageTables, AP_RW_EL1, MAIR_TEST } from "../helpers/pagetables";

const qemuUser = hasQemuUser();
if (!qemuUser) console.warn("simd_ldst.test.ts: qemu-aarch64 not found: the differential checks are skipped (the model checks still run)");

const EC_UNKNOWN = 0x00, EC_FP_TRAP = 0x07, EC_DABT_CUR = 0x25, EC_SP_ALIGN = 0x26;
const DFSC_ALIGN = 0x21, DFSC_TRANS_L3 = 0x07, WNR = 1 << 6;
const show = (x: VcpuExit) => JSON.stringify(x, (_k, v) => typeof v === "bigint" ? hex(v) : v);

// ---- deterministic randomness --------------------------------------------------------------
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- forms -----------------------------------------------------------------------------------
type Kind = "multi" | "single" | "rep";
interface Form { kind: Kind; load: boolean; rpt: number; selem: number; size: number; q: number }
type Wb = "none" | "imm" | "reg";
const ARR = [["8b", "16b"], ["4h", "8h"], ["2s", "4s"], ["1d", "2d"]];
const LANE = ["b", "h", "s", "d"];

function bytesOf(f: Form): number {
  return f.kind === "multi" ? f.rpt * f.selem * (f.q ? 16 : 8) : f.selem << f.size;
}
function mnemonic(f: Form): string {
  const base = (f.load ? "ld" : "st") + (f.kind === "multi" ? f.selem : f.selem);
  return f.kind === "rep" ? base + "r" : base;
}
function insnText(f: Form, t: number, index: number, wb: Wb): string {
  const nregs = f.kind === "multi" ? f.rpt * f.selem : f.selem;
  const suffix = f.kind === "single" ? LANE[f.size] : ARR[f.size][f.q];
  const regs = Array.from({ length: nregs }, (_, i) => `v${(t + i) % 32}.${suffix}`).join(", ");
  const lane = f.kind === "single" ? `[${index}]` : "";
  const post = wb === "none" ? "" : wb === "imm" ? `, #${bytesOf(f)}` : ", x2";
  return `${mnemonic(f)} {${regs}}${lane}, [x1]${post}`;
}

function allForms(): Form[] {
  const forms: Form[] = [];
  for (const load of [true, false]) {
    for (let size = 0; size < 4; size++) {
      for (let q = 0; q < 2; q++) {
        for (let rpt = 1; rpt <= 4; rpt++) forms.push({ kind: "multi", load, rpt, selem: 1, size, q });
        if (!(size === 3 && q === 0)) for (let selem = 2; selem <= 4; selem++) forms.push({ kind: "multi", load, rpt: 1, selem, size, q });
        if (load) for (let selem = 1; selem <= 4; selem++) forms.push({ kind: "rep", load, rpt: 1, selem, size, q });
      }
      for (let selem = 1; selem <= 4; selem++) forms.push({ kind: "single", load, rpt: 1, selem, size, q: 0 });
    }
  }
  return forms;
}

// ---- the test program ------------------------------------------------------------------------
// Registers v0-v7 and v28-v31 are loaded before and saved after each case
// (Vt is chosen so that every register of the list is among them); x1 is the
// base (work + offset), x2 the post-index register. The 128-byte work area
// straddles a page boundary at work + 64.
const SAVED = [0, 1, 2, 3, 4, 5, 6, 7, 28, 29, 30, 31];
const T_CHOICES = [28, 29, 30, 31, 0, 1, 2, 3, 4];
const MEM = 128, IN_REC = SAVED.length * 16 + MEM + 16, OUT_REC = SAVED.length * 16 + 16 + MEM;

interface LCase { f: Form; t: number; index: number; wb: Wb; off: number; x2: bigint; v: bigint[]; mem: Uint8Array; text: string }

function caseBody(c: LCase): string {
  const l: string[] = [];
  for (let i = 0; i < SAVED.length; i += 2) l.push(`  ldp q${SAVED[i]}, q${SAVED[i + 1]}, [x20], #32`);
  for (let i = 0; i < MEM; i += 32) l.push("  ldp q16, q17, [x20], #32", `  stp q16, q17, [x22, #${i}]`);
  l.push("  ldp x1, x2, [x20], #16", "  add x1, x1, x22", `  ${c.text}`, "  sub x1, x1, x22");
  for (let i = 0; i < SAVED.length; i += 2) l.push(`  stp q${SAVED[i]}, q${SAVED[i + 1]}, [x21], #32`);
  l.push("  stp x1, xzr, [x21], #16");
  for (let i = 0; i < MEM; i += 32) l.push(`  ldp q16, q17, [x22, #${i}]`, "  stp q16, q17, [x21], #32");
  return l.join("\n");
}

function inputOf(cases: LCase[]): Uint8Array {
  const buf = new Uint8Array(cases.length * IN_REC);
  const dv = new DataView(buf.buffer);
  cases.forEach((c, k) => {
    let o = k * IN_REC;
    for (const v of c.v) { dv.setBigUint64(o, v & 0xffff_ffff_ffff_ffffn, true); dv.setBigUint64(o + 8, v >> 64n, true); o += 16; }
    buf.set(c.mem, o); o += MEM;
    dv.setBigUint64(o, BigInt(c.off), true);
    dv.setBigUint64(o + 8, BigInt.asUintN(64, c.x2), true);
  });
  return buf;
}

interface Result { v: bigint[]; x1: bigint; mem: Uint8Array }
function parse(out: Uint8Array, n: number): Result[] {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const r: Result[] = [];
  for (let k = 0; k < n; k++) {
    let o = k * OUT_REC;
    const v: bigint[] = [];
    for (let i = 0; i < SAVED.length; i++, o += 16) v.push((dv.getBigUint64(o + 8, true) << 64n) | dv.getBigUint64(o, true));
    const x1 = dv.getBigUint64(o, true); o += 16;
    r.push({ v, x1, mem: out.slice(o, o + MEM) });
  }
  return r;
}

// ---- the model (Arm ARM pseudocode, on bytes) ------------------------------------------------
function model(c: LCase): Result {
  const f = c.f;
  const regs = new Map<number, Uint8Array>();
  SAVED.forEach((r, i) => {
    const b = new Uint8Array(16);
    for (let j = 0; j < 16; j++) b[j] = Number((c.v[i] >> BigInt(8 * j)) & 0xffn);
    regs.set(r, b);
  });
  const mem = c.mem.slice();
  const eb = 1 << f.size;
  let addr = c.off;
  const move = (reg: number, at: number) => { // one element, register byte offset `at`
    const rb = regs.get(reg)!;
    for (let j = 0; j < eb; j++) {
      if (f.load) rb[at + j] = mem[addr + j]; else mem[addr + j] = rb[at + j];
    }
    addr += eb;
  };
  if (f.kind === "multi") {
    const elements = (f.q ? 16 : 8) / eb;
    if (f.load) for (let i = 0; i < f.rpt * f.selem; i++) regs.get((c.t + i) % 32)!.fill(0, 8);
    for (let r = 0; r < f.rpt; r++) {
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < f.selem; s++) move((c.t + r + s) % 32, e * eb);
      }
    }
  } else if (f.kind === "single") {
    for (let s = 0; s < f.selem; s++) move((c.t + s) % 32, c.index * eb);
  } else {
    for (let s = 0; s < f.selem; s++) {
      const rb = regs.get((c.t + s) % 32)!;
      for (let e = 0; e < 16 / eb; e++) for (let j = 0; j < eb; j++) rb[e * eb + j] = e < (f.q ? 16 : 8) / eb ? mem[addr + j] : 0;
      addr += eb;
    }
  }
  const x1 = c.wb === "none" ? BigInt(c.off) : c.wb === "imm" ? BigInt(c.off + bytesOf(f)) : BigInt.asUintN(64, BigInt(c.off) + c.x2);
  const v = SAVED.map((r) => regs.get(r)!.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n));
  return { v, x1, mem };
}

function describe1(c: LCase, got: Result, want: Result): string | undefined {
  const bad: string[] = [];
  SAVED.forEach((r, i) => { if (got.v[i] !== want.v[i]) bad.push(`v${r}=${hex(got.v[i])} want ${hex(want.v[i])}`); });
  if (got.x1 !== want.x1) bad.push(`x1-base=${hex(got.x1)} want ${hex(want.x1)}`);
  for (let j = 0; j < MEM; j++) if (got.mem[j] !== want.mem[j]) { bad.push(`mem[${j}]=${hex(got.mem[j])} want ${hex(want.mem[j])}`); break; }
  return bad.length ? `${c.text} (offset ${c.off}, x2=${hex(BigInt.asUintN(64, c.x2))}): ${bad.join(", ")}` : undefined;
}

// ---- case generation -------------------------------------------------------------------------
function makeCases(forms: Form[], perForm: number, seed: number): LCase[] {
  const rand = rng(seed);
  const big = (): bigint => { let x = 0n; for (let i = 0; i < 4; i++) x = (x << 32n) | BigInt(Math.floor(rand() * 2 ** 32)); return x; };
  const cases: LCase[] = [];
  for (const f of forms) {
    const n = bytesOf(f);
    for (const wb of ["none", "imm", "reg"] as Wb[]) {
      for (let k = 0; k < perForm; k++) {
        const t = T_CHOICES[Math.floor(rand() * T_CHOICES.length)];
        const lanes = 16 >> f.size;
        const index = f.kind === "single" ? Math.floor(rand() * lanes) : 0;
        // Offsets: aligned within the first page, ending exactly at the page
        // boundary, crossing it (aligned or not), anywhere.
        const eb = 1 << f.size;
        let off: number;
        switch (k % 4) {
          case 0: off = Math.floor(rand() * ((64 - n) / eb + 1)) * eb; break;
          case 1: off = 64 - n; break;
          case 2: off = Math.max(0, 64 - n + eb * (1 + Math.floor(rand() * (n / eb)))); break;
          default: off = Math.floor(rand() * (MEM - n + 1));
        }
        if (off + n > MEM) off = MEM - n;
        const x2 = k % 2 ? BigInt(Math.floor(rand() * 512) - 256) : big() >> 64n;
        const mem = new Uint8Array(MEM);
        for (let j = 0; j < MEM; j++) mem[j] = Math.floor(rand() * 256);
        const v = SAVED.map(() => big());
        cases.push({ f, t, index, wb, off, x2, v, mem, text: insnText(f, t, index, wb) });
      }
    }
  }
  return cases;
}

// ---- running -------------------------------------------------------------------------------
const IN_PA = DATA, OUT_PA = 0x4030_0000n, WORK_PA = 0x4050_0000n - 64n;

async function runArmvisor(cases: LCase[]): Promise<Result[]> {
  const input = inputOf(cases);
  const r = await fpRun(cases.map(caseBody).join("\n") + "\n  hvc #0\n", {
    regs: { 20: IN_PA, 21: OUT_PA, 22: WORK_PA },
    setup: (core) => core.writeRam(IN_PA, input),
    maxInsns: BigInt(cases.length * 48 + 100),
  });
  if (r.exit.kind !== "hvc" || r.exit.imm !== 0) {
    throw new Error(`batch did not finish: ${show(r.exit)} ESR_EL1=${hex(r.core.sysreg(ABI.SR_ESR_EL1))} ELR_EL1=${hex(r.core.sysreg(ABI.SR_ELR_EL1))}`);
  }
  return parse(r.core.readRam(OUT_PA, cases.length * OUT_REC), cases.length);
}

// The same program as a static Linux executable under qemu-aarch64: the
// input comes on stdin, the output goes to stdout.
function runQemu(body: string, input: Uint8Array, outLen: number, march = "armv8-a"): Uint8Array {
  const src = [
    "  .text", "  .global _start", "_start:",
    "  adrp x20, in_data", "  add x20, x20, :lo12:in_data",
    `  ldr x23, =${input.length}`, "  mov x24, x20",
    "0:cbz x23, 1f", "  mov x0, #0", "  mov x1, x24", "  mov x2, x23", "  mov x8, #63", "  svc #0",
    "  cmp x0, #0", "  b.le 9f", "  add x24, x24, x0", "  sub x23, x23, x0", "  b 0b",
    "1:adrp x21, out_data", "  add x21, x21, :lo12:out_data",
    "  adrp x22, work_page", "  add x22, x22, :lo12:work_page", "  add x22, x22, #4096 - 64",
    body,
    "  adrp x24, out_data", "  add x24, x24, :lo12:out_data", `  ldr x23, =${outLen}`,
    "2:cbz x23, 3f", "  mov x0, #1", "  mov x1, x24", "  mov x2, x23", "  mov x8, #64", "  svc #0",
    "  cmp x0, #0", "  b.le 9f", "  add x24, x24, x0", "  sub x23, x23, x0", "  b 2b",
    "3:mov x0, #0", "  mov x8, #93", "  svc #0",
    "9:mov x0, #1", "  mov x8, #93", "  svc #0", "  .ltorg",
    "  .bss", "  .balign 4096", "work_page:", "  .space 8192",
    "  .balign 16", "in_data:", `  .space ${Math.max(input.length, 16)}`,
    "  .balign 16", "out_data:", `  .space ${Math.max(outLen, 16)}`, "",
  ].join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "armvisor-ldst-"));
  try {
    const s = path.join(dir, "t.s"), o = path.join(dir, "t.o"), elf = path.join(dir, "t.elf");
    fs.writeFileSync(s, src);
    const run = (cmd: string, args: string[], stdin?: Uint8Array): Buffer => {
      const r = spawnSync(cmd, args, { maxBuffer: 1 << 28, input: stdin });
      if (r.error || r.status !== 0) throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr.toString()}`);
      return r.stdout;
    };
    run("aarch64-linux-gnu-as", [`-march=${march}`, "-o", o, s]);
    run("aarch64-linux-gnu-ld", ["-static", "-o", elf, o]);
    const out = run(process.env.QEMU_USER ?? "qemu-aarch64", ["-cpu", "cortex-a57", elf], input);
    if (out.length !== outLen) throw new Error(`qemu-aarch64 wrote ${out.length} bytes, expected ${outLen}`);
    return new Uint8Array(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function checkAgainstModel(cases: LCase[], got: Result[]): string[] {
  const bad: string[] = [];
  cases.forEach((c, i) => { const d = describe1(c, got[i], model(c)); if (d) bad.push(d); });
  return bad;
}

// All forms, split in batches that fit the snippet's code area.
const FORMS = allForms();
const CASES = makeCases(FORMS, 8, 0x51d1d5);
const BATCH = 1500;
const batches: LCase[][] = [];
for (let i = 0; i < CASES.length; i += BATCH) batches.push(CASES.slice(i, i + BATCH));

describe("structure loads and stores: every form against the Arm ARM model", () => {
  it("covers every allocated form (multiple: LD1-4/ST1-4 x arrangements; single: B/H/S/D; LD1R-LD4R) x 3 addressing modes", () => {
    expect(FORMS.length).toBe(2 * (8 * 4 + 7 * 3) + 8 * 4 + 2 * 4 * 4);
    expect(CASES.length).toBe(FORMS.length * 3 * 8);
  });

  batches.forEach((b, k) => {
    it(`armvisor matches the model (batch ${k + 1}/${batches.length}, ${b.length} cases)`, async () => {
      const bad = checkAgainstModel(b, await runArmvisor(b));
      expect(bad.slice(0, 20), bad.slice(0, 20).join("\n")).toEqual([]);
    });
    it.skipIf(!qemuUser)(`qemu-aarch64 matches the model and armvisor (batch ${k + 1}/${batches.length})`, async () => {
      const out = runQemu(b.map(caseBody).join("\n"), inputOf(b), b.length * OUT_REC);
      const q = parse(out, b.length);
      const bad = checkAgainstModel(b, q);
      expect(bad.slice(0, 20), "QEMU vs model:\n" + bad.slice(0, 20).join("\n")).toEqual([]);
      const mine = await runArmvisor(b);
      const diff = b.map((c, i) => describe1(c, mine[i], q[i])).filter((s): s is string => s !== undefined);
      expect(diff.slice(0, 20), "armvisor vs QEMU:\n" + diff.slice(0, 20).join("\n")).toEqual([]);
    });
  });

  it("hand-computed: LD1/LD2/LD3/LD4 .16b, LD1 lane, LD2R, ST4 lane, post-index by Xm and by the size", async () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
    const r = await fpRun(`
      mov x3, x1
      ld1 {v0.16b, v1.16b}, [x3], #32
      ld2 {v2.16b, v3.16b}, [x1]
      ld3 {v4.8b, v5.8b, v6.8b}, [x1]
      ld4 {v16.4s, v17.4s, v18.4s, v19.4s}, [x1]
      ld2r {v21.4h, v22.4h}, [x1]
      ld1 {v20.s}[2], [x1], x4
      ld1 {v31.2d, v0.2d}, [x5]
      mov x6, x7
      st4 {v16.b, v17.b, v18.b, v19.b}[1], [x6], #4
      hvc #0
    `, {
      regs: { 1: DATA, 4: 0x100n, 5: DATA + 32n, 7: DATA + 0x200n },
      v: { 20: 0xffff_ffff_ffff_ffff_ffff_ffff_ffff_ffffn },
      setup: (core) => core.writeRam(DATA, bytes),
    });
    expect(hvcImm(r.exit)).toBe(0);
    const c = r.core;
    const lanes = (l: number[], w: number): bigint => l.reduceRight((a, x) => (a << BigInt(w)) | BigInt(x), 0n);
    expect(c.x(3)).toBe(DATA + 32n);
    expect(c.v(1)).toBe(lanes([...Array(16).keys()].map((i) => 16 + i), 8));
    expect(c.v(2)).toBe(lanes([...Array(16).keys()].map((i) => 2 * i), 8));
    expect(c.v(3)).toBe(lanes([...Array(16).keys()].map((i) => 2 * i + 1), 8));
    expect(c.v(4)).toBe(lanes([0, 3, 6, 9, 12, 15, 18, 21], 8));      // Q = 0: upper half zero
    expect(c.v(6)).toBe(lanes([2, 5, 8, 11, 14, 17, 20, 23], 8));
    const w = (i: number) => i * 0x04040404 + 0x03020100;             // word i of memory
    expect(c.v(17)).toBe(lanes([w(1), w(5), w(9), w(13)], 32));
    expect(c.v(20)).toBe(0xffff_ffff_0302_0100_ffff_ffff_ffff_ffffn); // lane 2 only
    expect(c.x(1)).toBe(DATA + 0x100n);
    expect(c.v(21)).toBe(0x0100_0100_0100_0100n);
    expect(c.v(22)).toBe(0x0302_0302_0302_0302n);
    expect(c.v(31)).toBe(lanes([...Array(16).keys()].map((i) => 32 + i), 8));
    expect(c.v(0)).toBe(lanes([...Array(16).keys()].map((i) => 48 + i), 8)); // the list wraps to v0
    expect(Array.from(c.readRam(DATA + 0x200n, 5))).toEqual([1, 5, 9, 13, 0]); // byte 1 of v16..v19 = byte 1 of words 0..3
    expect(c.x(6)).toBe(DATA + 0x204n);
  });
});

// ---- SP base, alignment, faults ------------------------------------------------------------
const SCTLR_A = 1n << 1n, SCTLR_SA = 1n << 3n;

describe("SP base, alignment checking, the FP trap", () => {
  it("SP as the base register (aligned) works and is written back; misaligned SP with SCTLR_EL1.SA takes the SP alignment fault", async () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);
    let r = await fpRun("mov sp, x1\n ld1 {v0.16b, v1.16b}, [sp], #32\n mov x0, sp\n hvc #0", {
      regs: { 1: DATA }, setup: (c) => c.writeRam(DATA, bytes),
    });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(DATA + 32n);
    expect(r.core.v(1) & 0xffn).toBe(0x50n);
    r = await fpRun("mov sp, x1\n st1 {v0.4s}, [sp], #16\n hvc #0", {
      regs: { 1: DATA + 4n }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | SCTLR_SA),
    });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_SP_ALIGN);
    expect(t.elr).toBe(ENTRY + 4n);
  });

  it("with SCTLR_EL1.A, a base misaligned for the element size takes an alignment fault (FAR = base), nothing changed; byte elements never fault", async () => {
    const setA = (c: Core) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | SCTLR_A);
    for (const [insn, wnr] of [["ld1 {v0.4s, v1.4s}, [x1], #32", 0], ["st2 {v0.8h, v1.8h}, [x1], #32", WNR], ["ld1r {v0.2d}, [x1], #8", 0], ["st1 {v0.s}[1], [x1], #4", WNR]] as const) {
      const r = await fpRun(`${insn}\n hvc #0`, { regs: { 1: DATA + 1n }, v: { 0: 0x77n }, setup: setA });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, insn).toBe(EC_DABT_CUR);
      expect(t.iss & 0x3f, insn).toBe(DFSC_ALIGN);
      expect(t.iss & WNR, insn).toBe(wnr);
      expect(t.far, insn).toBe(DATA + 1n);
      expect(r.core.x(1), insn).toBe(DATA + 1n);
      expect(r.core.v(0), insn).toBe(0x77n);
      expect(Array.from(r.core.readRam(DATA, 48)).every((b) => b === 0), insn).toBe(true);
    }
    const r = await fpRun("ld1 {v0.16b, v1.16b}, [x1]\n st3 {v0.8b, v1.8b, v2.8b}, [x1]\n hvc #0", {
      regs: { 1: DATA + 3n }, setup: (c) => { setA(c); c.writeRam(DATA, new Uint8Array(64).fill(9)); },
    });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.v(0)).toBe(0x0909_0909_0909_0909_0909_0909_0909_0909n);
  });

  it("with CPACR_EL1.FPEN = 0 the structure loads and stores trap (EC 0x07) before touching memory", async () => {
    for (const insn of ["ld1 {v0.16b}, [x1], #16", "st4 {v0.s, v1.s, v2.s, v3.s}[0], [x1]", "ld3r {v0.4s, v1.4s, v2.4s}, [x1]"]) {
      const r = await fpRun(`${insn}\n hvc #0`, { regs: { 1: 0x0900_0000n }, cpacr: 0n });
      const t = takenEL1(r.core, r.exit);
      expect(t.ec, insn).toBe(EC_FP_TRAP);
      expect(r.mmio, insn).toEqual([]);
      expect(r.core.x(1), insn).toBe(0x0900_0000n);
    }
  });
});

// ---- faults through the MMU ------------------------------------------------------------------
// Identity-mapped code and one data page at DATA; the page after it is not mapped.
const POOL = 0x4060_0000n;
const SCTLR_EL1_MMU = 0x30d0_0800n | 1n | (1n << 2n) | (1n << 12n);
const TCR_4K_39 = 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 23n) | (5n << 32n); // T0SZ 25, WB, ISH, EPD1, IPS 48 bits

function mmuSetup(extra?: (core: Core) => void): (core: Core) => void {
  return (core) => {
    core.exports.flushTlb();
    const pt = new PageTables(core, { granule: 4096, inputBits: 39, pool: POOL });
    pt.map(CODE_BASE, CODE_BASE, 0x1_0000n, { ap: AP_RW_EL1 }, 0n);
    pt.map(DATA, DATA, 0x1000n, { ap: AP_RW_EL1 }, 0n);
    core.setSysreg(ABI.SR_MAIR_EL1, MAIR_TEST);
    core.setSysreg(ABI.SR_TCR_EL1, TCR_4K_39);
    core.setSysreg(ABI.SR_TTBR0_EL1, pt.root);
    core.setSysreg(ABI.SR_SCTLR_EL1, SCTLR_EL1_MMU);
    extra?.(core);
  };
}

describe("faults on the second page", () => {
  const fill = (c: Core) => c.writeRam(DATA + 0xf00n, new Uint8Array(0x100).fill(0x5a));
  const OLD = 0x1111_2222_3333_4444_5555_6666_7777_8888n;

  it("LD1 {4 registers} whose second register lies in an unmapped page: translation fault, FAR = that page, no register or base changed", async () => {
    const r = await fpRun("ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64\n hvc #0", {
      regs: { 1: DATA + 0x1000n - 16n }, v: { 0: OLD, 1: OLD, 2: OLD, 3: OLD }, setup: mmuSetup(fill),
    });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector, show(r.exit)).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(DFSC_TRANS_L3);
    expect(t.iss & WNR).toBe(0);
    expect((t.iss >> 24) & 1).toBe(0); // ISV = 0: no syndrome for structure loads
    expect(t.far).toBe(DATA + 0x1000n);
    expect(t.elr).toBe(ENTRY);
    for (let i = 0; i < 4; i++) expect(r.core.v(i)).toBe(OLD);
    expect(r.core.x(1)).toBe(DATA + 0x1000n - 16n);
  });

  it("an element straddling the boundary faults at the first byte of the unmapped page", async () => {
    const r = await fpRun("ld2 {v0.8h, v1.8h}, [x1]\n hvc #0", {
      regs: { 1: DATA + 0x1000n - 17n }, v: { 0: OLD, 1: OLD }, setup: mmuSetup(fill),
    });
    const t = takenEL1(r.core, r.exit);
    expect(t.iss & 0x3f).toBe(DFSC_TRANS_L3);
    expect(t.far).toBe(DATA + 0x1000n);
    expect(r.core.v(0)).toBe(OLD);
  });

  it("ST1 {4 registers} and ST4 (lane) crossing into the unmapped page write nothing (WnR = 1); a store ending at the boundary completes", async () => {
    for (const [insn, back] of [["st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1], #64", 48n], ["st4 {v0.d, v1.d, v2.d, v3.d}[1], [x1]", 8n]] as const) {
      const r = await fpRun(`${insn}\n hvc #0`, {
        regs: { 1: DATA + 0x1000n - back }, v: { 0: OLD, 1: OLD, 2: OLD, 3: OLD }, setup: mmuSetup(fill),
      });
      const t = takenEL1(r.core, r.exit);
      expect(t.ec, insn).toBe(EC_DABT_CUR);
      expect(t.iss & 0x3f, insn).toBe(DFSC_TRANS_L3);
      expect(t.iss & WNR, insn).toBe(WNR);
      expect(t.far, insn).toBe(DATA + 0x1000n);
      expect(Array.from(r.core.readRam(DATA + 0xf00n, 0x100)).every((b) => b === 0x5a), insn).toBe(true);
      expect(r.core.x(1), insn).toBe(DATA + 0x1000n - back);
    }
    const r = await fpRun("st1 {v0.16b, v1.16b}, [x1], #32\n hvc #0", {
      regs: { 1: DATA + 0x1000n - 32n }, v: { 0: OLD, 1: OLD }, setup: mmuSetup(fill),
    });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(DATA + 0x1000n);
    expect(r.core.readRam(DATA + 0xfe0n, 1)[0]).toBe(0x88);
  });
});

// ---- MMIO --------------------------------------------------------------------------------------
// Loads a snippet on the FP core without running it (fpRun runs to the end).
async function loadFp(source: string, regs: Record<number, bigint>, v: Record<number, bigint> = {}): Promise<{ core: Core; vcpu: Vcpu }> {
  const code = assemble(vectorTable(1) + source, CODE_BASE);
  const core = await fpCore(1);
  core.exports.reset(1);
  core.writeRam(CODE_BASE, code);
  core.pc = ENTRY;
  core.sp = STACK_TOP;
  core.setSysreg(ABI.SR_VBAR_EL1, VBAR);
  core.setSysreg(ABI.SR_CPACR_EL1, FPEN_ALL);
  for (const [n, x] of Object.entries(regs)) core.setX(Number(n), BigInt.asUintN(64, x));
  for (const [n, x] of Object.entries(v)) core.setV(Number(n), x);
  return { core, vcpu: new Vcpu(core) };
}

describe("MMIO", () => {
  const DEV = 0x0900_0000n;

  it("LD1 {2 registers} .16b from MMIO: 8-byte reads in address order, registers written once all are answered, writeback once", async () => {
    const { core, vcpu } = await loadFp("ld1 {v0.16b, v1.16b}, [x1], #32\n hvc #0", { 1: DEV }, { 0: 7n, 1: 7n });
    const answers = [0x0706_0504_0302_0100n, 0x0f0e_0d0c_0b0a_0908n, 0x1716_1514_1312_1110n, 0x1f1e_1d1c_1b1a_1918n];
    for (let i = 0; i < 4; i++) {
      const e = step(core, vcpu, 1000n);
      expect(e, show(e)).toMatchObject({ kind: "mmio", addr: DEV + BigInt(8 * i), size: 8, isWrite: false, pc: ENTRY });
      expect(core.v(0)).toBe(7n);
      expect(core.x(1)).toBe(DEV);
      vcpu.completeMmioRead(answers[i]);
    }
    expect(hvcImm(step(core, vcpu, 1000n))).toBe(0);
    expect(core.v(0)).toBe((answers[1] << 64n) | answers[0]);
    expect(core.v(1)).toBe((answers[3] << 64n) | answers[2]);
    expect(core.x(1)).toBe(DEV + 32n);
  });

  it("LD1 {1 register} .4s: four 4-byte reads (the element size); LD1 lane .h: one 2-byte read", async () => {
    const { core, vcpu } = await loadFp("ld1 {v2.4s}, [x1]\n ld1 {v3.h}[5], [x1]\n hvc #0", { 1: DEV + 0x10n }, { 3: 0n });
    for (let i = 0; i < 4; i++) {
      const e = step(core, vcpu, 1000n);
      expect(e, show(e)).toMatchObject({ kind: "mmio", addr: DEV + 0x10n + BigInt(4 * i), size: 4, isWrite: false });
      vcpu.completeMmioRead(0xa0n + BigInt(i));
    }
    let e = step(core, vcpu, 1000n);
    expect(e, show(e)).toMatchObject({ kind: "mmio", addr: DEV + 0x10n, size: 2, isWrite: false, pc: ENTRY + 4n });
    vcpu.completeMmioRead(0xbeefn);
    e = step(core, vcpu, 1000n);
    expect(hvcImm(e)).toBe(0);
    expect(core.v(2)).toBe(0xa3_0000_00a2_0000_00a1_0000_00a0n);
    expect(core.v(3)).toBe(0xbeefn << 80n);
  });

  it("ST1 {2 registers} .2d to MMIO: four 8-byte writes with their data in order; writeback once", async () => {
    const { core, vcpu } = await loadFp("st1 {v4.2d, v5.2d}, [x1], x2\n hvc #0", { 1: DEV, 2: 0x100n }, { 4: (2n << 64n) | 1n, 5: (4n << 64n) | 3n });
    for (let i = 0; i < 4; i++) {
      const e = step(core, vcpu, 1000n);
      expect(e, show(e)).toMatchObject({ kind: "mmio", addr: DEV + BigInt(8 * i), size: 8, isWrite: true, data: BigInt(i + 1) });
      expect(core.x(1)).toBe(DEV);
      vcpu.completeMmioWrite();
    }
    expect(hvcImm(step(core, vcpu, 1000n))).toBe(0);
    expect(core.x(1)).toBe(DEV + 0x100n);
  });

  it("a block from the end of RAM into MMIO: RAM bytes directly, the rest as MMIO reads", async () => {
    const END = RAM_BASE + BigInt(16 << 20);
    const { core, vcpu } = await loadFp("ld1 {v0.2d, v1.2d}, [x1]\n hvc #0", { 1: END - 16n });
    core.writeRam(END - 16n, Uint8Array.from({ length: 16 }, (_, i) => i + 1));
    for (let i = 0; i < 2; i++) {
      const e = step(core, vcpu, 1000n);
      expect(e, show(e)).toMatchObject({ kind: "mmio", addr: END + BigInt(8 * i), size: 8, isWrite: false });
      vcpu.completeMmioRead(0xc0n + BigInt(i));
    }
    expect(hvcImm(step(core, vcpu, 1000n))).toBe(0);
    expect(core.v(0)).toBe(0x100f_0e0d_0c0b_0a09_0807_0605_0403_0201n);
    expect(core.v(1)).toBe((0xc1n << 64n) | 0xc0n);
  });

  it("an aborted MMIO read in the middle of an LD4 takes the external abort with nothing written", async () => {
    const { core, vcpu } = await loadFp("ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1], #64\n hvc #0", { 1: DEV }, { 0: 5n, 3: 5n });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: DEV, size: 8 });
    vcpu.completeMmioRead(1n);
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: DEV + 8n, size: 8 });
    vcpu.abortMmio();
    e = step(core, vcpu, 1000n);
    const t = takenEL1(core, e);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(0x10);
    expect(core.v(0)).toBe(5n);
    expect(core.v(3)).toBe(5n);
    expect(core.x(1)).toBe(DEV);
  });
});

// ---- reserved encodings ------------------------------------------------------------------------
describe("reserved encodings are UNDEFINED", () => {
  // Base encodings (Vt = 0, Rn = x1): LD1 {v0.16b}, [x1] and LD1 {v0.b}[0], [x1].
  const MULT = 0x4c40_7020, SINGLE = 0x0d40_0020;
  const cases: [string, number][] = [
    ["multiple, no offset, Rm != 0", MULT | (1 << 16)],
    ["multiple, no offset, bit 21 set", MULT | (1 << 21)],
    ["multiple, post-index, bit 21 set", MULT | (1 << 23) | (1 << 21) | (31 << 16)],
    ...[0x1, 0x3, 0x5, 0x9, 0xb, 0xc, 0xd, 0xe, 0xf].map((op): [string, number] => [`multiple, opcode ${op.toString(2)}`, (MULT & ~0xf000) | (op << 12)]),
    ["LD2 .1D", (MULT & ~0x4000_f000) | (0x8 << 12) | (3 << 10)],
    ["LD3 .1D", (MULT & ~0x4000_f000) | (0x4 << 12) | (3 << 10)],
    ["LD4 .1D (post-index)", (MULT & ~0x4000_f000) | (3 << 10) | (1 << 23) | (31 << 16)],
    ["ST2 .1D", (MULT & ~0x4040_f000) | (0x8 << 12) | (3 << 10)],
    ["single, no offset, Rm != 0", SINGLE | (2 << 16)],
    ["single H with size<0> = 1", SINGLE | (0x2 << 13) | (1 << 10)],
    ["single S with size<1> = 1", SINGLE | (0x4 << 13) | (2 << 10)],
    ["single D with S = 1", SINGLE | (0x4 << 13) | (1 << 12) | (1 << 10)],
    ["LD3 single S with size = 11", SINGLE | (0x5 << 13) | (3 << 10)],
    ["LD1R with S = 1", SINGLE | (0x6 << 13) | (1 << 12)],
    ["ST1R (store replicate)", (SINGLE & ~(1 << 22)) | (0x6 << 13)],
    ["ST4R (store replicate, post-index)", (SINGLE & ~(1 << 22)) | (0x7 << 13) | (1 << 21) | (1 << 23) | (31 << 16)],
  ];
  it("each reserved encoding takes EC 0x00 at its own address, memory untouched", async () => {
    for (const [name, enc] of cases) {
      const r = await fpRun(`.inst ${hex(enc >>> 0)}\n hvc #0`, { regs: { 1: DATA } });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, name).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, name).toBe(EC_UNKNOWN);
      expect(t.elr, name).toBe(ENTRY);
    }
  });
  it("the base encodings above are allocated (a control)", async () => {
    for (const enc of [MULT, SINGLE, SINGLE | (0x6 << 13), (MULT & ~0x4000_0000) | (3 << 10)]) {
      const r = await fpRun(`.inst ${hex(enc >>> 0)}\n hvc #0`, { regs: { 1: DATA } });
      expect(hvcImm(r.exit)).toBe(0);
    }
  });
});
