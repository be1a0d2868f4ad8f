// A vCPU: runs the core and turns its exit record into a VcpuExit.
import { Core, ABI } from "../core/core";
import type { VcpuExit } from "./exit";

export class Vcpu {
  readonly core: Core;
  constructor(core: Core) { this.core = core; }

  // Run for about `budget` instructions; returns why the core stopped.
  run(budget: bigint): VcpuExit {
    const c = this.core;
    const reason = c.exports.run(budget);
    const pc = c.u64(ABI.EXIT_PC);
    const esr = c.u64(ABI.EXIT_ESR);
    switch (reason) {
      case ABI.EXIT_MMIO:
        return {
          kind: "mmio", addr: c.u64(ABI.EXIT_MMIO_ADDR), size: c.u32(ABI.EXIT_MMIO_SIZE),
          isWrite: c.u32(ABI.EXIT_MMIO_WRITE) !== 0, data: c.u64(ABI.EXIT_MMIO_DATA), pc, esr, far: c.u64(ABI.EXIT_FAR),
        };
      case ABI.EXIT_HVC: return { kind: "hvc", imm: c.u32(ABI.EXIT_IMM), pc, esr };
      case ABI.EXIT_SMC: return { kind: "smc", imm: c.u32(ABI.EXIT_IMM), pc, esr };
      case ABI.EXIT_SYSREG:
        return {
          kind: "sysreg", key: c.u32(ABI.EXIT_SYSREG_KEY), rt: c.u32(ABI.EXIT_SYSREG_RT),
          isWrite: c.u32(ABI.EXIT_SYSREG_WRITE) !== 0, data: c.u64(ABI.EXIT_SYSREG_DATA), pc, esr,
        };
      case ABI.EXIT_WFI: return { kind: "wfi", pc, esr };
      case ABI.EXIT_WFE: return { kind: "wfe", pc, esr };
      case ABI.EXIT_EXCEPTION: return { kind: "exception", pc, esr, far: c.u64(ABI.EXIT_FAR), hpfar: c.u64(ABI.EXIT_HPFAR) };
      case ABI.EXIT_DEBUG: return { kind: "debug", imm: c.u32(ABI.EXIT_IMM), pc };
      case ABI.EXIT_BUDGET: return { kind: "budget" };
      case ABI.EXIT_HALT: return { kind: "halt" };
      case ABI.EXIT_STOP: return { kind: "stop" };
      case ABI.EXIT_JIT: return { kind: "jit", slot: c.u32(ABI.JIT_REQUEST_SLOT) };
      case ABI.EXIT_TIMER: return { kind: "timer" };
      default: return { kind: "internal-error", message: readMessage(c) || `unknown exit reason ${reason}` };
    }
  }

  // Complete an MMIO read (the value is zero-extended by the access size).
  completeMmioRead(data: bigint): void {
    this.core.setU64(ABI.EXIT_MMIO_DATA, data);
    this.core.setU32(ABI.EXIT_MMIO_STATUS, ABI.MMIO_OK);
  }

  // Complete an MMIO write.
  completeMmioWrite(): void { this.core.setU32(ABI.EXIT_MMIO_STATUS, ABI.MMIO_OK); }

  // Complete a host-implemented system register read (EXIT_SYSREG): the value goes to Xt.
  completeSysregRead(value: bigint): void {
    const rt = this.core.u32(ABI.EXIT_SYSREG_RT);
    if (rt !== 31) this.core.setX(rt, value);
  }

  // Nothing answers at that address: the guest takes a synchronous external abort.
  abortMmio(): void { this.core.setU32(ABI.EXIT_MMIO_STATUS, ABI.MMIO_ABORT); }
}

function readMessage(c: Core): string {
  const bytes: number[] = [];
  for (let i = 0; i < ABI.MESSAGE_SIZE; i++) {
    const b = c.readByte(ABI.MESSAGE_BASE + i);
    if (b === 0) break;
    bytes.push(b);
  }
  return String.fromCharCode(...bytes);
}
