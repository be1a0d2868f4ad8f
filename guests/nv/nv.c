/*
 * nv: the FEAT_NV controls (HCR_EL2.NV, NV1, AT) checked by a hypervisor at
 * EL2 against the Arm ARM (D8 "Nested virtualization", the HCR_EL2.NV, NV1
 * and AT field descriptions, AArch64.TakeException). armvisor runs it with
 * its internal --experimental-nv switch; QEMU 7.2 does not implement FEAT_NV.
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
 *  - ID_AA64MMFR2_EL1.NV reads 0 (FEAT_NV is incomplete and not advertised)
 *    and HCR_EL2.NV2 stays RES0.
 * One PASS/FAIL line per check, then `N passed, M failed`; exit status M != 0.
 */
#include "nv.h"
#include "esr.h"

#define PROBES(X) \
    X(currentel) X(hcr_el2) X(wr_vbar_el2) X(sctlr_el12) X(wr_cntv_ctl_el02) X(sp_el1) X(spsr_el2) \
    X(eret) X(vbar_el1) X(wr_elr_el1) X(spsr_el1) X(at_s1e1r) X(at_s1e0w) X(tlbi_alle2) X(at_s1e2r) \
    X(svc) X(sp_el2)
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

static volatile struct { u64 count, esr, elr, spsr, el; } last;
static void clear_last(void) { last.count = 0; last.esr = last.elr = last.spsr = last.el = ~0UL; }

u64 nv_handler(struct frame *f)
{
    u64 ec = f->esr >> 26;
    int sync = (f->off & 0x180) == 0;
    if (sync && ec == 0x16 && (f->esr & 0xffff) == RET_IMM && f->el == 2) return 1;
    last.count++;
    last.esr = sync ? f->esr : 0;
    last.elr = f->elr;
    last.spsr = f->spsr;
    last.el = f->el;
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

int main(void)
{
    printf("nv at EL%u\n", current_el());
    if (current_el() != 2) { printf("FAIL booted at EL%u, not EL2\n", current_el()); return 1; }
    write_sysreg(vbar_el2, vectors_el2);
    write_sysreg(vbar_el1, vectors_el1);
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
    check("ID_AA64MMFR2_EL1.NV reads 0 (not advertised)", (read_sysreg(id_aa64mmfr2_el1) >> 24) & 0xf, 0);
    set_hcr(HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2);
    check("HCR_EL2.{NV, NV1, AT} writable, NV2 RES0", read_sysreg(hcr_el2) & (HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2), HCR_NV | HCR_NV1 | HCR_AT);

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
    return check_report();
}
