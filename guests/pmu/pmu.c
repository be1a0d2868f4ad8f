/*
 * pmu: FEAT_PMUv3 (Armv8.0, ID_AA64DFR0_EL1.PMUVer = 1) checked from EL2
 * against the Arm ARM (D7 "The Performance Monitors Extension", the PMU
 * registers' access pseudocode in D13) and armvisor's documented counting
 * model (assembly/cpu/pmu.ts): one cycle per instruction; a counter read
 * returns the events of the instructions before the reading MRS.
 *
 *   - the register file: PMCR_EL0.N and IMP, PMCEID0/1_EL0, MDCR_EL2.HPMN's reset;
 *   - INST_RETIRED and the cycle counter over 100 NOPs (exactly 101 between
 *     the two reads); PMCR_EL0 of a PE without AArch32 (LC RES1, D RES0, X
 *     RAZ/WI, DP only with EL3): the cycle counter overflows out of bit 63 only;
 *   - filtering by EL (PMEVTYPER<n>_EL0.P, U, NSH): a counter that sees only a
 *     known EL0 sequence, one that sees only an EL1 one;
 *   - EXC_TAKEN and EXC_RETURN over five SVCs from EL0, each at the EL it counts at;
 *   - SW_INCR through PMSWINC_EL0;
 *   - an event counter's overflow: PMOVSSET_EL0 and the PMU interrupt (PPI 7, INTID 23)
 *     at EL2 through the GICv3;
 *   - MDCR_EL2.HPMN, HPME: PMCR_EL0.N at EL1, the counters EL2 reserves
 *     (UNDEFINED at EL1, not enabled by PMCR_EL0.E, not reset by its P from EL1);
 *   - the traps: PMUSERENR_EL0 (EN, SW, CR, ER) to EL1 or, with HCR_EL2.TGE, to
 *     EL2; MDCR_EL2.TPM and TPMCR to EL2; each with its ESR and ELR.
 * Booted at EL3 (`--el 3`) it first checks MDCR_EL3.TPM (to EL3, after
 * MDCR_EL2.TPM) and Secure state's prohibition of event counting
 * (MDCR_EL3.SPME; the cycle counter then counts unless PMCR_EL0.DP), then
 * drops to EL2 for the rest.
 * Run with `armvisor run --el 2` (or 3). One PASS/FAIL line per check, then "N passed, M failed".
 */
#include "pmu.h"
#include "esr.h"
#include "gicv3.h"

#define DECLARE(n) extern char p_##n[], p_##n##_i[];
#define PROBES(X) X(pmcr_r) X(pmcr_w) X(pmccntr_r) X(pmccntr_w) X(pmuserenr_w) X(pmuserenr_r) \
    X(pmevcntr0_r) X(pmevcntr2_r) X(pmxevcntr_r) X(pmcntenset_r) X(pmselr_w) X(pmswinc_w) \
    X(pmintenset_r) X(pmceid0_w) X(pmswinc_r) X(pmevcntr4_r)
PROBES(DECLARE)
#define P(n) ((u64)p_##n)
#define I(n) ((u64)p_##n##_i)

#define SPSR_EL2H 0x3c9UL
#define SPSR_EL1H 0x3c5UL
#define SPSR_EL0T 0x3c0UL
#define HCR_RW    (1UL << 31)
#define HCR_TGE   (1UL << 27)
#define HCR_IMO   (1UL << 4)
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM   (1UL << 6)
#define MDCR_HPME  (1UL << 7)

#define PMCR_E  1UL
#define PMCR_DP (1UL << 5)
#define PMCR_P  2UL
#define PMCR_C  4UL
#define PMCR_D  8UL
#define PMCR_X  16UL
#define PMCR_LC (1UL << 6)
#define F_P   (1UL << 31)
#define F_U   (1UL << 30)
#define F_NSK (1UL << 29)
#define F_NSU (1UL << 28)
#define F_NSH (1UL << 27)
#define F_M   (1UL << 26)
#define SCR_EL3_NS_HCE_RW ((1UL << 0) | (3UL << 4) | (1UL << 8) | (1UL << 10))
#define MDCR3_TPM  (1UL << 6)
#define MDCR3_SPME (1UL << 17)
#define AT_EL2 (F_P | F_U | F_NSH)   /* counts at EL2 only */
#define AT_EL1 (F_U)                 /* at EL1 only */
#define AT_EL0 (F_P)                 /* at EL0 only */
#define SW_INCR      0x00
#define INST_RETIRED 0x08
#define EXC_TAKEN    0x09
#define EXC_RETURN   0x0a
#define CPU_CYCLES   0x11
#define CCNT (1UL << 31)
#define USERENR_EN 1UL
#define USERENR_SW 2UL
#define USERENR_CR 4UL
#define USERENR_ER 8UL
#define PMU_INTID 23

/* ---- exceptions and interrupts seen by the handlers ---- */
struct exc { u64 count, esr, elr, spsr, off; };
static volatile struct exc g_exc[4];
static volatile u64 g_irqs, g_irq_intid, g_irq_ovs, g_irq_cnt;

u64 pmu_handler(struct frame *f)
{
    u64 ec = (f->esr >> 26) & 0x3f, imm = f->esr & 0xffff;
    u64 from = (f->spsr >> 2) & 3, to = f->el;
    if ((f->off & 0x180) == 0x80 && to == 2) {
        /* IRQ at EL2: the PMU's overflow interrupt, cleared at its source. */
        u64 intid = read_gicreg(ICC_IAR1_EL1) & 0xffffff;
        g_irqs++;
        g_irq_intid = intid;
        g_irq_ovs = read_sysreg(pmovsset_el0);
        g_irq_cnt = read_sysreg(pmevcntr0_el0);
        write_sysreg(pmovsclr_el0, ~0UL);
        if (g_irqs > 4) write_sysreg(pmintenclr_el1, ~0UL); /* a line that would not drop */
        isb();
        write_gicreg(ICC_EOIR1_EL1, intid);
        return 0;
    }
    if (f->off & 0x180) {
        printf("UNEXPECTED asynchronous exception at EL%lu vector=0x%lx esr=0x%lx elr=0x%lx\n", to, f->off, f->esr, f->elr);
        semihosting_exit(98);
    }
    /* the return of a lower_call: SVC or HVC #RET_IMM from a lower EL */
    if (from < to && imm == RET_IMM && (ec == 0x15 || ec == 0x16 || ec == 0x17))
        return to == 1 ? 2 : 1;
    volatile struct exc *x = &g_exc[to];
    x->count++;
    x->esr = f->esr;
    x->elr = f->elr;
    x->spsr = f->spsr;
    x->off = f->off;
    /* SVC returns to the next instruction; traps report the instruction itself: skip it. */
    if (ec != 0x15 && ec != 0x16)
        f->elr += 4;
    return 0;
}

static u64 call_lower(u64 fn, u64 spsr, u64 arg)
{
    if (current_el() == 3)
        return lower_call3(fn, spsr, arg, (u64)ret_smc);
    return lower_call(fn, spsr, arg, ((spsr >> 2) & 3) == 0 ? (u64)ret_svc : (u64)ret_hvc);
}

static u64 seen[4];
static void snapshot(void) { for (int i = 0; i < 4; i++) seen[i] = g_exc[i].count; }
/* Which EL took the exceptions since the snapshot: 0 if none, 9 if several. */
static u64 taken_by(void)
{
    u64 el = 0, n = 0;
    for (int i = 1; i < 4; i++) {
        n += g_exc[i].count - seen[i];
        if (g_exc[i].count != seen[i]) el = i;
    }
    return n == 0 ? 0 : n == 1 ? el : 9;
}

/* fn at the lower EL (spsr) traps to `to` with esr at elr (vector 0x400 if from a lower EL). */
static void traps(const char *name, u64 fn, u64 spsr, u64 arg, u64 to, u64 esr, u64 elr)
{
    snapshot();
    call_lower(fn, spsr, arg);
    u64 from = (spsr >> 2) & 3;
    check2(name, " taken to", taken_by(), to);
    check2(name, " esr", g_exc[to].esr, esr);
    check2(name, " elr", g_exc[to].elr, elr);
    check2(name, " vector", g_exc[to].off, from < to ? 0x400 : 0x200);
}
/* fn at the lower EL runs without an exception; returns its result. */
static u64 no_trap(const char *name, u64 fn, u64 spsr, u64 arg)
{
    snapshot();
    u64 r = call_lower(fn, spsr, arg);
    check2(name, " takes no exception", taken_by(), 0);
    return r;
}
/* fn at EL2 traps to EL2 with esr. */
static void traps_here(const char *name, u64 fn, u64 arg, u64 esr, u64 elr)
{
    snapshot();
    ((u64 (*)(u64))fn)(arg);
    check2(name, " taken to", taken_by(), 2);
    check2(name, " esr", g_exc[2].esr, esr);
    check2(name, " elr", g_exc[2].elr, elr);
}

/* Every counter off and zero, nothing filtered out but EL2's own counting, PMU
 * reserved to no one (HPMN = N), no traps. */
static void pmu_clear(void)
{
    write_sysreg(hcr_el2, HCR_RW);
    write_sysreg(mdcr_el2, 4);
    write_sysreg(pmcr_el0, PMCR_P | PMCR_C | PMCR_LC);
    write_sysreg(pmcntenclr_el0, ~0UL);
    write_sysreg(pmintenclr_el1, ~0UL);
    write_sysreg(pmovsclr_el0, ~0UL);
    write_sysreg(pmuserenr_el0, 0);
    write_sysreg(pmselr_el0, 0);
    write_sysreg(pmccfiltr_el0, 0);
    for (int n = 0; n < 4; n++) {
        write_sysreg(pmselr_el0, n);
        isb();
        write_sysreg(pmxevtyper_el0, 0);
    }
    isb();
}
static void evtype(int n, u64 v) { write_sysreg(pmselr_el0, n); isb(); write_sysreg(pmxevtyper_el0, v); isb(); }
static u64 evcnt(int n) { write_sysreg(pmselr_el0, n); isb(); return read_sysreg(pmxevcntr_el0); }
static void set_evcnt(int n, u64 v) { write_sysreg(pmselr_el0, n); isb(); write_sysreg(pmxevcntr_el0, v); isb(); }

static int g_el3;   /* booted at EL3: PMEVTYPER/PMCCFILTR.NSK, NSU, M and PMCR_EL0.DP exist */

static void check_registers(u64 mdcr_reset)
{
    check("ID_AA64DFR0_EL1.PMUVer = 1 (FEAT_PMUv3)", (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf, 1);
    u64 pmcr = read_sysreg(pmcr_el0);
    check("PMCR_EL0.N = 4 at EL2", (pmcr >> 11) & 0x1f, 4);
    check("PMCR_EL0.IMP = 0", pmcr >> 24, 0);
    check("MDCR_EL2.HPMN resets to PMCR_EL0.N", mdcr_reset & 0x1f, 4);
    check("PMCEID0_EL0: SW_INCR, INST_RETIRED, EXC_TAKEN, EXC_RETURN, CPU_CYCLES", read_sysreg(pmceid0_el0),
          (1UL << SW_INCR) | (1UL << INST_RETIRED) | (1UL << EXC_TAKEN) | (1UL << EXC_RETURN) | (1UL << CPU_CYCLES));
    check("PMCEID1_EL0 = 0", read_sysreg(pmceid1_el0), 0);
    pmu_clear();
    write_sysreg(pmcntenset_el0, ~0UL);
    check("PMCNTENSET_EL0: bits 3:0 and 31", read_sysreg(pmcntenset_el0), 0x8000000fUL);
    write_sysreg(pmcntenclr_el0, 0x80000001UL);
    check("PMCNTENCLR_EL0 clears", read_sysreg(pmcntenclr_el0), 0xeUL);
    write_sysreg(pmovsset_el0, ~0UL);
    check("PMOVSSET_EL0: bits 3:0 and 31", read_sysreg(pmovsclr_el0), 0x8000000fUL);
    evtype(1, ~0UL);
    check("PMEVTYPER1_EL0: P, U, NSH, evtCount[9:0] (NSK, NSU, M with EL3)",
          read_sysreg(pmevtyper1_el0), 0xc80003ffUL | (g_el3 ? F_NSK | F_NSU | F_M : 0));
    write_sysreg(pmccfiltr_el0, ~0UL);
    check("PMCCFILTR_EL0: the filter bits only", read_sysreg(pmccfiltr_el0), 0xc8000000UL | (g_el3 ? F_NSK | F_NSU | F_M : 0));
    set_evcnt(3, ~0UL);
    check("PMEVCNTR3_EL0 is 32 bits", read_sysreg(pmevcntr3_el0), 0xffffffffUL);
    write_sysreg(pmcr_el0, PMCR_P);
    isb();
    check("PMCR_EL0.P resets the event counters", read_sysreg(pmevcntr3_el0), 0);
    write_sysreg(pmccntr_el0, 0x123456789UL);
    check("PMCCNTR_EL0 is 64 bits", read_sysreg(pmccntr_el0), 0x123456789UL);
    write_sysreg(pmcr_el0, PMCR_C);
    isb();
    check("PMCR_EL0.C resets the cycle counter", read_sysreg(pmccntr_el0), 0);
    check("PMCR_EL0.P and C read as 0", read_sysreg(pmcr_el0) & 6, 0);
    write_sysreg(pmcr_el0, PMCR_D | PMCR_X | PMCR_DP);
    isb();
    check("PMCR_EL0 without AArch32: LC RES1, D RES0, X RAZ/WI, DP only with EL3",
          read_sysreg(pmcr_el0) & 0xff, PMCR_LC | (g_el3 ? PMCR_DP : 0));
    write_sysreg(pmcr_el0, 0);
    traps_here("MSR PMCEID0_EL0 (read-only)", P(pmceid0_w), 0, ESR_UNDEF, I(pmceid0_w));
    traps_here("MRS PMSWINC_EL0 (write-only)", P(pmswinc_r), 0, ESR_UNDEF, I(pmswinc_r));
    traps_here("MRS PMEVCNTR4_EL0 (n >= N)", P(pmevcntr4_r), 0, ESR_UNDEF, I(pmevcntr4_r));
    write_sysreg(pmselr_el0, 31);
    isb();
    traps_here("MRS PMXEVCNTR_EL0 with PMSELR_EL0.SEL = 31", P(pmxevcntr_r), 0, ESR_UNDEF, I(pmxevcntr_r));
    write_sysreg(pmxevtyper_el0, F_NSH);
    check("PMXEVTYPER_EL0 with SEL = 31 is PMCCFILTR_EL0", read_sysreg(pmccfiltr_el0), F_NSH);
}

static void check_counting(void)
{
    pmu_clear();
    evtype(0, AT_EL2 | INST_RETIRED);
    write_sysreg(pmcntenset_el0, 1);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    check("INST_RETIRED at EL2 over 100 NOPs: 101 between the two reads", nops100_evcnt0(), 101);
    evtype(0, AT_EL2 | CPU_CYCLES);
    check("CPU_CYCLES at EL2 over 100 NOPs (one cycle each)", nops100_evcnt0(), 101);
    evtype(0, AT_EL1 | INST_RETIRED);
    check("INST_RETIRED filtered at EL2 (NSH = 0) counts nothing", nops100_evcnt0(), 0);
    evtype(0, AT_EL2 | 0x03); /* L1D_CACHE_REFILL: not implemented */
    check("an event PMCEID does not list counts nothing", nops100_evcnt0(), 0);
    write_sysreg(pmcntenclr_el0, 1);
    evtype(0, AT_EL2 | INST_RETIRED);
    check("a disabled counter counts nothing", nops100_evcnt0(), 0);
    write_sysreg(pmcntenset_el0, 1);
    write_sysreg(pmcr_el0, PMCR_LC);
    isb();
    check("PMCR_EL0.E = 0: nothing counts", nops100_evcnt0(), 0);

    /* the cycle counter */
    write_sysreg(pmccfiltr_el0, AT_EL2);
    write_sysreg(pmcntenset_el0, CCNT);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    check("PMCCNTR_EL0 over 100 NOPs", nops100_ccnt(), 101);
    check("PMCR_EL0.D is RES0: every cycle counts (the MSR that resets it and 640 NOPs)",
          ccnt_640(PMCR_E | PMCR_D | PMCR_C), 641);
    write_sysreg(pmcr_el0, PMCR_E);          /* LC is RES1: no overflow out of bit 31 */
    write_sysreg(pmovsclr_el0, ~0UL);
    write_sysreg(pmccntr_el0, 0xfffffff0UL);
    isb();
    nops100_ccnt();
    u64 ovs32 = read_sysreg(pmovsset_el0), ccnt = read_sysreg(pmccntr_el0);
    check("PMCCNTR_EL0 carrying out of bit 31 is no overflow (LC RES1)", ovs32, 0);
    check("... the counter goes on in 64 bits", ccnt >> 32, 1);
    write_sysreg(pmccntr_el0, ~0UL - 50);
    isb();
    nops100_ccnt();
    check("the 64-bit wrap is an overflow: PMOVSSET_EL0.C", read_sysreg(pmovsset_el0), CCNT);
    write_sysreg(pmcntenclr_el0, CCNT);

    /* an event counter's overflow */
    write_sysreg(pmovsclr_el0, ~0UL);
    set_evcnt(0, 0xffffffc0UL);
    nops100_evcnt0();
    u64 ovs = read_sysreg(pmovsset_el0), wrapped = read_sysreg(pmevcntr0_el0);
    check("PMEVCNTR0_EL0 overflow sets PMOVSSET_EL0.P0", ovs, 1);
    check("... and wraps in 32 bits", wrapped < 0x100, 1);
}

static void check_filtering(void)
{
    pmu_clear();
    evtype(1, AT_EL0 | INST_RETIRED);
    evtype(2, AT_EL1 | INST_RETIRED);
    evtype(3, AT_EL1 | CPU_CYCLES);
    write_sysreg(pmccfiltr_el0, F_U);        /* cycles at EL1 only (and not at EL2: NSH = 0) */
    write_sysreg(pmcntenset_el0, 0xeUL | CCNT);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC | PMCR_P | PMCR_C);
    isb();
    no_trap("EL0: 50 NOPs", (u64)el0_nops50, SPSR_EL0T, 0);
    check("INST_RETIRED at EL0 only (P = 1): the 51 instructions and ret_svc's 3", evcnt(1), 54);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC | PMCR_P | PMCR_C);
    isb();
    no_trap("EL1: 30 NOPs", (u64)el1_nops30, SPSR_EL1H, 0);
    check("INST_RETIRED at EL1 only: the 31 instructions and ret_hvc's 3", evcnt(2), 34);
    check("CPU_CYCLES at EL1 only", evcnt(3), 34);
    check("PMCCNTR_EL0 with PMCCFILTR_EL0.U = 1", read_sysreg(pmccntr_el0), 34);
    check("INST_RETIRED at EL0 only: none of them", evcnt(1), 0);
}

static void check_exceptions(void)
{
    pmu_clear();
    evtype(0, AT_EL0 | EXC_TAKEN);
    evtype(1, AT_EL1 | EXC_RETURN);
    evtype(2, AT_EL1 | EXC_TAKEN);
    evtype(3, AT_EL2 | EXC_RETURN);
    write_sysreg(pmcntenset_el0, 0xfUL);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    snapshot();
    call_lower((u64)el0_svc5, SPSR_EL0T, 0);
    u64 c0 = evcnt(0), c1 = evcnt(1), c2 = evcnt(2), c3 = evcnt(3);
    check("five SVCs from EL0 taken to EL1", g_exc[1].count - seen[1], 5);
    check("EXC_TAKEN at EL0: the five SVCs and ret_svc's", c0, 6);
    check("EXC_RETURN at EL1: the five returns to EL0", c1, 5);
    check("EXC_TAKEN at EL1: the HVC that passes the return on to EL2", c2, 1);
    check("EXC_RETURN at EL2: lower_call's ERET", c3, 1);
}

static void check_swinc(void)
{
    pmu_clear();
    evtype(0, AT_EL2 | SW_INCR);
    evtype(1, AT_EL2 | SW_INCR);
    evtype(2, AT_EL1 | SW_INCR);
    evtype(3, AT_EL0 | SW_INCR);
    write_sysreg(pmcntenset_el0, 0xdUL);     /* not counter 1 */
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    for (int i = 0; i < 3; i++) write_sysreg(pmswinc_el0, 0xfUL);
    check("SW_INCR: three writes of PMSWINC_EL0 at EL2", evcnt(0), 3);
    check("SW_INCR: a disabled counter does not count", evcnt(1), 0);
    check("SW_INCR: a counter filtered at EL2 does not count", evcnt(2), 0);
    write_sysreg(pmuserenr_el0, USERENR_SW);
    isb();
    no_trap("EL0 MSR PMSWINC_EL0 with PMUSERENR_EL0.SW", P(pmswinc_w), SPSR_EL0T, 0xfUL);
    check("SW_INCR at EL0 counts the EL0 write", evcnt(3), 1);
    check("... and not at EL2", evcnt(0), 3);
}

static void check_interrupt(void)
{
    pmu_clear();
    gicv3_init_el2();
    gicv3_enable_ppi(PMU_INTID, 0x80);
    gicv3_cpu_enable();
    evtype(0, AT_EL2 | INST_RETIRED);
    set_evcnt(0, 0xffffffffUL - 1000);
    write_sysreg(pmintenset_el1, 1);
    write_sysreg(pmcntenset_el0, 1);
    g_irqs = 0;
    write_sysreg(hcr_el2, HCR_RW | HCR_IMO);  /* physical IRQs to EL2, taken there */
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    spin(2000);
    __asm__ volatile("msr daifset, #2" ::: "memory");
    check("the overflow interrupt is taken once", g_irqs, 1);
    check("... with INTID 23 (PPI 7)", g_irq_intid, PMU_INTID);
    check("... and PMOVSSET_EL0.P0 set", g_irq_ovs, 1);
    check("... within 64 instructions of the overflow", g_irq_cnt < 64, 1);
    write_sysreg(pmcr_el0, PMCR_LC);
    write_sysreg(pmintenclr_el1, ~0UL);
    write_sysreg(hcr_el2, HCR_RW);
    isb();
}

static void check_hpmn(void)
{
    pmu_clear();
    write_sysreg(mdcr_el2, 2);               /* EL2 keeps counters 2 and 3 */
    isb();
    u64 pmcr = call_lower(P(pmcr_r), SPSR_EL1H, 0);
    check("HPMN = 2: PMCR_EL0.N reads 2 at EL1", (pmcr >> 11) & 0x1f, 2);
    pmcr = call_lower(P(pmcr_r), SPSR_EL0T, 0);
    write_sysreg(pmuserenr_el0, USERENR_EN);
    isb();
    pmcr = call_lower(P(pmcr_r), SPSR_EL0T, 0);
    check("HPMN = 2: PMCR_EL0.N reads 2 at EL0", (pmcr >> 11) & 0x1f, 2);
    check("HPMN = 2: PMCR_EL0.N reads 4 at EL2", (read_sysreg(pmcr_el0) >> 11) & 0x1f, 4);
    write_sysreg(pmcntenset_el0, ~0UL);
    isb();
    check("HPMN = 2: PMCNTENSET_EL0 at EL1 shows counters 0, 1 and the cycle counter",
          call_lower(P(pmcntenset_r), SPSR_EL1H, 0), 0x80000003UL);
    write_sysreg(pmcntenclr_el0, ~0UL);
    traps("HPMN = 2: MRS PMEVCNTR2_EL0 at EL1", P(pmevcntr2_r), SPSR_EL1H, 0, 1, ESR_UNDEF, I(pmevcntr2_r));
    write_sysreg(pmselr_el0, 2);
    isb();
    traps("HPMN = 2: MRS PMXEVCNTR_EL0 (SEL = 2) at EL1", P(pmxevcntr_r), SPSR_EL1H, 0, 1, ESR_UNDEF, I(pmxevcntr_r));
    set_evcnt(2, 77);
    check("HPMN = 2: EL2 reads PMEVCNTR2_EL0", read_sysreg(pmevcntr2_el0), 77);
    /* counters >= HPMN are enabled by MDCR_EL2.HPME, not PMCR_EL0.E */
    evtype(0, AT_EL2 | INST_RETIRED);
    evtype(2, AT_EL2 | INST_RETIRED);
    write_sysreg(pmcntenset_el0, 0x5UL);
    write_sysreg(mdcr_el2, 2 | MDCR_HPME);
    write_sysreg(pmcr_el0, PMCR_LC);
    isb();
    check("HPME = 1, E = 0: counter 2 counts", nops100_evcnt2(), 101);
    check("HPME = 1, E = 0: counter 0 does not", nops100_evcnt0(), 0);
    write_sysreg(mdcr_el2, 2);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    check("HPME = 0, E = 1: counter 2 does not", nops100_evcnt2(), 0);
    check("HPME = 0, E = 1: counter 0 does", nops100_evcnt0(), 101);
    write_sysreg(pmcntenclr_el0, ~0UL);
    for (int n = 0; n < 4; n++) set_evcnt(n, 5);
    call_lower(P(pmcr_w), SPSR_EL1H, PMCR_P | PMCR_LC);
    check("PMCR_EL0.P from EL1 resets counter 0", evcnt(0), 0);
    check("... counter 1", evcnt(1), 0);
    check("... not counter 2 (EL2's)", evcnt(2), 5);
    check("... not counter 3", evcnt(3), 5);
    write_sysreg(mdcr_el2, 4);
    isb();
}

static void check_traps(void)
{
    pmu_clear();
    /* PMUSERENR_EL0 */
    traps("EL0 MRS PMCR_EL0, PMUSERENR_EL0 = 0", P(pmcr_r), SPSR_EL0T, 0, 1, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    traps("EL0 MRS PMCCNTR_EL0, PMUSERENR_EL0 = 0", P(pmccntr_r), SPSR_EL0T, 0, 1, RD(ENC(3, 3, 9, 13, 0), 7), I(pmccntr_r));
    traps("EL0 MSR PMUSERENR_EL0 (read-only at EL0)", P(pmuserenr_w), SPSR_EL0T, 1, 1, ESR_UNDEF, I(pmuserenr_w));
    traps("EL0 MRS PMINTENSET_EL1", P(pmintenset_r), SPSR_EL0T, 0, 1, ESR_UNDEF, I(pmintenset_r));
    write_sysreg(pmuserenr_el0, USERENR_CR | USERENR_ER | USERENR_SW);
    isb();
    check("EL0 reads PMUSERENR_EL0", no_trap("EL0 MRS PMUSERENR_EL0", P(pmuserenr_r), SPSR_EL0T, 0), 0xeUL);
    no_trap("EL0 MRS PMCCNTR_EL0 with CR", P(pmccntr_r), SPSR_EL0T, 0);
    traps("EL0 MSR PMCCNTR_EL0 with CR (reads only)", P(pmccntr_w), SPSR_EL0T, 0, 1, WR(ENC(3, 3, 9, 13, 0), 8), I(pmccntr_w));
    no_trap("EL0 MRS PMEVCNTR0_EL0 with ER", P(pmevcntr0_r), SPSR_EL0T, 0);
    no_trap("EL0 MSR PMSELR_EL0 with ER", P(pmselr_w), SPSR_EL0T, 0);
    traps("EL0 MRS PMCR_EL0 with CR, ER, SW (not EN)", P(pmcr_r), SPSR_EL0T, 0, 1, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    traps("EL0 MRS PMCNTENSET_EL0 without EN", P(pmcntenset_r), SPSR_EL0T, 0, 1, RD(ENC(3, 3, 9, 12, 1), 14), I(pmcntenset_r));
    write_sysreg(pmuserenr_el0, 0);
    write_sysreg(hcr_el2, HCR_RW | HCR_TGE);
    isb();
    traps("EL0 MRS PMCR_EL0, PMUSERENR_EL0 = 0, HCR_EL2.TGE: to EL2", P(pmcr_r), SPSR_EL0T, 0, 2, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    write_sysreg(hcr_el2, HCR_RW);
    isb();
    /* MDCR_EL2.TPMCR: PMCR_EL0 only */
    write_sysreg(mdcr_el2, 4 | MDCR_TPMCR);
    isb();
    traps("EL1 MRS PMCR_EL0, MDCR_EL2.TPMCR", P(pmcr_r), SPSR_EL1H, 0, 2, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    traps("EL1 MSR PMCR_EL0, MDCR_EL2.TPMCR", P(pmcr_w), SPSR_EL1H, 0, 2, WR(ENC(3, 3, 9, 12, 0), 6), I(pmcr_w));
    no_trap("EL1 MRS PMCCNTR_EL0, MDCR_EL2.TPMCR", P(pmccntr_r), SPSR_EL1H, 0);
    write_sysreg(pmuserenr_el0, USERENR_EN);
    isb();
    traps("EL0 MRS PMCR_EL0 (EN), MDCR_EL2.TPMCR", P(pmcr_r), SPSR_EL0T, 0, 2, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    /* MDCR_EL2.TPM: every PMU register */
    write_sysreg(mdcr_el2, 4 | MDCR_TPM);
    isb();
    traps("EL1 MRS PMCCNTR_EL0, MDCR_EL2.TPM", P(pmccntr_r), SPSR_EL1H, 0, 2, RD(ENC(3, 3, 9, 13, 0), 7), I(pmccntr_r));
    traps("EL1 MRS PMINTENSET_EL1, MDCR_EL2.TPM", P(pmintenset_r), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 9, 14, 1), 17), I(pmintenset_r));
    traps("EL1 MSR PMUSERENR_EL0, MDCR_EL2.TPM", P(pmuserenr_w), SPSR_EL1H, 0, 2, WR(ENC(3, 3, 9, 14, 0), 9), I(pmuserenr_w));
    traps("EL0 MSR PMSWINC_EL0 (EN), MDCR_EL2.TPM", P(pmswinc_w), SPSR_EL0T, 0, 2, WR(ENC(3, 3, 9, 12, 4), 16), I(pmswinc_w));
    write_sysreg(pmuserenr_el0, 0);
    isb();
    traps("EL0 MRS PMCR_EL0 without EN, MDCR_EL2.TPM: EL1 first", P(pmcr_r), SPSR_EL0T, 0, 1, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    snapshot();
    ((u64 (*)(u64))P(pmcr_r))(0);
    check("EL2 MRS PMCR_EL0 with MDCR_EL2.TPM takes no exception", taken_by(), 0);
    write_sysreg(mdcr_el2, 4);
    isb();
}

/* At EL3: MDCR_EL3.TPM and counting in Secure state. */
static void el3_checks(void)
{
    write_sysreg(scr_el3, SCR_EL3_NS_HCE_RW);
    write_sysreg(mdcr_el3, 0);
    write_sysreg(vbar_el2, (u64)vectors_el2);
    write_sysreg(vbar_el1, (u64)vectors_el1);
    pmu_clear();
    write_sysreg(mdcr_el3, MDCR3_TPM);
    isb();
    traps("EL2 MRS PMCR_EL0, MDCR_EL3.TPM", P(pmcr_r), SPSR_EL2H, 0, 3, RD(ENC(3, 3, 9, 12, 0), 5), I(pmcr_r));
    traps("EL1 MRS PMCCNTR_EL0, MDCR_EL3.TPM", P(pmccntr_r), SPSR_EL1H, 0, 3, RD(ENC(3, 3, 9, 13, 0), 7), I(pmccntr_r));
    traps("EL1 MRS PMINTENSET_EL1, MDCR_EL3.TPM", P(pmintenset_r), SPSR_EL1H, 0, 3, RD(ENC(3, 0, 9, 14, 1), 17), I(pmintenset_r));
    write_sysreg(mdcr_el2, 4 | MDCR_TPM);
    isb();
    traps("EL1 MRS PMCCNTR_EL0, MDCR_EL3.TPM and MDCR_EL2.TPM: EL2 first", P(pmccntr_r), SPSR_EL1H, 0, 2, RD(ENC(3, 3, 9, 13, 0), 7), I(pmccntr_r));
    write_sysreg(mdcr_el2, 2);
    isb();
    traps("EL1 MRS PMEVCNTR2_EL0, HPMN = 2 and MDCR_EL3.TPM: UNDEFINED first", P(pmevcntr2_r), SPSR_EL1H, 0, 1, ESR_UNDEF, I(pmevcntr2_r));
    write_sysreg(mdcr_el2, 4);
    isb();
    snapshot();
    ((u64 (*)(u64))P(pmcr_r))(0);
    check("EL3 MRS PMCR_EL0 with MDCR_EL3.TPM takes no exception", taken_by(), 0);
    write_sysreg(mdcr_el3, 0);
    isb();
    no_trap("EL2 MRS PMCR_EL0 without MDCR_EL3.TPM", P(pmcr_r), SPSR_EL2H, 0);

    /* Secure state: EL3 counts when M == P, but event counting is prohibited without SPME */
    evtype(0, F_M | F_P | INST_RETIRED);
    write_sysreg(pmccfiltr_el0, F_M | F_P);
    write_sysreg(pmcntenset_el0, 1 | CCNT);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC);
    isb();
    check("EL3, MDCR_EL3.SPME = 0: event counting prohibited", nops100_evcnt0(), 0);
    check("EL3, SPME = 0: the cycle counter still counts (PMCR_EL0.DP = 0)", nops100_ccnt(), 101);
    write_sysreg(pmcr_el0, PMCR_E | PMCR_LC | PMCR_DP);
    isb();
    check("EL3, SPME = 0, PMCR_EL0.DP = 1: nor does the cycle counter", nops100_ccnt(), 0);
    write_sysreg(mdcr_el3, MDCR3_SPME);
    isb();
    check("EL3, MDCR_EL3.SPME = 1: INST_RETIRED counts", nops100_evcnt0(), 101);
    check("EL3, SPME = 1, DP = 1: so does the cycle counter", nops100_ccnt(), 101);
    evtype(0, F_P | INST_RETIRED);
    check("EL3, SPME = 1: M != P filters EL3 out", nops100_evcnt0(), 0);
    write_sysreg(mdcr_el3, 0);
    pmu_clear();
}

static u64 el2_checks(u64 mdcr_reset)
{
    write_sysreg(vbar_el2, (u64)vectors_el2);
    write_sysreg(vbar_el1, (u64)vectors_el1);
    write_sysreg(hcr_el2, HCR_RW);
    isb();
    check_registers(mdcr_reset);
    check_counting();
    check_filtering();
    check_exceptions();
    check_swinc();
    check_interrupt();
    check_hpmn();
    check_traps();
    pmu_clear();
    return 0;
}

int main(void)
{
    u64 mdcr_reset = read_sysreg(mdcr_el2);
    if (current_el() == 3) {
        g_el3 = 1;
        write_sysreg(vbar_el3, (u64)vectors_el3);
        printf("pmu at EL3\n");
        el3_checks();
        lower_call3((u64)el2_checks, SPSR_EL2H, mdcr_reset, (u64)ret_smc);
    } else if (current_el() == 2) {
        printf("pmu at EL2\n");
        el2_checks(mdcr_reset);
    } else {
        printf("pmu needs EL2 or EL3 (entered at EL%u)\n", current_el());
        return 1;
    }
    return check_report();
}
