// Data Processing -- Register (Arm ARM C4.1.89): logical and add/subtract with
// shifted or extended registers, with carry, conditional compare and select,
// one- and two-source operations, CRC32, and three-source multiplies.
import { describe, it, expect } from "vitest";
import { runSnippet, runCases, hvcImm, ENTRY, GARBAGE, hex, type Case } from "../helpers/machine";
import {
  addWithCarry, logicFlags, shiftReg, extendReg, conditionHolds, COND_NAMES, ones, trunc, sint,
  clz, cls, rbit, revBytes, crcUpdate, crcOfBytes, POLY_CRC32, POLY_CRC32C,
} from "../helpers/ref";

const M64 = ones(64), M32 = ones(32);
const A = 0xf0e1_d2c3_b4a5_9687n;
const B = 0x8123_4567_89ab_cdefn;
const SHIFTS = ["lsl", "lsr", "asr", "ror"];

describe("Logical (shifted register)", () => {
  const ops: [string, (a: bigint, b: bigint) => bigint, boolean][] = [
    ["and", (a, b) => a & b, false], ["bic", (a, b) => a & ~b, false],
    ["orr", (a, b) => a | b, false], ["orn", (a, b) => a | ~b, false],
    ["eor", (a, b) => a ^ b, false], ["eon", (a, b) => a ^ ~b, false],
    ["ands", (a, b) => a & b, true], ["bics", (a, b) => a & ~b, true],
  ];
  for (const N of [64, 32] as const) {
    it(`all eight ops x all four shifts x amounts 0, 1, ${N - 1} at ${N} bits`, async () => {
      const r = N === 64 ? "x" : "w";
      const cases: Case[] = [];
      for (const [op, f, setsFlags] of ops) for (let t = 0; t < 4; t++) for (const amt of [0, 1, N / 2 - 3, N - 1]) {
        const b = shiftReg(B, t, amt, N);
        const res = trunc(f(trunc(A, N), b), N);
        cases.push({
          insn: `${op} ${r}0, ${r}1, ${r}2, ${SHIFTS[t]} #${amt}`, x1: A, x2: B, nzcv: 0x3000_0000,
          want: { x0: res, nzcv: setsFlags ? logicFlags(res, N) : undefined },
        });
      }
      // Flag corner cases: zero result, negative result.
      cases.push({ insn: `ands ${r}0, ${r}1, ${r}2`, x1: 0xf0n, x2: 0x0fn, nzcv: 0xb000_0000, want: { x0: 0n, nzcv: 0x4000_0000 } });
      cases.push({ insn: `tst ${r}1, ${r}2, lsl #${N - 1}`, x1: M64, x2: 1n, nzcv: 0x7000_0000, want: { x0: GARBAGE, nzcv: 0x8000_0000 } });
      cases.push({ insn: `bics ${r}0, ${r}1, ${r}2`, x1: M64, x2: M64, nzcv: 0xb000_0000, want: { x0: 0n, nzcv: 0x4000_0000 } });
      cases.push({ insn: `mvn ${r}0, ${r}1`, x1: A, want: { x0: trunc(~A, N) } });
      cases.push({ insn: `mov ${r}0, ${r}1`, x1: A, want: { x0: trunc(A, N) } });
      cases.push({ insn: `orr ${r}0, ${r}zr, ${r}1, ror #4`, x1: A, want: { x0: shiftReg(A, 3, 4, N) } });
      expect(await runCases(cases)).toEqual([]);
    });
  }

  it("32-bit shift amounts >= 32 are UNDEFINED", async () => {
    // AND w0, w1, w2, LSL #32: sf=0, imm6=32
    const r = await runSnippet(`
      .inst ${hex((0x0a000000 | (2 << 16) | (32 << 10) | (1 << 5)) >>> 0)}
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0x104);
    expect(r.core.sysreg(34)).toBe(ENTRY);
  });
});

describe("Add/subtract (shifted register)", () => {
  for (const N of [64, 32] as const) {
    it(`ADD/ADDS/SUB/SUBS x LSL/LSR/ASR x amounts 0, 1, ${N - 1} at ${N} bits, with flags`, async () => {
      const r = N === 64 ? "x" : "w";
      const cases: Case[] = [];
      for (let t = 0; t < 3; t++) for (const amt of [0, 1, 7, N - 1]) {
        const b = shiftReg(B, t, amt, N);
        const sum = addWithCarry(A, b, 0, N), diff = addWithCarry(A, trunc(~b, N), 1, N);
        const sh = `${SHIFTS[t]} #${amt}`;
        cases.push({ insn: `add ${r}0, ${r}1, ${r}2, ${sh}`, x1: A, x2: B, want: { x0: sum[0] } });
        cases.push({ insn: `adds ${r}0, ${r}1, ${r}2, ${sh}`, x1: A, x2: B, want: { x0: sum[0], nzcv: sum[1] } });
        cases.push({ insn: `sub ${r}0, ${r}1, ${r}2, ${sh}`, x1: A, x2: B, want: { x0: diff[0] } });
        cases.push({ insn: `subs ${r}0, ${r}1, ${r}2, ${sh}`, x1: A, x2: B, want: { x0: diff[0], nzcv: diff[1] } });
        const neg = addWithCarry(0n, trunc(~b, N), 1, N);
        cases.push({ insn: `neg ${r}0, ${r}2, ${sh}`, x2: B, want: { x0: neg[0] } });
        cases.push({ insn: `negs ${r}0, ${r}2, ${sh}`, x2: B, want: { x0: neg[0], nzcv: neg[1] } });
      }
      // Carry/overflow boundaries.
      const MAX = ones(N), SMAX = ones(N - 1), SMIN = 1n << BigInt(N - 1);
      for (const [a, b] of [[SMAX, 1n], [MAX, 1n], [0n, 0n], [SMIN, SMIN], [SMIN, MAX]]) {
        const s = addWithCarry(a, b, 0, N);
        cases.push({ insn: `adds ${r}0, ${r}1, ${r}2`, x1: a, x2: b, want: { x0: s[0], nzcv: s[1] } });
        cases.push({ insn: `cmn ${r}1, ${r}2`, x1: a, x2: b, want: { x0: GARBAGE, nzcv: s[1] } });
      }
      for (const [a, b] of [[0n, 1n], [SMIN, 1n], [7n, 7n], [SMAX, MAX], [1n, SMIN], [MAX, MAX]]) {
        const d = addWithCarry(a, trunc(~b, N), 1, N);
        cases.push({ insn: `subs ${r}0, ${r}1, ${r}2`, x1: a, x2: b, want: { x0: d[0], nzcv: d[1] } });
        cases.push({ insn: `cmp ${r}1, ${r}2`, x1: a, x2: b, want: { x0: GARBAGE, nzcv: d[1] } });
      }
      expect(await runCases(cases)).toEqual([]);
    });
  }

  it("register 31 is XZR (not SP) in the shifted-register forms; ROR is reserved", async () => {
    const r = await runSnippet(`
      add x0, xzr, x1          // shifted-register form: X31 is XZR
      .inst 0x8b1f03e2         // ADD x2, xzr, xzr (shifted register)
      .inst ${hex((0x8b000000 | (3 << 22) | (1 << 16) | (1 << 5)) >>> 0)}  // ADD x0, x1, x1, ROR #0: shift=11 reserved
      hvc #0
    `, { regs: { 1: 5n, 2: 9n } });
    expect(r.core.x(0)).toBe(5n);
    expect(r.core.x(2)).toBe(0n);
    expect(hvcImm(r.exit)).toBe(0x104);
    expect(r.core.sysreg(34)).toBe(ENTRY + 8n);
  });
});

describe("Add/subtract (extended register)", () => {
  const EXT = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"];
  it("every extend x shift 0..4 at 64 bits, with ADDS/SUBS flags", async () => {
    const cases: Case[] = [];
    const V = 0xffff_ffff_8000_8080n;
    for (let opt = 0; opt < 8; opt++) for (let sh = 0; sh <= 4; sh++) {
      const m = (opt & 3) === 3 ? "x2" : "w2";
      const e = extendReg(V, opt, sh, 64);
      const s = addWithCarry(A, e, 0, 64), d = addWithCarry(A, trunc(~e, 64), 1, 64);
      const ext = `${EXT[opt]} #${sh}`;
      cases.push({ insn: `add x0, x1, ${m}, ${ext}`, x1: A, x2: V, want: { x0: s[0] } });
      cases.push({ insn: `adds x0, x1, ${m}, ${ext}`, x1: A, x2: V, want: { x0: s[0], nzcv: s[1] } });
      cases.push({ insn: `sub x0, x1, ${m}, ${ext}`, x1: A, x2: V, want: { x0: d[0] } });
      cases.push({ insn: `subs x0, x1, ${m}, ${ext}`, x1: A, x2: V, want: { x0: d[0], nzcv: d[1] } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("every extend x shift 0..4 at 32 bits", async () => {
    const cases: Case[] = [];
    const V = 0x1234_5678_8000_8080n;
    for (let opt = 0; opt < 8; opt++) for (let sh = 0; sh <= 4; sh++) {
      const e = extendReg(V, opt, sh, 32);
      const s = addWithCarry(A, e, 0, 32), d = addWithCarry(A, trunc(~e, 32), 1, 32);
      const ext = `${EXT[opt]} #${sh}`;
      cases.push({ insn: `add w0, w1, w2, ${ext}`, x1: A, x2: V, want: { x0: s[0] } });
      cases.push({ insn: `adds w0, w1, w2, ${ext}`, x1: A, x2: V, want: { x0: s[0], nzcv: s[1] } });
      cases.push({ insn: `subs w0, w1, w2, ${ext}`, x1: A, x2: V, want: { x0: d[0], nzcv: d[1] } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("SP as Rn and Rd of the extended-register form; CMP/CMN with SP", async () => {
    const r = await runSnippet(`
      add x0, sp, x1                 // ADD (extended register), UXTX
      add x2, sp, w1, sxtw #2
      sub sp, sp, w3, uxtb
      mov x4, sp
      add sp, sp, x3, lsl #1         // UXTX #1 with SP
      mov x5, sp
      cmp sp, w6, uxtw               // SUBS XZR, SP, W6, UXTW
      mrs x7, nzcv
      cmn wsp, w8, uxth              // 32-bit, WSP as Rn
      mrs x8, nzcv
      add wsp, wsp, #0               // 32-bit writes of SP zero-extend
      mov x10, sp
      hvc #0
    `, { sp: 0x1_0000_1000n, regs: { 1: 0xffff_ffff_ffff_fffcn, 3: 0x1ffn, 6: 0x1_0000_1000n + 0n, 8: 0xffff_f000n } });
    const c = r.core;
    const sp0 = 0x1_0000_1000n;
    expect(c.x(0)).toBe(trunc(sp0 - 4n, 64));
    expect(c.x(2)).toBe(trunc(sp0 + (-4n << 2n), 64));
    expect(c.x(4)).toBe(sp0 - 0xffn);
    const sp2 = sp0 - 0xffn + 0x3fen;
    expect(c.x(5)).toBe(sp2);
    expect(Number(c.x(7))).toBe(addWithCarry(sp2, trunc(~(0x1_0000_1000n & M32), 64), 1, 64)[1]);
    expect(Number(c.x(8))).toBe(addWithCarry(sp2 & M32, 0xf000n, 0, 32)[1]);
    expect(c.x(10)).toBe(sp2 & M32);
  });

  it("extended-register shift amounts above 4 are reserved (UNDEFINED)", async () => {
    // ADD x0, x1, w2, UXTW #5
    const r = await runSnippet(`
      .inst ${hex((0x8b200000 | (2 << 16) | (2 << 13) | (5 << 10) | (1 << 5)) >>> 0)}
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0x104);
  });
});

describe("Add/subtract (with carry)", () => {
  for (const N of [64, 32] as const) {
    it(`ADC/ADCS/SBC/SBCS/NGC/NGCS with carry in 0 and 1 at ${N} bits`, async () => {
      const r = N === 64 ? "x" : "w";
      const MAX = ones(N), SMAX = ones(N - 1), SMIN = 1n << BigInt(N - 1);
      const cases: Case[] = [];
      for (const cin of [0, 1]) for (const [a, b] of [[A, B], [MAX, 0n], [MAX, MAX], [SMAX, 0n], [SMIN, SMIN], [0n, 0n], [0n, MAX], [SMIN, 0n]]) {
        const nz = cin ? 0x2000_0000 : 0xd000_0000; // only C matters as an input
        const s = addWithCarry(a, b, cin, N), d = addWithCarry(a, trunc(~b, N), cin, N), ng = addWithCarry(0n, trunc(~b, N), cin, N);
        cases.push({ insn: `adc ${r}0, ${r}1, ${r}2`, x1: a, x2: b, nzcv: nz, want: { x0: s[0] } });
        cases.push({ insn: `adcs ${r}0, ${r}1, ${r}2`, x1: a, x2: b, nzcv: nz, want: { x0: s[0], nzcv: s[1] } });
        cases.push({ insn: `sbc ${r}0, ${r}1, ${r}2`, x1: a, x2: b, nzcv: nz, want: { x0: d[0] } });
        cases.push({ insn: `sbcs ${r}0, ${r}1, ${r}2`, x1: a, x2: b, nzcv: nz, want: { x0: d[0], nzcv: d[1] } });
        cases.push({ insn: `ngc ${r}0, ${r}2`, x2: b, nzcv: nz, want: { x0: ng[0] } });
        cases.push({ insn: `ngcs ${r}0, ${r}2`, x2: b, nzcv: nz, want: { x0: ng[0], nzcv: ng[1] } });
      }
      expect(await runCases(cases)).toEqual([]);
    });
  }

  it("a 128-bit addition and subtraction through ADDS/ADC and SUBS/SBC", async () => {
    const a = 0xffff_ffff_ffff_ffff_0000_0000_0000_0001n, b = 0x0000_0000_0000_0001_ffff_ffff_ffff_ffffn;
    const r = await runSnippet(`
      adds x4, x0, x2
      adc  x5, x1, x3
      subs x6, x0, x2
      sbc  x7, x1, x3
      hvc #0
    `, { regs: { 0: a & M64, 1: a >> 64n, 2: b & M64, 3: b >> 64n } });
    const sum = BigInt.asUintN(128, a + b), diff = BigInt.asUintN(128, a - b);
    expect(r.core.x(4) | (r.core.x(5) << 64n)).toBe(sum);
    expect(r.core.x(6) | (r.core.x(7) << 64n)).toBe(diff);
  });
});

describe("Conditional compare", () => {
  for (const N of [64, 32] as const) {
    it(`CCMP/CCMN register and immediate, condition true and false, at ${N} bits`, async () => {
      const r = N === 64 ? "x" : "w";
      const cases: Case[] = [];
      const pairs: [bigint, bigint][] = [[5n, 5n], [0n, 1n], [ones(N - 1), ones(N)], [1n << BigInt(N - 1), 1n], [ones(N), 1n]];
      for (let cond = 0; cond < 16; cond++) for (const nzIn of [0x0000_0000, 0x6000_0000, 0x9000_0000, 0xf000_0000]) {
        const holds = conditionHolds(cond, nzIn);
        const [a, b] = pairs[cond % pairs.length];
        const imm = Number(b & 31n);
        const nzImm = (cond * 7 + 3) & 15;
        const cmpR = holds ? addWithCarry(a, trunc(~b, N), 1, N)[1] : nzImm << 28;
        const cmnR = holds ? addWithCarry(a, b, 0, N)[1] : nzImm << 28;
        const cmpI = holds ? addWithCarry(a, trunc(~BigInt(imm), N), 1, N)[1] : nzImm << 28;
        const cmnI = holds ? addWithCarry(a, BigInt(imm), 0, N)[1] : nzImm << 28;
        const cn = COND_NAMES[cond];
        cases.push({ insn: `ccmp ${r}1, ${r}2, #${nzImm}, ${cn}`, x1: a, x2: b, nzcv: nzIn, want: { x0: GARBAGE, nzcv: cmpR >>> 0 } });
        cases.push({ insn: `ccmn ${r}1, ${r}2, #${nzImm}, ${cn}`, x1: a, x2: b, nzcv: nzIn, want: { x0: GARBAGE, nzcv: cmnR >>> 0 } });
        cases.push({ insn: `ccmp ${r}1, #${imm}, #${nzImm}, ${cn}`, x1: a, nzcv: nzIn, want: { x0: GARBAGE, nzcv: cmpI >>> 0 } });
        cases.push({ insn: `ccmn ${r}1, #${imm}, #${nzImm}, ${cn}`, x1: a, nzcv: nzIn, want: { x0: GARBAGE, nzcv: cmnI >>> 0 } });
      }
      expect(await runCases(cases)).toEqual([]);
    });
  }
});

describe("Conditional select", () => {
  for (const N of [64, 32] as const) {
    it(`CSEL/CSINC/CSINV/CSNEG and their aliases at ${N} bits, every condition`, async () => {
      const r = N === 64 ? "x" : "w";
      const X1 = 0x1111_2222_3333_4444n, X2 = 0x8000_0000_ffff_ffffn;
      const cases: Case[] = [];
      for (let cond = 0; cond < 16; cond++) for (const nz of [0x0000_0000, 0x4000_0000, 0x2000_0000, 0x9000_0000, 0x8000_0000, 0x6000_0000]) {
        const h = conditionHolds(cond, nz);
        const cn = COND_NAMES[cond];
        const t = trunc(X1, N), f = trunc(X2, N);
        cases.push({ insn: `csel ${r}0, ${r}1, ${r}2, ${cn}`, x1: X1, x2: X2, nzcv: nz, want: { x0: h ? t : f } });
        cases.push({ insn: `csinc ${r}0, ${r}1, ${r}2, ${cn}`, x1: X1, x2: X2, nzcv: nz, want: { x0: h ? t : trunc(f + 1n, N) } });
        cases.push({ insn: `csinv ${r}0, ${r}1, ${r}2, ${cn}`, x1: X1, x2: X2, nzcv: nz, want: { x0: h ? t : trunc(~f, N) } });
        cases.push({ insn: `csneg ${r}0, ${r}1, ${r}2, ${cn}`, x1: X1, x2: X2, nzcv: nz, want: { x0: h ? t : trunc(-f, N) } });
        if (cond < 14) { // the aliases invert the condition, so AL/NV are not encodable
          cases.push({ insn: `cset ${r}0, ${cn}`, nzcv: nz, want: { x0: h ? 1n : 0n } });
          cases.push({ insn: `csetm ${r}0, ${cn}`, nzcv: nz, want: { x0: h ? ones(N) : 0n } });
          cases.push({ insn: `cinc ${r}0, ${r}1, ${cn}`, x1: X1, nzcv: nz, want: { x0: h ? trunc(t + 1n, N) : t } });
          cases.push({ insn: `cinv ${r}0, ${r}1, ${cn}`, x1: X1, nzcv: nz, want: { x0: h ? trunc(~t, N) : t } });
          cases.push({ insn: `cneg ${r}0, ${r}1, ${cn}`, x1: X1, nzcv: nz, want: { x0: h ? trunc(-t, N) : t } });
        }
      }
      // Wrap-around corner cases.
      cases.push({ insn: `csinc ${r}0, ${r}1, ${r}2, eq`, x2: M64, nzcv: 0, want: { x0: 0n } });
      cases.push({ insn: `csneg ${r}0, ${r}1, ${r}2, eq`, x2: 1n << BigInt(N - 1), nzcv: 0, want: { x0: 1n << BigInt(N - 1) } });
      expect(await runCases(cases)).toEqual([]);
    });
  }
});

describe("Data-processing (1 source)", () => {
  const vals = [0n, M64, 1n, 1n << 63n, 0x8000_0000n, 0x7fff_ffffn, 0x0000_0000_0001_0000n, 0x0123_4567_89ab_cdefn,
    0xffff_ffff_0000_0000n, 0x4000_0000_0000_0000n, 0x00ff_ff00_00ff_0080n, 0xffff_ffff_c000_0000n];
  it("RBIT/REV16/REV32/REV/CLZ/CLS at 64 bits", async () => {
    const cases: Case[] = [];
    for (const v of vals) {
      cases.push({ insn: "rbit x0, x1", x1: v, want: { x0: rbit(v, 64) } });
      cases.push({ insn: "rev16 x0, x1", x1: v, want: { x0: revBytes(v, 16, 64) } });
      cases.push({ insn: "rev32 x0, x1", x1: v, want: { x0: revBytes(v, 32, 64) } });
      cases.push({ insn: "rev x0, x1", x1: v, want: { x0: revBytes(v, 64, 64) } });
      cases.push({ insn: "clz x0, x1", x1: v, want: { x0: BigInt(clz(v, 64)) } });
      cases.push({ insn: "cls x0, x1", x1: v, want: { x0: BigInt(cls(v, 64)) } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("RBIT/REV16/REV/CLZ/CLS at 32 bits ignore the top half", async () => {
    const cases: Case[] = [];
    for (const v of vals) {
      const w = v & M32;
      cases.push({ insn: "rbit w0, w1", x1: v, want: { x0: rbit(w, 32) } });
      cases.push({ insn: "rev16 w0, w1", x1: v, want: { x0: revBytes(w, 16, 32) } });
      cases.push({ insn: "rev w0, w1", x1: v, want: { x0: revBytes(w, 32, 32) } });
      cases.push({ insn: "clz w0, w1", x1: v, want: { x0: BigInt(clz(w, 32)) } });
      cases.push({ insn: "cls w0, w1", x1: v, want: { x0: BigInt(cls(w, 32)) } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("CLZ/CLS of 0 and -1 at both widths (literal values)", async () => {
    const cases: Case[] = [
      { insn: "clz x0, x1", x1: 0n, want: { x0: 64n } },
      { insn: "clz x0, x1", x1: M64, want: { x0: 0n } },
      { insn: "cls x0, x1", x1: 0n, want: { x0: 63n } },
      { insn: "cls x0, x1", x1: M64, want: { x0: 63n } },
      { insn: "clz w0, w1", x1: 0xffff_ffff_0000_0000n, want: { x0: 32n } },
      { insn: "clz w0, w1", x1: M32, want: { x0: 0n } },
      { insn: "cls w0, w1", x1: 0xffff_ffff_0000_0000n, want: { x0: 31n } },
      { insn: "cls w0, w1", x1: M32, want: { x0: 31n } },
      { insn: "cls x0, x1", x1: 0x4000_0000_0000_0000n, want: { x0: 0n } },
      { insn: "cls x0, x1", x1: 0xc000_0000_0000_0000n, want: { x0: 1n } },
      { insn: "cls w0, w1", x1: 0x1n, want: { x0: 30n } },
    ];
    expect(await runCases(cases)).toEqual([]);
  });
});

describe("Data-processing (2 source)", () => {
  const udiv = (a: bigint, b: bigint) => (b === 0n ? 0n : a / b);
  // SDIV rounds towards zero (BigInt division truncates), INT_MIN / -1 wraps.
  const sdiv = (a: bigint, b: bigint, N: number) => (b === 0n ? 0n : trunc(sint(a, N) / sint(b, N), N));
  for (const N of [64, 32] as const) {
    it(`UDIV/SDIV incl. division by zero and INT_MIN / -1 at ${N} bits`, async () => {
      const r = N === 64 ? "x" : "w";
      const MAX = ones(N), SMIN = 1n << BigInt(N - 1);
      const hi = N === 32 ? 0x5a5a_5a5an << 32n : 0n; // garbage in the top half of 32-bit sources
      const pairs: [bigint, bigint][] = [[100n, 7n], [MAX, 1n], [MAX, 0n], [0n, 0n], [SMIN, MAX], [SMIN, 1n], [SMIN, 2n],
        [trunc(-7n, N), 2n], [7n, trunc(-2n, N)], [trunc(-7n, N), trunc(-2n, N)], [5n, MAX], [MAX, MAX], [1n, SMIN]];
      const cases: Case[] = [];
      for (const [a, b] of pairs) {
        cases.push({ insn: `udiv ${r}0, ${r}1, ${r}2`, x1: a | hi, x2: b | hi, want: { x0: udiv(a, b) } });
        cases.push({ insn: `sdiv ${r}0, ${r}1, ${r}2`, x1: a | hi, x2: b | hi, want: { x0: sdiv(a, b, N) } });
      }
      // Literal values from the Arm ARM's description.
      cases.push({ insn: `sdiv ${r}0, ${r}1, ${r}2`, x1: SMIN, x2: MAX, want: { x0: SMIN } });
      cases.push({ insn: `udiv ${r}0, ${r}1, ${r}2`, x1: 12345n, x2: 0n, want: { x0: 0n } });
      cases.push({ insn: `sdiv ${r}0, ${r}1, ${r}2`, x1: trunc(-12345n, N), x2: 0n, want: { x0: 0n } });
      expect(await runCases(cases)).toEqual([]);
    });

    it(`LSLV/LSRV/ASRV/RORV use the amount modulo ${N} at ${N} bits`, async () => {
      const r = N === 64 ? "x" : "w";
      const cases: Case[] = [];
      for (const amt of [0n, 1n, BigInt(N - 1), BigInt(N), BigInt(N + 1), BigInt(2 * N - 1), 0xffn, M64, 0x1_0000_0003n]) {
        const a = Number(amt % BigInt(N));
        for (let t = 0; t < 4; t++) {
          cases.push({ insn: `${["lslv", "lsrv", "asrv", "rorv"][t]} ${r}0, ${r}1, ${r}2`, x1: B, x2: amt, want: { x0: shiftReg(B, t, a, N) } });
        }
        cases.push({ insn: `lsl ${r}0, ${r}1, ${r}2`, x1: A, x2: amt, want: { x0: shiftReg(A, 0, a, N) } });
        cases.push({ insn: `asr ${r}0, ${r}1, ${r}2`, x1: A, x2: amt, want: { x0: shiftReg(A, 2, a, N) } });
      }
      expect(await runCases(cases)).toEqual([]);
    });
  }
});

describe("CRC32", () => {
  it("reference implementation sanity: CRC-32 and CRC-32C check values", () => {
    const s = new TextEncoder().encode("123456789");
    expect(crcOfBytes(s, POLY_CRC32)).toBe(0xcbf43926);
    expect(crcOfBytes(s, POLY_CRC32C)).toBe(0xe3069283);
  });

  it("CRC-32 and CRC-32C of \"123456789\" byte by byte with CRC32B/CRC32CB", async () => {
    const r = await runSnippet(`
      adr x1, msg
      mov w2, #9
      mov w0, #-1
      mov w3, #-1
    1:
      ldrb w4, [x1], #1
      crc32b w0, w0, w4
      crc32cb w3, w3, w4
      subs w2, w2, #1
      b.ne 1b
      mvn w0, w0
      mvn w3, w3
      hvc #0
    msg:
      .ascii "123456789"
      .balign 4
    `);
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(0xcbf43926n);
    expect(r.core.x(3)).toBe(0xe3069283n);
  });

  it("CRC-32 of \"123456789\" with CRC32X + CRC32B and CRC32W + CRC32H + CRC32H + CRC32B", async () => {
    const r = await runSnippet(`
      adr x1, msg
      mov w0, #-1
      ldr x4, [x1]
      crc32x w0, w0, x4
      ldrb w4, [x1, #8]
      crc32b w0, w0, w4
      mvn w0, w0
      mov w5, #-1
      ldr w4, [x1]
      crc32cw w5, w5, w4
      ldrh w4, [x1, #4]
      crc32ch w5, w5, w4
      ldrh w4, [x1, #6]
      crc32ch w5, w5, w4
      ldrb w4, [x1, #8]
      crc32cb w5, w5, w4
      mvn w5, w5
      hvc #0
    msg:
      .ascii "123456789"
      .balign 4
    `);
    expect(r.core.x(0)).toBe(0xcbf43926n);
    expect(r.core.x(5)).toBe(0xe3069283n);
  });

  it("each CRC32 size uses only the low bytes of Rm and zero-extends the result", async () => {
    const cases: Case[] = [];
    const accs = [0n, 0xffff_ffffn, 0x1234_5678n | (0xdead_beefn << 32n)];
    const data = [0xfedc_ba98_7654_3210n, 0x8000_0000_0000_0001n, 0n, M64];
    for (const acc of accs) for (const d of data) {
      for (const [sz, n, reg] of [["b", 1, "w"], ["h", 2, "w"], ["w", 4, "w"], ["x", 8, "x"]] as const) {
        cases.push({ insn: `crc32${sz} w0, w1, ${reg}2`, x1: acc, x2: d, want: { x0: BigInt(crcUpdate(Number(acc & M32), d, n, POLY_CRC32)) } });
        cases.push({ insn: `crc32c${sz} w0, w1, ${reg}2`, x1: acc, x2: d, want: { x0: BigInt(crcUpdate(Number(acc & M32), d, n, POLY_CRC32C)) } });
      }
    }
    expect(await runCases(cases)).toEqual([]);
  });
});

describe("Data-processing (3 source)", () => {
  const vals = [0n, 1n, M64, 1n << 63n, ones(63), 0x1234_5678_9abc_def0n, 0xffff_ffff_8000_0001n, 0x0000_0001_ffff_ffffn, 0xfedc_ba98_7654_3210n];
  it("MADD/MSUB/MUL/MNEG at both widths", async () => {
    const cases: Case[] = [];
    for (const a of vals) for (const b of [vals[3], vals[5], vals[6], vals[8]]) {
      const acc = 0x0f0f_0f0f_f0f0_f0f0n;
      cases.push({ insn: "madd x0, x1, x2, x3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc + a * b, 64) } });
      cases.push({ insn: "msub x0, x1, x2, x3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc - a * b, 64) } });
      cases.push({ insn: "mul x0, x1, x2", x1: a, x2: b, want: { x0: trunc(a * b, 64) } });
      cases.push({ insn: "mneg x0, x1, x2", x1: a, x2: b, want: { x0: trunc(-(a * b), 64) } });
      const a32 = a & M32, b32 = b & M32, acc32 = acc & M32;
      cases.push({ insn: "madd w0, w1, w2, w3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc32 + a32 * b32, 32) } });
      cases.push({ insn: "msub w0, w1, w2, w3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc32 - a32 * b32, 32) } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("SMADDL/SMSUBL/UMADDL/UMSUBL/SMULL/UMULL/SMNEGL/UMNEGL use the low 32 bits of Rn and Rm", async () => {
    const cases: Case[] = [];
    for (const a of vals) for (const b of [vals[2], vals[3], vals[6], vals[7], vals[8]]) {
      const acc = 0x7fff_ffff_ffff_fff0n;
      const sp = sint(a & M32, 32) * sint(b & M32, 32), up = (a & M32) * (b & M32);
      cases.push({ insn: "smaddl x0, w1, w2, x3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc + sp, 64) } });
      cases.push({ insn: "smsubl x0, w1, w2, x3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc - sp, 64) } });
      cases.push({ insn: "umaddl x0, w1, w2, x3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc + up, 64) } });
      cases.push({ insn: "umsubl x0, w1, w2, x3", x1: a, x2: b, x3: acc, want: { x0: trunc(acc - up, 64) } });
      cases.push({ insn: "smull x0, w1, w2", x1: a, x2: b, want: { x0: trunc(sp, 64) } });
      cases.push({ insn: "umull x0, w1, w2", x1: a, x2: b, want: { x0: up } });
      cases.push({ insn: "smnegl x0, w1, w2", x1: a, x2: b, want: { x0: trunc(-sp, 64) } });
      cases.push({ insn: "umnegl x0, w1, w2", x1: a, x2: b, want: { x0: trunc(-up, 64) } });
    }
    expect(await runCases(cases)).toEqual([]);
  });

  it("SMULH/UMULH return the high 64 bits of the 128-bit product", async () => {
    const cases: Case[] = [];
    for (const a of vals) for (const b of vals) {
      cases.push({ insn: "smulh x0, x1, x2", x1: a, x2: b, want: { x0: trunc((sint(a, 64) * sint(b, 64)) >> 64n, 64) } });
      cases.push({ insn: "umulh x0, x1, x2", x1: a, x2: b, want: { x0: (a * b) >> 64n } });
    }
    // Literal values: (-1)*(-1) = 1 (high 0); (2^64-1)^2 high = 2^64-2; INT_MIN^2 = 2^126 (high 2^62).
    cases.push({ insn: "smulh x0, x1, x2", x1: M64, x2: M64, want: { x0: 0n } });
    cases.push({ insn: "umulh x0, x1, x2", x1: M64, x2: M64, want: { x0: M64 - 1n } });
    cases.push({ insn: "smulh x0, x1, x2", x1: 1n << 63n, x2: 1n << 63n, want: { x0: 1n << 62n } });
    cases.push({ insn: "smulh x0, x1, x2", x1: 1n << 63n, x2: 1n, want: { x0: M64 } });
    expect(await runCases(cases)).toEqual([]);
  });
});
