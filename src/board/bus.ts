// The MMIO bus: devices at guest-physical addresses.
import type { MmioDevice } from "../devices/device";

export interface Mapping { base: bigint; device: MmioDevice }

export class Bus {
  private readonly maps: Mapping[] = [];

  map(base: bigint, device: MmioDevice): void {
    const end = base + BigInt(device.size);
    for (const m of this.maps) {
      if (base < m.base + BigInt(m.device.size) && m.base < end) throw new Error(`${device.name} at 0x${base.toString(16)} overlaps ${m.device.name}`);
    }
    this.maps.push({ base, device });
    this.maps.sort((a, b) => (a.base < b.base ? -1 : 1));
  }

  find(addr: bigint): Mapping | undefined {
    for (const m of this.maps) if (addr >= m.base && addr < m.base + BigInt(m.device.size)) return m;
    return undefined;
  }

  get mappings(): readonly Mapping[] { return this.maps; }
}
