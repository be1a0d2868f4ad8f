// Assembles AArch64 source text with the Debian cross binutils and returns the
// raw bytes of its .text section, linked to run at `base` (ADRP and other
// relocations are resolved there; PC-relative references within .text do not
// depend on it). Results are cached by content hash in
// node_modules/.cache/armvisor-asm/, so a second run assembles nothing.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const AS = "aarch64-linux-gnu-as";
const LD = "aarch64-linux-gnu-ld";
const OBJCOPY = "aarch64-linux-gnu-objcopy";
const MARCH = "-march=armv8.1-a+crc";
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE_DIR = path.join(ROOT, "node_modules/.cache/armvisor-asm");

const memo = new Map<string, Uint8Array>();

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
}

export function assemble(source: string, base: bigint = 0x4008_0000n): Uint8Array {
  const text = source.endsWith("\n") ? source : source + "\n";
  const key = createHash("sha256").update(MARCH).update("\0").update(base.toString(16)).update("\0").update(text).digest("hex");
  const hit = memo.get(key);
  if (hit) return hit;
  const cached = path.join(CACHE_DIR, key + ".bin");
  if (fs.existsSync(cached)) {
    const bytes = new Uint8Array(fs.readFileSync(cached));
    memo.set(key, bytes);
    return bytes;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "armvisor-asm-"));
  try {
    const src = path.join(dir, "t.s"), obj = path.join(dir, "t.o"), elf = path.join(dir, "t.elf"), bin = path.join(dir, "t.bin");
    fs.writeFileSync(src, text);
    run(AS, [MARCH, "-o", obj, src]);
    run(LD, [`-Ttext=0x${base.toString(16)}`, "-e", "0", "-o", elf, obj]);
    run(OBJCOPY, ["-O", "binary", "-j", ".text", elf, bin]);
    const bytes = new Uint8Array(fs.readFileSync(bin));
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = cached + "." + process.pid + ".tmp";
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, cached); // atomic: parallel workers never see a partial file
    memo.set(key, bytes);
    return bytes;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
