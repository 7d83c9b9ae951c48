/*
 * strbuf.c - growable strings and string lists, and the allocation calls
 * they rest on.
 *
 * A shell handles text of any length (a line, a word, an expanded $PATH), so
 * nothing here has a fixed size. A shell that cannot allocate cannot do
 * anything useful either, so running out of memory ends it with a message
 * rather than returning NULL into every caller.
 */
#include "user/sh/sh.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mem_fail(void)
{
    static const char message[] = "sh: out of memory\n";
    (void)!write(2, message, sizeof message - 1);
    _exit(2);
}

void *mem_alloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (!p)
        mem_fail();
    return p;
}

void *mem_realloc(void *old, size_t size)
{
    void *p = realloc(old, size ? size : 1);
    if (!p)
        mem_fail();
    return p;
}

char *mem_strndup(const char *s, size_t length)
{
    char *copy = mem_alloc(length + 1);
    memcpy(copy, s, length);
    copy[length] = '\0';
    return copy;
}

char *mem_strdup(const char *s) { return mem_strndup(s, strlen(s)); }

void strbuf_add(struct strbuf *b, const char *s, size_t length)
{
    if (b->length + length + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 32;
        while (b->length + length + 1 > capacity)
            capacity *= 2;
        b->data = mem_realloc(b->data, capacity);
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, s, length);
    b->length += length;
    b->data[b->length] = '\0';
}

void strbuf_addc(struct strbuf *b, char c) { strbuf_add(b, &c, 1); }

void strbuf_adds(struct strbuf *b, const char *s) { strbuf_add(b, s, strlen(s)); }

const char *strbuf_str(const struct strbuf *b) { return b->data ? b->data : ""; }

char *strbuf_take(struct strbuf *b)
{
    char *s = b->data ? b->data : mem_strdup("");
    b->data = NULL;
    b->length = b->capacity = 0;
    return s;
}

void strbuf_clear(struct strbuf *b)
{
    b->length = 0;
    if (b->data)
        b->data[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->length = b->capacity = 0;
}

void strvec_push(struct strvec *v, char *owned)
{
    /* +1 keeps room for the NULL that execve() needs at the end. */
    if (v->count + 1 >= v->capacity) {
        v->capacity = v->capacity ? 2 * v->capacity : 8;
        v->items = mem_realloc(v->items, (size_t)v->capacity * sizeof *v->items);
    }
    v->items[v->count++] = owned;
    v->items[v->count] = NULL;
}

void strvec_free(struct strvec *v)
{
    for (int i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->capacity = 0;
}
