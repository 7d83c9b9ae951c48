/*
 * nice.c - run a program with a different scheduling priority.
 *
 *   nice                      print the current nice value
 *   nice [-n N | -N] PROGRAM [ARGS...]
 *                             run PROGRAM with nice raised by N (default 10)
 *
 * The nice value (-20 .. 19; lower is more important) belongs to the
 * process and is inherited across fork and kept across exec, so nice only
 * has to change its own value and then become PROGRAM.  What the value
 * means depends on the policy: prio runs lower values first, cfs gives them
 * a larger weight, lottery a default share of tickets; rr ignores it.
 * Lowering it below 0 is allowed on sprout (everyone is root).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: nice [-n ADJUSTMENT | -ADJUSTMENT] [PROGRAM [ARGS...]]\n");
    return 125;
}

/* Parses an adjustment like "5", "-5" or "+5".  Returns 0 or -1. */
static int parse_adjustment(const char *text, int *adjustment)
{
    char *end;

    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end || value < -40 || value > 40)
        return -1;
    *adjustment = (int)value;
    return 0;
}

int main(int argc, char **argv)
{
    int adjustment = 10;
    int first = 1;

    if (first < argc && strcmp(argv[first], "-n") == 0) {
        if (first + 1 >= argc || parse_adjustment(argv[first + 1], &adjustment) < 0)
            return usage();
        first += 2;
    } else if (first < argc && argv[first][0] == '-' && argv[first][1] != '\0') {
        if (strcmp(argv[first], "--") != 0 && parse_adjustment(argv[first] + 1, &adjustment) < 0)
            return usage();
        first++;
    }

    /* getpriority() may legitimately return -1: errno tells an error apart. */
    errno = 0;
    int current = getpriority(PRIO_PROCESS, 0);
    if (current == -1 && errno) {
        fprintf(stderr, "nice: getpriority: %s\n", strerror(errno));
        return 125;
    }
    if (first >= argc) {
        if (argc > 1)
            return usage(); /* an adjustment but no program */
        printf("%d\n", current);
        return 0;
    }

    int wanted = current + adjustment;
    wanted = wanted < -20 ? -20 : wanted > 19 ? 19 : wanted;
    if (setpriority(PRIO_PROCESS, 0, wanted) < 0)
        fprintf(stderr, "nice: cannot set niceness: %s\n", strerror(errno));
    execvp(argv[first], argv + first);
    fprintf(stderr, "nice: %s: %s\n", argv[first], strerror(errno));
    return errno == ENOENT ? 127 : 126;
}
