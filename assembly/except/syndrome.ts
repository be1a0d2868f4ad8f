// Exception classes (ESR_ELx.EC) and syndrome construction, as the Arm ARM names them.
export const EC_UNKNOWN = 0x00;
export const EC_WFX_TRAP = 0x01;
export const EC_FP_ACCESS_TRAP = 0x07;
export const EC_PAC_TRAP = 0x09; // FEAT_PAuth instruction trapped by HCR_EL2.API or SCR_EL3.API
export const EC_ILLEGAL_STATE = 0x0e;
export const EC_SVC64 = 0x15;
export const EC_HVC64 = 0x16;
export const EC_SMC64 = 0x17;
export const EC_SYSREG = 0x18;
export const EC_ERET = 0x1a; // ERET, ERETAA, ERETAB trapped (FEAT_NV)
export const EC_IABT_LOW = 0x20;
export const EC_IABT_CUR = 0x21;
export const EC_PC_ALIGN = 0x22;
export const EC_DABT_LOW = 0x24;
export const EC_DABT_CUR = 0x25;
export const EC_SP_ALIGN = 0x26;
export const EC_SERROR = 0x2f;
export const EC_BRK64 = 0x3c;

// Fault status codes (DFSC/IFSC).
export const FSC_SYNC_EXTERNAL = 0x10;
export const FSC_ALIGNMENT = 0x21;

// Vector offsets by exception type.
export const VECT_SYNC = 0x000;
export const VECT_IRQ = 0x080;
export const VECT_FIQ = 0x100;
export const VECT_SERROR = 0x180;

// ESR_ELx for a 32-bit instruction (IL = 1).
@inline export function syndrome(ec: u32, iss: u32): u64 {
  return (<u64>ec << 26) | (<u64>1 << 25) | <u64>(iss & 0x1ff_ffff);
}

// ISS of a trapped MSR/MRS/System instruction (EC 0x18).
@inline export function issSysreg(key: u32, rt: u32, isRead: bool): u32 {
  let op0 = key >> 14, op1 = (key >> 11) & 7, crn = (key >> 7) & 0xf, crm = (key >> 3) & 0xf, op2 = key & 7;
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (isRead ? 1 : 0);
}

// ISS of a trapped or exiting WFI/WFE (EC 0x01): CV = 1, COND = 0b1110, TI = 1 for WFE.
@inline export function issWFx(isWFE: bool): u32 {
  return (1 << 24) | (0xe << 20) | (isWFE ? 1 : 0);
}

// HPFAR_EL2 for a stage 2 fault on ipa: FIPA, IPA[51:12], in bits 43:4.
@inline export function hpfarOf(ipa: u64): u64 {
  return ((ipa >> 12) & 0xff_ffff_ffff) << 4;
}

// ISS of a data abort: WnR at bit 6, DFSC in 5:0 (ISV = 0: no instruction syndrome).
@inline export function issDataAbort(fsc: u32, isWrite: bool): u32 {
  return (isWrite ? 0x40 : 0) | fsc;
}
