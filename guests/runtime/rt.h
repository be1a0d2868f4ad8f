/* armvisor guest runtime: common declarations. */
#ifndef ARMVISOR_RT_H
#define ARMVISOR_RT_H

typedef unsigned char      u8;
typedef unsigned short     u16;
typedef unsigned int       u32;
typedef unsigned long      u64;
typedef signed char        s8;
typedef short              s16;
typedef int                s32;
typedef long               s64;
typedef unsigned long      uintptr_t;
typedef unsigned long      size_t;

#define NULL ((void *)0)

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

static inline unsigned current_el(void)
{
    return (unsigned)((read_sysreg(CurrentEL) >> 2) & 3);
}

/* uart.c */
void uart_putc(char c);
void uart_puts(const char *s);          /* no newline appended */
void uart_put_hex(u64 v);               /* "0x" + minimal hex digits */
void uart_put_hex_width(u64 v, int digits);
void uart_put_udec(u64 v);
void uart_put_dec(s64 v);
int  printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* exit.c */
void exit(int code) __attribute__((noreturn));
void semihosting_exit(u64 code) __attribute__((noreturn));
void rt_unexpected_exception(u64 vector_offset) __attribute__((noreturn));

/* check.c: prints "PASS name" or "FAIL name got=0x.. want=0x.."; check_report()
 * prints "N passed, M failed" and returns (M != 0). */
void check(const char *name, u64 got, u64 want);
void check2(const char *name, const char *suffix, u64 got, u64 want); /* name is name+suffix */
int  check_report(void);

/* string.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int   memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
