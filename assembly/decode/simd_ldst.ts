// Decoding: Advanced SIMD load/store multiple structures and single structure
// (LD1-LD4, ST1-ST4, LD1R-LD4R), with post-index (Arm ARM C4.1.88). Group LDST.
import { undef } from "./entry";

// 0 Q 0011000 L ... (multiple) and 0 Q 0011010 L R ... (single), bit 23 = post-index.
export function decodeLoadStoreStructure(insn: u32, e: usize): void { undef(e); }
