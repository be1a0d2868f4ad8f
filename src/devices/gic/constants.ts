// Constants the GICv3 model's files share (no imports, so no import cycles).

export const SPURIOUS = 1023;
export const GROUP0 = 0; // signalled as FIQ
export const GROUP1 = 1; // Non-secure Group 1 with GICD_CTLR.DS = 1: signalled as IRQ

// Priority bits implemented (ICC_CTLR_EL1.PRIbits + 1), as QEMU: 32 levels.
// IPRIORITYR and ICC_PMR_EL1 keep only these bits.
export const PRI_BITS = 5;
export const PRIO_MASK = (0xff << (8 - PRI_BITS)) & 0xff; // 0xF8

// GICR_CTLR.DPG0 / DPG1NS / DPG1S: the PE takes no part in 1-of-N selection.
export const GICR_CTLR_DPG0 = 1 << 24;
export const GICR_CTLR_DPG1NS = 1 << 25;
export const GICR_CTLR_DPG1S = 1 << 26;

// The virtual CPU interface's maintenance interrupt: a PPI of its CPU, INTID
// 25 as the GICv3 specification recommends and QEMU's virt board wires it (PPI 9).
export const MAINTENANCE_INTID = 25;
