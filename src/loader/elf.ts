// ELF64 little-endian AArch64 executables (the System V gABI and the AArch64
// ELF supplement): PT_LOAD segments at their physical addresses.
import { UserError } from "../errors";
import type { LoadedImage, LoadSegment } from "./image";

const EM_AARCH64 = 183;
const PT_LOAD = 1;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function loadElf(bytes: Uint8Array, name: string): LoadedImage {
  if (!isElf(bytes)) throw new UserError(`${name}: not an ELF file (use --raw to load a raw binary)`);
  if (bytes.length > 4 && bytes[4] !== 2) throw new UserError(`${name}: not a 64-bit ELF file (ELFCLASS${bytes[4] === 1 ? "32" : "?"})`);
  if (bytes.length < 64) throw new UserError(`${name}: truncated ELF header`);
  if (bytes[5] !== 1) throw new UserError(`${name}: not a little-endian ELF file`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_AARCH64) throw new UserError(`${name}: ELF machine ${machine} is not AArch64 (${EM_AARCH64})`);
  const type = dv.getUint16(16, true);
  if (type !== 2 && type !== 3) throw new UserError(`${name}: ELF type ${type} is not an executable`);
  const entry = dv.getBigUint64(24, true);
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phentsize < 56 || phoff + phnum * phentsize > bytes.length) throw new UserError(`${name}: truncated ELF program headers`);
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) !== PT_LOAD) continue;
    const offset = Number(dv.getBigUint64(p + 8, true));
    const paddr = dv.getBigUint64(p + 24, true);
    const filesz = Number(dv.getBigUint64(p + 32, true));
    const memsz = Number(dv.getBigUint64(p + 40, true));
    if (offset + filesz > bytes.length) throw new UserError(`${name}: segment ${i} extends past the end of the file`);
    if (memsz < filesz) throw new UserError(`${name}: segment ${i} has p_memsz < p_filesz`);
    segments.push({ addr: paddr, data: bytes.subarray(offset, offset + filesz), memSize: memsz });
  }
  if (segments.length === 0) throw new UserError(`${name}: no loadable segments`);
  return { entry, segments };
}
