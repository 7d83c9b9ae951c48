/*
 * t_files.c - files and directories in /tmp: create, write and read back,
 * lseek, pread/pwrite, O_APPEND, O_TRUNC, ftruncate/truncate, rename,
 * unlink (an open file outlives its name), mkdir/rmdir, directory listings
 * (getdents64), stat/lstat and symbolic links.  t_paths.c has the working
 * directory and the path errors.
 */
#include "tests/user/filetest.h"

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
};

int main(int argc, char **argv)
{
    return filetest_main("files", cases, sizeof cases / sizeof cases[0], argc, argv);
}
