/*
 * env.c - print the environment, or run a program in a changed one.
 *
 *   env                           print every NAME=value
 *   env [-i] [NAME=value...] PROGRAM [ARG...]
 *
 * The environment is an array of "NAME=value" strings that execve() copies
 * into the new program's stack, next to argv.  -i starts from an empty one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    int i = 1;

    if (i < argc && strcmp(argv[i], "-i") == 0) {
        static char *empty[] = {NULL};
        environ = empty;
        i++;
    }
    for (; i < argc && strchr(argv[i], '=') && argv[i][0] != '='; i++) {
        if (putenv(argv[i]) != 0) {
            fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
            return 125;
        }
    }
    if (i == argc) {
        for (char **variable = environ; *variable; variable++)
            printf("%s\n", *variable);
        return 0;
    }
    /* execvp() searches PATH, like the shell; it returns only if it failed. */
    execvp(argv[i], argv + i);
    fprintf(stderr, "env: '%s': %s\n", argv[i], strerror(errno));
    return errno == ENOENT ? 127 : 126;
}
