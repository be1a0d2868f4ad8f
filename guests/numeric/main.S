/*
 * numeric guest: main() enables FP/AdvSIMD before any C code of this guest
 * runs (that code is compiled without -mgeneral-regs-only, so gcc may use
 * SIMD&FP registers anywhere in it, prologues included). EL1 only: sets
 * CPACR_EL1.FPEN = 0b11 (no trap at EL1 or EL0), ISB, then tail-calls
 * numeric_main(). At any other EL it prints a message and returns 1.
 * The shared runtime (start.S, printf, exit) stays -mgeneral-regs-only.
 */
    .text
    .globl  main
    .type   main, %function
main:
    mrs     x0, CurrentEL
    cmp     x0, #(1 << 2)
    b.ne    1f
    mov     x0, #(3 << 20)            // CPACR_EL1.FPEN = 0b11
    msr     cpacr_el1, x0
    isb
    b       numeric_main
1:  stp     x29, x30, [sp, #-16]!
    adrp    x0, wrong_el
    add     x0, x0, :lo12:wrong_el
    bl      uart_puts
    mov     w0, #1
    ldp     x29, x30, [sp], #16
    ret
    .size   main, . - main

    .section .rodata.numeric_main, "a"
wrong_el:
    .asciz  "numeric: runs at EL1 only\n"
