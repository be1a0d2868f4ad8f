/* isa: system instructions, barriers/hints, DC ZVA, generic timer, self-modifying code. */
#include "check.h"

static u8 zbuf[3 * 2048] __attribute__((aligned(2048)));
static u32 smc_code[16] __attribute__((aligned(64)));

static void test_sysregs(void)
{
    u64 v;
    write_sysreg(nzcv, 0xf0000000UL);
    check("nzcv_rw_all", read_sysreg(nzcv), 0xf0000000UL);
    write_sysreg(nzcv, ~0UL);                       /* bits other than 31:28 are RES0 */
    check("nzcv_res0", read_sysreg(nzcv), 0xf0000000UL);
    write_sysreg(nzcv, 0x50000000UL);
    check("nzcv_rw_zv", read_sysreg(nzcv), 0x50000000UL);
    write_sysreg(nzcv, 0);

    write_sysreg(tpidr_el0, 0x0123456789abcdefUL);
    check("tpidr_el0", read_sysreg(tpidr_el0), 0x0123456789abcdefUL);
    write_sysreg(tpidrro_el0, 0xfedcba9876543210UL);
    check("tpidrro_el0", read_sysreg(tpidrro_el0), 0xfedcba9876543210UL);
    write_sysreg(tpidr_el1, 0x5555aaaa5555aaaaUL);
    check("tpidr_el1", read_sysreg(tpidr_el1), 0x5555aaaa5555aaaaUL);

    v = read_sysreg(CurrentEL);
    check("currentel_res0", v & ~0xcUL, 0);

    /* DAIF: DAIFSet/DAIFClr immediates are D=8 A=4 I=2 F=1; DAIF bits are D=9 A=8 I=7 F=6 */
    u64 saved = read_sysreg(daif);
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    check("daifset_all", read_sysreg(daif), 0x3c0);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    check("daifclr_i", read_sysreg(daif), 0x340);
    __asm__ volatile("msr daifset, #2\n\tmsr daifclr, #9" ::: "memory");
    check("daifclr_d_f", read_sysreg(daif), 0x180);
    write_sysreg(daif, 0x140UL);
    check("msr_daif", read_sysreg(daif), 0x140);
    write_sysreg(daif, ~0UL);
    check("msr_daif_res0", read_sysreg(daif), 0x3c0);
    write_sysreg(daif, saved);

    /* SPSel: with SPSel=0 "sp" is SP_EL0 */
    u64 sp_before, sp_el0_seen, spsel0, spsel1, sp_after;
    __asm__ volatile(
        "mov %0, sp\n\t"
        "mrs %3, spsel\n\t"
        "msr sp_el0, %5\n\t"
        "msr spsel, #0\n\t"
        "mov %1, sp\n\t"
        "mrs %2, spsel\n\t"
        "msr spsel, #1\n\t"
        "mov %4, sp"
        : "=&r"(sp_before), "=&r"(sp_el0_seen), "=&r"(spsel0), "=&r"(spsel1), "=&r"(sp_after)
        : "r"(0x40001230UL) : "memory");
    check("spsel_initial", spsel1, 1);
    check("spsel_0_read", spsel0, 0);
    check("spsel_0_uses_sp_el0", sp_el0_seen, 0x40001230UL);
    check("spsel_1_restores_sp", sp_after, sp_before);
    check("sp_el0_readback", read_sysreg(sp_el0), 0x40001230UL);
}

static void test_hints(void)
{
    u64 a = 0x1234, b = 0x5678, c;
    __asm__ volatile(
        "nop\n\t"
        "yield\n\t"
        "sev\n\t"
        "sevl\n\t"
        "wfe\n\t"                   /* event register is set (SEV/SEVL): returns at once */
        "dsb sy\n\t"
        "dsb ish\n\t"
        "dsb nshst\n\t"
        "dmb ish\n\t"
        "dmb ishld\n\t"
        "dmb oshst\n\t"
        "isb\n\t"
        "clrex\n\t"
        "clrex #5\n\t"
        "hint #0x7f\n\t"            /* unallocated hint: executes as NOP */
        "csdb\n\t"
        "add %0, %1, %2"
        : "=r"(c) : "r"(a), "r"(b) : "memory");
    check("hints_barriers", c, 0x68ac);
}

static void test_dczva(void)
{
    u64 dczid = read_sysreg(dczid_el0);
    check("dczid_dzp_clear", (dczid >> 4) & 1, 0);
    u64 bs = dczid & 0xf;
    check("dczid_bs_le_2k", bs <= 9, 1);
    if (bs > 9)
        return;
    u64 block = 4UL << bs;
    memset(zbuf, 0xaa, 3 * block);
    /* an address inside the middle block, not block aligned: the whole
     * naturally aligned block is zeroed, nothing else */
    __asm__ volatile("dc zva, %0\n\tdsb ish" : : "r"(zbuf + block + 8) : "memory");
    u64 zeros = 0, untouched = 0;
    for (u64 i = 0; i < 3 * block; i++) {
        if (i >= block && i < 2 * block)
            zeros += zbuf[i] == 0;
        else
            untouched += zbuf[i] == 0xaa;
    }
    check("dc_zva_block_zeroed", zeros, block);
    check("dc_zva_outside_untouched", untouched, 2 * block);
}

static void test_timer(void)
{
    check("cntfrq_el0", read_sysreg(cntfrq_el0), 62500000);
    u64 t0, t1, t2;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t0) : : "memory");
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t1) : : "memory");
    for (volatile int i = 0; i < 200000; i++)
        ;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t2) : : "memory");
    check("cntvct_monotonic", t1 >= t0 && t2 >= t1, 1);
    check("cntvct_advances", t2 > t0, 1);
}

static void sync_icache(void *p)
{
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(p) : "memory");
}

static u64 call_code(void *p)
{
    u64 r;
    __asm__ volatile("blr %1\n\tmov %0, x0"
                     : "=r"(r) : "r"(p)
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
                       "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30", "cc", "memory");
    return r;
}

static void test_self_modifying(void)
{
    /* MOVZ W0,#imm = 0x52800000 | imm16 << 5; RET = 0xd65f03c0 */
    smc_code[0] = 0x52800000u | (1u << 5);    /* mov w0, #1 */
    smc_code[1] = 0xd65f03c0u;                /* ret */
    sync_icache(smc_code);
    check("smc_first", call_code(smc_code), 1);
    smc_code[0] = 0x52800000u | (2u << 5);    /* mov w0, #2 */
    sync_icache(smc_code);
    check("smc_rewritten", call_code(smc_code), 2);
}

void test_system(void)
{
    test_sysregs();
    test_hints();
    test_dczva();
    test_timer();
    test_self_modifying();
}
