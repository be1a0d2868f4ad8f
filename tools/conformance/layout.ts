// The block table the harness guest reads (guests/harness/harness.h: keep in step).
export const TABLE_ADDR = 0x4200_0000n;
export const TABLE_MAGIC = 0x464e4f43;   // "CONF"
export const TABLE_VERSION = 2;
export const BLOCK_MAGIC = 0x4b4c4230;   // "0BLK"
export const SWEEP_V = 0x4400_0000n;
export const TABLE_LIMIT = 0x4400_0000n - 0x10000n; // the table must end below the sweep's scratch area
export const HEADER_SIZE = 48;
export const BLOCK_HEADER_SIZE = 880;    // up to code[]
const V_OFFSET = 352, FPCR_OFFSET = 864, FPSR_OFFSET = 872;

export const MODE_CAMPAIGN = 0;
export const MODE_SWEEP = 1;
export const HF_FULL = 1;
export const BF_EL0 = 1;
export const BF_ALIGN = 2;
export const BF_FULL = 4;

// The scratch window: 2 KiB straddling a 4 KiB page boundary, so that
// page-crossing accesses are exercised too.
export const WINDOW = 0x4100_0c00n;
export const WINDOW_SIZE = 0x800;

// FPCR bits a block's seed may set (RMode 23:22, FZ 24, DN 25, AHP 26) and
// the FPSR bits (QC 27, IDC 7, IXC/UFC/OFC/DZC/IOC 4:0).
export const FPCR_SEED_MASK = 0x07c0_0000n;
export const FPSR_SEED_MASK = 0x0800_009fn;

// System registers seeded before and dumped after each block (harness.h SYSREG_LIST).
export const SYSREGS = ["tpidr_el0", "tpidrro_el0", "tpidr_el1", "contextidr_el1", "mair_el1", "far_el1", "esr_el1", "par_el1"] as const;
export const NSYS = SYSREGS.length;

// Exception classes the sweep prints besides ESR.EC.
export const EC_NONE = 0x40;
export const EC_ESCAPED = 0x41;

export const SVC0 = 0xd400_0001;

export interface BlockRecord {
  id: number;
  flags: number;
  seed: bigint;
  x: bigint[];          // 31
  sp: bigint;
  spsr: bigint;         // NZCV | DAIF | PAN | UAO (M is set by the harness)
  sys: bigint[];        // NSYS
  v: bigint[];          // 32 128-bit values: V0-V31
  fpcr: bigint;         // RMode, FZ, DN, AHP
  fpsr: bigint;
  code: number[];       // ends with SVC0
}

function header(mode: number, count: number, flags: number, baseIndex: bigint): Uint8Array {
  const b = new Uint8Array(HEADER_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, TABLE_MAGIC, true);
  dv.setUint32(4, TABLE_VERSION, true);
  dv.setUint32(8, mode, true);
  dv.setUint32(12, count, true);
  dv.setBigUint64(16, WINDOW, true);
  dv.setUint32(24, WINDOW_SIZE, true);
  dv.setUint32(28, flags, true);
  dv.setBigUint64(32, BigInt(HEADER_SIZE), true);
  dv.setBigUint64(40, baseIndex, true);
  return b;
}

export function blockSize(ncode: number): number { return (BLOCK_HEADER_SIZE + 4 * ncode + 7) & ~7; }

// The address at which a block's first instruction lands when the table holds
// `before` bytes of records ahead of it.
export function codeAddress(offsetOfRecord: number): bigint {
  return TABLE_ADDR + BigInt(HEADER_SIZE + offsetOfRecord + BLOCK_HEADER_SIZE);
}

export function serializeCampaign(blocks: BlockRecord[], flags = 0): Uint8Array {
  let total = HEADER_SIZE;
  for (const b of blocks) total += blockSize(b.code.length);
  if (TABLE_ADDR + BigInt(total) > TABLE_LIMIT) throw new Error(`block table of ${total} bytes is too large`);
  const out = new Uint8Array(total);
  out.set(header(MODE_CAMPAIGN, blocks.length, flags, 0n), 0);
  const dv = new DataView(out.buffer);
  let p = HEADER_SIZE;
  for (const b of blocks) {
    dv.setUint32(p, BLOCK_MAGIC, true);
    dv.setUint32(p + 4, b.code.length, true);
    dv.setUint32(p + 8, b.flags, true);
    dv.setUint32(p + 12, b.id, true);
    dv.setBigUint64(p + 16, BigInt.asUintN(64, b.seed), true);
    for (let i = 0; i < 31; i++) dv.setBigUint64(p + 24 + 8 * i, BigInt.asUintN(64, b.x[i]), true);
    dv.setBigUint64(p + 272, BigInt.asUintN(64, b.sp), true);
    dv.setBigUint64(p + 280, BigInt.asUintN(64, b.spsr), true);
    for (let i = 0; i < NSYS; i++) dv.setBigUint64(p + 288 + 8 * i, BigInt.asUintN(64, b.sys[i]), true);
    for (let i = 0; i < 32; i++) {
      dv.setBigUint64(p + V_OFFSET + 16 * i, BigInt.asUintN(64, b.v[i]), true);
      dv.setBigUint64(p + V_OFFSET + 16 * i + 8, BigInt.asUintN(64, b.v[i] >> 64n), true);
    }
    dv.setBigUint64(p + FPCR_OFFSET, BigInt.asUintN(64, b.fpcr), true);
    dv.setBigUint64(p + FPSR_OFFSET, BigInt.asUintN(64, b.fpsr), true);
    for (let i = 0; i < b.code.length; i++) dv.setUint32(p + BLOCK_HEADER_SIZE + 4 * i, b.code[i] >>> 0, true);
    p += blockSize(b.code.length);
  }
  return out;
}

// Sweep records: [msr elr_el1, x30; encoding; svc #0; udf] per encoding.
export const MSR_ELR_EL1_X30 = 0xd518403e;
export function serializeSweep(encodings: Uint32Array, baseIndex: bigint): Uint8Array {
  const total = HEADER_SIZE + 16 * encodings.length;
  if (TABLE_ADDR + BigInt(total) > TABLE_LIMIT) throw new Error(`sweep table of ${total} bytes is too large`);
  const out = new Uint8Array(total);
  out.set(header(MODE_SWEEP, encodings.length, 0, baseIndex), 0);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < encodings.length; i++) {
    const p = HEADER_SIZE + 16 * i;
    dv.setUint32(p, MSR_ELR_EL1_X30, true);
    dv.setUint32(p + 4, encodings[i], true);
    dv.setUint32(p + 8, SVC0, true);
    dv.setUint32(p + 12, 0, true);
  }
  return out;
}
