// A VMSAv8-64 translation table builder for tests: writes stage 1 or stage 2
// descriptors into guest RAM through core.writeRam (Arm ARM D8, "The VMSAv8-64
// address translation system"). Everything here is computed from the
// architecture (granule, input size, start level), never from the core.
//
//   const pt = new PageTables(core, { granule: 4096, inputBits: 48, pool: 0x4020_0000n });
//   pt.map(0x8000_0000_0000n, 0x4030_0000n, 0x1000n, { ap: AP_RW_EL1 });
//   core.setSysreg(ABI.SR_TTBR0_EL1, pt.root);
//
// Tables are allocated from `pool` (granule aligned, bump allocator). For a
// stage 1 walked through stage 2 the addresses in descriptors are IPAs:
// pass `toPA` to say where an IPA's table really lives (default: identity).
import type { Core } from "../../src/core/core";

export type Granule = 4096 | 16384 | 65536;

// Descriptor bits (Arm ARM D8.3, "Translation table descriptor formats").
export const DESC_VALID = 1n;
export const DESC_TABLE = 3n;        // bits[1:0] = 0b11 at levels 0..2 (a page at level 3)
export const DESC_BLOCK = 1n;        // bits[1:0] = 0b01 at levels 1..2
export const DESC_PAGE = 3n;         // bits[1:0] = 0b11 at level 3
export const AF = 1n << 10n;
export const NG = 1n << 11n;
export const PXN = 1n << 53n;        // stage 1 EL1&0
export const UXN = 1n << 54n;        // stage 1 EL1&0 (XN in one-VA-range regimes and stage 2)
export const XN = 1n << 54n;
export const PXN_TABLE = 1n << 59n;
export const UXN_TABLE = 1n << 60n;  // XNTable in one-VA-range regimes
export const XN_TABLE = 1n << 60n;
export const AP_TABLE_NO_EL0 = 1n << 61n;   // APTable[0]
export const AP_TABLE_RO = 1n << 62n;       // APTable[1]

// Stage 1 AP[2:1] (descriptor bits 7:6).
export const AP_RW_EL1 = 0;    // EL1 RW, EL0 none
export const AP_RW_ALL = 1;    // EL1 RW, EL0 RW
export const AP_RO_EL1 = 2;    // EL1 RO, EL0 none
export const AP_RO_ALL = 3;    // EL1 RO, EL0 RO

// Stage 2 S2AP (descriptor bits 7:6): bit 6 read, bit 7 write.
export const S2AP_NONE = 0;
export const S2AP_RO = 1;
export const S2AP_WO = 2;
export const S2AP_RW = 3;

// MAIR_EL1 used by the tests: Attr0 Normal WB, Attr1 Device-nGnRnE, Attr2 Normal NC, Attr3 Device-nGnRE.
export const ATTR_NORMAL = 0;
export const ATTR_DEVICE = 1;
export const ATTR_NC = 2;
export const MAIR_TEST = 0x04_44_00_ffn;

export interface S1Attrs {
  attrIndx?: number;   // MAIR index (default ATTR_NORMAL)
  ap?: number;         // AP[2:1] (default AP_RW_EL1)
  sh?: number;         // SH[1:0] (default 0b11 inner shareable)
  af?: boolean;        // default true
  ng?: boolean;
  uxn?: boolean;
  pxn?: boolean;
  extra?: bigint;      // ORed into the descriptor
}
export interface S2Attrs {
  memAttr?: number;    // MemAttr[3:0] (default 0xF: Normal, Inner and Outer Write-Back)
  s2ap?: number;       // default S2AP_RW
  sh?: number;
  af?: boolean;
  xn?: boolean;
  extra?: bigint;
}
export type Attrs = S1Attrs & S2Attrs & { level?: number };

export interface PageTablesOptions {
  granule: Granule;
  inputBits: number;          // 64 - TxSZ
  pool: bigint;               // where tables are allocated (the address space the walk uses)
  stage?: 1 | 2;              // default 1
  startLevel?: number;        // stage 2: from VTCR_EL2.SL0 (stage 1: computed)
  toPA?: (addr: bigint) => bigint;
}

const log2 = (g: Granule): number => (g === 4096 ? 12 : g === 16384 ? 14 : 16);

// Stage 1 starting level for a granule and input size (Arm ARM D8.2.?, the
// number of lookup levels needed to resolve inputBits, 4 - ceil((n - g) / stride)).
export function s1StartLevel(granule: Granule, inputBits: number): number {
  const g = log2(granule), stride = g - 3;
  return 4 - Math.ceil((inputBits - g) / stride);
}
// log2 of the size one entry maps at `level`.
export function levelShift(granule: Granule, level: number): number {
  const g = log2(granule);
  return g + (3 - level) * (g - 3);
}
// Levels where block descriptors are allowed (48-bit PA, no FEAT_LPA/LPA2).
export function blockLevels(granule: Granule): number[] {
  return granule === 4096 ? [1, 2] : [2];
}
// VTCR_EL2.SL0 for a granule and start level.
export function sl0For(granule: Granule, level: number): number {
  return granule === 4096 ? 2 - level : 3 - level;
}

export function s1Leaf(pa: bigint, level: number, a: S1Attrs = {}): bigint {
  let d = pa | (level === 3 ? DESC_PAGE : DESC_BLOCK);
  d |= BigInt(a.attrIndx ?? ATTR_NORMAL) << 2n;
  d |= BigInt(a.ap ?? AP_RW_EL1) << 6n;
  d |= BigInt(a.sh ?? 3) << 8n;
  if (a.af ?? true) d |= AF;
  if (a.ng) d |= NG;
  if (a.uxn) d |= UXN;
  if (a.pxn) d |= PXN;
  return d | (a.extra ?? 0n);
}
export function s2Leaf(pa: bigint, level: number, a: S2Attrs = {}): bigint {
  let d = pa | (level === 3 ? DESC_PAGE : DESC_BLOCK);
  d |= BigInt(a.memAttr ?? 0xf) << 2n;
  d |= BigInt(a.s2ap ?? S2AP_RW) << 6n;
  d |= BigInt(a.sh ?? 3) << 8n;
  if (a.af ?? true) d |= AF;
  if (a.xn) d |= XN;
  return d | (a.extra ?? 0n);
}

export class PageTables {
  readonly core: Core;
  readonly granule: Granule;
  readonly inputBits: number;
  readonly stage: 1 | 2;
  readonly startLevel: number;
  readonly rootBits: number;   // index bits at the start level (> stride: concatenated tables)
  readonly root: bigint;       // the TTBR / VTTBR base address
  private next: bigint;
  private readonly toPA: (a: bigint) => bigint;
  private readonly children = new Map<bigint, bigint>(); // descriptor address -> next-level table

  constructor(core: Core, o: PageTablesOptions) {
    this.core = core;
    this.granule = o.granule;
    this.inputBits = o.inputBits;
    this.stage = o.stage ?? 1;
    this.toPA = o.toPA ?? ((a) => a);
    this.startLevel = o.startLevel ?? s1StartLevel(o.granule, o.inputBits);
    this.rootBits = o.inputBits - levelShift(o.granule, this.startLevel);
    const g = BigInt(o.granule);
    this.next = (o.pool + g - 1n) & ~(g - 1n);
    const rootBytes = 8n << BigInt(Math.max(this.rootBits, 0));
    // The root is aligned to its own size (concatenated stage 2 tables) and at least 64 bytes.
    const align = rootBytes > 64n ? rootBytes : 64n;
    this.root = this.alloc(rootBytes, align);
  }

  get stride(): number { return log2(this.granule) - 3; }
  shift(level: number): number { return levelShift(this.granule, level); }

  // Allocates a zeroed table of `bytes` (default one granule).
  alloc(bytes: bigint = BigInt(this.granule), align: bigint = BigInt(this.granule)): bigint {
    const a = (this.next + align - 1n) & ~(align - 1n);
    const size = bytes < BigInt(this.granule) ? BigInt(this.granule) : bytes;
    this.next = a + size;
    this.core.writeRam(this.toPA(a), new Uint8Array(Number(bytes)));
    return a;
  }
  get poolEnd(): bigint { return this.next; }

  // Index of va at level (the start level's index has rootBits bits).
  index(level: number, va: bigint): bigint {
    const bits = level === this.startLevel ? this.rootBits : this.stride;
    return (va >> BigInt(this.shift(level))) & ((1n << BigInt(bits)) - 1n);
  }

  writeDesc(addr: bigint, d: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, d), true);
    this.core.writeRam(this.toPA(addr), b);
  }
  readDesc(addr: bigint): bigint {
    return new DataView(this.core.readRam(this.toPA(addr), 8).buffer).getBigUint64(0, true);
  }

  // The address of the descriptor for va at `level`, creating the tables
  // above it (table descriptors carry `tableBits`, e.g. APTable/XNTable, when new).
  entry(level: number, va: bigint, tableBits = 0n): bigint {
    if (level < this.startLevel || level > 3) throw new Error(`level ${level} outside ${this.startLevel}..3`);
    let table = this.root;
    for (let l = this.startLevel; l < level; l++) {
      const at = table + this.index(l, va) * 8n;
      let child = this.children.get(at);
      if (child === undefined) {
        child = this.alloc();
        this.children.set(at, child);
        this.writeDesc(at, child | DESC_TABLE | tableBits);
      }
      table = child;
    }
    return table + this.index(level, va) * 8n;
  }

  // Writes a raw descriptor at level for va (for invalid/reserved/odd descriptors).
  set(level: number, va: bigint, desc: bigint, tableBits = 0n): bigint {
    const at = this.entry(level, va, tableBits);
    this.writeDesc(at, desc);
    return at;
  }

  leaf(pa: bigint, level: number, a: Attrs = {}): bigint {
    return this.stage === 1 ? s1Leaf(pa, level, a) : s2Leaf(pa, level, a);
  }

  // Maps [va, va+size) to [pa, pa+size): blocks where allowed and aligned
  // (or exactly at attrs.level), pages otherwise.
  map(va: bigint, pa: bigint, size: bigint, attrs: Attrs = {}, tableBits = 0n): this {
    const g = BigInt(this.granule);
    if ((va | pa | size) & (g - 1n)) throw new Error(`map: 0x${va.toString(16)} -> 0x${pa.toString(16)} size 0x${size.toString(16)} not ${this.granule}-aligned`);
    let off = 0n;
    while (off < size) {
      let level = 3;
      if (attrs.level !== undefined) level = attrs.level;
      else {
        for (const l of blockLevels(this.granule)) {
          const bs = 1n << BigInt(this.shift(l));
          if (l >= this.startLevel && ((va + off) & (bs - 1n)) === 0n && ((pa + off) & (bs - 1n)) === 0n && size - off >= bs) { level = l; break; }
        }
      }
      const step = 1n << BigInt(this.shift(level));
      this.set(level, va + off, this.leaf(pa + off, level, attrs), tableBits);
      off += step;
    }
    return this;
  }
}
