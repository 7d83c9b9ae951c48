/* format.h - printf-style formatting into a buffer. */
#ifndef KERNEL_LIB_FORMAT_H
#define KERNEL_LIB_FORMAT_H

#include <stdarg.h>
#include "kernel/types.h"

/*
 * Supports %d %i %u %x %X %o %p %s %c %%, the l / ll / z / h length
 * modifiers, flags '-', '0', '+', ' ', '#', a width and a precision (both may be '*').
 * Always NUL-terminates when size > 0; returns the length the full output
 * would have had, like C's snprintf.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif
