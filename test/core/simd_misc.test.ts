// Advanced SIMD integer two-register misc, across lanes, shift by immediate
// and by element (group MISC), vector and scalar forms.
//
// - A few results worked out by hand from the Arm ARM pseudocode.
// - Differential: every instruction form, in every arrangement and scalar
//   size, on deterministic pseudo-random inputs biased towards the edges
//   (0, all ones, sign bits, saturation boundaries, shift amounts at their
//   limits), must give the same V0, X0, FPSR (QC) and NZCV as qemu-aarch64
//   (-cpu cortex-a57). Forms that read Vd start from a random V0.
// - Allocation: every encoding of the four groups (all values of the fields
//   that select the instruction and its size) is UNDEFINED on armvisor
//   exactly when it raises SIGILL under QEMU, and a list of reserved
//   encodings is checked to be UNDEFINED without QEMU.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { DATA, hex, takenEL1, VEC_CUR_SPX_SYNC } from "../helpers/machine";
import {
  fpRun, checkFpCases, runFpBatch, runFpBatchQemu, hasQemuUser, describeMismatch, type FpCase,
} from "../helpers/fp";

const QC = 1 << 27;
const qemuUser = hasQemuUser();
if (!qemuUser) console.warn("simd_misc.test.ts: qemu-aarch64 not found: the differential tests are skipped");

// ---- deterministic inputs ------------------------------------------------------------------
const M64 = (1n << 64n) - 1n;
let seed = 0x5eed_1234_abcd_0001n;
function next64(): bigint { // splitmix64
  seed = (seed + 0x9e37_79b9_7f4a_7c15n) & M64;
  let z = seed;
  z = ((z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn) & M64;
  return z ^ (z >> 31n);
}
const rnd = (n: number): number => Number(next64() % BigInt(n));

// One element of `bits` bits: mostly edge values, else random.
function lane(bits: number): bigint {
  const m = (1n << BigInt(bits)) - 1n, b = BigInt(bits);
  switch (rnd(12)) {
    case 0: return 0n;
    case 1: return m;                                    // -1
    case 2: return 1n << (b - 1n);                       // MIN
    case 3: return m >> 1n;                              // MAX
    case 4: return BigInt([1, 2, -2, 3][rnd(4)]) & m;
    case 5: case 6: {                                    // +-2^k + {-1, 0, 1}: saturation boundaries
      const k = BigInt(rnd(bits));
      const v = (1n << k) + BigInt(rnd(3) - 1);
      return (rnd(2) ? -v : v) & m;
    }
    case 7: return (next64() & m) >> BigInt(rnd(bits)); // random with leading zeros
    default: return next64() & m;
  }
}
function vec(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < 128 / bits; i++) v |= lane(bits) << BigInt(i * bits);
  return v;
}

// ---- the instruction forms ---------------------------------------------------------------------
const ES: Record<string, number> = { "8b": 8, "16b": 8, "4h": 16, "8h": 16, "2s": 32, "4s": 32, "1d": 64, "2d": 64, b: 8, h: 16, s: 32, d: 64 };
interface Form { name: string; gen: () => string; bits: number; acc?: boolean }
const forms: Form[] = [];
const ACC = "mov v0.16b, v3.16b; ";
function form(name: string, bits: number, gen: () => string, acc = false): void { forms.push({ name, gen, bits, acc }); }
const fixed = (insn: string, bits: number, acc = false) => form(insn, bits, () => insn, acc);
const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
// A shift amount in lo..hi, the limits more often than the rest.
const amount = (lo: number, hi: number): number => (rnd(3) === 0 ? pick([lo, hi]) : lo + rnd(hi - lo + 1));

const SAME_ALL = ["8b", "16b", "4h", "8h", "2s", "4s", "2d"];
const SAME_NO_D = ["8b", "16b", "4h", "8h", "2s", "4s"];
const NARROW: [string, string][] = [["8b", "8h"], ["4h", "4s"], ["2s", "2d"]];
const NARROW2: [string, string][] = [["16b", "8h"], ["8h", "4s"], ["4s", "2d"]];
const WIDEN: [string, string][] = [["8h", "8b"], ["4s", "4h"], ["2d", "2s"]];
const WIDEN2: [string, string][] = [["8h", "16b"], ["4s", "8h"], ["2d", "4s"]];
const SCALAR_NARROW: [string, string][] = [["b", "h"], ["h", "s"], ["s", "d"]];

// Two-register misc.
for (const t of SAME_NO_D) fixed(`rev64 v0.${t}, v1.${t}`, ES[t]);
for (const t of ["8b", "16b", "4h", "8h"]) fixed(`rev32 v0.${t}, v1.${t}`, ES[t]);
for (const t of ["8b", "16b"]) for (const op of ["rev16", "cnt", "not", "rbit"]) fixed(`${op} v0.${t}, v1.${t}`, 8);
for (const [w, n] of [["4h", "8b"], ["8h", "16b"], ["2s", "4h"], ["4s", "8h"], ["1d", "2s"], ["2d", "4s"]]) {
  for (const op of ["saddlp", "uaddlp"]) fixed(`${op} v0.${w}, v1.${n}`, ES[n]);
  for (const op of ["sadalp", "uadalp"]) fixed(`${ACC}${op} v0.${w}, v1.${n}`, ES[n], true);
}
for (const t of SAME_ALL) {
  for (const op of ["suqadd", "usqadd"]) fixed(`${ACC}${op} v0.${t}, v1.${t}`, ES[t], true);
  for (const op of ["sqabs", "sqneg", "abs", "neg"]) fixed(`${op} v0.${t}, v1.${t}`, ES[t]);
  for (const op of ["cmgt", "cmge", "cmeq", "cmle", "cmlt"]) fixed(`${op} v0.${t}, v1.${t}, #0`, ES[t]);
}
for (const t of SAME_NO_D) for (const op of ["cls", "clz"]) fixed(`${op} v0.${t}, v1.${t}`, ES[t]);
for (const op of ["xtn", "sqxtun", "sqxtn", "uqxtn"]) {
  for (const [n, w] of NARROW) fixed(`${op} v0.${n}, v1.${w}`, ES[w]);
  for (const [n, w] of NARROW2) fixed(`${ACC}${op}2 v0.${n}, v1.${w}`, ES[w], true);
}
for (const [w, n] of WIDEN) fixed(`shll v0.${w}, v1.${n}, #${ES[n]}`, ES[n]);
for (const [w, n] of WIDEN2) fixed(`shll2 v0.${w}, v1.${n}, #${ES[n]}`, ES[n]);
for (const t of ["b", "h", "s", "d"]) {
  for (const op of ["suqadd", "usqadd"]) fixed(`${ACC}${op} ${t}0, ${t}1`, ES[t], true);
  for (const op of ["sqabs", "sqneg"]) fixed(`${op} ${t}0, ${t}1`, ES[t]);
}
for (const op of ["cmgt", "cmge", "cmeq", "cmle", "cmlt"]) fixed(`${op} d0, d1, #0`, 64);
for (const op of ["abs", "neg"]) fixed(`${op} d0, d1`, 64);
for (const op of ["sqxtun", "sqxtn", "uqxtn"]) for (const [n, w] of SCALAR_NARROW) fixed(`${op} ${n}0, ${w}1`, ES[w]);

// Across lanes.
for (const op of ["saddlv", "uaddlv"]) for (const [r, t] of [["h", "8b"], ["h", "16b"], ["s", "4h"], ["s", "8h"], ["d", "4s"]]) fixed(`${op} ${r}0, v1.${t}`, ES[t]);
for (const op of ["smaxv", "umaxv", "sminv", "uminv", "addv"]) for (const [r, t] of [["b", "8b"], ["b", "16b"], ["h", "4h"], ["h", "8h"], ["s", "4s"]]) fixed(`${op} ${r}0, v1.${t}`, ES[t]);

// Shift by immediate.
const RIGHT = ["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"];
const RIGHT_ACC = new Set(["ssra", "usra", "srsra", "ursra", "sri"]);
const LEFT = ["shl", "sli", "sqshl", "uqshl", "sqshlu"];
for (const t of SAME_ALL) {
  const es = ES[t];
  for (const op of RIGHT) {
    const acc = RIGHT_ACC.has(op);
    form(`${op} .${t}`, es, () => `${acc ? ACC : ""}${op} v0.${t}, v1.${t}, #${amount(1, es)}`, acc);
  }
  for (const op of LEFT) form(`${op} .${t}`, es, () => `${op === "sli" ? ACC : ""}${op} v0.${t}, v1.${t}, #${amount(0, es - 1)}`, op === "sli");
}
const NARROW_SHIFTS = ["shrn", "rshrn", "sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"];
for (const op of NARROW_SHIFTS) {
  for (const [n, w] of NARROW) form(`${op} .${n}`, ES[w], () => `${op} v0.${n}, v1.${w}, #${amount(1, ES[n])}`);
  for (const [n, w] of NARROW2) form(`${op}2 .${n}`, ES[w], () => `${ACC}${op}2 v0.${n}, v1.${w}, #${amount(1, ES[n])}`, true);
}
for (const op of ["sshll", "ushll"]) {
  for (const [w, n] of WIDEN) form(`${op} .${w}`, ES[n], () => `${op} v0.${w}, v1.${n}, #${amount(0, ES[n] - 1)}`);
  for (const [w, n] of WIDEN2) form(`${op}2 .${w}`, ES[n], () => `${op}2 v0.${w}, v1.${n}, #${amount(0, ES[n] - 1)}`);
}
for (const op of ["sxtl", "uxtl"]) {
  for (const [w, n] of WIDEN) fixed(`${op} v0.${w}, v1.${n}`, ES[n]);
  for (const [w, n] of WIDEN2) fixed(`${op}2 v0.${w}, v1.${n}`, ES[n]);
}
for (const op of RIGHT) {
  const acc = RIGHT_ACC.has(op);
  form(`${op} d`, 64, () => `${acc ? ACC : ""}${op} d0, d1, #${amount(1, 64)}`, acc);
}
for (const op of ["shl", "sli"]) form(`${op} d`, 64, () => `${op === "sli" ? ACC : ""}${op} d0, d1, #${amount(0, 63)}`, op === "sli");
for (const op of ["sqshl", "uqshl", "sqshlu"]) for (const t of ["b", "h", "s", "d"]) form(`${op} ${t}`, ES[t], () => `${op} ${t}0, ${t}1, #${amount(0, ES[t] - 1)}`);
for (const op of ["sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"]) {
  for (const [n, w] of SCALAR_NARROW) form(`${op} ${n}`, ES[w], () => `${op} ${n}0, ${w}1, #${amount(1, ES[n])}`);
}

// By element (Vm = V2, within V0-V15 as the 16-bit forms require).
const ELEM_T: [string, string][] = [["4h", "h"], ["8h", "h"], ["2s", "s"], ["4s", "s"]];
const idx = (e: string) => rnd(e === "h" ? 8 : 4);
for (const [t, e] of ELEM_T) {
  for (const op of ["mul", "sqdmulh", "sqrdmulh"]) form(`${op} .${t}`, ES[e], () => `${op} v0.${t}, v1.${t}, v2.${e}[${idx(e)}]`);
  for (const op of ["mla", "mls"]) form(`${op} .${t}`, ES[e], () => `${ACC}${op} v0.${t}, v1.${t}, v2.${e}[${idx(e)}]`, true);
}
const LONG_ELEM = ["smull", "umull", "smlal", "umlal", "smlsl", "umlsl", "sqdmull", "sqdmlal", "sqdmlsl"];
for (const op of LONG_ELEM) {
  const acc = !op.endsWith("mull");
  for (const [w, n, e] of [["4s", "4h", "h"], ["2d", "2s", "s"]]) {
    form(`${op} .${w}`, ES[e], () => `${acc ? ACC : ""}${op} v0.${w}, v1.${n}, v2.${e}[${idx(e)}]`, acc);
  }
  for (const [w, n, e] of [["4s", "8h", "h"], ["2d", "4s", "s"]]) {
    form(`${op}2 .${w}`, ES[e], () => `${acc ? ACC : ""}${op}2 v0.${w}, v1.${n}, v2.${e}[${idx(e)}]`, acc);
  }
}
for (const op of ["sqdmulh", "sqrdmulh"]) for (const e of ["h", "s"]) form(`${op} ${e}`, ES[e], () => `${op} ${e}0, ${e}1, v2.${e}[${idx(e)}]`);
for (const op of ["sqdmull", "sqdmlal", "sqdmlsl"]) {
  for (const [w, e] of [["s", "h"], ["d", "s"]]) {
    const acc = op !== "sqdmull";
    form(`${op} ${w}`, ES[e], () => `${acc ? ACC : ""}${op} ${w}0, ${e}1, v2.${e}[${idx(e)}]`, acc);
  }
}

// Vd as a source as well as the destination.
for (const insn of [
  "rev64 v0.16b, v0.16b", "sqxtn2 v0.16b, v0.8h", "xtn2 v0.4s, v0.2d", "sadalp v0.2d, v0.4s", "usqadd v0.4s, v0.4s",
  "suqadd v0.2d, v0.2d", "ssra v0.2d, v0.2d, #3", "sri v0.8h, v0.8h, #5", "sli v0.4s, v0.4s, #7", "uqrshrn2 v0.8h, v0.4s, #3",
  "ushll2 v0.2d, v0.4s, #9", "shll2 v0.8h, v0.16b, #8", "mla v0.8h, v0.8h, v0.h[3]", "smlal2 v0.4s, v0.8h, v0.h[7]",
  "sqdmlsl2 v0.2d, v0.4s, v0.s[3]", "sqrdmulh v0.4s, v0.4s, v0.s[1]", "neg v0.16b, v0.16b", "umaxv h0, v0.8h",
  // Vm numbers with the high bit (32-bit elements) and V15 (16-bit elements)
  "mov v18.16b, v2.16b; mul v0.4s, v1.4s, v18.s[3]", "mov v31.16b, v2.16b; sqdmull2 v0.2d, v1.4s, v31.s[1]",
  "mov v15.16b, v2.16b; mls v0.8h, v1.8h, v15.h[5]", "mov v15.16b, v2.16b; sqrdmulh h0, h1, v15.h[6]",
]) fixed(`${ACC}${insn}`, 8 << rnd(4), true);

// Fewer under ARMVISOR_TEST_JIT=1: the JIT compiles every page of the batch once.
const CASES_PER_FORM = process.env.ARMVISOR_TEST_JIT === "1" ? 4 : 32;
function buildCases(): FpCase[] {
  const cases: FpCase[] = [];
  for (const f of forms) {
    for (let i = 0; i < CASES_PER_FORM; i++) {
      cases.push({ insn: f.gen(), name: f.name, v1: vec(f.bits), v2: vec(f.bits), v3: vec(f.bits), want: {} });
    }
  }
  return cases;
}

// ---- architectural results worked out by hand --------------------------------------------------
const q = (hi: bigint, lo: bigint): bigint => (hi << 64n) | lo;
describe("hand-computed results", () => {
  it("two-register misc, across lanes, shifts, by element", async () => {
    const cases: FpCase[] = [
      { insn: "cnt v0.8b, v1.8b", v1: q(0x1234n, 0xff00_8001_0703_0f7fn), want: { v0: 0x0800_0101_0302_0407n } },
      { insn: "rev64 v0.4s, v1.4s", v1: q(0x1111_1111_2222_2222n, 0x3333_3333_4444_4444n), want: { v0: q(0x2222_2222_1111_1111n, 0x4444_4444_3333_3333n) } },
      { insn: "rev16 v0.16b, v1.16b", v1: q(0x0102_0304_0506_0708n, 0x090a_0b0c_0d0e_0f10n), want: { v0: q(0x0201_0403_0605_0807n, 0x0a09_0c0b_0e0d_100fn) } },
      { insn: "cls v0.4h, v1.4h", v1: 0xffff_0000_8000_0fffn, want: { v0: 0x000f_000f_0000_0003n } },
      { insn: "clz v0.2s, v1.2s", v1: q(1n, 0x0000_0000_0001_0000n), want: { v0: 0x0000_0020_0000_000fn } },
      { insn: "sqabs v0.8b, v1.8b", v1: 0x80_7f_81_00_ff_01_80_02n, want: { v0: 0x7f_7f_7f_00_01_01_7f_02n, fpsr: QC } },
      { insn: "sqneg d0, d1", v1: q(5n, 0x8000_0000_0000_0000n), want: { v0: 0x7fff_ffff_ffff_ffffn, fpsr: QC } },
      { insn: "cmlt d0, d1, #0", v1: q(5n, 0x8000_0000_0000_0000n), want: { v0: 0xffff_ffff_ffff_ffffn } },
      { insn: "uaddlv h0, v1.16b", v1: (1n << 128n) - 1n, want: { v0: 0xff0n } },
      { insn: "saddlv d0, v1.4s", v1: q(0x8000_0000_8000_0000n, 0x8000_0000_ffff_ffffn), want: { v0: 0xffff_fffe_7fff_ffffn } },
      { insn: "umaxv b0, v1.16b", v1: q(0x0102_0304_0506_0708n, 0x90a0_b0c0_d0e0_f0fen), want: { v0: 0xfen } },
      { insn: "sminv h0, v1.8h", v1: q(0x7fff_0001_8001_0000n, 0x8000_ffff_0000_1234n), want: { v0: 0x8000n } },
      { insn: "sqxtn b0, h1", v1: 0x7fffn, want: { v0: 0x7fn, fpsr: QC } },
      { insn: "uqxtn s0, d1", v1: 0x1_0000_0000n, want: { v0: 0xffff_ffffn, fpsr: QC } },
      { insn: "sqxtun h0, s1", v1: 0xffff_fff0n, want: { v0: 0n, fpsr: QC } },
      { insn: "xtn2 v0.16b, v1.8h", v1: q(0x00ff_0011_0022_0033n, 0x0044_0055_0066_1077n), want: { v0: q(0xff11_2233_4455_6677n, 0xc3c3_c3c3_3c3c_3c3cn) } },
      { insn: "shrn v0.8b, v1.8h, #4", v1: q(0x1234_5678_9abc_def0n, 0x0ff0_f00f_ffff_0000n), want: { v0: 0x23_67_ab_ef_ff_00_ff_00n } },
      { insn: "uqrshrn b0, h1, #1", v1: 0x01ffn, want: { v0: 0xffn, fpsr: QC } },
      { insn: "ushr d0, d1, #64", v1: 0xffff_ffff_ffff_ffffn, want: { v0: 0n } },
      { insn: "urshr d0, d1, #64", v1: 0x8000_0000_0000_0000n, want: { v0: 1n } },
      { insn: "srshr d0, d1, #64", v1: 0x8000_0000_0000_0000n, want: { v0: 0n } },
      { insn: "sshr v0.2d, v1.2d, #64", v1: q(0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn), want: { v0: q(0xffff_ffff_ffff_ffffn, 0n) } },
      { insn: "sqshlu b0, b1, #2", v1: 0x80n, want: { v0: 0n, fpsr: QC } },
      { insn: "uqshl d0, d1, #1", v1: 0x8000_0000_0000_0000n, want: { v0: 0xffff_ffff_ffff_ffffn, fpsr: QC } },
      { insn: "sli v0.4s, v1.4s, #8", v1: q(0x1111_1111_2222_2222n, 0x3333_3333_4444_4444n), want: { v0: q(0x1111_11a5_2222_225an, 0x3333_33c3_4444_443cn) } },
      { insn: "sxtl v0.8h, v1.8b", v1: 0x80_7f_01_ff_00_02_fe_81n, want: { v0: q(0xff80_007f_0001_ffffn, 0x0000_0002_fffe_ff81n) } },
      { insn: "sqdmulh v0.4h, v1.4h, v2.h[7]", v1: 0x8000_4000_0001_ffffn, v2: q(0x8000_0000_0000_0000n, 0n), want: { v0: 0x7fff_c000_ffff_0001n, fpsr: QC } },
      { insn: "sqrdmulh s0, s1, v2.s[1]", v1: 0x4000_0000n, v2: 0x4000_0000_0000_0000n, want: { v0: 0x2000_0000n } },
      { insn: "sqdmull d0, s1, v2.s[3]", v1: 0x8000_0000n, v2: q(0x8000_0000_0000_0000n, 0n), want: { v0: 0x7fff_ffff_ffff_ffffn, fpsr: QC } },
      { insn: "umull2 v0.2d, v1.4s, v2.s[0]", v1: q(0xffff_ffff_0000_0002n, 0n), v2: 0xffff_ffffn, want: { v0: q(0xffff_fffe_0000_0001n, 0x1_ffff_fffen) } },
      { insn: "mls v0.4s, v1.4s, v2.s[2]", v1: q(0n, 0x1_0000_0003n), v2: q(2n, 0n), want: { v0: q(0xa5a5_a5a5_5a5a_5a5an, 0xc3c3_c3c1_3c3c_3c36n) } },
    ];
    const bad = await checkFpCases(cases);
    expect(bad, bad.join("\n")).toEqual([]);
  });
});

// ---- differential against QEMU -----------------------------------------------------------------
const CHUNK = 2500;
describe.skipIf(!qemuUser)("differential against qemu-aarch64", () => {
  it(`every form, ${CASES_PER_FORM} cases each`, async () => {
    const cases = buildCases();
    expect(forms.length).toBeGreaterThan(300);
    const bad: string[] = [];
    for (let i = 0; i < cases.length; i += CHUNK) {
      const chunk = cases.slice(i, i + CHUNK);
      const ours = await runFpBatch(chunk);
      const theirs = runFpBatchQemu(chunk);
      chunk.forEach((c, j) => {
        const t = theirs[j];
        const m = describeMismatch({ ...c, name: c.insn, want: { v0: t.v0, x0: t.x0, fpsr: t.fpsr, nzcv: t.nzcv } }, ours[j]);
        if (m) bad.push(m);
      });
    }
    expect(bad.slice(0, 40), `${bad.length} mismatches of ${cases.length}:\n${bad.slice(0, 40).join("\n")}`).toEqual([]);
  }, 60_000);
});

// ---- allocation: which encodings are UNDEFINED ---------------------------------------------------
// Every encoding of the four groups with Rd = 0, Rn = 1, Rm = 2, varying the
// fields that select the instruction, its size and Q.
function groupEncodings(): number[] {
  const out: number[] = [];
  const rn = 1 << 5;
  for (let q = 0; q < 2; q++) for (let u = 0; u < 2; u++) for (let size = 0; size < 4; size++) {
    for (let opc = 0; opc < 32; opc++) {
      // two-register misc (the integer opcodes), vector and scalar
      if (opc < 0x0c || (opc >= 0x10 && opc <= 0x15)) {
        out.push((0x0e20_0800 | (q << 30) | (u << 29) | (size << 22) | (opc << 12) | rn) >>> 0);
        if (q) out.push((0x5e20_0800 | (u << 29) | (size << 22) | (opc << 12) | rn) >>> 0);
      }
      // across lanes (without FMAXNMV/FMAXV/FMINNMV/FMINV)
      if (opc !== 0x0c && opc !== 0x0f) out.push((0x0e30_0800 | (q << 30) | (u << 29) | (size << 22) | (opc << 12) | rn) >>> 0);
    }
    // by element (without the floating-point opcodes 0001, 0101, 1001)
    for (let opc = 0; opc < 16; opc++) {
      if (opc === 1 || opc === 5 || opc === 9) continue;
      for (let hlm = 0; hlm < 8; hlm++) {
        const h = hlm >> 2, l = (hlm >> 1) & 1, m = hlm & 1;
        const enc = (size << 22) | (l << 21) | (m << 20) | (2 << 16) | (opc << 12) | (h << 11) | rn;
        out.push((0x0f00_0000 | (q << 30) | (u << 29) | enc) >>> 0);
        if (q) out.push((0x5f00_0000 | (u << 29) | enc) >>> 0);
      }
    }
  }
  // shift by immediate (immh != 0; without SCVTF/UCVTF and FCVTZS/FCVTZU)
  for (let q = 0; q < 2; q++) for (let u = 0; u < 2; u++) for (let immh = 1; immh < 16; immh++) {
    for (const immb of [0, 5]) for (let opc = 0; opc < 32; opc++) {
      if (opc === 0x1c || opc === 0x1f) continue;
      const enc = (u << 29) | (immh << 19) | (immb << 16) | (opc << 11) | rn;
      out.push((0x0f00_0400 | (q << 30) | enc) >>> 0);
      if (q) out.push((0x5f00_0400 | enc) >>> 0);
    }
  }
  return out;
}

// Per encoding: 0 when it executed, 0x100 + EC when it trapped (armvisor: the
// EL1 synchronous vector; QEMU: 0x100 from the SIGILL handler). X22 holds the
// address to resume at.
function sweepBody(encs: number[]): string {
  return encs.map((x) => `  adr x22, 1f\n  mov x0, #0\n  .inst 0x${x.toString(16)}\n1: str x0, [x21], #8`).join("\n");
}

async function sweepArmvisor(encs: number[]): Promise<bigint[]> {
  const out = DATA;
  const src = [
    "  adr x9, undef_vectors", "  msr vbar_el1, x9", "  isb",
    sweepBody(encs),
    "  hvc #0",
    "  .balign 2048", "undef_vectors:", "  .skip 0x200",
    "  mrs x0, esr_el1", "  lsr x0, x0, #26", "  add x0, x0, #0x100", "  msr elr_el1, x22", "  eret",
  ].join("\n");
  const r = await fpRun(src, { regs: { 21: out }, maxInsns: BigInt(encs.length * 12 + 100) });
  expect(r.exit.kind).toBe("hvc");
  const bytes = r.core.readRam(out, encs.length * 8);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encs.map((_, i) => dv.getBigUint64(i * 8, true));
}

function sweepQemu(encs: number[]): bigint[] {
  const outLen = encs.length * 8;
  // rt_sigaction(SIGILL, {handler, SA_NODEFER}, NULL, 8); the handler resets
  // SP (it never returns: signal frames would pile up) and resumes at X22.
  const src = [
    "  .text", "  .global _start", "_start:",
    "  mov x23, sp",
    "  mov x0, #4", "  adrp x1, act", "  add x1, x1, :lo12:act", "  mov x2, #0", "  mov x3, #8", "  mov x8, #134", "  svc #0",
    "  adrp x21, out_data", "  add x21, x21, :lo12:out_data",
    sweepBody(encs),
    "  mov x0, #1", "  adrp x1, out_data", "  add x1, x1, :lo12:out_data", `  ldr x2, =${outLen}`, "  mov x8, #64", "  svc #0",
    "  mov x0, #0", "  mov x8, #93", "  svc #0",
    "sigill:", "  mov sp, x23", "  mov x0, #0x100", "  br x22",
    "  .ltorg",
    "  .data", "  .balign 16", "act:", "  .quad sigill", "  .quad 0x40000000", "  .quad 0", "  .quad 0",
    "  .bss", "  .balign 16", "out_data:", `  .space ${outLen}`, "",
  ].join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "armvisor-sweep-"));
  try {
    const s = path.join(dir, "t.s"), o = path.join(dir, "t.o"), elf = path.join(dir, "t.elf");
    fs.writeFileSync(s, src);
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { maxBuffer: 1 << 26 });
      if (r.error || r.status !== 0) throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr}`);
      return r.stdout;
    };
    run("aarch64-linux-gnu-as", ["-march=armv8-a", "-o", o, s]);
    run("aarch64-linux-gnu-ld", ["-static", "-o", elf, o]);
    const out = run(process.env.QEMU_USER ?? "qemu-aarch64", ["-cpu", "cortex-a57", elf]);
    expect(out.length).toBe(outLen);
    return encs.map((_, i) => out.readBigUInt64LE(i * 8));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the FP/AdvSIMD enable check", () => {
  it("every handler traps with CPACR_EL1.FPEN = 0 (EC 0x07)", async () => {
    for (const insn of [
      "abs v0.4s, v1.4s", "rev64 v0.16b, v1.16b", "uadalp v0.2d, v1.4s", "addv b0, v1.16b", "ssra v0.2d, v1.2d, #1",
      "sqrshrn2 v0.16b, v1.8h, #2", "uxtl v0.8h, v1.8b", "mla v0.4s, v1.4s, v2.s[0]", "smlal v0.4s, v1.4h, v2.h[1]",
    ]) {
      const r = await fpRun(`${insn}\n hvc #0`, { cpacr: 0n });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, insn).toBe(0x07);
    }
  });
});

describe("UNDEFINED encodings", () => {
  it("reserved sizes, Q = 0 with 64-bit elements, unallocated opcodes, FEAT_RDM and FEAT_DotProd", async () => {
    const reserved = [
      0x2ea0_0820, // rev32 with size 10
      0x4e60_1820, // rev16 with size 01
      0x0ee0_2820, // saddlp with size 11
      0x0ee0_3820, // suqadd v0.1d
      0x0ee0_7820, // sqabs v0.1d
      0x0ee0_8820, // cmgt v0.1d, #0
      0x0ee0_b820, // abs v0.1d
      0x5e60_b820, // abs h0 (scalar: 64-bit only)
      0x7e20_8820, // cmge b0, #0
      0x5e20_4820, // cls b0 (no scalar form)
      0x5e21_2820, // xtn b0 (no scalar form)
      0x0e61_3820, // shll with U = 0
      0x0ee1_2820, // xtn with size 11
      0x2e61_0820, // U = 1 opcode 00001
      0x0e21_0820, 0x0e21_5820, // opcodes 10000, 10101
      0x0e60_5820, // cnt with size 01
      0x2ea0_5820, // size 10 of NOT/RBIT
      0x0eb1_b820, // addv s0, v1.2s
      0x4ef1_b820, // addv d0, v1.2d
      0x2e31_b820, // U = 1 opcode 11011
      0x0eb0_3820, // saddlv d0, v1.2s
      0x0f40_0420, // sshr v0.1d (immh 1xxx, Q = 0)
      0x5f10_0420, // sshr with a 16-bit scalar
      0x5f20_5420, // shl with a 32-bit scalar
      0x0f08_4420, // opcode 01000 with U = 0
      0x0f08_6420, // opcode 01100 with U = 0
      0x0f40_8420, // shrn with immh 1xxx
      0x4f40_a420, // sshll2 with immh 1xxx
      0x5f08_8420, // shrn has no scalar form
      0x5f08_a420, // sshll has no scalar form
      0x0f08_b420, // opcode 10110
      0x0f00_8020, 0x0fc0_8020, // mul by element with size 00 and 11
      0x4f42_0020, // by element U = 0 opcode 0000
      0x2f42_d020, // sqrdmlah (FEAT_RDM)
      0x2f42_f020, // sqrdmlsh (FEAT_RDM)
      0x0f82_e020, // sdot (FEAT_DotProd)
      0x2f82_e020, // udot
      0x5f42_8020, // mul has no scalar form
      0x5f42_2020, // smlal has no scalar form
      0x7f42_d020, // sqrdmlah scalar
    ];
    const got = await sweepArmvisor(reserved);
    const bad = reserved.filter((_, i) => got[i] !== 0x100n).map((x, i) => `${hex(BigInt(x))}: ${hex(got[reserved.indexOf(x)])}`);
    expect(bad, bad.join("\n")).toEqual([]);
    // and one through the ordinary test vector, with its syndrome
    const r = await fpRun(".inst 0x0eb1b820\n hvc #0");
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(0);
  });

  it.skipIf(!qemuUser)("every encoding of the four groups: UNDEFINED exactly when QEMU raises SIGILL", async () => {
    const encs = groupEncodings();
    const ours = await sweepArmvisor(encs);
    const theirs = sweepQemu(encs);
    const bad: string[] = [];
    encs.forEach((x, i) => {
      if (ours[i] !== theirs[i]) bad.push(`${hex(BigInt(x))}: armvisor ${ours[i] ? "UNDEFINED" : "executes"} (${hex(ours[i])}), QEMU ${theirs[i] ? "SIGILL" : "executes"}`);
    });
    const executed = theirs.filter((x) => x === 0n).length;
    expect(executed).toBeGreaterThan(1000);
    expect(bad.slice(0, 40), `${bad.length} of ${encs.length} differ:\n${bad.slice(0, 40).join("\n")}`).toEqual([]);
  }, 60_000);
});
