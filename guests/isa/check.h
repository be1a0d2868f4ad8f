/* Shared PASS/FAIL bookkeeping for the isa guest. */
#ifndef ISA_CHECK_H
#define ISA_CHECK_H
#include "rt.h"

#define NZCV_N 0x80000000UL
#define NZCV_Z 0x40000000UL
#define NZCV_C 0x20000000UL
#define NZCV_V 0x10000000UL

/* Result register is pre-loaded with all-ones so that a 32-bit form that
 * fails to zero bits [63:32] is caught. %0 = result, %1.. = inputs. */
#define R1(insn, a) ({ u64 _r; __asm__ volatile("mov %x0, #-1\n\t" insn \
    : "=&r"(_r) : "r"((u64)(a)) : "cc"); _r; })
#define R2(insn, a, b) ({ u64 _r; __asm__ volatile("mov %x0, #-1\n\t" insn \
    : "=&r"(_r) : "r"((u64)(a)), "r"((u64)(b)) : "cc"); _r; })
#define R3(insn, a, b, c) ({ u64 _r; __asm__ volatile("mov %x0, #-1\n\t" insn \
    : "=&r"(_r) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c)) : "cc"); _r; })
/* Destination is also a source (MOVK, BFM...): %0 starts as d. */
#define RD1(insn, d, a) ({ u64 _r = (d); __asm__ volatile(insn \
    : "+r"(_r) : "r"((u64)(a)) : "cc"); _r; })
#define RD0(insn, d) ({ u64 _r = (d); __asm__ volatile(insn : "+r"(_r) : : "cc"); _r; })

/* With flags: NZCV is set to fin first, read back into fout afterwards.
 * %0 = result, %1 = flags out, %2 = a, %3 = b. */
#define R2F(insn, a, b, fin, fout) ({ u64 _r, _f; __asm__ volatile( \
    "mov %x0, #-1\n\tmsr nzcv, %4\n\t" insn "\n\tmrs %1, nzcv" \
    : "=&r"(_r), "=&r"(_f) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(fin)) : "cc"); \
    (fout) = _f; _r; })
/* Flags only (CMP, CCMP, TST...): %0 = flags out, %1 = a, %2 = b. */
#define F2(insn, a, b, fin) ({ u64 _f; __asm__ volatile( \
    "msr nzcv, %3\n\t" insn "\n\tmrs %0, nzcv" \
    : "=&r"(_f) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(fin)) : "cc"); _f; })
/* Result depends on incoming flags only (CSEL...): %0 = result, %1 = a, %2 = b. */
#define RC2(insn, a, b, fin) ({ u64 _r; __asm__ volatile( \
    "mov %x0, #-1\n\tmsr nzcv, %3\n\t" insn \
    : "=&r"(_r) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(fin)) : "cc"); _r; })

void test_alu(void);
void test_branch(void);
void test_mem(void);
void test_atomic(void);
void test_system(void);

#endif
