/*
 * mips: a CPU-bound, deterministic integer workload for measuring emulator
 * speed. Each iteration runs, on data derived from the iteration number:
 *   - xorshift64 fill of a 64 KiB buffer,
 *   - a word-copy loop with a light transform (memcpy-like),
 *   - table-driven CRC-32 over the buffer,
 *   - FNV-1a 64-bit hash over the copy,
 *   - heapsort of 8192 pseudo-random u32 and a sortedness check,
 *   - a sieve of Eratosthenes up to 2^18,
 * and folds every result into a checksum. Prints "mips checksum 0x..." and
 * "mips done", then exits 0. The number of iterations is MIPS_ITERS (make
 * MIPS_ITERS=n); the default retires about 1.5 G instructions. All work data
 * is in .bss, which the linker script starts on its own 4 KiB page.
 */
#include "rt.h"

#ifndef MIPS_ITERS
#define MIPS_ITERS 226   /* about 6.6 M instructions per iteration (gcc 12 -O2) */
#endif

#define BUF_WORDS  (64 * 1024 / 8)
#define SORT_N     8192
#define SIEVE_N    (1 << 18)

static u32 crc_table[256];
static u64 buf_a[BUF_WORDS] __attribute__((aligned(64)));
static u64 buf_b[BUF_WORDS] __attribute__((aligned(64)));
static u32 sort_arr[SORT_N] __attribute__((aligned(64)));
static u8 sieve[SIEVE_N] __attribute__((aligned(64)));

static u64 rng;

#ifdef MIPS_MMU
/*
 * MIPS_MMU (build/mips-mmu.elf, `bench mmu`): the same workload with the EL1&0
 * MMU on, set up at the start of main the way an OS kernel would: 4 KiB
 * granule, 48-bit VA (TCR_EL1.T0SZ = 16, four levels, start level 0), the
 * image identity-mapped with 4 KiB pages only (no blocks; text read-only and
 * executable, the rest read-write and execute-never), the UART as
 * Device-nGnRnE, SCTLR_EL1.M, C and I set. Each iteration also touches one
 * word in each of the 4096 pages of a 16 MiB buffer (a working set four
 * times the 1024-entry TLB of armvisor); that pass is cheap next to the
 * iteration (about 33 K of its 6.6 M instructions, 0.5%) and is kept out of
 * the checksum (it prints its own line), so both builds print the same
 * checksum. Only the image is mapped ([__image_start, __image_end): code,
 * data, .bss with the tables and the buffer, the stack) plus the UART page.
 */
#define PAGE           4096UL
#define TOUCH_PAGES    4096UL
#define PT_TABLES      32              /* pool of 4 KiB tables (L0, L1, L2s, L3s) */
#define UART_PAGE      0x09000000UL

#define MAIR_VALUE     0x00ffUL        /* Attr0 Normal WB RA/WA, Attr1 Device-nGnRnE */
#define ATTR_NORMAL    (0UL << 2)
#define ATTR_DEVICE    (1UL << 2)
#define PTE_PAGE       3UL             /* bits[1:0] = 0b11: table (levels 0-2), page (level 3) */
#define PTE_AP_RO      (2UL << 6)      /* AP[2:1] = 10: EL1 read-only, no EL0 access */
#define PTE_SH_INNER   (3UL << 8)
#define PTE_AF         (1UL << 10)
#define PTE_PXN        (1UL << 53)
#define PTE_UXN        (1UL << 54)

extern char __image_start[], __data_start[], __image_end[];
static u64 mix(u64 h, u64 v);

static u64 page_tables[PT_TABLES][PAGE / 8] __attribute__((aligned(4096)));
static unsigned pt_used;
static u64 touch_buf[TOUCH_PAGES * PAGE / 8] __attribute__((aligned(4096)));
static u64 touch_sum;

static u64 *pt_alloc(void)
{
    if (pt_used == PT_TABLES) {
        printf("mips mmu: out of page tables\n");
        exit(1);
    }
    return page_tables[pt_used++];       /* .bss: already zero */
}

/* Map the 4 KiB page at va (identity) with the given leaf attributes. */
static void map_page(u64 *l0, u64 va, u64 attrs)
{
    u64 *t = l0;
    for (int level = 0; level < 3; level++) {
        u64 *e = &t[(va >> (39 - 9 * level)) & 511];
        if (!(*e & 1))
            *e = (u64)pt_alloc() | PTE_PAGE;
        t = (u64 *)(*e & 0x0000fffffffff000UL);
    }
    t[(va >> 12) & 511] = (va & 0x0000fffffffff000UL) | attrs | PTE_PAGE;
}

static void mmu_on(void)
{
    if (current_el() != 1) {
        printf("mips mmu: runs at EL1 only (now at EL%u)\n", current_el());
        exit(1);
    }
    u64 *l0 = pt_alloc();
    u64 text = (u64)__image_start, data = (u64)__data_start;
    u64 end = ((u64)__image_end + PAGE - 1) & ~(PAGE - 1);
    for (u64 va = text; va < data; va += PAGE)          /* .text, .rodata */
        map_page(l0, va, ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_AP_RO | PTE_UXN);
    for (u64 va = data; va < end; va += PAGE)           /* .data, .bss (tables included), stack */
        map_page(l0, va, ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN);
    map_page(l0, UART_PAGE, ATTR_DEVICE | PTE_AF | PTE_PXN | PTE_UXN);

    u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    u64 ips = parange > 5 ? 5 : parange;                /* 48 bits at most: no FEAT_LPA */
    u64 tcr = 16UL                                      /* T0SZ: 48-bit VA */
            | (1UL << 8) | (1UL << 10) | (3UL << 12)    /* IRGN0, ORGN0 WB WA; SH0 inner */
            | (0UL << 14)                               /* TG0 4 KiB */
            | (1UL << 23)                               /* EPD1: no TTBR1 walks */
            | (ips << 32);
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, tcr);
    write_sysreg(ttbr0_el1, (u64)l0);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
    u64 sctlr = read_sysreg(sctlr_el1);
    sctlr |= (1UL << 0) | (1UL << 2) | (1UL << 12);     /* M, C, I */
    write_sysreg(sctlr_el1, sctlr);
    isb();
}

/* One word in each page of touch_buf: read-modify-write. */
static void touch_pages(u64 it)
{
    u64 acc = 0;
    for (u64 p = 0; p < TOUCH_PAGES; p++) {
        u64 *w = &touch_buf[p * (PAGE / 8) + (it & 511)];
        *w += it + p;
        acc += *w;
    }
    touch_sum = mix(touch_sum, acc);
}
#endif

static u64 xorshift64(void)
{
    u64 x = rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng = x;
    return x;
}

static void crc_init(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        crc_table[i] = c;
    }
}

static u32 crc32_sw(const u8 *p, u64 n)
{
    u32 c = 0xffffffffu;
    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

static void fill(u64 seed)
{
    rng = seed * 0x9e3779b97f4a7c15UL + 1;
    for (u64 i = 0; i < BUF_WORDS; i++)
        buf_a[i] = xorshift64();
}

static u64 copy_words(void)
{
    u64 acc = 0;
    for (u64 i = 0; i < BUF_WORDS; i++) {
        u64 v = buf_a[i];
        v ^= v >> 29;
        buf_b[i] = v + i;
        acc += v;
    }
    return acc;
}

static u64 fnv1a(const u8 *p, u64 n)
{
    u64 h = 0xcbf29ce484222325UL;
    while (n--) {
        h ^= *p++;
        h *= 0x100000001b3UL;
    }
    return h;
}

static void sift_down(u32 *a, u64 start, u64 end)
{
    u64 root = start;
    while (2 * root + 1 <= end) {
        u64 child = 2 * root + 1;
        u64 sw = root;
        if (a[sw] < a[child])
            sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1])
            sw = child + 1;
        if (sw == root)
            return;
        u32 t = a[root];
        a[root] = a[sw];
        a[sw] = t;
        root = sw;
    }
}

static void heapsort(u32 *a, u64 n)
{
    for (u64 start = (n - 2) / 2 + 1; start-- > 0;)
        sift_down(a, start, n - 1);
    for (u64 end = n - 1; end > 0; end--) {
        u32 t = a[end];
        a[end] = a[0];
        a[0] = t;
        sift_down(a, 0, end - 1);
    }
}

static u64 sort_round(u64 seed)
{
    rng = seed ^ 0xd1b54a32d192ed03UL;
    for (u64 i = 0; i < SORT_N; i++)
        sort_arr[i] = (u32)(xorshift64() >> 17);
    heapsort(sort_arr, SORT_N);
    u64 bad = 0, acc = 0;
    for (u64 i = 1; i < SORT_N; i++) {
        bad += sort_arr[i - 1] > sort_arr[i];
        acc = acc * 31 + sort_arr[i];
    }
    return acc + (bad << 56) + sort_arr[SORT_N / 2];
}

static u64 sieve_count(void)
{
    for (u64 i = 0; i < SIEVE_N; i++)
        sieve[i] = 1;
    sieve[0] = sieve[1] = 0;
    for (u64 i = 2; i * i < SIEVE_N; i++)
        if (sieve[i])
            for (u64 j = i * i; j < SIEVE_N; j += i)
                sieve[j] = 0;
    u64 n = 0;
    for (u64 i = 0; i < SIEVE_N; i++)
        n += sieve[i];
    return n;
}

static u64 mix(u64 h, u64 v)
{
    h ^= v + 0x9e3779b97f4a7c15UL + (h << 6) + (h >> 2);
    return (h << 13 | h >> 51) * 0xff51afd7ed558ccdUL;
}

int main(void)
{
#ifdef MIPS_MMU
    mmu_on();
#endif
#ifdef MIPS_TICKS
    u64 t0;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t0));
#endif
    crc_init();
    /* self-checks against known values: CRC-32("123456789") and pi(2^18) */
    if (crc32_sw((const u8 *)"123456789", 9) != 0xcbf43926u) {
        printf("mips selftest crc32 failed\n");
        return 1;
    }
    u64 sum = 0;
    for (u64 it = 0; it < MIPS_ITERS; it++) {
        fill(it);
        sum = mix(sum, copy_words());
        sum = mix(sum, crc32_sw((const u8 *)buf_a, sizeof(buf_a)));
        sum = mix(sum, fnv1a((const u8 *)buf_b, sizeof(buf_b)));
        sum = mix(sum, sort_round(it));
        u64 primes = sieve_count();
        if (primes != 23000) {
            printf("mips selftest sieve failed: %lu\n", primes);
            return 1;
        }
        sum = mix(sum, primes);
#ifdef MIPS_MMU
        touch_pages(it);
#endif
    }
    printf("mips checksum 0x%016lx\n", sum);
#ifdef MIPS_MMU
    printf("mips mmu touch 0x%016lx (%lu pages per iteration)\n", touch_sum, TOUCH_PAGES);
#endif
#ifdef MIPS_TICKS
    u64 t1;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t1));
    printf("mips ticks %lu (cntfrq %lu)\n", t1 - t0, read_sysreg(cntfrq_el0));
#endif
    printf("mips done\n");
    return 0;
}
