// Instruction fetch at a block boundary: the PC to a decoded-code entry.
import { RAM_HOST_BASE } from "../abi";
import { currentEL } from "./state";
import { ramBase, ramSize } from "./config";
import { setNextPC, setFetchPage } from "./context";
import { syncContext } from "./sync";
import { tlbLookupExec, tlbFill } from "../mmu/tlb";
import { slotForPage, pageHasCode, slotIndexOf } from "../decode/cache";
import { takeException, syncTargetEL } from "../except/exception";
import {
  syndrome, EC_PC_ALIGN, EC_IABT_LOW, EC_IABT_CUR, FSC_SYNC_EXTERNAL, FSC_ADDRESS_SIZE_L0, VECT_SYNC,
} from "../except/syndrome";

function instructionAbort(pc: u64, fsc: u32): void {
  let target = syncTargetEL();
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
    if ((pc >> 48) != 0) { instructionAbort(pc, FSC_ADDRESS_SIZE_L0); return 0; }
    paPage = pc & ~<u64>0xfff; // no stage 1 or stage 2 yet
    // Code runs from RAM only; fetching from anything else is an external abort.
    if (paPage - ramBase >= ramSize) { instructionAbort(pc, FSC_SYNC_EXTERNAL); return 0; }
    let host = RAM_HOST_BASE + <usize>(paPage - ramBase);
    tlbFill(pc, paPage, host, true, !pageHasCode((paPage - ramBase) >> 12), true);
  }
  let slot = slotForPage(paPage);
  setFetchPage(pc & ~<u64>0xfff, slot, RAM_HOST_BASE + <usize>(paPage - ramBase), slotIndexOf(slot));
  return slot + (<usize>(pc & 0xfff) << 2);
}
