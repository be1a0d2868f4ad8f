#!/usr/bin/env node
// Bundles tools/conformance (TypeScript) with esbuild into
// .cache/armvisor-conformance/ (in the checkout, not in node_modules, which
// may be shared by several checkouts) and runs it.
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const out = join(root, ".cache/armvisor-conformance");
await build({
  entryPoints: { main: join(here, "main.ts"), "sweep-worker": join(here, "sweep-worker.ts") },
  outdir: out, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning",
  outExtension: { ".js": ".mjs" },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const { main } = await import(pathToFileURL(join(out, "main.mjs")).href);
process.exitCode = await main(process.argv.slice(2));
