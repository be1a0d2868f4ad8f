/*
 * armvisor guest runtime: the conventions of the hypervisor-side test guests
 * (el2-traps, vhe, nv) that run code at a lower EL and catch its exceptions:
 * the C view of the register frame the vector entries of frame.h build, the
 * values probes and lower_call() return, and (for .S files) the probe macro.
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

#endif
#endif
