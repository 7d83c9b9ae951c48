/*
 * touch.c - create empty files, or mark existing ones as modified now.
 *
 *   touch FILE...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Touches one file.  Returns 0, or 1 after printing an error. */
static int touch(const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0) {
        /*
         * It exists: set its times to now (NULL means now).  A kernel that
         * keeps no timestamps (ENOSYS) has nothing to update: not an error.
         */
        if (utimensat(AT_FDCWD, path, NULL, 0) < 0 && errno != ENOSYS) {
            fprintf(stderr, "touch: setting times of '%s': %s\n", path, strerror(errno));
            return 1;
        }
        return 0;
    }
    /* It does not exist: create it empty (a new file's times are already now). */
    int fd = errno == ENOENT ? open(path, O_WRONLY | O_CREAT | O_NOCTTY, 0666) : -1;
    if (fd < 0) {
        fprintf(stderr, "touch: cannot touch '%s': %s\n", path, strerror(errno));
        return 1;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: touch FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        status |= touch(argv[i]);
    return status;
}
