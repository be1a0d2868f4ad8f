/*
 * ras: vector tables for EL3, EL2 and EL1, the lower-EL call (as
 * guests/el2-traps') and one probe per instruction under test.
 * ras_handler's result: 0 restore the frame and ERET; 1 abandon the lower
 * call in progress at this EL (lower_call returns frame.x1); 2 (EL1) pass
 * the return on to EL2 with HVC #RET_IMM.
 */
    .arch_extension ras
#include "ras.h"
#include "frame.h"

    HANDLER_VECTORS 3, FRAME_SIZE, ras_handler, jb_el3, RET_IMM
    HANDLER_VECTORS 2, FRAME_SIZE, ras_handler, jb_el2, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, ras_handler, jb_el1, RET_IMM

    .bss
    .balign 16
jb_el3: .skip 112
jb_el2: .skip 112
jb_el1: .skip 112
    .balign 16
el1_stack: .skip 4096
el1_stack_top:
el2_stack: .skip 8192
el2_stack_top:

    .text
/* u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub): at EL2 or EL3, ERET
 * to fn in the mode spsr gives with x0 = arg, x30 = stub; returns fn's x0.
 * LOWER_CALL (lower.h) at the caller's EL. */
    .globl  lower_call
    .type   lower_call, %function
lower_call:
    mrs     x9, CurrentEL
    cmp     x9, #(3 << 2)
    b.eq    lower_call_el3
    b       lower_call_el2
    .size   lower_call, . - lower_call
    LOWER_CALL lower_call_el2, 2, jb_el2, sp1=el1_stack_top
    LOWER_CALL lower_call_el3, 3, jb_el3, sp2=el2_stack_top, sp1=el1_stack_top

    RET_STUB ret_hvc, hvc
    RET_STUB ret_smc, smc

/* Probes: MRSP, MSRP (lower.h). */
    MRSP erridr, erridr_el1, 3
    MSRP wr_errselr, errselr_el1, 4
    MRSP erxfr, erxfr_el1, 5
    MRSP erxstatus, erxstatus_el1, 6
    MSRP wr_erxctlr, erxctlr_el1, 7
    MRSP erxaddr, erxaddr_el1, 8
    MSRP wr_erxmisc1, erxmisc1_el1, 9
    MRSP disr, disr_el1, 10
    MSRP wr_disr, disr_el1, 11

/* A load from x0: p_ldr_i is the LDR. */
    .globl  p_ldr, p_ldr_i
p_ldr:
    mov     x1, x0
    mov     x0, #SENT
p_ldr_i:
    ldr     x0, [x1]
    ret

/* ESB, then DISR_EL1 (VDISR_EL2 at EL1 under HCR_EL2.AMO). */
    .globl  p_esb_disr, p_esb_disr_i
p_esb_disr:
p_esb_disr_i:
    esb
    mrs     x0, disr_el1
    ret

/* Unmask SErrors, then ESB: p_unmask_esb_i is the ESB. */
    .globl  p_unmask_esb, p_unmask_esb_i
p_unmask_esb:
    msr     daifclr, #4
p_unmask_esb_i:
    esb
    mov     x0, #0x77
    ret

/* The first instruction of a function entered with SErrors unmasked. */
    .globl  p_nop, p_nop_i
p_nop:
p_nop_i:
    nop
    mov     x0, #0x66
    ret

/* ESB at the current EL (nothing pending): returns 0x55. */
    .globl  p_esb
p_esb:
    esb
    mov     x0, #0x55
    ret
