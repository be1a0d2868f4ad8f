// The Xen hypervisor from Debian's arm64 packages: xen-hypervisor-4.17-arm64's
// boot/xen-4.17-arm64 (an arm64 Image with a PE header, loaded like a Linux
// kernel), kept in a cache directory (guests/xen/ by default) with a
// manifest. Fetched through the same private apt state as the Linux guest
// (apt.ts). Dom0 is the Linux guest's kernel and initramfs (linux-fetch.ts).
//
// Node-only (child processes, files).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UserError } from "../errors";
import type { AptSource } from "./apt-sources";
import {
  AptError, aptDownload, aptShow, archiveNames, atomicWrite, debExtract, debVersion, guestCacheDir, hasCommand, makeCacheDir, mib, openApt, secs, sha256,
  show, systemDebianSources, type FetchOptions, type PackageVersion,
} from "./apt";

export const XEN_PACKAGE = "xen-hypervisor-4.17-arm64";
export const XEN_CACHE_ENV = "ARMVISOR_XEN_CACHE";
export const XEN_MANIFEST_FORMAT = 1;

export interface XenPaths {
  dir: string;          // the cache directory
  xen: string;          // <dir>/xen: the hypervisor's arm64 Image
  manifest: string;     // <dir>/manifest.json
}

export interface XenManifest {
  format: typeof XEN_MANIFEST_FORMAT;
  source: "debian" | "local";
  package?: PackageVersion;     // xen-hypervisor-4.17-arm64
  image?: string;               // the file in the package: "boot/xen-4.17-arm64"
  archive?: string[];           // the apt sources used, "URI SUITE"
  size: number;
  sha256: string;
  created: string;
}

export interface XenGuest extends XenPaths {
  info: XenManifest;
  cached: boolean;              // nothing was done
}

export function defaultXenCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return guestCacheDir(env, XEN_CACHE_ENV, "xen");
}

export function xenPaths(cacheDir: string = defaultXenCacheDir()): XenPaths {
  const dir = resolve(cacheDir);
  return { dir, xen: join(dir, "xen"), manifest: join(dir, "manifest.json") };
}

// Xen for arm64 is an arm64 Image: "ARM\x64" at 0x38 (with a PE header when
// built with EFI support, as Debian's is).
export function checkXenImage(b: Uint8Array, what: string): void {
  if (b.length < 64 || b[0x38] !== 0x41 || b[0x39] !== 0x52 || b[0x3a] !== 0x4d || b[0x3b] !== 0x64) {
    throw new UserError(`${what}: not an arm64 Xen image (no "ARM\\x64" magic at 0x38)`);
  }
}

function readManifest(p: XenPaths): XenManifest | null {
  try {
    const m = JSON.parse(readFileSync(p.manifest, "utf8")) as XenManifest;
    return m && m.format === XEN_MANIFEST_FORMAT && typeof m.size === "number" ? m : null;
  } catch { return null; }
}

// Xen if it is complete in the cache; null otherwise. Never fetches.
export function cachedXen(cacheDir?: string): XenGuest | null {
  const p = xenPaths(cacheDir);
  const info = readManifest(p);
  if (!info || !existsSync(p.xen) || statSync(p.xen).size !== info.size) return null;
  return { ...p, info, cached: true };
}

// cacheDir: default $ARMVISOR_XEN_CACHE, else <project>/guests/xen.
export async function ensureXen(opts: FetchOptions = {}): Promise<XenGuest> {
  const p = xenPaths(opts.cacheDir);
  const log = opts.log ?? (() => {});
  if (!opts.refresh) {
    const hit = cachedXen(p.dir);
    if (hit) return hit;
  }
  makeCacheDir(p.dir);
  if (!hasCommand("apt-get") || !hasCommand("dpkg-deb")) {
    if (existsSync(p.xen)) {
      log(`apt-get is not available: using ${show(p.xen)} as it is`);
      return finish(p, readFileSync(p.xen), { source: "local" }, log);
    }
    throw new UserError(
      `apt-get${hasCommand("apt-get") ? "'s dpkg-deb" : ""} is not available (Xen comes from Debian's ${XEN_PACKAGE} package): ` +
      `put an arm64 Xen image at ${show(p.xen)} and run \`armvisor fetch xen\` again`);
  }
  const work = mkdtempSync(join(tmpdir(), "armvisor-fetch-xen-"));
  try {
    return await fetchWithApt(p, work, opts.sources ?? systemDebianSources(`put an arm64 Xen image at ${show(p.xen)} and run \`armvisor fetch xen\` again`), log);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function fetchWithApt(p: XenPaths, work: string, sources: AptSource[], log: (l: string) => void): Promise<XenGuest> {
  const archive = archiveNames(sources);
  const t0 = performance.now();
  log(`reading Debian's arm64 package lists (${archive.join(", ")})`);
  const { apt } = await openApt(work, sources, log, async (apt) => {
    const out = await aptShow(apt, XEN_PACKAGE);
    if (!/^Version:/m.test(out)) throw new AptError(`${XEN_PACKAGE} (${apt.describe}) has no candidate version`);
  });
  const debs = join(work, "debs");
  mkdirSync(debs);
  const [deb] = await aptDownload(apt, [XEN_PACKAGE], debs);
  const pkg = await debVersion(deb);
  log(`downloaded ${pkg.name} ${pkg.version} (${mib(statSync(deb).size)}) in ${secs(performance.now() - t0)}`);
  const root = join(work, "xen");
  await debExtract(deb, root);
  // boot/xen-4.17-arm64 (the unversioned boot/xen, if any, is a symlink or a copy).
  const bootDir = join(root, "boot");
  const images = existsSync(bootDir) ? readdirSync(bootDir).filter((f) => /^xen-\d.*-arm64$/.test(f) && statSync(join(bootDir, f)).isFile()).sort() : [];
  if (!images.length) throw new UserError(`${pkg.name} ${pkg.version} has no boot/xen-*-arm64`);
  const image = images[images.length - 1];
  const xen = readFileSync(join(bootDir, image));
  rmSync(p.manifest, { force: true });
  const g = finish(p, xen, { source: "debian", package: pkg, image: `boot/${image}`, archive }, log);
  log(`done in ${secs(performance.now() - t0)}`);
  return g;
}

function finish(p: XenPaths, xen: Uint8Array, info: Pick<XenManifest, "source" | "package" | "image" | "archive">, log: (l: string) => void): XenGuest {
  checkXenImage(xen, info.image ? `${info.package?.name}:${info.image}` : p.xen);
  if (info.source === "debian") atomicWrite(p.xen, xen);
  const manifest: XenManifest = { format: XEN_MANIFEST_FORMAT, ...info, size: xen.length, sha256: sha256(xen), created: new Date().toISOString() };
  atomicWrite(p.manifest, Buffer.from(JSON.stringify(manifest, null, 2) + "\n"));
  log(`xen ${show(p.xen)} (${mib(xen.length)}${info.package ? `, ${info.package.name} ${info.package.version}` : ""})`);
  return { ...p, info: manifest, cached: false };
}
