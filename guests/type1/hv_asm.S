/*
 * type1 hypervisor: the EL2 vector table and the way into and out of the guests.
 *
 * u64 hv_enter(struct frame *f): keeps EL2's callee-saved registers and SP
 * in a jump buffer, copies *f to a frame on the EL2 stack and returns from
 * it (ERET) into a guest. Every exception to EL2 then builds a frame there
 * (runtime/frame.h) and calls hv_trap(frame); hv_trap may rewrite the frame
 * (another guest's registers, ELR and SPSR) and returns 0 to resume from it,
 * or non-zero when every guest is done: hv_enter then returns that value.
 */
#include "frame.h"

    .text
    .globl  hv_enter
    .type   hv_enter, %function
hv_enter:
    adrp    x9, hv_jb
    add     x9, x9, :lo12:hv_jb
    JB_SAVE x9, x10
    sub     sp, sp, #304
    mov     x9, #0
1:  ldr     x10, [x0, x9]
    str     x10, [sp, x9]
    add     x9, x9, #8
    cmp     x9, #304
    b.lo    1b
    b       hv_resume
    .size   hv_enter, . - hv_enter

    .balign 2048
    .globl  hv_vectors
hv_vectors:
    VECTOR_ENTRIES 304, hv_vector_common

hv_vector_common:
    FRAME_SAVE_GPRS
    FRAME_SAVE_SYSREGS 2
    mov     x0, sp
    bl      hv_trap
    cbnz    x0, hv_leave
hv_resume:
    FRAME_RESTORE_ELR_SPSR 2
    FRAME_RESTORE_ERET 304

hv_leave:
    adrp    x9, hv_jb
    add     x9, x9, :lo12:hv_jb
    JB_LOAD x9, x10
    ret

    .bss
    .balign 16
hv_jb:
    .skip   112
