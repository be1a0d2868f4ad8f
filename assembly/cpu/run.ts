// The run loop: executes predecoded code until the host must act.
//
// Execution proceeds in blocks: from an entry point to the end of its 4 KiB
// page, or to the first instruction that leaves the straight line (a taken
// branch, an exception, an exit). Per instruction the loop loads one entry
// and dispatches on its op (a br_table); all checks that are not part of an
// instruction's semantics -- budget, interrupt lines, stop requests, PSTATE.IL
// -- happen at block boundaries only.
import {
  PC, CNT_INSTRET, CNT_DECODED, CNT_EXIT, CONTROL_LINES, LINE_STOP,
  EXIT_REASON, EXIT_BUDGET, EXIT_STOP, CODE_SLOT_ENTRIES, CODE_ENTRY_SIZE, CODE_BASE, CODE_SLOT_SIZE,
  CODE_SLOT_JIT, CODE_SLOT_HEAT, JIT_N, JIT_NEXTPC, JIT_LEAVE, JIT_ENABLED, JIT_REQUEST_SLOT, EXIT_JIT,
} from "../abi";
import * as O from "../decode/ops";
import { decodeInstruction, NO_NEXT } from "../decode/decoder";
import { setPC, getIL, getNZCV, conditionHolds } from "./state";
import { fC, fD } from "../decode/entry";
import { nextPC, setNextPC, curPageVA, curSlotBase, curHostPage, curSlotIndex, exitPending, clearExit, pcOf, requestExit } from "./context";
import { attention, syncContext } from "./sync";
import { fetchSlow } from "./fetch";
import { updateTimers } from "./timer";
import { pmuFold, pmuSync, pmuDeadline } from "./pmu";
import { replayActive, replayReset } from "../mmu/memory";
import { illegalState } from "../except/exception";
import { pendingInterrupt, hcrVirtualPending, INTERRUPT_LINES } from "../except/interrupt";
import * as I from "../exec/dp_imm";
import { execLogicalSR, execAddSubSR, execAddSubER, execAdc, execCcmp, execCsel, execDP1, execDP2, execMadd, execMadd32, execMsub, execMsub32, execDP3, execMovReg, execMovReg32, execSubsSR } from "../exec/dp_reg";
import * as B from "../exec/branch";
import * as S from "../exec/system";
import { esbMayAct } from "../except/ras";
import {
  execLdSt, execPair, execLdrLiteral, execLoadExclusive, execStoreExclusive, execLoadAcquire,
  execStoreRelease, execAtomic, execSwap, execCAS, execCASP,
} from "../exec/ldst";
import { undefinedInstruction } from "../except/exception";
import { execFLdSt, execFLdrLiteral, execFPair } from "../exec/fp_ldst";
import * as F from "../exec/fp_dp";
import * as V from "../exec/simd_move";
// ---- imports of group THREE
import * as T3 from "../exec/simd_three";
import * as TP from "../exec/simd_permute";
// ---- end of imports of group THREE

// ---- imports of group FPVEC
import * as FV from "../exec/simd_fp";
// ---- end of imports of group FPVEC

// ---- imports of group MISC
import * as MI from "../exec/simd_misc";
import * as MS from "../exec/simd_shift";
import * as ME from "../exec/simd_elem";
// ---- end of imports of group MISC

// ---- imports of group LDST
import * as SL from "../exec/simd_ldst";
// ---- end of imports of group LDST

// ---- imports of group CRYPTO
import * as CR from "../exec/crypto";
import * as PA from "../exec/pauth";
// ---- end of imports of group CRYPTO

const R_REDO = 4;                            // entry was just decoded: dispatch it again
const R_LOCAL = 5;                           // taken branch within the page: imm is the entry delta
const R_LOCAL2 = 6;                          // the same, ending a fused pair
const R_PAGE_END = -1;                       // reached the end-of-page sentinel
const PAGE_ENTRIES_BYTES: usize = <usize>(CODE_SLOT_ENTRIES - 1) * CODE_ENTRY_SIZE;


// Case labels of the specialised families, as constants (an expression in a
// case label would split the dispatch into several br_tables).
const K_OP_LOG_SR_0 = O.OP_LOG_SR + 0;
const K_OP_LOG_SR_1 = O.OP_LOG_SR + 1;
const K_OP_LOG_SR_2 = O.OP_LOG_SR + 2;
const K_OP_LOG_SR_3 = O.OP_LOG_SR + 3;
const K_OP_LOG_SR_4 = O.OP_LOG_SR + 4;
const K_OP_LOG_SR_5 = O.OP_LOG_SR + 5;
const K_OP_LOG_SR_6 = O.OP_LOG_SR + 6;
const K_OP_LOG_SR_7 = O.OP_LOG_SR + 7;
const K_OP_LOG_SR_8 = O.OP_LOG_SR + 8;
const K_OP_LOG_SR_9 = O.OP_LOG_SR + 9;
const K_OP_LOG_SR_10 = O.OP_LOG_SR + 10;
const K_OP_LOG_SR_11 = O.OP_LOG_SR + 11;
const K_OP_LOG_SR_12 = O.OP_LOG_SR + 12;
const K_OP_LOG_SR_13 = O.OP_LOG_SR + 13;
const K_OP_LOG_SR_14 = O.OP_LOG_SR + 14;
const K_OP_LOG_SR_15 = O.OP_LOG_SR + 15;
const K_OP_ADDSUB_SR_0 = O.OP_ADDSUB_SR + 0;
const K_OP_ADDSUB_SR_1 = O.OP_ADDSUB_SR + 1;
const K_OP_ADDSUB_SR_2 = O.OP_ADDSUB_SR + 2;
const K_OP_ADDSUB_SR_3 = O.OP_ADDSUB_SR + 3;
const K_OP_ADDSUB_SR_4 = O.OP_ADDSUB_SR + 4;
const K_OP_ADDSUB_SR_5 = O.OP_ADDSUB_SR + 5;
const K_OP_ADDSUB_SR_6 = O.OP_ADDSUB_SR + 6;
const K_OP_ADDSUB_SR_7 = O.OP_ADDSUB_SR + 7;
const K_OP_ADDSUB_ER_0 = O.OP_ADDSUB_ER + 0;
const K_OP_ADDSUB_ER_1 = O.OP_ADDSUB_ER + 1;
const K_OP_ADDSUB_ER_2 = O.OP_ADDSUB_ER + 2;
const K_OP_ADDSUB_ER_3 = O.OP_ADDSUB_ER + 3;
const K_OP_ADDSUB_ER_4 = O.OP_ADDSUB_ER + 4;
const K_OP_ADDSUB_ER_5 = O.OP_ADDSUB_ER + 5;
const K_OP_ADDSUB_ER_6 = O.OP_ADDSUB_ER + 6;
const K_OP_ADDSUB_ER_7 = O.OP_ADDSUB_ER + 7;
const K_OP_ADC_0 = O.OP_ADC + 0;
const K_OP_ADC_1 = O.OP_ADC + 1;
const K_OP_ADC_2 = O.OP_ADC + 2;
const K_OP_ADC_3 = O.OP_ADC + 3;
const K_OP_ADC_4 = O.OP_ADC + 4;
const K_OP_ADC_5 = O.OP_ADC + 5;
const K_OP_ADC_6 = O.OP_ADC + 6;
const K_OP_ADC_7 = O.OP_ADC + 7;
const K_OP_CCMP_0 = O.OP_CCMP + 0;
const K_OP_CCMP_1 = O.OP_CCMP + 1;
const K_OP_CCMP_2 = O.OP_CCMP + 2;
const K_OP_CCMP_3 = O.OP_CCMP + 3;
const K_OP_CSEL_0 = O.OP_CSEL + 0;
const K_OP_CSEL_1 = O.OP_CSEL + 1;
const K_OP_CSEL_2 = O.OP_CSEL + 2;
const K_OP_CSEL_3 = O.OP_CSEL + 3;
const K_OP_CSEL_4 = O.OP_CSEL + 4;
const K_OP_CSEL_5 = O.OP_CSEL + 5;
const K_OP_CSEL_6 = O.OP_CSEL + 6;
const K_OP_CSEL_7 = O.OP_CSEL + 7;
const K_OP_DP1_1 = O.OP_DP1 + 1;
const K_OP_DP2_1 = O.OP_DP2 + 1;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRB = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRB;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRH = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRH;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRW = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRW;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRX = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRX;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSBX = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRSBX;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSBW = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRSBW;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSHX = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRSHX;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSHW = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRSHW;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSW = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_LDRSW;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRB = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_STRB;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRH = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_STRH;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRW = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_STRW;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRX = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_STRX;
const K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_PRFM = O.OP_LDST + O.MODE_OFF * O.MEMOP_COUNT + O.MEMOP_PRFM;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRB = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRB;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRH = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRH;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRW = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRW;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRX = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRX;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSBX = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRSBX;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSBW = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRSBW;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSHX = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRSHX;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSHW = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRSHW;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSW = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_LDRSW;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRB = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_STRB;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRH = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_STRH;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRW = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_STRW;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRX = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_STRX;
const K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_PRFM = O.OP_LDST + O.MODE_PRE * O.MEMOP_COUNT + O.MEMOP_PRFM;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRB = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRB;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRH = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRH;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRW = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRW;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRX = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRX;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSBX = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRSBX;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSBW = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRSBW;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSHX = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRSHX;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSHW = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRSHW;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSW = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_LDRSW;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRB = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_STRB;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRH = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_STRH;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRW = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_STRW;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRX = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_STRX;
const K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_PRFM = O.OP_LDST + O.MODE_POST * O.MEMOP_COUNT + O.MEMOP_PRFM;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRB = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRB;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRH = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRH;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRW = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRW;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRX = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRX;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSBX = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRSBX;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSBW = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRSBW;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSHX = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRSHX;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSHW = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRSHW;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSW = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_LDRSW;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRB = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_STRB;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRH = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_STRH;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRW = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_STRW;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRX = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_STRX;
const K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_PRFM = O.OP_LDST + O.MODE_REG * O.MEMOP_COUNT + O.MEMOP_PRFM;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRB = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRB;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRH = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRH;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRW = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRW;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRX = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRX;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSBX = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRSBX;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSBW = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRSBW;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSHX = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRSHX;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSHW = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRSHW;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSW = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_LDRSW;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRB = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_STRB;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRH = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_STRH;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRW = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_STRW;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRX = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_STRX;
const K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_PRFM = O.OP_LDST + O.MODE_UNPRIV * O.MEMOP_COUNT + O.MEMOP_PRFM;
const K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_LDPW = O.OP_PAIR + O.MODE_OFF * O.PAIROP_COUNT + O.PAIROP_LDPW;
const K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_LDPX = O.OP_PAIR + O.MODE_OFF * O.PAIROP_COUNT + O.PAIROP_LDPX;
const K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_LDPSW = O.OP_PAIR + O.MODE_OFF * O.PAIROP_COUNT + O.PAIROP_LDPSW;
const K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_STPW = O.OP_PAIR + O.MODE_OFF * O.PAIROP_COUNT + O.PAIROP_STPW;
const K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_STPX = O.OP_PAIR + O.MODE_OFF * O.PAIROP_COUNT + O.PAIROP_STPX;
const K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_LDPW = O.OP_PAIR + O.MODE_PRE * O.PAIROP_COUNT + O.PAIROP_LDPW;
const K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_LDPX = O.OP_PAIR + O.MODE_PRE * O.PAIROP_COUNT + O.PAIROP_LDPX;
const K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_LDPSW = O.OP_PAIR + O.MODE_PRE * O.PAIROP_COUNT + O.PAIROP_LDPSW;
const K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_STPW = O.OP_PAIR + O.MODE_PRE * O.PAIROP_COUNT + O.PAIROP_STPW;
const K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_STPX = O.OP_PAIR + O.MODE_PRE * O.PAIROP_COUNT + O.PAIROP_STPX;
const K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_LDPW = O.OP_PAIR + O.MODE_POST * O.PAIROP_COUNT + O.PAIROP_LDPW;
const K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_LDPX = O.OP_PAIR + O.MODE_POST * O.PAIROP_COUNT + O.PAIROP_LDPX;
const K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_LDPSW = O.OP_PAIR + O.MODE_POST * O.PAIROP_COUNT + O.PAIROP_LDPSW;
const K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_STPW = O.OP_PAIR + O.MODE_POST * O.PAIROP_COUNT + O.PAIROP_STPW;
const K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_STPX = O.OP_PAIR + O.MODE_POST * O.PAIROP_COUNT + O.PAIROP_STPX;
// SIMD&FP loads and stores: OP_FLDST + (mode << 1 | store), OP_FPAIR + (mode << 1 | store).
const K_OP_FLDST_OFF_LD = O.OP_FLDST + (O.MODE_OFF << 1);
const K_OP_FLDST_OFF_ST = O.OP_FLDST + (O.MODE_OFF << 1) + 1;
const K_OP_FLDST_PRE_LD = O.OP_FLDST + (O.MODE_PRE << 1);
const K_OP_FLDST_PRE_ST = O.OP_FLDST + (O.MODE_PRE << 1) + 1;
const K_OP_FLDST_POST_LD = O.OP_FLDST + (O.MODE_POST << 1);
const K_OP_FLDST_POST_ST = O.OP_FLDST + (O.MODE_POST << 1) + 1;
const K_OP_FLDST_REG_LD = O.OP_FLDST + (O.MODE_REG << 1);
const K_OP_FLDST_REG_ST = O.OP_FLDST + (O.MODE_REG << 1) + 1;
const K_OP_FPAIR_OFF_LD = O.OP_FPAIR + (O.MODE_OFF << 1);
const K_OP_FPAIR_OFF_ST = O.OP_FPAIR + (O.MODE_OFF << 1) + 1;
const K_OP_FPAIR_PRE_LD = O.OP_FPAIR + (O.MODE_PRE << 1);
const K_OP_FPAIR_PRE_ST = O.OP_FPAIR + (O.MODE_PRE << 1) + 1;
const K_OP_FPAIR_POST_LD = O.OP_FPAIR + (O.MODE_POST << 1);
const K_OP_FPAIR_POST_ST = O.OP_FPAIR + (O.MODE_POST << 1) + 1;

function finish(reason: u32, n: u64): u32 {
  setPC(nextPC);
  store<u64>(CNT_INSTRET, n);
  pmuFold(n); // the PMU counters as of this exit (and their overflow interrupt)
  updateTimers(n); // the host routes TIMER_LINES to its interrupt controller at every exit
  store<u32>(EXIT_REASON, reason);
  let a = CNT_EXIT + (<usize>reason << 3);
  store<u64>(a, load<u64>(a) + 1);
  clearExit();
  return reason;
}

// Block-boundary events other than the budget: stop requests, interrupts
// (physical and virtual), PSTATE.IL. Returns an exit reason, or 0 to continue at nextPC.
function boundaryEvents(n: u64): u32 {
  let lines = load<u32>(CONTROL_LINES);
  if (lines & LINE_STOP) return EXIT_STOP;
  if ((lines & INTERRUPT_LINES) != 0 || hcrVirtualPending()) {
    let pc = pendingInterrupt(lines, nextPC);
    if (pc != 1) { setNextPC(pc); syncContext(); pmuSync(n); }
  }
  // PSTATE.IL: the Illegal Execution state exception, unless the PC is
  // misaligned -- the PC alignment fault has priority (taken at fetch).
  if (getIL() && (nextPC & 3) == 0) { setNextPC(illegalState(nextPC)); syncContext(); pmuSync(n); }
  return 0;
}

// Runs at most about `budget` instructions (the budget is checked at block
// boundaries). Returns the exit reason, also left in the exit record.
export function runLoop(budget: u64, singleStep: bool): u32 {
  let n = load<u64>(CNT_INSTRET);
  let limit = n + budget;
  let e: usize = 0, eStart: usize = 0;
  // MMIO replay: 1 = the next block is the one instruction being replayed, 2 = it has been entered.
  let step: i32 = singleStep ? 1 : 0;
  while (true) {
    // ---- block boundary: nextPC holds where execution continues ----
    if (step == 2) { unpatchStep(); if (!exitPending) replayReset(); step = 0; } // the replayed instruction has run
    if (exitPending) return finish(exitPending, n);
    if (n >= limit) return finish(EXIT_BUDGET, n);
    // Not before an MMIO instruction being replayed: the device has already
    // performed its access, so the instruction completes before any
    // interrupt is taken (a write that raises the device's interrupt would
    // otherwise be taken first, and the write done again after it).
    if ((load<u32>(CONTROL_LINES) != 0 || attention) && step != 1) {
      let x = boundaryEvents(n);
      if (x) return finish(x, n);
      if (pmuDeadline < limit) limit = pmuDeadline;
    }
    let pc = nextPC;
    if (((pc ^ curPageVA) & 0xffff_ffff_ffff_f003) == 0) {
      e = curSlotBase + (<usize>(pc & 0xfff) << 2);
    } else {
      e = fetchSlow(pc);
      if (!e) { limit = pmuAt(n, limit - 1); continue; } // fault on fetch: consumes budget so a fault loop ends
    }
    eStart = e;
    if (step == 1) { patchStep(e + CODE_ENTRY_SIZE); step = 2; }
    else if (load<u32>(CODE_SLOT_JIT + (<usize>curSlotIndex << 2))) {
      // Compiled code for this page: run it; it returns where to go on.
      let rj = callCompiled(e, n, limit);
      n = load<u64>(JIT_N);
      if (rj == JIT_LEAVE) { setNextPC(load<u64>(JIT_NEXTPC)); continue; }
      if (rj < 0) { syncContext(); limit = pmuAt(n, limit - 1); continue; }
      e = curSlotBase + (<usize>rj << 4);
      eStart = e;
    } else if (heatUp()) {
      requestExit(EXIT_JIT); // nothing of this block has run: nextPC is its start
      continue;
    }
    // ---- the block: runs until an instruction leaves it ----
    while (true) {
    let w = load<u64>(e);
    let r: i32 = O.R_NEXT;
    switch (<u32>w & 0xffff) {
      case O.OP_PAGE_END: r = R_PAGE_END; break;
      case O.OP_DECODE: {
        let at = curHostPage + ((e - curSlotBase) >> 2);
        decodeInstruction(load<u32>(at), e, (at & 0xfff) != 0xffc ? <u64>load<u32>(at, 4) : NO_NEXT);
        store<u64>(CNT_DECODED, load<u64>(CNT_DECODED) + 1);
        r = R_REDO;
        break;
      }
      case O.OP_UNDEF: setNextPC(undefinedInstruction(pcOf(e))); r = O.R_FAULT; break;
      // Data processing - immediate
      case O.OP_ADR: I.execADR(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ADRP: I.execADRP(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ADD_IMM: I.execAddImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ADD_IMM32: I.execAddImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_SUB_IMM: I.execSubImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_SUB_IMM32: I.execSubImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ADDS_IMM: I.execAddsImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ADDS_IMM32: I.execAddsImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_SUBS_IMM: I.execSubsImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_SUBS_IMM32: I.execSubsImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_AND_IMM: I.execAndImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ORR_IMM: I.execOrrImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ORR_IMM32: I.execOrrImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_EOR_IMM: I.execEorImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_EOR_IMM32: I.execEorImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ANDS_IMM: I.execAndsImm(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_ANDS_IMM32: I.execAndsImm32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MOVI: I.execMovi(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MOVK: I.execMovk(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MOVK32: I.execMovk32(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_UBFM: I.execUBFM(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_SBFM: I.execSBFM(w, e); e += CODE_ENTRY_SIZE; continue;
      case O.OP_BFM: I.execBFM(w, e, 0xffff_ffff_ffff_ffff); e += CODE_ENTRY_SIZE; continue;
      case O.OP_BFM32: I.execBFM(w, e, 0xffff_ffff); e += CODE_ENTRY_SIZE; continue;
      case O.OP_EXTR: I.execExtr(w); e += CODE_ENTRY_SIZE; continue;
      case O.OP_EXTR32: I.execExtr32(w); e += CODE_ENTRY_SIZE; continue;
      // Branches, exception generating and system
      case O.OP_B: r = B.execB(e); break;
      // Branches within the page jump straight to their target's entry.
      case O.OP_B_LOCAL: r = R_LOCAL; break;
      case O.OP_SUBS_BCOND: execSubsSR(w, 1); if (conditionHolds(fD(w) >> 4, getNZCV())) { r = R_LOCAL2; break; } e += 2 * CODE_ENTRY_SIZE; continue;
      case O.OP_SUBS_BCOND32: execSubsSR(w, 0); if (conditionHolds(fD(w) >> 4, getNZCV())) { r = R_LOCAL2; break; } e += 2 * CODE_ENTRY_SIZE; continue;
      case O.OP_SUBSI_BCOND: I.execSubsImmF(w, 1); if (conditionHolds(fC(w), getNZCV())) { r = R_LOCAL2; break; } e += 2 * CODE_ENTRY_SIZE; continue;
      case O.OP_SUBSI_BCOND32: I.execSubsImmF(w, 0); if (conditionHolds(fC(w), getNZCV())) { r = R_LOCAL2; break; } e += 2 * CODE_ENTRY_SIZE; continue;
      case O.OP_BCOND_LOCAL: if (conditionHolds(fC(w), getNZCV())) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_CBZ_LOCAL: if (B.cbzTaken(w, false, true)) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_CBNZ_LOCAL: if (B.cbzTaken(w, true, true)) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_CBZ32_LOCAL: if (B.cbzTaken(w, false, false)) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_CBNZ32_LOCAL: if (B.cbzTaken(w, true, false)) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_TBZ_LOCAL: if (B.tbzTaken(w, false)) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_TBNZ_LOCAL: if (B.tbzTaken(w, true)) { r = R_LOCAL; break; } e += CODE_ENTRY_SIZE; continue;
      case O.OP_BL: r = B.execBL(e); break;
      case O.OP_BCOND: r = B.execBcond(w, e); break;
      case O.OP_CBZ: r = B.execCBZ(w, e, false, true); break;
      case O.OP_CBNZ: r = B.execCBZ(w, e, true, true); break;
      case O.OP_CBZ32: r = B.execCBZ(w, e, false, false); break;
      case O.OP_CBNZ32: r = B.execCBZ(w, e, true, false); break;
      case O.OP_TBZ: r = B.execTBZ(w, e, false); break;
      case O.OP_TBNZ: r = B.execTBZ(w, e, true); break;
      case O.OP_BR: r = B.execBR(w); break;
      case O.OP_BLR: r = B.execBLR(w, e); break;
      case O.OP_SVC: r = B.execSVC(w, e); break;
      case O.OP_HVC: r = B.execHVC(w, e); break;
      case O.OP_SMC: r = B.execSMC(w, e); break;
      case O.OP_BRK: r = B.execBRK(w, e); break;
      case O.OP_HLT: r = B.execHLT(w, e); break;
      case O.OP_ERET: r = B.execERET(e); break;
      case O.OP_MRS: r = S.execMRS(w, e, n + <u64>((e - eStart) >> 4)); if (r == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } break;
      case O.OP_MSR: r = S.execMSR(w, e, n + <u64>((e - eStart) >> 4)); break;
      case O.OP_MSR_IMM: r = S.execMSRImm(w, e); break;
      case O.OP_NOP: e += CODE_ENTRY_SIZE; continue;
      case O.OP_WFI: r = S.execWFx(e, false); break;
      case O.OP_WFE: r = S.execWFx(e, true); break;
      case O.OP_SEV: S.execSEV(); e += CODE_ENTRY_SIZE; continue;
      case O.OP_SEVL: S.execSEV(); e += CODE_ENTRY_SIZE; continue;
      case O.OP_CLREX: S.execCLREX(); e += CODE_ENTRY_SIZE; continue;
      // ESB: a NOP unless an SError (physical or HCR_EL2.VSE) is pending.
      case O.OP_ESB: if (!esbMayAct()) { e += CODE_ENTRY_SIZE; continue; } r = S.execESB(e); break;
      case O.OP_SYS: r = S.execSYS(w, e); break;
      // Data processing - register
      case O.OP_MOV_REG: execMovReg(w); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MOV_REG32: execMovReg32(w); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_0: execLogicalSR(w, 0, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_1: execLogicalSR(w, 0, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_2: execLogicalSR(w, 1, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_3: execLogicalSR(w, 1, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_4: execLogicalSR(w, 2, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_5: execLogicalSR(w, 2, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_6: execLogicalSR(w, 3, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_7: execLogicalSR(w, 3, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_8: execLogicalSR(w, 4, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_9: execLogicalSR(w, 4, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_10: execLogicalSR(w, 5, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_11: execLogicalSR(w, 5, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_12: execLogicalSR(w, 6, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_13: execLogicalSR(w, 6, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_14: execLogicalSR(w, 7, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_LOG_SR_15: execLogicalSR(w, 7, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_0: execAddSubSR(w, 0, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_1: execAddSubSR(w, 0, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_2: execAddSubSR(w, 1, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_3: execAddSubSR(w, 1, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_4: execAddSubSR(w, 2, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_5: execAddSubSR(w, 2, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_6: execAddSubSR(w, 3, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_SR_7: execAddSubSR(w, 3, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_0: execAddSubER(w, 0, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_1: execAddSubER(w, 0, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_2: execAddSubER(w, 1, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_3: execAddSubER(w, 1, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_4: execAddSubER(w, 2, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_5: execAddSubER(w, 2, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_6: execAddSubER(w, 3, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADDSUB_ER_7: execAddSubER(w, 3, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_0: execAdc(w, 0, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_1: execAdc(w, 0, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_2: execAdc(w, 1, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_3: execAdc(w, 1, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_4: execAdc(w, 2, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_5: execAdc(w, 2, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_6: execAdc(w, 3, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_ADC_7: execAdc(w, 3, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CCMP_0: execCcmp(w, e, 0, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CCMP_1: execCcmp(w, e, 0, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CCMP_2: execCcmp(w, e, 1, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CCMP_3: execCcmp(w, e, 1, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_0: execCsel(w, 0, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_1: execCsel(w, 0, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_2: execCsel(w, 1, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_3: execCsel(w, 1, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_4: execCsel(w, 2, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_5: execCsel(w, 2, 1); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_6: execCsel(w, 3, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_CSEL_7: execCsel(w, 3, 1); e += CODE_ENTRY_SIZE; continue;
      case O.OP_DP1: execDP1(w, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_DP1_1: execDP1(w, 1); e += CODE_ENTRY_SIZE; continue;
      case O.OP_DP2: execDP2(w, 0); e += CODE_ENTRY_SIZE; continue;
      case K_OP_DP2_1: execDP2(w, 1); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MADD: execMadd(w); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MADD32: execMadd32(w); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MSUB: execMsub(w); e += CODE_ENTRY_SIZE; continue;
      case O.OP_MSUB32: execMsub32(w); e += CODE_ENTRY_SIZE; continue;
      case O.OP_DP3: execDP3(w); e += CODE_ENTRY_SIZE; continue;
      // Loads and stores
      case O.OP_LDR_LIT: if (execLdrLiteral(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_LDX: if (execLoadExclusive(w, e, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_STX: if (execStoreExclusive(w, e, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_LDXP: if (execLoadExclusive(w, e, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_STXP: if (execStoreExclusive(w, e, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_LDAR: if (execLoadAcquire(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_STLR: if (execStoreRelease(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_LSE_LD: if (execAtomic(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SWP: if (execSwap(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CAS: if (execCAS(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CASP: if (execCASP(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRB: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRH: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRW: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRX: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSBX: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRSBX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSBW: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRSBW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSHX: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRSHX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSHW: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRSHW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_LDRSW: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_LDRSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRB: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_STRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRH: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_STRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRW: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_STRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_STRX: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_STRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_OFF_MEMOP_COUNT_MEMOP_PRFM: if (execLdSt(w, e, O.MODE_OFF, O.MEMOP_PRFM) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRB: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRH: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRW: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRX: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSBX: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRSBX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSBW: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRSBW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSHX: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRSHX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSHW: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRSHW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_LDRSW: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_LDRSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRB: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_STRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRH: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_STRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRW: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_STRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_STRX: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_STRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_PRE_MEMOP_COUNT_MEMOP_PRFM: if (execLdSt(w, e, O.MODE_PRE, O.MEMOP_PRFM) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRB: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRH: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRW: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRX: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSBX: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRSBX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSBW: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRSBW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSHX: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRSHX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSHW: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRSHW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_LDRSW: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_LDRSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRB: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_STRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRH: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_STRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRW: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_STRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_STRX: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_STRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_POST_MEMOP_COUNT_MEMOP_PRFM: if (execLdSt(w, e, O.MODE_POST, O.MEMOP_PRFM) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRB: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRH: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRW: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRX: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSBX: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRSBX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSBW: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRSBW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSHX: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRSHX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSHW: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRSHW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_LDRSW: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_LDRSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRB: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_STRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRH: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_STRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRW: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_STRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_STRX: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_STRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_REG_MEMOP_COUNT_MEMOP_PRFM: if (execLdSt(w, e, O.MODE_REG, O.MEMOP_PRFM) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRB: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRH: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRW: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRX: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSBX: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRSBX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSBW: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRSBW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSHX: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRSHX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSHW: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRSHW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_LDRSW: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_LDRSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRB: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_STRB) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRH: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_STRH) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRW: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_STRW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_STRX: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_STRX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_LDST_MODE_UNPRIV_MEMOP_COUNT_MEMOP_PRFM: if (execLdSt(w, e, O.MODE_UNPRIV, O.MEMOP_PRFM) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_LDPW: if (execPair(w, e, O.MODE_OFF, O.PAIROP_LDPW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_LDPX: if (execPair(w, e, O.MODE_OFF, O.PAIROP_LDPX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_LDPSW: if (execPair(w, e, O.MODE_OFF, O.PAIROP_LDPSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_STPW: if (execPair(w, e, O.MODE_OFF, O.PAIROP_STPW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_OFF_PAIROP_COUNT_PAIROP_STPX: if (execPair(w, e, O.MODE_OFF, O.PAIROP_STPX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_LDPW: if (execPair(w, e, O.MODE_PRE, O.PAIROP_LDPW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_LDPX: if (execPair(w, e, O.MODE_PRE, O.PAIROP_LDPX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_LDPSW: if (execPair(w, e, O.MODE_PRE, O.PAIROP_LDPSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_STPW: if (execPair(w, e, O.MODE_PRE, O.PAIROP_STPW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_PRE_PAIROP_COUNT_PAIROP_STPX: if (execPair(w, e, O.MODE_PRE, O.PAIROP_STPX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_LDPW: if (execPair(w, e, O.MODE_POST, O.PAIROP_LDPW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_LDPX: if (execPair(w, e, O.MODE_POST, O.PAIROP_LDPX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_LDPSW: if (execPair(w, e, O.MODE_POST, O.PAIROP_LDPSW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_STPW: if (execPair(w, e, O.MODE_POST, O.PAIROP_STPW) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_PAIR_MODE_POST_PAIROP_COUNT_PAIROP_STPX: if (execPair(w, e, O.MODE_POST, O.PAIROP_STPX) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // SIMD&FP (decoded only with CONFIG_FP); the handlers check the FP/AdvSIMD enable first.
      case K_OP_FLDST_OFF_LD: if (execFLdSt(w, e, O.MODE_OFF, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_OFF_ST: if (execFLdSt(w, e, O.MODE_OFF, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_PRE_LD: if (execFLdSt(w, e, O.MODE_PRE, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_PRE_ST: if (execFLdSt(w, e, O.MODE_PRE, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_POST_LD: if (execFLdSt(w, e, O.MODE_POST, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_POST_ST: if (execFLdSt(w, e, O.MODE_POST, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_REG_LD: if (execFLdSt(w, e, O.MODE_REG, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FLDST_REG_ST: if (execFLdSt(w, e, O.MODE_REG, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FLDR_LIT: if (execFLdrLiteral(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FPAIR_OFF_LD: if (execFPair(w, e, O.MODE_OFF, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FPAIR_OFF_ST: if (execFPair(w, e, O.MODE_OFF, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FPAIR_PRE_LD: if (execFPair(w, e, O.MODE_PRE, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FPAIR_PRE_ST: if (execFPair(w, e, O.MODE_PRE, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FPAIR_POST_LD: if (execFPair(w, e, O.MODE_POST, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case K_OP_FPAIR_POST_ST: if (execFPair(w, e, O.MODE_POST, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FP_DP1: if (F.execFpDp1(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FP_DP2: if (F.execFpDp2(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FP_DP3: if (F.execFpDp3(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FCMP: if (F.execFcmp(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FCCMP: if (F.execFccmp(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FCSEL: if (F.execFcsel(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FCVT_TOINT: if (F.execFcvtToInt(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CVTF: if (F.execCvtf(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FMOV_TOGP: if (F.execFmovToGP(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_FMOV_FROMGP: if (F.execFmovFromGP(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_MOVI: if (V.execMovi(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ORRI: if (V.execOrrBicImm(w, e, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_BICI: if (V.execOrrBicImm(w, e, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_DUP_GEN: if (V.execDupGeneral(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_DUP_ELEM: if (V.execDupElement(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_INS_GEN: if (V.execInsGeneral(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_INS_ELEM: if (V.execInsElement(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_UMOV: if (V.execUmov(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_SMOV: if (V.execSmov(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- cases of group THREE
      case O.OP_SIMD_LOGIC: if (T3.execLogic(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ADDSUB: if (T3.execAddSub(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_CMP: if (T3.execCmp(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_PAIR: if (T3.execPair(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_INT3: if (T3.execInt3(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_LONG: if (T3.execLong(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_PMULL64: if (T3.execPmull64(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_TBL: if (TP.execTbl(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_PERMUTE: if (TP.execPermute(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_EXT: if (TP.execExt(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_MUL: if (T3.execMul(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- end of cases of group THREE

      // ---- cases of group FPVEC
      case O.OP_SIMD_FP_BIN: if (FV.execFpBin(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_FP_BIN_ELEM: if (FV.execFpBinElem(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_FP_PAIR: if (FV.execFpPair(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_FP_REDUCE: if (FV.execFpReduce(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_FP_UN: if (FV.execFpUn(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_FP_NARROW: if (FV.execFpNarrow(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_FP_WIDEN: if (FV.execFpWiden(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- end of cases of group FPVEC

      // ---- cases of group MISC
      case O.OP_SIMD_UNARY: if (MI.execSimdUnary(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_REV: if (MI.execSimdRev(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ADDLP: if (MI.execSimdAddlp(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ACROSS: if (MI.execSimdAcross(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_SHIFT: if (MS.execSimdShift(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_NARROW: if (MS.execSimdNarrow(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_WIDEN: if (MS.execSimdWiden(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ELEM: if (ME.execSimdElem(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ELEML: if (ME.execSimdElemLong(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- end of cases of group MISC

      // ---- cases of group LDST
      case O.OP_SIMD_LD1M: if (SL.execLd1Multiple(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_ST1M: if (SL.execSt1Multiple(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_LDNM: if (SL.execLdNMultiple(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_STNM: if (SL.execStNMultiple(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_LDS: if (SL.execLdSingle(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_STS: if (SL.execStSingle(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_SIMD_LDR: if (SL.execLdReplicate(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- end of cases of group LDST

      // ---- cases of group CRYPTO
      case O.OP_CRYPTO_AESE: if (CR.execAesEncDec(w, e, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CRYPTO_AESD: if (CR.execAesEncDec(w, e, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CRYPTO_AESMC: if (CR.execAesMix(w, e, false) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CRYPTO_AESIMC: if (CR.execAesMix(w, e, true) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CRYPTO_SHA1_3: if (CR.execSha1Three(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CRYPTO_SHA256_3: if (CR.execSha256Three(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_CRYPTO_SHA_2: if (CR.execShaTwo(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- end of cases of group CRYPTO

      // ---- cases of group PAUTH
      case O.OP_PAC: if (PA.execPAC(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_PACGA: if (PA.execPACGA(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      case O.OP_BRA: r = PA.execBRA(w, e); break;
      case O.OP_ERETA: r = PA.execERETA(w, e); break;
      case O.OP_LDRA: if (PA.execLDRA(w, e) == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; } r = O.R_FAULT; break;
      // ---- end of cases of group PAUTH
      default: setNextPC(undefinedInstruction(pcOf(e))); r = O.R_FAULT;
    }
    if (r >= R_LOCAL) {
      // A taken branch to an entry of the same page: retire up to and
      // including the branch (two instructions when fused), and keep going
      // unless the budget is spent.
      let t = e + <usize>load<i64>(e, 8);
      n += <u64>((e - eStart) >> 4) + <u64>(r - R_LOCAL + 1);
      if (n < limit) {
        if (load<u32>(CODE_SLOT_JIT + (<usize>curSlotIndex << 2))) {
          let rj = callCompiled(t, n, limit);
          n = load<u64>(JIT_N);
          if (rj == JIT_LEAVE) { setNextPC(load<u64>(JIT_NEXTPC)); break; }
          if (rj < 0) { syncContext(); limit = pmuAt(n, limit - 1); break; }
          t = curSlotBase + (<usize>rj << 4);
        } else if (heatUp()) {
          setNextPC(pcOf(t));
          requestExit(EXIT_JIT);
          break;
        }
        e = t; eStart = t; continue;
      }
      setNextPC(pcOf(t));
      break;
    }
    if (r == O.R_NEXT) { e += CODE_ENTRY_SIZE; continue; }
    if (r == R_REDO) continue;
    if (r == R_PAGE_END) {
      // Fell off the end of the page (or of a replayed instruction).
      n += <u64>((e - eStart) >> 4);
      setNextPC(pcOf(e));
      break;
    }
    // The instruction left the block: account for it and the ones before it.
    // A fault retires nothing but still spends budget, so a guest whose
    // exception vector faults again cannot keep run() from returning.
    n += <u64>((e - eStart) >> 4) + <u64>(r & 1);
    if (r == O.R_FAULT) limit--;
    if (r & 2) { syncContext(); limit = pmuAt(n, limit); }
    break;
    }
  }
}

// After a change of state (exception entry or return, MSR, ...) with n
// instructions retired: the PMU counts up to here in the old state, and the
// budget ends no later than its next overflow.
@inline function pmuAt(n: u64, limit: u64): u64 {
  pmuSync(n);
  return pmuDeadline < limit ? pmuDeadline : limit;
}

// Runs the compiled function of the current page from entry e.
@inline function callCompiled(e: usize, n: u64, limit: u64): i32 {
  return call_indirect<i32>(curSlotIndex + 1, <i32>((e - curSlotBase) >> 4), n, limit, curPageVA);
}

// Counts an entry into the current page; true when it has just become hot
// and the host asked to be told (JIT_ENABLED).
function heatUp(): bool {
  let a = CODE_SLOT_HEAT + (<usize>curSlotIndex << 2);
  let h = load<u32>(a) + 1;
  store<u32>(a, h);
  if (h != load<u32>(JIT_ENABLED)) return false; // 0 (off) is never reached: h >= 1
  store<u32>(JIT_REQUEST_SLOT, curSlotIndex);
  return true;
}

// Single-stepping the replayed MMIO instruction: the entry after it is
// temporarily an end-of-block sentinel, restored at the next boundary
// unless a write invalidated it meanwhile.
let patchedAt: usize = 0;
let patchedW: u64 = 0;
let patchedImm: u64 = 0;
function patchStep(at: usize): void {
  patchedAt = at;
  patchedW = load<u64>(at);
  patchedImm = load<u64>(at, 8);
  store<u64>(at, <u64>O.OP_PAGE_END);
}
function unpatchStep(): void {
  if (load<u64>(patchedAt) == <u64>O.OP_PAGE_END && (patchedAt - CODE_BASE) % CODE_SLOT_SIZE != PAGE_ENTRIES_BYTES) {
    store<u64>(patchedAt, patchedW);
    store<u64>(patchedAt, patchedImm, 8);
  }
}

