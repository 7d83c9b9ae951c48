/*
 * t_cgroup.c - control groups (cgroup v2) through /sys/fs/cgroup: groups as
 * directories, moving processes, and the three controllers' limits:
 * pids.max stops a fork bomb, memory.max OOM-kills inside the group only,
 * cpu.max throttles a hog.  Each case makes its own group and removes it.
 */
#define _GNU_SOURCE /* sched_setaffinity, cpu_set_t */
#include <pthread.h>
#include <sched.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include "tests/user/leaktest.h"
#include "tests/user/utest.h"

#define CGROOT "/sys/fs/cgroup"

/* --- helpers ------------------------------------------------------------------- */

/* The text of CGROOT/group/file ("" if it cannot be read). */
static const char *cg_read(const char *group, const char *file)
{
    static char text[4096];
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", CGROOT, group, file);
    text[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        read_all(fd, text, sizeof text);
        close(fd);
    }
    return text;
}

/* Write text to CGROOT/group/file in one write: 0, or -1 with errno. */
static int cg_write(const char *group, const char *file, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", CGROOT, group, file);
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The number after "key " in a flat-keyed file such as memory.events. */
static long cg_key(const char *group, const char *file, const char *key)
{
    const char *text = cg_read(group, file);
    size_t len = strlen(key);
    for (const char *line = text; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "")
        if (strncmp(line, key, len) == 0 && line[len] == ' ')
            return atol(line + len + 1);
    return -1;
}

static void cg_mkdir(const char *group)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", CGROOT, group);
    CHECK_EQ(mkdir(path, 0755), 0);
}

static int cg_rmdir(const char *group)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", CGROOT, group);
    return rmdir(path);
}

static void cg_move(const char *group, pid_t pid)
{
    char text[16];
    snprintf(text, sizeof text, "%d\n", pid);
    CHECK_EQ(cg_write(group, "cgroup.procs", text), 0);
}

/* Does cgroup.procs of group list pid? */
static int cg_has(const char *group, pid_t pid)
{
    char text[4096];
    snprintf(text, sizeof text, "%s", cg_read(group, "cgroup.procs"));
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (atoi(line) == pid)
            return 1;
    return 0;
}

/* Wait (up to 5 s) until no process is left in group, then remove it. */
static void cg_remove_when_empty(const char *group)
{
    for (int i = 0; i < 500 && cg_key(group, "cgroup.events", "populated") != 0; i++)
        sleep_ms(10);
    CHECK_EQ(cg_key(group, "cgroup.events", "populated"), 0);
    CHECK_EQ(cg_rmdir(group), 0);
}

/* A leftover of an earlier, failed run would make mkdir fail: clear it. */
static void cg_fresh(const char *group)
{
    cg_rmdir(group);
    cg_mkdir(group);
}

/* --- the file system --------------------------------------------------------------- */

static void mounted_with_the_root_group(void)
{
    char self[32];
    snprintf(self, sizeof self, "%d", getpid());
    CHECK(strstr(cg_read(".", "cgroup.procs"), self) != NULL);
    CHECK_STR(cg_read(".", "cgroup.controllers"), "cpu memory pids\n");
    int fd = open("/proc/self/cgroup", O_RDONLY);
    char text[64];
    read_all(fd, text, sizeof text);
    close(fd);
    CHECK_STR(text, "0::/\n");
    /* One hierarchy, mounted once; only root mounts. */
    CHECK_ERRNO(mount("cgroup2", CGROOT, "cgroup2", 0, NULL), EBUSY);
    struct stat st;
    CHECK_EQ(stat(CGROOT "/cgroup.procs", &st), 0);
    CHECK(S_ISREG(st.st_mode));
}

static void mkdir_rmdir_and_ebusy(void)
{
    cg_fresh("t_dirs");
    cg_mkdir("t_dirs/child");
    struct stat st;
    CHECK_EQ(stat(CGROOT "/t_dirs/child/cgroup.procs", &st), 0);
    CHECK_ERRNO(mkdir(CGROOT "/t_dirs/child", 0755), EEXIST);
    CHECK_ERRNO(mkdir(CGROOT "/t_dirs/cgroup.procs", 0755), EEXIST);
    CHECK_ERRNO(cg_rmdir("t_dirs"), EBUSY); /* a child group */
    CHECK_ERRNO(cg_rmdir("t_dirs/cgroup.procs"), ENOTDIR);
    CHECK_ERRNO(cg_rmdir("t_dirs/nothing"), ENOENT);
    CHECK_ERRNO(unlink(CGROOT "/t_dirs/cgroup.procs"), EPERM);
    CHECK_EQ(cg_rmdir("t_dirs/child"), 0);
    CHECK_ERRNO(stat(CGROOT "/t_dirs/child", &st), ENOENT);

    /* A removed group that is still someone's working directory: empty, and
     * nothing can be made in it; ".." still leads out. */
    cg_mkdir("t_dirs/child");
    CHECK_EQ(chdir(CGROOT "/t_dirs/child"), 0);
    CHECK_EQ(cg_rmdir("t_dirs/child"), 0);
    CHECK_ERRNO(open("cgroup.procs", O_RDONLY), ENOENT);
    CHECK_ERRNO(mkdir("grandchild", 0755), ENOENT);
    CHECK_EQ(chdir(".."), 0);
    CHECK_EQ(stat("cgroup.procs", &st), 0);
    CHECK_EQ(chdir("/"), 0);

    pid_t sleeper = fork_sleeper();
    cg_move("t_dirs", sleeper);
    CHECK_ERRNO(cg_rmdir("t_dirs"), EBUSY); /* a process */
    CHECK_EQ(kill(sleeper, SIGKILL), 0);
    wait_status(sleeper);
    cg_remove_when_empty("t_dirs");
    CHECK_ERRNO(cg_rmdir("t_dirs"), ENOENT);
    CHECK_ERRNO(cg_rmdir("."), EINVAL);
}

static void moving_processes_and_inheritance(void)
{
    cg_fresh("t_move");
    CHECK_EQ(cg_key("t_move", "cgroup.events", "populated"), 0);
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t child = fork_or_fail();
    if (child == 0) {
        close(fds[1]);
        if (cg_write("t_move", "cgroup.procs", "0") < 0) /* 0: myself */
            _exit(1);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            char text[64] = "";
            int fd = open("/proc/self/cgroup", O_RDONLY);
            read_all(fd, text, sizeof text);
            _exit(strcmp(text, "0::/t_move\n") == 0 ? 0 : 2);
        }
        int status;
        waitpid(grandchild, &status, 0);
        char c;
        read(fds[0], &c, 1); /* until the parent closes its end */
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
    }
    close(fds[0]);
    for (int i = 0; i < 200 && !cg_has("t_move", child); i++)
        sleep_ms(10);
    CHECK(cg_has("t_move", child));
    CHECK(!cg_has(".", child));
    CHECK_EQ(cg_key("t_move", "cgroup.events", "populated"), 1);
    for (int i = 0; i < 200 && atoi(cg_read("t_move", "pids.current")) != 1; i++)
        sleep_ms(10); /* until the grandchild has exited */
    CHECK_EQ(atoi(cg_read("t_move", "pids.current")), 1);
    close(fds[1]);
    CHECK_EQ(wait_status(child), 0);
    CHECK_EQ(cg_key("t_move", "cgroup.events", "populated"), 0);
    CHECK_EQ(atoi(cg_read("t_move", "pids.current")), 0);

    /* Bad PIDs. */
    CHECK_ERRNO(cg_write("t_move", "cgroup.procs", "abc"), EINVAL);
    CHECK_ERRNO(cg_write("t_move", "cgroup.procs", "-1"), EINVAL);
    CHECK_ERRNO(cg_write("t_move", "cgroup.procs", "30000"), ESRCH);
    CHECK_ERRNO(cg_write("t_move", "cgroup.procs", "99999999"), ESRCH);
    CHECK_ERRNO(cg_write("t_move", "cgroup.procs", ""), EINVAL);
    CHECK_EQ(cg_rmdir("t_move"), 0);
}

static void *linger(void *unused)
{
    (void)unused;
    for (;;)
        pause();
    return NULL;
}

/* A process whose main thread has exited is still listed, moved and killed by its PID. */
static void main_thread_gone_process_stays(void)
{
    cg_fresh("t_thr");
    pid_t child = fork_or_fail();
    if (child == 0) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, linger, NULL) != 0)
            _exit(1);
        pthread_exit(NULL);
    }
    sleep_ms(100); /* the main thread exits */
    cg_move("t_thr", child);
    CHECK(cg_has("t_thr", child));
    CHECK(!cg_has(".", child));
    CHECK_EQ(atoi(cg_read("t_thr", "pids.current")), 1); /* the live thread */
    CHECK_EQ(cg_write("t_thr", "cgroup.kill", "1"), 0);
    CHECK_EQ(WTERMSIG(wait_status(child)), SIGKILL);
    cg_remove_when_empty("t_thr");
}

/* A group hands controllers to children, or holds processes: not both. */
static void no_internal_processes(void)
{
    cg_fresh("t_inner");
    CHECK_EQ(cg_write("t_inner", "cgroup.subtree_control", "+pids +memory"), 0);
    CHECK_STR(cg_read("t_inner", "cgroup.subtree_control"), "memory pids\n");
    cg_mkdir("t_inner/leaf");
    CHECK_STR(cg_read("t_inner/leaf", "cgroup.controllers"), "memory pids\n");
    struct stat st;
    CHECK_ERRNO(stat(CGROOT "/t_inner/leaf/cpu.max", &st), ENOENT); /* cpu not given */
    CHECK_EQ(stat(CGROOT "/t_inner/leaf/pids.max", &st), 0);
    pid_t sleeper = fork_sleeper();
    CHECK_ERRNO(cg_write("t_inner", "cgroup.procs", "0"), EBUSY);
    cg_move("t_inner/leaf", sleeper);
    CHECK_ERRNO(cg_write("t_inner/leaf", "cgroup.subtree_control", "+pids"), EBUSY);
    CHECK_ERRNO(cg_write("t_inner/leaf", "cgroup.subtree_control", "+cpu"), EINVAL); /* not ours */
    CHECK_EQ(kill(sleeper, SIGKILL), 0);
    wait_status(sleeper);
    cg_remove_when_empty("t_inner/leaf");
    CHECK_EQ(cg_write("t_inner", "cgroup.subtree_control", "-pids -memory"), 0);
    CHECK_STR(cg_read("t_inner", "cgroup.subtree_control"), "\n");
    CHECK_EQ(cg_rmdir("t_inner"), 0);
}

/* --- pids ------------------------------------------------------------------------------ */

static void fork_bomb_stops_at_pids_max(void)
{
    cg_fresh("t_pids");
    CHECK_EQ(cg_write("t_pids", "cgroup.subtree_control", "+pids"), 0);
    cg_mkdir("t_pids/bomb");
    CHECK_STR(cg_read("t_pids", "pids.max"), "max\n");
    CHECK_EQ(cg_write("t_pids", "pids.max", "20"), 0); /* the parent's limit holds below it */
    CHECK_STR(cg_read("t_pids", "pids.max"), "20\n");
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t bomb = fork_or_fail();
    if (bomb == 0) {
        close(fds[0]);
        if (cg_write("t_pids/bomb", "cgroup.procs", "0") < 0)
            _exit(100);
        int made = 0, error = 0;
        for (int i = 0; i < 200; i++) {
            pid_t pid = fork();
            if (pid == 0) {
                pause();
                _exit(0);
            }
            if (pid < 0) {
                error = errno;
                break;
            }
            made++;
        }
        char report[2] = {(char)made, (char)error};
        write(fds[1], report, 2);
        pause();
        _exit(0);
    }
    close(fds[1]);
    char report[2] = {0, 0};
    CHECK_EQ(read(fds[0], report, 2), 2);
    CHECK_EQ(report[0], 19); /* itself and 19 children */
    CHECK_EQ(report[1], EAGAIN);
    CHECK_EQ(atoi(cg_read("t_pids", "pids.current")), 20);
    CHECK(cg_key("t_pids", "pids.events", "max") >= 1);
    /* The rest of the system is untouched. */
    pid_t other = fork_or_fail();
    if (other == 0)
        _exit(7);
    CHECK_EQ(WEXITSTATUS(wait_status(other)), 7);
    CHECK_EQ(cg_write("t_pids/bomb", "cgroup.kill", "1"), 0);
    CHECK_EQ(WTERMSIG(wait_status(bomb)), SIGKILL);
    cg_remove_when_empty("t_pids/bomb");
    CHECK_EQ(atoi(cg_read("t_pids", "pids.current")), 0);
    CHECK_EQ(cg_rmdir("t_pids"), 0);
}

/* --- memory ---------------------------------------------------------------------------- */

static void leak_is_oom_killed_inside_its_group(void)
{
    cg_fresh("t_mem");
    CHECK_EQ(cg_write("t_mem", "memory.max", "8M"), 0);
    CHECK_STR(cg_read("t_mem", "memory.max"), "8388608\n");
    /* Nor swap: with a swap area the group would swap its leak out instead
     * (as on Linux), and this case is about the OOM killer. */
    CHECK_EQ(cg_write("t_mem", "memory.swap.max", "0"), 0);
    pid_t leak = fork_or_fail();
    if (leak == 0) {
        if (cg_write("t_mem", "cgroup.procs", "0") < 0)
            _exit(100);
        for (int i = 0; i < 64; i++) { /* 64 MiB, touched: far past the limit */
            volatile char *block = malloc(1 << 20);
            if (!block)
                _exit(101);
            for (int at = 0; at < 1 << 20; at += 4096)
                block[at] = (char)i;
        }
        _exit(102); /* not reached: the group's OOM killer took us */
    }
    int status = wait_status(leak);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
    CHECK_EQ(cg_key("t_mem", "memory.events", "oom_kill"), 1);
    CHECK(cg_key("t_mem", "memory.events", "oom") >= 1);
    CHECK(cg_key("t_mem", "memory.events", "max") >= 1);
    /* The kernel log names the group (read as dmesg does). */
    static char log[1 << 17];
    int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    CHECK(size > 0);
    int length = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log,
                         size < (int)sizeof log - 1 ? size : (int)sizeof log - 1);
    CHECK(length > 0);
    log[length] = '\0';
    CHECK(strstr(log, "oom_memcg=/t_mem") != NULL);
    char killed[64];
    snprintf(killed, sizeof killed, "Killed process %d (", leak);
    CHECK(strstr(log, killed) != NULL);
    /* Every page it was charged for came back with it. */
    CHECK_STR(cg_read("t_mem", "memory.current"), "0\n");
    CHECK_EQ(cg_rmdir("t_mem"), 0);
}

/* Pages are charged as they are touched and uncharged when freed. */
static void memory_current_follows_use(void)
{
    cg_fresh("t_memcur");
    int to_child[2], to_parent[2];
    CHECK_EQ(pipe(to_child), 0);
    CHECK_EQ(pipe(to_parent), 0);
    pid_t child = fork_or_fail();
    if (child == 0) {
        char c = 0;
        if (cg_write("t_memcur", "cgroup.procs", "0") < 0)
            _exit(100);
        write(to_parent[1], &c, 1);
        read(to_child[0], &c, 1);
        volatile char *block = malloc(4 << 20); /* volatile: the stores must happen */
        for (int i = 0; i < 4 << 20; i += 4096)
            block[i] = 1;
        write(to_parent[1], &c, 1);
        read(to_child[0], &c, 1);
        _exit(0);
    }
    char c = 0;
    CHECK_EQ(read(to_parent[0], &c, 1), 1);
    CHECK(cg_has("t_memcur", child));
    long before = atol(cg_read("t_memcur", "memory.current"));
    CHECK_EQ(write(to_child[1], &c, 1), 1);
    CHECK_EQ(read(to_parent[0], &c, 1), 1);
    long after = atol(cg_read("t_memcur", "memory.current"));
    if (after - before < 4 << 20)
        utest_fail(__FILE__, __LINE__, "memory.current %ld before 4 MiB were touched, %ld after",
                   before, after);
    CHECK_EQ(write(to_child[1], &c, 1), 1);
    CHECK_EQ(wait_status(child), 0);
    CHECK_STR(cg_read("t_memcur", "memory.current"), "0\n");
    CHECK_EQ(cg_rmdir("t_memcur"), 0);
}

/* A hog in its group (spins until killed). */
static pid_t spin_in(const char *group)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        cg_write(group, "cgroup.procs", "0");
        for (volatile unsigned long i = 0;; i++)
            ;
    }
    for (int i = 0; i < 200 && !cg_has(group, pid); i++)
        sleep_ms(5);
    CHECK(cg_has(group, pid));
    return pid;
}

/* --- cpu ------------------------------------------------------------------------------- */

static void hog_under_cpu_max_gets_half(void)
{
    cg_fresh("t_cpu");
    CHECK_STR(cg_read("t_cpu", "cpu.max"), "max 100000\n");
    CHECK_EQ(cg_write("t_cpu", "cpu.max", "50000 100000"), 0);
    CHECK_STR(cg_read("t_cpu", "cpu.max"), "50000 100000\n");
    pid_t hog = spin_in("t_cpu");
    long usage0 = cg_key("t_cpu", "cpu.stat", "usage_usec");
    double start = now_seconds();
    sleep_ms(600);
    long usage = cg_key("t_cpu", "cpu.stat", "usage_usec") - usage0;
    double elapsed_us = (now_seconds() - start) * 1e6;
    long throttled = cg_key("t_cpu", "cpu.stat", "nr_throttled");
    CHECK_EQ(kill(hog, SIGKILL), 0);
    CHECK_EQ(WTERMSIG(wait_status(hog)), SIGKILL);
    /* Alone on the CPU it would take nearly all of it; the quota allows half. */
    if (!(usage < elapsed_us * 0.75 && usage > elapsed_us * 0.2))
        utest_fail(__FILE__, __LINE__, "usage %ld us in %.0f us", usage, elapsed_us);
    CHECK(throttled > 0);
    CHECK(cg_key("t_cpu", "cpu.stat", "nr_periods") >= throttled);
    CHECK(cg_key("t_cpu", "cpu.stat", "throttled_usec") > 0);
    cg_remove_when_empty("t_cpu");
}

/* cpu.weight is a share: under rr a longer slice, under cfs a heavier weight. */
static void cpu_weight_shares_the_cpu(void)
{
    cg_fresh("t_heavy");
    cg_fresh("t_light");
    CHECK_EQ(cg_write("t_heavy", "cpu.weight", "300"), 0);
    /* A share matters only where the two compete: on one CPU.  (With two,
     * each hog would have a CPU of its own, on Linux as on sprout.)  The
     * hogs inherit the mask. */
    cpu_set_t saved, one;
    CHECK_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    CHECK_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    pid_t heavy = spin_in("t_heavy"), light = spin_in("t_light");
    CHECK_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
    long heavy0 = cg_key("t_heavy", "cpu.stat", "usage_usec");
    long light0 = cg_key("t_light", "cpu.stat", "usage_usec");
    sleep_ms(600);
    long heavy_used = cg_key("t_heavy", "cpu.stat", "usage_usec") - heavy0;
    long light_used = cg_key("t_light", "cpu.stat", "usage_usec") - light0;
    kill(heavy, SIGKILL);
    kill(light, SIGKILL);
    wait_status(heavy);
    wait_status(light);
    /* 3 : 1 expected under rr and cfs (other policies ignore cpu.weight:
     * docs/cgroups.md); a loose bound, not a timing. */
    char sched[256] = "";
    int fd = open("/proc/sched", O_RDONLY);
    if (fd >= 0) {
        read_all(fd, sched, sizeof sched);
        close(fd);
    }
    if (is_sprout() && strncmp(sched, "policy rr:", 10) != 0 &&
        strncmp(sched, "policy cfs:", 11) != 0)
        heavy_used = 3 * light_used;
    if (!(heavy_used > 2 * light_used && heavy_used < 5 * light_used))
        utest_fail(__FILE__, __LINE__, "weight 300 used %ld us, weight 100 used %ld us", heavy_used,
                   light_used);
    cg_remove_when_empty("t_heavy");
    cg_remove_when_empty("t_light");
}

/* --- bad input ------------------------------------------------------------------------- */

static void garbage_writes_are_einval(void)
{
    cg_fresh("t_bad");
    static const struct {
        const char *file, *text;
    } bad[] = {
        {"pids.max", "abc"},
        {"pids.max", "-5"},
        {"pids.max", ""},
        {"pids.max", "10x"},
        {"memory.max", "12Q"},
        {"memory.max", "max2"},
        {"memory.max", ""},
        {"memory.max", "-1"},
        {"cpu.max", "abc"},
        {"cpu.max", "50000 abc"},
        {"cpu.max", "50000 100"},
        {"cpu.max", "0 100000"},
        {"cpu.max", ""},
        {"cpu.weight", "0"},
        {"cpu.weight", "10001"},
        {"cpu.weight", "x"},
        {"cgroup.subtree_control", "+bogus"},
        {"cgroup.subtree_control", "pids"},
        {"cgroup.kill", "2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        if (cg_write("t_bad", bad[i].file, bad[i].text) != -1 || errno != EINVAL)
            utest_fail(__FILE__, __LINE__, "writing \"%s\" to %s: errno %d, want EINVAL",
                       bad[i].text, bad[i].file, errno);
    }
    /* Nothing changed. */
    CHECK_STR(cg_read("t_bad", "pids.max"), "max\n");
    CHECK_STR(cg_read("t_bad", "memory.max"), "max\n");
    CHECK_STR(cg_read("t_bad", "cpu.max"), "max 100000\n");
    CHECK_STR(cg_read("t_bad", "cpu.weight"), "100\n");
    /* Good values, each in its accepted forms. */
    CHECK_EQ(cg_write("t_bad", "memory.max", "64k"), 0);
    CHECK_STR(cg_read("t_bad", "memory.max"), "65536\n");
    CHECK_EQ(cg_write("t_bad", "memory.max", "max\n"), 0);
    CHECK_STR(cg_read("t_bad", "memory.max"), "max\n");
    CHECK_EQ(cg_write("t_bad", "cpu.max", "20000"), 0);
    CHECK_STR(cg_read("t_bad", "cpu.max"), "20000 100000\n");
    CHECK_EQ(cg_write("t_bad", "cpu.max", "max 50000"), 0);
    CHECK_STR(cg_read("t_bad", "cpu.max"), "max 50000\n");
    CHECK_EQ(cg_write("t_bad", "cpu.weight", "250"), 0);
    CHECK_STR(cg_read("t_bad", "cpu.weight"), "250\n");
    /* Read-only and write-only files. */
    CHECK_ERRNO(open(CGROOT "/t_bad/memory.current", O_WRONLY), EACCES);
    CHECK_ERRNO(open(CGROOT "/t_bad/cgroup.kill", O_RDONLY), EINVAL);
    char big[200];
    memset(big, '1', sizeof big);
    int fd = open(CGROOT "/t_bad/pids.max", O_WRONLY);
    CHECK(fd >= 0);
    CHECK_ERRNO(write(fd, big, sizeof big), EINVAL);
    CHECK_ERRNO(write(fd, (void *)16, 4), EFAULT);
    close(fd);
    CHECK_EQ(cg_rmdir("t_bad"), 0);
}

#define STUDENT 1000

static void non_root_moves_follow_delegation(void)
{
    cg_fresh("t_perm");
    CHECK_EQ(cg_write("t_perm", "cgroup.subtree_control", "+pids"), 0);
    cg_mkdir("t_perm/a");
    cg_mkdir("t_perm/b");
    CHECK_EQ(chown(CGROOT "/t_perm", STUDENT, STUDENT), 0); /* delegated to the student */
    CHECK_EQ(chown(CGROOT "/t_perm/a", STUDENT, STUDENT), 0);
    CHECK_EQ(chown(CGROOT "/t_perm/b", STUDENT, STUDENT), 0);
    pid_t roots = fork_sleeper();
    cg_move("t_perm/a", roots);
    pid_t child = fork_or_fail();
    if (child == 0) {
        if (cg_write("t_perm/a", "cgroup.procs", "0") < 0 || setgid(STUDENT) < 0 ||
            setuid(STUDENT) < 0)
            _exit(100);
        /* Inside the delegated subtree: allowed. */
        if (cg_write("t_perm/b", "cgroup.procs", "0") < 0)
            _exit(1);
        /* Another user's process: EPERM. */
        char text[16];
        snprintf(text, sizeof text, "%d", roots);
        if (cg_write("t_perm/b", "cgroup.procs", text) != -1 || errno != EPERM)
            _exit(2);
        /* Out of the subtree: the root group's files are root's. */
        if (cg_write(".", "cgroup.procs", "0") != -1 || errno != EACCES)
            _exit(3);
        if (cg_write(".", "cgroup.subtree_control", "-cpu") != -1 || errno != EACCES)
            _exit(4);
        if (mount("cgroup2", "/tmp", "cgroup2", 0, NULL) != -1 || errno != EPERM)
            _exit(5);
        _exit(0);
    }
    CHECK_EQ(wait_status(child), 0);
    CHECK(cg_has("t_perm/a", roots));
    CHECK_EQ(kill(roots, SIGKILL), 0);
    wait_status(roots);
    cg_remove_when_empty("t_perm/a");
    cg_remove_when_empty("t_perm/b");
    CHECK_EQ(cg_rmdir("t_perm"), 0);
}

/* --- leaks ----------------------------------------------------------------------------- */

static void churn_groups(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        CHECK_EQ(mkdir(CGROOT "/t_churn", 0755), 0);
        CHECK_EQ(rmdir(CGROOT "/t_churn"), 0);
    }
}

/* sprout tags each charged frame with a one-byte group id: 255 groups at once. */
static void too_many_groups_is_enospc(void)
{
    if (!is_sprout())
        return;
    char name[32];
    int made = 0;
    for (; made < 300; made++) {
        snprintf(name, sizeof name, "%s/t_many%d", CGROOT, made);
        if (mkdir(name, 0755) < 0)
            break;
    }
    int error = errno;
    for (int i = 0; i < made; i++) {
        snprintf(name, sizeof name, "%s/t_many%d", CGROOT, i);
        CHECK_EQ(rmdir(name), 0);
    }
    CHECK(made >= 200 && made < 300);
    CHECK_EQ(error, ENOSPC);
    CHECK_EQ(mkdir(CGROOT "/t_many", 0755), 0); /* the ids came back */
    CHECK_EQ(rmdir(CGROOT "/t_many"), 0);
}

static void thousand_mkdir_rmdir_leak_nothing(void)
{
    cg_rmdir("t_churn");
    check_churn_leaks_nothing(churn_groups, 1000);
}

/*
 * cgroup.procs is numbered by the reader's PID namespace, as on Linux: inside
 * a new namespace its PID 1 reads itself as 1 and a process outside as 0, and
 * a PID written there is looked up in that namespace.
 */
static void procs_follow_the_readers_pid_namespace(void)
{
    cg_fresh("t_pidns");
    pid_t outside = fork_sleeper();
    cg_move("t_pidns", outside);
    pid_t boxed = fork_or_fail();
    if (boxed == 0) {
        if (unshare(CLONE_NEWPID) != 0)
            _exit(10);
        pid_t init = fork();
        if (init == 0) { /* PID 1 of the new namespace */
            if (cg_write("t_pidns", "cgroup.procs", "0") != 0)
                _exit(11);
            char text[256];
            snprintf(text, sizeof text, "%s", cg_read("t_pidns", "cgroup.procs"));
            if (strcmp(text, "0\n1\n") != 0 && strcmp(text, "1\n0\n") != 0)
                _exit(12);
            char host_pid[16];
            snprintf(host_pid, sizeof host_pid, "%d", outside);
            if (cg_write("t_pidns", "cgroup.procs", host_pid) != -1 || errno != ESRCH)
                _exit(13); /* not a PID in this namespace */
            if (cg_write("t_pidns", "cgroup.procs", "1") != 0)
                _exit(14);
            _exit(0);
        }
        int status;
        if (init < 0 || waitpid(init, &status, 0) != init)
            _exit(15);
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 16);
    }
    int status = wait_status(boxed);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    CHECK(cg_has("t_pidns", outside)); /* the initial namespace sees real PIDs */
    kill(outside, SIGKILL);
    wait_status(outside);
    cg_remove_when_empty("t_pidns");
}

static const struct utest_case cases[] = {
    UTEST(mounted_with_the_root_group),
    UTEST(mkdir_rmdir_and_ebusy),
    UTEST(moving_processes_and_inheritance),
    UTEST(no_internal_processes),
    UTEST(main_thread_gone_process_stays),
    UTEST(fork_bomb_stops_at_pids_max),
    UTEST(leak_is_oom_killed_inside_its_group),
    UTEST(memory_current_follows_use),
    UTEST(hog_under_cpu_max_gets_half),
    UTEST(cpu_weight_shares_the_cpu),
    UTEST(garbage_writes_are_einval),
    UTEST(non_root_moves_follow_delegation),
    UTEST(too_many_groups_is_enospc),
    UTEST(thousand_mkdir_rmdir_leak_nothing),
    UTEST(procs_follow_the_readers_pid_namespace),
};
UTEST_MAIN("cgroup", cases)
