// The virtio-mmio transport, version 2 (non-legacy), as in Virtio 1.2
// section 4.2.2: the register block, feature negotiation, queue setup,
// notifications and the interrupt line. The device-specific part (blk,
// console, rng) implements VirtioDevice.
import type { MmioDevice, IrqLine } from "../device";
import { SplitQueue, VirtqueueError, checkLayout, MAX_QUEUE_SIZE } from "./virtqueue";
import type { GuestMemory, QueueLayout, QueueState } from "./virtqueue";

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt"
export const VIRTIO_MMIO_VERSION = 2;
export const VIRTIO_VENDOR_ID = 0x554d4551;  // "QEMU", as QEMU's devices report
export const VIRTIO_MMIO_SIZE = 0x200;

// Register offsets (4.2.2, table "MMIO Device Register Layout").
export const REG = {
  MagicValue: 0x000, Version: 0x004, DeviceID: 0x008, VendorID: 0x00c,
  DeviceFeatures: 0x010, DeviceFeaturesSel: 0x014, DriverFeatures: 0x020, DriverFeaturesSel: 0x024,
  QueueSel: 0x030, QueueNumMax: 0x034, QueueNum: 0x038, QueueReady: 0x044, QueueNotify: 0x050,
  InterruptStatus: 0x060, InterruptACK: 0x064, Status: 0x070,
  QueueDescLow: 0x080, QueueDescHigh: 0x084, QueueDriverLow: 0x090, QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0, QueueDeviceHigh: 0x0a4,
  SHMSel: 0x0ac, SHMLenLow: 0x0b0, SHMLenHigh: 0x0b4, SHMBaseLow: 0x0b8, SHMBaseHigh: 0x0bc,
  QueueReset: 0x0c0, ConfigGeneration: 0x0fc, Config: 0x100,
} as const;

// Device status bits (2.1).
export const STATUS = {
  ACKNOWLEDGE: 1, DRIVER: 2, DRIVER_OK: 4, FEATURES_OK: 8, DEVICE_NEEDS_RESET: 0x40, FAILED: 0x80,
} as const;

// InterruptStatus bits.
export const INT_USED_BUFFER = 1, INT_CONFIG_CHANGE = 2;

// Reserved (device-independent) feature bits (6).
export const VIRTIO_F_INDIRECT_DESC = 1n << 28n;
export const VIRTIO_F_EVENT_IDX = 1n << 29n;
export const VIRTIO_F_VERSION_1 = 1n << 32n;

// Virtio device IDs (5).
export const VIRTIO_ID_NET = 1, VIRTIO_ID_BLOCK = 2, VIRTIO_ID_CONSOLE = 3, VIRTIO_ID_RNG = 4;

// What a device's type-specific part sees of its transport.
export interface VirtioTransport {
  readonly memory: GuestMemory;
  // Features the driver accepted (valid once FEATURES_OK is set).
  readonly negotiatedFeatures: bigint;
  // Queue `index` if the driver made it ready and the device is live
  // (DRIVER_OK set, DEVICE_NEEDS_RESET clear); otherwise undefined.
  queue(index: number): SplitQueue | undefined;
  // Run a host-side event (input arriving, ...) that touches the queues:
  // guest faults become DEVICE_NEEDS_RESET, used buffers raise the interrupt.
  run(fn: () => void): void;
  // The device changed its configuration space.
  configChanged(): void;
}

// The device-type-specific part of a virtio device.
export interface VirtioDevice {
  readonly name: string;
  readonly deviceId: number;
  // Device-type feature bits the device offers (the transport adds
  // VERSION_1, INDIRECT_DESC and EVENT_IDX).
  readonly features: bigint;
  // QueueNumMax for each of the device's queues; their count is the queue count.
  readonly queueSizes: readonly number[];
  attach(transport: VirtioTransport): void;
  // The current configuration space (little-endian, as the driver reads it).
  readConfig(): Uint8Array;
  writeConfig?(offset: number, data: Uint8Array): void;
  // Extra checks on the driver's features before FEATURES_OK is accepted.
  acceptFeatures?(features: bigint): boolean;
  // The driver made buffers available in queue `queue` (also called for each
  // ready queue when the driver sets DRIVER_OK). Throwing VirtqueueError puts
  // the device in DEVICE_NEEDS_RESET.
  notify(queue: number): void;
  // The driver reset the device (Status = 0).
  reset(): void;
  saveState?(): unknown;
  restoreState?(state: unknown): void;
}

export interface VirtioMmioOptions {
  eventIdx?: boolean;          // offer VIRTIO_F_EVENT_IDX (default true)
  indirect?: boolean;          // offer VIRTIO_F_INDIRECT_DESC (default true)
  onError?: (message: string) => void; // told why the device entered DEVICE_NEEDS_RESET
}

interface QueueRegs extends QueueLayout { ready: boolean; vq?: SplitQueue }

const U32 = 0xffffffffn;

export class VirtioMmio implements MmioDevice, VirtioTransport {
  readonly name: string;
  readonly size = VIRTIO_MMIO_SIZE;
  readonly offered: bigint;
  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private queues: QueueRegs[];
  private isr = 0;
  private generation = 0;
  private shmSel = 0;
  private irqLevel = false;
  // Why the device needs a reset (the last violation), for diagnostics.
  lastError: string | undefined;

  constructor(
    readonly device: VirtioDevice,
    readonly memory: GuestMemory,
    private readonly irq: IrqLine = () => {},
    private readonly options: VirtioMmioOptions = {},
  ) {
    this.name = device.name;
    this.offered = (device.features & ~(VIRTIO_F_VERSION_1 | VIRTIO_F_EVENT_IDX | VIRTIO_F_INDIRECT_DESC)) | VIRTIO_F_VERSION_1
      | (options.eventIdx === false ? 0n : VIRTIO_F_EVENT_IDX) | (options.indirect === false ? 0n : VIRTIO_F_INDIRECT_DESC);
    this.queues = device.queueSizes.map(() => this.emptyQueue());
    device.attach(this);
  }

  private emptyQueue(): QueueRegs { return { size: 0, desc: 0n, driver: 0n, device: 0n, ready: false }; }

  get negotiatedFeatures(): bigint { return this.status & STATUS.FEATURES_OK ? this.driverFeatures : 0n; }
  get deviceStatus(): number { return this.status; }
  get interruptStatus(): number { return this.isr; }
  get needsReset(): boolean { return (this.status & STATUS.DEVICE_NEEDS_RESET) !== 0; }
  private get live(): boolean { return (this.status & (STATUS.DRIVER_OK | STATUS.DEVICE_NEEDS_RESET)) === STATUS.DRIVER_OK; }

  queue(index: number): SplitQueue | undefined {
    if (!this.live) return undefined;
    const q = this.queues[index];
    return q && q.ready ? q.vq : undefined;
  }

  run(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof VirtqueueError)) throw e;
      this.fail(e.message);
    }
    this.signalUsed();
  }

  configChanged(): void {
    this.generation = (this.generation + 1) >>> 0;
    this.isr |= INT_CONFIG_CHANGE;
    this.updateIrq();
  }

  // The guest broke the rules: DEVICE_NEEDS_RESET and a configuration change
  // notification (2.1.2); the device stops processing queues until reset.
  fail(message: string): void {
    this.lastError = message;
    this.options.onError?.(`${this.name}: ${message}`);
    if (this.needsReset) return;
    this.status |= STATUS.DEVICE_NEEDS_RESET;
    this.isr |= INT_CONFIG_CHANGE;
    this.updateIrq();
  }

  private signalUsed(): void {
    for (const q of this.queues) {
      if (!q.vq) continue;
      try {
        if (q.vq.takeSignal()) this.isr |= INT_USED_BUFFER;
      } catch (e) {
        if (!(e instanceof VirtqueueError)) throw e;
        this.fail(e.message);
      }
    }
    this.updateIrq();
  }

  // The line follows InterruptStatus != 0: it rises when a notification is
  // raised and falls when the driver acknowledges everything, so a GIC SPI
  // configured either edge- or level-sensitive sees each new notification.
  private updateIrq(): void {
    const level = this.isr !== 0;
    if (level !== this.irqLevel) { this.irqLevel = level; this.irq(level); }
  }

  private reset(): void {
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures = 0n;
    this.queueSel = 0;
    this.shmSel = 0;
    this.queues = this.device.queueSizes.map(() => this.emptyQueue());
    this.isr = 0;
    this.lastError = undefined;
    this.device.reset();
    this.updateIrq();
  }

  read(offset: number, size: number): bigint {
    if (offset >= REG.Config) return this.readConfig(offset - REG.Config, size);
    if (size !== 4 || offset & 3) return 0n;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case REG.MagicValue: return BigInt(VIRTIO_MMIO_MAGIC);
      case REG.Version: return BigInt(VIRTIO_MMIO_VERSION);
      case REG.DeviceID: return BigInt(this.device.deviceId);
      case REG.VendorID: return BigInt(VIRTIO_VENDOR_ID);
      case REG.DeviceFeatures: return this.deviceFeaturesSel < 2 ? (this.offered >> BigInt(32 * this.deviceFeaturesSel)) & U32 : 0n;
      case REG.QueueNumMax: return BigInt(q ? Math.min(this.device.queueSizes[this.queueSel], MAX_QUEUE_SIZE) : 0);
      case REG.QueueNum: return BigInt(q ? q.size : 0);
      case REG.QueueReady: return q && q.ready ? 1n : 0n;
      case REG.InterruptStatus: return BigInt(this.isr);
      case REG.Status: return BigInt(this.status);
      case REG.QueueDescLow: return q ? q.desc & U32 : 0n;
      case REG.QueueDescHigh: return q ? q.desc >> 32n : 0n;
      case REG.QueueDriverLow: return q ? q.driver & U32 : 0n;
      case REG.QueueDriverHigh: return q ? q.driver >> 32n : 0n;
      case REG.QueueDeviceLow: return q ? q.device & U32 : 0n;
      case REG.QueueDeviceHigh: return q ? q.device >> 32n : 0n;
      case REG.SHMLenLow: case REG.SHMLenHigh: return U32; // no shared memory regions: length -1
      case REG.SHMBaseLow: case REG.SHMBaseHigh: return U32;
      case REG.ConfigGeneration: return BigInt(this.generation);
    }
    return 0n;
  }

  write(offset: number, size: number, value: bigint): void {
    if (offset >= REG.Config) { this.writeConfig(offset - REG.Config, size, value); return; }
    if (size !== 4 || offset & 3) return;
    const v = Number(value & U32);
    const q = this.queues[this.queueSel];
    const setLow = (old: bigint) => (old & ~U32) | BigInt(v);
    const setHigh = (old: bigint) => (old & U32) | (BigInt(v) << 32n);
    switch (offset) {
      case REG.DeviceFeaturesSel: this.deviceFeaturesSel = v; return;
      case REG.DriverFeaturesSel: this.driverFeaturesSel = v; return;
      case REG.DriverFeatures:
        if (this.status & STATUS.FEATURES_OK || this.driverFeaturesSel > 1) return;
        {
          const shift = BigInt(32 * this.driverFeaturesSel);
          this.driverFeatures = (this.driverFeatures & ~(U32 << shift)) | (BigInt(v) << shift);
        }
        return;
      case REG.QueueSel: this.queueSel = v; return;
      case REG.QueueNum: if (q && !q.ready) q.size = v; return;
      case REG.QueueDescLow: if (q && !q.ready) q.desc = setLow(q.desc); return;
      case REG.QueueDescHigh: if (q && !q.ready) q.desc = setHigh(q.desc); return;
      case REG.QueueDriverLow: if (q && !q.ready) q.driver = setLow(q.driver); return;
      case REG.QueueDriverHigh: if (q && !q.ready) q.driver = setHigh(q.driver); return;
      case REG.QueueDeviceLow: if (q && !q.ready) q.device = setLow(q.device); return;
      case REG.QueueDeviceHigh: if (q && !q.ready) q.device = setHigh(q.device); return;
      case REG.QueueReady: if (q) this.setReady(q, v & 1); return;
      case REG.QueueNotify: this.notify(v & 0xffff); return;
      case REG.InterruptACK: this.isr &= ~v; this.updateIrq(); return;
      case REG.Status: this.setStatus(v & 0xff); return;
      case REG.SHMSel: this.shmSel = v; return;
    }
  }

  private setReady(q: QueueRegs, ready: number): void {
    if (!ready) { q.ready = false; q.vq = undefined; return; }
    if (q.ready) return;
    const max = Math.min(this.device.queueSizes[this.queueSel], MAX_QUEUE_SIZE);
    const why = checkLayout(this.memory, q, max);
    if (why) { this.fail(`queue ${this.queueSel}: ${why}`); return; }
    const f = this.driverFeatures;
    q.vq = new SplitQueue(this.memory, { size: q.size, desc: q.desc, driver: q.driver, device: q.device },
      (f & VIRTIO_F_EVENT_IDX) !== 0n, (f & VIRTIO_F_INDIRECT_DESC) !== 0n);
    q.ready = true;
  }

  private setStatus(v: number): void {
    if (v === 0) { this.reset(); return; }
    const was = this.status;
    let next = (v & ~STATUS.DEVICE_NEEDS_RESET) | (was & STATUS.DEVICE_NEEDS_RESET);
    if (next & STATUS.FEATURES_OK && !(was & STATUS.FEATURES_OK) && !this.featuresAcceptable()) next &= ~STATUS.FEATURES_OK;
    this.status = next;
    if (next & STATUS.DRIVER_OK && !(was & STATUS.DRIVER_OK)) {
      // Buffers made available before DRIVER_OK are processed now.
      for (let i = 0; i < this.queues.length; i++) if (this.queues[i].ready) this.notify(i);
    }
  }

  // 3.1.1: the device accepts the driver's subset of its features only with VERSION_1.
  private featuresAcceptable(): boolean {
    const f = this.driverFeatures;
    if (f & ~this.offered) return false;
    if (!(f & VIRTIO_F_VERSION_1)) return false;
    return this.device.acceptFeatures ? this.device.acceptFeatures(f) : true;
  }

  private notify(queue: number): void {
    if (!this.queue(queue)) return;
    this.run(() => this.device.notify(queue));
  }

  private readConfig(offset: number, size: number): bigint {
    if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return 0n;
    const cfg = this.device.readConfig();
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(offset + i < cfg.length ? cfg[offset + i] : 0);
    return v;
  }

  private writeConfig(offset: number, size: number, value: bigint): void {
    if (!this.device.writeConfig || (size !== 1 && size !== 2 && size !== 4 && size !== 8)) return;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = Number((value >> BigInt(8 * i)) & 0xffn);
    this.device.writeConfig(offset, data);
  }

  // ---- snapshots ----
  saveState(): unknown {
    return {
      status: this.status, deviceFeaturesSel: this.deviceFeaturesSel, driverFeaturesSel: this.driverFeaturesSel,
      driverFeatures: this.driverFeatures.toString(16), queueSel: this.queueSel, isr: this.isr,
      generation: this.generation, shmSel: this.shmSel,
      queues: this.queues.map((q) => ({
        size: q.size, desc: q.desc.toString(16), driver: q.driver.toString(16), device: q.device.toString(16), ready: q.ready,
        vq: q.vq ? { lastAvail: q.vq.lastAvail, usedIdx: q.vq.usedIdx, signalledUsed: q.vq.saveState().signalledUsed } : undefined,
      })),
      device: this.device.saveState?.(),
    };
  }

  restoreState(state: unknown): void {
    const s = state as {
      status: number; deviceFeaturesSel: number; driverFeaturesSel: number; driverFeatures: string; queueSel: number;
      isr: number; generation: number; shmSel: number; device: unknown;
      queues: { size: number; desc: string; driver: string; device: string; ready: boolean; vq?: { lastAvail: number; usedIdx: number; signalledUsed: number } }[];
    };
    this.status = s.status; this.deviceFeaturesSel = s.deviceFeaturesSel; this.driverFeaturesSel = s.driverFeaturesSel;
    this.driverFeatures = BigInt("0x" + s.driverFeatures); this.queueSel = s.queueSel; this.isr = s.isr;
    this.generation = s.generation; this.shmSel = s.shmSel;
    const f = this.driverFeatures;
    this.queues = this.device.queueSizes.map((_, i) => {
      const r = s.queues[i];
      if (!r) return this.emptyQueue();
      const q: QueueRegs = { size: r.size, desc: BigInt("0x" + r.desc), driver: BigInt("0x" + r.driver), device: BigInt("0x" + r.device), ready: r.ready };
      if (r.ready && r.vq) {
        q.vq = new SplitQueue(this.memory, { size: q.size, desc: q.desc, driver: q.driver, device: q.device },
          (f & VIRTIO_F_EVENT_IDX) !== 0n, (f & VIRTIO_F_INDIRECT_DESC) !== 0n);
        q.vq.restoreState({ ...q, lastAvail: r.vq.lastAvail, usedIdx: r.vq.usedIdx, signalledUsed: r.vq.signalledUsed } as QueueState);
      }
      return q;
    });
    if (s.device !== undefined) this.device.restoreState?.(s.device);
    this.irqLevel = !(this.isr !== 0);
    this.updateIrq();
  }
}
