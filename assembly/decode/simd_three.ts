// Decoding: Advanced SIMD three same (integer and logical) and three
// different, vector and scalar (Arm ARM C4.1.95). Group THREE.
import { emit, undef, bits, bit } from "./entry";
import * as O from "./ops";

// Three same, opcode (insn 15:11) < 0b11000; scalar: the scalar three same group.
export function decodeIntThreeSame(insn: u32, e: usize, scalar: bool): void {
  // ORR (vector, register): 0 Q 0 01110 10 1 Rm 000111 Rn Rd (MOV when Rn == Rm)
  if (!scalar && (insn & 0xbfe0_fc00) == 0x0ea0_1c00) {
    emit(e, O.OP_SIMD_ORR, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), bit(insn, 30), 0, 0);
    return;
  }
  undef(e);
}

export function decodeThreeDifferent(insn: u32, e: usize, scalar: bool): void { undef(e); }
