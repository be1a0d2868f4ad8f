// Shared paths and guest-building helpers for the benchmarks (plain Node ESM).
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const GUESTS_DIR = join(ROOT, "guests");

// Absolute path of a guest image: guestPath("mips") -> guests/build/mips.elf.
export function guestPath(name, { build = "build", ext = "elf" } = {}) {
  return join(GUESTS_DIR, build, `${name}.${ext}`);
}

// Path relative to the repository root, for messages.
export function rel(p) {
  return relative(ROOT, p) || ".";
}

// Make sure guests/<build>/<name>.<ext> exists; if not, build it with
// `make -C guests [VAR=value ...] <build>/<name>.<ext>` (throws on failure).
export function ensureGuest(name, { build = "build", ext = "elf", vars = {} } = {}) {
  const path = guestPath(name, { build, ext });
  if (existsSync(path)) return path;
  const args = ["-C", GUESTS_DIR];
  if (build !== "build") args.push(`BUILD=${build}`);
  for (const [k, v] of Object.entries(vars)) args.push(`${k}=${v}`);
  args.push(`${build}/${name}.${ext}`);
  process.stderr.write(`bench: ${rel(path)} is missing; running make ${args.join(" ")}\n`);
  const r = spawnSync("make", args, { stdio: ["ignore", 2, 2] });
  if (r.error) throw new Error(`cannot run make: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(path)) throw new Error(`make ${args.join(" ")} failed (status ${r.status})`);
  return path;
}
