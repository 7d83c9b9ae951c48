/*
 * swapon.c - start swapping to a device, or list the swap areas.
 *
 *   swapon [-p PRIO] DEVICE|FILE...   activate each swap area (made by mkswap):
 *                      swapon(2); -p gives them priority PRIO (0..32767,
 *                      higher used first, equal ones in turn)
 *   swapon [-s]        list the active areas (/proc/swaps)
 *
 * Only root may change what is swapped to (EPERM otherwise).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>

#include "user/lib/procfs.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-s") == 0) {
        char text[4096];
        if (procfs_read("/proc/swaps", text, sizeof text) < 0) {
            perror("swapon: /proc/swaps");
            return 1;
        }
        fputs(text, stdout);
        return 0;
    }
    int status = 0, flags = 0, first = 1;
    if (strcmp(argv[1], "-p") == 0) {
        char *end;
        long priority = argc > 2 ? strtol(argv[2], &end, 10) : -1;
        if (argc < 4 || *end || priority < 0 || priority > SWAP_FLAG_PRIO_MASK) {
            fprintf(stderr, "usage: swapon [-p PRIO 0..32767] DEVICE|FILE...\n");
            return 1;
        }
        flags = SWAP_FLAG_PREFER | (int)priority;
        first = 3;
    }
    for (int i = first; i < argc; i++) {
        if (swapon(argv[i], flags) < 0) {
            fprintf(stderr, "swapon: %s: ", argv[i]);
            perror("swapon failed");
            status = 1;
        }
    }
    return status;
}
