// Local differential campaign: random floating-point cases run on the
// library (build/fp-test.wasm) and on the oracle (real instructions under
// qemu-aarch64), compared bit for bit, result and FPSR flags.
// Usage: node scripts/fp-campaign.mjs [COUNT=1000000] [SEED=12345]
//        node scripts/fp-campaign.mjs --edges   (checks test/fp/edges.mjs on both)
// Environment: FP_OPS=MADD,SQRT (names from OPS in test/fp/cases.mjs) and
// FP_N=64,32 restrict the cases.
import * as fs from "node:fs";
import { buildFpTest } from "./build-fp-test.mjs";
import { runOracle } from "./fp-oracle.mjs";
import { generateCases, runWasm, describe, flagNames, OP_NAMES, OPS } from "../test/fp/cases.mjs";
import { edgeCases } from "../test/fp/edges.mjs";

const count = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 12345);
const { instance } = await WebAssembly.instantiate(fs.readFileSync(buildFpTest()), { env: { abort() { throw new Error("abort"); } } });
const ex = instance.exports;

if (process.argv.includes("--edges")) {
  const edges = edgeCases();
  const oracle = await runOracle(edges.map((e) => e.case));
  let bad = 0;
  edges.forEach((e, i) => {
    const got = runWasm(ex, e.case), exp = oracle[i];
    const hand = e.result === exp.result && e.flags === exp.flags;
    const lib = got.result === exp.result && got.flags === exp.flags;
    if (!hand || !lib) {
      bad++;
      console.log(`${e.text}\n  oracle ${exp.result.toString(16)} ${flagNames(exp.flags)}${hand ? "" : "  (hand-written expectation differs)"}` +
        `${lib ? "" : `  library ${got.result.toString(16)} ${flagNames(got.flags)}`}`);
    }
  });
  console.log(`${edges.length - bad} passed, ${bad} failed`);
  process.exit(bad ? 1 : 0);
}

const t0 = Date.now();
const filter = process.env.FP_OPS || process.env.FP_N ? {
  ops: process.env.FP_OPS ? new Set(process.env.FP_OPS.split(",").map((n) => {
    if (!(n in OPS)) throw new Error(`unknown op ${n}`);
    return OPS[n];
  })) : undefined,
  Ns: process.env.FP_N ? new Set(process.env.FP_N.split(",").map(Number)) : undefined,
} : undefined;
const cases = generateCases(seed, count, filter);
const t1 = Date.now();
const expected = await runOracle(cases);
const t2 = Date.now();
const perKey = new Map();
let bad = 0;
const shown = new Map();
for (let i = 0; i < cases.length; i++) {
  const k = cases[i];
  const got = runWasm(ex, k);
  const exp = expected[i];
  const key = `${OP_NAMES[k.op]}/${k.N}`;
  const st = perKey.get(key) ?? { n: 0, bad: 0 };
  st.n++;
  if (got.result !== exp.result || got.flags !== exp.flags) {
    st.bad++;
    bad++;
    const n = shown.get(key) ?? 0;
    if (n < 5) {
      console.log(`MISMATCH ${describe(k)}\n  expected ${exp.result.toString(16)} ${flagNames(exp.flags)}  got ${got.result.toString(16)} ${flagNames(got.flags)}`);
      shown.set(key, n + 1);
    }
  }
  perKey.set(key, st);
}
const t3 = Date.now();
for (const [key, st] of [...perKey].sort()) if (st.bad) console.log(`${key}: ${st.bad}/${st.n} mismatches`);
console.log(`seed ${seed}: ${count} cases over ${perKey.size} op/precision pairs; generate ${t1 - t0} ms, oracle ${t2 - t1} ms, library ${t3 - t2} ms`);
console.log(`${count - bad} passed, ${bad} failed`);
process.exitCode = bad ? 1 : 0;
