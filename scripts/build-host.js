// Bundles the TypeScript host with esbuild: dist/cli.js (Node CLI) and
// dist/index.js (the library, platform-neutral).
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist", bundle: true, platform: "node", format: "esm", target: "node20",
  sourcemap: true, logLevel: "warning",
  banner: { js: "import { createRequire as __armvisorRequire } from 'node:module'; const require = __armvisorRequire(import.meta.url);" },
});
await build({
  entryPoints: { index: "src/index.ts" },
  outdir: "dist", bundle: true, platform: "neutral", format: "esm", target: "es2022",
  sourcemap: true, logLevel: "warning", mainFields: ["module", "main"],
});
