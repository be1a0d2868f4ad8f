// MRS, MSR (register) and MSR (immediate): access checks, traps and the
// semantics of computed registers. Storage-backed registers live at
// SYSREG_BASE + 8 * SR_<name>.
import {
  PSTATE_PAN, PSTATE_UAO, SR_SCTLR_EL1, SR_SCTLR_EL2, SR_CNTKCTL_EL1, SR_VPIDR_EL2,
  SR_VMPIDR_EL2, SR_HCR_EL2, SR_SCR_EL3, SR_OSLSR_EL1, SR_RVBAR_EL3, SR_FPCR, SR_FPSR,
  SR_CPACR_EL1, SR_CPTR_EL2, SR_TTBR0_EL1, SR_TTBR0_EL2, SR_TTBR1_EL1, SR_TTBR1_EL2, SR_TCR_EL1,
  SR_TCR_EL2, SR_ESR_EL1, SR_ESR_EL2, SR_AFSR0_EL1, SR_AFSR0_EL2, SR_AFSR1_EL1, SR_AFSR1_EL2,
  SR_FAR_EL1, SR_FAR_EL2, SR_MAIR_EL1, SR_MAIR_EL2, SR_AMAIR_EL1, SR_AMAIR_EL2, SR_VBAR_EL1,
  SR_VBAR_EL2, SR_CONTEXTIDR_EL1, SR_CONTEXTIDR_EL2, SR_ELR_EL1, SR_ELR_EL2, SR_SPSR_EL1,
  SR_SPSR_EL2, SR_VNCR_EL2, SR_LORSA_EL1, SR_LOREA_EL1, SR_LORC_EL1, SR_VDISR_EL2, SR_VSESR_EL2,
} from "../abi";
import {
  currentEL, spSel, sysreg, setSysreg, getNZCV, setNZCV, getDAIF, setDAIF, readSPEL, writeSPEL,
  setELAndSP, getPAN, getUAO,
} from "../cpu/state";
import { highestEL, vheImplemented, nvControls, rasImplemented, pauthImplemented } from "../cpu/config";
import { disrRegister, deferredValue, VSESR_MASK } from "../except/ras";
import { HCR_APK, HCR_API, SCR_APK, SCR_API } from "../exec/pauth";
import { pcOf, setNextPC, requestExit, exitSyndrome } from "../cpu/context";
import { physicalCount, timerCount, readTimerCtl, ctlOf, cvalOf } from "../cpu/timer";
import {
  takeSync, takeException, undefinedInstruction, el2Enabled, elIsInHost, sctlrForEL0, nvControlsAtEL1, HCR_NV, HCR_NV1, HCR_NV2, HCR_AT, HCR_TEA,
} from "../except/exception";
import { vncrAccess, vncrValue } from "../mmu/memory";
import { HCR_FWB } from "../mmu/memattr";
import { issSysreg, syndrome, EC_SYSREG, VECT_SYNC } from "../except/syndrome";
import { isrValue } from "../except/interrupt";
import * as T from "./table";
import * as ID from "./idregs";
import { sysregTrapTarget, isLORegister, HCR_TDZ, HCR_TLOR, HCR_TERR, SCR_TERR } from "./traps";
import { fpTrapEL, fpSysregTrap, FPCR_MASK, FPSR_MASK } from "../exec/simdfp";
import { pmuEL0Allowed, pmuIndexed, pmuCounterOf, pmuRead, pmuWrite } from "./pmu";
import { pmuFold, pmuRecompute, pmuIrqCheck } from "../cpu/pmu";
import { SR_MDCR_EL2, SR_MDCR_EL3 } from "../abi";

// The value an MRS read, when mrs() returns true.
export let sysValue: u64 = 0;

const SCTLR_UMA: u64 = 1 << 9;
const SCTLR_DZE: u64 = 1 << 14;
const SCTLR_UCT: u64 = 1 << 15;
const CNTKCTL_EL0PCTEN: u64 = 1;
const CNTKCTL_EL0VCTEN: u64 = 2;
const CNTKCTL_EL0VTEN: u64 = 1 << 8;
const CNTKCTL_EL0PTEN: u64 = 1 << 9;
// CNTHCTL_EL2.EL1PCTEN and EL1PCEN: bits 0 and 1 with HCR_EL2.E2H = 0, bits
// 10 and 11 (EL1PCTEN, EL1PTEN) in the E2H = 1 layout, whose bits 0, 1, 8, 9
// (EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN) then control the host's EL0 as
// CNTKCTL_EL1's do EL0 otherwise.
const CNTHCTL_EL1PCTEN: u64 = 1;
const CNTHCTL_EL1PCEN: u64 = 2;
const CNTHCTL_E2H_EL1PCTEN: u64 = 1 << 10;
const CNTHCTL_E2H_EL1PTEN: u64 = 1 << 11;
const HCR_RW: u64 = 1 << 31;
const HCR_FMO: u64 = 1 << 3;
const HCR_IMO: u64 = 1 << 4;
const HCR_HCD: u64 = 1 << 29;
const HCR_E2H: u64 = <u64>1 << 34;
// The Armv8.0 fields (bits 33:0), E2H (FEAT_VHE), TLOR (FEAT_LOR) and FWB (FEAT_S2FWB).
const HCR_WRITABLE: u64 = 0x3_ffff_ffff | HCR_E2H | HCR_TLOR | HCR_FWB;
const SCR_NS: u64 = 1;
const SCR_RW: u64 = 1 << 10;
// SCR_EL3's fields for this core: NS, IRQ, FIQ, EA, bits 5:4 (RES1, kept as
// written), SMD, HCE, SIF, RW (RAO/WI: no AArch32), ST, TWI, TWE and TLOR
// (FEAT_LOR); TERR with FEAT_RAS. The rest, EEL2 (no FEAT_SEL2) included, is RES0.
const SCR_WRITABLE: u64 = 0x7fbf;
// FEAT_LOR (one LORegion, one descriptor, 48-bit PAs): the writable fields of
// LORSA_EL1 (SA[47:16], Valid), LOREA_EL1 (EA[47:16]) and LORC_EL1 (EN; DS
// has no bits with one descriptor).
const LORSA_MASK: u64 = 0x0000_ffff_ffff_0001;
const LOREA_MASK: u64 = 0x0000_ffff_ffff_0000;
const LORC_MASK: u64 = 1;

// The lowest EL that may access a register, from op1 of its encoding; 4 = never.
function minimumEL(key: u32): u32 {
  let op1 = (key >> 11) & 7;
  if (op1 <= 2) return 1;
  if (op1 == 3) return 0;
  if (op1 == 4 || op1 == 5) return 2; // op1 = 5: *_EL12, *_EL02 (FEAT_VHE), see accessAllowed
  if (op1 == 6) return 3;
  return 4; // op1 = 7: not implemented
}

@inline function isTimer(reg: i32): bool { return reg >= T.SPR_TIMER && reg < T.SPR_TIMER_END; }
@inline function timerOf(reg: i32): u32 { return <u32>(reg - T.SPR_TIMER) >> 2; }
@inline function isVHEAlias(key: u32): bool { return ((key >> 11) & 7) == 5; }

// FEAT_VHE register redirection (the E2H cases of AArch64.SysRegRead and
// SysRegWrite): at EL2 with HCR_EL2.E2H set, the EL1 encodings of these
// registers, and the EL0 timer encodings, access the EL2 registers; so do
// the EL0 timer encodings at the host's EL0 (ELIsInHost(EL0)). The *_EL12
// and *_EL02 encodings reach the EL1 and EL0 registers instead.
function e2hRedirect(reg: i32): i32 {
  switch (reg) {
    case SR_SCTLR_EL1: return SR_SCTLR_EL2;
    case SR_CPACR_EL1: return SR_CPTR_EL2;        // CPTR_EL2 in its E2H layout
    case SR_TTBR0_EL1: return SR_TTBR0_EL2;
    case SR_TTBR1_EL1: return SR_TTBR1_EL2;
    case SR_TCR_EL1: return SR_TCR_EL2;           // TCR_EL2 in its E2H (TCR_EL1) layout
    case SR_ESR_EL1: return SR_ESR_EL2;
    case SR_AFSR0_EL1: return SR_AFSR0_EL2;
    case SR_AFSR1_EL1: return SR_AFSR1_EL2;
    case SR_FAR_EL1: return SR_FAR_EL2;
    case SR_MAIR_EL1: return SR_MAIR_EL2;
    case SR_AMAIR_EL1: return SR_AMAIR_EL2;
    case SR_VBAR_EL1: return SR_VBAR_EL2;
    case SR_CONTEXTIDR_EL1: return SR_CONTEXTIDR_EL2;
    case SR_ELR_EL1: return SR_ELR_EL2;
    case SR_SPSR_EL1: return SR_SPSR_EL2;
    case SR_CNTKCTL_EL1: return SR_CNTHCTL_EL2;   // CNTHCTL_EL2 in its E2H layout
  }
  // CNTP_* -> CNTHP_*, CNTV_* -> CNTHV_* (timer 0 -> 2, 1 -> 3).
  if (isTimer(reg) && timerOf(reg) < 2) return reg + 8;
  return reg;
}

// The register an access from `el` by the encoding `key` reaches.
function effectiveReg(reg: i32, key: u32, el: u32): i32 {
  if (el == 1 && (nvControlsAtEL1() & HCR_NV2) != 0) { let r = nv2Redirect(reg); if (r >= 0) return r; }
  if (isVHEAlias(key) || (el != 0 && el != 2) || !elIsInHost(el)) return reg;
  return el == 2 || isTimer(reg) ? e2hRedirect(reg) : reg;
}

// Trap a system register access to EL1 (or EL2 under HCR_EL2.TGE) with EC 0x18.
function trapSysreg(key: u32, rt: u32, isRead: bool, e: usize): bool {
  setNextPC(takeSync(EC_SYSREG, issSysreg(key, rt, isRead), pcOf(e)));
  return false;
}

// Trap it to EL2 or EL3 (AArch64.SystemAccessTrap(target, 0x18)).
function trapSysregTo(target: u32, key: u32, rt: u32, isRead: bool, e: usize): bool {
  setNextPC(takeException(target, VECT_SYNC, syndrome(EC_SYSREG, issSysreg(key, rt, isRead)), 0, false, pcOf(e)));
  return false;
}

function undefined_(e: usize): bool { setNextPC(undefinedInstruction(pcOf(e))); return false; }

// FEAT_NV2: the offset in the VNCR page (VNCR_EL2.BADDR) at which an MRS or
// MSR at EL1 with HCR_EL2.{NV2, NV} = {1, 1} accesses the register `key`
// instead of the register, or -1 (the Arm ARM's table of the registers whose
// accesses are transformed into memory accesses; only the registers of the
// features this core implements). The EL2 registers (op1 = 4) go there
// whatever NV1; the EL1 registers through their *_EL12/_EL02 encodings with
// NV1 = 0 (the guest hypervisor uses E2H), through their *_EL1 encodings
// with NV1 = 1 (it does not).
function vncrOffset(key: u32, nv1: bool): i32 {
  switch (key) {
    case 0xe108: return 0x020; // VTTBR_EL2
    case 0xe10a: return 0x040; // VTCR_EL2
    case 0xe005: return 0x050; // VMPIDR_EL2
    case 0xe703: return 0x060; // CNTVOFF_EL2
    case 0xe088: return 0x078; // HCR_EL2
    case 0xe08b: return 0x080; // HSTR_EL2
    case 0xe000: return 0x088; // VPIDR_EL2
    case 0xe682: return 0x090; // TPIDR_EL2
    case 0xe110: return 0x0b0; // VNCR_EL2
    case 0xe609: return 0x500; // VDISR_EL2 (FEAT_RAS)
    case 0xe293: return 0x508; // VSESR_EL2 (FEAT_RAS)
    case 0xe208: return 0x240; // SP_EL1
    // The GICv3 virtual interface's state (those the CPU interface implements
    // reach here): ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2, ICH_HCR_EL2, ICH_VMCR_EL2.
    case 0xe658: return 0x4c0; // ICH_HCR_EL2
    case 0xe65f: return 0x4c8; // ICH_VMCR_EL2
  }
  if ((key & 0xfff8) == 0xe640 && (key & 7) < 4) return 0x480 + <i32>(key & 7) * 8; // ICH_AP0R<n>_EL2
  if ((key & 0xfff8) == 0xe648 && (key & 7) < 4) return 0x4a0 + <i32>(key & 7) * 8; // ICH_AP1R<n>_EL2
  if ((key & 0xfff0) == 0xe660) return 0x400 + <i32>(key & 0xf) * 8;              // ICH_LR<n>_EL2
  let op1 = (key >> 11) & 7;
  if (op1 == 5) {
    if (nv1) return -1;
    switch (key) {                // the EL1&0 timers' *_EL02 encodings
      case 0xef1a: return 0x168;  // CNTV_CVAL_EL02
      case 0xef19: return 0x170;  // CNTV_CTL_EL02
      case 0xef12: return 0x178;  // CNTP_CVAL_EL02
      case 0xef11: return 0x180;  // CNTP_CTL_EL02
    }
    key &= ~(<u32>5 << 11);       // *_EL12 -> the *_EL1 encoding
  } else {
    if (op1 != 0) return -1;
    // ACTLR_EL1 and MDSCR_EL1 have no *_EL12 encoding: theirs go to memory whatever NV1.
    if (key == 0xc081) return 0x118; // ACTLR_EL1
    if (key == 0x8012) return 0x158; // MDSCR_EL1
    if (!nv1) return -1;
  }
  switch (key) {
    case 0xc082: return 0x100; // CPACR_EL1
    case 0xc681: return 0x108; // CONTEXTIDR_EL1
    case 0xc080: return 0x110; // SCTLR_EL1
    case 0xc102: return 0x120; // TCR_EL1
    case 0xc288: return 0x128; // AFSR0_EL1
    case 0xc289: return 0x130; // AFSR1_EL1
    case 0xc290: return 0x138; // ESR_EL1
    case 0xc510: return 0x140; // MAIR_EL1
    case 0xc518: return 0x148; // AMAIR_EL1
    case 0xc200: return 0x160; // SPSR_EL1
    case 0xc100: return 0x200; // TTBR0_EL1
    case 0xc101: return 0x210; // TTBR1_EL1
    case 0xc300: return 0x220; // FAR_EL1
    case 0xc201: return 0x230; // ELR_EL1
    case 0xc600: return 0x250; // VBAR_EL1
  }
  return -1;
}

// FEAT_NV2: the EL2 registers that an EL1 access with HCR_EL2.{NV2, NV} =
// {1, 1} reaches as their EL1 counterparts (the guest hypervisor's own
// exception state is in the EL1 registers), or -1.
function nv2Redirect(reg: i32): i32 {
  switch (reg) {
    case SR_SPSR_EL2: return SR_SPSR_EL1;
    case SR_ELR_EL2: return SR_ELR_EL1;
    case SR_ESR_EL2: return SR_ESR_EL1;
    case SR_FAR_EL2: return SR_FAR_EL1;
  }
  return -1;
}

// Set by accessAllowed when the access is to the VNCR page at this offset.
let vncrOff: i32 = -1;

// Checks whether the access may proceed; if not, takes the exception and returns false.
// Which ICH_HCR_EL2 trap bit covers the CPU interface register `key`
// (GICv3 IHI 0069, ICH_HCR_EL2.TC/TALL0/TALL1); 0 for ICC_SRE_EL1.
function iccTrapClass(key: u32): u32 {
  if (key == 0xc230) return ICH_HCR_TC;                             // PMR (3,0,4,6,0)
  if (key >= 0xc640 && key <= 0xc647) return ICH_HCR_TALL0;         // IAR0, EOIR0, HPPIR0, BPR0, AP0R0-3 (12,8,*)
  if (key >= 0xc648 && key <= 0xc64b) return ICH_HCR_TALL1;         // AP1R0-3 (12,9,0..3)
  if (key == 0xc659 || key == 0xc65b || (key >= 0xc65d && key <= 0xc65f)) return ICH_HCR_TC; // DIR, RPR, SGI1R, ASGI1R, SGI0R (12,11,*)
  if (key >= 0xc660 && key <= 0xc663) return ICH_HCR_TALL1;         // IAR1, EOIR1, HPPIR1, BPR1 (12,12,0..3)
  if (key == 0xc664) return ICH_HCR_TC;                             // CTLR (12,12,4)
  if (key == 0xc666) return ICH_HCR_TALL0;                          // IGRPEN0 (12,12,6)
  if (key == 0xc667) return ICH_HCR_TALL1;                          // IGRPEN1 (12,12,7)
  return 0;
}

function accessAllowed(reg: i32, key: u32, rt: u32, isRead: bool, e: usize): bool {
  let el = currentEL();
  let min = minimumEL(key);
  vncrOff = -1;
  if (el == 1) {
    // FEAT_NV (HCR_EL2.NV, NV1; CONFIG_NV): at EL1, accesses to the EL2
    // registers (op1 = 4: *_EL2, SP_EL1, SPSR_EL2, ELR_EL2, ...) and to the
    // *_EL12/_EL02 aliases (op1 = 5) that are not UNDEFINED at EL2 trap to
    // EL2 with EC 0x18 instead of being UNDEFINED; under NV1, so do
    // VBAR_EL1, ELR_EL1 and SPSR_EL1.
    //
    // FEAT_NV2 (HCR_EL2.NV2 with NV): the registers of vncrOffset become
    // memory accesses at that offset in the VNCR page, instead of trapping
    // (EL2 and *_EL12 registers, above) or, for the *_EL1 encodings with NV1,
    // of the access (after the traps that take priority, below); SPSR_EL2,
    // ELR_EL2, ESR_EL2 and FAR_EL2 reach SPSR_EL1, ELR_EL1, ESR_EL1 and
    // FAR_EL1 (effectiveReg). The other EL2 registers still trap.
    let nv = nvControlsAtEL1();
    if (nv != 0) {
      let op1 = (key >> 11) & 7;
      let nv2 = (nv & HCR_NV2) != 0;
      if (nv2 && (op1 == 4 || op1 == 5)) {
        let off = vncrOffset(key, (nv & HCR_NV1) != 0);
        if (off >= 0) { vncrOff = off; return true; }
        if (nv2Redirect(reg) >= 0) return true;
      }
      if ((nv & HCR_NV) != 0 && (op1 == 4 || op1 == 5) && reg != T.SPR_IMPDEF &&
        !(isRead ? T.sysregWriteOnly(reg) : T.sysregReadOnly(reg))) return trapSysregTo(2, key, rt, isRead, e);
      if (!nv2 && (nv & HCR_NV1) != 0 && (reg == SR_VBAR_EL1 || reg == SR_ELR_EL1 || reg == SR_SPSR_EL1)) return trapSysregTo(2, key, rt, isRead, e);
    }
  }
  if (min > 3 || min > highestEL() || el < min) return undefined_(e);
  // *_EL12, *_EL02: at EL2 with HCR_EL2.E2H, at EL3 with EL2 enabled and
  // E2H; otherwise UNDEFINED (at EL1: unless HCR_EL2.NV traps them, above).
  if (isVHEAlias(key) && !elIsInHost(2)) return undefined_(e);
  // The registers FEAT_VHE adds do not exist without it.
  if (!vheImplemented && (key == 0xe101 || key == 0xe681 || (key >= 0xe718 && key <= 0xe71a))) return undefined_(e); // TTBR1_EL2, CONTEXTIDR_EL2, CNTHV_*
  if (!nvControls && key == 0xe110) return undefined_(e); // VNCR_EL2 (FEAT_NV2)
  if (isRead ? T.sysregWriteOnly(reg) : T.sysregReadOnly(reg)) return undefined_(e);
  if (reg == T.SPR_SP_EL0 && spSel() == 0) return undefined_(e);
  // LORegions are a Non-secure feature: their registers are UNDEFINED in Secure state.
  if (isLORegister(reg) && highestEL() == 3 && (sysreg(SR_SCR_EL3) & SCR_NS) == 0) return undefined_(e);
  if (el == 0) {
    // The host's EL0 (HCR_EL2.{E2H, TGE} = {1, 1}) is controlled by SCTLR_EL2
    // and CNTHCTL_EL2 (EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN in CNTKCTL_EL1's
    // places), and its traps go to EL2 (takeSync: TGE).
    let host = elIsInHost(0);
    let sctlr = sysreg(host ? SR_SCTLR_EL2 : SR_SCTLR_EL1);
    let kctl = sysreg(host ? SR_CNTHCTL_EL2 : SR_CNTKCTL_EL1);
    if (reg == T.SPR_DAIF && (sctlr & SCTLR_UMA) == 0) return trapSysreg(key, rt, isRead, e);
    if (reg == T.SPR_CTR && (sctlr & SCTLR_UCT) == 0) return trapSysreg(key, rt, isRead, e);
    if (reg == SR_CNTFRQ_EL0_ID && (kctl & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN)) == 0) return trapSysreg(key, rt, isRead, e);
    if (reg == T.SPR_CNTPCT && (kctl & CNTKCTL_EL0PCTEN) == 0) return trapSysreg(key, rt, isRead, e);
    if (reg == T.SPR_CNTVCT && (kctl & CNTKCTL_EL0VCTEN) == 0) return trapSysreg(key, rt, isRead, e);
    if (reg == SR_TPIDRRO_EL0_ID && !isRead) return undefined_(e);
    // The EL1 timers at EL0: CNTKCTL_EL1.EL0PTEN (physical), EL0VTEN (virtual).
    if (isTimer(reg) && timerOf(reg) == 0 && (kctl & CNTKCTL_EL0PTEN) == 0) return trapSysreg(key, rt, isRead, e);
    if (isTimer(reg) && timerOf(reg) == 1 && (kctl & CNTKCTL_EL0VTEN) == 0) return trapSysreg(key, rt, isRead, e);
    // The PMU at EL0: PMUSERENR_EL0.EN, SW, CR, ER; PMUSERENR_EL0 itself is read-only there.
    if (T.isPMU(reg)) {
      if (reg == T.SPR_PMUSERENR && !isRead) return undefined_(e);
      if (!pmuEL0Allowed(reg, isRead)) return trapSysreg(key, rt, isRead, e);
    }
  }
  // The IMPLEMENTATION DEFINED space: UNDEFINED unless HCR_EL2.TIDCP traps it at EL1.
  if (reg == T.SPR_IMPDEF && el != 1) return undefined_(e);
  // HCR_EL2, MDCR_EL2, CPTR_EL2 controls (to EL2) and MDCR_EL3, CPTR_EL3 (to EL3): traps.ts.
  let target = sysregTrapTarget(reg, isRead, el);
  // PMU event counters EL2 reserves (MDCR_EL2.HPMN) at EL0/EL1, or that
  // PMSELR_EL0.SEL does not name: CONSTRAINED UNPREDICTABLE, UNDEFINED here;
  // checked after MDCR_EL2.TPM, before MDCR_EL3.TPM (PMEVCNTR<n>_EL0's pseudocode).
  if (target != 2 && T.isPMU(reg) && pmuIndexed(reg) && pmuCounterOf(reg, el, el2Enabled()) < 0) return undefined_(e);
  if (target != 0) return trapSysregTo(target, key, rt, isRead, e);
  // FEAT_NV2: the *_EL1 registers of the VNCR page (after their traps).
  let nvx = el == 1 ? nvControlsAtEL1() : 0;
  if ((nvx & HCR_NV2) != 0 && ((key >> 11) & 7) == 0) {
    let off = vncrOffset(key, (nvx & HCR_NV1) != 0);
    if (off >= 0) { vncrOff = off; return true; }
  }
  if (reg == T.SPR_IMPDEF) return undefined_(e);
  // EL0/EL1 under EL2 (not the host's EL0): CNTHCTL_EL2.EL1PCTEN (CNTPCT_EL0)
  // and EL1PCEN (the physical timer) trap to EL2, at bits 10 and 11 with HCR_EL2.E2H.
  if (el <= 1 && el2Enabled() && !elIsInHost(el)) {
    let hctl = sysreg(SR_CNTHCTL_EL2);
    let e2h = (sysreg(SR_HCR_EL2) & HCR_E2H) != 0;
    let pcten = e2h ? CNTHCTL_E2H_EL1PCTEN : CNTHCTL_EL1PCTEN, pten = e2h ? CNTHCTL_E2H_EL1PTEN : CNTHCTL_EL1PCEN;
    if (reg == T.SPR_CNTPCT && (hctl & pcten) == 0) return trapSysregTo(2, key, rt, isRead, e);
    if (isTimer(reg) && timerOf(reg) == 0 && (hctl & pten) == 0) return trapSysregTo(2, key, rt, isRead, e);
    // ICC_SGI1R/ASGI1R/SGI0R_EL1 (3,0,12,11,5..7) at EL1 trap to EL2 while it
    // routes IRQs or FIQs (HCR_EL2.IMO/FMO): the hypervisor sends the guest's SGIs.
    if (el == 1 && reg == T.SPR_ICC && key >= 0xc65d && key <= 0xc65f && (sysreg(SR_HCR_EL2) & (HCR_IMO | HCR_FMO)) != 0) {
      return trapSysregTo(2, key, rt, isRead, e);
    }
    // ICH_HCR_EL2.TC, TALL0, TALL1 (the host's GIC holds ICH_HCR_EL2 and
    // publishes them in ICH_TRAPS): EL1 accesses to the registers common to
    // both groups, to Group 0's and to Group 1's trap to EL2, ICC or ICV alike.
    if (el == 1 && reg == T.SPR_ICC) {
      let traps = load<u32>(ICH_TRAPS);
      if (traps != 0 && (traps & iccTrapClass(key)) != 0) return trapSysregTo(2, key, rt, isRead, e);
    }
  }
  // CNTFRQ_EL0 is writable only at the highest implemented EL.
  if (reg == SR_CNTFRQ_EL0_ID && !isRead && el != highestEL()) return undefined_(e);
  // FPCR, FPSR: the FP/AdvSIMD enable check (CPACR_EL1.FPEN, CPTR_EL2/EL3.TFP).
  if ((reg == SR_FPCR || reg == SR_FPSR) && fpTrapEL != 0) return fpSysregTrap(e);
  return true;
}
import { ICH_TRAPS, ICH_HCR_TC, ICH_HCR_TALL0, ICH_HCR_TALL1 } from "../abi";
import { SR_CNTFRQ_EL0 as SR_CNTFRQ_EL0_ID, SR_TPIDRRO_EL0 as SR_TPIDRRO_EL0_ID, SR_CNTHCTL_EL2, EXIT_TIMER, EXIT_SYSREG, EXIT_SYSREG_KEY, EXIT_SYSREG_RT, EXIT_SYSREG_WRITE, EXIT_SYSREG_DATA, EXIT_PC } from "../abi";

// CNTVCT_EL0 read at `el`: the physical count minus CNTVOFF_EL2, which is
// treated as 0 at EL2 with HCR_EL2.E2H and at the host's EL0 (the EL2&0
// regime's virtual count).
function virtualCount(el: u32, now: u64): u64 {
  return (el == 2 || el == 0) && elIsInHost(el) ? physicalCount(now) : timerCount(1, now);
}

// A timer register read (CNTx_TVAL, CNTx_CTL, CNTx_CVAL) after `now` instructions.
function readTimer(idx: u32, now: u64): u64 {
  let t = idx >> 2;
  let r = idx & 3;
  if (r == 1) return readTimerCtl(t, now);
  if (r == 2) return sysreg(cvalOf(t));
  return <u64><u32>(sysreg(cvalOf(t)) - timerCount(t, now)); // TVAL: CVAL - count, 32 bits
}

// A timer register write; the host is told (EXIT_TIMER) so it re-reads the lines.
function writeTimer(idx: u32, v: u64, now: u64): void {
  let t = idx >> 2;
  let r = idx & 3;
  if (r == 1) setSysreg(ctlOf(t), v & 3);
  else if (r == 2) setSysreg(cvalOf(t), v);
  else setSysreg(cvalOf(t), timerCount(t, now) + <u64><i64><i32>v); // TVAL: CVAL = count + SignExtend(TVAL)
  requestExit(EXIT_TIMER);
}

// MRS. `now` is the physical count (instructions retired) at this instruction.
// An access the host implements: leave run() after this instruction.
function hostSysreg(key: u32, rt: u32, isWrite: bool, v: u64, e: usize): void {
  exitSyndrome(syndrome(EC_SYSREG, issSysreg(key, rt, !isWrite)), 0, 0);
  store<u64>(EXIT_PC, pcOf(e));
  store<u32>(EXIT_SYSREG_KEY, key);
  store<u32>(EXIT_SYSREG_RT, rt);
  store<u32>(EXIT_SYSREG_WRITE, isWrite ? 1 : 0);
  store<u64>(EXIT_SYSREG_DATA, v);
  requestExit(EXIT_SYSREG);
}

export function mrs(reg: i32, key: u32, rt: u32, e: usize, now: u64): bool {
  if (!accessAllowed(reg, key, rt, true, e)) return false;
  if (vncrOff >= 0) {
    if (!vncrAccess(<u64>vncrOff, false, 0, pcOf(e))) return false;
    sysValue = vncrValue;
    return true;
  }
  if (reg == T.SPR_ICC) { hostSysreg(key, rt, false, 0, e); sysValue = 0; return true; }
  let el = currentEL();
  reg = effectiveReg(reg, key, el);
  if (T.isPMU(reg)) { sysValue = pmuRead(reg, el, el2Enabled(), now); return true; }
  let v: u64;
  switch (reg) {
    case T.SPR_SP_EL0: v = readSPEL(0); break;
    case T.SPR_SP_EL1: v = readSPEL(1); break;
    case T.SPR_SP_EL2: v = readSPEL(2); break;
    case T.SPR_NZCV: v = <u64>getNZCV(); break;
    case T.SPR_DAIF: v = <u64>getDAIF(); break;
    // FEAT_NV: EL1 reads CurrentEL as EL2 under HCR_EL2.NV.
    case T.SPR_CURRENTEL: v = <u64>((el == 1 && (nvControlsAtEL1() & HCR_NV) != 0 ? 2 : el) << 2); break;
    case T.SPR_LORN: v = 0; break;
    case T.SPR_LORID: v = ID.LORID_EL1; break;
    case T.SPR_ISR: v = isrValue(); break;
    case T.SPR_SPSEL: v = <u64>spSel(); break;
    case T.SPR_PAN: v = <u64>getPAN() << 22; break;
    case T.SPR_UAO: v = <u64>getUAO() << 23; break;
    // At EL1 with EL2 enabled, MIDR/MPIDR read the virtual values EL2 set.
    case T.SPR_MIDR: v = el == 1 && el2Enabled() ? sysreg(SR_VPIDR_EL2) : ID.midr(); break;
    case T.SPR_MPIDR: v = el == 1 && el2Enabled() ? sysreg(SR_VMPIDR_EL2) : ID.mpidr(); break;
    case T.SPR_REVIDR: v = 0; break;
    case T.SPR_AIDR: v = 0; break;
    case T.SPR_CTR: v = ID.CTR_EL0; break;
    case T.SPR_DCZID: {
      // DZP reads 1 where DC ZVA is prohibited: at EL0 without SCTLR_EL1.DZE,
      // at EL0 and EL1 under HCR_EL2.TDZ.
      let dzp: u64 = (el == 0 && (sctlrForEL0() & SCTLR_DZE) == 0) ||
        (el <= 1 && el2Enabled() && (sysreg(SR_HCR_EL2) & HCR_TDZ) != 0) ? 1 : 0;
      v = ID.DCZID_BS | (dzp << 4);
      break;
    }
    case T.SPR_CLIDR: v = ID.CLIDR_EL1; break;
    case T.SPR_CCSIDR: v = ID.ccsidr(); break;
    case T.SPR_CNTPCT: v = physicalCount(now); break;
    case T.SPR_CNTVCT: v = virtualCount(el, now); break;
    case T.SPR_RVBAR_EL3: v = sysreg(SR_RVBAR_EL3); break;
    case T.SPR_OSLSR: v = 0x8 | ((sysreg(SR_OSLSR_EL1) & 1) << 1); break; // OSLM = 0b10, OSLK
    case T.SPR_MDRAR: v = 0; break;
    case T.SPR_ID_AA64PFR0: v = ID.idAA64PFR0(); break;
    case T.SPR_ID_AA64PFR1: v = ID.ID_AA64PFR1; break;
    case T.SPR_ID_AA64DFR0: v = ID.ID_AA64DFR0; break;
    case T.SPR_ID_AA64DFR1: v = ID.ID_AA64DFR1; break;
    case T.SPR_ID_AA64ISAR0: v = ID.idAA64ISAR0(); break;
    case T.SPR_ID_AA64ISAR1: v = ID.idAA64ISAR1(); break;
    case T.SPR_ID_AA64MMFR0: v = ID.ID_AA64MMFR0; break;
    case T.SPR_ID_AA64MMFR1: v = ID.idAA64MMFR1(); break;
    case T.SPR_ID_AA64MMFR2: v = ID.idAA64MMFR2(); break;
    case T.SPR_ID_RAZ: v = 0; break;
    case T.SPR_ERRIDR: v = ID.ERRIDR_EL1; break;
    case T.SPR_ERX: v = 0; break;
    case T.SPR_DISR: { let r = disrRegister(); v = r >= 0 ? sysreg(r) : 0; break; }
    default: v = isTimer(reg) ? readTimer(<u32>(reg - T.SPR_TIMER), now) : sysreg(reg);
  }
  sysValue = v;
  return true;
}

// MSR (register).
export function msr(reg: i32, key: u32, rt: u32, v: u64, e: usize, now: u64): bool {
  if (!accessAllowed(reg, key, rt, false, e)) return false;
  if (vncrOff >= 0) return vncrAccess(<u64>vncrOff, true, v, pcOf(e));
  reg = effectiveReg(reg, key, currentEL());
  if (isTimer(reg)) { writeTimer(<u32>(reg - T.SPR_TIMER), v, now); return true; }
  if (reg == T.SPR_ICC) { hostSysreg(key, rt, true, v, e); return true; }
  if (T.isPMU(reg)) { pmuWrite(reg, v, currentEL(), el2Enabled(), now); return true; }
  // MDCR_EL2 (HPMN, HPME) and MDCR_EL3 (SPME) change what the PMU counts:
  // count up to here under the old values, and recompute after.
  if (reg == SR_MDCR_EL2 || reg == SR_MDCR_EL3) {
    pmuFold(now);
    setSysreg(reg, v);
    pmuRecompute(now);
    pmuIrqCheck();
    return true;
  }
  switch (reg) {
    case T.SPR_SP_EL0: writeSPEL(0, v); break;
    case T.SPR_SP_EL1: writeSPEL(1, v); break;
    case T.SPR_SP_EL2: writeSPEL(2, v); break;
    case T.SPR_NZCV: setNZCV(<u32>v & 0xf000_0000); break;
    case T.SPR_DAIF: setDAIF(<u32>v); break;
    case T.SPR_SPSEL: setELAndSP(currentEL(), <u32>v & 1); break;
    case T.SPR_PAN: store<u32>(PSTATE_PAN, <u32>(v >> 22) & 1); break;
    case T.SPR_UAO: store<u32>(PSTATE_UAO, <u32>(v >> 23) & 1); break;
    case T.SPR_OSLAR: setSysreg(SR_OSLSR_EL1, v & 1); break;
    case T.SPR_LORN: break;
    case SR_LORSA_EL1: setSysreg(reg, v & LORSA_MASK); break;
    case SR_LOREA_EL1: setSysreg(reg, v & LOREA_MASK); break;
    case SR_LORC_EL1: setSysreg(reg, v & LORC_MASK); break;
    // HCR_EL2: the Armv8.0 fields (bits 33:0) and E2H (FEAT_VHE), with HCD
    // RES0 when EL3 is implemented; RW is RAO/WI, no lower EL can be AArch32.
    // The fields of features this core lacks (FIEN, ...) are RES0.
    case SR_HCR_EL2: {
      let w = vheImplemented ? HCR_WRITABLE : HCR_WRITABLE & ~HCR_E2H; // E2H is RES0 without FEAT_VHE
      // NV, NV1, AT (FEAT_NV) and NV2 (FEAT_NV2): with CONFIG_NV.
      if (nvControls) w |= HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2;
      // TERR and TEA (FEAT_RAS): with CONFIG_RAS.
      if (rasImplemented) w |= HCR_TERR | HCR_TEA;
      // APK, API (FEAT_PAuth): with CONFIG_PAUTH.
      if (pauthImplemented) w |= HCR_APK | HCR_API;
      setSysreg(reg, (v & (highestEL() == 3 ? w & ~HCR_HCD : w)) | HCR_RW);
      break;
    }
    // SCR_EL3: TERR (FEAT_RAS) and APK, API (FEAT_PAuth) are RES0 without them.
    case SR_SCR_EL3: {
      let w = SCR_WRITABLE;
      if (rasImplemented) w |= SCR_TERR;
      if (pauthImplemented) w |= SCR_APK | SCR_API;
      setSysreg(reg, (v & w) | SCR_RW);
      break;
    }
    // FEAT_RAS: the error record registers are WI (no records); DISR_EL1
    // writes reach VDISR_EL2, DISR_EL1 or nothing (ras.ts disrRegister).
    case T.SPR_ERX: break;
    case T.SPR_DISR: { let r = disrRegister(); if (r >= 0) setSysreg(r, deferredValue(v)); break; }
    case SR_VDISR_EL2: setSysreg(reg, deferredValue(v)); break;
    case SR_VSESR_EL2: setSysreg(reg, v & VSESR_MASK); break;
    // VNCR_EL2: BADDR (56:12); bits 63:57 RESS (read as the sign extension of bit 56), 11:0 RES0.
    case SR_VNCR_EL2: setSysreg(reg, <u64>(<i64>(v << 7) >> 7) & ~<u64>0xfff); break;
    case SR_FPCR: setSysreg(reg, v & FPCR_MASK); break;
    case SR_FPSR: setSysreg(reg, v & FPSR_MASK); break;
    default: setSysreg(reg, v);
  }
  return true;
}

// MSR (immediate) to a PSTATE field; field = op1 << 3 | op2.
export function msrImmediate(field: u32, crm: u32, e: usize): bool {
  let el = currentEL();
  let key: u32 = (((field >> 3) & 7) << 11) | (4 << 7) | (crm << 3) | (field & 7);
  switch (field) {
    case 0x05: // SPSel
      if (el == 0) return undefined_(e);
      setELAndSP(el, crm & 1);
      return true;
    case 0x1e: // DAIFSet
    case 0x1f: // DAIFClr
      if (el == 0 && (sctlrForEL0() & SCTLR_UMA) == 0) return trapSysreg(key, 31, false, e);
      if (field == 0x1e) setDAIF(getDAIF() | (crm << 6)); else setDAIF(getDAIF() & ~(crm << 6));
      return true;
    case 0x04: // PAN
      if (el == 0) return undefined_(e);
      store<u32>(PSTATE_PAN, crm & 1);
      return true;
    case 0x03: // UAO
      if (el == 0) return undefined_(e);
      store<u32>(PSTATE_UAO, crm & 1);
      return true;
  }
  return undefined_(e);
}
