/*
 * renice.c - change the nice value of running processes.
 *
 *   renice [-n] N [-p] PID...      set the nice value of each PID to N
 *   renice [-n] N -g PGID...       ... of every process in these groups
 *
 * It prints "PID (process ID) old priority A, new priority B" for each,
 * like util-linux.  Watch the effect with `top -s` (column NI) or in
 * /proc/PID/sched; under sched=prio or sched=cfs it changes who runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int usage(void)
{
    fprintf(stderr, "usage: renice [-n] PRIORITY [-p|-g] ID...\n");
    return 2;
}

/* A whole decimal number, or -1 with *ok false. */
static long parse_number(const char *text, int *ok)
{
    char *end;

    errno = 0;
    long value = strtol(text, &end, 10);
    *ok = !errno && end != text && *end == '\0';
    return value;
}

int main(int argc, char **argv)
{
    int i = 1, ok;
    int which = PRIO_PROCESS;

    if (i < argc && strcmp(argv[i], "-n") == 0)
        i++;
    if (i >= argc)
        return usage();
    long priority = parse_number(argv[i++], &ok);
    if (!ok)
        return usage();
    if (i >= argc)
        return usage();

    int status = 0;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-p") == 0) {
            which = PRIO_PROCESS;
            continue;
        }
        if (strcmp(argv[i], "-g") == 0) {
            which = PRIO_PGRP;
            continue;
        }
        long id = parse_number(argv[i], &ok);
        if (!ok || id < 0) {
            fprintf(stderr, "renice: bad ID '%s'\n", argv[i]);
            status = 1;
            continue;
        }
        errno = 0;
        int old = getpriority(which, (id_t)id);
        if (old == -1 && errno) {
            fprintf(stderr, "renice: failed to get priority for %ld: %s\n", id, strerror(errno));
            status = 1;
            continue;
        }
        if (setpriority(which, (id_t)id, (int)priority) < 0) {
            fprintf(stderr, "renice: failed to set priority for %ld: %s\n", id, strerror(errno));
            status = 1;
            continue;
        }
        errno = 0;
        int now = getpriority(which, (id_t)id);
        printf("%ld (%s ID) old priority %d, new priority %d\n", id,
               which == PRIO_PGRP ? "process group" : "process", old, now);
    }
    return status;
}
