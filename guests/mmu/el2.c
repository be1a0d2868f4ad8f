/*
 * mmu guest: EL2 stage 1 (TTBR0_EL2, TCR_EL2, MAIR_EL2, SCTLR_EL2.M) in each
 * granule and with T0SZ values giving different start levels. Each
 * configuration identity-maps RAM (Normal) and the UART (Device) with level 2
 * blocks, and adds:
 *   VA_ALIAS           -> a scratch granule (level 3 page)
 *   VA_ALIAS + 1 gran. -> invalid (level 3 translation fault)
 *   VA_ALIAS + 2 gran. -> the same scratch granule
 *   VA_ALIAS + 3 gran. -> PA 4 GiB (Address size fault when TCR_EL2.PS = 32 bits)
 *   VA_ALIAS + 4 gran. -> the scratch granule, read-only
 *   VA_ALIAS + 5 gran. -> the granule holding mmu_user_page, executable
 *   VA_ALIAS + 6 gran. -> the same, XN
 *   VA_BLOCK           -> a level 2 block at RAM_BASE
 *   0x1_0000_0000      -> a level 1 block (1 GiB) at RAM_BASE (4K, T0SZ <= 31)
 * In the EL2 regime AP[1] is RES1 (one privilege level), so RW is AP = 0b01
 * and read-only AP = 0b11; bit 54 is XN and PXN (bit 53) is RES0.
 */
#include "mmu.h"

#define SCTLR_EL2_RES1 0x30c50830UL
#define SCTLR_M        (1UL << 0)
#define SCTLR_C        (1UL << 2)
#define SCTLR_I        (1UL << 12)

#define EL2_NORMAL (S1_ATTR(0) | S1_AP_RW_ALL | S1_SH_IS | S1_AF)
#define EL2_RO     (S1_ATTR(0) | S1_AP_RO_ALL | S1_SH_IS | S1_AF)
#define EL2_DEVICE (S1_ATTR(1) | S1_AP_RW_ALL | S1_SH_DEV | S1_AF | S1_UXN)

#define VA_BLOCK   0x20000000UL
#define VA_ALIAS   0x70000000UL
#define VA_1G      0x100000000UL

struct gcfg {
    const char *name;
    unsigned g, t0sz, ps;
    unsigned start;         /* expected start level */
    u64 va_hole_l2;         /* an invalid level 2 entry */
    u64 va_hole_start;      /* an invalid entry in the start-level table (0: none) */
    int l1_block;
};

static const struct gcfg cfgs[] = {
    /*  name              g   t0sz PS start hole at level 2   hole at start level  L1 block */
    { "el2 4k t0sz16",  12, 16, 2, 0, 0x60000000UL, 0x180000000000UL, 1 },   /* 512 entries */
    { "el2 4k t0sz25",  12, 25, 0, 1, 0x60000000UL, 0xc0000000UL,     1 },   /* 512; PS = 32 bits */
    { "el2 4k t0sz33",  12, 33, 2, 1, 0x60000000UL, 0,                0 },   /* 2 entries */
    { "el2 16k t0sz28", 14, 28, 2, 2, 0x60000000UL, 0x06000000UL,     0 },   /* 2048 entries */
    { "el2 16k t0sz16", 14, 16, 2, 0, 0x60000000UL, 0x800000000000UL, 0 },   /* 2 entries */
    { "el2 64k t0sz22", 16, 22, 2, 2, 0x80000000UL, 0,                0 },   /* 8192 entries */
    { "el2 64k t0sz16", 16, 16, 2, 1, 0x80000000UL, 0x40000000000UL,  0 },   /* 64 entries */
};

static void el2_mmu_off(void)
{
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
    isb();
    tlbi(alle2);
}

static u64 tg0(unsigned g)
{
    return g == 12 ? 0 : g == 16 ? 1 : 2;
}

static void run_cfg(const struct gcfg *c)
{
    const char *nm = c->name;
    u64 gsz = 1UL << c->g;
    struct pt p;

    pool_reset();
    pt_init(&p, c->g, 64 - c->t0sz);
    u64 blk = 1UL << (c->g + (c->g - 3));           /* level 2 block */
    pt_map(&p, UART_PA & ~(blk - 1), UART_PA & ~(blk - 1), 2, EL2_DEVICE);
    for (u64 a = RAM_BASE; a < RAM_END; a += blk)
        pt_map(&p, a, a, 2, EL2_NORMAL);
    u64 scratch = pool_alloc(gsz);
    u64 code = (u64)mmu_user_page & ~(gsz - 1);
    u64 ret42 = (u64)user_ret42 - code;             /* offset in its granule */
    pt_map(&p, VA_ALIAS, scratch, 3, EL2_NORMAL);
    pt_map(&p, VA_ALIAS + 2 * gsz, scratch, 3, EL2_NORMAL);
    pt_map(&p, VA_ALIAS + 3 * gsz, 0x100000000UL, 3, EL2_NORMAL);
    pt_map(&p, VA_ALIAS + 4 * gsz, scratch, 3, EL2_RO);
    pt_map(&p, VA_ALIAS + 5 * gsz, code, 3, EL2_NORMAL);
    pt_map(&p, VA_ALIAS + 6 * gsz, code, 3, EL2_NORMAL | S1_UXN);
    pt_map(&p, VA_BLOCK, RAM_BASE, 2, EL2_NORMAL);
    if (c->l1_block)
        pt_map(&p, VA_1G, RAM_BASE, 1, EL2_NORMAL);

    if (p.start != c->start) {
        printf("FATAL: %s: table builder start level %u\n", nm, p.start);
        semihosting_exit(97);
    }
    write_sysreg(mair_el2, MAIR_VALUE);
    write_sysreg(tcr_el2, (1UL << 31) | (1UL << 23) | ((u64)c->ps << 16) | (tg0(c->g) << 14) |
                          (3UL << 12) | (1UL << 10) | (1UL << 8) | c->t0sz);
    write_sysreg(ttbr0_el2, p.root);
    isb();
    tlbi(alle2);
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();

    u64 off = gsz - 0x1000 + 0x10;      /* in the last 4 KiB of the granule */
    u64 v = 0x1111000000000000UL | (c->g << 8) | c->t0sz;
    st64(VA_ALIAS + off, v);
    check2(nm, " alias write", ld64(scratch + off), v);
    st64(scratch + off + 8, ~v);
    check2(nm, " alias read", ld64(VA_ALIAS + off + 8), ~v);
    check2(nm, " second alias", ld64(VA_ALIAS + 2 * gsz + off), v);
    check2(nm, " block", ld64(VA_BLOCK + ((u64)&g_magic - RAM_BASE)), MAGIC);
    if (c->l1_block)
        check2(nm, " 1g block", ld64(VA_1G + ((u64)&g_magic - RAM_BASE)), MAGIC);
    check2(nm, " exec", ((u64 (*)(void))(VA_ALIAS + 5 * gsz + ret42))(), 42);

    /* AT S1E2R / S1E2W -> PAR_EL1 */
    check2(nm, " at alias", at_s1e2r(VA_ALIAS + off) & PAR_OK_MASK, PAR_OK(0xff, scratch + off, 3));
    check2(nm, " at device", at_s1e2r(UART_PA + 0x18) & PAR_OK_MASK, PAR_OK(0x00, UART_PA, 2));
    check2(nm, " at l3 hole", at_s1e2r(VA_ALIAS + gsz) & 0xfff, PAR_FAIL(FSC_TRANS(3)));
    check2(nm, " at l2 hole", at_s1e2r(c->va_hole_l2) & 0xfff, PAR_FAIL(FSC_TRANS(2)));
    if (c->va_hole_start)
        check2(nm, " at start level hole", at_s1e2r(c->va_hole_start) & 0xfff,
               PAR_FAIL(FSC_TRANS(c->start)));
    check2(nm, " at out of range", at_s1e2r(1UL << (64 - c->t0sz)) & 0xfff, PAR_FAIL(FSC_TRANS(0)));
    check2(nm, " at s1e2w ro", at_s1e2w(VA_ALIAS + 4 * gsz) & 0xfff, PAR_FAIL(FSC_PERM(3)));
    check2(nm, " at s1e2r ro", at_s1e2r(VA_ALIAS + 4 * gsz + off) & PAR_OK_MASK,
           PAR_OK(0xff, scratch + off, 3));
    if (c->ps == 0)
        check2(nm, " at address size", at_s1e2r(VA_ALIAS + 3 * gsz) & 0xfff, PAR_FAIL(FSC_ADDRSZ(3)));

    /* data and instruction aborts taken to EL2 from EL2 */
    u64 va = VA_ALIAS + gsz + 0x18;
    fault_reset();
#ifdef MMU_STRICT
    check2(nm, " abort value", probe_ldr_x(va, 0), SENT);
    check_fault(cat(nm, " abort"), &f2, ESR(EC_DABT_CUR, FSC_TRANS(3)), va, (u64)probe_ldr_x_insn);
#else
    check2(nm, " abort value", probe_ldr_post(va, 0), SENT);
    check_fault(cat(nm, " abort"), &f2, ESR(EC_DABT_CUR, FSC_TRANS(3)), va, (u64)probe_ldr_post_insn);
#endif
    fault_reset();
    va = VA_ALIAS + 4 * gsz + off;
#ifdef MMU_STRICT
    probe_str_x(va, 0x5a5a);
    check_fault(cat(nm, " ro write"), &f2, ESR(EC_DABT_CUR, WNR | FSC_PERM(3)), va, (u64)probe_str_x_insn);
#else
    probe_str_post(va, 0x5a5a);
    check_fault(cat(nm, " ro write"), &f2, ESR(EC_DABT_CUR, WNR | FSC_PERM(3)), va, (u64)probe_str_post_insn);
#endif
    check2(nm, " ro write kept", ld64(scratch + off), v);
    fault_reset();
    va = VA_ALIAS + 6 * gsz + ret42;
    check2(nm, " exec xn", ((u64 (*)(void))va)(), SENT);
    check_fault(cat(nm, " exec xn"), &f2, ESR(EC_IABT_CUR, FSC_PERM(3)), va, va);

    el2_mmu_off();
}

void test_el2_stage1(void)
{
    u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);
    check("id tgran4 supported", ((mmfr0 >> 28) & 0xf) != 0xf, 1);
    check("id tgran16 supported", ((mmfr0 >> 20) & 0xf) != 0, 1);
    check("id tgran64 supported", ((mmfr0 >> 24) & 0xf) != 0xf, 1);
    check("id parange >= 40 bits", (mmfr0 & 0xf) >= 2, 1);
    el2_mmu_off();
    for (unsigned i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++)
        run_cfg(&cfgs[i]);
}
