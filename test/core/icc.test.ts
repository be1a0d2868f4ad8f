// The GICv3 CPU interface registers (ICC_*): with a host GIC (CoreOptions.gic = 3)
// they leave run() as "sysreg" exits after the instruction retires, the host
// supplying Xt for reads; without one they are UNDEFINED, and
// ID_AA64PFR0_EL1.GIC says which.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import { Core, ABI } from "../../src/core/core";
import { Vcpu } from "../../src/hv/vcpu";
import { assemble } from "../helpers/asm";
import { runSnippet, esrEC, esrISS } from "../helpers/machine";

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

describe("with EL2 (the guest owns it): ICH_* and the SGI trap", () => {
  async function el2GicCore(source: string, el: 1 | 2, hcr: bigint): Promise<{ core: Core; vcpu: Vcpu }> {
    const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: 0x4000_0000n, ramSize: 16 << 20, highestEL: 2, semihosting: true, gic: 3 });
    core.exports.reset(el);
    core.writeRam(BASE, assemble(source, BASE));
    core.pc = BASE;
    core.setSysreg(ABI.SR_HCR_EL2, (1n << 31n) | hcr);
    core.setSysreg(ABI.SR_VBAR_EL2, 0x4009_0000n);
    core.writeRam(0x4009_0200n, assemble("smc #0x104", 0x4009_0200n)); // EL2's current-EL synchronous vector
    core.writeRam(0x4009_0400n, assemble("smc #0x108", 0x4009_0400n)); // EL2's lower-EL synchronous vector
    return { core, vcpu: new Vcpu(core) };
  }

  it("ICH_HCR/VTR/MISR/EISR/ELRSR/VMCR, ICH_AP0R0/AP1R0 and ICH_LR0..3 exit to the host at EL2; ICH_LR4 and ICH_AP0R1 do not exist", async () => {
    const regs: [string, number][] = [
      ["ich_ap0r0_el2", key(3, 4, 12, 8, 0)], ["ich_ap1r0_el2", key(3, 4, 12, 9, 0)],
      ["ich_hcr_el2", key(3, 4, 12, 11, 0)], ["ich_vtr_el2", key(3, 4, 12, 11, 1)], ["ich_misr_el2", key(3, 4, 12, 11, 2)],
      ["ich_eisr_el2", key(3, 4, 12, 11, 3)], ["ich_elrsr_el2", key(3, 4, 12, 11, 5)], ["ich_vmcr_el2", key(3, 4, 12, 11, 7)],
      ["ich_lr0_el2", key(3, 4, 12, 12, 0)], ["ich_lr3_el2", key(3, 4, 12, 12, 3)],
    ];
    const { core, vcpu } = await el2GicCore(regs.map(([n]) => `mrs x3, ${n}`).join("\n") + "\n mrs x4, ich_lr4_el2\n smc #0", 2, 0n);
    for (const [, k] of regs) {
      const x = vcpu.run(100n);
      expect(x.kind === "sysreg" && x.key).toBe(k);
    }
    // ICH_LR4_EL2 is UNDEFINED with 4 list registers: an exception to EL2 itself.
    const x = vcpu.run(100n);
    expect(x).toMatchObject({ kind: "smc", imm: 0x104 });
    expect(esrEC(core.sysreg(ABI.SR_ESR_EL2))).toBe(0x00);
  });

  it("ICH_* at EL1 are UNDEFINED", async () => {
    const { core, vcpu } = await el2GicCore("mrs x3, ich_hcr_el2\n smc #0", 1, 0n);
    core.setSysreg(ABI.SR_VBAR_EL1, 0x4009_0000n);
    core.writeRam(0x4009_0200n, assemble("smc #0x104", 0x4009_0200n));
    const x = vcpu.run(100n);
    expect(x).toMatchObject({ kind: "smc", imm: 0x104 });
    expect(esrEC(core.sysreg(ABI.SR_ESR_EL1))).toBe(0x00);
  });

  it("ICC_SGI1R/ASGI1R/SGI0R_EL1 at EL1 trap to EL2 (EC 0x18) while HCR_EL2.IMO or FMO is set; otherwise they reach the host", async () => {
    for (const [reg, crmOp2] of [["icc_sgi1r_el1", 5], ["icc_asgi1r_el1", 6], ["icc_sgi0r_el1", 7]] as const) {
      for (const hcr of [1n << 4n, 1n << 3n]) {
        const { core, vcpu } = await el2GicCore(`msr ${reg}, x2\n smc #0`, 1, hcr);
        const x = vcpu.run(100n);
        expect(x).toMatchObject({ kind: "smc", imm: 0x108 });
        const esr = core.sysreg(ABI.SR_ESR_EL2);
        expect(esrEC(esr)).toBe(0x18);
        // ISS: Op0 [21:20] = 3, Op2 [19:17], Op1 [16:14] = 0, CRn [13:10] = 12, Rt [9:5] = 2, CRm [4:1] = 11, Direction 0 (write).
        expect(esrISS(esr)).toBe((3 << 20) | (crmOp2 << 17) | (12 << 10) | (2 << 5) | (11 << 1));
        expect(core.sysreg(ABI.SR_ELR_EL2)).toBe(BASE);
      }
      const { vcpu } = await el2GicCore(`msr ${reg}, x2\n smc #0`, 1, 0n);
      const x = vcpu.run(100n);
      expect(x.kind === "sysreg" && x.key).toBe(key(3, 0, 12, 11, crmOp2));
    }
  });

  // GICv3 IHI 0069, ICH_HCR_EL2: TC traps EL1 accesses to the registers common
  // to both groups (CTLR, DIR, PMR, RPR, SGI0R/SGI1R/ASGI1R), TALL0 to Group 0's
  // (AP0Rn, BPR0, EOIR0, HPPIR0, IAR0, IGRPEN0), TALL1 to Group 1's (AP1Rn,
  // BPR1, EOIR1, HPPIR1, IAR1, IGRPEN1), whatever IMO/FMO say. The host
  // publishes the running vCPU's bits in ABI.ICH_TRAPS.
  it("ICH_HCR_EL2.TC / TALL0 / TALL1 (ABI.ICH_TRAPS) trap EL1's accesses to the common, Group 0 and Group 1 registers to EL2 with EC 0x18", async () => {
    const regs: [string, number, number, number][] = [ // name, CRn, CRm, op2
      ["icc_pmr_el1", 4, 6, 0], ["icc_ctlr_el1", 12, 12, 4], ["icc_dir_el1", 12, 11, 1], ["icc_rpr_el1", 12, 11, 3],
      ["icc_iar0_el1", 12, 8, 0], ["icc_bpr0_el1", 12, 8, 3], ["icc_ap0r0_el1", 12, 8, 4], ["icc_igrpen0_el1", 12, 12, 6],
      ["icc_iar1_el1", 12, 12, 0], ["icc_eoir1_el1", 12, 12, 1], ["icc_ap1r0_el1", 12, 9, 0], ["icc_igrpen1_el1", 12, 12, 7],
    ];
    const classOf = (n: string) => ["icc_pmr_el1", "icc_ctlr_el1", "icc_dir_el1", "icc_rpr_el1"].includes(n) ? ABI.ICH_HCR_TC
      : ["icc_iar0_el1", "icc_bpr0_el1", "icc_ap0r0_el1", "icc_igrpen0_el1"].includes(n) ? ABI.ICH_HCR_TALL0 : ABI.ICH_HCR_TALL1;
    for (const [name, crn, crm, op2] of regs) {
      const isWrite = ["icc_pmr_el1", "icc_dir_el1", "icc_eoir1_el1", "icc_ctlr_el1", "icc_igrpen0_el1", "icc_igrpen1_el1", "icc_bpr0_el1", "icc_ap0r0_el1", "icc_ap1r0_el1"].includes(name);
      const insn = isWrite ? `msr ${name}, x3` : `mrs x3, ${name}`;
      for (const bit of [ABI.ICH_HCR_TC, ABI.ICH_HCR_TALL0, ABI.ICH_HCR_TALL1]) {
        const { core, vcpu } = await el2GicCore(`${insn}\n smc #0`, 1, 0n);
        core.setU32(ABI.ICH_TRAPS, bit);
        const x = vcpu.run(100n);
        if (bit === classOf(name)) {
          expect(x, `${name} under ${bit.toString(16)}`).toMatchObject({ kind: "smc", imm: 0x108 });
          const esr = core.sysreg(ABI.SR_ESR_EL2);
          expect(esrEC(esr)).toBe(0x18);
          expect(esrISS(esr)).toBe((3 << 20) | (op2 << 17) | (crn << 10) | (3 << 5) | (crm << 1) | (isWrite ? 0 : 1));
          expect(core.sysreg(ABI.SR_ELR_EL2)).toBe(BASE);
        } else {
          expect(x.kind === "sysreg" && x.key, `${name} under ${bit.toString(16)}`).toBe(key(3, 0, crn, crm, op2));
        }
      }
    }
    // At EL2 they never trap.
    const { core, vcpu } = await el2GicCore("mrs x3, icc_iar1_el1\n smc #0", 2, 0n);
    core.setU32(ABI.ICH_TRAPS, ABI.ICH_HCR_TC | ABI.ICH_HCR_TALL0 | ABI.ICH_HCR_TALL1);
    expect(vcpu.run(100n)).toMatchObject({ kind: "sysreg" });
    core.setU32(ABI.ICH_TRAPS, 0);
  });
});
