/*
 * numeric guest: an EL1 vector table that turns an UNDEFINED instruction
 * (synchronous exception, current EL with SP_ELx, ESR_EL1.EC == 0) into a
 * jump back to the group runner, so one unimplemented instruction fails its
 * group and the remaining groups still run. Every other exception goes to
 * the runtime's default entry (prints UNEXPECTED EXCEPTION, exits 99).
 *
 * numeric_setjmp(buf) / numeric_longjmp(buf, val): the callee-saved state
 * (x19-x30, sp, d8-d15).
 */
    .macro  to_default off
    .balign 0x80
    b       rt_default_vectors + \off
    .endm

    .section .text.numeric_vectors, "ax"
    .balign 2048
    .globl  numeric_vectors
numeric_vectors:
    to_default 0x000
    to_default 0x080
    to_default 0x100
    to_default 0x180
    .balign 0x80                        // 0x200: synchronous, current EL, SP_ELx
    stp     x0, x1, [sp, #-16]!
    mrs     x0, esr_el1
    lsr     x0, x0, #26
    cbnz    x0, 1f
    mrs     x0, elr_el1
    adrp    x1, numeric_undef_pc
    str     x0, [x1, :lo12:numeric_undef_pc]
    adr     x1, numeric_undef_trampoline
    msr     elr_el1, x1
    ldp     x0, x1, [sp], #16
    eret
1:  ldp     x0, x1, [sp], #16
    b       rt_default_vectors + 0x200
    to_default 0x280
    to_default 0x300
    to_default 0x380
    to_default 0x400
    to_default 0x480
    to_default 0x500
    to_default 0x580
    to_default 0x600
    to_default 0x680
    to_default 0x700
    to_default 0x780

numeric_undef_trampoline:
    b       numeric_undefined           // (C, does not return)

    .text
    .globl  numeric_setjmp
    .type   numeric_setjmp, %function
numeric_setjmp:
    stp     x19, x20, [x0, #0]
    stp     x21, x22, [x0, #16]
    stp     x23, x24, [x0, #32]
    stp     x25, x26, [x0, #48]
    stp     x27, x28, [x0, #64]
    stp     x29, x30, [x0, #80]
    mov     x16, sp
    str     x16, [x0, #96]
    stp     d8, d9, [x0, #104]
    stp     d10, d11, [x0, #120]
    stp     d12, d13, [x0, #136]
    stp     d14, d15, [x0, #152]
    mov     w0, #0
    ret
    .size   numeric_setjmp, . - numeric_setjmp

    .globl  numeric_longjmp
    .type   numeric_longjmp, %function
numeric_longjmp:
    ldp     x19, x20, [x0, #0]
    ldp     x21, x22, [x0, #16]
    ldp     x23, x24, [x0, #32]
    ldp     x25, x26, [x0, #48]
    ldp     x27, x28, [x0, #64]
    ldp     x29, x30, [x0, #80]
    ldr     x16, [x0, #96]
    mov     sp, x16
    ldp     d8, d9, [x0, #104]
    ldp     d10, d11, [x0, #120]
    ldp     d12, d13, [x0, #136]
    ldp     d14, d15, [x0, #152]
    cmp     w1, #0
    csinc   w0, w1, wzr, ne             // never return 0 from a longjmp
    ret
    .size   numeric_longjmp, . - numeric_longjmp
