// The generic timers (Arm ARM D11): CNTP/CNTV/CNTHP TVAL, CTL (ISTATUS), CVAL,
// the counter offsets, the EL0 and EL2 access controls, and the TIMER_LINES /
// TIMER_DEADLINE the core publishes for the host's interrupt controller.
import { describe, it, expect } from "vitest";
import { loadSnippet, ABI, esrEC, jitOf, type Core, type Vcpu, type VcpuExit } from "../helpers/machine";

// One vcpu.run, compiling pages when the JIT (ARMVISOR_TEST_JIT=1) asks.
function run(core: Core, vcpu: Vcpu, budget: bigint): VcpuExit {
  for (;;) {
    const e = vcpu.run(budget);
    if (e.kind !== "jit") return e;
    jitOf(core)?.compileSlot(e.slot);
  }
}

// Run to the first exit that is not a timer reprogramming, MMIO, JIT or budget slice.
function runToExit(core: Core, vcpu: Vcpu, maxInsns = 1_000_000n): { exit: VcpuExit; timerExits: number } {
  const start = core.instructions;
  let timerExits = 0;
  for (;;) {
    const left = maxInsns - (core.instructions - start);
    if (left <= 0n) return { exit: { kind: "budget" }, timerExits };
    const exit = run(core, vcpu, left);
    if (exit.kind === "timer") { timerExits++; continue; }
    if (exit.kind === "budget") continue; // a timer deadline, or the slice: go on
    return { exit, timerExits };
  }
}

const lines = (core: Core) => core.u32(ABI.TIMER_LINES);

describe("generic timers", () => {
  it("TVAL writes set CVAL = count + TVAL; TVAL reads CVAL - count (32 bits); the write is reported to the host", async () => {
    const { core, vcpu } = await loadSnippet(`
      mrs x1, cntpct_el0
      mov x0, #1000
      msr cntp_tval_el0, x0
      mrs x2, cntp_cval_el0
      mrs x3, cntp_tval_el0
      mov x0, #0
      sub x0, x0, #5
      msr cntp_tval_el0, x0      // TVAL = -5: CVAL in the past
      mrs x4, cntp_cval_el0
      mrs x5, cntp_tval_el0
      hvc #0
    `, { el: 1 });
    const { exit, timerExits } = runToExit(core, vcpu);
    expect(exit.kind).toBe("hvc");
    expect(timerExits).toBe(2);
    const n0 = core.x(1);
    expect(core.x(2) - n0).toBe(1002n);                 // MSR two instructions after the read
    expect(core.x(3)).toBe(998n);                        // read two instructions after the MSR
    expect(core.x(4) - n0).toBe(7n - 5n);                // count at the second MSR (n0 + 7) - 5
    expect(core.x(5)).toBe(BigInt.asUintN(32, -7n));     // CVAL - (count two instructions later), as 32 bits
  });

  it("CTL.ISTATUS reports the condition when enabled; TIMER_LINES follows ENABLE and IMASK", async () => {
    for (const [ctl, want, line] of [[1, 5n, 1], [3, 7n, 0], [0, 0n, 0]] as const) {
      const { core, vcpu } = await loadSnippet(`
        mov x0, #20
        msr cntp_tval_el0, x0
        mov x0, #${ctl}
        msr cntp_ctl_el0, x0
        mov x1, #100
      1: subs x1, x1, #1
        b.ne 1b
        mrs x2, cntp_ctl_el0
        hvc #0
      `, { el: 1 });
      const { exit } = runToExit(core, vcpu);
      expect(exit.kind).toBe("hvc");
      expect(core.x(2), `CTL=${ctl}`).toBe(want);
      expect(lines(core) & ABI.TIMER_PHYS, `CTL=${ctl}`).toBe(line);
    }
  });

  it("run() stops when an enabled, unmasked timer fires, with its line raised", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #10000
      msr cntp_tval_el0, x0
      mov x0, #1
      msr cntp_ctl_el0, x0
    1: b 1b
    `, { el: 1 });
    let exit = run(core, vcpu, 1_000_000n);
    expect(exit.kind).toBe("timer");             // TVAL write
    exit = run(core, vcpu, 1_000_000n);
    expect(exit.kind).toBe("timer");             // CTL write
    expect(lines(core)).toBe(0);
    const cval = core.sysreg(ABI.SR_CNTP_CVAL_EL0);
    expect(core.u64(ABI.TIMER_DEADLINE)).toBe(cval - core.u64(ABI.TIME_OFFSET));
    exit = run(core, vcpu, 1_000_000n);
    expect(exit.kind).toBe("budget");
    expect(core.instructions + core.u64(ABI.TIME_OFFSET)).toBe(cval); // exactly when it fires
    expect(lines(core) & ABI.TIMER_PHYS).toBe(ABI.TIMER_PHYS);
  });

  it("the host's TIME_OFFSET moves the physical count (time skipped while idle)", async () => {
    const { core, vcpu } = await loadSnippet(`
      mrs x1, cntpct_el0
      hvc #0
    `, { el: 1, setup: (c) => c.setU64(ABI.TIME_OFFSET, 0n) });
    runToExit(core, vcpu);
    const before = core.x(1);
    const { core: c2, vcpu: v2 } = await loadSnippet(`
      mrs x1, cntpct_el0
      hvc #0
    `, { el: 1, setup: (c) => c.setU64(ABI.TIME_OFFSET, 5_000_000n) });
    runToExit(c2, v2);
    expect(c2.x(1) - before).toBeGreaterThanOrEqual(5_000_000n);
    c2.setU64(ABI.TIME_OFFSET, 0n);
  });

  it("the virtual count is the physical count minus CNTVOFF_EL2", async () => {
    const { core, vcpu } = await loadSnippet(`
      mrs x1, cntpct_el0
      mrs x2, cntvct_el0
      hvc #0
    `, { el: 1, highestEL: 2, setup: (c) => c.setSysreg(ABI.SR_CNTVOFF_EL2, 1000n) });
    const { exit } = runToExit(core, vcpu);
    expect(exit.kind).toBe("smc");
    expect(BigInt.asUintN(64, core.x(1) + 1n - core.x(2))).toBe(1000n);
  });

  it("EL0 accesses need CNTKCTL_EL1.EL0PTEN / EL0VTEN, else EC 0x18 to EL1", async () => {
    for (const [kctl, reg, trapped] of [[0, "cntp_ctl_el0", true], [1 << 9, "cntp_ctl_el0", false], [0, "cntv_ctl_el0", true], [1 << 8, "cntv_ctl_el0", false]] as const) {
      const { core, vcpu } = await loadSnippet(`
        mrs x0, ${reg}
        svc #0
      `, { el: 0, highestEL: 1, setup: (c) => c.setSysreg(ABI.SR_CNTKCTL_EL1, BigInt(kctl)) });
      const { exit } = runToExit(core, vcpu);
      expect(exit.kind).toBe("hvc");
      expect(esrEC(core.sysreg(ABI.SR_ESR_EL1)), `${reg} CNTKCTL=${kctl}`).toBe(trapped ? 0x18 : 0x15);
    }
  });

  it("CNTHCTL_EL2.EL1PCEN = 0 traps EL1 physical timer accesses to EL2 (EC 0x18)", async () => {
    const { core, vcpu } = await loadSnippet(`
      mrs x0, cntp_ctl_el0
      hvc #0
    `, { el: 1, highestEL: 2, setup: (c) => c.setSysreg(ABI.SR_CNTHCTL_EL2, 0n) });
    const { exit } = runToExit(core, vcpu);
    expect(exit.kind).toBe("smc");
    expect(esrEC(core.sysreg(ABI.SR_ESR_EL2))).toBe(0x18);
    expect(core.el).toBe(2);
  });

  it("the EL2 physical timer (CNTHP) exists only with EL2 and drives its own line", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #10
      msr cnthp_tval_el2, x0
      mov x0, #1
      msr cnthp_ctl_el2, x0
      mov x1, #50
    1: subs x1, x1, #1
      b.ne 1b
      mrs x2, cnthp_ctl_el2
      smc #0
    `, { el: 2, highestEL: 2 });
    const { exit } = runToExit(core, vcpu);
    expect(exit.kind).toBe("smc");
    expect(core.x(2)).toBe(5n);
    expect(lines(core) & ABI.TIMER_HYP).toBe(ABI.TIMER_HYP);
  });
});
