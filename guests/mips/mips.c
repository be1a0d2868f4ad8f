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
    }
    printf("mips checksum 0x%016lx\n", sum);
#ifdef MIPS_TICKS
    u64 t1;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t1));
    printf("mips ticks %lu (cntfrq %lu)\n", t1 - t0, read_sysreg(cntfrq_el0));
#endif
    printf("mips done\n");
    return 0;
}
