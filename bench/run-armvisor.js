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

// The core builds: "release" (build/core.wasm) and "stats" (build/core.stats.wasm,
// which also counts TLB fast-path hits).
const CORE_FILES = { release: "core.wasm", stats: "core.stats.wasm" };
const wasmBytes = {};
export function coreWasm(variant = "release") {
  if (!wasmBytes[variant]) {
    const file = CORE_FILES[variant];
    try {
      wasmBytes[variant] = new Uint8Array(readFileSync(join(ROOT, "build", file)));
    } catch {
      throw new Error(`build/${file} not found (run \`npm run build\`)`);
    }
  }
  return wasmBytes[variant];
}

// Run `elfPath` to completion (or `maxInsns`). Returns
// { output, result, instructions (bigint), seconds, stats }.
// fp: implement FP/AdvSIMD (the CLI's --fp).
export async function runArmvisor(elfPath, { el = 1, ramMiB = 128, maxInsns, jit = true, fp = false, variant = "release" } = {}) {
  const { Machine, readStats, loadElf } = await library();
  const chunks = [];
  const console = { write: (b) => { chunks.push(Buffer.from(b)); } };
  const machine = await Machine.create({ wasm: coreWasm(variant), ramMiB, el, console, jit, fp });
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
