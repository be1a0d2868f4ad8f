// PSCI (Arm DEN 0022) as the host answers it when the guest's HVC or SMC is
// aimed at an exception level the host owns. CPU power management (CPU_ON,
// CPU_OFF, AFFINITY_INFO) goes to the machine through PsciPower; a machine
// without it (one vCPU) reports them NOT_SUPPORTED.
export const PSCI_VERSION = 0x8400_0000;
export const PSCI_CPU_SUSPEND = 0xc400_0001;
export const PSCI_CPU_OFF = 0x8400_0002;
export const PSCI_CPU_ON = 0xc400_0003;
export const PSCI_AFFINITY_INFO = 0xc400_0004;
export const PSCI_MIGRATE_INFO_TYPE = 0x8400_0006;
export const PSCI_SYSTEM_OFF = 0x8400_0008;
export const PSCI_SYSTEM_RESET = 0x8400_0009;
export const PSCI_FEATURES = 0x8400_000a;

const SUCCESS = 0n;
const NOT_SUPPORTED = BigInt.asUintN(64, -1n);
export const PSCI_INVALID_PARAMETERS = BigInt.asUintN(64, -2n);
export const PSCI_ALREADY_ON = BigInt.asUintN(64, -4n);
export const PSCI_ON_PENDING = BigInt.asUintN(64, -5n);
export const PSCI_INTERNAL_FAILURE = BigInt.asUintN(64, -6n);
// AFFINITY_INFO results.
export const AFFINITY_ON = 0n, AFFINITY_OFF = 1n, AFFINITY_ON_PENDING = 2n;
const TOS_NOT_PRESENT_MP = 2n; // MIGRATE_INFO_TYPE: no Trusted OS needing migration

// The machine's side of CPU power management. Results are PSCI return codes.
export interface PsciPower {
  // Start the PE with MPIDR affinity `target` at `entry` (EL1, MMU off) with X0 = `context`.
  cpuOn(target: bigint, entry: bigint, context: bigint): bigint;
  // Power the calling PE down (the call does not return to it).
  cpuOff(): void;
  affinityInfo(target: bigint, level: bigint): bigint;
}

// The functions every machine supports, for PSCI_FEATURES; with PsciPower also CPU_ON, CPU_OFF, AFFINITY_INFO.
const SUPPORTED = new Set([PSCI_VERSION, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_MIGRATE_INFO_TYPE, PSCI_FEATURES]);
const POWER = new Set([PSCI_CPU_ON, PSCI_CPU_OFF, PSCI_AFFINITY_INFO]);

// The SMC64 function ids are the SMC32 ids with bit 30 set; both are accepted where both exist.
const SMC64 = 0x4000_0000;

function psciFeatures(fn: number, power: PsciPower | undefined): bigint {
  fn >>>= 0;
  if (SUPPORTED.has(fn)) return SUCCESS;
  if (power && (POWER.has(fn) || POWER.has((fn | SMC64) >>> 0))) return SUCCESS;
  return NOT_SUPPORTED;
}

export type PsciAction = { kind: "return"; x0: bigint } | { kind: "system-off" } | { kind: "system-reset" } | { kind: "cpu-off" };

// The function id (W0) and arguments. 32-bit calling convention arguments
// are the low words of X1..X3.
export function psciCall(x0: bigint, x1: bigint, x2 = 0n, x3 = 0n, power?: PsciPower): PsciAction {
  const fn = Number(x0 & 0xffff_ffffn) >>> 0;
  const is32 = (fn & SMC64) === 0;
  const arg = (x: bigint) => (is32 ? x & 0xffff_ffffn : x);
  if (power) {
    switch ((fn | SMC64) >>> 0) {
      case PSCI_CPU_ON: return { kind: "return", x0: power.cpuOn(arg(x1), arg(x2), arg(x3)) };
      case PSCI_AFFINITY_INFO: return { kind: "return", x0: power.affinityInfo(arg(x1), arg(x2)) };
    }
    if (fn === PSCI_CPU_OFF) { power.cpuOff(); return { kind: "cpu-off" }; }
  }
  switch (fn) {
    case PSCI_VERSION: return { kind: "return", x0: 0x0001_0001n }; // PSCI 1.1
    case PSCI_SYSTEM_OFF: return { kind: "system-off" };
    case PSCI_SYSTEM_RESET: return { kind: "system-reset" };
    case PSCI_MIGRATE_INFO_TYPE: return { kind: "return", x0: TOS_NOT_PRESENT_MP };
    case PSCI_FEATURES: return { kind: "return", x0: psciFeatures(Number(x1 & 0xffff_ffffn), power) };
  }
  return { kind: "return", x0: NOT_SUPPORTED };
}

