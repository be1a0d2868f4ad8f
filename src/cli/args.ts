// Command-line helpers shared by the commands: option parsers, reading input
// files with one clear error line, and reporting how a run ended.
import { InvalidArgumentError } from "commander";
import { readFileSync } from "node:fs";
import { UserError } from "../errors";
import { formatStats, readStats } from "../hv/stats";
import type { Core } from "../core/core";
import type { Jit } from "../jit/jit";

export function parseCount(v: string): bigint {
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) throw new InvalidArgumentError(`not a number: ${v}`);
  return BigInt(v);
}

export function parseGic(v: string): 2 | 3 {
  if (v !== "2" && v !== "3") throw new InvalidArgumentError(`the GIC version must be 2 or 3`);
  return Number(v) as 2 | 3;
}

// `what` names the file in the message ("kernel", "initrd"...), or nothing.
export function readInput(path: string, what?: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${what ? `${what} ` : ""}${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : "cannot be read"}`);
  }
}

export interface Ended { kind: string; status: number; message?: string }

// --stats on stderr: the core's counters and the JIT's figures.
export function printStats(core: Core, jit: Jit | undefined, seconds: number): void {
  process.stderr.write(formatStats(readStats(core), seconds) + "\n");
  if (jit) process.stderr.write(`jit                    pages compiled ${jit.compiledPages} (discarded ${jit.discarded}), instructions translated ${jit.translatedInstructions}, compile time ${jit.compileMs.toFixed(1)} ms\n`);
}

// One line on stderr for the ways a run ends other than the guest's own choice.
export function reportEnd(result: Ended, maxInsns: bigint | undefined): void {
  if (result.kind === "limit") process.stderr.write(`armvisor: instruction limit reached (${maxInsns} instructions)\n`);
  if (result.kind === "error") process.stderr.write(`armvisor: internal error: ${result.message}\n`);
  if (result.kind === "stuck") process.stderr.write(`armvisor: ${result.message}\n`);
}
