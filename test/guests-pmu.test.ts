// guests/pmu (see guests/pmu/pmu.c): FEAT_PMUv3 (Armv8.0, PMUVer = 1)
// checked by a hypervisor at EL2 against the Arm ARM and the counting model
// of assembly/cpu/pmu.ts (one cycle per instruction; exact instruction,
// exception and ERET counts): the register file, INST_RETIRED and the cycle
// counter over known sequences, EL filtering, EXC_TAKEN/EXC_RETURN, SW_INCR,
// overflow and the PMU interrupt (INTID 23), MDCR_EL2.HPMN/HPME, and the
// PMUSERENR_EL0, MDCR_EL2.TPM/TPMCR traps; booted at EL3, MDCR_EL3.TPM and
// Secure state's prohibition of event counting (MDCR_EL3.SPME, PMCR_EL0.DP)
// first. In both execution engines.
//
// QEMU 7.2 (-cpu max) has another PMU (PMUv3p5, six counters, no HPMN
// enforcement) and counts by -icount only, so only the trap checks are
// compared with it, line for line -- less MDCR_EL2.TPMCR, which it does not
// implement, and MDCR_EL2.HPMN, which it does not enforce.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, report } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;
const CHECKS = { 2: 157, 3: 185 } as const;

describe.each(ENGINES)("pmu (%s)", (_engine, flags) => {
  for (const el of [2, 3] as const) {
    it(`passes every check booted at EL${el}: registers, exact counts, filtering, exceptions, SW_INCR, overflow interrupt, HPMN, traps`, () => {
      const r = armvisor(["run", ...flags, "--el", String(el), guest("pmu")]);
      const out = lines(r.stdout);
      expect(out[0], describeRun(r)).toBe(`pmu at EL${el}`);
      expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
      const rep = report(r.stdout);
      expect(rep, describeRun(r)).toBeDefined();
      expect(rep!.failed).toBe(0);
      expect(rep!.passed).toBe(CHECKS[el]);
      expect(r.status, describeRun(r)).toBe(0);
    });
  }
});

// The trap checks: from the first PMUSERENR_EL0 one to the summary.
function trapLines(stdout: string): string[] {
  const out = lines(stdout);
  const first = out.findIndex((l) => l.includes("EL0 MRS PMCR_EL0, PMUSERENR_EL0 = 0"));
  return out.slice(first, -1).filter((l) => !l.includes("TPMCR"));
}

describe.skipIf(!hasQemu())("pmu traps against QEMU 7.2", () => {
  it("PMUSERENR_EL0 (EN, SW, CR, ER), HCR_EL2.TGE and MDCR_EL2.TPM trap as under QEMU, ESR and ELR alike", () => {
    const ours = armvisor(["run", "--el", "2", guest("pmu")]);
    const theirs = qemu(guest("pmu"), 2, 30_000, "gic-version=3");
    const q = trapLines(theirs.stdout);
    expect(q.length, describeRun(theirs)).toBeGreaterThan(50);
    expect(q.filter((l) => !l.startsWith("PASS")), describeRun(theirs)).toEqual([]);
    expect(trapLines(ours.stdout)).toEqual(q);
  });
  it("MDCR_EL3.TPM traps EL2 and EL1 to EL3 (after MDCR_EL2.TPM) as under QEMU", () => {
    // (less the HPMN one: QEMU does not make the counters EL2 reserves inaccessible)
    const el3Traps = (stdout: string) => lines(stdout).filter((l) => l.includes("MDCR_EL3.TPM") && !l.includes("HPMN"));
    const ours = armvisor(["run", "--el", "3", guest("pmu")]);
    const theirs = qemu(guest("pmu"), 3, 30_000, "gic-version=3");
    const q = el3Traps(theirs.stdout);
    expect(q.length, describeRun(theirs)).toBe(18);
    expect(q.filter((l) => !l.startsWith("PASS")), describeRun(theirs)).toEqual([]);
    expect(el3Traps(ours.stdout)).toEqual(q);
  });
});
