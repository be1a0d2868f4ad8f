/*
 * nv: vector tables for EL2 and EL1, the lower-EL call (lower.h)
 * and the probes: one instruction each at a known address (p_NAME_i),
 * preceded by what the probe returns if the instruction is skipped or its
 * exception abandons the call. An exception at EL1 is passed on to EL2 by
 * HVC (handler result 2), never returned from by ERET, which HCR_EL2.NV traps.
 */
#include "nv.h"
#include "frame.h"

    HANDLER_VECTORS 2, FRAME_SIZE, nv_handler, jb, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, nv_handler, jb, RET_IMM

    .bss
    .balign 16
jb:     .skip 112
    .balign 16
el1_stack: .skip 4096
el1_stack_top:

    .text
/* u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub): see lower.h. */
    LOWER_CALL lower_call, 2, jb, sp1=el1_stack_top
    RET_STUB ret_hvc, hvc

    PROBE currentel, SENT, mrs x0, CurrentEL
    PROBE hcr_el2, SENT, mrs x0, hcr_el2
    PROBE wr_vbar_el2, 0, msr vbar_el2, x1
    PROBE sctlr_el12, SENT, mrs x3, sctlr_el12
    PROBE wr_cntv_ctl_el02, 0, msr cntv_ctl_el02, x1
    PROBE sp_el1, SENT, mrs x0, sp_el1
    PROBE spsr_el2, SENT, mrs x0, spsr_el2
    PROBE eret, SENT, eret
    PROBE vbar_el1, SENT, mrs x0, vbar_el1
    PROBE wr_elr_el1, 0, msr elr_el1, x1
    PROBE spsr_el1, SENT, mrs x0, spsr_el1
    PROBE at_s1e1r, 0, at s1e1r, x1
    PROBE at_s1e0w, 0, at s1e0w, x1
    PROBE tlbi_alle2, 0, tlbi alle2
    PROBE at_s1e2r, 0, at s1e2r, x1
    PROBE svc, 0, svc #0x33
    PROBE sp_el2, SENT, mrs x0, sp_el2
    /* FEAT_NV1 descriptor and FEAT_NV2 probes */
    PROBE sctlr_el12_x0, SENT, mrs x0, sctlr_el12
    PROBE sctlr_el1, SENT, mrs x0, sctlr_el1
    PROBE wr_vttbr_el2, 0, msr vttbr_el2, x1
    PROBE wr_elr_el2, 0, msr elr_el2, x1
    PROBE wr_sp_el1, 0, msr sp_el1, x1
    PROBE call, SENT, br x1
    PROBE ldtr, SENT, ldtr x0, [x1]
    PROBE wr_ich_lr1_el2, 0, msr ich_lr1_el2, x1
    PROBE ich_vtr_el2, SENT, mrs x0, ich_vtr_el2

/* LDR with PSTATE.PAN set: p_pan_ldr_i is the LDR. */
    .globl  p_pan_ldr, p_pan_ldr_i
    .type   p_pan_ldr, %function
p_pan_ldr:
    mov     x1, x0
    mov     x0, #SENT
    msr     pan, #1
p_pan_ldr_i:
    ldr     x0, [x1]
    msr     pan, #0
    ret
    .size   p_pan_ldr, . - p_pan_ldr

/* AT S1E0R, x0; returns PAR_EL1. */
    .globl  p_at_s1e0r_par
    .type   p_at_s1e0r_par, %function
p_at_s1e0r_par:
    at      s1e0r, x0
    isb
    mrs     x0, par_el1
    ret
    .size   p_at_s1e0r_par, . - p_at_s1e0r_par
