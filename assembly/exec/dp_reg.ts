// Semantics: Data Processing -- Register.
import { getX, setX, getW, setW, getNZCV, setNZCV, conditionHolds } from "../cpu/state";
import { fA, fB, fC, fD, fF, imm } from "../decode/entry";
import {
  addWithCarry64, addWithCarry32, logicalFlags64, logicalFlags32, shiftReg64, shiftReg32, extendReg,
} from "./flags";
import { umulh, smulh, crc32 } from "../util/bits";

// Logical (shifted register); opcN = opc << 1 | N: AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS.
@inline export function execLogicalSR(w: u64, opcN: u32, sf: u32): void {
  if (sf) {
    let a = getX(fB(w)), b = shiftReg64(getX(fC(w)), fD(w), fF(w));
    if (opcN & 1) b = ~b;
    let r: u64;
    if (opcN >> 1 == 1) r = a | b;
    else if (opcN >> 1 == 2) r = a ^ b;
    else r = a & b;
    if (opcN >> 1 == 3) logicalFlags64(r);
    setX(fA(w), r);
  } else {
    let a = getW(fB(w)), b = shiftReg32(getW(fC(w)), fD(w), fF(w));
    if (opcN & 1) b = ~b;
    let r: u32;
    if (opcN >> 1 == 1) r = a | b;
    else if (opcN >> 1 == 2) r = a ^ b;
    else r = a & b;
    if (opcN >> 1 == 3) logicalFlags32(r);
    setW(fA(w), r);
  }
}

// Add/subtract (shifted register); k = op << 1 | S.
@inline export function execAddSubSR(w: u64, k: u32, sf: u32): void {
  if (sf) {
    let a = getX(fB(w)), b = shiftReg64(getX(fC(w)), fD(w), fF(w));
    let r: u64;
    if (k == 0) r = a + b;
    else if (k == 1) r = addWithCarry64(a, b, 0);
    else if (k == 2) r = a - b;
    else r = addWithCarry64(a, ~b, 1);
    setX(fA(w), r);
  } else {
    let a = getW(fB(w)), b = shiftReg32(getW(fC(w)), fD(w), fF(w));
    let r: u32;
    if (k == 0) r = a + b;
    else if (k == 1) r = addWithCarry32(a, b, 0);
    else if (k == 2) r = a - b;
    else r = addWithCarry32(a, ~b, 1);
    setW(fA(w), r);
  }
}

// Add/subtract (extended register); Rd may be SP unless S; Rn may be SP.
@inline export function execAddSubER(w: u64, k: u32, sf: u32): void {
  let a = getX(fB(w)), b = extendReg(getX(fC(w)), fF(w));
  if (sf) {
    let r: u64;
    if (k == 0) r = a + b;
    else if (k == 1) r = addWithCarry64(a, b, 0);
    else if (k == 2) r = a - b;
    else r = addWithCarry64(a, ~b, 1);
    setX(fA(w), r);
  } else {
    let a32 = <u32>a, b32 = <u32>b;
    let r: u32;
    if (k == 0) r = a32 + b32;
    else if (k == 1) r = addWithCarry32(a32, b32, 0);
    else if (k == 2) r = a32 - b32;
    else r = addWithCarry32(a32, ~b32, 1);
    setW(fA(w), r);
  }
}

// ADC, ADCS, SBC, SBCS.
@inline export function execAdc(w: u64, k: u32, sf: u32): void {
  let c = (getNZCV() >> 29) & 1;
  if (sf) {
    let a = getX(fB(w)), b = getX(fC(w));
    if (k & 2) b = ~b;
    let r = (k & 1) ? addWithCarry64(a, b, <u64>c) : a + b + <u64>c;
    setX(fA(w), r);
  } else {
    let a = getW(fB(w)), b = getW(fC(w));
    if (k & 2) b = ~b;
    let r = (k & 1) ? addWithCarry32(a, b, c) : a + b + c;
    setW(fA(w), r);
  }
}

// CCMN / CCMP (register or immediate); op = 1 for CCMP.
@inline export function execCcmp(w: u64, e: usize, op: u32, sf: u32): void {
  if (conditionHolds(fC(w), getNZCV())) {
    let isImm = fF(w);
    if (sf) {
      let a = getX(fA(w)), b = isImm ? imm(e) : getX(fB(w));
      if (op) addWithCarry64(a, ~b, 1); else addWithCarry64(a, b, 0);
    } else {
      let a = getW(fA(w)), b = isImm ? <u32>imm(e) : getW(fB(w));
      if (op) addWithCarry32(a, ~b, 1); else addWithCarry32(a, b, 0);
    }
  } else {
    setNZCV(fD(w) << 28);
  }
}

// CSEL, CSINC, CSINV, CSNEG; k = op << 1 | o2.
@inline export function execCsel(w: u64, k: u32, sf: u32): void {
  let r: u64;
  if (conditionHolds(fD(w), getNZCV())) r = getX(fB(w));
  else {
    r = getX(fC(w));
    if (k == 1) r = r + 1;
    else if (k == 2) r = ~r;
    else if (k == 3) r = 0 - r;
  }
  setX(fA(w), sf ? r : r & 0xffff_ffff);
}

// Data-processing (1 source): RBIT, REV16, REV32/REV, REV, CLZ, CLS.
export function execDP1(w: u64, sf: u32): void {
  let opcode = fD(w);
  if (sf) {
    let x = getX(fB(w));
    let r: u64;
    switch (opcode) {
      case 0: r = rbit64(x); break;
      case 1: r = ((x & 0x00ff_00ff_00ff_00ff) << 8) | ((x >> 8) & 0x00ff_00ff_00ff_00ff); break;
      case 2: { let s = bswap<u64>(x); r = (s >> 32) | (s << 32); break; } // REV32
      case 3: r = bswap<u64>(x); break;
      case 4: r = clz<u64>(x); break;
      default: r = <u64>(clz<u64>(x ^ <u64>(<i64>x >> 1)) - 1); // CLS
    }
    setX(fA(w), r);
  } else {
    let x = getW(fB(w));
    let r: u32;
    switch (opcode) {
      case 0: r = <u32>(rbit64(<u64>x) >> 32); break;
      case 1: r = ((x & 0x00ff_00ff) << 8) | ((x >> 8) & 0x00ff_00ff); break;
      case 2: r = bswap<u32>(x); break;
      case 4: r = clz<u32>(x); break;
      default: r = clz<u32>(x ^ <u32>(<i32>x >> 1)) - 1;
    }
    setW(fA(w), r);
  }
}

function rbit64(x: u64): u64 {
  x = ((x >> 1) & 0x5555_5555_5555_5555) | ((x & 0x5555_5555_5555_5555) << 1);
  x = ((x >> 2) & 0x3333_3333_3333_3333) | ((x & 0x3333_3333_3333_3333) << 2);
  x = ((x >> 4) & 0x0f0f_0f0f_0f0f_0f0f) | ((x & 0x0f0f_0f0f_0f0f_0f0f) << 4);
  return bswap<u64>(x);
}

// Data-processing (2 source): UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32*, CRC32C*.
export function execDP2(w: u64, sf: u32): void {
  let opcode = fD(w);
  let r: u64;
  if (opcode >= 16) {
    let bytes: u32 = <u32>1 << (opcode & 3);
    r = <u64>crc32(getW(fB(w)), getX(fC(w)), bytes, (opcode & 4) != 0);
    setX(fA(w), r);
    return;
  }
  if (sf) {
    let a = getX(fB(w)), b = getX(fC(w));
    switch (opcode) {
      case 2: r = b == 0 ? 0 : a / b; break;
      case 3: r = b == 0 ? 0 : (b == 0xffff_ffff_ffff_ffff ? 0 - a : <u64>(<i64>a / <i64>b)); break;
      case 8: r = a << (b & 63); break;
      case 9: r = a >> (b & 63); break;
      case 10: r = <u64>(<i64>a >> <i64>(b & 63)); break;
      default: r = rotr<u64>(a, b & 63);
    }
    setX(fA(w), r);
  } else {
    let a = getW(fB(w)), b = getW(fC(w));
    let q: u32;
    switch (opcode) {
      case 2: q = b == 0 ? 0 : a / b; break;
      case 3: q = b == 0 ? 0 : (b == 0xffff_ffff ? 0 - a : <u32>(<i32>a / <i32>b)); break;
      case 8: q = a << (b & 31); break;
      case 9: q = a >> (b & 31); break;
      case 10: q = <u32>(<i32>a >> <i32>(b & 31)); break;
      default: q = rotr<u32>(a, b & 31);
    }
    setW(fA(w), q);
  }
}

@inline export function execMadd(w: u64): void { setX(fA(w), getX(fD(w)) + getX(fB(w)) * getX(fC(w))); }
@inline export function execMadd32(w: u64): void { setW(fA(w), getW(fD(w)) + getW(fB(w)) * getW(fC(w))); }
@inline export function execMsub(w: u64): void { setX(fA(w), getX(fD(w)) - getX(fB(w)) * getX(fC(w))); }
@inline export function execMsub32(w: u64): void { setW(fA(w), getW(fD(w)) - getW(fB(w)) * getW(fC(w))); }

// SMADDL, SMSUBL, SMULH, UMADDL, UMSUBL, UMULH; f = op31 << 1 | o0.
export function execDP3(w: u64): void {
  let n = getX(fB(w)), m = getX(fC(w)), acc = getX(fD(w));
  let r: u64;
  switch (fF(w)) {
    case 2: r = acc + <u64>(<i64><i32>n * <i64><i32>m); break;   // SMADDL
    case 3: r = acc - <u64>(<i64><i32>n * <i64><i32>m); break;   // SMSUBL
    case 4: r = smulh(n, m); break;                              // SMULH
    case 10: r = acc + (n & 0xffff_ffff) * (m & 0xffff_ffff); break; // UMADDL
    case 11: r = acc - (n & 0xffff_ffff) * (m & 0xffff_ffff); break; // UMSUBL
    default: r = umulh(n, m);                                    // UMULH
  }
  setX(fA(w), r);
}

// MOV (register): ORR with XZR and no shift, the commonest register move.
@inline export function execMovReg(w: u64): void { setX(fA(w), getX(fB(w))); }
@inline export function execMovReg32(w: u64): void { setW(fA(w), getW(fB(w))); }

// The SUBS half of a fused SUBS + B.cond (register form): sets NZCV and Rd.
@inline export function execSubsSR(w: u64, sf: u32): void {
  let type = fD(w) & 3;
  if (sf) setX(fA(w), addWithCarry64(getX(fB(w)), ~shiftReg64(getX(fC(w)), type, fF(w)), 1));
  else setW(fA(w), addWithCarry32(getW(fB(w)), ~shiftReg32(getW(fC(w)), type, fF(w)), 1));
}
