// Run a guest under QEMU (qemu-system-aarch64 -M virt), timing the whole process.
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

export const QEMU = process.env.QEMU ?? "qemu-system-aarch64";

const MACHINE = { 1: "virt", 2: "virt,virtualization=on", 3: "virt,secure=on,virtualization=on" };

// The command line for a guest at `el` (see guests/README.md) on QEMU's `cpu` model.
export function qemuArgs(elfPath, el = 1, cpu = "max") {
  return ["-M", MACHINE[el], "-cpu", cpu, "-nographic", "-semihosting", "-kernel", elfPath];
}

let available;
// The first line of `qemu-system-aarch64 --version`, or undefined if QEMU is not on PATH.
export function qemuVersion() {
  if (available === undefined) {
    const r = spawnSync(QEMU, ["--version"], { encoding: "utf8" });
    available = r.error || r.status !== 0 ? null : r.stdout.split("\n")[0].trim();
  }
  return available ?? undefined;
}

export function hasQemu() {
  return qemuVersion() !== undefined;
}

// Returns { output, status, signal, seconds }; throws if QEMU cannot be started or times out.
export function runQemu(elfPath, { el = 1, cpu = "max", timeoutMs = 120_000 } = {}) {
  const t0 = performance.now();
  const r = spawnSync(QEMU, qemuArgs(elfPath, el, cpu), {
    stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw new Error(`${QEMU}: ${r.error.message}`);
  if (r.signal) throw new Error(`${QEMU} ${elfPath}: killed by ${r.signal}${r.signal === "SIGTERM" ? ` (timeout ${timeoutMs} ms)` : ""}`);
  return { output: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8"), status: r.status, seconds };
}
