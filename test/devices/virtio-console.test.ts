// virtio-console (Virtio 1.2 section 5.3), one port: transmitq output to a
// ConsoleSink, pushInput into receiveq buffers, emergency write.
import { describe, it, expect } from "vitest";
import { VirtioMmio, REG, INT_USED_BUFFER, VIRTIO_ID_CONSOLE } from "../../src/devices/virtio/mmio";
import { VirtioConsole, VIRTIO_CONSOLE_F_EMERG_WRITE, VIRTIO_CONSOLE_F_SIZE, VIRTIO_CONSOLE_F_MULTIPORT } from "../../src/devices/virtio/console";
import { FakeRam, Driver, Line } from "./virtio-driver";

const RX = 0, TX = 1;
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | number[]) => String.fromCharCode(...b);

function rig(init = true) {
  const ram = new FakeRam();
  const line = new Line();
  const out: number[] = [];
  const con = new VirtioConsole({ write: (b) => out.push(...b) }, { maxPendingInput: 16 });
  const dev = new VirtioMmio(con, ram, line.fn);
  const drv = new Driver(dev, ram);
  if (init) drv.init(2);
  return { ram, line, out, con, dev, drv };
}

describe("virtio-console", () => {
  it("is device 3 with two queues, EMERG_WRITE and no MULTIPORT", () => {
    const r = rig();
    expect(r.drv.r(REG.DeviceID)).toBe(VIRTIO_ID_CONSOLE);
    const f = r.drv.deviceFeatures();
    expect(f & VIRTIO_CONSOLE_F_EMERG_WRITE).toBe(VIRTIO_CONSOLE_F_EMERG_WRITE);
    expect(f & (VIRTIO_CONSOLE_F_MULTIPORT | VIRTIO_CONSOLE_F_SIZE)).toBe(0n);
  });

  it("sends transmitq buffers to the sink and returns them", () => {
    const r = rig();
    r.drv.submit(TX, [{ out: text("hello, ") }, { out: text("world\n") }]);
    expect(str(r.out)).toBe("hello, world\n");
    expect(r.drv.takeUsed(TX)).toEqual([{ id: 0, len: 0 }]);
    expect(r.drv.r(REG.InterruptStatus)).toBe(INT_USED_BUFFER);
    expect(r.line.level).toBe(true);
  });

  it("delivers input into receiveq buffers, holding what does not fit", () => {
    const r = rig();
    const a = r.drv.submit(RX, [{ in: 4 }]);
    r.drv.w(REG.InterruptACK, INT_USED_BUFFER);
    r.con.pushInput(text("abcdefgh"));
    expect(r.drv.takeUsed(RX)).toEqual([{ id: a.head, len: 4 }]);
    expect(str(r.ram.getBytes(a.addrs[0], 4))).toBe("abcd");
    expect(r.line.level).toBe(true);
    expect(r.con.pendingInput).toBe(4);
    const b = r.drv.submit(RX, [{ in: 64 }]);
    expect(r.drv.takeUsed(RX)).toEqual([{ id: b.head, len: 4 }]);
    expect(str(r.ram.getBytes(b.addrs[0], 4))).toBe("efgh");
    expect(r.con.pendingInput).toBe(0);
  });

  it("holds input typed before the driver is ready and delivers it at DRIVER_OK", () => {
    const r = rig(false);
    r.con.pushInput(text("early"));
    r.drv.negotiate();
    r.drv.setupQueue(RX);
    r.drv.setupQueue(TX);
    const a = r.drv.chain(RX, [{ in: 16 }]);
    r.drv.makeAvailable(RX, a.head);
    r.drv.driverOk();
    expect(r.drv.takeUsed(RX)).toEqual([{ id: a.head, len: 5 }]);
    expect(str(r.ram.getBytes(a.addrs[0], 5))).toBe("early");
  });

  it("sends at most maxOutput bytes of a chain that names the same RAM many times", () => {
    const ram = new FakeRam();
    let written = 0;
    const con = new VirtioConsole({ write: (b) => { written += b.length; } });
    const drv = new Driver(new VirtioMmio(con, ram), ram);
    drv.init(2);
    const q = drv.queues[TX];
    for (let i = 0; i < q.size; i++) drv.writeDesc(q.desc, i, ram.base, ram.size, i + 1 < q.size ? 1 : 0, i + 1); // 128 MiB claimed
    drv.makeAvailable(TX, 0);
    drv.notify(TX);
    expect(written).toBe(1 << 20);
    expect(drv.takeUsed(TX)).toEqual([{ id: 0, len: 0 }]);
  });

  it("drops input beyond maxPendingInput", () => {
    const r = rig();
    r.con.pushInput(new Uint8Array(40).fill(0x61));
    expect(r.con.pendingInput).toBe(16);
  });

  it("writes emerg_wr to the sink once EMERG_WRITE is negotiated", () => {
    const r = rig();
    r.dev.write(REG.Config + 8, 4, 0x21n);
    expect(str(r.out)).toBe("!");
  });

  it("reports and updates the terminal size with F_SIZE", () => {
    const ram = new FakeRam();
    const con = new VirtioConsole({ write() {} }, { size: { cols: 100, rows: 40 } });
    const dev = new VirtioMmio(con, ram);
    expect(new Driver(dev, ram).deviceFeatures() & VIRTIO_CONSOLE_F_SIZE).toBe(VIRTIO_CONSOLE_F_SIZE);
    expect(dev.read(REG.Config, 4)).toBe((40n << 16n) | 100n);
    expect(dev.read(REG.Config + 4, 4)).toBe(1n); // max_nr_ports
  });
});
