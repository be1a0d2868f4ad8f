// `bench simd`: guests/build/simd.elf (guests/numeric built with -DSIMD_BENCH:
// SIMD_ITERS iterations of AdvSIMD intrinsics kernels: memcpy, strlen, TBL/TBX,
// histogram, LD3/LD4/ST4, float32x4 saxpy and dot product, narrowing and
// shifts; about 328 M instructions at the default SIMD_ITERS=3000; the MMU is
// on) on QEMU (TCG, -cpu cortex-a57) and on armvisor in-process with
// FP/AdvSIMD enabled (fp: true, the CLI's --fp). QEMU runs first and is the
// reference: armvisor must print the same checksum. Reports MIPS (armvisor's
// instruction count for both) and milliseconds per iteration, and ends with
//   RESULT simd armvisor=<MIPS> qemu=<MIPS> ratio=<armvisor/qemu>
import { ensureGuest, rel } from "./paths.js";
import { runArmvisor } from "./run-armvisor.js";
import { hasQemu, qemuVersion, runQemu } from "./run-qemu.js";
import { bestOf, mips, table, fail } from "./util.js";

const QEMU_CPU = "cortex-a57";
const OUTPUT_RE = /^simd iterations (\d+)\nsimd checksum (0x[0-9a-f]{16})\nsimd done$/m;
const DEFAULT_CHECKSUM = "0xee8cdd6da368938b"; // SIMD_ITERS=3000 (guests/numeric/README.md)

function checkOutput(who, output) {
  const m = OUTPUT_RE.exec(output);
  if (!m) {
    throw fail(`${who}: unexpected simd output (want "simd iterations N", "simd checksum 0x..." and "simd done"):\n${output.trimEnd()}`);
  }
  return { iterations: Number(m[1]), checksum: m[2] };
}

export async function run({ reps = 3 } = {}) {
  const elf = ensureGuest("simd");
  const qemuPresent = hasQemu();
  const hello = qemuPresent ? ensureGuest("hello") : undefined;
  const notes = [];

  // QEMU first: its checksum is the one armvisor must reproduce.
  let q, startup, expect;
  if (qemuPresent) {
    q = await bestOf(reps, (i) => {
      const r = runQemu(elf, { el: 1, cpu: QEMU_CPU });
      if (r.status !== 0) throw fail(`qemu: simd exited with status ${r.status}\n${r.output}${r.stderr}`);
      r.result = checkOutput("qemu", r.output);
      if (expect && r.result.checksum !== expect.checksum) throw fail(`qemu: runs disagree (checksum ${r.result.checksum} vs ${expect.checksum})`);
      expect = r.result;
      process.stderr.write(`qemu simd run ${i + 1}/${reps}: ${r.seconds.toFixed(3)} s\n`);
      return r;
    });
    startup = await bestOf(reps, () => {
      const r = runQemu(hello, { el: 1, cpu: QEMU_CPU });
      if (r.status !== 0 || !/^Hello from armvisor guest at EL1$/m.test(r.output)) throw fail(`qemu: hello failed (status ${r.status})\n${r.output}${r.stderr}`);
      return r;
    });
  }

  // armvisor, in-process: only machine.run() is timed.
  const av = await bestOf(reps, async (i) => {
    const r = await runArmvisor(elf, { el: 1, ramMiB: 128, fp: true });
    if (r.result.status !== 0) {
      throw fail(`armvisor: simd exited with status ${r.result.status} (${r.result.kind}${r.result.message ? `: ${r.result.message}` : ""})\n${r.output.trimEnd()}`);
    }
    r.parsed = checkOutput("armvisor", r.output);
    if (expect && r.parsed.checksum !== expect.checksum) throw fail(`armvisor: checksum ${r.parsed.checksum} differs from QEMU's ${expect.checksum}`);
    process.stderr.write(`armvisor run ${i + 1}/${reps}: ${r.seconds.toFixed(3)} s, ${r.instructions} instructions\n`);
    return r;
  });
  for (const r of av.runs) {
    if (r.instructions !== av.best.instructions || r.parsed.checksum !== av.best.parsed.checksum) throw fail("armvisor: runs disagree (instruction count or checksum)");
  }
  const insns = av.best.instructions;
  const { iterations, checksum } = av.best.parsed;
  const avMips = mips(insns, av.best.seconds);
  const msPerIter = (s) => ((s * 1000) / iterations).toFixed(3);

  // The interpreter alone (--no-jit), once, for reference.
  const interp = await runArmvisor(elf, { el: 1, ramMiB: 128, fp: true, jit: false });
  if (interp.instructions !== insns || checkOutput("armvisor --no-jit", interp.output).checksum !== checksum) throw fail("armvisor --no-jit: result differs from the JIT's");

  const rows = [["", "instructions", "seconds", "MIPS", "ms/iteration"]];
  rows.push(["armvisor --fp (in-process, machine.run() only)", String(insns), av.best.seconds.toFixed(3), avMips.toFixed(1), msPerIter(av.best.seconds)]);
  rows.push(["armvisor --fp --no-jit (interpreter only, 1 run)", String(insns), interp.seconds.toFixed(3), mips(insns, interp.seconds).toFixed(1), msPerIter(interp.seconds)]);
  let qemuMips;
  if (qemuPresent) {
    const raw = q.best.seconds;
    const adj = raw - startup.best.seconds;
    rows.push(["qemu (whole process, raw)", String(insns), raw.toFixed(3), mips(insns, raw).toFixed(1), msPerIter(raw)]);
    if (adj > 0) {
      rows.push([`qemu (minus startup ${startup.best.seconds.toFixed(3)} s = hello.elf)`, String(insns), adj.toFixed(3), mips(insns, adj).toFixed(1), msPerIter(adj)]);
      qemuMips = mips(insns, adj);
    } else {
      notes.push(`QEMU startup (${startup.best.seconds.toFixed(3)} s) >= simd run; using the raw time`);
      qemuMips = mips(insns, raw);
    }
    notes.push(`${qemuVersion()}: ${rel(elf)} at EL1 (-M virt -cpu ${QEMU_CPU}, TCG)`);
    notes.push("QEMU's instruction count is taken to be armvisor's: it is the same deterministic program (same checksum), so it retires the same instructions.");
    notes.push("RESULT uses QEMU's startup-adjusted time.");
  } else {
    notes.push("qemu-system-aarch64 not on PATH: QEMU not measured");
  }

  console.log(`simd: ${rel(elf)}, ${iterations} iterations, checksum ${checksum}${checksum === DEFAULT_CHECKSUM ? " (default SIMD_ITERS)" : " (NOT the default SIMD_ITERS build)"}, best of ${reps} runs each`);
  console.log(table(rows));
  for (const n of notes) console.log(`note: ${n}`);
  const ratio = qemuMips === undefined ? "n/a" : (avMips / qemuMips).toFixed(3);
  console.log(`RESULT simd armvisor=${avMips.toFixed(1)} qemu=${qemuMips === undefined ? "n/a" : qemuMips.toFixed(1)} ratio=${ratio}`);
}
