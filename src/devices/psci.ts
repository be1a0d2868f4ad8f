// PSCI (Arm DEN 0022) as the host answers it when the guest's HVC or SMC is
// aimed at an exception level the host owns. The foundation board has one
// CPU: power state calls for other CPUs are refused as the spec allows.
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
const TOS_NOT_PRESENT_MP = 2n; // MIGRATE_INFO_TYPE: no Trusted OS needing migration

// The functions this implementation supports, for PSCI_FEATURES.
const SUPPORTED = new Set([PSCI_VERSION, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_MIGRATE_INFO_TYPE, PSCI_FEATURES]);

function psciFeatures(fn: number): bigint {
  return SUPPORTED.has(fn >>> 0) ? SUCCESS : NOT_SUPPORTED;
}

export type PsciAction = { kind: "return"; x0: bigint } | { kind: "system-off" } | { kind: "system-reset" };

// The function id (W0) and arguments; SMC32 and SMC64 ids alike (the 0x4000_0000 bit).
export function psciCall(x0: bigint, x1: bigint): PsciAction {
  const fn = Number(x0 & 0xffff_ffffn) >>> 0;
  switch (fn) {
    case PSCI_VERSION: return { kind: "return", x0: 0x0001_0001n }; // PSCI 1.1
    case PSCI_SYSTEM_OFF: return { kind: "system-off" };
    case PSCI_SYSTEM_RESET: return { kind: "system-reset" };
    case PSCI_MIGRATE_INFO_TYPE: return { kind: "return", x0: TOS_NOT_PRESENT_MP };
    case PSCI_FEATURES: return { kind: "return", x0: psciFeatures(Number(x1 & 0xffff_ffffn)) };
  }
  return { kind: "return", x0: NOT_SUPPORTED };
}

