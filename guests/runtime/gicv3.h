/*
 * armvisor guest runtime: bringing up the GICv3 of QEMU's virt board for PE 0
 * from EL2 (IHI 0069): the system-register interface, the Distributor (affinity
 * routing, both groups), PE 0's Redistributor awake, every SGI and PPI in
 * Group 1, and the physical CPU interface open (priority mask 0xFF, Group 1
 * enabled). gicv3.c.
 */
#ifndef ARMVISOR_GICV3_H
#define ARMVISOR_GICV3_H
#include "rt.h"

#define GICD            0x08000000UL
#define GICR            0x080A0000UL    /* PE 0's RD_base */
#define GICR_SGI        (GICR + 0x10000)
#define GICD_CTLR       0x0000
#define GICR_WAKER      0x0014
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0   0x0200
#define GICR_IPRIORITYR 0x0400

/* The GICv3 CPU interface and virtual interface registers, by encoding
 * (-march=armv8-a has no names for them); read and written through these
 * two macros, which expand the name before rt.h's stringify it. */
#define read_gicreg(r)      read_sysreg(r)
#define write_gicreg(r, v)  write_sysreg(r, v)
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_HPPIR1_EL1  S3_0_C12_C12_2
#define ICC_RPR_EL1     S3_0_C12_C11_3
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2     S3_4_C12_C9_5
#define ICH_AP1R0_EL2   S3_4_C12_C9_0
#define ICH_HCR_EL2     S3_4_C12_C11_0
#define ICH_VTR_EL2     S3_4_C12_C11_1
#define ICH_MISR_EL2    S3_4_C12_C11_2
#define ICH_EISR_EL2    S3_4_C12_C11_3
#define ICH_ELRSR_EL2   S3_4_C12_C11_5
#define ICH_VMCR_EL2    S3_4_C12_C11_7
#define ICH_LR0_EL2     S3_4_C12_C12_0

/* ICH_LR<n>_EL2 */
#define LR_STATE_SHIFT  62
#define LR_PENDING      (1UL << 62)
#define LR_ACTIVE       (2UL << 62)
#define LR_GROUP1       (1UL << 60)
#define LR_EOI          (1UL << 41)
#define LR_PRIO(p)      ((u64)(p) << 48)

static inline u32 gic_rd32(u64 a) { return *(volatile u32 *)a; }
static inline void gic_wr32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline void gic_wr8(u64 a, u8 v) { *(volatile u8 *)a = v; }

/* Everything above but the CPU interface's mask and group enable. */
void gicv3_init_el2(void);
/* PPI or SGI `intid` of PE 0: priority, then enabled. */
void gicv3_enable_ppi(unsigned intid, u8 priority);
/* ICC_PMR_EL1 = 0xFF, ICC_IGRPEN1_EL1 = 1. */
void gicv3_cpu_enable(void);

#endif
