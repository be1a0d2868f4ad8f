// guests/type1 (see guests/README.md): a bare-metal Type-1 hypervisor at EL2
// running two guests at EL1 under their own VMIDs and stage 2 tables, on
// `run`'s virt board (GICv3, EL2 physical timer): it emulates their UART
// from stage 2 data aborts, yields on their trapped WFIs, injects their
// virtual timer ticks through a list register and switches between them
// on its own timer. In both execution engines, and under QEMU where it is
// installed (the interleaving differs with timing; each guest's lines do not).
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, statsTally, type Run } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;
const EC_WFX = 0x01, EC_HVC64 = 0x16, EC_DABT_LOW = 0x24, IRQ = 0x3d;

// What each guest prints (guest.c), as the hypervisor tags it.
const EXPECTED: Record<"A" | "B", string[]> = {
  A: ["start", ...Array.from({ length: 8 }, (_, i) => `line ${i + 1}`), "done"],
  B: ["start", ...Array.from({ length: 6 }, (_, i) => `line ${i + 1}`), "done"],
};

interface Type1Output {
  guestLines: { guest: "A" | "B"; text: string }[];
  perGuest: Record<"A" | "B", { ticks: number; wfi: number; uartBytes: number; s2Faults: number; vmid: number }>;
  tally: Map<string, number>;        // "ec=0x24" / "irq" -> count, from `type1: exceptions EL1->EL2 ...`
  checks: number;
  failures: number;
}

function parse(r: Run): Type1Output {
  const out = lines(r.stdout);
  const guestLines: Type1Output["guestLines"] = [];
  const perGuest = {} as Type1Output["perGuest"];
  const tally = new Map<string, number>();
  for (const l of out) {
    let m = /^guest ([AB]): (.*)$/.exec(l);
    if (m) { guestLines.push({ guest: m[1] as "A" | "B", text: m[2] }); continue; }
    m = /^type1: guest ([AB]) vmid=(\d+) lines=\d+ ticks=(\d+) injected=\d+ coalesced=\d+ wfi=(\d+) uart-bytes=(\d+) s2-faults=(\d+)$/.exec(l);
    if (m) { perGuest[m[1] as "A" | "B"] = { vmid: Number(m[2]), ticks: Number(m[3]), wfi: Number(m[4]), uartBytes: Number(m[5]), s2Faults: Number(m[6]) }; continue; }
    m = /^type1: exceptions EL1->EL2 (ec=0x[0-9a-f]{2}|irq) (\d+)$/.exec(l);
    if (m) tally.set(m[1], Number(m[2]));
  }
  const last = /^type1: checks=(\d+) failures=(\d+)$/.exec(out.at(-1) ?? "");
  expect(last, describeRun(r)).not.toBeNull();
  return { guestLines, perGuest, tally, checks: Number(last![1]), failures: Number(last![2]) };
}


// All checks passed, each guest printed its lines in order, and each one's
// lines stand between the other's (the hypervisor switched back and forth).
function expectTwoGuests(r: Run): Type1Output {
  const why = describeRun(r);
  expect(r.signal, why).toBeNull();
  expect(lines(r.stdout)[0], why).toBe("type1 hypervisor at EL2");
  expect(lines(r.stdout).filter((l) => /FAIL|UNEXPECTED|unexpected/.test(l)), why).toEqual([]);
  const o = parse(r);
  expect(o.failures, why).toBe(0);
  expect(o.checks, why).toBeGreaterThanOrEqual(50);
  expect(r.status, why).toBe(0);
  for (const g of ["A", "B"] as const) expect(o.guestLines.filter((l) => l.guest === g).map((l) => l.text), why).toEqual(EXPECTED[g]);
  const order = o.guestLines.map((l) => l.guest).join("");
  expect(order, why).toMatch(/A.*B.*A/);
  expect(order, why).toMatch(/B.*A.*B/);
  expect(order.replace(/(.)\1+/g, "$1").length, `runs of one guest's lines in ${order}`).toBeGreaterThanOrEqual(5);
  for (const g of ["A", "B"] as const) {
    const p = o.perGuest[g];
    expect(p, why).toBeDefined();
    expect(p.ticks, why).toBeGreaterThanOrEqual(EXPECTED[g].length - 2);   // a tick ends each line's wait
    expect(p.wfi, why).toBeGreaterThan(0);
    expect(p.s2Faults, why).toBe(2);                                       // the other's RAM, its own code
    // Every byte the guest wrote was one data abort at the UART's IPA.
    expect(p.uartBytes, why).toBe(EXPECTED[g].reduce((n, l) => n + l.length + 1, 0));
  }
  expect([o.perGuest.A.vmid, o.perGuest.B.vmid], why).toEqual([1, 2]);
  return o;
}

describe.each(ENGINES)("type1 on armvisor run --el 2 (%s)", (_engine, flags) => {
  it("runs both guests interleaved, each line sequence in order, 0 failures; --stats counts the EL1->EL2 exceptions the hypervisor tallied", () => {
    const r = armvisor(["run", ...flags, "--stats", "--el", "2", guest("type1")]);
    const o = expectTwoGuests(r);
    const why = describeRun(r);
    const counted = statsTally(r.stderr);
    const el1ToEl2 = (ec: number) => counted.get(`1->2 ${ec}`) ?? 0;
    // Stage 2 data aborts: one per UART byte, plus each guest's two probes.
    const uartBytes = o.perGuest.A.uartBytes + o.perGuest.B.uartBytes;
    expect(el1ToEl2(EC_DABT_LOW), why).toBe(uartBytes + 4);
    expect(el1ToEl2(EC_DABT_LOW), why).toBe(o.tally.get("ec=0x24"));
    // Trapped WFIs (HCR_EL2.TWI), one HVC each at the end, physical IRQs (HCR_EL2.IMO).
    expect(el1ToEl2(EC_WFX), why).toBe(o.perGuest.A.wfi + o.perGuest.B.wfi);
    expect(el1ToEl2(EC_WFX), why).toBe(o.tally.get("ec=0x01"));
    expect(el1ToEl2(EC_HVC64), why).toBe(2);
    expect(el1ToEl2(IRQ), why).toBe(o.tally.get("irq"));
    expect(el1ToEl2(IRQ), why).toBeGreaterThan(0);
    // Nothing else reached EL2 from the guests; their virtual IRQs stayed at EL1.
    expect([...counted.keys()].filter((k) => k.startsWith("1->2 ")).sort(), why).toEqual([`1->2 ${EC_WFX}`, `1->2 ${EC_HVC64}`, `1->2 ${EC_DABT_LOW}`, `1->2 ${IRQ}`].sort());
    expect(counted.get(`1->1 ${IRQ}`), why).toBe(o.perGuest.A.ticks + o.perGuest.B.ticks);
    // Both VMIDs filled TLB entries.
    for (const vmid of [1, 2]) expect(r.stderr, why).toMatch(new RegExp(`^  VMID ${vmid} +fills [1-9]`, "m"));
  });
});

describe("type1 where it cannot run", () => {
  it("booted at EL1 it says it needs EL2 and exits 1", () => {
    const r = armvisor(["run", guest("type1")]);
    expect(lines(r.stdout), describeRun(r)).toEqual(["type1 hypervisor at EL1", "type1: needs EL2"]);
    expect(r.status).toBe(1);
  });
  it("with --gic 2 it says it needs the GICv3 system registers and exits 1", () => {
    const r = armvisor(["run", "--gic", "2", "--el", "2", guest("type1")]);
    expect(lines(r.stdout), describeRun(r)).toEqual(["type1 hypervisor at EL2", "type1: needs a GICv3 system-register interface"]);
    expect(r.status).toBe(1);
  });
});

const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests-type1.test.ts: qemu-system-aarch64 is not on PATH: skipping the reference run under QEMU");

describe.skipIf(!qemuPresent)(`type1 under QEMU (virtualization=on, gic-version=3, cortex-a57)${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  it("gives the same per-guest lines, the same UART trap count and 0 failures as on armvisor", () => {
    const q = qemu(guest("type1"), 2, 30_000, "gic-version=3", "cortex-a57");
    const oq = expectTwoGuests(q);
    const a = armvisor(["run", "--el", "2", guest("type1")]);
    const oa = expectTwoGuests(a);
    for (const g of ["A", "B"] as const) {
      expect(oa.guestLines.filter((l) => l.guest === g)).toEqual(oq.guestLines.filter((l) => l.guest === g));
      expect(oa.perGuest[g].uartBytes).toBe(oq.perGuest[g].uartBytes);
    }
    expect(oa.tally.get("ec=0x24")).toBe(oq.tally.get("ec=0x24"));
    expect(oa.tally.get("ec=0x16")).toBe(oq.tally.get("ec=0x16"));
    expect(oa.checks).toBe(oq.checks);
  }, 60_000);
});
