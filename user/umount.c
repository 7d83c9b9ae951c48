/*
 * umount.c - detach a mounted disk: umount DIR.  Everything written to it
 * reaches the disk first; a file system still in use (an open file, a shell's
 * working directory inside it) gives EBUSY.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: umount DIR...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (umount2(argv[i], 0) < 0) {
            fprintf(stderr, "umount: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
