// guests/pauth (see guests/pauth/pauth.c): FEAT_PAuth with QARMA5 checked by
// a program at EL2 (and its EL1 probes) against the Arm ARM, in both
// execution engines: the PAC values of PACIA/PACIB/PACDA/PACDB/PACIZA/PACDZB
// (those QEMU 7.2 -cpu max computes, PACGA the QARMA paper's vector), AUT*
// success and failure codes, XPAC*, TBI/TBID, ERETAA, BRAA/BLRAA/RETAA/LDRAA/LDRAB
// and their faults, SCTLR_EL2.EnIA/EnDB, and the HCR_EL2.API (EC 0x09) and
// APK (EC 0x18) traps; booted at EL3 first the SCR_EL3.API/APK traps of EL2
// to EL3, then the same EL2 checks. QEMU 7.2 implements FEAT_PAuth (QARMA5, Armv8.3
// scheme): the whole console output is compared with QEMU's line by line.
// armvisor has it with --pauth (PAUTH_DEFAULT in src/core/core.ts says
// whether it is the default); the default run must match one of the two.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, report } from "./helpers/guests";
import { PAUTH_DEFAULT } from "../src/core/core";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;
const CHECKS = 127;
const CHECKS_EL3 = 155;

describe.each(ENGINES)("pauth (%s)", (_engine, flags) => {
  it("passes every check: PAC values, AUT, XPAC, TBI/TBID, BRAA/RETAA/LDRAA, enables, API/APK traps", () => {
    const r = armvisor(["run", ...flags, "--pauth", "--el", "2", guest("pauth")]);
    const out = lines(r.stdout);
    expect(out[0], describeRun(r)).toBe("pauth at EL2");
    expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBe(CHECKS);
    expect(r.status, describeRun(r)).toBe(0);
  });
});

describe.each(ENGINES)("pauth booted at EL3 (%s)", (_engine, flags) => {
  it("passes every check: SCR_EL3.API/APK traps to EL3, then the EL2 checks", () => {
    const r = armvisor(["run", ...flags, "--pauth", "--el", "3", guest("pauth")]);
    const out = lines(r.stdout);
    expect(out[0], describeRun(r)).toBe("pauth at EL3");
    expect(out).toContain("pauth at EL2");
    expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
    expect(report(r.stdout), describeRun(r)).toEqual({ passed: CHECKS_EL3, failed: 0 });
    expect(r.status, describeRun(r)).toBe(0);
  });
});

describe("pauth with the default configuration (PAUTH_DEFAULT)", () => {
  it("is the --pauth or the --no-pauth run, as PAUTH_DEFAULT says", () => {
    const r = armvisor(["run", "--el", "2", guest("pauth")]);
    const want = armvisor(["run", PAUTH_DEFAULT ? "--pauth" : "--no-pauth", "--el", "2", guest("pauth")]);
    expect(lines(r.stdout), describeRun(r)).toEqual(lines(want.stdout));
  });
});

describe.each(ENGINES)("pauth with --no-pauth (%s)", (_engine, flags) => {
  it("reads ID_AA64ISAR1_EL1.{APA, GPA} = 0, runs PACIASP as a NOP, keeps HCR_EL2.{API, APK} RES0", () => {
    const r = armvisor(["run", ...flags, "--no-pauth", "--el", "2", guest("pauth")]);
    expect(lines(r.stdout), describeRun(r)).toEqual([
      "pauth at EL2",
      "PASS without FEAT_PAuth: ID_AA64ISAR1_EL1.{APA, API, GPA, GPI} = 0",
      "PASS without FEAT_PAuth: PACIASP is a NOP",
      "PASS without FEAT_PAuth: HCR_EL2.{API, APK} RES0",
      "3 passed, 0 failed",
    ]);
    expect(r.status).toBe(0);
  });
});

const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests-pauth.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential test against QEMU");

describe.skipIf(!qemuPresent)(`pauth differential against QEMU (-cpu max)${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  it("booted at EL2: same console output and exit status as QEMU", () => {
    const q = qemu(guest("pauth"), 2);
    expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
    expect(report(q.stdout), `QEMU: ${describeRun(q)}`).toEqual({ passed: CHECKS, failed: 0 });
    for (const flags of [[], ["--no-jit"]]) {
      const a = armvisor(["run", ...flags, "--pauth", "--el", "2", guest("pauth")]);
      expect(lines(a.stdout)).toEqual(lines(q.stdout));
      expect(a.status).toBe(q.status);
      expect(a.status).toBe(0);
    }
  }, 60_000);
  it("booted at EL3: same console output and exit status as QEMU (secure=on)", () => {
    const q = qemu(guest("pauth"), 3);
    expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
    expect(report(q.stdout), `QEMU: ${describeRun(q)}`).toEqual({ passed: CHECKS_EL3, failed: 0 });
    for (const flags of [[], ["--no-jit"]]) {
      const a = armvisor(["run", ...flags, "--pauth", "--el", "3", guest("pauth")]);
      expect(lines(a.stdout)).toEqual(lines(q.stdout));
      expect(a.status).toBe(q.status);
      expect(a.status).toBe(0);
    }
  }, 60_000);
});
