// Types for cases.mjs (used by fp.test.ts).
export interface Case { op: number; N: number; fpcr: number; a: bigint; b: bigint; c: bigint; p: number }
export interface Outcome { result: bigint; flags: number }
export interface FpExports {
  run(op: number, N: number, fpcr: number, a: bigint, b: bigint, c: bigint, p: number): bigint;
  flags(): number;
}
export const OPS: Record<string, number>;
export const OP_NAMES: Record<number, string>;
export const FPCR_FZ16: number, FPCR_FZ: number, FPCR_DN: number, FPCR_AHP: number;
export const IOC: number, DZC: number, OFC: number, UFC: number, IXC: number, IDC: number;
export const M_SEL: Record<number, number>;
export const EXPECTED_SEED: number, EXPECTED_COUNT: number;
export function intBitsOf(p: number): number;
export function precisionsOf(op: number): number[];
export function generateCases(seed: number, count: number, filter?: { ops?: Set<number>; Ns?: Set<number> }): Case[];
export function encode(k: Case): number;
export function oracleLine(k: Case): string;
export function resultBits(k: Case): number;
export function fromOracle(k: Case, line: string): Outcome;
export function runWasm(ex: FpExports, k: Case): Outcome;
export function describe(k: Case): string;
export function flagNames(f: number): string;
export function casesDigest(cases: Case[]): string;
export function encodeExpected(seed: number, cases: Case[], results: Outcome[]): Uint8Array;
export function decodeExpected(gz: Uint8Array, casesFor: (seed: number, count: number) => Case[]):
  { format: number; seed: number; count: number; digest: string; cases: Case[]; results: Outcome[] };
