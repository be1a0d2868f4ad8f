// Arm PrimeCell UART (PL011), as in the PL011 Technical Reference Manual
// (DDI 0183): data, flag, control and interrupt registers with 32-entry FIFOs.
import type { MmioDevice, IrqLine, ConsoleSink } from "./device";

const DR = 0x00, RSR = 0x04, FR = 0x18, ILPR = 0x20, IBRD = 0x24, FBRD = 0x28, LCR_H = 0x2c, CR = 0x30,
  IFLS = 0x34, IMSC = 0x38, RIS = 0x3c, MIS = 0x40, ICR = 0x44, DMACR = 0x48;
const FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;
const INT_RX = 1 << 4, INT_TX = 1 << 5, INT_RT = 1 << 6;
const FIFO_DEPTH = 32;
// PeriphID0..3 and PCellID0..3 at 0xFE0..0xFFC.
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class PL011 implements MmioDevice {
  readonly name = "pl011";
  readonly size = 0x1000;
  private rx: number[] = [];
  private txPending: number[] = [];
  private cr = 0x300; // TXE | RXE
  private lcr = 0;
  private ibrd = 0;
  private fbrd = 0;
  private ifls = 0x12;
  private imsc = 0;
  private ris = INT_TX;
  private dmacr = 0;
  private ilpr = 0;

  constructor(private readonly sink: ConsoleSink, private readonly irq: IrqLine = () => {}) {}

  // Bytes typed at the console.
  pushInput(bytes: Uint8Array): void {
    for (const b of bytes) if (this.rx.length < FIFO_DEPTH) this.rx.push(b);
    if (this.rx.length) this.ris |= INT_RX | INT_RT;
    this.update();
  }

  // Free entries in the receive FIFO (the board holds further input until there is room).
  get rxRoom(): number { return FIFO_DEPTH - this.rx.length; }

  // A driver listens: UART and receiver enabled with a receive interrupt
  // unmasked. Before that a driver starting up drains the FIFO (Linux's
  // pl011_startup does), and typed-ahead input would be lost.
  get rxListening(): boolean { return (this.cr & 0x201) === 0x201 && (this.imsc & (INT_RX | INT_RT)) !== 0; }

  // Transmitted bytes reach the sink at once: the guest wrote them, nothing is held back.
  flush(): void {
    if (this.txPending.length) { this.sink.write(Uint8Array.from(this.txPending)); this.txPending = []; }
  }

  read(offset: number, _size: number): bigint {
    switch (offset) {
      case DR: {
        const b = this.rx.length ? this.rx.shift()! : 0;
        if (!this.rx.length) this.ris &= ~(INT_RX | INT_RT);
        this.update();
        return BigInt(b);
      }
      case RSR: return 0n;
      case FR: return BigInt((this.rx.length ? 0 : FR_RXFE) | (this.rx.length >= FIFO_DEPTH ? FR_RXFF : 0) | FR_TXFE);
      case ILPR: return BigInt(this.ilpr);
      case IBRD: return BigInt(this.ibrd);
      case FBRD: return BigInt(this.fbrd);
      case LCR_H: return BigInt(this.lcr);
      case CR: return BigInt(this.cr);
      case IFLS: return BigInt(this.ifls);
      case IMSC: return BigInt(this.imsc);
      case RIS: return BigInt(this.ris);
      case MIS: return BigInt(this.ris & this.imsc);
      case DMACR: return BigInt(this.dmacr);
    }
    if (offset >= 0xfe0 && offset < 0x1000) return BigInt(ID[(offset - 0xfe0) >> 2]);
    return 0n;
  }

  write(offset: number, _size: number, value: bigint): void {
    const v = Number(value & 0xffffffffn);
    switch (offset) {
      case DR:
        this.txPending.push(v & 0xff);
        if (v === 10 || this.txPending.length >= 256) this.flush();
        this.ris |= INT_TX; // the transmit FIFO drains at once
        this.update();
        return;
      case RSR: return;
      case ILPR: this.ilpr = v & 0xff; return;
      case IBRD: this.ibrd = v & 0xffff; return;
      case FBRD: this.fbrd = v & 0x3f; return;
      case LCR_H: this.lcr = v & 0xff; return;
      case CR: this.cr = v & 0xffff; return;
      case IFLS: this.ifls = v & 0x3f; return;
      case IMSC: this.imsc = v & 0x7ff; this.update(); return;
      case ICR: this.ris &= ~v; this.update(); return;
      case DMACR: this.dmacr = v & 7; return;
    }
  }

  private update(): void { this.irq((this.ris & this.imsc) !== 0); }

  saveState(): unknown {
    return { rx: [...this.rx], cr: this.cr, lcr: this.lcr, ibrd: this.ibrd, fbrd: this.fbrd, ifls: this.ifls, imsc: this.imsc, ris: this.ris };
  }
}
