// `bench boot`: the Debian arm64 kernel and busybox initramfs (`armvisor fetch
// linux`) booted to the userspace marker, on armvisor and on QEMU
// (-M virt -cpu cortex-a57 -smp 1 -m 512), each as a fresh process; the time
// is from process start to the marker on the console (the guest then powers
// off). Same files, same command line, same run.
import { spawn, spawnSync } from "node:child_process";
import { bestOf, table, fail } from "./util.js";
import { join } from "node:path";

const MARKER = "armvisor: userspace up";
const APPEND = "console=ttyAMA0 earlycon=pl011,0x9000000 armvisor.poweroff";
const TIMEOUT_MS = 300_000;

function timeToMarker(who, cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", seconds;
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(fail(`${who}: no marker within ${TIMEOUT_MS / 1000} s:\n${out.slice(-2000)}`)); }, TIMEOUT_MS);
    const onData = (d) => {
      out += d.toString("latin1");
      if (seconds === undefined && out.includes(MARKER)) seconds = (performance.now() - t0) / 1000;
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => { clearTimeout(timer); reject(fail(`${who}: ${e.message}`)); });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (seconds === undefined) reject(fail(`${who}: exited (${code}) without the marker:\n${out.slice(-2000)}`));
      else if (code !== 0) reject(fail(`${who}: exited with status ${code} after the marker:\n${out.slice(-2000)}`));
      else resolve({ seconds, output: out });
    });
  });
}

function hasQemuSystem() {
  const r = spawnSync("qemu-system-aarch64", ["--version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

// Boots `armvisorArgs` (after bin/armvisor.js) and `qemuArgs` (QEMU's, when
// it is installed) `reps` times each to the marker and prints the table and
// `RESULT <name> armvisor=<s> qemu=<s> ratio=<armvisor/qemu>`.
export async function compareBoots({ name, reps, armvisorArgs, armvisorLabel, qemuArgs, qemuLabel }) {
  const rows = [["", "seconds to marker (best)", "runs"]];
  const av = await bestOf(reps, async (i) => {
    const r = await timeToMarker("armvisor", process.execPath, ["bin/armvisor.js", ...armvisorArgs]);
    process.stderr.write(`armvisor ${name} ${i + 1}/${reps}: ${r.seconds.toFixed(2)} s\n`);
    return r;
  });
  rows.push([armvisorLabel, av.best.seconds.toFixed(2), av.runs.map((r) => r.seconds.toFixed(2)).join(" ")]);
  let qemu;
  if (hasQemuSystem()) {
    qemu = await bestOf(reps, async (i) => {
      const r = await timeToMarker("qemu", "qemu-system-aarch64", qemuArgs);
      process.stderr.write(`qemu ${name} ${i + 1}/${reps}: ${r.seconds.toFixed(2)} s\n`);
      return r;
    });
    rows.push([qemuLabel, qemu.best.seconds.toFixed(2), qemu.runs.map((r) => r.seconds.toFixed(2)).join(" ")]);
  }
  console.log(table(rows));
  const a = av.best.seconds;
  if (qemu) console.log(`RESULT ${name} armvisor=${a.toFixed(2)} qemu=${qemu.best.seconds.toFixed(2)} ratio=${(a / qemu.best.seconds).toFixed(2)}`);
  else console.log(`RESULT ${name} armvisor=${a.toFixed(2)} qemu=none ratio=none`);
}

// The fetched guest (cached after the first time), where `boot linux` finds it.
export function fetchedLinux() {
  const f = spawnSync(process.execPath, ["bin/armvisor.js", "fetch", "linux"], { stdio: ["ignore", "inherit", "inherit"] });
  if (f.status !== 0) throw fail("armvisor fetch linux failed");
  const dir = process.env.ARMVISOR_CACHE ?? "guests/linux";
  return { kernel: join(dir, "vmlinuz"), initramfs: join(dir, "initramfs.cpio.gz") };
}

export async function run({ reps = 3, armvisorArgs = [] } = {}) {
  const guest = fetchedLinux();
  await compareBoots({
    name: "boot", reps,
    armvisorArgs: ["boot", "--kernel", guest.kernel, "--initrd", guest.initramfs, "-m", "512", "--append", APPEND, ...armvisorArgs],
    armvisorLabel: `armvisor (virt, 1 vCPU, 512 MiB, FP/AdvSIMD${armvisorArgs.length ? " " + armvisorArgs.join(" ") : ""})`,
    qemuArgs: ["-M", "virt", "-cpu", "cortex-a57", "-smp", "1", "-m", "512", "-nographic", "-no-reboot",
      "-kernel", guest.kernel, "-initrd", guest.initramfs, "-append", APPEND],
    qemuLabel: "qemu-system-aarch64 -M virt -cpu cortex-a57 (TCG)",
  });
}
