// Address translation: the stage 1 and stage 2 table walks of the Arm ARM
// (AArch64.TranslateAddress, AArch64.FirstStageTranslate,
// AArch64.SecondStageTranslate, AArch64.TranslationTableWalk,
// AArch64.CheckPermission). The result of a successful translation is left
// in the `t*` globals; a fault is described by the `f*` globals and reported
// by the caller (reportFault), so AT can translate without faulting.
import {
  SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, SR_TCR_EL1, SR_TCR_EL2, SR_TCR_EL3, SR_TTBR0_EL1,
  SR_TTBR1_EL1, SR_TTBR0_EL2, SR_TTBR1_EL2, SR_TTBR0_EL3, SR_HCR_EL2, SR_VTTBR_EL2, SR_VTCR_EL2, SR_MAIR_EL1,
  SR_MAIR_EL2, SR_MAIR_EL3, RAM_HOST_BASE, PSTATE_PAN, PSTATE_UAO, CNT_TLB_WALKS, CNT_TLB_WALK_READS,
} from "../abi";
import { sysreg } from "../cpu/state";
import { ramBase, ramSize, hostStage2, pauthImplemented } from "../cpu/config";
import { stage2IsDevice } from "./memattr";
import { el2Enabled, elIsInHost, nv1DescriptorsInEffect, nvControlsAtEL1, HCR_NV, HCR_NV1 } from "../except/exception";

export const PA_BITS: u32 = 48; // ID_AA64MMFR0_EL1.PARange = 0b0101

// Access types.
export const AT_READ: u32 = 0;
export const AT_WRITE: u32 = 1;
export const AT_EXEC: u32 = 2;

// Translation regimes. EL2&0 (FEAT_VHE) is EL2's with HCR_EL2.E2H, and the
// host's EL0's with HCR_EL2.{E2H, TGE} = {1, 1}: two VA ranges and ASIDs
// like EL1&0, from TTBR0_EL2, TTBR1_EL2 and TCR_EL2 in its E2H layout.
export const REGIME_EL10: u32 = 1;
export const REGIME_EL2: u32 = 2;
export const REGIME_EL3: u32 = 3;
export const REGIME_EL20: u32 = 4;

// Regimes with two VA ranges, EL0 permissions and ASIDs.
@inline export function hasTwoRanges(regime: u32): bool { return regime == REGIME_EL10 || regime == REGIME_EL20; }

// Fault kinds (the DFSC/IFSC value without the level).
export const FAULT_NONE: u32 = 0xff;
export const FAULT_ADDRESS_SIZE: u32 = 0x00;
export const FAULT_TRANSLATION: u32 = 0x04;
export const FAULT_ACCESS_FLAG: u32 = 0x08;
export const FAULT_PERMISSION: u32 = 0x0c;
export const FAULT_EXTERNAL_WALK: u32 = 0x14;

// ---- results -------------------------------------------------------------------
export let tPA: u64 = 0;            // output address
export let tIPA: u64 = 0;           // intermediate physical address (= VA without stage 1)
export let tPermR = false;          // permissions for the privilege of the access, both stages
export let tPermW = false;
export let tPermX = false;
export let tGlobal = true;          // nG = 0 (or no stage 1)
export let tASID: u32 = 0;
export let tVMID: u32 = 0;
export let tShift: u32 = 12;        // log2 of the stage 1 mapping size (for TLBI by VA)
export let tS2: bool = false;       // stage 2 was applied
export let tAttr: u32 = 0;          // MAIR attribute byte of the stage 1 mapping
export let tSH: u32 = 0;

// ---- fault description ------------------------------------------------------------
export let fKind: u32 = FAULT_NONE;
export let fLevel: u32 = 0;
export let fStage2: bool = false;
export let fS1PTW: bool = false;
export let fIPA: u64 = 0;

function fault(kind: u32, level: u32, stage2: bool, s1ptw: bool, ipa: u64): i64 {
  fKind = kind; fLevel = level; fStage2 = stage2; fS1PTW = s1ptw; fIPA = ipa;
  return -1;
}

@inline function isRAM(pa: u64): bool { return pa - ramBase < ramSize; }

// Reads a descriptor at physical address pa; false if there is no RAM there.
let descriptor: u64 = 0;
function readDescriptor(pa: u64): bool {
  store<u64>(CNT_TLB_WALK_READS, load<u64>(CNT_TLB_WALK_READS) + 1);
  if (!isRAM(pa) || !isRAM(pa + 7)) return false;
  descriptor = load<u64>(RAM_HOST_BASE + <usize>(pa - ramBase));
  return true;
}

// The output address size implied by a TCR IPS/PS (or VTCR PS) field, capped by PARange.
function outputSize(ps: u32): u32 {
  let bits: u32;
  switch (ps) {
    case 0: bits = 32; break;
    case 1: bits = 36; break;
    case 2: bits = 40; break;
    case 3: bits = 42; break;
    case 4: bits = 44; break;
    default: bits = 48;
  }
  return bits > PA_BITS ? PA_BITS : bits;
}

// Granule size in bits from a TCR TG0 field (00 4K, 01 64K, 10 16K).
@inline function granuleTG0(tg: u32): u32 { return tg == 1 ? 16 : tg == 2 ? 14 : 12; }
// From a TCR_EL1 TG1 field (01 16K, 10 4K, 11 64K).
@inline function granuleTG1(tg: u32): u32 { return tg == 1 ? 14 : tg == 3 ? 16 : 12; }

// ---- stage 2 ------------------------------------------------------------------------
// Stage 2 outputs, separate from the combined result.
let s2PA: u64 = 0;
let s2R = false, s2W = false, s2X = false;
let s2Device = false;   // a Device memory type (memattr.ts stage2IsDevice)
let s2Level: u32 = 0;
export let s2MemAttr: u32 = 0; // the leaf's MemAttr[3:0] and SH[1:0], for PAR_EL1 after AT S12E*
export let s2SH: u32 = 0;

// The last stage 2 leaves (blocks or pages) walked: a small TLB for stage 2
// alone, as hardware keeps, so that the descriptor fetches of a stage 1
// walk (each of which goes through stage 2) and its final IPA do not each
// walk stage 2 again. Entries hold the IPA block | 1 (0 = empty), its size
// - 1, its output address and S2AP/XN and level. They are valid for one
// VTTBR_EL2/VTCR_EL2 pair (a change empties them) and are emptied by the
// TLBI operations that reach stage 2 (maintenance.ts) and the host's flushTlb.
const S2LEAF_N = 4;
const s2lBase = new StaticArray<u64>(S2LEAF_N);
const s2lMask = new StaticArray<u64>(S2LEAF_N);
const s2lOA = new StaticArray<u64>(S2LEAF_N);
const s2lInfo = new StaticArray<u32>(S2LEAF_N); // bit 0 read, 1 write, 2 execute; bits 7:4 level, 11:8 MemAttr, 13:12 SH
let s2lVTTBR: u64 = 0, s2lVTCR: u64 = 0, s2lNext: u32 = 0;

export function stage2LeafFlush(): void {
  for (let i = 0; i < S2LEAF_N; i++) unchecked(s2lBase[i] = 0);
}

// The permission check of a stage 2 leaf (S2AP, XN) for an access of type
// acc; a success also leaves the leaf's level and memory attributes (for
// HCR_EL2.PTW and PAR_EL1). Device-ness is decided here, not cached, since
// HCR_EL2.FWB changes how MemAttr reads.
function stage2Permits(acc: u32, info: u32, s1ptw: bool, ipa: u64, oa: u64): i64 {
  let level = (info >> 4) & 0xf;
  let ok = acc == AT_READ ? s2R : acc == AT_WRITE ? s2W : s2X;
  if (!ok) return fault(FAULT_PERMISSION, level, true, s1ptw, ipa);
  s2PA = oa;
  s2MemAttr = (info >> 8) & 0xf;
  s2SH = (info >> 12) & 3;
  s2Device = stage2IsDevice(s2MemAttr);
  s2Level = level;
  return <i64>oa;
}

// AArch64.SecondStageTranslate of ipa for an access of type acc; s1ptw marks
// an access made by the stage 1 walk. Returns the PA or -1 (fault described).
function translateStage2(ipa: u64, acc: u32, s1ptw: bool): i64 {
  let vtcr = sysreg(SR_VTCR_EL2), vttbr = sysreg(SR_VTTBR_EL2);
  if (vttbr != s2lVTTBR || vtcr != s2lVTCR) { stage2LeafFlush(); s2lVTTBR = vttbr; s2lVTCR = vtcr; }
  for (let i = 0; i < S2LEAF_N; i++) {
    let m = unchecked(s2lMask[i]);
    if (((ipa & ~m) | 1) == unchecked(s2lBase[i])) {
      let info = unchecked(s2lInfo[i]);
      s2R = (info & 1) != 0; s2W = (info & 2) != 0; s2X = (info & 4) != 0;
      return stage2Permits(acc, info, s1ptw, ipa, unchecked(s2lOA[i]) | (ipa & m));
    }
  }
  let t0sz = <u32>vtcr & 0x3f;
  if (t0sz < 16) t0sz = 16;
  let inputsize: u32 = 64 - t0sz;
  let g = granuleTG0(<u32>(vtcr >> 14) & 3);
  let stride = g - 3;
  let sl0 = <u32>(vtcr >> 6) & 3;
  // SL0 = 3 is reserved for every granule without FEAT_LPA2/FEAT_TTST.
  if (sl0 == 3) return fault(FAULT_TRANSLATION, 0, true, s1ptw, ipa);
  let level: i32 = g == 12 ? 2 - <i32>sl0 : 3 - <i32>sl0;
  let outBits = outputSize(<u32>(vtcr >> 16) & 7);
  if (inputsize < 64 && (ipa >> <u64>inputsize) != 0) return fault(FAULT_TRANSLATION, 0, true, s1ptw, ipa);
  // The start level must resolve all input bits with at most 16 concatenated tables.
  let levelShift = g + <u32>(3 - level) * stride;
  if (level < 0 || inputsize <= levelShift || inputsize - levelShift > stride + 4) return fault(FAULT_TRANSLATION, 0, true, s1ptw, ipa);
  let table = vttbr & 0x0000_ffff_ffff_fffe;
  if ((table >> <u64>outBits) != 0) return fault(FAULT_ADDRESS_SIZE, 0, true, s1ptw, ipa);
  let indexBits = inputsize - levelShift;
  while (true) {
    let shift = g + <u32>(3 - level) * stride;
    let index = (ipa >> <u64>shift) & ((<u64>1 << <u64>indexBits) - 1);
    if (!readDescriptor(table + index * 8)) return fault(FAULT_EXTERNAL_WALK, <u32>level, true, s1ptw, ipa);
    let d = descriptor;
    if ((d & 1) == 0) return fault(FAULT_TRANSLATION, <u32>level, true, s1ptw, ipa);
    let isTable = level < 3 && (d & 2) != 0;
    if (isTable) {
      table = d & 0x0000_ffff_ffff_f000 & ~((<u64>1 << <u64>g) - 1);
      if ((table >> <u64>outBits) != 0) return fault(FAULT_ADDRESS_SIZE, <u32>level, true, s1ptw, ipa);
      level++;
      indexBits = stride;
      continue;
    }
    if (level == 3 && (d & 2) == 0) return fault(FAULT_TRANSLATION, 3, true, s1ptw, ipa);
    if (level < 3 && !blockAllowed(g, <u32>level)) return fault(FAULT_TRANSLATION, <u32>level, true, s1ptw, ipa);
    let oa = (d & 0x0000_ffff_ffff_f000 & ~((<u64>1 << <u64>shift) - 1)) | (ipa & ((<u64>1 << <u64>shift) - 1));
    if ((oa >> <u64>outBits) != 0) return fault(FAULT_ADDRESS_SIZE, <u32>level, true, s1ptw, ipa);
    if ((d & (1 << 10)) == 0) return fault(FAULT_ACCESS_FLAG, <u32>level, true, s1ptw, ipa);
    s2R = (d & (1 << 6)) != 0;  // S2AP[0]: read
    s2W = (d & (1 << 7)) != 0;  // S2AP[1]: write
    s2X = (d & (<u64>1 << 54)) == 0;    // XN
    let mask = (<u64>1 << <u64>shift) - 1, slot = s2lNext;
    s2lNext = (slot + 1) & (S2LEAF_N - 1);
    unchecked(s2lBase[slot] = (ipa & ~mask) | 1);
    unchecked(s2lMask[slot] = mask);
    unchecked(s2lOA[slot] = oa & ~mask);
    let info = (s2R ? 1 : 0) | (s2W ? 2 : 0) | (s2X ? 4 : 0) | (<u32>level << 4) | ((<u32>d & 0x3c) << 6) | ((<u32>(d >> 8) & 3) << 12);
    unchecked(s2lInfo[slot] = info);
    return stage2Permits(acc, info, s1ptw, ipa, oa);
  }
}

// Blocks exist at level 1 and 2 with 4K, at level 2 with 16K and 64K.
@inline function blockAllowed(g: u32, level: u32): bool {
  return g == 12 ? (level == 1 || level == 2) : level == 2;
}

// ---- the regime ------------------------------------------------------------------------
// The regime used by accesses at `el` (S1TranslationRegime; the effective
// privilege for LDTR/STTR is EL0 but the regime is still the EL's own).
export function regimeOf(el: u32): u32 {
  if (el == 3) return REGIME_EL3;
  if (el == 2) return elIsInHost(2) ? REGIME_EL20 : REGIME_EL2;
  return el == 0 && elIsInHost(0) ? REGIME_EL20 : REGIME_EL10;
}

const HCR_VM: u64 = 1;
const HCR_PTW: u64 = 1 << 2;
const HCR_DC: u64 = 1 << 12;
const HCR_TGE: u64 = 1 << 27;

// HCR_EL2.DC in effect for the EL1&0 regime (not under TGE).
function defaultCacheable(): bool {
  return el2Enabled() && (sysreg(SR_HCR_EL2) & (HCR_DC | HCR_TGE)) == HCR_DC;
}

// Is stage 1 of the regime enabled?
export function stage1Enabled(regime: u32): bool {
  if (regime == REGIME_EL3) return (sysreg(SR_SCTLR_EL3) & 1) != 0;
  if (regime == REGIME_EL2 || regime == REGIME_EL20) return (sysreg(SR_SCTLR_EL2) & 1) != 0;
  if (el2Enabled() && (sysreg(SR_HCR_EL2) & (HCR_TGE | HCR_DC)) != 0) return false;
  return (sysreg(SR_SCTLR_EL1) & 1) != 0;
}

// Do EL2's controls of the EL1&0 regime (HCR_EL2.VM, VTTBR_EL2 and its
// VMID) apply: EL2 is enabled for the guest, or the host is its hypervisor
// (hostStage2). Only translation asks this; what the guest can observe of
// EL2 asks el2Enabled().
export function el10UnderEL2(): bool { return el2Enabled() || hostStage2; }

// Is stage 2 enabled for the EL1&0 regime?
export function stage2Enabled(regime: u32): bool {
  if (regime != REGIME_EL10 || !el10UnderEL2()) return false;
  let hcr = sysreg(SR_HCR_EL2);
  return (hcr & (HCR_VM | HCR_DC)) != 0 && (hcr & HCR_TGE) == 0;
}

// The current VMID (VTTBR_EL2.VMID, 8 or 16 bits per VTCR_EL2.VS).
export function currentVMID(): u32 {
  let v = <u32>(sysreg(SR_VTTBR_EL2) >> 48);
  return (sysreg(SR_VTCR_EL2) & (1 << 19)) != 0 ? v : v & 0xff;
}

// The current ASID of the EL1&0 or EL2&0 regime (TCR_ELx.A1 picks TTBR1's;
// TCR_ELx.AS: 16 bits).
export function currentASID(regime: u32): u32 {
  let el2 = regime == REGIME_EL20;
  let tcr = sysreg(el2 ? SR_TCR_EL2 : SR_TCR_EL1);
  let ttbr = (tcr & (1 << 22)) != 0 ? sysreg(el2 ? SR_TTBR1_EL2 : SR_TTBR1_EL1) : sysreg(el2 ? SR_TTBR0_EL2 : SR_TTBR0_EL1);
  let asid = <u32>(ttbr >> 48);
  return (tcr & (<u64>1 << 36)) != 0 ? asid : asid & 0xff;
}

// ---- the whole translation -----------------------------------------------------------------
// Translates va for an access of type acc made at privilege `priv` (0 for EL0
// and for LDTR/STTR) in the regime of exception level `el`. Returns the PA or
// -1 with the fault described in the f* globals.
export function translateAddress(va: u64, acc: u32, el: u32, priv: u32, stage1Only: bool = false): i64 {
  store<u64>(CNT_TLB_WALKS, load<u64>(CNT_TLB_WALKS) + 1);
  let regime = regimeOf(el);
  let s2walk = stage2Enabled(regime);   // the stage 1 walk goes through stage 2 even for AT S1E*
  let s2 = s2walk && !stage1Only;
  tS2 = s2;
  // EL1&0 entries carry the current VMID whenever EL2 is enabled, with or
  // without stage 2 (the pseudocode's VMID[]), and under the host's stage 2.
  tVMID = regime == REGIME_EL10 && el10UnderEL2() ? currentVMID() : 0;
  tGlobal = true;
  tASID = 0;
  tShift = 12;
  tAttr = 0;
  tSH = 2;
  fKind = FAULT_NONE;
  let ipa: u64;
  let r = true, w = true, x = true;
  if (!stage1Enabled(regime)) {
    // No stage 1: the IPA is the VA, which must fit the PA size.
    if ((va >> <u64>PA_BITS) != 0) return fault(FAULT_ADDRESS_SIZE, 0, false, false, 0);
    ipa = va;
    tShift = 30;
    // HCR_EL2.DC: EL1&0 memory is Normal Write-Back, Non-shareable (AArch64.S1DisabledOutput).
    if (regime == REGIME_EL10 && defaultCacheable()) { tAttr = 0xff; tSH = 0; }
  } else {
    let s1 = translateStage1(va, acc, regime, priv, s2walk);
    if (s1 < 0) return -1;
    ipa = <u64>s1;
    r = s1R; w = s1W; x = s1X;
  }
  tIPA = ipa;
  let pa = ipa;
  if (s2) {
    let p = translateStage2(ipa, acc, false);
    if (p < 0) return -1;
    pa = <u64>p;
    r = r && s2R; w = w && s2W; x = x && s2X;
  }
  tPA = pa;
  tPermR = r; tPermW = w; tPermX = x;
  return <i64>pa;
}

let s1R = false, s1W = false, s1X = false;
let ignorePAN = false;
export function setIgnorePAN(on: bool): void { ignorePAN = on; }

// Stage 1: AArch64.FirstStageTranslate with the walk and permission checks.
function translateStage1(vaIn: u64, acc: u32, regime: u32, priv: u32, s2: bool): i64 {
  let tcr: u64, ttbr: u64, sctlr: u64, mair: u64;
  let t: u32, g: u32, epd = false, tbi = false, outBits: u32;
  let va = vaIn;
  let upper = false;
  let twoRanges = hasTwoRanges(regime);
  if (twoRanges) {
    // EL1&0, or EL2&0 from the EL2 registers (TCR_EL2 in the TCR_EL1 layout).
    let el2 = regime == REGIME_EL20;
    tcr = sysreg(el2 ? SR_TCR_EL2 : SR_TCR_EL1);
    sctlr = sysreg(el2 ? SR_SCTLR_EL2 : SR_SCTLR_EL1);
    mair = sysreg(el2 ? SR_MAIR_EL2 : SR_MAIR_EL1);
    upper = (va & (<u64>1 << 55)) != 0;
    tbi = (tcr & (<u64>1 << (upper ? 38 : 37))) != 0;
    if (upper) { t = <u32>(tcr >> 16) & 0x3f; g = granuleTG1(<u32>(tcr >> 30) & 3); epd = (tcr & (1 << 23)) != 0; ttbr = sysreg(el2 ? SR_TTBR1_EL2 : SR_TTBR1_EL1); }
    else { t = <u32>tcr & 0x3f; g = granuleTG0(<u32>(tcr >> 14) & 3); epd = (tcr & (1 << 7)) != 0; ttbr = sysreg(el2 ? SR_TTBR0_EL2 : SR_TTBR0_EL1); }
    outBits = outputSize(<u32>(tcr >> 32) & 7);
    tASID = currentASID(regime);
  } else {
    let el3 = regime == REGIME_EL3;
    tcr = sysreg(el3 ? SR_TCR_EL3 : SR_TCR_EL2);
    sctlr = sysreg(el3 ? SR_SCTLR_EL3 : SR_SCTLR_EL2);
    mair = sysreg(el3 ? SR_MAIR_EL3 : SR_MAIR_EL2);
    ttbr = sysreg(el3 ? SR_TTBR0_EL3 : SR_TTBR0_EL2);
    t = <u32>tcr & 0x3f;
    g = granuleTG0(<u32>(tcr >> 14) & 3);
    tbi = (tcr & (1 << 20)) != 0;
    outBits = outputSize(<u32>(tcr >> 16) & 7);
  }
  // Top byte ignored for data accesses: bits 63:56 take the value of bit 55.
  if (tbi && acc != AT_EXEC) va = <u64>(<i64>(va << 8) >> 8);
  if (t < 16) t = 16;
  if (t > 39) t = 39;
  let inputsize: u32 = 64 - t;
  // The VA must lie in the range of its TTBR: top bits all zero (or all ones for TTBR1).
  let top = va >> <u64>inputsize;
  let topOk = upper ? top == (<u64>-1 >> <u64>inputsize) : top == 0;
  if (!twoRanges && (va >> 63) != 0) topOk = false;
  if (!topOk || epd) return fault(FAULT_TRANSLATION, 0, false, false, 0);
  let stride = g - 3;
  let levels = (inputsize - g + stride - 1) / stride;
  let level = <i32>(4 - levels);
  let table = ttbr & 0x0000_ffff_ffff_fffe;
  if ((table >> <u64>outBits) != 0) return fault(FAULT_ADDRESS_SIZE, 0, false, false, 0);
  // Hierarchical controls from table descriptors.
  let apTable: u32 = 0, uxnTable = false, pxnTable = false;
  let indexBits = inputsize - (g + <u32>(3 - level) * stride);
  while (true) {
    let shift = g + <u32>(3 - level) * stride;
    let index = (va >> <u64>shift) & ((<u64>1 << <u64>indexBits) - 1);
    let descAddr = table + index * 8;
    if (s2) {
      // The walk's own accesses are translated by stage 2 (faults report S1PTW).
      let p = translateStage2(descAddr, AT_READ, true);
      if (p < 0) {
        // The host's stage 2 maps the guest's RAM and nothing else: a table
        // outside it reads from nothing, which on hardware without EL2 is a
        // synchronous External abort on the walk (KVM injects the same).
        if (hostStage2) return fault(FAULT_EXTERNAL_WALK, <u32>level, false, false, 0);
        return -1;
      }
      // HCR_EL2.PTW: a walk access that stage 2 makes Device memory is a stage 2 Permission fault.
      if (s2Device && (sysreg(SR_HCR_EL2) & HCR_PTW) != 0) return fault(FAULT_PERMISSION, s2Level, true, true, descAddr);
      descAddr = <u64>p;
    }
    if (!readDescriptor(descAddr)) return fault(FAULT_EXTERNAL_WALK, <u32>level, false, false, 0);
    let d = descriptor;
    if ((d & 1) == 0) return fault(FAULT_TRANSLATION, <u32>level, false, false, 0);
    if (level < 3 && (d & 2) != 0) {
      table = d & 0x0000_ffff_ffff_f000 & ~((<u64>1 << <u64>g) - 1);
      if ((table >> <u64>outBits) != 0) return fault(FAULT_ADDRESS_SIZE, <u32>level, false, false, 0);
      apTable |= <u32>(d >> 61) & 3;
      uxnTable = uxnTable || (d & (<u64>1 << 60)) != 0;
      pxnTable = pxnTable || (d & (<u64>1 << 59)) != 0;
      level++;
      indexBits = stride;
      continue;
    }
    if (level == 3 && (d & 2) == 0) return fault(FAULT_TRANSLATION, 3, false, false, 0);
    if (level < 3 && !blockAllowed(g, <u32>level)) return fault(FAULT_TRANSLATION, <u32>level, false, false, 0);
    let oa = (d & 0x0000_ffff_ffff_f000 & ~((<u64>1 << <u64>shift) - 1)) | (va & ((<u64>1 << <u64>shift) - 1));
    if ((oa >> <u64>outBits) != 0) return fault(FAULT_ADDRESS_SIZE, <u32>level, false, false, 0);
    if ((d & (1 << 10)) == 0) return fault(FAULT_ACCESS_FLAG, <u32>level, false, false, 0);
    tShift = shift;
    tGlobal = !twoRanges || (d & (1 << 11)) == 0;
    let attrIndx = <u32>(d >> 2) & 7;
    tAttr = <u32>(mair >> <u64>(attrIndx * 8)) & 0xff;
    tSH = <u32>(d >> 8) & 3;
    // AArch64.CheckPermission.
    let ap = <u32>(d >> 6) & 3;            // AP[2:1]
    if (apTable & 2) ap |= 2;               // APTable[1]: read-only
    let wxn = (sctlr & (1 << 19)) != 0;
    if (twoRanges) {
      if (apTable & 1) ap &= 2;             // APTable[0]: no EL0 access
      let uxn = (d & (<u64>1 << 54)) != 0 || uxnTable;
      let pxn = (d & (<u64>1 << 53)) != 0 || pxnTable;
      // FEAT_NV, HCR_EL2.{NV, NV1} = {1, 1}: the EL1&0 stage 1 descriptors
      // are read as the EL2 regime's: bit 54 (bit 60 of a table descriptor)
      // is PXN (PXNTable), bits 53 and 59 are RES0, UXN is 0, and AP[1]
      // and APTable[0] are treated as 0 (no EL0 access, so PAN never acts).
      if (regime == REGIME_EL10 && nv1DescriptorsInEffect()) { pxn = uxn; uxn = false; ap &= 2; }
      let user = (ap & 1) != 0;
      if (priv == 0) {
        s1R = user;
        s1W = user && (ap & 2) == 0;
        s1X = !uxn && !(wxn && s1W);
      } else {
        s1R = true;
        s1W = (ap & 2) == 0;
        // Privileged execute-never also where EL0 can write (AP = 01) and under WXN.
        s1X = !pxn && !(user && (ap & 2) == 0) && !(wxn && s1W);
        // PAN: privileged data accesses to EL0-accessible memory fault.
        if (user && !ignorePAN && load<u32>(PSTATE_PAN) != 0) { s1R = false; s1W = false; }
      }
    } else {
      let xn = (d & (<u64>1 << 54)) != 0 || uxnTable; // bit 60 is XNTable in the EL2 and EL3 regimes
      s1R = true;
      s1W = (ap & 2) == 0;
      s1X = !xn && !(wxn && s1W);
    }
    let ok = acc == AT_READ ? s1R : acc == AT_WRITE ? s1W : s1X;
    if (!ok) return fault(FAULT_PERMISSION, <u32>level, false, false, 0);
    return <i64>oa;
  }
}

// PSTATE.UAO makes LDTR/STTR at EL1/EL2 behave as privileged accesses; so
// does HCR_EL2.{NV, NV1} = {1, 1} at EL1 (FEAT_NV: the LDTR/STTR pseudocode's
// unprivileged case at EL1 excludes it).
export function unprivilegedIsPrivileged(): bool {
  return load<u32>(PSTATE_UAO) != 0 || ((nvControlsAtEL1() & (HCR_NV | HCR_NV1)) == (HCR_NV | HCR_NV1));
}

// AArch64.BranchAddr: a branch target with a tagged top byte (TBI in effect
// for its half of the address space) has bits 63:56 replaced by bit 55.
// With FEAT_PAuth, TCR_ELx.TBIDn = 1 makes TBIn apply to data addresses
// only (EffectiveTBI with IsInstr), and the tag stays.
export function branchAddr(target: u64, el: u32): u64 {
  let tbi: bool;
  let regime = regimeOf(el);
  if (hasTwoRanges(regime)) {
    let tcr = sysreg(regime == REGIME_EL20 ? SR_TCR_EL2 : SR_TCR_EL1);
    let upper: u64 = (target >> 55) & 1;
    tbi = (tcr & (<u64>1 << (37 + upper))) != 0 && !(pauthImplemented && (tcr & (<u64>1 << (51 + upper))) != 0);
  } else {
    let tcr = sysreg(el == 3 ? SR_TCR_EL3 : SR_TCR_EL2);
    tbi = (tcr & (1 << 20)) != 0 && !(pauthImplemented && (tcr & (1 << 29)) != 0);
  }
  return tbi ? <u64>(<i64>(target << 8) >> 8) : target;
}
