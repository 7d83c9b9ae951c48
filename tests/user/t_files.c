/*
 * t_files.c - files and directories in /tmp: create, write and read back,
 * lseek, pread/pwrite, O_APPEND, O_TRUNC, ftruncate/truncate, rename,
 * unlink (an open file outlives its name), mkdir/rmdir, directory listings
 * (getdents64), stat/lstat, symbolic links, the working directory, access,
 * umask, a 1 MiB file, and every path error as Linux reports it: ENOENT,
 * ENOTDIR, EISDIR, EEXIST, ENAMETOOLONG, ELOOP, ENOTEMPTY, EINVAL, EFAULT.
 *
 * Each case works in a directory of its own, /tmp/t_files.<pid>/<case>,
 * and main() removes the whole tree at the end.
 */
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

static char base[PATH_MAX];    /* /tmp/t_files.<pid> (its real, absolute name) */
static char scratch[PATH_MAX]; /* base/<case>: the running case's directory */

/* --- helpers ---------------------------------------------------------- */

/* scratch/name, in one of several rotating buffers (so a call may use a few). */
static const char *at(const char *name)
{
    static char buffers[8][PATH_MAX];
    static int next;
    char *b = buffers[next++ % 8];
    if (snprintf(b, PATH_MAX, "%s/%s", scratch, name) >= PATH_MAX)
        utest_fail(__FILE__, __LINE__, "path too long for a buffer: %s/%s", scratch, name);
    return b;
}

/* Make the case's own directory (called first by every case). */
static void enter_scratch(void)
{
    if (snprintf(scratch, sizeof scratch, "%s/%s", base, utest_case_name) >= (int)sizeof scratch)
        utest_fail(__FILE__, __LINE__, "scratch path too long");
    if (mkdir(scratch, 0755) != 0)
        utest_fail(__FILE__, __LINE__, "cannot make %s: %s", scratch, strerror(errno));
}

/* Create (or replace) file `path` holding exactly `text`. */
static void make_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        utest_fail(__FILE__, __LINE__, "cannot create %s: %s", path, strerror(errno));
    size_t len = strlen(text);
    CHECK_EQ(write(fd, text, len), (long)len);
    CHECK_EQ(close(fd), 0);
}

/* The whole content of `path` (up to size-1 bytes), NUL-terminated. */
static char *slurp(const char *path, char *buf, size_t size)
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

static off_t size_of(const char *path)
{
    struct stat st;
    CHECK_EQ(stat(path, &st), 0);
    return st.st_size;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Remove a tree (for main's clean-up); errors are ignored. */
static void remove_tree(const char *path)
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

/* --- reading and writing ----------------------------------------------------- */

static void create_write_read_back(void)
{
    enter_scratch();
    const char *path = at("hello");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "hello, world\n", 13), 13);
    CHECK_EQ(write(fd, "", 0), 0);
    CHECK_EQ(close(fd), 0);
    CHECK_EQ(size_of(path), 13);

    fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    char buf[64];
    memset(buf, 'X', sizeof buf);
    CHECK_EQ(read(fd, buf, sizeof buf), 13);
    CHECK(memcmp(buf, "hello, world\n", 13) == 0);
    CHECK_EQ(buf[13], 'X');                 /* nothing written past the data */
    CHECK_EQ(read(fd, buf, sizeof buf), 0); /* end of file */
    CHECK_EQ(read(fd, buf, sizeof buf), 0);
    CHECK_ERRNO(write(fd, "x", 1), EBADF); /* opened read-only */
    CHECK_EQ(close(fd), 0);

    /* Binary data, every byte value, survives. */
    unsigned char all[256], back[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    fd = open(at("binary"), O_RDWR | O_CREAT, 0600);
    CHECK_EQ(write(fd, all, sizeof all), 256);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(read(fd, back, sizeof back), 256);
    CHECK(memcmp(all, back, sizeof all) == 0);
    fd = open(at("wronly"), O_WRONLY | O_CREAT, 0600);
    CHECK_ERRNO(read(fd, back, 1), EBADF); /* opened write-only */
}

static void lseek_set_cur_end(void)
{
    enter_scratch();
    make_file(at("f"), "0123456789");
    int fd = open(at("f"), O_RDWR);
    char buf[16] = "";
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ(lseek(fd, 3, SEEK_CUR), 3);
    CHECK_EQ(read(fd, buf, 2), 2);
    CHECK(memcmp(buf, "34", 2) == 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
    CHECK_EQ(lseek(fd, -1, SEEK_CUR), 4);
    CHECK_EQ(lseek(fd, -2, SEEK_END), 8);
    CHECK_EQ(read(fd, buf, 10), 2);
    CHECK(memcmp(buf, "89", 2) == 0);
    CHECK_EQ(lseek(fd, 0, SEEK_END), 10);
    /* Past the end: a later write leaves a hole that reads as zeros. */
    CHECK_EQ(lseek(fd, 5, SEEK_END), 15);
    CHECK_EQ(read(fd, buf, 1), 0);
    CHECK_EQ(write(fd, "X", 1), 1);
    CHECK_EQ(size_of(at("f")), 16);
    CHECK_EQ(pread(fd, buf, 16, 0), 16);
    CHECK(memcmp(buf, "0123456789\0\0\0\0\0X", 16) == 0);
    /* Bad requests leave the offset alone. */
    CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
    CHECK_ERRNO(lseek(fd, -3, SEEK_SET), EINVAL);
    CHECK_ERRNO(lseek(fd, -3, SEEK_CUR), EINVAL);
    CHECK_ERRNO(lseek(fd, -100, SEEK_END), EINVAL);
    CHECK_ERRNO(lseek(fd, 0, 77), EINVAL);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
}

static void pread_pwrite_do_not_move_the_offset(void)
{
    enter_scratch();
    make_file(at("f"), "abcdefgh");
    int fd = open(at("f"), O_RDWR);
    CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
    char buf[16] = "";
    CHECK_EQ(pread(fd, buf, 3, 5), 3);
    CHECK(memcmp(buf, "fgh", 3) == 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2);
    CHECK_EQ(pread(fd, buf, 10, 6), 2); /* short at the end */
    CHECK_EQ(pread(fd, buf, 10, 100), 0);
    CHECK_EQ(pwrite(fd, "XY", 2, 0), 2);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2);
    CHECK_EQ(read(fd, buf, 2), 2);
    CHECK(memcmp(buf, "cd", 2) == 0);
    CHECK_EQ(pwrite(fd, "Z", 1, 10), 1); /* past the end: a hole at 8, 9 */
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
    CHECK_EQ(pread(fd, buf, 16, 0), 11);
    CHECK(memcmp(buf, "XYcdefgh\0\0Z", 11) == 0);
    CHECK_ERRNO(pread(fd, buf, 1, -1), EINVAL);
    CHECK_ERRNO(pwrite(fd, buf, 1, -1), EINVAL);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_ERRNO(pread(p[0], buf, 1, 0), ESPIPE);
    CHECK_ERRNO(pwrite(p[1], buf, 1, 0), ESPIPE);
}

static void o_append_always_writes_at_the_end(void)
{
    enter_scratch();
    make_file(at("log"), "start;");
    int a = open(at("log"), O_WRONLY | O_APPEND);
    int b = open(at("log"), O_RDWR | O_APPEND);
    CHECK(a >= 0 && b >= 0);
    CHECK_EQ(lseek(a, 0, SEEK_SET), 0);
    CHECK_EQ(write(a, "one;", 4), 4);
    CHECK_EQ(lseek(a, 0, SEEK_CUR), 10); /* the offset follows the write */
    CHECK_EQ(write(b, "two;", 4), 4);    /* b's offset was 0: still at the end */
    CHECK_EQ(write(a, "three;", 6), 6);
    char buf[64];
    CHECK_STR(slurp(at("log"), buf, sizeof buf), "start;one;two;three;");
    /* Reading through an O_APPEND descriptor uses the offset normally. */
    CHECK_EQ(lseek(b, 6, SEEK_SET), 6);
    CHECK_EQ(read(b, buf, 4), 4);
    CHECK(memcmp(buf, "one;", 4) == 0);
}

static void o_trunc_empties_the_file(void)
{
    enter_scratch();
    make_file(at("f"), "some old content");
    int fd = open(at("f"), O_WRONLY | O_TRUNC);
    CHECK(fd >= 0);
    CHECK_EQ(size_of(at("f")), 0);
    CHECK_EQ(write(fd, "new", 3), 3);
    CHECK_EQ(close(fd), 0);
    char buf[64];
    CHECK_STR(slurp(at("f"), buf, sizeof buf), "new");
    /* O_CREAT|O_TRUNC on an existing file truncates too; creat() is that. */
    fd = creat(at("f"), 0644);
    CHECK(fd >= 0);
    CHECK_EQ(size_of(at("f")), 0);
}

static void ftruncate_shrinks_and_grows(void)
{
    enter_scratch();
    make_file(at("f"), "0123456789");
    int fd = open(at("f"), O_RDWR);
    CHECK_EQ(ftruncate(fd, 4), 0);
    CHECK_EQ(size_of(at("f")), 4);
    char buf[64];
    CHECK_STR(slurp(at("f"), buf, sizeof buf), "0123");
    /* Growing adds zeros -- also where the old bytes 4..9 used to be. */
    CHECK_EQ(ftruncate(fd, 8192 + 100), 0);
    CHECK_EQ(size_of(at("f")), 8292);
    static char big[8292];
    CHECK_EQ(pread(fd, big, sizeof big, 0), 8292);
    CHECK(memcmp(big, "0123", 4) == 0);
    for (int i = 4; i < 8292; i++)
        if (big[i] != 0)
            utest_fail(__FILE__, __LINE__, "byte %d after growing is %d, want 0", i, big[i]);
    /* Shrinking to a page boundary and inside the first page. */
    CHECK_EQ(ftruncate(fd, 4096), 0);
    CHECK_EQ(size_of(at("f")), 4096);
    CHECK_EQ(ftruncate(fd, 0), 0);
    CHECK_EQ(size_of(at("f")), 0);
    CHECK_EQ(pread(fd, buf, 10, 0), 0);
    /* The offset is not changed by truncation. */
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
    CHECK_ERRNO(ftruncate(fd, -1), EINVAL);
    int ro = open(at("f"), O_RDONLY);
    CHECK_ERRNO(ftruncate(ro, 0), EINVAL); /* not open for writing */
    CHECK_ERRNO(ftruncate(200, 0), EBADF);
}

static void truncate_by_path(void)
{
    enter_scratch();
    make_file(at("f"), "abcdefgh");
    CHECK_EQ(truncate(at("f"), 3), 0);
    char buf[64];
    CHECK_STR(slurp(at("f"), buf, sizeof buf), "abc");
    CHECK_EQ(truncate(at("f"), 5), 0);
    CHECK_EQ(size_of(at("f")), 5);
    CHECK_EQ(slurp(at("f"), buf, sizeof buf)[3], '\0');
    CHECK_ERRNO(truncate(at("missing"), 0), ENOENT);
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    CHECK_ERRNO(truncate(at("d"), 0), EISDIR);
    CHECK_ERRNO(truncate(at("f"), -1), EINVAL);
}

/* --- names: rename, unlink, mkdir, rmdir ------------------------------------- */

static void rename_a_file(void)
{
    enter_scratch();
    make_file(at("old"), "content");
    CHECK_EQ(rename(at("old"), at("new")), 0);
    CHECK(!exists(at("old")));
    char buf[64];
    CHECK_STR(slurp(at("new"), buf, sizeof buf), "content");
    CHECK_EQ(rename(at("new"), at("new")), 0); /* to itself: nothing happens */
    CHECK_STR(slurp(at("new"), buf, sizeof buf), "content");
    CHECK_ERRNO(rename(at("old"), at("other")), ENOENT);
}

static void rename_into_another_directory(void)
{
    enter_scratch();
    make_file(at("f"), "moved");
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    CHECK_EQ(rename(at("f"), at("d/g")), 0);
    CHECK(!exists(at("f")));
    char buf[64];
    CHECK_STR(slurp(at("d/g"), buf, sizeof buf), "moved");
    CHECK_ERRNO(rename(at("d/g"), at("nodir/g")), ENOENT);
    CHECK(exists(at("d/g")));
}

static void rename_replaces_an_existing_file(void)
{
    enter_scratch();
    make_file(at("a"), "AAA");
    make_file(at("b"), "BB");
    int old_b = open(at("b"), O_RDONLY);
    CHECK(old_b >= 0);
    CHECK_EQ(rename(at("a"), at("b")), 0);
    CHECK(!exists(at("a")));
    char buf[64];
    CHECK_STR(slurp(at("b"), buf, sizeof buf), "AAA");
    /* The replaced file lives on for whoever has it open. */
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(old_b, buf, sizeof buf), 2);
    CHECK_STR(buf, "BB");
}

static void rename_a_directory(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("d1"), 0755), 0);
    make_file(at("d1/file"), "inside");
    CHECK_EQ(mkdir(at("parent"), 0755), 0);
    CHECK_EQ(rename(at("d1"), at("d2")), 0);
    CHECK(!exists(at("d1")));
    char buf[64];
    CHECK_STR(slurp(at("d2/file"), buf, sizeof buf), "inside");
    /* Into another directory: its ".." follows. */
    CHECK_EQ(rename(at("d2"), at("parent/d3")), 0);
    struct stat up, parent;
    CHECK_EQ(stat(at("parent/d3/.."), &up), 0);
    CHECK_EQ(stat(at("parent"), &parent), 0);
    CHECK_EQ(up.st_ino, parent.st_ino);
    CHECK_STR(slurp(at("parent/d3/file"), buf, sizeof buf), "inside");
    /* Over an empty directory: allowed; over a non-empty one: ENOTEMPTY. */
    CHECK_EQ(mkdir(at("empty"), 0755), 0);
    CHECK_EQ(rename(at("parent/d3"), at("empty")), 0);
    CHECK_STR(slurp(at("empty/file"), buf, sizeof buf), "inside");
    CHECK_EQ(mkdir(at("other"), 0755), 0);
    CHECK_ERRNO(rename(at("other"), at("empty")), ENOTEMPTY);
    /* A directory and a file cannot replace each other. */
    make_file(at("plain"), "x");
    CHECK_ERRNO(rename(at("other"), at("plain")), ENOTDIR);
    CHECK_ERRNO(rename(at("plain"), at("other")), EISDIR);
}

static void rename_directory_into_itself_is_einval(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("a"), 0755), 0);
    CHECK_EQ(mkdir(at("a/b"), 0755), 0);
    CHECK_ERRNO(rename(at("a"), at("a/b/c")), EINVAL);
    CHECK_ERRNO(rename(at("a"), at("a/c")), EINVAL);
    CHECK(exists(at("a/b")));
}

static void unlink_removes_the_name_not_the_open_file(void)
{
    enter_scratch();
    make_file(at("f"), "data");
    int fd = open(at("f"), O_RDWR);
    CHECK(fd >= 0);
    CHECK_EQ(unlink(at("f")), 0);
    CHECK(!exists(at("f")));
    CHECK_ERRNO(open(at("f"), O_RDONLY), ENOENT);
    CHECK_ERRNO(unlink(at("f")), ENOENT);
    char buf[16] = "";
    CHECK_EQ(read(fd, buf, sizeof buf), 4);
    CHECK_STR(buf, "data");
    CHECK_EQ(write(fd, "more", 4), 4); /* still writable */
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_nlink, 0);
    CHECK_EQ(st.st_size, 8);
    /* A new file of the same name is a different file. */
    make_file(at("f"), "new");
    CHECK_EQ(pread(fd, buf, sizeof buf, 0), 8);
    CHECK(memcmp(buf, "datamore", 8) == 0);
    CHECK_EQ(close(fd), 0);
    CHECK_STR(slurp(at("f"), buf, sizeof buf), "new");
}

static void mkdir_and_rmdir(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    struct stat st;
    CHECK_EQ(stat(at("d"), &st), 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK_EQ(rmdir(at("d")), 0);
    CHECK_ERRNO(stat(at("d"), &st), ENOENT);
    CHECK_ERRNO(rmdir(at("d")), ENOENT);
    /* Not empty: a file, or a subdirectory, keeps it. */
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    make_file(at("d/f"), "x");
    CHECK_ERRNO(rmdir(at("d")), ENOTEMPTY);
    CHECK_EQ(unlink(at("d/f")), 0);
    CHECK_EQ(mkdir(at("d/sub"), 0755), 0);
    CHECK_ERRNO(rmdir(at("d")), ENOTEMPTY);
    CHECK_EQ(rmdir(at("d/sub")), 0);
    CHECK_EQ(rmdir(at("d/")), 0); /* a trailing slash names the directory */
    CHECK(!exists(at("d")));
    /* Only directories. */
    make_file(at("file"), "x");
    CHECK_ERRNO(rmdir(at("file")), ENOTDIR);
    CHECK_EQ(mkdir(at("e"), 0755), 0);
    CHECK_ERRNO(rmdir(at("e/.")), EINVAL);
    /* Link counts: a directory has 2 plus one per subdirectory. */
    CHECK_EQ(mkdir(at("e/x"), 0755), 0);
    CHECK_EQ(mkdir(at("e/y"), 0755), 0);
    CHECK_EQ(stat(at("e"), &st), 0);
    CHECK_EQ(st.st_nlink, 4);
}

/* --- directory listings ------------------------------------------------------- */

struct seen {
    const char *name;
    unsigned char type;
    int count;
};

static void listing_shows_exactly_the_names(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    make_file(at("d/a"), "1");
    make_file(at("d/bb"), "22");
    make_file(at("d/ccc"), "333");
    CHECK_EQ(mkdir(at("d/sub"), 0755), 0);
    CHECK_EQ(symlink("a", at("d/lnk")), 0);
    make_file(at("d/gone"), "");
    CHECK_EQ(unlink(at("d/gone")), 0);

    struct seen want[] = {
        {".", DT_DIR, 0},   {"..", DT_DIR, 0},  {"a", DT_REG, 0},   {"bb", DT_REG, 0},
        {"ccc", DT_REG, 0}, {"sub", DT_DIR, 0}, {"lnk", DT_LNK, 0},
    };
    size_t nwant = sizeof want / sizeof want[0];
    DIR *dir = opendir(at("d"));
    CHECK(dir != NULL);
    struct dirent *e;
    while ((errno = 0, e = readdir(dir))) {
        size_t i;
        for (i = 0; i < nwant; i++)
            if (strcmp(e->d_name, want[i].name) == 0)
                break;
        if (i == nwant)
            utest_fail(__FILE__, __LINE__, "unexpected entry \"%s\" in the listing", e->d_name);
        want[i].count++;
        if (e->d_type != want[i].type)
            utest_fail(__FILE__, __LINE__, "entry \"%s\" has d_type %d, want %d", e->d_name,
                       e->d_type, want[i].type);
    }
    CHECK_EQ(errno, 0);
    for (size_t i = 0; i < nwant; i++)
        if (want[i].count != 1)
            utest_fail(__FILE__, __LINE__, "entry \"%s\" listed %d times, want once", want[i].name,
                       want[i].count);
    /* d_ino matches stat's st_ino. */
    rewinddir(dir);
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, "ccc") == 0) {
            struct stat st;
            CHECK_EQ(stat(at("d/ccc"), &st), 0);
            CHECK_EQ(e->d_ino, st.st_ino);
        }
    }
    closedir(dir);
}

#define MANY 300

/* More entries than fit in one getdents64 buffer: each appears exactly once. */
static void listing_of_many_entries_sees_each_once(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("many"), 0755), 0);
    char name[64];
    for (int i = 0; i < MANY; i++) {
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        make_file(at(name), "");
    }
    static int count[MANY];
    int fd = open(at("many"), O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0);
    char buf[1024]; /* small on purpose: many calls */
    int calls = 0, dots = 0, unexpected = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        CHECK(n >= 0);
        if (n == 0)
            break;
        calls++;
        for (long pos = 0; pos < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + pos);
            int i;
            if (sscanf(d->d_name, "entry-with-a-longish-name-%d", &i) == 1 && i >= 0 && i < MANY)
                count[i]++;
            else if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
                dots++;
            else
                unexpected++;
            pos += d->d_reclen;
        }
    }
    CHECK(calls > 1);
    CHECK_EQ(dots, 2);
    CHECK_EQ(unexpected, 0);
    for (int i = 0; i < MANY; i++)
        if (count[i] != 1)
            utest_fail(__FILE__, __LINE__, "entry %d listed %d times, want once", i, count[i]);
    /* A buffer too small for even one entry is EINVAL, on a file ENOTDIR. */
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    CHECK_ERRNO(syscall(SYS_getdents64, fd, buf, 8), EINVAL);
    int file = open(at("many/entry-with-a-longish-name-000"), O_RDONLY);
    CHECK_ERRNO(syscall(SYS_getdents64, file, buf, sizeof buf), ENOTDIR);
}

/* --- stat and symbolic links -------------------------------------------------- */

static void stat_fields(void)
{
    enter_scratch();
    make_file(at("f"), "twelve bytes");
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    CHECK_EQ(symlink("f", at("l")), 0);
    struct stat st, fst, lst;
    CHECK_EQ(stat(at("f"), &st), 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_size, 12);
    CHECK_EQ(st.st_nlink, 1);
    int fd = open(at("f"), O_RDONLY);
    CHECK_EQ(fstat(fd, &fst), 0);
    CHECK_EQ(fst.st_ino, st.st_ino);
    CHECK_EQ(fst.st_dev, st.st_dev);
    CHECK_EQ(fst.st_size, 12);

    CHECK_EQ(stat(at("d"), &st), 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK(!S_ISREG(st.st_mode));

    CHECK_EQ(lstat(at("l"), &lst), 0);
    CHECK(S_ISLNK(lst.st_mode));
    CHECK_EQ(lst.st_size, 1); /* the length of the target "f" */
    CHECK(lst.st_ino != fst.st_ino);
    CHECK_EQ(stat(at("l"), &st), 0); /* stat follows the link */
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_ino, fst.st_ino);
    CHECK_EQ(lstat(at("f"), &lst), 0); /* lstat of a non-link is stat */
    CHECK_EQ(lst.st_ino, fst.st_ino);

    /* Two different files have different inode numbers. */
    make_file(at("g"), "");
    CHECK_EQ(stat(at("g"), &st), 0);
    CHECK(st.st_ino != fst.st_ino);
    CHECK_EQ(st.st_size, 0);
}

static void symlink_readlink_and_following(void)
{
    enter_scratch();
    make_file(at("target"), "through the link");
    CHECK_EQ(symlink("target", at("lnk")), 0);
    char buf[64];
    memset(buf, 'X', sizeof buf);
    CHECK_EQ(readlink(at("lnk"), buf, sizeof buf), 6);
    CHECK(memcmp(buf, "targetX", 7) == 0);    /* no NUL is added */
    CHECK_EQ(readlink(at("lnk"), buf, 3), 3); /* truncated to the buffer */
    CHECK(memcmp(buf, "tar", 3) == 0);
    CHECK_STR(slurp(at("lnk"), buf, sizeof buf), "through the link");

    /* A link to a directory works in the middle of a path; an absolute target too. */
    CHECK_EQ(mkdir(at("dir"), 0755), 0);
    make_file(at("dir/inner"), "inner");
    CHECK_EQ(symlink(at("dir"), at("dirlink")), 0);
    CHECK_STR(slurp(at("dirlink/inner"), buf, sizeof buf), "inner");
    /* A link to a link. */
    CHECK_EQ(symlink("lnk", at("lnk2")), 0);
    CHECK_STR(slurp(at("lnk2"), buf, sizeof buf), "through the link");
    /* Writing through a link writes the target. */
    int fd = open(at("lnk"), O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "!", 1), 1);
    CHECK_STR(slurp(at("target"), buf, sizeof buf), "through the link!");
    /* Removing the link leaves the target; a dangling link cannot be opened. */
    CHECK_EQ(unlink(at("lnk2")), 0);
    CHECK(exists(at("lnk")));
    CHECK_EQ(symlink("nowhere", at("dangling")), 0);
    CHECK_ERRNO(open(at("dangling"), O_RDONLY), ENOENT);
    struct stat st;
    CHECK_EQ(lstat(at("dangling"), &st), 0);
    /* Errors. */
    CHECK_ERRNO(readlink(at("target"), buf, sizeof buf), EINVAL); /* not a link */
    CHECK_ERRNO(readlink(at("missing"), buf, sizeof buf), ENOENT);
    CHECK_ERRNO(symlink("x", at("target")), EEXIST);
    CHECK_ERRNO(symlink("x", at("missing/x")), ENOENT);
}

/* open(O_CREAT) through a dangling link creates the file it points to. */
static void create_through_a_dangling_symlink(void)
{
    enter_scratch();
    CHECK_EQ(symlink("made", at("dangling")), 0);
    int fd = open(at("dangling"), O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "via link", 8), 8);
    CHECK_EQ(close(fd), 0);
    char buf[64];
    CHECK_STR(slurp(at("made"), buf, sizeof buf), "via link");
    struct stat st;
    CHECK_EQ(lstat(at("dangling"), &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    /* ...but with O_EXCL the link itself counts as existing. */
    CHECK_EQ(symlink("other", at("dangling2")), 0);
    CHECK_ERRNO(open(at("dangling2"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK(!exists(at("other")));
}

/* --- working directory ----------------------------------------------------------- */

static void chdir_getcwd_and_relative_paths(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("a"), 0755), 0);
    CHECK_EQ(mkdir(at("a/b"), 0755), 0);
    CHECK_EQ(mkdir(at("a/b/c"), 0755), 0);
    CHECK_EQ(chdir(at("a/b/c")), 0);
    char cwd[PATH_MAX];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, at("a/b/c"));
    /* Relative names start here. */
    make_file("rel", "relative");
    char buf[64];
    CHECK_STR(slurp(at("a/b/c/rel"), buf, sizeof buf), "relative");
    CHECK_STR(slurp("./rel", buf, sizeof buf), "relative");
    CHECK_STR(slurp("../c/rel", buf, sizeof buf), "relative");
    CHECK_EQ(mkdir("newdir", 0755), 0);
    CHECK(exists(at("a/b/c/newdir")));
    CHECK_EQ(chdir(".."), 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, at("a/b"));
    CHECK_STR(slurp("c/rel", buf, sizeof buf), "relative");
    /* fchdir to an open directory. */
    int dfd = open(scratch, O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    CHECK_EQ(fchdir(dfd), 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, scratch);
    CHECK_STR(slurp("a/b/c/rel", buf, sizeof buf), "relative");
    /* The root's parent is the root. */
    CHECK_EQ(chdir("/.."), 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, "/");
    /* Errors. */
    CHECK_EQ(chdir(scratch), 0);
    make_file("file", "x");
    CHECK_ERRNO(chdir("file"), ENOTDIR);
    CHECK_ERRNO(chdir("missing"), ENOENT);
    int ffd = open("file", O_RDONLY);
    CHECK_ERRNO(fchdir(ffd), ENOTDIR);
    CHECK_ERRNO(fchdir(200), EBADF);
    CHECK_ERRNO(syscall(SYS_getcwd, cwd, (size_t)3), ERANGE);
    CHECK(getcwd(cwd, sizeof cwd) != NULL); /* still where we were */
    CHECK_STR(cwd, scratch);
}

static void access_checks_existence(void)
{
    enter_scratch();
    make_file(at("f"), "x");
    CHECK_EQ(chmod(at("f"), 0644), 0);
    CHECK_EQ(access(at("f"), F_OK), 0);
    CHECK_EQ(access(at("f"), R_OK | W_OK), 0);
    CHECK_ERRNO(access(at("f"), X_OK), EACCES); /* no execute bit anywhere */
    CHECK_EQ(chmod(at("f"), 0755), 0);
    CHECK_EQ(access(at("f"), X_OK), 0);
    CHECK_EQ(access(scratch, X_OK), 0);
    CHECK_ERRNO(access(at("missing"), F_OK), ENOENT);
    CHECK_ERRNO(access(at("missing/f"), F_OK), ENOENT);
    CHECK_ERRNO(access(at("f/x"), F_OK), ENOTDIR);
    CHECK_ERRNO(access(at("f"), 0x40), EINVAL);
}

static void umask_affects_created_modes(void)
{
    enter_scratch();
    umask(022);
    CHECK_EQ(umask(027), 022); /* returns the previous mask */
    int fd = open(at("f027"), O_CREAT | O_WRONLY, 0666);
    CHECK(fd >= 0);
    struct stat st;
    CHECK_EQ(stat(at("f027"), &st), 0);
    CHECK_EQ(st.st_mode & 07777, 0640);
    CHECK_EQ(umask(077), 027);
    CHECK_EQ(mkdir(at("d077"), 0777), 0);
    CHECK_EQ(stat(at("d077"), &st), 0);
    CHECK_EQ(st.st_mode & 07777, 0700);
    CHECK_EQ(umask(0), 077);
    CHECK_EQ(mkdir(at("d000"), 0751), 0);
    CHECK_EQ(stat(at("d000"), &st), 0);
    CHECK_EQ(st.st_mode & 07777, 0751);
    fd = open(at("f000"), O_CREAT | O_WRONLY, 0604);
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ(st.st_mode & 07777, 0604);
    /* chmod is not masked. */
    umask(0777);
    CHECK_EQ(chmod(at("f000"), 0666), 0);
    CHECK_EQ(stat(at("f000"), &st), 0);
    CHECK_EQ(st.st_mode & 07777, 0666);
    /* The umask is inherited by a child. */
    umask(0033);
    pid_t pid = fork();
    if (pid == 0)
        _exit(umask(0) == 0033 ? 0 : 1);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(status, 0);
}

/* A removed working directory: it has no name, and nothing new can go in it. */
static void removed_working_directory(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("doomed"), 0755), 0);
    CHECK_EQ(chdir(at("doomed")), 0);
    CHECK_EQ(rmdir(at("doomed")), 0);
    char cwd[PATH_MAX];
    errno = 0;
    CHECK(getcwd(cwd, sizeof cwd) == NULL);
    CHECK_EQ(errno, ENOENT);
    struct stat st;
    CHECK_EQ(stat(".", &st), 0); /* it still exists while it is our directory */
    CHECK(S_ISDIR(st.st_mode));
    CHECK_EQ(st.st_nlink, 0);
    CHECK_ERRNO(open("new", O_CREAT | O_WRONLY, 0644), ENOENT);
    CHECK_ERRNO(mkdir("newdir", 0755), ENOENT);
    CHECK_ERRNO(symlink("x", "newlink"), ENOENT);
    CHECK(!exists(at("doomed")));
    CHECK_EQ(chdir(".."), 0); /* ".." still leads back */
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, scratch);
}

/* Writing changes a file's modification time; reading does not. */
static void write_updates_the_modification_time(void)
{
    enter_scratch();
    make_file(at("f"), "x");
    struct stat before, after;
    CHECK_EQ(stat(at("f"), &before), 0);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    char buf[8];
    slurp(at("f"), buf, sizeof buf);
    CHECK_EQ(stat(at("f"), &after), 0);
    CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
          after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    int fd = open(at("f"), O_WRONLY | O_APPEND);
    CHECK_EQ(write(fd, "y", 1), 1);
    CHECK_EQ(fstat(fd, &after), 0);
    long long b = before.st_mtim.tv_sec * 1000000000ll + before.st_mtim.tv_nsec;
    long long a = after.st_mtim.tv_sec * 1000000000ll + after.st_mtim.tv_nsec;
    if (a <= b)
        utest_fail(__FILE__, __LINE__, "mtime went from %lld to %lld ns after a write 50 ms later",
                   b, a);
    /* The time is the real time of day (within a generous minute). */
    time_t now = time(NULL);
    CHECK(after.st_mtim.tv_sec >= now - 60 && after.st_mtim.tv_sec <= now + 60);
    /* A directory's time changes when a name is added. */
    CHECK_EQ(stat(scratch, &before), 0);
    nanosleep(&pause, NULL);
    make_file(at("g"), "");
    CHECK_EQ(stat(scratch, &after), 0);
    b = before.st_mtim.tv_sec * 1000000000ll + before.st_mtim.tv_nsec;
    a = after.st_mtim.tv_sec * 1000000000ll + after.st_mtim.tv_nsec;
    CHECK(a > b);
}

static void readv_and_writev(void)
{
    enter_scratch();
    int fd = open(at("f"), O_RDWR | O_CREAT, 0644);
    struct iovec out[3] = {{"one,", 4}, {"", 0}, {"two,three", 9}};
    CHECK_EQ(writev(fd, out, 3), 13);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 13);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    char a[6] = "", b[20] = "";
    struct iovec in[2] = {{a, 5}, {b, sizeof b - 1}};
    CHECK_EQ(readv(fd, in, 2), 13);
    CHECK_STR(a, "one,t");
    CHECK_STR(b, "wo,three");
    CHECK_ERRNO(readv(fd, in, -1), EINVAL);
    CHECK_ERRNO(writev(fd, out, 1025), EINVAL); /* more than IOV_MAX */
    CHECK_ERRNO(writev(fd, (struct iovec *)0xffff800000000000ul, 1), EFAULT);
}

/* FNV-1a, for comparing big files. */
static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

#define BIG (1024 * 1024)

static void one_mib_file_reads_back_the_same(void)
{
    enter_scratch();
    int fd = open(at("big"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    static unsigned char chunk[4096];
    uint64_t wrote = 14695981039346656037ull, x = 12345;
    for (int i = 0; i < BIG / 4096; i++) {
        for (int j = 0; j < 4096; j++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            chunk[j] = (unsigned char)x;
        }
        wrote = fnv(wrote, chunk, sizeof chunk);
        CHECK_EQ(write(fd, chunk, sizeof chunk), 4096);
    }
    CHECK_EQ(size_of(at("big")), BIG);
    CHECK_EQ(close(fd), 0);
    /* Read back in a size that straddles the pages. */
    fd = open(at("big"), O_RDONLY);
    uint64_t read_back = 14695981039346656037ull;
    static unsigned char buf[3001];
    long total = 0, n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        read_back = fnv(read_back, buf, (size_t)n);
        total += n;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(total, BIG);
    if (read_back != wrote)
        utest_fail(__FILE__, __LINE__,
                   "checksum of what was read %016llx, of what was written %016llx",
                   (unsigned long long)read_back, (unsigned long long)wrote);
}

/* --- path errors ---------------------------------------------------------------- */

static void enoent_errors(void)
{
    enter_scratch();
    struct stat st;
    CHECK_ERRNO(open(at("missing"), O_RDONLY), ENOENT);
    CHECK_ERRNO(open(at("missing/child"), O_RDONLY), ENOENT);
    CHECK_ERRNO(open(at("missing/child"), O_CREAT | O_WRONLY, 0644), ENOENT);
    CHECK_ERRNO(stat(at("missing/child"), &st), ENOENT);
    CHECK_ERRNO(mkdir(at("missing/child"), 0755), ENOENT);
    CHECK_ERRNO(unlink(at("missing")), ENOENT);
    CHECK_ERRNO(rmdir(at("missing")), ENOENT);
    CHECK_ERRNO(rename(at("missing"), at("x")), ENOENT);
    CHECK_ERRNO(open("", O_RDONLY), ENOENT);
    CHECK_ERRNO(stat("", &st), ENOENT);
    CHECK_ERRNO(mkdir("", 0755), ENOENT);
}

static void enotdir_errors(void)
{
    enter_scratch();
    make_file(at("f"), "x");
    struct stat st;
    CHECK_ERRNO(open(at("f/x"), O_RDONLY), ENOTDIR);
    CHECK_ERRNO(open(at("f/x"), O_CREAT | O_WRONLY, 0644), ENOTDIR);
    CHECK_ERRNO(stat(at("f/x"), &st), ENOTDIR);
    CHECK_ERRNO(mkdir(at("f/x"), 0755), ENOTDIR);
    CHECK_ERRNO(unlink(at("f/x")), ENOTDIR);
    CHECK_ERRNO(rmdir(at("f")), ENOTDIR);
    CHECK_ERRNO(open(at("f/"), O_RDONLY), ENOTDIR);
    CHECK_ERRNO(stat(at("f/"), &st), ENOTDIR);
    CHECK_ERRNO(open(at("f"), O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK(opendir(at("f")) == NULL);
    CHECK_EQ(errno, ENOTDIR);
    /* A trailing slash says "directory": a file so named is not removed or moved. */
    CHECK_ERRNO(unlink(at("f/")), ENOTDIR);
    CHECK_ERRNO(rename(at("f/"), at("g")), ENOTDIR);
    CHECK_ERRNO(rename(at("f"), at("f/x")), ENOTDIR);
    CHECK(exists(at("f")));
    CHECK(!exists(at("g")));
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    CHECK_ERRNO(rename(at("d"), at("f")), ENOTDIR);
}

static void eisdir_errors(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    CHECK_ERRNO(open(at("d"), O_WRONLY), EISDIR);
    CHECK_ERRNO(open(at("d"), O_RDWR), EISDIR);
    CHECK_ERRNO(open(at("d"), O_WRONLY | O_CREAT, 0644), EISDIR);
    CHECK_ERRNO(open(at("d"), O_RDONLY | O_CREAT, 0644), EISDIR); /* O_CREAT: never a directory */
    CHECK_ERRNO(open(at("new/"), O_WRONLY | O_CREAT, 0644), EISDIR); /* a slash asks for one */
    CHECK(!exists(at("new")));
    CHECK_ERRNO(unlink(at("d")), EISDIR);
    int fd = open(at("d"), O_RDONLY); /* reading a directory's name is fine... */
    CHECK(fd >= 0);
    char c;
    CHECK_ERRNO(read(fd, &c, 1), EISDIR); /* ...read() on it is not */
    CHECK(exists(at("d")));
}

static void eexist_errors(void)
{
    enter_scratch();
    CHECK_EQ(mkdir(at("d"), 0755), 0);
    make_file(at("f"), "keep");
    CHECK_ERRNO(mkdir(at("d"), 0755), EEXIST);
    CHECK_ERRNO(mkdir(at("f"), 0755), EEXIST);
    CHECK_ERRNO(open(at("f"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    CHECK_ERRNO(open(at("d"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    CHECK_ERRNO(symlink("x", at("d")), EEXIST);
    char buf[16];
    CHECK_STR(slurp(at("f"), buf, sizeof buf), "keep"); /* untouched */
    /* O_CREAT without O_EXCL opens the existing file, without truncating. */
    int fd = open(at("f"), O_CREAT | O_RDWR, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(read(fd, buf, sizeof buf), 4);
}

static void enametoolong_errors(void)
{
    enter_scratch();
    char name[301];
    memset(name, 'n', 300);
    name[300] = '\0';
    struct stat st;
    CHECK_ERRNO(open(at(name), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
    CHECK_ERRNO(open(at(name), O_RDONLY), ENAMETOOLONG);
    CHECK_ERRNO(stat(at(name), &st), ENAMETOOLONG);
    CHECK_ERRNO(mkdir(at(name), 0755), ENAMETOOLONG);
    /* A middle component too. */
    char middle[400];
    snprintf(middle, sizeof middle, "%s/x", name);
    CHECK_ERRNO(stat(at(middle), &st), ENAMETOOLONG);
    /* 255 characters is the most a name may have. */
    name[255] = '\0';
    int fd = open(at(name), O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(stat(at(name), &st), 0);
    name[255] = 'n';
    name[256] = '\0';
    CHECK_ERRNO(open(at(name), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);

    /* A whole path of 4095 characters is allowed, 4096 is not (PATH_MAX
     * counts the NUL): "././././...f" padded at the front. */
    make_file(at("f"), "x");
    CHECK_EQ(chdir(scratch), 0);
    static char path[5000];
    for (int len = 4095; len <= 4096; len++) {
        /* "./././.../f" -- or ".//././.../f" to make the length odd */
        memset(path, 0, sizeof path);
        int prefix = len - 1, i = 0;
        if (prefix % 2) {
            memcpy(path, ".//", 3);
            i = 3;
        }
        while (i < prefix) {
            memcpy(path + i, "./", 2);
            i += 2;
        }
        path[len - 1] = 'f';
        CHECK_EQ((long)strlen(path), len);
        if (len == 4095)
            CHECK_EQ(stat(path, &st), 0);
        else
            CHECK_ERRNO(stat(path, &st), ENAMETOOLONG);
    }
    memset(path, 'a', sizeof path - 1);
    CHECK_ERRNO(open(path, O_RDONLY), ENAMETOOLONG);
}

static void eloop_errors(void)
{
    enter_scratch();
    CHECK_EQ(symlink("self", at("self")), 0);
    struct stat st;
    CHECK_ERRNO(open(at("self"), O_RDONLY), ELOOP);
    CHECK_ERRNO(stat(at("self"), &st), ELOOP);
    CHECK_ERRNO(open(at("self/x"), O_RDONLY), ELOOP);
    CHECK_EQ(lstat(at("self"), &st), 0); /* the link itself is fine */
    CHECK(S_ISLNK(st.st_mode));
    CHECK_EQ(symlink("ping", at("pong")), 0);
    CHECK_EQ(symlink("pong", at("ping")), 0);
    CHECK_ERRNO(open(at("ping"), O_RDONLY), ELOOP);
    /* O_NOFOLLOW refuses a link even to an existing file. */
    make_file(at("real"), "x");
    CHECK_EQ(symlink("real", at("lnk")), 0);
    CHECK_ERRNO(open(at("lnk"), O_RDONLY | O_NOFOLLOW), ELOOP);
    int fd = open(at("real"), O_RDONLY | O_NOFOLLOW);
    CHECK(fd >= 0);
    /* A chain of 8 links resolves; one of 45 is too many (the limit is 40). */
    char from[32], to[32];
    for (int i = 0; i < 45; i++) {
        snprintf(from, sizeof from, "chain%d", i);
        if (i == 0)
            snprintf(to, sizeof to, "real");
        else
            snprintf(to, sizeof to, "chain%d", i - 1);
        CHECK_EQ(symlink(to, at(from)), 0);
    }
    CHECK_EQ(stat(at("chain7"), &st), 0);
    CHECK_ERRNO(stat(at("chain44"), &st), ELOOP);
}

/* A path pointer the kernel cannot read is EFAULT, never a crash. */
static void efault_for_unreadable_paths(void)
{
    enter_scratch();
    const char *kernel = (const char *)0xffff800000000000ul;
    struct stat st;
    CHECK_ERRNO(open(NULL, O_RDONLY), EFAULT);
    CHECK_ERRNO(open(kernel, O_RDONLY), EFAULT);
    CHECK_ERRNO(syscall(SYS_stat, NULL, &st), EFAULT);
    CHECK_ERRNO(syscall(SYS_stat, kernel, &st), EFAULT);
    CHECK_ERRNO(mkdir(NULL, 0755), EFAULT);
    CHECK_ERRNO(unlink(kernel), EFAULT);
    CHECK_ERRNO(rmdir(NULL), EFAULT);
    CHECK_ERRNO(chdir(kernel), EFAULT);
    CHECK_ERRNO(rename(NULL, at("x")), EFAULT);
    CHECK_ERRNO(symlink(NULL, at("x")), EFAULT);
    CHECK_ERRNO(access(kernel, F_OK), EFAULT);
    /* ...and the buffers: stat into kernel memory, readlink into nowhere. */
    make_file(at("f"), "x");
    CHECK_ERRNO(syscall(SYS_stat, at("f"), (void *)kernel), EFAULT);
    CHECK_ERRNO(syscall(SYS_stat, at("f"), NULL), EFAULT);
    CHECK_EQ(symlink("f", at("l")), 0);
    CHECK_ERRNO(readlink(at("l"), (char *)kernel, 10), EFAULT);
    int fd = open(at("f"), O_RDWR);
    CHECK_ERRNO(read(fd, (void *)kernel, 1), EFAULT);
    CHECK_ERRNO(write(fd, NULL, 1), EFAULT);
}

/* A name that runs into an unmapped page without a NUL. */
static void efault_for_a_path_without_terminator(void)
{
    enter_scratch();
    long page = sysconf(_SC_PAGESIZE);
    char *area =
        mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(area != MAP_FAILED);
    CHECK_EQ(munmap(area + page, (size_t)page), 0);
    /* 100 'a's ending at the very last byte of the mapped page. */
    char *name = area + page - 100;
    memset(name, 'a', 100);
    struct stat st;
    CHECK_ERRNO(open(name, O_RDONLY), EFAULT);
    CHECK_ERRNO(syscall(SYS_stat, name, &st), EFAULT);
    CHECK_ERRNO(mkdir(name, 0755), EFAULT);
    /* The same name with its NUL as the last byte of the page is just missing. */
    area[page - 1] = '\0';
    CHECK_ERRNO(open(name, O_RDONLY), ENOENT);
}

static const struct utest_case cases[] = {
    UTEST(create_write_read_back),
    UTEST(lseek_set_cur_end),
    UTEST(pread_pwrite_do_not_move_the_offset),
    UTEST(o_append_always_writes_at_the_end),
    UTEST(o_trunc_empties_the_file),
    UTEST(ftruncate_shrinks_and_grows),
    UTEST(truncate_by_path),
    UTEST(rename_a_file),
    UTEST(rename_into_another_directory),
    UTEST(rename_replaces_an_existing_file),
    UTEST(rename_a_directory),
    UTEST(rename_directory_into_itself_is_einval),
    UTEST(unlink_removes_the_name_not_the_open_file),
    UTEST(mkdir_and_rmdir),
    UTEST(listing_shows_exactly_the_names),
    UTEST(listing_of_many_entries_sees_each_once),
    UTEST(stat_fields),
    UTEST(symlink_readlink_and_following),
    UTEST(create_through_a_dangling_symlink),
    UTEST(chdir_getcwd_and_relative_paths),
    UTEST(removed_working_directory),
    UTEST(access_checks_existence),
    UTEST(umask_affects_created_modes),
    UTEST(write_updates_the_modification_time),
    UTEST(readv_and_writev),
    UTEST(one_mib_file_reads_back_the_same),
    UTEST(enoent_errors),
    UTEST(enotdir_errors),
    UTEST(eisdir_errors),
    UTEST(eexist_errors),
    UTEST(enametoolong_errors),
    UTEST(eloop_errors),
    UTEST(efault_for_unreadable_paths),
    UTEST(efault_for_a_path_without_terminator),
};

int main(int argc, char **argv)
{
    /* The real name of /tmp (it could be a link), so getcwd can be compared. */
    char tmp[PATH_MAX];
    if (chdir("/tmp") != 0 || !getcwd(tmp, sizeof tmp)) {
        printf("FAIL user.files.setup: cannot enter /tmp: %s\n", strerror(errno));
        return 1;
    }
    if (snprintf(base, sizeof base, "%s/t_files.%d", strcmp(tmp, "/") == 0 ? "" : tmp,
                 (int)getpid()) >= (int)sizeof base) {
        printf("FAIL user.files.setup: /tmp's real name is too long\n");
        return 1;
    }
    if (mkdir(base, 0755) != 0) {
        printf("FAIL user.files.setup: cannot make %s: %s\n", base, strerror(errno));
        return 1;
    }
    int status = utest_main("files", cases, sizeof cases / sizeof cases[0], argc, argv);
    remove_tree(base);
    return status;
}
