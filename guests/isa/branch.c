/* isa: branches. */
#include "check.h"

typedef struct { u64 got, want; } pair;
pair isa_adr_fwd(void), isa_adr_back(void), isa_adrp(void), isa_adrp_add(void);
pair isa_ldr_lit64(void), isa_ldr_lit64_back(void), isa_ldr_lit32(void);
pair isa_bl(void), isa_blr(void), isa_br(void), isa_ret_reg(void), isa_b_fwd_back(void);

/* 1 if the branch `insn, label` was taken, else 0. %1 = operand. */
#define BR1(insn, a) ({ u64 _t; __asm__ volatile( \
    "mov %0, #0\n\t" insn ", 1f\n\tb 2f\n1:\tmov %0, #1\n2:" \
    : "=&r"(_t) : "r"((u64)(a)) : "cc"); _t; })

/* Truth table of B.cond over all 16 NZCV values (bit i <-> NZCV = i). */
#define BCOND_MASK(cond) ({ u64 _m = 0; \
    for (u64 _i = 0; _i < 16; _i++) { u64 _t; __asm__ volatile( \
        "msr nzcv, %1\n\tmov %0, #0\n\tb." cond " 1f\n\tb 2f\n1:\tmov %0, #1\n2:" \
        : "=&r"(_t) : "r"(_i << 28) : "cc"); _m |= _t << _i; } _m; })

void test_branch(void)
{
    pair p;
    p = isa_adr_fwd();      check("adr_fwd", p.got, p.want);
    p = isa_adr_back();     check("adr_back", p.got, p.want);
    p = isa_adrp();         check("adrp", p.got, p.want & ~0xfffUL);
    check("adrp_page_off", p.want & 0xfff, 0x230);  /* sanity of the fixture */
    p = isa_adrp_add();     check("adrp_add_lo12", p.got, p.want);
    p = isa_ldr_lit64();    check("ldr_lit64", p.got, p.want);
    p = isa_ldr_lit64_back(); check("ldr_lit64_back", p.got, p.want);
    p = isa_ldr_lit32();
    check("ldr_lit32_zext", p.got, 0x89abcdefUL);
    check("ldrsw_lit", p.want, 0xffffffff89abcdefUL);
    p = isa_bl();           check("bl_link", p.got, p.want);
    p = isa_blr();          check("blr_link", p.got, p.want);
    p = isa_br();           check("br", p.got, p.want);
    p = isa_ret_reg();      check("ret_xn", p.got, p.want);
    p = isa_b_fwd_back();   check("b_fwd_back", p.got, p.want);

    check("cbz_w_taken",    BR1("cbz %w1", 0x100000000UL), 1);
    check("cbz_x_not",      BR1("cbz %1", 0x100000000UL), 0);
    check("cbz_x_taken",    BR1("cbz %1", 0), 1);
    check("cbnz_x_taken",   BR1("cbnz %1", 0x100000000UL), 1);
    check("cbnz_w_not",     BR1("cbnz %w1", 0x100000000UL), 0);
    check("cbnz_x_not",     BR1("cbnz %1", 0), 0);
    check("tbz_63_taken",   BR1("tbz %1, #63", 0x7fffffffffffffffUL), 1);
    check("tbz_63_not",     BR1("tbz %1, #63", 0x8000000000000000UL), 0);
    check("tbnz_0_taken",   BR1("tbnz %1, #0", 1), 1);
    check("tbnz_0_not",     BR1("tbnz %1, #0", 2), 0);
    check("tbz_w31_not",    BR1("tbz %w1, #31", 0x80000000UL), 0);
    check("tbnz_32_taken",  BR1("tbnz %1, #32", 0x100000000UL), 1);

    /* B.cond: bit i set <=> ConditionHolds(cond) with NZCV = i (N=8,Z=4,C=2,V=1) */
    check("bcond_eq", BCOND_MASK("eq"), 0xf0f0);
    check("bcond_ne", BCOND_MASK("ne"), 0x0f0f);
    check("bcond_cs", BCOND_MASK("cs"), 0xcccc);
    check("bcond_cc", BCOND_MASK("cc"), 0x3333);
    check("bcond_mi", BCOND_MASK("mi"), 0xff00);
    check("bcond_pl", BCOND_MASK("pl"), 0x00ff);
    check("bcond_vs", BCOND_MASK("vs"), 0xaaaa);
    check("bcond_vc", BCOND_MASK("vc"), 0x5555);
    check("bcond_hi", BCOND_MASK("hi"), 0x0c0c);
    check("bcond_ls", BCOND_MASK("ls"), 0xf3f3);
    check("bcond_ge", BCOND_MASK("ge"), 0xaa55);
    check("bcond_lt", BCOND_MASK("lt"), 0x55aa);
    check("bcond_gt", BCOND_MASK("gt"), 0x0a05);
    check("bcond_le", BCOND_MASK("le"), 0xf5fa);
    check("bcond_al", BCOND_MASK("al"), 0xffff);
}
