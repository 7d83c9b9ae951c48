/*
 * t_cow.c - the copy-on-write lab's checks in user space (docs/labs/cow.md).
 *
 * Each check maps REGION_PAGES pages of private anonymous memory, writes a
 * distinct value into every page, forks, and watches two things: the bytes
 * each process sees, and the free memory /proc/meminfo reports (MemFree, in
 * kB: frames are what copy-on-write saves).  Memory is measured with raw
 * open/read into a static buffer, so measuring allocates nothing.  The
 * limits (in pages) are the ones the handout states.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096L
#define REGION_PAGES 2048L   /* 8 MiB */
#define FORK_SLACK_PAGES 256 /* fork may cost this much: page tables, kernel stack */
#define WRITTEN_PAGES 16     /* the child writes this many pages */
#define WRITE_SLACK_PAGES 16 /* ... and may cost this many more than one frame each */
#define QUIET_PAGES 16       /* "nothing allocated": a change below this */

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

/* Free memory in pages, from /proc/meminfo's MemFree line. */
static long free_pages(void)
{
    static char buf[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    if (fd < 0)
        return -1;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *line = strstr(buf, "MemFree:");
    return line ? strtol(line + 8, NULL, 10) / 4 : -1;
}

static long value_of(long page) { return page * 7919 + 17; }

/* REGION_PAGES pages, each holding value_of(its index) at its start and end. */
static char *filled_region(void)
{
    char *p =
        mmap(NULL, REGION_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("t_cow: mmap");
        exit(2);
    }
    for (long i = 0; i < REGION_PAGES; i++) {
        *(long *)(p + i * PAGE) = value_of(i);
        *(long *)(p + (i + 1) * PAGE - sizeof(long)) = value_of(i);
    }
    return p;
}

/* The first page whose values differ from value_of(index) + delta, or -1. */
static long first_wrong_page(const char *p, long delta)
{
    for (long i = 0; i < REGION_PAGES; i++)
        if (*(const long *)(p + i * PAGE) != value_of(i) + delta ||
            *(const long *)(p + (i + 1) * PAGE - sizeof(long)) != value_of(i) + delta)
            return i;
    return -1;
}

static void add_to_pages(char *p, long first, long count, long delta)
{
    for (long i = first; i < first + count; i++) {
        *(long *)(p + i * PAGE) += delta;
        *(long *)(p + (i + 1) * PAGE - sizeof(long)) += delta;
    }
}

/* What a child measured, sent to its parent through a pipe. */
struct child_report {
    long fork_cost;  /* pages gone between the parent's "before fork" and the child's start */
    long wrong_page; /* the first page the child did not see as the parent wrote it, or -1 */
    long write_cost; /* pages gone while the child wrote WRITTEN_PAGES pages */
    long wrong_after_parent_write; /* after the parent's writes: a page the child saw change */
};

static void child_sends(int fd, const struct child_report *r)
{
    if (write(fd, r, sizeof *r) != (long)sizeof *r)
        _exit(3);
}

static int receive(int fd, struct child_report *r)
{
    return read(fd, r, sizeof *r) == (long)sizeof *r;
}

static void wait_child(pid_t pid)
{
    int status;
    waitpid(pid, &status, 0);
}

/* fork shares, a child's write copies one page, writes stay private both ways. */
static void check_fork_and_writes(void)
{
    char why[300];
    char *p = filled_region();
    int to_parent[2], to_child[2];
    if (pipe(to_parent) < 0 || pipe(to_child) < 0)
        exit(2);
    long before = free_pages();
    pid_t pid = fork();
    if (pid == 0) {
        struct child_report r = {before - free_pages(), first_wrong_page(p, 0), 0, -1};
        long before_write = free_pages();
        add_to_pages(p, 0, WRITTEN_PAGES, 1000);
        r.write_cost = before_write - free_pages();
        child_sends(to_parent[1], &r);
        char go;
        if (read(to_child[0], &go, 1) != 1) /* the parent has written all its pages */
            _exit(3);
        long wrong = -1; /* the pages the child did not write must still be the old ones */
        for (long i = WRITTEN_PAGES; i < REGION_PAGES && wrong < 0; i++)
            if (*(long *)(p + i * PAGE) != value_of(i))
                wrong = i;
        r.wrong_after_parent_write = wrong;
        child_sends(to_parent[1], &r);
        _exit(0);
    }
    struct child_report r;
    if (!receive(to_parent[0], &r)) {
        report("cow.fork_shares_frames", 0, "the child did not report");
        exit(2);
    }
    snprintf(why, sizeof why,
             "fork of a process with %ld touched pages took %ld pages of free memory; wanted "
             "fewer than %d (an eager copy takes %ld)",
             REGION_PAGES, r.fork_cost, FORK_SLACK_PAGES, REGION_PAGES);
    report("cow.fork_shares_frames", r.fork_cost < FORK_SLACK_PAGES, why);
    snprintf(why, sizeof why, "the child read page %ld differently from what the parent wrote",
             r.wrong_page);
    report("cow.child_sees_parents_data", r.wrong_page < 0, why);
    snprintf(why, sizeof why,
             "the child's writes to %d shared pages took %ld pages; wanted %d to %d (one new frame "
             "per page written, allocated at the write)",
             WRITTEN_PAGES, r.write_cost, WRITTEN_PAGES, WRITTEN_PAGES + WRITE_SLACK_PAGES);
    report("cow.write_copies_only_that_page",
           r.write_cost >= WRITTEN_PAGES && r.write_cost <= WRITTEN_PAGES + WRITE_SLACK_PAGES, why);

    long wrong = first_wrong_page(p, 0);
    snprintf(why, sizeof why, "after the child wrote its pages, the parent's page %ld changed",
             wrong);
    report("cow.child_writes_stay_private", wrong < 0, why);

    add_to_pages(p, 0, REGION_PAGES, 5); /* the parent writes every page */
    if (write(to_child[1], "g", 1) != 1 || !receive(to_parent[0], &r))
        r.wrong_after_parent_write = -2;
    snprintf(why, sizeof why, "after the parent wrote its pages, the child's page %ld changed%s",
             r.wrong_after_parent_write,
             r.wrong_after_parent_write == -2 ? " (the child did not report)" : "");
    report("cow.parent_writes_stay_private", r.wrong_after_parent_write == -1, why);
    wait_child(pid);
    close(to_parent[0]), close(to_parent[1]), close(to_child[0]), close(to_child[1]);
    munmap(p, REGION_PAGES * PAGE);
}

/* Once the child is gone, the parent is the frames' only user: writing them copies nothing. */
static void check_last_user_writes_in_place(void)
{
    char why[300];
    char *p = filled_region();
    int fds[2];
    if (pipe(fds) < 0)
        exit(2);
    long before = free_pages();
    pid_t pid = fork();
    if (pid == 0) {
        long cost = before - free_pages();
        if (write(fds[1], &cost, sizeof cost) != (long)sizeof cost)
            _exit(3);
        _exit(0);
    }
    long fork_cost = REGION_PAGES;
    if (read(fds[0], &fork_cost, sizeof fork_cost) != (long)sizeof fork_cost)
        fork_cost = REGION_PAGES;
    wait_child(pid);
    long before_write = free_pages();
    add_to_pages(p, 0, REGION_PAGES, 1);
    long write_cost = before_write - free_pages();
    snprintf(why, sizeof why,
             "fork took %ld pages (wanted fewer than %d: shared); after the child exited, the "
             "parent's writes to its %ld pages took %ld pages (wanted fewer than %d: the last user "
             "of a frame makes it writable without copying)",
             fork_cost, FORK_SLACK_PAGES, REGION_PAGES, write_cost, QUIET_PAGES);
    report("cow.last_user_writes_in_place",
           fork_cost < FORK_SLACK_PAGES && write_cost < QUIET_PAGES && first_wrong_page(p, 1) < 0,
           why);
    close(fds[0]), close(fds[1]);
    munmap(p, REGION_PAGES * PAGE);
}

/* Read-only pages are shared copy-on-write too: made writable later, a write still copies. */
static void check_read_only_pages(void)
{
    char why[300];
    char *p = filled_region();
    int to_parent[2], to_child[2];
    if (pipe(to_parent) < 0 || pipe(to_child) < 0)
        exit(2);
    mprotect(p, REGION_PAGES * PAGE, PROT_READ);
    long before = free_pages();
    pid_t pid = fork();
    if (pid == 0) {
        long cost = before - free_pages();
        char go;
        if (write(to_parent[1], &cost, sizeof cost) != (long)sizeof cost ||
            read(to_child[0], &go, 1) != 1)
            _exit(3);
        long wrong = first_wrong_page(p, 0);
        if (write(to_parent[1], &wrong, sizeof wrong) != (long)sizeof wrong)
            _exit(3);
        _exit(0);
    }
    long fork_cost = REGION_PAGES, wrong = -2;
    if (read(to_parent[0], &fork_cost, sizeof fork_cost) != (long)sizeof fork_cost)
        fork_cost = REGION_PAGES;
    mprotect(p, REGION_PAGES * PAGE, PROT_READ | PROT_WRITE);
    long before_write = free_pages();
    add_to_pages(p, 0, 1, 1);
    long write_cost = before_write - free_pages();
    if (write(to_child[1], "g", 1) != 1 || read(to_parent[0], &wrong, sizeof wrong) != sizeof wrong)
        wrong = -2;
    wait_child(pid);
    snprintf(why, sizeof why,
             "fork of %ld read-only pages took %ld pages (wanted fewer than %d); after mprotect "
             "made them writable, the parent's write to one page took %ld pages (wanted 1 to %d) "
             "and the child's page %ld changed (-1: none)",
             REGION_PAGES, fork_cost, FORK_SLACK_PAGES, write_cost, 1 + WRITE_SLACK_PAGES, wrong);
    report("cow.read_only_pages_shared_too",
           fork_cost < FORK_SLACK_PAGES && write_cost >= 1 && write_cost <= 1 + WRITE_SLACK_PAGES &&
               wrong == -1,
           why);
    close(to_parent[0]), close(to_parent[1]), close(to_child[0]), close(to_child[1]);
    munmap(p, REGION_PAGES * PAGE);
}

/* A frame lives as long as any process maps it, and not longer. */
static void check_frames_stay_while_shared(void)
{
    char why[400];
    long before_region = free_pages();
    char *p = filled_region();
    int to_parent[2], to_child[2];
    if (pipe(to_parent) < 0 || pipe(to_child) < 0)
        exit(2);
    long after_fill = free_pages();
    pid_t pid = fork();
    if (pid == 0) {
        char go;
        if (read(to_child[0], &go, 1) != 1) /* the parent has unmapped its copy */
            _exit(3);
        long wrong = first_wrong_page(p, 0);
        if (write(to_parent[1], &wrong, sizeof wrong) != (long)sizeof wrong ||
            read(to_child[0], &go, 1) != 1)
            _exit(3);
        _exit(0); /* the last user: its exit frees the frames */
    }
    long before_unmap = free_pages();
    munmap(p, REGION_PAGES * PAGE);
    long unmap_gain = free_pages() - before_unmap;
    long wrong = -2;
    if (write(to_child[1], "g", 1) != 1 || read(to_parent[0], &wrong, sizeof wrong) != sizeof wrong)
        wrong = -2;
    if (write(to_child[1], "g", 1) != 1)
        wrong = -2;
    wait_child(pid);
    long exit_gain = free_pages() - before_unmap;
    snprintf(why, sizeof why,
             "the parent's munmap of %ld shared pages freed %ld (wanted fewer than %d: the child "
             "still maps them); the child then found page %ld wrong (-1: none); after the child "
             "exited, %ld pages were free again since the munmap (wanted at least %ld: the region "
             "of %ld pages took %ld)",
             REGION_PAGES, unmap_gain, QUIET_PAGES, wrong, exit_gain, REGION_PAGES - QUIET_PAGES,
             REGION_PAGES, before_region - after_fill);
    report("cow.frames_stay_while_shared",
           unmap_gain < QUIET_PAGES && wrong == -1 && exit_gain >= REGION_PAGES - QUIET_PAGES, why);
    close(to_parent[0]), close(to_parent[1]), close(to_child[0]), close(to_child[1]);
}

/* Forks, writes on both sides, grandchildren and exits leave free memory as it was. */
static void check_no_leaks(void)
{
    char why[300];
    char *p = filled_region();
    for (int warm = 0; warm < 2; warm++) { /* kernel caches (slabs) fill once */
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        wait_child(pid);
    }
    long baseline = free_pages();
    for (int round = 0; round < 20; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            add_to_pages(p, round, 64, 1);
            pid_t grandchild = fork();
            if (grandchild == 0) {
                add_to_pages(p, 1000, 32, 1);
                _exit(0);
            }
            wait_child(grandchild);
            _exit(0);
        }
        add_to_pages(p, 500 + round, 32, 1);
        wait_child(pid);
    }
    long leaked = baseline - free_pages();
    snprintf(why, sizeof why,
             "20 rounds of fork, writes in parent, child and grandchild, and exits left %ld pages "
             "fewer free (wanted fewer than %d)",
             leaked, QUIET_PAGES);
    report("cow.no_leaks", leaked < QUIET_PAGES, why);
    munmap(p, REGION_PAGES * PAGE);
}

int main(void)
{
    printf("t_cow: %ld pages per region, free memory %ld pages\n", REGION_PAGES, free_pages());
    fflush(stdout);
    check_fork_and_writes();
    check_last_user_writes_in_place();
    check_read_only_pages();
    check_frames_stay_while_shared();
    check_no_leaks();
    return failures ? 1 : 0;
}
