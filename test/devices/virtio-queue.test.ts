// Split virtqueues (Virtio 1.2 section 2.7): chains with NEXT, WRITE and
// INDIRECT, and every way a guest can break them. A broken ring puts the
// device in DEVICE_NEEDS_RESET with a configuration change interrupt; the
// host never throws.
import { describe, it, expect } from "vitest";
import { VirtioMmio, REG, STATUS, INT_CONFIG_CHANGE, VIRTIO_F_INDIRECT_DESC } from "../../src/devices/virtio/mmio";
import { VirtioConsole } from "../../src/devices/virtio/console";
import { SplitQueue, VirtqueueError, guestMemoryFromRam } from "../../src/devices/virtio/virtqueue";
import { FakeRam, Driver, Line, NEXT, WRITE, INDIRECT, RAM_BASE } from "./virtio-driver";

// A console: transmitq (1) reads chains, receiveq (0) writes them.
function rig(want?: (o: bigint) => bigint) {
  const ram = new FakeRam();
  const line = new Line();
  const out: number[] = [];
  const con = new VirtioConsole({ write: (b) => out.push(...b) });
  const dev = new VirtioMmio(con, ram, line.fn);
  const drv = new Driver(dev, ram);
  drv.init(2, want);
  return { ram, line, out, con, dev, drv };
}

const text = (s: string) => new TextEncoder().encode(s);
const TX = 1, RX = 0;

function expectNeedsReset(r: ReturnType<typeof rig>, act: () => void): void {
  expect(act).not.toThrow();
  expect(r.drv.status & STATUS.DEVICE_NEEDS_RESET).toBe(STATUS.DEVICE_NEEDS_RESET);
  expect(r.drv.r(REG.InterruptStatus) & INT_CONFIG_CHANGE).toBe(INT_CONFIG_CHANGE);
  expect(r.line.level).toBe(true);
  expect(r.dev.lastError).toBeTruthy();
}

describe("virtqueue chains", () => {
  it("gathers a multi-descriptor chain in order", () => {
    const r = rig();
    r.drv.submit(TX, [{ out: text("abc") }, { out: text("") }, { out: text("defg") }]);
    expect(String.fromCharCode(...r.out)).toBe("abcdefg");
    expect(r.drv.takeUsed(TX)).toEqual([{ id: 0, len: 0 }]);
  });

  it("follows an indirect table", () => {
    const r = rig();
    r.drv.submit(TX, [{ out: text("in") }, { out: text("direct") }], { indirect: true });
    expect(String.fromCharCode(...r.out)).toBe("indirect");
    expect(r.drv.status & STATUS.DEVICE_NEEDS_RESET).toBe(0);
  });

  it("scatters into writable descriptors and reports the bytes written", () => {
    const r = rig();
    const { addrs } = r.drv.submit(RX, [{ in: 2 }, { in: 8 }]);
    r.con.pushInput(text("hello"));
    expect(r.drv.takeUsed(RX)).toEqual([{ id: 0, len: 5 }]);
    expect(String.fromCharCode(...r.ram.getBytes(addrs[0], 2), ...r.ram.getBytes(addrs[1], 3))).toBe("hello");
  });

  it("wraps the rings past the queue size and the 16-bit indices", () => {
    const r = rig();
    const q = r.drv.queues[TX];
    for (let i = 0; i < 3 * q.size; i++) {
      r.drv.submit(TX, [{ out: Uint8Array.of(0x41 + (i % 26)) }]);
      r.drv.takeUsed(TX);
    }
    expect(r.out).toHaveLength(3 * q.size);
    expect(r.drv.status & STATUS.DEVICE_NEEDS_RESET).toBe(0);
  });

  it("handles several chains made available before one notification", () => {
    const r = rig();
    for (const s of ["one ", "two ", "three"]) r.drv.submit(TX, [{ out: text(s) }], { notify: false });
    expect(r.out).toHaveLength(0);
    r.drv.notify(TX);
    expect(String.fromCharCode(...r.out)).toBe("one two three");
    expect(r.drv.takeUsed(TX).map((e) => e.id)).toEqual([0, 1, 2]);
  });
});

describe("malformed virtqueues need a reset", () => {
  it("a descriptor loop", () => {
    const r = rig();
    const q = r.drv.queues[TX];
    const a = r.drv.alloc(4);
    r.drv.writeDesc(q.desc, 0, a, 4, NEXT, 1);
    r.drv.writeDesc(q.desc, 1, a, 4, NEXT, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
    expect(r.dev.lastError).toMatch(/loop/);
    expect(r.drv.usedIdx(TX)).toBe(0);
  });

  it("a self-referencing descriptor in an indirect table", () => {
    const r = rig();
    const q = r.drv.queues[TX];
    const table = r.drv.alloc(32);
    const a = r.drv.alloc(4);
    r.drv.writeDesc(table, 0, a, 4, NEXT, 1);
    r.drv.writeDesc(table, 1, a, 4, NEXT, 1);
    r.drv.writeDesc(q.desc, 0, table, 32, INDIRECT, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("a buffer outside RAM (device-readable)", () => {
    const r = rig();
    r.drv.writeDesc(r.drv.queues[TX].desc, 0, 0x1000n, 16, 0, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
    expect(r.out).toHaveLength(0);
  });

  it("a buffer running off the end of RAM (device-writable)", () => {
    const r = rig();
    r.drv.writeDesc(r.drv.queues[RX].desc, 0, RAM_BASE + BigInt(r.ram.size) - 2n, 16, WRITE, 0);
    r.drv.makeAvailable(RX, 0);
    r.drv.notify(RX);
    expectNeedsReset(r, () => r.con.pushInput(text("0123456789")));
  });

  it("a buffer whose address wraps around 2^64", () => {
    const r = rig();
    r.drv.writeDesc(r.drv.queues[TX].desc, 0, 0xffff_ffff_ffff_fff0n, 0x100, 0, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  for (const len of [0, 24, 8]) {
    it(`an indirect table of length ${len}`, () => {
      const r = rig();
      const table = r.drv.alloc(32);
      r.drv.writeDesc(table, 0, r.drv.alloc(4), 4, 0, 0);
      r.drv.writeDesc(r.drv.queues[TX].desc, 0, table, len, INDIRECT, 0);
      r.drv.makeAvailable(TX, 0);
      expectNeedsReset(r, () => r.drv.notify(TX));
      expect(r.dev.lastError).toMatch(/indirect table length/);
    });
  }

  it("an indirect table outside RAM", () => {
    const r = rig();
    r.drv.writeDesc(r.drv.queues[TX].desc, 0, 0x2000n, 32, INDIRECT, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("an indirect descriptor inside an indirect table", () => {
    const r = rig();
    const inner = r.drv.alloc(16), outer = r.drv.alloc(16);
    r.drv.writeDesc(inner, 0, r.drv.alloc(4), 4, 0, 0);
    r.drv.writeDesc(outer, 0, inner, 16, INDIRECT, 0);
    r.drv.writeDesc(r.drv.queues[TX].desc, 0, outer, 16, INDIRECT, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("an indirect descriptor when INDIRECT_DESC was not negotiated", () => {
    const r = rig((o) => o & ~VIRTIO_F_INDIRECT_DESC);
    r.drv.submit(TX, [{ out: text("x") }], { indirect: true, notify: false });
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("a device-readable descriptor after a device-writable one", () => {
    const r = rig();
    r.drv.submit(TX, [{ in: 4 }, { out: text("late") }], { notify: false });
    expectNeedsReset(r, () => r.drv.notify(TX));
    expect(r.out).toHaveLength(0);
  });

  it("the same, inside an indirect table", () => {
    const r = rig();
    r.drv.submit(TX, [{ out: text("ok") }, { in: 4 }, { out: text("late") }], { indirect: true, notify: false });
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("a chain head beyond the queue size", () => {
    const r = rig();
    r.drv.makeAvailable(TX, r.drv.queues[TX].size);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("a next index beyond the queue size", () => {
    const r = rig();
    const q = r.drv.queues[TX];
    r.drv.writeDesc(q.desc, 0, r.drv.alloc(4), 4, NEXT, q.size + 5);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("a next index beyond an indirect table", () => {
    const r = rig();
    const table = r.drv.alloc(32);
    r.drv.writeDesc(table, 0, r.drv.alloc(4), 4, NEXT, 2);
    r.drv.writeDesc(table, 1, r.drv.alloc(4), 4, 0, 0);
    r.drv.writeDesc(r.drv.queues[TX].desc, 0, table, 32, INDIRECT, 0);
    r.drv.makeAvailable(TX, 0);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("avail->idx moved by more than the queue size", () => {
    const r = rig();
    r.ram.setU16(r.drv.queues[TX].avail + 2n, r.drv.queues[TX].size + 1);
    expectNeedsReset(r, () => r.drv.notify(TX));
  });

  it("stops processing until the driver resets, then works again", () => {
    const r = rig();
    r.drv.makeAvailable(TX, 999);
    r.drv.notify(TX);
    expect(r.dev.needsReset).toBe(true);
    r.drv.submit(TX, [{ out: text("ignored") }]);
    expect(r.out).toHaveLength(0);
    r.drv.w(REG.Status, r.drv.status & ~STATUS.DEVICE_NEEDS_RESET); // the driver cannot clear it
    expect(r.dev.needsReset).toBe(true);
    r.drv.w(REG.Status, 0);
    expect(r.line.level).toBe(false);
    r.drv.queues.length = 0;
    r.drv.init(2);
    r.drv.submit(TX, [{ out: text("ok") }]);
    expect(String.fromCharCode(...r.out)).toBe("ok");
  });

  it("a queue error outside a notification (host input) is contained too", () => {
    const r = rig();
    r.drv.makeAvailable(RX, 4242);
    expectNeedsReset(r, () => r.con.pushInput(text("x")));
  });
});

describe("SplitQueue directly", () => {
  it("throws only VirtqueueError for guest faults", () => {
    const ram = new FakeRam();
    const q = new SplitQueue(ram, { size: 4, desc: RAM_BASE, driver: RAM_BASE + 0x100n, device: RAM_BASE + 0x200n }, false, true);
    ram.setU16(RAM_BASE + 0x102n, 1);
    ram.setU16(RAM_BASE + 0x104n, 7);
    expect(() => q.pop()).toThrow(VirtqueueError);
  });

  it("adapts a core's RAM accessors to a GuestMemory", () => {
    const ram = new FakeRam(4096);
    const core = {
      ramOffset: (pa: bigint, len: number) => (pa >= RAM_BASE && pa + BigInt(len) <= RAM_BASE + 4096n ? Number(pa - RAM_BASE) : -1),
      readRam: (pa: bigint, len: number) => ram.read(pa, len)!,
      writeRam: (pa: bigint, data: Uint8Array) => { ram.write(pa, data); },
    };
    const mem = guestMemoryFromRam(core);
    expect(mem.write(RAM_BASE + 10n, Uint8Array.of(1, 2))).toBe(true);
    expect(Array.from(mem.read(RAM_BASE + 10n, 2)!)).toEqual([1, 2]);
    expect(mem.read(RAM_BASE + 4095n, 2)).toBeUndefined();
    expect(mem.write(0n, Uint8Array.of(1))).toBe(false);
  });
});
