// The interactive console: QEMU's Ctrl-A escapes on a TTY (x quits, Ctrl-A
// Ctrl-A sends one Ctrl-A, other bytes pass), raw mode set and restored,
// plain forwarding from a pipe whose end does not stop the guest, and
// holding bytes the guest's FIFO cannot take yet.
import { describe, it, expect } from "vitest";
import { PassThrough } from "node:stream";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { attachConsole, EscapeFilter, ESCAPE_HELP, QUIT_MESSAGE, CTRL_A, type ConsoleInputStream } from "../../src/node/terminal";

const bytes = (...b: Array<number | string>) =>
  Uint8Array.from(b.flatMap((x) => (typeof x === "string" ? [...Buffer.from(x, "latin1")] : [x])));

describe("EscapeFilter (Ctrl-A escapes)", () => {
  it("passes ordinary bytes through, Ctrl-C and NUL included", () => {
    const f = new EscapeFilter();
    expect(f.feed(bytes("ls -l\r", 3, 0, 0x7f, 0xff))).toEqual({ data: bytes("ls -l\r", 3, 0, 0x7f, 0xff), commands: [] });
  });

  it("Ctrl-A x and Ctrl-A X quit; the bytes before go through, the bytes after do not", () => {
    for (const x of ["x", "X"]) {
      const f = new EscapeFilter();
      expect(f.feed(bytes("ab", CTRL_A, x, "cd"))).toEqual({ data: bytes("ab"), commands: ["quit"] });
    }
  });

  it("Ctrl-A Ctrl-A sends one Ctrl-A", () => {
    const f = new EscapeFilter();
    expect(f.feed(bytes(CTRL_A, CTRL_A))).toEqual({ data: bytes(CTRL_A), commands: [] });
    expect(f.feed(bytes(CTRL_A, CTRL_A, CTRL_A, CTRL_A, "z"))).toEqual({ data: bytes(CTRL_A, CTRL_A, "z"), commands: [] });
    // A third Ctrl-A starts a new escape.
    expect(f.feed(bytes(CTRL_A, CTRL_A, CTRL_A, "x"))).toEqual({ data: bytes(CTRL_A), commands: ["quit"] });
  });

  it("keeps the escape across chunks", () => {
    const f = new EscapeFilter();
    expect(f.feed(bytes("a", CTRL_A))).toEqual({ data: bytes("a"), commands: [] });
    expect(f.pending).toBe(true);
    expect(f.feed(bytes(CTRL_A, "b"))).toEqual({ data: bytes(CTRL_A, "b"), commands: [] });
    expect(f.pending).toBe(false);
    f.feed(bytes(CTRL_A));
    expect(f.feed(bytes("x"))).toEqual({ data: bytes(), commands: ["quit"] });
  });

  it("Ctrl-A h (or ?) asks for help; Ctrl-A and any other byte are swallowed, as in QEMU", () => {
    const f = new EscapeFilter();
    expect(f.feed(bytes(CTRL_A, "h", "1", CTRL_A, "?", CTRL_A, "c", CTRL_A, "\r", "2"))).toEqual({ data: bytes("1", "2"), commands: ["help", "help"] });
  });
});

// A stdin stand-in: a stream with optional TTY behaviour.
function fakeStdin(tty: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (m: boolean) => unknown; rawCalls: boolean[] };
  s.rawCalls = [];
  if (tty) {
    s.isTTY = true;
    s.setRawMode = (m: boolean) => { s.rawCalls.push(m); return s; };
  }
  return s;
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe("attachConsole on a TTY", () => {
  it("sets raw mode, forwards bytes, and on Ctrl-A x restores the terminal, says so and quits", async () => {
    const stdin = fakeStdin(true);
    const got: number[] = [];
    const out: string[] = [];
    let quits = 0;
    const c = attachConsole((b) => { got.push(...b); }, () => { quits++; expect(stdin.rawCalls).toEqual([true, false]); }, { stdin: stdin as ConsoleInputStream, write: (t) => out.push(t) });
    expect(c.tty).toBe(true);
    expect(stdin.rawCalls).toEqual([true]);
    stdin.write(Buffer.from("echo hi\r"));
    await tick();
    stdin.write(Buffer.from([CTRL_A, CTRL_A, 3]));
    await tick();
    stdin.write(Buffer.from([CTRL_A, 0x68]));
    await tick();
    expect(out).toEqual([ESCAPE_HELP]);
    stdin.write(Buffer.from([0x41, CTRL_A, 0x78, 0x42]));
    await tick();
    expect(quits).toBe(1);
    expect(out).toEqual([ESCAPE_HELP, QUIT_MESSAGE]);
    expect(Buffer.from(got).toString("latin1")).toBe("echo hi\r\x01\x03A");
    // Detached: nothing more goes to the guest; detach again is harmless.
    stdin.write(Buffer.from("more"));
    await tick();
    expect(got.length).toBe(11);
    c.detach();
    expect(stdin.rawCalls).toEqual([true, false]);
    expect(quits).toBe(1);
  });

  it("detach restores the terminal without quitting", () => {
    const stdin = fakeStdin(true);
    let quits = 0;
    const c = attachConsole(() => {}, () => { quits++; }, { stdin: stdin as ConsoleInputStream, write: () => {} });
    c.detach();
    c.detach();
    expect(stdin.rawCalls).toEqual([true, false]);
    expect(quits).toBe(0);
  });
});

describe("attachConsole on a pipe", () => {
  it("forwards bytes as they arrive with no escapes, and the end of input does not quit", async () => {
    const stdin = fakeStdin(false);
    const chunks: string[] = [];
    let quits = 0;
    const c = attachConsole((b) => { chunks.push(Buffer.from(b).toString("latin1")); }, () => { quits++; }, { stdin: stdin as ConsoleInputStream, write: () => {} });
    expect(c.tty).toBe(false);
    stdin.write("uname -a\n");
    await tick();
    expect(chunks).toEqual(["uname -a\n"]);
    stdin.write(Buffer.from([CTRL_A, 0x78, 0x0a]));
    stdin.end();
    await tick();
    expect(chunks.join("")).toBe("uname -a\n\x01x\n");
    expect(quits).toBe(0);
    c.detach();
  });

  it("holds what the guest did not take and offers it again, in order", async () => {
    const stdin = fakeStdin(false);
    const got: number[] = [];
    let room = 4;
    const c = attachConsole((b) => {
      const n = Math.min(room, b.length);
      got.push(...b.subarray(0, n));
      room -= n;
      return n;
    }, () => {}, { stdin: stdin as ConsoleInputStream, write: () => {}, retryMs: 1 });
    stdin.write("0123456789");
    await tick();
    expect(Buffer.from(got).toString()).toBe("0123");
    stdin.write("abc");
    for (let i = 0; i < 20 && got.length < 13; i++) { room = 3; await tick(); }
    expect(Buffer.from(got).toString()).toBe("0123456789abc");
    c.detach();
  });

  it("forgets held bytes on detach", async () => {
    const stdin = fakeStdin(false);
    let calls = 0;
    const c = attachConsole(() => { calls++; return 0; }, () => {}, { stdin: stdin as ConsoleInputStream, write: () => {}, retryMs: 1 });
    stdin.write("x");
    await tick();
    c.detach();
    const n = calls;
    await tick();
    expect(calls).toBe(n);
  });
});

// In a child process on a real pipe: the end of stdin leaves the process
// (the "guest") running until it decides to stop.
describe("attachConsole with a real stdin", () => {
  it("does not end the process at the end of piped input", () => {
    const dir = mkdtempSync(join(tmpdir(), "armvisor-terminal-test-"));
    try {
      const mod = join(dir, "terminal.mjs");
      buildSync({ entryPoints: [fileURLToPath(new URL("../../src/node/terminal.ts", import.meta.url))], bundle: true, format: "esm", platform: "node", outfile: mod, logLevel: "silent" });
      const script = `
        import { attachConsole } from ${JSON.stringify(mod)};
        let n = 0;
        const c = attachConsole((b) => { n += b.length; }, () => { console.log("quit"); });
        setTimeout(() => { console.log(c.tty + " " + n); c.detach(); }, 300);
      `;
      writeFileSync(join(dir, "main.mjs"), script);
      const r = spawnSync(process.execPath, [join(dir, "main.mjs")], { input: "hello\n", encoding: "utf8", timeout: 20_000 });
      expect(r.stderr).toBe("");
      // It printed after the input had ended, and detach let it exit.
      expect(r.stdout).toBe("false 6\n");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
