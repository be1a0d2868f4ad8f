/*
 * type1 guest: the program both guests run at EL1, one copy of its code
 * shared read-only (link.ld puts this file's code and read-only data in the
 * .guest section; it must call nothing outside it and have no writable
 * data). Everything it writes is in its own RAM: the state block the
 * hypervisor passes in x0 (and TPIDR_EL1), and the stack above it.
 *
 * It prints through a PL011 that is not there (the hypervisor emulates its
 * data register from the stage 2 aborts), enables the GICv3 virtual CPU
 * interface (its ICC_* accesses reach ICV_*: HCR_EL2.IMO), arms its virtual
 * timer, then prints numbered lines: after each, it is busy for a while (the
 * hypervisor's timer preempts it) and then waits in WFI for its next timer
 * tick (the WFI traps, and the hypervisor runs the other guest). Last, it
 * tries to read the other guest's RAM and to write its own code; both
 * fault at stage 2 and the hypervisor turns them into data aborts here.
 */
#include "type1.h"
#include "gicv3.h"

/* The word the guest tries to overwrite (struct guest_state.probe_code). */
const u64 guest_canary = 0x7970653143414e59UL;

/* Printing: the runtime's uart.c is not in the guests' IPA space. */
static inline void gputc(char c)
{
    *(volatile u8 *)GUEST_UART_IPA = (u8)c;     /* STRB to an IPA without memory: trapped */
}

static void gputs(const char *s)
{
    while (*s)
        gputc(*s++);
}

static void gputdec(u64 v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        gputc(buf[--n]);
}

static u64 probe_load(u64 addr)
{
    u64 v = SENTINEL;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
    return v;
}

static void probe_store(u64 addr, u64 v)
{
    __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static void arm_timer(struct guest_state *g)
{
    write_sysreg(cntv_tval_el0, g->period);
    write_sysreg(cntv_ctl_el0, 1UL);            /* ENABLE, IMASK clear */
    isb();
}

/* From guest_asm.S's vectors: the synchronous exception of the current EL
 * (an abort the hypervisor injected) and the virtual IRQ. */
void guest_exception(struct frame *f)
{
    struct guest_state *g = (struct guest_state *)read_sysreg(tpidr_el1);
    if (f->vec == 0x200) {
        if (g->aborts < 2) {
            g->abort_esr[g->aborts] = f->esr;
            g->abort_far[g->aborts] = f->far;
        }
        g->aborts++;
        f->elr += 4;                            /* skip the access */
    } else if (f->vec == 0x280) {
        u64 intid = read_gicreg(ICC_IAR1_EL1);  /* ICV_IAR1_EL1 */
        if (intid == INTID_VTIMER) {
            g->ticks++;
            arm_timer(g);                       /* also clears the IMASK the hypervisor set */
        } else if (intid != 1023) {
            g->irq_other++;
        }
        if (intid != 1023)
            write_gicreg(ICC_EOIR1_EL1, intid); /* ICV_EOIR1_EL1 */
    } else {
        register u64 x0 __asm__("x0") = f->vec;
        __asm__ volatile("hvc %1" : "+r"(x0) : "i"(HVC_UNEXPECTED) : "memory");
    }
}

void guest_main(struct guest_state *g)
{
    extern char guest_vectors[];
    write_sysreg(vbar_el1, guest_vectors);
    write_gicreg(ICC_PMR_EL1, 0xffUL);          /* ICV_PMR_EL1 */
    write_gicreg(ICC_IGRPEN1_EL1, 1UL);         /* ICV_IGRPEN1_EL1 */
    isb();
    gputs("start\n");
    arm_timer(g);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    for (u64 n = 1; n <= g->lines; n++) {
        gputs("line ");
        gputdec(n);
        gputc('\n');
        g->lines_done = n;
        /* busy: only the hypervisor's timer takes the CPU away */
        u64 t0 = read_sysreg(cntvct_el0);
        while (read_sysreg(cntvct_el0) - t0 < g->work)
            ;
        /* idle until the next tick: each WFI traps, and the other guest runs */
        u64 seen = *(volatile u64 *)&g->ticks;
        while (*(volatile u64 *)&g->ticks == seen)
            __asm__ volatile("wfi" ::: "memory");
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
    write_sysreg(cntv_ctl_el0, 0UL);
    isb();
    g->probe_value = probe_load(g->probe_other);
    probe_store(g->probe_code, 0);
    gputs("done\n");
}
