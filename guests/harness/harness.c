/*
 * Differential conformance harness (tools/conformance drives it).
 *
 * The host places a table of instruction blocks at TABLE_ADDR (layout in
 * harness.h) and boots this guest at EL1 on armvisor and on QEMU. For each
 * block the harness fills a scratch window from the block's seed, seeds the
 * system registers, enters the block at EL1t or EL0t with X0-X30, SP_EL0,
 * PSTATE, V0-V31, FPCR and FPSR from the table (SIMD&FP enabled at EL0 and
 * EL1: CPACR_EL1.FPEN = 0b11), and regains control at the block's final `svc #0`.
 * Exceptions taken inside the block are logged (ESR, ELR, FAR, SPSR) and the
 * block resumes after the faulting instruction. Then it prints one line per
 * block, `B <id> <hash> <exceptions> <end>`, or the full state with BF_FULL.
 *
 * Sweep mode runs single encodings instead, each followed by `svc #0`, and
 * prints the exception class each one raised first.
 */
#include "harness.h"

#define SCTLR_BASE  (0x30d00800UL | (1UL << 14) /* DZE */ | (1UL << 15) /* UCT */ | \
                     (1UL << 16) /* nTWI */ | (1UL << 18) /* nTWE */ | (1UL << 26) /* UCI */)
#define SCTLR_A     (1UL << 1)
#define EXC_LOG     4
#define EXC_MAX     256

#define END_FINAL   0   /* the final svc */
#define END_ESCAPED 1   /* an exception from outside the block */
#define END_LIMIT   2   /* too many exceptions */

#define CPACR_FPEN  (3UL << 20)

#define EC_NONE     0x40
#define EC_ESCAPED  0x41

struct exc { u64 esr, elr, far, spsr; };

static const struct table_header *hdr;
static struct cpu_state entry, final;
static u64 final_sys[NSYS];
static volatile int in_block;
static u32 mode;
static u64 blk_start, blk_end;
static u32 nexc, end_kind, sweep_ec;
static u64 exc_hash;
static struct exc exlog[EXC_LOG];

static inline u64 mix(u64 h, u64 v)
{
    h ^= v;
    h *= 0x100000001b3UL;
    h ^= h >> 32;
    return h;
}

static void fatal(const char *what, u64 off, u64 esr, u64 elr, u64 far, u64 spsr)
{
    in_block = 0;
    printf("FATAL %s vector=0x%lx esr=0x%lx elr=0x%lx far=0x%lx spsr=0x%lx\n", what, off, esr, elr, far, spsr);
    exit(0);
}

static void read_sys(u64 *s)
{
#define RD(r) *s++ = read_sysreg(r);
    SYSREG_LIST(RD)
#undef RD
}

static void write_sys(const u64 *s)
{
#define WR(r) write_sysreg(r, *s++);
    SYSREG_LIST(WR)
#undef WR
}

static void capture(const u64 *frame, u64 spsr)
{
    for (int i = 0; i < 31; i++)
        final.x[i] = frame[i];
    final.sp = read_sysreg(sp_el0);
    final.spsr = spsr;
    read_sys(final_sys);
    if (mode != MODE_SWEEP)
        save_fp(final.v);
    /* PAR_EL1.NS is UNKNOWN for a Non-secure regime and SH is an implementation
     * choice for Device memory (what AT reports with the MMU off). */
    final_sys[7] &= ~0x380UL;
}

static int far_valid(u32 ec)
{
    return ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
}

int harness_exception(u64 off, u64 *frame)
{
    u64 esr = read_sysreg(esr_el1), elr = read_sysreg(elr_el1);
    u64 far = read_sysreg(far_el1), spsr = read_sysreg(spsr_el1);
    u32 ec = (u32)(esr >> 26) & 0x3f;
    if (!in_block)
        fatal("exception outside a block", off, esr, elr, far, spsr);
    if ((off & 0x180) != 0)
        fatal("asynchronous exception", off, esr, elr, far, spsr);
    if (off == 0x200 && mode != MODE_SWEEP)
        fatal("exception at EL1h", off, esr, elr, far, spsr);
    if (ec == 0x15 && elr == blk_end + 4) {
        capture(frame, spsr);
        end_kind = END_FINAL;
        if (mode == MODE_SWEEP && sweep_ec == EC_NONE)
            sweep_ec = EC_NONE;
        return 1;
    }
    if (elr < blk_start || (elr & ~3UL) > blk_end) {
        capture(frame, spsr);
        end_kind = END_ESCAPED;
        sweep_ec = EC_ESCAPED;
        return 1;
    }
    if (mode == MODE_SWEEP) {
        sweep_ec = ec;
        return 1;
    }
    u64 f = far_valid(ec) ? far : 0;
    if (nexc < EXC_LOG) {
        exlog[nexc].esr = esr;
        exlog[nexc].elr = elr - blk_start;
        exlog[nexc].far = f;
        exlog[nexc].spsr = spsr;
    }
    exc_hash = mix(mix(mix(mix(exc_hash, esr), elr - blk_start), f), spsr);
    nexc++;
    if (nexc >= EXC_MAX) {
        capture(frame, spsr);
        end_kind = END_LIMIT;
        return 1;
    }
    /* Resume after the instruction (an SVC's ELR already points there); after
     * a PC alignment fault, at the aligned address; after an Illegal Execution
     * state exception, at the instruction itself, with PSTATE.IL cleared: an
     * illegal exception return costs one exception, not the rest of the block. */
    if (ec == 0x22)
        write_sysreg(elr_el1, elr & ~3UL);
    else if (ec != 0x15 && ec != 0x0e)
        write_sysreg(elr_el1, elr + 4);
    write_sysreg(spsr_el1, spsr & ~(1UL << 20));
    return 0;
}

/* ---- campaign ------------------------------------------------------------------ */

static void fill_window(u64 seed)
{
    u64 *w = (u64 *)hdr->window;
    u64 s = seed | 1;
    for (u32 i = 0; i < hdr->window_size / 8; i++) {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        w[i] = s * 0x2545f4914f6cdd1dUL;
    }
}

static const char *const sys_names[NSYS] = {
#define NM(r) #r,
    SYSREG_LIST(NM)
#undef NM
};

static u64 run_block(const struct block *b)
{
    fill_window(b->seed);
    write_sys(b->sys);
    write_sysreg(sctlr_el1, SCTLR_BASE | ((b->flags & BF_ALIGN) ? SCTLR_A : 0));
    isb();
    for (int i = 0; i < 31; i++)
        entry.x[i] = b->x[i];
    entry.sp = b->sp;
    for (int i = 0; i < 64; i++)
        entry.v[i] = b->v[i];
    entry.fpcr = b->fpcr;
    entry.fpsr = b->fpsr;
    entry.with_fp = 1;
    entry.pc = (u64)b->code;
    entry.spsr = (b->spsr & ~0x1fUL) | ((b->flags & BF_EL0) ? 0 : 4);
    blk_start = entry.pc;
    blk_end = entry.pc + 4UL * (b->ncode - 1);
    nexc = 0;
    exc_hash = 0xcbf29ce484222325UL;
    end_kind = END_ESCAPED;
    in_block = 1;
    enter_block(&entry);
    in_block = 0;
    write_sysreg(sctlr_el1, SCTLR_BASE);
    isb();

    u64 h = 0xcbf29ce484222325UL;
    for (int i = 0; i < 31; i++)
        h = mix(h, final.x[i]);
    h = mix(h, final.sp);
    h = mix(h, final.spsr);
    for (int i = 0; i < NSYS; i++)
        if (i != 6)                      /* ESR_EL1: the final svc's syndrome */
            h = mix(h, final_sys[i]);
    for (int i = 0; i < 64; i++)
        h = mix(h, final.v[i]);
    h = mix(h, final.fpcr);
    h = mix(h, final.fpsr);
    const u64 *w = (const u64 *)hdr->window;
    u64 wh = 0xcbf29ce484222325UL;
    for (u32 i = 0; i < hdr->window_size / 8; i++)
        wh = mix(wh, w[i]);
    h = mix(h, wh);
    h = mix(h, nexc);
    h = mix(h, exc_hash);
    h = mix(h, end_kind);

    if ((b->flags & BF_FULL) || (hdr->flags & HF_FULL)) {
        printf("F %u begin\n", b->id);
        for (int i = 0; i < 31; i++)
            printf("S x%d %016lx\n", i, final.x[i]);
        printf("S sp %016lx\n", final.sp);
        printf("S pstate %016lx\n", final.spsr);
        for (int i = 0; i < NSYS; i++)
            if (i != 6)
                printf("S %s %016lx\n", sys_names[i], final_sys[i]);
        for (int i = 0; i < 32; i++)
            printf("S v%d %016lx%016lx\n", i, final.v[2 * i + 1], final.v[2 * i]);
        printf("S fpcr %016lx\n", final.fpcr);
        printf("S fpsr %016lx\n", final.fpsr);
        printf("S window_hash %016lx\n", wh);
        printf("S exceptions %u\n", nexc);
        printf("S end %u\n", end_kind);
        for (u32 i = 0; i < nexc && i < EXC_LOG; i++)
            printf("X %u esr=%lx elr=+%lx far=%lx spsr=%lx\n", i, exlog[i].esr, exlog[i].elr, exlog[i].far, exlog[i].spsr);
        for (u32 i = 0; i < hdr->window_size / 8; i++)
            printf("M %03x %016lx\n", i * 8, w[i]);
        printf("F %u end\n", b->id);
    }
    return h;
}

static void campaign(void)
{
    write_sysreg(cpacr_el1, CPACR_FPEN);
    isb();
    const u8 *p = (const u8 *)TABLE_ADDR + hdr->first;
    for (u32 n = 0; n < hdr->count; n++) {
        const struct block *b = (const struct block *)p;
        if (b->magic != BLOCK_MAGIC) {
            printf("FATAL bad block %u at 0x%lx\n", n, (u64)p);
            return;
        }
        u64 h = run_block(b);
        printf("B %u %016lx %u %u\n", b->id, h, nexc, end_kind);
        p += (sizeof(struct block) + 4UL * b->ncode + 7) & ~7UL;
    }
}

/* ---- sweep -------------------------------------------------------------------- */

static void sweep(void)
{
    static const char hexd[] = "0123456789abcdef";
    char line[2 * 64 + 1];
    const u32 *code = (const u32 *)(TABLE_ADDR + hdr->first);
    u64 vbar = (u64)hv_vectors;
    u64 vsize = (u64)(hv_vectors_end - hv_vectors);
    memcpy((void *)SWEEP_V, hv_vectors, vsize);
    u32 k = 0;
    for (u32 n = 0; n < hdr->count; n++, code += 4) {
        u32 enc = code[1];
        u64 v = ((enc & 0xfe000000u) == 0xd6000000u) ? (u64)&code[2] : SWEEP_V;
        for (int i = 0; i < 31; i++)
            entry.x[i] = v;
        entry.sp = SWEEP_V;
        entry.pc = (u64)code;
        entry.spsr = 0x3c0 | 4;          /* EL1t, DAIF masked */
        blk_start = entry.pc;
        blk_end = entry.pc + 8;
        sweep_ec = EC_NONE;
        end_kind = END_ESCAPED;
        in_block = 1;
        enter_block(&entry);
        in_block = 0;
        if (((enc >> 25) & 5) == 4 || (enc >> 22) == 0x354) {
            /* loads/stores and system instructions: undo what they may have done */
            memcpy((void *)SWEEP_V, hv_vectors, vsize);
            write_sysreg(sctlr_el1, SCTLR_BASE);
            write_sysreg(cpacr_el1, 0);
            write_sysreg(vbar_el1, vbar);
            isb();
        }
        line[2 * k] = hexd[(sweep_ec >> 4) & 15];
        line[2 * k + 1] = hexd[sweep_ec & 15];
        if (++k == 64 || n + 1 == hdr->count) {
            line[2 * k] = 0;
            printf("W %lu %s\n", hdr->base_index + n + 1 - k, line);
            k = 0;
        }
    }
}

int main(void)
{
    write_sysreg(vbar_el1, (u64)hv_vectors);
    write_sysreg(sctlr_el1, SCTLR_BASE);
    write_sysreg(cpacr_el1, 0);
    write_sysreg(mdscr_el1, 0);
    write_sysreg(cntkctl_el1, 0);
    isb();
    hdr = (const struct table_header *)TABLE_ADDR;
    if (hdr->magic != TABLE_MAGIC || hdr->version != TABLE_VERSION) {
        printf("FATAL no block table at 0x%lx\n", TABLE_ADDR);
        return 0;
    }
    mode = hdr->mode;
    printf("harness mode=%u count=%u\n", mode, hdr->count);
    if (mode == MODE_SWEEP)
        sweep();
    else
        campaign();
    printf("harness done\n");
    return 0;
}
