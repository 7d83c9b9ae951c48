/*
 * rm.c - remove files, and with -r whole directory trees.
 *
 *   rm [-r] [-f] FILE...      -r: recursive; -f: no error if missing
 *
 * unlink() removes a name from its directory (the file itself goes away
 * when no name and no open descriptor refers to it any more); rmdir()
 * removes an empty directory, so -r empties a directory first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool recursive, force;

static int remove_path(const char *path);

/* Removes everything inside dir, then dir itself.  Returns 0 or 1. */
static int remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    char path[4096];
    int status = 0;

    if (!d) {
        fprintf(stderr, "rm: cannot open '%s': %s\n", dir, strerror(errno));
        return 1;
    }
    while ((entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, entry->d_name) >= (int)sizeof path) {
            fprintf(stderr, "rm: %s/%s: %s\n", dir, entry->d_name, strerror(ENAMETOOLONG));
            status = 1;
            continue;
        }
        status |= remove_path(path);
    }
    closedir(d);
    if (rmdir(dir) < 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", dir, strerror(errno));
        return 1;
    }
    return status;
}

/* Removes one file or (with -r) tree.  Returns 0, or 1 after printing an error. */
static int remove_path(const char *path)
{
    struct stat st;

    /* lstat, not stat: a symlink to a directory is removed, not followed. */
    if (lstat(path, &st) < 0) {
        if (force && errno == ENOENT)
            return 0;
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (!recursive) {
            fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path);
            return 1;
        }
        return remove_tree(path);
    }
    if (unlink(path) < 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int option, status = 0;

    while ((option = getopt(argc, argv, "rRf")) != -1) {
        if (option == 'f')
            force = true;
        else if (option == 'r' || option == 'R')
            recursive = true;
        else {
            fprintf(stderr, "usage: rm [-r] [-f] FILE...\n");
            return 2;
        }
    }
    if (optind == argc && !force) {
        fprintf(stderr, "usage: rm [-r] [-f] FILE...\n");
        return 2;
    }
    for (int i = optind; i < argc; i++) {
        /* Like GNU rm, refuse the one mistake that cannot be undone. */
        if (strcmp(argv[i], "/") == 0) {
            fprintf(stderr, "rm: refusing to remove '/'\n");
            status = 1;
            continue;
        }
        status |= remove_path(argv[i]);
    }
    return status;
}
