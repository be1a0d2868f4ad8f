// Decoding: the FEAT_PAuth instructions (with CONFIG_PAUTH; see exec/pauth.ts).
// Each function returns false when the encoding is not one of them (or the
// feature is not implemented), leaving it to its group's decoder.
import { emit, rZ, wZ, rS, bits, bit } from "./entry";
import * as O from "./ops";
import { SLOT_SP, SLOT_ZR } from "../abi";
import { signExtend } from "../util/bits";
import { pauthImplemented } from "../cpu/config";

// The hint space (HINT #imm, imm = CRm:op2): PACIA1716 .. AUTIBSP, XPACLRI.
export function decodePAuthHint(hint: u32, e: usize): bool {
  if (!pauthImplemented) return false;
  if (hint == 7) { emit(e, O.OP_PAC, 30, SLOT_ZR, 0, O.PAC_STRIP, 0, 0); return true; } // XPACLRI
  let key = (hint >> 1) & 1, op = (hint >> 2) & 1 ? O.PAC_AUTH : O.PAC_ADD;
  if ((hint & ~7) == 8 && (hint & 1) == 0) { // PACIA1716, PACIB1716, AUTIA1716, AUTIB1716
    emit(e, O.OP_PAC, 17, 16, key, op, 0, 0);
    return true;
  }
  if ((hint & ~7) == 24) { // PACIAZ, PACIASP, PACIBZ, PACIBSP, AUTIAZ, AUTIASP, AUTIBZ, AUTIBSP
    emit(e, O.OP_PAC, 30, (hint & 1) ? SLOT_SP : SLOT_ZR, key, op, 0, 0);
    return true;
  }
  return false;
}

// Data-processing (1 source) with sf = 1, S = 0, opcode2 = 00001; and
// PACGA in Data-processing (2 source). rd, rn, rm, opcode from the group.
export function decodePAuthDP1(opcode: u32, rn: u32, rd: u32, e: usize): bool {
  if (!pauthImplemented) return false;
  if (opcode < 8) { // PACIA..AUTDB Xd, Xn|SP
    emit(e, O.OP_PAC, wZ(rd), rS(rn), opcode & 3, opcode & 4 ? O.PAC_AUTH : O.PAC_ADD, 0, 0);
    return true;
  }
  if (opcode < 16 && rn == 31) { // PACIZA..AUTDZB Xd
    emit(e, O.OP_PAC, wZ(rd), SLOT_ZR, opcode & 3, opcode & 4 ? O.PAC_AUTH : O.PAC_ADD, 0, 0);
    return true;
  }
  if ((opcode == 16 || opcode == 17) && rn == 31) { // XPACI, XPACD
    emit(e, O.OP_PAC, wZ(rd), SLOT_ZR, opcode == 16 ? 0 : 2, O.PAC_STRIP, 0, 0);
    return true;
  }
  return false;
}

export function decodePACGA(rm: u32, rn: u32, rd: u32, e: usize): bool {
  if (!pauthImplemented) return false;
  emit(e, O.OP_PACGA, wZ(rd), rZ(rn), rS(rm), 0, 0, 0);
  return true;
}

// Unconditional branch (register) with op3 = 00001M: BRA*, BLRA*, RETA*, ERETA*.
export function decodePAuthBranch(opc: u32, op3: u32, rn: u32, op4: u32, e: usize): bool {
  if (!pauthImplemented || (op3 >> 1) != 1) return false;
  let key = op3 & 1;
  switch (opc) {
    case 0: case 1: // BRAAZ, BRABZ, BLRAAZ, BLRABZ
      if (op4 != 31) return false;
      emit(e, O.OP_BRA, opc, rZ(rn), SLOT_ZR, key, 0, 0);
      return true;
    case 2: // RETAA, RETAB
      if (rn != 31 || op4 != 31) return false;
      emit(e, O.OP_BRA, 0, 30, SLOT_SP, key, 0, 0);
      return true;
    case 4: // ERETAA, ERETAB
      if (rn != 31 || op4 != 31) return false;
      emit(e, O.OP_ERETA, 0, 0, 0, key, 0, 0);
      return true;
    case 8: case 9: // BRAA, BRAB, BLRAA, BLRAB Xn, Xm|SP
      emit(e, O.OP_BRA, opc & 1, rZ(rn), rS(op4), key, 0, 0);
      return true;
  }
  return false;
}

// LDRAA, LDRAB: 11111000 M S 1 imm9 W 1 Rn Rt.
export function decodeLDRA(insn: u32, e: usize): bool {
  if (!pauthImplemented || (insn & 0xff20_0400) != 0xf820_0400) return false;
  let off = signExtend(<u64>((bit(insn, 22) << 9) | bits(insn, 20, 12)) << 3, 13);
  let d = (bit(insn, 23) ? 3 : 2) | (bit(insn, 11) << 2);
  emit(e, O.OP_LDRA, wZ(bits(insn, 4, 0)), rS(bits(insn, 9, 5)), 0, d, 0, off);
  return true;
}
