// virtio-blk (Virtio 1.2 section 5.2): one request queue over a BlockBackend.
// Requests complete synchronously: a write is acknowledged only once the
// backend has it, and FLUSH reaches backend.flush().
import type { VirtioDevice, VirtioTransport } from "./mmio";
import { VIRTIO_ID_BLOCK } from "./mmio";
import { VirtqueueError } from "./virtqueue";
import type { Chain, SplitQueue } from "./virtqueue";

// Storage behind a disk, platform-neutral (a file in Node, memory or OPFS in
// a page). Offsets and lengths in bytes; errors are thrown and become
// VIRTIO_BLK_S_IOERR.
export interface BlockBackend {
  readonly size: number;
  readonly readonly?: boolean;   // the default of VirtioBlkOptions.readonly
  read(offset: number, length: number): Uint8Array;
  write(offset: number, data: Uint8Array): void;
  flush(): void;
}

// A BlockBackend in memory (tests, pages without storage).
export class MemoryBackend implements BlockBackend {
  flushes = 0;
  constructor(readonly data: Uint8Array) {}
  get size(): number { return this.data.length; }
  read(offset: number, length: number): Uint8Array { return this.data.slice(offset, offset + length); }
  write(offset: number, data: Uint8Array): void { this.data.set(data, offset); }
  flush(): void { this.flushes++; }
}

export const VIRTIO_BLK_F_SIZE_MAX = 1n << 1n;
export const VIRTIO_BLK_F_SEG_MAX = 1n << 2n;
export const VIRTIO_BLK_F_GEOMETRY = 1n << 4n;
export const VIRTIO_BLK_F_RO = 1n << 5n;
export const VIRTIO_BLK_F_BLK_SIZE = 1n << 6n;
export const VIRTIO_BLK_F_FLUSH = 1n << 9n;

export const VIRTIO_BLK_T_IN = 0, VIRTIO_BLK_T_OUT = 1, VIRTIO_BLK_T_FLUSH = 4, VIRTIO_BLK_T_GET_ID = 8;
export const VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2;
export const VIRTIO_BLK_ID_BYTES = 20;
export const SECTOR_SIZE = 512;

// Config space layout (struct virtio_blk_config) up to num_queues.
const CFG_CAPACITY = 0, CFG_SEG_MAX = 12, CFG_BLK_SIZE = 20, CFG_SIZE = 36;
const HEADER_BYTES = 16;
const CHUNK = 1 << 20; // bytes moved between guest and backend at a time

export interface VirtioBlkOptions {
  readonly?: boolean;      // offer VIRTIO_BLK_F_RO and refuse writes (default: backend.readonly)
  serial?: string;         // GET_ID answer (up to 20 bytes)
  queueSize?: number;      // QueueNumMax (default 256)
  blockSize?: number;      // VIRTIO_BLK_F_BLK_SIZE (default 512)
}

export class VirtioBlk implements VirtioDevice {
  readonly name = "virtio-blk";
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly features: bigint;
  readonly queueSizes: readonly number[];
  readonly readonly: boolean;
  private transport!: VirtioTransport;
  private readonly id: Uint8Array;
  private readonly blockSize: number;

  constructor(readonly backend: BlockBackend, options: VirtioBlkOptions = {}) {
    this.readonly = options.readonly ?? backend.readonly ?? false;
    this.blockSize = options.blockSize ?? SECTOR_SIZE;
    this.queueSizes = [options.queueSize ?? 256];
    this.features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | (this.readonly ? VIRTIO_BLK_F_RO : 0n);
    this.id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
    this.id.set(new TextEncoder().encode(options.serial ?? "armvisor-blk").subarray(0, VIRTIO_BLK_ID_BYTES));
  }

  // Capacity in 512-byte sectors (a partial last sector is not visible).
  get capacity(): bigint { return BigInt(Math.floor(this.backend.size / SECTOR_SIZE)); }

  attach(transport: VirtioTransport): void { this.transport = transport; }
  reset(): void {}

  readConfig(): Uint8Array {
    const cfg = new Uint8Array(CFG_SIZE);
    const dv = new DataView(cfg.buffer);
    dv.setBigUint64(CFG_CAPACITY, this.capacity, true);
    dv.setUint32(CFG_SEG_MAX, Math.max(1, this.queueSizes[0] - 2), true); // header and status take two
    dv.setUint32(CFG_BLK_SIZE, this.blockSize, true);
    return cfg;
  }

  notify(queue: number): void {
    if (queue !== 0) return;
    const q = this.transport.queue(0);
    if (!q) return;
    for (let chain = q.pop(); chain; chain = q.pop()) this.request(q, chain);
  }

  private request(q: SplitQueue, chain: Chain): void {
    if (chain.readableLength < HEADER_BYTES) throw new VirtqueueError(`virtio-blk request ${chain.head} has no 16-byte header`);
    if (chain.writableLength < 1) throw new VirtqueueError(`virtio-blk request ${chain.head} has no status byte`);
    const hdr = new DataView(q.read(chain, 0, HEADER_BYTES).buffer);
    const type = hdr.getUint32(0, true);
    const sector = hdr.getBigUint64(8, true);
    const dataIn = chain.writableLength - 1; // writable bytes before the status byte
    let status = VIRTIO_BLK_S_OK;
    let wroteData = false;
    switch (type) {
      case VIRTIO_BLK_T_IN: {
        const offset = this.range(sector, dataIn);
        if (offset === undefined) { status = VIRTIO_BLK_S_IOERR; break; }
        // In chunks: a chain may name the same RAM many times over.
        for (let done = 0; done < dataIn; ) {
          const n = Math.min(CHUNK, dataIn - done);
          let data: Uint8Array;
          try { data = this.backend.read(offset + done, n); } catch { status = VIRTIO_BLK_S_IOERR; break; }
          if (data.length !== n) { status = VIRTIO_BLK_S_IOERR; break; }
          q.write(chain, done, data);
          done += n;
        }
        wroteData = status === VIRTIO_BLK_S_OK;
        break;
      }
      case VIRTIO_BLK_T_OUT: {
        // 5.2.6.1: a write to a read-only device fails with IOERR and writes nothing.
        if (this.readonly) { status = VIRTIO_BLK_S_IOERR; break; }
        const len = chain.readableLength - HEADER_BYTES;
        const offset = this.range(sector, len);
        if (offset === undefined) { status = VIRTIO_BLK_S_IOERR; break; }
        for (let done = 0; done < len; ) {
          const data = q.read(chain, HEADER_BYTES + done, Math.min(CHUNK, len - done));
          try { this.backend.write(offset + done, data); } catch { status = VIRTIO_BLK_S_IOERR; break; }
          done += data.length;
        }
        break;
      }
      case VIRTIO_BLK_T_FLUSH:
        try { this.backend.flush(); } catch { status = VIRTIO_BLK_S_IOERR; }
        break;
      case VIRTIO_BLK_T_GET_ID: {
        // Up to 20 bytes; a longer buffer keeps the rest (so used len is then 0).
        q.write(chain, 0, this.id.subarray(0, Math.min(dataIn, VIRTIO_BLK_ID_BYTES)));
        wroteData = dataIn <= VIRTIO_BLK_ID_BYTES;
        break;
      }
      default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    q.write(chain, dataIn, Uint8Array.of(status));
    // used len: bytes written from the start of the writable part. Without
    // data, only a lone status byte is such a prefix; 0 never overstates.
    q.push(chain.head, wroteData || dataIn === 0 ? chain.writableLength : 0);
  }

  // The byte offset of `len` bytes at `sector`, or undefined if not whole
  // sectors entirely on the disk.
  private range(sector: bigint, len: number): number | undefined {
    if (len % SECTOR_SIZE !== 0) return undefined;
    const end = sector + BigInt(len / SECTOR_SIZE);
    if (end > this.capacity) return undefined;
    return Number(sector) * SECTOR_SIZE;
  }
}
