/* nv: definitions shared by nv.c and nv_asm.S. */
#ifndef NV_H
#define NV_H

#define FRAME_SIZE 304      /* struct frame */
#define SENT       0x5e47   /* what a probe returns when its instruction did not execute */
#define TRAPPED    0x7a9d   /* what lower_call returns when the lower EL took an exception */
#define RET_IMM    0x7e7e   /* HVC/SVC immediate of the lower-EL return stubs */
#define PAGE_SIZE  4096

#ifndef __ASSEMBLER__
#include "rt.h"

struct frame {
    u64 x[31];
    u64 elr, spsr, esr, far, off, el, pad;
};
_Static_assert(sizeof(struct frame) == FRAME_SIZE, "frame layout shared with nv_asm.S");

extern char vectors_el2[], vectors_el1[], ret_hvc[];
u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub);
u64 nv_handler(struct frame *f);
#endif

#endif
