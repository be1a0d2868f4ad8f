// The Linux guest, from Debian's arm64 packages: the cloud kernel
// (linux-image-cloud-arm64 -> linux-image-6.1.0-*-cloud-arm64, boot/vmlinuz-*
// and the virtio modules from lib/modules/<release>/, see kernel-modules.ts)
// and busybox-static (bin/busybox), made into a kernel Image and a gzip'd
// initramfs in a cache directory (guests/linux/ by default). busybox and the
// modules are kept there too (modules/lib/modules/<release>/...), so a new
// /init rebuilds the initramfs without downloading anything.
//
// apt runs with a private state (apt.ts), so the system's apt configuration
// is left alone and no root is needed.
//
// Node-only (child processes, files).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { UserError } from "../errors";
import type { AptSource } from "./apt-sources";
import {
  AptError, aptDownload, aptShow, archiveNames, atomicWrite, debExtract, debVersion, guestCacheDir, hasCommand, makeCacheDir, makeDirs, mib, openApt,
  projectRoot, secs, sha256, show, systemDebianSources, type Apt, type FetchOptions, type PackageVersion,
} from "./apt";
import { buildInitramfs, checkBusybox, INIT_SCRIPT, INITRAMFS_APPLETS, INITRAMFS_DIRS, type InitramfsModule } from "./initramfs";
import { MODULES_LIST, moduleCompression, moduleDepends, moduleName, parseModulesBuiltin, readModinfo, resolveModules, WANTED_MODULES } from "./kernel-modules";

export const KERNEL_METAPACKAGE = "linux-image-cloud-arm64";
export const BUSYBOX_PACKAGE = "busybox-static";
export const CACHE_ENV = "ARMVISOR_CACHE";

export interface LinuxGuestPaths {
  dir: string;          // the cache directory
  kernel: string;       // <dir>/vmlinuz: the arm64 Linux Image
  initramfs: string;    // <dir>/initramfs.cpio.gz
  busybox: string;      // <dir>/busybox: kept to rebuild the initramfs without downloading
  modules: string;      // <dir>/modules: the kernel modules, kept likewise, as lib/modules/<release>/... below it
  manifest: string;     // <dir>/manifest.json
}

export { projectRoot, hasCommand, type PackageVersion };

// A kernel module in the initramfs, kept in the cache at <dir>/modules/<path>.
export interface KeptModule {
  name: string;                 // "virtio_blk"
  path: string;                 // "lib/modules/6.1.0-56-cloud-arm64/kernel/drivers/block/virtio_blk.ko", uncompressed
  size: number;
  sha256: string;
}

// Format 2 added the kernel modules: a format-1 cache is fetched again.
export const MANIFEST_FORMAT = 2;

export interface LinuxGuestManifest {
  format: typeof MANIFEST_FORMAT;
  source: "debian" | "local";   // fetched with apt, or files the user put in the directory
  metapackage?: PackageVersion; // linux-image-cloud-arm64
  kernelPackage?: PackageVersion; // linux-image-6.1.0-*-cloud-arm64
  busyboxPackage?: PackageVersion;
  kernelRelease?: string;       // "6.1.0-56-cloud-arm64"
  archive?: string[];           // the apt sources used, "URI SUITE"
  initramfsLayout: string;      // hash of /init and the archive layout: a change rebuilds the initramfs
  modules: KeptModule[];        // in load order (the initramfs's /etc/armvisor-modules)
  wantedModules: string[];      // WANTED_MODULES when they were collected: other ones need the kernel package again
  sizes: { kernel: number; initramfs: number; initramfsUncompressed: number; busybox: number };
  sha256: { kernel: string; initramfs: string; busybox: string };
  created: string;              // ISO time
}

export interface LinuxGuest extends LinuxGuestPaths {
  manifest: string;
  info: LinuxGuestManifest;
  cached: boolean;              // nothing was done
}

// cacheDir: default $ARMVISOR_CACHE, else <project>/guests/linux.
export type EnsureOptions = FetchOptions;

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return guestCacheDir(env, CACHE_ENV, "linux");
}

export function linuxGuestPaths(cacheDir: string = defaultCacheDir()): LinuxGuestPaths {
  const dir = resolve(cacheDir);
  return {
    dir, kernel: join(dir, "vmlinuz"), initramfs: join(dir, "initramfs.cpio.gz"), busybox: join(dir, "busybox"),
    modules: join(dir, "modules"), manifest: join(dir, "manifest.json"),
  };
}

// armvisor's own programs in the initramfs's /bin: built from guests/ by
// Debian's cross compiler and kept in guests/prebuilt/ (`make -C guests
// prebuilt`), so fetching works without one. kvm-hello: guests/kvm-hello.
export const INITRAMFS_PROGRAMS = ["kvm-hello"] as const;

export function initramfsPrograms(): { name: string; data: Uint8Array }[] {
  return INITRAMFS_PROGRAMS.map((name) => {
    const path = join(projectRoot(), "guests", "prebuilt", name);
    try {
      return { name, data: new Uint8Array(readFileSync(path)) };
    } catch {
      throw new UserError(`${path} is missing (it is part of the repository; \`make -C guests prebuilt\` rebuilds it)`);
    }
  });
}

// Changes whenever the initramfs would come out different for the same busybox and modules.
export function initramfsLayout(): string {
  const programs = initramfsPrograms().map((p) => [p.name, sha256(p.data)]);
  return createHash("sha256")
    .update(JSON.stringify({ INIT_SCRIPT, INITRAMFS_APPLETS, INITRAMFS_DIRS, MODULES_LIST, WANTED_MODULES, programs, format: MANIFEST_FORMAT }))
    .digest("hex").slice(0, 16);
}

function readManifest(p: LinuxGuestPaths): LinuxGuestManifest | null {
  try {
    const m = JSON.parse(readFileSync(p.manifest, "utf8")) as LinuxGuestManifest;
    return m && m.format === MANIFEST_FORMAT && Array.isArray(m.modules) ? m : null;
  } catch { return null; }
}

// The guest if it is complete in the cache (kernel, initramfs and manifest,
// initramfs built by this version's layout); null otherwise. Never fetches.
export function cachedLinuxGuest(cacheDir?: string): LinuxGuest | null {
  const p = linuxGuestPaths(cacheDir);
  const info = readManifest(p);
  if (!info || info.initramfsLayout !== initramfsLayout()) return null;
  if (!existsSync(p.kernel) || !existsSync(p.initramfs)) return null;
  if (statSync(p.kernel).size !== info.sizes.kernel || statSync(p.initramfs).size !== info.sizes.initramfs) return null;
  return { ...p, info, cached: true };
}

// The guest's files, fetched and built if they are not cached.
export async function ensureLinuxGuest(opts: EnsureOptions = {}): Promise<LinuxGuest> {
  const p = linuxGuestPaths(opts.cacheDir);
  const log = opts.log ?? (() => {});
  if (!opts.refresh) {
    const hit = cachedLinuxGuest(p.dir);
    if (hit) return hit;
    // Same packages, new /init: rebuild the initramfs from the kept busybox and modules.
    const old = readManifest(p);
    const kept = old && old.source === "debian" && sameList(old.wantedModules, WANTED_MODULES) ? keptModules(p, old.modules) : null;
    if (old && existsSync(p.kernel) && existsSync(p.busybox) && statSync(p.kernel).size === old.sizes.kernel && (old.source === "local" || kept)) {
      log(`rebuilding ${show(p.initramfs)} (the initramfs layout changed)`);
      return finish(p, { ...old }, kept ?? localModules(p, log), log);
    }
  }
  makeCacheDir(p.dir);

  if (!hasCommand("apt-get") || !hasCommand("dpkg-deb")) {
    // Not Debian: use files the user put in place, or say how to.
    if (existsSync(p.kernel) && existsSync(p.busybox)) {
      log(`apt-get is not available: using ${show(p.kernel)} and ${show(p.busybox)} as they are`);
      checkKernel(readFileSync(p.kernel), p.kernel);
      return finish(p, { source: "local" }, localModules(p, log), log);
    }
    throw new UserError(
      `apt-get${hasCommand("apt-get") ? "'s dpkg-deb" : ""} is not available (the Linux guest comes from Debian's arm64 packages): ` +
      `put an arm64 Linux Image at ${show(p.kernel)} and a static arm64 busybox at ${show(p.busybox)} and run \`armvisor fetch linux\` again, ` +
      `or boot your own files with \`armvisor boot --kernel FILE --initrd FILE\``);
  }

  // The unpacked kernel package is about 110 MiB: a scratch directory that a
  // killed run leaves where temporary files go, not in the cache.
  const work = mkdtempSync(join(tmpdir(), "armvisor-fetch-"));
  try {
    return await fetchWithApt(p, work, opts.sources ?? systemDebianSources(NO_DEBIAN), log);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// --- apt ---------------------------------------------------------------------

const NO_DEBIAN = "put an arm64 Linux Image and a static arm64 busybox in the cache directory (see `armvisor fetch linux --help`), or use `armvisor boot --kernel FILE --initrd FILE`";

async function fetchWithApt(p: LinuxGuestPaths, work: string, sources: AptSource[], log: (l: string) => void): Promise<LinuxGuest> {
  const archive = archiveNames(sources);
  const t0 = performance.now();

  log(`reading Debian's arm64 package lists (${archive.join(", ")})`);
  const { apt, value: meta } = await openApt(work, sources, log, resolveKernel);
  log(`${KERNEL_METAPACKAGE} ${meta.version} depends on ${meta.kernel}`);

  const debs = join(work, "debs");
  mkdirSync(debs);
  const t1 = performance.now();
  const [kernelDeb, busyboxDeb] = await aptDownload(apt, [meta.kernel, BUSYBOX_PACKAGE], debs);
  const kernelPkg = await debVersion(kernelDeb), busyboxPkg = await debVersion(busyboxDeb);
  log(`downloaded ${kernelPkg.name} ${kernelPkg.version} (${mib(statSync(kernelDeb).size)}) and ${busyboxPkg.name} ${busyboxPkg.version} (${mib(statSync(busyboxDeb).size)}) in ${secs(performance.now() - t1)}`);

  const t2 = performance.now();
  const kroot = join(work, "kernel"), broot = join(work, "busybox");
  await debExtract(kernelDeb, kroot);
  await debExtract(busyboxDeb, broot);
  const bootDir = join(kroot, "boot");
  const images = existsSync(bootDir) ? readdirSync(bootDir).filter((f) => /^vmlinuz-/.test(f)).sort() : [];
  if (!images.length) throw new UserError(`${kernelPkg.name} ${kernelPkg.version} has no boot/vmlinuz-*`);
  const kernel = readFileSync(join(bootDir, images[images.length - 1]));
  checkKernel(kernel, `${kernelPkg.name}:boot/${images[images.length - 1]}`);
  const kernelRelease = images[images.length - 1].replace(/^vmlinuz-/, "");
  const modules = collectModules(kroot, kernelRelease, `${kernelPkg.name} ${kernelPkg.version}`, log);
  const bbPath = join(broot, "bin", "busybox");
  if (!existsSync(bbPath)) throw new UserError(`${busyboxPkg.name} ${busyboxPkg.version} has no bin/busybox`);
  const busybox = readFileSync(bbPath);
  const bad = checkBusybox(busybox);
  if (bad) throw new UserError(`${busyboxPkg.name}'s bin/busybox ${bad}`);
  // Until the new manifest is written, the cache is not complete.
  rmSync(p.manifest, { force: true });
  atomicWrite(p.kernel, kernel);
  atomicWrite(p.busybox, busybox);
  rmSync(p.modules, { recursive: true, force: true });
  for (const m of modules) {
    makeDirs(dirname(join(p.modules, m.path)));
    atomicWrite(join(p.modules, m.path), m.data);
  }
  log(`unpacked in ${secs(performance.now() - t2)}`);

  const g = finish(p, {
    source: "debian",
    metapackage: { name: KERNEL_METAPACKAGE, version: meta.version },
    kernelPackage: kernelPkg, busyboxPackage: busyboxPkg,
    kernelRelease,
    archive,
  }, modules, log);
  log(`done in ${secs(performance.now() - t0)}`);
  return g;
}

// linux-image-cloud-arm64 is a metapackage: its candidate depends on the real kernel package.
async function resolveKernel(apt: Apt): Promise<{ kernel: string; version: string }> {
  const out = await aptShow(apt, KERNEL_METAPACKAGE);
  const version = /^Version:\s*(\S+)/m.exec(out)?.[1];
  const depends = /^(?:Pre-)?Depends:\s*(.*)$/m.exec(out)?.[1] ?? "";
  const kernel = depends.split(/[,|]/).map((d) => d.trim().split(/[\s(:]/)[0]).find((n) => /^linux-image-\d/.test(n));
  if (!version || !kernel) throw new AptError(`${KERNEL_METAPACKAGE} (${apt.describe}) names no linux-image package`);
  return { kernel, version };
}

// --- building ----------------------------------------------------------------

// An arm64 Linux Image ("ARM\x64" at 0x38), or a gzip'd one.
function checkKernel(b: Uint8Array, what: string): void {
  const image = b.length >= 64 && b[0x38] === 0x41 && b[0x39] === 0x52 && b[0x3a] === 0x4d && b[0x3b] === 0x64;
  const gzip = b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
  if (!image && !gzip) throw new UserError(`${what}: not an arm64 Linux Image (no "ARM\\x64" magic at 0x38)`);
}

// --- kernel modules ------------------------------------------------------------

interface Module extends InitramfsModule { name: string }

// The wanted modules and their dependencies from an unpacked kernel package
// (or any tree with lib/modules/<release>/ or usr/lib/modules/<release>/),
// uncompressed, in load order. What is missing is said in the log: the
// guest still boots, only without those devices.
export function collectModules(root: string, release: string | undefined, what: string, log: (l: string) => void): Module[] {
  let base: string | undefined, rel: string | undefined;
  for (const top of [join(root, "lib", "modules"), join(root, "usr", "lib", "modules")]) {
    let releases: string[] = [];
    try { releases = readdirSync(top).filter((r) => statSync(join(top, r)).isDirectory()).sort(); } catch { continue; }
    const pick = release !== undefined && releases.includes(release) ? release : releases.length === 1 || release === undefined ? releases[releases.length - 1] : undefined;
    if (pick) { base = join(top, pick); rel = pick; break; }
  }
  if (!base || !rel) {
    log(`note: ${what} has no lib/modules/${release ?? "<release>"}/: no kernel modules in the initramfs (the guest sees the virtio devices only if the kernel has their drivers built in)`);
    return [];
  }
  // Every module file under the release's directory, by module name (the
  // first found wins, kernel/ before updates/ and extra/).
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name === "kernel" ? -1 : b.name === "kernel" ? 1 : a.name < b.name ? -1 : 1))) {
      const f = join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.isFile() && moduleCompression(e.name) && !files.has(moduleName(e.name))) files.set(moduleName(e.name), f);
    }
  };
  walk(base);
  let builtin = new Set<string>();
  try { builtin = parseModulesBuiltin(readFileSync(join(base, "modules.builtin"), "utf8")); } catch { /* none */ }
  const data = new Map<string, Uint8Array>();
  const r = resolveModules(WANTED_MODULES, files, (file, name) => {
    const b = decompressModule(file);
    const info = readModinfo(b);
    data.set(name, b);
    return moduleDepends(info);
  }, builtin);
  for (const f of r.failed) log(`warning: ${what}: cannot use ${relative(base, files.get(f.name)!)}: ${f.why}`);
  if (r.missing.length) log(`warning: ${what} has no module ${r.missing.join(", ")} (nor built in): the guest will miss the devices that need ${r.missing.length > 1 ? "them" : "it"}`);
  const modules = r.modules.map((m) => ({
    name: m.name, data: data.get(m.name)!,
    path: ["lib", "modules", rel, ...relative(base, m.file).split(sep)].join("/").replace(/\.ko\.(xz|zst|gz)$/, ".ko"),
  }));
  const total = modules.reduce((n, m) => n + m.data.length, 0);
  log(`kernel modules: ${modules.map((m) => m.name).join(", ") || "none"} (${(total / 1024).toFixed(0)} KiB)` +
    (r.builtin.length ? `; built in: ${r.builtin.join(", ")}` : ""));
  return modules;
}

// A module file's ELF image: .ko as it is, .ko.gz with zlib, .ko.xz and .ko.zst with xz and zstd.
function decompressModule(file: string): Uint8Array {
  const raw = readFileSync(file);
  const c = moduleCompression(file);
  if (c === "none") return raw;
  if (c === "gz") return gunzipSync(raw);
  const cmd = c === "xz" ? "xz" : "zstd";
  const r = spawnSync(cmd, ["-dc"], { input: raw, maxBuffer: 1 << 30 });
  if (r.error) throw new Error((r.error as NodeJS.ErrnoException).code === "ENOENT" ? `${cmd} is not installed (apt-get install ${c === "xz" ? "xz-utils" : "zstd"})` : r.error.message);
  if (r.status !== 0) throw new Error(`${cmd} -dc failed: ${r.stderr.toString().trim().split("\n").pop() || `exit status ${r.status}`}`);
  return new Uint8Array(r.stdout);
}

// The modules a fetched cache kept, as the manifest lists them; null if any
// is gone or changed (then the cache is fetched again).
function keptModules(p: LinuxGuestPaths, list: KeptModule[]): Module[] | null {
  const out: Module[] = [];
  for (const m of list) {
    let data: Uint8Array;
    try { data = readFileSync(join(p.modules, m.path)); } catch { return null; }
    if (data.length !== m.size || sha256(data) !== m.sha256) return null;
    out.push({ name: m.name, path: m.path, data });
  }
  return out;
}

// A user's own files: modules in <dir>/modules/lib/modules/<release>/, if any.
function localModules(p: LinuxGuestPaths, log: (l: string) => void): Module[] {
  if (!existsSync(p.modules)) {
    log(`no kernel modules in ${show(p.modules)}/lib/modules/<release>/: the guest sees the virtio devices only if the kernel has their drivers built in`);
    return [];
  }
  const modules = collectModules(p.modules, undefined, show(p.modules), log);
  // Compressed ones are kept uncompressed next to the originals, as the manifest lists them.
  for (const m of modules) {
    if (existsSync(join(p.modules, m.path))) continue;
    makeDirs(dirname(join(p.modules, m.path)));
    atomicWrite(join(p.modules, m.path), m.data);
  }
  return modules;
}

const sameList = (a: readonly string[] | undefined, b: readonly string[]) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

// Builds the initramfs from <dir>/busybox and the modules, and writes the manifest.
function finish(p: LinuxGuestPaths, info: Partial<LinuxGuestManifest>, modules: Module[], log: (l: string) => void): LinuxGuest {
  const busybox = readFileSync(p.busybox);
  const bad = checkBusybox(busybox);
  if (bad) throw new UserError(`${p.busybox} ${bad}`);
  const extra = initramfsPrograms().map((p) => ({ type: "file" as const, name: `bin/${p.name}`, data: p.data, mode: 0o755 }));
  const cpio = buildInitramfs(busybox, { modules, extra });
  const gz = gzipSync(cpio, { level: 9 });
  atomicWrite(p.initramfs, gz);
  const kernel = readFileSync(p.kernel);
  const sha = sha256;
  const manifest: LinuxGuestManifest = {
    format: MANIFEST_FORMAT, source: info.source ?? "local",
    ...(info.metapackage && { metapackage: info.metapackage }),
    ...(info.kernelPackage && { kernelPackage: info.kernelPackage }),
    ...(info.busyboxPackage && { busyboxPackage: info.busyboxPackage }),
    ...(info.kernelRelease && { kernelRelease: info.kernelRelease }),
    ...(info.archive && { archive: info.archive }),
    initramfsLayout: initramfsLayout(),
    modules: modules.map((m) => ({ name: m.name, path: m.path, size: m.data.length, sha256: sha(m.data) })),
    wantedModules: [...WANTED_MODULES],
    sizes: { kernel: kernel.length, initramfs: gz.length, initramfsUncompressed: cpio.length, busybox: busybox.length },
    sha256: { kernel: sha(kernel), initramfs: sha(gz), busybox: sha(busybox) },
    created: new Date().toISOString(),
  };
  atomicWrite(p.manifest, Buffer.from(JSON.stringify(manifest, null, 2) + "\n"));
  log(`kernel ${show(p.kernel)} (${mib(kernel.length)}${manifest.kernelRelease ? `, Linux ${manifest.kernelRelease}` : ""}), ` +
    `initramfs ${show(p.initramfs)} (${mib(gz.length)}, ${mib(cpio.length)} unpacked${modules.length ? `, ${modules.length} kernel modules` : ""})`);
  return { ...p, info: manifest, cached: false };
}
