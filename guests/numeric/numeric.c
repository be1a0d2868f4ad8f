/*
 * numeric: a self-checking FP and AdvSIMD guest (EL1, FP enabled by main.S).
 *
 * Scalar double/single precision (scalar.c): matrix multiply, a sort of
 * doubles, Newton square root against FSQRT, and float<->int conversions
 * under each FPCR rounding mode. AdvSIMD through <arm_neon.h> intrinsics
 * (simd.c): memcpy, LD2/LD3/LD4/ST2/ST3/ST4 interleaving, strlen, float32x4
 * dot product/saxpy/matrix multiply, table lookups and a byte histogram,
 * widening/narrowing, shifts, compares/bit selects and permutes. Every
 * result is checked against an independent reference (integer code, a
 * closed form, or scalar code), never against the same instructions.
 *
 * The data accesses of the SIMD code are unaligned on purpose, so the EL1
 * MMU is turned on first (identity map, 1 GiB blocks: [0, 1 GiB) Device,
 * [1 GiB, 2 GiB) Normal write-back), where they are allowed; with the MMU
 * off every access is to Device memory and would take an Alignment fault.
 *
 * Output: "numeric guest at EL1", one "PASS group (n checks)" or
 * "FAIL group (k of n checks failed)" line per group (after at most a few
 * "FAIL group: ..." detail lines), then "N passed, M failed" over all checks;
 * exit status M != 0. An UNDEFINED instruction fails its group (the EL1
 * vectors in vectors.S jump back here) and the next group runs, so an
 * emulator with part of AdvSIMD missing still gets a report for every group.
 *
 * Builds (guests/Makefile; all with -fno-tree-vectorize -ffp-contract=off):
 *   numeric.elf          everything
 *   numeric-scalar.elf   -DNUMERIC_SCALAR_ONLY: the scalar groups only (no
 *                        AdvSIMD data processing)
 *   simd.elf             -DSIMD_BENCH=n: no checks; n iterations of the SIMD
 *                        kernels, then "simd iterations n", "simd checksum
 *                        0x..." and "simd done" (`npm run bench -- simd`);
 *                        simd-small.elf is the same with n = 2
 */
#include "numeric.h"

/* ---- MMU: identity map with two 1 GiB blocks ---- */

#define MAIR_VALUE   0x00ffUL          /* Attr0 Normal WB RA/WA, Attr1 Device-nGnRnE */
#define PTE_BLOCK    1UL
#define PTE_ATTR(i)  ((u64)(i) << 2)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF       (1UL << 10)
#define PTE_PXN      (1UL << 53)
#define PTE_UXN      (1UL << 54)

static u64 l1_table[512] __attribute__((aligned(4096)));

static void mmu_on(void)
{
    /* T0SZ = 32: a 4 GiB VA space; with the 4 KiB granule the walk starts at level 1. */
    l1_table[0] = 0x00000000UL | PTE_BLOCK | PTE_ATTR(1) | PTE_AF | PTE_PXN | PTE_UXN;
    l1_table[1] = 0x40000000UL | PTE_BLOCK | PTE_ATTR(0) | PTE_SH_INNER | PTE_AF;
    u64 tcr = 32UL                                      /* T0SZ */
            | (1UL << 8) | (1UL << 10) | (3UL << 12)    /* IRGN0, ORGN0 WB WA; SH0 inner */
            | (0UL << 14)                               /* TG0 4 KiB */
            | (1UL << 23)                               /* EPD1: no TTBR1 walks */
            | (0UL << 32);                              /* IPS: 32 bits */
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, tcr);
    write_sysreg(ttbr0_el1, (u64)l1_table);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
    u64 sctlr = read_sysreg(sctlr_el1);
    sctlr |= (1UL << 0) | (1UL << 2) | (1UL << 12);     /* M, C, I */
    sctlr &= ~(1UL << 1);                               /* A: no alignment checks */
    write_sysreg(sctlr_el1, sctlr);
    isb();
}

#ifdef SIMD_BENCH

extern char numeric_vectors[];
u64 numeric_undef_pc;                   /* ELR_EL1 of an UNDEFINED exception (vectors.S) */

void numeric_undefined(void) __attribute__((noreturn));
void numeric_undefined(void)
{
    printf("simd: UNDEFINED instruction 0x%08x at 0x%lx\n", *(volatile u32 *)numeric_undef_pc, numeric_undef_pc);
    exit(1);
}

int numeric_main(void)
{
    mmu_on();
    write_sysreg(vbar_el1, (u64)numeric_vectors);
    isb();
    write_fpcr(0);
    printf("simd iterations %u\n", (unsigned)SIMD_BENCH);
#ifdef SIMD_TICKS
    u64 t0;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t0));
#endif
    u64 sum = 0x243f6a8885a308d3UL;
    for (u64 it = 0; it < SIMD_BENCH; it++)
        sum = mix64(sum ^ simd_bench_iteration(it));
    printf("simd checksum 0x%016lx\n", sum);
#ifdef SIMD_TICKS
    /* Under QEMU -icount shift=0 a tick (62.5 MHz) is 16 instructions. */
    u64 t1;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t1));
    printf("simd ticks %lu (cntfrq %lu)\n", t1 - t0, read_sysreg(cntfrq_el0));
#endif
    printf("simd done\n");
    return 0;
}

#else

/* ---- check bookkeeping ---- */

#define GROUP_MAX_FAIL_LINES 8

static unsigned total_passed, total_failed;
static const char *group_name;
static unsigned group_checks, group_failed;

int ck_idx(const char *what, u64 idx, u64 got, u64 want)
{
    group_checks++;
    if (got == want) {
        total_passed++;
        return 1;
    }
    total_failed++;
    if (group_failed++ < GROUP_MAX_FAIL_LINES) {
        if (idx == (u64)-1)
            printf("FAIL %s: %s got=0x%lx want=0x%lx\n", group_name, what, got, want);
        else
            printf("FAIL %s: %s[%lu] got=0x%lx want=0x%lx\n", group_name, what, idx, got, want);
    }
    return 0;
}

int ck(const char *what, u64 got, u64 want)
{
    return ck_idx(what, (u64)-1, got, want);
}

/* ---- groups; UNDEFINED instructions (vectors.S) fail the group ---- */

typedef u64 jmp_state[22];
int numeric_setjmp(jmp_state buf);
void numeric_longjmp(jmp_state buf, int val) __attribute__((noreturn));
extern char numeric_vectors[];

u64 numeric_undef_pc;                   /* ELR_EL1 of the UNDEFINED exception */
static jmp_state group_jmp;

void numeric_undefined(void) __attribute__((noreturn));
void numeric_undefined(void)
{
    numeric_longjmp(group_jmp, 1);
}

static void run_group(const char *name, void (*fn)(void))
{
    group_name = name;
    group_checks = group_failed = 0;
    if (numeric_setjmp(group_jmp) == 0) {
        fn();
    } else {
        write_fpcr(0);
        write_fpsr(0);
        group_checks++;
        total_failed++;
        if (group_failed++ < GROUP_MAX_FAIL_LINES)
            printf("FAIL %s: UNDEFINED instruction 0x%08x at 0x%lx\n", group_name,
                   *(volatile u32 *)numeric_undef_pc, numeric_undef_pc);
    }
    if (group_failed)
        printf("FAIL %s (%u of %u checks failed)\n", group_name, group_failed, group_checks);
    else
        printf("PASS %s (%u checks)\n", group_name, group_checks);
}

/* The checksums of simd_bench_iteration(0) and (1), computed under QEMU 7.2
 * (-cpu cortex-a57 and -cpu max agree): a regression check of the bench
 * kernels, whose pieces are checked one by one by the simd_* groups. */
#define BENCH_ITER0 0x4a555de618f062c9UL
#define BENCH_ITER1 0x367ed0d1d1941463UL

#ifndef NUMERIC_SCALAR_ONLY
static void test_bench_kernels(void)
{
    ck("iteration 0", simd_bench_iteration(0), BENCH_ITER0);
    ck("iteration 1", simd_bench_iteration(1), BENCH_ITER1);
}
#endif

int numeric_main(void)
{
    printf("numeric guest at EL%u\n", current_el());
    mmu_on();
    write_sysreg(vbar_el1, (u64)numeric_vectors);
    isb();
    write_fpcr(0);
    write_fpsr(0);

    run_group("matmul_f64", test_matmul);
    run_group("sort_f64", test_sort);
    run_group("sqrt", test_sqrt);
    run_group("convert_float_to_int", test_float_to_int);
    run_group("convert_int_to_float", test_int_to_float);
    run_group("fpcr_modes", test_fpcr_modes);
#ifndef NUMERIC_SCALAR_ONLY
    run_group("simd_memcpy", test_simd_memcpy);
    run_group("simd_ld_st_struct", test_simd_ldst_struct);
    run_group("simd_strlen", test_simd_strlen);
    run_group("simd_float32x4", test_simd_float);
    run_group("simd_table", test_simd_table);
    run_group("simd_widen_narrow", test_simd_widen);
    run_group("simd_shift", test_simd_shift);
    run_group("simd_compare_select", test_simd_select);
    run_group("simd_permute", test_simd_permute);
    run_group("bench_kernels", test_bench_kernels);
#endif

    printf("%u passed, %u failed\n", total_passed, total_failed);
    return total_failed != 0;
}

#endif
