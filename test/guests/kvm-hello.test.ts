// guests/kvm-hello: the /dev/kvm program in the Linux initramfs. The prebuilt
// copy fetch puts in the initramfs is the build of its source, and it does
// what issue 7 asks of it on the reference: Debian's kernel at EL2 under
// QEMU (-M virt,virtualization=on -cpu cortex-a57, KVM in nVHE mode) runs it
// to the nested guest's string, the exit count and status 0.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLinuxGuest, projectRoot, type LinuxGuest } from "../../src/guests/linux-fetch";
import { readNewc } from "./newc-reader";
import { gunzipSync } from "node:zlib";

const ROOT = projectRoot();
const NESTED = "hello from a nested guest";
let guest: LinuxGuest;
beforeAll(async () => { guest = await ensureLinuxGuest(); }, 600_000);

describe("guests/kvm-hello", () => {
  it("the prebuilt copy is the build of guests/kvm-hello/kvm-hello.c, and the initramfs carries it as /bin/kvm-hello", () => {
    const make = spawnSync("make", ["-C", join(ROOT, "guests"), "build/kvm-hello"], { encoding: "utf8" });
    expect(make.status, make.stderr).toBe(0);
    const built = readFileSync(join(ROOT, "guests", "build", "kvm-hello"));
    const prebuilt = readFileSync(join(ROOT, "guests", "prebuilt", "kvm-hello"));
    expect(Buffer.compare(built, prebuilt), "guests/prebuilt/kvm-hello is stale: run `make -C guests prebuilt`").toBe(0);
    const files = readNewc(gunzipSync(readFileSync(guest.initramfs)));
    const entry = files.find((f) => f.name === "bin/kvm-hello");
    expect(entry).toBeDefined();
    expect(entry!.mode & 0o777).toBe(0o755);
    expect(Buffer.compare(Buffer.from(entry!.data), prebuilt)).toBe(0);
  });

  it("runs a nested guest under QEMU's EL2 (KVM nVHE), printing its string and exiting 0", async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const q = spawn("qemu-system-aarch64", ["-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57", "-m", "512",
        "-nographic", "-no-reboot", "-kernel", guest.kernel, "-initrd", guest.initramfs, "-append", "console=ttyAMA0"], { stdio: ["pipe", "pipe", "pipe"] });
      let text = "", stage = 0;
      const timer = setTimeout(() => { q.kill("SIGKILL"); reject(new Error(`QEMU timed out:\n${text.slice(-2000)}`)); }, 240_000);
      q.stdout.on("data", (d: Buffer) => {
        text += d.toString("latin1");
        if (stage === 0 && /(^|\n)\/ # /.test(text)) { stage = 1; q.stdin.write("kvm-hello; echo status=$?\n"); }
        if (stage === 1 && /status=\d+/.test(text)) { stage = 2; q.stdin.write("poweroff -f\n"); }
      });
      q.stderr.on("data", (d: Buffer) => { text += d.toString("latin1"); });
      q.on("error", (e) => { clearTimeout(timer); reject(e); });
      q.on("close", () => { clearTimeout(timer); resolve(text); });
    });
    expect(out).toContain("kvm [1]: Hyp mode initialized successfully");
    expect(out).toContain(`${NESTED}\r\n`);
    expect(out).toMatch(/kvm-hello: \d+ exits handled \(26 MMIO writes\), the nested guest powered off/);
    expect(out, out.slice(-1500)).toMatch(/status=0(?!\d)/);
  }, 300_000);
});
