/* main.c - prof: a sampling profiler for sprout (see prof.h and docs/prof.md). */
#include "user/prof/prof.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "record") == 0)
        return prof_record(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "report") == 0)
        return prof_report(argc - 1, argv + 1);
    fprintf(stderr, "usage: prof record [-F HZ] [-o FILE] CMD [ARGS...]\n"
                    "       prof report [--folded] [FILE]\n");
    return 2;
}
