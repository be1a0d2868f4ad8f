// guests/ras (see guests/ras/ras.c): FEAT_RAS without error records --
// ID_AA64PFR0_EL1.RAS, ERRIDR_EL1/ERRSELR_EL1/ERX*_EL1, HCR_EL2.TERR and
// SCR_EL3.TERR traps, HCR_EL2.TEA routing, virtual SErrors with VSESR_EL2's
// syndrome, ESB deferral into VDISR_EL2, DISR_EL1's redirection and RAZ/WI --
// in both engines, booted at EL2 and at EL3 (SCR_EL3 checks first). The
// default build is compared line by line with QEMU 7.2 -cpu max; the
// RAS_STRICT build adds what QEMU lacks or gets wrong (ERRSELR_EL1 and the
// ERX* registers, RAS = 1 rather than 2, TEA and SCR_EL3.EA routing, RES0
// bits) and runs on armvisor only. The physical SError side is in
// test/core/ras.test.ts.
import { describe, it, expect, beforeAll } from "vitest";
import { armvisor, buildGuests, describeRun, guest, hasQemu, lines, qemu, report } from "./helpers/guests";

beforeAll(() => {
  buildGuests();
}, 180_000);

const ENGINES = [["jit", []], ["interpreter", ["--no-jit"]]] as const;
// Checks in the RAS_STRICT build, by the EL the guest is booted at.
const STRICT_CHECKS = { 2: 76, 3: 108 } as const;

describe.each(ENGINES)("ras, RAS_STRICT build (%s)", (_engine, flags) => {
  for (const el of [2, 3] as const) {
    it(`passes every check booted at EL${el}`, () => {
      const r = armvisor(["run", ...flags, "--el", String(el), guest("ras", "build-strict")]);
      const out = lines(r.stdout);
      expect(out[0], describeRun(r)).toBe(`ras at EL${el}`);
      expect(out.filter((l) => l.startsWith("FAIL") || l.startsWith("UNEXPECTED")), describeRun(r)).toEqual([]);
      const rep = report(r.stdout);
      expect(rep, describeRun(r)).toBeDefined();
      expect(rep!.failed).toBe(0);
      expect(rep!.passed).toBe(STRICT_CHECKS[el]);
      expect(r.status, describeRun(r)).toBe(0);
    });
  }
});

const qemuPresent = hasQemu();
if (!qemuPresent) console.warn("guests-ras.test.ts: qemu-system-aarch64 is not on PATH: skipping the differential tests against QEMU");

describe.skipIf(!qemuPresent)(`ras differential against QEMU -cpu max${qemuPresent ? "" : " (SKIPPED: qemu-system-aarch64 not on PATH)"}`, () => {
  for (const el of [2, 3] as const) {
    it(`booted at EL${el}: the same console output and exit status as QEMU, in both engines`, () => {
      const q = qemu(guest("ras"), el);
      expect(q.signal, `QEMU: ${describeRun(q)}`).toBeNull();
      const qr = report(q.stdout);
      expect(qr, `QEMU: ${describeRun(q)}`).toBeDefined();
      expect(qr!.failed, `QEMU: ${describeRun(q)}`).toBe(0);
      expect(qr!.passed).toBeGreaterThan(40);
      for (const [, flags] of ENGINES) {
        const a = armvisor(["run", ...flags, "--el", String(el), guest("ras")]);
        expect(lines(a.stdout)).toEqual(lines(q.stdout));
        expect(a.status).toBe(q.status);
      }
    }, 60_000);
  }
});
