/*
 * printf.c - the printf builtin: printf FORMAT [ARG...]
 *
 * The format is C's, with %s %b %c %d %i %u %o %x %X %% and flags, width
 * and precision; escapes \n \t \\ \a \b \f \r \v \NNN (octal). When there
 * are more arguments than conversions, the format is used again, as POSIX
 * says, so printf '%s\n' a b c prints three lines. Missing arguments are
 * "" or 0.
 */
#include "user/sh/sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One escape at s (after the backslash); appends it, returns chars used. */
static size_t escape(const char *s, struct strbuf *out, bool *stop)
{
    static const char from[] = "nt\\abfrv\"", to[] = "\n\t\\\a\b\f\r\v\"";
    const char *hit = *s ? strchr(from, *s) : NULL;
    if (hit) {
        strbuf_addc(out, to[hit - from]);
        return 1;
    }
    if (*s == 'c') {
        *stop = true;
        return 1;
    }
    if (*s >= '0' && *s <= '7') {
        int value = 0;
        size_t used = 0;
        if (*s == '0')
            used++; /* \0NNN in %b */
        while (used < 4 && s[used] >= '0' && s[used] <= '7')
            value = value * 8 + (s[used++] - '0');
        strbuf_addc(out, (char)value);
        return used;
    }
    strbuf_addc(out, '\\');
    return 0;
}

static long number_argument(const char *s, struct builtin_io *io, int *status)
{
    if (s[0] == '\'' || s[0] == '"')
        return (unsigned char)s[1]; /* 'a: the character's code */
    char *end;
    long value = strtol(s, &end, 0);
    if (*s && *end) {
        builtin_error(io, "printf: %s: invalid number", s);
        *status = 1;
    }
    return value;
}

int builtin_printf(int argc, char **argv, struct builtin_io *io)
{
    if (argc < 2) {
        builtin_error(io, "printf: usage: printf FORMAT [ARG...]");
        return 2;
    }
    const char *format = argv[1];
    int arg = 2, status = 0;
    bool stop = false;
    struct strbuf out = {0};
    do {
        int first_arg = arg;
        for (const char *f = format; *f && !stop; f++) {
            if (*f == '\\') {
                f += escape(f + 1, &out, &stop);
                continue;
            }
            if (*f != '%') {
                strbuf_addc(&out, *f);
                continue;
            }
            if (f[1] == '%') {
                strbuf_addc(&out, '%');
                f++;
                continue;
            }
            char spec[32] = "%";
            size_t n = 1;
            for (f++; *f && strchr("-+ #0123456789.", *f) && n < 20; f++)
                spec[n++] = *f;
            char conversion = *f;
            if (!conversion)
                break;
            const char *value = arg < argc ? argv[arg++] : NULL;
            char buffer[512];
            if (conversion == 's' || conversion == 'b' || conversion == 'c') {
                struct strbuf text = {0};
                if (conversion == 'b') {
                    for (const char *c = value ? value : ""; *c && !stop; c++)
                        c += *c == '\\' ? escape(c + 1, &text, &stop) : (strbuf_addc(&text, *c), 0);
                } else if (conversion == 'c') {
                    if (value && *value)
                        strbuf_addc(&text, *value);
                } else {
                    strbuf_adds(&text, value ? value : "");
                }
                spec[n++] = 's';
                spec[n] = '\0';
                int length = snprintf(NULL, 0, spec, strbuf_str(&text));
                if (length > 0) {
                    char *formatted = mem_alloc((size_t)length + 1);
                    snprintf(formatted, (size_t)length + 1, spec, strbuf_str(&text));
                    strbuf_add(&out, formatted, (size_t)length);
                    free(formatted);
                }
                strbuf_free(&text);
            } else if (strchr("diouxX", conversion)) {
                long number = value ? number_argument(value, io, &status) : 0;
                spec[n++] = 'l';
                spec[n++] = conversion;
                spec[n] = '\0';
                int length = snprintf(buffer, sizeof buffer, spec, number);
                strbuf_add(&out, buffer,
                           length < (int)sizeof buffer ? (size_t)length : sizeof buffer - 1);
            } else {
                builtin_error(io, "printf: %%%c: invalid conversion", conversion);
                status = 2;
                stop = true;
            }
        }
        if (arg == first_arg)
            break; /* the format takes no arguments: once is enough */
    } while (arg < argc && !stop);
    if (out.length)
        fd_printf(io->fd[1], "%s", out.data);
    strbuf_free(&out);
    return status;
}
