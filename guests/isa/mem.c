/*
 * isa: loads and stores. All addresses used are naturally aligned (with the
 * MMU off every data access is Device-nGnRnE, where unaligned accesses fault).
 */
#include "check.h"

static u64 mbuf[16] __attribute__((aligned(64)));
static u64 bigbuf[4096 + 1] __attribute__((aligned(64)));   /* 32 KiB + 8 */

static void fill(void)
{
    for (int i = 0; i < 16; i++)
        mbuf[i] = 0x1111111111111111UL * (u64)(i + 1);      /* 0x11.., 0x22.., ... */
}

#define LD(insn, base) ({ u64 _r; __asm__ volatile("mov %x0, #-1\n\t" insn \
    : "=&r"(_r) : "r"(base) : "memory"); _r; })
#define LDX(insn, base, idx) ({ u64 _r; __asm__ volatile("mov %x0, #-1\n\t" insn \
    : "=&r"(_r) : "r"(base), "r"((u64)(idx)) : "memory"); _r; })
#define ST(insn, val, base) __asm__ volatile(insn : : "r"((u64)(val)), "r"(base) : "memory")

static void test_pair(void)
{
    u64 a, b, p;
    fill();
    ST("stp %0, %0, [%1]", 0, &mbuf[0]);
    __asm__ volatile("stp %1, %2, [%0]" : : "r"(&mbuf[0]), "r"(0xaaaaUL), "r"(0xbbbbUL) : "memory");
    check("stp_x_lo", mbuf[0], 0xaaaa);
    check("stp_x_hi", mbuf[1], 0xbbbb);
    __asm__ volatile("ldp %0, %1, [%2, #16]" : "=&r"(a), "=&r"(b) : "r"(&mbuf[0]) : "memory");
    check("ldp_x_off", a + (b << 8), 0x3333333333333333UL + (0x4444444444444444UL << 8));
    /* 32-bit pair: words at offset 8 are the two halves of mbuf[1] = 0xbbbb */
    __asm__ volatile("mov %0, #-1\n\tmov %1, #-1\n\tldp %w0, %w1, [%2, #8]" : "=&r"(a), "=&r"(b) : "r"(&mbuf[0]) : "memory");
    check("ldp_w_lo", a, 0xbbbb);
    check("ldp_w_hi", b, 0);
    __asm__ volatile("stp %w1, %w2, [%0, #32]" : : "r"(&mbuf[0]), "r"(0x80000000UL), "r"(0x7fffffffUL) : "memory");
    check("stp_w", mbuf[4], 0x7fffffff80000000UL);
    __asm__ volatile("ldpsw %0, %1, [%2, #32]" : "=&r"(a), "=&r"(b) : "r"(&mbuf[0]) : "memory");
    check("ldpsw_neg", a, 0xffffffff80000000UL);
    check("ldpsw_pos", b, 0x7fffffffUL);
    /* pre-index with writeback */
    p = (u64)&mbuf[8];
    __asm__ volatile("stp %1, %2, [%0, #-16]!" : "+r"(p) : "r"(0x1234UL), "r"(0x5678UL) : "memory");
    check("stp_pre_wb", p, (u64)&mbuf[6]);
    check("stp_pre_data", mbuf[6] ^ (mbuf[7] << 16), 0x1234 ^ (0x5678UL << 16));
    /* post-index */
    __asm__ volatile("ldp %0, %1, [%2], #32" : "=&r"(a), "=&r"(b), "+r"(p) : : "memory");
    check("ldp_post_wb", p, (u64)&mbuf[10]);
    check("ldp_post_data", a ^ (b << 16), 0x1234 ^ (0x5678UL << 16));
    __asm__ volatile("ldp %0, %1, [%2, #-16]!" : "=&r"(a), "=&r"(b), "+r"(p) : : "memory");
    check("ldp_pre_wb", p, (u64)&mbuf[8]);
    check("ldp_pre_data", a, 0x9999999999999999UL);
    /* non-temporal pair */
    __asm__ volatile("stnp %1, %2, [%0, #-64]" : : "r"(&mbuf[12]), "r"(0xcafeUL), "r"(0xf00dUL) : "memory");
    __asm__ volatile("ldnp %0, %1, [%2, #-64]" : "=&r"(a), "=&r"(b) : "r"(&mbuf[12]) : "memory");
    check("stnp_ldnp", a ^ (b << 16), 0xcafe ^ (0xf00dUL << 16));
    check("stnp_mem", mbuf[4], 0xcafe);
    __asm__ volatile("stnp %w1, %w2, [%0, #8]" : : "r"(&mbuf[0]), "r"(0x11UL), "r"(0x22UL) : "memory");
    check("stnp_w", mbuf[1], 0x0000002200000011UL);
}

static void test_single(void)
{
    u64 v, p;
    u8 *b = (u8 *)mbuf;
    fill();
    /* bytes 0..7 of mbuf[0]: 80 7f 00 80 00 00 00 80 (LE) */
    mbuf[0] = 0x8000000080007f80UL;
    check("ldrb",        LD("ldrb %w0, [%1]", b), 0x80);
    check("ldrsb_w",     LD("ldrsb %w0, [%1]", b), 0xffffff80UL);
    check("ldrsb_x",     LD("ldrsb %0, [%1]", b), 0xffffffffffffff80UL);
    check("ldrsb_x_pos", LD("ldrsb %0, [%1, #1]", b), 0x7f);
    check("ldrh",        LD("ldrh %w0, [%1, #2]", b), 0x8000);
    check("ldrsh_w",     LD("ldrsh %w0, [%1, #2]", b), 0xffff8000UL);
    check("ldrsh_x",     LD("ldrsh %0, [%1, #2]", b), 0xffffffffffff8000UL);
    check("ldrsh_x_pos", LD("ldrsh %0, [%1]", b), 0x7f80);
    check("ldr_w",       LD("ldr %w0, [%1, #4]", b), 0x80000000UL);
    check("ldrsw",       LD("ldrsw %0, [%1, #4]", b), 0xffffffff80000000UL);
    check("ldrsw_pos",   LD("ldrsw %0, [%1, #8]", b), 0x22222222UL);
    check("ldr_x",       LD("ldr %0, [%1]", b), 0x8000000080007f80UL);
    check("ldr_x_uoff",  LD("ldr %0, [%1, #120]", b), 0x1111111111111111UL * 16);

    /* unsigned offset at the top of the imm12 range */
    bigbuf[4095] = 0x0badc0de12345678UL;
    bigbuf[2047] = 0x1234567800000000UL;
    check("ldr_x_uoff_max",  LD("ldr %0, [%1, #32760]", bigbuf), 0x0badc0de12345678UL);
    check("ldr_w_uoff_big",  LD("ldr %w0, [%1, #16380]", bigbuf), 0x12345678);  /* bigbuf[2047] hi */
    check("ldrh_uoff_max",   LD("ldrh %w0, [%1, #8190]", (u8 *)bigbuf + 24576), 0x0bad);
    check("ldrb_uoff_max",   LD("ldrb %w0, [%1, #4095]", (u8 *)bigbuf + 28672), 0x0b);

    /* unscaled immediate (LDUR/STUR): negative and odd offsets, aligned targets */
    __asm__ volatile("stur %0, [%1, #-8]" : : "r"(0xdeadbeefcafef00dUL), "r"(b + 24) : "memory");
    check("stur_x",      mbuf[2], 0xdeadbeefcafef00dUL);
    check("ldur_x",      LD("ldur %0, [%1, #-7]", b + 23), 0xdeadbeefcafef00dUL);
    check("ldur_w",      LD("ldur %w0, [%1, #-1]", b + 21), 0xdeadbeefUL);
    check("ldursw",      LD("ldursw %0, [%1, #255]", (u64)b - 235), 0xffffffffdeadbeefUL);
    check("ldurh",       LD("ldurh %w0, [%1, #-255]", (u64)b + 273), 0xcafe);
    check("ldursh_w",    LD("ldursh %w0, [%1, #3]", b + 15), 0xffffcafeUL);
    check("ldurb",       LD("ldurb %w0, [%1, #-3]", b + 20), 0xf0);
    check("ldursb_x",    LD("ldursb %0, [%1, #1]", b + 17), 0xfffffffffffffffeUL);
    __asm__ volatile("sturh %w0, [%1, #-1]" : : "r"(0x1234UL), "r"(b + 17) : "memory");
    __asm__ volatile("sturb %w0, [%1, #1]" : : "r"(0xabUL), "r"(b + 18) : "memory");
    check("sturh_sturb", mbuf[2], 0xdeadbeefabfe1234UL);

    /* register offset: each extend/shift */
    fill();
    check("ldr_reg_lsl3",  LDX("ldr %0, [%1, %2, lsl #3]", mbuf, 3), 0x4444444444444444UL);
    check("ldr_reg_lsl0",  LDX("ldr %0, [%1, %2]", mbuf, 16), 0x3333333333333333UL);
    check("ldr_uxtw3",     LDX("ldr %0, [%1, %w2, uxtw #3]", mbuf, 0xffffffff00000005UL), 0x6666666666666666UL);
    check("ldr_sxtw3_neg", LDX("ldr %0, [%1, %w2, sxtw #3]", &mbuf[8], 0xffffffffUL), 0x8888888888888888UL);
    check("ldr_sxtw0",     LDX("ldr %0, [%1, %w2, sxtw]", &mbuf[8], 0xfffffff0UL), 0x7777777777777777UL);
    check("ldr_sxtx3",     LDX("ldr %0, [%1, %2, sxtx #3]", &mbuf[8], (u64)-8L), 0x1111111111111111UL);
    check("ldr_w_uxtw2",   LDX("ldr %w0, [%1, %w2, uxtw #2]", mbuf, 3), 0x22222222UL);
    check("ldrh_lsl1",     LDX("ldrh %w0, [%1, %2, lsl #1]", mbuf, 9), 0x3333);
    check("ldrb_reg",      LDX("ldrb %w0, [%1, %2]", mbuf, 9), 0x22);
    check("ldrb_reg_lsl0", LDX("ldrb %w0, [%1, %2, lsl #0]", mbuf, 17), 0x33);
    check("ldrsw_lsl2",    LDX("ldrsw %0, [%1, %2, lsl #2]", mbuf, 1), 0x11111111UL);
    __asm__ volatile("str %0, [%1, %w2, sxtw #3]" : : "r"(0x5aUL), "r"(&mbuf[4]), "r"(0xfffffffeUL) : "memory");
    check("str_sxtw3", mbuf[2], 0x5a);
    __asm__ volatile("strh %w0, [%1, %2, lsl #1]" : : "r"(0xbeefUL), "r"(mbuf), "r"(1UL) : "memory");
    check("strh_lsl1", mbuf[0], 0x11111111beef1111UL);

    /* pre/post-index with writeback */
    fill();
    p = (u64)mbuf;
    __asm__ volatile("ldr %0, [%1, #8]!" : "=&r"(v), "+r"(p) : : "memory");
    check("ldr_pre_val", v, 0x2222222222222222UL);
    check("ldr_pre_wb", p, (u64)&mbuf[1]);
    __asm__ volatile("ldr %0, [%1], #-8" : "=&r"(v), "+r"(p) : : "memory");
    check("ldr_post_val", v, 0x2222222222222222UL);
    check("ldr_post_wb", p, (u64)&mbuf[0]);
    __asm__ volatile("strb %w1, [%0], #1" : "+r"(p) : "r"(0x99UL) : "memory");
    check("strb_post_wb", p, (u64)mbuf + 1);
    check("strb_post_val", mbuf[0], 0x1111111111111199UL);
    p = (u64)mbuf;
    __asm__ volatile("ldrsh %0, [%1, #14]!" : "=&r"(v), "+r"(p) : : "memory");
    check("ldrsh_pre", v, 0x2222);
    check("ldrsh_pre_wb", p, (u64)mbuf + 14);
    __asm__ volatile("str %w1, [%0, #-6]!" : "+r"(p) : "r"(0x80000000UL) : "memory");
    check("str_w_pre_wb", p, (u64)mbuf + 8);
    check("str_w_pre_val", mbuf[1], 0x2222222280000000UL);
    __asm__ volatile("ldrsb %0, [%1], #255" : "=&r"(v), "+r"(p) : : "memory");
    check("ldrsb_post_255", p, (u64)mbuf + 263);
    check("ldrsb_post_val", v, 0);

    /* unprivileged LDTR/STTR (from EL1 with the MMU off they behave like LDR/STR) */
    fill();
    __asm__ volatile("sttr %0, [%1, #8]" : : "r"(0x8182838485868788UL), "r"(mbuf) : "memory");
    check("sttr_x", mbuf[1], 0x8182838485868788UL);
    check("ldtr_x",    LD("ldtr %0, [%1, #8]", mbuf), 0x8182838485868788UL);
    check("ldtr_w",    LD("ldtr %w0, [%1, #12]", mbuf), 0x81828384UL);
    check("ldtrb",     LD("ldtrb %w0, [%1, #15]", mbuf), 0x81);
    check("ldtrsb_w",  LD("ldtrsb %w0, [%1, #15]", mbuf), 0xffffff81UL);
    check("ldtrsb_x",  LD("ldtrsb %0, [%1, #15]", mbuf), 0xffffffffffffff81UL);
    check("ldtrh",     LD("ldtrh %w0, [%1, #14]", mbuf), 0x8182);
    check("ldtrsh_w",  LD("ldtrsh %w0, [%1, #14]", mbuf), 0xffff8182UL);
    check("ldtrsh_x",  LD("ldtrsh %0, [%1, #14]", mbuf), 0xffffffffffff8182UL);
    check("ldtrsw",    LD("ldtrsw %0, [%1, #12]", mbuf), 0xffffffff81828384UL);
    __asm__ volatile("sttrb %w0, [%1, #-1]" : : "r"(0x1ffUL), "r"(&mbuf[3]) : "memory");
    __asm__ volatile("sttrh %w0, [%1, #0]" : : "r"(0x2ffffUL), "r"(&mbuf[3]) : "memory");
    __asm__ volatile("sttr %w0, [%1, #4]" : : "r"(0x3aabbccddUL), "r"(&mbuf[3]) : "memory");
    check("sttrb", mbuf[2], 0xff33333333333333UL);
    check("sttrh_sttr_w", mbuf[3], 0xaabbccdd4444ffffUL);
}

static void test_exclusive(void)
{
    u64 old, st, a, b;
    volatile u64 *m = &mbuf[0];
    fill();
    mbuf[0] = 100;
    __asm__ volatile("ldxr %0, [%2]\n\tstxr %w1, %3, [%2]" : "=&r"(old), "=&r"(st) : "r"(m), "r"(200UL) : "memory");
    check("ldxr_val", old, 100);
    check("stxr_status_ok", st, 0);
    check("stxr_mem", *m, 200);
    __asm__ volatile("ldxr %0, [%2]\n\tclrex\n\tstxr %w1, %3, [%2]" : "=&r"(old), "=&r"(st) : "r"(m), "r"(300UL) : "memory");
    check("stxr_after_clrex_fails", st, 1);
    check("stxr_after_clrex_mem", *m, 200);
    /* the monitor is open again after a store-exclusive, so a second one fails */
    __asm__ volatile("ldxr %0, [%2]\n\tstxr %w1, %3, [%2]\n\tstxr %w1, %4, [%2]" : "=&r"(old), "=&r"(st) : "r"(m), "r"(400UL), "r"(500UL) : "memory");
    check("stxr_twice_second_fails", st, 1);
    check("stxr_twice_mem", *m, 400);
    __asm__ volatile("ldaxr %0, [%2]\n\tstlxr %w1, %3, [%2]" : "=&r"(old), "=&r"(st) : "r"(m), "r"(0x8000000000000001UL) : "memory");
    check("ldaxr_stlxr", old + st, 400);
    check("stlxr_mem", *m, 0x8000000000000001UL);
    __asm__ volatile("mov %0, #-1\n\tldxr %w0, [%2]\n\tstxr %w1, %w3, [%2]" : "=&r"(old), "=&r"(st) : "r"(m), "r"(0xffffffff12345678UL) : "memory");
    check("ldxr_w", old, 1);
    check("stxr_w", (st << 63) | *m, 0x8000000012345678UL);
    __asm__ volatile("mov %0, #-1\n\tldxrb %w0, [%2]\n\tstxrb %w1, %w3, [%2]" : "=&r"(old), "=&r"(st) : "r"((u8 *)m + 3), "r"(0x1a5UL) : "memory");
    check("ldxrb", old + st, 0x12);
    check("stxrb_mem", *m, 0x80000000a5345678UL);
    __asm__ volatile("mov %0, #-1\n\tldaxrh %w0, [%2]\n\tstlxrh %w1, %w3, [%2]" : "=&r"(old), "=&r"(st) : "r"((u8 *)m + 6), "r"(0x7777UL) : "memory");
    check("ldaxrh", old + st, 0x8000);
    check("stlxrh_mem", *m, 0x77770000a5345678UL);
    /* exclusive pair (16-byte aligned) */
    mbuf[2] = 0x1; mbuf[3] = 0x2;
    __asm__ volatile("ldxp %0, %1, [%3]\n\tstxp %w2, %4, %5, [%3]"
                     : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(&mbuf[2]), "r"(0xaUL), "r"(0xbUL) : "memory");
    check("ldxp_vals", (a << 8) | b, 0x102);
    check("stxp_status", st, 0);
    check("stxp_mem", (mbuf[2] << 8) | mbuf[3], 0xa0b);
    __asm__ volatile("ldaxp %w0, %w1, [%3]\n\tstlxp %w2, %w4, %w5, [%3]"
                     : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(&mbuf[2]), "r"(0xcUL), "r"(0xdUL) : "memory");
    check("ldaxp_w", (a << 8) | b, 0xa00);
    check("stlxp_w_mem", mbuf[2], 0x0000000d0000000cUL);

    /* load-acquire / store-release */
    fill();
    ST("stlr %0, [%1]", 0x0102030405060708UL, &mbuf[0]);
    check("stlr_x", mbuf[0], 0x0102030405060708UL);
    check("ldar_x", LD("ldar %0, [%1]", &mbuf[0]), 0x0102030405060708UL);
    ST("stlrb %w0, [%1]", 0xf1UL, (u8 *)&mbuf[1] + 1);
    check("stlrb", mbuf[1], 0x222222222222f122UL);
    check("ldarb", LD("ldarb %w0, [%1]", (u8 *)&mbuf[1] + 1), 0xf1);
    ST("stlrh %w0, [%1]", 0xbeefUL, (u8 *)&mbuf[1] + 6);
    check("stlrh", mbuf[1], 0xbeef22222222f122UL);
    check("ldarh", LD("ldarh %w0, [%1]", (u8 *)&mbuf[1] + 6), 0xbeef);
    ST("stlr %w0, [%1]", 0x76543210UL, &mbuf[2]);
    check("stlr_w", mbuf[2], 0x3333333376543210UL);
    check("ldar_w", LD("ldar %w0, [%1]", (u8 *)&mbuf[2] + 4), 0x33333333);
}

void test_mem(void)
{
    test_pair();
    test_single();
    test_exclusive();
}
