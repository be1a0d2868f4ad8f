// A small, strict reader for newc cpio archives, independent of the writer:
// checks the magic, the hexadecimal fields, the 4-byte padding (which must be
// zeros) and the trailer.

export interface NewcMember {
  name: string; ino: number; mode: number; uid: number; gid: number; nlink: number; mtime: number;
  devmajor: number; devminor: number; rdevmajor: number; rdevminor: number; check: number;
  data: Uint8Array; headerOffset: number;
}

const dec = new TextDecoder();

export function readNewc(buf: Uint8Array): NewcMember[] {
  const out: NewcMember[] = [];
  let off = 0;
  const zeros = (from: number, to: number, what: string) => {
    for (let i = from; i < to; i++) if (buf[i] !== 0) throw new Error(`${what}: non-zero padding at ${i}`);
  };
  for (;;) {
    if (off + 110 > buf.length) throw new Error(`truncated header at ${off}`);
    const h = dec.decode(buf.subarray(off, off + 110));
    if (h.slice(0, 6) !== "070701") throw new Error(`bad magic ${JSON.stringify(h.slice(0, 6))} at ${off}`);
    const f: number[] = [];
    for (let i = 0; i < 13; i++) {
      const s = h.slice(6 + 8 * i, 14 + 8 * i);
      if (!/^[0-9A-Fa-f]{8}$/.test(s)) throw new Error(`bad field ${i} ${JSON.stringify(s)} at ${off}`);
      f.push(parseInt(s, 16));
    }
    const [ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check] = f;
    const nameStart = off + 110, nameEnd = nameStart + namesize;
    if (namesize < 1 || nameEnd > buf.length || buf[nameEnd - 1] !== 0) throw new Error(`bad name at ${off}`);
    const name = dec.decode(buf.subarray(nameStart, nameEnd - 1));
    const dataStart = (nameEnd + 3) & ~3;
    zeros(nameEnd, dataStart, name);
    const dataEnd = dataStart + filesize;
    if (dataEnd > buf.length) throw new Error(`${name}: truncated data`);
    const next = (dataEnd + 3) & ~3;
    zeros(dataEnd, Math.min(next, buf.length), name);
    const m = { name, ino, mode, uid, gid, nlink, mtime, devmajor, devminor, rdevmajor, rdevminor, check, data: buf.subarray(dataStart, dataEnd), headerOffset: off };
    off = next;
    if (name === "TRAILER!!!") {
      if (filesize !== 0) throw new Error("trailer with data");
      break;
    }
    out.push(m);
  }
  if (off !== buf.length) throw new Error(`${buf.length - off} bytes after the trailer`);
  return out;
}
