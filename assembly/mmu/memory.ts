// The slow path of data accesses: alignment, page crossing, translation
// (translate.ts), TLB fill, code invalidation on writes, and MMIO through the
// exit record with replay. Under the host's stage 2 (CONFIG_HOST_STAGE2) an
// access to an IPA without RAM is a stage 2 Data Abort the host takes: the
// MMIO exit carries its ESR_EL2/FAR_EL2/HPFAR_EL2, and the host completes the
// access from the exit record even where ESR_EL2.ISV = 0 (pairs, writeback).
import {
  RAM_HOST_BASE, REPLAY_BASE, REPLAY_MAX, EXIT_MMIO, EXIT_MMIO_ADDR, EXIT_MMIO_DATA,
  EXIT_MMIO_SIZE, EXIT_MMIO_WRITE, EXIT_MMIO_STATUS, EXIT_MMIO_REG, EXIT_PC, SR_VNCR_EL2,
} from "../abi";
import { ramBase, ramSize } from "../cpu/config";
import { currentEL, sysreg } from "../cpu/state";
import { pcOf, setNextPC, requestExit, exitSyndrome } from "../cpu/context";
import { tlbFill, alignMask, META_GLOBAL, META_S2 } from "./tlb";
import {
  translateAddress, regimeOf, unprivilegedIsPrivileged, AT_READ, AT_WRITE, tGlobal, tShift, tS2, tIPA,
  tASID, tVMID, tPermR, tPermW, tPermX, fIPA, fKind, fLevel, setIgnorePAN,
} from "./translate";
import { reportTranslationFault, stage2Syndrome, hostStage2Fault } from "./fault";
import { pageHasCode, invalidateCode } from "../decode/cache";
import { abortTargetEL, takeException, elIsInHost } from "../except/exception";
import {
  syndrome, issDataAbort, hpfarOf, EC_DABT_LOW, EC_DABT_CUR, FSC_ALIGNMENT, FSC_SYNC_EXTERNAL, VECT_SYNC,
} from "../except/syndrome";

// Access flags.
export const ACC_WRITE: u32 = 1;
export const ACC_ALIGNED: u32 = 2;    // alignment required whatever SCTLR_ELx.A says (exclusives, acquire/release, atomics)
export const ACC_RAM_ONLY: u32 = 4;   // not to MMIO: exclusives, atomics, DC ZVA
export const ACC_UNPRIV: u32 = 8;     // LDTR/STTR: permissions checked as at EL0 (unless PSTATE.UAO)
const SCRATCH = REPLAY_BASE + 0x100;   // read data of an MMIO access, 16 bytes
const REPLAY_DATA = REPLAY_BASE;       // u64 per completed MMIO access

// ---- MMIO replay -------------------------------------------------------------
let replayCount: u32 = 0;   // completed accesses of the instruction being replayed
let replayCursor: u32 = 0;  // next access to match in this execution
export function replayActive(): bool { return replayCount != 0; }
export function replayReset(): void { replayCount = 0; replayCursor = 0; }
export function replayRestart(): void { replayCursor = 0; }
export function replayPush(data: u64): void {
  if (replayCount < <u32>REPLAY_MAX) store<u64>(REPLAY_DATA + (<usize>replayCount << 3), data);
  replayCount++;
}

// The VA of the access the last MMIO exit was for: an abort the host
// answers with reports it in FAR (the exit record holds the PA or IPA).
let mmioVA: u64 = 0;

// The host answered the last MMIO exit with MMIO_ABORT (nothing there): the
// access takes a synchronous External abort, as a bus error would give it.
export function abortMmioAccess(): void {
  replayReset();
  dataAbort(mmioVA, FSC_SYNC_EXTERNAL, load<u32>(EXIT_MMIO_WRITE) != 0, load<u64>(EXIT_PC));
}

// ---- Faults --------------------------------------------------------------------
export function dataAbort(va: u64, fsc: u32, isWrite: bool, pc: u64): void {
  let target = abortTargetEL(fsc);
  let ec = target > currentEL() ? EC_DABT_LOW : EC_DABT_CUR;
  setNextPC(takeException(target, VECT_SYNC, syndrome(ec, issDataAbort(fsc, isWrite)), va, true, pc));
}

// ---- Translation -------------------------------------------------------------
// The privilege a data access is checked at: EL0 for EL0 and for LDTR/STTR
// at EL1, or at EL2 in the host (HCR_EL2.{E2H, TGE} = {1, 1}, where they
// access the host's EL0 memory), unless PSTATE.UAO; else privileged.
function accessPrivilege(acc: u32): u32 {
  let el = currentEL();
  if (el == 0) return 0;
  if ((acc & ACC_UNPRIV) != 0 && (el == 1 || (el == 2 && elIsInHost(0))) && !unprivilegedIsPrivileged()) return 0;
  return 1;
}

// A data address to its physical address, or -1 after a fault: taken, or,
// under the host's stage 2 (hostStage2Fault()), left for the caller. The
// translation's permissions and tags are left in translate.ts's globals.
function translateData(va: u64, acc: u32, e: usize): i64 {
  let type = (acc & ACC_WRITE) != 0 ? AT_WRITE : AT_READ;
  let pa = translateAddress(va, type, currentEL(), accessPrivilege(acc));
  if (pa < 0 && !hostStage2Fault()) reportTranslationFault(va, type, pcOf(e), e);
  return pa;
}

// Fills the TLB from the last translation (only for accesses at the
// context's own privilege: LDTR/STTR at EL1 is checked as EL0).
export function fillFromTranslation(va: u64, pa: u64, privileged: bool): void {
  if (privileged != (currentEL() != 0)) return;
  let pageIndex = (pa - ramBase) >> 12;
  let meta = (tGlobal ? META_GLOBAL : 0) | (regimeOf(currentEL()) << 1) | (tShift << 8) | (tS2 ? META_S2 : 0);
  tlbFill(va, pa, hostOf(pa), tPermR, tPermW && !pageHasCode(pageIndex), tPermX, meta, tIPA, tASID, tVMID);
}

@inline function isRAM(pa: u64): bool { return pa - ramBase < ramSize; }
@inline function hostOf(pa: u64): usize { return RAM_HOST_BASE + <usize>(pa - ramBase); }

// Alignment: required by the access kind, or by SCTLR_ELx.A (alignMask).
function misaligned(va: u64, size: u32, acc: u32): bool {
  let need: u64 = (acc & ACC_ALIGNED) ? <u64>(size - 1) : <u64>(size - 1) & alignMask;
  return (va & need) != 0;
}

// An MMIO access to pa (a PA, or under the host's stage 2 the IPA) by the
// access to va: satisfied from the replay log, or recorded as an exit, with
// esr the ESR_EL2 of the stage 2 Data Abort it stands for (0: none).
// Returns the host address of the data (reads), 1 (writes), or 0 after an exit.
function mmio(pa: u64, va: u64, size: u32, isWrite: bool, data: u64, e: usize, esr: u64): usize {
  if (replayCursor < replayCount) {
    let v = load<u64>(REPLAY_DATA + (<usize>replayCursor << 3));
    replayCursor++;
    if (isWrite) return 1;
    store<u64>(SCRATCH, v);
    return SCRATCH;
  }
  if (replayCount >= <u32>REPLAY_MAX) { dataAbort(va, FSC_SYNC_EXTERNAL, isWrite, pcOf(e)); return 0; }
  mmioVA = va;
  if (esr != 0) exitSyndrome(esr, va, hpfarOf(pa));
  store<u64>(EXIT_MMIO_ADDR, pa);
  // A write's data is the bytes written (the low `size` of the register).
  store<u64>(EXIT_MMIO_DATA, isWrite ? (size >= 8 ? data : data & ((<u64>1 << (<u64>size << 3)) - 1)) : 0);
  store<u32>(EXIT_MMIO_SIZE, size);
  store<u32>(EXIT_MMIO_WRITE, isWrite ? 1 : 0);
  store<u32>(EXIT_MMIO_STATUS, 0);
  store<u32>(EXIT_MMIO_REG, <u32>(load<u64>(e) >> 16) & 0xff);
  let pc = pcOf(e);
  store<u64>(EXIT_PC, pc);
  setNextPC(pc); // the instruction runs again once the host has answered
  requestExit(EXIT_MMIO);
  return 0;
}

// Resolve one access that stays within a page: the host address in RAM, the
// MMIO data (reads), or 0 after a fault or an exit.
function resolve(va: u64, size: u32, acc: u32, data: u64, e: usize): usize {
  let p = translateData(va, acc, e);
  let isWrite = (acc & ACC_WRITE) != 0;
  if (p < 0) {
    if (!hostStage2Fault()) return 0;
    // The host as hypervisor maps only RAM at stage 2: the access is to a
    // device (or to nothing) at this IPA. Accesses that cannot go to MMIO
    // take the External abort they would take on a bus without RAM there.
    if (acc & ACC_RAM_ONLY) { dataAbort(va, FSC_SYNC_EXTERNAL, isWrite, pcOf(e)); return 0; }
    let type = isWrite ? AT_WRITE : AT_READ;
    return mmio(fIPA, va, size, isWrite, data, e, stage2Syndrome(type, e, false));
  }
  let pa = <u64>p;
  if (isRAM(pa)) {
    if (isWrite && pageHasCode((pa - ramBase) >> 12)) invalidateCode(pa, <u64>size);
    fillFromTranslation(va, pa, accessPrivilege(acc) != 0);
    return hostOf(pa);
  }
  if (acc & ACC_RAM_ONLY) { dataAbort(va, FSC_SYNC_EXTERNAL, isWrite, pcOf(e)); return 0; }
  return mmio(pa, va, size, isWrite, data, e, 0);
}

// Read slow path: the host address holding the data, or 0 (exception or exit taken).
export function readSlow(va: u64, size: u32, acc: u32, e: usize): usize {
  if (misaligned(va, size, acc)) { dataAbort(va, FSC_ALIGNMENT, false, pcOf(e)); return 0; }
  if (((va & 0xfff) + <u64>size) <= 0x1000) return resolve(va, size, acc, 0, e);
  // Crosses a page (RAM only): gather byte by byte into the scratch buffer.
  let tmp: u64 = 0;
  for (let i: u32 = 0; i < size; i++) {
    let h = resolve(va + i, 1, acc | ACC_RAM_ONLY, 0, e);
    if (h == 0) return 0;
    tmp |= <u64>load<u8>(h) << (i * 8);
  }
  store<u64>(SCRATCH + 8, tmp);
  return SCRATCH + 8;
}

// Write slow path: performs the write; false if an exception or exit was taken.
export function writeSlow(va: u64, size: u32, data: u64, acc: u32, e: usize): bool {
  acc |= ACC_WRITE;
  if (misaligned(va, size, acc)) { dataAbort(va, FSC_ALIGNMENT, true, pcOf(e)); return false; }
  if (((va & 0xfff) + <u64>size) <= 0x1000) {
    let h = resolve(va, size, acc, data, e);
    if (h == 0) return false;
    if (h >= <usize>RAM_HOST_BASE) storeSized(h, data, size);
    return true;
  }
  // Crosses a page (RAM only): translate both pages before writing anything.
  acc |= ACC_RAM_ONLY;
  let split = <u32>(0x1000 - (va & 0xfff));
  if (resolve(va, 1, acc, 0, e) == 0 || resolve(va + split, 1, acc, 0, e) == 0) return false;
  for (let i: u32 = 0; i < size; i++) {
    let h = resolve(va + i, 1, acc, 0, e);
    if (h == 0) return false;
    store<u8>(h, <u8>(data >> (i * 8)));
  }
  return true;
}

// For read-modify-write accesses (exclusives, atomics, DC ZVA): the RAM host
// address with write permission, code invalidated, or 0 after a fault.
export function writableHost(va: u64, size: u32, acc: u32, e: usize): usize {
  acc |= ACC_WRITE | ACC_RAM_ONLY;
  if (misaligned(va, size, acc)) { dataAbort(va, FSC_ALIGNMENT, true, pcOf(e)); return 0; }
  return resolve(va, size, acc, 0, e);
}

@inline function storeSized(h: usize, v: u64, size: u32): void {
  if (size == 8) store<u64>(h, v);
  else if (size == 4) store<u32>(h, <u32>v);
  else if (size == 2) store<u16>(h, <u16>v);
  else if (size == 1) store<u8>(h, <u8>v);
  else memory.fill(h, 0, size); // DC ZVA-sized block writes carry no data
}

// FEAT_NV2: an MRS or MSR at EL1 that HCR_EL2.{NV2, NV} = {1, 1} makes a
// 64-bit access to the VNCR page: VNCR_EL2.BADDR + off, a virtual address of
// the EL2 (or, with HCR_EL2.E2H, EL2&0) regime, translated as an EL2 access
// (no stage 2, PSTATE.PAN not applied). A fault is a Data Abort taken to EL2
// (EC 0x24) with ISS.VNCR (bit 13) set and FAR_EL2 the address; so is an
// External abort where there is no RAM. False after the exception.
export let vncrValue: u64 = 0;
export function vncrAccess(off: u64, isWrite: bool, data: u64, pc: u64): bool {
  let va = sysreg(SR_VNCR_EL2) + off;
  let type = isWrite ? AT_WRITE : AT_READ;
  setIgnorePAN(true);
  let p = translateAddress(va, type, 2, 1);
  setIgnorePAN(false);
  let faulted = p < 0 || !(isRAM(<u64>p) && isRAM(<u64>p + 7));
  if (faulted) {
    let fsc: u32 = p < 0 ? fKind + fLevel : FSC_SYNC_EXTERNAL;
    let iss: u32 = (1 << 13) | (isWrite ? 0x40 : 0) | fsc;
    setNextPC(takeException(2, VECT_SYNC, syndrome(EC_DABT_LOW, iss), va, true, pc));
    return false;
  }
  let pa = <u64>p;
  if (isWrite) {
    if (pageHasCode((pa - ramBase) >> 12)) invalidateCode(pa, 8);
    store<u64>(hostOf(pa), data);
  } else {
    vncrValue = load<u64>(hostOf(pa));
  }
  return true;
}
