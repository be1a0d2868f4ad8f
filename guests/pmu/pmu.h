/* pmu: definitions shared by pmu.c and pmu_asm.S. */
#ifndef PMU_GUEST_H
#define PMU_GUEST_H

#include "lower.h"

#ifndef __ASSEMBLER__
extern char vectors_el3[], vectors_el2[], vectors_el1[];
extern char ret_hvc[], ret_svc[], ret_smc[];
u64 lower_call3(u64 fn, u64 spsr, u64 arg, u64 stub);
u64 pmu_handler(struct frame *f);

/* Straight-line sequences (pmu_asm.S): two reads of a counter around 100 NOPs. */
u64 nops100_evcnt0(void);
u64 nops100_evcnt2(void);
u64 nops100_ccnt(void);
u64 ccnt_640(u64 pmcr);   /* MSR PMCR_EL0 = pmcr, 640 NOPs, MRS PMCCNTR_EL0 */
void spin(u64 n);           /* n iterations of SUBS + B.NE */
extern char el0_nops50[], el1_nops30[], el0_svc5[];
#endif

#endif
