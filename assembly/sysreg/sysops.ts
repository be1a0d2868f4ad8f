// SYS instructions (op0 = 1): cache maintenance (DC, IC), address translation
// (AT) and TLB maintenance (TLBI). Encodings are op0:op1:CRn:CRm:op2 keys.
export const SYS_DC_ZVA = 0;
export const SYS_DC_BY_VA = 1;     // DC IVAC, CVAC, CVAU, CIVAC
export const SYS_DC_BY_SETWAY = 2; // DC ISW, CSW, CISW
export const SYS_IC_IALLU = 3;     // IC IALLU, IC IALLUIS
export const SYS_IC_IVAU = 4;
export const SYS_AT = 5;
export const SYS_TLBI = 6;

@inline function K(op1: u32, crn: u32, crm: u32, op2: u32): u32 {
  return (1 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export function sysOpLookup(key: u32): i32 {
  let op1 = (key >> 11) & 7, crn = (key >> 7) & 0xf, crm = (key >> 3) & 0xf, op2 = key & 7;
  if (key == K(3, 7, 4, 1)) return SYS_DC_ZVA;
  if (key == K(0, 7, 6, 1) || key == K(3, 7, 10, 1) || key == K(3, 7, 11, 1) || key == K(3, 7, 14, 1)) return SYS_DC_BY_VA;
  if (key == K(0, 7, 6, 2) || key == K(0, 7, 10, 2) || key == K(0, 7, 14, 2)) return SYS_DC_BY_SETWAY;
  if (key == K(0, 7, 1, 0) || key == K(0, 7, 5, 0)) return SYS_IC_IALLU;
  if (key == K(3, 7, 5, 1)) return SYS_IC_IVAU;
  if (crn == 7 && crm == 8) {
    if (op1 == 0 && op2 <= 3) return SYS_AT;              // S1E1R, S1E1W, S1E0R, S1E0W
    if (op1 == 4 && op2 != 2 && op2 != 3) return SYS_AT;  // S1E2R/W, S12E1R/W, S12E0R/W
    if (op1 == 6 && op2 <= 1) return SYS_AT;              // S1E3R/W
    return -1;
  }
  if (crn == 8) {
    if (op1 == 0 && (crm == 3 || crm == 7) && (op2 <= 3 || op2 == 5 || op2 == 7)) return SYS_TLBI;
    if (op1 == 4 && (crm == 0 || crm == 4) && (op2 == 1 || op2 == 5)) return SYS_TLBI; // IPAS2(L)E1(IS)
    if (op1 == 4 && (crm == 3 || crm == 7) && (op2 == 0 || op2 == 1 || op2 == 4 || op2 == 5 || op2 == 6)) return SYS_TLBI;
    if (op1 == 6 && (crm == 3 || crm == 7) && (op2 == 0 || op2 == 1 || op2 == 5)) return SYS_TLBI;
  }
  return -1;
}
