// Operation numbers of the predecoded form. One number per specialised
// handler; the run loop dispatches on it with a switch that must stay dense
// (no unused numbers), or Binaryen splits it into a chain of br_tables.
//
// A decoded entry is 16 bytes:
//   u64 w   = op | a << 16 | b << 24 | c << 32 | d << 40 | f << 48
//   u64 imm
// a, b, c, d are register slots or small fields; f is a 16-bit field.

export const OP_DECODE = 0;   // not yet decoded: decode in place, then dispatch
export const OP_UNDEF = 1;    // UNDEFINED: EC 0x00

// Data processing - immediate
export const OP_ADR = 2;
export const OP_ADRP = 3;
export const OP_ADD_IMM = 4;
export const OP_ADD_IMM32 = 5;
export const OP_SUB_IMM = 6;
export const OP_SUB_IMM32 = 7;
export const OP_ADDS_IMM = 8;
export const OP_ADDS_IMM32 = 9;
export const OP_SUBS_IMM = 10;
export const OP_SUBS_IMM32 = 11;
export const OP_AND_IMM = 12;     // both widths: the 32-bit mask keeps the top clear
export const OP_ORR_IMM = 13;
export const OP_ORR_IMM32 = 14;
export const OP_EOR_IMM = 15;
export const OP_EOR_IMM32 = 16;
export const OP_ANDS_IMM = 17;
export const OP_ANDS_IMM32 = 18;
export const OP_MOVI = 19;        // MOVZ/MOVN, value precomputed
export const OP_MOVK = 20;
export const OP_MOVK32 = 21;
export const OP_UBFM = 22;        // ((Rn << c) >>> d) << f & imm
export const OP_SBFM = 23;        // ((Rn << c) >> d) << f & imm
export const OP_BFM = 24;
export const OP_BFM32 = 25;
export const OP_EXTR = 26;
export const OP_EXTR32 = 27;

// Branches, exception generating and system
export const OP_B = 28;
export const OP_BL = 29;
export const OP_BCOND = 30;
export const OP_CBZ = 31;
export const OP_CBNZ = 32;
export const OP_CBZ32 = 33;
export const OP_CBNZ32 = 34;
export const OP_TBZ = 35;
export const OP_TBNZ = 36;
export const OP_BR = 37;
export const OP_BLR = 38;
export const OP_SVC = 39;
export const OP_HVC = 40;
export const OP_SMC = 41;
export const OP_BRK = 42;
export const OP_HLT = 43;
export const OP_ERET = 44;
export const OP_MRS = 45;
export const OP_MSR = 46;
export const OP_MSR_IMM = 47;
export const OP_NOP = 48;
export const OP_WFI = 49;
export const OP_WFE = 50;
export const OP_SEV = 51;
export const OP_SEVL = 52;
export const OP_CLREX = 53;
export const OP_SYS = 54;         // DC / IC / AT / TLBI

// Data processing - register
export const OP_MOV_REG = 55;
export const OP_MOV_REG32 = 56;
export const OP_LOG_SR = 57;      // + ((opc << 1 | N) << 1 | sf): 16 ops
export const OP_ADDSUB_SR = 73;   // + ((op << 1 | S) << 1 | sf): 8 ops
export const OP_ADDSUB_ER = 81;   // + ((op << 1 | S) << 1 | sf): 8 ops
export const OP_ADC = 89;         // + ((op << 1 | S) << 1 | sf): 8 ops
export const OP_CCMP = 97;       // + (op << 1 | sf): 4 ops
export const OP_CSEL = 101;       // + ((op << 1 | o2) << 1 | sf): 8 ops
export const OP_DP1 = 109;        // + sf
export const OP_DP2 = 111;        // + sf
export const OP_MADD = 113;
export const OP_MADD32 = 114;
export const OP_MSUB = 115;
export const OP_MSUB32 = 116;
export const OP_DP3 = 117;        // SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH

// Loads and stores
export const OP_LDR_LIT = 118;
export const OP_LDX = 119;        // LDXR / LDAXR
export const OP_STX = 120;        // STXR / STLXR
export const OP_LDXP = 121;
export const OP_STXP = 122;
export const OP_LDAR = 123;
export const OP_STLR = 124;
export const OP_LSE_LD = 125;     // LDADD..LDUMIN
export const OP_SWP = 126;
export const OP_CAS = 127;
export const OP_CASP = 128;
// Direct branches whose target lies in the same page: imm = target entry - this entry (bytes).
export const OP_B_LOCAL = 129;
export const OP_BCOND_LOCAL = 130;
export const OP_CBZ_LOCAL = 131;
export const OP_CBNZ_LOCAL = 132;
export const OP_CBZ32_LOCAL = 133;
export const OP_CBNZ32_LOCAL = 134;
export const OP_TBZ_LOCAL = 135;
export const OP_TBNZ_LOCAL = 136;
// SUBS (CMP) immediately followed by a B.cond to the same page, fused: the
// flags are set as SUBS sets them, then the branch is taken or skipped.
// Register form: a = Rd, b = Rn, c = Rm, d = shift type | cond << 4, f = amount;
// immediate form (imm12, no shift): a = Rd, b = Rn, c = cond, f = imm12.
// imm = branch target entry - this entry (bytes).
export const OP_SUBS_BCOND = 137;
export const OP_SUBS_BCOND32 = 138;
export const OP_SUBSI_BCOND = 139;
export const OP_SUBSI_BCOND32 = 140;
// Single register: OP_LDST + mode * MEMOP_COUNT + memop
export const OP_LDST = 141;
export const MODE_OFF = 0;        // unsigned offset and unscaled (imm is the byte offset)
export const MODE_PRE = 1;
export const MODE_POST = 2;
export const MODE_REG = 3;        // register offset: c = Rm, f = extendField(option, shift)
export const MODE_UNPRIV = 4;     // LDTR / STTR
export const MODE_COUNT = 5;
export const MEMOP_LDRB = 0;
export const MEMOP_LDRH = 1;
export const MEMOP_LDRW = 2;
export const MEMOP_LDRX = 3;
export const MEMOP_LDRSBX = 4;
export const MEMOP_LDRSBW = 5;
export const MEMOP_LDRSHX = 6;
export const MEMOP_LDRSHW = 7;
export const MEMOP_LDRSW = 8;
export const MEMOP_STRB = 9;
export const MEMOP_STRH = 10;
export const MEMOP_STRW = 11;
export const MEMOP_STRX = 12;
export const MEMOP_PRFM = 13;
export const MEMOP_COUNT = 14;
// Pairs: OP_PAIR + mode * PAIROP_COUNT + pairop (mode OFF, PRE, POST)
export const OP_PAIR = OP_LDST + MODE_COUNT * MEMOP_COUNT;
export const PAIROP_LDPW = 0;
export const PAIROP_LDPX = 1;
export const PAIROP_LDPSW = 2;
export const PAIROP_STPW = 3;
export const PAIROP_STPX = 4;
export const PAIROP_COUNT = 5;
// The entry after the last instruction of every page: the block ends there.
export const OP_PAGE_END = OP_PAIR + 3 * PAIROP_COUNT;

// SIMD&FP (decoded only with CONFIG_FP; each handler starts with the
// FP/AdvSIMD enable check). V register numbers are used as they are (0..31);
// general registers are resolved like the integer groups' (rZ/wZ/rS).
// Single register: OP_FLDST + (mode << 1 | store), mode OFF, PRE, POST, REG;
// a = Vt, b = Rn, c = Rm (REG), d = log2(bytes) 0..4, f = extendField (REG), imm = offset.
export const OP_FLDST = OP_PAGE_END + 1;
export const OP_FLDR_LIT = OP_FLDST + 8;     // a = Vt, d = log2(bytes) 2..4, imm = offset
// Pairs: OP_FPAIR + (mode << 1 | store), mode OFF, PRE, POST; a = Vt, b = Rn, c = Vt2, d = log2(bytes) 2..4
export const OP_FPAIR = OP_FLDR_LIT + 1;
// Scalar floating-point data processing; f bits 7:0 = N (16, 32, 64) unless noted.
export const OP_FP_DP1 = OP_FPAIR + 6;       // a = Vd, b = Vn, c = opcode (insn 20:15)
export const OP_FP_DP2 = OP_FP_DP1 + 1;      // a = Vd, b = Vn, c = Vm, d = opcode (insn 15:12)
export const OP_FP_DP3 = OP_FP_DP2 + 1;      // a = Vd, b = Vn, c = Vm, d = Va, f bits 9:8 = o1:o0
export const OP_FCMP = OP_FP_DP3 + 1;        // a = Vn, b = Vm, c = E | zero << 1
export const OP_FCCMP = OP_FCMP + 1;         // a = Vn, b = Vm, c = cond, d = nzcv, f bit 8 = E
export const OP_FCSEL = OP_FCCMP + 1;        // a = Vd, b = Vn, c = Vm, d = cond
export const OP_FCVT_TOINT = OP_FCSEL + 1;   // a = Xd, b = Vn, c = rounding, d = unsigned | sf << 1, f bits 15:8 = fbits
export const OP_CVTF = OP_FCVT_TOINT + 1;    // a = Vd, b = Xn, d = unsigned | sf << 1, f bits 15:8 = fbits
export const OP_FMOV_TOGP = OP_CVTF + 1;     // a = Xd, b = Vn, c = 0 W<-S, 1 X<-D, 2 X<-V.D[1]
export const OP_FMOV_FROMGP = OP_FMOV_TOGP + 1; // a = Vd, b = Xn, c = 0 S<-W, 1 D<-X, 2 V.D[1]<-X
// Advanced SIMD moves and copies.
export const OP_SIMD_MOVI = OP_FMOV_FROMGP + 1;  // MOVI, MVNI, FMOV (vector/scalar immediate): a = Vd, b = Q, imm = 64 bits
export const OP_SIMD_ORRI = OP_SIMD_MOVI + 1;    // ORR (vector, immediate): a = Vd, b = Q, imm
export const OP_SIMD_BICI = OP_SIMD_ORRI + 1;    // BIC (vector, immediate): a = Vd, b = Q, imm
export const OP_SIMD_DUP_GEN = OP_SIMD_BICI + 1;  // a = Vd, b = Xn, c = size, d = Q
export const OP_SIMD_DUP_ELEM = OP_SIMD_DUP_GEN + 1; // a = Vd, b = Vn, c = size, d = Q (2: scalar), f = index
export const OP_SIMD_INS_GEN = OP_SIMD_DUP_ELEM + 1; // a = Vd, b = Xn, c = size, f = index
export const OP_SIMD_INS_ELEM = OP_SIMD_INS_GEN + 1; // a = Vd, b = Vn, c = size, d = source index, f = index
export const OP_SIMD_UMOV = OP_SIMD_INS_ELEM + 1;    // a = Xd, b = Vn, c = size, f = index
export const OP_SIMD_SMOV = OP_SIMD_UMOV + 1;        // a = Xd, b = Vn, c = size, d = to 64 bits, f = index
// The Advanced SIMD groups below each own a section: a group's ops are
// numbered from its FIRST and its END is one past its last op, so the op
// space stays dense whichever groups grow.
// ---- Group THREE (decode/simd_three.ts, decode/simd_permute.ts): three same
// (integer and logical, vector and scalar), three different (vector and
// scalar, PMULL), permute, EXT, TBL/TBX.
// a = Vd, b = Vn, c = Vm, d = Q unless noted.
export const OP_SIMD_THREE_FIRST = OP_SIMD_SMOV + 1;
export const OP_SIMD_LOGIC = OP_SIMD_THREE_FIRST + 0;   // f = U << 2 | size: AND BIC ORR ORN EOR BSL BIT BIF
export const OP_SIMD_ADDSUB = OP_SIMD_THREE_FIRST + 1;  // ADD, SUB (vector, scalar D): f = sub << 2 | size
export const OP_SIMD_CMP = OP_SIMD_THREE_FIRST + 2;     // compares, MAX/MIN (vector, scalar D): f = LANE_* << 2 | size
export const OP_SIMD_PAIR = OP_SIMD_THREE_FIRST + 3;    // ADDP, SMAXP.. (vector): f = LANE_* << 2 | size
export const OP_SIMD_INT3 = OP_SIMD_THREE_FIRST + 4;    // other three same: d = Q or 2 (scalar), f = U:opcode | size << 8
export const OP_SIMD_LONG = OP_SIMD_THREE_FIRST + 5;    // three different: d = part or 2 (scalar), f = opcode | U << 4 | size << 8
export const OP_SIMD_PMULL64 = OP_SIMD_THREE_FIRST + 6; // PMULL{2} 64 x 64 -> 128: d = part
export const OP_SIMD_TBL = OP_SIMD_THREE_FIRST + 7;     // TBL, TBX: f = registers | TBX << 3
export const OP_SIMD_PERMUTE = OP_SIMD_THREE_FIRST + 8; // UZP, TRN, ZIP: f = op << 3 | size << 1 | Q
export const OP_SIMD_EXT = OP_SIMD_THREE_FIRST + 9;     // f = imm4
export const OP_SIMD_MUL = OP_SIMD_THREE_FIRST + 10;    // MUL, MLA, MLS (vector): f = op << 2 | size, op 0 MUL, 1 MLA, 2 MLS
export const OP_SIMD_THREE_END = OP_SIMD_THREE_FIRST + 11;
// ---- end of group THREE

// ---- Group FPVEC (decode/simd_fp.ts): AdvSIMD floating point, vector and
// scalar: three same, two-register misc, across lanes, scalar pairwise, by
// element, fixed-point conversions by immediate shift.
export const OP_SIMD_FPVEC_FIRST = OP_SIMD_THREE_END;
// Field f, common to the FPVEC ops unless noted: bit 0 = sz (esize 32 << sz),
// bits 3:1 = number of elements (1 for the scalar forms).
// Elementwise Vd[i] = op(Vn[i], Vm[i]) (FMLA, FMLS: also Vd[i]): a = Vd, b = Vn, c = Vm, d = FPBIN_*
export const OP_SIMD_FP_BIN = OP_SIMD_FPVEC_FIRST + 0;
// By element, Vd[i] = op(Vn[i], Vm[index]): as OP_SIMD_FP_BIN, f bits 7:4 = index
export const OP_SIMD_FP_BIN_ELEM = OP_SIMD_FPVEC_FIRST + 1;
// Pairwise, on the pairs of Vm:Vn (scalar: of Vn's elements 0 and 1): as OP_SIMD_FP_BIN
export const OP_SIMD_FP_PAIR = OP_SIMD_FPVEC_FIRST + 2;
// Across lanes (4S): a = Vd, b = Vn, d = FPBIN_ (FMAX, FMIN, FMAXNM, FMINNM)
export const OP_SIMD_FP_REDUCE = OP_SIMD_FPVEC_FIRST + 3;
// Elementwise unary: a = Vd, b = Vn, c = FPUN_*, d = rounding (FPRounding_*,
// FPVEC_RMODE_FPCR: FPCR's) | unsigned << 3, f bits 15:8 = fbits (fixed point)
export const OP_SIMD_FP_UN = OP_SIMD_FPVEC_FIRST + 4;
// FCVTN, FCVTXN (to the half of Vd in d = part, 2 = scalar): a = Vd, b = Vn, c = round to odd, f = source N (32, 64)
export const OP_SIMD_FP_NARROW = OP_SIMD_FPVEC_FIRST + 5;
// FCVTL (from the half of Vn in d = part): a = Vd, b = Vn, f = source N (16, 32)
export const OP_SIMD_FP_WIDEN = OP_SIMD_FPVEC_FIRST + 6;
export const OP_SIMD_FPVEC_END = OP_SIMD_FPVEC_FIRST + 7;
// Sub-operations of OP_SIMD_FP_BIN, _BIN_ELEM, _PAIR, _REDUCE.
export const FPBIN_ADD = 0;
export const FPBIN_SUB = 1;
export const FPBIN_MUL = 2;
export const FPBIN_DIV = 3;
export const FPBIN_MAX = 4;
export const FPBIN_MIN = 5;
export const FPBIN_MAXNM = 6;
export const FPBIN_MINNM = 7;
export const FPBIN_MULX = 8;
export const FPBIN_ABD = 9;
export const FPBIN_RECPS = 10;
export const FPBIN_RSQRTS = 11;
export const FPBIN_CMEQ = 12;
export const FPBIN_CMGE = 13;
export const FPBIN_CMGT = 14;
export const FPBIN_ACGE = 15;
export const FPBIN_ACGT = 16;
export const FPBIN_MLA = 17;
export const FPBIN_MLS = 18;
export const FPBIN_ADDP = 19;     // integer ADDP (scalar), 64-bit
// Sub-operations of OP_SIMD_FP_UN.
export const FPUN_ABS = 0;
export const FPUN_NEG = 1;
export const FPUN_SQRT = 2;
export const FPUN_RINT = 3;       // FRINTN/P/M/Z/A/I
export const FPUN_RINTX = 4;
export const FPUN_TOFIXED = 5;    // FCVT{N,P,M,Z,A}{S,U}, FCVTZ{S,U} (fixed-point)
export const FPUN_FROMFIXED = 6;  // SCVTF, UCVTF (integer and fixed-point)
export const FPUN_RECPE = 7;
export const FPUN_RSQRTE = 8;
export const FPUN_RECPX = 9;
export const FPUN_URECPE = 10;
export const FPUN_URSQRTE = 11;
export const FPUN_CMGT0 = 12;
export const FPUN_CMEQ0 = 13;
export const FPUN_CMLT0 = 14;
export const FPUN_CMGE0 = 15;
export const FPUN_CMLE0 = 16;
export const FPVEC_RMODE_FPCR = 7;
// ---- end of group FPVEC

// ---- Group MISC (decode/simd_misc.ts and friends): integer two-register
// misc, across lanes, shift by immediate, by element; vector and scalar.
// Common fields: a = Vd, b = Vn; the sub-operations are listed in exec/simd_misc.ts.
export const OP_SIMD_MISC_FIRST = OP_SIMD_FPVEC_END;
export const OP_SIMD_UNARY = OP_SIMD_MISC_FIRST + 0;  // same-size two-register misc: c = size, d = MISC_*, f = elements
export const OP_SIMD_REV = OP_SIMD_UNARY + 1;         // REV16/32/64: d = Q, f = byte index XOR mask
export const OP_SIMD_ADDLP = OP_SIMD_REV + 1;         // [SU]ADDLP, [SU]ADALP: c = source size, d = unsigned | accumulate << 1, f = result elements
export const OP_SIMD_ACROSS = OP_SIMD_ADDLP + 1;      // across lanes: c = size, d = ACROSS_*, f = elements
export const OP_SIMD_SHIFT = OP_SIMD_ACROSS + 1;      // same-size shift by immediate: c = size, d = SHIFT_*, f = elements, imm = shift
export const OP_SIMD_NARROW = OP_SIMD_SHIFT + 1;      // XTN, [SU]QXTN, SQXTUN, the shift right narrow family: c = result size,
                                                      //   d = NARROW_* | round << 2, f = elements | part << 8, imm = shift
export const OP_SIMD_WIDEN = OP_SIMD_NARROW + 1;      // [SU]SHLL, SHLL: c = source size, d = unsigned, f = part, imm = shift
export const OP_SIMD_ELEM = OP_SIMD_WIDEN + 1;        // same-size by element: c = Vm, d = ELEM_*, f = size | elements << 2, imm = index
export const OP_SIMD_ELEML = OP_SIMD_ELEM + 1;        // long by element: c = Vm, d = ELEML_* | unsigned << 3,
                                                      //   f = source size | part << 2 | elements << 3, imm = index
export const OP_SIMD_MISC_END = OP_SIMD_ELEML + 1;
// ---- end of group MISC

// ---- Group LDST (decode/simd_ldst.ts): LD1-LD4/ST1-ST4 multiple and single
// structures, LD1R-LD4R, post-index forms.
// a = Vt, b = Rn (slot), c = Rm (slot, register post-index), d = writeback
// (LDST_WB_*), f = size (bits 1:0, log2 of the element bytes) | Q << 2 |
// count << 3 (registers for LD1/ST1 multiple, else selem) | index << 6
// (single structure), imm = bytes transferred (the immediate post-index).
export const OP_SIMD_LDST_FIRST = OP_SIMD_MISC_END;
export const OP_SIMD_LD1M = OP_SIMD_LDST_FIRST + 0;   // LD1 (multiple structures), 1-4 registers
export const OP_SIMD_ST1M = OP_SIMD_LDST_FIRST + 1;   // ST1 (multiple structures), 1-4 registers
export const OP_SIMD_LDNM = OP_SIMD_LDST_FIRST + 2;   // LD2, LD3, LD4 (multiple structures)
export const OP_SIMD_STNM = OP_SIMD_LDST_FIRST + 3;   // ST2, ST3, ST4 (multiple structures)
export const OP_SIMD_LDS = OP_SIMD_LDST_FIRST + 4;    // LD1-LD4 (single structure)
export const OP_SIMD_STS = OP_SIMD_LDST_FIRST + 5;    // ST1-ST4 (single structure)
export const OP_SIMD_LDR = OP_SIMD_LDST_FIRST + 6;    // LD1R-LD4R
export const OP_SIMD_LDST_END = OP_SIMD_LDST_FIRST + 7;
export const LDST_WB_NONE = 0;
export const LDST_WB_IMM = 1;
export const LDST_WB_REG = 2;
// ---- end of group LDST

// ---- Group CRYPTO (decode/crypto.ts): AES, SHA1, SHA256.
// a = Vd, b = Vn, c = Vm (three-register), d = sub-operation (three-register);
// c = sub-operation for the two-register SHA forms.
export const OP_CRYPTO_FIRST = OP_SIMD_LDST_END;
export const OP_CRYPTO_AESE = OP_CRYPTO_FIRST + 0;
export const OP_CRYPTO_AESD = OP_CRYPTO_FIRST + 1;
export const OP_CRYPTO_AESMC = OP_CRYPTO_FIRST + 2;
export const OP_CRYPTO_AESIMC = OP_CRYPTO_FIRST + 3;
export const OP_CRYPTO_SHA1_3 = OP_CRYPTO_FIRST + 4;   // d: 0 SHA1C, 1 SHA1P, 2 SHA1M, 3 SHA1SU0
export const OP_CRYPTO_SHA256_3 = OP_CRYPTO_FIRST + 5; // d: 0 SHA256H, 1 SHA256H2, 2 SHA256SU1
export const OP_CRYPTO_SHA_2 = OP_CRYPTO_FIRST + 6;    // c: 0 SHA1H, 1 SHA1SU1, 2 SHA256SU0
export const OP_CRYPTO_END = OP_CRYPTO_FIRST + 7;
// ---- end of group CRYPTO

// ESB (FEAT_RAS; a NOP without it): see except/ras.ts.
export const OP_ESB = OP_CRYPTO_END;

// ---- Group PAUTH (decode/pauth.ts): FEAT_PAuth, decoded only with CONFIG_PAUTH.
export const OP_PAUTH_FIRST = OP_ESB + 1;
// PAC*, AUT*, XPAC* and their hint forms: a = the pointer's slot (read and
// written), b = the modifier's slot, c = key (0 IA, 1 IB, 2 DA, 3 DB), d = PAC_*.
export const OP_PAC = OP_PAUTH_FIRST + 0;
export const OP_PACGA = OP_PAUTH_FIRST + 1;  // a = Rd, b = Rn, c = Rm|SP
// BRA*, BLRA*, RETA*: a = 1 for BLRA*, b = the target's slot, c = the modifier's slot, d = key (0 IA, 1 IB).
export const OP_BRA = OP_PAUTH_FIRST + 2;
export const OP_ERETA = OP_PAUTH_FIRST + 3;  // d = key (0 IA, 1 IB)
// LDRAA, LDRAB: a = Rt, b = Rn|SP, d = key (2 DA, 3 DB) | writeback << 2, imm = offset.
export const OP_LDRA = OP_PAUTH_FIRST + 4;
export const OP_PAUTH_END = OP_PAUTH_FIRST + 5;
export const PAC_ADD = 0;
export const PAC_AUTH = 1;
export const PAC_STRIP = 2;
// ---- end of group PAUTH

export const OP_COUNT = OP_PAUTH_END;

// Handler results: what the run loop does after the instruction.
export const R_NEXT = 0;    // fall through to the next entry
export const R_BRANCH = 1;  // retired; continue at nextPC (translation context unchanged)
export const R_FAULT = 2;   // not retired (exception taken or MMIO exit); continue at nextPC
export const R_SYNC = 3;    // retired; context may have changed: re-resolve the fetch page
