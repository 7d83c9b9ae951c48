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
#include <grp.h>
#include <stdbool.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define STUDENT 1000
#define BAD_POINTER ((void *)8)

/* With CREDS_SHOW_IDS in the environment, the program prints its IDs and
 * AT_SECURE and exits: what a set-user-ID copy of it sees after exec. */
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
};
UTEST_MAIN("creds", cases)
