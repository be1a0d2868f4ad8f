// FEAT_LOR's EL3 controls (the LORegion registers' access pseudocode, Arm ARM
// D24.2 LORSA_EL1 .. LORID_EL1): SCR_EL3.TLOR traps EL1 and EL2 accesses to
// EL3 with EC 0x18, after HCR_EL2.TLOR at EL1; in Secure state (SCR_EL3.NS =
// 0) the registers are UNDEFINED at EL1 and EL3. The EL2 side (HCR_EL2.TLOR,
// the registers' fields, LDLAR/STLLR) is guests/lor-fwb's.
import { describe, it, expect } from "vitest";
import { ABI, runSnippet, VEC_CUR_SPX_SYNC, VEC_LOWER_SYNC } from "../helpers/machine";

const NS = 1n, RW = 1n << 10n, HCE = 1n << 8n, SCR_TLOR = 1n << 14n;
const HCR_RW = 1n << 31n, HCR_TLOR = 1n << 35n;
const EC_SYSREG = 0x18n, EC_UNKNOWN = 0n;
// ESR of MRS x0, LORSA_EL1 (op0 3, op1 0, CRn 10, CRm 4, op2 0): EC 0x18, IL, read.
const ESR_MRS_LORSA = (EC_SYSREG << 26n) | (1n << 25n) | (3n << 20n) | (10n << 10n) | (4n << 1n) | 1n;

async function lorsaAt(el: 1 | 2 | 3, scr: bigint, hcr = HCR_RW) {
  return runSnippet("mrs x0, lorsa_el1\n  hlt #0xf000", {
    el, highestEL: 3,
    setup: (c) => { c.setSysreg(ABI.SR_SCR_EL3, scr); c.setSysreg(ABI.SR_HCR_EL2, hcr); c.setSysreg(ABI.SR_LORSA_EL1, 0x40000001n); },
  });
}

describe("FEAT_LOR: SCR_EL3.TLOR and Secure state", () => {
  it("reads LORSA_EL1 at EL1, EL2 and EL3 in Non-secure state without traps", async () => {
    for (const el of [1, 2, 3] as const) {
      const r = await lorsaAt(el, NS | RW | HCE);
      expect(r.core.x(28), `EL${el}`).toBe(0n);       // no vector entered
      expect(r.core.x(0), `EL${el}`).toBe(0x40000001n);
    }
  });

  it("SCR_EL3.TLOR traps EL1 and EL2 accesses to EL3 (EC 0x18), not EL3's own", async () => {
    for (const el of [1, 2] as const) {
      const r = await lorsaAt(el, NS | RW | HCE | SCR_TLOR);
      expect(r.core.x(28), `EL${el}`).toBe(BigInt(VEC_LOWER_SYNC));
      expect(r.core.sysreg(ABI.SR_ESR_EL3), `EL${el}`).toBe(ESR_MRS_LORSA);
    }
    const r3 = await lorsaAt(3, NS | RW | HCE | SCR_TLOR);
    expect(r3.core.x(28)).toBe(0n);
    expect(r3.core.x(0)).toBe(0x40000001n);
  });

  it("HCR_EL2.TLOR takes priority over SCR_EL3.TLOR at EL1", async () => {
    const r = await lorsaAt(1, NS | RW | HCE | SCR_TLOR, HCR_RW | HCR_TLOR);
    expect(r.core.sysreg(ABI.SR_ESR_EL2)).toBe(ESR_MRS_LORSA);
    expect(r.core.sysreg(ABI.SR_ESR_EL3)).toBe(0n);
  });

  it("is UNDEFINED in Secure state (SCR_EL3.NS = 0) at EL1 and EL3, before SCR_EL3.TLOR", async () => {
    const r1 = await lorsaAt(1, RW | SCR_TLOR);
    expect(r1.core.x(28)).toBe(BigInt(VEC_CUR_SPX_SYNC)); // taken to EL1 itself (Secure EL1 has no EL2)
    expect(r1.core.sysreg(ABI.SR_ESR_EL1) >> 26n).toBe(EC_UNKNOWN);
    expect(r1.core.sysreg(ABI.SR_ESR_EL3)).toBe(0n);
    expect(r1.core.x(0)).toBe(0n);
    const r3 = await lorsaAt(3, RW);
    expect(r3.core.x(28)).toBe(BigInt(VEC_CUR_SPX_SYNC));
    expect(r3.core.sysreg(ABI.SR_ESR_EL3) >> 26n).toBe(EC_UNKNOWN);
  });
});
