/* textbuf.c - a growing text buffer (see textbuf.h). */
#include "kernel/lib/textbuf.h"
#include <stdarg.h>
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "mm/kheap.h"

static bool reserve(struct textbuf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->capacity)
        return true;
    size_t capacity = MAX(b->capacity * 2, 512);
    while (capacity < b->len + more + 1)
        capacity *= 2;
    char *data = kmalloc(capacity);
    if (!data) {
        b->failed = true;
        return false;
    }
    if (b->len)
        memcpy(data, b->data, b->len);
    kfree(b->data);
    b->data = data;
    b->capacity = capacity;
    return true;
}

void textbuf_append(struct textbuf *b, const void *data, size_t len)
{
    if (!reserve(b, len))
        return;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, args);
    va_end(args);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        textbuf_append(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(args, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, args);
    va_end(args);
    b->len += (size_t)n;
}

void textbuf_free(struct textbuf *b)
{
    kfree(b->data);
    *b = (struct textbuf){0};
}
