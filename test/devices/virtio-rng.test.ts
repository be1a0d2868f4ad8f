// virtio-rng (Virtio 1.2 section 5.4): writable buffers filled from a RandomSource.
import { describe, it, expect } from "vitest";
import { VirtioMmio, REG, VIRTIO_ID_RNG, STATUS } from "../../src/devices/virtio/mmio";
import { VirtioRng, cryptoRandom } from "../../src/devices/virtio/rng";
import { FakeRam, Driver, Line } from "./virtio-driver";

function rig(source = cryptoRandom, maxRequest?: number) {
  const ram = new FakeRam();
  const line = new Line();
  const dev = new VirtioMmio(new VirtioRng(source, { maxRequest }), ram, line.fn);
  const drv = new Driver(dev, ram);
  drv.init(1);
  return { ram, line, dev, drv };
}

describe("virtio-rng", () => {
  it("is device 4 with one queue and no config space", () => {
    const r = rig();
    expect(r.drv.r(REG.DeviceID)).toBe(VIRTIO_ID_RNG);
    expect(r.dev.read(REG.Config, 4)).toBe(0n);
  });

  it("fills a chain of writable buffers from the source and reports the length", () => {
    let n = 0;
    const r = rig({ fill: (b) => { for (let i = 0; i < b.length; i++) b[i] = (n++ * 13 + 1) & 0xff; } });
    const { head, addrs } = r.drv.submit(0, [{ in: 10 }, { in: 6 }]);
    expect(r.drv.takeUsed(0)).toEqual([{ id: head, len: 16 }]);
    const got = [...r.ram.getBytes(addrs[0], 10), ...r.ram.getBytes(addrs[1], 6)];
    expect(got).toEqual(Array.from({ length: 16 }, (_, i) => (i * 13 + 1) & 0xff));
    expect(r.line.level).toBe(true);
  });

  it("uses crypto.getRandomValues by default, also for more than 64 KiB", () => {
    const r = rig(cryptoRandom, 200000);
    const { addrs } = r.drv.submit(0, [{ in: 100000 }]);
    expect(r.drv.takeUsed(0)).toEqual([{ id: 0, len: 100000 }]);
    const b = r.ram.getBytes(addrs[0], 100000);
    expect(b.filter((x) => x === 0).length).toBeLessThan(1000); // ~390 expected
    expect(new Set(b.slice(65536 - 64, 65536 + 64)).size).toBeGreaterThan(50);
  });

  it("caps a request at maxRequest bytes", () => {
    const r = rig(cryptoRandom, 32);
    r.drv.submit(0, [{ in: 100 }]);
    expect(r.drv.takeUsed(0)).toEqual([{ id: 0, len: 32 }]);
  });

  it("a device-readable buffer after a writable one needs a reset", () => {
    const r = rig();
    expect(() => r.drv.submit(0, [{ in: 8 }, { out: new Uint8Array(4) }])).not.toThrow();
    expect(r.drv.status & STATUS.DEVICE_NEEDS_RESET).toBe(STATUS.DEVICE_NEEDS_RESET);
    expect(r.drv.usedIdx(0)).toBe(0);
  });
});
