// AddWithCarry and the shift/extend operand helpers shared by the
// data-processing groups (Arm ARM shared pseudocode).
import { setNZCV } from "../cpu/state";

// AddWithCarry(x, y, carry_in) at 64 bits, setting PSTATE.NZCV.
@inline export function addWithCarry64(a: u64, b: u64, c: u64): u64 {
  let r = a + b + c;
  let carry: u32 = c ? (r <= a ? 1 : 0) : (r < a ? 1 : 0);
  let v = <u32>(((a ^ r) & (b ^ r)) >> 63);
  setNZCV((<u32>(r >> 32) & 0x8000_0000) | (r == 0 ? 0x4000_0000 : 0) | (carry << 29) | (v << 28));
  return r;
}

// AddWithCarry(x, y, carry_in) at 32 bits, setting PSTATE.NZCV.
@inline export function addWithCarry32(a: u32, b: u32, c: u32): u32 {
  let r = a + b + c;
  let carry: u32 = c ? (r <= a ? 1 : 0) : (r < a ? 1 : 0);
  let v = ((a ^ r) & (b ^ r)) >> 31;
  setNZCV((r & 0x8000_0000) | (r == 0 ? 0x4000_0000 : 0) | (carry << 29) | (v << 28));
  return r;
}

// NZCV for a logical result (C and V cleared).
@inline export function logicalFlags64(r: u64): void {
  setNZCV((<u32>(r >> 32) & 0x8000_0000) | (r == 0 ? 0x4000_0000 : 0));
}
@inline export function logicalFlags32(r: u32): void {
  setNZCV((r & 0x8000_0000) | (r == 0 ? 0x4000_0000 : 0));
}

// ShiftReg(reg, shift_type, amount): LSL, LSR, ASR, ROR.
@inline export function shiftReg64(v: u64, type: u32, amount: u32): u64 {
  let a = <u64>amount;
  if (type == 0) return v << a;
  if (type == 1) return v >> a;
  if (type == 2) return <u64>(<i64>v >> a);
  return rotr<u64>(v, a);
}
@inline export function shiftReg32(v: u32, type: u32, amount: u32): u32 {
  if (type == 0) return v << amount;
  if (type == 1) return v >> amount;
  if (type == 2) return <u32>(<i32>v >> amount);
  return rotr<u32>(v, amount);
}

// ExtendReg(reg, extend_type, shift): UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX.
@inline export function extendReg(v: u64, option: u32, shift: u32): u64 {
  let x: u64;
  switch (option) {
    case 0: x = v & 0xff; break;
    case 1: x = v & 0xffff; break;
    case 2: x = v & 0xffff_ffff; break;
    case 4: x = <u64><i64><i8>v; break;
    case 5: x = <u64><i64><i16>v; break;
    case 6: x = <u64><i64><i32>v; break;
    default: x = v;
  }
  return x << <u64>shift;
}
