// TLB maintenance (TLBI) with the scope the Arm ARM gives each operation, and
// address translation instructions (AT) writing PAR_EL1.
import { SR_PAR_EL1, SR_TCR_EL1, SR_TCR_EL2 } from "../abi";
import { sysreg, setSysreg, currentEL } from "../cpu/state";
import { pcOf } from "../cpu/context";
import {
  tlbInvalidate, MATCH_REGIME, MATCH_VMID, MATCH_ASID, MATCH_ASID_OR_GLOBAL, MATCH_VA, MATCH_IPA,
} from "./tlb";
import {
  translateAddress, currentVMID, el10UnderEL2, stage2LeafFlush, REGIME_EL10, REGIME_EL2, REGIME_EL3, REGIME_EL20, AT_READ, AT_WRITE,
  tPA, tAttr, tSH, tS2, s2MemAttr, s2SH, fKind, fLevel, fStage2, fS1PTW, setIgnorePAN,
} from "./translate";
import { combinedAttr, combinedSH } from "./memattr";
import { reportTranslationFault } from "./fault";
import { elIsInHost } from "../except/exception";

// The VMID EL1&0 entries are tagged with now: VTTBR_EL2.VMID whenever EL2 is
// enabled, whatever HCR_EL2.VM says (KVM flushes a guest's stage 2 with VM
// clear), and under the host's stage 2 (a guest's TLBI VMALLE1 reaches its
// own VM's entries only).
function vmidNow(): u32 { return el10UnderEL2() ? currentVMID() : 0; }

// VA[55:12] from a TLBI operand (Xt[43:0]), sign-extended from bit 55.
function tlbiVA(xt: u64): u64 { return <u64>(<i64>((xt & 0xfff_ffff_ffff) << 20) >> 8); }

// ASID from Xt[63:48], 8 bits unless the regime's TCR_EL1.AS (TCR_EL2.AS for EL2&0).
function tlbiASID(xt: u64, regime: u32): u32 {
  let asid = <u32>(xt >> 48);
  let tcr = sysreg(regime == REGIME_EL20 ? SR_TCR_EL2 : SR_TCR_EL1);
  return (tcr & (<u64>1 << 36)) != 0 ? asid : asid & 0xff;
}

// TLBI <op>, Xt for the encoding key (op0:op1:CRn:CRm:op2). The Inner/Outer
// Shareable forms act like the local ones: there is one TLB.
export function tlbMaintenance(key: u32, xt: u64): void {
  let op1 = (key >> 11) & 7, crm = (key >> 3) & 0xf, op2 = key & 7;
  let el10 = MATCH_REGIME | MATCH_VMID;
  if (op1 == 0 && elIsInHost(0)) {
    // FEAT_VHE: under HCR_EL2.{E2H, TGE} = {1, 1} the EL1 operations (at EL2)
    // apply to the EL2&0 regime, which has no VMID.
    switch (op2) {
      case 0: tlbInvalidate(MATCH_REGIME, REGIME_EL20, 0, 0, 0); return;                                                            // VMALLE1
      case 1: case 5: tlbInvalidate(MATCH_REGIME | MATCH_ASID_OR_GLOBAL | MATCH_VA, REGIME_EL20, 0, tlbiASID(xt, REGIME_EL20), tlbiVA(xt)); return; // VAE1, VALE1
      case 2: tlbInvalidate(MATCH_REGIME | MATCH_ASID, REGIME_EL20, 0, tlbiASID(xt, REGIME_EL20), 0); return;                       // ASIDE1
      default: tlbInvalidate(MATCH_REGIME | MATCH_VA, REGIME_EL20, 0, 0, tlbiVA(xt)); return;                                       // VAAE1, VAALE1
    }
  }
  if (op1 == 0) {
    switch (op2) {
      case 0: tlbInvalidate(el10, REGIME_EL10, vmidNow(), 0, 0); return;                                   // VMALLE1
      case 1: case 5: tlbInvalidate(el10 | MATCH_ASID_OR_GLOBAL | MATCH_VA, REGIME_EL10, vmidNow(), tlbiASID(xt, REGIME_EL10), tlbiVA(xt)); return; // VAE1, VALE1
      case 2: tlbInvalidate(el10 | MATCH_ASID, REGIME_EL10, vmidNow(), tlbiASID(xt, REGIME_EL10), 0); return;          // ASIDE1
      default: tlbInvalidate(el10 | MATCH_VA, REGIME_EL10, vmidNow(), 0, tlbiVA(xt)); return;             // VAAE1, VAALE1
    }
  }
  if (op1 == 4) {
    // The operations at EL2 (IPAS2E1, VMALLS12E1, ALLE1, ...) reach stage 2 entries.
    stage2LeafFlush();
    if (crm == 0 || crm == 4) { // IPAS2E1, IPAS2LE1: Xt[35:0] = IPA[47:12]
      tlbInvalidate(el10 | MATCH_IPA, REGIME_EL10, vmidNow(), 0, (xt & 0xf_ffff_ffff) << 12);
      return;
    }
    switch (op2) {
      case 0:                                                                                              // ALLE2: both EL2 regimes
        tlbInvalidate(MATCH_REGIME, REGIME_EL2, 0, 0, 0);
        tlbInvalidate(MATCH_REGIME, REGIME_EL20, 0, 0, 0);
        return;
      case 1: case 5:                                                                                      // VAE2, VALE2
        // With HCR_EL2.E2H: the EL2&0 regime, non-global entries of the ASID in Xt[63:48].
        if (elIsInHost(2)) tlbInvalidate(MATCH_REGIME | MATCH_ASID_OR_GLOBAL | MATCH_VA, REGIME_EL20, 0, tlbiASID(xt, REGIME_EL20), tlbiVA(xt));
        else tlbInvalidate(MATCH_REGIME | MATCH_VA, REGIME_EL2, 0, 0, tlbiVA(xt));
        return;
      case 4: tlbInvalidate(MATCH_REGIME, REGIME_EL10, 0, 0, 0); return;                                   // ALLE1
      default: tlbInvalidate(el10, REGIME_EL10, vmidNow(), 0, 0); return;                                 // VMALLS12E1
    }
  }
  // op1 == 6: ALLE3, VAE3, VALE3
  if (op2 == 0) tlbInvalidate(MATCH_REGIME, REGIME_EL3, 0, 0, 0);
  else tlbInvalidate(MATCH_REGIME | MATCH_VA, REGIME_EL3, 0, 0, tlbiVA(xt));
}

// AT <op>, Xt: translate without faulting and write PAR_EL1. A stage 2 fault
// on the stage 1 walk is not reported in PAR_EL1 but taken to EL2, as the Arm
// ARM requires; returns false then (the exception has been taken).
export function addressTranslate(key: u32, va: u64, e: usize): bool {
  let op1 = (key >> 11) & 7, op2 = key & 7;
  let el: u32, priv: u32 = 1, stage1Only = true;
  let acc = (op2 & 1) != 0 ? AT_WRITE : AT_READ;
  if (op1 == 0) {                                                         // S1E1R/W, S1E0R/W
    if (op2 >= 2) priv = 0;
    // FEAT_VHE: at EL2 under HCR_EL2.{E2H, TGE} = {1, 1} they translate in the EL2&0 regime.
    el = currentEL() == 2 && elIsInHost(0) ? 2 : 1;
  }
  else if (op1 == 4) {
    if (op2 <= 1) el = 2;                                                 // S1E2R/W
    else { el = 1; stage1Only = false; if (op2 >= 6) priv = 0; }          // S12E1R/W, S12E0R/W
  } else el = 3;                                                          // S1E3R/W
  setIgnorePAN(true); // AT S1E1R/W do not check PAN (S1E1RP/WP would)
  let pa = translateAddress(va, acc, el, priv, stage1Only);
  setIgnorePAN(false);
  if (pa < 0) {
    // At EL1 a stage 2 fault on the stage 1 walk is taken to EL2; at EL2 and
    // EL3 it is reported in PAR_EL1 like any other fault.
    if (fStage2 && fS1PTW && currentEL() == 1) { reportTranslationFault(va, AT_READ, pcOf(e), 0, true); return false; }
    let fst = <u64>(fKind + fLevel);
    setSysreg(SR_PAR_EL1, 1 | (fst << 1) | (fS1PTW ? 1 << 8 : 0) | (fStage2 ? 1 << 9 : 0) | (1 << 11));
    return true;
  }
  // Device and Normal Non-cacheable memory report SH = 0b10 (Outer Shareable)
  // whatever the descriptor says.
  let attr = tAttr;
  let sh: u32 = (attr & 0xf0) == 0 || attr == 0x44 ? 2 : tSH;
  // AT S12E*: the attributes stage 2 (and HCR_EL2.FWB, CD) make of stage 1's,
  // combining stage 1's descriptor shareability (only the result's memory
  // type makes it Outer Shareable: S2CombineS1Shareability, then EffectiveShareability).
  if (tS2) { attr = combinedAttr(attr, s2MemAttr); sh = combinedSH(attr, tSH, s2SH); }
  setSysreg(SR_PAR_EL1, (tPA & 0x0000_ffff_ffff_f000) | (<u64>attr << 56) | (<u64>sh << 7) | (1 << 11)); // bit 11 RES1
  return true;
}
