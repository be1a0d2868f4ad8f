// CONFIG_NO_VHE (`--no-vhe`): a CPU with EL2 but without FEAT_VHE, as a
// Cortex-A57. Arm ARM: ID_AA64MMFR1_EL1.VH = 0; HCR_EL2.E2H is RES0; the
// registers FEAT_VHE adds (TTBR1_EL2, CONTEXTIDR_EL2, CNTHV_*_EL2) and the
// *_EL12 aliases are UNDEFINED. With VHE (the default) the same reads work.
import { describe, it, expect } from "vitest";
import { ABI, loadSnippet, runLoaded, type VcpuExit } from "../helpers/machine";

// The end marker is `smc #0`; a synchronous exception at EL2 reaches the
// vector, whose exit is `smc #0x104` (test/helpers/machine.ts).
function smcImm(exit: VcpuExit): number {
  if (exit.kind !== "smc") throw new Error(`expected an smc exit, got ${exit.kind}`);
  return exit.imm;
}

// Runs `body` at EL2 to its end marker or to the vector.
async function atEL2(body: string, noVhe: boolean) {
  const { core, vcpu } = await loadSnippet(body + "\n  smc #0", {
    el: 2, highestEL: 2,
    setup: (c) => c.setU32(ABI.CONFIG_NO_VHE, noVhe ? 1 : 0),
  });
  try {
    const r = runLoaded(core, vcpu);
    return { core, imm: smcImm(r.exit) };
  } finally {
    core.setU32(ABI.CONFIG_NO_VHE, 0);
  }
}

describe("--no-vhe: FEAT_VHE absent", () => {
  it("ID_AA64MMFR1_EL1.VH reads 0 without VHE, 1 with it", async () => {
    const src = "mrs x0, id_aa64mmfr1_el1";
    expect(((await atEL2(src, true)).core.x(0) >> 8n) & 0xfn).toBe(0n);
    expect(((await atEL2(src, false)).core.x(0) >> 8n) & 0xfn).toBe(1n);
  });

  it("HCR_EL2.E2H is RES0 without VHE (a write does not keep it)", async () => {
    const src = "mov x1, #1\n  lsl x1, x1, #34\n  msr hcr_el2, x1\n  isb\n  mrs x0, hcr_el2\n  msr hcr_el2, xzr\n  isb";
    expect((await atEL2(src, true)).core.x(0) & (1n << 34n)).toBe(0n);
    expect((await atEL2(src, false)).core.x(0) & (1n << 34n)).toBe(1n << 34n);
  });

  for (const reg of ["ttbr1_el2", "contextidr_el2", "cnthv_ctl_el2"]) {
    it(`MRS ${reg.toUpperCase()} is UNDEFINED without VHE, and reads with it`, async () => {
      const without = await atEL2(`mrs x0, ${reg}`, true);
      expect(without.imm).toBe(0x104);                                    // taken to EL2's synchronous vector
      expect(without.core.sysreg(ABI.SR_ESR_EL2) >> 26n).toBe(0n);        // EC 0x00: UNDEFINED
      expect((await atEL2(`mrs x0, ${reg}`, false)).imm).toBe(0);
    });
  }
});
