/*
 * vhe: vector tables for EL2 and EL1, the lower-EL call and return
 * mechanism, and the probes: one instruction each at a known address
 * (p_NAME_i), preceded by what the probe returns if the instruction is
 * skipped or its exception abandons the call.
 *
 * Vector tables: every entry builds a struct frame (vhe.h) on SP_ELx and
 * calls vhe_handler(frame). Its result:
 *   0  restore the frame (the handler may have changed ELR) and ERET;
 *   1  abandon the lower-EL call in progress: lower_call() returns frame.x1
 *      to its caller (a longjmp through jb);
 *   2  (EL1 only) pass the return on to EL2: HVC #RET_IMM with x1 = frame.x1.
 */
#include "vhe.h"
#include "frame.h"

    HANDLER_VECTORS 2, FRAME_SIZE, vhe_handler, jb, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, vhe_handler, jb, RET_IMM

    .bss
    .balign 16
jb:     .skip 112
    .balign 16
el1_stack: .skip 4096
el1_stack_top:

/*
 * The host's EL0 data page (its stack at the top): EL0 and EL2 read and
 * write it (AP = 0b01), nobody executes it.
 */
    .section .bss.el0_page, "aw", %nobits
    .balign PAGE_SIZE
    .globl  el0_page
el0_page:
    .skip   PAGE_SIZE
el0_stack_top:

    .text
/*
 * u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub): see lower.h. At EL2,
 * x30 = ret_hvc from EL1, ret_svc from the host's EL0; SP_EL1 and SP_EL0
 * are reset first.
 */
    LOWER_CALL lower_call, 2, jb, sp1=el1_stack_top, sp0=el0_stack_top

/* The EL1 return stub: the called function's result travels in x1. */
    RET_STUB ret_hvc, hvc

/* ---- probes run at EL2 (and EL1) ---- */

    PROBE sctlr_el12, SENT, mrs x0, sctlr_el12
    PROBE cntv_ctl_el02, SENT, mrs x0, cntv_ctl_el02
    PROBE fpcr, 0, mrs x2, fpcr
    PROBE ldp, SENT, ldp x0, x2, [x1]
    PROBE ldtr, SENT, ldtr x0, [x1]
    PROBE cntpct, 0, mrs x2, cntpct_el0
    PROBE cntp_ctl, 0, mrs x2, cntp_ctl_el0

/*
 * The host's EL0 code page: EL0 and EL2 may read and execute it (AP =
 * 0b11), so it holds nothing but the EL0 probes and their return stub.
 */
    .section .text.el0, "ax"
    .balign PAGE_SIZE
    .globl  el0_code
el0_code:
    RET_STUB ret_svc, svc

    PROBE e0_svc, 0, svc #0x42
    PROBE e0_undef, SENT, mrs x0, sctlr_el1
    PROBE e0_ldp, SENT, ldp x0, x2, [x1]
    PROBE e0_cntpct, 0, mrs x2, cntpct_el0
    PROBE e0_cntvct, SENT, mrs x0, cntvct_el0
    PROBE e0_cntp_ctl, SENT, mrs x0, cntp_ctl_el0
    PROBE e0_cntv_ctl, SENT, mrs x0, cntv_ctl_el0
    PROBE e0_fpcr, 0, mrs x2, fpcr
    .balign PAGE_SIZE
