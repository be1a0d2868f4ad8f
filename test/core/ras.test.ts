// FEAT_RAS's physical SError side (assembly/except/ras.ts), which no guest can
// provoke (only the host raises LINE_SERROR): the SError syndrome with RAS
// (IDS = 0, AET = 0b000 Uncontainable, EA = 0, DFSC = 0b010001), ESB deferring
// a pending masked physical SError into DISR_EL1 (AArch64.ESBOperation's
// target and masking rules) and consuming it, and HCR_EL2.TEA leaving
// SErrors alone (it routes synchronous External aborts only). The virtual
// side (VSESR_EL2, VDISR_EL2) and the traps are checked by guests/ras.
//
// Vectors exit with `smc #0x100 + (offset >> 7)` (test/helpers/machine.ts).
import { describe, it, expect } from "vitest";
import { ABI, loadSnippet, runLoaded, type VcpuExit } from "../helpers/machine";

const HCR_RW = 1n << 31n, HCR_AMO = 1n << 5n, HCR_VSE = 1n << 8n, HCR_TEA = 1n << 37n;
const CUR_SERROR = 0x107, LOWER_SERROR = 0x10b;
const ESR_SERROR_RAS = (0x2fn << 26n) | (1n << 25n) | 0x11n;
const DISR_A = 1n << 31n;
// hint #16 is ESB; s3_0_c12_c1_1 is DISR_EL1 (the helper assembles for Armv8.1).
const ESB_THEN_DISR = `
  hint #16
  mrs x2, s3_0_c12_c1_1
  smc #0
`;

function smcImm(exit: VcpuExit): number {
  if (exit.kind !== "smc") throw new Error(`expected an smc exit, got ${exit.kind}`);
  return exit.imm;
}

async function run(body: string, opts: { el: 1 | 2; hcr: bigint; daif: number; vsesr?: bigint }) {
  const { core, vcpu } = await loadSnippet(body, {
    el: opts.el, highestEL: 2, regs: { 2: 0x5a5an },
    setup: (c) => {
      c.setSysreg(ABI.SR_HCR_EL2, HCR_RW | opts.hcr);
      c.setSysreg(ABI.SR_DISR_EL1, 0n);
      c.setSysreg(ABI.SR_VDISR_EL2, 0n);
      c.setSysreg(ABI.SR_VSESR_EL2, opts.vsesr ?? 0n);
      c.setU32(ABI.PSTATE_DAIF, opts.daif);
    },
  });
  core.setU32(ABI.CONTROL_LINES, ABI.LINE_SERROR);
  try {
    const r = runLoaded(core, vcpu);
    return { core, exit: r.exit, el: core.el, lines: core.u32(ABI.CONTROL_LINES) };
  } finally {
    core.setU32(ABI.CONTROL_LINES, 0);
  }
}

describe("physical SError with FEAT_RAS", () => {
  it("taken at EL1 (unmasked) reports ESR_EL1 = EC 0x2F, IL, IDS 0, AET 0 (UC), EA 0, DFSC 0x11", async () => {
    const r = await run(ESB_THEN_DISR, { el: 1, hcr: 0n, daif: 0x2c0 });
    expect(smcImm(r.exit)).toBe(CUR_SERROR);
    expect(r.core.sysreg(ABI.SR_ESR_EL1)).toBe(ESR_SERROR_RAS);
  });

  it("HCR_EL2.TEA does not route it: still EL1's without AMO", async () => {
    const r = await run(ESB_THEN_DISR, { el: 1, hcr: HCR_TEA, daif: 0x2c0 });
    expect(smcImm(r.exit)).toBe(CUR_SERROR);
    expect(r.el).toBe(1);
  });

  it("with AMO it is EL2's even with PSTATE.A set at EL1 (taken before the ESB, ESR_EL2 with the RAS syndrome)", async () => {
    const r = await run(ESB_THEN_DISR, { el: 1, hcr: HCR_AMO, daif: 0x3c0 });
    expect(smcImm(r.exit)).toBe(LOWER_SERROR);
    expect(r.el).toBe(2);
    expect(r.core.sysreg(ABI.SR_ESR_EL2)).toBe(ESR_SERROR_RAS);
  });
});

describe("ESB and a pending physical SError (AArch64.ESBOperation)", () => {
  it("masked by PSTATE.A at EL1 (target EL1): deferred into DISR_EL1 = A | DFSC 0x11 and consumed (LINE_SERROR cleared)", async () => {
    const r = await run(ESB_THEN_DISR, { el: 1, hcr: 0n, daif: 0x3c0 });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.core.x(2)).toBe(DISR_A | 0x11n);
    expect(r.core.sysreg(ABI.SR_DISR_EL1)).toBe(DISR_A | 0x11n);
    expect(r.lines & ABI.LINE_SERROR).toBe(0);
  });

  it("at EL2 with AMO (target EL2, masked by PSTATE.A): deferred into DISR_EL1", async () => {
    const r = await run(ESB_THEN_DISR, { el: 2, hcr: HCR_AMO, daif: 0x3c0 });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.core.x(2)).toBe(DISR_A | 0x11n);
    expect(r.lines & ABI.LINE_SERROR).toBe(0);
  });

  it("at EL2 without AMO (target EL1, below EL2: masked whatever PSTATE.A): deferred", async () => {
    const r = await run(ESB_THEN_DISR, { el: 2, hcr: 0n, daif: 0x2c0 });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.core.sysreg(ABI.SR_DISR_EL1)).toBe(DISR_A | 0x11n);
  });

  it("at EL1 with AMO, the virtual SError is deferred into VDISR_EL2 with VSESR_EL2's syndrome and VSE cleared; DISR_EL1 reads VDISR_EL2", async () => {
    const { core, vcpu } = await loadSnippet(ESB_THEN_DISR, {
      el: 1, highestEL: 2,
      setup: (c) => {
        c.setSysreg(ABI.SR_HCR_EL2, HCR_RW | HCR_AMO | HCR_VSE);
        c.setSysreg(ABI.SR_VDISR_EL2, 0n);
        c.setSysreg(ABI.SR_VSESR_EL2, (1n << 24n) | 0xbeefn);
        c.setU32(ABI.PSTATE_DAIF, 0x3c0);
      },
    });
    const r = runLoaded(core, vcpu);
    expect(smcImm(r.exit)).toBe(0);
    expect(core.sysreg(ABI.SR_VDISR_EL2)).toBe(DISR_A | (1n << 24n) | 0xbeefn);
    expect(core.x(2)).toBe(DISR_A | (1n << 24n) | 0xbeefn);
    expect(core.sysreg(ABI.SR_HCR_EL2) & HCR_VSE).toBe(0n);
  });

  it("nothing pending: ESB changes nothing", async () => {
    const { core, vcpu } = await loadSnippet(ESB_THEN_DISR, {
      el: 1, highestEL: 2,
      setup: (c) => { c.setSysreg(ABI.SR_HCR_EL2, HCR_RW); c.setSysreg(ABI.SR_DISR_EL1, 0x11n); },
    });
    const r = runLoaded(core, vcpu);
    expect(smcImm(r.exit)).toBe(0);
    expect(core.x(2)).toBe(0x11n);
  });
});

// The core option `ras: false` (CONFIG_RAS = 0) hides the feature whole: the
// ID field reads 0, ESB is the NOP hint it is without FEAT_RAS, the RAS
// registers are UNDEFINED and HCR_EL2.TERR is RES0.
describe("without FEAT_RAS (CONFIG_RAS = 0)", () => {
  async function atEL2(body: string, lines = 0) {
    const { core, vcpu } = await loadSnippet(body + "\n  smc #0", {
      el: 2, highestEL: 2,
      setup: (c) => { c.setU32(ABI.CONFIG_RAS, 0); c.setSysreg(ABI.SR_HCR_EL2, HCR_RW); c.setU32(ABI.PSTATE_DAIF, 0x3c0); },
    });
    core.setU32(ABI.CONTROL_LINES, lines);
    try {
      const imm = smcImm(runLoaded(core, vcpu).exit);
      return { core, imm, lines: core.u32(ABI.CONTROL_LINES) };
    } finally {
      core.setU32(ABI.CONTROL_LINES, 0);
      core.setU32(ABI.CONFIG_RAS, 1);
    }
  }

  it("ID_AA64PFR0_EL1.RAS reads 0 and HCR_EL2.TERR/TEA are RES0", async () => {
    const r = await atEL2("mrs x0, id_aa64pfr0_el1\n  mov x1, #3\n  lsl x1, x1, #36\n  orr x1, x1, #(1 << 31)\n  msr hcr_el2, x1\n  mrs x3, hcr_el2");
    expect((r.core.x(0) >> 28n) & 0xfn).toBe(0n);
    expect((r.core.x(3) >> 36n) & 3n).toBe(0n);
  });

  it("ESB is a NOP: a pending masked SError stays pending, DISR_EL1 does not exist (UNDEFINED)", async () => {
    const r = await atEL2("hint #16\n  mov x5, #1", ABI.LINE_SERROR);
    expect(r.imm).toBe(0);
    expect(r.core.x(5)).toBe(1n);
    expect(r.lines & ABI.LINE_SERROR).toBe(ABI.LINE_SERROR);          // not consumed (an ESB with RAS defers it into DISR_EL1)
    const d = await atEL2("mrs x2, s3_0_c12_c1_1");                   // DISR_EL1
    expect(d.imm).toBe(0x104);                                        // EL2's synchronous vector
    expect(d.core.sysreg(ABI.SR_ESR_EL2) >> 26n).toBe(0n);            // EC 0x00: UNDEFINED
  });
});
