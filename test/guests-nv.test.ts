// guests/nv (see guests/nv/nv.c): FEAT_NV (HCR_EL2.{NV, NV1, AT}, NV1's
// stage 1 descriptor reading, LDTR and PAN) and FEAT_NV2 (HCR_EL2.NV2, the
// VNCR page, the EL2-register redirection, VNCR faults) checked by a
// hypervisor at EL2 against the Arm ARM, in both execution engines. Both are
// implemented by default with EL2 (ID_AA64MMFR2_EL1.NV = 2); --no-vhe hides
// them with FEAT_VHE, which they require. QEMU 7.2 implements neither: no
// differential test.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, lines, report, statsTally, guestTally } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;

describe.each(ENGINES)("nv (%s)", (_engine, flags) => {
  it("passes every check: NV traps, NV1 descriptors/LDTR/PAN, NV2 VNCR page, redirection and faults", () => {
    const r = armvisor(["run", ...flags, "--stats", "--el", "2", guest("nv")]);
    const out = lines(r.stdout);
    expect(out[0], describeRun(r)).toBe("nv at EL2");
    expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBe(233);
    expect(r.status, describeRun(r)).toBe(0);
    // --stats counts exactly the exceptions the guest's handlers saw: the NV
    // traps to EL2 (17 MRS/MSR/SYS, 2 ERET) among them.
    const seen = guestTally(r.stdout);
    expect(seen.get("1->2 24")).toBe(17);
    expect(seen.get("1->2 26")).toBe(2);
    expect(statsTally(r.stderr), describeRun(r)).toEqual(seen);
  });
});

describe("nv with --no-vhe (no FEAT_VHE, so no FEAT_NV)", () => {
  it("reads ID_AA64MMFR2_EL1.NV = 0 and keeps HCR_EL2.{NV, NV1, AT, NV2} RES0", () => {
    const r = armvisor(["run", "--el", "2", "--no-vhe", guest("nv")]);
    const out = lines(r.stdout);
    expect(out, describeRun(r)).toEqual([
      "nv at EL2",
      "FAIL ID_AA64MMFR2_EL1.NV reads 2 (FEAT_NV2) got=0x0 want=0x2",
      "PASS without FEAT_NV: HCR_EL2.{NV, NV1, AT, NV2} RES0",
      "1 passed, 1 failed",
    ]);
    expect(r.status).toBe(1);
  });
});
