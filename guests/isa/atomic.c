/*
 * isa: LSE atomics (ARMv8.1). Each check covers the value returned in Rt
 * (the old memory value, zero-extended to the register) and the memory
 * afterwards, including neighbouring bytes that must be left untouched.
 */
#include "check.h"

static u64 abuf[4] __attribute__((aligned(16)));

/* %0 = Rt (old value), %1 = Rs (operand), %2 = address */
#define ATOM(insn, ptr, s) ({ u64 _o; __asm__ volatile("mov %x0, #-1\n\t" insn \
    : "=&r"(_o) : "r"((u64)(s)), "r"(ptr) : "memory"); _o; })
/* CAS: %0 = Rs (compare value in, old value out), %1 = Rt (new value), %2 = address */
#define CAS(insn, ptr, cmp, newv) ({ u64 _c = (cmp); __asm__ volatile(insn \
    : "+r"(_c) : "r"((u64)(newv)), "r"(ptr) : "memory"); _c; })

static void reset(u64 v)
{
    abuf[0] = v;
    abuf[1] = 0x5a5a5a5a5a5a5a5aUL;
}

void test_atomic(void)
{
    u8 *b = (u8 *)abuf;

    reset(0x10);
    check("ldadd_x_old", ATOM("ldadd %1, %0, [%2]", abuf, 5), 0x10);
    check("ldadd_x_mem", abuf[0], 0x15);
    reset(0xaaaaaaaaffffffffUL);
    check("ldadda_w_old", ATOM("ldadda %w1, %w0, [%2]", abuf, 1), 0xffffffffUL);
    check("ldadda_w_mem", abuf[0], 0xaaaaaaaa00000000UL);
    reset(0x000000000000ffffUL);
    check("ldaddal_h_old", ATOM("ldaddalh %w1, %w0, [%2]", abuf, 2), 0xffff);
    check("ldaddal_h_mem", abuf[0], 0x0001);
    reset(0x00000000000000ffUL);
    check("ldaddlb_old", ATOM("ldaddlb %w1, %w0, [%2]", abuf, 0x101), 0xff);
    check("ldaddlb_mem", abuf[0], 0x0000);

    reset(0xff00ff00ff00ff00UL);
    check("ldclr_x_old", ATOM("ldclr %1, %0, [%2]", abuf, 0x0f0f0f0f0f0f0f0fUL), 0xff00ff00ff00ff00UL);
    check("ldclr_x_mem", abuf[0], 0xf000f000f000f000UL);
    reset(0x1234ffffUL);
    check("ldclralh_old", ATOM("ldclralh %w1, %w0, [%2]", abuf, 0x0f0f), 0xffff);
    check("ldclralh_mem", abuf[0], 0x1234f0f0UL);

    reset(0x9912345678UL);
    check("ldeorl_w_old", ATOM("ldeorl %w1, %w0, [%2]", abuf, 0xffffffffUL), 0x12345678UL);
    check("ldeorl_w_mem", abuf[0], 0x99edcba987UL);
    reset(0x11aaUL);
    check("ldeorab_old", ATOM("ldeorab %w1, %w0, [%2]", abuf, 0xff), 0xaa);
    check("ldeorab_mem", abuf[0], 0x1155UL);

    reset(1);
    check("ldseta_x_old", ATOM("ldseta %1, %0, [%2]", abuf, 0x8000000000000000UL), 1);
    check("ldseta_x_mem", abuf[0], 0x8000000000000001UL);
    reset(0x0201UL);
    check("ldsetb_old", ATOM("ldsetb %w1, %w0, [%2]", b + 1, 0x80), 0x02);
    check("ldsetb_mem", abuf[0], 0x8201UL);

    reset(0xffffffffUL);
    check("ldsmax_w_old", ATOM("ldsmax %w1, %w0, [%2]", abuf, 1), 0xffffffffUL);
    check("ldsmax_w_mem", abuf[0], 1);                       /* max(-1, 1) = 1 */
    reset(5);
    check("ldsmaxal_x_old", ATOM("ldsmaxal %1, %0, [%2]", abuf, 0x8000000000000000UL), 5);
    check("ldsmaxal_x_mem", abuf[0], 5);
    reset(0x7fUL);
    check("ldsminb_old", ATOM("ldsminb %w1, %w0, [%2]", abuf, 0x80), 0x7f);
    check("ldsminb_mem", abuf[0], 0x80);                     /* min(127, -128) */
    reset(0x8000UL);
    check("ldsminlh_old", ATOM("ldsminlh %w1, %w0, [%2]", abuf, 0x7fff), 0x8000);
    check("ldsminlh_mem", abuf[0], 0x8000);
    reset(0xffffffffUL);
    check("ldumax_w_old", ATOM("ldumax %w1, %w0, [%2]", abuf, 1), 0xffffffffUL);
    check("ldumax_w_mem", abuf[0], 0xffffffffUL);
    reset(0x7fUL);
    check("ldumaxab_old", ATOM("ldumaxab %w1, %w0, [%2]", abuf, 0x80), 0x7f);
    check("ldumaxab_mem", abuf[0], 0x80);
    reset(5);
    check("ldumin_x_old", ATOM("ldumin %1, %0, [%2]", abuf, 3), 5);
    check("ldumin_x_mem", abuf[0], 3);
    reset(0x8000UL);
    check("lduminh_old", ATOM("lduminh %w1, %w0, [%2]", abuf, 0x7fff), 0x8000);
    check("lduminh_mem", abuf[0], 0x7fff);

    reset(0x1111);
    check("swp_x_old", ATOM("swp %1, %0, [%2]", abuf, 0x2222), 0x1111);
    check("swp_x_mem", abuf[0], 0x2222);
    reset(0x3311UL);
    check("swpalb_old", ATOM("swpalb %w1, %w0, [%2]", abuf, 0x122), 0x11);
    check("swpalb_mem", abuf[0], 0x3322UL);
    reset(0x77771111UL);
    check("swplh_old", ATOM("swplh %w1, %w0, [%2]", abuf, 0xabcd), 0x1111);
    check("swplh_mem", abuf[0], 0x7777abcdUL);
    reset(0xffffffff00000001UL);
    check("swpa_w_old", ATOM("swpa %w1, %w0, [%2]", abuf, 0x80000000UL), 1);
    check("swpa_w_mem", abuf[0], 0xffffffff80000000UL);

    /* ST<op> aliases: no register result */
    reset(1);
    __asm__ volatile("stadd %0, [%1]" : : "r"(2UL), "r"(abuf) : "memory");
    check("stadd_mem", abuf[0], 3);
    reset(0xffUL);
    __asm__ volatile("stclrlb %w0, [%1]" : : "r"(0x0fUL), "r"(abuf) : "memory");
    check("stclrlb_mem", abuf[0], 0xf0);

    /* CAS family: Rs receives the old value whether or not the store happens */
    reset(0x42);
    check("cas_x_ok_old", CAS("cas %0, %1, [%2]", abuf, 0x42, 0x99), 0x42);
    check("cas_x_ok_mem", abuf[0], 0x99);
    reset(0x42);
    check("cas_x_fail_old", CAS("cas %0, %1, [%2]", abuf, 0x41, 0x99), 0x42);
    check("cas_x_fail_mem", abuf[0], 0x42);
    reset(0x1122334455667788UL);
    check("casal_w_ok_old", CAS("casal %w0, %w1, [%2]", b + 4, 0x11223344, 0xaabbccdd), 0x11223344);
    check("casal_w_ok_mem", abuf[0], 0xaabbccdd55667788UL);
    check("casab_fail_old", CAS("casab %w0, %w1, [%2]", b, 0x87, 0x00), 0x88);
    check("casab_fail_mem", abuf[0], 0xaabbccdd55667788UL);
    check("caslh_ok_old", CAS("caslh %w0, %w1, [%2]", b + 2, 0xffff5566UL, 0x1234), 0x5566);
    check("caslh_ok_mem", abuf[0], 0xaabbccdd12347788UL);
    check("casa_x_ok_old", CAS("casa %0, %1, [%2]", abuf, 0xaabbccdd12347788UL, 0), 0xaabbccdd12347788UL);
    check("casa_x_ok_mem", abuf[0], 0);

    /* CASP: Xs/Xs+1 compared with the pair at [Xn] (Xs <-> lower address) */
    {
        abuf[0] = 0x1111; abuf[1] = 0x2222;
        register u64 s0 __asm__("x4") = 0x1111, s1 __asm__("x5") = 0x2222;
        register u64 t0 __asm__("x6") = 0xaaaa, t1 __asm__("x7") = 0xbbbb;
        __asm__ volatile("casp x4, x5, x6, x7, [%4]" : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(abuf) : "memory");
        check("casp_ok_old", (s0 << 16) | s1, 0x11112222UL);
        check("casp_ok_mem", (abuf[0] << 16) | abuf[1], 0xaaaabbbbUL);
    }
    {
        register u64 s0 __asm__("x4") = 0xaaaa, s1 __asm__("x5") = 0x2222;
        register u64 t0 __asm__("x6") = 0x1, t1 __asm__("x7") = 0x2;
        __asm__ volatile("caspal x4, x5, x6, x7, [%4]" : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(abuf) : "memory");
        check("caspal_fail_old", (s0 << 16) | s1, 0xaaaabbbbUL);
        check("caspal_fail_mem", (abuf[0] << 16) | abuf[1], 0xaaaabbbbUL);
    }
    {
        abuf[0] = 0x0000000200000001UL;
        register u64 s0 __asm__("x4") = 1, s1 __asm__("x5") = 2;
        register u64 t0 __asm__("x6") = 0x33, t1 __asm__("x7") = 0x44;
        __asm__ volatile("caspa w4, w5, w6, w7, [%4]" : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(abuf) : "memory");
        check("caspa_w_ok_old", (s0 << 16) | s1, 0x10002UL);
        check("caspa_w_ok_mem", abuf[0], 0x0000004400000033UL);
    }
}
