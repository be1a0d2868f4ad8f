// Loads and Stores (Arm ARM C4.1.88): every addressing form of the
// single-register and pair instructions, sign and zero extension, unprivileged
// accesses, page-crossing accesses, exclusives and acquire/release, the FEAT_LSE
// atomics, DC ZVA, and MMIO through the Vcpu API.
import { describe, it, expect } from "vitest";
import {
  runSnippet, loadSnippet, step, runLoaded, hvcImm, takenEL1, ENTRY, DATA, STACK_TOP, ABI, hex,
  readU64, writeU64, writeBytes, VEC_CUR_SPX_SYNC, VEC_LOWER_SYNC, type Core,
} from "../helpers/machine";
import { ones, trunc, sint, sext } from "../helpers/ref";

const M64 = ones(64), M32 = ones(32);
const EC_DABT_CUR = 0x25, EC_DABT_LOW = 0x24, EC_SP_ALIGN = 0x26;
const DFSC_ALIGNMENT = 0x21, DFSC_SYNC_EXTERNAL = 0x10;
const WNR = 1 << 6;

// Fill [DATA, DATA+len) with the byte pattern i*0x11+1 (mod 256) ... distinct, non-zero.
function pattern(len: number, seed = 0x11): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (i * seed + 0x81) & 0xff;
  return b;
}
const leU = (b: Uint8Array, off: number, n: number): bigint => {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i]);
  return v;
};

describe("Load register (literal)", () => {
  it("LDR Xt/Wt, LDRSW and PRFM (literal), forwards and backwards", async () => {
    const r = await runSnippet(`
      b 1f
    back:
      .quad 0xfedcba9876543210
    1:
      ldr x0, fwd64
      ldr w1, fwd64          // 32-bit: zero-extended
      ldrsw x2, neg32
      ldrsw x3, pos32
      ldr x4, back
      prfm pldl1keep, fwd64
      ldr xzr, fwd64         // discards
      hvc #0
      .balign 8
    fwd64: .quad 0x8877665544332211
    neg32: .word 0x80000001
    pos32: .word 0x7ffffffe
    `);
    expect(hvcImm(r.exit)).toBe(0);
    const c = r.core;
    expect(c.x(0)).toBe(0x8877_6655_4433_2211n);
    expect(c.x(1)).toBe(0x4433_2211n);
    expect(c.x(2)).toBe(0xffff_ffff_8000_0001n);
    expect(c.x(3)).toBe(0x7fff_fffen);
    expect(c.x(4)).toBe(0xfedc_ba98_7654_3210n);
  });
});

describe("Load/store register: addressing forms", () => {
  const MEM = pattern(0x4000);
  const setup = (c: Core) => c.writeRam(DATA, MEM);
  const at = (off: number, n: number) => leU(MEM, off, n);

  it("unsigned offset, including the largest scaled offsets", async () => {
    const r = await runSnippet(`
      ldr x0, [x1]
      ldr x2, [x1, #8]
      ldr w4, [x1, #16380]      // 4095 * 4
      ldrh w5, [x1, #8190]      // 4095 * 2
      ldrb w6, [x1, #4095]
      hvc #0
    `, { regs: { 1: DATA }, setup });
    const c = r.core;
    expect(c.x(0)).toBe(at(0, 8));
    expect(c.x(2)).toBe(at(8, 8));
    expect(c.x(4)).toBe(at(16380, 4));
    expect(c.x(5)).toBe(at(8190, 2));
    expect(c.x(6)).toBe(at(4095, 1));
  });

  it("unsigned offset stores of every size write exactly their bytes", async () => {
    const r = await runSnippet(`
      strb w0, [x1, #1]
      strh w0, [x1, #4]
      str w0, [x1, #8]
      str x0, [x1, #16]
      str x0, [x1, #32760]
      str xzr, [x1, #24]
      str wzr, [x1, #32]
      hvc #0
    `, { regs: { 0: 0x0102_0304_0506_0708n, 1: DATA }, setup: (c) => c.writeRam(DATA, new Uint8Array(0x8000).fill(0xee)) });
    const m = r.core.readRam(DATA, 40);
    expect(Array.from(m.slice(0, 3))).toEqual([0xee, 0x08, 0xee]);
    expect(Array.from(m.slice(3, 7))).toEqual([0xee, 0x08, 0x07, 0xee]);
    expect(Array.from(m.slice(7, 13))).toEqual([0xee, 0x08, 0x07, 0x06, 0x05, 0xee]);
    expect(readU64(r.core, DATA + 16n)).toBe(0x0102_0304_0506_0708n);
    expect(readU64(r.core, DATA + 32760n)).toBe(0x0102_0304_0506_0708n);
    expect(readU64(r.core, DATA + 24n)).toBe(0n);
    expect(Array.from(m.slice(32, 40))).toEqual([0, 0, 0, 0, 0xee, 0xee, 0xee, 0xee]);
  });

  it("unscaled offsets -256..255, unaligned", async () => {
    const r = await runSnippet(`
      ldur x0, [x1, #-256]
      ldur x2, [x1, #255]
      ldur w3, [x1, #-1]
      ldurh w4, [x1, #3]
      ldurb w5, [x1, #-7]
      stur x6, [x1, #1]
      sturh w6, [x1, #13]
      hvc #0
    `, { regs: { 1: DATA + 0x1000n, 6: 0x1122_3344_5566_7788n }, setup });
    const c = r.core;
    expect(c.x(0)).toBe(at(0x1000 - 256, 8));
    expect(c.x(2)).toBe(at(0x1000 + 255, 8));
    expect(c.x(3)).toBe(at(0x1000 - 1, 4));
    expect(c.x(4)).toBe(at(0x1000 + 3, 2));
    expect(c.x(5)).toBe(at(0x1000 - 7, 1));
    expect(readU64(c, DATA + 0x1001n)).toBe(0x1122_3344_5566_7788n);
    expect(c.readRam(DATA + 0x1000n, 16)[0]).toBe(MEM[0x1000]);
    expect(Array.from(c.readRam(DATA + 0x100dn, 3))).toEqual([0x88, 0x77, MEM[0x100f]]);
  });

  it("pre-index and post-index writeback, positive and negative, with SP as the base", async () => {
    const r = await runSnippet(`
      mov x2, x1
      ldr x0, [x2, #8]!          // x2 = DATA+8, loads DATA+8
      ldr x3, [x2], #-16         // loads DATA+8, x2 = DATA-8
      mov x4, x2
      add x5, x1, #0x100
      str x6, [x5, #-8]!         // stores at DATA+0xf8
      strb w6, [x5], #1          // stores at DATA+0xf8, x5 = DATA+0xf9
      ldrsb x7, [x5, #-1]!       // loads DATA+0xf8 sign-extended, x5 = DATA+0xf8
      ldrh w8, [x1, #2]!         // x1 = DATA+2
      str x6, [sp, #-16]!
      ldr x10, [sp], #16
      mov x11, sp
      ldr x12, [x13], #255
      ldr x14, [x15, #-256]!
      hvc #0
    `, { regs: { 1: DATA, 6: 0x8081_8283_8485_8687n, 13: DATA + 0x200n, 15: DATA + 0x300n }, setup });
    const c = r.core;
    expect(c.x(0)).toBe(at(8, 8));
    expect(c.x(3)).toBe(at(8, 8));
    expect(c.x(4)).toBe(DATA - 8n);
    expect(c.x(5)).toBe(DATA + 0xf8n);
    expect(c.x(7)).toBe(sext(0x87n, 8));
    expect(readU64(c, DATA + 0xf8n)).toBe(0x8081_8283_8485_8687n);
    expect(c.x(8)).toBe(at(2, 2));
    expect(c.x(1)).toBe(DATA + 2n);
    expect(c.x(10)).toBe(0x8081_8283_8485_8687n);
    expect(c.x(11)).toBe(STACK_TOP);
    expect(readU64(c, STACK_TOP - 16n)).toBe(0x8081_8283_8485_8687n);
    expect(c.x(12)).toBe(at(0x200, 8));
    expect(c.x(13)).toBe(DATA + 0x200n + 255n);
    expect(c.x(14)).toBe(at(0x300 - 256, 8));
    expect(c.x(15)).toBe(DATA + 0x300n - 256n);
  });

  it("register offset with LSL/UXTW/SXTW/SXTX and the scaled shift", async () => {
    const r = await runSnippet(`
      ldr x0, [x1, x2]
      ldr x3, [x1, x2, lsl #3]
      ldr x4, [x1, w5, uxtw]        // top half of x5 ignored
      ldr x6, [x1, w5, uxtw #3]
      ldr x7, [x10, w8, sxtw]       // w8 negative
      ldr x9, [x10, w8, sxtw #3]
      ldr x11, [x10, x12, sxtx]
      ldr x13, [x10, x12, sxtx #3]
      ldrb w14, [x1, x2, lsl #0]
      ldrh w15, [x10, w8, sxtw #1]
      ldr w16, [x1, x2, lsl #2]
      ldrsw x17, [x1, x2, lsl #2]
      str x18, [x10, w8, sxtw #3]
      hvc #0
    `, { regs: { 1: DATA, 2: 5n, 5: 0xffff_ffff_0000_0011n, 8: trunc(-3n, 32) | (0x1234n << 32n), 10: DATA + 0x1000n, 12: trunc(-9n, 64), 18: 0xabcdn }, setup });
    const c = r.core;
    expect(c.x(0)).toBe(at(5, 8));
    expect(c.x(3)).toBe(at(40, 8));
    expect(c.x(4)).toBe(at(0x11, 8));
    expect(c.x(6)).toBe(at(0x88, 8));
    expect(c.x(7)).toBe(at(0x1000 - 3, 8));
    expect(c.x(9)).toBe(at(0x1000 - 24, 8));
    expect(c.x(11)).toBe(at(0x1000 - 9, 8));
    expect(c.x(13)).toBe(at(0x1000 - 72, 8));
    expect(c.x(14)).toBe(at(5, 1));
    expect(c.x(15)).toBe(at(0x1000 - 6, 2));
    expect(c.x(16)).toBe(at(20, 4));
    expect(c.x(17)).toBe(sext(at(20, 4), 32));
    expect(readU64(c, DATA + 0x1000n - 24n)).toBe(0xabcdn);
  });

  it("register offset with XZR as the index adds nothing; PRFM in every form never faults or exits", async () => {
    const r = await runSnippet(`
      ldr x0, [x1, xzr]
      ldr x2, [x1, wzr, sxtw #3]
      prfm pldl1keep, [x3]
      prfm pstl2strm, [x3, #8]
      prfum pldl3keep, [x3, #-1]
      prfm plil1keep, [x3, x4]
      prfm pldl1keep, [x5]
      hvc #0
    `, { regs: { 1: DATA + 8n, 3: 0x0900_0000n, 4: 16n, 5: 0xffff_0000_0000_0000n }, setup });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.mmio).toEqual([]);
    expect(r.core.x(0)).toBe(at(8, 8));
    expect(r.core.x(2)).toBe(at(8, 8));
  });

  it("unsigned offset: the largest doubleword offset reads the right bytes", async () => {
    const big = pattern(0x8000, 0x07);
    const r = await runSnippet(`
      ldr x3, [x1, #32760]
      hvc #0
    `, { regs: { 1: DATA }, setup: (c) => c.writeRam(DATA, big) });
    expect(r.core.x(3)).toBe(leU(big, 32760, 8));
  });
});

describe("Sign and zero extension", () => {
  const bytesOf = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
  for (const [name, v8, v16, v32] of [["negative", 0x80n, 0x8001n, 0x8000_0002n], ["positive", 0x7fn, 0x7ffen, 0x7fff_fffdn], ["all ones", 0xffn, 0xffffn, M32]] as const) {
    it(`every load extends correctly (${name} values), immediate, unscaled, register and post-index forms`, async () => {
      const r = await runSnippet(`
        ldrb w0, [x1]
        ldrsb w2, [x1]
        ldrsb x3, [x1]
        ldrh w4, [x1, #2]
        ldrsh w5, [x1, #2]
        ldrsh x6, [x1, #2]
        ldr w7, [x1, #4]
        ldrsw x8, [x1, #4]
        ldursb w10, [x1, #0]
        ldursh x11, [x1, #2]
        ldursw x12, [x1, #4]
        mov x13, #2
        ldrsh w14, [x1, x13]
        ldrsb x15, [x1], #4
        ldrsw x16, [x1]
        hvc #0
      `, { regs: { 1: DATA }, setup: (c) => writeBytes(c, DATA, [...bytesOf(v8, 1), 0, ...bytesOf(v16, 2), ...bytesOf(v32, 4)]) });
      const c = r.core;
      expect(c.x(0)).toBe(v8);
      expect(c.x(2)).toBe(sext(v8, 8, 32));
      expect(c.x(3)).toBe(sext(v8, 8, 64));
      expect(c.x(4)).toBe(v16);
      expect(c.x(5)).toBe(sext(v16, 16, 32));
      expect(c.x(6)).toBe(sext(v16, 16, 64));
      expect(c.x(7)).toBe(v32);
      expect(c.x(8)).toBe(sext(v32, 32, 64));
      expect(c.x(10)).toBe(sext(v8, 8, 32));
      expect(c.x(11)).toBe(sext(v16, 16, 64));
      expect(c.x(12)).toBe(sext(v32, 32, 64));
      expect(c.x(14)).toBe(sext(v16, 16, 32));
      expect(c.x(15)).toBe(sext(v8, 8, 64));
      expect(c.x(16)).toBe(sext(v32, 32, 64));
    });
  }
});

describe("Load/store pair", () => {
  const MEM = pattern(0x1000, 0x1d);
  const setup = (c: Core) => c.writeRam(DATA, MEM);
  const at = (off: number, n: number) => leU(MEM, off, n);

  it("LDP/STP offset, pre-index and post-index at both sizes; the offset range -512..504", async () => {
    const r = await runSnippet(`
      ldp x0, x1, [x2]
      ldp x3, x4, [x2, #16]!       // x2 = DATA+0x210
      ldp x5, x6, [x2], #-16       // loads DATA+0x210, x2 = DATA+0x200
      ldp w7, w8, [x2, #-8]
      ldp x9, x10, [x2, #504]
      ldp x11, x12, [x2, #-512]
      stp x13, x14, [sp, #-16]!
      stp w13, w14, [x15, #4]
      stp x13, x14, [x16], #32
      hvc #0
    `, { regs: { 2: DATA + 0x200n, 13: 0x1111_2222_3333_4444n, 14: 0x5555_6666_7777_8888n, 15: DATA + 0x800n, 16: DATA + 0x900n }, setup });
    const c = r.core;
    expect([c.x(0), c.x(1)]).toEqual([at(0x200, 8), at(0x208, 8)]);
    expect([c.x(3), c.x(4)]).toEqual([at(0x210, 8), at(0x218, 8)]);
    expect([c.x(5), c.x(6)]).toEqual([at(0x210, 8), at(0x218, 8)]);
    expect(c.x(2)).toBe(DATA + 0x200n);
    expect([c.x(7), c.x(8)]).toEqual([at(0x1f8, 4), at(0x1fc, 4)]);
    expect([c.x(9), c.x(10)]).toEqual([at(0x200 + 504, 8), at(0x200 + 512, 8)]);
    expect([c.x(11), c.x(12)]).toEqual([at(0, 8), at(8, 8)]);
    expect(c.sp).toBe(STACK_TOP - 16n);
    expect([readU64(c, STACK_TOP - 16n), readU64(c, STACK_TOP - 8n)]).toEqual([0x1111_2222_3333_4444n, 0x5555_6666_7777_8888n]);
    expect(readU64(c, DATA + 0x804n)).toBe(0x7777_8888_3333_4444n);
    expect([readU64(c, DATA + 0x900n), readU64(c, DATA + 0x908n)]).toEqual([0x1111_2222_3333_4444n, 0x5555_6666_7777_8888n]);
    expect(c.x(16)).toBe(DATA + 0x920n);
  });

  it("LDPSW sign-extends both words; LDNP/STNP behave as LDP/STP offset forms", async () => {
    const r = await runSnippet(`
      ldpsw x0, x1, [x2]
      ldpsw x3, x4, [x2, #8]!
      ldnp x5, x6, [x7, #16]
      ldnp w8, w9, [x7, #-8]
      stnp x10, x11, [x12, #32]
      stnp w10, w11, [x12, #8]
      hvc #0
    `, { regs: { 2: DATA + 0x400n, 7: DATA + 0x100n, 10: 0xa0a0_a0a0_8000_0001n, 11: 0x0b0b_0b0b_7fff_ffffn, 12: DATA + 0xa00n },
      setup: (c) => { setup(c); writeBytes(c, DATA + 0x400n, [0x01, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f, 0xfe, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00]); } });
    const c = r.core;
    expect(c.x(0)).toBe(0xffff_ffff_8000_0001n);
    expect(c.x(1)).toBe(0x7fff_ffffn);
    expect(c.x(3)).toBe(M64 - 1n);
    expect(c.x(4)).toBe(0n);
    expect(c.x(2)).toBe(DATA + 0x408n);
    expect([c.x(5), c.x(6)]).toEqual([at(0x110, 8), at(0x118, 8)]);
    expect([c.x(8), c.x(9)]).toEqual([at(0xf8, 4), at(0xfc, 4)]);
    expect([readU64(c, DATA + 0xa20n), readU64(c, DATA + 0xa28n)]).toEqual([0xa0a0_a0a0_8000_0001n, 0x0b0b_0b0b_7fff_ffffn]);
    expect(readU64(c, DATA + 0xa08n)).toBe(0x7fff_ffff_8000_0001n);
  });
});

describe("Unprivileged loads and stores", () => {
  for (const el of [1, 0] as const) {
    it(`LDTR/STTR family at EL${el} (no translation: behave as ordinary accesses)`, async () => {
      const r = await runSnippet(`
        ldtr x0, [x1]
        ldtr w2, [x1, #4]
        ldtrb w3, [x1, #-1]
        ldtrsb x4, [x1, #7]
        ldtrh w5, [x1, #2]
        ldtrsh w6, [x1, #6]
        ldtrsw x7, [x1, #4]
        sttr x8, [x1, #16]
        sttrb w8, [x1, #255]
        sttrh w8, [x1, #-256]
        sttr w8, [x1, #32]
        svc #0
      `, { el, regs: { 1: DATA + 0x100n, 8: 0x0123_4567_89ab_cdefn }, setup: (c) => writeBytes(c, DATA + 0xffn, [0x9c, 0x11, 0x22, 0x33, 0x44, 0x85, 0x66, 0x77, 0x88]) });
      if (el === 0) expect(r.exit.kind === "hvc" && r.exit.imm).toBe(VEC_LOWER_SYNC);
      else expect(hvcImm(r.exit)).toBe(VEC_CUR_SPX_SYNC);
      expect(takenEL1(r.core, r.exit).ec).toBe(0x15); // the SVC, not a fault
      const c = r.core;
      expect(c.x(0)).toBe(0x8877_6685_4433_2211n);
      expect(c.x(2)).toBe(0x8877_6685n);
      expect(c.x(3)).toBe(0x9cn);
      expect(c.x(4)).toBe(sext(0x88n, 8));
      expect(c.x(5)).toBe(0x4433n);
      expect(c.x(6)).toBe(sext(0x8877n, 16, 32));
      expect(c.x(7)).toBe(sext(0x8877_6685n, 32));
      expect(readU64(c, DATA + 0x110n)).toBe(0x0123_4567_89ab_cdefn);
      expect(c.readRam(DATA + 0x1ffn, 1)[0]).toBe(0xef);
      expect(Array.from(c.readRam(DATA, 2))).toEqual([0xef, 0xcd]);
      expect(readU64(c, DATA + 0x120n)).toBe(0x89ab_cdefn);
    });
  }
});

describe("Accesses that cross a 4 KiB page boundary", () => {
  it("unaligned loads of 2, 4 and 8 bytes and LDP elements across the boundary", async () => {
    const mem = pattern(0x2000, 0x35);
    const r = await runSnippet(`
      ldr x0, [x1, #-3]
      ldr x2, [x1, #-7]
      ldr w3, [x1, #-2]
      ldrh w4, [x1, #-1]
      ldrsh x5, [x1, #-1]
      ldp x6, x7, [x9]          // x9 = page end - 12: the second element crosses
      ldr x8, [x1, #-1]!
      hvc #0
    `, { regs: { 1: DATA + 0x1000n, 9: DATA + 0x1000n - 12n }, setup: (c) => c.writeRam(DATA, mem) });
    const c = r.core;
    expect(c.x(0)).toBe(leU(mem, 0x1000 - 3, 8));
    expect(c.x(2)).toBe(leU(mem, 0x1000 - 7, 8));
    expect(c.x(3)).toBe(leU(mem, 0x1000 - 2, 4));
    expect(c.x(4)).toBe(leU(mem, 0x1000 - 1, 2));
    expect(c.x(5)).toBe(sext(leU(mem, 0x1000 - 1, 2), 16));
    expect([c.x(6), c.x(7)]).toEqual([leU(mem, 0x1000 - 12, 8), leU(mem, 0x1000 - 4, 8)]);
    expect(c.x(8)).toBe(leU(mem, 0x1000 - 1, 8));
    expect(c.x(1)).toBe(DATA + 0xfffn);
  });

  it("unaligned stores across the boundary write both pages", async () => {
    const r = await runSnippet(`
      str x0, [x1, #-3]
      str w0, [x2, #-1]
      strh w0, [x3, #-1]
      stp x0, x4, [x5]           // x5 = page end - 12
      hvc #0
    `, { regs: { 0: 0x0807_0605_0403_0201n, 1: DATA + 0x1000n, 2: DATA + 0x2000n, 3: DATA + 0x3000n, 4: 0x1817_1615_1413_1211n, 5: DATA + 0x4000n - 12n },
      setup: (c) => c.writeRam(DATA, new Uint8Array(0x5000).fill(0xcc)) });
    const c = r.core;
    expect(Array.from(c.readRam(DATA + 0xffcn, 10))).toEqual([0xcc, 1, 2, 3, 4, 5, 6, 7, 8, 0xcc]);
    expect(Array.from(c.readRam(DATA + 0x1ffen, 6))).toEqual([0xcc, 1, 2, 3, 4, 0xcc]);
    expect(Array.from(c.readRam(DATA + 0x2ffen, 4))).toEqual([0xcc, 1, 2, 0xcc]);
    expect(Array.from(c.readRam(DATA + 0x3ff4n, 16))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]);
  });
});

describe("Alignment checking", () => {
  it("with SCTLR_EL1.A = 0 unaligned ordinary accesses do not fault", async () => {
    const r = await runSnippet(`
      ldr x0, [x1, #1]
      str x0, [x1, #3]
      ldrh w2, [x1, #5]
      hvc #0
    `, { regs: { 1: DATA } });
    expect(hvcImm(r.exit)).toBe(0);
  });

  it("with SCTLR_EL1.A = 1 an unaligned LDR takes an alignment fault; aligned and byte accesses do not", async () => {
    const r = await runSnippet(`
      ldr x0, [x1]
      ldrb w2, [x1, #1]
      ldr w3, [x1, #4]
      str x0, [x1, #9]
      hvc #0
    `, { regs: { 1: DATA }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 2n) });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(DFSC_ALIGNMENT);
    expect(t.iss & WNR).toBe(WNR);
    expect(t.elr).toBe(ENTRY + 12n);
    expect(t.far).toBe(DATA + 9n);
    expect(t.il).toBe(1);
  });

  it("SCTLR_EL1.SA = 1: a load with a misaligned SP as the base takes an SP alignment fault", async () => {
    const r = await runSnippet(`
      ldr x0, [sp, #8]         // SP aligned: fine
      mov x1, sp
      sub sp, sp, #8
      ldr x0, [sp, #8]         // SP misaligned: fault
      hvc #0
    `, { setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | 8n) });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_SP_ALIGN);
    expect(t.elr).toBe(ENTRY + 12n);
  });
});

describe("Addresses beyond the physical address size (MMU off)", () => {
  // With stage 1 disabled, a VA with any bit set above PAMax (48, ID_AA64MMFR0_EL1.PARange = 0b0101)
  // takes an Address size fault at level 0 (DFSC/IFSC 0b000000), FAR = the VA.
  it("a load from 1 << 48 takes a level 0 address size fault", async () => {
    const r = await runSnippet(`
      mrs x9, id_aa64mmfr0_el1
      ldr x0, [x1]
      hvc #0
    `, { regs: { 1: 1n << 48n, 0: 0x5n } });
    expect(r.core.x(9) & 0xfn).toBe(5n);
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(0x00);
    expect(t.far).toBe(1n << 48n);
    expect(t.elr).toBe(ENTRY + 4n);
    expect(r.core.x(0)).toBe(5n);
  });

  it("a store to 0xffff_0000_0000_0000 takes a level 0 address size fault with WnR = 1", async () => {
    const r = await runSnippet(`
      str x0, [x1, #8]
      hvc #0
    `, { regs: { 1: 0xffff_0000_0000_0000n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(0x00);
    expect(t.iss & WNR).toBe(WNR);
    expect(t.far).toBe(0xffff_0000_0000_0008n);
  });

  it("a branch to 1 << 48 takes an instruction abort (EC 0x21, IFSC 0) at the target", async () => {
    const r = await runSnippet(`
      br x1
    `, { regs: { 1: 1n << 48n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(0x21);
    expect(t.iss & 0x3f).toBe(0x00);
    expect(t.far).toBe(1n << 48n);
    expect(t.elr).toBe(1n << 48n);
  });
});

describe("Exclusives and acquire/release", () => {
  it("LDXR/STXR: status 0 and the store happens", async () => {
    const r = await runSnippet(`
      ldxr x0, [x1]
      add x0, x0, #1
      stxr w2, x0, [x1]
      ldaxr w3, [x4]
      add w3, w3, #1
      stlxr w5, w3, [x4]
      ldxrb w6, [x7]
      stxrb w8, w6, [x7, #0]
      ldaxrh w9, [x10]
      stlxrh w11, w12, [x10]
      hvc #0
    `, { regs: { 1: DATA, 4: DATA + 0x10n, 7: DATA + 0x21n, 10: DATA + 0x32n, 2: 7n, 5: 7n, 8: 7n, 11: 7n, 12: 0xbeefn },
      setup: (c) => { writeU64(c, DATA, 41n); writeU64(c, DATA + 0x10n, 0xffff_ffffn | (5n << 32n)); writeBytes(c, DATA + 0x21n, [0x5a]); } });
    const c = r.core;
    expect(c.x(2)).toBe(0n);
    expect(readU64(c, DATA)).toBe(42n);
    expect(c.x(3)).toBe(0n);      // 0xffffffff + 1 in 32 bits
    expect(c.x(5)).toBe(0n);
    expect(readU64(c, DATA + 0x10n)).toBe(5n << 32n);
    expect(c.x(6)).toBe(0x5an);
    expect(c.x(8)).toBe(0n);
    expect(c.x(11)).toBe(0n);
    expect(Array.from(c.readRam(DATA + 0x32n, 2))).toEqual([0xef, 0xbe]);
  });

  it("STXR after CLREX fails with status 1 and leaves memory unchanged", async () => {
    const r = await runSnippet(`
      ldxr x0, [x1]
      clrex
      stxr w2, x3, [x1]
      hvc #0
    `, { regs: { 1: DATA, 3: 0x99n }, setup: (c) => writeU64(c, DATA, 0x1234n) });
    expect(r.core.x(2)).toBe(1n);
    expect(readU64(r.core, DATA)).toBe(0x1234n);
  });

  it("STXR without a preceding LDXR fails (monitor Open after reset); a second STXR after a successful one fails", async () => {
    const r = await runSnippet(`
      stxr w2, x3, [x1]
      ldxr x0, [x1]
      stxr w4, x3, [x1]
      stxr w5, x6, [x1]
      hvc #0
    `, { regs: { 1: DATA, 3: 0x77n, 6: 0x88n }, setup: (c) => writeU64(c, DATA, 0x1234n) });
    expect(r.core.x(2)).toBe(1n);
    expect(r.core.x(4)).toBe(0n);
    expect(r.core.x(5)).toBe(1n);
    expect(readU64(r.core, DATA)).toBe(0x77n);
  });

  it("LDXP/STXP and LDAXP/STLXP on 64- and 32-bit pairs", async () => {
    const r = await runSnippet(`
      ldxp x0, x1, [x2]
      stxp w3, x1, x0, [x2]          // swap the pair
      ldaxp w4, w5, [x6]
      stlxp w7, w5, w4, [x6]
      hvc #0
    `, { regs: { 2: DATA, 6: DATA + 0x40n, 3: 9n, 7: 9n },
      setup: (c) => { writeU64(c, DATA, 0x1111n); writeU64(c, DATA + 8n, 0x2222n); writeU64(c, DATA + 0x40n, 0x4444_4444_3333_3333n); } });
    const c = r.core;
    expect([c.x(0), c.x(1), c.x(3)]).toEqual([0x1111n, 0x2222n, 0n]);
    expect([readU64(c, DATA), readU64(c, DATA + 8n)]).toEqual([0x2222n, 0x1111n]);
    expect([c.x(4), c.x(5), c.x(7)]).toEqual([0x3333_3333n, 0x4444_4444n, 0n]);
    expect(readU64(c, DATA + 0x40n)).toBe(0x3333_3333_4444_4444n);
  });

  it("LDAR/STLR at every size", async () => {
    const r = await runSnippet(`
      ldar x0, [x1]
      ldar w2, [x1]
      ldarh w3, [x1]
      ldarb w4, [x1]
      stlr x5, [x6]
      stlr w5, [x6, #0]
      stlrh w7, [x8]
      stlrb w7, [x9]
      hvc #0
    `, { regs: { 1: DATA, 5: 0x0102_0304_0506_0708n, 6: DATA + 0x10n, 7: 0xa1a2n, 8: DATA + 0x20n, 9: DATA + 0x30n },
      setup: (c) => { writeU64(c, DATA, 0xf1f2_f3f4_f5f6_f7f8n); c.writeRam(DATA + 0x10n, new Uint8Array(0x30).fill(0xee)); } });
    const c = r.core;
    expect(c.x(0)).toBe(0xf1f2_f3f4_f5f6_f7f8n);
    expect(c.x(2)).toBe(0xf5f6_f7f8n);
    expect(c.x(3)).toBe(0xf7f8n);
    expect(c.x(4)).toBe(0xf8n);
    expect(readU64(c, DATA + 0x10n)).toBe(0x0102_0304_0506_0708n);
    expect(Array.from(c.readRam(DATA + 0x20n, 3))).toEqual([0xa2, 0xa1, 0xee]);
    expect(Array.from(c.readRam(DATA + 0x30n, 2))).toEqual([0xa2, 0xee]);
  });

  for (const [insn, isWrite] of [["ldxr x0, [x1]", false], ["ldaxr w0, [x1]", false], ["ldar x0, [x1]", false], ["stlr w0, [x1]", true], ["stxr w2, x0, [x1]", true], ["ldxp x2, x3, [x1]", false]] as const) {
    it(`unaligned ${insn.split(" ")[0].toUpperCase()} takes an alignment fault (EC 0x25, DFSC 0x21, FAR) even with SCTLR_EL1.A = 0`, async () => {
      const addr = insn.startsWith("ldxp") ? DATA + 8n : DATA + 2n; // LDXP of two X: must be 16-byte aligned
      const r = await runSnippet(`
        nop
        ${insn}
        hvc #0
      `, { regs: { 1: addr, 0: 0x55n, 2: 7n } });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec).toBe(EC_DABT_CUR);
      expect(t.il).toBe(1);
      expect(t.iss & 0x3f).toBe(DFSC_ALIGNMENT);
      expect(t.iss & WNR).toBe(isWrite ? WNR : 0);
      expect(t.far).toBe(addr);
      expect(t.elr).toBe(ENTRY + 4n);
      expect(r.core.x(2)).toBe(7n); // nothing written back
    });
  }
});

// ---- LSE atomics -------------------------------------------------------------------
const SIZES = [["b", 1], ["h", 2], ["", 4], ["", 8]] as const;
const ORD = ["", "a", "l", "al"];
type AtomicOp = "add" | "clr" | "eor" | "set" | "smax" | "smin" | "umax" | "umin";
const OPS: AtomicOp[] = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"];
function atomicRef(op: AtomicOp, old: bigint, s: bigint, bytes: number): bigint {
  const N = bytes * 8;
  old = trunc(old, N); s = trunc(s, N);
  switch (op) {
    case "add": return trunc(old + s, N);
    case "clr": return old & ~s & ones(N);
    case "eor": return old ^ s;
    case "set": return old | s;
    case "smax": return sint(old, N) > sint(s, N) ? old : s;
    case "smin": return sint(old, N) < sint(s, N) ? old : s;
    case "umax": return old > s ? old : s;
    case "umin": return old < s ? old : s;
  }
}

describe("Atomic memory operations (FEAT_LSE)", () => {
  const pairs: [bigint, bigint][] = [
    [0x7f7f_7f7f_7f7f_7f7fn, 0x8080_8080_8080_8080n], // signed and unsigned orders disagree
    [0x8080_8080_8080_8080n, 0x7f7f_7f7f_7f7f_7f7fn],
    [0xffff_ffff_ffff_ffffn, 0x0000_0000_0000_0001n],
    [0x0123_4567_89ab_cdefn, 0xfedc_ba98_7654_3211n],
  ];

  for (const op of OPS) {
    it(`LD${op.toUpperCase()}{A,L,AL}{B,H,W,X}: old value (zero-extended) to Rt, result to memory`, async () => {
      const lines: string[] = [];
      const cases: { off: number; old: bigint; s: bigint; bytes: number; insn: string }[] = [];
      let k = 0;
      for (const [sfx, bytes] of SIZES) for (const [old, s] of pairs) {
        const reg = bytes === 8 ? "x" : "w";
        const insn = `ld${op}${ORD[k % 4]}${sfx} ${reg}1, ${reg}3, [x2]`;
        const off = k * 16;
        lines.push(`  add x2, x20, #${off}`, `  ldr x1, =${hex(s)}`, `  ldr x3, =${hex(GARB)}`, `  ${insn}`, `  str x3, [x21], #8`);
        cases.push({ off, old, s, bytes, insn });
        k++;
      }
      // ST<op> (Rt = XZR) updates memory and writes no register.
      lines.push(`  add x2, x20, #${k * 16}`, `  ldr x1, =0x5`, `  st${op}l x1, [x2]`);
      lines.push("  hvc #0", "  .ltorg");
      const r = await runSnippet(lines.join("\n"), {
        regs: { 20: DATA, 21: DATA + 0x1000n },
        setup: (c) => {
          cases.forEach((cs) => { writeU64(c, DATA + BigInt(cs.off), cs.old); writeU64(c, DATA + BigInt(cs.off) + 8n, 0x5a5a_5a5a_5a5a_5a5an); });
          writeU64(c, DATA + BigInt(k * 16), 0x10n);
        },
      });
      expect(hvcImm(r.exit)).toBe(0);
      const bad: string[] = [];
      cases.forEach((cs, i) => {
        const N = cs.bytes * 8;
        const wantMem = (cs.old & ~ones(N)) | atomicRef(op, cs.old, cs.s, cs.bytes);
        const gotRt = readU64(r.core, DATA + 0x1000n + BigInt(i * 8));
        const gotMem = readU64(r.core, DATA + BigInt(cs.off));
        const gotNext = readU64(r.core, DATA + BigInt(cs.off) + 8n);
        if (gotRt !== trunc(cs.old, N) || gotMem !== wantMem || gotNext !== 0x5a5a_5a5a_5a5a_5a5an) {
          bad.push(`${cs.insn} mem=${hex(cs.old)} s=${hex(cs.s)}: Rt=${hex(gotRt)} mem=${hex(gotMem)}, want Rt=${hex(trunc(cs.old, N))} mem=${hex(wantMem)}`);
        }
      });
      expect(bad).toEqual([]);
      expect(readU64(r.core, DATA + BigInt(k * 16))).toBe(atomicRef(op, 0x10n, 5n, 8));
    });
  }

  it("SWP{A,L,AL}{B,H,W,X}", async () => {
    const r = await runSnippet(`
      swpb w1, w3, [x2]
      swpah w4, w5, [x6]
      swpl w7, w8, [x9]
      swpal x10, x11, [x12]
      hvc #0
    `, { regs: { 1: 0x1ffn, 2: DATA, 3: GARB, 4: 0xabcd_ef01n, 5: GARB, 6: DATA + 0x10n, 7: 0x7654_3210n, 8: GARB, 9: DATA + 0x20n, 10: 0x1122_3344_5566_7788n, 11: GARB, 12: DATA + 0x30n },
      setup: (c) => { for (let i = 0; i < 4; i++) writeU64(c, DATA + BigInt(i * 16), 0x8899_aabb_ccdd_eeffn); } });
    const c = r.core;
    expect(c.x(3)).toBe(0xffn);
    expect(readU64(c, DATA)).toBe(0x8899_aabb_ccdd_eeffn & ~0xffn | 0xffn);
    expect(c.x(5)).toBe(0xeeffn);
    expect(readU64(c, DATA + 0x10n)).toBe(0x8899_aabb_ccdd_ef01n);
    expect(c.x(8)).toBe(0xccdd_eeffn);
    expect(readU64(c, DATA + 0x20n)).toBe(0x8899_aabb_7654_3210n);
    expect(c.x(11)).toBe(0x8899_aabb_ccdd_eeffn);
    expect(readU64(c, DATA + 0x30n)).toBe(0x1122_3344_5566_7788n);
  });

  it("CAS{A,L,AL}{B,H,W,X}: success stores Rt, failure does not; Rs receives the old value either way", async () => {
    const OLD = 0xf1e2_d3c4_b5a6_9788n;
    const rows: { insn: string; bytes: number; cmp: bigint; ok: boolean }[] = [];
    for (const [sfx, bytes] of SIZES) for (const ok of [true, false]) {
      const N = bytes * 8;
      const reg = bytes === 8 ? "x" : "w";
      // The compare value differs above the access size too: only the low N bits are compared.
      const cmp = ok ? (trunc(OLD, N) | (bytes < 8 ? 0xdead_0000_0000_0000n : 0n)) : trunc(OLD + 1n, N);
      rows.push({ insn: `cas${ORD[rows.length % 4]}${sfx} ${reg}1, ${reg}3, [x2]`, bytes, cmp, ok });
    }
    const lines: string[] = [];
    rows.forEach((row, i) => lines.push(`  add x2, x20, #${i * 8}`, `  ldr x1, =${hex(row.cmp)}`, `  ldr x3, =0x0102030405060708`, `  ${row.insn}`, `  str x1, [x21], #8`));
    lines.push("  hvc #0", "  .ltorg");
    const r = await runSnippet(lines.join("\n"), { regs: { 20: DATA, 21: DATA + 0x1000n }, setup: (c) => rows.forEach((_, i) => writeU64(c, DATA + BigInt(i * 8), OLD)) });
    expect(hvcImm(r.exit)).toBe(0);
    const bad: string[] = [];
    rows.forEach((row, i) => {
      const N = row.bytes * 8;
      const wantMem = row.ok ? (OLD & ~ones(N)) | trunc(0x0102_0304_0506_0708n, N) : OLD;
      const gotMem = readU64(r.core, DATA + BigInt(i * 8)), gotRs = readU64(r.core, DATA + 0x1000n + BigInt(i * 8));
      if (gotMem !== wantMem || gotRs !== trunc(OLD, N)) bad.push(`${row.insn} cmp=${hex(row.cmp)}: mem=${hex(gotMem)} Rs=${hex(gotRs)}, want mem=${hex(wantMem)} Rs=${hex(trunc(OLD, N))}`);
    });
    expect(bad).toEqual([]);
  });

  it("CASP{A,L,AL} on 32- and 64-bit pairs, success and failure", async () => {
    const r = await runSnippet(`
      casp x4, x5, x6, x7, [x2]         // success
      caspal x8, x9, x6, x7, [x3]       // failure: second word differs
      casp w10, w11, w12, w13, [x14]    // success (32-bit pair)
      caspl w16, w17, w12, w13, [x15]   // failure
      hvc #0
    `, { regs: {
      2: DATA, 3: DATA + 0x10n, 14: DATA + 0x20n, 15: DATA + 0x28n,
      4: 0x1111n, 5: 0x2222n, 6: 0xaaaan, 7: 0xbbbbn, 8: 0x1111n, 9: 0x2223n,
      10: 0xffff_ffff_0000_0001n, 11: 0x0000_0002n, 12: 0xcccc_ccccn, 13: 0xdddd_ddddn, 16: 0x1n, 17: 0x3n,
    }, setup: (c) => {
      writeU64(c, DATA, 0x1111n); writeU64(c, DATA + 8n, 0x2222n);
      writeU64(c, DATA + 0x10n, 0x1111n); writeU64(c, DATA + 0x18n, 0x2222n);
      writeU64(c, DATA + 0x20n, 0x0000_0002_0000_0001n); writeU64(c, DATA + 0x28n, 0x0000_0002_0000_0001n);
    } });
    const c = r.core;
    expect([readU64(c, DATA), readU64(c, DATA + 8n)]).toEqual([0xaaaan, 0xbbbbn]);
    expect([c.x(4), c.x(5)]).toEqual([0x1111n, 0x2222n]);
    expect([readU64(c, DATA + 0x10n), readU64(c, DATA + 0x18n)]).toEqual([0x1111n, 0x2222n]);
    expect([c.x(8), c.x(9)]).toEqual([0x1111n, 0x2222n]);
    expect(readU64(c, DATA + 0x20n)).toBe(0xdddd_dddd_cccc_ccccn);
    expect([c.x(10), c.x(11)]).toEqual([1n, 2n]);
    expect(readU64(c, DATA + 0x28n)).toBe(0x0000_0002_0000_0001n);
    expect([c.x(16), c.x(17)]).toEqual([1n, 2n]);
  });

  it("an unaligned atomic takes an alignment fault", async () => {
    const r = await runSnippet(`
      ldadd w1, w2, [x3]
      hvc #0
    `, { regs: { 3: DATA + 2n, 2: 7n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(DFSC_ALIGNMENT);
    expect(t.far).toBe(DATA + 2n);
    expect(t.elr).toBe(ENTRY);
    expect(r.core.x(2)).toBe(7n);
  });
});
const GARB = 0xdead_beef_dead_beefn;

describe("DC ZVA", () => {
  it("DCZID_EL0 reports 64-byte blocks, and DC ZVA zeroes exactly the aligned block holding the address", async () => {
    const r = await runSnippet(`
      mrs x0, dczid_el0
      dc zva, x1
      hvc #0
    `, { regs: { 1: DATA + 0x47n }, setup: (c) => c.writeRam(DATA, new Uint8Array(0x100).fill(0xaa)) });
    const dczid = r.core.x(0);
    expect(dczid & 0x10n).toBe(0n);              // DZP = 0: permitted
    const block = 4 << Number(dczid & 0xfn);     // 4 bytes << BS
    expect(block).toBe(64);
    const m = r.core.readRam(DATA, 0x100);
    for (let i = 0; i < 0x100; i++) expect(m[i], `byte ${hex(i)}`).toBe(i >= 0x40 && i < 0x80 ? 0 : 0xaa);
    expect(r.core.x(1)).toBe(DATA + 0x47n); // the register is not modified
  });

  it("DC ZVA at EL0 is trapped (EC 0x18) unless SCTLR_EL1.DZE; DCZID_EL0.DZP reflects it", async () => {
    const trapped = await runSnippet(`
      mrs x0, dczid_el0
      dc zva, x1
      svc #0
    `, { el: 0, regs: { 1: DATA } });
    expect(trapped.core.x(0) & 0x10n).toBe(0x10n);
    const t = takenEL1(trapped.core, trapped.exit);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(t.ec).toBe(0x18);
    const allowed = await runSnippet(`
      mrs x0, dczid_el0
      dc zva, x1
      svc #0
    `, { el: 0, regs: { 1: DATA }, setup: (c) => { c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | (1n << 14n)); c.writeRam(DATA, new Uint8Array(0x80).fill(0xaa)); } });
    expect(allowed.core.x(0) & 0x10n).toBe(0n);
    expect(takenEL1(allowed.core, allowed.exit).ec).toBe(0x15);
    expect(Array.from(allowed.core.readRam(DATA, 0x41))).toEqual([...new Array(0x40).fill(0), 0xaa]);
  });
});

describe("MMIO", () => {
  const UART = 0x0900_0000n;

  it("an LDR from MMIO exits with the access and returns the value the host completes it with", async () => {
    const { core, vcpu } = await loadSnippet(`
      ldr w0, [x1, #0x18]
      ldr x2, [x1]
      ldrsb x3, [x1, #4]
      ldrh w4, [x1, #6]
      hvc #0
    `, { regs: { 1: UART, 0: GARB } });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: 0x0900_0018n, size: 4, isWrite: false, pc: ENTRY });
    expect(core.x(0)).toBe(GARB); // nothing changed before the host answered
    vcpu.completeMmioRead(0x8765_4321n);
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART, size: 8, isWrite: false, pc: ENTRY + 4n });
    vcpu.completeMmioRead(0x1122_3344_5566_7788n);
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 4n, size: 1, isWrite: false });
    vcpu.completeMmioRead(0x80n);
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 6n, size: 2, isWrite: false });
    vcpu.completeMmioRead(0xfffen);
    e = step(core, vcpu, 1000n);
    expect(hvcImm(e)).toBe(0);
    expect(core.x(0)).toBe(0x8765_4321n);
    expect(core.x(2)).toBe(0x1122_3344_5566_7788n);
    expect(core.x(3)).toBe(M64 - 0x7fn);
    expect(core.x(4)).toBe(0xfffen);
    expect(core.instructions > 0n).toBe(true);
  });

  it("a post-index LDR to MMIO performs its writeback exactly once", async () => {
    const { core, vcpu } = await loadSnippet(`
      ldr x0, [x1], #8
      ldr w2, [x1, #-4]!
      hvc #0
    `, { regs: { 1: UART } });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART, size: 8 });
    expect(core.x(1)).toBe(UART);
    vcpu.completeMmioRead(0xaan);
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 4n, size: 4 });
    expect(core.x(1)).toBe(UART + 8n);
    vcpu.completeMmioRead(0xbbn);
    e = step(core, vcpu, 1000n);
    expect(hvcImm(e)).toBe(0);
    expect(core.x(0)).toBe(0xaan);
    expect(core.x(2)).toBe(0xbbn);
    expect(core.x(1)).toBe(UART + 4n);
  });

  it("MMIO stores exit with their data; STP to MMIO makes two accesses in order; LDP reads two", async () => {
    const { core, vcpu } = await loadSnippet(`
      strb w0, [x1, #1]
      stp x2, x3, [x1, #0x10]!
      ldp w4, w5, [x1]
      hvc #0
    `, { regs: { 0: 0x1234n, 1: UART, 2: 0xaaaa_bbbbn, 3: 0xcccc_ddddn } });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 1n, size: 1, isWrite: true });
    expect(e.kind === "mmio" && e.data & 0xffn).toBe(0x34n);
    vcpu.completeMmioWrite();
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 0x10n, size: 8, isWrite: true, data: 0xaaaa_bbbbn });
    vcpu.completeMmioWrite();
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 0x18n, size: 8, isWrite: true, data: 0xcccc_ddddn });
    vcpu.completeMmioWrite();
    e = step(core, vcpu, 1000n);
    expect(core.x(1)).toBe(UART + 0x10n); // writeback once the whole STP completed
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 0x10n, size: 4, isWrite: false });
    vcpu.completeMmioRead(0x4444n);
    e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 0x14n, size: 4, isWrite: false });
    vcpu.completeMmioRead(0x5555n);
    e = step(core, vcpu, 1000n);
    expect(hvcImm(e)).toBe(0);
    expect([core.x(4), core.x(5)]).toEqual([0x4444n, 0x5555n]);
  });

  it("an MMIO access the host aborts takes a synchronous external abort (EC 0x25, DFSC 0x10), base unchanged", async () => {
    const { core, vcpu } = await loadSnippet(`
      nop
      ldr x3, [x2, #8]!
      hvc #0
    `, { regs: { 2: UART, 3: 0x33n } });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", addr: UART + 8n, isWrite: false });
    vcpu.abortMmio();
    e = step(core, vcpu, 1000n);
    const t = takenEL1(core, e);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(DFSC_SYNC_EXTERNAL);
    expect(t.iss & WNR).toBe(0);
    expect(t.elr).toBe(ENTRY + 4n);
    if (((t.iss >> 10) & 1) === 0) expect(t.far).toBe(UART + 8n); // FnV = 0: FAR holds the address
    expect(core.x(2)).toBe(UART);
    expect(core.x(3)).toBe(0x33n);
  });

  it("an aborted MMIO store reports WnR = 1", async () => {
    const { core, vcpu } = await loadSnippet(`
      str w3, [x2]
      hvc #0
    `, { regs: { 2: UART + 0x30n } });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio", isWrite: true });
    vcpu.abortMmio();
    e = step(core, vcpu, 1000n);
    const t = takenEL1(core, e);
    expect(t.ec).toBe(EC_DABT_CUR);
    expect(t.iss & 0x3f).toBe(DFSC_SYNC_EXTERNAL);
    expect(t.iss & WNR).toBe(WNR);
  });

  it("an aborted MMIO load at EL0 is taken to EL1 as a data abort from a lower EL (EC 0x24)", async () => {
    const { core, vcpu } = await loadSnippet(`
      ldr x3, [x2]
      hvc #0
    `, { el: 0, regs: { 2: UART } });
    let e = step(core, vcpu, 1000n);
    expect(e).toMatchObject({ kind: "mmio" });
    vcpu.abortMmio();
    e = runLoaded(core, vcpu).exit;
    const t = takenEL1(core, e);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(t.ec).toBe(EC_DABT_LOW);
    expect(t.iss & 0x3f).toBe(DFSC_SYNC_EXTERNAL);
    expect(t.elr).toBe(ENTRY);
  });
});
