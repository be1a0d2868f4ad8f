// FP/AdvSIMD phase 1 (CoreOptions.fp): the SIMD&FP register file, FPCR and
// FPSR, the SIMD&FP loads and stores, scalar floating point on the Arm-exact
// library (assembly/fp), the AdvSIMD moves, the CPACR_EL1.FPEN and
// CPTR_EL2/EL3.TFP traps, and the feature flag (off: everything UNDEFINED).
//
// Expected values are IEEE 754 / Arm ARM results worked out by hand (the
// library's own QEMU-verified tests are in test/fp); where qemu-aarch64 is
// installed, every batch of one-instruction cases also runs under QEMU user
// mode and must agree with armvisor case by case.
import { describe, it, expect } from "vitest";
import {
  ABI, ENTRY, DATA, STACK_TOP, hex, writeU64, writeBytes, takenEL1, hvcImm,
  VEC_CUR_SPX_SYNC, VEC_LOWER_SYNC, type VcpuExit, type Core,
} from "../helpers/machine";
import {
  fpRun, jitOfFp, checkFpCases, runFpBatch, runFpBatchQemu, hasQemuUser, describeMismatch, f32, f64, q,
  GARBAGE_Q, IOC, DZC, OFC, UFC, IXC, IDC, RN, RP, RM, RZ, FZ, DN, AHP, type FpCase,
} from "../helpers/fp";

const EC_UNKNOWN = 0x00, EC_DABT_CUR = 0x25, EC_SP_ALIGN = 0x26;
// ESR for an FP/AdvSIMD access trap from AArch64: EC 0x07, IL 1, ISS CV = 1, COND = 0b1110.
const ESR_FP_TRAP = 0x1fe0_0000n;
const ESR_UNCATEGORIZED = 0x0200_0000n;
const GARBAGE_LO = GARBAGE_Q & ((1n << 64n) - 1n);
const V_BYTES = 0x8f8e_8d8c_8b8a_8988_8786_8584_8382_8180n; // byte i = 0x80 + i

const show = (x: VcpuExit) => JSON.stringify(x, (_k, v) => typeof v === "bigint" ? hex(v) : v);

// Single-precision and double-precision constants.
const S1 = 0x3f80_0000n, S2 = 0x4000_0000n, S3 = 0x4040_0000n, SM1 = 0xbf80_0000n;
const SINF = 0x7f80_0000n, SNINF = 0xff80_0000n, SDNAN = 0x7fc0_0000n, SMAX = 0x7f7f_ffffn, SMINN = 0x0080_0000n;
const D1 = 0x3ff0_0000_0000_0000n, D2 = 0x4000_0000_0000_0000n, DINF = 0x7ff0_0000_0000_0000n;
const DDNAN = 0x7ff8_0000_0000_0000n, DMAX = 0x7fef_ffff_ffff_ffffn;

// Runs a batch and, with qemu-aarch64 present, the same batch under QEMU.
const qemuUser = hasQemuUser();
if (!qemuUser) console.warn("fp.test.ts: qemu-aarch64 not found: batches are checked against their expectations only");
async function expectCases(cases: FpCase[]): Promise<void> {
  const bad = await checkFpCases(cases);
  expect(bad, bad.join("\n")).toEqual([]);
}

// ---- the feature flag ---------------------------------------------------------------------
describe("CONFIG_FP off (the default): FP/AdvSIMD absent", () => {
  it("SIMD&FP encodings and FPCR/FPSR accesses are UNDEFINED (EC 0x00); ID_AA64PFR0_EL1.FP = AdvSIMD = 0xF", async () => {
    const insns = [
      "fcmp s0, s0", "fadd d0, d1, d2", "fmov s0, w1", "fmov d0, #1.0", "movi v0.16b, #1", "mov v0.16b, v1.16b",
      "ldr q0, [x1]", "str s0, [x1]", "ldp d0, d1, [x1]", "ldr d0, lit", "mrs x0, fpcr", "msr fpsr, x0", "dup v0.4s, w1",
    ];
    for (const insn of insns) {
      const r = await fpRun(`${insn}\n hvc #0xbad\n .balign 8\nlit: .quad 0`, { fp: false, regs: { 1: DATA } });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, insn).toBe(EC_UNKNOWN);
      expect(t.elr, insn).toBe(ENTRY);
    }
    const r = await fpRun("mrs x0, id_aa64pfr0_el1\n hvc #0", { fp: false });
    expect(hvcImm(r.exit)).toBe(0);
    expect((r.core.x(0) >> 16n) & 0xffn).toBe(0xffn);
  });
});

describe("CONFIG_FP on: identification and what stays UNDEFINED", () => {
  it("ID_AA64PFR0_EL1.FP = 0 and AdvSIMD = 0 (no FP16), the rest unchanged", async () => {
    for (const hi of [1, 2, 3] as const) {
      const r = await fpRun("mrs x0, id_aa64pfr0_el1\n svc #0\n", { highestEL: hi, el: 1 });
      expect(takenEL1(r.core, r.exit).ec).toBe(0x15);
      const x = r.core.x(0);
      expect((x >> 16n) & 0xffn).toBe(0n);
      expect(x & 0xffffn).toBe(0x11n | (hi >= 2 ? 0x100n : 0n) | (hi >= 3 ? 0x1000n : 0n));
    }
  });

  it("half-precision arithmetic, FJCVTZS, FRINT32Z, BFCVT, SDOT, SQRDMLAH, SHA512 are UNDEFINED", async () => {
    const insns = [
      ".inst 0x1ee22820        // fadd h0, h1, h2 (FEAT_FP16)",
      ".inst 0x1ee20800        // fmul h0, h0, h2",
      ".inst 0x1ee02020        // fcmp h1, h0",
      ".inst 0x1ee00020        // fmov h0? (fcvtns w0, h1)",
      ".inst 0x1e7e0020        // fjcvtzs w0, d1 (FEAT_JSCVT)",
      ".inst 0x1e284020        // frint32z s0, s1 (FEAT_FRINTTS)",
      ".inst 0x1e634020        // bfcvt h0, s1 (FEAT_BF16)",
      ".inst 0x4e421420        // fadd v0.8h, v1.8h, v2.8h (FEAT_FP16)",
      ".inst 0x4e829420        // sdot v0.4s, v1.16b, v2.16b (FEAT_DotProd)",
      ".inst 0x6e828420        // sqrdmlah v0.4s, v1.4s, v2.4s (FEAT_RDM)",
      ".inst 0xce028020        // sha512h q0, q1, v2.2d (FEAT_SHA512)",
      "ldtr w0, [x1]", // a control: integer unprivileged load, allowed
    ];
    for (const insn of insns) {
      const r = await fpRun(`${insn}\n hvc #0`, { regs: { 1: DATA } });
      const t = takenEL1(r.core, r.exit);
      if (insn.startsWith("ldtr")) { expect(t.vector, insn).toBe(0); continue; }
      expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, insn).toBe(EC_UNKNOWN);
    }
  });
});

// ---- FPCR, FPSR, register file --------------------------------------------------------------
describe("FPCR and FPSR", () => {
  it("are readable and writable at EL0 and EL1; unimplemented bits are RES0", async () => {
    for (const el of [0, 1] as const) {
      const r = await fpRun(`
        mvn x1, xzr
        msr fpcr, x1
        mrs x2, fpcr
        msr fpsr, x1
        mrs x3, fpsr
        msr fpcr, xzr
        msr fpsr, xzr
        mrs x4, fpcr
        mrs x5, fpsr
        svc #0
      `, { el });
      expect(r.exit.kind === "hvc" && r.exit.imm === (el === 0 ? VEC_LOWER_SYNC : VEC_CUR_SPX_SYNC), show(r.exit)).toBe(true);
      expect(hex(r.core.x(2))).toBe(hex(0x07c0_0000n));   // AHP, DN, FZ, RMode
      expect(hex(r.core.x(3))).toBe(hex(0x0800_009fn));   // QC, IDC, IXC, UFC, OFC, DZC, IOC
      expect(r.core.x(4)).toBe(0n);
      expect(r.core.x(5)).toBe(0n);
    }
  });

  it("FPSR flags are cumulative until written", async () => {
    const r = await fpRun(`
      msr fpsr, xzr
      fmov s1, #1.0
      fmov s2, #3.0
      fdiv s0, s1, s2        // inexact: IXC
      mrs x0, fpsr
      movi d3, #0
      fdiv s0, s1, s3        // 1/0: DZC
      fadd s4, s1, s1        // exact: no flags
      mrs x1, fpsr
      msr fpsr, xzr
      fadd s4, s1, s1
      mrs x2, fpsr
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(BigInt(IXC));
    expect(r.core.x(1)).toBe(BigInt(IXC | DZC));
    expect(r.core.x(2)).toBe(0n);
    expect(r.core.v(0)).toBe(SINF);
  });

  it("V registers read back through the host view; reset zeroes them", async () => {
    const r = await fpRun("fmov d7, x1\n fmov v7.d[1], x2\n hvc #0", { regs: { 1: 0x1122n, 2: 0x3344n }, v: { 31: GARBAGE_Q } });
    expect(r.core.v(7)).toBe(q(0x3344n, 0x1122n));
    expect(r.core.v(31)).toBe(GARBAGE_Q);
    r.core.exports.reset(1);
    expect(r.core.v(31)).toBe(0n);
    expect(r.core.fpcr).toBe(0n);
  });
});

// ---- loads and stores ---------------------------------------------------------------------
// Stage 1 tables for EL1&0 (4 KiB granule, 39-bit VA, start level 1): VA 1 GiB..2 GiB
// identity-mapped by a level 1 block (code, vectors, RAM), VA 0x1000 mapped to DATA
// by a level 3 page, VA 0x2000 unmapped.
function buildTables(c: Core): void {
  const L1 = 0x4030_0000n, L2 = L1 + 0x1000n, L3 = L1 + 0x2000n;
  const AF = 1n << 10n, SH = 3n << 8n;
  writeU64(c, L1, L2 | 3n);
  writeU64(c, L1 + 8n, 0x4000_0000n | AF | SH | 1n);
  writeU64(c, L2, L3 | 3n);
  writeU64(c, L3 + 8n, DATA | AF | SH | 3n);
  c.setSysreg(ABI.SR_MAIR_EL1, 0xffn);
  c.setSysreg(ABI.SR_TCR_EL1, 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 23n));
  c.setSysreg(ABI.SR_TTBR0_EL1, L1);
  c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 1n);
}

describe("SIMD&FP loads and stores", () => {
  // Memory at DATA: byte i = (i * 7 + 0x11) & 0xff.
  const MEM = Uint8Array.from({ length: 0x2000 }, (_, i) => (i * 7 + 0x11) & 0xff);
  const le = (off: number, n: number): bigint => {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(MEM[off + i]);
    return v;
  };
  const setupMem = (c: Core) => writeBytes(c, DATA, MEM);
  const allGarbage = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [i, GARBAGE_Q]));

  it("LDR B/H/S/D/Q: unsigned offset, unscaled, pre- and post-index, register offset; the rest of V[t] zeroed", async () => {
    const r = await fpRun(`
      ldr b0, [x1, #3]
      ldr h1, [x1, #6]
      ldr s2, [x1, #12]
      ldr d3, [x1, #24]
      ldr q4, [x1, #48]
      ldur b5, [x1, #-1]
      ldur h6, [x1, #1]
      ldur s7, [x1, #3]
      ldur d8, [x1, #5]
      ldur q9, [x1, #7]
      mov x2, x1
      ldr q10, [x2, #32]!
      mov x3, x2
      ldr d11, [x3], #-8
      mov x4, #5
      ldr q12, [x1, x4, lsl #4]
      mov w5, #-2
      ldr s13, [x6, w5, sxtw #2]
      ldr h14, [x1, x4]
      ldr b15, [x1, x4, lsl #0]
      ldr d16, [x1, w4, uxtw #3]
      ldr q17, [x1, #65520]
      hvc #0
    `, { regs: { 1: DATA + 0x100n, 6: DATA + 0x40n }, v: allGarbage, setup: setupMem });
    expect(hvcImm(r.exit)).toBe(0);
    const c = r.core, B = 0x100;
    const want: [number, bigint][] = [
      [0, le(B + 3, 1)], [1, le(B + 6, 2)], [2, le(B + 12, 4)], [3, le(B + 24, 8)], [4, le(B + 48, 16)],
      [5, le(B - 1, 1)], [6, le(B + 1, 2)], [7, le(B + 3, 4)], [8, le(B + 5, 8)], [9, le(B + 7, 16)],
      [10, le(B + 32, 16)], [11, le(B + 32, 8)], [12, le(B + 80, 16)], [13, le(0x40 - 8, 4)],
      [14, le(B + 5, 2)], [15, le(B + 5, 1)], [16, le(B + 40, 8)], [17, 0n],
    ];
    for (const [n, v] of want) expect(hex(c.v(n)), `v${n}`).toBe(hex(v));
    expect(c.x(2)).toBe(DATA + 0x120n);
    expect(c.x(3)).toBe(DATA + 0x118n);
    expect(c.x(1)).toBe(DATA + 0x100n);
  });

  it("STR B/H/S/D/Q in every addressing form store exactly their bytes", async () => {
    const r = await fpRun(`
      str b0, [x1, #1]
      str h0, [x1, #4]
      str s0, [x1, #8]
      str d0, [x1, #16]
      str q0, [x1, #32]
      stur q0, [x1, #49]
      stur s0, [x1, #-4]
      mov x2, x1
      str d0, [x2, #80]!
      str q0, [x2], #-16
      mov x4, #7
      str h0, [x1, x4, lsl #1]
      str q0, [x1, x4, lsl #4]
      hvc #0
    `, { regs: { 1: DATA + 0x100n }, v: { 0: V_BYTES } });
    expect(hvcImm(r.exit)).toBe(0);
    const m = r.core.readRam(DATA + 0xf0n, 0x100);
    const at = (off: number, n: number) => { let v = 0n; for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(m[off + 0x10 + i]); return v; };
    expect(hex(at(1, 1))).toBe("0x80");
    expect(hex(at(0, 1))).toBe("0x0");
    expect(hex(at(2, 2))).toBe("0x0");
    expect(hex(at(4, 2))).toBe("0x8180");
    expect(hex(at(6, 2))).toBe("0x0");
    expect(hex(at(8, 4))).toBe("0x83828180");
    expect(hex(at(16, 8))).toBe(hex(V_BYTES & ((1n << 64n) - 1n)));
    expect(hex(at(32, 16))).toBe(hex(V_BYTES));
    expect(hex(at(49, 16))).toBe(hex(V_BYTES));
    expect(hex(at(-4, 4))).toBe("0x83828180");
    expect(hex(at(80, 8))).toBe(hex(V_BYTES & ((1n << 64n) - 1n)));
    expect(hex(at(14, 2))).toBe("0x8180");
    expect(hex(at(112, 16))).toBe(hex(V_BYTES));
    expect(r.core.x(2)).toBe(DATA + 0x140n);
  });

  it("LDR S/D/Q (literal)", async () => {
    const r = await fpRun(`
      b 1f
      .balign 16
    back: .quad 0x0123456789abcdef, 0xfedcba9876543210
    1:
      ldr q0, back
      ldr s1, fwd
      ldr d2, fwd
      ldr q3, fwd
      hvc #0
      .balign 16
    fwd: .quad 0x1111222233334444, 0x5555666677778888
    `, { v: allGarbage });
    expect(hvcImm(r.exit)).toBe(0);
    expect(hex(r.core.v(0))).toBe(hex(q(0xfedc_ba98_7654_3210n, 0x0123_4567_89ab_cdefn)));
    expect(hex(r.core.v(1))).toBe("0x33334444");
    expect(hex(r.core.v(2))).toBe("0x1111222233334444");
    expect(hex(r.core.v(3))).toBe(hex(q(0x5555_6666_7777_8888n, 0x1111_2222_3333_4444n)));
  });

  it("LDP/STP/LDNP/STNP S, D, Q: offset, pre- and post-index", async () => {
    const r = await fpRun(`
      ldp s0, s1, [x1]
      ldp d2, d3, [x1, #-16]
      ldp q4, q5, [x1, #32]
      ldnp q6, q7, [x1, #64]
      ldnp d8, d9, [x1, #8]
      mov x2, x1
      ldp q10, q11, [x2, #-32]!
      mov x3, x1
      ldp s12, s13, [x3], #8
      stp q20, q21, [x4, #32]
      stp d20, d21, [x4, #-16]!
      stp s20, s21, [x4], #8
      stnp q21, q20, [x5]
      stnp s21, s20, [x5, #-8]
      stp q20, q21, [sp, #-32]!
      ldp q22, q23, [sp], #32
      hvc #0
    `, {
      regs: { 1: DATA + 0x100n, 4: DATA + 0x800n, 5: DATA + 0x900n }, setup: setupMem,
      v: { ...allGarbage, 20: V_BYTES, 21: q(0x1111_2222_3333_4444n, 0x5555_6666_7777_8888n) },
    });
    expect(hvcImm(r.exit)).toBe(0);
    const c = r.core, B = 0x100;
    const want: [number, bigint][] = [
      [0, le(B, 4)], [1, le(B + 4, 4)], [2, le(B - 16, 8)], [3, le(B - 8, 8)], [4, le(B + 32, 16)], [5, le(B + 48, 16)],
      [6, le(B + 64, 16)], [7, le(B + 80, 16)], [8, le(B + 8, 8)], [9, le(B + 16, 8)], [10, le(B - 32, 16)], [11, le(B - 16, 16)],
      [12, le(B, 4)], [13, le(B + 4, 4)], [22, c.v(20)], [23, c.v(21)],
    ];
    for (const [n, v] of want) expect(hex(c.v(n)), `v${n}`).toBe(hex(v));
    expect(c.x(2)).toBe(DATA + 0xe0n);
    expect(c.x(3)).toBe(DATA + 0x108n);
    expect(c.x(4)).toBe(DATA + 0x7f8n);
    expect(c.sp).toBe(STACK_TOP);
    const v20 = c.v(20), v21 = c.v(21);
    const lo = (v: bigint) => v & ((1n << 64n) - 1n);
    const m = (off: bigint, n: number) => { const b = c.readRam(DATA + off, n); let v = 0n; for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]); return v; };
    expect(hex(m(0x820n, 16))).toBe(hex(v20));
    expect(hex(m(0x830n, 16))).toBe(hex(v21));
    expect(hex(m(0x7f0n, 4))).toBe(hex(lo(v20) & 0xffff_ffffn));    // the post-indexed STP S wrote at 0x7f0 after the pre-indexed D
    expect(hex(m(0x7f4n, 4))).toBe(hex(lo(v21) & 0xffff_ffffn));
    expect(hex(m(0x7f8n, 8))).toBe(hex(lo(v21)));
    expect(hex(m(0x900n, 16))).toBe(hex(v21));
    expect(hex(m(0x910n, 16))).toBe(hex(v20));
    expect(hex(m(0x8f8n, 4))).toBe(hex(lo(v21) & 0xffff_ffffn));
    expect(hex(m(0x8fcn, 4))).toBe(hex(lo(v20) & 0xffff_ffffn));
  });

  it("128-bit accesses crossing a page boundary, in either half", async () => {
    for (const off of [0xff8n, 0xffcn, 0xff1n]) {
      const r = await fpRun(`
        str q1, [x1]
        ldr q0, [x1]
        stp q1, q2, [x2]
        ldp q3, q4, [x2]
        hvc #0
      `, { regs: { 1: DATA + off, 2: DATA + 0x1000n + off }, v: { 1: V_BYTES, 2: GARBAGE_Q } });
      expect(hvcImm(r.exit)).toBe(0);
      expect(hex(r.core.v(0))).toBe(hex(V_BYTES));
      expect(hex(r.core.v(3))).toBe(hex(V_BYTES));
      expect(hex(r.core.v(4))).toBe(hex(GARBAGE_Q));
      const b = r.core.readRam(DATA + off, 16);
      expect(Array.from(b)).toEqual(Array.from({ length: 16 }, (_, i) => 0x80 + i));
    }
  });

  it("SCTLR_EL1.A: a Q access must be 16-byte aligned (split accesses do not hide it); an SP base must be aligned with SA", async () => {
    let r = await fpRun("ldr q0, [x1]\n hvc #0", { regs: { 1: DATA + 8n }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 2n) });
    let t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(0x21);
    expect(t.far).toBe(DATA + 8n);
    r = await fpRun("str q0, [x1]\n hvc #0", { regs: { 1: DATA + 8n }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 2n) });
    t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x7f).toBe(0x61); // WnR, alignment
    r = await fpRun("ldr q0, [x1]\n ldr d1, [x2]\n hvc #0", { regs: { 1: DATA + 16n, 2: DATA + 4n }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 2n) });
    t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.far).toBe(DATA + 4n);
    r = await fpRun("mov x1, sp\n sub sp, sp, #8\n ldr q0, [sp]\n hvc #0", { setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 8n) });
    t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_SP_ALIGN);
  });

  it("MMIO: a Q load is two 8-byte reads, a Q pair store four 8-byte writes, base written back once", async () => {
    const MMIO = 0x0900_0000n;
    const r = await fpRun(`
      ldr q0, [x1, #16]!
      stp q1, q2, [x2], #32
      ldr s3, [x3]
      hvc #0
    `, { regs: { 1: MMIO, 2: MMIO + 0x100n, 3: MMIO + 0x200n }, v: { 0: GARBAGE_Q, 1: V_BYTES, 2: q(0x22n, 0x11n), 3: GARBAGE_Q } });
    expect(hvcImm(r.exit)).toBe(0);
    const list = r.mmio.map((m) => m.kind === "mmio" ? `${m.isWrite ? "W" : "R"} ${hex(m.addr)} ${m.size}${m.isWrite ? " " + hex(m.data) : ""}` : "?");
    expect(list).toEqual([
      "R 0x9000010 8", "R 0x9000018 8",
      `W 0x9000100 8 ${hex(V_BYTES & ((1n << 64n) - 1n))}`, `W 0x9000108 8 ${hex(V_BYTES >> 64n)}`, "W 0x9000110 8 0x11", "W 0x9000118 8 0x22",
      "R 0x9000200 4",
    ]);
    expect(r.core.x(1)).toBe(MMIO + 16n);
    expect(r.core.x(2)).toBe(MMIO + 0x120n);
    expect(r.core.v(0)).toBe(0n);
    expect(r.core.v(3)).toBe(0n);
  });

  it("a load faulting on its second half changes no register", async () => {
    const r = await fpRun(`
      ldr q0, [x1], #16
      hvc #0
    `, { regs: { 1: 0x4000_0000n + 0x100_0000n - 8n }, v: { 0: GARBAGE_Q } }); // the second half is past the end of RAM: MMIO, answered with 0
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.mmio.length).toBe(1);
    // A translation fault on the second page (MMU on) leaves V0 and X1 unchanged.
    const r2 = await fpRun(`
      ldr q0, [x1], #16
      hvc #0
    `, { regs: { 1: 0x1ff8n }, v: { 0: GARBAGE_Q }, setup: buildTables });
    const t = takenEL1(r2.core, r2.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.far).toBe(0x2000n);
    expect(r2.core.v(0)).toBe(GARBAGE_Q);
    expect(r2.core.x(1)).toBe(0x1ff8n);
  });
});

// ---- moves between general and SIMD&FP registers --------------------------------------------
describe("FMOV and the AdvSIMD moves", () => {
  it("FMOV (general, register, immediate)", async () => {
    const X = 0x1234_5678_9abc_def0n;
    await expectCases([
      { insn: "fmov s0, w1", x1: X, want: { v0: 0x9abc_def0n } },
      { insn: "fmov d0, x1", x1: X, want: { v0: X } },
      { insn: "fmov v0.d[1], x1", x1: X, want: { v0: q(X, GARBAGE_LO) } },
      { insn: "fmov s0, wzr", want: { v0: 0n } },
      { insn: "fmov w0, s1", v1: V_BYTES, want: { x0: 0x8382_8180n, v0: GARBAGE_Q } },
      { insn: "fmov x0, d1", v1: V_BYTES, want: { x0: 0x8786_8584_8382_8180n } },
      { insn: "fmov x0, v1.d[1]", v1: V_BYTES, want: { x0: 0x8f8e_8d8c_8b8a_8988n } },
      { insn: "fmov s0, s1", v1: V_BYTES, want: { v0: 0x8382_8180n } },
      { insn: "fmov d0, d1", v1: V_BYTES, want: { v0: 0x8786_8584_8382_8180n } },
      { insn: "fmov s0, #1.0", want: { v0: S1 } },
      { insn: "fmov s0, #-0.125", want: { v0: 0xbe00_0000n } },
      { insn: "fmov s0, #31.0", want: { v0: f32(31) } },
      { insn: "fmov d0, #31.0", want: { v0: 0x403f_0000_0000_0000n } },
      { insn: "fmov d0, #-1.9375", want: { v0: f64(-1.9375) } },
      { insn: "fmov d0, #0.125", want: { v0: f64(0.125) } },
    ]);
  });

  it("MOVI, MVNI, ORR/BIC (immediate), FMOV (vector immediate), MOV/ORR (vector)", async () => {
    const rep = (e: bigint, bits: number, n: number) => { let v = 0n; for (let i = 0; i < n; i++) v |= e << BigInt(i * bits); return v; };
    const G = GARBAGE_Q, M128 = (1n << 128n) - 1n, M64 = (1n << 64n) - 1n;
    await expectCases([
      { insn: "movi v0.16b, #0xab", want: { v0: rep(0xabn, 8, 16) } },
      { insn: "movi v0.8b, #0xab", want: { v0: rep(0xabn, 8, 8) } },
      { insn: "movi v0.4h, #0x12, lsl #8", want: { v0: rep(0x1200n, 16, 4) } },
      { insn: "movi v0.8h, #0x12", want: { v0: rep(0x12n, 16, 8) } },
      { insn: "movi v0.2s, #0x12, lsl #24", want: { v0: rep(0x1200_0000n, 32, 2) } },
      { insn: "movi v0.4s, #0x12, lsl #16", want: { v0: rep(0x12_0000n, 32, 4) } },
      { insn: "movi v0.4s, #0x12, msl #8", want: { v0: rep(0x12ffn, 32, 4) } },
      { insn: "movi v0.2s, #0x12, msl #16", want: { v0: rep(0x12_ffffn, 32, 2) } },
      { insn: "mvni v0.4s, #0x12, lsl #8", want: { v0: rep(0xffff_edffn, 32, 4) } },
      { insn: "mvni v0.8h, #0x12", want: { v0: rep(0xffedn, 16, 8) } },
      { insn: "mvni v0.2s, #0x12, msl #16", want: { v0: rep(0xffed_0000n, 32, 2) } },
      { insn: "mvni v0.4h, #0xff, lsl #8", want: { v0: rep(0x00ffn, 16, 4) } },
      { insn: "movi d0, #0xff00ff0000ff00ff", want: { v0: 0xff00_ff00_00ff_00ffn } },
      { insn: "movi v0.2d, #0xffff0000ffff0000", want: { v0: rep(0xffff_0000_ffff_0000n, 64, 2) } },
      { insn: "movi v0.2d, #0", want: { v0: 0n } },
      { insn: "fmov v0.4s, #1.0", want: { v0: rep(S1, 32, 4) } },
      { insn: "fmov v0.2s, #-2.0", want: { v0: rep(0xc000_0000n, 32, 2) } },
      { insn: "fmov v0.2d, #0.5", want: { v0: rep(f64(0.5), 64, 2) } },
      { insn: "orr v0.4s, #0x12, lsl #8", want: { v0: G | rep(0x1200n, 32, 4) } },
      { insn: "orr v0.4h, #0x34", want: { v0: (G & M64) | rep(0x34n, 16, 4) } },
      { insn: "bic v0.8h, #0xff", want: { v0: G & (M128 ^ rep(0xffn, 16, 8)) } },
      { insn: "bic v0.2s, #0x80, lsl #24", want: { v0: G & M64 & ~rep(0x8000_0000n, 32, 2) } },
      { insn: "mov v0.16b, v1.16b", v1: V_BYTES, want: { v0: V_BYTES } },
      { insn: "mov v0.8b, v1.8b", v1: V_BYTES, want: { v0: V_BYTES & M64 } },
      { insn: "orr v0.16b, v1.16b, v2.16b", v1: V_BYTES, v2: q(0x7070n, 0x0101n), want: { v0: V_BYTES | q(0x7070n, 0x0101n) } },
    ]);
  });

  it("DUP, INS, UMOV, SMOV (and their MOV aliases)", async () => {
    const rep = (e: bigint, bits: number, n: number) => { let v = 0n; for (let i = 0; i < n; i++) v |= e << BigInt(i * bits); return v; };
    const G = GARBAGE_Q;
    const ins = (v: bigint, e: bigint, bits: number, i: number) => (v & ~(((1n << BigInt(bits)) - 1n) << BigInt(i * bits))) | (e << BigInt(i * bits));
    const X = 0x1122_3344_5566_77abn;
    await expectCases([
      { insn: "dup v0.16b, w1", x1: X, want: { v0: rep(0xabn, 8, 16) } },
      { insn: "dup v0.4h, w1", x1: X, want: { v0: rep(0x77abn, 16, 4) } },
      { insn: "dup v0.4s, w1", x1: X, want: { v0: rep(0x5566_77abn, 32, 4) } },
      { insn: "dup v0.2s, w1", x1: X, want: { v0: rep(0x5566_77abn, 32, 2) } },
      { insn: "dup v0.2d, x1", x1: X, want: { v0: rep(X, 64, 2) } },
      { insn: "dup v0.8h, v1.h[5]", v1: V_BYTES, want: { v0: rep(0x8b8an, 16, 8) } },
      { insn: "dup v0.8b, v1.b[15]", v1: V_BYTES, want: { v0: rep(0x8fn, 8, 8) } },
      { insn: "dup v0.2d, v1.d[1]", v1: V_BYTES, want: { v0: rep(V_BYTES >> 64n, 64, 2) } },
      { insn: "dup v0.2s, v1.s[2]", v1: V_BYTES, want: { v0: rep(0x8b8a_8988n, 32, 2) } },
      { insn: "mov s0, v1.s[3]", v1: V_BYTES, want: { v0: 0x8f8e_8d8cn } },
      { insn: "mov d0, v1.d[1]", v1: V_BYTES, want: { v0: V_BYTES >> 64n } },
      { insn: "mov b0, v1.b[9]", v1: V_BYTES, want: { v0: 0x89n } },
      { insn: "mov h0, v1.h[0]", v1: V_BYTES, want: { v0: 0x8180n } },
      { insn: "mov v0.s[2], w1", x1: X, want: { v0: ins(G, 0x5566_77abn, 32, 2) } },
      { insn: "mov v0.b[15], w1", x1: X, want: { v0: ins(G, 0xabn, 8, 15) } },
      { insn: "mov v0.d[1], x1", x1: X, want: { v0: ins(G, X, 64, 1) } },
      { insn: "mov v0.h[3], v1.h[6]", v1: V_BYTES, want: { v0: ins(G, 0x8d8cn, 16, 3) } },
      { insn: "mov v0.d[0], v1.d[1]", v1: V_BYTES, want: { v0: ins(G, V_BYTES >> 64n, 64, 0) } },
      { insn: "mov v0.b[0], v1.b[15]", v1: V_BYTES, want: { v0: ins(G, 0x8fn, 8, 0) } },
      { insn: "umov w0, v1.b[15]", v1: V_BYTES, want: { x0: 0x8fn } },
      { insn: "umov w0, v1.h[7]", v1: V_BYTES, want: { x0: 0x8f8en } },
      { insn: "mov w0, v1.s[3]", v1: V_BYTES, want: { x0: 0x8f8e_8d8cn } },
      { insn: "mov x0, v1.d[1]", v1: V_BYTES, want: { x0: V_BYTES >> 64n } },
      { insn: "smov w0, v1.b[15]", v1: V_BYTES, want: { x0: 0xffff_ff8fn } },
      { insn: "smov w0, v1.h[1]", v1: V_BYTES, want: { x0: 0xffff_8382n } },
      { insn: "smov x0, v1.h[3]", v1: V_BYTES, want: { x0: 0xffff_ffff_ffff_8786n } },
      { insn: "smov x0, v1.s[1]", v1: V_BYTES, want: { x0: 0xffff_ffff_8786_8584n } },
      { insn: "smov x0, v1.b[0]", v1: 0x7fn, want: { x0: 0x7fn } },
    ]);
  });
});

// ---- arithmetic --------------------------------------------------------------------------------
describe("Scalar arithmetic (FADD, FSUB, FMUL, FDIV, FNMUL, FSQRT, FABS, FNEG, FMAX/FMIN/FMAXNM/FMINNM)", () => {
  it("ordinary values and the four rounding modes", async () => {
    const ONE_P = 0x3380_0000n; // 2^-24: 1 + 2^-24 is halfway between 1 and 1 + 2^-23
    await expectCases([
      { insn: "fadd s0, s1, s2", v1: S1, v2: S2, want: { v0: S3 } },
      { insn: "fsub s0, s1, s2", v1: S1, v2: S2, want: { v0: SM1 } },
      { insn: "fmul s0, s1, s2", v1: S3, v2: S2, want: { v0: f32(6) } },
      { insn: "fnmul s0, s1, s2", v1: S3, v2: S2, want: { v0: f32(-6) } },
      { insn: "fdiv s0, s1, s2", v1: S3, v2: S2, want: { v0: f32(1.5) } },
      { name: "fadd RN tie to even", insn: "fadd s0, s1, s2", v1: S1, v2: ONE_P, fpcr: RN, want: { v0: S1, fpsr: IXC } },
      { name: "fadd RP", insn: "fadd s0, s1, s2", v1: S1, v2: ONE_P, fpcr: RP, want: { v0: 0x3f80_0001n, fpsr: IXC } },
      { name: "fadd RM", insn: "fadd s0, s1, s2", v1: S1, v2: ONE_P, fpcr: RM, want: { v0: S1, fpsr: IXC } },
      { name: "fadd RZ", insn: "fadd s0, s1, s2", v1: S1, v2: ONE_P, fpcr: RZ, want: { v0: S1, fpsr: IXC } },
      { name: "fadd RM negative", insn: "fadd s0, s1, s2", v1: SM1, v2: 0xb380_0000n, fpcr: RM, want: { v0: 0xbf80_0001n, fpsr: IXC } },
      { name: "fadd RP negative", insn: "fadd s0, s1, s2", v1: SM1, v2: 0xb380_0000n, fpcr: RP, want: { v0: SM1, fpsr: IXC } },
      { name: "fdiv 1/3 RN", insn: "fdiv s0, s1, s2", v1: S1, v2: S3, fpcr: RN, want: { v0: 0x3eaa_aaabn, fpsr: IXC } },
      { name: "fdiv 1/3 RZ", insn: "fdiv s0, s1, s2", v1: S1, v2: S3, fpcr: RZ, want: { v0: 0x3eaa_aaaan, fpsr: IXC } },
      { name: "fdiv 1/3 RP", insn: "fdiv s0, s1, s2", v1: S1, v2: S3, fpcr: RP, want: { v0: 0x3eaa_aaabn, fpsr: IXC } },
      { name: "fdiv -1/3 RM", insn: "fdiv s0, s1, s2", v1: SM1, v2: S3, fpcr: RM, want: { v0: 0xbeaa_aaabn, fpsr: IXC } },
      { insn: "fsqrt s0, s1", v1: S2, want: { v0: 0x3fb5_04f3n, fpsr: IXC } },
      { name: "fsqrt RZ", insn: "fsqrt s0, s1", v1: S2, fpcr: RZ, want: { v0: 0x3fb5_04f3n, fpsr: IXC } },
      { name: "fsqrt RP", insn: "fsqrt s0, s1", v1: S2, fpcr: RP, want: { v0: 0x3fb5_04f4n, fpsr: IXC } },
      { insn: "fsqrt s0, s1", v1: f32(2.25), want: { v0: f32(1.5) } },
      { insn: "fadd d0, d1, d2", v1: f64(0.1), v2: f64(0.2), want: { v0: 0x3fd3_3333_3333_3334n, fpsr: IXC } },
      { name: "fadd d RZ", insn: "fadd d0, d1, d2", v1: f64(0.1), v2: f64(0.2), fpcr: RZ, want: { v0: 0x3fd3_3333_3333_3333n, fpsr: IXC } },
      { insn: "fdiv d0, d1, d2", v1: D1, v2: f64(3), want: { v0: 0x3fd5_5555_5555_5555n, fpsr: IXC } },
      { name: "fdiv d RP", insn: "fdiv d0, d1, d2", v1: D1, v2: f64(3), fpcr: RP, want: { v0: 0x3fd5_5555_5555_5556n, fpsr: IXC } },
      { insn: "fmul d0, d1, d2", v1: f64(1.5), v2: f64(-4), want: { v0: f64(-6) } },
      { insn: "fsqrt d0, d1", v1: D2, want: { v0: 0x3ff6_a09e_667f_3bcdn, fpsr: IXC } },
      { insn: "fsub d0, d1, d2", v1: D1, v2: D1, want: { v0: 0n } },
      { name: "x - x in RM is -0", insn: "fsub d0, d1, d2", v1: D1, v2: D1, fpcr: RM, want: { v0: 1n << 63n } },
      { insn: "fabs s0, s1", v1: 0xc0a0_0000n, want: { v0: 0x40a0_0000n } },
      { insn: "fneg d0, d1", v1: D1, want: { v0: 0xbff0_0000_0000_0000n } },
      { insn: "fmax s0, s1, s2", v1: S1, v2: S2, want: { v0: S2 } },
      { insn: "fmin d0, d1, d2", v1: D1, v2: f64(-7), want: { v0: f64(-7) } },
    ]);
  });

  it("NaNs, infinities, zeros, subnormals; FZ and DN", async () => {
    const QN = 0x7fc0_0001n, SN = 0x7f80_0001n;
    await expectCases([
      { name: "qNaN operand propagates", insn: "fadd s0, s1, s2", v1: QN, v2: S1, want: { v0: QN } },
      { name: "sNaN operand is quieted, IOC", insn: "fadd s0, s1, s2", v1: S1, v2: SN, want: { v0: QN, fpsr: IOC } },
      { name: "sNaN beats an earlier qNaN", insn: "fmul s0, s1, s2", v1: 0x7fc0_0005n, v2: 0x7f80_0002n, want: { v0: 0x7fc0_0002n, fpsr: IOC } },
      { name: "first qNaN wins", insn: "fsub s0, s1, s2", v1: 0xffc0_0003n, v2: 0x7fc0_0004n, want: { v0: 0xffc0_0003n } },
      { name: "DN: default NaN", insn: "fadd s0, s1, s2", v1: QN, v2: S1, fpcr: DN, want: { v0: SDNAN } },
      { name: "DN with sNaN", insn: "fadd d0, d1, d2", v1: 0x7ff0_0000_0000_0001n, v2: D1, fpcr: DN, want: { v0: DDNAN, fpsr: IOC } },
      { name: "double sNaN quieted", insn: "fadd d0, d1, d2", v1: 0x7ff0_0000_0000_0001n, v2: D1, want: { v0: 0x7ff8_0000_0000_0001n, fpsr: IOC } },
      { name: "inf - inf", insn: "fsub s0, s1, s2", v1: SINF, v2: SINF, want: { v0: SDNAN, fpsr: IOC } },
      { name: "inf + inf", insn: "fadd s0, s1, s2", v1: SINF, v2: SINF, want: { v0: SINF } },
      { name: "inf * 0", insn: "fmul d0, d1, d2", v1: DINF, v2: 0n, want: { v0: DDNAN, fpsr: IOC } },
      { name: "1 / 0", insn: "fdiv s0, s1, s2", v1: S1, v2: 0n, want: { v0: SINF, fpsr: DZC } },
      { name: "-1 / +0", insn: "fdiv d0, d1, d2", v1: 0xbff0_0000_0000_0000n, v2: 0n, want: { v0: 0xfff0_0000_0000_0000n, fpsr: DZC } },
      { name: "0 / 0", insn: "fdiv s0, s1, s2", v1: 0n, v2: 0x8000_0000n, want: { v0: SDNAN, fpsr: IOC } },
      { name: "inf / inf", insn: "fdiv s0, s1, s2", v1: SINF, v2: SNINF, want: { v0: SDNAN, fpsr: IOC } },
      { name: "1 / inf", insn: "fdiv s0, s1, s2", v1: SM1, v2: SINF, want: { v0: 0x8000_0000n } },
      { name: "-0 + -0", insn: "fadd s0, s1, s2", v1: 0x8000_0000n, v2: 0x8000_0000n, want: { v0: 0x8000_0000n } },
      { name: "-0 + +0", insn: "fadd s0, s1, s2", v1: 0x8000_0000n, v2: 0n, want: { v0: 0n } },
      { name: "-0 + +0 RM", insn: "fadd s0, s1, s2", v1: 0x8000_0000n, v2: 0n, fpcr: RM, want: { v0: 0x8000_0000n } },
      { name: "overflow RN", insn: "fmul s0, s1, s2", v1: SMAX, v2: S2, want: { v0: SINF, fpsr: OFC | IXC } },
      { name: "overflow RZ", insn: "fmul s0, s1, s2", v1: SMAX, v2: S2, fpcr: RZ, want: { v0: SMAX, fpsr: OFC | IXC } },
      { name: "overflow RM positive", insn: "fadd s0, s1, s2", v1: SMAX, v2: SMAX, fpcr: RM, want: { v0: SMAX, fpsr: OFC | IXC } },
      { name: "overflow RM negative", insn: "fmul d0, d1, d2", v1: DMAX, v2: f64(-2), fpcr: RM, want: { v0: 0xfff0_0000_0000_0000n, fpsr: OFC | IXC } },
      { name: "exact subnormal result", insn: "fmul s0, s1, s2", v1: SMINN, v2: f32(0.5), want: { v0: 0x0040_0000n } },
      { name: "exact subnormal result, FZ: flushed, UFC", insn: "fmul s0, s1, s2", v1: SMINN, v2: f32(0.5), fpcr: FZ, want: { v0: 0n, fpsr: UFC } },
      { name: "underflow to zero", insn: "fmul s0, s1, s2", v1: SMINN, v2: SMINN, want: { v0: 0n, fpsr: UFC | IXC } },
      { name: "underflow RP: smallest subnormal", insn: "fmul s0, s1, s2", v1: SMINN, v2: SMINN, fpcr: RP, want: { v0: 1n, fpsr: UFC | IXC } },
      { name: "inexact subnormal", insn: "fdiv d0, d1, d2", v1: 0x0010_0000_0000_0000n, v2: f64(3), want: { v0: 0x0005_5555_5555_5555n, fpsr: UFC | IXC } },
      { name: "subnormal operand", insn: "fadd s0, s1, s2", v1: 1n, v2: 1n, want: { v0: 2n } },
      { name: "subnormal operand, FZ: flushed, IDC", insn: "fadd s0, s1, s2", v1: 1n, v2: 0n, fpcr: FZ, want: { v0: 0n, fpsr: IDC } },
      { name: "subnormal operand, FZ, double", insn: "fmul d0, d1, d2", v1: 0x8000_0000_0000_0001n, v2: D1, fpcr: FZ, want: { v0: 1n << 63n, fpsr: IDC } },
      { insn: "fsqrt s0, s1", v1: SM1, want: { v0: SDNAN, fpsr: IOC } },
      { insn: "fsqrt s0, s1", v1: 0x8000_0000n, want: { v0: 0x8000_0000n } },
      { insn: "fsqrt d0, d1", v1: DINF, want: { v0: DINF } },
      { insn: "fsqrt s0, s1", v1: 0x7f80_0003n, want: { v0: 0x7fc0_0003n, fpsr: IOC } },
      { name: "fabs of a NaN: no exception", insn: "fabs s0, s1", v1: 0xff80_0001n, want: { v0: 0x7f80_0001n } },
      { name: "fneg of a NaN: no exception", insn: "fneg s0, s1", v1: 0x7f80_0001n, want: { v0: 0xff80_0001n } },
      { insn: "fabs d0, d1", v1: 1n << 63n, want: { v0: 0n } },
      { name: "fnmul negates a NaN result", insn: "fnmul s0, s1, s2", v1: QN, v2: S1, want: { v0: 0xffc0_0001n } },
      { name: "fmax(-0, +0)", insn: "fmax s0, s1, s2", v1: 0x8000_0000n, v2: 0n, want: { v0: 0n } },
      { name: "fmin(+0, -0)", insn: "fmin s0, s1, s2", v1: 0n, v2: 0x8000_0000n, want: { v0: 0x8000_0000n } },
      { name: "fmax with a qNaN", insn: "fmax s0, s1, s2", v1: S1, v2: QN, want: { v0: QN } },
      { name: "fmaxnm with a qNaN", insn: "fmaxnm s0, s1, s2", v1: S1, v2: QN, want: { v0: S1 } },
      { name: "fminnm with a qNaN", insn: "fminnm d0, d1, d2", v1: DDNAN, v2: f64(-2), want: { v0: f64(-2) } },
      { name: "fmaxnm with an sNaN", insn: "fmaxnm s0, s1, s2", v1: S1, v2: SN, want: { v0: QN, fpsr: IOC } },
      { name: "fminnm of two qNaNs", insn: "fminnm s0, s1, s2", v1: 0x7fc0_0007n, v2: QN, want: { v0: 0x7fc0_0007n } },
      { name: "fmax(inf, max)", insn: "fmax s0, s1, s2", v1: SINF, v2: SMAX, want: { v0: SINF } },
      { name: "fmin with a subnormal, FZ", insn: "fmin s0, s1, s2", v1: 0x8000_0001n, v2: 0n, fpcr: FZ, want: { v0: 0x8000_0000n, fpsr: IDC } },
    ]);
  });

  it("FMADD, FMSUB, FNMADD, FNMSUB: one rounding; the negations apply to NaNs too", async () => {
    await expectCases([
      { insn: "fmadd s0, s1, s2, s3", v1: S2, v2: S3, v3: S1, want: { v0: f32(7) } },
      { insn: "fmsub s0, s1, s2, s3", v1: S2, v2: S3, v3: S1, want: { v0: f32(-5) } },
      { insn: "fnmadd s0, s1, s2, s3", v1: S2, v2: S3, v3: S1, want: { v0: f32(-7) } },
      { insn: "fnmsub s0, s1, s2, s3", v1: S2, v2: S3, v3: S1, want: { v0: f32(5) } },
      { insn: "fmadd d0, d1, d2, d3", v1: f64(1.5), v2: f64(2), v3: f64(0.25), want: { v0: f64(3.25) } },
      // (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly; a separately rounded product would give 0.
      { name: "fused", insn: "fmadd s0, s1, s2, s3", v1: 0x3f80_0800n, v2: 0x3f80_0800n, v3: 0xbf80_1000n, want: { v0: 0x3380_0000n } },
      { name: "fused double", insn: "fmsub d0, d1, d2, d3", v1: f64(1 + 2 ** -27), v2: f64(1 + 2 ** -27), v3: f64(1 + 2 ** -26), want: { v0: f64(-(2 ** -54)) } },
      { name: "fmsub negates a NaN Rn", insn: "fmsub s0, s1, s2, s3", v1: 0x7fc0_0001n, v2: S1, v3: S1, want: { v0: 0xffc0_0001n } },
      { name: "fnmadd negates a NaN Ra", insn: "fnmadd s0, s1, s2, s3", v1: S1, v2: S1, v3: 0x7fc0_0003n, want: { v0: 0xffc0_0003n } },
      { name: "fnmsub negates a NaN Ra", insn: "fnmsub d0, d1, d2, d3", v1: D1, v2: D1, v3: 0x7ff8_0000_0000_0003n, want: { v0: 0xfff8_0000_0000_0003n } },
      { name: "inf * 0 + qNaN: default NaN, IOC", insn: "fmadd s0, s1, s2, s3", v1: SINF, v2: 0n, v3: 0x7fc0_0005n, want: { v0: SDNAN, fpsr: IOC } },
      { name: "inf * 1 - inf", insn: "fmadd d0, d1, d2, d3", v1: DINF, v2: D1, v3: 0xfff0_0000_0000_0000n, want: { v0: DDNAN, fpsr: IOC } },
      { name: "rounding RZ", insn: "fmadd s0, s1, s2, s3", v1: S1, v2: 0x3f80_0001n, v3: 0x3380_0000n, fpcr: RZ, want: { v0: 0x3f80_0001n, fpsr: IXC } },
      { name: "rounding RP", insn: "fmadd s0, s1, s2, s3", v1: S1, v2: 0x3f80_0001n, v3: 0x3380_0000n, fpcr: RP, want: { v0: 0x3f80_0002n, fpsr: IXC } },
    ]);
  });
});

describe("FCMP, FCMPE, FCCMP, FCCMPE, FCSEL", () => {
  it("NZCV results, #0.0, and which NaNs signal", async () => {
    const N = 0x8000_0000, ZC = 0x6000_0000, C = 0x2000_0000, CV = 0x3000_0000;
    await expectCases([
      { insn: "fcmp s1, s2", v1: S1, v2: S2, want: { nzcv: N } },
      { insn: "fcmp s1, s2", v1: S2, v2: S1, want: { nzcv: C } },
      { insn: "fcmp s1, s2", v1: S2, v2: S2, want: { nzcv: ZC } },
      { insn: "fcmp s1, s2", v1: 0n, v2: 0x8000_0000n, want: { nzcv: ZC } },
      { insn: "fcmp d1, d2", v1: 0xfff0_0000_0000_0000n, v2: D1, want: { nzcv: N } },
      { insn: "fcmp d1, d2", v1: DINF, v2: DMAX, want: { nzcv: C } },
      { insn: "fcmp s1, #0.0", v1: 0x8000_0000n, want: { nzcv: ZC } },
      { insn: "fcmp d1, #0.0", v1: f64(-1e-300), want: { nzcv: N } },
      { insn: "fcmp s1, #0.0", v1: 1n, want: { nzcv: C } },
      { name: "fcmp subnormal, FZ", insn: "fcmp s1, #0.0", v1: 1n, fpcr: FZ, want: { nzcv: ZC, fpsr: IDC } },
      { name: "fcmp qNaN: unordered, quiet", insn: "fcmp s1, s2", v1: SDNAN, v2: S1, want: { nzcv: CV } },
      { name: "fcmp sNaN: IOC", insn: "fcmp s1, s2", v1: S1, v2: 0x7f80_0001n, want: { nzcv: CV, fpsr: IOC } },
      { name: "fcmpe qNaN: IOC", insn: "fcmpe s1, s2", v1: SDNAN, v2: S1, want: { nzcv: CV, fpsr: IOC } },
      { name: "fcmpe #0.0 qNaN", insn: "fcmpe d1, #0.0", v1: DDNAN, want: { nzcv: CV, fpsr: IOC } },
      { insn: "fcmpe d1, d2", v1: D1, v2: D2, want: { nzcv: N } },
    ]);
  });

  it("FCCMP/FCCMPE compare only when the condition holds; FCSEL selects and zero-extends", async () => {
    const Z = 0x4000_0000;
    await expectCases([
      { insn: "fccmp s1, s2, #0x2, eq", nzcv: Z, v1: S1, v2: S2, want: { nzcv: 0x8000_0000 } },
      { insn: "fccmp s1, s2, #0x2, eq", nzcv: 0, v1: S1, v2: S2, want: { nzcv: 0x2000_0000 } },
      { insn: "fccmp d1, d2, #0xf, ne", nzcv: Z, v1: D1, v2: D1, want: { nzcv: 0xf000_0000 } },
      { insn: "fccmp d1, d2, #0x0, ne", nzcv: 0, v1: D1, v2: D1, want: { nzcv: 0x6000_0000 } },
      { name: "fccmpe not compared: no IOC", insn: "fccmpe s1, s2, #0x4, eq", nzcv: 0, v1: SDNAN, v2: S1, want: { nzcv: Z } },
      { name: "fccmpe compared: IOC", insn: "fccmpe s1, s2, #0x4, eq", nzcv: Z, v1: SDNAN, v2: S1, want: { nzcv: 0x3000_0000, fpsr: IOC } },
      { name: "fccmp compared quiet NaN: no IOC", insn: "fccmp s1, s2, #0x4, al", nzcv: 0, v1: SDNAN, v2: S1, want: { nzcv: 0x3000_0000 } },
      { insn: "fcsel s0, s1, s2, eq", nzcv: Z, v1: q(0x77n, S1), v2: S2, want: { v0: S1 } },
      { insn: "fcsel s0, s1, s2, eq", nzcv: 0, v1: S1, v2: q(0x77n, S2), want: { v0: S2 } },
      { insn: "fcsel d0, d1, d2, ge", nzcv: 0x9000_0000, v1: D1, v2: D2, want: { v0: D1 } },
      { insn: "fcsel d0, d1, d2, lt", nzcv: 0x9000_0000, v1: D1, v2: q(1n, D2), want: { v0: D2 } },
      { name: "fcsel passes an sNaN through quietly", insn: "fcsel s0, s1, s2, al", v1: 0x7f80_0001n, v2: 0n, want: { v0: 0x7f80_0001n } },
    ]);
  });
});

describe("Rounding to integral and conversions", () => {
  it("FRINTN, FRINTP, FRINTM, FRINTZ, FRINTA, FRINTX, FRINTI", async () => {
    await expectCases([
      { insn: "frintn s0, s1", v1: f32(2.5), want: { v0: f32(2) } },
      { insn: "frintn s0, s1", v1: f32(3.5), want: { v0: f32(4) } },
      { insn: "frintn d0, d1", v1: f64(-2.5), want: { v0: f64(-2) } },
      { insn: "frinta s0, s1", v1: f32(2.5), want: { v0: f32(3) } },
      { insn: "frinta d0, d1", v1: f64(-2.5), want: { v0: f64(-3) } },
      { insn: "frintp s0, s1", v1: f32(2.1), want: { v0: f32(3) } },
      { insn: "frintp s0, s1", v1: f32(-0.5), want: { v0: 0x8000_0000n } },
      { insn: "frintm s0, s1", v1: f32(-2.1), want: { v0: f32(-3) } },
      { insn: "frintm d0, d1", v1: f64(0.5), want: { v0: 0n } },
      { insn: "frintz s0, s1", v1: f32(-2.9), want: { v0: f32(-2) } },
      { insn: "frintz d0, d1", v1: f64(1e300), want: { v0: f64(1e300) } },
      { insn: "frintx s0, s1", v1: f32(2.5), want: { v0: f32(2), fpsr: IXC } },
      { insn: "frintx s0, s1", v1: f32(2.5), fpcr: RP, want: { v0: f32(3), fpsr: IXC } },
      { insn: "frintx d0, d1", v1: f64(7), want: { v0: f64(7) } },
      { insn: "frinti s0, s1", v1: f32(2.5), fpcr: RP, want: { v0: f32(3) } },
      { insn: "frinti s0, s1", v1: f32(2.5), fpcr: RM, want: { v0: f32(2) } },
      { insn: "frinti d0, d1", v1: f64(-2.5), fpcr: RZ, want: { v0: f64(-2) } },
      { insn: "frintz s0, s1", v1: 0x7f80_0001n, want: { v0: 0x7fc0_0001n, fpsr: IOC } },
      { insn: "frintn s0, s1", v1: SNINF, want: { v0: SNINF } },
      { name: "frinta subnormal, FZ", insn: "frinta s0, s1", v1: 0x0000_0100n, fpcr: FZ, want: { v0: 0n, fpsr: IDC } },
    ]);
  });

  it("FCVT between single, double and half (AHP, NaN payloads, overflow, underflow)", async () => {
    await expectCases([
      { insn: "fcvt d0, s1", v1: S1, want: { v0: D1 } },
      { insn: "fcvt d0, s1", v1: 0x7f80_0001n, want: { v0: 0x7ff8_0000_2000_0000n, fpsr: IOC } },
      { insn: "fcvt d0, s1", v1: 0xffc0_0001n, want: { v0: 0xfff8_0000_2000_0000n } },
      { insn: "fcvt d0, s1", v1: 1n, want: { v0: f64(2 ** -149) } },
      { insn: "fcvt s0, d1", v1: f64(0.1), want: { v0: 0x3dcc_cccdn, fpsr: IXC } },
      { insn: "fcvt s0, d1", v1: f64(0.1), fpcr: RZ, want: { v0: 0x3dcc_ccccn, fpsr: IXC } },
      { insn: "fcvt s0, d1", v1: f64(1e300), want: { v0: SINF, fpsr: OFC | IXC } },
      { insn: "fcvt s0, d1", v1: f64(-1e300), fpcr: RZ, want: { v0: 0xff7f_ffffn, fpsr: OFC | IXC } },
      { insn: "fcvt s0, d1", v1: f64(1e-300), want: { v0: 0n, fpsr: UFC | IXC } },
      { insn: "fcvt s0, d1", v1: 0x7ff0_0000_0000_0001n, fpcr: DN, want: { v0: SDNAN, fpsr: IOC } },
      { insn: "fcvt s0, d1", v1: f64(2 ** -140), want: { v0: 0x0000_0200n } },
      { insn: "fcvt h0, s1", v1: S1, want: { v0: 0x3c00n } },
      { insn: "fcvt h0, s1", v1: f32(65520), want: { v0: 0x7c00n, fpsr: OFC | IXC } },
      { name: "fcvt h, s with AHP", insn: "fcvt h0, s1", v1: f32(65520), fpcr: AHP, want: { v0: 0x7c00n, fpsr: IXC } },
      { name: "fcvt h, s of inf with AHP", insn: "fcvt h0, s1", v1: SINF, fpcr: AHP, want: { v0: 0x7fffn, fpsr: IOC } },
      { insn: "fcvt h0, d1", v1: f64(-2), want: { v0: 0xc000n } },
      { insn: "fcvt h0, d1", v1: f64(2 ** -25), want: { v0: 0n, fpsr: UFC | IXC } },
      { insn: "fcvt s0, h1", v1: 0x3c00n, want: { v0: S1 } },
      { insn: "fcvt s0, h1", v1: 0x0001n, want: { v0: 0x3380_0000n } },
      { insn: "fcvt s0, h1", v1: q(5n, 0xffff_0000_0000_7c00n), want: { v0: SINF } },
      { insn: "fcvt s0, h1", v1: 0x7e01n, want: { v0: 0x7fc0_2000n } },
      { name: "fcvt s, h with AHP: exponent 31 is a number", insn: "fcvt s0, h1", v1: 0x7c00n, fpcr: AHP, want: { v0: f32(65536) } },
      { insn: "fcvt d0, h1", v1: 0xc000n, want: { v0: 0xc000_0000_0000_0000n } },
    ]);
  });

  it("FCVT{N,P,M,Z,A}{S,U} to W and X, saturating; fixed-point FCVTZS/FCVTZU", async () => {
    const W = (v: number) => BigInt.asUintN(32, BigInt(v));
    await expectCases([
      { insn: "fcvtzs w0, s1", v1: f32(2.7), want: { x0: 2n, fpsr: IXC } },
      { insn: "fcvtzs w0, s1", v1: f32(-2.7), want: { x0: W(-2), fpsr: IXC } },
      { insn: "fcvtzs w0, s1", v1: f32(3e9), want: { x0: 0x7fff_ffffn, fpsr: IOC } },
      { insn: "fcvtzs w0, s1", v1: f32(-3e9), want: { x0: 0x8000_0000n, fpsr: IOC } },
      { insn: "fcvtzs w0, s1", v1: SDNAN, want: { x0: 0n, fpsr: IOC } },
      { insn: "fcvtzs w0, d1", v1: DINF, want: { x0: 0x7fff_ffffn, fpsr: IOC } },
      { insn: "fcvtzs w0, d1", v1: f64(-2147483648.9), want: { x0: 0x8000_0000n, fpsr: IXC } },
      { insn: "fcvtzu w0, s1", v1: SM1, want: { x0: 0n, fpsr: IOC } },
      { insn: "fcvtzu w0, s1", v1: f32(-0.5), want: { x0: 0n, fpsr: IXC } },
      { insn: "fcvtzu w0, s1", v1: f32(4.5e9), want: { x0: 0xffff_ffffn, fpsr: IOC } },
      { insn: "fcvtzu x0, d1", v1: f64(2 ** 64), want: { x0: (1n << 64n) - 1n, fpsr: IOC } },
      { insn: "fcvtzu x0, d1", v1: f64(1.8e19), want: { x0: 18000000000000000000n } },
      { insn: "fcvtzs x0, d1", v1: f64(2 ** 63), want: { x0: (1n << 63n) - 1n, fpsr: IOC } },
      { insn: "fcvtzs x0, d1", v1: f64(-(2 ** 63)), want: { x0: 1n << 63n } },
      { insn: "fcvtzs x0, s1", v1: f32(-1.5), want: { x0: -1n, fpsr: IXC } },
      { insn: "fcvtns x0, d1", v1: f64(2.5), want: { x0: 2n, fpsr: IXC } },
      { insn: "fcvtns x0, d1", v1: f64(3.5), want: { x0: 4n, fpsr: IXC } },
      { insn: "fcvtns x0, d1", v1: f64(-2.5), want: { x0: -2n, fpsr: IXC } },
      { insn: "fcvtnu w0, d1", v1: f64(2.5), want: { x0: 2n, fpsr: IXC } },
      { insn: "fcvtas x0, d1", v1: f64(2.5), want: { x0: 3n, fpsr: IXC } },
      { insn: "fcvtas w0, s1", v1: f32(-2.5), want: { x0: W(-3), fpsr: IXC } },
      { insn: "fcvtau w0, d1", v1: f64(2.5), want: { x0: 3n, fpsr: IXC } },
      { insn: "fcvtps w0, s1", v1: f32(2.1), want: { x0: 3n, fpsr: IXC } },
      { insn: "fcvtps x0, s1", v1: f32(-2.1), want: { x0: -2n, fpsr: IXC } },
      { insn: "fcvtpu x0, d1", v1: f64(0.01), want: { x0: 1n, fpsr: IXC } },
      { insn: "fcvtms w0, s1", v1: f32(-2.1), want: { x0: W(-3), fpsr: IXC } },
      { insn: "fcvtmu x0, d1", v1: f64(2.9), want: { x0: 2n, fpsr: IXC } },
      { insn: "fcvtzs w0, s1", v1: f32(100), want: { x0: 100n } },
      { insn: "fcvtzs w0, s1, #16", v1: f32(1.5), want: { x0: 0x18000n } },
      { insn: "fcvtzs w0, s1, #32", v1: f32(-0.25), want: { x0: 0xc000_0000n } },
      { insn: "fcvtzs w0, s1, #1", v1: f32(2 ** 30), want: { x0: 0x7fff_ffffn, fpsr: IOC } },
      { insn: "fcvtzs x0, d1, #64", v1: f64(0.5), want: { x0: (1n << 63n) - 1n, fpsr: IOC } },
      { insn: "fcvtzu x0, d1, #64", v1: f64(0.5), want: { x0: 1n << 63n } },
      { insn: "fcvtzu w0, d1, #3", v1: f64(1.0625), want: { x0: 8n, fpsr: IXC } },
    ]);
  });

  it("SCVTF and UCVTF (integer and fixed-point), rounding as FPCR says", async () => {
    await expectCases([
      { insn: "scvtf s0, w1", x1: 0xffff_ffffn, want: { v0: SM1 } },
      { insn: "scvtf s0, w1", x1: 16777217n, want: { v0: 0x4b80_0000n, fpsr: IXC } },
      { insn: "scvtf s0, w1", x1: 16777217n, fpcr: RP, want: { v0: 0x4b80_0001n, fpsr: IXC } },
      { insn: "scvtf s0, w1", x1: 16777219n, want: { v0: 0x4b80_0002n, fpsr: IXC } },
      { insn: "ucvtf s0, w1", x1: 0xffff_ffffn, want: { v0: 0x4f80_0000n, fpsr: IXC } },
      { insn: "ucvtf s0, w1", x1: 0xffff_ffffn, fpcr: RZ, want: { v0: 0x4f7f_ffffn, fpsr: IXC } },
      { insn: "scvtf d0, x1", x1: 1n << 63n, want: { v0: 0xc3e0_0000_0000_0000n } },
      { insn: "ucvtf d0, x1", x1: -1n, want: { v0: 0x43f0_0000_0000_0000n, fpsr: IXC } },
      { insn: "ucvtf d0, x1", x1: -1n, fpcr: RZ, want: { v0: 0x43ef_ffff_ffff_ffffn, fpsr: IXC } },
      { insn: "scvtf d0, w1", x1: 0xffff_ffff_0000_0005n, want: { v0: f64(5) } },
      { insn: "scvtf s0, x1", x1: 1n << 40n, want: { v0: 0x5380_0000n } },
      { insn: "ucvtf d0, w1", x1: 0x8000_0000n, want: { v0: f64(2 ** 31) } },
      { insn: "scvtf d0, w1", x1: 0x8000_0000n, want: { v0: f64(-(2 ** 31)) } },
      { insn: "scvtf s0, wzr", want: { v0: 0n } },
      { insn: "scvtf s0, w1, #8", x1: 0x180n, want: { v0: f32(1.5) } },
      { insn: "ucvtf d0, x1, #64", x1: 1n << 63n, want: { v0: f64(0.5) } },
      { insn: "scvtf d0, x1, #64", x1: 1n << 63n, want: { v0: f64(-0.5) } },
      { insn: "scvtf s0, w1, #32", x1: 1n, want: { v0: f32(2 ** -32) } },
      { insn: "ucvtf s0, x1, #1", x1: 3n, want: { v0: f32(1.5) } },
    ]);
  });
});

describe.skipIf(!qemuUser)("cross-check: the batches above under QEMU user mode", () => {
  it("a sample of every group agrees with qemu-aarch64 case by case", async () => {
    const cases: FpCase[] = [
      { insn: "fadd s0, s1, s2", v1: S1, v2: 0x3380_0000n, fpcr: RP, want: {} },
      { insn: "fdiv d0, d1, d2", v1: 0x0010_0000_0000_0000n, v2: f64(3), want: {} },
      { insn: "fmadd s0, s1, s2, s3", v1: 0x3f80_0800n, v2: 0x3f80_0800n, v3: 0xbf80_1000n, want: {} },
      { insn: "fnmadd d0, d1, d2, d3", v1: D1, v2: D1, v3: 0x7ff8_0000_0000_0003n, want: {} },
      { insn: "fcvt h0, s1", v1: f32(65520), fpcr: AHP, want: {} },
      { insn: "fcvt s0, h1", v1: 0x7e01n, want: {} },
      { insn: "fcvtzs w0, s1", v1: f32(3e9), want: {} },
      { insn: "fcvtas x0, d1", v1: f64(-2.5), want: {} },
      { insn: "scvtf s0, w1, #8", x1: 0x180n, want: {} },
      { insn: "ucvtf d0, x1", x1: -1n, fpcr: RZ, want: {} },
      { insn: "fccmpe s1, s2, #0x4, eq", nzcv: 0x4000_0000, v1: SDNAN, v2: S1, want: {} },
      { insn: "fmaxnm s0, s1, s2", v1: S1, v2: 0x7f80_0001n, want: {} },
      { insn: "frintx s0, s1", v1: f32(2.5), fpcr: RP, want: {} },
      { insn: "fmul s0, s1, s2", v1: SMINN, v2: SMINN, fpcr: FZ | RP, want: {} },
      { insn: "movi v0.2s, #0x12, msl #16", want: {} },
      { insn: "bic v0.8h, #0xff", want: {} },
      { insn: "smov x0, v1.h[3]", v1: V_BYTES, want: {} },
      { insn: "mov v0.h[3], v1.h[6]", v1: V_BYTES, want: {} },
      { insn: "fmov v0.d[1], x1", x1: 0x1234n, want: {} },
    ];
    // Plus some cases generated over a grid of operands and FPCR settings.
    const ops = ["fadd", "fsub", "fmul", "fdiv", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul"];
    const vals = [0n, 0x8000_0000n, 1n, 0x8000_0001n, S1, SM1, S3, SMAX, SMINN, SINF, SNINF, SDNAN, 0x7f80_0001n, f32(0.1), f32(-1e-39)];
    const fpcrs = [0, RP | FZ, RM | DN, RZ];
    let k = 0;
    for (const op of ops) for (const a of vals) for (const b of vals) {
      k++;
      cases.push({ insn: `${op} s0, s1, s2`, v1: a, v2: b, fpcr: fpcrs[k % 4], want: {} });
    }
    const dvals = [0n, D1, f64(-3), f64(1e-310), DMAX, DINF, DDNAN, 0x7ff0_0000_0000_0001n, f64(2.5), f64(-2.5), f64(2 ** 63), f64(4294967295.5)];
    for (const cv of ["fcvtns", "fcvtnu", "fcvtps", "fcvtpu", "fcvtms", "fcvtmu", "fcvtzs", "fcvtzu", "fcvtas", "fcvtau"]) {
      for (const v of dvals) { cases.push({ insn: `${cv} w0, d1`, v1: v, want: {} }); cases.push({ insn: `${cv} x0, d1`, v1: v, want: {} }); }
    }
    for (const v of dvals) for (const insn of ["fsqrt d0, d1", "frinta d0, d1", "frintx d0, d1", "fcvt s0, d1", "fcvt h0, d1", "fcmpe d1, #0.0"]) {
      cases.push({ insn, v1: v, fpcr: (k++ % 2) ? FZ : RM, want: {} });
    }
    const ours = await runFpBatch(cases);
    const theirs = runFpBatchQemu(cases);
    expect(hex(theirs[0].v0)).toBe("0x3f800001"); // QEMU really ran the batch (1 + 2^-24 rounded up)
    expect(theirs[0].fpsr).toBe(IXC);
    const bad: string[] = [];
    cases.forEach((c, i) => {
      const t = theirs[i];
      const m = describeMismatch({ ...c, want: { v0: t.v0, x0: t.x0, fpsr: t.fpsr, nzcv: t.nzcv } }, ours[i]);
      if (m) bad.push(m.replace(/want/g, "qemu"));
    });
    expect(bad, bad.join("\n")).toEqual([]);
  }, 60_000);
});

// ---- traps -------------------------------------------------------------------------------------
describe("FP/AdvSIMD access traps (CPACR_EL1.FPEN, CPTR_EL2.TFP, CPTR_EL3.TFP)", () => {
  const FP_INSNS = ["fmov s0, w1", "ldr q0, [x1], #16", "fadd d0, d1, d2", "movi v0.2d, #0", "mrs x0, fpcr", "msr fpsr, x1", "umov w0, v1.b[0]"];

  it("FPEN = 00 or 10 traps EL1 (EC 0x07, ISS CV = 1, COND = 0xE) before any effect; 01 and 11 do not", async () => {
    for (const fpen of [0n, 2n]) {
      for (const insn of FP_INSNS) {
        const r = await fpRun(`${insn}\n hvc #0`, { cpacr: fpen << 20n, regs: { 1: DATA, 0: 5n }, v: { 0: GARBAGE_Q } });
        const t = takenEL1(r.core, r.exit);
        expect(t.vector, insn).toBe(VEC_CUR_SPX_SYNC);
        expect(hex(t.esr), insn).toBe(hex(ESR_FP_TRAP));
        expect(t.elr, insn).toBe(ENTRY);
        expect(r.core.x(1), insn).toBe(DATA);     // no write-back
        expect(r.core.x(0), insn).toBe(5n);
        expect(r.core.v(0), insn).toBe(GARBAGE_Q);
      }
    }
    for (const fpen of [1n, 3n]) {
      const r = await fpRun("fmov s0, w1\n mrs x2, fpcr\n hvc #0", { cpacr: fpen << 20n, regs: { 1: 7n } });
      expect(hvcImm(r.exit)).toBe(0);
      expect(r.core.v(0)).toBe(7n);
    }
  });

  it("at EL0: FPEN = 01 traps too, to EL1 through the lower-EL vector; 11 does not", async () => {
    for (const fpen of [0n, 1n, 2n]) {
      for (const insn of FP_INSNS) {
        const r = await fpRun(`${insn}\n svc #0`, { el: 0, cpacr: fpen << 20n, regs: { 1: DATA } });
        const t = takenEL1(r.core, r.exit);
        expect(t.vector, insn).toBe(VEC_LOWER_SYNC);
        expect(hex(t.esr), insn).toBe(hex(ESR_FP_TRAP));
        expect(t.elr, insn).toBe(ENTRY);
      }
    }
    const r = await fpRun("fmov s0, w1\n mrs x2, fpsr\n svc #0", { el: 0, cpacr: 3n << 20n, regs: { 1: 9n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(0x15); // the SVC
    expect(r.core.v(0)).toBe(9n);
  });

  it("CPTR_EL2.TFP traps EL0, EL1 and EL2 to EL2; CPACR_EL1 has priority", async () => {
    const TFP = 1n << 10n;
    for (const el of [0, 1, 2] as const) {
      for (const insn of FP_INSNS) {
        const r = await fpRun(`${insn}\n hvc #0`, { el, highestEL: 2, regs: { 1: DATA }, setup: (c) => c.setSysreg(ABI.SR_CPTR_EL2, TFP) });
        expect(r.exit.kind, `${insn} at EL${el}: ${show(r.exit)}`).toBe("smc");
        if (r.exit.kind === "smc") expect(r.exit.imm, insn).toBe(el === 2 ? VEC_CUR_SPX_SYNC : VEC_LOWER_SYNC);
        expect(hex(r.core.sysreg(ABI.SR_ESR_EL2)), insn).toBe(hex(ESR_FP_TRAP));
        expect(r.core.sysreg(ABI.SR_ELR_EL2), insn).toBe(ENTRY);
      }
    }
    // FPEN = 00 and TFP: the EL1 trap wins.
    const r = await fpRun("fmov s0, w1\n hvc #0", { el: 1, highestEL: 2, cpacr: 0n, setup: (c) => c.setSysreg(ABI.SR_CPTR_EL2, TFP) });
    expect(r.exit.kind === "smc" && r.exit.imm === VEC_CUR_SPX_SYNC, show(r.exit)).toBe(true); // EL1's vector (exits with SMC)
    expect(hex(r.core.sysreg(ABI.SR_ESR_EL1))).toBe(hex(ESR_FP_TRAP));
    expect(r.core.sysreg(ABI.SR_ESR_EL2)).toBe(0n);
  });

  it("with HCR_EL2.TGE, the EL0 trap from CPACR_EL1 goes to EL2 reported as Uncategorized (EC 0x00)", async () => {
    const r = await fpRun("fadd s0, s1, s2\n svc #0", {
      el: 0, highestEL: 2, cpacr: 0n, setup: (c) => c.setSysreg(ABI.SR_HCR_EL2, (1n << 31n) | (1n << 27n)),
    });
    expect(r.exit.kind === "smc" && r.exit.imm === VEC_LOWER_SYNC, show(r.exit)).toBe(true);
    expect(hex(r.core.sysreg(ABI.SR_ESR_EL2))).toBe(hex(ESR_UNCATEGORIZED));
    expect(r.core.sysreg(ABI.SR_ELR_EL2)).toBe(ENTRY);
  });

  it("CPTR_EL3.TFP traps EL0..EL3 to EL3, after the EL1 and EL2 traps", async () => {
    const TFP = 1n << 10n;
    const NS_HCE_RW = 0x501n;
    for (const el of [0, 1, 2, 3] as const) {
      const r = await fpRun("fmov d0, x1\n svc #0", { el, highestEL: 3, setup: (c) => { c.setSysreg(ABI.SR_SCR_EL3, NS_HCE_RW); c.setSysreg(ABI.SR_CPTR_EL3, TFP); } });
      expect(r.exit.kind, show(r.exit)).toBe("debug");
      expect(r.core.x(28), `EL${el}`).toBe(BigInt(el === 3 ? VEC_CUR_SPX_SYNC : VEC_LOWER_SYNC));
      expect(hex(r.core.sysreg(ABI.SR_ESR_EL3))).toBe(hex(ESR_FP_TRAP));
      expect(r.core.sysreg(ABI.SR_ELR_EL3)).toBe(ENTRY);
    }
    // CPTR_EL2.TFP and CPTR_EL3.TFP at EL1: EL2 first.
    const r = await fpRun("fmov d0, x1\n svc #0", {
      el: 1, highestEL: 3, setup: (c) => { c.setSysreg(ABI.SR_SCR_EL3, NS_HCE_RW); c.setSysreg(ABI.SR_CPTR_EL3, TFP); c.setSysreg(ABI.SR_CPTR_EL2, TFP); },
    });
    expect(r.exit.kind).toBe("debug");
    expect(hex(r.core.sysreg(ABI.SR_ESR_EL2))).toBe(hex(ESR_FP_TRAP));
    expect(r.core.sysreg(ABI.SR_ESR_EL3)).toBe(0n);
    // In Secure state (SCR_EL3.NS = 0) EL2 is disabled: CPTR_EL2.TFP has no effect.
    const s = await fpRun("fmov d0, x1\n hvc #0\n", { el: 1, highestEL: 3, regs: { 1: 3n }, setup: (c) => { c.setSysreg(ABI.SR_SCR_EL3, 0x400n); c.setSysreg(ABI.SR_CPTR_EL2, TFP); } });
    expect(s.core.v(0)).toBe(3n);
  });

  it("enabling FP with MSR CPACR_EL1 takes effect for the next instruction; UNDEFINED encodings stay EC 0x00", async () => {
    const r = await fpRun(`
      mov x2, #(3 << 20)
      msr cpacr_el1, x2
      fmov s0, w1
      msr cpacr_el1, xzr
      .inst 0x1ee22820      // fadd h0, h1, h2: UNDEFINED, not trapped
      hvc #0
    `, { cpacr: 0n, regs: { 1: 11n } });
    const t = takenEL1(r.core, r.exit);
    expect(r.core.v(0)).toBe(11n);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(t.elr).toBe(ENTRY + 16n);
  });
});

// ---- interplay with the rest of the core -------------------------------------------------------
describe("FP code with the JIT and self-modifying code", () => {
  it("a hot loop mixing integer and FP instructions gives the same result compiled", async () => {
    const src = `
      mov x0, #0
      fmov d0, xzr
      fmov d1, #1.0
      mov x2, #1000
    1:
      scvtf d2, x0
      fmadd d0, d2, d2, d0   // sum of squares
      add x0, x0, #1
      fcmp d2, d1
      fcsel d3, d2, d1, gt
      str d3, [x3]
      ldr d4, [x3]
      cmp x0, x2
      b.ne 1b
      fcvtzu x5, d0
      fmov x6, d4
      hvc #0
    `;
    const want = BigInt(999 * 1000 * 1999 / 6);
    for (const jit of [false, true]) {
      const r = await fpRun(src, { jit, regs: { 3: DATA }, maxInsns: 1_000_000n });
      expect(hvcImm(r.exit)).toBe(0);
      expect(r.core.x(5)).toBe(want);
      expect(r.core.x(6)).toBe(f64(999));
      if (jit) expect(jitOfFp(r.core)!.compiledPages).toBeGreaterThan(0);
    }
  });

  it("an FP instruction overwritten by a store is re-decoded", async () => {
    const r = await fpRun(`
      adr x1, patch
      ldr w2, newinsn
      mov x3, #0
    loop:
    patch:
      fadd s0, s0, s1        // replaced by fsub s0, s0, s1 after the first pass
      add x3, x3, #1
      cmp x3, #2
      b.eq done
      str w2, [x1]
      ic ivau, x1
      dsb ish
      isb
      b loop
    done:
      hvc #0
    newinsn:
      fsub s0, s0, s1
    `, { v: { 0: S1, 1: S2 } });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.v(0)).toBe(S1); // 1 + 2 - 2
  });
});
