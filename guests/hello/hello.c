/* hello: prints "Hello from armvisor guest at EL<n>" and powers off with status 0. */
#include "rt.h"

int main(void)
{
    uart_puts("Hello from armvisor guest at EL");
    uart_putc((char)('0' + current_el()));
    uart_putc('\n');
    return 0;
}
