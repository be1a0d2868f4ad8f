// Locate and read the built core in Node.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export function coreWasmPath(debug = false): string {
  // dist/cli.js and src/node/*.ts both sit two levels or one level below the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, "build", debug ? "core.debug.wasm" : "core.wasm");
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error("build/core.wasm not found: run `npm run build`");
}

export function readCoreWasm(debug = false): Uint8Array {
  return new Uint8Array(readFileSync(coreWasmPath(debug)));
}
