/*
 * el2-traps: vector tables for EL3, EL2 and EL1, the lower-EL call and
 * return mechanism, and one probe per instruction under test.
 *
 * Vector tables: every entry builds a struct frame (traps.h) on SP_ELx and
 * calls trap_handler(frame). Its result:
 *   0  restore the frame (the handler may have changed ELR/SPSR) and ERET;
 *   1  abandon the lower-EL call in progress at this EL: lower_call()
 *      returns frame.x1 to its caller (a longjmp through jb_el<n>);
 *   2  (EL1 only) pass the return on to EL2: HVC #0x7e7e with x1 = frame.x1.
 */
#include "traps.h"
#include "frame.h"

    HANDLER_VECTORS 3, FRAME_SIZE, trap_handler, jb_el3, RET_IMM
    HANDLER_VECTORS 2, FRAME_SIZE, trap_handler, jb_el2, RET_IMM
    HANDLER_VECTORS 1, FRAME_SIZE, trap_handler, jb_el1, RET_IMM

/* jump buffers */
    .bss
    .balign 16
jb_el3: .skip 112
jb_el2: .skip 112
jb_el1: .skip 112          /* (EL1 never abandons a call: it passes returns on) */

    .text
/*
 * u64 lower_call(u64 fn, u64 spsr, u64 arg, u64 stub)
 * At EL2 or EL3: ERET to fn in the mode spsr gives, with x0 = arg and x30 =
 * stub (ret_hvc, ret_smc or ret_svc), so that fn returns into a call that
 * comes back here. The stacks of the lower ELs are reset first. Returns
 * fn's x0 (passed in x1 by the stub). LOWER_CALL (lower.h) at the caller's EL.
 */
    .globl  lower_call
    .type   lower_call, %function
lower_call:
    mrs     x9, CurrentEL
    cmp     x9, #(3 << 2)
    b.eq    lower_call_el3
    b       lower_call_el2
    .size   lower_call, . - lower_call
    LOWER_CALL lower_call_el2, 2, jb_el2, sp1=el1_stack_top, sp0=el0_stack_top
    LOWER_CALL lower_call_el3, 3, jb_el3, sp2=el2_stack_top, sp1=el1_stack_top, sp0=el0_stack_top

/* Return stubs (lower.h): the called function's result travels in x1; x0 = 0 (not a PSCI call). */
    RET_STUB ret_hvc, hvc
    RET_STUB ret_smc, smc
    RET_STUB ret_svc, svc
/* For when SMC is disabled (SCR_EL3.SMD): a WFI that SCR_EL3.TWI traps to EL3. */
    .globl  ret_wfi, ret_wfi_i
ret_wfi:
    mov     x1, x0
    mov     x0, xzr
ret_wfi_i:
    wfi
    b       .

/*
 * Probes. p_NAME is a function (x0 = argument, returns x0); p_NAME_i labels
 * the instruction under test, the ELR a trap must report. The register
 * numbers matter: they are the Rt reported in the ISS.
 *   MRSP name, reg, rt    Xt = SENT, then MRS: returns SENT if it did not execute (lower.h).
 *   MSRP name, reg, rt    MSR reg, X0 (through Xt) (lower.h).
 *   SYSP name, op, rt     a SYS operation on X0 (through Xt): "dc cvac" etc.
 *   OPP  name, insn...    an instruction without operand; returns SENT.
 */
    .macro SYSP name, op, rt
    .globl  p_\name, p_\name\()_i
p_\name:
    mov     x\rt, x0
p_\name\()_i:
    \op, x\rt
    ret
    .endm

    .macro OPP name, insn:vararg
    .globl  p_\name, p_\name\()_i
p_\name:
    mov     x0, #SENT
p_\name\()_i:
    \insn
    ret
    .endm

    /* HCR_EL2.TID1 */
    MRSP revidr, revidr_el1, 3
    MRSP aidr, aidr_el1, 4
    /* HCR_EL2.TID2 */
    MRSP ctr, ctr_el0, 5
    MRSP ccsidr, ccsidr_el1, 6
    MRSP clidr, clidr_el1, 7
    MRSP csselr, csselr_el1, 8
    MSRP csselr_w, csselr_el1, 9
    /* HCR_EL2.TID3: named ID registers and reserved encodings of the space */
    MRSP pfr0, id_aa64pfr0_el1, 10
    MRSP mmfr0, id_aa64mmfr0_el1, 11
    MRSP isar0, id_aa64isar0_el1, 12
    MRSP dfr0, id_aa64dfr0_el1, 13
    MRSP id_pfr0, s3_0_c0_c1_0, 14
    MRSP mvfr0, s3_0_c0_c3_0, 15
    MRSP id_res_3_7, s3_0_c0_c3_7, 16
    MRSP id_res_7_7, s3_0_c0_c7_7, 17
    MRSP midr, midr_el1, 18
    MRSP mpidr, mpidr_el1, 1
    /* HCR_EL2.TIDCP: an IMPLEMENTATION DEFINED encoding nothing implements */
    MRSP impdef, s3_0_c15_c0_0, 2
    MRSP impdef_el0, s3_3_c15_c0_0, 3
    /* HCR_EL2.TACR */
    MRSP actlr, actlr_el1, 4
    MSRP actlr_w, actlr_el1, 5
    /* HCR_EL2.TRVM (reads) and TVM (writes) */
    MRSP sctlr, sctlr_el1, 0
    MRSP ttbr0, ttbr0_el1, 1
    MRSP ttbr1, ttbr1_el1, 2
    MRSP tcr, tcr_el1, 3
    MRSP esr, esr_el1, 4
    MRSP far, far_el1, 5
    MRSP afsr0, afsr0_el1, 6
    MRSP afsr1, afsr1_el1, 7
    MRSP mair, mair_el1, 8
    MRSP amair, amair_el1, 9
    MRSP contextidr, contextidr_el1, 10
    MSRP sctlr_w, sctlr_el1, 11
    MSRP ttbr0_w, ttbr0_el1, 12
    MSRP ttbr1_w, ttbr1_el1, 13
    MSRP tcr_w, tcr_el1, 14
    MSRP esr_w, esr_el1, 15
    MSRP far_w, far_el1, 16
    MSRP afsr0_w, afsr0_el1, 17
    MSRP afsr1_w, afsr1_el1, 18
    MSRP mair_w, mair_el1, 9
    MSRP amair_w, amair_el1, 10
    MSRP contextidr_w, contextidr_el1, 17
    /* HCR_EL2.TSW, TPCP, TPU, TTLB, TDZ */
    SYSP dc_isw, "dc isw", 1
    SYSP dc_csw, "dc csw", 2
    SYSP dc_cisw, "dc cisw", 3
    SYSP dc_ivac, "dc ivac", 4
    SYSP dc_cvac, "dc cvac", 5
    SYSP dc_civac, "dc civac", 6
    SYSP dc_cvau, "dc cvau", 7
    SYSP ic_ivau, "ic ivau", 8
    OPP  ic_iallu, ic iallu
    OPP  ic_ialluis, ic ialluis
    OPP  tlbi_vmalle1, tlbi vmalle1
    SYSP tlbi_vae1, "tlbi vae1", 9
    SYSP tlbi_aside1is, "tlbi aside1is", 10
    SYSP tlbi_vaale1, "tlbi vaale1", 11
    SYSP dc_zva, "dc zva", 12
    MRSP dczid, dczid_el0, 13
    /* HCR_EL2.TSC, HCD; TWI, TWE */
    OPP  smc, smc #0x1234
    OPP  hvc, hvc #0x4321
    OPP  wfi, wfi
    OPP  eret_wfe, wfe          /* right after the ERET of lower_call: the event register is set */
    .globl  p_wfe, p_wfe_i, p_sevl_wfe, p_sevl_wfe_i
p_wfe:                          /* the event register clear: this WFE would wait */
    mov     x0, #SENT
    sevl
    wfe
p_wfe_i:
    wfe
    ret
p_sevl_wfe:                     /* the event register set: this WFE completes */
    mov     x0, #SENT
    sevl
p_sevl_wfe_i:
    wfe
    ret
    /* CPTR_EL2.TCPAC, TFP; CPTR_EL3.TCPAC */
    MRSP cpacr, cpacr_el1, 14
    MSRP cpacr_w, cpacr_el1, 15
    MRSP fpcr, fpcr, 16
    MRSP cptr_el2, cptr_el2, 17
    /* MDCR_EL2.TDA, TDOSA, TDRA, TDE; MDCR_EL3.TDA, TDOSA */
    MRSP mdscr, mdscr_el1, 18
    MSRP mdscr_w, mdscr_el1, 1
    MRSP dbgbvr0, dbgbvr0_el1, 2
    MSRP dbgwcr1_w, dbgwcr1_el1, 3
    MRSP oslsr, oslsr_el1, 4
    MSRP oslar_w, oslar_el1, 5
    MRSP osdlr, osdlr_el1, 6
    MRSP mdrar, mdrar_el1, 7
    SYSP at_s12e1r, "at s12e1r", 1
    SYSP at_s1e1r, "at s1e1r", 2
    OPP  brk, brk #0x77
    /* SCR_EL3.EA: a load from an address with nothing behind it (x0) */
    .globl  p_ldr, p_ldr_i
p_ldr:
    mov     x1, #SENT
p_ldr_i:
    ldr     x1, [x0]
    mov     x0, x1
    ret

/* Stacks of the lower ELs (lower_call resets them on every call). */
    .bss
    .balign 16
    .skip   16384
el2_stack_top:
    .skip   8192
el1_stack_top:
    .skip   4096
el0_stack_top:
