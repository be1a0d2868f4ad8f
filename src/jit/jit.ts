// Compiles hot code pages into WebAssembly and installs them in the core's
// function table (see CODE_SLOT_JIT in assembly/abi.ts).
import { Core, ABI } from "../core/core";
import { readEntries, compilePage } from "./compile-page";

export interface JitOptions {
  // Compile in the background (WebAssembly.compile) while the interpreter
  // goes on running the page; install when done if the page's decoded code
  // is still the same. Default false: compile at once (tests, benchmarks of
  // one hot loop).
  background?: boolean;
  // Compile a page once it has been entered this many times (default
  // JIT_HEAT_THRESHOLD). A kernel boot runs much code a few hundred times
  // and is better left to the interpreter than compiled.
  heat?: number;
}

export class Jit {
  compiledPages = 0;
  translatedInstructions = 0;
  compileMs = 0;
  discarded = 0;            // background compiles whose page changed meanwhile
  private inFlight = 0;

  constructor(private readonly core: Core, private readonly options: JitOptions = {}) {
    core.setU32(ABI.JIT_ENABLED, options.heat ?? ABI.JIT_HEAT_THRESHOLD);
  }

  get pending(): number { return this.inFlight; }

  // Compile the page in `slot` (the core asked with EXIT_JIT). Pages with
  // nothing the compiler handles are left to the interpreter.
  compileSlot(slot: number): void {
    const t0 = performance.now();
    const core = this.core;
    core.exports.decodeSlot(slot);
    const slotBase = ABI.CODE_BASE + slot * ABI.CODE_SLOT_SIZE;
    const result = compilePage(readEntries(new DataView(core.memory.buffer), slotBase), slotBase, slot, core.exports.countsTlbHits() !== 0);
    if (result && this.options.background) {
      const owner = core.u32(ABI.CODE_SLOT_OWNER + slot * 4);
      const entries = core.readBlock(slotBase, ABI.CODE_SLOT_SIZE);
      this.inFlight++;
      WebAssembly.compile(result.bytes as BufferSource).then((module) => {
        this.inFlight--;
        if (core.u32(ABI.CODE_SLOT_OWNER + slot * 4) !== owner || core.u32(ABI.CODE_SLOT_JIT + slot * 4) !== 0 || !sameBytes(core.readBlock(slotBase, ABI.CODE_SLOT_SIZE), entries)) {
          this.discarded++;
          return;
        }
        this.install(slot, module, result.translated);
      }, () => { this.inFlight--; this.discarded++; });
    } else if (result) {
      this.install(slot, new WebAssembly.Module(result.bytes as BufferSource), result.translated);
    }
    this.compileMs += performance.now() - t0;
  }

  private install(slot: number, module: WebAssembly.Module, translated: number): void {
    const core = this.core;
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: core.memory, readSlow: core.exports.jitReadSlow, writeSlow: core.exports.jitWriteSlow,
        pac: core.exports.jitPAC, branchAuth: core.exports.jitBranchAuth,
      },
    });
    core.table.set(slot + 1, instance.exports.run as never);
    core.setU32(ABI.CODE_SLOT_JIT + slot * 4, 1);
    this.compiledPages++;
    this.translatedInstructions += translated;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length >> 3), y = new BigUint64Array(b.buffer, b.byteOffset, b.length >> 3);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
