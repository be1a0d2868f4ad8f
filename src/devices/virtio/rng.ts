// virtio-rng / entropy device (Virtio 1.2 section 5.4): one request queue
// whose device-writable buffers are filled from a RandomSource.
import type { VirtioDevice, VirtioTransport } from "./mmio";
import { VIRTIO_ID_RNG } from "./mmio";

export interface RandomSource {
  fill(buffer: Uint8Array): void;
}

// Web Crypto, present in Node (>= 19 as a global) and in browsers; at most
// 65536 bytes per getRandomValues call.
export const cryptoRandom: RandomSource = {
  fill(buffer: Uint8Array): void {
    // A fresh ArrayBuffer-backed chunk: getRandomValues rejects shared memory.
    for (let i = 0; i < buffer.length; i += 65536) {
      const chunk = new Uint8Array(Math.min(65536, buffer.length - i));
      globalThis.crypto.getRandomValues(chunk);
      buffer.set(chunk, i);
    }
  },
};

export interface VirtioRngOptions {
  queueSize?: number;      // QueueNumMax (default 64)
  maxRequest?: number;     // bytes supplied per buffer at most (default 64 KiB)
}

export class VirtioRng implements VirtioDevice {
  readonly name = "virtio-rng";
  readonly deviceId = VIRTIO_ID_RNG;
  readonly features = 0n;
  readonly queueSizes: readonly number[];
  private transport!: VirtioTransport;
  private readonly maxRequest: number;

  constructor(private readonly source: RandomSource = cryptoRandom, options: VirtioRngOptions = {}) {
    this.queueSizes = [options.queueSize ?? 64];
    this.maxRequest = options.maxRequest ?? 65536;
  }

  attach(transport: VirtioTransport): void { this.transport = transport; }
  reset(): void {}
  readConfig(): Uint8Array { return new Uint8Array(0); }

  notify(queue: number): void {
    if (queue !== 0) return;
    const q = this.transport.queue(0);
    if (!q) return;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      const bytes = new Uint8Array(Math.min(chain.writableLength, this.maxRequest));
      this.source.fill(bytes);
      q.push(chain.head, q.write(chain, 0, bytes));
    }
  }
}
