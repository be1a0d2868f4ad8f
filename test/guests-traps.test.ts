// guests/el2-traps (see guests/README.md): the EL2 trap controls (HCR_EL2,
// MDCR_EL2, CPTR_EL2) checked by a hypervisor at EL2, and with --el 3 the
// EL3 ones (SCR_EL3, MDCR_EL3, CPTR_EL3) by a monitor first. In both
// execution engines; --stats must count, by class, exactly the exceptions the
// guest's own handlers saw; and the console output is QEMU's (cortex-a57,
// the Armv8.0 CPU the guest checks) line for line.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, statsTally, type Run, guestTally } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;

// `checks=N failures=M`, the guest's last line.
function summary(r: Run): { checks: number; failures: number } {
  const m = /^checks=(\d+) failures=(\d+)$/.exec(lines(r.stdout).at(-1) ?? "");
  expect(m, describeRun(r)).not.toBeNull();
  return { checks: Number(m![1]), failures: Number(m![2]) };
}

function expectAllPassed(r: Run, el: 2 | 3, minChecks: number): void {
  const out = lines(r.stdout);
  expect(out[0], describeRun(r)).toBe(`el2-traps at EL${el}`);
  expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
  const s = summary(r);
  expect(s.failures).toBe(0);
  expect(s.checks).toBeGreaterThanOrEqual(minChecks);
  expect(out.filter((l) => l.startsWith("PASS ")).length).toBe(s.checks);
  expect(r.signal, describeRun(r)).toBeNull();
  expect(r.status, describeRun(r)).toBe(0);
}


describe.each(ENGINES)("el2-traps, TRAPS_STRICT build (%s)", (_engine, flags) => {
  it("passes every check at EL2, including the ones QEMU 7.2 gets wrong", () => {
    expectAllPassed(armvisor(["run", ...flags, "--el", "2", guest("el2-traps", "build-strict")]), 2, 680);
  });
  it("passes every check booted at EL3 (SCR_EL3, MDCR_EL3, CPTR_EL3 first, then the EL2 checks)", () => {
    expectAllPassed(armvisor(["run", ...flags, "--el", "3", guest("el2-traps", "build-strict")]), 3, 780);
  });
});

describe("el2-traps --stats", () => {
  it("counts, by exception class, exactly the exceptions the guest's handlers saw (EL2 run)", () => {
    const r = armvisor(["run", "--stats", "--el", "2", guest("el2-traps")]);
    expectAllPassed(r, 2, 670);
    const seen = guestTally(r.stdout), counted = statsTally(r.stderr);
    expect(seen.size, describeRun(r)).toBeGreaterThan(10);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(seen));
    // The traps from EL1 to EL2 by class, as the guest's checks make them:
    // EC 0x18: 35 MRS, 19 MSR, 14 DC/IC/TLBI and DC ZVA at EL1; 0x01: TWI WFI;
    // 0x07: TFP (FPCR); 0x17: TSC (SMC, and the return of the HCD check);
    // 0x20: the HCR_EL2.PTW instruction abort; 0x3c: BRK under MDCR_EL2.TDE.
    const el1ToEl2 = (ec: number) => counted.get(`1->2 ${ec}`);
    expect(el1ToEl2(0x18)).toBe(69);
    expect(el1ToEl2(0x01)).toBe(1);
    expect(el1ToEl2(0x07)).toBe(1);
    expect(el1ToEl2(0x17)).toBe(2);
    expect(el1ToEl2(0x20)).toBe(1);
    expect(el1ToEl2(0x3c)).toBe(1);
    // From EL0 straight to EL2: CTR_EL0 (TID2), DC CVAC (TPCP), DC CVAU and IC IVAU (TPU), DC ZVA (TDZ).
    expect(counted.get("0->2 24")).toBe(5);
  });

  it("counts the EL3 run's exceptions the same way (SCR_EL3.TWI WFI, MDCR_EL3/CPTR_EL3 traps to EL3)", () => {
    const r = armvisor(["run", "--stats", "--el", "3", guest("el2-traps")]);
    expectAllPassed(r, 3, 760);
    const seen = guestTally(r.stdout), counted = statsTally(r.stderr);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(seen));
    // EC 0x18 to EL3: MDSCR, MDRAR, OSLSR, CPACR, CPTR_EL2 at EL2 (5) and MDSCR, CPACR at EL1 (2).
    expect(counted.get("2->3 24")).toBe(5);
    expect(counted.get("1->3 24")).toBe(2);
  });
});

const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests-traps.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential tests against QEMU");

describe.skipIf(!qemuPresent)(`el2-traps differential against QEMU (cortex-a57)${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  for (const el of [2, 3] as const) {
    it(`booted at EL${el}: same console output and exit status as QEMU`, () => {
      const q = qemu(guest("el2-traps"), el, 30_000, undefined, "cortex-a57");
      expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
      expect(summary(q).failures, `QEMU: ${describeRun(q)}`).toBe(0);
      const a = armvisor(["run", "--el", String(el), guest("el2-traps")]);
      expect(lines(a.stdout)).toEqual(lines(q.stdout));
      expect(a.status).toBe(q.status);
      expect(a.status).toBe(0);
    }, 60_000);
  }
});
