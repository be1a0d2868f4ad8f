// Why vcpu.run() returned: a closed union the caller matches on (in the
// manner of rust-vmm's VcpuExit and KVM's struct kvm_run).
//
// `esr` is the ESR_EL2 a hypervisor at EL2 would get for the exception the
// exit stands for (EXIT_ESR; its EC, bits 31:26, picks the VM's handler), or
// 0 where it stands for none: an MMIO exit without the host's stage 2 (the
// bare-metal Machine), WFI/WFE when the guest owns EL2. For a stage 2 Data
// Abort (mmio) `addr` is the IPA and `far` the VA the guest accessed.
export type VcpuExit =
  | { kind: "mmio"; addr: bigint; size: number; isWrite: boolean; data: bigint; pc: bigint; esr: bigint; far: bigint }
  | { kind: "hvc"; imm: number; pc: bigint; esr: bigint }
  | { kind: "smc"; imm: number; pc: bigint; esr: bigint }
  | { kind: "sysreg"; key: number; rt: number; isWrite: boolean; data: bigint; pc: bigint; esr: bigint } // host-implemented system register (ICC_*)
  | { kind: "wfi"; pc: bigint; esr: bigint }
  | { kind: "wfe"; pc: bigint; esr: bigint }
  // Another exception to EL2 (a stage 2 fault on an instruction fetch): HPFAR_EL2 as well.
  | { kind: "exception"; pc: bigint; esr: bigint; far: bigint; hpfar: bigint }
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
  "mmio", "hvc", "smc", "sysreg", "wfi", "wfe", "debug", "budget", "halt", "stop", "internal-error", "jit", "timer", "exception",
];

// ESR_ELx.EC, the exception class.
export const esrClass = (esr: bigint): number => Number((esr >> 26n) & 0x3fn);
