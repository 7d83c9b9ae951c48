/*
 * nproc.c - how many CPUs: those this process may run on (the default), or,
 * with --all, every CPU the kernel brought online.
 *
 * The default asks sched_getaffinity (as coreutils' nproc and musl's
 * sysconf(_SC_NPROCESSORS_ONLN) do); --all counts the "processor" lines of
 * /proc/cpuinfo.  While sprout runs processes on CPU 0 only (docs/smp.md),
 * `nproc` says 1 and `nproc --all` the number of CPUs that came up.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>

static int count_online(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return -1;
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "processor", 9) == 0)
            n++;
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    int all = argc == 2 && strcmp(argv[1], "--all") == 0;
    if (argc > 2 || (argc == 2 && !all)) {
        fprintf(stderr, "usage: nproc [--all]\n");
        return 2;
    }
    int n;
    if (all) {
        n = count_online();
    } else {
        cpu_set_t set;
        n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
    }
    if (n < 1) {
        perror("nproc");
        return 1;
    }
    printf("%d\n", n);
    return 0;
}
