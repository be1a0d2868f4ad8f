// The one small interface every device implements: a board is a list of
// devices at addresses. Devices know nothing of the CPU.
export interface MmioDevice {
  readonly name: string;
  readonly size: number;                 // bytes of MMIO space
  read(offset: number, size: number): bigint;
  write(offset: number, size: number, value: bigint): void;
  saveState?(): unknown;
  restoreState?(state: unknown): void;
}

// An output interrupt line (wired to an interrupt controller by the board).
export type IrqLine = (asserted: boolean) => void;

// Where a console device sends its bytes (stdout in Node, a terminal in a page).
export interface ConsoleSink {
  write(bytes: Uint8Array): void;
}
