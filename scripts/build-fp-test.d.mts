// Types for build-fp-test.mjs (used by test/fp/fp.test.ts).
export const ROOT: string;
export const FP_WASM: string;
export function buildFpTest(force?: boolean): string;
