// A stand-alone build of armvisor's decoder exposing the proposed core export
// `decodeProbe`, used by the sweep until build/core.wasm exports it itself.
// Compiled from the same assembly/ sources as the core.
import { decodeInstruction, NO_NEXT } from "../../../assembly/decode/decoder";
import { CODE_BASE, CONFIG_FP, CONFIG_PAUTH } from "../../../assembly/abi";
import { loadConfig } from "../../../assembly/cpu/config";
import { OP_UNDEF, OP_DECODE, OP_COUNT } from "../../../assembly/decode/ops";

const E: usize = CODE_BASE;

// decodeProbe(insn): 0 if insn is UNDEFINED, else its op number (ops.ts, >= 2);
// 0xFFFF_FFFF if the decoder left the entry undecoded (a decoder bug).
export function decodeProbe(insn: u32): u32 {
  store<u64>(E, 0);
  store<u64>(E, 0, 8);
  decodeInstruction(insn, E, NO_NEXT);
  let op = <u32>load<u16>(E);
  if (op == OP_UNDEF) return 0;
  if (op == OP_DECODE || op >= <u32>OP_COUNT) return 0xffff_ffff;
  return op;
}

// Probe `count` encodings from `start`; adds 1 to the u32 at hist + 4 * k for
// each, where k = op (0 = UNDEFINED, OP_COUNT = a bad op), and to
// groups + 4 * (2 * op0 + implemented) with op0 = insn[28:25].
export function decodeProbeRange(start: u32, count: u32, hist: usize, groups: usize): void {
  for (let i: u32 = 0; i < count; i++) {
    let insn = start + i;
    let op = decodeProbe(insn);
    let k: u32 = op == 0xffff_ffff ? <u32>OP_COUNT : op;
    let a = hist + (<usize>k << 2);
    store<u32>(a, load<u32>(a) + 1);
    let g = groups + ((<usize>(((insn >> 25) & 0xf) * 2 + (op != 0 ? 1 : 0))) << 2);
    store<u32>(g, load<u32>(g) + 1);
  }
}

export function opCount(): u32 { return <u32>OP_COUNT; }

// Decode with FP/AdvSIMD (CONFIG_FP) on or off, as the core does after
// loadConfig(); with FEAT_PAuth (CONFIG_PAUTH), as the sweep runs armvisor.
export function configureFp(on: u32): void { store<u32>(CONFIG_FP, on); store<u32>(CONFIG_PAUTH, 1); loadConfig(); }
