/*
 * mv.c - move (rename) files.
 *
 *   mv SOURCE DEST            rename SOURCE to DEST
 *   mv SOURCE... DIRECTORY    move each SOURCE into DIRECTORY
 *
 * rename() only changes directory entries: the file's data does not move,
 * which is why mv is instant even for a huge file - and why it fails with
 * EXDEV across two file systems, where the data would have to be copied.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Renames source to dest; returns 0 or 1 after printing an error. */
static int move(const char *source, const char *dest)
{
    if (rename(source, dest) < 0) {
        fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", source, dest, strerror(errno));
        return 1;
    }
    return 0;
}

/* The path of source's last component inside directory dir. */
static int path_in(const char *dir, const char *source, char *out, size_t size)
{
    char copy[4096];

    snprintf(copy, sizeof copy, "%s", source);
    /* basename() may modify its argument, hence the copy. */
    return snprintf(out, size, "%s/%s", dir, basename(copy)) < (int)size ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *dest = argv[argc - 1];
    struct stat st;
    char path[4096];
    int status = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: mv SOURCE DEST | mv SOURCE... DIRECTORY\n");
        return 2;
    }
    int into_directory = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into_directory) {
        if (argc > 3) {
            fprintf(stderr, "mv: target '%s' is not a directory\n", dest);
            return 1;
        }
        return move(argv[1], dest);
    }
    for (int i = 1; i < argc - 1; i++) {
        if (path_in(dest, argv[i], path, sizeof path) < 0) {
            fprintf(stderr, "mv: %s: %s\n", argv[i], strerror(ENAMETOOLONG));
            status = 1;
            continue;
        }
        status |= move(argv[i], path);
    }
    return status;
}
