// Runs floating-point test cases (test/fp/cases.mjs) on the oracle: the real
// A64 instructions under QEMU user mode (scripts/fp-oracle.c).
// Needs aarch64-linux-gnu-gcc and qemu-aarch64 (Debian: gcc-aarch64-linux-gnu,
// qemu-user).
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { oracleLine, fromOracle } from "../test/fp/cases.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SRC = path.join(ROOT, "scripts/fp-oracle.c");
const BIN = path.join(ROOT, "build/fp-oracle");
const QEMU = process.env.QEMU_AARCH64 ?? "qemu-aarch64";

export function buildOracle() {
  if (fs.existsSync(BIN) && fs.statSync(BIN).mtimeMs > fs.statSync(SRC).mtimeMs) return BIN;
  fs.mkdirSync(path.dirname(BIN), { recursive: true });
  const r = spawnSync("aarch64-linux-gnu-gcc", ["-O1", "-static", "-o", BIN, SRC], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the oracle failed:\n${r.stderr}`);
  return BIN;
}

function runChunk(bin, lines) {
  return new Promise((resolve, reject) => {
    const tmp = path.join(os.tmpdir(), `fp-oracle-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
    fs.writeFileSync(tmp, lines.join("\n") + "\n");
    const child = spawn(QEMU, [bin], { stdio: [fs.openSync(tmp, "r"), "pipe", "inherit"] });
    const out = [];
    child.stdout.on("data", (d) => out.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      fs.rmSync(tmp, { force: true });
      if (code !== 0) return reject(new Error(`oracle exited with ${code}`));
      const res = Buffer.concat(out).toString("utf8").split("\n");
      res.pop();
      if (res.length !== lines.length) return reject(new Error(`oracle gave ${res.length} lines for ${lines.length}`));
      resolve(res);
    });
  });
}

// -> array of { result, flags } in case order.
export async function runOracle(cases, { chunk = 50000, jobs = os.cpus().length } = {}) {
  const bin = buildOracle();
  const out = new Array(cases.length);
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const start = next;
      next = Math.min(cases.length, next + chunk);
      const part = cases.slice(start, next);
      const res = await runChunk(bin, part.map(oracleLine));
      for (let i = 0; i < part.length; i++) out[start + i] = fromOracle(part[i], res[i]);
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker));
  return out;
}
