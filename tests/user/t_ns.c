/*
 * t_ns.c - namespaces (proc/ns.c, proc/ns_pid.c): unshare, setns, clone's
 * CLONE_NEW* flags and Linux's rules for them; a box's own host name; PID
 * namespaces (PID 1 inside, orphans, the namespace dying with its PID 1, /proc
 * showing only the namespace); chroot and a fresh /proc mount; and no leak
 * after a thousand namespaces.  Runs as root (the user-test runner).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include "tests/user/leaktest.h"
#include "tests/user/utest.h"

#define STUDENT 1000

static long raw_clone(unsigned long flags) { return syscall(SYS_clone, flags, 0, 0, 0, 0); }

/* Run fn in a child and return its exit code (fn's return value). */
static int in_child(int (*fn)(void))
{
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(fn());
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void unshare_rejects_unknown_flags(void)
{
    CHECK_ERRNO(unshare(CLONE_VFORK), EINVAL);
    CHECK_ERRNO(unshare(CLONE_SETTLS), EINVAL);
    CHECK_EQ(unshare(0), 0);
    CHECK_EQ(unshare(CLONE_FILES), 0); /* a single thread: nothing to do */
}

static void clone_rejects_linux_bad_combinations(void)
{
    /* Each fails before anything is made, so the shared stack is never used. */
    CHECK_ERRNO(raw_clone(CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM), EINVAL);
    CHECK_ERRNO(raw_clone(CLONE_NEWNS | CLONE_FS | SIGCHLD), EINVAL);
}

static void *wait_on_pipe(void *fd)
{
    char c;
    read(*(int *)fd, &c, 1);
    return NULL;
}

/* A second thread shares the root and cwd: no new mount namespace for one of them. */
static void unshare_newns_refuses_a_threaded_process(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, NULL, wait_on_pipe, &fds[0]), 0);
    CHECK_ERRNO(unshare(CLONE_NEWNS), EINVAL);
    CHECK_EQ(unshare(CLONE_NEWUTS), 0); /* per thread, as Linux */
    write(fds[1], "x", 1);
    CHECK_EQ(pthread_join(thread, NULL), 0);
    CHECK_EQ(unshare(CLONE_NEWNS), 0); /* alone again */
}

static int unprivileged(void)
{
    if (setuid(STUDENT) != 0)
        return 10;
    if (unshare(CLONE_NEWUTS) != -1 || errno != EPERM)
        return 11;
    if (unshare(CLONE_NEWPID) != -1 || errno != EPERM)
        return 12;
    if (raw_clone(CLONE_NEWPID | SIGCHLD) != -1 || errno != EPERM)
        return 13;
    if (raw_clone(CLONE_NEWNS | SIGCHLD) != -1 || errno != EPERM)
        return 14;
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    if (fd < 0 || setns(fd, CLONE_NEWUTS) != -1 || errno != EPERM)
        return 15;
    if (sethostname("x", 1) != -1 || errno != EPERM)
        return 16;
    if (chroot("/tmp") != -1 || errno != EPERM)
        return 17;
    if (mount("proc", "/tmp", "proc", 0, NULL) != -1 || errno != EPERM)
        return 18;
    if (syscall(SYS_pivot_root, "/tmp", "/tmp") != -1 || errno != EPERM)
        return 19;
    return 0;
}

static void unprivileged_gets_eperm(void) { CHECK_EQ(in_child(unprivileged), 0); }

static int rename_inside(void)
{
    if (unshare(CLONE_NEWUTS) != 0)
        return 10;
    if (sethostname("inside-box", 10) != 0 || setdomainname("boxdomain", 9) != 0)
        return 11;
    struct utsname u;
    uname(&u);
    return strcmp(u.nodename, "inside-box") == 0 && strcmp(u.domainname, "boxdomain") == 0 ? 0 : 12;
}

static void uts_namespace_keeps_the_host_name(void)
{
    struct utsname before, after;
    CHECK_EQ(uname(&before), 0);
    CHECK_EQ(in_child(rename_inside), 0);
    CHECK_EQ(uname(&after), 0);
    CHECK_STR(after.nodename, before.nodename);
    CHECK_STR(after.domainname, before.domainname);
    CHECK_ERRNO(setdomainname("x", 65), EINVAL);
    CHECK_ERRNO(setdomainname("x", -1), EINVAL);
    CHECK_ERRNO(setdomainname((const char *)1, 3), EFAULT);
}

static void setns_joins_and_checks_its_arguments(void)
{
    char link_before[64] = "", link_after[64] = "";
    CHECK(readlink("/proc/self/ns/uts", link_before, sizeof link_before - 1) > 0);
    CHECK(strncmp(link_before, "uts:[", 5) == 0);
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    CHECK(fd >= 0);
    struct utsname host, u;
    uname(&host);
    CHECK_EQ(unshare(CLONE_NEWUTS), 0);
    CHECK(readlink("/proc/self/ns/uts", link_after, sizeof link_after - 1) > 0);
    CHECK(strcmp(link_before, link_after) != 0);
    CHECK_EQ(sethostname("elsewhere", 9), 0);
    CHECK_ERRNO(setns(fd, CLONE_NEWPID), EINVAL); /* the wrong kind */
    CHECK_ERRNO(setns(fd, 12345), EINVAL);        /* no kind at all */
    CHECK_EQ(setns(fd, CLONE_NEWUTS), 0);         /* back to the host's */
    uname(&u);
    CHECK_STR(u.nodename, host.nodename);
    CHECK_ERRNO(setns(-1, 0), EBADF);
    CHECK_ERRNO(setns(999, 0), EBADF);
    int root = open("/", O_RDONLY);
    CHECK_ERRNO(setns(root, 0), EINVAL); /* not a namespace file */
    char pid_link[64] = "";
    CHECK(readlink("/proc/self/ns/pid", pid_link, sizeof pid_link - 1) > 0);
    CHECK(strncmp(pid_link, "pid:[", 5) == 0);
    close(root);
    close(fd);
}

/* clone3 takes the same flags, with the same rules. */
static void clone3_makes_namespaces_too(void)
{
    struct {
        unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    } args = {.flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS,
              .exit_signal = SIGCHLD};
    long pid = syscall(435, &args, sizeof args); /* clone3 */
    if (pid == 0)
        _exit(getpid() == 1 ? 0 : 1);
    CHECK(pid > 1);
    int status = wait_status((pid_t)pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    args.flags = CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
    args.exit_signal = 0;
    CHECK_ERRNO(syscall(435, &args, sizeof args), EINVAL);
    args.flags = CLONE_NEWNS | CLONE_FS;
    args.exit_signal = SIGCHLD;
    CHECK_ERRNO(syscall(435, &args, sizeof args), EINVAL);
}

/* In a new PID namespace, report getpid/getppid through a pipe. */
static void first_child_is_pid_1(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    CHECK_EQ(unshare(CLONE_NEWPID), 0);
    CHECK(getpid() > 1); /* the caller itself does not move */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int ids[2] = {getpid(), getppid()};
        write(fds[1], ids, sizeof ids);
        _exit(0);
    }
    int ids[2] = {-1, -1};
    CHECK_EQ(read(fds[0], ids, sizeof ids), (ssize_t)sizeof ids);
    CHECK_EQ(ids[0], 1); /* PID 1 inside */
    CHECK_EQ(ids[1], 0); /* its parent is outside: 0 */
    CHECK(pid > 1);      /* and a host PID out here */
    int status = 0;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    /* PID 1 is gone: the namespace takes no new process. */
    CHECK_ERRNO(fork(), ENOMEM);
    CHECK_ERRNO(unshare(CLONE_NEWPID), EINVAL); /* one pending namespace at a time */
}

static void clone_newpid_child_sees_pid_1(void)
{
    long pid = raw_clone(CLONE_NEWPID | CLONE_NEWUTS | SIGCHLD);
    if (pid == 0)
        _exit(getpid() == 1 && getppid() == 0 ? 0 : 1);
    CHECK(pid > 1);
    int status = wait_status((pid_t)pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* As PID 1: a grandchild orphaned by its parent comes to us. */
static int adopt_orphan(void)
{
    pid_t middle = fork();
    if (middle == 0) {
        pid_t orphan = fork();
        if (orphan == 0) {
            for (int i = 0; i < 500 && getppid() != 1; i++)
                usleep(10000);
            _exit(getppid() == 1 ? 42 : 1);
        }
        _exit(orphan);
    }
    int status;
    if (waitpid(middle, &status, 0) != middle || !WIFEXITED(status))
        return 10;
    pid_t orphan = WEXITSTATUS(status);
    if (waitpid(orphan, &status, 0) != orphan) /* ours now */
        return 11;
    return WIFEXITED(status) && WEXITSTATUS(status) == 42 ? 0 : 12;
}

static void pid_1_adopts_orphans_in_its_namespace(void)
{
    CHECK_EQ(unshare(CLONE_NEWPID), 0);
    CHECK_EQ(in_child(adopt_orphan), 0);
}

static void pid_1_exit_kills_the_namespace(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    CHECK_EQ(unshare(CLONE_NEWPID), 0);
    pid_t init = fork_or_fail();
    if (init == 0) {
        for (int i = 0; i < 3; i++)
            if (fork() == 0) {
                signal(SIGTERM, SIG_IGN);
                for (;;)
                    pause(); /* holds the pipe's write end until killed */
            }
        _exit(7);
    }
    close(fds[1]);
    int status = wait_status(init);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    /* PID 1 is reported only after the others are gone (Linux's
     * zap_pid_ns_processes): no writer is left, at once. */
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    char c;
    CHECK_EQ(read(fds[0], &c, 1), 0);
}

/* As PID 1 of a new namespace: /proc lists us alone, by our namespace's numbers. */
static int proc_inside(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 10;
    int numbered = 0, one = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
            numbered++;
            one += strcmp(e->d_name, "1") == 0;
        }
    }
    closedir(d);
    if (numbered != 1 || one != 1)
        return 11;
    char self[16] = "";
    if (readlink("/proc/self", self, sizeof self - 1) <= 0 || strcmp(self, "1") != 0)
        return 12;
    if (kill(getppid() ? getppid() : 99999, 0) == 0)
        return 13; /* nothing outside has a number here */
    char text[2048];
    int fd = open("/proc/1/status", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (n <= 0)
        return 14;
    text[n] = '\0';
    return strstr(text, "\nPid:\t1\n") && strstr(text, "\nNSpid:\t1\n") ? 0 : 15;
}

static void proc_shows_only_the_namespace(void)
{
    CHECK_EQ(unshare(CLONE_NEWPID), 0);
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        char c;
        read(fds[0], &c, 1); /* wait until the host has looked */
        _exit(proc_inside());
    }
    /* From outside: both numbers, host first. */
    char path[64], text[2048], want[64];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, text, sizeof text - 1);
    CHECK(n > 0);
    text[n] = '\0';
    close(fd);
    snprintf(want, sizeof want, "\nNSpid:\t%d\t1\n", pid);
    CHECK(strstr(text, want) != NULL);
    write(fds[1], "x", 1);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static void chroot_changes_the_root(void)
{
    CHECK_ERRNO(chroot("/no/such/dir"), ENOENT);
    CHECK_ERRNO(chroot("/proc/self/status"), ENOTDIR);
    CHECK_ERRNO(chroot((const char *)1), EFAULT);
    mkdir("/tmp/nsroot", 0755);
    mkdir("/tmp/nsroot/inner", 0755);
    struct stat inner;
    CHECK_EQ(stat("/tmp/nsroot/inner", &inner), 0);
    CHECK_EQ(chroot("/tmp/nsroot"), 0);
    CHECK_EQ(chdir("/"), 0);
    struct stat st;
    CHECK_EQ(stat("/inner", &st), 0);
    CHECK_EQ(st.st_ino, inner.st_ino);
    CHECK_EQ(stat("/../../inner", &st), 0); /* ".." stops at the new root */
    CHECK_EQ(st.st_ino, inner.st_ino);
    CHECK_ERRNO(stat("/tmp", &st), ENOENT);
    char cwd[64];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_STR(cwd, "/");
}

static void proc_mounts_again_and_unmounts(void)
{
    mkdir("/tmp/nsproc", 0755);
    CHECK_ERRNO(mount("proc", "/no/such", "proc", 0, NULL), ENOENT);
    CHECK_EQ(mount("proc", "/tmp/nsproc", "proc", 0, NULL), 0);
    CHECK_ERRNO(mount("proc", "/tmp/nsproc", "proc", 0, NULL), EBUSY);
    struct stat st;
    CHECK_EQ(stat("/tmp/nsproc/self/status", &st), 0);
    CHECK_EQ(umount2("/tmp/nsproc", 0), 0);
    CHECK_ERRNO(stat("/tmp/nsproc/self", &st), ENOENT);
}

/* In a new mount namespace: a private /proc, then pivot_root into /tmp/pv. */
static int pivot_inside(int go_fd, int done_fd)
{
    struct stat st;
    if (unshare(CLONE_NEWNS) != 0)
        return 10;
    if (mount("proc", "/tmp/pv/proc", "proc", 0, NULL) != 0)
        return 11;
    if (stat("/tmp/pv/proc/self/status", &st) != 0)
        return 12;
    write(done_fd, "m", 1); /* the host looks: it must not see our mount */
    char c;
    if (read(go_fd, &c, 1) != 1)
        return 13;
    if (syscall(SYS_pivot_root, "/tmp/pv", "/tmp") != -1 || errno != EINVAL)
        return 14; /* put_old outside new_root */
    if (syscall(SYS_pivot_root, "/tmp/pv", "/tmp/pv/proc/self/status") != -1 || errno != ENOTDIR)
        return 15;
    if (syscall(SYS_pivot_root, "/tmp/pv", (char *)1) != -1 || errno != EFAULT)
        return 21;
    if (syscall(SYS_pivot_root, "/tmp/pv", "/tmp/pv/old") != 0)
        return 16;
    if (chdir("/") != 0 || stat("/proc/self/status", &st) != 0)
        return 17; /* our /proc, at the new root's /proc */
    if (stat("/old/bin/sh", &st) != 0)
        return 18; /* the old root, under put_old */
    if (umount2("/old", MNT_DETACH) != 0 || stat("/old/bin/sh", &st) == 0)
        return 19;
    return stat("/tmp/pv", &st) == 0 ? 20 : 0; /* nothing above the new root */
}

static void pivot_root_and_private_mounts(void)
{
    CHECK_ERRNO(syscall(SYS_pivot_root, "/tmp", "/tmp"), EINVAL); /* not in the first namespace */
    mkdir("/tmp/pv", 0755);
    mkdir("/tmp/pv/proc", 0755);
    mkdir("/tmp/pv/old", 0755);
    int go[2], done[2];
    CHECK_EQ(pipe(go), 0);
    CHECK_EQ(pipe(done), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0)
        _exit(pivot_inside(go[0], done[1]));
    char c;
    CHECK_EQ(read(done[0], &c, 1), 1);
    struct stat st;
    CHECK_ERRNO(stat("/tmp/pv/proc/self", &st), ENOENT); /* the box's mount is its own */
    write(go[1], "g", 1);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* `rounds` boxes: a PID 1 in new PID, UTS, mount and IPC namespaces, with a
 * /proc of its own, that exits at once; and as many unshares. */
static void churn_namespaces(int rounds)
{
    mkdir("/tmp/nschurn", 0755);
    for (int i = 0; i < rounds; i++)
        CHECK_EQ(unshare(CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC), 0);
    for (int i = 0; i < rounds; i++) {
        long pid = raw_clone(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC | SIGCHLD);
        if (pid == 0)
            _exit(mount("proc", "/tmp/nschurn", "proc", 0, NULL) == 0 ? 0 : 1);
        CHECK(pid > 0);
        int status = -1;
        CHECK_EQ(waitpid((pid_t)pid, &status, 0), (pid_t)pid);
        CHECK_EQ(status, 0);
    }
}

static void thousand_namespaces_leak_nothing(void)
{
    check_churn_leaks_nothing(churn_namespaces, 1000);
}

/* The box tool (user/box.c) on the initrd's /box/root: ps inside shows the box alone. */
static void box_run_shows_only_the_box(void)
{
    if (access("/bin/box", X_OK) != 0 || access("/box/root/bin/ps", X_OK) != 0)
        return; /* not sprout's initrd (Linux) */
    char out[2048] = "";
    char *argv[] = {"box", "run", "--hostname", "web", "/box/root", "/bin/ps", NULL};
    int status = run_capture("/bin/box", argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strstr(out, "\n    1     0 ") != NULL); /* ps is PID 1, its parent outside */
    int lines = 0;
    for (char *c = out; *c; c++)
        lines += *c == '\n';
    CHECK_EQ(lines, 2); /* the header and ps: nothing of the host */
    char *host_argv[] = {"box", "run", "--hostname", "web", "/box/root", "/bin/hostname", NULL};
    status = run_capture("/bin/box", host_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_STR(out, "web\n");
    char *bad_argv[] = {"box", "run", "--pids", "20", "/box/root", "/bin/ps", NULL};
    status = run_capture("/bin/box", bad_argv, NULL, out, sizeof out);
    struct stat st;
    if (stat("/sys/fs/cgroup", &st) != 0) /* no cgroups: a clear error, not a box */
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

/*
 * box run's limits are control groups (/sys/fs/cgroup/box-NAME): a leak under
 * --memory is OOM-killed inside the box, a fork bomb under --pids meets EAGAIN
 * at the limit and cleans up, and the host goes on.
 */
static void box_limits_are_cgroups(void)
{
    struct stat st;
    if (access("/bin/box", X_OK) != 0 || access("/box/root/bin/leak", X_OK) != 0 ||
        stat("/sys/fs/cgroup/cgroup.procs", &st) != 0)
        return; /* not sprout's initrd, or no cgroups */
    char out[4096] = "";
    char *leak_argv[] = {"box",       "run",       "--name", "t_ns_leak", "--memory", "8M",
                         "/box/root", "/bin/leak", "1",      "64",        NULL};
    int status = run_capture("/bin/box", leak_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 128 + SIGKILL); /* the box's PID 1 was OOM-killed */
    CHECK(strstr(out, "reached 64 MiB") == NULL);
    CHECK_ERRNO(stat("/sys/fs/cgroup/box-t_ns_leak", &st), ENOENT); /* box removed its group */

    char *bomb_argv[] = {"box", "run",       "--name",        "t_ns_bomb", "--pids",
                         "10",  "/box/root", "/bin/forkbomb", "400",       NULL};
    status = run_capture("/bin/box", bomb_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *failed = strstr(out, "fork failed: EAGAIN after ");
    CHECK(failed != NULL);
    int forked = -1;
    CHECK_EQ(sscanf(failed, "fork failed: EAGAIN after %d", &forked), 1);
    CHECK(forked > 0 && forked < 10); /* stopped by pids.max, not by RLIMIT_NPROC's 400 */
    pid_t pid = fork();               /* and the host can still fork */
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(0);
    CHECK_EQ(wait_status(pid), 0);
}

/* Start `box run --name NAME /box/root CMD...` and wait until box ps lists it. */
static pid_t start_box(const char *name, char *const cmd[], const char *listed_as)
{
    pid_t runner = fork_or_fail();
    if (runner == 0) {
        char *argv[16] = {"box", "run", "--name", (char *)name, "/box/root"};
        for (int i = 0; cmd[i] && i < 10; i++)
            argv[5 + i] = cmd[i];
        execv("/bin/box", argv);
        _exit(127);
    }
    int listed = 0;
    for (int i = 0; i < 200 && !listed; i++) {
        char out[1024] = "";
        char *argv[] = {"box", "ps", NULL};
        run_capture("/bin/box", argv, NULL, out, sizeof out);
        listed = strstr(out, name) && strstr(out, listed_as);
        if (!listed)
            sleep_ms(20);
    }
    CHECK(listed);
    return runner;
}

/* box stop: a PID 1 without a SIGTERM handler does not hear it; SIGKILL follows. */
static void box_stop_kills_after_the_grace_time(void)
{
    if (access("/bin/box", X_OK) != 0 || access("/box/root/bin/sleep", X_OK) != 0)
        return;
    char *cmd[] = {"/bin/sleep", "100", NULL};
    pid_t runner = start_box("t_ns_stop", cmd, "/bin/sleep 100");
    char out[256] = "";
    char *stop_argv[] = {"box", "stop", "-t", "1", "t_ns_stop", NULL};
    int status = run_capture("/bin/box", stop_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strstr(out, "SIGKILL") != NULL);
    status = wait_status(runner);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 128 + SIGKILL); /* box run reports how PID 1 died */
    char *bad_argv[] = {"box", "stop", "no-such-box", NULL};
    status = run_capture("/bin/box", bad_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

/* box stop: a PID 1 that handles SIGTERM shuts down in its own way, no SIGKILL. */
static void box_stop_lets_a_graceful_pid_1_finish(void)
{
    if (access("/bin/box", X_OK) != 0 || access("/box/root/bin/sh", X_OK) != 0)
        return;
    char *cmd[] = {"/bin/sh", "-c",
                   "trap 'exit 0' TERM; : > /t_ns_grace_ready; while :; do sleep 1; done", NULL};
    pid_t runner = start_box("t_ns_grace", cmd, "trap");
    /* Listed once exec'd, but the trap may not be set yet: wait until the shell says so.
     * Without the trap, SIGTERM would not reach a namespace's PID 1 and box stop
     * would end in SIGKILL; so a shell that never got ready is its own failure. */
    int ready = 0;
    for (int i = 0; i < 500 && !ready; i++) {
        ready = access("/box/root/t_ns_grace_ready", F_OK) == 0;
        if (!ready)
            sleep_ms(10);
    }
    if (!ready)
        utest_fail(__FILE__, __LINE__, "the box's shell did not set its trap within 5 s");
    unlink("/box/root/t_ns_grace_ready");
    char out[256] = "";
    char *stop_argv[] = {"box", "stop", "-t", "20", "t_ns_grace", NULL};
    int status = run_capture("/bin/box", stop_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strstr(out, "SIGKILL") == NULL);
    status = wait_status(runner);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0); /* the trap's exit, not 128 + SIGKILL */
}

/* box run: a network namespace of its own by default (--net none), the
 * host's with --net host; box ps's registry gives PID 1's host PID. */
static void box_net_none_and_host(void)
{
    if (access("/bin/box", X_OK) != 0 || access("/box/root/bin/sleep", X_OK) != 0)
        return;
    char mine[64];
    ssize_t n = readlink("/proc/self/ns/net", mine, sizeof mine - 1);
    CHECK(n > 0);
    mine[n] = '\0';
    for (int host = 0; host <= 1; host++) {
        pid_t runner = fork_or_fail();
        if (runner == 0) {
            char *argv[] = {
                "box",       "run",        "--name", "t_ns_net", "--net", host ? "host" : "none",
                "/box/root", "/bin/sleep", "100",    NULL};
            execv("/bin/box", argv);
            _exit(127);
        }
        int pid = 0;
        for (int i = 0; i < 200 && pid <= 0; i++) {
            int fd = open("/tmp/box/t_ns_net", O_RDONLY);
            char line[64] = "";
            if (fd >= 0 && read(fd, line, sizeof line - 1) > 0)
                pid = atoi(line);
            if (fd >= 0)
                close(fd);
            if (pid <= 0)
                sleep_ms(20);
        }
        CHECK(pid > 0);
        char path[64], theirs[64];
        snprintf(path, sizeof path, "/proc/%d/ns/net", pid);
        n = readlink(path, theirs, sizeof theirs - 1);
        CHECK(n > 0);
        theirs[n] = '\0';
        CHECK_EQ(strcmp(theirs, mine) == 0, host);
        char out[256];
        char *stop_argv[] = {"box", "stop", "-t", "1", "t_ns_net", NULL};
        run_capture("/bin/box", stop_argv, NULL, out, sizeof out);
        wait_status(runner);
    }
    char out[256];
    char *bad_argv[] = {"box", "run", "--net", "bridge", "/box/root", "/bin/sleep", "1", NULL};
    int status = run_capture("/bin/box", bad_argv, NULL, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

static const struct utest_case cases[] = {
    UTEST(unshare_rejects_unknown_flags),
    UTEST(clone_rejects_linux_bad_combinations),
    UTEST(unshare_newns_refuses_a_threaded_process),
    UTEST(unprivileged_gets_eperm),
    UTEST(uts_namespace_keeps_the_host_name),
    UTEST(setns_joins_and_checks_its_arguments),
    UTEST(first_child_is_pid_1),
    UTEST(clone_newpid_child_sees_pid_1),
    UTEST(clone3_makes_namespaces_too),
    UTEST(pid_1_adopts_orphans_in_its_namespace),
    UTEST(pid_1_exit_kills_the_namespace),
    UTEST(proc_shows_only_the_namespace),
    UTEST(chroot_changes_the_root),
    UTEST(proc_mounts_again_and_unmounts),
    UTEST(pivot_root_and_private_mounts),
    UTEST(thousand_namespaces_leak_nothing),
    UTEST(box_run_shows_only_the_box),
    UTEST(box_limits_are_cgroups),
    UTEST(box_stop_kills_after_the_grace_time),
    UTEST(box_stop_lets_a_graceful_pid_1_finish),
    UTEST(box_net_none_and_host),
};
UTEST_MAIN("ns", cases)
