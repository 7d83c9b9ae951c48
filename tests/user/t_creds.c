/*
 * t_creds.c - user and group IDs: each set*id rule, -1 meaning "unchanged",
 * bad IDs, bad pointers and oversized group lists, fork and set-user-ID
 * exec, and the known ways to gain privileges refused.  Starts as root;
 * each case runs in its own process, so dropping privileges is local to it.
 * Runs on Linux too (as root).
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <fcntl.h>
#include <sched.h>
#include <grp.h>
#include <stdbool.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define STUDENT 1000
#define BAD_POINTER ((void *)8)

/* With CREDS_SHOW_IDS in the environment, the program prints its IDs and
 * AT_SECURE and exits: what a set-user-ID copy of it sees after exec. */
/* capget/capset's structures (linux/capability.h), version 3: two words. */
struct cap_header {
    unsigned version;
    int pid;
};
struct cap_data {
    unsigned effective, permitted, inheritable;
};
#define CAP_V1 0x19980330u
#define CAP_V3 0x20080522u
#define CAP_BIT(n) (1u << (n)) /* capabilities 0-31: the first word */
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_KILL 5
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_SYS_ADMIN 21
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24

static long capget_v3(int pid, struct cap_data data[2])
{
    struct cap_header h = {CAP_V3, pid};
    return syscall(SYS_capget, &h, data);
}
static long capset_v3(unsigned effective, unsigned permitted, unsigned inheritable)
{
    struct cap_header h = {CAP_V3, 0};
    struct cap_data d[2] = {{effective, permitted, inheritable}, {0, 0, 0}};
    return syscall(SYS_capset, &h, d);
}

/* Root's first word of capabilities: every bit on sprout; on Linux whatever
 * the machine gives root (a container may hold some back). */
static unsigned root_caps(void)
{
    struct cap_data d[2];
    CHECK_EQ(capget_v3(0, d), 0);
    if (is_sprout())
        CHECK_EQ(d[0].permitted, 0xffffffffu);
    return d[0].permitted;
}

/* "effective permitted" as the CREDS_SHOW_CAPS program prints them. */
static const char *caps_line(unsigned effective, unsigned permitted)
{
    static char line[32];
    snprintf(line, sizeof line, "%08x %08x\n", effective, permitted);
    return line;
}

/* With CREDS_SHOW_CAPS in the environment, the program prints its first
 * words of effective and permitted capabilities after exec. */
__attribute__((constructor)) static void show_caps_when_asked(void)
{
    if (!getenv("CREDS_SHOW_CAPS"))
        return;
    struct cap_data d[2];
    if (capget_v3(0, d) < 0)
        _exit(3);
    printf("%08x %08x\n", d[0].effective, d[0].permitted);
    fflush(stdout);
    _exit(0);
}

/* With CREDS_PAUSE in the environment, the program says "ready" and waits
 * to be killed: a running set-user-ID process for PTRACE_ATTACH to try. */
__attribute__((constructor)) static void pause_when_asked(void)
{
    if (!getenv("CREDS_PAUSE"))
        return;
    write(1, "ready\n", 6);
    for (;;)
        pause();
}

__attribute__((constructor)) static void show_ids_when_asked(void)
{
    if (!getenv("CREDS_SHOW_IDS"))
        return;
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    printf("%u %u %u %lu\n", r, e, s, getauxval(AT_SECURE));
    fflush(stdout);
    _exit(0);
}

static void check_uids(uid_t want_r, uid_t want_e, uid_t want_s)
{
    uid_t r, e, s;
    CHECK_EQ(getresuid(&r, &e, &s), 0);
    CHECK_EQ(r, want_r);
    CHECK_EQ(e, want_e);
    CHECK_EQ(s, want_s);
}

static void check_gids(gid_t want_r, gid_t want_e, gid_t want_s)
{
    gid_t r, e, s;
    CHECK_EQ(getresgid(&r, &e, &s), 0);
    CHECK_EQ(r, want_r);
    CHECK_EQ(e, want_e);
    CHECK_EQ(s, want_s);
}

static void become_student(void) { CHECK_EQ(setresuid(STUDENT, STUDENT, STUDENT), 0); }

static void root_has_every_id_zero(void)
{
    check_uids(0, 0, 0);
    check_gids(0, 0, 0);
    CHECK_EQ(getuid(), 0);
    CHECK_EQ(geteuid(), 0);
    CHECK_EQ(getgid(), 0);
    CHECK_EQ(getegid(), 0);
}

static void setuid_as_root_sets_all_three(void)
{
    CHECK_EQ(setuid(STUDENT), 0);
    check_uids(STUDENT, STUDENT, STUDENT);
    CHECK_EQ(setfsuid(-1), STUDENT); /* the filesystem UID followed */
    CHECK_ERRNO(setuid(0), EPERM);   /* and there is no way back */
}

static void setuid_unprivileged_moves_effective_only(void)
{
    CHECK_EQ(setresuid(STUDENT, 1001, 0), 0);
    check_uids(STUDENT, 1001, 0);
    CHECK_ERRNO(setuid(1002), EPERM); /* neither real nor saved */
    CHECK_EQ(setuid(STUDENT), 0);     /* the real one: effective only */
    check_uids(STUDENT, STUDENT, 0);
    CHECK_EQ(setuid(0), 0); /* the saved one: effective only */
    check_uids(STUDENT, 0, 0);
}

static void setuid_minus_one_is_einval(void)
{
    CHECK_ERRNO(setuid((uid_t)-1), EINVAL);
    CHECK_ERRNO(setgid((gid_t)-1), EINVAL);
    check_uids(0, 0, 0);
}

static void setreuid_rules(void)
{
    CHECK_EQ(setreuid(STUDENT, 1001), 0); /* the real one set: saved follows effective */
    check_uids(STUDENT, 1001, 1001);
    CHECK_EQ(setreuid(-1, STUDENT), 0); /* effective back to the old real: saved stays */
    check_uids(STUDENT, STUDENT, 1001);
    CHECK_ERRNO(setreuid(1001, -1), EPERM); /* real only from real or effective */
    CHECK_EQ(setreuid(-1, 1001), 0);        /* effective from the saved */
    check_uids(STUDENT, 1001, 1001);
    CHECK_EQ(setreuid(-1, -1), 0); /* nothing changes */
    check_uids(STUDENT, 1001, 1001);
    CHECK_ERRNO(setreuid(-1, 0), EPERM);
    CHECK_ERRNO(setreuid(0, -1), EPERM);
}

static void setresuid_rules(void)
{
    CHECK_EQ(setresuid(STUDENT, 1001, 1002), 0);
    check_uids(STUDENT, 1001, 1002);
    CHECK_EQ(setresuid(1002, STUDENT, 1001), 0); /* any permutation of the three */
    check_uids(1002, STUDENT, 1001);
    CHECK_EQ(setresuid(-1, -1, -1), 0);
    check_uids(1002, STUDENT, 1001);
    CHECK_EQ(setresuid(-1, 1002, -1), 0); /* -1: that one unchanged */
    check_uids(1002, 1002, 1001);
    CHECK_ERRNO(setresuid(0, -1, -1), EPERM);
    CHECK_ERRNO(setresuid(-1, 1003, -1), EPERM);
    check_uids(1002, 1002, 1001);
}

static void group_ids_follow_the_same_rules(void)
{
    CHECK_EQ(setresgid(100, 200, 300), 0);
    check_gids(100, 200, 300);
    CHECK_EQ(setregid(-1, 300), 0);
    check_gids(100, 300, 300);
    CHECK_EQ(setgid(50), 0); /* still root: all three */
    check_gids(50, 50, 50);
    CHECK_EQ(setresgid(100, 200, 300), 0);
    become_student(); /* without CAP_SETGID now */
    CHECK_ERRNO(setgid(0), EPERM);
    CHECK_ERRNO(setresgid(-1, 0, -1), EPERM);
    CHECK_ERRNO(setregid(0, -1), EPERM);
    CHECK_EQ(setgid(300), 0); /* the saved one */
    check_gids(100, 300, 300);
    CHECK_EQ(setfsgid(-1), 300);
}

static void setfsuid_returns_the_old_value(void)
{
    CHECK_EQ(setfsuid(1234), 0);
    CHECK_EQ(setfsuid(-1), 1234); /* -1 only asks */
    CHECK_EQ(setfsuid(0), 1234);
    become_student();
    CHECK_EQ(setfsuid(0), STUDENT); /* refused, silently: still the student */
    CHECK_EQ(setfsuid(-1), STUDENT);
    CHECK_EQ(setfsgid(-1), 0);
}

static void setgroups_and_getgroups(void)
{
    gid_t list[3] = {10, 20, 30}, got[3] = {0};
    CHECK_EQ(setgroups(3, list), 0);
    CHECK_EQ(getgroups(0, NULL), 3);
    CHECK_ERRNO(getgroups(2, got), EINVAL); /* too small */
    CHECK_ERRNO(getgroups(-1, got), EINVAL);
    CHECK_ERRNO(syscall(SYS_getgroups, 3, BAD_POINTER), EFAULT);
    CHECK_EQ(getgroups(3, got), 3);
    CHECK_EQ(got[0], 10);
    CHECK_EQ(got[2], 30);
    CHECK_ERRNO(setgroups(3, BAD_POINTER), EFAULT);
    CHECK_ERRNO(setgroups(-1, list), EINVAL);
    CHECK_ERRNO(syscall(SYS_setgroups, 65537, list), EINVAL); /* over NGROUPS_MAX */
    CHECK_EQ(getgroups(0, NULL), 3);                          /* failures changed nothing */
    CHECK_EQ(setgroups(0, NULL), 0);
    CHECK_EQ(getgroups(0, NULL), 0);
    become_student();
    CHECK_ERRNO(setgroups(1, list), EPERM);
}

static void getres_with_bad_pointers_is_efault(void)
{
    uid_t r, e;
    CHECK_ERRNO(getresuid(&r, &e, BAD_POINTER), EFAULT);
    CHECK_ERRNO(syscall(SYS_getresuid, BAD_POINTER, &r, &e), EFAULT);
    CHECK_ERRNO(syscall(SYS_getresgid, &r, BAD_POINTER, &e), EFAULT);
}

static void fork_inherits_credentials(void)
{
    gid_t groups[1] = {77};
    CHECK_EQ(setgroups(1, groups), 0);
    CHECK_EQ(setresgid(5, 6, 7), 0);
    CHECK_EQ(setresuid(STUDENT, 1001, 1002), 0);
    pid_t pid = fork();
    if (pid == 0) {
        uid_t r, e, s;
        gid_t g[2];
        getresuid(&r, &e, &s);
        _exit(r == STUDENT && e == 1001 && s == 1002 && getgid() == 5 && getegid() == 6 &&
                      getgroups(2, g) == 1 && g[0] == 77
                  ? 0
                  : 1);
    }
    CHECK_EQ(WEXITSTATUS(wait_options(pid, 0)), 0);
}

static void proc_status_shows_ids(void)
{
    gid_t groups[2] = {10, 20};
    CHECK_EQ(setgroups(2, groups), 0);
    CHECK_EQ(setresgid(5, 6, 7), 0);
    CHECK_EQ(setresuid(STUDENT, 1001, 1002), 0);
    char text[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, text, sizeof text - 1);
    CHECK(n > 0);
    text[n] = '\0';
    close(fd);
    CHECK(strstr(text, "\nUid:\t1000\t1001\t1002\t1001\n") != NULL);
    CHECK(strstr(text, "\nGid:\t5\t6\t7\t6\n") != NULL);
    CHECK(strstr(text, "\nGroups:\t10 20 \n") != NULL);
}

static void kill_across_users_is_eperm(void)
{
    pid_t root_child = fork_sleeper(); /* root, like us */
    become_student();
    CHECK_ERRNO(kill(root_child, SIGTERM), EPERM);
    CHECK_ERRNO(kill(root_child, 0), EPERM);
    CHECK_ERRNO(syscall(SYS_tgkill, root_child, root_child, SIGKILL), EPERM);
    CHECK_ERRNO(kill(1, SIGKILL), EPERM);
    pid_t mine = fork();
    if (mine == 0) {
        pause();
        _exit(0);
    }
    CHECK_EQ(kill(mine, SIGKILL), 0); /* the student's own process */
    CHECK_EQ(WTERMSIG(wait_options(mine, 0)), SIGKILL);
}

static void root_may_signal_anyone(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        become_student();
        pause();
        _exit(0);
    }
    sleep_ms(50);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    CHECK_EQ(WTERMSIG(wait_options(pid, 0)), SIGKILL);
}

static void renice_rules(void)
{
    pid_t root_child = fork_sleeper(); /* root, like us */
    become_student();
    CHECK_ERRNO(setpriority(PRIO_PROCESS, root_child, 5), EPERM); /* not ours */
    CHECK_EQ(setpriority(PRIO_PROCESS, 0, 5), 0);                 /* less CPU: anyone */
    CHECK_ERRNO(setpriority(PRIO_PROCESS, 0, 0), EACCES);         /* more CPU: root only */
    errno = 0;
    CHECK_EQ(getpriority(PRIO_USER, STUDENT), 5); /* the student's processes: us */
    CHECK_EQ(errno, 0);
}

static void raising_a_hard_limit_needs_root(void)
{
    struct rlimit lim = {256, 512};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
    struct rlimit lower = {lim.rlim_cur / 2, lim.rlim_max / 2};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &lower), 0);
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0); /* root raises it back */
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &lower), 0);
    become_student();
    CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &lim), EPERM);
    struct rlimit soft = {lower.rlim_max, lower.rlim_max}; /* soft up to hard: fine */
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &soft), 0);
}

static void admin_calls_need_root(void)
{
    become_student();
    CHECK_ERRNO(sethostname("evil", 4), EPERM);
    /* A bad command: were the check missing, this would be EINVAL, not a power-off. */
    CHECK_ERRNO(syscall(SYS_reboot, 0xfee1dead, 672274793, 0x12345678, NULL), EPERM);
    /* mount and umount2 need CAP_SYS_ADMIN: an unknown type or a directory
     * that is no mount point would be ENODEV / EINVAL for root. */
    CHECK_ERRNO(mount("none", "/tmp", "no-such-fs", 0, NULL), EPERM);
    CHECK_ERRNO(umount2("/tmp", 0), EPERM);
    CHECK_ERRNO(umount2("/tmp/no-such-dir", 0), ENOENT); /* the lookup comes first */
    CHECK_ERRNO(umount2("/tmp", 0x100), EINVAL);         /* and the flags before it */
    /* swapon, swapoff, chroot, unshare of namespaces: root's too (an unknown
     * device or directory would be ENOENT for root). */
    CHECK_ERRNO(syscall(SYS_swapon, "/dev/no-such-disk", 0), EPERM);
    CHECK_ERRNO(syscall(SYS_swapoff, "/dev/no-such-disk"), EPERM);
    CHECK_ERRNO(chroot("/tmp"), EPERM);
    CHECK_ERRNO(unshare(CLONE_NEWUTS), EPERM);
}

static void escalation_paths_are_refused(void)
{
    CHECK_EQ(setgroups(0, NULL), 0);
    CHECK_EQ(setresgid(STUDENT, STUDENT, STUDENT), 0);
    become_student();
    CHECK_ERRNO(setuid(0), EPERM);
    CHECK_ERRNO(setreuid(0, 0), EPERM);
    CHECK_ERRNO(setreuid(-1, 0), EPERM);
    CHECK_ERRNO(setresuid(0, 0, 0), EPERM);
    CHECK_ERRNO(setresuid(-1, -1, 0), EPERM); /* changing the saved ID */
    CHECK_ERRNO(setgid(0), EPERM);
    CHECK_ERRNO(setresgid(-1, -1, 0), EPERM);
    gid_t root_group[1] = {0};
    CHECK_ERRNO(setgroups(1, root_group), EPERM);
    CHECK_EQ(setfsuid(0), STUDENT);
    CHECK_EQ(setfsuid(-1), STUDENT);
    check_uids(STUDENT, STUDENT, STUDENT);
    CHECK_ERRNO(open("/proc/1/environ", O_RDONLY), EACCES);
}

/* Run `path` with CREDS_SHOW_IDS as the student (traced by us if `traced`);
 * its output line in `line`. */
static void run_as_student(const char *path, bool traced, char *line, size_t size)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        if (setresuid(STUDENT, STUDENT, STUDENT) < 0)
            _exit(90);
        if (traced && ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
            _exit(91);
        char *argv[] = {(char *)path, NULL}, *envp[] = {"CREDS_SHOW_IDS=1", NULL};
        execve(path, argv, envp);
        _exit(92);
    }
    close(p[1]);
    if (traced) { /* the exec stops it with SIGTRAP; let it go on */
        int status = wait_options(pid, 0);
        CHECK(WIFSTOPPED(status));
        CHECK_EQ(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
    }
    ssize_t n = read(p[0], line, size - 1);
    line[n > 0 ? n : 0] = '\0';
    close(p[0]);
    CHECK_EQ(WEXITSTATUS(wait_options(pid, 0)), 0);
}

static void setuid_exec_changes_effective_and_saved(void)
{
    char path[64], line[64];
    snprintf(path, sizeof path, "/tmp/creds-suid.%d", getpid());
    copy_file("/proc/self/exe", path, 04755); /* this program, root's */
    run_as_student(path, false, line, sizeof line);
    CHECK_STR(line, "1000 0 0 1\n"); /* real stays; effective and saved root; AT_SECURE */
    CHECK_EQ(chmod(path, 0755), 0);  /* the same program without the bit */
    run_as_student(path, false, line, sizeof line);
    CHECK_STR(line, "1000 1000 1000 0\n");
    unlink(path);
}

static void traced_setuid_exec_does_not_elevate(void)
{
    char path[64], line[64];
    snprintf(path, sizeof path, "/tmp/creds-traced.%d", getpid());
    copy_file("/proc/self/exe", path, 04755); /* this program, root's */
    pid_t tracer = fork();
    if (tracer == 0) { /* the tracer is the student too (a root tracer may pass rights on) */
        become_student();
        run_as_student(path, true, line, sizeof line);
        line[15] = '\0'; /* (Linux still sets AT_SECURE here) */
        CHECK_STR(line, "1000 1000 1000 ");
        _exit(0);
    }
    int status = wait_options(tracer, 0);
    unlink(path);
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static void root_has_every_capability(void)
{
    struct cap_data d[2];
    memset(d, 0xaa, sizeof d);
    CHECK_EQ(capget_v3(0, d), 0);
    unsigned all = root_caps();
    CHECK_EQ(d[0].effective, all);
    CHECK_EQ(d[0].permitted, all);
    CHECK_EQ(d[0].inheritable, 0);
    CHECK_EQ(d[1].effective, d[1].permitted);
    if (is_sprout()) /* 32..40: up to CAP_CHECKPOINT_RESTORE */
        CHECK_EQ(d[1].effective, 0x1ff);
    CHECK_EQ(capget_v3(getpid(), d), 0); /* one's own pid is the same as 0 */
    CHECK_EQ(d[0].effective, all);
    char status[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0);
    read_all(fd, status, sizeof status);
    close(fd);
    CHECK(strstr(status, "\nCapInh:\t0000000000000000\n"));
    CHECK(strstr(status, "\nCapEff:\t") && strstr(status, "\nCapBnd:\t"));
    if (is_sprout())
        CHECK(strstr(status, "\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"));
}

static void capget_bad_arguments(void)
{
    struct cap_data d[2];
    struct cap_header h = {0x12345678, 0};
    CHECK_ERRNO(syscall(SYS_capget, &h, d), EINVAL);
    CHECK_EQ(h.version, CAP_V3); /* the kernel says which version it wants */
    h.version = 1;
    CHECK_EQ(syscall(SYS_capget, &h, NULL), 0); /* the usual way to ask */
    CHECK_EQ(h.version, CAP_V3);
    CHECK_EQ(syscall(SYS_capget, &h, NULL), 0);
    CHECK_ERRNO(syscall(SYS_capget, NULL, d), EFAULT);
    CHECK_ERRNO(syscall(SYS_capget, BAD_POINTER, d), EFAULT);
    CHECK_ERRNO(syscall(SYS_capget, &h, BAD_POINTER), EFAULT);
    h.pid = -1;
    CHECK_ERRNO(syscall(SYS_capget, &h, d), EINVAL);
    h.pid = 0x3ffffff0; /* above any pid_max */
    CHECK_ERRNO(syscall(SYS_capget, &h, d), ESRCH);
    /* Version 1 has one word: the second is left alone. */
    memset(d, 0xaa, sizeof d);
    h = (struct cap_header){CAP_V1, 0};
    CHECK_EQ(syscall(SYS_capget, &h, d), 0);
    CHECK_EQ(d[0].permitted, root_caps());
    CHECK_EQ(d[1].permitted, 0xaaaaaaaau);
    /* Another process's sets: a student's child has none. */
    pid_t child = fork_or_fail();
    if (child == 0) {
        become_student();
        pause();
        _exit(0);
    }
    for (int tries = 0; tries < 100; tries++) {
        CHECK_EQ(capget_v3(child, d), 0);
        if (d[0].permitted == 0)
            break;
        sleep_ms(10);
    }
    CHECK_EQ(d[0].effective, 0);
    CHECK_EQ(d[0].permitted, 0);
    kill(child, SIGKILL);
    wait_status(child);
}

static void capset_rules(void)
{
    struct cap_header h = {0x12345678, 0};
    struct cap_data d[2] = {{0, 0, 0}, {0, 0, 0}};
    CHECK_ERRNO(syscall(SYS_capset, &h, d), EINVAL);
    CHECK_EQ(h.version, CAP_V3);
    CHECK_ERRNO(syscall(SYS_capset, NULL, d), EFAULT);
    CHECK_ERRNO(syscall(SYS_capset, &h, BAD_POINTER), EFAULT);
    h.pid = 1; /* only one's own sets */
    CHECK_ERRNO(syscall(SYS_capset, &h, d), EPERM);
    unsigned all = root_caps();
    CHECK_ERRNO(capset_v3(all, all & ~CAP_BIT(CAP_KILL), 0),
                EPERM); /* effective beyond permitted */
    /* Drop CAP_KILL from effective only: another user's process is out of reach... */
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    pid_t other = fork_or_fail();
    if (other == 0) {
        become_student();
        write(ready[1], "x", 1);
        pause();
        _exit(0);
    }
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    CHECK_EQ(capset_v3(all & ~CAP_BIT(CAP_KILL), all, 0), 0);
    CHECK_ERRNO(kill(other, 0), EPERM);
    CHECK_EQ(capset_v3(all, all, 0), 0); /* ... until it is raised again from permitted */
    CHECK_EQ(kill(other, 0), 0);
    /* Out of permitted: gone for good, even for UID 0. */
    char path[64];
    snprintf(path, sizeof path, "/tmp/creds-cap.%d", getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(chown(path, STUDENT, STUDENT), 0);
    /* (without DAC_READ_SEARCH too, and without SETPCAP for the inheritable rule) */
    unsigned no_dac = all & ~CAP_BIT(CAP_DAC_OVERRIDE) & ~(1u << 2) & ~CAP_BIT(CAP_SETPCAP);
    CHECK_EQ(capset_v3(no_dac, no_dac, 0), 0);
    CHECK_ERRNO(open(path, O_RDONLY), EACCES);
    CHECK_ERRNO(capset_v3(all, all, 0), EPERM);
    CHECK_EQ(capset_v3(no_dac, no_dac, no_dac), 0);     /* inheritable from permitted: fine */
    CHECK_ERRNO(capset_v3(no_dac, no_dac, all), EPERM); /* ... not beyond, without SETPCAP */
    unlink(path);
    kill(other, SIGKILL);
    wait_status(other);
}

static void capabilities_follow_the_uids(void)
{
    struct cap_data d[2];
    unsigned all = root_caps();
    CHECK_EQ(setresuid(-1, STUDENT, -1), 0); /* effective leaves 0: effective set empty */
    CHECK_EQ(capget_v3(0, d), 0);
    CHECK_EQ(d[0].effective, 0);
    CHECK_EQ(d[0].permitted, all);
    CHECK_EQ(capset_v3(CAP_BIT(CAP_KILL), all, 0), 0); /* capset needs no capability */
    CHECK_EQ(capset_v3(0, all, 0), 0);
    CHECK_EQ(setresuid(-1, 0, -1), 0); /* back to 0: effective := permitted */
    CHECK_EQ(capget_v3(0, d), 0);
    CHECK_EQ(d[0].effective, all);
    CHECK_EQ(setfsuid(STUDENT), 0); /* fs UID leaves 0: the file capabilities go */
    CHECK_EQ(capget_v3(0, d), 0);
    CHECK_EQ(d[0].effective & CAP_BIT(CAP_DAC_OVERRIDE), 0);
    CHECK_EQ(d[0].effective & CAP_BIT(CAP_CHOWN), 0);
    CHECK(d[0].effective & CAP_BIT(CAP_KILL));
    CHECK_EQ(setfsuid(0), STUDENT);
    CHECK_EQ(capget_v3(0, d), 0);
    CHECK_EQ(d[0].effective, all);
    become_student(); /* no UID 0 left: permitted goes too */
    CHECK_EQ(capget_v3(0, d), 0);
    CHECK_EQ(d[0].effective, 0);
    CHECK_EQ(d[0].permitted, 0);
    CHECK_ERRNO(capset_v3(CAP_BIT(CAP_SETUID), CAP_BIT(CAP_SETUID), 0), EPERM);
    CHECK_ERRNO(capset_v3(0, 0, CAP_BIT(CAP_SETUID)), EPERM);
    CHECK_EQ(capset_v3(0, 0, 0), 0);
    CHECK_ERRNO(setuid(0), EPERM);
}

static void bounding_set_limits_exec(void)
{
    CHECK_EQ(prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0), 1);
    CHECK_ERRNO(prctl(PR_CAPBSET_READ, 99, 0, 0, 0), EINVAL);
    CHECK_ERRNO(prctl(PR_CAPBSET_DROP, 99, 0, 0, 0), EINVAL);
    CHECK_ERRNO(prctl(PR_CAPBSET_READ, -1L, 0, 0, 0), EINVAL);
    char out[64];
    char *argv[] = {"/proc/self/exe", NULL}, *envp[] = {"CREDS_SHOW_CAPS=1", NULL};
    CHECK_EQ(run_capture("/proc/self/exe", argv, envp, out, sizeof out), 0);
    unsigned all = root_caps(), no_admin = all & ~CAP_BIT(CAP_SYS_ADMIN);
    CHECK_STR(out, caps_line(all, all));
    CHECK_EQ(prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0), 0);
    CHECK_EQ(prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0), 0);
    struct cap_data d[2];
    CHECK_EQ(capget_v3(0, d), 0); /* the process keeps it ... */
    CHECK(d[0].effective & CAP_BIT(CAP_SYS_ADMIN));
    CHECK_EQ(run_capture("/proc/self/exe", argv, envp, out, sizeof out), 0);
    CHECK_STR(out, caps_line(no_admin, no_admin)); /* ... but a program it runs has not */
    /* Dropping needs CAP_SETPCAP. */
    unsigned some = no_admin & ~CAP_BIT(CAP_SETPCAP);
    CHECK_EQ(capset_v3(some, some, 0), 0);
    CHECK_ERRNO(prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), EPERM);
    CHECK_EQ(prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0), 1);
    /* A root exec refills permitted from the bounding set. */
    CHECK_EQ(run_capture("/proc/self/exe", argv, envp, out, sizeof out), 0);
    CHECK_STR(out, caps_line(no_admin, no_admin));
}

static void setuid_root_exec_gives_capabilities(void)
{
    char path[64], out[64];
    snprintf(path, sizeof path, "/tmp/creds-capsuid.%d", getpid());
    copy_file("/proc/self/exe", path, 04755);
    char *argv[] = {path, NULL}, *envp[] = {"CREDS_SHOW_CAPS=1", NULL};
    unsigned all = root_caps();
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        become_student();
        CHECK_EQ(run_capture(path, argv, envp, out, sizeof out), 0);
        CHECK_STR(out, caps_line(all, all)); /* effective UID 0: the bounding set */
        CHECK_ERRNO(chmod(path, 0755), EPERM);
        _exit(0);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    CHECK_EQ(chmod(path, 0755), 0);
    pid = fork_or_fail();
    if (pid == 0) {
        become_student();
        CHECK_EQ(run_capture(path, argv, envp, out, sizeof out), 0);
        CHECK_STR(out, "00000000 00000000\n");
        _exit(0);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    unlink(path);
}

/* A child running `path` (or just waiting) as `uid`, ready when this returns. */
static pid_t start_waiting(uid_t uid, const char *path)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        dup2(p[1], 1);
        if (setresuid(uid, uid, uid) < 0)
            _exit(90);
        if (path) {
            char *argv[] = {(char *)path, NULL}, *envp[] = {"CREDS_PAUSE=1", NULL};
            execve(path, argv, envp);
            _exit(91);
        }
        write(1, "ready\n", 6);
        for (;;)
            pause();
    }
    close(p[1]);
    char buf[8];
    CHECK_EQ(read(p[0], buf, sizeof buf), 6);
    close(p[0]);
    return pid;
}

static void ptrace_attach_rules(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/creds-attach.%d", getpid());
    copy_file("/proc/self/exe", path, 04755); /* this program, set-user-ID root */
    pid_t roots = start_waiting(0, NULL), students = start_waiting(STUDENT, NULL);
    pid_t setuid_one = start_waiting(STUDENT, path); /* real 1000, effective 0 */
    pid_t tracer = fork_or_fail();
    if (tracer == 0) {
        become_student();
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, roots, NULL, NULL), EPERM);
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, setuid_one, NULL, NULL), EPERM);
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, 1, NULL, NULL), EPERM);
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, getpid(), NULL, NULL), EPERM);
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, 0x3ffffff0, NULL, NULL), ESRCH);
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, -5, NULL, NULL), ESRCH);
        long attached = ptrace(PTRACE_ATTACH, students, NULL, NULL); /* one's own: fine */
        if (attached < 0 && errno == EPERM && !is_sprout())
            _exit(0); /* Linux with Yama (ptrace_scope 1) allows only descendants */
        CHECK_EQ(attached, 0);
        int status = wait_options(students, 0);
        CHECK(WIFSTOPPED(status));
        CHECK_EQ(WSTOPSIG(status), SIGSTOP);
        CHECK_ERRNO(ptrace(PTRACE_DETACH, students, NULL, (void *)1000), EIO);
        CHECK_EQ(ptrace(PTRACE_DETACH, students, NULL, NULL), 0);
        CHECK_ERRNO(ptrace(PTRACE_DETACH, students, NULL, NULL), ESRCH); /* no longer ours */
        _exit(0);
    }
    int tracer_status = wait_options(tracer, 0);
    if (WEXITSTATUS(tracer_status) != 0) { /* leave nobody behind */
        kill(roots, SIGKILL), kill(students, SIGKILL), kill(setuid_one, SIGKILL);
        unlink(path);
    }
    CHECK_EQ(WEXITSTATUS(tracer_status), 0);
    /* Root may trace anyone (CAP_SYS_PTRACE); a second tracer may not. */
    CHECK_EQ(ptrace(PTRACE_ATTACH, students, NULL, NULL), 0);
    CHECK(WIFSTOPPED(wait_options(students, 0)));
    pid_t second = fork_or_fail();
    if (second == 0) {
        CHECK_ERRNO(ptrace(PTRACE_ATTACH, students, NULL, NULL), EPERM);
        _exit(0);
    }
    CHECK_EQ(WEXITSTATUS(wait_options(second, 0)), 0);
    CHECK_EQ(ptrace(PTRACE_KILL, students, NULL, NULL), 0);
    CHECK(WIFSIGNALED(wait_options(students, 0)));
    kill(roots, SIGKILL);
    kill(setuid_one, SIGKILL);
    wait_options(roots, 0);
    wait_options(setuid_one, 0);
    unlink(path);
}

/* A Unix socket's SO_PEERCRED names its creator's effective IDs. */
static void peercred_names_the_user(void)
{
    CHECK_EQ(setresgid(STUDENT, STUDENT, STUDENT), 0);
    become_student();
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct ucred cred;
    socklen_t len = sizeof cred;
    CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len), 0);
    CHECK_EQ(cred.pid, getpid());
    CHECK_EQ(cred.uid, STUDENT);
    CHECK_EQ(cred.gid, STUDENT);
}

static const struct utest_case cases[] = {
    UTEST(root_has_every_id_zero),
    UTEST(setuid_as_root_sets_all_three),
    UTEST(setuid_unprivileged_moves_effective_only),
    UTEST(setuid_minus_one_is_einval),
    UTEST(setreuid_rules),
    UTEST(setresuid_rules),
    UTEST(group_ids_follow_the_same_rules),
    UTEST(setfsuid_returns_the_old_value),
    UTEST(setgroups_and_getgroups),
    UTEST(getres_with_bad_pointers_is_efault),
    UTEST(fork_inherits_credentials),
    UTEST(proc_status_shows_ids),
    UTEST(kill_across_users_is_eperm),
    UTEST(root_may_signal_anyone),
    UTEST(renice_rules),
    UTEST(raising_a_hard_limit_needs_root),
    UTEST(admin_calls_need_root),
    UTEST(escalation_paths_are_refused),
    UTEST(setuid_exec_changes_effective_and_saved),
    UTEST(traced_setuid_exec_does_not_elevate),
    UTEST(root_has_every_capability),
    UTEST(capget_bad_arguments),
    UTEST(capset_rules),
    UTEST(capabilities_follow_the_uids),
    UTEST(bounding_set_limits_exec),
    UTEST(setuid_root_exec_gives_capabilities),
    UTEST(ptrace_attach_rules),
    UTEST(peercred_names_the_user),
};
UTEST_MAIN("creds", cases)
