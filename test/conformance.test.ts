// Differential conformance against QEMU (tools/conformance): fixed-seed
// campaigns of random instruction blocks, one over the integer and system
// classes and one over the SIMD&FP classes (fp, simd: random FPCR, FP special
// values in V0-V31), the validity of the SIMD&FP table's encodings, and a
// slice of the decoder sweep with its sampled UNDEFINED comparison.
// `npm run conformance -- --seed S --count N [--only fp,simd]` and `-- --sweep`
// run the full ones.
import { describe, it, expect, beforeAll } from "vitest";
import { buildGuests, hasQemu } from "./helpers/guests";
import { runCampaign, shrink } from "../tools/conformance/campaign";
import { runSweep } from "../tools/conformance/sweep";
import { generateBlock, assemble } from "../tools/conformance/generator";
import { COMPILED, TABLE, includeKnownBugs, category } from "../tools/conformance/table";
import { Rng } from "../tools/conformance/rng";
import { runValidate, disasmProblem } from "../tools/conformance/validate";
import { unadvertisedFpFeature } from "../tools/conformance/explain";

const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("conformance.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential campaign");

describe("generator", () => {
  it("every table entry's pattern covers 32 bits, and blocks end with svc #0", () => {
    expect(COMPILED.length).toBe(TABLE.length);
    const rng = new Rng(99n);
    for (let i = 0; i < 200; i++) {
      const b = generateBlock(rng, i);
      const code = assemble(b);
      expect(code.at(-1)).toBe(0xd4000001);
      expect(b.count).toBeGreaterThan(0);
      expect(b.v).toHaveLength(32);
      expect(b.fpcr & ~0x07c0_0000n).toBe(0n);
      expect(b.fpsr & ~0x0800_009fn).toBe(0n);
    }
  });

  it("recognises the SIMD&FP encodings of features armvisor does not advertise", () => {
    expect(disasmProblem("fadd h0, h1, h2")).toBe("FEAT_FP16");
    expect(disasmProblem("fmla v0.8h, v1.8h, v2.h[3]")).toBe("FEAT_FP16");
    expect(disasmProblem("sdot v0.4s, v1.16b, v2.16b")).toBe("an unadvertised feature");
    expect(disasmProblem("fcvt h0, s1")).toBeUndefined();
    expect(disasmProblem("fcvtl v0.4s, v1.4h")).toBeUndefined();
    expect(disasmProblem("add v0.8h, v1.8h, v2.8h")).toBeUndefined();
    // explain.ts's classifier: fadd h0,h1,h2; fmla v0.8h (FP16 three same); sdot; sqrdmlah; fcmla; fjcvtzs; frint32z; sha512h; fcvt h0,s1 (v8.0)
    expect(unadvertisedFpFeature(0x1ee22820)).toBe("FEAT_FP16");
    expect(unadvertisedFpFeature(0x4e420c20)).toBe("FEAT_FP16");
    expect(unadvertisedFpFeature(0x4e829420)).toMatch(/DotProd/);
    expect(unadvertisedFpFeature(0x6e828420)).toMatch(/RDM/);
    expect(unadvertisedFpFeature(0x6e82c420)).toMatch(/FCMA/);
    expect(unadvertisedFpFeature(0x1e7e0020)).toBe("FEAT_JSCVT");
    expect(unadvertisedFpFeature(0x1e284020)).toBe("FEAT_FRINTTS");
    expect(unadvertisedFpFeature(0xce628020)).toMatch(/SHA512/);
    expect(unadvertisedFpFeature(0x1e23c020)).toBeUndefined();
  });
});

describe.skipIf(!qemuPresent)("differential campaign against QEMU", () => {
  beforeAll(() => { buildGuests(); }, 180_000);

  it("a fixed-seed campaign of 250,000 integer/system instructions has no mismatch", async () => {
    const log: string[] = [];
    const r = await runCampaign({ seed: 0x5eedn, count: 250_000, only: ["int"], shrinkLimit: 3, log: (s) => log.push(s) });
    console.log(`RESULT conformance instructions=${r.instructions} mismatches=${r.mismatchCount} (int; ${r.blocks} blocks, ${r.seconds.toFixed(1)} s)`);
    const classes = [...r.byClass.keys()];
    for (const c of TABLE.filter((e) => category(e) === "int").map((e) => e.cls)) expect(classes, `class ${c} generated`).toContain(c);
    expect(r.instructions).toBeGreaterThanOrEqual(250_000);
    expect(r.mismatchCount, r.mismatches.map((m) => m.report).join("\n\n")).toBe(0);
  }, 300_000);

  it("the SIMD&FP table's encodings are valid: objdump knows them, QEMU cortex-a57 does not find them UNDEFINED", async () => {
    const log: string[] = [];
    const r = await runValidate({ per: 100, seed: 0xf00dn, log: (s) => log.push(s) });
    const bad = r.classes.flatMap((c) => [...c.badDisasm, ...c.refUndefined]);
    expect(bad, log.join("\n")).toEqual([]);
    expect(r.classes.map((c) => c.cls).sort()).toEqual([...new Set(TABLE.filter((e) => category(e) !== "int").map((e) => e.cls))].sort());
  }, 120_000);

  it("a fixed-seed campaign of 200,000 SIMD&FP instructions (fp, simd; random FPCR) has no mismatch", async () => {
    const log: string[] = [];
    const r = await runCampaign({ seed: 0xf9n, count: 200_000, only: ["fp", "simd"], shrinkLimit: 3, log: (s) => log.push(s) });
    console.log(`RESULT conformance instructions=${r.instructions} mismatches=${r.mismatchCount} (fp,simd; ${r.blocks} blocks, ${r.seconds.toFixed(1)} s)`);
    const classes = [...r.byClass.keys()];
    for (const c of TABLE.filter((e) => category(e) !== "int").map((e) => e.cls)) expect(classes, `class ${c} generated`).toContain(c);
    expect(classes.every((c) => c.startsWith("fp/") || c.startsWith("simd/"))).toBe(true);
    expect(r.instructions).toBeGreaterThanOrEqual(200_000);
    const bad = [...r.badBlocksByClass.entries()].map(([k, v]) => `${k}=${v}`).join(" ");
    expect(r.mismatchCount, `classes in mismatching blocks: ${bad}\n\n${r.mismatches.map((m) => m.report).join("\n\n")}`).toBe(0);
  }, 300_000);

  it("the shrinker finds the first diverging instruction (BTI's PSTATE.BTYPE on QEMU max)", async () => {
    // -cpu max implements FEAT_BTI: BR sets PSTATE.BTYPE, which armvisor does not have.
    // The block stream this test was written against predates the fixed
    // known-bug cases; leave them out so the same blocks come up.
    includeKnownBugs(false);
    const rng = new Rng(3n);
    let b = generateBlock(rng, 0);
    for (let i = 1; !b.units.some((u) => u.cls === "branch/reg"); i++) b = generateBlock(rng, i);
    const m = await shrink(b, "max");
    expect(m.cls, m.report).toBe("branch/reg");
    expect(m.report).toMatch(/first diverging instruction: word \d+: d6[0-9a-f]{6}\s+(br|blr|ret)/);
    expect(m.report).toMatch(/\* pstate/);
    includeKnownBugs(true);
  }, 120_000);

  it("decoder sweep slice: no host failure; sampled UNDEFINED verdicts agree with QEMU or are explained", async () => {
    const log: string[] = [];
    // 2^24 encodings from the load/store and data-processing space, 20,000 random ones against QEMU.
    const r = await runSweep({ sample: 20_000, seed: 7n, workers: 0, exhaustive: true, start: 0xb8000000, count: 1 << 24, systematic: false, log: (s) => log.push(s) });
    console.log(log.filter((l) => l.startsWith("RESULT") || l.includes("explained")).join("\n"));
    expect(r.hostFailures).toEqual([]);
    expect(r.unexplained.map((u) => `${u.insn.toString(16)} ${u.text}`)).toEqual([]);
  }, 300_000);
});
