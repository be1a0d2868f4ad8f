// Regression tests for core bugs found by the differential conformance
// campaign and sweep (tools/conformance, docs/conformance-disagreements.md).
// One test per bug; expectations come from the Arm ARM, not from QEMU.
//
// The bugs below are NOT FIXED YET: each describe block is skipped until the
// core is fixed (then drop the .skip, and drop the matching KNOWN_BUG_* guard
// in tools/conformance/table.ts or the KNOWN CORE BUG reason in
// tools/conformance/explain.ts so that the campaign and the sweep cover the
// case again).
import { describe, it, expect } from "vitest";
import { runSnippet, takenEL1, ENTRY, DATA, VEC_CUR_SPX_SYNC } from "../helpers/machine";

const EC_UNKNOWN = 0x00, EC_PC_ALIGN = 0x22;

// Bug: AT S1E1R/S1E1W/S1E0R/S1E0W with the MMU off writes PAR_EL1 without its
// RES1 bit 11, and never reports a fault: a VA with bits above the PA size
// (48 bits) must give F = 1 with FST = 0b000000 (Address size fault, level 0),
// as AArch64.TranslateAddressS1Off does for the access itself.
describe("AT with the MMU off: PAR_EL1 (fixed)", () => {
  it("sets PAR_EL1 bit 11 (RES1) and reports the PA of an in-range VA", async () => {
    const r = await runSnippet(`
      at s1e1r, x0
      isb
      mrs x1, par_el1
      hvc #0
    `, { regs: { 0: 0x4000_1234n } });
    const par = r.core.x(1);
    expect(par & 1n).toBe(0n);                         // F = 0
    expect((par >> 11n) & 1n).toBe(1n);                // RES1
    expect(par & 0x0000_ffff_ffff_f000n).toBe(0x4000_1000n);
  });
  it("reports an Address size fault (F=1, FST=0) for a VA above the PA range", async () => {
    const r = await runSnippet(`
      at s1e0w, x0
      isb
      mrs x1, par_el1
      hvc #0
    `, { regs: { 0: 0x0001_0000_0000_1000n } });
    const par = r.core.x(1);
    expect(par & 1n).toBe(1n);                         // F = 1
    expect((par >> 1n) & 0x3fn).toBe(0n);              // FST: Address size fault, level 0
    expect((par >> 11n) & 1n).toBe(1n);                // RES1
  });
});

// Bug: ERET copies SPSR_ELx.SS into PSTATE.SS unconditionally. The Arm ARM's
// DebugExceptionReturnSS() gives SPSR.SS only when MDSCR_EL1.SS = 1, debug
// exceptions are disabled at the source and enabled at the destination;
// otherwise PSTATE.SS becomes 0 (and so does SPSR.SS at the next exception).
describe("ERET and PSTATE.SS (fixed)", () => {
  it("clears PSTATE.SS when software step is not active", async () => {
    const r = await runSnippet(`
      adr x0, 1f
      msr elr_el1, x0
      movz x1, #0x5
      movk x1, #0x20, lsl #16     // SS | EL1h
      msr spsr_el1, x1
      eret
    1:
      svc #0
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
    expect(t.ec).toBe(0x15);
    expect((t.spsr >> 21n) & 1n).toBe(0n);
  });
});

// Bug: with PSTATE.IL set and a misaligned PC, armvisor takes the Illegal
// Execution state exception (EC 0x0E). The PC alignment fault has the higher
// priority (Arm ARM D1.3.5, "Prioritization of synchronous exceptions"): EC
// 0x22 with ELR_EL1 = FAR_EL1 = the misaligned PC.
describe("PSTATE.IL with a misaligned PC (fixed)", () => {
  it("takes the PC alignment fault first", async () => {
    const r = await runSnippet(`
      adr x0, 1f
      add x0, x0, #2
      msr elr_el1, x0
      movz x1, #0x5
      movk x1, #0x10, lsl #16     // IL | EL1h
      msr spsr_el1, x1
      eret
      nop
    1:
      nop
      hvc #1
    `);
    const t = takenEL1(r.core, r.exit);
    expect(t.ec).toBe(EC_PC_ALIGN);
    expect(t.elr).toBe(t.far);
    expect(t.elr & 3n).toBe(2n);
  });
});

// Bug: CAS{A,L,AL}{B,H} and CASP{A,L,AL} are decoded whatever insn[14:10]
// (Rt2) holds; the encoding index lists Rt2 != 0b11111 as unallocated, so
// they must be UNDEFINED (QEMU agrees).
describe("CAS/CASP with Rt2 != 0b11111 (fixed)", () => {
  for (const [name, insn] of [["CAS x1, x2, [x3] with Rt2 = 0", 0xc8a10062], ["CASP x2, x3, x4, x5, [x3] with Rt2 = 0", 0x48220064]] as const) {
    it(`${name} is UNDEFINED`, async () => {
      const r = await runSnippet(`
        .inst 0x${insn.toString(16)}
        hvc #1
      `, { regs: { 3: DATA } });
      const t = takenEL1(r.core, r.exit);
      expect(t.vector).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec).toBe(EC_UNKNOWN);
      expect(t.elr).toBe(ENTRY);
    });
  }
});

// Bug: MRS of op0=3, op1=0, CRn=0, CRm=8..15 reads as zero. Only CRm = 1..7 is
// the reserved ID register space that reads as zero (Arm ARM D19.1, "reserved
// encodings in the ID register space"); the rest is unallocated: UNDEFINED.
describe("MRS outside the reserved ID space (fixed)", () => {
  for (const reg of ["s3_0_c0_c8_0", "s3_0_c0_c12_5", "s3_0_c0_c15_7"]) {
    it(`MRS ${reg} is UNDEFINED`, async () => {
      const r = await runSnippet(`
        mrs x0, ${reg}
        hvc #1
      `);
      const t = takenEL1(r.core, r.exit);
      expect(t.ec).toBe(EC_UNKNOWN);
      expect(t.elr).toBe(ENTRY);
    });
  }
  it("MRS of the reserved ID space CRm=1..7 still reads as zero", async () => {
    const r = await runSnippet(`
      mov x0, #1
      mrs x0, s3_0_c0_c7_7
      hvc #0
    `);
    expect(r.exit.kind).toBe("hvc");
    expect(r.core.x(0)).toBe(0n);
  });
});
