/*
 * t_leaks.c - the kernel gives back everything a program's churn takes.
 *
 * Each case warms up once (so one-time growth, like the page tables of this
 * process's own heap, is out of the way), takes a snapshot of the kernel's
 * memory -- MemFree from /proc/meminfo and the live objects of every kmalloc
 * size class from /proc/slabinfo -- repeats a churn loop (20 times; 3 for the slow ENFILE storm),
 * and takes the snapshot again.  Every number must be back exactly where it was: nothing else runs
 * meanwhile (init and the test harness sleep in wait4), so any difference is memory the kernel
 * kept.  On failure the /proc/allocinfo lines that grew name the function that allocated it.
 *
 * Only in sprout (Linux's caches legitimately keep memory).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "tests/user/utest.h"

#define MAX_LINES 64

struct snapshot {
    long memfree_kib;
    int nclasses;
    char names[MAX_LINES][24];
    long active[MAX_LINES];
    char allocinfo[8192];
};

static ssize_t read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t total = 0, n;
    while ((n = read(fd, buf + total, size - 1 - (size_t)total)) > 0)
        total += n;
    close(fd);
    buf[total] = '\0';
    return total;
}

static void snapshot_take(struct snapshot *s)
{
    static char text[8192];
    read_file("/proc/allocinfo", s->allocinfo, sizeof s->allocinfo);
    read_file("/proc/slabinfo", text, sizeof text);
    s->nclasses = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "kmalloc-", 8) != 0 || s->nclasses == MAX_LINES)
            continue;
        CHECK_EQ(sscanf(line, "%23s %ld", s->names[s->nclasses], &s->active[s->nclasses]), 2);
        s->nclasses++;
    }
    CHECK(s->nclasses > 0);
    read_file("/proc/meminfo", text, sizeof text);
    char *line = strstr(text, "MemFree:");
    CHECK(line != NULL);
    s->memfree_kib = atol(line + strlen("MemFree:"));
}

/* Print the allocinfo lines of `after` that are not in `before`. */
static void print_growth(const struct snapshot *before, const struct snapshot *after)
{
    static char copy[sizeof after->allocinfo];
    strcpy(copy, after->allocinfo);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
        if (!strstr(before->allocinfo, line))
            printf("note: allocinfo now: %s\n", line);
}

/* Do the snapshots agree?  Prints what differs. */
static int same(const struct snapshot *before, const struct snapshot *after, const char *what)
{
    int differ = before->memfree_kib != after->memfree_kib || before->nclasses != after->nclasses;
    for (int i = 0; i < before->nclasses && !differ; i++)
        if (before->active[i] != after->active[i]) {
            printf("note: %s: %s active objects %ld -> %ld\n", what, before->names[i],
                   before->active[i], after->active[i]);
            differ = 1;
        }
    if (differ)
        print_growth(before, after);
    return !differ;
}

/* Warm up, snapshot, churn `rounds` times, snapshot, compare. */
static void churn_and_compare(void (*churn)(void), const char *what, int rounds)
{
    if (!is_sprout()) {
        printf("note: leak checks only run in sprout\n");
        return;
    }
    static struct snapshot before, after;
    memset(&before, 0, sizeof before); /* fault our own pages in now, not between snapshots */
    memset(&after, 0, sizeof after);
    print_growth(&before, &after);
    churn();
    churn();
    /* A leak shows every time; a page the allocators happen to keep or
     * give back (an empty slab, a page of our own stack) does not: up to
     * three tries. */
    for (int attempt = 1;; attempt++) {
        snapshot_take(&before);
        for (int i = 0; i < rounds; i++)
            churn();
        snapshot_take(&after);
        if (same(&before, &after, what))
            return;
        if (attempt == 3)
            utest_fail(
                __FILE__, __LINE__,
                "after %d rounds of %s, three times: MemFree %ld -> %ld KiB, or a class grew",
                rounds, what, before.memfree_kib, after.memfree_kib);
        printf("note: %s: trying again\n", what);
    }
}

/* --- the churn loops ------------------------------------------------------ */

static void fork_exec_exit(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    CHECK_EQ(wait_status(pid), 0);
    pid = fork_or_fail(); /* and one that dies from a signal */
    if (pid == 0)
        raise(SIGKILL);
    CHECK_EQ(WTERMSIG(wait_status(pid)), SIGKILL);
}

static void pipes(void)
{
    int fds[2];
    char buf[512] = "data";
    CHECK_EQ(pipe(fds), 0);
    CHECK_EQ(write(fds[1], buf, sizeof buf), (long)sizeof buf);
    CHECK_EQ(read(fds[0], buf, sizeof buf), (long)sizeof buf);
    close(fds[0]);
    CHECK_ERRNO(write(fds[1], buf, 1), EPIPE); /* SIGPIPE is ignored below */
    close(fds[1]);
}

static void descriptors_to_emfile(void)
{
    int opened = 0, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0)
        opened++;
    CHECK_EQ(errno, EMFILE);
    for (int i = 3; i < 3 + opened; i++)
        close(i);
    while ((fd = dup(0)) >= 0) /* and by dup */
        ;
    CHECK_EQ(errno, EMFILE);
    /* Calls that fail half-way: room for one descriptor, and two needed. */
    close(3);
    int fds[2];
    CHECK_ERRNO(pipe(fds), EMFILE);
    CHECK_EQ(open("/proc/self/status", O_RDONLY), 3);
    CHECK_ERRNO(open("/proc/self/maps", O_RDONLY), EMFILE);
    CHECK_ERRNO(open("/tmp/t_leaks.new", O_RDWR | O_CREAT, 0600), EMFILE);
    unlink("/tmp/t_leaks.new"); /* (Linux creates it before failing) */
    for (int i = 3; i < 3 + opened; i++)
        close(i);
}

/* Children open files until the whole system runs out (ENFILE), then exit. */
static void descriptors_to_enfile(void)
{
    pid_t children[4];
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    for (int c = 0; c < 4; c++) {
        children[c] = fork_or_fail();
        if (children[c] == 0) {
            struct rlimit rl;
            getrlimit(RLIMIT_NOFILE, &rl);
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            int err = 0;
            while (open("/dev/null", O_RDONLY) >= 0 || (err = errno) == EINTR)
                ;
            int fds2[2];
            if (pipe(fds2) == 0 || (errno != ENFILE && errno != EMFILE))
                err = -1; /* no room for a pipe either */
            char result = err == ENFILE ? 'N' : err == EMFILE ? 'M' : '?';
            write(fds[1], &result, 1);
            pause(); /* hold them until the parent has seen everyone */
            _exit(0);
        }
    }
    int enfile = 0;
    for (int c = 0; c < 4; c++) {
        char result;
        CHECK_EQ(read(fds[0], &result, 1), 1);
        enfile += result == 'N';
    }
    for (int c = 0; c < 4; c++) {
        kill(children[c], SIGKILL);
        wait_status(children[c]);
    }
    close(fds[0]);
    close(fds[1]);
    CHECK(enfile >= 1);
}

static void mappings(void)
{
    for (int i = 0; i < 4; i++) {
        size_t size = 64 * 1024 << i;
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(p != MAP_FAILED);
        for (size_t at = 0; at < size; at += 4096)
            p[at] = 1;
        CHECK_EQ(mprotect(p + 4096, 4096, PROT_READ), 0); /* split the mapping */
        CHECK_EQ(munmap(p + 8192, 4096), 0);              /* and punch a hole */
        CHECK_EQ(munmap(p, size), 0);
    }
}

static volatile sig_atomic_t handled;
static void on_usr1(int sig) { handled++; }

static void signals(void)
{
    struct sigaction sa = {.sa_handler = on_usr1};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    raise(SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1); /* pending while blocked, then delivered */
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    CHECK(handled >= 2);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGSTOP);
    CHECK(WIFSTOPPED(wait_options(pid, WUNTRACED)));
    kill(pid, SIGTERM);
    kill(pid, SIGCONT);
    CHECK_EQ(WTERMSIG(wait_status(pid)), SIGTERM);
}

static void files(void)
{
    static const char *const paths[] = {"/tmp/t_leaks.f", "/dev/shm/t_leaks.f", "/t_leaks.f"};
    static char block[3 * 4096];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int fd = open(paths[i], O_RDWR | O_CREAT | O_TRUNC, 0600);
        CHECK(fd >= 0);
        CHECK_EQ(write(fd, block, sizeof block), (long)sizeof block);
        CHECK_EQ(pwrite(fd, "x", 1, 1ll << 40), 1); /* sparse, far away */
        close(fd);
        CHECK_EQ(rename(paths[i], "/tmp/t_leaks.g") == 0 || errno == EXDEV, 1);
        if (unlink("/tmp/t_leaks.g") != 0)
            CHECK_EQ(unlink(paths[i]), 0);
    }
    CHECK_EQ(mkdir("/tmp/t_leaks.d", 0700), 0);
    CHECK_EQ(symlink("/tmp", "/tmp/t_leaks.d/link"), 0);
    CHECK_EQ(unlink("/tmp/t_leaks.d/link"), 0);
    CHECK_EQ(rmdir("/tmp/t_leaks.d"), 0);
}

static void proc_files(void)
{
    static char buf[8192];
    static const char *const paths[] = {"/proc/meminfo", "/proc/self/maps", "/proc/self/status",
                                        "/proc/allocinfo", "/proc/1/fd"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int fd = open(paths[i], O_RDONLY);
        CHECK(fd >= 0);
        while (read(fd, buf, sizeof buf) > 0)
            ;
        close(fd);
    }
}

static void fork_exec_exit_gives_everything_back(void)
{
    churn_and_compare(fork_exec_exit, "fork/exec/exit", 20);
}
static void pipes_give_everything_back(void)
{
    signal(SIGPIPE, SIG_IGN);
    churn_and_compare(pipes, "pipes", 20);
}
static void emfile_storms_give_everything_back(void)
{
    churn_and_compare(descriptors_to_emfile, "EMFILE storms", 20);
}
static void enfile_storms_give_everything_back(void)
{
    churn_and_compare(descriptors_to_enfile, "ENFILE storms", 3);
}
static void mmap_munmap_gives_everything_back(void)
{
    churn_and_compare(mappings, "mmap/munmap", 20);
}
static void signals_give_everything_back(void) { churn_and_compare(signals, "signals", 20); }
static void file_churn_gives_everything_back(void)
{
    churn_and_compare(files, "file create/unlink", 20);
}
static void proc_reads_give_everything_back(void)
{
    churn_and_compare(proc_files, "/proc reads", 20);
}

/* Sum of one column of /proc/slabinfo's kmalloc lines (1: active_objs, 2: num_objs). */
static long slabinfo_total(int column)
{
    static char text[8192];
    read_file("/proc/slabinfo", text, sizeof text);
    CHECK(strncmp(text, "slabinfo - version: 2.1\n# name", 30) == 0);
    long total = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        long active, objects;
        char name[32];
        if (strncmp(line, "kmalloc-", 8) != 0)
            continue;
        CHECK_EQ(sscanf(line, "%31s %ld %ld", name, &active, &objects), 3);
        CHECK(active <= objects);
        total += column == 1 ? active : objects;
    }
    return total;
}

/* Sum of the <calls> column of /proc/allocinfo lines of one kind ("kmalloc" or "frame"). */
static long allocinfo_total(const char *kind)
{
    static char text[8192];
    read_file("/proc/allocinfo", text, sizeof text);
    CHECK(strncmp(text, "allocinfo - version: 1.0\n", 25) == 0);
    long total = 0, previous_size = -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        long size, calls;
        char what[16], where[80];
        if (line[0] == '#' || strncmp(line, "allocinfo", 9) == 0)
            continue;
        CHECK_EQ(sscanf(line, "%ld %ld %15s func:%79s", &size, &calls, what, where), 4);
        CHECK(previous_size < 0 || size <= previous_size); /* biggest first */
        previous_size = size;
        if (strcmp(what, kind) == 0)
            total += calls;
    }
    return total;
}

/* The counts follow what is live: 100 pipes show, and go when closed. */
static void slabinfo_and_allocinfo_count_live_objects(void)
{
    if (!is_sprout()) {
        printf("note: /proc/allocinfo is sprout's (Linux's needs memory profiling)\n");
        return;
    }
    int fds[100][2];
    long active = slabinfo_total(1), objects = slabinfo_total(2),
         calls = allocinfo_total("kmalloc");
    CHECK(active > 0 && allocinfo_total("frame") > 0);
    for (int i = 0; i < 100; i++)
        CHECK_EQ(pipe(fds[i]), 0);
    long more = slabinfo_total(1) - active, more_calls = allocinfo_total("kmalloc") - calls;
    printf("note: 100 pipes: %ld more kmalloc objects\n", more);
    CHECK(more >= 200); /* at least two open files each */
    CHECK_EQ(more_calls, more);
    CHECK(slabinfo_total(2) >= objects);
    for (int i = 0; i < 100; i++) {
        close(fds[i][0]);
        close(fds[i][1]);
    }
    CHECK_EQ(slabinfo_total(1), active);
    CHECK_EQ(allocinfo_total("kmalloc"), calls);
    CHECK_ERRNO(open("/proc/slabinfo", O_WRONLY), EACCES);
    CHECK_ERRNO(open("/proc/allocinfo", O_RDWR), EACCES);
}

static const struct utest_case cases[] = {
    UTEST(slabinfo_and_allocinfo_count_live_objects),
    UTEST(fork_exec_exit_gives_everything_back),
    UTEST(pipes_give_everything_back),
    UTEST(emfile_storms_give_everything_back),
    UTEST(enfile_storms_give_everything_back),
    UTEST(mmap_munmap_gives_everything_back),
    UTEST(signals_give_everything_back),
    UTEST(file_churn_gives_everything_back),
    UTEST(proc_reads_give_everything_back),
};
UTEST_MAIN("leaks", cases)
