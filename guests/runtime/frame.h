/*
 * armvisor guest runtime: assembler macros for exception vector tables, the
 * register frame their entries build on SP_ELx, and jump buffers. For .S
 * files (#include "frame.h").
 *
 * Frame layout (from sp): x0..x30 at 0..247; with FRAME_SAVE_SYSREGS also
 * ELR, SPSR (248, 256), ESR, FAR (264, 272) of the handling EL, the vector
 * offset (280, passed in x1 by the entry) and the handling EL (288).
 */
#ifndef ARMVISOR_FRAME_H
#define ARMVISOR_FRAME_H

/* One vector entry: push a frame of `size` bytes, save x0/x1, x1 = the
 * entry's offset, branch to `target`. */
    .macro VECTOR_ENTRY size, off, target
    .balign 0x80
    sub     sp, sp, #\size
    stp     x0, x1, [sp, #0]
    mov     x1, #\off
    b       \target
    .endm

/* The sixteen entries of a vector table (the caller aligns it to 2 KiB). */
    .macro VECTOR_ENTRIES size, target
    VECTOR_ENTRY \size, 0x000, \target
    VECTOR_ENTRY \size, 0x080, \target
    VECTOR_ENTRY \size, 0x100, \target
    VECTOR_ENTRY \size, 0x180, \target
    VECTOR_ENTRY \size, 0x200, \target
    VECTOR_ENTRY \size, 0x280, \target
    VECTOR_ENTRY \size, 0x300, \target
    VECTOR_ENTRY \size, 0x380, \target
    VECTOR_ENTRY \size, 0x400, \target
    VECTOR_ENTRY \size, 0x480, \target
    VECTOR_ENTRY \size, 0x500, \target
    VECTOR_ENTRY \size, 0x580, \target
    VECTOR_ENTRY \size, 0x600, \target
    VECTOR_ENTRY \size, 0x680, \target
    VECTOR_ENTRY \size, 0x700, \target
    VECTOR_ENTRY \size, 0x780, \target
    .endm

/* x2..x30 into the frame (the entry saved x0, x1). */
    .macro FRAME_SAVE_GPRS
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    .endm

/* ELR, SPSR, ESR, FAR of EL`el`, the vector offset (x1) and `el`. Uses x2, x3. */
    .macro FRAME_SAVE_SYSREGS el
    mrs     x2, elr_el\el
    mrs     x3, spsr_el\el
    stp     x2, x3, [sp, #248]
    mrs     x2, esr_el\el
    mrs     x3, far_el\el
    stp     x2, x3, [sp, #264]
    mov     x2, #\el
    stp     x1, x2, [sp, #280]
    .endm

/* ELR and SPSR of EL`el` back from the frame (a handler may have changed them). */
    .macro FRAME_RESTORE_ELR_SPSR el
    ldp     x2, x3, [sp, #248]
    msr     elr_el\el, x2
    msr     spsr_el\el, x3
    .endm

/* x0..x30 back, pop the frame of `size` bytes, ERET. */
    .macro FRAME_RESTORE_ERET size
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #\size
    eret
    .endm

/* The vector table `vectors_el<el>` (global, 2 KiB aligned, in its own
 * section) whose every entry saves a frame of `size` bytes with the sysregs
 * of EL`el` and calls `handler`(frame), which returns:
 *   0  restore the frame (the handler may have changed ELR/SPSR) and ERET;
 *   1  longjmp through the jump buffer `jb` (JB_LOAD) with x0 = frame.x1;
 *   2  HVC #`ret_imm` with x0 = 0, x1 = frame.x1 (pass a return on to EL2). */
    .macro HANDLER_VECTORS el, size, handler, jb, ret_imm
    .section .text.vectors_el\el, "ax"
    .balign 2048
    .globl  vectors_el\el
vectors_el\el:
    VECTOR_ENTRIES \size, common_el\el
common_el\el:
    FRAME_SAVE_GPRS
    FRAME_SAVE_SYSREGS \el
    mov     x0, sp
    bl      \handler
    cmp     x0, #1
    b.eq    1f
    b.hi    2f
    FRAME_RESTORE_ELR_SPSR \el
    FRAME_RESTORE_ERET \size
1:  ldr     x0, [sp, #8]
    adrp    x9, \jb
    add     x9, x9, :lo12:\jb
    JB_LOAD x9, x10
    ret
2:  ldr     x1, [sp, #8]
    mov     x0, xzr
    hvc     #\ret_imm
    b       .
    .endm

/* Jump buffers of 112 bytes: x19..x30, then sp. `tmp` is a scratch register. */
    .macro JB_SAVE jb, tmp
    stp     x19, x20, [\jb, #0]
    stp     x21, x22, [\jb, #16]
    stp     x23, x24, [\jb, #32]
    stp     x25, x26, [\jb, #48]
    stp     x27, x28, [\jb, #64]
    stp     x29, x30, [\jb, #80]
    mov     \tmp, sp
    str     \tmp, [\jb, #96]
    .endm

    .macro JB_LOAD jb, tmp
    ldp     x19, x20, [\jb, #0]
    ldp     x21, x22, [\jb, #16]
    ldp     x23, x24, [\jb, #32]
    ldp     x25, x26, [\jb, #48]
    ldp     x27, x28, [\jb, #64]
    ldp     x29, x30, [\jb, #80]
    ldr     \tmp, [\jb, #96]
    mov     sp, \tmp
    .endm

#endif
