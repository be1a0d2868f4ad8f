/* pauth: definitions shared by pauth.c and pauth_asm.S. */
#ifndef PAUTH_H
#define PAUTH_H

#include "lower.h"

#ifndef __ASSEMBLER__
extern char vectors_el3[], vectors_el2[], vectors_el1[], ret_hvc[], ret_smc[];
u64 lower_call3(u64 fn, u64 spsr, u64 arg, u64 stub);
extern char braa_landing[], el1_pacia_i[], el1_pacga_i[], el1_autiasp_i[], el1_xpaci_i[];
extern char el1_rd_apiakeylo_i[], el1_wr_apdbkeyhi_i[], el1_rd_apgakeylo_i[];
extern char el1_pacia[], el1_pacga[], el1_autiasp[], el1_xpaci[], el1_rd_apiakeylo[], el1_wr_apdbkeyhi[], el1_rd_apgakeylo[];
extern char do_braa[], do_blraa[], do_retaa[], do_retaa_bad[], do_ldraa[], do_ldraa_wb[], do_ldrab[];
u64 pauth_handler(struct frame *f);
u64 el2_call(void *fn, u64 arg0, u64 arg1);
u64 lower_call_eretaa(u64 fn, u64 spsr, u64 arg, u64 stub, u64 corrupt);
#endif

#endif
