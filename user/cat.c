/*
 * cat.c - copy files (or standard input) to standard output.
 *
 *   cat [FILE...]       "-" or no FILE means standard input
 *
 * Just read() and write() in a loop: the two system calls every
 * Unix program is made of.  A short write (a pipe, a terminal) is not an
 * error, so the rest is written again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Writes all of buf, retrying after short writes.  Returns 0 or -errno. */
static int write_all(int fd, const char *buf, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, buf, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        buf += n;
        length -= (size_t)n;
    }
    return 0;
}

/* Copies fd to standard output.  Returns 0, or 1 after printing an error. */
static int copy(int fd, const char *name)
{
    char buf[8192];
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
            return 1;
        }
        int err = write_all(STDOUT_FILENO, buf, (size_t)n);
        if (err < 0) {
            fprintf(stderr, "cat: write error: %s\n", strerror(-err));
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc == 1)
        return copy(STDIN_FILENO, "-");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            status |= copy(STDIN_FILENO, "-");
            continue;
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= copy(fd, argv[i]);
        close(fd);
    }
    return status;
}
