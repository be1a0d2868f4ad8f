// Identification registers. Each advertises exactly what this core implements.
import { SR_MIDR_EL1, SR_MPIDR_EL1, SR_CSSELR_EL1 } from "../abi";
import { sysreg } from "../cpu/state";
import { gicSysregs, highestEL, fpEnabled, vheImplemented, nvControls, rasImplemented, pauthImplemented } from "../cpu/config";

// ID_AA64PFR0_EL1: EL0 and EL1 AArch64 only (1); EL2/EL3 as configured;
// FP and AdvSIMD: not implemented (0xF), or with CONFIG_FP implemented
// without half-precision arithmetic (0: FEAT_FP16 absent; the two fields
// must agree); GIC = 1 with the GICv3 system-register interface; RAS = 1
// (FEAT_RAS, CONFIG_RAS: ESB, DISR_EL1, no error records); no SVE.
export function idAA64PFR0(): u64 {
  let el2: u64 = highestEL() >= 2 ? 1 : 0;
  let el3: u64 = highestEL() >= 3 ? 1 : 0;
  let fp: u64 = fpEnabled ? 0 : 0xf;
  let gic: u64 = gicSysregs ? 1 : 0; // GICv3 system-register interface
  let ras: u64 = rasImplemented ? 1 : 0;
  return 0x1 | (0x1 << 4) | (el2 << 8) | (el3 << 12) | (fp << 16) | (fp << 20) | (gic << 24) | (ras << 28);
}
export const ID_AA64PFR1: u64 = 0;
// ID_AA64DFR0_EL1: DebugVer = 6 (Armv8.0 debug); PMUVer = 1 (FEAT_PMUv3,
// Armv8.0: cpu/pmu.ts); BRPs = WRPs = 1 (two breakpoint and two watchpoint
// register pairs, the architectural minimum). The debug registers hold their
// values but never match (no hardware breakpoint or watchpoint exceptions yet).
export const ID_AA64DFR0: u64 = 0x6 | (1 << 8) | (1 << 12) | (1 << 20);
export const ID_AA64DFR1: u64 = 0;
// ID_AA64ISAR0_EL1: CRC32 = 1 (CRC32 instructions), Atomic = 2 (FEAT_LSE).
export const ID_AA64ISAR0: u64 = (1 << 16) | (2 << 20);
// With CONFIG_FP also the Cryptographic Extension: AES = 2 (AESE, AESD, AESMC,
// AESIMC and PMULL/PMULL2 of 64-bit elements), SHA1 = 1, SHA2 = 1 (SHA256
// only: no SHA512). Without FP/AdvSIMD these instructions do not exist.
export function idAA64ISAR0(): u64 {
  return fpEnabled ? ID_AA64ISAR0 | (2 << 4) | (1 << 8) | (1 << 12) : ID_AA64ISAR0;
}
export const ID_AA64ISAR1: u64 = 0;
// With CONFIG_PAUTH: APA = 1, GPA = 1 (FEAT_PAuth with the QARMA5 algorithm,
// the Armv8.3 scheme: no EPAC, PAuth2 or FPAC); API = GPI = 0 (no
// IMPLEMENTATION DEFINED algorithm).
export function idAA64ISAR1(): u64 { return pauthImplemented ? ID_AA64ISAR1 | (1 << 4) | (1 << 24) : ID_AA64ISAR1; }
// ID_AA64MMFR0_EL1: PARange = 48 bits, ASIDBits = 16, all three granules
// (TGran4 = 0, TGran64 = 0, TGran16 = 1) at stage 1 and stage 2.
export const ID_AA64MMFR0: u64 = 0x5 | (0x2 << 4) | (0x1 << 20);
// ID_AA64MMFR1_EL1: VMIDBits = 16, PAN = 1, LO = 1 (FEAT_LOR: LDLAR/STLLR
// and the LORegion registers, HCR_EL2.TLOR, SCR_EL3.TLOR), and with EL2
// VH = 1 (FEAT_VHE: HCR_EL2.E2H, the EL2&0 regime, register redirection,
// CNTHV_*); no hardware Access flag or dirty state management (HAFDBS = 0:
// access-flag faults are taken).
export const ID_AA64MMFR1: u64 = (0x2 << 4) | (1 << 16) | (1 << 20);
export function idAA64MMFR1(): u64 { return vheImplemented ? ID_AA64MMFR1 | (1 << 8) : ID_AA64MMFR1; }
// ID_AA64MMFR2_EL1: UAO = 1 (PSTATE.UAO); with EL2 FWB = 1 (FEAT_S2FWB:
// HCR_EL2.FWB, memattr.ts), and NV = 2 (FEAT_NV, FEAT_NV2) where they are
// implemented (with EL2 and FEAT_VHE).
export const ID_AA64MMFR2: u64 = 1 << 4;
export function idAA64MMFR2(): u64 {
  let v = ID_AA64MMFR2;
  if (highestEL() >= 2) v |= <u64>1 << 40;
  if (nvControls) v |= 2 << 24;
  return v;
}

// LORID_EL1: one LORegion (LR = 1) and one LORegion descriptor (LD = 1).
// LORegions only limit the reordering of LDLAR/STLLR against other
// accesses; this core performs every access in program order, so a region's
// bounds have no further effect.
export const LORID_EL1: u64 = 1 | (1 << 16);

// CTR_EL0: RES1 bit 31, CWG = ERG = DminLine = IminLine = 64 bytes, L1Ip =
// PIPT. IDC = 0 is consistent with CLIDR_EL1.LoUU = LoUIS = 0, which already
// say no data cache clean is needed for instruction fetches; DIC = 0: IC IVAU
// is how software tells the core that code changed.
export const CTR_EL0: u64 = 0x8444_c004;
// DCZID_EL0.BS: DC ZVA zeroes 2^4 words = 64 bytes.
export const DCZID_BS: u64 = 4;
export const DC_ZVA_BYTES: u64 = 64;
// CLIDR_EL1: L1 separate instruction and data caches; LoC = 1; LoUU = LoUIS
// = 0 (FEAT_S2FWB requires it: no data cache level needs cleaning for
// instruction fetches to see stores).
export const CLIDR_EL1: u64 = 0x3 | (1 << 24);

// CCSIDR_EL1 for the cache CSSELR_EL1 selects: 32 KiB, 64-byte lines,
// 4-way data and 2-way instruction caches.
export function ccsidr(): u64 {
  let sel = sysreg(SR_CSSELR_EL1);
  if (sel == 0) return (127 << 13) | (3 << 3) | 2;
  if (sel == 1) return (255 << 13) | (1 << 3) | 2;
  return 0;
}

export function midr(): u64 { return sysreg(SR_MIDR_EL1); }
export function mpidr(): u64 { return sysreg(SR_MPIDR_EL1); }
// MIDR: implementer 0x00 (reserved for software use), architecture 0xF, part 0xA64.
export const MIDR_DEFAULT: u64 = 0x000f_a640;

// ERRIDR_EL1.NUM: no error records are accessible through the ERX* registers.
export const ERRIDR_EL1: u64 = 0;
