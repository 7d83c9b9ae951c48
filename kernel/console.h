/* console.h - where kernel and user output ends up: serial + VGA. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

void console_init(void);
/* Put bytes on the serial port and the VGA screen exactly as given. */
void console_write(const char *buf, size_t len);

#endif
