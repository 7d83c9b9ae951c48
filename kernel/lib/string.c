/* string.c - memory and string functions (the compiler also calls memcpy/memset). */
#include "kernel/lib/string.h"

#ifndef HOST_TEST /* on the host, the C library provides these */

/*
 * memset and memcpy are in memory.asm (8-byte words: much faster under
 * QEMU than the string instructions). memmove stays here: it is rare, and
 * its backward copy uses `std; rep movsb`, which a C loop could not do
 * without the compiler turning the loop into a call to memmove itself.
 */
void *memmove(void *dest, const void *src, size_t count)
{
    u8 *d = dest;
    const u8 *s = src;
    if (d == s || count == 0)
        return dest;
    if (d < s || d >= s + count)
        return memcpy(dest, src, count);
    /* Overlapping with the destination above the source: copy backwards. */
    d += count - 1;
    s += count - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(count)::"memory");
    return dest;
}

int memcmp(const void *a, const void *b, size_t count)
{
    const u8 *x = a, *y = b;
    for (size_t i = 0; i < count; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (a[i] != b[i])
            return (u8)a[i] - (u8)b[i];
        if (!a[i])
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *found = NULL;
    for (;; s++) {
        if (*s == (char)c)
            found = s;
        if (!*s)
            return (char *)found;
    }
}

#endif

size_t strlcpy(char *dest, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dest, src, n);
        dest[n] = '\0';
    }
    return len;
}

size_t strlcat(char *dest, const char *src, size_t size)
{
    size_t used = strnlen(dest, size);
    if (used == size)
        return size + strlen(src);
    return used + strlcpy(dest + used, src, size - used);
}

bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}
