/*
 * mmu guest: a small translation table builder for the three granules
 * (Arm ARM D8.2/D8.3: VMSAv8-64 translation table format descriptors).
 * Tables and test pages come from a pool in .bss aligned to 64 KiB; every
 * allocation is aligned to its size (a table to its granule).
 */
#include "pt.h"

#define POOL_SIZE (1024UL * 1024)
static u8 pool[POOL_SIZE] __attribute__((aligned(65536)));
static u64 pool_next;

void pool_reset(void)
{
    pool_next = 0;
}

u64 pool_alloc(u64 size)
{
    u64 base = (u64)pool;
    u64 at = (base + pool_next + size - 1) & ~(size - 1);
    if (at + size > base + POOL_SIZE) {
        printf("FATAL: page table pool exhausted\n");
        semihosting_exit(97);
    }
    pool_next = at + size - base;
    memset((void *)at, 0, size);
    return at;
}

/* the level whose table resolves the top of an iabits-bit input address */
unsigned start_level(unsigned g, unsigned iabits)
{
    unsigned stride = g - 3, levels = (iabits - g + stride - 1) / stride;
    return 4 - levels;
}

static unsigned lvl_shift(const struct pt *p, unsigned level)
{
    return p->g + (3 - level) * (p->g - 3);
}

static u64 oa_mask(const struct pt *p)
{
    return ((1UL << 48) - 1) & ~((1UL << p->g) - 1);
}

void pt_init(struct pt *p, unsigned g, unsigned iabits)
{
    p->g = g;
    p->iabits = iabits;
    p->start = start_level(g, iabits);
    p->root = pool_alloc(1UL << g);
}

/* the descriptor for va at level, creating the tables above it */
u64 *pt_entry(struct pt *p, u64 va, unsigned level)
{
    u64 *t = (u64 *)p->root;
    u64 in = va & ((1UL << p->iabits) - 1);
    u64 imask = (1UL << (p->g - 3)) - 1;
    for (unsigned l = p->start;; l++) {
        u64 idx = (in >> lvl_shift(p, l)) & imask;
        if (l == level)
            return &t[idx];
        if ((t[idx] & 3) != 3)
            t[idx] = pool_alloc(1UL << p->g) | 3;
        t = (u64 *)(t[idx] & oa_mask(p));
    }
}

void pt_map(struct pt *p, u64 va, u64 pa, unsigned level, u64 attrs)
{
    *pt_entry(p, va, level) = pa | attrs | (level == 3 ? 3 : 1);
    dsb_ish();
}

void pt_unmap(struct pt *p, u64 va, unsigned level)
{
    *pt_entry(p, va, level) = 0;
    dsb_ish();
}
