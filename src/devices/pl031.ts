// Arm PrimeCell Real Time Clock (PL031), as in the PL031 Technical Reference
// Manual (DDI 0224): a 32-bit counter of seconds (RTCDR), loaded through
// RTCLR, started through RTCCR, and a match register (RTCMR) whose interrupt
// -- a level, RTCRIS & RTCIMSC, cleared through RTCICR -- is raised when the
// running counter reaches it.
//
// The seconds come from the board's clock source, `clock()` (seconds since
// the epoch, fractions ignored): the host's clock, or a deterministic one.
// The counter is the clock plus an offset that RTCLR sets. The device has no
// timer of its own: it notices the counter passing RTCMR whenever it is
// accessed and whenever the board calls poll(); nextMatchIn() tells the board
// how long until then, so it can schedule the poll (or end a WFI).
//
// As QEMU's model, the counter is running from reset (RTCCR reads 1), as a
// battery-backed RTC would be; `running: false` gives the TRM's reset state
// instead, a stopped counter until software sets RTCCR.RTCstart.
import type { MmioDevice, IrqLine } from "./device";

export const PL031_BASE = 0x0901_0000n;

const DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0c, IMSC = 0x10, RIS = 0x14, MIS = 0x18, ICR = 0x1c;
const CR_START = 1;      // RTCCR.RTCstart: once set, writes have no effect until reset
const INT_MATCH = 1;     // the one interrupt: RTCINTR, the match
// PeriphID0..3 (part 0x031, designer 0x41 'A', revision 1) and PCellID0..3 at 0xFE0..0xFFC.
const ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const HALF = 0x8000_0000;

export interface PL031Options {
  // Whether the counter runs from reset (default true, as QEMU).
  running?: boolean;
}

export interface PL031State {
  version: 1;
  running: boolean;
  offset: number;   // counter - clock, mod 2^32, while running
  frozen: number;   // the counter while stopped
  checked: number;  // the counter value up to which matches have been looked for
  mr: number; lr: number; imsc: number; ris: number;
}

export class PL031 implements MmioDevice {
  readonly name = "pl031";
  readonly size = 0x1000;
  private running: boolean;
  private offset = 0;
  private frozen = 0;
  private checked: number;
  private mr = 0;
  private lr = 0;
  private imsc = 0;
  private ris = 0;
  private level = false;

  constructor(private readonly irq: IrqLine, private readonly clock: () => number, options: PL031Options = {}) {
    this.running = options.running ?? true;
    this.checked = this.count();
    this.irq(false);
  }

  // The counter (RTCDR).
  count(): number {
    return this.running ? (this.seconds() + this.offset) >>> 0 : this.frozen;
  }

  // Look for the counter having reached RTCMR since the last look, and drive
  // the interrupt line. The board calls this when nextMatchIn() has elapsed;
  // register accesses do it too.
  poll(): void {
    if (this.running) {
      const now = this.count();
      const stepped = (now - this.checked) >>> 0;
      // A clock that steps backwards (or leaps half the counter's range) re-bases the search.
      if (stepped !== 0 && stepped < HALF) {
        const toMatch = (this.mr - this.checked) >>> 0;
        if (toMatch !== 0 && toMatch <= stepped) this.ris |= INT_MATCH;
      }
      this.checked = now;
    }
    this.update();
  }

  // Seconds of the clock until the counter next reaches RTCMR, or undefined
  // while the counter is stopped.
  nextMatchIn(): number | undefined {
    if (!this.running) return undefined;
    const t = this.clock();
    const ticks = (this.mr - this.count()) >>> 0 || 0x1_0000_0000;
    return ticks - (t - Math.floor(t));
  }

  read(offset: number, _size: number): bigint {
    this.poll();
    switch (offset) {
      case DR: return BigInt(this.count());
      case MR: return BigInt(this.mr);
      case LR: return BigInt(this.lr);
      case CR: return BigInt(this.running ? CR_START : 0);
      case IMSC: return BigInt(this.imsc);
      case RIS: return BigInt(this.ris);
      case MIS: return BigInt(this.ris & this.imsc);
      case ICR: return 0n; // write-only
    }
    if (offset >= 0xfe0 && offset < 0x1000 && !(offset & 3)) return BigInt(ID[(offset - 0xfe0) >> 2]);
    return 0n;
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = Number(value & 0xffff_ffffn);
    this.poll();
    switch (offset) {
      case MR:
        this.mr = v;
        this.matchNow();
        break;
      case LR:
        this.lr = v;
        if (this.running) this.offset = (v - this.seconds()) >>> 0; else this.frozen = v;
        this.checked = v;
        this.matchNow();
        break;
      case CR:
        if (v & CR_START && !this.running) {
          this.offset = (this.frozen - this.seconds()) >>> 0;
          this.running = true;
          this.checked = this.frozen;
          this.matchNow();
        }
        break;
      case IMSC: this.imsc = v & INT_MATCH; break;
      case ICR: this.ris &= ~v; break;
      default: return; // RTCDR, RTCRIS, RTCMIS and the IDs are read-only
    }
    this.update();
  }

  saveState(): PL031State {
    return { version: 1, running: this.running, offset: this.offset, frozen: this.frozen, checked: this.checked,
      mr: this.mr, lr: this.lr, imsc: this.imsc, ris: this.ris };
  }

  // The counter resumes as the clock plus the saved offset: with the same
  // clock (or a deterministic one restored to its saved time) it carries on.
  restoreState(state: unknown): void {
    const s = state as PL031State;
    if (!s || s.version !== 1) throw new Error("PL031: snapshot is not of this device");
    this.running = !!s.running;
    this.offset = s.offset >>> 0; this.frozen = s.frozen >>> 0; this.checked = s.checked >>> 0;
    this.mr = s.mr >>> 0; this.lr = s.lr >>> 0; this.imsc = s.imsc & INT_MATCH; this.ris = s.ris & INT_MATCH;
    this.level = !this.level; // force the line to be driven
    this.poll();
  }

  private seconds(): number { return Math.floor(this.clock()); }

  // A running counter already at the new match value matches at once (as QEMU).
  private matchNow(): void {
    if (this.running && this.count() === this.mr) this.ris |= INT_MATCH;
  }

  private update(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.level) {
      this.level = level;
      this.irq(level);
    }
  }
}
