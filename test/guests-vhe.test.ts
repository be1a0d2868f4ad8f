// guests/vhe (see guests/README.md): FEAT_VHE checked by a hypervisor at
// EL2 -- register redirection and the *_EL12/_EL02 aliases, CPTR_EL2 and
// CNTHCTL_EL2 in their E2H layouts, the EL2 virtual timer, the EL2&0
// translation regime (TTBR1_EL2, ASIDs, TLBI, AT, PAN, LDTR) and the host's
// EL0 under HCR_EL2.TGE -- in both execution engines, and line for line
// against QEMU 7.2 (-cpu max). Also: the EL2 virtual timer's output reaches
// the interrupt controller as its PPI.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "node:fs";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, report, type Run } from "./helpers/guests";
import { Core } from "../src/core/core";
import { Vm, type VmResult } from "../src/hv/vm";
import { Bus } from "../src/board/bus";
import { icountClock } from "../src/hv/clock";
import { assemble } from "./helpers/asm";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;

function expectAllPassed(r: Run, minChecks: number): void {
  const out = lines(r.stdout);
  expect(out[0], describeRun(r)).toBe("vhe at EL2");
  expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
  const rep = report(r.stdout);
  expect(rep, describeRun(r)).toBeDefined();
  expect(rep!.failed).toBe(0);
  expect(rep!.passed).toBeGreaterThanOrEqual(minChecks);
  expect(out.filter((l) => l.startsWith("PASS ")).length).toBe(rep!.passed);
  expect(r.signal, describeRun(r)).toBeNull();
  expect(r.status, describeRun(r)).toBe(0);
}

describe.each(ENGINES)("vhe, VHE_STRICT build (%s)", (_engine, flags) => {
  it("passes every check at EL2, including the *_EL12/_EL02 UNDEFINED ones QEMU 7.2 gets wrong", () => {
    expectAllPassed(armvisor(["run", ...flags, "--el", "2", guest("vhe", "build-strict")]), 220);
  });
});

describe("vhe --stats", () => {
  it("counts the host's EL0 exceptions as taken from EL0 straight to EL2, by class", () => {
    const r = armvisor(["run", "--stats", "--el", "2", guest("vhe")]);
    expectAllPassed(r, 210);
    const taken = new Map<string, number>();
    let inBlock = false;
    for (const l of lines(r.stderr)) {
      if (l.startsWith("exceptions taken")) { inBlock = true; continue; }
      if (inBlock && !l.startsWith("  ")) break;
      const m = inBlock ? /^\s+EL(\d) -> EL(\d)\s+(\S+)\s+(\d+)$/.exec(l) : null;
      if (m) taken.set(`${m[1]}->${m[2]} ${m[3]}`, Number(m[4]));
    }
    expect(taken.size, r.stderr).toBeGreaterThan(0);
    // Nothing from EL0 went to EL1: under HCR_EL2.{E2H,TGE} = {1,1} EL1 is not used.
    expect([...taken.keys()].filter((k) => k.startsWith("0->1")), r.stderr).toEqual([]);
    // From the host's EL0 straight to EL2: 8 SVCs (7 returns of EL0 calls
    // and the SVC #0x42 check), MRS SCTLR_EL1, LDP of a privileged page, the
    // 4 timer traps (CNTHCTL_EL2.EL0*EN) and MRS FPCR (CPTR_EL2.FPEN = 0b01).
    const fromEL0 = Object.fromEntries([...taken.entries()].filter(([k]) => k.startsWith("0->2")));
    expect(fromEL0, r.stderr).toEqual({
      "0->2 EC_SVC64": 8, "0->2 EC_UNKNOWN": 1, "0->2 EC_DABT_LOW": 1, "0->2 EC_SYSREG": 4, "0->2 EC_FP_ACCESS_TRAP": 1,
    });
  });
});

const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests-vhe.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential test against QEMU");

describe.skipIf(!qemuPresent)(`vhe differential against QEMU (-cpu max)${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  it("booted at EL2: same console output and exit status as QEMU", () => {
    const q = qemu(guest("vhe"), 2);
    expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
    expect(report(q.stdout)?.failed, `QEMU: ${describeRun(q)}`).toBe(0);
    for (const flags of [[], ["--no-jit"]]) {
      const a = armvisor(["run", ...flags, "--el", "2", guest("vhe")]);
      expect(lines(a.stdout)).toEqual(lines(q.stdout));
      expect(a.status).toBe(q.status);
      expect(a.status).toBe(0);
    }
  }, 60_000);
});

// The EL2 virtual timer (CNTHV_*) is an output of its own (TIMER_HYPVIRT):
// the VM raises the board's PPI for it, 28 on the virt board (PPI 12).
describe("the EL2 virtual timer's output", () => {
  it("CNTHV_CTL_EL2 enabled with CNTHV_CVAL_EL2 in the past raises its PPI; masking it lowers it", async () => {
    const RAM = 0x4000_0000n, ENTRY = 0x4008_0000n;
    const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: RAM, ramSize: 16 << 20, highestEL: 2, semihosting: false });
    const levels: string[] = [];
    const vm = new Vm(core, {
      bus: new Bus(),
      gic: {
        irqLine: () => false, fiqLine: () => false, onChange: () => {},
        setPpi: (_c, intid, level) => { levels.push(`${intid}=${level ? 1 : 0}`); },
      },
      timerIntids: { phys: 30, virt: 27, hyp: 26, hypVirt: 28 },
    }, { cpus: 1, affinity: () => 0, bootEL: 2, clock: icountClock(), jit: false });
    core.writeRam(ENTRY, assemble(`
      mov x0, #(1 << 31)
      orr x0, x0, #(1 << 34)        // HCR_EL2: RW, E2H
      msr hcr_el2, x0
      isb
      msr cnthv_cval_el2, xzr
      mov x0, #1                    // ENABLE
      msr cntv_ctl_el0, x0          // at EL2 with E2H: CNTHV_CTL_EL2
      isb
      mrs x19, cnthv_ctl_el2
      mov x0, #3                    // ENABLE, IMASK
      msr cnthv_ctl_el2, x0
      isb
      ldr x0, =0x84000008           // PSCI SYSTEM_OFF
      smc #0
      b .
    `, ENTRY));
    vm.boot(ENTRY);
    const result: VmResult = await vm.run(100_000n);
    expect(result.kind).toBe("system-off");
    expect(core.x(19)).toBe(5n);    // ENABLE, ISTATUS
    expect(levels).toEqual(["28=1", "28=0"]);
  });
});
