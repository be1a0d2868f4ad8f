// The interrupt configuration registers the GICv3 Distributor (for SPIs) and
// each Redistributor's SGI_base frame (for its SGIs and PPIs) share, at the
// same offsets (IHI 0069 12.9, 12.10), as does the GICv2 Distributor for all
// INTIDs, banked for 0-31 (IHI 0048 4.3): IGROUPR, ISENABLER/ICENABLER,
// ISPENDR/ICPENDR, ISACTIVER/ICACTIVER, IPRIORITYR, ICFGR, IGRPMODR, NSACR.
// With GICD_CTLR.DS = 1 (GICv3), or without Security Extensions (GICv2),
// IGRPMODR and NSACR are RAZ/WI. ITARGETSR is GICv2's own (v2-distributor.ts).
import type { GicCore } from "./core";
import { PRIO_MASK } from "./constants";

export const IGROUPR = 0x080, ISENABLER = 0x100, ICENABLER = 0x180, ISPENDR = 0x200, ICPENDR = 0x280,
  ISACTIVER = 0x300, ICACTIVER = 0x380, IPRIORITYR = 0x400, ICFGR = 0xc00, IGRPMODR = 0xd00, NSACR = 0xe00;

// Whether `offset` lies in the block (0x080..0xEFF).
export function isIntReg(offset: number): boolean {
  return offset >= IGROUPR && offset < 0xf00;
}

// Read the word at `offset` for INTIDs lo..hi-1 (multiples of 32) as PE `cpu`
// sees them; other INTIDs read as zero.
export function readIntReg(gic: GicCore, cpu: number, offset: number, lo: number, hi: number): number {
  if (offset < IPRIORITYR) {
    const intid = ((offset & 0x7f) >> 2) * 32;
    if (intid < lo || intid >= hi) return 0;
    const w = gic.word(cpu, intid);
    switch (offset & ~0x7f) {
      case IGROUPR: return gic.group[w];
      case ISENABLER: case ICENABLER: return gic.enable[w];
      case ISPENDR: case ICPENDR: return gic.pendingWord(w);
      case ISACTIVER: case ICACTIVER: return gic.active[w];
    }
    return 0;
  }
  if (offset < 0x800) {
    const intid = offset - IPRIORITYR;
    if (intid < lo || intid >= hi) return 0;
    const p = gic.word(cpu, intid) * 32 + (intid & 31);
    return (gic.prio[p] | (gic.prio[p + 1] << 8) | (gic.prio[p + 2] << 16) | (gic.prio[p + 3] << 24)) >>> 0;
  }
  if (offset >= ICFGR && offset < IGRPMODR) {
    const intid = (offset - ICFGR) * 4;
    if (intid < lo || intid >= hi) return 0;
    const edge = gic.edge[gic.word(cpu, intid)] >>> (intid & 31);
    let v = 0;
    for (let i = 0; i < 16; i++) if ((edge >> i) & 1) v |= 2 << (2 * i);
    return v >>> 0;
  }
  return 0; // ITARGETSR (GICv3: legacy, RAZ/WI), IGRPMODR, NSACR
}

export function writeIntReg(gic: GicCore, cpu: number, offset: number, value: number, mask: number, lo: number, hi: number): void {
  value = (value & mask) >>> 0;
  if (offset < IPRIORITYR) {
    const intid = ((offset & 0x7f) >> 2) * 32;
    if (intid < lo || intid >= hi) return;
    const w = gic.word(cpu, intid);
    switch (offset & ~0x7f) {
      case IGROUPR: gic.group[w] = (gic.group[w] & ~mask) | value; break;
      case ISENABLER: gic.enable[w] |= value; break;
      case ICENABLER: gic.enable[w] &= ~value; break;
      case ISPENDR: gic.latch[w] |= value; break;
      case ICPENDR: gic.latch[w] &= ~value; break;
      case ISACTIVER: gic.active[w] |= value; break;
      case ICACTIVER: gic.active[w] &= ~value; break;
    }
    gic.update();
    return;
  }
  if (offset < 0x800) {
    const intid = offset - IPRIORITYR;
    if (intid < lo || intid >= hi) return;
    const p = gic.word(cpu, intid) * 32 + (intid & 31);
    for (let i = 0; i < 4; i++) if ((mask >>> (8 * i)) & 0xff) gic.prio[p + i] = (value >>> (8 * i)) & PRIO_MASK;
    gic.update();
    return;
  }
  if (offset >= ICFGR && offset < IGRPMODR) {
    const intid = (offset - ICFGR) * 4;
    if (intid < lo || intid >= hi) return;
    const w = gic.word(cpu, intid), base = intid & 31;
    for (let i = 0; i < 16; i++) {
      if (intid + i < 16 || !((mask >>> (2 * i + 1)) & 1)) continue; // SGIs are always edge-triggered
      const bit = (1 << (base + i)) >>> 0;
      if ((value >>> (2 * i + 1)) & 1) gic.edge[w] |= bit; else gic.edge[w] &= ~bit;
    }
    gic.update();
  }
}
