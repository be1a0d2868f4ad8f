// A campaign: random blocks run on armvisor and on QEMU, compared block by
// block; a mismatching block is shrunk to its first diverging instruction.
import { Rng } from "./rng";
import { generateBlock, toRecord, assemble, mainPositions, type Block } from "./generator";
import { serializeCampaign, BF_FULL } from "./layout";
import { runArmvisor, runQemu, disassemble, type TargetRun } from "./targets";
import { selectOnly, selectedOnly } from "./table";

export interface CampaignOptions {
  seed: bigint;
  count: number;               // test instructions
  cpu?: string;                // the QEMU CPU for every block (default: each block's, table.ts CAMPAIGN_CPU)
  only?: string[];             // --only: categories/classes to generate (default: all)
  blocksPerRun?: number;
  shrinkLimit?: number;        // mismatching blocks to shrink (the rest are only counted)
  log?: (s: string) => void;
}

export interface Mismatch {
  blockId: number;
  report: string;              // the shrunk case, human-readable
  insn?: number;               // the first diverging instruction's encoding
  disasm?: string;
  cls?: string;
  undefinedOnArmvisor?: boolean; // the diverging instruction is UNDEFINED on armvisor, not on QEMU (not implemented)
}

export interface CampaignResult {
  instructions: number;
  blocks: number;
  mismatches: Mismatch[];
  mismatchCount: number;
  byClass: Map<string, number>;
  badBlocksByClass: Map<string, number>;  // mismatching blocks that hold an instance of the class
  stats: Stats;
  seconds: number;
  armvisorSeconds: number;
  qemuSeconds: number;
}

interface BlockLine { hash: string; nexc: number; end: number }
export interface Stats { el0Blocks: number; alignBlocks: number; exceptions: number; blocksWithExceptions: number; escaped: number; limit: number }

export function parseBlockLines(out: string): Map<number, BlockLine> {
  const m = new Map<number, BlockLine>();
  for (const line of out.split("\n")) {
    const r = /^B (\d+) ([0-9a-f]{16}) (\d+) (\d+)$/.exec(line);
    if (r) m.set(Number(r[1]), { hash: r[2], nexc: Number(r[3]), end: Number(r[4]) });
  }
  return m;
}

// Full dumps: id -> ordered list of [key, value].
export function parseFull(out: string): Map<number, [string, string][]> {
  const m = new Map<number, [string, string][]>();
  let cur: [string, string][] | undefined;
  for (const line of out.split("\n")) {
    let r = /^F (\d+) begin$/.exec(line);
    if (r) { cur = []; m.set(Number(r[1]), cur); continue; }
    if (/^F \d+ end$/.test(line)) { cur = undefined; continue; }
    if (!cur) continue;
    if ((r = /^S (\S+) (\S+)$/.exec(line))) cur.push([r[1], r[2]]);
    else if ((r = /^X (\d+) (.*)$/.exec(line))) cur.push([`exc${r[1]}`, r[2]]);
    else if ((r = /^M (\S+) (\S+)$/.exec(line))) cur.push([`mem+${r[1]}`, r[2]]);
  }
  return m;
}

function fatalLine(out: string): string | undefined {
  return out.split("\n").find((l) => l.startsWith("FATAL") || l.startsWith("UNEXPECTED"));
}

const hex8 = (w: number): string => (w >>> 0).toString(16).padStart(8, "0");

function runBoth(table: Uint8Array, cpu: string): Promise<[TargetRun, TargetRun]> {
  return Promise.all([runArmvisor(table), runQemu(table, { cpu })]);
}

// Shrink a mismatching block: run every prefix of its code (in words) with full
// dumps on both, and find the first prefix whose states differ.
export async function shrink(b: Block, cpu = b.cpu): Promise<Mismatch> {
  const words = assemble(b).length - 1;
  const recs = [];
  for (let p = 0; p <= words; p++) recs.push(toRecord(b, BF_FULL, p, p));
  const [a, q] = await runBoth(serializeCampaign(recs), cpu);
  const fa = parseFull(a.output), fq = parseFull(q.output);
  let first = -1;
  for (let p = 0; p <= words; p++) {
    const sa = JSON.stringify(fa.get(p) ?? null), sq = JSON.stringify(fq.get(p) ?? null);
    if (sa !== sq) { first = p; break; }
  }
  const code = assemble(b);
  const dis = disassemble(code);
  const lines: string[] = [];
  lines.push(`block ${b.id} (EL${b.el}, flags ${b.flags}, ${b.units.length} units, qemu -cpu ${cpu})`);
  if (a.status !== "ok" || q.status !== "ok") lines.push(`  run status: armvisor ${a.status}; qemu ${q.status}`);
  const fat = fatalLine(a.output) ?? fatalLine(q.output);
  if (fat) lines.push(`  ${fat}`);
  if (first <= 0) {
    lines.push(first === 0
      ? "  the states differ before any instruction of the block ran (harness or seeding difference)"
      : "  no prefix of the block diverges on its own (the whole block does): not shrinkable");
    lines.push(...code.map((w, i) => `    ${String(i).padStart(3)}: ${hex8(w)}  ${dis[i]}`));
    return { blockId: b.id, report: lines.join("\n") };
  }
  const at = first - 1, insn = code[at];
  const owner = mainPositions(b).reduce((acc, m) => (m.pos <= at ? m : acc), mainPositions(b)[0]);
  lines.push(`  first diverging instruction: word ${at}: ${hex8(insn)}  ${dis[at]}   [${owner.unit.cls} / ${owner.unit.name}]`);
  lines.push("  code (prefix up to and including it):");
  for (let i = Math.max(0, at - 12); i <= at; i++) lines.push(`    ${String(i).padStart(3)}: ${hex8(code[i])}  ${dis[i]}${i === at ? "   <==" : ""}`);
  lines.push(`  initial state: EL${b.el} spsr=${b.spsr.toString(16)} sp=${b.sp.toString(16)}`);
  lines.push("    " + b.x.map((v, i) => `x${i}=${v.toString(16)}`).join(" "));
  lines.push(`    sys seeds: ${b.sys.map((v) => v.toString(16)).join(" ")}`);
  lines.push(`    fpcr=${b.fpcr.toString(16)} fpsr=${b.fpsr.toString(16)} ` + b.v.map((v, i) => `v${i}=${v.toString(16).padStart(32, "0")}`).join(" "));
  lines.push(`  state after word ${at}:            ${"armvisor".padEnd(20)} ${"qemu".padEnd(20)}`);
  const A = new Map(fa.get(first) ?? []), Q = new Map(fq.get(first) ?? []);
  // An UNDEFINED exception (EC 0x00) at the diverging instruction on one side only.
  const undefAt = (m: Map<string, string>): boolean => [...m].some(([k, v]) => /^exc\d/.test(k) &&
    ((Number.parseInt(/esr=([0-9a-f]+)/.exec(v)?.[1] ?? "ffffffff", 16) >>> 26) & 0x3f) === 0 && v.includes(` elr=+${(at * 4).toString(16)} `));
  const undefinedOnArmvisor = undefAt(A) && !undefAt(Q);
  if (undefinedOnArmvisor) lines.push("  UNDEFINED on armvisor, not on QEMU: not implemented (or wrongly decoded) by armvisor");
  const B0 = new Map(fa.get(at) ?? []);
  const keys = [...new Set([...A.keys(), ...Q.keys()])];
  for (const k of keys) {
    const va = A.get(k) ?? "-", vq = Q.get(k) ?? "-";
    const differs = va !== vq;
    if (k.startsWith("mem+") && !differs) continue;
    lines.push(`    ${differs ? "*" : " "} ${k.padEnd(26)} ${va.padEnd(20)} ${vq.padEnd(20)}${differs ? `   (before: ${B0.get(k) ?? "-"})` : ""}`);
  }
  return { blockId: b.id, report: lines.join("\n"), insn, disasm: dis[at], cls: owner.unit.cls, undefinedOnArmvisor };
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const before = selectedOnly();
  selectOnly(o.only);
  try { return await campaign(o); } finally { selectOnly(before); }
}

async function campaign(o: CampaignOptions): Promise<CampaignResult> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const rng = new Rng(o.seed);
  const per = o.blocksPerRun ?? 4000;
  let instructions = 0, nblocks = 0, av = 0, qs = 0;
  const mismatches: Mismatch[] = [];
  let mismatchCount = 0;
  const byClass = new Map<string, number>();
  const badBlocksByClass = new Map<string, number>();
  const stats: Stats = { el0Blocks: 0, alignBlocks: 0, exceptions: 0, blocksWithExceptions: 0, escaped: 0, limit: 0 };
  while (instructions < o.count) {
    const blocks: Block[] = [];
    while (blocks.length < per && instructions < o.count) {
      const b = generateBlock(rng, nblocks++);
      blocks.push(b);
      instructions += b.count;
      for (const u of b.units) byClass.set(u.cls, (byClass.get(u.cls) ?? 0) + u.count);
    }
    // One run per reference CPU.
    const byCpu = new Map<string, Block[]>();
    for (const b of blocks) {
      const c = o.cpu ?? b.cpu;
      if (!byCpu.has(c)) byCpu.set(c, []);
      byCpu.get(c)!.push(b);
    }
    const bad: Block[] = [];
    for (const [cpu, group] of byCpu) {
      const table = serializeCampaign(group.map((b) => toRecord(b)));
      const [a, q] = await runBoth(table, cpu);
      av += a.seconds; qs += q.seconds;
      const la = parseBlockLines(a.output), lq = parseBlockLines(q.output);
      const badBefore = bad.length;
      for (const b of group) {
        const x = la.get(b.id), y = lq.get(b.id);
        if (!x || !y || x.hash !== y.hash || x.nexc !== y.nexc || x.end !== y.end) bad.push(b);
        if (b.el === 0) stats.el0Blocks++;
        if (b.flags & 2) stats.alignBlocks++;
        if (y) {
          stats.exceptions += y.nexc;
          if (y.nexc) stats.blocksWithExceptions++;
          if (y.end === 1) stats.escaped++;
          if (y.end === 2) stats.limit++;
        }
      }
      if (a.status !== "ok" || q.status !== "ok" || fatalLine(a.output) || fatalLine(q.output)) {
        log(`run status (qemu -cpu ${cpu}): armvisor ${a.status}; qemu ${q.status}; ${fatalLine(a.output) ?? fatalLine(q.output) ?? ""}`);
        if (bad.length === badBefore) bad.push(group[0]);
      }
      log(`progress: ${instructions} instructions, ${nblocks} blocks; ${group.length} blocks on -cpu ${cpu}: armvisor ${a.seconds.toFixed(1)} s, qemu ${q.seconds.toFixed(1)} s`);
    }
    mismatchCount += bad.length;
    for (const b of bad) for (const c of new Set(b.units.map((u) => u.cls))) badBlocksByClass.set(c, (badBlocksByClass.get(c) ?? 0) + 1);
    for (const b of bad) {
      if (mismatches.length >= (o.shrinkLimit ?? 10)) break;
      const m = await shrink(b, o.cpu ?? b.cpu);
      mismatches.push(m);
      log(`MISMATCH ${m.report}`);
    }
    if (bad.length) log(`progress: ${mismatchCount} mismatching blocks`);
  }
  return {
    instructions, blocks: nblocks, mismatches, mismatchCount, byClass, badBlocksByClass, stats,
    seconds: (performance.now() - t0) / 1000, armvisorSeconds: av, qemuSeconds: qs,
  };
}
