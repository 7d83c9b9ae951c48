/*
 * utest.h - a small framework for tests that run *inside* sprout (and on Linux).
 *
 *   static void fork_gives_distinct_pids(void)
 *   {
 *       pid_t pid = fork();
 *       ...
 *       CHECK_EQ(WEXITSTATUS(status), 0);
 *   }
 *   static const struct utest_case cases[] = { UTEST(fork_gives_distinct_pids), ... };
 *   UTEST_MAIN("proc", cases)
 *
 * Every case runs in its own child process with a time limit, so a case that
 * crashes or hangs fails alone.  Output: "PASS user.<suite>.<case>" or
 * "FAIL user.<suite>.<case>: what was expected, what happened", then
 * "N passed, N failed".  The exit status is 0 only if every case passed.
 * A case name given on the command line runs only that case.
 */
#ifndef TESTS_USER_UTEST_H
#define TESTS_USER_UTEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UTEST_TIMEOUT_SECONDS 30

struct utest_case {
    const char *name;
    void (*run)(void);
};
#define UTEST(fn)                                                                                  \
    {                                                                                              \
#fn, fn                                                                                    \
    }

static const char *utest_suite_name, *utest_case_name;

/* Report a failure of the running case and end it. */
static inline void utest_fail(const char *file, int line, const char *fmt, ...)
{
    char why[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(why, sizeof why, fmt, args);
    va_end(args);
    printf("FAIL user.%s.%s: %s (%s:%d)\n", utest_suite_name, utest_case_name, why, file, line);
    fflush(stdout);
    _exit(1);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            utest_fail(__FILE__, __LINE__, "expected %s (errno %d: %s)", #cond, errno,             \
                       strerror(errno));                                                           \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        if (a_ != e_)                                                                              \
            utest_fail(__FILE__, __LINE__,                                                         \
                       "expected %s == %s, got %lld, want %lld (errno %d: %s)", #actual,           \
                       #expected, a_, e_, errno, strerror(errno));                                 \
    } while (0)

/* A call that must fail with a given errno: CHECK_ERRNO(write(-1, "", 1), EBADF). */
#define CHECK_ERRNO(call, expected_errno)                                                          \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long r_ = (long)(call);                                                                    \
        int e_ = errno;                                                                            \
        if (r_ != -1 || e_ != (expected_errno))                                                    \
            utest_fail(__FILE__, __LINE__, "expected %s to fail with %s, got %ld (errno %d: %s)",  \
                       #call, #expected_errno, r_, e_, strerror(e_));                              \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (!a_ || strcmp(a_, e_) != 0)                                                            \
            utest_fail(__FILE__, __LINE__, "expected %s to be \"%s\", got \"%s\"", #actual, e_,    \
                       a_ ? a_ : "(null)");                                                        \
    } while (0)

/* --- helpers most test programs use ------------------------------------ */

/* Running on sprout (not on Linux, where the same test proves the expectations)? */
static inline int is_sprout(void)
{
    struct utsname u;
    return uname(&u) == 0 && strcmp(u.sysname, "sprout") == 0;
}

/* A loop's size: `usual` in make test, `soak` when SOAK is set in the
 * environment (make soak runs the long versions: 10,000 threads, ...). */
static inline int soak_or(int usual, int soak) { return getenv("SOAK") ? soak : usual; }

static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep the whole time even if handlers interrupt the sleep. */
static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Wait for pid with options (retrying EINTR) and return its status; the wait must succeed. */
static inline int wait_options(pid_t pid, int options)
{
    int status = -1;
    pid_t got;
    while ((got = waitpid(pid, &status, options)) < 0 && errno == EINTR)
        ;
    CHECK_EQ(got, pid);
    return status;
}

static inline int wait_status(pid_t pid) { return wait_options(pid, 0); }

/* fork(), flushing stdout first so the child does not print our buffer again. */
static inline pid_t fork_or_fail(void)
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    return pid;
}

/* Read fd until end of file or until the buffer is full; NUL-terminate. */
static inline size_t read_all(int fd, char *buf, size_t size)
{
    size_t got = 0;
    while (got + 1 < size) {
        ssize_t n = read(fd, buf + got, size - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    return got;
}

/* Run path in a child with stdout going to a pipe; return the wait status. */
static inline int run_capture(const char *path, char *const argv[], char *const envp[], char *out,
                              size_t size)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execve(path, argv, envp);
        _exit(127);
    }
    close(fds[1]);
    read_all(fds[0], out, size);
    close(fds[0]);
    return wait_status(pid);
}

/* A child that does nothing and lives until our end of its pipe closes (when we exit). */
static inline pid_t fork_sleeper(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        char c;
        read(p[0], &c, 1);
        _exit(0);
    }
    close(p[0]); /* p[1] stays open in us (and goes away with us) */
    return pid;
}

/* Copy the file `from` to `to` (replacing it), then give the copy `mode`. */
static inline void copy_file(const char *from, const char *to, mode_t mode)
{
    int in = open(from, O_RDONLY);
    CHECK(in >= 0);
    unlink(to);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);
    CHECK(out >= 0);
    char buf[4096];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        CHECK_EQ(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
    CHECK_EQ(chmod(to, mode), 0);
}

/* Run one case in a child; true if it passed. */
static inline int utest_run_one(const struct utest_case *c)
{
    utest_case_name = c->name;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("FAIL user.%s.%s: fork failed: %s\n", utest_suite_name, c->name, strerror(errno));
        return 0;
    }
    if (pid == 0) {
        alarm(UTEST_TIMEOUT_SECONDS);
        c->run();
        fflush(stdout);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("PASS user.%s.%s\n", utest_suite_name, c->name);
        return 1;
    }
    if (WIFSIGNALED(status))
        printf("FAIL user.%s.%s: the case was killed by signal %d%s\n", utest_suite_name, c->name,
               WTERMSIG(status), WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
    /* (an exit status of 1 means utest_fail already printed the reason) */
    return 0;
}

static inline int utest_main(const char *suite, const struct utest_case *cases, size_t n, int argc,
                             char **argv)
{
    /* utest-all runs some programs a second time as the student account,
     * with UTEST_AS=student: their cases are named suite-as-student. */
    static char named[96];
    const char *as = getenv("UTEST_AS");
    if (as && *as) {
        snprintf(named, sizeof named, "%s-as-%s", suite, as);
        suite = named;
    }
    utest_suite_name = suite;
    setvbuf(stdout, NULL, _IOLBF, 0);
    int passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
            continue;
        if (utest_run_one(&cases[i]))
            passed++;
        else
            failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define UTEST_MAIN(suite, cases)                                                                   \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        return utest_main(suite, cases, sizeof(cases) / sizeof(cases[0]), argc, argv);             \
    }

#endif
