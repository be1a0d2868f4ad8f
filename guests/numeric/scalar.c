/*
 * numeric guest, scalar FP: matrix multiply, sort of doubles, Newton square
 * root against FSQRT, conversions and FPCR rounding modes. The expected values
 * come from integer code (exact integer-valued inputs, bit-pattern arithmetic,
 * 128-bit integer bounds) or closed forms; FPCR-sensitive instructions are in
 * asm volatile statements so they cannot move across the FPCR writes.
 */
#include "numeric.h"

#define SIGN64 (1UL << 63)

/* ---------------------------------------------------------------------------
 * Integer models of IEEE 754 binary64/binary32 rounding.
 * ------------------------------------------------------------------------- */

enum { RN = 0, RP = 1, RM = 2, RZ = 3, RA = 4 /* ties away: FCVTAS/FRINTA */ };

static int msb64(u64 x) { return 63 - __builtin_clzl(x); }

/* The bits of (-1)^s * m * 2^e (m != 0) in a format with p significand bits
 * (53: binary64, 24: binary32), rounded in `mode`. The result must be normal. */
static u64 round_to_format(int s, u64 m, int e, int mode, int p)
{
    int bias = p == 53 ? 1023 : 127, width = p == 53 ? 64 : 32;
    int shift = msb64(m) - (p - 1);
    u64 mant;
    if (shift <= 0) {
        mant = m << -shift;
    } else {
        mant = m >> shift;
        u64 rem = m & ((1UL << shift) - 1), half = 1UL << (shift - 1);
        int up = 0;
        switch (mode) {
        case RN: up = rem > half || (rem == half && (mant & 1)); break;
        case RA: up = rem >= half; break;
        case RP: up = rem && !s; break;
        case RM: up = rem && s; break;
        default: break;
        }
        if (up && ++mant == (1UL << p)) {
            mant >>= 1;
            shift++;
        }
    }
    u64 exp = (u64)(e + shift + (p - 1) + bias);
    return ((u64)s << (width - 1)) | (exp << (p - 1)) | (mant & ((1UL << (p - 1)) - 1));
}

/* Exact double bits of v * 2^k (|v| < 2^53). */
static u64 i2dbits_scaled(s64 v, int k)
{
    if (v == 0)
        return 0;
    return round_to_format(v < 0, v < 0 ? -(u64)v : (u64)v, k, RZ, 53);
}
static u64 i2dbits(s64 v) { return i2dbits_scaled(v, 0); }

u64 exact_fp_bits(s64 v, int scale, int p)
{
    if (v == 0)
        return 0;
    return round_to_format(v < 0, v < 0 ? -(u64)v : (u64)v, scale, RZ, p);
}

/* Decompose a finite nonzero double: |x| = m * 2^e, m < 2^53. */
static void decompose(u64 b, u64 *m, int *e)
{
    u64 ex = (b >> 52) & 0x7ff, f = b & ((1UL << 52) - 1);
    if (ex == 0) {
        *m = f;
        *e = 1 - 1075;
    } else {
        *m = f | (1UL << 52);
        *e = (int)ex - 1075;
    }
}

/* Round a finite double to an integer in `mode` (|x| < 2^62); *inexact set if
 * it had a fraction. */
static s64 ref_round(u64 b, int mode, int *inexact)
{
    int s = (int)(b >> 63);
    *inexact = 0;
    if ((b & ~SIGN64) == 0)
        return 0;
    u64 m, ip, rem, half;
    int e;
    decompose(b, &m, &e);
    if (e >= 0)
        return s ? -(s64)(m << e) : (s64)(m << e);
    int sh = -e;
    if (sh >= 64) {
        ip = 0;
        rem = 1;        /* below half: m < 2^53 <= 2^(sh-1) */
        half = 2;
    } else {
        ip = m >> sh;
        rem = m & ((1UL << sh) - 1);
        half = 1UL << (sh - 1);
    }
    *inexact = rem != 0;
    int up = 0;
    switch (mode) {
    case RN: up = rem > half || (rem == half && (ip & 1)); break;
    case RA: up = rem >= half; break;
    case RP: up = rem && !s; break;
    case RM: up = rem && s; break;
    default: break;
    }
    ip += up;
    return s ? -(s64)ip : (s64)ip;
}

/* ---------------------------------------------------------------------------
 * Matrix multiply, 24x24 doubles.
 * ------------------------------------------------------------------------- */

#define MN 24
static double ma[MN][MN], mb[MN][MN], mc[MN][MN];
static s64 mref[MN][MN];

static __attribute__((noinline)) void matmul_ijk(double c[MN][MN], double a[MN][MN], double b[MN][MN])
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            double acc = 0.0;
            for (int k = 0; k < MN; k++)
                acc += a[i][k] * b[k][j];
            c[i][j] = acc;
        }
}

static __attribute__((noinline)) void matmul_ikj(double c[MN][MN], double a[MN][MN], double b[MN][MN])
{
    for (int i = 0; i < MN; i++) {
        for (int j = 0; j < MN; j++)
            c[i][j] = 0.0;
        for (int k = 0; k < MN; k++) {
            double aik = a[i][k];
            for (int j = 0; j < MN; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

/* Explicitly fused (FMADD), in k order: the same rounding on every machine. */
static __attribute__((noinline)) void matmul_fma(double c[MN][MN], double a[MN][MN], double b[MN][MN])
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            double acc = 0.0;
            for (int k = 0; k < MN; k++)
                acc = __builtin_fma(a[i][k], b[k][j], acc);
            c[i][j] = acc;
        }
}

static unsigned check_matrix(const char *what, int scale)
{
    unsigned bad = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++)
            if (dbits(mc[i][j]) != i2dbits_scaled(mref[i][j], scale) && bad++ == 0)
                ck_idx(what, (u64)(i * MN + j), dbits(mc[i][j]), i2dbits_scaled(mref[i][j], scale));
    return bad;
}

void test_matmul(void)
{
    /* Integer-valued inputs in [-6, 6]: every product and partial sum is an
     * exact double, so C must equal the integer product exactly. */
    s64 ia[MN][MN], ib[MN][MN];
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ia[i][j] = (s64)((i * 7 + j * 3 + 1) % 11) - 5;
            ib[i][j] = (s64)((i * 5 + j * 2 + 3) % 13) - 6;
        }
    s64 trace = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            s64 acc = 0;
            for (int k = 0; k < MN; k++)
                acc += ia[i][k] * ib[k][j];
            mref[i][j] = acc;
            if (i == j)
                trace += acc;
        }
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = bitsd(i2dbits(ia[i][j]));
            mb[i][j] = bitsd(i2dbits(ib[i][j]));
        }
    matmul_ijk(mc, ma, mb);
    ck("ijk mismatches", check_matrix("ijk", 0), 0);
    double tr = 0;
    for (int i = 0; i < MN; i++)
        tr += mc[i][i];
    ck("ijk trace", dbits(tr), i2dbits(trace));
    matmul_ikj(mc, ma, mb);
    ck("ikj mismatches", check_matrix("ikj", 0), 0);
    matmul_fma(mc, ma, mb);
    ck("fma mismatches", check_matrix("fma", 0), 0);

    /* Scaled by 2^-1 and 2^-3: C = Cref * 2^-4, still exact. */
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = bitsd(i2dbits_scaled(ia[i][j], -1));
            mb[i][j] = bitsd(i2dbits_scaled(ib[i][j], -3));
        }
    matmul_ijk(mc, ma, mb);
    ck("scaled mismatches", check_matrix("scaled", -4), 0);

    /* A times the identity is A. */
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++)
            mb[i][j] = i == j ? 1.0 : 0.0;
    matmul_ikj(mc, ma, mb);
    unsigned bad = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++)
            bad += dbits(mc[i][j]) != dbits(ma[i][j]);
    ck("identity mismatches", bad, 0);

    /* Inexact inputs (random doubles in [-1, 1)) with the explicitly fused
     * product: a regression hash of the result bits, computed under QEMU 7.2. */
    u64 seed = 0x9e3779b97f4a7c15UL;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = bitsd(0x3ff0000000000000UL | (xs64(&seed) >> 12)) - 1.5;
            mb[i][j] = bitsd(0x3ff0000000000000UL | (xs64(&seed) >> 12)) - 1.5;
        }
    matmul_fma(mc, ma, mb);
    u64 h = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++)
            h = mix64(h ^ dbits(mc[i][j]));
    ck("random fma hash", h, 0xced766ee01af8367UL);
}

/* ---------------------------------------------------------------------------
 * Sort of 2000 doubles (with +-0, subnormals, infinities, duplicates).
 * ------------------------------------------------------------------------- */

#define SN 2000
static double sa[SN], stmp[SN];
static u64 skeys[SN];

/* Bottom-up merge sort with FP compares (FCMP/FCMPE). */
static __attribute__((noinline)) void merge_sort(double *a, double *tmp, int n)
{
    for (int w = 1; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        for (int i = 0; i < n; i++)
            a[i] = tmp[i];
    }
}

/* An unsigned key that orders doubles (no NaNs) by value, -0 equal to +0. */
static u64 order_key(u64 b)
{
    if (b == SIGN64)
        b = 0;
    return (b & SIGN64) ? ~b : b | SIGN64;
}

/* Integer heapsort (the reference). */
static void sift(u64 *a, int root, int end)
{
    while (2 * root + 1 <= end) {
        int c = 2 * root + 1, sw = root;
        if (a[sw] < a[c])
            sw = c;
        if (c + 1 <= end && a[sw] < a[c + 1])
            sw = c + 1;
        if (sw == root)
            return;
        u64 t = a[root]; a[root] = a[sw]; a[sw] = t;
        root = sw;
    }
}
static void heapsort_u64(u64 *a, int n)
{
    for (int s = (n - 2) / 2; s >= 0; s--)
        sift(a, s, n - 1);
    for (int end = n - 1; end > 0; end--) {
        u64 t = a[0]; a[0] = a[end]; a[end] = t;
        sift(a, 0, end - 1);
    }
}

void test_sort(void)
{
    u64 seed = 0x2545f4914f6cdd1dUL;
    unsigned nzero = 0, nsub = 0;
    for (int i = 0; i < SN; i++) {
        u64 r = xs64(&seed), b;
        u64 sign = r & SIGN64, frac = (r >> 8) & ((1UL << 52) - 1);
        switch (r & 31) {
        case 0: b = 0; break;
        case 1: b = SIGN64; nzero++; break;
        case 2: case 3: b = sign | (frac ? frac : 1); nsub++; break;   /* subnormal */
        case 4: b = sign | 0x7ff0000000000000UL; break;                 /* infinity */
        case 5: b = sign | 0x7fefffffffffffffUL; break;                 /* largest */
        case 6: b = sign | 0x0010000000000000UL | (frac & 0xff); break; /* smallest normals */
        case 7: case 8: b = i ? dbits(sa[(r >> 20) % i]) : 0; break; /* duplicate */
        default: b = sign | ((u64)(1023 - 60 + (r >> 40) % 121) << 52) | frac; break;
        }
        sa[i] = bitsd(b);
        skeys[i] = order_key(b);
    }
    u64 sum = 0, x = 0;
    unsigned negz = 0;
    for (int i = 0; i < SN; i++) {
        sum += mix64(dbits(sa[i]));
        x ^= mix64(dbits(sa[i]) + 1);
        negz += dbits(sa[i]) == SIGN64;
    }
    heapsort_u64(skeys, SN);
    merge_sort(sa, stmp, SN);

    unsigned bad = 0, unordered = 0;
    for (int i = 0; i < SN; i++) {
        if (order_key(dbits(sa[i])) != skeys[i] && bad++ == 0)
            ck_idx("key vs integer sort", (u64)i, order_key(dbits(sa[i])), skeys[i]);
        if (i && sa[i] < sa[i - 1])
            unordered++;
    }
    ck("keys differing from the integer sort", bad, 0);
    ck("FP-unordered neighbours", unordered, 0);
    u64 sum2 = 0, x2 = 0;
    unsigned negz2 = 0;
    for (int i = 0; i < SN; i++) {
        sum2 += mix64(dbits(sa[i]));
        x2 ^= mix64(dbits(sa[i]) + 1);
        negz2 += dbits(sa[i]) == SIGN64;
    }
    ck("permutation sum", sum2, sum);
    ck("permutation xor", x2, x);
    ck("negative zeros kept", negz2, negz);
    ck("input had negative zeros", negz > 0 && nzero > 0, 1);
    ck("input had subnormals", nsub > 0, 1);
    ck("first is -inf", dbits(sa[0]), 0xfff0000000000000UL);
    ck("last is +inf", dbits(sa[SN - 1]), 0x7ff0000000000000UL);
    /* -0 and +0 compare equal; subnormals are between zero and the normals. */
    volatile double nz = bitsd(SIGN64), pz = 0.0, sub = bitsd(1), mn = bitsd(0x0010000000000000UL);
    ck("-0 == +0", nz == pz, 1);
    ck("-0 < +0", nz < pz, 0);
    ck("0 < min subnormal < min normal", pz < sub && sub < mn, 1);
    ck("-min subnormal < -0", -sub < nz, 1);
}

/* ---------------------------------------------------------------------------
 * Newton square root against FSQRT; FSQRT checked with 128-bit integers.
 * ------------------------------------------------------------------------- */

static inline double fsqrt_d(double x) { double r; __asm__ volatile("fsqrt %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline float fsqrt_s(float x) { float r; __asm__ volatile("fsqrt %s0, %s1" : "=w"(r) : "w"(x)); return r; }

/* sqrt(x) for finite x > 0 by Newton's iteration from a bit-trick estimate. */
static __attribute__((noinline)) double newton_sqrt(double x)
{
    double scale = 1.0;
    if (x < bitsd(0x0010000000000000UL)) {       /* subnormal: scale by 2^108 */
        x *= bitsd(0x46b0000000000000UL);
        scale = bitsd(0x3c90000000000000UL);     /* 2^-54 */
    }
    double y = bitsd((dbits(x) >> 1) + (0x3ff0000000000000UL >> 1));
    for (int i = 0; i < 6; i++)
        y = 0.5 * (y + x / y);
    return y * scale;
}

/* Is r (positive normal, p significand bits) the correctly rounded sqrt of
 * x (positive finite)? (2mr - 1)^2 2^(2er-2) < x < (2mr + 1)^2 2^(2er-2);
 * there are no ties. */
static int sqrt_is_correct(u64 xb, u64 rb, int p)
{
    int fb = p - 1, bias = p == 53 ? 1023 : 127, ebits = p == 53 ? 11 : 8;
    u64 fmask = (1UL << fb) - 1;
    u64 xe = (xb >> fb) & ((1UL << ebits) - 1), re = (rb >> fb) & ((1UL << ebits) - 1);
    if (re == 0 || (rb >> (fb + ebits)))
        return 0;
    u64 mx = (xb & fmask) | (xe ? 1UL << fb : 0);
    int ex = (xe ? (int)xe : 1) - bias - fb;
    while (!(mx >> fb)) {
        mx <<= 1;
        ex--;
    }
    u64 mr = (rb & fmask) | (1UL << fb);
    int er = (int)re - bias - fb;
    int d = ex - (2 * er - 2);
    if (d < 0 || d > 70)
        return 0;
    unsigned __int128 X = (unsigned __int128)mx << d;
    unsigned __int128 lo = (unsigned __int128)(2 * mr - 1) * (2 * mr - 1);
    unsigned __int128 hi = (unsigned __int128)(2 * mr + 1) * (2 * mr + 1);
    return lo < X && X < hi;
}

#define FPSR_IOC (1UL << 0)
#define FPSR_DZC (1UL << 1)
#define FPSR_OFC (1UL << 2)
#define FPSR_UFC (1UL << 3)
#define FPSR_IXC (1UL << 4)
#define FPSR_IDC (1UL << 7)

void test_sqrt(void)
{
    u64 seed = 0x853c49e6748fea9bUL;
    unsigned wrong = 0, far = 0;
    for (int i = 0; i < 400; i++) {
        u64 r = xs64(&seed);
        u64 exp = i < 20 ? 0 : 1 + (r >> 52) % 2046;      /* 20 subnormals */
        u64 xb = (exp << 52) | (r & ((1UL << 52) - 1));
        if (xb == 0)
            xb = 1;
        double x = bitsd(xb), s = fsqrt_d(x), n = newton_sqrt(x);
        if (!sqrt_is_correct(xb, dbits(s), 53) && wrong++ == 0)
            ck_idx("fsqrt not correctly rounded, x", (u64)i, xb, dbits(s));
        u64 diff = dbits(s) > dbits(n) ? dbits(s) - dbits(n) : dbits(n) - dbits(s);
        if (diff > 1 && far++ == 0)
            ck_idx("newton vs fsqrt", (u64)i, dbits(n), dbits(s));
    }
    ck("fsqrt results not correctly rounded", wrong, 0);
    ck("newton results more than 1 ulp from fsqrt", far, 0);

    /* Perfect squares: exact. */
    unsigned inexact = 0;
    for (int i = 0; i < 100; i++) {
        u64 k = 1 + (xs64(&seed) >> 38);                  /* < 2^26 */
        double x = bitsd(i2dbits((s64)(k * k)));
        if (dbits(fsqrt_d(x)) != i2dbits((s64)k) && inexact++ == 0)
            ck_idx("fsqrt(k*k)", k, dbits(fsqrt_d(x)), i2dbits((s64)k));
        if (dbits(newton_sqrt(x)) != i2dbits((s64)k) && inexact++ == 0)
            ck_idx("newton(k*k)", k, dbits(newton_sqrt(x)), i2dbits((s64)k));
    }
    ck("perfect squares not exact", inexact, 0);

    /* Single precision. */
    wrong = 0;
    for (int i = 0; i < 200; i++) {
        u32 r = (u32)(xs64(&seed) >> 32);
        u32 exp = i < 10 ? 0 : 1 + (r >> 23) % 254;
        u32 xb = (exp << 23) | (r & 0x7fffff);
        if (xb == 0)
            xb = 1;
        float s = fsqrt_s(bitsf(xb));
        if (!sqrt_is_correct(xb, fbits(s), 24) && wrong++ == 0)
            ck_idx("fsqrt single not correctly rounded, x", (u64)i, xb, fbits(s));
    }
    ck("single fsqrt results not correctly rounded", wrong, 0);

    /* Special values and FPSR cumulative flags. */
    write_fpsr(0);
    ck("sqrt(4)", dbits(fsqrt_d(4.0)), 0x4000000000000000UL);
    ck("sqrt(4) flags", read_fpsr(), 0);
    ck("sqrt(2)", dbits(fsqrt_d(2.0)), 0x3ff6a09e667f3bcdUL);
    ck("sqrt(2) flags", read_fpsr(), FPSR_IXC);
    write_fpsr(0);
    ck("sqrt(-1)", dbits(fsqrt_d(-1.0)), 0x7ff8000000000000UL);
    ck("sqrt(-1) flags", read_fpsr(), FPSR_IOC);
    write_fpsr(0);
    ck("sqrt(-0)", dbits(fsqrt_d(bitsd(SIGN64))), SIGN64);
    ck("sqrt(+inf)", dbits(fsqrt_d(bitsd(0x7ff0000000000000UL))), 0x7ff0000000000000UL);
    ck("sqrt(-inf)", dbits(fsqrt_d(bitsd(0xfff0000000000000UL))), 0x7ff8000000000000UL);
    ck("sqrt(qNaN)", dbits(fsqrt_d(bitsd(0xfff8000000001234UL))), 0xfff8000000001234UL);
    ck("specials flags", read_fpsr(), FPSR_IOC);
    write_fpsr(0);
    ck("sqrt(sNaN)", dbits(fsqrt_d(bitsd(0x7ff0000000001234UL))), 0x7ff8000000001234UL);
    ck("sqrt(sNaN) flags", read_fpsr(), FPSR_IOC);
    ck("single sqrt(2)", fbits(fsqrt_s(2.0f)), 0x3fb504f3);
    ck("single sqrt(0x1p-149)", fbits(fsqrt_s(bitsf(1))), 0x1a3504f3);
    write_fpsr(0);
}

/* ---------------------------------------------------------------------------
 * Conversions and FPCR: rounding modes, FZ, DN.
 * ------------------------------------------------------------------------- */

#define FPCR_RMODE(m) ((u64)(m) << 22)
#define FPCR_FZ       (1UL << 24)
#define FPCR_DN       (1UL << 25)

static inline double frinti(double x) { double r; __asm__ volatile("frinti %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double frintx(double x) { double r; __asm__ volatile("frintx %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double frintn(double x) { double r; __asm__ volatile("frintn %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double frinta(double x) { double r; __asm__ volatile("frinta %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double frintp(double x) { double r; __asm__ volatile("frintp %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double frintm(double x) { double r; __asm__ volatile("frintm %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double frintz(double x) { double r; __asm__ volatile("frintz %d0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline s64 fcvtzs(double x) { s64 r; __asm__ volatile("fcvtzs %x0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline s64 fcvtns(double x) { s64 r; __asm__ volatile("fcvtns %x0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline s64 fcvtas(double x) { s64 r; __asm__ volatile("fcvtas %x0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline s64 fcvtps(double x) { s64 r; __asm__ volatile("fcvtps %x0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline s64 fcvtms(double x) { s64 r; __asm__ volatile("fcvtms %x0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline u64 fcvtzu(double x) { u64 r; __asm__ volatile("fcvtzu %x0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline s32 fcvtzs_w(double x) { s32 r; __asm__ volatile("fcvtzs %w0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline s32 fcvtns_w(double x) { s32 r; __asm__ volatile("fcvtns %w0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline u32 fcvtzu_w(double x) { u32 r; __asm__ volatile("fcvtzu %w0, %d1" : "=r"(r) : "w"(x)); return r; }
static inline double scvtf(s64 x) { double r; __asm__ volatile("scvtf %d0, %x1" : "=w"(r) : "r"(x)); return r; }
static inline double ucvtf(u64 x) { double r; __asm__ volatile("ucvtf %d0, %x1" : "=w"(r) : "r"(x)); return r; }
static inline float scvtf_s(s64 x) { float r; __asm__ volatile("scvtf %s0, %x1" : "=w"(r) : "r"(x)); return r; }
static inline float fcvt_ds(double x) { float r; __asm__ volatile("fcvt %s0, %d1" : "=w"(r) : "w"(x)); return r; }
static inline double fadd_d(double a, double b) { double r; __asm__ volatile("fadd %d0, %d1, %d2" : "=w"(r) : "w"(a), "w"(b)); return r; }
static inline double fmul_d(double a, double b) { double r; __asm__ volatile("fmul %d0, %d1, %d2" : "=w"(r) : "w"(a), "w"(b)); return r; }
static inline double fdiv_d(double a, double b) { double r; __asm__ volatile("fdiv %d0, %d1, %d2" : "=w"(r) : "w"(a), "w"(b)); return r; }

static const char *const mode_name[4] = { "RN", "RP", "RM", "RZ" };
static const char *const frinti_name[4] = { "frinti RN", "frinti RP", "frinti RM", "frinti RZ" };
static const char *const frintx_name[4] = { "frintx RN", "frintx RP", "frintx RM", "frintx RZ" };
static const char *const scvtf_name[4] = { "scvtf RN", "scvtf RP", "scvtf RM", "scvtf RZ" };
static const char *const ucvtf_name[4] = { "ucvtf RN", "ucvtf RP", "ucvtf RM", "ucvtf RZ" };
static const char *const scvtf_s_name[4] = { "scvtf single RN", "scvtf single RP", "scvtf single RM", "scvtf single RZ" };
static const char *const fcvt_name[4] = { "fcvt RN", "fcvt RP", "fcvt RM", "fcvt RZ" };

/* Bits of the integral double ref_round gives: the sign of x is kept, so a
 * zero result is -0 for negative x. */
static u64 integral_bits(u64 xb, s64 v)
{
    return v == 0 ? (xb & SIGN64) : i2dbits(v);
}

#define CONV_N 96
static u64 conv_inputs[CONV_N];

static void make_conv_inputs(void)
{
    static const u64 fixed[] = {
        0x3fe0000000000000UL, 0xbfe0000000000000UL,   /* +-0.5 */
        0x3ff8000000000000UL, 0xbff8000000000000UL,   /* +-1.5 */
        0x4004000000000000UL, 0xc004000000000000UL,   /* +-2.5 */
        0x4003ffffffffffffUL, 0xc003ffffffffffffUL,   /* +-2.4999.. */
        0x3fd3333333333333UL, 0xbfd3333333333333UL,   /* +-0.3 */
        0x0000000000000001UL, 0x8000000000000001UL,   /* +-min subnormal */
        0x0000000000000000UL, 0x8000000000000000UL,   /* +-0 */
        0x4330000000000001UL, 0xc330000000000001UL,   /* +-(2^52 + 1) */
        0x432fffffffffffffUL, 0xc32fffffffffffffUL,   /* +-(2^52 - 0.5) */
        0x43dfffffffffffffUL, 0xc3dfffffffffffffUL,   /* +-(2^62 - 2^9) */
        0x41dfffffffe00000UL, 0xc1e0000000000000UL,   /* 2^31 - 1, -2^31 */
        0x41dfffffffffffffUL, 0x41efffffffe00000UL,   /* 2^31 - tiny, 2^32 - 1 */
    };
    u64 seed = 0xda3e39cb94b95bdbUL;
    for (int i = 0; i < CONV_N; i++) {
        if (i < (int)(sizeof fixed / sizeof fixed[0])) {
            conv_inputs[i] = fixed[i];
            continue;
        }
        u64 r = xs64(&seed);
        /* |x| in [2^-3, 2^61]: random fractions and magnitudes. */
        u64 exp = 1023 - 3 + (r >> 52) % 65;
        conv_inputs[i] = (r & SIGN64) | (exp << 52) | ((r >> 4) & ((1UL << 52) - 1));
    }
}

void test_float_to_int(void)
{
    make_conv_inputs();
    for (int i = 0; i < CONV_N; i++) {
        u64 xb = conv_inputs[i];
        double x = bitsd(xb);
        int inex;
        s64 rn = ref_round(xb, RN, &inex), ra = ref_round(xb, RA, &inex);
        s64 rp = ref_round(xb, RP, &inex), rm = ref_round(xb, RM, &inex), rz = ref_round(xb, RZ, &inex);
        ck_idx("fcvtns", (u64)i, (u64)fcvtns(x), (u64)rn);
        ck_idx("fcvtas", (u64)i, (u64)fcvtas(x), (u64)ra);
        ck_idx("fcvtps", (u64)i, (u64)fcvtps(x), (u64)rp);
        ck_idx("fcvtms", (u64)i, (u64)fcvtms(x), (u64)rm);
        ck_idx("fcvtzs", (u64)i, (u64)fcvtzs(x), (u64)rz);
        ck_idx("fcvtzu", (u64)i, fcvtzu(x), rz < 0 ? 0 : (u64)rz);
        ck_idx("frintn", (u64)i, dbits(frintn(x)), integral_bits(xb, rn));
        ck_idx("frinta", (u64)i, dbits(frinta(x)), integral_bits(xb, ra));
        ck_idx("frintp", (u64)i, dbits(frintp(x)), integral_bits(xb, rp));
        ck_idx("frintm", (u64)i, dbits(frintm(x)), integral_bits(xb, rm));
        ck_idx("frintz", (u64)i, dbits(frintz(x)), integral_bits(xb, rz));
        /* 32-bit destinations saturate. */
        s64 sat = rz > 0x7fffffffL ? 0x7fffffffL : rz < -0x80000000L ? -0x80000000L : rz;
        ck_idx("fcvtzs w", (u64)i, (u64)(u32)fcvtzs_w(x), (u64)(u32)sat);
        sat = rn > 0x7fffffffL ? 0x7fffffffL : rn < -0x80000000L ? -0x80000000L : rn;
        ck_idx("fcvtns w", (u64)i, (u64)(u32)fcvtns_w(x), (u64)(u32)sat);
        u64 usat = rz < 0 ? 0 : rz > 0xffffffffL ? 0xffffffffUL : (u64)rz;
        ck_idx("fcvtzu w", (u64)i, fcvtzu_w(x), usat);
        /* FRINTI/FRINTX follow FPCR.RMode; FRINTX also raises Inexact. */
        for (int m = 0; m < 4; m++) {
            s64 want = ref_round(xb, m, &inex);
            write_fpcr(FPCR_RMODE(m));
            write_fpsr(0);
            double ri = frinti(x);
            u64 f1 = read_fpsr();
            double rx = frintx(x);
            u64 f2 = read_fpsr();
            write_fpcr(0);
            ck_idx(frinti_name[m], (u64)i, dbits(ri), integral_bits(xb, want));
            ck_idx("frinti flags", (u64)i, f1, 0);
            ck_idx(frintx_name[m], (u64)i, dbits(rx), integral_bits(xb, want));
            ck_idx("frintx flags", (u64)i, f2, inex ? FPSR_IXC : 0);
        }
    }
    /* Saturation and NaN. */
    write_fpsr(0);
    ck("fcvtzs(1e300)", (u64)fcvtzs(1e300), 0x7fffffffffffffffUL);
    ck("fcvtzs(-1e300)", (u64)fcvtzs(-1e300), SIGN64);
    ck("fcvtzu(-1.0)", fcvtzu(-1.0), 0);
    ck("fcvtzu(2^64)", fcvtzu(bitsd(0x43f0000000000000UL)), ~0UL);
    ck("fcvtzs(NaN)", (u64)fcvtzs(bitsd(0x7ff8000000000000UL)), 0);
    ck("fcvtzs(-inf)", (u64)fcvtzs(bitsd(0xfff0000000000000UL)), SIGN64);
    ck("fcvtzs w(3e9)", (u64)(u32)fcvtzs_w(3e9), 0x7fffffff);
    ck("saturation flags", read_fpsr(), FPSR_IOC);
    write_fpsr(0);
}

void test_int_to_float(void)
{
    static const u64 fixed[] = {
        0, 1, (1UL << 53) + 1, (1UL << 53) + 3, (1UL << 54) + 2, (1UL << 54) + 6, ~0UL, SIGN64,
        SIGN64 + 1, 0x7fffffffffffffffUL, (u64)-((1L << 53) + 1), (u64)-((1L << 53) + 3),
        0x0123456789abcdefUL, 0xfedcba9876543210UL, (1UL << 24) + 1, (u64)-((1L << 24) + 1),
    };
    u64 seed = 0x5851f42d4c957f2dUL;
    for (int i = 0; i < 64; i++) {
        u64 v = i < 16 ? fixed[i] : xs64(&seed) >> (xs64(&seed) % 40);
        for (int m = 0; m < 4; m++) {
            write_fpcr(FPCR_RMODE(m));
            double s = scvtf((s64)v), u = ucvtf(v);
            float sf = scvtf_s((s64)v);
            write_fpcr(0);
            int neg = (s64)v < 0;
            u64 mag = neg ? -v : v;
            ck_idx(scvtf_name[m], (u64)i, dbits(s), v ? round_to_format(neg, mag, 0, m, 53) : 0);
            ck_idx(ucvtf_name[m], (u64)i, dbits(u), v ? round_to_format(0, v, 0, m, 53) : 0);
            ck_idx(scvtf_s_name[m], (u64)i, fbits(sf), v ? round_to_format(neg, mag, 0, m, 24) : 0);
        }
    }
#ifndef NUMERIC_SCALAR_ONLY
    /* C casts of values in memory: gcc loads them into D registers and uses
     * the AdvSIMD scalar forms (SCVTF/UCVTF Dd, Dn), so not in the
     * scalar-only build. */
    volatile s64 big = (1L << 53) + 1;
    volatile u64 ubig = ~0UL;
    ck("(double)(2^53+1)", dbits((double)big), 0x4340000000000000UL);
    ck("(double)(2^64-1)", dbits((double)ubig), 0x43f0000000000000UL);
#endif
}

void test_fpcr_modes(void)
{
    /* FCVT double -> single in each mode (normal results). */
    u64 seed = 0x14057b7ef767814fUL;
    for (int i = 0; i < 64; i++) {
        u64 r = xs64(&seed);
        u64 xb = (r & SIGN64) | ((u64)(1023 - 100 + (r >> 52) % 200) << 52) | ((r >> 3) & ((1UL << 52) - 1));
        u64 m;
        int e;
        decompose(xb, &m, &e);
        for (int md = 0; md < 4; md++) {
            write_fpcr(FPCR_RMODE(md));
            float f = fcvt_ds(bitsd(xb));
            write_fpcr(0);
            ck_idx(fcvt_name[md], (u64)i, fbits(f), round_to_format((int)(xb >> 63), m, e, md, 24));
        }
    }

    /* Arithmetic in each mode, closed forms. */
    static const u64 add_up[4]  = { 0x3ff0000000000000UL, 0x3ff0000000000001UL, 0x3ff0000000000000UL, 0x3ff0000000000000UL };
    static const u64 sub_dn[4]  = { 0x3ff0000000000000UL, 0x3ff0000000000000UL, 0x3fefffffffffffffUL, 0x3fefffffffffffffUL };
    static const u64 mul[4]     = { 0x3ff0000000000002UL, 0x3ff0000000000003UL, 0x3ff0000000000002UL, 0x3ff0000000000002UL };
    static const u64 third[4]   = { 0x3fd5555555555555UL, 0x3fd5555555555556UL, 0x3fd5555555555555UL, 0x3fd5555555555555UL };
    static const u64 mthird[4]  = { 0xbfd5555555555555UL, 0xbfd5555555555555UL, 0xbfd5555555555556UL, 0xbfd5555555555555UL };
    static const u64 ovf[4]     = { 0x7ff0000000000000UL, 0x7ff0000000000000UL, 0x7fefffffffffffffUL, 0x7fefffffffffffffUL };
    static const u64 cancel[4]  = { 0, 0, SIGN64, 0 };   /* x - x is -0 in RM only */
    double one = 1.0, tiny = bitsd(0x3c30000000000000UL);   /* 2^-60 */
    double onep = bitsd(0x3ff0000000000001UL), big = bitsd(0x7fefffffffffffffUL);
    for (int m = 0; m < 4; m++) {
        write_fpcr(FPCR_RMODE(m));
        double a = fadd_d(one, tiny), s = fadd_d(one, -tiny), p = fmul_d(onep, onep);
        double t = fdiv_d(1.0, 3.0), mt = fdiv_d(-1.0, 3.0), o = fadd_d(big, big), c = fadd_d(one, -one);
        write_fpcr(0);
        ck(mode_name[m], dbits(a), add_up[m]);
        ck(mode_name[m], dbits(s), sub_dn[m]);
        ck(mode_name[m], dbits(p), mul[m]);
        ck(mode_name[m], dbits(t), third[m]);
        ck(mode_name[m], dbits(mt), mthird[m]);
        ck(mode_name[m], dbits(o), ovf[m]);
        ck(mode_name[m], dbits(c), cancel[m]);
    }

    /* FZ: subnormal inputs and results are flushed to (signed) zero. */
    double sub = bitsd(0x000fffffffffffffUL), msub = bitsd(0x800fffffffffffffUL);
    write_fpsr(0);
    write_fpcr(FPCR_FZ);
    double z1 = fadd_d(sub, 0.0), z2 = fmul_d(msub, 1.0);
    double z3 = fmul_d(bitsd(0x0010000000000000UL), 0.5);   /* min normal / 2: result flushed */
    write_fpcr(0);
    u64 fz_flags = read_fpsr();
    ck("FZ subnormal + 0", dbits(z1), 0);
    ck("FZ -subnormal * 1", dbits(z2), SIGN64);
    ck("FZ min normal * 0.5", dbits(z3), 0);
    ck("FZ flags", fz_flags, FPSR_IDC | FPSR_UFC);   /* flushing a result raises no Inexact */
    write_fpsr(0);
    ck("no FZ subnormal * 1", dbits(fmul_d(msub, 1.0)), 0x800fffffffffffffUL);
    ck("no FZ min normal * 0.5", dbits(fmul_d(bitsd(0x0010000000000000UL), 0.5)), 0x0008000000000000UL);
    ck("no FZ flags", read_fpsr(), 0);

    /* DN: NaN results are the default NaN. */
    double qnan = bitsd(0xfff8000000001234UL);
    write_fpcr(FPCR_DN);
    double d1 = fadd_d(qnan, 1.0);
    write_fpcr(0);
    double d2 = fadd_d(qnan, 1.0);
    ck("DN=1 NaN + 1", dbits(d1), 0x7ff8000000000000UL);
    ck("DN=0 NaN + 1", dbits(d2), 0xfff8000000001234UL);
    write_fpsr(0);
    ck("1/0", dbits(fdiv_d(1.0, 0.0)), 0x7ff0000000000000UL);
    ck("1/0 flags", read_fpsr(), FPSR_DZC);
    write_fpsr(0);
}
