/*
 * t_replace.c - the replacement lab's checks in sprout (docs/labs/replace.md),
 * run with 20 MiB of RAM and a swap area (tests/labs/replace/run.sh, and
 * tests/qemu/test_swap.sh in the same boot as swap_check).
 *
 *   replace.swapping_keeps_every_byte     twice RAM written and read back
 *                                         under the lab's policy, no OOM kill;
 *   replace.working_set_stays_resident    a hot set read all along while a
 *                                         stream of fresh pages pushes memory
 *                                         out: major faults (pgmajfault in
 *                                         /proc/vmstat, counted once memory is
 *                                         full) under the lab's policy at most
 *                                         half of FIFO's, both measured with
 *                                         kswapd0 off (/proc/kswapd), so that
 *                                         only the workload's faults move the
 *                                         hand and the counts are the same on
 *                                         every run.
 * "t_replace compare" runs only the second (and the checks of the two /proc files).
 * Each workload runs in a child, so an OOM kill is a FAIL, not a stop.  The
 * FIFO baseline is the kernel's own (mm/replace_fifo.c), chosen by writing
 * "fifo" to /proc/replace; the lab's policy is "clock".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096L
#define FILL_PAGES 6144L                /* 24 MiB: more than the machine's RAM (20 MiB) */
#define HOT_PAGES 1024L                 /* 4 MiB read all along */
#define HOT_PER_STREAM 128L             /* hot pages read per streamed page: each every 8 */
#define STREAM_PAGES 4096L              /* 16 MiB of fresh pages, each written once */
#define WARM_PAGES 1024L                /* the first of them, before the faults are counted */
#define MIN_FIFO_FAULTS (HOT_PAGES / 2) /* below this, there was no pressure to measure */

static int failures;

static void report(const char *name, int ok, const char *why)
{
    if (ok)
        printf("PASS %s\n", name);
    else
        printf("FAIL %s: %s\n", name, why);
    fflush(stdout);
    failures += !ok;
}

/* A "name value" line of a /proc file (read with open/read: nothing allocated). */
static long proc_value(const char *path, const char *name)
{
    static char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *line = strstr(buf, name);
    return line ? strtol(line + strlen(name), NULL, 10) : -1;
}

static int set_policy(const char *name)
{
    int fd = open("/proc/replace", O_WRONLY);
    if (fd < 0)
        return -1;
    int ok = write(fd, name, strlen(name)) == (long)strlen(name);
    close(fd);
    return ok ? 0 : -1;
}

/* /proc/kswapd: "off" while a workload is measured (only the workload's own
 * faults reclaim then, so its fault count is the same on every run). */
static int set_kswapd(const char *state)
{
    int fd = open("/proc/kswapd", O_WRONLY);
    if (fd < 0)
        return -1;
    int ok = write(fd, state, strlen(state)) == (long)strlen(state);
    close(fd);
    return ok ? 0 : -1;
}

static int file_says(const char *path, const char *name)
{
    char buf[32] = "";
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 && strncmp(buf, name, strlen(name)) == 0 && buf[strlen(name)] == '\n';
}

static int policy_is(const char *name) { return file_says("/proc/replace", name); }

/* Does writing `text` to `path` fail with EINVAL? */
static int refused(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return 0;
    int bad = write(fd, text, strlen(text)) < 0 && errno == EINVAL;
    close(fd);
    return bad;
}

static char *region(long pages)
{
    char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static long value_of(long page, long round) { return page * 7919 + round * 104729 + 17; }

/* Child: write FILL_PAGES pages, read them back twice; exit 0 if all was right. */
static int fill_and_check(void)
{
    char *p = region(FILL_PAGES);
    if (!p)
        return 2;
    for (long i = 0; i < FILL_PAGES; i++) {
        *(long *)(p + i * PAGE) = value_of(i, 0);
        *(long *)(p + i * PAGE + PAGE - sizeof(long)) = value_of(i, 1);
    }
    for (int pass = 0; pass < 2; pass++)
        for (long i = 0; i < FILL_PAGES; i++)
            if (*(long *)(p + i * PAGE) != value_of(i, 0) ||
                *(long *)(p + i * PAGE + PAGE - sizeof(long)) != value_of(i, 1))
                return 3;
    return 0;
}

/* Child: the working set and the stream; writes its major faults to fd. */
static int working_set(int fd)
{
    char *hot = region(HOT_PAGES), *stream = region(STREAM_PAGES);
    if (!hot || !stream)
        return 2;
    for (long i = 0; i < HOT_PAGES; i++)
        *(long *)(hot + i * PAGE) = value_of(i, 0);

    /* From the top down: the hand moves up, so it meets the stream's pages
     * and the hot set in turn instead of following the stream's front. */
    long before = 0;
    for (long i = 0; i < STREAM_PAGES; i++) {
        if (i == WARM_PAGES) /* memory is full and the hand has been round */
            before = proc_value("/proc/vmstat", "pgmajfault ");
        *(long *)(stream + (STREAM_PAGES - 1 - i) * PAGE) = i;
        for (long j = 0; j < HOT_PER_STREAM; j++) {
            long h = (i * HOT_PER_STREAM + j) % HOT_PAGES;
            if (*(long *)(hot + h * PAGE) != value_of(h, 0))
                return 3;
        }
    }
    long faults = proc_value("/proc/vmstat", "pgmajfault ") - before;
    return write(fd, &faults, sizeof faults) == sizeof faults ? 0 : 4;
}

/* Run fn in a child; its exit status, or 128 + the signal that killed it. */
static int in_child(int (*fn)(int), int fd)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(fd));
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int fill_child(int unused)
{
    (void)unused;
    return fill_and_check();
}

/* The major faults of the working-set workload under `policy` (-1: it failed). */
static long faults_under(const char *policy, int *status)
{
    int pipefd[2];
    long faults = -1;
    if (set_policy(policy) < 0 || pipe(pipefd) < 0)
        return -1;
    *status = in_child(working_set, pipefd[1]);
    close(pipefd[1]);
    if (*status != 0 || read(pipefd[0], &faults, sizeof faults) != sizeof faults)
        faults = -1;
    close(pipefd[0]);
    return faults;
}

int main(int argc, char **argv)
{
    /* "t_replace compare": only the comparison (test_swap.sh, after swap_check). */
    int compare_only = argc > 1 && strcmp(argv[1], "compare") == 0;
    char why[200];
    /* Not lab checks: the files that choose the policy and stop kswapd0. */
    report("qemu.replace.proc_file_switches",
           policy_is("clock") && refused("/proc/replace", "lru") && set_policy("fifo") == 0 &&
               policy_is("fifo") && set_policy("clock\n") == 0 && policy_is("clock"),
           "/proc/replace does not read clock, take fifo and clock, and refuse lru with EINVAL");
    report("qemu.replace.kswapd_switches",
           file_says("/proc/kswapd", "on") && refused("/proc/kswapd", "of") &&
               refused("/proc/kswapd", "offf") && set_kswapd("off\n") == 0 &&
               file_says("/proc/kswapd", "off") && set_kswapd("on") == 0 &&
               file_says("/proc/kswapd", "on"),
           "/proc/kswapd does not read on, take off and on, and refuse of and offf with "
           "EINVAL");

    if (!compare_only) {
        int status = in_child(fill_child, -1);
        snprintf(why, sizeof why, "%ld pages written and read back: the child %s %d", FILL_PAGES,
                 status >= 128 ? "was killed by signal" : "exited with",
                 status >= 128 ? status - 128 : status);
        report("replace.swapping_keeps_every_byte", status == 0, why);
    }

    long free_pages = proc_value("/proc/meminfo", "MemFree:") / 4;
    int lab_status = -1, fifo_status = -1;
    long lab = -1, fifo = -1;
    /* Reclaim by the workload alone: kswapd0 running beside it (on the
     * other CPU, or whenever the workload waits for the disk) would move the
     * hand at a speed that depends on how busy the host is. */
    int quiet = set_kswapd("off") == 0;
    if (quiet) {
        lab = faults_under("clock", &lab_status);
        fifo = faults_under("fifo", &fifo_status);
    }
    set_policy("clock");
    set_kswapd("on");
    printf("t_replace: %ld pages free; working set of %ld pages, %ld streamed: %ld major faults "
           "with the lab's policy, %ld with FIFO\n",
           free_pages, HOT_PAGES, STREAM_PAGES, lab, fifo);
    if (!quiet)
        snprintf(why, sizeof why, "cannot write off to /proc/kswapd");
    else
        snprintf(why, sizeof why,
                 "major faults: %ld with the lab's policy (status %d), %ld with FIFO (status %d); "
                 "wanted FIFO's >= %ld and the lab's at most half of it",
                 lab, lab_status, fifo, fifo_status, MIN_FIFO_FAULTS);
    report("replace.working_set_stays_resident",
           lab >= 0 && fifo >= MIN_FIFO_FAULTS && lab * 2 <= fifo, why);
    return failures ? 1 : 0;
}
