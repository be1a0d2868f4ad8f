// PL031 RTC (DDI 0224) against a deterministic clock: the counter, RTCLR,
// RTCCR, the match interrupt, the IDs Linux's AMBA bus matches, and what
// Linux's rtc-pl031 driver does with it.
import { describe, it, expect } from "vitest";
import { PL031 } from "../../src/devices/pl031";

const DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0c, IMSC = 0x10, RIS = 0x14, MIS = 0x18, ICR = 0x1c;
const T0 = 1_700_000_000; // 2023-11-14

class Rig {
  t = T0;
  readonly levels: boolean[] = [];
  readonly rtc: PL031;
  constructor(opts?: { running?: boolean }) {
    this.rtc = new PL031((l) => this.levels.push(l), () => this.t, opts);
  }
  r(off: number): number { return Number(this.rtc.read(off, 4)); }
  w(off: number, v: number): void { this.rtc.write(off, 4, BigInt(v)); }
  // RTCDR after `seconds` more of the clock.
  dr(seconds = 0): number { this.t += seconds; return this.r(DR); }
  // Load the counter, set the match value and unmask the interrupt.
  arm(count: number, match: number): void { this.w(LR, count); this.w(MR, match); this.w(IMSC, 1); }
  get line(): boolean { return this.levels.length ? this.levels[this.levels.length - 1] : false; }
}

describe("PL031", () => {
  it("identifies as an Arm PL031 (AMBA id 0x00041031, PrimeCell 0xb105f00d)", () => {
    const t = new Rig();
    const ids = [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => t.r(o));
    expect(ids).toEqual([0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    // drivers/amba/bus.c assembles the ids a byte a register.
    const periph = ids.slice(0, 4).reduce((a, b, i) => a | (b << (8 * i)), 0);
    const cell = ids.slice(4).reduce((a, b, i) => (a | (b << (8 * i))) >>> 0, 0);
    expect(periph & 0x000fffff).toBe(0x00041031);
    expect(cell).toBe(0xb105f00d);
    expect(t.rtc.size).toBe(0x1000);
  });

  it("counts the clock's seconds, fractions ignored, and loads through RTCLR", () => {
    const t = new Rig();
    expect(t.r(CR)).toBe(1);          // running from reset, as QEMU
    expect(t.r(DR)).toBe(T0);
    expect(t.dr(2.75)).toBe(T0 + 2);
    t.w(LR, 1000);
    expect(t.r(LR)).toBe(1000);
    expect(t.r(DR)).toBe(1000);
    expect(t.dr(0.5)).toBe(1001);     // T0 + 3.25: a second boundary crossed
    expect(t.dr(60)).toBe(1061);
    // The counter wraps at 2^32.
    t.w(LR, 0xffff_ffff);
    expect(t.dr(1)).toBe(0);
    // Writes to RTCDR and to RTCCR (bit 0 clear) change nothing.
    t.w(DR, 5);
    t.w(CR, 0);
    expect(t.r(DR)).toBe(0);
    expect(t.r(CR)).toBe(1);
  });

  it("stays stopped until RTCCR.RTCstart when built stopped (the TRM's reset state)", () => {
    const t = new Rig({ running: false });
    expect(t.r(CR)).toBe(0);
    expect(t.r(DR)).toBe(0);
    expect(t.dr(10)).toBe(0);
    t.w(LR, 500);
    expect(t.dr(10)).toBe(500);
    expect(t.rtc.nextMatchIn()).toBeUndefined();
    t.w(CR, 1);
    expect(t.r(CR)).toBe(1);
    expect(t.r(DR)).toBe(500);
    expect(t.dr(3)).toBe(503);
  });

  it("raises the match interrupt when the counter reaches RTCMR, as a level until RTCICR", () => {
    const t = new Rig();
    t.arm(100, 105);
    expect(t.rtc.nextMatchIn()).toBe(5);
    t.t += 4.5;
    expect(t.rtc.nextMatchIn()).toBe(0.5);
    t.rtc.poll();
    expect(t.r(RIS)).toBe(0);
    expect(t.line).toBe(false);
    t.t += 0.5;                        // 105
    t.rtc.poll();
    expect(t.line).toBe(true);
    expect(t.r(RIS)).toBe(1);
    expect(t.r(MIS)).toBe(1);
    t.t += 10;                         // the level holds
    t.rtc.poll();
    expect(t.line).toBe(true);
    t.w(ICR, 1);
    expect(t.line).toBe(false);
    expect(t.r(RIS)).toBe(0);
    // No second match until the counter comes round again.
    expect(t.rtc.nextMatchIn()).toBe(2 ** 32 - 10);
    expect(t.levels).toEqual([false, true, false]);
  });

  it("notices a match the clock jumped over (a long WFI, a coarse poll)", () => {
    const t = new Rig();
    t.w(LR, 0);
    t.w(MR, 30);
    t.t += 3600;
    expect(t.r(RIS)).toBe(1);          // any access looks
    expect(t.r(MIS)).toBe(0);          // masked
    expect(t.line).toBe(false);
    t.w(IMSC, 1);
    expect(t.line).toBe(true);
    t.w(IMSC, 0);
    expect(t.line).toBe(false);
    // A clock stepping backwards does not match spuriously.
    t.w(ICR, 1);
    t.w(MR, 0);
    t.t -= 7200;
    expect(t.r(RIS)).toBe(0);
  });

  it("matches at once when RTCMR or RTCLR is set to the current count (as QEMU)", () => {
    const t = new Rig();
    t.w(IMSC, 1);
    t.w(MR, t.r(DR));
    expect(t.line).toBe(true);
    t.w(ICR, 1);
    t.w(MR, 42);
    expect(t.line).toBe(false);
    t.w(LR, 42);
    expect(t.line).toBe(true);
  });

  it("serves Linux's rtc-pl031: probe, read/set time, set an alarm, take the interrupt", () => {
    const t = new Rig();
    // pl031_probe: start the counter if needed.
    const cr = t.r(CR);
    if (!(cr & 1)) t.w(CR, cr | 1);
    // pl031_read_time / pl031_set_time
    expect(t.r(DR)).toBe(T0);
    t.w(LR, T0 + 86400);
    expect(t.r(DR)).toBe(T0 + 86400);
    // pl031_set_alarm: RTCMR, then pl031_alarm_irq_enable(1): clear, read-modify-write IMSC.
    t.w(MR, T0 + 86400 + 2);
    t.w(ICR, 1);
    t.w(IMSC, t.r(IMSC) | 1);
    // pl031_read_alarm
    expect(t.r(MR)).toBe(T0 + 86402);
    expect(t.r(RIS) & 1).toBe(0);
    expect(t.r(IMSC) & 1).toBe(1);
    t.t += 2;
    t.rtc.poll();
    expect(t.line).toBe(true);
    // pl031_interrupt: MIS, then write it to ICR.
    const mis = t.r(MIS);
    expect(mis).toBe(1);
    t.w(ICR, mis);
    expect(t.line).toBe(false);
    // alarm_irq_enable(0)
    t.w(ICR, 1);
    t.w(IMSC, t.r(IMSC) & ~1);
    expect(t.r(IMSC)).toBe(0);
  });

  it("saves and restores its state (JSON-safe): the counter carries on with the clock", () => {
    const a = new Rig();
    a.arm(5000, 5010);
    a.t += 3;
    const snap = JSON.parse(JSON.stringify(a.rtc.saveState()));
    const b = new Rig();
    b.t = a.t;
    b.rtc.restoreState(snap);
    expect(b.r(DR)).toBe(5003);
    expect(b.r(MR)).toBe(5010);
    expect(b.r(LR)).toBe(5000);
    b.t += 7;
    b.rtc.poll();
    expect(b.line).toBe(true);
    expect(() => b.rtc.restoreState({ version: 9 })).toThrow();
  });
});
