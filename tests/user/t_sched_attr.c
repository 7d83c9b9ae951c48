/*
 * t_sched_attr.c - sched_setattr(2) and sched_getattr(2) as Linux has them:
 * struct sched_attr's size negotiation (E2BIG, with our size written back),
 * SCHED_DEADLINE's parameter checks (EINVAL), root only (EPERM), admission
 * control (EBUSY when the deadline tasks would need more than the CPU), and
 * bad pointers (EFAULT).  Runs under any policy: the parameters are kept and
 * accounted whichever policy schedules (edf and rm honour them).
 */
#include <stdint.h>
#include <sched.h>
#include <sys/syscall.h>
#include "tests/user/utest.h"

#define SCHED_DEADLINE 6
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define MS 1000000ULL
#define STUDENT 1000
/* musl's sched_getscheduler() is a stub returning ENOSYS: the raw call is used. */

struct sched_attr {
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
    uint32_t sched_util_min, sched_util_max;
};

static long setattr(pid_t pid, void *attr, unsigned flags)
{
    return syscall(SYS_sched_setattr, pid, attr, flags);
}
static long getattr(pid_t pid, void *attr, unsigned size, unsigned flags)
{
    return syscall(SYS_sched_getattr, pid, attr, size, flags);
}

static struct sched_attr deadline(uint64_t runtime, uint64_t deadline, uint64_t period)
{
    return (struct sched_attr){.size = 48,
                               .sched_policy = SCHED_DEADLINE,
                               .sched_runtime = runtime,
                               .sched_deadline = deadline,
                               .sched_period = period};
}

/* A child that tries `attr` on itself and exits with the errno (0: it worked). */
static int errno_in_child(struct sched_attr attr, uid_t uid)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (uid && setuid(uid) < 0)
            _exit(99);
        _exit(setattr(0, &attr, 0) < 0 ? errno : 0);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    return WEXITSTATUS(status);
}

static void getattr_of_a_normal_process(void)
{
    struct sched_attr attr;
    memset(&attr, 0xa5, sizeof attr);
    CHECK_EQ(getattr(0, &attr, sizeof attr, 0), 0);
    CHECK_EQ(attr.size, 56);
    CHECK_EQ(attr.sched_policy, SCHED_OTHER);
    CHECK_EQ(attr.sched_priority, 0);
    CHECK_EQ(attr.sched_runtime, 0);
    CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
}

static void getattr_bad_arguments(void)
{
    struct sched_attr attr;
    CHECK_ERRNO(getattr(0, NULL, sizeof attr, 0), EINVAL);
    CHECK_ERRNO(getattr(-1, &attr, sizeof attr, 0), EINVAL);
    CHECK_ERRNO(getattr(0, &attr, 47, 0), EINVAL);   /* below SCHED_ATTR_SIZE_VER0 */
    CHECK_ERRNO(getattr(0, &attr, 4097, 0), EINVAL); /* above a page */
    CHECK_ERRNO(getattr(0, &attr, sizeof attr, 1), EINVAL);
    CHECK_ERRNO(getattr(0, (void *)8, sizeof attr, 0), EFAULT);
    CHECK_ERRNO(getattr(0, (void *)0xffffffff80000000UL, sizeof attr, 0), EFAULT);
    CHECK_ERRNO(getattr(99999, &attr, sizeof attr, 0), ESRCH);
    /* A VER0 caller gets 48 bytes, and its size says so. */
    unsigned char buffer[64];
    memset(buffer, 0x5a, sizeof buffer);
    CHECK_EQ(getattr(0, buffer, 48, 0), 0);
    CHECK_EQ(((struct sched_attr *)buffer)->size, 48);
    CHECK_EQ(buffer[48], 0x5a);
}

static void setattr_bad_arguments(void)
{
    struct sched_attr attr = {.size = 48};
    CHECK_ERRNO(setattr(0, NULL, 0), EINVAL);
    CHECK_ERRNO(setattr(-1, &attr, 0), EINVAL);
    CHECK_ERRNO(setattr(0, &attr, 1), EINVAL); /* the flags argument must be 0 */
    CHECK_ERRNO(setattr(0, (void *)8, 0), EFAULT);
    CHECK_ERRNO(setattr(0, (void *)0xffffffff80000000UL, 0), EFAULT);
    CHECK_ERRNO(setattr(99999, &attr, 0), ESRCH);
    attr.sched_policy = 7; /* one past SCHED_DEADLINE */
    CHECK_ERRNO(setattr(0, &attr, 0), EINVAL);
    attr.sched_policy = (uint32_t)-1;
    CHECK_ERRNO(setattr(0, &attr, 0), EINVAL);
    attr.sched_policy = SCHED_OTHER;
    attr.sched_priority = 1; /* only SCHED_FIFO and SCHED_RR have one */
    CHECK_ERRNO(setattr(0, &attr, 0), EINVAL);
    attr.sched_priority = 0;
    attr.sched_flags = 0x80; /* no such flag */
    CHECK_ERRNO(setattr(0, &attr, 0), EINVAL);
    attr.sched_flags = 0x20; /* a utilisation clamp needs the VER1 size */
    CHECK_ERRNO(setattr(0, &attr, 0), EINVAL);
    attr.sched_flags = 0;
    CHECK_EQ(setattr(0, &attr, 0), 0);
}

/* Linux's size rules: below 48 or above a page, or a bigger struct with
 * non-zero bytes past ours, is E2BIG and our size is written back. */
static void setattr_size_negotiation(void)
{
    unsigned char buffer[128] = {0};
    struct sched_attr *attr = (struct sched_attr *)buffer;
    attr->size = 40;
    CHECK_ERRNO(setattr(0, attr, 0), E2BIG);
    CHECK_EQ(attr->size, 56);
    attr->size = 4097;
    CHECK_ERRNO(setattr(0, attr, 0), E2BIG);
    CHECK_EQ(attr->size, 56);
    attr->size = 128; /* bigger, but the extra bytes are zero: fine */
    CHECK_EQ(setattr(0, attr, 0), 0);
    buffer[100] = 1;
    CHECK_ERRNO(setattr(0, attr, 0), E2BIG);
    CHECK_EQ(attr->size, 56);
    attr->size = 0; /* 0 means the first version, 48 bytes */
    CHECK_EQ(setattr(0, attr, 0), 0);
}

/* runtime <= deadline <= period, runtime >= 1024 ns, 100 us <= period <= ~4 s. */
static void deadline_parameters_are_checked(void)
{
    CHECK_EQ(errno_in_child(deadline(20 * MS, 10 * MS, 100 * MS), 0), EINVAL);
    CHECK_EQ(errno_in_child(deadline(10 * MS, 200 * MS, 100 * MS), 0), EINVAL);
    CHECK_EQ(errno_in_child(deadline(1000, 10 * MS, 100 * MS), 0), EINVAL);
    CHECK_EQ(errno_in_child(deadline(10 * MS, 0, 100 * MS), 0), EINVAL);
    CHECK_EQ(errno_in_child(deadline(1024, 50000, 50000), 0), EINVAL); /* period < 100 us */
    CHECK_EQ(errno_in_child(deadline(10 * MS, 10 * MS, 5000 * MS), 0), EINVAL);
    CHECK_EQ(errno_in_child(deadline(1024, 100000, 0), 0), 0); /* period 0: = deadline */
    CHECK_EQ(errno_in_child(deadline(10 * MS, 30 * MS, 100 * MS), 0), 0);
}

static void deadline_round_trip(void)
{
    struct sched_attr attr = deadline(10 * MS, 30 * MS, 100 * MS), back;
    CHECK_EQ(setattr(0, &attr, 0), 0);
    CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_DEADLINE);
    CHECK_EQ(getattr(0, &back, sizeof back, 0), 0);
    CHECK_EQ(back.sched_policy, SCHED_DEADLINE);
    CHECK_EQ(back.sched_runtime, 10 * MS);
    CHECK_EQ(back.sched_deadline, 30 * MS);
    CHECK_EQ(back.sched_period, 100 * MS);
    char text[2048] = "";
    int fd = open("/proc/self/sched", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, text, sizeof text - 1) > 0);
    close(fd);
    CHECK(strstr(text, "\ndl_runtime: 1\ndl_deadline: 3\ndl_period: 10\n") != NULL);
    CHECK(strstr(text, "\ndl_misses: ") != NULL);
    fd = open("/proc/sched", O_RDONLY);
    CHECK(fd >= 0);
    memset(text, 0, sizeof text);
    CHECK(read(fd, text, sizeof text - 1) > 0);
    close(fd);
    CHECK(strstr(text, "\ndeadline_bandwidth 104857\n") != NULL); /* 10/100 of 1 << 20 */
    struct sched_attr normal = {.size = 48, .sched_policy = SCHED_OTHER};
    CHECK_EQ(setattr(0, &normal, 0), 0);
    CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
    /* sched_setscheduler(SCHED_OTHER) is the other way back */
    CHECK_EQ(setattr(0, &attr, 0), 0);
    struct sched_param param = {0};
    CHECK_EQ(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &param), 0);
    CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
}

/* Admission: the deadline tasks together may reserve at most the whole CPU;
 * an exited task's share is given back. */
static void admission_control_is_ebusy(void)
{
    struct sched_attr attr = deadline(60 * MS, 100 * MS, 100 * MS);
    attr.sched_flags = SCHED_FLAG_RESET_ON_FORK; /* we fork the other tasks */
    CHECK_EQ(setattr(0, &attr, 0), 0);
    CHECK_EQ(errno_in_child(deadline(50 * MS, 100 * MS, 100 * MS), 0), EBUSY);
    CHECK_EQ(errno_in_child(deadline(40 * MS, 100 * MS, 100 * MS), 0), 0);
    CHECK_EQ(errno_in_child(deadline(40 * MS, 100 * MS, 100 * MS), 0), 0); /* given back */
    attr.sched_runtime = 100 * MS; /* our own share may grow into what is free */
    CHECK_EQ(setattr(0, &attr, 0), 0);
    CHECK_EQ(errno_in_child(deadline(1 * MS, 100 * MS, 100 * MS), 0), EBUSY);
    struct sched_attr normal = {.size = 48, .sched_policy = SCHED_OTHER};
    CHECK_EQ(setattr(0, &normal, 0), 0);
    CHECK_EQ(errno_in_child(deadline(90 * MS, 100 * MS, 100 * MS), 0), 0);
    /* sprout enforces budgets in ticks of 10 ms: 1 ms every 5 ms is a whole
     * tick every tick, the whole CPU, so nothing else fits beside it. */
    struct sched_attr tiny = deadline(1 * MS, 5 * MS, 5 * MS);
    tiny.sched_flags = SCHED_FLAG_RESET_ON_FORK;
    CHECK_EQ(setattr(0, &tiny, 0), 0);
    CHECK_EQ(errno_in_child(deadline(10 * MS, 100 * MS, 100 * MS), 0), EBUSY);
}

/* As on Linux: a deadline task forks only with SCHED_FLAG_RESET_ON_FORK,
 * and its child starts as a normal task. */
static void deadline_fork_needs_reset_on_fork(void)
{
    struct sched_attr attr = deadline(10 * MS, 30 * MS, 100 * MS);
    CHECK_EQ(setattr(0, &attr, 0), 0);
    CHECK_ERRNO(fork(), EAGAIN);
    attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
    CHECK_EQ(setattr(0, &attr, 0), 0);
    struct sched_attr back;
    CHECK_EQ(getattr(0, &back, sizeof back, 0), 0);
    CHECK_EQ(back.sched_flags, SCHED_FLAG_RESET_ON_FORK);
    pid_t pid = fork();
    if (pid == 0)
        _exit(syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER ? 0 : 1);
    CHECK(pid > 0);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* A zombie cannot take bandwidth: it would never run to give it back. */
static void zombie_cannot_reserve(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, NULL); /* it exits; we do not reap it yet */
    struct sched_attr attr = deadline(90 * MS, 100 * MS, 100 * MS);
    CHECK_ERRNO(setattr(pid, &attr, 0), ESRCH);
    CHECK_EQ(waitpid(pid, NULL, 0), pid);
    CHECK_EQ(setattr(0, &attr, 0), 0); /* and nothing was reserved */
}

/* SCHED_DEADLINE needs CAP_SYS_NICE; so does another user's process. */
static void non_root_is_eperm(void)
{
    CHECK_EQ(errno_in_child(deadline(10 * MS, 30 * MS, 100 * MS), STUDENT), EPERM);
    struct sched_attr normal = {.size = 48, .sched_policy = SCHED_OTHER};
    CHECK_EQ(errno_in_child(normal, STUDENT), 0); /* its own, nice 0: allowed */
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(STUDENT) < 0)
            _exit(99);
        _exit(setattr(1, &normal, 0) < 0 ? errno : 0); /* init is root's */
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(WEXITSTATUS(status), EPERM);
}

static const struct utest_case cases[] = {
    UTEST(getattr_of_a_normal_process),     UTEST(getattr_bad_arguments),
    UTEST(setattr_bad_arguments),           UTEST(setattr_size_negotiation),
    UTEST(deadline_parameters_are_checked), UTEST(deadline_round_trip),
    UTEST(admission_control_is_ebusy),      UTEST(deadline_fork_needs_reset_on_fork),
    UTEST(zombie_cannot_reserve),           UTEST(non_root_is_eperm),
};
UTEST_MAIN("sched_attr", cases)
