// armvisor core: the exports the host calls. None is called per instruction.
import { ABI_VERSION, PC, EXIT_REASON, EXIT_MMIO, EXIT_NONE, EXIT_MMIO_STATUS,
  EXIT_MMIO_DATA, MMIO_ABORT, MESSAGE_BASE, REPLAY_BASE, CNT_INSTRET, TIMER_DEADLINE } from "./abi";
import { loadConfig } from "./cpu/config";
import { updateTimers } from "./cpu/timer";
import { setNextPC, clearExit, exitSyndrome } from "./cpu/context";
import { syncContext } from "./cpu/sync";
import { pmuResume, pmuSync, pmuDeadline } from "./cpu/pmu";
import { runLoop } from "./cpu/run";
import { resetVCPU } from "./cpu/reset";
import { replayPush, replayReset, replayRestart, replayActive, abortMmioAccess, readSlow, writeSlow } from "./mmu/memory";
import { tlbFlushAll, countsTlbHits as countsHits } from "./mmu/tlb";
import { stage2LeafFlush } from "./mmu/translate";
import { invalidateCode, flushCodeCache, decodeWholeSlot } from "./decode/cache";
import { initCrc } from "./util/bits";
import { decodeInstruction, NO_NEXT } from "./decode/decoder";
import { OP_UNDEF, OP_DECODE } from "./decode/ops";

export function abiVersion(): i32 { return ABI_VERSION; }

// Once, after the host has written the CONFIG block and sized memory.
export function init(): void {
  initCrc();
  loadConfig();
  tlbFlushAll();
  stage2LeafFlush();
  flushCodeCache();
  replayReset();
  store<u32>(EXIT_REASON, EXIT_NONE);
  store<u8>(MESSAGE_BASE, 0);
}

// Reset the vCPU into AArch64 at `el` (the host then sets PC and registers).
export function reset(el: u32): void {
  loadConfig();
  resetVCPU(el);
  replayReset();
  store<u32>(EXIT_REASON, EXIT_NONE);
}

// Run for about `budget` instructions. The host may have changed any state
// in shared memory since the last call; it is all re-read here.
export function run(budget: u64): u32 {
  loadConfig();
  clearExit();
  setNextPC(load<u64>(PC));
  syncContext();
  pmuResume(load<u64>(CNT_INSTRET)); // counting resumes here (other vCPUs may have run)
  let single = false;
  if (load<u32>(EXIT_REASON) == EXIT_MMIO) {
    // The host has answered the MMIO access: execute the instruction again,
    // alone, with the answer in the replay log.
    if (load<u32>(EXIT_MMIO_STATUS) == MMIO_ABORT) {
      abortMmioAccess();
      syncContext();
      pmuSync(load<u64>(CNT_INSTRET));
    } else {
      replayPush(load<u64>(EXIT_MMIO_DATA));
      replayRestart();
      single = true;
    }
  } else if (replayActive()) {
    replayReset();
  }
  store<u32>(EXIT_REASON, EXIT_NONE);
  exitSyndrome(0, 0, 0); // set again by the exits that stand for an exception to EL2
  // Stop when the next timer fires, so the host sees its line rise on time.
  let retired = load<u64>(CNT_INSTRET);
  updateTimers(retired);
  let deadline = load<u64>(TIMER_DEADLINE);
  if (deadline > retired && deadline - retired < budget) budget = deadline - retired;
  // And at the next PMU counter overflow whose interrupt is enabled.
  if (pmuDeadline - retired < budget) budget = pmuDeadline - retired;
  return runLoop(budget, single);
}

// The host wrote guest RAM (loader, DMA): drop decoded code there.
export function invalidateCodeRange(pa: u64, len: u64): u32 { return invalidateCode(pa, len); }
export function flushTlb(): void { tlbFlushAll(); stage2LeafFlush(); }
// The host changed TIME_OFFSET (or timer state): recompute TIMER_LINES/TIMER_DEADLINE.
export function timerUpdate(): void { updateTimers(load<u64>(CNT_INSTRET)); }

// Slow paths for compiled code (see CODE_SLOT_JIT in abi.ts): e is the entry
// address of the instruction making the access.
export function jitReadSlow(va: u64, size: u32, acc: u32, e: usize): usize { return readSlow(va, size, acc, e); }
export function jitWriteSlow(va: u64, size: u32, data: u64, acc: u32, e: usize): u32 { return writeSlow(va, size, data, acc, e) ? 1 : 0; }
export function decodeSlot(slot: u32): void { decodeWholeSlot(slot); }

// Decoder probe for the conformance sweep: decodes insn (no lookahead) and
// returns its op number, 0 if it is UNDEFINED, 0xFFFFFFFF if the decoder
// left the entry undecoded (a decoder bug).
const PROBE_ENTRY: usize = REPLAY_BASE + 0x200;
export function decodeProbe(insn: u32): u32 {
  decodeInstruction(insn, PROBE_ENTRY, NO_NEXT);
  let op = <u32>load<u16>(PROBE_ENTRY);
  return op == OP_UNDEF ? 0 : op == OP_DECODE ? 0xffff_ffff : op;
}

// Whether this build counts TLB fast-path hits (build/core.stats.wasm does);
// compiled code then counts them too.
export function countsTlbHits(): bool { return countsHits(); }

// QARMA5 ComputePAC, for the unit test against the QARMA paper's test vectors.
import { computePAC } from "./exec/qarma";
export function pauthComputePAC(data: u64, modifier: u64, key0: u64, key1: u64): u64 { return computePAC(data, modifier, key0, key1); }
export { jitBranchAuth, jitPAC } from "./exec/pauth";
