// The PMU on the host's VM with two vCPUs on one core (src/hv/vm.ts): each
// vCPU's counters count its own instructions only. The core counts
// instructions for whichever vCPU runs; the PMU (assembly/cpu/pmu.ts) folds
// them into the running vCPU's counters at every exit and starts afresh at
// every run() entry, so the other vCPU's slices, in between, are not counted.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import { Core } from "../../src/core/core";
import { Vm } from "../../src/hv/vm";
import { Bus } from "../../src/board/bus";
import { icountClock } from "../../src/hv/clock";
import { GicV3 } from "../../src/devices/gicv3";
import { VIRT_MEMMAP } from "../../src/board/virt-dt";
import { assemble } from "../helpers/asm";

const RAM = 0x4000_0000n, ENTRY = 0x4008_0000n;
const ITERATIONS = 3_000_000; // 6 M instructions each: several of the VM's 1 Mi-instruction slices

// Both vCPUs at EL2 (vCPU 0 starts vCPU 1 by PSCI CPU_ON): counter 0 counts
// INST_RETIRED at EL2; two reads around a loop; the difference goes to
// results[cpu]. vCPU 1 then turns itself off, vCPU 0 waits for its result
// and powers the system off.
const GUEST = `
  .text
_start:
  mrs x19, mpidr_el1
  and x19, x19, #0xff
  cbnz x19, 1f
  ldr x0, =0xc4000003          // PSCI CPU_ON (SMC64)
  mov x1, #1
  adr x2, _start
  mov x3, #0
  smc #0
1:
  ldr x0, =0xc8000008          // PMEVTYPER0_EL0: P, U, NSH (EL2 only), INST_RETIRED
  msr pmevtyper0_el0, x0
  mov x0, #1
  msr pmcntenset_el0, x0
  mov x0, #3                   // PMCR_EL0: E, P
  msr pmcr_el0, x0
  isb
  mrs x20, pmevcntr0_el0
  ldr x1, =${ITERATIONS}
2:
  subs x1, x1, #1
  b.ne 2b
  mrs x21, pmevcntr0_el0
  sub x21, x21, x20
  adr x2, results
  str x21, [x2, x19, lsl #3]
  cbnz x19, 4f
3:
  ldr x3, [x2, #8]
  cbz x3, 3b
  ldr x0, =0x84000008          // SYSTEM_OFF
  smc #0
  b .
4:
  ldr x0, =0x84000002          // CPU_OFF
  smc #0
  b .
  .ltorg
  .balign 8
results:
  .quad 0, 0
`;

describe("the PMU with two vCPUs on one core", () => {
  it("counts each vCPU's own instructions only, exactly, across the VM's slices", async () => {
    const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: RAM, ramSize: 16 << 20, highestEL: 2, semihosting: false, gic: 3 });
    const gic = new GicV3({ cpus: 2 });
    const bus = new Bus();
    bus.map(VIRT_MEMMAP.gicDist.base, gic.distributor);
    bus.map(VIRT_MEMMAP.gicRedist.base, gic.redistributors);
    const vm = new Vm(core, {
      bus,
      gic: {
        irqLine: (c) => gic.irqLine(c), fiqLine: (c) => gic.fiqLine(c),
        set onChange(f) { gic.onChange = f; }, get onChange() { return gic.onChange; },
        setPpi: (c, intid, level) => gic.setPpi(c, intid, level),
      },
      timerIntids: { phys: 30, virt: 27, hyp: 26, pmu: 23 },
    }, { cpus: 2, affinity: (i) => i, bootEL: 2, clock: icountClock(), jit: false });
    const code = assemble(GUEST, ENTRY);
    core.writeRam(ENTRY, code);
    vm.boot(ENTRY);
    const result = await vm.run(100_000_000n);
    expect(result.kind).toBe("system-off");
    // Between the two reads: the first MRS, the LDR, and the loop's SUBS and B.NE.
    const want = BigInt(2 + 2 * ITERATIONS);
    const results = new DataView(core.readRam(ENTRY + BigInt(code.length) - 16n, 16).buffer);
    expect(results.getBigUint64(0, true)).toBe(want);
    expect(results.getBigUint64(8, true)).toBe(want);
    expect(core.instructions).toBeGreaterThan(2n * want); // both ran, interleaved
  }, 60_000);
});
