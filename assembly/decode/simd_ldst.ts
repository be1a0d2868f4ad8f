// Decoding: Advanced SIMD load/store multiple structures and single structure
// (LD1-LD4, ST1-ST4, LD1R-LD4R), with post-index (Arm ARM C4.1.88). Group LDST.
// Entry layout in ops.ts (group LDST). Every form transfers one contiguous
// block of memory, whose size is decoded once into imm.
import { emit, undef, rZ, rS, bits, bit } from "./entry";
import * as O from "./ops";

// 0 Q 0011000 L ... (multiple) and 0 Q 0011010 L R ... (single), bit 23 = post-index.
export function decodeLoadStoreStructure(insn: u32, e: usize): void {
  let q = bit(insn, 30), load = bit(insn, 22), post = bit(insn, 23) != 0, single = bit(insn, 24) != 0;
  let rm = bits(insn, 20, 16), rn = bits(insn, 9, 5), rt = bits(insn, 4, 0), size = bits(insn, 11, 10);
  // Without post-index the Rm field must be zero.
  if (!post && rm != 0) { undef(e); return; }
  let wb: u32 = !post ? O.LDST_WB_NONE : rm == 31 ? O.LDST_WB_IMM : O.LDST_WB_REG;
  let op: u32, count: u32, index: u32 = 0, bytes: u32;
  if (!single) {
    if (bit(insn, 21)) { undef(e); return; }
    // opcode: rpt (registers per structure element) and selem (elements per structure).
    let rpt: u32, selem: u32;
    switch (bits(insn, 15, 12)) {
      case 0x0: rpt = 1; selem = 4; break;   // LD4/ST4
      case 0x2: rpt = 4; selem = 1; break;   // LD1/ST1, four registers
      case 0x4: rpt = 1; selem = 3; break;   // LD3/ST3
      case 0x6: rpt = 3; selem = 1; break;   // LD1/ST1, three registers
      case 0x7: rpt = 1; selem = 1; break;   // LD1/ST1, one register
      case 0x8: rpt = 1; selem = 2; break;   // LD2/ST2
      case 0xa: rpt = 2; selem = 1; break;   // LD1/ST1, two registers
      default: undef(e); return;
    }
    // .1D is reserved for the interleaving forms.
    if (size == 3 && q == 0 && selem != 1) { undef(e); return; }
    bytes = (rpt * selem) << (3 + q);
    if (selem == 1) { op = load ? O.OP_SIMD_LD1M : O.OP_SIMD_ST1M; count = rpt; }
    else { op = load ? O.OP_SIMD_LDNM : O.OP_SIMD_STNM; count = selem; }
  } else {
    let opc = bits(insn, 15, 13), s = bit(insn, 12);
    let scale = opc >> 1;
    count = (((opc & 1) << 1) | bit(insn, 21)) + 1; // selem
    if (scale == 3) {
      // Load and replicate: no store form, S must be 0.
      if (!load || s != 0) { undef(e); return; }
      op = O.OP_SIMD_LDR;
      scale = size;
    } else {
      op = load ? O.OP_SIMD_LDS : O.OP_SIMD_STS;
      if (scale == 0) index = (q << 3) | (s << 2) | size;
      else if (scale == 1) {
        if (size & 1) { undef(e); return; }
        index = (q << 2) | (s << 1) | (size >> 1);
      } else {
        if (size & 2) { undef(e); return; }
        if ((size & 1) == 0) index = (q << 1) | s;
        else {
          if (s != 0) { undef(e); return; }
          index = q;
          scale = 3;
        }
      }
    }
    size = scale;
    bytes = count << scale;
  }
  emit(e, op, rt, rS(rn), wb == O.LDST_WB_REG ? rZ(rm) : 0, wb, size | (q << 2) | (count << 3) | (index << 6), <u64>bytes);
}
