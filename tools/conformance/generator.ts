// Random instruction blocks from the encoding table (table.ts).
//
// A block is a list of units. A unit is one test instruction together with
// the setup it needs (the address of its memory operand materialised in the
// base register, the target of an indirect branch in a register), or a small
// macro (an exclusive load/store pair, a SUBS fused with a B.cond). Branches
// only go forward, to the start of a later unit or to the block's final
// `svc #0`, so every block terminates. Memory operands land in the scratch
// window. PC-relative loads read the block itself. A block's entries share
// one reference CPU (table.ts CAMPAIGN_CPU); its initial state includes
// V0-V31, FPCR and FPSR (fpvalues.ts).
import { Rng } from "./rng";
import { COMPILED, encode, knownBugsIncluded, entryEnabled, entryCpu, clsCategory, selectionKey, type Compiled, type Fields, type GenCtx } from "./table";
import { WINDOW, WINDOW_SIZE, NSYS, SVC0, BF_EL0, BF_ALIGN, type BlockRecord } from "./layout";
import { vregSeed, fpcrSeed, fpsrSeed, fpBitsX } from "./fpvalues";

export type FixKind = "imm26" | "imm19" | "imm14" | "adr" | "lit19" | "adr-smc";
export interface Fixup { at: number; kind: FixKind; target: number } // target: unit index (units.length = the end)
export interface Unit { words: number[]; fixups: Fixup[]; count: number; name: string; cls: string; main: number }
export interface Block {
  id: number;
  el: 0 | 1;
  cpu: string;             // the QEMU CPU it is compared with (table.ts CAMPAIGN_CPU)
  flags: number;
  seed: bigint;
  x: bigint[];
  sp: bigint;
  spsr: bigint;
  sys: bigint[];
  v: bigint[];             // V0-V31 (128-bit values)
  fpcr: bigint;
  fpsr: bigint;
  units: Unit[];
  count: number;           // test instructions (setup excluded)
}

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => v & M64;

// ---- encoders for setup instructions ------------------------------------------------
const movz = (rd: number, imm: number, hw: number): number => (0xd2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const movn = (rd: number, imm: number, hw: number): number => (0x92800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const movk = (rd: number, imm: number, hw: number): number => (0xf2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const ADD_SP = (rn: number): number => (0x91000000 | (rn << 5) | 31) >>> 0; // mov sp, xN
const ADR = (rd: number): number => (0x10000000 | rd) >>> 0;
export const CLREX = 0xd503305f;
const ADD_IMM = (rd: number, rn: number, imm: number): number => (0x91000000 | (imm << 10) | (rn << 5) | rd) >>> 0;
const MSR_ELR_EL1 = (rt: number): number => (0xd5184020 | rt) >>> 0;
const MSR_SPSR_EL1 = (rt: number): number => (0xd5184000 | rt) >>> 0;
const ERET = 0xd69f03e0;
const STR_W = (rt: number, rn: number): number => (0xb9000000 | (rn << 5) | rt) >>> 0;
const DC_CVAU = (rt: number): number => (0xd50b7b20 | rt) >>> 0;
const IC_IVAU = (rt: number): number => (0xd50b7520 | rt) >>> 0;
const DSB_ISH = 0xd5033b9f;
const ISB = 0xd5033fdf;

// SPSR values for the ERET macro: legal returns to EL1t and EL0t, and illegal
// ones (EL2/EL3, AArch32, reserved M[1], EL0 with SP_ELx).
// AArch32 modes are not generated: armvisor has no AArch32 (an ERET to one is
// an illegal return), while the reference's EL0 can be AArch32. PAN and UAO
// are set by MSR just before the ERET to the values in the SPSR: on an illegal
// return UAO is UNKNOWN, and QEMU 7.2 keeps PSTATE.PAN instead of restoring it.
function eretSpsr(rng: Rng, pan: number, uao: number): bigint {
  const r = rng.int(20);
  const m = r < 10 ? 0b0100 : r < 16 ? 0b0000 : rng.pick([0b1000, 0b1001, 0b1101, 0b0010, 0b0011, 0b0001, 0b0110, 0b0111]);
  let v = BigInt(m) | (BigInt(rng.int(16)) << 28n) | (BigInt(rng.int(16)) << 6n) | (BigInt(pan) << 22n) | (BigInt(uao) << 23n);
  if (knownBugsIncluded() && rng.chance(0.1)) v |= 1n << 21n; // SS: see KNOWN_BUG_ERET_SS
  if (rng.chance(0.05)) v |= 1n << 20n;  // IL
  // RES0 bits, but not those the reference allocates (SSBS 12, DIT 24, TCO 25, BTYPE 11:10).
  if (rng.chance(0.05)) v |= rng.u64() & 0xffff_ffff_0c0f_e000n;
  return v;
}
const MSR_PAN_IMM = (v: number): number => (0xd500409f | (v << 8)) >>> 0;
const MSR_UAO_IMM = (v: number): number => (0xd500407f | (v << 8)) >>> 0;

// MOVZ/MOVN + MOVK: rd = v.
export function materialize(rd: number, v: bigint): number[] {
  v = u64(v);
  const h = [0, 1, 2, 3].map((i) => Number((v >> BigInt(16 * i)) & 0xffffn));
  const ones = h.filter((x) => x === 0xffff).length, zeros = h.filter((x) => x === 0).length;
  const out: number[] = [];
  if (ones > zeros) {
    const first = h.findIndex((x) => x !== 0xffff);
    const i0 = first < 0 ? 0 : first;
    out.push(movn(rd, (~h[i0]) & 0xffff, i0));
    for (let i = 0; i < 4; i++) if (i !== i0 && h[i] !== 0xffff) out.push(movk(rd, h[i], i));
  } else {
    const first = h.findIndex((x) => x !== 0);
    const i0 = first < 0 ? 0 : first;
    out.push(movz(rd, h[i0], i0));
    for (let i = 0; i < 4; i++) if (i !== i0 && h[i] !== 0) out.push(movk(rd, h[i], i));
  }
  return out;
}

// ---- drawing an entry --------------------------------------------------------------------
function allowed(c: Compiled, el: 0 | 1): boolean {
  const e = c.entry.el ?? "any";
  return e === "any" || (e === "el0" && el === 0) || (e === "el1" && el === 1);
}

export function drawFields(c: Compiled, g: GenCtx): Fields | undefined {
  for (let tries = 0; tries < 200; tries++) {
    const f: Fields = {};
    for (const s of c.fields) {
      if (s.width === 5 && /^R/.test(s.name)) f[s.name] = g.rng.chance(0.08) ? 31 : g.rng.int(32);
      else f[s.name] = g.rng.field(s.width);
    }
    const r = c.entry.fix?.(f, g);
    if (r !== false) return f;
  }
  return undefined;
}

// An entry for the block (enabled by --only, of the block's CPU), or with a
// filter, a helper entry for a macro (any enabled or not).
const candCache = new Map<string, { cands: Compiled[]; total: number }>();
const filterIds = new WeakMap<object, string>();
let nextFilterId = 0;
function pickEntry(rng: Rng, el: 0 | 1, filter?: (c: Compiled) => boolean, cpu?: string): Compiled {
  if (filter && !filterIds.has(filter)) filterIds.set(filter, `filter${nextFilterId++}`);
  const key = `${filter ? filterIds.get(filter) : selectionKey()}|${el}|${cpu ?? ""}`;
  let hit = candCache.get(key);
  if (!hit) {
    const cands = COMPILED.filter((c) => allowed(c, el) && (filter ? filter(c) : entryEnabled(c.entry) && (!cpu || entryCpu(c.entry) === cpu)));
    if (cands.length === 0) throw new Error(`no enabled encoding class for a block at EL${el}${cpu ? " on " + cpu : ""}`);
    hit = { cands, total: cands.reduce((s, c) => s + (c.entry.weight ?? 1), 0) };
    candCache.set(key, hit);
  }
  const { cands, total } = hit;
  let r = (rng.u32() / 4294967296) * total;
  for (const c of cands) { r -= c.entry.weight ?? 1; if (r < 0) return c; }
  return cands[cands.length - 1];
}

// A forward target: a later unit or the end (nUnits), biased toward near ones.
function forward(rng: Rng, u: number, nUnits: number): number {
  if (rng.chance(0.2)) return nUnits;
  const span = nUnits - u;
  return u + 1 + Math.min(rng.int(rng.chance(0.6) ? Math.min(span, 3) : span), span - 1);
}

// ---- memory operands -----------------------------------------------------------------
const PAGE_EDGE = (WINDOW + BigInt(WINDOW_SIZE) / 2n) & ~0xfffn; // the page boundary inside the window

function chooseAddress(rng: Rng, bytes: number, align: number, blockAlign?: number): bigint {
  const lo = WINDOW, size = BigInt(WINDOW_SIZE);
  if (blockAlign) {
    const blocks = Number(size) / blockAlign;
    return lo + BigInt(rng.int(blocks) * blockAlign + rng.int(blockAlign));
  }
  let a: bigint;
  if (rng.chance(0.15)) a = PAGE_EDGE - BigInt(rng.range(1, bytes + 7)); // straddle the page boundary
  else a = lo + BigInt(rng.int(Number(size) - bytes + 1));
  if (align > 1 && rng.chance(0.9)) a &= ~BigInt(align - 1);
  if (a < lo) a = lo;
  if (a + BigInt(bytes) > lo + size) a = lo + size - BigInt(bytes);
  return a;
}

function extend(v: bigint, option: number, shift: number): bigint {
  const len = 8 << (option & 3);
  let x = v & ((1n << BigInt(len)) - 1n);
  if (option & 4) x = BigInt.asIntN(len, x);
  return u64(x << BigInt(shift));
}

// Setup words that point the memory operand at the window, or undefined if impossible.
function memSetup(c: Compiled, f: Fields, rng: Rng, mustAlign = false): number[] | undefined {
  const m = c.entry.mem!;
  if (c.entry.name === "sys" && f.xt >= 2) return [];
  const baseReg = m.base === "Rt" ? f.Rt : f.Rn;
  if (m.base === "Rt" && baseReg === 31) return undefined;
  let a = chooseAddress(rng, m.bytes(f), m.align(f), c.entry.name === "sys" && f.xt === 1 ? m.blockAlign : undefined);
  if (mustAlign) a &= ~BigInt(m.align(f) - 1);
  const out: number[] = [];
  let base: bigint;
  switch (m.mode) {
    case "base": case "post": base = a; break;
    case "offset": case "pre": base = u64(a - m.offset!(f)); break;
    case "reg": {
      const opt = m.index!.option(f), sh = m.index!.shift(f);
      let v = 0n;
      if (f.Rm !== 31) {
        v = rng.chance(0.7) ? u64(BigInt(rng.range(-4096, 4096))) : rng.u64();
        if ((opt & 3) === 2 && rng.chance(0.5)) v = u64(v ^ (rng.u64() << 32n)); // junk above a W index
        out.push(...materialize(f.Rm, v));
      }
      base = u64(a - extend(v, opt, sh));
      break;
    }
  }
  if (baseReg === 31) {
    let t = rng.int(31);
    while (f.Rm !== undefined && t === f.Rm) t = rng.int(31);
    out.push(...materialize(t, base), ADD_SP(t));
  } else {
    out.push(...materialize(baseReg, base));
  }
  return out;
}

// ---- units ------------------------------------------------------------------------------
function simpleUnit(c: Compiled, f: Fields, pre: number[] = []): Unit {
  return { words: [...pre, encode(c, f)], fixups: [], count: 1, name: c.entry.name, cls: c.entry.cls, main: pre.length };
}

const MID_FILTER = (c: Compiled): boolean => ["logical sreg", "add/sub sreg", "csel", "move wide", "dp 2 source", "adc/sbc"].includes(c.entry.name);

function exclusiveUnit(c: Compiled, g: GenCtx): Unit | undefined {
  const rng = g.rng;
  const pair = c.entry.name.includes("xp");
  const ld = COMPILED.find((x) => x.entry.name === (pair ? "ldxp/ldaxp" : "ldxr/ldaxr"))!;
  const st = COMPILED.find((x) => x.entry.name === (pair ? "stxp/stlxp" : "stxr/stlxr"))!;
  const shape = rng.int(10); // 0-5 load+store, 6-7 load only, 8-9 store only
  const fl = drawFields(ld, g), fs = drawFields(st, g);
  if (!fl || !fs) return undefined;
  fs.Rn = fl.Rn;
  if (pair) fs.sz = fl.sz; else fs.size = fl.size;
  if (st.entry.fix!(fs, g) === false) return undefined;
  // The load must not overwrite the base the store reuses.
  if (fl.Rn !== 31 && (fl.Rt === fl.Rn || (pair && fl.Rt2 === fl.Rn))) return undefined;
  const words: number[] = [CLREX];
  // With a store-exclusive in the pair the address is aligned: QEMU 7.2 skips
  // the alignment check when the monitor check fails (see docs).
  const setup = memSetup(ld, fl, rng, shape <= 5 || shape >= 8);
  if (!setup) return undefined;
  words.push(...setup);
  const main = words.length;
  let count = 0;
  if (shape <= 7) { words.push(encode(ld, fl)); count++; }
  if (shape <= 5) {
    const nmid = rng.int(3);
    for (let i = 0; i < nmid; i++) {
      const mc = pickEntry(rng, g.el, MID_FILTER);
      const mf = drawFields(mc, g);
      if (!mf || mf.Rd === fl.Rn || mf.Rd === fs.Rs) continue;
      words.push(encode(mc, mf)); count++;
    }
  }
  if (shape <= 5 || shape >= 8) { words.push(encode(st, fs)); count++; }
  return { words, fixups: [], count, name: pair ? "ldxp/stxp pair" : "ldxr/stxr pair", cls: "ldst/exclusive", main };
}

function genUnit(g: GenCtx, u: number, nUnits: number): Unit {
  for (;;) {
    const c = pickEntry(g.rng, g.el, undefined, g.cpu);
    const e = c.entry;
    if (e.exclusive) { const x = exclusiveUnit(c, g); if (x) return x; continue; }
    const f = drawFields(c, g);
    if (!f) continue;
    if (e.fuse) {
      const bc = COMPILED.find((x) => x.entry.name === "b.cond")!;
      const bf = drawFields(bc, g)!;
      const w = [encode(c, f), encode(bc, bf)];
      return { words: w, fixups: [{ at: 1, kind: "imm19", target: forward(g.rng, u, nUnits) }], count: 2, name: e.name, cls: e.cls, main: 0 };
    }
    if (e.branch?.kind === "imm") {
      const kind = e.branch.field as FixKind;
      return { words: [encode(c, f)], fixups: [{ at: 0, kind, target: forward(g.rng, u, nUnits) }], count: 1, name: e.name, cls: e.cls, main: 0 };
    }
    if (e.branch?.kind === "reg") {
      if (f.Rn === 31) f.Rn = g.rng.int(31);
      const w = [ADR(f.Rn)];
      if (g.rng.chance(0.05)) w.push(ADD_IMM(f.Rn, f.Rn, g.rng.range(1, 3))); // misaligned target: PC alignment fault
      w.push(encode(c, f));
      return { words: w, fixups: [{ at: 0, kind: "adr", target: forward(g.rng, u, nUnits) }], count: 1, name: e.name, cls: e.cls, main: w.length - 1 };
    }
    if (e.eret) {
      const t = g.rng.int(31);
      let sreg = g.rng.int(31);
      while (sreg === t) sreg = g.rng.int(31);
      const w = [ADR(t)];
      const misaligned = g.rng.chance(0.05);
      if (misaligned) w.push(ADD_IMM(t, t, g.rng.range(1, 3)));
      const pan = g.rng.int(2), uao = g.rng.int(2);
      let spsr = eretSpsr(g.rng, pan, uao);
      // PSTATE.IL with a misaligned PC: the PC alignment fault has priority (KNOWN_BUG_IL_PC_ALIGN).
      // (An illegal return sets PSTATE.IL too: keep those to aligned targets.)
      if (misaligned && !knownBugsIncluded()) {
        spsr &= ~(1n << 20n);
        if ((spsr & 0x1fn) !== 0n) spsr = (spsr & ~0x1fn) | 0b0100n;
      }
      if ((spsr & 0x1fn) === 0n) g.mayEL0 = true;
      w.push(...materialize(sreg, spsr), MSR_ELR_EL1(t), MSR_SPSR_EL1(sreg), MSR_PAN_IMM(pan), MSR_UAO_IMM(uao), ERET);
      return { words: w, fixups: [{ at: 0, kind: "adr", target: forward(g.rng, u, nUnits) }], count: 1, name: e.name, cls: e.cls, main: w.length - 1 };
    }
    if (e.smc) {
      // The new instruction: a simple data-processing one; the target is chosen
      // once the later units exist (resolveSmc).
      let nf: Fields | undefined, nc: Compiled;
      do { nc = pickEntry(g.rng, g.el, MID_FILTER); nf = drawFields(nc, g); } while (!nf);
      const a = g.rng.int(31);
      let d = g.rng.int(31);
      while (d === a) d = g.rng.int(31);
      const w = [ADR(a), ...materialize(d, BigInt(encode(nc, nf))), STR_W(d, a), DC_CVAU(a), DSB_ISH, IC_IVAU(a), DSB_ISH, ISB];
      return { words: w, fixups: [{ at: 0, kind: "adr-smc", target: -1 }], count: 1, name: e.name, cls: e.cls, main: w.length - 6 };
    }
    if (e.literal) {
      return { words: [encode(c, f)], fixups: [{ at: 0, kind: "lit19", target: g.rng.int(nUnits + 1) }], count: 1, name: e.name, cls: e.cls, main: 0 };
    }
    if (e.mem) {
      if (e.name === "sys" && f.xt < 2 && f.Rt === 31) f.Rt = g.rng.int(31);
      const pre = memSetup(c, f, g.rng);
      if (!pre) continue;
      return simpleUnit(c, f, pre);
    }
    if (e.presets) return simpleUnit(c, f, e.presets(f, g).flatMap(([r, v]) => materialize(r, v)));
    return simpleUnit(c, f);
  }
}

// ---- blocks -------------------------------------------------------------------------------
export function generateBlock(rng: Rng, id: number): Block {
  const el: 0 | 1 = rng.chance(0.25) ? 0 : 1;
  // The block's CPU is that of a first entry drawn from all enabled ones, so
  // blocks of each CPU come in proportion to their classes' weights.
  const cpu = entryCpu(pickEntry(rng, el).entry);
  const g: GenCtx = { rng, el, cpu };
  const n = rng.range(6, 24);
  const units: Unit[] = [];
  for (let u = 0; u < n; u++) units.push(genUnit(g, u, n));
  // Self-modifying code: rewrite a later one-word unit (or, if none, the macro's own first word).
  units.forEach((unit, ui) => {
    for (const fx of unit.fixups) {
      if (fx.kind !== "adr-smc" || fx.target >= 0) continue;
      const later = units.map((v, i) => i).filter((i) => i > ui && units[i].words.length === 1 && units[i].fixups.length === 0);
      fx.target = later.length ? rng.pick(later) : ui;
    }
  });
  const fpBlock = units.some((u) => clsCategory(u.cls) !== "int");
  const x = Array.from({ length: 31 }, () => (rng.chance(0.1) ? WINDOW + BigInt(rng.int(WINDOW_SIZE)) : fpBlock && rng.chance(0.2) ? fpBitsX(rng) : rng.value()));
  const sp = rng.chance(0.5) ? WINDOW + BigInt(rng.int(WINDOW_SIZE)) : rng.value();
  // PAN and UAO (bits 22, 23) only where the reference CPU has them (not cortex-a57).
  const panUao = cpu === "cortex-a57" ? 0n : (BigInt(rng.int(2)) << 22n) | (BigInt(rng.int(2)) << 23n);
  const spsr = (BigInt(rng.int(16)) << 28n) | (BigInt(rng.int(16)) << 6n) | panUao;
  const sys = Array.from({ length: NSYS }, () => rng.value());
  const v = Array.from({ length: 32 }, () => vregSeed(rng));
  const fpcr = fpcrSeed(rng), fpsr = fpsrSeed(rng);
  let flags = el === 0 ? BF_EL0 : 0;
  if (rng.chance(0.15)) flags |= BF_ALIGN;
  return {
    id, el, cpu, flags, seed: rng.u64(), x, sp, spsr, sys, v, fpcr, fpsr, units, count: units.reduce((s, u) => s + u.count, 0),
  };
}

// The code words of a block, optionally cut after `prefix` words (targets
// past the cut go to the end); the final `svc #0` is appended.
export function assemble(b: Block, prefix?: number): number[] {
  const pos: number[] = [];
  let p = 0;
  for (const u of b.units) { pos.push(p); p += u.words.length; }
  pos.push(p);
  const total = prefix === undefined ? p : Math.min(prefix, p);
  const out: number[] = [];
  for (let ui = 0; ui < b.units.length; ui++) {
    const u = b.units[ui];
    for (let i = 0; i < u.words.length; i++) {
      const at = pos[ui] + i;
      if (at >= total) break;
      let w = u.words[i];
      for (const fx of u.fixups) {
        if (fx.at !== i) continue;
        let t = pos[fx.target];
        if (fx.kind === "adr-smc" && t >= total) t = pos[ui]; // past the cut: rewrite itself (already executed)
        else if (t > total) t = total;
        const off = t - at; // in words
        switch (fx.kind) {
          case "imm26": w = (w & ~0x3ffffff) | (off & 0x3ffffff); break;
          case "imm19": case "lit19": w = (w & ~(0x7ffff << 5)) | ((off & 0x7ffff) << 5); break;
          case "imm14": w = (w & ~(0x3fff << 5)) | ((off & 0x3fff) << 5); break;
          case "adr": case "adr-smc": {
            const bytes = off * 4;
            w = (w & ~((3 << 29) | (0x7ffff << 5))) | ((bytes & 3) << 29) | (((bytes >> 2) & 0x7ffff) << 5);
            break;
          }
        }
        w >>>= 0;
      }
      out.push(w);
    }
  }
  out.push(SVC0);
  return out;
}

export function toRecord(b: Block, extraFlags = 0, prefix?: number, id?: number): BlockRecord {
  return {
    id: id ?? b.id, flags: b.flags | extraFlags, seed: b.seed, x: b.x, sp: b.sp, spsr: b.spsr, sys: b.sys,
    v: b.v, fpcr: b.fpcr, fpsr: b.fpsr, code: assemble(b, prefix),
  };
}

// The word index of each unit's main instruction, in the assembled block.
export function mainPositions(b: Block): { pos: number; unit: Unit }[] {
  const r: { pos: number; unit: Unit }[] = [];
  let p = 0;
  for (const u of b.units) { r.push({ pos: p + u.main, unit: u }); p += u.words.length; }
  return r;
}
