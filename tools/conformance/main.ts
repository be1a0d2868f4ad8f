// npm run conformance -- [--seed S] [--count N] [--only fp,simd] [--cpu NAME] [--shrink K]
// npm run conformance -- --sweep [--sample N] [--workers W] [--seed S]
// npm run conformance -- --validate [--only ...] [--per N]
import { runCampaign } from "./campaign";
import { runSweep } from "./sweep";
import { runValidate } from "./validate";
import { hasQemu } from "./targets";
import { includeKnownBugs, selectOnly, CAMPAIGN_CPU } from "./table";

function parseArgs(argv: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument: ${a}`);
    const [k, v] = a.slice(2).split("=", 2);
    if (v !== undefined) o[k] = v;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) o[k] = argv[++i];
    else o[k] = "true";
  }
  return o;
}

export async function main(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  const seed = BigInt(o.seed ?? "1");
  if (o.sweep) {
    const r = await runSweep({
      sample: Number(o.sample ?? 1_000_000), seed, workers: o.workers ? Number(o.workers) : undefined,
      exhaustive: o.exhaustive !== "false", log: (s) => console.log(s),
    });
    return r.ok ? 0 : 1;
  }
  if (!hasQemu()) { console.error("conformance: qemu-system-aarch64 is not on PATH"); return 2; }
  const only = o.only ? o.only.split(",").map((t) => t.trim()).filter((t) => t) : undefined;
  try { selectOnly(only); } catch (e) { console.error(`conformance: ${(e as Error).message}`); return 2; }
  if (o.validate) {
    const r = await runValidate({ per: Number(o.per ?? 200), seed, only, log: (s) => console.log(s) });
    return r.ok ? 0 : 1;
  }
  const count = Number(o.count ?? 100_000);
  if (o["include-known-bugs"]) includeKnownBugs(true);
  const cpu = o.cpu;
  const refs = cpu ?? Object.entries(CAMPAIGN_CPU).map(([k, v]) => `${v} (${k})`).join(", ");
  console.log(`conformance campaign: seed=${seed} count=${count}${only ? ` only=${only.join(",")}` : ""} reference=qemu-system-aarch64 -M virt -cpu ${refs}`);
  const r = await runCampaign({
    seed, count, cpu, only, shrinkLimit: Number(o.shrink ?? 10), blocksPerRun: o.blocks ? Number(o.blocks) : undefined,
    log: (s) => console.log(s),
  });
  const st = r.stats;
  console.log(`blocks: ${st.el0Blocks} at EL0, ${st.alignBlocks} with SCTLR_EL1.A=1; exceptions taken in blocks: ${st.exceptions} (in ${st.blocksWithExceptions} blocks); blocks ended by an escaping exception: ${st.escaped}, by the exception limit: ${st.limit}`);
  console.log(`classes: ${[...r.byClass.entries()].sort().map(([k, v]) => `${k}=${v}`).join(" ")}`);
  if (r.badBlocksByClass.size) console.log(`classes in mismatching blocks: ${[...r.badBlocksByClass.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  if (r.mismatches.length) {
    const by = new Map<string, [number, number]>();
    for (const m of r.mismatches) { const k = m.cls ?? "?"; const v = by.get(k) ?? [0, 0]; v[0]++; if (m.undefinedOnArmvisor) v[1]++; by.set(k, v); }
    console.log(`first diverging class of the shrunk blocks (of which UNDEFINED on armvisor only): ${[...by].map(([k, [n, u]]) => `${k}=${n}(${u})`).join(" ")}`);
  }
  console.log(`${r.blocks} blocks in ${r.seconds.toFixed(1)} s (armvisor ${r.armvisorSeconds.toFixed(1)} s, qemu ${r.qemuSeconds.toFixed(1)} s); ${r.mismatchCount} mismatching blocks`);
  console.log(`RESULT conformance instructions=${r.instructions} mismatches=${r.mismatchCount}`);
  return r.mismatchCount === 0 ? 0 : 1;
}
