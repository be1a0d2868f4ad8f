// The kernel modules the initramfs carries. Debian's cloud kernel builds the
// virtio core, the virtio-mmio transport and the virtio block, console and
// rng drivers as modules (CONFIG_VIRTIO=m, CONFIG_VIRTIO_MMIO=m, ...), so
// without them the guest sees none of the board's virtio-mmio devices.
//
// A kernel package holds lib/modules/<release>/kernel/**.ko (or .ko.xz/.zst/.gz
// when the kernel compresses its modules) and modules.builtin, but no
// modules.dep (depmod makes it when the package is installed): a module's
// dependencies are read from its own .modinfo section ("depends=a,b").
//
// Platform-neutral: module names, ELF parsing and load order. Finding the
// files and decompressing them is the caller's (linux-fetch.ts).

// What the board needs, in the order /init loads them (their dependencies,
// virtio_ring and virtio, come first).
export const WANTED_MODULES = ["virtio_mmio", "virtio_blk", "virtio_console", "virtio_rng"] as const;

// The file in the initramfs that lists the modules to load, one path (from
// the archive's root, without a leading slash) a line, in load order.
export const MODULES_LIST = "etc/armvisor-modules";

// A module's name as the kernel knows it: the file name without directories
// and extensions, dashes as underscores ("virtio-rng.ko.xz" -> "virtio_rng").
export function moduleName(file: string): string {
  return file.replace(/^.*\//, "").replace(/\.ko(\.(xz|zst|gz))?$/, "").replace(/-/g, "_");
}

export type ModuleCompression = "none" | "xz" | "zst" | "gz";
export function moduleCompression(file: string): ModuleCompression | null {
  const m = /\.ko(?:\.(xz|zst|gz))?$/.exec(file);
  return m ? ((m[1] as ModuleCompression | undefined) ?? "none") : null;
}

// The key=value strings of an ELF64 little-endian object's .modinfo section
// (a repeated key, such as alias, keeps its last value). Throws on a file
// that is not such an object.
export function readModinfo(elf: Uint8Array): Map<string, string> {
  if (elf.length < 64 || elf[0] !== 0x7f || elf[1] !== 0x45 || elf[2] !== 0x4c || elf[3] !== 0x46) throw new Error("not an ELF file");
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error("not a little-endian ELF64 file");
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = Number(dv.getBigUint64(40, true)), shentsize = dv.getUint16(58, true), shnum = dv.getUint16(60, true), shstrndx = dv.getUint16(62, true);
  if (shentsize < 64 || shstrndx >= shnum || shoff + shnum * shentsize > elf.length) throw new Error("bad ELF section headers");
  const section = (i: number) => {
    const h = shoff + i * shentsize;
    const off = Number(dv.getBigUint64(h + 24, true)), size = Number(dv.getBigUint64(h + 32, true));
    if (off + size > elf.length) throw new Error(`ELF section ${i} runs past the end of the file`);
    return { name: dv.getUint32(h, true), data: elf.subarray(off, off + size) };
  };
  const names = section(shstrndx).data;
  const cstr = (b: Uint8Array, at: number) => {
    let end = at;
    while (end < b.length && b[end] !== 0) end++;
    return new TextDecoder().decode(b.subarray(at, end));
  };
  const info = new Map<string, string>();
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (cstr(names, s.name) !== ".modinfo") continue;
    for (const entry of new TextDecoder().decode(s.data).split("\0")) {
      const eq = entry.indexOf("=");
      if (eq > 0) info.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return info;
  }
  throw new Error("no .modinfo section (not a kernel module)");
}

// The names in modinfo's depends= ("" for none).
export function moduleDepends(info: Map<string, string>): string[] {
  return (info.get("depends") ?? "").split(",").map((d) => d.trim().replace(/-/g, "_")).filter(Boolean);
}

export interface ResolvedModule<T> { name: string; file: T; depends: string[] }

export interface ModuleResolution<T> {
  modules: ResolvedModule<T>[];  // load order: every module after its dependencies
  builtin: string[];             // wanted, and built into the kernel
  missing: string[];             // wanted or depended on, and neither a module nor built in
  failed: { name: string; why: string }[]; // a file that could not be read or parsed
}

// Resolves `wanted` and their dependencies to files, depth first, so each
// module follows what it depends on. `files` maps module names to files;
// `depends` reads a file's dependencies (and may throw); `builtin` holds the
// names modules.builtin lists. A module whose file fails, or that depends on
// a missing one, is left out (with what it needs) and reported.
export function resolveModules<T>(
  wanted: readonly string[], files: ReadonlyMap<string, T>, depends: (file: T, name: string) => string[], builtin: ReadonlySet<string> = new Set(),
): ModuleResolution<T> {
  const r: ModuleResolution<T> = { modules: [], builtin: [], missing: [], failed: [] };
  const state = new Map<string, "visiting" | "ok" | "bad">();
  const visit = (name: string, top: boolean): boolean => {
    const s = state.get(name);
    if (s) return s !== "bad"; // "visiting": a cycle, which modpost forbids; do not loop
    const file = files.get(name);
    if (file === undefined) {
      if (builtin.has(name)) { if (top) r.builtin.push(name); state.set(name, "ok"); return true; }
      r.missing.push(name); state.set(name, "bad"); return false;
    }
    state.set(name, "visiting");
    let deps: string[];
    try { deps = depends(file, name); } catch (e) {
      r.failed.push({ name, why: e instanceof Error ? e.message : String(e) }); state.set(name, "bad"); return false;
    }
    let ok = true;
    for (const d of deps) if (!visit(d, false)) ok = false;
    state.set(name, ok ? "ok" : "bad");
    if (ok) r.modules.push({ name, file, depends: deps });
    return ok;
  };
  for (const w of wanted) visit(w, true);
  return r;
}

// The names modules.builtin lists ("kernel/drivers/char/hw_random/rng-core.ko" -> "rng_core").
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(text.split("\n").map((l) => l.trim()).filter(Boolean).map(moduleName));
}
