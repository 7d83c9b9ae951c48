/*
 * tmpfs_check.c - a full tmpfs: writes fail with ENOSPC, everything else
 * goes on, and unlink makes room again.
 *
 * Meant for a boot with a tiny limit: tests/qemu/test_tmpfs.sh boots sprout
 * (64 MiB) with tmpfs_size=1M and runs /bin/tmpfs_check.  Its name does not start
 * with "t_", so utest-all (the normal boot) does not run it.  On Linux it
 * runs nothing (it would fill the host's /tmp).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include "tests/user/utest.h"

#define LIMIT (1024 * 1024) /* tmpfs_size=1M */
#define PAGE 4096

static int skipped_on_linux(void)
{
    if (is_sprout())
        return 0;
    printf("note: %s: only in sprout booted with tmpfs_size=1M\n", utest_case_name);
    return 1;
}

/* Write PAGE-sized blocks to a new file in dir until a write fails; returns bytes written. */
static long fill(const char *path)
{
    static char block[PAGE];
    memset(block, 'f', sizeof block);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    long total = 0;
    ssize_t n;
    while ((n = write(fd, block, sizeof block)) > 0)
        total += n;
    CHECK_EQ(n, -1);
    CHECK_EQ(errno, ENOSPC);
    close(fd);
    return total;
}

static void a_full_tmp_gives_enospc(const char *dir)
{
    char path[64], second[64];
    snprintf(path, sizeof path, "%s/fill", dir);
    snprintf(second, sizeof second, "%s/second", dir);
    long total = fill(path);
    printf("note: %s held %ld bytes\n", dir, total);
    CHECK_EQ(total, LIMIT);

    /* Full: a new name still works (names cost no data page), its data does not. */
    int fd = open(second, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_ERRNO(write(fd, "x", 1), ENOSPC);
    CHECK_ERRNO(pwrite(fd, "x", 1, 1 << 30), ENOSPC); /* a sparse page is a page too */
    CHECK_EQ(ftruncate(fd, 1 << 30), 0);              /* a hole costs nothing */
    close(fd);
    CHECK_EQ(unlink(second), 0);

    /* Everything else goes on: fork, exec, pipes, files elsewhere. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    CHECK_EQ(wait_status(pid), 0);

    /* Unlink in a full tmpfs works, and gives the room back. */
    CHECK_EQ(unlink(path), 0);
    CHECK_EQ(fill(path), LIMIT);
    CHECK_EQ(truncate(path, LIMIT / 2), 0); /* truncating gives room back too */
    fd = open(path, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    static char half[LIMIT];
    CHECK_EQ(write(fd, half, sizeof half), LIMIT / 2); /* short: what was left */
    CHECK_ERRNO(write(fd, half, 1), ENOSPC);
    close(fd);
    CHECK_EQ(unlink(path), 0);
}

static void tmp_fills_up_with_enospc(void)
{
    if (!skipped_on_linux())
        a_full_tmp_gives_enospc("/tmp");
}

static void shm_fills_up_with_enospc(void)
{
    if (!skipped_on_linux())
        a_full_tmp_gives_enospc("/dev/shm");
}

/* Each mount has its own limit: a full /tmp leaves /dev/shm alone. */
static void the_limits_are_separate(void)
{
    if (skipped_on_linux())
        return;
    CHECK_EQ(fill("/tmp/fill"), LIMIT);
    CHECK_EQ(fill("/dev/shm/fill"), LIMIT);
    CHECK_EQ(unlink("/tmp/fill"), 0);
    CHECK_EQ(unlink("/dev/shm/fill"), 0);
}

/* MemTotal from /proc/meminfo, in KiB. */
static long memtotal_kib(void)
{
    static char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    CHECK(n > 0);
    buf[n] = '\0';
    return atol(strstr(buf, "MemTotal:") + strlen("MemTotal:"));
}

/* The root holds at most half of RAM (the programs in /bin included). */
static void the_root_fills_up_at_half_of_ram(void)
{
    if (skipped_on_linux())
        return;
    long half = memtotal_kib() * 1024 / 2;
    long total = fill("/tmpfs_check.fill");
    printf("note: / took %ld KiB more (half of RAM: %ld KiB)\n", total / 1024, half / 1024);
    CHECK(total > half / 2 && total <= half);
    pid_t pid = fork_or_fail(); /* the rest of RAM is still there for everyone */
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(unlink("/tmpfs_check.fill"), 0);
}

/* The root file system is not limited by tmpfs_size=: 2 MiB fit there. */
static void the_root_is_not_limited(void)
{
    if (skipped_on_linux())
        return;
    static char block[2 * LIMIT];
    int fd = open("/tmpfs_check.big", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, block, sizeof block), (long)sizeof block);
    close(fd);
    CHECK_EQ(unlink("/tmpfs_check.big"), 0);
}

static const struct utest_case cases[] = {
    UTEST(tmp_fills_up_with_enospc),         UTEST(shm_fills_up_with_enospc),
    UTEST(the_limits_are_separate),          UTEST(the_root_is_not_limited),
    UTEST(the_root_fills_up_at_half_of_ram),
};
UTEST_MAIN("tmpfs_full", cases)
