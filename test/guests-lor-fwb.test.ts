// guests/lor-fwb (see guests/lor-fwb/main.c): FEAT_LOR (the LORegion
// registers, LDLAR/STLLR, HCR_EL2.TLOR) and FEAT_S2FWB (HCR_EL2.FWB and the
// stage 1 + stage 2 attributes PAR_EL1 reports after AT S12E1R, HCR_EL2.CD,
// HCR_EL2.PTW) checked by a hypervisor at EL2 against the Arm ARM, in both
// execution engines; --stats must count, by class, exactly the exceptions the
// guest's handlers saw. No differential run: QEMU 7.2 -cpu max implements
// LOR with no LORegions (LORID_EL1 = 0, the rest RAZ/WI) and combines
// attributes differently in the cases the guest's comments name.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, lines, report, statsTally, guestTally } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;

describe.each(ENGINES)("lor-fwb (%s)", (_engine, flags) => {
  it("passes every check: LORegion registers, LDLAR/STLLR, TLOR traps, FWB and CD attributes, PTW", () => {
    const r = armvisor(["run", ...flags, "--stats", "--el", "2", guest("lor-fwb")]);
    const out = lines(r.stdout);
    expect(out[0], describeRun(r)).toBe("lor-fwb at EL2");
    expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBe(105);
    expect(r.status, describeRun(r)).toBe(0);
    // Five TLOR traps (EC 0x18) reach EL2; every exception the guest saw is counted, and nothing else.
    const seen = guestTally(r.stdout);
    expect(seen.get("1->2 24")).toBe(5);
    expect(statsTally(r.stderr), describeRun(r)).toEqual(seen);
  });
});
