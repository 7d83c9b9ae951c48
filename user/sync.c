/*
 * sync.c - write everything cached for the disks to the disks.
 *
 *   sync          every mounted file system (the sync call)
 *   sync FILE...  only the file systems holding these files (syncfs)
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int syncfs(int fd);

int main(int argc, char **argv)
{
    if (argc < 2) {
        sync();
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY | O_NONBLOCK);
        if (fd < 0 || syncfs(fd) < 0) {
            perror(argv[i]);
            status = 1;
        }
        if (fd >= 0)
            close(fd);
    }
    return status;
}
