// Virtual interrupts (Arm ARM D1.3.6 and the pseudocode
// AArch64.PendingUnmaskedVirtualInterrupts / AArch64.TakeVirtualIRQException /
// TakeVirtualFIQException / TakeVirtualSErrorException), with the core's
// highest EL 2 (the guest owns EL2): HCR_EL2.VI / VF / VSE and the host's
// LINE_VIRQ / LINE_VFIQ are pending only at EL1/EL0 with HCR_EL2.TGE = 0 and
// the class routed to EL2 (IMO / FMO / AMO), masked by PSTATE.I / F / A, and
// taken to EL1 at VBAR_EL1 + the IRQ/FIQ/SError offset; physical interrupts
// routed by IMO go to EL2 instead.
//
// Every vector exits with `smc #0x100 + (offset >> 7)` (test/helpers/machine.ts);
// the EL at that exit is the EL that took the exception.
import { describe, it, expect } from "vitest";
import { ABI, loadSnippet, runLoaded, ENTRY, esrEC, esrIL, esrISS, type VcpuExit } from "../helpers/machine";

const HCR_RW = 1n << 31n, HCR_TGE = 1n << 27n, HCR_VSE = 1n << 8n, HCR_VI = 1n << 7n, HCR_VF = 1n << 6n;
const HCR_AMO = 1n << 5n, HCR_IMO = 1n << 4n, HCR_FMO = 1n << 3n;
// Vector immediates: current EL with SP_ELx (0x200 + ...), lower EL AArch64 (0x400 + ...).
const CUR_IRQ = 0x105, CUR_FIQ = 0x106, CUR_SERROR = 0x107, LOWER_SYNC = 0x108, LOWER_IRQ = 0x109;
const ESR_SENTINEL = 0x5a5a_5a5an;

function smcImm(exit: VcpuExit): number {
  if (exit.kind !== "smc") throw new Error(`expected an smc exit, got ${exit.kind}`);
  return exit.imm;
}

// Run `body` at `el` with HCR_EL2 = hcr (and the given host lines) until its
// first smc; ESR_EL1 starts as a sentinel so a syndrome written is visible.
async function run(body: string, opts: { el?: 0 | 1 | 2; hcr: bigint; lines?: number; daif?: number }) {
  const { core, vcpu } = await loadSnippet(body, {
    el: opts.el ?? 1, highestEL: 2,
    setup: (c) => { c.setSysreg(ABI.SR_HCR_EL2, HCR_RW | opts.hcr); c.setSysreg(ABI.SR_ESR_EL1, ESR_SENTINEL);
      if (opts.daif !== undefined) c.setU32(ABI.PSTATE_DAIF, opts.daif);
    },
  });
  core.setU32(ABI.CONTROL_LINES, opts.lines ?? 0);
  try {
    const r = runLoaded(core, vcpu);
    return { core, exit: r.exit, el: core.el };
  } finally {
    core.setU32(ABI.CONTROL_LINES, 0);
  }
}

// Unmask I, F and A, then a few instructions and the end marker.
const UNMASKED = `
  msr daifclr, #0x7
  add x1, x1, #1
  add x1, x1, #1
  smc #0
`;

describe("HCR_EL2.VI / VF / VSE", () => {
  it("VI with IMO: a virtual IRQ is taken at EL1's IRQ vector once PSTATE.I is clear; ELR_EL1 is the next instruction, ESR_EL1 is not written", async () => {
    const r = await run(UNMASKED, { hcr: HCR_VI | HCR_IMO });
    expect(smcImm(r.exit)).toBe(CUR_IRQ);
    expect(r.el).toBe(1);
    expect(r.core.sysreg(ABI.SR_ELR_EL1)).toBe(ENTRY + 4n);  // right after the MSR that unmasked it
    expect(r.core.x(1)).toBe(0n);
    expect(r.core.sysreg(ABI.SR_SPSR_EL1) & 0x3c0n).toBe(0x200n); // taken with A, I, F clear (D still set)
    expect(r.core.sysreg(ABI.SR_SPSR_EL1) & 0xfn).toBe(5n);   // from EL1h
    expect(r.core.sysreg(ABI.SR_ESR_EL1)).toBe(ESR_SENTINEL);
    expect(r.core.daif).toBe(0x3c0);
    // Taking it does not clear HCR_EL2.VI: the hypervisor owns that bit.
    expect(r.core.sysreg(ABI.SR_HCR_EL2) & HCR_VI).toBe(HCR_VI);
  });

  it("VI without IMO is not pending: execution reaches the end", async () => {
    const r = await run(UNMASKED, { hcr: HCR_VI });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(2n);
  });

  it("VI with IMO stays pending while PSTATE.I masks it, and is taken where I is cleared", async () => {
    const r = await run(`
      msr daifclr, #0x1     // F only
      add x1, x1, #1
      add x1, x1, #1
      msr daifclr, #0x2     // now I
      add x1, x1, #1
      smc #0
    `, { hcr: HCR_VI | HCR_IMO });
    expect(smcImm(r.exit)).toBe(CUR_IRQ);
    expect(r.core.x(1)).toBe(2n);
    expect(r.core.sysreg(ABI.SR_ELR_EL1)).toBe(ENTRY + 16n);
  });

  it("VF with FMO: a virtual FIQ at EL1's FIQ vector; with VI too, the FIQ is taken first", async () => {
    const a = await run(UNMASKED, { hcr: HCR_VF | HCR_FMO });
    expect(smcImm(a.exit)).toBe(CUR_FIQ);
    expect(a.el).toBe(1);
    const b = await run(UNMASKED, { hcr: HCR_VF | HCR_FMO | HCR_VI | HCR_IMO });
    expect(smcImm(b.exit)).toBe(CUR_FIQ);
  });

  it("VF is masked by PSTATE.F, not by I", async () => {
    const r = await run(`
      msr daifclr, #0x2     // I only
      add x1, x1, #1
      smc #0
    `, { hcr: HCR_VF | HCR_FMO });
    expect(smcImm(r.exit)).toBe(0);
  });

  it("VSE with AMO: a virtual SError at EL1's SError vector, ESR_EL1 = EC 0x2F, IL 1, ISS = VSESR_EL2 (0 here), and HCR_EL2.VSE is cleared", async () => {
    const r = await run(UNMASKED, { hcr: HCR_VSE | HCR_AMO });
    expect(smcImm(r.exit)).toBe(CUR_SERROR);
    expect(r.el).toBe(1);
    const esr = r.core.sysreg(ABI.SR_ESR_EL1);
    expect(esrEC(esr)).toBe(0x2f);
    expect(esrIL(esr)).toBe(1);
    expect(esrISS(esr)).toBe(0);
    expect(r.core.sysreg(ABI.SR_HCR_EL2) & HCR_VSE).toBe(0n);
    expect(r.core.sysreg(ABI.SR_HCR_EL2) & HCR_AMO).toBe(HCR_AMO);
  });

  it("are never taken at EL2, even unmasked", async () => {
    const r = await run(UNMASKED, { el: 2, hcr: HCR_VI | HCR_IMO | HCR_VF | HCR_FMO | HCR_VSE | HCR_AMO });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.el).toBe(2);
    expect(r.core.x(1)).toBe(2n);
  });

  it("are not pending with HCR_EL2.TGE = 1 (EL0 runs; its SVC goes to EL2)", async () => {
    const r = await run(`
      add x1, x1, #1
      svc #0
    `, { el: 0, hcr: HCR_TGE | HCR_VI | HCR_IMO });
    expect(smcImm(r.exit)).toBe(LOWER_SYNC);
    expect(r.el).toBe(2);
    expect(esrEC(r.core.sysreg(ABI.SR_ESR_EL2))).toBe(0x15);
    expect(r.core.x(1)).toBe(1n);
  });

  it("a virtual IRQ interrupts EL0 too, to EL1's lower-EL IRQ vector", async () => {
    const r = await run(`
      add x1, x1, #1
      smc #0
    `, { el: 0, hcr: HCR_VI | HCR_IMO, daif: 0 });
    expect(smcImm(r.exit)).toBe(LOWER_IRQ);
    expect(r.el).toBe(1);
    expect(r.core.sysreg(ABI.SR_ELR_EL1)).toBe(ENTRY);
    expect(r.core.sysreg(ABI.SR_SPSR_EL1) & 0xfn).toBe(0n); // from EL0t
  });

  it("set by an MSR at EL2 and taken right after ERET to EL1", async () => {
    const r = await run(`
      adr x0, 1f
      msr elr_el2, x0
      mov x0, #0x5          // EL1h, DAIF clear
      msr spsr_el2, x0
      mrs x0, hcr_el2
      orr x0, x0, #0x80     // VI
      orr x0, x0, #0x10     // IMO
      msr hcr_el2, x0
      add x2, x2, #1        // still at EL2: not taken
      eret
    1:
      add x1, x1, #1
      smc #0
    `, { el: 2, hcr: 0n });
    expect(smcImm(r.exit)).toBe(CUR_IRQ);
    expect(r.el).toBe(1);
    expect(r.core.x(2)).toBe(1n);
    expect(r.core.x(1)).toBe(0n);
    expect(r.core.sysreg(ABI.SR_ELR_EL1)).toBe(ENTRY + 40n);
  });

  it("WFI at EL1 completes at once while a virtual interrupt is pending, even masked; without one it leaves run() to idle", async () => {
    const pending = await run(`
      wfi
      add x1, x1, #1
      smc #0
    `, { hcr: HCR_VI | HCR_IMO });
    expect(smcImm(pending.exit)).toBe(0);
    expect(pending.core.x(1)).toBe(1n);
    const none = await run(`
      wfi
      add x1, x1, #1
      smc #0
    `, { hcr: HCR_IMO });
    expect(none.exit.kind).toBe("wfi");
  });
});

describe("LINE_VIRQ / LINE_VFIQ (the host's GIC virtual CPU interface)", () => {
  it("LINE_VIRQ with IMO is a virtual IRQ at EL1", async () => {
    const r = await run(UNMASKED, { hcr: HCR_IMO, lines: ABI.LINE_VIRQ });
    expect(smcImm(r.exit)).toBe(CUR_IRQ);
    expect(r.el).toBe(1);
  });

  it("LINE_VFIQ with FMO is a virtual FIQ at EL1", async () => {
    const r = await run(UNMASKED, { hcr: HCR_FMO, lines: ABI.LINE_VFIQ });
    expect(smcImm(r.exit)).toBe(CUR_FIQ);
  });

  it("without IMO / FMO the virtual lines are ignored", async () => {
    const r = await run(UNMASKED, { hcr: 0n, lines: ABI.LINE_VIRQ | ABI.LINE_VFIQ });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(2n);
  });

  it("are not taken at EL2", async () => {
    const r = await run(UNMASKED, { el: 2, hcr: HCR_IMO | HCR_FMO, lines: ABI.LINE_VIRQ | ABI.LINE_VFIQ });
    expect(smcImm(r.exit)).toBe(0);
  });

  it("WFI at EL1 does not leave run() while LINE_VIRQ is asserted", async () => {
    const r = await run(`
      wfi
      add x1, x1, #1
      smc #0
    `, { hcr: HCR_IMO, lines: ABI.LINE_VIRQ });
    expect(smcImm(r.exit)).toBe(0);
    expect(r.core.x(1)).toBe(1n);
  });
});

describe("physical interrupts with EL2 routing them", () => {
  it("a physical IRQ with HCR_EL2.IMO goes to EL2 from EL1 even with PSTATE.I set at EL1", async () => {
    const r = await run(`
      add x1, x1, #1
      smc #0
    `, { hcr: HCR_IMO, lines: ABI.LINE_IRQ });
    expect(smcImm(r.exit)).toBe(LOWER_IRQ);
    expect(r.el).toBe(2);
    expect(r.core.sysreg(ABI.SR_ELR_EL2)).toBe(ENTRY);
  });

  it("a physical IRQ without IMO is EL1's: masked by PSTATE.I", async () => {
    const r = await run(`
      add x1, x1, #1
      smc #0
    `, { hcr: 0n, lines: ABI.LINE_IRQ });
    expect(smcImm(r.exit)).toBe(0);
  });
});

// ISR_EL1 (Arm ARM D19, ISR_EL1): A, I, F (bits 8, 7, 6) show an interrupt
// pending whether or not PSTATE masks it; read at EL1 with the class routed
// to EL2 (HCR_EL2.AMO / IMO / FMO, TGE = 0) the bit is the virtual interrupt's,
// otherwise the physical one's. KVM's nVHE guest entry reads it at EL2.
describe("ISR_EL1", () => {
  const READ = "mrs x2, isr_el1\n  smc #0";
  const isr = async (o: { el?: 1 | 2; hcr: bigint; lines?: number }) => {
    const r = await run(READ, { el: o.el, hcr: o.hcr, lines: o.lines });
    expect(smcImm(r.exit)).toBe(0); // read with everything masked: nothing taken
    return r.core.x(2);
  };

  it("at EL1 without routing: the physical lines (I from IRQ, F from FIQ, A from SError)", async () => {
    expect(await isr({ hcr: 0n })).toBe(0n);
    expect(await isr({ hcr: 0n, lines: ABI.LINE_IRQ })).toBe(0x80n);
    expect(await isr({ hcr: 0n, lines: ABI.LINE_FIQ })).toBe(0x40n);
    expect(await isr({ hcr: 0n, lines: ABI.LINE_SERROR })).toBe(0x100n);
    // HCR_EL2.VI/VF/VSE without IMO/FMO/AMO are no interrupt of EL1's.
    expect(await isr({ hcr: HCR_VI | HCR_VF | HCR_VSE })).toBe(0n);
  });

  it("at EL1 with IMO/FMO/AMO: the virtual interrupts, not the physical ones", async () => {
    // (A physical IRQ with IMO set is taken to EL2 at once, PSTATE.I or not.)
    expect(await isr({ hcr: HCR_IMO })).toBe(0n);
    expect(await isr({ hcr: HCR_IMO | HCR_VI })).toBe(0x80n);
    expect(await isr({ hcr: HCR_IMO, lines: ABI.LINE_VIRQ })).toBe(0x80n);
    expect(await isr({ hcr: HCR_FMO | HCR_VF })).toBe(0x40n);
    expect(await isr({ hcr: HCR_FMO, lines: ABI.LINE_VFIQ })).toBe(0x40n);
    expect(await isr({ hcr: HCR_AMO | HCR_VSE })).toBe(0x100n);
    // Routing is per class: IMO alone leaves F physical.
    expect(await isr({ hcr: HCR_IMO | HCR_VI, lines: ABI.LINE_FIQ })).toBe(0xc0n);
    // TGE: EL1&0 is the host's, nothing is virtual.
    expect(await isr({ hcr: HCR_TGE | HCR_IMO | HCR_VI })).toBe(0n);
  });

  it("at EL2: always the physical lines", async () => {
    expect(await isr({ el: 2, hcr: HCR_IMO | HCR_VI })).toBe(0n);
    expect(await isr({ el: 2, hcr: HCR_IMO, lines: ABI.LINE_IRQ })).toBe(0x80n);
  });

  it("is read-only: MSR ISR_EL1 is UNDEFINED", async () => {
    const r = await run("msr isr_el1, x2\n  smc #0", { hcr: 0n });
    expect(smcImm(r.exit)).not.toBe(0); // taken to the synchronous vector
    expect(esrEC(r.core.sysreg(ABI.SR_ESR_EL1))).toBe(0);
  });
});
