/* nv: definitions shared by nv.c and nv_asm.S. */
#ifndef NV_H
#define NV_H

#include "lower.h"

#ifndef __ASSEMBLER__

extern char vectors_el2[], vectors_el1[], ret_hvc[];
u64 nv_handler(struct frame *f);
#endif

#endif
