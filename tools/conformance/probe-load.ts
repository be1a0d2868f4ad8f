// Loading a decoder probe: build/core.wasm if it exports `decodeProbe` (the
// proposed core export), else a stand-alone build of assembly/decode from
// tools/conformance/probe/probe.ts (same sources).
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./targets";
import * as ABI from "../../assembly/abi";

export interface Probe {
  decodeProbe(insn: number): number;
  opCount: number;
  range?: (start: number, count: number, hist: Uint32Array, groups: Uint32Array) => void;
}

const CODE_SLOTS = 1024;

export function instantiateProbe(wasm: Uint8Array, source: string): Probe {
  const mod = new WebAssembly.Module(wasm as BufferSource);
  const env: Record<string, unknown> = {
    abort: () => { throw new Error(`${source} aborted`); },
  };
  let memory: WebAssembly.Memory | undefined;
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind === "memory") { memory = new WebAssembly.Memory({ initial: 400 }); env[imp.name] = memory; }
    if (imp.kind === "table") env[imp.name] = new WebAssembly.Table({ element: "anyfunc", initial: CODE_SLOTS + 1 });
    if (imp.kind === "function" && !(imp.name in env)) env[imp.name] = () => 0;
  }
  const inst = new WebAssembly.Instance(mod, { env: env as WebAssembly.ModuleImports });
  const x = inst.exports as Record<string, unknown>;
  if (!memory) memory = x.memory as WebAssembly.Memory;
  // Decode as the sweep's armvisor runs (targets.ts runArmvisor): with
  // FP/AdvSIMD (CONFIG_FP = 1), FEAT_PAuth (CONFIG_PAUTH = 1) and FEAT_RAS (CONFIG_RAS = 1, the
  // default). core.wasm reads its CONFIG
  // block in init(); the stand-alone probe has configureFp() (which sets both).
  if (typeof x.configureFp === "function") (x.configureFp as (on: number) => void)(1);
  else if (typeof x.init === "function") {
    for (const field of [ABI.CONFIG_FP, ABI.CONFIG_PAUTH, ABI.CONFIG_RAS]) new DataView(memory!.buffer).setUint32(field, 1, true);
    (x.init as () => void)();
  }
  const decodeProbe = x.decodeProbe as (i: number) => number;
  if (typeof decodeProbe !== "function") throw new Error(`${source} does not export decodeProbe`);
  const opCount = typeof x.opCount === "function" ? (x.opCount as () => number)() : 1024;
  const p: Probe = { decodeProbe, opCount };
  if (typeof x.decodeProbeRange === "function") {
    const fn = x.decodeProbeRange as (s: number, c: number, h: number, g: number) => void;
    const H = 0x0080_0000, G = H + 4 * (opCount + 2); // scratch in linear memory (below RAM_HOST_BASE)
    p.range = (start, count, hist, groups) => {
      const u32 = new Uint32Array(memory!.buffer);
      u32.fill(0, H / 4, G / 4 + 32);
      fn(start | 0, count | 0, H, G);
      const v = new Uint32Array(memory!.buffer);
      hist.set(v.subarray(H / 4, H / 4 + hist.length));
      groups.set(v.subarray(G / 4, G / 4 + 32));
    };
  }
  return p;
}

// The probe's wasm bytes and where they came from.
export function probeWasm(): { wasm: Uint8Array; source: string } {
  const core = process.env.ARMVISOR_CORE_WASM ?? join(ROOT, "build/core.wasm");
  if (existsSync(core)) {
    const bytes = new Uint8Array(readFileSync(core));
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    if (names.includes("decodeProbe")) return { wasm: bytes, source: core };
  }
  const out = join(ROOT, ".cache/armvisor-conformance/probe.wasm");
  mkdirSync(join(ROOT, ".cache/armvisor-conformance"), { recursive: true });
  const asc = join(ROOT, "node_modules/.bin/asc");
  const r = spawnSync(asc, ["--config", join(ROOT, "tools/conformance/probe/asconfig.json")], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the decoder probe failed:\n${r.stdout}\n${r.stderr}`);
  return { wasm: new Uint8Array(readFileSync(out)), source: "tools/conformance/probe (assembly/decode; build/core.wasm has no decodeProbe export yet)" };
}
