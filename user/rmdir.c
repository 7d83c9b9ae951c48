/*
 * rmdir.c - remove empty directories.
 *
 *   rmdir DIR...
 *
 * The one way to remove a control group (/sys/fs/cgroup/NAME): its files
 * cannot be unlinked, so `rm -r` would fail; rmdir says EBUSY while the
 * group still has processes or child groups.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: rmdir DIR...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (rmdir(argv[i]) < 0) {
            fprintf(stderr, "rmdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
