// The declarative table of the encodings armvisor implements, with the
// constraints that keep each generated instance architecturally defined.
//
// An entry's `pattern` lists the fields from bit 31 down: literal bits
// ("0", "1", "100010") and named fields ("name:width"; register fields Rd, Rn,
// Rm, Rt, Rt2, Rs, Ra default to 5 bits, other names without a width to 1).
// Fields are drawn at random (biased toward edge values), then `fix` may set
// fields or reject the draw (return false). `mem` says how the generator must
// place the memory operand inside the scratch window; `branch`/`literal` mark
// PC-relative fields whose targets it places inside the block.
//
// The SIMD&FP entries are in table_fp.ts. When armvisor grows an instruction
// group (more system registers, a new extension), add its encodings here.
import type { Rng } from "./rng";
import { FP_TABLE, SIMD_TABLE } from "./table_fp";

export type Fields = Record<string, number>;

export interface GenCtx {
  rng: Rng;
  el: 0 | 1;
  cpu?: string;         // the block's reference CPU (campaignCpu of its entries)
  mayEL0?: boolean;     // an earlier ERET may have dropped the block to EL0
}

export interface MemSpec {
  base: "Rn" | "Rt";                    // the register holding the address (Rt for DC ZVA and friends)
  mode: "offset" | "pre" | "post" | "reg" | "base";
  bytes: (f: Fields) => number;         // bytes accessed from the address
  align: (f: Fields) => number;         // alignment the access needs not to fault (1 = none)
  offset?: (f: Fields) => bigint;       // offset/pre/post: the immediate offset in bytes
  index?: { option: (f: Fields) => number; shift: (f: Fields) => number }; // reg: Rm extended and shifted
  blockAlign?: number;                  // the access covers the aligned block of this size around the address
}

export interface Entry {
  name: string;
  cls: string;
  pattern: string;
  weight?: number;
  el?: "any" | "el0" | "el1";
  fix?: (f: Fields, g: GenCtx) => boolean | void;
  mem?: MemSpec;
  branch?: { field: string; kind: "imm" } | { field: "Rn"; kind: "reg" };
  literal?: { field: string };
  exclusive?: "load" | "store";          // generated as a pair (see generator.ts)
  fuse?: boolean;                       // a SUBS followed by a B.cond
  eret?: boolean;                       // ERET after setting ELR_EL1/SPSR_EL1
  smc?: boolean;                        // self-modifying code macro
  presets?: (f: Fields, g: GenCtx) => [number, bigint][]; // X registers to set just before (MSR FPCR)
}

const sx = (v: number, bits: number): bigint => BigInt.asIntN(bits, BigInt(v));

// ---- helpers for constraints --------------------------------------------------------

// DecodeBitMasks(immN, imms, immr, TRUE, M) is defined (logical immediates).
export function bitmaskValid(n: number, imms: number, immr: number, m: number): boolean {
  const v = (n << 6) | (~imms & 0x3f);
  let len = -1;
  for (let i = 6; i >= 0; i--) if ((v >> i) & 1) { len = i; break; }
  if (len < 1) return false;
  if (m < (1 << len)) return false;
  const levels = (1 << len) - 1;
  return (imms & levels) !== levels;
}

// Registers that must differ (CONSTRAINED UNPREDICTABLE otherwise); "31" as SP never clashes.
function differ(f: Fields, a: string, b: string): boolean { return f[a] !== f[b]; }
function wbOk(f: Fields, ...rts: string[]): boolean { return f.Rn === 31 || rts.every((r) => f[r] !== f.Rn); }

// ---- system registers ------------------------------------------------------------------
export interface SysReg { name: string; enc: [number, number, number, number, number]; read: boolean; write: boolean }
// Only registers whose value is architecturally determined by what the block
// and the harness do (no ID registers, no counters, nothing the harness needs).
export const SYSREGS: SysReg[] = [
  { name: "nzcv", enc: [3, 3, 4, 2, 0], read: true, write: true },
  { name: "daif", enc: [3, 3, 4, 2, 1], read: true, write: true },
  { name: "currentel", enc: [3, 0, 4, 2, 2], read: true, write: false },
  { name: "spsel", enc: [3, 0, 4, 2, 0], read: true, write: false },
  { name: "pan", enc: [3, 0, 4, 2, 3], read: true, write: true },
  { name: "uao", enc: [3, 0, 4, 2, 4], read: true, write: true },
  { name: "sp_el0", enc: [3, 0, 4, 1, 0], read: true, write: true },
  { name: "elr_el1", enc: [3, 0, 4, 0, 1], read: true, write: true },
  { name: "spsr_el1", enc: [3, 0, 4, 0, 0], read: true, write: true },
  { name: "esr_el1", enc: [3, 0, 5, 2, 0], read: true, write: true },
  { name: "far_el1", enc: [3, 0, 6, 0, 0], read: true, write: true },
  // PAR_EL1 is written, never read: after AT its NS (UNKNOWN in Non-secure state)
  // and SH (an implementation choice for Device memory) bits may differ; the
  // harness masks them in its dump.
  { name: "par_el1", enc: [3, 0, 7, 4, 0], read: false, write: true },
  { name: "tpidr_el0", enc: [3, 3, 13, 0, 2], read: true, write: true },
  { name: "tpidrro_el0", enc: [3, 3, 13, 0, 3], read: true, write: true },
  { name: "tpidr_el1", enc: [3, 0, 13, 0, 4], read: true, write: true },
  { name: "contextidr_el1", enc: [3, 0, 13, 0, 1], read: true, write: true },
  { name: "mair_el1", enc: [3, 0, 10, 2, 0], read: true, write: true },
  { name: "cntfrq_el0", enc: [3, 3, 14, 0, 0], read: true, write: false },
  { name: "ctr_el0", enc: [3, 3, 0, 0, 1], read: true, write: false },
  { name: "dczid_el0", enc: [3, 3, 0, 0, 7], read: true, write: false },
];

// Core bugs found by the campaign. All three are fixed (regression tests in
// test/core/regressions.test.ts), so their cases are generated by default;
// `includeKnownBugs(false)` leaves them out again. AT is generated with
// addresses in the scratch window: armvisor's PARange (48 bits) differs from
// the reference CPU's (cortex-a76: 40), which changes AT results above 2^40.
export const KNOWN_BUG_ERET_SS = "ERET: PSTATE.SS must come from SPSR.SS only when software step is active (DebugExceptionReturnSS), else 0";
export const KNOWN_BUG_IL_PC_ALIGN = "PSTATE.IL set and a misaligned PC: the PC alignment fault (priority 2) must be taken before the Illegal Execution state exception";
export const KNOWN_BUG_AT_PAR = "AT: PAR_EL1 bit 11 is RES1, and a VA above the PA range must report an Address size fault";
let knownBugs = true;
export function includeKnownBugs(on: boolean): void { knownBugs = on; }
export function knownBugsIncluded(): boolean { return knownBugs; }

// SYS operations (op1, CRn, CRm, op2) and how their Xt is formed.
interface SysOp { name: string; enc: [number, number, number, number]; xt: "window" | "zva" | "any" | "none"; bug?: string }
export const SYSOPS: SysOp[] = [
  { name: "dc zva", enc: [3, 7, 4, 1], xt: "zva" },
  { name: "dc cvac", enc: [3, 7, 10, 1], xt: "window" },
  { name: "dc cvau", enc: [3, 7, 11, 1], xt: "window" },
  { name: "dc civac", enc: [3, 7, 14, 1], xt: "window" },
  { name: "dc ivac", enc: [0, 7, 6, 1], xt: "window" },
  { name: "dc isw", enc: [0, 7, 6, 2], xt: "any" },
  { name: "dc csw", enc: [0, 7, 10, 2], xt: "any" },
  { name: "dc cisw", enc: [0, 7, 14, 2], xt: "any" },
  { name: "ic ialluis", enc: [0, 7, 1, 0], xt: "none" },
  { name: "ic iallu", enc: [0, 7, 5, 0], xt: "none" },
  { name: "ic ivau", enc: [3, 7, 5, 1], xt: "window" },
  { name: "at s1e1r", enc: [0, 7, 8, 0], xt: "window" },
  { name: "at s1e1w", enc: [0, 7, 8, 1], xt: "window" },
  { name: "at s1e0r", enc: [0, 7, 8, 2], xt: "window" },
  { name: "at s1e0w", enc: [0, 7, 8, 3], xt: "window" },
  ...[3, 7].flatMap((crm) => [0, 1, 2, 3, 5, 7].map((op2): SysOp => ({
    name: `tlbi ${["vmalle1", "vae1", "aside1", "vaae1", "", "vale1", "", "vaale1"][op2]}${crm === 3 ? "is" : ""}`,
    enc: [0, 8, crm, op2], xt: op2 === 0 ? "none" : "any",
  }))),
];

// Hints that are NOPs on armvisor and on the reference (no WFE/WFI; no PAuth/BTI hint space).
const SAFE_HINTS = [0, 1, 4, 5, 20, ...Array.from({ length: 88 }, (_, i) => 40 + i)];

const LSE_NAMES = ["ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin", "ldumax", "ldumin"];

// The memop of a single-register load/store (size:opc), or undefined if unallocated.
function memopBytes(size: number, opc: number): number | undefined {
  if (size === 3 && opc === 3) return undefined;
  if (size === 2 && opc === 3) return undefined;
  return 1 << size;
}
const isPrfm = (f: Fields): boolean => f.size === 3 && f.opc === 2;

const INT_TABLE: Entry[] = [
  // ---- Data processing -- immediate -------------------------------------------------
  { name: "adr", cls: "dp-imm/pc-rel", pattern: "0 immlo:2 10000 immhi:19 Rd" },
  { name: "adrp", cls: "dp-imm/pc-rel", pattern: "1 immlo:2 10000 immhi:19 Rd" },
  { name: "add/sub imm", cls: "dp-imm/addsub", pattern: "sf op S 100010 sh imm12:12 Rn Rd", weight: 4 },
  {
    name: "logical imm", cls: "dp-imm/logical", pattern: "sf opc:2 100100 N immr:6 imms:6 Rn Rd", weight: 3,
    fix: (f) => { if (!f.sf) f.N = 0; return bitmaskValid(f.N, f.imms, f.immr, f.sf ? 64 : 32); },
  },
  {
    name: "move wide", cls: "dp-imm/movewide", pattern: "sf opc:2 100101 hw:2 imm16:16 Rd", weight: 2,
    fix: (f) => f.opc !== 1 && (f.sf === 1 || f.hw < 2),
  },
  {
    name: "bitfield", cls: "dp-imm/bitfield", pattern: "sf opc:2 100110 N immr:6 imms:6 Rn Rd", weight: 3,
    fix: (f) => { f.N = f.sf; if (!f.sf) { f.immr &= 31; f.imms &= 31; } return f.opc !== 3; },
  },
  {
    name: "extr", cls: "dp-imm/extract", pattern: "sf 00 100111 N 0 Rm imms:6 Rn Rd",
    fix: (f) => { f.N = f.sf; if (!f.sf) f.imms &= 31; },
  },

  // ---- Branches, exception generation, system -------------------------------------
  { name: "b/bl", cls: "branch/imm", pattern: "op 00101 imm26:26", branch: { field: "imm26", kind: "imm" } },
  { name: "b.cond", cls: "branch/cond", pattern: "01010100 imm19:19 0 cond:4", weight: 2, branch: { field: "imm19", kind: "imm" } },
  { name: "cbz/cbnz", cls: "branch/cmp", pattern: "sf 011010 op imm19:19 Rt", branch: { field: "imm19", kind: "imm" } },
  { name: "tbz/tbnz", cls: "branch/test", pattern: "b5 011011 op b40:5 imm14:14 Rt", branch: { field: "imm14", kind: "imm" } },
  {
    name: "br/blr/ret", cls: "branch/reg", pattern: "1101011 0 0 opc:2 11111 000000 Rn 00000",
    fix: (f) => f.opc !== 3, branch: { field: "Rn", kind: "reg" },
  },
  { name: "subs+b.cond", cls: "branch/fused", pattern: "sf 1 1 100010 0 imm12:12 Rn Rd", weight: 2, fuse: true },
  { name: "subs(reg)+b.cond", cls: "branch/fused", pattern: "sf 1 1 01011 shift:2 0 Rm imm6:6 Rn Rd", weight: 2, fuse: true,
    fix: (f) => f.shift !== 3 && (f.sf === 1 || f.imm6 < 32) },
  // ERET at EL1 is generated as a macro (ELR_EL1 and SPSR_EL1 set first): see generator.ts.
  { name: "eret", cls: "exception/eret", pattern: "11010110100111110000001111100000", el: "el1", eret: true },
  { name: "eret (EL0)", cls: "exception/eret", pattern: "11010110100111110000001111100000", el: "el0", weight: 0.2 },
  // Self-modifying code: a store to a later instruction, then DC CVAU, DSB, IC IVAU, DSB, ISB.
  { name: "smc", cls: "system/self-modifying", pattern: "00000000000000000000000000000000", weight: 0.5, smc: true },
  { name: "svc", cls: "exception/svc", pattern: "11010100 000 imm16:16 000 01" },
  { name: "brk", cls: "exception/brk", pattern: "11010100 001 imm16:16 000 00" },
  { name: "hlt", cls: "exception/hlt", pattern: "11010100 010 imm16:16 000 00", fix: (f) => f.imm16 !== 0xf000 },
  { name: "hvc/smc (EL0)", cls: "exception/hvc-smc", pattern: "11010100 000 imm16:16 000 1 ll", el: "el0" },
  {
    name: "hint", cls: "system/hint", pattern: "11010101000000110010 crmop2:7 11111",
    fix: (f, g) => { f.crmop2 = g.rng.pick(SAFE_HINTS); },
  },
  {
    name: "barrier", cls: "system/barrier", pattern: "11010101000000110011 CRm:4 op2:3 11111",
    fix: (f) => f.op2 === 2 || f.op2 === 4 || f.op2 === 5 || f.op2 === 6,
  },
  {
    name: "msr imm", cls: "system/msr-imm", pattern: "1101010100000 op1:3 0100 CRm:4 op2:3 11111",
    // DAIFSet/DAIFClr at EL0 trap (SCTLR_EL1.UMA = 0) and QEMU 7.2 swaps Op1 and
    // Op2 in that syndrome: not generated at EL0 (docs/conformance-disagreements.md).
    fix: (f, g) => { [f.op1, f.op2] = g.rng.pick(g.el === 0 || g.mayEL0 ? [[0, 4], [0, 3]] : [[3, 6], [3, 7], [0, 4], [0, 3]]); },
  },
  {
    name: "mrs", cls: "system/mrs", pattern: "1101010100 1 1 sr:15 Rt", weight: 2,
    fix: (f, g) => { const r = g.rng.pick(SYSREGS.filter((s) => s.read)); f.sr = srKey(r.enc); },
  },
  {
    name: "msr", cls: "system/msr", pattern: "1101010100 0 1 sr:15 Rt", weight: 2,
    fix: (f, g) => { const r = g.rng.pick(SYSREGS.filter((s) => s.write)); f.sr = srKey(r.enc); },
  },
  {
    name: "sys", cls: "system/sys", pattern: "1101010100 0 01 op:14 Rt", weight: 2,
    fix: (f, g) => {
      const op = g.rng.pick(SYSOPS.filter((o) => knownBugs || !o.bug));
      f.op = (op.enc[0] << 11) | (op.enc[1] << 7) | (op.enc[2] << 3) | op.enc[3];
      if (op.xt === "none") f.Rt = 31;
      f.xt = ["window", "zva", "any", "none"].indexOf(op.xt);
    },
    // xt 0/1: Rt holds an address in the window (a DC ZVA block for 1)
    mem: { base: "Rt", mode: "base", bytes: (f) => (f.xt === 1 ? 64 : 1), align: () => 1, blockAlign: 64 },
  },

  // ---- Loads and stores ----------------------------------------------------------------
  {
    name: "ldr literal", cls: "ldst/literal", pattern: "opc:2 011 0 00 imm19:19 Rt",
    literal: { field: "imm19" },
  },
  {
    name: "ldxr/ldaxr", cls: "ldst/exclusive", pattern: "size:2 001000 0 1 0 11111 o0 11111 Rn Rt", exclusive: "load",
    mem: { base: "Rn", mode: "base", bytes: (f) => 1 << f.size, align: (f) => 1 << f.size },
  },
  {
    name: "stxr/stlxr", cls: "ldst/exclusive", pattern: "size:2 001000 0 0 0 Rs o0 11111 Rn Rt", exclusive: "store",
    fix: (f) => differ(f, "Rs", "Rt") && (f.Rn === 31 || differ(f, "Rs", "Rn")),
    mem: { base: "Rn", mode: "base", bytes: (f) => 1 << f.size, align: (f) => 1 << f.size },
  },
  {
    name: "ldxp/ldaxp", cls: "ldst/exclusive", pattern: "1 sz 001000 0 1 1 11111 o0 Rt2 Rn Rt", exclusive: "load",
    fix: (f) => differ(f, "Rt", "Rt2"),
    mem: { base: "Rn", mode: "base", bytes: (f) => 8 << f.sz, align: (f) => 8 << f.sz },
  },
  {
    name: "stxp/stlxp", cls: "ldst/exclusive", pattern: "1 sz 001000 0 0 1 Rs o0 Rt2 Rn Rt", exclusive: "store",
    fix: (f) => differ(f, "Rs", "Rt") && differ(f, "Rs", "Rt2") && (f.Rn === 31 || differ(f, "Rs", "Rn")),
    mem: { base: "Rn", mode: "base", bytes: (f) => 8 << f.sz, align: (f) => 8 << f.sz },
  },
  {
    name: "ldar/stlr", cls: "ldst/acqrel", pattern: "size:2 001000 1 L 0 11111 1 11111 Rn Rt",
    mem: { base: "Rn", mode: "base", bytes: (f) => 1 << f.size, align: (f) => 1 << f.size },
  },
  {
    name: "cas", cls: "ldst/cas", pattern: "size:2 001000 1 L 1 Rs o0 11111 Rn Rt",
    mem: { base: "Rn", mode: "base", bytes: (f) => 1 << f.size, align: (f) => 1 << f.size },
  },
  {
    name: "casp", cls: "ldst/cas", pattern: "0 sz 001000 0 L 1 Rs o0 11111 Rn Rt",
    fix: (f, g) => { if (!g.rng.chance(0.03)) { f.Rs &= 30; f.Rt &= 30; } },
    mem: { base: "Rn", mode: "base", bytes: (f) => 8 << f.sz, align: (f) => 8 << f.sz },
  },
  {
    name: "ldp/stp", cls: "ldst/pair", pattern: "opc:2 101 0 mode:3 L imm7:7 Rt2 Rn Rt", weight: 3,
    fix: (f) => {
      if (f.opc === 3 || f.mode === 0 && f.opc === 1) return false;
      if (f.opc === 1 && f.L === 0) return false;
      if (f.L && !differ(f, "Rt", "Rt2")) return false;
      if ((f.mode === 1 || f.mode === 3) && !wbOk(f, "Rt", "Rt2")) return false;
      return true;
    },
    mem: {
      base: "Rn", mode: "offset", bytes: (f) => 2 * (f.opc === 2 ? 8 : 4), align: () => 1,
      offset: (f) => sx(f.imm7, 7) * (f.opc === 2 ? 8n : 4n),
    },
  },
  {
    name: "ldr/str uimm", cls: "ldst/uimm", pattern: "size:2 111 0 01 opc:2 imm12:12 Rn Rt", weight: 3,
    fix: (f) => memopBytes(f.size, f.opc) !== undefined,
    mem: { base: "Rn", mode: "offset", bytes: (f) => 1 << f.size, align: () => 1, offset: (f) => BigInt(f.imm12) << BigInt(f.size) },
  },
  {
    name: "ldur/stur", cls: "ldst/unscaled", pattern: "size:2 111 0 00 opc:2 0 imm9:9 00 Rn Rt", weight: 2,
    fix: (f) => memopBytes(f.size, f.opc) !== undefined,
    mem: { base: "Rn", mode: "offset", bytes: (f) => 1 << f.size, align: () => 1, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldr/str post", cls: "ldst/post", pattern: "size:2 111 0 00 opc:2 0 imm9:9 01 Rn Rt", weight: 2,
    fix: (f) => memopBytes(f.size, f.opc) !== undefined && !isPrfm(f) && wbOk(f, "Rt"),
    mem: { base: "Rn", mode: "post", bytes: (f) => 1 << f.size, align: () => 1, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldr/str pre", cls: "ldst/pre", pattern: "size:2 111 0 00 opc:2 0 imm9:9 11 Rn Rt", weight: 2,
    fix: (f) => memopBytes(f.size, f.opc) !== undefined && !isPrfm(f) && wbOk(f, "Rt"),
    mem: { base: "Rn", mode: "pre", bytes: (f) => 1 << f.size, align: () => 1, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldtr/sttr", cls: "ldst/unpriv", pattern: "size:2 111 0 00 opc:2 0 imm9:9 10 Rn Rt",
    fix: (f) => memopBytes(f.size, f.opc) !== undefined && !isPrfm(f),
    mem: { base: "Rn", mode: "offset", bytes: (f) => 1 << f.size, align: () => 1, offset: (f) => sx(f.imm9, 9) },
  },
  {
    name: "ldr/str reg", cls: "ldst/reg", pattern: "size:2 111 0 00 opc:2 1 Rm option:3 S 10 Rn Rt", weight: 2,
    fix: (f) => memopBytes(f.size, f.opc) !== undefined && (f.option & 2) !== 0 && differ(f, "Rm", "Rn"),
    mem: {
      base: "Rn", mode: "reg", bytes: (f) => 1 << f.size, align: () => 1,
      index: { option: (f) => f.option, shift: (f) => (f.S ? f.size : 0) },
    },
  },
  {
    name: "lse ld<op>", cls: "ldst/lse", pattern: "size:2 111 0 00 A R 1 Rs 0 opc:3 00 Rn Rt", weight: 2,
    mem: { base: "Rn", mode: "base", bytes: (f) => 1 << f.size, align: (f) => 1 << f.size },
  },
  {
    name: "swp", cls: "ldst/lse", pattern: "size:2 111 0 00 A R 1 Rs 1 000 00 Rn Rt",
    mem: { base: "Rn", mode: "base", bytes: (f) => 1 << f.size, align: (f) => 1 << f.size },
  },

  // ---- Data processing -- register ---------------------------------------------------
  {
    name: "logical sreg", cls: "dp-reg/logical", pattern: "sf opc:2 01010 shift:2 N Rm imm6:6 Rn Rd", weight: 3,
    fix: (f) => f.sf === 1 || f.imm6 < 32,
  },
  {
    name: "add/sub sreg", cls: "dp-reg/addsub-shift", pattern: "sf op S 01011 shift:2 0 Rm imm6:6 Rn Rd", weight: 3,
    fix: (f) => f.shift !== 3 && (f.sf === 1 || f.imm6 < 32),
  },
  {
    name: "add/sub ereg", cls: "dp-reg/addsub-ext", pattern: "sf op S 01011 00 1 Rm option:3 imm3:3 Rn Rd", weight: 2,
    fix: (f) => f.imm3 <= 4,
  },
  { name: "adc/sbc", cls: "dp-reg/adc", pattern: "sf op S 11010000 Rm 000000 Rn Rd", weight: 2 },
  { name: "ccmp reg", cls: "dp-reg/ccmp", pattern: "sf op 1 11010010 Rm cond:4 0 0 Rn 0 nzcv:4" },
  { name: "ccmp imm", cls: "dp-reg/ccmp", pattern: "sf op 1 11010010 imm5:5 cond:4 1 0 Rn 0 nzcv:4" },
  { name: "csel", cls: "dp-reg/csel", pattern: "sf op 0 11010100 Rm cond:4 0 o2 Rn Rd", weight: 2 },
  {
    name: "dp 1 source", cls: "dp-reg/dp1", pattern: "sf 1 0 11010110 00000 opcode:6 Rn Rd", weight: 2,
    fix: (f, g) => { f.opcode = g.rng.int(6); return !(f.opcode === 3 && f.sf === 0); },
  },
  {
    name: "dp 2 source", cls: "dp-reg/dp2", pattern: "sf 0 0 11010110 Rm opcode:6 Rn Rd", weight: 3,
    fix: (f, g) => {
      f.opcode = g.rng.pick([2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23]);
      if (f.opcode >= 16) f.sf = (f.opcode & 3) === 3 ? 1 : 0;
    },
  },
  {
    name: "dp 3 source", cls: "dp-reg/dp3", pattern: "sf 00 11011 op31:3 Rm o0 Ra Rn Rd", weight: 2,
    fix: (f, g) => {
      const k = g.rng.pick([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [5, 0], [5, 1], [6, 0]]);
      [f.op31, f.o0] = k;
      if (f.op31 !== 0) f.sf = 1;
      if (f.op31 === 2 || f.op31 === 6) f.Ra = g.rng.chance(0.9) ? 31 : f.Ra; // Ra is (1)(1)(1)(1)(1)
      return f.op31 === 0 || f.op31 === 1 || f.op31 === 5 || f.Ra === 31;
    },
  },

  // ---- UNDEFINED encodings (both must take EC 0x00) ------------------------------------
  { name: "udf", cls: "undefined", pattern: "0000000000000000 imm16:16", weight: 0.5 },
  { name: "unallocated op0=0001", cls: "undefined", pattern: "a:3 0001 b:25", weight: 0.3 },
  { name: "unallocated op0=0011", cls: "undefined", pattern: "a:3 0011 b:25", weight: 0.3 },
  { name: "logical imm N=1 sf=0", cls: "undefined", pattern: "0 opc:2 100100 1 immr:6 imms:6 Rn Rd", weight: 0.2 },
  { name: "add/sub shift=11", cls: "undefined", pattern: "sf op S 01011 11 0 Rm imm6:6 Rn Rd", weight: 0.2 },
  { name: "movn-wide opc=01", cls: "undefined", pattern: "sf 01 100101 hw:2 imm16:16 Rd", weight: 0.2 },
];

export const TABLE: Entry[] = [...INT_TABLE, ...FP_TABLE, ...SIMD_TABLE];

// ---- categories -------------------------------------------------------------------------
// `fp`: scalar floating point, FPCR/FPSR, SIMD&FP single-register loads/stores
// and pairs (classes fp/...); `simd`: Advanced SIMD, crypto and the structure
// loads/stores (simd/...); `int`: everything else (the integer and system
// instructions). `crypto` is the simd/crypto-* subset.
export const CATEGORIES = ["int", "fp", "simd"] as const;
export type Category = (typeof CATEGORIES)[number];
export function clsCategory(cls: string): Category {
  if (cls.startsWith("fp/")) return "fp";
  if (cls.startsWith("simd/")) return "simd";
  return "int";
}
export function category(e: Entry): Category { return clsCategory(e.cls); }

// The QEMU CPU a block of each category is compared with: cortex-a76 has the
// v8.1/v8.2 features of the integer classes (LSE, PAN, UAO) but also FEAT_FP16,
// FEAT_DotProd, FEAT_RDM...; cortex-a57 is Armv8.0 with FP, AdvSIMD, AES,
// SHA1, SHA256 and PMULL and nothing later, as armvisor's SIMD&FP. A block
// holds entries of one CPU only.
export const CAMPAIGN_CPU: Record<Category, string> = { int: "cortex-a76", fp: "cortex-a57", simd: "cortex-a57" };
export function entryCpu(e: Entry): string { return CAMPAIGN_CPU[category(e)]; }

// Whether a --only token selects an entry: a category, `crypto`, a class
// (`simd/permute`), a group of classes (`ldst` for ldst/...), or an entry name.
export function tokenSelects(tok: string, e: Entry): boolean {
  return tok === category(e) || (tok === "crypto" && e.cls.startsWith("simd/crypto-")) ||
    e.cls === tok || e.cls.startsWith(tok + "/") || e.name === tok;
}

let only: string[] | undefined;
// Restrict generation to the entries selected by any of the tokens (undefined: all).
export function selectOnly(tokens: string[] | undefined): void {
  if (tokens) for (const t of tokens) if (!TABLE.some((e) => tokenSelects(t, e))) {
    throw new Error(`--only: ${t} selects no class (categories: ${CATEGORIES.join(", ")}, crypto, or a class such as ${TABLE.at(-1)!.cls})`);
  }
  only = tokens;
}
export function selectedOnly(): string[] | undefined { return only; }
export function entryEnabled(e: Entry): boolean { return !only || only.some((t) => tokenSelects(t, e)); }
// Changes whenever the selection (or the known-bug switch) does: a key for caches of candidate lists.
export function selectionKey(): string { return `${only?.join(",") ?? "*"}|${knownBugs}`; }

// The 15-bit o0:op1:CRn:CRm:op2 field of MRS/MSR (op0 is 2 or 3: bit 20 is 1).
export function srKey(e: [number, number, number, number, number]): number {
  return ((e[0] & 1) << 14) | (e[1] << 11) | (e[2] << 7) | (e[3] << 3) | e[4];
}

// ---- patterns --------------------------------------------------------------------------
export interface FieldSpec { name: string; shift: number; width: number }
export interface Compiled { entry: Entry; fixed: number; fields: FieldSpec[] }

const REG_FIELDS = new Set(["Rd", "Rn", "Rm", "Rt", "Rt2", "Rs", "Ra"]);

export function compile(entry: Entry): Compiled {
  let pos = 32, fixed = 0;
  const fields: FieldSpec[] = [];
  for (const tok of entry.pattern.trim().split(/\s+/)) {
    if (/^[01]+$/.test(tok)) {
      for (const ch of tok) { pos--; if (ch === "1") fixed |= 1 << pos; }
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::(\d+))?$/.exec(tok);
    if (!m) throw new Error(`${entry.name}: bad pattern token ${tok}`);
    const width = m[2] ? Number(m[2]) : REG_FIELDS.has(m[1]) ? 5 : 1;
    pos -= width;
    fields.push({ name: m[1], shift: pos, width });
  }
  if (pos !== 0) throw new Error(`${entry.name}: pattern covers ${32 - pos} bits, not 32`);
  return { entry, fixed: fixed >>> 0, fields };
}

export function encode(c: Compiled, f: Fields): number {
  let w = c.fixed;
  for (const s of c.fields) {
    const v = f[s.name] ?? 0;
    const mask = s.width >= 32 ? 0xffffffff : (2 ** s.width) - 1;
    w = (w | ((v & mask) << s.shift)) >>> 0;
  }
  return w >>> 0;
}

export const COMPILED: Compiled[] = TABLE.map(compile);
