// Machine configuration the host writes into the CONFIG block; copied into
// globals at run() entry so the hot path never re-reads it.
import {
  CONFIG_RAM_BASE, CONFIG_RAM_SIZE, CONFIG_HIGHEST_EL, CONFIG_SEMIHOSTING, CONFIG_FP, CONFIG_GIC,
  CONFIG_HOST_STAGE2, CONFIG_NO_VHE, CONFIG_NV, CONFIG_RAS, CONFIG_PAUTH,
} from "../abi";

export let ramBase: u64 = 0x4000_0000;
export let ramSize: u64 = 0;
let highest: u32 = 3;
export let semihosting: bool = false;
// FP/AdvSIMD implemented (CONFIG_FP): read by the decoder, so it must not
// change while decoded code exists (the host fixes it for a machine's life).
export let fpEnabled: bool = false;
// The host implements a GICv3 CPU interface (CONFIG_GIC = 3): ICC_* accesses
// leave run() as EXIT_SYSREG. Read by the decoder, so fixed for a machine's life.
export let gicSysregs: bool = false;
// The host is the guest's hypervisor and owns EL2 (CONFIG_HOST_STAGE2, with
// the guest's highest EL 1): EL1&0 translations go through the stage 2 the
// host describes in the vCPU's HCR_EL2/VTCR_EL2/VTTBR_EL2, and stage 2
// faults leave run(). EL2 still does not exist for the guest: everything it
// can observe of EL2 asks el2Enabled(), which stays false.
export let hostStage2: bool = false;
// FEAT_VHE implemented (with EL2, unless CONFIG_NO_VHE hides it).
export let vheImplemented: bool = true;
// FEAT_NV and FEAT_NV2 implemented (CONFIG_NV, with FEAT_VHE, which they require).
export let nvControls: bool = false;
// FEAT_RAS implemented (CONFIG_RAS): read by the decoder (ESB, the RAS
// registers), so fixed for a machine's life.
export let rasImplemented: bool = false;
// FEAT_PAuth implemented (CONFIG_PAUTH). Read by the decoder, so fixed for a machine's life.
export let pauthImplemented: bool = false;

export function loadConfig(): void {
  ramBase = load<u64>(CONFIG_RAM_BASE);
  ramSize = load<u64>(CONFIG_RAM_SIZE);
  highest = load<u32>(CONFIG_HIGHEST_EL);
  if (highest < 1 || highest > 3) highest = 1;
  semihosting = load<u32>(CONFIG_SEMIHOSTING) != 0;
  fpEnabled = load<u32>(CONFIG_FP) != 0;
  gicSysregs = load<u32>(CONFIG_GIC) == 3;
  hostStage2 = highest == 1 && load<u32>(CONFIG_HOST_STAGE2) != 0;
  vheImplemented = highest >= 2 && load<u32>(CONFIG_NO_VHE) == 0;
  nvControls = vheImplemented && load<u32>(CONFIG_NV) != 0;
  rasImplemented = load<u32>(CONFIG_RAS) != 0;
  pauthImplemented = load<u32>(CONFIG_PAUTH) != 0;
}

// The highest exception level implemented for guest software. Levels above
// it are owned by the host: HVC and SMC aimed at them leave run().
@inline export function highestEL(): u32 { return highest; }
