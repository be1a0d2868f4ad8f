// An MMIO exit answered by the device at that address (a stage-2 data abort
// outside RAM, emulated): reads complete with the device's value, writes
// after the device took them; no device there gives the guest a
// synchronous external abort, as a bus error would.
import type { Bus } from "../board/bus";
import type { Vcpu } from "./vcpu";
import type { VcpuExit } from "./exit";

export function dispatchMmio(bus: Bus, vcpu: Vcpu, x: Extract<VcpuExit, { kind: "mmio" }>): void {
  const m = bus.find(x.addr);
  if (!m) { vcpu.abortMmio(); return; }
  const offset = Number(x.addr - m.base);
  if (x.isWrite) {
    m.device.write(offset, x.size, BigInt.asUintN(x.size * 8, x.data));
    vcpu.completeMmioWrite();
  } else {
    vcpu.completeMmioRead(BigInt.asUintN(x.size * 8, m.device.read(offset, x.size)));
  }
}
