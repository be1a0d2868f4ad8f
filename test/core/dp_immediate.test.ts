// Data Processing -- Immediate (Arm ARM C4.1.86): PC-relative addressing,
// add/subtract, logical, move wide, bitfield and extract.
import { describe, it, expect } from "vitest";
import { runSnippet, runCases, hvcImm, ENTRY, STACK_TOP, GARBAGE, hex, type Case } from "../helpers/machine";
import { addWithCarry, logicFlags, decodeBitMasks, ones, sext, trunc, ror } from "../helpers/ref";

const M64 = ones(64), M32 = ones(32);

describe("PC-relative addressing", () => {
  it("ADR and ADRP compute from the address of the instruction", async () => {
    const r = await runSnippet(`
      adr  x0, .+0x40          // ENTRY + 0
      adr  x1, .-0x800         // ENTRY + 4: the vector table
      adr  x2, .               // ENTRY + 8
      adrp x3, .+0x5000        // ENTRY + 12
      adrp x4, .-0x100000      // ENTRY + 16
      adr  x5, .+0xfffff       // ENTRY + 20: largest forward offset
      adr  x6, .-0x100000      // ENTRY + 24: largest backward offset
      adrp x7, .               // ENTRY + 28
      adr  xzr, .              // writes nothing
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0);
    const c = r.core;
    expect(c.x(0)).toBe(ENTRY + 0x40n);
    expect(c.x(1)).toBe(ENTRY + 4n - 0x800n);
    expect(c.x(2)).toBe(ENTRY + 8n);
    expect(c.x(3)).toBe(((ENTRY + 12n) & ~0xfffn) + 0x5000n);
    expect(c.x(4)).toBe(((ENTRY + 16n) & ~0xfffn) - 0x100000n);
    expect(c.x(5)).toBe(ENTRY + 20n + 0xfffffn);
    expect(c.x(6)).toBe(ENTRY + 24n - 0x100000n);
    expect(c.x(7)).toBe((ENTRY + 28n) & ~0xfffn);
  });

  it("ADRP spans +-4 GiB and wraps modulo 2^64", async () => {
    // adrp x0, label with imm = 0x7ffff pages (max) and -0x80000 pages (min): encoded by hand.
    const adrp = (rd: number, pages: number): number => {
      const imm = pages & 0x1fffff;
      return (0x90000000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rd) >>> 0;
    };
    const r = await runSnippet(`
      .inst ${hex(adrp(0, 0xfffff))}
      .inst ${hex(adrp(1, -0x100000))}
      hvc #0
    `);
    const page = ENTRY & ~0xfffn;
    expect(r.core.x(0)).toBe(page + (0xfffffn << 12n));
    expect(r.core.x(1)).toBe(trunc(page - (0x100000n << 12n), 64));
  });
});

describe("Add/subtract (immediate)", () => {
  it("ADD/SUB with 12-bit and LSL #12 immediates at 64 and 32 bits", async () => {
    const cases: Case[] = [
      { insn: "add x0, x1, #0xfff", x1: 0x1000n, want: { x0: 0x1fffn } },
      { insn: "add x0, x1, #0xabc, lsl #12", x1: 1n, want: { x0: 0xabc001n } },
      { insn: "add x0, x1, #0", x1: 0x1234_5678_9abc_def0n, want: { x0: 0x1234_5678_9abc_def0n } },
      { insn: "add x0, x1, #1", x1: M64, want: { x0: 0n } },
      { insn: "sub x0, x1, #1, lsl #12", x1: 0x1000n, want: { x0: 0n } },
      { insn: "sub x0, x1, #1", x1: 0n, want: { x0: M64 } },
      { insn: "sub x0, x1, #0xfff, lsl #12", x1: 0n, want: { x0: trunc(-0xfff000n, 64) } },
      { insn: "add w0, w1, #1", x1: M64, want: { x0: 0n } },
      { insn: "add w0, w1, #0", x1: 0xffff_ffff_8000_0000n, want: { x0: 0x8000_0000n } },
      { insn: "add w0, w1, #0x800, lsl #12", x1: 0x1_7fff_ffffn, want: { x0: 0x807f_ffffn } },
      { insn: "sub w0, w1, #2", x1: 0xffff_ffff_0000_0001n, want: { x0: 0xffff_ffffn } },
      { insn: "sub w0, w1, #1, lsl #12", x1: 0x1000n, want: { x0: 0n } },
    ];
    expect(await runCases(cases)).toEqual([]);
  });

  it("SP as source and destination of ADD/SUB (immediate); MOV to/from SP", async () => {
    const r = await runSnippet(`
      add x0, sp, #16
      mov x1, sp               // ADD x1, SP, #0
      sub sp, sp, #0x20
      mov x2, sp
      add sp, sp, #0x1, lsl #12
      mov x3, sp
      mov x4, #0x7777
      mov sp, x4               // ADD SP, x4, #0
      mov x5, sp
      add wsp, w6, #0          // 32-bit: SP = ZeroExtend(W6 + 0)
      mov x7, sp
      hvc #0
    `, { regs: { 6: 0xffff_ffff_1234_5678n } });
    const c = r.core;
    expect(c.x(0)).toBe(STACK_TOP + 16n);
    expect(c.x(1)).toBe(STACK_TOP);
    expect(c.x(2)).toBe(STACK_TOP - 0x20n);
    expect(c.x(3)).toBe(STACK_TOP - 0x20n + 0x1000n);
    expect(c.x(5)).toBe(0x7777n);
    expect(c.x(7)).toBe(0x1234_5678n);
    expect(c.sp).toBe(0x1234_5678n);
  });

  it("ADDS/SUBS/CMP/CMN with SP as the first operand, and XZR as the flag-setting destination", async () => {
    const r = await runSnippet(`
      adds x0, sp, #1
      mrs x10, nzcv
      cmp sp, #0x10
      mrs x11, nzcv
      cmn sp, #1
      mrs x12, nzcv
      hvc #0
    `, { sp: 0x10n });
    const c = r.core;
    expect(c.x(0)).toBe(0x11n);
    expect(Number(c.x(10))).toBe(addWithCarry(0x10n, 1n, 0, 64)[1]);
    expect(Number(c.x(11))).toBe(0x6000_0000); // Z and C
    expect(Number(c.x(12))).toBe(0);
    expect(c.sp).toBe(0x10n); // CMP/CMN write XZR, not SP
  });

  // Flags of every add/sub immediate form at both widths, at the carry and overflow boundaries.
  const flagCases = (N: 32 | 64): Case[] => {
    const r = N === 64 ? "x" : "w";
    const MAX = ones(N), SMAX = ones(N - 1), SMIN = 1n << BigInt(N - 1);
    const out: Case[] = [];
    const add = (a: bigint, imm: bigint, sh = 0) => {
      const b = imm << BigInt(sh);
      const [res, nz] = addWithCarry(a, b, 0, N);
      const shs = sh ? ", lsl #12" : "";
      out.push({ insn: `adds ${r}0, ${r}1, #${imm}${shs}`, x1: a, want: { x0: res, nzcv: nz } });
      out.push({ insn: `cmn ${r}1, #${imm}${shs}`, x1: a, want: { x0: GARBAGE, nzcv: nz } });
    };
    const sub = (a: bigint, imm: bigint, sh = 0) => {
      const b = imm << BigInt(sh);
      const [res, nz] = addWithCarry(a, trunc(~b, N), 1, N);
      const shs = sh ? ", lsl #12" : "";
      out.push({ insn: `subs ${r}0, ${r}1, #${imm}${shs}`, x1: a, want: { x0: res, nzcv: nz } });
      out.push({ insn: `cmp ${r}1, #${imm}${shs}`, x1: a, want: { x0: GARBAGE, nzcv: nz } });
    };
    // In the 32-bit forms the top half of X1 is garbage that must not matter.
    const hi = N === 32 ? 0xa5a5_a5a5n << 32n : 0n;
    for (const [a, imm] of [[SMAX, 1n], [MAX, 1n], [0n, 0n], [0n, 1n], [SMIN, 1n], [SMIN - 1n, 0xfffn], [MAX - 0xffen, 0xfffn], [1n, 0n]] as const) {
      add(a | hi, imm);
    }
    add(SMAX - 0xfffn | hi, 1n, 12);
    add(MAX - 0xfffn | hi, 1n, 12);
    for (const [a, imm] of [[0n, 1n], [SMIN, 1n], [5n, 5n], [0xabcn, 0xabcn], [1n, 0n], [0n, 0n], [SMAX, 0xfffn], [MAX, 1n], [SMIN + 1n, 2n]] as const) {
      sub(a | hi, imm);
    }
    sub(0x123000n | hi, 0x123n, 12);
    sub(0n | hi, 1n, 12);
    sub(SMIN | hi, 1n, 12);
    // (The 32-bit results are zero-extended into X0: addWithCarry returns N-bit values.)
    return out;
  };

  it("ADDS/SUBS/CMP/CMN flags at 64 bits (0x7fff..+1, 0xffff..+1, 0-1, INT_MIN-1, equal operands)", async () => {
    expect(await runCases(flagCases(64))).toEqual([]);
  });

  it("ADDS/SUBS/CMP/CMN flags at 32 bits, ignoring the top half of the source", async () => {
    expect(await runCases(flagCases(32))).toEqual([]);
  });

  it("flag-setting forms with every NZCV input set still compute all four flags", async () => {
    const cases: Case[] = [
      { insn: "adds x0, x1, #1", x1: 1n, nzcv: 0xf000_0000, want: { x0: 2n, nzcv: 0 } },
      { insn: "subs w0, w1, #1", x1: 1n, nzcv: 0xf000_0000, want: { x0: 0n, nzcv: 0x6000_0000 } },
      { insn: "add x0, x1, #1", x1: M64, nzcv: 0, want: { x0: 0n } }, // ADD never writes flags
      { insn: "sub w0, w1, #1", x1: 0n, nzcv: 0x5000_0000, want: { x0: M32 } },
    ];
    expect(await runCases(cases)).toEqual([]);
  });
});

describe("Logical (immediate)", () => {
  const X1 = 0x0123_4567_89ab_cdefn;
  it("AND/ORR/EOR/ANDS/TST at 64 bits with DecodeBitMasks corner cases", async () => {
    const consts = [
      0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan, // esize 2
      0x1111_1111_1111_1111n, 0x7777_7777_7777_7777n, // esize 4
      0x0101_0101_0101_0101n, 0x00ff_00ff_00ff_00ffn, 0xff00_ff00_ff00_ff00n, // esize 8, 16
      0x0000_ffff_0000_ffffn, 0xffff_0000_ffff_0000n, 0x8000_0001_8000_0001n, // esize 32
      0x8000_0000_0000_0000n, 0xffff_ffff_ffff_fffen, 0x7fff_ffff_ffff_ffffn, 0x0000_0000_0000_0001n,
      0xf000_0000_0000_000fn, 0x0000_0fff_fff0_0000n, // esize 64, rotated
    ];
    const cases: Case[] = [];
    for (const k of consts) {
      cases.push({ insn: `and x0, x1, #${hex(k)}`, x1: X1, want: { x0: X1 & k } });
      cases.push({ insn: `orr x0, x1, #${hex(k)}`, x1: X1, want: { x0: X1 | k } });
      cases.push({ insn: `eor x0, x1, #${hex(k)}`, x1: X1, want: { x0: X1 ^ k } });
      cases.push({ insn: `ands x0, x1, #${hex(k)}`, x1: X1, nzcv: 0x3000_0000, want: { x0: X1 & k, nzcv: logicFlags(X1 & k, 64) } });
      cases.push({ insn: `mov x0, #${hex(k)}`, want: { x0: k } });
    }
    cases.push({ insn: "ands x0, x1, #0x8000000000000000", x1: M64, nzcv: 0x7000_0000, want: { x0: 1n << 63n, nzcv: 0x8000_0000 } });
    cases.push({ insn: "tst x1, #0xfffffffffffffffe", x1: 1n, nzcv: 0xb000_0000, want: { x0: GARBAGE, nzcv: 0x4000_0000 } });
    expect(await runCases(cases)).toEqual([]);
  });

  it("32-bit forms clear the top half; ANDS flags come from bit 31", async () => {
    const xg = 0xffff_ffff_0000_0000n | 0x8765_4321n;
    const cases: Case[] = [
      { insn: "and w0, w1, #0xff00ff00", x1: M64, want: { x0: 0xff00_ff00n } },
      { insn: "orr w0, w1, #0x80000000", x1: xg, want: { x0: 0x8765_4321n | 0x8000_0000n } },
      { insn: "eor w0, w1, #0x55555555", x1: xg, want: { x0: 0x8765_4321n ^ 0x5555_5555n } },
      { insn: "eor w0, w1, #0xfffffffe", x1: 0n, want: { x0: 0xffff_fffen } },
      { insn: "mov w0, #0x0f0f0f0f", want: { x0: 0x0f0f_0f0fn } },
      { insn: "orr w0, wzr, #0x7ffffffe", want: { x0: 0x7fff_fffen } },
      { insn: "ands w0, w1, #0x80000000", x1: xg, nzcv: 0x7000_0000, want: { x0: 0x8000_0000n, nzcv: 0x8000_0000 } },
      { insn: "ands w0, w1, #0x1", x1: 0x1_0000_0000n, nzcv: 0xb000_0000, want: { x0: 0n, nzcv: 0x4000_0000 } },
      { insn: "tst w1, #0xffff", x1: 0xffff_ffff_ffff_0000n, nzcv: 0x0, want: { x0: GARBAGE, nzcv: 0x4000_0000 } },
    ];
    expect(await runCases(cases)).toEqual([]);
  });

  it("AND/ORR/EOR (immediate) may write SP; ANDS may not (Rd 31 is XZR)", async () => {
    const r = await runSnippet(`
      and sp, x1, #0xfffffffffffffff0
      mov x2, sp
      orr sp, x3, #0x10
      mov x4, sp
      eor sp, x5, #0xff
      mov x6, sp
      mov sp, x7
      ands xzr, x1, #1
      mov x8, sp
      hvc #0
    `, { regs: { 1: 0x1234_5677n, 3: 0x4000n, 5: 0xf0n, 7: 0x8888n } });
    expect(r.core.x(2)).toBe(0x1234_5670n);
    expect(r.core.x(4)).toBe(0x4010n);
    expect(r.core.x(6)).toBe(0x0fn);
    expect(r.core.x(8)).toBe(0x8888n);
  });

  // Every valid (N, immr, imms) of AND (immediate), both widths, against DecodeBitMasks.
  it("every encodable bitmask immediate decodes as DecodeBitMasks says (exhaustive)", async () => {
    for (const sf of [1, 0]) {
      const lines: string[] = [];
      const want: bigint[] = [];
      // immr bits above the element size are ignored (R = UInt(immr AND levels)), at 32 bits too.
      for (let N = 0; N <= sf; N++) for (let immr = 0; immr < 64; immr++) for (let imms = 0; imms < 64; imms++) {
        const m = decodeBitMasks(N, imms, immr, true, sf ? 64 : 32);
        if (!m) continue;
        // AND Xd/Wd, X2/W2, #imm ; X2 = all ones, so the result is the mask itself
        const insn = ((sf << 31) | 0x12000000 | (N << 22) | (immr << 16) | (imms << 10) | (2 << 5) | 0) >>> 0;
        lines.push(`  .inst ${hex(insn)}`, `  str x0, [x20], #8`);
        want.push(m[0]);
      }
      const r = await runSnippet(lines.join("\n") + "\n  hvc #0\n", { regs: { 0: GARBAGE, 2: M64, 20: 0x4010_0000n }, maxInsns: 100_000n });
      expect(hvcImm(r.exit)).toBe(0);
      const got = r.core.readRam(0x4010_0000n, want.length * 8);
      const dv = new DataView(got.buffer);
      const bad: string[] = [];
      want.forEach((w, i) => { const g = dv.getBigUint64(i * 8, true); if (g !== w) bad.push(`#${i}: got ${hex(g)} want ${hex(w)}`); });
      expect(bad.slice(0, 20), `sf=${sf}: ${want.length} encodings`).toEqual([]);
      // (63*64 encodings with N=1, and (1+3+7+15+31)*64 with N=0)
      expect(want.length).toBe(sf ? 63 * 64 + 57 * 64 : 57 * 64);
    }
  });

  it("reserved bitmask encodings are UNDEFINED", async () => {
    // AND x0, x1, #imm with N=1, imms=0b111111 (all ones element): reserved.
    const r = await runSnippet(`
      .inst ${hex((0x92000000 | (1 << 22) | (0 << 16) | (0x3f << 10) | (1 << 5)) >>> 0)}
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0x104);
    expect(Number(r.core.sysreg(28 /* ESR_EL1 */) >> 26n)).toBe(0);
    expect(r.core.sysreg(34 /* ELR_EL1 */)).toBe(ENTRY);
  });

  it("32-bit logical immediate with N=1 is UNDEFINED", async () => {
    const r = await runSnippet(`
      .inst ${hex((0x12000000 | (1 << 22) | (0 << 16) | (0 << 10) | (1 << 5)) >>> 0)}
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0x104);
  });
});

describe("Move wide (immediate)", () => {
  it("MOVZ/MOVN/MOVK at every hw, both widths", async () => {
    const cases: Case[] = [];
    for (const hw of [0, 1, 2, 3]) {
      const sh = BigInt(hw * 16);
      cases.push({ insn: `movz x0, #0x1234, lsl #${hw * 16}`, want: { x0: 0x1234n << sh } });
      cases.push({ insn: `movn x0, #0x1234, lsl #${hw * 16}`, want: { x0: trunc(~(0x1234n << sh), 64) } });
      cases.push({ insn: `movk x0, #0xbeef, lsl #${hw * 16}`, x0: 0x1111_2222_3333_4444n,
        want: { x0: (0x1111_2222_3333_4444n & ~(0xffffn << sh)) | (0xbeefn << sh) } });
      cases.push({ insn: `movz x0, #0xffff, lsl #${hw * 16}`, want: { x0: 0xffffn << sh } });
      cases.push({ insn: `movn x0, #0, lsl #${hw * 16}`, want: { x0: M64 } });
    }
    for (const hw of [0, 1]) {
      const sh = BigInt(hw * 16);
      cases.push({ insn: `movz w0, #0x8765, lsl #${hw * 16}`, want: { x0: 0x8765n << sh } });
      // 32-bit MOVN: NOT in 32 bits, zero-extended.
      cases.push({ insn: `movn w0, #0x1234, lsl #${hw * 16}`, want: { x0: trunc(~(0x1234n << sh), 32) } });
      cases.push({ insn: `movk w0, #0xbeef, lsl #${hw * 16}`, x0: M64, want: { x0: (M32 & ~(0xffffn << sh)) | (0xbeefn << sh) } });
    }
    cases.push({ insn: "movn w0, #0", want: { x0: M32 } });
    cases.push({ insn: "movn w0, #0xffff, lsl #16", want: { x0: 0xffffn } });
    expect(await runCases(cases)).toEqual([]);
  });

  it("MOVZ/MOVK to XZR write nothing; 32-bit hw >= 2 is UNDEFINED", async () => {
    const r = await runSnippet(`
      movz xzr, #1
      movk xzr, #1, lsl #16
      mov x0, xzr
      .inst 0x52c00000     // MOVZ w0, #0, lsl #32 (sf=0, hw=2): unallocated
      hvc #0
    `, { regs: { 0: 5n } });
    expect(hvcImm(r.exit)).toBe(0x104);
    expect(r.core.x(0)).toBe(0n);
    expect(r.core.sysreg(34)).toBe(ENTRY + 12n);
  });
});

describe("Bitfield", () => {
  const X = 0x8123_4567_89ab_cdefn; // sign bit set at 64 and at 32 (0x89ab_cdef)
  const Y = 0x7654_3210_fedc_ba98n;
  const sbfx = (x: bigint, lsb: number, w: number, N: number) => trunc(sext((x >> BigInt(lsb)) & ones(w), w), N);
  const ubfx = (x: bigint, lsb: number, w: number) => (x >> BigInt(lsb)) & ones(w);
  const sbfiz = (x: bigint, lsb: number, w: number, N: number) => trunc(sext(x & ones(w), w) << BigInt(lsb), N);
  const ubfiz = (x: bigint, lsb: number, w: number, N: number) => trunc((x & ones(w)) << BigInt(lsb), N);
  const bfi = (d: bigint, x: bigint, lsb: number, w: number, N: number) =>
    trunc((d & ~(ones(w) << BigInt(lsb))) | ((x & ones(w)) << BigInt(lsb)), N);
  const bfxil = (d: bigint, x: bigint, lsb: number, w: number, N: number) => trunc((d & ~ones(w)) | ((x >> BigInt(lsb)) & ones(w)), N);

  it("shift aliases ASR/LSR/LSL with shift 0 and width-1, both widths", async () => {
    const X32 = X & M32;
    const cases: Case[] = [];
    for (const s of [0, 1, 31, 63]) {
      cases.push({ insn: `asr x0, x1, #${s}`, x1: X, want: { x0: trunc(BigInt.asIntN(64, X) >> BigInt(s), 64) } });
      cases.push({ insn: `lsr x0, x1, #${s}`, x1: X, want: { x0: X >> BigInt(s) } });
      cases.push({ insn: `lsl x0, x1, #${s}`, x1: X, want: { x0: trunc(X << BigInt(s), 64) } });
    }
    for (const s of [0, 1, 16, 31]) {
      cases.push({ insn: `asr w0, w1, #${s}`, x1: X, want: { x0: trunc(BigInt.asIntN(32, X32) >> BigInt(s), 32) } });
      cases.push({ insn: `lsr w0, w1, #${s}`, x1: X, want: { x0: X32 >> BigInt(s) } });
      cases.push({ insn: `lsl w0, w1, #${s}`, x1: X, want: { x0: trunc(X32 << BigInt(s), 32) } });
    }
    cases.push({ insn: "asr x0, x1, #63", x1: 1n << 63n, want: { x0: M64 } });
    cases.push({ insn: "asr x0, x1, #63", x1: ones(63), want: { x0: 0n } });
    cases.push({ insn: "lsl x0, x1, #63", x1: 3n, want: { x0: 1n << 63n } });
    cases.push({ insn: "asr w0, w1, #31", x1: 0x8000_0000n, want: { x0: M32 } });
    expect(await runCases(cases)).toEqual([]);
  });

  it("sign and zero extension aliases SXTB/SXTH/SXTW/UXTB/UXTH", async () => {
    const vals = [0x80n, 0x7fn, 0x8000n, 0x7fffn, 0x8000_0000n, 0x7fff_ffffn, 0xffff_ffff_ffff_ff80n, 0x1234_5678_9abc_def0n];
    const cases: Case[] = [];
    for (const v of vals) {
      cases.push({ insn: "sxtb x0, w1", x1: v, want: { x0: sext(v, 8) } });
      cases.push({ insn: "sxth x0, w1", x1: v, want: { x0: sext(v, 16) } });
      cases.push({ insn: "sxtw x0, w1", x1: v, want: { x0: sext(v, 32) } });
      cases.push({ insn: "sxtb w0, w1", x1: v, want: { x0: sext(v, 8, 32) } });
      cases.push({ insn: "sxth w0, w1", x1: v, want: { x0: sext(v, 16, 32) } });
      cases.push({ insn: "uxtb w0, w1", x1: v, want: { x0: v & 0xffn } });
      cases.push({ insn: "uxth w0, w1", x1: v, want: { x0: v & 0xffffn } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("SBFX/UBFX/SBFIZ/UBFIZ/BFI/BFXIL at 64 bits", async () => {
    const cases: Case[] = [];
    for (const [lsb, w] of [[0, 1], [0, 64], [4, 8], [60, 4], [63, 1], [1, 63], [32, 32], [13, 19]] as const) {
      cases.push({ insn: `sbfx x0, x1, #${lsb}, #${w}`, x1: X, want: { x0: sbfx(X, lsb, w, 64) } });
      cases.push({ insn: `ubfx x0, x1, #${lsb}, #${w}`, x1: X, want: { x0: ubfx(X, lsb, w) } });
      cases.push({ insn: `bfxil x0, x1, #${lsb}, #${w}`, x0: Y, x1: X, want: { x0: bfxil(Y, X, lsb, w, 64) } });
    }
    for (const [lsb, w] of [[0, 1], [1, 1], [4, 8], [60, 4], [63, 1], [1, 63], [32, 32], [13, 19], [0, 64]] as const) {
      cases.push({ insn: `sbfiz x0, x1, #${lsb}, #${w}`, x1: X, want: { x0: sbfiz(X, lsb, w, 64) } });
      cases.push({ insn: `sbfiz x0, x1, #${lsb}, #${w}`, x1: Y, want: { x0: sbfiz(Y, lsb, w, 64) } });
      cases.push({ insn: `ubfiz x0, x1, #${lsb}, #${w}`, x1: X, want: { x0: ubfiz(X, lsb, w, 64) } });
      cases.push({ insn: `bfi x0, x1, #${lsb}, #${w}`, x0: Y, x1: X, want: { x0: bfi(Y, X, lsb, w, 64) } });
    }
    // BFI with XZR as the source clears the field (BFC).
    cases.push({ insn: "bfi x0, xzr, #8, #16", x0: M64, want: { x0: M64 & ~(0xffffn << 8n) } });
    expect(await runCases(cases)).toEqual([]);
  });

  it("32-bit SBFX/UBFX/SBFIZ/UBFIZ/BFI/BFXIL ignore and clear the top half", async () => {
    const X32 = X & M32, Y32 = Y & M32;
    const cases: Case[] = [];
    for (const [lsb, w] of [[0, 1], [0, 32], [4, 8], [28, 4], [31, 1], [1, 31], [16, 16], [7, 9]] as const) {
      cases.push({ insn: `sbfx w0, w1, #${lsb}, #${w}`, x1: X, want: { x0: sbfx(X32, lsb, w, 32) } });
      cases.push({ insn: `ubfx w0, w1, #${lsb}, #${w}`, x1: X, want: { x0: ubfx(X32, lsb, w) } });
      cases.push({ insn: `bfxil w0, w1, #${lsb}, #${w}`, x0: Y, x1: X, want: { x0: bfxil(Y32, X32, lsb, w, 32) } });
      cases.push({ insn: `sbfiz w0, w1, #${lsb}, #${w}`, x1: X, want: { x0: sbfiz(X32, lsb, w, 32) } });
      cases.push({ insn: `ubfiz w0, w1, #${lsb}, #${w}`, x1: X, want: { x0: ubfiz(X32, lsb, w, 32) } });
      cases.push({ insn: `bfi w0, w1, #${lsb}, #${w}`, x0: Y, x1: X, want: { x0: bfi(Y32, X32, lsb, w, 32) } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("raw SBFM/UBFM/BFM encodings match the Arm ARM pseudocode", async () => {
    // SBFM/UBFM/BFM Xd, Xn, #immr, #imms per the Operation pseudocode, for every immr/imms
    // pair on a grid, at both widths.
    const bfmRef = (opc: number, N: number, immr: number, imms: number, dst: bigint, src: bigint): bigint => {
      const [wmask, tmask] = decodeBitMasks(N === 64 ? 1 : 0, imms, immr, false, N)!;
      const d = trunc(dst, N), s = trunc(src, N);
      const inzero = opc !== 1, extend = opc === 0;
      const bot = ((inzero ? 0n : d) & ~wmask) | (ror(s, immr, N) & wmask);
      const top = extend ? ((s >> BigInt(imms)) & 1n ? ones(N) : 0n) : (inzero ? 0n : d);
      return trunc((top & ~tmask) | (bot & tmask), N);
    };
    const cases: Case[] = [];
    for (const N of [64, 32]) {
      const grid = N === 64 ? [0, 1, 7, 31, 32, 33, 62, 63] : [0, 1, 7, 15, 16, 30, 31];
      for (const opc of [0, 1, 2]) for (const immr of grid) for (const imms of grid) {
        const sf = N === 64 ? 1 : 0;
        const insn = ((sf << 31) | (opc << 29) | 0x13000000 | (sf << 22) | (immr << 16) | (imms << 10) | (1 << 5) | 0) >>> 0;
        cases.push({ name: `${["sbfm", "bfm", "ubfm"][opc]} ${N === 64 ? "x" : "w"}0, #${immr}, #${imms}`, insn: `.inst ${hex(insn)}`,
          x0: Y, x1: X, want: { x0: bfmRef(opc, N, immr, imms, Y, X) } });
      }
    }
    expect(await runCases(cases)).toEqual([]);
  });
});

describe("Reserved bitfield and extract encodings", () => {
  for (const [what, insn] of [
    ["SBFM with sf=1, N=0", (0x93000000 | (0 << 16) | (7 << 10) | (1 << 5)) >>> 0],
    ["UBFM with sf=0, N=1", (0x53000000 | (1 << 22) | (1 << 5)) >>> 0],
    ["BFM with sf=0, immr=32", (0x33000000 | (32 << 16) | (1 << 5)) >>> 0],
    ["SBFM with sf=0, imms=32", (0x13000000 | (32 << 10) | (1 << 5)) >>> 0],
    ["EXTR with sf=0, imms=32", (0x13800000 | (2 << 16) | (32 << 10) | (1 << 5)) >>> 0],
    ["EXTR with sf=1, N=0", 0x93820020],   // EXTR x0, x1, x2, #0 with N clear
    ["Move wide with opc=01", 0xb2800000], // between MOVN (00) and MOVZ (10): unallocated
  ] as const) {
    it(`${what} is UNDEFINED`, async () => {
      const r = await runSnippet(`
        .inst ${hex(insn)}
        hvc #0
      `, { regs: { 0: 0x55n } });
      expect(hvcImm(r.exit)).toBe(0x104);
      expect(Number(r.core.sysreg(28) >> 26n)).toBe(0);
      expect(r.core.x(0)).toBe(0x55n);
    });
  }
});

describe("Extract", () => {
  it("EXTR and ROR (immediate) at both widths", async () => {
    const A = 0x0123_4567_89ab_cdefn, B = 0xfedc_ba98_7654_3210n;
    const extr = (hi: bigint, lo: bigint, lsb: number, N: number) => trunc(((trunc(hi, N) << BigInt(N)) | trunc(lo, N)) >> BigInt(lsb), N);
    const cases: Case[] = [];
    for (const lsb of [0, 1, 8, 32, 63]) {
      cases.push({ insn: `extr x0, x1, x2, #${lsb}`, x1: A, x2: B, want: { x0: extr(A, B, lsb, 64) } });
      cases.push({ insn: `ror x0, x1, #${lsb}`, x1: A, want: { x0: ror(A, lsb, 64) } });
    }
    for (const lsb of [0, 1, 8, 16, 31]) {
      cases.push({ insn: `extr w0, w1, w2, #${lsb}`, x1: A, x2: B, want: { x0: extr(A, B, lsb, 32) } });
      cases.push({ insn: `ror w0, w1, #${lsb}`, x1: A, want: { x0: ror(A, lsb, 32) } });
    }
    cases.push({ insn: "extr x0, xzr, x1, #4", x1: M64, want: { x0: M64 >> 4n } });
    expect(await runCases(cases)).toEqual([]);
  });
});
