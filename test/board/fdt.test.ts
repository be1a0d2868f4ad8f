// The FDT writer (src/board/fdt.ts) and the virt board's device tree
// (src/board/virt-dt.ts): the blob format, Debian's dtc reading our blobs
// without a single warning, and the tree against QEMU's own `-M virt` DTB.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Fdt, type FdtNode } from "../../src/board/fdt";
import { virtDeviceTree, virtDeviceTreeNodes, virtMpidrAffinity, type VirtDtConfig } from "../../src/board/virt-dt";
import { UserError } from "../../src/errors";

const hasTool = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return !r.error && r.status === 0;
};
const hasDtc = hasTool("dtc", ["--version"]);
const hasQemu = hasTool("qemu-system-aarch64", ["--version"]);
if (!hasDtc) console.warn("SKIPPING dtc checks of the device tree: dtc is not installed (Debian: device-tree-compiler)");
if (!hasQemu) console.warn("SKIPPING comparisons with QEMU's virt DTB: qemu-system-aarch64 is not installed");

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "armvisor-fdt-test-"));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let fileCount = 0;
// dtc -I dtb -O dts: its exit status, the source it prints, its warnings.
function dtc(blob: Uint8Array): { status: number | null; dts: string; stderr: string } {
  const file = join(tmp, `t${fileCount++}.dtb`);
  writeFileSync(file, blob);
  const r = spawnSync("dtc", ["-I", "dtb", "-O", "dts", file], { encoding: "utf8" });
  return { status: r.status, dts: r.stdout, stderr: r.stderr };
}

const be32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o);

describe("Fdt writer", () => {
  function sample(): Fdt {
    const fdt = new Fdt();
    fdt.reserve(0x4800_0000n, 0x1000n).reserve(0x1_0000_0000n, 0x20_0000n);
    fdt.root.setU32("#address-cells", 2).setU32("#size-cells", 2).setString("compatible", "test,board");
    const a = fdt.root.addNode("a@1000").setU64("reg", 0x1000n, 0x100n).setString("compatible", "test,a");
    const b = fdt.root.addNode("b").setStrings("compatible", "test,b", "test,generic").setEmpty("flag");
    b.setU32("ref", a.phandle()).setBytes("blob", new Uint8Array([1, 2, 3])).setU64("big", 0x1234_5678_9abc_def0n);
    return fdt;
  }

  it("writes a version 17 header with aligned, consistent blocks", () => {
    const blob = sample().toBytes();
    expect(be32(blob, 0)).toBe(0xd00dfeed);
    const [total, structOff, stringsOff, rsvOff, version, lastComp, cpu, stringsSize, structSize] =
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => be32(blob, 4 * i));
    expect(total).toBe(blob.length);
    expect(version).toBe(17);
    expect(lastComp).toBe(16);
    expect(cpu).toBe(0);
    expect(rsvOff % 8).toBe(0);
    expect(structOff % 4).toBe(0);
    expect(structOff).toBe(rsvOff + 16 * 3); // two entries and the terminator
    expect(stringsOff).toBe(structOff + structSize);
    expect(total).toBe(stringsOff + stringsSize);
    expect(be32(blob, structOff + structSize - 4)).toBe(9); // FDT_END
  });

  it("stores each property name once in the strings block", () => {
    const fdt = sample();
    for (let i = 0; i < 5; i++) fdt.root.addNode(`n${i}`).setString("compatible", "x").setU32("reg", i);
    const blob = fdt.toBytes();
    const strings = new TextDecoder().decode(blob.subarray(be32(blob, 12), be32(blob, 12) + be32(blob, 32)));
    const names = strings.split("\0").filter((s) => s !== "");
    expect(names.filter((n) => n === "compatible")).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
  });

  it("round-trips through its reader", () => {
    const blob = sample().toBytes();
    const back = Fdt.fromBytes(blob);
    expect(back.reservations).toEqual([{ address: 0x4800_0000n, size: 0x1000n }, { address: 0x1_0000_0000n, size: 0x20_0000n }]);
    expect(back.find("/a@1000")!.getU64s("reg")).toEqual([0x1000n, 0x100n]);
    expect(back.find("/b")!.getStrings("compatible")).toEqual(["test,b", "test,generic"]);
    expect(back.find("/b")!.prop("flag")).toEqual(new Uint8Array(0));
    expect(back.find("/b")!.prop("blob")).toEqual(new Uint8Array([1, 2, 3]));
    expect(back.find("/b")!.getU64s("big")).toEqual([0x1234_5678_9abc_def0n]);
    expect(back.find("/b")!.getU32s("ref")).toEqual([back.find("/a@1000")!.phandle()]);
    expect(back.toBytes()).toEqual(blob);
    // New phandles continue after the ones read.
    expect(back.root.addNode("c").phandle()).toBe(2);
  });

  it("gives each node one phandle", () => {
    const fdt = new Fdt();
    const x = fdt.root.addNode("x"), y = fdt.root.addNode("y");
    const px = x.phandle();
    expect(x.phandle()).toBe(px);
    expect(y.phandle()).not.toBe(px);
    expect(px).toBeGreaterThan(0);
  });

  it("rejects invalid names and values", () => {
    const root = new Fdt().root;
    expect(() => root.addNode("bad name")).toThrow(/node name/);
    expect(() => root.addNode("a".repeat(32))).toThrow(/node name/);
    expect(() => root.addNode("")).toThrow(/node name/);
    root.addNode("dup");
    expect(() => root.addNode("dup")).toThrow(/duplicate/);
    expect(() => root.setU32("bad=prop", 1)).toThrow(/property name/);
    expect(() => root.setU32("p", -1)).toThrow(/u32/);
    expect(() => root.setU32("p", 2 ** 32)).toThrow(/u32/);
    expect(() => root.setU64("p", -1n)).toThrow(/u64/);
    expect(() => root.setString("p", "a\0b")).toThrow(/NUL/);
  });

  it("rejects malformed blobs", () => {
    const blob = sample().toBytes();
    expect(() => Fdt.fromBytes(blob.subarray(0, 20))).toThrow(/header/);
    expect(() => Fdt.fromBytes(blob.subarray(0, blob.length - 4))).toThrow(/truncated/);
    const bad = blob.slice();
    bad[0] ^= 1;
    expect(() => Fdt.fromBytes(bad)).toThrow(/magic/);
  });

  it.skipIf(!hasDtc)("is read by dtc without warnings", () => {
    const r = dtc(sample().toBytes());
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.dts).toContain("/memreserve/\t0x0000000048000000 0x0000000000001000;");
    expect(r.dts).toContain('compatible = "test,b\\0test,generic";');
    expect(r.dts).toContain("big = <0x12345678 0x9abcdef0>;");
    expect(r.dts).toContain("blob = [01 02 03];");
  });
});

const BASE: VirtDtConfig = { ramBase: 0x4000_0000n, ramSize: 256n << 20n, cpus: 1, gicVersion: 3, virtualization: false };

describe("virt device tree", () => {
  const full: VirtDtConfig = {
    ...BASE, cpus: 4, virtualization: true, bootargs: "console=ttyAMA0 earlycon",
    initrd: { start: 0x4800_0000n, end: 0x4812_3456n }, rngSeed: new Uint8Array(32).map((_, i) => i), kaslrSeed: 0x0123_4567_89ab_cdefn,
  };

  it("describes the board as QEMU's virt does", () => {
    const t = Fdt.fromBytes(virtDeviceTree(full));
    const root = t.root;
    expect(root.getString("compatible")).toBe("linux,dummy-virt");
    expect(root.getU32s("#address-cells")).toEqual([2]);
    expect(root.getU32s("#size-cells")).toEqual([2]);
    expect(root.getU32s("interrupt-parent")).toEqual([t.find("/intc@8000000")!.phandle()]);
    expect(t.find("/psci")!.getString("method")).toBe("smc");
    expect(t.find("/memory@40000000")!.getU64s("reg")).toEqual([0x4000_0000n, 0x1000_0000n]);
    expect(t.find("/memory@40000000")!.getString("device_type")).toBe("memory");
    for (let i = 0; i < 4; i++) {
      const cpu = t.find(`/cpus/cpu@${i}`)!;
      expect(cpu.getU32s("reg")).toEqual([i]);
      expect(cpu.getString("enable-method")).toBe("psci");
      expect(cpu.getString("compatible")).toBe("arm,cortex-a57");
    }
    const intc = t.find("/intc@8000000")!;
    expect(intc.getString("compatible")).toBe("arm,gic-v3");
    expect(intc.getU64s("reg")).toEqual([0x800_0000n, 0x1_0000n, 0x80a_0000n, 0xf6_0000n]);
    expect(intc.getU32s("interrupts")).toEqual([1, 9, 4]);
    expect(t.find("/timer")!.getU32s("interrupts")).toEqual([1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4]);
    expect(t.find("/pl011@9000000")!.getU32s("interrupts")).toEqual([0, 1, 4]);
    expect(t.find("/pl011@9000000")!.getU32s("clocks")![0]).toBe(t.find("/apb-pclk")!.phandle());
    expect(t.find("/apb-pclk")!.getU32s("clock-frequency")).toEqual([24_000_000]);
    expect(t.find("/pl031@9010000")!.getU32s("interrupts")).toEqual([0, 2, 4]);
    for (let n = 0; n < 32; n++) {
      const v = t.find(`/virtio_mmio@${(0xa00_0000 + 0x200 * n).toString(16)}`)!;
      expect(v.getU32s("interrupts")).toEqual([0, 16 + n, 1]);
    }
    const chosen = t.find("/chosen")!;
    expect(chosen.getString("stdout-path")).toBe("/pl011@9000000");
    expect(chosen.getString("bootargs")).toBe("console=ttyAMA0 earlycon");
    expect(chosen.getU64s("linux,initrd-start")).toEqual([0x4800_0000n]);
    expect(chosen.getU64s("linux,initrd-end")).toEqual([0x4812_3456n]);
    expect(chosen.prop("rng-seed")).toEqual(full.rngSeed);
    expect(chosen.getU64s("kaslr-seed")).toEqual([0x0123_4567_89ab_cdefn]);
  });

  it("switches conduit, GIC regions and timer specifiers with the configuration", () => {
    const v2 = Fdt.fromBytes(virtDeviceTree({ ...BASE, cpus: 2, gicVersion: 2, virtualization: false }));
    expect(v2.find("/psci")!.getString("method")).toBe("hvc");
    expect(v2.find("/intc@8000000")!.getString("compatible")).toBe("arm,cortex-a15-gic");
    expect(v2.find("/intc@8000000")!.getU64s("reg")).toEqual([0x800_0000n, 0x1_0000n, 0x801_0000n, 0x1_0000n]);
    expect(v2.find("/intc@8000000")!.prop("interrupts")).toBeUndefined();
    expect(v2.find("/timer")!.getU32s("interrupts")).toEqual([1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10, 0x304]);
    const v2v = Fdt.fromBytes(virtDeviceTree({ ...BASE, cpus: 1, gicVersion: 2, virtualization: true }));
    expect(v2v.find("/intc@8000000")!.getU64s("reg")).toEqual(
      [0x800_0000n, 0x1_0000n, 0x801_0000n, 0x1_0000n, 0x803_0000n, 0x1_0000n, 0x804_0000n, 0x1_0000n]);
    expect(v2v.find("/timer")!.getU32s("interrupts")!.slice(0, 3)).toEqual([1, 13, 0x104]);
    const noEl2Vt = Fdt.fromBytes(virtDeviceTree({ ...BASE, virtualization: true, el2VirtualTimer: false }));
    expect(noEl2Vt.find("/timer")!.getU32s("interrupts")).toHaveLength(12);
    const few = Fdt.fromBytes(virtDeviceTree({ ...BASE, virtioMmio: 2, stdoutPath: "serial0" }));
    expect([...few.walk()].filter(([p]) => p.startsWith("/virtio_mmio@")).map(([p]) => p)).toEqual(["/virtio_mmio@a000000", "/virtio_mmio@a000200"]);
    expect(few.find("/chosen")!.getString("stdout-path")).toBe("serial0");
    expect(few.find("/chosen")!.prop("bootargs")).toBeUndefined();
    expect(Fdt.fromBytes(virtDeviceTree({ ...BASE, cpuCompatible: "arm,armv8" })).find("/cpus/cpu@0")!.getString("compatible")).toBe("arm,armv8");
  });

  it("numbers CPUs by MPIDR affinity in clusters of 16 (GICv3) or 8 (GICv2)", () => {
    expect(virtMpidrAffinity(15, 3)).toBe(0x00f);
    expect(virtMpidrAffinity(16, 3)).toBe(0x100);
    expect(virtMpidrAffinity(7, 2)).toBe(0x007);
    expect(virtMpidrAffinity(8, 2)).toBe(0x100);
    const t = virtDeviceTreeNodes({ ...BASE, cpus: 20 });
    expect(t.find("/cpus/cpu@103")!.getU32s("reg")).toEqual([0x103]);
  });

  it("rejects impossible configurations with a UserError", () => {
    expect(() => virtDeviceTree({ ...BASE, gicVersion: 2, cpus: 9 })).toThrow(UserError);
    expect(() => virtDeviceTree({ ...BASE, cpus: 124 })).toThrow(/1 to 123 CPUs/);
    expect(() => virtDeviceTree({ ...BASE, cpus: 0 })).toThrow(UserError);
    expect(() => virtDeviceTree({ ...BASE, virtioMmio: 33 })).toThrow(UserError);
  });

  // Xen's boot modules (docs/misc/arm/device-tree/booting.txt): dom0's
  // kernel and ramdisk under /chosen, and Xen's and dom0's command lines.
  const xen: VirtDtConfig = {
    ...BASE, ramSize: 1n << 30n, virtualization: true, bootargs: "dom0_mem=512M console=dtuart",
    xenBootargs: "dom0_mem=512M console=dtuart", dom0Bootargs: "console=hvc0",
    modules: [
      { addr: 0x4800_0000n, size: 0x1a0_9fc0n, kind: "kernel", bootargs: "console=hvc0" },
      { addr: 0x49c0_0000n, size: 0x10_9e47n, kind: "ramdisk" },
      { addr: 0x4a00_0000n, size: 0x1000n, kind: "module" },
    ],
  };

  it("describes boot modules under /chosen as Xen's device-tree boot protocol asks", () => {
    const t = Fdt.fromBytes(virtDeviceTree(xen));
    const chosen = t.find("/chosen")!;
    expect(chosen.getU32s("#address-cells")).toEqual([2]);
    expect(chosen.getU32s("#size-cells")).toEqual([2]);
    expect(chosen.getString("xen,xen-bootargs")).toBe("dom0_mem=512M console=dtuart");
    expect(chosen.getString("xen,dom0-bootargs")).toBe("console=hvc0");
    const kernel = t.find("/chosen/module@48000000")!;
    expect(kernel.getStrings("compatible")).toEqual(["multiboot,kernel", "multiboot,module"]);
    expect(kernel.getU64s("reg")).toEqual([0x4800_0000n, 0x1a0_9fc0n]);
    expect(kernel.getString("bootargs")).toBe("console=hvc0");
    const ramdisk = t.find("/chosen/module@49c00000")!;
    expect(ramdisk.getStrings("compatible")).toEqual(["multiboot,ramdisk", "multiboot,module"]);
    expect(ramdisk.getU64s("reg")).toEqual([0x49c0_0000n, 0x10_9e47n]);
    expect(ramdisk.prop("bootargs")).toBeUndefined();
    expect(t.find("/chosen/module@4a000000")!.getStrings("compatible")).toEqual(["multiboot,module"]);
    // Without modules, /chosen is as before: no cells, no Xen properties.
    const plain = Fdt.fromBytes(virtDeviceTree(BASE)).find("/chosen")!;
    for (const p of ["#address-cells", "#size-cells", "xen,xen-bootargs", "xen,dom0-bootargs"]) expect(plain.prop(p)).toBeUndefined();
    expect(plain.children).toEqual([]);
  });

  const dtcConfigs: [string, VirtDtConfig][] = [
    ["GICv3, 1 CPU", BASE],
    ["GICv3, 4 CPUs, EL2, /chosen complete", full],
    ["GICv2, 8 CPUs, EL2", { ...BASE, cpus: 8, gicVersion: 2, virtualization: true }],
    ["GICv3, 40 CPUs, 2 GiB", { ...BASE, cpus: 40, ramSize: 2n << 30n }],
    ["no virtio-mmio", { ...BASE, virtioMmio: 0 }],
    ["Xen with dom0's kernel, ramdisk and another module under /chosen", xen],
  ];
  describe.skipIf(!hasDtc)(`dtc -I dtb -O dts${hasDtc ? "" : " (SKIPPED: dtc not installed)"}`, () => {
    for (const [what, config] of dtcConfigs) {
      it(`reads ${what} without warnings`, () => {
        const r = dtc(virtDeviceTree(config));
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.dts).toContain('compatible = "linux,dummy-virt";');
      });
    }
  });
});

// ---- against QEMU's own tree ----

// Nodes of QEMU's tree armvisor's board does not have (see virt-dt.ts).
const OMITTED = ["/flash@0", "/fw-cfg@9020000", "/pl061@9030000", "/gpio-keys", "/pcie@10000000",
  "/platform-bus@c000000", "/intc@8000000/its@8080000", "/intc@8000000/v2m@8020000", "/smmuv3@9050000"];
// Properties holding phandles: compared by the path they point at.
const PHANDLE_PROPS = new Set(["interrupt-parent", "clocks", "cpu"]);
// QEMU generates these randomly.
const RANDOM_PROPS = new Set(["rng-seed", "kaslr-seed"]);

function qemuDtb(machine: string, cpus: number, mem: string): Fdt {
  const file = join(tmp, `qemu-${fileCount++}.dtb`);
  const r = spawnSync("qemu-system-aarch64",
    ["-M", `virt,${machine},dumpdtb=${file}`, "-cpu", "cortex-a57", "-smp", String(cpus), "-m", mem, "-display", "none"],
    { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`qemu-system-aarch64 failed: ${r.stderr}`);
  return Fdt.fromBytes(new Uint8Array(readFileSync(file)));
}

function phandlePaths(t: Fdt): Map<number, string> {
  const m = new Map<number, string>();
  for (const [path, node] of t.walk()) {
    const p = node.getU32s("phandle");
    if (p) m.set(p[0], path);
  }
  return m;
}

// Every difference between QEMU's tree and ours, as readable lines.
function differences(qemu: Fdt, ours: Fdt): string[] {
  const diffs: string[] = [];
  const qp = phandlePaths(qemu), op = phandlePaths(ours);
  const show = (n: FdtNode, name: string) => Array.from(n.prop(name) ?? []).join(",");
  for (const [path, q] of qemu.walk()) {
    if (OMITTED.some((o) => path === o || path.startsWith(`${o}/`))) continue;
    const o = ours.find(path);
    if (!o) {
      diffs.push(`missing node ${path}`);
      continue;
    }
    for (const name of q.props.keys()) {
      if (name === "phandle") continue;
      if (!o.props.has(name)) {
        diffs.push(`${path}: missing property ${name}`);
      } else if (PHANDLE_PROPS.has(name)) {
        const qt = q.getU32s(name)!.map((p) => qp.get(p)), ot = o.getU32s(name)!.map((p) => op.get(p));
        if (qt.join() !== ot.join()) diffs.push(`${path}: ${name} -> ${ot} (QEMU: ${qt})`);
      } else if (!RANDOM_PROPS.has(name) && show(q, name) !== show(o, name)) {
        diffs.push(`${path}: ${name} = [${show(o, name)}] (QEMU: [${show(q, name)}])`);
      }
    }
    for (const name of o.props.keys()) {
      if (name !== "phandle" && !q.props.has(name)) diffs.push(`${path}: extra property ${name}`);
    }
  }
  for (const [path] of ours.walk()) if (!qemu.find(path)) diffs.push(`extra node ${path}`);
  return diffs;
}

const seeds = { rngSeed: new Uint8Array(32), kaslrSeed: 1n };
const timerWithEl2Virt = (ppiFlags: number) =>
  `/timer: interrupts = [${[13, 14, 11, 10, 12].flatMap((ppi) => [0, 0, 0, 1, 0, 0, 0, ppi, 0, 0, ppiFlags >> 8, ppiFlags & 0xff]).join(",")}]`;

describe.skipIf(!hasQemu)(`against QEMU's -M virt DTB${hasQemu ? "" : " (SKIPPED: qemu-system-aarch64 not installed)"}`, () => {
  it("matches -M virt,gic-version=3 -m 256 except where documented", () => {
    const diffs = differences(qemuDtb("gic-version=3", 1, "256"), Fdt.fromBytes(virtDeviceTree({ ...BASE, ...seeds })));
    // QEMU leaves enable-method out with one CPU.
    expect(diffs).toEqual(["/cpus/cpu@0: extra property enable-method"]);
  });

  it("matches -M virt,gic-version=3,virtualization=on -smp 4 -m 1G except where documented", () => {
    const config: VirtDtConfig = { ...BASE, ramSize: 1n << 30n, cpus: 4, virtualization: true, ...seeds };
    const diffs = differences(qemuDtb("gic-version=3,virtualization=on", 4, "1G"), Fdt.fromBytes(virtDeviceTree(config)));
    // The EL2 virtual timer (QEMU 9.0+ lists it for CPUs with VHE).
    expect(diffs.map((d) => d.replace(/ \(QEMU.*$/, ""))).toEqual([timerWithEl2Virt(4)]);
  });

  it("matches -M virt,gic-version=2,virtualization=on -smp 2 except where documented", () => {
    const config: VirtDtConfig = { ...BASE, cpus: 2, gicVersion: 2, virtualization: true, ...seeds };
    const diffs = differences(qemuDtb("gic-version=2,virtualization=on", 2, "256"), Fdt.fromBytes(virtDeviceTree(config)));
    expect(diffs.map((d) => d.replace(/ \(QEMU.*$/, ""))).toEqual([timerWithEl2Virt(0x304)]);
  });

  it("matches -M virt,gic-version=2 -smp 8 -m 2G exactly", () => {
    const config: VirtDtConfig = { ...BASE, ramSize: 2n << 30n, cpus: 8, gicVersion: 2, ...seeds };
    expect(differences(qemuDtb("gic-version=2", 8, "2G"), Fdt.fromBytes(virtDeviceTree(config)))).toEqual([]);
  });

  // QEMU's -device guest-loader (hw/core/guest-loader.c) writes the same
  // module nodes, but names them module@0x<addr> (with the "0x" dtc warns
  // about), lists "multiboot,module" first, and puts no #address-cells,
  // #size-cells or xen,* properties in /chosen.
  it("describes boot modules as QEMU's -device guest-loader does", () => {
    const kernel = join(tmp, "gl-kernel"), initrd = join(tmp, "gl-initrd");
    writeFileSync(kernel, new Uint8Array(0x12345));
    writeFileSync(initrd, new Uint8Array(0x6789));
    const file = join(tmp, `qemu-${fileCount++}.dtb`);
    const r = spawnSync("qemu-system-aarch64", [
      "-M", `virt,gic-version=3,virtualization=on,dumpdtb=${file}`, "-cpu", "cortex-a57", "-m", "1G", "-display", "none",
      "-device", `guest-loader,addr=0x49000000,kernel=${kernel},bootargs=console=hvc0 earlycon=xen`,
      "-device", `guest-loader,addr=0x4d000000,initrd=${initrd}`,
    ], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const qemu = Fdt.fromBytes(new Uint8Array(readFileSync(file)));
    const ours = Fdt.fromBytes(virtDeviceTree({
      ...BASE, ramSize: 1n << 30n, virtualization: true,
      modules: [
        { addr: 0x4900_0000n, size: 0x12345n, kind: "kernel", bootargs: "console=hvc0 earlycon=xen" },
        { addr: 0x4d00_0000n, size: 0x6789n, kind: "ramdisk" },
      ],
    }));
    const modules = (t: Fdt) => t.find("/chosen")!.children.map((n) => ({
      reg: n.getU64s("reg"), compatible: [...n.getStrings("compatible")!].sort(), bootargs: n.getString("bootargs"),
    })).sort((a, b) => Number(a.reg![0] - b.reg![0]));
    expect(modules(qemu)).toHaveLength(2);
    expect(modules(ours)).toEqual(modules(qemu));
  });

  it("gives 20 CPUs QEMU's MPIDRs (named by unit address, where QEMU uses the index)", () => {
    const regs = (t: Fdt) => [...t.walk()].filter(([p]) => /^\/cpus\/cpu@/.test(p)).map(([, n]) => n.getU32s("reg")![0]).sort((a, b) => a - b);
    const qemu = qemuDtb("gic-version=3", 20, "256");
    const ours = Fdt.fromBytes(virtDeviceTree({ ...BASE, cpus: 20 }));
    expect(regs(ours)).toEqual(regs(qemu));
    expect(regs(ours)).toContain(0x100);
    for (const [path, node] of ours.walk()) {
      if (path.startsWith("/cpus/cpu@")) expect(path).toBe(`/cpus/cpu@${node.getU32s("reg")![0].toString(16)}`);
    }
  });
});
