/*
 * isa: tests that need labels/literals outside inline asm: ADR/ADRP, LDR
 * (literal), B/BL/BLR/BR/RET. Each function returns a pair {got, want} in
 * x0/x1 (a 16-byte struct in AAPCS64); "want" always comes from an absolute
 * address stored by the linker in a .quad, never from the instruction tested.
 */
    .text

    .macro FUNC name
    .globl \name
    .type \name, %function
    .balign 16
\name:
    .endm

/* ADR forward */
FUNC isa_adr_fwd
    adr     x0, 1f
    ldr     x1, 2f
    ret
1:  nop
    .balign 8
2:  .quad   1b

/* ADR backward (target before the instruction) */
    .balign 16
3:  nop
FUNC isa_adr_back
    adr     x0, 3b
    ldr     x1, 4f
    ret
    .balign 8
4:  .quad   3b

/* ADRP to a symbol in another page: want = absolute address (C masks it). */
FUNC isa_adrp
    adrp    x0, isa_far_data
    ldr     x1, 1f
    ret
    .balign 8
1:  .quad   isa_far_data

/* ADRP + ADD :lo12: gives the full address */
FUNC isa_adrp_add
    adrp    x0, isa_far_data
    add     x0, x0, :lo12:isa_far_data
    ldr     x1, 1f
    ret
    .balign 8
1:  .quad   isa_far_data

/* LDR (literal) forms. Literals are naturally aligned. */
    .balign 8
lit_back64:
    .quad   0xfedcba9876543210
FUNC isa_ldr_lit64
    ldr     x0, 1f
    ldr     x1, 2f
    ret
    .balign 8
1:  .quad   0x0123456789abcdef
2:  .quad   0x0123456789abcdef

FUNC isa_ldr_lit64_back
    ldr     x0, lit_back64
    ldr     x1, 1f
    ret
    .balign 8
1:  .quad   0xfedcba9876543210

/* LDR Wt literal zero-extends; LDRSW literal sign-extends. Returns {w, sw}. */
FUNC isa_ldr_lit32
    mov     x0, #-1
    ldr     w0, 1f
    ldrsw   x1, 1f
    prfm    pldl1keep, 1f          // PRFM (literal) is a hint: no effect
    ret
    .balign 4
1:  .word   0x89abcdef

/* BL: x30 = address of the instruction after the BL */
FUNC isa_bl
    mov     x9, x30
    bl      1f
2:  b       2b                     // never executed
1:  mov     x0, x30
    ldr     x1, 3f
    mov     x30, x9
    ret
    .balign 8
3:  .quad   2b

/* BLR: link register = next instruction; the callee returns with RET */
FUNC isa_blr
    stp     x29, x30, [sp, #-16]!
    mov     x0, #0
    ldr     x2, 5f
    blr     x2
4:  ldr     x1, 6f
    ldp     x29, x30, [sp], #16
    ret
    .balign 8
5:  .quad   isa_blr_target
6:  .quad   4b
isa_blr_target:
    mov     x0, x30
    ret

/* BR: returns {1, 1} if the branch went to its target */
FUNC isa_br
    ldr     x2, 2f
    mov     x0, #0
    br      x2
    mov     x0, #0xbad
1:  add     x0, x0, #1
    mov     x1, #1
    ret
    .balign 8
2:  .quad   1b

/* RET Xn with a register other than x30: {2, 2} */
FUNC isa_ret_reg
    ldr     x3, 2f
    mov     x0, #0
    ret     x3
    mov     x0, #0xbad
    ret
1:  mov     x0, #2
    mov     x1, #2
    ret
    .balign 8
2:  .quad   1b

/* B forward then backward: {3, 3} */
FUNC isa_b_fwd_back
    mov     x0, #0
    b       2f
    mov     x0, #0xbad
    ret
1:  add     x0, x0, #3
    mov     x1, #3
    ret
2:  b       1b

    .data
    .balign 4096
    .space  0x1230
    .globl  isa_far_data
isa_far_data:
    .quad   0
