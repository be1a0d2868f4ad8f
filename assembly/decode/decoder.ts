// The A64 decoder: the top level of the encoding index (Arm ARM C4.1), by op0 = insn[28:25].
import { undef } from "./entry";
import { decodeDataProcessingImmediate } from "./dp_imm";
import { decodeBranchSystem } from "./branch_sys";
import { decodeLoadStore } from "./ldst";
import { decodeDataProcessingRegister } from "./dp_reg";
import { decodeSimdFp } from "./simdfp";
import { fpEnabled } from "../cpu/config";

// The instruction after the one being decoded, when it is in the same page
// (NO_NEXT otherwise): decoders may fuse the two (see OP_SUBS_BCOND).
export const NO_NEXT: u64 = 0x1_0000_0000;
let lookahead: u64 = NO_NEXT;
export function nextInstruction(): u64 { return lookahead; }

// Decode one instruction into the 16-byte entry at e.
export function decodeInstruction(insn: u32, e: usize, next: u64): void {
  lookahead = next;
  let op0 = (insn >> 25) & 0xf;
  if ((op0 & 0xe) == 0x8) decodeDataProcessingImmediate(insn, e);      // 100x
  else if ((op0 & 0xe) == 0xa) decodeBranchSystem(insn, e);            // 101x
  else if ((op0 & 0x5) == 0x4) decodeLoadStore(insn, e);               // x1x0
  else if ((op0 & 0x7) == 0x5) decodeDataProcessingRegister(insn, e);  // x101
  else if ((op0 & 0x7) == 0x7 && fpEnabled) decodeSimdFp(insn, e);   // x111 (SIMD&FP: only with CONFIG_FP)
  else undef(e);  // 0000 reserved (UDF), 0001/0011 unallocated, 0010 SVE
}
