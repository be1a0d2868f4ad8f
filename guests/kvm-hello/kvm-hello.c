// kvm-hello: the smallest KVM user of all, run inside an armvisor guest to
// prove the guest's hypervisor works (issue 7). It opens /dev/kvm, creates a
// VM with 64 KiB of RAM and one vCPU, and runs guest code that writes
// "hello from a nested guest" byte by byte to an MMIO "serial port" (an
// address no memory slot covers, so each store is a KVM_EXIT_MMIO) and then
// powers off through PSCI SYSTEM_OFF (KVM_EXIT_SYSTEM_EVENT). It prints each
// byte, then how many exits it handled, and exits 0; any other exit or a
// failed ioctl prints one line and exits 1.
//
// Freestanding (no libc): raw Linux system calls, and the few KVM UAPI
// numbers and structures it needs written out here from
// include/uapi/linux/kvm.h and arch/arm64/include/uapi/asm/kvm.h, so it
// builds with the cross compiler alone.
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

// ---- system calls (arm64 numbers) ----
#define SYS_openat 56
#define SYS_close 57
#define SYS_write 64
#define SYS_exit_group 94
#define SYS_mmap 222
#define SYS_ioctl 29
#define AT_FDCWD (-100)
#define O_RDWR 2
#define O_CLOEXEC 0x80000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20

static long syscall6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}
#define sys3(n, a, b, c) syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

// ---- KVM UAPI ----
#define KVMIO 0xAE
#define IOC(dir, nr, size) (((unsigned long)(dir) << 30) | ((unsigned long)(size) << 16) | (KVMIO << 8) | (nr))
#define KVM_GET_API_VERSION IOC(0, 0x00, 0)
#define KVM_CREATE_VM IOC(0, 0x01, 0)
#define KVM_GET_VCPU_MMAP_SIZE IOC(0, 0x04, 0)
#define KVM_CREATE_VCPU IOC(0, 0x41, 0)
#define KVM_SET_USER_MEMORY_REGION IOC(1, 0x46, sizeof(struct kvm_userspace_memory_region))
#define KVM_RUN IOC(0, 0x80, 0)
#define KVM_SET_ONE_REG IOC(1, 0xac, sizeof(struct kvm_one_reg))
#define KVM_ARM_VCPU_INIT IOC(1, 0xae, sizeof(struct kvm_vcpu_init))
#define KVM_ARM_PREFERRED_TARGET IOC(2, 0xaf, sizeof(struct kvm_vcpu_init))

struct kvm_userspace_memory_region { u32 slot, flags; u64 guest_phys_addr, memory_size, userspace_addr; };
struct kvm_one_reg { u64 id, addr; };
struct kvm_vcpu_init { u32 target; u32 features[7]; };
#define KVM_ARM_VCPU_PSCI_0_2 2      // the guest's PSCI calls are KVM's (SYSTEM_OFF -> system event)

// The start of struct kvm_run and the two exit records used here.
struct kvm_run {
  u8 request_interrupt_window, immediate_exit, padding1[6];
  u32 exit_reason;
  u8 ready_for_interrupt_injection, if_flag;
  u16 flags;
  u64 cr8, apic_base;
  union {
    struct { u64 phys_addr; u8 data[8]; u32 len; u8 is_write; } mmio;
    struct { u32 type, ndata; u64 data[16]; } system_event;
    u64 hardware_exit_reason;
    char padding[256];
  };
};
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_SYSTEM_EVENT 24
#define KVM_SYSTEM_EVENT_SHUTDOWN 1

// Core register ids: KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
// offsetof(struct kvm_regs, regs.pc) / 4 (user_pt_regs: x0..x30, sp, pc, pstate).
#define KVM_REG_ARM64_CORE_U64 (0x6000000000000000UL | 0x0030000000000000UL | 0x0010UL << 16)
#define REG_PC (KVM_REG_ARM64_CORE_U64 | (32 * 8 / 4))

// ---- the nested guest ----
#define GUEST_RAM 0x10000UL          // 64 KiB of RAM at guest physical address 0
#define GUEST_SERIAL 0x10000000UL    // the "serial port": no memory slot there
// Position-independent, copied to guest address 0. MMU off: every data
// access is Device memory, so each STRB reaches KVM as one MMIO write.
__asm__(
  ".pushsection .rodata.guest, \"a\"\n"
  ".balign 4\n"
  "guest_code:\n"
  "  adr x1, 2f\n"
  "  movz x2, #0x1000, lsl #16\n"          // GUEST_SERIAL
  "1: ldrb w3, [x1], #1\n"
  "  cbz w3, 3f\n"
  "  strb w3, [x2]\n"
  "  b 1b\n"
  "3: movz x0, #0x0008\n"
  "  movk x0, #0x8400, lsl #16\n"          // PSCI SYSTEM_OFF
  "  hvc #0\n"
  "  b .\n"
  "2: .asciz \"hello from a nested guest\\n\"\n"
  ".balign 4\n"
  "guest_code_end:\n"
  ".popsection\n");
extern const u8 guest_code[], guest_code_end[];

// ---- output ----
static u64 strlen0(const char *s) { u64 n = 0; while (s[n]) n++; return n; }
static void put(const char *s) { sys3(SYS_write, 1, s, strlen0(s)); }
static void putnum(u64 v) {
  char b[24]; int i = 23; b[i] = 0;
  do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
  put(b + i);
}
static void fail(const char *what, long r) {
  put("kvm-hello: "); put(what); put(" failed (");
  if (r < 0) { put("errno "); putnum((u64)-r); } else { put("result "); putnum((u64)r); }
  put(")\n");
  syscall6(SYS_exit_group, 1, 0, 0, 0, 0, 0);
}
static long check(const char *what, long r) { if (r < 0) fail(what, r); return r; }

static int run(void) {
  long kvm = sys3(SYS_openat, AT_FDCWD, "/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) fail("open /dev/kvm", kvm);
  long api = check("KVM_GET_API_VERSION", sys3(SYS_ioctl, kvm, KVM_GET_API_VERSION, 0));
  if (api != 12) fail("KVM API version 12", api);
  long vm = check("KVM_CREATE_VM", sys3(SYS_ioctl, kvm, KVM_CREATE_VM, 0));

  u8 *ram = (u8 *)syscall6(SYS_mmap, 0, GUEST_RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if ((long)ram < 0 && (long)ram > -4096) fail("mmap guest RAM", (long)ram);
  for (const u8 *p = guest_code; p < guest_code_end; p++) ram[p - guest_code] = *p;
  struct kvm_userspace_memory_region region = { 0, 0, 0, GUEST_RAM, (u64)ram };
  check("KVM_SET_USER_MEMORY_REGION", sys3(SYS_ioctl, vm, KVM_SET_USER_MEMORY_REGION, &region));

  long vcpu = check("KVM_CREATE_VCPU", sys3(SYS_ioctl, vm, KVM_CREATE_VCPU, 0));
  struct kvm_vcpu_init init;
  check("KVM_ARM_PREFERRED_TARGET", sys3(SYS_ioctl, vm, KVM_ARM_PREFERRED_TARGET, &init));
  init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
  check("KVM_ARM_VCPU_INIT", sys3(SYS_ioctl, vcpu, KVM_ARM_VCPU_INIT, &init));
  u64 pc = 0; // reset PSTATE is EL1h with DAIF masked
  struct kvm_one_reg reg = { REG_PC, (u64)&pc };
  check("KVM_SET_ONE_REG (PC)", sys3(SYS_ioctl, vcpu, KVM_SET_ONE_REG, &reg));

  long size = check("KVM_GET_VCPU_MMAP_SIZE", sys3(SYS_ioctl, kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
  struct kvm_run *r = (struct kvm_run *)syscall6(SYS_mmap, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if ((long)r < 0 && (long)r > -4096) fail("mmap kvm_run", (long)r);

  u64 exits = 0, mmio = 0;
  for (;;) {
    check("KVM_RUN", sys3(SYS_ioctl, vcpu, KVM_RUN, 0));
    exits++;
    if (r->exit_reason == KVM_EXIT_MMIO && r->mmio.is_write && r->mmio.phys_addr == GUEST_SERIAL && r->mmio.len == 1) {
      mmio++;
      sys3(SYS_write, 1, r->mmio.data, 1);
      continue;
    }
    if (r->exit_reason == KVM_EXIT_SYSTEM_EVENT && r->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN) break;
    put("kvm-hello: unexpected exit, reason "); putnum(r->exit_reason);
    if (r->exit_reason == KVM_EXIT_MMIO) { put(" at "); putnum(r->mmio.phys_addr); }
    put("\n");
    return 1;
  }
  put("kvm-hello: "); putnum(exits); put(" exits handled ("); putnum(mmio);
  put(" MMIO writes), the nested guest powered off\n");
  sys3(SYS_close, vcpu, 0, 0);
  sys3(SYS_close, vm, 0, 0);
  sys3(SYS_close, kvm, 0, 0);
  return 0;
}

void _start(void) {
  syscall6(SYS_exit_group, run(), 0, 0, 0, 0, 0);
  for (;;) {}
}
