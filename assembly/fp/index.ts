// The floating-point arithmetic library: bit-exact scalar Arm FP operations
// (Arm ARM shared/functions/float) on raw half/single/double bit patterns.
// Conventions (operand layout, FPCR argument, cumulative flags in fpFlags,
// rounding-mode values) are described at the top of fpcore.ts.
export {
  fpFlags, fpTakeFlags, fpClearFlags, fpRMode,
  FPSR_IOC, FPSR_DZC, FPSR_OFC, FPSR_UFC, FPSR_IXC, FPSR_IDC,
  FPCR_FZ16, FPCR_FZ, FPCR_DN, FPCR_AHP, FPCR_RMODE_SHIFT,
  FPRounding_TIEEVEN, FPRounding_POSINF, FPRounding_NEGINF, FPRounding_ZERO,
  FPRounding_TIEAWAY, FPRounding_ODD,
  FPDefaultNaN, FPInfinity, FPZero, FPMaxNormal,
} from "./fpcore";
export {
  FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPMulAdd, FPMulAddH, FPSqrt,
  FPRecipStepFused, FPRSqrtStepFused,
} from "./arith";
export {
  FPMax, FPMin, FPMaxNum, FPMinNum,
  FPCompare, FPCompareEQ, FPCompareGE, FPCompareGT, FPAbs, FPNeg,
} from "./compare";
export {
  FPRoundInt, FPRoundIntN, FPToFixed, FixedToFP, FPConvert, FPConvertNaN,
  FPToFixedJS, fpjsZ, FPRecpX,
} from "./convert";
export {
  FPRecipEstimate, FPRSqrtEstimate, UnsignedRecipEstimate, UnsignedRSqrtEstimate,
} from "./estimate";
