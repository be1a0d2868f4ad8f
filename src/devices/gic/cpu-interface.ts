// The GICv3 CPU interface of one PE: the ICC_*_EL1 system registers
// (IHI 0069 chapter 12.2), as seen at EL1/EL2 with GICD_CTLR.DS = 1 (one
// Security state: Group 1 is Non-secure Group 1, Group 0 is reachable from
// EL1). Priority masking (PMR), the binary points, the active priority
// registers (AP0R0/AP1R0: one bit per group priority, 32 with 5 priority
// bits) from which the running priority follows, acknowledge, priority drop
// and deactivation (EOImode), and SGI generation.
import type { GicV3 } from "../gicv3";
import { SPURIOUS, GROUP0, GROUP1, PRI_BITS, PRIO_MASK } from "./constants";

// Encodings (op0, op1, CRn, CRm, op2) and direction of each register modelled.
// AP0R1-3/AP1R1-3 do not exist with 5 priority bits (UNDEFINED).
export const ICC_REGS = {
  ICC_PMR_EL1: { enc: [3, 0, 4, 6, 0], access: "rw" },
  ICC_IAR0_EL1: { enc: [3, 0, 12, 8, 0], access: "r" },
  ICC_EOIR0_EL1: { enc: [3, 0, 12, 8, 1], access: "w" },
  ICC_HPPIR0_EL1: { enc: [3, 0, 12, 8, 2], access: "r" },
  ICC_BPR0_EL1: { enc: [3, 0, 12, 8, 3], access: "rw" },
  ICC_AP0R0_EL1: { enc: [3, 0, 12, 8, 4], access: "rw" },
  ICC_AP1R0_EL1: { enc: [3, 0, 12, 9, 0], access: "rw" },
  ICC_DIR_EL1: { enc: [3, 0, 12, 11, 1], access: "w" },
  ICC_RPR_EL1: { enc: [3, 0, 12, 11, 3], access: "r" },
  ICC_SGI1R_EL1: { enc: [3, 0, 12, 11, 5], access: "w" },
  ICC_ASGI1R_EL1: { enc: [3, 0, 12, 11, 6], access: "w" },
  ICC_SGI0R_EL1: { enc: [3, 0, 12, 11, 7], access: "w" },
  ICC_IAR1_EL1: { enc: [3, 0, 12, 12, 0], access: "r" },
  ICC_EOIR1_EL1: { enc: [3, 0, 12, 12, 1], access: "w" },
  ICC_HPPIR1_EL1: { enc: [3, 0, 12, 12, 2], access: "r" },
  ICC_BPR1_EL1: { enc: [3, 0, 12, 12, 3], access: "rw" },
  ICC_CTLR_EL1: { enc: [3, 0, 12, 12, 4], access: "rw" },
  ICC_SRE_EL1: { enc: [3, 0, 12, 12, 5], access: "rw" },
  ICC_IGRPEN0_EL1: { enc: [3, 0, 12, 12, 6], access: "rw" },
  ICC_IGRPEN1_EL1: { enc: [3, 0, 12, 12, 7], access: "rw" },
  ICC_SRE_EL2: { enc: [3, 4, 12, 9, 5], access: "rw" },
} as const satisfies Record<string, { enc: readonly [number, number, number, number, number]; access: "r" | "w" | "rw" }>;

export type IccRegName = keyof typeof ICC_REGS;

const byEncoding = new Map<number, IccRegName>();
for (const [name, r] of Object.entries(ICC_REGS) as [IccRegName, (typeof ICC_REGS)[IccRegName]][]) {
  const [op0, op1, crn, crm, op2] = r.enc;
  byEncoding.set(encKey(op0, op1, crn, crm, op2), name);
}
function encKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

// The register an MRS/MSR encoding names, if this model implements it.
export function iccRegisterName(op0: number, op1: number, crn: number, crm: number, op2: number): IccRegName | undefined {
  return byEncoding.get(encKey(op0, op1, crn, crm, op2));
}

const MIN_BPR0 = 7 - PRI_BITS;  // 2: the group priority is all 5 bits
const MIN_BPR1 = MIN_BPR0 + 1;  // Group 1's binary point counts one lower
const CTLR_CBPR = 1 << 0;
const CTLR_EOIMODE = 1 << 1;
const CTLR_A3V = 1 << 15;
const SRE_RAO = 0b111;          // SRE, DFB, DIB
const SRE_EL2_RAO = 0b1111;     // SRE, DFB, DIB, Enable
const IDLE = 0x100;             // no active priority

export interface CpuInterfaceState {
  pmr: number; bpr0: number; bpr1: number; cbpr: boolean; eoiMode: boolean;
  igrpen0: boolean; igrpen1: boolean; ap0: number; ap1: number;
}

export class GicCpuInterface {
  pmr = 0;
  bpr0 = MIN_BPR0;
  bpr1 = MIN_BPR1;
  cbpr = false;
  eoiMode = false;
  igrpen0 = false;
  igrpen1 = false;
  ap = [0, 0]; // ICC_AP0R0_EL1, ICC_AP1R0_EL1

  constructor(private readonly gic: GicV3, readonly cpu: number) {}

  reset(): void {
    this.pmr = 0; this.bpr0 = MIN_BPR0; this.bpr1 = MIN_BPR1; this.cbpr = false; this.eoiMode = false;
    this.igrpen0 = false; this.igrpen1 = false; this.ap = [0, 0];
  }

  groupEnabled(group: number): boolean { return group === GROUP1 ? this.igrpen1 : this.igrpen0; }

  // The running priority: that of the highest active group priority bit, or IDLE.
  runningPriority(): number {
    const all = (this.ap[0] | this.ap[1]) >>> 0;
    return all ? lowestBit(all) << (8 - PRI_BITS) : IDLE;
  }

  // The group priority field of a priority, by the binary point that applies.
  private groupPriorityMask(group: number): number {
    if (group === GROUP1 && !this.cbpr) return (0xff << this.bpr1) & 0xff;
    return (0xff << (this.bpr0 + 1)) & 0xff;
  }

  // Whether a pending interrupt of `prio` is signalled: above the priority
  // mask, and its group priority above the running priority.
  canPreempt(prio: number, group: number): boolean {
    if (prio >= this.pmr) return false;
    const running = this.runningPriority();
    return running === IDLE || (prio & this.groupPriorityMask(group)) < running;
  }

  // Which group holds the highest active priority (-1: none); Group 0 on a tie.
  private highestActiveGroup(): number {
    const [a0, a1] = this.ap;
    if (!a0 && !a1) return -1;
    if (!a1) return GROUP0;
    if (!a0) return GROUP1;
    return lowestBit(a0) <= lowestBit(a1) ? GROUP0 : GROUP1;
  }

  private acknowledge(group: number): number {
    const gic = this.gic, c = this.cpu;
    const intid = gic.hppiId[c], prio = gic.hppiPrio[c];
    if (intid === SPURIOUS || gic.hppiGroup[c] !== group || !this.canPreempt(prio, group)) return SPURIOUS;
    this.ap[group] = (this.ap[group] | (1 << ((prio & this.groupPriorityMask(group)) >> (8 - PRI_BITS)))) >>> 0;
    gic.activate(c, intid);
    gic.update();
    return intid;
  }

  // EOIR: drop the highest active priority (if it is this group's), and with
  // EOImode = 0 deactivate the interrupt too. Special INTIDs are ignored.
  private endOfInterrupt(group: number, value: bigint): void {
    const intid = Number(value & 0xff_ffffn);
    if (intid >= 1020 || this.highestActiveGroup() !== group) return;
    const a = this.ap[group];
    this.ap[group] = (a & (a - 1)) >>> 0;
    if (!this.eoiMode) this.gic.deactivate(this.cpu, intid);
    this.gic.update();
  }

  private highestPending(group: number): number {
    return this.gic.hppiId[this.cpu] !== SPURIOUS && this.gic.hppiGroup[this.cpu] === group ? this.gic.hppiId[this.cpu] : SPURIOUS;
  }

  read(name: string): bigint {
    switch (name as IccRegName) {
      case "ICC_PMR_EL1": return BigInt(this.pmr);
      case "ICC_IAR0_EL1": return BigInt(this.acknowledge(GROUP0));
      case "ICC_IAR1_EL1": return BigInt(this.acknowledge(GROUP1));
      case "ICC_HPPIR0_EL1": return BigInt(this.highestPending(GROUP0));
      case "ICC_HPPIR1_EL1": return BigInt(this.highestPending(GROUP1));
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
      case "ICC_EOIR0_EL1": this.endOfInterrupt(GROUP0, value); return;
      case "ICC_EOIR1_EL1": this.endOfInterrupt(GROUP1, value); return;
      case "ICC_DIR_EL1": {
        const intid = v & 0xff_ffff;
        if (!this.eoiMode || intid >= 1020) return; // with EOImode = 0 DIR is UNPREDICTABLE: ignored
        this.gic.deactivate(this.cpu, intid);
        break;
      }
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
    this.gic.update();
  }

  saveState(): CpuInterfaceState {
    return { pmr: this.pmr, bpr0: this.bpr0, bpr1: this.bpr1, cbpr: this.cbpr, eoiMode: this.eoiMode,
      igrpen0: this.igrpen0, igrpen1: this.igrpen1, ap0: this.ap[0], ap1: this.ap[1] };
  }

  restoreState(s: CpuInterfaceState): void {
    this.pmr = s.pmr & PRIO_MASK; this.bpr0 = s.bpr0 & 7; this.bpr1 = s.bpr1 & 7; this.cbpr = !!s.cbpr; this.eoiMode = !!s.eoiMode;
    this.igrpen0 = !!s.igrpen0; this.igrpen1 = !!s.igrpen1; this.ap = [s.ap0 >>> 0, s.ap1 >>> 0];
  }
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
