// Decoding: Advanced SIMD table lookup (TBL, TBX), permute (UZP, TRN, ZIP)
// and extract (EXT) (Arm ARM C4.1.95). Group THREE.
import { undef } from "./entry";

export function decodeTableLookup(insn: u32, e: usize): void { undef(e); }
export function decodePermute(insn: u32, e: usize): void { undef(e); }
export function decodeExtract(insn: u32, e: usize): void { undef(e); }
