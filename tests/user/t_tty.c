/*
 * t_tty.c - the terminal, as far as it can be tested without typing:
 * isatty, the default termios (ICANON, ECHO, ISIG), the window size and
 * SIGWINCH when it changes,
 * tcgetpgrp/tcgetsid, ENOTTY on things that are not terminals, job control
 * for a background reader (SIGTTIN, EIO), and the process-group and session
 * calls (setpgid, getpgid, getpgrp, setsid, getsid) with their errors.
 *
 * In sprout the terminal is the console on fd 0, and we run in its
 * foreground process group.  On Linux, where fd 0 may be anything, the
 * terminal cases run in a child that starts a session on a fresh
 * pseudo-terminal (see with_terminal()).  Values only sprout promises (an
 * 80x24 console) are checked only there.
 *
 * The program doubles as its own exec target: `t_tty --exec-pause FD`
 * writes a byte to FD and waits to be killed (see main()).  And as a helper
 * for tests/qemu/test_tty.sh, which types at it: `t_tty --raw-until N`
 * turns the terminal raw, waits until N bytes have been typed, and puts it
 * back to canonical mode without reading them.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include "tests/user/utest.h"

static const char *self_path;

/* --- helpers ---------------------------------------------------------- */

/* A child reports a failed check through its exit status; pass it on. */
static void expect_child_ok(pid_t pid)
{
    int status = wait_status(pid);
    if (WIFSIGNALED(status))
        utest_fail(__FILE__, __LINE__, "the child was killed by signal %d", WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
        fflush(stdout);
        _exit(1); /* the child's CHECK failed and already printed this case's FAIL line */
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        utest_fail(__FILE__, __LINE__, "the child ended with status 0x%x", status);
}

/*
 * Run body(fd) with fd a terminal whose foreground process group is ours:
 * sprout's console (fd 0), or on Linux a new pseudo-terminal that a child
 * takes as its controlling terminal after setsid().
 */
static void with_terminal(void (*body)(int fd))
{
    if (is_sprout()) {
        body(0);
        return;
    }
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(master >= 0);
    CHECK_EQ(grantpt(master), 0);
    CHECK_EQ(unlockpt(master), 0);
    char name[64];
    CHECK_EQ(ptsname_r(master, name, sizeof name), 0);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK_EQ(setsid(), getpid());
        int fd = open(name, O_RDWR); /* a session leader's first terminal becomes its own */
        CHECK(fd >= 0);
        CHECK_EQ(tcgetpgrp(fd), getpid());
        body(fd);
        fflush(stdout);
        _exit(0);
    }
    expect_child_ok(pid);
    close(master);
}

/* --- the terminal ------------------------------------------------------ */

static void console_is_a_terminal(void)
{
    if (is_sprout()) {
        CHECK_EQ(isatty(0), 1);
        CHECK_EQ(isatty(1), 1);
        CHECK_EQ(isatty(2), 1);
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (getuid() != 0) { /* root's alone (mode 600), as on Linux */
            CHECK_EQ(fd, -1);
            CHECK_EQ(errno, EACCES);
            fd = dup(1);
        }
        CHECK(fd >= 0);
        CHECK_EQ(isatty(fd), 1);
        struct stat st;
        CHECK_EQ(fstat(fd, &st), 0);
        CHECK(S_ISCHR(st.st_mode));
    }
    int null = open("/dev/null", O_RDWR);
    CHECK(null >= 0);
    errno = 0;
    CHECK_EQ(isatty(null), 0);
    CHECK_EQ(errno, ENOTTY);
}

static void check_default_termios(int fd)
{
    struct termios t;
    CHECK_EQ(tcgetattr(fd, &t), 0);
    CHECK((t.c_lflag & ICANON) != 0);
    CHECK((t.c_lflag & ECHO) != 0);
    CHECK((t.c_lflag & ISIG) != 0);
    CHECK_EQ(t.c_cc[VINTR], 3);    /* ^C */
    CHECK_EQ(t.c_cc[VEOF], 4);     /* ^D */
    CHECK_EQ(t.c_cc[VERASE], 127); /* DEL */
    CHECK_EQ(t.c_cc[VKILL], 21);   /* ^U */
    CHECK((t.c_iflag & ICRNL) != 0);
    CHECK((t.c_oflag & OPOST) != 0);
}

static void default_termios_is_canonical_with_echo_and_signals(void)
{
    with_terminal(check_default_termios);
}

static void check_termios_round_trip(int fd)
{
    struct termios saved, changed, got;
    CHECK_EQ(tcgetattr(fd, &saved), 0);
    changed = saved;
    changed.c_lflag &= ~(tcflag_t)ECHO;
    changed.c_cc[VERASE] = 8; /* ^H */
    int set = tcsetattr(fd, TCSANOW, &changed);
    int get = tcgetattr(fd, &got);
    tcsetattr(fd, TCSANOW, &saved); /* the console is shared: restore before checking */
    CHECK_EQ(set, 0);
    CHECK_EQ(get, 0);
    CHECK_EQ(got.c_lflag & ECHO, 0);
    CHECK_EQ(got.c_lflag & ICANON, ICANON);
    CHECK_EQ(got.c_cc[VERASE], 8);
    CHECK_EQ(tcgetattr(fd, &got), 0);
    CHECK_EQ(got.c_lflag, saved.c_lflag);
    CHECK_EQ(got.c_cc[VERASE], saved.c_cc[VERASE]);
}

static void tcsetattr_then_tcgetattr_round_trips(void) { with_terminal(check_termios_round_trip); }

static void check_window_size(int fd)
{
    struct winsize saved, want = {50, 132, 0, 0}, got;
    CHECK_EQ(ioctl(fd, TIOCGWINSZ, &saved), 0);
    if (is_sprout()) {
        CHECK_EQ(saved.ws_row, 24);
        CHECK_EQ(saved.ws_col, 80);
    }
    int set = ioctl(fd, TIOCSWINSZ, &want);
    int get = ioctl(fd, TIOCGWINSZ, &got);
    ioctl(fd, TIOCSWINSZ, &saved); /* restore first */
    CHECK_EQ(set, 0);
    CHECK_EQ(get, 0);
    CHECK_EQ(got.ws_row, 50);
    CHECK_EQ(got.ws_col, 132);
    CHECK_EQ(ioctl(fd, TIOCGWINSZ, &got), 0);
    CHECK_EQ(got.ws_row, saved.ws_row);
    CHECK_EQ(got.ws_col, saved.ws_col);
    CHECK_ERRNO(ioctl(fd, TIOCGWINSZ, (void *)0xffff800000000000ul), EFAULT);
}

static void window_size_is_80x24_and_can_be_set(void) { with_terminal(check_window_size); }

static volatile sig_atomic_t winch_count;
static void count_winch(int signal_number)
{
    (void)signal_number;
    winch_count++;
}

/*
 * A new window size sends SIGWINCH to the foreground process group (ours),
 * as Linux does; setting the size it already has sends nothing.  A process
 * in a background group hears nothing.
 */
static void check_sigwinch(int fd)
{
    struct sigaction count = {.sa_handler = count_winch}, old;
    struct winsize saved, other;
    int ready[2], done[2];
    CHECK_EQ(sigaction(SIGWINCH, &count, &old), 0);
    CHECK_EQ(ioctl(fd, TIOCGWINSZ, &saved), 0);
    other = saved;
    other.ws_row = (unsigned short)(saved.ws_row + 7);
    other.ws_col = (unsigned short)(saved.ws_col + 3);

    /* A child in a group of its own counts what it receives and reports it. */
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(done), 0);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        winch_count = 0;
        write(ready[1], "r", 1);
        char c;
        read(done[0], &c, 1);
        _exit(winch_count);
    }
    setpgid(pid, pid);
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);

    winch_count = 0;
    int set = ioctl(fd, TIOCSWINSZ, &other);
    int after_change = winch_count;
    int same = ioctl(fd, TIOCSWINSZ, &other);
    int after_same = winch_count;
    int restore = ioctl(fd, TIOCSWINSZ, &saved);
    int after_restore = winch_count;
    write(done[1], "d", 1);
    int status = wait_status(pid);
    sigaction(SIGWINCH, &old, NULL);
    CHECK_EQ(set, 0);
    CHECK_EQ(same, 0);
    CHECK_EQ(restore, 0);
    CHECK_EQ(after_change, 1);
    CHECK_EQ(after_same, 1);
    CHECK_EQ(after_restore, 2);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0); /* the background group got no SIGWINCH */
    CHECK_ERRNO(ioctl(fd, TIOCSWINSZ, (void *)0xffff800000000000ul), EFAULT);
    CHECK_ERRNO(ioctl(fd, TIOCSWINSZ, NULL), EFAULT);
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
    close(done[1]);
}

static void window_size_change_sends_sigwinch(void) { with_terminal(check_sigwinch); }

static void check_foreground_group(int fd)
{
    CHECK_EQ(tcgetpgrp(fd), getpgrp());
    CHECK_EQ(tcgetsid(fd), getsid(0));
    /* A child in the same group is in the foreground too. */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(tcgetpgrp(fd) == getpgrp() ? 0 : 1);
    CHECK_EQ(wait_status(pid), 0);
}

static void tcgetpgrp_is_our_foreground_group(void) { with_terminal(check_foreground_group); }

static void terminal_ioctls_on_other_files_are_enotty(void)
{
    struct termios t;
    struct winsize w;
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_ERRNO(ioctl(p[0], TCGETS, &t), ENOTTY);
    CHECK_ERRNO(ioctl(p[1], TIOCGWINSZ, &w), ENOTTY);
    errno = 0;
    CHECK_EQ(isatty(p[0]), 0);
    CHECK_EQ(errno, ENOTTY);
    int null = open("/dev/null", O_RDWR);
    CHECK_ERRNO(ioctl(null, TCGETS, &t), ENOTTY);
    CHECK_ERRNO(tcgetpgrp(null), ENOTTY);
    char path[64];
    snprintf(path, sizeof path, "/tmp/t_tty.%d", (int)getpid());
    int file = open(path, O_RDWR | O_CREAT, 0600);
    CHECK(file >= 0);
    unlink(path);
    CHECK_ERRNO(ioctl(file, TCGETS, &t), ENOTTY);
    CHECK_ERRNO(ioctl(200, TCGETS, &t), EBADF);
}

/* A process in a background group that reads the terminal is stopped by
 * SIGTTIN; if it ignores SIGTTIN, the read fails with EIO instead. */
static void check_background_read(int fd)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0); /* a group of its own: not the foreground one */
        signal(SIGTTIN, SIG_DFL);
        char c;
        read(fd, &c, 1);
        _exit(5); /* after SIGCONT, if it ever gets there */
    }
    setpgid(pid, pid);
    int status = wait_options(pid, WUNTRACED);
    kill(pid, SIGKILL);
    if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTTIN) {
        if (!WIFSTOPPED(status))
            wait_status(pid); /* already reaped if it exited */
        utest_fail(__FILE__, __LINE__,
                   "background reader's status 0x%x, want stopped by SIGTTIN (%d)", status,
                   SIGTTIN);
    }
    wait_status(pid);

    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTTIN, SIG_IGN);
        char c;
        errno = 0;
        ssize_t n = read(fd, &c, 1);
        _exit(n == -1 && errno == EIO ? 0 : 1);
    }
    setpgid(pid, pid);
    int st = wait_options(pid, WUNTRACED);
    if (WIFSTOPPED(st)) {
        kill(pid, SIGKILL);
        wait_status(pid);
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        utest_fail(__FILE__, __LINE__,
                   "background read with SIGTTIN ignored: status 0x%x, want exit 0 (read gave EIO)",
                   st);
}

static void background_read_stops_with_sigttin(void) { with_terminal(check_background_read); }

/* --- process groups and sessions ------------------------------------------- */

static void setsid_makes_a_session_leader(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK_EQ(setsid(), getpid());
        CHECK_EQ(getsid(0), getpid());
        CHECK_EQ(getpgrp(), getpid());
        CHECK_EQ(getpgid(0), getpid());
        CHECK_ERRNO(setsid(), EPERM);      /* already a leader */
        CHECK_ERRNO(setpgid(0, 0), EPERM); /* a session leader keeps its group */
        _exit(0);
    }
    expect_child_ok(pid);
    /* The parent's session did not change. */
    CHECK(getsid(0) != pid);
}

static void setsid_in_a_group_leader_is_eperm(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK_EQ(setpgid(0, 0), 0); /* become a group leader */
        pid_t sid = getsid(0);
        CHECK_ERRNO(setsid(), EPERM);
        CHECK_EQ(getsid(0), sid); /* unchanged */
        _exit(0);
    }
    expect_child_ok(pid);
}

static void setpgid_zero_makes_a_new_group(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        pid_t old = getpgrp();
        CHECK(old != getpid());
        CHECK_EQ(setpgid(0, 0), 0);
        CHECK_EQ(getpgrp(), getpid());
        CHECK_EQ(getpgid(0), getpid());
        CHECK_EQ(getpgid(getpid()), getpid());
        CHECK_EQ(setpgid(0, old), 0); /* and back into the parent's group (same session) */
        CHECK_EQ(getpgrp(), old);
        _exit(0);
    }
    expect_child_ok(pid);
}

static void parent_moves_a_child_between_groups(void)
{
    int go[2];
    CHECK_EQ(pipe(go), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(getpgrp() == getpid() ? 0 : 1);
    }
    CHECK_EQ(getpgid(pid), getpgrp()); /* a child starts in our group */
    CHECK_EQ(setpgid(pid, pid), 0);    /* what a shell does for a job */
    CHECK_EQ(getpgid(pid), pid);
    CHECK_EQ(getsid(pid), getsid(0));
    CHECK_ERRNO(setpgid(pid, -1), EINVAL);
    CHECK_EQ(write(go[1], "g", 1), 1);
    expect_child_ok(pid);
}

static void setpgid_errors(void)
{
    /* Not ourselves and not our child: ESRCH. */
    CHECK_ERRNO(setpgid(1, 1), ESRCH);
    CHECK_ERRNO(setpgid(getppid(), getppid()), ESRCH);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_ERRNO(setpgid(pid, pid), ESRCH); /* gone */
    CHECK_ERRNO(getpgid(pid), ESRCH);
    CHECK_ERRNO(getsid(pid), ESRCH);
    /* A group that does not exist (the reaped child's number): EPERM. */
    pid_t gone = pid;
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        pid_t group = getpgrp();
        CHECK_ERRNO(setpgid(0, gone), EPERM);
        CHECK_EQ(getpgrp(), group);
        _exit(0);
    }
    expect_child_ok(pid);
    /* A child in another session cannot be moved: EPERM. */
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setsid();
        write(ready[1], "r", 1);
        pause();
        _exit(0);
    }
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    int r = setpgid(pid, getpgrp());
    int e = errno;
    kill(pid, SIGKILL);
    wait_status(pid);
    if (r != -1 || e != EPERM)
        utest_fail(__FILE__, __LINE__,
                   "setpgid of a child in another session returned %d (errno %d: %s), want EPERM",
                   r, r ? e : 0, r ? strerror(e) : "none");
}

/* After the child has exec'd, its parent may no longer change its group. */
static void setpgid_after_the_child_exec_is_eacces(void)
{
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    char fd_arg[16];
    snprintf(fd_arg, sizeof fd_arg, "%d", ready[1]);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execl(self_path, self_path, "--exec-pause", fd_arg, (char *)NULL);
        _exit(127);
    }
    close(ready[1]);
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1); /* the new program is running */
    int r = setpgid(pid, pid);
    int e = errno;
    kill(pid, SIGKILL);
    wait_status(pid);
    if (r != -1 || e != EACCES)
        utest_fail(__FILE__, __LINE__,
                   "setpgid(child, child) after the child's execve returned %d (errno %d: %s), "
                   "want -1 with EACCES",
                   r, r ? e : 0, r ? strerror(e) : "none");
}

static void getpgid_and_getsid_of_others(void)
{
    CHECK_EQ(getpgid(0), getpgrp());
    CHECK_EQ(getpgid(getpid()), getpgrp());
    CHECK_EQ(getsid(getpid()), getsid(0));
    CHECK_EQ(getsid(getppid()), getsid(0)); /* our parent is in our session */
    CHECK(getpgid(1) >= 0);
    CHECK(getsid(1) >= 0);
}

static const struct utest_case cases[] = {
    UTEST(console_is_a_terminal),
    UTEST(default_termios_is_canonical_with_echo_and_signals),
    UTEST(tcsetattr_then_tcgetattr_round_trips),
    UTEST(window_size_is_80x24_and_can_be_set),
    UTEST(window_size_change_sends_sigwinch),
    UTEST(tcgetpgrp_is_our_foreground_group),
    UTEST(terminal_ioctls_on_other_files_are_enotty),
    UTEST(background_read_stops_with_sigttin),
    UTEST(setsid_makes_a_session_leader),
    UTEST(setsid_in_a_group_leader_is_eperm),
    UTEST(setpgid_zero_makes_a_new_group),
    UTEST(parent_moves_a_child_between_groups),
    UTEST(setpgid_errors),
    UTEST(setpgid_after_the_child_exec_is_eacces),
    UTEST(getpgid_and_getsid_of_others),
};

/*
 * --raw-until N: keys typed while a program has the terminal raw are still
 * there for the shell afterwards, as whole lines.  Exits 0 once N bytes
 * are waiting and the terminal is canonical again, 1 on a timeout.
 */
static int raw_until(int count)
{
    struct termios cooked, raw;
    int waiting = 0;
    if (tcgetattr(0, &cooked) < 0)
        return 1;
    raw = cooked;
    raw.c_lflag &= ~(tcflag_t)ICANON;
    tcsetattr(0, TCSANOW, &raw);
    printf("raw: type %d bytes\n", count);
    fflush(stdout);
    for (int tries = 0; tries < 600 && waiting < count; tries++) {
        sleep_ms(50);
        ioctl(0, FIONREAD, &waiting);
    }
    tcsetattr(0, TCSANOW, &cooked);
    return waiting >= count ? 0 : 1;
}

/*
 * --writev-lines N: two processes each write N lines to the terminal, every
 * line one writev of two pieces (as musl's printf does), with a little work
 * in between so that the timer preempts them mid-line.  One call's text must
 * reach the screen whole: tests/qemu/test_tty.sh checks every line.
 */
static int writev_lines(int count)
{
    pid_t children[2];
    for (int w = 0; w < 2; w++) {
        children[w] = fork();
        if (children[w] < 0)
            return 1;
        if (children[w] == 0) {
            char first[64], second[32];
            for (int i = 0; i < count; i++) {
                int a =
                    snprintf(first, sizeof first, "wv%c %04d first piece of the line,", 'A' + w, i);
                int b = snprintf(second, sizeof second, " second piece %c\n", 'A' + w);
                struct iovec iov[2] = {{first, (size_t)a}, {second, (size_t)b}};
                if (writev(1, iov, 2) != a + b)
                    _exit(1);
                for (volatile int spin = 0; spin < 20000; spin++)
                    ;
            }
            _exit(0);
        }
    }
    int ok = 1;
    for (int w = 0; w < 2; w++) {
        int status;
        ok &= waitpid(children[w], &status, 0) == children[w] && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0;
    }
    printf("writev-lines: %s\n", ok ? "done" : "a writer failed");
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 3 && strcmp(argv[1], "--writev-lines") == 0)
        return writev_lines(atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "--raw-until") == 0)
        return raw_until(atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "--exec-pause") == 0) {
        alarm(UTEST_TIMEOUT_SECONDS);
        if (write(atoi(argv[2]), "r", 1) != 1)
            return 1;
        for (;;)
            pause();
    }
    return utest_main("tty", cases, sizeof cases / sizeof cases[0], argc, argv);
}
