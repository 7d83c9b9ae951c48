/*
 * ls.c - list directory contents.
 *
 *   ls [-l] [-a] [-h] [FILE or DIRECTORY...]
 *
 * A directory is a file of names; readdir() (the getdents64 system call)
 * returns them in no particular order, so we sort them.  -l adds what
 * lstat() knows about each: type and permissions, link count, owner,
 * size, modification time, and for a symbolic link what it points to.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/format.h"
#include "user/lib/term.h"
#include "user/lib/users.h"

struct options {
    bool long_format, all, human;
};

/* The first letter of ls -l: what kind of file this is. */
static char type_letter(mode_t mode)
{
    if (S_ISDIR(mode))
        return 'd';
    if (S_ISLNK(mode))
        return 'l';
    if (S_ISCHR(mode))
        return 'c';
    if (S_ISBLK(mode))
        return 'b';
    if (S_ISFIFO(mode))
        return 'p';
    if (S_ISSOCK(mode))
        return 's';
    return '-';
}

/* "drwxr-xr-x": the type, then read/write/execute for owner, group, others. */
static void mode_string(mode_t mode, char out[11])
{
    static const char rwx[] = "rwxrwxrwx";

    out[0] = type_letter(mode);
    for (int i = 0; i < 9; i++)
        out[1 + i] = mode & (0400 >> i) ? rwx[i] : '-';
    /* setuid, setgid and sticky bits replace an x. */
    if (mode & S_ISUID)
        out[3] = out[3] == 'x' ? 's' : 'S';
    if (mode & S_ISGID)
        out[6] = out[6] == 'x' ? 's' : 'S';
    if (mode & S_ISVTX)
        out[9] = out[9] == 'x' ? 't' : 'T';
    out[10] = '\0';
}

/* One -l line; `path` is what to lstat, `name` what to show. */
static void print_long(const char *path, const char *name, const struct stat *st, bool human)
{
    char mode[11], user[32], group[32], size[32], when[32], target[4096];
    time_t now = time(NULL);
    struct tm local;

    mode_string(st->st_mode, mode);
    users_user_name(st->st_uid, user, sizeof user);
    users_group_name(st->st_gid, group, sizeof group);
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        snprintf(size, sizeof size, "%u, %u", major(st->st_rdev), minor(st->st_rdev));
    else if (human)
        format_human_size((unsigned long long)st->st_size, size, sizeof size);
    else
        snprintf(size, sizeof size, "%lld", (long long)st->st_size);
    /* Recent files show the time of day, older ones (six months) the year. */
    localtime_r(&st->st_mtime, &local);
    bool recent = st->st_mtime <= now + 3600 && now - st->st_mtime < 183 * 24 * 3600;
    strftime(when, sizeof when, recent ? "%b %e %H:%M" : "%b %e  %Y", &local);
    printf("%s %2lu %-8s %-8s %8s %s %s", mode, (unsigned long)st->st_nlink, user, group, size,
           when, name);
    if (S_ISLNK(st->st_mode)) {
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
            printf(" -> %s", target);
        }
    }
    printf("\n");
}

/* Short format: names in columns across the terminal, or one a line into a pipe. */
static void print_columns(char **names, int count)
{
    int rows = 0, width = 0, columns = 80;
    size_t longest = 1;

    if (!isatty(STDOUT_FILENO) || term_size(STDOUT_FILENO, &rows, &columns) < 0) {
        for (int i = 0; i < count; i++)
            printf("%s\n", names[i]);
        return;
    }
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) > longest)
            longest = strlen(names[i]);
    width = (int)longest + 2;
    int per_line = columns / width > 0 ? columns / width : 1;
    rows = (count + per_line - 1) / per_line;
    /* Like ls: down the first column, then the next. */
    for (int row = 0; row < rows; row++) {
        for (int i = row; i < count; i += rows)
            printf("%-*s", i + rows < count ? width : 0, names[i]);
        printf("\n");
    }
}

/* ls -l of a directory: "total" (KiB of disk used), then a line per name. */
static void print_long_listing(const char *dir, char **names, int count, bool human)
{
    struct stat *stats = calloc((size_t)count + 1, sizeof *stats);
    char path[4096];
    long long blocks = 0;

    if (!stats)
        return;
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (lstat(path, &stats[i]) == 0)
            blocks += (long long)stats[i].st_blocks;
    }
    printf("total %lld\n", blocks / 2); /* st_blocks counts 512-byte units */
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        print_long(path, names[i], &stats[i], human);
    }
    free(stats);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists one directory.  Returns 0 or 1 (an error was printed). */
static int list_directory(const char *dir, const struct options *o)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    char **names = NULL;
    int count = 0, capacity = 0;

    if (!d) {
        fprintf(stderr, "ls: cannot open directory '%s': %s\n", dir, strerror(errno));
        return 1;
    }
    while ((entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.' && !o->all)
            continue; /* "hidden" files: only a convention of ls */
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            char **bigger = realloc(names, (size_t)capacity * sizeof *names);
            if (!bigger)
                break;
            names = bigger;
        }
        names[count] = strdup(entry->d_name);
        if (names[count])
            count++;
    }
    closedir(d);
    if (count > 0)
        qsort(names, (size_t)count, sizeof *names, compare_names);

    if (o->long_format)
        print_long_listing(dir, names, count, o->human);
    else
        print_columns(names, count);
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return 0;
}

/*
 * Like GNU ls, a symbolic link named on the command line is followed
 * (`ls /proc/self` lists the directory), except with -l, which describes
 * the link itself.  A dangling link is still shown.
 */
static int stat_argument(const char *path, struct stat *st, const struct options *o)
{
    if (!o->long_format && stat(path, st) == 0)
        return 0;
    return lstat(path, st);
}

/*
 * Lists the arguments like ls: first the ones that are not directories,
 * then each directory's contents under a "name:" heading when there are
 * several arguments.  Returns 0, or 1 if anything failed.
 */
static int list_arguments(char **paths, int count, const struct options *o)
{
    struct stat st;
    bool printed = false;
    int status = 0;

    for (int i = 0; i < count; i++) {
        if (stat_argument(paths[i], &st, o) < 0) {
            fprintf(stderr, "ls: cannot access '%s': %s\n", paths[i], strerror(errno));
            status = 1;
        } else if (!S_ISDIR(st.st_mode)) {
            if (o->long_format)
                print_long(paths[i], paths[i], &st, o->human);
            else
                printf("%s\n", paths[i]);
            printed = true;
        }
    }
    for (int i = 0; i < count; i++) {
        if (stat_argument(paths[i], &st, o) < 0 || !S_ISDIR(st.st_mode))
            continue;
        if (count > 1)
            printf("%s%s:\n", printed ? "\n" : "", paths[i]);
        status |= list_directory(paths[i], o);
        printed = true;
    }
    return status;
}

int main(int argc, char **argv)
{
    struct options o = {false, false, false};
    int option;

    while ((option = getopt(argc, argv, "lah")) != -1) {
        switch (option) {
        case 'l':
            o.long_format = true;
            break;
        case 'a':
            o.all = true;
            break;
        case 'h':
            o.human = true;
            break;
        default:
            fprintf(stderr, "usage: ls [-l] [-a] [-h] [FILE...]\n");
            return 2;
        }
    }
    if (optind == argc)
        return list_directory(".", &o);
    return list_arguments(argv + optind, argc - optind, &o);
}
