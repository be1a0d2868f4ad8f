// Writing and reading predecoded entries (layout in ops.ts).
import { SLOT_SINK, SLOT_SP } from "../abi";
import { OP_UNDEF } from "./ops";

@inline export function emit(e: usize, op: u32, a: u32, b: u32, c: u32, d: u32, f: u32, imm: u64): void {
  store<u64>(e, <u64>op | (<u64>a << 16) | (<u64>b << 24) | (<u64>c << 32) | (<u64>d << 40) | (<u64>f << 48));
  store<u64>(e, imm, 8);
}

@inline export function undef(e: usize): void { emit(e, OP_UNDEF, 0, 0, 0, 0, 0, 0); }

// Register number 31 resolved once, at decode time.
@inline export function rZ(r: u32): u32 { return r; }                          // read: X31 is XZR (slot 31 holds 0)
@inline export function wZ(r: u32): u32 { return r == 31 ? SLOT_SINK : r; }    // write: XZR discards
@inline export function rS(r: u32): u32 { return r == 31 ? SLOT_SP : r; }      // read or write: X31 is SP

// Field extraction at execution time.
@inline export function fA(w: u64): u32 { return <u32>(w >> 16) & 0xff; }
@inline export function fB(w: u64): u32 { return <u32>(w >> 24) & 0xff; }
@inline export function fC(w: u64): u32 { return <u32>(w >> 32) & 0xff; }
@inline export function fD(w: u64): u32 { return <u32>(w >> 40) & 0xff; }
@inline export function fF(w: u64): u32 { return <u32>(w >> 48); }
@inline export function imm(e: usize): u64 { return load<u64>(e, 8); }

// Instruction fields.
@inline export function bits(insn: u32, hi: u32, lo: u32): u32 { return (insn >> lo) & ((<u32>1 << (hi - lo + 1)) - 1); }
@inline export function bit(insn: u32, n: u32): u32 { return (insn >> n) & 1; }
