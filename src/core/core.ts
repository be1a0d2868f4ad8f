// Loads the WebAssembly core and gives typed access to the shared memory it
// works in. Platform-neutral: the caller supplies the wasm bytes.
import { instantiate } from "@assemblyscript/loader";
import * as ABI from "../../assembly/abi";

export { ABI };

export interface CoreExports {
  abiVersion(): number;
  init(): void;
  reset(el: number): void;
  run(budget: bigint): number;
  invalidateCodeRange(pa: bigint, len: bigint): number;
  flushTlb(): void;
  decodeSlot(slot: number): void;
  decodeProbe(insn: number): number;
  countsTlbHits(): number;
  timerUpdate(): void;
  jitReadSlow: (...args: never[]) => number;
  jitWriteSlow: (...args: never[]) => number;
  jitPAC: (...args: never[]) => number;
  jitBranchAuth: (...args: never[]) => number;
  pauthComputePAC(data: bigint, modifier: bigint, key0: bigint, key1: bigint): bigint;
}

export interface CoreOptions {
  ramBase: bigint;
  ramSize: number;      // bytes
  highestEL: 1 | 2 | 3;
  semihosting: boolean;
  cpuIndex?: number;
  gic?: 3;             // the host implements a GICv3 CPU interface: ICC_* accesses exit as "sysreg"
  // FP/AdvSIMD (CONFIG_FP; default off): scalar FP, the SIMD&FP loads and
  // stores and the AdvSIMD moves execute, ID_AA64PFR0_EL1.FP/AdvSIMD read 0.
  // Off: every SIMD&FP encoding is UNDEFINED and FP/AdvSIMD read 0xF.
  fp?: boolean;
  // The host is the guest's hypervisor (CONFIG_HOST_STAGE2, with highestEL 1):
  // EL1&0 translations go through the stage 2 the host describes in each
  // vCPU's HCR_EL2/VTCR_EL2/VTTBR_EL2, and a guest access to an IPA that
  // stage 2 does not map leaves run() as a stage 2 Data Abort ("mmio" exit).
  hostStage2?: boolean;
  // FEAT_VHE (default on with EL2); false hides it, as on a Cortex-A57 (CONFIG_NO_VHE).
  vhe?: boolean;
  // FEAT_NV and FEAT_NV2 (CONFIG_NV; default on, effective only with EL2 and
  // FEAT_VHE, ID_AA64MMFR2_EL1.NV = 2); false hides them (no CLI option: the
  // board never asks for that).
  nv?: boolean;
  // FEAT_RAS without error records (CONFIG_RAS; default on, as QEMU's -cpu
  // max): ESB, DISR_EL1, ERRIDR_EL1.NUM = 0, HCR_EL2.{TERR, TEA},
  // SCR_EL3.TERR, VDISR_EL2/VSESR_EL2, ID_AA64PFR0_EL1.RAS = 1; false hides it.
  ras?: boolean;
  // FEAT_PAuth with QARMA5 (CONFIG_PAUTH; default PAUTH_DEFAULT): the
  // PAC/AUT/XPAC instructions, the key registers, HCR_EL2.{API, APK},
  // SCR_EL3.{API, APK}. false: the hint-space PAC instructions are NOPs, the
  // others UNDEFINED.
  pauth?: boolean;
}

// Whether the CPU has FEAT_PAuth when nothing says (CoreOptions.pauth, the
// CLI's --pauth / --no-pauth). Off: a kernel built with return-address
// signing (Debian's) then boots without it, which is faster (PACIASP and
// AUTIASP in every non-leaf function cost a QARMA5 computation or a memo
// lookup each: `npm run bench -- boot --pauth` against `--no-pauth`).
export const PAUTH_DEFAULT = false;

// One core instance: one linear memory holding one vCPU and guest RAM.
export class Core {
  readonly memory: WebAssembly.Memory;
  readonly table: WebAssembly.Table;   // compiled code pages at slot + 1
  readonly exports: CoreExports;
  readonly options: CoreOptions;
  private u8: Uint8Array;
  private dv: DataView;

  private constructor(memory: WebAssembly.Memory, table: WebAssembly.Table, exports: CoreExports, options: CoreOptions) {
    this.memory = memory;
    this.table = table;
    this.exports = exports;
    this.options = options;
    this.u8 = new Uint8Array(memory.buffer);
    this.dv = new DataView(memory.buffer);
  }

  static async create(wasm: BufferSource, options: CoreOptions): Promise<Core> {
    const bytes = ABI.RAM_HOST_BASE + options.ramSize;
    const pages = Math.max(Math.ceil(bytes / ABI.WASM_PAGE), ABI.RAM_HOST_BASE / ABI.WASM_PAGE + 1);
    if (pages > ABI.MAX_MEMORY_PAGES) throw new RangeError(`RAM of ${options.ramSize} bytes does not fit in a 4 GiB WebAssembly memory`);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const table = new WebAssembly.Table({ element: "anyfunc", initial: ABI.CODE_SLOTS + 1 });
    const instance = await instantiate<Record<string, unknown>>(wasm, {
      env: {
        memory,
        table,
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`armvisor core aborted at ${line}:${col}`);
        },
      },
    });
    const exports = instance.exports as unknown as CoreExports;
    if (exports.abiVersion() !== ABI.ABI_VERSION) {
      throw new Error(`core ABI version ${exports.abiVersion()} does not match host ABI version ${ABI.ABI_VERSION}; rebuild`);
    }
    const core = new Core(memory, table, exports, options);
    core.setU64(ABI.CONFIG_RAM_BASE, options.ramBase);
    core.setU64(ABI.CONFIG_RAM_SIZE, BigInt(options.ramSize));
    core.setU32(ABI.CONFIG_HIGHEST_EL, options.highestEL);
    core.setU32(ABI.CONFIG_SEMIHOSTING, options.semihosting ? 1 : 0);
    core.setU32(ABI.CONFIG_CPU_INDEX, options.cpuIndex ?? 0);
    core.setU32(ABI.CONFIG_GIC, options.gic ?? 0);
    core.setU32(ABI.CONFIG_FP, options.fp ? 1 : 0);
    core.setU32(ABI.CONFIG_HOST_STAGE2, options.hostStage2 ? 1 : 0);
    core.setU32(ABI.CONFIG_NO_VHE, options.vhe === false ? 1 : 0);
    core.setU32(ABI.CONFIG_NV, options.nv === false ? 0 : 1);
    core.setU32(ABI.CONFIG_RAS, options.ras === false ? 0 : 1);
    core.setU32(ABI.CONFIG_PAUTH, options.pauth ?? PAUTH_DEFAULT ? 1 : 0);
    exports.init();
    return core;
  }

  // ---- raw shared-memory access ----
  // Copy a block of the shared-memory line (not guest RAM) out / in.
  readBlock(off: number, len: number): Uint8Array { return this.u8.slice(off, off + len); }
  writeBlock(off: number, data: Uint8Array): void { this.u8.set(data, off); }
  readByte(off: number): number { return this.u8[off]; }
  u32(off: number): number { return this.dv.getUint32(off, true); }
  setU32(off: number, v: number): void { this.dv.setUint32(off, v >>> 0, true); }
  u64(off: number): bigint { return this.dv.getBigUint64(off, true); }
  setU64(off: number, v: bigint): void { this.dv.setBigUint64(off, BigInt.asUintN(64, v), true); }

  // ---- guest RAM (guest-physical addresses) ----
  get ramBase(): bigint { return this.options.ramBase; }
  get ramSize(): number { return this.options.ramSize; }

  // The byte offset in linear memory of [pa, pa+len) in RAM, or -1 if not entirely RAM.
  ramOffset(pa: bigint, len: number): number {
    const off = pa - this.options.ramBase;
    if (off < 0n || off + BigInt(len) > BigInt(this.options.ramSize)) return -1;
    return ABI.RAM_HOST_BASE + Number(off);
  }

  // Write bytes into guest RAM; drops any decoded code they overwrite.
  writeRam(pa: bigint, data: Uint8Array): void {
    const off = this.ramOffset(pa, data.length);
    if (off < 0) throw new RangeError(`0x${pa.toString(16)}+${data.length} is outside RAM`);
    this.u8.set(data, off);
    this.exports.invalidateCodeRange(pa, BigInt(data.length));
  }

  readRam(pa: bigint, len: number): Uint8Array {
    const off = this.ramOffset(pa, len);
    if (off < 0) throw new RangeError(`0x${pa.toString(16)}+${len} is outside RAM`);
    return this.u8.slice(off, off + len);
  }

  // ---- vCPU registers ----
  x(n: number): bigint { return this.u64(ABI.X_BASE + n * 8); }
  setX(n: number, v: bigint): void { if (n < 31) this.setU64(ABI.X_BASE + n * 8, v); }
  get pc(): bigint { return this.u64(ABI.PC); }
  set pc(v: bigint) { this.setU64(ABI.PC, v); }
  get sp(): bigint { return this.u64(ABI.X_BASE + ABI.SLOT_SP * 8); }
  set sp(v: bigint) { this.setU64(ABI.X_BASE + ABI.SLOT_SP * 8, v); }
  get nzcv(): number { return this.u32(ABI.PSTATE_NZCV); }
  set nzcv(v: number) { this.setU32(ABI.PSTATE_NZCV, v & 0xf000_0000); }
  get el(): number { return this.u32(ABI.PSTATE_EL); }
  get daif(): number { return this.u32(ABI.PSTATE_DAIF); }
  sysreg(id: number): bigint { return this.u64(ABI.SYSREG_BASE + id * 8); }
  setSysreg(id: number, v: bigint): void { this.setU64(ABI.SYSREG_BASE + id * 8, v); }
  // SIMD&FP register Vn as a 128-bit value; setV writes all 128 bits.
  v(n: number): bigint { return (this.u64(ABI.V_BASE + n * 16 + 8) << 64n) | this.u64(ABI.V_BASE + n * 16); }
  setV(n: number, v: bigint): void {
    this.setU64(ABI.V_BASE + n * 16, BigInt.asUintN(64, v));
    this.setU64(ABI.V_BASE + n * 16 + 8, BigInt.asUintN(64, v >> 64n));
  }
  get fpcr(): bigint { return this.sysreg(ABI.SR_FPCR); }
  set fpcr(v: bigint) { this.setSysreg(ABI.SR_FPCR, v); }
  get fpsr(): bigint { return this.sysreg(ABI.SR_FPSR); }
  set fpsr(v: bigint) { this.setSysreg(ABI.SR_FPSR, v); }

  // ---- counters ----
  get instructions(): bigint { return this.u64(ABI.CNT_INSTRET); }
  counter(off: number): bigint { return this.u64(off); }
  exceptionCount(from: number, to: number, ec: number): bigint {
    return this.u64(ABI.CNT_EXCEPTION + (((from * 4 + to) * 64 + ec) * 8));
  }
  eretCount(from: number, to: number): bigint { return this.u64(ABI.CNT_ERET + (from * 4 + to) * 8); }
  exitCount(reason: number): bigint { return this.u64(ABI.CNT_EXIT + reason * 8); }

  // ---- interrupt lines and stop request (host -> core) ----
  setLine(mask: number, asserted: boolean): void {
    const v = this.u32(ABI.CONTROL_LINES);
    this.setU32(ABI.CONTROL_LINES, asserted ? v | mask : v & ~mask);
  }
}
