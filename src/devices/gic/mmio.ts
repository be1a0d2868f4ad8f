// Byte lanes for the GIC register frames (IHI 0069 12.1.3, IHI 0048 4.1.4):
// every GICD/GICR register is a 32-bit word or a pair of them (GICv3's
// IROUTER<n>, GICR_TYPER), so each frame decodes 32-bit words and this splits
// an access of 1, 2, 4 or 8 bytes into words and byte-lane masks. The
// architecture permits bytes only for IPRIORITYR, ITARGETSR and the SGI
// pending registers and doublewords only for the 64-bit registers; other
// sizes are UNPREDICTABLE, and this model gives them the natural byte-lane
// meaning rather than faulting.
// Unaligned accesses (which the core faults on Device memory) are RAZ/WI.

export interface WordFrame {
  readWord(offset: number): number;                            // offset 4-byte aligned; uint32
  writeWord(offset: number, value: number, mask: number): void; // only the bits in mask are written
}

export function frameRead(frame: WordFrame, offset: number, size: number): bigint {
  if (offset & (size - 1)) return 0n;
  if (size === 8) return BigInt(frame.readWord(offset) >>> 0) | (BigInt(frame.readWord(offset + 4) >>> 0) << 32n);
  const shift = (offset & 3) * 8;
  const word = frame.readWord(offset & ~3) >>> 0;
  return BigInt(size === 4 ? word : (word >>> shift) & laneMask(size));
}

export function frameWrite(frame: WordFrame, offset: number, size: number, value: bigint): void {
  if (offset & (size - 1)) return;
  if (size === 8) {
    frame.writeWord(offset, Number(value & 0xffff_ffffn), 0xffff_ffff);
    frame.writeWord(offset + 4, Number((value >> 32n) & 0xffff_ffffn), 0xffff_ffff);
    return;
  }
  const shift = (offset & 3) * 8;
  const mask = (laneMask(size) << shift) >>> 0;
  frame.writeWord(offset & ~3, ((Number(value & 0xffff_ffffn) << shift) & mask) >>> 0, mask);
}

function laneMask(size: number): number {
  return size >= 4 ? 0xffff_ffff : (1 << (size * 8)) - 1;
}

// The identification registers PIDR4..7, PIDR0..3, CIDR0..3: twelve words
// from `base`, each holding one byte of `ids`.
export function peripheralId(offset: number, base: number, ids: readonly number[]): number | undefined {
  if (offset < base || offset >= base + 0x30 || offset & 3) return undefined;
  return ids[(offset - base) >> 2];
}

// The GICv3 frames' identification registers at 0xFFD0..0xFFFC, as QEMU's
// GICv3 (ArchRev 3 in PIDR2[7:4]); PIDR0 is 0x92 for the Distributor, 0x93
// for a Redistributor.
export function idRegister(offset: number, pidr0: number): number | undefined {
  return peripheralId(offset, 0xffd0, [0x44, 0x00, 0x00, 0x00, pidr0, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
}

// GICD_IIDR / GICR_IIDR: implementer 0x43B (Arm), as QEMU.
export const GIC_IIDR = 0x0000_043b;
