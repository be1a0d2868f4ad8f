// The GICv3 CPU interface of one PE as the ICC_*_EL1 system registers
// (IHI 0069 chapter 12.2), as seen at EL1/EL2 with GICD_CTLR.DS = 1 (one
// Security state: Group 1 is Non-secure Group 1, Group 0 is reachable from
// EL1): PMR, the binary points, AP0R0/AP1R0, IAR/EOIR/HPPIR per group, DIR,
// RPR, CTLR, IGRPEN, SRE, and SGI generation. Priorities, preemption,
// acknowledge and deactivation are the shared logic of ./cpu-core.
//
// The same view serves a virtual CPU interface (ICV_*_EL1, IHI 0069 12.4):
// EL1 reaches it through the ICC_* encodings when HCR_EL2 routes the
// register's interrupt group to EL2 -- FMO for the Group 0 registers, IMO
// for the Group 1 ones, either for CTLR, DIR, PMR and RPR (see icvRouted);
// its `source` is then the CPU's list registers.
import type { GicV3 } from "../gicv3";
import { GROUP0, GROUP1, PRI_BITS, PRIO_MASK } from "./constants";
import { GicCpuCore, MIN_BPR0, MIN_BPR1, IDLE, type CpuCoreState } from "./cpu-core";
import { ICH_REGS, type IchRegName } from "./ich-registers";

// Encodings (op0, op1, CRn, CRm, op2), direction and virtualization of each
// register modelled: `virt` is the HCR_EL2 routing that sends an EL1 access
// to the ICV_* register instead ("g0": FMO, "g1": IMO, "any": either; none:
// never -- the SGI registers trap to EL2 in the core, SRE is not virtualized).
// AP0R1-3/AP1R1-3 do not exist with 5 priority bits (UNDEFINED).
export const ICC_REGS = {
  ICC_PMR_EL1: { enc: [3, 0, 4, 6, 0], access: "rw", virt: "any" },
  ICC_IAR0_EL1: { enc: [3, 0, 12, 8, 0], access: "r", virt: "g0" },
  ICC_EOIR0_EL1: { enc: [3, 0, 12, 8, 1], access: "w", virt: "g0" },
  ICC_HPPIR0_EL1: { enc: [3, 0, 12, 8, 2], access: "r", virt: "g0" },
  ICC_BPR0_EL1: { enc: [3, 0, 12, 8, 3], access: "rw", virt: "g0" },
  ICC_AP0R0_EL1: { enc: [3, 0, 12, 8, 4], access: "rw", virt: "g0" },
  ICC_AP1R0_EL1: { enc: [3, 0, 12, 9, 0], access: "rw", virt: "g1" },
  ICC_DIR_EL1: { enc: [3, 0, 12, 11, 1], access: "w", virt: "any" },
  ICC_RPR_EL1: { enc: [3, 0, 12, 11, 3], access: "r", virt: "any" },
  ICC_SGI1R_EL1: { enc: [3, 0, 12, 11, 5], access: "w" },
  ICC_ASGI1R_EL1: { enc: [3, 0, 12, 11, 6], access: "w" },
  ICC_SGI0R_EL1: { enc: [3, 0, 12, 11, 7], access: "w" },
  ICC_IAR1_EL1: { enc: [3, 0, 12, 12, 0], access: "r", virt: "g1" },
  ICC_EOIR1_EL1: { enc: [3, 0, 12, 12, 1], access: "w", virt: "g1" },
  ICC_HPPIR1_EL1: { enc: [3, 0, 12, 12, 2], access: "r", virt: "g1" },
  ICC_BPR1_EL1: { enc: [3, 0, 12, 12, 3], access: "rw", virt: "g1" },
  ICC_CTLR_EL1: { enc: [3, 0, 12, 12, 4], access: "rw", virt: "any" },
  ICC_SRE_EL1: { enc: [3, 0, 12, 12, 5], access: "rw" },
  ICC_IGRPEN0_EL1: { enc: [3, 0, 12, 12, 6], access: "rw", virt: "g0" },
  ICC_IGRPEN1_EL1: { enc: [3, 0, 12, 12, 7], access: "rw", virt: "g1" },
  ICC_SRE_EL2: { enc: [3, 4, 12, 9, 5], access: "rw" },
} as const satisfies Record<string, { enc: readonly [number, number, number, number, number]; access: "r" | "w" | "rw"; virt?: "g0" | "g1" | "any" }>;

export type IccRegName = keyof typeof ICC_REGS;

const byEncoding = new Map<number, IccRegName | IchRegName>();
for (const [name, r] of [...Object.entries(ICC_REGS), ...Object.entries(ICH_REGS)] as [IccRegName | IchRegName, { enc: readonly number[] }][]) {
  const [op0, op1, crn, crm, op2] = r.enc;
  byEncoding.set(encKey(op0, op1, crn, crm, op2), name);
}
function encKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

// The register an MRS/MSR encoding names, if this model implements it: an
// ICC_* register or (for EL2) an ICH_* one (./ich-registers).
export function iccRegisterName(op0: number, op1: number, crn: number, crm: number, op2: number): IccRegName | IchRegName | undefined {
  return byEncoding.get(encKey(op0, op1, crn, crm, op2));
}

// Who makes a system-register access, for the ICC/ICV choice: the EL, and
// HCR_EL2.IMO / FMO where EL2 is enabled and the guest's (false otherwise).
export interface SysregAccess {
  el: number;
  imo: boolean;
  fmo: boolean;
}

// Whether an access to ICC register `name` reaches the virtual CPU interface.
export function icvRouted(name: IccRegName, a: SysregAccess | undefined): boolean {
  if (!a || a.el !== 1) return false;
  const virt = (ICC_REGS[name] as { virt?: string } | undefined)?.virt;
  return virt === "g0" ? a.fmo : virt === "g1" ? a.imo : virt === "any" ? a.imo || a.fmo : false;
}

const CTLR_CBPR = 1 << 0;
const CTLR_EOIMODE = 1 << 1;
const CTLR_A3V = 1 << 15;
const SRE_RAO = 0b111;          // SRE, DFB, DIB
const SRE_EL2_RAO = 0b1111;     // SRE, DFB, DIB, Enable

export type CpuInterfaceState = CpuCoreState;

export class GicCpuInterface extends GicCpuCore {
  declare protected readonly gic: GicV3;

  constructor(gic: GicV3, cpu: number) { super(gic, cpu); }

  read(name: string): bigint {
    switch (name as IccRegName) {
      case "ICC_PMR_EL1": return BigInt(this.pmr);
      case "ICC_IAR0_EL1": return BigInt(this.source.acknowledge(GROUP0));
      case "ICC_IAR1_EL1": return BigInt(this.source.acknowledge(GROUP1));
      case "ICC_HPPIR0_EL1": return BigInt(this.source.highestPending(GROUP0));
      case "ICC_HPPIR1_EL1": return BigInt(this.source.highestPending(GROUP1));
      case "ICC_BPR0_EL1": return BigInt(this.bpr0);
      case "ICC_BPR1_EL1": return BigInt(this.cbpr ? Math.min(this.bpr0 + 1, 7) : this.bpr1);
      case "ICC_AP0R0_EL1": return BigInt(this.ap[0]);
      case "ICC_AP1R0_EL1": return BigInt(this.ap[1]);
      case "ICC_RPR_EL1": { const r = this.runningPriority(); return BigInt(r === IDLE ? 0xff : r); }
      case "ICC_CTLR_EL1":
        // PRIbits[10:8] = bits - 1; IDbits[13:11] = 0 (16 bits); A3V; SEIS, PMHE, RSS, ExtRange 0.
        return BigInt((this.cbpr ? CTLR_CBPR : 0) | (this.eoiMode ? CTLR_EOIMODE : 0) | ((PRI_BITS - 1) << 8) | CTLR_A3V);
      case "ICC_SRE_EL1": return BigInt(SRE_RAO);
      case "ICC_SRE_EL2": return BigInt(SRE_EL2_RAO);
      case "ICC_IGRPEN0_EL1": return this.igrpen0 ? 1n : 0n;
      case "ICC_IGRPEN1_EL1": return this.igrpen1 ? 1n : 0n;
      case "ICC_EOIR0_EL1": case "ICC_EOIR1_EL1": case "ICC_DIR_EL1":
      case "ICC_SGI0R_EL1": case "ICC_SGI1R_EL1": case "ICC_ASGI1R_EL1":
        return 0n; // write-only (the core UNDEFs reads; see ICC_REGS)
    }
    throw new RangeError(`GICv3: no system register ${name}`);
  }

  write(name: string, value: bigint): void {
    const v = Number(BigInt.asUintN(32, value));
    switch (name as IccRegName) {
      case "ICC_PMR_EL1": this.pmr = v & PRIO_MASK; break;
      case "ICC_EOIR0_EL1": this.source.endOfInterrupt(GROUP0, v & 0xff_ffff); return;
      case "ICC_EOIR1_EL1": this.source.endOfInterrupt(GROUP1, v & 0xff_ffff); return;
      case "ICC_DIR_EL1": this.source.deactivateDirect(v & 0xff_ffff); return;
      case "ICC_BPR0_EL1": this.bpr0 = Math.max(v & 7, MIN_BPR0); break;
      case "ICC_BPR1_EL1": if (!this.cbpr) this.bpr1 = Math.max(v & 7, MIN_BPR1); break;
      case "ICC_AP0R0_EL1": this.ap[0] = v >>> 0; break;
      case "ICC_AP1R0_EL1": this.ap[1] = v >>> 0; break;
      case "ICC_CTLR_EL1": this.cbpr = (v & CTLR_CBPR) !== 0; this.eoiMode = (v & CTLR_EOIMODE) !== 0; break;
      case "ICC_IGRPEN0_EL1": this.igrpen0 = (v & 1) !== 0; break;
      case "ICC_IGRPEN1_EL1": this.igrpen1 = (v & 1) !== 0; break;
      case "ICC_SGI1R_EL1": this.gic.generateSgi(this.cpu, value, GROUP1); return;
      case "ICC_SGI0R_EL1": this.gic.generateSgi(this.cpu, value, GROUP0); return;
      // "Group 1 of the other Security state": with DS = 1 a Non-secure write
      // reaches SGIs configured as Group 0 (as QEMU).
      case "ICC_ASGI1R_EL1": this.gic.generateSgi(this.cpu, value, GROUP0); return;
      case "ICC_SRE_EL1": case "ICC_SRE_EL2": return; // RAO/WI
      case "ICC_IAR0_EL1": case "ICC_IAR1_EL1": case "ICC_HPPIR0_EL1": case "ICC_HPPIR1_EL1": case "ICC_RPR_EL1":
        return; // read-only
      default: throw new RangeError(`GICv3: no system register ${name}`);
    }
    this.source.changed();
  }
}
