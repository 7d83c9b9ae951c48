/*
 * t_mlock.c - mlock and friends (accepted, counted in VmLck, bounded by
 * RLIMIT_MEMLOCK), and mmap's checks in Linux's order.  Runs on Linux too.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

/* VmLck from /proc/self/status, in kB (-1 if missing). */
static long vm_locked_kb(void)
{
    char text[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    char *line = strstr(text, "VmLck:");
    return line ? atol(line + 6) : -1;
}

static void mlock_counts_and_munlock_uncounts(void)
{
    long before = vm_locked_kb();
    char *p = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(mlock(p + 4096, 16 * 1024), 0);
    CHECK_EQ(vm_locked_kb(), before + 16);
    /* Locking again what is locked counts once; an unaligned start rounds out. */
    CHECK_EQ(mlock(p + 4096 + 100, 100), 0);
    CHECK_EQ(vm_locked_kb(), before + 16);
    CHECK_EQ(munlock(p + 8192, 4096), 0);
    CHECK_EQ(vm_locked_kb(), before + 12);
    p[4096] = 1; /* still ordinary memory */
    CHECK_EQ(munmap(p, 64 * 1024), 0);
    CHECK_EQ(vm_locked_kb(), before);
}

static void mlock_brings_pages_in(void)
{
    char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char vec[8];
    CHECK_EQ(mincore(p, 8 * 4096, vec), 0);
    CHECK_EQ(vec[0] & 1, 0); /* not touched yet */
    CHECK_EQ(mlock(p, 8 * 4096), 0);
    CHECK_EQ(mincore(p, 8 * 4096, vec), 0);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(vec[i] & 1, 1);
    /* MLOCK_ONFAULT locks without bringing pages in. */
    char *q = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_EQ(syscall(SYS_mlock2, q, 4 * 4096, 1 /* MLOCK_ONFAULT */), 0);
    CHECK_EQ(mincore(q, 4 * 4096, vec), 0);
    CHECK_EQ(vec[0] & 1, 0);
}

static void locks_are_not_inherited(void)
{
    char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_EQ(mlock(p, 4 * 4096), 0);
    long parent = vm_locked_kb();
    CHECK(parent >= 16);
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(vm_locked_kb() == 0 ? 0 : 1);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
}

static void mlockall_and_munlockall(void)
{
    CHECK_EQ(mlockall(MCL_CURRENT | MCL_FUTURE), 0);
    long all = vm_locked_kb();
    CHECK(all > 0);
    /* MCL_FUTURE: a new mapping is locked too. */
    char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(vm_locked_kb(), all + 32);
    CHECK_EQ(munlockall(), 0);
    CHECK_EQ(vm_locked_kb(), 0);
}

static void mlock_respects_rlimit_memlock(void)
{
    if (!is_sprout())
        return; /* root on Linux (CAP_IPC_LOCK) is not bound by the limit */
    struct rlimit limit;
    CHECK_EQ(getrlimit(RLIMIT_MEMLOCK, &limit), 0);
    CHECK_EQ(limit.rlim_cur, 8 << 20); /* Linux's default */
    char *p = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_ERRNO(mlock(p, 9 << 20), ENOMEM);
    CHECK_EQ(vm_locked_kb(), 0); /* nothing half-done */
    limit.rlim_cur = 0;
    CHECK_EQ(setrlimit(RLIMIT_MEMLOCK, &limit), 0);
    CHECK_ERRNO(mlock(p, 4096), EPERM);
    CHECK_ERRNO(mlockall(MCL_CURRENT), EPERM);
}

static void mlock_bad_arguments(void)
{
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_EQ(munmap(p, 4096), 0);
    CHECK_ERRNO(mlock(p, 4096), ENOMEM);                                 /* not mapped */
    CHECK_ERRNO(syscall(SYS_mlock, 0xffffffff80100000ul, 4096), ENOMEM); /* the kernel's */
    CHECK_ERRNO(syscall(SYS_mlock, 0x1000, -4096ul), EINVAL);            /* wraps */
    CHECK_EQ(mlock(p, 0), 0);                                            /* nothing to do */
    CHECK_ERRNO(syscall(SYS_mlock2, p, 4096, 2), EINVAL);                /* unknown flag */
    CHECK_ERRNO(mlockall(0), EINVAL);
    CHECK_ERRNO(mlockall(MCL_ONFAULT), EINVAL); /* needs CURRENT or FUTURE */
    CHECK_ERRNO(mlockall(0x100), EINVAL);
    CHECK_ERRNO(munlock(p, 4096), ENOMEM);
}

/* mmap checks, in Linux's order: offset, descriptor, length, mapping type. */
static void mmap_checks_in_linux_order(void)
{
    CHECK_ERRNO(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 999, 1),
                EINVAL);                                                  /* offset first */
    CHECK_ERRNO(syscall(SYS_mmap, 0, 4096, PROT_READ, 0, 999, 0), EBADF); /* fd before type */
    CHECK_ERRNO(syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE, 999, 0),
                EBADF); /* ... and length */
    CHECK_ERRNO(syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), EINVAL);
    int null = open("/dev/null", O_RDONLY);
    CHECK_ERRNO(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, null, 0), ENODEV);
    close(null);
    /* Unknown prot bits are ignored by mmap (mprotect refuses them). */
    long p = syscall(SYS_mmap, 0, 4096, PROT_READ | 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p > 0);
    CHECK_ERRNO(mprotect((void *)p, 4096, PROT_READ | 0x100), EINVAL);
}

static const struct utest_case cases[] = {
    UTEST(mlock_counts_and_munlock_uncounts), UTEST(mlock_brings_pages_in),
    UTEST(locks_are_not_inherited),           UTEST(mlockall_and_munlockall),
    UTEST(mlock_respects_rlimit_memlock),     UTEST(mlock_bad_arguments),
    UTEST(mmap_checks_in_linux_order),
};
UTEST_MAIN("mlock", cases)
