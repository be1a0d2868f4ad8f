// Why vcpu.run() returned: a closed union the caller matches on (in the
// manner of rust-vmm's VcpuExit and KVM's struct kvm_run).
export type VcpuExit =
  | { kind: "mmio"; addr: bigint; size: number; isWrite: boolean; data: bigint; pc: bigint }
  | { kind: "hvc"; imm: number; pc: bigint }
  | { kind: "smc"; imm: number; pc: bigint }
  | { kind: "sysreg"; key: number; rt: number; isWrite: boolean; data: bigint; pc: bigint } // host-implemented system register (ICC_*)
  | { kind: "wfi"; pc: bigint }
  | { kind: "wfe"; pc: bigint }
  | { kind: "debug"; imm: number; pc: bigint }   // semihosting call (HLT #0xF000)
  | { kind: "budget" }
  | { kind: "halt" }
  | { kind: "stop" }
  | { kind: "internal-error"; message: string }
  | { kind: "jit"; slot: number }               // a code page became hot (JIT enabled)
  | { kind: "timer" };                           // the guest reprogrammed a generic timer (re-read TIMER_LINES)

export type ExitKind = VcpuExit["kind"];

// Exit reasons by number (the EXIT_* values of assembly/abi.ts).
export const EXIT_NAMES: readonly ExitKind[] = [
  "internal-error", // 0: EXIT_NONE never reaches the host; reported as an internal error
  "mmio", "hvc", "smc", "sysreg", "wfi", "wfe", "debug", "budget", "halt", "stop", "internal-error", "jit", "timer",
];
