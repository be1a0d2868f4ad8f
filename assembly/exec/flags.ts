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

// ExtendReg(reg, extend_type, shift) with the operands pre-packed at decode
// time by extendField(): bits 5:0 = 64 - source width, bit 6 = signed,
// bits 10:8 = left shift. Branch-free: UXTB..SXTX are shift pairs.
@inline export function extendField(option: u32, shift: u32): u32 {
  let width: u32 = 8 << (option & 3);
  return (64 - width) | ((option >> 2) << 6) | (shift << 8);
}
@inline export function extendReg(v: u64, f: u32): u64 {
  let sh = <u64>(f & 63);
  let t = v << sh;
  let x = (f & 64) ? <u64>(<i64>t >> sh) : t >> sh;
  return x << <u64>((f >> 8) & 7);
}
