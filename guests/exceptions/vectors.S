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
#define FRAME_SIZE 320

    .macro VENTRY el, off
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x1, #\off
    b       exc_common_el\el
    .endm

    .macro VTABLE el
    .section .text.vectors_el\el, "ax"
    .balign 2048
    .globl  vectors_el\el
vectors_el\el:
    VENTRY \el, 0x000
    VENTRY \el, 0x080
    VENTRY \el, 0x100
    VENTRY \el, 0x180
    VENTRY \el, 0x200
    VENTRY \el, 0x280
    VENTRY \el, 0x300
    VENTRY \el, 0x380
    VENTRY \el, 0x400
    VENTRY \el, 0x480
    VENTRY \el, 0x500
    VENTRY \el, 0x580
    VENTRY \el, 0x600
    VENTRY \el, 0x680
    VENTRY \el, 0x700
    VENTRY \el, 0x780

exc_common_el\el:
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
    mrs     x2, elr_el\el
    mrs     x3, spsr_el\el
    stp     x2, x3, [sp, #248]
    mrs     x2, esr_el\el
    mrs     x3, far_el\el
    stp     x2, x3, [sp, #264]
    mov     x2, #\el
    stp     x1, x2, [sp, #280]
    mrs     x2, daif
    str     x2, [sp, #296]
    mov     x0, sp
    bl      exc_handler
    ldp     x2, x3, [sp, #248]
    msr     elr_el\el, x2
    msr     spsr_el\el, x3
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
    add     sp, sp, #FRAME_SIZE
    eret
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
