// Debian's arm64 packages through apt, for the guest fetchers (linux-fetch.ts,
// xen-fetch.ts): a private apt state (lists, cache, status and sources in a
// scratch directory, the sources copied from the system's Debian entries with
// the architecture set to arm64), so the system's apt configuration is left
// alone and no root is needed. Only if that fails, and we are root, does it
// fall back to `dpkg --add-architecture arm64 && apt-get update`. Then
// `apt-get download` and `dpkg-deb -x`; plus the file helpers the fetchers share.
//
// Node-only (child processes, files).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors";
import { debianSources, defaultDebianSources, formatDeb822Sources, parseDeb822Sources, parseOneLineSources, parseOsRelease, type AptSource } from "./apt-sources";

export interface PackageVersion { name: string; version: string }

export interface Apt {
  options: string[];  // -o ... for apt-get and apt-cache
  suffix: string;     // appended to package names (":arm64" with the system's apt)
  describe: string;
}

export class AptError extends UserError {}
export class NetworkError extends AptError {}

const NETWORK_TROUBLE = /Failed to fetch|Some index files failed|Could not resolve|Temporary failure resolving|Unable to connect|Could not connect|Connection (failed|refused|timed out)|Network is unreachable|No route to host/;

// The project's root (the directory of armvisor's package.json), from this
// module's location: works from src/ (tests) and from the bundle in dist/.
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try { if (JSON.parse(readFileSync(pj, "utf8")).name === "armvisor") return dir; } catch { /* keep looking */ }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

// What the fetchers (ensureLinuxGuest, ensureXen) take.
export interface FetchOptions {
  cacheDir?: string;            // default: the fetcher's environment variable, else <project>/guests/<name>
  refresh?: boolean;            // download again even if cached
  log?: (line: string) => void; // progress, one line at a time
  sources?: AptSource[];        // default: the system's Debian sources
}

// $<variable>, else guests/<name> in the project.
export function guestCacheDir(env: NodeJS.ProcessEnv, variable: string, name: string): string {
  const v = env[variable];
  return v ? resolve(v) : join(projectRoot(), "guests", name);
}

// mkdir -p for a cache directory, failing in one line.
export function makeCacheDir(dir: string): void {
  try { makeDirs(dir); } catch (e) {
    throw new UserError(`cannot create the cache directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}

// Reads the package lists with a private apt state and asks `resolve` what
// to download; as root, when the private state does not work (and the
// archive is reachable), with the system's apt instead.
export async function openApt<T>(work: string, sources: AptSource[], log: (l: string) => void, resolve: (apt: Apt) => Promise<T>): Promise<{ apt: Apt; value: T }> {
  let apt = privateApt(work, sources);
  try {
    return { apt, value: await updateAndResolve(apt, resolve) };
  } catch (e) {
    // The system's apt cannot reach an archive we could not reach either.
    if (!(e instanceof AptError) || e instanceof NetworkError || process.getuid?.() !== 0) throw e;
    log(`a private apt state did not work (${e.message}); falling back to the system's apt: dpkg --add-architecture arm64 && apt-get update`);
    apt = { options: ["-o", "Acquire::Languages=none"], suffix: ":arm64", describe: "the system's apt" };
    await run("dpkg", ["--add-architecture", "arm64"]);
    return { apt, value: await updateAndResolve(apt, resolve) };
  }
}

// apt-get update warns, and still succeeds, when it cannot reach a source:
// say that rather than the "no packages found" that follows.
async function updateAndResolve<T>(apt: Apt, resolve: (apt: Apt) => Promise<T>): Promise<T> {
  const { stderr } = await run("apt-get", [...apt.options, "update"]);
  const trouble = stderr.split("\n").map((l) => l.trim()).filter((l) => /^[WE]: /.test(l) && NETWORK_TROUBLE.test(l));
  try {
    return await resolve(apt);
  } catch (e) {
    if (trouble.length) throw new NetworkError(`apt-get update could not read Debian's arm64 package lists (${apt.describe}): ${trouble[0]}`);
    throw e;
  }
}

// apt-get and apt-cache with everything in `work`: the system's apt.conf is
// still read (proxies and the like), its sources, lists, pins and dpkg status not.
function privateApt(work: string, sources: AptSource[]): Apt {
  const d = (...x: string[]) => join(work, "apt", ...x);
  for (const dir of [d("lists", "partial"), d("archives", "partial"), d("sources.list.d"), d("preferences.d")]) mkdirSync(dir, { recursive: true });
  writeFileSync(d("status"), "");
  writeFileSync(d("sources.list"), "");
  writeFileSync(d("sources.list.d", "debian.sources"), formatDeb822Sources(sources, "arm64"));
  const o = (k: string, v: string) => ["-o", `${k}=${v}`];
  return {
    options: [
      ...o("Dir::State", d()), ...o("Dir::State::Lists", d("lists")), ...o("Dir::State::status", d("status")),
      ...o("Dir::Cache", d()), ...o("Dir::Cache::archives", d("archives")),
      ...o("Dir::Etc::sourcelist", d("sources.list")), ...o("Dir::Etc::sourceparts", d("sources.list.d")),
      ...o("Dir::Etc::preferences", d("preferences")), ...o("Dir::Etc::preferencesparts", d("preferences.d")),
      ...o("APT::Architecture", "arm64"), ...o("APT::Architectures", "arm64"),
      ...o("Acquire::Languages", "none"), ...o("Acquire::PDiffs", "false"),
      // As root apt downloads as the _apt user, who may not reach a private
      // directory: download as ourselves instead of warning about it.
      ...(process.getuid?.() === 0 ? o("APT::Sandbox::User", "root") : []),
    ],
    suffix: "",
    describe: "a private apt state",
  };
}

// The system's Debian sources (deb822 .sources files, then one-line lists),
// or Debian's own archive for this release when there are none. `instead`
// ends the error when there is no Debian archive: what the user can do.
export function systemDebianSources(instead: string): AptSource[] {
  const all: AptSource[] = [];
  const read = (f: string) => { try { return readFileSync(f, "utf8"); } catch { return ""; } };
  all.push(...parseOneLineSources(read("/etc/apt/sources.list")));
  let parts: string[] = [];
  try { parts = readdirSync("/etc/apt/sources.list.d").sort(); } catch { /* none */ }
  for (const f of parts) {
    if (f.endsWith(".sources")) all.push(...parseDeb822Sources(read(join("/etc/apt/sources.list.d", f))));
    else if (f.endsWith(".list")) all.push(...parseOneLineSources(read(join("/etc/apt/sources.list.d", f))));
  }
  const deb = debianSources(all);
  if (deb.length) return deb;
  const os = parseOsRelease(read("/etc/os-release"));
  if (os.id === "debian" && os.codename) return defaultDebianSources(os.codename);
  throw new UserError(`apt has no Debian archive among its sources (this looks like ${os.id ?? "an unknown system"}, not Debian): ${instead}`);
}

// "URI SUITE" for each source, as the manifests record them.
export const archiveNames = (sources: AptSource[]) => sources.flatMap((s) => s.uris.flatMap((u) => s.suites.map((x) => `${u} ${x}`)));

// `apt-cache show` of a package's candidate version.
export async function aptShow(apt: Apt, name: string): Promise<string> {
  return (await run("apt-cache", [...apt.options, "show", "--no-all-versions", name + apt.suffix])).stdout;
}

// Downloads the packages into `dir`; returns the .deb files in the order asked.
export async function aptDownload(apt: Apt, names: string[], dir: string): Promise<string[]> {
  await run("apt-get", [...apt.options, "download", ...names.map((n) => n + apt.suffix)], { cwd: dir });
  return names.map((n) => findDeb(dir, n));
}

function findDeb(dir: string, name: string): string {
  const f = readdirSync(dir).find((x) => x.startsWith(`${name}_`) && x.endsWith(".deb"));
  if (!f) throw new UserError(`apt-get download left no ${name}_*.deb`);
  return join(dir, f);
}

export async function debVersion(deb: string): Promise<PackageVersion> {
  const { stdout: out } = await run("dpkg-deb", ["-f", deb, "Package", "Version"]);
  const name = /^Package:\s*(\S+)/m.exec(out)?.[1], version = /^Version:\s*(\S+)/m.exec(out)?.[1];
  if (!name || !version) throw new UserError(`${deb}: not a Debian package`);
  return { name, version };
}

export async function debExtract(deb: string, into: string): Promise<void> {
  await run("dpkg-deb", ["-x", deb, into]);
}

export function hasCommand(cmd: string): boolean {
  const r = spawnSync(cmd, ["--version"], { stdio: "ignore" });
  return !r.error;
}

// Runs a command; resolves with its output. A failure becomes one line: apt's
// last "E:" line, or the last line it printed.
export function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, LC_ALL: "C", DEBIAN_FRONTEND: "noninteractive" }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new AptError(`${cmd}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : e.message}`)));
    child.on("close", (code, signal) => {
      const stdout = Buffer.concat(out).toString("utf8"), stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) { resolvePromise({ stdout, stderr }); return; }
      const lines = (stderr + "\n" + stdout).split("\n").map((l) => l.trim()).filter(Boolean);
      const why = lines.filter((l) => /^E: /.test(l)).pop() ?? lines.pop() ?? (signal ? `killed by ${signal}` : `exit status ${code}`);
      const message = `${cmd} ${args.filter((a, i) => a !== "-o" && args[i - 1] !== "-o").join(" ")} failed: ${why}`;
      reject(NETWORK_TROUBLE.test(why) ? new NetworkError(message) : new AptError(message));
    });
  });
}

// --- files ---------------------------------------------------------------------

// mkdir -p. (Node 20's mkdirSync(..., { recursive: true }) spins forever on
// some paths, such as one under /proc.)
export function makeDirs(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  try { mkdirSync(dir); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; }
}

export function atomicWrite(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// A path relative to the working directory when it is below it.
export function show(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
