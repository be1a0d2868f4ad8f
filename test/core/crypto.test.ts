// The Cryptographic Extension (group CRYPTO): AESE, AESD, AESMC, AESIMC;
// SHA1C, SHA1P, SHA1M, SHA1SU0, SHA1H, SHA1SU1; SHA256H, SHA256H2,
// SHA256SU0, SHA256SU1.
//
// Known answers computed without the core: one AES round from FIPS-197
// Appendix B, whole AES-128 encryptions and decryptions built from the
// instructions and compared with node:crypto (round keys expanded here from
// FIPS-197 5.2), SHA-1 and SHA-256 of one- and two-block messages computed
// with the instructions and compared with node:crypto. Then every instruction
// on random inputs (plus edge values and register aliasing) against
// qemu-aarch64 -cpu cortex-a57, which implements all of them; the reserved
// encodings and the FP/AdvSIMD trap.
import { describe, it, expect } from "vitest";
import { createCipheriv, createHash } from "node:crypto";
import { DATA, ENTRY, hex, hvcImm, takenEL1, VEC_CUR_SPX_SYNC } from "../helpers/machine";
import { fpRun, runFpBatch, runFpBatchQemu, hasQemuUser, describeMismatch, type FpCase } from "../helpers/fp";

const qemuUser = hasQemuUser();
if (!qemuUser) console.warn("crypto.test.ts: qemu-aarch64 not found: the differential checks are skipped (the known answers still run)");

const EC_UNKNOWN = 0x00, EC_FP_TRAP = 0x07;
const M128 = (1n << 128n) - 1n;

// ---- encodings -------------------------------------------------------------------------------
const AES = { aese: 4, aesd: 5, aesmc: 6, aesimc: 7 } as const;
const SHA3 = { sha1c: 0, sha1p: 1, sha1m: 2, sha1su0: 3, sha256h: 4, sha256h2: 5, sha256su1: 6 } as const;
const SHA2 = { sha1h: 0, sha1su1: 1, sha256su0: 2 } as const;
const encAes = (op: number, d: number, n: number) => (0x4e28_0800 | (op << 12) | (n << 5) | d) >>> 0;
const encSha3 = (op: number, d: number, n: number, m: number) => (0x5e00_0000 | (m << 16) | (op << 12) | (n << 5) | d) >>> 0;
const encSha2 = (op: number, d: number, n: number) => (0x5e28_0800 | (op << 12) | (n << 5) | d) >>> 0;
const inst = (w: number) => `.inst ${hex(w)}`;

// ---- bytes and vectors --------------------------------------------------------------------------
const vecOf = (b: Uint8Array | number[]): bigint => Array.from(b).reduceRight((a, x) => (a << 8n) | BigInt(x), 0n);
const bytesOf = (v: bigint): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const fromHex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, "").match(/../g)!.map((x) => parseInt(x, 16)));
const words = (ws: number[]): bigint => ws.reduceRight((a, w) => (a << 32n) | BigInt(w >>> 0), 0n);
const lane32 = (v: bigint, i: number): number => Number((v >> BigInt(32 * i)) & 0xffff_ffffn);

// ---- AES from FIPS-197 (independent of the core's tables) --------------------------------------
function gmul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}
const SBOX = (() => {
  const s: number[] = [];
  for (let x = 0; x < 256; x++) {
    let inv = 0;
    for (let y = 1; y < 256 && x; y++) if (gmul(x, y) === 1) { inv = y; break; }
    let r = inv;
    for (let i = 1; i <= 4; i++) r ^= ((inv << i) | (inv >> (8 - i))) & 0xff;
    s.push(r ^ 0x63);
  }
  return s;
})();
// FIPS-197 5.2 KeyExpansion for AES-128: 11 round keys of 16 bytes.
function expandKey(key: Uint8Array): Uint8Array[] {
  const w: number[][] = [];
  for (let i = 0; i < 4; i++) w.push(Array.from(key.slice(4 * i, 4 * i + 4)));
  let rcon = 1;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1].slice();
    if (i % 4 === 0) {
      t = [SBOX[t[1]] ^ rcon, SBOX[t[2]], SBOX[t[3]], SBOX[t[0]]];
      rcon = gmul(rcon, 2);
    }
    w.push(w[i - 4].map((b, j) => b ^ t[j]));
  }
  return Array.from({ length: 11 }, (_, r) => Uint8Array.from(w.slice(4 * r, 4 * r + 4).flat()));
}

describe("AES: known answers", () => {
  // FIPS-197 Appendix B, round 1.
  const input = fromHex("3243f6a8885a308d313198a2e0370734");
  const key = fromHex("2b7e151628aed2a6abf7158809cf4f3c");
  const start = fromHex("193de3bea0f4e22b9ac68d2ae9f84808");       // input EOR key
  const shifted = fromHex("d4bf5d30e0b452aeb84111f11e2798e5");     // after SubBytes and ShiftRows
  const mixed = fromHex("046681e5e0cb199a48f8d37a2806264c");       // after MixColumns

  it("FIPS-197 Appendix B round 1: AESE, AESMC; and back with AESIMC, AESD", async () => {
    const r = await fpRun(`
      .arch_extension crypto
      mov v2.16b, v0.16b
      aese v2.16b, v1.16b
      aesmc v3.16b, v2.16b
      aesimc v4.16b, v3.16b
      mov v5.16b, v4.16b
      aesd v5.16b, v6.16b
      mov v7.16b, v3.16b
      aesmc v7.16b, v7.16b
      aesimc v7.16b, v7.16b
      hvc #0
    `, { v: { 0: vecOf(input), 1: vecOf(key), 6: 0n } });
    expect(hvcImm(r.exit)).toBe(0);
    expect(hex(r.core.v(2))).toBe(hex(vecOf(shifted)));
    expect(hex(r.core.v(3))).toBe(hex(vecOf(mixed)));
    expect(hex(r.core.v(4))).toBe(hex(vecOf(shifted)));
    expect(hex(r.core.v(5))).toBe(hex(vecOf(start)));
    expect(hex(r.core.v(7))).toBe(hex(vecOf(mixed)));  // Vd = Vn: AESIMC(AESMC(x)) = x
  });

  it("AES-128 encryption and decryption built from AESE/AESMC and AESD/AESIMC agree with node:crypto", async () => {
    // Round keys in v20..v30; v0 = the block. The last AddRoundKey (EOR) is done here.
    const enc = [...Array(9).keys()].map((r) => `aese v0.16b, v${20 + r}.16b\n aesmc v0.16b, v0.16b`).join("\n") + "\n aese v0.16b, v29.16b";
    const dec = ["aesd v1.16b, v30.16b", ...[9, 8, 7, 6, 5, 4, 3, 2, 1].flatMap((r) => [`aesimc v${20 + r}.16b, v${20 + r}.16b`, "aesimc v1.16b, v1.16b", `aesd v1.16b, v${20 + r}.16b`])].join("\n");
    const keys = [fromHex("000102030405060708090a0b0c0d0e0f"), key, fromHex("ffffffffffffffffffffffffffffffff"), fromHex("8e73b0f7da0e6452c810f32b809079e5")];
    const blocks = [fromHex("00112233445566778899aabbccddeeff"), input, new Uint8Array(16), fromHex("ffeeddccbbaa99887766554433221100")];
    for (const k of keys) {
      const rk = expandKey(k);
      for (const pt of blocks) {
        const c = createCipheriv("aes-128-ecb", k, null);
        c.setAutoPadding(false);
        const ct = Buffer.concat([c.update(pt), c.final()]);
        const v: Record<number, bigint> = { 0: vecOf(pt), 1: vecOf(ct) };
        rk.forEach((x, i) => { v[20 + i] = vecOf(x); });
        const r = await fpRun(`.arch_extension crypto\n${enc}\n${dec}\n hvc #0`, { v });
        expect(hvcImm(r.exit)).toBe(0);
        expect(hex(r.core.v(0) ^ vecOf(rk[10])), `encrypt ${Buffer.from(pt).toString("hex")}`).toBe(hex(vecOf(ct)));
        expect(hex(r.core.v(1) ^ vecOf(rk[0])), `decrypt ${ct.toString("hex")}`).toBe(hex(vecOf(pt)));
      }
    }
  });
});

// ---- SHA with the instructions ---------------------------------------------------------------
// Lane-wise 32-bit addition through the general registers (vector ADD belongs
// to another group): v[d] = v[a] + v[b] on `lanes` lanes.
function addLanes(d: number, a: number, b: number, lanes = 4): string {
  const l: string[] = [];
  for (let i = 0; i < lanes; i++) l.push(`mov w10, v${a}.s[${i}]`, `mov w11, v${b}.s[${i}]`, "add w10, w10, w11", `mov v${d}.s[${i}], w10`);
  return l.join("\n");
}

function icbrt(n: bigint): bigint { // floor(cbrt(n))
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 3));
  for (;;) { const y = (2n * x + n / (x * x)) / 3n; if (y >= x) break; x = y; }
  while (x * x * x > n) x--;
  while ((x + 1n) ** 3n <= n) x++;
  return x;
}
function isqrt(n: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) { const y = (x + n / x) / 2n; if (y >= x) break; x = y; }
  while (x * x > n) x--;
  return x;
}
const PRIMES = (() => { const p: number[] = []; for (let n = 2; p.length < 64; n++) if (p.every((q) => n % q)) p.push(n); return p; })();
const K256 = PRIMES.map((p) => Number(icbrt(BigInt(p) << 96n) & 0xffff_ffffn));
const H256 = PRIMES.slice(0, 8).map((p) => Number(isqrt(BigInt(p) << 64n) & 0xffff_ffffn));
const K1 = [2, 3, 5, 10].map((x) => Number(isqrt(BigInt(x) << 60n)));
const H1 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

// MD padding; the 32-bit words of each block as little-endian lane values
// (the instructions take the message words as numbers: no byte reversal needed).
function padWords(msg: Uint8Array): Uint8Array {
  const len = Math.ceil((msg.length + 9) / 64) * 64;
  const b = new Uint8Array(len);
  b.set(msg);
  b[msg.length] = 0x80;
  new DataView(b.buffer).setBigUint64(len - 8, BigInt(msg.length * 8), false);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i += 4) for (let j = 0; j < 4; j++) out[i + j] = b[i + 3 - j];
  return out;
}
const le32 = (ws: number[]) => { const b = new Uint8Array(ws.length * 4); const dv = new DataView(b.buffer); ws.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true)); return b; };
const digestOf = (ws: number[]) => Buffer.from(ws.flatMap((w) => [w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff])).toString("hex");

// SHA-256: v0 = (a, b, c, d), v1 = (e, f, g, h); message words in v16..v19.
function sha256Program(blocks: number): string {
  const l: string[] = [".arch_extension crypto", "ld1 {v0.4s, v1.4s}, [x3]"];
  for (let b = 0; b < blocks; b++) {
    l.push("ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [x1], #64", "mov x4, x2", "mov v24.16b, v0.16b", "mov v25.16b, v1.16b");
    for (let i = 0; i < 16; i++) {
      const s = 16 + (i % 4);
      l.push("ld1 {v6.4s}, [x4], #16", addLanes(5, s, 6));
      if (i < 12) l.push(`sha256su0 v${s}.4s, v${16 + ((i + 1) % 4)}.4s`, `sha256su1 v${s}.4s, v${16 + ((i + 2) % 4)}.4s, v${16 + ((i + 3) % 4)}.4s`);
      l.push("mov v2.16b, v0.16b", "sha256h q0, q1, v5.4s", "sha256h2 q1, q2, v5.4s");
    }
    l.push(addLanes(0, 0, 24), addLanes(1, 1, 25));
  }
  l.push("hvc #0");
  return l.join("\n");
}

// SHA-1: v0 = (a, b, c, d), s1 = e; message words in v16..v19.
function sha1Program(blocks: number): string {
  const l: string[] = [".arch_extension crypto", "ld1 {v0.4s}, [x3], #16", "ld1 {v1.s}[0], [x3]", "ld4r {v20.4s, v21.4s, v22.4s, v23.4s}, [x2]"];
  for (let b = 0; b < blocks; b++) {
    l.push("ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [x1], #64", "mov v24.16b, v0.16b", "mov v25.16b, v1.16b");
    for (let i = 0; i < 20; i++) {
      const s = 16 + (i % 4), op = i < 5 ? "c" : i < 10 ? "p" : i < 15 ? "m" : "p";
      l.push(addLanes(5, s, 20 + Math.floor(i / 5)));
      if (i < 16) l.push(`sha1su0 v${s}.4s, v${16 + ((i + 1) % 4)}.4s, v${16 + ((i + 2) % 4)}.4s`, `sha1su1 v${s}.4s, v${16 + ((i + 3) % 4)}.4s`);
      l.push("sha1h s7, s0", `sha1${op} q0, s1, v5.4s`, "mov v1.16b, v7.16b");
    }
    l.push(addLanes(0, 0, 24), addLanes(1, 1, 25, 1));
  }
  l.push("hvc #0");
  return l.join("\n");
}

describe("SHA: known answers", () => {
  const messages = ["abc", "", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "x".repeat(119)];
  const MSG = DATA, KT = DATA + 0x1000n, ST = DATA + 0x2000n;

  it("SHA-256 computed with SHA256H/H2/SU0/SU1 agrees with node:crypto (FIPS 180-4 examples and more)", async () => {
    for (const m of messages) {
      const bytes = new TextEncoder().encode(m);
      const w = padWords(bytes);
      const r = await fpRun(sha256Program(w.length / 64), {
        regs: { 1: MSG, 2: KT, 3: ST },
        setup: (c) => { c.writeRam(MSG, w); c.writeRam(KT, le32(K256)); c.writeRam(ST, le32(H256)); },
      });
      expect(hvcImm(r.exit)).toBe(0);
      const h = [0, 1, 2, 3].map((i) => lane32(r.core.v(0), i)).concat([0, 1, 2, 3].map((i) => lane32(r.core.v(1), i)));
      expect(digestOf(h), JSON.stringify(m)).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    expect(digestOf(H256)).toBe("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19"); // the constants themselves
  });

  it("SHA-1 computed with SHA1C/P/M/H/SU0/SU1 agrees with node:crypto", async () => {
    expect(K1).toEqual([0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6]);
    for (const m of messages) {
      const bytes = new TextEncoder().encode(m);
      const w = padWords(bytes);
      const r = await fpRun(sha1Program(w.length / 64), {
        regs: { 1: MSG, 2: KT, 3: ST },
        setup: (c) => { c.writeRam(MSG, w); c.writeRam(KT, le32(K1)); c.writeRam(ST, le32(H1)); },
      });
      expect(hvcImm(r.exit)).toBe(0);
      const h = [0, 1, 2, 3].map((i) => lane32(r.core.v(0), i)).concat([lane32(r.core.v(1), 0)]);
      expect(digestOf(h), JSON.stringify(m)).toBe(createHash("sha1").update(bytes).digest("hex"));
      expect(r.core.v(1) >> 32n).toBe(0n);
    }
  });

  it("SHA1H writes a scalar (bits 127:32 zero): ROL(S[n], 30)", async () => {
    const r = await fpRun(`${inst(encSha2(SHA2.sha1h, 0, 1))}\n hvc #0`, { v: { 0: M128, 1: 0xffff_ffff_ffff_ffff_0000_0000_8000_0001n } });
    expect(r.core.v(0)).toBe(0x6000_0000n);
  });
});

// ---- every instruction against QEMU -----------------------------------------------------------
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function diffCases(): FpCase[] {
  const rand = rng(0xc0ffee);
  const r128 = (): bigint => { let x = 0n; for (let i = 0; i < 4; i++) x = (x << 32n) | BigInt(Math.floor(rand() * 2 ** 32)); return x; };
  const edges = [0n, M128, 1n, 1n << 127n, 0x8000_0000_8000_0000_8000_0000_8000_0000n, 0x7fff_ffff_7fff_ffff_7fff_ffff_7fff_ffffn,
    0x0123_4567_89ab_cdef_fedc_ba98_7654_3210n, 0xffff_ffff_0000_0000_ffff_ffff_0000_0000n];
  const cases: FpCase[] = [];
  // Vd's initial value comes from v3 (the batch fixes V0 otherwise).
  const add = (name: string, enc: number, n: number) => {
    for (let k = 0; k < n; k++) {
      const pick = (): bigint => (k < 8 && rand() < 0.5 ? edges[Math.floor(rand() * edges.length)] : r128());
      cases.push({ name, insn: `mov v0.16b, v3.16b\n  ${inst(enc)}`, v1: pick(), v2: pick(), v3: pick(), want: {} });
    }
  };
  for (const [name, op] of Object.entries(AES)) {
    add(name, encAes(op, 0, 1), 40);
    add(`${name} (Vd = Vn)`, encAes(op, 0, 0), 6);
  }
  for (const [name, op] of Object.entries(SHA3)) {
    add(name, encSha3(op, 0, 1, 2), 40);
    add(`${name} (Vd = Vn)`, encSha3(op, 0, 0, 2), 6);
    add(`${name} (Vd = Vm)`, encSha3(op, 0, 1, 0), 6);
  }
  for (const [name, op] of Object.entries(SHA2)) {
    add(name, encSha2(op, 0, 1), 40);
    add(`${name} (Vd = Vn)`, encSha2(op, 0, 0), 6);
  }
  return cases;
}

describe("every instruction against qemu-aarch64", () => {
  const cases = diffCases();
  it("generates at least 40 random cases per instruction plus aliasing", () => {
    expect(cases.length).toBe(14 * 46 + 7 * 6);
  });
  it.skipIf(!qemuUser)("armvisor and QEMU agree exactly on V0 and FPSR", async () => {
    const mine = await runFpBatch(cases);
    const ref = runFpBatchQemu(cases);
    const bad = cases.map((c, i) => describeMismatch({ ...c, want: { v0: ref[i].v0, fpsr: ref[i].fpsr } }, mine[i])).filter((s) => s !== undefined);
    expect(bad.slice(0, 20), bad.slice(0, 20).join("\n")).toEqual([]);
  });
});

// ---- reserved encodings, feature gating ----------------------------------------------------------
describe("reserved encodings, CONFIG_FP and the FP trap", () => {
  const reserved: [string, number][] = [
    ...[1, 2, 3].map((sz): [string, number] => [`AESE size ${sz}`, encAes(4, 0, 1) | (sz << 22)]),
    ...[0, 1, 2, 3, 8, 12, 16, 31].map((op): [string, number] => [`AES opcode ${op}`, encAes(op, 0, 1)]),
    ...[1, 2, 3].map((sz): [string, number] => [`SHA1C size ${sz}`, encSha3(0, 0, 1, 2) | (sz << 22)]),
    ["SHA three-register opcode 111", encSha3(7, 0, 1, 2)],
    ...[1, 2, 3].map((sz): [string, number] => [`SHA1H size ${sz}`, encSha2(0, 0, 1) | (sz << 22)]),
    ...[3, 4, 7, 8, 16, 31].map((op): [string, number] => [`SHA two-register opcode ${op}`, encSha2(op, 0, 1)]),
  ];
  it("reserved sizes and opcodes are UNDEFINED (EC 0x00)", async () => {
    for (const [name, enc] of reserved) {
      const r = await fpRun(`${inst(enc >>> 0)}\n hvc #0`);
      const t = takenEL1(r.core, r.exit);
      expect(t.vector, name).toBe(VEC_CUR_SPX_SYNC);
      expect(t.ec, name).toBe(EC_UNKNOWN);
      expect(t.elr, name).toBe(ENTRY);
    }
  });

  const allocated = [
    ...Object.values(AES).map((op) => encAes(op, 0, 1)),
    ...Object.values(SHA3).map((op) => encSha3(op, 0, 1, 2)),
    ...Object.values(SHA2).map((op) => encSha2(op, 0, 1)),
  ];
  it("without CONFIG_FP every crypto instruction is UNDEFINED; with FPEN = 0 they trap (EC 0x07)", async () => {
    for (const enc of allocated) {
      let r = await fpRun(`${inst(enc)}\n hvc #0`, { fp: false });
      expect(takenEL1(r.core, r.exit).ec, hex(enc)).toBe(EC_UNKNOWN);
      r = await fpRun(`${inst(enc)}\n hvc #0`, { cpacr: 0n, v: { 0: 5n } });
      const t = takenEL1(r.core, r.exit);
      expect(t.ec, hex(enc)).toBe(EC_FP_TRAP);
      expect(r.core.v(0), hex(enc)).toBe(5n);
      r = await fpRun(`${inst(enc)}\n hvc #0`);
      expect(hvcImm(r.exit), hex(enc)).toBe(0);
    }
  });

  // Needs the MRS of ID_AA64ISAR0_EL1 to read idAA64ISAR0() (assembly/sysreg/access.ts).
  it("ID_AA64ISAR0_EL1 advertises AES = 2, SHA1 = 1, SHA2 = 1 with CONFIG_FP only, CRC32 and Atomic unchanged", async () => {
    let r = await fpRun("mrs x0, id_aa64isar0_el1\n hvc #0");
    expect(hvcImm(r.exit)).toBe(0);
    expect(r.core.x(0)).toBe((1n << 16n) | (2n << 20n) | (2n << 4n) | (1n << 8n) | (1n << 12n));
    r = await fpRun("mrs x0, id_aa64isar0_el1\n hvc #0", { fp: false });
    expect(r.core.x(0)).toBe((1n << 16n) | (2n << 20n));
  });
});

