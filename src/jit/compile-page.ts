// The page compiler: turns the predecoded entries of one 4 KiB code page into
// a WebAssembly function (see CODE_SLOT_JIT in assembly/abi.ts). Sequential
// instructions become straight-line code; a taken branch within the page
// re-dispatches through one br_table over the page's 1024 entries; anything
// the compiler does not handle returns to the interpreter at that entry.
// The semantics mirror assembly/exec/*.ts exactly.
import * as ABI from "../../assembly/abi";
import * as O from "../../assembly/decode/ops";
import { Bytes, Op, I32, I64, buildModule } from "./wasm-writer";

const ENTRIES = 1024;
const MASK32 = 0xffff_ffffn;
const HCR_VSE = 1n << 8n;

// Locals: parameters first.
const L_IDX = 0, L_N = 1, L_LIMIT = 2, L_PAGEVA = 3;
const L_START = 4, L_TE = 5, L_H = 6, L_NZ = 7, L_CHK = 8, L_A32 = 9, L_B32 = 10;  // i32
const L_CTX = 11, L_VA = 12, L_A = 13, L_B = 14, L_R = 15, L_BASE = 16, L_V2 = 17; // i64
const L_T0 = 18, L_T1 = 19, L_T2 = 20, L_T3 = 21; // i64 scratch (multiply-high, carry-in)
const LOCALS = [{ count: 7, type: I32 }, { count: 7, type: I64 }, { count: 4, type: I64 }];

// Imported core functions. pac and branchAuth (FEAT_PAuth, exec/pauth.ts)
// take the entry's address and return 0 when an exception was taken.
const F_READ_SLOW = 0, F_WRITE_SLOW = 1, F_PAC = 2, F_BRANCH_AUTH = 3;
const T_RUN = 0, T_READ = 1, T_WRITE = 2, T_ENTRY = 3;
const TYPES = [
  { params: [I32, I64, I64, I64], results: [I32] },
  { params: [I64, I32, I32, I32], results: [I32] },
  { params: [I64, I32, I64, I32, I32], results: [I32] },
  { params: [I32], results: [I32] },
];

interface Entry { op: number; a: number; b: number; c: number; d: number; f: number; imm: bigint }

function memopSize(m: number): number {
  if (m === O.MEMOP_LDRB || m === O.MEMOP_LDRSBX || m === O.MEMOP_LDRSBW || m === O.MEMOP_STRB) return 1;
  if (m === O.MEMOP_LDRH || m === O.MEMOP_LDRSHX || m === O.MEMOP_LDRSHW || m === O.MEMOP_STRH) return 2;
  if (m === O.MEMOP_LDRW || m === O.MEMOP_LDRSW || m === O.MEMOP_STRW) return 4;
  return 8;
}

class PageCompiler {
  readonly c = new Bytes();
  private i = 0;           // entry index being compiled
  private compiled = 0;    // entries translated (statistics)

  constructor(private readonly entries: Entry[], private readonly slotBase: number, private readonly slot: number,
    private readonly countHits: boolean) {}

  // ---- small emitters ----
  private op(...b: number[]): void { this.c.byte(...b); }
  private get(l: number): void { this.c.byte(Op.local_get).u32(l); }
  private set(l: number): void { this.c.byte(Op.local_set).u32(l); }
  private tee(l: number): void { this.c.byte(Op.local_tee).u32(l); }
  private i32(v: number): void { this.c.byte(Op.i32_const).s32(v); }
  private i64(v: bigint): void { this.c.byte(Op.i64_const).s64(v); }
  private mem(op: number, align: number, offset: number): void { this.c.byte(op).u32(align).u32(offset); }
  private br(depth: number): void { this.c.byte(Op.br).u32(depth); }

  // Depth from inside entry i's code to the dispatch loop and to the function's outer block.
  private get toDispatch(): number { return ENTRIES - this.i; }

  // Register slot -> i64 on the stack (slot 31 is XZR).
  private x(slot: number): void {
    if (slot === ABI.SLOT_ZR) { this.i64(0n); return; }
    this.i32(0); this.mem(Op.i64_load, 3, ABI.X_BASE + slot * 8);
  }
  // Store local l to a register slot (the sink slot drops it).
  private setX(slot: number, l: number): void {
    if (slot === ABI.SLOT_SINK || slot === ABI.SLOT_ZR) return;
    this.i32(0); this.get(l); this.mem(Op.i64_store, 3, ABI.X_BASE + slot * 8);
  }
  // Zero-extend the low 32 bits of the i64 on the stack.
  private zext32(): void { this.i64(MASK32); this.op(Op.i64_and); }
  private pc(index: number): void { this.get(L_PAGEVA); this.i64(BigInt(index * 4)); this.op(Op.i64_add); }

  // n += i + k - start (k = 1 when instruction i retired).
  private retire(k: number): void {
    this.get(L_N); this.i32(this.i + k); this.get(L_START); this.op(Op.i32_sub, Op.i64_extend_i32_u, Op.i64_add); this.set(L_N);
  }
  private storeN(): void { this.i32(0); this.get(L_N); this.mem(Op.i64_store, 3, ABI.JIT_N); }
  // Leave for the interpreter at entry j (instruction i did not execute when j == i).
  private toInterpreter(j: number): void { this.retire(j - this.i); this.storeN(); this.i32(j); this.op(Op.return); }
  // Leave after a fault or exit inside a slow path: instruction i did not retire.
  private fault(): void { this.retire(0); this.storeN(); this.i32(ABI.JIT_FAULT); this.op(Op.return); }
  // Leave for the block boundary at the i64 in local l (instruction i retired).
  private leaveTo(l: number): void {
    this.retire(1); this.storeN();
    this.i32(0); this.get(l); this.mem(Op.i64_store, 3, ABI.JIT_NEXTPC);
    this.i32(ABI.JIT_LEAVE); this.op(Op.return);
  }

  // A taken branch to entry t of this page (instruction i retires, `count`
  // instructions in all), emitted inside `nesting` open if-blocks.
  private jumpLocal(t: number, nesting: number, count = 1): void {
    this.retire(count);
    this.get(L_N); this.get(L_LIMIT); this.op(Op.i64_lt_u);
    this.op(Op.if, 0x40);
    this.i32(t); this.tee(L_IDX); this.set(L_START); this.br(this.toDispatch + nesting + 1);
    this.op(Op.end);
    this.storeN(); this.i32(0); this.pc(t); this.mem(Op.i64_store, 3, ABI.JIT_NEXTPC);
    this.i32(ABI.JIT_LEAVE); this.op(Op.return);
  }

  // ConditionHolds(cond) on the i32 NZCV in local L_NZ -> i32 0/1.
  private cond(cond: number): void {
    const bit = (sh: number) => { this.get(L_NZ); this.i32(sh); this.op(Op.i32_shr_u); this.i32(1); this.op(Op.i32_and); };
    const base = cond >> 1;
    switch (base) {
      case 0: bit(30); break;                 // Z
      case 1: bit(29); break;                 // C
      case 2: bit(31); break;                 // N
      case 3: bit(28); break;                 // V
      case 4: bit(29); bit(30); this.i32(1); this.op(Op.i32_xor, Op.i32_and); break; // C && !Z
      case 5: bit(31); bit(28); this.op(Op.i32_eq); break;                           // N == V
      case 6: bit(31); bit(28); this.op(Op.i32_eq); bit(30); this.i32(1); this.op(Op.i32_xor, Op.i32_and); break;
      default: this.i32(1); return;
    }
    if (cond & 1) { this.i32(1); this.op(Op.i32_xor); }
  }
  private loadNZ(): void { this.i32(0); this.mem(Op.i32_load, 2, ABI.PSTATE_NZCV); this.set(L_NZ); }

  // AddWithCarry(a, b, carry) at 64 bits on locals L_A, L_B -> L_R, NZCV stored and left in L_NZ.
  private addWithCarry64(carry: number): void {
    this.get(L_A); this.get(L_B); this.op(Op.i64_add); if (carry) { this.i64(1n); this.op(Op.i64_add); } this.set(L_R);
    // N
    this.get(L_R); this.i64(32n); this.op(Op.i64_shr_u, Op.i32_wrap_i64); this.i32(0x8000_0000 | 0); this.op(Op.i32_and);
    // Z
    this.get(L_R); this.op(Op.i64_eqz); this.i32(30); this.op(Op.i32_shl, Op.i32_or);
    // C: carry ? r <= a : r < a (unsigned)
    this.get(L_R); this.get(L_A); this.op(carry ? Op.i64_le_u : Op.i64_lt_u); this.i32(29); this.op(Op.i32_shl, Op.i32_or);
    // V: ((a ^ r) & (b ^ r)) >> 63
    this.get(L_A); this.get(L_R); this.op(Op.i64_xor); this.get(L_B); this.get(L_R); this.op(Op.i64_xor, Op.i64_and);
    this.i64(63n); this.op(Op.i64_shr_u, Op.i32_wrap_i64); this.i32(28); this.op(Op.i32_shl, Op.i32_or);
    this.set(L_NZ);
    this.i32(0); this.get(L_NZ); this.mem(Op.i32_store, 2, ABI.PSTATE_NZCV);
  }
  // The same at 32 bits, operands the low halves of L_A, L_B; L_R gets the zero-extended result.
  private addWithCarry32(carry: number): void {
    this.get(L_A); this.op(Op.i32_wrap_i64); this.set(L_A32);
    this.get(L_B); this.op(Op.i32_wrap_i64); this.set(L_B32);
    this.get(L_A32); this.get(L_B32); this.op(Op.i32_add); if (carry) { this.i32(1); this.op(Op.i32_add); }
    this.tee(L_H); // r32 (reusing L_H as a scratch i32)
    this.i32(0x8000_0000 | 0); this.op(Op.i32_and);
    this.get(L_H); this.op(Op.i32_eqz); this.i32(30); this.op(Op.i32_shl, Op.i32_or);
    this.get(L_H); this.get(L_A32); this.op(carry ? 0x4d /* i32.le_u */ : Op.i32_lt_u); this.i32(29); this.op(Op.i32_shl, Op.i32_or);
    this.get(L_A32); this.get(L_H); this.op(Op.i32_xor); this.get(L_B32); this.get(L_H); this.op(Op.i32_xor, Op.i32_and);
    this.i32(31); this.op(Op.i32_shr_u); this.i32(28); this.op(Op.i32_shl, Op.i32_or);
    this.set(L_NZ);
    this.i32(0); this.get(L_NZ); this.mem(Op.i32_store, 2, ABI.PSTATE_NZCV);
    this.get(L_H); this.op(Op.i64_extend_i32_u); this.set(L_R);
  }
  // AddWithCarry with the carry-in held in L_T0 (0 or 1, ADCS/SBCS): as above,
  // C = carry ? r <= a : r < a.
  private addWithCarryIn(sf: number): void {
    if (!sf) {
      this.get(L_A); this.op(Op.i32_wrap_i64); this.set(L_A32);
      this.get(L_B); this.op(Op.i32_wrap_i64); this.set(L_B32);
      this.get(L_A32); this.get(L_B32); this.op(Op.i32_add); this.get(L_T0); this.op(Op.i32_wrap_i64, Op.i32_add);
      this.tee(L_H);
      this.i32(0x8000_0000 | 0); this.op(Op.i32_and);
      this.get(L_H); this.op(Op.i32_eqz); this.i32(30); this.op(Op.i32_shl, Op.i32_or);
      this.get(L_H); this.get(L_A32); this.op(0x4d /* i32.le_u */);
      this.get(L_H); this.get(L_A32); this.op(Op.i32_lt_u);
      this.get(L_T0); this.op(Op.i32_wrap_i64); this.op(Op.select); this.i32(29); this.op(Op.i32_shl, Op.i32_or);
      this.get(L_A32); this.get(L_H); this.op(Op.i32_xor); this.get(L_B32); this.get(L_H); this.op(Op.i32_xor, Op.i32_and);
      this.i32(31); this.op(Op.i32_shr_u); this.i32(28); this.op(Op.i32_shl, Op.i32_or);
      this.set(L_NZ);
      this.i32(0); this.get(L_NZ); this.mem(Op.i32_store, 2, ABI.PSTATE_NZCV);
      this.get(L_H); this.op(Op.i64_extend_i32_u); this.set(L_R);
      return;
    }
    this.get(L_A); this.get(L_B); this.op(Op.i64_add); this.get(L_T0); this.op(Op.i64_add); this.set(L_R);
    this.get(L_R); this.i64(32n); this.op(Op.i64_shr_u, Op.i32_wrap_i64); this.i32(0x8000_0000 | 0); this.op(Op.i32_and);
    this.get(L_R); this.op(Op.i64_eqz); this.i32(30); this.op(Op.i32_shl, Op.i32_or);
    this.get(L_R); this.get(L_A); this.op(Op.i64_le_u);
    this.get(L_R); this.get(L_A); this.op(Op.i64_lt_u);
    this.get(L_T0); this.op(Op.i32_wrap_i64); this.op(Op.select); this.i32(29); this.op(Op.i32_shl, Op.i32_or);
    this.get(L_A); this.get(L_R); this.op(Op.i64_xor); this.get(L_B); this.get(L_R); this.op(Op.i64_xor, Op.i64_and);
    this.i64(63n); this.op(Op.i64_shr_u, Op.i32_wrap_i64); this.i32(28); this.op(Op.i32_shl, Op.i32_or);
    this.set(L_NZ);
    this.i32(0); this.get(L_NZ); this.mem(Op.i32_store, 2, ABI.PSTATE_NZCV);
  }
  private logicalFlags(sf: number): void {
    // N from bit 63 (or 31), Z from the whole result; C = V = 0.
    if (sf) { this.get(L_R); this.i64(32n); this.op(Op.i64_shr_u, Op.i32_wrap_i64); }
    else { this.get(L_R); this.op(Op.i32_wrap_i64); }
    this.i32(0x8000_0000 | 0); this.op(Op.i32_and);
    this.get(L_R); this.op(Op.i64_eqz); this.i32(30); this.op(Op.i32_shl, Op.i32_or);
    this.set(L_NZ); this.i32(0); this.get(L_NZ); this.mem(Op.i32_store, 2, ABI.PSTATE_NZCV);
  }

  // ShiftReg on the i64 on the stack (already masked to 32 bits when !sf).
  private shift(type: number, amount: number, sf: number): void {
    if (amount === 0) return;
    if (sf) {
      this.i64(BigInt(amount));
      this.op([Op.i64_shl, Op.i64_shr_u, Op.i64_shr_s, Op.i64_rotr][type]);
      return;
    }
    // 32-bit: operate on an i32 so ASR and ROR see bit 31 as the top.
    this.op(Op.i32_wrap_i64); this.i32(amount);
    this.op([Op.i32_shl, Op.i32_shr_u, Op.i32_shr_s, Op.i32_rotr][type]);
    this.op(Op.i64_extend_i32_u);
  }

  // ExtendReg on the i64 on the stack, with the packed field of extendField()
  // (assembly/exec/flags.ts): bits 5:0 = 64 - source width, bit 6 = signed, bits 10:8 = left shift.
  private extendReg(f: number): void {
    const sh = BigInt(f & 63), signed = (f & 64) !== 0, lsl = BigInt((f >> 8) & 7);
    if (sh) { this.i64(sh); this.op(Op.i64_shl); this.i64(sh); this.op(signed ? Op.i64_shr_s : Op.i64_shr_u); }
    if (lsl) { this.i64(lsl); this.op(Op.i64_shl); }
  }

  // L_A = ((L_A >> s) & m) | ((L_A & m) << s): one step of a bit or byte reversal.
  private swapBits(s: number, m: bigint): void {
    this.get(L_A); this.i64(BigInt(s)); this.op(Op.i64_shr_u); this.i64(m); this.op(Op.i64_and);
    this.get(L_A); this.i64(m); this.op(Op.i64_and); this.i64(BigInt(s)); this.op(Op.i64_shl);
    this.op(Op.i64_or); this.set(L_A);
  }

  // The high 64 bits of the unsigned product L_A * L_B, on the stack (from
  // 32-bit halves: WebAssembly has no 64x64->128 multiply).
  private umulh(): void {
    const M = 0xffff_ffffn;
    this.get(L_A); this.i64(M); this.op(Op.i64_and); this.set(L_T0);     // a.lo
    this.get(L_A); this.i64(32n); this.op(Op.i64_shr_u); this.set(L_T1); // a.hi
    this.get(L_B); this.i64(M); this.op(Op.i64_and); this.set(L_T2);     // b.lo
    this.get(L_B); this.i64(32n); this.op(Op.i64_shr_u); this.set(L_T3); // b.hi
    // t = a.hi * b.lo + (a.lo * b.lo >> 32), which cannot overflow
    this.get(L_T1); this.get(L_T2); this.op(Op.i64_mul);
    this.get(L_T0); this.get(L_T2); this.op(Op.i64_mul); this.i64(32n); this.op(Op.i64_shr_u, Op.i64_add); this.set(L_R);
    // (t.lo + a.lo * b.hi) >> 32
    this.get(L_R); this.i64(M); this.op(Op.i64_and); this.get(L_T0); this.get(L_T3); this.op(Op.i64_mul, Op.i64_add);
    this.i64(32n); this.op(Op.i64_shr_u); this.set(L_T2);
    // a.hi * b.hi + t.hi + that
    this.get(L_T1); this.get(L_T3); this.op(Op.i64_mul); this.get(L_R); this.i64(32n); this.op(Op.i64_shr_u, Op.i64_add);
    this.get(L_T2); this.op(Op.i64_add);
  }

  // ---- memory accesses ----
  // Host address of [L_VA, +size) for reading or writing -> L_H; on a fault, leaves.
  private translate(size: number, write: boolean, store?: () => void): void {
    const tagOff = ABI.TLB_BASE + (write ? 8 : 0);
    this.get(L_VA); this.i64(12n); this.op(Op.i64_shr_u, Op.i32_wrap_i64); this.i32(ABI.TLB_ENTRIES - 1); this.op(Op.i32_and);
    this.i32(6); this.op(Op.i32_shl); this.tee(L_TE);
    this.mem(Op.i64_load, 3, tagOff);
    this.get(L_VA); if (size > 1) { this.i64(BigInt(size - 1)); this.op(Op.i64_add); } this.i64(-4096n); this.op(Op.i64_and);
    this.get(L_CTX); this.op(Op.i64_or, Op.i64_eq);
    this.op(Op.if, 0x40);
    if (this.countHits) { this.i32(0); this.i32(0); this.mem(Op.i64_load, 3, ABI.CNT_TLB_HITS); this.i64(1n); this.op(Op.i64_add); this.mem(Op.i64_store, 3, ABI.CNT_TLB_HITS); }
    this.get(L_TE); this.mem(Op.i32_load, 2, ABI.TLB_BASE + 24); this.get(L_VA); this.op(Op.i32_wrap_i64, Op.i32_add); this.set(L_H);
    if (write) store!();
    this.op(Op.else);
    if (write) {
      // The slow path performs the write itself (data in L_V2).
      this.get(L_VA); this.i32(size); this.get(L_V2); this.i32(0); this.i32(this.slotBase + this.i * 16);
      this.op(Op.call); this.c.u32(F_WRITE_SLOW);
      this.op(Op.i32_eqz); this.op(Op.if, 0x40); this.fault(); this.op(Op.end);
      this.i32(1); this.set(L_CHK); // the write may have hit code: check before going on
    } else {
      this.get(L_VA); this.i32(size); this.i32(0); this.i32(this.slotBase + this.i * 16);
      this.op(Op.call); this.c.u32(F_READ_SLOW); this.tee(L_H);
      this.op(Op.i32_eqz); this.op(Op.if, 0x40); this.fault(); this.op(Op.end);
    }
    this.op(Op.end);
  }
  private loadValue(m: number): void {
    this.get(L_H);
    switch (m) {
      case O.MEMOP_LDRB: this.mem(Op.i64_load8_u, 0, 0); break;
      case O.MEMOP_LDRH: this.mem(Op.i64_load16_u, 0, 0); break;
      case O.MEMOP_LDRW: this.mem(Op.i64_load32_u, 0, 0); break;
      case O.MEMOP_LDRSBX: this.mem(Op.i64_load8_s, 0, 0); break;
      case O.MEMOP_LDRSBW: this.mem(Op.i64_load8_s, 0, 0); this.zext32(); break;
      case O.MEMOP_LDRSHX: this.mem(Op.i64_load16_s, 0, 0); break;
      case O.MEMOP_LDRSHW: this.mem(Op.i64_load16_s, 0, 0); this.zext32(); break;
      case O.MEMOP_LDRSW: this.mem(Op.i64_load32_s, 0, 0); break;
      default: this.mem(Op.i64_load, 0, 0);
    }
  }
  private storeValue(size: number): void {
    this.get(L_H); this.get(L_V2);
    this.mem(size === 1 ? Op.i64_store8 : size === 2 ? Op.i64_store16 : size === 4 ? Op.i64_store32 : Op.i64_store, 0, 0);
  }
  // After an instruction whose store took the slow path: if that write
  // changed this page's code, the compiled function is stale.
  private checkCode(): void {
    this.get(L_CHK);
    this.op(Op.if, 0x40);
    this.i32(0); this.set(L_CHK);
    this.i32(0); this.mem(Op.i32_load, 2, ABI.CODE_SLOT_JIT + this.slot * 4); this.op(Op.i32_eqz);
    this.op(Op.if, 0x40); this.toInterpreter(this.i + 1); this.op(Op.end);
    this.op(Op.end);
  }
  // SP as a base register with SP alignment checking on and SP misaligned: let the interpreter fault.
  private spCheck(rn: number): void {
    if (rn !== ABI.SLOT_SP) return;
    this.i32(0); this.mem(Op.i32_load, 2, ABI.JIT_SPALIGN);
    this.get(L_BASE); this.i64(15n); this.op(Op.i64_and, Op.i64_eqz, Op.i32_eqz, Op.i32_and);
    this.op(Op.if, 0x40); this.toInterpreter(this.i); this.op(Op.end);
  }

  // ---- instructions ----
  // Emits entry i; false if it is left to the interpreter.
  private instruction(en: Entry): boolean {
    const { op, a, b, c, d, f, imm } = en;
    const rx = (slot: number) => this.x(slot);
    if (op >= O.OP_LDST && op < O.OP_PAIR) {
      const mode = Math.floor((op - O.OP_LDST) / O.MEMOP_COUNT), m = (op - O.OP_LDST) % O.MEMOP_COUNT;
      if (mode === O.MODE_UNPRIV) return false;
      if (m === O.MEMOP_PRFM) return true;
      const size = memopSize(m);
      rx(b); this.set(L_BASE);
      this.spCheck(b);
      if (mode === O.MODE_POST) { this.get(L_BASE); this.set(L_VA); }
      else if (mode === O.MODE_REG) {
        this.get(L_BASE); rx(c); this.extendReg(f);
        this.op(Op.i64_add); this.set(L_VA);
      } else { this.get(L_BASE); this.i64(imm); this.op(Op.i64_add); this.set(L_VA); }
      if (m >= O.MEMOP_STRB) {
        rx(a); this.set(L_V2);
        this.translate(size, true, () => this.storeValue(size));
      } else {
        this.translate(size, false);
        this.loadValue(m); this.set(L_R);
      }
      if (mode === O.MODE_PRE) { this.setX(b, L_VA); }
      else if (mode === O.MODE_POST) { this.get(L_BASE); this.i64(imm); this.op(Op.i64_add); this.set(L_A); this.setX(b, L_A); }
      if (m < O.MEMOP_STRB) this.setX(a, L_R);
      else this.checkCode();
      return true;
    }
    if (op >= O.OP_PAIR && op < O.OP_PAGE_END) {
      const mode = Math.floor((op - O.OP_PAIR) / O.PAIROP_COUNT), p = (op - O.OP_PAIR) % O.PAIROP_COUNT;
      const size = p === O.PAIROP_LDPX || p === O.PAIROP_STPX ? 8 : 4;
      rx(b); this.set(L_BASE);
      this.spCheck(b);
      this.get(L_BASE); if (mode !== O.MODE_POST) { this.i64(imm); this.op(Op.i64_add); } this.set(L_VA);
      if (p >= O.PAIROP_STPW) {
        rx(a); this.set(L_V2);
        rx(c); this.set(L_B);   // second value, read before anything is written
        this.translate(size, true, () => this.storeValue(size));
        this.get(L_B); this.set(L_V2);
        this.get(L_VA); this.i64(BigInt(size)); this.op(Op.i64_add); this.set(L_VA);
        this.translate(size, true, () => this.storeValue(size));
      } else {
        const m = size === 8 ? O.MEMOP_LDRX : p === O.PAIROP_LDPSW ? O.MEMOP_LDRSW : O.MEMOP_LDRW;
        this.translate(size, false); this.loadValue(m); this.set(L_R);
        this.get(L_VA); this.i64(BigInt(size)); this.op(Op.i64_add); this.set(L_VA);
        this.translate(size, false); this.loadValue(m); this.set(L_A);
      }
      if (mode !== O.MODE_OFF) { this.get(L_BASE); this.i64(imm); this.op(Op.i64_add); this.set(L_V2); this.setX(b, L_V2); }
      if (p < O.PAIROP_STPW) { this.setX(a, L_R); this.setX(c, L_A); }
      else this.checkCode();
      return true;
    }
    if (op >= O.OP_LOG_SR && op < O.OP_LOG_SR + 16) {
      const k = op - O.OP_LOG_SR, sf = k & 1, opcN = k >> 1, opc = opcN >> 1;
      rx(b); if (!sf) this.zext32(); this.set(L_A);
      rx(c); if (!sf) this.zext32(); this.shift(d, f, sf);
      if (opcN & 1) { this.i64(sf ? -1n : MASK32); this.op(Op.i64_xor); }
      this.set(L_B);
      this.get(L_A); this.get(L_B); this.op(opc === 1 ? Op.i64_or : opc === 2 ? Op.i64_xor : Op.i64_and); this.set(L_R);
      if (opc === 3) this.logicalFlags(sf);
      this.setX(a, L_R);
      return true;
    }
    if (op >= O.OP_ADDSUB_SR && op < O.OP_ADDSUB_SR + 8) {
      const k = op - O.OP_ADDSUB_SR, sf = k & 1, sub = (k >> 2) & 1, s = (k >> 1) & 1;
      rx(b); this.set(L_A);
      rx(c); if (!sf) this.zext32(); this.shift(d, f, sf); this.set(L_B);
      this.addSub(sf, sub, s);
      this.setX(a, L_R);
      return true;
    }
    if (op >= O.OP_CSEL && op < O.OP_CSEL + 8) {
      const k = op - O.OP_CSEL, sf = k & 1, kind = k >> 1;
      this.loadNZ();
      rx(b);
      rx(c);
      if (kind === 1) { this.i64(1n); this.op(Op.i64_add); }
      else if (kind === 2) { this.i64(-1n); this.op(Op.i64_xor); }
      else if (kind === 3) { this.set(L_B); this.i64(0n); this.get(L_B); this.op(Op.i64_sub); }
      this.cond(d); this.op(Op.select);
      if (!sf) this.zext32();
      this.set(L_R); this.setX(a, L_R);
      return true;
    }
    if (op >= O.OP_ADDSUB_ER && op < O.OP_ADDSUB_ER + 8) {
      const k = op - O.OP_ADDSUB_ER, sf = k & 1, sub = (k >> 2) & 1, s = (k >> 1) & 1;
      rx(b); this.set(L_A);
      rx(c); this.extendReg(f); this.set(L_B);
      this.addSub(sf, sub, s);
      this.setX(a, L_R);
      return true;
    }
    if (op >= O.OP_ADC && op < O.OP_ADC + 8) {
      // ADC, ADCS, SBC, SBCS: the carry-in is PSTATE.C.
      const k = op - O.OP_ADC, sf = k & 1, sub = (k >> 2) & 1, s = (k >> 1) & 1;
      this.i32(0); this.mem(Op.i32_load, 2, ABI.PSTATE_NZCV); this.i32(29); this.op(Op.i32_shr_u); this.i32(1); this.op(Op.i32_and, Op.i64_extend_i32_u);
      this.set(L_T0);
      rx(b); this.set(L_A);
      rx(c); if (sub) { this.i64(-1n); this.op(Op.i64_xor); } this.set(L_B);
      if (s) this.addWithCarryIn(sf);
      else {
        this.get(L_A); this.get(L_B); this.op(Op.i64_add); this.get(L_T0); this.op(Op.i64_add);
        if (!sf) this.zext32();
        this.set(L_R);
      }
      this.setX(a, L_R);
      return true;
    }
    if (op >= O.OP_CCMP && op < O.OP_CCMP + 4) {
      // CCMN, CCMP: a = Rn, b = Rm, c = cond, d = nzcv, f = immediate form (imm = imm5).
      const k = op - O.OP_CCMP, sf = k & 1, sub = k >> 1;
      this.loadNZ(); this.cond(c);
      this.op(Op.if, 0x40);
      rx(a); this.set(L_A);
      if (f) this.i64(imm); else rx(b);
      this.set(L_B);
      this.addSub(sf, sub, 1);
      this.op(Op.else);
      this.i32(0); this.i32(d << 28); this.mem(Op.i32_store, 2, ABI.PSTATE_NZCV);
      this.op(Op.end);
      return true;
    }
    if (op === O.OP_DP1 || op === O.OP_DP1 + 1) return this.dataProcessing1(op - O.OP_DP1, a, b, d);
    if (op === O.OP_DP2 || op === O.OP_DP2 + 1) return this.dataProcessing2(op - O.OP_DP2, a, b, c, d);
    switch (op) {
      case O.OP_NOP: return true;
      // ESB (FEAT_RAS): stays in compiled code as a NOP unless an SError may
      // be pending -- CONTROL_LINES.SError or HCR_EL2.VSE (esbMayAct in
      // assembly/except/ras.ts) -- and leaves for the interpreter otherwise.
      case O.OP_ESB:
        this.i32(0); this.mem(Op.i32_load, 2, ABI.CONTROL_LINES); this.i32(ABI.LINE_SERROR); this.op(Op.i32_and);
        this.i32(0); this.mem(Op.i64_load, 3, ABI.SYSREG_BASE + ABI.SR_HCR_EL2 * 8); this.i64(HCR_VSE); this.op(Op.i64_and);
        this.i64(0n); this.op(Op.i64_ne, Op.i32_or);
        this.op(Op.if, 0x40); this.toInterpreter(this.i); this.op(Op.end);
        return true;
      case O.OP_MOVI: this.i64(imm); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_MOV_REG: rx(b); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_MOV_REG32: rx(b); this.zext32(); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_ADR: this.pc(this.i); this.i64(imm); this.op(Op.i64_add); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_ADRP: this.pc(this.i); this.i64(-4096n); this.op(Op.i64_and); this.i64(imm); this.op(Op.i64_add); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_ADD_IMM: case O.OP_ADD_IMM32: case O.OP_SUB_IMM: case O.OP_SUB_IMM32:
      case O.OP_ADDS_IMM: case O.OP_ADDS_IMM32: case O.OP_SUBS_IMM: case O.OP_SUBS_IMM32: {
        const k = op - O.OP_ADD_IMM, sf = (k & 1) ^ 1, sub = (k >> 1) & 1, s = k >> 2;
        rx(b); this.set(L_A); this.i64(imm); this.set(L_B);
        this.addSub(sf, sub, s);
        this.setX(a, L_R);
        return true;
      }
      case O.OP_AND_IMM: case O.OP_ORR_IMM: case O.OP_ORR_IMM32: case O.OP_EOR_IMM: case O.OP_EOR_IMM32:
      case O.OP_ANDS_IMM: case O.OP_ANDS_IMM32: {
        const sf = op === O.OP_ORR_IMM32 || op === O.OP_EOR_IMM32 || op === O.OP_ANDS_IMM32 ? 0 : 1;
        rx(b); if (!sf) this.zext32(); this.i64(imm);
        this.op(op === O.OP_ORR_IMM || op === O.OP_ORR_IMM32 ? Op.i64_or : op === O.OP_EOR_IMM || op === O.OP_EOR_IMM32 ? Op.i64_xor : Op.i64_and);
        this.set(L_R);
        if (op === O.OP_ANDS_IMM || op === O.OP_ANDS_IMM32) this.logicalFlags(sf);
        this.setX(a, L_R);
        return true;
      }
      case O.OP_MOVK: case O.OP_MOVK32:
        rx(b); this.i64(~(0xffffn << BigInt(f)) & (op === O.OP_MOVK ? -1n : MASK32)); this.op(Op.i64_and);
        this.i64(imm); this.op(Op.i64_or); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_UBFM: case O.OP_SBFM:
        rx(b); this.i64(BigInt(c)); this.op(Op.i64_shl); this.i64(BigInt(d)); this.op(op === O.OP_UBFM ? Op.i64_shr_u : Op.i64_shr_s);
        this.i64(BigInt(f)); this.op(Op.i64_shl); this.i64(imm); this.op(Op.i64_and); this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_MADD: case O.OP_MADD32: case O.OP_MSUB: case O.OP_MSUB32: {
        const sf = op === O.OP_MADD || op === O.OP_MSUB;
        rx(d); rx(b); rx(c); this.op(Op.i64_mul); this.op(op === O.OP_MADD || op === O.OP_MADD32 ? Op.i64_add : Op.i64_sub);
        if (!sf) this.zext32();
        this.set(L_R); this.setX(a, L_R); return true;
      }
      case O.OP_DP3: {
        // SMADDL, SMSUBL, SMULH, UMADDL, UMSUBL, UMULH (f = op31 << 1 | o0).
        if (f === 4 || f === 12) {
          rx(b); this.set(L_A); rx(c); this.set(L_B);
          this.umulh();
          if (f === 4) { // SMULH = UMULH - (a < 0 ? b : 0) - (b < 0 ? a : 0)
            this.get(L_B); this.get(L_A); this.i64(63n); this.op(Op.i64_shr_s, Op.i64_and, Op.i64_sub);
            this.get(L_A); this.get(L_B); this.i64(63n); this.op(Op.i64_shr_s, Op.i64_and, Op.i64_sub);
          }
        } else {
          const signed = f < 8, ext = signed ? Op.i64_extend_i32_s : Op.i64_extend_i32_u;
          rx(d);
          rx(b); this.op(Op.i32_wrap_i64, ext); rx(c); this.op(Op.i32_wrap_i64, ext); this.op(Op.i64_mul);
          this.op(f & 1 ? Op.i64_sub : Op.i64_add);
        }
        this.set(L_R); this.setX(a, L_R); return true;
      }
      case O.OP_BFM: case O.OP_BFM32:
        // Rd = (Rd & ~mask | ((Rn << c) >> d) << f & mask), at 32 bits zero-extended.
        rx(a); this.i64(~imm); this.op(Op.i64_and);
        rx(b); this.i64(BigInt(c)); this.op(Op.i64_shl); this.i64(BigInt(d)); this.op(Op.i64_shr_u);
        this.i64(BigInt(f)); this.op(Op.i64_shl); this.i64(imm); this.op(Op.i64_and, Op.i64_or);
        if (op === O.OP_BFM32) this.zext32();
        this.set(L_R); this.setX(a, L_R); return true;
      case O.OP_EXTR: case O.OP_EXTR32: {
        // d = lsb: (Rm >> lsb) | (Rn << (N - lsb)), Rm alone when lsb = 0.
        const n = op === O.OP_EXTR ? 64 : 32;
        rx(c); if (n === 32) this.zext32();
        if (d !== 0) {
          this.i64(BigInt(d)); this.op(Op.i64_shr_u);
          rx(b); this.i64(BigInt(n - d)); this.op(Op.i64_shl, Op.i64_or);
          if (n === 32) this.zext32();
        }
        this.set(L_R); this.setX(a, L_R); return true;
      }
      // ---- branches ----
      case O.OP_B_LOCAL: this.jumpLocal(this.i + Number(imm / 16n), 0); return true;
      case O.OP_BCOND_LOCAL:
        this.loadNZ(); this.cond(c); this.op(Op.if, 0x40); this.jumpLocal(this.i + Number(imm / 16n), 1); this.op(Op.end); return true;
      case O.OP_CBZ_LOCAL: case O.OP_CBNZ_LOCAL: case O.OP_CBZ32_LOCAL: case O.OP_CBNZ32_LOCAL: {
        rx(a); if (op === O.OP_CBZ32_LOCAL || op === O.OP_CBNZ32_LOCAL) this.zext32();
        this.op(Op.i64_eqz); if (op === O.OP_CBNZ_LOCAL || op === O.OP_CBNZ32_LOCAL) this.op(Op.i32_eqz);
        this.op(Op.if, 0x40); this.jumpLocal(this.i + Number(imm / 16n), 1); this.op(Op.end); return true;
      }
      case O.OP_TBZ_LOCAL: case O.OP_TBNZ_LOCAL:
        rx(a); this.i64(BigInt(c)); this.op(Op.i64_shr_u); this.i64(1n); this.op(Op.i64_and, Op.i64_eqz);
        if (op === O.OP_TBNZ_LOCAL) this.op(Op.i32_eqz);
        this.op(Op.if, 0x40); this.jumpLocal(this.i + Number(imm / 16n), 1); this.op(Op.end); return true;
      case O.OP_SUBS_BCOND: case O.OP_SUBS_BCOND32: {
        const sf = op === O.OP_SUBS_BCOND ? 1 : 0;
        rx(b); this.set(L_A); rx(c); if (!sf) this.zext32(); this.shift(d & 3, f, sf); this.set(L_B);
        this.addSub(sf, 1, 1); this.setX(a, L_R);
        this.cond(d >> 4); this.op(Op.if, 0x40); this.jumpLocal(this.i + Number(imm / 16n), 1, 2); this.op(Op.end);
        this.br(1); // not taken: the B.cond of the pair has run too; continue after it
        return true;
      }
      case O.OP_SUBSI_BCOND: case O.OP_SUBSI_BCOND32: {
        const sf = op === O.OP_SUBSI_BCOND ? 1 : 0;
        rx(b); this.set(L_A); this.i64(BigInt(f)); this.set(L_B);
        this.addSub(sf, 1, 1); this.setX(a, L_R);
        this.cond(c); this.op(Op.if, 0x40); this.jumpLocal(this.i + Number(imm / 16n), 1, 2); this.op(Op.end);
        this.br(1); // not taken: the B.cond of the pair has run too; continue after it
        return true;
      }
      case O.OP_B: this.pc(this.i); this.i64(imm); this.op(Op.i64_add); this.set(L_R); this.leaveTo(L_R); return true;
      case O.OP_BL:
        this.pc(this.i); this.i64(4n); this.op(Op.i64_add); this.set(L_A); this.setX(30, L_A);
        this.pc(this.i); this.i64(imm); this.op(Op.i64_add); this.set(L_R); this.leaveTo(L_R); return true;
      case O.OP_BR: rx(b); this.set(L_R); this.untagged(); this.leaveTo(L_R); return true;
      // FEAT_PAuth: PAC*, AUT*, XPAC* (the hint forms in every signed
      // function's prologue and epilogue) run in the core without leaving
      // the compiled code; so does the authentication of BRA*, BLRA*, RETA*.
      case O.OP_PAC:
        if (d === O.PAC_STRIP) { this.callEntry(F_PAC); return true; }
        // A disabled key (SCTLR_ELx.EnXX = 0, JIT_PAC_KEYS) leaves the pointer alone: no call.
        this.i32(0); this.mem(Op.i32_load, 2, ABI.JIT_PAC_KEYS); this.i32(1 << c); this.op(Op.i32_and);
        this.op(Op.if, 0x40); this.callEntry(F_PAC); this.op(Op.end);
        return true;
      case O.OP_BRA:
        this.callEntry(F_BRANCH_AUTH);
        this.i32(0); this.mem(Op.i64_load, 3, ABI.JIT_NEXTPC); this.set(L_R); this.untagged();
        if (a) { this.pc(this.i); this.i64(4n); this.op(Op.i64_add); this.set(L_A); this.setX(30, L_A); }
        this.leaveTo(L_R); return true;
      case O.OP_BLR:
        rx(b); this.set(L_R); this.untagged(); this.pc(this.i); this.i64(4n); this.op(Op.i64_add); this.set(L_A); this.setX(30, L_A);
        this.leaveTo(L_R); return true;
    }
    return false;
  }

  // RBIT, REV16, REV32, REV, CLZ, CLS (d = opcode); a = Rd, b = Rn.
  private dataProcessing1(sf: number, a: number, b: number, opcode: number): boolean {
    const M55 = 0x5555_5555_5555_5555n, M33 = 0x3333_3333_3333_3333n, M0F = 0x0f0f_0f0f_0f0f_0f0fn;
    const M00FF = 0x00ff_00ff_00ff_00ffn, M0000FFFF = 0x0000_ffff_0000_ffffn;
    const w = sf ? -1n : 0xffff_ffffn; // the masks at 32 bits keep the top half clear
    this.x(b); if (!sf) this.zext32(); this.set(L_A);
    if (opcode <= 3) {
      if (opcode === 0) { this.swapBits(1, M55 & w); this.swapBits(2, M33 & w); this.swapBits(4, M0F & w); }
      this.swapBits(8, M00FF & w);
      if (opcode !== 1) this.swapBits(16, M0000FFFF & w);
      if (sf && (opcode === 0 || opcode === 3)) { this.get(L_A); this.i64(32n); this.op(Op.i64_rotr); this.set(L_A); }
      this.get(L_A);
    } else if (sf) {
      this.get(L_A);
      if (opcode === 5) { this.get(L_A); this.i64(1n); this.op(Op.i64_shr_s, Op.i64_xor); }
      this.op(Op.i64_clz);
      if (opcode === 5) { this.i64(1n); this.op(Op.i64_sub); }
    } else {
      this.get(L_A); this.op(Op.i32_wrap_i64);
      if (opcode === 5) { this.get(L_A); this.op(Op.i32_wrap_i64); this.i32(1); this.op(Op.i32_shr_s, Op.i32_xor); }
      this.op(Op.i32_clz);
      if (opcode === 5) { this.i32(1); this.op(Op.i32_sub); }
      this.op(Op.i64_extend_i32_u);
    }
    this.set(L_R); this.setX(a, L_R);
    return true;
  }

  // UDIV, SDIV, LSLV, LSRV, ASRV, RORV (d = opcode); CRC32* left to the interpreter.
  private dataProcessing2(sf: number, a: number, b: number, c: number, opcode: number): boolean {
    if (opcode >= 16) return false;
    if (sf) {
      this.x(b); this.set(L_A); this.x(c); this.set(L_B);
      if (opcode === 2 || opcode === 3) {
        // Division by zero gives 0; INT64_MIN / -1 wraps (WebAssembly would trap on both).
        this.get(L_B); this.op(Op.i64_eqz);
        this.op(Op.if, I64); this.i64(0n);
        this.op(Op.else);
        if (opcode === 3) {
          this.get(L_B); this.i64(-1n); this.op(Op.i64_eq);
          this.op(Op.if, I64); this.i64(0n); this.get(L_A); this.op(Op.i64_sub);
          this.op(Op.else); this.get(L_A); this.get(L_B); this.op(Op.i64_div_s);
          this.op(Op.end);
        } else { this.get(L_A); this.get(L_B); this.op(Op.i64_div_u); }
        this.op(Op.end);
      } else {
        this.get(L_A); this.get(L_B); // WebAssembly takes the count modulo 64, as the Arm ARM does
        this.op([Op.i64_shl, Op.i64_shr_u, Op.i64_shr_s, Op.i64_rotr][opcode - 8]);
      }
    } else {
      this.x(b); this.op(Op.i32_wrap_i64); this.set(L_A32); this.x(c); this.op(Op.i32_wrap_i64); this.set(L_B32);
      if (opcode === 2 || opcode === 3) {
        this.get(L_B32); this.op(Op.i32_eqz);
        this.op(Op.if, I32); this.i32(0);
        this.op(Op.else);
        if (opcode === 3) {
          this.get(L_B32); this.i32(-1); this.op(Op.i32_eq);
          this.op(Op.if, I32); this.i32(0); this.get(L_A32); this.op(Op.i32_sub);
          this.op(Op.else); this.get(L_A32); this.get(L_B32); this.op(Op.i32_div_s);
          this.op(Op.end);
        } else { this.get(L_A32); this.get(L_B32); this.op(Op.i32_div_u); }
        this.op(Op.end);
      } else {
        this.get(L_A32); this.get(L_B32);
        this.op([Op.i32_shl, Op.i32_shr_u, Op.i32_shr_s, Op.i32_rotr][opcode - 8]);
      }
      this.op(Op.i64_extend_i32_u);
    }
    this.set(L_R); this.setX(a, L_R);
    return true;
  }

  // A register branch target in L_R with a non-canonical top byte may carry a
  // TBI tag the branch must strip (AArch64.BranchAddr): leave that to the interpreter.
  private untagged(): void {
    this.get(L_R); this.i64(56n); this.op(Op.i64_shr_u); this.i64(1n); this.op(Op.i64_add); this.i64(0xffn); this.op(Op.i64_and);
    this.i64(1n); this.op(Op.i64_gt_u);
    this.op(Op.if, 0x40); this.toInterpreter(this.i); this.op(Op.end);
  }

  // Calls the core function f on this entry; leaves if it took an exception.
  private callEntry(f: number): void {
    this.i32(this.slotBase + this.i * 16); this.op(Op.call); this.c.u32(f);
    this.op(Op.i32_eqz); this.op(Op.if, 0x40); this.fault(); this.op(Op.end);
  }

  // ADD/SUB/ADDS/SUBS on L_A, L_B -> L_R (zero-extended at 32 bits).
  private addSub(sf: number, sub: number, s: number): void {
    if (sub) { this.get(L_B); this.i64(-1n); this.op(Op.i64_xor); this.set(L_B); }
    if (s) { if (sf) this.addWithCarry64(sub); else this.addWithCarry32(sub); return; }
    this.get(L_A); this.get(L_B); this.op(Op.i64_add); if (sub) { this.i64(1n); this.op(Op.i64_add); }
    if (!sf) this.zext32();
    this.set(L_R);
  }

  compile(): Uint8Array | undefined {
    const c = this.c;
    // Prologue: start = idx; ctx = the TLB context.
    this.get(L_IDX); this.set(L_START);
    this.i32(0); this.mem(Op.i64_load, 3, ABI.JIT_TLBCTX); this.set(L_CTX);
    c.byte(Op.loop, 0x40);
    for (let k = 0; k <= ENTRIES; k++) c.byte(Op.block, 0x40);
    this.get(L_IDX);
    c.byte(Op.br_table).u32(ENTRIES);
    for (let k = 0; k < ENTRIES; k++) c.u32(k);
    c.u32(ENTRIES);
    for (let i = 0; i < ENTRIES; i++) {
      c.byte(Op.end); // entry i's label: code for i follows
      this.i = i;
      if (this.instruction(this.entries[i])) this.compiled++;
      else this.toInterpreter(i);
    }
    c.byte(Op.end); // label ENTRIES: fell off the end of the page
    this.i = ENTRIES;
    this.retire(0); this.storeN();
    this.i32(0); this.pc(ENTRIES); this.mem(Op.i64_store, 3, ABI.JIT_NEXTPC);
    this.i32(ABI.JIT_LEAVE); this.op(Op.return);
    c.byte(Op.end); // loop
    this.i32(ABI.JIT_LEAVE); // unreachable; the function's result
    if (this.compiled === 0) return undefined;
    return buildModule(TYPES, [{ name: "readSlow", type: T_READ }, { name: "writeSlow", type: T_WRITE },
      { name: "pac", type: T_ENTRY }, { name: "branchAuth", type: T_ENTRY }], T_RUN, LOCALS, c);
  }

  get translatedCount(): number { return this.compiled; }
}

// Reads the 1024 entries of a slot from core memory.
export function readEntries(dv: DataView, slotBase: number): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const p = slotBase + i * ABI.CODE_ENTRY_SIZE;
    const w = dv.getBigUint64(p, true);
    out.push({
      op: Number(w & 0xffffn), a: Number((w >> 16n) & 0xffn), b: Number((w >> 24n) & 0xffn),
      c: Number((w >> 32n) & 0xffn), d: Number((w >> 40n) & 0xffn), f: Number(w >> 48n),
      imm: dv.getBigInt64(p + 8, true),
    });
  }
  return out;
}

export function compilePage(entries: Entry[], slotBase: number, slot: number, countHits = false): { bytes: Uint8Array; translated: number } | undefined {
  const pc = new PageCompiler(entries, slotBase, slot, countHits);
  const bytes = pc.compile();
  return bytes ? { bytes, translated: pc.translatedCount } : undefined;
}
