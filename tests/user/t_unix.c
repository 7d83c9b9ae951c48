/*
 * t_unix.c - POSIX calls that programs written for other Unixes expect:
 * select and pselect6, waitid, fcntl record locks and flock.
 * Each with its bad arguments.  Runs on Linux too, which proves the
 * expectations.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

/* --- select / pselect6 ------------------------------------------------- */

static void select_sees_a_readable_pipe(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    struct timeval tv = {0, 0};
    /* Nothing to read yet; the write end is writable. */
    CHECK_EQ(select(p[1] + 1, &r, &w, NULL, &tv), 1);
    CHECK(!FD_ISSET(p[0], &r));
    CHECK(FD_ISSET(p[1], &w));
    CHECK_EQ(write(p[1], "x", 1), 1);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    /* Readable and writable: two bits, two in the count. */
    CHECK_EQ(select(p[1] + 1, &r, &w, NULL, &tv), 2);
    CHECK(FD_ISSET(p[0], &r));
    CHECK(FD_ISSET(p[1], &w));
}

static void select_times_out_and_clears_the_sets(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, 50000};
    double start = now_seconds();
    /* The system call itself: musl's select() passes the kernel a copy of tv. */
    CHECK_EQ(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 0);
    CHECK(now_seconds() - start >= 0.045);
    CHECK(!FD_ISSET(p[0], &r));
    /* Linux writes back the time that was left: none. */
    CHECK_EQ(tv.tv_sec, 0);
    CHECK_EQ(tv.tv_usec, 0);
}

static void select_wakes_when_a_child_writes(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(50);
        (void)!write(p[1], "y", 1);
        _exit(0);
    }
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {5, 0};
    CHECK_EQ(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 1);
    CHECK(FD_ISSET(p[0], &r));
    CHECK(tv.tv_sec < 5); /* some of the five seconds were used */
    wait_status(pid);
}

static void select_sees_eof_as_readable(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    close(p[1]);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, NULL), 1);
    CHECK(FD_ISSET(p[0], &r));
}

static void select_bad_arguments(void)
{
    fd_set r;
    struct timeval tv = {0, 0};
    CHECK_ERRNO(select(-1, NULL, NULL, NULL, &tv), EINVAL);
    struct timeval bad = {0, -1};
    CHECK_ERRNO(syscall(SYS_select, 0, NULL, NULL, NULL, &bad), EINVAL);
    struct timeval negative = {-1, 0};
    CHECK_ERRNO(syscall(SYS_select, 0, NULL, NULL, NULL, &negative), EINVAL);
    FD_ZERO(&r);
    FD_SET(200, &r); /* not open */
    CHECK_ERRNO(select(201, &r, NULL, NULL, &tv), EBADF);
    CHECK_ERRNO(syscall(SYS_select, 1, (void *)1, NULL, NULL, &tv), EFAULT);
    CHECK_ERRNO(syscall(SYS_select, 1, NULL, NULL, NULL, (void *)1), EFAULT);
    CHECK_ERRNO(syscall(SYS_select, 1, (void *)0xffffffff80100000ul, NULL, NULL, &tv), EFAULT);
    /* Bits beyond n are not looked at. */
    FD_ZERO(&r);
    FD_SET(0, &r);
    FD_SET(200, &r);
    CHECK(select(1, &r, NULL, NULL, &tv) >= 0);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { got_usr1 = 1; }

static void pselect_mask_lets_a_signal_in(void)
{
    /* SIGUSR1 is blocked outside pselect and let in during it: it interrupts. */
    signal(SIGUSR1, on_usr1);
    sigset_t block, during;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR1);
    CHECK_EQ(got_usr1, 0);
    sigemptyset(&during);
    struct timespec ts = {2, 0};
    CHECK_ERRNO(pselect(0, NULL, NULL, NULL, &ts, &during), EINTR);
    CHECK_EQ(got_usr1, 1);
    /* The old mask is back: SIGUSR1 is blocked again. */
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK(sigismember(&now, SIGUSR1));
}

static void pselect_bad_arguments(void)
{
    struct timespec bad = {0, 1000000000};
    CHECK_ERRNO(pselect(0, NULL, NULL, NULL, &bad, NULL), EINVAL);
    struct {
        const void *mask;
        size_t size;
    } wrong_size = {&bad, 4};
    struct timespec zero = {0, 0};
    CHECK_ERRNO(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, &wrong_size), EINVAL);
    CHECK_ERRNO(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, (void *)1), EFAULT);
    CHECK_ERRNO(syscall(SYS_pselect6, 0, NULL, NULL, NULL, (void *)1, NULL), EFAULT);
}

/* --- waitid ----------------------------------------------------------- */

static void waitid_reports_an_exit(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(7);
    siginfo_t info;
    memset(&info, 0xff, sizeof info);
    CHECK_EQ(waitid(P_PID, (id_t)pid, &info, WEXITED), 0);
    CHECK_EQ(info.si_signo, SIGCHLD);
    CHECK_EQ(info.si_code, CLD_EXITED);
    CHECK_EQ(info.si_pid, pid);
    CHECK_EQ(info.si_status, 7);
    /* Reaped: no child left. */
    CHECK_ERRNO(waitpid(pid, NULL, WNOHANG), ECHILD);
}

static void waitid_nowait_leaves_the_child(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    siginfo_t info;
    CHECK_EQ(waitid(P_ALL, 0, &info, WEXITED | WNOWAIT), 0);
    CHECK_EQ(info.si_code, CLD_KILLED);
    CHECK_EQ(info.si_status, SIGTERM);
    CHECK_EQ(info.si_pid, pid);
    /* Still there for waitpid. */
    int status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGTERM);
}

static void waitid_stopped_and_continued(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGSTOP);
    siginfo_t info;
    CHECK_EQ(waitid(P_PID, (id_t)pid, &info, WSTOPPED), 0);
    CHECK_EQ(info.si_code, CLD_STOPPED);
    CHECK_EQ(info.si_status, SIGSTOP);
    kill(pid, SIGCONT);
    CHECK_EQ(waitid(P_PID, (id_t)pid, &info, WCONTINUED), 0);
    CHECK_EQ(info.si_code, CLD_CONTINUED);
    CHECK_EQ(info.si_status, SIGCONT);
    kill(pid, SIGKILL);
    CHECK_EQ(waitid(P_PGID, 0, &info, WEXITED), 0);
    CHECK_EQ(info.si_code, CLD_KILLED);
    CHECK_EQ(info.si_status, SIGKILL);
}

static void waitid_wnohang_with_nothing_to_report(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(300);
        _exit(0);
    }
    siginfo_t info;
    memset(&info, 0xff, sizeof info);
    CHECK_EQ(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG), 0);
    CHECK_EQ(info.si_pid, 0);
    CHECK_EQ(info.si_signo, 0);
    wait_status(pid);
}

static void waitid_bad_arguments(void)
{
    siginfo_t info;
    CHECK_ERRNO(waitid(P_ALL, 0, &info, 0), EINVAL); /* no event asked for */
    CHECK_ERRNO(waitid(P_ALL, 0, &info, WEXITED | 0x4000), EINVAL);
    CHECK_ERRNO(waitid((idtype_t)42, 0, &info, WEXITED), EINVAL);
    CHECK_ERRNO(waitid(P_ALL, 0, &info, WEXITED), ECHILD); /* no children */
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(3);
    sleep_ms(50);
    CHECK_ERRNO(syscall(SYS_waitid, P_PID, pid, (void *)1, WEXITED, NULL), EFAULT);
    /* On sprout a bad pointer loses nothing: the child can still be collected
     * (Linux reaps it before it finds the pointer bad). */
    if (is_sprout()) {
        CHECK_EQ(waitid(P_PID, (id_t)pid, &info, WEXITED), 0);
        CHECK_EQ(info.si_status, 3);
    }
}

/* --- fcntl record locks -------------------------------------------------- */

static int open_scratch(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "0123456789", 10), 10);
    return fd;
}

static int set_lock(int fd, int command, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, command, &fl);
}

static void record_locks_conflict_between_processes(void)
{
    int fd = open_scratch("/tmp/t_unix.lock");
    CHECK_EQ(set_lock(fd, F_SETLK, F_WRLCK, 0, 5), 0);
    pid_t parent = getpid();
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int child_fd = open("/tmp/t_unix.lock", O_RDWR);
        /* Overlapping write and read locks fail; beyond the range is free. */
        if (set_lock(child_fd, F_SETLK, F_WRLCK, 4, 2) != -1 || errno != EAGAIN)
            _exit(1);
        if (set_lock(child_fd, F_SETLK, F_RDLCK, 0, 1) != -1 || errno != EAGAIN)
            _exit(2);
        if (set_lock(child_fd, F_SETLK, F_WRLCK, 5, 5) != 0)
            _exit(3);
        /* F_GETLK names the holder. */
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1};
        if (fcntl(child_fd, F_GETLK, &fl) != 0 || fl.l_type != F_WRLCK || fl.l_pid != parent ||
            fl.l_start != 0 || fl.l_len != 5)
            _exit(4);
        _exit(0);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    /* Our own locks never conflict with each other. */
    CHECK_EQ(set_lock(fd, F_SETLK, F_RDLCK, 0, 10), 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    CHECK_EQ(fcntl(fd, F_GETLK, &fl), 0);
    CHECK_EQ(fl.l_type, F_UNLCK);
    close(fd);
    unlink("/tmp/t_unix.lock");
}

static void setlkw_waits_for_the_holder(void)
{
    int fd = open_scratch("/tmp/t_unix.lockw");
    CHECK_EQ(set_lock(fd, F_SETLK, F_WRLCK, 0, 0), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int child_fd = open("/tmp/t_unix.lockw", O_RDWR);
        double start = now_seconds();
        if (set_lock(child_fd, F_SETLKW, F_WRLCK, 0, 0) != 0)
            _exit(1);
        _exit(now_seconds() - start >= 0.1 ? 0 : 2); /* it waited for the unlock */
    }
    sleep_ms(200);
    CHECK_EQ(set_lock(fd, F_SETLK, F_UNLCK, 0, 0), 0);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    close(fd);
    unlink("/tmp/t_unix.lockw");
}

static void any_close_drops_the_record_locks(void)
{
    int fd = open_scratch("/tmp/t_unix.lockc");
    CHECK_EQ(set_lock(fd, F_SETLK, F_WRLCK, 0, 0), 0);
    /* Closing another descriptor of the same file drops them (POSIX). */
    int other = open("/tmp/t_unix.lockc", O_RDONLY);
    close(other);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int child_fd = open("/tmp/t_unix.lockc", O_RDWR);
        _exit(set_lock(child_fd, F_SETLK, F_WRLCK, 0, 0) == 0 ? 0 : 1);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    close(fd);
    unlink("/tmp/t_unix.lockc");
}

static void setlkw_detects_deadlock(void)
{
    int fd = open_scratch("/tmp/t_unix.lockd");
    CHECK_EQ(set_lock(fd, F_SETLK, F_WRLCK, 0, 1), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int child_fd = open("/tmp/t_unix.lockd", O_RDWR);
        set_lock(child_fd, F_SETLK, F_WRLCK, 5, 1);
        /* Wait for byte 0, which the parent holds; the parent will wait for byte 5. */
        if (set_lock(child_fd, F_SETLKW, F_WRLCK, 0, 1) != 0)
            _exit(1);
        _exit(0);
    }
    sleep_ms(200);
    /* The child holds byte 5 and waits for us: waiting for it would never end. */
    CHECK_ERRNO(set_lock(fd, F_SETLKW, F_WRLCK, 5, 1), EDEADLK);
    CHECK_EQ(set_lock(fd, F_SETLK, F_UNLCK, 0, 0), 0);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    close(fd);
    unlink("/tmp/t_unix.lockd");
}

static void record_lock_bad_arguments(void)
{
    int fd = open_scratch("/tmp/t_unix.lockb");
    struct flock fl = {.l_type = 42, .l_whence = SEEK_SET};
    CHECK_ERRNO(fcntl(fd, F_SETLK, &fl), EINVAL);
    fl = (struct flock){.l_type = F_WRLCK, .l_whence = 7};
    CHECK_ERRNO(fcntl(fd, F_SETLK, &fl), EINVAL);
    fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = -5};
    CHECK_ERRNO(fcntl(fd, F_SETLK, &fl), EINVAL);
    CHECK_ERRNO(fcntl(fd, F_SETLK, (void *)1), EFAULT);
    CHECK_ERRNO(fcntl(fd, F_GETLK, (void *)0xffffffff80100000ul), EFAULT);
    CHECK_ERRNO(fcntl(-1, F_SETLK, &fl), EBADF);
    int ro = open("/tmp/t_unix.lockb", O_RDONLY);
    fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET};
    CHECK_ERRNO(fcntl(ro, F_SETLK, &fl), EBADF); /* a write lock needs write access */
    fl = (struct flock){.l_type = F_UNLCK, .l_whence = SEEK_SET};
    CHECK_ERRNO(fcntl(fd, F_GETLK, &fl), EINVAL);
    close(ro);
    close(fd);
    unlink("/tmp/t_unix.lockb");
}

/* --- flock ---------------------------------------------------------------- */

static void flock_shared_and_exclusive(void)
{
    int a = open_scratch("/tmp/t_unix.flock");
    int b = open("/tmp/t_unix.flock", O_RDONLY);
    CHECK_EQ(flock(a, LOCK_SH), 0);
    CHECK_EQ(flock(b, LOCK_SH | LOCK_NB), 0); /* readers share */
    CHECK_ERRNO(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
    CHECK_EQ(flock(a, LOCK_UN), 0);
    CHECK_EQ(flock(b, LOCK_EX | LOCK_NB), 0); /* now alone: exclusive */
    CHECK_ERRNO(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
    /* A dup shares the open file, and with it the lock. */
    int c = dup(b);
    close(b);
    CHECK_ERRNO(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
    close(c); /* the last descriptor of that open file: the lock goes */
    CHECK_EQ(flock(a, LOCK_EX | LOCK_NB), 0);
    close(a);
    unlink("/tmp/t_unix.flock");
}

static void flock_waits_for_the_holder(void)
{
    int a = open_scratch("/tmp/t_unix.flockw");
    CHECK_EQ(flock(a, LOCK_EX), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int mine = open("/tmp/t_unix.flockw", O_RDONLY);
        double start = now_seconds();
        if (flock(mine, LOCK_EX) != 0)
            _exit(1);
        _exit(now_seconds() - start >= 0.1 ? 0 : 2);
    }
    sleep_ms(200);
    CHECK_EQ(flock(a, LOCK_UN), 0);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    close(a);
    unlink("/tmp/t_unix.flockw");
}

static void flock_bad_arguments(void)
{
    int a = open_scratch("/tmp/t_unix.flockb");
    CHECK_ERRNO(flock(-1, LOCK_SH), EBADF);
    CHECK_ERRNO(flock(999, LOCK_SH), EBADF);
    CHECK_ERRNO(flock(a, 0), EINVAL);
    CHECK_ERRNO(flock(a, LOCK_SH | LOCK_EX), EINVAL);
    CHECK_ERRNO(flock(a, 64), EINVAL);
    close(a);
    unlink("/tmp/t_unix.flockb");
}

/* --- CPU-time interval timers and clocks ---------------------------------- */

static volatile sig_atomic_t got_vtalrm, got_prof;
static void on_vtalrm(int sig) { got_vtalrm++; }
static void on_prof(int sig) { got_prof++; }

/* Burn user CPU until `flag` is set or `seconds` of wall time pass. */
static void spin_until(volatile sig_atomic_t *flag, double seconds)
{
    double end = now_seconds() + seconds;
    while (!*flag && now_seconds() < end)
        ;
}

static void itimer_virtual_counts_user_time_only(void)
{
    signal(SIGVTALRM, on_vtalrm);
    struct itimerval v = {{0, 0}, {0, 50000}};
    CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), 0);
    sleep_ms(300); /* sleeping uses no CPU: nothing fires */
    CHECK_EQ(got_vtalrm, 0);
    struct itimerval left;
    CHECK_EQ(getitimer(ITIMER_VIRTUAL, &left), 0);
    CHECK(left.it_value.tv_sec == 0 && left.it_value.tv_usec > 0);
    spin_until(&got_vtalrm, 10);
    CHECK_EQ(got_vtalrm, 1);
    CHECK_EQ(getitimer(ITIMER_VIRTUAL, &left), 0);
    CHECK(left.it_value.tv_sec == 0 && left.it_value.tv_usec == 0); /* one-shot: disarmed */
}

static void itimer_prof_repeats_with_an_interval(void)
{
    signal(SIGPROF, on_prof);
    struct itimerval v = {{0, 20000}, {0, 20000}};
    CHECK_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
    double end = now_seconds() + 10;
    while (got_prof < 3 && now_seconds() < end)
        ;
    CHECK(got_prof >= 3);
    struct itimerval old, off = {{0, 0}, {0, 0}};
    CHECK_EQ(setitimer(ITIMER_PROF, &off, &old), 0);
    CHECK_EQ(old.it_interval.tv_usec, 20000);
}

static void itimer_bad_arguments(void)
{
    struct itimerval v = {{0, 0}, {0, 1000000}};
    CHECK_ERRNO(setitimer(ITIMER_VIRTUAL, &v, NULL), EINVAL);
    v = (struct itimerval){{0, -1}, {0, 0}};
    CHECK_ERRNO(setitimer(ITIMER_PROF, &v, NULL), EINVAL);
    CHECK_ERRNO(syscall(SYS_setitimer, 3, NULL, NULL), EINVAL);
    CHECK_ERRNO(syscall(SYS_getitimer, -1, &v), EINVAL);
    CHECK_ERRNO(syscall(SYS_getitimer, ITIMER_PROF, (void *)1), EFAULT);
    CHECK_ERRNO(syscall(SYS_setitimer, ITIMER_VIRTUAL, (void *)1, NULL), EFAULT);
    /* On sprout a bad old_value loses nothing: the timer is unchanged
     * (Linux sets the new value before it finds the pointer bad). */
    v = (struct itimerval){{0, 0}, {5, 0}};
    CHECK_EQ(setitimer(ITIMER_VIRTUAL, &v, NULL), 0);
    struct itimerval other = {{0, 0}, {9, 0}};
    CHECK_ERRNO(syscall(SYS_setitimer, ITIMER_VIRTUAL, &other, (void *)1), EFAULT);
    CHECK_EQ(getitimer(ITIMER_VIRTUAL, &v), 0);
    if (is_sprout())
        CHECK(v.it_value.tv_sec <= 5);
}

static void cpu_clock_of_another_process(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        for (;;)
            ;
    }
    clockid_t clock;
    CHECK_EQ(clock_getcpuclockid(pid, &clock), 0);
    struct timespec a, b;
    CHECK_EQ(clock_gettime(clock, &a), 0);
    sleep_ms(300);
    CHECK_EQ(clock_gettime(clock, &b), 0);
    double used = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    CHECK(used > 0.01); /* the spinning child used CPU meanwhile */
    /* Our own clock through PID 0 and through our PID agree with CLOCK_PROCESS_CPUTIME_ID. */
    CHECK_EQ(clock_getcpuclockid(0, &clock), 0);
    CHECK_EQ(clock_gettime(clock, &a), 0);
    kill(pid, SIGKILL);
    wait_status(pid);
    /* The child is gone: its clock is too (musl passes on the kernel's EINVAL). */
    CHECK_EQ(clock_getcpuclockid(pid, &clock), EINVAL);
}

static void cpu_clock_bad_arguments(void)
{
    struct timespec ts;
    clockid_t bad_kind = (clockid_t)((~0u << 3) | 3); /* PID 0, kind 3 does not exist */
    CHECK_ERRNO(clock_gettime(bad_kind, &ts), EINVAL);
    clockid_t nobody = (clockid_t)((~99999u << 3) | 2);
    CHECK_ERRNO(clock_gettime(nobody, &ts), EINVAL);
    clockid_t self = (clockid_t)((~0u << 3) | 2);
    CHECK_ERRNO(syscall(SYS_clock_gettime, self, (void *)1), EFAULT);
    CHECK_EQ(clock_gettime(self, &ts), 0);
}

/* --- statfs ------------------------------------------------------------ */

static void statfs_names_the_file_system(void)
{
    struct statfs st;
    CHECK_EQ(statfs("/proc", &st), 0);
    CHECK_EQ(st.f_type, 0x9fa0); /* PROC_SUPER_MAGIC */
    CHECK_EQ(statfs("/tmp", &st), 0);
    if (!is_sprout())
        return;                      /* the rest is about sprout's /tmp, a tmpfs of half of RAM */
    CHECK_EQ(st.f_type, 0x01021994); /* TMPFS_MAGIC */
    CHECK_EQ(st.f_bsize, 4096);
    CHECK(st.f_blocks > 0);
    CHECK(st.f_namelen >= 255);
    /* Writing a file takes blocks from f_bfree; removing it gives them back. */
    unsigned long before = st.f_bfree;
    int fd = open("/tmp/t_unix.statfs", O_CREAT | O_RDWR | O_TRUNC, 0600);
    static char chunk[64 * 1024];
    memset(chunk, 'x', sizeof chunk);
    CHECK_EQ(write(fd, chunk, sizeof chunk), (ssize_t)sizeof chunk);
    struct statfs after;
    CHECK_EQ(fstatfs(fd, &after), 0);
    CHECK(after.f_bfree <= before - 16 + 2); /* (other processes may write /tmp too) */
    close(fd);
    unlink("/tmp/t_unix.statfs");
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(fstatfs(p[0], &st), 0);
    CHECK_EQ(st.f_type, 0x50495045); /* PIPEFS_MAGIC */
}

static void statfs_bad_arguments(void)
{
    struct statfs st;
    CHECK_ERRNO(statfs("/no/such/place", &st), ENOENT);
    CHECK_ERRNO(statfs("/proc/self/status/x", &st), ENOTDIR);
    CHECK_ERRNO(syscall(SYS_statfs, (char *)1, &st), EFAULT);
    CHECK_ERRNO(syscall(SYS_statfs, "/", (void *)1), EFAULT);
    CHECK_ERRNO(fstatfs(-1, &st), EBADF);
    CHECK_ERRNO(syscall(SYS_fstatfs, 0, (void *)0xffffffff80100000ul), EFAULT);
}

static const struct utest_case cases[] = {
    UTEST(select_sees_a_readable_pipe),
    UTEST(select_times_out_and_clears_the_sets),
    UTEST(select_wakes_when_a_child_writes),
    UTEST(select_sees_eof_as_readable),
    UTEST(select_bad_arguments),
    UTEST(pselect_mask_lets_a_signal_in),
    UTEST(pselect_bad_arguments),
    UTEST(waitid_reports_an_exit),
    UTEST(waitid_nowait_leaves_the_child),
    UTEST(waitid_stopped_and_continued),
    UTEST(waitid_wnohang_with_nothing_to_report),
    UTEST(waitid_bad_arguments),
    UTEST(record_locks_conflict_between_processes),
    UTEST(setlkw_waits_for_the_holder),
    UTEST(any_close_drops_the_record_locks),
    UTEST(setlkw_detects_deadlock),
    UTEST(record_lock_bad_arguments),
    UTEST(flock_shared_and_exclusive),
    UTEST(flock_waits_for_the_holder),
    UTEST(flock_bad_arguments),
    UTEST(itimer_virtual_counts_user_time_only),
    UTEST(itimer_prof_repeats_with_an_interval),
    UTEST(itimer_bad_arguments),
    UTEST(cpu_clock_of_another_process),
    UTEST(cpu_clock_bad_arguments),
    UTEST(statfs_names_the_file_system),
    UTEST(statfs_bad_arguments),
};
UTEST_MAIN("unix", cases)
