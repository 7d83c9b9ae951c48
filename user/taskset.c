/*
 * taskset.c - run a program on chosen CPUs, or show and change the CPUs a
 * process may run on (sched_setaffinity/getaffinity; docs/smp.md).
 *
 *   taskset MASK PROG [ARGS...]     run PROG on the CPUs of the hex MASK (3 = CPUs 0, 1)
 *   taskset -c LIST PROG [ARGS...]  the same with a list: 0,2-3
 *   taskset -p PID                  "pid PID's current affinity mask: 3"
 *   taskset -p MASK PID             change it (-pc LIST PID with a list)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: taskset [-c] MASK|LIST PROG [ARGS...]\n"
                    "       taskset -p [-c] [MASK|LIST] PID\n");
    exit(1);
}

/* "3" (hex) or, with -c, "0,2-3". */
static int parse_cpus(const char *text, int as_list, cpu_set_t *set)
{
    CPU_ZERO(set);
    char *end;
    if (!as_list) {
        errno = 0;
        unsigned long mask = strtoul(text, &end, 16);
        if (*text == 0 || *end || errno)
            return -1;
        for (int cpu = 0; cpu < 64; cpu++)
            if (mask & (1ul << cpu))
                CPU_SET(cpu, set);
        return 0;
    }
    const char *p = text;
    while (*p) {
        long first = strtol(p, &end, 10), last = first;
        if (end == p || first < 0 || first >= CPU_SETSIZE)
            return -1;
        p = end;
        if (*p == '-') {
            last = strtol(p + 1, &end, 10);
            if (end == p + 1 || last < first || last >= CPU_SETSIZE)
                return -1;
            p = end;
        }
        for (long cpu = first; cpu <= last; cpu++)
            CPU_SET(cpu, set);
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return 0;
}

static unsigned long mask_of(const cpu_set_t *set)
{
    unsigned long mask = 0;
    for (int cpu = 0; cpu < 64; cpu++)
        if (CPU_ISSET(cpu, set))
            mask |= 1ul << cpu;
    return mask;
}

static int show(pid_t pid, const char *when)
{
    cpu_set_t set;
    if (sched_getaffinity(pid, sizeof set, &set) != 0) {
        fprintf(stderr, "taskset: failed to get pid %d's affinity: %s\n", (int)pid,
                strerror(errno));
        return 1;
    }
    printf("pid %d's %s affinity mask: %lx\n", (int)pid, when, mask_of(&set));
    return 0;
}

int main(int argc, char **argv)
{
    int as_pid = 0, as_list = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'p')
                as_pid = 1;
            else if (*o == 'c')
                as_list = 1;
            else
                usage();
        }
    }
    cpu_set_t set;
    if (as_pid) {
        if (argc - i == 1)
            return show(atoi(argv[i]), "current");
        if (argc - i != 2)
            usage();
        pid_t pid = atoi(argv[i + 1]);
        if (parse_cpus(argv[i], as_list, &set) < 0) {
            fprintf(stderr, "taskset: bad CPU %s '%s'\n", as_list ? "list" : "mask", argv[i]);
            return 1;
        }
        if (show(pid, "current"))
            return 1;
        if (sched_setaffinity(pid, sizeof set, &set) != 0) {
            fprintf(stderr, "taskset: failed to set pid %d's affinity: %s\n", (int)pid,
                    strerror(errno));
            return 1;
        }
        return show(pid, "new");
    }
    if (argc - i < 2)
        usage();
    if (parse_cpus(argv[i], as_list, &set) < 0) {
        fprintf(stderr, "taskset: bad CPU %s '%s'\n", as_list ? "list" : "mask", argv[i]);
        return 1;
    }
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        fprintf(stderr, "taskset: failed to set affinity: %s\n", strerror(errno));
        return 1;
    }
    execvp(argv[i + 1], argv + i + 1);
    fprintf(stderr, "taskset: %s: %s\n", argv[i + 1], strerror(errno));
    return 127;
}
