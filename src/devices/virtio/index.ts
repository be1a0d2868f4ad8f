// Virtio devices over the MMIO transport (version 2).
export * from "./virtqueue";
export * from "./mmio";
export * from "./blk";
export * from "./console";
export * from "./rng";
export * from "./empty";
