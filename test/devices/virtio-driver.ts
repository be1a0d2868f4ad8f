// A fake guest for the virtio tests: RAM as a GuestMemory, and a driver that
// programs a VirtioMmio transport the way Linux's virtio_mmio does (Virtio
// 1.2 section 3.1.1 initialization, 4.2.3.2 queue setup, split rings).
import type { GuestMemory } from "../../src/devices/virtio/virtqueue";
import { VirtioMmio, REG, STATUS, VIRTIO_F_VERSION_1 } from "../../src/devices/virtio/mmio";

export const RAM_BASE = 0x4000_0000n;
export const NEXT = 1, WRITE = 2, INDIRECT = 4;

export class FakeRam implements GuestMemory {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  constructor(readonly size = 1 << 20, readonly base = RAM_BASE) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  private off(pa: bigint, len: number): number {
    const o = pa - this.base;
    return o < 0n || o + BigInt(len) > BigInt(this.size) || len < 0 ? -1 : Number(o);
  }
  read(pa: bigint, len: number): Uint8Array | undefined {
    const o = this.off(pa, len);
    return o < 0 ? undefined : this.bytes.slice(o, o + len);
  }
  write(pa: bigint, data: Uint8Array): boolean {
    const o = this.off(pa, data.length);
    if (o < 0) return false;
    this.bytes.set(data, o);
    return true;
  }
  at(pa: bigint): number { const o = this.off(pa, 1); if (o < 0) throw new RangeError("test bug"); return o; }
  u16(pa: bigint): number { return this.dv.getUint16(this.at(pa), true); }
  u32(pa: bigint): number { return this.dv.getUint32(this.at(pa), true); }
  setU16(pa: bigint, v: number): void { this.dv.setUint16(this.at(pa), v, true); }
  setU32(pa: bigint, v: number): void { this.dv.setUint32(this.at(pa), v, true); }
  setU64(pa: bigint, v: bigint): void { this.dv.setBigUint64(this.at(pa), v, true); }
  setBytes(pa: bigint, b: Uint8Array): void { this.bytes.set(b, this.at(pa)); }
  getBytes(pa: bigint, len: number): Uint8Array { const o = this.at(pa); return this.bytes.slice(o, o + len); }
}

// A buffer in a request: `out` is device-readable data, `in` a device-writable length.
export type Buf = { out: Uint8Array } | { in: number };

export interface DriverQueue {
  index: number; size: number; desc: bigint; avail: bigint; used: bigint;
  nextDesc: number; availIdx: number; lastUsed: number;
}

export interface UsedElem { id: number; len: number }

// The IRQ line as a recorded signal.
export class Line {
  level = false;
  rises = 0;
  readonly fn = (asserted: boolean) => { if (asserted && !this.level) this.rises++; this.level = asserted; };
}

export class Driver {
  private heap: bigint;
  readonly queues: DriverQueue[] = [];

  constructor(readonly dev: VirtioMmio, readonly ram: FakeRam) {
    this.heap = ram.base + 0x1000n;
  }

  r(off: number): number { return Number(this.dev.read(off, 4)); }
  w(off: number, v: number): void { this.dev.write(off, 4, BigInt(v >>> 0)); }
  get status(): number { return this.r(REG.Status); }

  alloc(len: number, align = 16): bigint {
    const a = BigInt(align);
    this.heap = (this.heap + a - 1n) & ~(a - 1n);
    const p = this.heap;
    this.heap += BigInt(len);
    if (this.heap > this.ram.base + BigInt(this.ram.size)) throw new RangeError("fake RAM exhausted");
    return p;
  }

  deviceFeatures(): bigint {
    this.w(REG.DeviceFeaturesSel, 0);
    const lo = this.r(REG.DeviceFeatures);
    this.w(REG.DeviceFeaturesSel, 1);
    const hi = this.r(REG.DeviceFeatures);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  // Reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK; returns whether the device kept FEATURES_OK.
  negotiate(want: (offered: bigint) => bigint = (o) => o): boolean {
    this.w(REG.Status, 0);
    this.w(REG.Status, STATUS.ACKNOWLEDGE);
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER);
    const f = want(this.deviceFeatures());
    this.w(REG.DriverFeaturesSel, 0);
    this.w(REG.DriverFeatures, Number(f & 0xffffffffn));
    this.w(REG.DriverFeaturesSel, 1);
    this.w(REG.DriverFeatures, Number(f >> 32n));
    this.w(REG.Status, STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK);
    return (this.status & STATUS.FEATURES_OK) !== 0;
  }

  setupQueue(index: number, size?: number): DriverQueue {
    this.w(REG.QueueSel, index);
    const max = this.r(REG.QueueNumMax);
    const n = size ?? max;
    const q: DriverQueue = {
      index, size: n, desc: this.alloc(16 * n, 16), avail: this.alloc(6 + 2 * n, 2), used: this.alloc(6 + 8 * n, 4),
      nextDesc: 0, availIdx: 0, lastUsed: 0,
    };
    this.w(REG.QueueNum, n);
    this.w(REG.QueueDescLow, Number(q.desc & 0xffffffffn)); this.w(REG.QueueDescHigh, Number(q.desc >> 32n));
    this.w(REG.QueueDriverLow, Number(q.avail & 0xffffffffn)); this.w(REG.QueueDriverHigh, Number(q.avail >> 32n));
    this.w(REG.QueueDeviceLow, Number(q.used & 0xffffffffn)); this.w(REG.QueueDeviceHigh, Number(q.used >> 32n));
    this.w(REG.QueueReady, 1);
    this.queues[index] = q;
    return q;
  }

  driverOk(): void { this.w(REG.Status, this.status | STATUS.DRIVER_OK); }

  // The usual bring-up: negotiate everything offered, set up `queues`, DRIVER_OK.
  init(queues: number, want?: (offered: bigint) => bigint): void {
    if (!this.negotiate(want)) throw new Error("FEATURES_OK refused");
    for (let i = 0; i < queues; i++) this.setupQueue(i);
    this.driverOk();
  }

  writeDesc(table: bigint, i: number, addr: bigint, len: number, flags: number, next: number): void {
    const p = table + 16n * BigInt(i);
    this.ram.setU64(p, addr);
    this.ram.setU32(p + 8n, len);
    this.ram.setU16(p + 12n, flags);
    this.ram.setU16(p + 14n, next);
  }

  // Lay out buffers (fresh RAM for each) as a chain of direct descriptors
  // (or in an indirect table); returns the head and the buffers' addresses.
  chain(qi: number, bufs: Buf[], opts: { indirect?: boolean } = {}): { head: number; addrs: bigint[] } {
    const q = this.queues[qi];
    const addrs = bufs.map((b) => {
      const len = "out" in b ? b.out.length : b.in;
      const a = this.alloc(Math.max(len, 1), 8);
      if ("out" in b) this.ram.setBytes(a, b.out);
      return a;
    });
    const lens = bufs.map((b) => ("out" in b ? b.out.length : b.in));
    const flag = (i: number) => (bufs[i] && "in" in bufs[i] ? WRITE : 0);
    if (opts.indirect) {
      const table = this.alloc(16 * bufs.length, 16);
      bufs.forEach((_, i) => this.writeDesc(table, i, addrs[i], lens[i], flag(i) | (i + 1 < bufs.length ? NEXT : 0), i + 1));
      const head = q.nextDesc++ % q.size;
      this.writeDesc(q.desc, head, table, 16 * bufs.length, INDIRECT, 0);
      return { head, addrs };
    }
    const idx = bufs.map(() => q.nextDesc++ % q.size);
    bufs.forEach((_, i) => this.writeDesc(q.desc, idx[i], addrs[i], lens[i], flag(i) | (i + 1 < bufs.length ? NEXT : 0), idx[i + 1] ?? 0));
    return { head: idx[0], addrs };
  }

  // Put `head` in the avail ring and bump avail->idx (no notification).
  makeAvailable(qi: number, head: number): void {
    const q = this.queues[qi];
    this.ram.setU16(q.avail + 4n + 2n * BigInt(q.availIdx % q.size), head);
    q.availIdx = (q.availIdx + 1) & 0xffff;
    this.ram.setU16(q.avail + 2n, q.availIdx);
  }

  notify(qi: number): void { this.w(REG.QueueNotify, qi); }

  // chain + makeAvailable + notify.
  submit(qi: number, bufs: Buf[], opts: { indirect?: boolean; notify?: boolean } = {}): { head: number; addrs: bigint[] } {
    const c = this.chain(qi, bufs, opts);
    this.makeAvailable(qi, c.head);
    if (opts.notify !== false) this.notify(qi);
    return c;
  }

  usedIdx(qi: number): number { return this.ram.u16(this.queues[qi].used + 2n); }

  // Used elements since the last call.
  takeUsed(qi: number): UsedElem[] {
    const q = this.queues[qi];
    const out: UsedElem[] = [];
    const idx = this.usedIdx(qi);
    while (q.lastUsed !== idx) {
      const e = q.used + 4n + 8n * BigInt(q.lastUsed % q.size);
      out.push({ id: this.ram.u32(e), len: this.ram.u32(e + 4n) });
      q.lastUsed = (q.lastUsed + 1) & 0xffff;
    }
    return out;
  }
}

export const VERSION_1 = VIRTIO_F_VERSION_1;
