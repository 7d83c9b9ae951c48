/*
 * swapoff.c - stop swapping to a device: every page on it is read back into
 * memory first (swapoff(2) fails with ENOMEM if they would not fit).
 *
 *   swapoff DEVICE...   the named areas
 *   swapoff -a          every area in /proc/swaps
 */
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>

#include "user/lib/procfs.h"

static int off(const char *device)
{
    if (swapoff(device) == 0)
        return 0;
    fprintf(stderr, "swapoff: %s: ", device);
    perror("swapoff failed");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: swapoff DEVICE... | swapoff -a\n");
        return 2;
    }
    if (strcmp(argv[1], "-a") != 0) {
        int status = 0;
        for (int i = 1; i < argc; i++)
            status |= off(argv[i]);
        return status;
    }
    char text[4096];
    if (procfs_read("/proc/swaps", text, sizeof text) < 0) {
        perror("swapoff: /proc/swaps");
        return 1;
    }
    int status = 0;
    /* Skip the header; the first word of each line is the device. */
    for (const char *line = procfs_next_line(text); line && *line; line = procfs_next_line(line)) {
        char device[64];
        if (sscanf(line, "%63s", device) == 1)
            status |= off(device);
    }
    return status;
}
