/*
 * pauth: vector tables for EL2 and EL1, the lower-EL calls (lower.h),
 * a call at EL2 that an exception abandons (el2_call), and the code the
 * checks run: BRAA/BLRAA/RETAA/LDRAA routines and the EL1 probes.
 */
#include "pauth.h"
#include "frame.h"

    HANDLER_VECTORS 3, FRAME_SIZE, pauth_handler, jb3, RET_IMM
    HANDLER_VECTORS 2, FRAME_SIZE, pauth_handler, jb, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, pauth_handler, jb, RET_IMM

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

    .text
/* u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub): see lower.h. */
    LOWER_CALL lower_call, 2, jb, sp1=el1_stack_top

/* u64 lower_call_eretaa(u64 fn, u64 spsr, u64 arg, u64 stub, u64 corrupt):
 * lower_call by ERETAA: ELR_EL2 = fn signed with key IA and SP as the
 * modifier (PACIA), its PAC XORed with `corrupt`. */
    .globl  lower_call_eretaa
    .type   lower_call_eretaa, %function
lower_call_eretaa:
    adrp    x9, jb
    add     x9, x9, :lo12:jb
    JB_SAVE x9, x10
    adrp    x10, el1_stack_top
    add     x10, x10, :lo12:el1_stack_top
    msr     sp_el1, x10
    mov     x10, sp
    pacia   x0, x10
    eor     x0, x0, x4
    msr     elr_el2, x0
    msr     spsr_el2, x1
    mov     x0, x2
    mov     x30, x3
    isb
    eretaa
    .size   lower_call_eretaa, . - lower_call_eretaa

/* u64 lower_call3(u64 fn, u64 spsr, u64 arg, u64 stub): lower_call at EL3 (its own jump buffer, EL2's stack). */
    LOWER_CALL lower_call3, 3, jb3, sp2=el2_stack_top
    RET_STUB ret_smc, smc
    RET_STUB ret_hvc, hvc

/* u64 el2_call(fn, a0, a1): fn(a0, a1) at EL2; TRAPPED when an exception
 * taken to EL2 abandons it (the handler returns 1: the jump buffer). */
    .globl  el2_call
    .type   el2_call, %function
el2_call:
    adrp    x9, jb
    add     x9, x9, :lo12:jb
    JB_SAVE x9, x10
    mov     x9, x0
    mov     x0, x1
    mov     x1, x2
    blr     x9
    adrp    x9, jb
    add     x9, x9, :lo12:jb
    ldp     x29, x30, [x9, #80]
    ret
    .size   el2_call, . - el2_call

/* BRAA x0, x1 to braa_landing (signed by the caller), which returns 0x77. */
    .globl  do_braa, do_blraa, braa_landing, do_retaa, do_retaa_bad, do_ldraa, do_ldraa_wb, do_ldrab
do_braa:
    braa    x0, x1
do_blraa:
    mov     x3, x30
    blraa   x0, x1
    mov     x30, x3
    ret
braa_landing:
    mov     x0, #0x77
    ret
/* A signed return: PACIASP ... RETAA returns 0x55; the bad one corrupts the PAC. */
do_retaa:
    paciasp
    mov     x0, #0x55
    retaa
do_retaa_bad:
    paciasp
    eor     x30, x30, #(1 << 45)
    mov     x0, #0x55
    retaa
/* LDRAA x0, [x0, #8]; LDRAA x2, [x0, #-16]! (returns the written-back base); LDRAB x0, [x0]. */
do_ldraa:
    ldraa   x0, [x0, #8]
    ret
do_ldraa_wb:
    ldraa   x2, [x0, #-16]!
    ret
do_ldrab:
    ldrab   x0, [x0]
    ret

/* EL1 probes: x0 = the argument; the instruction at el1_*_i. */
    .globl  el1_pacia, el1_pacia_i, el1_pacga, el1_pacga_i, el1_autiasp, el1_autiasp_i, el1_xpaci, el1_xpaci_i
    .globl  el1_rd_apiakeylo, el1_rd_apiakeylo_i, el1_wr_apdbkeyhi, el1_wr_apdbkeyhi_i, el1_rd_apgakeylo, el1_rd_apgakeylo_i
el1_pacia:
    mov     x1, #0x1234
el1_pacia_i:
    pacia   x0, x1
    ret
el1_pacga:
    mov     x1, #0x1234
el1_pacga_i:
    pacga   x0, x0, x1
    ret
el1_autiasp:
    mov     x2, x30
    mov     x30, x0
el1_autiasp_i:
    autiasp
    mov     x0, x30
    mov     x30, x2
    ret
el1_xpaci:
el1_xpaci_i:
    xpaci   x0
    ret
el1_rd_apiakeylo:
el1_rd_apiakeylo_i:
    mrs     x0, apiakeylo_el1
    ret
el1_wr_apdbkeyhi:
    mov     x1, x0
el1_wr_apdbkeyhi_i:
    msr     apdbkeyhi_el1, x1
    mov     x0, #0
    ret
el1_rd_apgakeylo:
el1_rd_apgakeylo_i:
    mrs     x0, apgakeylo_el1
    ret
