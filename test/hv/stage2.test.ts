// The stage 2 table the host builds for a VM (src/hv/stage2.ts): read back
// descriptor by descriptor and checked against the Arm ARM's stage 2 formats
// (4 KiB granule, 40-bit IPA, start level 1: VTCR_EL2.T0SZ = 24, SL0 = 1),
// then walked by the core with a guest running behind it.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import { Core, ABI } from "../../src/core/core";
import { Vcpu } from "../../src/hv/vcpu";
import { buildStage2, STAGE2_RESERVED } from "../../src/hv/stage2";
import { assemble } from "../helpers/asm";

const RAM = 0x4000_0000n;
const MiB = 1n << 20n;
const wasm = (): Uint8Array => fs.readFileSync("build/core.wasm");

// A leaf: output address | block (0b01, levels 1-2) or page (0b11, level 3)
// | MemAttr 0b1111 (Normal Write-Back) | S2AP 0b11 (read/write) | SH 0b11 | AF; XN = 0.
const leaf = (pa: bigint, level: number): bigint => pa | (level === 3 ? 3n : 1n) | (0xfn << 2n) | (3n << 6n) | (3n << 8n) | (1n << 10n);

async function built(ramBytes: bigint, vmid = 1): Promise<{ core: Core; vtcr: bigint; vttbr: bigint; desc: (table: bigint, index: number) => bigint }> {
  const core = await Core.create(wasm(), { ramBase: RAM, ramSize: Number(ramBytes) + STAGE2_RESERVED, highestEL: 1, semihosting: false, hostStage2: true });
  const { vtcr, vttbr } = buildStage2(core, { ramBase: RAM, ramSize: ramBytes, tables: RAM + ramBytes, tablesSize: STAGE2_RESERVED, vmid });
  const desc = (table: bigint, index: number): bigint => new DataView(core.readRam(table + BigInt(index) * 8n, 8).buffer).getBigUint64(0, true);
  return { core, vtcr, vttbr, desc };
}
const tableOf = (d: bigint): bigint => {
  expect(d & 3n, `0x${d.toString(16)} is a table descriptor`).toBe(3n);
  return d & 0x0000_ffff_ffff_f000n;
};

describe("the host's stage 2 table", () => {
  it("VTCR_EL2: T0SZ 24, SL0 1, 4 KiB granule, PS 40 bits, Inner Shareable Write-Back walks; VTTBR_EL2: the tables after RAM, VMID", async () => {
    const { vtcr, vttbr } = await built(16n * MiB, 7);
    expect(vtcr & 0x3fn, "T0SZ").toBe(24n);
    expect((vtcr >> 6n) & 3n, "SL0").toBe(1n);
    expect((vtcr >> 8n) & 0x3fn, "IRGN0, ORGN0, SH0").toBe(1n | (1n << 2n) | (3n << 4n));
    expect((vtcr >> 14n) & 3n, "TG0").toBe(0n);
    expect((vtcr >> 16n) & 7n, "PS").toBe(2n);
    expect(vttbr >> 48n, "VMID").toBe(7n);
    expect(vttbr & 0x0000_ffff_ffff_fffen, "BADDR").toBe(RAM + 16n * MiB);
  });

  it("1 GiB of RAM at 0x4000_0000 is one level 1 block; the rest of the 40-bit IPA space is invalid", async () => {
    const { vttbr, desc } = await built(1024n * MiB);
    const root = vttbr & 0x0000_ffff_ffff_f000n;
    expect(desc(root, 1).toString(16)).toBe(leaf(RAM, 1).toString(16));
    for (const i of [0, 2, 3, 511, 512, 1023]) expect(desc(root, i), `root[${i}]`).toBe(0n);
  });

  it("17 MiB: 2 MiB blocks for the first 16 MiB, 4 KiB pages for the last, nothing past RAM", async () => {
    const { vttbr, desc } = await built(17n * MiB);
    const l2 = tableOf(desc(vttbr & 0x0000_ffff_ffff_f000n, 1));
    for (let i = 0; i < 8; i++) expect(desc(l2, i).toString(16), `level 2 [${i}]`).toBe(leaf(RAM + BigInt(i) * 2n * MiB, 2).toString(16));
    const l3 = tableOf(desc(l2, 8));
    for (const i of [0, 1, 255]) expect(desc(l3, i).toString(16), `level 3 [${i}]`).toBe(leaf(RAM + 16n * MiB + BigInt(i) * 0x1000n, 3).toString(16));
    for (const i of [256, 511]) expect(desc(l3, i), `level 3 [${i}]: past RAM`).toBe(0n);
    expect(desc(l2, 9), "level 2 [9]").toBe(0n);
  });

  it("a guest behind it reads the last byte of its RAM; the first byte after it (the tables) is an MMIO exit", async () => {
    const ram = 17n * MiB;
    const { core, vtcr, vttbr } = await built(ram);
    core.exports.reset(1);
    core.setSysreg(ABI.SR_VTCR_EL2, vtcr);
    core.setSysreg(ABI.SR_VTTBR_EL2, vttbr);
    core.setSysreg(ABI.SR_HCR_EL2, 1n | (1n << 31n));
    core.writeRam(RAM + ram - 8n, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const at = RAM + 0x8_0000n;
    core.writeRam(at, assemble("  ldr x2, [x0]\n  ldr x3, [x1]\n  hvc #0", at));
    core.pc = at;
    core.setX(0, RAM + ram - 8n);
    core.setX(1, RAM + ram);
    const vcpu = new Vcpu(core);
    const x = vcpu.run(100n);
    expect(x).toMatchObject({ kind: "mmio", addr: RAM + ram, isWrite: false });
    expect(core.x(2).toString(16)).toBe("807060504030201");
    vcpu.completeMmioRead(0x55n);
    expect(vcpu.run(100n)).toMatchObject({ kind: "hvc", imm: 0 });
    expect(core.x(3)).toBe(0x55n);
  });
});
