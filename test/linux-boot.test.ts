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
import { readCoreWasm } from "../src/node/core-wasm";
import { FileDisk } from "../src/node/file-disk";
import { ensureLinuxGuest, type LinuxGuest } from "../src/guests/linux-fetch";
import { POWEROFF_PARAM, USERSPACE_MARKER } from "../src/guests/initramfs";
import { DEFAULT_APPEND } from "../src/cli/boot";
import { runWithConsole, type Run, type Shell } from "./helpers/console";

const BOOT_TIMEOUT = 150_000;     // one test: a boot takes 4-15 s here, more on a loaded machine

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

async function bootLinux(opts: { append?: string; cpus?: number; drives?: VirtDrive[]; gic?: 2 | 3; virtualization?: boolean; vhe?: boolean; pauth?: boolean; session?: (sh: Shell) => Promise<void> } = {}): Promise<Run> {
  const g = theGuest();
  return runWithConsole(async (con, waitForInput) => {
    const board = await VirtBoard.create({
      wasm: wasm as BufferSource, ramMiB: 512, cpus: opts.cpus ?? 1, console: con, fp: true, drives: opts.drives,
      gic: opts.gic, virtualization: opts.virtualization, vhe: opts.vhe, pauth: opts.pauth, waitForInput,
    });
    await board.bootLinux({
      kernel: new Uint8Array(readFileSync(g.kernel)), kernelName: g.kernel,
      initrd: new Uint8Array(readFileSync(g.initramfs)), initrdName: g.initramfs,
      append: opts.append ?? DEFAULT_APPEND,
    });
    return board;
  }, {
    session: opts.session,
    cleanup: () => { for (const d of opts.drives ?? []) (d.backend as FileDisk).close(); },
  });
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

// Linux's arm_pmu probe of the board's FEAT_PMUv3 (PMCR_EL0.N = 4, plus the cycle counter).
const PMU_PROBED = /hw perfevents: enabled with armv8_pmuv3\S* PMU driver, 5 (\(\S+\) )?counters available/;

const shellEnd = (r: Run) => `result ${r.result.kind}${"message" in r.result ? `: ${r.result.message}` : ""}`;

describe("Debian's Linux on the virt board", () => {
  it("boots to userspace and powers off (armvisor.poweroff) with no kernel warnings, with FEAT_PAuth (--pauth)", async () => {
    const r = await bootLinux({ append: `${DEFAULT_APPEND} ${POWEROFF_PARAM}`, pauth: true });
    expect(r.out).toContain(`${USERSPACE_MARKER}\r\n`);
    expect(r.result.kind, shellEnd(r)).toBe("system-off");
    expect(r.out).toContain("Run /init as init process");
    expect(r.out).toMatch(/GICv3: CPU0: found redistributor 0 region/); // the board's GICv3, as Linux sees it
    expect(r.out).toContain("arch_timer: cp15 timer(s) running at 62.50MHz (virt)");
    // FEAT_RAS (ID_AA64PFR0_EL1.RAS = 1): the kernel enables it and puts ESB in its entry paths.
    expect(r.out).toContain("CPU features: detected: RAS Extension Support");
    // The /pmu node's PMUv3: four event counters and the cycle counter.
    expect(r.out).toMatch(PMU_PROBED);
    // FEAT_PAuth: the kernel (CONFIG_ARM64_PTR_AUTH) finds it and signs its return addresses.
    expect(r.out).toContain("CPU features: detected: Address authentication (architected QARMA5 algorithm)");
    expect(r.out).toContain("CPU features: detected: Generic authentication (architected QARMA5 algorithm)");
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
  // keeps it for KVM, which initialises with the GIC's virtualization
  // interface and runs guests/kvm-hello's nested guest: its MMIO writes are
  // stage 2 aborts KVM takes at EL2 and hands to kvm-hello, its PSCI
  // SYSTEM_OFF a system event. With FEAT_VHE (ID_AA64MMFR1_EL1.VH = 1) the
  // kernel moves itself into the EL2&0 regime (HCR_EL2.{E2H,TGE}) and KVM
  // runs in VHE mode; kvm-arm.mode=nvhe keeps the kernel at EL1 with KVM's
  // nVHE hypervisor at EL2, as on a CPU without VHE.
  const MODES = [
    { name: "VHE, GICv3", gic: 3, vhe: true, append: DEFAULT_APPEND, kvm: "kvm [1]: VHE mode initialized successfully" },
    { name: "nVHE (--no-vhe: VHE hidden from the ID registers), GICv3", gic: 3, vhe: false, append: DEFAULT_APPEND, kvm: "kvm [1]: Hyp mode initialized successfully" },
    { name: "nVHE (kvm-arm.mode=nvhe), GICv2", gic: 2, vhe: true, append: `${DEFAULT_APPEND} kvm-arm.mode=nvhe`, kvm: "kvm [1]: Hyp mode initialized successfully" },
  ] as const;
  for (const m of MODES) {
    it(`boots at EL2 with --virtualization --pauth (${m.name}): KVM runs kvm-hello's nested guest, PSCI by SMC powers off`, async () => {
      let from = 0;
      const r = await bootLinux({
        gic: m.gic, virtualization: true, vhe: m.vhe, append: m.append, pauth: true,
        session: async (sh) => {
          from = await sh.type("kvm-hello; echo status=$?");
          await sh.type("poweroff -f");
        },
      });
      expect(r.result.kind, shellEnd(r)).toBe("system-off");
      expect(r.out).toContain("CPU: All CPU(s) started at EL2");
      expect(r.out).toContain("CPU features: detected: RAS Extension Support"); // KVM's exits use ESB and DISR_EL1
      expect(r.out).toContain(m.kvm);
      expect(r.out).toMatch(PMU_PROBED);
      // KVM with FEAT_PAuth: its guests' key registers and PAC instructions go through HCR_EL2.{APK, API}.
      expect(r.out).toContain("CPU features: detected: Address authentication (architected QARMA5 algorithm)");
      if (m.kvm.includes("VHE")) expect(r.out).toContain("CPU features: detected: Virtualization Host Extensions");
      else expect(r.out).not.toContain("Virtualization Host Extensions");
      if (m.gic === 3) expect(r.out).toContain("kvm [1]: GIC system register CPU interface enabled");
      const out = r.out.slice(from).replace(/\r\n/g, "\n");
      expect(out).toContain("\nhello from a nested guest\n");
      expect(out).toMatch(/^kvm-hello: \d+ exits handled \(26 MMIO writes\), the nested guest powered off$/m);
      expect(out).toMatch(/^status=0$/m);
      expect(troubleIn(r.out)).toEqual([]);
    }, BOOT_TIMEOUT);
  }
});
