// The arm64 Linux Image loader (src/loader/linux.ts): header parsing, gzip
// and EFI zboot payloads, QEMU's placement of the kernel, initrd and DTB,
// and one-line UserErrors for bad files.
import { describe, it, expect } from "vitest";
import { gzipSync } from "node:zlib";
import { loadLinuxImage, placeBootBlobs, DTB_MAX_SIZE, type LinuxKernel } from "../../src/loader/linux";
import { UserError } from "../../src/errors";

const RAM = 0x4000_0000n;
const MiB = 1024 * 1024;
const M256 = 256n << 20n;

interface ImageOpts { textOffset?: bigint; imageSize?: bigint; flags?: bigint; magic?: number; length?: number; efi?: boolean }

// A synthetic Image: the 64-byte header, then a recognisable body.
function makeImage(o: ImageOpts = {}): Uint8Array {
  const length = o.length ?? 0x3000;
  const b = new Uint8Array(length);
  for (let i = 64; i < length; i++) b[i] = (i * 7) & 0xff;
  const dv = new DataView(b.buffer);
  dv.setUint32(0, o.efi ? 0xfa405a4d : 0x14000010, true); // "MZ" + ccmp, or b #0x40
  dv.setBigUint64(8, o.textOffset ?? 0n, true);
  dv.setBigUint64(16, o.imageSize ?? 0x20_0000n, true);
  dv.setBigUint64(24, o.flags ?? 0xan, true);
  dv.setUint32(0x38, o.magic ?? 0x644d5241, true);
  if (o.efi) {
    // A PE header at 0x40 with one section covering the whole file.
    dv.setUint32(0x3c, 0x40, true);
    dv.setUint32(0x40, 0x4550, true); // "PE\0\0"
    dv.setUint16(0x46, 1, true); // NumberOfSections
    dv.setUint16(0x54, 0, true); // SizeOfOptionalHeader
    const s = 0x40 + 24;
    dv.setUint32(s + 16, length - 0x1000, true); // SizeOfRawData
    dv.setUint32(s + 20, 0x1000, true); // PointerToRawData
  }
  return b;
}

// An EFI zboot Image (drivers/firmware/efi/libstub/zboot-header.S) around `payload`.
function makeZboot(payload: Uint8Array, type = "gzip"): Uint8Array {
  const off = 0x200;
  const b = new Uint8Array(off + payload.length);
  const dv = new DataView(b.buffer);
  b.set([0x4d, 0x5a, 0, 0, 0x7a, 0x69, 0x6d, 0x67]); // "MZ", "zimg"
  dv.setUint32(8, off, true);
  dv.setUint32(12, payload.length, true);
  b.set(new TextEncoder().encode(type), 24);
  b.set(payload, off);
  return b;
}

// The promise rejects with a one-line UserError naming the file and matching `re`.
async function expectUserError(p: Promise<unknown>, re: RegExp, name = "Image"): Promise<void> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(UserError);
  const msg = (e as Error).message;
  expect(msg).not.toContain("\n");
  expect(msg.startsWith(`${name}: `)).toBe(true);
  expect(msg).toMatch(re);
}

describe("loadLinuxImage", () => {
  it("places a text_offset 0 Image at RAM + 2 MiB, as QEMU does", async () => {
    const img = makeImage();
    const k = await loadLinuxImage(img, "Image", RAM, M256);
    expect(k.loadAddr).toBe(0x4020_0000n);
    expect(k.entry).toBe(0x4020_0000n);
    expect(k.base).toBe(0x4020_0000n);
    expect(k.imageSize).toBe(0x20_0000n);
    expect(k.end).toBe(0x4040_0000n);
    expect(k.pageSizeKiB).toBe(4);
    expect(k.placeAnywhere).toBe(true);
    expect(k.efiStub).toBe(false);
    expect(k.compression).toBe("none");
    expect(k.segments).toEqual([{ addr: 0x4020_0000n, data: img, memSize: 0x20_0000 }]);
  });

  it("honours a non-zero text_offset and the page-size flags", async () => {
    const k = await loadLinuxImage(makeImage({ textOffset: 0x8_0000n, flags: 0x4n }), "Image", RAM, M256);
    expect(k.loadAddr).toBe(0x4008_0000n);
    expect(k.base).toBe(0x4000_0000n);
    expect(k.pageSizeKiB).toBe(16);
    expect(k.placeAnywhere).toBe(false);
    expect((await loadLinuxImage(makeImage({ flags: 0x6n }), "Image", RAM, M256)).pageSizeKiB).toBe(64);
    expect((await loadLinuxImage(makeImage({ flags: 0n }), "Image", RAM, M256)).pageSizeKiB).toBeUndefined();
  });

  it("treats image_size 0 as a pre-3.17 kernel at text_offset 0x80000", async () => {
    const k = await loadLinuxImage(makeImage({ imageSize: 0n, textOffset: 0x1234n, flags: 0xffn }), "Image", RAM, M256);
    expect(k.loadAddr).toBe(0x4008_0000n);
    expect(k.imageSize).toBe(0x3000n);
    expect(k.flags).toBe(0n);
  });

  it("accepts the EFI stub (PE header, \"MZ\" at 0) as Debian ships it", async () => {
    const k = await loadLinuxImage(makeImage({ efi: true, imageSize: 0x1ab_0000n }), "vmlinuz", RAM, M256);
    expect(k.efiStub).toBe(true);
    expect(k.loadAddr).toBe(0x4020_0000n);
    expect(k.end).toBe(0x41cb_0000n);
  });

  it("decompresses a gzip-compressed Image", async () => {
    const img = makeImage({ length: 3 * MiB, imageSize: 4n << 20n });
    const k = await loadLinuxImage(gzipSync(img), "Image.gz", RAM, M256);
    expect(k.compression).toBe("gzip");
    expect(k.data.length).toBe(img.length);
    expect(Buffer.compare(k.data, img)).toBe(0); // (toEqual is slow on megabytes)
    expect(k.loadAddr).toBe(0x4020_0000n);
    expect(k.imageSize).toBe(4n << 20n);
  });

  it("unpacks a gzip EFI zboot Image and refuses other zboot compressions", async () => {
    const img = makeImage();
    const k = await loadLinuxImage(makeZboot(gzipSync(img)), "vmlinuz.efi", RAM, M256);
    expect(k.compression).toBe("efi-zboot-gzip");
    expect(k.data).toEqual(img);
    await expectUserError(loadLinuxImage(makeZboot(new Uint8Array(16), "zstd"), "vmlinuz.efi", RAM, M256), /"zstd"/, "vmlinuz.efi");
  });

  it("reports a truncated Image", async () => {
    await expectUserError(loadLinuxImage(makeImage().subarray(0, 40), "Image", RAM, M256), /truncated/);
    await expectUserError(loadLinuxImage(makeImage({ efi: true }).subarray(0, 0x2000), "Image", RAM, M256), /truncated.*PE header/);
    await expectUserError(loadLinuxImage(new Uint8Array(0), "Image", RAM, M256), /empty/);
  });

  it("reports a wrong magic, an ELF vmlinux and other compressions", async () => {
    await expectUserError(loadLinuxImage(makeImage({ magic: 0x12345678 }), "Image", RAM, M256), /not an arm64 Linux Image.*0x38/);
    const elf = makeImage({ magic: 0 });
    elf.set([0x7f, 0x45, 0x4c, 0x46]);
    await expectUserError(loadLinuxImage(elf, "vmlinux", RAM, M256), /ELF/, "vmlinux");
    const xz = makeImage({ magic: 0 });
    xz.set([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
    await expectUserError(loadLinuxImage(xz, "Image.xz", RAM, M256), /xz-compressed/, "Image.xz");
    await expectUserError(loadLinuxImage(gzipSync(makeImage({ magic: 1 })), "Image.gz", RAM, M256), /not an arm64 Linux Image/, "Image.gz");
  });

  it("reports corrupt or truncated gzip data", async () => {
    const gz = gzipSync(makeImage({ length: 256 * 1024 }));
    await expectUserError(loadLinuxImage(gz.subarray(0, gz.length >> 1), "Image.gz", RAM, M256), /corrupt gzip/, "Image.gz");
    const bad = gz.slice();
    for (let i = 20; i < 60; i++) bad[i] ^= 0x5a;
    await expectUserError(loadLinuxImage(bad, "Image.gz", RAM, M256), /corrupt gzip/, "Image.gz");
  });

  it("reports an Image larger than RAM", async () => {
    await expectUserError(loadLinuxImage(makeImage({ imageSize: 300n << 20n }), "Image", RAM, M256), /needs 300 MiB.*256 MiB of RAM/);
    // image_size fits only without the 2 MiB QEMU leaves below the kernel.
    await expectUserError(loadLinuxImage(makeImage({ imageSize: 255n << 20n }), "Image", RAM, M256), /RAM ends at 0x50000000/);
    const big = gzipSync(new Uint8Array(8 * MiB));
    await expectUserError(loadLinuxImage(big, "Image.gz", RAM, 4n << 20n), /decompresses to more than/, "Image.gz");
  });

  it("reports a big-endian kernel and a bad text_offset", async () => {
    await expectUserError(loadLinuxImage(makeImage({ flags: 0xbn }), "Image", RAM, M256), /big-endian/);
    await expectUserError(loadLinuxImage(makeImage({ textOffset: 0x123n }), "Image", RAM, M256), /text_offset 0x123/);
  });
});

describe("placeBootBlobs", () => {
  async function kernel(imageSize: bigint, ramSize = M256): Promise<LinuxKernel> {
    return loadLinuxImage(makeImage({ imageSize }), "Image", RAM, ramSize);
  }
  const overlaps = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] < b[1] && b[0] < a[1];

  it("follows QEMU: initrd at RAM + 128 MiB, DTB 2 MiB-aligned after it", async () => {
    const k = await kernel(0x1ab_0000n);
    const p = placeBootBlobs({ kernel: k, initrd: { size: 0x12_3456 }, dtbSize: 0x10_0000 });
    expect(p.initrd).toEqual({ start: 0x4800_0000n, end: 0x4812_3456n });
    expect(p.dtb).toBe(0x4820_0000n);
    expect(placeBootBlobs({ kernel: k, dtbSize: 0x1000 })).toEqual({ initrd: undefined, modules: [], dtb: 0x4800_0000n });
  });

  it("uses half of a small RAM, and never the kernel's image_size", async () => {
    const small = await kernel(0x20_0000n, 64n << 20n);
    const p = placeBootBlobs({ kernel: small, initrd: new Uint8Array(0x1000) });
    expect(p.initrd!.start).toBe(0x4200_0000n); // RAM + 32 MiB
    const big = await kernel(0x900_0000n); // ends at 0x4920_0000, past RAM + 128 MiB
    const q = placeBootBlobs({ kernel: big, initrd: { size: 0x1001 } });
    expect(q.initrd!.start).toBe(0x4920_0000n);
    expect(q.dtb).toBe(0x4940_0000n);
  });

  it("keeps everything in RAM, apart, 8-byte aligned and within 512 MiB of the kernel", async () => {
    for (const [ramSize, imageSize, initrd] of [[M256, 0x1ab_0000n, 0x40_0000], [2n << 30n, 0x400_0000n, 600 * MiB], [128n << 20n, 0x1000_000n, 0x100_0000]] as const) {
      const k = await kernel(imageSize, ramSize);
      const p = placeBootBlobs({ kernel: k, initrd: { size: initrd } });
      const kr: [bigint, bigint] = [k.loadAddr, k.end];
      const ir: [bigint, bigint] = [p.initrd!.start, p.initrd!.end];
      const dr: [bigint, bigint] = [p.dtb, p.dtb + BigInt(DTB_MAX_SIZE)];
      expect(overlaps(kr, ir) || overlaps(kr, dr) || overlaps(ir, dr)).toBe(false);
      for (const r of [kr, ir, dr]) expect(r[0] >= RAM && r[1] <= RAM + ramSize).toBe(true);
      expect(p.dtb % 8n).toBe(0n);
      expect(p.dtb >= k.base && p.dtb + BigInt(DTB_MAX_SIZE) <= k.base + (512n << 20n)).toBe(true);
    }
  });

  it("places boot modules 2 MiB-aligned after the initrd (or where it would go), then the DTB", async () => {
    const k = await kernel(0x13_6000n, 1n << 30n); // Xen's image_size
    const mods = [{ size: 0x1a0_9fc0, name: "vmlinuz" }, { size: 0x10_9e47, name: "initramfs" }];
    const p = placeBootBlobs({ kernel: k, modules: mods });
    expect(p.modules).toEqual([{ start: 0x4800_0000n, end: 0x49a0_9fc0n }, { start: 0x49c0_0000n, end: 0x49d0_9e47n }]);
    expect(p.dtb).toBe(0x49e0_0000n);
    const q = placeBootBlobs({ kernel: k, initrd: { size: 0x1000 }, modules: mods });
    expect(q.initrd).toEqual({ start: 0x4800_0000n, end: 0x4800_1000n });
    expect(q.modules.map((m) => m.start)).toEqual([0x4820_0000n, 0x49e0_0000n]);
    expect(q.dtb).toBe(0x4a00_0000n);
  });

  it("reports a boot module that does not fit, naming it", async () => {
    const k = await kernel(0x13_6000n, 64n << 20n);
    expect(() => placeBootBlobs({ kernel: k, modules: [{ size: 20 * MiB, name: "vmlinuz" }, { size: 20 * MiB, name: "big.img" }] }))
      .toThrow(/^big\.img: the 20 MiB module does not fit in RAM \(12 MiB free at 0x43400000 after the kernel and earlier modules; use more RAM\)$/);
    // Modules up to the end of RAM: the DTB goes between the kernel and them.
    expect(placeBootBlobs({ kernel: k, modules: [{ size: 30 * MiB, name: "m" }, { size: 2 * MiB - 1, name: "n" }] }).dtb).toBe(0x4040_0000n);
  });

  it("reports an initrd or DTB that does not fit", async () => {
    const k = await kernel(0x1ab_0000n);
    expect(() => placeBootBlobs({ kernel: k, initrd: { size: 200 * MiB }, initrdName: "initrd.img" })).toThrow(/^initrd\.img: 200 MiB does not fit/);
    // A kernel up to RAM + 128 MiB and an initrd up to the end of RAM leave no 2 MiB for the DTB.
    const k2 = await kernel(0x7e0_0000n);
    expect(() => placeBootBlobs({ kernel: k2, initrd: { size: 127 * MiB } })).toThrow(/^no room in RAM for the device tree/);
    expect(placeBootBlobs({ kernel: k2, initrd: { size: 126 * MiB } }).dtb).toBe(0x4fe0_0000n);
    expect(() => placeBootBlobs({ kernel: k, dtbSize: 3 * MiB })).toThrow(/at most 2 MiB/);
    expect(() => placeBootBlobs({ kernel: k, initrd: { size: 200 * MiB } })).toThrow(UserError);
  });
});
