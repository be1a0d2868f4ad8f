// guests/nv (see guests/nv/nv.c): the FEAT_NV controls HCR_EL2.{NV, NV1, AT}
// checked by a hypervisor at EL2 against the Arm ARM, in both execution
// engines, with the internal --experimental-nv switch (CONFIG_NV). FEAT_NV is
// incomplete (no NV1 descriptor/PAN/UAO effects, no FEAT_NV2) and so not
// advertised: without the switch HCR_EL2.NV/NV1/AT are RES0 and the checks
// that need them fail. QEMU 7.2 does not implement FEAT_NV: no differential test.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, lines, report } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;

describe.each(ENGINES)("nv with --experimental-nv (%s)", (_engine, flags) => {
  it("passes every check: EC 0x18 traps with full ISS, ERET EC 0x1A, CurrentEL, SPSR.M, NV1, AT", () => {
    const r = armvisor(["run", ...flags, "--el", "2", "--experimental-nv", guest("nv")]);
    const out = lines(r.stdout);
    expect(out[0], describeRun(r)).toBe("nv at EL2");
    expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBe(124);
    expect(r.status, describeRun(r)).toBe(0);
  });
});

describe("nv without the switch (the default CPU)", () => {
  it("keeps HCR_EL2.NV/NV1/AT RES0 and ID_AA64MMFR2_EL1.NV 0: the NV checks fail, the rest pass", () => {
    const r = armvisor(["run", "--el", "2", guest("nv")]);
    const out = lines(r.stdout);
    expect(out).toContain("PASS ID_AA64MMFR2_EL1.NV reads 0 (not advertised)");
    expect(out.some((l) => l.startsWith("FAIL HCR_EL2.{NV, NV1, AT} writable"))).toBe(true);
    expect(out.some((l) => l.startsWith("PASS no NV: EL1 MRS HCR_EL2 UNDEFINED: ESR"))).toBe(true);
    expect(out.some((l) => l.startsWith("FAIL NV: EL1 MRS HCR_EL2: ESR"))).toBe(true);
    expect(r.status).not.toBe(0);
  });
});
