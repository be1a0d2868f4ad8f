// The virtio-mmio transport (Virtio 1.2 section 4.2.2, version 2): registers,
// feature negotiation (3.1.1), queue setup, notifications and the interrupt.
import { describe, it, expect } from "vitest";
import {
  VirtioMmio, REG, STATUS, INT_USED_BUFFER, INT_CONFIG_CHANGE,
  VIRTIO_F_VERSION_1, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC, VIRTIO_ID_RNG, VIRTIO_ID_BLOCK,
} from "../../src/devices/virtio/mmio";
import { VirtioRng } from "../../src/devices/virtio/rng";
import { VirtioBlk, MemoryBackend } from "../../src/devices/virtio/blk";
import { VirtioConsole } from "../../src/devices/virtio/console";
import { FakeRam, Driver, Line, RAM_BASE } from "./virtio-driver";

const counting = { n: 0, fill(b: Uint8Array) { for (let i = 0; i < b.length; i++) b[i] = (this.n++) & 0xff; } };

function rig(opts: { eventIdx?: boolean } = {}) {
  const ram = new FakeRam();
  const line = new Line();
  const dev = new VirtioMmio(new VirtioRng(counting), ram, line.fn, opts);
  return { ram, line, dev, drv: new Driver(dev, ram) };
}

describe("virtio-mmio registers", () => {
  it("identifies itself as a version 2 device", () => {
    const { drv } = rig();
    expect(drv.r(REG.MagicValue)).toBe(0x74726976);
    expect(drv.r(REG.Version)).toBe(2);
    expect(drv.r(REG.DeviceID)).toBe(VIRTIO_ID_RNG);
    expect(drv.r(REG.VendorID)).toBe(0x554d4551);
    expect(drv.r(REG.Status)).toBe(0);
    expect(drv.r(REG.ConfigGeneration)).toBe(0);
    const blk = new VirtioMmio(new VirtioBlk(new MemoryBackend(new Uint8Array(4096))), new FakeRam());
    expect(Number(blk.read(REG.DeviceID, 4))).toBe(VIRTIO_ID_BLOCK);
    expect(blk.size).toBe(0x200);
  });

  it("offers VERSION_1, INDIRECT_DESC and EVENT_IDX; EVENT_IDX can be withheld", () => {
    const f = rig().drv.deviceFeatures();
    expect(f & VIRTIO_F_VERSION_1).toBe(VIRTIO_F_VERSION_1);
    expect(f & VIRTIO_F_INDIRECT_DESC).toBe(VIRTIO_F_INDIRECT_DESC);
    expect(f & VIRTIO_F_EVENT_IDX).toBe(VIRTIO_F_EVENT_IDX);
    expect(rig({ eventIdx: false }).drv.deviceFeatures() & VIRTIO_F_EVENT_IDX).toBe(0n);
  });

  it("reports QueueNumMax per queue and 0 beyond the last queue", () => {
    const { drv } = rig();
    drv.w(REG.QueueSel, 0);
    expect(drv.r(REG.QueueNumMax)).toBe(64);
    expect(drv.r(REG.QueueReady)).toBe(0);
    drv.w(REG.QueueSel, 1);
    expect(drv.r(REG.QueueNumMax)).toBe(0);
    const con = new Driver(new VirtioMmio(new VirtioConsole({ write() {} }), new FakeRam()), new FakeRam());
    con.w(REG.QueueSel, 1);
    expect(con.r(REG.QueueNumMax)).toBe(128);
    con.w(REG.QueueSel, 2);
    expect(con.r(REG.QueueNumMax)).toBe(0);
  });

  it("ignores non-32-bit register accesses and reports no shared memory regions", () => {
    const { dev, drv } = rig();
    expect(dev.read(REG.MagicValue, 2)).toBe(0n);
    dev.write(REG.Status, 1, 1n);
    expect(drv.status).toBe(0);
    expect(drv.r(REG.SHMLenLow)).toBe(0xffffffff);
    expect(drv.r(REG.SHMLenHigh)).toBe(0xffffffff);
  });
});

describe("virtio-mmio feature negotiation", () => {
  it("accepts a subset of the offered features that includes VERSION_1", () => {
    const { drv, dev } = rig();
    expect(drv.negotiate((o) => o & ~VIRTIO_F_EVENT_IDX)).toBe(true);
    expect(dev.negotiatedFeatures).toBe(VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC);
  });

  it("refuses FEATURES_OK without VERSION_1 (no legacy interface)", () => {
    const { drv } = rig();
    expect(drv.negotiate((o) => o & ~VIRTIO_F_VERSION_1)).toBe(false);
    expect(drv.status).toBe(STATUS.ACKNOWLEDGE | STATUS.DRIVER);
  });

  it("refuses FEATURES_OK for features it did not offer", () => {
    const { drv } = rig();
    expect(drv.negotiate((o) => o | (1n << 40n))).toBe(false);
  });

  it("freezes the features once FEATURES_OK is set", () => {
    const { drv, dev } = rig();
    drv.negotiate(() => VIRTIO_F_VERSION_1);
    drv.w(REG.DriverFeaturesSel, 0);
    drv.w(REG.DriverFeatures, Number(VIRTIO_F_INDIRECT_DESC));
    expect(dev.negotiatedFeatures).toBe(VIRTIO_F_VERSION_1);
  });

  it("resets everything when 0 is written to Status", () => {
    const { drv, dev } = rig();
    drv.init(1);
    expect(drv.status).toBe(STATUS.ACKNOWLEDGE | STATUS.DRIVER | STATUS.FEATURES_OK | STATUS.DRIVER_OK);
    drv.w(REG.Status, 0);
    expect(drv.status).toBe(0);
    expect(dev.negotiatedFeatures).toBe(0n);
    drv.w(REG.QueueSel, 0);
    expect(drv.r(REG.QueueReady)).toBe(0);
    expect(drv.r(REG.QueueNum)).toBe(0);
  });
});

describe("virtio-mmio queues and interrupts", () => {
  it("takes the queue addresses as 64-bit Low/High pairs and reads them back", () => {
    const { drv } = rig();
    drv.negotiate();
    const q = drv.setupQueue(0, 16);
    expect(drv.r(REG.QueueReady)).toBe(1);
    expect(drv.r(REG.QueueNum)).toBe(16);
    expect(BigInt(drv.r(REG.QueueDescLow)) | (BigInt(drv.r(REG.QueueDescHigh)) << 32n)).toBe(q.desc);
    expect(BigInt(drv.r(REG.QueueDriverLow))).toBe(q.avail);
    expect(BigInt(drv.r(REG.QueueDeviceLow))).toBe(q.used);
  });

  it("processes nothing before DRIVER_OK, then what is pending when DRIVER_OK is set", () => {
    const { drv, line } = rig();
    drv.negotiate();
    drv.setupQueue(0, 8);
    drv.submit(0, [{ in: 4 }]);
    expect(drv.usedIdx(0)).toBe(0);
    expect(line.level).toBe(false);
    drv.driverOk();
    expect(drv.takeUsed(0)).toEqual([{ id: 0, len: 4 }]);
    expect(line.level).toBe(true);
  });

  it("raises the line on a used buffer notification and InterruptACK clears it", () => {
    const { drv, line } = rig({ eventIdx: false });
    drv.init(1);
    drv.submit(0, [{ in: 8 }]);
    expect(drv.r(REG.InterruptStatus)).toBe(INT_USED_BUFFER);
    expect(line.level).toBe(true);
    expect(line.rises).toBe(1);
    drv.w(REG.InterruptACK, INT_USED_BUFFER);
    expect(drv.r(REG.InterruptStatus)).toBe(0);
    expect(line.level).toBe(false);
    drv.submit(0, [{ in: 8 }]);
    expect(line.rises).toBe(2);
  });

  it("honours VIRTQ_AVAIL_F_NO_INTERRUPT without EVENT_IDX", () => {
    const { drv, ram, line } = rig({ eventIdx: false });
    drv.init(1);
    ram.setU16(drv.queues[0].avail, 1);
    drv.submit(0, [{ in: 8 }]);
    expect(drv.takeUsed(0)).toHaveLength(1);
    expect(line.level).toBe(false);
  });

  it("with EVENT_IDX: interrupts only when used->idx passes used_event, and publishes avail_event", () => {
    const { drv, ram, line } = rig();
    drv.init(1);
    const q = drv.queues[0];
    const usedEvent = q.avail + 4n + 2n * BigInt(q.size);
    const availEvent = q.used + 4n + 8n * BigInt(q.size);
    ram.setU16(usedEvent, 2); // interrupt when entry 2 (the third) is used
    drv.submit(0, [{ in: 1 }]);
    drv.submit(0, [{ in: 1 }]);
    expect(drv.usedIdx(0)).toBe(2);
    expect(line.level).toBe(false);
    expect(ram.u16(availEvent)).toBe(2);
    drv.submit(0, [{ in: 1 }]);
    expect(line.level).toBe(true);
  });

  it("bumps ConfigGeneration and raises a config change interrupt on a config change", () => {
    const ram = new FakeRam();
    const line = new Line();
    const con = new VirtioConsole({ write() {} }, { size: { cols: 80, rows: 24 } });
    const dev = new VirtioMmio(con, ram, line.fn);
    const drv = new Driver(dev, ram);
    drv.init(2);
    expect(Number(dev.read(REG.Config, 2))).toBe(80);
    con.resize(132, 50);
    expect(drv.r(REG.ConfigGeneration)).toBe(1);
    expect(drv.r(REG.InterruptStatus)).toBe(INT_CONFIG_CHANGE);
    expect(line.level).toBe(true);
    expect(Number(dev.read(REG.Config, 2))).toBe(132);
    expect(Number(dev.read(REG.Config + 2, 2))).toBe(50);
  });

  it("snapshots and restores the transport and queue state", () => {
    const { drv, dev, ram } = rig();
    drv.init(1);
    drv.submit(0, [{ in: 4 }]);
    const state = JSON.parse(JSON.stringify(dev.saveState()));
    const copy = new VirtioMmio(new VirtioRng(counting), ram);
    copy.restoreState(state);
    const drv2 = new Driver(copy, ram);
    drv2.queues[0] = drv.queues[0];
    expect(drv2.status).toBe(drv.status);
    drv2.submit(0, [{ in: 4 }]);
    expect(drv2.takeUsed(0).map((e) => e.len)).toEqual([4, 4]);
    expect(drv2.usedIdx(0)).toBe(2);
  });
});

describe("virtio-mmio queue setup errors", () => {
  const bad: [string, (d: Driver) => void][] = [
    ["a queue size that is not a power of 2", (d) => d.w(REG.QueueNum, 12)],
    ["a queue size above QueueNumMax", (d) => d.w(REG.QueueNum, 128)],
    ["a queue size of 0", (d) => d.w(REG.QueueNum, 0)],
    ["a misaligned descriptor table", (d) => d.w(REG.QueueDescLow, Number(RAM_BASE) + 0x2008)],
    ["a used ring outside RAM", (d) => d.w(REG.QueueDeviceLow, 0x1000)],
    ["a descriptor table beyond the end of RAM", (d) => d.w(REG.QueueDescLow, Number(RAM_BASE) + (1 << 20) - 16)],
  ];
  for (const [what, spoil] of bad) {
    it(`${what} needs a reset`, () => {
      const { drv, dev, line } = rig();
      drv.negotiate();
      drv.w(REG.QueueSel, 0);
      drv.w(REG.QueueNum, 8);
      drv.w(REG.QueueDescLow, Number(RAM_BASE) + 0x2000);
      drv.w(REG.QueueDriverLow, Number(RAM_BASE) + 0x3000);
      drv.w(REG.QueueDeviceLow, Number(RAM_BASE) + 0x4000);
      spoil(drv);
      expect(() => drv.w(REG.QueueReady, 1)).not.toThrow();
      expect(drv.r(REG.QueueReady)).toBe(0);
      expect(drv.status & STATUS.DEVICE_NEEDS_RESET).toBe(STATUS.DEVICE_NEEDS_RESET);
      expect(drv.r(REG.InterruptStatus) & INT_CONFIG_CHANGE).toBe(INT_CONFIG_CHANGE);
      expect(line.level).toBe(true);
      expect(dev.lastError).toBeTruthy();
      drv.w(REG.Status, 0);
      expect(drv.status).toBe(0);
      expect(line.level).toBe(false);
    });
  }
});
