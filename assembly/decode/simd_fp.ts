// Decoding: Advanced SIMD floating point, vector and scalar (Arm ARM
// C4.1.95): three same, two-register misc, across lanes, scalar pairwise,
// by element, and the fixed-point conversions in shift by immediate. Group FPVEC.
import { undef } from "./entry";

export function decodeFpThreeSame(insn: u32, e: usize, scalar: bool): void { undef(e); }
export function decodeFpTwoRegMisc(insn: u32, e: usize, scalar: bool): void { undef(e); }
export function decodeFpAcrossLanes(insn: u32, e: usize): void { undef(e); }
export function decodeScalarPairwise(insn: u32, e: usize): void { undef(e); }
export function decodeFpByElement(insn: u32, e: usize, scalar: bool): void { undef(e); }
export function decodeFpShiftImm(insn: u32, e: usize, scalar: bool): void { undef(e); }
