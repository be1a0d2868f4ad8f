// The FP/AdvSIMD guests (guests/numeric, see guests/numeric/README.md) on the
// armvisor CLI with FP/AdvSIMD enabled, in both execution engines, and
// differentially against QEMU 7.2 when it is installed:
//   numeric.elf         every scalar FP and AdvSIMD group, 0 failures
//   numeric-scalar.elf  the scalar FP groups only (no AdvSIMD data processing)
//   simd-small.elf      the `bench simd` loop, 2 iterations
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, report, type Run } from "./helpers/guests";

// FP/AdvSIMD is on by default in armvisor (the CLI's --no-fp turns it off).
const FP: string[] = [];

beforeAll(() => {
  buildGuests();
}, 180_000);

function expectExit0(r: Run): void {
  expect(r.signal, describeRun(r)).toBeNull();
  expect(r.status, describeRun(r)).toBe(0);
}

// Every check group passed, none hit an UNDEFINED instruction, and the
// last line is the `N passed, 0 failed` report.
function expectAllPassed(r: Run, minChecks: number, groups: number): void {
  const out = lines(r.stdout);
  expect(out[0], describeRun(r)).toBe("numeric guest at EL1");
  const failures = out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED"));
  expect(failures, describeRun(r)).toEqual([]);
  expect(out.filter((l) => /^PASS [a-z0-9_]+ \(\d+ checks\)$/.test(l)).length, describeRun(r)).toBe(groups);
  const rep = report(r.stdout);
  expect(rep, describeRun(r)).toBeDefined();
  expect(rep!.failed).toBe(0);
  expect(rep!.passed).toBeGreaterThanOrEqual(minChecks);
  expect(out.at(-1)).toBe(`${rep!.passed} passed, 0 failed`);
  expectExit0(r);
}

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;

describe.each(ENGINES)("numeric-scalar (%s)", (_engine, flags) => {
  it("passes every scalar FP check: matmul, sort, sqrt, conversions, FPCR modes", () => {
    expectAllPassed(armvisor(["run", ...FP, ...flags, guest("numeric-scalar")]), 3900, 6);
  });
});

describe.each(ENGINES)("numeric (%s)", (_engine, flags) => {
  it("passes every scalar FP and AdvSIMD check", () => {
    expectAllPassed(armvisor(["run", ...FP, ...flags, guest("numeric")]), 4000, 16);
  });
});

describe.each(ENGINES)("simd bench loop, 2 iterations (%s)", (_engine, flags) => {
  it("prints the iteration count, a checksum and `simd done`", () => {
    const r = armvisor(["run", ...FP, ...flags, guest("simd-small")]);
    expect(lines(r.stdout), describeRun(r)).toEqual([
      "simd iterations 2",
      expect.stringMatching(/^simd checksum 0x[0-9a-f]{16}$/),
      "simd done",
    ]);
    expectExit0(r);
  });
});

// Console output must be identical, line for line, to QEMU 7.2's.
const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests-simd.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential tests against QEMU");

describe.skipIf(!qemuPresent)(`FP/AdvSIMD guests, differential against QEMU${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  const cases = [
    { name: "numeric-scalar", elf: () => guest("numeric-scalar") },
    { name: "numeric", elf: () => guest("numeric") },
    { name: "simd (2 iterations)", elf: () => guest("simd-small") },
  ];
  for (const c of cases) {
    it.each(ENGINES)(`${c.name} at EL1 (%s): same console output and exit status as QEMU`, (_engine, flags) => {
      const q = qemu(c.elf(), 1);
      expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
      expect(q.status, `QEMU: ${describeRun(q)}`).toBe(0);
      const a = armvisor(["run", ...FP, ...flags, c.elf()]);
      expect(a.signal, describeRun(a)).toBeNull();
      expect(lines(a.stdout)).toEqual(lines(q.stdout));
      expect(a.stdout).toBe(q.stdout);
      expect(a.status).toBe(q.status);
    }, 60_000);
  }
});
