// Small helpers shared by the benchmarks.

// Run `fn` (sync or async) `n` times; return { best, runs } where best is the
// run with the smallest `seconds` (machines are noisy: the minimum is the
// least disturbed measurement).
export async function bestOf(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn(i));
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { best, runs };
}

export function mips(instructions, seconds) {
  return seconds > 0 ? Number(instructions) / seconds / 1e6 : NaN;
}

// A left-aligned first column, right-aligned others.
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("  "))
    .join("\n");
}

export function fail(message) {
  const e = new Error(message);
  e.benchFailure = true;
  return e;
}
