// Recomputes what the hot path caches about the translation and checking
// context. Called whenever an instruction may have changed it (exception
// entry and return, MSR, TLB and cache maintenance) and at run() entry.
import { currentEL, sysreg, getIL } from "./state";
import { invalidateFetchPage } from "./context";
import { setTranslationContext, tlbCtx } from "../mmu/tlb";
import { updateSPAlignCheck, spAlignCheckOn } from "../exec/ldst";
import { SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, JIT_TLBCTX, JIT_SPALIGN } from "../abi";

const SCTLR_A: u64 = 1 << 1;

// Work the run loop must do at the next block boundary (PSTATE.IL set).
export let attention = false;

export function syncContext(): void {
  let el = currentEL();
  let sctlr = el == 3 ? sysreg(SR_SCTLR_EL3) : el == 2 ? sysreg(SR_SCTLR_EL2) : sysreg(SR_SCTLR_EL1);
  // Alignment checking: SCTLR_ELx.A. With SCTLR_ELx.M = 0 data accesses are
  // Device memory, where the Arm ARM faults unaligned accesses; like QEMU 7.2
  // (the reference this project measures against) this core does not yet
  // apply that rule -- it arrives with the MMU's memory types.
  setTranslationContext(<u64>el, (sctlr & SCTLR_A) != 0 ? 0xf : 0);
  updateSPAlignCheck();
  // What compiled code needs of the context, mirrored where it can read it.
  store<u64>(JIT_TLBCTX, tlbCtx);
  store<u32>(JIT_SPALIGN, spAlignCheckOn() ? 1 : 0);
  invalidateFetchPage();
  attention = getIL() != 0;
}
