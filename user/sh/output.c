/*
 * output.c - how the shell writes text: fd_printf, and "sh: what: why" errors.
 *
 * Everything the shell prints goes through fd_printf: format into memory,
 * then one write(2) to a file descriptor. No stdio buffer is involved, so
 * nothing half-printed sits in a buffer that fork() would copy into a child,
 * and a message is never split into pieces between other processes' output.
 * Writing to a closed fd (a builtin run with ">&-") just fails with EBADF.
 */
#include "user/sh/sh.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int fd_vprintf(int fd, const char *format, va_list args)
{
    char small[512];
    va_list again;
    va_copy(again, args);
    int length = vsnprintf(small, sizeof small, format, args);
    char *text = small;
    if (length >= (int)sizeof small) { /* too long for the stack buffer */
        text = mem_alloc((size_t)length + 1);
        vsnprintf(text, (size_t)length + 1, format, again);
    }
    va_end(again);
    ssize_t written = length > 0 ? write(fd, text, (size_t)length) : 0;
    if (text != small)
        free(text);
    return written < 0 ? -1 : (int)written;
}

int fd_printf(int fd, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int result = fd_vprintf(fd, format, args);
    va_end(args);
    return result;
}

static void error_vprint(int fd, const char *format, va_list args)
{
    char message[512];
    vsnprintf(message, sizeof message, format, args);
    fd_printf(fd, "sh: %s\n", message);
}

void shell_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    error_vprint(2, format, args);
    va_end(args);
}

/* Like shell_error, but on the builtin's own stderr (its "2>" redirection). */
void builtin_error(struct builtin_io *io, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    error_vprint(io->fd[2], format, args);
    va_end(args);
}
