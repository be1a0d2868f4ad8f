/*
 * mmu: self-checking guest for the VMSAv8-64 MMU. Boots at EL2 and owns it:
 *   el2.c  EL2 stage 1 in the 4K, 16K and 64K granules, several T0SZ
 *   el1.c  EL1&0 stage 1: TTBR1, permissions (AP, PAN, UXN/PXN), access flag, AT
 *   s2.c   stage 2: MMIO trap syndromes, S1PTW, two VMIDs sharing the TLB, AT
 * Prints one PASS/FAIL line per check and "N passed, M failed"; the exit
 * status is M != 0.
 *
 * Expected values come from the Arm ARM (DDI 0487, D8 and the ESR_ELx / PAR_EL1
 * / HPFAR_EL2 descriptions) and were checked against QEMU 7.2.
 */
#include "mmu.h"

const volatile u64 g_magic = MAGIC;
volatile struct fault f1, f2;
static volatile int exc_budget;

static u8 el1_stack[16384] __attribute__((aligned(16)));

#define SPSR_EL1H_MASKED 0x3c5UL
#define SPSR_EL0T_MASKED 0x3c0UL
#define SPSR_PAN         (1UL << 22)

void fault_reset(void)
{
    volatile struct fault *fs[2] = { &f1, &f2 };
    for (int i = 0; i < 2; i++) {
        fs[i]->n = 0;
        fs[i]->esr = fs[i]->far = fs[i]->elr = fs[i]->hpfar = 0;
        fs[i]->spsr = fs[i]->vec = 0;
    }
    exc_budget = 16;
}

static void __attribute__((noreturn)) fatal(struct frame *f, const char *why)
{
    printf("FATAL %s: EL%lu vector=0x%lx esr=0x%lx elr=0x%lx far=0x%lx\n",
           why, f->el, f->vec, f->esr, f->elr, f->far);
    semihosting_exit(98);
}

/*
 * Called by the vector entries of both ELs. Returns 0 to ERET with the
 * (possibly updated) frame, 1 to abandon the lower-EL call in progress at
 * this EL and return frame->x[0] from mmu_lower_call().
 */
u64 mmu_exc_handler(struct frame *f)
{
    u64 ec = f->esr >> 26;
    int lower = f->vec >= 0x400;

    if ((f->vec & 0x180) != 0 || f->vec < 0x200)
        fatal(f, "unexpected exception");       /* IRQ/FIQ/SError, or from SP_EL0 */
    if (--exc_budget < 0)
        fatal(f, "exception loop");

    /* the end of a lower-EL call: HVC #0 from EL1, SVC #0 from EL0 */
    if (lower && (f->esr & 0xffff) == 0 &&
        ((f->el == 2 && ec == 0x16) || (f->el == 1 && ec == 0x15)))
        return 1;

    volatile struct fault *r = f->el == 2 ? &f2 : &f1;
    r->n++;
    r->esr = f->esr;
    r->far = f->far;
    r->elr = f->elr;
    r->spsr = f->spsr;
    r->vec = f->vec;
    if (f->el == 2)
        r->hpfar = read_sysreg(hpfar_el2);

    if (ec == EC_IABT_LOW || ec == EC_IABT_CUR) {
        /* the instruction cannot be skipped: give up on it */
        f->x[0] = SENT;
        if (lower)
            return 1;
        f->elr = f->x[30];      /* same EL: return to the caller (BLR'd or ERET'd with x30 set) */
        return 0;
    }
    if (lower && ec != EC_DABT_LOW) {
        f->x[0] = SENT;         /* anything else from below: abandon the call */
        return 1;
    }
    f->elr += 4;                /* data abort (or anything unexpected): skip it */
    return 0;
}

/* Run fn(a0, a1, a2) at EL1h (from EL2), PSTATE.PAN = pan. */
u64 el1_call(const void *fn, u64 a0, u64 a1, u64 a2, int pan)
{
    exc_budget = 16;
    return mmu_lower_call((u64)fn, a0, a1, a2, SPSR_EL1H_MASKED | (pan ? SPSR_PAN : 0),
                          (u64)el1_stack + sizeof el1_stack);
}

/* At EL1: run the EL0 code at pc with x0 = a0, x1 = a1 until its `svc #0`. */
u64 el1_to_el0(u64 pc, u64 a0, u64 a1)
{
    return mmu_lower_call(pc, a0, a1, 0, SPSR_EL0T_MASKED, 0);
}

const char *cat(const char *a, const char *b)
{
    static char bufs[4][80];
    static unsigned next;
    char *buf = bufs[next++ & 3];
    unsigned n = 0;
    while (*a && n < sizeof bufs[0] - 1)
        buf[n++] = *a++;
    while (*b && n < sizeof bufs[0] - 1)
        buf[n++] = *b++;
    buf[n] = 0;
    return buf;
}

void check_fault(const char *name, volatile struct fault *f, u64 esr, u64 far, u64 elr)
{
    check2(name, " count", f->n, 1);
    check2(name, " esr", f->esr, esr);
    check2(name, " far", f->far, far);
    if (elr)
        check2(name, " elr", f->elr, elr);
}

/* a fault taken to EL2 from EL1 (stage 2) */
void check_fault2(const char *name, u64 esr, u64 far, u64 hpfar, u64 elr)
{
    check_fault(name, &f2, esr, far, elr);
    check2(name, " hpfar", f2.hpfar, hpfar);
}

int main(void)
{
    unsigned el = current_el();
    printf("mmu guest at EL%u\n", el);
    if (el != 2) {
        check("boot at EL2", el, 2);
        return check_report();
    }
    write_sysreg(vbar_el2, mmu_vectors_el2);
    write_sysreg(vbar_el1, mmu_vectors_el1);
    write_sysreg(hcr_el2, 1UL << 31);           /* RW: EL1 is AArch64 */
    write_sysreg(vttbr_el2, 0);
    isb();
    exc_budget = 16;

    test_el2_stage1();
    test_el1_stage1();
    test_stage2();

    write_sysreg(hcr_el2, 1UL << 31);
    isb();
    return check_report();
}
