// The same architectural checks, run through the host JIT (src/jit): hot code
// pages are compiled to WebAssembly, so every snippet here loops long enough
// for its pages to be compiled, and the results must not change.
import { describe, it, expect } from "vitest";
import {
  runSnippet, loadSnippet, step, runCases, hvcImm, takenEL1, jitOf, getCore, ENTRY, DATA, ABI, hex,
  readU64, VEC_CUR_SPX_SYNC, type Case,
} from "../helpers/machine";
import {
  addWithCarry, logicFlags, shiftReg, extendReg, conditionHolds, COND_NAMES, ones, trunc, sint, sext, clz, cls, rbit,
  revBytes, crcUpdate, POLY_CRC32, POLY_CRC32C, ror,
} from "../helpers/ref";

const M64 = ones(64), M32 = ones(32);
const REPEAT = 80; // > JIT_HEAT_THRESHOLD entries into each page of a batch

function compiled(core: Parameters<typeof jitOf>[0]): number { return jitOf(core)?.compiledPages ?? 0; }

// A broad mix of data-processing cases, expectations from the reference model.
function mixedCases(): Case[] {
  const A = 0xf0e1_d2c3_b4a5_9687n, B = 0x8123_4567_89ab_cdefn;
  const cases: Case[] = [];
  const SH = ["lsl", "lsr", "asr", "ror"];
  for (const N of [64, 32] as const) {
    const r = N === 64 ? "x" : "w";
    for (let t = 0; t < 4; t++) for (const amt of [0, 1, N - 1]) {
      const b = shiftReg(B, t, amt, N), a = trunc(A, N);
      cases.push({ insn: `and ${r}0, ${r}1, ${r}2, ${SH[t]} #${amt}`, x1: A, x2: B, want: { x0: a & b } });
      cases.push({ insn: `eon ${r}0, ${r}1, ${r}2, ${SH[t]} #${amt}`, x1: A, x2: B, want: { x0: trunc(a ^ ~b, N) } });
      cases.push({ insn: `bics ${r}0, ${r}1, ${r}2, ${SH[t]} #${amt}`, x1: A, x2: B, want: { x0: a & ~b & ones(N), nzcv: logicFlags(a & ~b, N) } });
      if (t < 3) {
        const s = addWithCarry(A, b, 0, N), d = addWithCarry(A, trunc(~b, N), 1, N);
        cases.push({ insn: `adds ${r}0, ${r}1, ${r}2, ${SH[t]} #${amt}`, x1: A, x2: B, want: { x0: s[0], nzcv: s[1] } });
        cases.push({ insn: `sub ${r}0, ${r}1, ${r}2, ${SH[t]} #${amt}`, x1: A, x2: B, want: { x0: d[0] } });
      }
    }
    for (const [a, b] of [[ones(N - 1), 1n], [ones(N), 1n], [0n, 1n], [1n << BigInt(N - 1), 1n], [5n, 5n]]) {
      const s = addWithCarry(a, b, 0, N), d = addWithCarry(a, trunc(~b, N), 1, N);
      cases.push({ insn: `adds ${r}0, ${r}1, #${b}`, x1: a, want: { x0: s[0], nzcv: s[1] } });
      cases.push({ insn: `subs ${r}0, ${r}1, #${b}`, x1: a, want: { x0: d[0], nzcv: d[1] } });
      cases.push({ insn: `cmp ${r}1, ${r}2`, x1: a, x2: b, want: { x0: 0x1234n, nzcv: d[1] }, x0: 0x1234n });
      for (const cin of [0, 1]) {
        const c = addWithCarry(a, b, cin, N), sb = addWithCarry(a, trunc(~b, N), cin, N);
        cases.push({ insn: `adcs ${r}0, ${r}1, ${r}2`, x1: a, x2: b, nzcv: cin << 29, want: { x0: c[0], nzcv: c[1] } });
        cases.push({ insn: `sbc ${r}0, ${r}1, ${r}2`, x1: a, x2: b, nzcv: cin << 29, want: { x0: sb[0] } });
      }
    }
    for (let opt = 0; opt < 8; opt++) {
      const m = N === 64 && (opt & 3) === 3 ? "x2" : "w2";
      const e = extendReg(B, opt, 2, N);
      const s = addWithCarry(A, e, 0, N);
      cases.push({ insn: `adds ${r}0, ${r}1, ${m}, ${["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"][opt]} #2`, x1: A, x2: B, want: { x0: s[0], nzcv: s[1] } });
    }
    for (let cond = 0; cond < 16; cond += 3) for (const nz of [0, 0x6000_0000, 0x9000_0000]) {
      const h = conditionHolds(cond, nz);
      const cn = COND_NAMES[cond];
      cases.push({ insn: `csneg ${r}0, ${r}1, ${r}2, ${cn}`, x1: A, x2: B, nzcv: nz, want: { x0: h ? trunc(A, N) : trunc(-B, N) } });
      cases.push({ insn: `csinc ${r}0, ${r}1, ${r}2, ${cn}`, x1: A, x2: B, nzcv: nz, want: { x0: h ? trunc(A, N) : trunc(B + 1n, N) } });
      cases.push({ insn: `ccmp ${r}1, ${r}2, #5, ${cn}`, x1: A, x2: B, x0: 7n, nzcv: nz, want: { x0: 7n, nzcv: h ? addWithCarry(A, trunc(~B, N), 1, N)[1] : 0x5000_0000 } });
      cases.push({ insn: `ccmn ${r}1, #3, #10, ${cn}`, x1: A, x0: 7n, nzcv: nz, want: { x0: 7n, nzcv: h ? addWithCarry(A, 3n, 0, N)[1] : 0xa000_0000 } });
    }
    for (const v of [0n, M64, 0x8000_0000n, 0x0123_4567_89ab_cdefn, 1n << 63n]) {
      cases.push({ insn: `clz ${r}0, ${r}1`, x1: v, want: { x0: BigInt(clz(v, N)) } });
      cases.push({ insn: `cls ${r}0, ${r}1`, x1: v, want: { x0: BigInt(cls(v, N)) } });
      cases.push({ insn: `rbit ${r}0, ${r}1`, x1: v, want: { x0: rbit(trunc(v, N), N) } });
      cases.push({ insn: `rev ${r}0, ${r}1`, x1: v, want: { x0: revBytes(v, N, N) } });
      cases.push({ insn: `rev16 ${r}0, ${r}1`, x1: v, want: { x0: revBytes(v, 16, N) } });
    }
    for (const [a, b] of [[100n, 7n], [ones(N), 0n], [1n << BigInt(N - 1), ones(N)], [trunc(-7n, N), 2n]]) {
      cases.push({ insn: `udiv ${r}0, ${r}1, ${r}2`, x1: a, x2: b, want: { x0: b === 0n ? 0n : a / b } });
      cases.push({ insn: `sdiv ${r}0, ${r}1, ${r}2`, x1: a, x2: b, want: { x0: b === 0n ? 0n : trunc(sint(a, N) / sint(b, N), N) } });
    }
    for (const amt of [0n, 1n, BigInt(N - 1), BigInt(N), 0xffn]) {
      const k = Number(amt % BigInt(N));
      for (let t = 0; t < 4; t++) cases.push({ insn: `${["lslv", "lsrv", "asrv", "rorv"][t]} ${r}0, ${r}1, ${r}2`, x1: B, x2: amt, want: { x0: shiftReg(B, t, k, N) } });
    }
    cases.push({ insn: `madd ${r}0, ${r}1, ${r}2, ${r}3`, x1: A, x2: B, x3: 12345n, want: { x0: trunc(12345n + trunc(A, N) * trunc(B, N), N) } });
    cases.push({ insn: `msub ${r}0, ${r}1, ${r}2, ${r}3`, x1: A, x2: B, x3: 12345n, want: { x0: trunc(12345n - trunc(A, N) * trunc(B, N), N) } });
    cases.push({ insn: `extr ${r}0, ${r}1, ${r}2, #${N / 2 + 3}`, x1: A, x2: B, want: { x0: trunc(((trunc(A, N) << BigInt(N)) | trunc(B, N)) >> BigInt(N / 2 + 3), N) } });
    cases.push({ insn: `ror ${r}0, ${r}1, #5`, x1: A, want: { x0: ror(A, 5, N) } });
    cases.push({ insn: `sbfx ${r}0, ${r}1, #3, #9`, x1: A, want: { x0: trunc(sext((A >> 3n) & 0x1ffn, 9), N) } });
    cases.push({ insn: `ubfiz ${r}0, ${r}1, #7, #11`, x1: A, want: { x0: (A & 0x7ffn) << 7n } });
    cases.push({ insn: `bfi ${r}0, ${r}1, #4, #12`, x0: B, x1: A, want: { x0: trunc((B & ~(0xfffn << 4n)) | ((A & 0xfffn) << 4n), N) } });
    cases.push({ insn: `bfxil ${r}0, ${r}1, #20, #8`, x0: B, x1: A, want: { x0: trunc((B & ~0xffn) | ((A >> 20n) & 0xffn), N) } });
    cases.push({ insn: `movk ${r}0, #0xbeef, lsl #16`, x0: M64, want: { x0: trunc((M64 & ~(0xffffn << 16n)) | (0xbeefn << 16n), N) } });
    cases.push({ insn: `movn ${r}0, #0x1234, lsl #16`, want: { x0: trunc(~(0x1234n << 16n), N) } });
    cases.push({ insn: `eor ${r}0, ${r}1, #0x${N === 64 ? "00ff00ff00ff00ff" : "00ff00ff"}`, x1: A, want: { x0: trunc(A ^ 0x00ff_00ff_00ff_00ffn, N) } });
    cases.push({ insn: `ands ${r}0, ${r}1, #0x${N === 64 ? "8000000000000000" : "80000000"}`, x1: A, want: { x0: trunc(A, N) & (1n << BigInt(N - 1)), nzcv: logicFlags(trunc(A, N) & (1n << BigInt(N - 1)), N) } });
  }
  const umulh = (a: bigint, b: bigint) => (a * b) >> 64n;
  cases.push({ insn: "umulh x0, x1, x2", x1: A, x2: B, want: { x0: umulh(A, B) } });
  cases.push({ insn: "smulh x0, x1, x2", x1: A, x2: B, want: { x0: trunc((sint(A, 64) * sint(B, 64)) >> 64n, 64) } });
  cases.push({ insn: "smaddl x0, w1, w2, x3", x1: A, x2: B, x3: 5n, want: { x0: trunc(5n + sint(A & M32, 32) * sint(B & M32, 32), 64) } });
  cases.push({ insn: "umsubl x0, w1, w2, x3", x1: A, x2: B, x3: 5n, want: { x0: trunc(5n - (A & M32) * (B & M32), 64) } });
  cases.push({ insn: "crc32x w0, w1, x2", x1: 0xffff_ffffn, x2: B, want: { x0: BigInt(crcUpdate(0xffffffff, B, 8, POLY_CRC32)) } });
  cases.push({ insn: "crc32ch w0, w1, w2", x1: 0x1234_5678n, x2: B, want: { x0: BigInt(crcUpdate(0x12345678, B, 2, POLY_CRC32C)) } });
  cases.push({ insn: "adr x0, .", want: { x0: 0n }, name: "adr (address checked separately)" });
  return cases.filter((c) => !c.insn.startsWith("adr"));
}

describe("JIT: data processing", () => {
  it("a broad mix of data-processing instructions, the batch run 80 times so its pages are compiled", async () => {
    const cases = mixedCases();
    expect(cases.length).toBeGreaterThan(300);
    const core = await getCore(1, true);
    const before = compiled(core);
    const bad = await runCases(cases, { jit: true, repeat: REPEAT });
    expect(bad).toEqual([]);
    expect(compiled(core) - before).toBeGreaterThanOrEqual(3); // the batch spans several pages, all hot
    expect(jitOf(core)!.translatedInstructions).toBeGreaterThan(1000);
  });

  it("the same mix through the interpreter gives the same answers (control)", async () => {
    expect(await runCases(mixedCases(), { jit: false, repeat: 2 })).toEqual([]);
  });
});

describe("JIT: loops and the retired-instruction count", () => {
  it("1,000,000 iterations: exact count, and the loop page was compiled", async () => {
    const r = await runSnippet(`
      movz x0, #0x4240
      movk x0, #0xf, lsl #16
    1:
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    `, { jit: true, maxInsns: 3_000_000n });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(0n);
    expect(r.insns).toBe(2_000_003n);
    expect(compiled(r.core)).toBeGreaterThan(0);
  });

  it("a loop straddling a page boundary", async () => {
    const r = await runSnippet(`
      mov x0, #3000
      mov x1, #0
      b 1f
      .org 0x1ff8
    1:
      add x1, x1, #3
      sub x0, x0, #1
      cbnz x0, 1b
      hvc #0
    `, { jit: true });
    expect(r.core.x(1)).toBe(9000n);
    expect(r.insns).toBe(3n + 3n * 3000n + 1n);
  });

  it("a 64-bit LCG/xorshift mix with flags over 5000 iterations matches the reference", async () => {
    const r = await runSnippet(`
      ldr x5, =6364136223846793005
      ldr x6, =1442695040888963407
      mov x0, #5000
    1:
      madd x1, x1, x5, x6
      eor x2, x2, x1, ror #13
      adds x3, x3, x1, lsr #7
      adc x4, x4, xzr
      cmp x2, x1
      csinc x7, x7, x7, hi
      subs x0, x0, #1
      b.ne 1b
      hvc #0
      .ltorg
    `, { jit: true, regs: { 1: 42n }, maxInsns: 1_000_000n });
    let x1 = 42n, x2 = 0n, x3 = 0n, x4 = 0n, x7 = 0n;
    for (let i = 0; i < 5000; i++) {
      x1 = trunc(x1 * 6364136223846793005n + 1442695040888963407n, 64);
      x2 ^= ror(x1, 13, 64);
      const [s, f] = addWithCarry(x3, x1 >> 7n, 0, 64);
      x3 = s;
      x4 = trunc(x4 + BigInt((f >>> 29) & 1), 64);
      if (!(x2 > x1)) x7 = trunc(x7 + 1n, 64); // csinc x7, x7, x7, hi: +1 unless HI (unsigned >)
    }
    const c = r.core;
    expect([c.x(1), c.x(2), c.x(3), c.x(4), c.x(7)].map(hex)).toEqual([x1, x2, x3, x4, x7].map(hex));
    expect(compiled(c)).toBeGreaterThan(0);
  });

  it("tiny budget slices through compiled code keep the count exact", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #2000
      mov x2, #0
    1:
      add x2, x2, x0
      cbz x0, 2f
      sub x0, x0, #1
      b 1b
    2:
      hvc #0
    `, { jit: true });
    const start = core.instructions;
    for (let i = 0; ; i++) {
      const e = step(core, vcpu, 13n);
      if (e.kind === "hvc") break;
      expect(e.kind).toBe("budget");
      expect(i).toBeLessThan(100_000);
    }
    expect(core.x(2)).toBe(2001000n);
    expect(core.instructions - start).toBe(2n + 4n * 2000n + 2n + 1n);
  });

  it("CNTVCT_EL0 read inside hot code advances by the loop length each iteration", async () => {
    const r = await runSnippet(`
      mov x0, #200
      mov x1, x20
    1:
      mrs x2, cntvct_el0
      str x2, [x1], #8
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    `, { jit: true, regs: { 20: DATA } });
    const v = Array.from({ length: 200 }, (_, i) => readU64(r.core, DATA + BigInt(8 * i)));
    const deltas = new Set(v.slice(1).map((x, i) => x - v[i]));
    expect([...deltas]).toEqual([4n]);
  });
});

describe("JIT: memory", () => {
  it("a hot copy-and-sum loop with LDP/STP post-index, byte loads and page-crossing accesses", async () => {
    const src = new Uint8Array(0x3000);
    for (let i = 0; i < src.length; i++) src[i] = (i * 131 + 7) & 0xff;
    const r = await runSnippet(`
      mov x0, #0x300            // 16-byte chunks
      mov x1, x20               // src
      add x2, x20, #0x4000      // dst
      mov x3, #0
      mov x4, #0
    1:
      ldp x5, x6, [x1], #16
      stp x6, x5, [x2], #16
      add x3, x3, x5
      eor x4, x4, x6, ror #3
      ldrb w7, [x1, #-1]
      add x4, x4, x7
      subs x0, x0, #1
      b.ne 1b
      add x10, x20, #1, lsl #12
      ldur x8, [x10, #-3]        // crosses 0x1000
      add x10, x20, #2, lsl #12
      ldur x9, [x10, #-7]        // crosses 0x2000
      hvc #0
    `, { jit: true, regs: { 20: DATA }, setup: (c) => c.writeRam(DATA, src), maxInsns: 1_000_000n });
    const dv = new DataView(src.buffer);
    let x3 = 0n, x4 = 0n;
    for (let i = 0; i < 0x300; i++) {
      const a = dv.getBigUint64(16 * i, true), b = dv.getBigUint64(16 * i + 8, true);
      x3 = trunc(x3 + a, 64);
      x4 = trunc((x4 ^ ror(b, 3, 64)) + BigInt(src[16 * i + 15]), 64);
      expect(readU64(r.core, DATA + 0x4000n + BigInt(16 * i))).toBe(b);
    }
    expect(r.core.x(3)).toBe(x3);
    expect(r.core.x(4)).toBe(x4);
    expect(r.core.x(8)).toBe(dv.getBigUint64(0xffd, true));
    expect(r.core.x(9)).toBe(dv.getBigUint64(0x1ff9, true));
  });

  it("an MMIO load inside a hot loop exits every iteration and gets the host's value", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #300
      mov x3, #0
    1:
      ldr w2, [x1, #0x18]
      add x3, x3, x2
      str w2, [x4], #4
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    `, { jit: true, regs: { 1: 0x0900_0000n, 4: DATA } });
    let n = 0;
    for (;;) {
      const e = step(core, vcpu, 100_000n);
      if (e.kind === "hvc") break;
      expect(e).toMatchObject({ kind: "mmio", addr: 0x0900_0018n, size: 4, isWrite: false });
      vcpu.completeMmioRead(BigInt(n * 3 + 1));
      n++;
      expect(n).toBeLessThan(1000);
    }
    expect(n).toBe(300);
    expect(core.x(3)).toBe(BigInt((3 * 299 * 300) / 2 + 300));
    expect(readU64(core, DATA + 8n * 100n)).toBe(BigInt(200 * 3 + 1) | (BigInt(201 * 3 + 1) << 32n));
  });

  it("an alignment fault in compiled code: precise ELR/FAR, no writeback, earlier iterations complete", async () => {
    const r = await runSnippet(`
      mov x0, #0
      mov x1, x20
    1:
      cmp x0, #300
      cinc x6, x1, eq            // misaligned base on iteration 300
      ldr x2, [x6], #8
      add x1, x1, #8
      add x3, x3, x2
      add x0, x0, #1
      cmp x0, #400
      b.ne 1b
      hvc #0
    `, { jit: true, regs: { 20: DATA }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 2n) });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(0x25);
    expect(t.iss & 0x3f).toBe(0x21);
    expect(t.elr).toBe(ENTRY + 8n + 8n);
    expect(t.far).toBe(DATA + 300n * 8n + 1n);
    expect(r.core.x(0)).toBe(300n);
    expect(r.core.x(6)).toBe(DATA + 300n * 8n + 1n);
    expect(compiled(r.core)).toBeGreaterThan(0);
  });

  it("an UNDEFINED instruction reached from compiled code after 500 iterations", async () => {
    const r = await runSnippet(`
      mov x0, #1000
    1:
      add x1, x1, #3
      cmp x0, #500
      b.eq 2f
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    2:
      .inst 0x00000000
    `, { jit: true });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(0);
    expect(t.elr).toBe(ENTRY + 28n);
    expect(r.core.x(0)).toBe(500n);
    expect(r.core.x(1)).toBe(3n * 501n);
    expect(r.insns).toBe(1n + 5n * 500n + 3n + 1n);
  });
});

describe("JIT: code changes", () => {
  it("patching a compiled function (with the maintenance sequence) runs the new instruction", async () => {
    const r = await runSnippet(`
      adr x1, f
      ldr w2, newinsn
      mov x0, #0
      mov x3, #200
    1:
      bl f
      subs x3, x3, #1
      b.ne 1b
      str w2, [x1]
      dc cvau, x1
      dsb ish
      ic ivau, x1
      dsb ish
      isb
      mov x3, #10
    2:
      bl f
      subs x3, x3, #1
      b.ne 2b
      hvc #0
    newinsn:
      add x0, x0, #100
      .balign 4096
    f:
      add x0, x0, #1
      ret
    `, { jit: true });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(200n + 1000n);
    expect(compiled(r.core)).toBeGreaterThan(0);
  });

  it("a store into a compiled page from the same page (loop patches its own body)", async () => {
    const r = await runSnippet(`
      adr x1, body
      ldr w2, newinsn
      mov x0, #0
      mov x3, #300
    1:
      cmp x3, #100
      b.ne body
      str w2, [x1]              // at iteration 200: patch the loop body
      dc cvau, x1
      dsb ish
      ic ivau, x1
      dsb ish
      isb
    body:
      add x0, x0, #1
      subs x3, x3, #1
      b.ne 1b
      hvc #0
    newinsn:
      add x0, x0, #100
    `, { jit: true });
    expect(r.core.x(0)).toBe(200n + 100n * 100n);
  });

  it("the host rewriting a compiled page between runs replaces the compiled code", async () => {
    const loop = (k: number) => `
      mov x0, #500
      mov x1, #0
    1:
      add x1, x1, #${k}
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    `;
    const a = await runSnippet(loop(1), { jit: true });
    expect(a.core.x(1)).toBe(500n);
    expect(compiled(a.core)).toBeGreaterThan(0);
    const b = await runSnippet(loop(7), { jit: true }); // same core, same addresses, new code
    expect(b.core.x(1)).toBe(3500n);
  });
});

describe("JIT: context and special accesses in hot code", () => {
  it("MSR SCTLR_EL1 inside a hot loop: alignment checking switches on at iteration 150", async () => {
    const r = await runSnippet(`
      mrs x7, sctlr_el1
      orr x8, x7, #2             // A = 1
      mov x0, #0
    1:
      cmp x0, #150
      csel x9, x8, x7, eq
      msr sctlr_el1, x9
      isb
      ldr x2, [x20, #1]          // unaligned: fine while A = 0
      add x0, x0, #1
      cmp x0, #300
      b.ne 1b
      hvc #0
    `, { jit: true, regs: { 20: DATA } });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(0x25);
    expect(t.iss & 0x3f).toBe(0x21);
    expect(t.elr).toBe(ENTRY + 28n);
    expect(r.core.x(0)).toBe(150n);
  });

  it("SP-based pushes and pops in a hot loop, then an SP alignment fault (SCTLR_EL1.SA) at iteration 200", async () => {
    const r = await runSnippet(`
      mov x0, #0
    1:
      stp x0, x1, [sp, #-16]!
      ldp x2, x3, [sp], #16
      add x4, x4, x2
      add x0, x0, #1
      cmp x0, #200
      b.ne 2f
      sub sp, sp, #8             // misalign SP
    2:
      cmp x0, #300
      b.ne 1b
      hvc #0
    `, { jit: true, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 8n) });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(0x26);
    expect(t.elr).toBe(ENTRY + 4n);
    expect(r.core.x(0)).toBe(200n);
    expect(r.core.x(4)).toBe(BigInt((199 * 200) / 2));
  });

  it("exclusive and LSE increments in a hot loop", async () => {
    const r = await runSnippet(`
      mov x0, #500
      mov x5, #0
    1:
      ldxr x2, [x20]
      add x2, x2, #1
      stxr w3, x2, [x20]
      add x5, x5, x3             // sum of failure statuses
      mov x6, #3
      ldadd x6, x7, [x21]
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    `, { jit: true, regs: { 20: DATA, 21: DATA + 64n } });
    expect(r.core.x(5)).toBe(0n);
    expect(readU64(r.core, DATA)).toBe(500n);
    expect(readU64(r.core, DATA + 64n)).toBe(1500n);
    expect(r.core.x(7)).toBe(1497n);
  });

  it("MMIO stores from a hot loop exit with the right data, in order", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #0
    1:
      strb w0, [x1]
      add x0, x0, #1
      cmp x0, #200
      b.ne 1b
      hvc #0
    `, { jit: true, regs: { 1: 0x0900_0000n } });
    const seen: number[] = [];
    for (;;) {
      const e = step(core, vcpu, 100_000n);
      if (e.kind === "hvc") break;
      if (e.kind !== "mmio") throw new Error(`unexpected exit ${e.kind}`);
      seen.push(Number(e.data & 0xffn));
      vcpu.completeMmioWrite();
      if (seen.length > 300) break;
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it("a counter kept in the code page itself, written every iteration", async () => {
    const r = await runSnippet(`
      adr x1, counter
      mov x0, #1000
    1:
      ldr x2, [x1]
      add x2, x2, #1
      str x2, [x1]
      subs x0, x0, #1
      b.ne 1b
      ldr x3, [x1]
      hvc #0
      .balign 8
    counter:
      .quad 0
    `, { jit: true });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(3)).toBe(1000n);
    expect(r.insns).toBe(2n + 5n * 1000n + 2n);
  });

  it("flags set in compiled code are seen by the interpreter after leaving the page", async () => {
    const r = await runSnippet(`
      mov x0, #300
    1:
      subs x0, x0, #1
      b.ne 1b
      adds x1, x2, x3            // C and V and N set: 0x7fff.. + 0x8000.. + ... below
      b 2f
      .balign 4096
    2:
      mrs x4, nzcv
      cset x5, vs
      hvc #0
    `, { jit: true, regs: { 2: 0x8000_0000_0000_0000n, 3: 0x8000_0000_0000_0000n } });
    expect(r.core.x(4)).toBe(0x7000_0000n); // Z, C, V
    expect(r.core.x(5)).toBe(1n);
  });
});


// FEAT_PAuth in compiled code: PACIASP/AUTIASP (the core does the work,
// reached by a call from the compiled function), BLRAA/RETAA (the core
// authenticates, the compiled code branches), a key disabled by
// SCTLR_EL1.EnIB (skipped without a call), and a failed RETAA at the last
// iteration; the interpreter must give the same state.
describe("FEAT_PAuth in compiled code", () => {
  const SRC = `
      .arch armv8.3-a
      mrs x7, sctlr_el1
      orr x7, x7, #(1 << 31)     // EnIA (EnIB stays 0)
      msr sctlr_el1, x7
      isb
      mov x0, #0
      mov x5, #0
      mov x6, #0
      adr x11, f
      pacia x11, x12             // BLRAA's target, signed with modifier x12
    1:
      adr x30, 1b
      paciasp
      add x5, x5, x30
      autiasp
      add x5, x5, x30
      pacibsp                    // EnIB = 0: x30 unchanged
      add x5, x5, x30
      blraa x11, x12
      add x0, x0, #1
      cmp x0, #300
      b.ne 1b
      bl g                       // RETAA with a corrupted PAC: Instruction Abort
      hvc #0
    f:
      paciasp
      add x6, x6, x30
      retaa
    g:
      paciasp
      eor x30, x30, #(1 << 50)
      retaa
  `;
  const setup = (core: Parameters<typeof jitOf>[0]) => {
    core.setSysreg(ABI.SR_APIAKEYLO_EL1, 0x0123_4567_89ab_cdefn);
    core.setSysreg(ABI.SR_APIAKEYLO_EL1 + 1, 0xfedc_ba98_7654_3210n);
    core.setSysreg(ABI.SR_TCR_EL1, 25n);
  };
  it("the same state as the interpreter, the loop page compiled, the bad RETAA an Instruction Abort (Address size, MMU off) at the corrupted address", async () => {
    const j = await runSnippet(SRC, { jit: true, pauth: true, regs: { 12: 0x77n }, setup, maxInsns: 1_000_000n });
    const i = await runSnippet(SRC, { jit: false, pauth: true, regs: { 12: 0x77n }, setup, maxInsns: 1_000_000n });
    expect(compiled(j.core)).toBeGreaterThan(0);
    for (const n of [0, 5, 6, 11, 30]) expect(hex(j.core.x(n)), `x${n}`).toBe(hex(i.core.x(n)));
    expect(j.core.x(0)).toBe(300n);
    const tj = takenEL1(j.core, j.exit), ti = takenEL1(i.core, i.exit);
    expect(tj.ec).toBe(0x21);                     // Instruction Abort from the current EL
    expect(tj.iss & 0x3f).toBe(0x00);             // the MMU is off: Address size fault, level 0
    expect(tj.elr >> 61n).toBe(1n);               // the error code of key A in bits 62:61
    expect(hex(tj.elr)).toBe(hex(ti.elr));
  });
});
