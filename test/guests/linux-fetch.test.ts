// The Linux guest's files: the newc cpio writer (byte for byte, and as read
// back by an independent reader and by `cpio -t` when installed), the
// initramfs and its /init (run under the host's sh with stand-in commands),
// the kernel modules it carries (modinfo, dependency order, compressed
// files), the apt sources handling, the cache and the errors. The real download from
// Debian's archive is not done here: the tests of the fetched files run only
// when `armvisor fetch linux` has filled the cache, and skip otherwise.
import { describe, it, expect, beforeAll, afterAll, beforeEach, vi } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { Command } from "commander";
import { writeCpio, type CpioEntry } from "../../src/guests/cpio";
import {
  buildInitramfs, checkBusybox, initramfsEntries, INIT_SCRIPT, INITRAMFS_APPLETS, POWEROFF_PARAM, USERSPACE_MARKER,
} from "../../src/guests/initramfs";
import {
  debianSources, defaultDebianSources, formatDeb822Sources, isDebianArchiveUri, parseDeb822Sources, parseOneLineSources, parseOsRelease,
} from "../../src/guests/apt-sources";
import {
  cachedLinuxGuest, CACHE_ENV, defaultCacheDir, ensureLinuxGuest, initramfsLayout, linuxGuestPaths, MANIFEST_FORMAT, projectRoot,
} from "../../src/guests/linux-fetch";
import {
  moduleCompression, moduleDepends, moduleName, MODULES_LIST, parseModulesBuiltin, readModinfo, resolveModules, WANTED_MODULES,
} from "../../src/guests/kernel-modules";
import { registerFetch } from "../../src/cli/fetch";
import { cachedXen, defaultXenCacheDir, ensureXen, XEN_CACHE_ENV, XEN_PACKAGE, xenPaths } from "../../src/guests/xen-fetch";
import { UserError } from "../../src/errors";
import { readNewc } from "./newc-reader";

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const has = (cmd: string) => !spawnSync(cmd, ["--version"], { stdio: "ignore" }).error;

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), "armvisor-fetch-test-")); });
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

// A stand-in for busybox: an ELF64 AArch64 header, one program header, and
// busybox's NUL-separated applet name list.
function fakeBusybox(opts: { machine?: number; dynamic?: boolean; applets?: readonly string[] } = {}): Uint8Array {
  const names = enc.encode("\0[\0[[\0" + (opts.applets ?? INITRAMFS_APPLETS).join("\0") + "\0");
  const b = new Uint8Array(64 + 56 + names.length);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, opts.machine ?? 183, true);
  dv.setBigUint64(32, 64n, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, 1, true);
  dv.setUint32(64, opts.dynamic ? 3 : 1, true);
  b.set(names, 120);
  return b;
}

// A stand-in for a kernel module: an ELF64 relocatable object whose sections
// are the null one, .modinfo (NUL-separated key=value strings) and .shstrtab.
function fakeModule(name: string, depends: readonly string[] = [], extra = ""): Uint8Array {
  const modinfo = enc.encode(`license=GPL\0${extra}depends=${depends.join(",")}\0name=${name}\0vermagic=6.1.0-99-cloud-arm64 SMP mod_unload modversions aarch64\0`);
  const shstr = enc.encode("\0.modinfo\0.shstrtab\0");
  const shstrOff = 64 + modinfo.length, shoff = (shstrOff + shstr.length + 7) & ~7;
  const b = new Uint8Array(shoff + 3 * 64);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 1, true);           // ET_REL
  dv.setUint16(18, 183, true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, 64, true);
  dv.setUint16(58, 64, true);
  dv.setUint16(60, 3, true);
  dv.setUint16(62, 2, true);
  const section = (i: number, nameOff: number, type: number, off: number, size: number) => {
    const h = shoff + i * 64;
    dv.setUint32(h, nameOff, true);
    dv.setUint32(h + 4, type, true);
    dv.setBigUint64(h + 24, BigInt(off), true);
    dv.setBigUint64(h + 32, BigInt(size), true);
  };
  section(1, 1, 1, 64, modinfo.length);
  section(2, 10, 3, shstrOff, shstr.length);
  b.set(modinfo, 64);
  b.set(shstr, shstrOff);
  return b;
}

// A kernel package's lib/modules/<release>/ as Debian's cloud kernel has it:
// the virtio modules (virtio_console built in here, to test that too), an
// unrelated one, and modules.builtin.
const FAKE_RELEASE = "6.1.0-99-cloud-arm64";
function writeModuleTree(dir: string, opts: { compress?: (file: string, data: Uint8Array) => [string, Uint8Array] } = {}): void {
  const put = (rel: string, data: Uint8Array) => {
    const [name, bytes] = opts.compress ? opts.compress(rel, data) : [rel, data];
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  };
  put("kernel/drivers/virtio/virtio_ring.ko", fakeModule("virtio_ring"));
  put("kernel/drivers/virtio/virtio.ko", fakeModule("virtio", ["virtio_ring"]));
  put("kernel/drivers/virtio/virtio_mmio.ko", fakeModule("virtio_mmio", ["virtio", "virtio_ring"]));
  put("kernel/drivers/block/virtio_blk.ko", fakeModule("virtio_blk", ["virtio", "virtio_ring"]));
  put("kernel/drivers/char/hw_random/virtio-rng.ko", fakeModule("virtio_rng", ["virtio", "virtio_ring"]));
  put("kernel/drivers/net/virtio_net.ko", fakeModule("virtio_net", ["virtio", "virtio_ring", "net_failover"]));
  writeFileSync(join(dir, "modules.builtin"), "kernel/drivers/char/virtio_console.ko\nkernel/crypto/rng.ko\n");
}
const FAKE_LOAD_ORDER = ["virtio_ring", "virtio", "virtio_mmio", "virtio_blk", "virtio_rng"];

// An arm64 Image header: "ARM\x64" at 0x38.
function fakeKernel(): Uint8Array {
  const b = new Uint8Array(4096);
  b.set([0x41, 0x52, 0x4d, 0x64], 0x38);
  return b;
}

describe("newc cpio writer", () => {
  it("writes a one-file archive byte for byte: header fields, name and data padded to 4, TRAILER!!!", () => {
    const got = writeCpio([{ type: "file", name: "a", data: enc.encode("hi"), mode: 0o644 }]);
    const z = "00000000";
    const expected =
      // magic, ino 1, mode 0100644, uid, gid, nlink 1, mtime, filesize 2, dev maj/min, rdev maj/min, namesize 2, check
      "070701" + "00000001" + "000081A4" + z + z + "00000001" + z + "00000002" + z + z + z + z + "00000002" + z +
      "a\0" +              // 110 + 2 = 112: already a multiple of 4
      "hi\0\0" +           // data padded to 4
      "070701" + z + z + z + z + "00000001" + z + z + z + z + z + z + "0000000B" + z +
      "TRAILER!!!\0" + "\0\0\0"; // 110 + 11 = 121, padded to 124
    expect(got.length).toBe(240);
    expect(text(got)).toBe(expected);
  });

  it("pads every name and data length to 4 and reads back member for member", () => {
    const entries: CpioEntry[] = [{ type: "dir", name: "d" }];
    for (let n = 0; n <= 7; n++) entries.push({ type: "file", name: `d/${"f".repeat(n + 1)}`, data: enc.encode("x".repeat(n)), mode: 0o600 + n });
    entries.push({ type: "symlink", name: "/d/link/", target: "fff" });
    entries.push({ type: "char", name: "console", major: 5, minor: 1 });
    entries.push({ type: "block", name: "vda", major: 254, minor: 0, mode: 0o660, uid: 7, gid: 8, mtime: 1234567890 });
    const buf = writeCpio(entries);
    expect(buf.length % 4).toBe(0);
    const m = readNewc(buf);
    expect(m.map((x) => x.name)).toEqual(["d", ...Array.from({ length: 8 }, (_, n) => `d/${"f".repeat(n + 1)}`), "d/link", "console", "vda"]);
    for (const x of m) {
      expect(x.headerOffset % 4).toBe(0);
      expect(x.check).toBe(0);
    }
    expect(new Set(m.map((x) => x.ino)).size).toBe(m.length);
    expect(m[0].mode).toBe(0o040755);
    expect(m[0].nlink).toBe(2);
    for (let n = 0; n <= 7; n++) {
      expect(text(m[1 + n].data)).toBe("x".repeat(n));
      expect(m[1 + n].mode).toBe(0o100000 | (0o600 + n));
    }
    expect(m[9].mode).toBe(0o120777);
    expect(text(m[9].data)).toBe("fff");
    expect([m[10].mode, m[10].rdevmajor, m[10].rdevminor, m[10].data.length]).toEqual([0o020600, 5, 1, 0]);
    expect([m[11].mode, m[11].rdevmajor, m[11].uid, m[11].gid, m[11].mtime]).toEqual([0o060660, 254, 7, 8, 1234567890]);
  });

  it("writes an empty archive as the trailer alone", () => {
    const buf = writeCpio([]);
    expect(buf.length).toBe(124);
    expect(readNewc(buf)).toEqual([]);
  });

  it.skipIf(!has("cpio"))("is listed by cpio -t", () => {
    const buf = writeCpio([
      { type: "dir", name: "bin" },
      { type: "file", name: "bin/busybox", data: new Uint8Array(1001), mode: 0o755 },
      { type: "symlink", name: "bin/sh", target: "busybox" },
      { type: "char", name: "console", major: 5, minor: 1 },
    ]);
    const r = spawnSync("cpio", ["-itv", "--quiet"], { input: buf, encoding: "utf8" });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.map((l) => l.replace(/ -> .*$/, "").split(/\s+/).pop())).toEqual(["bin", "bin/busybox", "bin/sh", "console"]);
    expect(lines[1]).toMatch(/^-rwxr-xr-x .* 1001 /);
    expect(lines[2]).toMatch(/^lrwxrwxrwx .* bin\/sh -> busybox$/);
    expect(lines[3]).toMatch(/^crw------- .* 5,\s+1 /);
  });

  it("rejects bad members with a RangeError naming them", () => {
    const f = (name: string): CpioEntry => ({ type: "file", name, data: new Uint8Array(0) });
    expect(() => writeCpio([f("")])).toThrow(/bad member name/);
    expect(() => writeCpio([f("/")])).toThrow(/bad member name/);
    expect(() => writeCpio([f("a/../b")])).toThrow(/bad member name/);
    expect(() => writeCpio([f("a//b")])).toThrow(/bad member name/);
    expect(() => writeCpio([f("a"), f("/a")])).toThrow(/a appears twice/);
    expect(() => writeCpio([f("TRAILER!!!")])).toThrow(/end-of-archive/);
    expect(() => writeCpio([{ type: "symlink", name: "l", target: "" }])).toThrow(/empty symlink/);
    expect(() => writeCpio([{ type: "file", name: "u", data: new Uint8Array(0), uid: 2 ** 32 }])).toThrow(/u: uid 4294967296/);
    expect(() => writeCpio([{ type: "char", name: "c", major: -1, minor: 0 }])).toThrow(/rdevmajor/);
    expect(() => writeCpio([{ type: "file", name: "t", data: new Uint8Array(0), mtime: 1.5 }])).toThrow(/mtime/);
  });
});

describe("initramfs", () => {
  const bb = fakeBusybox();
  const members = readNewc(buildInitramfs(bb));
  const byName = new Map(members.map((m) => [m.name, m]));

  it("holds busybox, the applet links, /dev/console and an executable /init", () => {
    expect(byName.get("bin/busybox")!.data).toEqual(bb);
    expect(byName.get("bin/busybox")!.mode).toBe(0o100755);
    for (const a of ["sh", "mount", "echo", "cat", "ls", "uname", "dd", "sync", "poweroff", "mkdir", "setsid", "cttyhack", "insmod"]) {
      const l = byName.get(`bin/${a}`);
      expect(l, a).toBeDefined();
      expect(l!.mode).toBe(0o120777);
      expect(text(l!.data)).toBe("busybox");
    }
    const con = byName.get("dev/console")!;
    expect([con.mode, con.rdevmajor, con.rdevminor]).toEqual([0o020600, 5, 1]);
    const init = byName.get("init")!;
    expect(init.mode).toBe(0o100755);
    expect(text(init.data)).toBe(INIT_SCRIPT);
    // `busybox --install -s` needs these directories; /init mounts on these.
    for (const d of ["bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp"]) expect(byName.get(d)?.mode, d).toBe(0o040000 | (d === "tmp" ? 0o1777 : 0o755));
  });

  it("lists every directory before what it holds, with timestamps 0 (reproducible)", () => {
    const seen = new Set<string>();
    for (const m of members) {
      const parent = m.name.includes("/") ? m.name.slice(0, m.name.lastIndexOf("/")) : null;
      if (parent) expect(seen.has(parent), m.name).toBe(true);
      seen.add(m.name);
      expect(m.mtime).toBe(0);
    }
    expect(buildInitramfs(bb)).toEqual(buildInitramfs(bb));
  });

  it("carries kernel modules with their directories, listed in load order in /etc/armvisor-modules", () => {
    const rel = "lib/modules/6.1.0-99-cloud-arm64/kernel/drivers";
    const modules = [
      { path: `${rel}/virtio/virtio_ring.ko`, data: fakeModule("virtio_ring") },
      { path: `${rel}/virtio/virtio.ko`, data: fakeModule("virtio", ["virtio_ring"]) },
      { path: `${rel}/block/virtio_blk.ko`, data: fakeModule("virtio_blk", ["virtio", "virtio_ring"]) },
    ];
    const m = readNewc(buildInitramfs(bb, { modules }));
    const names = m.map((x) => x.name);
    expect(names.filter((n) => n.startsWith("lib/"))).toEqual([
      "lib/modules", "lib/modules/6.1.0-99-cloud-arm64", "lib/modules/6.1.0-99-cloud-arm64/kernel", `${rel}`, `${rel}/virtio`,
      `${rel}/virtio/virtio_ring.ko`, `${rel}/virtio/virtio.ko`, `${rel}/block`, `${rel}/block/virtio_blk.ko`,
    ]);
    for (const x of modules) {
      const e = m.find((y) => y.name === x.path)!;
      expect(e.data).toEqual(x.data);
      expect(e.mode).toBe(0o100644);
    }
    expect(m.find((y) => y.name === `${rel}/block`)!.mode).toBe(0o040755);
    expect(MODULES_LIST).toBe("etc/armvisor-modules");
    expect(text(m.find((y) => y.name === MODULES_LIST)!.data)).toBe(modules.map((x) => x.path).join("\n") + "\n");
    // Directories before their contents still holds.
    const seen = new Set<string>();
    for (const x of m) {
      if (x.name.includes("/")) expect(seen.has(x.name.slice(0, x.name.lastIndexOf("/"))), x.name).toBe(true);
      seen.add(x.name);
    }
    // No modules: no list (and /init skips loading).
    expect(readNewc(buildInitramfs(bb)).some((x) => x.name === MODULES_LIST || x.name.startsWith("lib/modules"))).toBe(false);
    expect(() => buildInitramfs(bb, { modules: [{ path: "lib/modules/x/../y.ko", data: new Uint8Array(1) }] })).toThrow(/bad module path/);
    expect(() => buildInitramfs(bb, { modules: [{ path: "etc/x.ko", data: new Uint8Array(1) }] })).toThrow(/bad module path/);
  });

  it("adds extra files", () => {
    const e = initramfsEntries(bb, { extra: [{ type: "file", name: "etc/motd", data: enc.encode("hello\n") }] });
    expect(e[e.length - 1]).toMatchObject({ name: "etc/motd", mtime: 0 });
  });

  it("/init mounts proc, sysfs and devtmpfs, prints the marker, then powers off or starts a job-control shell", () => {
    const lines = INIT_SCRIPT.split("\n");
    expect(lines[0]).toBe("#!/bin/sh");
    expect(INIT_SCRIPT).toContain("mount -t proc proc /proc\n");
    expect(INIT_SCRIPT).toContain("mount -t sysfs sysfs /sys\n");
    expect(INIT_SCRIPT).toContain("mount -t devtmpfs devtmpfs /dev\n");
    expect(lines).toContain(`echo "${USERSPACE_MARKER}"`);
    expect(USERSPACE_MARKER).toBe("armvisor: userspace up");
    expect(POWEROFF_PARAM).toBe("armvisor.poweroff");
    expect(INIT_SCRIPT).toContain("/bin/busybox --install -s\n");
    expect(INIT_SCRIPT).toContain("setsid cttyhack sh\n");
    // The marker comes before the modules load (boot timing), and those
    // only when a shell follows.
    const at = (s: string) => INIT_SCRIPT.indexOf(s);
    expect(at("insmod")).toBeGreaterThan(at(USERSPACE_MARKER));
    expect(at("insmod")).toBeGreaterThan(at("poweroff -f"));
    expect(at("insmod")).toBeLessThan(at("setsid cttyhack sh"));
    expect(INIT_SCRIPT).toContain(`< /${MODULES_LIST}\n`);
  });

  // Runs /init under the host's sh with stand-ins for busybox's commands that
  // log their arguments; /proc/cmdline comes from $CMDLINE.
  // The module list is $dir/modules when `modules` is given; insmod fails
  // (noisily, which /init must hide) for a path containing "bad".
  function runInit(cmdline: string, modules?: string): { stdout: string; stderr: string; calls: string[]; status: number | null } {
    const dir = mkdtempSync(join(tmp, "init-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const log = join(dir, "calls");
    for (const c of ["mount", "poweroff", "setsid", "busybox", "insmod"]) {
      // poweroff -f does not return: the stand-in ends the script.
      writeFileSync(join(bin, c), `#!/bin/sh\necho "${c} $*" >> "${log}"\n${c === "poweroff" ? "kill -9 $PPID\n" : ""}` +
        (c === "insmod" ? `case "$1" in *bad*) echo "insmod: can't insert '$1': invalid module format" >&2; echo oops; exit 1;; esac\n` : ""));
      chmodSync(join(bin, c), 0o755);
    }
    writeFileSync(join(bin, "cat"), `#!/bin/sh\n[ "$1" = /proc/cmdline ] && printf '%s\\n' "$CMDLINE"\n`);
    chmodSync(join(bin, "cat"), 0o755);
    const list = join(dir, "modules");
    if (modules !== undefined) writeFileSync(list, modules);
    const script = INIT_SCRIPT.replace(/^export PATH=.*$/m, `export PATH="${bin}"`).replace("/bin/busybox ", "busybox ").replaceAll(`/${MODULES_LIST}`, list);
    const r = spawnSync("sh", ["-c", script], { env: { CMDLINE: cmdline }, encoding: "utf8" });
    const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
    return { stdout: r.stdout, stderr: r.stderr, calls, status: r.status };
  }

  it.skipIf(!has("sh"))("/init powers off at once when the command line has armvisor.poweroff, loading no modules", () => {
    for (const cmdline of ["console=ttyAMA0 armvisor.poweroff", "armvisor.poweroff quiet", "armvisor.poweroff", "a armvisor.poweroff=1 b"]) {
      const r = runInit(cmdline, "lib/modules/r/a.ko\n");
      expect(r.stdout, cmdline).toBe("armvisor: userspace up\n");
      expect(r.calls, cmdline).toEqual(["mount -t proc proc /proc", "mount -t sysfs sysfs /sys", "mount -t devtmpfs devtmpfs /dev", "poweroff -f"]);
    }
  });

  it.skipIf(!has("sh"))("/init otherwise installs the applets and starts the shell, powering off when it exits", () => {
    for (const cmdline of ["console=ttyAMA0", "armvisor.poweroffx", "xarmvisor.poweroff", ""]) {
      const r = runInit(cmdline);
      expect(r.stdout, cmdline).toBe("armvisor: userspace up\narmvisor: shell exited, powering off\n");
      expect(r.status, cmdline).toBeNull(); // killed by the stand-in poweroff
      expect(r.calls.slice(3), cmdline).toEqual(["busybox --install -s", "setsid cttyhack sh", "poweroff -f"]);
    }
  });

  it.skipIf(!has("sh"))("/init loads the listed modules in order after the marker, quietly, going on past one that fails", () => {
    const r = runInit("console=ttyAMA0", "lib/modules/r/kernel/virtio_ring.ko\nlib/modules/r/kernel/bad.ko\n\nlib/modules/r/kernel/virtio.ko\n");
    expect(r.stdout).toBe("armvisor: userspace up\narmvisor: shell exited, powering off\n");
    expect(r.stderr).toBe("");
    expect(r.calls.slice(3)).toEqual([
      "insmod /lib/modules/r/kernel/virtio_ring.ko", "insmod /lib/modules/r/kernel/bad.ko", "insmod /lib/modules/r/kernel/virtio.ko",
      "busybox --install -s", "setsid cttyhack sh", "poweroff -f",
    ]);
    // A list without a final newline loses nothing.
    expect(runInit("", "lib/modules/r/a.ko\nlib/modules/r/b.ko").calls.filter((c) => c.startsWith("insmod"))).toEqual(["insmod /lib/modules/r/a.ko", "insmod /lib/modules/r/b.ko"]);
  });

  it("checks busybox: ELF64, AArch64, static, with the applets /init uses", () => {
    expect(checkBusybox(bb)).toBeNull();
    expect(checkBusybox(enc.encode("#!/bin/sh\n".padEnd(100)))).toBe("not an ELF file");
    expect(checkBusybox(fakeBusybox({ machine: 62 }))).toMatch(/machine 62, not AArch64/);
    expect(checkBusybox(fakeBusybox({ dynamic: true }))).toMatch(/dynamically linked/);
    expect(checkBusybox(fakeBusybox({ applets: INITRAMFS_APPLETS.filter((a) => a !== "cttyhack") }))).toBe("lacks the applet cttyhack");
    const b32 = fakeBusybox(); b32[4] = 1;
    expect(checkBusybox(b32)).toMatch(/ELF64/);
    expect(checkBusybox(new Uint8Array(10))).toBe("not an ELF file");
  });
});

describe("kernel modules", () => {
  it("names modules as the kernel does and knows their compression", () => {
    expect(moduleName("kernel/drivers/char/hw_random/virtio-rng.ko")).toBe("virtio_rng");
    expect(moduleName("virtio_blk.ko.xz")).toBe("virtio_blk");
    expect(moduleName("a/b/virtio.ko.zst")).toBe("virtio");
    expect(["x.ko", "x.ko.xz", "x.ko.zst", "x.ko.gz", "x.ko.bz2", "modules.dep"].map(moduleCompression)).toEqual(["none", "xz", "zst", "gz", null, null]);
    expect([...parseModulesBuiltin("kernel/drivers/char/hw_random/rng-core.ko\n\nkernel/crypto/rng.ko\n")]).toEqual(["rng_core", "rng"]);
    expect(WANTED_MODULES).toEqual(["virtio_mmio", "virtio_blk", "virtio_console", "virtio_rng"]);
  });

  it("reads .modinfo: name, depends (dashes as underscores)", () => {
    const info = readModinfo(fakeModule("virtio_blk", ["virtio", "virtio_ring"], "alias=virtio:d00000002v*\0"));
    expect(info.get("name")).toBe("virtio_blk");
    expect(info.get("alias")).toBe("virtio:d00000002v*");
    expect(moduleDepends(info)).toEqual(["virtio", "virtio_ring"]);
    expect(moduleDepends(readModinfo(fakeModule("virtio_ring")))).toEqual([]);
    expect(moduleDepends(new Map([["depends", "a-b, c"]]))).toEqual(["a_b", "c"]);
    expect(() => readModinfo(enc.encode("not an elf file at all, really".padEnd(80)))).toThrow(/not an ELF file/);
    expect(() => readModinfo(fakeBusybox())).toThrow(/section headers|modinfo/);
    const noInfo = fakeModule("x");
    noInfo.set(enc.encode(".nomodin"), Buffer.from(noInfo).indexOf(".modinfo\0.shstrtab")); // rename the section
    expect(() => readModinfo(noInfo)).toThrow(/no \.modinfo section/);
  });

  it("orders the wanted modules after their dependencies, and reports built-in, missing and unreadable ones", () => {
    const deps: Record<string, string[]> = {
      virtio_ring: [], virtio: ["virtio_ring"], virtio_mmio: ["virtio", "virtio_ring"], virtio_blk: ["virtio", "virtio_ring"],
      virtio_rng: ["virtio", "virtio_ring"], needs_gone: ["virtio", "gone"], broken: [],
    };
    const files = new Map(Object.keys(deps).map((n) => [n, `${n}.ko`]));
    const dep = (f: string, n: string) => { if (n === "broken") throw new Error("bad ELF"); expect(f).toBe(`${n}.ko`); return deps[n]; };
    const r = resolveModules(WANTED_MODULES, files, dep, new Set(["virtio_console"]));
    expect(r.modules.map((m) => m.name)).toEqual(["virtio_ring", "virtio", "virtio_mmio", "virtio_blk", "virtio_rng"]);
    expect(r.modules[2]).toEqual({ name: "virtio_mmio", file: "virtio_mmio.ko", depends: ["virtio", "virtio_ring"] });
    expect(r.builtin).toEqual(["virtio_console"]);
    expect([r.missing, r.failed]).toEqual([[], []]);
    const bad = resolveModules(["needs_gone", "broken", "virtio_console", "virtio_blk"], files, dep);
    expect(bad.modules.map((m) => m.name)).toEqual(["virtio_ring", "virtio", "virtio_blk"]);
    expect(bad.missing).toEqual(["gone", "virtio_console"]);
    expect(bad.failed).toEqual([{ name: "broken", why: "bad ELF" }]);
    // A dependency cycle (which modpost forbids) ends.
    const cyc = resolveModules(["a"], new Map([["a", "a"], ["b", "b"]]), (f) => (f === "a" ? ["b"] : ["a"]));
    expect(cyc.modules.map((m) => m.name)).toEqual(["b", "a"]);
  });
});

describe("apt sources", () => {
  const deb822 = `# the system's sources
Types: deb deb-src
# a snapshot, commented out
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGPL
 -----END PGP PUBLIC KEY BLOCK-----

Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main

Enabled: no
Types: deb
URIs: http://ftp.de.debian.org/debian
Suites: trixie
Components: main
`;

  it("parses deb822 stanzas with comments, continuation lines and Enabled", () => {
    const s = parseDeb822Sources(deb822);
    expect(s.length).toBe(4);
    expect(s[0]).toMatchObject({ types: ["deb", "deb-src"], uris: ["http://deb.debian.org/debian"], suites: ["bookworm", "bookworm-updates"], components: ["main", "contrib"], enabled: true });
    expect(s[1].fields.get("Signed-By")).toBe("\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBGPL\n -----END PGP PUBLIC KEY BLOCK-----");
    expect(s[3].enabled).toBe(false);
  });

  it("keeps only enabled Debian binary sources, and writes them for arm64", () => {
    const d = debianSources(parseDeb822Sources(deb822));
    expect(d.map((x) => x.uris[0])).toEqual(["http://deb.debian.org/debian", "http://deb.debian.org/debian-security"]);
    expect(d[0].types).toEqual(["deb"]);
    const out = formatDeb822Sources(d, "arm64");
    expect(out.split("\n\n")[0]).toBe(
      "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main contrib\nArchitectures: arm64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg");
    // What we write parses back the same way.
    const again = parseDeb822Sources(out);
    expect(again.map((x) => [x.uris, x.suites, x.fields.get("Signed-By")])).toEqual(d.map((x) => [x.uris, x.suites, x.fields.get("Signed-By")]));
  });

  it("parses one-line sources.list entries and their options", () => {
    const s = parseOneLineSources(`# comment
deb http://deb.debian.org/debian bookworm main non-free-firmware
deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm-updates main # trailing
deb-src http://deb.debian.org/debian bookworm main
deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main
not a source line
`);
    expect(s.length).toBe(4);
    expect(s[0]).toMatchObject({ types: ["deb"], uris: ["http://deb.debian.org/debian"], suites: ["bookworm"], components: ["main", "non-free-firmware"] });
    expect(s[1].fields.get("Signed-By")).toBe("/k.gpg");
    expect(s[1].fields.has("arch")).toBe(false);
    expect(debianSources(s).map((x) => `${x.uris[0]} ${x.suites[0]}`)).toEqual(["http://deb.debian.org/debian bookworm", "http://mirror.example/debian/ bookworm-updates"]);
  });

  it("recognises Debian archive URIs", () => {
    for (const u of ["http://deb.debian.org/debian", "https://deb.debian.org/debian/", "http://security.debian.org/debian-security", "http://snapshot.debian.org/archive/debian/20250520T000000Z", "mirror+file:///etc/apt/mirrors/debian.list"])
      expect(isDebianArchiveUri(u), u).toBe(true);
    for (const u of ["https://deb.nodesource.com/node_20.x", "http://archive.ubuntu.com/ubuntu", "not a uri", "http://example.com/debianish"])
      expect(isDebianArchiveUri(u), u).toBe(false);
  });

  it("falls back to Debian's archive for the release in os-release", () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_CODENAME=bookworm\n')).toEqual({ id: "debian", idLike: [], codename: "bookworm" });
    expect(parseOsRelease("ID=ubuntu\nID_LIKE=debian\n")).toEqual({ id: "ubuntu", idLike: ["debian"], codename: undefined });
    const d = defaultDebianSources("bookworm");
    expect(d.flatMap((x) => x.suites)).toEqual(["bookworm", "bookworm-updates", "bookworm-security"]);
  });
});

describe("the guest cache", () => {
  it("Xen's lives in guests/xen/ of the project unless ARMVISOR_XEN_CACHE says otherwise", () => {
    expect(defaultXenCacheDir({})).toBe(join(projectRoot(), "guests", "xen"));
    expect(defaultXenCacheDir({ [XEN_CACHE_ENV]: "/x/y" })).toBe("/x/y");
    expect(xenPaths("/c")).toEqual({ dir: "/c", xen: "/c/xen", manifest: "/c/manifest.json" });
    expect(cachedXen(join(tmp, "nothing-here"))).toBeNull();
  });

  it("lives in guests/linux/ of the project unless ARMVISOR_CACHE says otherwise", () => {
    expect(existsSync(join(projectRoot(), "package.json"))).toBe(true);
    expect(defaultCacheDir({})).toBe(join(projectRoot(), "guests", "linux"));
    expect(defaultCacheDir({ [CACHE_ENV]: "/x/y" })).toBe("/x/y");
    expect(linuxGuestPaths("/c")).toEqual({ dir: "/c", kernel: "/c/vmlinuz", initramfs: "/c/initramfs.cpio.gz", busybox: "/c/busybox", modules: "/c/modules", manifest: "/c/manifest.json" });
    expect(cachedLinuxGuest(join(tmp, "nothing-here"))).toBeNull();
  });

  it("says, in one line, when the cache directory cannot be made", async () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "");
    await expect(ensureLinuxGuest({ cacheDir: join(file, "linux") })).rejects.toThrow(/^cannot create the cache directory .*a-file\/linux: ENOTDIR$/);
    await expect(ensureLinuxGuest({ cacheDir: file })).rejects.toThrow(/a-file: ENOTDIR$/);
    if (existsSync("/proc/self")) await expect(ensureLinuxGuest({ cacheDir: "/proc/armvisor-nope/linux" })).rejects.toThrow(/^cannot create the cache directory \/proc\/armvisor-nope\/linux: ENOENT$/);
  });

  // Without apt (PATH holds no apt-get): one line saying what to do, or the
  // user's own files made into a guest.
  describe("without apt", () => {
    let savedPath: string | undefined;
    beforeAll(() => { savedPath = process.env.PATH; process.env.PATH = join(tmp, "empty-path"); });
    afterAll(() => { process.env.PATH = savedPath; });

    it("says, in one line, how to supply the files", async () => {
      const dir = join(tmp, "no-apt");
      const e = await ensureLinuxGuest({ cacheDir: dir }).then(() => null, (x) => x);
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).not.toContain("\n");
      expect(e.message).toMatch(/^apt-get is not available/);
      expect(e.message).toContain(`${dir}/vmlinuz`);
      expect(e.message).toContain(`${dir}/busybox`);
      expect(e.message).toContain("armvisor boot --kernel FILE --initrd FILE");
    });

    it("builds the initramfs from a kernel and busybox put in the cache, then reports it cached", async () => {
      const dir = join(tmp, "local");
      mkdirSync(dir);
      writeFileSync(join(dir, "vmlinuz"), fakeKernel());
      writeFileSync(join(dir, "busybox"), fakeBusybox());
      const lines: string[] = [];
      const g = await ensureLinuxGuest({ cacheDir: dir, log: (l) => lines.push(l) });
      expect(g.cached).toBe(false);
      expect(g.info.source).toBe("local");
      expect(g.info.initramfsLayout).toBe(initramfsLayout());
      expect(lines[0]).toMatch(/apt-get is not available: using/);
      const m = readNewc(new Uint8Array(gunzipSync(readFileSync(g.initramfs))));
      expect(m.find((x) => x.name === "init")!.data).toEqual(enc.encode(INIT_SCRIPT));
      expect(JSON.parse(readFileSync(g.manifest, "utf8")).sizes.initramfs).toBe(readFileSync(g.initramfs).length);

      const again = await ensureLinuxGuest({ cacheDir: dir, log: (l) => lines.push(l) });
      expect(again.cached).toBe(true);
      expect(again.kernel).toBe(join(dir, "vmlinuz"));

      // A stale initramfs layout is rebuilt from the kept busybox, without apt.
      const man = JSON.parse(readFileSync(g.manifest, "utf8"));
      writeFileSync(g.manifest, JSON.stringify({ ...man, initramfsLayout: "old" }));
      expect(cachedLinuxGuest(dir)).toBeNull();
      const rebuilt = await ensureLinuxGuest({ cacheDir: dir, log: (l) => lines.push(l) });
      expect(rebuilt.cached).toBe(false);
      expect(lines.some((l) => /rebuilding .*initramfs\.cpio\.gz/.test(l))).toBe(true);
      expect(cachedLinuxGuest(dir)?.info.initramfsLayout).toBe(initramfsLayout());
    });

    it("takes kernel modules put in <cache>/modules/lib/modules/<release>/, compressed ones too", async () => {
      const dir = join(tmp, "local-modules");
      const rel = join(dir, "modules", "lib", "modules", FAKE_RELEASE);
      mkdirSync(rel, { recursive: true });
      writeFileSync(join(dir, "vmlinuz"), fakeKernel());
      writeFileSync(join(dir, "busybox"), fakeBusybox());
      const xz = has("xz");
      writeModuleTree(rel, {
        compress: (f, d) => f.endsWith("/virtio.ko") ? [`${f}.gz`, gzipSync(d)]
          : f.endsWith("/virtio_blk.ko") && xz ? [`${f}.xz`, spawnSync("xz", ["-c"], { input: d }).stdout] : [f, d],
      });
      const lines: string[] = [];
      const g = await ensureLinuxGuest({ cacheDir: dir, log: (l) => lines.push(l) });
      expect(g.info.format).toBe(MANIFEST_FORMAT);
      expect(g.info.modules.map((m) => m.name)).toEqual(FAKE_LOAD_ORDER);
      expect(g.info.modules[1].path).toBe(`lib/modules/${FAKE_RELEASE}/kernel/drivers/virtio/virtio.ko`);
      expect(lines).toContain(`kernel modules: ${FAKE_LOAD_ORDER.join(", ")} (${(g.info.modules.reduce((n, m) => n + m.size, 0) / 1024).toFixed(0)} KiB); built in: virtio_console`);
      const m = readNewc(new Uint8Array(gunzipSync(readFileSync(g.initramfs))));
      const list = text(m.find((x) => x.name === MODULES_LIST)!.data).trim().split("\n");
      expect(list).toEqual(g.info.modules.map((x) => x.path));
      for (const x of g.info.modules) {
        const data = m.find((y) => y.name === x.path)!.data;
        expect(readModinfo(data).get("name"), x.path).toBe(x.name);
        expect(data.length).toBe(x.size);
        // Kept uncompressed in the cache, as the manifest lists them.
        expect(readFileSync(join(dir, "modules", x.path))).toEqual(Buffer.from(data));
      }
      expect(m.some((x) => x.name.includes("virtio_net"))).toBe(false);
      // Rebuilt from the same files when the layout changes.
      writeFileSync(g.manifest, JSON.stringify({ ...g.info, initramfsLayout: "old" }));
      const again = await ensureLinuxGuest({ cacheDir: dir });
      expect(again.cached).toBe(false);
      expect(again.info.modules).toEqual(g.info.modules);
    });

    it("says when a wanted module cannot be decompressed or is missing, and still builds the guest", async () => {
      const dir = join(tmp, "local-bad-modules");
      const rel = join(dir, "modules", "lib", "modules", FAKE_RELEASE);
      mkdirSync(rel, { recursive: true });
      writeFileSync(join(dir, "vmlinuz"), fakeKernel());
      writeFileSync(join(dir, "busybox"), fakeBusybox());
      writeModuleTree(rel, { compress: (f, d) => (f.endsWith("/virtio_blk.ko") ? [`${f}.gz`, d] : f.endsWith("virtio-rng.ko") ? [`${f}.skip`, d] : [f, d]) });
      const lines: string[] = [];
      const g = await ensureLinuxGuest({ cacheDir: dir, log: (l) => lines.push(l) });
      expect(g.info.modules.map((m) => m.name)).toEqual(["virtio_ring", "virtio", "virtio_mmio"]);
      expect(lines.some((l) => /^warning: .*cannot use kernel\/drivers\/block\/virtio_blk\.ko\.gz: /.test(l))).toBe(true);
      expect(lines).toContain(`warning: ${join(dir, "modules")} has no module virtio_rng (nor built in): the guest will miss the devices that need it`);
    });

    it("does not take a manifest of the old format (before kernel modules) as cached", async () => {
      const dir = join(tmp, "local");
      const man = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
      expect(cachedLinuxGuest(dir)).not.toBeNull();
      const { modules: _m, ...old } = man;
      writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...old, format: 1 }));
      expect(cachedLinuxGuest(dir)).toBeNull();
      const g = await ensureLinuxGuest({ cacheDir: dir });
      expect(g.cached).toBe(false);
      expect(g.info.format).toBe(2);
      expect(g.info.modules).toEqual([]);
    });

    it("rejects a kernel that is not an arm64 Image", async () => {
      const dir = join(tmp, "bad-kernel");
      mkdirSync(dir);
      writeFileSync(join(dir, "vmlinuz"), new Uint8Array(4096));
      writeFileSync(join(dir, "busybox"), fakeBusybox());
      await expect(ensureLinuxGuest({ cacheDir: dir })).rejects.toThrow(/vmlinuz: not an arm64 Linux Image/);
    });

    it("rejects a busybox that is not static AArch64", async () => {
      const dir = join(tmp, "bad-busybox");
      mkdirSync(dir);
      writeFileSync(join(dir, "vmlinuz"), fakeKernel());
      writeFileSync(join(dir, "busybox"), fakeBusybox({ machine: 62 }));
      await expect(ensureLinuxGuest({ cacheDir: dir })).rejects.toThrow(/busybox built for ELF machine 62/);
    });

    it("fetch xen: says in one line how to supply Xen, takes an arm64 image put in the cache, rejects anything else", async () => {
      const dir = join(tmp, "xen-no-apt");
      const e = await ensureXen({ cacheDir: dir }).then(() => null, (x) => x);
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).not.toContain("\n");
      expect(e.message).toBe(`apt-get is not available (Xen comes from Debian's ${XEN_PACKAGE} package): put an arm64 Xen image at ${dir}/xen and run \`armvisor fetch xen\` again`);
      writeFileSync(join(dir, "xen"), new Uint8Array(4096));
      await expect(ensureXen({ cacheDir: dir })).rejects.toThrow(/xen: not an arm64 Xen image \(no "ARM\\x64" magic at 0x38\)$/);
      writeFileSync(join(dir, "xen"), fakeKernel());
      const lines: string[] = [];
      const x = await ensureXen({ cacheDir: dir, log: (l) => lines.push(l) });
      expect(x.cached).toBe(false);
      expect(x.info).toMatchObject({ source: "local", size: fakeKernel().length });
      expect(lines[0]).toBe(`apt-get is not available: using ${dir}/xen as it is`);
      expect((await ensureXen({ cacheDir: dir })).cached).toBe(true);
      expect(cachedXen(dir)?.xen).toBe(join(dir, "xen"));
    });

    it("`fetch linux` fails with a UserError (one line, no stack) and prints the cache line when cached", async () => {
      const program = () => {
        const p = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
        registerFetch(p);
        return p;
      };
      await expect(program().parseAsync(["node", "armvisor", "fetch", "linux", "--cache-dir", join(tmp, "cli-none")])).rejects.toBeInstanceOf(UserError);
      await expect(program().parseAsync(["node", "armvisor", "fetch", "linux", "--bogus"])).rejects.toThrow(/unknown option/);
      const out: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
      try {
        await program().parseAsync(["node", "armvisor", "fetch", "linux", "--cache-dir", join(tmp, "local")]);
      } finally {
        process.stdout.write = write;
      }
      expect(out.join("")).toMatch(/^armvisor: linux guest already cached in .*local \(local files\); nothing to do\n$/);
    });
  });
});

// The apt side with stand-ins for apt-get, apt-cache, dpkg-deb and dpkg that
// log their arguments: the private state, the metapackage, the fallback to
// the system's apt, and an unreachable archive. No network.
describe("fetching with apt (stand-in commands)", () => {
  let fake: string, logFile: string, sourcesFile: string, savedPath: string | undefined;
  const savedEnv: Record<string, string | undefined> = {};
  const setEnv = (k: string, v: string | undefined) => { if (!(k in savedEnv)) savedEnv[k] = process.env[k]; if (v === undefined) delete process.env[k]; else process.env[k] = v; };
  const script = (name: string, body: string) => { writeFileSync(join(fake, name), `#!/bin/sh\necho "${name} $*" >> "$FAKE_LOG"\n${body}`); chmodSync(join(fake, name), 0o755); };
  const calls = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n") : []);
  const sources = defaultDebianSources("bookworm");

  beforeAll(() => {
    fake = mkdtempSync(join(tmp, "fake-apt-"));
    logFile = join(fake, "log");
    sourcesFile = join(fake, "sources");
    writeFileSync(join(fake, "kernel"), fakeKernel());
    writeFileSync(join(fake, "busybox"), fakeBusybox());
    mkdirSync(join(fake, "modules"));
    writeModuleTree(join(fake, "modules"));
    script("apt-get", `
case " $* " in *" --version "*) exit 0;; esac
private=no
for a in "$@"; do case "$a" in Dir::State=*) private=yes;; Dir::Etc::sourceparts=*) cat "\${a#*=}"/*.sources > "$FAKE_SOURCES";; esac; done
case " $* " in
  *" update "*)
    if [ "$private" = yes ] && [ -n "$FAKE_PRIVATE_FAIL" ]; then echo "E: The private state is broken" >&2; exit 100; fi
    if [ -n "$FAKE_OFFLINE" ]; then
      echo "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Could not connect to deb.debian.org:80" >&2
      echo "W: Some index files failed to download. They have been ignored, or old ones used instead." >&2
    fi
    exit 0;;
  *" download "*)
    seen=no
    for a in "$@"; do
      if [ "$seen" = yes ]; then : > "\${a%:arm64}_1.0-1_arm64.deb"; fi
      [ "$a" = download ] && seen=yes
    done
    exit 0;;
esac
exit 1
`);
    script("apt-cache", `
if [ -n "$FAKE_OFFLINE" ]; then echo "E: No packages found" >&2; exit 100; fi
printf 'Package: linux-image-cloud-arm64\\nVersion: 6.1.99-1\\nDepends: linux-image-6.1.0-99-cloud-arm64 (= 6.1.99-1)\\n\\n'
`);
    script("dpkg-deb", `
case "$1" in
  --version) exit 0;;
  -f) b=$(basename "$2" .deb); echo "Package: \${b%%_*}"; v=\${b#*_}; echo "Version: \${v%_*}";;
  -x) case "$(basename "$2")" in
        linux-image-*) mkdir -p "$3/boot" "$3/lib/modules" && cp "$FAKE_DIR/kernel" "$3/boot/vmlinuz-6.1.0-99-cloud-arm64" &&
          cp -r "$FAKE_DIR/modules" "$3/lib/modules/6.1.0-99-cloud-arm64";;
        busybox-static_*) mkdir -p "$3/bin" && cp "$FAKE_DIR/busybox" "$3/bin/busybox";;
        xen-hypervisor-*) mkdir -p "$3/boot" && cp "$FAKE_DIR/kernel" "$3/boot/xen-4.17-arm64" && ln -s xen-4.17-arm64 "$3/boot/xen";;
      esac;;
esac
`);
    script("dpkg", "exit 0\n");
    savedPath = process.env.PATH;
    process.env.PATH = `${fake}:${savedPath}`;
    setEnv("FAKE_LOG", logFile);
    setEnv("FAKE_SOURCES", sourcesFile);
    setEnv("FAKE_DIR", fake);
    mkdirSync(join(fake, "tmp"));
    setEnv("TMPDIR", join(fake, "tmp"));
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    for (const [k, v] of Object.entries(savedEnv)) setEnv(k, v);
    vi.restoreAllMocks();
  });
  beforeEach(() => { rmSync(logFile, { force: true }); setEnv("FAKE_PRIVATE_FAIL", undefined); setEnv("FAKE_OFFLINE", undefined); vi.restoreAllMocks(); });

  it("uses a private arm64 apt state, resolves the metapackage and records the versions", async () => {
    const dir = join(tmp, "apt-ok");
    const lines: string[] = [];
    const g = await ensureLinuxGuest({ cacheDir: dir, sources, log: (l) => lines.push(l) });
    expect(g.cached).toBe(false);
    expect(g.info).toMatchObject({
      source: "debian",
      metapackage: { name: "linux-image-cloud-arm64", version: "6.1.99-1" },
      kernelPackage: { name: "linux-image-6.1.0-99-cloud-arm64", version: "1.0-1" },
      busyboxPackage: { name: "busybox-static", version: "1.0-1" },
      kernelRelease: "6.1.0-99-cloud-arm64",
      archive: ["http://deb.debian.org/debian bookworm", "http://deb.debian.org/debian bookworm-updates", "http://deb.debian.org/debian-security bookworm-security"],
    });
    expect(readFileSync(g.kernel)).toEqual(Buffer.from(fakeKernel()));
    const c = calls();
    const update = c.find((l) => / update$/.test(l))!;
    expect(update).toMatch(/^apt-get /);
    for (const o of ["APT::Architecture=arm64", "APT::Architectures=arm64", "Dir::State=", "Dir::State::status=", "Dir::Cache=", "Dir::Etc::sourcelist=", "Dir::Etc::sourceparts="]) expect(update).toContain(`-o ${o}`);
    expect(c.find((l) => / show /.test(l))).toMatch(/show --no-all-versions linux-image-cloud-arm64$/);
    expect(c.find((l) => / download /.test(l))).toMatch(/download linux-image-6\.1\.0-99-cloud-arm64 busybox-static$/);
    expect(c.some((l) => l.startsWith("dpkg "))).toBe(false);
    expect(readFileSync(sourcesFile, "utf8")).toContain("URIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nArchitectures: arm64\n");
    expect(lines).toContain("linux-image-cloud-arm64 6.1.99-1 depends on linux-image-6.1.0-99-cloud-arm64");
    expect(readdirSync(dir).sort()).toEqual(["busybox", "initramfs.cpio.gz", "manifest.json", "modules", "vmlinuz"]);
    expect(readdirSync(join(fake, "tmp"))).toEqual([]); // the scratch directory is gone
    // The virtio modules, in load order, in the initramfs and kept in the cache.
    expect(g.info.modules.map((m) => m.name)).toEqual(FAKE_LOAD_ORDER);
    expect(g.info.modules.map((m) => m.path)).toEqual([
      "virtio/virtio_ring.ko", "virtio/virtio.ko", "virtio/virtio_mmio.ko", "block/virtio_blk.ko", "char/hw_random/virtio-rng.ko",
    ].map((f) => `lib/modules/6.1.0-99-cloud-arm64/kernel/drivers/${f}`));
    const m = readNewc(new Uint8Array(gunzipSync(readFileSync(g.initramfs))));
    for (const x of g.info.modules) expect(Buffer.from(m.find((y) => y.name === x.path)!.data)).toEqual(readFileSync(join(dir, "modules", x.path)));
    expect(lines).toContainEqual(expect.stringMatching(/^kernel modules: virtio_ring, virtio, virtio_mmio, virtio_blk, virtio_rng \(\d+ KiB\); built in: virtio_console$/));

    rmSync(logFile);
    expect((await ensureLinuxGuest({ cacheDir: dir, sources })).cached).toBe(true);
    expect(calls()).toEqual([]);
    expect((await ensureLinuxGuest({ cacheDir: dir, sources, refresh: true })).cached).toBe(false);
    expect(calls().some((l) => / download /.test(l))).toBe(true);
  });

  it("fetch xen: the same private apt state, xen-hypervisor-4.17-arm64's boot/xen-4.17-arm64 and a manifest; a second run does nothing", async () => {
    const dir = join(tmp, "apt-xen");
    const lines: string[] = [];
    const x = await ensureXen({ cacheDir: dir, sources, log: (l) => lines.push(l) });
    expect(x.cached).toBe(false);
    expect(x.info).toMatchObject({
      source: "debian", package: { name: XEN_PACKAGE, version: "1.0-1" }, image: "boot/xen-4.17-arm64", size: fakeKernel().length,
      archive: ["http://deb.debian.org/debian bookworm", "http://deb.debian.org/debian bookworm-updates", "http://deb.debian.org/debian-security bookworm-security"],
    });
    expect(readFileSync(x.xen)).toEqual(Buffer.from(fakeKernel()));
    expect(readdirSync(dir).sort()).toEqual(["manifest.json", "xen"]);
    const c = calls();
    const update = c.find((l) => / update$/.test(l))!;
    for (const o of ["APT::Architecture=arm64", "Dir::State=", "Dir::Etc::sourceparts="]) expect(update).toContain(`-o ${o}`);
    expect(c.find((l) => / show /.test(l))).toMatch(/show --no-all-versions xen-hypervisor-4\.17-arm64$/);
    expect(c.find((l) => / download /.test(l))).toMatch(/download xen-hypervisor-4\.17-arm64$/);
    expect(lines).toContainEqual(expect.stringMatching(/^downloaded xen-hypervisor-4\.17-arm64 1\.0-1 \(0\.0 MiB\) in /));
    expect(readdirSync(join(fake, "tmp"))).toEqual([]);
    rmSync(logFile);
    expect((await ensureXen({ cacheDir: dir, sources })).cached).toBe(true);
    expect(calls()).toEqual([]);
    expect((await ensureXen({ cacheDir: dir, sources, refresh: true })).cached).toBe(false);
    expect(calls().some((l) => / download /.test(l))).toBe(true);
  });

  it("rebuilds a stale initramfs from the kept busybox and modules without apt, and fetches again when a kept module is gone", async () => {
    const dir = join(tmp, "apt-rebuild");
    const g = await ensureLinuxGuest({ cacheDir: dir, sources });
    const stale = () => writeFileSync(g.manifest, JSON.stringify({ ...JSON.parse(readFileSync(g.manifest, "utf8")), initramfsLayout: "old" }));
    stale();
    rmSync(logFile);
    const lines: string[] = [];
    const again = await ensureLinuxGuest({ cacheDir: dir, sources, log: (l) => lines.push(l) });
    expect(again.cached).toBe(false);
    expect(calls()).toEqual([]);
    expect(lines[0]).toMatch(/^rebuilding .*initramfs\.cpio\.gz \(the initramfs layout changed\)$/);
    expect(again.info.modules).toEqual(g.info.modules);
    expect(again.info.kernelPackage).toEqual(g.info.kernelPackage);
    expect(readFileSync(again.initramfs)).toEqual(readFileSync(g.initramfs));

    stale();
    rmSync(join(dir, "modules", g.info.modules[3].path));
    const fetched = await ensureLinuxGuest({ cacheDir: dir, sources });
    expect(fetched.cached).toBe(false);
    expect(calls().some((l) => / download /.test(l))).toBe(true);
    expect(existsSync(join(dir, "modules", g.info.modules[3].path))).toBe(true);

    // Modules collected for another wanted list: the package again.
    expect(fetched.info.wantedModules).toEqual([...WANTED_MODULES]);
    writeFileSync(g.manifest, JSON.stringify({ ...JSON.parse(readFileSync(g.manifest, "utf8")), initramfsLayout: "old", wantedModules: ["virtio_blk"] }));
    rmSync(logFile);
    expect((await ensureLinuxGuest({ cacheDir: dir, sources })).cached).toBe(false);
    expect(calls().some((l) => / download /.test(l))).toBe(true);
  });

  it("falls back to dpkg --add-architecture arm64 and the system's apt when the private state fails, as root", async () => {
    setEnv("FAKE_PRIVATE_FAIL", "1");
    vi.spyOn(process, "getuid").mockReturnValue(0);
    const lines: string[] = [];
    const g = await ensureLinuxGuest({ cacheDir: join(tmp, "apt-fallback"), sources, log: (l) => lines.push(l) });
    expect(g.info.kernelPackage?.name).toBe("linux-image-6.1.0-99-cloud-arm64");
    const c = calls();
    expect(c).toContain("dpkg --add-architecture arm64");
    expect(c.find((l) => / download /.test(l))).toMatch(/download linux-image-6\.1\.0-99-cloud-arm64:arm64 busybox-static:arm64$/);
    expect(c.find((l) => / show /.test(l))).toMatch(/linux-image-cloud-arm64:arm64$/);
    expect(lines.some((l) => /private apt state did not work \(apt-get update failed: E: The private state is broken\); falling back/.test(l))).toBe(true);
  });

  it("does not fall back when not root: one line with apt's error", async () => {
    setEnv("FAKE_PRIVATE_FAIL", "1");
    vi.spyOn(process, "getuid").mockReturnValue(1000);
    const e = await ensureLinuxGuest({ cacheDir: join(tmp, "apt-nonroot"), sources }).then(() => null, (x) => x);
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe("apt-get update failed: E: The private state is broken");
    expect(calls().some((l) => l.startsWith("dpkg "))).toBe(false);
    expect(readdirSync(join(tmp, "apt-nonroot"))).toEqual([]);
    expect(readdirSync(join(fake, "tmp"))).toEqual([]);
  });

  it("says the archive is unreachable (and does not touch the system's apt) when apt-get update cannot fetch", async () => {
    setEnv("FAKE_OFFLINE", "1");
    vi.spyOn(process, "getuid").mockReturnValue(0);
    const e = await ensureLinuxGuest({ cacheDir: join(tmp, "apt-offline"), sources }).then(() => null, (x) => x);
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/^apt-get update could not read Debian's arm64 package lists \(a private apt state\): W: Failed to fetch http:\/\/deb\.debian\.org\/debian\/dists\/bookworm\/InRelease {2}Could not connect/);
    expect(calls().some((l) => l.startsWith("dpkg "))).toBe(false);
  });
});

// The files `armvisor fetch linux` downloaded, when it has run.
const cached = cachedLinuxGuest();
describe.skipIf(!cached)("the fetched Debian guest (run `armvisor fetch linux` first)", () => {
  it("has an arm64 Image and an initramfs with Debian's busybox and our /init", () => {
    const g = cached!;
    const k = readFileSync(g.kernel);
    expect(k.subarray(0x38, 0x3c)).toEqual(Buffer.from("ARM\x64", "latin1"));
    expect(g.info.kernelPackage!.name).toMatch(/^linux-image-\d.*-cloud-arm64$/);
    const m = readNewc(new Uint8Array(gunzipSync(readFileSync(g.initramfs))));
    expect(m.find((x) => x.name === "init")!.data).toEqual(enc.encode(INIT_SCRIPT));
    const bb = m.find((x) => x.name === "bin/busybox")!.data;
    expect(checkBusybox(bb)).toBeNull();
    expect(bb.length).toBe(g.info.sizes.busybox);
    // Debian's cloud kernel has the virtio drivers as modules: all of them, in load order.
    expect(g.info.modules.map((x) => x.name)).toEqual(["virtio_ring", "virtio", "virtio_mmio", "virtio_blk", "virtio_console", "virtio_rng"]);
    const list = text(m.find((x) => x.name === MODULES_LIST)!.data).trim().split("\n");
    expect(list).toEqual(g.info.modules.map((x) => x.path));
    for (const x of g.info.modules) {
      expect(x.path.startsWith(`lib/modules/${g.info.kernelRelease}/kernel/drivers/`), x.path).toBe(true);
      const info = readModinfo(m.find((y) => y.name === x.path)!.data);
      expect(info.get("name")).toBe(x.name);
      expect(info.get("vermagic")?.split(" ")[0]).toBe(g.info.kernelRelease);
    }
  });

  // QEMU (the reference board) boots it to the marker and powers off.
  it.skipIf(!has("qemu-system-aarch64"))("boots under QEMU's virt board to the marker and powers off", () => {
    const g = cached!;
    const r = spawnSync("qemu-system-aarch64", [
      "-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-nographic", "-no-reboot", "-monitor", "none", "-serial", "stdio",
      "-kernel", g.kernel, "-initrd", g.initramfs, "-append", `console=ttyAMA0 panic=-1 quiet ${POWEROFF_PARAM}`,
    ], { encoding: "utf8", timeout: 120_000, input: "" });
    expect(r.stdout).toContain(`${USERSPACE_MARKER}\r\n`);
    expect(r.status).toBe(0);
  }, 150_000);

  // And in its shell the modules have loaded: a virtio-blk disk on QEMU's
  // virtio-mmio transport is /dev/vda. Typed once the prompt is there.
  it.skipIf(!has("qemu-system-aarch64"))("loads the virtio modules under QEMU: its virtio-mmio disk is /dev/vda", async () => {
    const g = cached!;
    const img = join(tmp, "qemu-disk.img");
    writeFileSync(img, new Uint8Array(1 << 20));
    const q = spawn("qemu-system-aarch64", [
      "-M", "virt,gic-version=3", "-cpu", "cortex-a57", "-m", "512", "-nographic", "-no-reboot", "-monitor", "none", "-serial", "stdio",
      "-kernel", g.kernel, "-initrd", g.initramfs, "-append", "console=ttyAMA0 panic=-1",
      "-drive", `file=${img},if=none,format=raw,id=d0`, "-device", "virtio-blk-device,drive=d0",
    ], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let typed = 0;
    const script = ["cat /sys/block/vda/size; lsmod | grep -c '^virtio'", "poweroff -f"];
    const status = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => q.kill(), 120_000);
      q.stdout.on("data", (b: Buffer) => {
        out += b.toString("latin1");
        // One line per prompt (busybox ash's "/ # ").
        if (typed < script.length && out.split(/(?:^|\n)\/ # /).length - 1 > typed) q.stdin.write(script[typed++] + "\n");
      });
      q.on("close", (code) => { clearTimeout(timer); resolve(code); });
    });
    const text = out.replace(/\r\n/g, "\n");
    expect(text, text.slice(-2000)).toMatch(/virtio_blk virtio\d+: \[vda\] 2048 512-byte logical blocks/);
    expect(text).toMatch(/^2048\n6$/m);
    expect(status).toBe(0);
  }, 150_000);
});
