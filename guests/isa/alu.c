/*
 * isa: data-processing groups. Every expected value below is worked out from
 * the Arm ARM pseudocode (AddWithCarry, DecodeBitMasks, ShiftReg, ExtendReg,
 * ConditionHolds, ...); the reasoning is in the comments where it is not obvious.
 */
#include "check.h"

static void test_addsub_imm(void)
{
    u64 f;
    check("add_imm12",        R1("add %0, %1, #0xfff", 1), 0x1000);
    check("add_imm_lsl12",    R1("add %0, %1, #1, lsl #12", 0x10), 0x1010);
    /* 0x1000000 - 0xabc000 = 0x544000 */
    check("sub_imm_lsl12",    R1("sub %0, %1, #0xabc, lsl #12", 0x1000000), 0x544000);
    /* 32-bit wrap, upper half of Xd zeroed */
    check("add_w_imm_wrap",   R1("add %w0, %w1, #1", 0x12345678ffffffffUL), 0);
    check("sub_w_imm_wrap",   R1("sub %w0, %w1, #1", 0), 0xffffffffUL);
    check("sub_imm_neg",      R1("sub %0, %1, #1", 0), 0xffffffffffffffffUL);

    /* SP as source and destination (Rd/Rn = 31 means SP for ADD/SUB imm). */
    u64 sp0, sp1, sp2, sp3;
    __asm__ volatile("mov %0, sp\n\t"
                     "sub sp, sp, #0x20\n\t"
                     "mov %1, sp\n\t"
                     "add %2, sp, #0x28\n\t"
                     "add sp, sp, #0x20\n\t"
                     "mov %3, sp"
                     : "=&r"(sp0), "=&r"(sp1), "=&r"(sp2), "=&r"(sp3) : : "memory");
    check("sub_sp_imm",       sp1, sp0 - 0x20);
    check("add_from_sp_imm",  sp2, sp0 + 8);
    check("add_sp_imm",       sp3, sp0);

    check("adds_imm_carry",   R2F("adds %0, %2, #1", ~0UL, 0, 0, f), 0);
    check("adds_imm_carry.nzcv", f, NZCV_Z | NZCV_C);
    check("subs_w_imm_lsl12", R2F("subs %w0, %w2, #1, lsl #12", 0x1000, 0, 0, f), 0);
    check("subs_w_imm_lsl12.nzcv", f, NZCV_Z | NZCV_C);
    /* CMP 0x80000000, #0 (32-bit): 0x80000000 + 0xffffffff + 1: carry out, N */
    check("cmp_w_imm0.nzcv",  F2("cmp %w1, #0", 0x80000000UL, 0, 0), NZCV_N | NZCV_C);
    /* CMN -1, #1: -1 + 1 = 0 with carry */
    check("cmn_imm.nzcv",     F2("cmn %1, #1", ~0UL, 0, 0), NZCV_Z | NZCV_C);
}

static void test_addsub_flags(void)
{
    u64 f, r;
    /* ---- 64-bit ADDS ---- */
    r = R2F("adds %0, %2, %3", 0x7fffffffffffffffUL, 1, 0, f);
    check("adds64_signed_ovf", r, 0x8000000000000000UL);
    check("adds64_signed_ovf.nzcv", f, NZCV_N | NZCV_V);
    r = R2F("adds %0, %2, %3", 0xffffffffffffffffUL, 1, 0, f);
    check("adds64_unsigned_carry", r, 0);
    check("adds64_unsigned_carry.nzcv", f, NZCV_Z | NZCV_C);
    r = R2F("adds %0, %2, %3", 0x8000000000000000UL, 0x8000000000000000UL, 0, f);
    check("adds64_min_plus_min", r, 0);
    check("adds64_min_plus_min.nzcv", f, NZCV_Z | NZCV_C | NZCV_V);
    r = R2F("adds %0, %2, %3", 1, 2, NZCV_N | NZCV_Z | NZCV_C | NZCV_V, f);
    check("adds64_plain.nzcv", f, 0);
    r = R2F("adds %0, %2, %3", ~0UL, ~0UL, 0, f);
    check("adds64_m1_m1", r, 0xfffffffffffffffeUL);
    check("adds64_m1_m1.nzcv", f, NZCV_N | NZCV_C);
    /* ---- 64-bit SUBS: a + ~b + 1, C = NOT borrow ---- */
    r = R2F("subs %0, %2, %3", 0, 1, 0, f);
    check("subs64_0_minus_1", r, ~0UL);
    check("subs64_0_minus_1.nzcv", f, NZCV_N);
    r = R2F("subs %0, %2, %3", 5, 5, 0, f);
    check("subs64_equal.nzcv", f, NZCV_Z | NZCV_C);
    r = R2F("subs %0, %2, %3", 0x8000000000000000UL, 1, 0, f);
    check("subs64_min_minus_1", r, 0x7fffffffffffffffUL);
    check("subs64_min_minus_1.nzcv", f, NZCV_C | NZCV_V);
    r = R2F("subs %0, %2, %3", 0x7fffffffffffffffUL, ~0UL, 0, f);
    check("subs64_max_minus_m1", r, 0x8000000000000000UL);
    check("subs64_max_minus_m1.nzcv", f, NZCV_N | NZCV_V);
    r = R2F("subs %0, %2, %3", 3, 0, 0, f);
    check("subs64_minus_0.nzcv", f, NZCV_C);
    /* ---- 32-bit ADDS/SUBS (upper input bits ignored, result zero-extended) ---- */
    r = R2F("adds %w0, %w2, %w3", 0x7fffffffUL, 1, 0, f);
    check("adds32_signed_ovf", r, 0x80000000UL);
    check("adds32_signed_ovf.nzcv", f, NZCV_N | NZCV_V);
    r = R2F("adds %w0, %w2, %w3", 0x12345678ffffffffUL, 1, 0, f);
    check("adds32_carry_hi_ignored", r, 0);
    check("adds32_carry_hi_ignored.nzcv", f, NZCV_Z | NZCV_C);
    r = R2F("adds %w0, %w2, %w3", 0x80000000UL, 0x80000000UL, 0, f);
    check("adds32_min_plus_min.nzcv", f, NZCV_Z | NZCV_C | NZCV_V);
    r = R2F("subs %w0, %w2, %w3", 0, 1, 0, f);
    check("subs32_0_minus_1", r, 0xffffffffUL);
    check("subs32_0_minus_1.nzcv", f, NZCV_N);
    r = R2F("subs %w0, %w2, %w3", 0x80000000UL, 1, 0, f);
    check("subs32_min_minus_1", r, 0x7fffffffUL);
    check("subs32_min_minus_1.nzcv", f, NZCV_C | NZCV_V);
    r = R2F("subs %w0, %w2, %w3", 0x7fffffffUL, 0xffffffffUL, 0, f);
    check("subs32_max_minus_m1", r, 0x80000000UL);
    check("subs32_max_minus_m1.nzcv", f, NZCV_N | NZCV_V);
    /* ---- CMP/CMN register ---- */
    check("cmp64_lt.nzcv",  F2("cmp %1, %2", 1, 2, 0), NZCV_N);
    check("cmp64_eq.nzcv",  F2("cmp %1, %2", 2, 2, 0), NZCV_Z | NZCV_C);
    check("cmn64_zero.nzcv", F2("cmn %1, %2", ~0UL, 1, 0), NZCV_Z | NZCV_C);
    check("cmn32_ovf.nzcv", F2("cmn %w1, %w2", 0x7fffffffUL, 1, 0), NZCV_N | NZCV_V);
    check("cmp32_unsigned_lt.nzcv", F2("cmp %w1, %w2", 0x7fffffffUL, 0x80000000UL, 0),
          NZCV_N | NZCV_V); /* 0x7fffffff - 0x80000000 = 0xffffffff, borrow, pos-neg=neg */
}

static void test_shifted_extended(void)
{
    u64 f;
    check("add_lsl0",   R2("add %0, %1, %2, lsl #0", 1, 2), 3);
    check("add_lsl63",  R2("add %0, %1, %2, lsl #63", 1, 1), 0x8000000000000001UL);
    check("add_lsr63",  R2("add %0, %1, %2, lsr #63", 5, 0x8000000000000000UL), 6);
    check("add_asr63",  R2("add %0, %1, %2, asr #63", 5, 0x8000000000000000UL), 4);
    /* 0x8000000000000000 asr 1 = 0xc000000000000000; 0 - that = 0x4000000000000000 */
    check("sub_asr1",   R2("sub %0, %1, %2, asr #1", 0, 0x8000000000000000UL), 0x4000000000000000UL);
    /* 3 << 31 in 32 bits = 0x80000000 */
    check("add_w_lsl31", R2("add %w0, %w1, %w2, lsl #31", 1, 3), 0x80000001UL);
    check("sub_w_asr31", R2("sub %w0, %w1, %w2, asr #31", 1, 0x80000000UL), 2);
    check("add_w_lsr31", R2("add %w0, %w1, %w2, lsr #31", 0xffffffffUL, 0xffffffffUL), 0);
    check("adds_lsl1_shiftout", R2F("adds %0, %2, %3, lsl #1", 0, 0x8000000000000000UL, 0, f), 0);
    check("adds_lsl1_shiftout.nzcv", f, NZCV_Z);
    check("neg_lsl4",   R1("neg %0, %1, lsl #4", 1), 0xfffffffffffffff0UL);
    check("negs_w_min.nzcv", (R2F("negs %w0, %w2", 0x80000000UL, 0, 0, f), f),
          NZCV_N | NZCV_V); /* 0 - 0x80000000: ~0x80000000 + 1 = 0x80000000, no carry */

    /* Extended register: Xn + (extend(Rm) << amount) */
    check("add_uxtb",   R2("add %0, %1, %w2, uxtb", 0x1000, 0x12345687), 0x1087);
    check("add_uxth1",  R2("add %0, %1, %w2, uxth #1", 0x1000, 0x12345687), 0xbd0e);
    check("add_uxtw2",  R2("add %0, %1, %w2, uxtw #2", 0x1000, 0xff12345687UL), 0x48d16a1cUL);
    check("add_uxtx3",  R2("add %0, %1, %2, uxtx #3", 1, 0x10), 0x81);
    check("add_sxtb4",  R2("add %0, %1, %w2, sxtb #4", 0x1000, 0x80), 0x800);
    check("add_sxth",   R2("add %0, %1, %w2, sxth", 0x10000, 0x8000), 0x8000);
    check("add_sxtw",   R2("add %0, %1, %w2, sxtw", 0, 0xffffffffUL), ~0UL);
    check("add_sxtw1",  R2("add %0, %1, %w2, sxtw #1", 0, 0xffffffffUL), 0xfffffffffffffffeUL);
    check("add_sxtx2",  R2("add %0, %1, %2, sxtx #2", 4, ~0UL), 0);
    check("sub_uxtb",   R2("sub %0, %1, %w2, uxtb", 0x100, 0x1ff), 1);
    check("add_w_sxtb", R2("add %w0, %w1, %w2, sxtb", 0, 0x7f80), 0xffffff80UL);
    check("sub_w_uxth4", R2("sub %w0, %w1, %w2, uxth #4", 0, 0xffff0001UL), 0xfffffff0UL);
    check("cmp_uxtb.nzcv", F2("cmp %1, %w2, uxtb", 0xff, 0x1ff, 0), NZCV_Z | NZCV_C);
    check("adds_sxtw", R2F("adds %0, %2, %w3, sxtw", 1, 0xffffffffUL, 0, f), 0);
    check("adds_sxtw.nzcv", f, NZCV_Z | NZCV_C);
    u64 sp, r;
    __asm__ volatile("mov %0, sp\n\tadd %1, sp, %w2, uxtw #0" : "=&r"(sp), "=&r"(r) : "r"(0xffffffff00000010UL));
    check("add_sp_uxtw", r, sp + 0x10);
}

static void test_adc_sbc(void)
{
    u64 f, r;
    check("adc_c0",  RC2("adc %0, %1, %2", 1, 2, 0), 3);
    check("adc_c1",  RC2("adc %0, %1, %2", 1, 2, NZCV_C), 4);
    r = R2F("adcs %0, %2, %3", ~0UL, 0, NZCV_C, f);
    check("adcs64_carry_chain", r, 0);
    check("adcs64_carry_chain.nzcv", f, NZCV_Z | NZCV_C);
    r = R2F("adcs %0, %2, %3", 0x7fffffffffffffffUL, 0, NZCV_C, f);
    check("adcs64_ovf", r, 0x8000000000000000UL);
    check("adcs64_ovf.nzcv", f, NZCV_N | NZCV_V);
    /* 0xffffffff + 0xffffffff + 1 = 0x1_ffffffff */
    r = R2F("adcs %w0, %w2, %w3", 0xffffffffUL, 0xffffffffUL, NZCV_C, f);
    check("adcs32_max", r, 0xffffffffUL);
    check("adcs32_max.nzcv", f, NZCV_N | NZCV_C);
    check("sbc_c0",  RC2("sbc %0, %1, %2", 5, 3, 0), 1);
    check("sbc_c1",  RC2("sbc %0, %1, %2", 5, 3, NZCV_C), 2);
    r = R2F("sbcs %0, %2, %3", 0, 0, 0, f);       /* 0 + ~0 + 0 */
    check("sbcs64_borrow", r, ~0UL);
    check("sbcs64_borrow.nzcv", f, NZCV_N);
    r = R2F("sbcs %0, %2, %3", 0, 0, NZCV_C, f);  /* 0 + ~0 + 1 */
    check("sbcs64_noborrow.nzcv", f, NZCV_Z | NZCV_C);
    /* 0x80000000 + 0xffffffff + 0 = 0x1_7fffffff: C=1, -2^31 - 1 overflows */
    r = R2F("sbcs %w0, %w2, %w3", 0x80000000UL, 0, 0, f);
    check("sbcs32_ovf", r, 0x7fffffffUL);
    check("sbcs32_ovf.nzcv", f, NZCV_C | NZCV_V);
    check("ngc_c1",  RC2("ngc %0, %1", 5, 0, NZCV_C), 0xfffffffffffffffbUL);
    check("ngc_c0",  RC2("ngc %0, %1", 5, 0, 0), 0xfffffffffffffffaUL);
}

static void test_logical(void)
{
    u64 f, r;
    /* Logical immediates: each exercises a different DecodeBitMasks element size. */
    check("and_imm_55",       R1("and %0, %1, #0x5555555555555555", ~0UL), 0x5555555555555555UL);
    check("orr_imm_00ff",     R1("orr %0, %1, #0x00ff00ff00ff00ff", 0), 0x00ff00ff00ff00ffUL);
    check("eor_imm_topbit",   R1("eor %0, %1, #0x8000000000000000", 0x8000000000000001UL), 1);
    check("and_imm_allbut1",  R1("and %0, %1, #0xfffffffffffffffe", ~0UL), 0xfffffffffffffffeUL);
    check("eor_imm_63ones",   R1("eor %0, %1, #0x7fffffffffffffff", 0), 0x7fffffffffffffffUL);
    check("and_imm_0f",       R1("and %0, %1, #0x0f0f0f0f0f0f0f0f", 0x123456789abcdef0UL), 0x020406080a0c0e00UL);
    check("orr_imm_33",       R1("orr %0, %1, #0x3333333333333333", 0), 0x3333333333333333UL);
    check("orr_imm_e32",      R1("orr %0, %1, #0x0000000100000001", 0), 0x0000000100000001UL);
    check("orr_imm_run",      R1("orr %0, %1, #0x0000000000ffff00", 0), 0x0000000000ffff00UL);
    check("orr_w_imm_00ff",   R1("orr %w0, %w1, #0x00ff00ff", 0), 0x00ff00ffUL);
    check("and_w_imm_bit0",   R1("and %w0, %w1, #1", ~0UL), 1);
    check("eor_w_imm_aa",     R1("eor %w0, %w1, #0xaaaaaaaa", 0xffffffffUL), 0x55555555UL);
    check("and_w_imm_7fff",   R1("and %w0, %w1, #0x7fffffff", ~0UL), 0x7fffffffUL);
    check("orr_w_imm_rot",    R1("orr %w0, %w1, #0xf000000f", 0), 0xf000000fUL);
    check("mov_bitmask_imm",  R1("mov %0, #0xaaaaaaaaaaaaaaaa", 0), 0xaaaaaaaaaaaaaaaaUL);
    r = R2F("ands %0, %2, #0x8000000000000000", 0x8000000000000000UL, 0, NZCV_C | NZCV_V, f);
    check("ands_imm_neg", r, 0x8000000000000000UL);
    check("ands_imm_neg.nzcv", f, NZCV_N);                 /* ANDS clears C and V */
    r = R2F("ands %w0, %w2, #0xff", 0xff00UL, 0, NZCV_C | NZCV_V | NZCV_N, f);
    check("ands_w_imm_zero.nzcv", f, NZCV_Z);
    check("tst_imm.nzcv", F2("tst %1, #1", 2, 0, NZCV_N | NZCV_C), NZCV_Z);

    /* Shifted-register logical ops */
    check("and_lsl4",  R2("and %0, %1, %2, lsl #4", 0xff00, 0x0ff0), 0xff00);
    check("orr_ror8",  R2("orr %0, %1, %2, ror #8", 0, 0xff), 0xff00000000000000UL);
    check("orr_w_ror4", R2("orr %w0, %w1, %w2, ror #4", 0, 0xf), 0xf0000000UL);
    check("eor_asr63", R2("eor %0, %1, %2, asr #63", 0xff, 0x8000000000000000UL), 0xffffffffffffff00UL);
    check("eor_w_ror31", R2("eor %w0, %w1, %w2, ror #31", 3, 0x80000001UL), 0);
    check("bic",       R2("bic %0, %1, %2", 0xffff, 0x0f0f), 0xf0f0);
    check("bic_w_lsr16", R2("bic %w0, %w1, %w2, lsr #16", 0xffffffffUL, 0xffff0000UL), 0xffff0000UL);
    check("orn",       R2("orn %0, %1, %2", 0, 0xffffffff00000000UL), 0x00000000ffffffffUL);
    check("mvn_w",     R1("mvn %w0, %w1", 0x12345678), 0xedcba987UL);
    check("eon",       R2("eon %0, %1, %2", 0xf0f0, 0xff00), 0xfffffffffffff00fUL);
    check("eon_w_lsl1", R2("eon %w0, %w1, %w2, lsl #1", 0, 0x80000000UL), 0xffffffffUL);
    r = R2F("ands %0, %2, %3", 0x8000000000000000UL, ~0UL, 0, f);
    check("ands_reg.nzcv", f, NZCV_N);
    r = R2F("bics %w0, %w2, %w3", 0xff, 0xff, NZCV_C | NZCV_V, f);
    check("bics_w_zero", r, 0);
    check("bics_w_zero.nzcv", f, NZCV_Z);
    check("tst_reg_lsl1.nzcv", F2("tst %1, %2, lsl #1", 2, 1, NZCV_Z), 0);
    check("tst_w_ror.nzcv", F2("tst %w1, %w2, ror #1", 0x80000000UL, 1, 0), NZCV_N);
}

static void test_movewide(void)
{
    check("movz_hw0",  R1("movz %0, #0x1234", 0), 0x1234);
    check("movz_hw1",  R1("movz %0, #0x1234, lsl #16", 0), 0x12340000UL);
    check("movz_hw2",  R1("movz %0, #0x1234, lsl #32", 0), 0x123400000000UL);
    check("movz_hw3",  R1("movz %0, #0x1234, lsl #48", 0), 0x1234000000000000UL);
    check("movn_hw0",  R1("movn %0, #0x1234", 0), 0xffffffffffffedcbUL);
    check("movn_hw3",  R1("movn %0, #0x1234, lsl #48", 0), 0xedcbffffffffffffUL);
    check("movn_w_hw0", R1("movn %w0, #0x1234", 0), 0xffffedcbUL);
    check("movn_w_hw1", R1("movn %w0, #0x1234, lsl #16", 0), 0xedcbffffUL);
    check("movz_w_hw1", R1("movz %w0, #0xffff, lsl #16", 0), 0xffff0000UL);
    check("movk_hw0",  RD0("movk %0, #0xaaaa", 0x1111222233334444UL), 0x111122223333aaaaUL);
    check("movk_hw1",  RD0("movk %0, #0xaaaa, lsl #16", 0x1111222233334444UL), 0x11112222aaaa4444UL);
    check("movk_hw2",  RD0("movk %0, #0xaaaa, lsl #32", 0x1111222233334444UL), 0x1111aaaa33334444UL);
    check("movk_hw3",  RD0("movk %0, #0xaaaa, lsl #48", 0x1111222233334444UL), 0xaaaa222233334444UL);
    check("movk_w_hw1", RD0("movk %w0, #0xaaaa, lsl #16", 0x1111222233334444UL), 0xaaaa4444UL);
}

static void test_bitfield(void)
{
    check("asr_imm",   R1("asr %0, %1, #4", 0x8000000000000010UL), 0xf800000000000001UL);
    check("lsr_imm",   R1("lsr %0, %1, #4", 0x8000000000000010UL), 0x0800000000000001UL);
    check("lsl_imm",   R1("lsl %0, %1, #4", 0x8000000000000010UL), 0x100);
    check("lsl_w_31",  R1("lsl %w0, %w1, #31", 3), 0x80000000UL);
    check("asr_w_31",  R1("asr %w0, %w1, #31", 0x80000000UL), 0xffffffffUL);
    check("lsr_w_31",  R1("lsr %w0, %w1, #31", 0xffffffffUL), 1);
    check("sxtb_x",    R1("sxtb %0, %w1", 0x80), 0xffffffffffffff80UL);
    check("sxtb_w",    R1("sxtb %w0, %w1", 0x180), 0xffffff80UL);
    check("sxth_x",    R1("sxth %0, %w1", 0x8000), 0xffffffffffff8000UL);
    check("sxtw_neg",  R1("sxtw %0, %w1", 0x80000000UL), 0xffffffff80000000UL);
    check("sxtw_pos",  R1("sxtw %0, %w1", 0xff7fffffffUL), 0x7fffffffUL);
    check("uxtb_w",    R1("uxtb %w0, %w1", 0x12345678), 0x78);
    check("uxth_w",    R1("uxth %w0, %w1", 0x12345678), 0x5678);
    check("sbfx",      R1("sbfx %0, %1, #8, #8", 0x8000), 0xffffffffffffff80UL);
    check("ubfx",      R1("ubfx %0, %1, #8, #8", 0x8000), 0x80);
    check("ubfx_top",  R1("ubfx %0, %1, #60, #4", 0xa000000000000000UL), 0xa);
    check("sbfx_w",    R1("sbfx %w0, %w1, #4, #4", 0xf0), 0xffffffffUL);
    check("ubfiz",     R1("ubfiz %0, %1, #4, #8", 0xfff), 0xff0);
    check("sbfiz",     R1("sbfiz %0, %1, #4, #4", 0x8), 0xffffffffffffff80UL);
    /* raw UBFM with imms < immr: ROR by 60 of a field 8 wide = place at bit 4 */
    check("ubfm_raw",  R1("ubfm %0, %1, #60, #7", 0x1ff), 0xff0);
    /* raw SBFM immr=0 imms=63: identity copy */
    check("sbfm_raw_id", R1("sbfm %0, %1, #0, #63", 0x8123456789abcdefUL), 0x8123456789abcdefUL);
    check("bfi",       RD1("bfi %0, %1, #8, #8", ~0UL, 0x12), 0xffffffffffff12ffUL);
    check("bfi_w",     RD1("bfi %w0, %w1, #28, #4", ~0UL, 5), 0x5fffffffUL);
    check("bfxil",     RD1("bfxil %0, %1, #16, #8", 0xaaaaaaaaaaaaaaaaUL, 0x340000), 0xaaaaaaaaaaaaaa34UL);
    /* BFM immr=63 imms=0 is BFI #1, #1 */
    check("bfm_raw",   RD1("bfm %0, %1, #63, #0", 0, 1), 2);

    /* EXTR / ROR (immediate) */
    check("extr",      R2("extr %0, %1, %2, #8", 0x1122334455667788UL, 0x99aabbccddeeff00UL), 0x8899aabbccddeeffUL);
    check("extr_w",    R2("extr %w0, %w1, %w2, #4", 0x12345678, 0x9abcdef0UL), 0x89abcdefUL);
    check("extr_lsb0", R2("extr %0, %1, %2, #0", 0x1111, 0x2222), 0x2222);
    check("ror_imm",   R1("ror %0, %1, #4", 0x123456789abcdef0UL), 0x0123456789abcdefUL);
    check("ror_w_imm", R1("ror %w0, %w1, #1", 1), 0x80000000UL);
}

static void test_condsel(void)
{
    /* CCMP/CCMN: flags = compare if cond holds, else the immediate nzcv. */
    check("ccmp_reg_true.nzcv",  F2("ccmp %1, %2, #0xf, eq", 1, 2, NZCV_Z), NZCV_N);
    check("ccmp_reg_false.nzcv", F2("ccmp %1, %2, #0xf, eq", 1, 2, 0), NZCV_N | NZCV_Z | NZCV_C | NZCV_V);
    check("ccmp_imm_true.nzcv",  F2("ccmp %1, #5, #0, eq", 5, 0, NZCV_Z), NZCV_Z | NZCV_C);
    check("ccmp_imm_false.nzcv", F2("ccmp %1, #5, #2, hs", 5, 0, 0), NZCV_C);
    check("ccmn_reg_true.nzcv",  F2("ccmn %1, %2, #0, mi", ~0UL, 1, NZCV_N), NZCV_Z | NZCV_C);
    check("ccmn_w_imm_true.nzcv", F2("ccmn %w1, #1, #0, pl", 0x7fffffffUL, 0, 0), NZCV_N | NZCV_V);
    check("ccmp_w_reg_false.nzcv", F2("ccmp %w1, %w2, #8, vc", 0, 0, NZCV_V), NZCV_N);
    check("ccmn_imm_false.nzcv", F2("ccmn %1, #3, #4, gt", 0, 0, NZCV_N), NZCV_Z);

    /* Conditional select family */
    check("csel_true",   RC2("csel %0, %1, %2, eq", 0x11, 0x22, NZCV_Z), 0x11);
    check("csel_false",  RC2("csel %0, %1, %2, eq", 0x11, 0x22, 0), 0x22);
    check("csinc_true",  RC2("csinc %0, %1, %2, ne", 0x11, 0x22, 0), 0x11);
    check("csinc_false", RC2("csinc %0, %1, %2, ne", 0x11, 0x22, NZCV_Z), 0x23);
    check("csinc_w_wrap", RC2("csinc %w0, %w1, %w2, cs", 0, 0xffffffffUL, 0), 0);
    check("csinv_false", RC2("csinv %0, %1, %2, mi", 0x11, 0x22, 0), 0xffffffffffffffddUL);
    check("csinv_w_false", RC2("csinv %w0, %w1, %w2, mi", 0x11, 0x22, 0), 0xffffffddUL);
    check("csneg_false", RC2("csneg %0, %1, %2, vs", 0x11, 0x22, 0), 0xffffffffffffffdeUL);
    check("csneg_true",  RC2("csneg %0, %1, %2, vs", 0x11, 0x22, NZCV_V), 0x11);
    check("cset_true",   RC2("cset %0, hi", 0, 0, NZCV_C), 1);
    check("cset_false",  RC2("cset %0, hi", 0, 0, NZCV_C | NZCV_Z), 0);
    check("csetm_true",  RC2("csetm %0, lt", 0, 0, NZCV_N), ~0UL);
    check("csetm_false", RC2("csetm %0, lt", 0, 0, NZCV_N | NZCV_V), 0);
    check("csetm_w_true", RC2("csetm %w0, ge", 0, 0, 0), 0xffffffffUL);
    check("cinc_true",   RC2("cinc %0, %1, le", 7, 0, NZCV_Z), 8);
    check("cneg_true",   RC2("cneg %0, %1, cc", 7, 0, 0), 0xfffffffffffffff9UL);
    check("csel_al",     RC2("csel %0, %1, %2, al", 1, 2, 0), 1);
    check("csel_nv",     RC2("csel %0, %1, %2, nv", 1, 2, 0), 1);  /* NV behaves as AL */

    /* Exhaustive truth table: bit i of the mask = condition holds when NZCV = i
     * (N = bit 3, Z = bit 2, C = bit 1, V = bit 0), from ConditionHolds(). */
#define CSET_MASK(cond) ({ u64 _m = 0; \
        for (u64 _i = 0; _i < 16; _i++) { \
            _m |= RC2("cset %0, " cond, 0, 0, _i << 28) << _i; \
        } \
        _m; })
    check("cset_table_eq", CSET_MASK("eq"), 0xf0f0);
    check("cset_table_ne", CSET_MASK("ne"), 0x0f0f);
    check("cset_table_cs", CSET_MASK("cs"), 0xcccc);
    check("cset_table_cc", CSET_MASK("cc"), 0x3333);
    check("cset_table_mi", CSET_MASK("mi"), 0xff00);
    check("cset_table_pl", CSET_MASK("pl"), 0x00ff);
    check("cset_table_vs", CSET_MASK("vs"), 0xaaaa);
    check("cset_table_vc", CSET_MASK("vc"), 0x5555);
    check("cset_table_hi", CSET_MASK("hi"), 0x0c0c);
    check("cset_table_ls", CSET_MASK("ls"), 0xf3f3);
    check("cset_table_ge", CSET_MASK("ge"), 0xaa55);
    check("cset_table_lt", CSET_MASK("lt"), 0x55aa);
    check("cset_table_gt", CSET_MASK("gt"), 0x0a05);
    check("cset_table_le", CSET_MASK("le"), 0xf5fa);
}

static void test_dp1(void)
{
    check("rbit_1",     R1("rbit %0, %1", 1), 0x8000000000000000UL);
    check("rbit_6",     R1("rbit %0, %1", 6), 0x6000000000000000UL);
    check("rbit_x",     R1("rbit %0, %1", 0x123456789abcdef0UL), 0x0f7b3d591e6a2c48UL);
    check("rbit_w",     R1("rbit %w0, %w1", 0x12345678), 0x1e6a2c48UL);
    check("rev16_x",    R1("rev16 %0, %1", 0x0011223344556677UL), 0x1100332255447766UL);
    check("rev16_w",    R1("rev16 %w0, %w1", 0x11223344), 0x22114433UL);
    check("rev32_x",    R1("rev32 %0, %1", 0x0011223344556677UL), 0x3322110077665544UL);
    check("rev_x",      R1("rev %0, %1", 0x0011223344556677UL), 0x7766554433221100UL);
    check("rev_w",      R1("rev %w0, %w1", 0x11223344), 0x44332211UL);
    check("clz_x_0",    R1("clz %0, %1", 0), 64);
    check("clz_x_1",    R1("clz %0, %1", 1), 63);
    check("clz_x_top",  R1("clz %0, %1", 0x8000000000000000UL), 0);
    check("clz_x_lo32", R1("clz %0, %1", 0xffffffffUL), 32);
    check("clz_w_0",    R1("clz %w0, %w1", 0xffffffff00000000UL), 32);
    check("clz_w_1",    R1("clz %w0, %w1", 1), 31);
    check("clz_w_m1",   R1("clz %w0, %w1", 0xffffffffUL), 0);
    check("clz_w_bit16", R1("clz %w0, %w1", 0x10000), 15);
    check("cls_x_0",    R1("cls %0, %1", 0), 63);
    check("cls_x_m1",   R1("cls %0, %1", ~0UL), 63);
    check("cls_x_1",    R1("cls %0, %1", 1), 62);
    check("cls_x_min",  R1("cls %0, %1", 0x8000000000000000UL), 0);
    check("cls_x_c0",   R1("cls %0, %1", 0xc000000000000000UL), 1);
    check("cls_x_40",   R1("cls %0, %1", 0x4000000000000000UL), 0);
    check("cls_x_3f",   R1("cls %0, %1", 0x3fffffffffffffffUL), 1);
    check("cls_w_0",    R1("cls %w0, %w1", 0), 31);
    check("cls_w_m1",   R1("cls %w0, %w1", 0xffffffffUL), 31);
    check("cls_w_ffff", R1("cls %w0, %w1", 0xffff), 15);
    check("cls_w_min",  R1("cls %w0, %w1", 0x80000000UL), 0);
}

static void test_dp2(void)
{
    check("udiv_x",       R2("udiv %0, %1, %2", 100, 7), 14);
    check("udiv_x_by0",   R2("udiv %0, %1, %2", 100, 0), 0);
    check("udiv_x_max",   R2("udiv %0, %1, %2", ~0UL, 0x100000000UL), 0xffffffffUL);
    check("sdiv_x_negnum", R2("sdiv %0, %1, %2", (u64)-100L, 7), (u64)-14L);
    check("sdiv_x_negden", R2("sdiv %0, %1, %2", 100, (u64)-7L), (u64)-14L);
    check("sdiv_x_negneg", R2("sdiv %0, %1, %2", (u64)-100L, (u64)-7L), 14);
    check("sdiv_x_min_m1", R2("sdiv %0, %1, %2", 0x8000000000000000UL, ~0UL), 0x8000000000000000UL);
    check("sdiv_x_by0",   R2("sdiv %0, %1, %2", (u64)-5L, 0), 0);
    check("udiv_w",       R2("udiv %w0, %w1, %w2", 0xffffffffUL, 2), 0x7fffffffUL);
    check("udiv_w_by0",   R2("udiv %w0, %w1, %w2", 5, 0x100000000UL), 0);
    check("udiv_w_hi_ignored", R2("udiv %w0, %w1, %w2", 0x100000010UL, 2), 8);
    check("sdiv_w_min_m1", R2("sdiv %w0, %w1, %w2", 0x80000000UL, 0xffffffffUL), 0x80000000UL);
    check("sdiv_w_round0", R2("sdiv %w0, %w1, %w2", 0xfffffff9UL, 2), 0xfffffffdUL); /* -7/2 = -3 */

    check("lslv_x_mod",   R2("lsl %0, %1, %2", 1, 65), 2);
    check("lslv_x_64",    R2("lsl %0, %1, %2", 1, 64), 1);
    check("lsrv_x_63",    R2("lsr %0, %1, %2", 0x8000000000000000UL, 63), 1);
    check("lsrv_x_127",   R2("lsr %0, %1, %2", 0x8000000000000000UL, 127), 1);
    check("asrv_x_63",    R2("asr %0, %1, %2", 0x8000000000000000UL, 63), ~0UL);
    check("asrv_x_64",    R2("asr %0, %1, %2", 0x8000000000000000UL, 64), 0x8000000000000000UL);
    check("rorv_x_1",     R2("ror %0, %1, %2", 1, 1), 0x8000000000000000UL);
    check("rorv_x_65",    R2("ror %0, %1, %2", 1, 65), 0x8000000000000000UL);
    check("lslv_w_33",    R2("lsl %w0, %w1, %w2", 1, 33), 2);
    check("lslv_w_32",    R2("lsl %w0, %w1, %w2", 1, 32), 1);
    check("lsrv_w_31",    R2("lsr %w0, %w1, %w2", 0x80000000UL, 31), 1);
    check("lsrv_w_hi",    R2("lsr %w0, %w1, %w2", ~0UL, 4), 0x0fffffffUL);
    check("asrv_w_4",     R2("asr %w0, %w1, %w2", 0x80000000UL, 4), 0xf8000000UL);
    check("rorv_w_4",     R2("ror %w0, %w1, %w2", 1, 4), 0x10000000UL);
    check("rorv_w_36",    R2("ror %w0, %w1, %w2", 1, 36), 0x10000000UL);
}

/* Check values: CRC-32 ("123456789") = 0xCBF43926, CRC-32C ("123456789") = 0xE3069283
 * (the standard catalogue check values); CRC-32("a") = 0xE8B7BE43,
 * CRC-32C("a") = 0xC1D04330. The instructions do no pre/post inversion. */
static void test_crc(void)
{
    static const char msg[9] = "123456789";
    u64 c;
    /* B: upper bits of Wm must be ignored, so add junk above the byte. */
    c = 0xffffffff;
    for (int i = 0; i < 9; i++)
        c = R2("crc32b %w0, %w1, %w2", c, 0xabcdef00UL | (u8)msg[i]);
    check("crc32b", c ^ 0xffffffff, 0xcbf43926);
    c = 0xffffffff;
    for (int i = 0; i < 8; i += 2)
        c = R2("crc32h %w0, %w1, %w2", c, 0xabcd0000UL | (u64)(u8)msg[i] | ((u64)(u8)msg[i + 1] << 8));
    c = R2("crc32b %w0, %w1, %w2", c, msg[8]);
    check("crc32h", c ^ 0xffffffff, 0xcbf43926);
    c = 0xffffffff;
    c = R2("crc32w %w0, %w1, %w2", c, 0x34333231UL);      /* "1234" little-endian */
    c = R2("crc32w %w0, %w1, %w2", c, 0x38373635UL);      /* "5678" */
    c = R2("crc32b %w0, %w1, %w2", c, '9');
    check("crc32w", c ^ 0xffffffff, 0xcbf43926);
    c = 0xffffffff;
    c = R2("crc32x %w0, %w1, %2", c, 0x3837363534333231UL);
    c = R2("crc32b %w0, %w1, %w2", c, '9');
    check("crc32x", c ^ 0xffffffff, 0xcbf43926);
    check("crc32b_a", R2("crc32b %w0, %w1, %w2", 0xffffffff, 'a') ^ 0xffffffff, 0xe8b7be43);

    c = 0xffffffff;
    for (int i = 0; i < 9; i++)
        c = R2("crc32cb %w0, %w1, %w2", c, 0x12345600UL | (u8)msg[i]);
    check("crc32cb", c ^ 0xffffffff, 0xe3069283);
    c = 0xffffffff;
    for (int i = 0; i < 8; i += 2)
        c = R2("crc32ch %w0, %w1, %w2", c, (u64)(u8)msg[i] | ((u64)(u8)msg[i + 1] << 8));
    c = R2("crc32cb %w0, %w1, %w2", c, msg[8]);
    check("crc32ch", c ^ 0xffffffff, 0xe3069283);
    c = 0xffffffff;
    c = R2("crc32cw %w0, %w1, %w2", c, 0x34333231UL);
    c = R2("crc32cw %w0, %w1, %w2", c, 0x38373635UL);
    c = R2("crc32cb %w0, %w1, %w2", c, '9');
    check("crc32cw", c ^ 0xffffffff, 0xe3069283);
    c = 0xffffffff;
    c = R2("crc32cx %w0, %w1, %2", c, 0x3837363534333231UL);
    c = R2("crc32cb %w0, %w1, %w2", c, '9');
    check("crc32cx", c ^ 0xffffffff, 0xe3069283);
    check("crc32cb_a", R2("crc32cb %w0, %w1, %w2", 0xffffffff, 'a') ^ 0xffffffff, 0xc1d04330);
}

static void test_mul(void)
{
    check("madd_x",     R3("madd %0, %1, %2, %3", 3, 4, 5), 17);
    check("madd_x_wrap", R3("madd %0, %1, %2, %3", 0x100000000UL, 0x100000000UL, 1), 1);
    check("msub_x",     R3("msub %0, %1, %2, %3", 3, 4, 5), 0xfffffffffffffff9UL);
    check("madd_w_wrap", R3("madd %w0, %w1, %w2, %w3", 0xffffffffUL, 0xffffffffUL, 0), 1);
    check("madd_w_0",   R3("madd %w0, %w1, %w2, %w3", 0x10000, 0x10000, 0), 0);
    check("mneg_x",     R2("mneg %0, %1, %2", 3, 4), 0xfffffffffffffff4UL);
    check("smaddl",     R3("smaddl %0, %w1, %w2, %3", 0xfffffffeUL, 3, 10), 4);
    check("smsubl",     R3("smsubl %0, %w1, %w2, %3", 0xfffffffeUL, 3, 10), 16);
    check("umaddl",     R3("umaddl %0, %w1, %w2, %3", 0xffffffffUL, 0xffffffffUL, 1), 0xfffffffe00000002UL);
    check("umsubl",     R3("umsubl %0, %w1, %w2, %3", 2, 3, 0), 0xfffffffffffffffaUL);
    check("smull_min",  R2("smull %0, %w1, %w2", 0x80000000UL, 0x80000000UL), 0x4000000000000000UL);
    check("smull_neg",  R2("smull %0, %w1, %w2", 0xffffffffUL, 2), 0xfffffffffffffffeUL);
    check("umull",      R2("umull %0, %w1, %w2", 0xffffffff80000000UL, 0x80000000UL), 0x4000000000000000UL);
    check("smulh_m1_m1", R2("smulh %0, %1, %2", ~0UL, ~0UL), 0);
    check("smulh_neg",  R2("smulh %0, %1, %2", 0x8000000000000000UL, 2), ~0UL);
    check("smulh_pos",  R2("smulh %0, %1, %2", 0x4000000000000000UL, 4), 1);
    check("umulh_max",  R2("umulh %0, %1, %2", ~0UL, ~0UL), 0xfffffffffffffffeUL);
    check("umulh_2",    R2("umulh %0, %1, %2", 0x8000000000000000UL, 2), 1);
}

void test_alu(void)
{
    test_addsub_imm();
    test_addsub_flags();
    test_shifted_extended();
    test_adc_sbc();
    test_logical();
    test_movewide();
    test_bitfield();
    test_condsel();
    test_dp1();
    test_dp2();
    test_crc();
    test_mul();
}
