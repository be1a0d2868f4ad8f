// Runs a snippet on a fresh core in a worker thread, with a wall-clock limit,
// for tests whose failure mode is run() never returning (which would otherwise
// hang the test process: a synchronous wasm loop cannot be interrupted from
// the thread it runs on). Speaks to the core's raw exports and the ABI
// offsets directly, so the worker needs no TypeScript.
import { Worker } from "node:worker_threads";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as ABI from "../../assembly/abi";
import { assemble } from "./asm";
import { vectorTable, CODE_BASE, ENTRY, RAM_BASE, RAM_SIZE, STACK_TOP } from "./machine";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const WORKER = `
const { parentPort, workerData: d } = require("node:worker_threads");
const A = d.abi;
const pages = Math.max(Math.ceil((A.RAM_HOST_BASE + d.ramSize) / A.WASM_PAGE), A.RAM_HOST_BASE / A.WASM_PAGE + 1);
const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
const table = new WebAssembly.Table({ element: "anyfunc", initial: A.CODE_SLOTS + 1 });
const inst = new WebAssembly.Instance(new WebAssembly.Module(d.wasm), { env: { memory, table, abort() { throw new Error("core abort"); } } });
const ex = inst.exports;
const dv = new DataView(memory.buffer);
dv.setBigUint64(A.CONFIG_RAM_BASE, d.ramBase, true);
dv.setBigUint64(A.CONFIG_RAM_SIZE, BigInt(d.ramSize), true);
dv.setUint32(A.CONFIG_HIGHEST_EL, d.highestEL, true);
dv.setUint32(A.CONFIG_SEMIHOSTING, 1, true);
ex.init();
ex.reset(d.el);
new Uint8Array(memory.buffer).set(d.code, A.RAM_HOST_BASE + Number(d.codeBase - d.ramBase));
ex.invalidateCodeRange(d.codeBase, BigInt(d.code.length));
dv.setBigUint64(A.PC, d.entry, true);
dv.setBigUint64(A.X_BASE + A.SLOT_SP * 8, d.sp, true);
for (const id of [A.SR_VBAR_EL1, A.SR_VBAR_EL2, A.SR_VBAR_EL3]) dv.setBigUint64(A.SYSREG_BASE + id * 8, d.codeBase, true);
const t0 = Date.now();
const reason = ex.run(d.budget);
parentPort.postMessage({ reason, pc: dv.getBigUint64(A.PC, true), instret: dv.getBigUint64(A.CNT_INSTRET, true), ms: Date.now() - t0 });
`;

export interface IsolatedResult {
  timedOut: boolean;
  reason?: number;   // ABI.EXIT_*
  pc?: bigint;
  instret?: bigint;
}

export function runIsolated(source: string, opts: { el?: number; highestEL?: 1 | 2 | 3; budget?: bigint; timeoutMs?: number } = {}): Promise<IsolatedResult> {
  const highestEL = opts.highestEL ?? 1;
  const code = assemble(vectorTable(highestEL) + source, CODE_BASE);
  const wasmPath = process.env.ARMVISOR_CORE_WASM ?? path.join(ROOT, "build/core.wasm");
  const abi: Record<string, number> = {};
  for (const [k, v] of Object.entries(ABI)) if (typeof v === "number") abi[k] = v;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      abi, wasm: new Uint8Array(fs.readFileSync(wasmPath)), code, ramBase: RAM_BASE, ramSize: RAM_SIZE, highestEL,
      el: opts.el ?? 1, codeBase: CODE_BASE, entry: ENTRY, sp: STACK_TOP, budget: opts.budget ?? 1000n,
    },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void worker.terminate(); resolve({ timedOut: true }); }, opts.timeoutMs ?? 5000);
    worker.once("message", (m: IsolatedResult) => { clearTimeout(timer); void worker.terminate(); resolve({ ...m, timedOut: false }); });
    worker.once("error", (e: Error) => { clearTimeout(timer); reject(e); });
  });
}
