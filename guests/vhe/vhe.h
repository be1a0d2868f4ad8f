/* vhe: definitions shared by vhe.c and vhe_asm.S. */
#ifndef VHE_H
#define VHE_H

#include "lower.h"

#ifndef __ASSEMBLER__

extern char vectors_el2[], vectors_el1[];
extern char ret_hvc[], ret_svc[];
extern char el0_code[], el0_page[];
u64 vhe_handler(struct frame *f);
#endif

#endif
