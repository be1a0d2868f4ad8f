// Xen 4.17 from Debian (`armvisor fetch xen`) at EL2 on the virt board with
// the Debian kernel and initramfs of `armvisor fetch linux` as dom0, placed as
// boot modules under /chosen, in-process as `armvisor boot xen` runs them:
// Xen's console on the PL011, dom0's (hvc0) through Xen's console, dom0's
// shell typed at through Xen's serial input, and `poweroff -f` in dom0 ending
// the run (Xen's dom0 shutdown hypercall, then PSCI SYSTEM_OFF by SMC).
//
// The images come from the caches (guests/xen/, guests/linux/) and are
// fetched when they are not there; without apt and network that fails every
// test with the one reason.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { VirtBoard } from "../src/board/virt";
import { VIRT_MEMMAP } from "../src/board/virt-dt";
import { readCoreWasm } from "../src/node/core-wasm";
import { ensureLinuxGuest, type LinuxGuest } from "../src/guests/linux-fetch";
import { ensureXen, type XenGuest } from "../src/guests/xen-fetch";
import { USERSPACE_MARKER } from "../src/guests/initramfs";
import { DOM0_APPEND, XEN_DEFAULT_MEMORY, xenAppend } from "../src/cli/boot";
import { placeBootBlobs, loadLinuxImage } from "../src/loader/linux";
import { runWithConsole, type Run, type Shell } from "./helpers/console";

const BOOT_TIMEOUT = 150_000;     // one boot takes 5-10 s here, more on a loaded machine

let xen: XenGuest | undefined, linux: LinuxGuest | undefined;
let fetchError: string | undefined;
let wasm: Uint8Array;

beforeAll(async () => {
  wasm = readCoreWasm("release");
  try {
    xen = await ensureXen();
    linux = await ensureLinuxGuest();
  } catch (e) {
    fetchError = e instanceof Error ? e.message : String(e);
  }
}, 600_000);

function images(): { xen: XenGuest; linux: LinuxGuest } {
  if (!xen || !linux) throw new Error(`Xen or the Linux guest is not cached and could not be fetched (\`armvisor fetch xen\`, \`armvisor fetch linux\`): ${fetchError}`);
  return { xen, linux };
}

async function bootXen(dom0Append: string, session: (sh: Shell) => Promise<void>): Promise<Run> {
  const { xen: x, linux: g } = images();
  return runWithConsole(async (con, waitForInput) => {
    const board = await VirtBoard.create({
      wasm: wasm as BufferSource, ramMiB: XEN_DEFAULT_MEMORY, console: con, fp: true, virtualization: true, waitForInput,
    });
    await board.bootLinux({
      kernel: new Uint8Array(readFileSync(x.xen)), kernelName: x.xen, append: xenAppend(XEN_DEFAULT_MEMORY, 1),
      modules: [
        { data: new Uint8Array(readFileSync(g.kernel)), name: g.kernel, cmdline: dom0Append },
        { data: new Uint8Array(readFileSync(g.initramfs)), name: g.initramfs },
      ],
    });
    return board;
  }, { session });
}

// Dom0's console lines end in "\r\r\n": its hvc0 writes "\r\n", and Xen's
// console writes a "\r" before each "\n" on the serial line.
const ended = (r: Run) => `result ${r.result.kind}${"message" in r.result ? `: ${r.result.message}` : ""}\n${r.out.slice(-2000)}`;
const hex = (v: bigint) => v.toString(16).padStart(16, "0");

describe("Xen 4.17 with Debian's kernel as dom0", () => {
  it("boots dom0 to userspace with Xen's console on the PL011; dom0's shell runs commands and `poweroff -f` powers the machine off", async () => {
    let from = 0;
    const r = await bootXen(DOM0_APPEND, async (sh) => {
      from = await sh.type("echo $((6 * 7)) $(cat /sys/hypervisor/type); cat /proc/cmdline");
      await sh.type("poweroff -f");
    });
    expect(r.result.kind, ended(r)).toBe("system-off");
    const out = r.out.replace(/\r+\n/g, "\n");
    // Xen's own lines, on the PL011.
    expect(out).toMatch(/^\(XEN\) Xen version 4\.17\.\d+ \(Debian 4\.17\.\S+\)/m);
    expect(out).toContain("(XEN) Using PSCI v1.1\n");
    expect(out).toMatch(/^\(XEN\) Generic Timer IRQ: phys=30 hyp=26 virt=27 Freq: 62500 KHz$/m);
    expect(out).toContain("(XEN) GICv3 initialization:\n");
    expect(out).toMatch(/^\(XEN\) GICv3: CPU0: Found redistributor in region 0 @/m);
    expect(out).toContain("(XEN) Brought up 1 CPUs\n");
    expect(out).toMatch(/^\(XEN\) P2M: \d+-bit IPA with \d+-bit PA and \d+-bit VMID$/m);
    expect(out).toContain("(XEN) *** LOADING DOMAIN 0 ***\n");
    // The boot modules where the board put them (as the loader places them).
    const kernel = await loadLinuxImage(new Uint8Array(readFileSync(images().xen.xen)), "xen", VIRT_MEMMAP.ram.base, BigInt(XEN_DEFAULT_MEMORY) << 20n);
    const { linux: g } = images();
    const place = placeBootBlobs({ kernel, modules: [g.kernel, g.initramfs].map((f) => ({ size: readFileSync(f).length, name: f })) });
    expect(out).toContain(`(XEN) Loading d0 kernel from boot module @ ${hex(place.modules[0].start)}\n`);
    expect(out).toContain(`(XEN) Loading ramdisk from boot module @ ${hex(place.modules[1].start)}\n`);
    expect(out).toContain(`(XEN) Allocating 1:1 mappings totalling ${XEN_DEFAULT_MEMORY / 2}MB for dom0:\n`);
    expect(out).toMatch(/^\(XEN\) \*\*\* Serial input to DOM0 \(type 'CTRL-a' three times to switch input\)$/m);
    // Dom0: Linux under Xen at EL1, its console hvc0 through Xen.
    expect(out).toContain("Xen 4.17 support found");
    expect(out).toContain(`Kernel command line: ${DOM0_APPEND}\n`);
    expect(out).toContain("CPU: All CPU(s) started at EL1");
    expect(out).toContain("xen:events: Using FIFO-based ABI");
    expect(out).toContain(`${USERSPACE_MARKER}\n`);
    // The shell's answers came back through Xen's console.
    const answers = r.out.slice(from).replace(/\r+\n/g, "\n");
    expect(answers).toMatch(/^42 xen$/m);
    expect(answers).toContain(`${DOM0_APPEND}\n`);
    // Xen handled dom0's shutdown and powered off through PSCI.
    expect(out.slice(out.indexOf("poweroff -f"))).toMatch(/reboot: Power down\n\(XEN\) Hardware Dom0 halted: halting machine\n/);
    console.log(`Xen + dom0: shell session and power-off in ${r.seconds.toFixed(1)} s`);
  }, BOOT_TIMEOUT);
});
