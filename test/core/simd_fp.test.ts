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
import { DATA, hex, takenEL1, VEC_CUR_SPX_SYNC } from "../helpers/machine";
import {
  fpRun, checkFpCases, runFpBatch, runFpBatchQemu, hasQemuUser, describeMismatch, f32, f64, q,
  IOC, DZC, OFC, UFC, IXC, IDC, RN, RP, RM, RZ, FZ, DN, AHP, type FpCase,
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
        byElem.push({ insn: `${acc}${op} v0.${t}, v1.${t}, v2.${es === 32 ? "s" : "d"}[${i}]`, gen: fpGen(es), n: 12 });
      }
    }
    for (const [r, es] of SC) {
      for (let i = 0; i < 128 / es; i++) byElem.push({ insn: `${acc}${op} ${r}0, ${r}1, v2.${r}[${i}]`, gen: fpGen(es), n: 12 });
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

function casesOf(forms: Form[]): FpCase[] {
  const cases: FpCase[] = [];
  for (const f of forms) {
    for (let k = 0; k < (f.n ?? 24) * Number(process.env.FPVEC_MULT ?? 1); k++) {
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
