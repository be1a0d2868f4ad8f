// The bare-metal guests (guests/) on the armvisor CLI, and differentially
// against QEMU 7.2 when it is installed.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, report, statsTally, type Run } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

function expectExit0(r: Run): void {
  expect(r.signal, describeRun(r)).toBeNull();
  expect(r.status, describeRun(r)).toBe(0);
}

describe("hello", () => {
  for (const el of [1, 2, 3] as const) {
    it(`prints the greeting and exits 0 at EL${el}`, () => {
      const r = armvisor(["run", "--el", String(el), guest("hello")]);
      expectExit0(r);
      expect(r.stdout).toBe(`Hello from armvisor guest at EL${el}\n`);
      expect(r.stderr).toBe("");
    });
  }

  it("runs the raw binary with --raw", () => {
    const r = armvisor(["run", "--raw", guest("hello", "build", "bin")]);
    expectExit0(r);
    expect(r.stdout).toBe("Hello from armvisor guest at EL1\n");
    expect(r.stderr).toBe("");
  });
});

// Every guest runs twice: with hot pages compiled to WebAssembly (the
// default) and with the interpreter alone, so both execution engines are held
// to the same architected results.
describe.each([["jit", []], ["interpreter", ["--no-jit"]]] as const)("isa (%s)", (_engine, flags) => {
  it("passes every check at EL1", () => {
    const r = armvisor(["run", ...flags, guest("isa")]);
    const failures = lines(r.stdout).filter((l) => l.startsWith("FAIL"));
    expect(failures, describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBeGreaterThanOrEqual(500);
    expect(lines(r.stdout).at(-1)).toBe(`${rep!.passed} passed, 0 failed`);
    expectExit0(r);
  });
});

describe.each([["jit", []], ["interpreter", ["--no-jit"]]] as const)("exceptions, EXC_STRICT build (%s)", (_engine, flags) => {
  it("passes every check at EL3, including the ones QEMU 7.2 gets wrong", () => {
    const r = armvisor(["run", ...flags, "--el", "3", guest("exceptions", "build-strict")]);
    const failures = lines(r.stdout).filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED"));
    expect(failures, describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBeGreaterThanOrEqual(170);
    expectExit0(r);
  });
});

describe.each([["jit", []], ["interpreter", ["--no-jit"]]] as const)("mmu, MMU_STRICT build (%s)", (_engine, flags) => {
  it("passes every stage 1 / stage 2 / TLB / AT check at EL2, including the ones QEMU 7.2 gets wrong", () => {
    const r = armvisor(["run", ...flags, "--el", "2", guest("mmu", "build-strict")]);
    const failures = lines(r.stdout).filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED"));
    expect(failures, describeRun(r)).toEqual([]);
    const rep = report(r.stdout);
    expect(rep, describeRun(r)).toBeDefined();
    expect(rep!.failed).toBe(0);
    expect(rep!.passed).toBeGreaterThanOrEqual(470);
    expectExit0(r);
  });
});

describe.each([["jit", []], ["interpreter", ["--no-jit"]]] as const)("vgic on `run`'s GICv3 (%s)", (_engine, flags) => {
  it("passes every check at EL2: the list register, the maintenance interrupt (PPI 9) and HCR_EL2.VI", () => {
    const r = armvisor(["run", ...flags, "--stats", "--el", "2", guest("vgic")]);
    const failures = lines(r.stdout).filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED"));
    expect(failures, describeRun(r)).toEqual([]);
    expect(report(r.stdout)?.passed, describeRun(r)).toBeGreaterThanOrEqual(19);
    expectExit0(r);
    // The guest checks that its EL1 handler took one list-register and one
    // HCR_EL2.VI virtual IRQ and its EL2 handler one maintenance IRQ, and it
    // returns from EL1 twice by HVC: --stats counts exactly those transitions.
    expect(statsTally(r.stderr), describeRun(r)).toEqual(new Map([["1->1 61", 2], ["1->2 22", 2], ["1->2 61", 1]]));
  });
  it("with --gic 2 there is no GICv3 system-register interface: ICC_SRE_EL2 is UNDEFINED", () => {
    const r = armvisor(["run", ...flags, "--gic", "2", "--el", "2", guest("vgic")]);
    expect(r.status, describeRun(r)).toBe(99);
    expect(lines(r.stdout).at(-1)).toMatch(/^UNEXPECTED EXCEPTION at EL2 vector=0x200 esr=0x2000000 /);
  });
});

describe("mips with the MMU on (MIPS_MMU, MIPS_ITERS=2)", () => {
  // The same work through 4-level, 4 KiB-page tables must give the same checksum.
  it.each([["jit", []], ["interpreter", ["--no-jit"]]] as const)("prints the MMU-off checksum (%s)", (_engine, flags) => {
    const off = armvisor(["run", ...flags, guest("mips", "build-small")]);
    const on = armvisor(["run", ...flags, guest("mips-mmu", "build-small")]);
    const sum = (out: string) => lines(out).find((l) => l.startsWith("mips checksum "));
    expect(sum(on.stdout), describeRun(on)).toBeDefined();
    expect(sum(on.stdout)).toBe(sum(off.stdout));
    expect(lines(on.stdout)).toContain("mips done");
    expectExit0(on);
  });
});

describe("mips (MIPS_ITERS=2 build)", () => {
  it("prints the checksum and `mips done`, and --stats counts instructions", () => {
    const r = armvisor(["run", "--stats", guest("mips", "build-small")]);
    expectExit0(r);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^mips checksum 0x[0-9a-f]{16}$/), "mips done"]);
    const m = /^instructions retired\s+(\d+)\s/m.exec(r.stderr);
    expect(m, describeRun(r)).not.toBeNull();
    expect(BigInt(m![1])).toBeGreaterThan(0n);
  });
});

// Console output must be identical, line for line, to QEMU 7.2's (the
// non-strict exceptions build: the strict one fails on QEMU by design).
const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential tests against QEMU");

describe.skipIf(!qemuPresent)(`differential against QEMU${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  const cases: { name: string; elf: () => string; el: 1 | 2 | 3; machine?: string; cpu?: string }[] = [
    { name: "hello at EL1", elf: () => guest("hello"), el: 1 },
    { name: "hello at EL2", elf: () => guest("hello"), el: 2 },
    { name: "hello at EL3", elf: () => guest("hello"), el: 3 },
    { name: "isa at EL1", elf: () => guest("isa"), el: 1 },
    { name: "exceptions (non-strict) at EL3", elf: () => guest("exceptions"), el: 3 },
    { name: "mips (MIPS_ITERS=2) at EL1", elf: () => guest("mips", "build-small"), el: 1 },
    { name: "mmu (non-strict) at EL2", elf: () => guest("mmu"), el: 2 },
    { name: "mips with the MMU on (MIPS_ITERS=2) at EL1", elf: () => guest("mips-mmu", "build-small"), el: 1 },
    { name: "vgic at EL2 with GICv3", elf: () => guest("vgic"), el: 2, machine: "gic-version=3", cpu: "cortex-a57" },
  ];
  for (const c of cases) {
    it(`${c.name}: same console output and exit status as QEMU`, () => {
      const q = qemu(c.elf(), c.el, 30_000, c.machine, c.cpu);
      expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
      const a = armvisor(["run", "--el", String(c.el), c.elf()]);
      expect(a.signal, describeRun(a)).toBeNull();
      expect(lines(a.stdout)).toEqual(lines(q.stdout));
      expect(a.stdout).toBe(q.stdout);
      expect(a.status).toBe(q.status);
      expect(a.status).toBe(0);
    }, 60_000);
  }
});
