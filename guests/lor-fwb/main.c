/*
 * lor-fwb: the EL2 controls of two memory-system features, checked by a
 * hypervisor at EL2 against the Arm ARM:
 *  - FEAT_LOR (lor.c): the LORegion registers, LDLAR/STLLR, HCR_EL2.TLOR;
 *  - FEAT_S2FWB (fwb.c): HCR_EL2.FWB, and the stage 1 + stage 2 memory
 *    attributes PAR_EL1 reports after AT S12E1R with and without it, with
 *    HCR_EL2.CD, and HCR_EL2.PTW's Device check under FWB.
 * One PASS/FAIL line per check; a tally of every exception the handlers saw
 * by source EL, target EL and class (`exceptions ELa->ELb ec=0xNN N`, which
 * `armvisor --stats` must match); then `N passed, M failed`, exit status M != 0.
 */
#include "lor_fwb.h"

volatile struct last_exception last;
static volatile u64 tally[3][3][64]; /* [from EL][to EL][EC]: every synchronous exception */

u64 lor_fwb_handler(struct frame *f)
{
    u64 ec = f->esr >> 26, from = (f->spsr >> 2) & 3, to = f->el;
    if (f->off & 0x180) {
        printf("UNEXPECTED asynchronous exception at EL%lu vector=0x%lx esr=0x%lx elr=0x%lx\n", to, f->off, f->esr, f->elr);
        semihosting_exit(98);
    }
    tally[from][to][ec]++;
    /* The call's return: ret_hvc from EL1, ret_svc from EL0 (passed on to EL2 by HVC). */
    if (ec == 0x16 && (f->esr & 0xffff) == RET_IMM && to == 2 && from < 2) return 1;
    if (ec == 0x15 && (f->esr & 0xffff) == RET_IMM && to == 1 && from == 0) return 2;
    last.count++;
    last.esr = f->esr;
    last.elr = f->elr;
    last.el = to;
    f->x[1] = TRAPPED;
    return to == 1 ? 2 : 1;
}

u64 call_lower(u64 fn, u64 spsr, u64 arg)
{
    last.count = 0;
    last.esr = last.elr = last.el = ~0UL;
    return lower_call(fn, spsr, arg, (spsr & 0xc) == 0 ? (u64)ret_svc : (u64)ret_hvc);
}

/* The probe at `insn` took one exception to `el` with this ESR, at insn. */
void chk_exc(const char *name, u64 r, u64 el, u64 esr, u64 insn)
{
    check2(name, ": abandoned", r, TRAPPED);
    check2(name, ": one exception", last.count, 1);
    check2(name, ": to EL", last.el, el);
    check2(name, ": ESR", last.esr, esr);
    check2(name, ": ELR", last.elr, insn);
}

void chk_none(const char *name, u64 r, u64 want)
{
    check2(name, ": no exception", last.count, 0);
    check2(name, ": result", r, want);
}

int main(void)
{
    printf("lor-fwb at EL%u\n", current_el());
    if (current_el() != 2) { printf("FAIL booted at EL%u, not EL2\n", current_el()); return 1; }
    write_sysreg(vbar_el2, vectors_el2);
    write_sysreg(vbar_el1, vectors_el1);
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
    set_hcr(0);
    lor();
    fwb();
    set_hcr(0);
    for (int from = 0; from < 3; from++)
        for (int to = 0; to < 3; to++)
            for (int ec = 0; ec < 64; ec++)
                if (tally[from][to][ec])
                    printf("exceptions EL%d->EL%d ec=0x%02x %lu\n", from, to, ec, tally[from][to][ec]);
    return check_report();
}
