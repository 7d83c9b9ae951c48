/*
 * t_paths.c - how paths are resolved: the working directory (chdir, getcwd,
 * relative paths, a removed cwd), access, umask, timestamps, readv/writev,
 * a 1 MiB file, and every path error as Linux reports it: ENOENT, ENOTDIR,
 * EISDIR, EEXIST, ENAMETOOLONG, ELOOP, EFAULT.
 */
#include "tests/user/filetest.h"

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
    return filetest_main("paths", cases, sizeof cases / sizeof cases[0], argc, argv);
}
