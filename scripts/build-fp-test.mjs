// Compiles the floating-point library's test entry (assembly/fp/test_entry.ts)
// into build/fp-test.wasm, with the core's runtime options
// (scripts/fp-test.asconfig.json). Skips the build
// when the wasm is newer than every source in assembly/fp.
// Usage: node scripts/build-fp-test.mjs [--force]
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FP_WASM = path.join(ROOT, "build/fp-test.wasm");

export function buildFpTest(force = false) {
  const srcDir = path.join(ROOT, "assembly/fp");
  const newest = Math.max(fs.statSync(path.join(ROOT, "scripts/fp-test.asconfig.json")).mtimeMs,
    ...fs.readdirSync(srcDir).map((f) => fs.statSync(path.join(srcDir, f)).mtimeMs));
  if (!force && fs.existsSync(FP_WASM) && fs.statSync(FP_WASM).mtimeMs > newest) return FP_WASM;
  fs.mkdirSync(path.dirname(FP_WASM), { recursive: true });
  const tmp = `${FP_WASM}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, [
    path.join(ROOT, "node_modules/assemblyscript/bin/asc.js"),
    "assembly/fp/test_entry.ts", "--outFile", tmp,
    // its own config: the project's asconfig.json would add the core's entry
    "--config", "scripts/fp-test.asconfig.json",
  ], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) {
    try { fs.rmSync(tmp, { force: true }); } catch { /* ignore */ }
    throw new Error(`asc failed:\n${r.stdout}\n${r.stderr}`);
  }
  fs.renameSync(tmp, FP_WASM); // atomic for parallel test workers
  return FP_WASM;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildFpTest(process.argv.includes("--force"));
  console.log(FP_WASM);
}
