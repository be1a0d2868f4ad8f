// The GICv2 Distributor (GICD_*, IHI 0048 4.3) as CPU interface `cpu` sees
// it: the registers for INTIDs 0-31 are banked (its own SGIs and PPIs),
// ITARGETSR0-7 read as its own bit, and GICD_SGIR sends from it. No Security
// Extensions: GICD_CTLR holds EnableGrp0 and EnableGrp1, IGROUPR is
// read-write, GICD_SGIR.NSATT is ignored. SGIs are always enabled (their
// ISENABLER bits RAO/WI, as the GIC-400 and QEMU) and their pending state,
// one bit per source CPU, is reached through CPENDSGIR/SPENDSGIR (their
// ISPENDR/ICPENDR bits are WI). The register block at 0x000..0xFFF; the
// rest of the 64 KiB frame is RAZ/WI.
import type { MmioDevice } from "../device";
import type { GicV2 } from "../gicv2";
import { frameRead, frameWrite, peripheralId, GIC_IIDR, type WordFrame } from "./mmio";
import { isIntReg, readIntReg, writeIntReg, ISENABLER, ICENABLER, ISPENDR, ICPENDR, ICFGR } from "./intregs";

export const GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008, GICD_ITARGETSR = 0x800,
  GICD_SGIR = 0xf00, GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20;

// PIDR4..7, PIDR0..3, CIDR0..3 at 0xFD0..0xFFC, as QEMU's GICv2 (ArchRev 2 in PIDR2[7:4]).
const IDS = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const SGI_BITS = 0xffff; // INTIDs 0-15 in word 0 of a bit-per-INTID register

export class GicV2Distributor implements MmioDevice, WordFrame {
  readonly name = "gicv2-distributor";
  readonly size = 0x1_0000;

  constructor(private readonly gic: GicV2, readonly cpu: number) {}

  read(offset: number, size: number): bigint { return frameRead(this, offset, size); }
  write(offset: number, size: number, value: bigint): void { frameWrite(this, offset, size, value); }

  readWord(offset: number): number {
    const gic = this.gic;
    switch (offset) {
      case GICD_CTLR: return gic.distCtlr;
      case GICD_TYPER: return ((gic.irqs / 32 - 1) | ((gic.cpus - 1) << 5)) >>> 0; // ITLinesNumber, CPUNumber; SecurityExtn 0
      case GICD_IIDR: return GIC_IIDR;
    }
    if (offset >= GICD_ITARGETSR && offset < ICFGR) {
      let v = 0;
      for (let i = 0; i < 4; i++) v |= this.target(offset - GICD_ITARGETSR + i) << (8 * i);
      return v >>> 0;
    }
    if (isIntReg(offset)) return readIntReg(gic, this.cpu, offset, 0, gic.irqs);
    if (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10) {
      const first = offset & 0xc;
      let v = 0;
      for (let i = 0; i < 4; i++) v |= gic.sgiSources[this.cpu * 16 + first + i] << (8 * i);
      return v >>> 0;
    }
    return peripheralId(offset, 0xfd0, IDS) ?? 0;
  }

  writeWord(offset: number, value: number, mask: number): void {
    const gic = this.gic;
    if (offset === GICD_CTLR) {
      gic.distCtlr = ((gic.distCtlr & ~mask) | (value & mask)) & 3;
      gic.update();
      return;
    }
    if (offset >= GICD_ITARGETSR && offset < ICFGR) {
      for (let i = 0; i < 4; i++) {
        if ((mask >>> (8 * i)) & 0xff) gic.setTarget(offset - GICD_ITARGETSR + i, (value >>> (8 * i)) & 0xff);
      }
      gic.update();
      return;
    }
    if (isIntReg(offset)) {
      if (offset === ISENABLER || offset === ICENABLER || offset === ISPENDR || offset === ICPENDR) mask &= ~SGI_BITS;
      writeIntReg(gic, this.cpu, offset, value, mask, 0, gic.irqs);
      return;
    }
    if (offset === GICD_SGIR) { gic.generateSgi(this.cpu, value & mask); return; }
    if (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10) {
      const set = offset >= GICD_SPENDSGIR, first = offset & 0xc;
      for (let i = 0; i < 4; i++) {
        if ((mask >>> (8 * i)) & 0xff) gic.changeSgiSources(this.cpu, first + i, (value >>> (8 * i)) & 0xff, set);
      }
      gic.update();
    }
  }

  // ITARGETSR<n> byte for `intid`: RAZ on a uniprocessor GIC; for SGIs and
  // PPIs the reading CPU's own bit.
  private target(intid: number): number {
    const gic = this.gic;
    if (gic.cpus === 1 || intid >= gic.irqs) return 0;
    return intid < 32 ? 1 << this.cpu : gic.targets[intid];
  }
}
