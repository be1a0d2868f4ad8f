// Traps of system register accesses (MRS, MSR) and system instructions (DC,
// IC, TLBI) to EL2 and EL3: the HCR_EL2, MDCR_EL2, CPTR_EL2, MDCR_EL3 and
// CPTR_EL3 controls of the Arm ARM's per-register access pseudocode, each an
// AArch64.SystemAccessTrap(EL2 or EL3, 0x18). The callers check the EL0
// controls that trap to EL1 (SCTLR_EL1.UCT, UCI, DZE, ...) first: they have
// priority. Only MRS, MSR and SYS execution come here, never the hot path.
//
// Armv8.0 HCR_EL2 controls and what they do in this core:
//   TID0   AArch32 only (FPSID, JIDR): no AArch64 effect (EL0/EL1 are AArch64 only).
//   TID1   REVIDR_EL1, AIDR_EL1 reads at EL1.
//   TID2   CTR_EL0 (EL0 and EL1), CCSIDR_EL1, CLIDR_EL1, CSSELR_EL1 (reads and writes) at EL1.
//   TID3   the ID group 3 space op0=3, op1=0, CRn=0, CRm=1..7 (every op2, reserved ones too) at EL1.
//   TIDCP  the IMPLEMENTATION DEFINED space op0=3, CRn=11 or 15 at EL1, implemented or not
//          (none is); at EL0 those encodings stay UNDEFINED (the IMPLEMENTATION DEFINED choice).
//   TACR   ACTLR_EL1 at EL1.
//   TVM    writes, TRVM reads, at EL1 of SCTLR_EL1, TTBR0/1_EL1, TCR_EL1, ESR_EL1, FAR_EL1,
//          AFSR0/1_EL1, MAIR_EL1, AMAIR_EL1, CONTEXTIDR_EL1.
//   TSW    DC ISW, CSW, CISW; TPCP: DC IVAC, CVAC, CIVAC (EL0 and EL1); TPU: IC IVAU, DC CVAU
//          (EL0 and EL1), IC IALLU, IALLUIS; TTLB: every TLBI at EL1; TDZ: DC ZVA (and
//          DCZID_EL0.DZP reads 1, see access.ts).
// MDCR_EL2 (with TDE, or HCR_EL2.TGE, making TDA, TDOSA and TDRA behave as 1):
//   TDA    MDSCR_EL1, DBGB{V,C}R<n>_EL1, DBGW{V,C}R<n>_EL1; TDOSA: OSLAR_EL1, OSLSR_EL1,
//          OSDLR_EL1; TDRA: MDRAR_EL1.
//   TPM    every PMU register (sysreg/pmu.ts) at EL0 and EL1; TPMCR: PMCR_EL0 there. (HPMN,
//          HPME: cpu/pmu.ts, sysreg/pmu.ts.) Neither depends on TDE or TGE; at EL0 the
//          PMUSERENR_EL0 controls (to EL1, or EL2 under TGE) take priority.
// HCR_EL2.TLOR (FEAT_LOR): LORSA_EL1, LOREA_EL1, LORN_EL1, LORC_EL1, LORID_EL1 at EL1;
// SCR_EL3.TLOR: the same at EL1 and EL2, to EL3.
// HCR_EL2.APK (FEAT_PAuth): the key registers at EL1; SCR_EL3.APK: at EL1 and EL2, to EL3.
// CPTR_EL2.TCPAC: CPACR_EL1 at EL1. CPTR_EL2.TTA: no trace unit, nothing to trap.
// FEAT_RAS: HCR_EL2.TERR traps EL1 accesses to the error record registers
// (ERRIDR_EL1, ERRSELR_EL1, ERX*_EL1) to EL2, SCR_EL3.TERR those of EL1 and
// EL2 to EL3, HCR_EL2's first (the Arm ARM's access pseudocode of each). Both
// bits are RES0 without FEAT_RAS (access.ts), so they never trap then.
// MDCR_EL3.TDA (debug registers and MDRAR_EL1) and TDOSA, MDCR_EL3.TPM (the PMU) at EL0-EL2, CPTR_EL3.TCPAC
// (CPACR_EL1 at EL1 and EL2, CPTR_EL2 at EL2): to EL3.
import {
  SR_HCR_EL2, SR_MDCR_EL2, SR_MDCR_EL3, SR_CPTR_EL2, SR_CPTR_EL3, SR_CPACR_EL1, SR_ACTLR_EL1,
  SR_CSSELR_EL1, SR_SCTLR_EL1, SR_TTBR0_EL1, SR_TTBR1_EL1, SR_TCR_EL1, SR_ESR_EL1, SR_FAR_EL1,
  SR_AFSR0_EL1, SR_AFSR1_EL1, SR_MAIR_EL1, SR_AMAIR_EL1, SR_CONTEXTIDR_EL1, SR_MDSCR_EL1,
  SR_OSDLR_EL1, SR_DBG_BASE, SR_SCR_EL3, SR_LORSA_EL1, SR_LOREA_EL1, SR_LORC_EL1, SR_APIAKEYLO_EL1, SR_APGAKEYLO_EL1,
} from "../abi";
import { sysreg } from "../cpu/state";
import { highestEL } from "../cpu/config";
import { el2Enabled } from "../except/exception";
import * as T from "./table";
import * as S from "./sysops";

export const HCR_TID1: u64 = 1 << 16;
export const HCR_TID2: u64 = 1 << 17;
export const HCR_TID3: u64 = 1 << 18;
export const HCR_TIDCP: u64 = 1 << 20;
export const HCR_TACR: u64 = 1 << 21;
export const HCR_TSW: u64 = 1 << 22;
export const HCR_TPCP: u64 = 1 << 23;
export const HCR_TPU: u64 = 1 << 24;
export const HCR_TTLB: u64 = 1 << 25;
export const HCR_TVM: u64 = 1 << 26;
export const HCR_TGE: u64 = 1 << 27;
export const HCR_TDZ: u64 = 1 << 28;
export const HCR_TRVM: u64 = 1 << 30;
export const HCR_TLOR: u64 = <u64>1 << 35;
const SCR_TLOR: u64 = 1 << 14;
export const HCR_TERR: u64 = <u64>1 << 36;
export const SCR_TERR: u64 = 1 << 15;
const MDCR_TDE: u64 = 1 << 8;
const MDCR_TDA: u64 = 1 << 9;     // MDCR_EL2 and MDCR_EL3
const MDCR_TDOSA: u64 = 1 << 10;  // MDCR_EL2 and MDCR_EL3
const MDCR_TDRA: u64 = 1 << 11;   // MDCR_EL2 only: MDCR_EL3.TDA covers MDRAR_EL1
const CPTR_TCPAC: u64 = <u64>1 << 31;
const MDCR_TPMCR: u64 = 1 << 5;   // MDCR_EL2 only
const MDCR_TPM: u64 = 1 << 6;     // MDCR_EL2 and MDCR_EL3
const HCR_APK: u64 = <u64>1 << 40;
const SCR_APK: u64 = 1 << 16;

// APIAKeyLo_EL1 .. APGAKeyHi_EL1 (FEAT_PAuth).
@inline function isPAuthKey(reg: i32): bool { return reg >= SR_APIAKEYLO_EL1 && reg <= SR_APGAKEYLO_EL1 + 1; }

// The HCR_EL2 control that traps an EL0/EL1 access to `reg`, or 0.
function hcrControl(reg: i32, isRead: bool): u64 {
  switch (reg) {
    case T.SPR_REVIDR: case T.SPR_AIDR: return HCR_TID1;
    case T.SPR_CTR: case T.SPR_CCSIDR: case T.SPR_CLIDR: case SR_CSSELR_EL1: return HCR_TID2;
    case T.SPR_IMPDEF: return HCR_TIDCP;
    case SR_ACTLR_EL1: return HCR_TACR;
    case SR_SCTLR_EL1: case SR_TTBR0_EL1: case SR_TTBR1_EL1: case SR_TCR_EL1: case SR_ESR_EL1:
    case SR_FAR_EL1: case SR_AFSR0_EL1: case SR_AFSR1_EL1: case SR_MAIR_EL1: case SR_AMAIR_EL1:
    case SR_CONTEXTIDR_EL1:
      return isRead ? HCR_TRVM : HCR_TVM;
  }
  if (isLORegister(reg)) return HCR_TLOR;
  return reg >= T.SPR_ID_AA64PFR0 && reg <= T.SPR_ID_RAZ ? HCR_TID3 : 0;
}

// The FEAT_LOR registers.
export function isLORegister(reg: i32): bool {
  return reg == SR_LORSA_EL1 || reg == SR_LOREA_EL1 || reg == SR_LORC_EL1 || reg == T.SPR_LORN || reg == T.SPR_LORID;
}

// The MDCR_EL2 control (TDA, TDOSA or TDRA) that traps an access to a debug register, or 0.
function debugControl(reg: i32): u64 {
  if (reg == T.SPR_OSLAR || reg == T.SPR_OSLSR || reg == SR_OSDLR_EL1) return MDCR_TDOSA;
  if (reg == T.SPR_MDRAR) return MDCR_TDRA;
  if (reg == SR_MDSCR_EL1 || (reg >= SR_DBG_BASE && reg < SR_DBG_BASE + 8)) return MDCR_TDA;
  return 0;
}

// ERRIDR_EL1, ERRSELR_EL1 and the ERX*_EL1 registers (FEAT_RAS).
@inline function isErrorRecordReg(reg: i32): bool { return reg == T.SPR_ERRIDR || reg == T.SPR_ERX; }

// The EL (2 or 3) that an access from `el` to `reg` is trapped to, or 0.
export function sysregTrapTarget(reg: i32, isRead: bool, el: u32): u32 {
  let dbg = debugControl(reg);
  if (el <= 1 && el2Enabled()) {
    let hcr = sysreg(SR_HCR_EL2);
    if ((hcr & hcrControl(reg, isRead)) != 0) return 2;
    if (dbg != 0 && ((hcr & HCR_TGE) != 0 || (sysreg(SR_MDCR_EL2) & (dbg | MDCR_TDE)) != 0)) return 2;
    if (reg == SR_CPACR_EL1 && (sysreg(SR_CPTR_EL2) & CPTR_TCPAC) != 0) return 2;
    if (isErrorRecordReg(reg) && (hcr & HCR_TERR) != 0) return 2;
    if (T.isPMU(reg)) {
      let mdcr = sysreg(SR_MDCR_EL2);
      if ((mdcr & MDCR_TPM) != 0 || (reg == T.SPR_PMCR && (mdcr & MDCR_TPMCR) != 0)) return 2;
    }
    // HCR_EL2.APK = 0: the FEAT_PAuth key registers at EL1.
    if (isPAuthKey(reg) && el == 1 && (hcr & HCR_APK) == 0) return 2;
  }
  if (el <= 2 && highestEL() == 3) {
    if (T.isPMU(reg) && (sysreg(SR_MDCR_EL3) & MDCR_TPM) != 0) return 3;
    // SCR_EL3.APK = 0: the key registers at EL1 and EL2.
    if (isPAuthKey(reg) && (sysreg(SR_SCR_EL3) & SCR_APK) == 0) return 3;
    if (dbg != 0 && (sysreg(SR_MDCR_EL3) & (dbg == MDCR_TDOSA ? MDCR_TDOSA : MDCR_TDA)) != 0) return 3;
    if ((reg == SR_CPACR_EL1 || reg == SR_CPTR_EL2) && (sysreg(SR_CPTR_EL3) & CPTR_TCPAC) != 0) return 3;
    if ((sysreg(SR_SCR_EL3) & SCR_TLOR) != 0 && isLORegister(reg)) return 3;
    if (isErrorRecordReg(reg) && (sysreg(SR_SCR_EL3) & SCR_TERR) != 0) return 3;
  }
  return 0;
}

// Whether HCR_EL2 traps the SYS operation `op` (sysops.ts; key = its encoding) at EL0/EL1 to EL2.
export function sysOpTrapped(op: i32, key: u32, el: u32): bool {
  if (el > 1 || !el2Enabled()) return false;
  let control: u64 = 0;
  switch (op) {
    case S.SYS_DC_ZVA: control = HCR_TDZ; break;
    case S.SYS_DC_BY_SETWAY: control = HCR_TSW; break;
    case S.SYS_DC_BY_VA: control = ((key >> 3) & 0xf) == 11 ? HCR_TPU : HCR_TPCP; break; // CVAU; IVAC, CVAC, CIVAC
    case S.SYS_IC_IALLU: case S.SYS_IC_IVAU: control = HCR_TPU; break;
    case S.SYS_TLBI: control = ((key >> 11) & 7) == 0 ? HCR_TTLB : 0; break;     // the EL1 TLBIs
  }
  return (sysreg(SR_HCR_EL2) & control) != 0;
}
