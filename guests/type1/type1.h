/*
 * type1 guest: what the hypervisor (hv.c, hv_asm.S) and its two guests
 * (guest.c, guest_asm.S) share. See README.md for the design.
 *
 * Physical memory (QEMU virt, RAM from 0x4000_0000):
 *   0x4008_0000  the image: the hypervisor's code, then the guests' code and
 *                read-only data (the .guest output section, page-aligned,
 *                link.ld), then the hypervisor's data, stage 2 tables and stack
 *   0x4400_0000  guest A's RAM (GUEST_RAM_SIZE): its state block, then its stack
 *   0x4420_0000  guest B's RAM
 * Each guest's IPA space (its stage 2 table, 4 KiB granule, 32-bit IPA):
 *   the .guest pages at IPA = PA, read-only and executable
 *   its own RAM at IPA = PA, read-write, never executable
 *   nothing else: the UART's IPA (0x0900_0000) faults, and the hypervisor
 *   emulates it; the other guest's RAM, the hypervisor and the GIC are not there.
 */
#ifndef TYPE1_H
#define TYPE1_H
#include "rt.h"

#define NGUESTS          2
#define GUEST_RAM_A      0x44000000UL
#define GUEST_RAM_SIZE   0x00200000UL           /* one level 2 block */
#define GUEST_RAM(i)     (GUEST_RAM_A + (u64)(i) * GUEST_RAM_SIZE)
#define GUEST_UART_IPA   0x09000000UL           /* where the guests' PL011 would be */

/* HVC #imm from a guest */
#define HVC_DONE         0                      /* the guest is finished */
#define HVC_UNEXPECTED   1                      /* x0 = vector offset: an exception the guest did not expect */

/* Virtual timer tick: the INTID (PPI 11) and the vINTID the guest sees. */
#define INTID_VTIMER     27
#define INTID_HYPTIMER   26                     /* CNTHP, PPI 10 */

/* The state block at the start of a guest's RAM. The hypervisor fills the
 * parameters before the guest starts; the guest writes the results. */
struct guest_state {
    /* parameters */
    u64 id;                 /* 0 = A, 1 = B */
    u64 lines;              /* numbered lines to print */
    u64 period;             /* virtual timer period, counter ticks */
    u64 work;               /* busy time after each line, counter ticks */
    u64 probe_other;        /* the other guest's RAM (an IPA this guest does not have) */
    u64 probe_code;         /* a word of the shared code pages (read-only at stage 2) */
    /* results */
    u64 ticks;              /* virtual timer interrupts taken */
    u64 irq_other;          /* interrupts with another INTID (ICV_IAR1_EL1) */
    u64 aborts;             /* data aborts taken (the hypervisor injects them) */
    u64 abort_esr[2];       /* ESR_EL1, FAR_EL1 of each */
    u64 abort_far[2];
    u64 probe_value;        /* the register of the load from the other's RAM, after it */
    u64 lines_done;
};

/* An exception frame (runtime/frame.h): x0..x30, then ELR, SPSR, ESR, FAR of
 * the handling EL, the vector offset and the EL. */
struct frame {
    u64 x[31];
    u64 elr, spsr, esr, far, vec, el;
};
#define FRAME_SIZE 304                          /* sizeof(struct frame) rounded up to 16 */

#define SENTINEL 0x5e47UL                       /* in the probe's register beforehand */

#endif
