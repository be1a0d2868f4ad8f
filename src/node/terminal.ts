// The host terminal as the board's interactive console input, in Node.
//
// With stdin a TTY: raw mode, every byte goes to the guest (Ctrl-C too)
// except QEMU's escapes: Ctrl-A x quits (the terminal is restored), Ctrl-A
// Ctrl-A sends one Ctrl-A, Ctrl-A h prints the escapes; Ctrl-A followed by
// anything else is dropped, as in QEMU. With stdin not a TTY (a pipe, a
// file): the bytes go to the guest as they arrive, with no escapes, and the
// end of input only stops reading: the guest runs on.
//
// The guest's receive FIFO is small (the PL011 holds 32 bytes), so `input`
// may return how many bytes it took: the rest is held, stdin is paused, and
// they are offered again a few milliseconds later.

export const CTRL_A = 0x01;

export type EscapeCommand = "quit" | "help";

// Node's raw mode keeps output processing (ONLCR), so "\n" is a newline.
export const ESCAPE_HELP = "\nC-a h    print this help\nC-a x    exit emulator\nC-a C-a  sends C-a\n";
export const QUIT_MESSAGE = "\narmvisor: terminated\n";

// QEMU's Ctrl-A escape state machine (chardev/char-mux.c), across chunks.
export class EscapeFilter {
  private escaped = false;

  // The bytes for the guest and the commands, in order; bytes after a quit are dropped.
  feed(bytes: Uint8Array): { data: Uint8Array; commands: EscapeCommand[] } {
    const out: number[] = [];
    const commands: EscapeCommand[] = [];
    for (const b of bytes) {
      if (this.escaped) {
        this.escaped = false;
        if (b === CTRL_A) out.push(b);
        else if (b === 0x78 /* x */ || b === 0x58 /* X */) { commands.push("quit"); break; }
        else if (b === 0x68 /* h */ || b === 0x3f /* ? */) commands.push("help");
        // anything else after Ctrl-A is swallowed
      } else if (b === CTRL_A) {
        this.escaped = true;
      } else {
        out.push(b);
      }
    }
    return { data: Uint8Array.from(out), commands };
  }

  get pending(): boolean { return this.escaped; }
}

// What attachConsole needs of stdin (process.stdin fits; tests pass a stream).
export interface ConsoleInputStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: "data", fn: (b: Buffer | string) => void): unknown;
  on(event: "end", fn: () => void): unknown;
  off(event: "data", fn: (b: Buffer | string) => void): unknown;
  off(event: "end", fn: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface AttachConsoleOptions {
  stdin?: ConsoleInputStream;               // default process.stdin
  write?: (text: string) => void;          // escape help and the quit line; default stdout
  retryMs?: number;                         // when `input` took less than offered
  onEnd?: () => void;                       // the input ended (a pipe closed); the guest runs on
}

export interface ConsoleAttachment {
  readonly tty: boolean;
  detach(): void;                           // stop reading and restore the terminal; idempotent
}

// Feeds the terminal to the guest: `input` receives the bytes (and may return
// how many it accepted); `onQuit` runs after Ctrl-A x, once the terminal is restored.
export function attachConsole(
  input: (bytes: Uint8Array) => number | void,
  onQuit: () => void,
  opts: AttachConsoleOptions = {},
): ConsoleAttachment {
  const stdin = opts.stdin ?? (process.stdin as unknown as ConsoleInputStream);
  const write = opts.write ?? ((t: string) => { process.stdout.write(t); });
  const retryMs = opts.retryMs ?? 5;
  const tty = !!stdin.isTTY && typeof stdin.setRawMode === "function";
  const filter = tty ? new EscapeFilter() : null;
  const queue: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attached = true;
  let raw = false;

  const restore = () => {
    if (raw) { raw = false; try { stdin.setRawMode!(false); } catch { /* terminal gone */ } }
  };

  // Offer the queued bytes; hold what the guest did not take.
  const pump = () => {
    timer = null;
    while (attached && queue.length) {
      const head = queue[0];
      const took = input(head);
      const n = typeof took === "number" ? Math.max(0, Math.min(head.length, Math.floor(took))) : head.length;
      if (n === head.length) { queue.shift(); continue; }
      queue[0] = head.subarray(n);
      stdin.pause();
      timer = setTimeout(pump, retryMs);
      (timer as { unref?: () => void }).unref?.();
      return;
    }
    if (attached) stdin.resume();
  };

  const send = (bytes: Uint8Array) => {
    if (!bytes.length) return;
    queue.push(bytes);
    if (!timer) pump();
  };

  const onData = (chunk: Buffer | string) => {
    if (!attached) return;
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice();
    if (!filter) { send(bytes); return; }
    const { data, commands } = filter.feed(bytes);
    send(data);
    for (const c of commands) {
      if (c === "help") write(ESCAPE_HELP);
      else {
        write(QUIT_MESSAGE);
        detach();
        onQuit();
        return;
      }
    }
  };

  // End of a pipe or file: stop reading, leave the guest running.
  const onEnd = () => { stdin.off("data", onData); stdin.off("end", onEnd); opts.onEnd?.(); };

  const onExit = () => restore();

  function detach(): void {
    if (!attached) return;
    attached = false;
    if (timer) { clearTimeout(timer); timer = null; }
    queue.length = 0;
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    process.off("exit", onExit);
    restore();
    stdin.pause();
  }

  if (tty) { stdin.setRawMode!(true); raw = true; }
  // A process that exits without detaching still gets its terminal back.
  process.on("exit", onExit);
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  stdin.resume();
  return { tty, detach };
}
