// System register encodings (op0:op1:CRn:CRm:op2, 16 bits) to register numbers.
// Register numbers below 0x100 are storage indices (SR_* in abi.ts); the rest
// are computed or special-purpose registers handled in access.ts.
import * as SR from "../abi";
import { gicSysregs, rasImplemented } from "../cpu/config";
import { fpEnabled, pauthImplemented } from "../cpu/config";
import { PMU_N } from "../cpu/pmu";

export const SPR_SP_EL0 = 0x100;
export const SPR_SP_EL1 = 0x101;
export const SPR_SP_EL2 = 0x102;
export const SPR_NZCV = 0x103;
export const SPR_DAIF = 0x104;
export const SPR_CURRENTEL = 0x105;
export const SPR_SPSEL = 0x106;
export const SPR_PAN = 0x107;
export const SPR_UAO = 0x108;
export const SPR_MIDR = 0x109;
export const SPR_MPIDR = 0x10a;
export const SPR_REVIDR = 0x10b;
export const SPR_AIDR = 0x10c;
export const SPR_CTR = 0x10d;
export const SPR_DCZID = 0x10e;
export const SPR_CLIDR = 0x10f;
export const SPR_CCSIDR = 0x110;
export const SPR_CNTPCT = 0x111;
export const SPR_CNTVCT = 0x112;
export const SPR_RVBAR_EL3 = 0x113;
export const SPR_OSLAR = 0x114;
export const SPR_OSLSR = 0x115;
export const SPR_MDRAR = 0x116;  // MDRAR_EL1: no ROM table (Valid = 0b00), reads as zero
// Any encoding of the IMPLEMENTATION DEFINED space (op0 = 3, CRn = 11 or 15):
// none is implemented, so each is UNDEFINED unless HCR_EL2.TIDCP traps it.
export const SPR_IMPDEF = 0x117;
export const SPR_ISR = 0x118;   // ISR_EL1: pending interrupts (interrupt.ts isrValue)
// FEAT_LOR: LORN_EL1 (one LORegion, so Num has no bits: RAZ/WI) and LORID_EL1.
export const SPR_LORN = 0x119;
export const SPR_LORID = 0x11a;
// FEAT_RAS (CONFIG_RAS) with no error records. ERRIDR_EL1 reads NUM = 0;
// ERRSELR_EL1 and ERXFR, ERXCTLR, ERXSTATUS, ERXADDR, ERXMISC0, ERXMISC1_EL1
// are RAZ/WI (the Arm ARM lets ERRSELR_EL1 be RES0 and the ERX* registers
// RAZ/WI when ERRIDR_EL1.NUM is 0). DISR_EL1 is computed: VDISR_EL2 at EL1
// under HCR_EL2.AMO, RAZ/WI below EL3 under SCR_EL3.EA (access.ts).
export const SPR_ERRIDR = 0x11b;
export const SPR_ERX = 0x11c;
export const SPR_DISR = 0x11d;
export const SPR_ID_AA64PFR0 = 0x120;
export const SPR_ID_AA64PFR1 = 0x121;
export const SPR_ID_AA64DFR0 = 0x122;
export const SPR_ID_AA64DFR1 = 0x123;
export const SPR_ID_AA64ISAR0 = 0x124;
export const SPR_ID_AA64ISAR1 = 0x125;
export const SPR_ID_AA64MMFR0 = 0x126;
export const SPR_ID_AA64MMFR1 = 0x127;
export const SPR_ID_AA64MMFR2 = 0x128;
export const SPR_ID_RAZ = 0x12f;
// Generic timer registers: SPR_TIMER + timer * 4 + reg, timer 0 = CNTP, 1 = CNTV,
// 2 = CNTHP, 3 = CNTHV; reg 0 = TVAL, 1 = CTL, 2 = CVAL.
export const SPR_TIMER = 0x140;
export const SPR_TIMER_END = 0x150;
// The GICv3 CPU interface registers, implemented by the host (EXIT_SYSREG).
export const SPR_ICC = 0x150;
// FEAT_PMUv3 (sysreg/pmu.ts): in the order of their encodings' op2 where they share a CRm.
export const SPR_PMCR = 0x160;        // PMCR_EL0 (3,3,9,12,0)
export const SPR_PMCNTENSET = 0x161;  // (3,3,9,12,1)
export const SPR_PMCNTENCLR = 0x162;  // (3,3,9,12,2)
export const SPR_PMOVSCLR = 0x163;    // (3,3,9,12,3)
export const SPR_PMSWINC = 0x164;     // (3,3,9,12,4)
export const SPR_PMSELR = 0x165;      // (3,3,9,12,5)
export const SPR_PMCEID0 = 0x166;     // (3,3,9,12,6)
export const SPR_PMCEID1 = 0x167;     // (3,3,9,12,7)
export const SPR_PMCCNTR = 0x168;     // (3,3,9,13,0)
export const SPR_PMXEVTYPER = 0x169;  // (3,3,9,13,1)
export const SPR_PMXEVCNTR = 0x16a;   // (3,3,9,13,2)
export const SPR_PMUSERENR = 0x16b;   // (3,3,9,14,0)
export const SPR_PMOVSSET = 0x16c;    // (3,3,9,14,3)
export const SPR_PMINTENSET = 0x16d;  // PMINTENSET_EL1 (3,0,9,14,1)
export const SPR_PMINTENCLR = 0x16e;  // PMINTENCLR_EL1 (3,0,9,14,2)
export const SPR_PMCCFILTR = 0x16f;   // (3,3,14,15,7)
export const SPR_PMEVCNTR = 0x170;    // + n: PMEVCNTR<n>_EL0 (3,3,14,8+n[4:3],n[2:0]), n < PMCR_EL0.N
export const SPR_PMEVTYPER = 0x190;   // + n: PMEVTYPER<n>_EL0 (3,3,14,12+n[4:3],n[2:0])
export const SPR_PMU_END = 0x1b0;
@inline export function isPMU(reg: i32): bool { return reg >= SPR_PMCR && reg < SPR_PMU_END; }

// The PMU register of an encoding, or -1. PMEVCNTR<n>, PMEVTYPER<n> with n >=
// PMCR_EL0.N do not exist (UNDEFINED before any trap).
function pmuLookup(key: u32): i32 {
  if (key >= 0xdce0 && key <= 0xdcea) return SPR_PMCR + <i32>(key - 0xdce0);
  if (key == 0xdcf0) return SPR_PMUSERENR;
  if (key == 0xdcf3) return SPR_PMOVSSET;
  if (key == 0xc4f1) return SPR_PMINTENSET;
  if (key == 0xc4f2) return SPR_PMINTENCLR;
  if (key == 0xdf7f) return SPR_PMCCFILTR;
  if (key >= 0xdf40 && key < 0xdf40 + PMU_N) return SPR_PMEVCNTR + <i32>(key - 0xdf40);
  if (key >= 0xdf60 && key < 0xdf60 + PMU_N) return SPR_PMEVTYPER + <i32>(key - 0xdf60);
  return -1;
}

// ICC_*_EL1 encodings of a GICv3 CPU interface with 5 bits of priority:
// PMR; IAR0, EOIR0, HPPIR0, BPR0, AP0R0; AP1R0; DIR, RPR, SGI1R, ASGI1R,
// SGI0R; IAR1, EOIR1, HPPIR1, BPR1, CTLR, SRE, IGRPEN0, IGRPEN1. And the EL2
// registers (op1 = 4; UNDEFINED without EL2, see access.ts) of its virtual
// interface with 4 list registers: ICH_AP0R0, ICH_AP1R0, ICC_SRE_EL2,
// ICH_HCR, VTR, MISR, EISR, ELRSR, VMCR, ICH_LR0..3.
function isICC(key: u32): bool {
  if (key == 0xc230) return true;                             // ICC_PMR_EL1 (3,0,4,6,0)
  let crm = (key >> 3) & 0xf, op2 = key & 7;
  if ((key & 0xff80) == 0xe600) {                             // op0=3, op1=4, CRn=12
    if (crm == 8) return op2 == 0;                            // ICH_AP0R0_EL2
    if (crm == 9) return op2 == 0 || op2 == 5;                // ICH_AP1R0_EL2, ICC_SRE_EL2
    if (crm == 11) return op2 != 4 && op2 != 6;               // HCR VTR MISR EISR ELRSR VMCR
    if (crm == 12) return op2 < 4;                            // ICH_LR0..3_EL2
    return false;
  }
  if ((key & 0xff80) != 0xc600) return false;                 // op0=3, op1=0, CRn=12
  if (crm == 8) return op2 <= 4;                              // IAR0 EOIR0 HPPIR0 BPR0 AP0R0
  if (crm == 9) return op2 == 0;                              // AP1R0
  if (crm == 11) return op2 == 1 || op2 == 3 || op2 >= 5;     // DIR RPR SGI1R ASGI1R SGI0R
  if (crm == 12) return true;                                 // IAR1 EOIR1 HPPIR1 BPR1 CTLR SRE IGRPEN0 IGRPEN1
  return false;
} // the rest of the ID space (op0=3, op1=0, CRn=0, CRm=1..7): RAZ

// FEAT_VHE's *_EL12 and *_EL02 encodings (op0 = 3, op1 = 5): the EL1 (op1 =
// 0) or EL0 (op1 = 3) register encoding each stands for, or 0. They decode
// to that register; access.ts makes them UNDEFINED unless EL2 (or EL3) runs
// with HCR_EL2.E2H, and never redirects them to EL2.
function vheAlias(key: u32): u32 {
  let el1 = key - 0x2800, el0 = key - 0x1000;
  switch (el1) {
    case 0xc080: case 0xc082:                         // SCTLR_EL12, CPACR_EL12
    case 0xc100: case 0xc101: case 0xc102:            // TTBR0_EL12, TTBR1_EL12, TCR_EL12
    case 0xc200: case 0xc201:                         // SPSR_EL12, ELR_EL12
    case 0xc288: case 0xc289: case 0xc290:            // AFSR0_EL12, AFSR1_EL12, ESR_EL12
    case 0xc300: case 0xc510: case 0xc518:            // FAR_EL12, MAIR_EL12, AMAIR_EL12
    case 0xc600: case 0xc681: case 0xc708:            // VBAR_EL12, CONTEXTIDR_EL12, CNTKCTL_EL12
      return el1;
  }
  switch (el0) {
    case 0xdf10: case 0xdf11: case 0xdf12:            // CNTP_TVAL_EL02, CNTP_CTL_EL02, CNTP_CVAL_EL02
    case 0xdf18: case 0xdf19: case 0xdf1a:            // CNTV_TVAL_EL02, CNTV_CTL_EL02, CNTV_CVAL_EL02
      return el0;
  }
  return 0;
}

// The FEAT_RAS encodings, or -1: ERRIDR_EL1 (3,0,5,3,0), ERRSELR_EL1
// (3,0,5,3,1), ERXFR/CTLR/STATUS/ADDR_EL1 (3,0,5,4,0..3), ERXMISC0/1_EL1
// (3,0,5,5,0..1; MISC2/3 are FEAT_RASv1p1's), DISR_EL1 (3,0,12,1,1),
// VDISR_EL2 (3,4,12,1,1), VSESR_EL2 (3,4,5,2,3).
function rasLookup(key: u32): i32 {
  switch (key) {
    case 0xc298: return SPR_ERRIDR;
    case 0xc299: case 0xc2a0: case 0xc2a1: case 0xc2a2: case 0xc2a3: case 0xc2a8: case 0xc2a9: return SPR_ERX;
    case 0xc609: return SPR_DISR;
    case 0xe609: return SR.SR_VDISR_EL2;
    case 0xe293: return SR.SR_VSESR_EL2;
  }
  return -1;
}

export function sysregLookup(key: u32): i32 {
  if (gicSysregs && isICC(key)) return SPR_ICC;
  if (rasImplemented) { let r = rasLookup(key); if (r >= 0) return r; }
  if ((key & 0xf800) == 0xe800) { let k = vheAlias(key); return k != 0 ? sysregLookup(k) : -1; }
  switch (key) {
    case 0xc080: return SR.SR_SCTLR_EL1;
    case 0xe080: return SR.SR_SCTLR_EL2;
    case 0xf080: return SR.SR_SCTLR_EL3;
    case 0xc081: return SR.SR_ACTLR_EL1;
    case 0xe081: return SR.SR_ACTLR_EL2;
    case 0xf081: return SR.SR_ACTLR_EL3;
    case 0xc082: return SR.SR_CPACR_EL1;
    case 0xe08a: return SR.SR_CPTR_EL2;
    case 0xf08a: return SR.SR_CPTR_EL3;
    case 0xe088: return SR.SR_HCR_EL2;
    case 0xf088: return SR.SR_SCR_EL3;
    case 0xe089: return SR.SR_MDCR_EL2;
    case 0xf099: return SR.SR_MDCR_EL3;
    case 0xe08b: return SR.SR_HSTR_EL2;
    case 0xe08f: return SR.SR_HACR_EL2;
    case 0xc100: return SR.SR_TTBR0_EL1;
    case 0xc101: return SR.SR_TTBR1_EL1;
    case 0xc102: return SR.SR_TCR_EL1;
    case 0xe100: return SR.SR_TTBR0_EL2;
    case 0xe101: return SR.SR_TTBR1_EL2;
    case 0xe102: return SR.SR_TCR_EL2;
    case 0xe108: return SR.SR_VTTBR_EL2;
    case 0xe10a: return SR.SR_VTCR_EL2;
    case 0xf100: return SR.SR_TTBR0_EL3;
    case 0xf102: return SR.SR_TCR_EL3;
    case 0xc510: return SR.SR_MAIR_EL1;
    case 0xc518: return SR.SR_AMAIR_EL1;
    case 0xe510: return SR.SR_MAIR_EL2;
    case 0xe518: return SR.SR_AMAIR_EL2;
    case 0xf510: return SR.SR_MAIR_EL3;
    case 0xf518: return SR.SR_AMAIR_EL3;
    case 0xc290: return SR.SR_ESR_EL1;
    case 0xe290: return SR.SR_ESR_EL2;
    case 0xf290: return SR.SR_ESR_EL3;
    case 0xc288: return SR.SR_AFSR0_EL1;
    case 0xc289: return SR.SR_AFSR1_EL1;
    case 0xe288: return SR.SR_AFSR0_EL2;
    case 0xe289: return SR.SR_AFSR1_EL2;
    case 0xf288: return SR.SR_AFSR0_EL3;
    case 0xf289: return SR.SR_AFSR1_EL3;
    case 0xc300: return SR.SR_FAR_EL1;
    case 0xe300: return SR.SR_FAR_EL2;
    case 0xf300: return SR.SR_FAR_EL3;
    case 0xe304: return SR.SR_HPFAR_EL2;
    case 0xc3a0: return SR.SR_PAR_EL1;
    case 0xc600: return SR.SR_VBAR_EL1;
    case 0xe600: return SR.SR_VBAR_EL2;
    case 0xf600: return SR.SR_VBAR_EL3;
    case 0xc681: return SR.SR_CONTEXTIDR_EL1;
    case 0xe681: return SR.SR_CONTEXTIDR_EL2;
    case 0xe110: return SR.SR_VNCR_EL2;
    case 0xc520: return SR.SR_LORSA_EL1;  // (3,0,10,4,0)
    case 0xc521: return SR.SR_LOREA_EL1;
    case 0xc522: return SPR_LORN;
    case 0xc523: return SR.SR_LORC_EL1;
    case 0xc527: return SPR_LORID;
    case 0xc684: return SR.SR_TPIDR_EL1;
    case 0xde82: return SR.SR_TPIDR_EL0;
    case 0xde83: return SR.SR_TPIDRRO_EL0;
    case 0xe682: return SR.SR_TPIDR_EL2;
    case 0xf682: return SR.SR_TPIDR_EL3;
    case 0xc201: return SR.SR_ELR_EL1;
    case 0xe201: return SR.SR_ELR_EL2;
    case 0xf201: return SR.SR_ELR_EL3;
    case 0xc200: return SR.SR_SPSR_EL1;
    case 0xe200: return SR.SR_SPSR_EL2;
    case 0xf200: return SR.SR_SPSR_EL3;
    case 0xc708: return SR.SR_CNTKCTL_EL1;
    case 0xe708: return SR.SR_CNTHCTL_EL2;
    case 0xe703: return SR.SR_CNTVOFF_EL2;
    case 0xdf00: return SR.SR_CNTFRQ_EL0;
    case 0x8012: return SR.SR_MDSCR_EL1;
    case 0xd000: return SR.SR_CSSELR_EL1;
    case 0xe000: return SR.SR_VPIDR_EL2;
    case 0xe005: return SR.SR_VMPIDR_EL2;
    case 0x809c: return SR.SR_OSDLR_EL1;
    case 0xc208: return SPR_SP_EL0;
    case 0xe208: return SPR_SP_EL1;
    case 0xf208: return SPR_SP_EL2;
    case 0xda10: return SPR_NZCV;
    case 0xda11: return SPR_DAIF;
    case 0xc212: return SPR_CURRENTEL;
    case 0xc608: return SPR_ISR;      // ISR_EL1 (3,0,12,1,0)
    case 0xc210: return SPR_SPSEL;
    case 0xc213: return SPR_PAN;
    case 0xc214: return SPR_UAO;
    case 0xc000: return SPR_MIDR;
    case 0xc005: return SPR_MPIDR;
    case 0xc006: return SPR_REVIDR;
    case 0xc807: return SPR_AIDR;
    case 0xd801: return SPR_CTR;
    case 0xd807: return SPR_DCZID;
    case 0xc801: return SPR_CLIDR;
    case 0xc800: return SPR_CCSIDR;
    case 0xdf01: return SPR_CNTPCT;
    case 0xdf02: return SPR_CNTVCT;
    case 0xdf10: return SPR_TIMER + 0;  // CNTP_TVAL_EL0
    case 0xdf11: return SPR_TIMER + 1;  // CNTP_CTL_EL0
    case 0xdf12: return SPR_TIMER + 2;  // CNTP_CVAL_EL0
    case 0xdf18: return SPR_TIMER + 4;  // CNTV_TVAL_EL0
    case 0xdf19: return SPR_TIMER + 5;  // CNTV_CTL_EL0
    case 0xdf1a: return SPR_TIMER + 6;  // CNTV_CVAL_EL0
    case 0xe710: return SPR_TIMER + 8;  // CNTHP_TVAL_EL2
    case 0xe711: return SPR_TIMER + 9;  // CNTHP_CTL_EL2
    case 0xe712: return SPR_TIMER + 10; // CNTHP_CVAL_EL2
    case 0xe718: return SPR_TIMER + 12; // CNTHV_TVAL_EL2
    case 0xe719: return SPR_TIMER + 13; // CNTHV_CTL_EL2
    case 0xe71a: return SPR_TIMER + 14; // CNTHV_CVAL_EL2
    case 0xf601: return SPR_RVBAR_EL3;
    case 0x8084: return SPR_OSLAR;
    case 0x808c: return SPR_OSLSR;
    case 0x8080: return SPR_MDRAR;
    case 0xc020: return SPR_ID_AA64PFR0;
    case 0xc021: return SPR_ID_AA64PFR1;
    case 0xc028: return SPR_ID_AA64DFR0;
    case 0xc029: return SPR_ID_AA64DFR1;
    case 0xc030: return SPR_ID_AA64ISAR0;
    case 0xc031: return SPR_ID_AA64ISAR1;
    case 0xc038: return SPR_ID_AA64MMFR0;
    case 0xc039: return SPR_ID_AA64MMFR1;
    case 0xc03a: return SPR_ID_AA64MMFR2;
  }
  // DBGBVR<n>_EL1, DBGBCR<n>_EL1, DBGWVR<n>_EL1, DBGWCR<n>_EL1 (2,0,0,n,4..7) for n = 0, 1.
  if ((key & 0xfff4) == 0x8004 && ((key >> 3) & 0xf) < 2) return SR.SR_DBG_BASE + (((key >> 3) & 1) << 2) + (key & 3);
  // The PMU: op0 = 3, CRn = 9 (op1 = 0 or 3) or CRn = 14 with op1 = 3, CRm >= 8.
  if ((key & 0xc780) == 0xc480 || (key & 0xffc0) == 0xdf40) return pmuLookup(key);
  // APIAKeyLo_EL1 .. APGAKeyHi_EL1 (3,0,2,1..3,0..3): FEAT_PAuth (CONFIG_PAUTH).
  // Lo, Hi of IA, IB at CRm = 1, of DA, DB at CRm = 2, of GA at CRm = 3.
  if (pauthImplemented && (key & 0xffe4) == 0xc100) {
    let crm = (key >> 3) & 3, op2 = key & 3;
    if (crm != 0 && (crm < 3 || op2 < 2)) return SR.SR_APIAKEYLO_EL1 + <i32>((crm - 1) * 4 + op2);
  }
  // FPCR and FPSR exist only with FP/AdvSIMD (CONFIG_FP); otherwise UNDEFINED.
  if (key == 0xda20 && fpEnabled) return SR.SR_FPCR;
  if (key == 0xda21 && fpEnabled) return SR.SR_FPSR;
  // The rest of the ID register space reads as zero (Arm ARM D17.2, "reserved ID space").
  let crm = (key >> 3) & 0xf;
  if ((key & 0xff80) == 0xc000 && crm >= 1 && crm <= 7) return SPR_ID_RAZ;
  let crn = (key >> 7) & 0xf;
  if ((key >> 14) == 3 && (crn == 11 || crn == 15)) return SPR_IMPDEF;
  return -1;
}

// Registers that software may only read.
export function sysregReadOnly(reg: i32): bool {
  if (reg >= SPR_MIDR && reg <= SPR_CNTVCT) return true;
  if (reg == SPR_PMCEID0 || reg == SPR_PMCEID1) return true;
  if (reg == SPR_CURRENTEL || reg == SPR_ISR || reg == SPR_LORID || reg == SPR_ERRIDR || reg == SPR_RVBAR_EL3 || reg == SPR_OSLSR || reg == SPR_MDRAR || (reg >= SPR_ID_AA64PFR0 && reg <= SPR_ID_RAZ)) return true;
  return false;
}

// Registers that software may only write.
export function sysregWriteOnly(reg: i32): bool { return reg == SPR_OSLAR || reg == SPR_PMSWINC; }
