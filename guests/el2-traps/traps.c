/*
 * el2-traps: the trap controls a hypervisor at EL2 (and a monitor at EL3)
 * sets, checked from their side (Arm ARM D1 and the access pseudocode of
 * each register; ESR_ELx encodings in D17 "ESR_EL2").
 *
 * Boots at EL2 (QEMU -M virt,virtualization=on) or at EL3 (-M
 * virt,secure=on,virtualization=on). At EL3 the SCR_EL3, MDCR_EL3 and
 * CPTR_EL3 checks run first, then EL3 drops to EL2 for the rest.
 *
 * For each control: set it, run the instruction at EL1 (or EL0) through
 * lower_call(), and check that the exception reached the expected EL with the
 * exact ESR (EC, IL, ISS with Rt and direction), ELR (the instruction) and
 * vector (lower EL), and that the instruction had no effect; then that it
 * does not trap without the control, and that EL2 itself is not trapped.
 * One PASS/FAIL line per check, then the exceptions the handlers saw by
 * (from EL, to EL, EC), then `checks=N failures=M`. Exit status M != 0.
 *
 * Checks that depend on the CPU's features (RW RAO/WI, which HCR_EL2 bits
 * are RES0) read the ID registers, so the same binary checks QEMU's
 * cortex-a57 (AArch32 at EL1) and armvisor (AArch64 only) by the same rules.
 * -DTRAPS_STRICT adds the architected checks QEMU 7.2 gets wrong: HCR_EL2.TIDCP
 * traps (not implemented), HCR_EL2.TWE traps (WFE is a NOP), the level in the
 * fault status of an HCR_EL2.PTW fault (QEMU gives the stage 1 walk's level,
 * the Arm ARM the stage 2 one), SCR_EL3.EA routing of synchronous External
 * aborts (not implemented) and HVC at Secure EL1 (QEMU takes it to EL2).
 */
#include "traps.h"
#include "esr.h"

/* ---- probes (traps_asm.S): p_NAME(arg) and p_NAME_i, its instruction ---- */
#define PROBES(X) \
    X(revidr) X(aidr) X(ctr) X(ccsidr) X(clidr) X(csselr) X(csselr_w) \
    X(pfr0) X(mmfr0) X(isar0) X(dfr0) X(id_pfr0) X(mvfr0) X(id_res_3_7) X(id_res_7_7) X(midr) X(mpidr) \
    X(impdef) X(impdef_el0) X(actlr) X(actlr_w) \
    X(sctlr) X(ttbr0) X(ttbr1) X(tcr) X(esr) X(far) X(afsr0) X(afsr1) X(mair) X(amair) X(contextidr) \
    X(sctlr_w) X(ttbr0_w) X(ttbr1_w) X(tcr_w) X(esr_w) X(far_w) X(afsr0_w) X(afsr1_w) X(mair_w) \
    X(amair_w) X(contextidr_w) \
    X(dc_isw) X(dc_csw) X(dc_cisw) X(dc_ivac) X(dc_cvac) X(dc_civac) X(dc_cvau) X(ic_ivau) \
    X(ic_iallu) X(ic_ialluis) X(tlbi_vmalle1) X(tlbi_vae1) X(tlbi_aside1is) X(tlbi_vaale1) \
    X(dc_zva) X(dczid) X(smc) X(hvc) X(wfi) X(wfe) X(sevl_wfe) X(eret_wfe) \
    X(cpacr) X(cpacr_w) X(fpcr) X(cptr_el2) \
    X(mdscr) X(mdscr_w) X(dbgbvr0) X(dbgwcr1_w) X(oslsr) X(oslar_w) X(osdlr) X(mdrar) X(brk) X(ldr) \
    X(at_s12e1r) X(at_s1e1r)
#define DECLARE(n) extern char p_##n[], p_##n##_i[];
PROBES(DECLARE)
#define P(n) ((u64)p_##n)
#define I(n) ((u64)p_##n##_i)

/* ---- control registers ---- */
#define HCR_RW    (1UL << 31)
#define HCR_TWI   (1UL << 13)
#define HCR_TWE   (1UL << 14)
#define HCR_TID1  (1UL << 16)
#define HCR_TID2  (1UL << 17)
#define HCR_TID3  (1UL << 18)
#define HCR_TSC   (1UL << 19)
#define HCR_TIDCP (1UL << 20)
#define HCR_TACR  (1UL << 21)
#define HCR_TSW   (1UL << 22)
#define HCR_TPCP  (1UL << 23)
#define HCR_TPU   (1UL << 24)
#define HCR_TTLB  (1UL << 25)
#define HCR_TVM   (1UL << 26)
#define HCR_TGE   (1UL << 27)
#define HCR_TDZ   (1UL << 28)
#define HCR_HCD   (1UL << 29)
#define HCR_TRVM  (1UL << 30)
#define MDCR_TDE   (1UL << 8)
#define MDCR_TDA   (1UL << 9)
#define MDCR_TDOSA (1UL << 10)
#define MDCR_TDRA  (1UL << 11)
#define CPTR_RES1  0x33ffUL
#define CPTR_TFP   (1UL << 10)
#define CPTR_TCPAC (1UL << 31)
#define SCR_NS   (1UL << 0)
#define SCR_EA   (1UL << 3)
#define SCR_RES1 (3UL << 4)
#define SCR_SMD  (1UL << 7)
#define SCR_HCE  (1UL << 8)
#define SCR_RW   (1UL << 10)
#define SCR_TWI  (1UL << 12)
#define SCR_BASE (SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW)
/* SCTLR_EL1: RES1 bits, M, and EL0 allowed CTR_EL0 (UCT), DC ZVA (DZE), cache
 * maintenance (UCI), WFI and WFE (nTWI, nTWE) as far as EL1 is concerned. */
#define SCTLR_EL1_VALUE (0x30d00800UL | 1 | (1UL << 15) | (1UL << 14) | (1UL << 26) | (1UL << 16) | (1UL << 18))
#define SCTLR_NTWI (1UL << 16)
#define SCTLR_EL2_VALUE (0x30c50830UL | 1)
#define SPSR_EL1H (0x3c0UL | 0x5)
#define SPSR_EL0T (0x3c0UL | 0x0)
#define SPSR_EL2H (0x3c0UL | 0x9)

enum { CTL_HCR, CTL_MDCR, CTL_CPTR };

/* ---- check bookkeeping ---- */
static unsigned n_checks, n_failures;

static void chk(const char *name, const char *what, u64 got, u64 want)
{
    n_checks++;
    if (got != want)
        n_failures++;
    check2(name, what, got, want);
}

/* ---- exceptions seen by the handlers ---- */
struct exc { u64 count, esr, elr, far, spsr, off, hpfar; };
static volatile struct exc g_exc[4];          /* by the EL that took it */
static volatile u64 g_tally[4][4][64];        /* [from][to][EC], everything */
static volatile int g_abandon;                /* the next exception ends the lower call */

u64 trap_handler(struct frame *f)
{
    u64 ec = (f->esr >> 26) & 0x3f, imm = f->esr & 0xffff;
    u64 from = (f->spsr >> 2) & 3, to = f->el;
    if (f->off & 0x180) {
        printf("UNEXPECTED asynchronous exception at EL%lu vector=0x%lx esr=0x%lx elr=0x%lx\n", to, f->off, f->esr, f->elr);
        semihosting_exit(98);
    }
    g_tally[from][to][ec]++;
    /* the return of a lower_call: SVC, HVC or SMC #RET_IMM from a lower EL,
     * or the WFI of ret_wfi trapped to EL3 */
    if (from < to && ((imm == RET_IMM && (ec == 0x15 || ec == 0x16 || ec == 0x17)) ||
                      (ec == 0x01 && f->elr == (u64)ret_wfi_i)))
        return to == 1 ? 2 : 1;
    volatile struct exc *x = &g_exc[to];
    x->count++;
    x->esr = f->esr;
    x->elr = f->elr;
    x->far = f->far;
    x->spsr = f->spsr;
    x->off = f->off;
    if (to == 2)
        x->hpfar = read_sysreg(hpfar_el2);
    if (g_abandon) {
        g_abandon = 0;
        f->x[1] = SENT;
        return 1;
    }
    /* SVC, HVC and a real SMC return to the next instruction; traps and faults
     * report the instruction itself: skip it. */
    if (!(ec == 0x15 || ec == 0x16 || (ec == 0x17 && to == 3)))
        f->elr += 4;
    return 0;
}

/* ---- running things ---- */
static u64 g_stub;   /* return stub for calls from EL2 (ret_hvc unless HVC is disabled) */
static u64 g_stub3;  /* from EL3 (ret_smc unless SMC is disabled) */

static u64 el_of(u64 spsr) { return (spsr >> 2) & 3; }

static u64 call_lower(u64 fn, u64 spsr, u64 arg)
{
    u64 stub = el_of(spsr) == 0 ? (u64)ret_svc : current_el() == 3 ? g_stub3 : g_stub;
    return lower_call(fn, spsr, arg, stub);
}

static u64 call_here(u64 fn, u64 arg) { return ((u64 (*)(u64))fn)(arg); }

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

/* Check the one exception taken to `to` since the snapshot, from the EL
 * `from`: ESR, ELR, and the vector (lower EL: 0x400; same EL, SP_ELx: 0x200). */
static u64 g_esr_ignore;   /* ESR bits a check leaves out (IMPLEMENTATION DEFINED ones) */
static void expect(const char *name, u64 from, u64 to, u64 esr, u64 elr)
{
    chk(name, " taken to", taken_by(), to);
    chk(name, " esr", g_exc[to].esr & ~g_esr_ignore, esr & ~g_esr_ignore);
    chk(name, " elr", g_exc[to].elr, elr);
    u64 m = from == 0 ? 0 : (from << 2) | 1;   /* ELnh; EL0t */
    chk(name, " spsr.M and vector offset", ((g_exc[to].spsr & 0xf) << 16) | g_exc[to].off,
        (m << 16) | (from < to ? 0x400 : 0x200));
}

/* fn at the lower EL (spsr) traps to `to` with esr at elr; returns fn's result. */
static u64 traps(const char *name, u64 fn, u64 spsr, u64 arg, u64 to, u64 esr, u64 elr)
{
    snapshot();
    u64 r = call_lower(fn, spsr, arg);
    expect(name, el_of(spsr), to, esr, elr);
    return r;
}

/* fn at the lower EL (spsr) takes no exception; returns its result. */
static u64 no_trap(const char *name, const char *what, u64 fn, u64 spsr, u64 arg)
{
    snapshot();
    u64 r = call_lower(fn, spsr, arg);
    chk(name, what, taken_by(), 0);
    return r;
}

/* fn at this EL takes no exception; returns its result. */
static u64 here_no_trap(const char *name, const char *what, u64 fn, u64 arg)
{
    snapshot();
    u64 r = call_here(fn, arg);
    chk(name, what, taken_by(), 0);
    return r;
}

static u64 hcr_base = HCR_RW;
static void set_ctl(int ctl, u64 v)
{
    switch (ctl) {
    case CTL_HCR: write_sysreg(hcr_el2, hcr_base | v); break;
    case CTL_MDCR: write_sysreg(mdcr_el2, v); break;
    case CTL_CPTR: write_sysreg(cptr_el2, CPTR_RES1 | v); break;
    }
    isb();
}
static void clear_ctls(void)
{
    set_ctl(CTL_HCR, 0);
    set_ctl(CTL_MDCR, 0);
    set_ctl(CTL_CPTR, 0);
}

/* ---- MRS traps ---- */
struct mrs_case { const char *name; int ctl; u64 bit; u64 fn, insn, esr; int el0; };

/* MRS under the control: traps, does not execute, reads the same at EL1
 * without it as EL2 reads, and EL2 is not trapped. */
static void mrs_case(const struct mrs_case *c)
{
    u64 spsr = c->el0 ? SPSR_EL0T : SPSR_EL1H;
    u64 want = call_here(c->fn, 0);
    set_ctl(c->ctl, c->bit);
    u64 r = traps(c->name, c->fn, spsr, 0, 2, c->esr, c->insn);
    chk(c->name, " did not execute", r, SENT);
    r = here_no_trap(c->name, " at EL2: not trapped", c->fn, 0);
    chk(c->name, " at EL2: value", r, want);
    set_ctl(c->ctl, 0);
    r = no_trap(c->name, " without the control: not trapped", c->fn, spsr, 0);
    chk(c->name, " without the control: value", r, want);
}

static const struct mrs_case mrs_cases[] = {
    { "TID1 MRS REVIDR_EL1", CTL_HCR, HCR_TID1, P(revidr), I(revidr), RD(ENC(3, 0, 0, 0, 6), 3), 0 },
    { "TID1 MRS AIDR_EL1", CTL_HCR, HCR_TID1, P(aidr), I(aidr), RD(ENC(3, 1, 0, 0, 7), 4), 0 },
    { "TID2 MRS CTR_EL0", CTL_HCR, HCR_TID2, P(ctr), I(ctr), RD(ENC(3, 3, 0, 0, 1), 5), 0 },
    { "TID2 MRS CTR_EL0 at EL0", CTL_HCR, HCR_TID2, P(ctr), I(ctr), RD(ENC(3, 3, 0, 0, 1), 5), 1 },
    { "TID2 MRS CCSIDR_EL1", CTL_HCR, HCR_TID2, P(ccsidr), I(ccsidr), RD(ENC(3, 1, 0, 0, 0), 6), 0 },
    { "TID2 MRS CLIDR_EL1", CTL_HCR, HCR_TID2, P(clidr), I(clidr), RD(ENC(3, 1, 0, 0, 1), 7), 0 },
    { "TID2 MRS CSSELR_EL1", CTL_HCR, HCR_TID2, P(csselr), I(csselr), RD(ENC(3, 2, 0, 0, 0), 8), 0 },
    { "TID3 MRS ID_AA64PFR0_EL1", CTL_HCR, HCR_TID3, P(pfr0), I(pfr0), RD(ENC(3, 0, 0, 4, 0), 10), 0 },
    { "TID3 MRS ID_AA64MMFR0_EL1", CTL_HCR, HCR_TID3, P(mmfr0), I(mmfr0), RD(ENC(3, 0, 0, 7, 0), 11), 0 },
    { "TID3 MRS ID_AA64ISAR0_EL1", CTL_HCR, HCR_TID3, P(isar0), I(isar0), RD(ENC(3, 0, 0, 6, 0), 12), 0 },
    { "TID3 MRS ID_AA64DFR0_EL1", CTL_HCR, HCR_TID3, P(dfr0), I(dfr0), RD(ENC(3, 0, 0, 5, 0), 13), 0 },
    { "TID3 MRS ID_PFR0_EL1", CTL_HCR, HCR_TID3, P(id_pfr0), I(id_pfr0), RD(ENC(3, 0, 0, 1, 0), 14), 0 },
    { "TID3 MRS MVFR0_EL1", CTL_HCR, HCR_TID3, P(mvfr0), I(mvfr0), RD(ENC(3, 0, 0, 3, 0), 15), 0 },
    { "TID3 MRS S3_0_C0_C3_7 (reserved)", CTL_HCR, HCR_TID3, P(id_res_3_7), I(id_res_3_7), RD(ENC(3, 0, 0, 3, 7), 16), 0 },
    { "TID3 MRS S3_0_C0_C7_7 (reserved)", CTL_HCR, HCR_TID3, P(id_res_7_7), I(id_res_7_7), RD(ENC(3, 0, 0, 7, 7), 17), 0 },
    { "TACR MRS ACTLR_EL1", CTL_HCR, HCR_TACR, P(actlr), I(actlr), RD(ENC(3, 0, 1, 0, 1), 4), 0 },
    { "TRVM MRS SCTLR_EL1", CTL_HCR, HCR_TRVM, P(sctlr), I(sctlr), RD(ENC(3, 0, 1, 0, 0), 0), 0 },
    { "TRVM MRS TTBR0_EL1", CTL_HCR, HCR_TRVM, P(ttbr0), I(ttbr0), RD(ENC(3, 0, 2, 0, 0), 1), 0 },
    { "TRVM MRS TTBR1_EL1", CTL_HCR, HCR_TRVM, P(ttbr1), I(ttbr1), RD(ENC(3, 0, 2, 0, 1), 2), 0 },
    { "TRVM MRS TCR_EL1", CTL_HCR, HCR_TRVM, P(tcr), I(tcr), RD(ENC(3, 0, 2, 0, 2), 3), 0 },
    { "TRVM MRS ESR_EL1", CTL_HCR, HCR_TRVM, P(esr), I(esr), RD(ENC(3, 0, 5, 2, 0), 4), 0 },
    { "TRVM MRS FAR_EL1", CTL_HCR, HCR_TRVM, P(far), I(far), RD(ENC(3, 0, 6, 0, 0), 5), 0 },
    { "TRVM MRS AFSR0_EL1", CTL_HCR, HCR_TRVM, P(afsr0), I(afsr0), RD(ENC(3, 0, 5, 1, 0), 6), 0 },
    { "TRVM MRS AFSR1_EL1", CTL_HCR, HCR_TRVM, P(afsr1), I(afsr1), RD(ENC(3, 0, 5, 1, 1), 7), 0 },
    { "TRVM MRS MAIR_EL1", CTL_HCR, HCR_TRVM, P(mair), I(mair), RD(ENC(3, 0, 10, 2, 0), 8), 0 },
    { "TRVM MRS AMAIR_EL1", CTL_HCR, HCR_TRVM, P(amair), I(amair), RD(ENC(3, 0, 10, 3, 0), 9), 0 },
    { "TRVM MRS CONTEXTIDR_EL1", CTL_HCR, HCR_TRVM, P(contextidr), I(contextidr), RD(ENC(3, 0, 13, 0, 1), 10), 0 },
    { "TCPAC MRS CPACR_EL1", CTL_CPTR, CPTR_TCPAC, P(cpacr), I(cpacr), RD(ENC(3, 0, 1, 0, 2), 14), 0 },
    { "TDA MRS MDSCR_EL1", CTL_MDCR, MDCR_TDA, P(mdscr), I(mdscr), RD(ENC(2, 0, 0, 2, 2), 18), 0 },
    { "TDA MRS DBGBVR0_EL1", CTL_MDCR, MDCR_TDA, P(dbgbvr0), I(dbgbvr0), RD(ENC(2, 0, 0, 0, 4), 2), 0 },
    { "TDOSA MRS OSLSR_EL1", CTL_MDCR, MDCR_TDOSA, P(oslsr), I(oslsr), RD(ENC(2, 0, 1, 1, 4), 4), 0 },
    { "TDOSA MRS OSDLR_EL1", CTL_MDCR, MDCR_TDOSA, P(osdlr), I(osdlr), RD(ENC(2, 0, 1, 3, 4), 6), 0 },
    { "TDRA MRS MDRAR_EL1", CTL_MDCR, MDCR_TDRA, P(mdrar), I(mdrar), RD(ENC(2, 0, 1, 0, 0), 7), 0 },
    { "TDE MRS MDSCR_EL1", CTL_MDCR, MDCR_TDE, P(mdscr), I(mdscr), RD(ENC(2, 0, 0, 2, 2), 18), 0 },
    { "TDE MRS OSLSR_EL1", CTL_MDCR, MDCR_TDE, P(oslsr), I(oslsr), RD(ENC(2, 0, 1, 1, 4), 4), 0 },
    { "TDE MRS MDRAR_EL1", CTL_MDCR, MDCR_TDE, P(mdrar), I(mdrar), RD(ENC(2, 0, 1, 0, 0), 7), 0 },
};

/* ---- MSR traps ---- */
/* rd: the probe reading the register back (0: its value is IMPLEMENTATION
 * DEFINED, e.g. QEMU's are RAZ/WI: not compared); the write is old ^ flip. */
struct msr_case { const char *name; int ctl; u64 bit; u64 fn, insn, esr, rd, flip; };

static void msr_case(const struct msr_case *c)
{
    u64 old = c->rd ? call_here(c->rd, 0) : 0, v = old ^ c->flip;
    set_ctl(c->ctl, c->bit);
    traps(c->name, c->fn, SPSR_EL1H, v, 2, c->esr, c->insn);
    if (c->rd)
        chk(c->name, " did not execute", call_here(c->rd, 0), old);
    here_no_trap(c->name, " at EL2: not trapped", c->fn, v);
    if (c->rd)
        chk(c->name, " at EL2: written", call_here(c->rd, 0), v);
    call_here(c->fn, old);
    set_ctl(c->ctl, 0);
    no_trap(c->name, " without the control: not trapped", c->fn, SPSR_EL1H, v);
    if (c->rd)
        chk(c->name, " without the control: written", call_here(c->rd, 0), v);
    call_here(c->fn, old);
}

static const struct msr_case msr_cases[] = {
    { "TID2 MSR CSSELR_EL1", CTL_HCR, HCR_TID2, P(csselr_w), I(csselr_w), WR(ENC(3, 2, 0, 0, 0), 9), P(csselr), 1 },
    { "TACR MSR ACTLR_EL1", CTL_HCR, HCR_TACR, P(actlr_w), I(actlr_w), WR(ENC(3, 0, 1, 0, 1), 5), 0, 0 },
    { "TVM MSR SCTLR_EL1", CTL_HCR, HCR_TVM, P(sctlr_w), I(sctlr_w), WR(ENC(3, 0, 1, 0, 0), 11), P(sctlr), 1UL << 15 },
    { "TVM MSR TTBR0_EL1", CTL_HCR, HCR_TVM, P(ttbr0_w), I(ttbr0_w), WR(ENC(3, 0, 2, 0, 0), 12), P(ttbr0), 5UL << 48 },
    { "TVM MSR TTBR1_EL1", CTL_HCR, HCR_TVM, P(ttbr1_w), I(ttbr1_w), WR(ENC(3, 0, 2, 0, 1), 13), P(ttbr1), 0x1000 },
    { "TVM MSR TCR_EL1", CTL_HCR, HCR_TVM, P(tcr_w), I(tcr_w), WR(ENC(3, 0, 2, 0, 2), 14), P(tcr), 1UL << 38 },
    { "TVM MSR ESR_EL1", CTL_HCR, HCR_TVM, P(esr_w), I(esr_w), WR(ENC(3, 0, 5, 2, 0), 15), P(esr), 0x1234 },
    { "TVM MSR FAR_EL1", CTL_HCR, HCR_TVM, P(far_w), I(far_w), WR(ENC(3, 0, 6, 0, 0), 16), P(far), 0x1000 },
    { "TVM MSR AFSR0_EL1", CTL_HCR, HCR_TVM, P(afsr0_w), I(afsr0_w), WR(ENC(3, 0, 5, 1, 0), 17), 0, 0 },
    { "TVM MSR AFSR1_EL1", CTL_HCR, HCR_TVM, P(afsr1_w), I(afsr1_w), WR(ENC(3, 0, 5, 1, 1), 18), 0, 0 },
    { "TVM MSR MAIR_EL1", CTL_HCR, HCR_TVM, P(mair_w), I(mair_w), WR(ENC(3, 0, 10, 2, 0), 9), P(mair), 0xffUL << 56 },
    { "TVM MSR AMAIR_EL1", CTL_HCR, HCR_TVM, P(amair_w), I(amair_w), WR(ENC(3, 0, 10, 3, 0), 10), 0, 0 },
    { "TVM MSR CONTEXTIDR_EL1", CTL_HCR, HCR_TVM, P(contextidr_w), I(contextidr_w), WR(ENC(3, 0, 13, 0, 1), 17), P(contextidr), 0x55 },
    { "TCPAC MSR CPACR_EL1", CTL_CPTR, CPTR_TCPAC, P(cpacr_w), I(cpacr_w), WR(ENC(3, 0, 1, 0, 2), 15), P(cpacr), 2UL << 20 },
    { "TDA MSR MDSCR_EL1", CTL_MDCR, MDCR_TDA, P(mdscr_w), I(mdscr_w), WR(ENC(2, 0, 0, 2, 2), 1), P(mdscr), 1UL << 12 },
    { "TDA MSR DBGWCR1_EL1", CTL_MDCR, MDCR_TDA, P(dbgwcr1_w), I(dbgwcr1_w), WR(ENC(2, 0, 0, 1, 7), 3), 0, 0x1e0 },
    { "TDOSA MSR OSLAR_EL1", CTL_MDCR, MDCR_TDOSA, P(oslar_w), I(oslar_w), WR(ENC(2, 0, 1, 0, 4), 5), 0, 0 },
    { "TDE MSR MDSCR_EL1", CTL_MDCR, MDCR_TDE, P(mdscr_w), I(mdscr_w), WR(ENC(2, 0, 0, 2, 2), 1), P(mdscr), 1UL << 12 },
};

/* ---- SYS instructions (DC, IC, TLBI) ---- */
static u64 scratch[32] __attribute__((aligned(128)));

struct sys_case { const char *name; u64 bit; u64 fn, insn, esr; int el0; int arg; };
enum { ARG_ZERO, ARG_VA, ARG_CODE, ARG_PAGE };

/* The operand; at EL0 addresses go through the EL0-readable alias of RAM
 * (cache maintenance by VA at EL0 needs read permission). */
#define EL0_ALIAS 0x40000000UL
static u64 sys_arg(int arg, int el0)
{
    switch (arg) {
    case ARG_VA: return (u64)scratch + (el0 ? EL0_ALIAS : 0);
    case ARG_CODE: return P(revidr) + (el0 ? EL0_ALIAS : 0);
    case ARG_PAGE: return (u64)scratch >> 12;
    }
    return 0;
}

static void sys_case(const struct sys_case *c)
{
    u64 spsr = c->el0 ? SPSR_EL0T : SPSR_EL1H, a = sys_arg(c->arg, c->el0);
    set_ctl(CTL_HCR, c->bit);
    traps(c->name, c->fn, spsr, a, 2, c->esr, c->insn);
    here_no_trap(c->name, " at EL2: not trapped", c->fn, sys_arg(c->arg, 0));
    set_ctl(CTL_HCR, 0);
    no_trap(c->name, " without the control: not trapped", c->fn, spsr, a);
}

static const struct sys_case sys_cases[] = {
    { "TSW DC ISW", HCR_TSW, P(dc_isw), I(dc_isw), SYS(0, 7, 6, 2, 1), 0, ARG_ZERO },
    { "TSW DC CSW", HCR_TSW, P(dc_csw), I(dc_csw), SYS(0, 7, 10, 2, 2), 0, ARG_ZERO },
    { "TSW DC CISW", HCR_TSW, P(dc_cisw), I(dc_cisw), SYS(0, 7, 14, 2, 3), 0, ARG_ZERO },
    { "TPCP DC IVAC", HCR_TPCP, P(dc_ivac), I(dc_ivac), SYS(0, 7, 6, 1, 4), 0, ARG_VA },
    { "TPCP DC CVAC", HCR_TPCP, P(dc_cvac), I(dc_cvac), SYS(3, 7, 10, 1, 5), 0, ARG_VA },
    { "TPCP DC CVAC at EL0", HCR_TPCP, P(dc_cvac), I(dc_cvac), SYS(3, 7, 10, 1, 5), 1, ARG_VA },
    { "TPCP DC CIVAC", HCR_TPCP, P(dc_civac), I(dc_civac), SYS(3, 7, 14, 1, 6), 0, ARG_VA },
    { "TPU DC CVAU", HCR_TPU, P(dc_cvau), I(dc_cvau), SYS(3, 7, 11, 1, 7), 0, ARG_VA },
    { "TPU DC CVAU at EL0", HCR_TPU, P(dc_cvau), I(dc_cvau), SYS(3, 7, 11, 1, 7), 1, ARG_VA },
    { "TPU IC IVAU", HCR_TPU, P(ic_ivau), I(ic_ivau), SYS(3, 7, 5, 1, 8), 0, ARG_CODE },
    { "TPU IC IVAU at EL0", HCR_TPU, P(ic_ivau), I(ic_ivau), SYS(3, 7, 5, 1, 8), 1, ARG_CODE },
    { "TPU IC IALLU", HCR_TPU, P(ic_iallu), I(ic_iallu), SYS(0, 7, 5, 0, 31), 0, ARG_ZERO },
    { "TPU IC IALLUIS", HCR_TPU, P(ic_ialluis), I(ic_ialluis), SYS(0, 7, 1, 0, 31), 0, ARG_ZERO },
    { "TTLB TLBI VMALLE1", HCR_TTLB, P(tlbi_vmalle1), I(tlbi_vmalle1), SYS(0, 8, 7, 0, 31), 0, ARG_ZERO },
    { "TTLB TLBI VAE1", HCR_TTLB, P(tlbi_vae1), I(tlbi_vae1), SYS(0, 8, 7, 1, 9), 0, ARG_PAGE },
    { "TTLB TLBI ASIDE1IS", HCR_TTLB, P(tlbi_aside1is), I(tlbi_aside1is), SYS(0, 8, 3, 2, 10), 0, ARG_ZERO },
    { "TTLB TLBI VAALE1", HCR_TTLB, P(tlbi_vaale1), I(tlbi_vaale1), SYS(0, 8, 7, 7, 11), 0, ARG_PAGE },
};

/* ---- stage 1 translation for EL2 and EL1&0: RAM Normal, the rest Device ---- */
static u64 el2_l1[512] __attribute__((aligned(4096)));
static u64 el1_l1[512] __attribute__((aligned(4096)));
#define D_BLOCK   1UL
#define D_ATTR(i) ((u64)(i) << 2)   /* MAIR index: 0 Device-nGnRnE, 1 Normal */
#define D_AP01    (1UL << 6)        /* EL2 regime: AP[1] is RES1 */
#define D_SH_IS   (3UL << 8)
#define D_AF      (1UL << 10)
#define D_PXN     (1UL << 53)
#define D_XN      (1UL << 54)

static void mmu_on(void)
{
    el2_l1[0] = 0x00000000UL | D_ATTR(0) | D_AP01 | D_AF | D_XN | D_BLOCK;
    el2_l1[1] = 0x40000000UL | D_ATTR(1) | D_AP01 | D_SH_IS | D_AF | D_BLOCK;
    el1_l1[0] = 0x00000000UL | D_ATTR(0) | D_AF | D_PXN | D_XN | D_BLOCK;
    el1_l1[1] = 0x40000000UL | D_ATTR(1) | D_SH_IS | D_AF | D_BLOCK; /* EL1 RW, EL0 execute-only */
    el1_l1[2] = 0x40000000UL | D_ATTR(1) | D_AP01 | D_SH_IS | D_AF | D_XN | D_BLOCK; /* RAM again, EL0 RW */
    write_sysreg(mair_el2, 0xff00UL);
    write_sysreg(mair_el1, 0xff00UL);
    /* T0SZ = 25 (start at level 1), WBWA Inner Shareable walks, 4 KiB, 40-bit PA */
    write_sysreg(tcr_el2, (1UL << 31) | (1UL << 23) | (2UL << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | 25);
    write_sysreg(tcr_el1, (2UL << 32) | (1UL << 23) | (3UL << 12) | (1UL << 10) | (1UL << 8) | 25); /* EPD1 */
    write_sysreg(ttbr0_el2, (u64)el2_l1);
    write_sysreg(ttbr0_el1, (u64)el1_l1);
    write_sysreg(ttbr1_el1, 0);
    __asm__ volatile("dsb sy; tlbi alle2; tlbi vmalls12e1; dsb sy; isb" ::: "memory");
    write_sysreg(sctlr_el2, SCTLR_EL2_VALUE);
    write_sysreg(sctlr_el1, SCTLR_EL1_VALUE);
    isb();
}

/* ---- the checks at EL2 ---- */
static void check_mrs_msr_sys(void)
{
    for (unsigned i = 0; i < sizeof mrs_cases / sizeof mrs_cases[0]; i++)
        mrs_case(&mrs_cases[i]);
    for (unsigned i = 0; i < sizeof msr_cases / sizeof msr_cases[0]; i++)
        msr_case(&msr_cases[i]);
    for (unsigned i = 0; i < sizeof sys_cases / sizeof sys_cases[0]; i++)
        sys_case(&sys_cases[i]);
}

/* MIDR_EL1/MPIDR_EL1 are not in any ID group: at EL1 they read VPIDR/VMPIDR. */
static void check_virtual_ids(void)
{
    const char *n = "TID1|TID2|TID3 MRS MIDR_EL1";
    set_ctl(CTL_HCR, HCR_TID1 | HCR_TID2 | HCR_TID3);
    chk(n, " reads VPIDR_EL2", no_trap(n, " not trapped", P(midr), SPSR_EL1H, 0), read_sysreg(vpidr_el2));
    n = "TID1|TID2|TID3 MRS MPIDR_EL1";
    chk(n, " reads VMPIDR_EL2", no_trap(n, " not trapped", P(mpidr), SPSR_EL1H, 0), read_sysreg(vmpidr_el2));
    set_ctl(CTL_HCR, 0);
}

/* The IMPLEMENTATION DEFINED space: no register there, so UNDEFINED at EL1
 * and EL0; HCR_EL2.TIDCP traps EL1 accesses to EL2 even so, EL0 ones stay
 * UNDEFINED (this core's IMPLEMENTATION DEFINED choice; QEMU 7.2 has no TIDCP). */
static void check_tidcp(void)
{
#ifdef TRAPS_STRICT
    const char *n = "TIDCP MRS S3_0_C15_C0_0";
    set_ctl(CTL_HCR, HCR_TIDCP);
    chk(n, " did not execute", traps(n, P(impdef), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 15, 0, 0), 2), I(impdef)), SENT);
#endif
    set_ctl(CTL_HCR, 0);
    traps("no TIDCP: MRS S3_0_C15_C0_0 is UNDEFINED", P(impdef), SPSR_EL1H, 0, 1, ESR_UNDEF, I(impdef));
    set_ctl(CTL_HCR, HCR_TIDCP);
    traps("TIDCP MRS S3_3_C15_C0_0 at EL0: UNDEFINED", P(impdef_el0), SPSR_EL0T, 0, 1, ESR_UNDEF, I(impdef_el0));
    set_ctl(CTL_HCR, 0);
}

/* HCR_EL2.TDZ: DC ZVA traps at EL1 and EL0, DCZID_EL0.DZP reads 1 there. */
static void check_tdz(void)
{
    const char *n = "TDZ DC ZVA";
    u64 bs = read_sysreg(dczid_el0) & 0xf, bytes = 4UL << bs;
    for (int i = 0; i < 32; i++)
        scratch[i] = 0xaaaa5555aaaa5555UL;
    set_ctl(CTL_HCR, HCR_TDZ);
    chk("TDZ MRS DCZID_EL0", " DZP = 1 at EL1", no_trap("TDZ MRS DCZID_EL0", " at EL1: not trapped", P(dczid), SPSR_EL1H, 0), bs | 0x10);
    chk("TDZ MRS DCZID_EL0", " DZP = 1 at EL0", no_trap("TDZ MRS DCZID_EL0", " at EL0: not trapped", P(dczid), SPSR_EL0T, 0), bs | 0x10);
    chk("TDZ MRS DCZID_EL0", " DZP = 0 at EL2", read_sysreg(dczid_el0), bs);
    traps(n, P(dc_zva), SPSR_EL1H, (u64)scratch, 2, SYS(3, 7, 4, 1, 12), I(dc_zva));
    chk(n, " did not execute", scratch[0], 0xaaaa5555aaaa5555UL);
    traps("TDZ DC ZVA at EL0", P(dc_zva), SPSR_EL0T, (u64)scratch, 2, SYS(3, 7, 4, 1, 12), I(dc_zva));
    chk("TDZ DC ZVA at EL0", " did not execute", scratch[0], 0xaaaa5555aaaa5555UL);
    here_no_trap(n, " at EL2: not trapped", P(dc_zva), (u64)scratch);
    chk(n, " at EL2: zeroed the block", scratch[0] | scratch[bytes / 8 - 1], 0);
    chk(n, " at EL2: only the block", scratch[bytes / 8], 0xaaaa5555aaaa5555UL);
    set_ctl(CTL_HCR, 0);
    scratch[0] = 1;
    chk("no TDZ MRS DCZID_EL0", " DZP = 0 at EL1", no_trap("no TDZ MRS DCZID_EL0", " not trapped", P(dczid), SPSR_EL1H, 0), bs);
    no_trap(n, " without the control: not trapped", P(dc_zva), SPSR_EL1H, (u64)scratch);
    chk(n, " without the control: zeroed", scratch[0], 0);
}

/* HCR_EL2.TSC: SMC at EL1 traps with EC 0x17 and the SMC itself as ELR (the
 * SMC does not happen). HCR_EL2.HCD: HVC is UNDEFINED at EL1 and EL2. */
static void check_tsc_hcd(void)
{
    const char *n = "TSC SMC #0x1234";
    set_ctl(CTL_HCR, HCR_TSC);
    chk(n, " did not execute", traps(n, P(smc), SPSR_EL1H, 0, 2, ESR_SMC(0x1234), I(smc)), SENT);
    set_ctl(CTL_HCR, 0);
    n = "HVC #0x4321 from EL1";
    traps(n, P(hvc), SPSR_EL1H, 0, 2, ESR_HVC(0x4321), I(hvc) + 4);
    if ((read_sysreg(id_aa64pfr0_el1) >> 12) & 0xf)
        return; /* with EL3, HCR_EL2.HCD is RES0 (checked at EL3) */
    n = "HCD HVC at EL1";
    set_ctl(CTL_HCR, HCR_HCD | HCR_TSC);
    g_stub = (u64)ret_smc;
    traps(n, P(hvc), SPSR_EL1H, 0, 1, ESR_UNDEF, I(hvc));
    g_stub = (u64)ret_hvc;
    snapshot();
    call_here(P(hvc), 0);
    expect("HCD HVC at EL2", 2, 2, ESR_UNDEF, I(hvc));
    set_ctl(CTL_HCR, 0);
}

/* HCR_EL2.TWI/TWE; SCTLR_EL1.nTWI at EL0 has priority and goes to EL2 under
 * HCR_EL2.TGE. A WFI that is not trapped would wait: never run. */
static void check_wfx(void)
{
    set_ctl(CTL_HCR, HCR_TWI);
    traps("TWI WFI", P(wfi), SPSR_EL1H, 0, 2, ESR_WFX(0), I(wfi));
    traps("TWI WFI at EL0", P(wfi), SPSR_EL0T, 0, 2, ESR_WFX(0), I(wfi));
    write_sysreg(sctlr_el1, SCTLR_EL1_VALUE & ~SCTLR_NTWI);
    traps("TWI WFI at EL0 with SCTLR_EL1.nTWI = 0: to EL1 first", P(wfi), SPSR_EL0T, 0, 1, ESR_WFX(0), I(wfi));
    set_ctl(CTL_HCR, HCR_TGE);
    traps("TGE WFI at EL0 with SCTLR_EL1.nTWI = 0: to EL2", P(wfi), SPSR_EL0T, 0, 2, ESR_WFX(0), I(wfi));
    write_sysreg(sctlr_el1, SCTLR_EL1_VALUE);
    set_ctl(CTL_HCR, HCR_TWE);
    no_trap("TWE SEVL; WFE", " with the event register set: not trapped", P(sevl_wfe), SPSR_EL1H, 0);
    no_trap("TWE WFE after ERET", " an exception return sets the event register: not trapped", P(eret_wfe), SPSR_EL1H, 0);
#ifdef TRAPS_STRICT
    traps("TWE WFE", P(wfe), SPSR_EL1H, 0, 2, ESR_WFX(1), I(wfe));
#endif
    set_ctl(CTL_HCR, 0);
}

/* CPTR_EL2.TFP traps FPCR at EL1 and at EL2 itself (EC 0x07). */
static void check_tfp(void)
{
    const char *n = "TFP MRS FPCR";
    u64 want = read_sysreg(fpcr);
    set_ctl(CTL_CPTR, CPTR_TFP);
    chk(n, " did not execute", traps(n, P(fpcr), SPSR_EL1H, 0, 2, ESR_FP, I(fpcr)), SENT);
    snapshot();
    call_here(P(fpcr), 0);
    expect("TFP MRS FPCR at EL2: trapped too", 2, 2, ESR_FP, I(fpcr));
    set_ctl(CTL_CPTR, 0);
    chk(n, " without the control: value", no_trap(n, " without the control: not trapped", P(fpcr), SPSR_EL1H, 0), want);
}

/* OSLAR_EL1 (write-only) is checked through OSLSR_EL1.OSLK. */
static void check_oslar(void)
{
    const char *n = "TDOSA MSR OSLAR_EL1";
    u64 locked = call_here(P(oslsr), 0) & 2;
    set_ctl(CTL_MDCR, MDCR_TDOSA);
    traps(n, P(oslar_w), SPSR_EL1H, !locked, 2, WR(ENC(2, 0, 1, 0, 4), 5), I(oslar_w));
    chk(n, " did not execute", call_here(P(oslsr), 0) & 2, locked);
    set_ctl(CTL_MDCR, 0);
    no_trap(n, " without the control: not trapped", P(oslar_w), SPSR_EL1H, !locked);
    chk(n, " without the control: OSLK changed", call_here(P(oslsr), 0) & 2, locked ^ 2);
    call_here(P(oslar_w), locked >> 1);
}

/* MDCR_EL2.TDE (and HCR_EL2.TGE) route BRK from EL1 to EL2. */
static void check_tde_brk(void)
{
    set_ctl(CTL_MDCR, MDCR_TDE);
    traps("TDE BRK #0x77 at EL1", P(brk), SPSR_EL1H, 0, 2, ESR_BRK(0x77), I(brk));
    set_ctl(CTL_MDCR, 0);
    traps("no TDE BRK #0x77 at EL1", P(brk), SPSR_EL1H, 0, 1, ESR_BRK(0x77), I(brk));
    set_ctl(CTL_HCR, HCR_TGE);
    traps("TGE BRK #0x77 at EL0", P(brk), SPSR_EL0T, 0, 2, ESR_BRK(0x77), I(brk));
    set_ctl(CTL_HCR, 0);
}

/* HCR_EL2 keeps the fields of what is implemented (ID registers say), RW is
 * RAO/WI when EL1 cannot be AArch32, HCD is RES0 with EL3. */
static void check_hcr_fields(void)
{
    u64 pfr0 = read_sysreg(id_aa64pfr0_el1), mmfr1 = read_sysreg(id_aa64mmfr1_el1);
    u64 mmfr2 = read_sysreg(id_aa64mmfr2_el1), isar1 = read_sysreg(id_aa64isar1_el1);
    u64 mask = (1UL << 34) - 1;                  /* Armv8.0: bits 33:0 */
    if ((pfr0 >> 12) & 0xf) mask &= ~HCR_HCD;    /* EL3 implemented */
    if ((mmfr1 >> 8) & 0xf) mask |= 1UL << 34;   /* E2H: FEAT_VHE */
    if ((mmfr1 >> 16) & 0xf) mask |= 1UL << 35;  /* TLOR: FEAT_LOR */
    if ((pfr0 >> 28) & 0xf) mask |= 3UL << 36;   /* TERR, TEA: FEAT_RAS */
    if ((isar1 >> 4) & 0xff) mask |= 3UL << 40;  /* APK, API: FEAT_PAuth */
    if ((mmfr2 >> 24) & 0xf) mask |= 7UL << 42;  /* NV, NV1, AT: FEAT_NV */
    if (((mmfr2 >> 24) & 0xf) >= 2) mask |= 1UL << 45; /* NV2: FEAT_NV2 */
    if ((mmfr2 >> 40) & 0xf) mask |= 1UL << 46;  /* FWB: FEAT_S2FWB */
    u64 rw_rao = (pfr0 >> 4 & 0xf) == 1;         /* EL1: AArch64 only */
    u64 v = ~0UL & ~(7UL << 6) & ~(1UL << 34);   /* all but VF, VI, VSE and E2H (a VHE switch) */
    write_sysreg(hcr_el2, v);
    isb();
    u64 got = read_sysreg(hcr_el2);
    write_sysreg(hcr_el2, 0);
    isb();
    u64 got0 = read_sysreg(hcr_el2);
    set_ctl(CTL_HCR, 0);
    chk("HCR_EL2 written with ones", " reads the implemented fields", got, v & mask);
    chk("HCR_EL2 written with zero", " RW", got0, rw_rao ? HCR_RW : 0);
    /* E2H alone: writable with FEAT_VHE, RES0 without. With EL2's MMU off
     * meanwhile (E2H would make EL2's tables the EL2&0 regime's, where
     * AP[1], RES1 for EL2, makes them EL0-writable and so privileged
     * execute-never), and only HCR_EL2 accessed. */
    u64 sctlr = read_sysreg(sctlr_el2);
    write_sysreg(sctlr_el2, sctlr & ~1UL);
    isb();
    write_sysreg(hcr_el2, HCR_RW | (1UL << 34));
    isb();
    u64 e2h = read_sysreg(hcr_el2) & (1UL << 34);
    write_sysreg(hcr_el2, 0);
    isb();
    write_sysreg(sctlr_el2, sctlr);
    isb();
    set_ctl(CTL_HCR, 0);
    chk("HCR_EL2.E2H written", " reads 1 with FEAT_VHE, else 0", e2h, mask & (1UL << 34));
}

/* HCR_EL2.PTW: the EL1&0 stage 1 table sits in a page stage 2 maps as
 * Device. With PTW the walk takes a stage 2 Permission fault (level 3, the
 * stage 2 page), S1PTW set, HPFAR_EL2 = the table's IPA; without, translates. */
static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));
static u64 s2_l3[512] __attribute__((aligned(4096)));
#define S2_NORMAL (0xfUL << 2)      /* MemAttr: Normal Write-Back */
#define S2_DEVICE (0x0UL << 2)      /* MemAttr: Device-nGnRnE */
#define S2_RW     (3UL << 6)        /* S2AP */
#define HCR_VM    (1UL << 0)
#define HCR_PTW   (1UL << 2)
#define HCR_DC    (1UL << 12)
#ifdef TRAPS_STRICT
#define LEVEL 0UL
#else
#define LEVEL 3UL    /* the fault status code's level bits, left out */
#endif

static void tlb_flush_el1(void) { __asm__ volatile("dsb sy; tlbi vmalls12e1; dsb sy; isb" ::: "memory"); }

static void check_ptw(void)
{
    u64 t = (u64)el1_l1, va = (u64)scratch;
    u64 blk = (t - 0x40000000UL) >> 21, pg = (t >> 12) & 511;
    s2_l1[0] = S2_DEVICE | S2_RW | D_AF | D_XN | D_BLOCK;
    s2_l1[1] = (u64)s2_l2 | 3;
    for (u64 i = 0; i < 512; i++) {
        s2_l2[i] = (0x40000000UL + (i << 21)) | S2_NORMAL | S2_RW | D_SH_IS | D_AF | D_BLOCK;
        s2_l3[i] = ((t & ~0x1fffffUL) + (i << 12)) | (i == pg ? S2_DEVICE : S2_NORMAL) | S2_RW | D_SH_IS | D_AF | 3;
    }
    s2_l2[blk] = (u64)s2_l3 | 3;
    /* IPA 39 bits from level 1 (SL0 = 1), 4 KiB, WBWA Inner Shareable walks, 40-bit PA */
    write_sysreg(vtcr_el2, (1UL << 31) | (2UL << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 25);
    write_sysreg(vttbr_el2, (u64)s2_l1 | (1UL << 48));
    set_ctl(CTL_HCR, HCR_VM);
    tlb_flush_el1();
    call_here(P(at_s12e1r), va);
    isb();
    chk("no PTW AT S12E1R", " translates (PAR_EL1.F, PA)", read_sysreg(par_el1) & 0xfffffffff001UL, va & ~0xfffUL);
    set_ctl(CTL_HCR, HCR_VM | HCR_PTW);
    tlb_flush_el1();
    call_here(P(at_s12e1r), va);
    isb();
    /* F, FST = Permission fault level 3, PTW (S1PTW), S (stage 2), bit 11 RES1.
     * The level is the stage 2 one (AArch64.SecondStageTranslate: S2.level);
     * QEMU 7.2 reports the stage 1 walk's level, so only TRAPS_STRICT checks it. */
    chk("PTW AT S12E1R", " PAR_EL1 stage 2 Permission fault on the walk", read_sysreg(par_el1) & 0xfff & ~(LEVEL << 1),
        1 | (0x0fUL << 1 & ~(LEVEL << 1)) | (1UL << 8) | (1UL << 9) | (1UL << 11));
    const char *n = "PTW EL1 instruction fetch";
    g_abandon = 1;
    g_esr_ignore = LEVEL;
    chk(n, " abandoned", traps(n, P(revidr), SPSR_EL1H, 0, 2, EC(0x20) | IL | (1UL << 7) | 0x0f, P(revidr)), SENT);
    g_esr_ignore = 0;
    chk(n, " far", g_exc[2].far, P(revidr));
    chk(n, " hpfar", g_exc[2].hpfar, (t >> 12) << 4);
    set_ctl(CTL_HCR, 0);
    tlb_flush_el1();
}

/* HCR_EL2.DC: EL1&0 stage 1 behaves as disabled whatever SCTLR_EL1.M says,
 * with Normal Write-Back Non-shareable memory instead of Device-nGnRnE
 * (AT S1E1R reports it in PAR_EL1.ATTR and SH). Stage 2 (check_ptw's
 * tables) is on: DC makes HCR_EL2.VM behave as 1. */
#define PAR_PA_ATTR_SH_F (0xff0000fffffff000UL | (3UL << 7) | 1)
static void check_dc(void)
{
    u64 va = (u64)scratch;
    write_sysreg(sctlr_el1, SCTLR_EL1_VALUE & ~1UL);
    isb();
    call_here(P(at_s1e1r), va);
    isb();
    /* (SH of Device memory, 0b10, is the mmu guest's MMU_STRICT check: QEMU 7.2 gives 0b00) */
    chk("SCTLR_EL1.M = 0 AT S1E1R", " PAR_EL1: Device-nGnRnE", read_sysreg(par_el1) & PAR_PA_ATTR_SH_F & ~(3UL << 7),
        va & ~0xfffUL);
    write_sysreg(sctlr_el1, SCTLR_EL1_VALUE);
    set_ctl(CTL_HCR, HCR_DC);
    tlb_flush_el1();
    call_here(P(at_s1e1r), va);
    isb();
    chk("DC AT S1E1R with SCTLR_EL1.M = 1", " PAR_EL1: stage 1 off, Normal Write-Back, Non-shareable",
        read_sysreg(par_el1) & PAR_PA_ATTR_SH_F, (va & ~0xfffUL) | (0xffUL << 56));
    const char *n = "DC MRS REVIDR_EL1 at EL1";
    chk(n, " value", no_trap(n, " runs (stage 1 off, stage 2 on)", P(revidr), SPSR_EL1H, 0), read_sysreg(revidr_el1));
    set_ctl(CTL_HCR, 0);
    tlb_flush_el1();
}

static void el2_checks(void)
{
    write_sysreg(vbar_el2, (u64)vectors_el2);
    write_sysreg(vbar_el1, (u64)vectors_el1);
    write_sysreg(cpacr_el1, 3UL << 20);
    g_stub = (u64)ret_hvc;
    clear_ctls();
    mmu_on();
    printf("el2-traps at EL2\n");
    check_mrs_msr_sys();
    check_virtual_ids();
    check_tidcp();
    check_tdz();
    check_tsc_hcd();
    check_wfx();
    check_tfp();
    check_oslar();
    check_tde_brk();
    check_hcr_fields();
    check_ptw();
    check_dc();
}

/* ---- the checks at EL3: SCR_EL3, MDCR_EL3, CPTR_EL3 ---- */
#define NOTHING 0x09008000UL   /* no device there: a synchronous External abort (DFSC 0x10) */
#define MDCR_EL3_TDA   (1UL << 9)
#define MDCR_EL3_TDOSA (1UL << 10)

static void set_scr(u64 v) { write_sysreg(scr_el3, v); isb(); }
static void set_hcr(u64 v) { write_sysreg(hcr_el2, HCR_RW | v); isb(); }

/* A load from NOTHING at the EL of spsr: a synchronous External abort taken to `to`. */
static void external_abort(const char *n, u64 spsr, u64 to)
{
    u64 ec = to > el_of(spsr) ? 0x24 : 0x25;
    chk(n, " did not load", traps(n, P(ldr), spsr, NOTHING, to, ESR_DABT(ec, 0x10), I(ldr)), SENT);
    chk(n, " far", g_exc[to].far, NOTHING);
}

static void el3_scr_checks(void)
{
    const char *n;
    set_scr(SCR_BASE | SCR_TWI);
    traps("SCR_EL3.TWI WFI at EL2", P(wfi), SPSR_EL2H, 0, 3, ESR_WFX(0), I(wfi));
    traps("SCR_EL3.TWI WFI at EL1", P(wfi), SPSR_EL1H, 0, 3, ESR_WFX(0), I(wfi));
    set_hcr(HCR_TWI);
    traps("SCR_EL3.TWI WFI at EL1 with HCR_EL2.TWI: to EL2 first", P(wfi), SPSR_EL1H, 0, 2, ESR_WFX(0), I(wfi));
    set_hcr(0);

    /* SMD: SMC UNDEFINED at EL1 and EL2, except that HCR_EL2.TSC still traps it
     * (the lower calls return through a WFI that SCR_EL3.TWI traps). */
    set_scr(SCR_BASE | SCR_TWI | SCR_SMD);
    g_stub3 = (u64)ret_wfi;
    traps("SCR_EL3.SMD SMC at EL2: UNDEFINED", P(smc), SPSR_EL2H, 0, 2, ESR_UNDEF, I(smc));
    traps("SCR_EL3.SMD SMC at EL1: UNDEFINED", P(smc), SPSR_EL1H, 0, 1, ESR_UNDEF, I(smc));
    set_hcr(HCR_TSC);
    traps("SCR_EL3.SMD SMC at EL1 with HCR_EL2.TSC: trapped to EL2", P(smc), SPSR_EL1H, 0, 2, ESR_SMC(0x1234), I(smc));
    set_hcr(0);
    g_stub3 = (u64)ret_smc;

    set_scr(SCR_BASE & ~SCR_HCE);
    traps("SCR_EL3.HCE = 0 HVC at EL2: UNDEFINED", P(hvc), SPSR_EL2H, 0, 2, ESR_UNDEF, I(hvc));
    traps("SCR_EL3.HCE = 0 HVC at EL1: UNDEFINED", P(hvc), SPSR_EL1H, 0, 1, ESR_UNDEF, I(hvc));
    set_scr(SCR_BASE);
    traps("SCR_EL3.HCE = 1 HVC at EL1", P(hvc), SPSR_EL1H, 0, 2, ESR_HVC(0x4321), I(hvc) + 4);

    /* EA: synchronous External aborts to EL3 (AArch64.DataAbort's route_to_el3;
     * QEMU 7.2 routes them as any other abort: TRAPS_STRICT). Whether the
     * ISS holds the instruction syndrome (ISV..AR) and the EA bit of an
     * External abort is IMPLEMENTATION DEFINED without FEAT_RAS: not compared. */
    g_esr_ignore = (0x7ffUL << 14) | (1UL << 9);
#ifdef TRAPS_STRICT
    set_scr(SCR_BASE | SCR_EA);
    external_abort("SCR_EL3.EA load from nothing at EL2", SPSR_EL2H, 3);
    external_abort("SCR_EL3.EA load from nothing at EL1", SPSR_EL1H, 3);
    set_scr(SCR_BASE);
#endif
    external_abort("no SCR_EL3.EA load from nothing at EL2", SPSR_EL2H, 2);
    external_abort("no SCR_EL3.EA load from nothing at EL1", SPSR_EL1H, 1);
    g_esr_ignore = 0;

    /* NS = 0: EL1 is Secure, where EL2 is not enabled: HCR_EL2 has no effect. */
    set_scr(SCR_BASE & ~SCR_NS);
    set_hcr(HCR_TID1);
    n = "Secure EL1 with HCR_EL2.TID1 MRS REVIDR_EL1";
    chk(n, " value", no_trap(n, " not trapped", P(revidr), SPSR_EL1H, 0), read_sysreg(revidr_el1));
#ifdef TRAPS_STRICT  /* QEMU 7.2 takes it to EL2 (pre_hvc: "FIXME: Use actual secure state") */
    traps("Secure EL1 HVC: UNDEFINED", P(hvc), SPSR_EL1H, 0, 1, ESR_UNDEF, I(hvc));
#endif
    set_hcr(0);
    set_scr(SCR_BASE);

    /* RW is RAO/WI when EL2 cannot be AArch32 */
    u64 rao = ((read_sysreg(id_aa64pfr0_el1) >> 8) & 0xf) == 1;
    write_sysreg(scr_el3, SCR_BASE & ~SCR_RW);
    u64 got = read_sysreg(scr_el3);
    set_scr(SCR_BASE);
    chk("SCR_EL3 written with RW = 0", " RW", got & SCR_RW, rao ? SCR_RW : 0);
}

static void el3_debug_cptr_checks(void)
{
    const char *n;
    write_sysreg(mdcr_el3, MDCR_EL3_TDA);
    isb();
    traps("MDCR_EL3.TDA MRS MDSCR_EL1 at EL2", P(mdscr), SPSR_EL2H, 0, 3, RD(ENC(2, 0, 0, 2, 2), 18), I(mdscr));
    traps("MDCR_EL3.TDA MRS MDSCR_EL1 at EL1", P(mdscr), SPSR_EL1H, 0, 3, RD(ENC(2, 0, 0, 2, 2), 18), I(mdscr));
    traps("MDCR_EL3.TDA MRS MDRAR_EL1 at EL2", P(mdrar), SPSR_EL2H, 0, 3, RD(ENC(2, 0, 1, 0, 0), 7), I(mdrar));
    write_sysreg(mdcr_el2, MDCR_TDA);
    isb();
    traps("MDCR_EL3.TDA MRS MDSCR_EL1 at EL1 with MDCR_EL2.TDA: to EL2 first", P(mdscr), SPSR_EL1H, 0, 2,
          RD(ENC(2, 0, 0, 2, 2), 18), I(mdscr));
    write_sysreg(mdcr_el2, 0);
    no_trap("MDCR_EL3.TDA MRS OSLSR_EL1 at EL2", " not trapped (TDOSA's)", P(oslsr), SPSR_EL2H, 0);
    write_sysreg(mdcr_el3, MDCR_EL3_TDOSA);
    isb();
    traps("MDCR_EL3.TDOSA MRS OSLSR_EL1 at EL2", P(oslsr), SPSR_EL2H, 0, 3, RD(ENC(2, 0, 1, 1, 4), 4), I(oslsr));
    no_trap("MDCR_EL3.TDOSA MRS MDSCR_EL1 at EL2", " not trapped (TDA's)", P(mdscr), SPSR_EL2H, 0);
    write_sysreg(mdcr_el3, 0);

    write_sysreg(cptr_el3, CPTR_TCPAC);
    isb();
    n = "CPTR_EL3.TCPAC MRS CPACR_EL1 at EL1";
    chk(n, " did not execute", traps(n, P(cpacr), SPSR_EL1H, 0, 3, RD(ENC(3, 0, 1, 0, 2), 14), I(cpacr)), SENT);
    traps("CPTR_EL3.TCPAC MRS CPACR_EL1 at EL2", P(cpacr), SPSR_EL2H, 0, 3, RD(ENC(3, 0, 1, 0, 2), 14), I(cpacr));
    traps("CPTR_EL3.TCPAC MRS CPTR_EL2 at EL2", P(cptr_el2), SPSR_EL2H, 0, 3, RD(ENC(3, 4, 1, 1, 2), 17), I(cptr_el2));
    write_sysreg(cptr_el2, CPTR_RES1 | CPTR_TCPAC);
    isb();
    traps("CPTR_EL3.TCPAC MRS CPACR_EL1 at EL1 with CPTR_EL2.TCPAC: to EL2 first", P(cpacr), SPSR_EL1H, 0, 2,
          RD(ENC(3, 0, 1, 0, 2), 14), I(cpacr));
    write_sysreg(cptr_el2, CPTR_RES1);
    write_sysreg(cptr_el3, 0);
    isb();
    no_trap("no CPTR_EL3.TCPAC MRS CPTR_EL2 at EL2", " not trapped", P(cptr_el2), SPSR_EL2H, 0);
}

static void el3_checks(void)
{
    write_sysreg(vbar_el2, (u64)vectors_el2);
    write_sysreg(vbar_el1, (u64)vectors_el1);
    write_sysreg(sctlr_el2, SCTLR_EL2_VALUE & ~1UL);
    write_sysreg(sctlr_el1, SCTLR_EL1_VALUE & ~1UL);
    write_sysreg(hcr_el2, HCR_RW);
    write_sysreg(mdcr_el2, 0);
    write_sysreg(cptr_el2, CPTR_RES1);
    write_sysreg(cpacr_el1, 3UL << 20);
    write_sysreg(mdcr_el3, 0);
    write_sysreg(cptr_el3, 0);
    g_stub3 = (u64)ret_smc;
    set_scr(SCR_BASE);
    printf("el2-traps at EL3\n");
    el3_scr_checks();
    el3_debug_cptr_checks();
}

static u64 el2_entry(u64 arg)
{
    (void)arg;
    el2_checks();
    return 0;
}

static void report(void)
{
    for (int from = 0; from < 4; from++)
        for (int to = 0; to < 4; to++)
            for (int ec = 0; ec < 64; ec++)
                if (g_tally[from][to][ec])
                    printf("exceptions EL%d->EL%d ec=0x%02x %lu\n", from, to, ec, g_tally[from][to][ec]);
    printf("checks=%u failures=%u\n", n_checks, n_failures);
}

int main(void)
{
    if (current_el() == 3) {
        write_sysreg(vbar_el3, (u64)vectors_el3);
        el3_checks();
        lower_call((u64)el2_entry, SPSR_EL2H, 0, (u64)ret_smc);
    } else if (current_el() == 2) {
        el2_checks();
    } else {
        printf("el2-traps needs EL2 or EL3 (entered at EL%u)\n", current_el());
        return 1;
    }
    report();
    return n_failures != 0;
}
