/*
 * head.c - print the first lines of files (or of standard input).
 *
 *   head [-n N | -N] [FILE...]  N = 10 by default
 *
 * It stops reading as soon as it has N lines, so `yes | head -n 3` ends:
 * when head exits, yes's next write() to the pipe gets SIGPIPE.
 */
#include <stdio.h>

#include "user/lib/linecount.h"

/* Copies the first `lines` lines of file to standard output. */
static int head(FILE *file, const char *name, long lines)
{
    int ch;

    while (lines > 0 && (ch = getc(file)) != EOF) {
        putchar(ch);
        if (ch == '\n')
            lines--;
    }
    return 0;
}

int main(int argc, char **argv) { return linecount_main(argc, argv, "head", head); }
