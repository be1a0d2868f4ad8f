// A guest hypervisor at EL2 on the host's VM (src/hv/vm.ts) with a GICv3:
// it programs a list register through ICH_*_EL2 (system-register exits to
// the host's GIC), routes IRQs to EL2 (HCR_EL2.IMO) and drops to EL1, where
// the virtual IRQ the GIC's virtual CPU interface signals (LINE_VIRQ) is
// taken and handled through the ICC_* encodings, which reach ICV_*. The
// whole path: core -> EXIT_SYSREG -> GIC model -> control lines -> core.
// The bare-metal guest guests/vgic does the same with the GIC's memory-
// mapped frames and the maintenance interrupt, checked against QEMU.
import { describe, it, expect, beforeAll } from "vitest";
import * as fs from "node:fs";
import { Core, ABI } from "../../src/core/core";
import { Vm, type VmResult } from "../../src/hv/vm";
import { Bus } from "../../src/board/bus";
import { icountClock } from "../../src/hv/clock";
import { GicV3, iccRegisterName } from "../../src/devices/gicv3";
import { GicV2 } from "../../src/devices/gicv2";
import { PL011 } from "../../src/devices/pl011";
import { loadElf } from "../../src/loader/elf";
import { VIRT_MEMMAP, VIRT_IRQ } from "../../src/board/virt-dt";
import { assemble } from "../helpers/asm";
import { buildGuests, guest, hasQemu, qemu, lines, report } from "../helpers/guests";

const RAM = 0x4000_0000n, ENTRY = 0x4008_0000n;

// QEMU's virt board with virtualization=on, gic-version=3, for one PE: the
// guest boots at EL2, the GIC Distributor and Redistributor and the PL011
// are where QEMU has them; PSCI through SMC.
async function el2Machine(): Promise<{ core: Core; gic: GicV3; vm: Vm; output: () => string }> {
  const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: RAM, ramSize: 16 << 20, highestEL: 2, semihosting: false, gic: 3 });
  const gic = new GicV3({ cpus: 1 });
  const bus = new Bus();
  bus.map(VIRT_MEMMAP.gicDist.base, gic.distributor);
  bus.map(VIRT_MEMMAP.gicRedist.base, gic.redistributors);
  let out = "";
  const uart = new PL011({ write: (b: Uint8Array) => { out += Buffer.from(b).toString("latin1"); } }, gic.spiLine(32 + VIRT_IRQ.uart));
  bus.map(VIRT_MEMMAP.uart.base, uart);
  const vm = new Vm(core, {
    bus,
    gic: {
      irqLine: (c) => gic.irqLine(c), fiqLine: (c) => gic.fiqLine(c),
      set onChange(f) { gic.onChange = f; }, get onChange() { return gic.onChange; },
      setPpi: (c, intid, level) => gic.setPpi(c, intid, level),
      sysregName: (...k) => iccRegisterName(...k),
      readSysreg: (c, name, a) => gic.readSysreg(c, name, a),
      writeSysreg: (c, name, v, a) => gic.writeSysreg(c, name, v, a),
    },
    timerIntids: { phys: 30, virt: 27, hyp: 26 },
    poll: () => uart.flush(),
  }, { cpus: 1, affinity: () => 0, bootEL: 2, clock: icountClock(), jit: false });
  return { core, gic, vm, output: () => { uart.flush(); return out; } };
}

async function runGuest(source: string, maxInstructions = 1_000_000n): Promise<{ result: VmResult; core: Core; gic: GicV3 }> {
  const { core, gic, vm } = await el2Machine();
  core.writeRam(ENTRY, assemble(source, ENTRY));
  vm.boot(ENTRY);
  const result = await vm.run(maxInstructions);
  return { result, core, gic };
}

// EL2: vectors, the virtual interface (En; VENG1 and VPMR 0xF8), LR0 =
// vINTID 42 Pending, Group 1, priority 0xA0; HCR_EL2.IMO; ERET to EL1 with
// DAIF masked. EL1: WFI (a masked virtual IRQ is pending: it completes),
// HPPIR1, unmask -> the IRQ vector acknowledges and EOIs through ICV_*;
// then PSCI SYSTEM_OFF by SMC (the host owns EL3).
const GUEST = `
  .text
_start:
  adr x0, el1_vectors
  msr vbar_el1, x0
  mov x0, #1                   // ICH_HCR_EL2.En
  msr ich_hcr_el2, x0
  ldr x0, =0xf8000002          // ICH_VMCR_EL2: VPMR 0xF8, VENG1
  msr ich_vmcr_el2, x0
  ldr x0, =0x50a000000000002a  // ICH_LR0_EL2: State Pending, Group 1, Priority 0xA0, vINTID 42
  msr ich_lr0_el2, x0
  ldr x0, =0x80000010          // HCR_EL2: RW, IMO
  msr hcr_el2, x0
  isb
  adr x0, el1
  msr elr_el2, x0
  mov x0, #0x3c5               // EL1h, DAIF masked
  msr spsr_el2, x0
  eret
el1:
  wfi
  mrs x19, icc_hppir1_el1
  msr daifclr, #2
  nop
  ldr x0, =0x84000008          // PSCI SYSTEM_OFF
  smc #0
  b .
  .ltorg

  .balign 2048
el1_vectors:
  .balign 128; b .             // current EL with SP_EL0: synchronous
  .balign 128; b .
  .balign 128; b .
  .balign 128; b .
  .balign 128; b .             // current EL with SP_ELx: synchronous
  .balign 128                  // IRQ
  mrs x20, icc_iar1_el1
  msr icc_eoir1_el1, x20
  add x21, x21, #1
  eret
`;

describe("a guest hypervisor's list register, delivered on the host's VM", () => {
  it("EL1 takes the virtual IRQ, acknowledges vINTID 42 through ICV_IAR1 and EOIs it; WFI with it pending does not idle the vCPU", async () => {
    const { result, core, gic } = await runGuest(GUEST);
    expect(result.kind).toBe("system-off");
    expect(core.x(19)).toBe(42n);                  // ICV_HPPIR1_EL1
    expect(core.x(20)).toBe(42n);                  // ICV_IAR1_EL1 in the handler
    expect(core.x(21)).toBe(1n);                   // taken once
    const lr0 = gic.readSysreg(0, "ICH_LR0_EL2", { el: 2, imo: true, fmo: false });
    expect(lr0 >> 62n).toBe(0n);                   // Invalid after the EOI
    expect(gic.readSysreg(0, "ICH_ELRSR_EL2", { el: 2, imo: true, fmo: false }) & 1n).toBe(1n);
    expect(gic.virqLine(0)).toBe(false);
    expect(core.sysreg(ABI.SR_ESR_EL1)).toBe(0n);  // an interrupt writes no syndrome
  });
});

describe("guests/vgic: a bare-metal hypervisor's list register, EOI maintenance interrupt and HCR_EL2.VI", () => {
  beforeAll(() => { buildGuests(); }, 180_000);

  it("passes every check at EL2 on armvisor, with the output QEMU gives where it is installed", async () => {
    const { core, vm, output } = await el2Machine();
    const image = loadElf(new Uint8Array(fs.readFileSync(guest("vgic"))), "vgic.elf");
    for (const seg of image.segments) {
      const bytes = new Uint8Array(seg.memSize);
      bytes.set(seg.data);
      core.writeRam(seg.addr, bytes);
    }
    vm.boot(image.entry);
    const result = await vm.run(50_000_000n);
    const out = output();
    expect(lines(out).filter((l) => !l.startsWith("PASS")), out).toEqual(["vgic guest at EL2", `${report(out)?.passed} passed, 0 failed`]);
    expect(result.kind, out).toBe("system-off");
    expect(report(out)!.passed).toBeGreaterThanOrEqual(19);
    if (hasQemu()) {
      const q = qemu(guest("vgic"), 2, 30_000, "gic-version=3", "cortex-a57");
      expect(q.stdout).toBe(out);
    }
  });
});

// The same with GICv2: EL2 writes GICH_VMCR, GICH_LR0 and GICH_HCR (MMIO at
// 0x0803_0000), EL1 acknowledges and ends the interrupt at GICV (0x0804_0000).
const GUEST_V2 = `
  .text
_start:
  adr x0, el1_vectors
  msr vbar_el1, x0
  ldr x1, =0x08030000          // GICH
  ldr w0, =0xf8000002          // GICH_VMCR: VMPriMask 0x1F (0xF8), VMGrp1En
  str w0, [x1, #0x08]
  ldr w0, =0x5a00002a          // GICH_LR0: Grp1, State Pending, Priority 0xA0 (0x14 << 23), VirtualID 42
  str w0, [x1, #0x100]
  mov w0, #1                   // GICH_HCR.En
  str w0, [x1, #0x00]
  ldr x0, =0x80000010          // HCR_EL2: RW, IMO
  msr hcr_el2, x0
  isb
  adr x0, el1
  msr elr_el2, x0
  mov x0, #0x3c5
  msr spsr_el2, x0
  eret
el1:
  msr daifclr, #2
  nop
  ldr x1, =0x08030000
  ldr w22, [x1, #0x100]        // GICH_LR0 after (EL1 can reach it here: no stage 2)
  ldr x0, =0x84000008
  smc #0
  b .
  .ltorg

  .balign 2048
el1_vectors:
  .balign 128; b .
  .balign 128; b .
  .balign 128; b .
  .balign 128; b .
  .balign 128; b .
  .balign 128                  // current EL with SP_ELx, IRQ
  ldr x1, =0x08040000          // GICV
  ldr w20, [x1, #0x20]         // GICV_AIAR
  str w20, [x1, #0x24]         // GICV_AEOIR
  add x21, x21, #1
  eret
  .ltorg
`;

describe("a guest hypervisor's GICv2 list register, delivered on the host's VM", () => {
  it("EL2 programs GICH, EL1 takes the virtual IRQ and acknowledges and ends vINTID 42 at GICV", async () => {
    const core = await Core.create(fs.readFileSync("build/core.wasm"), { ramBase: RAM, ramSize: 16 << 20, highestEL: 2, semihosting: false });
    let vm: Vm | undefined;
    const gic = new GicV2({ cpus: 1, currentCpu: () => vm?.currentCpu ?? 0 });
    const bus = new Bus();
    bus.map(VIRT_MEMMAP.gicDist.base, gic.distributor);
    bus.map(VIRT_MEMMAP.gicCpu.base, gic.cpuInterface);
    bus.map(VIRT_MEMMAP.gicHyp.base, gic.hypInterface);
    bus.map(VIRT_MEMMAP.gicVcpu.base, gic.virtualCpuInterface);
    vm = new Vm(core, {
      bus,
      gic: {
        irqLine: (c) => gic.irqLine(c), fiqLine: (c) => gic.fiqLine(c),
        set onChange(f) { gic.onChange = f; }, get onChange() { return gic.onChange; },
        setPpi: (c, intid, level) => gic.setPpi(c, intid, level),
      },
      timerIntids: { phys: 30, virt: 27, hyp: 26 },
    }, { cpus: 1, affinity: () => 0, bootEL: 2, clock: icountClock(), jit: false });
    core.writeRam(ENTRY, assemble(GUEST_V2, ENTRY));
    vm.boot(ENTRY);
    const result = await vm.run(1_000_000n);
    expect(result.kind).toBe("system-off");
    expect(core.x(20)).toBe(42n);
    expect(core.x(21)).toBe(1n);
    expect((core.x(22) >> 28n) & 3n).toBe(0n);      // GICH_LR0.State: Invalid
    expect(gic.virqLine(0)).toBe(false);
  });
});
