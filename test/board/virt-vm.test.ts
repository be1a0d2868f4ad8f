// The virt board's VM with the host as hypervisor, end to end on small
// guests: the guest runs behind the stage 2 the board built (VMID 1), and
// its exits reach the VM's handlers by ESR_EL2.EC: device MMIO (EC 0x24,
// completed even where ISV = 0), PSCI through HVC (EC 0x16), and a fetch
// from an IPA without RAM (EC 0x20), which stops the VM with an error.
import { describe, it, expect } from "vitest";
import { VirtBoard } from "../../src/board/virt";
import { ABI } from "../../src/core/core";
import { readCoreWasm } from "../../src/node/core-wasm";
import { assemble } from "../helpers/asm";

const RAM = 0x4000_0000n, ENTRY = 0x4008_0000n, UART = 0x0900_0000n;
const EC_HVC64 = 0x16, EC_DABT_LOW = 0x24;

async function board(source: string): Promise<{ b: VirtBoard; out: () => string }> {
  let out = "";
  const b = await VirtBoard.create({ wasm: readCoreWasm("release"), ramMiB: 16, console: { write: (bytes) => { out += new TextDecoder().decode(bytes); } }, jit: false });
  b.core.writeRam(ENTRY, assemble(source, ENTRY));
  b.vm.boot(ENTRY);
  return { b, out: () => out };
}

describe("virt board: the guest in a VM behind the host's stage 2", () => {
  it("each vCPU gets the host's EL2 state: HCR_EL2.VM, VTTBR_EL2 VMID 1 with the tables after the guest's 16 MiB", async () => {
    const { b } = await board("  hvc #0");
    const core = b.core;
    expect(core.sysreg(ABI.SR_HCR_EL2) & 1n, "HCR_EL2.VM").toBe(1n);
    expect(core.sysreg(ABI.SR_VTTBR_EL2) >> 48n, "VMID").toBe(1n);
    expect(core.sysreg(ABI.SR_VTTBR_EL2) & 0x0000_ffff_ffff_f000n, "the root table").toBe(RAM + (16n << 20n));
    expect(core.u32(ABI.CONFIG_HOST_STAGE2)).toBe(1);
  });

  it("UART writes by STRB (ISV = 1) and by a post-indexed STR (ISV = 0) both reach the PL011; PSCI SYSTEM_OFF by HVC; exits counted by EC", async () => {
    const { b, out } = await board(`
  mov x1, #0x${UART.toString(16)}
  mov w2, #0x301
  str w2, [x1, #0x30]          // UARTCR: UARTEN, TXE, RXE
  mov w2, #'h'
  strb w2, [x1]
  mov w2, #'v'
  str w2, [x1], #0             // writeback form: no instruction syndrome
  ldr w3, [x1, #0x18]          // UARTFR
  ldr x0, =0x84000008          // PSCI SYSTEM_OFF
  hvc #0
  .ltorg`);
    const r = await b.run(10_000n);
    expect(r).toEqual({ kind: "system-off", status: 0 });
    expect(out()).toBe("hv");
    const counts = Object.fromEntries(b.vm.exitCounts().map((e) => [e.ec, e.count]));
    expect(counts).toEqual({ [EC_DABT_LOW]: 4n, [EC_HVC64]: 1n });
    expect(b.core.counter(ABI.CNT_TLB_FILLS_VMID + 8), "TLB entries filled under VMID 1").toBeGreaterThan(0n);
  });

  it("a jump to an IPA without RAM stops the VM with an error naming the IPA (stage 2 Instruction Abort)", async () => {
    const { b } = await board(`
  mov x1, #0x${UART.toString(16)}
  add x1, x1, #0x40
  br x1`);
    const r = await b.run(10_000n);
    expect(r.kind).toBe("error");
    expect(r.kind === "error" && r.message).toMatch(/instruction fetch at PC 0x9000040 from IPA 0x9000040, where the VM has no RAM .*ESR_EL2 0x82000005\)/);
  });
});
