// The initramfs armvisor boots Linux with: a static busybox, the directories
// and applet links a shell needs, /dev/console, the kernel modules for the
// board's virtio-mmio devices (kernel-modules.ts) with the list of them, and
// an /init script that prints a marker and either powers off (tests,
// benchmarks) or loads the modules and gives an interactive shell.
// Platform-neutral: the caller gzips it.
import { writeCpio, type CpioEntry } from "./cpio";
import { MODULES_LIST } from "./kernel-modules";

// What /init prints once userspace runs; tests and the boot benchmark wait for it.
export const USERSPACE_MARKER = "armvisor: userspace up";
// On the kernel command line, makes /init power off right after the marker.
export const POWEROFF_PARAM = "armvisor.poweroff";

// Applets linked in the archive itself, so they work before `busybox
// --install -s` has run (and if it cannot); the rest are linked at boot.
export const INITRAMFS_APPLETS = [
  "sh", "mount", "umount", "echo", "cat", "ls", "uname", "dd", "sync", "poweroff", "reboot", "mkdir",
  "setsid", "cttyhack", "sleep", "dmesg", "insmod",
] as const;

export const INITRAMFS_DIRS = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "root", "etc", "mnt", "run", "var", "lib"] as const;

// /init. The kernel starts it with no PATH and with /dev/console as fds 0-2.
// Mounting devtmpfs over /dev hides the archive's /dev/console, but the open
// descriptors stay valid and devtmpfs provides its own. The marker comes
// before anything slow (tests and the boot benchmark time the boot to it);
// the modules load after it, and only when a shell follows: each with
// insmod, in the list's order (dependencies first), quietly, and one that
// fails to load (absent, built in, wrong kernel) does not stop the boot.
// The drivers bind to their devices as they load, so /dev/vda and friends
// exist when the shell starts.
export const INIT_SCRIPT = `#!/bin/sh
# armvisor initramfs /init (written by \`armvisor fetch linux\`)
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "${USERSPACE_MARKER}"
case " $(cat /proc/cmdline) " in
  *" ${POWEROFF_PARAM} "* | *" ${POWEROFF_PARAM}="*)
    poweroff -f ;;
esac
# The virtio drivers (modules in Debian's kernel), dependencies first.
if [ -r /${MODULES_LIST} ]; then
  while read -r m || [ -n "$m" ]; do
    [ -n "$m" ] && insmod "/$m" >/dev/null 2>&1
  done < /${MODULES_LIST}
fi
/bin/busybox --install -s
# A shell on the console's real tty (cttyhack finds it), in its own session,
# so job control and Ctrl-C work. When it exits, the machine powers off.
setsid cttyhack sh
echo "armvisor: shell exited, powering off"
poweroff -f
`;

// A kernel module for the initramfs: `path` from the archive's root
// ("lib/modules/<release>/kernel/drivers/virtio/virtio.ko"), uncompressed.
export interface InitramfsModule { path: string; data: Uint8Array }

export interface InitramfsOptions {
  // Kernel modules, in load order: written with their directories and listed in /etc/armvisor-modules.
  modules?: readonly InitramfsModule[];
  // Extra files, e.g. { name: "etc/motd", data }. Their directories must exist.
  extra?: CpioEntry[];
  // Timestamp of every member (seconds since 1970); 0 keeps the archive reproducible.
  mtime?: number;
}

// The members, in archive order.
export function initramfsEntries(busybox: Uint8Array, opts: InitramfsOptions = {}): CpioEntry[] {
  const mtime = opts.mtime ?? 0;
  const entries: CpioEntry[] = [];
  for (const d of INITRAMFS_DIRS) entries.push({ type: "dir", name: d, mode: d === "tmp" ? 0o1777 : d === "root" ? 0o700 : 0o755, mtime });
  entries.push({ type: "file", name: "bin/busybox", data: busybox, mode: 0o755, mtime });
  for (const a of INITRAMFS_APPLETS) entries.push({ type: "symlink", name: `bin/${a}`, target: "busybox", mtime });
  entries.push({ type: "char", name: "dev/console", major: 5, minor: 1, mode: 0o600, mtime });
  entries.push({ type: "file", name: "init", data: new TextEncoder().encode(INIT_SCRIPT), mode: 0o755, mtime });
  const modules = opts.modules ?? [];
  if (modules.length) {
    const dirs = new Set<string>(INITRAMFS_DIRS);
    for (const m of modules) {
      const parts = m.path.split("/");
      if (parts[0] !== "lib" || parts.length < 3 || parts.some((c) => c === "" || c === "." || c === "..") || !/\.ko$/.test(m.path)) {
        throw new RangeError(`initramfs: bad module path ${JSON.stringify(m.path)} (want lib/modules/<release>/.../<name>.ko)`);
      }
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join("/");
        if (!dirs.has(d)) { dirs.add(d); entries.push({ type: "dir", name: d, mode: 0o755, mtime }); }
      }
      entries.push({ type: "file", name: m.path, data: m.data, mode: 0o644, mtime });
    }
    entries.push({ type: "file", name: MODULES_LIST, data: new TextEncoder().encode(modules.map((m) => m.path).join("\n") + "\n"), mode: 0o644, mtime });
  }
  for (const e of opts.extra ?? []) entries.push({ mtime, ...e });
  return entries;
}

// The uncompressed newc archive.
export function buildInitramfs(busybox: Uint8Array, opts: InitramfsOptions = {}): Uint8Array {
  return writeCpio(initramfsEntries(busybox, opts));
}

// Does this look like a static AArch64 busybox? (ELF64, little-endian, EM_AARCH64,
// and the applet names the /init script needs.) Returns what is wrong, or null.
export function checkBusybox(b: Uint8Array): string | null {
  if (b.length < 64 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) return "not an ELF file";
  if (b[4] !== 2 || b[5] !== 1) return "not a little-endian ELF64 file";
  const machine = b[18] | (b[19] << 8);
  if (machine !== 183) return `built for ELF machine ${machine}, not AArch64 (183)`;
  // busybox keeps its applet names as one NUL-separated string.
  const text = latin1(b);
  const missing = INITRAMFS_APPLETS.filter((a) => !text.includes(`\0${a}\0`));
  if (missing.length) return `lacks the applet${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`;
  // A dynamically linked binary has a PT_INTERP program header.
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const phoff = Number(dv.getBigUint64(32, true)), phentsize = dv.getUint16(54, true), phnum = dv.getUint16(56, true);
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + 4 > b.length) return "truncated ELF program headers";
    if (dv.getUint32(p, true) === 3 /* PT_INTERP */) return "dynamically linked (the initramfs has no libc): use busybox-static";
  }
  return null;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return s;
}
