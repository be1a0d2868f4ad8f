// The shared-memory line between the AssemblyScript core and the TypeScript host.
//
// This file is the single declaration of the layout. It is written in the
// subset of TypeScript that AssemblyScript also compiles (integer constants
// only), and BOTH halves import it: the core compiles these offsets into its
// loads and stores, the host builds its typed-array views from them. The core
// exports ABI_VERSION and the host refuses a core built from another layout.
//
// Linear memory map (byte offsets in the WebAssembly.Memory):
//   0x0000_1000  EXIT record        (core -> host: why run() returned)
//   0x0000_1100  CONTROL block      (host -> core: interrupt lines, stop)
//   0x0000_1200  CONFIG block       (host -> core, read at init/run entry)
//   0x0000_1400  MESSAGE            (INTERNAL_ERROR text, NUL-terminated)
//   0x0000_2000  VCPU state         (architectural registers of the running vCPU;
//                                    X slots, PSTATE, system registers, V0..V31 at 0x2800)
//   0x0000_4000  COUNTERS           (instructions, exceptions, ERETs, exits)
//   0x0000_8000  MMIO replay log
//   0x0001_0000  TLB                (TLB_ENTRIES x TLB_ENTRY_SIZE)
//   0x0004_0000  AssemblyScript static data (--memoryBase)
//   0x0010_0000  decoded-code slots (CODE_SLOTS x CODE_SLOT_SIZE)
//   0x0120_0000  page -> slot map   (u16 per 4 KiB page of guest RAM)
//   0x0140_0000  guest RAM          (RAM_HOST_BASE; host grows memory to fit)

export const ABI_VERSION = 16; // 2: V0..V31, FPCR/FPSR storage, CONFIG_FP; 3: generic timers, TIMER block; 4: CONFIG_GIC, EXIT_SYSREG record; 5: debug breakpoint/watchpoint registers; 6: JIT_ENABLED holds the heat threshold; 7: ESR/FAR/HPFAR in the exit record, CONFIG_HOST_STAGE2, EXIT_EXCEPTION, LINE_VIRQ/LINE_VFIQ; 8: FEAT_VHE (TTBR1_EL2, CONTEXTIDR_EL2, CNTHV_*, TIMER_HYPVIRT); 9: CONFIG_NO_VHE; 10: CONFIG_NV; 11: SR_VNCR_EL2; 12: ICH_TRAPS; 13: FEAT_LOR (SR_LORSA_EL1, SR_LOREA_EL1, SR_LORC_EL1); 14: CONFIG_RAS, SR_DISR_EL1, SR_VDISR_EL2, SR_VSESR_EL2; 15: FEAT_PMUv3 (SR_PMCR_EL0..SR_PMU_SNAPSHOT, TIMER_PMU); 16: CONFIG_PAUTH, SR_APIAKEYLO_EL1..SR_APGAKEYHI_EL1, JIT_PAC_KEYS

// ---- EXIT record -----------------------------------------------------------
export const EXIT_BASE = 0x1000;
export const EXIT_REASON = EXIT_BASE + 0x00; // u32, one of EXIT_*
export const EXIT_MMIO_ADDR = EXIT_BASE + 0x08; // u64 physical address
export const EXIT_MMIO_DATA = EXIT_BASE + 0x10; // u64 write data / read result (host fills)
export const EXIT_MMIO_SIZE = EXIT_BASE + 0x18; // u32 bytes: 1, 2, 4, 8
export const EXIT_MMIO_WRITE = EXIT_BASE + 0x1c; // u32 1 = write
export const EXIT_MMIO_STATUS = EXIT_BASE + 0x20; // u32 host's answer: MMIO_OK / MMIO_ABORT
export const EXIT_MMIO_REG = EXIT_BASE + 0x24; // u32 target/source register (informational)
export const EXIT_IMM = EXIT_BASE + 0x28; // u32 HVC/SMC/HLT immediate
export const EXIT_PC = EXIT_BASE + 0x30; // u64 PC of the exiting instruction
export const EXIT_EL = EXIT_BASE + 0x38; // u32 exception level at the exit
// EXIT_SYSREG: an access to a system register the host implements (the GICv3
// CPU interface, ICC_*). The instruction has retired; for a read the host
// writes the value to X[EXIT_SYSREG_RT] (unless it is 31) before the next run.
export const EXIT_SYSREG_KEY = EXIT_BASE + 0x40;   // u32 op0:op1:CRn:CRm:op2 (16 bits)
export const EXIT_SYSREG_RT = EXIT_BASE + 0x44;    // u32
export const EXIT_SYSREG_WRITE = EXIT_BASE + 0x48; // u32 1 = MSR
export const EXIT_SYSREG_DATA = EXIT_BASE + 0x50;  // u64 the value an MSR wrote
// The syndrome of an exit that stands for an exception to EL2 taken by the
// host as hypervisor (MMIO = stage-2 data abort, HVC, SMC, SYSREG, WFI/WFE):
// the ESR_EL2, FAR_EL2 and HPFAR_EL2 values the architecture would give a
// hypervisor at EL2 for it. 0 for the other exits.
export const EXIT_ESR = EXIT_BASE + 0x58;    // u64 ESR_EL2 (EC in bits 31:26)
export const EXIT_FAR = EXIT_BASE + 0x60;    // u64 FAR_EL2 (the faulting VA of an abort)
export const EXIT_HPFAR = EXIT_BASE + 0x68;  // u64 HPFAR_EL2 (IPA[51:12] in bits 43:4, for stage-2 aborts)

export const EXIT_NONE = 0;
export const EXIT_MMIO = 1;
export const EXIT_HVC = 2;
export const EXIT_SMC = 3;
export const EXIT_SYSREG = 4;
export const EXIT_WFI = 5;
export const EXIT_WFE = 6;
export const EXIT_DEBUG = 7; // semihosting call (HLT #0xF000), when enabled
export const EXIT_BUDGET = 8;
export const EXIT_HALT = 9;
export const EXIT_STOP = 10; // host asked the core to stop (CONTROL_STOP)
export const EXIT_INTERNAL_ERROR = 11;
export const EXIT_JIT = 12; // a code page is hot: the host may compile it (JIT_REQUEST_SLOT)
export const EXIT_TIMER = 13; // the guest reprogrammed a timer: re-read TIMER_LINES / TIMER_DEADLINE
// An exception to EL2 taken by the host as hypervisor that no exit above
// stands for (a stage 2 fault on an instruction fetch): EXIT_ESR, EXIT_FAR
// and EXIT_HPFAR describe it; the instruction at EXIT_PC has not run.
export const EXIT_EXCEPTION = 14;
export const EXIT_REASON_COUNT = 16;

export const MMIO_OK = 0;
export const MMIO_ABORT = 1; // no device: the core takes a synchronous external abort

// ---- CONTROL block (host -> core) -------------------------------------------
export const CONTROL_BASE = 0x1100;
export const CONTROL_LINES = CONTROL_BASE + 0x00; // u32: bit0 IRQ, bit1 FIQ, bit2 SError, bit31 STOP
export const LINE_IRQ = 1;
export const LINE_FIQ = 2;
export const LINE_SERROR = 4;
// Virtual interrupts from the host's GIC virtual CPU interface (list
// registers, guest-owns-EL2 mode): OR'ed with HCR_EL2.VI / HCR_EL2.VF and
// taken at EL1/EL0 as virtual IRQ / FIQ when HCR_EL2.IMO / FMO route them.
export const LINE_VIRQ = 8;
export const LINE_VFIQ = 16;
export const LINE_STOP = 0x80000000;
// The generic timers (host <-> core). The physical count is instructions
// retired plus TIME_OFFSET, which the host may advance (to skip idle time).
export const TIME_OFFSET = CONTROL_BASE + 0x08;     // u64, host-written
export const TIMER_LINES = CONTROL_BASE + 0x10;     // u32, core-written at every exit: bit per asserted timer output
export const TIMER_DEADLINE = CONTROL_BASE + 0x18;  // u64, core-written: instructions-retired value at which the next timer fires (max = none)
// u32, host-written before each run: the running vCPU's ICH_HCR_EL2 trap
// bits TC (10), TALL0 (11), TALL1 (12) from the host's GIC virtual interface;
// the core traps EL1's ICC_* accesses to EL2 for them (EC 0x18) before any exit.
export const ICH_TRAPS = CONTROL_BASE + 0x20;
export const ICH_HCR_TC = 1 << 10;
export const ICH_HCR_TALL0 = 1 << 11;
export const ICH_HCR_TALL1 = 1 << 12;
export const TIMER_PHYS = 1;   // CNTP, PPI 14 (INTID 30)
export const TIMER_VIRT = 2;   // CNTV, PPI 11 (INTID 27)
export const TIMER_HYP = 4;    // CNTHP, PPI 10 (INTID 26)
export const TIMER_HYPVIRT = 8; // CNTHV (FEAT_VHE's EL2 virtual timer), PPI 12 (INTID 28)
// Not a timer: the PMU's overflow interrupt request (PMUIRQ, cpu/pmu.ts), PPI 7
// (INTID 23) on the virt board, published and routed like the timer outputs.
export const TIMER_PMU = 16;

// ---- CONFIG block (host -> core) --------------------------------------------
export const CONFIG_BASE = 0x1200;
export const CONFIG_RAM_BASE = CONFIG_BASE + 0x00; // u64 guest-physical base of RAM
export const CONFIG_RAM_SIZE = CONFIG_BASE + 0x08; // u64 bytes
export const CONFIG_HIGHEST_EL = CONFIG_BASE + 0x10; // u32 highest EL the guest owns (1..3)
export const CONFIG_SEMIHOSTING = CONFIG_BASE + 0x14; // u32 1 = HLT #0xF000 exits to host
export const CONFIG_CPU_INDEX = CONFIG_BASE + 0x18; // u32 -> MPIDR_EL1.Aff0
// u32 1 = FP/AdvSIMD (phase 1: the SIMD&FP loads and stores, scalar FP, the
// AdvSIMD copy/move basics) decoded and advertised in ID_AA64PFR0_EL1;
// 0 = every SIMD&FP encoding UNDEFINED, FP = AdvSIMD = 0xF. Fixed for a
// machine's life (decoded code is cached with the decision in it).
export const CONFIG_FP = CONFIG_BASE + 0x1c;
export const CONFIG_GIC = CONFIG_BASE + 0x20; // u32 3 = a GICv3 whose CPU interface (ICC_*) the host implements
// u32 1 = the host is the hypervisor and owns EL2 with a stage-2 table it
// built (with CONFIG_HIGHEST_EL = 1): the host writes HCR_EL2, VTCR_EL2 and
// VTTBR_EL2 (VMID in bits 63:48) into the vCPU's system-register storage; the
// guest cannot reach them (EL2 does not exist for it), its EL1&0 accesses go
// through that stage 2, TLB entries carry the VMID, and a stage-2 fault on a
// data access leaves run() as EXIT_MMIO with EXIT_ESR/FAR/HPFAR filled (the
// address is the IPA; the host completes the access even with ISV = 0),
// on an instruction fetch as EXIT_EXCEPTION (EC 0x20), and on a stage 1
// table walk gives the guest a synchronous External abort on the walk, as
// hardware without anything at that address would (and as KVM injects).
export const CONFIG_HOST_STAGE2 = CONFIG_BASE + 0x24;
// u32 1 = FEAT_VHE not implemented, as on a Cortex-A57 (ID_AA64MMFR1_EL1.VH
// = 0, HCR_EL2.E2H RES0, TTBR1_EL2, CONTEXTIDR_EL2, CNTHV_* and the
// *_EL12/_EL02 encodings UNDEFINED); 0 = implemented when EL2 is.
export const CONFIG_NO_VHE = CONFIG_BASE + 0x28;
// u32 1 = FEAT_NV and FEAT_NV2 are implemented when FEAT_VHE is (with EL2,
// without CONFIG_NO_VHE): HCR_EL2.{NV, NV1, NV2, AT} and VNCR_EL2, and
// ID_AA64MMFR2_EL1.NV = 2. The host writes 1 unless told otherwise.
export const CONFIG_NV = CONFIG_BASE + 0x2c;
// u32 1 = FEAT_RAS (Armv8.2 RAS, the PE side, no error records: ERRIDR_EL1.NUM
// = 0) is implemented: ESB, DISR_EL1, the RAS error record registers,
// HCR_EL2.{TERR, TEA}, SCR_EL3.TERR, with EL2 VDISR_EL2 and VSESR_EL2, and
// ID_AA64PFR0_EL1.RAS = 1. The host writes 1 unless told otherwise. An ESB
// that defers a pending physical SError (LINE_SERROR) into DISR_EL1 clears
// LINE_SERROR in CONTROL_LINES: the SError is consumed.
export const CONFIG_RAS = CONFIG_BASE + 0x30;
// u32 1 = FEAT_PAuth with FEAT_PACQARMA5 (ID_AA64ISAR1_EL1.APA = GPA = 1):
// the PAC/AUT/XPAC instructions, the key registers, HCR_EL2.{API, APK} and
// SCR_EL3.{API, APK}; 0 = the hint-space PAC instructions are NOPs and the
// others UNDEFINED. Read by the decoder: fixed for a machine's life. The
// host's default is src/core/core.ts PAUTH_DEFAULT.
export const CONFIG_PAUTH = CONFIG_BASE + 0x34;

// ---- MESSAGE ----------------------------------------------------------------
export const MESSAGE_BASE = 0x1400;
export const MESSAGE_SIZE = 0x100;

// ---- VCPU state -------------------------------------------------------------
export const VCPU_BASE = 0x2000;
// Register slots, 8 bytes each. Slots 0..30 are X0..X30. The decoder maps the
// register number 31 to ZR or SP at decode time, so execution never tests it:
export const X_BASE = VCPU_BASE;
export const SLOT_ZR = 31; // reads as zero, never written
export const SLOT_SINK = 32; // writes to XZR land here
export const SLOT_SP = 33; // the stack pointer selected by PSTATE.{EL,SP}
export const PC = VCPU_BASE + 0x200; // u64
export const PSTATE_NZCV = VCPU_BASE + 0x208; // u32, N Z C V in bits 31..28 (the NZCV register layout)
export const PSTATE_EL = VCPU_BASE + 0x20c; // u32 0..3
export const PSTATE_SP = VCPU_BASE + 0x210; // u32 SPSel
export const PSTATE_DAIF = VCPU_BASE + 0x214; // u32, D A I F in bits 9..6 (the DAIF register layout)
export const PSTATE_PAN = VCPU_BASE + 0x218; // u32
export const PSTATE_UAO = VCPU_BASE + 0x21c; // u32
export const PSTATE_SS = VCPU_BASE + 0x220; // u32
export const PSTATE_IL = VCPU_BASE + 0x224; // u32
export const EVENT_REGISTER = VCPU_BASE + 0x228; // u32 (SEV/WFE)
export const EXCL_ADDR = VCPU_BASE + 0x230; // u64 exclusive monitor address (physical)
export const EXCL_SIZE = VCPU_BASE + 0x238; // u32 bytes, 0 = open
export const SP_EL_BASE = VCPU_BASE + 0x240; // u64 x4: SP_EL0..SP_EL3 (the banked copies)
// System registers: SYSREG_BASE + 8 * SR_<name>.
export const SYSREG_BASE = VCPU_BASE + 0x400;

// System-register storage indices (names from the Arm ARM).
export const SR_SCTLR_EL1 = 0;
export const SR_SCTLR_EL2 = 1;
export const SR_SCTLR_EL3 = 2;
export const SR_ACTLR_EL1 = 3;
export const SR_ACTLR_EL2 = 4;
export const SR_ACTLR_EL3 = 5;
export const SR_CPACR_EL1 = 6;
export const SR_CPTR_EL2 = 7;
export const SR_CPTR_EL3 = 8;
export const SR_HCR_EL2 = 9;
export const SR_SCR_EL3 = 10;
export const SR_MDCR_EL2 = 11;
export const SR_MDCR_EL3 = 12;
export const SR_TTBR0_EL1 = 13;
export const SR_TTBR1_EL1 = 14;
export const SR_TCR_EL1 = 15;
export const SR_MAIR_EL1 = 16;
export const SR_AMAIR_EL1 = 17;
export const SR_TTBR0_EL2 = 18;
export const SR_TCR_EL2 = 19;
export const SR_MAIR_EL2 = 20;
export const SR_AMAIR_EL2 = 21;
export const SR_TTBR0_EL3 = 22;
export const SR_TCR_EL3 = 23;
export const SR_MAIR_EL3 = 24;
export const SR_AMAIR_EL3 = 25;
export const SR_VTTBR_EL2 = 26;
export const SR_VTCR_EL2 = 27;
export const SR_ESR_EL1 = 28;
export const SR_ESR_EL2 = 29;
export const SR_ESR_EL3 = 30;
export const SR_FAR_EL1 = 31;
export const SR_FAR_EL2 = 32;
export const SR_FAR_EL3 = 33;
export const SR_ELR_EL1 = 34;
export const SR_ELR_EL2 = 35;
export const SR_ELR_EL3 = 36;
export const SR_SPSR_EL1 = 37;
export const SR_SPSR_EL2 = 38;
export const SR_SPSR_EL3 = 39;
export const SR_VBAR_EL1 = 40;
export const SR_VBAR_EL2 = 41;
export const SR_VBAR_EL3 = 42;
export const SR_AFSR0_EL1 = 43;
export const SR_AFSR1_EL1 = 44;
export const SR_AFSR0_EL2 = 45;
export const SR_AFSR1_EL2 = 46;
export const SR_AFSR0_EL3 = 47;
export const SR_AFSR1_EL3 = 48;
export const SR_PAR_EL1 = 49;
export const SR_CONTEXTIDR_EL1 = 50;
export const SR_TPIDR_EL0 = 51;
export const SR_TPIDRRO_EL0 = 52;
export const SR_TPIDR_EL1 = 53;
export const SR_TPIDR_EL2 = 54;
export const SR_TPIDR_EL3 = 55;
export const SR_CNTKCTL_EL1 = 56;
export const SR_CNTHCTL_EL2 = 57;
export const SR_CNTVOFF_EL2 = 58;
export const SR_CNTFRQ_EL0 = 59;
export const SR_MDSCR_EL1 = 60;
export const SR_CSSELR_EL1 = 61;
export const SR_VPIDR_EL2 = 62;
export const SR_VMPIDR_EL2 = 63;
export const SR_HPFAR_EL2 = 64;
export const SR_HSTR_EL2 = 65;
export const SR_HACR_EL2 = 66;
export const SR_OSLSR_EL1 = 67; // OSLK lives here; OSLAR_EL1 writes it
export const SR_OSDLR_EL1 = 68;
export const SR_MPIDR_EL1 = 69;
export const SR_MIDR_EL1 = 70;
export const SR_RVBAR_EL3 = 71;
export const SR_FPCR = 72;
export const SR_FPSR = 73;
// Generic timers: control (ENABLE, IMASK; ISTATUS is computed) and compare value.
export const SR_CNTP_CTL_EL0 = 74;
export const SR_CNTP_CVAL_EL0 = 75;
export const SR_CNTV_CTL_EL0 = 76;
export const SR_CNTV_CVAL_EL0 = 77;
export const SR_CNTHP_CTL_EL2 = 78;
export const SR_CNTHP_CVAL_EL2 = 79;
// Breakpoint and watchpoint registers (2 of each, ID_AA64DFR0_EL1.BRPs/WRPs = 1):
// DBGBVR0, DBGBCR0, DBGWVR0, DBGWCR0, then the same for n = 1.
export const SR_DBG_BASE = 80;
// FEAT_VHE: the EL2&0 regime's second table base and context ID, and the EL2 virtual timer.
export const SR_TTBR1_EL2 = 88;
export const SR_CONTEXTIDR_EL2 = 89;
export const SR_CNTHV_CTL_EL2 = 90;
export const SR_CNTHV_CVAL_EL2 = 91;
// FEAT_NV2: the VNCR page's address (BADDR, bits 56:12, sign-extended from bit 56).
export const SR_VNCR_EL2 = 92;
// FEAT_LOR with one LORegion and one descriptor: its start and end address and LORC_EL1.EN.
export const SR_LORSA_EL1 = 93;
export const SR_LOREA_EL1 = 94;
export const SR_LORC_EL1 = 95;
// FEAT_RAS (CONFIG_RAS): the deferred SError status and the virtual SError's syndrome.
export const SR_DISR_EL1 = 96;
export const SR_VDISR_EL2 = 97;
export const SR_VSESR_EL2 = 98;
// FEAT_PMUv3 (cpu/pmu.ts): the PMU registers with state. The counters hold
// their values as of the instruction count in SR_PMU_SNAPSHOT (counting is
// folded in lazily, at changes of exception level and at PMU accesses).
export const SR_PMCR_EL0 = 99;       // E, DP (P and C act on write; LC reads 1)
export const SR_PMCNTENSET_EL0 = 100;
export const SR_PMINTENSET_EL1 = 101;
export const SR_PMOVSSET_EL0 = 102;
export const SR_PMSELR_EL0 = 103;
export const SR_PMUSERENR_EL0 = 104;
export const SR_PMCCFILTR_EL0 = 105;
export const SR_PMCCNTR_EL0 = 106;
export const SR_PMEVCNTR0_EL0 = 107; // PMEVCNTR<n>_EL0 at 107 + n, n < 4 (PMCR_EL0.N)
export const SR_PMEVTYPER0_EL0 = 111; // PMEVTYPER<n>_EL0 at 111 + n
export const SR_PMU_SNAPSHOT = 115;
// FEAT_PAuth keys, Lo then Hi of APIAKey, APIBKey, APDAKey, APDBKey, APGAKey.
export const SR_APIAKEYLO_EL1 = 116;
export const SR_APGAKEYLO_EL1 = 124;
export const SR_COUNT = 126; // at most 128: SYSREG_BASE + 8 * SR_COUNT <= V_BASE
// SIMD&FP registers V0..V31, 16 bytes each (little-endian: D[0] at +0, D[1] at +8).
export const V_BASE = VCPU_BASE + 0x800;
export const V_END = V_BASE + 32 * 16;

// ---- COUNTERS (u64 each) ----------------------------------------------------
export const COUNTERS_BASE = 0x4000;
export const CNT_INSTRET = COUNTERS_BASE + 0x00; // instructions retired (also drives CNTPCT)
export const CNT_DECODED = COUNTERS_BASE + 0x08; // instructions decoded into the code cache
export const CNT_CODE_SLOT_FILLS = COUNTERS_BASE + 0x10; // code pages (re)allocated
export const CNT_CODE_INVALIDATIONS = COUNTERS_BASE + 0x18; // decoded instructions dropped by writes/IC
export const CNT_TLB_FILLS = COUNTERS_BASE + 0x20;
export const CNT_TLB_FLUSHES = COUNTERS_BASE + 0x28;
export const CNT_TLB_WALKS = COUNTERS_BASE + 0x30;       // translations walked (TLB misses that translated)
export const CNT_TLB_WALK_READS = COUNTERS_BASE + 0x38;  // descriptor reads by those walks
export const CNT_TLB_HITS = COUNTERS_BASE + 0x140;       // fast-path hits (counted by the stats build only: build/core.stats.wasm)
export const CNT_TLB_INVALIDATED = COUNTERS_BASE + 0x200; // entries removed by TLBI, [VMID & 31], 32 x u64
export const CNT_TLB_FILLS_VMID = COUNTERS_BASE + 0x300;  // fills, [VMID & 31], 32 x u64
export const CNT_ERET = COUNTERS_BASE + 0x40; // [from EL][to EL], 16 x u64
export const CNT_EXIT = COUNTERS_BASE + 0xc0; // [EXIT_*], EXIT_REASON_COUNT x u64
// Exceptions taken, [from EL][to EL][EC]: index ((from * 4 + to) * 64 + ec), 1024 x u64.
export const CNT_EXCEPTION = COUNTERS_BASE + 0x400;
export const COUNTERS_END = CNT_EXCEPTION + 1024 * 8;

// ---- MMIO replay log --------------------------------------------------------
// An instruction that touches MMIO leaves run() before it changes any state;
// once the host has answered, the instruction is executed again and its
// accesses are satisfied from this log, in order.
export const REPLAY_BASE = 0x8000;
export const REPLAY_MAX = 8;

// ---- TLB ----------------------------------------------------------------------
export const TLB_BASE = 0x10000;
export const TLB_ENTRIES = 1024;
export const TLB_ENTRY_SIZE = 64;

// ---- Decoded code cache and guest RAM -------------------------------------------
export const AS_MEMORY_BASE = 0x40000; // keep in step with asconfig.json memoryBase
export const CODE_BASE = 0x100000;
export const CODE_SLOTS = 1024;
export const CODE_SLOT_ENTRIES = 1025; // 1024 instructions + an end-of-page sentinel
export const CODE_ENTRY_SIZE = 16;
export const CODE_SLOT_SIZE = CODE_SLOT_ENTRIES * CODE_ENTRY_SIZE;
export const PAGE_SLOT_MAP = 0x1200000; // u16 per RAM page: slot + 1, 0 = not decoded
export const PAGE_SLOT_MAP_SIZE = 0x200000; // 1 Mi pages = 4 GiB of RAM
export const RAM_HOST_BASE = 0x1400000;
export const WASM_PAGE = 65536;
export const MAX_MEMORY_PAGES = 65536; // 4 GiB, the wasm32 limit
export const CODE_SLOT_OWNER = 0xa000; // u32 per code slot: RAM page index + 1, 0 = free

// ---- JIT (host-compiled code pages) ------------------------------------------------
// The host compiles a hot page's decoded entries into a WebAssembly function
// and puts it in the core's function table at index slot + 1. The core calls
// it with call_indirect(slot + 1, idx, n, limit, pageVA) -> i32:
//   r >= 0: continue interpreting at entry r of the page;
//   JIT_LEAVE: continue at JIT_NEXTPC (left the page, or the budget is spent);
//   JIT_FAULT: an exception or exit was taken in a slow path (the core's nextPC is set).
// In both cases JIT_N holds the updated instruction count.
export const CODE_SLOT_JIT = 0xb000;  // u32 per code slot: 1 = a compiled function is installed
export const CODE_SLOT_HEAT = 0xc000; // u32 per code slot: block entries counted toward compiling
export const JIT_BASE = 0x9000;
export const JIT_N = JIT_BASE + 0x00;          // u64 instructions retired (out)
export const JIT_NEXTPC = JIT_BASE + 0x08;     // u64 (out, with JIT_LEAVE)
export const JIT_TLBCTX = JIT_BASE + 0x10;     // u64 the TLB context bits (mirrored by the core)
export const JIT_SPALIGN = JIT_BASE + 0x18;    // u32 SP alignment checking in force (mirrored by the core)
export const JIT_REQUEST_SLOT = JIT_BASE + 0x1c; // u32 slot to compile (with EXIT_JIT)
export const JIT_ENABLED = JIT_BASE + 0x20;    // u32 host -> core: 0 = never ask; n = ask for a page once it has been entered n times (its heat)
// u32 bit k set when PAC key k (0 IA, 1 IB, 2 DA, 3 DB) is enabled by the
// current regime's SCTLR_ELx.EnXX (mirrored by the core): compiled code
// skips a disabled PAC*/AUT* without calling the core.
export const JIT_PAC_KEYS = JIT_BASE + 0x24;
export const JIT_LEAVE = -1;
export const JIT_FAULT = -2;
export const JIT_HEAT_THRESHOLD = 64;         // the hosts' default heat for JIT_ENABLED
