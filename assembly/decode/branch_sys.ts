// Decoding: Branches, Exception Generating and System instructions (Arm ARM C4.1.87).
import { emit, undef, rZ, wZ, bits, bit } from "./entry";
import * as O from "./ops";
import { CODE_BASE, CODE_SLOT_SIZE, CODE_ENTRY_SIZE } from "../abi";
import { signExtend } from "../util/bits";
import { sysregLookup } from "../sysreg/table";
import { sysOpLookup } from "../sysreg/sysops";
import { rasImplemented } from "../cpu/config";
import { decodePAuthHint, decodePAuthBranch } from "./pauth";

// A direct branch: the in-page form when the target lies in the same 4 KiB
// page (the entry delta is then known at decode time), else the general one.
function emitBranch(e: usize, op: u32, local: u32, a: u32, c: u32, off: u64): void {
  let idx = <i64>(((e - CODE_BASE) % CODE_SLOT_SIZE) / CODE_ENTRY_SIZE);
  let target = idx + (<i64>off >> 2);
  if (target >= 0 && target < 1024) emit(e, local, a, 0, c, 0, 0, <u64>((target - idx) * CODE_ENTRY_SIZE));
  else emit(e, op, a, 0, c, 0, 0, off);
}

export function decodeBranchSystem(insn: u32, e: usize): void {
  let op0 = bits(insn, 31, 29);
  let rt = bits(insn, 4, 0);
  // Unconditional branch (immediate): x00101
  if ((insn & 0x7c00_0000) == 0x1400_0000) {
    let off = signExtend(<u64>bits(insn, 25, 0) << 2, 28);
    if (bit(insn, 31)) emit(e, O.OP_BL, 0, 0, 0, 0, 0, off);
    else emitBranch(e, O.OP_B, O.OP_B_LOCAL, 0, 0, off);
    return;
  }
  // Compare and branch: x011010
  if ((insn & 0x7e00_0000) == 0x3400_0000) {
    let sf = bit(insn, 31), nz = bit(insn, 24);
    let off = signExtend(<u64>bits(insn, 23, 5) << 2, 21);
    let op = sf ? (nz ? O.OP_CBNZ : O.OP_CBZ) : (nz ? O.OP_CBNZ32 : O.OP_CBZ32);
    let local = sf ? (nz ? O.OP_CBNZ_LOCAL : O.OP_CBZ_LOCAL) : (nz ? O.OP_CBNZ32_LOCAL : O.OP_CBZ32_LOCAL);
    emitBranch(e, op, local, rZ(rt), 0, off);
    return;
  }
  // Test and branch: x011011
  if ((insn & 0x7e00_0000) == 0x3600_0000) {
    let b = (bit(insn, 31) << 5) | bits(insn, 23, 19);
    let off = signExtend(<u64>bits(insn, 18, 5) << 2, 16);
    if (bit(insn, 24)) emitBranch(e, O.OP_TBNZ, O.OP_TBNZ_LOCAL, rZ(rt), b, off);
    else emitBranch(e, O.OP_TBZ, O.OP_TBZ_LOCAL, rZ(rt), b, off);
    return;
  }
  // Conditional branch (immediate): 0101010 o1=0 ... o0=0
  if ((insn & 0xff00_0010) == 0x5400_0000) {
    let off = signExtend(<u64>bits(insn, 23, 5) << 2, 21);
    emitBranch(e, O.OP_BCOND, O.OP_BCOND_LOCAL, 0, bits(insn, 3, 0), off);
    return;
  }
  if (op0 != 6) { undef(e); return; }
  // Exception generation: 11010100
  if ((insn & 0xff00_0000) == 0xd400_0000) {
    let opc = bits(insn, 23, 21), op2 = bits(insn, 4, 2), ll = bits(insn, 1, 0);
    let imm16 = bits(insn, 20, 5);
    if (op2 != 0) { undef(e); return; }
    if (opc == 0 && ll == 1) emit(e, O.OP_SVC, 0, 0, 0, 0, imm16, 0);
    else if (opc == 0 && ll == 2) emit(e, O.OP_HVC, 0, 0, 0, 0, imm16, 0);
    else if (opc == 0 && ll == 3) emit(e, O.OP_SMC, 0, 0, 0, 0, imm16, 0);
    else if (opc == 1 && ll == 0) emit(e, O.OP_BRK, 0, 0, 0, 0, imm16, 0);
    else if (opc == 2 && ll == 0) emit(e, O.OP_HLT, 0, 0, 0, 0, imm16, 0);
    else undef(e); // DCPS1-3 are UNDEFINED outside Debug state; TSTART etc. unallocated
    return;
  }
  // Unconditional branch (register): 1101011
  if ((insn & 0xfe00_0000) == 0xd600_0000) {
    let opc = bits(insn, 24, 21), op2 = bits(insn, 20, 16), op3 = bits(insn, 15, 10);
    let rn = bits(insn, 9, 5), op4 = bits(insn, 4, 0);
    if (op2 == 31 && decodePAuthBranch(opc, op3, rn, op4, e)) return;
    if (op2 != 31 || op3 != 0 || op4 != 0) { undef(e); return; }
    if (opc == 0 || opc == 2) emit(e, O.OP_BR, 0, rZ(rn), 0, 0, 0, 0);        // BR, RET
    else if (opc == 1) emit(e, O.OP_BLR, 0, rZ(rn), 0, 0, 0, 0);
    else if (opc == 4 && rn == 31) emit(e, O.OP_ERET, 0, 0, 0, 0, 0, 0);
    else undef(e); // DRPS (Debug state only)
    return;
  }
  // System: 1101010100
  if ((insn & 0xffc0_0000) == 0xd500_0000) {
    let l = bit(insn, 21), o0 = bits(insn, 20, 19), op1 = bits(insn, 18, 16);
    let crn = bits(insn, 15, 12), crm = bits(insn, 11, 8), op2 = bits(insn, 7, 5);
    if (l == 0 && o0 == 0) {
      if (crn == 2 && rt == 31 && op1 == 3) { // Hints
        let hint = (crm << 3) | op2;
        switch (hint) {
          case 2: emit(e, O.OP_WFE, 0, 0, 0, 0, 0, 0); return;
          case 3: emit(e, O.OP_WFI, 0, 0, 0, 0, 0, 0); return;
          case 4: emit(e, O.OP_SEV, 0, 0, 0, 0, 0, 0); return;
          case 5: emit(e, O.OP_SEVL, 0, 0, 0, 0, 0, 0); return;
          case 16: if (rasImplemented) { emit(e, O.OP_ESB, 0, 0, 0, 0, 0, 0); return; } break; // ESB
        }
        if (decodePAuthHint(hint, e)) return;
        // NOP and every other hint (unallocated hints execute as NOP; so do
        // the FEAT_PAuth ones when it is not implemented).
        emit(e, O.OP_NOP, 0, 0, 0, 0, 0, 0);
        return;
      }
      if (crn == 3 && op1 == 3 && rt == 31) { // Barriers
        switch (op2) {
          case 2: emit(e, O.OP_CLREX, 0, 0, 0, 0, 0, 0); return;
          case 4: case 5: case 6: emit(e, O.OP_NOP, 0, 0, 0, 0, 0, 0); return; // DSB, DMB, ISB
        }
        undef(e); // SB, SSBB/PSSBB (DSB encodings with CRm 0/4 are DSB) not implemented
        return;
      }
      if (crn == 4 && rt == 31) { // MSR (immediate)
        emit(e, O.OP_MSR_IMM, 0, 0, crm, 0, (op1 << 3) | op2, 0);
        return;
      }
      undef(e);
      return;
    }
    let key: u32 = (o0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    if (o0 == 1) { // SYS / SYSL
      if (l == 1) { undef(e); return; } // SYSL: no implemented encodings
      let id = sysOpLookup(key);
      if (id < 0) { undef(e); return; }
      emit(e, O.OP_SYS, rZ(rt), rt, 0, 0, key, <u64>id);
      return;
    }
    if (o0 >= 2) { // MRS / MSR (register)
      let reg = sysregLookup(key);
      if (reg < 0) { undef(e); return; }
      if (l) emit(e, O.OP_MRS, wZ(rt), rt, 0, 0, key, <u64>reg);
      else emit(e, O.OP_MSR, rZ(rt), rt, 0, 0, key, <u64>reg);
      return;
    }
    undef(e);
    return;
  }
  undef(e);
}
