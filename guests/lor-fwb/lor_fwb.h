/* lor-fwb: definitions shared by main.c, lor.c, fwb.c and lor_fwb_asm.S. */
#ifndef LOR_FWB_H
#define LOR_FWB_H

#include "lower.h"

#ifndef __ASSEMBLER__
#include "esr.h"

extern char vectors_el2[], vectors_el1[], ret_hvc[], ret_svc[];
u64 lor_fwb_handler(struct frame *f);

#define HCR_VM    (1UL << 0)
#define HCR_PTW   (1UL << 2)
#define HCR_RW    (1UL << 31)
#define HCR_CD    (1UL << 32)
#define HCR_TLOR  (1UL << 35)
#define HCR_FWB   (1UL << 46)
#define SPSR_EL1H 0x3c5UL
#define SPSR_EL0T 0x3c0UL
#define SCTLR_EL1_OFF 0x30d00800UL

static inline void set_hcr(u64 v) { write_sysreg(hcr_el2, HCR_RW | v); isb(); }

/* The exceptions the last lower-EL call took (main.c). */
extern volatile struct last_exception { u64 count, esr, elr, el; } last;
u64 call_lower(u64 fn, u64 spsr, u64 arg);
void chk_exc(const char *name, u64 r, u64 el, u64 esr, u64 insn);
void chk_none(const char *name, u64 r, u64 want);

void lor(void);
void fwb(void);
#endif

#endif
