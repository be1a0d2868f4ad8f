// virtio-blk (Virtio 1.2 section 5.2) driven through the MMIO transport, on
// an in-memory backend and on a raw image file (src/node/file-disk.ts).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtioMmio, REG, STATUS, INT_USED_BUFFER } from "../../src/devices/virtio/mmio";
import {
  VirtioBlk, MemoryBackend, type BlockBackend,
  VIRTIO_BLK_F_RO, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_SEG_MAX,
  VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_S_OK, VIRTIO_BLK_S_IOERR, VIRTIO_BLK_S_UNSUPP,
} from "../../src/devices/virtio/blk";
import { FileDisk } from "../../src/node/file-disk";
import { UserError } from "../../src/errors";
import { FakeRam, Driver, Line, type Buf } from "./virtio-driver";

const SECTORS = 64;

function header(type: number, sector: bigint): Uint8Array {
  const h = new Uint8Array(16);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, type, true);
  dv.setBigUint64(8, sector, true);
  return h;
}

function pattern(len: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed) & 0xff);
}

function rig(backend: BlockBackend = new MemoryBackend(new Uint8Array(SECTORS * 512)), readonly?: boolean) {
  const ram = new FakeRam(1 << 23);
  const line = new Line();
  const blk = new VirtioBlk(backend, { readonly, serial: "disk-0001" });
  const dev = new VirtioMmio(blk, ram, line.fn);
  const drv = new Driver(dev, ram);
  drv.init(1);
  // One request: header, data buffers, status byte; returns the status, the used element and the data addresses.
  const request = (type: number, sector: bigint, data: Buf[], opts: { indirect?: boolean } = {}) => {
    const { head, addrs } = drv.submit(0, [{ out: header(type, sector) }, ...data, { in: 1 }], opts);
    const used = drv.takeUsed(0);
    expect(used).toHaveLength(1);
    expect(used[0].id).toBe(head);
    return { status: ram.getBytes(addrs[addrs.length - 1], 1)[0], len: used[0].len, addrs: addrs.slice(1, -1) };
  };
  return { ram, line, blk, dev, drv, request, backend };
}

describe("virtio-blk", () => {
  it("offers FLUSH, BLK_SIZE, SEG_MAX and a config space with the capacity", () => {
    const r = rig();
    const f = r.drv.deviceFeatures();
    for (const bit of [VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_SEG_MAX]) expect(f & bit).toBe(bit);
    expect(f & VIRTIO_BLK_F_RO).toBe(0n);
    expect(r.dev.read(REG.Config, 8)).toBe(BigInt(SECTORS));
    expect(r.dev.read(REG.Config, 4)).toBe(BigInt(SECTORS)); // capacity read as two words
    expect(r.dev.read(REG.Config + 4, 4)).toBe(0n);
    expect(r.dev.read(REG.Config + 12, 4)).toBe(254n);       // seg_max
    expect(r.dev.read(REG.Config + 20, 4)).toBe(512n);       // blk_size
  });

  it("writes, reads back and flushes (backend contents and used ring)", () => {
    const r = rig();
    const mem = r.backend as MemoryBackend;
    const data = pattern(1024, 3);
    const w = r.request(VIRTIO_BLK_T_OUT, 5n, [{ out: data.slice(0, 100) }, { out: data.slice(100) }]);
    expect(w.status).toBe(VIRTIO_BLK_S_OK);
    expect(w.len).toBe(1);
    expect(mem.data.slice(5 * 512, 7 * 512)).toEqual(data);
    expect(mem.data[5 * 512 - 1]).toBe(0);
    expect(mem.data[7 * 512]).toBe(0);

    const rd = r.request(VIRTIO_BLK_T_IN, 5n, [{ in: 512 }, { in: 512 }]);
    expect(rd.status).toBe(VIRTIO_BLK_S_OK);
    expect(rd.len).toBe(1025);
    expect(r.ram.getBytes(rd.addrs[0], 512)).toEqual(data.slice(0, 512));
    expect(r.ram.getBytes(rd.addrs[1], 512)).toEqual(data.slice(512));

    expect(mem.flushes).toBe(0);
    const fl = r.request(VIRTIO_BLK_T_FLUSH, 0n, []);
    expect(fl.status).toBe(VIRTIO_BLK_S_OK);
    expect(mem.flushes).toBe(1);
    expect(r.drv.r(REG.InterruptStatus) & INT_USED_BUFFER).toBe(INT_USED_BUFFER);
    expect(r.line.level).toBe(true);
  });

  it("moves requests larger than its 1 MiB chunk", () => {
    const r = rig(new MemoryBackend(new Uint8Array(8 << 20)));
    const data = pattern(1536 * 1024, 4);
    expect(r.request(VIRTIO_BLK_T_OUT, 3n, [{ out: data.slice(0, 4096) }, { out: data.slice(4096) }]).status).toBe(VIRTIO_BLK_S_OK);
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b)); // toEqual is slow on MiBs
    expect(same((r.backend as MemoryBackend).data.slice(3 * 512, 3 * 512 + data.length), data)).toBe(true);
    const rd = r.request(VIRTIO_BLK_T_IN, 3n, [{ in: 512 }, { in: data.length - 512 }]);
    expect(rd.status).toBe(VIRTIO_BLK_S_OK);
    expect(rd.len).toBe(data.length + 1);
    expect(same(r.ram.getBytes(rd.addrs[0], 512), data.slice(0, 512))).toBe(true);
    expect(same(r.ram.getBytes(rd.addrs[1], data.length - 512), data.slice(512))).toBe(true);
  });

  it("a chain naming the same RAM thousands of times is refused, not allocated", () => {
    const r = rig();
    const q = r.drv.queues[0];
    const h = r.drv.alloc(16), s = r.drv.alloc(1);
    r.ram.setBytes(h, header(VIRTIO_BLK_T_IN, 0n));
    r.drv.writeDesc(q.desc, 0, h, 16, 1, 1);
    const table = r.drv.alloc(16 * 4096);
    for (let i = 0; i < 4096; i++) r.drv.writeDesc(table, i, r.ram.base, 1 << 22, 2 | (i < 4095 ? 1 : 0), i + 1); // 16 GiB claimed
    r.drv.writeDesc(q.desc, 1, table, 16 * 4096, 4, 0);
    r.drv.makeAvailable(0, 0);
    // header then an indirect table: INDIRECT after a direct descriptor is allowed, the status byte is the table's last byte
    expect(() => r.drv.notify(0)).not.toThrow();
    expect(r.drv.takeUsed(0)).toEqual([{ id: 0, len: 0 }]);
    expect(r.dev.needsReset).toBe(false);
  });

  it("serves requests in an indirect table", () => {
    const r = rig();
    const data = pattern(512, 9);
    expect(r.request(VIRTIO_BLK_T_OUT, 63n, [{ out: data }], { indirect: true }).status).toBe(VIRTIO_BLK_S_OK);
    const rd = r.request(VIRTIO_BLK_T_IN, 63n, [{ in: 512 }], { indirect: true });
    expect(r.ram.getBytes(rd.addrs[0], 512)).toEqual(data);
  });

  it("answers GET_ID with the serial, zero-padded to 20 bytes", () => {
    const r = rig();
    const id = r.request(VIRTIO_BLK_T_GET_ID, 0n, [{ in: 20 }]);
    expect(id.status).toBe(VIRTIO_BLK_S_OK);
    expect(new TextDecoder().decode(r.ram.getBytes(id.addrs[0], 9))).toBe("disk-0001");
    expect(r.ram.getBytes(id.addrs[0] + 9n, 11)).toEqual(new Uint8Array(11));
  });

  it("fails requests past the end of the disk or of partial sectors with IOERR", () => {
    const r = rig();
    const mem = r.backend as MemoryBackend;
    expect(r.request(VIRTIO_BLK_T_IN, BigInt(SECTORS), [{ in: 512 }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(r.request(VIRTIO_BLK_T_IN, BigInt(SECTORS - 1), [{ in: 1024 }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(r.request(VIRTIO_BLK_T_IN, 0xffff_ffff_ffff_ffffn, [{ in: 512 }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(r.request(VIRTIO_BLK_T_OUT, 0n, [{ out: pattern(100, 1) }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(r.request(VIRTIO_BLK_T_OUT, BigInt(SECTORS), [{ out: pattern(512, 1) }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(mem.data).toEqual(new Uint8Array(SECTORS * 512));
    expect(r.dev.needsReset).toBe(false);
  });

  it("answers an unknown request type with UNSUPP", () => {
    const r = rig();
    expect(r.request(11 /* DISCARD, not offered */, 0n, [{ out: new Uint8Array(16) }]).status).toBe(VIRTIO_BLK_S_UNSUPP);
    expect(r.request(99, 0n, []).status).toBe(VIRTIO_BLK_S_UNSUPP);
  });

  it("turns backend errors into IOERR", () => {
    const failing: BlockBackend = {
      size: 4096,
      read() { throw new Error("EIO"); },
      write() { throw new Error("EIO"); },
      flush() { throw new Error("EIO"); },
    };
    const r = rig(failing);
    expect(r.request(VIRTIO_BLK_T_IN, 0n, [{ in: 512 }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(r.request(VIRTIO_BLK_T_OUT, 0n, [{ out: pattern(512, 0) }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(r.request(VIRTIO_BLK_T_FLUSH, 0n, []).status).toBe(VIRTIO_BLK_S_IOERR);
  });

  it("read-only: offers F_RO and fails writes with IOERR without touching the backend", () => {
    const disk = pattern(SECTORS * 512, 5);
    const r = rig(new MemoryBackend(disk.slice()), true);
    expect(r.drv.deviceFeatures() & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    expect(r.request(VIRTIO_BLK_T_OUT, 0n, [{ out: new Uint8Array(512) }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect((r.backend as MemoryBackend).data).toEqual(disk);
    const rd = r.request(VIRTIO_BLK_T_IN, 1n, [{ in: 512 }]);
    expect(rd.status).toBe(VIRTIO_BLK_S_OK);
    expect(r.ram.getBytes(rd.addrs[0], 512)).toEqual(disk.slice(512, 1024));
  });

  it("a request without a header or a status byte needs a reset", () => {
    const r = rig();
    expect(() => r.drv.submit(0, [{ out: new Uint8Array(8) }, { in: 1 }])).not.toThrow();
    expect(r.drv.status & STATUS.DEVICE_NEEDS_RESET).toBe(STATUS.DEVICE_NEEDS_RESET);
    const r2 = rig();
    expect(() => r2.drv.submit(0, [{ out: header(VIRTIO_BLK_T_FLUSH, 0n) }])).not.toThrow();
    expect(r2.dev.needsReset).toBe(true);
  });

  it("a data buffer outside RAM needs a reset and writes nothing", () => {
    const r = rig();
    const q = r.drv.queues[0];
    const h = r.drv.alloc(16), s = r.drv.alloc(1);
    r.ram.setBytes(h, header(VIRTIO_BLK_T_OUT, 0n));
    r.drv.writeDesc(q.desc, 0, h, 16, 1, 1);
    r.drv.writeDesc(q.desc, 1, 0x10n, 512, 1, 2);
    r.drv.writeDesc(q.desc, 2, s, 1, 2, 0);
    r.drv.makeAvailable(0, 0);
    expect(() => r.drv.notify(0)).not.toThrow();
    expect(r.dev.needsReset).toBe(true);
    expect((r.backend as MemoryBackend).data).toEqual(new Uint8Array(SECTORS * 512));
  });
});

describe("FileDisk", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "armvisor-virtio-")); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it("backs a virtio-blk with a raw image: write, flush, read back, file contents", () => {
    const path = join(dir, "disk.img");
    writeFileSync(path, new Uint8Array(16 * 512 + 100)); // a partial last sector is not visible
    const disk = new FileDisk(path);
    const r = rig(disk);
    expect(r.dev.read(REG.Config, 8)).toBe(16n);
    const data = pattern(1536, 11);
    expect(r.request(VIRTIO_BLK_T_OUT, 2n, [{ out: data }]).status).toBe(VIRTIO_BLK_S_OK);
    expect(r.request(VIRTIO_BLK_T_FLUSH, 0n, []).status).toBe(VIRTIO_BLK_S_OK);
    expect(new Uint8Array(readFileSync(path)).slice(1024, 1024 + 1536)).toEqual(data);
    const rd = r.request(VIRTIO_BLK_T_IN, 2n, [{ in: 1536 }]);
    expect(r.ram.getBytes(rd.addrs[0], 1536)).toEqual(data);
    disk.close();
  });

  it("read-only images refuse writes (and the device reports IOERR)", () => {
    const path = join(dir, "ro.img");
    writeFileSync(path, pattern(4096, 1));
    const disk = new FileDisk(path, { readonly: true });
    expect(() => disk.write(0, new Uint8Array(512))).toThrow();
    const r = rig(disk);
    expect(r.blk.readonly).toBe(true); // from the backend
    expect(r.drv.deviceFeatures() & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    expect(r.request(VIRTIO_BLK_T_OUT, 0n, [{ out: new Uint8Array(512) }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(new Uint8Array(readFileSync(path))).toEqual(pattern(4096, 1));
    disk.close();
  });

  it("a missing, directory or unwritable image is one UserError", () => {
    expect(() => new FileDisk(join(dir, "nope.img"))).toThrow(UserError);
    expect(() => new FileDisk(join(dir, "nope.img"))).toThrow(/nope\.img: no such file/);
    const sub = join(dir, "sub");
    mkdirSync(sub);
    expect(() => new FileDisk(sub, { readonly: true })).toThrow(UserError);
    const ro = join(dir, "locked.img");
    writeFileSync(ro, new Uint8Array(512));
    chmodSync(ro, 0o444);
    if (process.getuid?.() !== 0) expect(() => new FileDisk(ro)).toThrow(/cannot be opened for writing/);
    expect(() => new FileDisk(ro, { readonly: true }).close()).not.toThrow();
  });
});
