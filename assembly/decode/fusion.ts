// Decode-time fusion of SUBS (CMP) with a following B.cond. Compilers emit
// this pair at the end of nearly every loop; fused, it costs one dispatch.
import { CODE_BASE, CODE_SLOT_SIZE, CODE_ENTRY_SIZE } from "../abi";
import { nextInstruction, NO_NEXT } from "./decoder";
import { signExtend } from "../util/bits";

// If the next instruction is a B.cond whose target is in this page, returns
// its condition in bits 35:32 and the target's entry delta from entry e in
// the low 32 bits (as a signed byte offset); otherwise returns NO_NEXT.
export function fusibleBranch(e: usize): u64 {
  let next = nextInstruction();
  if (next == NO_NEXT) return NO_NEXT;
  let insn = <u32>next;
  if ((insn & 0xff00_0010) != 0x5400_0000) return NO_NEXT; // B.cond
  let cond = insn & 0xf;
  if (cond >= 14) return NO_NEXT;
  let idx = <i64>(((e - CODE_BASE) % CODE_SLOT_SIZE) / CODE_ENTRY_SIZE);
  let target = idx + 1 + (<i64>signExtend(<u64>((insn >> 5) & 0x7ffff), 19));
  if (target < 0 || target >= 1024) return NO_NEXT;
  return (<u64>cond << 32) | <u64><u32>(<i32>((target - idx) * CODE_ENTRY_SIZE));
}
