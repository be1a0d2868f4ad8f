// Run a guest on armvisor in-process through the library (dist/index.js),
// timing only machine.run().
import { readFileSync } from "node:fs";
import { join, basename } from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT } from "./paths.js";

let lib;
async function library() {
  if (!lib) {
    try {
      lib = await import("../dist/index.js");
    } catch (e) {
      throw new Error(`cannot load dist/index.js (run \`npm run build\`): ${e.message}`);
    }
  }
  return lib;
}

let wasmBytes;
export function coreWasm() {
  if (!wasmBytes) {
    try {
      wasmBytes = new Uint8Array(readFileSync(join(ROOT, "build", "core.wasm")));
    } catch {
      throw new Error("build/core.wasm not found (run `npm run build`)");
    }
  }
  return wasmBytes;
}

// Run `elfPath` to completion (or `maxInsns`). Returns
// { output, result, instructions (bigint), seconds, stats }.
export async function runArmvisor(elfPath, { el = 1, ramMiB = 128, maxInsns, jit = true } = {}) {
  const { Machine, readStats, loadElf } = await library();
  const chunks = [];
  const console = { write: (b) => { chunks.push(Buffer.from(b)); } };
  const machine = await Machine.create({ wasm: coreWasm(), ramMiB, el, console, jit });
  machine.load(loadElf(new Uint8Array(readFileSync(elfPath)), basename(elfPath)));
  const t0 = performance.now();
  const result = await machine.run(maxInsns);
  const seconds = (performance.now() - t0) / 1000;
  return {
    output: Buffer.concat(chunks).toString("utf8"),
    result,
    instructions: machine.core.instructions,
    seconds,
    stats: readStats(machine.core),
  };
}
