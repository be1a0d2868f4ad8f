// FEAT_PAuth (Armv8.3 pointer authentication, the original scheme: no
// FEAT_EPAC, FEAT_PAuth2 or FEAT_FPAC) with the QARMA5 algorithm: AddPAC,
// Auth, Strip, the key and enable selection of AddPACIA..AuthDB and the
// HCR_EL2.API / SCR_EL3.API traps (TrapPACUse, EC 0x09), and the semantics
// of the PAC*, AUT*, XPAC*, PACGA, BRA*, BLRA*, RETA*, ERETA* and LDRA*
// instructions. Decoded only with CONFIG_PAUTH (config.ts pauthImplemented):
// without it the hint-space forms are NOPs and the others UNDEFINED.
import { getX, setX, sysreg, currentEL } from "../cpu/state";
import { fA, fB, fC, fD, imm } from "../decode/entry";
import { pcOf, setNextPC } from "../cpu/context";
import * as O from "../decode/ops";
import {
  SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, SR_HCR_EL2, SR_SCR_EL3, SR_TCR_EL1, SR_TCR_EL2, SR_TCR_EL3,
  SR_APIAKEYLO_EL1, SR_APGAKEYLO_EL1, SR_ELR_EL1, SLOT_SP, JIT_NEXTPC, JIT_PAC_KEYS,
} from "../abi";
import { highestEL } from "../cpu/config";
import { takeException, el2Enabled, exceptionReturn, nvControlsAtEL1, HCR_NV, undefinedInstruction } from "../except/exception";
import { syndrome, EC_PAC_TRAP, EC_ERET, VECT_SYNC } from "../except/syndrome";
import { regimeOf, branchAddr, REGIME_EL10, REGIME_EL20, REGIME_EL3 } from "../mmu/translate";
import { readHost, spMisaligned, spAlignmentFault } from "./ldst";
import { computePAC } from "./qarma";

// A direct-mapped memo of ComputePAC results. A kernel built with
// return-address signing computes the same PACs over and over: PACIASP and
// AUTIASP see the same return address and SP whenever a function is called
// from the same place at the same stack depth. The tag is all four inputs,
// so a hit is exact whatever keys the guest (or the vCPU swapped in) uses;
// an entry whose result is 0 counts as empty (a PAC of 0 is recomputed).
const MEMO_BITS: u64 = 12;
const MEMO_ENTRIES: u64 = 1 << MEMO_BITS;
const MEMO_STRIDE: usize = 40; // data, modifier, key0, key1, PAC
const MEMO: usize = memory.data(<i32>(MEMO_ENTRIES * MEMO_STRIDE), 8);
// In front of it, a small one indexed by the modifier alone: the SP of
// PACIASP/AUTIASP tells the frames of a call chain apart, and the pair of a
// function's prologue and epilogue meets in the same entry (this one stays
// in the host's L1 cache; the big one is for the call sites).
const NEAR_BITS: u64 = 6;
const NEAR: usize = memory.data(<i32>((<usize>1 << <usize>NEAR_BITS) * MEMO_STRIDE), 8);
@inline function memoHit(p: usize, data: u64, modifier: u64, key0: u64, key1: u64): bool {
  return load<u64>(p, 32) != 0 && load<u64>(p) == data && load<u64>(p, 8) == modifier && load<u64>(p, 16) == key0 && load<u64>(p, 24) == key1;
}
@inline function memoFill(p: usize, data: u64, modifier: u64, key0: u64, key1: u64, pac: u64): void {
  store<u64>(p, data);
  store<u64>(p, modifier, 8);
  store<u64>(p, key0, 16);
  store<u64>(p, key1, 24);
  store<u64>(p, pac, 32);
}
function computePACMemo(data: u64, modifier: u64, key0: u64, key1: u64): u64 {
  let n = NEAR + <usize>((modifier >> 4) & ((1 << NEAR_BITS) - 1)) * MEMO_STRIDE;
  if (memoHit(n, data, modifier, key0, key1)) return load<u64>(n, 32);
  let h = ((data ^ key1) * 0x9e37_79b9_7f4a_7c15 + modifier) * 0xbf58_476d_1ce4_e5b9;
  let p = MEMO + <usize>(h >> (64 - MEMO_BITS)) * MEMO_STRIDE;
  let pac: u64;
  if (memoHit(p, data, modifier, key0, key1)) pac = load<u64>(p, 32);
  else { pac = computePAC(data, modifier, key0, key1); memoFill(p, data, modifier, key0, key1, pac); }
  memoFill(n, data, modifier, key0, key1, pac);
  return pac;
}

export const HCR_APK: u64 = <u64>1 << 40;
export const HCR_API: u64 = <u64>1 << 41;
export const SCR_APK: u64 = 1 << 16;
export const SCR_API: u64 = 1 << 17;
const HCR_TGE: u64 = 1 << 27;
const HCR_E2H: u64 = <u64>1 << 34;

// The keys, by the numbering of the PAC ops' c field: 0 IA, 1 IB, 2 DA, 3 DB;
// each key's Lo and Hi registers are consecutive in SR_APIAKEYLO_EL1.. (Lo, Hi).
export const KEY_IA: u32 = 0;
export const KEY_IB: u32 = 1;
export const KEY_DA: u32 = 2;
export const KEY_DB: u32 = 3;
// SCTLR_ELx.EnIA, EnIB, EnDA, EnDB.
@inline function enableBit(key: u32): u64 {
  return key == KEY_IA ? <u64>1 << 31 : key == KEY_IB ? <u64>1 << 30 : key == KEY_DA ? <u64>1 << 27 : <u64>1 << 13;
}

// What pointer authentication reads of the current context, cached by
// updatePAuthContext() (syncContext: exception entry and return, MSR, run()
// entry): the TCR of the current regime and whether it has two VA ranges
// (EL1&0, EL2&0), the SCTLR_ELx.EnIA/EnIB/EnDA/EnDB bits in force, and
// where a PAC instruction traps (pacTrapEL).
let tcr: u64 = 0;
let twoRanges = false;
let enables: u64 = 0;
let trapEL: u32 = 0;
export function updatePAuthContext(): void {
  let el = currentEL();
  let regime = regimeOf(el);
  twoRanges = regime == REGIME_EL10 || regime == REGIME_EL20;
  tcr = sysreg(regime == REGIME_EL10 ? SR_TCR_EL1 : regime == REGIME_EL3 ? SR_TCR_EL3 : SR_TCR_EL2);
  let sctlr = regime == REGIME_EL3 ? SR_SCTLR_EL3 : regime == REGIME_EL10 ? SR_SCTLR_EL1 : SR_SCTLR_EL2;
  enables = sysreg(sctlr);
  trapEL = pacTrapEL();
  let keys: u32 = 0;
  for (let k: u32 = 0; k < 4; k++) if ((enables & enableBit(k)) != 0) keys |= 1 << k;
  store<u32>(JIT_PAC_KEYS, keys);
}

// EffectiveTBI(ptr, IsInstr, el) for the current EL: TBIx, unless TBIDx
// says the tag is for data addresses only and this is an instruction address.
@inline function effectiveTBI(ptr: u64, data: bool): bool {
  if (twoRanges) {
    let upper = (ptr >> 55) & 1;
    let tbi = (tcr >> (37 + upper)) & 1, tbid = (tcr >> (51 + upper)) & 1;
    return tbi != 0 && (data || tbid == 0);
  }
  return (tcr & (1 << 20)) != 0 && (data || (tcr & (1 << 29)) == 0);
}

// CalculateBottomPACBit(selbit): 64 - TxSZ of the half of the address
// space selbit chooses. An out-of-range TxSZ is forced into the range the
// translation uses (16..39; this core has no FEAT_LVA, FEAT_TTST).
@inline function bottomPACBit(selbit: u64): u32 {
  let t: u32 = twoRanges && selbit != 0 ? <u32>(tcr >> 16) & 0x3f : <u32>tcr & 0x3f;
  if (t < 16) t = 16;
  if (t > 39) t = 39;
  return 64 - t;
}

// The pointer with its PAC field (bits top..bottom, top 55 or 63) replaced
// by copies of bit 55, the address-range select bit: the original pointer.
@inline function extend(ptr: u64, bottom: u32, tbi: bool): u64 {
  let field = (tbi ? (<u64>1 << 56) : 0) - (<u64>1 << bottom); // bits 55|63 .. bottom
  return (ptr >> 55) & 1 ? ptr | field : ptr & ~field;
}

// AddPAC(ptr, modifier, K, data).
export function addPAC(ptr: u64, modifier: u64, keyLo: u64, keyHi: u64, data: bool): u64 {
  let tbi = effectiveTBI(ptr, data);
  let selbit: u64;
  if (twoRanges) {
    // Bit 55 selects the range when either range has TBI for this kind of
    // address, so a pointer keeps its range whatever the other half's TBI.
    let t0 = (tcr >> 37) & 1, t1 = (tcr >> 38) & 1;
    if (!data) { t0 &= ~(tcr >> 51) & 1; t1 &= ~(tcr >> 52) & 1; }
    selbit = (t0 | t1) != 0 ? (ptr >> 55) & 1 : ptr >> 63;
  } else {
    selbit = tbi ? (ptr >> 55) & 1 : ptr >> 63;
  }
  let bottom = bottomPACBit(selbit);
  let top: u32 = tbi ? 55 : 63;
  let extfield = (tbi ? (<u64>1 << 56) : 0) - (<u64>1 << bottom);
  let extPtr = selbit != 0 ? ptr | extfield : ptr & ~extfield;
  let pac = computePACMemo(extPtr, modifier, keyHi, keyLo);
  // A pointer whose extension bits are not all the same gets a PAC with
  // bit top-1 flipped, so that it never authenticates.
  let ext = (ptr >> bottom) & ((<u64>1 << (top - bottom + 1)) - 1);
  if (ext != 0 && ext != (<u64>1 << (top - bottom + 1)) - 1) pac ^= <u64>1 << (top - 1);
  let low = ptr & ((<u64>1 << bottom) - 1);
  let mid = pac & ((<u64>1 << 55) - (<u64>1 << bottom));        // PAC<54:bottom>
  let high = tbi ? ptr & 0xff00_0000_0000_0000 : pac & 0xff00_0000_0000_0000;
  return high | (selbit << 55) | mid | low;
}

// Auth(ptr, modifier, K, data, key_number): the original pointer if the PAC
// matches, else it with the error code key_number:NOT(key_number) in bits
// 54:53 (TBI) or 62:61.
export function auth(ptr: u64, modifier: u64, keyLo: u64, keyHi: u64, data: bool, keyB: bool): u64 {
  let tbi = effectiveTBI(ptr, data);
  let bottom = bottomPACBit((ptr >> 55) & 1);
  let original = extend(ptr, bottom, tbi);
  let pac = computePACMemo(original, modifier, keyHi, keyLo);
  let mask = (<u64>1 << 55) - (<u64>1 << bottom);
  if (!tbi) mask |= 0xff00_0000_0000_0000;
  if (((pac ^ ptr) & mask) == 0) return original;
  let code: u64 = keyB ? 2 : 1;
  return tbi ? (original & ~(<u64>3 << 53)) | (code << 53) : (original & ~(<u64>3 << 61)) | (code << 61);
}

// Strip(A, data): XPACI, XPACD.
export function strip(ptr: u64, data: bool): u64 {
  let tbi = effectiveTBI(ptr, data);
  return extend(ptr, bottomPACBit((ptr >> 55) & 1), tbi);
}

// ---- controls ---------------------------------------------------------------------
// Where a PAC instruction at the current EL traps (TrapPACUse), or 0:
// HCR_EL2.API = 0 traps EL0 and EL1 to EL2 (not the host's EL0 under
// HCR_EL2.{E2H, TGE} = {1, 1}), then SCR_EL3.API = 0 traps EL0-EL2 to EL3.
export function pacTrapEL(): u32 {
  let el = currentEL();
  if (el == 3) return 0;
  if (el <= 1 && el2Enabled()) {
    let hcr = sysreg(SR_HCR_EL2);
    if ((hcr & HCR_API) == 0 && (el == 1 || (hcr & (HCR_TGE | HCR_E2H)) != (HCR_TGE | HCR_E2H))) return 2;
  }
  if (highestEL() == 3 && (sysreg(SR_SCR_EL3) & SCR_API) == 0) return 3;
  return 0;
}

// TrapPACUse(target): EC 0x09, ISS 0, the instruction's own address.
function trapPACUse(target: u32, e: usize): void {
  setNextPC(takeException(target, VECT_SYNC, syndrome(EC_PAC_TRAP, 0), 0, false, pcOf(e)));
}

@inline function keyLo(key: u32): u64 { return sysreg(SR_APIAKEYLO_EL1 + <i32>(key << 1)); }
@inline function keyHi(key: u32): u64 { return sysreg(SR_APIAKEYLO_EL1 + <i32>(key << 1) + 1); }

// Set by pacOperation when it returns false: an exception was taken.
// AddPACxx / AuthXX for `key`: the pointer unchanged when the key is
// disabled, a trap (returns false, nothing written) when trapped.
let pacResult: u64 = 0;
function pacOperation(ptr: u64, modifier: u64, key: u32, authenticate: bool, e: usize): bool {
  if ((enables & enableBit(key)) == 0) { pacResult = ptr; return true; }
  if (trapEL != 0) { trapPACUse(trapEL, e); return false; }
  let data = key >= KEY_DA;
  pacResult = authenticate
    ? auth(ptr, modifier, keyLo(key), keyHi(key), data, (key & 1) != 0)
    : addPAC(ptr, modifier, keyLo(key), keyHi(key), data);
  return true;
}

// ---- instructions -----------------------------------------------------------------
// OP_PAC: a = the pointer's slot (read and written), b = the modifier's slot
// (XZR for the Z forms, SP for the SP forms), c = key, d = PAC_ADD, PAC_AUTH or PAC_STRIP.
export function execPAC(w: u64, e: usize): i32 {
  let a = fA(w), key = fC(w), op = fD(w);
  let ptr = getX(a);
  if (op == O.PAC_STRIP) { setX(a, strip(ptr, key >= KEY_DA)); return O.R_NEXT; }
  if (!pacOperation(ptr, getX(fB(w)), key, op == O.PAC_AUTH, e)) return O.R_FAULT;
  setX(a, pacResult);
  return O.R_NEXT;
}

// PACGA Xd, Xn, Xm|SP: a = Rd (write slot), b = Rn, c = Rm|SP. Not gated by an enable.
export function execPACGA(w: u64, e: usize): i32 {
  if (trapEL != 0) { trapPACUse(trapEL, e); return O.R_FAULT; }
  let pac = computePAC(getX(fB(w)), getX(fC(w)), sysreg(SR_APGAKEYLO_EL1 + 1), sysreg(SR_APGAKEYLO_EL1));
  setX(fA(w), pac & 0xffff_ffff_0000_0000);
  return O.R_NEXT;
}

// The target of BRA*, BLRA*, RETA* (OP_BRA: b = the target's slot, c = the
// modifier's slot, d = key IA or IB, a = 1 for the BLRA* forms): the
// authenticated address, BranchAddr'd, in branchTarget; false when trapped.
export let branchTarget: u64 = 0;
export function authBranchTarget(w: u64, e: usize): bool {
  if (!pacOperation(getX(fB(w)), getX(fC(w)), fD(w), true, e)) return false;
  branchTarget = pacResult;
  return true;
}

export function execBRA(w: u64, e: usize): i32 {
  if (!authBranchTarget(w, e)) return O.R_FAULT;
  if (fA(w) != 0) setX(30, pcOf(e) + 4);
  // A failed authentication left a non-canonical address: the fetch there
  // takes the Translation fault (BranchAddr strips only a TBI tag).
  setNextPC(branchAddrOf(branchTarget));
  return O.R_BRANCH;
}

@inline function branchAddrOf(v: u64): u64 { return (v >> 56) != 0 && (v >> 56) != 0xff ? branchAddr(v, currentEL()) : v; }

// For the compiled code (src/jit): BRA*/BLRA*/RETA* without the branch. 1
// with the target in JIT_NEXTPC, 0 when an exception was taken.
export function jitBranchAuth(e: usize): u32 {
  if (!authBranchTarget(load<u64>(e), e)) return 0;
  store<u64>(JIT_NEXTPC, branchTarget);
  return 1;
}

// ERETAA, ERETAB (OP_ERETA, d = key): ELR authenticated with SP as the modifier.
export function execERETA(w: u64, e: usize): i32 {
  let el = currentEL();
  if (el == 0) { setNextPC(undefinedInstruction(pcOf(e))); return O.R_SYNC; }
  let keyB = fD(w) == KEY_IB;
  // FEAT_NV: trapped to EL2 as ERET is, with ISS.ERET = 1 and ISS.ERETA = the key.
  if ((nvControlsAtEL1() & HCR_NV) != 0) {
    setNextPC(takeException(2, VECT_SYNC, syndrome(EC_ERET, 2 | (keyB ? 1 : 0)), 0, false, pcOf(e)));
    return O.R_SYNC;
  }
  if (!pacOperation(sysreg(SR_ELR_EL1 + <i32>el - 1), getX(SLOT_SP), fD(w), true, e)) return O.R_FAULT;
  setNextPC(exceptionReturn(pacResult, true));
  return O.R_SYNC;
}

// LDRAA, LDRAB (OP_LDRA): a = Rt (write slot), b = Rn|SP, d = key DA or DB
// | writeback << 2, imm = the byte offset. The base is authenticated with a
// zero modifier; a failed authentication leaves an address that faults.
export function execLDRA(w: u64, e: usize): i32 {
  let rn = fB(w), d = fD(w);
  if (!pacOperation(getX(rn), 0, d & 3, true, e)) return O.R_FAULT;
  let base = pacResult;
  if (spMisaligned(rn, base)) return spAlignmentFault(e);
  let addr = base + imm(e);
  let h = readHost(addr, 8, 0, e);
  if (!h) return O.R_FAULT;
  let v = load<u64>(h);
  if (d & 4) setX(rn, addr);
  setX(fA(w), v);
  return O.R_NEXT;
}

// For the compiled code (src/jit): OP_PAC at entry e. 1 done, 0 when an
// exception was taken (nothing written).
export function jitPAC(e: usize): u32 { return execPAC(load<u64>(e), e) == O.R_NEXT ? 1 : 0; }
