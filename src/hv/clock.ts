// Where the guest's counter (CNTPCT) gets its time. The core counts
// instructions retired; the physical count is that plus TIME_OFFSET, which
// only the host moves, and only forwards.
// - icount (default): time is instructions (one tick each at CNTFRQ, 62.5 MHz),
//   so runs are deterministic; when every vCPU idles in WFI, time jumps to
//   the next timer deadline.
// - host: the count follows wall-clock time (never behind the instruction
//   count); idling waits in real time.
import { Core, ABI } from "../core/core";

export const CNTFRQ_HZ = 62_500_000;

export interface Clock {
  readonly name: "icount" | "host";
  // Before each run() of a vCPU.
  beforeRun(core: Core): void;
  // Every vCPU idles until `deadline` (instructions-retired units, the core's TIMER_DEADLINE).
  idleUntil(core: Core, deadline: bigint): Promise<void>;
}

function advanceTo(core: Core, deadline: bigint): void {
  const now = core.instructions;
  if (deadline > now) core.setU64(ABI.TIME_OFFSET, core.u64(ABI.TIME_OFFSET) + (deadline - now));
}

export function icountClock(): Clock {
  return {
    name: "icount",
    beforeRun: () => {},
    idleUntil: async (core, deadline) => advanceTo(core, deadline),
  };
}

export function hostClock(now: () => number = () => performance.now()): Clock {
  const start = now();
  const ticks = () => BigInt(Math.floor((now() - start) * (CNTFRQ_HZ / 1000)));
  const follow = (core: Core) => {
    const behind = ticks() - (core.instructions + core.u64(ABI.TIME_OFFSET));
    if (behind > 0n) core.setU64(ABI.TIME_OFFSET, core.u64(ABI.TIME_OFFSET) + behind);
  };
  return {
    name: "host",
    beforeRun: follow,
    idleUntil: async (core, deadline) => {
      const wait = Number(deadline - core.instructions) / (CNTFRQ_HZ / 1000);
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 50)));
      follow(core);
    },
  };
}
