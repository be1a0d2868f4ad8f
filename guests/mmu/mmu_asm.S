/*
 * mmu guest: vector tables for EL2 and EL1, the lower-EL call/return
 * mechanism, single-instruction memory probes, AT helpers and the page of
 * EL0 code.
 *
 * Vector tables (VBAR_EL2, VBAR_EL1): every entry builds a struct frame
 * (mmu.h) on SP_ELx and calls mmu_exc_handler(frame). If it returns 0 the
 * frame's ELR/SPSR (which the handler may change) and all GPRs are restored
 * and we ERET. If it returns 1 the lower-EL call in progress at this EL is
 * abandoned: mmu_lower_call() returns frame.x0 to its caller (a longjmp
 * through mmu_jb_el2 / mmu_jb_el1).
 */
#include "frame.h"
#define FRAME_SIZE 304
#define SENT       0x5e47

    .macro VTABLE el
    .section .text.mmu_vectors_el\el, "ax"
    .balign 2048
    .globl  mmu_vectors_el\el
mmu_vectors_el\el:
    VECTOR_ENTRIES FRAME_SIZE, mmu_exc_common_el\el
mmu_exc_common_el\el:
    FRAME_SAVE_GPRS
    FRAME_SAVE_SYSREGS \el
    mov     x0, sp
    bl      mmu_exc_handler
    cbnz    x0, 1f
    FRAME_RESTORE_ELR_SPSR \el
    FRAME_RESTORE_ERET FRAME_SIZE
1:  ldr     x0, [sp, #0]
    adrp    x9, mmu_jb_el\el
    add     x9, x9, :lo12:mmu_jb_el\el
    b       mmu_longjmp
    .endm

    VTABLE 2
    VTABLE 1

/* jump buffers: x19..x30, sp */
    .bss
    .balign 16
    .globl  mmu_jb_el2, mmu_jb_el1
mmu_jb_el2: .skip 112
mmu_jb_el1: .skip 112

    .text
/* x9 = jump buffer, x0 = value to return from mmu_lower_call */
    .type   mmu_longjmp, %function
mmu_longjmp:
    JB_LOAD x9, x10
    ret
    .size   mmu_longjmp, . - mmu_longjmp

/*
 * u64 mmu_lower_call(u64 pc, u64 a0, u64 a1, u64 a2, u64 spsr, u64 sp)
 * At EL2: ERET to pc in the mode given by spsr (EL1h) with SP_EL1 = sp,
 * x0..x2 = a0..a2 and x30 = mmu_el1_return, so a function entered there
 * returns into `hvc #0`, which the EL2 handler turns into our return.
 * At EL1: the same into EL0 with SP_EL0 = sp; EL0 code returns with `svc #0`.
 */
    .globl  mmu_lower_call
    .type   mmu_lower_call, %function
mmu_lower_call:
    mrs     x9, CurrentEL
    cmp     x9, #(2 << 2)
    b.ne    1f
    adrp    x9, mmu_jb_el2
    add     x9, x9, :lo12:mmu_jb_el2
    JB_SAVE x9, x10
    msr     elr_el2, x0
    msr     spsr_el2, x4
    msr     sp_el1, x5
    adrp    x30, mmu_el1_return
    add     x30, x30, :lo12:mmu_el1_return
    b       2f
1:  adrp    x9, mmu_jb_el1
    add     x9, x9, :lo12:mmu_jb_el1
    JB_SAVE x9, x10
    msr     elr_el1, x0
    msr     spsr_el1, x4
    msr     sp_el0, x5
    mov     x30, xzr
2:  mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    eret
    .size   mmu_lower_call, . - mmu_lower_call

    .globl  mmu_el1_return
mmu_el1_return:
    hvc     #0
    b       .

/*
 * Memory probes, usable at any EL. Loads return the loaded value, or SENT if
 * the load was skipped by a handler (ELR += 4). The *_insn labels mark the
 * access itself (the expected ELR). The register numbers matter: they are
 * the SRT reported in ESR_EL2.ISS for stage 2 aborts.
 */
    .macro PROBE name
    .globl  \name, \name\()_insn
    .type   \name, %function
\name:
    .endm

    PROBE probe_ldr_x               // x1 <- [x0], 64-bit: SAS=3 SF=1 SRT=1
    mov     x1, #SENT
probe_ldr_x_insn:
    ldr     x1, [x0]
    mov     x0, x1
    ret

    PROBE probe_ldr_w1              // w1 <- [x0]: SAS=2 SF=0 SRT=1
    mov     x1, #SENT
probe_ldr_w1_insn:
    ldr     w1, [x0]
    mov     x0, x1
    ret

    PROBE probe_ldrb_w3             // w3 <- byte [x0]: SAS=0 SRT=3
    mov     x3, #SENT
probe_ldrb_w3_insn:
    ldrb    w3, [x0]
    mov     x0, x3
    ret

    PROBE probe_ldrsh_x5            // x5 <- sign-extended half [x0]: SAS=1 SSE=1 SF=1 SRT=5
    mov     x5, #SENT
probe_ldrsh_x5_insn:
    ldrsh   x5, [x0]
    mov     x0, x5
    ret

    PROBE probe_ldar_w1             // load-acquire: AR=1
    mov     x1, #SENT
probe_ldar_w1_insn:
    ldar    w1, [x0]
    mov     x0, x1
    ret

    PROBE probe_ldr_post            // post-index writeback: no valid ISS (ISV=0)
    mov     x1, #SENT
probe_ldr_post_insn:
    ldr     x1, [x0], #8
    mov     x0, x1
    ret

    PROBE probe_ldtr_x              // unprivileged load
    mov     x1, #SENT
probe_ldtr_x_insn:
    ldtr    x1, [x0]
    mov     x0, x1
    ret

    PROBE probe_str_x               // [x0] <- x1: SAS=3 SF=1 SRT=1 WnR=1
probe_str_x_insn:
    str     x1, [x0]
    ret

    PROBE probe_str_w1              // [x0] <- w1: SAS=2 SRT=1 WnR=1
probe_str_w1_insn:
    str     w1, [x0]
    ret

    PROBE probe_str_post            // post-index writeback store: ISV=0
probe_str_post_insn:
    str     x1, [x0], #8
    ret

    PROBE probe_sttr_x              // unprivileged store
probe_sttr_x_insn:
    sttr    x1, [x0]
    ret

/* PAR_EL1 after an AT instruction on x0 */
    .macro ATFN op
    .globl  at_\op
    .type   at_\op, %function
at_\op:
    at      \op, x0
    isb
    mrs     x0, par_el1
    ret
    .endm
    ATFN s1e1r
    ATFN s1e1w
    ATFN s1e0r
    ATFN s1e0w
    ATFN s12e1r
    ATFN s12e1w
    ATFN s1e2r
    ATFN s1e2w

/* PSTATE.PAN (the PAN register, S3_0_C4_C2_3) */
    .globl  read_pan
read_pan:
    mrs     x0, s3_0_c4_c2_3
    ret

/*
 * One page of position-independent code, mapped at several VAs with
 * different permissions (EL0 executable, UXN, PXN, EL0-writable).
 */
    .section .text.mmu_user_page, "ax"
    .balign 4096
    .globl  mmu_user_page, user_svc, user_load, user_load_insn, user_store, user_store_insn, user_ret42
mmu_user_page:
user_svc:                           // EL0: return x0 unchanged
    svc     #0
user_load:                          // EL0: x0 <- [x0] (SENT if skipped)
    mov     x2, x0
    mov     x0, #SENT
user_load_insn:
    ldr     x0, [x2]
    svc     #0
user_store:                         // EL0: [x0] <- x1
user_store_insn:
    str     x1, [x0]
    svc     #0
user_ret42:                         // EL1/EL2: return 42
    mov     x0, #42
    ret
    .balign 4096
