// Hand-written edge cases for the floating-point library, with expectations
// worked out from the Arm ARM pseudocode (and confirmed on the oracle by
// `node scripts/fp-campaign.mjs --edges`).
//
// Line syntax:  MNEMONIC N FPCR A [B [C]] => RESULT FLAGS   [# note]
//   N: operand precision (16, 32, 64). FPCR: RN|RP|RM|RZ plus FZ, DN, AHP,
//   FZ16 joined by '|'. Operands/result: hex bit patterns. FLAGS: IOC, DZC,
//   OFC, UFC, IXC, IDC joined by '|', or '-'.
//   FMADD & co: A = Ra (addend), B = Rn, C = Rm. FCMP/FCMPE: the result is the
//   NZCV nibble. FCVT>M: convert to M bits. FCVT{N,P,M,Z,A}{S,U}.{W,X}[#fbits],
//   {S,U}CVTF.{W,X}[#fbits]: integer/fixed-point conversions (A is the integer
//   for SCVTF/UCVTF). FJCVTZS: result | Z << 32.
import { OPS, FPCR_FZ16, FPCR_FZ, FPCR_DN, FPCR_AHP, IOC, DZC, OFC, UFC, IXC, IDC } from "./cases.mjs";

export const EDGES = {
  "NaN propagation and default NaN": `
FADD 64 RN 7ff8000000000123 3ff0000000000000 => 7ff8000000000123 -    # qNaN operand 1 passes through
FADD 64 RN 3ff0000000000000 7ff0000000000123 => 7ff8000000000123 IOC  # sNaN quieted
FADD 64 RN 7ff800000000000a fff000000000000b => fff800000000000b IOC  # sNaN beats an earlier qNaN
FADD 64 RN 7ff8000000000001 fff8000000000002 => 7ff8000000000001 -    # two qNaNs: operand 1
FADD 64 DN 7ff0000000000123 3ff0000000000000 => 7ff8000000000000 IOC  # DN: default NaN
FADD 32 DN ffc00001 3f800000 => 7fc00000 -
FADD 16 RN fc01 3c00 => fe01 IOC
FSUB 32 RN 3f800000 ff800001 => ffc00001 IOC                           # the NaN keeps its sign
FMUL 16 RN 7c00 0000 => 7e00 IOC                                      # inf * 0
FMUL 32 RN 80000000 ff800000 => 7fc00000 IOC
FNMUL 64 RN 7ff8000000000001 3ff0000000000000 => fff8000000000001 -   # FNMUL negates NaN results too
FDIV 64 RN 0000000000000000 8000000000000000 => 7ff8000000000000 IOC  # 0/0
FDIV 32 RN 7f800000 ff800000 => 7fc00000 IOC                          # inf/inf
FSQRT 64 RN bff0000000000000 => 7ff8000000000000 IOC
FSQRT 32 RN ff800000 => 7fc00000 IOC
FSQRT 16 RN 7d00 => 7f00 IOC
FMADD 32 RN 7fc00005 7f800000 00000000 => 7fc00000 IOC                # qNaN addend + inf*0: default NaN
FMADD 32 RN 7f800005 7f800000 00000000 => 7fc00005 IOC                # sNaN addend + inf*0: the quieted sNaN
FMADD 32 RN 3f800000 7fc00007 7f800009 => 7fc00009 IOC                # sNaN in Rm beats qNaN in Rn
FMADD 32 RN 7fc00001 7fc00002 7fc00003 => 7fc00001 -                  # all qNaN: addend first
FMADD 64 RN 7ff0000000000000 7ff0000000000000 bff0000000000000 => 7ff8000000000000 IOC # inf - inf
FMADD 64 RN 3ff0000000000000 7ff0000000000000 0000000000000000 => 7ff8000000000000 IOC # 1 + inf*0
FMSUB 64 RN 7ff0000000000000 7ff0000000000000 3ff0000000000000 => 7ff8000000000000 IOC # inf - inf*1
FNMADD 32 RN 7fc00001 3f800000 3f800000 => ffc00001 -                 # FNMADD negates the NaN addend
FNMSUB 32 RN 3f800000 7fc00002 3f800000 => 7fc00002 -                 # FNMSUB does not negate Rn
FMSUB 32 RN 3f800000 7fc00002 3f800000 => ffc00002 -                  # FMSUB negates Rn
FNMADD 16 DN 7c01 3c00 3c00 => 7e00 IOC
`,
  "FMAX, FMIN, FMAXNM, FMINNM": `
FMAX 32 RN 7fc00001 3f800000 => 7fc00001 -
FMAX 32 RN 00000000 80000000 => 00000000 -
FMAX 32 RN 80000000 00000000 => 00000000 -
FMIN 32 RN 00000000 80000000 => 80000000 -
FMIN 64 RN 7ff0000000000000 fff0000000000000 => fff0000000000000 -
FMAX 32 FZ 00000001 bf800000 => 00000000 IDC                          # flushed denormal counts as +0
FMAX 32 RN 00000001 bf800000 => 00000001 -                            # FZ off: the denormal itself
FMAXNM 32 RN 7fc00001 3f800000 => 3f800000 -                          # quiet NaN loses to a number
FMAXNM 32 RN 3f800000 7fc00001 => 3f800000 -
FMINNM 64 RN 3ff0000000000000 fff8000000000001 => 3ff0000000000000 -
FMAXNM 32 RN 7f800001 3f800000 => 7fc00001 IOC                        # signalling NaN still propagates
FMAXNM 32 RN 7fc00001 7f800002 => 7fc00002 IOC
FMAXNM 64 RN 7ff8000000000001 7ff8000000000002 => 7ff8000000000001 -  # two quiet NaNs
FMAXNM 32 RN 7fc00001 ff800000 => ff800000 -                          # qNaN vs -inf: -inf
FMINNM 32 RN 7fc00001 7f800000 => 7f800000 -
FMINNM 16 DN 7e01 fc00 => fc00 -
FMAXNM 16 DN 7e01 7e02 => 7e00 -
`,
  "FCMP, FCMPE and the vector compares": `
FCMP 64 RN 3ff0000000000000 4000000000000000 => 8 -
FCMP 64 RN 4000000000000000 3ff0000000000000 => 2 -
FCMP 64 RN 3ff0000000000000 3ff0000000000000 => 6 -
FCMP 32 RN 00000000 80000000 => 6 -
FCMP 16 RN fc00 7c00 => 8 -
FCMP 64 RN 7ff8000000000000 3ff0000000000000 => 3 -                   # FCMP: quiet NaN, no Invalid
FCMPE 64 RN 7ff8000000000000 3ff0000000000000 => 3 IOC                # FCMPE: Invalid for a quiet NaN
FCMP 32 RN 3f800000 7f800001 => 3 IOC                                 # FCMP: Invalid for a signalling NaN
FCMP 32 FZ 00000001 80000000 => 6 IDC                                 # flushed denormal == -0
FCMP 32 RN 00000001 80000000 => 2 -
FCMEQ 32 RN 7fc00000 7fc00000 => 0 -
FCMEQ 32 RN 7f800001 3f800000 => 0 IOC
FCMEQ 64 RN 0000000000000000 8000000000000000 => ffffffffffffffff -
FCMGE 32 RN 7fc00000 3f800000 => 0 IOC                                # ordered compares: Invalid for any NaN
FCMGE 16 RN 3c00 3c00 => ffff -
FCMGT 16 RN 3c00 3c00 => 0 -
FCMGT 32 RN 3f800000 bf800000 => ffffffff -
FCMGT 64 RN fff8000000000000 3ff0000000000000 => 0 IOC
`,
  "rounding modes, ties and overflow": `
FADD 32 RN 3f800000 33800000 => 3f800000 IXC   # 1 + half an ulp: tie to even (down)
FADD 32 RN 3f800001 33800000 => 3f800002 IXC   # tie to even (up)
FADD 32 RP 3f800000 33800000 => 3f800001 IXC
FADD 32 RM 3f800000 33800000 => 3f800000 IXC
FADD 32 RZ 3f800000 33800000 => 3f800000 IXC
FADD 32 RN 3f800000 33800001 => 3f800001 IXC   # just above the tie
FADD 32 RM bf800000 b3800000 => bf800001 IXC
FADD 32 RP bf800000 b3800000 => bf800000 IXC
FADD 32 RN 7f7fffff 7f7fffff => 7f800000 OFC|IXC
FADD 32 RZ 7f7fffff 7f7fffff => 7f7fffff OFC|IXC
FADD 32 RP 7f7fffff 7f7fffff => 7f800000 OFC|IXC
FADD 32 RM 7f7fffff 7f7fffff => 7f7fffff OFC|IXC
FADD 32 RP ff7fffff ff7fffff => ff7fffff OFC|IXC
FADD 32 RM ff7fffff ff7fffff => ff800000 OFC|IXC
FMUL 16 RN 7bff 4000 => 7c00 OFC|IXC
FMUL 16 RZ 7bff 4000 => 7bff OFC|IXC
FMUL 64 RN 7fefffffffffffff 3ff0000000000001 => 7ff0000000000000 OFC|IXC
FADD 64 RN 3ff0000000000000 bff0000000000000 => 0000000000000000 -   # exact zero: +0 ...
FADD 64 RM 3ff0000000000000 bff0000000000000 => 8000000000000000 -   # ... or -0 rounding down
FADD 64 RN 8000000000000000 8000000000000000 => 8000000000000000 -
FADD 64 RN 0000000000000000 8000000000000000 => 0000000000000000 -
FADD 64 RM 0000000000000000 8000000000000000 => 8000000000000000 -
FSUB 64 RN 8000000000000000 8000000000000000 => 0000000000000000 -
FMADD 32 RN 80000000 00000000 3f800000 => 00000000 -                 # -0 + (+0): +0
FMADD 32 RN 80000000 80000000 3f800000 => 80000000 -                 # -0 + (-0): -0
FMADD 32 RM 3f800000 bf800000 3f800000 => 80000000 -                 # exact zero, RM: -0
FDIV 32 RN 3f800000 40400000 => 3eaaaaab IXC
FDIV 32 RZ 3f800000 40400000 => 3eaaaaaa IXC
FDIV 64 RN 3ff0000000000000 4008000000000000 => 3fd5555555555555 IXC
FDIV 64 RP 3ff0000000000000 4008000000000000 => 3fd5555555555556 IXC
FSQRT 32 RN 40000000 => 3fb504f3 IXC
FSQRT 32 RP 40000000 => 3fb504f4 IXC
FSQRT 64 RN 4000000000000000 => 3ff6a09e667f3bcd IXC
FSQRT 64 RN 4010000000000000 => 4000000000000000 -
FSQRT 16 RN 8000 => 8000 -
FSQRT 32 RN 7f800000 => 7f800000 -
`,
  "division by zero": `
FDIV 32 RN 3f800000 00000000 => 7f800000 DZC
FDIV 32 RN bf800000 00000000 => ff800000 DZC
FDIV 64 RN 3ff0000000000000 8000000000000000 => fff0000000000000 DZC
FDIV 64 RN 7ff0000000000000 0000000000000000 => 7ff0000000000000 -   # inf / 0: no DZC
FDIV 16 RN 0000 7c00 => 0000 -
FDIV 32 FZ 3f800000 00000001 => 7f800000 DZC|IDC                     # flushed divisor
FRECPE 32 RN 00000000 => 7f800000 DZC
FRECPE 64 RN 8000000000000000 => fff0000000000000 DZC
FRSQRTE 32 RN 80000000 => ff800000 DZC
`,
  "subnormals, underflow (tininess before rounding) and flush-to-zero": `
FMUL 32 RN 00800000 3f000000 => 00400000 -                           # exact subnormal result: no UFC
FMUL 32 FZ 00800000 3f000000 => 00000000 UFC                         # FZ: flushed output, UFC only
FMUL 32 RN 3f7fffff 00800000 => 00800000 UFC|IXC                     # tiny before rounding, rounds to min normal
FMUL 32 FZ 3f7fffff 00800000 => 00000000 UFC                         # flushed (decided before rounding)
FMUL 32 RN 3f800001 007fffff => 00800000 UFC|IXC
FMUL 64 RN 0010000000000000 3fe0000000000001 => 0008000000000000 UFC|IXC
FMUL 64 RN 0000000000000001 3fe0000000000000 => 0000000000000000 UFC|IXC  # underflow to zero
FMUL 64 RP 0000000000000001 3fe0000000000000 => 0000000000000001 UFC|IXC
FADD 32 FZ 00000001 3f800000 => 3f800000 IDC                         # flushed input: exact
FADD 32 RN 00000001 3f800000 => 3f800000 IXC
FADD 32 RP 00000001 3f800000 => 3f800001 IXC
FADD 64 FZ 000fffffffffffff 0000000000000000 => 0000000000000000 IDC
FADD 64 FZ 800fffffffffffff 0000000000000000 => 0000000000000000 IDC # -0 + +0 = +0
FADD 32 RN 00000001 00000001 => 00000002 -                          # denormal arithmetic, exact
FSUB 32 RN 00800000 007fffff => 00000001 -
FADD 16 FZ16 0001 3c00 => 3c00 -                                     # FZ16: half inputs flushed without IDC
FADD 16 FZ 0001 3c00 => 3c00 IXC                                     # FZ does not apply to half
FMUL 16 FZ16 0400 3800 => 0000 UFC
FMUL 16 RN 0400 3800 => 0200 -
FADD 32 FZ16 00000001 3f800000 => 3f800000 IXC                       # FZ16 does not apply to single
FSQRT 32 FZ 00000002 => 00000000 IDC
FSQRT 32 RN 00000002 => 1a800000 -                                    # sqrt(2^-148) = 2^-74
`,
  "FMADD is fused": `
FMADD 64 RN bff0000000000000 3ff0000008000000 3ff0000008000000 => 3e70000004000000 -  # (1+2^-25)^2 - 1 exactly
FMADD 32 RN bf800000 3f800800 3f800800 => 3a000400 -
FMSUB 64 RN 3ff0000000000000 3ff0000008000000 3ff0000008000000 => be70000004000000 -
FMADD 16 RN bc00 3c02 3c02 => 1c01 -
FMADD 16 RN bc00 3c01 3c01 => 1800 IXC                                  # 2^-9 + 2^-20: a tie, to even
FMADD 64 RN 0000000000000000 0010000000000000 3ca0000000000000 => 0000000000000000 UFC|IXC  # 2^-1022 * 2^-53 rounds to 0 (tie, even)
FMADD 64 RN 0000000000000001 0010000000000000 3ca0000000000000 => 0000000000000002 UFC|IXC  # 1.5 ulp: tie, to even
FMADD 64 RN 7fefffffffffffff 7fefffffffffffff bff0000000000000 => 0000000000000000 -  # max - max*1
FMADD 64 FZ 0000000000000001 3ff0000000000000 3ff0000000000000 => 3ff0000000000000 IDC
FMADD 32 RN 3f800000 33800800 3f7ff001 => 3f800001 IXC     # 1 + 2^-24 + 2^-60: just above a tie (the
FMADD 32 RN 3f800001 33800001 3f7ffffe => 3f800001 IXC     # ... double sum is the tie), 1 + 2^-23 + 2^-24 - 2^-70
FMADD 32 RZ 3f800000 33800800 3f7ff001 => 3f800000 IXC
FMADD 32 RP 3f800001 33800001 3f7ffffe => 3f800002 IXC
FMADD 32 RN bf800000 b3800800 3f7ff001 => bf800001 IXC
FMADD 64 RN 3ff0000000000000 3ca0000000000001 3fefffffffffffff => 3ff0000000000001 IXC  # 1 + 2^-53 + 2^-106 - 2^-158
FMADD 64 RN 3ff0000000000001 3ca0000000000001 3fefffffffffffff => 3ff0000000000002 IXC
FMADD 64 RN 3ff0000000000001 3ca0000000000001 3feffffffffffffe => 3ff0000000000001 IXC  # 1 + 2^-52 + 2^-53 - 2^-157
FMADD 64 RN 3ff0000000000000 3ca0000000000001 3feffffffffffffe => 3ff0000000000000 IXC
FMADD 64 RZ 3ff0000000000000 3ca0000000000001 3fefffffffffffff => 3ff0000000000000 IXC
FMADD 64 RP 3ff0000000000000 3ca0000000000001 3feffffffffffffe => 3ff0000000000001 IXC
FMSUB 64 RM 3ff0000000000000 3ca0000000000001 3feffffffffffffe => 3fefffffffffffff IXC  # 1 - 2^-53 + 2^-157
`,
  "FRINT": `
FRINTN 32 RN 40200000 => 40000000 -     # 2.5 -> 2
FRINTN 32 RN 40600000 => 40800000 -     # 3.5 -> 4
FRINTN 32 RN c0200000 => c0000000 -     # -2.5 -> -2
FRINTA 32 RN 40200000 => 40400000 -     # 2.5 -> 3
FRINTA 32 RN c0200000 => c0400000 -     # -2.5 -> -3
FRINTP 32 RN bf000000 => 80000000 -     # -0.5 -> -0
FRINTM 32 RN 3f000000 => 00000000 -     # 0.5 -> +0
FRINTM 32 RN bf000000 => bf800000 -     # -0.5 -> -1
FRINTZ 32 RN bfd9999a => bf800000 -     # -1.7 -> -1
FRINTX 32 RN 40200000 => 40000000 IXC   # FRINTX: Inexact
FRINTX 32 RN 40000000 => 40000000 -
FRINTX 32 RP 40200000 => 40400000 IXC
FRINTI 32 RP 40200000 => 40400000 -     # FRINTI: FPCR mode, no Inexact
FRINTI 64 RM c004000000000000 => c008000000000000 -
FRINTN 64 RN 4330000000000001 => 4330000000000001 -   # 2^52+1 is integral
FRINTN 64 RN 432fffffffffffff => 4330000000000000 -   # 2^52 - 0.5 -> tie -> even 2^52
FRINTN 16 RN 3800 => 0000 -
FRINTA 16 RN b800 => bc00 -
FRINTN 32 FZ 00000001 => 00000000 IDC
FRINTX 64 RN fff0000000000000 => fff0000000000000 -
FRINTX 64 RN 7ff4000000000000 => 7ffc000000000000 IOC
FRINT32Z 32 RN 4f000000 => cf000000 IOC   # 2^31 overflows: -2^31
FRINT32Z 32 RN cf000000 => cf000000 -
FRINT32X 32 RN 3fc00000 => 40000000 IXC   # 1.5 -> 2
FRINT32X 32 RN 7fc00000 => cf000000 IOC
FRINT64Z 64 RN 43e0000000000000 => c3e0000000000000 IOC
FRINT64X 64 RN c3e0000000000000 => c3e0000000000000 -
FRINT32Z 64 RN c1e0000000100000 => c1e0000000000000 IXC   # -2^31 - 0.5 truncates to -2^31
FRINT32X 64 RN c1e0000000100000 => c1e0000000000000 IXC   # ... and rounds (tie, even) to -2^31
FRINT32X 64 RN c1e0000000300000 => c1e0000000000000 IOC   # -2^31 - 1.5 -> -2^31 - 2: overflow gives -2^31 (no IXC)
`,
  "float to integer and fixed point": `
FCVTZS.W 32 RN 4f000000 => 7fffffff IOC          # 2^31 saturates
FCVTZS.W 32 RN cf000000 => 80000000 -
FCVTZS.W 32 RN cf000001 => 80000000 IOC
FCVTZS.W 32 RN 7fc00000 => 0 IOC                 # NaN -> 0
FCVTZS.W 32 RN 3fc00000 => 1 IXC
FCVTZS.W 32 RN bfc00000 => ffffffff IXC
FCVTZU.W 32 RN bfc00000 => 0 IOC                 # -1.5 -> -1: out of range
FCVTZU.W 32 RN bf000000 => 0 IXC                 # -0.5 -> 0: in range
FCVTZU.W 32 RN 4f800000 => ffffffff IOC
FCVTZU.X 64 RN 43f0000000000000 => ffffffffffffffff IOC
FCVTZS.X 64 RN c3e0000000000000 => 8000000000000000 -
FCVTZS.X 16 RN fc00 => 8000000000000000 IOC
FCVTZS.W 16 RN 7c00 => 7fffffff IOC
FCVTNS.X 64 RN 4004000000000000 => 2 IXC         # 2.5 -> 2
FCVTNS.X 64 RN 400c000000000000 => 4 IXC         # 3.5 -> 4
FCVTAS.X 64 RN 4004000000000000 => 3 IXC
FCVTAS.X 64 RN c004000000000000 => fffffffffffffffd IXC
FCVTMS.X 64 RN c004000000000000 => fffffffffffffffd IXC
FCVTPS.X 64 RN c004000000000000 => fffffffffffffffe IXC
FCVTPU.W 32 RN 3f000001 => 1 IXC
FCVTNU.W 32 RN 3f000000 => 0 IXC                 # 0.5 -> 0
FCVTNS.W 32 FZ 00000001 => 0 IDC
FCVTZS.W#1 32 RN 3fc00000 => 3 -                 # 1.5 * 2 = 3
FCVTZS.W#1 32 RN 3fa00000 => 2 IXC               # 1.25 * 2 = 2.5
FCVTZS.X#64 64 RN 3fe0000000000000 => 7fffffffffffffff IOC  # 0.5 * 2^64
FCVTZU.X#64 64 RN 3fe0000000000000 => 8000000000000000 -
FCVTZS.W#32 16 RN 3c00 => 7fffffff IOC
FCVTZS.W#16 16 RN 3c00 => 10000 -
FCVTZS.H 16 RN 7800 => 7fff IOC                  # 32768 into a 16-bit integer (FCVTZS Hd, Hn)
FCVTZS.H 16 RN f800 => 8000 -
FCVTZU.H 16 RN 7bff => ffe0 -                    # 65504 fits
FCVTZS.H#8 16 RN 5800 => 7fff IOC                # 128 * 2^8
FCVTAS.H 16 RN c100 => fffd IXC                  # -2.5 -> -3
`,
  "16-bit integers": `
SCVTF.H 16 RN 8000 => f800 -
UCVTF.H 16 RN ffff => 7c00 OFC|IXC
UCVTF.H 16 RZ ffff => 7bff IXC
SCVTF.H#16 16 RN 0001 => 0100 -
`,
  "integer and fixed point to float": `
UCVTF.X 32 RN ffffffffffffffff => 5f800000 IXC
UCVTF.X 32 RZ ffffffffffffffff => 5f7fffff IXC
SCVTF.X 64 RN 8000000000000000 => c3e0000000000000 -
SCVTF.X 64 RN ffffffffffffffff => bff0000000000000 -
SCVTF.W 64 RN 80000000 => c1e0000000000000 -
UCVTF.W 64 RN 80000000 => 41e0000000000000 -
SCVTF.W 16 RN 0000fff0 => 7c00 OFC|IXC            # 65520 rounds to overflow
SCVTF.W 16 RZ 0000fff0 => 7bff IXC                # RZ rounds 65520 down: no overflow
SCVTF.W 16 RN 0000ffe0 => 7bff -
SCVTF.W 32 RN 01000001 => 4b800000 IXC            # 2^24+1: tie to even
SCVTF.W 32 RN 01000003 => 4b800002 IXC
SCVTF.W 32 RN 0 => 00000000 -
SCVTF.X#1 32 RN 3 => 3fc00000 -
UCVTF.X#64 16 RN 1 => 0000 UFC|IXC               # 2^-64 underflows to zero
UCVTF.X#64 16 FZ16 1 => 0000 UFC                  # ... or is flushed
UCVTF.X#64 32 RN 1 => 1f800000 -
SCVTF.W#32 64 RN 80000000 => bfe0000000000000 -
`,
  "FCVT between precisions, AHP, FCVTXN": `
FCVT>32 64 RN 7ff8000000000123 => 7fc00000 -
FCVT>32 64 RN 7ffc000000000000 => 7fe00000 -      # top payload bits kept
FCVT>32 64 RN fff4000000000000 => ffe00000 IOC
FCVT>64 32 RN 7fc00001 => 7ff8000020000000 -
FCVT>16 32 RN 7f9ff000 => 7eff IOC
FCVT>16 32 DN ff9ff000 => 7e00 IOC
FCVT>32 16 RN fd55 => ffeaa000 IOC
FCVT>16 32 AHP ffc00000 => 8000 IOC               # AHP: NaN -> zero, Invalid
FCVT>16 32 AHP 7f800000 => 7fff IOC               # AHP: infinity -> max, Invalid
FCVT>32 16 AHP 7c00 => 47800000 -                 # AHP: exponent 31 is a number
FCVT>32 16 AHP 7fff => 47ffe000 -
FCVT>32 16 RN 7c00 => 7f800000 -
FCVT>16 32 AHP 48000000 => 7fff IOC               # 2^17: AHP overflow is Invalid, not Overflow
FCVT>16 32 AHP 47ffe000 => 7fff -
FCVT>16 32 AHP|RZ 47fff000 => 7fff IXC
FCVT>16 32 AHP 47800000 => 7c00 -
FCVT>16 32 RN 477ff000 => 7c00 OFC|IXC            # 65520
FCVT>16 32 RZ 477ff000 => 7bff IXC
FCVT>16 64 RN 3eb0000000000000 => 0010 -          # 2^-20: half denormal, exact
FCVT>16 64 FZ16 3eb0000000000000 => 0010 -        # FZ16 is ignored by conversions
FCVT>16 64 RN 3e60000000000000 => 0000 UFC|IXC    # 2^-25: tie with zero, to even
FCVT>16 64 RN 3e60000000000001 => 0001 UFC|IXC
FCVT>32 16 FZ16 0001 => 33800000 -
FCVT>32 16 FZ 0001 => 33800000 -
FCVT>32 64 FZ 36a0000000000000 => 00000000 UFC    # 2^-149: flushed single result
FCVT>32 64 RN 36a0000000000000 => 00000001 -
FCVT>64 32 FZ 00000001 => 0000000000000000 IDC
FCVT>32 64 RN 3ff0000010000000 => 3f800000 IXC    # 1 + 2^-24: tie, even
FCVT>32 64 RP 3ff0000010000000 => 3f800001 IXC
FCVTXN 64 RN 3ff0000004000000 => 3f800001 IXC     # round to odd
FCVTXN 64 RN 3ff0000000000000 => 3f800000 -
FCVTXN 64 RN 3ff0000030000000 => 3f800001 IXC     # 1 + 2^-23 + 2^-24: odd already
FCVTXN 64 RN 7fefffffffffffff => 7f7fffff OFC|IXC
`,
  "FRECPE, FRSQRTE, FRECPS, FRSQRTS, FRECPX": `
FRECPE 32 RN 3f800000 => 3f7f8000 -
FRECPE 64 RN 4000000000000000 => 3fdff00000000000 -
FRECPE 16 RN 3c00 => 3bfc -
FRECPE 32 RN 7f800000 => 00000000 -
FRECPE 32 RN ff800000 => 80000000 -
FRECPE 32 RN 7f800001 => 7fc00001 IOC
FRECPE 32 RN 00000001 => 7f800000 OFC|IXC         # |x| < 2^-128
FRECPE 32 RZ 00000001 => 7f7fffff OFC|IXC
FRECPE 32 RM 00000001 => 7f7fffff OFC|IXC
FRECPE 32 RM 80000001 => ff800000 OFC|IXC
FRECPE 32 FZ 7f000000 => 00000000 UFC             # FZ: |x| >= 2^126 gives 0
FRECPE 32 RN 7f000000 => 003fe000 -               # ... else a denormal estimate
FRECPE 32 RN 00200000 => 7f7f8000 -               # 2^-128: just not too small
FRECPE 32 FZ 00400000 => 7f800000 DZC|IDC
FRSQRTE 32 RN 3f800000 => 3f7f8000 -
FRSQRTE 32 RN 40800000 => 3eff8000 -              # 1/sqrt(4) ~ 0.5
FRSQRTE 32 RN bf800000 => 7fc00000 IOC
FRSQRTE 32 RN 7f800000 => 00000000 -
FRSQRTE 64 RN 0000000000000001 => 617ff00000000000 -
FRSQRTE 16 RN 0001 => 6bfc -
FRECPS 32 RN 7f800000 00000000 => 40000000 -      # inf * 0: 2.0, no Invalid
FRECPS 32 RN 3f800000 3f800000 => 3f800000 -
FRECPS 32 RN 7fc00001 3f800000 => ffc00001 -      # operand 1 is negated before NaN handling
FRECPS 64 RN 4000000000000000 3ff0000000000000 => 0000000000000000 -
FRECPS 64 RM 4000000000000000 3ff0000000000000 => 8000000000000000 -
FRSQRTS 32 RN 00000000 ff800000 => 3fc00000 -     # 1.5
FRSQRTS 32 RN 3f800000 3f800000 => 3f800000 -
FRSQRTS 32 RN 40400000 3f800000 => 00000000 -     # (3 - 3) / 2
FRSQRTS 16 RN 7c00 3c00 => fc00 -
FRECPX 32 RN 3f800000 => 40000000 -
FRECPX 32 RN 00000000 => 7f000000 -
FRECPX 32 RN 80000001 => ff000000 -
FRECPX 32 RN 7f800000 => 00000000 -
FRECPX 64 RN 7ff4000000000000 => 7ffc000000000000 IOC
FRECPX 16 RN 3c00 => 4000 -
FRECPX 32 FZ 00000001 => 7f000000 IDC
`,
  "FMLAL/FMLSL (two lanes), URECPE, URSQRTE (two lanes)": `
FMLAL 32 RN 000000003f800000 7c003c00 00004000 => 7fc0000040400000 IOC   # 1 + 1*2; 0 + inf*0
FMLSL 32 RN 000000003f800000 00003c00 00004000 => 00000000bf800000 -     # 1 - 1*2; 0 - 0*0 = +0
FMLSL 32 RM 000000003f800000 00003c00 00004000 => 80000000bf800000 -     # ... -0 rounding down
FMLAL 32 RN 0000000000000000 00007d00 00003c00 => 000000007fe00000 IOC   # half sNaN, quieted and widened
FMLAL 32 DN 0000000000000000 00007d00 00003c00 => 000000007fc00000 IOC
FMLAL 32 RN 7fc0000100000000 00000000 7c007c00 => 7fc000007fc00000 IOC   # qNaN addend + 0*inf: default NaN
FMLAL 32 FZ|FZ16 0000000000000001 00000001 00003c00 => 0000000000000000 IDC
FMLAL 32 RN 0000000000000001 00000001 00003c00 => 0000000033800000 IXC
URECPE 32 RN 7fffffff80000000 => ffffffffff800000 -
URECPE 32 RN 00000000ffffffff => ffffffff80000000 -
URSQRTE 32 RN 3fffffff40000000 => ffffffffff800000 -
URSQRTE 32 RN 00000000ffffffff => ffffffff80000000 -
`,
  "FJCVTZS": `
FJCVTZS 64 RN 3ff0000000000000 => 100000001 -
FJCVTZS 64 RN 3ff8000000000000 => 1 IXC
FJCVTZS 64 RN 8000000000000000 => 0 -             # -0: Z clear
FJCVTZS 64 RN 0000000000000000 => 100000000 -
FJCVTZS 64 RN 7ff8000000000000 => 0 IOC
FJCVTZS 64 RN 7ff0000000000000 => 0 IOC
FJCVTZS 64 RN 41f0000000500000 => 5 IOC           # 2^32 + 5: modulo 2^32
FJCVTZS 64 RN bff0000000000000 => 1ffffffff -
FJCVTZS 64 RN 41e0000000000000 => 80000000 IOC
FJCVTZS 64 RN c1e0000000000000 => 180000000 -
FJCVTZS 64 RN c1e0000000100000 => 80000000 IXC    # -2^31 - 0.5 truncates into range
FJCVTZS 64 RP bfe0000000000000 => 0 IXC           # always rounds toward zero
FJCVTZS 64 FZ 0000000000000001 => 0 IDC           # flushed denormal: Z clear
FJCVTZS 64 RN 0000000000000001 => 0 IXC
`,
};

const MODES = { RN: 0, RP: 1 << 22, RM: 2 << 22, RZ: 3 << 22, FZ: FPCR_FZ, DN: FPCR_DN, AHP: FPCR_AHP, FZ16: FPCR_FZ16 };
const FLAGS = { IOC, DZC, OFC, UFC, IXC, IDC };
const SIMPLE = {
  FADD: OPS.ADD, FSUB: OPS.SUB, FMUL: OPS.MUL, FDIV: OPS.DIV, FMULX: OPS.MULX, FMAX: OPS.MAX, FMIN: OPS.MIN,
  FMAXNM: OPS.MAXNM, FMINNM: OPS.MINNM, FNMUL: OPS.NMUL, FMADD: OPS.MADD, FMSUB: OPS.MSUB, FNMADD: OPS.NMADD,
  FNMSUB: OPS.NMSUB, FSQRT: OPS.SQRT, FABS: OPS.ABS, FNEG: OPS.NEG, FCMEQ: OPS.CMEQ, FCMGE: OPS.CMGE,
  FCMGT: OPS.CMGT, FCVTXN: OPS.CVTXN, FRECPE: OPS.RECPE, FRSQRTE: OPS.RSQRTE, FRECPS: OPS.RECPS,
  FRSQRTS: OPS.RSQRTS, FRECPX: OPS.RECPX, FJCVTZS: OPS.JSCVT, URECPE: OPS.URECPE, URSQRTE: OPS.URSQRTE,
};
const RINT = { N: 0, P: 1, M: 2, Z: 3, A: 4, X: 6, I: 7 };
const M_SEL = { W: 0, X: 1, H: 2 }; // integer width: 32, 64, 16 (Advanced SIMD Hd forms)

function parseMnemonic(m) {
  if (m in SIMPLE) return { op: SIMPLE[m], p: 0 };
  if (m === "FCMP" || m === "FCMPE") return { op: OPS.CMP, p: m === "FCMPE" ? 1 : 0 };
  if (m === "FMLAL" || m === "FMLSL") return { op: OPS.MLAL, p: m === "FMLSL" ? 1 : 0 };
  let x;
  if ((x = /^FRINT([NPMZAXI])$/.exec(m))) return { op: OPS.RINT, p: RINT[x[1]] };
  if ((x = /^FRINT(32|64)([ZX])$/.exec(m))) return { op: OPS.RINTN, p: (x[2] === "Z" ? 3 : 7) | (Number(x[1]) << 8) };
  if ((x = /^FCVT>(16|32|64)$/.exec(m))) return { op: OPS.CVT, p: Number(x[1]) };
  if ((x = /^FCVT([NPMZA])([SU])\.([HWX])(?:#(\d+))?$/.exec(m))) {
    const rm = { N: 0, P: 1, M: 2, Z: 3, A: 4 }[x[1]];
    return { op: OPS.TOFIXED, p: rm | (Number(x[4] ?? 0) << 8) | ((x[2] === "U" ? 1 : 0) << 16) | (M_SEL[x[3]] << 17) };
  }
  if ((x = /^([SU])CVTF\.([HWX])(?:#(\d+))?$/.exec(m))) {
    return { op: OPS.FROMFIXED, p: (Number(x[3] ?? 0) << 8) | ((x[1] === "U" ? 1 : 0) << 16) | (M_SEL[x[2]] << 17) };
  }
  throw new Error(`unknown mnemonic ${m}`);
}

// -> [{ group, text, case: {op, N, fpcr, a, b, c, p}, result, flags }]
export function edgeCases() {
  const out = [];
  for (const [group, block] of Object.entries(EDGES)) {
    for (const raw of block.split("\n")) {
      const text = raw.replace(/\s+#\s.*$/, "").trim();
      if (!text) continue;
      const [lhs, rhs] = text.split("=>").map((s) => s.trim().split(/\s+/));
      const [mn, n, mode, ...ops] = lhs;
      const { op, p } = parseMnemonic(mn);
      const fpcr = mode.split("|").reduce((f, t) => {
        if (!(t in MODES)) throw new Error(`bad FPCR token ${t} in: ${raw}`);
        return f | MODES[t];
      }, 0) >>> 0;
      const [a, b, c] = [0, 1, 2].map((i) => (ops[i] ? BigInt("0x" + ops[i]) : 0n));
      const flags = rhs[1] === "-" ? 0 : rhs[1].split("|").reduce((f, t) => {
        if (!(t in FLAGS)) throw new Error(`bad flag ${t} in: ${raw}`);
        return f | FLAGS[t];
      }, 0);
      out.push({ group, text: raw.trim(), case: { op, N: Number(n), fpcr, a, b, c, p }, result: BigInt("0x" + rhs[0]), flags });
    }
  }
  return out;
}
