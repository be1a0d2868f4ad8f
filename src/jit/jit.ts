// Compiles hot code pages into WebAssembly and installs them in the core's
// function table (see CODE_SLOT_JIT in assembly/abi.ts).
import { Core, ABI } from "../core/core";
import { readEntries, compilePage } from "./compile-page";

export class Jit {
  compiledPages = 0;
  translatedInstructions = 0;
  compileMs = 0;

  constructor(private readonly core: Core) {
    core.setU32(ABI.JIT_ENABLED, 1);
  }

  // Compile the page in `slot` (the core asked with EXIT_JIT). Pages with
  // nothing the compiler handles are left to the interpreter.
  compileSlot(slot: number): void {
    const t0 = performance.now();
    const core = this.core;
    core.exports.decodeSlot(slot);
    const slotBase = ABI.CODE_BASE + slot * ABI.CODE_SLOT_SIZE;
    const result = compilePage(readEntries(new DataView(core.memory.buffer), slotBase), slotBase, slot, core.exports.countsTlbHits() !== 0);
    if (result) {
      const module = new WebAssembly.Module(result.bytes as BufferSource);
      const instance = new WebAssembly.Instance(module, {
        env: { memory: core.memory, readSlow: core.exports.jitReadSlow, writeSlow: core.exports.jitWriteSlow },
      });
      core.table.set(slot + 1, instance.exports.run as never);
      core.setU32(ABI.CODE_SLOT_JIT + slot * 4, 1);
      this.compiledPages++;
      this.translatedInstructions += result.translated;
    }
    this.compileMs += performance.now() - t0;
  }
}
