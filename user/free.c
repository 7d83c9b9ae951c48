/*
 * free.c - how much memory is used, from /proc/meminfo.
 *
 *   free [-k | -m | -h]       KiB (the default), MiB, or human-readable
 *
 *   total       all the RAM the kernel manages (MemTotal)
 *   free        not used for anything (MemFree)
 *   buff/cache  file data kept in memory, given back when needed
 *   available   what a new program could get without swapping (MemAvailable)
 *   used        total - available: what programs really hold
 */
#include <stdio.h>
#include <string.h>

#include "user/lib/format.h"
#include "user/lib/procfs.h"

enum unit { UNIT_KIB, UNIT_MIB, UNIT_HUMAN };

/* Prints one column: a KiB value in the chosen unit, right-aligned to 12. */
static void print_value(unsigned long long kib, enum unit unit)
{
    char human[16];

    switch (unit) {
    case UNIT_KIB:
        printf(" %11llu", kib);
        break;
    case UNIT_MIB:
        printf(" %11llu", kib / 1024);
        break;
    case UNIT_HUMAN:
        format_human_size(kib * 1024, human, sizeof human);
        printf(" %11s", human);
        break;
    }
}

int main(int argc, char **argv)
{
    char text[PROCFS_TEXT_SIZE];
    struct meminfo m;
    enum unit unit = UNIT_KIB;
    ssize_t n;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-k") == 0)
            unit = UNIT_KIB;
        else if (strcmp(argv[i], "-m") == 0)
            unit = UNIT_MIB;
        else if (strcmp(argv[i], "-h") == 0)
            unit = UNIT_HUMAN;
        else {
            fprintf(stderr, "usage: free [-k | -m | -h]\n");
            return 2;
        }
    }
    n = procfs_read("/proc/meminfo", text, sizeof text);
    if (n < 0) {
        fprintf(stderr, "free: /proc/meminfo: %s\n", strerror((int)-n));
        return 1;
    }
    if (procfs_parse_meminfo(text, &m) < 0) {
        fprintf(stderr, "free: /proc/meminfo: unexpected format\n");
        return 1;
    }
    unsigned long long cache = m.buffers + m.cached + m.reclaimable;
    unsigned long long used = m.total > m.available ? m.total - m.available : 0;

    printf("               total        used        free      shared  buff/cache   available\n");
    printf("Mem:    ");
    print_value(m.total, unit);
    print_value(used, unit);
    print_value(m.free, unit);
    print_value(m.shared, unit);
    print_value(cache, unit);
    print_value(m.available, unit);
    printf("\nSwap:   ");
    print_value(m.swap_total, unit);
    print_value(m.swap_total - (m.swap_free < m.swap_total ? m.swap_free : m.swap_total), unit);
    print_value(m.swap_free, unit);
    printf("\n");
    return 0;
}
