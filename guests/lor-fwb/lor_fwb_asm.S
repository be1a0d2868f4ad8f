/*
 * lor-fwb: vector tables for EL2 and EL1, the lower-EL call (lower.h)
 * and the probes: one instruction each at a known address (p_NAME_i),
 * preceded by what the probe returns if the instruction is skipped or its
 * exception abandons the call. An exception at EL1 is passed on to EL2 by
 * HVC (handler result 2).
 */
#include "lor_fwb.h"
#include "frame.h"

    HANDLER_VECTORS 2, FRAME_SIZE, lor_fwb_handler, jb, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, lor_fwb_handler, jb, RET_IMM

    .bss
    .balign 16
jb:     .skip 112
    .balign 16
lower_stack: .skip 4096
lower_stack_top:

    .text
/* u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub): see lower.h. EL1 and EL0 share one stack. */
    LOWER_CALL lower_call, 2, jb, sp1=lower_stack_top, sp0=lower_stack_top
    RET_STUB ret_hvc, hvc
    RET_STUB ret_svc, svc

    /* FEAT_LOR registers (S3_0_C10_C4_<op2>) */
    PROBE lorsa, SENT, mrs x0, lorsa_el1
    PROBE wr_lorea, 0, msr lorea_el1, x1
    PROBE lorn, SENT, mrs x2, lorn_el1
    PROBE wr_lorc, 0, msr lorc_el1, x1
    PROBE lorid, SENT, mrs x0, lorid_el1
    PROBE wr_lorid, 0, msr s3_0_c10_c4_7, x1
    /* LDLAR/STLLR: x1 = address */
    PROBE ldlar, SENT, ldlar x0, [x1]
    PROBE stllrb, 0, stllrb w1, [x1]

/* u64 lor_roundtrip(u64 *p, u64 v): STLLR X/W/H/B then LDLAR of each size; the four loaded values summed. */
    .globl  lor_roundtrip
    .type   lor_roundtrip, %function
lor_roundtrip:
    stllr   x1, [x0]
    ldlar   x2, [x0]
    stllr   w1, [x0, #0]
    ldlar   w3, [x0]
    stllrh  w1, [x0]
    ldlarh  w4, [x0]
    stllrb  w1, [x0]
    ldlarb  w5, [x0]
    add     x0, x2, x3
    add     x0, x0, x4
    add     x0, x0, x5
    ret
    .size   lor_roundtrip, . - lor_roundtrip

/* u64 at_s12e1r(u64 va): AT S12E1R at EL2; returns PAR_EL1. */
    .globl  at_s12e1r
    .type   at_s12e1r, %function
at_s12e1r:
    at      s12e1r, x0
    isb
    mrs     x0, par_el1
    ret
    .size   at_s12e1r, . - at_s12e1r
