/*
 * nv: the FEAT_NV controls (HCR_EL2.NV, NV1, AT) checked by a hypervisor at
 * EL2 against the Arm ARM (D8 "Nested virtualization", the HCR_EL2.NV, NV1
 * and AT field descriptions, AArch64.TakeException). armvisor runs it with
 * FEAT_NV2 by default (ID_AA64MMFR2_EL1.NV = 2); QEMU 7.2 implements neither
 * FEAT_NV nor FEAT_NV2, so there is no differential run.
 *
 * At EL1 called from EL2 (SPSR EL1h), with EL2 enabled:
 *  - HCR_EL2.NV: MRS/MSR of EL2 registers (op1 = 4: HCR_EL2, VBAR_EL2,
 *    SP_EL1, SPSR_EL2) and of *_EL12/_EL02 (op1 = 5) trap to EL2 with EC
 *    0x18 and the full ISS; without NV they are UNDEFINED at EL1 (EC 0x00,
 *    taken to EL1). SP_EL2 (op1 = 6) stays UNDEFINED. CurrentEL reads EL2.
 *    ERET traps with EC 0x1A (ISS 0). AT S1E2R and TLBI ALLE2 trap (EC 0x18).
 *    An SVC taken from EL1 to EL1 saves SPSR_EL1.M[3:2] = 0b10 (NV1 = 0).
 *    (With NV1 = 1 the EL1 handler's own MRS ELR_EL1 traps, so M = 0b01 is not checked.)
 *  - HCR_EL2.{NV, NV1} = {1, 1}: VBAR_EL1, ELR_EL1, SPSR_EL1 trap; not with NV alone.
 *  - HCR_EL2.AT: AT S1E1R, AT S1E0W trap to EL2.
 *  - ID_AA64MMFR2_EL1.NV reads 2; HCR_EL2.NV2 and VNCR_EL2 are writable.
 *  - NV1's stage 1 descriptor reading, LDTR and PAN (nv1_descriptors) and
 *    FEAT_NV2's VNCR page (nv2): see there.
 * One PASS/FAIL line per check, a tally of the exceptions the handlers saw
 * (`exceptions ELa->ELb ec=0xNN N`, which `armvisor --stats` must match),
 * then `N passed, M failed`; exit status M != 0.
 */
#include "nv.h"
#include "esr.h"

#define PROBES(X) \
    X(currentel) X(hcr_el2) X(wr_vbar_el2) X(sctlr_el12) X(wr_cntv_ctl_el02) X(sp_el1) X(spsr_el2) \
    X(eret) X(vbar_el1) X(wr_elr_el1) X(spsr_el1) X(at_s1e1r) X(at_s1e0w) X(tlbi_alle2) X(at_s1e2r) \
    X(svc) X(sp_el2) X(sctlr_el12_x0) X(sctlr_el1) X(wr_vttbr_el2) X(wr_elr_el2) X(wr_sp_el1) X(call) \
    X(ldtr) X(pan_ldr) X(wr_ich_lr1_el2) X(ich_vtr_el2)
#define DECLARE(n) extern char p_##n[], p_##n##_i[];
PROBES(DECLARE)
#define P(n) ((u64)p_##n)
#define I(n) ((u64)p_##n##_i)

#define HCR_RW    (1UL << 31)
#define HCR_NV    (1UL << 42)
#define HCR_NV1   (1UL << 43)
#define HCR_AT    (1UL << 44)
#define HCR_NV2   (1UL << 45)
#define SPSR_EL1H 0x3c5UL
#define SCTLR_EL1_OFF 0x30d00800UL
#define ESR_ERET  (EC(0x1a) | IL)

static void set_hcr(u64 v) { write_sysreg(hcr_el2, HCR_RW | v); isb(); }

static volatile struct { u64 count, esr, elr, spsr, el, far; } last;
static volatile u64 tally[3][3][64]; /* [from EL][to EL][EC] of every synchronous exception, for --stats */
static void clear_last(void) { last.count = 0; last.esr = last.elr = last.spsr = last.el = last.far = ~0UL; }


u64 nv_handler(struct frame *f)
{
    u64 ec = f->esr >> 26;
    int sync = (f->off & 0x180) == 0;
    /* The source EL from SPSR.M[3:2], except that an exception taken to EL1
     * from EL1 under HCR_EL2.NV saves M[3:2] = 0b10 (EL2): it came from EL1. */
    u64 from = (f->spsr >> 2) & 3;
    if (f->el == 1 && from == 2) from = 1;
    if (sync) tally[from][f->el][ec]++;
    if (sync && ec == 0x16 && (f->esr & 0xffff) == RET_IMM && f->el == 2) return 1;
    last.count++;
    last.esr = sync ? f->esr : 0;
    last.elr = f->elr;
    last.spsr = f->spsr;
    last.el = f->el;
    last.far = f->far;
    f->x[1] = TRAPPED;
    return f->el == 1 ? 2 : 1;
}

static u64 call_el1(u64 fn, u64 arg) { clear_last(); return lower_call(fn, SPSR_EL1H, arg, (u64)ret_hvc); }

/* The probe at `insn` took one exception to `el` with this ESR, at insn. */
static void chk_exc(const char *name, u64 r, u64 el, u64 esr, u64 insn)
{
    check2(name, ": abandoned", r, TRAPPED);
    check2(name, ": one exception", last.count, 1);
    check2(name, ": to EL", last.el, el);
    check2(name, ": ESR", last.esr, esr);
    check2(name, ": ELR", last.elr, insn);
}
static void chk_none(const char *name, u64 r, u64 want)
{
    check2(name, ": no exception", last.count, 0);
    check2(name, ": result", r, want);
}

/*
 * HCR_EL2.{NV, NV1} = {1, 1}: the EL1&0 stage 1 Block/Page descriptors are
 * read as the EL2 regime's (bit 54 is PXN, bit 53 RES0, UXN 0, AP[1] 0; the
 * HCR_EL2.NV1 description and AArch64.S1...Permissions), LDTR at EL1 is a
 * privileged access (the LDTR pseudocode's unpriv_at_el1 excludes NV, NV1 =
 * 1, 1), and so PAN never restricts EL1 (no page is EL0-accessible).
 * A 39-bit VA, 4 KiB granule identity map of RAM, with four test pages:
 *   tp0: bit 54 set (UXN; PXN under NV1), code "MOVZ x0, #0x1234; RET"
 *   tp1: bit 53 set (PXN; RES0 under NV1), the same code
 *   tp2: AP = 01 (EL0 read/write), data    tp3: AP = 00 (EL1 only), data
 */
#define PAGE_AF   (1UL << 10)
#define PAGE_SH   (3UL << 8)
static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2[512] __attribute__((aligned(4096)));
static u64 l3[512] __attribute__((aligned(4096)));
static struct { u32 w[4][1024]; } tp __attribute__((aligned(16384)));
#define TP(n) ((u64)&tp.w[n][0])
#define ESR_IABT_PERM_L3 (EC(0x21) | IL | 0x0f)
#define ESR_DABT_PERM_L3 (EC(0x25) | IL | 0x0f)
#define SCTLR_EL1_MMU (SCTLR_EL1_OFF | 1 | (1 << 2) | (1 << 12))
extern char p_at_s1e0r_par[];

static void tlbi_el1(void) { __asm__ volatile("dsb ish; tlbi vmalls12e1; dsb ish; isb" ::: "memory"); }

static void mmu_el1_on(void)
{
    u64 base2m = TP(0) & ~0x1fffffUL;
    for (int i = 0; i < 512; i++) {
        u64 pa = 0x40000000UL + ((u64)i << 21);
        l2[i] = pa == base2m ? ((u64)l3 | 3) : (pa | PAGE_AF | PAGE_SH | 1);
        l3[i] = (base2m + ((u64)i << 12)) | PAGE_AF | PAGE_SH | 3;
    }
    l1[1] = (u64)l2 | 3;
    for (int n = 0; n < 2; n++) { tp.w[n][0] = 0xd2824680; tp.w[n][1] = 0xd65f03c0; } /* movz x0, #0x1234; ret */
    tp.w[2][0] = 0xabcd0002; tp.w[2][1] = 0; /* little-endian u64 0xabcd0002 */
    tp.w[3][0] = 0xabcd0003; tp.w[3][1] = 0;
    l3[(TP(0) - base2m) >> 12] |= 1UL << 54;
    l3[(TP(1) - base2m) >> 12] |= 1UL << 53;
    l3[(TP(2) - base2m) >> 12] |= 1UL << 6;
    __asm__ volatile("dc cvau, %0; dc cvau, %1; dsb ish; ic iallu; dsb ish; isb" : : "r"(TP(0)), "r"(TP(1)) : "memory");
    write_sysreg(mair_el1, 0xff);
    write_sysreg(tcr_el1, 25 | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (2UL << 32));
    write_sysreg(ttbr0_el1, (u64)l1);
    isb();
    write_sysreg(sctlr_el1, SCTLR_EL1_MMU);
    tlbi_el1();
}

/* Under NV1 the EL1 handler's own MRS ELR_EL1 traps to EL2: the fault taken
 * to EL1 is then read from ESR_EL1 and FAR_EL1 at EL2. */
static void chk_el1_fault_nv1(const char *name, u64 r, u64 esr, u64 far)
{
    /* The EL1 fault's handler trapped before reaching nv_handler: tally it here. */
    tally[1][1][read_sysreg(esr_el1) >> 26]++;
    check2(name, ": abandoned (EL1 handler's MRS ELR_EL1 traps)", r, TRAPPED);
    check2(name, ": EL1 handler trapped to EL2", last.esr, RD(ENC(3, 0, 4, 0, 1), 2));
    check2(name, ": ESR_EL1", read_sysreg(esr_el1), esr);
    check2(name, ": FAR_EL1", read_sysreg(far_el1), far);
}

static void nv1_descriptors(void)
{
    u64 r;
    mmu_el1_on();
    set_hcr(0); tlbi_el1();
    r = call_el1(P(call), TP(0)); chk_none("no NV: EL1 runs a bit 54 (UXN) page", r, 0x1234);
    r = call_el1(P(call), TP(1)); chk_exc("no NV: EL1 runs a bit 53 (PXN) page", r, 1, ESR_IABT_PERM_L3, TP(1));
    r = call_el1(P(pan_ldr), TP(2)); chk_exc("no NV: EL1 LDR with PAN, AP = 01", r, 1, ESR_DABT_PERM_L3, I(pan_ldr));
    r = call_el1(P(ldtr), TP(3)); chk_exc("no NV: EL1 LDTR, AP = 00", r, 1, ESR_DABT_PERM_L3, I(ldtr));
    r = call_el1((u64)p_at_s1e0r_par, TP(2)); check("no NV: AT S1E0R, AP = 01: PAR_EL1.F = 0", r & 1, 0);
    set_hcr(HCR_NV); tlbi_el1();
    r = call_el1(P(call), TP(1)); chk_exc("NV: EL1 runs a bit 53 (PXN) page", r, 1, ESR_IABT_PERM_L3, TP(1));
    r = call_el1(P(ldtr), TP(3)); chk_exc("NV: EL1 LDTR, AP = 00", r, 1, ESR_DABT_PERM_L3, I(ldtr));
    set_hcr(HCR_NV | HCR_NV1); tlbi_el1();
    write_sysreg(esr_el1, 0); write_sysreg(far_el1, 0);
    r = call_el1(P(call), TP(0)); chk_el1_fault_nv1("NV1: bit 54 is PXN: EL1 runs it", r, ESR_IABT_PERM_L3, TP(0));
    r = call_el1(P(call), TP(1)); chk_none("NV1: bit 53 RES0: EL1 runs a bit 53 page", r, 0x1234);
    r = call_el1(P(pan_ldr), TP(2)); chk_none("NV1: AP[1] is 0: EL1 LDR with PAN, AP = 01", r, 0xabcd0002);
    r = call_el1(P(ldtr), TP(3)); chk_none("NV1: EL1 LDTR is privileged, AP = 00", r, 0xabcd0003);
    r = call_el1((u64)p_at_s1e0r_par, TP(2));
    check("NV1: AT S1E0R, AP = 01: PAR_EL1.{FST, F} = permission L3, 1", r & 0x7f, (0x0f << 1) | 1);
    set_hcr(0); tlbi_el1();
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
    isb();
}

/*
 * FEAT_NV2, HCR_EL2.{NV2, NV} = {1, 1}: EL1 MRS/MSR of the registers in the
 * Arm ARM's table of VNCR_EL2-relative offsets are 64-bit accesses to
 * VNCR_EL2.BADDR + offset (HCR_EL2 0x78, VTTBR_EL2 0x20, SCTLR_EL1 0x110,
 * CNTV_CTL_EL0 0x170, ELR_EL1 0x230, SP_EL1 0x240, VBAR_EL1 0x250): the
 * EL2 ones always, the EL1 ones through *_EL12/_EL02 with NV1 = 0 and
 * through *_EL1 with NV1 = 1. SPSR_EL2, ELR_EL2 reach SPSR_EL1, ELR_EL1.
 * Other EL2 registers still trap. A VNCR access that faults is a Data Abort
 * to EL2 (EC 0x24) with ISS.VNCR (bit 13), FAR_EL2 its address.
 */
static u64 vncr[512] __attribute__((aligned(4096)));
#define ESR_VNCR_ASIZE_L0(wnr) (EC(0x24) | IL | (1UL << 13) | ((wnr) ? 0x40 : 0))

static void nv2(void)
{
    u64 r;
    for (int i = 0; i < 512; i++) vncr[i] = 0x7700000000000000UL | (u64)i * 8;
    write_sysreg(s3_4_c2_c2_0, (u64)vncr);
    u64 vttbr = read_sysreg(vttbr_el2);
    write_sysreg(spsr_el1, 0x3c4);
    write_sysreg(elr_el1, 0x1110);
    set_hcr(HCR_NV | HCR_NV2);
    r = call_el1(P(hcr_el2), 0); chk_none("NV2: EL1 MRS HCR_EL2 reads VNCR+0x78", r, vncr[0x78 / 8]);
    r = call_el1(P(wr_vttbr_el2), 0x5555000); chk_none("NV2: EL1 MSR VTTBR_EL2", r, 0);
    check("NV2: MSR VTTBR_EL2 wrote VNCR+0x20", vncr[0x20 / 8], 0x5555000);
    check("NV2: VTTBR_EL2 unchanged", read_sysreg(vttbr_el2), vttbr);
    r = call_el1(P(sctlr_el12_x0), 0); chk_none("NV2: EL1 MRS SCTLR_EL12 reads VNCR+0x110", r, vncr[0x110 / 8]);
    r = call_el1(P(wr_cntv_ctl_el02), 0x3); chk_none("NV2: EL1 MSR CNTV_CTL_EL02", r, 0);
    check("NV2: MSR CNTV_CTL_EL02 wrote VNCR+0x170", vncr[0x170 / 8], 3);
    r = call_el1(P(wr_sp_el1), 0x8888); chk_none("NV2: EL1 MSR SP_EL1", r, 0);
    check("NV2: MSR SP_EL1 wrote VNCR+0x240", vncr[0x240 / 8], 0x8888);
    r = call_el1(P(spsr_el2), 0); chk_none("NV2: EL1 MRS SPSR_EL2 reads SPSR_EL1", r, 0x3c4);
    r = call_el1(P(wr_elr_el2), 0x2220); chk_none("NV2: EL1 MSR ELR_EL2", r, 0);
    check("NV2: MSR ELR_EL2 wrote ELR_EL1", read_sysreg(elr_el1), 0x2220);
    r = call_el1(P(sctlr_el1), 0); chk_none("NV2: EL1 MRS SCTLR_EL1 (NV1 = 0) is the register", r, SCTLR_EL1_OFF);
    r = call_el1(P(vbar_el1), 0); chk_none("NV2: EL1 MRS VBAR_EL1 (NV1 = 0) is the register", r, (u64)vectors_el1);
    if ((read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf) { /* the GICv3 system register interface (not with armvisor --gic 2) */
        r = call_el1(P(wr_ich_lr1_el2), 0x77); chk_none("NV2: EL1 MSR ICH_LR1_EL2", r, 0);
        check("NV2: MSR ICH_LR1_EL2 wrote VNCR+0x408", vncr[0x408 / 8], 0x77);
        r = call_el1(P(ich_vtr_el2), 0); chk_exc("NV2: EL1 MRS ICH_VTR_EL2 still traps", r, 2, RD(ENC(3, 4, 12, 11, 1), 0), I(ich_vtr_el2));
    }
    r = call_el1(P(wr_vbar_el2), 0); chk_exc("NV2: EL1 MSR VBAR_EL2 still traps", r, 2, WR(ENC(3, 4, 12, 0, 0), 1), I(wr_vbar_el2));
    r = call_el1(P(eret), 0); chk_exc("NV2: EL1 ERET still traps", r, 2, ESR_ERET, I(eret));
    r = call_el1(P(currentel), 0); chk_none("NV2: EL1 CurrentEL reads EL2", r, 2 << 2);

    set_hcr(HCR_NV | HCR_NV1 | HCR_NV2);
    r = call_el1(P(vbar_el1), 0); chk_none("NV2 NV1: EL1 MRS VBAR_EL1 reads VNCR+0x250", r, vncr[0x250 / 8]);
    r = call_el1(P(wr_elr_el1), 0x4440); chk_none("NV2 NV1: EL1 MSR ELR_EL1", r, 0);
    check("NV2 NV1: MSR ELR_EL1 wrote VNCR+0x230", vncr[0x230 / 8], 0x4440);
    r = call_el1(P(sctlr_el1), 0); chk_none("NV2 NV1: EL1 MRS SCTLR_EL1 reads VNCR+0x110", r, vncr[0x110 / 8]);
    r = call_el1(P(hcr_el2), 0); chk_none("NV2 NV1: EL1 MRS HCR_EL2 reads VNCR+0x78", r, vncr[0x78 / 8]);
    r = call_el1(P(sctlr_el12), 0); chk_exc("NV2 NV1: EL1 MRS x3, SCTLR_EL12 traps", r, 2, RD(ENC(3, 5, 1, 0, 0), 3), I(sctlr_el12));

    /* BADDR above the 48-bit PA size with the EL2 MMU off: an Address size fault, level 0. */
    write_sysreg(s3_4_c2_c2_0, 1UL << 48);
    set_hcr(HCR_NV | HCR_NV2);
    r = call_el1(P(hcr_el2), 0); chk_exc("NV2: VNCR read fault", r, 2, ESR_VNCR_ASIZE_L0(0), I(hcr_el2));
    check("NV2: VNCR read fault: FAR_EL2", last.far, (1UL << 48) + 0x78);
    r = call_el1(P(wr_vttbr_el2), 1); chk_exc("NV2: VNCR write fault", r, 2, ESR_VNCR_ASIZE_L0(1), I(wr_vttbr_el2));
    check("NV2: VNCR write fault: FAR_EL2", last.far, (1UL << 48) + 0x20);
    set_hcr(0);
}

int main(void)
{
    printf("nv at EL%u\n", current_el());
    if (current_el() != 2) { printf("FAIL booted at EL%u, not EL2\n", current_el()); return 1; }
    write_sysreg(vbar_el2, vectors_el2);
    write_sysreg(vbar_el1, vectors_el1);
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
    u64 nvid = (read_sysreg(id_aa64mmfr2_el1) >> 24) & 0xf;
    check("ID_AA64MMFR2_EL1.NV reads 2 (FEAT_NV2)", nvid, 2);
    if (nvid == 0) {
        /* A CPU without FEAT_NV (armvisor --no-vhe): the controls are RES0 and VNCR_EL2 UNDEFINED; nothing else to check. */
        set_hcr(HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2);
        check("without FEAT_NV: HCR_EL2.{NV, NV1, AT, NV2} RES0", read_sysreg(hcr_el2) & (HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2), 0);
        set_hcr(0);
        return check_report();
    }
    set_hcr(HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2);
    check("HCR_EL2.{NV, NV1, AT, NV2} writable", read_sysreg(hcr_el2) & (HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2), HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2);
    write_sysreg(s3_4_c2_c2_0, 0x12345fffUL);
    check("VNCR_EL2: BADDR 56:12 kept, 11:0 RES0", read_sysreg(s3_4_c2_c2_0), 0x12345000UL);

    /* Without NV: the EL2 and *_EL12 encodings are UNDEFINED at EL1, ERET returns, CurrentEL is EL1. */
    set_hcr(0);
    u64 r;
    r = call_el1(P(currentel), 0); chk_none("no NV: EL1 CurrentEL", r, 1 << 2);
    r = call_el1(P(hcr_el2), 0); chk_exc("no NV: EL1 MRS HCR_EL2 UNDEFINED", r, 1, ESR_UNDEF, I(hcr_el2));
    r = call_el1(P(sctlr_el12), 0); chk_exc("no NV: EL1 MRS SCTLR_EL12 UNDEFINED", r, 1, ESR_UNDEF, I(sctlr_el12));
    r = call_el1(P(tlbi_alle2), 0); chk_exc("no NV: EL1 TLBI ALLE2 UNDEFINED", r, 1, ESR_UNDEF, I(tlbi_alle2));
    r = call_el1(P(vbar_el1), 0); chk_none("no NV: EL1 MRS VBAR_EL1", r, (u64)vectors_el1);
    r = call_el1(P(at_s1e1r), 0); chk_none("no NV: EL1 AT S1E1R", r, 0);
    r = call_el1(P(svc), 0); chk_exc("no NV: EL1 SVC to EL1", r, 1, ESR_SVC(0x33), I(svc) + 4);
    check("no NV: SVC from EL1 saves SPSR_EL1.M = EL1h", last.spsr & 0xf, 5);

    /* HCR_EL2.NV */
    set_hcr(HCR_NV);
    r = call_el1(P(currentel), 0); chk_none("NV: EL1 CurrentEL reads EL2", r, 2 << 2);
    r = call_el1(P(hcr_el2), 0); chk_exc("NV: EL1 MRS HCR_EL2", r, 2, RD(ENC(3, 4, 1, 1, 0), 0), I(hcr_el2));
    r = call_el1(P(wr_vbar_el2), 0); chk_exc("NV: EL1 MSR VBAR_EL2, x1", r, 2, WR(ENC(3, 4, 12, 0, 0), 1), I(wr_vbar_el2));
    check("NV: VBAR_EL2 unchanged", read_sysreg(vbar_el2), (u64)vectors_el2);
    r = call_el1(P(sctlr_el12), 0); chk_exc("NV: EL1 MRS x3, SCTLR_EL12", r, 2, RD(ENC(3, 5, 1, 0, 0), 3), I(sctlr_el12));
    r = call_el1(P(wr_cntv_ctl_el02), 0); chk_exc("NV: EL1 MSR CNTV_CTL_EL02, x1", r, 2, WR(ENC(3, 5, 14, 3, 1), 1), I(wr_cntv_ctl_el02));
    r = call_el1(P(sp_el1), 0); chk_exc("NV: EL1 MRS SP_EL1", r, 2, RD(ENC(3, 4, 4, 1, 0), 0), I(sp_el1));
    r = call_el1(P(spsr_el2), 0); chk_exc("NV: EL1 MRS SPSR_EL2", r, 2, RD(ENC(3, 4, 4, 0, 0), 0), I(spsr_el2));
    r = call_el1(P(sp_el2), 0); chk_exc("NV: EL1 MRS SP_EL2 stays UNDEFINED", r, 1, ESR_UNDEF, I(sp_el2));
    r = call_el1(P(eret), 0); chk_exc("NV: EL1 ERET", r, 2, ESR_ERET, I(eret));
    r = call_el1(P(tlbi_alle2), 0); chk_exc("NV: EL1 TLBI ALLE2", r, 2, SYS(4, 8, 7, 0, 31), I(tlbi_alle2));
    r = call_el1(P(at_s1e2r), 0x1000); chk_exc("NV: EL1 AT S1E2R, x1", r, 2, SYS(4, 7, 8, 0, 1), I(at_s1e2r));
    r = call_el1(P(vbar_el1), 0); chk_none("NV: EL1 MRS VBAR_EL1 (NV1 = 0)", r, (u64)vectors_el1);
    r = call_el1(P(at_s1e1r), 0); chk_none("NV: EL1 AT S1E1R (AT = 0)", r, 0);
    r = call_el1(P(svc), 0); chk_exc("NV: EL1 SVC to EL1", r, 1, ESR_SVC(0x33), I(svc) + 4);
    check("NV: SVC from EL1 to EL1 saves SPSR_EL1.M[3:2] = EL2", last.spsr & 0xf, 9);

    /* HCR_EL2.{NV, NV1} = {1, 1} */
    set_hcr(HCR_NV | HCR_NV1);
    r = call_el1(P(vbar_el1), 0); chk_exc("NV1: EL1 MRS VBAR_EL1", r, 2, RD(ENC(3, 0, 12, 0, 0), 0), I(vbar_el1));
    r = call_el1(P(wr_elr_el1), 0x1234); chk_exc("NV1: EL1 MSR ELR_EL1, x1", r, 2, WR(ENC(3, 0, 4, 0, 1), 1), I(wr_elr_el1));
    r = call_el1(P(spsr_el1), 0); chk_exc("NV1: EL1 MRS SPSR_EL1", r, 2, RD(ENC(3, 0, 4, 0, 0), 0), I(spsr_el1));
    r = call_el1(P(currentel), 0); chk_none("NV1: EL1 CurrentEL reads EL2", r, 2 << 2);

    /* HCR_EL2.AT (without NV) */
    set_hcr(HCR_AT);
    r = call_el1(P(at_s1e1r), 0x1000); chk_exc("AT: EL1 AT S1E1R, x1", r, 2, SYS(0, 7, 8, 0, 1), I(at_s1e1r));
    r = call_el1(P(at_s1e0w), 0x1000); chk_exc("AT: EL1 AT S1E0W, x1", r, 2, SYS(0, 7, 8, 3, 1), I(at_s1e0w));
    r = call_el1(P(hcr_el2), 0); chk_exc("AT: EL1 MRS HCR_EL2 UNDEFINED (NV = 0)", r, 1, ESR_UNDEF, I(hcr_el2));
    set_hcr(0);
    nv1_descriptors();
    nv2();
    for (int from = 0; from < 3; from++)
        for (int to = 0; to < 3; to++)
            for (int ec = 0; ec < 64; ec++)
                if (tally[from][to][ec])
                    printf("exceptions EL%d->EL%d ec=0x%02x %lu\n", from, to, ec, tally[from][to][ec]);
    return check_report();
}
