/*
 * mkdir.c - make directories.
 *
 *   mkdir [-p] DIRECTORY...     -p: make missing parents too, and do not
 *                               complain if the directory already exists
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/*
 * mkdir -p: create each prefix of the path in turn ("a", "a/b", "a/b/c").
 * Returns 0 or -errno.
 */
static int make_parents(const char *path)
{
    char partial[4096];
    size_t length = strlen(path);

    if (length >= sizeof partial)
        return -ENAMETOOLONG;
    for (size_t i = 1; i <= length; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        memcpy(partial, path, i);
        partial[i] = '\0';
        if (mkdir(partial, 0777) < 0 && errno != EEXIST)
            return -errno;
    }
    /* It may exist as a file: that is still an error. */
    struct stat st;
    if (stat(path, &st) < 0)
        return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -EEXIST;
}

int main(int argc, char **argv)
{
    bool parents = argc > 1 && strcmp(argv[1], "-p") == 0;
    int first = parents ? 2 : 1, status = 0;

    if (first >= argc) {
        fprintf(stderr, "usage: mkdir [-p] DIRECTORY...\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        int err = parents ? make_parents(argv[i]) : mkdir(argv[i], 0777) < 0 ? -errno : 0;
        if (err < 0) {
            fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(-err));
            status = 1;
        }
    }
    return status;
}
