/*
 * select.c - select and pselect6: poll with bitmaps.
 *
 * select(n, readfds, writefds, exceptfds, timeout) names descriptors by bits
 * 0..n-1 of three sets.  We turn the set bits into a pollfd array, wait with
 * poll_kernel() like poll does, and turn the answers back into bits:
 *
 *     readfds   ready when poll says POLLIN, RDNORM, RDBAND, HUP or ERR
 *     writefds  ready when poll says POLLOUT, WRNORM, WRBAND or ERR
 *     exceptfds ready when poll says POLLPRI
 *
 * The result counts bits, so a descriptor ready to read and to write counts
 * twice.  As on Linux, the sets are overwritten only on success, a set bit
 * for a descriptor that is not open is EBADF, and the timeout is updated to
 * the time that was left (errors writing it back are ignored: the select
 * itself succeeded).
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/poll.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"
#include "proc/proc.h"

#define POLLRDBAND 0x080
#define POLLWRBAND 0x200
#define SELECT_IN (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX (POLLPRI)

struct fd_sets {
    u64 *in, *out, *ex; /* n bits each (rounded up to whole words) */
    size_t bytes;
};

static bool bit_is_set(const u64 *set, int fd) { return set[fd / 64] & (1ull << (fd % 64)); }
static void bit_set(u64 *set, int fd) { set[fd / 64] |= 1ull << (fd % 64); }

static long sets_from_user(struct fd_sets *sets, void *in, void *out, void *ex)
{
    void *user[3] = {in, out, ex};
    u64 **kernel[3] = {&sets->in, &sets->out, &sets->ex};
    for (int i = 0; i < 3; i++) {
        *kernel[i] = kzalloc(sets->bytes ? sets->bytes : 8);
        if (!*kernel[i])
            return -ENOMEM;
        if (user[i] && copy_from_user(*kernel[i], user[i], sets->bytes) < 0)
            return -EFAULT;
    }
    return 0;
}

static void sets_free(struct fd_sets *sets)
{
    kfree(sets->in);
    kfree(sets->out);
    kfree(sets->ex);
}

/* The pollfd array for the set bits below n; -EBADF for a closed descriptor. */
static long sets_to_pollfds(const struct fd_sets *sets, int n, struct pollfd **fds_out, u64 *count)
{
    u64 wanted = 0;
    for (int fd = 0; fd < n; fd++)
        if (bit_is_set(sets->in, fd) || bit_is_set(sets->out, fd) || bit_is_set(sets->ex, fd)) {
            if (!fd_get(fd))
                return -EBADF;
            wanted++;
        }
    struct pollfd *fds = kmalloc(wanted ? wanted * sizeof *fds : 1);
    if (!fds)
        return -ENOMEM;
    u64 i = 0;
    for (int fd = 0; fd < n && i < wanted; fd++) {
        i16 events = 0;
        if (bit_is_set(sets->in, fd))
            events |= SELECT_IN;
        if (bit_is_set(sets->out, fd))
            events |= SELECT_OUT;
        if (bit_is_set(sets->ex, fd))
            events |= SELECT_EX;
        if (events)
            fds[i++] = (struct pollfd){.fd = fd, .events = events};
    }
    *fds_out = fds;
    *count = wanted;
    return 0;
}

/* Replace the sets by the answers; returns the number of bits set. */
static long sets_from_pollfds(struct fd_sets *sets, const struct pollfd *fds, u64 count)
{
    struct fd_sets asked = *sets;
    u64 *answers = kzalloc(3 * (sets->bytes ? sets->bytes : 8));
    if (!answers)
        return -ENOMEM;
    size_t words = (sets->bytes ? sets->bytes : 8) / 8;
    u64 *in = answers, *out = answers + words, *ex = answers + 2 * words;
    long ready = 0;
    for (u64 i = 0; i < count; i++) {
        int fd = fds[i].fd;
        u16 got = (u16)fds[i].revents;
        if (bit_is_set(asked.in, fd) && (got & SELECT_IN)) {
            bit_set(in, fd);
            ready++;
        }
        if (bit_is_set(asked.out, fd) && (got & SELECT_OUT)) {
            bit_set(out, fd);
            ready++;
        }
        if (bit_is_set(asked.ex, fd) && (got & SELECT_EX)) {
            bit_set(ex, fd);
            ready++;
        }
    }
    memcpy(sets->in, in, sets->bytes);
    memcpy(sets->out, out, sets->bytes);
    memcpy(sets->ex, ex, sets->bytes);
    kfree(answers);
    return ready;
}

static long sets_to_user(const struct fd_sets *sets, void *in, void *out, void *ex)
{
    if ((in && copy_to_user(in, sets->in, sets->bytes) < 0) ||
        (out && copy_to_user(out, sets->out, sets->bytes) < 0) ||
        (ex && copy_to_user(ex, sets->ex, sets->bytes) < 0))
        return -EFAULT;
    return 0;
}

/* The core of both calls; deadline in jiffies (0: none), no_wait for a zero timeout. */
static long do_select(int n, void *in, void *out, void *ex, bool no_wait, u64 deadline)
{
    if (n < 0)
        return -EINVAL;
    if (n > NR_OPEN)
        n = NR_OPEN;
    struct fd_sets sets = {.bytes = ((size_t)n + 63) / 64 * 8};
    struct pollfd *fds = NULL;
    u64 count = 0;
    long result = sets_from_user(&sets, in, out, ex);
    if (result == 0)
        result = sets_to_pollfds(&sets, n, &fds, &count);
    if (result == 0)
        result = poll_kernel(fds, count, no_wait, deadline);
    if (result >= 0)
        result = sets_from_pollfds(&sets, fds, count);
    if (result >= 0 && sets_to_user(&sets, in, out, ex) < 0)
        result = -EFAULT;
    kfree(fds);
    sets_free(&sets);
    return result;
}

/* Nanoseconds left until `deadline` (jiffies), never negative. */
static i64 time_left_ns(u64 deadline)
{
    u64 end = deadline * NS_PER_TICK, now = uptime_ns();
    return end > now ? (i64)(end - now) : 0;
}

struct timeval_user {
    i64 tv_sec, tv_usec;
};

long sys_select(int n, void *in, void *out, void *ex, void *timeout)
{
    struct timeval_user tv;
    u64 deadline = 0;
    bool no_wait = false;
    if (timeout) {
        if (copy_from_user(&tv, timeout, sizeof tv) < 0)
            return -EFAULT;
        /* As Linux: microseconds past a second carry into the seconds. */
        if (tv.tv_sec < 0 || tv.tv_usec < 0)
            return -EINVAL;
        u64 seconds = (u64)tv.tv_sec + (u64)tv.tv_usec / 1000000;
        u64 ns = (u64)tv.tv_usec % 1000000 * 1000;
        if (seconds > 100ull * 365 * 24 * 3600)
            seconds = 100ull * 365 * 24 * 3600; /* a century is forever enough */
        ns += seconds * NS_PER_SEC;
        no_wait = ns == 0;
        deadline = no_wait ? 0 : deadline_after_ns(ns);
    }
    long result = do_select(n, in, out, ex, no_wait, deadline);
    if (timeout && (result >= 0 || result == -ERESTARTNOHAND)) {
        i64 left = no_wait ? 0 : time_left_ns(deadline);
        tv = (struct timeval_user){left / NS_PER_SEC, (left % NS_PER_SEC) / 1000};
        (void)copy_to_user(timeout, &tv, sizeof tv);
    }
    return result;
}

/* pselect6's sixth argument points at this pair (the kernel's ABI). */
struct pselect_sigmask {
    u64 sigmask; /* const sigset_t * */
    u64 sigsetsize;
};

long sys_pselect6(int n, void *in, void *out, void *ex, void *timeout, void *sig)
{
    u64 deadline = 0;
    bool no_wait = false;
    if (timeout) {
        i64 ns;
        long error = timespec_from_user(timeout, &ns);
        if (error)
            return error;
        no_wait = ns == 0;
        deadline = no_wait ? 0 : deadline_after_ns((u64)ns);
    }
    u64 mask = 0;
    bool have_mask = false;
    if (sig) {
        struct pselect_sigmask pair;
        if (copy_from_user(&pair, sig, sizeof pair) < 0)
            return -EFAULT;
        long error = poll_sigmask_from_user((void *)pair.sigmask, pair.sigsetsize, &mask);
        if (error)
            return error;
        have_mask = pair.sigmask != 0;
    }
    if (have_mask)
        poll_sigmask_set(mask);
    long result = do_select(n, in, out, ex, no_wait, deadline);
    if (have_mask)
        poll_sigmask_restore(result);
    if (timeout && (result >= 0 || result == -ERESTARTNOHAND)) {
        i64 left = no_wait ? 0 : time_left_ns(deadline);
        i64 ts[2] = {left / NS_PER_SEC, left % NS_PER_SEC};
        (void)copy_to_user(timeout, ts, sizeof ts);
    }
    return result;
}
