// Reporting a translation fault (AArch64.Abort): stage 1 faults go to the
// regime's EL, stage 2 faults to EL2 with HPFAR_EL2 and, for a single load or
// store of a general-purpose register, the instruction syndrome (ISV) a
// hypervisor needs to emulate the access from ESR_EL2 alone. When the host
// is the hypervisor, stage 2 faults leave run() with that syndrome instead.
import { SR_HPFAR_EL2, SLOT_SINK, EXIT_EXCEPTION, EXIT_PC } from "../abi";
import { currentEL, setSysreg } from "../cpu/state";
import { hostStage2 } from "../cpu/config";
import { setNextPC, requestExit, exitSyndrome } from "../cpu/context";
import { syncTargetEL, takeException, externalAbortToEL3, externalAbortTargetEL } from "../except/exception";
import { syndrome, hpfarOf, EC_DABT_LOW, EC_DABT_CUR, EC_IABT_LOW, EC_IABT_CUR, VECT_SYNC } from "../except/syndrome";
import { fKind, fLevel, fStage2, fS1PTW, fIPA, AT_EXEC, AT_WRITE, FAULT_EXTERNAL_WALK } from "./translate";
import * as O from "../decode/ops";

// The ISS bits 24:14 (ISV, SAS, SSE, SRT, SF, AR) for the instruction whose
// decoded entry is at e, or 0 if it is not a single GPR load/store without writeback.
function instructionSyndrome(e: usize): u32 {
  if (e == 0) return 0;
  let w = load<u64>(e);
  let op = <u32>w & 0xffff;
  let rt = <u32>(w >> 16) & 0xff;
  if (rt == SLOT_SINK) rt = 31;
  let size: u32, sse: u32 = 0, sf: u32 = 0, ar: u32 = 0;
  if (op >= <u32>O.OP_LDST && op < <u32>O.OP_PAIR) {
    let mode = (op - O.OP_LDST) / O.MEMOP_COUNT, m = (op - O.OP_LDST) % O.MEMOP_COUNT;
    if (mode == O.MODE_PRE || mode == O.MODE_POST || m == O.MEMOP_PRFM) return 0;
    switch (m) {
      case O.MEMOP_LDRB: case O.MEMOP_STRB: size = 0; break;
      case O.MEMOP_LDRSBX: size = 0; sse = 1; sf = 1; break;
      case O.MEMOP_LDRSBW: size = 0; sse = 1; break;
      case O.MEMOP_LDRH: case O.MEMOP_STRH: size = 1; break;
      case O.MEMOP_LDRSHX: size = 1; sse = 1; sf = 1; break;
      case O.MEMOP_LDRSHW: size = 1; sse = 1; break;
      case O.MEMOP_LDRW: case O.MEMOP_STRW: size = 2; break;
      case O.MEMOP_LDRSW: size = 2; sse = 1; sf = 1; break;
      default: size = 3; sf = 1;
    }
  } else if (op == O.OP_LDAR || op == O.OP_STLR) {
    size = <u32>(w >> 48) & 3; sf = size == 3 ? 1 : 0; ar = 1;
  } else if (op == O.OP_LDR_LIT) {
    let m = <u32>(w >> 48);
    if (m == O.MEMOP_PRFM) return 0;
    size = m == O.MEMOP_LDRX ? 3 : 2; sf = m == O.MEMOP_LDRW ? 0 : 1; sse = m == O.MEMOP_LDRSW ? 1 : 0;
  } else return 0;
  return (1 << 24) | (size << 22) | (sse << 21) | (rt << 16) | (sf << 15) | (ar << 14);
}

// The last translation failed at the host's stage 2: the IPA has no RAM
// behind it. Not a fault the guest sees: a data access there is MMIO.
@inline export function hostStage2Fault(): bool { return hostStage2 && fStage2; }

// ESR_EL2 for the stage 2 fault described by translate.ts's f* globals, on
// an access of type acc by the instruction whose entry is at e (0 for a
// fetch). byAT: a fault on the stage 1 walk of an AT instruction, reported
// with CM = 1 and WnR = 1.
export function stage2Syndrome(acc: u32, e: usize, byAT: bool): u64 {
  let isExec = acc == AT_EXEC;
  let wnr: u32 = acc == AT_WRITE || byAT ? 1 << 6 : 0;
  let iss: u32 = fKind + fLevel;
  if (byAT) iss |= (1 << 8) | wnr;                   // CM, WnR
  if (fS1PTW) iss |= (1 << 7) | (isExec ? 0 : wnr); // S1PTW; WnR is the access's
  else if (!isExec) iss |= wnr | instructionSyndrome(e);
  return syndrome(isExec ? EC_IABT_LOW : EC_DABT_LOW, iss);
}

// Takes the abort for the fault described by translate.ts's f* globals.
// va: the faulting address; pc: the instruction; e: its entry (0 for a fetch).
// byAT: the fault is a stage 2 fault on the stage 1 walk of an AT instruction
// executed at EL1, reported with CM = 1 and WnR = 1.
export function reportTranslationFault(va: u64, acc: u32, pc: u64, e: usize, byAT: bool = false): void {
  let fsc = fKind + fLevel;
  let isExec = acc == AT_EXEC;
  // An External abort on a walk goes to EL3 under SCR_EL3.EA, at either stage.
  let toEL3 = fKind == FAULT_EXTERNAL_WALK && externalAbortToEL3();
  if (fStage2 && !toEL3) {
    let esr = stage2Syndrome(acc, e, byAT);
    if (hostStage2) {
      // The host is the hypervisor. Data accesses became MMIO exits before
      // reaching here (memory.ts) and walks external aborts (translate.ts):
      // what is left is an instruction fetch from an IPA without RAM, which
      // the host reports; the vCPU stays before the instruction.
      exitSyndrome(esr, va, hpfarOf(fIPA));
      store<u64>(EXIT_PC, pc);
      setNextPC(pc);
      requestExit(EXIT_EXCEPTION);
      return;
    }
    setSysreg(SR_HPFAR_EL2, hpfarOf(fIPA));
    setNextPC(takeException(2, VECT_SYNC, esr, va, true, pc));
    return;
  }
  let wnr: u32 = acc == AT_WRITE || byAT ? 1 << 6 : 0;
  // A stage 1 walk's External abort: SCR_EL3.EA, HCR_EL2.TEA routing.
  let target: u32 = fKind == FAULT_EXTERNAL_WALK ? externalAbortTargetEL() : syncTargetEL();
  let lower = target > currentEL();
  let ec = isExec ? (lower ? EC_IABT_LOW : EC_IABT_CUR) : (lower ? EC_DABT_LOW : EC_DABT_CUR);
  setNextPC(takeException(target, VECT_SYNC, syndrome(ec, fsc | (isExec ? 0 : wnr)), va, true, pc));
}
