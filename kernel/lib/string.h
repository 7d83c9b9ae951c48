/* string.h - the C string and memory functions the kernel uses. */
#ifndef KERNEL_LIB_STRING_H
#define KERNEL_LIB_STRING_H

#include "kernel/types.h"

#ifdef HOST_TEST
/* Host unit tests use the C library's versions of the standard functions. */
#include <string.h>
#else
void *memset(void *dest, int byte, size_t count);
void *memcpy(void *dest, const void *src, size_t count);
void *memmove(void *dest, const void *src, size_t count);
int memcmp(const void *a, const void *b, size_t count);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t count);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
#endif
/* Copy at most size-1 bytes and always NUL-terminate; returns strlen(src). */
size_t strlcpy(char *dest, const char *src, size_t size);
/* Append src to dest (size is dest's whole buffer); returns the length it tried to make. */
size_t strlcat(char *dest, const char *src, size_t size);
bool str_starts_with(const char *s, const char *prefix);

#endif
