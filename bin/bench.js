#!/usr/bin/env node
// armvisor benchmarks: `node bin/bench.js <name> [--reps N] [--pauth | --no-pauth]` (or `npm run bench -- <name>`,
// which builds first). Each benchmark lives in bench/<name>.js and exports run(options);
// it ends its output with one `RESULT <name> ...` line.
const BENCHMARKS = {
  mips: () => import("../bench/mips.js"),
  mmu: () => import("../bench/mmu.js"),
  simd: () => import("../bench/simd.js"),
  boot: () => import("../bench/boot.js"),
  xen: () => import("../bench/xen.js"),
};

function usageError(message, listBenchmarks = true) {
  const tail = listBenchmarks ? `; valid benchmarks: ${Object.keys(BENCHMARKS).join(", ")}` : "; usage: bench <benchmark> [--reps N] [--pauth | --no-pauth]";
  process.stderr.write(`bench: ${message}${tail}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const name = args.shift();
if (name === undefined) usageError("no benchmark given");
if (!Object.hasOwn(BENCHMARKS, name)) usageError(`unknown benchmark '${name}'`);

const options = {};
while (args.length) {
  const a = args.shift();
  if (a === "--reps") {
    const n = Number(args.shift());
    if (!Number.isInteger(n) || n < 1) usageError("--reps needs a positive integer", false);
    options.reps = n;
  } else if (a === "--pauth" || a === "--no-pauth") {
    // `boot`: boot with or without FEAT_PAuth (armvisor's own option; QEMU's run is unchanged).
    options.armvisorArgs = [...(options.armvisorArgs ?? []), a];
  } else {
    usageError(`unknown argument '${a}'`, false);
  }
}

try {
  const mod = await BENCHMARKS[name]();
  await mod.run(options);
} catch (e) {
  process.stderr.write(`bench ${name}: ${e.benchFailure ? e.message : e.stack ?? e}\n`);
  process.exit(1);
}
