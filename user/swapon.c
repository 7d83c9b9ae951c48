/*
 * swapon.c - start swapping to a device, or list the swap areas.
 *
 *   swapon DEVICE...   activate each swap area (made by mkswap): swapon(2)
 *   swapon [-s]        list the active areas (/proc/swaps)
 *
 * Only root may change what is swapped to (EPERM otherwise).
 */
#include <stdio.h>
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
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (swapon(argv[i], 0) < 0) {
            fprintf(stderr, "swapon: %s: ", argv[i]);
            perror("swapon failed");
            status = 1;
        }
    }
    return status;
}
