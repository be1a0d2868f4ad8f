/*
 * armvisor guest runtime: ESR_ELx values a guest's checks expect (Arm ARM
 * D17 "ESR_EL2"), for C files (#include "esr.h").
 */
#ifndef ARMVISOR_ESR_H
#define ARMVISOR_ESR_H

#define IL            (1UL << 25)
#define EC(ec)        ((u64)(ec) << 26)
/* ISS of EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read) */
#define ENC(op0, op1, crn, crm, op2) \
    (((u64)(op0) << 20) | ((u64)(op2) << 17) | ((u64)(op1) << 14) | ((u64)(crn) << 10) | ((u64)(crm) << 1))
#define RD(enc, rt)   (EC(0x18) | IL | (enc) | ((u64)(rt) << 5) | 1)
#define WR(enc, rt)   (EC(0x18) | IL | (enc) | ((u64)(rt) << 5))
#define SYS(op1, crn, crm, op2, rt) WR(ENC(1, op1, crn, crm, op2), rt)
#define ESR_UNDEF     (EC(0x00) | IL)
#define ESR_WFX(ti)   (EC(0x01) | IL | (1UL << 24) | (0xeUL << 20) | (ti))   /* CV = 1, COND = AL */
#define ESR_FP        (EC(0x07) | IL | (1UL << 24) | (0xeUL << 20))
#define ESR_SVC(imm)  (EC(0x15) | IL | (imm))
#define ESR_HVC(imm)  (EC(0x16) | IL | (imm))
#define ESR_SMC(imm)  (EC(0x17) | IL | (imm))
#define ESR_BRK(imm)  (EC(0x3c) | IL | (imm))
#define ESR_DABT(ec, fsc) (EC(ec) | IL | (fsc))

#endif
