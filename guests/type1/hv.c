/*
 * type1: a small bare-metal Type-1 hypervisor at EL2 with two guests at EL1
 * (guest.c), on QEMU's virt board with virtualization=on,gic-version=3.
 *
 * Each guest has a VMID and a stage 2 table of its own (type1.h: its RAM, a
 * distinct physical region, and the shared read-only code). The hypervisor
 *  - emulates a UART for them: a guest's store to the PL011's IPA is a stage
 *    2 Data Abort (EC 0x24), decoded from ESR_EL2 (ISV, SAS, SRT, WnR) and
 *    HPFAR_EL2/FAR_EL2, its byte put in the guest's line buffer and each
 *    line written to the real PL011 as "guest A: ...", then ELR_EL2 + 4;
 *  - traps WFI (HCR_EL2.TWI): a guest's WFI yields to the other guest;
 *  - takes physical IRQs (HCR_EL2.IMO) through the GICv3: its own EL2
 *    physical timer (CNTHP, INTID 26), on which it switches guests, and the
 *    running guest's virtual timer (INTID 27), which it masks (CNTV_CTL_EL0.
 *    IMASK) and injects as virtual INTID 27 through list register 0;
 *  - turns a guest's access to an IPA it has no memory at (the other guest's
 *    RAM) or may not write (its code) into a synchronous External abort at
 *    the guest's EL1, as KVM does.
 * At the end it checks what happened, prints its tallies (exceptions taken
 * from EL1 by class, as the emulator's --stats counts them) and
 * `type1: checks=N failures=M`, and exits with status M.
 */
#include "type1.h"
#include "gicv3.h"
#include "pt.h"                                 /* the stage 2 table builder, mmu/pt.c */

#define GUEST_LINES_A   8
#define GUEST_LINES_B   6
#define PERIOD_A        30000UL                 /* counter ticks (62.5 MHz: 480 us) */
#define PERIOD_B        45000UL
#define WORK            50000UL                 /* busy time after each line */
#define SLICE           20000UL                 /* the hypervisor's time slice (CNTHP) */

#define HCR_VM          (1UL << 0)
#define HCR_FMO         (1UL << 3)
#define HCR_IMO         (1UL << 4)
#define HCR_TWI         (1UL << 13)
#define HCR_RW          (1UL << 31)
#define HCR_GUEST       (HCR_RW | HCR_TWI | HCR_IMO | HCR_FMO | HCR_VM)
/* VTCR_EL2: 4K granule, T0SZ = 32 (4 GiB IPA space), SL0 = 1 (start at level 1),
 * PS = 40 bits, inner/outer write-back, inner shareable (as mmu/s2.c) */
#define VTCR_VALUE      ((1UL << 31) | (2UL << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 32)
#define S2_NORMAL       (S2_MEM_NORMAL | S2_SH_IS | S2_AF)
#define SCTLR_EL1_RESET 0x30c50838UL            /* RES1 bits, MMU and caches off */
#define SPSR_EL1H_MASKED 0x3c5UL                /* EL1h, DAIF masked */
#define CNT_ENABLE      1UL
#define CNT_IMASK       2UL

#define EC_WFX          0x01
#define EC_HVC64        0x16
#define FSC_SEA         0x10                    /* synchronous External abort */
#define PL011_DR        0x00
#define PL011_FR        0x18
#define PL011_FR_TXFE   0x80
#define PAR_PA_F        0xfffffffff001UL        /* PAR_EL1: PA[47:12] and F */

extern char hv_vectors[], guest_entry[], __guest_start[], __guest_end[];
extern const u64 guest_canary;                  /* guest.c's probe_code target: see below */
u64 hv_enter(struct frame *f);

struct vcpu {
    char name;                  /* 'A', 'B' */
    u64 vmid;
    struct pt s2;               /* its stage 2 table */
    struct guest_state *state;  /* at the start of its RAM */
    int done;
    /* saved while the other guest runs */
    struct frame regs;
    u64 sp_el1, elr_el1, spsr_el1, esr_el1, far_el1, vbar_el1, sctlr_el1, tpidr_el1, sp_el0;
    u64 cntv_ctl, cntv_cval, ich_lr0, ich_vmcr, ich_ap1r0;
    /* the emulated UART's line */
    char line[96];
    unsigned len;
    u64 next_line;              /* the number the next "line N" must carry */
    u64 lines, out_of_order;
    /* what the hypervisor saw */
    u64 uart_bytes, uart_reads, wfi, injected, coalesced, vmid_seen;
    u64 s2_faults, s2_fault_ipa[2], s2_fault_esr[2];
};

static struct vcpu vcpus[NGUESTS];
static struct vcpu *cur;
static u64 traps[64];           /* exceptions from EL1 to EL2, by EC */
static u64 irqs, irq_hyp, irq_vtimer, irq_spurious;
static u64 switch_timer, switch_wfi, switch_done, alternations, el2_idle;
static int last_printer = -1;
static u64 checks, failures;

static void hv_check(const char *name, u64 got, u64 want)
{
    checks++;
    if (got != want) {
        failures++;
        printf("type1: FAIL %s got=0x%lx want=0x%lx\n", name, got, want);
    }
}

static void hv_check_true(const char *name, int ok)
{
    hv_check(name, ok != 0, 1);
}

/* ---- the guests' state: EL1 registers, timer and virtual interface ---- */

static void vcpu_save(struct vcpu *v, const struct frame *f)
{
    v->regs = *f;
    v->sp_el1 = read_sysreg(sp_el1);
    v->elr_el1 = read_sysreg(elr_el1);
    v->spsr_el1 = read_sysreg(spsr_el1);
    v->esr_el1 = read_sysreg(esr_el1);
    v->far_el1 = read_sysreg(far_el1);
    v->vbar_el1 = read_sysreg(vbar_el1);
    v->sctlr_el1 = read_sysreg(sctlr_el1);
    v->tpidr_el1 = read_sysreg(tpidr_el1);
    v->sp_el0 = read_sysreg(sp_el0);
    v->cntv_ctl = read_sysreg(cntv_ctl_el0);
    v->cntv_cval = read_sysreg(cntv_cval_el0);
    /* its virtual timer must not fire while the other guest runs */
    write_sysreg(cntv_ctl_el0, 0UL);
    v->ich_lr0 = read_gicreg(ICH_LR0_EL2);
    v->ich_vmcr = read_gicreg(ICH_VMCR_EL2);
    v->ich_ap1r0 = read_gicreg(ICH_AP1R0_EL2);
    isb();
}

static void vcpu_load(struct vcpu *v, struct frame *f)
{
    write_sysreg(vttbr_el2, v->s2.root | (v->vmid << 48));
    write_sysreg(sp_el1, v->sp_el1);
    write_sysreg(elr_el1, v->elr_el1);
    write_sysreg(spsr_el1, v->spsr_el1);
    write_sysreg(esr_el1, v->esr_el1);
    write_sysreg(far_el1, v->far_el1);
    write_sysreg(vbar_el1, v->vbar_el1);
    write_sysreg(sctlr_el1, v->sctlr_el1);
    write_sysreg(tpidr_el1, v->tpidr_el1);
    write_sysreg(sp_el0, v->sp_el0);
    write_gicreg(ICH_LR0_EL2, v->ich_lr0);
    write_gicreg(ICH_VMCR_EL2, v->ich_vmcr);
    write_gicreg(ICH_AP1R0_EL2, v->ich_ap1r0);
    write_sysreg(cntv_cval_el0, v->cntv_cval);
    write_sysreg(cntv_ctl_el0, v->cntv_ctl);
    isb();
    *f = v->regs;
    cur = v;
}

static struct vcpu *other(struct vcpu *v)
{
    struct vcpu *o = &vcpus[(v - vcpus) ^ 1];
    return o->done ? NULL : o;
}

static void switch_to(struct vcpu *to, struct frame *f)
{
    if (to == cur)
        return;
    vcpu_save(cur, f);
    vcpu_load(to, f);
}

/* ---- the emulated UART ---- */

static int starts_with(const char *s, unsigned len, const char *p)
{
    unsigned i = 0;
    for (; p[i]; i++)
        if (i >= len || s[i] != p[i])
            return 0;
    return 1;
}

static void uart_line_end(struct vcpu *v)
{
    v->line[v->len] = 0;
    printf("guest %c: %s\n", v->name, v->line);
    int who = (int)(v - vcpus);
    if (last_printer >= 0 && last_printer != who)
        alternations++;
    last_printer = who;
    v->lines++;
    if (starts_with(v->line, v->len, "line ")) {
        u64 n = 0;
        for (unsigned i = 5; i < v->len; i++)
            n = n * 10 + (u64)(v->line[i] - '0');
        if (n != v->next_line)
            v->out_of_order++;
        v->next_line = n + 1;
    }
    v->len = 0;
}

static void uart_putc_from(struct vcpu *v, char c)
{
    v->uart_bytes++;
    if (c == '\n') {
        uart_line_end(v);
        return;
    }
    if (v->len < sizeof(v->line) - 1)
        v->line[v->len++] = c;
}

/* ---- exceptions from the guests ---- */

/* A synchronous External abort on a data access, at the guest's EL1 (it runs
 * at EL1h): ESR_EL1 EC 0x25 with DFSC 0x10, FAR_EL1 = the VA, ELR_EL1 = the
 * access; the guest continues at VBAR_EL1 + 0x200 with DAIF masked. */
static void inject_data_abort(struct frame *f)
{
    write_sysreg(esr_el1, ESR(EC_DABT_CUR, FSC_SEA));
    write_sysreg(far_el1, f->far);
    write_sysreg(elr_el1, f->elr);
    write_sysreg(spsr_el1, f->spsr);
    f->elr = read_sysreg(vbar_el1) + 0x200;
    f->spsr = SPSR_EL1H_MASKED;
}

static void data_abort(struct frame *f)
{
    u64 iss = f->esr & 0x1ffffff;
    u64 ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (f->far & 0xfff);
    if (ipa >= GUEST_UART_IPA && ipa < GUEST_UART_IPA + 0x1000 && (iss & ISV)) {
        unsigned size = 1U << ((iss >> 22) & 3), srt = (iss >> 16) & 31;
        int write = (iss >> 6) & 1, sse = (iss >> 21) & 1, sf = (iss >> 15) & 1;
        u64 off = ipa & 0xfff;
        if (write) {
            u64 v = srt == 31 ? 0 : f->x[srt];
            if (off == PL011_DR)
                uart_putc_from(cur, (char)(v & 0xff));
        } else {
            /* FR: transmit FIFO empty, never full; everything else reads 0 */
            u64 v = off == PL011_FR ? PL011_FR_TXFE : 0;
            if (sse && size < 8 && (v >> (size * 8 - 1)) & 1)
                v |= ~0UL << (size * 8);
            if (!sf)
                v &= 0xffffffffUL;
            if (srt != 31)
                f->x[srt] = v;
            cur->uart_reads++;
        }
        f->elr += 4;
        return;
    }
    /* anything else: memory this guest may not reach */
    if (cur->s2_faults < 2) {
        cur->s2_fault_ipa[cur->s2_faults] = ipa;
        cur->s2_fault_esr[cur->s2_faults] = f->esr;
    }
    cur->s2_faults++;
    inject_data_abort(f);
}

/* The guest's virtual timer fired: mask it (the guest's handler re-arms it)
 * and make virtual INTID 27 pending in list register 0. */
static void vtimer_irq(void)
{
    write_sysreg(cntv_ctl_el0, read_sysreg(cntv_ctl_el0) | CNT_IMASK);
    isb();
    u64 lr = read_gicreg(ICH_LR0_EL2);
    u64 state = lr >> LR_STATE_SHIFT;
    if (state == 0)
        lr = LR_PENDING | LR_GROUP1 | LR_PRIO(0xa0) | INTID_VTIMER;
    else if (state == 2)
        lr |= LR_PENDING;                       /* active: now active and pending */
    else
        cur->coalesced++;                       /* already pending */
    write_gicreg(ICH_LR0_EL2, lr);
    cur->injected++;
}

static int irq(struct frame *f)
{
    irqs++;
    u64 intid = read_gicreg(ICC_IAR1_EL1);
    if (intid == INTID_HYPTIMER) {
        irq_hyp++;
        write_sysreg(cnthp_tval_el2, SLICE);
        isb();
        write_gicreg(ICC_EOIR1_EL1, intid);
        struct vcpu *o = other(cur);
        if (o) {
            switch_timer++;
            switch_to(o, f);
        }
    } else if (intid == INTID_VTIMER) {
        irq_vtimer++;
        vtimer_irq();
        write_gicreg(ICC_EOIR1_EL1, intid);
    } else if (intid == 1023) {
        irq_spurious++;
    } else {
        printf("type1: unexpected INTID %lu\n", intid);
        semihosting_exit(98);
    }
    return 0;
}

u64 hv_trap(struct frame *f)
{
    if (f->vec == 0x480)
        return (u64)irq(f);
    if (f->vec != 0x400)
        rt_unexpected_exception(f->vec);        /* EL2's own, or an FIQ/SError */
    u64 ec = f->esr >> 26 & 0x3f;
    traps[ec]++;
    if (!cur->vmid_seen)
        cur->vmid_seen = read_sysreg(vttbr_el2) >> 48;
    switch (ec) {
    case EC_DABT_LOW:
        data_abort(f);
        return 0;
    case EC_WFX: {
        cur->wfi++;
        f->elr += 4;
        struct vcpu *o = other(cur);
        if (o) {
            switch_wfi++;
            switch_to(o, f);
        } else {
            /* the other guest is done: wait here for an interrupt (the
             * guest's timer, or the slice), taken once back at EL1 */
            el2_idle++;
            __asm__ volatile("dsb sy\n wfi" ::: "memory");
        }
        return 0;
    }
    case EC_HVC64:
        if ((f->esr & 0xffff) == HVC_DONE) {
            cur->done = 1;
            struct vcpu *o = other(cur);
            if (!o)
                return 1;
            switch_done++;
            switch_to(o, f);
            return 0;
        }
        printf("type1: guest %c: unexpected exception at EL1, vector 0x%lx, ESR_EL1 0x%lx, ELR_EL1 0x%lx, FAR_EL1 0x%lx\n",
               cur->name, f->x[0], read_sysreg(esr_el1), read_sysreg(elr_el1), read_sysreg(far_el1));
        semihosting_exit(97);
    }
    printf("type1: guest %c: unexpected trap, ESR_EL2 0x%lx at 0x%lx\n", cur->name, f->esr, f->elr);
    semihosting_exit(96);
}

/* ---- set-up ---- */

static void stage2_build(struct vcpu *v, int i)
{
    pt_init(&v->s2, 12, 32);
    for (u64 a = (u64)__guest_start; a < (u64)__guest_end; a += 4096)
        pt_map(&v->s2, a, a, 3, S2_NORMAL | S2_AP_RO);
    pt_map(&v->s2, GUEST_RAM(i), GUEST_RAM(i), 2, S2_NORMAL | S2_AP_RW | S2_XN);
}

static void vcpu_init(struct vcpu *v, int i)
{
    v->name = (char)('A' + i);
    v->vmid = (u64)i + 1;
    v->next_line = 1;
    stage2_build(v, i);
    struct guest_state *g = (struct guest_state *)GUEST_RAM(i);
    memset(g, 0, sizeof(*g));
    g->id = (u64)i;
    g->lines = i ? GUEST_LINES_B : GUEST_LINES_A;
    g->period = i ? PERIOD_B : PERIOD_A;
    g->work = WORK;
    g->probe_other = GUEST_RAM(i ^ 1) + 0x100;
    g->probe_code = (u64)&guest_canary;
    v->state = g;
    v->regs.x[0] = (u64)g;
    v->regs.elr = (u64)guest_entry;
    v->regs.spsr = SPSR_EL1H_MASKED;
    v->sp_el1 = GUEST_RAM(i) + GUEST_RAM_SIZE;
    v->sctlr_el1 = SCTLR_EL1_RESET;
    v->tpidr_el1 = (u64)g;
}

/* AT S12E1R at EL2 under `v`'s stage 2 (its EL1 stage 1 is off): PAR_EL1. */
static u64 at_s12e1r(struct vcpu *v, u64 ipa)
{
    write_sysreg(vttbr_el2, v->s2.root | (v->vmid << 48));
    isb();
    __asm__ volatile("at s12e1r, %0\n isb" : : "r"(ipa) : "memory");
    return read_sysreg(par_el1);
}

int main(void)
{
    printf("type1 hypervisor at EL%u\n", current_el());
    if (current_el() != 2) {
        printf("type1: needs EL2\n");
        return 1;
    }
    if (((read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf) == 0) {
        printf("type1: needs a GICv3 system-register interface\n");
        return 1;
    }
    write_sysreg(vbar_el2, hv_vectors);
    isb();
    gicv3_init_el2();
    gicv3_enable_ppi(INTID_HYPTIMER, 0x80);
    gicv3_enable_ppi(INTID_VTIMER, 0x80);
    gicv3_cpu_enable();
    write_gicreg(ICH_HCR_EL2, 1UL);             /* En: the virtual CPU interface */

    pool_reset();
    for (int i = 0; i < NGUESTS; i++)
        vcpu_init(&vcpus[i], i);
    write_sysreg(vtcr_el2, VTCR_VALUE);
    write_sysreg(sctlr_el1, SCTLR_EL1_RESET);   /* EL1 stage 1 off for the AT checks */
    write_sysreg(cntvoff_el2, 0UL);
    write_sysreg(hcr_el2, HCR_GUEST);
    isb();
    __asm__ volatile("dsb ishst\n tlbi alle1is\n dsb ish\n isb" ::: "memory");

    /* isolation, as the MMU sees it from EL2 */
    hv_check("AT S12E1R: A's own RAM", at_s12e1r(&vcpus[0], GUEST_RAM(0)) & PAR_PA_F, GUEST_RAM(0));
    hv_check("AT S12E1R: B's RAM under A's stage 2 faults", at_s12e1r(&vcpus[0], GUEST_RAM(1)) & 1, 1);
    hv_check("AT S12E1R: A's RAM under B's stage 2 faults", at_s12e1r(&vcpus[1], GUEST_RAM(0)) & 1, 1);
    hv_check("AT S12E1R: the hypervisor is not in A's IPA space", at_s12e1r(&vcpus[0], (u64)main) & 1, 1);

    /* the slice timer, then guest A */
    write_sysreg(cnthp_tval_el2, SLICE);
    write_sysreg(cnthp_ctl_el2, CNT_ENABLE);
    isb();
    struct frame first;
    cur = &vcpus[1];                            /* vcpu_load(A) below makes A current */
    vcpu_load(&vcpus[0], &first);
    hv_enter(&first);

    /* both guests are done */
    write_sysreg(cnthp_ctl_el2, 0UL);
    write_sysreg(cntv_ctl_el0, 0UL);
    write_sysreg(hcr_el2, HCR_RW);
    write_gicreg(ICH_HCR_EL2, 0UL);
    isb();

    for (int i = 0; i < NGUESTS; i++) {
        struct vcpu *v = &vcpus[i];
        struct guest_state *g = v->state;
        u64 want_lines = i ? GUEST_LINES_B : GUEST_LINES_A;
        printf("type1: guest %c vmid=%lu lines=%lu ticks=%lu injected=%lu coalesced=%lu wfi=%lu uart-bytes=%lu s2-faults=%lu\n",
               v->name, v->vmid_seen, want_lines, g->ticks, v->injected, v->coalesced, v->wfi, v->uart_bytes, v->s2_faults);
#define GCHECK(what, got, want) do { static char nm[] = "guest ?: " what; nm[6] = v->name; hv_check(nm, got, want); } while (0)
        GCHECK("finished", v->done, 1);
        GCHECK("lines printed", g->lines_done, want_lines);
        GCHECK("console lines (start, N numbered, done)", v->lines, want_lines + 2);
        GCHECK("numbered lines in order", v->out_of_order, 0);
        GCHECK("partial line left", v->len, 0);
        GCHECK("virtual timer ticks >= lines", g->ticks >= want_lines, 1);
        GCHECK("ticks taken = injected - coalesced", g->ticks, v->injected - v->coalesced);
        GCHECK("interrupts with another INTID", g->irq_other, 0);
        GCHECK("WFI traps seen", v->wfi > 0, 1);
        GCHECK("its VMID in VTTBR_EL2 when it trapped", v->vmid_seen, v->vmid);
        GCHECK("stage 2 faults outside the UART", v->s2_faults, 2);
        GCHECK("fault on the other guest's RAM: IPA", v->s2_fault_ipa[0], g->probe_other);
        GCHECK("fault on the other guest's RAM: translation fault, level 2",
               v->s2_fault_esr[0] & ~(0x1fUL << 16), ESR(EC_DABT_LOW, ISV | SAS(3) | SF | FSC_TRANS(2)));
        GCHECK("fault on the code: IPA", v->s2_fault_ipa[1], g->probe_code);
        GCHECK("fault on the code: permission fault, level 3, write",
               v->s2_fault_esr[1] & ~(0x1fUL << 16), ESR(EC_DABT_LOW, ISV | SAS(3) | SF | WNR | FSC_PERM(3)));
        GCHECK("aborts injected and taken at EL1", g->aborts, 2);
        GCHECK("injected abort: ESR_EL1", g->abort_esr[0], ESR(EC_DABT_CUR, FSC_SEA));
        GCHECK("injected abort: FAR_EL1", g->abort_far[0], g->probe_other);
        GCHECK("injected abort on the code: FAR_EL1", g->abort_far[1], g->probe_code);
        GCHECK("the load from the other's RAM left its register", g->probe_value, SENTINEL);
    }
    hv_check("the VMIDs differ", vcpus[0].vmid_seen != vcpus[1].vmid_seen, 1);
    hv_check("the shared code is unchanged", guest_canary, 0x7970653143414e59UL);
    hv_check_true("switches on the EL2 timer", switch_timer > 0);
    hv_check_true("switches on a WFI", switch_wfi > 0);
    hv_check_true("the guests' lines alternate more than once", alternations >= 3);
    hv_check("uart bytes = data aborts at the UART", vcpus[0].uart_bytes + vcpus[1].uart_bytes + vcpus[0].uart_reads + vcpus[1].uart_reads,
             traps[EC_DABT_LOW] - vcpus[0].s2_faults - vcpus[1].s2_faults);
    hv_check("WFI traps = EC 0x01 exceptions", vcpus[0].wfi + vcpus[1].wfi, traps[EC_WFX]);
    hv_check("IRQs = hypervisor timer + virtual timer", irqs, irq_hyp + irq_vtimer + irq_spurious);

    printf("type1: switches timer=%lu wfi=%lu done=%lu el2-idle=%lu alternations=%lu\n", switch_timer, switch_wfi, switch_done, el2_idle, alternations);
    printf("type1: irqs intid26=%lu intid27=%lu spurious=%lu\n", irq_hyp, irq_vtimer, irq_spurious);
    for (unsigned ec = 0; ec < 64; ec++)
        if (traps[ec])
            printf("type1: exceptions EL1->EL2 ec=0x%02x %lu\n", ec, traps[ec]);
    printf("type1: exceptions EL1->EL2 irq %lu\n", irqs);
    printf("type1: checks=%lu failures=%lu\n", checks, failures);
    return failures ? (int)(failures > 99 ? 99 : failures) : 0;
}
