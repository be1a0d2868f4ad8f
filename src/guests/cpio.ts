// A writer for the "newc" cpio format (SVR4 without CRC, magic 070701): the
// format Linux unpacks as an initramfs (Documentation/driver-api/early-userspace/
// buffer-format.rst).
//
// Each member is a 110-byte ASCII header (the magic, then thirteen 8-digit
// hexadecimal fields), its NUL-terminated name padded so that header + name
// end on a 4-byte boundary, then its data padded to 4 bytes. The archive ends
// with a member named "TRAILER!!!". Platform-neutral: bytes in, bytes out.

export type CpioEntry =
  | { type: "file"; name: string; data: Uint8Array; mode?: number; uid?: number; gid?: number; mtime?: number }
  | { type: "dir"; name: string; mode?: number; uid?: number; gid?: number; mtime?: number }
  | { type: "symlink"; name: string; target: string; uid?: number; gid?: number; mtime?: number }
  | { type: "char" | "block"; name: string; major: number; minor: number; mode?: number; uid?: number; gid?: number; mtime?: number };

export const CPIO_NEWC_MAGIC = "070701";
export const CPIO_TRAILER = "TRAILER!!!";
export const CPIO_HEADER_SIZE = 110;

// File type bits of st_mode.
export const S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFBLK = 0o060000, S_IFREG = 0o100000, S_IFLNK = 0o120000;

const enc = new TextEncoder();

function hex8(v: number, field: string, name: string): string {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`cpio: ${name}: ${field} ${v} does not fit the newc format`);
  return v.toString(16).toUpperCase().padStart(8, "0");
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

// Member names as the kernel expects them: relative ("bin/sh", not "/bin/sh").
function normaliseName(name: string): string {
  const n = name.replace(/^\/+/, "").replace(/\/+$/, "");
  if (n === "" || n.split("/").some((c) => c === "" || c === "..")) throw new RangeError(`cpio: bad member name ${JSON.stringify(name)}`);
  return n;
}

interface Header {
  ino: number; mode: number; uid: number; gid: number; nlink: number; mtime: number; filesize: number;
  devmajor: number; devminor: number; rdevmajor: number; rdevminor: number; name: string;
}

function header(h: Header): { head: Uint8Array; name: Uint8Array } {
  const name = enc.encode(h.name + "\0");
  const fields = [h.ino, h.mode, h.uid, h.gid, h.nlink, h.mtime, h.filesize, h.devmajor, h.devminor, h.rdevmajor, h.rdevminor, name.length, 0];
  const labels = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];
  const text = CPIO_NEWC_MAGIC + fields.map((v, i) => hex8(v, labels[i], h.name)).join("");
  return { head: enc.encode(text), name };
}

// The archive, members in the order given (a directory must come before what
// it holds). Inode numbers are assigned 1, 2, 3...; no member is a hard link.
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const seen = new Set<string>();
  const push = (b: Uint8Array) => { parts.push(b); size += b.length; };
  const pushPadding = (n: number) => { if (n) push(new Uint8Array(n)); };
  const member = (h: Header, data: Uint8Array) => {
    const { head, name } = header(h);
    push(head); push(name); pushPadding(pad4(head.length + name.length));
    if (data.length) { push(data); pushPadding(pad4(data.length)); }
  };

  let ino = 0;
  for (const e of entries) {
    const name = normaliseName(e.name);
    if (name === CPIO_TRAILER) throw new RangeError(`cpio: ${name} is the end-of-archive marker`);
    if (seen.has(name)) throw new RangeError(`cpio: ${name} appears twice`);
    seen.add(name);
    const base = { ino: ++ino, uid: e.uid ?? 0, gid: e.gid ?? 0, mtime: e.mtime ?? 0, devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0, name };
    switch (e.type) {
      case "file":
        member({ ...base, mode: S_IFREG | ((e.mode ?? 0o644) & 0o7777), nlink: 1, filesize: e.data.length }, e.data);
        break;
      case "dir":
        member({ ...base, mode: S_IFDIR | ((e.mode ?? 0o755) & 0o7777), nlink: 2, filesize: 0 }, new Uint8Array(0));
        break;
      case "symlink": {
        if (e.target === "") throw new RangeError(`cpio: ${name}: empty symlink target`);
        const target = enc.encode(e.target);
        member({ ...base, mode: S_IFLNK | 0o777, nlink: 1, filesize: target.length }, target);
        break;
      }
      case "char":
      case "block":
        member({ ...base, mode: (e.type === "char" ? S_IFCHR : S_IFBLK) | ((e.mode ?? 0o600) & 0o7777), nlink: 1, filesize: 0, rdevmajor: e.major, rdevminor: e.minor }, new Uint8Array(0));
        break;
      default:
        throw new RangeError(`cpio: ${(e as { name: string }).name}: unknown member type`);
    }
  }
  member({ ino: 0, mode: 0, uid: 0, gid: 0, nlink: 1, mtime: 0, filesize: 0, devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0, name: CPIO_TRAILER }, new Uint8Array(0));

  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}
