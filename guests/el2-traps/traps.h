/* el2-traps: definitions shared by traps.c and traps_asm.S. */
#ifndef EL2_TRAPS_H
#define EL2_TRAPS_H

#include "lower.h"

#ifndef __ASSEMBLER__

extern char vectors_el3[], vectors_el2[], vectors_el1[];
extern char ret_hvc[], ret_smc[], ret_svc[], ret_wfi[], ret_wfi_i[];
u64 trap_handler(struct frame *f);
#endif

#endif
