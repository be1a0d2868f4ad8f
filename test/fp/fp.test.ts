// The floating-point library (assembly/fp), through its test entry
// build/fp-test.wasm (built here from source when stale):
//  1. hand-written edge cases (test/fp/edges.mjs);
//  2. a seeded random differential check against results recorded from the
//     real instructions under QEMU (test/fp/expected.bin.gz, made by
//     scripts/fp-gen-expected.mjs; no QEMU needed here).
// The larger local campaign against the live oracle is scripts/fp-campaign.mjs.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildFpTest } from "../../scripts/build-fp-test.mjs";
import {
  OPS, OP_NAMES, precisionsOf, generateCases, decodeExpected, casesDigest, runWasm, describe as describeCase, flagNames,
  FPCR_FZ16, FPCR_FZ, FPCR_DN, FPCR_AHP, IOC, IXC,
} from "./cases.mjs";
import type { FpExports } from "./cases.mjs";
import { edgeCases } from "./edges.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

let ex: FpExports;

beforeAll(async () => {
  const wasm = fs.readFileSync(buildFpTest());
  const { instance } = await WebAssembly.instantiate(wasm, { env: { abort() { throw new Error("abort"); } } });
  ex = instance.exports as unknown as FpExports;
}, 120_000);

const hex = (x: bigint) => x.toString(16);

describe("edge cases", () => {
  const edges = edgeCases();
  const groups = [...new Set(edges.map((e) => e.group))];
  for (const group of groups) {
    it(group, () => {
      const failures: string[] = [];
      for (const e of edges.filter((x) => x.group === group)) {
        const got = runWasm(ex, e.case);
        if (got.result !== e.result || got.flags !== e.flags) {
          failures.push(`${e.text}\n    got ${hex(got.result)} ${flagNames(got.flags)}`);
        }
      }
      expect(failures, failures.join("\n")).toEqual([]);
    });
  }

  it("flags accumulate until taken", () => {
    ex.flags();
    ex.run(OPS.ADD, 32, 0, 0x7f800001n, 0n, 0n, 0); // IOC
    ex.run(OPS.DIV, 32, 0, 0x3f800000n, 0x40400000n, 0n, 0); // IXC
    expect(ex.flags()).toBe(IOC | IXC);
    expect(ex.flags()).toBe(0);
  });
});

describe("random differential check against the QEMU-recorded results", () => {
  const file = decodeExpected(fs.readFileSync(path.join(HERE, "expected.bin.gz")), generateCases);

  it("the recorded file matches the case generator", () => {
    expect(file.count).toBeGreaterThanOrEqual(100_000);
    expect(casesDigest(file.cases), "test/fp/cases.mjs changed: run node scripts/fp-gen-expected.mjs").toBe(file.digest);
  });

  it("covers every operation x precision x FPCR setting", () => {
    const seen = new Set<string>();
    const modeBits = (3 << 22) | FPCR_FZ | FPCR_DN | FPCR_AHP | FPCR_FZ16;
    for (const k of file.cases) seen.add(`${k.op}/${k.N}/${(k.fpcr & modeBits) >>> 0}`);
    const missing: string[] = [];
    for (const op of Object.values(OPS)) {
      for (const N of precisionsOf(op)) {
        for (let m = 0; m < 32; m++) {
          const fpcr = ((m & 3) << 22) | (m & 4 ? FPCR_FZ : 0) | (m & 8 ? FPCR_DN : 0) | (m & 16 ? FPCR_AHP : 0);
          for (const fz16 of [0, FPCR_FZ16]) {
            if (!seen.has(`${op}/${N}/${(fpcr | fz16) >>> 0}`)) missing.push(`${OP_NAMES[op]}/${N}/${hex(BigInt((fpcr | fz16) >>> 0))}`);
          }
        }
      }
    }
    expect(missing.length, missing.slice(0, 20).join(" ")).toBe(0);
  });

  it("operand bits above N are ignored", () => {
    const JUNK = 0xa5c3_96f0_0f69_3c5an;
    let n = 0;
    for (let i = 0; i < file.cases.length && n < 30000; i++) {
      const k = file.cases[i];
      if (k.N === 64 || k.op >= OPS.MLAL) continue;
      const M = k.op === OPS.FROMFIXED ? [32, 64, 16][(k.p >> 17) & 3] : k.N;
      if (M === 64) continue;
      const keep = (1n << BigInt(M)) - 1n;
      const j = { ...k, a: (k.a & keep) | (JUNK & ~keep), b: (k.b & keep) | (JUNK & ~keep), c: (k.c & keep) | (JUNK & ~keep) };
      const got = runWasm(ex, j);
      expect(got, describeCase(j)).toEqual(file.results[i]);
      n++;
    }
    expect(n).toBeGreaterThan(10000);
  });

  it(`all cases give the recorded result and flags`, () => {
    const perOp = new Map<string, number>();
    const examples: string[] = [];
    let bad = 0;
    for (let i = 0; i < file.cases.length; i++) {
      const k = file.cases[i];
      const got = runWasm(ex, k);
      const exp = file.results[i];
      if (got.result !== exp.result || got.flags !== exp.flags) {
        bad++;
        const key = `${OP_NAMES[k.op]}/${k.N}`;
        perOp.set(key, (perOp.get(key) ?? 0) + 1);
        if (examples.length < 20) {
          examples.push(`${describeCase(k)}\n    expected ${hex(exp.result)} ${flagNames(exp.flags)}, got ${hex(got.result)} ${flagNames(got.flags)}`);
        }
      }
    }
    expect(bad, `${bad} mismatches: ${[...perOp].map(([k, n]) => `${k}:${n}`).join(" ")}\n${examples.join("\n")}`).toBe(0);
  });
});
