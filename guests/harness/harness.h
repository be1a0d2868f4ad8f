/*
 * Differential conformance harness: the layout of the block table the host
 * places in RAM, shared with tools/conformance/layout.ts (keep them in step).
 */
#ifndef HARNESS_H
#define HARNESS_H
#include "rt.h"

#define TABLE_ADDR      0x42000000UL   /* block table (QEMU: -device loader,force-raw=on) */
#define TABLE_MAGIC     0x464e4f43u    /* "CONF" */
#define TABLE_VERSION   2u
#define BLOCK_MAGIC     0x4b4c4230u    /* "0BLK" */
#define SWEEP_V         0x44000000UL   /* sweep: every register's value; a copy of the vectors lives here */

#define MODE_CAMPAIGN   0u
#define MODE_SWEEP      1u

/* header flags */
#define HF_FULL         1u             /* full state dump for every block */

/* block flags */
#define BF_EL0          1u             /* run the block at EL0t (else EL1t) */
#define BF_ALIGN        2u             /* SCTLR_EL1.A = 1 while it runs */
#define BF_FULL         4u             /* full state dump for this block */

struct table_header {
    u32 magic, version, mode, count;
    u64 window;                        /* campaign: scratch window address */
    u32 window_size, flags;
    u64 first;                         /* offset of the first record from TABLE_ADDR */
    u64 base_index;                    /* sweep: index of the first encoding (printed) */
};

#define NSYS 8
/* The system registers seeded before and dumped after each block, in this order. */
#define SYSREG_LIST(X) X(tpidr_el0) X(tpidrro_el0) X(tpidr_el1) X(contextidr_el1) \
                       X(mair_el1) X(far_el1) X(esr_el1) X(par_el1)

struct block {
    u32 magic, ncode, flags, id;
    u64 seed;                          /* window contents */
    u64 x[31];
    u64 sp;                            /* SP_EL0 */
    u64 spsr;                          /* PSTATE at entry (M is set from BF_EL0) */
    u64 sys[NSYS];
    u64 v[64];                         /* V0-V31 at entry, each as (low, high) */
    u64 fpcr, fpsr;                    /* FPCR (RMode, FZ, DN, AHP) and FPSR at entry */
    u32 code[];                        /* ncode words, the last one `svc #0` */
};

/* enter_block's argument and the state captured at the end of a block
 * (harness_asm.S uses these offsets). */
struct cpu_state {
    u64 x[31];
    u64 sp;                            /* offset 248 */
    u64 pc;                            /* 256 */
    u64 spsr;                          /* 264 */
    u64 v[64];                         /* 272: V0-V31, 16 bytes each (low, high) */
    u64 fpcr;                          /* 784 */
    u64 fpsr;                          /* 792 */
    u64 with_fp;                       /* 800: enter_block loads V0-V31, FPCR, FPSR (not in sweep mode: FPEN = 0) */
} __attribute__((aligned(16)));

void enter_block(const struct cpu_state *s);   /* returns when the block has ended */
void save_fp(u64 *v);                  /* V0-V31 to v[0..63], FPCR to v[64], FPSR to v[65] */
int harness_exception(u64 offset, u64 *frame);
extern char hv_vectors[];
extern char hv_vectors_end[];

#endif
