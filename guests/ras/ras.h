/* ras: definitions shared by ras.c and ras_asm.S. */
#ifndef RAS_H
#define RAS_H

#include "lower.h"

#ifndef __ASSEMBLER__
extern char vectors_el3[], vectors_el2[], vectors_el1[];
extern char ret_hvc[], ret_smc[];
u64 ras_handler(struct frame *f);
#endif

#endif
