/*
 * t_failure.c - the seed's production failure scenarios, each in a child so
 * the test itself survives: stack overflow and segfaults end in SIGSEGV (and
 * a SIGSEGV handler on an alternate stack can still report them), a CPU hog
 * does not starve a second process and dies from SIGINT/SIGTERM/SIGKILL, a
 * server shuts down gracefully on SIGTERM but not on SIGKILL, descriptor
 * exhaustion gives EMFILE, and a fork bomb is stopped by RLIMIT_NPROC and
 * leaves nothing behind.  (The OOM killer needs a small machine: oom_check.c.)
 *
 * The demos (/bin/recurse, segv, spin, graceful, fdleak, forkbomb) must be in
 * /bin in sprout; on Linux they are looked for next to this program, then in
 * /bin, and a case whose demo is missing says so and is skipped.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define OUTPUT_MAX 65536
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

static const char *self_path; /* argv[0]: the demos sit next to it on Linux */

/* --- helpers ---------------------------------------------------------- */

/*
 * Where demo `name` is: /bin/name in sprout (it must be there); on Linux next
 * to this program, then /bin.  NULL (after a note) if Linux has no such demo.
 */
static const char *find_demo(const char *name)
{
    static char path[512];
    if (is_sprout()) {
        snprintf(path, sizeof path, "/bin/%s", name);
        if (access(path, X_OK) != 0)
            utest_fail(__FILE__, __LINE__, "%s is missing from the image", path);
        return path;
    }
    const char *slash = self_path ? strrchr(self_path, '/') : NULL;
    if (slash) {
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - self_path), self_path, name);
        if (access(path, X_OK) == 0)
            return path;
    }
    snprintf(path, sizeof path, "/bin/%s", name);
    if (access(path, X_OK) == 0)
        return path;
    printf("note: %s: no %s demo next to %s or in /bin; skipped on Linux\n", utest_case_name, name,
           self_path ? self_path : "this program");
    return NULL;
}

/*
 * A demo running with its stdout and stderr in a pipe.  Every wait for it is
 * bounded (DEMO_SECONDS); on a time-out the demo (and its process group, if
 * it leads one) is killed and reaped before the case fails, so nothing is
 * left running.  As a last resort each demo also carries an alarm, which
 * survives exec, in case the test itself dies first.
 */
#define DEMO_SECONDS 10
#define DEMO_LAST_RESORT_SECONDS 60

struct demo {
    pid_t pid;
    int out;                 /* read end of its output pipe, -1 after EOF */
    size_t used;             /* bytes of output so far */
    char output[OUTPUT_MAX]; /* NUL-terminated */
};

static volatile sig_atomic_t demo_time_is_up;

/* Time is up: say so, and ring again soon in case this came just before a read blocked. */
static void demo_alarm(int sig)
{
    demo_time_is_up = 1;
    alarm(1);
}

/* Start path with argv; setup (if any) runs in the child just before exec. */
static void demo_start(struct demo *d, const char *path, char *const argv[], void (*setup)(void))
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    d->used = 0;
    d->output[0] = '\0';
    d->pid = fork_or_fail();
    if (d->pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        dup2(p[1], STDERR_FILENO);
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        alarm(DEMO_LAST_RESORT_SECONDS);
        if (setup)
            setup();
        execv(path, argv);
        printf("cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    close(p[1]);
    d->out = p[0];
}

static void demo_kill(struct demo *d)
{
    int group = getpgid(d->pid) == d->pid;
    kill(d->pid, SIGKILL);
    if (group)
        kill(-d->pid, SIGKILL);
    wait_status(d->pid);
}

/*
 * Collect the demo's output until `needle` appears in it or, with needle
 * NULL, until end of file.  Fails the case (killing the demo first) if that
 * does not happen within DEMO_SECONDS.
 */
static void demo_read_until(struct demo *d, const char *needle)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = demo_alarm; /* no SA_RESTART: the alarm ends a blocked read */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    demo_time_is_up = 0;
    alarm(DEMO_SECONDS);
    while (!(needle && strstr(d->output, needle)) && d->out >= 0 && !demo_time_is_up) {
        ssize_t n = read(d->out, d->output + d->used, OUTPUT_MAX - 1 - d->used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || d->used + (size_t)n >= OUTPUT_MAX - 1) {
            close(d->out);
            d->out = -1;
        }
        if (n > 0)
            d->used += (size_t)n;
        d->output[d->used] = '\0';
    }
    int timed_out = demo_time_is_up;
    alarm(UTEST_TIMEOUT_SECONDS);
    sigaction(SIGALRM, &old, NULL);
    if (needle && !strstr(d->output, needle)) {
        demo_kill(d);
        const char *when =
            timed_out ? "within " STRINGIFY(DEMO_SECONDS) " s" : "before it closed its output";
        utest_fail(__FILE__, __LINE__, "no \"%s\" from the demo %s; its output:\n%s", needle, when,
                   d->output);
    }
    if (!needle && timed_out) {
        demo_kill(d);
        utest_fail(
            __FILE__, __LINE__,
            "the demo was still running after " STRINGIFY(DEMO_SECONDS) " s; its output:\n%s",
            d->output);
    }
}

/* Read the rest of the demo's output and reap it; returns its wait status. */
static int demo_finish(struct demo *d)
{
    demo_read_until(d, NULL);
    return wait_status(d->pid);
}

static void expect_output(const char *output, const char *needle)
{
    if (!strstr(output, needle))
        utest_fail(__FILE__, __LINE__, "expected \"%s\" in the output, got:\n%s", needle, output);
}

static void expect_no_output(const char *output, const char *needle)
{
    if (strstr(output, needle))
        utest_fail(__FILE__, __LINE__, "did not expect \"%s\" in the output, got:\n%s", needle,
                   output);
}

static void expect_killed_by(int status, int sig)
{
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        utest_fail(__FILE__, __LINE__, "expected death by signal %d, got wait status %#x", sig,
                   status);
}

/* --- stack overflow and segfaults ---------------------------------------- */

static volatile long never = -1; /* a base case the compiler cannot see is never reached */

static long recurse_forever(long depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = (char)depth;
    if (depth == never)
        return 0;
    return recurse_forever(depth + 1) + frame[0]; /* not a tail call: the stack must grow */
}

static void stack_overflow_dies_with_sigsegv(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        recurse_forever(0);
        _exit(1);
    }
    expect_killed_by(wait_status(pid), SIGSEGV);
}

static void recurse_demo_dies_with_sigsegv(void)
{
    static struct demo d;
    const char *path = find_demo("recurse");
    if (!path)
        return;
    char *argv[] = {"recurse", NULL};
    demo_start(&d, path, argv, NULL);
    expect_killed_by(demo_finish(&d), SIGSEGV);
    expect_output(d.output, "KiB of stack used");
    expect_no_output(d.output, "stopped at depth");
}

#define ALT_STACK_SIZE (64 * 1024)
static char alt_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));

/* What the SIGSEGV handler reports through a pipe. */
struct fault_report {
    int signo, code;
    uintptr_t address, handler_local;
};
static int report_fd = -1;

static void report_fault_and_exit(int sig, siginfo_t *si, void *context)
{
    volatile char local = 0;
    struct fault_report r = {si->si_signo, si->si_code, (uintptr_t)si->si_addr, (uintptr_t)&local};
    if (write(report_fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(4);
    _exit(42);
}

static void handle_segv_on_alt_stack(void)
{
    stack_t ss = {.ss_sp = alt_stack, .ss_flags = 0, .ss_size = ALT_STACK_SIZE};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = report_fault_and_exit;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGSEGV, &sa, NULL) != 0)
        _exit(3);
}

/* Run fn in a child that handles SIGSEGV on its alternate stack; returns the report. */
static struct fault_report fault_report_of(void (*fn)(void))
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        close(p[0]);
        report_fd = p[1];
        handle_segv_on_alt_stack();
        fn();
        _exit(1);
    }
    close(p[1]);
    struct fault_report r;
    memset(&r, 0, sizeof r);
    ssize_t n = read(p[0], &r, sizeof r);
    close(p[0]);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 42);
    CHECK_EQ(n, sizeof r);
    CHECK_EQ(r.signo, SIGSEGV);
    CHECK(r.handler_local >= (uintptr_t)alt_stack);
    CHECK(r.handler_local < (uintptr_t)alt_stack + ALT_STACK_SIZE);
    return r;
}

static void overflow_the_stack(void) { recurse_forever(0); }

static void stack_overflow_handler_on_alt_stack_reports_it(void)
{
    struct fault_report r = fault_report_of(overflow_the_stack);
    volatile char here;
    /* The fault is near the stack: within RLIMIT_STACK and its guard gap below us. */
    CHECK(r.address < (uintptr_t)&here);
    CHECK((uintptr_t)&here - r.address < 64ul * 1024 * 1024);
}

static void null_write_dies_with_sigsegv(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        *(volatile int *)0 = 42;
        _exit(1);
    }
    int status = wait_status(pid);
    expect_killed_by(status, SIGSEGV);
}

static void write_near_null(void)
{
    volatile int *volatile near_null = (volatile int *)8;
    *near_null = 42;
}

static void segfault_handler_on_alt_stack_reports_address(void)
{
    struct fault_report r = fault_report_of(write_near_null);
    CHECK_EQ(r.address, 8);
    CHECK_EQ(r.code, SEGV_MAPERR);
}

static void segv_demo_dies_with_sigsegv_each_way(void)
{
    static struct demo d;
    static const char *const ways[] = {"write", "read", "exec", "kernel"};
    const char *path = find_demo("segv");
    if (!path)
        return;
    for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
        char *argv[] = {"segv", (char *)ways[i], NULL};
        demo_start(&d, path, argv, NULL);
        int status = demo_finish(&d);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
            utest_fail(__FILE__, __LINE__, "segv %s: expected SIGSEGV, got wait status %#x",
                       ways[i], status);
        expect_no_output(d.output, "still alive");
    }
}

/* --- CPU starvation ------------------------------------------------------- */

static pid_t fork_spinner(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        volatile unsigned long spins = 0;
        alarm(DEMO_LAST_RESORT_SECONDS); /* dies on its own if the test does first */
        for (;;)
            spins++;
    }
    return pid;
}

static void cpu_hogs_do_not_starve_a_sleeper(void)
{
    pid_t hogs[2];
    for (int i = 0; i < 2; i++)
        hogs[i] = fork_spinner();
    double start = now_seconds();
    pid_t sleeper = fork_or_fail();
    if (sleeper == 0) {
        for (int i = 0; i < 20; i++)
            sleep_ms(10);
        _exit(0);
    }
    int status = -1;
    pid_t got = 0;
    while (got == 0 && now_seconds() - start < 10) {
        got = waitpid(sleeper, &status, WNOHANG);
        if (got == 0)
            sleep_ms(10);
    }
    double took = now_seconds() - start;
    for (int i = 0; i < 2; i++) {
        int hog_status;
        CHECK_EQ(waitpid(hogs[i], &hog_status, WNOHANG), 0); /* still spinning */
        CHECK_EQ(kill(hogs[i], SIGKILL), 0);
        expect_killed_by(wait_status(hogs[i]), SIGKILL);
    }
    if (got == 0) {
        kill(sleeper, SIGKILL);
        wait_status(sleeper);
        utest_fail(__FILE__, __LINE__, "20 x 10 ms of sleep had not finished after %.1f s", took);
    }
    CHECK_EQ(got, sleeper);
    CHECK_EQ(status, 0);
}

static void cpu_hog_dies_from_sigint_sigterm_and_sigkill(void)
{
    static struct demo d;
    static const int signals[] = {SIGINT, SIGTERM, SIGKILL};
    const char *path = find_demo("spin");
    if (!path)
        return;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        char *argv[] = {"spin", NULL};
        demo_start(&d, path, argv, NULL);
        demo_read_until(&d, "is spinning"); /* it is in its loop now */
        sleep_ms(50);
        CHECK_EQ(kill(d.pid, signals[i]), 0);
        expect_killed_by(demo_finish(&d), signals[i]);
        expect_no_output(d.output, "stopped after");
    }
}

/* --- graceful shutdown ---------------------------------------------------- */

/* Start /bin/graceful, send sig once it serves, return its status (0 if skipped). */
static int graceful_status_after(int sig, struct demo *d, int *ran)
{
    const char *path = find_demo("graceful");
    *ran = path != NULL;
    if (!path)
        return 0;
    char *argv[] = {"graceful", NULL};
    demo_start(d, path, argv, NULL);
    demo_read_until(d, "handling request");
    CHECK_EQ(kill(d->pid, sig), 0);
    return demo_finish(d);
}

static void graceful_demo_finishes_cleanly_on_sigterm(void)
{
    static struct demo d;
    int ran, status = graceful_status_after(SIGTERM, &d, &ran);
    if (!ran)
        return;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        utest_fail(__FILE__, __LINE__, "expected exit status 0, got wait status %#x; output:\n%s",
                   status, d.output);
    expect_output(d.output, "SIGTERM received: finishing in-flight work");
    expect_output(d.output, "graceful shutdown complete");
}

static void graceful_demo_finishes_cleanly_on_sigint(void)
{
    static struct demo d;
    int ran, status = graceful_status_after(SIGINT, &d, &ran);
    if (!ran)
        return;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        utest_fail(__FILE__, __LINE__, "expected exit status 0, got wait status %#x; output:\n%s",
                   status, d.output);
    expect_output(d.output, "SIGINT received");
    expect_output(d.output, "graceful shutdown complete");
}

static void graceful_demo_dies_at_once_on_sigkill(void)
{
    static struct demo d;
    int ran, status = graceful_status_after(SIGKILL, &d, &ran);
    if (!ran)
        return;
    expect_killed_by(status, SIGKILL);
    CHECK_EQ(status, SIGKILL); /* no core flag, nothing else */
    expect_no_output(d.output, "received");
    expect_no_output(d.output, "graceful shutdown complete");
}

/* --- descriptor exhaustion ------------------------------------------------ */

static void fdleak_demo_hits_emfile_at_its_limit(void)
{
    static struct demo d;
    const char *path = find_demo("fdleak");
    if (!path)
        return;
    char *argv[] = {"fdleak", "16", NULL};
    demo_start(&d, path, argv, NULL);
    int status = demo_finish(&d);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        utest_fail(__FILE__, __LINE__, "expected exit status 0, got wait status %#x; output:\n%s",
                   status, d.output);
    expect_output(d.output, "soft 16");
    expect_output(d.output, "open failed: EMFILE after 13 descriptors"); /* 16 minus 0, 1, 2 */
}

static void descriptor_calls_fail_with_emfile_at_rlimit_nofile(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct rlimit limit;
        int p[2];
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
            _exit(2);
        limit.rlim_cur = 8;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            _exit(3);
        for (int want = 3; want < 8; want++)
            if (dup(STDOUT_FILENO) != want)
                _exit(4); /* the lowest free number each time */
        if (dup(STDOUT_FILENO) != -1 || errno != EMFILE)
            _exit(5);
        if (pipe(p) != -1 || errno != EMFILE)
            _exit(6);
        if (open("/", O_RDONLY) != -1 || errno != EMFILE)
            _exit(7);
        if (fcntl(STDOUT_FILENO, F_DUPFD, 0) != -1 || errno != EMFILE)
            _exit(8);
        if (dup2(STDOUT_FILENO, 8) != -1 || errno != EBADF)
            _exit(9); /* dup2 past the limit: EBADF */
        close(5);
        if (dup(STDOUT_FILENO) != 5)
            _exit(10); /* a freed slot is usable again */
        _exit(0);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* --- fork bomb -------------------------------------------------------------- */

static int count_processes(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int count = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
            count++;
    closedir(d);
    return count;
}

/*
 * The fork bomb runs in a process group of its own.  Linux does not apply
 * RLIMIT_NPROC to root, so there it runs as the unprivileged user 65534.
 */
static void forkbomb_setup(void)
{
    if (setpgid(0, 0) != 0)
        _exit(126);
    if (!is_sprout() && getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        _exit(125);
}

static void forkbomb_is_stopped_and_leaves_nothing_behind(void)
{
    static struct demo d;
    const char *path = find_demo("forkbomb");
    if (!path)
        return;
    int before = count_processes();
    char *argv[] = {"forkbomb", "10", NULL};
    demo_start(&d, path, argv, forkbomb_setup);
    int status = demo_finish(&d);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        utest_fail(__FILE__, __LINE__, "expected exit status 0, got wait status %#x; output:\n%s",
                   status, d.output);
    expect_output(d.output, "fork failed: EAGAIN after");
    expect_output(d.output, "killed and reaped");
    CHECK_ERRNO(kill(-d.pid, 0), ESRCH); /* nobody is left in its group */
    if (is_sprout())                     /* on Linux other processes come and go */
        CHECK_EQ(count_processes(), before);
}

static const struct utest_case cases[] = {
    UTEST(stack_overflow_dies_with_sigsegv),
    UTEST(recurse_demo_dies_with_sigsegv),
    UTEST(stack_overflow_handler_on_alt_stack_reports_it),
    UTEST(null_write_dies_with_sigsegv),
    UTEST(segfault_handler_on_alt_stack_reports_address),
    UTEST(segv_demo_dies_with_sigsegv_each_way),
    UTEST(cpu_hogs_do_not_starve_a_sleeper),
    UTEST(cpu_hog_dies_from_sigint_sigterm_and_sigkill),
    UTEST(graceful_demo_finishes_cleanly_on_sigterm),
    UTEST(graceful_demo_finishes_cleanly_on_sigint),
    UTEST(graceful_demo_dies_at_once_on_sigkill),
    UTEST(fdleak_demo_hits_emfile_at_its_limit),
    UTEST(descriptor_calls_fail_with_emfile_at_rlimit_nofile),
    UTEST(forkbomb_is_stopped_and_leaves_nothing_behind),
};

int main(int argc, char **argv)
{
    /* What the cases expect of SIGINT, SIGTERM... must not depend on who started us
     * (a shell without job control starts background programs with SIGINT ignored). */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < 32; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    self_path = argv[0];
    return utest_main("failure", cases, sizeof cases / sizeof cases[0], argc, argv);
}
