// Debian's arm64 cloud kernel and the busybox initramfs of `armvisor fetch
// linux` on the virt board, in-process (VirtBoard, as `armvisor boot linux`
// runs it): to the marker with a clean kernel log, the interactive shell
// through the console, two vCPUs, and virtio-blk disks (written, and
// read-only). Input goes in only once the shell's prompt is on the console,
// as a user would type it.
//
// The guest comes from the cache (guests/linux/, or $ARMVISOR_CACHE) and is
// fetched when it is not there; without apt and network that fails every
// test with the one reason.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtBoard, type VirtDrive } from "../src/board/virt";
import type { VmResult } from "../src/hv/vm";
import { readCoreWasm } from "../src/node/core-wasm";
import { FileDisk } from "../src/node/file-disk";
import { ensureLinuxGuest, type LinuxGuest } from "../src/guests/linux-fetch";
import { POWEROFF_PARAM, USERSPACE_MARKER } from "../src/guests/initramfs";
import { DEFAULT_APPEND } from "../src/cli/boot";

const BOOT_TIMEOUT = 150_000;     // one test: a boot takes 4-15 s here, more on a loaded machine
const WAIT_TIMEOUT = 120_000;     // one wait for console output

let guest: LinuxGuest | undefined;
let fetchError: string | undefined;
let wasm: Uint8Array;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "armvisor-linux-boot-"));
  wasm = readCoreWasm("release");
  try {
    guest = await ensureLinuxGuest();
  } catch (e) {
    fetchError = e instanceof Error ? e.message : String(e);
  }
}, 600_000);
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function theGuest(): LinuxGuest {
  if (!guest) throw new Error(`the Linux guest is not in the cache and could not be fetched (\`node bin/armvisor.js fetch linux\`): ${fetchError}`);
  return guest;
}

// The console: what the guest wrote, and waits for text to appear in it.
class Console {
  out = "";
  private decoder = new TextDecoder();
  private waiters: { re: RegExp; from: number; resolve: (end: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private closed: string | undefined;

  write(bytes: Uint8Array): void {
    this.out += this.decoder.decode(bytes, { stream: true });
    for (const w of [...this.waiters]) {
      const m = w.re.exec(this.out.slice(w.from));
      if (m) this.settle(w, () => w.resolve(w.from + m.index + m[0].length));
    }
  }

  // Resolves with the offset just past the first match at or after `from`.
  waitFor(re: RegExp, from: number, what: string): Promise<number> {
    const m = re.exec(this.out.slice(from));
    if (m) return Promise.resolve(from + m.index + m[0].length);
    if (this.closed) return Promise.reject(new Error(`the guest stopped (${this.closed}) before ${what}`));
    return new Promise((resolve, reject) => {
      const w = {
        re, from, resolve, reject,
        timer: setTimeout(() => this.settle(w, () => reject(new Error(`no ${what} on the console within ${WAIT_TIMEOUT / 1000} s`))), WAIT_TIMEOUT),
      };
      this.waiters.push(w);
    });
  }

  close(why: string): void {
    this.closed = why;
    for (const w of [...this.waiters]) this.settle(w, () => w.reject(new Error(`the guest stopped (${why}) before it printed ${w.re}`)));
  }

  private settle(w: (typeof this.waiters)[number], f: () => void): void {
    clearTimeout(w.timer);
    this.waiters = this.waiters.filter((x) => x !== w);
    f();
  }
}

// busybox ash's prompt as root in /, at the start of a line (its line
// editing may ask for the cursor position, ESC [ 6 n, right after it).
const PROMPT = /(^|\n)\/ # /;

interface Shell {
  // Waits for the prompt, then types `line` and Enter; resolves with the
  // console offset where the command's echo begins.
  type(line: string): Promise<number>;
}

interface Run { result: VmResult; out: string; seconds: number }

async function bootLinux(opts: { append?: string; cpus?: number; drives?: VirtDrive[]; gic?: 2 | 3; virtualization?: boolean; session?: (sh: Shell) => Promise<void> } = {}): Promise<Run> {
  const g = theGuest();
  const con = new Console();
  // As `armvisor boot`: console input wakes a machine whose vCPUs all wait with no timer armed.
  let wake: ((more: boolean) => void) | undefined;
  let done = false;
  const board = await VirtBoard.create({
    wasm: wasm as BufferSource, ramMiB: 512, cpus: opts.cpus ?? 1, console: con, fp: true, drives: opts.drives,
    gic: opts.gic, virtualization: opts.virtualization,
    waitForInput: () => new Promise<boolean>((resolve) => { if (done) resolve(false); else wake = resolve; }),
  });
  await board.bootLinux({
    kernel: new Uint8Array(readFileSync(g.kernel)), kernelName: g.kernel,
    initrd: new Uint8Array(readFileSync(g.initramfs)), initrdName: g.initramfs,
    append: opts.append ?? DEFAULT_APPEND,
  });
  let seen = 0;
  const shell: Shell = {
    async type(line) {
      seen = await con.waitFor(PROMPT, seen, `shell prompt (to type ${JSON.stringify(line)})`);
      const at = con.out.length;
      board.pushInput(new TextEncoder().encode(line + "\n"));
      wake?.(true);
      wake = undefined;
      return at;
    },
  };
  let failure: unknown;
  const session = opts.session?.(shell).catch((e) => {
    failure = e;
    board.vm.requestQuit();
    wake?.(false);
  }).finally(() => { done = true; });
  const t0 = performance.now();
  let result: VmResult;
  try {
    result = await board.run();
  } finally {
    for (const d of opts.drives ?? []) (d.backend as FileDisk).close();
  }
  const seconds = (performance.now() - t0) / 1000;
  con.close(result.kind === "error" || result.kind === "stuck" ? `${result.kind}: ${result.message}` : result.kind);
  await session;
  if (failure) {
    const e = failure instanceof Error ? failure : new Error(String(failure));
    e.message += `\n--- console (last 3000 characters) ---\n${con.out.slice(-3000)}`;
    throw e;
  }
  return { result, out: con.out, seconds };
}

// Kernel log lines that mean trouble: WARN() splats, BUGs and Oopses, traps
// the kernel did not expect, RCU stalls and lockups, and the complaints of the
// timer, the GIC and the clocksource code. (The ordinary lines these words
// appear in, "arch_timer: cp15 timer(s) running at 62.50MHz (virt).",
// "GICv3: 256 SPIs implemented", "Root IRQ handler: gic_handle_irq", match none.)
const KERNEL_TROUBLE: RegExp[] = [
  /WARNING:|cut here|Call trace:/,
  /\bBUG:|kernel BUG at|\bOops\b|Internal error|Unable to handle kernel|Kernel panic/,
  /\bunhandled\b|undefined instruction|\bSError\b|Bad mode in|bad_mode/i,
  /rcu_(sched|preempt) (self-)?detected stall|detected stalls on CPU|rcu: INFO|soft lockup|hard LOCKUP|blocked for more than \d+ seconds/,
  /arch_timer.*(fail|error|unable|invalid|broken|giving up|not available|no interrupt|not running|erratum|bug)/i,
  /\bGIC(v\d)?\b.*(fail|error|unable|invalid|broken|timeout|cannot|can't|couldn't|misconfigured|not present|bug)|gone fishing/i,
  /\[Firmware (Bug|Warn)\]|FW_BUG/,
  /clocksource.*(unstable|skew)|Marking clocksource|timekeeping watchdog/i,
];
const troubleIn = (out: string) => out.split(/\r?\n/).filter((l) => KERNEL_TROUBLE.some((re) => re.test(l)));

const shellEnd = (r: Run) => `result ${r.result.kind}${"message" in r.result ? `: ${r.result.message}` : ""}`;

describe("Debian's Linux on the virt board", () => {
  it("boots to userspace and powers off (armvisor.poweroff) with no kernel warnings", async () => {
    const r = await bootLinux({ append: `${DEFAULT_APPEND} ${POWEROFF_PARAM}` });
    expect(r.out).toContain(`${USERSPACE_MARKER}\r\n`);
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    expect(r.out).toContain("Run /init as init process");
    expect(r.out).toMatch(/GICv3: CPU0: found redistributor 0 region/); // the board's GICv3, as Linux sees it
    expect(r.out).toContain("arch_timer: cp15 timer(s) running at 62.50MHz (virt)");
    expect(troubleIn(r.out)).toEqual([]);
    // It powered off right after the marker: no modules were loaded.
    expect(r.out.slice(r.out.indexOf(USERSPACE_MARKER))).not.toMatch(/virtio/);
    console.log(`boot to the marker and power-off: ${r.seconds.toFixed(1)} s`);
  }, BOOT_TIMEOUT);

  it("runs commands in the interactive shell typed at the console", async () => {
    let from = 0, mods = 0;
    const r = await bootLinux({
      session: async (sh) => {
        from = await sh.type("uname -a; cat /proc/cpuinfo; ls /");
        mods = await sh.type("lsmod; cat /sys/class/misc/hw_random/rng_current; head -c 8 /dev/hwrng | wc -c");
        await sh.type("poweroff -f");
      },
    });
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    const out = r.out.slice(from).replace(/\r\n/g, "\n");
    expect(out).toMatch(/^Linux \(none\) 6\.\S+-cloud-arm64 #1 SMP .* aarch64 GNU\/Linux$/m);
    expect(out).toContain("processor\t: 0\n");
    expect(out).not.toContain("processor\t: 1\n");
    expect(out).toMatch(/^Features\t: fp asimd /m);
    expect(out).toMatch(/^CPU architecture: 8$/m);
    // ls / lists the initramfs's root (in columns).
    const listing = out.split(/\n\/ # /)[0].split(/\s+/);
    for (const d of ["bin", "dev", "etc", "init", "lib", "proc", "root", "sbin", "sys", "tmp", "usr"]) expect(listing, d).toContain(d);
    // /init loaded the virtio modules; virtio-rng drives the kernel's hwrng.
    const after = r.out.slice(mods).replace(/\r\n/g, "\n");
    for (const m of ["virtio_ring", "virtio", "virtio_mmio", "virtio_blk", "virtio_console", "virtio_rng"]) expect(after, m).toMatch(new RegExp(`^${m} `, "m"));
    expect(after).toMatch(/^virtio_rng\.0\n8$/m);
    expect(troubleIn(r.out)).toEqual([]);
    console.log(`interactive shell: ${r.seconds.toFixed(1)} s`);
  }, BOOT_TIMEOUT);

  it("brings up two vCPUs (smp 2)", async () => {
    let from = 0;
    const r = await bootLinux({
      cpus: 2,
      session: async (sh) => {
        from = await sh.type("cat /proc/cpuinfo");
        await sh.type("poweroff -f");
      },
    });
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    expect(r.out).toContain("smp: Brought up 1 node, 2 CPUs");
    const out = r.out.slice(from).replace(/\r\n/g, "\n");
    expect(out.match(/^processor\t: \d+$/gm)).toEqual(["processor\t: 0", "processor\t: 1"]);
    expect(out.match(/^Features\t: fp asimd /gm)?.length).toBe(2);
    expect(troubleIn(r.out)).toEqual([]);
    console.log(`smp 2: ${r.seconds.toFixed(1)} s`);
  }, BOOT_TIMEOUT);

  it("writes a virtio-blk disk the host then reads, and cannot write a read-only one", async () => {
    const rw = join(tmp, "rw.img"), ro = join(tmp, "ro.img");
    writeFileSync(rw, new Uint8Array(1 << 20));
    const roBytes = new Uint8Array(1 << 20).map((_, i) => (i * 7 + 3) & 0xff);
    writeFileSync(ro, roBytes);
    let from = 0;
    const r = await bootLinux({
      drives: [{ backend: new FileDisk(rw) }, { backend: new FileDisk(ro, { readonly: true }), readonly: true }],
      session: async (sh) => {
        from = await sh.type("ls /dev/vda /dev/vdb; cat /sys/block/vda/size /sys/block/vdb/ro");
        await sh.type("echo armvisor-disk-test | dd of=/dev/vda bs=512 conv=sync; echo rw status $?; sync");
        await sh.type("echo armvisor-disk-test | dd of=/dev/vdb bs=512 conv=sync; echo ro status $?");
        await sh.type("dd if=/dev/vdb bs=16 count=1 2>/dev/null | hexdump -C");
        await sh.type("poweroff -f");
      },
    });
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    // The modules loaded after the marker and the driver found both disks.
    const marker = r.out.indexOf(USERSPACE_MARKER);
    expect(r.out.slice(marker)).toMatch(/virtio_blk virtio0: \[vda\] 2048 512-byte logical blocks \(1\.05 MB\/1\.00 MiB\)/);
    expect(r.out.slice(marker)).toMatch(/virtio_blk virtio1: \[vdb\] 2048 512-byte logical blocks/);
    const out = r.out.slice(from).replace(/\r\n/g, "\n");
    expect(out).toMatch(/^\/dev\/vda\s+\/dev\/vdb$/m);
    expect(out).toMatch(/^2048\n1$/m);               // vda: 2048 sectors; vdb: read-only
    expect(out).toMatch(/^1\+0 records out$/m);
    expect(out).toContain("rw status 0\n");
    expect(out).toMatch(/^dd: .*\/dev\/vdb.*: (Read-only file system|Operation not permitted)$/m);
    expect(out).not.toContain("ro status 0\n");
    expect(out).toContain("00000000  03 0a 11 18 1f 26 2d 34  3b 42 49 50 57 5e 65 6c  |.....&-4;BIPW^el|");
    const expected = new Uint8Array(512);
    expected.set(new TextEncoder().encode("armvisor-disk-test\n"));
    const disk = readFileSync(rw);
    expect(disk.subarray(0, 512)).toEqual(Buffer.from(expected));
    expect(disk.subarray(512).every((b) => b === 0)).toBe(true);
    expect(readFileSync(ro).equals(roBytes), "the read-only image is unchanged").toBe(true); // (toEqual on a MiB takes seconds)
    expect(troubleIn(r.out)).toEqual([]);
    console.log(`virtio-blk: ${r.seconds.toFixed(1)} s`);
  }, BOOT_TIMEOUT);

  // The guest owns EL2 (--virtualization): the kernel is entered at EL2 and
  // keeps it. KVM is off here (kvm-arm.mode=none); it needs the GIC's
  // virtualization interfaces, which the KVM tests exercise.
  it("boots at EL2 with --virtualization (GICv2) and powers off through PSCI by SMC", async () => {
    const r = await bootLinux({ gic: 2, virtualization: true, append: `${DEFAULT_APPEND} kvm-arm.mode=none ${POWEROFF_PARAM}` });
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    expect(r.out).toContain("CPU: All CPU(s) started at EL2");
    expect(r.out).toContain("kvm [1]: KVM disabled from command line");
    expect(r.out).toContain(`${USERSPACE_MARKER}\r\n`);
    expect(troubleIn(r.out)).toEqual([]);
  }, BOOT_TIMEOUT);

  // With FEAT_VHE (ID_AA64MMFR1_EL1.VH = 1) the kernel entered at EL2 moves
  // itself into the EL2&0 regime (HCR_EL2.{E2H,TGE}) and KVM runs in VHE
  // mode; kvm-arm.mode=nvhe keeps the kernel at EL1 with KVM's nVHE
  // hypervisor at EL2, as on a CPU without VHE.
  it("boots at EL2 with --virtualization (GICv3): the kernel runs at EL2 with VHE and KVM initialises in VHE mode", async () => {
    const r = await bootLinux({ virtualization: true, append: `${DEFAULT_APPEND} ${POWEROFF_PARAM}` });
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    expect(r.out).toContain("CPU: All CPU(s) started at EL2");
    expect(r.out).toContain("CPU features: detected: Virtualization Host Extensions");
    expect(r.out).toContain("kvm [1]: VHE mode initialized successfully");
    expect(r.out).toContain(`${USERSPACE_MARKER}\r\n`);
    expect(troubleIn(r.out)).toEqual([]);
  }, BOOT_TIMEOUT);

  it("boots at EL2 with --virtualization and kvm-arm.mode=nvhe: KVM initialises in nVHE mode", async () => {
    const r = await bootLinux({ virtualization: true, append: `${DEFAULT_APPEND} kvm-arm.mode=nvhe ${POWEROFF_PARAM}` });
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    expect(r.out).toContain("CPU: All CPU(s) started at EL2");
    expect(r.out).not.toContain("Virtualization Host Extensions");
    expect(r.out).toContain("kvm [1]: Hyp mode initialized successfully");
    expect(r.out).toContain(`${USERSPACE_MARKER}\r\n`);
    expect(troubleIn(r.out)).toEqual([]);
  }, BOOT_TIMEOUT);
});
