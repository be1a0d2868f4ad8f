// Differential conformance against QEMU (tools/conformance): a fixed-seed
// campaign of random instruction blocks across every implemented class, and
// a slice of the decoder sweep with its sampled UNDEFINED comparison.
// `npm run conformance -- --seed S --count N` and `-- --sweep` run the full ones.
import { describe, it, expect, beforeAll } from "vitest";
import { buildGuests, hasQemu } from "./helpers/guests";
import { runCampaign, shrink } from "../tools/conformance/campaign";
import { runSweep } from "../tools/conformance/sweep";
import { generateBlock, assemble } from "../tools/conformance/generator";
import { COMPILED, TABLE, includeKnownBugs } from "../tools/conformance/table";
import { Rng } from "../tools/conformance/rng";

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
    }
  });
});

describe.skipIf(!qemuPresent)("differential campaign against QEMU", () => {
  beforeAll(() => { buildGuests(); }, 180_000);

  it("a fixed-seed campaign of 250,000 instructions has no mismatch", async () => {
    const log: string[] = [];
    const r = await runCampaign({ seed: 0x5eedn, count: 250_000, shrinkLimit: 3, log: (s) => log.push(s) });
    console.log(`RESULT conformance instructions=${r.instructions} mismatches=${r.mismatchCount} (${r.blocks} blocks, ${r.seconds.toFixed(1)} s)`);
    const classes = [...r.byClass.keys()];
    for (const c of TABLE.map((e) => e.cls)) expect(classes, `class ${c} generated`).toContain(c);
    expect(r.instructions).toBeGreaterThanOrEqual(250_000);
    expect(r.mismatchCount, r.mismatches.map((m) => m.report).join("\n\n")).toBe(0);
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
