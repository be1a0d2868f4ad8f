/*
 * armvisor guest runtime: the conventions of the hypervisor-side test guests
 * (el2-traps, vhe, nv, lor-fwb, ras, pmu, pauth) that run code at a lower EL
 * and catch its exceptions: the C view of the register frame the vector
 * entries of frame.h build, the values probes and lower_call() return, and
 * (for .S files) the probe, lower-call and return-stub macros.
 */
#ifndef ARMVISOR_LOWER_H
#define ARMVISOR_LOWER_H

#define FRAME_SIZE 304      /* struct frame */
#define SENT       0x5e47   /* what a probe returns when its instruction did not execute */
#define TRAPPED    0x7a9d   /* what lower_call returns when the lower EL took an exception */
#define RET_IMM    0x7e7e   /* HVC/SMC/SVC immediate of the lower-EL return stubs */
#define PAGE_SIZE  4096

#ifndef __ASSEMBLER__
#include "rt.h"

/* frame.h's layout: x0..x30, then ELR, SPSR, ESR, FAR of the handling EL,
 * the vector offset and the handling EL. */
struct frame {
    u64 x[31];
    u64 elr, spsr, esr, far, off, el, pad;
};
_Static_assert(sizeof(struct frame) == FRAME_SIZE, "frame layout shared with frame.h");

/* At the calling EL: ERET to fn in the mode spsr gives, with x0 = arg and
 * x30 = stub, which returns fn's x0 to the caller; TRAPPED if abandoned. */
u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub);

#else

/* A probe: one instruction at a known address p_NAME_i, preceded by what
 * the probe returns (x0 = sent) if the instruction is skipped or its
 * exception abandons the call; the caller's x0 arrives in x1. */
    .macro  PROBE name, sent, insn:vararg
    .globl  p_\name, p_\name\()_i
    .type   p_\name, %function
p_\name:
    mov     x1, x0
    mov     x0, #\sent
p_\name\()_i:
    \insn
    ret
    .size   p_\name, . - p_\name
    .endm

/* MRSP: Xrt = SENT, then MRS reg (returns SENT if it did not execute);
 * MSRP: MSR reg, X0 through Xrt (returning X0, or 0 with zero = 1).
 * p_NAME_i is the instruction; rt is the Rt a trap's ISS reports. */
    .macro MRSP name, reg, rt
    .globl  p_\name, p_\name\()_i
p_\name:
    mov     x\rt, #SENT
p_\name\()_i:
    mrs     x\rt, \reg
    mov     x0, x\rt
    ret
    .endm

    .macro MSRP name, reg, rt, zero=0
    .globl  p_\name, p_\name\()_i
p_\name:
    mov     x\rt, x0
p_\name\()_i:
    msr     \reg, x\rt
    .if \zero
    mov     x0, xzr
    .endif
    ret
    .endm

/*
 * u64 NAME(u64 fn, u64 spsr, u64 arg, u64 stub) at EL `el` (2 or 3): saves
 * the caller in jump buffer jb (frame.h JB_SAVE; the handlers' result 1
 * returns through it), resets the named lower-EL stack pointers (sp2, sp1,
 * sp0: the tops of stacks, each optional) and ERETs to fn in the mode spsr
 * gives, with x0 = arg and x30 = stub, so that fn returns into a stub that
 * comes back to the caller with fn's x0 (RET_STUB).
 */
    .macro LOWER_CALL name, el, jb, sp2=, sp1=, sp0=
    .globl  \name
    .type   \name, %function
\name:
    adrp    x9, \jb
    add     x9, x9, :lo12:\jb
    JB_SAVE x9, x10
    .ifnb \sp2
    adrp    x10, \sp2
    add     x10, x10, :lo12:\sp2
    msr     sp_el2, x10
    .endif
    .ifnb \sp1
    adrp    x10, \sp1
    add     x10, x10, :lo12:\sp1
    msr     sp_el1, x10
    .endif
    .ifnb \sp0
    adrp    x10, \sp0
    add     x10, x10, :lo12:\sp0
    msr     sp_el0, x10
    .endif
    msr     elr_el\el, x0
    msr     spsr_el\el, x1
    mov     x0, x2
    mov     x30, x3
    isb
    eret
    .size   \name, . - \name
    .endm

/* A lower EL's return stub: x1 = the called function's result, x0 = 0 (not
 * a PSCI call), then `insn #RET_IMM` (hvc, smc or svc) to the caller's EL. */
    .macro RET_STUB name, insn
    .globl  \name
\name:
    mov     x1, x0
    mov     x0, xzr
    \insn   #RET_IMM
    b       .
    .endm

#endif
#endif
