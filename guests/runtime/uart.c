/* armvisor guest runtime: PL011 UART output and a tiny printf. */
#include <stdarg.h>
#include "rt.h"

#define UART_BASE 0x09000000UL
#define UART_DR   0x00
#define UART_FR   0x18
#define FR_TXFF   (1u << 5)

static inline u32 mmio_read32(u64 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(u64 addr, u32 v) { *(volatile u32 *)addr = v; }

void uart_putc(char c)
{
    while (mmio_read32(UART_BASE + UART_FR) & FR_TXFF)
        ;
    mmio_write32(UART_BASE + UART_DR, (u8)c);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_put_hex_width(u64 v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char buf[16];
    int n = 0;
    do {
        buf[n++] = hex[v & 15];
        v >>= 4;
    } while (v && n < 16);
    while (n < digits && n < 16)
        buf[n++] = '0';
    while (n)
        uart_putc(buf[--n]);
}

void uart_put_hex(u64 v)
{
    uart_puts("0x");
    uart_put_hex_width(v, 1);
}

void uart_put_udec(u64 v)
{
    char buf[20];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        uart_putc(buf[--n]);
}

void uart_put_dec(s64 v)
{
    if (v < 0) {
        uart_putc('-');
        uart_put_udec((u64)0 - (u64)v);
    } else {
        uart_put_udec((u64)v);
    }
}

/*
 * printf subset: %%, %c, %s, %d/%i, %u, %x, %p, with optional '0' flag,
 * width (used for %x/%d/%u/%s padding) and 'l'/'ll'/'z' length modifiers.
 */
static void pad(int n, char c)
{
    while (n-- > 0)
        uart_putc(c);
}

static int num_len(u64 v, unsigned base)
{
    int n = 1;
    while (v >= base) {
        v /= base;
        n++;
    }
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            uart_putc(*fmt);
            continue;
        }
        fmt++;
        char padc = ' ';
        int width = 0, longs = 0;
        if (*fmt == '0') {
            padc = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case '%':
            uart_putc('%');
            break;
        case 'c':
            uart_putc((char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            pad(width - (int)strlen(s), ' ');
            uart_puts(s);
            break;
        }
        case 'd':
        case 'i': {
            s64 v = longs ? va_arg(ap, s64) : va_arg(ap, int);
            u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;
            int len = num_len(mag, 10) + (v < 0);
            if (padc == '0' && v < 0)
                uart_putc('-');
            pad(width - len, padc);
            if (padc != '0' && v < 0)
                uart_putc('-');
            uart_put_udec(mag);
            break;
        }
        case 'u': {
            u64 v = longs ? va_arg(ap, u64) : va_arg(ap, unsigned);
            pad(width - num_len(v, 10), padc);
            uart_put_udec(v);
            break;
        }
        case 'x': {
            u64 v = longs ? va_arg(ap, u64) : va_arg(ap, unsigned);
            pad(width - num_len(v, 16), padc);
            uart_put_hex_width(v, 1);
            break;
        }
        case 'p':
            uart_put_hex((u64)va_arg(ap, void *));
            break;
        case '\0':
            fmt--;
            break;
        default:
            uart_putc('%');
            uart_putc(*fmt);
            break;
        }
    }
    va_end(ap);
    return 0;
}
