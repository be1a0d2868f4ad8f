// QARMA5 with the Arm ARM's parameters (FEAT_PACQARMA5): ComputePAC and
// its helpers PACSub, PACInvSub, PACMult, PACCellShuffle, PACCellInvShuffle,
// TweakShuffle, TweakInvShuffle. The state is 16 4-bit cells, cell i in
// bits 4i+3:4i. Everything works on the whole u64 at once (masks, shifts):
// no tables in memory, no allocation; this runs twice per signed function
// call of a kernel built with return-address signing.

const CELL_LO1: u64 = 0x1111_1111_1111_1111;
const CELL_LO3: u64 = 0x7777_7777_7777_7777;
const CELL_HI3: u64 = 0xeeee_eeee_eeee_eeee;
const M1 = CELL_LO1;

// PACSub and PACInvSub, the 4-bit S-box sigma_2 (PRINCE's: B 6 8 F C 0 9 E
// 3 7 4 5 D 2 1 A) and its inverse on all 16 cells at once: bit plane i
// holds bit i of every cell, and each output bit is its algebraic normal
// form (an XOR of AND-products of the input bits; M1 is the constant 1).
export function pacSub(w: u64): u64 {
  let x0 = w & M1, x1 = (w >> 1) & M1, x2 = (w >> 2) & M1, x3 = (w >> 3) & M1;
  let x01 = x0 & x1, x02 = x0 & x2, x12 = x1 & x2, x03 = x0 & x3, x13 = x1 & x3, x23 = x2 & x3, x012 = x01 & x2, x013 = x01 & x3, x023 = x02 & x3, x123 = x12 & x3;
  let y0 = M1 ^ x0 ^ x1 ^ x2 ^ x02 ^ x012 ^ x03 ^ x013 ^ x23 ^ x123;
  let y1 = M1 ^ x1 ^ x01 ^ x2 ^ x12 ^ x013 ^ x023;
  let y2 = x0 ^ x2 ^ x12 ^ x13 ^ x013 ^ x123;
  let y3 = M1 ^ x0 ^ x01 ^ x3 ^ x03 ^ x013 ^ x23 ^ x023 ^ x123;
  return y0 | (y1 << 1) | (y2 << 2) | (y3 << 3);
}
export function pacInvSub(w: u64): u64 {
  let x0 = w & M1, x1 = (w >> 1) & M1, x2 = (w >> 2) & M1, x3 = (w >> 3) & M1;
  let x01 = x0 & x1, x02 = x0 & x2, x12 = x1 & x2, x03 = x0 & x3, x13 = x1 & x3, x23 = x2 & x3, x012 = x01 & x2, x013 = x01 & x3, x023 = x02 & x3, x123 = x12 & x3;
  let y0 = M1 ^ x0 ^ x2 ^ x12 ^ x012 ^ x3 ^ x03 ^ x13 ^ x013 ^ x23 ^ x123;
  let y1 = x0 ^ x01 ^ x2 ^ x02 ^ x12 ^ x012 ^ x3 ^ x03 ^ x023;
  let y2 = M1 ^ x01 ^ x2 ^ x012 ^ x3 ^ x03 ^ x13 ^ x013 ^ x023 ^ x123;
  let y3 = x0 ^ x1 ^ x01 ^ x2 ^ x02 ^ x03 ^ x23 ^ x123;
  return y0 | (y1 << 1) | (y2 << 2) | (y3 << 3);
}

// RotCell(cell, r) applied to every cell: rotate each 4-bit cell left by r.
@inline function rotCells(x: u64, r: u64): u64 {
  let hiMask: u64 = r == 1 ? CELL_HI3 : 0xcccc_cccc_cccc_cccc;
  let loMask: u64 = r == 1 ? CELL_LO1 : 0x3333_3333_3333_3333;
  return ((x << r) & hiMask) | ((x >> (4 - r)) & loMask);
}

// PACMult: the MixColumns-like step on the 4x4 cell matrix, row k being
// cells 4k..4k+3 (bits 16k+15:16k); each output row is the XOR of three
// input rows with each cell rotated by 1 or 2.
export function pacMult(x: u64): u64 {
  let r1 = rotCells(x, 1), r2 = rotCells(x, 2);
  let a0 = r1 & 0xffff, a1 = (r1 >> 16) & 0xffff, a2 = (r1 >> 32) & 0xffff, a3 = r1 >> 48;
  let b0 = r2 & 0xffff, b1 = (r2 >> 16) & 0xffff, b2 = (r2 >> 32) & 0xffff, b3 = r2 >> 48;
  let t0 = a2 ^ b1 ^ a0; // row 3
  let t1 = a3 ^ a1 ^ b0; // row 2
  let t2 = b3 ^ a2 ^ a0; // row 1
  let t3 = a3 ^ b2 ^ a1; // row 0
  return t3 | (t2 << 16) | (t1 << 32) | (t0 << 48);
}

// Output cell i takes input cell p[i].
@inline function cell(x: u64, from: u64, to: u64): u64 { return ((x >> (from << 2)) & 0xf) << (to << 2); }

// PACCellShuffle: out[i] = in[13, 6, 11, 0, 7, 12, 1, 10, 8, 3, 14, 5, 2, 9, 4, 15][i].
export function pacCellShuffle(x: u64): u64 {
  return cell(x, 13, 0) | cell(x, 6, 1) | cell(x, 11, 2) | cell(x, 0, 3) |
    cell(x, 7, 4) | cell(x, 12, 5) | cell(x, 1, 6) | cell(x, 10, 7) |
    (x & 0xf_0000_0000) | cell(x, 3, 9) | cell(x, 14, 10) | cell(x, 5, 11) |
    cell(x, 2, 12) | cell(x, 9, 13) | cell(x, 4, 14) | (x & 0xf000_0000_0000_0000);
}

// PACCellInvShuffle: out[i] = in[3, 6, 12, 9, 14, 11, 1, 4, 8, 13, 7, 2, 5, 0, 10, 15][i].
export function pacCellInvShuffle(x: u64): u64 {
  return cell(x, 3, 0) | cell(x, 6, 1) | cell(x, 12, 2) | cell(x, 9, 3) |
    cell(x, 14, 4) | cell(x, 11, 5) | cell(x, 1, 6) | cell(x, 4, 7) |
    (x & 0xf_0000_0000) | cell(x, 13, 9) | cell(x, 7, 10) | cell(x, 2, 11) |
    cell(x, 5, 12) | cell(x, 0, 13) | cell(x, 10, 14) | (x & 0xf000_0000_0000_0000);
}

// TweakCellRot on every cell: out = in<0> EOR in<1> : in<3:1>.
@inline function tweakCellsRot(x: u64): u64 {
  return ((x >> 1) & CELL_LO3) | (((x ^ (x >> 1)) & CELL_LO1) << 3);
}
// TweakCellInvRot on every cell: out = in<2:0> : in<0> EOR in<3>.
@inline function tweakCellsInvRot(x: u64): u64 {
  return ((x << 1) & CELL_HI3) | ((x ^ (x >> 3)) & CELL_LO1);
}

// TweakShuffle: out[i] = in[4, 5, 6', 7, 11', 2, 3, 8', 12, 13, 14, 15', 0', 1, 10', 9'][i]
// where ' marks the cells that also go through TweakCellRot.
export function tweakShuffle(x: u64): u64 {
  let r = tweakCellsRot(x);
  return cell(x, 4, 0) | cell(x, 5, 1) | cell(r, 6, 2) | cell(x, 7, 3) |
    cell(r, 11, 4) | cell(x, 2, 5) | cell(x, 3, 6) | cell(r, 8, 7) |
    cell(x, 12, 8) | cell(x, 13, 9) | cell(x, 14, 10) | cell(r, 15, 11) |
    cell(r, 0, 12) | cell(x, 1, 13) | cell(r, 10, 14) | cell(r, 9, 15);
}

// TweakInvShuffle: out[i] = in[12', 13, 5, 6, 0, 1, 2', 3, 7', 15', 14', 4', 8, 9, 10, 11'][i]
// where ' marks the cells that also go through TweakCellInvRot.
export function tweakInvShuffle(x: u64): u64 {
  let r = tweakCellsInvRot(x);
  return cell(r, 12, 0) | cell(x, 13, 1) | cell(x, 5, 2) | cell(x, 6, 3) |
    cell(x, 0, 4) | cell(x, 1, 5) | cell(r, 2, 6) | cell(x, 3, 7) |
    cell(r, 7, 8) | cell(r, 15, 9) | cell(r, 14, 10) | cell(r, 4, 11) |
    cell(x, 8, 12) | cell(x, 9, 13) | cell(x, 10, 14) | cell(r, 11, 15);
}

const ALPHA: u64 = 0xc0ac_29b7_c97c_50dd;
const RC1: u64 = 0x1319_8a2e_0370_7344;
const RC2: u64 = 0xa409_3822_299f_31d0;
const RC3: u64 = 0x082e_fa98_ec4e_6c89;
const RC4: u64 = 0x4528_21e6_38d0_1377;
@inline function rc(i: i32): u64 { return i == 0 ? 0 : i == 1 ? RC1 : i == 2 ? RC2 : i == 3 ? RC3 : RC4; }

// ComputePAC(data, modifier, key0, key1): QARMA5 encryption of data under
// the tweak modifier and the 128-bit key key0:key1 (K<127:64> = key0).
export function computePAC(data: u64, modifier: u64, key0: u64, key1: u64): u64 {
  // modk0 = key0<0> : key0<63:2> : (key0<63> EOR key0<1>)
  let modk0 = (key0 << 63) | ((key0 >> 1) & ~(<u64>1 << 63) & ~<u64>1) | (((key0 >> 63) ^ (key0 >> 1)) & 1);
  let runningmod = modifier;
  let w = data ^ key0;
  for (let i = 0; i <= 4; i++) {
    w ^= key1 ^ runningmod ^ rc(i);
    if (i > 0) w = pacMult(pacCellShuffle(w));
    w = pacSub(w);
    runningmod = tweakShuffle(runningmod);
  }
  w ^= modk0 ^ runningmod;
  w = pacSub(pacMult(pacCellShuffle(w)));
  w = pacMult(pacCellShuffle(w));
  w ^= key1;
  w = pacCellInvShuffle(pacMult(pacInvSub(pacCellInvShuffle(w))));
  w ^= key0 ^ runningmod;
  for (let i = 0; i <= 4; i++) {
    w = pacInvSub(w);
    if (i < 4) w = pacCellInvShuffle(pacMult(w));
    runningmod = tweakInvShuffle(runningmod);
    w ^= rc(4 - i) ^ key1 ^ runningmod ^ ALPHA;
  }
  return w ^ modk0;
}
