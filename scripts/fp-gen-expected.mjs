// Regenerates test/fp/expected.bin.gz: the oracle's results (real A64
// instructions under qemu-aarch64) for the seeded random cases of
// test/fp/cases.mjs, checked by test/fp/fp.test.ts without QEMU.
// Usage: node scripts/fp-gen-expected.mjs [COUNT] [SEED]
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { runOracle } from "./fp-oracle.mjs";
import { generateCases, encodeExpected, EXPECTED_SEED, EXPECTED_COUNT } from "../test/fp/cases.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const count = Number(process.argv[2] ?? EXPECTED_COUNT);
const seed = Number(process.argv[3] ?? EXPECTED_SEED);
const cases = generateCases(seed, count);
const results = await runOracle(cases);
const gz = encodeExpected(seed, cases, results);
const out = path.join(ROOT, "test/fp/expected.bin.gz");
fs.writeFileSync(out, gz);
console.log(`${out}: ${count} cases, seed ${seed}, ${gz.length} bytes`);
