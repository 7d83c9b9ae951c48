/*
 * cp.c - copy files.
 *
 *   cp SOURCE DEST            copy SOURCE to the file DEST
 *   cp SOURCE... DIRECTORY    copy each SOURCE into DIRECTORY
 *
 * Unlike mv, a copy has to move the data: read() from one file, write() to
 * the other.  The new file gets the source's permission bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copies all of in to out.  Returns 0 or -errno. */
static int copy_data(int in, int out)
{
    char buf[16384];
    ssize_t n;

    while ((n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        for (ssize_t done = 0; done < n;) {
            ssize_t written = write(out, buf + done, (size_t)(n - done));
            if (written < 0 && errno == EINTR)
                continue;
            if (written < 0)
                return -errno;
            done += written;
        }
    }
    return 0;
}

/* Copies the file source to dest.  Returns 0, or 1 after printing an error. */
static int copy_file(const char *source, const char *dest)
{
    struct stat st;
    int in = open(source, O_RDONLY), out, err;

    if (in < 0 || fstat(in, &st) < 0) {
        fprintf(stderr, "cp: cannot open '%s' for reading: %s\n", source, strerror(errno));
        if (in >= 0)
            close(in);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", source);
        close(in);
        return 1;
    }
    out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777);
    if (out < 0) {
        fprintf(stderr, "cp: cannot create regular file '%s': %s\n", dest, strerror(errno));
        close(in);
        return 1;
    }
    err = copy_data(in, out);
    close(in);
    if (close(out) < 0 && err == 0)
        err = -errno;
    if (err < 0) {
        fprintf(stderr, "cp: error copying '%s' to '%s': %s\n", source, dest, strerror(-err));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dest = argv[argc - 1];
    char path[4096], name[4096];
    struct stat st;
    int status = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: cp SOURCE DEST | cp SOURCE... DIRECTORY\n");
        return 2;
    }
    if (stat(dest, &st) < 0 || !S_ISDIR(st.st_mode)) {
        if (argc > 3) {
            fprintf(stderr, "cp: target '%s' is not a directory\n", dest);
            return 1;
        }
        return copy_file(argv[1], dest);
    }
    for (int i = 1; i < argc - 1; i++) {
        /* basename() may modify its argument, hence the copy. */
        snprintf(name, sizeof name, "%s", argv[i]);
        if (snprintf(path, sizeof path, "%s/%s", dest, basename(name)) >= (int)sizeof path) {
            fprintf(stderr, "cp: %s: %s\n", argv[i], strerror(ENAMETOOLONG));
            status = 1;
            continue;
        }
        status |= copy_file(argv[i], path);
    }
    return status;
}
