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
 *                                         half of FIFO's.
 * "t_replace compare" runs only the second (and the /proc/replace check).
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

static int policy_is(const char *name)
{
    char buf[32] = "";
    int fd = open("/proc/replace", O_RDONLY);
    if (fd < 0)
        return 0;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 && strncmp(buf, name, strlen(name)) == 0 && buf[strlen(name)] == '\n';
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
    /* Not a lab check: the file that chooses the policy. */
    int fd = open("/proc/replace", O_WRONLY);
    int bad = fd >= 0 && write(fd, "lru", 3) < 0 && errno == EINVAL;
    if (fd >= 0)
        close(fd);
    report("qemu.replace.proc_file_switches",
           policy_is("clock") && bad && set_policy("fifo") == 0 && policy_is("fifo") &&
               set_policy("clock\n") == 0 && policy_is("clock"),
           "/proc/replace does not read clock, take fifo and clock, and refuse lru with EINVAL");

    if (!compare_only) {
        int status = in_child(fill_child, -1);
        snprintf(why, sizeof why, "%ld pages written and read back: the child %s %d", FILL_PAGES,
                 status >= 128 ? "was killed by signal" : "exited with",
                 status >= 128 ? status - 128 : status);
        report("replace.swapping_keeps_every_byte", status == 0, why);
    }

    long free_pages = proc_value("/proc/meminfo", "MemFree:") / 4;
    int lab_status, fifo_status;
    long lab = faults_under("clock", &lab_status);
    long fifo = faults_under("fifo", &fifo_status);
    set_policy("clock");
    printf("t_replace: %ld pages free; working set of %ld pages, %ld streamed: %ld major faults "
           "with the lab's policy, %ld with FIFO\n",
           free_pages, HOT_PAGES, STREAM_PAGES, lab, fifo);
    snprintf(why, sizeof why,
             "major faults: %ld with the lab's policy (status %d), %ld with FIFO (status %d); "
             "wanted FIFO's >= %ld and the lab's at most half of it",
             lab, lab_status, fifo, fifo_status, MIN_FIFO_FAULTS);
    report("replace.working_set_stays_resident",
           lab >= 0 && fifo >= MIN_FIFO_FAULTS && lab * 2 <= fifo, why);
    return failures ? 1 : 0;
}
