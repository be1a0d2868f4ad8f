// Advanced SIMD group THREE: three same (integer and logical, vector and
// scalar), three different (vector and scalar, PMULL with bytes and with
// doublewords), table lookup (TBL, TBX), permute (UZP, TRN, ZIP) and EXT.
//
// A few architectural results worked out by hand, the reserved encodings
// (UNDEFINED), the FP/AdvSIMD enable trap, and the main check: every form in
// every arrangement on deterministic pseudo-random and edge inputs, run on
// armvisor and under qemu-aarch64, which must agree exactly on V0, X0, FPSR
// (QC) and NZCV. Without qemu-aarch64 the differential part is skipped.
import { describe, it, expect } from "vitest";
import { ENTRY, DATA, hex, takenEL1, VEC_CUR_SPX_SYNC } from "../helpers/machine";
import {
  fpRun, checkFpCases, runFpBatch, runFpBatchQemu, hasQemuUser, describeMismatch, q, GARBAGE_Q, type FpCase,
} from "../helpers/fp";

const QC = 1 << 27;
const EC_UNKNOWN = 0x00;
const ESR_FP_TRAP = 0x1fe0_0000n;
const GARBAGE_LO = GARBAGE_Q & ((1n << 64n) - 1n);
const qemuUser = hasQemuUser();
if (!qemuUser) console.warn("simd_three.test.ts: qemu-aarch64 not found: the differential tests are skipped");

// Hand-computed cases: armvisor must produce them, and so must QEMU where present.
async function expectCases(cases: FpCase[]): Promise<void> {
  const bad = await checkFpCases(cases);
  expect(bad, bad.join("\n")).toEqual([]);
  if (!qemuUser) return;
  const got = runFpBatchQemu(cases);
  const badQ = cases.map((c, i) => describeMismatch(c, got[i])).filter((x) => x);
  expect(badQ, "QEMU disagrees with the expectation: " + badQ.join("\n")).toEqual([]);
}
// Lanes to a 128-bit value, element 0 first.
function lanes(esize: number, xs: (number | bigint)[]): bigint {
  let v = 0n;
  const m = (1n << BigInt(esize)) - 1n;
  xs.forEach((x, i) => { v |= (BigInt.asUintN(esize, BigInt(x)) & m) << BigInt(i * esize); });
  return v;
}

// ---- hand-computed architectural results ------------------------------------------------
describe("architectural results", () => {
  it("three same: arithmetic, compares, saturation (QC), shifts, logical", async () => {
    await expectCases([
      { insn: "add v0.2s, v1.2s, v2.2s", v1: q(9n, 0x0000_0001_ffff_ffffn), v2: q(9n, 0x0000_0002_0000_0001n), want: { v0: 0x0000_0003_0000_0000n } },
      { insn: "sub d0, d1, d2", v1: 5n, v2: 7n, want: { v0: 0xffff_ffff_ffff_fffen } },
      { insn: "add v0.16b, v1.16b, v2.16b", v1: lanes(8, Array(16).fill(0xff)), v2: lanes(8, Array(16).fill(1)), want: { v0: 0n } },
      { insn: "cmeq v0.8h, v1.8h, v2.8h", v1: lanes(16, [1, 2, 3, 4, 0, 0, 7, 0x8000]), v2: lanes(16, [1, 0, 3, 5, 0, 1, 7, 0x8000]),
        want: { v0: lanes(16, [-1, 0, -1, 0, -1, 0, -1, -1]) } },
      { insn: "cmtst v0.4s, v1.4s, v2.4s", v1: lanes(32, [1, 2, 0x8000_0000, 0]), v2: lanes(32, [3, 1, 0x8000_0000, -1]),
        want: { v0: lanes(32, [-1, 0, -1, 0]) } },
      { insn: "cmhi d0, d1, d2", v1: 0x8000_0000_0000_0000n, v2: 1n, want: { v0: 0xffff_ffff_ffff_ffffn } },
      { insn: "cmgt d0, d1, d2", v1: 0x8000_0000_0000_0000n, v2: 1n, want: { v0: 0n } },
      { insn: "sqadd b0, b1, b2", v1: 0x7fn, v2: 1n, want: { v0: 0x7fn, fpsr: QC } },
      { insn: "uqsub v0.8h, v1.8h, v2.8h", v1: lanes(16, [1, 5]), v2: lanes(16, [2, 3]), want: { v0: lanes(16, [0, 2]), fpsr: QC } },
      { insn: "sqadd d0, d1, d2", v1: 0x7fff_ffff_ffff_ffffn, v2: 1n, want: { v0: 0x7fff_ffff_ffff_ffffn, fpsr: QC } },
      { insn: "sqdmulh s0, s1, s2", v1: 0x8000_0000n, v2: 0x8000_0000n, want: { v0: 0x7fff_ffffn, fpsr: QC } },
      { insn: "sqrdmulh v0.4h, v1.4h, v2.4h", v1: lanes(16, [0x4000, 0x100, -0x8000, 3]), v2: lanes(16, [0x4000, 0x80, 0x7fff, 0x4000]),
        want: { v0: lanes(16, [0x2000, 1, -0x7fff, 2]) } },
      { insn: "sshl d0, d1, d2", v1: 0x8000_0000_0000_0000n, v2: 0xffn, want: { v0: 0xc000_0000_0000_0000n } },
      { insn: "urshl d0, d1, d2", v1: 0xffff_ffff_ffff_ffffn, v2: 0xc0n, want: { v0: 1n } },
      { insn: "uqshl b0, b1, b2", v1: 0x40n, v2: 2n, want: { v0: 0xffn, fpsr: QC } },
      { insn: "srshl v0.4s, v1.4s, v2.4s", v1: lanes(32, [-3, 5, 1, -1]), v2: lanes(32, [-1, -1, 31, -128]), want: { v0: lanes(32, [-1, 3, 0x8000_0000, 0]) } },
      { insn: "uhsub v0.8b, v1.8b, v2.8b", v1: lanes(8, [0, 10]), v2: lanes(8, [1, 4]), want: { v0: lanes(8, [0xff, 3]) } },
      { insn: "sabd v0.16b, v1.16b, v2.16b", v1: lanes(8, [0x80, 5]), v2: lanes(8, [0x7f, 9]), want: { v0: lanes(8, [0xff, 4]) } },
      { insn: "pmul v0.8b, v1.8b, v2.8b", v1: lanes(8, [3, 0x80]), v2: lanes(8, [3, 3]), want: { v0: lanes(8, [5, 0x80]) } },
      { insn: "addp v0.4s, v1.4s, v2.4s", v1: lanes(32, [1, 2, 3, 4]), v2: lanes(32, [10, 20, 30, 40]), want: { v0: lanes(32, [3, 7, 30, 70]) } },
      { insn: "uminp v0.8b, v1.8b, v2.8b", v1: lanes(8, [1, 2, 9, 4, 5, 6, 7, 8]), v2: lanes(8, [0xff, 0xfe, 3, 3, 0, 1, 2, 2]),
        want: { v0: lanes(8, [1, 4, 5, 7, 0xfe, 3, 0, 2]) } },
      { insn: "bsl v0.16b, v1.16b, v2.16b", v1: -1n, v2: 0n, want: { v0: GARBAGE_Q } },
      { insn: "bif v0.8b, v1.8b, v2.8b", v1: 0n, v2: 0xffff_0000_ffff_0000n, want: { v0: GARBAGE_LO & 0xffff_0000_ffff_0000n } },
      { insn: "orn v0.8b, v1.8b, v2.8b", v1: 0n, v2: 0xffff_ffff_0000_0000n, want: { v0: 0xffff_ffffn } },
    ]);
  });

  it("three different: long, wide, narrow (the 2 forms keep the low half), saturating doubling, PMULL", async () => {
    await expectCases([
      { insn: "smull2 v0.2d, v1.4s, v2.4s", v1: lanes(32, [0, 0, -2, 0x7fff_ffff]), v2: lanes(32, [0, 0, 3, 2]), want: { v0: lanes(64, [-6, 0xfffffffe]) } },
      { insn: "uaddw v0.4s, v1.4s, v2.4h", v1: lanes(32, [0xffff_ffff, 1, 2, 3]), v2: lanes(16, [1, 0xffff, 0, 0]), want: { v0: lanes(32, [0, 0x10000, 2, 3]) } },
      { insn: "addhn2 v0.16b, v1.8h, v2.8h", v1: lanes(16, [0x1280, 0xff00]), v2: lanes(16, [0x0080, 0x0100]),
        want: { v0: q(lanes(8, [0x13, 0x00]), GARBAGE_LO) } },
      { insn: "raddhn v0.8b, v1.8h, v2.8h", v1: lanes(16, [0x1280, 0x127f]), v2: 0n, want: { v0: lanes(8, [0x13, 0x12]) } },
      { insn: "sqdmull s0, h1, h2", v1: 0x8000n, v2: 0x8000n, want: { v0: 0x7fff_ffffn, fpsr: QC } },
      { insn: "sqdmlal d0, s1, s2", v1: 2n, v2: 3n, want: { v0: GARBAGE_LO + 12n } },
      { insn: "sabdl v0.8h, v1.8b, v2.8b", v1: lanes(8, [0x80, 1]), v2: lanes(8, [0x7f, 0xff]), want: { v0: lanes(16, [0xff, 2]) } },
      { insn: "pmull v0.8h, v1.8b, v2.8b", v1: lanes(8, [0xff, 3]), v2: lanes(8, [0xff, 3]), want: { v0: lanes(16, [0x5555, 5]) } },
      { insn: ".inst 0x0ee2e020 // pmull v0.1q, v1.1d, v2.1d", v1: q(7n, 0x8000_0000_0000_0001n), v2: q(7n, 3n),
        want: { v0: q(1n, 0x8000_0000_0000_0003n) } },
      { insn: ".inst 0x4ee2e020 // pmull2 v0.1q, v1.2d, v2.2d", v1: q(0x8000_0000_0000_0000n, 5n), v2: q(0x8000_0000_0000_0000n, 5n),
        want: { v0: q(0x4000_0000_0000_0000n, 0n) } },
    ]);
  });

  it("permute, EXT, TBL/TBX (tables wrap from V31 to V0)", async () => {
    await expectCases([
      { insn: "zip1 v0.4s, v1.4s, v2.4s", v1: lanes(32, [1, 2, 3, 4]), v2: lanes(32, [5, 6, 7, 8]), want: { v0: lanes(32, [1, 5, 2, 6]) } },
      { insn: "zip2 v0.8b, v1.8b, v2.8b", v1: lanes(8, [0, 1, 2, 3, 4, 5, 6, 7]), v2: lanes(8, [8, 9, 10, 11, 12, 13, 14, 15]),
        want: { v0: lanes(8, [4, 12, 5, 13, 6, 14, 7, 15]) } },
      { insn: "uzp2 v0.8h, v1.8h, v2.8h", v1: lanes(16, [0, 1, 2, 3, 4, 5, 6, 7]), v2: lanes(16, [8, 9, 10, 11, 12, 13, 14, 15]),
        want: { v0: lanes(16, [1, 3, 5, 7, 9, 11, 13, 15]) } },
      { insn: "trn1 v0.4h, v1.4h, v2.4h", v1: lanes(16, [0, 1, 2, 3, 9, 9, 9, 9]), v2: lanes(16, [4, 5, 6, 7]), want: { v0: lanes(16, [0, 4, 2, 6]) } },
      { insn: "ext v0.16b, v1.16b, v2.16b, #3", v1: 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100n, v2: 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110n,
        want: { v0: 0x1211_100f_0e0d_0c0b_0a09_0807_0605_0403n } },
      { insn: "ext v0.8b, v1.8b, v2.8b, #7", v1: q(0xeeeen, 0x0706_0504_0302_0100n), v2: q(0xeeeen, 0x1716_1514_1312_1110n), want: { v0: 0x1615_1413_1211_1007n } },
      { insn: "tbl v0.16b, {v1.16b}, v2.16b", v1: 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100n, v2: lanes(8, [15, 0, 16, 255, 3]),
        want: { v0: lanes(8, [15, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) } },
      { insn: "tbx v0.8b, {v1.16b, v2.16b}, v3.8b", v1: 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100n, v2: 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110n,
        v3: lanes(8, [31, 32, 16, 1, 64, 0, 0, 0]), want: { v0: (lanes(8, [0x1f, 0, 0x10, 1]) | (GARBAGE_LO & 0x00ff_0000_ff00n)) & ((1n << 64n) - 1n) } },
    ]);
    // TBL {V31, V0}: the second table register wraps around to V0.
    const r = await fpRun("tbl v5.16b, {v31.16b, v0.16b}, v1.16b\n hvc #0", {
      v: { 31: lanes(8, Array.from({ length: 16 }, (_, i) => 0x40 + i)), 0: lanes(8, Array.from({ length: 16 }, (_, i) => 0x80 + i)), 1: lanes(8, [0, 15, 16, 31, 32, 17]) },
    });
    expect(hex(r.core.v(5))).toBe(hex(lanes(8, [0x40, 0x4f, 0x80, 0x8f, 0, 0x81, ...Array(10).fill(0x40)])));
  });
});

// ---- reserved encodings and the enable trap --------------------------------------------------
describe("UNDEFINED and trapped encodings", () => {
  it("reserved sizes, Q = 0 with 64-bit elements, unallocated opcodes are UNDEFINED (EC 0x00)", async () => {
    const insns = [
      ".inst 0x0ee28420 // add v0.1d (size:Q = 110)",
      ".inst 0x0ee23420 // cmgt v0.1d",
      ".inst 0x4ee20420 // shadd v0.2d",
      ".inst 0x4ee29c20 // mul v0.2d",
      ".inst 0x6e629c20 // pmul v0.8h",
      ".inst 0x4e22b420 // sqdmulh v0.16b",
      ".inst 0x4ee2b420 // sqdmulh v0.2d",
      ".inst 0x6e22bc20 // U = 1, opcode 10111 (ADDP)",
      ".inst 0x4ee2a420 // smaxp v0.2d",
      ".inst 0x4ee26420 // smax v0.2d",
      ".inst 0x5ea28420 // add s0 (scalar: D only)",
      ".inst 0x5e220420 // scalar shadd",
      ".inst 0x7e228c20 // cmeq b0 (scalar: D only)",
      ".inst 0x5e22b420 // scalar sqdmulh b0",
      ".inst 0x5e229c20 // scalar mul",
      ".inst 0x0ee20020 // saddl size 11",
      ".inst 0x0e22f020 // three different opcode 1111",
      ".inst 0x2e629020 // U = 1, opcode 1001 (SQDMLAL)",
      ".inst 0x0e229020 // sqdmlal size 00",
      ".inst 0x0e62e020 // pmull size 01",
      ".inst 0x0ea2e020 // pmull size 10",
      ".inst 0x2e22e020 // U = 1, opcode 1110 (PMULL)",
      ".inst 0x5e220020 // scalar saddl",
      ".inst 0x5e22d020 // scalar sqdmull size 00",
      ".inst 0x7e62d020 // scalar U = 1 sqdmull",
      ".inst 0x4e020820 // permute opcode 000",
      ".inst 0x4e024820 // permute opcode 100",
      ".inst 0x0ec21820 // uzp1 v0.1d",
      ".inst 0x2e024020 // ext 8b #8",
      ".inst 0x6e420020 // ext op2 = 01",
      ".inst 0x4e420020 // tbl op2 = 01",
    ];
    for (const insn of insns) {
      const r = await fpRun(`${insn}\n hvc #0`, { v: { 0: GARBAGE_Q } });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, insn).toBe(EC_UNKNOWN);
      expect(t.elr, insn).toBe(ENTRY);
      expect(r.core.v(0), insn).toBe(GARBAGE_Q);
    }
  });

  it("every handler checks the FP/AdvSIMD enable first (CPACR_EL1.FPEN = 00: EC 0x07, V0 unchanged)", async () => {
    const insns = [
      "eor v0.16b, v1.16b, v2.16b", "add v0.4s, v1.4s, v2.4s", "cmeq v0.2d, v1.2d, v2.2d", "addp v0.4s, v1.4s, v2.4s",
      "mla v0.8h, v1.8h, v2.8h",
      "sqadd b0, b1, b2", "smull v0.2d, v1.2s, v2.2s", "sqdmull s0, h1, h2", ".inst 0x0ee2e020 // pmull v0.1q",
      "tbl v0.16b, {v1.16b}, v2.16b", "zip1 v0.4s, v1.4s, v2.4s", "ext v0.16b, v1.16b, v2.16b, #1",
    ];
    for (const insn of insns) {
      const r = await fpRun(`${insn}\n hvc #0`, { cpacr: 0n, regs: { 1: DATA }, v: { 0: GARBAGE_Q } });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
      expect(hex(t.esr), insn).toBe(hex(ESR_FP_TRAP));
      expect(r.core.v(0), insn).toBe(GARBAGE_Q);
    }
  });
});

// ---- differential: armvisor against qemu-aarch64 ----------------------------------------------

// A deterministic generator (mulberry32).
let seed = 0x5eed_3ee3;
function rnd(): number {
  seed = (seed + 0x6d2b_79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
const pick = <T>(xs: T[]): T => xs[rnd() % xs.length];
function bits(n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i += 32) v = (v << 32n) | BigInt(rnd());
  return BigInt.asUintN(n, v);
}
// An element of esize bits: an edge value (0, 1, all ones, the signed
// extremes and their neighbours, small values) or random bits.
function edge(esize: number): bigint {
  const top = 1n << BigInt(esize - 1), ones = (1n << BigInt(esize)) - 1n;
  switch (rnd() % 12) {
    case 0: return 0n;
    case 1: return 1n;
    case 2: return ones;
    case 3: return top;
    case 4: return top - 1n;
    case 5: return top + 1n;
    case 6: return ones - 1n;
    case 7: return BigInt(rnd() % 8);
    case 8: return BigInt.asUintN(esize, -BigInt(rnd() % 8));
    default: return bits(esize);
  }
}
// A 128-bit source: random, or elements of esize (sometimes of another size) from edge().
function vec(esize: number): bigint {
  const k = rnd() % 4;
  if (k == 0) return bits(128);
  const es = k == 3 ? pick([8, 16, 32, 64]) : esize;
  let v = 0n;
  for (let i = 0; i < 128; i += es) v |= edge(es) << BigInt(i);
  return v;
}
// Shift amounts: the low byte of each element is a signed shift around the
// interesting limits, the rest of the element random.
function shiftVec(esize: number): bigint {
  const amounts = [0, 1, -1, esize - 1, esize, esize + 1, -(esize - 1), -esize, -(esize + 1), 63, 64, 65, -63, -64, -65, 127, -128, -127];
  let v = 0n;
  for (let i = 0; i < 128; i += esize) {
    const sh = rnd() % 3 == 0 ? (rnd() & 0xff) : amounts[rnd() % amounts.length] & 0xff;
    const hi = esize > 8 && rnd() % 2 ? bits(esize - 8) << 8n : 0n;
    v |= (hi | BigInt(sh)) << BigInt(i);
  }
  return v;
}
// Table indices: mostly within 4 tables (0..63), some just beyond, some large.
function indexVec(): bigint {
  let v = 0n;
  for (let i = 0; i < 16; i++) {
    const k = rnd() % 8;
    const x = k < 5 ? rnd() % 64 : k == 5 ? 64 + (rnd() % 16) : k == 6 ? 0xff : rnd() & 0xff;
    v |= BigInt(x) << BigInt(i * 8);
  }
  return v;
}

interface Form {
  name: string;
  make: (d: number, n: number, m: number) => string;
  es: number;                    // element size of the sources, for the edge values
  gen2?: (es: number) => bigint; // Vm's generator (default vec)
  acc?: boolean;                 // reads Vd: V0 is first loaded from V3
  alias?: boolean;               // also run with Vd = Vn and Vd = Vm
  setup?: string;                // instructions before (e.g. to build an index register)
  x?: boolean;                   // X1, X2 random (used by setup)
}

const ARR: Record<number, string[]> = { 8: ["8b", "16b"], 16: ["4h", "8h"], 32: ["2s", "4s"], 64: ["2d"] };
const SREG: Record<number, string> = { 8: "b", 16: "h", 32: "s", 64: "d" };

function sameVec(mns: string[], sizes: number[], opts: Partial<Form> = {}): Form[] {
  const out: Form[] = [];
  for (const mn of mns) for (const es of sizes) for (const t of ARR[es]) {
    out.push({ name: `${mn} .${t}`, es, alias: true, ...opts, make: (d, n, m) => `${mn} v${d}.${t}, v${n}.${t}, v${m}.${t}` });
  }
  return out;
}
function sameScalar(mns: string[], sizes: number[], opts: Partial<Form> = {}): Form[] {
  const out: Form[] = [];
  for (const mn of mns) for (const es of sizes) {
    const r = SREG[es];
    out.push({ name: `${mn} ${r}`, es, ...opts, make: (d, n, m) => `${mn} ${r}${d}, ${r}${n}, ${r}${m}` });
  }
  return out;
}
// Three different: kind "long" (Ta <- Tb, Tb), "wide" (Ta <- Ta, Tb), "narrow" (Tb <- Ta, Ta).
function diffVec(mns: string[], sizes: number[], kind: "long" | "wide" | "narrow", opts: Partial<Form> = {}): Form[] {
  const wideT: Record<number, string> = { 8: "8h", 16: "4s", 32: "2d" };
  const out: Form[] = [];
  for (const mn of mns) for (const es of sizes) for (const two of [false, true]) {
    const ta = wideT[es], tb = ARR[es][two ? 1 : 0], op = two ? mn + "2" : mn;
    const acc = opts.acc || (kind == "narrow" && two);
    const make = kind == "long" ? (d: number, n: number, m: number) => `${op} v${d}.${ta}, v${n}.${tb}, v${m}.${tb}`
      : kind == "wide" ? (d: number, n: number, m: number) => `${op} v${d}.${ta}, v${n}.${ta}, v${m}.${tb}`
      : (d: number, n: number, m: number) => `${op} v${d}.${tb}, v${n}.${ta}, v${m}.${ta}`;
    out.push({ name: `${op} .${ta}`, es: kind == "narrow" ? 2 * es : es, alias: true, ...opts, acc, make });
  }
  return out;
}

const shift = { gen2: shiftVec };
const FORMS: Record<string, Form[]> = {
  "three same (vector)": [
    ...sameVec(["shadd", "uhadd", "srhadd", "urhadd", "shsub", "uhsub", "smax", "umax", "smin", "umin", "sabd", "uabd", "mul",
      "smaxp", "umaxp", "sminp", "uminp"], [8, 16, 32]),
    ...sameVec(["sqadd", "uqadd", "sqsub", "uqsub", "cmgt", "cmhi", "cmge", "cmhs", "cmtst", "cmeq", "add", "sub", "addp"], [8, 16, 32, 64]),
    ...sameVec(["sshl", "ushl", "sqshl", "uqshl", "srshl", "urshl", "sqrshl", "uqrshl"], [8, 16, 32, 64], shift),
    ...sameVec(["saba", "uaba", "mla", "mls"], [8, 16, 32], { acc: true }),
    ...sameVec(["pmul"], [8]),
    ...sameVec(["sqdmulh", "sqrdmulh"], [16, 32]),
    ...sameVec(["and", "bic", "orr", "orn", "eor"], [8]),
    ...sameVec(["bsl", "bit", "bif"], [8], { acc: true }),
  ],
  "three same (scalar)": [
    ...sameScalar(["sqadd", "uqadd", "sqsub", "uqsub"], [8, 16, 32, 64]),
    ...sameScalar(["sqshl", "uqshl", "sqrshl", "uqrshl"], [8, 16, 32, 64], shift),
    ...sameScalar(["cmgt", "cmhi", "cmge", "cmhs", "cmtst", "cmeq", "add", "sub"], [64]),
    ...sameScalar(["sshl", "ushl", "srshl", "urshl"], [64], shift),
    ...sameScalar(["sqdmulh", "sqrdmulh"], [16, 32]),
  ],
  "three different": [
    ...diffVec(["saddl", "uaddl", "ssubl", "usubl", "sabdl", "uabdl", "smull", "umull"], [8, 16, 32], "long"),
    ...diffVec(["sabal", "uabal", "smlal", "umlal", "smlsl", "umlsl"], [8, 16, 32], "long", { acc: true }),
    ...diffVec(["saddw", "uaddw", "ssubw", "usubw"], [8, 16, 32], "wide"),
    ...diffVec(["addhn", "raddhn", "subhn", "rsubhn"], [8, 16, 32], "narrow"),
    ...diffVec(["sqdmull"], [16, 32], "long"),
    ...diffVec(["sqdmlal", "sqdmlsl"], [16, 32], "long", { acc: true }),
    ...diffVec(["pmull"], [8], "long"),
    ...[0, 1].map((two): Form => ({
      name: two ? "pmull2 .1q" : "pmull .1q", es: 64, alias: true,
      // PMULL{2} Vd.1Q, Vn.1D/2D, Vm.1D/2D (FEAT_PMULL, not in the assemblers' base architecture)
      make: (d, n, m) => `.inst 0x${((two ? 0x4ee0e000 : 0x0ee0e000) | (m << 16) | (n << 5) | d).toString(16)}`,
    })),
    ...["sqdmull", "sqdmlal", "sqdmlsl"].flatMap((mn) => [16, 32].map((es): Form => ({
      name: `${mn} ${SREG[2 * es]}`, es, acc: mn != "sqdmull",
      make: (d, n, m) => `${mn} ${SREG[2 * es]}${d}, ${SREG[es]}${n}, ${SREG[es]}${m}`,
    }))),
  ],
  "permute, EXT": [
    ...["uzp1", "uzp2", "trn1", "trn2", "zip1", "zip2"].flatMap((mn) => sameVec([mn], [8, 16, 32, 64])),
    ...Array.from({ length: 8 }, (_, i): Form => ({ name: `ext .8b #${i}`, es: 8, alias: true, make: (d, n, m) => `ext v${d}.8b, v${n}.8b, v${m}.8b, #${i}` })),
    ...Array.from({ length: 16 }, (_, i): Form => ({ name: `ext .16b #${i}`, es: 8, alias: true, make: (d, n, m) => `ext v${d}.16b, v${n}.16b, v${m}.16b, #${i}` })),
  ],
  "TBL, TBX": ["tbl", "tbx"].flatMap((mn) => ["8b", "16b"].flatMap((t) => [
    "{v1.16b}", "{v1.16b, v2.16b}", "{v1.16b, v2.16b, v3.16b}", "{v0.16b, v1.16b, v2.16b, v3.16b}", "{v31.16b, v0.16b, v1.16b}",
  ].map((table): Form => ({
    name: `${mn} .${t} ${table}`, es: 8, x: true,
    // The index register V4 = X1:X2; V31 = V3 for the table that wraps.
    setup: `fmov d4, x1\n  mov v4.d[1], x2${table.includes("v31") ? "\n  mov v31.16b, v3.16b" : ""}`,
    make: () => `${mn} v0.${t}, ${table}, v4.${t}`,
  })))),
};

function casesOf(forms: Form[], perForm: number): FpCase[] {
  const out: FpCase[] = [];
  for (const f of forms) {
    const variants: [number, number, number, string][] = [[0, 1, 2, ""]];
    for (let i = 0; i < perForm; i++) {
      let [d, n, m, pre] = variants[0];
      if (f.alias && i == 1) [d, n, m, pre] = [0, 0, 2, "mov v0.16b, v1.16b"];
      else if (f.alias && i == 2) [d, n, m, pre] = [0, 1, 0, "mov v0.16b, v2.16b"];
      else if (f.acc && i % 4 != 3) pre = "mov v0.16b, v3.16b"; // else V0 = GARBAGE_Q
      const v1 = vec(f.es);
      const v2 = i % 6 == 5 ? v1 : (f.gen2 ?? vec)(f.es);
      const c: FpCase = { insn: [f.setup, pre, f.make(d, n, m)].filter((s) => s).join("\n  "), name: f.name, v1, v2, v3: vec(f.es), want: {} };
      if (f.x) { const ix = indexVec(); c.x1 = ix & ((1n << 64n) - 1n); c.x2 = ix >> 64n; }
      out.push(c);
    }
  }
  return out;
}

describe("differential against qemu-aarch64 (-cpu cortex-a57)", () => {
  const PER_FORM = 24;
  const CHUNK = 4000;
  for (const [group, forms] of Object.entries(FORMS)) {
    it.skipIf(!qemuUser)(`${group}: ${forms.length} forms x ${PER_FORM} cases`, async () => {
      const cases = casesOf(forms, PER_FORM);
      const bad: string[] = [];
      for (let i = 0; i < cases.length; i += CHUNK) {
        const chunk = cases.slice(i, i + CHUNK);
        const want = runFpBatchQemu(chunk);
        const got = await runFpBatch(chunk);
        chunk.forEach((c, j) => {
          const s = describeMismatch({ ...c, want: want[j] }, got[j]);
          if (s) bad.push(s);
        });
      }
      expect(bad.slice(0, 40), `${bad.length} mismatches\n${bad.slice(0, 40).join("\n")}`).toEqual([]);
    }, 120_000);
  }
});
