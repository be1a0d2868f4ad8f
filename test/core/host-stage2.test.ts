// The host as hypervisor (CONFIG_HOST_STAGE2, highest EL 1): the guest's
// EL1&0 accesses go through a stage 2 the host wrote into the vCPU's
// VTCR_EL2/VTTBR_EL2/HCR_EL2, and what a hypervisor at EL2 would take leaves
// run() with the ESR_EL2, FAR_EL2 and HPFAR_EL2 the Arm ARM gives it:
// a stage 2 Data Abort as an "mmio" exit (ISS: ISV, SAS, SSE, SRT, SF, AR,
// WnR, DFSC; Arm ARM D17, "ISS encoding for an exception from a Data
// Abort"), a stage 2 Instruction Abort as an "exception" exit, HVC, SMC,
// WFI/WFE and trapped system registers with their own syndromes.
//
// Every expectation is computed from the architecture and from the tables
// the test wrote (test/helpers/pagetables.ts): the IPA the stage 2 leaves
// unmapped, the level where its walk stops, the fields of the instruction.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import {
  loadSnippet, step, jitOf, ABI, Core, Vcpu, ENTRY, CODE_BASE, RAM_BASE, hex, readU64, writeU64, esrEC, esrISS,
  VEC_CUR_SPX_SYNC, type VcpuExit,
} from "../helpers/machine";
import { fpRun } from "../helpers/fp";
import { assemble } from "../helpers/asm";
import { PageTables, AP_RW_EL1, MAIR_TEST, ATTR_DEVICE } from "../helpers/pagetables";

// ---- the host's stage 2 -------------------------------------------------------------------------
// The test core has 16 MiB of RAM at 0x4000_0000. The guest's RAM is the
// first 15 MiB; the top MiB is the host's, where its stage 2 tables live
// (4 KiB granule, 40-bit IPA: T0SZ 24, SL0 1 -> start at level 1 with two
// concatenated tables). The map uses 2 MiB blocks for 0x4000_0000..0x40e0_0000
// and pages for 0x40e0_0000..0x40f0_0000, so the walk for an IPA without
// RAM stops at:
//   level 1  below 0x4000_0000 (the first GiB has no level 1 entry): devices
//   level 2  0x4100_0000.. (past the last level 2 entry in use)
//   level 3  0x40f0_0000.. (the host's own pages, in the last level 3 table)
const GUEST_RAM = 0x00f0_0000n;
const S2_POOL = RAM_BASE + GUEST_RAM;
const IPA_DEV = 0x0900_0000n;          // a device's IPA: stage 2 Translation fault, level 1
const IPA_PAST_RAM = 0x4100_0000n;     // level 2
const HCR_VM = 1n, HCR_RW = 1n << 31n;
const VTCR = 24n | (1n << 6n) | (1n << 8n) | (1n << 10n) | (3n << 12n) | (0n << 14n) | (2n << 16n) | (1n << 31n);

const EC_WFX = 0x01, EC_HVC = 0x16, EC_SMC = 0x17, EC_SYSREG = 0x18, EC_IABT_LOW = 0x20, EC_DABT_LOW = 0x24, EC_DABT_CUR = 0x25;
const FSC_TRANS = 0x04, FSC_SYNC_EXTERNAL = 0x10, FSC_EXTERNAL_WALK = 0x14;

// ESR_EL2 = EC | IL | ISS; the Data Abort ISS from its fields.
const esr2 = (ec: number, iss: number): bigint => (BigInt(ec) << 26n) | (1n << 25n) | BigInt(iss);
interface DabtIss { isv?: number; sas?: number; sse?: number; srt?: number; sf?: number; ar?: number; wnr?: number; dfsc: number }
const dabtIss = (f: DabtIss): number =>
  ((f.isv ?? 0) << 24) | ((f.sas ?? 0) << 22) | ((f.sse ?? 0) << 21) | ((f.srt ?? 0) << 16) | ((f.sf ?? 0) << 15) |
  ((f.ar ?? 0) << 14) | ((f.wnr ?? 0) << 6) | f.dfsc;
// HPFAR_EL2.FIPA (bits 43:4) = IPA[51:12].
const hpfarOf = (ipa: bigint): bigint => (ipa >> 12n) << 4n;

// The host's stage 2 for VMID `vmid`: the guest's RAM at IPA == PA (plus what `build` adds).
function hostStage2(core: Core, vmid = 1n, pool = S2_POOL, build?: (s2: PageTables) => void): PageTables {
  core.setU32(ABI.CONFIG_HOST_STAGE2, 1);
  core.exports.flushTlb();
  const s2 = new PageTables(core, { granule: 4096, inputBits: 40, pool, stage: 2, startLevel: 1 });
  s2.map(RAM_BASE, RAM_BASE, GUEST_RAM);
  build?.(s2);
  core.setSysreg(ABI.SR_VTCR_EL2, VTCR);
  core.setSysreg(ABI.SR_VTTBR_EL2, s2.root | (vmid << 48n));
  core.setSysreg(ABI.SR_HCR_EL2, HCR_VM | HCR_RW);
  return s2;
}

// The guest's stage 1 (4 KiB, T0SZ 25, tables in its RAM): the code and
// vectors identity-mapped, VA_DEV -> IPA_DEV as Device memory.
const S1_POOL = 0x4040_0000n;
const VA_DEV = 0x7f_1234_5000n;
const SCTLR_EL1_RESET = 0x30d0_0800n, SCTLR_M = 1n;
const TCR_EL1 = 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 23n) /* EPD1 */ | (2n << 32n) /* IPS 40 bits */;
function guestStage1(core: Core, build?: (s1: PageTables) => void): PageTables {
  const s1 = new PageTables(core, { granule: 4096, inputBits: 39, pool: S1_POOL });
  s1.map(CODE_BASE, CODE_BASE, 0x1_0000n, { ap: AP_RW_EL1 });
  s1.map(VA_DEV, IPA_DEV, 0x1000n, { attrIndx: ATTR_DEVICE, ap: AP_RW_EL1 });
  build?.(s1);
  core.setSysreg(ABI.SR_MAIR_EL1, MAIR_TEST);
  core.setSysreg(ABI.SR_TCR_EL1, TCR_EL1);
  core.setSysreg(ABI.SR_TTBR0_EL1, s1.root);
  core.setSysreg(ABI.SR_SCTLR_EL1, SCTLR_EL1_RESET | SCTLR_M);
  return s1;
}

const show = (x: VcpuExit): string => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? hex(v) : v));
function expectMmio(x: VcpuExit): Extract<VcpuExit, { kind: "mmio" }> {
  if (x.kind !== "mmio") throw new Error(`expected an mmio exit, got ${show(x)}`);
  return x;
}

// ---- stage 2 Data Aborts: the MMIO exit and its syndrome ----------------------------------------
// One instruction touching the device page at [x1 + off], x1 = VA_DEV (MMU
// on) or IPA_DEV (MMU off). Each access it makes exits with its own
// syndrome; the host answers (reads with `reply`), then the instruction
// completes and HVC #0 ends the snippet.
interface Access { off: bigint; size: number; write?: bigint; reply?: bigint; iss: DabtIss }
interface Form { insn: string; regs?: Record<number, bigint>; accesses: Access[]; after: Record<number, bigint> }
const L1 = FSC_TRANS + 1; // IPA_DEV's walk stops at level 1
const FORMS: Form[] = [
  { insn: "ldr x3, [x1]", accesses: [{ off: 0n, size: 8, reply: 0x1122_3344_5566_7788n, iss: { isv: 1, sas: 3, srt: 3, sf: 1, dfsc: L1 } }],
    after: { 3: 0x1122_3344_5566_7788n } },
  { insn: "ldr w4, [x1, #8]", regs: { 4: -1n }, accesses: [{ off: 8n, size: 4, reply: 0x8899_aabbn, iss: { isv: 1, sas: 2, srt: 4, sf: 0, dfsc: L1 } }],
    after: { 4: 0x8899_aabbn } },
  { insn: "strb w5, [x1, #1]", regs: { 5: 0x1234n }, accesses: [{ off: 1n, size: 1, write: 0x34n, iss: { isv: 1, sas: 0, srt: 5, wnr: 1, dfsc: L1 } }],
    after: { 5: 0x1234n } },
  { insn: "ldrsh x6, [x1, #2]", accesses: [{ off: 2n, size: 2, reply: 0x8001n, iss: { isv: 1, sas: 1, sse: 1, srt: 6, sf: 1, dfsc: L1 } }],
    after: { 6: 0xffff_ffff_ffff_8001n } },
  { insn: "ldrsh w7, [x1, #2]", accesses: [{ off: 2n, size: 2, reply: 0x8001n, iss: { isv: 1, sas: 1, sse: 1, srt: 7, sf: 0, dfsc: L1 } }],
    after: { 7: 0xffff_8001n } },
  { insn: "ldar w8, [x1]", accesses: [{ off: 0n, size: 4, reply: 0xdead_beefn, iss: { isv: 1, sas: 2, srt: 8, ar: 1, dfsc: L1 } }],
    after: { 8: 0xdead_beefn } },
  { insn: "stlr x9, [x1]", regs: { 9: 0x0123_4567_89ab_cdefn }, accesses: [{ off: 0n, size: 8, write: 0x0123_4567_89ab_cdefn, iss: { isv: 1, sas: 3, srt: 9, sf: 1, ar: 1, wnr: 1, dfsc: L1 } }],
    after: {} },
  { insn: "str xzr, [x1, #0x18]", accesses: [{ off: 0x18n, size: 8, write: 0n, iss: { isv: 1, sas: 3, srt: 31, sf: 1, wnr: 1, dfsc: L1 } }],
    after: {} },
  // A pair: ISV = 0, one exit per register; the host still completes both.
  { insn: "ldp x10, x11, [x1, #0x20]", accesses: [
    { off: 0x20n, size: 8, reply: 0xa0a0n, iss: { dfsc: L1 } },
    { off: 0x28n, size: 8, reply: 0xb1b1n, iss: { dfsc: L1 } }], after: { 10: 0xa0a0n, 11: 0xb1b1n } },
  // Writeback: ISV = 0; the base register is updated once the access completes.
  { insn: "ldr x12, [x1, #16]!", accesses: [{ off: 16n, size: 8, reply: 0x77n, iss: { dfsc: L1 } }], after: { 12: 0x77n } },
  { insn: "str w13, [x1], #4", regs: { 13: 0xcafen }, accesses: [{ off: 0n, size: 4, write: 0xcafen, iss: { wnr: 1, dfsc: L1 } }], after: {} },
];

async function runForm(f: Form, mmu: boolean): Promise<void> {
  const base = mmu ? VA_DEV : IPA_DEV;
  const { core, vcpu } = await loadSnippet(`  ${f.insn}\n  hvc #0`, {
    regs: { ...f.regs, 1: base },
    setup: (c) => { hostStage2(c); if (mmu) guestStage1(c); },
  });
  for (const a of f.accesses) {
    const x = expectMmio(step(core, vcpu, 1000n));
    expect({ addr: hex(x.addr), size: x.size, isWrite: x.isWrite, pc: hex(x.pc) }, "the access, at its IPA")
      .toEqual({ addr: hex(IPA_DEV + a.off), size: a.size, isWrite: a.write !== undefined, pc: hex(ENTRY) });
    expect(hex(x.esr), "ESR_EL2").toBe(hex(esr2(EC_DABT_LOW, dabtIss(a.iss))));
    expect(hex(x.far), "FAR_EL2 (the VA)").toBe(hex(base + a.off));
    expect(hex(core.u64(ABI.EXIT_HPFAR)), "HPFAR_EL2").toBe(hex(hpfarOf(IPA_DEV + a.off)));
    if (a.write !== undefined) { expect(hex(x.data), "write data").toBe(hex(a.write)); vcpu.completeMmioWrite(); }
    else vcpu.completeMmioRead(a.reply!);
  }
  const end = step(core, vcpu, 1000n);
  expect(end, show(end)).toMatchObject({ kind: "hvc", imm: 0 });
  for (const [n, v] of Object.entries(f.after)) expect(hex(core.x(Number(n))), `x${n}`).toBe(hex(v));
  const wb = f.insn.includes("!") || f.insn.includes("], #") ? BigInt(f.insn.match(/#(\d+)/)![1]) : 0n;
  expect(hex(core.x(1)), "the base register").toBe(hex(base + wb));
  expect(esrEC(core.sysreg(ABI.SR_ESR_EL1)), "no exception taken in the guest").toBe(0);
}

describe("host stage 2: an access to an IPA without RAM is a stage 2 Data Abort the host completes (MMIO exit)", () => {
  for (const mmu of [false, true]) {
    for (const f of FORMS) {
      const iss = f.accesses.map((a) => hex(esr2(EC_DABT_LOW, dabtIss(a.iss)))).join(", ");
      it(`${f.insn} (guest MMU ${mmu ? "on" : "off"}): ESR_EL2 ${iss}, FAR = VA, HPFAR = IPA page; completes with the host's answer`, async () => {
        await runForm(f, mmu);
      });
    }
  }

  it("from compiled code (a hot loop under the JIT): every iteration exits with the same syndrome and gets the host's value", async () => {
    const { core, vcpu } = await loadSnippet(`
  mov x0, #300
  mov x3, #0
1:ldr w2, [x1, #0x18]
  add x3, x3, x2
  subs x0, x0, #1
  b.ne 1b
  hvc #0`, { jit: true, regs: { 1: VA_DEV }, setup: (c) => { hostStage2(c); guestStage1(c); } });
    let n = 0;
    for (;;) {
      const x = step(core, vcpu, 100_000n);
      if (x.kind === "hvc") break;
      const m = expectMmio(x);
      expect([hex(m.addr), hex(m.far), hex(m.esr)]).toEqual([hex(IPA_DEV + 0x18n), hex(VA_DEV + 0x18n), hex(esr2(EC_DABT_LOW, dabtIss({ isv: 1, sas: 2, srt: 2, dfsc: L1 })))]);
      vcpu.completeMmioRead(BigInt(n));
      expect(++n).toBeLessThan(1000);
    }
    expect(n).toBe(300);
    expect(core.x(3)).toBe(BigInt((299 * 300) / 2));
    expect(jitOf(core)!.compiledPages, "the loop's page was compiled").toBeGreaterThan(0);
  });

  it("DFSC is the Translation fault at the level the stage 2 walk stopped: 1, 2 or 3", async () => {
    for (const [ipa, level] of [[IPA_DEV + 0x40n, 1], [IPA_PAST_RAM + 0x40n, 2], [S2_POOL + 0x40n, 3]] as const) {
      const { core, vcpu } = await loadSnippet("  ldr x3, [x1]\n  hvc #0", { regs: { 1: ipa }, setup: (c) => { hostStage2(c); } });
      const x = expectMmio(step(core, vcpu, 1000n));
      expect(hex(x.addr)).toBe(hex(ipa));
      expect(hex(x.esr), `IPA ${hex(ipa)}`).toBe(hex(esr2(EC_DABT_LOW, dabtIss({ isv: 1, sas: 3, srt: 3, sf: 1, dfsc: FSC_TRANS + level }))));
    }
  });

  it("SIMD&FP loads (LDR Q, LD1 multiple structures) give ISV = 0 and still complete", async () => {
    const r = await fpRun(`  ldr q0, [x1]\n  ld1 {v1.4s}, [x2]\n  hvc #0`, {
      regs: { 1: IPA_DEV, 2: IPA_DEV + 0x100n }, setup: (c) => { hostStage2(c); },
    });
    expect(r.exit).toMatchObject({ kind: "hvc", imm: 0 });
    expect(r.mmio.length).toBeGreaterThan(0);
    for (const m of r.mmio) {
      const x = expectMmio(m);
      expect(hex(x.esr), `access at ${hex(x.addr)}`).toBe(hex(esr2(EC_DABT_LOW, dabtIss({ dfsc: FSC_TRANS + 1 }))));
    }
    expect(r.mmio.map((m) => expectMmio(m).addr).some((a) => a >= IPA_DEV + 0x100n)).toBe(true);
  });

  it("the host answering MMIO_ABORT gives the guest a synchronous External abort at EL1 with FAR_EL1 = the VA", async () => {
    const { core, vcpu } = await loadSnippet("  ldr x3, [x1, #8]\n  hvc #0", { regs: { 1: VA_DEV }, setup: (c) => { hostStage2(c); guestStage1(c); } });
    expectMmio(step(core, vcpu, 1000n));
    vcpu.abortMmio();
    const end = step(core, vcpu, 1000n);
    expect(end).toMatchObject({ kind: "hvc", imm: VEC_CUR_SPX_SYNC });
    const esr = core.sysreg(ABI.SR_ESR_EL1);
    expect([esrEC(esr), esrISS(esr) & 0x3f]).toEqual([EC_DABT_CUR, FSC_SYNC_EXTERNAL]);
    expect(hex(core.sysreg(ABI.SR_FAR_EL1))).toBe(hex(VA_DEV + 8n));
    expect(hex(core.sysreg(ABI.SR_ELR_EL1))).toBe(hex(ENTRY));
  });

  it("an exclusive or atomic access to an IPA without RAM is a synchronous External abort in the guest (no exit)", async () => {
    for (const insn of ["ldxr x3, [x1]", "ldadd x2, x3, [x1]"]) {
      const { core, vcpu } = await loadSnippet(`  ${insn}\n  hvc #0`, { regs: { 1: IPA_DEV }, setup: (c) => { hostStage2(c); } });
      const end = step(core, vcpu, 1000n);
      expect(end, insn).toMatchObject({ kind: "hvc", imm: VEC_CUR_SPX_SYNC });
      expect(esrISS(core.sysreg(ABI.SR_ESR_EL1)) & 0x3f, insn).toBe(FSC_SYNC_EXTERNAL);
    }
  });
});

// ---- the guest cannot reach the host's tables ---------------------------------------------------
describe("host stage 2: the stage 2 tables are outside the guest's IPA space", () => {
  it("with the MMU off, a store to the tables' address is an MMIO exit and leaves them unchanged", async () => {
    let root = 0n;
    const { core, vcpu } = await loadSnippet("  str x2, [x1]\n  ldr x3, [x1]\n  hvc #0", {
      regs: { 2: 0xbad_bad_badn }, setup: (c) => { root = hostStage2(c).root; c.setX(1, root + 8n); },
    });
    const before = readU64(core, root + 8n);
    expect(before & 3n, "the root's entry for the guest's RAM is a table").toBe(3n);
    const w = expectMmio(step(core, vcpu, 1000n));
    expect([hex(w.addr), w.isWrite]).toEqual([hex(root + 8n), true]);
    vcpu.completeMmioWrite();
    const r = expectMmio(step(core, vcpu, 1000n));
    expect([hex(r.addr), r.isWrite]).toEqual([hex(root + 8n), false]);
    vcpu.completeMmioRead(0n);
    expect(step(core, vcpu, 1000n)).toMatchObject({ kind: "hvc", imm: 0 });
    expect(core.x(3), "the guest read the host's answer, not the descriptor").toBe(0n);
    expect(hex(readU64(core, root + 8n))).toBe(hex(before));
  });

  it("a stage 1 page mapped to the tables' IPA: the load exits with that IPA instead of reading them", async () => {
    const VA = 0x7f_0000_0000n;
    const { core, vcpu } = await loadSnippet("  ldr x3, [x1, #8]\n  hvc #0", {
      regs: { 1: VA }, setup: (c) => { const s2 = hostStage2(c); guestStage1(c, (s1) => { s1.map(VA, s2.root, 0x1000n, { ap: AP_RW_EL1 }); }); },
    });
    const x = expectMmio(step(core, vcpu, 1000n));
    expect([hex(x.addr), hex(x.far)]).toEqual([hex(S2_POOL + 8n), hex(VA + 8n)]);
    expect(esrISS(x.esr) & 0x3f).toBe(FSC_TRANS + 3);
  });

  it("a stage 1 table at the tables' IPA: the walk takes a synchronous External abort on the walk (level 3), no exit", async () => {
    const VA = 0x7f_0000_0000n;
    const { core, vcpu } = await loadSnippet("  ldr x3, [x1]\n  hvc #0", {
      regs: { 1: VA }, setup: (c) => { hostStage2(c); guestStage1(c, (s1) => { s1.set(2, VA, S2_POOL | 3n); }); },
    });
    const end = step(core, vcpu, 1000n);
    expect(end, show(end)).toMatchObject({ kind: "hvc", imm: VEC_CUR_SPX_SYNC });
    const esr = core.sysreg(ABI.SR_ESR_EL1);
    expect([hex(esrEC(esr)), hex(esrISS(esr) & 0x3f)]).toEqual([hex(EC_DABT_CUR), hex(FSC_EXTERNAL_WALK + 3)]);
    expect(hex(core.sysreg(ABI.SR_FAR_EL1))).toBe(hex(VA));
  });
});

// ---- the cost of a walk ---------------------------------------------------------------------------------
describe("host stage 2: walks", () => {
  it("stage 2 leaves are kept: a stage 1 walk whose tables and output lie in blocks already walked reads only its 3 stage 1 descriptors", async () => {
    // Without them each of the 3 stage 1 descriptor fetches and the output
    // IPA would walk the host's stage 2 (2 reads each: level 1 table, level 2 block).
    const VA = 0x7f_0000_0000n;
    const { core, vcpu } = await loadSnippet("  ldr x3, [x1]\n  hvc #0\n  ldr x4, [x2]\n  hvc #1", {
      regs: { 1: VA, 2: VA + 0x1000n },
      setup: (c) => { hostStage2(c); guestStage1(c, (s1) => { s1.map(VA, 0x4010_0000n, 0x2000n, { ap: AP_RW_EL1, level: 3 }); }); },
    });
    expect(step(core, vcpu, 1000n)).toMatchObject({ kind: "hvc", imm: 0 });
    const walks = core.counter(ABI.CNT_TLB_WALKS), reads = core.counter(ABI.CNT_TLB_WALK_READS);
    expect(step(core, vcpu, 1000n)).toMatchObject({ kind: "hvc", imm: 1 });
    expect(core.counter(ABI.CNT_TLB_WALKS) - walks, "translations walked").toBe(1n);
    expect(core.counter(ABI.CNT_TLB_WALK_READS) - reads, "descriptors read").toBe(3n);
  });
});

// ---- stage 2 Instruction Aborts ---------------------------------------------------------------------
describe("host stage 2: an instruction fetch from an IPA without RAM", () => {
  for (const mmu of [false, true]) {
    it(`leaves run() as an "exception" exit: EC 0x20, IFSC = Translation level 1, FAR = the VA, the vCPU before the fetch (MMU ${mmu ? "on" : "off"})`, async () => {
      const target = mmu ? VA_DEV : IPA_DEV;
      const { core, vcpu } = await loadSnippet("  br x1", { regs: { 1: target }, setup: (c) => { hostStage2(c); if (mmu) guestStage1(c); } });
      const x = step(core, vcpu, 1000n);
      expect(x, show(x)).toEqual({ kind: "exception", pc: target, esr: esr2(EC_IABT_LOW, FSC_TRANS + 1), far: target, hpfar: hpfarOf(IPA_DEV) });
      expect(hex(core.pc)).toBe(hex(target));
      expect(core.el).toBe(1);
      expect(core.sysreg(ABI.SR_ESR_EL1), "nothing was taken in the guest").toBe(0n);
    });
  }
});

// ---- VMIDs ---------------------------------------------------------------------------------------------
// Two VMs on one core, each with its own stage 2 (VMID 1 and 2) mapping the
// same IPA window WIN to different RAM, outside the guest RAM's identity map
// (the second GiB of IPA space). The host switches VTTBR_EL2 between them
// and never flushes the TLB. VM 1 runs at ENTRY; VM 2 runs the same code
// from an alias (IPA CODE2 -> CODE_BASE in its stage 2) at vm2.
//   vm1: sums the first quadword of N pages from x1, then HVC #1
//   vm2: the same from x2, then TLBI VMALLE1 (its own VMID's entries), HVC #2
const WIN = 0x8020_0000n, WIN2 = 0x8010_0000n, CODE2 = 0x8030_0000n;
const PA_VM1 = 0x4060_0000n, PA_VM2 = 0x4070_0000n;
const N = 8;
const VM2_OFFSET = 0xc00n; // vm2's offset from CODE_BASE (.balign 1024 after vm1, which starts at ENTRY = CODE_BASE + 0x800)
// Sums the first quadword of N pages from register `base` into `acc`.
const sumPages = (acc: string, base: string): string => `
  mov ${acc}, #0
  mov x9, ${base}
  mov x10, #${N}
1:ldr x11, [x9]
  add ${acc}, ${acc}, x11
  add x9, x9, #4096
  subs x10, x10, #1
  b.ne 1b`;
const VMS = `
vm1:${sumPages("x12", "x1")}
  hvc #1
  b vm1
  .balign 1024
vm2:${sumPages("x13", "x2")}
  tlbi vmalle1
  dsb ish
  isb
  hvc #2
`;
const marker = (vm: number, i: number): bigint => 0x5a00_0000_0000_0000n | (BigInt(vm) << 32n) | BigInt(i);
const sumOf = (vm: number, n = N): bigint => Array.from({ length: n }, (_, i) => marker(vm, i)).reduce((a, b) => a + b, 0n) & ((1n << 64n) - 1n);

// Loads VMS with both stage 2s built (VM 1's pages from WIN at PA_VM1, VM 2's
// from `vm2Base` at PA_VM2) and VM 1's VTTBR_EL2 in force.
async function twoVMs(vm2Base: bigint): Promise<{ core: Core; vcpu: Vcpu; vttbr: [bigint, bigint] }> {
  const vttbr: [bigint, bigint] = [0n, 0n];
  const { core, vcpu } = await loadSnippet(VMS, {
    regs: { 1: WIN, 2: vm2Base },
    setup: (c) => {
      const vm2 = hostStage2(c, 2n, S2_POOL + 0x8_0000n, (s2) => {
        s2.map(vm2Base, PA_VM2, BigInt(N) * 0x1000n, { level: 3 });
        s2.map(CODE2, CODE_BASE, 0x1_0000n, { level: 3 });
      });
      const vm1 = hostStage2(c, 1n, S2_POOL, (s2) => { s2.map(WIN, PA_VM1, BigInt(N) * 0x1000n, { level: 3 }); });
      vttbr[0] = vm1.root | (1n << 48n);
      vttbr[1] = vm2.root | (2n << 48n);
      for (let i = 0; i < N; i++) {
        writeU64(c, PA_VM1 + BigInt(i) * 0x1000n, marker(1, i));
        writeU64(c, PA_VM2 + BigInt(i) * 0x1000n, marker(2, i));
      }
    },
  });
  return { core, vcpu, vttbr };
}
function runVM(core: Core, vcpu: Vcpu, vttbr: bigint, pc: bigint, imm: number): void {
  core.setSysreg(ABI.SR_VTTBR_EL2, vttbr);
  core.pc = pc;
  const x = step(core, vcpu, 10_000n);
  expect(x, show(x)).toMatchObject({ kind: "hvc", imm });
}
const fills = (core: Core, vmid: number): bigint => core.counter(ABI.CNT_TLB_FILLS_VMID + vmid * 8);

describe("host stage 2: VMIDs tag the TLB", () => {
  it("the same IPA in two VMs: after switching VTTBR_EL2 (no flush) each VM reads its own RAM there", async () => {
    const { core, vcpu, vttbr } = await twoVMs(WIN);
    for (let round = 0; round < 2; round++) {
      runVM(core, vcpu, vttbr[0], ENTRY, 1);
      expect(hex(core.x(12)), "VM 1").toBe(hex(sumOf(1)));
      runVM(core, vcpu, vttbr[1], CODE2 + VM2_OFFSET, 2);
      expect(hex(core.x(13)), "VM 2").toBe(hex(sumOf(2)));
    }
  });

  it("entries of two VMIDs coexist: back in VM 1 nothing is walked or filled again, and VM 2's TLBI VMALLE1 spared VMID 1", async () => {
    // The TLB is direct-mapped by VA[21:12]: VM 2 uses other pages (code at
    // CODE2, data at WIN2), so neither VM evicts the other's entries.
    const { core, vcpu, vttbr } = await twoVMs(WIN2);
    runVM(core, vcpu, vttbr[0], ENTRY, 1);
    expect(hex(core.x(12))).toBe(hex(sumOf(1)));
    expect(fills(core, 1), "VM 1 filled its code page and its N data pages").toBeGreaterThanOrEqual(BigInt(N + 1));

    const vm2Fills = fills(core, 2), inval1 = core.counter(ABI.CNT_TLB_INVALIDATED + 8);
    runVM(core, vcpu, vttbr[1], CODE2 + VM2_OFFSET, 2);
    expect(hex(core.x(13))).toBe(hex(sumOf(2)));
    expect(fills(core, 2) - vm2Fills, "VM 2 filled under VMID 2").toBeGreaterThanOrEqual(BigInt(N + 1));
    expect(core.counter(ABI.CNT_TLB_INVALIDATED + 2 * 8), "VM 2's TLBI VMALLE1 dropped VMID 2's entries").toBeGreaterThanOrEqual(BigInt(N + 1));
    expect(core.counter(ABI.CNT_TLB_INVALIDATED + 8) - inval1, "... and none of VMID 1's").toBe(0n);

    const walks = core.counter(ABI.CNT_TLB_WALKS), vm1Fills = fills(core, 1);
    runVM(core, vcpu, vttbr[0], ENTRY, 1);
    expect(hex(core.x(12))).toBe(hex(sumOf(1)));
    expect(fills(core, 1) - vm1Fills, "VMID 1 refills").toBe(0n);
    expect(core.counter(ABI.CNT_TLB_WALKS) - walks, "walks").toBe(0n);
  });
});

// ---- the other exits a hypervisor at EL2 would take ----------------------------------------------------
describe("host stage 2: HVC, SMC, WFI/WFE and trapped system registers carry their ESR_EL2", () => {
  it("HVC #imm -> EC 0x16, SMC #imm -> EC 0x17 (ISS imm16); WFI/WFE -> EC 0x01 (CV, COND 0b1110, TI); FAR and HPFAR 0", async () => {
    const { core, vcpu } = await loadSnippet(`
  hvc #0x1234
  smc #0x42
  wfi
  wfe
  hvc #0`, { setup: (c) => { hostStage2(c); } });
    const want = [
      { kind: "hvc", esr: esr2(EC_HVC, 0x1234) },
      { kind: "smc", esr: esr2(EC_SMC, 0x42) },
      { kind: "wfi", esr: esr2(EC_WFX, (1 << 24) | (0xe << 20) | 0) },
      { kind: "wfe", esr: esr2(EC_WFX, (1 << 24) | (0xe << 20) | 1) },
    ];
    for (const w of want) {
      const x = step(core, vcpu, 1000n);
      expect({ kind: x.kind, esr: "esr" in x ? hex(x.esr) : "none" }).toEqual({ kind: w.kind, esr: hex(w.esr) });
      expect([core.u64(ABI.EXIT_FAR), core.u64(ABI.EXIT_HPFAR)]).toEqual([0n, 0n]);
    }
  });

  it("exits that stand for no exception leave EXIT_ESR 0 (the budget running out after an MMIO exit)", async () => {
    const { core, vcpu } = await loadSnippet("  ldr x3, [x1]\n1:b 1b", { regs: { 1: IPA_DEV }, setup: (c) => { hostStage2(c); } });
    expectMmio(step(core, vcpu, 1000n));
    vcpu.completeMmioRead(1n);
    expect(step(core, vcpu, 100n)).toEqual({ kind: "budget" });
    expect([core.u64(ABI.EXIT_ESR), core.u64(ABI.EXIT_FAR), core.u64(ABI.EXIT_HPFAR)]).toEqual([0n, 0n, 0n]);
  });

  it("an ICC_* access the host implements -> EC 0x18 with Op0, Op2, Op1, CRn, Rt, CRm and Direction", async () => {
    const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: RAM_BASE, ramSize: 16 << 20, highestEL: 1, semihosting: false, gic: 3, hostStage2: true });
    core.exports.reset(1);
    hostStage2(core);
    core.writeRam(ENTRY, assemble("  mrs x5, icc_iar1_el1\n  msr icc_eoir1_el1, x7\n  hvc #0", ENTRY));
    core.pc = ENTRY;
    const vcpu = new Vcpu(core);
    // ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = read).
    const sysIss = (op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, read: boolean): number =>
      (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
    let x = vcpu.run(100n);
    expect(x.kind === "sysreg" && hex(x.esr)).toBe(hex(esr2(EC_SYSREG, sysIss(3, 0, 12, 12, 0, 5, true))));   // ICC_IAR1_EL1
    vcpu.completeSysregRead(0n);
    x = vcpu.run(100n);
    expect(x.kind === "sysreg" && hex(x.esr)).toBe(hex(esr2(EC_SYSREG, sysIss(3, 0, 12, 12, 1, 7, false)))); // ICC_EOIR1_EL1
    expect(vcpu.run(100n)).toMatchObject({ kind: "hvc", imm: 0 });
  });
});

// ---- what the guest sees of EL2 ----------------------------------------------------------------------
describe("host stage 2: the guest still sees no EL2", () => {
  it("EL2 registers are UNDEFINED, ID_AA64PFR0_EL1.EL2 reads 0 and MIDR_EL1 is the real one, with the host's VM on", async () => {
    const { core, vcpu } = await loadSnippet(`
  mrs x2, id_aa64pfr0_el1
  mrs x3, midr_el1
  mrs x4, vttbr_el2
  hvc #0`, { setup: (c) => { hostStage2(c); c.setSysreg(ABI.SR_VPIDR_EL2, 0x1234n); } });
    const x = step(core, vcpu, 1000n);
    expect(x, show(x)).toMatchObject({ kind: "hvc", imm: VEC_CUR_SPX_SYNC });
    expect(esrEC(core.sysreg(ABI.SR_ESR_EL1)), "MRS VTTBR_EL2: UNDEFINED").toBe(0);
    expect(hex(core.sysreg(ABI.SR_ELR_EL1))).toBe(hex(ENTRY + 8n));
    expect((core.x(2) >> 8n) & 0xfn, "ID_AA64PFR0_EL1.EL2").toBe(0n);
    expect(core.x(3), "MIDR_EL1 is not VPIDR_EL2").not.toBe(0x1234n);
  });
});
