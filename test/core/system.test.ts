// System instructions and exceptions: MRS/MSR of special-purpose, ID, timer and
// thread registers; PSTATE fields; exception generation (SVC, HVC, SMC, BRK,
// HLT); exception entry and return; illegal exception return; PC alignment;
// UNDEFINED encodings; self-modifying code.
import { describe, it, expect } from "vitest";
import {
  runSnippet, loadSnippet, step, runLoaded, hvcImm, takenEL1, ENTRY, STACK_TOP, ABI,
  VEC_CUR_SP0_SYNC, VEC_CUR_SPX_SYNC, VEC_LOWER_SYNC,
} from "../helpers/machine";
import { runIsolated } from "../helpers/isolated";

const EC_UNKNOWN = 0x00, EC_ILLEGAL = 0x0e, EC_SVC = 0x15, EC_HVC = 0x16, EC_SMC = 0x17, EC_SYSREG = 0x18;
const EC_PC_ALIGN = 0x22, EC_BRK = 0x3c, EC_WFX = 0x01;
// ESR_EL2 of an exit that stands for an exception to EL2 (EC, IL = 1, ISS),
// and the WFI/WFE ISS: CV = 1, COND = 0b1110, TI = 0 WFI / 1 WFE.
const esr2 = (ec: number, iss: number): bigint => (BigInt(ec) << 26n) | (1n << 25n) | BigInt(iss);
const ISS_WFI = (1 << 24) | (0xe << 20), ISS_WFE = ISS_WFI | 1;
const SPSR_IL = 1n << 20n;

describe("NZCV, DAIF and SPSel", () => {
  it("MSR/MRS NZCV: only bits 31..28 are stored; the flags drive conditions", async () => {
    const r = await runSnippet(`
      msr nzcv, x1
      mrs x2, nzcv
      cset x3, vs
      cset x4, hi              // C=1, Z=0?
      msr nzcv, xzr
      mrs x5, nzcv
      hvc #0
    `, { regs: { 1: 0xffff_ffff_ffff_ffffn } });
    expect(r.core.x(2)).toBe(0xf000_0000n);
    expect(r.core.x(3)).toBe(1n);
    expect(r.core.x(4)).toBe(0n); // Z set: HI false
    expect(r.core.x(5)).toBe(0n);
    expect(r.core.nzcv).toBe(0);
  });

  it("MRS/MSR DAIF and the DAIFSet/DAIFClr immediates", async () => {
    const r = await runSnippet(`
      mrs x0, daif              // reset: all masked
      msr daifclr, #0xf
      mrs x1, daif
      msr daifset, #0x5         // A and F
      mrs x2, daif
      msr daifclr, #0x4         // A
      mrs x3, daif
      msr daif, x10
      mrs x4, daif
      msr daifset, #0x8         // D
      mrs x5, daif
      hvc #0
    `, { regs: { 10: 0xffff_ffff_ffff_febfn } }); // writes D,I set (bits 9,7), A,F clear; other bits ignored
    const c = r.core;
    expect(c.x(0)).toBe(0x3c0n);
    expect(c.x(1)).toBe(0n);
    expect(c.x(2)).toBe(0x140n);
    expect(c.x(3)).toBe(0x040n);
    expect(c.x(4)).toBe(0x280n);
    expect(c.x(5)).toBe(0x280n);
    expect(c.daif).toBe(0x280);
  });

  it("SPSel banks SP_EL0 and SP_EL1", async () => {
    const r = await runSnippet(`
      mrs x9, spsel
      msr spsel, #0
      mov sp, x1               // writes SP_EL0
      mrs x8, spsel
      msr spsel, #1
      mrs x2, sp_el0
      mov x3, sp               // SP_EL1, unchanged
      msr sp_el0, x4
      msr spsel, #0
      mov x5, sp
      msr spsel, #1
      msr spsel, #0
      mov x6, sp
      msr spsel, #1
      mov x7, sp
      hvc #0
    `, { regs: { 1: 0x1111_0000n, 4: 0x2222_0000n } });
    const c = r.core;
    expect(c.x(9)).toBe(1n);
    expect(c.x(8)).toBe(0n);
    expect(c.x(2)).toBe(0x1111_0000n);
    expect(c.x(3)).toBe(STACK_TOP);
    expect(c.x(5)).toBe(0x2222_0000n);
    expect(c.x(6)).toBe(0x2222_0000n);
    expect(c.x(7)).toBe(STACK_TOP);
  });

  it("MRS SP_EL0 while SPSel = 0 is UNDEFINED, taken through the SP_EL0 vector", async () => {
    const r = await runSnippet(`
      msr spsel, #0
      mrs x0, sp_el0
      hvc #0
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SP0_SYNC);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(t.elr).toBe(ENTRY + 4n);
    expect(t.spsr & 0xfn).toBe(0x4n); // EL1t
  });
});

describe("CurrentEL and thread and timer registers", () => {
  it("CurrentEL reads EL1 at EL1", async () => {
    const r = await runSnippet(`
      mrs x0, currentel
      hvc #0
    `);
    expect(r.core.x(0)).toBe(1n << 2n);
  });

  it("CurrentEL reads EL2 at EL2 (highest EL 2)", async () => {
    const r = await runSnippet(`
      mrs x0, currentel
      smc #0
    `, { el: 2, highestEL: 2 });
    expect(r.exit.kind).toBe("smc");
    expect(r.core.x(0)).toBe(2n << 2n);
    expect(r.core.el).toBe(2);
  });

  it("CurrentEL reads EL3 at EL3 (highest EL 3)", async () => {
    const r = await runSnippet(`
      mrs x0, currentel
      hlt #0xf000
    `, { el: 3, highestEL: 3 });
    expect(r.exit).toMatchObject({ kind: "debug", imm: 0xf000, pc: ENTRY + 4n });
    expect(r.core.x(0)).toBe(3n << 2n);
  });

  it("TPIDR_EL0 is read/write at EL1 and EL0; TPIDRRO_EL0 is read-only at EL0", async () => {
    const r = await runSnippet(`
      msr tpidr_el0, x1
      mrs x2, tpidr_el0
      msr tpidrro_el0, x3
      msr tpidr_el1, x4
      mrs x5, tpidr_el1
      adr x6, 1f
      msr elr_el1, x6
      msr spsr_el1, xzr
      eret
    1:
      mrs x7, tpidr_el0         // EL0
      msr tpidr_el0, x8
      mrs x9, tpidrro_el0
      msr tpidrro_el0, x10      // UNDEFINED at EL0
      hvc #0
    `, { regs: { 1: 0x0123_4567_89ab_cdefn, 3: 0x5555n, 4: 0x7777n, 8: 0xaaaan } });
    const c = r.core;
    expect(c.x(2)).toBe(0x0123_4567_89ab_cdefn);
    expect(c.x(5)).toBe(0x7777n);
    expect(c.x(7)).toBe(0x0123_4567_89ab_cdefn);
    expect(c.x(9)).toBe(0x5555n);
    expect(c.sysreg(ABI.SR_TPIDR_EL0)).toBe(0xaaaan);
    const t = takenEL1(c, r.exit);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(c.sysreg(ABI.SR_TPIDRRO_EL0)).toBe(0x5555n);
  });

  it("CNTFRQ_EL0 reads 62.5 MHz", async () => {
    const r = await runSnippet(`
      mrs x0, cntfrq_el0
      hvc #0
    `);
    expect(r.core.x(0)).toBe(62_500_000n);
  });

  it("CNTVCT_EL0 and CNTPCT_EL0 advance by exactly the instructions retired between two reads", async () => {
    const r = await runSnippet(`
      mrs x0, cntvct_el0
      nop
      nop
      nop
      mrs x1, cntvct_el0       // 4 instructions after the first read
      b 1f                     // a taken branch and a block boundary in between
      nop
    1:
      add x5, x5, #1
      mrs x2, cntvct_el0       // 3 after the previous read
      msr tpidr_el0, x0        // a context-synchronising MSR ends the block
      mrs x3, cntpct_el0       // 2 after
      mov x6, #50
    2:
      subs x6, x6, #1
      b.ne 2b
      mrs x4, cntpct_el0       // 1 + 100 after
      hvc #0
    `);
    const c = r.core;
    expect(c.x(1) - c.x(0)).toBe(4n);
    expect(c.x(2) - c.x(1)).toBe(3n);
    expect(c.x(3) - c.x(2)).toBe(2n);
    expect(c.x(4) - c.x(3)).toBe(102n);
  });
});

describe("Identification registers", () => {
  for (const hi of [1, 2, 3] as const) {
    it(`ID_AA64PFR0_EL1 at highest EL ${hi}: EL0/EL1 AArch64, EL2/EL3 as implemented, FP/AdvSIMD not implemented`, async () => {
      const end = hi === 1 ? "hvc #0" : hi === 2 ? "smc #0" : "hlt #0xf000";
      const r = await runSnippet(`
        mrs x0, id_aa64pfr0_el1
        ${end}
      `, { el: 1, highestEL: hi });
      const v = r.core.x(0);
      const f = (lo: number) => Number((v >> BigInt(lo)) & 0xfn);
      expect(f(0)).toBe(1);               // EL0: AArch64 only
      expect(f(4)).toBe(1);               // EL1: AArch64 only
      expect(f(8)).toBe(hi >= 2 ? 1 : 0); // EL2
      expect(f(12)).toBe(hi >= 3 ? 1 : 0);// EL3
      expect(f(16)).toBe(0xf);            // FP
      expect(f(20)).toBe(0xf);            // AdvSIMD
    });
  }

  it("ID_AA64ISAR0_EL1 advertises CRC32 = 1 and Atomic = 2; MIDR_EL1 and MPIDR_EL1 are valid", async () => {
    const r = await runSnippet(`
      mrs x0, id_aa64isar0_el1
      mrs x1, midr_el1
      mrs x2, mpidr_el1
      mrs x3, id_aa64mmfr0_el1
      hvc #0
    `);
    const c = r.core;
    expect(Number((c.x(0) >> 16n) & 0xfn)).toBe(1);
    expect(Number((c.x(0) >> 20n) & 0xfn)).toBe(2);
    expect(c.x(1)).not.toBe(0n);
    expect(c.x(2)).not.toBe(0n);
    expect(c.x(2) >> 31n & 1n).toBe(1n); // RES1
    expect(c.x(1) >> 32n).toBe(0n);      // MIDR_EL1[63:32] RES0
  });
});

describe("UNDEFINED system register accesses", () => {
  it("an unallocated system register encoding (op0=3, op1=2, CRn=3) is UNDEFINED", async () => {
    const r = await runSnippet(`
      nop
      mrs x0, s3_2_c3_c0_0
      hvc #0
    `, { regs: { 0: 0x77n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(t.il).toBe(1);
    expect(t.iss).toBe(0);
    expect(t.elr).toBe(ENTRY + 4n);
    expect(r.core.x(0)).toBe(0x77n);
  });

  it("MSR to a read-only register (MIDR_EL1) is UNDEFINED", async () => {
    const r = await runSnippet(`
      msr s3_0_c0_c0_0, x0
      hvc #0
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(t.elr).toBe(ENTRY);
  });

  it("EL0 access to an EL1 register is UNDEFINED, taken to EL1 from a lower EL", async () => {
    for (const insn of ["mrs x0, sctlr_el1", "msr vbar_el1, x0", "mrs x0, currentel", "msr spsel, #1"]) {
      const r = await runSnippet(`
        nop
        ${insn}
        hvc #0
      `, { el: 0 });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_LOWER_SYNC);
      expect(t.ec, insn).toBe(EC_UNKNOWN);
      expect(t.elr, insn).toBe(ENTRY + 4n);
      expect(r.core.el).toBe(1);
    }
  });

  it("EL1 access to an EL2 register without EL2, and to SP_EL1, is UNDEFINED", async () => {
    for (const insn of ["mrs x0, hcr_el2", "msr vbar_el2, x0", "mrs x0, sp_el1", "msr sp_el1, x0"]) {
      const r = await runSnippet(`
        ${insn}
        hvc #0
      `);
      expect(takenEL1(r.core, r.exit).ec, insn).toBe(EC_UNKNOWN);
    }
  });

  it("CNTVCT_EL0 at EL0 traps (EC 0x18) unless CNTKCTL_EL1.EL0VCTEN", async () => {
    const r = await runSnippet(`
      mrs x0, cntvct_el0
      svc #0
    `, { el: 0 });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_SYSREG);
    expect(t.elr).toBe(ENTRY);
    // ISS: Op0=3, Op2=2, Op1=3, CRn=14, Rt=0, CRm=0, Direction=1 (read)
    expect(t.iss).toBe((3 << 20) | (2 << 17) | (3 << 14) | (14 << 10) | (0 << 5) | (0 << 1) | 1);
    const ok = await runSnippet(`
      mrs x0, cntvct_el0
      svc #0
    `, { el: 0, setup: (c) => c.setSysreg(ABI.SR_CNTKCTL_EL1, 2n) });
    expect(takenEL1(ok.core, ok.exit).ec).toBe(EC_SVC);
  });

  it("PSTATE.PAN: MSR PAN immediate, MRS PAN, and saved in SPSR bit 22", async () => {
    const r = await runSnippet(`
      msr pan, #1
      mrs x0, pan
      svc #0
    `);
    expect(r.core.x(0)).toBe(1n << 22n);
    expect(takenEL1(r.core, r.exit).spsr & (1n << 22n)).toBe(1n << 22n);
  });

  it("DAIF at EL0 traps to EL1 with EC 0x18 unless SCTLR_EL1.UMA", async () => {
    const r = await runSnippet(`
      msr daifset, #2
      hvc #0
    `, { el: 0 });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(t.ec).toBe(EC_SYSREG);
    expect(t.elr).toBe(ENTRY);
    const ok = await runSnippet(`
      msr daifclr, #2
      mrs x0, daif
      svc #0
    `, { el: 0, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | (1n << 9n)) });
    expect(takenEL1(ok.core, ok.exit).ec).toBe(EC_SVC);
    expect(ok.core.x(0)).toBe(0x340n);
  });
});

describe("Exception generation", () => {
  it("SVC: EC 0x15 with imm16, ELR = next instruction, SPSR = the old PSTATE, PSTATE masked at EL1h", async () => {
    const r = await runSnippet(`
      msr daifclr, #0xf
      msr nzcv, x1
      nop
      svc #0x1234
      hvc #0xbad
    `, { regs: { 1: 0xa000_0000n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_SVC);
    expect(t.il).toBe(1);
    expect(t.iss).toBe(0x1234);
    expect(t.elr).toBe(ENTRY + 16n);
    expect(t.spsr).toBe(0xa000_0000n | 0x5n); // NZCV, DAIF clear, EL1h
    expect(r.core.daif).toBe(0x3c0);
    expect(r.core.el).toBe(1);
  });

  it("SVC from EL1 with SPSel = 0 uses the SP_EL0 vector and saves EL1t", async () => {
    const r = await runSnippet(`
      msr spsel, #0
      svc #1
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SP0_SYNC);
    expect(t.spsr & 0xfn).toBe(0x4n);
    expect(t.spsr & 0x3c0n).toBe(0x3c0n);
  });

  it("BRK: EC 0x3C with imm16, ELR = the BRK itself", async () => {
    const r = await runSnippet(`
      nop
      brk #0x42
      hvc #0xbad
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_BRK);
    expect(t.iss).toBe(0x42);
    expect(t.elr).toBe(ENTRY + 4n);
  });

  it("HVC at EL1 with the host owning EL2 exits with its immediate and ESR_EL2 (EC 0x16, ISS imm16); run() resumes after it", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #1
      hvc #0x5a5a
      mov x0, #2
      hvc #1
    `);
    let e = step(core, vcpu, 100n);
    expect(e).toEqual({ kind: "hvc", imm: 0x5a5a, pc: ENTRY + 4n, esr: esr2(EC_HVC, 0x5a5a) });
    expect(core.x(0)).toBe(1n);
    expect(core.pc).toBe(ENTRY + 8n);
    e = step(core, vcpu, 100n);
    expect(e).toEqual({ kind: "hvc", imm: 1, pc: ENTRY + 12n, esr: esr2(EC_HVC, 1) });
    expect(core.x(0)).toBe(2n);
  });

  it("SMC at EL1 with the host owning EL3 exits as \"smc\" with its immediate and its syndrome (EC 0x17, ISS imm16)", async () => {
    const r = await runSnippet(`
      nop
      smc #0x77
    `);
    expect(r.exit).toEqual({ kind: "smc", imm: 0x77, pc: ENTRY + 4n, esr: esr2(EC_SMC, 0x77) });
  });

  it("HVC, SMC and ERET at EL0 are UNDEFINED", async () => {
    for (const insn of ["hvc #1", "smc #1", "eret"]) {
      const r = await runSnippet(`
        ${insn}
        svc #0
      `, { el: 0 });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, insn).toBe(VEC_LOWER_SYNC);
      expect(t.ec, insn).toBe(EC_UNKNOWN);
      expect(t.elr, insn).toBe(ENTRY);
    }
  });

  it("HLT #0xF000 is the semihosting call; any other HLT is UNDEFINED", async () => {
    const r = await runSnippet(`
      hlt #0xf000
    `);
    expect(r.exit).toEqual({ kind: "debug", imm: 0xf000, pc: ENTRY });
    const u = await runSnippet(`
      hlt #1
    `);
    expect(takenEL1(u.core, u.exit).ec).toBe(EC_UNKNOWN);
  });

  it("SEVL sets the event register: the first WFE consumes it, the second leaves run() as \"wfe\"", async () => {
    const r = await runSnippet(`
      sevl
      wfe
      add x0, x0, #1
      wfe
      hvc #0
    `);
    expect(r.exit).toEqual({ kind: "wfe", pc: ENTRY + 12n, esr: esr2(EC_WFX, ISS_WFE) });
    expect(r.core.x(0)).toBe(1n);
  });

  it("NOP, YIELD, barriers and unallocated hints execute as NOPs", async () => {
    const r = await runSnippet(`
      nop
      yield
      hint #0x7f
      hint #8
      hint #34
      dsb sy
      dmb ishld
      isb
      .inst 0xd503309f        // DSB with CRm = 0 (SSBB)
      add x0, x0, #1
      hvc #0
    `);
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(1n);
    expect(r.insns).toBe(11n);
  });

  it("WFI at EL1 leaves run() as a \"wfi\" exit with the ESR_EL2 of an HCR_EL2.TWI trap (EC 0x01, CV, COND 0b1110, TI 0)", async () => {
    const r = await runSnippet(`
      nop
      wfi
      hvc #0
    `);
    expect(r.exit).toEqual({ kind: "wfi", pc: ENTRY + 4n, esr: esr2(EC_WFX, ISS_WFI) });
  });

  it("HVC at EL2 (highest EL 2) is taken to EL2 with EC 0x16; ERET to EL1 and HVC from EL1 come back", async () => {
    const r = await runSnippet(`
      hvc #0x21                 // EL2 -> EL2, vector +0x200 (smc #0x104)
    `, { el: 2, highestEL: 2 });
    expect(r.exit).toMatchObject({ kind: "smc", imm: VEC_CUR_SPX_SYNC });
    const esr = r.core.sysreg(ABI.SR_ESR_EL2);
    expect(Number(esr >> 26n)).toBe(EC_HVC);
    expect(Number(esr & 0xffffn)).toBe(0x21);
    expect(r.core.sysreg(ABI.SR_ELR_EL2)).toBe(ENTRY + 4n);

    const r2 = await runSnippet(`
      adr x0, 1f
      msr elr_el2, x0
      mov x1, #5                // EL1h
      msr spsr_el2, x1
      eret
    1:
      mrs x2, currentel
      hvc #0x33                 // EL1 -> EL2, lower-EL vector +0x400 (smc #0x108)
    `, { el: 2, highestEL: 2 });
    expect(r2.exit).toMatchObject({ kind: "smc", imm: VEC_LOWER_SYNC });
    expect(r2.core.x(2)).toBe(4n);
    const esr2 = r2.core.sysreg(ABI.SR_ESR_EL2);
    expect(Number(esr2 >> 26n)).toBe(EC_HVC);
    expect(Number(esr2 & 0xffffn)).toBe(0x33);
    expect(r2.core.sysreg(ABI.SR_SPSR_EL2) & 0xfn).toBe(5n);
  });
});

describe("Reset", () => {
  it("reset into EL0 runs with SP_EL0 selected: an exception saves SPSR_EL1.M = EL0t (0b0000)", async () => {
    // At EL0 the only stack pointer is SP_EL0 and the only AArch64 mode is EL0t;
    // M = 0b0001 is not a valid mode (an ERET to it is an illegal return).
    const r = await runSnippet(`
      mov x1, sp
      svc #0
    `, { el: 0, sp: 0x4030_0000n });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(r.core.x(1)).toBe(0x4030_0000n);
    expect(t.spsr & 0x1fn).toBe(0n);
  });

  it("reset into EL0, SVC, and the handler's ERET returns to EL0", async () => {
    const { core, vcpu } = await loadSnippet(`
      svc #0            // ENTRY
      mov x1, #1        // ENTRY + 4: the preferred return
      svc #1
    handler:
      eret              // ENTRY + 12
    `, { el: 0 });
    let e = runLoaded(core, vcpu).exit;
    expect(e).toMatchObject({ kind: "hvc", imm: VEC_LOWER_SYNC });
    core.pc = ENTRY + 12n; // the "handler" returns with ERET using the saved SPSR_EL1/ELR_EL1
    e = runLoaded(core, vcpu).exit;
    const t = takenEL1(core, e);
    expect(t.ec).toBe(EC_SVC);   // not EC 0x0E (Illegal State)
    expect(t.iss).toBe(1);
    expect(core.x(1)).toBe(1n);
  });

  it("reset state: EL as requested, DAIF all masked, SP_ELx selected (EL1h)", async () => {
    const r = await runSnippet(`
      mrs x0, daif
      mrs x1, spsel
      mrs x2, currentel
      hvc #0
    `);
    expect(r.core.x(0)).toBe(0x3c0n);
    expect(r.core.x(1)).toBe(1n);
    expect(r.core.x(2)).toBe(4n);
  });
});

describe("Vector base address", () => {
  it("VBAR_EL1[10:0] are RES0: the vector is VBAR_EL1[63:11]:offset", async () => {
    // AArch64.TakeException branches to VBAR[]<63:11>:vect_offset<10:0>.
    const r = await runSnippet(`
      mrs x0, vbar_el1
      orr x1, x0, #0x400
      msr vbar_el1, x1
      svc #3
      hvc #0xbad
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_SVC);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC); // VBAR + 0x200, not VBAR + 0x400 + 0x200
  });
});

describe("run() returns within its budget", () => {
  // A guest stuck taking the same synchronous exception over and over (a vector
  // that itself faults) retires nothing; run(budget) must still return. These
  // run in a worker so that a core that never returns fails the test instead
  // of hanging the test process.
  for (const [what, vectorCode] of [
    ["an UNDEFINED instruction at the vector", ".inst 0x00000000"],
    ["an unaligned LDXR at the vector", "ldxr x0, [x1]"],
  ] as const) {
    it(`${what}: a synchronous exception loop still ends run()`, async () => {
      const r = await runIsolated(`
        adr x0, vec
        msr vbar_el1, x0
        ldr x1, =0x40100001       // unaligned for the LDXR variant
        .inst 0x00000000
        .ltorg
        .balign 2048
      vec:
        .rept 16
        ${vectorCode}
        .balign 128
        .endr
      `, { budget: 10_000n, timeoutMs: 3000 });
      expect(r.timedOut, "run(10000) did not return within 3 s").toBe(false);
      expect(r.reason).toBe(ABI.EXIT_BUDGET);
    });
  }

  it("an instruction-fetch fault loop ends run()", async () => {
    const r = await runIsolated(`
      mov x0, #1
      lsl x0, x0, #48
      msr vbar_el1, x0          // every vector is outside the PA space
      br x0
    `, { budget: 10_000n, timeoutMs: 3000 });
    expect(r.timedOut).toBe(false);
    expect(r.reason).toBe(ABI.EXIT_BUDGET);
  });
});

describe("Exceptions with EL3 implemented", () => {
  it("SMC at EL1 (highest EL 3, SCR_EL3.SMD = 0) is taken to EL3 with EC 0x17 and ELR = next instruction", async () => {
    const r = await runSnippet(`
      adr x0, 1f
      msr elr_el3, x0
      mov x1, #5               // EL1h
      msr spsr_el3, x1
      eret
    1:
      smc #0x66
    `, { el: 3, highestEL: 3 });
    expect(r.exit).toMatchObject({ kind: "debug" });
    expect(r.core.x(28)).toBe(BigInt(VEC_LOWER_SYNC));
    const esr = r.core.sysreg(ABI.SR_ESR_EL3);
    expect(Number(esr >> 26n)).toBe(EC_SMC);
    expect(Number(esr & 0xffffn)).toBe(0x66);
    expect(r.core.sysreg(ABI.SR_ELR_EL3)).toBe(ENTRY + 24n);
    expect(r.core.el).toBe(3);
  });

  it("SCR_EL3 keeps only the fields this core implements (EEL2 and the other RES0 bits read 0; RW reads 1)", async () => {
    const r = await runSnippet("mov x1, #-1\n  msr scr_el3, x1\n  mrs x0, scr_el3\n  msr scr_el3, xzr\n  mrs x2, scr_el3\n  hlt #0xf000", { el: 3, highestEL: 3 });
    // NS IRQ FIQ EA, 5:4, SMD HCE SIF RW ST TWI TWE TLOR TERR; not bit 6 nor 18 (EEL2) and up.
    expect(r.core.x(0).toString(16)).toBe((0xffbf).toString(16));
    expect(r.core.x(2)).toBe(1n << 10n);
  });
});

describe("Exception return", () => {
  it("ERET to EL0 restores PSTATE from SPSR_EL1 and uses SP_EL0; SVC comes back to EL1", async () => {
    const r = await runSnippet(`
      adr x0, el0
      msr elr_el1, x0
      msr spsr_el1, x1          // EL0t with NZCV = 0b1011 and DAIF clear
      msr sp_el0, x2
      eret
      hvc #0xbad
    el0:
      mrs x3, nzcv
      mov x4, sp
      mrs x5, daif              // allowed at EL0: SCTLR_EL1.UMA = 1
      svc #9
    `, { regs: { 1: 0xb000_0000n, 2: 0x4030_0000n }, setup: (c) => c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | (1n << 9n)) });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(t.ec).toBe(EC_SVC);
    expect(t.iss).toBe(9);
    expect(t.elr).toBe(ENTRY + 40n);
    expect(t.spsr).toBe(0xb000_0000n); // EL0t, DAIF clear, NZCV as set
    const c = r.core;
    expect(c.x(3)).toBe(0xb000_0000n);
    expect(c.x(4)).toBe(0x4030_0000n);
    expect(c.x(5)).toBe(0n);
    expect(c.el).toBe(1);
    expect(c.sp).toBe(STACK_TOP);
  });

  it("an illegal exception return (SPSR.M = EL2h from EL1 without EL2) sets PSTATE.IL; the next instruction takes EC 0x0E", async () => {
    const r = await runSnippet(`
      adr x0, target
      msr elr_el1, x0
      msr spsr_el1, x1
      eret
      hvc #0xbad
    target:
      add x5, x5, #1           // must not execute
      hvc #0xbad
    `, { regs: { 1: 0x8000_0000n | 0x9n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_ILLEGAL);
    expect(t.il).toBe(1);
    expect(t.iss).toBe(0);
    expect(t.elr).toBe(ENTRY + 20n);
    // The SPSR taken holds PSTATE.IL = 1, the restored NZCV and DAIF, and the unchanged EL1h.
    expect(t.spsr & SPSR_IL).toBe(SPSR_IL);
    expect(t.spsr & 0x1fn).toBe(0x5n);
    expect(t.spsr >> 28n).toBe(0x8n);
    expect(t.spsr & 0x3c0n).toBe(0n);
    expect(r.core.x(5)).toBe(0n);
  });

  for (const [what, m] of [["EL0 with SP_ELx (M = 0b0001)", 0x1n], ["AArch32 (M[4] = 1)", 0x10n], ["a reserved M (0b0010)", 0x2n]] as const) {
    it(`ERET to ${what} is an illegal exception return`, async () => {
      const r = await runSnippet(`
        adr x0, 1f
        msr elr_el1, x0
        msr spsr_el1, x1
        eret
      1:
        hvc #0xbad
      `, { regs: { 1: m } });
      const t = takenEL1(r.core, r.exit);
      expect(t.ec).toBe(EC_ILLEGAL);
      expect(t.elr).toBe(ENTRY + 16n);
      expect(r.core.el).toBe(1);
    });
  }

  it("ERET from EL1h to EL1t selects SP_EL0 and restores DAIF", async () => {
    const r = await runSnippet(`
      msr sp_el0, x2
      adr x0, 1f
      msr elr_el1, x0
      msr spsr_el1, x1
      eret
      hvc #0xbad
    1:
      mov x3, sp
      mrs x4, spsel
      mrs x5, daif
      hvc #0
    `, { regs: { 1: 0x4n | 0x100n, 2: 0x4033_0000n } });
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(3)).toBe(0x4033_0000n);
    expect(r.core.x(4)).toBe(0n);
    expect(r.core.x(5)).toBe(0x100n);
  });

  it("ERET to EL1 from EL1 with SPSR.IL = 1 also takes the Illegal State exception", async () => {
    const r = await runSnippet(`
      adr x0, 1f
      msr elr_el1, x0
      msr spsr_el1, x1
      eret
    1:
      hvc #0xbad
    `, { regs: { 1: SPSR_IL | 0x5n } });
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_ILLEGAL);
    expect(t.elr).toBe(ENTRY + 16n);
  });
});

describe("PC alignment", () => {
  for (const [insn, reg] of [["br", "x0"], ["blr", "x0"], ["ret", "x0"]] as const) {
    it(`${insn.toUpperCase()} to an address with bit 1 set takes a PC alignment fault (EC 0x22, FAR, ELR)`, async () => {
      const r = await runSnippet(`
        adr x0, 1f
        add x0, x0, #2
        ${insn} ${reg}
      1:
        hvc #0xbad
      `);
      const t = takenEL1(r.core, r.exit);
      expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec).toBe(EC_PC_ALIGN);
      expect(t.il).toBe(1);
      expect(t.far).toBe(ENTRY + 14n);
      expect(t.elr).toBe(ENTRY + 14n);
      if (insn === "blr") expect(r.core.x(30)).toBe(ENTRY + 12n);
    });
  }

  it("BR to an address with bit 0 set faults the same way", async () => {
    const r = await runSnippet(`
      adr x0, 1f
      orr x0, x0, #1
      br x0
    1:
      hvc #0xbad
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_PC_ALIGN);
    expect(t.far).toBe(ENTRY + 13n);
  });
});

describe("UNDEFINED encodings", () => {
  it("0x00000000 (UDF #0) is UNDEFINED: EC 0x00, IL = 1, ELR = its address", async () => {
    const r = await runSnippet(`
      nop
      nop
      .inst 0x00000000
      hvc #0xbad
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(t.il).toBe(1);
    expect(t.iss).toBe(0);
    expect(t.elr).toBe(ENTRY + 8n);
    expect(r.insns).toBe(3n); // two NOPs and the vector's HVC
  });

  it("an UNDEFINED instruction at EL0 is taken to EL1 through the lower-EL vector", async () => {
    const r = await runSnippet(`
      udf #0x1234
    `, { el: 0 });
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_LOWER_SYNC);
    expect(t.ec).toBe(EC_UNKNOWN);
    expect(t.elr).toBe(ENTRY);
  });

  it("FP/SIMD instructions are UNDEFINED (FP not implemented)", async () => {
    const r = await runSnippet(`
      .inst 0x1e202000          // fcmp s0, s0
      hvc #0xbad
    `);
    expect(takenEL1(r.core, r.exit).ec).toBe(EC_UNKNOWN);
  });
});

describe("Self-modifying code", () => {
  it("a store over an already executed instruction, then the cache-maintenance sequence: the new one runs", async () => {
    const r = await runSnippet(`
      adr x1, patch
      ldr w2, newinsn
      mov x3, #0
      mov x0, #0
    loop:
    patch:
      add x0, x0, #1            // replaced by add x0, x0, #100 after the first pass
      add x3, x3, #1
      cmp x3, #2
      b.eq done
      str w2, [x1]
      dc cvau, x1
      dsb ish
      ic ivau, x1
      dsb ish
      isb
      b loop
    done:
      hvc #0
    newinsn:
      add x0, x0, #100
    `);
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe(101n);
  });

  it("patching the next instruction of the same straight-line block", async () => {
    const r = await runSnippet(`
      adr x1, next
      ldr w2, newinsn
      mov x0, #0
      str w2, [x1]
      dc cvau, x1
      dsb ish
      ic ivau, x1
      dsb ish
      isb
    next:
      add x0, x0, #1            // replaced by add x0, x0, #100
      hvc #0
    newinsn:
      add x0, x0, #100
    `);
    expect(r.core.x(0)).toBe(100n);
  });

  it("IC IALLU after patching a loop body in another page", async () => {
    const r = await runSnippet(`
      adr x1, far
      ldr w2, newinsn
      mov x0, #0
      bl far
      str w2, [x1]
      dsb ish
      ic iallu
      dsb ish
      isb
      bl far
      hvc #0
    newinsn:
      add x0, x0, #0x10
      .balign 4096
    far:
      add x0, x0, #1
      ret
    `);
    expect(r.core.x(0)).toBe(0x11n);
  });

  it("the host writing guest RAM between runs replaces code it had already executed", async () => {
    const { core, vcpu } = await loadSnippet(`
      mov x0, #1
      hvc #0
      b 0b
    `.replace("0b", "."));
    // Run once, then overwrite the first instruction and run from the start again.
    let e = step(core, vcpu, 100n);
    expect(hvcImm(e)).toBe(0);
    expect(core.x(0)).toBe(1n);
    core.writeRam(ENTRY, new Uint8Array([0x40, 0x05, 0x80, 0xd2])); // movz x0, #42
    core.pc = ENTRY;
    e = runLoaded(core, vcpu).exit;
    expect(hvcImm(e)).toBe(0);
    expect(core.x(0)).toBe(42n);
  });
});

describe("Interrupts", () => {
  it("a pending IRQ is taken at the IRQ vector once unmasked; ELR is the first instruction not executed", async () => {
    const { core, vcpu } = await loadSnippet(`
      add x1, x1, #1
      add x1, x1, #1
      msr daifclr, #2
      add x1, x1, #1
      add x1, x1, #1
      add x1, x1, #1
      hvc #0
    `);
    core.setLine(ABI.LINE_IRQ, true);
    const e = runLoaded(core, vcpu).exit;
    core.setLine(ABI.LINE_IRQ, false);
    expect(e).toMatchObject({ kind: "hvc", imm: 0x105 }); // current EL with SP_ELx, IRQ (+0x280)
    const elr = core.sysreg(ABI.SR_ELR_EL1);
    expect(elr >= ENTRY + 12n && elr <= ENTRY + 24n).toBe(true);
    // Instructions before ELR executed, none after it.
    const executedAdds = 2n + (elr - (ENTRY + 12n)) / 4n;
    expect(core.x(1)).toBe(executedAdds);
    const spsr = core.sysreg(ABI.SR_SPSR_EL1);
    expect(spsr & 0x80n).toBe(0n);   // I was clear
    expect(spsr & 0x1fn).toBe(0x5n);
    expect(core.daif).toBe(0x3c0);
  });

  // The device has performed the access when the host answers the MMIO
  // exit: the instruction completes, then the interrupt the access raised
  // is taken (Xen's PL011 driver unmasks the TX interrupt with such a store;
  // taking the IRQ first made the store run again after the handler, forever).
  for (const [what, insn] of [["store", "str w1, [x2, #0x38]"], ["load", "ldr w1, [x2, #0x38]"]] as const) {
    it(`an MMIO ${what} that raises the IRQ line completes before the IRQ is taken, and reaches the device once`, async () => {
      const { core, vcpu } = await loadSnippet(`
        msr daifclr, #2
        ldr x2, =0x09000000
        mov x1, #7
        ${insn}
        add x3, x3, #1
        hvc #0
        .ltorg
      `);
      let e = step(core, vcpu, 1000n);
      expect(e).toMatchObject({ kind: "mmio", addr: 0x0900_0038n, isWrite: what === "store" });
      const pc = e.kind === "mmio" ? e.pc : 0n;
      if (what === "store") vcpu.completeMmioWrite(); else vcpu.completeMmioRead(0x55n);
      core.setLine(ABI.LINE_IRQ, true);
      e = step(core, vcpu, 1000n);
      core.setLine(ABI.LINE_IRQ, false);
      expect(e).toMatchObject({ kind: "hvc", imm: 0x105 }); // the IRQ, not a second MMIO exit
      expect(core.sysreg(ABI.SR_ELR_EL1)).toBe(pc + 4n);
      expect(core.x(1)).toBe(what === "store" ? 7n : 0x55n);
      expect(core.x(3)).toBe(0n);
    });
  }

  // Arm ARM, "Asynchronous exception masking": an interrupt targeting EL1 is
  // masked by PSTATE at EL0 as at EL1 (only a higher target than EL1 ignores
  // the lower EL's mask); EL0 can hold I set with SCTLR_EL1.UMA.
  it("an IRQ targeting EL1 is masked by PSTATE.I at EL0; unmasked, it is taken from EL0", async () => {
    for (const masked of [true, false]) {
      const { core, vcpu } = await loadSnippet(`
        ${masked ? "" : "msr daifclr, #2"}
        nop
        nop
        svc #0
      `, { el: 0, setup: (c) => { c.setSysreg(ABI.SR_SCTLR_EL1, c.sysreg(ABI.SR_SCTLR_EL1) | (1n << 9n)); } });
      expect(core.daif & 0x80).toBe(0x80); // reset enters EL0 with DAIF masked
      core.setLine(ABI.LINE_IRQ, true);
      const e = runLoaded(core, vcpu).exit;
      core.setLine(ABI.LINE_IRQ, false);
      // 0x108: lower EL synchronous (the SVC); 0x109: lower EL IRQ (+0x480).
      expect(e, masked ? "masked" : "unmasked").toMatchObject({ kind: "hvc", imm: masked ? 0x108 : 0x109 });
    }
  });

  it("a masked IRQ is not taken", async () => {
    const { core, vcpu } = await loadSnippet(`
      nop
      nop
      hvc #0
    `);
    core.setLine(ABI.LINE_IRQ, true);
    const e = runLoaded(core, vcpu).exit;
    core.setLine(ABI.LINE_IRQ, false);
    expect(e).toMatchObject({ kind: "hvc", imm: 0 });
  });
});
