/*
 * armvisor guest runtime: the one place that powers the machine off.
 *
 *  exit(0) below EL3 -> PSCI SYSTEM_OFF (0x84000008): HVC #0 at EL1, SMC #0 at EL2
 *                       (QEMU -M virt uses the HVC conduit, -M virt,virtualization=on
 *                       the SMC conduit).
 *  otherwise         -> Arm semihosting SYS_EXIT (HLT #0xF000, w0 = 0x18,
 *                       x1 -> {ADP_Stopped_ApplicationExit, code}); QEMU needs
 *                       -semihosting for this.
 *  and if either returns, wait forever.
 */
#include "rt.h"

#define PSCI_SYSTEM_OFF               0x84000008UL
#define SEMIHOSTING_SYS_EXIT          0x18UL
#define ADP_STOPPED_APPLICATION_EXIT  0x20026UL

static void psci_system_off(unsigned el)
{
    register u64 x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    if (el == 1)
        __asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    else if (el == 2)
        __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

void semihosting_exit(u64 code)
{
    static volatile u64 block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = code;
    register u64 x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
    register u64 x1 __asm__("x1") = (u64)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    for (;;)
        __asm__ volatile("wfi");
}

void exit(int code)
{
    unsigned el = current_el();
    if (code == 0 && (el == 1 || el == 2))
        psci_system_off(el);
    semihosting_exit((u64)(s64)code);
}

void rt_unexpected_exception(u64 vector_offset)
{
    static volatile int depth;
    u64 esr, elr, far, spsr;
    /* a fault while reporting one (e.g. HLT without semihosting): just stop */
    if (depth++)
        for (;;)
            __asm__ volatile("wfi");
    unsigned el = current_el();
    switch (el) {
    case 3:
        esr = read_sysreg(esr_el3); elr = read_sysreg(elr_el3);
        far = read_sysreg(far_el3); spsr = read_sysreg(spsr_el3);
        break;
    case 2:
        esr = read_sysreg(esr_el2); elr = read_sysreg(elr_el2);
        far = read_sysreg(far_el2); spsr = read_sysreg(spsr_el2);
        break;
    default:
        esr = read_sysreg(esr_el1); elr = read_sysreg(elr_el1);
        far = read_sysreg(far_el1); spsr = read_sysreg(spsr_el1);
        break;
    }
    printf("UNEXPECTED EXCEPTION at EL%u vector=0x%lx esr=0x%lx elr=0x%lx far=0x%lx spsr=0x%lx\n",
           el, vector_offset, esr, elr, far, spsr);
    semihosting_exit(99);
}
