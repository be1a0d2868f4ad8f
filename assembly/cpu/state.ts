// The running vCPU's architectural state, kept in linear memory at the
// offsets declared in abi.ts so that the host sees exactly what the core sees.
import {
  X_BASE, SLOT_SP, PC, PSTATE_NZCV, PSTATE_EL, PSTATE_SP, PSTATE_DAIF, PSTATE_PAN,
  PSTATE_UAO, PSTATE_IL, SP_EL_BASE, SYSREG_BASE,
} from "../abi";

@inline export function getX(slot: u32): u64 { return load<u64>(X_BASE + (<usize>slot << 3)); }
@inline export function setX(slot: u32, v: u64): void { store<u64>(X_BASE + (<usize>slot << 3), v); }
@inline export function getW(slot: u32): u32 { return load<u32>(X_BASE + (<usize>slot << 3)); }
@inline export function setW(slot: u32, v: u32): void { store<u64>(X_BASE + (<usize>slot << 3), <u64>v); }

@inline export function getNZCV(): u32 { return load<u32>(PSTATE_NZCV); }
@inline export function setNZCV(v: u32): void { store<u32>(PSTATE_NZCV, v); }

@inline export function currentEL(): u32 { return load<u32>(PSTATE_EL); }
@inline export function spSel(): u32 { return load<u32>(PSTATE_SP); }
@inline export function getDAIF(): u32 { return load<u32>(PSTATE_DAIF); }
@inline export function setDAIF(v: u32): void { store<u32>(PSTATE_DAIF, v & 0x3c0); }
@inline export function getPAN(): u32 { return load<u32>(PSTATE_PAN); }
@inline export function getUAO(): u32 { return load<u32>(PSTATE_UAO); }
@inline export function getIL(): u32 { return load<u32>(PSTATE_IL); }

@inline export function sysreg(id: i32): u64 { return load<u64>(SYSREG_BASE + (<usize>id << 3)); }
@inline export function setSysreg(id: i32, v: u64): void { store<u64>(SYSREG_BASE + (<usize>id << 3), v); }

@inline export function setPC(v: u64): void { store<u64>(PC, v); }

// The banked stack pointers. SLOT_SP holds the one PSTATE selects; the copy
// in SP_EL_BASE for that level is stale while it is selected.
@inline function spIndex(el: u32, sel: u32): u32 { return sel == 0 ? 0 : el; }

export function readSPEL(n: u32): u64 {
  if (spIndex(currentEL(), spSel()) == n) return getX(SLOT_SP);
  return load<u64>(SP_EL_BASE + (<usize>n << 3));
}

export function writeSPEL(n: u32, v: u64): void {
  if (spIndex(currentEL(), spSel()) == n) setX(SLOT_SP, v);
  else store<u64>(SP_EL_BASE + (<usize>n << 3), v);
}

// Change PSTATE.EL and PSTATE.SP, swapping the banked stack pointer.
export function setELAndSP(el: u32, sel: u32): void {
  let from = spIndex(currentEL(), spSel());
  let to = spIndex(el, sel);
  if (from != to) {
    store<u64>(SP_EL_BASE + (<usize>from << 3), getX(SLOT_SP));
    setX(SLOT_SP, load<u64>(SP_EL_BASE + (<usize>to << 3)));
  }
  store<u32>(PSTATE_EL, el);
  store<u32>(PSTATE_SP, sel);
}

// ConditionHolds(cond): bit `cond` of CONDITION_TABLE[NZCV] says whether the
// condition holds for those flags (a table lookup, no branch to mispredict).
// Generated from the Arm ARM's ConditionHolds for the 16 flag combinations.
const CONDITION_TABLE: StaticArray<u16> = [
  0xd6aa, 0xea6a, 0xd5a6, 0xe966, 0xe6a9, 0xea69, 0xe6a5, 0xea65,
  0xea9a, 0xd65a, 0xe996, 0xd556, 0xea99, 0xe659, 0xea95, 0xe655,
];
@inline export function conditionHolds(cond: u32, nzcv: u32): bool {
  return ((<u32>unchecked(CONDITION_TABLE[nzcv >> 28]) >> cond) & 1) != 0;
}
