/*
 * armvisor guest runtime: entry point.
 *
 * Entered at EL3, EL2 or EL1 with the MMU off, DAIF masked and SP undefined.
 * Selects SP_ELx, points it at the linker-script stack, zeroes .bss,
 * installs a catch-all vector table for the boot EL, calls main() and
 * passes its return value to exit().
 */
    .section .text.boot, "ax"
    .globl  _start
    .type   _start, %function
_start:
    msr     spsel, #1                 // use SP_ELx (EL1h/EL2h/EL3h)
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0
    mov     x29, #0
    mov     x30, #0

    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16       // __bss_start/__bss_end are 16-aligned
    b       1b
2:
    bl      rt_install_default_vectors
    bl      main
    bl      exit                      // does not return
3:  wfi
    b       3b
    .size   _start, . - _start

/*
 * Default vector table: any exception the guest did not expect ends up in
 * rt_unexpected_exception(), which prints the syndrome and exits with code 99.
 * Each entry passes its offset in x0.
 */
    .macro  rt_vec off
    .balign 0x80
    sub     sp, sp, #16
    stp     x0, x30, [sp]
    mov     x0, #\off
    b       rt_vec_common
    .endm

    .section .text.rt_vectors, "ax"
    .balign 2048
    .globl  rt_default_vectors
rt_default_vectors:
    rt_vec 0x000
    rt_vec 0x080
    rt_vec 0x100
    rt_vec 0x180
    rt_vec 0x200
    rt_vec 0x280
    rt_vec 0x300
    rt_vec 0x380
    rt_vec 0x400
    rt_vec 0x480
    rt_vec 0x500
    rt_vec 0x580
    rt_vec 0x600
    rt_vec 0x680
    rt_vec 0x700
    rt_vec 0x780

rt_vec_common:
    bl      rt_unexpected_exception   // (offset) -> does not return
4:  wfi
    b       4b

    .text
    .globl  rt_install_default_vectors
    .type   rt_install_default_vectors, %function
rt_install_default_vectors:
    adrp    x0, rt_default_vectors
    add     x0, x0, :lo12:rt_default_vectors
    mrs     x1, CurrentEL
    ubfx    x1, x1, #2, #2
    cmp     x1, #3
    b.eq    13f
    cmp     x1, #2
    b.eq    12f
    cmp     x1, #1
    b.ne    10f
    msr     vbar_el1, x0
    b       10f
12: msr     vbar_el2, x0
    b       10f
13: msr     vbar_el3, x0
10: isb
    ret
    .size   rt_install_default_vectors, . - rt_install_default_vectors
