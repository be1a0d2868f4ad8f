// The minimal board for bare-metal guests: RAM at 0x4000_0000 and a PL011 at
// 0x0900_0000, where QEMU's virt board has them.
import { Bus } from "./bus";
import { PL011 } from "../devices/pl011";
import type { ConsoleSink } from "../devices/device";

export const RAM_BASE = 0x4000_0000n;
export const UART_BASE = 0x0900_0000n;

export interface MinimalBoard { bus: Bus; uart: PL011 }

export function minimalBoard(console: ConsoleSink): MinimalBoard {
  const bus = new Bus();
  const uart = new PL011(console);
  bus.map(UART_BASE, uart);
  return { bus, uart };
}
