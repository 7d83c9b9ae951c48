/* serial.h - the COM1 serial port: sprout's primary console. */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include "kernel/types.h"

void serial_init(void);
/* Send one byte, waiting until the transmitter is free.  Safe in any context. */
void serial_putc(char c);
/* Send `len` bytes as they are (no \n -> \r\n); for control sequences. */
void serial_write(const char *buf, size_t len);
/* Turn on the receive interrupt (IRQ 4); each byte received is passed to
 * `receive`, in interrupt context. */
void serial_enable_input(void (*receive)(char c));

#endif
