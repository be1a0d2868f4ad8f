// Advanced SIMD floating point (group FPVEC): three same, two-register misc,
// across lanes, scalar pairwise, by element, and the fixed-point conversions
// by immediate shift, vector and scalar, single and double precision.
//
// The main check is differential: every instruction form, in every
// arrangement, on seeded pseudo-random operands rich in special values (NaNs
// quiet and signalling with payloads, infinities, zeros, subnormals, values
// near overflow and near rounding and conversion boundaries) under several
// FPCR settings, must give the same V0, X0, FPSR and NZCV on armvisor and on
// qemu-aarch64 (-cpu cortex-a57). Where qemu-aarch64 is missing those checks
// are skipped; the hand-computed cases and the UNDEFINED checks still run.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, it, expect } from "vitest";
import { DATA, ENTRY, takenEL1, VEC_CUR_SPX_SYNC } from "../helpers/machine";
import { assemble } from "../helpers/asm";
import {
  fpRun, checkFpCases, runFpBatch, runFpBatchQemu, hasQemuUser, describeMismatch, f32, f64, q,
  IOC, DZC, OFC, IXC, IDC, RN, RP, RM, RZ, FZ, DN, AHP, type FpCase,
} from "../helpers/fp";

const qemuUser = hasQemuUser();
if (!qemuUser) console.warn("simd_fp.test.ts: qemu-aarch64 not found: the differential checks are skipped");

// ---- seeded generators ------------------------------------------------------------------
let seed = 0x2545f491;
function rnd(): number { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(a: readonly T[]): T => a[ri(a.length)];
function rbits(n: number): bigint {
  let r = 0n;
  for (let i = 0; i < n; i += 32) r = (r << 32n) | BigInt(ri(2 ** 32));
  return BigInt.asUintN(n, r);
}

interface Fmt { n: number; e: number; f: number }
const H: Fmt = { n: 16, e: 5, f: 10 }, S: Fmt = { n: 32, e: 8, f: 23 }, D: Fmt = { n: 64, e: 11, f: 52 };
const enc = (t: Fmt, s: number, e: number, f: bigint): bigint =>
  (BigInt(s) << BigInt(t.n - 1)) | (BigInt(e) << BigInt(t.f)) | BigInt.asUintN(t.f, f);
const emax = (t: Fmt): number => (1 << t.e) - 1;
const bias = (t: Fmt): number => (1 << (t.e - 1)) - 1;
const fromNum = (t: Fmt, x: number): bigint => t.n === 32 ? f32(x) : t.n === 64 ? f64(x) : half(x);
function half(x: number): bigint { // exact small values only (tests pick representable ones)
  const b = f32(x);
  const s = Number(b >> 31n), e = Number((b >> 23n) & 0xffn), m = b & 0x7fffffn;
  if (e === 0) return BigInt(s) << 15n;
  return enc(H, s, e - 127 + 15, m >> 13n);
}

// A special value of format t.
function special(t: Fmt): bigint {
  const s = ri(2), top = emax(t), q1 = 1n << BigInt(t.f - 1);
  switch (ri(16)) {
    case 0: return enc(t, s, 0, 0n);                                  // ±0
    case 1: return enc(t, s, top, 0n);                                // ±inf
    case 2: return enc(t, s, top, q1);                                // default-like qNaN
    case 3: return enc(t, s, top, q1 | rbits(t.f - 1));               // qNaN with payload
    case 4: return enc(t, s, top, (rbits(t.f - 1) | 1n) & (q1 - 1n)); // sNaN with payload
    case 5: return enc(t, s, top, 1n);                                // sNaN, payload 1
    case 6: return enc(t, s, 0, rbits(t.f) | 1n);                     // subnormal
    case 7: return enc(t, s, 0, pick([1n, (1n << BigInt(t.f)) - 1n, q1])); // extreme subnormals
    case 8: return enc(t, s, 1, pick([0n, 1n, rbits(t.f)]));          // smallest normals
    case 9: return enc(t, s, top - 1, pick([-1n, rbits(t.f)]));       // near overflow
    case 10: return enc(t, s, top - 2, rbits(t.f));
    case 11: return fromNum(t, (s ? -1 : 1) * pick([1, 2, 0.5, 1.5, 2.5, 3.5, 0.25, 3]));
    case 12: return enc(t, s, bias(t) + pick([31, 32, 63, 64, 30, 62]), pick([0n, -1n, 1n, rbits(t.f)])); // conversion limits
    case 13: return enc(t, s, bias(t) + pick([-1, 0, 1, t.f - 1, t.f, t.f + 1]), rbits(t.f)); // rounding boundaries
    case 14: return enc(t, s, pick([1, 2, t.n === 16 ? 3 : 24, bias(t) - 126, bias(t) - 127, bias(t) + 127]), rbits(t.f));
    default: return enc(t, s, top, rbits(t.f) | 1n);                  // any NaN
  }
}
// A floating-point lane: specials often, otherwise a random value near 1 or anywhere.
function fpLane(t: Fmt): bigint {
  const k = rnd();
  if (k < 0.3) return special(t);
  if (k < 0.45) return fromNum(t, (ri(161) - 80) / 4);                   // small multiples of 1/4: ties
  if (k < 0.75) return enc(t, ri(2), bias(t) + ri(41) - 20, rbits(t.f)); // moderate
  return enc(t, ri(2), ri(emax(t)), rbits(t.f));                          // anywhere finite
}
// An integer lane of n bits: extremes and random values of every width.
function intLane(n: number): bigint {
  switch (ri(6)) {
    case 0: return BigInt.asUintN(n, pick([0n, 1n, -1n, 1n << BigInt(n - 1), (1n << BigInt(n - 1)) - 1n, (1n << BigInt(n - 1)) + 1n]));
    case 1: return BigInt.asUintN(n, BigInt(ri(2001) - 1000));
    case 2: return rbits(ri(n) + 1);
    case 3: return BigInt.asUintN(n, -rbits(ri(n) + 1));
    default: return rbits(n);
  }
}
// A 128-bit vector of lanes from gen; `related`: lanes from a second vector
// sometimes equal, negated or one ulp away, so that cancellations, ties of
// comparisons and equal NaNs occur.
function vec(esize: number, gen: () => bigint): bigint {
  let v = 0n;
  for (let i = 0; i < 128 / esize; i++) v |= BigInt.asUintN(esize, gen()) << BigInt(i * esize);
  return v;
}
function related(a: bigint, esize: number, gen: () => bigint): bigint {
  let v = 0n;
  for (let i = 0; i < 128 / esize; i++) {
    const x = BigInt.asUintN(esize, a >> BigInt(i * esize));
    const k = rnd();
    const y = k < 0.1 ? x : k < 0.17 ? x ^ (1n << BigInt(esize - 1)) : k < 0.22 ? x + 1n : gen();
    v |= BigInt.asUintN(esize, y) << BigInt(i * esize);
  }
  return v;
}

const FPCRS = [RN, RP, RM, RZ, FZ, DN, FZ | DN, FZ | RM, DN | RP, AHP, AHP | DN | RZ, FZ | DN | RZ | AHP];
const randomFpcr = (): number => rnd() < 0.35 ? 0 : pick(FPCRS);

// ---- the forms ----------------------------------------------------------------------------
type Gen = () => { v1: bigint; v2: bigint; v3: bigint };
interface Form { insn: string | (() => string); gen: Gen; n?: number }
const fmtOf = (esize: number): Fmt => esize === 16 ? H : esize === 32 ? S : D;
const fpGen = (esize: number): Gen => () => {
  const g = () => fpLane(fmtOf(esize));
  const v1 = vec(esize, g);
  return { v1, v2: related(v1, esize, g), v3: related(v1, esize, g) };
};
const intGen = (esize: number): Gen => () => {
  const g = () => intLane(esize);
  return { v1: vec(esize, g), v2: vec(esize, g), v3: vec(esize, g) };
};
const ACC = "mov v0.16b, v3.16b\n  "; // for the forms that read Vd
const ARR = [["2s", 32], ["4s", 32], ["2d", 64]] as const;
const SC = [["s", 32], ["d", 64]] as const;

const THREE_SAME_VEC = [
  "fmaxnm", "fmla", "fadd", "fmulx", "fcmeq", "fmax", "frecps", "fminnm", "fmls", "fsub", "fmin", "frsqrts",
  "fmaxnmp", "faddp", "fmul", "fcmge", "facge", "fmaxp", "fdiv", "fminnmp", "fabd", "fcmgt", "facgt", "fminp",
];
const THREE_SAME_SCALAR = ["fmulx", "fcmeq", "frecps", "frsqrts", "fcmge", "facge", "fabd", "fcmgt", "facgt"];
const MISC_FP_VEC = [
  "fabs", "fneg", "fsqrt", "frintn", "frintm", "frintp", "frintz", "frinta", "frintx", "frinti",
  "fcvtns", "fcvtnu", "fcvtms", "fcvtmu", "fcvtas", "fcvtau", "fcvtps", "fcvtpu", "fcvtzs", "fcvtzu", "frecpe", "frsqrte",
];
const FCVT_INT = ["fcvtns", "fcvtnu", "fcvtms", "fcvtmu", "fcvtas", "fcvtau", "fcvtps", "fcvtpu", "fcvtzs", "fcvtzu"];
const CMP_ZERO = ["fcmgt", "fcmeq", "fcmlt", "fcmge", "fcmle"];

function groups(): Record<string, Form[]> {
  const g: Record<string, Form[]> = {};
  g["three same"] = [
    ...THREE_SAME_VEC.flatMap((op) => ARR.map(([t, es]) => ({
      insn: `${op === "fmla" || op === "fmls" ? ACC : ""}${op} v0.${t}, v1.${t}, v2.${t}`, gen: fpGen(es),
    }))),
    ...THREE_SAME_SCALAR.flatMap((op) => SC.map(([r, es]) => ({ insn: `${op} ${r}0, ${r}1, ${r}2`, gen: fpGen(es) }))),
    // Vd as a source, and Rm above 15.
    { insn: "mov v18.16b, v2.16b\n  fmla v1.4s, v1.4s, v18.4s\n  mov v0.16b, v1.16b", gen: fpGen(32) },
    { insn: "fadd v0.2d, v0.2d, v1.2d", gen: fpGen(64) },
  ];
  g["two-register misc"] = [
    ...MISC_FP_VEC.flatMap((op) => ARR.map(([t, es]) => ({ insn: `${op} v0.${t}, v1.${t}`, gen: fpGen(es) }))),
    ...["scvtf", "ucvtf"].flatMap((op) => ARR.map(([t, es]) => ({ insn: `${op} v0.${t}, v1.${t}`, gen: intGen(es) }))),
    ...["urecpe", "ursqrte"].flatMap((op) => ["2s", "4s"].map((t) => ({ insn: `${op} v0.${t}, v1.${t}`, gen: intGen(32) }))),
    ...CMP_ZERO.flatMap((op) => ARR.map(([t, es]) => ({ insn: `${op} v0.${t}, v1.${t}, #0.0`, gen: fpGen(es) }))),
    ...FCVT_INT.flatMap((op) => SC.map(([r, es]) => ({ insn: `${op} ${r}0, ${r}1`, gen: fpGen(es) }))),
    ...["scvtf", "ucvtf"].flatMap((op) => SC.map(([r, es]) => ({ insn: `${op} ${r}0, ${r}1`, gen: intGen(es) }))),
    ...["frecpe", "frsqrte", "frecpx"].flatMap((op) => SC.map(([r, es]) => ({ insn: `${op} ${r}0, ${r}1`, gen: fpGen(es) }))),
    ...CMP_ZERO.flatMap((op) => SC.map(([r, es]) => ({ insn: `${op} ${r}0, ${r}1, #0.0`, gen: fpGen(es) }))),
    { insn: "fsqrt v0.4s, v0.4s", gen: fpGen(32) },
  ];
  g["conversions between precisions"] = [
    { insn: "fcvtn v0.4h, v1.4s", gen: fpGen(32), n: 48 },
    { insn: `${ACC}fcvtn2 v0.8h, v1.4s`, gen: fpGen(32), n: 48 },
    { insn: "fcvtn v0.2s, v1.2d", gen: fpGen(64), n: 48 },
    { insn: `${ACC}fcvtn2 v0.4s, v1.2d`, gen: fpGen(64), n: 48 },
    { insn: "fcvtxn v0.2s, v1.2d", gen: fpGen(64), n: 48 },
    { insn: `${ACC}fcvtxn2 v0.4s, v1.2d`, gen: fpGen(64), n: 48 },
    { insn: "fcvtxn s0, d1", gen: fpGen(64), n: 48 },
    { insn: "fcvtl v0.4s, v1.4h", gen: fpGen(16), n: 48 },
    { insn: "fcvtl2 v0.4s, v1.8h", gen: fpGen(16), n: 48 },
    { insn: "fcvtl v0.2d, v1.2s", gen: fpGen(32), n: 48 },
    { insn: "fcvtl2 v0.2d, v1.4s", gen: fpGen(32), n: 48 },
    { insn: "fcvtn v1.4h, v1.4s\n  mov v0.16b, v1.16b", gen: fpGen(32) },
    { insn: "fcvtl2 v0.2d, v0.4s", gen: fpGen(32) },
  ];
  g["across lanes and scalar pairwise"] = [
    ...["fmaxnmv", "fminnmv", "fmaxv", "fminv"].map((op) => ({ insn: `${op} s0, v1.4s`, gen: fpGen(32), n: 64 })),
    ...["faddp", "fmaxnmp", "fmaxp", "fminnmp", "fminp"].flatMap((op) => [
      { insn: `${op} s0, v1.2s`, gen: fpGen(32), n: 32 },
      { insn: `${op} d0, v1.2d`, gen: fpGen(64), n: 32 },
    ]),
    { insn: "addp d0, v1.2d", gen: intGen(64) },
    { insn: "faddp s0, v0.2s", gen: fpGen(32) },
  ];
  const byElem: Form[] = [];
  for (const op of ["fmla", "fmls", "fmul", "fmulx"]) {
    const acc = op === "fmla" || op === "fmls" ? ACC : "";
    for (const [t, es] of ARR) {
      for (let i = 0; i < 128 / es; i++) {
        byElem.push({ insn: `${acc}${op} v0.${t}, v1.${t}, v2.${es === 32 ? "s" : "d"}[${i}]`, gen: fpGen(es), n: 20 });
      }
    }
    for (const [r, es] of SC) {
      for (let i = 0; i < 128 / es; i++) byElem.push({ insn: `${acc}${op} ${r}0, ${r}1, v2.${r}[${i}]`, gen: fpGen(es), n: 20 });
    }
    byElem.push({ insn: `mov v31.16b, v2.16b\n  ${acc}${op} v0.4s, v1.4s, v31.s[3]`, gen: fpGen(32) });
    byElem.push({ insn: `mov v17.16b, v2.16b\n  ${acc}${op} v0.2d, v1.2d, v17.d[1]`, gen: fpGen(64) });
    byElem.push({ insn: `mov v20.16b, v2.16b\n  ${acc}${op} s0, s1, v20.s[2]`, gen: fpGen(32) });
  }
  g["by element"] = byElem;
  const shifts: Form[] = [];
  for (const op of ["scvtf", "ucvtf", "fcvtzs", "fcvtzu"]) {
    const toInt = op.startsWith("fcvt");
    for (const [t, es] of [...ARR, ...SC.map(([r, e]) => [r, e] as const)]) {
      const scalar = t.length === 1;
      const reg = (k: number) => scalar ? `${t}${k}` : `v${k}.${t}`;
      const fb = () => pick([1, es, ri(es) + 1, ri(es) + 1, ri(es) + 1, es - 1, 2]);
      shifts.push({ insn: () => `${op} ${reg(0)}, ${reg(1)}, #${fb()}`, gen: toInt ? fpGen(es) : intGen(es), n: 32 });
    }
  }
  g["fixed-point conversions (shift by immediate)"] = shifts;
  return g;
}

// FPVEC_MULT=k multiplies the number of cases (a longer campaign by hand).
function casesOf(forms: Form[]): FpCase[] {
  const cases: FpCase[] = [];
  for (const f of forms) {
    for (let k = 0; k < (f.n ?? 32) * Number(process.env.FPVEC_MULT ?? 1); k++) {
      const insn = typeof f.insn === "string" ? f.insn : f.insn();
      cases.push({ insn, ...f.gen(), fpcr: randomFpcr(), want: {} });
    }
  }
  return cases;
}

// Runs cases on armvisor and under QEMU in batches; returns the disagreements.
async function differential(cases: FpCase[]): Promise<string[]> {
  const bad: string[] = [];
  const CHUNK = 2500;
  for (let s = 0; s < cases.length; s += CHUNK) {
    const part = cases.slice(s, s + CHUNK);
    const ours = await runFpBatch(part);
    const theirs = runFpBatchQemu(part);
    part.forEach((c, i) => {
      const t = theirs[i];
      const m = describeMismatch({ ...c, want: { v0: t.v0, x0: t.x0, fpsr: t.fpsr, nzcv: t.nzcv } }, ours[i]);
      if (m) bad.push(m.replace(/want/g, "qemu"));
    });
  }
  return bad;
}

describe.skipIf(!qemuUser)("differential against qemu-aarch64: every form, random operands rich in special values", () => {
  const g = groups();
  for (const [name, forms] of Object.entries(g)) {
    it(`${name} (${forms.length} forms)`, async () => {
      const cases = casesOf(forms);
      const bad = await differential(cases);
      expect(bad.slice(0, 40), `${bad.length} of ${cases.length} cases disagree:\n${bad.slice(0, 40).join("\n")}`).toEqual([]);
    }, 60_000);
  }
});

// ---- UNDEFINED encodings --------------------------------------------------------------------
// Every encoding the dispatcher routes to the FPVEC decoders, over all the
// fields that are not register numbers (Rd = 0, Rn = 1, Rm = 2).
function fpvecEncodings(): number[] {
  const r: number[] = [];
  const regs = 0 | (1 << 5) | (2 << 16);
  const add = (x: number) => r.push(x >>> 0);
  for (let u = 0; u < 2; u++) for (let size = 0; size < 4; size++) {
    for (let opc = 0x18; opc <= 0x1f; opc++) {               // three same, opcode 11xxx
      for (let qb = 0; qb < 2; qb++) add(0x0e20_0400 | (qb << 30) | (u << 29) | (size << 22) | (opc << 11) | regs);
      add(0x5e20_0400 | (u << 29) | (size << 22) | (opc << 11) | regs);
    }
    for (const opc of [0x0c, 0x0d, 0x0e, 0x0f, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]) { // two-register misc
      for (let qb = 0; qb < 2; qb++) add(0x0e20_0800 | (qb << 30) | (u << 29) | (size << 22) | (opc << 12) | regs);
      add(0x5e20_0800 | (u << 29) | (size << 22) | (opc << 12) | regs);
    }
    for (const opc of [0x0c, 0x0f]) for (let qb = 0; qb < 2; qb++) { // across lanes
      add(0x0e30_0800 | (qb << 30) | (u << 29) | (size << 22) | (opc << 12) | regs);
    }
    for (let opc = 0; opc < 32; opc++) add(0x5e30_0800 | (u << 29) | (size << 22) | (opc << 12) | regs); // scalar pairwise
    for (const opc of [1, 5, 9]) for (let l = 0; l < 2; l++) for (let m = 0; m < 2; m++) for (let h = 0; h < 2; h++) { // by element
      const x = (u << 29) | (size << 22) | (l << 21) | (m << 20) | (opc << 12) | (h << 11) | regs;
      for (let qb = 0; qb < 2; qb++) add(0x0f00_0000 | (qb << 30) | x);
      add(0x5f00_0000 | x);
    }
  }
  for (let u = 0; u < 2; u++) for (let immh = 1; immh < 16; immh++) for (const immb of [0, 5]) for (const opc of [0x1c, 0x1f]) {
    const x = (u << 29) | (immh << 19) | (immb << 16) | (opc << 11) | (regs & 0x3ff); // shift by immediate
    for (let qb = 0; qb < 2; qb++) add(0x0f00_0400 | (qb << 30) | x);
    add(0x5f00_0400 | x);
  }
  return r;
}

// For each encoding: 0 if it executed, 1 + EC of the exception it took (armvisor, at EL1).
async function undefOnArmvisor(encs: number[]): Promise<number[]> {
  const body = encs.map((x) => `  mov x23, #0\n  .inst 0x${x.toString(16)}\n  strb w23, [x21], #1`).join("\n");
  const src = [
    "  adr x9, uvec", "  msr vbar_el1, x9", "  isb", body, "  hvc #0",
    "  .balign 2048", "uvec:", "  .skip 0x200", // current EL with SP_ELx, synchronous
    "  mrs x9, elr_el1", "  add x9, x9, #4", "  msr elr_el1, x9", "  mrs x10, esr_el1", "  lsr x10, x10, #26", "  add x23, x10, #1", "  eret", "",
  ].join("\n");
  const r = await fpRun(src, { regs: { 21: DATA }, maxInsns: BigInt(encs.length * 10 + 100) });
  expect(r.exit.kind).toBe("hvc");
  return Array.from(r.core.readRam(DATA, encs.length));
}

// The same under qemu-aarch64 (user mode): 1 where the instruction raised SIGILL.
function undefOnQemu(encs: number[]): number[] {
  const body = encs.map((x) => `  mov x23, #0\n  .inst 0x${x.toString(16)}\n  strb w23, [x21], #1`).join("\n");
  // struct ucontext (arm64): uc_mcontext at 176; its regs[23] at 368, pc at 440.
  const src = [
    "  .text", "  .global _start", "_start:",
    "  mov x0, #4", "  adrp x1, sa", "  add x1, x1, :lo12:sa", "  mov x2, #0", "  mov x3, #8", "  mov x8, #134", "  svc #0", // rt_sigaction(SIGILL)
    "  adrp x21, out", "  add x21, x21, :lo12:out",
    body,
    "  mov x0, #1", "  adrp x1, out", "  add x1, x1, :lo12:out", `  ldr x2, =${encs.length}`, "  mov x8, #64", "  svc #0",
    "  mov x0, #0", "  mov x8, #93", "  svc #0",
    "handler:", "  ldr x9, [x2, #440]", "  add x9, x9, #4", "  str x9, [x2, #440]", "  mov x9, #1", "  str x9, [x2, #368]", "  ret",
    "restorer:", "  mov x8, #139", "  svc #0", "  .ltorg",
    "  .data", "  .balign 8", "sa: .quad handler, 0x04000004, restorer, 0", // SA_SIGINFO | SA_RESTORER
    "  .bss", "out:", `  .space ${encs.length}`, "",
  ].join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "armvisor-fpvec-"));
  try {
    const s = path.join(dir, "t.s"), o = path.join(dir, "t.o"), elf = path.join(dir, "t.elf");
    fs.writeFileSync(s, src);
    const run = (cmd: string, args: string[]): Buffer => {
      const r = spawnSync(cmd, args, { maxBuffer: 1 << 24 });
      if (r.error || r.status !== 0) throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr}`);
      return r.stdout;
    };
    run("aarch64-linux-gnu-as", ["-o", o, s]);
    run("aarch64-linux-gnu-ld", ["-static", "-o", elf, o]);
    const out = run(process.env.QEMU_USER ?? "qemu-aarch64", ["-cpu", "cortex-a57", elf]);
    expect(out.length).toBe(encs.length);
    return Array.from(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The encoding of one instruction.
function word(insn: string): number {
  const b = assemble(insn);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}
const setField = (w: number, hi: number, lo: number, v: number): number => {
  const m = ((1 << (hi - lo + 1)) - 1) << lo;
  return ((w & ~m) | ((v << lo) & m)) >>> 0;
};
const flip = (w: number, b: number): number => (w ^ (1 << b)) >>> 0;

describe("UNDEFINED encodings", () => {
  it("reserved size/Q combinations, scalar-less and vector-less forms, and features not advertised are UNDEFINED (EC 0x00)", async () => {
    const reserved: [string, number][] = [
      ["fadd .1d (Q = 0, sz = 1)", flip(word("fadd v0.2d, v1.2d, v2.2d"), 30)],
      ["fmla .1d (Q = 0, sz = 1)", flip(word("fmla v0.2d, v1.2d, v2.2d"), 30)],
      ["faddp .1d", flip(word("faddp v0.2d, v1.2d, v2.2d"), 30)],
      ["fadd (scalar AdvSIMD three same)", flip(word("fmulx s0, s1, s2"), 11)],
      ["fmlal (FEAT_FHM)", setField(word("fmax v0.4s, v1.4s, v2.4s"), 15, 11, 0x1d)],
      ["fmla by element, double, L = 1", flip(word("fmla v0.2d, v1.2d, v2.d[1]"), 21)],
      ["fmul by element .1d", flip(word("fmul v0.2d, v1.2d, v2.d[0]"), 30)],
      ["fmul by element, size 01", setField(word("fmul v0.4s, v1.4s, v2.s[0]"), 23, 22, 1)],
      ["fmul by element, half (FEAT_FP16)", setField(word("fmul v0.4s, v1.4s, v2.s[0]"), 23, 22, 0)],
      ["fcmla by element (FEAT_FCMA)", flip(word("fmla v0.4s, v1.4s, v2.s[0]"), 29)],
      ["fcvtxn from single", flip(word("fcvtxn v0.2s, v1.2d"), 22)],
      ["fcvtxn s0, s1 (scalar, from single)", flip(word("fcvtxn s0, d1"), 22)],
      ["fcvtn (scalar)", flip(word("fcvtxn s0, d1"), 29)],
      ["bfcvtn (FEAT_BF16)", flip(word("fcvtn v0.4h, v1.4s"), 23)],
      ["fcvtl with U = 1", flip(word("fcvtl v0.4s, v1.4h"), 29)],
      ["urecpe .2d", flip(word("urecpe v0.4s, v1.4s"), 22)],
      ["urecpe (scalar)", flip(word("urecpe v0.4s, v1.4s"), 28)],
      ["frecpx (vector)", flip(word("frecpx s0, s1"), 28)],
      ["fsqrt (scalar AdvSIMD)", flip(word("fsqrt v0.4s, v1.4s"), 28)],
      ["fabs (scalar AdvSIMD)", flip(word("fabs v0.4s, v1.4s"), 28)],
      ["frintn (scalar AdvSIMD)", flip(word("frintn v0.4s, v1.4s"), 28)],
      ["frint with U:a:o1 = 110", flip(word("frinta v0.4s, v1.4s"), 23)],
      ["frint32z (FEAT_FRINTTS)", setField(word("frintn v0.4s, v1.4s"), 16, 12, 0x1e)],
      ["frint64x (FEAT_FRINTTS)", setField(word("frintx v0.4s, v1.4s"), 16, 12, 0x1f)],
      ["fabs .1d", flip(word("fabs v0.2d, v1.2d"), 30)],
      ["fcmlt #0.0 with U = 1", flip(word("fcmlt v0.4s, v1.4s, #0.0"), 29)],
      ["fmaxnmv .2s", flip(word("fmaxnmv s0, v1.4s"), 30)],
      ["fmaxnmv .2d", flip(word("fmaxnmv s0, v1.4s"), 22)],
      ["fmaxnmv half (FEAT_FP16)", flip(word("fmaxnmv s0, v1.4s"), 29)],
      ["faddp half (FEAT_FP16)", flip(word("faddp s0, v1.2s"), 29)],
      ["faddp scalar with a = 1", flip(word("faddp s0, v1.2s"), 23)],
      ["addp (scalar) size 10", flip(word("addp d0, v1.2d"), 22)],
      ["scvtf fixed .1d", flip(word("scvtf v0.2d, v1.2d, #3"), 30)],
      ["scvtf fixed half (immh 001x)", setField(word("scvtf v0.4s, v1.4s, #3"), 22, 19, 2)],
      ["fcvtzs fixed, immh 0001", setField(word("fcvtzs s0, s1, #3"), 22, 19, 1)],
    ];
    for (const [name, w] of reserved) {
      const r = await fpRun(`.inst 0x${w.toString(16)}\n hvc #0`);
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, name).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, name).toBe(0);
      expect(t.elr, name).toBe(ENTRY);
    }
  });

  it.skipIf(!qemuUser)("every encoding of the FPVEC groups is UNDEFINED (EC 0x00) exactly where qemu-aarch64 raises SIGILL", async () => {
    const encs = fpvecEncodings();
    const ours = await undefOnArmvisor(encs);
    const theirs = undefOnQemu(encs);
    const bad: string[] = [];
    encs.forEach((x, i) => {
      if (ours[i] > 1) bad.push(`0x${x.toString(16)}: took EC 0x${(ours[i] - 1).toString(16)}`);
      else if (ours[i] !== theirs[i]) bad.push(`0x${x.toString(16)}: ${ours[i] ? "UNDEFINED" : "executed"}, qemu ${theirs[i] ? "SIGILL" : "executed"}`);
    });
    expect(theirs.filter((t) => t).length).toBeGreaterThan(100); // the SIGILL handler really ran
    expect(bad.slice(0, 50), `${bad.length} of ${encs.length} disagree:\n${bad.slice(0, 50).join("\n")}`).toEqual([]);
  });
});

// ---- architectural expectations worked out by hand -----------------------------------------
const S_ONE = 0x3f80_0000n, S_QNAN = 0x7fc0_0000n, S_INF = 0x7f80_0000n;
const lanes32 = (...x: bigint[]): bigint => x.reduce((v, e, i) => v | (BigInt.asUintN(32, e) << BigInt(32 * i)), 0n);
const ONES32 = 0xffff_ffffn, ONES64 = (1n << 64n) - 1n;

describe("hand-computed results", () => {
  it("three same, pairwise, by element", async () => {
    const bad = await checkFpCases([
      // Lane by lane: 1+1, 1+2, inf + -inf (default NaN, Invalid), 1 + 2^-24 (a tie to even: 1, Inexact).
      { insn: "fadd v0.4s, v1.4s, v2.4s", v1: lanes32(S_ONE, S_ONE, S_INF, S_ONE), v2: lanes32(S_ONE, f32(2), 0xff80_0000n, f32(2 ** -24)),
        want: { v0: lanes32(f32(2), f32(3), S_QNAN, S_ONE), fpsr: IOC | IXC } },
      // Q = 0: the upper half of Vd is zeroed.
      { insn: "fsub v0.2s, v1.2s, v2.2s", v1: lanes32(f32(5), f32(1), S_ONE, S_ONE), v2: lanes32(f32(3), f32(4), 0n, 0n),
        want: { v0: lanes32(f32(2), f32(-3)) } },
      // Fused: (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly (unfused it would be 0).
      { insn: `${ACC}fmla v0.2d, v1.2d, v2.2d`, v1: q(f64(2), f64(1 + 2 ** -30)), v2: q(f64(3), f64(1 - 2 ** -30)), v3: q(f64(1), f64(-1)),
        want: { v0: q(f64(7), f64(-(2 ** -60))) } },
      // FMLS negates the product: 1 - 2*3.
      { insn: `${ACC}fmls v0.4s, v1.4s, v2.4s`, v1: lanes32(f32(2), 0n, 0n, 0n), v2: lanes32(f32(3), 0n, 0n, 0n), v3: lanes32(S_ONE, S_ONE, 0n, 0n),
        want: { v0: lanes32(f32(-5), S_ONE, 0n, 0n) } },
      // Pairwise over Vm:Vn.
      { insn: "faddp v0.4s, v1.4s, v2.4s", v1: lanes32(f32(1), f32(2), f32(3), f32(4)), v2: lanes32(f32(10), f32(20), f32(30), f32(40)),
        want: { v0: lanes32(f32(3), f32(7), f32(30), f32(70)) } },
      { insn: "fminp v0.2d, v1.2d, v2.2d", v1: q(f64(-1), f64(2)), v2: q(f64(8), f64(9)), want: { v0: q(f64(8), f64(-1)) } },
      { insn: "faddp d0, v1.2d", v1: q(f64(0.25), f64(2)), want: { v0: f64(2.25) } },
      { insn: "addp d0, v1.2d", v1: q(-1n, 5n), want: { v0: 4n } },
      // Comparisons: all ones or zeros; FCMGE on a quiet NaN is Invalid, FCMEQ is not.
      { insn: "fcmge v0.2d, v1.2d, v2.2d", v1: q(0x7ff8_0000_0000_0000n, f64(1)), v2: q(f64(0), f64(1)), want: { v0: q(0n, ONES64), fpsr: IOC } },
      { insn: "fcmeq v0.4s, v1.4s, v2.4s", v1: lanes32(0n, S_QNAN, f32(1), f32(2)), v2: lanes32(0x8000_0000n, S_QNAN, f32(1), f32(3)),
        want: { v0: lanes32(ONES32, 0n, ONES32, 0n) } },
      { insn: "facgt s0, s1, s2", v1: f32(-3), v2: f32(2), want: { v0: ONES32 } },
      { insn: "fabd d0, d1, d2", v1: f64(1), v2: f64(3.5), want: { v0: f64(2.5) } },
      // FMULX: infinity times zero is 2.0 with the product's sign.
      { insn: "fmulx s0, s1, s2", v1: S_INF, v2: 0x8000_0000n, want: { v0: f32(-2) } },
      { insn: "frecps d0, d1, d2", v1: f64(1.5), v2: f64(0.5), want: { v0: f64(1.25) } },
      // FZ: subnormal inputs are flushed (Input Denormal).
      { insn: "fadd v0.2s, v1.2s, v2.2s", v1: lanes32(1n, 0x8000_0001n), v2: lanes32(1n, 0x8000_0000n), fpcr: FZ, want: { v0: lanes32(0n, 0x8000_0000n), fpsr: IDC } },
      // By element: every lane times Vm.S[3] = 2.0; scalar by element reads Vd for FMLA.
      { insn: "fmul v0.4s, v1.4s, v2.s[3]", v1: lanes32(f32(1), f32(2), f32(3), f32(-4)), v2: lanes32(0n, 0n, 0n, f32(2)),
        want: { v0: lanes32(f32(2), f32(4), f32(6), f32(-8)) } },
      { insn: `${ACC}fmla s0, s1, v2.s[1]`, v1: f32(3), v2: lanes32(0n, f32(5), 0n, 0n), v3: lanes32(f32(1), f32(9), f32(9), f32(9)), want: { v0: f32(16) } },
      { insn: "fmulx v0.2d, v1.2d, v2.d[1]", v1: q(f64(3), 0x8000_0000_0000_0000n), v2: q(0x7ff0_0000_0000_0000n, 0n),
        want: { v0: q(0x7ff0_0000_0000_0000n, f64(-2)) } },
    ]);
    expect(bad, bad.join("\n")).toEqual([]);
  });

  it("across lanes: the Reduce() tree decides which NaN wins", async () => {
    // Lanes qNaN A, 1.0, qNaN B, sNaN C. Tree: op(op(A, 1), op(B, C)). Left to
    // right would be op(op(op(A, 1), B), C) and return C quietened.
    const A = 0x7fc0_0001n, B = 0x7fc0_0002n, C = 0x7f80_0003n;
    const v1 = lanes32(A, S_ONE, B, C);
    const bad = await checkFpCases([
      { insn: "fmaxnmv s0, v1.4s", v1, want: { v0: S_ONE, fpsr: IOC } }, // op(B, C) = C quietened, then maxnm(1, C') = 1
      { insn: "fmaxv s0, v1.4s", v1, want: { v0: A, fpsr: IOC } },
      { insn: "fminv s0, v1.4s", v1: lanes32(f32(3), f32(-1), f32(2), f32(7)), want: { v0: f32(-1) } },
      { insn: "fminnmv s0, v1.4s", v1: lanes32(A, f32(4), B, f32(2)), want: { v0: f32(2) } },
    ]);
    expect(bad, bad.join("\n")).toEqual([]);
  });

  it("two-register misc and conversions", async () => {
    const bad = await checkFpCases([
      { insn: "frintn v0.4s, v1.4s", v1: lanes32(f32(2.5), f32(3.5), f32(-0.5), f32(1e10)), want: { v0: lanes32(f32(2), f32(4), 0x8000_0000n, f32(1e10)) } },
      { insn: "frintx v0.2d, v1.2d", v1: q(f64(7), f64(2.5)), fpcr: RP, want: { v0: q(f64(7), f64(3)), fpsr: IXC } },
      { insn: "frinta v0.2s, v1.2s", v1: lanes32(f32(2.5), f32(-2.5), S_ONE, S_ONE), want: { v0: lanes32(f32(3), f32(-3)) } },
      { insn: "fcmlt v0.4s, v1.4s, #0.0", v1: lanes32(f32(-1), 0x8000_0000n, S_QNAN, f32(1)), want: { v0: lanes32(ONES32, 0n, 0n, 0n), fpsr: IOC } },
      { insn: "fcmeq d0, d1, #0.0", v1: 0x8000_0000_0000_0000n, want: { v0: ONES64 } },
      { insn: "fneg v0.2d, v1.2d", v1: q(0x7ff0_0000_0000_0001n, f64(1)), want: { v0: q(0xfff0_0000_0000_0001n, f64(-1)) } },
      { insn: "fsqrt v0.4s, v1.4s", v1: lanes32(f32(4), f32(-1), f32(9), 0x8000_0000n), want: { v0: lanes32(f32(2), S_QNAN, f32(3), 0x8000_0000n), fpsr: IOC } },
      { insn: "fcvtzs v0.4s, v1.4s", v1: lanes32(f32(-1.75), f32(2 ** 31), S_QNAN, f32(7.5)), want: { v0: lanes32(-1n, 0x7fff_ffffn, 0n, 7n), fpsr: IOC | IXC } },
      { insn: "fcvtzs v0.4s, v1.4s, #1", v1: lanes32(f32(1.25), f32(-1.75), 0n, 0n), want: { v0: lanes32(2n, -3n, 0n, 0n), fpsr: IXC } },
      { insn: "fcvtau d0, d1", v1: f64(2.5), want: { v0: 3n, fpsr: IXC } },
      { insn: "fcvtns v0.2d, v1.2d", v1: q(f64(-2.5), f64(2.5)), want: { v0: q(-2n, 2n), fpsr: IXC } },
      { insn: "ucvtf v0.4s, v1.4s", v1: lanes32(0xffff_ffffn, 1n, 0n, 16777217n), want: { v0: lanes32(f32(2 ** 32), S_ONE, 0n, f32(16777216)), fpsr: IXC } },
      { insn: "scvtf v0.2d, v1.2d, #64", v1: q(1n, 1n << 63n), want: { v0: q(f64(2 ** -64), f64(-0.5)) } },
      { insn: "scvtf s0, s1", v1: 0xffff_fffen, want: { v0: f32(-2) } },
      { insn: "frecpx d0, d1", v1: f64(3), want: { v0: f64(1) } },
      { insn: "urecpe v0.2s, v1.2s", v1: lanes32(0x7fff_ffffn, 0x8000_0000n, 0n, 0n), want: { v0: lanes32(0xffff_ffffn, 0xff80_0000n) } },
      { insn: "frecpe s0, s1", v1: 0n, want: { v0: S_INF, fpsr: DZC } },
      // To half: 65536 overflows to infinity; with AHP the alternative format has no infinity: 0x8000 * 2 = 0x4000.
      { insn: "fcvtn v0.4h, v1.4s", v1: lanes32(S_ONE, f32(-2), f32(0.5), f32(65536)), want: { v0: 0x7c00_3800_c000_3c00n, fpsr: OFC | IXC } },
      { insn: "fcvtn v0.4h, v1.4s", v1: lanes32(S_ONE, f32(-2), f32(0.5), f32(65536)), fpcr: AHP, want: { v0: 0x7c00_3800_c000_3c00n, fpsr: 0 } },
      // FCVTN2 writes the upper half and keeps the lower.
      { insn: `${ACC}fcvtn2 v0.4s, v1.2d`, v1: q(f64(-1), f64(3)), v3: q(0n, 0x1234_5678_9abc_def0n),
        want: { v0: q(lanes32(f32(3), f32(-1)), 0x1234_5678_9abc_def0n) } },
      // Round to odd: 1 + 2^-40 becomes 1 + 2^-23.
      { insn: "fcvtxn s0, d1", v1: f64(1 + 2 ** -40), want: { v0: 0x3f80_0001n, fpsr: IXC } },
      { insn: "fcvtl2 v0.2d, v1.4s", v1: lanes32(0n, 0n, f32(1.5), 0x8000_0000n), want: { v0: q(0x8000_0000_0000_0000n, f64(1.5)) } },
      { insn: "fcvtl v0.4s, v1.4h", v1: 0x7e00_fc00_c000_3c00n, fpcr: DN, want: { v0: lanes32(S_ONE, f32(-2), 0xff80_0000n, S_QNAN) } },
    ]);
    expect(bad, bad.join("\n")).toEqual([]);
  });

  it("every handler checks the FP/AdvSIMD enable first (CPACR_EL1.FPEN = 0: EC 0x07, Vd unchanged)", async () => {
    const insns = ["fadd v0.4s, v1.4s, v2.4s", "fmul v0.2d, v1.2d, v2.d[1]", "faddp d0, v1.2d", "fmaxv s0, v1.4s",
      "fsqrt v0.4s, v1.4s", "fcvtn v0.4h, v1.4s", "fcvtl v0.2d, v1.2s", "scvtf v0.4s, v1.4s, #3"];
    for (const insn of insns) {
      const r = await fpRun(`${insn}\n hvc #0`, { cpacr: 0n, v: { 0: 0x1234n } });
      const t = takenEL1(r.core, r.exit);
      expect(t.ec, insn).toBe(0x07);
      expect(t.elr, insn).toBe(ENTRY);
      expect(r.core.v(0), insn).toBe(0x1234n);
    }
  });
});
