// The GICv3 virtual interface control registers of one PE (ICH_*_EL2, IHI
// 0069 12.4), the hypervisor's view of its list registers (./list-registers)
// and of the virtual CPU interface's priority state (ICH_VMCR_EL2, the
// virtual active priorities), as a Cortex-A57-class CPU interface presents
// them: 4 list registers, 5 bits of virtual priority and preemption, 16-bit
// INTIDs, no SEIs, no direct injection (ICH_VTR_EL2 = 0x9030_0003).
//
// ICH_HCR_EL2.TC, TALL0 and TALL1 are acted on by the core: the VM publishes
// them (GicV3.ichTraps) in ABI.ICH_TRAPS before each run and the core traps
// EL1's ICC_*/ICV_* accesses to EL2 for them. ICH_VTR_EL2.TDS = 0 (TDIR is
// RES0) and SEIS = 0 (TSEI is RES0).
import type { GicCpuCore } from "./cpu-core";
import { MIN_BPR0, MIN_BPR1 } from "./cpu-core";
import { PRI_BITS, PRIO_MASK } from "./constants";
import { LIST_REGS, HCR_EOICOUNT_MASK, type ListRegisters, type ListRegister } from "./list-registers";

export const ICH_REGS = {
  ICH_AP0R0_EL2: { enc: [3, 4, 12, 8, 0], access: "rw" },
  ICH_AP1R0_EL2: { enc: [3, 4, 12, 9, 0], access: "rw" },
  ICH_HCR_EL2: { enc: [3, 4, 12, 11, 0], access: "rw" },
  ICH_VTR_EL2: { enc: [3, 4, 12, 11, 1], access: "r" },
  ICH_MISR_EL2: { enc: [3, 4, 12, 11, 2], access: "r" },
  ICH_EISR_EL2: { enc: [3, 4, 12, 11, 3], access: "r" },
  ICH_ELRSR_EL2: { enc: [3, 4, 12, 11, 5], access: "r" },
  ICH_VMCR_EL2: { enc: [3, 4, 12, 11, 7], access: "rw" },
  ICH_LR0_EL2: { enc: [3, 4, 12, 12, 0], access: "rw" },
  ICH_LR1_EL2: { enc: [3, 4, 12, 12, 1], access: "rw" },
  ICH_LR2_EL2: { enc: [3, 4, 12, 12, 2], access: "rw" },
  ICH_LR3_EL2: { enc: [3, 4, 12, 12, 3], access: "rw" },
} as const satisfies Record<string, { enc: readonly [number, number, number, number, number]; access: "r" | "w" | "rw" }>;

export type IchRegName = keyof typeof ICH_REGS;

export function isIchRegister(name: string): name is IchRegName {
  return Object.prototype.hasOwnProperty.call(ICH_REGS, name);
}

// ICH_VTR_EL2: ListRegs [4:0], nV4 [20] (no direct injection), A3V [21]
// (as ICC_CTLR_EL1 reports), IDbits [25:23] = 0 (16 bits), PREbits
// [28:26] and PRIbits [31:29] = bits - 1.
export const ICH_VTR_VALUE = (LIST_REGS - 1) | (1 << 20) | (1 << 21) | ((PRI_BITS - 1) << 26) | ((PRI_BITS - 1) << 29);

// ICH_HCR_EL2: En, UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE,
// VGrp1DIE [7:0], TC [10], TALL0 [11], TALL1 [12], EOIcount [31:27].
const HCR_WRITABLE = 0xff | (7 << 10) | HCR_EOICOUNT_MASK;

// ICH_VMCR_EL2 fields.
const VMCR_VENG0 = 1 << 0, VMCR_VENG1 = 1 << 1, VMCR_VFIQEN = 1 << 3, VMCR_VCBPR = 1 << 4, VMCR_VEOIM = 1 << 9;
const VMCR_VBPR1_SHIFT = 18, VMCR_VBPR0_SHIFT = 21, VMCR_VPMR_SHIFT = 24;

// ICH_LR<n>_EL2 fields: vINTID [31:0] (16 bits implemented), pINTID
// [44:32] with HW, else EOI [41]; Priority [55:48]; Group [60]; HW [61];
// State [63:62].
const LR_EOI = 1n << 41n;

export function encodeLR(r: ListRegister): bigint {
  let v = BigInt(r.vintid) | (BigInt(r.priority) << 48n) | (BigInt(r.group) << 60n) | (BigInt(r.state) << 62n);
  if (r.hw) v |= (1n << 61n) | (BigInt(r.pintid) << 32n);
  else if (r.eoi) v |= LR_EOI;
  return v;
}

export function decodeLR(v: bigint): ListRegister {
  const hw = ((v >> 61n) & 1n) !== 0n;
  return {
    state: Number((v >> 62n) & 3n),
    vintid: Number(v & 0xffffn),
    pintid: hw ? Number((v >> 32n) & 0x1fffn) : 0,
    priority: Number((v >> 48n) & 0xffn) & PRIO_MASK,
    group: Number((v >> 60n) & 1n),
    hw,
    eoi: !hw && (v & LR_EOI) !== 0n,
    cpuid: 0,
  };
}

export function readIch(lrs: ListRegisters, name: IchRegName): bigint {
  const v = lrs.vcpu;
  switch (name) {
    case "ICH_AP0R0_EL2": return BigInt(v.ap[0]);
    case "ICH_AP1R0_EL2": return BigInt(v.ap[1]);
    case "ICH_HCR_EL2": return BigInt(lrs.hcr);
    case "ICH_VTR_EL2": return BigInt(ICH_VTR_VALUE);
    case "ICH_MISR_EL2": return BigInt(lrs.misr());
    case "ICH_EISR_EL2": return BigInt(lrs.eisr());
    case "ICH_ELRSR_EL2": return BigInt(lrs.elrsr());
    case "ICH_VMCR_EL2": return BigInt(readVmcr(v) >>> 0);
    case "ICH_LR0_EL2": case "ICH_LR1_EL2": case "ICH_LR2_EL2": case "ICH_LR3_EL2":
      return encodeLR(lrs.lr[lrIndex(name)]);
  }
}

// Writes to the read-only registers are ignored (the core does not tell
// them apart from the writable ones; architecturally they are UNDEFINED).
export function writeIch(lrs: ListRegisters, name: IchRegName, value: bigint): void {
  const v = lrs.vcpu, w = Number(BigInt.asUintN(32, value));
  switch (name) {
    case "ICH_AP0R0_EL2": v.ap[0] = w >>> 0; break;
    case "ICH_AP1R0_EL2": v.ap[1] = w >>> 0; break;
    case "ICH_HCR_EL2": lrs.hcr = (w & HCR_WRITABLE) >>> 0; break;
    case "ICH_VMCR_EL2": writeVmcr(v, w); break;
    case "ICH_LR0_EL2": case "ICH_LR1_EL2": case "ICH_LR2_EL2": case "ICH_LR3_EL2":
      lrs.lr[lrIndex(name)] = decodeLR(BigInt.asUintN(64, value));
      break;
    default: return; // VTR, MISR, EISR, ELRSR
  }
  lrs.update();
}

function lrIndex(name: IchRegName): number { return ICH_REGS[name].enc[4]; }

// ICH_VMCR_EL2: VENG0 [0], VENG1 [1], VAckCtl [2] (RES0), VFIQEn [3]
// (RES1), VCBPR [4], VEOIM [9], VBPR1 [20:18], VBPR0 [23:21], VPMR [31:24].
function readVmcr(v: GicCpuCore): number {
  return (v.igrpen0 ? VMCR_VENG0 : 0) | (v.igrpen1 ? VMCR_VENG1 : 0) | VMCR_VFIQEN | (v.cbpr ? VMCR_VCBPR : 0)
    | (v.eoiMode ? VMCR_VEOIM : 0) | (v.bpr1 << VMCR_VBPR1_SHIFT) | (v.bpr0 << VMCR_VBPR0_SHIFT) | (v.pmr << VMCR_VPMR_SHIFT);
}

// A binary point below the minimum reads as the minimum, as writing ICV_BPRn does.
function writeVmcr(v: GicCpuCore, w: number): void {
  v.igrpen0 = (w & VMCR_VENG0) !== 0;
  v.igrpen1 = (w & VMCR_VENG1) !== 0;
  v.cbpr = (w & VMCR_VCBPR) !== 0;
  v.eoiMode = (w & VMCR_VEOIM) !== 0;
  v.bpr1 = Math.max((w >>> VMCR_VBPR1_SHIFT) & 7, MIN_BPR1);
  v.bpr0 = Math.max((w >>> VMCR_VBPR0_SHIFT) & 7, MIN_BPR0);
  v.pmr = (w >>> VMCR_VPMR_SHIFT) & PRIO_MASK;
}
