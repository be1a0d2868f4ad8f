// The GICv3 Distributor (GICD_*, IHI 0069 12.9): SPI configuration and
// routing, 64 KiB. With affinity routing the registers for INTIDs 0-31 are
// RAZ/WI here (they live in each Redistributor), as are ITARGETSR and the
// legacy SGI registers. No LPIs, no message-based SPIs.
import type { MmioDevice } from "../device";
import type { GicV3 } from "../gicv3";
import { frameRead, frameWrite, idRegister, GIC_IIDR, type WordFrame } from "./mmio";
import { isIntReg, readIntReg, writeIntReg } from "./intregs";

export const GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008, GICD_TYPER2 = 0x000c,
  GICD_IROUTER = 0x6000, GICD_PIDR2 = 0xffe8;

export const GICD_CTLR_ENABLE_GRP0 = 1 << 0;
export const GICD_CTLR_ENABLE_GRP1 = 1 << 1;
export const GICD_CTLR_ARE = 1 << 4;
export const GICD_CTLR_DS = 1 << 6;
export const GICD_CTLR_RWP = 1 << 31;
export const GICD_IROUTER_IRM = 1 << 31;

export class GicDistributor implements MmioDevice, WordFrame {
  readonly name = "gicv3-distributor";
  readonly size = 0x1_0000;

  constructor(private readonly gic: GicV3) {}

  read(offset: number, size: number): bigint { return frameRead(this, offset, size); }
  write(offset: number, size: number, value: bigint): void { frameWrite(this, offset, size, value); }

  // The whole GIC's state is saved with the Distributor (the Redistributor
  // device has none of its own).
  saveState(): unknown { return this.gic.saveState(); }
  restoreState(state: unknown): void { this.gic.restoreState(state); }

  readWord(offset: number): number {
    const gic = this.gic;
    switch (offset) {
      case GICD_CTLR: return (gic.distCtlr | GICD_CTLR_ARE | GICD_CTLR_DS) >>> 0; // RWP: writes take effect at once
      case GICD_TYPER:
        return ((gic.irqs / 32 - 1)            // ITLinesNumber
          | ((Math.min(gic.cpus, 8) - 1) << 5) // CPUNumber
          | (15 << 19)                         // IDbits: 16 bits of INTID
          | (1 << 24)) >>> 0;                  // A3V: Aff3 is supported; SecurityExtn, MBIS, LPIS, No1N all 0
      case GICD_IIDR: return GIC_IIDR;
    }
    if (isIntReg(offset)) return readIntReg(gic, 0, offset, 32, gic.irqs);
    if (offset >= GICD_IROUTER && offset < 0x8000) {
      const intid = (offset - GICD_IROUTER) >> 3;
      if (intid < 32 || intid >= gic.irqs) return 0;
      const aff = gic.routeAff[intid];
      return offset & 4 ? aff >>> 24 : ((aff & 0xff_ffff) | (gic.routeIrm[intid] ? GICD_IROUTER_IRM : 0)) >>> 0;
    }
    return idRegister(offset, 0x92) ?? 0;
  }

  writeWord(offset: number, value: number, mask: number): void {
    const gic = this.gic;
    if (offset === GICD_CTLR) {
      const keep = GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1;
      gic.distCtlr = ((gic.distCtlr & ~mask) | (value & mask)) & keep;
      gic.update();
      return;
    }
    if (isIntReg(offset)) { writeIntReg(gic, 0, offset, value, mask, 32, gic.irqs); return; }
    if (offset >= GICD_IROUTER && offset < 0x8000) {
      const intid = (offset - GICD_IROUTER) >> 3;
      if (intid < 32 || intid >= gic.irqs) return;
      if (offset & 4) {
        const aff3 = ((gic.routeAff[intid] >>> 24) & ~mask) | (value & mask & 0xff);
        gic.routeAff[intid] = ((aff3 << 24) | (gic.routeAff[intid] & 0xff_ffff)) >>> 0;
      } else {
        const old = (gic.routeAff[intid] & 0xff_ffff) | (gic.routeIrm[intid] ? GICD_IROUTER_IRM : 0);
        const low = ((old & ~mask) | (value & mask)) >>> 0;
        gic.routeAff[intid] = ((gic.routeAff[intid] & 0xff00_0000) | (low & 0xff_ffff)) >>> 0;
        gic.routeIrm[intid] = low & GICD_IROUTER_IRM ? 1 : 0;
      }
      gic.update();
    }
  }
}
