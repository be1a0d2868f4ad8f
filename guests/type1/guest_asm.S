/*
 * type1 guest: the entry point and the EL1 vector table, shared by both
 * guests (in the .guest section with guest.c, link.ld).
 *
 * guest_entry: x0 = the guest's state block (its RAM), SP_EL1 above it; runs
 * guest_main(x0), then tells the hypervisor it is done (HVC #HVC_DONE).
 * guest_vectors: every entry builds a frame on SP_EL1 (runtime/frame.h) and
 * calls guest_exception(frame), which may change ELR_EL1.
 */
#include "frame.h"

    .text
    .globl  guest_entry
    .type   guest_entry, %function
guest_entry:
    bl      guest_main
1:  hvc     #0                        // HVC_DONE
    b       1b
    .size   guest_entry, . - guest_entry

    .balign 2048
    .globl  guest_vectors
guest_vectors:
    VECTOR_ENTRIES 304, guest_vector_common

guest_vector_common:
    FRAME_SAVE_GPRS
    FRAME_SAVE_SYSREGS 1
    mov     x0, sp
    bl      guest_exception
    FRAME_RESTORE_ELR_SPSR 1
    FRAME_RESTORE_ERET 304
