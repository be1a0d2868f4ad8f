// `bench mips`: guests/build/mips.elf (a deterministic CPU-bound integer mix,
// about 1.5 G instructions at the default MIPS_ITERS) on armvisor in-process,
// and on QEMU (TCG) if it is installed.
import { ensureGuest, rel } from "./paths.js";
import { runArmvisor } from "./run-armvisor.js";
import { hasQemu, qemuVersion, runQemu } from "./run-qemu.js";
import { bestOf, mips, table, fail } from "./util.js";

const CHECKSUM_RE = /^mips checksum (0x[0-9a-f]{16})$/m;
const DEFAULT_CHECKSUM = "0xba4391f8f3a2e91f"; // MIPS_ITERS=226 (guests/README.md)

function checkOutput(who, output) {
  const m = CHECKSUM_RE.exec(output);
  if (!m || !/^mips done$/m.test(output)) {
    throw fail(`${who}: unexpected mips output (want a "mips checksum 0x..." line and "mips done"):\n${output.trimEnd()}`);
  }
  return m[1];
}

export async function run({ reps = 3 } = {}) {
  const elf = ensureGuest("mips");
  const hello = hasQemu() ? ensureGuest("hello") : undefined;

  // armvisor, in-process: only machine.run() is timed.
  const av = await bestOf(reps, async (i) => {
    const r = await runArmvisor(elf, { el: 1, ramMiB: 128 });
    if (r.result.status !== 0) throw fail(`armvisor: mips exited with status ${r.result.status} (${r.result.kind}${r.result.message ? `: ${r.result.message}` : ""})`);
    r.checksum = checkOutput("armvisor", r.output);
    process.stderr.write(`armvisor run ${i + 1}/${reps}: ${r.seconds.toFixed(3)} s, ${r.instructions} instructions\n`);
    return r;
  });
  for (const r of av.runs) {
    if (r.instructions !== av.best.instructions || r.checksum !== av.best.checksum) throw fail("armvisor: runs disagree (instruction count or checksum)");
  }
  const insns = av.best.instructions;
  const checksum = av.best.checksum;
  const avMips = mips(insns, av.best.seconds);

  // The interpreter alone (--no-jit), once, for reference: the JIT's gain and
  // the floor every page runs at before it is compiled.
  const interp = await runArmvisor(elf, { el: 1, ramMiB: 128, jit: false });
  if (interp.instructions !== insns || checkOutput("armvisor --no-jit", interp.output) !== checksum) throw fail("armvisor --no-jit: result differs from the JIT's");

  const rows = [["", "instructions", "seconds", "MIPS"]];
  rows.push(["armvisor (in-process, machine.run() only)", String(insns), av.best.seconds.toFixed(3), avMips.toFixed(1)]);
  rows.push(["armvisor --no-jit (interpreter only, 1 run)", String(insns), interp.seconds.toFixed(3), mips(insns, interp.seconds).toFixed(1)]);
  const notes = [];
  let qemuMips;

  if (hasQemu()) {
    const q = await bestOf(reps, (i) => {
      const r = runQemu(elf, { el: 1 });
      if (r.status !== 0) throw fail(`qemu: mips exited with status ${r.status}\n${r.output}${r.stderr}`);
      const c = checkOutput("qemu", r.output);
      if (c !== checksum) throw fail(`qemu: checksum ${c} differs from armvisor's ${checksum}`);
      process.stderr.write(`qemu mips run ${i + 1}/${reps}: ${r.seconds.toFixed(3)} s\n`);
      return r;
    });
    const startup = await bestOf(reps, () => {
      const r = runQemu(hello, { el: 1 });
      if (r.status !== 0 || !/^Hello from armvisor guest at EL1$/m.test(r.output)) throw fail(`qemu: hello failed (status ${r.status})\n${r.output}${r.stderr}`);
      return r;
    });
    const raw = q.best.seconds;
    const adj = raw - startup.best.seconds;
    rows.push(["qemu (whole process, raw)", String(insns), raw.toFixed(3), mips(insns, raw).toFixed(1)]);
    if (adj > 0) {
      rows.push([`qemu (minus startup ${startup.best.seconds.toFixed(3)} s = hello.elf)`, String(insns), adj.toFixed(3), mips(insns, adj).toFixed(1)]);
      qemuMips = mips(insns, adj);
    } else {
      notes.push(`QEMU startup (${startup.best.seconds.toFixed(3)} s) >= mips run; using the raw time`);
      qemuMips = mips(insns, raw);
    }
    notes.push(`${qemuVersion()}: ${rel(elf)} at EL1 (-M virt -cpu max, TCG)`);
    notes.push("QEMU's instruction count is taken to be armvisor's: it is the same deterministic program (same checksum), so it retires the same instructions.");
    notes.push("RESULT uses QEMU's startup-adjusted time.");
  } else {
    notes.push("qemu-system-aarch64 not on PATH: QEMU not measured");
  }

  console.log(`mips: ${rel(elf)}, checksum ${checksum}${checksum === DEFAULT_CHECKSUM ? " (default MIPS_ITERS)" : " (NOT the default MIPS_ITERS build)"}, best of ${reps} runs each`);
  console.log(table(rows));
  for (const n of notes) console.log(`note: ${n}`);
  const ratio = qemuMips === undefined ? "n/a" : (avMips / qemuMips).toFixed(3);
  console.log(`RESULT mips armvisor=${avMips.toFixed(1)} qemu=${qemuMips === undefined ? "n/a" : qemuMips.toFixed(1)} ratio=${ratio}`);
}
