// The command line: bad input is one line on stderr (no stack trace) and a
// non-zero exit status; --help; --max-insns; the default demo.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { armvisor, buildGuests, describeRun, guest, hasStackTrace, lines, type Run } from "./helpers/guests";

let tmp: string;

beforeAll(() => {
  buildGuests();
  tmp = mkdtempSync(join(tmpdir(), "armvisor-cli-test-"));
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function tmpFile(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

// A minimal ELF header (no sections), followed by one PT_LOAD program header.
function craftElf(opts: { class64: boolean; machine: number }): Uint8Array {
  const { class64, machine } = opts;
  const ehsize = class64 ? 64 : 52;
  const phentsize = class64 ? 56 : 32;
  const b = new Uint8Array(ehsize + phentsize + 16);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, class64 ? 2 : 1, 1 /* LSB */, 1 /* EV_CURRENT */]);
  dv.setUint16(16, 2, true);          // ET_EXEC
  dv.setUint16(18, machine, true);
  dv.setUint32(20, 1, true);          // e_version
  if (class64) {
    dv.setBigUint64(24, 0x40080000n, true); // e_entry
    dv.setBigUint64(32, 64n, true);         // e_phoff
    dv.setUint16(52, ehsize, true);
    dv.setUint16(54, phentsize, true);
    dv.setUint16(56, 1, true);
    dv.setUint32(64, 1, true);              // PT_LOAD
    dv.setBigUint64(64 + 8, BigInt(ehsize + phentsize), true);  // p_offset
    dv.setBigUint64(64 + 16, 0x40080000n, true);
    dv.setBigUint64(64 + 24, 0x40080000n, true);
    dv.setBigUint64(64 + 32, 16n, true);
    dv.setBigUint64(64 + 40, 16n, true);
  } else {
    dv.setUint32(24, 0x40080000, true);     // e_entry
    dv.setUint32(28, 52, true);             // e_phoff
    dv.setUint16(40, ehsize, true);
    dv.setUint16(42, phentsize, true);
    dv.setUint16(44, 1, true);
    dv.setUint32(52, 1, true);              // PT_LOAD
    dv.setUint32(52 + 4, ehsize + phentsize, true);
    dv.setUint32(52 + 8, 0x40080000, true);
    dv.setUint32(52 + 12, 0x40080000, true);
    dv.setUint32(52 + 16, 16, true);
    dv.setUint32(52 + 20, 16, true);
  }
  return b;
}

// One line on stderr, no stack trace, nothing on stdout, non-zero exit.
function expectOneLineError(r: Run, mentions?: RegExp): void {
  const why = describeRun(r);
  expect(r.signal, why).toBeNull();
  expect(r.status, why).not.toBe(0);
  expect(r.status, why).not.toBeNull();
  expect(hasStackTrace(r.stderr), why).toBe(false);
  expect(lines(r.stderr), why).toHaveLength(1);
  expect(r.stderr.trim(), why).not.toBe("");
  expect(r.stdout, why).toBe("");
  if (mentions) expect(r.stderr, why).toMatch(mentions);
}

describe("bad input: one line on stderr, non-zero exit", () => {
  it("a missing file", () => {
    expectOneLineError(armvisor(["run", join(tmp, "no-such-file.elf")]), /no-such-file\.elf/);
  });

  it("a directory", () => {
    expectOneLineError(armvisor(["run", tmp]));
  });

  it("a file that is not ELF, without --raw", () => {
    expectOneLineError(armvisor(["run", "package.json"]), /package\.json/);
  });

  it("an empty file, without and with --raw", () => {
    const p = tmpFile("empty", new Uint8Array(0));
    expectOneLineError(armvisor(["run", p]));
    expectOneLineError(armvisor(["run", "--raw", p]));
  });

  it("a 32-bit ELF", () => {
    const p = tmpFile("arm32.elf", craftElf({ class64: false, machine: 40 /* EM_ARM */ }));
    expectOneLineError(armvisor(["run", p]), /32|64-bit|class/i);
  });

  it("a 64-bit ELF for another machine (x86-64)", () => {
    const p = tmpFile("x86-64.elf", craftElf({ class64: true, machine: 62 /* EM_X86_64 */ }));
    expectOneLineError(armvisor(["run", p]), /AArch64|machine/i);
  });

  it("/bin/true (a host executable)", () => {
    if (!existsSync("/bin/true")) return;
    const bytes = new Uint8Array(readFileSync("/bin/true"));
    // Only meaningful where the host is not AArch64.
    if (new DataView(bytes.buffer).getUint16(18, true) === 183) return;
    expectOneLineError(armvisor(["run", "/bin/true"]));
  });

  for (const n of [40, 100, 512]) {
    it(`a truncated AArch64 ELF (the first ${n} bytes of hello.elf)`, () => {
      const p = tmpFile(`hello-${n}.elf`, readFileSync(guest("hello")).subarray(0, n));
      expectOneLineError(armvisor(["run", p]), /truncated|past the end|short/i);
    });
  }

  it("a raw binary loaded outside RAM", () => {
    expectOneLineError(armvisor(["run", "--raw", "--load", "0x0", guest("hello", "build", "bin")]), /RAM/);
  });

  it("-m 0", () => {
    expectOneLineError(armvisor(["run", "-m", "0", guest("hello")]), /memory|MiB/i);
  });

  it("-m 5000 (more than a 4 GiB WebAssembly memory)", () => {
    expectOneLineError(armvisor(["run", "-m", "5000", guest("hello")]), /memory|MiB/i);
  });

  it("--el 4 and --el 0", () => {
    expectOneLineError(armvisor(["run", "--el", "4", guest("hello")]), /EL|--el/);
    expectOneLineError(armvisor(["run", "--el", "0", guest("hello")]), /EL|--el/);
  });

  it("an unknown option", () => {
    expectOneLineError(armvisor(["run", "--frobnicate", guest("hello")]), /frobnicate/);
  });

  it("malformed numbers", () => {
    expectOneLineError(armvisor(["run", "--entry", "xyz", guest("hello")]), /xyz/);
    expectOneLineError(armvisor(["run", "--max-insns", "-5", guest("hello")]), /-5/);
  });

  it("no file", () => {
    expectOneLineError(armvisor(["run"]));
  });

  it("an unknown command", () => {
    expectOneLineError(armvisor(["frob"]), /frob/);
  });
});

describe("boot: bad input is one line and a non-zero exit", () => {
  // The start of an arm64 Image, cut inside its 64-byte header (magic at 0x38).
  function truncatedImage(): Uint8Array {
    const b = new Uint8Array(60);
    new DataView(b.buffer).setUint32(0x38, 0x644d5241, true); // "ARM\x64"
    return b;
  }
  const expectOneLine = (r: Run, re: RegExp) => {
    expect(r.status, describeRun(r)).not.toBe(0);
    expect(lines(r.stderr), describeRun(r)).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expect(hasStackTrace(r.stderr)).toBe(false);
  };
  it("a truncated Image", () => {
    const k = tmpFile("Image.trunc", truncatedImage());
    expectOneLine(armvisor(["boot", "--kernel", k]), /truncated arm64 Image/);
  });
  it("a gzip file that is not a kernel", async () => {
    const { gzipSync } = await import("node:zlib");
    const k = tmpFile("notkernel.gz", new Uint8Array(gzipSync(Buffer.from("just some text\n".repeat(10)))));
    expectOneLine(armvisor(["boot", "--kernel", k]), /gzip data is not an arm64 Linux Image/);
  });
  it("a missing initrd", () => {
    const k = tmpFile("Image.ok", truncatedImage());
    expectOneLine(armvisor(["boot", "--kernel", k, "--initrd", join(tmp, "no-such-initrd")]), /initrd .*no such file/);
  });
  it("an impossible -m", () => {
    const k = tmpFile("Image.m", truncatedImage());
    expectOneLine(armvisor(["boot", "--kernel", k, "-m", "100000"]), /invalid memory size/);
    expectOneLine(armvisor(["boot", "--kernel", k, "-m", "8"]), /invalid memory size/);
    expectOneLine(armvisor(["boot", "--kernel", k, "-m", "0"]), /not a size in MiB/);
  });
  it("a missing --module file, a module that does not fit in RAM, a --module without a file name", () => {
    const k = tmpFile("Image.mod", truncatedImage());
    expectOneLine(armvisor(["boot", "--virtualization", "--kernel", k, "--module", join(tmp, "no-such-dom0")]), /^armvisor: module \(dom0 kernel\) .*no-such-dom0: no such file$/m);
    const dom0 = tmpFile("dom0.img", new Uint8Array(1024));
    expectOneLine(armvisor(["boot", "--kernel", k, "--module", dom0, "--module", join(tmp, "no-such-initrd")]), /^armvisor: module \(ramdisk\) .*no-such-initrd: no such file$/m);
    expectOneLine(armvisor(["boot", "--kernel", k, "--module", ",console=hvc0"]), /--module needs a file name/);
    // A well-formed Image (64-byte header, image_size 64 KiB) and a 20 MiB module in 16 MiB of RAM.
    const img = new Uint8Array(64);
    const dv = new DataView(img.buffer);
    dv.setBigUint64(16, 0x1_0000n, true);
    dv.setBigUint64(24, 0xan, true);
    dv.setUint32(0x38, 0x644d_5241, true);
    const big = tmpFile("big.img", new Uint8Array(20 << 20));
    expectOneLine(armvisor(["boot", "--virtualization", "--kernel", tmpFile("Image.hdr", img), "-m", "16", "--module", `${big},console=hvc0`]),
      /^armvisor: .*big\.img: the 20 MiB module does not fit in RAM \(.* free at 0x4[0-9a-f]+ after the kernel; use more RAM\)$/m);
  });
  it("no kernel, an unknown guest, a bad --smp, --gic, --drive flag", () => {
    expectOneLine(armvisor(["boot"]), /no kernel/);
    expectOneLine(armvisor(["boot", "freebsd"]), /unknown guest/);
    const k = tmpFile("Image.s", truncatedImage());
    expectOneLine(armvisor(["boot", "--kernel", k, "--smp", "0"]), /vCPU count/);
    expectOneLine(armvisor(["boot", "--kernel", k, "--smp", "9", "--gic", "2"]), /invalid vCPU count: 9/);
    expectOneLine(armvisor(["boot", "--kernel", k, "--gic", "4"]), /GIC version must be 2 or 3/);
    expectOneLine(armvisor(["boot", "--kernel", k, "--drive", `${k},rw`]), /unknown flag/);
  });
});

describe("small RAM sizes", () => {
  // -m accepts 1 MiB and up, and hello (0x40080000..0x40094000) fits in 1 MiB.
  // Either it runs, or it is refused in one line: never an internal error.
  for (const m of [1, 2]) {
    it(`-m ${m} runs hello or refuses in one line`, () => {
      const r = armvisor(["run", "-m", String(m), guest("hello")]);
      expect(hasStackTrace(r.stderr), describeRun(r)).toBe(false);
      expect(r.stderr, describeRun(r)).not.toMatch(/internal error/);
      if (r.status === 0) expect(r.stdout).toBe("Hello from armvisor guest at EL1\n");
      else expectOneLineError(r);
    });
  }
});

describe("--max-insns", () => {
  it("stops mips after 1000 instructions with status 124 and one line saying so", () => {
    const r = armvisor(["run", "--max-insns", "1000", guest("mips")]);
    const why = describeRun(r);
    expect(r.status, why).toBe(124);
    expect(hasStackTrace(r.stderr), why).toBe(false);
    expect(lines(r.stderr), why).toHaveLength(1);
    expect(r.stderr, why).toMatch(/limit/i);
    expect(r.stderr, why).toMatch(/1000/);
  });
});

describe("--no-semihosting", () => {
  // At EL3 the runtime exits through semihosting only: without it HLT is
  // UNDEFINED, the guest reports that and waits in WFI with nothing to wake
  // it -- the run ends (status 3, one line) instead of spinning forever.
  it("hello at EL3 ends, with one line saying every vCPU waits", () => {
    const r = armvisor(["run", "--no-semihosting", "--el", "3", guest("hello")]);
    const why = describeRun(r);
    expect(r.status, why).toBe(3);
    expect(lines(r.stdout), why).toEqual(["Hello from armvisor guest at EL3", expect.stringMatching(/^UNEXPECTED EXCEPTION at EL3 vector=0x200 esr=0x2000000 /)]);
    expect(lines(r.stderr), why).toEqual([expect.stringMatching(/waits for an interrupt/)]);
  });
});

describe("--gic", () => {
  it("refuses a version other than 2 or 3 in one line", () => {
    expectOneLineError(armvisor(["run", "--gic", "4", guest("hello")]), /GIC version/);
  });
});

describe("help", () => {
  it("--help exits 0 and names the run command", () => {
    const r = armvisor(["--help"]);
    expect(r.status, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/\brun\b/);
    expect(r.stderr).toBe("");
  });

  it("run --help exits 0 and lists the run command's options", () => {
    const r = armvisor(["run", "--help"]);
    expect(r.status, describeRun(r)).toBe(0);
    for (const opt of ["--el", "-m", "--memory", "--entry", "--max-insns", "--stats", "--raw", "--load", "--gic"]) {
      expect(r.stdout, `run --help should list ${opt}`).toContain(opt);
    }
    expect(r.stderr).toBe("");
  });
});

describe("the default demo", () => {
  it("armvisor run guests/prebuilt/hello.elf prints the greeting and exits 0", () => {
    const r = armvisor(["run", "guests/prebuilt/hello.elf"]);
    expect(r.status, describeRun(r)).toBe(0);
    expect(r.stdout).toBe("Hello from armvisor guest at EL1\n");
    expect(r.stderr).toBe("");
  });
});
