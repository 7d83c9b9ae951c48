/* format.c - a small vsnprintf for printk, procfs and friends. */
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

struct out {
    char *buf;
    size_t size;
    size_t len; /* characters produced so far, even past size */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_repeat(struct out *o, char c, int count)
{
    while (count-- > 0)
        put(o, c);
}

struct spec {
    bool left, zero, plus, space, alt;
    int width, precision; /* precision -1: none given */
};

static void put_number(struct out *o, u64 value, bool negative, unsigned base, bool upper,
                       const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[value % base];
        value /= base;
    } while (value);

    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (sp->plus)
        prefix = "+";
    else if (sp->space)
        prefix = " ";
    else if (sp->alt && base == 16)
        prefix = upper ? "0X" : "0x";
    else if (sp->alt && base == 8 && tmp[n - 1] != '0')
        prefix = "0";

    int digits_wanted = sp->precision > n ? sp->precision : n;
    int total = (int)strlen(prefix) + digits_wanted;
    int pad = sp->width > total ? sp->width - total : 0;

    if (!sp->left && !(sp->zero && sp->precision < 0))
        put_repeat(o, ' ', pad);
    for (const char *p = prefix; *p; p++)
        put(o, *p);
    if (!sp->left && sp->zero && sp->precision < 0)
        put_repeat(o, '0', pad);
    put_repeat(o, '0', digits_wanted - n);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
    if (!s)
        s = "(null)";
    int len = (int)(sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s));
    int pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left)
        put_repeat(o, ' ', pad);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = {buf, size, 0};

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        struct spec sp = {.precision = -1};
        for (;; fmt++) {
            char f = fmt[1];
            if (f == '-')
                sp.left = true;
            else if (f == '0')
                sp.zero = true;
            else if (f == '+')
                sp.plus = true;
            else if (f == ' ')
                sp.space = true;
            else if (f == '#')
                sp.alt = true;
            else
                break;
        }
        fmt++;
        if (*fmt == '*') {
            sp.width = va_arg(args, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            sp.precision = 0;
            if (*fmt == '*') {
                sp.precision = va_arg(args, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.precision = sp.precision * 10 + (*fmt++ - '0');
            }
        }
        int longs = 0; /* 0: int, 1: long, 2: long long; size_t counts as long */
        bool half = false;
        for (;; fmt++) {
            if (*fmt == 'l' || *fmt == 'z' || *fmt == 't' || *fmt == 'j')
                longs++;
            else if (*fmt == 'h')
                half = true;
            else
                break;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            i64 v = longs ? va_arg(args, i64) : va_arg(args, int);
            if (half)
                v = (short)v;
            put_number(&o, v < 0 ? 0 - (u64)v : (u64)v, v < 0, 10, false, &sp);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            u64 v = longs ? va_arg(args, u64) : va_arg(args, unsigned);
            if (half)
                v = (unsigned short)v;
            unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            put_number(&o, v, false, base, *fmt == 'X', &sp);
            break;
        }
        case 'p': {
            sp.alt = true;
            put_number(&o, (u64)(uintptr_t)va_arg(args, void *), false, 16, false, &sp);
            break;
        }
        case 's':
            put_string(&o, va_arg(args, const char *), &sp);
            break;
        case 'c':
            put(&o, (char)va_arg(args, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--; /* a lone '%' at the end: stop cleanly */
            break;
        default: /* unknown conversion: print it as written */
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
