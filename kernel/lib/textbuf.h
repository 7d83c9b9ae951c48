/* textbuf.h - a growing text buffer for generated files (/proc). */
#ifndef KERNEL_LIB_TEXTBUF_H
#define KERNEL_LIB_TEXTBUF_H

#include "kernel/types.h"

struct textbuf {
    char *data;
    size_t len, capacity;
    bool failed; /* out of memory: the text is incomplete */
};

/* Append formatted text, growing the buffer as needed. */
void textbuf_printf(struct textbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void textbuf_append(struct textbuf *b, const void *data, size_t len);
void textbuf_free(struct textbuf *b);

#endif
