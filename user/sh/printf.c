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

#define PRINTF_WIDTH_MAX 4096 /* wider fields are refused, not a gigabyte of spaces */

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

struct printf_run {
    struct strbuf out; /* everything printed, written with one write() at the end */
    int status;
    bool stop; /* \c, or a bad conversion */
    struct builtin_io *io;
};

/* Formats one argument with one conversion: spec holds "%" and the flags,
 * width and precision (n characters so far). */
static void convert(struct printf_run *run, char *spec, size_t n, char conversion,
                    const char *value)
{
    if (conversion == 's' || conversion == 'b' || conversion == 'c') {
        struct strbuf text = {0};
        if (conversion == 'b') {
            for (const char *c = value ? value : ""; *c && !run->stop; c++) {
                if (*c == '\\')
                    c += escape(c + 1, &text, &run->stop);
                else
                    strbuf_addc(&text, *c);
            }
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
            strbuf_add(&run->out, formatted, (size_t)length);
            free(formatted);
        }
        strbuf_free(&text);
    } else if (strchr("diouxX", conversion)) {
        long number = value ? number_argument(value, run->io, &run->status) : 0;
        spec[n++] = 'l';
        spec[n++] = conversion;
        spec[n] = '\0';
        char buffer[PRINTF_WIDTH_MAX + 64];
        int length = snprintf(buffer, sizeof buffer, spec, number);
        if (length > 0)
            strbuf_add(&run->out, buffer,
                       length < (int)sizeof buffer ? (size_t)length : sizeof buffer - 1);
    } else {
        builtin_error(run->io, "printf: %%%c: invalid conversion", conversion);
        run->status = 2;
        run->stop = true;
    }
}

/* After a '%': reads flags, width and precision into spec. Returns where
 * the conversion letter is, or NULL (after a message) for a width too big. */
static const char *read_spec(struct printf_run *run, const char *f, char *spec, size_t *n)
{
    for (; *f && strchr("-+ #0123456789.", *f) && *n < 20; f++)
        spec[(*n)++] = *f;
    spec[*n] = '\0';
    for (const char *c = spec + 1; *c; c++) {
        if (*c >= '1' && *c <= '9' && atol(c) > PRINTF_WIDTH_MAX) {
            builtin_error(run->io, "printf: %s: width or precision over %d", spec,
                          PRINTF_WIDTH_MAX);
            run->status = 2;
            run->stop = true;
            return NULL;
        }
        while (c[1] >= '0' && c[1] <= '9')
            c++;
    }
    return f;
}

int builtin_printf(int argc, char **argv, struct builtin_io *io)
{
    if (argc < 2) {
        builtin_error(io, "printf: usage: printf FORMAT [ARG...]");
        return 2;
    }
    const char *format = argv[1];
    int arg = 2;
    struct printf_run run = {.io = io};
    do {
        int first_arg = arg;
        for (const char *f = format; *f && !run.stop; f++) {
            if (*f == '\\') {
                f += escape(f + 1, &run.out, &run.stop);
            } else if (*f != '%') {
                strbuf_addc(&run.out, *f);
            } else if (f[1] == '%') {
                strbuf_addc(&run.out, '%');
                f++;
            } else {
                char spec[32] = "%";
                size_t n = 1;
                f = read_spec(&run, f + 1, spec, &n);
                if (f && !*f) {
                    builtin_error(io, "printf: %s: missing format character", spec);
                    run.status = 2;
                }
                if (!f || !*f)
                    break;
                convert(&run, spec, n, *f, arg < argc ? argv[arg++] : NULL);
            }
        }
        if (arg == first_arg)
            break; /* the format takes no arguments: once is enough */
    } while (arg < argc && !run.stop);
    if (run.out.length)
        fd_printf(io->fd[1], "%s", run.out.data);
    strbuf_free(&run.out);
    return run.status;
}
