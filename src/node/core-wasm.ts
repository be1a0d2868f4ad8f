// Locate and read the built core in Node.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

// "release" (the default), "stats" (also counts TLB fast-path hits) or "debug".
export type CoreVariant = "release" | "stats" | "debug";
const FILES: Record<CoreVariant, string> = { release: "core.wasm", stats: "core.stats.wasm", debug: "core.debug.wasm" };

export function coreWasmPath(variant: CoreVariant = "release"): string {
  // dist/cli.js and src/node/*.ts both sit two levels or one level below the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, "build", FILES[variant]);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error(`build/${FILES[variant]} not found: run \`npm run build\``);
}

export function readCoreWasm(variant: CoreVariant = "release"): Uint8Array {
  return new Uint8Array(readFileSync(coreWasmPath(variant)));
}
