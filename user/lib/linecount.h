/*
 * linecount.h - what head and tail share: the options and the file loop.
 *
 *   head|tail [-n N | -N] [FILE...]    N = 10 by default; "-" is stdin
 *
 * "-N" is the old form of "-n N", allowed only as the first argument.
 * With several files, each one's lines come under a "==> FILE <==" header.
 */
#ifndef USER_LIB_LINECOUNT_H
#define USER_LIB_LINECOUNT_H

#include <stdio.h>

/* Prints the chosen lines of one open file.  Returns 0, or 1 after an error. */
typedef int (*linecount_show_fn)(FILE *file, const char *name, long lines);

/*
 * The whole main() of head or tail: parses argv, calls show() for each
 * file (or for standard input), reports files it cannot open.  Returns the
 * exit status: 0, 1 if anything failed, 2 for a usage error.
 */
int linecount_main(int argc, char **argv, const char *program, linecount_show_fn show);

#endif
