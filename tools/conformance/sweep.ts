// The decoder sweep.
//
// 1. Exhaustive: all 2^32 encodings go through armvisor's decoder (the
//    `decodeProbe` export, see probe-load.ts) in worker threads; each must
//    decode to an implemented op or to UNDEFINED, without a trap or a hang.
// 2. Sampled: N random encodings run, one by one, in the harness guest (sweep
//    mode) on armvisor and on QEMU; "UNDEFINED or not" (ESR.EC = 0) must
//    agree, or the disagreement must be explained (explain.ts,
//    docs/conformance-disagreements.md).
import { Worker } from "node:worker_threads";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { Rng } from "./rng";
import { serializeSweep, EC_NONE, EC_ESCAPED } from "./layout";
import { runArmvisor, runQemu, hasQemu, disassemble } from "./targets";
import { probeWasm, instantiateProbe } from "./probe-load";
import { explain, classify, REFERENCE_FOR, type Verdicts } from "./explain";

export interface SweepOptions {
  sample: number;
  seed: bigint;
  workers?: number;
  exhaustive: boolean;
  start?: number;          // exhaustive range (default: all 2^32)
  count?: number;
  systematic?: boolean;    // also every system-instruction encoding (default on)
  log: (s: string) => void;
}

export interface SweepResult {
  ok: boolean;
  total: number;
  implemented: number;
  undefinedCount: number;
  hostFailures: { insn: number; what: string }[];
  unexplained: { insn: number; text: string }[];
  explained: Map<string, number>;
  sampled: number;
}

const GROUPS = [
  "0000 reserved/SME", "0001 unallocated", "0010 SVE", "0011 unallocated", "0100 ld/st", "0101 dp-reg", "0110 ld/st",
  "0111 SIMD&FP", "1000 dp-imm", "1001 dp-imm", "1010 branch/sys", "1011 branch/sys", "1100 ld/st", "1101 dp-reg",
  "1110 ld/st", "1111 SIMD&FP",
];

function workerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, "sweep-worker.mjs");
  if (existsSync(bundled)) return bundled;
  throw new Error("sweep-worker.mjs not found: run the sweep through `npm run conformance -- --sweep`");
}

export async function exhaustiveSweep(o: SweepOptions): Promise<{ hist: Float64Array; groups: Float64Array; failures: { insn: number; what: string }[]; seconds: number; source: string; opCount: number }> {
  const { wasm, source } = probeWasm();
  const opCount = instantiateProbe(wasm, source).opCount;
  const start = o.start ?? 0, total = o.count ?? 2 ** 32;
  const CHUNK = 1 << 24;
  const jobs: { start: number; count: number }[] = [];
  for (let s = 0; s < total; s += CHUNK) jobs.push({ start: (start + s) >>> 0, count: Math.min(CHUNK, total - s) });
  const hist = new Float64Array(opCount + 1), groups = new Float64Array(32);
  const failures: { insn: number; what: string }[] = [];
  const t0 = performance.now();
  if (o.workers === 0) { // in this thread (tests): no trap or hang detection beyond an exception
    const p = instantiateProbe(wasm, source);
    const h = new Uint32Array(opCount + 1), g = new Uint32Array(32);
    for (const j of jobs) {
      h.fill(0); g.fill(0);
      if (p.range) p.range(j.start, j.count, h, g);
      else for (let i = 0; i < j.count; i++) {
        const insn = (j.start + i) >>> 0;
        const op = p.decodeProbe(insn) >>> 0;
        if (op === 0xffffffff || op >= opCount) { failures.push({ insn, what: `bad op ${op}` }); h[opCount]++; } else h[op]++;
        g[((insn >>> 25) & 15) * 2 + (op !== 0 ? 1 : 0)]++;
      }
      for (let i = 0; i <= opCount; i++) hist[i] += h[i];
      for (let i = 0; i < 32; i++) groups[i] += g[i];
    }
    if (hist[opCount] && failures.length === 0) failures.push({ insn: start, what: `${hist[opCount]} encodings decoded to a bad op` });
    return { hist, groups, failures, seconds: (performance.now() - t0) / 1000, source, opCount };
  }
  const nworkers = Math.max(1, Math.min(o.workers ?? 2, jobs.length));
  let next = 0, done = 0;
  o.log(`sweep: decoding ${total} encodings with ${source}, ${nworkers} worker thread(s)`);
  await new Promise<void>((resolve, reject) => {
    let live = nworkers;
    for (let w = 0; w < nworkers; w++) {
      const worker = new Worker(workerFile(), { workerData: { wasm, source } });
      let current: { start: number; count: number } | undefined;
      let timer: NodeJS.Timeout | undefined;
      const feed = (): void => {
        if (next >= jobs.length) { worker.postMessage(null); return; }
        current = jobs[next++];
        clearTimeout(timer);
        // A chunk of 2^24 takes well under a second: a minute means a hang.
        timer = setTimeout(() => {
          failures.push({ insn: current!.start, what: `hang: no answer for the chunk 0x${current!.start.toString(16)}+0x${current!.count.toString(16)} in 60 s` });
          void worker.terminate();
        }, 60_000);
        worker.postMessage(current);
      };
      worker.on("message", (m: { hist: Uint32Array; groups: Uint32Array; failures: { insn: number; what: string }[]; count: number }) => {
        for (let i = 0; i < m.hist.length; i++) hist[i] += m.hist[i];
        for (let i = 0; i < 32; i++) groups[i] += m.groups[i];
        failures.push(...m.failures);
        done += m.count;
        if ((done / CHUNK) % 32 === 0) o.log(`sweep: ${(done / 2 ** 32 * 100).toFixed(0)}% (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        feed();
      });
      worker.on("error", (e) => { clearTimeout(timer); reject(e); });
      worker.on("exit", () => { clearTimeout(timer); if (--live === 0) resolve(); });
      feed();
    }
  });
  return { hist, groups, failures, seconds: (performance.now() - t0) / 1000, source, opCount };
}

// ---- sampled comparison ----------------------------------------------------------------

// Every system-instruction encoding with Rt = x0 (or XZR where Rt is 11111):
// MRS and MSR (register) for op0 = 2, 3; SYS and SYSL; MSR (immediate).
export function systemSpace(): number[] {
  const out: number[] = [];
  for (let k = 0; k < 1 << 15; k++) {
    out.push((0xd5300000 | (k << 5)) >>> 0);      // MRS x0, S<2|3>_...
    out.push((0xd5100000 | (k << 5)) >>> 0);      // MSR S<2|3>_..., x0
  }
  for (let k = 0; k < 1 << 14; k++) {
    out.push((0xd5080000 | (k << 5)) >>> 0);      // SYS #op1, Cn, Cm, #op2, x0
    out.push((0xd5280000 | (k << 5)) >>> 0);      // SYSL x0, #op1, Cn, Cm, #op2
  }
  for (let op1 = 0; op1 < 8; op1++) for (let crm = 0; crm < 16; crm++) for (let op2 = 0; op2 < 8; op2++) {
    out.push((0xd500401f | (op1 << 16) | (crm << 8) | (op2 << 5)) >>> 0); // MSR <pstatefield>, #imm
  }
  return out;
}

// Replace a PC-relative branch's offset by "the next instruction" (the `svc #0`
// after it in the sweep record): which of these encodings is UNDEFINED does not
// depend on the offset field (Arm ARM C4.1.65), and the branch stays put. WFI
// (which would wait forever with no interrupt source) becomes a NOP: hints
// are never UNDEFINED.
export function neutralize(insn: number): number {
  if ((insn & 0x7c000000) === 0x14000000) return ((insn & 0xfc000000) | 1) >>> 0;                  // B, BL
  if ((insn & 0xff000000) === 0x54000000) return ((insn & 0xff00001f) | (1 << 5)) >>> 0;           // B.cond, BC.cond
  if ((insn & 0x7e000000) === 0x34000000) return ((insn & 0xff00001f) | (1 << 5)) >>> 0;           // CBZ, CBNZ
  if ((insn & 0x7e000000) === 0x36000000) return ((insn & 0xfff8001f) | (1 << 5)) >>> 0;           // TBZ, TBNZ
  if (insn === 0xd503207f) return 0xd503201f;                                                       // WFI
  return insn >>> 0;
}

export function parseSweep(out: string, n: number): Uint8Array {
  const ec = new Uint8Array(n).fill(0xff);
  for (const line of out.split("\n")) {
    const m = /^W (\d+) ([0-9a-f]+)$/.exec(line);
    if (!m) continue;
    const base = Number(m[1]);
    for (let i = 0; i * 2 < m[2].length; i++) if (base + i < n) ec[base + i] = parseInt(m[2].slice(2 * i, 2 * i + 2), 16);
  }
  return ec;
}

async function runSweepTargets(enc: Uint32Array, log: (s: string) => void): Promise<{ armvisor: Uint8Array; ref: Record<string, Uint8Array> }> {
  const PER = 250_000;
  const armvisor = new Uint8Array(enc.length).fill(0xff);
  const ref: Record<string, Uint8Array> = {};
  const cpus = [...new Set(Object.values(REFERENCE_FOR))];
  for (const c of cpus) ref[c] = new Uint8Array(enc.length).fill(0xff);
  for (let s = 0; s < enc.length; s += PER) {
    const part = enc.subarray(s, Math.min(enc.length, s + PER));
    const table = serializeSweep(part, 0n);
    // Without semihosting on either side: HLT is then UNDEFINED on both.
    const runs = await Promise.all([
      runArmvisor(table, { semihosting: false }),
      ...cpus.map((cpu) => runQemu(table, { cpu, semihosting: false, timeoutMs: 900_000 })),
    ]);
    const [a, ...qs] = runs;
    if (a.status !== "ok") log(`sweep: armvisor run ended: ${a.status}`);
    armvisor.set(parseSweep(a.output, part.length), s);
    qs.forEach((q, i) => {
      if (q.status !== "ok") log(`sweep: qemu -cpu ${cpus[i]} run ended: ${q.status}`);
      ref[cpus[i]].set(parseSweep(q.output, part.length), s);
    });
    const fat = [a, ...qs].map((r) => r.output.split("\n").find((l) => l.startsWith("FATAL"))).find((x) => x);
    if (fat) log(`sweep: ${fat}`);
    log(`sweep: sampled ${Math.min(enc.length, s + PER)}/${enc.length} (armvisor ${a.seconds.toFixed(1)} s, qemu ${qs.map((q) => q.seconds.toFixed(1)).join("/")} s)`);
  }
  return { armvisor, ref };
}

const hex8 = (w: number): string => (w >>> 0).toString(16).padStart(8, "0");
const ecName = (e: number): string => (e === EC_NONE ? "none" : e === EC_ESCAPED ? "escaped" : e === 0xff ? "missing" : `EC 0x${e.toString(16).padStart(2, "0")}`);

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const res: SweepResult = {
    ok: true, total: 0, implemented: 0, undefinedCount: 0, hostFailures: [], unexplained: [], explained: new Map(), sampled: 0,
  };
  if (o.exhaustive) {
    const x = await exhaustiveSweep(o);
    res.total = x.groups.reduce((a, b) => a + b, 0);
    res.undefinedCount = x.hist[0];
    res.implemented = res.total - res.undefinedCount;
    res.hostFailures = x.failures;
    const opsSeen = [...x.hist.slice(1, x.opCount)].filter((v) => v > 0).length;
    o.log(`sweep: ${res.total} encodings in ${x.seconds.toFixed(1)} s: ${res.implemented} implemented (${opsSeen} distinct ops), ${res.undefinedCount} UNDEFINED, ${x.failures.length} host failures`);
    for (let g = 0; g < 16; g++) o.log(`  op0=${GROUPS[g].padEnd(20)} implemented ${String(x.groups[2 * g + 1]).padStart(10)}  UNDEFINED ${String(x.groups[2 * g]).padStart(10)}`);
    for (const f of x.failures.slice(0, 20)) o.log(`  HOST FAILURE ${hex8(f.insn)}: ${f.what}`);
    if (x.failures.length) res.ok = false;
  }
  if (o.sample > 0 || o.systematic !== false) {
    if (!hasQemu()) { o.log("sweep: qemu-system-aarch64 is not on PATH: no sampled comparison"); res.ok = false; return res; }
    const rng = new Rng(o.seed);
    const sys = o.systematic === false ? [] : systemSpace();
    const orig = new Uint32Array(o.sample + sys.length);
    for (let i = 0; i < o.sample; i++) orig[i] = rng.u32();
    orig.set(sys, o.sample);
    const enc = orig.map(neutralize);
    if (sys.length) o.log(`sweep: ${o.sample} random encodings and all ${sys.length} system-instruction encodings (MRS/MSR/SYS/SYSL/MSR immediate, Rt = x0)`);
    const { wasm, source } = probeWasm();
    const probe = instantiateProbe(wasm, source);
    const r = await runSweepTargets(enc, o.log);
    res.sampled = o.sample;
    const unexplained: number[] = [];
    let agree = 0;
    const undefBy = { armvisor: 0, ref: 0 };
    for (let i = 0; i < enc.length; i++) {
      const insn = enc[i];
      const v: Verdicts = { armvisor: r.armvisor[i], ref: {} };
      for (const c of Object.keys(r.ref)) v.ref[c] = r.ref[c][i];
      const refCpu = REFERENCE_FOR[classify(insn).ref];
      const a = v.armvisor, q = v.ref[refCpu];
      const decodedUndef = probe.decodeProbe(insn) === 0;
      if (a === 0) undefBy.armvisor++;
      if (q === 0) undefBy.ref++;
      // The decoder and the executed behaviour must agree: UNDEFINED by decode implies EC 0x00.
      if (decodedUndef && a !== 0) {
        res.unexplained.push({ insn, text: `decodeProbe says UNDEFINED but armvisor took ${ecName(a)}` });
        continue;
      }
      if (a === 0xff || q === 0xff || a === EC_ESCAPED && q !== EC_ESCAPED) {
        res.unexplained.push({ insn, text: `no verdict: armvisor ${ecName(a)}, qemu -cpu ${refCpu} ${ecName(q)}` });
        continue;
      }
      if ((a === 0) === (q === 0)) { agree++; continue; }
      const why = explain(insn, v);
      if (why) res.explained.set(why, (res.explained.get(why) ?? 0) + 1);
      else unexplained.push(i);
    }
    const dis = disassemble(unexplained.map((i) => enc[i]));
    unexplained.forEach((i, k) => {
      const insn = enc[i];
      const refs = Object.entries(r.ref).map(([c, e]) => `${c}: ${ecName(e[i])}`).join(", ");
      res.unexplained.push({ insn, text: `${dis[k]}  [${classify(insn).name}]  armvisor: ${ecName(r.armvisor[i])}; ${refs}` });
    });
    o.log(`sweep: sampled ${enc.length} encodings: UNDEFINED on armvisor ${undefBy.armvisor}, on the reference ${undefBy.ref}; agree ${agree}, explained ${[...res.explained.values()].reduce((a, b) => a + b, 0)}, unexplained ${res.unexplained.length}`);
    for (const [k, n] of [...res.explained.entries()].sort((a, b) => b[1] - a[1])) o.log(`  explained ${String(n).padStart(7)}  ${k}`);
    for (const u of res.unexplained.slice(0, 200)) o.log(`  UNEXPLAINED ${hex8(u.insn)}  ${u.text}`);
    if (res.unexplained.length) res.ok = false;
  }
  o.log(`RESULT sweep encodings=${res.total} implemented=${res.implemented} undefined=${res.undefinedCount} host_failures=${res.hostFailures.length} sampled=${res.sampled} unexplained=${res.unexplained.length}`);
  return res;
}

export { GROUPS };
