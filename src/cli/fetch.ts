// `armvisor fetch linux`: Debian's arm64 cloud kernel and a busybox
// initramfs, into the guest cache; `armvisor fetch xen`: Debian's Xen
// hypervisor, into its own. Registered on the main program by
// registerFetch(program).
import type { Command } from "commander";
import { CACHE_ENV, defaultCacheDir, ensureLinuxGuest } from "../guests/linux-fetch";
import { POWEROFF_PARAM, USERSPACE_MARKER } from "../guests/initramfs";
import { WANTED_MODULES } from "../guests/kernel-modules";
import { defaultXenCacheDir, ensureXen, XEN_CACHE_ENV, XEN_PACKAGE } from "../guests/xen-fetch";

interface FetchLinuxOptions { cacheDir?: string; refresh?: boolean; quiet?: boolean }

const say = (line: string) => { process.stdout.write(`armvisor: ${line}\n`); };
const oneLineErrors = { outputError: (str: string, write: (s: string) => void) => write(`armvisor: ${str.replace(/^error: /, "")}`) };

export function registerFetch(program: Command): void {
  const fetch = program
    .command("fetch")
    .description("download guests from Debian's arm64 packages into the guest cache")
    .configureOutput(oneLineErrors);
  fetch
    .command("linux")
    .summary("Debian's arm64 cloud kernel and a busybox initramfs, for `boot`")
    .description(
      `Debian's cloud kernel (linux-image-cloud-arm64) and a busybox-static initramfs: vmlinuz, initramfs.cpio.gz and manifest.json ` +
      `in the cache directory ($${CACHE_ENV}, else guests/linux/ in the project). The initramfs carries the kernel's virtio modules ` +
      `(${WANTED_MODULES.join(", ")} and what they need), so the guest sees --drive disks. Its /init prints "${USERSPACE_MARKER}", ` +
      `then powers off if the kernel command line has ${POWEROFF_PARAM}, else loads the modules and starts a shell. Without apt, put an arm64 Image ` +
      `at <cache>/vmlinuz and a static arm64 busybox at <cache>/busybox (and any modules under <cache>/modules/lib/modules/<release>/) and run it again.`)
    .option("--cache-dir <dir>", `where the files go (default: $${CACHE_ENV}, else guests/linux/ in the project)`)
    .option("--refresh", "download and build again even if cached")
    .option("-q, --quiet", "print only the cache line or errors")
    .configureOutput(oneLineErrors)
    .action(async (opts: FetchLinuxOptions) => {
      const dir = opts.cacheDir ?? defaultCacheDir();
      const g = await ensureLinuxGuest({ cacheDir: dir, refresh: opts.refresh, log: opts.quiet ? undefined : say });
      const v = g.info.kernelPackage ? ` (${g.info.kernelPackage.name} ${g.info.kernelPackage.version}, ${g.info.busyboxPackage?.name} ${g.info.busyboxPackage?.version})` : " (local files)";
      say(g.cached ? `linux guest already cached in ${g.dir}${v}; nothing to do` : `linux guest ready in ${g.dir}${v}`);
    });
  fetch
    .command("xen")
    .summary("Debian's Xen hypervisor for arm64, for `boot xen`")
    .description(
      `Debian's Xen hypervisor (${XEN_PACKAGE}, its boot/xen-*-arm64 image): xen and manifest.json in the cache directory ` +
      `($${XEN_CACHE_ENV}, else guests/xen/ in the project). \`boot xen\` runs it with the Linux guest of \`fetch linux\` as dom0. ` +
      `Without apt, put an arm64 Xen image at <cache>/xen and run it again.`)
    .option("--cache-dir <dir>", `where the files go (default: $${XEN_CACHE_ENV}, else guests/xen/ in the project)`)
    .option("--refresh", "download again even if cached")
    .option("-q, --quiet", "print only the cache line or errors")
    .configureOutput(oneLineErrors)
    .action(async (opts: FetchLinuxOptions) => {
      const dir = opts.cacheDir ?? defaultXenCacheDir();
      const g = await ensureXen({ cacheDir: dir, refresh: opts.refresh, log: opts.quiet ? undefined : say });
      const v = g.info.package ? ` (${g.info.package.name} ${g.info.package.version})` : " (local file)";
      say(g.cached ? `xen already cached in ${g.dir}${v}; nothing to do` : `xen ready in ${g.dir}${v}`);
    });
}
