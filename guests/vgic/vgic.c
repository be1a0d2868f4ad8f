/*
 * vgic guest (EL2): a small hypervisor's use of the GICv3 virtual CPU
 * interface, checked against the GICv3 architecture (IHI 0069). Run under
 * QEMU with -M virt,virtualization=on,gic-version=3 -cpu cortex-a57.
 *
 * EL2 brings up the physical GIC (the maintenance interrupt, PPI 9 = INTID
 * 25, enabled as Group 1), writes list register 0 -- vINTID 42, Pending,
 * Group 1, priority 0xA0, maintenance interrupt on EOI -- and sets
 * HCR_EL2.IMO/FMO. EL1 then sees the virtual interrupt through the ICC_*
 * encodings (which reach ICV_*): HPPIR1, WFI completing with it pending and
 * masked, the IRQ taken once unmasked, IAR1 making it Active (running
 * priority 0xA0), EOIR1 making it Invalid. The EOI raises the maintenance
 * interrupt, a physical IRQ taken to EL2 at once (IMO), where ICH_MISR_EL2
 * and ICH_EISR_EL2 name the list register and clearing it ends the
 * interrupt. Last, HCR_EL2.VI alone: a virtual IRQ that no list register
 * stands for (ICV_IAR1 reads 1023).
 */
#include "gicv3.h"

#define HCR_RW   (1UL << 31)
#define HCR_VI   (1UL << 7)
#define HCR_IMO  (1UL << 4)
#define HCR_FMO  (1UL << 3)

#define ICH_HCR_EN      1UL
#define MISR_EOI        1UL

#define MAINT_INTID     25
#define VINTID          42

void run_at_el1(void (*fn)(void));
extern char el2_vectors[];

/* What EL1 and the handlers saw (EL1 and EL2 share the flat memory map). */
static volatile u64 el1_hppir, el1_iar, el1_rpr, el1_irqs, el1_wfi_done, el1_rpr_after;
static volatile u64 el2_maint_id, el2_misr, el2_eisr, el2_maint_irqs;
static volatile u64 el1_vi_iar, el1_vi_irqs;

static void gic_init(void)
{
    gicv3_init_el2();
    gicv3_enable_ppi(MAINT_INTID, 0x80);
    gicv3_cpu_enable();
}

/* EL2's handler of the maintenance interrupt (a physical IRQ from EL1). */
void el2_irq(void)
{
    u64 id = read_sysreg(S3_0_C12_C12_0);        /* ICC_IAR1_EL1: physical at EL2 */
    el2_maint_id = id;
    el2_misr = read_sysreg(S3_4_C12_C11_2);      /* ICH_MISR_EL2 */
    el2_eisr = read_sysreg(S3_4_C12_C11_3);      /* ICH_EISR_EL2 */
    write_sysreg(S3_4_C12_C12_0, 0UL);           /* ICH_LR0_EL2: hand the list register back */
    isb();
    write_sysreg(S3_0_C12_C12_1, id);            /* ICC_EOIR1_EL1 */
    el2_maint_irqs++;
}

static volatile int el1_mode; /* 1: the list-register test, 2: HCR_EL2.VI */

/* EL1's IRQ handler: ICC_* here reach ICV_* (HCR_EL2.IMO). */
void el1_irq(void)
{
    u64 id = read_sysreg(S3_0_C12_C12_0);        /* ICV_IAR1_EL1 */
    if (el1_mode == 1) {
        el1_iar = id;
        el1_rpr = read_sysreg(S3_0_C12_C11_3);   /* ICV_RPR_EL1 */
        write_sysreg(S3_0_C12_C12_1, id);        /* ICV_EOIR1_EL1: the maintenance IRQ follows at EL2 */
        isb();
        el1_rpr_after = read_sysreg(S3_0_C12_C11_3);
        el1_irqs++;
    } else {
        /* HCR_EL2.VI stays set until EL2 clears it: return with IRQs masked. */
        el1_vi_iar = id;
        el1_vi_irqs++;
        write_sysreg(spsr_el1, read_sysreg(spsr_el1) | 0x80);
    }
}

static void el1_list_register_test(void)
{
    el1_mode = 1;
    el1_hppir = read_sysreg(S3_0_C12_C12_2);     /* ICV_HPPIR1_EL1 */
    __asm__ volatile("wfi" ::: "memory");          /* a virtual IRQ is pending (masked): WFI completes */
    el1_wfi_done = 1;
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    for (int i = 0; i < 1000 && !el1_irqs; i++)
        __asm__ volatile("nop");
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

static void el1_vi_test(void)
{
    el1_mode = 2;
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    for (int i = 0; i < 1000 && !el1_vi_irqs; i++)
        __asm__ volatile("nop");
}

int main(void)
{
    printf("vgic guest at EL%u\n", current_el());
    if (current_el() != 2) {
        printf("needs EL2\n");
        return 1;
    }
    write_sysreg(vbar_el2, el2_vectors);
    isb();
    gic_init();

    u64 vtr = read_sysreg(S3_4_C12_C11_1);       /* ICH_VTR_EL2 */
    check("ICH_VTR_EL2.ListRegs >= 3", (vtr & 0x1f) >= 3, 1);
    check("ICH_VTR_EL2.PRIbits >= 4", ((vtr >> 29) & 7) >= 4, 1);

    write_sysreg(S3_4_C12_C11_7, (0xf8UL << 24) | 2);  /* ICH_VMCR_EL2: VPMR 0xF8, VENG1 */
    write_sysreg(S3_4_C12_C11_0, ICH_HCR_EN);          /* ICH_HCR_EL2 */
    write_sysreg(S3_4_C12_C12_0, LR_PENDING | LR_GROUP1 | LR_EOI | LR_PRIO(0xa0) | VINTID);
    check("ICH_ELRSR_EL2 with LR0 in use", read_sysreg(S3_4_C12_C11_5) & 1, 0);
    write_sysreg(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO);
    isb();
    run_at_el1(el1_list_register_test);

    check("EL1 ICV_HPPIR1_EL1", el1_hppir, VINTID);
    check("EL1 WFI completes with a masked virtual IRQ pending", el1_wfi_done, 1);
    check("EL1 virtual IRQs taken", el1_irqs, 1);
    check("EL1 ICV_IAR1_EL1", el1_iar, VINTID);
    check("EL1 ICV_RPR_EL1 while active", el1_rpr, 0xa0);
    check("EL1 ICV_RPR_EL1 after EOI", el1_rpr_after, 0xff);
    check("EL2 maintenance interrupts", el2_maint_irqs, 1);
    check("EL2 ICC_IAR1_EL1 = the maintenance INTID", el2_maint_id, MAINT_INTID);
    check("EL2 ICH_MISR_EL2.EOI", el2_misr & MISR_EOI, MISR_EOI);
    check("EL2 ICH_EISR_EL2", el2_eisr, 1);
    check("ICH_LR0_EL2 after", read_sysreg(S3_4_C12_C12_0), 0);
    check("ICH_ELRSR_EL2 bit 0 after", read_sysreg(S3_4_C12_C11_5) & 1, 1);
    check("ICH_MISR_EL2 after", read_sysreg(S3_4_C12_C11_2), 0);
    check("maintenance INTID no longer pending", (gic_rd32(GICR_SGI + GICR_ISPENDR0) >> MAINT_INTID) & 1, 0);

    write_sysreg(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO | HCR_VI);
    isb();
    run_at_el1(el1_vi_test);
    write_sysreg(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO);
    isb();
    check("HCR_EL2.VI: virtual IRQs taken at EL1", el1_vi_irqs, 1);
    check("HCR_EL2.VI: ICV_IAR1_EL1 (no list register)", el1_vi_iar, 1023);

    write_sysreg(hcr_el2, HCR_RW);
    isb();
    return check_report();
}
