// `bench mmu`: the cost of address translation. guests/mips runs twice on
// armvisor (in-process, only machine.run() timed, best of --reps):
//   off: guests/build/mips.elf      the MMU off (the default mips guest)
//   on:  guests/build/mips-mmu.elf  the same workload built with -DMIPS_MMU:
//        EL1 stage 1 on (4 KiB granule, 48-bit VA, four levels, 4 KiB pages
//        only, the UART Device-nGnRnE, SCTLR_EL1.M|C|I), plus per iteration
//        one word touched in each of 4096 pages of a 16 MiB buffer (four times
//        the 1024-entry TLB), which is kept out of the checksum.
// Both runs must print the same checksum. Reports MIPS, TLB fills/s and
// walks/s (the release core counts those), TLB fast-path hits/s (only the
// stats build of the core, build/core.stats.wasm, counts hits: it runs once
// more per guest for them), and ends with
//   RESULT mmu mips_off=<MIPS> mips_on=<MIPS> ratio=<on/off>
import { ensureGuest, rel } from "./paths.js";
import { runArmvisor } from "./run-armvisor.js";
import { bestOf, mips, table, fail } from "./util.js";

const CHECKSUM_RE = /^mips checksum (0x[0-9a-f]{16})$/m;
const TOUCH_RE = /^mips mmu touch (0x[0-9a-f]{16}) \((\d+) pages per iteration\)$/m;

function checkOutput(who, output, mmu) {
  const m = CHECKSUM_RE.exec(output);
  if (!m || !/^mips done$/m.test(output)) {
    throw fail(`${who}: unexpected mips output (want a "mips checksum 0x..." line and "mips done"):\n${output.trimEnd()}`);
  }
  if (mmu && !TOUCH_RE.test(output)) throw fail(`${who}: no "mips mmu touch" line: is it a -DMIPS_MMU build?\n${output.trimEnd()}`);
  if (!mmu && TOUCH_RE.test(output)) throw fail(`${who}: a "mips mmu touch" line in the MMU-off run`);
  return m[1];
}

async function measure(who, elf, mmu, reps) {
  const best = await bestOf(reps, async (i) => {
    const r = await runArmvisor(elf, { el: 1, ramMiB: 128 });
    if (r.result.status !== 0) throw fail(`${who}: exited with status ${r.result.status} (${r.result.kind}${r.result.message ? `: ${r.result.message}` : ""})`);
    r.checksum = checkOutput(who, r.output, mmu);
    process.stderr.write(`${who} run ${i + 1}/${reps}: ${r.seconds.toFixed(3)} s, ${r.instructions} instructions\n`);
    return r;
  });
  for (const r of best.runs) {
    if (r.instructions !== best.best.instructions || r.checksum !== best.best.checksum) throw fail(`${who}: runs disagree (instruction count or checksum)`);
  }
  return best.best;
}

// One run of the stats build for the TLB hit count (undefined if the build
// does not count hits). Its instructions and checksum must match the release run.
async function hitsOf(who, elf, mmu, release) {
  let r;
  try {
    r = await runArmvisor(elf, { el: 1, ramMiB: 128, variant: "stats" });
  } catch (e) {
    process.stderr.write(`${who}: no stats build (${e.message}): TLB hits not measured\n`);
    return undefined;
  }
  if (r.instructions !== release.instructions || checkOutput(`${who} (stats build)`, r.output, mmu) !== release.checksum) {
    throw fail(`${who}: the stats build's run differs from the release build's`);
  }
  process.stderr.write(`${who} stats-build run: ${r.seconds.toFixed(3)} s\n`);
  return r.stats.tlbHits;
}

const rate = (n, s) => (n === undefined ? "n/a" : (Number(n) / s / 1e6).toFixed(2) + " M/s");

export async function run({ reps = 3 } = {}) {
  const elfOff = ensureGuest("mips");
  const elfOn = ensureGuest("mips-mmu");

  const off = await measure("mmu off", elfOff, false, reps);
  const on = await measure("mmu on", elfOn, true, reps);
  if (on.checksum !== off.checksum) throw fail(`checksums differ: MMU off ${off.checksum}, MMU on ${on.checksum}`);
  const touch = TOUCH_RE.exec(on.output);
  const hitsOff = await hitsOf("mmu off", elfOff, false, off);
  const hitsOn = await hitsOf("mmu on", elfOn, true, on);

  const mipsOff = mips(off.instructions, off.seconds), mipsOn = mips(on.instructions, on.seconds);
  const rows = [["", "instructions", "seconds", "MIPS"]];
  rows.push([`MMU off (${rel(elfOff)})`, String(off.instructions), off.seconds.toFixed(3), mipsOff.toFixed(1)]);
  rows.push([`MMU on  (${rel(elfOn)})`, String(on.instructions), on.seconds.toFixed(3), mipsOn.toFixed(1)]);

  const tlb = [["", "walks", "walks/s", "fills", "fills/s", "reads/walk", "hits", "hits/s", "walks/M insns"]];
  for (const [name, r, hits] of [["MMU off", off, hitsOff], ["MMU on", on, hitsOn]]) {
    const s = r.stats;
    tlb.push([
      name, String(s.tlbWalks), rate(s.tlbWalks, r.seconds), String(s.tlbFills), rate(s.tlbFills, r.seconds),
      s.tlbWalks ? (Number(s.tlbWalkReads) / Number(s.tlbWalks)).toFixed(2) : "-",
      hits === undefined ? "n/a" : String(hits), rate(hits, r.seconds),
      (Number(s.tlbWalks) / (Number(r.instructions) / 1e6)).toFixed(1),
    ]);
  }

  console.log(`mmu: guests/mips with the MMU off and on, checksum ${off.checksum} (both), best of ${reps} runs each`);
  console.log(table(rows));
  console.log();
  console.log(table(tlb));
  console.log(`note: MMU on: 4 KiB pages, 48-bit VA (4 levels); each iteration also touches ${touch[2]} pages of a 16 MiB buffer (not in the checksum; "mips mmu touch ${touch[1]}").`);
  console.log("note: walks and fills are the release core's counters; a walk with the MMU off is a TLB miss resolved without tables (0 descriptor reads).");
  console.log(hitsOff === undefined && hitsOn === undefined
    ? "note: TLB fast-path hits are not counted by the release core and the stats build (build/core.stats.wasm) is missing: hits n/a."
    : "note: the release core does not count TLB fast-path hits; they come from one more run of the stats build (build/core.stats.wasm, same instructions and checksum), rated per second of the release run.");
  console.log(`RESULT mmu mips_off=${mipsOff.toFixed(1)} mips_on=${mipsOn.toFixed(1)} ratio=${(mipsOn / mipsOff).toFixed(3)}`);
}
