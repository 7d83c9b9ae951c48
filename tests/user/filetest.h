/*
 * filetest.h - helpers shared by the file-system tests (t_files.c,
 * t_paths.c).  Each case works in a directory of its own,
 * /tmp/<program>.<pid>/<case>: enter_scratch() makes it, at() names files
 * in it, and filetest_main() runs the cases and removes the whole tree.
 */
#ifndef TESTS_USER_FILETEST_H
#define TESTS_USER_FILETEST_H

#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "tests/user/utest.h"

__attribute__((
    unused)) static char base[PATH_MAX]; /* /tmp/t_files.<pid> (its real, absolute name) */
__attribute__((
    unused)) static char scratch[PATH_MAX]; /* base/<case>: the running case's directory */

/* --- helpers ---------------------------------------------------------- */

/* scratch/name, in one of several rotating buffers (so a call may use a few). */
static inline const char *at(const char *name)
{
    static char buffers[8][PATH_MAX];
    static int next;
    char *b = buffers[next++ % 8];
    if (snprintf(b, PATH_MAX, "%s/%s", scratch, name) >= PATH_MAX)
        utest_fail(__FILE__, __LINE__, "path too long for a buffer: %s/%s", scratch, name);
    return b;
}

/* Make the case's own directory (called first by every case). */
static inline void enter_scratch(void)
{
    if (snprintf(scratch, sizeof scratch, "%s/%s", base, utest_case_name) >= (int)sizeof scratch)
        utest_fail(__FILE__, __LINE__, "scratch path too long");
    if (mkdir(scratch, 0755) != 0)
        utest_fail(__FILE__, __LINE__, "cannot make %s: %s", scratch, strerror(errno));
}

/* Create (or replace) file `path` holding exactly `text`. */
static inline void make_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        utest_fail(__FILE__, __LINE__, "cannot create %s: %s", path, strerror(errno));
    size_t len = strlen(text);
    CHECK_EQ(write(fd, text, len), (long)len);
    CHECK_EQ(close(fd), 0);
}

/* The whole content of `path` (up to size-1 bytes), NUL-terminated. */
static inline char *slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        utest_fail(__FILE__, __LINE__, "cannot open %s: %s", path, strerror(errno));
    size_t got = 0;
    ssize_t n;
    while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fd);
    return buf;
}

static inline off_t size_of(const char *path)
{
    struct stat st;
    CHECK_EQ(stat(path, &st), 0);
    return st.st_size;
}

static inline int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Remove a tree (for main's clean-up); errors are ignored. */
static inline void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[PATH_MAX];
            if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= (int)sizeof child)
                continue;
            remove_tree(child);
            rewinddir(d); /* the listing changed under us: start over */
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Runs the cases in /tmp/<name>.<pid> (suite `name`), then removes it. */
static inline int filetest_main(const char *name, const struct utest_case *cases, size_t count,
                                int argc, char **argv)
{
    /* The real name of /tmp (it could be a link), so getcwd can be compared. */
    char tmp[PATH_MAX];
    if (chdir("/tmp") != 0 || !getcwd(tmp, sizeof tmp)) {
        printf("FAIL user.%s.setup: cannot enter /tmp: %s\n", name, strerror(errno));
        return 1;
    }
    if (snprintf(base, sizeof base, "%s/t_%s.%d", strcmp(tmp, "/") == 0 ? "" : tmp, name,
                 (int)getpid()) >= (int)sizeof base) {
        printf("FAIL user.%s.setup: /tmp's real name is too long\n", name);
        return 1;
    }
    if (mkdir(base, 0755) != 0) {
        printf("FAIL user.%s.setup: cannot make %s: %s\n", name, base, strerror(errno));
        return 1;
    }
    int status = utest_main(name, cases, count, argc, argv);
    remove_tree(base);
    return status;
}

#endif
