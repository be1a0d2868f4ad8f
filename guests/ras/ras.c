/*
 * ras: FEAT_RAS (Armv8.2) on a PE without error records, checked by a
 * hypervisor at EL2 (and with --el 3 by a monitor first) against the Arm ARM
 * (the RAS register descriptions and access pseudocode, AArch64.ESBOperation,
 * AArch64.vESBOperation, AArch64.TakeVirtualSErrorException, AArch64.Abort):
 *  - ID_AA64PFR0_EL1.RAS = 1; ERRIDR_EL1.NUM = 0; ERRSELR_EL1 and the ERX*
 *    registers RAZ/WI (the choice the Arm ARM allows with no records).
 *    QEMU 7.2 -cpu max reads RAS = 2 and lacks ERRSELR_EL1 and ERX*_EL1:
 *    those checks are RAS_STRICT; its run compares the rest line by line.
 *  - HCR_EL2.TERR traps EL1's error record accesses to EL2 (EC 0x18, full
 *    ISS), not DISR_EL1's; SCR_EL3.TERR those of EL1 and EL2 to EL3, after
 *    HCR_EL2.TERR.
 *  - HCR_EL2.TEA routes a synchronous External abort from EL1 (a load from
 *    where nothing is mapped) to EL2; SCR_EL3.EA has priority over it.
 *  - A virtual SError (HCR_EL2.{AMO, VSE}) taken at EL1 reports ESR_EL1 =
 *    EC 0x2F with IDS and ISS from VSESR_EL2; ESB at EL1 with it masked
 *    defers it into VDISR_EL2 (A, VSESR_EL2's syndrome) and clears VSE;
 *    unmasked, it is taken before the ESB completes.
 *  - DISR_EL1 at EL1 under HCR_EL2.AMO reaches VDISR_EL2; under SCR_EL3.EA
 *    it is RAZ/WI at EL1 (without AMO) and EL2.
 * RAS_STRICT adds the checks QEMU 7.2 gets wrong or lacks (see the Makefile).
 * One PASS/FAIL line per check, then `N passed, M failed`; exit status M != 0.
 */
#include "ras.h"
#include "esr.h"

#define PROBES(X) X(erridr) X(wr_errselr) X(erxfr) X(erxstatus) X(wr_erxctlr) X(erxaddr) \
    X(wr_erxmisc1) X(disr) X(wr_disr) X(ldr) X(esb_disr) X(unmask_esb) X(nop)
#define DECLARE(n) extern char p_##n[], p_##n##_i[];
PROBES(DECLARE)
extern char p_esb[];
#define P(n) ((u64)p_##n)
#define I(n) ((u64)p_##n##_i)

#define HCR_RW    (1UL << 31)
#define HCR_AMO   (1UL << 5)
#define HCR_VSE   (1UL << 8)
#define HCR_TERR  (1UL << 36)
#define HCR_TEA   (1UL << 37)
#define SCR_NS    (1UL << 0)
#define SCR_EA    (1UL << 3)
#define SCR_RES1  (3UL << 4)
#define SCR_HCE   (1UL << 8)
#define SCR_RW    (1UL << 10)
#define SCR_TERR  (1UL << 15)
#define SCR_BASE  (SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW)
#define SPSR_EL1H (0x3c0UL | 0x5)           /* D, A, I, F masked */
#define SPSR_EL1H_A0 (0x2c0UL | 0x5)        /* SErrors unmasked */
#define SPSR_EL2H (0x3c0UL | 0x9)
#define NOTHING   0x09008000UL              /* no device there: a synchronous External abort */
#define DISR_A    (1UL << 31)
#define IDS       (1UL << 24)
#define ESR_SERROR(iss) (EC(0x2f) | IL | (iss))

#define write_s(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#define read_s(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })

/* ---- exceptions seen by the handlers ---- */
struct exc { u64 count, esr, elr, far, off; };
static volatile struct exc g_exc[4];

u64 ras_handler(struct frame *f)
{
    u64 ec = (f->esr >> 26) & 0x3f, imm = f->esr & 0xffff;
    u64 from = (f->spsr >> 2) & 3, to = f->el;
    int sync = (f->off & 0x180) == 0;
    if (sync && from < to && imm == RET_IMM && (ec == 0x16 || ec == 0x17))
        return to == 1 ? 2 : 1;
    volatile struct exc *x = &g_exc[to];
    x->count++;
    x->esr = f->esr;
    x->elr = f->elr;
    x->far = f->far;
    x->off = f->off;
    if ((f->off & 0x180) == 0x180)   /* an SError: return to where it was taken */
        return 0;
    if (!sync) {
        printf("UNEXPECTED interrupt at EL%lu vector=0x%lx\n", to, f->off);
        semihosting_exit(98);
    }
    f->elr += 4;                     /* traps and aborts: skip the instruction */
    return 0;
}

static u64 call_lower(u64 fn, u64 spsr, u64 arg)
{
    return lower_call(fn, spsr, arg, current_el() == 3 ? (u64)ret_smc : (u64)ret_hvc);
}
static u64 seen[4];
static void snapshot(void) { for (int i = 0; i < 4; i++) seen[i] = g_exc[i].count; }
static u64 taken_by(void)
{
    u64 el = 0, n = 0;
    for (int i = 1; i < 4; i++) {
        n += g_exc[i].count - seen[i];
        if (g_exc[i].count != seen[i]) el = i;
    }
    return n == 0 ? 0 : n == 1 ? el : 9;
}
static u64 g_esr_ignore;
static void expect(const char *name, u64 to, u64 esr, u64 elr)
{
    check2(name, ": taken to", taken_by(), to);
    check2(name, ": ESR", g_exc[to].esr & ~g_esr_ignore, esr & ~g_esr_ignore);
    check2(name, ": ELR", g_exc[to].elr, elr);
}
static u64 traps(const char *name, u64 fn, u64 spsr, u64 arg, u64 to, u64 esr, u64 elr)
{
    snapshot();
    u64 r = call_lower(fn, spsr, arg);
    expect(name, to, esr, elr);
    return r;
}
static u64 no_trap(const char *name, u64 fn, u64 spsr, u64 arg)
{
    snapshot();
    u64 r = call_lower(fn, spsr, arg);
    check2(name, ": no exception", taken_by(), 0);
    return r;
}
static void set_hcr(u64 v) { write_s(hcr_el2, HCR_RW | v); isb(); }
static void set_scr(u64 v) { write_s(scr_el3, v); isb(); }

/* ---- at EL2 ---- */
static void registers(void)
{
    u64 ras = (read_s(id_aa64pfr0_el1) >> 28) & 0xf;
    check("ID_AA64PFR0_EL1.RAS >= 1", ras >= 1, 1);
    check("ERRIDR_EL1.NUM = 0 (no error records)", read_s(erridr_el1), 0);
#ifdef RAS_STRICT   /* QEMU 7.2 reads RAS = 2 (FEAT_RASv1p1) and has no ERRSELR_EL1, ERX*_EL1 */
    check("ID_AA64PFR0_EL1.RAS = 1 (FEAT_RAS, not RASv1p1)", ras, 1);
    write_s(errselr_el1, 1);
    isb();
    check("ERRSELR_EL1 RAZ/WI", read_s(errselr_el1), 0);
    write_s(erxctlr_el1, 0xff);
    write_s(erxstatus_el1, 0xffffffffUL);
    write_s(erxaddr_el1, 0x1234);
    write_s(erxmisc0_el1, 0x5678);
    write_s(erxmisc1_el1, 0x9abc);
    isb();
    u64 any = read_s(erxfr_el1) | read_s(erxctlr_el1) | read_s(erxstatus_el1) | read_s(erxaddr_el1) |
              read_s(erxmisc0_el1) | read_s(erxmisc1_el1);
    check("ERXFR/CTLR/STATUS/ADDR/MISC0/MISC1_EL1 RAZ/WI", any, 0);
#endif
    set_hcr(HCR_TERR | HCR_TEA);
    check("HCR_EL2.TERR and TEA writable", read_s(hcr_el2) & (HCR_TERR | HCR_TEA), HCR_TERR | HCR_TEA);
    set_hcr(0);
    write_s(vsesr_el2, IDS | 0x345678);
    isb();
    check("VSESR_EL2 holds IDS and ISS", read_s(vsesr_el2), IDS | 0x345678);
    write_s(vdisr_el2, DISR_A | 0x211);
    isb();
    check("VDISR_EL2 holds A, AET, EA, DFSC", read_s(vdisr_el2), DISR_A | 0x211);
#ifdef RAS_STRICT   /* QEMU 7.2 keeps the RES0 bits */
    write_s(vsesr_el2, ~0UL);
    isb();
    check("VSESR_EL2 bits 63:25 RES0", read_s(vsesr_el2), 0x1ffffffUL);
    write_s(vdisr_el2, DISR_A | (1UL << 13) | 0x11);
    isb();
    check("VDISR_EL2 with IDS = 0: bit 13 RES0", read_s(vdisr_el2), DISR_A | 0x11);
#endif
}

static void terr(void)
{
    check("EL1 MRS ERRIDR_EL1 without TERR", no_trap("EL1 MRS ERRIDR_EL1 without TERR", P(erridr), SPSR_EL1H, 0), 0);
    set_hcr(HCR_TERR);
    traps("HCR_EL2.TERR MRS ERRIDR_EL1", P(erridr), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 5, 3, 0), 3), I(erridr));
#ifdef RAS_STRICT
    traps("HCR_EL2.TERR MSR ERRSELR_EL1", P(wr_errselr), SPSR_EL1H, 0, 2, WR(ENC(3, 0, 5, 3, 1), 4), I(wr_errselr));
    traps("HCR_EL2.TERR MRS ERXFR_EL1", P(erxfr), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 5, 4, 0), 5), I(erxfr));
    traps("HCR_EL2.TERR MRS ERXSTATUS_EL1", P(erxstatus), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 5, 4, 2), 6), I(erxstatus));
    traps("HCR_EL2.TERR MSR ERXCTLR_EL1", P(wr_erxctlr), SPSR_EL1H, 0, 2, WR(ENC(3, 0, 5, 4, 1), 7), I(wr_erxctlr));
    traps("HCR_EL2.TERR MRS ERXADDR_EL1", P(erxaddr), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 5, 4, 3), 8), I(erxaddr));
    traps("HCR_EL2.TERR MSR ERXMISC1_EL1", P(wr_erxmisc1), SPSR_EL1H, 0, 2, WR(ENC(3, 0, 5, 5, 1), 9), I(wr_erxmisc1));
#endif
    no_trap("HCR_EL2.TERR MRS DISR_EL1 (not an error record register)", P(disr), SPSR_EL1H, 0);
    set_hcr(0);
}

/* HCR_EL2.TEA: a synchronous External abort from EL1 is taken to EL2 (EC
 * 0x24, DFSC 0x10, FAR_EL2 the address). The ISS's ISV..AR and EA bits are
 * IMPLEMENTATION DEFINED for an External abort: not compared. */
static void tea(void)
{
    g_esr_ignore = (0x7ffUL << 14) | (1UL << 9);
    traps("no HCR_EL2.TEA load from nothing at EL1", P(ldr), SPSR_EL1H, NOTHING, 1, ESR_DABT(0x25, 0x10), I(ldr));
    check("no HCR_EL2.TEA load from nothing at EL1: FAR_EL1", g_exc[1].far, NOTHING);
#ifdef RAS_STRICT   /* QEMU 7.2 does not route by HCR_EL2.TEA */
    set_hcr(HCR_TEA);
    traps("HCR_EL2.TEA load from nothing at EL1", P(ldr), SPSR_EL1H, NOTHING, 2, ESR_DABT(0x24, 0x10), I(ldr));
    check("HCR_EL2.TEA load from nothing at EL1: FAR_EL2", g_exc[2].far, NOTHING);
    set_hcr(0);
#endif
    g_esr_ignore = 0;
}

/* Virtual SErrors with VSESR_EL2's syndrome, ESB deferral into VDISR_EL2. */
static void virtual_serror(void)
{
    const char *n;
    /* taken at EL1 on entry (PSTATE.A = 0): ESR_EL1 = EC 0x2F, ISS = VSESR_EL2 */
    write_s(vsesr_el2, IDS | 0x123456);
    set_hcr(HCR_AMO | HCR_VSE);
    n = "virtual SError taken at EL1 (IDS = 1)";
    check2(n, ": function ran", traps(n, P(nop), SPSR_EL1H_A0, 0, 1, ESR_SERROR(IDS | 0x123456), I(nop)), 0x66);
    check2(n, ": vector", g_exc[1].off, 0x380);
    check2(n, ": HCR_EL2.VSE cleared", read_s(hcr_el2) & HCR_VSE, 0);
    write_s(vsesr_el2, (2UL << 10) | 0x11);
    set_hcr(HCR_AMO | HCR_VSE);
    n = "virtual SError taken at EL1 (IDS = 0, AET = UEU, DFSC 0x11)";
    traps(n, P(nop), SPSR_EL1H_A0, 0, 1, ESR_SERROR((2UL << 10) | 0x11), I(nop));

    /* ESB at EL1 with it masked: deferred into VDISR_EL2, read back through DISR_EL1 */
    write_s(vdisr_el2, 0);
    write_s(vsesr_el2, IDS | 0xabcd);
    set_hcr(HCR_AMO | HCR_VSE);
    n = "ESB at EL1, virtual SError masked";
    check2(n, ": MRS DISR_EL1 reads VDISR_EL2", no_trap(n, P(esb_disr), SPSR_EL1H, 0), DISR_A | IDS | 0xabcd);
    check2(n, ": VDISR_EL2", read_s(vdisr_el2), DISR_A | IDS | 0xabcd);
    check2(n, ": HCR_EL2.VSE cleared", read_s(hcr_el2) & HCR_VSE, 0);
    write_s(vdisr_el2, 0);
    write_s(vsesr_el2, (1UL << 10) | (1UL << 9) | 0x11);
    set_hcr(HCR_AMO | HCR_VSE);
    n = "ESB at EL1, virtual SError masked (IDS = 0)";
    no_trap(n, P(esb_disr), SPSR_EL1H, 0);
    check2(n, ": VDISR_EL2", read_s(vdisr_el2), DISR_A | (1UL << 10) | (1UL << 9) | 0x11);
#ifdef RAS_STRICT   /* QEMU 7.2 copies VSESR_EL2[24:0] whole */
    write_s(vsesr_el2, (1UL << 13) | (1UL << 20) | 0x11);
    set_hcr(HCR_AMO | HCR_VSE);
    no_trap("ESB deferral keeps only AET, EA, DFSC when IDS = 0", P(esb_disr), SPSR_EL1H, 0);
    check("ESB deferral keeps only AET, EA, DFSC when IDS = 0: VDISR_EL2", read_s(vdisr_el2), DISR_A | 0x11);
#endif
    /* nothing pending: ESB changes nothing */
    write_s(vdisr_el2, 0x11);
    set_hcr(HCR_AMO);
    n = "ESB at EL1, nothing pending";
    check2(n, ": DISR_EL1 reads VDISR_EL2", no_trap(n, P(esb_disr), SPSR_EL1H, 0), 0x11);
    /* without AMO the virtual SError is not pending: ESB leaves VSE alone */
    set_hcr(HCR_VSE);
    n = "ESB at EL1 with VSE but not AMO";
    no_trap(n, P(esb_disr), SPSR_EL1H, 0);
    check2(n, ": HCR_EL2.VSE kept", read_s(hcr_el2) & HCR_VSE, HCR_VSE);
    set_hcr(0);
    /* unmasked before the ESB: taken, ELR = the ESB */
    write_s(vsesr_el2, IDS | 0x42);
    set_hcr(HCR_AMO | HCR_VSE);
    n = "virtual SError unmasked by MSR DAIFClr before ESB";
    check2(n, ": function ran", traps(n, P(unmask_esb), SPSR_EL1H, 0, 1, ESR_SERROR(IDS | 0x42), I(unmask_esb)), 0x77);
    set_hcr(0);
}

/* DISR_EL1: VDISR_EL2 at EL1 under AMO, DISR_EL1 otherwise. */
static void disr(void)
{
    write_s(disr_el1, 0);
    write_s(vdisr_el2, 0);
    set_hcr(HCR_AMO);
    no_trap("MSR DISR_EL1 at EL1 with AMO", P(wr_disr), SPSR_EL1H, DISR_A | IDS | 0x777);
    check("MSR DISR_EL1 at EL1 with AMO writes VDISR_EL2", read_s(vdisr_el2), DISR_A | IDS | 0x777);
    check("MSR DISR_EL1 at EL1 with AMO leaves DISR_EL1", read_s(disr_el1), 0);
    set_hcr(0);
    no_trap("MSR DISR_EL1 at EL1 without AMO", P(wr_disr), SPSR_EL1H, DISR_A | 0x11);
    check("MSR DISR_EL1 at EL1 without AMO writes DISR_EL1", read_s(disr_el1), DISR_A | 0x11);
    check("MRS DISR_EL1 at EL1 without AMO", no_trap("MRS DISR_EL1 at EL1 without AMO", P(disr), SPSR_EL1H, 0), DISR_A | 0x11);
    write_s(disr_el1, 0);
    check("ESB at EL2 with nothing pending", ((u64 (*)(void))p_esb)(), 0x55);
    check("ESB at EL2 with nothing pending: DISR_EL1", read_s(disr_el1), 0);
}

static void el2_checks(void)
{
    write_s(vbar_el2, (u64)vectors_el2);
    write_s(vbar_el1, (u64)vectors_el1);
    write_s(sctlr_el1, 0x30d00800UL);
    set_hcr(0);
    isb();
    registers();
    terr();
    tea();
    virtual_serror();
    disr();
}

/* ---- at EL3 ---- */
static void el3_checks(void)
{
    write_s(vbar_el2, (u64)vectors_el2);
    write_s(vbar_el1, (u64)vectors_el1);
    write_s(sctlr_el2, 0x30c50830UL);
    write_s(sctlr_el1, 0x30d00800UL);
    set_hcr(0);
    set_scr(SCR_BASE | SCR_TERR);
    check("SCR_EL3.TERR writable", read_s(scr_el3) & SCR_TERR, SCR_TERR);
    traps("SCR_EL3.TERR MRS ERRIDR_EL1 at EL2", P(erridr), SPSR_EL2H, 0, 3, RD(ENC(3, 0, 5, 3, 0), 3), I(erridr));
    traps("SCR_EL3.TERR MRS ERRIDR_EL1 at EL1", P(erridr), SPSR_EL1H, 0, 3, RD(ENC(3, 0, 5, 3, 0), 3), I(erridr));
    set_hcr(HCR_TERR);
    traps("SCR_EL3.TERR and HCR_EL2.TERR MRS ERRIDR_EL1 at EL1: EL2 first", P(erridr), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 5, 3, 0), 3), I(erridr));
    set_hcr(0);
#ifdef RAS_STRICT   /* QEMU 7.2 has no ERX*_EL1 */
    traps("SCR_EL3.TERR MSR ERXCTLR_EL1 at EL2", P(wr_erxctlr), SPSR_EL2H, 0, 3, WR(ENC(3, 0, 5, 4, 1), 7), I(wr_erxctlr));
    traps("SCR_EL3.TERR MRS ERXADDR_EL1 at EL1", P(erxaddr), SPSR_EL1H, 0, 3, RD(ENC(3, 0, 5, 4, 3), 8), I(erxaddr));
    set_hcr(HCR_TERR);
    traps("SCR_EL3.TERR and HCR_EL2.TERR MRS ERXFR_EL1 at EL1: EL2 first", P(erxfr), SPSR_EL1H, 0, 2, RD(ENC(3, 0, 5, 4, 0), 5), I(erxfr));
    set_hcr(0);
#endif
    set_scr(SCR_BASE);
    check("ERRIDR_EL1 at EL3", read_s(erridr_el1), 0);

    /* SCR_EL3.EA: DISR_EL1 is RAZ/WI at EL2, and at EL1 without AMO */
    write_s(disr_el1, DISR_A | 0x11);
    set_scr(SCR_BASE | SCR_EA);
    check("SCR_EL3.EA MRS DISR_EL1 at EL2: RAZ", no_trap("SCR_EL3.EA MRS DISR_EL1 at EL2", P(disr), SPSR_EL2H, 0), 0);
    no_trap("SCR_EL3.EA MSR DISR_EL1 at EL2", P(wr_disr), SPSR_EL2H, 0x12);
    check("SCR_EL3.EA MRS DISR_EL1 at EL1: RAZ", no_trap("SCR_EL3.EA MRS DISR_EL1 at EL1", P(disr), SPSR_EL1H, 0), 0);
    no_trap("SCR_EL3.EA MSR DISR_EL1 at EL1", P(wr_disr), SPSR_EL1H, 0x13);
    check("SCR_EL3.EA MSR DISR_EL1 at EL1 and EL2: WI", read_s(disr_el1), DISR_A | 0x11);
    write_s(vdisr_el2, 0);
    set_hcr(HCR_AMO);
    no_trap("SCR_EL3.EA with AMO MSR DISR_EL1 at EL1", P(wr_disr), SPSR_EL1H, DISR_A | 0x14);
    check("SCR_EL3.EA with AMO MSR DISR_EL1 at EL1 writes VDISR_EL2", read_s(vdisr_el2), DISR_A | 0x14);
    set_hcr(0);
#ifdef RAS_STRICT   /* QEMU 7.2 routes External aborts by neither SCR_EL3.EA nor HCR_EL2.TEA */
    g_esr_ignore = (0x7ffUL << 14) | (1UL << 9);
    set_hcr(HCR_TEA);
    traps("SCR_EL3.EA over HCR_EL2.TEA load from nothing at EL1", P(ldr), SPSR_EL1H, NOTHING, 3, ESR_DABT(0x24, 0x10), I(ldr));
    set_hcr(0);
    g_esr_ignore = 0;
#endif
    set_scr(SCR_BASE);
    write_s(disr_el1, 0);
}

static u64 el2_entry(u64 arg)
{
    (void)arg;
    el2_checks();
    return 0;
}

int main(void)
{
    printf("ras at EL%u\n", current_el());
    if (current_el() == 3) {
        write_s(vbar_el3, (u64)vectors_el3);
        el3_checks();
        lower_call((u64)el2_entry, SPSR_EL2H, 0, (u64)ret_smc);
    } else if (current_el() == 2) {
        el2_checks();
    } else {
        printf("ras needs EL2 or EL3\n");
        return 1;
    }
    return check_report();
}
