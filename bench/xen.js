// `bench xen`: Xen 4.17 (`armvisor fetch xen`) at EL2 with the Debian kernel
// and busybox initramfs (`armvisor fetch linux`) as dom0, booted to dom0's
// userspace marker on armvisor (`boot xen`, 1 vCPU, 1024 MiB) and on QEMU
// (-M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -m 1024, the
// modules placed with -device guest-loader), each as a fresh process, with
// the same Xen and dom0 command lines; dom0 then powers off.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { compareBoots, fetchedLinux } from "./boot.js";
import { fail } from "./util.js";

const XEN_APPEND = "dom0_mem=512M dom0_max_vcpus=1 loglvl=all guest_loglvl=all console=dtuart dtuart=/pl011@9000000";
const DOM0_APPEND = "console=hvc0 earlycon=xen panic=-1 armvisor.poweroff";

export async function run({ reps = 3 } = {}) {
  const guest = fetchedLinux();
  const f = spawnSync(process.execPath, ["bin/armvisor.js", "fetch", "xen"], { stdio: ["ignore", "inherit", "inherit"] });
  if (f.status !== 0) throw fail("armvisor fetch xen failed");
  const xen = join(process.env.ARMVISOR_XEN_CACHE ?? "guests/xen", "xen");
  await compareBoots({
    name: "xen", reps,
    armvisorArgs: ["boot", "xen", "-m", "1024", "--append", XEN_APPEND,
      "--module", `${guest.kernel},${DOM0_APPEND}`, "--module", guest.initramfs],
    armvisorLabel: "armvisor boot xen (virt, GICv3, 1 vCPU, 1024 MiB)",
    // QEMU puts its DTB at RAM + 128 MiB: the modules go above it.
    qemuArgs: ["-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57", "-smp", "1", "-m", "1024", "-nographic", "-no-reboot",
      "-kernel", xen, "-append", XEN_APPEND,
      "-device", `guest-loader,addr=0x49000000,kernel=${guest.kernel},bootargs=${DOM0_APPEND}`,
      "-device", `guest-loader,addr=0x4d000000,initrd=${guest.initramfs}`],
    qemuLabel: "qemu-system-aarch64 -M virt,virtualization=on -cpu cortex-a57 (TCG)",
  });
}
