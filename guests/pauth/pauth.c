/*
 * pauth: FEAT_PAuth (Armv8.3 pointer authentication, QARMA5) checked at EL2
 * against the Arm ARM (AddPAC, Auth, Strip, ComputePAC, the PAC instruction
 * descriptions, HCR_EL2.API/APK, SCTLR_ELx.EnIA..EnDB) and against QEMU 7.2
 * -cpu max, whose QARMA5 is the architecture's: the PAC values the checks
 * expect are the ones QEMU computes for the same keys and modifiers (and
 * test/guests-pauth.test.ts compares the whole output with QEMU's).
 *
 * At EL2 (EL2 regime, TCR_EL2.T0SZ = 25: PAC in bits 54:39 and 63:56, or
 * 54:39 alone with TBI), the MMU on with an identity map of the first 2 GiB:
 *  - ID_AA64ISAR1_EL1.{APA, API, GPA, GPI} = {1, 0, 1, 0};
 *  - PACIA, PACIB, PACDA, PACDB, PACIZA, PACDZB, PACGA values (PACGA with
 *    the QARMA paper's test vector), AUT* success and failure (the error
 *    code in bits 62:61, or 54:53 with TBI), XPACI, XPACD, XPACLRI;
 *  - TBI: the tag kept; TBID: TBI for data only, so PACIA signs the top byte;
 *    a pointer with bad extension bits gets a PAC that never authenticates;
 *  - ERETAA to EL1, good and bad (the EL1 fetch faults);
 *  - BRAA, BLRAA, RETAA (good and bad: an Instruction Abort, Translation
 *    fault level 0 at the corrupted address), LDRAA, LDRAB (with writeback;
 *    bad: a Data Abort);
 *  - SCTLR_EL2.EnIA = 0: PACIASP and PACIA leave the pointer alone.
 * At EL1 (HCR_EL2.RW): with HCR_EL2.API = 1 PACIA gives the EL2 value (same
 * key, same VA size); with API = 0 PACIA, PACGA and AUTIASP trap to EL2 with
 * EC 0x09 (ISS 0), but not with SCTLR_EL1.EnIA = 0 (PACIA, checked first),
 * and never XPACI; with HCR_EL2.APK = 0 the key registers trap with EC 0x18.
 * Booted at EL3 (first): SCR_EL3.API = 0 traps EL2's PACIA and PACGA to EL3
 * (EC 0x09), not XPACI and nothing at EL3; SCR_EL3.APK = 0 traps EL2's key
 * register accesses (EC 0x18); then the EL2 checks run at EL2.
 * Without FEAT_PAuth (armvisor without --pauth) the fields read 0 and PACIASP is a NOP.
 * One PASS/FAIL line per check, then `N passed, M failed`.
 */
#include "pauth.h"
#include "esr.h"

#define HCR_RW    (1UL << 31)
#define HCR_APK   (1UL << 40)
#define HCR_API   (1UL << 41)
#define SPSR_EL1H 0x3c5UL
#define SCTLR_EL1_RES1 0x30d00800UL
#define EN_IA (1UL << 31)
#define EN_IB (1UL << 30)
#define EN_DA (1UL << 27)
#define EN_DB (1UL << 13)
#define TCR_T0SZ_25 25UL
#define TCR_EL2_BASE ((1UL << 31) | (1UL << 23) | (2UL << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | TCR_T0SZ_25)
#define TCR_TBI   (1UL << 20)
#define TCR_TBID  (1UL << 29)
#define ESR_PAC   (EC(0x09) | IL)

static void set_hcr(u64 v) { write_sysreg(hcr_el2, HCR_RW | v); isb(); }
static void set_tcr_el2(u64 v) { write_sysreg(tcr_el2, v); isb(); __asm__ volatile("tlbi alle2\n dsb ish\n isb" ::: "memory"); }

static volatile struct { u64 count, esr, elr, el, far; } last;
static void clear_last(void) { last.count = 0; last.esr = last.elr = last.el = last.far = ~0UL; }

u64 pauth_handler(struct frame *f)
{
    u64 ec = f->esr >> 26;
    int sync = (f->off & 0x180) == 0;
    if (sync && ec == 0x16 && (f->esr & 0xffff) == RET_IMM && f->el == 2 && (f->spsr & 0xc) != 0x8) return 1;
    if (sync && ec == 0x17 && (f->esr & 0xffff) == RET_IMM && f->el == 3) return 1;
    last.count++;
    last.esr = sync ? f->esr : 0;
    last.elr = f->elr;
    last.el = f->el;
    last.far = f->far;
    f->x[1] = TRAPPED;
    return f->el == 1 ? 2 : 1;
}

static u64 call_el1(void *fn, u64 arg) { clear_last(); return lower_call((u64)fn, SPSR_EL1H, arg, (u64)ret_hvc); }
static u64 call_el2(void *fn, u64 a0, u64 a1) { clear_last(); return el2_call(fn, a0, a1); }

static void chk_exc(const char *name, u64 r, u64 el, u64 esr, u64 elr)
{
    check2(name, ": abandoned", r, TRAPPED);
    check2(name, ": one exception", last.count, 1);
    check2(name, ": to EL", last.el, el);
    check2(name, ": ESR", last.esr, esr);
    check2(name, ": ELR", last.elr, elr);
}
static void chk_none(const char *name, u64 r, u64 want)
{
    check2(name, ": no exception", last.count, 0);
    check2(name, ": result", r, want);
}

/* The instructions, on C values. */
#define PAC2(op) static u64 op(u64 p, u64 m) { __asm__ volatile(#op " %0, %1" : "+r"(p) : "r"(m)); return p; }
PAC2(pacia) PAC2(pacib) PAC2(pacda) PAC2(pacdb) PAC2(autia) PAC2(autib) PAC2(autda) PAC2(autdb)
#define PAC1(op) static u64 op(u64 p) { __asm__ volatile(#op " %0" : "+r"(p)); return p; }
PAC1(paciza) PAC1(pacdzb) PAC1(pacdza) PAC1(autiza) PAC1(autdzb) PAC1(xpaci) PAC1(xpacd)
static u64 pacga(u64 n, u64 m) { u64 d; __asm__ volatile("pacga %0, %1, %2" : "=r"(d) : "r"(n), "r"(m)); return d; }
static u64 pacia1716(u64 p, u64 m)
{
    register u64 x17 __asm__("x17") = p;
    register u64 x16 __asm__("x16") = m;
    __asm__ volatile("pacia1716" : "+r"(x17) : "r"(x16));
    return x17;
}
static u64 autib1716(u64 p, u64 m)
{
    register u64 x17 __asm__("x17") = p;
    register u64 x16 __asm__("x16") = m;
    __asm__ volatile("autib1716" : "+r"(x17) : "r"(x16));
    return x17;
}
/* The hint forms on x30 (SP as the modifier for *SP: the same SP on both sides). */
#define HINT30(op) static u64 op##_x30(u64 p) { \
    u64 r; __asm__ volatile("mov x9, x30\n mov x30, %1\n " #op "\n mov %0, x30\n mov x30, x9" : "=r"(r) : "r"(p) : "x9", "x30"); return r; }
HINT30(paciasp) HINT30(autiasp) HINT30(pacibz) HINT30(autibz) HINT30(xpaclri)

static u64 sctlr_el2;
static void set_sctlr_el2(u64 v) { write_sysreg(sctlr_el2, v); isb(); }

/* The EL2 identity map: 1 GiB blocks, device memory below 1 GiB, normal RAM above. */
static u64 l1[512] __attribute__((aligned(4096)));
static void mmu_on(void)
{
    l1[0] = 0x0UL | (1UL << 54) | (1UL << 10) | (1UL << 6) | (0 << 2) | 1;
    l1[1] = 0x40000000UL | (1UL << 10) | (3UL << 8) | (1UL << 6) | (1 << 2) | 1;
    write_sysreg(mair_el2, 0xffUL << 8);
    write_sysreg(ttbr0_el2, (u64)l1);
    set_tcr_el2(TCR_EL2_BASE);
    sctlr_el2 = read_sysreg(sctlr_el2) | 1 | (1 << 2) | (1 << 12);
    set_sctlr_el2(sctlr_el2);
}

static void set_keys(void)
{
    write_sysreg(apiakeylo_el1, 0x0123456789abcdefUL); write_sysreg(apiakeyhi_el1, 0xfedcba9876543210UL);
    write_sysreg(apibkeylo_el1, 0x1111222233334444UL); write_sysreg(apibkeyhi_el1, 0x5555666677778888UL);
    write_sysreg(apdakeylo_el1, 0x0f1e2d3c4b5a6978UL); write_sysreg(apdakeyhi_el1, 0x8796a5b4c3d2e1f0UL);
    write_sysreg(apdbkeylo_el1, 0x2468ace013579bdfUL); write_sysreg(apdbkeyhi_el1, 0xfdb97531eca86420UL);
    /* The QARMA paper's key: w0 = APGAKeyHi, k0 = APGAKeyLo. */
    write_sysreg(apgakeylo_el1, 0xec2802d4e0a488e9UL); write_sysreg(apgakeyhi_el1, 0x84be85ce9804e94bUL);
    isb();
}

#define PTR  0x0000000040081234UL     /* a lower-range pointer (bit 55 = 0) */
#define MOD  0x1122334455667788UL
#define PAC_FIELD 0xff7fff8000000000UL /* bits 63:56 and 54:39 with T0SZ = 25 */
#define PAC_FIELD_TBI 0x007fff8000000000UL

static u64 data_words[4] = { 0x1111111111111111UL, 0x2222222222222222UL, 0x3333333333333333UL, 0x4444444444444444UL };

static void values(void)
{
    /* Signed values: QEMU 7.2 -cpu max computes the same ones. */
    u64 ia = pacia(PTR, MOD), ib = pacib(PTR, MOD), da = pacda(PTR, MOD), db = pacdb(PTR, MOD);
    check("PACIA value", ia, 0xcd0bd90040081234UL);
    check("PACIB value", ib, 0x460ccf0040081234UL);
    check("PACDA value", da, 0xda3a1c0040081234UL);
    check("PACDB value", db, 0x4d0aff0040081234UL);
    check("PACIZA value", paciza(PTR), 0x9400500040081234UL);
    check("PACDZB value", pacdzb(PTR), 0xb77b498040081234UL);
    check("PACIA1716 = PACIA", pacia1716(PTR, MOD), ia);
    check("only the PAC field changes", (ia ^ PTR) & ~PAC_FIELD, 0);
    /* PACGA: ComputePAC(Xn, Xm, APGAKey)<63:32>: the QARMA-64 paper's vector (sigma_2, r = 5). */
    check("PACGA: the QARMA paper's vector", pacga(0xfb623599da6e8127UL, 0x477d469dec0b8762UL), 0xc003b93900000000UL);
    /* An upper-range pointer keeps bit 55 and gets the PAC in the other bits. */
    u64 up = 0xffffff8000012340UL;
    u64 uia = pacia(up, MOD);
    check("PACIA upper-range value", uia, 0xf6feab0000012340UL);
    check("AUTIA upper-range", autia(uia, MOD), up);

    /* AUT: success restores the pointer; failure sets the key's error code in bits 62:61. */
    check("AUTIA", autia(ia, MOD), PTR);
    check("AUTIB", autib(ib, MOD), PTR);
    check("AUTDA", autda(da, MOD), PTR);
    check("AUTDB", autdb(db, MOD), PTR);
    check("AUTIZA", autiza(paciza(PTR)), PTR);
    check("AUTDZB", autdzb(pacdzb(PTR)), PTR);
    check("AUTIB1716", autib1716(pacib(PTR, 0x99), 0x99), PTR);
    check("AUTIA wrong modifier: error code 01 (key A) in bits 62:61", autia(ia, MOD + 1), PTR | (1UL << 61));
    check("AUTIB wrong modifier: error code 10 (key B)", autib(ib, MOD + 1), PTR | (2UL << 61));
    check("AUTDB of a PACDA pointer fails", autdb(da, MOD), PTR | (2UL << 61));
    check("AUTIA of the raw pointer fails", autia(PTR, MOD), PTR | (1UL << 61));
    check("AUTIA upper range wrong modifier: error code in 62:61", autia(uia, 0), up ^ (2UL << 61));
    /* XPAC strips without authenticating. */
    check("XPACI", xpaci(ia), PTR);
    check("XPACD", xpacd(db), PTR);
    check("XPACI upper range", xpaci(uia), up);
    check("XPACLRI", xpaclri_x30(ib), PTR);
    /* The hint forms. */
    u64 sp_signed = paciasp_x30(PTR);
    check("PACIASP changes the PAC field only", (sp_signed ^ PTR) & ~PAC_FIELD, 0);
    check("AUTIASP of PACIASP", autiasp_x30(sp_signed), PTR);
    check("PACIBZ = PACIB with modifier 0", pacibz_x30(PTR), pacib(PTR, 0));
    check("AUTIBZ", autibz_x30(pacib(PTR, 0)), PTR);

    /* A pointer with bad extension bits: its PAC has bit 62 flipped and never authenticates. */
    u64 bad = PTR | (1UL << 40);
    u64 sbad = pacia(bad, MOD);
    check("PACIA bad extension value", sbad, 0x8d0bd90040081234UL);
    check("PACIA bad extension: the good pointer's signed value with bit 62 flipped", sbad, ia ^ (1UL << 62));
    check("AUTIA of a bad-extension pointer fails", autia(sbad, MOD) >> 61, 1);

    /* TBI: the top byte is kept; the PAC is in 54:39; the error code in 54:53. */
    set_tcr_el2(TCR_EL2_BASE | TCR_TBI);
    u64 tagged = PTR | (0x5aUL << 56);
    u64 tda = pacda(tagged, MOD);
    check("TBI: PACDA value", tda, 0x5a214e0040081234UL);
    check("TBI: PACDA keeps the tag", tda >> 56, 0x5a);
    check("TBI: AUTDA", autda(tda, MOD), tagged);
    check("TBI: AUTDA wrong modifier: error code in 54:53", autda(tda, 7), tagged | (1UL << 53));
    check("TBI: XPACD", xpacd(tda), tagged);
    check("TBI: PACIA keeps the tag (TBID = 0)", pacia(tagged, MOD) >> 56, 0x5a);
    /* TBID: TBI applies to data addresses only, so the instruction keys sign the top byte too. */
    set_tcr_el2(TCR_EL2_BASE | TCR_TBI | TCR_TBID);
    check("TBID: PACIA = PACIA without TBI", pacia(PTR, MOD), ia);
    check("TBID: PACDA still keeps the tag", pacda(tagged, MOD), tda);
    set_tcr_el2(TCR_EL2_BASE);
}

static void branches(void)
{
    u64 target = (u64)braa_landing;
    u64 r = call_el2(do_braa, pacia(target, MOD), MOD); chk_none("BRAA", r, 0x77);
    r = call_el2(do_blraa, pacia(target, 3), 3); chk_none("BLRAA", r, 0x77);
    u64 badt = pacia(target, MOD) ^ (1UL << 42);
    r = call_el2(do_braa, badt, MOD);
    chk_exc("BRAA bad PAC: Instruction Abort, Translation fault level 0", r, 2, EC(0x21) | IL | 0x04, target | (1UL << 61));
    check("BRAA bad PAC: FAR", last.far, target | (1UL << 61));
    r = call_el2(do_retaa, 0, 0); chk_none("PACIASP; RETAA", r, 0x55);
    r = call_el2(do_retaa_bad, 0, 0);
    check2("PACIASP; corrupted; RETAA", ": abandoned", r, TRAPPED);
    check2("PACIASP; corrupted; RETAA", ": Instruction Abort, Translation fault level 0", last.esr, EC(0x21) | IL | 0x04);
    check2("PACIASP; corrupted; RETAA", ": ELR has the error code", last.elr >> 61, 1);

    u64 p = (u64)&data_words[0];
    r = call_el2(do_ldraa, pacdza(p), 0); chk_none("LDRAA [x0, #8]", r, data_words[1]);
    r = call_el2(do_ldraa_wb, pacdza(p + 16), 0); chk_none("LDRAA [x0, #-16]! writes back the authenticated address", r, p);
    r = call_el2(do_ldrab, pacdzb(p + 24), 0); chk_none("LDRAB [x0]", r, data_words[3]);
    r = call_el2(do_ldraa, pacdzb(p), 0);
    /* The instruction syndrome (ISV..AR, bits 24:14) of a stage 1 abort
     * reported in ESR_EL2: QEMU 7.2 fills it in, armvisor does not; not compared. */
    last.esr &= ~(0x7ffUL << 14);
    chk_exc("LDRAA of a DB-signed pointer: Data Abort, Translation fault level 0", r, 2, EC(0x25) | IL | 0x04, (u64)do_ldraa);
    check("LDRAA failure: FAR", last.far, (p | (1UL << 61)) + 8);
}

static void enables(void)
{
    set_sctlr_el2(sctlr_el2 & ~EN_IA);
    check("SCTLR_EL2.EnIA = 0: PACIASP is a NOP", paciasp_x30(PTR), PTR);
    check("SCTLR_EL2.EnIA = 0: PACIA returns the pointer", pacia(PTR, MOD), PTR);
    check("SCTLR_EL2.EnIA = 0: AUTIA returns the pointer", autia(PTR, MOD), PTR);
    check("SCTLR_EL2.EnIA = 0: PACIB still signs", pacib(PTR, MOD) != PTR, 1);
    set_sctlr_el2(sctlr_el2 & ~EN_DB);
    check("SCTLR_EL2.EnDB = 0: PACDB returns the pointer", pacdb(PTR, MOD), PTR);
    set_sctlr_el2(sctlr_el2);
}

static void el1(void)
{
    write_sysreg(tcr_el1, TCR_T0SZ_25);
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | EN_IA);
    write_sysreg(vbar_el1, (u64)vectors_el1);
    isb();
    u64 r;
    set_hcr(HCR_API | HCR_APK);
    check("HCR_EL2.{API, APK} writable", read_sysreg(hcr_el2) & (HCR_API | HCR_APK), HCR_API | HCR_APK);
    r = call_el1(el1_pacia, PTR); chk_none("API = 1: EL1 PACIA gives the EL2 value", r, pacia(PTR, 0x1234));
    r = call_el1(el1_rd_apiakeylo, 0); chk_none("APK = 1: EL1 MRS APIAKeyLo_EL1", r, 0x0123456789abcdefUL);

    set_hcr(HCR_APK);
    r = call_el1(el1_pacia, PTR); chk_exc("API = 0: EL1 PACIA traps", r, 2, ESR_PAC, (u64)el1_pacia_i);
    r = call_el1(el1_pacga, PTR); chk_exc("API = 0: EL1 PACGA traps", r, 2, ESR_PAC, (u64)el1_pacga_i);
    r = call_el1(el1_autiasp, PTR); chk_exc("API = 0: EL1 AUTIASP traps", r, 2, ESR_PAC, (u64)el1_autiasp_i);
    r = call_el1(el1_xpaci, pacia(PTR, 1)); chk_none("API = 0: EL1 XPACI does not trap", r, PTR);
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1); isb();
    r = call_el1(el1_pacia, PTR); chk_none("API = 0, SCTLR_EL1.EnIA = 0: EL1 PACIA is a NOP, no trap", r, PTR);
    r = call_el1(el1_pacga, PTR); chk_exc("API = 0, SCTLR_EL1.EnIA = 0: EL1 PACGA still traps", r, 2, ESR_PAC, (u64)el1_pacga_i);

    /* ERETAA: ELR_EL2 authenticated with SP; a bad PAC returns to an address
     * the EL1 fetch faults on (MMU off: Address size fault, level 0, to EL1).
     * (SCTLR_EL1.EnIA set again for the XPACI at EL1: QEMU 7.2 executes
     * XPAC* as NOPs while every SCTLR_EL1.EnXX is 0, which Strip() does not
     * depend on; armvisor strips. Not compared.) */
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | EN_IA); isb();
    clear_last();
    r = lower_call_eretaa((u64)el1_xpaci, SPSR_EL1H, pacia(PTR, 1), (u64)ret_hvc, 0);
    chk_none("ERETAA to EL1", r, PTR);
    clear_last();
    r = lower_call_eretaa((u64)el1_xpaci, SPSR_EL1H, 0, (u64)ret_hvc, 1UL << 44);
    chk_exc("ERETAA with a bad PAC: Instruction Abort at EL1, Address size fault level 0", r, 1, EC(0x21) | IL | 0x00,
        (u64)el1_xpaci | (1UL << 61));

    set_hcr(HCR_API);
    r = call_el1(el1_rd_apiakeylo, 0); chk_exc("APK = 0: EL1 MRS APIAKeyLo_EL1", r, 2, RD(ENC(3, 0, 2, 1, 0), 0), (u64)el1_rd_apiakeylo_i);
    r = call_el1(el1_wr_apdbkeyhi, 0x99); chk_exc("APK = 0: EL1 MSR APDBKeyHi_EL1, x1", r, 2, WR(ENC(3, 0, 2, 2, 3), 1), (u64)el1_wr_apdbkeyhi_i);
    check("APK = 0: APDBKeyHi_EL1 unchanged", read_sysreg(apdbkeyhi_el1), 0xfdb97531eca86420UL);
    r = call_el1(el1_rd_apgakeylo, 0); chk_exc("APK = 0: EL1 MRS APGAKeyLo_EL1", r, 2, RD(ENC(3, 0, 2, 3, 0), 0), (u64)el1_rd_apgakeylo_i);
    set_hcr(0);
}

/* SCR_EL3.API = 0 traps PAC instructions at EL2 to EL3 (EC 0x09), APK = 0
 * the key registers (EC 0x18); at EL3 nothing traps. Then the EL2 checks. */
#define SCR_BASE ((1UL << 0) | (3UL << 4) | (1UL << 8) | (1UL << 10))  /* NS, RES1, HCE, RW */
#define SCR_APK  (1UL << 16)
#define SCR_API  (1UL << 17)
#define SPSR_EL2H 0x3c9UL
#define SCTLR_EL2_RES1 0x30c50830UL
static void set_scr(u64 v) { write_sysreg(scr_el3, v); isb(); }
static u64 call_el2_from_el3(void *fn, u64 arg) { clear_last(); return lower_call3((u64)fn, SPSR_EL2H, arg, (u64)ret_smc); }
static u64 el2_main(void);

static int el3(void)
{
    write_sysreg(vbar_el3, (u64)vectors_el3);
    set_scr(SCR_BASE);
    if (((read_sysreg(id_aa64isar1_el1) >> 4) & 0xf) == 0) { printf("pauth at EL2\n"); return (int)call_el2_from_el3(el2_main, 0); }
    write_sysreg(tcr_el3, TCR_T0SZ_25);
    write_sysreg(tcr_el2, TCR_T0SZ_25);
    write_sysreg(sctlr_el3, read_sysreg(sctlr_el3) | EN_IA);
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | EN_IA);
    set_keys();
    set_scr(SCR_BASE | SCR_API | SCR_APK);
    check("SCR_EL3.{API, APK} writable", read_sysreg(scr_el3) & (SCR_API | SCR_APK), SCR_API | SCR_APK);
    u64 want = pacia(PTR, 0x1234), r;
    r = call_el2_from_el3(el1_pacia, PTR); chk_none("SCR_EL3.API = 1: EL2 PACIA gives the EL3 value", r, want);
    set_scr(SCR_BASE);
    check("SCR_EL3.API = 0: EL3 PACIA does not trap", pacia(PTR, 0x1234), want);
    r = call_el2_from_el3(el1_pacia, PTR); chk_exc("SCR_EL3.API = 0: EL2 PACIA traps to EL3", r, 3, ESR_PAC, (u64)el1_pacia_i);
    r = call_el2_from_el3(el1_pacga, PTR); chk_exc("SCR_EL3.API = 0: EL2 PACGA traps to EL3", r, 3, ESR_PAC, (u64)el1_pacga_i);
    r = call_el2_from_el3(el1_xpaci, want); chk_none("SCR_EL3.API = 0: EL2 XPACI does not trap", r, PTR);
    r = call_el2_from_el3(el1_rd_apiakeylo, 0); chk_exc("SCR_EL3.APK = 0: EL2 MRS APIAKeyLo_EL1 traps to EL3", r, 3, RD(ENC(3, 0, 2, 1, 0), 0), (u64)el1_rd_apiakeylo_i);
    r = call_el2_from_el3(el1_wr_apdbkeyhi, 1); chk_exc("SCR_EL3.APK = 0: EL2 MSR APDBKeyHi_EL1 traps to EL3", r, 3, WR(ENC(3, 0, 2, 2, 3), 1), (u64)el1_wr_apdbkeyhi_i);
    set_scr(SCR_BASE | SCR_API | SCR_APK);
    r = call_el2_from_el3(el1_rd_apiakeylo, 0); chk_none("SCR_EL3.APK = 1: EL2 MRS APIAKeyLo_EL1", r, 0x0123456789abcdefUL);
    printf("pauth at EL2\n");
    return (int)call_el2_from_el3(el2_main, 0);
}

int main(void)
{
    printf("pauth at EL%u\n", current_el());
    if (current_el() == 3) return el3();
    if (current_el() != 2) { printf("FAIL pauth runs at EL2 or EL3\n"); return 1; }
    return (int)el2_main();
}

static u64 el2_main(void)
{
    write_sysreg(vbar_el2, (u64)vectors_el2);
    isb();
    u64 isar1 = read_sysreg(id_aa64isar1_el1);
    if (((isar1 >> 4) & 0xf) == 0) {
        /* No FEAT_PAuth: the hint-space instructions execute as NOPs. */
        check("without FEAT_PAuth: ID_AA64ISAR1_EL1.{APA, API, GPA, GPI} = 0", isar1 & 0xff000ff0UL, 0);
        check("without FEAT_PAuth: PACIASP is a NOP", paciasp_x30(PTR), PTR);
        set_hcr(HCR_API | HCR_APK);
        check("without FEAT_PAuth: HCR_EL2.{API, APK} RES0", read_sysreg(hcr_el2) & (HCR_API | HCR_APK), 0);
        set_hcr(0);
        return check_report();
    }
    check("ID_AA64ISAR1_EL1.{APA, API, GPA, GPI} = {1, 0, 1, 0} (QARMA5)", isar1 & 0xff000ff0UL, 0x01000010UL);
    mmu_on();
    set_keys();
    set_sctlr_el2(sctlr_el2 |= EN_IA | EN_IB | EN_DA | EN_DB);
    set_hcr(0);
    values();
    branches();
    enables();
    el1();
    return (u64)check_report();
}
