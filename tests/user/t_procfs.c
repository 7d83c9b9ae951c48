/*
 * t_procfs.c - /proc tells the truth: /proc/self/maps matches the running
 * program's real addresses (code, data, heap, stack, mmap), /proc/<pid>/fd
 * lists exactly a child's descriptors (and its links reopen them),
 * /proc/<pid>/status and stat parse and agree with what we know of the
 * process (its state, its parent, zombies, context switches that grow),
 * /proc/<pid>/cmdline is its argv, /proc/self is us, and the system files
 * meminfo, uptime, loadavg and stat make sense and move.
 *
 * The program doubles as its own exec target: `t_procfs --pause ...`
 * waits to be killed (see main()).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

static int saved_argc;
static char **saved_argv;

/* --- helpers ---------------------------------------------------------- */

/* The whole of a (generated) file; its length, or -1 with errno set. */
static long read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t got = 0;
    ssize_t n;
    while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fd);
    return (long)got;
}

static void must_read(const char *path, char *buf, size_t size)
{
    if (read_text(path, buf, size) < 0)
        utest_fail(__FILE__, __LINE__, "cannot read %s: %s", path, strerror(errno));
}

static const char *pid_path(pid_t pid, const char *name)
{
    static char buffers[4][64];
    static int next;
    char *b = buffers[next++ % 4];
    snprintf(b, 64, "/proc/%d/%s", (int)pid, name);
    return b;
}

/* The number after "label" at the start of a line of `text`; -1 if absent. */
static long long field(const char *text, const char *label)
{
    size_t len = strlen(label);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (strncmp(line, label, len) == 0) {
            char *end;
            long long v = strtoll(line + len, &end, 10);
            return end == line + len ? -1 : v;
        }
    }
    return -1;
}

/* The rest of the line after "label" (tabs skipped), copied into out. */
static const char *field_text(const char *text, const char *label, char *out, size_t size)
{
    size_t len = strlen(label);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (strncmp(line, label, len) == 0) {
            const char *v = line + len;
            while (*v == '\t' || *v == ' ')
                v++;
            size_t n = strcspn(v, "\n");
            if (n >= size)
                n = size - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return out;
        }
    }
    return NULL;
}

static void kill_and_reap(pid_t pid)
{
    kill(pid, SIGKILL);
    wait_status(pid);
}

/* A child that only waits (in pause()) until it is killed. */
static pid_t start_pausing_child(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(UTEST_TIMEOUT_SECONDS);
        for (;;)
            pause();
    }
    return pid;
}

/* The state letter of /proc/<pid>/stat, or 0 if unreadable. */
static char stat_state(pid_t pid)
{
    char buf[1024];
    if (read_text(pid_path(pid, "stat"), buf, sizeof buf) < 0)
        return 0;
    const char *paren = strrchr(buf, ')');
    return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* Wait (up to 10 s) until pid's state letter is `state`. */
static void wait_for_state(pid_t pid, char state)
{
    for (int i = 0; i < 1000; i++) {
        if (stat_state(pid) == state)
            return;
        sleep_ms(10);
    }
    utest_fail(__FILE__, __LINE__, "process %d never reached state %c (it is '%c')", (int)pid,
               state, stat_state(pid));
}

/* --- /proc/self/maps ----------------------------------------------------- */

struct region {
    unsigned long start, end;
    char perms[8];
    char path[PATH_MAX];
};

/* The maps line containing addr; fails the case if there is none. Also
 * checks that the lines are sorted and do not overlap. */
static struct region find_region(const char *maps, const void *addr, const char *what)
{
    struct region found = {0};
    int have = 0;
    unsigned long last_end = 0, a = (unsigned long)addr;
    for (const char *line = maps; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        struct region r = {0};
        unsigned long offset, inode;
        char dev[16];
        int consumed = 0;
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &r.start, &r.end, r.perms, &offset, dev,
                   &inode, &consumed) < 6)
            utest_fail(__FILE__, __LINE__, "a maps line does not parse: %.80s", line);
        const char *name = line + consumed;
        size_t n = strcspn(name, "\n");
        if (consumed == 0 || line[consumed - 1] == '\n') /* no name: %n skipped the newline */
            n = 0, name = "";
        if (n >= sizeof r.path)
            n = sizeof r.path - 1;
        memcpy(r.path, name, n);
        if (r.start >= r.end || r.start < last_end)
            utest_fail(__FILE__, __LINE__, "maps lines out of order or overlapping at %lx-%lx",
                       r.start, r.end);
        last_end = r.end;
        if (a >= r.start && a < r.end) {
            found = r;
            have = 1;
        }
    }
    if (!have)
        utest_fail(__FILE__, __LINE__, "no maps line contains the %s at %p", what, addr);
    return found;
}

static int global_data = 42; /* .data */
static int global_bss;       /* .bss */

static void maps_match_the_real_addresses(void)
{
    static char maps[65536];
    must_read("/proc/self/maps", maps, sizeof maps);

    /* Grow the break ourselves: the new memory is the [heap]. */
    char *brk0 = (char *)syscall(SYS_brk, 0);
    char *brk1 = (char *)syscall(SYS_brk, brk0 + 65536);
    CHECK(brk1 == brk0 + 65536);
    brk0[100] = 1;
    void *anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    ((char *)anon)[0] = 1;
    int local = global_data + global_bss;
    must_read("/proc/self/maps", maps, sizeof maps); /* again, with the new regions */

    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    CHECK(n > 0);
    exe[n] = '\0';
    if (is_sprout())
        CHECK_STR(exe, saved_argv[0]); /* /bin/t_procfs */

    struct region code = find_region(maps, (void *)maps_match_the_real_addresses, "code");
    CHECK_STR(code.perms, "r-xp");
    CHECK_STR(code.path, exe);
    struct region data = find_region(maps, &global_data, "global variable");
    CHECK_STR(data.perms, "rw-p");
    struct region bss = find_region(maps, &global_bss, "bss variable");
    CHECK_STR(bss.perms, "rw-p");
    struct region heap = find_region(maps, brk0 + 100, "break (brk) memory");
    CHECK_STR(heap.path, "[heap]");
    CHECK_STR(heap.perms, "rw-p");
    CHECK(heap.end >= (unsigned long)brk1);
    struct region stack = find_region(maps, &local, "local variable");
    CHECK_STR(stack.path, "[stack]");
    CHECK_STR(stack.perms, "rw-p");
    struct region mapped = find_region(maps, anon, "mmap'd block");
    CHECK_STR(mapped.path, "");
    CHECK_STR(mapped.perms, "rw-p");
    /* After munmap the block is no longer listed. */
    CHECK_EQ(munmap(anon, 8192), 0);
    must_read("/proc/self/maps", maps, sizeof maps);
    for (const char *line = maps; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        unsigned long s, e;
        CHECK_EQ(sscanf(line, "%lx-%lx", &s, &e), 2);
        if ((unsigned long)anon >= s && (unsigned long)anon < e)
            utest_fail(__FILE__, __LINE__, "the unmapped block %p is still listed: %.60s", anon,
                       line);
    }
}

/* --- /proc/<pid>/fd ------------------------------------------------------ */

static void proc_pid_fd_lists_a_childs_descriptors(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(UTEST_TIMEOUT_SECONDS);
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        for (int fd = 0; fd <= 2; fd++)
            if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
                _exit(2);
        int p[2];
        if (open("/dev/null", O_RDONLY) != 3 || pipe(p) != 0 || p[0] != 4 || p[1] != 5)
            _exit(3);
        for (;;)
            pause();
    }
    /* Wait until the child has all six. */
    int names[64], count = 0;
    for (int tries = 0; tries < 1000; tries++) {
        DIR *dir = opendir(pid_path(pid, "fd"));
        CHECK(dir != NULL);
        struct dirent *e;
        count = 0;
        int dots = 0;
        while ((e = readdir(dir))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                dots++;
                continue;
            }
            char *end;
            long fd = strtol(e->d_name, &end, 10);
            if (*end || count == 64)
                utest_fail(__FILE__, __LINE__, "odd entry \"%s\" in %s", e->d_name,
                           pid_path(pid, "fd"));
            names[count++] = (int)fd;
        }
        closedir(dir);
        CHECK_EQ(dots, 2);
        if (count >= 6)
            break;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            utest_fail(__FILE__, __LINE__,
                       "the child could not set up its descriptors (status 0x%x)", status);
        sleep_ms(10);
    }
    CHECK_EQ(count, 6);
    int seen[6] = {0};
    for (int i = 0; i < count; i++) {
        if (names[i] < 0 || names[i] > 5)
            utest_fail(__FILE__, __LINE__, "the child has no fd %d, but it is listed", names[i]);
        seen[names[i]]++;
    }
    for (int fd = 0; fd < 6; fd++)
        if (seen[fd] != 1)
            utest_fail(__FILE__, __LINE__, "fd %d listed %d times, want once", fd, seen[fd]);

    char target[PATH_MAX], link[64];
    snprintf(link, sizeof link, "/proc/%d/fd/3", (int)pid);
    ssize_t n = readlink(link, target, sizeof target - 1);
    CHECK(n > 0);
    target[n] = '\0';
    CHECK_STR(target, "/dev/null");
    unsigned long ids[2];
    for (int i = 0; i < 2; i++) {
        snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)pid, 4 + i);
        n = readlink(link, target, sizeof target - 1);
        CHECK(n > 0);
        target[n] = '\0';
        char rest[8] = "";
        if (sscanf(target, "pipe:[%lu%7s", &ids[i], rest) != 2 || strcmp(rest, "]") != 0)
            utest_fail(__FILE__, __LINE__, "%s links to \"%s\", want pipe:[N]", link, target);
    }
    CHECK_EQ(ids[0], ids[1]); /* both ends of one pipe */
    struct stat st;
    CHECK_EQ(lstat(link, &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK_EQ(stat(link, &st), 0); /* following it reaches the pipe */
    CHECK(S_ISFIFO(st.st_mode));
    snprintf(link, sizeof link, "/proc/%d/fd/6", (int)pid);
    CHECK_ERRNO(readlink(link, target, sizeof target), ENOENT);
    kill_and_reap(pid);
}

/* Opening /proc/self/fd/N makes a new open file of the same thing; closing
 * it does not disturb the original descriptor -- for pipes too. */
static void proc_fd_links_reopen_the_file(void)
{
    char path[64], link[64];
    snprintf(path, sizeof path, "/tmp/t_procfs.%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(unlink(path), 0);
    CHECK_EQ(write(fd, "hello", 5), 5);
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int again = open(link, O_RDONLY);
    CHECK(again >= 0);
    char buf[16] = "";
    CHECK_EQ(read(again, buf, sizeof buf), 5); /* its own offset, from 0 */
    CHECK_STR(buf, "hello");
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
    CHECK_EQ(close(again), 0);

    signal(SIGPIPE, SIG_IGN);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[1]);
    int writer = open(link, O_WRONLY);
    CHECK(writer >= 0);
    CHECK_EQ(write(writer, "x", 1), 1);
    CHECK_EQ(close(writer), 0);
    CHECK_EQ(read(p[0], buf, sizeof buf), 1);
    /* p[1] is still open: an empty pipe with a writer is EAGAIN, not EOF. */
    CHECK_ERRNO(read(p[0], buf, sizeof buf), EAGAIN);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    int reader = open(link, O_RDONLY);
    CHECK(reader >= 0);
    CHECK_EQ(close(reader), 0);
    /* p[0] is still open: writing works, no EPIPE. */
    CHECK_EQ(write(p[1], "y", 1), 1);
    CHECK_EQ(read(p[0], buf, sizeof buf), 1);
    CHECK_EQ(buf[0], 'y');
    CHECK_EQ(close(p[1]), 0);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0); /* now the last writer is gone */
}

static void proc_self_exe_and_cwd(void)
{
    char target[PATH_MAX];
    CHECK_EQ(chdir("/tmp"), 0);
    ssize_t n = readlink("/proc/self/cwd", target, sizeof target - 1);
    CHECK(n > 0);
    target[n] = '\0';
    CHECK_STR(target, "/tmp");
    CHECK_EQ(chdir("/"), 0);
    n = readlink("/proc/self/cwd", target, sizeof target - 1);
    CHECK(n > 0);
    target[n] = '\0';
    CHECK_STR(target, "/");
    n = readlink("/proc/self/exe", target, sizeof target - 1);
    CHECK(n > 0);
    target[n] = '\0';
    CHECK(target[0] == '/');
    struct stat a, b;
    CHECK_EQ(stat(target, &a), 0);
    CHECK_EQ(stat("/proc/self/exe", &b), 0); /* following it reaches the program file */
    CHECK_EQ(a.st_ino, b.st_ino);
    /* A file opened by a relative name is shown by its absolute name. */
    CHECK_EQ(chdir("/tmp"), 0);
    char name[64], link[64];
    snprintf(name, sizeof name, "t_procfs.rel.%d", (int)getpid());
    int fd = open(name, O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0);
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    unlink(name);
    CHECK(n > 0);
    target[n] = '\0';
    char want[128];
    snprintf(want, sizeof want, "/tmp/%s", name);
    CHECK_STR(target, want);
}

/* --- status and stat ------------------------------------------------------ */

static void status_has_the_expected_fields(void)
{
    pid_t pid = start_pausing_child();
    wait_for_state(pid, 'S');
    static char text[8192];
    must_read(pid_path(pid, "status"), text, sizeof text);
    char value[64];
    CHECK(field_text(text, "Name:", value, sizeof value) != NULL);
    CHECK_STR(value, "t_procfs");
    CHECK(field_text(text, "State:", value, sizeof value) != NULL);
    CHECK_STR(value, "S (sleeping)");
    CHECK_EQ(field(text, "Pid:\t"), pid);
    CHECK_EQ(field(text, "PPid:\t"), getpid());
    CHECK(field(text, "VmSize:") > 0);
    CHECK(field(text, "VmRSS:") > 0);
    CHECK(field(text, "VmRSS:") <= field(text, "VmSize:"));
    CHECK(field(text, "FDSize:\t") >= 3);
    CHECK(field(text, "voluntary_ctxt_switches:") >= 0);
    CHECK(field(text, "nonvoluntary_ctxt_switches:") >= 0);
    /* Our own status says we are running. */
    must_read("/proc/self/status", text, sizeof text);
    CHECK(field_text(text, "State:", value, sizeof value) != NULL);
    CHECK_STR(value, "R (running)");
    CHECK_EQ(field(text, "Pid:\t"), getpid());
    kill_and_reap(pid);
}

static void stat_parses_and_agrees(void)
{
    pid_t pid = start_pausing_child();
    wait_for_state(pid, 'S');
    char text[1024];
    must_read(pid_path(pid, "stat"), text, sizeof text);
    int got_pid = 0, ppid = 0, pgrp = 0, session = 0;
    char comm[32] = "", state = 0;
    char *close_paren = strrchr(text, ')');
    CHECK(close_paren != NULL);
    CHECK_EQ(sscanf(text, "%d (", &got_pid), 1);
    char *open_paren = strchr(text, '(');
    CHECK(open_paren != NULL && close_paren - open_paren - 1 < (long)sizeof comm);
    memcpy(comm, open_paren + 1, (size_t)(close_paren - open_paren - 1));
    CHECK_EQ(sscanf(close_paren + 2, "%c %d %d %d", &state, &ppid, &pgrp, &session), 4);
    CHECK_EQ(got_pid, pid);
    CHECK_STR(comm, "t_procfs");
    CHECK_EQ(state, 'S');
    CHECK_EQ(ppid, getpid());
    CHECK_EQ(pgrp, getpgid(pid));
    CHECK_EQ(session, getsid(pid));
    /* 52 fields in all (Linux 3.5+). */
    int fields = 2;
    for (char *p = close_paren + 1; *p; p++)
        if (*p == ' ' && p[1] && p[1] != '\n')
            fields++;
    CHECK_EQ(fields, 52);
    kill_and_reap(pid);
}

static void a_zombie_shows_state_z(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(3);
    wait_for_state(pid, 'Z');
    char text[4096], value[64];
    must_read(pid_path(pid, "status"), text, sizeof text);
    CHECK(field_text(text, "State:", value, sizeof value) != NULL);
    CHECK_STR(value, "Z (zombie)");
    CHECK_EQ(field(text, "PPid:\t"), getpid());
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 3);
    /* Reaped: gone from /proc. */
    struct stat st;
    CHECK_ERRNO(stat(pid_path(pid, ""), &st), ENOENT);
}

/* Pin the calling process to CPU 0 where there is more than one (Linux):
 * two spinners must compete for one CPU to be preempted. */
static void share_one_cpu(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    sched_setaffinity(0, sizeof set, &set); /* sprout: one CPU, ENOSYS is fine */
}

static void context_switch_counts_grow(void)
{
    /* Voluntary: a child that sleeps 10 times. */
    int ready[2], go[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(go), 0);
    pid_t sleeper = fork();
    CHECK(sleeper >= 0);
    if (sleeper == 0) {
        char c;
        if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(2);
        for (int i = 0; i < 10; i++)
            sleep_ms(10);
        if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(3);
        _exit(0);
    }
    char c, text[4096];
    CHECK_EQ(read(ready[0], &c, 1), 1);
    must_read(pid_path(sleeper, "status"), text, sizeof text);
    long long before = field(text, "voluntary_ctxt_switches:");
    CHECK(before >= 0);
    CHECK_EQ(write(go[1], "g", 1), 1);
    CHECK_EQ(read(ready[0], &c, 1), 1);
    must_read(pid_path(sleeper, "status"), text, sizeof text);
    long long after = field(text, "voluntary_ctxt_switches:");
    if (after - before < 10)
        utest_fail(__FILE__, __LINE__,
                   "voluntary_ctxt_switches went from %lld to %lld over 10 sleeps", before, after);
    CHECK_EQ(write(go[1], "g", 1), 1);
    CHECK_EQ(wait_status(sleeper), 0);

    /* Nonvoluntary: two spinners sharing a CPU preempt each other. */
    pid_t spinners[2];
    for (int i = 0; i < 2; i++) {
        spinners[i] = fork();
        CHECK(spinners[i] >= 0);
        if (spinners[i] == 0) {
            share_one_cpu();
            alarm(UTEST_TIMEOUT_SECONDS);
            for (volatile unsigned long spin = 0;; spin++)
                ;
        }
    }
    sleep_ms(100);
    must_read(pid_path(spinners[0], "status"), text, sizeof text);
    before = field(text, "nonvoluntary_ctxt_switches:");
    sleep_ms(500);
    must_read(pid_path(spinners[0], "status"), text, sizeof text);
    after = field(text, "nonvoluntary_ctxt_switches:");
    kill_and_reap(spinners[0]);
    kill_and_reap(spinners[1]);
    CHECK(before >= 0);
    if (after <= before)
        utest_fail(__FILE__, __LINE__,
                   "a spinning process's nonvoluntary_ctxt_switches stayed at %lld over 0.5 s",
                   before);
}

/* --- cmdline and self -------------------------------------------------------- */

/* argv as /proc/<pid>/cmdline shows it: each string followed by a NUL. */
static size_t join_args(char **argv, int argc, char *out, size_t size)
{
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        CHECK(len + n <= size);
        memcpy(out + len, argv[i], n);
        len += n;
    }
    return len;
}

static void cmdline_is_argv_with_nuls(void)
{
    char got[4096], want[4096];
    size_t want_len = join_args(saved_argv, saved_argc, want, sizeof want);
    CHECK_EQ(read_text("/proc/self/cmdline", got, sizeof got), (long)want_len);
    CHECK(memcmp(got, want, want_len) == 0);

    /* A program exec'd with odd arguments: spaces, an empty one. */
    char *args[] = {saved_argv[0], "--pause", "two words", "", "last", NULL};
    want_len = join_args(args, 5, want, sizeof want);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execv(saved_argv[0], args);
        _exit(127);
    }
    long len = -1;
    for (int tries = 0; tries < 1000; tries++) {
        len = read_text(pid_path(pid, "cmdline"), got, sizeof got);
        if (len == (long)want_len && memcmp(got, want, want_len) == 0)
            break;
        sleep_ms(10);
    }
    kill_and_reap(pid);
    CHECK_EQ(len, (long)want_len);
    for (size_t i = 0; i < want_len; i++)
        if (got[i] != want[i])
            utest_fail(__FILE__, __LINE__, "cmdline byte %zu is 0x%02x, want 0x%02x", i, got[i],
                       want[i]);
}

static void proc_self_is_our_pid(void)
{
    char target[32], want[32];
    ssize_t n = readlink("/proc/self", target, sizeof target - 1);
    CHECK(n > 0);
    target[n] = '\0';
    snprintf(want, sizeof want, "%d", (int)getpid());
    CHECK_STR(target, want);
    struct stat a, b;
    CHECK_EQ(stat("/proc/self", &a), 0);
    CHECK_EQ(stat(pid_path(getpid(), ""), &b), 0);
    CHECK(S_ISDIR(a.st_mode));
    CHECK_EQ(a.st_ino, b.st_ino);
    /* In a child it is the child. */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char t[32], w[32];
        ssize_t m = readlink("/proc/self", t, sizeof t - 1);
        if (m <= 0)
            _exit(1);
        t[m] = '\0';
        snprintf(w, sizeof w, "%d", (int)getpid());
        _exit(strcmp(t, w) == 0 ? 0 : 2);
    }
    CHECK_EQ(wait_status(pid), 0);
    /* /proc lists our pid among its entries. */
    DIR *dir = opendir("/proc");
    CHECK(dir != NULL);
    struct dirent *e;
    int found = 0;
    while ((e = readdir(dir)))
        found += strcmp(e->d_name, want) == 0;
    closedir(dir);
    CHECK_EQ(found, 1);
}

static void missing_pids_are_enoent(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(0);
    CHECK_EQ(wait_status(pid), 0);
    struct stat st;
    CHECK_ERRNO(stat(pid_path(pid, ""), &st), ENOENT);
    CHECK_ERRNO(open(pid_path(pid, "status"), O_RDONLY), ENOENT);
    CHECK_ERRNO(open("/proc/999999999/status", O_RDONLY), ENOENT);
    CHECK_ERRNO(stat("/proc/0", &st), ENOENT);
    CHECK_ERRNO(stat("/proc/self/nonexistent", &st), ENOENT);
}

static void proc_files_cannot_be_written(void)
{
    int fd = open("/proc/self/status", O_WRONLY);
    if (is_sprout()) {
        CHECK_EQ(fd, -1);
        CHECK_EQ(errno, EACCES);
    } else if (fd >= 0) { /* Linux lets root open it; writing still fails */
        CHECK_EQ(write(fd, "x", 1), -1);
    } else {
        CHECK_EQ(errno, EACCES);
    }
}

/* /proc has no room for new files: creating one is "no such file" (as
 * Linux says), not "is a directory". */
static void creating_a_file_in_proc_is_enoent(void)
{
    CHECK_ERRNO(open("/proc/self/newfile", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERRNO(open("/proc/newfile", O_WRONLY | O_CREAT, 0644), ENOENT);
}

/* --- system-wide files -------------------------------------------------------- */

static void meminfo_makes_sense(void)
{
    char text[8192];
    must_read("/proc/meminfo", text, sizeof text);
    long long total = field(text, "MemTotal:"), free_kb = field(text, "MemFree:");
    if (!(total >= free_kb && free_kb > 0))
        utest_fail(__FILE__, __LINE__, "MemTotal %lld kB, MemFree %lld kB", total, free_kb);
    /* The numbers are kB: more than 1 MiB, and no more than sysinfo says. */
    CHECK(total > 1024);
    CHECK(field(text, "MemAvailable:") >= 0);
}

static void uptime_increases(void)
{
    char text[128];
    double up1, idle1, up2, idle2;
    must_read("/proc/uptime", text, sizeof text);
    CHECK_EQ(sscanf(text, "%lf %lf", &up1, &idle1), 2);
    sleep_ms(200);
    must_read("/proc/uptime", text, sizeof text);
    CHECK_EQ(sscanf(text, "%lf %lf", &up2, &idle2), 2);
    if (!(up2 - up1 >= 0.1 && up2 - up1 < 30))
        utest_fail(__FILE__, __LINE__, "uptime went from %.2f to %.2f over 0.2 s", up1, up2);
    CHECK(idle1 >= 0 && idle2 >= idle1);
    struct sysinfo si;
    CHECK_EQ(sysinfo(&si), 0);
    if (up2 < si.uptime - 2.0 || up2 > si.uptime + 2.0) /* both are the time since boot */
        utest_fail(__FILE__, __LINE__, "/proc/uptime says %.2f s, sysinfo %ld s", up2, si.uptime);
}

/* test_user boots one CPU: one block, and sysconf agrees (CPUs processes can use). */
/* One block per CPU that came online, numbered 0, 1, ...: as many as the
 * cpuN lines of /proc/stat.  nproc (the CPUs that run processes) is all of
 * them, or 1 with smp=off. */
static void cpuinfo_has_a_block_per_cpu(void)
{
    char text[4096], stat[4096];
    must_read("/proc/cpuinfo", text, sizeof text);
    must_read("/proc/stat", stat, sizeof stat);
    int blocks = 0, cpu_lines = 0;
    for (const char *p = text; (p = strstr(p, "processor\t: ")); p++) {
        CHECK_EQ(atoi(p + strlen("processor\t: ")), blocks);
        blocks++;
    }
    for (const char *p = stat; (p = strstr(p, "\ncpu")); p++)
        cpu_lines++;
    CHECK(blocks >= 1);
    CHECK_EQ(blocks, cpu_lines);
    CHECK(strncmp(text, "processor\t: 0\nvendor_id\t: ", 26) == 0);
    CHECK(strstr(text, "\napicid\t\t: ") != NULL);
    CHECK(strstr(text, "\nmodel name\t: ") != NULL);
    CHECK(strstr(text, "\nflags\t\t: fpu ") != NULL);
    CHECK(strstr(text, "\n\n") != NULL); /* each block ends with an empty line */
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK(online == blocks || online == 1);
}

static void loadavg_has_five_fields(void)
{
    char text[256];
    must_read("/proc/loadavg", text, sizeof text);
    double l1, l5, l15;
    int running, total, last, consumed = 0;
    CHECK_EQ(
        sscanf(text, "%lf %lf %lf %d/%d %d%n", &l1, &l5, &l15, &running, &total, &last, &consumed),
        6);
    CHECK_STR(text + consumed, "\n");
    CHECK(l1 >= 0 && l5 >= 0 && l15 >= 0);
    CHECK(running >= 1 && running <= total); /* at least we are running */
    CHECK(last > 0);
}

static void proc_stat_counts_switches_and_forks(void)
{
    static char text[16384];
    must_read("/proc/stat", text, sizeof text);
    CHECK(strncmp(text, "cpu ", 4) == 0);
    long long ctxt1 = field(text, "ctxt "), forks1 = field(text, "processes ");
    CHECK(ctxt1 > 0);
    CHECK(forks1 > 0);
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            sleep_ms(10);
            _exit(0);
        }
        CHECK_EQ(wait_status(pid), 0);
    }
    must_read("/proc/stat", text, sizeof text);
    long long ctxt2 = field(text, "ctxt "), forks2 = field(text, "processes ");
    if (ctxt2 <= ctxt1 || forks2 < forks1 + 3)
        utest_fail(__FILE__, __LINE__, "after 3 forks: ctxt %lld -> %lld, processes %lld -> %lld",
                   ctxt1, ctxt2, forks1, forks2);
}

static const struct utest_case cases[] = {
    UTEST(maps_match_the_real_addresses),
    UTEST(proc_pid_fd_lists_a_childs_descriptors),
    UTEST(proc_fd_links_reopen_the_file),
    UTEST(proc_self_exe_and_cwd),
    UTEST(status_has_the_expected_fields),
    UTEST(stat_parses_and_agrees),
    UTEST(a_zombie_shows_state_z),
    UTEST(context_switch_counts_grow),
    UTEST(cmdline_is_argv_with_nuls),
    UTEST(proc_self_is_our_pid),
    UTEST(missing_pids_are_enoent),
    UTEST(proc_files_cannot_be_written),
    UTEST(creating_a_file_in_proc_is_enoent),
    UTEST(meminfo_makes_sense),
    UTEST(uptime_increases),
    UTEST(loadavg_has_five_fields),
    UTEST(cpuinfo_has_a_block_per_cpu),
    UTEST(proc_stat_counts_switches_and_forks),
};

int main(int argc, char **argv)
{
    saved_argc = argc;
    saved_argv = argv;
    if (argc > 1 && strcmp(argv[1], "--pause") == 0) {
        alarm(UTEST_TIMEOUT_SECONDS);
        for (;;)
            pause();
    }
    return utest_main("procfs", cases, sizeof cases / sizeof cases[0], argc, argv);
}
