// virtio-console (Virtio 1.2 section 5.3) with a single port: receiveq (0)
// carries input to the guest, transmitq (1) output to a ConsoleSink.
// Offers VIRTIO_CONSOLE_F_EMERG_WRITE, and VIRTIO_CONSOLE_F_SIZE when given
// a terminal size.
import type { ConsoleSink } from "../device";
import type { VirtioDevice, VirtioTransport } from "./mmio";
import { VIRTIO_ID_CONSOLE } from "./mmio";

export const VIRTIO_CONSOLE_F_SIZE = 1n << 0n;
export const VIRTIO_CONSOLE_F_MULTIPORT = 1n << 1n;
export const VIRTIO_CONSOLE_F_EMERG_WRITE = 1n << 2n;

const RECEIVEQ = 0, TRANSMITQ = 1;
// struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr.
const CFG_COLS = 0, CFG_ROWS = 2, CFG_MAX_NR_PORTS = 4, CFG_EMERG_WR = 8, CFG_SIZE = 12;

export interface VirtioConsoleOptions {
  queueSize?: number;          // QueueNumMax of both queues (default 128)
  size?: { cols: number; rows: number }; // offer VIRTIO_CONSOLE_F_SIZE
  maxPendingInput?: number;    // input held while the guest has no buffers (default 64 KiB; excess is dropped)
  maxOutput?: number;          // bytes of one transmitq buffer sent to the sink at most (default 1 MiB)
}

export class VirtioConsole implements VirtioDevice {
  readonly name = "virtio-console";
  readonly deviceId = VIRTIO_ID_CONSOLE;
  readonly features: bigint;
  readonly queueSizes: readonly number[];
  private transport!: VirtioTransport;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly maxPending: number;
  private readonly maxOutput: number;
  private cols: number;
  private rows: number;

  constructor(private readonly sink: ConsoleSink, options: VirtioConsoleOptions = {}) {
    const n = options.queueSize ?? 128;
    this.queueSizes = [n, n];
    this.features = VIRTIO_CONSOLE_F_EMERG_WRITE | (options.size ? VIRTIO_CONSOLE_F_SIZE : 0n);
    this.cols = options.size?.cols ?? 0;
    this.rows = options.size?.rows ?? 0;
    this.maxPending = options.maxPendingInput ?? 65536;
    this.maxOutput = options.maxOutput ?? 1 << 20;
  }

  attach(transport: VirtioTransport): void { this.transport = transport; }
  reset(): void {} // input typed before the driver (re)starts is kept

  readConfig(): Uint8Array {
    const cfg = new Uint8Array(CFG_SIZE);
    const dv = new DataView(cfg.buffer);
    dv.setUint16(CFG_COLS, this.cols, true);
    dv.setUint16(CFG_ROWS, this.rows, true);
    dv.setUint32(CFG_MAX_NR_PORTS, 1, true);
    return cfg;
  }

  // emerg_wr: one character straight to the sink.
  writeConfig(offset: number, data: Uint8Array): void {
    if (offset === CFG_EMERG_WR && this.transport.negotiatedFeatures & VIRTIO_CONSOLE_F_EMERG_WRITE) this.sink.write(data.subarray(0, 1));
  }

  // The terminal was resized (only with VIRTIO_CONSOLE_F_SIZE offered).
  resize(cols: number, rows: number): void {
    if (!(this.features & VIRTIO_CONSOLE_F_SIZE)) return;
    this.cols = cols & 0xffff;
    this.rows = rows & 0xffff;
    this.transport.configChanged();
  }

  // Bytes typed at the console: delivered into receiveq buffers now, or
  // when the guest provides some.
  pushInput(bytes: Uint8Array): void {
    const room = this.maxPending - this.pendingBytes;
    if (room <= 0 || bytes.length === 0) return;
    const take = bytes.slice(0, room);
    this.pending.push(take);
    this.pendingBytes += take.length;
    this.transport.run(() => this.deliver());
  }

  get pendingInput(): number { return this.pendingBytes; }

  notify(queue: number): void {
    if (queue === RECEIVEQ) this.deliver();
    else if (queue === TRANSMITQ) this.transmit();
  }

  private transmit(): void {
    const q = this.transport.queue(TRANSMITQ);
    if (!q) return;
    for (let chain = q.pop(); chain; chain = q.pop()) {
      // In chunks, and at most maxOutput bytes of one chain (a chain may
      // name the same RAM many times over).
      const total = Math.min(chain.readableLength, this.maxOutput);
      for (let done = 0; done < total; ) {
        const bytes = q.read(chain, done, Math.min(65536, total - done));
        this.sink.write(bytes);
        done += bytes.length;
      }
      q.push(chain.head, 0);
    }
  }

  private deliver(): void {
    const q = this.transport.queue(RECEIVEQ);
    if (!q) return;
    while (this.pendingBytes > 0) {
      const chain = q.pop();
      if (!chain) return;
      let written = 0;
      while (this.pending.length && written < chain.writableLength) {
        const head = this.pending[0];
        const n = Math.min(head.length, chain.writableLength - written);
        q.write(chain, written, head.subarray(0, n));
        written += n;
        if (n === head.length) this.pending.shift();
        else this.pending[0] = head.subarray(n);
      }
      this.pendingBytes -= written;
      q.push(chain.head, written);
    }
  }

  saveState(): unknown {
    return { pending: Array.from(this.pending.flatMap((b) => Array.from(b))), cols: this.cols, rows: this.rows };
  }

  restoreState(state: unknown): void {
    const s = state as { pending: number[]; cols: number; rows: number };
    this.pending = s.pending.length ? [Uint8Array.from(s.pending)] : [];
    this.pendingBytes = s.pending.length;
    this.cols = s.cols;
    this.rows = s.rows;
  }
}
