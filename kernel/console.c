/* console.c - the console is the serial port with the VGA screen as a mirror. */
#include "kernel/console.h"
#include "kernel/serial.h"
#include "kernel/vga.h"

void console_init(void)
{
    serial_init();
    vga_init();
}

void console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        serial_putc(buf[i]);
        vga_putc(buf[i]);
    }
}
