// The counters the core keeps in shared memory, as a report.
import { Core, ABI } from "../core/core";
import { EXIT_NAMES } from "./exit";

export const EC_NAMES: Record<number, string> = {
  0x00: "EC_UNKNOWN", 0x01: "EC_WFX_TRAP", 0x07: "EC_FP_ACCESS_TRAP", 0x0e: "EC_ILLEGAL_STATE",
  0x15: "EC_SVC64", 0x16: "EC_HVC64", 0x17: "EC_SMC64", 0x18: "EC_SYSREG", 0x1a: "EC_ERET", 0x20: "EC_IABT_LOW",
  0x21: "EC_IABT_CUR", 0x22: "EC_PC_ALIGN", 0x24: "EC_DABT_LOW", 0x25: "EC_DABT_CUR", 0x26: "EC_SP_ALIGN",
  0x2f: "EC_SERROR", 0x3c: "EC_BRK64", 0x3d: "IRQ", 0x3e: "FIQ", 0x3f: "SError",
};

export interface Stats {
  instructions: bigint;
  decoded: bigint;
  codeSlotFills: bigint;
  codeInvalidations: bigint;
  tlbFills: bigint;
  tlbFlushes: bigint;
  tlbWalks: bigint;
  tlbHits: bigint | undefined;        // counted by the stats build only
  tlbWalkReads: bigint;
  tlbByVmid: { vmid: number; fills: bigint; invalidated: bigint }[];
  exits: Record<string, bigint>;
  exceptions: { from: number; to: number; ec: number; name: string; count: bigint }[];
  erets: { from: number; to: number; count: bigint }[];
}

export function readStats(core: Core): Stats {
  const exits: Record<string, bigint> = {};
  for (let r = 1; r < ABI.EXIT_REASON_COUNT; r++) {
    const n = core.exitCount(r);
    if (n) { const k = EXIT_NAMES[r] ?? `exit${r}`; exits[k] = (exits[k] ?? 0n) + n; }
  }
  const exceptions: Stats["exceptions"] = [];
  const erets: Stats["erets"] = [];
  for (let from = 0; from < 4; from++) {
    for (let to = 0; to < 4; to++) {
      for (let ec = 0; ec < 64; ec++) {
        const count = core.exceptionCount(from, to, ec);
        if (count) exceptions.push({ from, to, ec, name: EC_NAMES[ec] ?? `EC_0x${ec.toString(16)}`, count });
      }
      const e = core.eretCount(from, to);
      if (e) erets.push({ from, to, count: e });
    }
  }
  return {
    instructions: core.instructions,
    decoded: core.counter(ABI.CNT_DECODED),
    codeSlotFills: core.counter(ABI.CNT_CODE_SLOT_FILLS),
    codeInvalidations: core.counter(ABI.CNT_CODE_INVALIDATIONS),
    tlbFills: core.counter(ABI.CNT_TLB_FILLS),
    tlbFlushes: core.counter(ABI.CNT_TLB_FLUSHES),
    tlbWalks: core.counter(ABI.CNT_TLB_WALKS),
    tlbHits: core.exports.countsTlbHits() ? core.counter(ABI.CNT_TLB_HITS) : undefined,
    tlbWalkReads: core.counter(ABI.CNT_TLB_WALK_READS),
    tlbByVmid: tlbByVmid(core),
    exits, exceptions, erets,
  };
}

// TLB fills and TLBI invalidations per VMID (counted modulo 32).
function tlbByVmid(core: Core): Stats["tlbByVmid"] {
  const out: Stats["tlbByVmid"] = [];
  for (let v = 0; v < 32; v++) {
    const fills = core.counter(ABI.CNT_TLB_FILLS_VMID + v * 8), invalidated = core.counter(ABI.CNT_TLB_INVALIDATED + v * 8);
    if (fills || invalidated) out.push({ vmid: v, fills, invalidated });
  }
  return out;
}

export function formatStats(s: Stats, seconds: number): string {
  const lines: string[] = [];
  const mips = seconds > 0 ? Number(s.instructions) / seconds / 1e6 : 0;
  lines.push(`instructions retired   ${s.instructions}  (${mips.toFixed(1)} MIPS over ${seconds.toFixed(3)} s)`);
  lines.push(`instructions decoded   ${s.decoded}  (code pages filled ${s.codeSlotFills}, decoded instructions invalidated ${s.codeInvalidations})`);
  lines.push(`tlb                    hits ${s.tlbHits ?? "(not counted by this build)"}, fills ${s.tlbFills}, walks ${s.tlbWalks} (${s.tlbWalkReads} descriptor reads), full flushes ${s.tlbFlushes}`);
  for (const v of s.tlbByVmid) lines.push(`  VMID ${String(v.vmid).padEnd(4)}           fills ${v.fills}, invalidated by TLBI ${v.invalidated}`);
  lines.push(`exits                  ${Object.entries(s.exits).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  lines.push(`exceptions taken       ${s.exceptions.length ? "" : "none"}`);
  for (const e of s.exceptions) lines.push(`  EL${e.from} -> EL${e.to}  ${e.name.padEnd(18)} ${e.count}`);
  lines.push(`exception returns      ${s.erets.length ? "" : "none"}`);
  for (const e of s.erets) lines.push(`  EL${e.from} -> EL${e.to}  ERET               ${e.count}`);
  return lines.join("\n");
}
