// The terminal as the guest's console, in Node.
import type { ConsoleSink } from "../devices/device";

export const stdoutSink: ConsoleSink = { write: (b) => { process.stdout.write(b); } };

// Feed stdin to `push` while the guest runs; returns a function that stops it.
export function attachStdin(push: (b: Uint8Array) => void): () => void {
  if (!process.stdin.isTTY) return () => {};
  process.stdin.setRawMode(true);
  const onData = (b: Buffer) => push(new Uint8Array(b));
  process.stdin.on("data", onData);
  process.stdin.resume();
  return () => { process.stdin.off("data", onData); process.stdin.setRawMode(false); process.stdin.pause(); };
}
