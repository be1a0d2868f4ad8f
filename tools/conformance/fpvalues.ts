// Seeds for the SIMD&FP state of a block: V0-V31 lane by lane (random bits
// mixed with floating-point special values), FPCR and FPSR.
import { Rng } from "./rng";
import { FPCR_SEED_MASK, FPSR_SEED_MASK } from "./layout";

interface Format { bits: number; ebits: number }
export const HALF: Format = { bits: 16, ebits: 5 };
export const SINGLE: Format = { bits: 32, ebits: 8 };
export const DOUBLE: Format = { bits: 64, ebits: 11 };

const MASKS = Array.from({ length: 129 }, (_, n) => (1n << BigInt(n)) - 1n);
const mask = (n: number): bigint => MASKS[n];

// sign:exponent:fraction of a format.
function pack(f: Format, sign: number, exp: bigint, frac: bigint): bigint {
  const fbits = f.bits - 1 - f.ebits;
  return (BigInt(sign) << BigInt(f.bits - 1)) | ((exp & mask(f.ebits)) << BigInt(fbits)) | (frac & mask(fbits));
}

// The value v (an integer or n + 0.5, |v| < 2^53) as a double's bits, then
// converted exactly to the format when it is representable (the callers only
// ask for values that are).
function fromNumber(f: Format, v: number): bigint {
  const b = new DataView(new ArrayBuffer(8));
  if (f === DOUBLE) { b.setFloat64(0, v, true); return b.getBigUint64(0, true); }
  if (f === SINGLE) { b.setFloat32(0, v, true); return BigInt(b.getUint32(0, true)); }
  // half: from the single's fields (exact for the small values asked for)
  b.setFloat32(0, v, true);
  const s = b.getUint32(0, true);
  const sign = s >>> 31, e = (s >>> 23) & 0xff, m = s & 0x7fffff;
  if (e === 0) return BigInt(sign << 15);
  const he = e - 127 + 15;
  if (he <= 0 || he >= 31) return BigInt((sign << 15) | 0x7c00);
  return BigInt((sign << 15) | (he << 10) | (m >>> 13));
}

// One lane of format f: a special value, a value at a rounding boundary, or
// random bits / a random "ordinary" number.
export function fpLane(rng: Rng, f: Format): bigint {
  const fbits = f.bits - 1 - f.ebits;
  const emax = mask(f.ebits);           // all-ones exponent
  const bias = (1n << BigInt(f.ebits - 1)) - 1n;
  const s = rng.int(2);
  const randFrac = (): bigint => (f.bits === 64 ? rng.u64() : BigInt(rng.u32())) & mask(fbits);
  switch (rng.int(24)) {
    case 0: return pack(f, s, 0n, 0n);                                        // ±0
    case 1: return pack(f, s, 0n, rng.pick([1n, mask(fbits), 1n << BigInt(fbits - 1)]));   // subnormals at the edges
    case 2: return pack(f, s, 0n, randFrac() | 1n);                           // random subnormal
    case 3: return pack(f, s, emax, 0n);                                      // ±infinity
    case 4: return pack(f, s, emax, (1n << BigInt(fbits - 1)) | (rng.chance(0.5) ? 0n : randFrac())); // qNaN (with a payload)
    case 5: { let p = randFrac() & mask(fbits - 1); if (p === 0n) p = 1n; return pack(f, s, emax, p); } // sNaN
    case 6: return pack(f, s, emax - 1n, mask(fbits));                        // ±max normal
    case 7: return pack(f, s, 1n, rng.chance(0.5) ? 0n : randFrac());         // min normal and just above
    case 8: {                                                                 // small integers, halves
      const v = rng.range(-16, 16) + (rng.chance(0.3) ? 0.5 : 0);
      return fromNumber(f, v === 0 ? (s ? -0 : 0) : v);
    }
    case 9: {                                                                 // 2^k, 2^k - ulp: integer-conversion limits
      const k = BigInt(rng.pick([7, 8, 15, 16, 31, 32, 52, 53, 63, 64].filter((x) => BigInt(x) <= bias)));
      return pack(f, s, bias + k - (rng.chance(0.5) ? 1n : 0n), rng.chance(0.5) ? 0n : mask(fbits));
    }
    case 10: {                                                                // ties for a narrowing conversion
      if (f === HALF) return pack(f, s, BigInt(rng.range(1, 30)), randFrac() | 1n);
      // the fraction bits below the narrower format's precision are exactly
      // half an ulp there (or one more/less)
      const drop = BigInt(fbits - (f.bits === 64 ? rng.pick([23, 10]) : 10));
      const hi = randFrac() >> drop << drop;
      const half = 1n << (drop - 1n);
      const d = BigInt(rng.pick([0, 0, 1, -1]));
      const narrowE = f.bits === 64 && drop === 29n ? 127n : 15n;
      const e = bias + BigInt(rng.range(-Number(narrowE) - 12, Number(narrowE) + 1));
      return pack(f, s, e, (hi | half) + d);
    }
    case 11: {                                                                // n + 0.5 and n ± ulp around it
      const n = rng.range(0, 40);
      const base = fromNumber(f, n + 0.5);
      return (base + BigInt(rng.pick([0, 0, 1, -1]))) | (BigInt(s) << BigInt(f.bits - 1));
    }
    case 12: case 13: case 14: case 15: {                                    // ordinary numbers near 1
      const e = bias + BigInt(rng.range(-20, 20));
      const frac = rng.chance(0.3) ? randFrac() & (mask(fbits) << BigInt(fbits - 4)) : randFrac();
      return pack(f, s, e, frac);
    }
    case 16: return pack(f, s, emax - 1n - BigInt(rng.int(3)), randFrac());   // near overflow
    case 17: return pack(f, s, BigInt(rng.range(1, 4)), randFrac());          // near underflow
    case 18: {                                                                // exponents where reciprocals and square roots turn subnormal/overflow
      const e = rng.chance(0.5) ? emax - 1n - BigInt(rng.int(3)) : BigInt(rng.range(0, 3));
      return pack(f, s, e, rng.chance(0.5) ? 0n : randFrac());
    }
    default: return (f.bits === 64 ? rng.u64() : BigInt(rng.u32())) & mask(f.bits); // random bits
  }
}

// Integer lanes at the saturation and sign edges.
function intLane(rng: Rng, bits: number): bigint {
  const m = mask(bits);
  switch (rng.int(8)) {
    case 0: return 0n;
    case 1: return 1n;
    case 2: return m;                                 // -1
    case 3: return 1n << BigInt(bits - 1);            // INT_MIN
    case 4: return m >> 1n;                           // INT_MAX
    case 5: return BigInt(rng.range(0, 255)) & m;
    case 6: return (m - BigInt(rng.range(0, 255))) & m;
    default: return (rng.u64() | (rng.u64() << 64n)) & m;
  }
}

// A 128-bit register value.
export function vreg(rng: Rng): bigint {
  const r = rng.int(16);
  if (r < 2) return rng.u64() | (rng.u64() << 64n);                               // random bits
  if (r === 2) return 0n;
  const fp = r < 12;
  const lane = fp ? rng.pick([16, 32, 32, 64, 64]) : rng.pick([8, 16, 32, 64]);
  const fmt = lane === 16 ? HALF : lane === 32 ? SINGLE : DOUBLE;
  const same = rng.chance(0.15) ? (fp ? fpLane(rng, fmt) : intLane(rng, lane)) : undefined; // a splat
  let v = 0n;
  for (let i = 0; i < 128 / lane; i++) {
    const x = same ?? (fp ? fpLane(rng, fmt) : intLane(rng, lane));
    v |= (x & mask(lane)) << BigInt(i * lane);
  }
  return v;
}

// A register seed: a quarter fresh values, the rest from a fixed pool of
// 4096 (drawing every lane afresh makes the generator the campaign's slowest part).
let pool: bigint[] | undefined;
export function vregSeed(rng: Rng): bigint {
  if (rng.chance(0.25)) return vreg(rng);
  if (!pool) { const r = new Rng(0xf9f9n); pool = Array.from({ length: 4096 }, () => vreg(r)); }
  return pool[rng.int(pool.length)];
}

// A random FPCR (RMode, FZ, DN, AHP; nothing else) and FPSR.
export function fpcrSeed(rng: Rng): bigint {
  return (BigInt(rng.u32()) << 22n) & FPCR_SEED_MASK;
}
export function fpsrSeed(rng: Rng): bigint {
  return rng.chance(0.7) ? 0n : BigInt(rng.u32()) & FPSR_SEED_MASK;
}

// A general-purpose register value that is an FP bit pattern (for FMOV, and
// SCVTF's integers are covered by Rng.value()).
export function fpBitsX(rng: Rng): bigint {
  const f = rng.pick([SINGLE, DOUBLE, DOUBLE]);
  return fpLane(rng, f);
}
