// Behaviour the GICv2 and GICv3 models share (their common state machine,
// src/devices/gic/core.ts and cpu-core.ts), written once against a small
// harness each test file adapts its rig to. Both are brought up the way
// Linux does it (every SPI level-sensitive, priority 0xa0, targeting CPU 0,
// PMR 0xf0, the interrupts' group enabled) before a scenario runs.
import { expect, it } from "vitest";

// Distributor offsets common to both versions (IHI 0048 4.3, IHI 0069 12.9).
export const GICD_CTLR = 0x0, GICD_TYPER = 0x4, GICD_IIDR = 0x8, GICD_IGROUPR = 0x80, GICD_ISENABLER = 0x100,
  GICD_ICENABLER = 0x180, GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300, GICD_ICACTIVER = 0x380,
  GICD_IPRIORITYR = 0x400, GICD_ICFGR = 0xc00;
export const DEF_PRI = 0xa0;
export const SPURIOUS = 1023;

export interface GicHarness {
  spi(intid: number, level: boolean): void;
  dread(off: number): number;            // a Distributor word (SPI registers)
  dw(off: number, v: number): void;
  enable(intid: number): void;
  setEdge(intid: number): void;
  setPrio(intid: number, prio: number): void;
  iar(cpu: number): number;              // acknowledge, as Linux (INTID bits only)
  eoi(cpu: number, intid: number): void;
  dir(cpu: number, intid: number): void;
  setEoiMode(cpu: number, on: boolean): void;
  setPmr(cpu: number, v: number): void;
  rpr(cpu: number): number;
  hppir(cpu: number): number;
  irq(cpu: number): boolean;
}

// PMR masks (not strictly higher); a higher priority preempts, an equal
// one waits; EOIs unwind the running priority in reverse order.
export function pmrAndPreemption(t: GicHarness): void {
  for (const i of [40, 41, 42]) { t.setEdge(i); t.enable(i); }
  t.setPrio(40, 0xa0);
  t.setPrio(41, 0x80);
  t.setPrio(42, 0xa0);
  t.setPmr(0, 0xa0);
  t.spi(40, true);
  expect(t.irq(0)).toBe(false);
  expect(t.iar(0)).toBe(SPURIOUS);
  expect(t.hppir(0)).toBe(40);            // HPPIR ignores the mask
  t.setPmr(0, 0xf0);
  expect(t.irq(0)).toBe(true);
  expect(t.iar(0)).toBe(40);
  expect(t.irq(0)).toBe(false);
  t.spi(42, true);                     // same priority: no preemption
  expect(t.irq(0)).toBe(false);
  expect(t.iar(0)).toBe(SPURIOUS);
  t.spi(41, true);                     // higher: preempts
  expect(t.irq(0)).toBe(true);
  expect(t.iar(0)).toBe(41);
  expect(t.rpr(0)).toBe(0x80);
  expect(t.irq(0)).toBe(false);
  t.eoi(0, 41);
  expect(t.rpr(0)).toBe(0xa0);
  expect(t.irq(0)).toBe(false);           // 42 is still at the running priority
  t.eoi(0, 40);
  expect(t.rpr(0)).toBe(0xff);
  expect(t.irq(0)).toBe(true);            // now 42
  expect(t.iar(0)).toBe(42);
  t.eoi(0, 42);
  expect(t.irq(0)).toBe(false);
  expect(t.dread(GICD_ISACTIVER + 4)).toBe(0);
}

// Level-sensitive interrupts follow their line (and stay pending while
// active); ISPENDR latches, ICPENDR clears only the latch; an edge latches.
export function levelAndEdge(t: GicHarness): void {
  t.enable(33);                           // level (Linux's default ICFGR)
  t.spi(33, true);
  expect(t.irq(0)).toBe(true);
  t.spi(33, false);
  expect(t.irq(0)).toBe(false);           // pending follows the line
  t.spi(33, true);
  expect(t.iar(0)).toBe(33);
  expect(t.dread(GICD_ISPENDR + 4)).toBe(2);  // active and pending: the line is still high
  expect(t.irq(0)).toBe(false);           // not re-signalled while active
  t.eoi(0, 33);
  expect(t.irq(0)).toBe(true);            // still high: signalled again
  expect(t.iar(0)).toBe(33);
  t.spi(33, false);                    // the device is serviced
  t.eoi(0, 33);
  expect(t.irq(0)).toBe(false);
  t.spi(33, true);
  t.dw(GICD_ICPENDR + 4, 2);              // cannot clear a high level
  expect(t.dread(GICD_ISPENDR + 4)).toBe(2);
  t.spi(33, false);
  t.dw(GICD_ISPENDR + 4, 2);
  expect(t.irq(0)).toBe(true);
  t.dw(GICD_ICPENDR + 4, 2);
  expect(t.irq(0)).toBe(false);

  t.setEdge(48);
  t.enable(48);
  t.spi(48, true);
  t.spi(48, false);
  expect(t.irq(0)).toBe(true);
  expect(t.iar(0)).toBe(48);
  expect(t.dread(GICD_ISPENDR + 4)).toBe(0);
  t.spi(48, true);                     // a second edge while active: pending, not signalled
  expect(t.dread(GICD_ISPENDR + 4)).toBe(1 << 16);
  expect(t.irq(0)).toBe(false);
  t.eoi(0, 48);
  expect(t.irq(0)).toBe(true);
  expect(t.iar(0)).toBe(48);
  t.eoi(0, 48);
  expect(t.irq(0)).toBe(false);           // the line stayed high: no new edge
}

// EOImode = 1: EOI drops the priority, DIR deactivates; with EOImode = 0,
// DIR does nothing and EOI does both.
export function eoiModeSplit(t: GicHarness): void {
  t.setEoiMode(0, true);
  t.setEdge(50);
  t.enable(50);
  t.spi(50, true);
  expect(t.iar(0)).toBe(50);
  t.eoi(0, 50);
  expect(t.rpr(0)).toBe(0xff);                    // priority dropped
  expect(t.dread(GICD_ISACTIVER + 4)).toBe(1 << 18);  // still active
  t.spi(50, false);
  t.spi(50, true);
  expect(t.irq(0)).toBe(false);                   // pending and active: not signalled
  t.dir(0, 50);
  expect(t.dread(GICD_ISACTIVER + 4)).toBe(0);
  expect(t.irq(0)).toBe(true);
  t.setEoiMode(0, false);
  expect(t.iar(0)).toBe(50);
  t.dir(0, 50);
  expect(t.dread(GICD_ISACTIVER + 4)).toBe(1 << 18);
  t.eoi(0, 50);
  expect(t.dread(GICD_ISACTIVER + 4)).toBe(0);
}

// An active interrupt is not signalled again until deactivated, whether
// made active by an acknowledge or through ISACTIVER.
export function activeHoldsBack(t: GicHarness): void {
  t.enable(34);
  t.dw(GICD_ISACTIVER + 4, 1 << 2);
  t.spi(34, true);
  expect(t.irq(0)).toBe(false);
  t.dw(GICD_ICACTIVER + 4, 1 << 2);
  expect(t.irq(0)).toBe(true);
}

// Register every scenario as a test, each on a fresh one-CPU GIC that
// `bringUp` returns after Linux's bring-up.
export function sharedScenarios(bringUp: () => GicHarness): void {
  for (const [name, scenario] of [
    ["masks by PMR and preempts with a higher priority: nested IARs, EOIs in reverse order", pmrAndPreemption],
    ["follows the line for level-sensitive interrupts and latches edges", levelAndEdge],
    ["splits priority drop and deactivation with EOImode = 1 (DIR)", eoiModeSplit],
    ["does not re-signal an active interrupt until it is deactivated (ISACTIVER/ICACTIVER too)", activeHoldsBack],
  ] as const) {
    it(name, () => scenario(bringUp()));
  }
}
