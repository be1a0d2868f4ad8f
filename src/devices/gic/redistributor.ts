// The GICv3 Redistributors (GICR_*, IHI 0069 12.10): one per PE, each two
// 64 KiB frames -- RD_base (control, identification, power) and SGI_base
// (the PE's SGIs and PPIs) -- laid out consecutively in one region, the last
// marked by GICR_TYPER.Last. No LPIs: GICR_CTLR.EnableLPIs, PROPBASER,
// PENDBASER and the LPI registers are RAZ/WI.
import type { MmioDevice } from "../device";
import type { GicV3 } from "../gicv3";
import { GICR_CTLR_DPG0, GICR_CTLR_DPG1NS, GICR_CTLR_DPG1S } from "./constants";
import { frameRead, frameWrite, idRegister, GIC_IIDR, type WordFrame } from "./mmio";
import { isIntReg, readIntReg, writeIntReg } from "./intregs";

export const REDIST_FRAME_SIZE = 0x2_0000;
export const SGI_BASE = 0x1_0000;
export const GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008, GICR_WAKER = 0x0014, GICR_PIDR2 = 0xffe8;

export const GICR_TYPER_LAST = 1 << 4;
export const GICR_TYPER_DPGS = 1 << 5;
export const GICR_WAKER_PROCESSOR_SLEEP = 1 << 1;
export const GICR_WAKER_CHILDREN_ASLEEP = 1 << 2;

const DPG = GICR_CTLR_DPG0 | GICR_CTLR_DPG1NS | GICR_CTLR_DPG1S;

export class GicRedistributors implements MmioDevice, WordFrame {
  readonly name = "gicv3-redistributors";
  readonly size: number;

  constructor(private readonly gic: GicV3) {
    this.size = gic.cpus * REDIST_FRAME_SIZE;
  }

  read(offset: number, size: number): bigint { return frameRead(this, offset, size); }
  write(offset: number, size: number, value: bigint): void { frameWrite(this, offset, size, value); }

  readWord(offset: number): number {
    const gic = this.gic, cpu = Math.floor(offset / REDIST_FRAME_SIZE), off = offset % REDIST_FRAME_SIZE;
    if (off >= SGI_BASE) {
      const o = off - SGI_BASE;
      return isIntReg(o) ? readIntReg(gic, cpu, o, 0, 32) : 0;
    }
    switch (off) {
      case GICR_CTLR: return gic.rdCtlr[cpu] & DPG; // EnableLPIs 0, RWP 0
      case GICR_IIDR: return GIC_IIDR;
      case GICR_TYPER:
        return ((cpu << 8)                                    // Processor_Number
          | (cpu === gic.cpus - 1 ? GICR_TYPER_LAST : 0)
          | GICR_TYPER_DPGS) >>> 0;                           // PLPIS, VLPIS, DirectLPI 0
      case GICR_TYPER + 4: return gic.affinity(cpu);          // Affinity_Value
      case GICR_WAKER: return gic.rdSleep[cpu] ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
    }
    return idRegister(off, 0x93) ?? 0;
  }

  writeWord(offset: number, value: number, mask: number): void {
    const gic = this.gic, cpu = Math.floor(offset / REDIST_FRAME_SIZE), off = offset % REDIST_FRAME_SIZE;
    if (off >= SGI_BASE) {
      const o = off - SGI_BASE;
      if (isIntReg(o)) writeIntReg(gic, cpu, o, value, mask, 0, 32);
      return;
    }
    switch (off) {
      case GICR_CTLR:
        gic.rdCtlr[cpu] = ((gic.rdCtlr[cpu] & ~mask) | (value & mask)) & DPG;
        gic.update();
        return;
      case GICR_WAKER:
        // The interface quiesces (or wakes) at once: ChildrenAsleep follows ProcessorSleep.
        if (mask & GICR_WAKER_PROCESSOR_SLEEP) {
          gic.rdSleep[cpu] = value & GICR_WAKER_PROCESSOR_SLEEP ? 1 : 0;
          gic.update();
        }
        return;
    }
  }
}
