// Instruction fetch at a block boundary: the PC to a decoded-code entry.
import { RAM_HOST_BASE } from "../abi";
import { currentEL } from "./state";
import { ramBase, ramSize } from "./config";
import { setNextPC, setFetchPage } from "./context";
import { syncContext } from "./sync";
import { tlbLookupExec } from "../mmu/tlb";
import { translateAddress, AT_EXEC } from "../mmu/translate";
import { reportTranslationFault } from "../mmu/fault";
import { fillFromTranslation } from "../mmu/memory";
import { slotForPage, slotIndexOf } from "../decode/cache";
import { takeException, syncTargetEL, abortTargetEL } from "../except/exception";
import {
  syndrome, EC_PC_ALIGN, EC_IABT_LOW, EC_IABT_CUR, FSC_SYNC_EXTERNAL, VECT_SYNC,
} from "../except/syndrome";

function instructionAbort(pc: u64, fsc: u32): void {
  let target = abortTargetEL(fsc);
  let ec = target > currentEL() ? EC_IABT_LOW : EC_IABT_CUR;
  setNextPC(takeException(target, VECT_SYNC, syndrome(ec, fsc), pc, true, pc));
  syncContext();
}

// The entry for pc, or 0 after taking an exception (nextPC then holds the vector).
export function fetchSlow(pc: u64): usize {
  if (pc & 3) {
    setNextPC(takeException(syncTargetEL(), VECT_SYNC, syndrome(EC_PC_ALIGN, 0), pc, true, pc));
    syncContext();
    return 0;
  }
  let paPage = tlbLookupExec(pc);
  if (paPage == 1) {
    let pa = translateAddress(pc, AT_EXEC, currentEL(), currentEL() == 0 ? 0 : 1);
    if (pa < 0) { reportTranslationFault(pc, AT_EXEC, pc, 0); syncContext(); return 0; }
    paPage = <u64>pa & ~<u64>0xfff;
    // Code runs from RAM only; fetching from anything else is an external abort.
    if (paPage - ramBase >= ramSize) { instructionAbort(pc, FSC_SYNC_EXTERNAL); return 0; }
    fillFromTranslation(pc, <u64>pa, currentEL() != 0);
  }
  let slot = slotForPage(paPage);
  setFetchPage(pc & ~<u64>0xfff, slot, RAM_HOST_BASE + <usize>(paPage - ramBase), slotIndexOf(slot));
  return slot + (<usize>(pc & 0xfff) << 2);
}
