/*
 * FEAT_S2FWB (Armv8.4 stage 2 forced Write-Back), and how stage 2 memory
 * attributes combine with stage 1's: PAR_EL1 after AT S12E1R at EL2 (Arm ARM
 * D8 "Combining the stage 1 and stage 2 attributes", the HCR_EL2.FWB and CD
 * descriptions, PAR_EL1.ATTR/SH; the pseudocode's S2CombineS1MemAttrs,
 * S2ApplyFWBMemAttrs, S2CombineS1Shareability):
 *  - ID_AA64MMFR2_EL1.FWB = 1, HCR_EL2.FWB writable, CLIDR_EL1.{LoUU, LoUIS}
 *    = 0 as FEAT_S2FWB requires;
 *  - FWB = 0: stage 2 MemAttr[3:2]/[1:0] are outer/inner cacheability or a
 *    Device type; the result is the more restrictive type and cacheability,
 *    stage 1's allocation hints and transience, the stronger shareability;
 *  - FWB = 1: MemAttr[2] = 0 a Device type; 0b101 Non-cacheable (stage 1
 *    Device stays Device), 0b110 Write-Back whatever stage 1 says (with
 *    stage 1's allocation hints and transience where it is cacheable),
 *    0b111 stage 1's attributes;
 *  - HCR_EL2.CD: Normal memory becomes Non-cacheable;
 *  - HCR_EL2.PTW: a stage 1 walk to memory stage 2 makes Device is a stage 2
 *    Permission fault; which MemAttr is Device depends on FWB.
 */
#include "lor_fwb.h"
#include "pt.h"

u64 at_s12e1r(u64 va);

#define TVA      0x10000000UL   /* the translated VA */
#define TIPA     0x80000000UL   /* its IPA (not RAM: only stage 2 maps it) */
#define TTB_IPA  0x80200000UL   /* the IPA stage 1's table is read at in the PTW checks */
/* MAIR_EL1: 0 WB RaWa, 1 Device-nGnRnE, 2 NC, 3 WT RaWa, 4 Device-nGnRE, 5 Device-GRE, 6 WB transient RaWa */
#define MAIR     0x00770c04bb4400ffUL
#define S1_AF    (1UL << 10)

static struct pt s1, s2;
static u64 data_pa;

static void tlbi_all_el1(void) { __asm__ volatile("dsb ish; tlbi alle1; dsb ish; isb" ::: "memory"); }

static void setup(void)
{
    pool_reset();
    pt_init(&s1, 12, 39);
    pt_init(&s2, 12, 39);
    data_pa = pool_alloc(4096);
    /* Stage 2: RAM identity-mapped (one 1 GiB block), Normal Write-Back. */
    pt_map(&s2, 0x40000000UL, 0x40000000UL, 1, S2_MEM_NORMAL | S2_AP_RW | S2_SH_IS | S2_AF);
    write_sysreg(mair_el1, MAIR);
    write_sysreg(tcr_el1, 25 | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (2UL << 32));
    write_sysreg(ttbr0_el1, s1.root);
    /* VTCR_EL2: T0SZ 25, SL0 1 (start at level 1), IRGN0/ORGN0 WB, SH0 Inner, 4K, PS 40 bits. */
    write_sysreg(vtcr_el2, 25 | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16));
    write_sysreg(vttbr_el2, s2.root | (1UL << 48));
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF | 1);
    isb();
}

/* PAR_EL1 of AT S12E1R of TVA with stage 1 AttrIndx/SH and stage 2 MemAttr/SH. */
static u64 par_for(u64 hcr, unsigned idx, unsigned s1sh, unsigned memattr, unsigned s2sh)
{
    pt_map(&s1, TVA, TIPA, 3, S1_AF | ((u64)s1sh << 8) | ((u64)idx << 2));
    pt_map(&s2, TIPA, data_pa, 3, S2_AF | S2_AP_RW | ((u64)s2sh << 8) | ((u64)memattr << 2));
    set_hcr(HCR_VM | hcr);
    tlbi_all_el1();
    u64 par = at_s12e1r(TVA);
    set_hcr(0);
    return par;
}

static const struct attr_case {
    const char *name;
    u64 hcr;
    unsigned idx, s1sh, memattr, s2sh;
    unsigned attr, sh;
} cases[] = {
    { "WB + S2 WB", 0, 0, 3, 0xf, 3, 0xff, 3 },
    { "WB + S2 NC", 0, 0, 3, 0x5, 3, 0x44, 2 },
    { "WB + S2 WT", 0, 0, 3, 0xa, 3, 0xbb, 3 },
    { "WB + S2 Device-nGnRE", 0, 0, 3, 0x1, 3, 0x04, 2 },
    { "Device-nGnRnE + S2 WB", 0, 1, 3, 0xf, 3, 0x00, 2 },
    { "Device-GRE + S2 Device-nGRE", 0, 5, 3, 0x2, 3, 0x08, 2 },
    { "NC + S2 WB", 0, 2, 3, 0xf, 3, 0x44, 2 },
    { "WT + S2 outer WB inner NC", 0, 3, 3, 0xd, 2, 0xb4, 2 },
    { "WB transient + S2 WT: WT transient", 0, 6, 3, 0xa, 3, 0x33, 3 },
    { "WB non-shareable + S2 non-shareable", 0, 0, 0, 0xf, 0, 0xff, 0 },
    { "WB non-shareable + S2 Inner Shareable", 0, 0, 0, 0xf, 3, 0xff, 3 },
    { "WB Inner + S2 Outer Shareable", 0, 0, 3, 0xf, 2, 0xff, 2 },
    { "WB + S2 0b1110 (outer WB, inner WT)", 0, 0, 3, 0xe, 3, 0xfb, 3 },
    { "CD: WB + S2 WB", HCR_CD, 0, 3, 0xf, 3, 0x44, 2 },
    { "CD: Device-nGnRE + S2 WB", HCR_CD, 4, 3, 0xf, 3, 0x04, 2 },
    { "FWB: Device-nGnRnE + S2 0b110 (forced WB)", HCR_FWB, 1, 3, 0x6, 3, 0xff, 3 },
    { "FWB: WB non-shareable + S2 0b110 Inner", HCR_FWB, 0, 0, 0x6, 3, 0xff, 3 },
    { "FWB: WT + S2 0b111 (stage 1's)", HCR_FWB, 3, 3, 0x7, 3, 0xbb, 3 },
    { "FWB: WB transient + S2 0b111", HCR_FWB, 6, 3, 0x7, 3, 0x77, 3 },
    { "FWB: WB + S2 0b101 (NC)", HCR_FWB, 0, 3, 0x5, 3, 0x44, 2 },
    { "FWB: Device-nGnRE + S2 0b101", HCR_FWB, 4, 3, 0x5, 3, 0x04, 2 },
    { "FWB: WB + S2 0b001 (Device-nGnRE)", HCR_FWB, 0, 3, 0x1, 3, 0x04, 2 },
    { "FWB: Device-nGnRnE + S2 0b011 (Device-GRE)", HCR_FWB, 1, 3, 0x3, 3, 0x00, 2 },
    { "FWB: WT RaWa + S2 0b110: WB with stage 1's hints", HCR_FWB, 3, 3, 0x6, 3, 0xff, 3 },
    { "FWB: WB transient + S2 0b110: WB transient", HCR_FWB, 6, 3, 0x6, 3, 0x77, 3 },
    { "FWB: NC + S2 0b110: WB RaWa", HCR_FWB, 2, 3, 0x6, 3, 0xff, 3 },
};

/* PAR_EL1 of AT S12E1R of TVA when stage 1's table is read at TTB_IPA,
 * which stage 2 maps to it with MemAttr `memattr`. */
static u64 walk_par(u64 hcr, unsigned memattr)
{
    pt_map(&s1, TVA, TIPA, 3, S1_AF | (3UL << 8));
    pt_map(&s2, TIPA, data_pa, 3, S2_AF | S2_AP_RW | S2_SH_IS | S2_MEM_NORMAL);
    pt_map(&s2, TTB_IPA, s1.root, 3, S2_AF | S2_AP_RW | S2_SH_IS | ((u64)memattr << 2));
    write_sysreg(ttbr0_el1, TTB_IPA);
    set_hcr(HCR_VM | hcr);
    tlbi_all_el1();
    u64 par = at_s12e1r(TVA);
    set_hcr(0);
    write_sysreg(ttbr0_el1, s1.root);
    return par;
}

/* A successful PAR_EL1 (bit 9, NS, is UNKNOWN for a Non-secure regime: the checks mask it). */
#define PAR_NS   (1UL << 9)
#define PAR_OK(pa, attr, sh) (((pa) & 0xfffffffff000UL) | ((u64)(attr) << 56) | ((u64)(sh) << 7) | (1UL << 11))
/* PAR_EL1.F with FST = Permission fault at level 3, PTW, S (stage 2), RES1 bit 11 */
#define PAR_S2_PTW_PERM_L3 (1UL | (0xfUL << 1) | (1UL << 8) | (1UL << 9) | (1UL << 11))

void fwb(void)
{
    check("ID_AA64MMFR2_EL1.FWB reads 1 (FEAT_S2FWB)", (read_sysreg(id_aa64mmfr2_el1) >> 40) & 0xf, 1);
    u64 clidr = read_sysreg(clidr_el1);
    check("CLIDR_EL1.LoUU = 0 (required by FEAT_S2FWB)", (clidr >> 27) & 7, 0);
    check("CLIDR_EL1.LoUIS = 0 (required by FEAT_S2FWB)", (clidr >> 21) & 7, 0);
    set_hcr(HCR_FWB);
    check("HCR_EL2.FWB writable", read_sysreg(hcr_el2) & HCR_FWB, HCR_FWB);
    set_hcr(0);

    setup();
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct attr_case *c = &cases[i];
        check2(c->name, ": PAR_EL1", par_for(c->hcr, c->idx, c->s1sh, c->memattr, c->s2sh) & ~PAR_NS, PAR_OK(data_pa, c->attr, c->sh));
    }
    check("PTW: S2 0b0110 without FWB is Normal: the walk succeeds", walk_par(HCR_PTW, 0x6) & ~PAR_NS, PAR_OK(data_pa, 0xff, 3));
    check("PTW: S2 0b0011 with FWB is Device-GRE: stage 2 Permission fault on the walk", walk_par(HCR_PTW | HCR_FWB, 0x3), PAR_S2_PTW_PERM_L3);
    check("PTW: S2 0b0110 with FWB is Write-Back: the walk succeeds", walk_par(HCR_PTW | HCR_FWB, 0x6) & ~PAR_NS, PAR_OK(data_pa, 0xff, 3));
    check("PTW: S2 0b0001 is Device without FWB: stage 2 Permission fault on the walk", walk_par(HCR_PTW, 0x1), PAR_S2_PTW_PERM_L3);
    write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
    isb();
}
