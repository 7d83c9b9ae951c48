/* vga.h - the 80x25 VGA text screen, a mirror of the serial console. */
#ifndef KERNEL_VGA_H
#define KERNEL_VGA_H

#include "kernel/types.h"

void vga_init(void);
/* Draw one character; understands \n \r \b \t and the few ANSI escape
 * sequences full-screen programs use (cursor position, clear, erase line). */
void vga_putc(char c);

#endif
