/*
 * numeric guest, AdvSIMD through <arm_neon.h>: each kernel is checked
 * against a plain C reference (the guest is built with -fno-tree-vectorize
 * and -ffp-contract=off, so the references are scalar code doing exactly
 * what they say), or against integer results for exact float inputs.
 * Loads and stores are unaligned on purpose (the MMU is on: Normal memory).
 */
#include <arm_neon.h>
#include "numeric.h"

static u8 src_buf[16384 + 256] __attribute__((aligned(64)));
static u8 dst_buf[16384 + 256] __attribute__((aligned(64)));
static u8 ref_buf[16384 + 256] __attribute__((aligned(64)));

/* Hide a value from the optimizer, so operations on constants are not folded
 * at compile time but executed. */
#define OPAQUE(v) __asm__("" : "+w"(v))

/* One check per name: the number of mismatching lanes/elements, want 0. */
static void ck_counts(const char *const *names, const unsigned *counts, int n)
{
    for (int i = 0; i < n; i++)
        ck(names[i], counts[i], 0);
}

static void fill_random(u8 *p, size_t n, u64 seed)
{
    u64 s = seed | 1;
    for (size_t i = 0; i < n; i++) {
        if ((i & 7) == 0)
            xs64(&s);
        p[i] = (u8)(s >> (8 * (i & 7)));
    }
}

/* ---------------------------------------------------------------------------
 * memcpy: LD1/ST1 of 1, 4 registers, overlapping head/tail like glibc's.
 * ------------------------------------------------------------------------- */

static __attribute__((noinline)) void simd_memcpy(u8 *d, const u8 *s, size_t n)
{
    if (n < 16) {
        if (n >= 8) {
            uint8x8_t a = vld1_u8(s), b = vld1_u8(s + n - 8);
            vst1_u8(d, a);
            vst1_u8(d + n - 8, b);
            return;
        }
        while (n--)
            *d++ = *s++;
        return;
    }
    if (n <= 32) {
        uint8x16_t a = vld1q_u8(s), b = vld1q_u8(s + n - 16);
        vst1q_u8(d, a);
        vst1q_u8(d + n - 16, b);
        return;
    }
    uint8x16_t last = vld1q_u8(s + n - 16);
    u8 *dlast = d + n - 16;
    for (; n >= 64; n -= 64, s += 64, d += 64)
        vst1q_u8_x4(d, vld1q_u8_x4(s));
    for (; n >= 16; n -= 16, s += 16, d += 16)
        vst1q_u8(d, vld1q_u8(s));
    vst1q_u8(dlast, last);
}

void test_simd_memcpy(void)
{
    fill_random(src_buf, sizeof src_buf, 0x1234567);
    static const u8 doffs[] = { 0, 1, 3, 8, 15 };
    static const size_t big[] = { 64, 65, 127, 128, 129, 1000, 4096, 4097, 8191, 16383 };
    unsigned bad = 0, copies = 0;
    for (unsigned so = 0; so < 16; so++)
        for (unsigned di = 0; di < sizeof doffs; di++)
            for (size_t n = 0; n < 80 + sizeof big / sizeof big[0]; n++) {
                size_t len = n < 80 ? n : big[n - 80];
                unsigned dof = doffs[di];
                size_t win = len + 64;                /* < sizeof dst_buf */
                for (size_t i = 0; i < win; i++)
                    dst_buf[i] = 0xee;
                simd_memcpy(dst_buf + 32 + dof, src_buf + so, len);
                copies++;
                for (size_t i = 0; i < win; i++) {
                    u8 want = (i >= 32 + dof && i < 32 + dof + len) ? src_buf[so + i - 32 - dof] : 0xee;
                    if (dst_buf[i] != want) {
                        if (bad++ == 0)
                            ck_idx("first wrong byte, length", len, ((u64)so << 32) | ((u64)dof << 16) | i, 0);
                        break;
                    }
                }
            }
    ck("wrong copies", bad, 0);
    ck("copies made", copies, 16 * 5 * 90);
}

/* ---------------------------------------------------------------------------
 * Structure loads/stores: LD2/3/4, ST2/3/4, LD1 multiple, LD1R, lanes.
 * ------------------------------------------------------------------------- */

void test_simd_ldst_struct(void)
{
    const unsigned px = 256;                          /* RGBA pixels */
    fill_random(src_buf, 4 * px + 64, 0xabcdef);
    const u8 *in = src_buf + 3;                       /* unaligned */
    u8 *out = dst_buf + 5;

    /* RGBA -> BGRA with LD4/ST4. */
    for (unsigned i = 0; i < px; i += 16) {
        uint8x16x4_t v = vld4q_u8(in + 4 * i);
        uint8x16_t t = v.val[0];
        v.val[0] = v.val[2];
        v.val[2] = t;
        vst4q_u8(out + 4 * i, v);
    }
    unsigned bad = 0;
    for (unsigned i = 0; i < px; i++)
        bad += out[4 * i] != in[4 * i + 2] || out[4 * i + 1] != in[4 * i + 1] ||
               out[4 * i + 2] != in[4 * i] || out[4 * i + 3] != in[4 * i + 3];
    ck("ld4/st4 rgba swap", bad, 0);

    /* RGB -> planes with LD3, then back with ST3 (round trip), and a
     * luma-like sum per pixel through the planes. */
    static u8 planes[3][256];
    for (unsigned i = 0; i < px; i += 16) {
        uint8x16x3_t v = vld3q_u8(in + 3 * i);
        vst1q_u8(&planes[0][i], v.val[0]);
        vst1q_u8(&planes[1][i], v.val[1]);
        vst1q_u8(&planes[2][i], v.val[2]);
    }
    bad = 0;
    for (unsigned i = 0; i < px; i++)
        for (unsigned c = 0; c < 3; c++)
            bad += planes[c][i] != in[3 * i + c];
    ck("ld3 planes", bad, 0);
    for (unsigned i = 0; i < px; i += 16) {
        uint8x16x3_t v;
        v.val[0] = vld1q_u8(&planes[0][i]);
        v.val[1] = vld1q_u8(&planes[1][i]);
        v.val[2] = vld1q_u8(&planes[2][i]);
        vst3q_u8(out + 3 * i, v);
    }
    bad = 0;
    for (unsigned i = 0; i < 3 * px; i++)
        bad += out[i] != in[i];
    ck("st3 round trip", bad, 0);

    /* Complex int16 (re, im) pairs with LD2: |z|^2 widened to 32 bits; ST2 of (im, re). */
    const s16 *z = (const s16 *)(src_buf + 64);       /* 2-byte aligned */
    static s32 mag[64];
    s16 *zo = (s16 *)(dst_buf + 2);
    for (unsigned i = 0; i < 64; i += 8) {
        int16x8x2_t v = vld2q_s16(z + 2 * i);
        int32x4_t lo = vmull_s16(vget_low_s16(v.val[0]), vget_low_s16(v.val[0]));
        int32x4_t hi = vmull_high_s16(v.val[0], v.val[0]);
        lo = vmlal_s16(lo, vget_low_s16(v.val[1]), vget_low_s16(v.val[1]));
        hi = vmlal_high_s16(hi, v.val[1], v.val[1]);
        vst1q_s32(&mag[i], lo);
        vst1q_s32(&mag[i + 4], hi);
        int16x8x2_t sw = { { v.val[1], v.val[0] } };
        vst2q_s16(zo + 2 * i, sw);
    }
    bad = 0;
    for (unsigned i = 0; i < 64; i++) {
        s32 re = z[2 * i], im = z[2 * i + 1];
        bad += (u32)mag[i] != (u32)re * (u32)re + (u32)im * (u32)im;   /* wraps like SMLAL */
        bad += zo[2 * i] != im || zo[2 * i + 1] != re;
    }
    ck("ld2/st2 complex", bad, 0);

    /* LD1 {x2, x3}, LD1R, single lanes. */
    uint8x16x3_t t3 = vld1q_u8_x3(in + 1);
    uint8x16x2_t t2 = vld1q_u8_x2(in + 17);
    bad = 0;
    for (unsigned i = 0; i < 16; i++) {
        u8 l0[16], l1[16], l2[16], m0[16], m1[16];
        vst1q_u8(l0, t3.val[0]); vst1q_u8(l1, t3.val[1]); vst1q_u8(l2, t3.val[2]);
        vst1q_u8(m0, t2.val[0]); vst1q_u8(m1, t2.val[1]);
        bad += l0[i] != in[1 + i] || l1[i] != in[17 + i] || l2[i] != in[33 + i];
        bad += m0[i] != in[17 + i] || m1[i] != in[33 + i];
    }
    ck("ld1 x2/x3", bad, 0);
    u32 w = ((u32)in[7] | (u32)in[8] << 8 | (u32)in[9] << 16 | (u32)in[10] << 24);
    u32 dl[4];
    const u32 *dp = (const u32 *)(in + 7);
    __asm__("" : "+r"(dp));
    uint32x4_t dv = vld1q_dup_u32(dp);
    OPAQUE(dv);
    vst1q_u32(dl, dv);
    ck("ld1r lanes 0, 1", (u64)dl[0] << 32 | dl[1], (u64)w << 32 | w);
    ck("ld1r lanes 2, 3", (u64)dl[2] << 32 | dl[3], (u64)w << 32 | w);
    uint16x8_t lanes = vdupq_n_u16(0x5a5a);
    lanes = vld1q_lane_u16((const u16 *)(src_buf + 100), lanes, 5);
    ck("ld1 lane 5", vgetq_lane_u16(lanes, 5), (u64)src_buf[100] | (u64)src_buf[101] << 8);
    ck("ld1 lane keeps 4", vgetq_lane_u16(lanes, 4), 0x5a5a);
    u32 store_to[3] = { 1, 2, 3 };
    vst1q_lane_u32(&store_to[1], vdupq_n_u32(0xdeadbeef), 2);
    ck("st1 lane", ((u64)store_to[0] << 40) ^ ((u64)store_to[1]) ^ ((u64)store_to[2] << 56), (1UL << 40) ^ 0xdeadbeefUL ^ (3UL << 56));
    /* LD4 single structure to one lane, and ST4 from lanes. */
    uint8x16x4_t q4 = { { vdupq_n_u8(1), vdupq_n_u8(2), vdupq_n_u8(3), vdupq_n_u8(4) } };
    OPAQUE(q4.val[0]);
    OPAQUE(q4.val[3]);
    q4 = vld4q_lane_u8(in + 40, q4, 9);
    ck("ld4 lane", (u64)vgetq_lane_u8(q4.val[0], 9) | (u64)vgetq_lane_u8(q4.val[1], 9) << 8 |
                   (u64)vgetq_lane_u8(q4.val[2], 9) << 16 | (u64)vgetq_lane_u8(q4.val[3], 9) << 24 |
                   (u64)vgetq_lane_u8(q4.val[3], 8) << 32,
       (u64)in[40] | (u64)in[41] << 8 | (u64)in[42] << 16 | (u64)in[43] << 24 | 4UL << 32);
}

/* ---------------------------------------------------------------------------
 * strlen, two ways: glibc's SHRN nibble mask, and UMINV/UMAXV with BSL.
 * ------------------------------------------------------------------------- */

static inline u64 zero_mask(uint8x16_t v)
{
    uint8x16_t eq = vceqq_u8(v, vdupq_n_u8(0));
    return vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(eq), 4)), 0);
}

static __attribute__((noinline)) size_t strlen_shrn(const char *s)
{
    const u8 *p = (const u8 *)((uintptr_t)s & ~15UL);
    u64 mask = zero_mask(vld1q_u8(p)) >> (((uintptr_t)s & 15) * 4);
    if (mask)
        return (size_t)__builtin_ctzl(mask) >> 2;
    for (;;) {
        p += 16;
        uint8x16_t v = vld1q_u8(p);
        if (vmaxvq_u8(vceqq_u8(v, vdupq_n_u8(0)))) {
            mask = zero_mask(v);
            return (size_t)(p - (const u8 *)s) + ((size_t)__builtin_ctzl(mask) >> 2);
        }
    }
}

static __attribute__((noinline)) size_t strlen_minv(const char *s)
{
    static const u8 iota_bytes[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    const uint8x16_t iota = vld1q_u8(iota_bytes);
    const u8 *p = (const u8 *)s;
    for (;;) {
        uint8x16_t v = vld1q_u8(p);                    /* unaligned: never crosses past the NUL's block */
        if (vminvq_u8(v) == 0) {
            uint8x16_t idx = vbslq_u8(vceqzq_u8(v), iota, vdupq_n_u8(0xff));
            return (size_t)(p - (const u8 *)s) + vminvq_u8(idx);
        }
        p += 16;
    }
}

static size_t strlen_ref(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

void test_simd_strlen(void)
{
    unsigned bad1 = 0, bad2 = 0, calls = 0;
    u64 seed = 0x6a09e667f3bcc908UL;
    for (unsigned al = 0; al < 16; al++)
        for (unsigned len = 0; len <= 100; len++) {
            char *s = (char *)src_buf + 32 + al;
            for (unsigned i = 0; i < 160; i++) {
                u8 b = (u8)xs64(&seed);
                src_buf[16 + i] = b ? b : 0x80;
            }
            for (unsigned i = 16; i < 32 + al; i++)
                src_buf[i] = 0;                         /* NULs just before the string */
            s[len] = 0;
            size_t want = strlen_ref(s);
            calls++;
            if (strlen_shrn(s) != want && bad1++ == 0)
                ck_idx("shrn, alignment/length", (u64)al << 32 | len, strlen_shrn(s), want);
            if (strlen_minv(s) != want && bad2++ == 0)
                ck_idx("minv, alignment/length", (u64)al << 32 | len, strlen_minv(s), want);
        }
    ck("strlen_shrn wrong", bad1, 0);
    ck("strlen_minv wrong", bad2, 0);
    ck("calls", calls, 16 * 101);
    /* A long string. */
    for (unsigned i = 0; i < 5000; i++)
        src_buf[i] = (u8)('a' + i % 26);
    src_buf[4999] = 0;
    ck("long shrn", strlen_shrn((const char *)src_buf + 7), 4992);
    ck("long minv", strlen_minv((const char *)src_buf + 7), 4992);
}

/* ---------------------------------------------------------------------------
 * float32x4: dot product, saxpy, matrix multiply, division/sqrt/conversions.
 * ------------------------------------------------------------------------- */

#define FN 1024
static float fx[FN], fy[FN], fz[FN];

static __attribute__((noinline)) float dot_simd(const float *x, const float *y, int n)
{
    float32x4_t acc = vdupq_n_f32(0.0f);
    for (int i = 0; i < n; i += 4)
        acc = vfmaq_f32(acc, vld1q_f32(x + i), vld1q_f32(y + i));
    return vaddvq_f32(acc);
}

/* The same sums in the same order: lane l accumulates x[4i+l]*y[4i+l] fused,
 * then (l0 + l1) + (l2 + l3) as FADDP does. */
static float dot_ref(const float *x, const float *y, int n)
{
    float l[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < n; i += 4)
        for (int k = 0; k < 4; k++)
            l[k] = __builtin_fmaf(x[i + k], y[i + k], l[k]);
    return (l[0] + l[1]) + (l[2] + l[3]);
}

static __attribute__((noinline)) void saxpy_simd(float a, const float *x, float *y, int n)
{
    float32x4_t va = vdupq_n_f32(a);
    for (int i = 0; i < n; i += 8) {
        float32x4_t y0 = vld1q_f32(y + i), y1 = vld1q_f32(y + i + 4);
        y0 = vfmaq_f32(y0, va, vld1q_f32(x + i));
        y1 = vfmaq_laneq_f32(y1, vld1q_f32(x + i + 4), va, 2);
        vst1q_f32(y + i, y0);
        vst1q_f32(y + i + 4, y1);
    }
}

#define MMN 16
static float fa[MMN][MMN], fb[MMN][MMN], fc[MMN][MMN];

static __attribute__((noinline)) void matmul_f32_simd(void)
{
    for (int i = 0; i < MMN; i++) {
        float32x4_t c0 = vdupq_n_f32(0), c1 = c0, c2 = c0, c3 = c0;
        for (int k = 0; k < MMN; k += 4) {
            float32x4_t a = vld1q_f32(&fa[i][k]);
#define STEP(lane) do { \
            const float *b = fb[k + lane]; \
            c0 = vfmaq_laneq_f32(c0, vld1q_f32(b), a, lane); \
            c1 = vfmaq_laneq_f32(c1, vld1q_f32(b + 4), a, lane); \
            c2 = vfmaq_laneq_f32(c2, vld1q_f32(b + 8), a, lane); \
            c3 = vfmaq_laneq_f32(c3, vld1q_f32(b + 12), a, lane); } while (0)
            STEP(0); STEP(1); STEP(2); STEP(3);
#undef STEP
        }
        vst1q_f32(&fc[i][0], c0);
        vst1q_f32(&fc[i][4], c1);
        vst1q_f32(&fc[i][8], c2);
        vst1q_f32(&fc[i][12], c3);
    }
}

static inline float fsqrt_s(float x) { float r; __asm__ volatile("fsqrt %s0, %s1" : "=w"(r) : "w"(x)); return r; }
static inline float fdiv_s(float a, float b) { float r; __asm__ volatile("fdiv %s0, %s1, %s2" : "=w"(r) : "w"(a), "w"(b)); return r; }
static inline s32 fcvtzs_s(float x) { s32 r; __asm__ volatile("fcvtzs %w0, %s1" : "=r"(r) : "w"(x)); return r; }
static inline s32 fcvtns_s(float x) { s32 r; __asm__ volatile("fcvtns %w0, %s1" : "=r"(r) : "w"(x)); return r; }
static inline float scvtf_w(s32 x) { float r; __asm__ volatile("scvtf %s0, %w1" : "=w"(r) : "r"(x)); return r; }

void test_simd_float(void)
{
    /* Exact: small integers, so the result is the integer dot product. */
    u64 seed = 0xbb67ae8584caa73bUL;
    s64 idot = 0;
    for (int i = 0; i < FN; i++) {
        s64 a = (s64)(xs64(&seed) % 17) - 8, b = (s64)(xs64(&seed) % 17) - 8;
        fx[i] = bitsf((u32)exact_fp_bits(a, 0, 24));
        fy[i] = bitsf((u32)exact_fp_bits(b, 0, 24));
        idot += a * b;
    }
    ck("exact dot", fbits(dot_simd(fx, fy, FN)), exact_fp_bits(idot, 0, 24));
    /* Exact saxpy with a = 0.5: y = x/2 + y. */
    for (int i = 0; i < FN; i++)
        fz[i] = fy[i];
    saxpy_simd(0.5f, fx, fz, FN);
    unsigned bad = 0;
    for (int i = 0; i < FN; i++) {
        s64 xi = fcvtzs_s(fx[i]), yi = fcvtzs_s(fy[i]);
        bad += fbits(fz[i]) != exact_fp_bits(xi + 2 * yi, -1, 24);
    }
    ck("exact saxpy", bad, 0);

    /* Inexact: random floats in [-1, 1), bit-exact against the same
     * operations done one at a time with scalar FMADD/FADD. */
    for (int i = 0; i < FN; i++) {
        fx[i] = bitsf(0x3f800000u | (u32)(xs64(&seed) >> 41)) - 1.5f;
        fy[i] = bitsf(0x3f800000u | (u32)(xs64(&seed) >> 41)) - 1.5f;
    }
    ck("random dot", fbits(dot_simd(fx, fy, FN)), fbits(dot_ref(fx, fy, FN)));
    for (int i = 0; i < FN; i++)
        fz[i] = fy[i];
    saxpy_simd(0.7f, fx, fz, FN);
    bad = 0;
    for (int i = 0; i < FN; i++)
        bad += fbits(fz[i]) != fbits(__builtin_fmaf(0.7f, fx[i], fy[i]));
    ck("random saxpy", bad, 0);

    /* 16x16 matrix multiply with FMLA (by element), exact integers. */
    s64 ia[MMN][MMN], ib[MMN][MMN];
    for (int i = 0; i < MMN; i++)
        for (int j = 0; j < MMN; j++) {
            ia[i][j] = (s64)((i * 3 + j * 5 + 2) % 13) - 6;
            ib[i][j] = (s64)((i * 7 + j + 1) % 11) - 5;
            fa[i][j] = bitsf((u32)exact_fp_bits(ia[i][j], 0, 24));
            fb[i][j] = bitsf((u32)exact_fp_bits(ib[i][j], 0, 24));
        }
    matmul_f32_simd();
    bad = 0;
    for (int i = 0; i < MMN; i++)
        for (int j = 0; j < MMN; j++) {
            s64 acc = 0;
            for (int k = 0; k < MMN; k++)
                acc += ia[i][k] * ib[k][j];
            bad += fbits(fc[i][j]) != exact_fp_bits(acc, 0, 24);
        }
    ck("matmul 16x16", bad, 0);

    /* Lane-wise arithmetic against the scalar instructions. */
    unsigned bdiv = 0, bsqrt = 0, bcvt = 0, bmul = 0;
    for (int i = 0; i < FN; i += 4) {
        float32x4_t x = vld1q_f32(fx + i), y = vld1q_f32(fy + i);
        float32x4_t ax = vabsq_f32(x);
        float q[4], r[4], m[4], a[4];
        s32 t[4], n[4];
        float c[4];
        vst1q_f32(q, vdivq_f32(x, y));
        vst1q_f32(r, vsqrtq_f32(ax));
        vst1q_f32(m, vmulq_f32(vaddq_f32(x, y), vsubq_f32(x, y)));
        vst1q_f32(a, ax);
        vst1q_s32(t, vcvtq_s32_f32(vmulq_n_f32(x, 1000.0f)));
        vst1q_s32(n, vcvtnq_s32_f32(vmulq_n_f32(x, 1000.0f)));
        vst1q_f32(c, vcvtq_f32_s32(vld1q_s32(t)));
        for (int k = 0; k < 4; k++) {
            float xs = fx[i + k], ys = fy[i + k];
            bdiv += fbits(q[k]) != fbits(fdiv_s(xs, ys));
            bsqrt += fbits(r[k]) != fbits(fsqrt_s(bitsf(fbits(xs) & 0x7fffffffu)));
            bmul += fbits(m[k]) != fbits((xs + ys) * (xs - ys));
            bcvt += t[k] != fcvtzs_s(xs * 1000.0f) || n[k] != fcvtns_s(xs * 1000.0f) ||
                    fbits(c[k]) != fbits(scvtf_w(t[k]));
        }
    }
    ck("vdivq", bdiv, 0);
    ck("vsqrtq", bsqrt, 0);
    ck("vmulq/vaddq/vsubq", bmul, 0);
    ck("vcvtq/vcvtnq", bcvt, 0);

    /* Estimates (table driven, exact by the architecture): a regression hash
     * of FRECPE/FRSQRTE/FRECPS/FRSQRTS over 256 inputs, computed under QEMU 7.2. */
    u64 h = 0;
    for (int i = 0; i < 256; i += 4) {
        float32x4_t x = vld1q_f32(fx + i), y = vabsq_f32(vld1q_f32(fy + i));
        uint32x4_t e1 = vreinterpretq_u32_f32(vrecpeq_f32(x));
        uint32x4_t e2 = vreinterpretq_u32_f32(vrsqrteq_f32(y));
        uint32x4_t e3 = vreinterpretq_u32_f32(vrecpsq_f32(x, y));
        uint32x4_t e4 = vreinterpretq_u32_f32(vrsqrtsq_f32(x, y));
        u32 v1[4], v2[4], v3[4], v4[4];
        vst1q_u32(v1, e1);
        vst1q_u32(v2, e2);
        vst1q_u32(v3, e3);
        vst1q_u32(v4, e4);
        for (int k = 0; k < 4; k++) {
            h = mix64(h ^ v1[k] ^ (u64)v2[k] << 32);
            h = mix64(h ^ v3[k] ^ (u64)v4[k] << 32);
        }
    }
    ck("estimates hash", h, 0x411826d81703d2deUL);
    /* Known estimate values: FRECPE(1.0) = 0.998046875, FRSQRTE(4.0) = 0.4990234375. */
    float32x4_t one = vdupq_n_f32(1.0f), four = vdupq_n_f32(4.0f);
    OPAQUE(one);
    OPAQUE(four);
    ck("frecpe(1)", vgetq_lane_u32(vreinterpretq_u32_f32(vrecpeq_f32(one)), 0), 0x3f7f8000);
    ck("frsqrte(4)", vgetq_lane_u32(vreinterpretq_u32_f32(vrsqrteq_f32(four)), 1), 0x3eff8000);

    /* float64x2 */
    float64x2_t d1 = vdupq_n_f64(1.0), d3 = vdupq_n_f64(3.0), dm = vcombine_f64(vdup_n_f64(0.5), vdup_n_f64(-2.0));
    OPAQUE(d1);
    OPAQUE(d3);
    OPAQUE(dm);
    float64x2_t d = vfmaq_f64(d1, d3, dm);
    ck("vfmaq_f64 lane 0", dbits(vgetq_lane_f64(d, 0)), 0x4004000000000000UL);   /* 2.5 */
    ck("vfmaq_f64 lane 1", dbits(vgetq_lane_f64(d, 1)), 0xc014000000000000UL);   /* -5 */
    ck("vaddvq_f64", dbits(vaddvq_f64(d)), 0xc004000000000000UL);                 /* -2.5 */
}

/* ---------------------------------------------------------------------------
 * Table lookups and a histogram.
 * ------------------------------------------------------------------------- */

static u8 sbox[256];

static __attribute__((noinline)) void hex_encode(char *out, const u8 *in, size_t n)
{
    const uint8x16_t digits = vld1q_u8((const u8 *)"0123456789abcdef");
    for (size_t i = 0; i < n; i += 16) {
        uint8x16_t v = vld1q_u8(in + i);
        uint8x16_t hi = vqtbl1q_u8(digits, vshrq_n_u8(v, 4));
        uint8x16_t lo = vqtbl1q_u8(digits, vandq_u8(v, vdupq_n_u8(15)));
        vst1q_u8((u8 *)out + 2 * i, vzip1q_u8(hi, lo));
        vst1q_u8((u8 *)out + 2 * i + 16, vzip2q_u8(hi, lo));
    }
}

/* A 256-byte S-box with four 64-byte TBL/TBX lookups. */
static __attribute__((noinline)) void sbox_apply(u8 *out, const u8 *in, size_t n)
{
    uint8x16x4_t t0 = vld1q_u8_x4(sbox), t1 = vld1q_u8_x4(sbox + 64);
    uint8x16x4_t t2 = vld1q_u8_x4(sbox + 128), t3 = vld1q_u8_x4(sbox + 192);
    const uint8x16_t c64 = vdupq_n_u8(64);
    for (size_t i = 0; i < n; i += 16) {
        uint8x16_t idx = vld1q_u8(in + i);
        uint8x16_t r = vqtbl4q_u8(t0, idx);
        idx = vsubq_u8(idx, c64);
        r = vqtbx4q_u8(r, t1, idx);
        idx = vsubq_u8(idx, c64);
        r = vqtbx4q_u8(r, t2, idx);
        idx = vsubq_u8(idx, c64);
        r = vqtbx4q_u8(r, t3, idx);
        vst1q_u8(out + i, r);
    }
}

/* Histogram of the high nibbles: 16 byte counters per bucket (CMEQ, SUB),
 * widened with UADDLV every 255 blocks. */
static __attribute__((noinline)) void nibble_histogram(u32 hist[16], const u8 *p, size_t n)
{
    for (int b = 0; b < 16; b++)
        hist[b] = 0;
    size_t blocks = n / 16;
    while (blocks) {
        size_t chunk = blocks < 255 ? blocks : 255;
        uint8x16_t cnt[16];
        for (int b = 0; b < 16; b++)
            cnt[b] = vdupq_n_u8(0);
        for (size_t k = 0; k < chunk; k++, p += 16) {
            uint8x16_t hi = vshrq_n_u8(vld1q_u8(p), 4);
            for (int b = 0; b < 16; b++)
                cnt[b] = vsubq_u8(cnt[b], vceqq_u8(hi, vdupq_n_u8((u8)b)));
        }
        for (int b = 0; b < 16; b++)
            hist[b] += vaddlvq_u8(cnt[b]);
        blocks -= chunk;
    }
}

static __attribute__((noinline)) u64 popcount_simd(const u8 *p, size_t n)
{
    u64 total = 0;
    for (size_t i = 0; i < n; i += 64) {
        uint8x16x4_t v = vld1q_u8_x4(p + i);
        uint16x8_t acc = vpaddlq_u8(vcntq_u8(v.val[0]));
        acc = vpadalq_u8(acc, vcntq_u8(v.val[1]));
        acc = vpadalq_u8(acc, vcntq_u8(v.val[2]));
        acc = vpadalq_u8(acc, vcntq_u8(v.val[3]));
        total += vaddvq_u32(vpaddlq_u16(acc));
    }
    return total;
}

void test_simd_table(void)
{
    fill_random(src_buf, 8192 + 64, 0x3c6ef372fe94f82bUL);
    const u8 *in = src_buf + 9;
    static const char hexd[] = "0123456789abcdef";
    char *hex = (char *)dst_buf + 1;
    hex_encode(hex, in, 512);
    unsigned bad = 0;
    for (int i = 0; i < 512; i++)
        bad += hex[2 * i] != hexd[in[i] >> 4] || hex[2 * i + 1] != hexd[in[i] & 15];
    ck("hex encode", bad, 0);

    /* S-box: a byte permutation (i * 167 + 13) mod 256, rotated. */
    for (int i = 0; i < 256; i++) {
        u8 v = (u8)(i * 167 + 13);
        sbox[i] = (u8)((v << 3) | (v >> 5));
    }
    sbox_apply(dst_buf + 3, in, 4096);
    bad = 0;
    for (int i = 0; i < 4096; i++)
        bad += dst_buf[3 + i] != sbox[in[i]];
    ck("sbox tbl4/tbx4", bad, 0);

    /* TBL out of range gives 0; TBX keeps the destination byte. */
    uint8x16_t table = vld1q_u8(in), idx = vld1q_u8(in + 100), keep = vdupq_n_u8(0x77);
    u8 r1[16], r2[16];
    vst1q_u8(r1, vqtbl1q_u8(table, idx));
    vst1q_u8(r2, vqtbx1q_u8(keep, table, idx));
    bad = 0;
    for (int i = 0; i < 16; i++) {
        u8 k = in[100 + i];
        bad += r1[i] != (k < 16 ? in[k] : 0);
        bad += r2[i] != (k < 16 ? in[k] : 0x77);
    }
    ck("tbl/tbx out of range", bad, 0);
    uint8x8_t tb = vqtbl1_u8(table, vcreate_u8(0x0f0e0d0c03020100UL));
    ck("tbl 8B", vget_lane_u64(vreinterpret_u64_u8(tb), 0),
       (u64)in[0] | (u64)in[1] << 8 | (u64)in[2] << 16 | (u64)in[3] << 24 |
       (u64)in[12] << 32 | (u64)in[13] << 40 | (u64)in[14] << 48 | (u64)in[15] << 56);

    /* Histogram of 8192 bytes (two UADDLV chunks). */
    u32 hist[16], href[16];
    nibble_histogram(hist, in, 8192);
    for (int b = 0; b < 16; b++)
        href[b] = 0;
    for (int i = 0; i < 8192; i++)
        href[in[i] >> 4]++;
    bad = 0;
    for (int b = 0; b < 16; b++)
        bad += hist[b] != href[b];
    ck("nibble histogram", bad, 0);

    u64 pc = 0;
    for (int i = 0; i < 8192; i++)
        for (u8 v = in[i]; v; v &= (u8)(v - 1))
            pc++;
    ck("popcount", popcount_simd(in, 8192), pc);
}

/* ---------------------------------------------------------------------------
 * Widening and narrowing.
 * ------------------------------------------------------------------------- */

static s64 clamp(s64 v, s64 lo, s64 hi) { return v < lo ? lo : v > hi ? hi : v; }

void test_simd_widen(void)
{
    fill_random(src_buf, 2048, 0xa54ff53a5f1d36f1UL);
    const u8 *u = src_buf + 1;
    const s8 *s = (const s8 *)(src_buf + 513);
    static const char *const wnames[] = { "vmovl_u8", "vmovl_s8", "vaddw_u8", "vmull_u8", "vmlal_high_u8" };
    unsigned we[5] = { 0 };
    for (int i = 0; i < 256; i += 16) {
        uint8x16_t a = vld1q_u8(u + i), b = vld1q_u8(u + 256 + i);
        int8x16_t c = vld1q_s8(s + i);
        u16 lo[8], hi[8], w[8], pr[8], ml[8];
        s16 sl[8], sh[8];
        vst1q_u16(lo, vmovl_u8(vget_low_u8(a)));
        vst1q_u16(hi, vmovl_high_u8(a));
        vst1q_s16(sl, vmovl_s8(vget_low_s8(c)));
        vst1q_s16(sh, vmovl_high_s8(c));
        vst1q_u16(w, vaddw_u8(vmovl_u8(vget_high_u8(b)), vget_low_u8(a)));
        vst1q_u16(pr, vmull_u8(vget_low_u8(a), vget_low_u8(b)));
        vst1q_u16(ml, vmlal_high_u8(vdupq_n_u16(1000), a, b));
        for (int k = 0; k < 8; k++) {
            we[0] += lo[k] != u[i + k] || hi[k] != u[i + 8 + k];
            we[1] += sl[k] != s[i + k] || sh[k] != s[i + 8 + k];
            we[2] += w[k] != (u16)(u[256 + i + 8 + k] + u[i + k]);
            we[3] += pr[k] != (u16)(u[i + k] * u[256 + i + k]);
            we[4] += ml[k] != (u16)(1000 + u[i + 8 + k] * u[256 + i + 8 + k]);
        }
    }
    ck_counts(wnames, we, 5);

    /* Across-lane widening sums. */
    u64 su = 0;
    s64 ss = 0;
    const s16 *q16 = (const s16 *)(src_buf + 2);
    for (int i = 0; i < 16; i++)
        su += u[i];
    for (int i = 0; i < 8; i++)
        ss += q16[i];
    ck("vaddlvq_u8", vaddlvq_u8(vld1q_u8(u)), su);
    ck("vaddlvq_s16", (u64)(s64)vaddlvq_s16(vld1q_s16(q16)), (u64)ss);

    /* Narrowing: truncating, saturating, rounding shifts. */
    static s32 wide[64];
    static s16 mid[64];
    u64 seed = 0x510e527fade682d1UL;
    for (int i = 0; i < 64; i++) {
        wide[i] = (s32)(xs64(&seed) >> 32) >> (i % 17);
        mid[i] = (s16)(xs64(&seed) >> 48) >> (i % 5);
    }
    static const char *const nnames[] = { "vqmovn_s32", "vmovn_s32", "vqmovun_s32", "vqmovun_s16", "vqrshrun_n_s16", "vmovn_u16" };
    unsigned ne[6] = { 0 };
    for (int i = 0; i < 64; i += 8) {
        int32x4_t w0 = vld1q_s32(&wide[i]), w1 = vld1q_s32(&wide[i + 4]);
        int16x8_t m = vld1q_s16(&mid[i]);
        s16 q[8], t[8];
        u16 uq[8];
        u8 un[8], rs[8], tr[8];
        vst1q_s16(q, vqmovn_high_s32(vqmovn_s32(w0), w1));
        vst1q_s16(t, vmovn_high_s32(vmovn_s32(w0), w1));
        vst1q_u16(uq, vcombine_u16(vqmovun_s32(w0), vqmovun_s32(w1)));
        vst1_u8(un, vqmovun_s16(m));
        vst1_u8(rs, vqrshrun_n_s16(m, 6));
        vst1_u8(tr, vmovn_u16(vreinterpretq_u16_s16(m)));
        for (int k = 0; k < 8; k++) {
            s64 wv = wide[i + k], mv = mid[i + k];
            ne[0] += q[k] != (s16)clamp(wv, -32768, 32767);
            ne[1] += t[k] != (s16)(u16)(u32)wv;
            ne[2] += uq[k] != (u16)clamp(wv, 0, 65535);
            ne[3] += un[k] != (u8)clamp(mv, 0, 255);
            ne[4] += rs[k] != (u8)clamp((mv + 32) >> 6, 0, 255);
            ne[5] += tr[k] != (u8)(u16)mv;
        }
    }
    ck_counts(nnames, ne, 6);
}

/* ---------------------------------------------------------------------------
 * Shifts.
 * ------------------------------------------------------------------------- */

void test_simd_shift(void)
{
    static u32 a32[64];
    static s16 a16[64];
    static u8 a8[64], b8[64];
    u64 seed = 0x9b05688c2b3e6c1fUL;
    for (int i = 0; i < 64; i++) {
        u64 r = xs64(&seed);
        a32[i] = (u32)r;
        a16[i] = (s16)(r >> 32);
        a8[i] = (u8)(r >> 48);
        b8[i] = (u8)(r >> 56);
    }
    static const char *const names[] = {
        "ushr", "sshr", "shl", "sli", "sri", "ushl register", "srshr", "sqshl imm", "ssra", "usra", "uqshl register", "ushll",
    };
    unsigned e[12] = { 0 };
    for (int i = 0; i < 64; i += 4) {
        uint32x4_t v = vld1q_u32(&a32[i]);
        u32 r1[4], r2[4], r3[4], r4[4], r5[4];
        s32 r6[4];
        vst1q_u32(r1, vshrq_n_u32(v, 7));
        vst1q_s32(r6, vshrq_n_s32(vreinterpretq_s32_u32(v), 7));
        vst1q_u32(r2, vshlq_n_u32(v, 13));
        vst1q_u32(r3, vsliq_n_u32(vdupq_n_u32(0x12345678), v, 8));
        vst1q_u32(r4, vsriq_n_u32(vdupq_n_u32(0x12345678), v, 8));
        /* Register shifts: positive left, negative right. */
        const int32x4_t cnt = { 3, -3, 31, -31 };
        vst1q_u32(r5, vshlq_u32(v, cnt));
        for (int k = 0; k < 4; k++) {
            u32 x = a32[i + k];
            e[0] += r1[k] != x >> 7;
            e[1] += (u32)r6[k] != (u32)((s32)x >> 7);
            e[2] += r2[k] != x << 13;
            e[3] += r3[k] != ((x << 8) | 0x78);
            e[4] += r4[k] != ((x >> 8) | 0x12000000);
        }
        e[5] += r5[0] != a32[i] << 3 || r5[1] != a32[i + 1] >> 3 || r5[2] != a32[i + 2] << 31 || r5[3] != a32[i + 3] >> 31;
    }
    for (int i = 0; i < 64; i += 8) {
        int16x8_t v = vld1q_s16(&a16[i]);
        s16 rr[8], qs[8], sr[8];
        vst1q_s16(rr, vrshrq_n_s16(v, 5));
        vst1q_s16(qs, vqshlq_n_s16(v, 4));
        vst1q_s16(sr, vsraq_n_s16(vdupq_n_s16(100), v, 3));
        for (int k = 0; k < 8; k++) {
            s32 x = a16[i + k];
            e[6] += rr[k] != (s16)((x + 16) >> 5);
            e[7] += qs[k] != (s16)clamp((s64)x * 16, -32768, 32767);
            e[8] += sr[k] != (s16)(100 + (x >> 3));
        }
    }
    for (int i = 0; i < 64; i += 16) {
        uint8x16_t v = vld1q_u8(&a8[i]), w = vld1q_u8(&b8[i]);
        u8 acc[16], qsh[16];
        u16 wl[8];
        vst1q_u8(acc, vsraq_n_u8(w, v, 5));
        vst1q_u8(qsh, vqshlq_u8(v, vreinterpretq_s8_u8(vandq_u8(w, vdupq_n_u8(7)))));
        vst1q_u16(wl, vshll_n_u8(vget_low_u8(v), 6));
        for (int k = 0; k < 16; k++) {
            e[9] += acc[k] != (u8)(b8[i + k] + (a8[i + k] >> 5));
            e[10] += qsh[k] != (u8)clamp((s64)a8[i + k] << (b8[i + k] & 7), 0, 255);
            if (k < 8)
                e[11] += wl[k] != (u16)(a8[i + k] << 6);
        }
    }
    ck_counts(names, e, 12);
}

/* ---------------------------------------------------------------------------
 * Compares and bit selects.
 * ------------------------------------------------------------------------- */

void test_simd_select(void)
{
    static s16 x[64], y[64];
    static s32 z[64];
    u64 seed = 0x1f83d9abfb41bd6bUL;
    for (int i = 0; i < 64; i++) {
        u64 r = xs64(&seed);
        x[i] = (s16)r;
        y[i] = (s16)(r >> 16);
        z[i] = (s32)(r >> 32);
        if (i % 9 == 0)
            y[i] = x[i];
        if (i == 5)
            z[i] = (s32)0x80000000;
    }
    static const char *const names[] = { "cmgt+bsl max", "smin", "cmeq", "cmhs (cmle unsigned)", "cmtst", "abs", "cmlt #0+neg+bsl", "sqabs" };
    unsigned e[8] = { 0 }, bad;
    for (int i = 0; i < 64; i += 8) {
        int16x8_t a = vld1q_s16(&x[i]), b = vld1q_s16(&y[i]);
        s16 mx[8], mn[8], eq[8], le[8], tst[8];
        vst1q_s16(mx, vbslq_s16(vcgtq_s16(a, b), a, b));
        vst1q_s16(mn, vminq_s16(a, b));
        vst1q_s16(eq, vreinterpretq_s16_u16(vceqq_s16(a, b)));
        vst1q_s16(le, vreinterpretq_s16_u16(vcleq_u16(vreinterpretq_u16_s16(a), vreinterpretq_u16_s16(b))));
        vst1q_s16(tst, vreinterpretq_s16_u16(vtstq_s16(a, b)));
        for (int k = 0; k < 8; k++) {
            s16 p = x[i + k], q = y[i + k];
            e[0] += mx[k] != (p > q ? p : q);
            e[1] += mn[k] != (p < q ? p : q);
            e[2] += eq[k] != (p == q ? -1 : 0);
            e[3] += le[k] != ((u16)p <= (u16)q ? -1 : 0);
            e[4] += tst[k] != ((p & q) ? -1 : 0);
        }
    }
    for (int i = 0; i < 64; i += 4) {
        int32x4_t v = vld1q_s32(&z[i]);
        s32 ab[4], sat[4], br[4];
        vst1q_s32(ab, vabsq_s32(v));
        vst1q_s32(sat, vqabsq_s32(v));
        vst1q_s32(br, vbslq_s32(vcltzq_s32(v), vnegq_s32(v), v));
        for (int k = 0; k < 4; k++) {
            s32 p = z[i + k];
            u32 m = p < 0 ? -(u32)p : (u32)p;
            e[5] += (u32)ab[k] != m;
            e[6] += (u32)br[k] != m;
            e[7] += sat[k] != (p == (s32)0x80000000 ? 0x7fffffff : (s32)m);
        }
    }
    ck_counts(names, e, 8);

    /* Float compares: -0 == +0, NaN unordered; FMIN/FMINNM with NaN; clamp. */
    float32x4_t f = { -0.0f, 1.5f, bitsf(0x7fc00000u), -3.0f };
    float32x4_t g = { 0.0f, bitsf(0x7fc00000u), 2.0f, -3.0f };
    OPAQUE(f);
    OPAQUE(g);
    uint32x4_t ceq = vceqq_f32(f, g), cgt = vcgtq_f32(f, g), cge = vcgeq_f32(f, g);
    /* Each lane all ones or all zeros: the low 64 bits of the lanes' AND with
     * {1, 2, 4, 8}, summed across, make a 4-bit mask only if that holds. */
    const uint32x4_t bit = { 1, 2, 4, 8 };
    u32 l[4];
    vst1q_u32(l, ceq);
    ck("fcmeq lanes", (u64)l[0] << 32 | l[3], 0xffffffffUL << 32 | 0xffffffffUL);
    ck("fcmeq mask", vaddvq_u32(vandq_u32(ceq, bit)), 1 | 8);
    ck("fcmgt mask", vaddvq_u32(vandq_u32(cgt, bit)), 0);
    ck("fcmge mask", vaddvq_u32(vandq_u32(cge, bit)), 1 | 8);
    float32x4_t mn = vminq_f32(f, g), mnn = vminnmq_f32(f, g), mxx = vmaxnmq_f32(f, g);
    ck("fmin -0/+0", vgetq_lane_u32(vreinterpretq_u32_f32(mn), 0), 0x80000000);
    ck("fmin NaN", vgetq_lane_u32(vreinterpretq_u32_f32(mn), 1), 0x7fc00000);
    ck("fminnm NaN", vgetq_lane_u32(vreinterpretq_u32_f32(mnn), 1), fbits(1.5f));
    ck("fmaxnm NaN", vgetq_lane_u32(vreinterpretq_u32_f32(mxx), 2), fbits(2.0f));
    ck("fmaxnm +0/-0", vgetq_lane_u32(vreinterpretq_u32_f32(mxx), 0), 0);
    /* clamp(x, -1, 1) by compare + BSL, x = (z >> 7) / 2^23 in [-2, 2): exact. */
    bad = 0;
    for (int i = 0; i < 64; i += 4) {
        float32x4_t v = vcvtq_n_f32_s32(vshrq_n_s32(vld1q_s32(&z[i]), 7), 23);
        float32x4_t c = vbslq_f32(vcgtq_f32(v, vdupq_n_f32(1.0f)), vdupq_n_f32(1.0f), v);
        c = vbslq_f32(vcltq_f32(c, vdupq_n_f32(-1.0f)), vdupq_n_f32(-1.0f), c);
        float out[4];
        vst1q_f32(out, c);
        for (int k = 0; k < 4; k++) {
            s64 zi = z[i + k] >> 7;
            s64 cl = clamp(zi, -(1L << 23), 1L << 23);
            bad += fbits(out[k]) != (u32)exact_fp_bits(cl, -23, 24);
        }
    }
    ck("float clamp", bad, 0);
}

/* ---------------------------------------------------------------------------
 * Permutes.
 * ------------------------------------------------------------------------- */

void test_simd_permute(void)
{
    u8 a[16], b[16], r[16];
    for (int i = 0; i < 16; i++) {
        a[i] = (u8)i;
        b[i] = (u8)(0x10 + i);
    }
    uint8x16_t va = vld1q_u8(a), vb = vld1q_u8(b);
    OPAQUE(va);
    OPAQUE(vb);
    static const char *const names[] = { "ext", "rev64", "zip1", "zip2", "uzp1", "uzp2", "trn1", "trn2" };
    unsigned e[8] = { 0 }, bad;
    vst1q_u8(r, vextq_u8(va, vb, 5));
    for (int i = 0; i < 16; i++)
        e[0] += r[i] != (i + 5 < 16 ? a[i + 5] : b[i + 5 - 16]);
    vst1q_u8(r, vrev64q_u8(va));
    for (int i = 0; i < 16; i++)
        e[1] += r[i] != a[(i & 8) + 7 - (i & 7)];
    vst1q_u8(r, vzip1q_u8(va, vb));
    for (int i = 0; i < 16; i++)
        e[2] += r[i] != ((i & 1) ? b[i / 2] : a[i / 2]);
    vst1q_u8(r, vzip2q_u8(va, vb));
    for (int i = 0; i < 16; i++)
        e[3] += r[i] != ((i & 1) ? b[8 + i / 2] : a[8 + i / 2]);
    vst1q_u8(r, vuzp1q_u8(va, vb));
    for (int i = 0; i < 16; i++)
        e[4] += r[i] != (i < 8 ? a[2 * i] : b[2 * i - 16]);
    vst1q_u8(r, vuzp2q_u8(va, vb));
    for (int i = 0; i < 16; i++)
        e[5] += r[i] != (i < 8 ? a[2 * i + 1] : b[2 * i - 15]);
    vst1q_u8(r, vtrn1q_u8(va, vb));
    for (int i = 0; i < 16; i++)
        e[6] += r[i] != ((i & 1) ? b[i - 1] : a[i]);
    vst1q_u8(r, vtrn2q_u8(va, vb));
    for (int i = 0; i < 16; i++)
        e[7] += r[i] != ((i & 1) ? b[i] : a[i + 1]);
    ck_counts(names, e, 8);

    /* 4x4 transpose of u32 with TRN1/TRN2 on 32- and 64-bit lanes. */
    u32 m[4][4], t[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            m[i][j] = (u32)(i * 0x1000 + j * 0x10 + 7);
    uint32x4_t r0 = vld1q_u32(m[0]), r1 = vld1q_u32(m[1]), r2 = vld1q_u32(m[2]), r3 = vld1q_u32(m[3]);
    uint32x4_t t0 = vtrn1q_u32(r0, r1), t1 = vtrn2q_u32(r0, r1), t2 = vtrn1q_u32(r2, r3), t3 = vtrn2q_u32(r2, r3);
    vst1q_u32(t[0], vreinterpretq_u32_u64(vtrn1q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t2))));
    vst1q_u32(t[1], vreinterpretq_u32_u64(vtrn1q_u64(vreinterpretq_u64_u32(t1), vreinterpretq_u64_u32(t3))));
    vst1q_u32(t[2], vreinterpretq_u32_u64(vtrn2q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t2))));
    vst1q_u32(t[3], vreinterpretq_u32_u64(vtrn2q_u64(vreinterpretq_u64_u32(t1), vreinterpretq_u64_u32(t3))));
    bad = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            bad += t[i][j] != m[j][i];
    ck("4x4 transpose", bad, 0);
    ck("rev32 u16", vgetq_lane_u64(vreinterpretq_u64_u16(vrev32q_u16(vreinterpretq_u16_u8(va))), 0), 0x0504070601000302UL);
    uint8x16_t x16 = vdupq_n_u8(0x16);
    OPAQUE(x16);
    ck("rbit", vgetq_lane_u8(vrbitq_u8(x16), 3), 0x68);
}

/* ---------------------------------------------------------------------------
 * The bench kernels (simd.elf, `npm run bench -- simd`): one iteration.
 * ------------------------------------------------------------------------- */

#define BENCH_BYTES 8192

/* A vector xorshift32 fill: four independent streams. */
static __attribute__((noinline)) void vfill(u8 *p, size_t n, u32 seed)
{
    uint32x4_t s = { seed | 1, seed * 3 + 1, seed * 5 + 7, seed * 9 + 3 };
    for (size_t i = 0; i < n; i += 16) {
        s = veorq_u32(s, vshlq_n_u32(s, 13));
        s = veorq_u32(s, vshrq_n_u32(s, 17));
        s = veorq_u32(s, vshlq_n_u32(s, 5));
        vst1q_u8(p + i, vreinterpretq_u8_u32(s));
    }
}

u64 simd_bench_iteration(u64 it)
{
    u8 *a = src_buf, *b = dst_buf;
    vfill(a, BENCH_BYTES + 128, (u32)(it * 0x9e3779b9u + 17));
    u64 h = it;

    /* memcpy at odd offsets, then sum the copy with UADDLV. */
    simd_memcpy(b + 7, a + 3, BENCH_BYTES - 16);
    uint32x4_t acc = vdupq_n_u32(0);
    for (size_t i = 0; i < BENCH_BYTES - 32; i += 16)
        acc = vpadalq_u16(acc, vpaddlq_u8(vld1q_u8(b + 7 + i)));
    h = mix64(h ^ vaddvq_u32(acc));

    /* strlen: NUL-terminate every byte equal to 0 or 0xff, count lengths. */
    for (size_t i = 0; i < 2048; i++)
        ref_buf[i] = a[i] == 0xff ? 0 : (a[i] | 1);
    ref_buf[2048] = 0;
    u64 lens = 0;
    for (const char *s = (const char *)ref_buf; s < (const char *)ref_buf + 2048;) {
        size_t l = (lens & 1) ? strlen_minv(s) : strlen_shrn(s);
        lens += l * 31 + 1;
        s += l + 1;
    }
    h = mix64(h ^ lens);

    /* Table lookups: S-box and hex, then a histogram and popcount. */
    if (!sbox[1])
        for (int i = 0; i < 256; i++) {
            u8 v = (u8)(i * 167 + 13);
            sbox[i] = (u8)((v << 3) | (v >> 5));
        }
    sbox_apply(b, a + 1, 4096);
    hex_encode((char *)ref_buf, b, 1024);
    u32 hist[16];
    nibble_histogram(hist, ref_buf, 2048);
    for (int k = 0; k < 16; k++)
        h = mix64(h ^ hist[k] ^ ((u64)k << 40));
    h = mix64(h ^ popcount_simd(b, 4096));

    /* LD4/ST4 RGBA swap and LD3 planes of 1024 pixels. */
    for (unsigned i = 0; i < 1024; i += 16) {
        uint8x16x4_t v = vld4q_u8(a + 5 + 4 * i);
        uint8x16_t t = v.val[0];
        v.val[0] = vrhaddq_u8(v.val[2], v.val[1]);
        v.val[2] = t;
        vst4q_u8(b + 4 * i, v);
    }
    uint16x8_t lsum = vdupq_n_u16(0);
    for (unsigned i = 0; i < 1024; i += 16) {
        uint8x16x3_t v = vld3q_u8(b + 1 + 3 * i);
        uint8x16_t y = vhaddq_u8(vhaddq_u8(v.val[0], v.val[2]), v.val[1]);
        lsum = vaddq_u16(lsum, vshrq_n_u16(vpaddlq_u8(y), 2));
    }
    h = mix64(h ^ vaddlvq_u16(lsum));

    /* float32x4: dot product and saxpy over 1024 floats made from the bytes. */
    for (int i = 0; i < FN; i += 4) {
        uint32x4_t w = vmovl_u16(vget_low_u16(vmovl_u8(vld1_u8(a + i))));
        vst1q_f32(fx + i, vmulq_n_f32(vcvtq_f32_u32(w), 1.0f / 256));
        vst1q_f32(fy + i, vcvtq_n_f32_s32(vreinterpretq_s32_u32(vld1q_u32((const u32 *)(a + 4096 + 4 * i))), 31));
    }
    saxpy_simd(0.25f, fx, fy, FN);
    float d = dot_simd(fx, fy, FN);
    h = mix64(h ^ fbits(d));

    /* Narrowing/saturating and shifts on 16-bit samples. */
    int16x8_t sacc = vdupq_n_s16(0);
    for (unsigned i = 0; i < 4096; i += 16) {
        int16x8_t x = vld1q_s16((const s16 *)(a + i)), y = vld1q_s16((const s16 *)(a + 8192 - 16 - i));
        int16x8_t m = vbslq_s16(vcgtq_s16(x, y), vsubq_s16(x, y), vsubq_s16(y, x));
        uint8x8_t n = vqrshrun_n_s16(vsraq_n_s16(m, x, 4), 7);
        sacc = vqaddq_s16(sacc, vreinterpretq_s16_u16(vmovl_u8(n)));
        sacc = veorq_s16(sacc, vrshrq_n_s16(y, 3));
    }
    h = mix64(h ^ vgetq_lane_u64(vreinterpretq_u64_s16(sacc), 0) ^ vgetq_lane_u64(vreinterpretq_u64_s16(sacc), 1));
    return h;
}
