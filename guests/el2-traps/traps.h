/* el2-traps: definitions shared by traps.c and traps_asm.S. */
#ifndef EL2_TRAPS_H
#define EL2_TRAPS_H

#define FRAME_SIZE 304      /* struct frame */
#define SENT       0x5e47   /* what a probe returns when its instruction did not execute */
#define RET_IMM    0x7e7e   /* HVC/SMC/SVC immediate of the lower-EL return stubs */

#ifndef __ASSEMBLER__
#include "rt.h"

struct frame {
    u64 x[31];
    u64 elr, spsr, esr, far, off, el, pad;
};
_Static_assert(sizeof(struct frame) == FRAME_SIZE, "frame layout shared with traps_asm.S");

extern char vectors_el3[], vectors_el2[], vectors_el1[];
extern char ret_hvc[], ret_smc[], ret_svc[], ret_wfi[], ret_wfi_i[];
u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub);
u64 trap_handler(struct frame *f);
#endif

#endif
