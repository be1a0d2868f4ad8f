/*
 * mmu guest: the translation table builder (pt.c), for the three granules,
 * the stage 2 descriptor bits and the data abort syndromes. Also used by
 * type1 for its guests' stage 2.
 */
#ifndef PT_H
#define PT_H
#include "rt.h"

/* ---- page tables (pt.c) ---- */
struct pt {
    u64 root;           /* PA of the start-level table */
    unsigned g;         /* granule shift: 12, 14, 16 */
    unsigned start;     /* start level */
    unsigned iabits;    /* input address size */
};
void pool_reset(void);
u64  pool_alloc(u64 size);              /* size-aligned, zeroed */
unsigned start_level(unsigned g, unsigned iabits);
void pt_init(struct pt *p, unsigned g, unsigned iabits);
void pt_map(struct pt *p, u64 va, u64 pa, unsigned level, u64 attrs);
void pt_unmap(struct pt *p, u64 va, unsigned level);
u64 *pt_entry(struct pt *p, u64 va, unsigned level);

/* stage 2 descriptor bits */
#define S2_MEM_NORMAL (0xfUL << 2)      /* MemAttr: Normal, outer and inner WB */
#define S2_MEM_DEVICE (0x1UL << 2)      /* MemAttr: Device-nGnRE */
#define S2_AP_NONE    (0UL << 6)
#define S2_AP_RO      (1UL << 6)
#define S2_AP_RW      (3UL << 6)
#define S2_SH_IS      (3UL << 8)
#define S2_AF         (1UL << 10)
#define S2_XN         (1UL << 54)

#define dsb_ish()     __asm__ volatile("dsb ish" ::: "memory")

/* ---- syndrome values (Arm ARM D17 ESR_ELx, D8 fault status codes) ---- */
#define EC_IABT_LOW   0x20UL
#define EC_IABT_CUR   0x21UL
#define EC_DABT_LOW   0x24UL
#define EC_DABT_CUR   0x25UL
#define ESR(ec, iss)  (((ec) << 26) | (1UL << 25) /* IL */ | (u64)(iss))
#define ISV           (1UL << 24)
#define SAS(n)        ((u64)(n) << 22)
#define SSE           (1UL << 21)
#define SRT(n)        ((u64)(n) << 16)
#define SF            (1UL << 15)
#define AR            (1UL << 14)
#define CM            (1UL << 8)
#define S1PTW         (1UL << 7)
#define WNR           (1UL << 6)
#define FSC_ADDRSZ(l) (0x00UL + (l))
#define FSC_TRANS(l)  (0x04UL + (l))
#define FSC_AF(l)     (0x08UL + (l))
#define FSC_PERM(l)   (0x0cUL + (l))

#endif
