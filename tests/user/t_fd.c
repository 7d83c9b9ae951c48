/*
 * t_fd.c - file descriptor tables: the standard descriptors a program starts
 * with, "lowest free number first", the RLIMIT_NOFILE limit (EMFILE),
 * dup/dup2/dup3/close and their EBADF/EINVAL rules, fcntl (F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL), open files shared
 * after fork and dup (one offset), and close-on-exec.
 *
 * The program doubles as its own exec target: `t_fd --check-fds N M` exits
 * 0 if descriptor N is closed and M is open (see check_fds_mode()).  It
 * finds itself through argv[0] (/bin/t_fd in sprout).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

static const char *self_path; /* argv[0]: how to exec this program again */

/* --- helpers ---------------------------------------------------------- */

/* Close every descriptor above 2 that the test runner may have left open,
 * so "the lowest free number" is predictable (each case runs in a child). */
static void close_inherited_fds(void)
{
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
}

static int open_null(void)
{
    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0);
    return fd;
}

/* A scratch file in /tmp, unique to this process, opened with `flags`; its
 * name is removed at once, so nothing is left behind. */
static int open_scratch(int flags)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/t_fd.%d", (int)getpid());
    int fd = open(path, O_CREAT | O_TRUNC | flags, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(unlink(path), 0);
    return fd;
}

/*
 * musl's open(), dup3() and fcntl(F_DUPFD_CLOEXEC) set FD_CLOEXEC themselves
 * after the call (and dup3 with flags 0 becomes dup2), which would hide a
 * kernel that ignores the flag: these go straight to the kernel.
 */
static int sys_open(const char *path, int flags) { return (int)syscall(SYS_open, path, flags, 0); }
static int sys_dup3(int oldfd, int newfd, int flags)
{
    return (int)syscall(SYS_dup3, oldfd, newfd, flags);
}
static int sys_dupfd_cloexec(int fd, int min)
{
    return (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, min);
}

static int is_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

static void write_all(int fd, const void *buf, size_t len)
{
    CHECK_EQ(write(fd, buf, len), (long)len);
}

/* --- standard descriptors -------------------------------------------- */

static void standard_fds_are_open_at_start(void)
{
    struct stat st;
    for (int fd = 0; fd <= 2; fd++) {
        if (fstat(fd, &st) != 0)
            utest_fail(__FILE__, __LINE__, "fstat(%d) failed: %s", fd, strerror(errno));
    }
    if (is_sprout()) {
        char target[64] = "";
        for (int fd = 0; fd <= 2; fd++) {
            char link[32];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t n = readlink(link, target, sizeof target - 1);
            CHECK(n > 0);
            target[n] = '\0';
            CHECK_STR(target, "/dev/console");
        }
        CHECK(S_ISCHR(st.st_mode));
    }
}

/* --- lowest free descriptor -------------------------------------------- */

static void lowest_free_fd_is_used(void)
{
    close_inherited_fds();
    int a = open_null(), b = open_null(), c = open_null(), d = open_null();
    CHECK_EQ(a, 3);
    CHECK_EQ(b, 4);
    CHECK_EQ(c, 5);
    CHECK_EQ(d, 6);
    CHECK_EQ(close(3), 0);
    CHECK_EQ(open_null(), 3);
    CHECK_EQ(close(4), 0); /* a hole at 4 */
    CHECK_EQ(open_null(), 4);
    CHECK_EQ(close(5), 0);
    CHECK_EQ(close(3), 0);
    CHECK_EQ(open_null(), 3); /* two holes: the lower first */
    CHECK_EQ(open_null(), 5);
    CHECK_EQ(open_null(), 7); /* no hole: after the highest */
    CHECK_EQ(dup(0), 8);      /* dup follows the same rule */
    CHECK_EQ(close(4), 0);
    int p[2];
    CHECK_EQ(pipe(p), 0); /* so does pipe */
    CHECK_EQ(p[0], 4);
    CHECK_EQ(p[1], 9);
}

/* --- RLIMIT_NOFILE ------------------------------------------------------- */

static void default_nofile_limits(void)
{
    struct rlimit r;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
    if (is_sprout()) {
        CHECK_EQ(r.rlim_cur, 1024);
        CHECK_EQ(r.rlim_max, 4096);
    } else {
        CHECK(r.rlim_cur <= r.rlim_max);
    }
}

static void emfile_exactly_at_soft_limit(void)
{
    close_inherited_fds();
    struct rlimit r;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
    struct rlimit small = {16, r.rlim_max};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &small), 0);
    struct rlimit check;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &check), 0);
    CHECK_EQ(check.rlim_cur, 16);
    CHECK_EQ(check.rlim_max, r.rlim_max);

    int highest = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
        highest = fd;
        if (fd > 100)
            break; /* the limit is not enforced: stop, and fail below */
    }
    int saved = errno;
    CHECK_EQ(fd, -1);
    if (saved != EMFILE)
        utest_fail(__FILE__, __LINE__, "the failing open gave errno %d (%s), want EMFILE", saved,
                   strerror(saved));
    CHECK_EQ(highest, 15);
    /* Every way to make a descriptor hits the same limit. */
    CHECK_ERRNO(dup(0), EMFILE);
    CHECK_ERRNO(fcntl(0, F_DUPFD, 0), EMFILE);
    int p[2];
    CHECK_ERRNO(pipe(p), EMFILE);
    /* dup2 to a number at or above the limit is a bad descriptor number. */
    CHECK_ERRNO(dup2(0, 16), EBADF);
    CHECK_ERRNO(fcntl(0, F_DUPFD, 16), EINVAL);

    /* A freed slot can be used again... */
    CHECK_EQ(close(9), 0);
    CHECK_EQ(open("/dev/null", O_RDONLY), 9);
    /* ...and raising the soft limit allows more. */
    struct rlimit bigger = {20, r.rlim_max};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &bigger), 0);
    CHECK_EQ(open("/dev/null", O_RDONLY), 16);
    CHECK_EQ(dup(0), 17);
    CHECK_EQ(dup2(0, 19), 19);
    CHECK_EQ(open("/dev/null", O_RDONLY), 18);
    CHECK_ERRNO(open("/dev/null", O_RDONLY), EMFILE);
}

/* Descriptor numbers far above the first few work like low ones, up to
 * the soft limit; lowering the limit leaves already-open ones usable. */
static void high_descriptor_numbers_work(void)
{
    close_inherited_fds();
    struct rlimit r;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
    struct rlimit limit = {1024, r.rlim_max};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
    int fd = open_scratch(O_RDWR);
    CHECK_EQ(dup2(fd, 1023), 1023);
    CHECK_ERRNO(dup2(fd, 1024), EBADF);
    CHECK_EQ(fcntl(fd, F_DUPFD, 500), 500);
    CHECK_EQ(fcntl(fd, F_DUPFD, 500), 501);
    write_all(1023, "high", 4);
    CHECK_EQ(lseek(500, 0, SEEK_CUR), 4);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(fcntl(1023, F_GETFD) == 0 && fcntl(501, F_GETFD) == 0 && write(1023, "!", 1) == 1
                  ? 0
                  : 1);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
    /* A lower soft limit does not close anything already open. */
    struct rlimit lower = {100, r.rlim_max};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &lower), 0);
    CHECK(is_open(1023));
    write_all(1023, "?", 1);
    CHECK_EQ(close(1023), 0);
    CHECK_EQ(close(500), 0);
    CHECK_ERRNO(dup2(fd, 500), EBADF); /* but new ones must be below it */
}

static void setrlimit_soft_above_hard_is_einval(void)
{
    struct rlimit r;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
    struct rlimit bad = {r.rlim_max + 1, r.rlim_max};
    CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
    struct rlimit bad2 = {100, 50};
    CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &bad2), EINVAL);
    /* Nothing changed. */
    struct rlimit after;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
    CHECK_EQ(after.rlim_cur, r.rlim_cur);
    CHECK_EQ(after.rlim_max, r.rlim_max);
}

/* --- dup, dup2, dup3, close --------------------------------------------- */

static void bad_descriptors_are_ebadf(void)
{
    close_inherited_fds();
    char c;
    CHECK_ERRNO(dup(-1), EBADF);
    CHECK_ERRNO(dup(200), EBADF);
    CHECK_ERRNO(dup2(0, -1), EBADF);
    CHECK_ERRNO(dup2(-1, 5), EBADF);
    CHECK_ERRNO(dup2(200, 5), EBADF);
    CHECK_ERRNO(read(200, &c, 1), EBADF);
    CHECK_ERRNO(write(200, "x", 1), EBADF);
    CHECK_ERRNO(read(-1, &c, 1), EBADF);
    CHECK_ERRNO(close(200), EBADF);
    CHECK_ERRNO(close(-1), EBADF);
    CHECK_ERRNO(fcntl(200, F_GETFD), EBADF);
    CHECK_ERRNO(lseek(200, 0, SEEK_SET), EBADF);
    struct stat st;
    CHECK_ERRNO(fstat(200, &st), EBADF);
    int fd = open_null();
    CHECK_EQ(close(fd), 0);
    CHECK_ERRNO(close(fd), EBADF); /* closing twice */
    CHECK_ERRNO(read(fd, &c, 1), EBADF);
}

static void dup_shares_the_open_file(void)
{
    close_inherited_fds();
    int fd = open_scratch(O_RDWR);
    int copy = dup(fd);
    CHECK(copy > fd);
    write_all(fd, "abc", 3);
    CHECK_EQ(lseek(copy, 0, SEEK_CUR), 3); /* one offset for both */
    CHECK_EQ(lseek(copy, 1, SEEK_SET), 1);
    char buf[8] = "";
    CHECK_EQ(read(fd, buf, sizeof buf), 2);
    CHECK(memcmp(buf, "bc", 2) == 0);
    /* Status flags are shared too; close-on-exec is per descriptor. */
    CHECK_EQ(fcntl(fd, F_SETFL, O_APPEND), 0);
    CHECK(fcntl(copy, F_GETFL) & O_APPEND);
    CHECK_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    CHECK_EQ(fcntl(copy, F_GETFD), 0);
    /* Closing one leaves the other working. */
    CHECK_EQ(close(fd), 0);
    CHECK_EQ(lseek(copy, 0, SEEK_SET), 0);
    CHECK_EQ(read(copy, buf, sizeof buf), 3);
}

static void dup_does_not_copy_cloexec(void)
{
    close_inherited_fds();
    int fd = sys_open("/dev/null", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    int d = dup(fd);
    CHECK_EQ(fcntl(d, F_GETFD), 0);
    int d2 = dup2(fd, 10);
    CHECK_EQ(d2, 10);
    CHECK_EQ(fcntl(10, F_GETFD), 0);
    CHECK_EQ(sys_dup3(fd, 11, O_CLOEXEC), 11);
    CHECK_EQ(fcntl(11, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(sys_dup3(fd, 12, 0), 12);
    CHECK_EQ(fcntl(12, F_GETFD), 0);
}

static void dup2_replaces_an_open_descriptor(void)
{
    close_inherited_fds();
    int a = open_scratch(O_RDWR), b = open_scratch(O_RDWR);
    write_all(a, "from a", 6);
    write_all(b, "from b", 6);
    CHECK_EQ(dup2(a, b), b); /* b's old file is closed silently */
    CHECK_EQ(lseek(b, 0, SEEK_SET), 0);
    char buf[16] = "";
    CHECK_EQ(read(b, buf, sizeof buf - 1), 6);
    CHECK_STR(buf, "from a");
    CHECK_EQ(lseek(a, 0, SEEK_CUR), 6); /* the same open file as a */
}

static void dup2_and_dup3_onto_themselves(void)
{
    close_inherited_fds();
    int fd = open_null();
    CHECK_EQ(dup2(fd, fd), fd); /* no-op, returns fd */
    CHECK(is_open(fd));
    CHECK_ERRNO(sys_dup3(fd, fd, 0), EINVAL);
    CHECK_ERRNO(sys_dup3(fd, fd, O_CLOEXEC), EINVAL);
    CHECK_ERRNO(sys_dup3(fd, fd + 1, O_APPEND /* only O_CLOEXEC is allowed */), EINVAL);
    CHECK_ERRNO(sys_dup3(200, fd + 1, 0), EBADF);
    CHECK_EQ(close(fd), 0);
    CHECK_ERRNO(dup2(fd, fd), EBADF); /* ...but only for an open descriptor */
}

/* --- fcntl ----------------------------------------------------------------- */

static void fcntl_dupfd_takes_lowest_at_or_above(void)
{
    close_inherited_fds();
    int fd = open_null(); /* 3 */
    CHECK_EQ(fcntl(fd, F_DUPFD, 10), 10);
    CHECK_EQ(fcntl(fd, F_DUPFD, 10), 11);
    CHECK_EQ(fcntl(fd, F_DUPFD, 0), 4); /* lowest free overall */
    CHECK_EQ(close(10), 0);
    CHECK_EQ(fcntl(fd, F_DUPFD, 7), 7);
    CHECK_EQ(fcntl(fd, F_DUPFD, 8), 8);
    CHECK_EQ(fcntl(fd, F_DUPFD, 9), 9);
    CHECK_EQ(fcntl(fd, F_DUPFD, 8), 10); /* 8, 9 taken: the hole at 10 */
    CHECK_EQ(fcntl(10, F_GETFD), 0);     /* F_DUPFD clears close-on-exec */
    CHECK_EQ(sys_dupfd_cloexec(fd, 20), 20);
    CHECK_EQ(fcntl(20, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(fd, F_GETFD), 0); /* the original is unchanged */
    CHECK_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
    CHECK_ERRNO(fcntl(200, F_DUPFD, 0), EBADF);
}

static void fcntl_getfd_setfd(void)
{
    close_inherited_fds();
    int fd = open_null();
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    CHECK_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(fd, F_SETFD, 0), 0);
    CHECK_EQ(fcntl(fd, F_GETFD), 0);
    int c = sys_open("/dev/null", O_RDONLY | O_CLOEXEC);
    CHECK_EQ(fcntl(c, F_GETFD), FD_CLOEXEC);
}

static void fcntl_getfl_shows_access_mode_and_flags(void)
{
    close_inherited_fds();
    char path[64];
    snprintf(path, sizeof path, "/tmp/t_fd.fl.%d", (int)getpid());
    int rw = open(path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    CHECK(rw >= 0);
    int ro = open(path, O_RDONLY);
    int wo = open(path, O_WRONLY);
    CHECK_EQ(unlink(path), 0);
    CHECK(ro >= 0 && wo >= 0);
    int fl = fcntl(rw, F_GETFL);
    CHECK(fl >= 0);
    CHECK_EQ(fl & O_ACCMODE, O_RDWR);
    CHECK(fl & O_APPEND);
    CHECK_EQ(fl & (O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK), 0); /* open-time only */
    CHECK_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_EQ(fcntl(ro, F_GETFL) & O_APPEND, 0);
    CHECK_EQ(fcntl(wo, F_GETFL) & O_ACCMODE, O_WRONLY);
}

static void fcntl_setfl_adds_nonblock_and_append(void)
{
    close_inherited_fds();
    /* O_NONBLOCK on a pipe: an empty read no longer waits. */
    int p[2];
    CHECK_EQ(pipe(p), 0);
    int fl = fcntl(p[0], F_GETFL);
    CHECK_EQ(fl & O_NONBLOCK, 0);
    CHECK_EQ(fcntl(p[0], F_SETFL, fl | O_NONBLOCK), 0);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    char c;
    CHECK_ERRNO(read(p[0], &c, 1), EAGAIN);
    CHECK_EQ(fcntl(p[0], F_SETFL, fl), 0);
    CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);

    /* O_APPEND on a file: writes go to the end whatever the offset. */
    int fd = open_scratch(O_RDWR);
    write_all(fd, "12345", 5);
    CHECK_EQ(fcntl(fd, F_SETFL, O_APPEND), 0);
    CHECK(fcntl(fd, F_GETFL) & O_APPEND);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    write_all(fd, "6", 1);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
    char buf[8] = "";
    CHECK_EQ(pread(fd, buf, sizeof buf, 0), 6);
    CHECK(memcmp(buf, "123456", 6) == 0);

    /* The access mode cannot be changed by F_SETFL. */
    int ro = open("/dev/null", O_RDONLY);
    CHECK_EQ(fcntl(ro, F_SETFL, O_RDWR), 0);
    CHECK_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_ERRNO(write(ro, "x", 1), EBADF);
}

/* --- sharing after fork -------------------------------------------------- */

#define TURNS 20

/* Parent and child write to the same descriptor in turn: they share one
 * offset, so each write lands after the previous one, never on top of it. */
static void fork_shares_the_write_offset(void)
{
    int fd = open_scratch(O_RDWR);
    int to_child[2], to_parent[2];
    CHECK_EQ(pipe(to_child), 0);
    CHECK_EQ(pipe(to_parent), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char token, rec[8];
        for (int i = 0; i < TURNS; i++) {
            if (read(to_child[0], &token, 1) != 1)
                _exit(2);
            snprintf(rec, sizeof rec, "C%02d;", i);
            if (write(fd, rec, 4) != 4)
                _exit(3);
            if (write(to_parent[1], "t", 1) != 1)
                _exit(4);
        }
        _exit(0);
    }
    char token, rec[8];
    for (int i = 0; i < TURNS; i++) {
        snprintf(rec, sizeof rec, "P%02d;", i);
        write_all(fd, rec, 4);
        write_all(to_child[1], "t", 1);
        CHECK_EQ(read(to_parent[0], &token, 1), 1);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), TURNS * 8); /* the child's writes moved our offset */
    char got[TURNS * 8 + 1] = "", want[TURNS * 8 + 1] = "";
    for (int i = 0; i < TURNS; i++)
        snprintf(want + i * 8, 9, "P%02d;C%02d;", i, i);
    CHECK_EQ(pread(fd, got, sizeof got - 1, 0), TURNS * 8);
    CHECK_STR(got, want);
}

static void fork_shares_the_read_offset(void)
{
    int fd = open_scratch(O_RDWR);
    write_all(fd, "0123456789", 10);
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char buf[4];
        _exit(read(fd, buf, 4) == 4 && memcmp(buf, "0123", 4) == 0 ? 0 : 1);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4); /* advanced by the child */
    char buf[8] = "";
    CHECK_EQ(read(fd, buf, 4), 4);
    CHECK_STR(buf, "4567");
}

static void fork_child_close_does_not_close_parent(void)
{
    close_inherited_fds();
    int fd = open_scratch(O_RDWR);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(close(fd) == 0 && fcntl(fd, F_GETFD) < 0 ? 0 : 1);
    CHECK_EQ(wait_status(pid), 0);
    CHECK(is_open(fd));
    write_all(fd, "still", 5);
}

/* --- close-on-exec -------------------------------------------------------- */

/* Exec ourselves with --check-fds closed open; returns the exit status. */
static int exec_check_fds(int closed, int open_fd)
{
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", closed);
    snprintf(b, sizeof b, "%d", open_fd);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execl(self_path, self_path, "--check-fds", a, b, (char *)NULL);
        _exit(127);
    }
    return wait_status(pid);
}

static void explain_check_fds(int status, int closed, int open_fd)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    const char *why = !WIFEXITED(status)           ? "the exec'd program was killed"
                      : WEXITSTATUS(status) == 10  ? "the close-on-exec descriptor was still open"
                      : WEXITSTATUS(status) == 11  ? "the other descriptor was closed"
                      : WEXITSTATUS(status) == 12  ? "a standard descriptor was closed"
                      : WEXITSTATUS(status) == 127 ? "exec failed"
                                                   : "unexpected exit status";
    utest_fail(__FILE__, __LINE__, "after exec (fd %d close-on-exec, fd %d not): %s (status 0x%x)",
               closed, open_fd, why, status);
}

static void o_cloexec_fd_is_closed_by_exec(void)
{
    close_inherited_fds();
    int closed = sys_open("/dev/null", O_RDONLY | O_CLOEXEC);
    int kept = sys_open("/dev/null", O_RDONLY);
    CHECK(closed >= 0 && kept >= 0);
    explain_check_fds(exec_check_fds(closed, kept), closed, kept);
}

static void fd_cloexec_set_by_fcntl_is_closed_by_exec(void)
{
    close_inherited_fds();
    int kept = open_null();
    int closed = open_null();
    CHECK_EQ(fcntl(closed, F_SETFD, FD_CLOEXEC), 0);
    explain_check_fds(exec_check_fds(closed, kept), closed, kept);
    /* ...and clearing the flag again keeps the descriptor. */
    CHECK_EQ(fcntl(closed, F_SETFD, 0), 0);
    int other = open_null();
    CHECK_EQ(fcntl(other, F_SETFD, FD_CLOEXEC), 0);
    explain_check_fds(exec_check_fds(other, closed), other, closed);
}

static void cloexec_pipe_and_dupfd_are_closed_by_exec(void)
{
    close_inherited_fds();
    int p[2];
    CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
    int high = sys_dupfd_cloexec(p[1], 40);
    CHECK_EQ(high, 40);
    explain_check_fds(exec_check_fds(p[0], 0), p[0], 0);
    explain_check_fds(exec_check_fds(40, 1), 40, 1);
}

/* In the exec'd copy: is `closed` closed, `open` open, 0-2 still open? */
static int check_fds_mode(int argc, char **argv)
{
    if (argc != 4)
        return 13;
    int closed = atoi(argv[2]), open_fd = atoi(argv[3]);
    errno = 0;
    if (fcntl(closed, F_GETFD) != -1 || errno != EBADF)
        return 10;
    if (fcntl(open_fd, F_GETFD) < 0)
        return 11;
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && fd != closed)
            return 12;
    return 0;
}

static const struct utest_case cases[] = {
    UTEST(standard_fds_are_open_at_start),
    UTEST(lowest_free_fd_is_used),
    UTEST(default_nofile_limits),
    UTEST(emfile_exactly_at_soft_limit),
    UTEST(high_descriptor_numbers_work),
    UTEST(setrlimit_soft_above_hard_is_einval),
    UTEST(bad_descriptors_are_ebadf),
    UTEST(dup_shares_the_open_file),
    UTEST(dup_does_not_copy_cloexec),
    UTEST(dup2_replaces_an_open_descriptor),
    UTEST(dup2_and_dup3_onto_themselves),
    UTEST(fcntl_dupfd_takes_lowest_at_or_above),
    UTEST(fcntl_getfd_setfd),
    UTEST(fcntl_getfl_shows_access_mode_and_flags),
    UTEST(fcntl_setfl_adds_nonblock_and_append),
    UTEST(fork_shares_the_write_offset),
    UTEST(fork_shares_the_read_offset),
    UTEST(fork_child_close_does_not_close_parent),
    UTEST(o_cloexec_fd_is_closed_by_exec),
    UTEST(fd_cloexec_set_by_fcntl_is_closed_by_exec),
    UTEST(cloexec_pipe_and_dupfd_are_closed_by_exec),
};

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc > 1 && strcmp(argv[1], "--check-fds") == 0)
        return check_fds_mode(argc, argv);
    return utest_main("fd", cases, sizeof cases / sizeof cases[0], argc, argv);
}
