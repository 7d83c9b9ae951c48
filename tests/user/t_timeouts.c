/*
 * t_timeouts.c - the calls that wait with a struct timespec limit, ppoll and
 * rt_sigtimedwait, and the calls that fill a buffer with random bytes,
 * getrandom and /dev/urandom: what they return, and the errno each bad
 * argument gets (a bad pointer, a negative or malformed time, a wrong
 * sigset size, unknown flags).
 *
 * The same binary runs on Linux (to prove the expectations) and in sprout.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include "tests/user/utest.h"

#define KERNEL_TEXT 0xffffffff80000000ul /* the kernel image (sprout and Linux) */
#define KERNEL_SIGSET_SIZE 8             /* the kernel's sigset_t: 64 bits */

static long raw_ppoll(struct pollfd *fds, unsigned long n, const void *timeout, const void *mask,
                      size_t mask_size)
{
    return syscall(SYS_ppoll, fds, n, timeout, mask, mask_size);
}

static long raw_sigtimedwait(const void *set, siginfo_t *info, const void *timeout, size_t size)
{
    return syscall(SYS_rt_sigtimedwait, set, info, timeout, size);
}

/* --- ppoll ------------------------------------------------------------- */

static void ppoll_times_out_after_the_timeout(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    struct timespec zero = {0, 0}, fifty_ms = {0, 50 * 1000 * 1000};
    CHECK_EQ(raw_ppoll(&p, 1, &zero, NULL, 0), 0); /* nothing to read: at once */
    double start = now_seconds();
    CHECK_EQ(raw_ppoll(&p, 1, &fifty_ms, NULL, 0), 0);
    CHECK(now_seconds() - start >= 0.049);
    CHECK_EQ(write(fds[1], "x", 1), 1);
    CHECK_EQ(raw_ppoll(&p, 1, &fifty_ms, NULL, 0), 1);
    CHECK_EQ(p.revents, POLLIN);
}

static void ppoll_bad_arguments(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    struct timespec bad_nsec = {0, 1000 * 1000 * 1000}, negative = {-1, 0};
    unsigned long long mask = 0;
    CHECK_ERRNO(raw_ppoll(&p, 1, &bad_nsec, NULL, 0), EINVAL);
    CHECK_ERRNO(raw_ppoll(&p, 1, &negative, NULL, 0), EINVAL);
    CHECK_ERRNO(raw_ppoll(&p, 1, (void *)KERNEL_TEXT, NULL, 0), EFAULT);
    CHECK_ERRNO(raw_ppoll(&p, 1, (void *)8, NULL, 0), EFAULT);
    CHECK_ERRNO(raw_ppoll((void *)KERNEL_TEXT, 1, NULL, NULL, 0), EFAULT);
    CHECK_ERRNO(raw_ppoll(&p, 1, NULL, &mask, 4), EINVAL); /* a sigset is 8 bytes */
    CHECK_ERRNO(raw_ppoll(&p, 1, NULL, (void *)KERNEL_TEXT, KERNEL_SIGSET_SIZE), EFAULT);
}

/* --- rt_sigtimedwait ---------------------------------------------------- */

static void sigtimedwait_takes_a_pending_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    siginfo_t info;
    struct timespec one_second = {1, 0};
    CHECK_EQ(sigtimedwait(&set, &info, &one_second), SIGUSR1);
    CHECK_EQ(info.si_signo, SIGUSR1);
    CHECK_EQ(info.si_pid, getpid());
    sigset_t pending;
    CHECK_EQ(sigpending(&pending), 0);
    CHECK_EQ(sigismember(&pending, SIGUSR1), 0); /* it was taken, not delivered */
}

static void sigtimedwait_times_out_with_eagain(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK_EQ(sigprocmask(SIG_BLOCK, &set, NULL), 0);
    struct timespec zero = {0, 0}, fifty_ms = {0, 50 * 1000 * 1000};
    CHECK_ERRNO(sigtimedwait(&set, NULL, &zero), EAGAIN);
    double start = now_seconds();
    CHECK_ERRNO(sigtimedwait(&set, NULL, &fifty_ms), EAGAIN);
    CHECK(now_seconds() - start >= 0.049);
}

static void sigtimedwait_bad_arguments(void)
{
    unsigned long long set = 1ull << (SIGUSR1 - 1);
    struct timespec bad_nsec = {0, -1}, negative = {-5, 0}, zero = {0, 0};
    CHECK_ERRNO(raw_sigtimedwait(&set, NULL, &bad_nsec, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_ERRNO(raw_sigtimedwait(&set, NULL, &negative, KERNEL_SIGSET_SIZE), EINVAL);
    CHECK_ERRNO(raw_sigtimedwait(&set, NULL, (void *)KERNEL_TEXT, KERNEL_SIGSET_SIZE), EFAULT);
    CHECK_ERRNO(raw_sigtimedwait((void *)KERNEL_TEXT, NULL, &zero, KERNEL_SIGSET_SIZE), EFAULT);
    CHECK_ERRNO(raw_sigtimedwait(&set, NULL, &zero, 4), EINVAL);
}

/* --- getrandom and /dev/urandom ----------------------------------------- */

/* Two 64-byte draws that are all zero, or equal, would mean nothing was written. */
static void check_random(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++)
        zeros += a[i] == 0;
    CHECK(zeros < n / 2);
    CHECK(memcmp(a, b, n) != 0);
}

static void getrandom_fills_the_buffer(void)
{
    unsigned char a[64] = {0}, b[64] = {0}, big[5000];
    CHECK_EQ(syscall(SYS_getrandom, a, sizeof a, 0), (long)sizeof a);
    CHECK_EQ(syscall(SYS_getrandom, b, sizeof b, 0), (long)sizeof b);
    check_random(a, b, sizeof a);
    memset(big, 0, sizeof big);
    CHECK_EQ(syscall(SYS_getrandom, big, sizeof big, 0), (long)sizeof big); /* several chunks */
    check_random(big + 4000, big + 4500, 500);
    CHECK_EQ(syscall(SYS_getrandom, a, 0, 0), 0);
}

static void getrandom_bad_arguments(void)
{
    unsigned char a[16];
    CHECK_ERRNO(syscall(SYS_getrandom, a, sizeof a, 0x100), EINVAL); /* unknown flag */
    CHECK_ERRNO(syscall(SYS_getrandom, (void *)KERNEL_TEXT, 16, 0), EFAULT);
    CHECK_ERRNO(syscall(SYS_getrandom, (void *)8, 16, 0), EFAULT);
}

static void dev_urandom_reads_random_bytes(void)
{
    int fd = open("/dev/urandom", O_RDONLY);
    CHECK(fd >= 0);
    unsigned char a[64] = {0}, b[64] = {0};
    CHECK_EQ(read(fd, a, sizeof a), (long)sizeof a);
    CHECK_EQ(read(fd, b, sizeof b), (long)sizeof b);
    check_random(a, b, sizeof a);
    CHECK_ERRNO(read(fd, (void *)KERNEL_TEXT, 16), EFAULT);
    CHECK_EQ(close(fd), 0);
}

static const struct utest_case cases[] = {
    UTEST(ppoll_times_out_after_the_timeout),
    UTEST(ppoll_bad_arguments),
    UTEST(sigtimedwait_takes_a_pending_signal),
    UTEST(sigtimedwait_times_out_with_eagain),
    UTEST(sigtimedwait_bad_arguments),
    UTEST(getrandom_fills_the_buffer),
    UTEST(getrandom_bad_arguments),
    UTEST(dev_urandom_reads_random_bytes),
};
UTEST_MAIN("timeouts", cases)
