// A machine: one vCPU on a board, run until the guest powers off. Exits are
// dispatched through a table keyed by exit kind; devices are reached through
// the bus. Platform-neutral: the wasm bytes and the console come from outside.
import { Core, ABI } from "../core/core";
import { Vcpu } from "./vcpu";
import type { VcpuExit, ExitKind } from "./exit";
import { minimalBoard, RAM_BASE, type MinimalBoard } from "../board/minimal";
import type { ConsoleSink } from "../devices/device";
import type { LoadedImage } from "../loader/image";
import { psciCall } from "../devices/psci";
import { dispatchMmio } from "./mmio";
import { semihostingCall } from "../devices/semihosting";
import { UserError } from "../errors";
import { Jit } from "../jit/jit";

export interface MachineOptions {
  wasm: BufferSource;
  ramMiB: number;
  el: 1 | 2 | 3;
  console: ConsoleSink;
  semihosting?: boolean;
  jit?: boolean;           // compile hot code pages to WebAssembly (default true)
  fp?: boolean;            // FP/AdvSIMD (default true): see CoreOptions.fp
}

export type RunResult =
  | { kind: "system-off"; status: 0 }
  | { kind: "exit"; status: number }                // semihosting exit
  | { kind: "limit"; status: number }               // instruction limit reached
  | { kind: "stuck"; status: number; message: string } // exceptions taken in a loop, nothing retiring
  | { kind: "error"; status: number; message: string };

type Handler = (exit: VcpuExit) => RunResult | undefined;

const SLICE: bigint = 1n << 22n; // instructions per run() call

export class Machine {
  readonly core: Core;
  readonly vcpu: Vcpu;
  readonly board: MinimalBoard;
  readonly options: MachineOptions;
  private image: LoadedImage | undefined;
  private readonly handlers: Record<ExitKind, Handler>;
  readonly jit: Jit | undefined;

  private constructor(core: Core, options: MachineOptions) {
    this.core = core;
    this.vcpu = new Vcpu(core);
    this.options = options;
    this.board = minimalBoard(options.console);
    this.handlers = {
      "mmio": (x) => { dispatchMmio(this.board.bus, this.vcpu, x as Extract<VcpuExit, { kind: "mmio" }>); return undefined; },
      "hvc": () => this.onPsci(),
      "smc": () => this.onPsci(),
      "debug": () => this.onSemihosting(),
      "wfi": () => undefined,   // no interrupt source on this board: WFI completes at once
      "wfe": () => undefined,
      "sysreg": () => ({ kind: "error", status: 70, message: "unexpected system-register exit" }),
      "budget": () => undefined,
      "stop": () => undefined,
      "halt": () => ({ kind: "system-off", status: 0 }),
      "internal-error": (x) => ({ kind: "error", status: 70, message: (x as { message: string }).message }),
      "timer": () => undefined, // no interrupt controller on this board: timer outputs go nowhere
      "exception": () => ({ kind: "error", status: 70, message: "unexpected exception exit (this machine has no stage 2)" }),
      "jit": (x) => { this.jit?.compileSlot((x as { slot: number }).slot); return undefined; },
    };
    if (options.jit ?? true) this.jit = new Jit(core);
  }

  static async create(options: MachineOptions): Promise<Machine> {
    if (!Number.isInteger(options.ramMiB) || options.ramMiB < 1) throw new UserError(`invalid memory size: ${options.ramMiB} MiB (need at least 1)`);
    if (options.ramMiB > 4000) throw new UserError(`invalid memory size: ${options.ramMiB} MiB (at most 4000)`);
    const core = await Core.create(options.wasm, {
      ramBase: RAM_BASE, ramSize: options.ramMiB * 1024 * 1024, highestEL: options.el, semihosting: options.semihosting ?? true,
      fp: options.fp ?? true,
    });
    return new Machine(core, options);
  }

  // Place an image in RAM and reset the vCPU to its entry point at the boot EL.
  load(image: LoadedImage, entryOverride?: bigint): void {
    for (const s of image.segments) {
      const end = s.addr + BigInt(s.memSize);
      if (s.addr < this.core.ramBase || end > this.core.ramBase + BigInt(this.core.ramSize)) {
        throw new UserError(`segment at 0x${s.addr.toString(16)}..0x${end.toString(16)} is outside RAM (0x${this.core.ramBase.toString(16)}, ${this.options.ramMiB} MiB)`);
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
    this.core.exports.reset(this.options.el);
    this.core.pc = image.entry;
  }

  // Run until the guest powers off, exits, or `maxInstructions` retire.
  // Yields to the event loop every `yieldMs` so console input can arrive.
  async run(maxInstructions?: bigint, yieldMs = 50): Promise<RunResult> {
    if (!this.image) throw new Error("no image loaded");
    let last = Date.now();
    try {
      for (;;) {
        let budget = SLICE;
        if (maxInstructions !== undefined) {
          const left = maxInstructions - this.core.instructions;
          if (left <= 0n) return { kind: "limit", status: 124 };
          if (left < budget) budget = left;
        }
        const before = this.core.instructions;
        const exit = this.vcpu.run(budget);
        // A whole slice without one instruction retiring: every fetch faults
        // (say, the vector table is not in RAM). Hardware would spin forever.
        if (exit.kind === "budget" && this.core.instructions === before && exit.kind === "budget") {
          return { kind: "stuck", status: 3, message: `guest stuck: ${budget} exceptions without an instruction retiring, at PC 0x${this.core.pc.toString(16)} (EL${this.core.el})` };
        }
        const result = this.handlers[exit.kind](exit);
        if (result) return result;
        if (Date.now() - last >= yieldMs) {
          this.board.uart.flush();
          await new Promise((r) => setTimeout(r, 0));
          last = Date.now();
        }
      }
    } finally {
      this.board.uart.flush();
    }
  }

  // HVC/SMC to a level the host owns: PSCI. The call returns in X0.
  private onPsci(): RunResult | undefined {
    const action = psciCall(this.core.x(0), this.core.x(1));
    switch (action.kind) {
      case "system-off": return { kind: "system-off", status: 0 };
      case "cpu-off": return { kind: "system-off", status: 0 }; // not offered without PsciPower
      case "system-reset": this.resetToImage(); return undefined;
      case "return": this.core.setX(0, action.x0); return undefined;
    }
  }

  private onSemihosting(): RunResult | undefined {
    const core = this.core;
    const mem = {
      readU8: (a: bigint) => core.readRam(a, 1)[0],
      readU64: (a: bigint) => new DataView(core.readRam(a, 8).buffer).getBigUint64(0, true),
    };
    try {
      const r = semihostingCall(core.x(0), core.x(1), mem, (b) => { this.board.uart.flush(); this.options.console.write(b); },
        () => core.instructions / 625_000n /* centiseconds at the 62.5 MHz counter */);
      if (r.kind === "exit") return { kind: "exit", status: r.status };
      core.setX(0, r.x0);
    } catch {
      core.setX(0, BigInt.asUintN(64, -1n)); // a bad pointer: the call fails
    }
    return undefined;
  }
}

export { ABI };
