// Decoding: Advanced SIMD table lookup (TBL, TBX), permute (UZP, TRN, ZIP)
// and extract (EXT) (Arm ARM C4.1.95). Group THREE.
import { emit, undef, bits, bit } from "./entry";
import * as O from "./ops";

// Table lookup: 0 Q 001110 op2 0 Rm 0 len op 00 Rn Rd. The table is
// len + 1 consecutive registers from Vn, wrapping from V31 to V0.
export function decodeTableLookup(insn: u32, e: usize): void {
  if (bits(insn, 23, 22) != 0) { undef(e); return; }
  let nregs = bits(insn, 14, 13) + 1, tbx = bit(insn, 12);
  emit(e, O.OP_SIMD_TBL, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), bit(insn, 30), nregs | (tbx << 3), 0);
}

// Permute: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd; opcode 001 UZP1, 010 TRN1,
// 011 ZIP1, 101 UZP2, 110 TRN2, 111 ZIP2. The handler's selector is
// op << 3 | size << 1 | Q with op 0 UZP1, 1 UZP2, 2 TRN1, 3 TRN2, 4 ZIP1, 5 ZIP2.
export function decodePermute(insn: u32, e: usize): void {
  let q = bit(insn, 30), size = bits(insn, 23, 22), opcode = bits(insn, 14, 12);
  if ((opcode & 3) == 0 || (size == 3 && q == 0)) { undef(e); return; }
  let op = (((opcode & 3) - 1) << 1) | (opcode >> 2);
  emit(e, O.OP_SIMD_PERMUTE, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), q, (op << 3) | (size << 1) | q, 0);
}

// Extract: 0 Q 101110 op2 0 Rm 0 imm4 0 Rn Rd; with Q = 0 the byte position
// must be below 8 (imm4<3> = 1 is reserved).
export function decodeExtract(insn: u32, e: usize): void {
  let q = bit(insn, 30), imm4 = bits(insn, 14, 11);
  if (bits(insn, 23, 22) != 0 || (q == 0 && imm4 >= 8)) { undef(e); return; }
  emit(e, O.OP_SIMD_EXT, bits(insn, 4, 0), bits(insn, 9, 5), bits(insn, 20, 16), q, imm4, 0);
}
