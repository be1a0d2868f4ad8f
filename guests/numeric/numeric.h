/* numeric guest: shared declarations (see numeric.c). */
#ifndef NUMERIC_H
#define NUMERIC_H
#include "rt.h"

/* Check bookkeeping. numeric.c runs each test_* function as a named group
 * of checks and prints one line for it, "PASS name (n checks)" or
 * "FAIL name (k of n checks failed)", after at most a few
 * "FAIL name: what got=.. want=.." lines. An UNDEFINED instruction ends the
 * group with one more failure ("FAIL name: UNDEFINED instruction ...") and
 * the next group runs. */
int  ck(const char *what, u64 got, u64 want);        /* returns got == want */
int  ck_idx(const char *what, u64 idx, u64 got, u64 want);

/* Bit patterns of doubles and floats (no type punning through pointers). */
static inline u64 dbits(double d) { union { double d; u64 u; } x = { .d = d }; return x.u; }
static inline double bitsd(u64 u) { union { double d; u64 u; } x = { .u = u }; return x.d; }
static inline u32 fbits(float f) { union { float f; u32 u; } x = { .f = f }; return x.u; }
static inline float bitsf(u32 u) { union { float f; u32 u; } x = { .u = u }; return x.f; }

static inline u64 read_fpcr(void) { u64 v; __asm__ volatile("mrs %0, fpcr" : "=r"(v)); return v; }
static inline void write_fpcr(u64 v) { __asm__ volatile("msr fpcr, %0" : : "r"(v) : "memory"); }
static inline u64 read_fpsr(void) { u64 v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static inline void write_fpsr(u64 v) { __asm__ volatile("msr fpsr, %0" : : "r"(v) : "memory"); }

/* xorshift64 */
static inline u64 xs64(u64 *s)
{
    u64 x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* An order-independent hash of a multiset of 64-bit values: sum and xor of a
 * bijective mix of each value. */
static inline u64 mix64(u64 x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdUL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53UL;
    x ^= x >> 33;
    return x;
}

/* scalar.c */
/* The bits of v * 2^scale, which must be exactly representable, as a double
 * (p = 53) or a float (p = 24); computed with integer code only. */
u64  exact_fp_bits(s64 v, int scale, int p);
void test_matmul(void);
void test_sort(void);
void test_sqrt(void);
void test_float_to_int(void);
void test_int_to_float(void);
void test_fpcr_modes(void);

/* simd.c */
void test_simd_memcpy(void);
void test_simd_ldst_struct(void);
void test_simd_strlen(void);
void test_simd_float(void);
void test_simd_table(void);
void test_simd_widen(void);
void test_simd_shift(void);
void test_simd_select(void);
void test_simd_permute(void);
u64  simd_bench_iteration(u64 seed);

#endif
