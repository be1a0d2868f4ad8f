// Floating-point oracle for the armvisor FP library tests: runs one A64
// instruction per input line on the real (here: QEMU user-mode) CPU.
//
// Build: aarch64-linux-gnu-gcc -O1 -static -o fp-oracle scripts/fp-oracle.c
// Run:   qemu-aarch64 ./fp-oracle < cases.txt
//
// Input line:  INSN FPCR A B C          (hex; INSN is the 32-bit encoding)
// Before INSN: FPCR = FPCR, FPSR = 0, NZCV = 0, d0 = A, d1 = B, d2 = C (upper
// halves of v0..v2 zero), x0 = A, x1 = B, x2 = C.
// Output line: D0 X0 NZCV FPSR          (hex; D0 = low 64 bits of v0 after)
// The instruction is written into an executable page followed by RET and
// called, so any single instruction that only touches v0..v2, x0..x2, NZCV
// and FPSR can be tested.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(void) {
  uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  static char buf[1 << 16];
  setvbuf(stdout, buf, _IOFBF, sizeof buf);
  char line[256];
  uint32_t last = 0;
  int have = 0;
  while (fgets(line, sizeof line, stdin)) {
    unsigned int insn;
    unsigned long long fpcr, a, b, c;
    if (sscanf(line, "%x %llx %llx %llx %llx", &insn, &fpcr, &a, &b, &c) != 5) {
      fprintf(stderr, "bad line: %s", line);
      return 1;
    }
    if (!have || insn != last) {
      code[0] = insn;
      code[1] = 0xd65f03c0; // ret
      __builtin___clear_cache((char *)code, (char *)(code + 2));
      last = insn;
      have = 1;
    }
    uint64_t fpsr, nzcv, d0, x0;
    __asm__ volatile(
        "msr fpcr, %[fpcr]\n"
        "msr fpsr, xzr\n"
        "msr nzcv, xzr\n"
        "fmov d0, %[a]\n"
        "fmov d1, %[b]\n"
        "fmov d2, %[c]\n"
        "mov x0, %[a]\n"
        "mov x1, %[b]\n"
        "mov x2, %[c]\n"
        "blr %[fn]\n"
        "mrs %[fpsr], fpsr\n"
        "mrs %[nzcv], nzcv\n"
        "fmov %[d0], d0\n"
        "mov %[x0], x0\n"
        "msr fpcr, xzr\n"
        : [fpsr] "=&r"(fpsr), [nzcv] "=&r"(nzcv), [d0] "=&r"(d0), [x0] "=&r"(x0)
        : [fpcr] "r"(fpcr), [a] "r"(a), [b] "r"(b), [c] "r"(c), [fn] "r"(code)
        : "x0", "x1", "x2", "x30", "v0", "v1", "v2", "memory", "cc");
    printf("%llx %llx %llx %llx\n", (unsigned long long)d0, (unsigned long long)x0,
           (unsigned long long)nzcv, (unsigned long long)fpsr);
  }
  fflush(stdout);
  return 0;
}
