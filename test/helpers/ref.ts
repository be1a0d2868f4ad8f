// Reference model: the Arm ARM's shared pseudocode, in BigInt arithmetic.
// Tests compute their expectations with these, never from the core.

export const ones = (n: number): bigint => (n <= 0 ? 0n : (1n << BigInt(n)) - 1n);
export const trunc = (x: bigint, n: number): bigint => BigInt.asUintN(n, x);
export const sint = (x: bigint, n: number): bigint => BigInt.asIntN(n, x);
// SignExtend(x<bits-1:0>) to `to` bits, as an unsigned value.
export const sext = (x: bigint, bits: number, to = 64): bigint => BigInt.asUintN(to, BigInt.asIntN(bits, x));

export function nzcvOf(n: number, z: number, c: number, v: number): number {
  return ((n << 31) | (z << 30) | (c << 29) | (v << 28)) >>> 0;
}

// AddWithCarry(x, y, carry_in) at N bits -> [result, nzcv].
export function addWithCarry(x: bigint, y: bigint, cin: number, N: number): [bigint, number] {
  const ux = trunc(x, N), uy = trunc(y, N);
  const usum = ux + uy + BigInt(cin);
  const ssum = sint(ux, N) + sint(uy, N) + BigInt(cin);
  const r = trunc(usum, N);
  const n = Number(r >> BigInt(N - 1)) & 1;
  const z = r === 0n ? 1 : 0;
  const c = r === usum ? 0 : 1;
  const v = sint(r, N) === ssum ? 0 : 1;
  return [r, nzcvOf(n, z, c, v)];
}

// NZCV after a logical flag-setting operation (ANDS, BICS).
export function logicFlags(r: bigint, N: number): number {
  const t = trunc(r, N);
  return nzcvOf(Number(t >> BigInt(N - 1)) & 1, t === 0n ? 1 : 0, 0, 0);
}

export function ror(x: bigint, sh: number, N: number): bigint {
  x = trunc(x, N);
  sh %= N;
  if (sh === 0) return x;
  return trunc((x >> BigInt(sh)) | (x << BigInt(N - sh)), N);
}

// HighestSetBit
function hsb(x: number): number { for (let i = 31; i >= 0; i--) if ((x >>> i) & 1) return i; return -1; }

// DecodeBitMasks(immN, imms, immr, immediate, M) -> [wmask, tmask], or undefined where reserved.
export function decodeBitMasks(immN: number, imms: number, immr: number, immediate: boolean, M: number): [bigint, bigint] | undefined {
  const len = hsb((immN << 6) | (~imms & 0x3f));
  if (len < 1) return undefined;
  if (M < (1 << len)) return undefined;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return undefined;
  const S = imms & levels, R = immr & levels;
  const diff = (S - R) & 0x3f;
  const esize = 1 << len;
  const d = diff & levels;
  const welem = ones(S + 1), telem = ones(d + 1);
  const rep = (e: bigint): bigint => { let r = 0n; for (let i = 0; i < M; i += esize) r |= e << BigInt(i); return r; };
  return [rep(ror(welem, R, esize)), rep(telem)];
}

// ShiftReg at N bits: 0 LSL, 1 LSR, 2 ASR, 3 ROR.
export function shiftReg(x: bigint, type: number, amount: number, N: number): bigint {
  x = trunc(x, N);
  const a = BigInt(amount);
  switch (type) {
    case 0: return trunc(x << a, N);
    case 1: return x >> a;
    case 2: return trunc(sint(x, N) >> a, N);
    default: return ror(x, amount, N);
  }
}

// ExtendReg: option 0 UXTB, 1 UXTH, 2 UXTW, 3 UXTX, 4 SXTB, 5 SXTH, 6 SXTW, 7 SXTX; result at N bits.
export function extendReg(x: bigint, option: number, shift: number, N: number): bigint {
  const len = 8 << (option & 3);
  const v = option & 4 ? sext(x, len, 64) : trunc(x, len);
  return trunc(v << BigInt(shift), N);
}

// ConditionHolds(cond) for the NZCV register value.
export function conditionHolds(cond: number, nzcv: number): boolean {
  const n = (nzcv >>> 31) & 1, z = (nzcv >>> 30) & 1, c = (nzcv >>> 29) & 1, v = (nzcv >>> 28) & 1;
  let r: boolean;
  switch (cond >> 1) {
    case 0: r = z === 1; break;
    case 1: r = c === 1; break;
    case 2: r = n === 1; break;
    case 3: r = v === 1; break;
    case 4: r = c === 1 && z === 0; break;
    case 5: r = n === v; break;
    case 6: r = n === v && z === 0; break;
    default: r = true;
  }
  if ((cond & 1) === 1 && cond !== 15) r = !r;
  return r;
}
export const COND_NAMES = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"];

export function clz(x: bigint, N: number): number {
  x = trunc(x, N);
  for (let i = N - 1; i >= 0; i--) if ((x >> BigInt(i)) & 1n) return N - 1 - i;
  return N;
}
// CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>)
export function cls(x: bigint, N: number): number {
  x = trunc(x, N);
  const a = x >> 1n, b = trunc(x, N - 1);
  return clz(a ^ b, N - 1);
}
export function rbit(x: bigint, N: number): bigint {
  let r = 0n;
  for (let i = 0; i < N; i++) if ((x >> BigInt(i)) & 1n) r |= 1n << BigInt(N - 1 - i);
  return r;
}
// Reverse the bytes within each `container`-bit container of an N-bit value.
export function revBytes(x: bigint, container: number, N: number): bigint {
  x = trunc(x, N);
  let r = 0n;
  for (let c = 0; c < N; c += container) {
    const bytes = container / 8;
    for (let i = 0; i < bytes; i++) {
      const b = (x >> BigInt(c + i * 8)) & 0xffn;
      r |= b << BigInt(c + (bytes - 1 - i) * 8);
    }
  }
  return r;
}

// Bitwise CRC, reflected, as the CRC32/CRC32C instructions compute it (the
// accumulator is neither pre- nor post-inverted by the instruction itself).
export const POLY_CRC32 = 0xedb88320;
export const POLY_CRC32C = 0x82f63b78;
export function crcUpdate(acc: number, data: bigint, bytes: number, poly: number): number {
  let c = acc >>> 0;
  for (let i = 0; i < bytes; i++) {
    c = (c ^ Number((data >> BigInt(8 * i)) & 0xffn)) >>> 0;
    for (let k = 0; k < 8; k++) c = c & 1 ? ((c >>> 1) ^ poly) >>> 0 : c >>> 1;
  }
  return c >>> 0;
}
// The standard CRC-32 / CRC-32C of a byte string (pre- and post-inverted).
export function crcOfBytes(bytes: Uint8Array, poly: number): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcUpdate(c, BigInt(b), 1, poly);
  return (c ^ 0xffffffff) >>> 0;
}
