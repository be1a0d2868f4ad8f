// A machine for bare-metal programs (`armvisor run`): QEMU's virt board
// (board/virt.ts) with its GIC, timers as PPIs, PL011 and the rest, where the
// program owns every exception level the CPU implements (EL1 up to the boot
// EL: no host stage 2) and reaches the host only as the platform does --
// device MMIO, PSCI (HVC at EL1, SMC at EL2) and Arm semihosting. One vCPU,
// run by the VM's loop (hv/vm.ts) until the program powers off or exits.
// Platform-neutral: the wasm bytes and the console come from outside.
import { ABI } from "../core/core";
import type { Core } from "../core/core";
import { VirtBoard } from "../board/virt";
import type { VmResult } from "./vm";
import type { ConsoleSink } from "../devices/device";
import type { LoadedImage } from "../loader/image";
import { UserError } from "../errors";
import type { Jit } from "../jit/jit";

export interface MachineOptions {
  wasm: BufferSource;
  ramMiB: number;
  el: 1 | 2 | 3;
  console: ConsoleSink;
  semihosting?: boolean;   // default true
  jit?: boolean;           // compile hot code pages to WebAssembly (default true)
  fp?: boolean;            // FP/AdvSIMD (default true): see CoreOptions.fp
  gic?: 2 | 3;             // the interrupt controller (default 3, with the ICC_*/ICH_* system registers)
  vhe?: boolean;           // FEAT_VHE, and with it FEAT_NV/NV2, when the program has EL2 (default true)
  pauth?: boolean;         // FEAT_PAuth with QARMA5 (default PAUTH_DEFAULT, src/core/core.ts)
}

// How a run ended: the VM's results, a reset having restarted the program.
export type RunResult = Exclude<VmResult, { kind: "system-reset" }>;

export class Machine {
  readonly board: VirtBoard;
  readonly options: MachineOptions;
  private image: LoadedImage | undefined;

  private constructor(board: VirtBoard, options: MachineOptions) {
    this.board = board;
    this.options = options;
  }

  static async create(options: MachineOptions): Promise<Machine> {
    if (!Number.isInteger(options.ramMiB) || options.ramMiB < 1) throw new UserError(`invalid memory size: ${options.ramMiB} MiB (need at least 1)`);
    const board = await VirtBoard.create({
      wasm: options.wasm, ramMiB: options.ramMiB, console: options.console, gic: options.gic ?? 3,
      bareMetal: { el: options.el, semihosting: options.semihosting ?? true },
      fp: options.fp ?? true, jit: options.jit ?? true, vhe: options.vhe ?? true, pauth: options.pauth,
      // One program's hot loops: compile them early, and at once (as a benchmark wants).
      jitHeat: ABI.JIT_HEAT_THRESHOLD, jitBackground: false,
    });
    return new Machine(board, options);
  }

  get core(): Core { return this.board.core; }
  get jit(): Jit | undefined { return this.board.vm.jit; }

  // Bytes typed at the console, into the UART as it has room.
  pushInput(bytes: Uint8Array): void { this.board.pushInput(bytes); }

  // Place an image in RAM and reset the vCPU to its entry point at the boot EL.
  load(image: LoadedImage, entryOverride?: bigint): void {
    const core = this.core, ramEnd = core.ramBase + BigInt(core.ramSize);
    for (const s of image.segments) {
      const end = s.addr + BigInt(s.memSize);
      if (s.addr < core.ramBase || end > ramEnd) {
        throw new UserError(`segment at 0x${s.addr.toString(16)}..0x${end.toString(16)} is outside RAM (0x${core.ramBase.toString(16)}, ${this.options.ramMiB} MiB)`);
      }
    }
    this.image = entryOverride === undefined ? image : { ...image, entry: entryOverride };
    this.resetToImage();
  }

  private resetToImage(): void {
    const image = this.image!;
    for (const s of image.segments) {
      const bytes = new Uint8Array(s.memSize);
      bytes.set(s.data);
      this.core.writeRam(s.addr, bytes);
    }
    this.board.vm.boot(image.entry);
  }

  // Run until the program powers off, exits, or `maxInstructions` retire.
  // PSCI SYSTEM_RESET reloads the image and starts it again.
  async run(maxInstructions?: bigint): Promise<RunResult> {
    if (!this.image) throw new Error("no image loaded");
    for (;;) {
      const r = await this.board.run(maxInstructions);
      if (r.kind !== "system-reset") return r;
      this.resetToImage();
    }
  }
}
