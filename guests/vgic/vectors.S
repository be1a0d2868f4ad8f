/*
 * vgic guest: EL2 and EL1 vector tables, and run_at_el1().
 *
 * run_at_el1(fn) saves EL2's callee-saved registers, enters fn at EL1h with
 * DAIF masked on its own stack, and returns when fn's trampoline executes
 * HVC #0 (taken to EL2's lower-EL synchronous vector). EL2's lower-EL IRQ
 * vector calls el2_irq() (the maintenance interrupt); EL1's current-EL IRQ
 * vector calls el1_irq(). Anything else is unexpected (rt_unexpected_exception).
 */
    .macro  unexpected off
    .balign 0x80
    mov     x0, #\off
    b       rt_unexpected_exception
    .endm

    /* Call a C handler from an IRQ vector: save the caller-saved registers
     * of the interrupted code, call, restore, return from the exception. */
    .macro  irq_call fn
    .balign 0x80
    stp     x0, x1, [sp, #-176]!
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x29, [sp, #144]
    str     x30, [sp, #160]
    bl      \fn
    b       irq_return
    .endm

    .section .text.vgic_vectors, "ax"
    .balign 2048
    .globl  el2_vectors
el2_vectors:
    unexpected 0x000
    unexpected 0x080
    unexpected 0x100
    unexpected 0x180
    unexpected 0x200
    unexpected 0x280
    unexpected 0x300
    unexpected 0x380
    .balign 0x80                      // 0x400: lower EL synchronous: HVC #0 ends run_at_el1
    b       el2_lower_sync
    irq_call el2_irq                  // 0x480: lower EL IRQ
    unexpected 0x500
    unexpected 0x580
    unexpected 0x600
    unexpected 0x680
    unexpected 0x700
    unexpected 0x780

    .balign 2048
    .globl  el1_vectors
el1_vectors:
    unexpected 0x000
    unexpected 0x080
    unexpected 0x100
    unexpected 0x180
    unexpected 0x200
    irq_call el1_irq                  // 0x280: current EL with SP_ELx, IRQ
    unexpected 0x300
    unexpected 0x380
    unexpected 0x400
    unexpected 0x480
    unexpected 0x500
    unexpected 0x580
    unexpected 0x600
    unexpected 0x680
    unexpected 0x700
    unexpected 0x780

    .text
irq_return:
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x29, [sp, #144]
    ldr     x30, [sp, #160]
    ldp     x0, x1, [sp], #176
    eret

el2_lower_sync:
    mrs     x0, esr_el2
    lsr     x1, x0, #26
    cmp     x1, #0x16                 // HVC from AArch64
    b.ne    1f
    adrp    x0, el2_saved
    add     x0, x0, :lo12:el2_saved
    ldp     x19, x20, [x0, #0]
    ldp     x21, x22, [x0, #16]
    ldp     x23, x24, [x0, #32]
    ldp     x25, x26, [x0, #48]
    ldp     x27, x28, [x0, #64]
    ldp     x29, x30, [x0, #80]
    ldr     x1, [x0, #96]
    mov     sp, x1
    ret                               // from run_at_el1
1:  mov     x0, #0x400
    b       rt_unexpected_exception

/* void run_at_el1(void (*fn)(void)): fn runs at EL1h, DAIF masked. */
    .globl  run_at_el1
    .type   run_at_el1, %function
run_at_el1:
    adrp    x1, el2_saved
    add     x1, x1, :lo12:el2_saved
    stp     x19, x20, [x1, #0]
    stp     x21, x22, [x1, #16]
    stp     x23, x24, [x1, #32]
    stp     x25, x26, [x1, #48]
    stp     x27, x28, [x1, #64]
    stp     x29, x30, [x1, #80]
    mov     x2, sp
    str     x2, [x1, #96]
    adrp    x2, el1_stack_top
    add     x2, x2, :lo12:el1_stack_top
    msr     sp_el1, x2
    adrp    x2, el1_vectors
    add     x2, x2, :lo12:el1_vectors
    msr     vbar_el1, x2
    adr     x2, el1_trampoline
    msr     elr_el2, x2
    mov     x2, #0x3c5                // EL1h, DAIF masked
    msr     spsr_el2, x2
    isb
    eret                              // x0 = fn
    .size   run_at_el1, . - run_at_el1

el1_trampoline:
    blr     x0
    hvc     #0
    b       .

    .bss
    .balign 16
el2_saved:
    .skip   112
    .balign 16
el1_stack:
    .skip   8192
el1_stack_top:
