// Recomputes what the hot path caches about the translation and checking
// context. Called whenever an instruction may have changed it (exception
// entry and return, MSR, TLB and cache maintenance) and at run() entry.
// Besides translation: SP alignment checking, the FP/AdvSIMD enable check
// and what pointer authentication reads.
import { currentEL, sysreg, getIL, getPAN } from "./state";
import { sctlrForEL0, nv1DescriptorsInEffect } from "../except/exception";
import { hcrVirtualPending } from "../except/interrupt";
import {
  regimeOf, stage1Enabled, stage2Enabled, currentASID, currentVMID, el10UnderEL2, hasTwoRanges, REGIME_EL10,
} from "../mmu/translate";
import { invalidateFetchPage } from "./context";
import { setTranslationContext, tlbCtx, contextFor } from "../mmu/tlb";
import { updateSPAlignCheck, spAlignCheckOn } from "../exec/ldst";
import { updateFPTrap } from "../exec/simdfp";
import { updatePAuthContext } from "../exec/pauth";
import { pauthImplemented } from "./config";
import { SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, JIT_TLBCTX, JIT_SPALIGN } from "../abi";

const SCTLR_A: u64 = 1 << 1;

// Work the run loop must do at the next block boundary: PSTATE.IL set, or a
// virtual interrupt pending in HCR_EL2.{VI,VF,VSE} (taken once EL1/EL0 runs
// with it unmasked). Recomputed here because only MSR, exception entry and
// return, and the host between runs (run() resynchronises on entry) can
// change either.
export let attention = false;

// What TLB entries filled now are valid for: the regime (bits 2:0), the
// privilege (3), PAN (6) and FEAT_NV's NV1 descriptor reading (7) (they decide the permissions cached), which
// stages apply (4, 5), the ASID of EL1&0 or EL2&0 (23:8), the VMID (39:24).
function contextKey(el: u32): u64 {
  let regime = regimeOf(el);
  let s1 = stage1Enabled(regime), s2 = stage2Enabled(regime);
  let key: u64 = <u64>regime | (el == 0 ? 0 : 8) | (s1 ? 16 : 0) | (s2 ? 32 : 0);
  if (hasTwoRanges(regime) && el != 0 && getPAN() != 0) key |= 64;
  // FEAT_NV: HCR_EL2.{NV, NV1} = {1, 1} changes the EL1&0 permissions cached.
  if (regime == REGIME_EL10 && nv1DescriptorsInEffect()) key |= 128;
  if (hasTwoRanges(regime) && s1) key |= <u64>currentASID(regime) << 8;
  if (regime == REGIME_EL10 && el10UnderEL2()) key |= <u64>currentVMID() << 24;
  return key;
}

export function syncContext(): void {
  let el = currentEL();
  let sctlr = el == 3 ? sysreg(SR_SCTLR_EL3) : el == 2 ? sysreg(SR_SCTLR_EL2) : el == 1 ? sysreg(SR_SCTLR_EL1) : sctlrForEL0();
  // Alignment checking: SCTLR_ELx.A. Device memory (which includes all data
  // accesses with SCTLR_ELx.M = 0) should also fault unaligned accesses; like
  // QEMU 7.2, the reference this project measures against, this core does not
  // apply that rule yet.
  setTranslationContext(contextFor(contextKey(el)), (sctlr & SCTLR_A) != 0 ? 0xf : 0);
  updateSPAlignCheck();
  updateFPTrap(); // CPACR_EL1.FPEN, CPTR_EL2/EL3.TFP for the current EL
  if (pauthImplemented) updatePAuthContext(); // the regime's TCR, SCTLR.EnXX, HCR_EL2/SCR_EL3.API
  // What compiled code needs of the context, mirrored where it can read it.
  store<u64>(JIT_TLBCTX, tlbCtx);
  store<u32>(JIT_SPALIGN, spAlignCheckOn() ? 1 : 0);
  invalidateFetchPage();
  attention = getIL() != 0 || hcrVirtualPending();
}
