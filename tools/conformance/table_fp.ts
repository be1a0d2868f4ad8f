// The SIMD&FP part of the encoding table (see table.ts for the format): every
// Armv8.0 scalar floating-point, Advanced SIMD and SIMD&FP load/store
// encoding, and the cryptographic extension (AES, SHA1, SHA256, PMULL).
// Features armvisor does not advertise are left out: FEAT_FP16 (half-precision
// arithmetic; FCVT to and from half precision is Armv8.0 and is generated),
// DotProd, RDM, FCMA, JSCVT, FRINTTS, BF16, I8MM, FP16FML, SHA512, SHA3,
// SM3, SM4.
//
// Classes named fp/... form the category `fp` (scalar floating point, FPCR/FPSR
// access, the SIMD&FP single-register loads/stores and pairs); simd/... form
// `simd` (Advanced SIMD, crypto, structure loads/stores). They are compared
// with QEMU's cortex-a57 (Armv8.0 + AES/SHA1/SHA2/PMULL, no FP16).
import type { Entry, Fields, GenCtx } from "./table";
import type { Rng } from "./rng";

type Combo = [number, number]; // (U, opcode) and the like

// Sets several fields from a picked tuple.
function set(f: Fields, names: string[], values: number[]): void { names.forEach((n, i) => { f[n] = values[i]; }); }

// A vector arrangement: size (0-3) and Q, with "size 3 needs Q = 1" unless allowed.
function arrangement(rng: Rng, sizes: number[], q3 = true): [number, number] {
  const size = rng.pick(sizes);
  const q = size === 3 && q3 ? 1 : rng.int(2);
  return [size, q];
}

// FP vector: sz (0 single, 1 double) and Q, 2D needs Q = 1.
function fpArr(rng: Rng): [number, number] {
  const sz = rng.int(2);
  return [sz, sz ? 1 : rng.int(2)];
}

const sx = (v: number, bits: number): bigint => BigInt.asIntN(bits, BigInt(v));
const ALL = [0, 1, 2, 3];
const NOT3 = [0, 1, 2];
const HS = [1, 2];

// ---- scalar floating point ---------------------------------------------------------------

const FP_DP1: Combo[] = [
  // [ftype, opcode]: FMOV, FABS, FNEG, FSQRT, FRINTN/P/M/Z/A/X/I (single, double),
  ...[0, 1].flatMap((t) => [0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15].map((o): Combo => [t, o])),
  // FCVT: single -> double, half; double -> single, half; half -> single, double
  [0, 5], [0, 7], [1, 4], [1, 7], [3, 4], [3, 5],
];

// Conversions between FP and integers: [rmode, opcode].
const CVT_INT: Combo[] = [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1], [3, 0], [3, 1], [0, 4], [0, 5], [0, 2], [0, 3]];

export const FP_TABLE: Entry[] = [
  {
    name: "fp dp 1-source", cls: "fp/dp1", pattern: "0 0 0 11110 ftype:2 1 opcode:6 10000 Rn Rd", weight: 3,
    fix: (f, g) => set(f, ["ftype", "opcode"], g.rng.pick(FP_DP1)),
  },
  {
    name: "fp dp 2-source", cls: "fp/dp2", pattern: "0 0 0 11110 ftype:2 1 Rm opcode:4 10 Rn Rd", weight: 3,
    fix: (f, g) => { f.ftype = g.rng.int(2); f.opcode = g.rng.int(9); },
  },
  {
    name: "fp dp 3-source", cls: "fp/dp3", pattern: "0 0 0 11111 ftype:2 o1 Rm o0 Ra Rn Rd", weight: 2,
    fix: (f, g) => { f.ftype = g.rng.int(2); },
  },
  {
    name: "fcmp/fcmpe", cls: "fp/compare", pattern: "0 0 0 11110 ftype:2 1 Rm 00 1000 Rn opc:2 000",
    fix: (f, g) => { f.ftype = g.rng.int(2); if (f.opc & 1) f.Rm = 0; },
  },
  {
    name: "fccmp/fccmpe", cls: "fp/ccmp", pattern: "0 0 0 11110 ftype:2 1 Rm cond:4 01 Rn op nzcv:4",
    fix: (f, g) => { f.ftype = g.rng.int(2); },
  },
  {
    name: "fcsel", cls: "fp/csel", pattern: "0 0 0 11110 ftype:2 1 Rm cond:4 11 Rn Rd",
    fix: (f, g) => { f.ftype = g.rng.int(2); },
  },
  {
    name: "fmov (scalar, immediate)", cls: "fp/imm", pattern: "0 0 0 11110 ftype:2 1 imm8:8 100 00000 Rd", weight: 0.5,
    fix: (f, g) => { f.ftype = g.rng.int(2); },
  },
  {
    name: "fcvt*/scvtf/ucvtf (integer)", cls: "fp/cvt-int", pattern: "sf 0 0 11110 ftype:2 1 rmode:2 opcode:3 000000 Rn Rd", weight: 3,
    fix: (f, g) => { f.ftype = g.rng.int(2); set(f, ["rmode", "opcode"], g.rng.pick(CVT_INT)); },
  },
  {
    name: "fmov (general)", cls: "fp/fmov-general", pattern: "sf 0 0 11110 ftype:2 1 rmode:2 opcode:3 000000 Rn Rd",
    // FMOV Wd/Sd (sf 0, single), Xd/Dd (sf 1, double), Xd/Vd.D[1] (sf 1, ftype 10, rmode 01)
    fix: (f, g) => { set(f, ["sf", "ftype", "rmode"], g.rng.pick([[0, 0, 0], [1, 1, 0], [1, 2, 1]])); f.opcode = 6 + g.rng.int(2); },
  },
  {
    name: "fcvtz*/scvtf/ucvtf (fixed-point)", cls: "fp/cvt-fixed", pattern: "sf 0 0 11110 ftype:2 0 rmode:2 opcode:3 scale:6 Rn Rd", weight: 2,
    fix: (f, g) => {
      f.ftype = g.rng.int(2);
      set(f, ["rmode", "opcode"], g.rng.pick([[3, 0], [3, 1], [0, 2], [0, 3]]));
      if (!f.sf) f.scale |= 32; // 32-bit: fbits = 64 - scale <= 32
    },
  },
  {
    name: "mrs fpcr/fpsr", cls: "fp/sysreg", pattern: "1101010100 1 1 1 011 0100 0100 00 op Rt", weight: 0.5,
  },
  {
    // The written value keeps to the FPCR bits the campaign seeds (RMode, FZ,
    // DN, AHP) and the FPSR's cumulative flags and QC.
    name: "msr fpcr/fpsr", cls: "fp/sysreg", pattern: "1101010100 0 1 1 011 0100 0100 00 op Rt", weight: 0.5,
    presets: (f, g) => {
      if (f.Rt === 31) return [];
      const v = f.op ? BigInt(g.rng.u32()) & 0x0800_009fn : (BigInt(g.rng.u32()) << 22n) & 0x07c0_0000n;
      return [[f.Rt, v]];
    },
  },

  // ---- SIMD&FP loads and stores (single register, pair, literal) ----------------------------
  // size:opc: B/H/S/D with opc 0x, Q with size 00 and opc 1x.
  {
    name: "ldr/str (SIMD&FP, uimm)", cls: "fp/ldst-uimm", pattern: "size:2 111 1 01 opc:2 imm12:12 Rn Rt", weight: 2,
    fix: (f) => f.opc < 2 || f.size === 0,
    mem: { base: "Rn", mode: "offset", bytes: fpBytes, align: fpBytes, offset: (f) => BigInt(f.imm12) * BigInt(fpBytes(f)) },
  },
  {
    name: "ldur/stur (SIMD&FP)", cls: "fp/ldst-unscaled", pattern: "size:2 111 1 00 opc:2 0 imm9:9 00 Rn Rt",
    fix: (f) => f.opc < 2 || f.size === 0,
    mem: { base: "Rn", mode: "offset", bytes: fpBytes, align: fpBytes, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldr/str (SIMD&FP, post-index)", cls: "fp/ldst-post", pattern: "size:2 111 1 00 opc:2 0 imm9:9 01 Rn Rt",
    fix: (f) => f.opc < 2 || f.size === 0,
    mem: { base: "Rn", mode: "post", bytes: fpBytes, align: fpBytes, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldr/str (SIMD&FP, pre-index)", cls: "fp/ldst-pre", pattern: "size:2 111 1 00 opc:2 0 imm9:9 11 Rn Rt",
    fix: (f) => f.opc < 2 || f.size === 0,
    mem: { base: "Rn", mode: "pre", bytes: fpBytes, align: fpBytes, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldr/str (SIMD&FP, register)", cls: "fp/ldst-reg", pattern: "size:2 111 1 00 opc:2 1 Rm option:3 S 10 Rn Rt",
    fix: (f) => (f.opc < 2 || f.size === 0) && (f.option & 2) !== 0 && f.Rm !== f.Rn,
    mem: {
      base: "Rn", mode: "reg", bytes: fpBytes, align: fpBytes,
      index: { option: (f) => f.option, shift: (f) => (f.S ? Math.log2(fpBytes(f)) : 0) },
    },
  },
  ...(["no-allocate", "post-index", "offset", "pre-index"] as const).map((m, mode): Entry => ({
    name: `ldp/stp (SIMD&FP, ${m})`, cls: "fp/ldst-pair", pattern: `opc:2 101 1 0${mode.toString(2).padStart(2, "0")} L imm7:7 Rt2 Rn Rt`,
    weight: mode === 0 ? 0.5 : 1,
    fix: (f) => f.opc !== 3 && (f.L === 0 || f.Rt !== f.Rt2),
    mem: {
      base: "Rn", mode: mode === 1 ? "post" : mode === 3 ? "pre" : "offset", bytes: (f) => 8 << f.opc, align: (f) => 4 << f.opc,
      offset: (f) => sx(f.imm7, 7) * BigInt(4 << f.opc),
    },
  })),
  {
    name: "ldr literal (SIMD&FP)", cls: "fp/ldst-literal", pattern: "opc:2 011 1 00 imm19:19 Rt", weight: 0.5,
    fix: (f) => f.opc !== 3, literal: { field: "imm19" },
  },
];

function fpBytes(f: Fields): number { return f.opc >= 2 ? 16 : 1 << f.size; }

// ---- Advanced SIMD ---------------------------------------------------------------------------

// Three same, integer: [U, opcode] and the sizes each allows.
const THREE_SAME: [number, number, number[]][] = [
  ...[0, 1].flatMap((u) => [
    [u, 0, NOT3], [u, 1, ALL], [u, 2, NOT3], [u, 4, NOT3], [u, 5, ALL], [u, 6, ALL], [u, 7, ALL],
    [u, 8, ALL], [u, 9, ALL], [u, 10, ALL], [u, 11, ALL], [u, 12, NOT3], [u, 13, NOT3], [u, 14, NOT3], [u, 15, NOT3],
    [u, 16, ALL], [u, 17, ALL], [u, 18, NOT3], [u, 20, NOT3], [u, 21, NOT3], [u, 22, HS],
  ] as [number, number, number[]][]),
  [0, 19, NOT3], [1, 19, [0]],   // MUL, PMUL
  [0, 23, ALL],                  // ADDP
  [0, 3, ALL], [1, 3, ALL],      // AND/BIC/ORR/ORN, EOR/BSL/BIT/BIF (size selects the operation; any Q)
];

// Three same, floating point: [U, size<1>, opcode].
const THREE_SAME_FP: number[][] = [
  ...[24, 25, 26, 27, 28, 30, 31].map((o) => [0, 0, o]),  // FMAXNM FMLA FADD FMULX FCMEQ FMAX FRECPS
  ...[24, 25, 26, 30, 31].map((o) => [0, 1, o]),          // FMINNM FMLS FSUB FMIN FRSQRTS
  ...[24, 26, 27, 28, 29, 30, 31].map((o) => [1, 0, o]),  // FMAXNMP FADDP FMUL FCMGE FACGE FMAXP FDIV
  ...[24, 26, 28, 29, 30].map((o) => [1, 1, o]),          // FMINNMP FABD FCMGT FACGT FMINP
];

// Scalar three same: [U, opcode, sizes].
const SCALAR_THREE_SAME: [number, number, number[]][] = [
  ...[0, 1].flatMap((u) => [
    [u, 1, ALL], [u, 5, ALL], [u, 9, ALL], [u, 11, ALL], [u, 6, [3]], [u, 7, [3]], [u, 8, [3]], [u, 10, [3]],
    [u, 16, [3]], [u, 17, [3]], [u, 22, HS],
  ] as [number, number, number[]][]),
];
const SCALAR_THREE_SAME_FP: number[][] = [
  [0, 0, 27], [0, 0, 28], [0, 0, 31], [0, 1, 31], // FMULX FCMEQ FRECPS FRSQRTS
  [1, 0, 28], [1, 0, 29], [1, 1, 26], [1, 1, 28], [1, 1, 29], // FCMGE FACGE FABD FCMGT FACGT
];

// Three different: [U, opcode, sizes] (PMULL with size 3 is the crypto class).
const THREE_DIFF: [number, number, number[]][] = [
  ...[0, 1].flatMap((u) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12].map((o): [number, number, number[]] => [u, o, NOT3])),
  [0, 9, HS], [0, 11, HS], [0, 13, HS], [0, 14, [0]],
];

// Two-register misc, integer: [U, opcode, sizes, size 3 needs Q].
const TWO_MISC: [number, number, number[]][] = [
  [0, 0, NOT3], [0, 1, [0]], [0, 2, NOT3], [0, 3, ALL], [0, 4, NOT3], [0, 5, [0]], [0, 6, NOT3], [0, 7, ALL],
  [0, 8, ALL], [0, 9, ALL], [0, 10, ALL], [0, 11, ALL], [0, 18, NOT3], [0, 20, NOT3],
  [1, 0, [0, 1]], [1, 2, NOT3], [1, 3, ALL], [1, 4, NOT3], [1, 5, [0, 1]], [1, 6, NOT3], [1, 7, ALL],
  [1, 8, ALL], [1, 9, ALL], [1, 11, ALL], [1, 18, NOT3], [1, 19, NOT3], [1, 20, NOT3],
];
// Two-register misc, floating point: [U, size<1>, opcode, sz constraint (2 = any)].
const TWO_MISC_FP: number[][] = [
  [0, 0, 22, 2], [0, 0, 23, 2], [0, 0, 24, 2], [0, 0, 25, 2], [0, 0, 26, 2], [0, 0, 27, 2], [0, 0, 28, 2], [0, 0, 29, 2],
  [0, 1, 12, 2], [0, 1, 13, 2], [0, 1, 14, 2], [0, 1, 15, 2], [0, 1, 24, 2], [0, 1, 25, 2], [0, 1, 26, 2], [0, 1, 27, 2],
  [0, 1, 28, 0], [0, 1, 29, 2],
  [1, 0, 22, 1], [1, 0, 24, 2], [1, 0, 25, 2], [1, 0, 26, 2], [1, 0, 27, 2], [1, 0, 28, 2], [1, 0, 29, 2],
  [1, 1, 12, 2], [1, 1, 13, 2], [1, 1, 15, 2], [1, 1, 25, 2], [1, 1, 26, 2], [1, 1, 27, 2], [1, 1, 28, 0], [1, 1, 29, 2],
  [1, 1, 31, 2],
];
// FCVTN, FCVTL, FCVTXN: Q selects the half, so sz = 1 with Q = 0 is fine.
const NARROWING_FP = new Set([22, 23]);

const SCALAR_TWO_MISC: [number, number, number[]][] = [
  [0, 3, ALL], [0, 7, ALL], [0, 8, [3]], [0, 9, [3]], [0, 10, [3]], [0, 11, [3]], [0, 20, NOT3],
  [1, 3, ALL], [1, 7, ALL], [1, 8, [3]], [1, 9, [3]], [1, 11, [3]], [1, 18, NOT3], [1, 20, NOT3],
];
const SCALAR_TWO_MISC_FP: number[][] = [
  [0, 0, 26, 2], [0, 0, 27, 2], [0, 0, 28, 2], [0, 0, 29, 2],
  [0, 1, 12, 2], [0, 1, 13, 2], [0, 1, 14, 2], [0, 1, 26, 2], [0, 1, 27, 2], [0, 1, 29, 2], [0, 1, 31, 2],
  [1, 0, 22, 1], [1, 0, 26, 2], [1, 0, 27, 2], [1, 0, 28, 2], [1, 0, 29, 2],
  [1, 1, 12, 2], [1, 1, 13, 2], [1, 1, 26, 2], [1, 1, 27, 2], [1, 1, 29, 2],
];

// Shift by immediate: [U, opcode, kind]: "w" any element size (64-bit needs Q),
// "n" narrowing/lengthening (no 64-bit elements).
const SHIFT_IMM: [number, number, "w" | "n"][] = [
  ...[0, 1].flatMap((u) => [[u, 0, "w"], [u, 2, "w"], [u, 4, "w"], [u, 6, "w"], [u, 10, "w"], [u, 14, "w"], [u, 18, "n"], [u, 19, "n"], [u, 20, "n"]] as [number, number, "w" | "n"][]),
  [0, 16, "n"], [0, 17, "n"], [1, 8, "w"], [1, 12, "w"], [1, 16, "n"], [1, 17, "n"],
];
// Scalar shift by immediate: [U, opcode, kind]: "d" 64-bit only, "w" any size, "n" narrowing.
const SCALAR_SHIFT_IMM: [number, number, "d" | "w" | "n"][] = [
  ...[0, 1].flatMap((u) => [[u, 0, "d"], [u, 2, "d"], [u, 4, "d"], [u, 6, "d"], [u, 10, "d"], [u, 14, "w"], [u, 18, "n"], [u, 19, "n"]] as [number, number, "d" | "w" | "n"][]),
  [1, 8, "d"], [1, 12, "w"], [1, 16, "n"], [1, 17, "n"],
];
// immh for an element size (0-3), with a random immb it gives any shift.
function immhFor(rng: Rng, size: number): number { return (1 << size) | (rng.int(1 << size)); }

// By element, integer: [U, opcode, long (widening: Q picks the half)].
const BY_ELEM: [number, number][] = [[0, 2], [0, 3], [0, 6], [0, 7], [0, 8], [0, 10], [0, 11], [0, 12], [0, 13], [1, 0], [1, 2], [1, 4], [1, 6], [1, 10]];
const SCALAR_BY_ELEM: [number, number][] = [[0, 3], [0, 7], [0, 11], [0, 12], [0, 13]];
const BY_ELEM_FP: [number, number][] = [[0, 1], [0, 5], [0, 9], [1, 9]];

// Index fields of an element operand: size 1 (H: Vm 0-15, index H:L:M), 2 (S: index H:L).
function elemIndex(f: Fields, rng: Rng): void {
  if (f.size === 1) { f.M = rng.int(2); f.L = rng.int(2); f.H = rng.int(2); }
  else if (f.size === 2) { f.L = rng.int(2); f.H = rng.int(2); }
  else { f.L = 0; f.H = rng.int(2); } // size 3 (FP double): index H, L = 0
}

// Structure loads/stores: multiple structures, [opcode, registers, elements per structure].
const LDST_MULTIPLE: [number, number, number][] = [[0, 4, 4], [2, 4, 1], [4, 3, 3], [6, 3, 1], [7, 1, 1], [8, 2, 2], [10, 2, 1]];

function multipleBytes(f: Fields): number { return LDST_MULTIPLE.find((m) => m[0] === f.opcode)![1] * (f.Q ? 16 : 8); }

// Single structure: element size from opcode<2:1> and size; selem from opcode<0>:R.
function singleEsize(f: Fields): number {
  const scale = f.opcode >> 1;
  if (scale === 3) return 1 << f.size;             // LDnR
  if (scale === 2) return f.size & 1 ? 8 : 4;
  return 1 << scale;
}
function singleBytes(f: Fields): number { return singleEsize(f) * ((((f.opcode & 1) << 1) | f.R) + 1); }
function fixSingle(f: Fields, g: GenCtx, replicate: boolean): boolean {
  const rng = g.rng;
  if (replicate) { f.opcode = 6 | (f.opcode & 1); f.L = 1; f.S = 0; return true; }
  const scale = rng.int(3);
  f.opcode = (scale << 1) | (f.opcode & 1);
  if (scale === 1) f.size &= 2;                    // H: size<0> = 0 (size<1> is index)
  if (scale === 2) { f.size = rng.int(2); if (f.size) f.S = 0; } // S: size 00; D: size 01, S = 0
  return true;
}

export const SIMD_TABLE: Entry[] = [
  // ---- three same / three different ----
  {
    name: "three same (integer)", cls: "simd/three-same", pattern: "0 Q U 01110 size:2 1 Rm opcode:5 1 Rn Rd", weight: 4,
    fix: (f, g) => {
      const [u, o, sizes] = g.rng.pick(THREE_SAME);
      f.U = u; f.opcode = o;
      [f.size, f.Q] = arrangement(g.rng, sizes, o !== 3);
    },
  },
  {
    name: "three same (fp)", cls: "simd/three-same-fp", pattern: "0 Q U 01110 a sz 1 Rm opcode:5 1 Rn Rd", weight: 3,
    fix: (f, g) => { set(f, ["U", "a", "opcode"], g.rng.pick(THREE_SAME_FP)); [f.sz, f.Q] = fpArr(g.rng); },
  },
  {
    name: "scalar three same (integer)", cls: "simd/scalar-three-same", pattern: "01 U 11110 size:2 1 Rm opcode:5 1 Rn Rd", weight: 2,
    fix: (f, g) => { const [u, o, sizes] = g.rng.pick(SCALAR_THREE_SAME); f.U = u; f.opcode = o; f.size = g.rng.pick(sizes); },
  },
  {
    name: "scalar three same (fp)", cls: "simd/scalar-three-same-fp", pattern: "01 U 11110 a sz 1 Rm opcode:5 1 Rn Rd",
    fix: (f, g) => { set(f, ["U", "a", "opcode"], g.rng.pick(SCALAR_THREE_SAME_FP)); },
  },
  {
    name: "three different", cls: "simd/three-different", pattern: "0 Q U 01110 size:2 1 Rm opcode:4 00 Rn Rd", weight: 3,
    fix: (f, g) => { const [u, o, sizes] = g.rng.pick(THREE_DIFF); f.U = u; f.opcode = o; f.size = g.rng.pick(sizes); },
  },
  {
    name: "scalar three different", cls: "simd/scalar-three-different", pattern: "01 0 11110 size:2 1 Rm opcode:4 00 Rn Rd", weight: 0.5,
    fix: (f, g) => { f.opcode = g.rng.pick([9, 11, 13]); f.size = g.rng.pick(HS); },
  },

  // ---- two-register misc ----
  {
    name: "two-reg misc (integer)", cls: "simd/two-reg-misc", pattern: "0 Q U 01110 size:2 10000 opcode:5 10 Rn Rd", weight: 3,
    fix: (f, g) => { const [u, o, sizes] = g.rng.pick(TWO_MISC); f.U = u; f.opcode = o; [f.size, f.Q] = arrangement(g.rng, sizes); },
  },
  {
    name: "two-reg misc (fp)", cls: "simd/two-reg-misc-fp", pattern: "0 Q U 01110 a sz 10000 opcode:5 10 Rn Rd", weight: 3,
    fix: (f, g) => {
      const [u, a, o, szc] = g.rng.pick(TWO_MISC_FP);
      f.U = u; f.a = a; f.opcode = o;
      f.sz = szc === 2 ? g.rng.int(2) : szc;
      f.Q = f.sz && !NARROWING_FP.has(o) ? 1 : g.rng.int(2);
    },
  },
  {
    name: "scalar two-reg misc (integer)", cls: "simd/scalar-two-reg-misc", pattern: "01 U 11110 size:2 10000 opcode:5 10 Rn Rd",
    fix: (f, g) => { const [u, o, sizes] = g.rng.pick(SCALAR_TWO_MISC); f.U = u; f.opcode = o; f.size = g.rng.pick(sizes); },
  },
  {
    name: "scalar two-reg misc (fp)", cls: "simd/scalar-two-reg-misc-fp", pattern: "01 U 11110 a sz 10000 opcode:5 10 Rn Rd", weight: 2,
    fix: (f, g) => { const [u, a, o, szc] = g.rng.pick(SCALAR_TWO_MISC_FP); f.U = u; f.a = a; f.opcode = o; f.sz = szc === 2 ? g.rng.int(2) : szc; },
  },

  // ---- across lanes, pairwise ----
  {
    name: "across lanes (integer)", cls: "simd/across-lanes", pattern: "0 Q U 01110 size:2 11000 opcode:5 10 Rn Rd",
    fix: (f, g) => {
      set(f, ["U", "opcode"], g.rng.pick([[0, 3], [0, 10], [0, 26], [0, 27], [1, 3], [1, 10], [1, 26]]));
      f.size = g.rng.pick(NOT3);
      f.Q = f.size === 2 ? 1 : g.rng.int(2);
    },
  },
  {
    name: "across lanes (fp)", cls: "simd/across-lanes-fp", pattern: "0 1 1 01110 a 0 11000 opcode:5 10 Rn Rd", weight: 0.5,
    fix: (f, g) => { f.opcode = g.rng.pick([12, 15]); },
  },
  {
    name: "scalar pairwise", cls: "simd/scalar-pairwise", pattern: "01 U 11110 a sz 11000 opcode:5 10 Rn Rd", weight: 0.7,
    fix: (f, g) => {
      const [u, a, o] = g.rng.pick([[0, 1, 27], [1, 0, 12], [1, 0, 13], [1, 0, 15], [1, 1, 12], [1, 1, 15]]);
      f.U = u; f.a = a; f.opcode = o;
      if (u === 0) f.sz = 1; // ADDP: size 11
    },
  },

  // ---- copy, modified immediate ----
  {
    name: "copy (dup/ins/umov/smov)", cls: "simd/copy", pattern: "0 Q op 01110000 imm5:5 0 imm4:4 1 Rn Rd", weight: 2,
    fix: (f, g) => {
      const rng = g.rng;
      const size = rng.int(4);
      f.imm5 = ((rng.int(32) << (size + 1)) | (1 << size)) & 31;
      const kind = rng.int(6);
      f.op = 0;
      switch (kind) {
        case 0: f.imm4 = 0; f.Q = size === 3 ? 1 : rng.int(2); break;           // DUP (element)
        case 1: f.imm4 = 1; f.Q = size === 3 ? 1 : rng.int(2); break;           // DUP (general)
        case 2: if (size === 3 || (size === 2 && !rng.int(2))) return false;   // SMOV: W (B, H), X (B, H, S)
          f.imm4 = 5; f.Q = size === 2 ? 1 : rng.int(2); break;
        case 3: f.imm4 = 7; f.Q = size === 3 ? 1 : 0; break;                    // UMOV
        case 4: f.imm4 = 3; f.Q = 1; break;                                     // INS (general)
        default: f.op = 1; f.Q = 1; f.imm4 = (rng.int(16) >> size) << size; break; // INS (element): imm4<size-1:0> ignored, zero
      }
      return true;
    },
  },
  {
    name: "scalar dup (element)", cls: "simd/copy", pattern: "01 0 11110000 imm5:5 0 0000 1 Rn Rd", weight: 0.5,
    fix: (f, g) => { const size = g.rng.int(4); f.imm5 = ((g.rng.int(32) << (size + 1)) | (1 << size)) & 31; },
  },
  {
    name: "modified immediate (movi/mvni/orr/bic/fmov)", cls: "simd/modified-imm", pattern: "0 Q op 0111100000 abc:3 cmode:4 0 1 defgh:5 Rd", weight: 1.5,
    // o2 = 0 (o2 = 1 is FMOV half-precision, FEAT_FP16); op = 1 with cmode 1111 is FMOV .2D (Q = 1)
    fix: (f) => !(f.op === 1 && f.cmode === 15 && f.Q === 0),
  },

  // ---- shifts by immediate ----
  {
    name: "shift by immediate", cls: "simd/shift-imm", pattern: "0 Q U 011110 immh:4 immb:3 opcode:5 1 Rn Rd", weight: 3,
    fix: (f, g) => {
      const [u, o, k] = g.rng.pick(SHIFT_IMM);
      f.U = u; f.opcode = o;
      const size = g.rng.int(k === "n" ? 3 : 4);
      f.immh = immhFor(g.rng, size);
      f.Q = size === 3 ? 1 : g.rng.int(2);
    },
  },
  {
    name: "shift by immediate (fp fixed-point)", cls: "simd/shift-imm-fp", pattern: "0 Q U 011110 immh:4 immb:3 opcode:5 1 Rn Rd",
    fix: (f, g) => { f.opcode = g.rng.pick([28, 31]); const size = 2 + g.rng.int(2); f.immh = immhFor(g.rng, size); f.Q = size === 3 ? 1 : g.rng.int(2); },
  },
  {
    name: "scalar shift by immediate", cls: "simd/scalar-shift-imm", pattern: "01 U 111110 immh:4 immb:3 opcode:5 1 Rn Rd", weight: 2,
    fix: (f, g) => {
      const [u, o, k] = g.rng.pick(SCALAR_SHIFT_IMM);
      f.U = u; f.opcode = o;
      f.immh = immhFor(g.rng, k === "d" ? 3 : k === "n" ? g.rng.int(3) : g.rng.int(4));
    },
  },
  {
    name: "scalar shift by immediate (fp fixed-point)", cls: "simd/scalar-shift-imm-fp", pattern: "01 U 111110 immh:4 immb:3 opcode:5 1 Rn Rd", weight: 0.7,
    fix: (f, g) => { f.opcode = g.rng.pick([28, 31]); f.immh = immhFor(g.rng, 2 + g.rng.int(2)); },
  },

  // ---- by element ----
  {
    name: "by element (integer)", cls: "simd/by-element", pattern: "0 Q U 01111 size:2 L M Rm:4 opcode:4 H 0 Rn Rd", weight: 2,
    fix: (f, g) => { set(f, ["U", "opcode"], g.rng.pick(BY_ELEM)); f.size = g.rng.pick(HS); elemIndex(f, g.rng); },
  },
  {
    name: "by element (fp)", cls: "simd/by-element-fp", pattern: "0 Q U 01111 1 sz L M Rm:4 opcode:4 H 0 Rn Rd", weight: 2,
    fix: (f, g) => { set(f, ["U", "opcode"], g.rng.pick(BY_ELEM_FP)); if (f.sz) { f.Q = 1; f.L = 0; } },
  },
  {
    name: "scalar by element (integer)", cls: "simd/scalar-by-element", pattern: "01 0 11111 size:2 L M Rm:4 opcode:4 H 0 Rn Rd",
    fix: (f, g) => { f.opcode = g.rng.pick(SCALAR_BY_ELEM.map((x) => x[1])); f.size = g.rng.pick(HS); elemIndex(f, g.rng); },
  },
  {
    name: "scalar by element (fp)", cls: "simd/scalar-by-element-fp", pattern: "01 U 11111 1 sz L M Rm:4 opcode:4 H 0 Rn Rd",
    fix: (f, g) => { set(f, ["U", "opcode"], g.rng.pick(BY_ELEM_FP)); if (f.sz) f.L = 0; },
  },

  // ---- permute, extract, table lookup ----
  {
    name: "permute (uzp/trn/zip)", cls: "simd/permute", pattern: "0 Q 001110 size:2 0 Rm 0 opcode:3 10 Rn Rd", weight: 1.5,
    fix: (f, g) => { f.opcode = g.rng.pick([1, 2, 3, 5, 6, 7]); if (f.size === 3) f.Q = 1; },
  },
  {
    name: "ext", cls: "simd/extract", pattern: "0 Q 101110 00 0 Rm 0 imm4:4 0 Rn Rd",
    fix: (f) => { if (!f.Q) f.imm4 &= 7; },
  },
  { name: "tbl/tbx", cls: "simd/table", pattern: "0 Q 001110 00 0 Rm 0 len:2 op 00 Rn Rd", weight: 1.5 },

  // ---- structure loads/stores (memory in the scratch window) ----
  {
    name: "ld1-4/st1-4 (multiple structures)", cls: "simd/ldst-multiple", pattern: "0 Q 0011000 L 000000 opcode:4 size:2 Rn Rt", weight: 1.5,
    fix: (f, g) => { const [o, , selem] = g.rng.pick(LDST_MULTIPLE); f.opcode = o; if (selem > 1 && f.size === 3) f.Q = 1; },
    mem: { base: "Rn", mode: "base", bytes: multipleBytes, align: (f) => 1 << f.size },
  },
  {
    name: "ld1-4/st1-4 (multiple structures, post-index)", cls: "simd/ldst-multiple", pattern: "0 Q 0011001 L 0 Rm opcode:4 size:2 Rn Rt", weight: 1.5,
    fix: (f, g) => { const [o, , selem] = g.rng.pick(LDST_MULTIPLE); f.opcode = o; if (selem > 1 && f.size === 3) f.Q = 1; },
    mem: { base: "Rn", mode: "post", bytes: multipleBytes, align: (f) => 1 << f.size },
  },
  {
    name: "ld1-4/st1-4 (single structure)", cls: "simd/ldst-single", pattern: "0 Q 0011010 L R 00000 opcode:3 S size:2 Rn Rt", weight: 1.5,
    fix: (f, g) => fixSingle(f, g, false),
    mem: { base: "Rn", mode: "base", bytes: singleBytes, align: singleEsize },
  },
  {
    name: "ld1-4/st1-4 (single structure, post-index)", cls: "simd/ldst-single", pattern: "0 Q 0011011 L R Rm opcode:3 S size:2 Rn Rt", weight: 1.5,
    fix: (f, g) => fixSingle(f, g, false),
    mem: { base: "Rn", mode: "post", bytes: singleBytes, align: singleEsize },
  },
  {
    name: "ld1r-ld4r", cls: "simd/ldst-replicate", pattern: "0 Q 0011010 1 R 00000 opcode:3 0 size:2 Rn Rt",
    fix: (f, g) => fixSingle(f, g, true),
    mem: { base: "Rn", mode: "base", bytes: singleBytes, align: singleEsize },
  },
  {
    name: "ld1r-ld4r (post-index)", cls: "simd/ldst-replicate", pattern: "0 Q 0011011 1 R Rm opcode:3 0 size:2 Rn Rt",
    fix: (f, g) => fixSingle(f, g, true),
    mem: { base: "Rn", mode: "post", bytes: singleBytes, align: singleEsize },
  },

  // ---- cryptographic extension ----
  {
    name: "aese/aesd/aesmc/aesimc", cls: "simd/crypto-aes", pattern: "01001110 00 10100 opcode:5 10 Rn Rd",
    fix: (f, g) => { f.opcode = 4 + g.rng.int(4); },
  },
  {
    name: "sha1c/sha1p/sha1m/sha1su0", cls: "simd/crypto-sha1", pattern: "01011110 00 0 Rm 0 opcode:3 00 Rn Rd",
    fix: (f, g) => { f.opcode = g.rng.int(4); },
  },
  {
    name: "sha1h/sha1su1", cls: "simd/crypto-sha1", pattern: "01011110 00 10100 opcode:5 10 Rn Rd", weight: 0.5,
    fix: (f, g) => { f.opcode = g.rng.int(2); },
  },
  {
    name: "sha256h/sha256h2/sha256su1", cls: "simd/crypto-sha256", pattern: "01011110 00 0 Rm 0 opcode:3 00 Rn Rd",
    fix: (f, g) => { f.opcode = 4 + g.rng.int(3); },
  },
  {
    name: "sha256su0", cls: "simd/crypto-sha256", pattern: "01011110 00 10100 00010 10 Rn Rd", weight: 0.3,
  },
  { name: "pmull/pmull2 (64-bit)", cls: "simd/crypto-pmull", pattern: "0 Q 0 01110 11 1 Rm 1110 00 Rn Rd", weight: 0.7 },
];
