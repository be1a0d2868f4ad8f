/*
 * exceptions: exception entry/return across EL3 -> EL2 -> EL1 -> EL0 and back.
 *
 * Boots at EL3 (QEMU: -M virt,secure=on,virtualization=on). Installs a vector
 * table at every EL (vectors.S) whose handler records ESR/ELR/SPSR/FAR, the
 * vector offset and the handling EL, then:
 *   EL3: SVC/SMC taken to EL3, HVC UNDEFINED when SCR_EL3.HCE=0, BRK,
 *        undefined instruction, PC alignment, SVC from EL3t (offset 0x000),
 *        ERET restoring NZCV from SPSR; with -DEXC_STRICT also SP alignment
 *        (EL3t -> offset 0x000) and HVC taken to EL3, which QEMU 7.2 lacks;
 *   EL2: SVC, HVC, BRK at EL2; illegal exception return (ERET to EL3);
 *   EL1: SVC, SMC trapped by HCR_EL2.TSC, HVC -> EL2, SMC -> EL3, EL1t (SP0
 *        vector group), illegal return to EL2, UDF, BRK, WFE (no trap);
 *   EL0: MRS CurrentEL (UNDEFINED), SVC, BRK, WFE;
 * then climbs back: SVC EL0->EL1, HVC EL1->EL2, SMC EL2->EL3, and reports
 * "N passed, M failed" at EL3, exiting through semihosting with (M != 0).
 * All expected values are the architected ones (Arm ARM D1, ESR_ELx encodings).
 */
#include "rt.h"

struct exc_frame {
    u64 x[31];
    u64 elr, spsr, esr, far, off, el, daif, pad[2];
};
_Static_assert(sizeof(struct exc_frame) == 320, "frame layout shared with vectors.S");

extern char vectors_el3[], vectors_el2[], vectors_el1[];
void eret_to(u64 target, u64 spsr) __attribute__((noreturn));

volatile u64 g_entry_nzcv;                 /* written by el_entry_stub (vectors.S) */
static volatile u64 g_expect, g_resume, g_count, g_climb_target, g_spsr_nzcv;
static void (*volatile g_action)(struct exc_frame *);
static volatile struct { u64 elr, spsr, esr, far, off, el, daif; } g_last;

#define STACK_SIZE 16384
static u8 el2_stack[STACK_SIZE] __attribute__((aligned(16)));
static u8 el1_stack[STACK_SIZE] __attribute__((aligned(16)));
static u8 el0_stack[STACK_SIZE] __attribute__((aligned(16)));
static u8 sp0_stack[4096] __attribute__((aligned(16)));

/* ESR_ELx: EC in [31:26], IL [25], ISS [24:0] */
#define ESR_IL          (1UL << 25)
#define ESR_EC(ec)      ((u64)(ec) << 26)
#define ESR_UNKNOWN     (ESR_EC(0x00) | ESR_IL)          /* EC 0x00: IL is RES1, ISS 0 */
#define ESR_ILLEGAL     (ESR_EC(0x0e) | ESR_IL)
#define ESR_SVC(imm)    (ESR_EC(0x15) | ESR_IL | (imm))
#define ESR_HVC(imm)    (ESR_EC(0x16) | ESR_IL | (imm))
#define ESR_SMC(imm)    (ESR_EC(0x17) | ESR_IL | (imm))
#define ESR_PC_ALIGN    (ESR_EC(0x22) | ESR_IL)
#define ESR_SP_ALIGN    (ESR_EC(0x26) | ESR_IL)
#define ESR_BRK(imm)    (ESR_EC(0x3c) | ESR_IL | (imm))

/* SPSR / PSTATE */
#define PSR_N  (1UL << 31)
#define PSR_Z  (1UL << 30)
#define PSR_C  (1UL << 29)
#define PSR_V  (1UL << 28)
#define PSR_IL (1UL << 20)
#define PSR_D  (1UL << 9)
#define PSR_A  (1UL << 8)
#define PSR_I  (1UL << 7)
#define PSR_F  (1UL << 6)
#define DAIF_ALL (PSR_D | PSR_A | PSR_I | PSR_F)          /* 0x3c0 */
#define M_EL0t 0x0
#define M_EL1t 0x4
#define M_EL1h 0x5
#define M_EL2h 0x9
#define M_EL3t 0xc
#define M_EL3h 0xd
/* fields compared in saved SPSRs: NZCV, SS, IL, DAIF, M[4:0] */
#define SPSR_MASK (0xf0000000UL | (1UL << 21) | PSR_IL | DAIF_ALL | 0x1f)

/* SCR_EL3 */
#define SCR_NS   (1UL << 0)
#define SCR_RES1 (3UL << 4)
#define SCR_HCE  (1UL << 8)
#define SCR_RW   (1UL << 10)
#define SCR_VALUE (SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW)
/* HCR_EL2 */
#define HCR_TSC  (1UL << 19)
#define HCR_RW   (1UL << 31)
/* SCTLR_ELx: RES1 bits of ARMv8.0 (29,28,23,22,18,16,11,5,4) + SA (3); MMU and caches off.
 * For SCTLR_EL1 bits 4 (SA0), 16 (nTWI) and 18 (nTWE) are real fields: set. */
#define SCTLR_VALUE 0x30c50838UL

/* ------------------------------------------------------------------ handler */
void exc_handler(struct exc_frame *f);
void exc_handler(struct exc_frame *f)
{
    static volatile int fatal;
    if (fatal)      /* faulted while reporting a failure (e.g. no semihosting) */
        for (;;)
            __asm__ volatile("wfi");
    if (((f->spsr >> 2) & 3) > f->el) {
        /* cannot happen architecturally: taken from a higher EL */
        printf("FAIL exception taken from EL%lu to lower EL%lu esr=0x%lx elr=0x%lx\n",
               (f->spsr >> 2) & 3, f->el, f->esr, f->elr);
        fatal = 1;
        check_report();
        semihosting_exit(97);
    }
    if (!g_expect) {
        printf("UNEXPECTED exception at EL%lu vector=0x%lx esr=0x%lx elr=0x%lx far=0x%lx spsr=0x%lx\n",
               f->el, f->off, f->esr, f->elr, f->far, f->spsr);
        fatal = 1;
        semihosting_exit(98);
    }
    g_expect = 0;
    g_last.elr = f->elr;
    g_last.spsr = f->spsr;
    g_last.esr = f->esr;
    g_last.far = f->far;
    g_last.off = f->off;
    g_last.el = f->el;
    g_last.daif = f->daif;
    g_count++;
    /* Illegal Execution State: return with PSTATE.IL clear or we fault again */
    if (((f->esr >> 26) & 0x3f) == 0x0e)
        f->spsr &= ~PSR_IL;
    if (g_resume) {
        f->elr = g_resume;
        g_resume = 0;
    }
    if (g_action) {
        void (*a)(struct exc_frame *) = g_action;
        g_action = 0;
        a(f);
    }
}

/* actions run by the handler at the handling EL */
static void act_set_spsr_nzcv(struct exc_frame *f)
{
    f->spsr = (f->spsr & ~0xf0000000UL) | g_spsr_nzcv;
}
static void act_clear_tsc(struct exc_frame *f)
{
    (void)f;
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_TSC);
    isb();
}
static void act_climb(struct exc_frame *f)
{
    /* stay at the handling EL: return to g_climb_target in ELxh, DAIF masked */
    f->elr = g_climb_target;
    f->spsr = DAIF_ALL | (f->el << 2) | 1;
}

/* ------------------------------------------------------------------ helpers */
/* After a test: if the expected exception was not taken, forget the pending
 * expectation and resume address so the next test is not confused. */
static void trap_done(void)
{
    g_expect = 0;
    g_resume = 0;
    g_action = 0;
}

/* Execute insn (which returns to the next instruction by itself: SVC/HVC/SMC),
 * with NZCV = nzcv just before it. Returns the address after insn. x0 = 0 so
 * no SMC/HVC is mistaken for a PSCI call. */
#define TRAP_NEXT(insn, nzcv) ({ u64 _n; g_expect = 1; __asm__ volatile( \
    "mov x0, #0\n\tadr %0, 1f\n\tmsr nzcv, %1\n\t" insn "\n1:" \
    : "=&r"(_n) : "r"((u64)(nzcv)) : "x0", "cc", "memory"); trap_done(); _n; })
/* Execute insn, which faults with ELR = insn itself; the handler resumes
 * after it. Returns the address of insn. */
#define TRAP_AT(insn, nzcv) ({ u64 _a; g_expect = 1; __asm__ volatile( \
    "adr %0, 1f\n\tadr x9, 2f\n\tstr x9, [%1]\n\tmov x0, #0\n\tmsr nzcv, %2\n1:\t" insn "\n2:" \
    : "=&r"(_a) : "r"(&g_resume), "r"((u64)(nzcv)) : "x0", "x9", "cc", "memory"); trap_done(); _a; })

/* Check the last exception: exactly one taken since count0, ESR, ELR, vector
 * offset and handling EL. */
static void expect_exc(const char *name, u64 count0, u64 esr, u64 elr, u64 off, u64 el)
{
    check2(name, ".count", g_count - count0, 1);
    check2(name, ".esr", g_last.esr, esr);
    check2(name, ".elr", g_last.elr, elr);
    check2(name, ".vector", g_last.off, off);
    check2(name, ".el", g_last.el, el);
}

static void check_sp_sel(const char *name, u64 want)
{
    check2(name, ".spsel", read_sysreg(spsel), want);
}

static void wfe_no_trap(const char *name)
{
    u64 c0 = g_count;
    __asm__ volatile("sevl\n\twfe" ::: "memory");   /* event register set: WFE completes */
    check(name, g_count - c0, 0);
}

/* PC alignment fault: BR to an address with bit 1 set. The fault is taken on
 * the fetch from the misaligned PC: EC 0x22, ELR = FAR = the misaligned PC. */
static void pc_align_test(const char *name, u64 off, u64 el)
{
    u64 target, c = g_count;
    g_expect = 1;
    __asm__ volatile("adr %0, 1f\n\t"
                     "add %0, %0, #2\n\t"
                     "adr x9, 2f\n\t"
                     "str x9, [%1]\n\t"
                     "br %0\n"
                     "1:\tnop\n\tnop\n"
                     "2:"
                     : "=&r"(target) : "r"(&g_resume) : "x9", "memory");
    trap_done();
    expect_exc(name, c, ESR_PC_ALIGN, target, off, el);
    check2(name, ".far", g_last.far, target);
}

static void el2_stage(void) __attribute__((noreturn));
static void el1_stage(void) __attribute__((noreturn));
static void el0_stage(void) __attribute__((noreturn));
static void el1_back(void) __attribute__((noreturn));
static void el2_back(void) __attribute__((noreturn));
static void el3_back(void) __attribute__((noreturn));

/* ------------------------------------------------------------------ EL3 */
int main(void)
{
    u64 c, a;

    printf("exceptions guest at EL%u\n", current_el());
    if (current_el() != 3) {
        printf("FAIL boot_el got=0x%x want=0x3 (run with --el 3 / QEMU secure=on,virtualization=on)\n",
               current_el());
        check_report();
        return 1;
    }
    check("el3.daif_at_boot", read_sysreg(daif), DAIF_ALL);
    check_sp_sel("el3", 1);

    /* stacks of the lower ELs, set up front so a stray exception has one */
    write_sysreg(sp_el2, el2_stack + STACK_SIZE);
    write_sysreg(sp_el1, el1_stack + STACK_SIZE);
    write_sysreg(vbar_el3, vectors_el3);
    write_sysreg(vbar_el2, vectors_el2);
    write_sysreg(vbar_el1, vectors_el1);
    write_sysreg(sctlr_el3, SCTLR_VALUE);
    write_sysreg(sctlr_el2, SCTLR_VALUE);
    write_sysreg(sctlr_el1, SCTLR_VALUE);
    write_sysreg(scr_el3, SCR_VALUE);
    write_sysreg(hcr_el2, HCR_RW);
    isb();
    check("el3.vbar_el3", read_sysreg(vbar_el3), (u64)vectors_el3);

    /* SVC at EL3: taken to EL3, current EL with SPx -> offset 0x200.
     * ELR = preferred return address = the instruction after the SVC. */
    c = g_count;
    a = TRAP_NEXT("svc #0x1234", PSR_Z | PSR_C);
    expect_exc("el3.svc", c, ESR_SVC(0x1234), a, 0x200, 3);
    check("el3.svc.spsr", g_last.spsr & SPSR_MASK, PSR_Z | PSR_C | DAIF_ALL | M_EL3h);
    check("el3.svc.handler_daif", g_last.daif, DAIF_ALL);

    /* SMC at EL3: taken to EL3 (EC 0x17), ELR = next instruction */
    c = g_count;
    a = TRAP_NEXT("smc #0x77", PSR_N);
    expect_exc("el3.smc", c, ESR_SMC(0x77), a, 0x200, 3);
    check("el3.smc.spsr", g_last.spsr & SPSR_MASK, PSR_N | DAIF_ALL | M_EL3h);

    /* HVC with SCR_EL3.HCE=0 is UNDEFINED: EC 0x00, ELR = the HVC */
    write_sysreg(scr_el3, SCR_VALUE & ~SCR_HCE);
    isb();
    c = g_count;
    a = TRAP_AT("hvc #0x1", 0);
    expect_exc("el3.hvc_hce0_undef", c, ESR_UNKNOWN, a, 0x200, 3);
    write_sysreg(scr_el3, SCR_VALUE);
    isb();

    /* BRK: EC 0x3c, ISS = imm16, ELR = the BRK itself */
    c = g_count;
    a = TRAP_AT("brk #0x2a", 0);
    expect_exc("el3.brk", c, ESR_BRK(0x2a), a, 0x200, 3);

    /* Unallocated encoding 0x00000000 (UDF #0): EC 0x00, IL=1 */
    c = g_count;
    a = TRAP_AT(".inst 0x00000000", 0);
    expect_exc("el3.udf", c, ESR_UNKNOWN, a, 0x200, 3);

    pc_align_test("el3.pc_align", 0x200, 3);

#ifdef EXC_STRICT
    /* SP alignment fault: at EL3t (SPSel=0, SP = SP_EL0 misaligned by 8),
     * with SCTLR_EL3.SA=1 a load with SP as base faults (EC 0x26). The
     * exception comes from the current EL using SP_EL0 -> offset 0x000, and the
     * handler runs on SP_EL3, which is aligned. (QEMU 7.2 does not implement
     * SP alignment checking, hence EXC_STRICT.) */
    {
        u64 at;
        u64 bad_sp = (u64)(sp0_stack + sizeof(sp0_stack) - 8);
        c = g_count;
        g_expect = 1;
        __asm__ volatile("adr x9, 2f\n\t"
                         "str x9, [%1]\n\t"
                         "adr %0, 1f\n\t"
                         "msr sp_el0, %2\n\t"
                         "msr spsel, #0\n"
                         "1:\tldr x9, [sp]\n"
                         "2:\tmsr spsel, #1"
                         : "=&r"(at) : "r"(&g_resume), "r"(bad_sp) : "x9", "memory");
        trap_done();
        expect_exc("el3.sp_align", c, ESR_SP_ALIGN, at, 0x000, 3);
        check("el3.sp_align.spsr_m", g_last.spsr & 0x1f, M_EL3t);
    }

    /* HVC at EL3 with SCR_EL3.HCE=1 is taken to EL3 (AArch64.CallHypervisor);
     * QEMU 7.2 takes it to EL2, hence EXC_STRICT. */
    c = g_count;
    a = TRAP_NEXT("hvc #0x4321", 0);
    expect_exc("el3.hvc", c, ESR_HVC(0x4321), a, 0x200, 3);
#endif

    /* SVC from EL3t (SP_EL0 selected): current EL with SP0 -> offset 0x000 */
    {
        u64 next, spsel_seen;
        write_sysreg(sp_el0, sp0_stack + sizeof(sp0_stack));
        c = g_count;
        g_expect = 1;
        __asm__ volatile("mov x0, #0\n\t"
                         "msr spsel, #0\n\t"
                         "mrs %1, spsel\n\t"
                         "adr %0, 1f\n\t"
                         "svc #0x30\n"
                         "1:\tmsr spsel, #1"
                         : "=&r"(next), "=&r"(spsel_seen) : : "x0", "memory");
        trap_done();
        expect_exc("el3t.svc", c, ESR_SVC(0x30), next, 0x000, 3);
        check("el3t.svc.spsr", g_last.spsr & (DAIF_ALL | 0x1f), DAIF_ALL | M_EL3t);
        check("el3t.spsel_read", spsel_seen, 0);
    }

    /* ERET restores NZCV from SPSR: the handler rewrites SPSR.NZCV */
    {
        u64 nzcv;
        g_spsr_nzcv = PSR_N | PSR_V;
        g_action = act_set_spsr_nzcv;
        c = g_count;
        g_expect = 1;
        __asm__ volatile("mov x0, #0\n\tmsr nzcv, xzr\n\tsvc #0x31\n\tmrs %0, nzcv"
                         : "=r"(nzcv) : : "x0", "cc", "memory");
        trap_done();
        check("el3.eret_restores_nzcv", nzcv, PSR_N | PSR_V);
        check("el3.eret_restores_nzcv.count", g_count - c, 1);
    }
    wfe_no_trap("el3.wfe_no_trap");

    /* Descend to EL2 (Non-secure, AArch64): SCR_EL3.{NS,RW,HCE}=1 */
    write_sysreg(sp_el0, el0_stack + STACK_SIZE);
    eret_to((u64)el2_stage, PSR_N | PSR_C | DAIF_ALL | M_EL2h);
}

/* ------------------------------------------------------------------ EL2 */
static void el2_stage(void)
{
    u64 c, a;
    check("el2.entry_nzcv", g_entry_nzcv, PSR_N | PSR_C);
    check("el2.currentel", current_el(), 2);
    check("el2.daif", read_sysreg(daif), DAIF_ALL);
    check_sp_sel("el2", 1);

    c = g_count;
    a = TRAP_NEXT("svc #0x2", PSR_V);
    expect_exc("el2.svc", c, ESR_SVC(0x2), a, 0x200, 2);
    check("el2.svc.spsr", g_last.spsr & SPSR_MASK, PSR_V | DAIF_ALL | M_EL2h);

    c = g_count;
    a = TRAP_NEXT("hvc #0x22", 0);
    expect_exc("el2.hvc", c, ESR_HVC(0x22), a, 0x200, 2);

    c = g_count;
    a = TRAP_AT("brk #0xffff", 0);
    expect_exc("el2.brk", c, ESR_BRK(0xffff), a, 0x200, 2);

    /* Illegal exception return: ERET at EL2 with SPSR_EL2.M = EL3h. PSTATE.
     * {EL,nRW,SP} stay, NZCV/DAIF come from SPSR, PSTATE.IL is set and PC =
     * ELR; the next instruction then takes an Illegal Execution State
     * exception (EC 0x0e) to EL2 with SPSR_EL2.IL = 1. */
    {
        u64 target;
        c = g_count;
        g_expect = 1;
        __asm__ volatile("adr %0, 1f\n\t"
                         "msr elr_el2, %0\n\t"
                         "msr spsr_el2, %2\n\t"
                         "adr x9, 2f\n\t"
                         "str x9, [%1]\n\t"
                         "eret\n"
                         "1:\tnop\n"
                         "2:"
                         : "=&r"(target) : "r"(&g_resume), "r"(PSR_Z | DAIF_ALL | M_EL3h) : "x9", "cc", "memory");
        trap_done();
        expect_exc("el2.illegal_eret", c, ESR_ILLEGAL, target, 0x200, 2);
        check("el2.illegal_eret.spsr", g_last.spsr & SPSR_MASK, PSR_Z | PSR_IL | DAIF_ALL | M_EL2h);
        check("el2.illegal_eret.still_el2", current_el(), 2);
    }
    wfe_no_trap("el2.wfe_no_trap");

    /* Trap SMC from EL1 to EL2 for the first EL1 SMC test */
    write_sysreg(hcr_el2, HCR_RW | HCR_TSC);
    isb();
    /* Descend to EL1h with Z,V set and D unmasked */
    eret_to((u64)el1_stage, PSR_Z | PSR_V | PSR_A | PSR_I | PSR_F | M_EL1h);
}

/* ------------------------------------------------------------------ EL1 */
static void el1_stage(void)
{
    u64 c, a;
    check("el1.entry_nzcv", g_entry_nzcv, PSR_Z | PSR_V);
    check("el1.currentel", current_el(), 1);
    check("el1.daif", read_sysreg(daif), PSR_A | PSR_I | PSR_F);
    check_sp_sel("el1", 1);

    /* SVC at EL1 -> EL1 0x200; SPSR_EL1 keeps DAIF as it was (D clear);
     * on entry all of DAIF is masked */
    c = g_count;
    a = TRAP_NEXT("svc #0x11", PSR_N);
    expect_exc("el1.svc", c, ESR_SVC(0x11), a, 0x200, 1);
    check("el1.svc.spsr", g_last.spsr & SPSR_MASK, PSR_N | PSR_A | PSR_I | PSR_F | M_EL1h);
    check("el1.svc.handler_daif", g_last.daif, DAIF_ALL);
    check("el1.daif_restored", read_sysreg(daif), PSR_A | PSR_I | PSR_F);

    /* SMC with HCR_EL2.TSC=1: trapped to EL2 (lower EL AArch64 -> 0x400),
     * EC 0x17 with ISS = imm16, ELR = the SMC itself (it did not execute) */
    c = g_count;
    a = TRAP_AT("smc #0x33", PSR_C);
    expect_exc("el1.smc_tsc_trap", c, ESR_SMC(0x33), a, 0x400, 2);
    check("el1.smc_tsc_trap.spsr", g_last.spsr & SPSR_MASK, PSR_C | PSR_A | PSR_I | PSR_F | M_EL1h);

    /* HVC from EL1 -> EL2, offset 0x400, ELR = next; the handler clears TSC */
    g_action = act_clear_tsc;
    c = g_count;
    a = TRAP_NEXT("hvc #0x44", PSR_C);
    expect_exc("el1.hvc", c, ESR_HVC(0x44), a, 0x400, 2);
    check("el1.hvc.spsr", g_last.spsr & SPSR_MASK, PSR_C | PSR_A | PSR_I | PSR_F | M_EL1h);
    check("el1.hvc.handler_daif", g_last.daif, DAIF_ALL);

    /* SMC from EL1 with TSC=0 -> EL3, offset 0x400, ELR = next */
    c = g_count;
    a = TRAP_NEXT("smc #0x55", PSR_Z);
    expect_exc("el1.smc", c, ESR_SMC(0x55), a, 0x400, 3);
    check("el1.smc.spsr", g_last.spsr & SPSR_MASK, PSR_Z | PSR_A | PSR_I | PSR_F | M_EL1h);

    /* EL1t: SPSel=0 selects SP_EL0; an SVC then uses the "current EL with
     * SP0" group (offset 0x000) and SPSR_EL1.M = EL1t */
    {
        u64 next, spsel_seen, sp_seen;
        u64 sp0 = (u64)(sp0_stack + sizeof(sp0_stack));
        write_sysreg(sp_el0, sp0);
        c = g_count;
        g_expect = 1;
        __asm__ volatile("mov x0, #0\n\t"
                         "msr spsel, #0\n\t"
                         "mrs %1, spsel\n\t"
                         "mov %2, sp\n\t"
                         "adr %0, 1f\n\t"
                         "svc #0x12\n"
                         "1:\tmsr spsel, #1"
                         : "=&r"(next), "=&r"(spsel_seen), "=&r"(sp_seen) : : "x0", "memory");
        trap_done();
        expect_exc("el1t.svc", c, ESR_SVC(0x12), next, 0x000, 1);
        check("el1t.svc.spsr_m", g_last.spsr & 0x1f, M_EL1t);
        check("el1t.spsel_read", spsel_seen, 0);
        check("el1t.sp_is_sp_el0", sp_seen, sp0);
        write_sysreg(sp_el0, el0_stack + STACK_SIZE);
    }

    /* Illegal exception return: ERET at EL1 to EL2h */
    {
        u64 target;
        c = g_count;
        g_expect = 1;
        __asm__ volatile("adr %0, 1f\n\t"
                         "msr elr_el1, %0\n\t"
                         "msr spsr_el1, %2\n\t"
                         "adr x9, 2f\n\t"
                         "str x9, [%1]\n\t"
                         "eret\n"
                         "1:\tnop\n"
                         "2:"
                         : "=&r"(target) : "r"(&g_resume), "r"(DAIF_ALL | M_EL2h) : "x9", "cc", "memory");
        trap_done();
        expect_exc("el1.illegal_eret", c, ESR_ILLEGAL, target, 0x200, 1);
        check("el1.illegal_eret.spsr", g_last.spsr & SPSR_MASK, PSR_IL | DAIF_ALL | M_EL1h);
        check("el1.illegal_eret.still_el1", current_el(), 1);
    }

    c = g_count;
    a = TRAP_AT(".inst 0x00000000", 0);
    expect_exc("el1.udf", c, ESR_UNKNOWN, a, 0x200, 1);
    c = g_count;
    a = TRAP_AT("brk #0x1", 0);
    expect_exc("el1.brk", c, ESR_BRK(0x1), a, 0x200, 1);
    wfe_no_trap("el1.wfe_no_trap");

    /* Descend to EL0 (EL0t) with C set, DAIF masked */
    eret_to((u64)el0_stage, PSR_C | DAIF_ALL | M_EL0t);
}

/* ------------------------------------------------------------------ EL0 */
static void el0_stage(void)
{
    u64 c, a;
    check("el0.entry_nzcv", g_entry_nzcv, PSR_C);

    /* CurrentEL is not accessible at EL0: UNDEFINED -> EL1, EC 0x00, from a
     * lower EL -> offset 0x400 */
    c = g_count;
    a = TRAP_AT("mrs x0, CurrentEL", 0);
    expect_exc("el0.mrs_currentel_undef", c, ESR_UNKNOWN, a, 0x400, 1);
    check("el0.mrs_currentel_undef.spsr", g_last.spsr & SPSR_MASK, DAIF_ALL | M_EL0t);

    c = g_count;
    a = TRAP_NEXT("svc #0xabcd", PSR_N | PSR_V);
    expect_exc("el0.svc", c, ESR_SVC(0xabcd), a, 0x400, 1);
    check("el0.svc.spsr", g_last.spsr & SPSR_MASK, PSR_N | PSR_V | DAIF_ALL | M_EL0t);

    c = g_count;
    a = TRAP_AT("brk #0x5", 0);
    expect_exc("el0.brk", c, ESR_BRK(0x5), a, 0x400, 1);
    pc_align_test("el0.pc_align", 0x400, 1);
    wfe_no_trap("el0.wfe_no_trap");

    /* climb: SVC EL0 -> EL1 and stay at EL1 */
    g_climb_target = (u64)el1_back;
    g_action = act_climb;
    g_expect = 1;
    __asm__ volatile("mov x0, #0\n\tsvc #0xc1" ::: "x0", "memory");
    for (;;)
        ;
}

static void el1_back(void)
{
    check("climb.el0_to_el1.currentel", current_el(), 1);
    check("climb.el0_to_el1.esr", g_last.esr, ESR_SVC(0xc1));
    check("climb.el0_to_el1.vector", g_last.off, 0x400);
    check_sp_sel("climb.el0_to_el1", 1);
    g_climb_target = (u64)el2_back;
    g_action = act_climb;
    g_expect = 1;
    __asm__ volatile("mov x0, #0\n\thvc #0xc2" ::: "x0", "memory");
    for (;;)
        ;
}

static void el2_back(void)
{
    check("climb.el1_to_el2.currentel", current_el(), 2);
    check("climb.el1_to_el2.esr", g_last.esr, ESR_HVC(0xc2));
    check("climb.el1_to_el2.vector", g_last.off, 0x400);
    check("climb.el1_to_el2.spsr_m", g_last.spsr & 0x1f, M_EL1h);
    g_climb_target = (u64)el3_back;
    g_action = act_climb;
    g_expect = 1;
    __asm__ volatile("mov x0, #0\n\tsmc #0xc3" ::: "x0", "memory");
    for (;;)
        ;
}

static void el3_back(void)
{
    check("climb.el2_to_el3.currentel", current_el(), 3);
    check("climb.el2_to_el3.esr", g_last.esr, ESR_SMC(0xc3));
    check("climb.el2_to_el3.vector", g_last.off, 0x400);
    check("climb.el2_to_el3.spsr_m", g_last.spsr & 0x1f, M_EL2h);
    exit(check_report());
}
