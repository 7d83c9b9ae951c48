/*
 * t_mmap_file.c - mmap of regular files: MAP_PRIVATE (copy-on-write) and
 * MAP_SHARED (writes reach the file), fork, msync, SIGBUS past the end of
 * the file, /proc/self/maps, and the errors in Linux's order.  Runs on Linux too.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <setjmp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define PAGE 4096
#define PATH "/tmp/t_mmap_file.dat"

/* A new file of `pages` pages, byte i = i % 251; returns an O_RDWR descriptor. */
static int make_file(const char *path, int pages)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    char buf[PAGE];
    for (int p = 0; p < pages; p++) {
        for (int i = 0; i < PAGE; i++)
            buf[i] = (char)((p * PAGE + i) % 251);
        CHECK_EQ(write(fd, buf, PAGE), PAGE);
    }
    return fd;
}

static void private_map_reads_the_file(void)
{
    int fd = make_file(PATH, 3);
    unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED);
    for (int i = 0; i < 3 * PAGE; i += 97)
        CHECK_EQ(p[i], i % 251);
    /* An offset maps from there. */
    unsigned char *q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
    CHECK(q != MAP_FAILED);
    CHECK_EQ(q[5], (2 * PAGE + 5) % 251);
    /* A write() is seen by a mapping of a page not yet copied. */
    CHECK_EQ(pwrite(fd, "Z", 1, PAGE + 7), 1);
    CHECK_EQ(p[PAGE + 7], 'Z');
    CHECK_EQ(munmap(p, 3 * PAGE), 0);
    CHECK_EQ(munmap(q, PAGE), 0);
    close(fd);
    unlink(PATH);
}

static void private_writes_stay_private(void)
{
    int fd = make_file(PATH, 2);
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *other = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED && other != MAP_FAILED);
    CHECK_EQ(other[10], 10); /* the cache page is mapped before the copy */
    p[10] = 'x';
    CHECK_EQ(p[10], 'x');
    CHECK_EQ(other[10], 10);
    char c;
    CHECK_EQ(pread(fd, &c, 1, 10), 1);
    CHECK_EQ(c, 10);
    /* A read-only private map made writable still copies. */
    CHECK_EQ(mprotect(other, 2 * PAGE, PROT_READ | PROT_WRITE), 0);
    other[PAGE] = 'y';
    CHECK_EQ(pread(fd, &c, 1, PAGE), 1);
    CHECK_EQ(c, PAGE % 251);
    close(fd);
    unlink(PATH);
}

static void shared_writes_reach_the_file(void)
{
    int fd = make_file(PATH, 2);
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    memcpy(p + PAGE + 100, "shared", 6);
    char buf[6];
    CHECK_EQ(pread(fd, buf, 6, PAGE + 100), 6);
    CHECK(memcmp(buf, "shared", 6) == 0);
    CHECK_EQ(pwrite(fd, "back", 4, 200), 4); /* and the other way */
    CHECK(memcmp(p + 200, "back", 4) == 0);
    char *second = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
    CHECK(second != MAP_FAILED);
    CHECK(memcmp(second + 100, "shared", 6) == 0);
    CHECK_EQ(msync(p, 2 * PAGE, MS_SYNC), 0);
    CHECK_EQ(munmap(p, 2 * PAGE), 0);
    CHECK_EQ(pread(fd, buf, 6, PAGE + 100), 6);
    CHECK(memcmp(buf, "shared", 6) == 0);
    close(fd);
    unlink(PATH);
}

static void fork_shares_shared_and_copies_private(void)
{
    int fd = make_file(PATH, 1);
    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(shared != MAP_FAILED && private != MAP_FAILED);
    private[0] = 'p'; /* copied before fork: the child inherits the copy, copy-on-write */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        shared[1] = 'c';
        private[0] = 'q';
        private[2] = 'r';
        _exit(private[0] == 'q' && shared[1] == 'c' ? 0 : 1);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(WEXITSTATUS(status), 0);
    CHECK_EQ(shared[1], 'c');
    CHECK_EQ(private[0], 'p');
    CHECK_EQ(private[2], 2);
    char c;
    CHECK_EQ(pread(fd, &c, 1, 1), 1);
    CHECK_EQ(c, 'c');
    CHECK_EQ(pread(fd, &c, 1, 0), 1);
    CHECK_EQ(c, 0);
    close(fd);
    unlink(PATH);
}

static sigjmp_buf bus_jump;
static volatile int bus_signals;
static void on_bus(int sig)
{
    (void)sig;
    bus_signals++;
    siglongjmp(bus_jump, 1);
}

static void past_end_of_file_is_sigbus(void)
{
    int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "tiny", 4), 4);
    volatile char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(p[0], 't');
    CHECK_EQ(p[PAGE - 1], 0); /* the rest of the last page reads as zeros */
    signal(SIGBUS, on_bus);
    if (sigsetjmp(bus_jump, 1) == 0)
        (void)p[PAGE];
    CHECK_EQ(bus_signals, 1);
    if (sigsetjmp(bus_jump, 1) == 0)
        p[2 * PAGE + 5] = 1;
    CHECK_EQ(bus_signals, 2);
    /* Once the file grows, the page is there. */
    CHECK_EQ(ftruncate(fd, 2 * PAGE), 0);
    p[PAGE + 1] = 'g';
    char c;
    CHECK_EQ(pread(fd, &c, 1, PAGE + 1), 1);
    CHECK_EQ(c, 'g');
    close(fd);
    unlink(PATH);
}

/* Touch p[offset] (a read, or a write of 'w'); 1 if that raised SIGBUS. */
static int touch_is_sigbus(volatile char *p, long offset, int write)
{
    int before = bus_signals;
    if (sigsetjmp(bus_jump, 1) == 0) {
        if (write)
            p[offset] = 'w';
        else
            (void)p[offset];
    }
    return bus_signals - before;
}

static void truncate_unmaps_pages_past_the_end(void)
{
    signal(SIGBUS, on_bus);
    int fd = make_file(PATH, 3);
    volatile char *shared = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile char *private = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(shared != MAP_FAILED && private != MAP_FAILED);
    for (int i = 0; i < 3; i++) /* every page mapped: cache frames, and a private copy */
        CHECK_EQ((unsigned char)shared[i * PAGE + 1], (i * PAGE + 1) % 251);
    private[2 * PAGE] = 'c';
    CHECK_EQ((unsigned char)private[PAGE], PAGE % 251);
    /* Cut to 100 bytes into the second page: the third page is gone for both. */
    CHECK_EQ(ftruncate(fd, PAGE + 100), 0);
    CHECK_EQ(touch_is_sigbus(shared, 2 * PAGE, 0), 1);
    CHECK_EQ(touch_is_sigbus(private, 2 * PAGE, 0), 1); /* the private copy too (Linux) */
    CHECK_EQ(touch_is_sigbus(shared, 2 * PAGE + 9, 1), 1);
    /* The partial last page stays, zeroed past the end. */
    CHECK_EQ((unsigned char)shared[PAGE + 99], (PAGE + 99) % 251);
    CHECK_EQ(shared[PAGE + 100], 0);
    CHECK_EQ(shared[2 * PAGE - 1], 0);
    CHECK_EQ(touch_is_sigbus(private, PAGE + 5, 0), 0);
    /* Growing again shows zeros, not the old bytes. */
    CHECK_EQ(ftruncate(fd, 3 * PAGE), 0);
    CHECK_EQ(shared[2 * PAGE + 1], 0);
    CHECK_EQ(private[2 * PAGE], 0);
    char c = 1;
    CHECK_EQ(pread(fd, &c, 1, PAGE + 200), 1);
    CHECK_EQ(c, 0);
    /* truncate() by name and open(O_TRUNC) unmap as well. */
    CHECK_EQ(truncate(PATH, 0), 0);
    CHECK_EQ(touch_is_sigbus(shared, 0, 0), 1);
    CHECK_EQ(ftruncate(fd, PAGE), 0);
    shared[0] = 's';
    int again = open(PATH, O_RDWR | O_TRUNC);
    CHECK(again >= 0);
    CHECK_EQ(touch_is_sigbus(shared, 0, 1), 1);
    close(again);
    /* A mapping made past the end from the start: SIGBUS on touch. */
    volatile char *beyond = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 4 * PAGE);
    CHECK(beyond != MAP_FAILED);
    CHECK_EQ(touch_is_sigbus(beyond, 0, 0), 1);
    /* Bad arguments, as Linux. */
    errno = 0;
    CHECK_EQ(ftruncate(fd, -1), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(ftruncate(-1, 0), -1);
    CHECK_EQ(errno, EBADF);
    CHECK_EQ(ftruncate(9999, 0), -1);
    CHECK_EQ(errno, EBADF);
    CHECK_EQ(truncate(PATH, -5), -1);
    CHECK_EQ(errno, EINVAL);
    int ro = open(PATH, O_RDONLY);
    CHECK_EQ(ftruncate(ro, 0), -1);
    CHECK_EQ(errno, EINVAL);
    close(ro);
    munmap((void *)shared, 3 * PAGE);
    munmap((void *)private, 3 * PAGE);
    munmap((void *)beyond, PAGE);
    close(fd);
    unlink(PATH);
    signal(SIGBUS, SIG_DFL);
}

static void maps_name_the_file(void)
{
    int fd = make_file(PATH, 1);
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    char *p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    close(fd); /* the mapping keeps the file */
    CHECK_EQ(p[3], 3);
    char text[8192];
    int maps = open("/proc/self/maps", O_RDONLY);
    ssize_t n = read(maps, text, sizeof text - 1);
    close(maps);
    CHECK(n > 0);
    text[n] = '\0';
    char want[96];
    snprintf(want, sizeof want, "%lx-", (unsigned long)p);
    char *line = strstr(text, want);
    CHECK(line != NULL);
    char *end = strchr(line, '\n');
    if (end)
        *end = '\0';
    CHECK(strstr(line, " r--s ") != NULL);
    CHECK(strstr(line, PATH) != NULL);
    snprintf(want, sizeof want, " %lu ", (unsigned long)st.st_ino);
    CHECK(strstr(line, want) != NULL);
    unlink(PATH);
}

static void bad_arguments_fail_as_on_linux(void)
{
    int fd = make_file(PATH, 1);
    int rdonly = open(PATH, O_RDONLY), wronly = open(PATH, O_WRONLY);
    int append = open(PATH, O_RDWR | O_APPEND);
    CHECK(rdonly >= 0 && wronly >= 0 && append >= 0);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rdonly, 0), EACCES);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wronly, 0), EACCES);
    /* O_APPEND does not stop a shared writable map (only an append-only inode would). */
    void *a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, append, 0);
    CHECK(a != MAP_FAILED);
    /* Nor can mprotect make a shared map of a read-only descriptor writable. */
    void *ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rdonly, 0);
    CHECK(ro != MAP_FAILED);
    CHECK_ERRNO(mprotect(ro, PAGE, PROT_READ | PROT_WRITE), EACCES);
    CHECK_EQ(mprotect(ro, PAGE, PROT_NONE), 0);
    /* A private writable map of a read-only descriptor is fine: writes stay private. */
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rdonly, 0);
    CHECK(p != MAP_FAILED);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
    CHECK_ERRNO(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, 0, fd, 0), EINVAL); /* neither shared nor private */
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 999, 0), EBADF);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dir, 0), ENODEV);
    int pipes[2];
    CHECK_EQ(pipe(pipes), 0);
    CHECK_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pipes[0], 0), ENODEV);
    CHECK_ERRNO(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
    CHECK_ERRNO(msync((char *)p + 1, PAGE, MS_SYNC), EINVAL);
    CHECK_EQ(munmap(p, PAGE), 0);
    CHECK_ERRNO(msync(p, PAGE, MS_SYNC), ENOMEM);
    unlink(PATH);
}

static void program_file_maps_like_read(void)
{
    /* A file of the initrd (the root ramfs): the mapping matches read(). */
    int fd = open(is_sprout() ? "/bin/t_mmap_file" : "/proc/self/exe", O_RDONLY);
    CHECK(fd >= 0);
    unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED);
    unsigned char buf[2 * PAGE];
    CHECK_EQ(read(fd, buf, sizeof buf), sizeof buf);
    CHECK(memcmp(p, buf, sizeof buf) == 0);
    CHECK(memcmp(p,
                 "\x7f"
                 "ELF",
                 4) == 0);
    close(fd);
}

/* A field (kB) of the first executable region of /proc/PID/smaps whose name ends in `name`;
 * -1 if there is none yet. */
static long text_field_kb(pid_t pid, const char *name, const char *field)
{
    static char text[65536];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/smaps", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = 0, got;
    while (n < (ssize_t)sizeof text - 1 && (got = read(fd, text + n, sizeof text - 1 - n)) > 0)
        n += got;
    close(fd);
    text[n] = '\0';
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        size_t len = strlen(line), name_len = strlen(name);
        if (strstr(line, " r-xp ") && len > name_len && strcmp(line + len - name_len, name) == 0) {
            char *f = strstr(end + 1, field); /* the fields follow their region */
            return f ? atol(f + strlen(field)) : -1;
        }
        line = end ? end + 1 : NULL;
    }
    return -1;
}

static pid_t start_sleeper(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sleep", "sleep", "10", (char *)NULL);
        _exit(127);
    }
    /* Running once its text is resident. */
    for (int i = 0; i < 200 && text_field_kb(pid, "/bin/sleep", "Rss:") <= 0; i++)
        usleep(10000);
    return pid;
}

static void exec_shares_program_text(void)
{
    if (access("/bin/sleep", X_OK) != 0)
        return; /* Linux without /bin/sleep */
    pid_t first = start_sleeper();
    CHECK(text_field_kb(first, "/bin/sleep", "Rss:") > 0);
    if (is_sprout()) /* alone: its text frames are its own (the page cache's reference aside) */
        CHECK_EQ(text_field_kb(first, "/bin/sleep", "Shared_Clean:"), 0);
    pid_t second = start_sleeper();
    CHECK(text_field_kb(second, "/bin/sleep", "Rss:") > 0);
    /* Two separate execs of one program map the very same text frames. */
    CHECK(text_field_kb(first, "/bin/sleep", "Shared_Clean:") > 0);
    CHECK(text_field_kb(second, "/bin/sleep", "Shared_Clean:") > 0);
    kill(first, SIGKILL);
    kill(second, SIGKILL);
    CHECK_EQ(waitpid(first, NULL, 0), first);
    CHECK_EQ(waitpid(second, NULL, 0), second);
    /* The page cache holds files' pages (ramfs files are all cache). */
    char meminfo[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    ssize_t n = read(fd, meminfo, sizeof meminfo - 1);
    close(fd);
    CHECK(n > 0);
    meminfo[n] = '\0';
    char *cached = strstr(meminfo, "\nCached:");
    CHECK(cached && atol(cached + 8) > 0);
}

/* mremap of a file region: it keeps mapping the same file at the same offsets. */
static void mremap_moves_and_resizes_file_maps(void)
{
    signal(SIGBUS, on_bus);
    int fd = make_file(PATH, 4);
    volatile char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
    CHECK(p != MAP_FAILED);
    CHECK_EQ((unsigned char)p[0], PAGE % 251);
    p[10] = 'm';
    /* In the middle of its region it cannot grow in place: ENOMEM without MREMAP_MAYMOVE. */
    errno = 0;
    CHECK(mremap((void *)p, PAGE, 2 * PAGE, 0) == MAP_FAILED);
    CHECK_EQ(errno, ENOMEM);
    /* Grown (moved if need be): the old pages, then the file's next page. */
    volatile char *q = mremap((void *)p, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    CHECK_EQ(q[10], 'm');
    CHECK_EQ((unsigned char)q[2 * PAGE + 5], (3 * PAGE + 5) % 251);
    q[2 * PAGE + 1] = 'n'; /* MAP_SHARED still: the write reaches the file */
    char c;
    CHECK_EQ(pread(fd, &c, 1, 3 * PAGE + 1), 1);
    CHECK_EQ(c, 'n');
    /* Grown past the end of the file: that page is SIGBUS. */
    volatile char *r = mremap((void *)q, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
    CHECK(r != MAP_FAILED);
    CHECK_EQ(r[10], 'm');
    CHECK_EQ(touch_is_sigbus(r, 3 * PAGE, 0), 1);
    /* Shrunk in place. */
    CHECK(mremap((void *)r, 4 * PAGE, PAGE, 0) == (void *)r);
    CHECK_EQ(r[10], 'm');
    /* A private region moves its private copies with it. */
    volatile char *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(priv != MAP_FAILED);
    priv[0] = 'p';
    volatile char *bigger = mremap((void *)priv, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    CHECK(bigger != MAP_FAILED);
    CHECK_EQ(bigger[0], 'p');
    CHECK_EQ(bigger[PAGE + 10], 'm');
    CHECK_EQ(pread(fd, &c, 1, 0), 1);
    CHECK_EQ(c, 0);
    /* Bad arguments, as Linux. */
    errno = 0;
    CHECK(mremap((char *)r + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
    CHECK(mremap((void *)r, PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
    CHECK(mremap((void *)r, PAGE, 2 * PAGE, 0x100) == MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
    CHECK(mremap((void *)r, PAGE, 2 * PAGE, MREMAP_FIXED, (void *)0x700000000000) == MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
    void *hole = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK_EQ(munmap(hole, PAGE), 0);
    CHECK(mremap(hole, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED); /* nothing mapped there */
    CHECK_EQ(errno, EFAULT);
    munmap((void *)r, PAGE);
    munmap((void *)bigger, 2 * PAGE);
    close(fd);
    unlink(PATH);
    signal(SIGBUS, SIG_DFL);
}

#define TEXT_COPY "/tmp/t_mmap_file.prog"

/* Run TEXT_COPY in a child; its exit status, or the pid if `wait_for_it` is 0. */
static pid_t run_copy(int wait_for_it)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(TEXT_COPY, "sleep", "10", (char *)NULL);
        _exit(errno);
    }
    if (!wait_for_it)
        return pid;
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void running_program_is_text_busy(void)
{
    if (access("/bin/sleep", X_OK) != 0)
        return; /* Linux without /bin/sleep */
    int in = open("/bin/sleep", O_RDONLY);
    int out = open(TEXT_COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(in >= 0 && out >= 0);
    char buf[PAGE];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        CHECK_EQ(write(out, buf, n), n);
    close(in);
    /* Open for writing (here, and in the child through fork): execve refuses. */
    CHECK_EQ(run_copy(1), ETXTBSY);
    close(out);
    struct stat st;
    CHECK_EQ(stat(TEXT_COPY, &st), 0);
    /* Running: no open for writing, no truncate; reading is fine. */
    pid_t pid = run_copy(0);
    for (int i = 0; i < 200 && text_field_kb(pid, "t_mmap_file.prog", "Rss:") <= 0; i++)
        usleep(10000);
    CHECK(text_field_kb(pid, "t_mmap_file.prog", "Rss:") > 0);
    errno = 0;
    CHECK_EQ(open(TEXT_COPY, O_WRONLY), -1);
    CHECK_EQ(errno, ETXTBSY);
    CHECK_EQ(open(TEXT_COPY, O_RDWR | O_TRUNC), -1);
    CHECK_EQ(errno, ETXTBSY);
    CHECK_EQ(truncate(TEXT_COPY, 0), -1);
    CHECK_EQ(errno, ETXTBSY);
    CHECK_EQ(truncate(TEXT_COPY, -1), -1); /* a bad length is found first */
    CHECK_EQ(errno, EINVAL);
    struct stat now;
    CHECK_EQ(stat(TEXT_COPY, &now), 0);
    CHECK_EQ(now.st_size, st.st_size); /* O_TRUNC cut nothing */
    int reader = open(TEXT_COPY, O_RDONLY);
    CHECK(reader >= 0);
    close(reader);
    kill(pid, SIGKILL);
    CHECK_EQ(waitpid(pid, NULL, 0), pid);
    /* Nobody runs it any more: writable again. */
    int writer = open(TEXT_COPY, O_WRONLY);
    CHECK(writer >= 0);
    close(writer);
    CHECK_EQ(unlink(TEXT_COPY), 0);
}

static long minor_faults(void)
{
    struct rusage usage;
    CHECK_EQ(getrusage(RUSAGE_SELF, &usage), 0);
    return usage.ru_minflt;
}

/* Fault-around: one read fault maps the cached pages of its 64 KiB
 * (16-page) window, so reading the other 15 takes no fault; not the pages
 * past the end of the file, which still raise SIGBUS; a write to a private
 * page mapped that way still gets a copy, and one to a shared page reaches
 * the file. */
static void read_fault_maps_cached_neighbours(void)
{
    enum { WINDOW = 16 * PAGE };
    int fd = make_file(PATH, 40); /* written: every page is in the cache */
    /* At a 64 KiB boundary (the windows are aligned in memory): pages 32-47
     * are one window, and the file ends inside it, after page 39. */
    char *room = mmap(NULL, 4 * WINDOW, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(room != MAP_FAILED);
    char *at = (char *)(((unsigned long)room + WINDOW - 1) & ~(unsigned long)(WINDOW - 1));
    volatile unsigned char *p =
        mmap(at, 48 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
    CHECK(p == (unsigned char *)at);
    long before = minor_faults();
    CHECK_EQ(p[WINDOW], WINDOW % 251);
    CHECK_EQ(minor_faults(), before + 1);
    for (long offset = WINDOW + PAGE; offset < 2 * WINDOW; offset += PAGE)
        CHECK_EQ(p[offset], offset % 251);
    CHECK_EQ(minor_faults(), before + 1); /* all mapped by the first fault */
    /* A write copies the page: the file keeps its byte. */
    p[WINDOW + PAGE] = 'w';
    unsigned char c;
    CHECK_EQ(pread(fd, &c, 1, WINDOW + PAGE), 1);
    CHECK_EQ(c, (WINDOW + PAGE) % 251);
    /* The window holding the end of the file: past it is still SIGBUS. */
    signal(SIGBUS, on_bus);
    CHECK_EQ(p[39 * PAGE], (39 * PAGE) % 251);
    CHECK_EQ(touch_is_sigbus((volatile char *)p, 40 * PAGE, 0), 1);
    CHECK_EQ(touch_is_sigbus((volatile char *)p, 47 * PAGE, 0), 1);
    /* Shared: the neighbours are the file's pages, writes and all. */
    volatile unsigned char *s =
        mmap(at, 32 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
    CHECK(s == (unsigned char *)at);
    before = minor_faults();
    CHECK_EQ(s[0], 0);
    s[3 * PAGE] = 'S';
    CHECK_EQ(minor_faults(), before + 1);
    CHECK_EQ(msync((void *)s, 32 * PAGE, MS_SYNC), 0);
    CHECK_EQ(pread(fd, &c, 1, 3 * PAGE), 1);
    CHECK_EQ(c, 'S');
    CHECK_EQ(munmap(room, 4 * WINDOW), 0);
    close(fd);
    unlink(PATH);
}

static const struct utest_case cases[] = {
    UTEST(private_map_reads_the_file),        UTEST(private_writes_stay_private),
    UTEST(shared_writes_reach_the_file),      UTEST(fork_shares_shared_and_copies_private),
    UTEST(past_end_of_file_is_sigbus),        UTEST(maps_name_the_file),
    UTEST(bad_arguments_fail_as_on_linux),    UTEST(program_file_maps_like_read),
    UTEST(exec_shares_program_text),          UTEST(truncate_unmaps_pages_past_the_end),
    UTEST(running_program_is_text_busy),      UTEST(mremap_moves_and_resizes_file_maps),
    UTEST(read_fault_maps_cached_neighbours),
};
UTEST_MAIN("mmap_file", cases)
