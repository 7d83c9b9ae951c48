/*
 * leaktest.h - the leak check shared by the socket tests (t_epoll.c,
 * t_socket_unix.c): run a churn loop many times and see that the kernel
 * kept nothing -- no descriptor slots, and (in sprout) no live kmalloc
 * objects.  Each test program includes it once.
 */
#ifndef TESTS_USER_LEAKTEST_H
#define TESTS_USER_LEAKTEST_H

#include <fcntl.h>
#include "tests/user/utest.h"

/* The live objects of every kmalloc size class, summed, from /proc/slabinfo. */
static inline long kmalloc_active(void)
{
    static char text[8192];
    int fd = open("/proc/slabinfo", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t total = 0, n;
    while ((n = read(fd, text + total, sizeof text - 1 - (size_t)total)) > 0)
        total += n;
    close(fd);
    text[total] = '\0';
    long sum = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[32];
        long active;
        if (strncmp(line, "kmalloc-", 8) == 0 && sscanf(line, "%31s %ld", name, &active) == 2)
            sum += active;
    }
    return sum;
}

/*
 * churn(50) once to warm up (caches and our own pages), then churn(rounds):
 * the lowest free descriptor and the kmalloc objects must be back where
 * they were.  The kmalloc count is the whole system's, so it may also drop
 * while we churn (an earlier test's TCP socket leaving TIME_WAIT, a timer
 * freed): fewer objects is not a leak, more is.  A leak of the churn itself
 * would add at least one object per round, far beyond such noise.
 *
 * kmalloc_active() itself runs once in the warm-up too.  On a disk root
 * (tests/qemu/test_user_disk.sh) our pages arrive by page fault, and its
 * first sscanf faulted in musl's number parsing past the twelfth block of
 * this file: the page's block number sits in the file's indirect block,
 * which came into the block cache, whose buffers are kmalloc'd on first use
 * and kept (kernel/fs/buffer.c, at most BCACHE_BUFFERS).  The second call
 * counted that one object, which no churn had made.
 */
static inline void check_churn_leaks_nothing(void (*churn)(int), int rounds)
{
    churn(50);
    if (is_sprout())
        kmalloc_active();
    int fd_before = dup(0);
    close(fd_before);
    long active = is_sprout() ? kmalloc_active() : 0;
    churn(rounds);
    int fd_after = dup(0);
    close(fd_after);
    CHECK_EQ(fd_after, fd_before);
    if (is_sprout())
        CHECK(kmalloc_active() <= active);
}

#endif
