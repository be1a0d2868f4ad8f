/*
 * mmu guest: stage 2 (HCR_EL2.VM = 1). VTCR_EL2: 4K granule, T0SZ = 32
 * (4 GiB IPA space), SL0 = 1 (start at level 1), PS = 40 bits, 8-bit VMID.
 *
 * Two stage 2 tables, identical except for IPA_VMID:
 *   UART           -> UART (level 2 block, Device-nGnRE)
 *   RAM            -> RAM (level 2 blocks, Normal WB, RW)
 *   IPA_PAGE       -> da, RW          IPA_RO   -> db, read-only
 *   IPA_NOAF       -> dc, AF = 0      IPA_NONE -> dd, no access
 *   IPA_VMID       -> pa_a (VMID 1) / pa_b (VMID 2)
 *   IPA_MMIO (0x0a000000) and IPA_TABLE_HOLE are not mapped (level 2 entries invalid).
 * HPFAR_EL2.FIPA (bits [43:4]) = IPA[47:12] of the faulting IPA.
 */
#include "mmu.h"

#define HCR_RW     (1UL << 31)
#define HCR_VM     (1UL << 0)
#define VTCR_VALUE ((1UL << 31) | (2UL << 16) /* PS */ | (0UL << 14) /* TG0 4K */ | (3UL << 12) | \
                    (1UL << 10) | (1UL << 8) | (1UL << 6) /* SL0: level 1 */ | 32 /* T0SZ */)
#define S2_NORMAL  (S2_MEM_NORMAL | S2_SH_IS | S2_AF)
#define S2_DEVICE  (S2_MEM_DEVICE | S2_AP_RW | S2_AF | S2_XN)

#define IPA_MMIO       0x0a000000UL
#define IPA_PAGE       0x48000000UL
#define IPA_RO         0x48001000UL
#define IPA_NOAF       0x48002000UL
#define IPA_NONE       0x48003000UL
#define IPA_TABLE_HOLE 0x4c000000UL
#define IPA_VMID       0x80000000UL
#define IPA_L1_HOLE    0xc0000000UL          /* no stage 2 level 1 entry */
/* TTBR1_EL1 walks (ptw_tables), each faulting at stage 2 at the same level
 * as the stage 1 descriptor it fetches */
#define VA_PTW1        0xffff800000000010UL  /* L0[256] -> L1 table at IPA_L1_HOLE */
#define VA_PTW2        0xffff000000000010UL  /* L0[0] -> L1[0] -> L2 table at IPA_TABLE_HOLE */
#define VA_PTW3        0xffff000040000010UL  /* L0[0] -> L1[1] -> L2[0] -> L3 table at IPA_NONE */

#define VAL_DA 0xda0000000000da01UL
#define VAL_DB 0xdb0000000000db02UL
#define VAL_A  0xaaaa00000000000aUL
#define VAL_B  0xbbbb00000000000bUL
#define VAL_C  0xcccc00000000000cUL
#define PA_MASK_F 0xfffffffff001UL          /* PAR_EL1 PA[47:12] and F */

static struct pt s2a, s2b;
static u64 da, db, dc, dd, pa_a, pa_b, pa_c;

static u64 hpfar_of(u64 ipa)
{
    return (ipa >> 12) << 4;
}

static void s2_build(struct pt *p, u64 vmid_pa)
{
    pt_init(p, 12, 32);
    pt_map(p, UART_PA, UART_PA, 2, S2_DEVICE);
    for (u64 a = RAM_BASE; a < RAM_END; a += 0x200000)
        pt_map(p, a, a, 2, S2_NORMAL | S2_AP_RW);
    pt_map(p, IPA_PAGE, da, 3, S2_NORMAL | S2_AP_RW);
    pt_map(p, IPA_RO, db, 3, S2_NORMAL | S2_AP_RO);
    pt_map(p, IPA_NOAF, dc, 3, (S2_NORMAL & ~S2_AF) | S2_AP_RW);
    pt_map(p, IPA_NONE, dd, 3, S2_NORMAL | S2_AP_NONE);
    pt_map(p, IPA_VMID, vmid_pa, 3, S2_NORMAL | S2_AP_RW);
}

/* a TTBR1_EL1 tree whose lower tables are at IPAs stage 2 does not allow */
static u64 ptw_tables(void)
{
    u64 l0 = pool_alloc(4096), l1 = pool_alloc(4096), l2 = pool_alloc(4096);
    st64(l0 + 0 * 8, l1 | 3);
    st64(l0 + 256 * 8, IPA_L1_HOLE | 3);
    st64(l1 + 0 * 8, IPA_TABLE_HOLE | 3);
    st64(l1 + 1 * 8, l2 | 3);
    st64(l2 + 0 * 8, IPA_NONE | 3);
    dsb_ish();
    return l0;
}

static void vttbr(struct pt *p, u64 vmid)
{
    write_sysreg(vttbr_el2, p->root | (vmid << 48));
    isb();
}

/* an EL1 access to an IPA that stage 2 does not map (stage 1 off: IPA = VA) */
static void mmio(const char *nm, u64 (*probe)(u64, u64), const char *insn, u64 ipa, u64 iss, int load)
{
    fault_reset();
    u64 r = el1_call(probe, ipa, 0x1234, 0, 0);
    if (load)
        check2(nm, " value", r, SENT);
    check_fault2(nm, ESR(EC_DABT_LOW, iss), ipa, hpfar_of(ipa), (u64)insn);
    check2(nm, " no el1 fault", f1.n, 0);
}

static u64 rd(u64 va)
{
    return el1_call(probe_ldr_x, va, 0, 0, 0);
}

void test_stage2(void)
{
    /* the EL1 tables built by test_el1_stage1 stay in the pool */
    da = pool_alloc(4096);
    db = pool_alloc(4096);
    dc = pool_alloc(4096);
    dd = pool_alloc(4096);
    pa_a = pool_alloc(4096);
    pa_b = pool_alloc(4096);
    pa_c = pool_alloc(4096);
    st64(da + 0x10, VAL_DA);
    st64(db, VAL_DB);
    st64(pa_a, VAL_A);
    st64(pa_b, VAL_B);
    st64(pa_c, VAL_C);
    s2_build(&s2a, pa_a);
    s2_build(&s2b, pa_b);

    write_sysreg(vtcr_el2, VTCR_VALUE);
    vttbr(&s2a, 1);
    write_sysreg(hcr_el2, HCR_RW | HCR_VM);
    isb();
    el1_mmu(0, el1_ttbr1_root);

    /* EL1 stage 1 off: VA = IPA */
    fault_reset();
    check("s2 ram read", rd((u64)&g_magic), MAGIC);
    check("s2 page read", rd(IPA_PAGE + 0x10), VAL_DA);
    check("s2 ro page read", rd(IPA_RO), VAL_DB);
    check("s2 no fault", f1.n + f2.n, 0);

    /* MMIO trap: a stage 2 translation fault (level 2) with a valid instruction syndrome */
    mmio("s2 mmio ldr w1", probe_ldr_w1, probe_ldr_w1_insn, IPA_MMIO + 0x10,
         ISV | SAS(2) | SRT(1) | FSC_TRANS(2), 1);
    mmio("s2 mmio str w1", probe_str_w1, probe_str_w1_insn, IPA_MMIO + 0x24,
         ISV | SAS(2) | SRT(1) | WNR | FSC_TRANS(2), 0);
    mmio("s2 mmio ldrb w3", probe_ldrb_w3, probe_ldrb_w3_insn, IPA_MMIO + 0x1003,
         ISV | SAS(0) | SRT(3) | FSC_TRANS(2), 1);
    mmio("s2 mmio ldrsh x5", probe_ldrsh_x5, probe_ldrsh_x5_insn, IPA_MMIO + 0x2006,
         ISV | SAS(1) | SSE | SRT(5) | SF | FSC_TRANS(2), 1);
    mmio("s2 mmio str x1", probe_str_x, probe_str_x_insn, IPA_MMIO + 0x3008,
         ISV | SAS(3) | SRT(1) | SF | WNR | FSC_TRANS(2), 0);
    mmio("s2 mmio ldar w1", probe_ldar_w1, probe_ldar_w1_insn, IPA_MMIO + 0x4000,
         ISV | SAS(2) | SRT(1) | AR | FSC_TRANS(2), 1);
    mmio("s2 mmio ldr post-index", probe_ldr_post, probe_ldr_post_insn, IPA_MMIO + 0x5010,
         FSC_TRANS(2), 1);      /* writeback: no instruction syndrome */

    /* stage 2 permission and access flag faults */
    mmio("s2 ro write", probe_str_x, probe_str_x_insn, IPA_RO + 0x18,
         ISV | SAS(3) | SRT(1) | SF | WNR | FSC_PERM(3), 0);
    check("s2 ro write kept", ld64(db + 0x18), 0);
    mmio("s2 af read", probe_ldr_x, probe_ldr_x_insn, IPA_NOAF + 0x20,
         ISV | SAS(3) | SRT(1) | SF | FSC_AF(3), 1);
    mmio("s2 no-access read", probe_ldr_x, probe_ldr_x_insn, IPA_NONE + 0x28,
         ISV | SAS(3) | SRT(1) | SF | FSC_PERM(3), 1);

    /* AT S12E1R/W with stage 1 off */
    check("at s12e1r s1 off", at_s12e1r(IPA_PAGE + 0x10) & PA_MASK_F, da);
    check("at s12e1r ro", at_s12e1r(IPA_RO) & PA_MASK_F, db);
    check("at s12e1r s2 hole", at_s12e1r(IPA_MMIO) & 0xfff, PAR_FAIL(FSC_TRANS(2)) | PAR_S);
    check("at s12e1r no-access", at_s12e1r(IPA_NONE) & 0xfff, PAR_FAIL(FSC_PERM(3)) | PAR_S);
    check("at s12e1w ro", at_s12e1w(IPA_RO) & 0xfff, PAR_FAIL(FSC_PERM(3)) | PAR_S);
    check("at s12e1r af", at_s12e1r(IPA_NOAF) & 0xfff, PAR_FAIL(FSC_AF(3)) | PAR_S);

    /* EL1 stage 1 on, its tables in IPA space (stage 2 maps RAM 1:1) */
    u64 ptw_root = ptw_tables();
    el1_mmu(1, ptw_root);
    fault_reset();
    check("s2+s1 identity read", rd((u64)&g_magic), MAGIC);
    check("s2+s1 two-stage read", rd(T_IPA_OK + 0x10), VAL_DA);
    check("s2+s1 no fault", f1.n + f2.n, 0);
    fault_reset();
    el1_call(probe_ldr_w1, T_IPA_BAD + 0x10, 0, 0, 0);
    check_fault2("s2+s1 mmio", ESR(EC_DABT_LOW, ISV | SAS(2) | SRT(1) | FSC_TRANS(2)), T_IPA_BAD + 0x10,
                 hpfar_of(IPA_MMIO), (u64)probe_ldr_w1_insn);

    /* the stage 1 walk faults at stage 2: S1PTW = 1, no instruction syndrome,
     * FAR = the VA, HPFAR = the IPA of the descriptor being fetched */
    fault_reset();
    check("s1ptw l1 value", el1_call(probe_ldr_w1, VA_PTW1, 0, 0, 0), SENT);
    check_fault2("s1ptw l1", ESR(EC_DABT_LOW, S1PTW | FSC_TRANS(1)), VA_PTW1, hpfar_of(IPA_L1_HOLE),
                 (u64)probe_ldr_w1_insn);
    check("s1ptw l1 no el1 fault", f1.n, 0);
    fault_reset();
    el1_call(probe_ldr_w1, VA_PTW2, 0, 0, 0);
    check_fault2("s1ptw l2", ESR(EC_DABT_LOW, S1PTW | FSC_TRANS(2)), VA_PTW2, hpfar_of(IPA_TABLE_HOLE),
                 (u64)probe_ldr_w1_insn);
    fault_reset();
    el1_call(probe_ldr_x, VA_PTW3, 0, 0, 0);
    check_fault2("s1ptw l3 perm", ESR(EC_DABT_LOW, S1PTW | FSC_PERM(3)), VA_PTW3, hpfar_of(IPA_NONE),
                 (u64)probe_ldr_x_insn);
    /* a store whose walk faults: WnR still describes the instruction, not the
     * walk's read (AArch64.SecondStageWalk passes the access's iswrite into
     * the stage 2 walk and permission check; the ESR WnR text only permits
     * WnR = 0 for stage 2 aborts on stage 1 walks of *atomic* instructions) */
    fault_reset();
    el1_call(probe_str_w1, VA_PTW2, 1, 0, 0);
    check_fault2("s1ptw str", ESR(EC_DABT_LOW, S1PTW | WNR | FSC_TRANS(2)), VA_PTW2, hpfar_of(IPA_TABLE_HOLE),
                 (u64)probe_str_w1_insn);
    /* AT S1E1R at EL1 whose walk faults at stage 2 is taken to EL2 (CM = 1, WnR = 1) */
    fault_reset();
    el1_call(at_s1e1r, VA_PTW2, 0, 0, 0);
    check_fault2("s1ptw at s1e1r", ESR(EC_DABT_LOW, CM | S1PTW | WNR | FSC_TRANS(2)), VA_PTW2,
                 hpfar_of(IPA_TABLE_HOLE), (u64)at_s1e1r);
#ifdef MMU_STRICT
    /* stage 1 level 0 descriptor in an IPA whose stage 2 level 2 entry is invalid */
    el1_mmu(1, IPA_TABLE_HOLE);
    fault_reset();
    el1_call(probe_ldr_w1, VA_PTW1, 0, 0, 0);
    check_fault2("s1ptw s2 level", ESR(EC_DABT_LOW, S1PTW | FSC_TRANS(2)), VA_PTW1,
                 hpfar_of(IPA_TABLE_HOLE + 0x800), (u64)probe_ldr_w1_insn);
    el1_mmu(1, ptw_root);
#endif

    /* AT from EL2 with both stages */
    fault_reset();
    check("at s12e1r two-stage", at_s12e1r(T_IPA_OK + 0x10) & PAR_OK_MASK, PAR_OK(0xff, da, 3));
    check("at s1e1r gives ipa", at_s1e1r(T_IPA_OK + 0x10) & PAR_OK_MASK, PAR_OK(0xff, IPA_PAGE, 3));
    check("at s12e1r s2 hole", at_s12e1r(T_IPA_BAD) & 0xfff, PAR_FAIL(FSC_TRANS(2)) | PAR_S);
    check("at s12e1r s1ptw", at_s12e1r(VA_PTW2) & 0xfff, PAR_FAIL(FSC_TRANS(2)) | PAR_S | PAR_PTW);
    check("at s1e1r s1ptw", at_s1e1r(VA_PTW1) & 0xfff, PAR_FAIL(FSC_TRANS(1)) | PAR_S | PAR_PTW);
    check("at s12e1r s1ptw perm", at_s12e1r(VA_PTW3) & 0xfff, PAR_FAIL(FSC_PERM(3)) | PAR_S | PAR_PTW);
    check("at s12e1r s1 hole", at_s12e1r(T_BASE + 0x9000) & 0xfff, PAR_FAIL(FSC_TRANS(3)));
    check("at el2 no fault", f1.n + f2.n, 0);

    /* Two VMIDs, different stage 2 tables, same IPA, no TLB maintenance between them */
    el1_mmu(0, el1_ttbr1_root);     /* (TLBI ALLE1) */
    fault_reset();
    vttbr(&s2a, 1);
    check("vmid1 read", rd(IPA_VMID), VAL_A);
    vttbr(&s2b, 2);
    check("vmid2 read", rd(IPA_VMID), VAL_B);
    vttbr(&s2a, 1);
    check("vmid1 read again", rd(IPA_VMID), VAL_A);
    vttbr(&s2b, 2);
    check("vmid2 read again", rd(IPA_VMID), VAL_B);
    /* TLBI VMALLS12E1IS applies to the current VMID only */
    vttbr(&s2a, 1);
    tlbi(vmalls12e1is);
    check("vmid1 after tlbi", rd(IPA_VMID), VAL_A);
    vttbr(&s2b, 2);
    check("vmid2 after vmid1 tlbi", rd(IPA_VMID), VAL_B);
    /* remap VMID 1's page (break-before-make, invalidating under VMID 1) */
    vttbr(&s2a, 1);
    pt_unmap(&s2a, IPA_VMID, 3);
    tlbi(vmalls12e1is);
    pt_map(&s2a, IPA_VMID, pa_c, 3, S2_NORMAL | S2_AP_RW);
    tlbi(vmalls12e1is);
    check("vmid1 sees remap", rd(IPA_VMID), VAL_C);
    check("at s12e1r vmid1", at_s12e1r(IPA_VMID) & PA_MASK_F, pa_c);
    vttbr(&s2b, 2);
    check("vmid2 unaffected", rd(IPA_VMID), VAL_B);
    check("at s12e1r vmid2", at_s12e1r(IPA_VMID) & PA_MASK_F, pa_b);
    check("vmid no fault", f1.n + f2.n, 0);

    write_sysreg(hcr_el2, HCR_RW);
    write_sysreg(vttbr_el2, 0);
    isb();
    tlbi(alle1);
}
