/*
 * FEAT_LOR (Armv8.1 Limited ordering regions), Arm ARM D24.2 LORSA_EL1,
 * LOREA_EL1, LORN_EL1, LORC_EL1, LORID_EL1 and the LDLAR/STLLR pages:
 *  - ID_AA64MMFR1_EL1.LO = 1; LORID_EL1 gives the LORegions (LR) and
 *    descriptors (LD) armvisor implements: one of each;
 *  - each register keeps only its fields: LORSA_EL1 SA[47:16] (48-bit PAs)
 *    and Valid, LOREA_EL1 EA[47:16], LORC_EL1 EN (DS has no bits with one
 *    descriptor), LORN_EL1 Num (no bits with one LORegion: RAZ/WI);
 *  - LDLAR/STLLR of every size store and load like LDAR/STLR;
 *  - at EL1 they are accessible; HCR_EL2.TLOR traps each to EL2 with EC
 *    0x18 and the full ISS; MSR LORID_EL1 stays UNDEFINED (read-only);
 *  - at EL0 they are UNDEFINED, TLOR or not.
 */
#include "lor_fwb.h"

#define PROBES(X) X(lorsa) X(wr_lorea) X(lorn) X(wr_lorc) X(lorid) X(wr_lorid) X(ldlar) X(stllrb)
#define DECLARE(n) extern char p_##n[], p_##n##_i[];
PROBES(DECLARE)
#define P(n) ((u64)p_##n)
#define I(n) ((u64)p_##n##_i)

u64 lor_roundtrip(u64 *p, u64 v);

#define LOR(op2) ENC(3, 0, 10, 4, op2)

void lor(void)
{
    check("ID_AA64MMFR1_EL1.LO reads 1 (FEAT_LOR)", (read_sysreg(id_aa64mmfr1_el1) >> 16) & 0xf, 1);
    check("LORID_EL1: LR = 1, LD = 1", read_sysreg(lorid_el1), 0x10001);
    write_sysreg(lorsa_el1, ~0UL);
    check("LORSA_EL1 keeps SA[47:16] and Valid", read_sysreg(lorsa_el1), 0x0000ffffffff0001UL);
    write_sysreg(lorea_el1, ~0UL);
    check("LOREA_EL1 keeps EA[47:16]", read_sysreg(lorea_el1), 0x0000ffffffff0000UL);
    write_sysreg(lorn_el1, ~0UL);
    check("LORN_EL1 is RAZ/WI with one LORegion", read_sysreg(lorn_el1), 0);
    write_sysreg(lorc_el1, ~0UL);
    check("LORC_EL1 keeps EN", read_sysreg(lorc_el1), 1);
    write_sysreg(lorc_el1, 0);
    write_sysreg(lorsa_el1, 0x40000001UL);
    write_sysreg(lorea_el1, 0x4fff0000UL);

    static u64 word;
    check("LDLAR/STLLR X, W, H, B at EL2", lor_roundtrip(&word, 0x8877665544332211UL),
          0x8877665544332211UL + 0x44332211UL + 0x2211UL + 0x11UL);
    check("STLLRB left the other bytes", word, 0x8877665544332211UL);

    /* EL1 without TLOR: the registers are accessible. */
    set_hcr(0);
    u64 r;
    r = call_lower(P(lorsa), SPSR_EL1H, 0); chk_none("EL1 MRS LORSA_EL1", r, 0x40000001UL);
    r = call_lower(P(wr_lorea), SPSR_EL1H, 0x5fff0000UL); chk_none("EL1 MSR LOREA_EL1", r, 0);
    check("EL1 MSR LOREA_EL1 wrote it", read_sysreg(lorea_el1), 0x5fff0000UL);
    r = call_lower(P(lorid), SPSR_EL1H, 0); chk_none("EL1 MRS LORID_EL1", r, 0x10001);
    r = call_lower(P(wr_lorid), SPSR_EL1H, 0); chk_exc("EL1 MSR LORID_EL1 UNDEFINED", r, 1, ESR_UNDEF, I(wr_lorid));
    r = call_lower(P(ldlar), SPSR_EL1H, (u64)&word); chk_none("EL1 LDLAR", r, 0x8877665544332211UL);
    r = call_lower(P(stllrb), SPSR_EL1H, (u64)&word); chk_none("EL1 STLLRB", r, 0);
    check("EL1 STLLRB stored its byte", word, (0x8877665544332211UL & ~0xffUL) | ((u64)&word & 0xff));

    /* HCR_EL2.TLOR */
    set_hcr(HCR_TLOR);
    check("HCR_EL2.TLOR writable", read_sysreg(hcr_el2) & HCR_TLOR, HCR_TLOR);
    r = call_lower(P(lorsa), SPSR_EL1H, 0); chk_exc("TLOR: EL1 MRS LORSA_EL1", r, 2, RD(LOR(0), 0), I(lorsa));
    r = call_lower(P(wr_lorea), SPSR_EL1H, 0x1230000UL); chk_exc("TLOR: EL1 MSR LOREA_EL1, x1", r, 2, WR(LOR(1), 1), I(wr_lorea));
    check("TLOR: LOREA_EL1 unchanged", read_sysreg(lorea_el1), 0x5fff0000UL);
    r = call_lower(P(lorn), SPSR_EL1H, 0); chk_exc("TLOR: EL1 MRS x2, LORN_EL1", r, 2, RD(LOR(2), 2), I(lorn));
    r = call_lower(P(wr_lorc), SPSR_EL1H, 1); chk_exc("TLOR: EL1 MSR LORC_EL1, x1", r, 2, WR(LOR(3), 1), I(wr_lorc));
    check("TLOR: LORC_EL1 unchanged", read_sysreg(lorc_el1), 0);
    r = call_lower(P(lorid), SPSR_EL1H, 0); chk_exc("TLOR: EL1 MRS LORID_EL1", r, 2, RD(LOR(7), 0), I(lorid));
    r = call_lower(P(wr_lorid), SPSR_EL1H, 0); chk_exc("TLOR: EL1 MSR LORID_EL1 still UNDEFINED", r, 1, ESR_UNDEF, I(wr_lorid));
    r = call_lower(P(ldlar), SPSR_EL1H, (u64)&word); check("TLOR: EL1 LDLAR not trapped", last.count, 0);
    (void)r;

    /* EL0: UNDEFINED, to EL1, with or without TLOR. */
    r = call_lower(P(lorsa), SPSR_EL0T, 0); chk_exc("TLOR: EL0 MRS LORSA_EL1 UNDEFINED", r, 1, ESR_UNDEF, I(lorsa));
    set_hcr(0);
    r = call_lower(P(lorid), SPSR_EL0T, 0); chk_exc("EL0 MRS LORID_EL1 UNDEFINED", r, 1, ESR_UNDEF, I(lorid));
    r = call_lower(P(ldlar), SPSR_EL0T, (u64)&word); chk_none("EL0 LDLAR", r, word);
}
