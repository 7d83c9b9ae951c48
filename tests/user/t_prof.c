/*
 * t_prof.c - the sampling profiler: /dev/prof itself, and prof record/report
 * finding known hot spots in tests/user/proftarget.c.
 */
#include "kernel/prof_abi.h"
#include "utest.h"
#include <sys/ioctl.h>

#define HOT_DATA "/tmp/t_prof_hot.data"
#define SYS_DATA "/tmp/t_prof_sys.data"

static char out[262144]; /* /proc/kallsyms is over 64 KiB */

/* prof ARGS..., its standard output in `out`; returns the wait status. */
static int prof(char *const argv[])
{
    return run_capture("/bin/prof", argv, NULL, out, sizeof out);
}

static void record(const char *data, const char *mode, const char *iterations)
{
    char *argv[] = {
        "prof",       "record",           "-F", "2048", "-o", (char *)data, "/bin/proftarget",
        (char *)mode, (char *)iterations, NULL};
    CHECK_EQ(prof(argv), 0);
}

/* The first report row: its share, samples, mode and function. */
struct row {
    double percent;
    long samples;
    char mode[16], command[32], function[128];
};
static int first_row(const char *report, struct row *r)
{
    const char *line = report;
    while (line && *line == '#')
        line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL;
    return line && sscanf(line, " %lf%% %ld %15s %31s %127s", &r->percent, &r->samples, r->mode,
                          r->command, r->function) == 5;
}

static void hot_loop_ranked_first(void)
{
    record(HOT_DATA, "hot", "20000000");
    char *argv[] = {"prof", "report", HOT_DATA, NULL};
    CHECK_EQ(prof(argv), 0);
    long total, user, kernel;
    CHECK(sscanf(out, "# %ld samples: %ld user, %ld kernel", &total, &user, &kernel) == 3);
    if (user < 20)
        utest_fail(__FILE__, __LINE__, "only %ld user samples:\n%s", user, out);
    struct row r;
    CHECK(first_row(out, &r));
    if (strcmp(r.function, "hot_loop") != 0 || strcmp(r.mode, "user") != 0 ||
        strcmp(r.command, "proftarget") != 0 || r.samples * 2 <= user)
        utest_fail(__FILE__, __LINE__, "want hot_loop first with > 50%% of %ld user samples:\n%s",
                   user, out);
    if (!strstr(out, "cold_loop")) /* the lesser loop (a fifth of the work) is seen and named too */
        utest_fail(__FILE__, __LINE__, "no cold_loop in:\n%s", out);
}

static void folded_stacks(void)
{
    char *argv[] = {"prof", "report", "--folded", HOT_DATA, NULL};
    CHECK_EQ(prof(argv), 0);
    /* "command;function count", Brendan Gregg's format */
    long count = 0;
    char *line = strstr(out, "proftarget;hot_loop ");
    CHECK(line != NULL && (line == out || line[-1] == '\n'));
    CHECK(sscanf(line, "proftarget;hot_loop %ld\n", &count) == 1 && count > 0);
}

static void syscall_loop_shows_kernel(void)
{
    record(SYS_DATA, "sys", "100000");
    char *argv[] = {"prof", "report", SYS_DATA, NULL};
    CHECK_EQ(prof(argv), 0);
    long total, user, kernel;
    CHECK(sscanf(out, "# %ld samples: %ld user, %ld kernel", &total, &user, &kernel) == 3);
    if (kernel * 5 < total) /* most of a getppid loop is entering and leaving the kernel */
        utest_fail(__FILE__, __LINE__, "want >= 20%% kernel samples:\n%s", out);
    CHECK(strstr(out, "kernel proftarget") != NULL);
    char *folded[] = {"prof", "report", "--folded", SYS_DATA, NULL};
    CHECK_EQ(prof(folded), 0);
    /* the user side is musl's getppid, the kernel side the system-call path, named */
    if (!strstr(out, "proftarget;getppid;syscall_from_user_[k]"))
        utest_fail(__FILE__, __LINE__, "no symbolised system-call stack in:\n%s", out);
}

static volatile unsigned long spin_sink;
static void spin_ms(int ms)
{
    double end = now_seconds() + ms / 1000.0;
    while (now_seconds() < end)
        for (int i = 0; i < 10000; i++)
            spin_sink += (unsigned long)i;
}

/* prof's own bad arguments: a message and a failing status, no hang. */
static void prof_bad_arguments(void)
{
    char *zero_hz[] = {"prof",      "record", "-F", "0", "-o", "/tmp/t_prof_bad.data",
                       "/bin/true", NULL};
    CHECK_EQ(prof(zero_hz), 1 << 8);
    char *no_file[] = {"prof", "report", "/tmp/no/such/file", NULL};
    CHECK_EQ(prof(no_file), 1 << 8);
    char *no_command[] = {"prof", "record", NULL};
    CHECK_EQ(prof(no_command), 2 << 8);
    char *missing[] = {"prof", "record", "-o", "/tmp/t_prof_bad.data", "/bin/no-such-program",
                       NULL};
    CHECK_EQ(prof(missing), 127 << 8);
}

static int start(int fd, int pid, unsigned hz)
{
    struct prof_config c = {.pid = pid, .hz = hz};
    return ioctl(fd, PROF_IOC_START, &c);
}

static void device_bad_arguments(void)
{
    struct prof_sample sample;
    int fd = open("/dev/prof", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_ERRNO(read(fd, &sample, sizeof sample), EINVAL); /* no session yet */
    CHECK_ERRNO(ioctl(fd, PROF_IOC_STOP, 0), EINVAL);
    CHECK_ERRNO(ioctl(fd, PROF_IOC_START, (void *)1), EFAULT);
    CHECK_ERRNO(ioctl(fd, PROF_IOC_START, (void *)0xffff800000000000ul), EFAULT);
    CHECK_ERRNO(start(fd, 0, 0), EINVAL);
    CHECK_ERRNO(start(fd, 0, 1), EINVAL);
    CHECK_ERRNO(start(fd, 0, 8193), EINVAL);
    CHECK_ERRNO(start(fd, -1, 100), EINVAL);
    CHECK_ERRNO(start(fd, 999999, 100), ESRCH);
    struct prof_config flagged = {.pid = 0, .hz = 100, .flags = 1};
    CHECK_ERRNO(ioctl(fd, PROF_IOC_START, &flagged), EINVAL);
    CHECK_ERRNO(ioctl(fd, 0x5099, 0), ENOTTY);

    struct prof_config c = {.pid = 0, .hz = 1000};
    CHECK_EQ(ioctl(fd, PROF_IOC_START, &c), 0);
    CHECK_EQ(c.hz, 512); /* rounded down to what the clock can do */
    CHECK_ERRNO(start(fd, 0, 100), EBUSY);
    int other = open("/dev/prof", O_RDONLY);
    CHECK(other >= 0);
    CHECK_ERRNO(start(other, 0, 100), EBUSY); /* one clock, one session */
    close(other);
    CHECK_ERRNO(read(fd, &sample, sizeof sample - 1), EINVAL); /* whole samples only */
    spin_ms(50); /* some samples of ourselves to read */
    CHECK_ERRNO(read(fd, (void *)1, sizeof sample * 4), EFAULT);
    CHECK_ERRNO(ioctl(fd, PROF_IOC_STATS, (void *)1), EFAULT);
    CHECK_EQ(ioctl(fd, PROF_IOC_STOP, 0), 0);
    close(fd);
    /* closing ended the session: the clock is free again */
    fd = open("/dev/prof", O_RDONLY);
    CHECK_EQ(start(fd, 0, 64), 0);
    close(fd);
}

/* Sampling ourselves (pid 0) and a child forked afterwards: both appear, in user mode. */
static void samples_self_and_children(void)
{
    int fd = open("/dev/prof", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(start(fd, 0, 1024), 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        spin_ms(150);
        _exit(0);
    }
    spin_ms(150);
    CHECK_EQ(wait_status(child), 0);
    CHECK_EQ(ioctl(fd, PROF_IOC_STOP, 0), 0);
    static struct prof_sample samples[2048];
    long n = read(fd, samples, sizeof samples);
    CHECK(n > 0 && n % (long)sizeof samples[0] == 0);
    n /= (long)sizeof samples[0];
    int mine = 0, childs = 0, user = 0, others = 0;
    extern char __executable_start[], etext[];
    for (long i = 0; i < n; i++) {
        const struct prof_sample *s = &samples[i];
        mine += s->pid == getpid();
        childs += s->pid == child;
        others += s->pid != getpid() && s->pid != child;
        if (!(s->flags & PROF_SAMPLE_KERNEL)) {
            user++;
            CHECK(s->kernel_depth == 0);
            CHECK(s->user_rip >= (unsigned long)__executable_start &&
                  s->user_rip < (unsigned long)etext);
        } else {
            CHECK(s->kernel_depth >= 1 && s->kernel_depth <= PROF_MAX_DEPTH);
            CHECK(s->kernel_chain[0] >= 0xffffffff80000000ull);
        }
        CHECK_STR(s->comm, "t_prof");
    }
    if (mine < 10 || childs < 10 || user < n / 2 || others)
        utest_fail(__FILE__, __LINE__, "%ld samples: %d ours, %d the child's, %d user, %d others",
                   n, mine, childs, user, others);
    struct prof_stats stats;
    CHECK_EQ(ioctl(fd, PROF_IOC_STATS, &stats), 0);
    CHECK_EQ(stats.samples, (unsigned long long)n);
    CHECK(stats.interrupts >= stats.samples);
    CHECK_EQ(read(fd, samples, sizeof samples), 0); /* drained */
    close(fd);
}

/* Another user's process needs root, as ptrace would. */
static void other_users_need_root(void)
{
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        if (setuid(1000) != 0)
            _exit(10);
        int fd = open("/dev/prof", O_RDONLY);
        if (fd < 0)
            _exit(11);
        if (start(fd, 1, 100) != -1 || errno != EACCES)
            _exit(12);
        if (start(fd, 0, 100) != 0) /* itself: fine */
            _exit(13);
        _exit(0);
    }
    CHECK_EQ(wait_status(child), 0);
}

static void kallsyms_lists_kernel_functions(void)
{
    char *argv[] = {"cat", "/proc/kallsyms", NULL};
    CHECK_EQ(run_capture("/bin/cat", argv, NULL, out, sizeof out), 0);
    unsigned long long address;
    char type, name[64];
    CHECK(sscanf(out, "%llx %c %63s", &address, &type, name) == 3);
    CHECK(address >= 0xffffffff80000000ull);
    CHECK(type == 'T');
    CHECK(strstr(out, " T schedule\n") != NULL);
}

static const struct utest_case cases[] = {
    UTEST(device_bad_arguments),      UTEST(samples_self_and_children),
    UTEST(other_users_need_root),     UTEST(kallsyms_lists_kernel_functions),
    UTEST(hot_loop_ranked_first),     UTEST(folded_stacks),
    UTEST(syscall_loop_shows_kernel), UTEST(prof_bad_arguments),
};
UTEST_MAIN("prof", cases)
