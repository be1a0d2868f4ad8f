// The GICv2 virtual interface control registers of one CPU (GICH_*, IHI 0048
// 5.3), a memory-mapped frame: the hypervisor's view of the CPU's list
// registers (./list-registers) and of its virtual CPU interface's priority
// state (GICH_VMCR, GICH_APR). 4 list registers, 5 bits of priority and
// preemption (GICH_VTR = 0x9000_0003), as the GIC-400. The frame decodes
// 0x000..0x1FF; the rest (and any access that is not an aligned 32-bit
// word) is RAZ/WI.
import type { MmioDevice } from "../device";
import type { ListRegisters, ListRegister } from "./list-registers";
import { LIST_REGS, HCR_EOICOUNT_MASK } from "./list-registers";
import type { GicV2VirtualCpuInterface } from "./v2-virtual-cpu-interface";
import { MIN_BPR0, MIN_BPR1 } from "./cpu-core";
import { PRI_BITS } from "./constants";

export const GICH_HCR = 0x00, GICH_VTR = 0x04, GICH_VMCR = 0x08, GICH_MISR = 0x10, GICH_EISR0 = 0x20,
  GICH_EISR1 = 0x24, GICH_ELRSR0 = 0x30, GICH_ELRSR1 = 0x34, GICH_APR = 0xf0, GICH_LR0 = 0x100;

// GICH_VTR: ListRegs [5:0], PREbits [28:26] and PRIbits [31:29] = bits - 1.
export const GICH_VTR_VALUE = ((LIST_REGS - 1) | ((PRI_BITS - 1) << 26) | ((PRI_BITS - 1) << 29)) >>> 0;

// GICH_HCR: En, UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE [7:0], EOICount [31:27].
const HCR_WRITABLE = 0xff | HCR_EOICOUNT_MASK;

// GICH_VMCR: VMGrp0En [0], VMGrp1En [1], VMAckCtl [2], VMFIQEn [3],
// VMCBPR [4], VEM [9], VMABP [20:18], VMBP [23:21], VMPriMask [31:27].
const VMCR_GRP0EN = 1 << 0, VMCR_GRP1EN = 1 << 1, VMCR_ACKCTL = 1 << 2, VMCR_FIQEN = 1 << 3,
  VMCR_CBPR = 1 << 4, VMCR_VEM = 1 << 9;
const VMCR_ABP_SHIFT = 18, VMCR_BP_SHIFT = 21, VMCR_PRIMASK_SHIFT = 27;

// GICH_LR<n>: VirtualID [9:0], PhysicalID [19:10] (with HW; without it, EOI
// [19] and the SGI source CPUID [12:10]), Priority [27:23] (the top 5 bits),
// State [29:28], Grp1 [30], HW [31].
const LR_HW = 1 << 31, LR_GRP1 = 1 << 30, LR_EOI = 1 << 19;

export function encodeV2LR(r: ListRegister): number {
  let v = (r.vintid & 0x3ff) | ((r.priority >> 3) << 23) | (r.state << 28) | (r.group ? LR_GRP1 : 0);
  if (r.hw) v |= LR_HW | ((r.pintid & 0x3ff) << 10);
  else v |= (r.eoi ? LR_EOI : 0) | ((r.cpuid & 7) << 10);
  return v >>> 0;
}

export function decodeV2LR(v: number): ListRegister {
  const hw = (v & LR_HW) !== 0;
  return {
    state: (v >>> 28) & 3,
    vintid: v & 0x3ff,
    pintid: hw ? (v >>> 10) & 0x3ff : 0,
    priority: ((v >>> 23) & 0x1f) << 3,
    group: (v & LR_GRP1) !== 0 ? 1 : 0,
    hw,
    eoi: !hw && (v & LR_EOI) !== 0,
    cpuid: hw ? 0 : (v >>> 10) & 7,
  };
}

export class GicV2HypInterface implements MmioDevice {
  readonly name = "gicv2-hyp-interface";
  readonly size = 0x1_0000;

  constructor(private readonly lrs: ListRegisters, private readonly vcpu: GicV2VirtualCpuInterface) {}

  read(offset: number, size: number): bigint {
    return size === 4 && !(offset & 3) ? BigInt(this.readWord(offset)) : 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    if (size === 4 && !(offset & 3)) this.writeWord(offset, Number(value & 0xffff_ffffn));
  }

  readWord(offset: number): number {
    const l = this.lrs;
    switch (offset) {
      case GICH_HCR: return l.hcr;
      case GICH_VTR: return GICH_VTR_VALUE;
      case GICH_VMCR: return this.readVmcr();
      case GICH_MISR: return l.misr();
      case GICH_EISR0: return l.eisr();
      case GICH_ELRSR0: return l.elrsr();
      case GICH_APR: return this.vcpu.apr;
    }
    const n = (offset - GICH_LR0) >> 2;
    return n >= 0 && n < LIST_REGS ? encodeV2LR(l.lr[n]) : 0; // EISR1, ELRSR1, LR4-63: RAZ
  }

  writeWord(offset: number, v: number): void {
    const l = this.lrs;
    const n = (offset - GICH_LR0) >> 2;
    if (offset === GICH_HCR) l.hcr = (v & HCR_WRITABLE) >>> 0;
    else if (offset === GICH_VMCR) this.writeVmcr(v);
    else if (offset === GICH_APR) this.vcpu.apr = v;
    else if (n >= 0 && n < LIST_REGS) l.lr[n] = decodeV2LR(v);
    else return;
    l.update();
  }

  private readVmcr(): number {
    const c = this.vcpu;
    return ((c.igrpen0 ? VMCR_GRP0EN : 0) | (c.igrpen1 ? VMCR_GRP1EN : 0) | (c.ackCtl ? VMCR_ACKCTL : 0) | (c.fiqEn ? VMCR_FIQEN : 0)
      | (c.cbpr ? VMCR_CBPR : 0) | (c.eoiMode ? VMCR_VEM : 0) | (c.bpr1 << VMCR_ABP_SHIFT) | (c.bpr0 << VMCR_BP_SHIFT)
      | ((c.pmr >> 3) << VMCR_PRIMASK_SHIFT)) >>> 0;
  }

  private writeVmcr(v: number): void {
    const c = this.vcpu;
    c.igrpen0 = (v & VMCR_GRP0EN) !== 0;
    c.igrpen1 = (v & VMCR_GRP1EN) !== 0;
    c.ackCtl = (v & VMCR_ACKCTL) !== 0;
    c.fiqEn = (v & VMCR_FIQEN) !== 0;
    c.cbpr = (v & VMCR_CBPR) !== 0;
    c.eoiMode = (v & VMCR_VEM) !== 0;
    c.bpr1 = Math.max((v >>> VMCR_ABP_SHIFT) & 7, MIN_BPR1);
    c.bpr0 = Math.max((v >>> VMCR_BP_SHIFT) & 7, MIN_BPR0);
    c.pmr = ((v >>> VMCR_PRIMASK_SHIFT) & 0x1f) << 3;
  }
}
