// A guest's console in a test, for the whole-system boots (linux-boot,
// xen-boot): what the guest wrote, waits for text to appear in it, and a
// shell session typed at the busybox prompt as a user would type it (input
// goes in only once the prompt is on the console).
import type { VirtBoard } from "../../src/board/virt";
import type { VmResult } from "../../src/hv/vm";

export const WAIT_TIMEOUT = 120_000;     // one wait for console output

export class Console {
  out = "";
  private decoder = new TextDecoder();
  private waiters: { re: RegExp; from: number; resolve: (end: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private closed: string | undefined;

  write(bytes: Uint8Array): void {
    this.out += this.decoder.decode(bytes, { stream: true });
    for (const w of [...this.waiters]) {
      const m = w.re.exec(this.out.slice(w.from));
      if (m) this.settle(w, () => w.resolve(w.from + m.index + m[0].length));
    }
  }

  // Resolves with the offset just past the first match at or after `from`.
  waitFor(re: RegExp, from: number, what: string): Promise<number> {
    const m = re.exec(this.out.slice(from));
    if (m) return Promise.resolve(from + m.index + m[0].length);
    if (this.closed) return Promise.reject(new Error(`the guest stopped (${this.closed}) before ${what}`));
    return new Promise((resolve, reject) => {
      const w = {
        re, from, resolve, reject,
        timer: setTimeout(() => this.settle(w, () => reject(new Error(`no ${what} on the console within ${WAIT_TIMEOUT / 1000} s`))), WAIT_TIMEOUT),
      };
      this.waiters.push(w);
    });
  }

  close(why: string): void {
    this.closed = why;
    for (const w of [...this.waiters]) this.settle(w, () => w.reject(new Error(`the guest stopped (${why}) before it printed ${w.re}`)));
  }

  private settle(w: (typeof this.waiters)[number], f: () => void): void {
    clearTimeout(w.timer);
    this.waiters = this.waiters.filter((x) => x !== w);
    f();
  }
}

// busybox ash's prompt as root in /, at the start of a line (its line
// editing may ask for the cursor position, ESC [ 6 n, right after it).
export const PROMPT = /(^|\n)\/ # /;

export interface Shell {
  // Waits for the prompt, then types `line` and Enter; resolves with the
  // console offset where the command's echo begins.
  type(line: string): Promise<number>;
}

export interface Run { result: VmResult; out: string; seconds: number }

// Runs the board `make` builds on `con` (its vCPUs waiting with no timer armed
// wait for `waitForInput`, as under `armvisor boot`) until it stops, with
// `session` typing at the shell meanwhile; a failing session stops the
// board and fails with the end of the console.
export async function runWithConsole(
  make: (con: Console, waitForInput: () => Promise<boolean>) => Promise<VirtBoard>,
  opts: { session?: (sh: Shell) => Promise<void>; cleanup?: () => void } = {},
): Promise<Run> {
  const con = new Console();
  let wake: ((more: boolean) => void) | undefined;
  let done = false;
  const board = await make(con, () => new Promise<boolean>((resolve) => { if (done) resolve(false); else wake = resolve; }));
  let seen = 0;
  const shell: Shell = {
    async type(line) {
      seen = await con.waitFor(PROMPT, seen, `shell prompt (to type ${JSON.stringify(line)})`);
      const at = con.out.length;
      board.pushInput(new TextEncoder().encode(line + "\n"));
      wake?.(true);
      wake = undefined;
      return at;
    },
  };
  let failure: unknown;
  const session = opts.session?.(shell).catch((e) => {
    failure = e;
    board.vm.requestQuit();
    wake?.(false);
  }).finally(() => { done = true; });
  const t0 = performance.now();
  let result: VmResult;
  try {
    result = await board.run();
  } finally {
    opts.cleanup?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  con.close(result.kind === "error" || result.kind === "stuck" ? `${result.kind}: ${result.message}` : result.kind);
  await session;
  if (failure) {
    const e = failure instanceof Error ? failure : new Error(String(failure));
    e.message += `\n--- console (last 3000 characters) ---\n${con.out.slice(-3000)}`;
    throw e;
  }
  return { result, out: con.out, seconds };
}
