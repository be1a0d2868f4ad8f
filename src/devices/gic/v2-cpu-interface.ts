// The GICv2 CPU interface of one CPU (GICC_*, IHI 0048 4.4), a memory-mapped
// frame (read/write as an MmioDevice's): the register view, without Security
// Extensions, of the priority, preemption, acknowledge and EOI logic shared
// with GICv3 (./cpu-core).
//
// - GICC_CTLR: EnableGrp0, EnableGrp1, AckCtl, FIQEn, CBPR, EOImode (bit 9,
//   which Linux writes as EOImodeNS); the bypass-disable bits are RAZ/WI (no
//   bypass), as QEMU.
// - IAR/EOIR/HPPIR acknowledge, end and report Group 0, and Group 1 with
//   AckCtl (without it a Group 1 interrupt reads 1022); the aliased
//   AIAR/AEOIR/AHPPIR serve Group 1. For an SGI, bits [12:10] of IAR/HPPIR
//   are the source CPU.
// - BPR is Group 0's binary point, ABPR Group 1's; APR0 and NSAPR0 hold the
//   active priorities of Group 0 and Group 1 (one bit per group priority).
// - Group 0 is signalled as FIQ when FIQEn is set, else as IRQ; Group 1 as IRQ.
// Registers are 32-bit: other access sizes are RAZ/WI. The frame decodes
// 0x0000..0x1FFF (GICC_DIR at 0x1000); the rest of the 64 KiB is RAZ/WI.
import type { GicV2 } from "../gicv2";
import { SPURIOUS, GROUP0, GROUP1, PRIO_MASK } from "./constants";
import { GicCpuCore, MIN_BPR0, MIN_BPR1, IDLE, type CpuCoreState } from "./cpu-core";

export const GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c, GICC_EOIR = 0x10,
  GICC_RPR = 0x14, GICC_HPPIR = 0x18, GICC_ABPR = 0x1c, GICC_AIAR = 0x20, GICC_AEOIR = 0x24,
  GICC_AHPPIR = 0x28, GICC_APR0 = 0xd0, GICC_NSAPR0 = 0xe0, GICC_IIDR = 0xfc, GICC_DIR = 0x1000;

export const GICC_CTLR_ENABLE_GRP0 = 1 << 0;
export const GICC_CTLR_ENABLE_GRP1 = 1 << 1;
export const GICC_CTLR_ACKCTL = 1 << 2;
export const GICC_CTLR_FIQEN = 1 << 3;
export const GICC_CTLR_CBPR = 1 << 4;
export const GICC_CTLR_EOIMODE = 1 << 9;

// ArchitectureVersion 2, implementer 0x43B (Arm), as QEMU's GICv2.
export const GICC_IIDR_VALUE = 0x0002_043b;
const BUSY = 1022; // the highest-priority pending interrupt is Group 1 and AckCtl is clear
const INTID_MASK = 0x3ff;

export interface GicV2CpuState extends CpuCoreState { ackCtl: boolean; fiqEn: boolean }

export class GicV2CpuInterface extends GicCpuCore {
  declare protected readonly gic: GicV2;
  ackCtl = false;
  fiqEn = false;

  constructor(gic: GicV2, cpu: number) { super(gic, cpu); }

  reset(): void {
    super.reset();
    this.ackCtl = false;
    this.fiqEn = false;
  }

  signalsFiq(group: number): boolean { return group === GROUP0 && this.fiqEn; }

  read(offset: number, size: number): bigint {
    return size === 4 && !(offset & 3) ? BigInt(this.readWord(offset)) : 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    if (size === 4 && !(offset & 3)) this.writeWord(offset, Number(value & 0xffff_ffffn));
  }

  readWord(offset: number): number {
    switch (offset) {
      case GICC_CTLR:
        return (this.igrpen0 ? GICC_CTLR_ENABLE_GRP0 : 0) | (this.igrpen1 ? GICC_CTLR_ENABLE_GRP1 : 0)
          | (this.ackCtl ? GICC_CTLR_ACKCTL : 0) | (this.fiqEn ? GICC_CTLR_FIQEN : 0)
          | (this.cbpr ? GICC_CTLR_CBPR : 0) | (this.eoiMode ? GICC_CTLR_EOIMODE : 0);
      case GICC_PMR: return this.pmr;
      case GICC_BPR: return this.bpr0;
      case GICC_ABPR: return this.bpr1;
      case GICC_IAR: return this.acknowledgeEither();
      case GICC_AIAR: return this.source.acknowledge(GROUP1);
      case GICC_HPPIR: return this.highestPendingEither();
      case GICC_AHPPIR: return this.source.withSource(this.source.highestPending(GROUP1));
      case GICC_RPR: { const r = this.runningPriority(); return r === IDLE ? 0xff : r; }
      case GICC_APR0: return this.ap[0];
      case GICC_NSAPR0: return this.ap[1];
      case GICC_IIDR: return GICC_IIDR_VALUE;
    }
    return 0; // EOIR, AEOIR, DIR write-only; APR1-3, NSAPR1-3 RAZ/WI with 5 priority bits
  }

  writeWord(offset: number, v: number): void {
    switch (offset) {
      case GICC_CTLR:
        this.igrpen0 = (v & GICC_CTLR_ENABLE_GRP0) !== 0;
        this.igrpen1 = (v & GICC_CTLR_ENABLE_GRP1) !== 0;
        this.ackCtl = (v & GICC_CTLR_ACKCTL) !== 0;
        this.fiqEn = (v & GICC_CTLR_FIQEN) !== 0;
        this.cbpr = (v & GICC_CTLR_CBPR) !== 0;
        this.eoiMode = (v & GICC_CTLR_EOIMODE) !== 0;
        break;
      case GICC_PMR: this.pmr = v & PRIO_MASK; break;
      case GICC_BPR: this.bpr0 = Math.max(v & 7, MIN_BPR0); break;
      case GICC_ABPR: this.bpr1 = Math.max(v & 7, MIN_BPR1); break;
      case GICC_EOIR: {
        // The interrupt's own group is the one whose priority drops (as QEMU:
        // a Group 1 EOI with AckCtl clear, UNPREDICTABLE, is honoured). An
        // INTID that does not exist is ignored.
        // (A virtual interrupt no list register holds has no known group:
        // its EOI drops the priority and is counted either way.)
        const intid = v & INTID_MASK, group = this.source.groupOf(intid);
        this.source.endOfInterrupt(group < 0 ? GROUP0 : group, intid);
        return;
      }
      case GICC_AEOIR: {
        const intid = v & INTID_MASK, group = this.source.groupOf(intid);
        if (group === GROUP1 || group < 0) this.source.endOfInterrupt(GROUP1, intid);
        return;
      }
      case GICC_DIR: this.source.deactivateDirect(v & INTID_MASK); return;
      case GICC_APR0: this.ap[0] = v >>> 0; break;
      case GICC_NSAPR0: this.ap[1] = v >>> 0; break;
      default: return; // read-only or RAZ/WI
    }
    this.source.changed();
  }

  // GICC_IAR: the highest-priority pending interrupt of either group, a
  // Group 1 one only with AckCtl.
  private acknowledgeEither(): number {
    const src = this.source, group = src.pendingGroup();
    if (src.pendingId() === SPURIOUS) return SPURIOUS;
    if (group === GROUP1 && !this.ackCtl) return src.canSignal(src.pendingPriority(), group) ? BUSY : SPURIOUS;
    return src.acknowledge(group);
  }

  private highestPendingEither(): number {
    const src = this.source, intid = src.pendingId();
    if (intid !== SPURIOUS && src.pendingGroup() === GROUP1 && !this.ackCtl) return BUSY;
    return src.withSource(intid);
  }

  // An SGI's source CPU, for IAR/HPPIR.
  withSource(intid: number): number { return this.gic.withSource(this.cpu, intid); }

  saveState(): GicV2CpuState {
    return { ...super.saveState(), ackCtl: this.ackCtl, fiqEn: this.fiqEn };
  }

  restoreState(s: GicV2CpuState): void {
    super.restoreState(s);
    this.ackCtl = !!s.ackCtl;
    this.fiqEn = !!s.fiqEn;
  }
}
