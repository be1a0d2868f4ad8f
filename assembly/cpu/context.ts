// Run-loop state shared between the loop and the handlers: where execution
// continues, which guest page is being executed, and a pending exit.
import { EXIT_REASON, EXIT_ESR, EXIT_FAR, EXIT_HPFAR } from "../abi";

export let nextPC: u64 = 0;
@inline export function setNextPC(v: u64): void { nextPC = v; }

// The page being executed: its virtual address (1 = none: forces a lookup),
// its decoded-code slot and its bytes in guest RAM.
export let curPageVA: u64 = 1;
export let curSlotBase: usize = 0;
export let curHostPage: usize = 0;
export let curSlotIndex: u32 = 0;
export function setFetchPage(va: u64, slot: usize, host: usize, index: u32): void {
  curPageVA = va; curSlotBase = slot; curHostPage = host; curSlotIndex = index;
}
@inline export function invalidateFetchPage(): void { curPageVA = 1; }

// The PC of the instruction whose decoded entry is at e.
@inline export function pcOf(e: usize): u64 { return curPageVA + <u64>((e - curSlotBase) >> 2); }

// A reason to leave run() after the current instruction, 0 = none.
export let exitPending: u32 = 0;
export function requestExit(reason: u32): void { exitPending = reason; store<u32>(EXIT_REASON, reason); }
export function clearExit(): void { exitPending = 0; }

// The ESR_EL2, FAR_EL2 and HPFAR_EL2 a hypervisor at EL2 would get for the
// exception an exit stands for (all 0 for exits that stand for none).
export function exitSyndrome(esr: u64, far: u64, hpfar: u64): void {
  store<u64>(EXIT_ESR, esr);
  store<u64>(EXIT_FAR, far);
  store<u64>(EXIT_HPFAR, hpfar);
}
