// The stage 2 translation table the host, as the guest's hypervisor, builds
// for a VM (Arm ARM D8, "The VMSAv8-64 address translation system", stage 2
// descriptors): the guest's RAM mapped IPA == PA with the largest blocks
// that fit, as Normal Write-Back memory, read/write, executable, Access flag
// set, and nothing else. A guest access to any other IPA is a stage 2
// Translation fault: the core leaves run() with it (an "mmio" exit for data,
// an "exception" exit for an instruction fetch).
//
// The tables live in host-reserved physical memory after the guest's RAM
// (the core's RAM region is STAGE2_RESERVED bytes larger than the guest's),
// which they do not map: the guest can neither read nor change them.
//
// Geometry, as KVM's default: 4 KiB granule, a 40-bit IPA space
// (VTCR_EL2.T0SZ = 24), the walk starting at level 1 (SL0 = 1) in two
// concatenated level 1 tables.
import type { Core } from "../core/core";

export const STAGE2_IPA_BITS = 40;
export const STAGE2_RESERVED = 0x1_0000; // bytes after the guest's RAM for the tables (a few pages are used)

const GRANULE_SHIFT = 12;
const STRIDE = 9;                         // log2(descriptors per 4 KiB table)
const START_LEVEL = 1;
const ROOT_ENTRIES = 1 << (STAGE2_IPA_BITS - (GRANULE_SHIFT + STRIDE * (3 - START_LEVEL)));
const ROOT_BYTES = ROOT_ENTRIES * 8;      // 8 KiB: two concatenated tables, aligned to their size

// Stage 2 descriptor fields (Arm ARM D8.3).
const DESC_BLOCK = 1n, DESC_TABLE = 3n, DESC_PAGE = 3n;
const MEMATTR_NORMAL_WB = 0xfn << 2n;    // MemAttr[3:0]: Normal, Outer and Inner Write-Back Cacheable
const S2AP_RW = 3n << 6n;
const SH_INNER = 3n << 8n;
const AF = 1n << 10n;

// VTCR_EL2 fields.
const VTCR_T0SZ = BigInt(64 - STAGE2_IPA_BITS);
const VTCR_SL0 = 1n << 6n;                // 4 KiB granule: start at level 1
const VTCR_IRGN0_WB = 1n << 8n, VTCR_ORGN0_WB = 1n << 10n, VTCR_SH0_INNER = 3n << 12n;
const VTCR_TG0_4K = 0n << 14n;
const VTCR_PS_40 = 2n << 16n;             // 40-bit PA
const VTCR_RES1 = 1n << 31n;

export interface Stage2Registers {
  vtcr: bigint;   // VTCR_EL2
  vttbr: bigint;  // VTTBR_EL2: the root table | VMID << 48
}

export interface Stage2Layout {
  ramBase: bigint;   // the guest's RAM: IPA == PA
  ramSize: bigint;
  tables: bigint;    // PA of the host-reserved memory for the tables (outside the guest's RAM)
  tablesSize: number;
  vmid: number;      // VTTBR_EL2.VMID, 8 bits (VTCR_EL2.VS = 0)
}

const levelShift = (level: number): number => GRANULE_SHIFT + STRIDE * (3 - level);

// Writes the tables into the core's RAM and returns the registers that describe them.
export function buildStage2(core: Core, layout: Stage2Layout): Stage2Registers {
  const { ramBase, ramSize, tables, tablesSize, vmid } = layout;
  if (vmid < 1 || vmid > 0xff) throw new RangeError(`VMID ${vmid} does not fit VTTBR_EL2.VMID (8 bits)`);
  if (tables % BigInt(ROOT_BYTES) !== 0n) throw new RangeError(`stage 2 tables at 0x${tables.toString(16)} are not ${ROOT_BYTES}-byte aligned`);
  const end = ramBase + ramSize;
  if (ramBase % (1n << BigInt(GRANULE_SHIFT)) !== 0n || end % (1n << BigInt(GRANULE_SHIFT)) !== 0n || end > 1n << BigInt(STAGE2_IPA_BITS)) {
    throw new RangeError(`RAM 0x${ramBase.toString(16)}..0x${end.toString(16)} cannot be mapped by a 4 KiB, ${STAGE2_IPA_BITS}-bit stage 2`);
  }
  if (tables < end && tables + BigInt(tablesSize) > ramBase) throw new RangeError("stage 2 tables overlap the guest's RAM");
  const buf = new Uint8Array(tablesSize);
  const dv = new DataView(buf.buffer);
  let used = ROOT_BYTES;
  const allocTable = (): number => {
    if (used + 4096 > tablesSize) throw new RangeError(`stage 2 tables need more than ${tablesSize} bytes`);
    used += 4096;
    return used - 4096;
  };
  // Maps [from, to) into the table at byte offset `table` of the buffer, whose entries map 2^levelShift(level) bytes.
  const map = (table: number, level: number, entries: number, from: bigint, to: bigint): void => {
    const shift = BigInt(levelShift(level)), size = 1n << shift;
    for (let a = from; a < to;) {
      const start = a & ~(size - 1n), next = start + size;
      const stop = to < next ? to : next;
      const slot = table + Number((a >> shift) & BigInt(entries - 1)) * 8;
      // A whole entry is a block (levels 1 and 2 with a 4 KiB granule) or a page (level 3).
      if (a === start && stop === next) {
        dv.setBigUint64(slot, a | (level === 3 ? DESC_PAGE : DESC_BLOCK) | MEMATTR_NORMAL_WB | S2AP_RW | SH_INNER | AF, true);
      } else {
        let d = dv.getBigUint64(slot, true);
        if (d === 0n) { d = (tables + BigInt(allocTable())) | DESC_TABLE; dv.setBigUint64(slot, d, true); }
        map(Number((d & 0x0000_ffff_ffff_f000n) - tables), level + 1, 1 << STRIDE, a, stop);
      }
      a = stop;
    }
  };
  map(0, START_LEVEL, ROOT_ENTRIES, ramBase, end);
  core.writeRam(tables, buf);
  return {
    vtcr: VTCR_T0SZ | VTCR_SL0 | VTCR_IRGN0_WB | VTCR_ORGN0_WB | VTCR_SH0_INNER | VTCR_TG0_4K | VTCR_PS_40 | VTCR_RES1,
    vttbr: tables | (BigInt(vmid) << 48n),
  };
}
