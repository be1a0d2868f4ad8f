// Classes of A64 encodings, the QEMU CPU each is compared against, and the
// known reasons why armvisor and QEMU may disagree on "UNDEFINED or not".
// Every reason here is listed in docs/conformance-disagreements.md.
//
// Reference per class: armvisor is Armv8.0 + CRC32 + LSE + PAN + UAO, and
// (with CONFIG_FP, as the conformance tool runs it) FP/AdvSIMD and the crypto
// extension (AES, SHA1, SHA256, PMULL) without FEAT_FP16 or any later SIMD&FP
// feature. `cortex-a57` is Armv8.0 with CRC32, FP/AdvSIMD and that crypto
// and nothing later, so it is the reference for everything armvisor has from
// v8.0, SIMD&FP included; the v8.1/v8.2 additions armvisor implements (LSE,
// PAN, UAO) and FEAT_PAuth (QARMA5, the Armv8.3 scheme: PAC*, AUT*, XPAC*,
// PACGA, BRA*, BLRA*, RETA*, ERETA*, LDRAA/LDRAB) are compared against `max`. (The sweep runs with
// CPACR_EL1.FPEN = 0: an implemented SIMD&FP encoding takes the access trap,
// EC 0x07, on both; only UNDEFINED ones take EC 0x00.)
export const REFERENCE_FOR: Record<"v80" | "v8x", string> = { v80: "cortex-a57", v8x: "max" };

export interface Verdicts { armvisor: number; ref: Record<string, number> }
export interface Class { name: string; ref: "v80" | "v8x" }

const bits = (x: number, hi: number, lo: number): number => (x >>> lo) & ((2 ** (hi - lo + 1)) - 1);

// op0:op1:CRn:CRm:op2 of a system instruction as "op0,op1,CRn,CRm,op2".
function sysKey(x: number): [number, number, number, number, number] {
  return [bits(x, 20, 19), bits(x, 18, 16), bits(x, 15, 12), bits(x, 11, 8), bits(x, 7, 5)];
}

export function classify(x: number): Class {
  const op0 = bits(x, 28, 25);
  if (op0 === 0) return { name: bits(x, 31, 31) ? "SME" : "reserved (UDF)", ref: "v80" };
  if (op0 === 1 || op0 === 3) return { name: "unallocated", ref: "v80" };
  if (op0 === 2) return { name: "SVE", ref: "v80" };
  if ((op0 & 7) === 7) return { name: "SIMD&FP data processing", ref: "v80" };
  if ((op0 & 5) === 4) { // loads and stores
    if (bits(x, 26, 26)) return { name: "SIMD&FP load/store", ref: "v80" };
    const op = bits(x, 29, 24);
    if (op === 0x08) {
      const o2 = bits(x, 23, 23), o1 = bits(x, 21, 21);
      if (o1 === 1) return { name: o2 ? "CAS" : bits(x, 31, 31) ? "exclusive pair" : "CASP", ref: o2 || !bits(x, 31, 31) ? "v8x" : "v80" };
      return { name: o2 ? "load-acquire/store-release" : "exclusive", ref: "v80" };
    }
    if ((op & 0x3b) === 0x38 && bits(x, 21, 21) === 1 && bits(x, 11, 10) === 0) return { name: "atomic memory operation", ref: "v8x" };
    if (bits(x, 31, 30) === 3 && op === 0x38 && bits(x, 21, 21) === 1 && bits(x, 10, 10) === 1) return { name: "LDRAA/LDRAB (PAuth)", ref: "v8x" };
    if ((op & 0x3b) === 0x38 && bits(x, 21, 21) === 1 && bits(x, 11, 10) !== 2) return { name: "unallocated (LDRAA/LDRAB space)", ref: "v80" };
    if ((op & 0x3b) === 0x19) return { name: "LDAPUR/STLUR (RCpc2) or MTE tag load/store", ref: "v80" };
    return { name: "load/store", ref: "v80" };
  }
  if ((op0 & 7) === 5) { // data processing register
    if (bits(x, 28, 28) === 1 && bits(x, 24, 21) === 0 && bits(x, 15, 10) !== 0) return { name: "RMIF/SETF (FlagM)", ref: "v80" };
    if (bits(x, 30, 30) === 1 && bits(x, 28, 21) === 0xd6) return bits(x, 20, 16) === 1 ? { name: "PAuth (data-processing 1 source)", ref: "v8x" } : { name: "data-processing (1 source)", ref: "v80" };
    if (((x & 0xffe0fc00) >>> 0) === 0x9ac03000) return { name: "PACGA (PAuth)", ref: "v8x" };
    return { name: "data-processing (register)", ref: "v80" };
  }
  if ((op0 & 0xe) === 8) return { name: bits(x, 25, 23) === 3 ? "add/sub with tags (MTE)" : "data-processing (immediate)", ref: "v80" };
  // branches, exception generation, system
  if (((x & 0xffc00000) >>> 0) === 0xd5000000) {
    const [o0, op1, crn, crm, op2] = sysKey(x);
    const l = bits(x, 21, 21);
    if (o0 === 0 && l === 0) {
      if (crn === 4) return { name: "MSR (immediate)", ref: op1 === 0 && (op2 === 3 || op2 === 4) ? "v8x" : "v80" };
      if (crn === 2) return { name: "hint", ref: "v80" };
      if (crn === 3) return { name: "barrier", ref: "v80" };
      if (crn === 0) return { name: "system (CFINV/XAFLAG/AXFLAG)", ref: "v80" };
      return { name: "system (op0=0)", ref: "v80" };
    }
    if (o0 === 1) return { name: l ? "SYSL" : "SYS (DC/IC/AT/TLBI)", ref: "v80" };
    if (o0 === 0) return { name: "system (op0=0, L=1)", ref: "v80" };
    const pan = (op1 === 0 && crn === 4 && crm === 2 && (op2 === 3 || op2 === 4));
    return { name: `${l ? "MRS" : "MSR"} ${regName(o0, op1, crn, crm, op2)}`, ref: pan ? "v8x" : "v80" };
  }
  if (((x & 0xfe000000) >>> 0) === 0xd6000000) return bits(x, 15, 11) === 1 ? { name: "branch (register, PAuth)", ref: "v8x" } : { name: "branch (register)", ref: "v80" };
  if (((x & 0xff000000) >>> 0) === 0xd4000000) return { name: "exception generation", ref: "v80" };
  if (((x & 0x7c000000) >>> 0) === 0x14000000) return { name: "B/BL", ref: "v80" };
  if (((x & 0xff000000) >>> 0) === 0x54000000) return { name: bits(x, 4, 4) ? "BC.cond (HBC)" : "B.cond", ref: "v80" };
  if (((x & 0x7e000000) >>> 0) === 0x34000000) return { name: "CBZ/CBNZ", ref: "v80" };
  if (((x & 0x7e000000) >>> 0) === 0x36000000) return { name: "TBZ/TBNZ", ref: "v80" };
  return { name: "branch/system (other)", ref: "v80" };
}

function regName(o0: number, op1: number, crn: number, crm: number, op2: number): string {
  return `S${o0}_${op1}_C${crn}_C${crm}_${op2}`;
}

interface Reason { why: string; test: (x: number, c: Class, v: Verdicts) => boolean }

const sysIs = (x: number, op0: number, op1: number, crn: number, crm: number): boolean =>
  bits(x, 20, 19) === op0 && bits(x, 18, 16) === op1 && bits(x, 15, 12) === crn && bits(x, 11, 8) === crm;
const isSys = (x: number): boolean => ((x & 0xffc00000) >>> 0) === 0xd5000000;

// The explained disagreements (armvisor and the class's reference differ in EC 0x00 or not).
export const KNOWN_CORE_BUG = "KNOWN CORE BUG (reported, regression test in test/core/regressions.test.ts): ";
export const REASONS: Reason[] = [
  { why: "an FP/AdvSIMD extension armvisor does not advertise (FEAT_FP16, DotProd, RDM, FCMA, JSCVT, FRINTTS, BF16, I8MM, FP16FML, SHA512, SHA3, SM3/SM4): UNDEFINED on armvisor, implemented by the reference",
    test: (x, c, v) => c.name.startsWith("SIMD&FP") && v.armvisor === 0 && unadvertisedFpFeature(x) !== undefined },
  { why: "SVE not implemented: UNDEFINED on armvisor; QEMU max traps it (EC 0x19)", test: (_x, c) => c.name === "SVE" },
  { why: "SME not implemented: UNDEFINED on armvisor; QEMU max traps it (EC 0x1D)", test: (_x, c) => c.name === "SME" },
  { why: "no PMU (ID_AA64DFR0_EL1.PMUVer = 0): PMU registers are UNDEFINED on armvisor, as the architecture requires; QEMU's CPUs have a PMU",
    test: (x) => isSys(x) && bits(x, 20, 19) === 3 && ((bits(x, 15, 12) === 9 && bits(x, 11, 8) >= 12) || (bits(x, 18, 16) === 3 && bits(x, 15, 12) === 14 && bits(x, 11, 8) >= 8)) },
  { why: "armvisor gap: the self-hosted debug registers (DBGBVR/DBGBCR/DBGWVR/DBGWCR<n>_EL1, MDCCINT_EL1, MDRAR_EL1, MDCCSR_EL0, DBGDTR*) are not implemented (only MDSCR_EL1, OSLAR/OSLSR/OSDLR_EL1)",
    test: (x) => isSys(x) && bits(x, 20, 19) === 2 },
  { why: "armvisor gap: RVBAR_EL1 (present when EL1 is the highest EL) and ISR_EL1 are not implemented",
    test: (x) => isSys(x) && (sysIs(x, 3, 0, 12, 0) && bits(x, 7, 5) === 1 || sysIs(x, 3, 0, 12, 1) && bits(x, 7, 5) === 0) },
  { why: "IMPLEMENTATION DEFINED registers (CRn = 11 or 15) of QEMU's Cortex-A57 model (L2CTLR_EL1, L2ECTLR_EL1, CPUACTLR_EL1, CBAR_EL1, ...): armvisor has none",
    test: (x) => isSys(x) && bits(x, 20, 19) === 3 && (bits(x, 15, 12) === 11 || bits(x, 15, 12) === 15) },
  { why: "FEAT_LOR (ID_AA64MMFR1_EL1.LO = 1): LDLAR/STLLR are implemented on armvisor, as on QEMU max; the class's Armv8.0 reference (cortex-a57) makes them UNDEFINED",
    test: (x, c, v) => c.name === "load-acquire/store-release" && bits(x, 23, 23) === 1 && bits(x, 21, 21) === 0 && bits(x, 15, 15) === 0 &&
      v.armvisor !== 0 && v.ref["max"] !== undefined && v.ref["max"] !== 0 },
  { why: "FEAT_LRCPC not implemented: LDAPR{B,H} (in the atomic memory operations space) is UNDEFINED on armvisor; QEMU max implements it",
    test: (x, c, v) => c.name === "atomic memory operation" && bits(x, 15, 15) === 1 && bits(x, 14, 12) === 4 && bits(x, 23, 23) === 1 && v.armvisor === 0 },
  { why: "HVC/SMC at EL1: armvisor's host owns EL2/EL3 and answers them as PSCI calls; QEMU -M virt without EL2/EL3 makes them UNDEFINED (unless x0 is a PSCI function)",
    test: (x) => ((x & 0xffe0001e) >>> 0) === 0xd4000002 },
];

// The FP/AdvSIMD feature beyond Armv8.0 + crypto that an encoding in the
// SIMD&FP space belongs to, if any (armvisor advertises none of them:
// ID_AA64PFR0_EL1.FP = AdvSIMD = 0, ID_AA64ISAR0/ISAR1 fields 0).
export function unadvertisedFpFeature(x: number): string | undefined {
  const m = (mask: number, val: number): boolean => ((x & mask) >>> 0) === (val >>> 0);
  // Cryptographic SHA512, SHA3, SM3, SM4 (op0 = 1100 111x): 11001110 ...
  if (m(0xff000000, 0xce000000)) return "SHA512/SHA3/SM3/SM4";
  // Scalar floating point: M 0 S 1111x ...
  if (m(0x5f000000, 0x1e000000) || m(0x5f000000, 0x1f000000)) {
    const ftype = bits(x, 23, 22);
    const dp1 = m(0x5f207c00, 0x1e204000); // data-processing (1 source): ... 1 opcode(6) 10000 Rn Rd
    if (m(0xfffffc00, 0x1e7e0000)) return "FEAT_JSCVT";
    if (m(0xfffffc00, 0x1e634000)) return "FEAT_BF16";
    if (dp1 && bits(x, 20, 15) >= 16 && bits(x, 20, 15) <= 19) return "FEAT_FRINTTS";
    // half precision, except FCVT from half (data-processing 1 source, opcode 0001xx)
    if (ftype === 3 && !(dp1 && (bits(x, 20, 15) & 0x3c) === 4)) return "FEAT_FP16";
    return undefined;
  }
  // Advanced SIMD three same (FP16), two-register misc (FP16), three same extra.
  if (m(0x9f60c400, 0x0e400400) || m(0xdf60c400, 0x5e400400)) return "FEAT_FP16";
  if (m(0x9f7e0c00, 0x0e780800) || m(0xdf7e0c00, 0x5e780800)) return "FEAT_FP16";
  if (m(0x9f208400, 0x0e008400) || m(0xdf208400, 0x5e008400)) return "RDM/DotProd/FCMA/I8MM/BF16 (three same extra)";
  // Two-register misc: FRINT32/64 (opcode 1111x, size 0x), BFCVTN (size 10, opcode 10110).
  if (m(0x9fbfec00, 0x0e21e800)) return "FEAT_FRINTTS";
  if (m(0xbffffc00, 0x0ea16800)) return "FEAT_BF16";
  // Modified immediate, op 0, cmode 1111, o2 = 1: FMOV (vector, immediate), half precision.
  if (m(0xbff8fc00, 0x0f00fc00)) return "FEAT_FP16";
  // Shift by immediate: SCVTF/UCVTF/FCVTZS/FCVTZU with immh = 001x (half precision).
  if ((m(0x9f800400, 0x0f000400) || m(0xdf800400, 0x5f000400)) && bits(x, 22, 20) === 1 && (bits(x, 15, 11) === 0x1c || bits(x, 15, 11) === 0x1f)) return "FEAT_FP16";
  // Vector/scalar x indexed element.
  if (m(0x9f000400, 0x0f000000) || m(0xdf000400, 0x5f000000)) {
    const u = bits(x, 29, 29), size = bits(x, 23, 22), op = bits(x, 15, 12);
    if (op === 14) return "FEAT_DotProd";
    if (op === 15 && u === 0) return size === 0 || size === 2 ? "FEAT_I8MM" : "FEAT_BF16";
    if (u === 1 && (op === 13 || op === 15)) return "FEAT_RDM";
    if (u === 1 && (op & 9) === 1) return "FEAT_FCMA";
    if (size === 2 && (u === 0 ? op === 0 || op === 4 : op === 8 || op === 12)) return "FEAT_FHM";
    if (size === 0 && (op === 1 || op === 5 || op === 9)) return "FEAT_FP16";
  }
  return undefined;
}

export function explain(x: number, v: Verdicts): string | undefined {
  const c = classify(x);
  for (const r of REASONS) if (r.test(x, c, v)) return r.why;
  return undefined;
}
export { isSys };
