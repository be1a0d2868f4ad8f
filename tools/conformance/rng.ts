// A small deterministic PRNG (sfc32) with helpers; every campaign is a
// function of its seed.
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number | bigint) {
    const s = BigInt.asUintN(64, BigInt(seed));
    this.a = Number(s & 0xffffffffn) | 0;
    this.b = Number(s >> 32n) | 0;
    this.c = 0x9e3779b9 ^ this.a;
    this.d = 1;
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return t >>> 0;
  }
  // An integer in [0, n).
  int(n: number): number { return n <= 1 ? 0 : Math.floor((this.u32() / 4294967296) * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  bits(n: number): number { return n >= 32 ? this.u32() : this.u32() & ((1 << n) - 1) >>> 0; }
  // A value of width n bits biased toward the edges (0, 1, max, max-1, the sign bit).
  field(n: number): number {
    const max = n >= 32 ? 0xffffffff : (2 ** n) - 1;
    const r = this.int(16);
    if (r === 0) return 0;
    if (r === 1) return max;
    if (r === 2) return Math.min(1, max);
    if (r === 3) return Math.max(max - 1, 0);
    if (r === 4 && n > 1) return 2 ** (n - 1);
    return n >= 32 ? this.u32() : this.int(max + 1);
  }
  // Interesting 64-bit register values.
  value(): bigint {
    switch (this.int(14)) {
      case 0: return 0n;
      case 1: return 1n;
      case 2: return BigInt.asUintN(64, -1n);
      case 3: return 0x8000_0000_0000_0000n;
      case 4: return 0x7fff_ffff_ffff_ffffn;
      case 5: return BigInt(this.u32());
      case 6: return 0xffff_ffff_0000_0000n | BigInt(this.u32());
      case 7: return 1n << BigInt(this.int(64));
      case 8: return BigInt(this.int(256));
      case 9: return BigInt.asUintN(64, -BigInt(this.int(256)));
      case 10: return 0x8000_0000n;
      case 11: return 0xffff_ffffn;
      default: return this.u64();
    }
  }
}
