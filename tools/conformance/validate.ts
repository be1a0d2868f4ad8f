// Validation of the SIMD&FP table entries (npm run conformance -- --validate):
// encodings drawn from each fp/simd entry must
//  - disassemble with the cross objdump (no `.inst`, no "undefined"), and not
//    to an instruction of a feature armvisor does not advertise (FP16
//    arithmetic, DotProd, RDM, FCMA, JSCVT, FRINTTS, BF16, I8MM, FP16FML,
//    SHA512, SHA3, SM3/SM4);
//  - not be UNDEFINED on the reference (QEMU cortex-a57): run in the
//    harness's sweep mode, where CPACR_EL1.FPEN = 0, each takes the SIMD&FP
//    access trap (EC 0x07) instead.
// armvisor's verdicts (EC 0x07 when implemented, 0x00 when its decoder does
// not have the instruction yet) are reported per class, not judged.
import { Rng } from "./rng";
import { COMPILED, encode, category, entryEnabled, CAMPAIGN_CPU, type Compiled } from "./table";
import { drawFields } from "./generator";
import { serializeSweep } from "./layout";
import { runArmvisor, runQemu, disassemble } from "./targets";
import { parseSweep } from "./sweep";
import { unadvertisedFpFeature } from "./explain";

export interface ValidateOptions { per: number; seed: bigint; only?: string[]; log: (s: string) => void }
export interface ClassVerdict {
  cls: string;
  generated: number;
  badDisasm: string[];       // "encoding  disassembly"
  refUndefined: string[];
  armvisorUndefined: number;
  armvisorExamples: string[];
}
export interface ValidateResult { ok: boolean; classes: ClassVerdict[] }

// Mnemonics of features armvisor does not advertise.
const FORBIDDEN = /^(sdot|udot|usdot|sudot|sqrdmlah|sqrdmlsh|fcmla|fcadd|fjcvtzs|frint(32|64)[xz]|bf\w+|fmlal2?|fmlsl2?|smmla|ummla|usmmla|sha512\w*|eor3|rax1|xar|bcax|sm3\w*|sm4\w*)$/;
const HALF_OK = new Set(["fcvt", "fcvtn", "fcvtn2", "fcvtl", "fcvtl2"]);

// Why a disassembly line is not acceptable, or undefined.
export function disasmProblem(text: string): string | undefined {
  if (!text || text === "?" || text.startsWith(".inst") || text.includes("undefined") || text.startsWith(".word")) return "not a valid encoding for objdump";
  const [mn, ...rest] = text.split(" ");
  const ops = rest.join(" ");
  if (FORBIDDEN.test(mn)) return "an unadvertised feature";
  // FEAT_FP16: floating-point arithmetic on half precision (FCVT* to and from half is Armv8.0).
  if ((/^f/.test(mn) || /^[su]cvtf$/.test(mn)) && !HALF_OK.has(mn) && /(\bh\d+\b|\.[48]h\b|\.h\[)/.test(ops)) return "FEAT_FP16";
  return undefined;
}

export async function runValidate(o: ValidateOptions): Promise<ValidateResult> {
  const rng = new Rng(o.seed);
  const entries = COMPILED.filter((c) => category(c.entry) !== "int" && entryEnabled(c.entry));
  const enc: number[] = [];
  const owner: Compiled[] = [];
  for (const c of entries) {
    for (let i = 0; i < o.per; i++) {
      const f = drawFields(c, { rng, el: 1, cpu: CAMPAIGN_CPU.fp });
      if (!f) throw new Error(`${c.entry.name}: no valid field draw`);
      enc.push(encode(c, f));
      owner.push(c);
    }
  }
  o.log(`validate: ${enc.length} encodings from ${entries.length} SIMD&FP entries`);
  const dis = disassemble(enc);
  const table = serializeSweep(Uint32Array.from(enc), 0n);
  const [a, q] = await Promise.all([
    runArmvisor(table, { semihosting: false }),
    runQemu(table, { cpu: CAMPAIGN_CPU.simd, semihosting: false }),
  ]);
  if (a.status !== "ok") o.log(`validate: armvisor run ended: ${a.status}`);
  if (q.status !== "ok") o.log(`validate: qemu run ended: ${q.status}`);
  const ea = parseSweep(a.output, enc.length), eq = parseSweep(q.output, enc.length);
  const byCls = new Map<string, ClassVerdict>();
  const hex = (w: number): string => (w >>> 0).toString(16).padStart(8, "0");
  enc.forEach((w, i) => {
    const cls = owner[i].entry.cls;
    if (!byCls.has(cls)) byCls.set(cls, { cls, generated: 0, badDisasm: [], refUndefined: [], armvisorUndefined: 0, armvisorExamples: [] });
    const v = byCls.get(cls)!;
    v.generated++;
    const feat = unadvertisedFpFeature(w);
    const p = disasmProblem(dis[i]) ?? (feat ? `explain.ts classifies it as ${feat}` : undefined);
    if (p) v.badDisasm.push(`${hex(w)}  ${dis[i]}  (${p}; ${owner[i].entry.name})`);
    if (eq[i] !== 0x07) v.refUndefined.push(`${hex(w)}  ${dis[i]}  (qemu EC 0x${eq[i].toString(16)}; ${owner[i].entry.name})`);
    if (ea[i] !== 0x07) { v.armvisorUndefined++; if (v.armvisorExamples.length < 3) v.armvisorExamples.push(`${hex(w)} ${dis[i]} (EC 0x${ea[i].toString(16)})`); }
  });
  const classes = [...byCls.values()];
  let ok = true;
  for (const v of classes) {
    const bad = v.badDisasm.length + v.refUndefined.length;
    if (bad) ok = false;
    o.log(`  ${v.cls.padEnd(30)} ${String(v.generated).padStart(6)} encodings: objdump-invalid ${v.badDisasm.length}, UNDEFINED on qemu ${v.refUndefined.length}, not implemented on armvisor ${v.armvisorUndefined}${v.armvisorExamples.length ? `  e.g. ${v.armvisorExamples[0]}` : ""}`);
    for (const x of [...v.badDisasm, ...v.refUndefined].slice(0, 5)) o.log(`      ${x}`);
  }
  o.log(`RESULT validate encodings=${enc.length} invalid=${classes.reduce((s, v) => s + v.badDisasm.length + v.refUndefined.length, 0)} armvisor_undefined=${classes.reduce((s, v) => s + v.armvisorUndefined, 0)}`);
  return { ok, classes };
}
