// What an unused virtio-mmio transport presents: DeviceID 0 ("no device"),
// as QEMU's virt board shows the transports nothing is plugged into. The
// driver sees it and moves on.
import type { VirtioDevice } from "./mmio";

export function emptyVirtioDevice(): VirtioDevice {
  return {
    name: "virtio-none", deviceId: 0, features: 0n, queueSizes: [],
    attach: () => {}, readConfig: () => new Uint8Array(0), notify: () => {}, reset: () => {},
  };
}
