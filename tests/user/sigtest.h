/*
 * sigtest.h - helpers shared by the signal tests (t_signal.c, t_sigjob.c,
 * t_sigargs.c): forking children that wait to be killed, installing
 * handlers, reading the mask and the pending set, and a watchdog for cases
 * that need the alarm themselves.  Each test program includes it once.
 */
#ifndef TESTS_USER_SIGTEST_H
#define TESTS_USER_SIGTEST_H

#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define KERNEL_ADDRESS 0xffffffff80000000UL /* the top 2 GiB: the kernel's, not ours */
#define KERNEL_SIGSET_SIZE 8                /* the kernel's sigset_t: 64 bits */

/* --- helpers ---------------------------------------------------------- */

/* The child says "I am ready" by writing one byte; the parent waits for it. */
static inline void say_ready(int fd)
{
    char c = 'r';
    if (write(fd, &c, 1) != 1)
        _exit(120);
}

static inline void await_ready(int fd)
{
    char c;
    ssize_t n;
    while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
        ;
    CHECK_EQ(n, 1);
}

/* In a child: sleep until killed, or leave once the parent is gone (so a failed
 * case leaves nothing behind). */
static inline _Noreturn void idle_until_orphaned(pid_t parent)
{
    while (getppid() == parent)
        sleep_ms(100);
    _exit(0);
}

/* A child that waits until it is killed, once it has said it is ready. */
static inline pid_t fork_pausing_child(void)
{
    int ready[2];
    pid_t parent = getpid();
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        close(ready[0]);
        say_ready(ready[1]);
        idle_until_orphaned(parent);
    }
    close(ready[1]);
    await_ready(ready[0]);
    close(ready[0]);
    return pid;
}

static inline void install(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(sig, &sa, NULL), 0);
}

static inline void install_info(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = flags | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(sig, &sa, NULL), 0);
}

static inline void change_mask(int how, int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    CHECK_EQ(sigprocmask(how, &set, NULL), 0);
}

static inline int is_blocked(int sig)
{
    sigset_t now;
    if (sigprocmask(SIG_BLOCK, NULL, &now) != 0)
        return -1;
    return sigismember(&now, sig);
}

static inline int is_pending(int sig)
{
    sigset_t now;
    if (sigpending(&now) != 0)
        return -1;
    return sigismember(&now, sig);
}

/*
 * Cases that replace the framework's alarm (ITIMER_REAL) with their own lose
 * its time limit, so they start a watchdog: a child that kills the case with
 * SIGKILL if it is still running after `seconds`.  stop_watchdog() ends it
 * and gives the case back the framework's 30 s alarm.
 */
__attribute__((unused)) static pid_t watchdog_pid;

static inline void start_watchdog(int seconds)
{
    pid_t parent = getpid();
    watchdog_pid = fork_or_fail();
    if (watchdog_pid == 0) {
        sleep_ms(seconds * 1000L);
        printf("watchdog: case %s still running after %d s: killing it\n", utest_case_name,
               seconds);
        fflush(stdout);
        kill(parent, SIGKILL);
        _exit(0);
    }
}

static inline void stop_watchdog(void)
{
    kill(watchdog_pid, SIGKILL);
    wait_status(watchdog_pid);
    alarm(UTEST_TIMEOUT_SECONDS);
}

/* What handlers saw. */
__attribute__((unused)) static volatile sig_atomic_t handler_calls, last_signal;
__attribute__((unused)) static volatile sig_atomic_t info_signo, info_code, info_pid, info_uid;
__attribute__((unused)) static void *volatile info_addr;

static inline void record(int sig)
{
    handler_calls++;
    last_signal = sig;
}

static inline void record_info(int sig, siginfo_t *si, void *context)
{
    handler_calls++;
    last_signal = sig;
    info_signo = si->si_signo;
    info_code = si->si_code;
    info_pid = si->si_pid;
    info_uid = (sig_atomic_t)si->si_uid;
}

static inline void exit_7(int sig) { _exit(7); }

/*
 * What the cases expect of SIGINT, SIGQUIT... must not depend on who started
 * us (a shell without job control starts background programs with SIGINT
 * ignored): every signal back to its default, nothing blocked.
 */
static inline void reset_signal_state(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < 32; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
}

#endif
