/*
 * exceptions: one vector table per EL (VBAR_EL3/EL2/EL1). 2 KiB aligned,
 * 16 entries of 0x80 bytes: current EL with SP0, current EL with SPx, lower EL
 * AArch64, lower EL AArch32; each sync/IRQ/FIQ/SError.
 *
 * Every entry builds a struct exc_frame (see exceptions.h) on SP_ELx:
 * x0..x30, ELR, SPSR, ESR, FAR of the handling EL, the vector offset taken,
 * the handling EL and DAIF on handler entry; calls exc_handler(frame); then
 * restores ELR/SPSR (which the C handler may have changed) and all GPRs and ERETs.
 */
#include "frame.h"
#define FRAME_SIZE 320

    .macro VTABLE el
    .section .text.vectors_el\el, "ax"
    .balign 2048
    .globl  vectors_el\el
vectors_el\el:
    VECTOR_ENTRIES FRAME_SIZE, exc_common_el\el
exc_common_el\el:
    FRAME_SAVE_GPRS
    FRAME_SAVE_SYSREGS \el
    mrs     x2, daif
    str     x2, [sp, #296]
    mov     x0, sp
    bl      exc_handler
    FRAME_RESTORE_ELR_SPSR \el
    FRAME_RESTORE_ERET FRAME_SIZE
    .endm

    VTABLE 3
    VTABLE 2
    VTABLE 1

/*
 * void eret_to(u64 target, u64 spsr)
 * ERET from the current EL (1, 2 or 3) to el_entry_stub in the mode given by
 * spsr; the stub records NZCV as seen on arrival in g_entry_nzcv (NZCV is
 * readable at every EL) and branches to target, which must never return.
 * The target EL's stack pointer must already be set up.
 */
    .text
    .globl  eret_to
    .type   eret_to, %function
eret_to:
    adr     x2, el_entry_stub
    mrs     x3, CurrentEL
    cmp     x3, #(3 << 2)
    b.eq    3f
    cmp     x3, #(2 << 2)
    b.eq    2f
    msr     elr_el1, x2
    msr     spsr_el1, x1
    eret
2:  msr     elr_el2, x2
    msr     spsr_el2, x1
    eret
3:  msr     elr_el3, x2
    msr     spsr_el3, x1
    eret
    .size   eret_to, . - eret_to

el_entry_stub:
    mrs     x9, nzcv
    adrp    x10, g_entry_nzcv
    str     x9, [x10, :lo12:g_entry_nzcv]
    msr     nzcv, xzr
    br      x0
