/*
 * Conformance harness: block entry and the EL1 vector table.
 *
 * A block runs at EL1t or EL0t (SP_EL0 is the block's stack pointer); the
 * vectors run on SP_EL1, which is the harness's own stack, so nothing the
 * block does to its registers or SP can hurt the harness. enter_block also
 * loads the block's V0-V31, FPCR and FPSR (CPACR_EL1.FPEN = 0b11 in
 * campaign mode). Every vector
 * entry is position-independent (the sweep copies the table elsewhere).
 */
#include "frame.h"
#define FRAME 256

/*
 * The SIMD&FP instructions the harness needs (seeding V0-V31, FPCR and FPSR
 * before a block, saving them after it) are emitted as data words:
 * guests/Makefile's check-nofp fails a guest whose disassembly shows an
 * FP/SIMD instruction, to catch ones the compiler emitted by mistake (the C
 * code is built with -mgeneral-regs-only, so it never touches V0-V31, FPCR or
 * FPSR, and the vectors below do not either: the block's SIMD&FP state
 * survives the exceptions it takes). These are the deliberate ones.
 */
    .macro  ldr_q t, n, off             // ldr q\t, [x\n, #\off] (off: a multiple of 16)
    .word   0x3dc00000 | (((\off) / 16) << 10) | ((\n) << 5) | (\t)
    .endm
    .macro  str_q t, n, off             // str q\t, [x\n, #\off]
    .word   0x3d800000 | (((\off) / 16) << 10) | ((\n) << 5) | (\t)
    .endm
    .macro  msr_fpcr t                  // msr fpcr, x\t
    .word   0xd51b4400 | (\t)
    .endm
    .macro  msr_fpsr t                  // msr fpsr, x\t
    .word   0xd51b4420 | (\t)
    .endm
    .macro  mrs_fpcr t                  // mrs x\t, fpcr
    .word   0xd53b4400 | (\t)
    .endm
    .macro  mrs_fpsr t                  // mrs x\t, fpsr
    .word   0xd53b4420 | (\t)
    .endm

    .macro  hv_vec off
    .balign 0x80
    sub     sp, sp, #FRAME
    stp     x0, x1, [sp, #0]
    mov     x0, #\off
    ldr     x1, 1f
    br      x1
    .balign 8
1:  .quad   hv_vec_common
    .endm

    .text
    .balign 2048
    .globl  hv_vectors
hv_vectors:
    hv_vec 0x000
    hv_vec 0x080
    hv_vec 0x100
    hv_vec 0x180
    hv_vec 0x200
    hv_vec 0x280
    hv_vec 0x300
    hv_vec 0x380
    hv_vec 0x400
    hv_vec 0x480
    hv_vec 0x500
    hv_vec 0x580
    hv_vec 0x600
    hv_vec 0x680
    hv_vec 0x700
    hv_vec 0x780
    .globl  hv_vectors_end
hv_vectors_end:

hv_vec_common:
    FRAME_SAVE_GPRS
    mov     x1, sp
    bl      harness_exception          // (offset, frame): 0 = resume, else end the block
    cbnz    x0, hv_end_block
    FRAME_RESTORE_ERET FRAME

hv_end_block:                           // back to enter_block's caller
    adrp    x0, harness_ctx
    add     x0, x0, :lo12:harness_ctx
    JB_LOAD x0, x1
    ret

/* void enter_block(const struct cpu_state *s) */
    .globl  enter_block
    .type   enter_block, %function
enter_block:
    adrp    x9, harness_ctx
    add     x9, x9, :lo12:harness_ctx
    JB_SAVE x9, x10
    clrex
    ldr     x10, [x0, #248]
    msr     sp_el0, x10
    ldr     x10, [x0, #256]
    msr     elr_el1, x10
    ldr     x10, [x0, #264]
    msr     spsr_el1, x10
    ldr     x10, [x0, #800]
    cbz     x10, 1f
    ldr     x10, [x0, #784]
    msr_fpcr 10
    ldr     x10, [x0, #792]
    msr_fpsr 10
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ldr_q   \n, 0, (272 + 16 * \n)
    .endr
1:
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldr     x30, [x0, #240]
    ldp     x0, x1, [x0, #0]
    eret
    .size   enter_block, . - enter_block

/* void save_fp(u64 *v): V0-V31 to v[0..63], FPCR to v[64], FPSR to v[65] (v 16-byte aligned) */
    .globl  save_fp
    .type   save_fp, %function
save_fp:
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    str_q   \n, 0, (16 * \n)
    .endr
    mrs_fpcr 1
    str     x1, [x0, #512]
    mrs_fpsr 1
    str     x1, [x0, #520]
    ret
    .size   save_fp, . - save_fp

    .bss
    .balign 16
harness_ctx:
    .skip   112
