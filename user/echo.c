/*
 * echo.c - print the arguments, separated by spaces.
 *
 *   echo [-n] [ARG...]      -n: no newline at the end
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int first = 1;
    int newline = 1;

    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        first = 2;
    }
    for (int i = first; i < argc; i++)
        printf("%s%s", i > first ? " " : "", argv[i]);
    if (newline)
        printf("\n");
    /* A write the file refused ("echo abc > /sys/fs/cgroup/x/pids.max": EINVAL)
     * is reported, as GNU echo does; musl may have flushed at the newline already. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("echo: write error");
        return 1;
    }
    return 0;
}
