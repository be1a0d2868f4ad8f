/*
 * vhe: FEAT_VHE (Armv8.1 Virtualization Host Extensions) checked from EL2
 * against the Arm ARM (D5 "The Virtualization Host Extensions", the register
 * descriptions and their access pseudocode, AArch64.TakeException,
 * AArch64.CheckFPAdvSIMDEnabled, the TLBI and AT descriptions).
 *
 * Boots at EL2 (QEMU -M virt,virtualization=on -cpu max). Checks, with
 * HCR_EL2.E2H set:
 *  - register redirection: an EL1 encoding (and an EL0 timer encoding)
 *    executed at EL2 accesses the EL2 register, *_EL12 / *_EL02 reach the
 *    EL1 / EL0 ones, which the EL1 encodings reach again once E2H is clear;
 *    *_EL12 is UNDEFINED without E2H, and at EL1;
 *  - CPTR_EL2 in its E2H layout (FPEN in bits 21:20, TFP gone) and CNTHCTL_EL2
 *    in its E2H layout (EL1PCTEN, EL1PTEN in bits 10, 11; EL0PCTEN, EL0VCTEN,
 *    EL0VTEN, EL0PTEN for the host's EL0), CNTVOFF_EL2 not applied to the
 *    EL2&0 regime's virtual count, the EL2 virtual timer CNTHV_*;
 *  - the EL2&0 translation regime: TTBR1_EL2's upper VA range, non-global
 *    entries tagged by ASID (one VA under two ASIDs), TLBI VAE2 with an ASID
 *    and the EL1 TLBIs under TGE, AT, PAN at EL2, LDTR at EL2 under TGE;
 *  - HCR_EL2.TGE: the host's EL0 runs in the EL2&0 regime and its
 *    exceptions go to EL2 (ESR_EL2, ELR_EL2, the lower-EL vector), PSTATE.PAN
 *    set on entry when SCTLR_EL2.SPAN is clear.
 * One PASS/FAIL line per check, then `N passed, M failed`; exit status M != 0.
 *
 * Data aborts are compared on EC, IL, WnR and the fault status code only:
 * the instruction syndrome (ISV and what follows it) of a stage 1 abort
 * taken to EL2 differs between implementations for single loads.
 */
#include "vhe.h"
#include "esr.h"

/* ---- probes (vhe_asm.S): p_NAME(arg) and p_NAME_i, its instruction ---- */
#define PROBES(X) \
    X(sctlr_el12) X(cntv_ctl_el02) X(fpcr) X(ldp) X(ldtr) X(cntpct) X(cntp_ctl) \
    X(e0_svc) X(e0_undef) X(e0_ldp) X(e0_cntpct) X(e0_cntvct) X(e0_cntp_ctl) X(e0_cntv_ctl) X(e0_fpcr)
#define DECLARE(n) extern char p_##n[], p_##n##_i[];
PROBES(DECLARE)
#define P(n) ((u64)p_##n)
#define I(n) ((u64)p_##n##_i)

/* ---- ESR_ELx (esr.h) ---- */
#define ABORT_CORE(esr) ((esr) & (0xfc000000UL | IL | (1UL << 6) | 0x3f))  /* EC, IL, WnR, DFSC */
#define DFSC_PERM_L3  0x0f

/* ---- system registers ---- */
#define HCR_RW    (1UL << 31)
#define HCR_TGE   (1UL << 27)
#define HCR_E2H   (1UL << 34)
#define SPSR_EL0T 0x3c0UL          /* DAIF masked */
#define SPSR_EL1H 0x3c5UL
#define PSTATE_PAN (1UL << 22)
/* SCTLR_EL2 in its E2H layout (SCTLR_EL1's): RES1 bits, EIS, TSCXT, EOS,
 * nTWI, nTWE; UCT, UCI, DZE for the host's EL0; alignment checks off; SPAN
 * (bit 23) apart. */
#define SCTLR_M    (1UL << 0)
#define SCTLR_C    (1UL << 2)
#define SCTLR_I    (1UL << 12)
#define SCTLR_UCT  (1UL << 15)
#define SCTLR_SPAN (1UL << 23)
#define SCTLR_E2H_BASE (0x30500800UL | (1UL << 14) | (1UL << 16) | (1UL << 18) | (1UL << 26))
#define SCTLR_EL1_OFF  0x30d00800UL
#define CPTR_FPEN(v)   ((u64)(v) << 20)
#define CPTR_TFP       (1UL << 10)

static void set_hcr(u64 v)
{
    write_sysreg(hcr_el2, HCR_RW | v);
    isb();
}

/* ---- exception bookkeeping ---- */
static volatile struct {
    u64 count, esr, elr, far, spsr, el, off, pan;
} last;

static void clear_last(void) { last.count = 0; last.esr = last.elr = last.far = last.el = last.off = last.pan = ~0UL; }

u64 vhe_handler(struct frame *f)
{
    u64 ec = f->esr >> 26, from = (f->spsr >> 2) & 3;
    int sync = (f->off & 0x180) == 0;
    /* The lower-EL return stubs: the call is over, frame.x1 is its result. */
    if (sync && (ec == 0x15 || ec == 0x16) && (f->esr & 0xffff) == RET_IMM && f->el == 2) return 1;
    last.count++;
    last.esr = sync ? f->esr : 0;
    last.elr = f->elr;
    last.far = f->far;
    last.spsr = f->spsr;
    last.el = f->el;
    last.off = f->off;
    last.pan = read_sysreg(pan);
    if (f->el == 1) { f->x[1] = TRAPPED; return 2; }
    if (from < f->el) { f->x[1] = TRAPPED; return 1; }
    f->elr += 4;            /* a probe at EL2: skip its instruction */
    return 0;
}

static u64 call_el1(u64 fn, u64 arg) { return lower_call(fn, SPSR_EL1H, arg, (u64)ret_hvc); }
static u64 call_el0(u64 fn, u64 arg)
{
    u64 r = lower_call(fn, SPSR_EL0T, arg, (u64)ret_svc);
    __asm__ volatile("msr pan, #0" ::: "memory");   /* as if SCTLR_EL2.SPAN had been set */
    return r;
}

static void chk(const char *name, u64 got, u64 want) { check(name, got, want); }

/* An exception the probe at `insn` took: to `el`, with this ESR and ELR. */
static void chk_exc(const char *name, u64 el, u64 esr, u64 elr)
{
    check2(name, ": one exception", last.count, 1);
    check2(name, ": to EL", last.el, el);
    check2(name, ": ESR", last.esr, esr);
    check2(name, ": ELR", last.elr, elr);
}
static void chk_none(const char *name) { check2(name, ": no exception", last.count, 0); }

/* ---- register redirection ----
 * For each register: the EL2 register is preset (Z) with E2H set, the EL1
 * one written through *_EL12 (X), then the EL1 encoding written (Y) at EL2.
 * The EL2 encoding and the EL1 encoding read Y, *_EL12 reads X, and with
 * E2H clear the EL1 encoding reads X. AFSR0/1 and AMAIR are IMPLEMENTATION
 * DEFINED and may be RAZ/WI: for those a register that reads 0 passes. */
#define ACC(r) \
    static u64 rd_##r(void) { return read_sysreg(r); } \
    static void wr_##r(u64 v) { write_sysreg(r, v); isb(); }
#define REGS(X) X(sctlr_el1) X(sctlr_el2) X(sctlr_el12) X(cpacr_el1) X(cptr_el2) X(cpacr_el12) \
    X(ttbr0_el1) X(ttbr0_el2) X(ttbr0_el12) X(ttbr1_el1) X(ttbr1_el2) X(ttbr1_el12) \
    X(tcr_el1) X(tcr_el2) X(tcr_el12) X(esr_el1) X(esr_el2) X(esr_el12) \
    X(afsr0_el1) X(afsr0_el2) X(afsr0_el12) X(afsr1_el1) X(afsr1_el2) X(afsr1_el12) \
    X(far_el1) X(far_el2) X(far_el12) X(mair_el1) X(mair_el2) X(mair_el12) \
    X(amair_el1) X(amair_el2) X(amair_el12) X(vbar_el1) X(vbar_el2) X(vbar_el12) \
    X(contextidr_el1) X(contextidr_el2) X(contextidr_el12) X(elr_el1) X(elr_el2) X(elr_el12) \
    X(spsr_el1) X(spsr_el2) X(spsr_el12) X(cntkctl_el1) X(cnthctl_el2) X(cntkctl_el12) \
    X(cntp_cval_el0) X(cnthp_cval_el2) X(cntp_cval_el02) X(cntv_cval_el0) X(cnthv_cval_el2) X(cntv_cval_el02)
REGS(ACC)

struct redir {
    const char *el1, *el2, *el12;
    u64 (*rd1)(void); void (*wr1)(u64);
    u64 (*rd2)(void); void (*wr2)(u64);
    u64 (*rd12)(void); void (*wr12)(u64);
    u64 x, y, z;
    int impdef;
};
#define R(a, b, c, x, y, z, imp) { #a, #b, #c, rd_##a, wr_##a, rd_##b, wr_##b, rd_##c, wr_##c, x, y, z, imp }

static const struct redir redirs[] = {
    R(sctlr_el1, sctlr_el2, sctlr_el12, SCTLR_EL1_OFF | SCTLR_UCT, SCTLR_E2H_BASE ^ SCTLR_UCT, SCTLR_E2H_BASE, 0),
    R(cpacr_el1, cptr_el2, cpacr_el12, CPTR_FPEN(1), CPTR_FPEN(3), 0, 0),
    R(ttbr0_el1, ttbr0_el2, ttbr0_el12, 0x0011000040010000UL, 0x0022000040020000UL, 0x0033000040030000UL, 0),
    R(ttbr1_el1, ttbr1_el2, ttbr1_el12, 0x0044000040040000UL, 0x0055000040050000UL, 0x0066000040060000UL, 0),
    R(tcr_el1, tcr_el2, tcr_el12, 0x0000000280803518UL, 0x0000000180992519UL, 0x000000028099351aUL, 0),
    R(esr_el1, esr_el2, esr_el12, 0x56001111UL, 0x56002222UL, 0x56003333UL, 0),
    R(afsr0_el1, afsr0_el2, afsr0_el12, 0x11UL, 0x22UL, 0x33UL, 1),
    R(afsr1_el1, afsr1_el2, afsr1_el12, 0x44UL, 0x55UL, 0x66UL, 1),
    R(far_el1, far_el2, far_el12, 0x1111222233334444UL, 0x5555666677778888UL, 0x9999aaaabbbbccccUL, 0),
    R(mair_el1, mair_el2, mair_el12, 0x4400ff04UL, 0xff0444UL, 0x04ff44UL, 0),
    R(amair_el1, amair_el2, amair_el12, 0x11UL, 0x22UL, 0x33UL, 1),
    R(vbar_el1, vbar_el2, vbar_el12, 0x40100800UL, 0x40101000UL, 0x40101800UL, 0),
    R(contextidr_el1, contextidr_el2, contextidr_el12, 0x1111UL, 0x2222UL, 0x3333UL, 0),
    R(elr_el1, elr_el2, elr_el12, 0x40081114UL, 0x40082228UL, 0x4008333cUL, 0),
    R(spsr_el1, spsr_el2, spsr_el12, 0x3c5UL, 0x600003c9UL, 0x3c0UL, 0),
    R(cntkctl_el1, cnthctl_el2, cntkctl_el12, 0x303UL, 0xf03UL, 0xc03UL, 0),
    R(cntp_cval_el0, cnthp_cval_el2, cntp_cval_el02, 0x111111111UL, 0x222222222UL, 0x333333333UL, 0),
    R(cntv_cval_el0, cnthv_cval_el2, cntv_cval_el02, 0x444444444UL, 0x555555555UL, 0x666666666UL, 0),
};
#define NREDIR (sizeof(redirs) / sizeof(redirs[0]))

/* name of a check: "<a> <text> <b>" */
static char namebuf[160];
static const char *nm(const char *a, const char *text, const char *b)
{
    char *p = namebuf;
    for (const char *s = a; *s && p < namebuf + 70; s++) *p++ = *s >= 'a' && *s <= 'z' ? *s - 32 : *s;
    *p++ = ' ';
    for (const char *s = text; *s && p < namebuf + 140; s++) *p++ = *s;
    *p++ = ' ';
    for (const char *s = b; *s && p < namebuf + 158; s++) *p++ = *s >= 'a' && *s <= 'z' ? *s - 32 : *s;
    *p = 0;
    return namebuf;
}

/* RAZ/WI passes for IMPLEMENTATION DEFINED registers: the value read is
 * what was written, or 0 when the register reads 0 everywhere. */
static void chk_val(const char *name, u64 got, u64 want, int impdef, u64 read_elsewhere)
{
    if (impdef && got == 0 && read_elsewhere == 0) want = 0;
    chk(name, got, want);
}

static void check_redirection(void)
{
    u64 save1[NREDIR], save2[NREDIR];
    set_hcr(HCR_E2H);
    for (unsigned i = 0; i < NREDIR; i++) {
        const struct redir *r = &redirs[i];
        save1[i] = r->rd12();
        save2[i] = r->rd2();
        r->wr2(r->z);
        r->wr12(r->x);
        r->wr1(r->y);
        u64 via2 = r->rd2(), via1 = r->rd1(), via12 = r->rd12();
        /* restore EL2's own (SCTLR_EL2, CPTR_EL2, VBAR_EL2, ... matter to this code) */
        r->wr2(save2[i]);
        chk_val(nm(r->el1, "at EL2 with E2H writes", r->el2), via2, r->y, r->impdef, via1);
        chk_val(nm(r->el1, "at EL2 with E2H reads", r->el2), via1, via2, r->impdef, via2);
        chk_val(nm(r->el12, "reaches", r->el1), via12, r->x, r->impdef, via12);
    }
    set_hcr(0);
    for (unsigned i = 0; i < NREDIR; i++) {
        const struct redir *r = &redirs[i];
        u64 v = r->rd1();
        chk_val(nm(r->el1, "at EL2 without E2H is", r->el1), v, r->x, r->impdef, v);
        r->wr1(save1[i]);
    }
}

/* *_EL12 and *_EL02 without E2H, and at EL1: UNDEFINED. QEMU 7.2 reads
 * SCTLR_EL12 as SCTLR_EL1 and traps CNTV_CTL_EL02 with EC 0x18 at EL2
 * without E2H: those two checks are in the VHE_STRICT build only. */
static void check_el12_undefined(void)
{
    u64 v;
#ifdef VHE_STRICT
    set_hcr(0);
    clear_last();
    v = ((u64 (*)(u64))p_sctlr_el12)(0);
    chk("SCTLR_EL12 at EL2 without E2H: UNDEFINED", v, SENT);
    chk_exc("SCTLR_EL12 at EL2 without E2H", 2, ESR_UNDEF, I(sctlr_el12));
    clear_last();
    v = ((u64 (*)(u64))p_cntv_ctl_el02)(0);
    chk("CNTV_CTL_EL02 at EL2 without E2H: UNDEFINED", v, SENT);
    chk_exc("CNTV_CTL_EL02 at EL2 without E2H", 2, ESR_UNDEF, I(cntv_ctl_el02));
#endif
    set_hcr(HCR_E2H);
    clear_last();
    v = call_el1(P(sctlr_el12), 0);
    chk("SCTLR_EL12 at EL1 (E2H set): UNDEFINED", v, TRAPPED);
    chk_exc("SCTLR_EL12 at EL1", 1, ESR_UNDEF, I(sctlr_el12));
    /* TTBR1_EL2, CONTEXTIDR_EL2 exist at EL2 whatever E2H says. */
    set_hcr(0);
    u64 t = read_sysreg(ttbr1_el2), c = read_sysreg(contextidr_el2);
    write_sysreg(ttbr1_el2, 0x0077000040070000UL);
    write_sysreg(contextidr_el2, 0x4444);
    isb();
    chk("TTBR1_EL2 without E2H", read_sysreg(ttbr1_el2), 0x0077000040070000UL);
    chk("CONTEXTIDR_EL2 without E2H", read_sysreg(contextidr_el2), 0x4444);
    write_sysreg(ttbr1_el2, t);
    write_sysreg(contextidr_el2, c);
    isb();
}

/* ---- the counters and timers ---- */
static u64 cntpct(void) { isb(); return read_sysreg(cntpct_el0); }
static u64 cntvct(void) { isb(); return read_sysreg(cntvct_el0); }
static int between(u64 lo, u64 v, u64 hi) { return lo <= v && v <= hi; }

static void check_timers(void)
{
    const u64 off = 1UL << 40;
    write_sysreg(cntvoff_el2, off);
    set_hcr(HCR_E2H);
    u64 p1 = cntpct(), v = cntvct(), p2 = cntpct();
    chk("CNTVCT_EL0 at EL2 with E2H: no CNTVOFF_EL2", between(p1, v, p2), 1);
    set_hcr(0);
    p1 = cntpct(); v = cntvct(); p2 = cntpct();
    chk("CNTVCT_EL0 at EL2 without E2H: minus CNTVOFF_EL2", between(p1 - off, v, p2 - off), 1);
    set_hcr(HCR_E2H);

    /* The EL2 virtual timer: ISTATUS against the physical count. */
    write_sysreg(cntv_ctl_el02, 0);
    write_sysreg(cnthv_cval_el2, 0);
    write_sysreg(cnthv_ctl_el2, 3);          /* ENABLE, IMASK */
    isb();
    chk("CNTHV_CTL_EL2 ISTATUS with CNTHV_CVAL_EL2 <= count", read_sysreg(cnthv_ctl_el2), 7);
    chk("CNTV_CTL_EL0 at EL2 with E2H reads CNTHV_CTL_EL2", read_sysreg(cntv_ctl_el0), 7);
    chk("CNTV_CTL_EL02 reads the EL1 virtual timer", read_sysreg(cntv_ctl_el02), 0);
    write_sysreg(cnthv_cval_el2, ~0UL);
    isb();
    chk("CNTHV_CTL_EL2 ISTATUS clear with CNTHV_CVAL_EL2 > count", read_sysreg(cnthv_ctl_el2), 3);
    /* TVAL: CVAL = count + TVAL, count the physical one (not minus CNTVOFF_EL2). */
    p1 = cntpct();
    write_sysreg(cnthv_tval_el2, 0x1000000);
    p2 = cntpct();
    u64 cval = read_sysreg(cnthv_cval_el2);
    chk("CNTHV_TVAL_EL2 write: CVAL = physical count + TVAL", between(p1 + 0x1000000, cval, p2 + 0x1000000), 1);
    p1 = cntpct();
    u64 tval = read_sysreg(cnthv_tval_el2) & 0xffffffffUL;
    p2 = cntpct();
    chk("CNTHV_TVAL_EL2 read: CVAL - physical count", between(cval - p2, tval, cval - p1), 1);
    /* A virtual count 2^40 ahead of the physical one: the EL1 virtual timer
     * (CNTV_*_EL02) fires at CVAL = physical + 2^39, the EL2 one does not. */
    write_sysreg(cntvoff_el2, -off);
    p1 = cntpct();
    write_sysreg(cntv_cval_el02, p1 + (off >> 1));
    write_sysreg(cntv_ctl_el02, 3);
    write_sysreg(cnthv_cval_el2, p1 + (off >> 1));
    isb();
    chk("CNTV_CTL_EL02 ISTATUS: the EL1 virtual timer counts CNTVOFF_EL2", read_sysreg(cntv_ctl_el02), 7);
    chk("CNTHV_CTL_EL2 ISTATUS: the EL2 virtual timer does not", read_sysreg(cnthv_ctl_el2), 3);
    write_sysreg(cntv_ctl_el02, 0);
    write_sysreg(cnthv_ctl_el2, 0);
    write_sysreg(cntvoff_el2, 0);
    isb();
}

/* CNTHCTL_EL2 in its E2H layout at EL1 (E2H set, TGE clear): EL1PCTEN is
 * bit 10, EL1PTEN bit 11 (bits 0 and 1 without E2H). */
static void check_cnthctl_el1(void)
{
    static const struct { const char *name; u64 e2h, cnthctl, fn, insn, esr; } t[] = {
        { "EL1 CNTPCT_EL0, E2H, CNTHCTL_EL2 bit 10 clear: traps to EL2", HCR_E2H, 0x3, P(cntpct), I(cntpct), RD(ENC(3, 3, 14, 0, 1), 2) },
        { "EL1 CNTP_CTL_EL0, E2H, CNTHCTL_EL2 bit 11 clear: traps to EL2", HCR_E2H, 0x3, P(cntp_ctl), I(cntp_ctl), RD(ENC(3, 3, 14, 2, 1), 2) },
        { "EL1 CNTPCT_EL0, E2H, CNTHCTL_EL2.EL1PCTEN (bit 10) set", HCR_E2H, 0xc00, P(cntpct), I(cntpct), 0 },
        { "EL1 CNTP_CTL_EL0, E2H, CNTHCTL_EL2.EL1PTEN (bit 11) set", HCR_E2H, 0xc00, P(cntp_ctl), I(cntp_ctl), 0 },
        { "EL1 CNTPCT_EL0 without E2H, CNTHCTL_EL2 bits 10, 11 only: traps to EL2", 0, 0xc00, P(cntpct), I(cntpct), RD(ENC(3, 3, 14, 0, 1), 2) },
        { "EL1 CNTP_CTL_EL0 without E2H, CNTHCTL_EL2.EL1PCEN (bit 1) set", 0, 0x3, P(cntp_ctl), I(cntp_ctl), 0 },
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        set_hcr(t[i].e2h);
        write_sysreg(cnthctl_el2, t[i].cnthctl);
        isb();
        clear_last();
        u64 r = call_el1(t[i].fn, 0);
        if (t[i].esr) {
            chk(t[i].name, r, TRAPPED);
            chk_exc(t[i].name, 2, t[i].esr, t[i].insn);
        } else {
            chk(t[i].name, r, 0);
            chk_none(t[i].name);
        }
    }
    set_hcr(0);
    write_sysreg(cnthctl_el2, 3);
    isb();
}

/* ---- the EL2&0 translation regime ---- */
#define D_TABLE  3UL
#define D_PAGE   3UL
#define D_BLOCK  1UL
#define ATTR(i)  ((u64)(i) << 2)
#define AP_EL0   (1UL << 6)
#define AP_RO    (1UL << 7)
#define SH_IS    (3UL << 8)
#define AF       (1UL << 10)
#define NG       (1UL << 11)
#define PXN      (1UL << 53)
#define UXN      (1UL << 54)
#define NORMAL   (ATTR(1) | SH_IS | AF)
#define DEVICE   (ATTR(0) | AF | PXN | UXN)
#define MAIR     0xff00UL   /* Attr0 Device-nGnRnE, Attr1 Normal WB */
/* TCR_EL2, E2H layout: T0SZ = T1SZ = 25 (39-bit VAs), 4 KiB granules, WB
 * inner shareable walks, IPS 40 bits, ASIDs of 8 bits from TTBR0_EL2 (A1 = 0). */
#define TCR_E2H  (25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (25UL << 16) | (1UL << 24) | \
                  (1UL << 26) | (3UL << 28) | (2UL << 30) | (2UL << 32))

#define RAM      0x40000000UL
#define TV       0x80000000UL               /* the VA mapped differently under two ASIDs */
#define UP       0xffffffffc0000000UL       /* an upper-range VA (TTBR1_EL2) */
#define ASID1    1UL
#define ASID2    2UL
#define MAGIC(n) (0x5a5a000000000000UL | (n))

typedef u64 table[512];
static table l1_a __attribute__((aligned(PAGE_SIZE)));
static table l2_ram __attribute__((aligned(PAGE_SIZE)));
static table l3_img __attribute__((aligned(PAGE_SIZE)));
static table l2_a __attribute__((aligned(PAGE_SIZE)));
static table l3_a __attribute__((aligned(PAGE_SIZE)));
static table l1_b __attribute__((aligned(PAGE_SIZE)));
static table l2_b __attribute__((aligned(PAGE_SIZE)));
static table l3_b __attribute__((aligned(PAGE_SIZE)));
static table l1_up __attribute__((aligned(PAGE_SIZE)));
static table l2_up __attribute__((aligned(PAGE_SIZE)));
static table l3_up __attribute__((aligned(PAGE_SIZE)));
static table page1 __attribute__((aligned(PAGE_SIZE)));
static table page2 __attribute__((aligned(PAGE_SIZE)));
static table page3 __attribute__((aligned(PAGE_SIZE)));
static table page_up __attribute__((aligned(PAGE_SIZE)));
static table page_priv __attribute__((aligned(PAGE_SIZE)));

static inline void tlb_sync(void) { __asm__ volatile("dsb ish\n\tisb" ::: "memory"); }
static inline u64 rd64(u64 va) { return *(volatile u64 *)va; }
static inline void wr64(u64 va, u64 v) { *(volatile u64 *)va = v; }

static void build_tables(void)
{
    l1_a[0] = 0 | DEVICE | D_BLOCK;                         /* 0..1 GiB: the devices */
    l1_a[1] = (u64)l2_ram | D_TABLE;                        /* 1..2 GiB: RAM */
    l2_ram[0] = (u64)l3_img | D_TABLE;
    for (u64 i = 1; i < 512; i++) l2_ram[i] = (RAM + (i << 21)) | NORMAL | UXN | D_BLOCK;
    for (u64 i = 0; i < 512; i++) {
        u64 pa = RAM + (i << 12), d = pa | NORMAL | UXN | D_PAGE;
        if (pa == (u64)el0_code) d = pa | NORMAL | AP_EL0 | AP_RO | D_PAGE;       /* EL0 and EL2 read, execute */
        if (pa == (u64)el0_page) d = pa | NORMAL | AP_EL0 | PXN | UXN | D_PAGE;   /* EL0 and EL2 read, write */
        l3_img[i] = d;
    }
    l1_a[2] = (u64)l2_a | D_TABLE;
    l2_a[0] = (u64)l3_a | D_TABLE;
    l3_a[0] = (u64)page1 | NORMAL | NG | PXN | UXN | D_PAGE;
    for (int i = 0; i < 2; i++) l1_b[i] = l1_a[i];
    l1_b[2] = (u64)l2_b | D_TABLE;
    l2_b[0] = (u64)l3_b | D_TABLE;
    l3_b[0] = (u64)page2 | NORMAL | NG | PXN | UXN | D_PAGE;
    l1_up[511] = (u64)l2_up | D_TABLE;
    l2_up[0] = (u64)l3_up | D_TABLE;
    l3_up[0] = (u64)page_up | NORMAL | PXN | UXN | D_PAGE;
    page1[0] = MAGIC(1);
    page2[0] = MAGIC(2);
    page3[0] = MAGIC(3);
    page_up[0] = MAGIC(0x99);
    page_priv[0] = MAGIC(0x77);
    ((volatile u64 *)el0_page)[0] = MAGIC(0xe0);
    tlb_sync();
}

static void mmu_on(void)
{
    set_hcr(HCR_E2H);
    write_sysreg(mair_el2, MAIR);
    write_sysreg(tcr_el2, TCR_E2H);
    write_sysreg(ttbr0_el2, (u64)l1_a | (ASID1 << 48));
    write_sysreg(ttbr1_el2, (u64)l1_up);
    isb();
    __asm__ volatile("tlbi alle2\n\tdsb ish\n\tisb" ::: "memory");
    write_sysreg(sctlr_el2, SCTLR_E2H_BASE | SCTLR_SPAN | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();
}

static void set_ttbr0(u64 table, u64 asid)
{
    write_sysreg(ttbr0_el2, table | (asid << 48));
    isb();
}

static u64 par_pa(u64 par) { return par & 1 ? ~0UL : par & 0x0000fffffffff000UL; }

static void check_translation(void)
{
    /* E2H set, TGE clear: EL2's own accesses. */
    chk("EL2&0: an upper VA through TTBR1_EL2", rd64(UP), MAGIC(0x99));
    wr64(UP + 8, MAGIC(0x98));
    tlb_sync();
    chk("EL2&0: a write through the upper VA reaches its page", page_up[1], MAGIC(0x98));
    chk("EL2&0: a non-global page under ASID 1", rd64(TV), MAGIC(1));
    set_ttbr0((u64)l1_b, ASID2);
    chk("EL2&0: the same VA under ASID 2 (another TTBR0_EL2) is the other page", rd64(TV), MAGIC(2));
    set_ttbr0((u64)l1_a, ASID1);
    chk("EL2&0: back under ASID 1", rd64(TV), MAGIC(1));
    l3_a[0] = (u64)page3 | NORMAL | NG | PXN | UXN | D_PAGE;
    tlb_sync();
    __asm__ volatile("tlbi vae2, %0\n\tdsb ish\n\tisb" :: "r"((ASID1 << 48) | (TV >> 12)) : "memory");
    chk("EL2&0: TLBI VAE2 with ASID 1 removes the ASID 1 entry", rd64(TV), MAGIC(3));
    __asm__ volatile("at s1e2r, %0\n\tisb" :: "r"(UP) : "memory");
    chk("EL2&0: AT S1E2R of the upper VA", par_pa(read_sysreg(par_el1)), (u64)page_up);

    /* E2H and TGE set: the host. The EL1 TLBIs and ATs act on EL2&0. */
    set_hcr(HCR_E2H | HCR_TGE);
    l3_a[0] = (u64)page1 | NORMAL | NG | PXN | UXN | D_PAGE;
    tlb_sync();
    __asm__ volatile("tlbi aside1, %0\n\tdsb ish\n\tisb" :: "r"(ASID1 << 48) : "memory");
    chk("host: TLBI ASIDE1 at EL2 under TGE removes the EL2&0 ASID 1 entry", rd64(TV), MAGIC(1));
    l3_a[0] = (u64)page3 | NORMAL | NG | PXN | UXN | D_PAGE;
    tlb_sync();
    __asm__ volatile("tlbi vae1, %0\n\tdsb ish\n\tisb" :: "r"((ASID1 << 48) | (TV >> 12)) : "memory");
    chk("host: TLBI VAE1 at EL2 under TGE removes the EL2&0 entry", rd64(TV), MAGIC(3));
    l3_a[0] = (u64)page1 | NORMAL | NG | PXN | UXN | D_PAGE;
    tlb_sync();
    __asm__ volatile("tlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    chk("host: TLBI VMALLE1 at EL2 under TGE empties EL2&0", rd64(TV), MAGIC(1));
    __asm__ volatile("at s1e1r, %0\n\tisb" :: "r"(UP) : "memory");
    chk("host: AT S1E1R at EL2 under TGE translates in EL2&0", par_pa(read_sysreg(par_el1)), (u64)page_up);
    __asm__ volatile("at s1e0r, %0\n\tisb" :: "r"((u64)el0_page) : "memory");
    chk("host: AT S1E0R of the EL0 page", par_pa(read_sysreg(par_el1)), (u64)el0_page);
    __asm__ volatile("at s1e0r, %0\n\tisb" :: "r"((u64)page_priv) : "memory");
    chk("host: AT S1E0R of a privileged page faults (PAR_EL1.F)", read_sysreg(par_el1) & 1, 1);

    /* PAN at EL2 (EL2&0 has EL0 permissions), LDTR as EL0 under TGE. */
    u64 e0 = (u64)el0_page, priv = (u64)page_priv;
    __asm__ volatile("msr pan, #1" ::: "memory");
    clear_last();
    chk("PAN at EL2: LDP of an EL0 page", ((u64 (*)(u64))p_ldp)(e0), SENT);
    chk_exc("PAN at EL2: LDP of an EL0 page", 2, EC(0x25) | IL | DFSC_PERM_L3, I(ldp));
    last.esr = ABORT_CORE(last.esr);
    chk("PAN at EL2: FAR_EL2", last.far, e0);
    clear_last();
    chk("PAN at EL2 under TGE: LDTR of an EL0 page (unprivileged: no PAN)", ((u64 (*)(u64))p_ldtr)(e0), MAGIC(0xe0));
    chk_none("PAN at EL2 under TGE: LDTR of an EL0 page");
    __asm__ volatile("msr pan, #0" ::: "memory");
    clear_last();
    chk("PAN clear at EL2: LDP of an EL0 page", ((u64 (*)(u64))p_ldp)(e0), MAGIC(0xe0));
    chk_none("PAN clear at EL2: LDP of an EL0 page");
    clear_last();
    chk("LDTR at EL2 under TGE: a privileged page faults", ((u64 (*)(u64))p_ldtr)(priv), SENT);
    last.esr = ABORT_CORE(last.esr);
    chk_exc("LDTR at EL2 under TGE: a privileged page", 2, EC(0x25) | IL | DFSC_PERM_L3, I(ldtr));
    __asm__ volatile(".inst 0xd500417f" ::: "memory");   /* MSR UAO, #1 (FEAT_UAO) */
    clear_last();
    chk("LDTR at EL2 under TGE with PSTATE.UAO: privileged", ((u64 (*)(u64))p_ldtr)(priv), MAGIC(0x77));
    __asm__ volatile(".inst 0xd500407f" ::: "memory");   /* MSR UAO, #0 */
    set_hcr(HCR_E2H);
    clear_last();
    chk("LDTR at EL2 with TGE clear: privileged", ((u64 (*)(u64))p_ldtr)(priv), MAGIC(0x77));
    chk_none("LDTR at EL2 with TGE clear");
}

/* ---- the host's EL0 (E2H and TGE set) ---- */
static void check_host_el0(void)
{
    set_hcr(HCR_E2H | HCR_TGE);
    write_sysreg(cnthctl_el2, 0x303);           /* EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN */
    write_sysreg(cntkctl_el12, 0);              /* would trap every EL0 counter access, if it applied */
    isb();
    clear_last();
    chk("host EL0 runs in EL2&0: reads its page", call_el0(P(e0_ldp), (u64)el0_page), MAGIC(0xe0));
    chk_none("host EL0 reads its page");

    clear_last();
    chk("host EL0 SVC", call_el0(P(e0_svc), 0), TRAPPED);
    chk_exc("host EL0 SVC", 2, ESR_SVC(0x42), I(e0_svc) + 4);
    chk("host EL0 SVC: lower-EL vector of EL2", last.off, 0x400);
    chk("host EL0 SVC: SPSR_EL2 is EL0t", last.spsr & 0x1f, 0);
    chk("host EL0 SVC: PSTATE.PAN unchanged (SCTLR_EL2.SPAN set)", last.pan, 0);
    write_sysreg(sctlr_el2, SCTLR_E2H_BASE | SCTLR_M | SCTLR_C | SCTLR_I);   /* SPAN clear */
    isb();
    clear_last();
    call_el0(P(e0_svc), 0);
    chk("host EL0 SVC: PSTATE.PAN set on entry to EL2 (SCTLR_EL2.SPAN clear)", last.pan, PSTATE_PAN);
    write_sysreg(sctlr_el2, SCTLR_E2H_BASE | SCTLR_SPAN | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();

    clear_last();
    chk("host EL0 MRS SCTLR_EL1: UNDEFINED", call_el0(P(e0_undef), 0), TRAPPED);
    chk_exc("host EL0 MRS SCTLR_EL1", 2, ESR_UNDEF, I(e0_undef));
    clear_last();
    chk("host EL0 LDP of a privileged page", call_el0(P(e0_ldp), (u64)page_priv), TRAPPED);
    last.esr = ABORT_CORE(last.esr);
    chk_exc("host EL0 LDP of a privileged page", 2, EC(0x24) | IL | DFSC_PERM_L3, I(e0_ldp));
    chk("host EL0 LDP of a privileged page: FAR_EL2", last.far, (u64)page_priv);

    /* The counters and timers at the host's EL0: CNTHCTL_EL2's EL0 controls. */
    write_sysreg(cnthp_cval_el2, 0);
    write_sysreg(cnthp_ctl_el2, 3);
    write_sysreg(cnthv_cval_el2, ~0UL);
    write_sysreg(cnthv_ctl_el2, 3);
    write_sysreg(cntp_ctl_el02, 0);
    write_sysreg(cntv_ctl_el02, 0);
    write_sysreg(cntvoff_el2, 1UL << 40);
    isb();
    clear_last();
    chk("host EL0 CNTPCT_EL0, CNTHCTL_EL2.EL0PCTEN set", call_el0(P(e0_cntpct), 0), 0);
    chk_none("host EL0 CNTPCT_EL0");
    clear_last();
    u64 p1 = cntpct(), v = call_el0(P(e0_cntvct), 0), p2 = cntpct();
    chk("host EL0 CNTVCT_EL0: no CNTVOFF_EL2", between(p1, v, p2), 1);
    chk("host EL0 CNTP_CTL_EL0 reads CNTHP_CTL_EL2", call_el0(P(e0_cntp_ctl), 0), 7);
    chk("host EL0 CNTV_CTL_EL0 reads CNTHV_CTL_EL2", call_el0(P(e0_cntv_ctl), 0), 3);
    chk_none("host EL0 timer reads");
    static const struct { const char *name; u64 cnthctl, fn, insn, esr; } t[] = {
        { "host EL0 CNTPCT_EL0, CNTHCTL_EL2.EL0PCTEN clear: traps to EL2", 0x302, P(e0_cntpct), I(e0_cntpct), RD(ENC(3, 3, 14, 0, 1), 2) },
        { "host EL0 CNTVCT_EL0, CNTHCTL_EL2.EL0VCTEN clear: traps to EL2", 0x301, P(e0_cntvct), I(e0_cntvct), RD(ENC(3, 3, 14, 0, 2), 0) },
        { "host EL0 CNTP_CTL_EL0, CNTHCTL_EL2.EL0PTEN clear: traps to EL2", 0x103, P(e0_cntp_ctl), I(e0_cntp_ctl), RD(ENC(3, 3, 14, 2, 1), 0) },
        { "host EL0 CNTV_CTL_EL0, CNTHCTL_EL2.EL0VTEN clear: traps to EL2", 0x203, P(e0_cntv_ctl), I(e0_cntv_ctl), RD(ENC(3, 3, 14, 3, 1), 0) },
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        write_sysreg(cnthctl_el2, t[i].cnthctl);
        isb();
        clear_last();
        chk(t[i].name, call_el0(t[i].fn, 0), TRAPPED);
        chk_exc(t[i].name, 2, t[i].esr, t[i].insn);
    }
    write_sysreg(cnthp_ctl_el2, 0);
    write_sysreg(cnthv_ctl_el2, 0);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(cnthctl_el2, 3);
    isb();
}

/* ---- CPTR_EL2 in its E2H layout: FPEN (bits 21:20) like CPACR_EL1's ---- */
static void set_cptr(u64 v)
{
    write_sysreg(cpacr_el1, v);     /* at EL2 with E2H: CPTR_EL2 */
    isb();
}

static void check_cptr(void)
{
    set_hcr(HCR_E2H | HCR_TGE);
    write_sysreg(cpacr_el12, 0);    /* CPACR_EL1.FPEN = 0b00: would trap EL0, if it applied to the host's EL0 */
    set_cptr(CPTR_FPEN(1));
    clear_last();
    ((u64 (*)(u64))p_fpcr)(0);
    chk_none("EL2 MRS FPCR, CPTR_EL2.FPEN = 0b01");
    clear_last();
    chk("host EL0 MRS FPCR, CPTR_EL2.FPEN = 0b01: traps to EL2", call_el0(P(e0_fpcr), 0), TRAPPED);
    chk_exc("host EL0 MRS FPCR, FPEN = 0b01", 2, ESR_FP, I(e0_fpcr));
    set_cptr(CPTR_FPEN(3));
    clear_last();
    chk("host EL0 MRS FPCR, CPTR_EL2.FPEN = 0b11 (CPACR_EL1 does not apply)", call_el0(P(e0_fpcr), 0), 0);
    chk_none("host EL0 MRS FPCR, FPEN = 0b11");
    set_cptr(CPTR_FPEN(0));
    clear_last();
    ((u64 (*)(u64))p_fpcr)(0);
    chk_exc("EL2 MRS FPCR, CPTR_EL2.FPEN = 0b00: traps to EL2", 2, ESR_FP, I(fpcr));
    set_cptr(CPTR_FPEN(3) | CPTR_TFP);
    clear_last();
    ((u64 (*)(u64))p_fpcr)(0);
    chk_none("EL2 MRS FPCR, E2H: CPTR_EL2 bit 10 (TFP without E2H) has no effect");
    set_cptr(CPTR_FPEN(3));
    write_sysreg(cpacr_el12, CPTR_FPEN(3));
    isb();
}

/* Without E2H (run with EL2's MMU off: E2H changes EL2's regime): CPTR_EL2.TFP
 * traps, and the E2H layout's FPEN bits mean nothing. */
static void check_cptr_nvhe(void)
{
    set_hcr(0);
    write_sysreg(cptr_el2, CPTR_TFP);
    isb();
    clear_last();
    ((u64 (*)(u64))p_fpcr)(0);
    chk_exc("EL2 MRS FPCR without E2H, CPTR_EL2.TFP: traps to EL2", 2, ESR_FP, I(fpcr));
    write_sysreg(cptr_el2, 0);
    isb();
    clear_last();
    ((u64 (*)(u64))p_fpcr)(0);
    chk_none("EL2 MRS FPCR without E2H, CPTR_EL2 bits 21:20 clear");
}

int main(void)
{
    printf("vhe at EL%u\n", current_el());
    if (current_el() != 2) {
        printf("FAIL booted at EL%u, not EL2\n", current_el());
        return 1;
    }
    u64 vh = (read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf;
    chk("ID_AA64MMFR1_EL1.VH", vh, 1);
    if (vh == 0) return check_report();
    write_sysreg(vbar_el2, vectors_el2);
    write_sysreg(vbar_el1, vectors_el1);
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
    write_sysreg(cnthctl_el2, 3);
    set_hcr(0);
    write_sysreg(hcr_el2, HCR_RW | HCR_E2H);
    isb();
    chk("HCR_EL2.E2H is writable", read_sysreg(hcr_el2) & HCR_E2H, HCR_E2H);
    set_hcr(0);
    chk("HCR_EL2.E2H clears", read_sysreg(hcr_el2) & HCR_E2H, 0);

    check_redirection();
    check_el12_undefined();
    check_timers();
    check_cnthctl_el1();
    check_cptr_nvhe();
    build_tables();
    mmu_on();
    check_translation();
    check_host_el0();
    check_cptr();
    return check_report();
}
