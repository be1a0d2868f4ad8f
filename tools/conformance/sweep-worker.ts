// A worker of the exhaustive decoder sweep: decodes a range of encodings with
// the probe and reports an op histogram, per-group counts and host failures.
import { parentPort, workerData } from "node:worker_threads";
import { instantiateProbe, type Probe } from "./probe-load";

interface Job { start: number; count: number }
const { wasm, source } = workerData as { wasm: Uint8Array; source: string };
let probe: Probe = instantiateProbe(wasm, source);

function rangeSlow(start: number, count: number, hist: Uint32Array, groups: Uint32Array, failures: { insn: number; what: string }[]): void {
  for (let i = 0; i < count; i++) {
    const insn = (start + i) >>> 0;
    let op: number;
    try {
      op = probe.decodeProbe(insn) >>> 0;
    } catch (e) {
      failures.push({ insn, what: `trap: ${e instanceof Error ? e.message : String(e)}` });
      probe = instantiateProbe(wasm, source);
      continue;
    }
    if (op === 0xffffffff || op >= hist.length - 1) { failures.push({ insn, what: `bad op ${op}` }); hist[hist.length - 1]++; }
    else hist[op]++;
    groups[((insn >>> 25) & 15) * 2 + (op !== 0 ? 1 : 0)]++;
  }
}

parentPort!.on("message", (job: Job | null) => {
  if (job === null) { process.exit(0); }
  const nops = probe.opCount + 1;
  const hist = new Uint32Array(nops), groups = new Uint32Array(32);
  const failures: { insn: number; what: string }[] = [];
  const t0 = performance.now();
  let ok = false;
  if (probe.range) {
    try {
      probe.range(job.start, job.count, hist, groups);
      ok = hist[nops - 1] === 0;
      if (!ok) { hist.fill(0); groups.fill(0); }
    } catch {
      probe = instantiateProbe(wasm, source);
      hist.fill(0); groups.fill(0);
    }
  }
  if (!ok) rangeSlow(job.start, job.count, hist, groups, failures);
  parentPort!.postMessage({ start: job.start, count: job.count, hist, groups, failures, ms: performance.now() - t0 });
});
