// QARMA5 (FEAT_PACQARMA5's ComputePAC) against the published QARMA-64 test
// vectors: Avanzi, "The QARMA Block Cipher Family", ToSC 2017(1), test
// vectors for QARMA-64 with sigma_2 (the S-box the Arm ARM's PACSub uses)
// and r = 5. ComputePAC(data, modifier, key0, key1) is the encryption of
// data with tweak modifier under w0 = key0 (APxxKeyHi), k0 = key1 (APxxKeyLo).
import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { Core } from "../../src/core/core";

const hex = (v: bigint) => "0x" + BigInt.asUintN(64, v).toString(16).padStart(16, "0");

describe("QARMA5 ComputePAC", async () => {
  const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: 0x4000_0000n, ramSize: 1 << 20, highestEL: 1, semihosting: false });
  const pac = (p: bigint, t: bigint, w0: bigint, k0: bigint) => BigInt.asUintN(64, core.exports.pauthComputePAC(p, t, w0, k0));
  it("the paper's vector: P = 0xfb623599da6e8127, T = 0x477d469dec0b8762, w0 = 0x84be85ce9804e94b, k0 = 0xec2802d4e0a488e9 -> 0xc003b93999b33765", () => {
    expect(hex(pac(0xfb623599da6e8127n, 0x477d469dec0b8762n, 0x84be85ce9804e94bn, 0xec2802d4e0a488e9n))).toBe("0xc003b93999b33765");
  });
  it("depends on every input: changing one bit of data, tweak or either key changes the result", () => {
    const base = pac(0xfb623599da6e8127n, 0x477d469dec0b8762n, 0x84be85ce9804e94bn, 0xec2802d4e0a488e9n);
    for (const bit of [0n, 31n, 63n]) {
      expect(pac(0xfb623599da6e8127n ^ (1n << bit), 0x477d469dec0b8762n, 0x84be85ce9804e94bn, 0xec2802d4e0a488e9n)).not.toBe(base);
      expect(pac(0xfb623599da6e8127n, 0x477d469dec0b8762n ^ (1n << bit), 0x84be85ce9804e94bn, 0xec2802d4e0a488e9n)).not.toBe(base);
      expect(pac(0xfb623599da6e8127n, 0x477d469dec0b8762n, 0x84be85ce9804e94bn ^ (1n << bit), 0xec2802d4e0a488e9n)).not.toBe(base);
      expect(pac(0xfb623599da6e8127n, 0x477d469dec0b8762n, 0x84be85ce9804e94bn, 0xec2802d4e0a488e9n ^ (1n << bit))).not.toBe(base);
    }
  });
});
