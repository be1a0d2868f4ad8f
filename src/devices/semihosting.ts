// Arm semihosting (the "Semihosting for AArch32 and AArch64" specification):
// the calls a bare-metal program needs to print and to exit with a status.
// Invoked by HLT #0xF000 with the operation in W0 and the parameter in X1.
export const SYS_WRITEC = 0x03;
export const SYS_WRITE0 = 0x04;
export const SYS_WRITE = 0x05;
export const SYS_CLOCK = 0x10;
export const SYS_TIME = 0x11;
export const SYS_ERRNO = 0x13;
export const SYS_EXIT = 0x18;
export const SYS_EXIT_EXTENDED = 0x20;
export const ADP_STOPPED_APPLICATION_EXIT = 0x20026n;

export interface SemihostingMemory {
  readU64(addr: bigint): bigint;
  readU8(addr: bigint): number;
}

export type SemihostingResult = { kind: "return"; x0: bigint } | { kind: "exit"; status: number };

const MINUS_ONE = BigInt.asUintN(64, -1n);

export function semihostingCall(op: bigint, param: bigint, mem: SemihostingMemory, out: (b: Uint8Array) => void, clockCs: () => bigint): SemihostingResult {
  switch (Number(op & 0xffff_ffffn)) {
    case SYS_WRITEC: out(Uint8Array.of(mem.readU8(param))); return { kind: "return", x0: 0n };
    case SYS_WRITE0: {
      const bytes: number[] = [];
      for (let a = param; bytes.length < 1 << 20; a++) { const b = mem.readU8(a); if (b === 0) break; bytes.push(b); }
      out(Uint8Array.from(bytes));
      return { kind: "return", x0: 0n };
    }
    case SYS_WRITE: {
      // {handle, buffer, length}; handles 1 and 2 are the console.
      const handle = mem.readU64(param), buf = mem.readU64(param + 8n), len = Number(mem.readU64(param + 16n));
      if (handle !== 1n && handle !== 2n) return { kind: "return", x0: BigInt(len) };
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = mem.readU8(buf + BigInt(i));
      out(bytes);
      return { kind: "return", x0: 0n }; // bytes not written
    }
    case SYS_CLOCK: return { kind: "return", x0: clockCs() };
    case SYS_TIME: return { kind: "return", x0: BigInt(Math.floor(Date.now() / 1000)) };
    case SYS_ERRNO: return { kind: "return", x0: 0n };
    case SYS_EXIT: {
      // AArch64: X1 points to {reason, subcode}.
      const reason = mem.readU64(param), code = mem.readU64(param + 8n);
      return { kind: "exit", status: reason === ADP_STOPPED_APPLICATION_EXIT ? Number(code & 0xffn) : 1 };
    }
    case SYS_EXIT_EXTENDED: {
      const reason = mem.readU64(param), code = mem.readU64(param + 8n);
      return { kind: "exit", status: reason === ADP_STOPPED_APPLICATION_EXIT ? Number(code & 0xffn) : 1 };
    }
  }
  return { kind: "return", x0: MINUS_ONE };
}
