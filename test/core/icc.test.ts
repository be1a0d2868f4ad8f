// The GICv3 CPU interface registers (ICC_*): with a host GIC (CoreOptions.gic = 3)
// they leave run() as "sysreg" exits after the instruction retires, the host
// supplying Xt for reads; without one they are UNDEFINED, and
// ID_AA64PFR0_EL1.GIC says which.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import { Core, ABI } from "../../src/core/core";
import { Vcpu } from "../../src/hv/vcpu";
import { assemble } from "../helpers/asm";
import { runSnippet, esrEC } from "../helpers/machine";

const BASE = 0x4008_0000n;
const key = (op0: number, op1: number, crn: number, crm: number, op2: number) => (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;

async function gicCore(source: string): Promise<{ core: Core; vcpu: Vcpu }> {
  const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: 0x4000_0000n, ramSize: 16 << 20, highestEL: 1, semihosting: true, gic: 3 });
  core.exports.reset(1);
  core.writeRam(BASE, assemble(source, BASE));
  core.pc = BASE;
  return { core, vcpu: new Vcpu(core) };
}

describe("ICC_* system registers", () => {
  it("with a host GIC: MRS exits after retiring, the host's value lands in Xt, execution continues after it", async () => {
    const { core, vcpu } = await gicCore(`
      mrs x5, icc_iar1_el1
      add x6, x5, #1
      mov x0, #0x45
      msr icc_eoir1_el1, x0
      mrs x1, id_aa64pfr0_el1
      hvc #0
    `);
    let exit = vcpu.run(1000n);
    expect(exit.kind).toBe("sysreg");
    if (exit.kind !== "sysreg") return;
    expect(exit).toMatchObject({ key: key(3, 0, 12, 12, 0), rt: 5, isWrite: false, pc: BASE });
    expect(core.pc).toBe(BASE + 4n);
    vcpu.completeSysregRead(27n);
    exit = vcpu.run(1000n);
    expect(exit.kind).toBe("sysreg");
    if (exit.kind !== "sysreg") return;
    expect(exit).toMatchObject({ key: key(3, 0, 12, 12, 1), rt: 0, isWrite: true, data: 0x45n });
    expect(core.x(6)).toBe(28n); // the ADD after the MRS saw the host's value
    exit = vcpu.run(1000n);
    expect(exit.kind).toBe("hvc");
    expect((core.x(1) >> 24n) & 0xfn).toBe(1n); // ID_AA64PFR0_EL1.GIC = 1: system-register interface
  });

  it("ICC_PMR_EL1 and ICC_SGI1R_EL1 are forwarded; an unallocated ICC encoding is not", async () => {
    const { vcpu } = await gicCore(`
      msr icc_pmr_el1, x2
      msr icc_sgi1r_el1, x3
      hvc #0
    `);
    const a = vcpu.run(100n), b = vcpu.run(100n), c = vcpu.run(100n);
    expect(a.kind === "sysreg" && a.key).toBe(key(3, 0, 4, 6, 0));
    expect(b.kind === "sysreg" && b.key).toBe(key(3, 0, 12, 11, 5));
    expect(c.kind).toBe("hvc");
  });

  it("without a host GIC they are UNDEFINED and ID_AA64PFR0_EL1.GIC is 0", async () => {
    const r = await runSnippet(`
      mrs x1, id_aa64pfr0_el1
      mrs x5, icc_iar1_el1
      hvc #0
    `, { el: 1 });
    expect(esrEC(r.core.sysreg(ABI.SR_ESR_EL1))).toBe(0x00);
    expect((r.core.x(1) >> 24n) & 0xfn).toBe(0n);
  });
});
