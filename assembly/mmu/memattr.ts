// Memory attributes of a two-stage translation: how a stage 2 descriptor's
// MemAttr[3:0] (bits 5:2) is read, with and without HCR_EL2.FWB (FEAT_S2FWB),
// and how it combines with stage 1's attributes (the Arm ARM's
// S2DecodeMemAttrs, S2CombineS1MemAttrs, S2ApplyFWBMemAttrs and
// S2CombineS1Shareability). No caches are modelled, so the result is only
// observable where the architecture reports it: PAR_EL1 after AT S12E1*/S12E0*,
// and HCR_EL2.PTW's Device check of stage 1 walks. Attributes are in MAIR's
// (and PAR_EL1.ATTR's) byte encoding: Device 0b0000dd00, Normal outer:inner
// with 0b0100 Non-cacheable, 0b10RW Write-Through, 0b11RW Write-Back.
import { SR_HCR_EL2 } from "../abi";
import { sysreg } from "../cpu/state";

export const HCR_CD: u64 = <u64>1 << 32;
export const HCR_FWB: u64 = <u64>1 << 46;

const NC: u32 = 0x4, WT: u32 = 0x8, WB: u32 = 0xc;
const NORMAL_NC: u32 = 0x44;

// Is a stage 2 MemAttr a Device type? With FWB, MemAttr[2] = 0 (MemAttr[3] is
// RES0 without FEAT_MTE_PERM); without it MemAttr[3:2] = 0b00.
export function stage2IsDevice(memattr: u32): bool {
  return (sysreg(SR_HCR_EL2) & HCR_FWB) != 0 ? (memattr & 4) == 0 : (memattr & 0xc) == 0;
}

// One half (inner or outer) of a stage 2 Normal MemAttr without FWB: 01
// Non-cacheable, 10 Write-Through, 11 Write-Back (no allocation hints at
// stage 2); 00 is reserved and read as Non-cacheable.
@inline function s2Cacheability(c: u32): u32 { return c == 2 ? WT : c == 3 ? WB : NC; }

// S2DecodeMemAttrs (FWB = 0): MemAttr[3:2] the outer, [1:0] the inner
// cacheability, or Device with the type in MemAttr[1:0].
function stage2Attr(memattr: u32): u32 {
  if ((memattr & 0xc) == 0) return (memattr & 3) << 2;
  return (s2Cacheability(memattr >> 2) << 4) | s2Cacheability(memattr & 3);
}

// S2CombineS1AttrHints for one half of Normal memory: the weaker of the two
// cacheabilities; the allocation hints and transience come from stage 1.
function combineHalf(s1: u32, s2: u32): u32 {
  let transient = false;
  // Transient encodings (0b00RW Write-Through, 0b01RW Write-Back, RW != 00).
  if (s1 >= 1 && s1 <= 3) { transient = true; s1 = WT | (s1 & 3); }
  else if (s1 >= 5 && s1 <= 7) { transient = true; s1 = WB | (s1 & 3); }
  let c1 = s1 & 0xc, c2 = s2 & 0xc;
  let c = c1 == NC || c2 == NC ? NC : c1 == WT || c2 == WT ? WT : WB;
  if (c == NC) return NC;
  // Stage 1's transience stays, in the combined cacheability's encoding:
  // 0b00RW Write-Through transient, 0b01RW Write-Back transient.
  if (transient) c = c == WT ? 0 : NC;
  return c | (s1 & 3);
}

// One half of FWB's forced Write-Back over Normal stage 1 memory
// (S2ApplyFWBMemAttrs): stage 1's allocation hints and transience unless it
// is Non-cacheable, then Read/Write-Allocate.
function forcedWriteBack(s1: u32): u32 {
  if (s1 == NC) return 0xf;
  let transient = (s1 >= 1 && s1 <= 3) || (s1 >= 5 && s1 <= 7);
  return (transient ? NC : WB) | (s1 & 3);                      // 0b01RW transient, 0b11RW not
}

// The attributes of a stage 1 + stage 2 translation, from stage 1's
// attribute byte and stage 2's MemAttr[3:0].
export function combinedAttr(s1: u32, memattr: u32): u32 {
  let hcr = sysreg(SR_HCR_EL2);
  let a: u32;
  if ((hcr & HCR_FWB) != 0) {
    memattr &= 7;
    if ((memattr & 4) == 0) {
      // Device from stage 2: the more restrictive of the two (FWB does not
      // change how a stage 2 Device type combines with stage 1).
      let d = (memattr & 3) << 2;
      a = s1 < d ? s1 : d;
    } else if (memattr == 7) a = s1;                            // 0b111: stage 1's
    else if (memattr == 6) {                                    // 0b110: Write-Back whatever stage 1 says
      a = s1 < 0x10 ? 0xff : (forcedWriteBack(s1 >> 4) << 4) | forcedWriteBack(s1 & 0xf);
    } else a = s1 < 0x10 ? s1 : NORMAL_NC;                      // 0b101 (0b100 reserved, read alike): NC, stage 1 Device stays
  } else {
    let s2 = stage2Attr(memattr);
    if (s1 < 0x10 || s2 < 0x10) a = s1 < s2 ? s1 : s2;          // either is Device: the more restrictive
    else a = (combineHalf(s1 >> 4, s2 >> 4) << 4) | combineHalf(s1 & 0xf, s2 & 0xf);
  }
  // HCR_EL2.CD: stage 2 makes Normal memory Non-cacheable for data accesses.
  if ((hcr & HCR_CD) != 0 && a >= 0x10) a = NORMAL_NC;
  return a;
}

// PAR_EL1.SH of a two-stage translation: Device and Normal Non-cacheable
// memory are Outer Shareable; otherwise the stronger of the two descriptors'
// SH[1:0] (01 reserved, read as Non-shareable).
export function combinedSH(attr: u32, s1sh: u32, s2sh: u32): u32 {
  if (attr < 0x10 || attr == NORMAL_NC) return 2;
  if (s1sh == 1) s1sh = 0;
  if (s2sh == 1) s2sh = 0;
  if (s1sh == 2 || s2sh == 2) return 2;
  if (s1sh == 3 || s2sh == 3) return 3;
  return 0;
}
