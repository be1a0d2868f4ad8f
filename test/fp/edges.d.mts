// Types for edges.mjs (used by fp.test.ts).
import type { Case } from "./cases.mjs";
export const EDGES: Record<string, string>;
export function edgeCases(): { group: string; text: string; case: Case; result: bigint; flags: number }[];
