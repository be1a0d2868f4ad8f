// Decoding: Advanced SIMD integer two-register misc, across lanes, shift by
// immediate and by element, vector and scalar (Arm ARM C4.1.95). Group MISC.
import { undef } from "./entry";

export function decodeIntTwoRegMisc(insn: u32, e: usize, scalar: bool): void { undef(e); }
export function decodeIntAcrossLanes(insn: u32, e: usize): void { undef(e); }
export function decodeIntShiftImm(insn: u32, e: usize, scalar: bool): void { undef(e); }
export function decodeIntByElement(insn: u32, e: usize, scalar: bool): void { undef(e); }
