/*
 * pmu: vector tables for EL2 and EL1, the lower-EL calls (lower.h), the
 * straight-line sequences whose instruction counts the checks know, and the
 * probes: one instruction each at p_NAME_i, preceded by what the probe
 * returns (SENT) if the instruction is skipped.
 */
#include "pmu.h"
#include "frame.h"

    HANDLER_VECTORS 3, FRAME_SIZE, pmu_handler, jb3, RET_IMM
    HANDLER_VECTORS 2, FRAME_SIZE, pmu_handler, jb, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, pmu_handler, jb, RET_IMM

    .bss
    .balign 16
jb:     .skip 112
jb3:    .skip 112
    .balign 16
el2_stack: .skip 16384
el2_stack_top:
    .balign 16
el1_stack: .skip 4096
el1_stack_top:
el0_stack: .skip 4096
el0_stack_top:

    .text
/* u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub): see lower.h. */
    LOWER_CALL lower_call, 2, jb, sp1=el1_stack_top, sp0=el0_stack_top

/* u64 lower_call3(u64 fn, u64 spsr, u64 arg, u64 stub): the same from EL3
 * (to EL2 or EL1, returning by ret_smc), with its own jump buffer and EL2 stack. */
    LOWER_CALL lower_call3, 3, jb3, sp2=el2_stack_top, sp1=el1_stack_top

/* Return stubs (3 instructions each: the instruction counts depend on it): the result travels in x1. */
    RET_STUB ret_smc, smc
    RET_STUB ret_hvc, hvc
    RET_STUB ret_svc, svc

    .macro NOPS100 name, reg
    .globl  \name
\name:
    mrs     x1, \reg
    .rept   100
    nop
    .endr
    mrs     x2, \reg
    sub     x0, x2, x1
    ret
    .endm
    NOPS100 nops100_evcnt0, pmevcntr0_el0
    NOPS100 nops100_evcnt2, pmevcntr2_el0
    NOPS100 nops100_ccnt, pmccntr_el0

    .globl  ccnt_640
ccnt_640:
    msr     pmcr_el0, x0
    .rept   640
    nop
    .endr
    mrs     x0, pmccntr_el0
    ret

    .globl  spin
spin:
1:  subs    x0, x0, #1
    b.ne    1b
    ret

/* At EL0: 51 instructions, then ret_svc's 3. */
    .globl  el0_nops50
el0_nops50:
    .rept   50
    nop
    .endr
    ret
/* At EL1: 31 instructions, then ret_hvc's 3. */
    .globl  el1_nops30
el1_nops30:
    .rept   30
    nop
    .endr
    ret
/* At EL0: five SVCs (EL1 returns to the next instruction). */
    .globl  el0_svc5
el0_svc5:
    svc     #1
    svc     #2
    svc     #3
    svc     #4
    svc     #5
    ret

/* Probes (lower.h; the Rt numbers are those the syndromes report; caller-saved
 * registers only). The MSR probes return 0. */
    MRSP pmcr_r, pmcr_el0, 5
    MSRP pmcr_w, pmcr_el0, 6, 1
    MRSP pmccntr_r, pmccntr_el0, 7
    MSRP pmccntr_w, pmccntr_el0, 8, 1
    MSRP pmuserenr_w, pmuserenr_el0, 9, 1
    MRSP pmuserenr_r, pmuserenr_el0, 10
    MRSP pmevcntr0_r, pmevcntr0_el0, 11
    MRSP pmevcntr2_r, pmevcntr2_el0, 12
    MRSP pmxevcntr_r, pmxevcntr_el0, 13
    MRSP pmcntenset_r, pmcntenset_el0, 14
    MSRP pmselr_w, pmselr_el0, 15, 1
    MSRP pmswinc_w, pmswinc_el0, 16, 1
    MRSP pmintenset_r, pmintenset_el1, 17
    MSRP pmceid0_w, S3_3_C9_C12_6, 3, 1
    MRSP pmswinc_r, S3_3_C9_C12_4, 4
    MRSP pmevcntr4_r, S3_3_C14_C8_4, 2
