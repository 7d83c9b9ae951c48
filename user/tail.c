/*
 * tail.c - print the last lines of files (or of standard input).
 *
 *   tail [-n N | -N] [FILE...]  N = 10 by default
 *
 * Unlike head, tail cannot stop early: the last lines are only known at
 * the end of the input.  It reads everything into memory (sprout's files
 * are small), then walks back from the end counting newlines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/linecount.h"

/* Reads all of file into a malloc'ed buffer.  Returns its length, or -1 (errno set). */
static long read_all(FILE *file, char **data)
{
    size_t size = 4096, length = 0, got;
    char *buffer = malloc(size);

    if (!buffer)
        return -1;
    while ((got = fread(buffer + length, 1, size - length, file)) > 0) {
        length += got;
        if (length == size) {
            char *bigger = realloc(buffer, size * 2);
            if (!bigger) {
                free(buffer);
                return -1;
            }
            buffer = bigger;
            size *= 2;
        }
    }
    if (ferror(file)) {
        free(buffer);
        return -1;
    }
    *data = buffer;
    return (long)length;
}

/* Where the last `lines` lines of data[0..length) start. */
static size_t last_lines_start(const char *data, size_t length, long lines)
{
    size_t at = length;

    if (lines == 0)
        return length;
    /* A final newline ends the last line; it does not start another one. */
    if (at > 0 && data[at - 1] == '\n')
        at--;
    while (at > 0) {
        if (data[at - 1] == '\n' && --lines == 0)
            return at;
        at--;
    }
    return 0;
}

/* Prints the last `lines` lines of file.  Returns 0, or 1 after an error. */
static int tail(FILE *file, const char *name, long lines)
{
    char *data;
    long length = read_all(file, &data);

    if (length < 0) {
        fprintf(stderr, "tail: error reading '%s': %s\n", name, strerror(errno));
        return 1;
    }
    size_t start = last_lines_start(data, (size_t)length, lines);
    fwrite(data + start, 1, (size_t)length - start, stdout);
    free(data);
    return 0;
}

int main(int argc, char **argv) { return linecount_main(argc, argv, "tail", tail); }
