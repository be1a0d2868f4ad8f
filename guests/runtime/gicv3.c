/* armvisor guest runtime: GICv3 bring-up from EL2 (see gicv3.h). */
#include "gicv3.h"

void gicv3_init_el2(void)
{
    write_gicreg(ICC_SRE_EL2, 0xfUL);             /* SRE, DFB, DIB, Enable */
    isb();
    write_gicreg(ICC_SRE_EL1, 0x7UL);
    isb();
    gic_wr32(GICD + GICD_CTLR, (1 << 4) | (1 << 1) | 1);  /* ARE, EnableGrp1, EnableGrp0 */
    while (gic_rd32(GICD + GICD_CTLR) & (1U << 31))       /* RWP */
        ;
    gic_wr32(GICR + GICR_WAKER, gic_rd32(GICR + GICR_WAKER) & ~2U);   /* ProcessorSleep = 0 */
    while (gic_rd32(GICR + GICR_WAKER) & 4)                           /* ChildrenAsleep */
        ;
    gic_wr32(GICR_SGI + GICR_IGROUPR0, 0xffffffff);
}

void gicv3_enable_ppi(unsigned intid, u8 priority)
{
    gic_wr8(GICR_SGI + GICR_IPRIORITYR + intid, priority);
    gic_wr32(GICR_SGI + GICR_ISENABLER0, 1U << intid);
}

void gicv3_cpu_enable(void)
{
    write_gicreg(ICC_PMR_EL1, 0xffUL);
    write_gicreg(ICC_IGRPEN1_EL1, 1UL);
    isb();
}
