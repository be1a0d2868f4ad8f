// Rough timing of the floating-point library: ns per call of a few
// operations, measured inside wasm (bench() in assembly/fp/test_entry.ts).
// Usage: node --no-liftoff scripts/fp-bench.mjs
import * as fs from "node:fs";
import { buildFpTest } from "./build-fp-test.mjs";
import { OPS } from "../test/fp/cases.mjs";

const { instance } = await WebAssembly.instantiate(fs.readFileSync(buildFpTest()), { env: { abort() {} } });
const ex = instance.exports;
const one = { 16: 0x3c00n, 32: 0x3f800000n, 64: 0x3ff0000000000000n };
const three = { 16: 0x4200n, 32: 0x40400000n, 64: 0x4008000000000000n };
const rows = [];
for (const [name, op, p] of [["FADD", OPS.ADD, 0], ["FMUL", OPS.MUL, 0], ["FDIV", OPS.DIV, 0], ["FMADD", OPS.MADD, 0],
  ["FSQRT", OPS.SQRT, 0], ["FCMP", OPS.CMP, 0], ["FMAXNM", OPS.MAXNM, 0], ["FRINTX", OPS.RINT, 6],
  ["FCVTZS x", OPS.TOFIXED, 3 | (1 << 17)], ["SCVTF x", OPS.FROMFIXED, 1 << 17], ["FCVT", OPS.CVT, 0]]) {
  const r = [name.padEnd(9)];
  for (const N of [16, 32, 64]) {
    const pp = op === OPS.CVT ? (N === 32 ? 64 : 32) : p;
    const a = op === OPS.FROMFIXED ? 123456789n : three[N];
    const iters = 2_000_000;
    ex.bench(op, N, 0, a, three[N], one[N], pp, 100000);
    const t = process.hrtime.bigint();
    ex.bench(op, N, 0, a, three[N], one[N], pp, iters);
    r.push((Number(process.hrtime.bigint() - t) / iters).toFixed(1).padStart(7));
  }
  rows.push(r.join(""));
}
console.log("op          half single double (ns/call, operand a stepped by one ulp)\n" + rows.join("\n"));
