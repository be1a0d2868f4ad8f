// Split virtqueues (Virtio 1.2, section 2.7): the descriptor table, the
// driver ("available") ring and the device ("used") ring in guest memory.
//
// Everything read from guest memory is validated. A violation throws
// VirtqueueError, which the transport turns into DEVICE_NEEDS_RESET; nothing
// a guest writes can make the host throw anything else.

// Guest-physical memory as devices see it (DMA). Addresses outside RAM give
// undefined / false, never an exception.
export interface GuestMemory {
  read(pa: bigint, len: number): Uint8Array | undefined;
  write(pa: bigint, data: Uint8Array): boolean;
}

// RAM as the core exposes it (`Core` satisfies this structurally), as a
// GuestMemory. Writes go through writeRam, which drops decoded code.
export interface RamAccess {
  ramOffset(pa: bigint, len: number): number;
  readRam(pa: bigint, len: number): Uint8Array;
  writeRam(pa: bigint, data: Uint8Array): void;
}

export function guestMemoryFromRam(ram: RamAccess): GuestMemory {
  return {
    read: (pa, len) => (len < 0 || ram.ramOffset(pa, len) < 0 ? undefined : ram.readRam(pa, len)),
    write: (pa, data) => {
      if (ram.ramOffset(pa, data.length) < 0) return false;
      ram.writeRam(pa, data);
      return true;
    },
  };
}

// The guest broke the virtqueue rules; the device needs a reset.
export class VirtqueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VirtqueueError";
  }
}

export const VIRTQ_DESC_F_NEXT = 1, VIRTQ_DESC_F_WRITE = 2, VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
export const MAX_QUEUE_SIZE = 32768;
const DESC_SIZE = 16;

export interface Segment { addr: bigint; len: number }

// One descriptor chain: device-readable segments, then device-writable ones.
export interface Chain {
  head: number;
  readable: Segment[];
  writable: Segment[];
  readableLength: number;
  writableLength: number;
}

// A queue's register state, as the transport's QueueDesc/Driver/Device hold it.
export interface QueueLayout { size: number; desc: bigint; driver: bigint; device: bigint }

export interface QueueState extends QueueLayout { lastAvail: number; usedIdx: number; signalledUsed: number }

// Why a layout cannot be used, or undefined if it can (sizes and alignment as
// in 2.7, and every ring entirely in guest memory).
export function checkLayout(memory: GuestMemory, l: QueueLayout, max: number): string | undefined {
  const { size } = l;
  if (size < 1 || size > max || (size & (size - 1)) !== 0) return `queue size ${size} is not a power of 2 in 1..${max}`;
  if (l.desc & 15n) return `descriptor table 0x${l.desc.toString(16)} is not 16-byte aligned`;
  if (l.driver & 1n) return `driver ring 0x${l.driver.toString(16)} is not 2-byte aligned`;
  if (l.device & 3n) return `device ring 0x${l.device.toString(16)} is not 4-byte aligned`;
  if (!memory.read(l.desc, DESC_SIZE * size)) return `descriptor table 0x${l.desc.toString(16)} is outside RAM`;
  if (!memory.read(l.driver, 6 + 2 * size)) return `driver ring 0x${l.driver.toString(16)} is outside RAM`;
  if (!memory.read(l.device, 6 + 8 * size)) return `device ring 0x${l.device.toString(16)} is outside RAM`;
  return undefined;
}

export class SplitQueue {
  lastAvail = 0;          // next driver-ring entry to take (free-running u16)
  usedIdx = 0;            // our used->idx (free-running u16)
  private signalledUsed = 0; // used->idx when we last decided about an interrupt

  constructor(
    private readonly memory: GuestMemory,
    readonly layout: QueueLayout,
    private readonly eventIdx: boolean,
    private readonly indirect: boolean,
  ) {}

  get size(): number { return this.layout.size; }

  // ---- guest memory, validated ----
  private bytes(pa: bigint, len: number, what: string): Uint8Array {
    const b = this.memory.read(pa, len);
    if (!b || b.length !== len) throw new VirtqueueError(`${what} at 0x${pa.toString(16)}+${len} is outside RAM`);
    return b;
  }
  private u16(pa: bigint, what: string): number { const b = this.bytes(pa, 2, what); return b[0] | (b[1] << 8); }
  private put(pa: bigint, data: Uint8Array, what: string): void {
    if (!this.memory.write(pa, data)) throw new VirtqueueError(`${what} at 0x${pa.toString(16)}+${data.length} is outside RAM`);
  }
  private putU16(pa: bigint, v: number, what: string): void { this.put(pa, Uint8Array.of(v & 0xff, (v >> 8) & 0xff), what); }

  // The next available chain, or undefined if the driver has not made one available.
  pop(): Chain | undefined {
    const { size, driver } = this.layout;
    const availIdx = this.u16(driver + 2n, "avail->idx");
    const pending = (availIdx - this.lastAvail) & 0xffff;
    if (pending > size) throw new VirtqueueError(`avail->idx moved from ${this.lastAvail} to ${availIdx}, more than the queue size ${size}`);
    if (pending === 0) {
      if (this.eventIdx) this.putU16(this.layout.device + 4n + 8n * BigInt(size), this.lastAvail, "avail_event");
      return undefined;
    }
    const head = this.u16(driver + 4n + 2n * BigInt(this.lastAvail % size), "avail->ring");
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (this.eventIdx) this.putU16(this.layout.device + 4n + 8n * BigInt(size), this.lastAvail, "avail_event");
    return this.walk(head);
  }

  private walk(head: number): Chain {
    const chain: Chain = { head, readable: [], writable: [], readableLength: 0, writableLength: 0 };
    if (head >= this.layout.size) throw new VirtqueueError(`chain head ${head} is beyond the queue size ${this.layout.size}`);
    // The queue's own table is read one descriptor at a time; an indirect
    // table (at most MAX_QUEUE_SIZE entries) in one piece.
    let table: Uint8Array | undefined;
    let tableLen = this.layout.size;
    let inIndirect = false;
    let idx = head;
    let count = 0;
    for (;;) {
      if (idx >= tableLen) throw new VirtqueueError(`descriptor index ${idx} is beyond the ${inIndirect ? "indirect table" : "queue"} size ${tableLen}`);
      if (++count > tableLen) throw new VirtqueueError(`descriptor chain from ${head} is longer than ${tableLen} (a loop?)`);
      const raw = table ? table.subarray(idx * DESC_SIZE, (idx + 1) * DESC_SIZE)
        : this.bytes(this.layout.desc + BigInt(idx * DESC_SIZE), DESC_SIZE, "descriptor");
      const dv = new DataView(raw.buffer, raw.byteOffset, DESC_SIZE);
      const addr = dv.getBigUint64(0, true), len = dv.getUint32(8, true), flags = dv.getUint16(12, true), next = dv.getUint16(14, true);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.indirect) throw new VirtqueueError("indirect descriptor without VIRTIO_F_INDIRECT_DESC");
        if (inIndirect) throw new VirtqueueError("indirect descriptor inside an indirect table");
        if (flags & VIRTQ_DESC_F_NEXT) throw new VirtqueueError("indirect descriptor with NEXT set");
        if (len === 0 || len % DESC_SIZE !== 0) throw new VirtqueueError(`indirect table length ${len} is not a non-zero multiple of 16`);
        if (len / DESC_SIZE > MAX_QUEUE_SIZE) throw new VirtqueueError(`indirect table of ${len / DESC_SIZE} descriptors is too long`);
        table = this.bytes(addr, len, "indirect table");
        tableLen = len / DESC_SIZE;
        inIndirect = true;
        idx = 0;
        count = 0;
        continue;
      }
      if (addr + BigInt(len) > 0xffff_ffff_ffff_ffffn + 1n) throw new VirtqueueError(`buffer 0x${addr.toString(16)}+${len} wraps`);
      if (len > 0) {
        if (flags & VIRTQ_DESC_F_WRITE) {
          chain.writable.push({ addr, len });
          chain.writableLength += len;
        } else {
          if (chain.writable.length) throw new VirtqueueError(`device-readable descriptor ${idx} after a device-writable one`);
          chain.readable.push({ addr, len });
          chain.readableLength += len;
        }
      } else if (!(flags & VIRTQ_DESC_F_WRITE) && chain.writable.length) {
        throw new VirtqueueError(`device-readable descriptor ${idx} after a device-writable one`);
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      idx = next;
    }
  }

  // Return a chain to the driver: `len` bytes were written to its writable part.
  push(head: number, len: number): void {
    const { size, device } = this.layout;
    const elem = new Uint8Array(8);
    const dv = new DataView(elem.buffer);
    dv.setUint32(0, head, true);
    dv.setUint32(4, len >>> 0, true);
    this.put(device + 4n + 8n * BigInt(this.usedIdx % size), elem, "used->ring");
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.putU16(device + 2n, this.usedIdx, "used->idx");
  }

  // Whether the used buffers returned since the last call deserve a used
  // buffer notification (2.7.10: avail->flags, or used_event with EVENT_IDX).
  takeSignal(): boolean {
    if (this.usedIdx === this.signalledUsed) return false;
    const old = this.signalledUsed, now = this.usedIdx;
    this.signalledUsed = now;
    const { driver, size } = this.layout;
    if (this.eventIdx) {
      const usedEvent = this.u16(driver + 4n + 2n * BigInt(size), "used_event");
      return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
    }
    return (this.u16(driver, "avail->flags") & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  // `len` bytes of the chain's readable part from `offset` (clipped to its end).
  read(chain: Chain, offset = 0, len = chain.readableLength - offset): Uint8Array {
    len = Math.max(0, Math.min(len, chain.readableLength - offset));
    const out = new Uint8Array(len);
    let pos = 0, skip = offset;
    for (const s of chain.readable) {
      if (pos >= len) break;
      if (skip >= s.len) { skip -= s.len; continue; }
      const n = Math.min(s.len - skip, len - pos);
      out.set(this.bytes(s.addr + BigInt(skip), n, "buffer"), pos);
      pos += n;
      skip = 0;
    }
    return out;
  }

  // Write `data` into the chain's writable part from `offset`; returns the
  // bytes written (clipped to the writable part's end).
  write(chain: Chain, offset: number, data: Uint8Array): number {
    let pos = 0, skip = offset;
    for (const s of chain.writable) {
      if (pos >= data.length) break;
      if (skip >= s.len) { skip -= s.len; continue; }
      const n = Math.min(s.len - skip, data.length - pos);
      this.put(s.addr + BigInt(skip), data.subarray(pos, pos + n), "buffer");
      pos += n;
      skip = 0;
    }
    return pos;
  }

  saveState(): QueueState {
    return { ...this.layout, lastAvail: this.lastAvail, usedIdx: this.usedIdx, signalledUsed: this.signalledUsed };
  }
  restoreState(s: QueueState): void {
    this.lastAvail = s.lastAvail & 0xffff;
    this.usedIdx = s.usedIdx & 0xffff;
    this.signalledUsed = s.signalledUsed & 0xffff;
  }
}
