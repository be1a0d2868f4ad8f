/*
 * mmu guest: EL1&0 stage 1 (stage 2 off, HCR_EL2.RW = 1). 4K granule,
 * T0SZ = 25 (TTBR0 starts at level 1), T1SZ = 16 (TTBR1 starts at level 0).
 *
 * TTBR0: 0-1 GiB Device (level 1 block, EL1 only), RAM identity (level 2
 * blocks, EL1 RW, UXN) and test pages at T_BASE (level 3 unless noted):
 */
#include "mmu.h"

#define P_CODE      (T_BASE + 0x0000)   /* mmu_user_page, RO at EL1 and EL0, executable at both */
#define P_UXN       (T_BASE + 0x1000)   /* mmu_user_page, RO at both, UXN */
#define P_PXN       (T_BASE + 0x2000)   /* mmu_user_page, RO at EL1, PXN */
#define P_USER      (T_BASE + 0x3000)   /* d_user, RW at EL1 and EL0 */
#define P_PRIV      (T_BASE + 0x4000)   /* d_priv, RW at EL1 only */
#define P_RO        (T_BASE + 0x5000)   /* d_ro, RO at EL1 only */
#define P_AF        (T_BASE + 0x6000)   /* d_af, AF = 0 */
#define P_EL0W      (T_BASE + 0x7000)   /* mmu_user_page, RW at EL0 (so PXN is implied), PXN = 0 */
#define P_RO_ALL    (T_BASE + 0x8000)   /* d_user, RO at both */
#define P_HOLE      (T_BASE + 0x9000)   /* invalid */
#define B_RO        (T_BASE + 0x200000) /* level 2 block at RAM_BASE, RO at EL1 */
#define G_AF        (T_BASE + 0x40000000) /* level 1 block at RAM_BASE, AF = 0 */
/* TTBR1: HIGH_BASE + RAM_BASE -> RAM_BASE (level 1 block, EL1 RW, executable at EL1) */
#define HIGH_L0_HOLE 0xffff800000000000UL   /* L0[256] invalid */
#define HIGH_L1_HOLE 0xffff000080000000UL   /* L0[0] -> L1[2] invalid */
#define VA_GAP       0x0080000000000000UL   /* in neither TTBR0's nor TTBR1's range */

#define SCTLR_EL1_RES1 0x30d00800UL     /* includes SPAN (bit 23) = 1: PAN unchanged on exceptions */
#define SCTLR_EL1_MCI  ((1UL << 0) | (1UL << 2) | (1UL << 12))
#define TCR_EL1_VALUE  ((2UL << 32) /* IPS 40 bits */ | (2UL << 30) /* TG1 4K */ | (3UL << 28) | \
                        (1UL << 26) | (1UL << 24) | (16UL << 16) /* T1SZ */ | (0UL << 14) /* TG0 4K */ | \
                        (3UL << 12) | (1UL << 10) | (1UL << 8) | 25 /* T0SZ */)
#define A_NORMAL (S1_ATTR(0) | S1_SH_IS | S1_AF)
#define A_DEVICE (S1_ATTR(1) | S1_SH_DEV | S1_AF | S1_PXN | S1_UXN)

#define VAL_USER 0x05e7000000000001UL
#define VAL_PRIV 0x0911000000000002UL
#define VAL_RO   0x0e0e000000000003UL

static struct pt t0, t1;
u64 el1_ttbr1_root;
static u64 d_user, d_priv, d_ro, d_af;

#define UOFF(sym) ((u64)(sym) - (u64)mmu_user_page)

void el1_tables_build(void)
{
    u64 ep = (u64)mmu_user_page;
    pool_reset();
    pt_init(&t0, 12, 39);
    pt_init(&t1, 12, 48);
    el1_ttbr1_root = t1.root;
    d_user = pool_alloc(4096);
    d_priv = pool_alloc(4096);
    d_ro = pool_alloc(4096);
    d_af = pool_alloc(4096);
    st64(d_user, VAL_USER);
    st64(d_priv, VAL_PRIV);
    st64(d_priv + 0x10, VAL_PRIV);
    st64(d_ro + 0x10, VAL_RO);

    pt_map(&t0, 0, 0, 1, A_DEVICE);
    for (u64 a = RAM_BASE; a < RAM_END; a += 0x200000)
        pt_map(&t0, a, a, 2, A_NORMAL | S1_AP_RW_EL1 | S1_UXN);
    pt_map(&t0, P_CODE, ep, 3, A_NORMAL | S1_AP_RO_ALL);
    pt_map(&t0, P_UXN, ep, 3, A_NORMAL | S1_AP_RO_ALL | S1_UXN);
    pt_map(&t0, P_PXN, ep, 3, A_NORMAL | S1_AP_RO_EL1 | S1_UXN | S1_PXN);
    pt_map(&t0, P_USER, d_user, 3, A_NORMAL | S1_AP_RW_ALL | S1_UXN | S1_PXN);
    pt_map(&t0, P_PRIV, d_priv, 3, A_NORMAL | S1_AP_RW_EL1 | S1_UXN);
    pt_map(&t0, P_RO, d_ro, 3, A_NORMAL | S1_AP_RO_EL1 | S1_UXN);
    pt_map(&t0, P_AF, d_af, 3, (A_NORMAL & ~S1_AF) | S1_UXN);
    pt_map(&t0, P_EL0W, ep, 3, A_NORMAL | S1_AP_RW_ALL | S1_UXN);
    pt_map(&t0, P_RO_ALL, d_user, 3, A_NORMAL | S1_AP_RO_ALL | S1_UXN);
    pt_map(&t0, T_IPA_OK, 0x48000000UL, 3, A_NORMAL | S1_UXN);
    pt_map(&t0, T_IPA_BAD, 0x0a000000UL, 3, A_NORMAL | S1_UXN);
    pt_map(&t0, B_RO, RAM_BASE, 2, A_NORMAL | S1_AP_RO_EL1 | S1_UXN | S1_PXN);
    pt_map(&t0, G_AF, RAM_BASE, 1, (A_NORMAL & ~S1_AF) | S1_UXN);
    pt_map(&t1, HIGH_BASE + RAM_BASE, RAM_BASE, 1, A_NORMAL | S1_UXN);
}

/* Program the EL1&0 regime from EL2 (stage 1 on or off) and invalidate the
 * EL1&0 TLB entries of every VMID. */
void el1_mmu(int on, u64 ttbr1)
{
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
    isb();
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, TCR_EL1_VALUE);
    write_sysreg(ttbr0_el1, t0.root);
    write_sysreg(ttbr1_el1, ttbr1);
    isb();
    tlbi(alle1);
    if (on)
        write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | SCTLR_EL1_MCI);
    isb();
}

/* an EL1 load that must fault at EL1 */
static void el1_load_fault(const char *nm, u64 (*probe)(u64, u64), const char *insn, u64 va, u64 fsc, int pan)
{
    fault_reset();
    check2(nm, " value", el1_call(probe, va, 0, 0, pan), SENT);
    check_fault(nm, &f1, ESR(EC_DABT_CUR, fsc), va, (u64)insn);
}

static void el1_store_fault(const char *nm, u64 (*probe)(u64, u64), const char *insn, u64 va, u64 fsc, int pan)
{
    fault_reset();
    el1_call(probe, va, 0xbad, 0, pan);
    check_fault(nm, &f1, ESR(EC_DABT_CUR, WNR | fsc), va, (u64)insn);
}

static void el1_exec_fault(const char *nm, u64 va)
{
    fault_reset();
    check2(nm, " value", el1_call((void *)va, 0, 0, 0, 0), SENT);
    check_fault(nm, &f1, ESR(EC_IABT_CUR, FSC_PERM(3)), va, va);
}

static u64 el0(u64 pc, u64 a0, u64 a1)
{
    return el1_call(el1_to_el0, pc, a0, a1, 0);
}

void test_el1_stage1(void)
{
    el1_tables_build();
    write_sysreg(hcr_el2, 1UL << 31);
    isb();
    el1_mmu(1, el1_ttbr1_root);

    /* identity and TTBR1 */
    fault_reset();
    check("el1 identity read", el1_call(probe_ldr_x, (u64)&g_magic, 0, 0, 0), MAGIC);
    check("el1 ttbr1 read", el1_call(probe_ldr_x, HIGH_BASE + (u64)&g_magic, 0, 0, 0), MAGIC);
    el1_call(probe_str_x, HIGH_BASE + d_user + 8, 0x7711, 0, 0);
    check("el1 ttbr1 write", ld64(d_user + 8), 0x7711);
    check("el1 ttbr1 exec", el1_call((void *)(HIGH_BASE + (u64)user_ret42), 0, 0, 0, 0), 42);
    check("el1 ttbr1 no fault", f1.n + f2.n, 0);
    el1_load_fault("el1 ttbr1 l0 hole", probe_ldr_x, probe_ldr_x_insn, HIGH_L0_HOLE + 0x10, FSC_TRANS(0), 0);
    el1_load_fault("el1 ttbr1 l1 hole", probe_ldr_x, probe_ldr_x_insn, HIGH_L1_HOLE + 0x10, FSC_TRANS(1), 0);
    el1_load_fault("el1 va gap", probe_ldr_x, probe_ldr_x_insn, VA_GAP + 0x10, FSC_TRANS(0), 0);
    el1_load_fault("el1 l3 hole", probe_ldr_x, probe_ldr_x_insn, P_HOLE + 0x8, FSC_TRANS(3), 0);

    /* AP: read-only page and block */
    fault_reset();
    check("el1 ro read", el1_call(probe_ldr_x, P_RO + 0x10, 0, 0, 0), VAL_RO);
    check("el1 ro block read", el1_call(probe_ldr_x, B_RO + ((u64)&g_magic - RAM_BASE), 0, 0, 0), MAGIC);
    check("el1 ro reads no fault", f1.n, 0);
    el1_store_fault("el1 ro write", probe_str_x, probe_str_x_insn, P_RO + 0x10, FSC_PERM(3), 0);
    check("el1 ro write kept", ld64(d_ro + 0x10), VAL_RO);
    el1_store_fault("el1 ro block write", probe_str_x, probe_str_x_insn, B_RO + 0x100, FSC_PERM(2), 0);

    /* PAN */
    fault_reset();
    check("el1 pan=1 readback", el1_call(read_pan, 0, 0, 0, 1), 1UL << 22);
    check("el1 pan=0 readback", el1_call(read_pan, 0, 0, 0, 0), 0);
    check("el1 pan=0 user read", el1_call(probe_ldr_x, P_USER, 0, 0, 0), VAL_USER);
    check("el1 pan=1 ldtr user", el1_call(probe_ldtr_x, P_USER, 0, 0, 1), VAL_USER);
    el1_call(probe_sttr_x, P_USER + 0x30, 0x5157, 0, 1);
    check("el1 pan=1 sttr user", ld64(d_user + 0x30), 0x5157);
    check("el1 pan=1 priv read", el1_call(probe_ldr_x, P_PRIV, 0, 0, 1), VAL_PRIV);
    check("el1 pan no fault", f1.n, 0);
    el1_load_fault("el1 pan=1 user read", probe_ldr_x, probe_ldr_x_insn, P_USER + 0x20, FSC_PERM(3), 1);
    el1_store_fault("el1 pan=1 user write", probe_str_x, probe_str_x_insn, P_USER + 0x28, FSC_PERM(3), 1);
    check("el1 pan=1 user write kept", ld64(d_user + 0x28), 0);
    /* LDTR/STTR are checked as EL0 accesses */
    el1_load_fault("el1 ldtr priv", probe_ldtr_x, probe_ldtr_x_insn, P_PRIV + 0x8, FSC_PERM(3), 0);
    el1_store_fault("el1 sttr ro-el1", probe_sttr_x, probe_sttr_x_insn, P_RO + 0x18, FSC_PERM(3), 0);
    el1_store_fault("el1 sttr ro-all", probe_sttr_x, probe_sttr_x_insn, P_RO_ALL + 0x18, FSC_PERM(3), 0);

    /* execute permission at EL1 */
    fault_reset();
    check("el1 exec code page", el1_call((void *)(P_CODE + UOFF(user_ret42)), 0, 0, 0, 0), 42);
    check("el1 exec no fault", f1.n, 0);
    el1_exec_fault("el1 exec pxn", P_PXN + UOFF(user_ret42));
    el1_exec_fault("el1 exec el0-writable", P_EL0W + UOFF(user_ret42));

    /* access flag (TCR_EL1.HA = 0, so AF = 0 faults whether or not FEAT_HAFDBS is implemented) */
    el1_load_fault("el1 af page", probe_ldr_x, probe_ldr_x_insn, P_AF + 0x10, FSC_AF(3), 0);
    el1_load_fault("el1 af 1g block", probe_ldr_x, probe_ldr_x_insn, G_AF + 0x20, FSC_AF(1), 0);

    /* EL0 */
    fault_reset();
    check("el0 svc", el0(P_CODE + UOFF(user_svc), 0x1234, 0), 0x1234);
    check("el0 read user", el0(P_CODE + UOFF(user_load), P_USER, 0), VAL_USER);
    el0(P_CODE + UOFF(user_store), P_USER + 0x38, 0xe10);
    check("el0 write user", ld64(d_user + 0x38), 0xe10);
    check("el0 read ro-all", el0(P_CODE + UOFF(user_load), P_RO_ALL, 0), VAL_USER);
    check("el0 no fault", f1.n + f2.n, 0);
    fault_reset();
    check("el0 read priv value", el0(P_CODE + UOFF(user_load), P_PRIV + 0x10, 0), SENT);
    check_fault("el0 read priv", &f1, ESR(EC_DABT_LOW, FSC_PERM(3)), P_PRIV + 0x10, P_CODE + UOFF(user_load_insn));
    fault_reset();
    el0(P_CODE + UOFF(user_load), P_RO + 0x10, 0);
    check_fault("el0 read ro-el1", &f1, ESR(EC_DABT_LOW, FSC_PERM(3)), P_RO + 0x10, P_CODE + UOFF(user_load_insn));
    fault_reset();
    el0(P_CODE + UOFF(user_store), P_RO_ALL + 0x40, 1);
    check_fault("el0 write ro-all", &f1, ESR(EC_DABT_LOW, WNR | FSC_PERM(3)), P_RO_ALL + 0x40,
                P_CODE + UOFF(user_store_insn));
    check("el0 write ro-all kept", ld64(d_user + 0x40), 0);
    fault_reset();
    el0(P_CODE + UOFF(user_load), P_AF + 0x8, 0);
    check_fault("el0 af page", &f1, ESR(EC_DABT_LOW, FSC_AF(3)), P_AF + 0x8, P_CODE + UOFF(user_load_insn));
    fault_reset();
    check("el0 exec uxn value", el0(P_UXN + UOFF(user_svc), 7, 0), SENT);
    check_fault("el0 exec uxn", &f1, ESR(EC_IABT_LOW, FSC_PERM(3)), P_UXN, P_UXN);
    check("el0 exec uxn spsr", f1.spsr & 0x1f, 0);

    /* AT -> PAR_EL1 */
    fault_reset();
    check("at s1e1r user", el1_call(at_s1e1r, P_USER + 0x123, 0, 0, 0) & PAR_OK_MASK, PAR_OK(0xff, d_user, 3));
    check("at s1e1r pan=1 user", el1_call(at_s1e1r, P_USER, 0, 0, 1) & PAR_OK_MASK, PAR_OK(0xff, d_user, 3));
    check("at s1e1r ttbr1", el1_call(at_s1e1r, HIGH_BASE + (u64)&g_magic, 0, 0, 0) & PAR_OK_MASK,
          PAR_OK(0xff, (u64)&g_magic, 3));
    check("at s1e1r block", el1_call(at_s1e1r, B_RO + 0x1234, 0, 0, 0) & PAR_OK_MASK,
          PAR_OK(0xff, RAM_BASE + 0x1000, 3));
    check("at s1e1r device", el1_call(at_s1e1r, UART_PA + 0x18, 0, 0, 0) & PAR_OK_MASK, PAR_OK(0x00, UART_PA, 2));
    check("at s1e1w ro", el1_call(at_s1e1w, P_RO, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_PERM(3)));
    check("at s1e1w ro block", el1_call(at_s1e1w, B_RO, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_PERM(2)));
    check("at s1e1w priv", el1_call(at_s1e1w, P_PRIV, 0, 0, 0) & PAR_OK_MASK, PAR_OK(0xff, d_priv, 3));
    check("at s1e0r priv", el1_call(at_s1e0r, P_PRIV, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_PERM(3)));
    check("at s1e0r user", el1_call(at_s1e0r, P_USER, 0, 0, 0) & PAR_OK_MASK, PAR_OK(0xff, d_user, 3));
    check("at s1e0w ro-all", el1_call(at_s1e0w, P_RO_ALL, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_PERM(3)));
    check("at s1e1r l3 hole", el1_call(at_s1e1r, P_HOLE, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_TRANS(3)));
    check("at s1e1r va gap", el1_call(at_s1e1r, VA_GAP, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_TRANS(0)));
    check("at s1e1r ttbr1 l0 hole", el1_call(at_s1e1r, HIGH_L0_HOLE, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_TRANS(0)));
    check("at s1e1r ttbr1 l1 hole", el1_call(at_s1e1r, HIGH_L1_HOLE, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_TRANS(1)));
    check("at s1e1r af", el1_call(at_s1e1r, P_AF, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_AF(3)));
    check("at s1e1r af 1g block", el1_call(at_s1e1r, G_AF, 0, 0, 0) & 0xfff, PAR_FAIL(FSC_AF(1)));
    check("at s1e1r from el2", at_s1e1r(P_USER) & PAR_OK_MASK, PAR_OK(0xff, d_user, 3));
    check("at s1e0r from el2", at_s1e0r(P_PRIV) & 0xfff, PAR_FAIL(FSC_PERM(3)));
    check("at no fault", f1.n + f2.n, 0);

    el1_mmu(0, el1_ttbr1_root);
}
