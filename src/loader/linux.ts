// Linux arm64 kernel Images (Documentation/arch/arm64/booting.rst), raw or
// gzip-compressed, with or without the EFI stub, and the placement of the
// initrd and the device tree next to them. Platform-neutral: gzip goes
// through DecompressionStream (Node >= 18, browsers).
//
// The 64-byte Image header, little-endian:
//   0x00 code0 (u32)      0x04 code1 (u32)      0x08 text_offset (u64)
//   0x10 image_size (u64) 0x18 flags (u64)      0x20 res2..res4 (u64 x 3)
//   0x38 magic "ARM\x64"  0x3c res5 (u32; the PE header offset with an EFI stub)
// flags: bit 0 kernel endianness (1 = big), bits 1-2 page size (0 unspecified,
// 1 4K, 2 16K, 3 64K), bit 3 physical placement (0: the 2 MiB-aligned base
// should be as close as possible to the start of RAM; 1: anywhere).
//
// Placement follows QEMU (hw/arm/boot.c, load_aarch64_image and
// arm_setup_direct_kernel_boot) so a kernel sees the same addresses here as
// under `qemu-system-aarch64 -M virt -kernel`:
//   - kernel at ramBase + text_offset, plus 2 MiB when text_offset < 4 KiB
//     (QEMU keeps its boot stub in the first page of RAM; modern kernels have
//     text_offset 0 and land at ramBase + 2 MiB = 0x4020_0000). Kernels
//     before 3.17 (image_size 0) load at ramBase + 0x80000.
//   - initrd at the higher of ramBase + min(ramSize / 2, 128 MiB) and the
//     end of the kernel's image_size, 4 KiB-aligned;
//   - boot modules for a hypervisor (Xen's dom0 kernel and ramdisk, see
//     virt-dt.ts) after the initrd (or where it would go), each 2 MiB-aligned;
//   - the DTB after the initrd and modules, 2 MiB-aligned (early arm64
//     kernels map the DTB's whole 2 MiB block).
import { UserError } from "../errors";
import type { LoadedImage } from "./image";

export const ARM64_IMAGE_MAGIC = 0x644d_5241; // "ARM\x64", little-endian
export const ARM64_HEADER_SIZE = 64;
export const DTB_MAX_SIZE = 2 * 1024 * 1024; // booting.rst: "must not exceed 2 megabytes"

const KiB = 1024n;
const MiB = 1024n * KiB;
const PAGE = 4n * KiB;
const KERNEL_ALIGN = 2n * MiB;
const LEGACY_TEXT_OFFSET = 0x8_0000n; // booting.rst: image_size 0 => text_offset 0x80000
const BOOT_STUB_SIZE = 4n * KiB; // QEMU's BOOTLOADER_MAX_SIZE
const DTB_WINDOW = 512n * MiB; // pre-4.2 kernels: DTB within 512 MiB of the kernel's base

export type ImageCompression = "none" | "gzip" | "efi-zboot-gzip";

export interface LinuxKernel extends LoadedImage {
  name: string;
  // The (decompressed) Image and where it goes; entry = loadAddr.
  data: Uint8Array;
  base: bigint; // the 2 MiB-aligned base; loadAddr = base + textOffset
  loadAddr: bigint;
  textOffset: bigint;
  // Bytes from loadAddr the kernel may use (image_size, or the file's size
  // for kernels that do not say); end = loadAddr + imageSize.
  imageSize: bigint;
  end: bigint;
  flags: bigint;
  pageSizeKiB: 4 | 16 | 64 | undefined;
  placeAnywhere: boolean;
  efiStub: boolean;
  compression: ImageCompression;
  ramBase: bigint;
  ramSize: bigint;
}

const u32le = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);
const u64le = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(o, true);
const alignUp = (v: bigint, a: bigint) => (v + a - 1n) & ~(a - 1n);
const mib = (v: bigint | number) => `${(Number(v) / 1048576).toFixed(1).replace(/\.0$/, "")} MiB`;
const hex = (v: bigint) => `0x${v.toString(16)}`;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function isZboot(b: Uint8Array): boolean {
  return b.length >= 56 && b[0] === 0x4d && b[1] === 0x5a && b[4] === 0x7a && b[5] === 0x69 && b[6] === 0x6d && b[7] === 0x67;
}

// Other formats a user might hand us by mistake, named in the error.
function otherFormat(b: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return "an ELF file (vmlinux?), not an arm64 Image";
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return "xz-compressed (only gzip-compressed Images are supported)";
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return "zstd-compressed (only gzip-compressed Images are supported)";
  if (starts(0x42, 0x5a, 0x68)) return "bzip2-compressed (only gzip-compressed Images are supported)";
  if (starts(0x04, 0x22, 0x4d, 0x18) || starts(0x02, 0x21, 0x4c, 0x18)) return "lz4-compressed (only gzip-compressed Images are supported)";
  if (starts(0x89, 0x4c, 0x5a, 0x4f)) return "lzo-compressed (only gzip-compressed Images are supported)";
  if (starts(0x27, 0x05, 0x19, 0x56)) return "a U-Boot uImage (use the Image inside it)";
  return undefined;
}

// Decompresses one gzip stream, refusing to produce more than `limit` bytes.
async function gunzip(bytes: Uint8Array, name: string, limit: bigint, what: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") throw new UserError(`${name}: cannot decompress ${what}: DecompressionStream is not available`);
  const ds = new DecompressionStream("gzip");
  const writer = ds.writable.getWriter();
  // Errors surface on the reading side; the writer's promises just must not go unhandled.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = ds.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (BigInt(total) > limit) {
        reader.cancel().catch(() => {});
        throw new UserError(`${name}: ${what} decompresses to more than the ${mib(limit)} of RAM available for it`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new UserError(`${name}: corrupt gzip data in ${what} (${why.split("\n")[0]})`);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

// With an EFI stub the Image is also a PE/COFF file; its section table says
// how long the file must be, which catches truncated downloads.
function peDataEnd(b: Uint8Array): number | undefined {
  if (b.length < 0x40 || b[0] !== 0x4d || b[1] !== 0x5a) return undefined;
  const pe = u32le(b, 0x3c);
  if (pe + 24 > b.length || u32le(b, pe) !== 0x0000_4550) return undefined; // "PE\0\0"
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const nsections = dv.getUint16(pe + 6, true);
  const optSize = dv.getUint16(pe + 20, true);
  const table = pe + 24 + optSize;
  if (table + nsections * 40 > b.length) return Number.MAX_SAFE_INTEGER; // header itself cut off
  let end = 0;
  for (let i = 0; i < nsections; i++) {
    const s = table + i * 40;
    const rawSize = dv.getUint32(s + 16, true), rawPtr = dv.getUint32(s + 20, true);
    if (rawSize > 0) end = Math.max(end, rawPtr + rawSize);
  }
  return end;
}

// A kernel as it is, or what a gzip'd Image or an EFI zboot Image (gzip)
// holds, refusing to produce more than `limit` bytes.
export async function decompressImage(bytes: Uint8Array, name: string, limit: bigint): Promise<{ data: Uint8Array; compression: ImageCompression }> {
  if (isGzip(bytes)) return { data: await gunzip(bytes, name, limit, "the kernel"), compression: "gzip" };
  if (isZboot(bytes)) {
    const off = u32le(bytes, 8), size = u32le(bytes, 12);
    const type = new TextDecoder().decode(bytes.subarray(24, 56)).replace(/\0.*$/s, "");
    if (type !== "gzip") throw new UserError(`${name}: EFI zboot Image compressed with "${type}" (only gzip is supported)`);
    if (off + size > bytes.length) throw new UserError(`${name}: truncated EFI zboot Image (payload ends at ${off + size}, file has ${bytes.length} bytes)`);
    return { data: await gunzip(bytes.subarray(off, off + size), name, limit, "the EFI zboot payload"), compression: "efi-zboot-gzip" };
  }
  return { data: bytes, compression: "none" };
}

export async function loadLinuxImage(bytes: Uint8Array, name: string, ramBase: bigint, ramSize: bigint): Promise<LinuxKernel> {
  if (bytes.length === 0) throw new UserError(`${name}: empty file`);
  const base0 = alignUp(ramBase, KERNEL_ALIGN);
  const ramEnd = ramBase + ramSize;
  if (base0 >= ramEnd) throw new UserError(`${name}: no 2 MiB-aligned RAM to load the kernel into`);
  const room = ramEnd - base0;

  const { data, compression } = await decompressImage(bytes, name, room);

  if (data.length < ARM64_HEADER_SIZE || u32le(data, 0x38) !== ARM64_IMAGE_MAGIC) {
    const other = compression === "none" ? otherFormat(data) : undefined;
    if (other) throw new UserError(`${name}: ${other}`);
    if (compression !== "none") throw new UserError(`${name}: ${compression === "gzip" ? "gzip data" : "the EFI zboot payload"} is not an arm64 Linux Image (no "ARM\\x64" magic at offset 0x38)`);
    if (data.length < ARM64_HEADER_SIZE) throw new UserError(`${name}: truncated arm64 Image (${data.length} bytes, the header alone is ${ARM64_HEADER_SIZE})`);
    throw new UserError(`${name}: not an arm64 Linux Image (no "ARM\\x64" magic at offset 0x38)`);
  }
  const efiStub = data[0] === 0x4d && data[1] === 0x5a;
  if (efiStub) {
    const end = peDataEnd(data);
    if (end !== undefined && end > data.length) throw new UserError(`${name}: truncated arm64 Image (its PE header describes ${end} bytes, the file has ${data.length})`);
  }

  let textOffset = u64le(data, 8);
  let imageSize = u64le(data, 16);
  let flags = u64le(data, 24);
  let loadOffset: bigint;
  if (imageSize === 0n) {
    // Before 3.17: text_offset of unspecified endianness, no size, no flags.
    textOffset = LEGACY_TEXT_OFFSET;
    flags = 0n;
    imageSize = BigInt(data.length);
    loadOffset = textOffset;
  } else {
    if (imageSize < BigInt(data.length)) imageSize = BigInt(data.length); // e.g. an appended signature
    if (textOffset % PAGE !== 0n || textOffset >= KERNEL_ALIGN) {
      throw new UserError(`${name}: bad arm64 Image header (text_offset ${hex(textOffset)} is not a 4 KiB multiple below 2 MiB)`);
    }
    loadOffset = textOffset < BOOT_STUB_SIZE ? textOffset + KERNEL_ALIGN : textOffset;
  }
  if (flags & 1n) throw new UserError(`${name}: big-endian arm64 kernel (only little-endian kernels are supported)`);
  const pageSizeKiB = ([undefined, 4, 16, 64] as const)[Number((flags >> 1n) & 3n)];
  const placeAnywhere = (flags & 8n) !== 0n;

  const loadAddr = base0 + loadOffset;
  const end = loadAddr + imageSize;
  if (end > ramEnd) {
    throw new UserError(`${name}: kernel needs ${mib(imageSize)} at ${hex(loadAddr)} but RAM ends at ${hex(ramEnd)} (${mib(ramSize)} of RAM; use more)`);
  }
  return {
    name,
    entry: loadAddr,
    segments: [{ addr: loadAddr, data, memSize: Number(imageSize) }],
    data,
    base: loadAddr - textOffset,
    loadAddr,
    textOffset,
    imageSize,
    end,
    flags,
    pageSizeKiB,
    placeAnywhere,
    efiStub,
    compression,
    ramBase,
    ramSize,
  };
}

export interface BootBlobRequest {
  kernel: LinuxKernel;
  initrd?: Uint8Array | { size: number };
  initrdName?: string; // for error messages
  // Room to set aside for the DTB; defaults to the 2 MiB maximum, so the
  // DTB can be written after the initrd's address is known.
  dtbSize?: number;
  // Boot modules (a hypervisor's dom0 kernel, ramdisk...), in order.
  modules?: { size: number; name: string }[];
}

export interface BootBlobPlacement {
  initrd?: { start: bigint; end: bigint }; // end exclusive, as in /chosen/linux,initrd-end
  modules: { start: bigint; end: bigint }[];
  dtb: bigint;
}

// Addresses for the initrd and the DTB next to a loaded kernel: in RAM, not
// overlapping the kernel's image_size or each other, the DTB 8-byte (in
// fact 2 MiB) aligned and within 512 MiB of the kernel's base.
export function placeBootBlobs(req: BootBlobRequest): BootBlobPlacement {
  const { kernel } = req;
  const ramBase = kernel.ramBase, ramEnd = kernel.ramBase + kernel.ramSize;
  const dtbSize = BigInt(req.dtbSize ?? DTB_MAX_SIZE);
  const initrdName = req.initrdName ?? "initrd";
  if (dtbSize > BigInt(DTB_MAX_SIZE)) throw new UserError(`device tree is ${mib(dtbSize)}; arm64 Linux accepts at most 2 MiB`);

  const initrdSize = req.initrd === undefined ? undefined : BigInt(req.initrd instanceof Uint8Array ? req.initrd.length : req.initrd.size);
  let initrd: { start: bigint; end: bigint } | undefined;
  let start = ramBase + (kernel.ramSize / 2n < 128n * MiB ? kernel.ramSize / 2n : 128n * MiB);
  if (start < kernel.end) start = kernel.end;
  start = alignUp(start, PAGE);
  if (initrdSize !== undefined) {
    if (start + initrdSize > ramEnd) {
      throw new UserError(`${initrdName}: ${mib(initrdSize)} does not fit in RAM after the kernel (${mib(ramEnd > start ? ramEnd - start : 0n)} free at ${hex(start)}; use more RAM)`);
    }
    initrd = { start, end: start + initrdSize };
  }
  const modules: { start: bigint; end: bigint }[] = [];
  let next = initrd ? initrd.end : start;
  for (const m of req.modules ?? []) {
    const at = alignUp(next, KERNEL_ALIGN), size = BigInt(m.size);
    if (at + size > ramEnd) {
      throw new UserError(`${m.name}: the ${mib(size)} module does not fit in RAM (${mib(ramEnd > at ? ramEnd - at : 0n)} free at ${hex(at)} after the kernel${initrd ? ", initrd" : ""}${modules.length ? " and earlier modules" : ""}; use more RAM)`);
    }
    modules.push({ start: at, end: at + size });
    next = at + size;
  }

  const taken: [bigint, bigint][] = [[kernel.loadAddr, kernel.end]];
  if (initrd) taken.push([initrd.start, initrd.end]);
  for (const m of modules) taken.push([m.start, m.end]);
  const fits = (a: bigint) =>
    a >= ramBase && a + dtbSize <= ramEnd &&
    a >= kernel.base && a + dtbSize <= kernel.base + DTB_WINDOW &&
    taken.every(([s, e]) => a + dtbSize <= s || a >= e);
  // QEMU's choice first (after the initrd, or where the initrd would go),
  // then the gap between the kernel and the initrd, then below the kernel.
  const candidates = [
    alignUp(next, KERNEL_ALIGN),
    alignUp(kernel.end, KERNEL_ALIGN),
    alignUp(kernel.end, 8n),
    kernel.base, // only when text_offset leaves room below the Image
  ];
  const dtb = candidates.find(fits);
  if (dtb === undefined) throw new UserError(`no room in RAM for the device tree next to the kernel${initrd ? " and initrd" : ""}${modules.length ? " and modules" : ""} (use more RAM)`);
  return { initrd, modules, dtb };
}
