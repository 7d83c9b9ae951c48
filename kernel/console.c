/*
 * console.c - the console is the serial port with the VGA screen as a mirror.
 *
 * The terminal at the other end of the serial line may have been left
 * without line wrap: SeaBIOS's serial console (QEMU's -nographic) sends
 * ESC[?7l, and then every line longer than the window is cut off.  ESC[?7h
 * turns wrap back on; it goes to the serial line only (the VGA screen always
 * wraps).
 */
#include "kernel/console.h"
#include "kernel/lock/spinlock.h"
#include "kernel/printk.h"
#include "kernel/serial.h"
#include "kernel/vga.h"

/* protected by: console_lock -- the serial port's transmitter and the VGA
 * screen's cursor, so bytes from two CPUs do not interleave mid-write.
 * Order: printk -> console.  Not taken once a panic stopped the other CPUs. */
static struct spinlock console_lock = SPINLOCK_INIT("console");

#define WRAP_ON "\033[?7h"

void console_init(void)
{
    serial_init();
    vga_init();
    serial_write(WRAP_ON, sizeof WRAP_ON - 1);
}

void console_write(const char *buf, size_t len)
{
    bool locked = !printk_panicking;
    if (locked)
        spin_lock(&console_lock);
    for (size_t i = 0; i < len; i++) {
        serial_putc(buf[i]);
        vga_putc(buf[i]);
    }
    if (locked)
        spin_unlock(&console_lock);
}
