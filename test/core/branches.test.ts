// Branches (Arm ARM C4.1.87: unconditional immediate and register, compare
// and branch, test and branch, conditional branch), across 4 KiB pages, and
// the retired-instruction count of a long loop.
import { describe, it, expect } from "vitest";
import { runSnippet, loadSnippet, step, hvcImm, ENTRY, CODE_BASE, type SnippetOptions } from "../helpers/machine";
import { conditionHolds, COND_NAMES } from "../helpers/ref";

describe("Unconditional branch (immediate and register)", () => {
  it("B forward and backward, BL writes X30 = address + 4", async () => {
    const r = await runSnippet(`
      b 2f              // ENTRY + 0
    1:
      add x1, x1, #2    // ENTRY + 4
      bl 3f             // ENTRY + 8
      hvc #0            // ENTRY + 12
    2:
      add x1, x1, #1    // ENTRY + 16
      b 1b              // ENTRY + 20
    3:
      mov x2, x30       // ENTRY + 24
      hvc #1
    `);
    expect(hvcImm(r.exit)).toBe(1);
    expect(r.core.x(1)).toBe(3n);
    expect(r.core.x(2)).toBe(ENTRY + 12n);
    expect(r.core.x(30)).toBe(ENTRY + 12n);
    expect(r.insns).toBe(7n);
  });

  it("BR, BLR, BLR X30 (target read before the link is written), RET and RET Xn", async () => {
    const r = await runSnippet(`
      adr x5, 1f         // +0
      br x5              // +4
      hvc #0xbad         // +8
    1:
      adr x6, sub1       // +12
      blr x6             // +16 -> X30 = +20
      mov x7, x30        // +20
      adr x30, sub2      // +24
      blr x30            // +28 -> branches to sub2, X30 = +32
      mov x8, x30        // +32
      bl sub3            // +36 -> X30 = +40
      mov x9, x12        // +40: sub3's copy of its link
      hvc #0             // +44
    sub1:
      add x10, x10, #1
      ret
    sub2:
      add x10, x10, #2
      ret
    sub3:
      add x10, x10, #4
      mov x12, x30
      mov x30, xzr
      ret x12
    `);
    expect(hvcImm(r.exit)).toBe(0);
    const c = r.core;
    expect(c.x(7)).toBe(ENTRY + 20n);
    expect(c.x(8)).toBe(ENTRY + 32n);
    expect(c.x(9)).toBe(ENTRY + 40n);
    expect(c.x(10)).toBe(7n);
    expect(c.x(30)).toBe(0n); // sub3 cleared it; RET X12 did not use X30
  });

  it("raw B and BL encodings: offsets are relative to the branch, the link to the next instruction", async () => {
    // B .+8 and BL .+8 given as raw encodings; BL's link is its own address + 4.
    const r = await runSnippet(`
      .inst 0x94000002   // BL .+8
      hvc #0xbad
      .inst 0x14000002   // B .+8
      hvc #0xbad
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(30)).toBe(ENTRY + 4n);
  });
});

// Runs `branch <target>` with the target in the same page or in the next one,
// and reports whether it was taken.
async function taken(branch: string, farPage: boolean, opts: SnippetOptions): Promise<boolean> {
  const src = farPage ? `
      ${branch} 9f
      mov x0, #1
      hvc #0
      .balign 4096
    9:
      mov x0, #2
      hvc #0
    ` : `
      ${branch} 9f
      mov x0, #1
      hvc #0
    9:
      mov x0, #2
      hvc #0
    `;
  const r = await runSnippet(src, opts);
  expect(hvcImm(r.exit)).toBe(0);
  expect(r.insns).toBe(3n);
  return r.core.x(0) === 2n;
}

describe("Compare and branch, test and branch", () => {
  for (const far of [false, true]) {
    const where = far ? "to the next page" : "within the page";
    it(`CBZ/CBNZ at 64 and 32 bits (the upper half is ignored by the W forms), ${where}`, async () => {
      const vals = [0n, 1n, 0x1_0000_0000n, 0x8000_0000_0000_0000n, 0xffff_ffffn, 0xffff_ffff_ffff_ffffn];
      for (const v of vals) {
        const w = v & 0xffff_ffffn;
        expect(await taken("cbz x1,", far, { regs: { 1: v } }), `cbz x1 ${v}`).toBe(v === 0n);
        expect(await taken("cbnz x1,", far, { regs: { 1: v } }), `cbnz x1 ${v}`).toBe(v !== 0n);
        expect(await taken("cbz w1,", far, { regs: { 1: v } }), `cbz w1 ${v}`).toBe(w === 0n);
        expect(await taken("cbnz w1,", far, { regs: { 1: v } }), `cbnz w1 ${v}`).toBe(w !== 0n);
      }
    });

    it(`TBZ/TBNZ on bits 0, 31 and 63, ${where}`, async () => {
      const vals = [0n, 1n, 0x8000_0000n, 0x8000_0000_0000_0000n, 0xffff_ffff_ffff_ffffn, 0x7fff_ffff_7fff_fffen];
      for (const v of vals) for (const bit of [0, 31, 63]) {
        const set = ((v >> BigInt(bit)) & 1n) === 1n;
        expect(await taken(`tbz x1, #${bit},`, far, { regs: { 1: v } }), `tbz ${v} #${bit}`).toBe(!set);
        expect(await taken(`tbnz x1, #${bit},`, far, { regs: { 1: v } }), `tbnz ${v} #${bit}`).toBe(set);
        if (bit < 32) {
          expect(await taken(`tbnz w1, #${bit},`, far, { regs: { 1: v } }), `tbnz w1 ${v} #${bit}`).toBe(set);
        }
      }
    });

    it(`B.cond for all 16 conditions and all 16 NZCV values, ${where}`, async () => {
      const wrong: string[] = [];
      for (let cond = 0; cond < 16; cond++) for (let f = 0; f < 16; f++) {
        const nzcv = (f << 28) >>> 0;
        const want = conditionHolds(cond, nzcv);
        // b.al and b.nv both assemble (NV behaves as AL).
        const got = await taken(`b.${COND_NAMES[cond]}`, far, { nzcv });
        if (got !== want) wrong.push(`b.${COND_NAMES[cond]} with NZCV=${f.toString(2).padStart(4, "0")}: taken=${got}, want ${want}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it("a not-taken conditional branch to another page falls through within the block", async () => {
    const r = await runSnippet(`
      mov x1, #0
      cbnz x1, 9f
      tbnz x1, #5, 9f
      b.ne 9f
      add x1, x1, #1
      hvc #0
      .balign 4096
    9:
      hvc #0xbad
    `, { nzcv: 0x4000_0000 });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(1n);
    expect(r.insns).toBe(6n);
  });
});

describe("Branches across 4 KiB page boundaries", () => {
  it("forward, backward, last-slot and fall-through page crossings by every branch kind", async () => {
    // Offsets are from CODE_BASE (the snippet starts at +0x800).
    const r = await runSnippet(`
      mov x1, #0
      b L1                     // B to another page (forward)
      .org 0x1000
    L3:
      add x1, x1, #4           // 0x1000
      tbnz x3, #63, L4         // 0x1004: TBNZ two pages forward
      hvc #0xbad               // 0x1008
    L5:
      add x1, x1, #0x10        // 0x100c
      bl L6                    // 0x1010: BL to another page, X30 = 0x1014
      add x1, x1, #0x40        // 0x1014
      b L7                     // 0x1018
      .org 0x1ffc
    L1:
      b L2                     // the last slot of a page, to the next page
      hvc #0xbad               // 0x2000
    L2:
      add x1, x1, #1           // 0x2004
      cbz x2, L3               // CBZ backwards to the previous page
      hvc #0xbad
      .org 0x3000
    L4:
      add x1, x1, #8
      cmp x1, x1
      b.eq L5                  // B.cond two pages backwards
      hvc #0xbad
    L6:
      add x1, x1, #0x20
      ret                      // RET to another page
      .org 0x3ff8
    L7:
      add x1, x1, #0x80        // 0x3ff8
      add x1, x1, #0x100       // 0x3ffc: the last slot ...
      add x1, x1, #0x200       // 0x4000: ... falls through into the next page
      hvc #0
    `, { regs: { 2: 0n, 3: 1n << 63n } });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(0x1n + 0x4n + 0x8n + 0x10n + 0x20n + 0x40n + 0x80n + 0x100n + 0x200n);
    expect(r.core.x(30)).toBe(CODE_BASE + 0x1014n);
    expect(r.exit.kind === "hvc" && r.exit.pc).toBe(CODE_BASE + 0x4004n);
    expect(r.insns).toBe(20n);
  });

  it("a loop whose body straddles a page boundary retires the exact count", async () => {
    const r = await runSnippet(`
      mov x0, #1000
      mov x1, #0
      b 1f
      .org 0x1ff8
    1:
      add x1, x1, #3      // 0x1ff8
      sub x0, x0, #1      // 0x1ffc
      cbnz x0, 1b         // 0x2000
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(3000n);
    expect(r.insns).toBe(3n + 3n * 1000n + 1n);
  });
});

describe("Retired-instruction count", () => {
  it("a backwards loop of 1,000,000 iterations retires exactly 2 + 2*10^6 + 1 instructions", async () => {
    const r = await runSnippet(`
      movz x0, #0x4240
      movk x0, #0xf, lsl #16    // 1,000,000
    1:
      subs x0, x0, #1
      b.ne 1b
      hvc #0
    `, { maxInsns: 3_000_000n });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(0n);
    expect(r.insns).toBe(2_000_003n);
  });

  it("running in tiny budget slices reaches the same state and count", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #1000
      mov x2, #0
    1:
      add x2, x2, x0
      cbz x0, 2f
      sub x0, x0, #1
      b 1b
    2:
      hvc #0
    `);
    const start = core.instructions;
    let slices = 0;
    for (;;) {
      const before = core.instructions;
      const e = step(core, vcpu, 7n);
      slices++;
      if (e.kind === "hvc") break;
      expect(e.kind).toBe("budget");
      expect(core.instructions).toBeGreaterThan(before); // progress in every slice
      expect(slices).toBeLessThan(10_000);
    }
    expect(core.x(2)).toBe(500500n);
    expect(core.instructions - start).toBe(2n + 4n * 1000n + 2n + 1n);
    expect(slices).toBeGreaterThan(100);
  });
});
