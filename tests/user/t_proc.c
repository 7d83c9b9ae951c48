/*
 * t_proc.c - processes: fork gives each child its own PID and its own copy of
 * memory, execve replaces the program but keeps the process (argv, envp, PID,
 * open files), execve reports why it could not run a file, and the library
 * helpers built on them (vfork, posix_spawn, system) work.
 *
 * The test program doubles as its own exec target: run with a first argument
 * starting with "--child-", it prints what it received and exits (see
 * child_mode()).  It finds itself through argv[0] (/bin/t_proc in sprout).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

extern char **environ;

static const char *self_path; /* argv[0]: how to exec this program again */

/* --- helpers ---------------------------------------------------------- */

/* execve(path) in a child; the case fails unless it failed with errno `want`. */
static void expect_exec_errno(const char *path, int want, const char *want_name)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *argv[] = {(char *)path, NULL};
        char *envp[] = {NULL};
        execve(path, argv, envp);
        _exit(errno & 0x7f);
    }
    int status = wait_status(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != want)
        utest_fail(__FILE__, __LINE__,
                   "expected execve(\"%s\") to fail with %s (%d), got wait status 0x%x "
                   "(exit code = the errno if it failed)",
                   path, want_name, want, status);
}

/* Write a file with the given contents and mode into /tmp; returns its path. */
static const char *make_file(const char *tag, const void *data, size_t len, mode_t mode)
{
    static char path[128];
    snprintf(path, sizeof path, "/tmp/t_proc.%d.%s", (int)getpid(), tag);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, data, len), (long)len);
    CHECK_EQ(close(fd), 0);
    CHECK_EQ(chmod(path, mode), 0);
    return path;
}

/* --- fork ------------------------------------------------------------- */

#define MANY_CHILDREN 32

static void many_forks_give_distinct_pids(void)
{
    int gate[2];
    CHECK_EQ(pipe(gate), 0);
    pid_t pids[MANY_CHILDREN];
    for (int i = 0; i < MANY_CHILDREN; i++) {
        pids[i] = fork();
        CHECK(pids[i] >= 0);
        if (pids[i] == 0) { /* stay alive until every sibling exists */
            char c;
            close(gate[1]);
            while (read(gate[0], &c, 1) < 0 && errno == EINTR)
                ;
            _exit(0);
        }
    }
    close(gate[1]); /* releases them all */
    for (int i = 0; i < MANY_CHILDREN; i++) {
        CHECK(pids[i] > 0);
        CHECK(pids[i] != getpid());
        for (int j = 0; j < i; j++)
            if (pids[i] == pids[j])
                utest_fail(__FILE__, __LINE__, "children %d and %d both got PID %d", j, i,
                           (int)pids[i]);
    }
    for (int i = 0; i < MANY_CHILDREN; i++)
        CHECK_EQ(wait_status(pids[i]), 0);
}

/* The child sends a number back through a pipe; returns it. */
static long child_reports(long (*what)(void))
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        long value = what();
        write(fds[1], &value, sizeof value);
        _exit(0);
    }
    close(fds[1]);
    long value = -1;
    CHECK_EQ(read(fds[0], &value, sizeof value), (long)sizeof value);
    close(fds[0]);
    CHECK_EQ(wait_status(pid), 0);
    return value;
}

static long report_ppid(void) { return getppid(); }

static void getppid_in_child_is_parent_pid(void) { CHECK_EQ(child_reports(report_ppid), getpid()); }

static void fork_returns_child_pid_to_parent(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        long me = getpid();
        write(fds[1], &me, sizeof me);
        _exit(0);
    }
    close(fds[1]);
    long reported = -1;
    CHECK_EQ(read(fds[0], &reported, sizeof reported), (long)sizeof reported);
    CHECK_EQ(reported, pid);
    CHECK_EQ(wait_status(pid), 0);
}

static int global_value = 100;

/* Child changes a global, a malloc block and a stack variable; the parent's stay. */
static void child_changes_are_invisible_to_parent(void)
{
    volatile int stack_value = 300;
    volatile int *heap_value = malloc(sizeof(int));
    CHECK(heap_value != NULL);
    *heap_value = 200;
    global_value = 100;

    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int saw_before = global_value == 100 && *heap_value == 200 && stack_value == 300;
        global_value = 101;
        *heap_value = 201;
        stack_value = 301;
        _exit(saw_before ? 0 : 1);
    }
    CHECK_EQ(wait_status(pid), 0); /* (exit 1: the child did not see the values from before fork) */
    CHECK_EQ(global_value, 100);
    CHECK_EQ(*heap_value, 200);
    CHECK_EQ(stack_value, 300);
}

/* The parent changes the same three after fork; the child still sees the old ones. */
static void parent_changes_are_invisible_to_child(void)
{
    volatile int stack_value = 300;
    volatile int *heap_value = malloc(sizeof(int));
    CHECK(heap_value != NULL);
    *heap_value = 200;
    global_value = 100;
    int go[2], back[2];
    CHECK_EQ(pipe(go), 0);
    CHECK_EQ(pipe(back), 0);

    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1); /* until the parent has written its values */
        int seen[3] = {global_value, *heap_value, stack_value};
        write(back[1], seen, sizeof seen);
        _exit(0);
    }
    global_value = 110;
    *heap_value = 210;
    stack_value = 310;
    close(go[1]);
    close(back[1]);
    int seen[3] = {0, 0, 0};
    CHECK_EQ(read(back[0], seen, sizeof seen), (long)sizeof seen);
    CHECK_EQ(seen[0], 100);
    CHECK_EQ(seen[1], 200);
    CHECK_EQ(seen[2], 300);
    CHECK_EQ(wait_status(pid), 0);
}

#define BIG_BLOCK (4 * 1024 * 1024)

/* A 4 MiB block (mmap'd by malloc) is copied whole: the child sees the pattern, its writes stay its
 * own. */
static void large_heap_block_is_copied_on_fork(void)
{
    unsigned char *block = malloc(BIG_BLOCK);
    CHECK(block != NULL);
    for (size_t i = 0; i < BIG_BLOCK; i++)
        block[i] = (unsigned char)(i * 7 + 3);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        for (size_t i = 0; i < BIG_BLOCK; i++)
            if (block[i] != (unsigned char)(i * 7 + 3))
                _exit(1);
        memset(block, 0xEE, BIG_BLOCK);
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0); /* (exit 1: the child saw a different pattern) */
    for (size_t i = 0; i < BIG_BLOCK; i += 997)
        CHECK_EQ(block[i], (unsigned char)(i * 7 + 3));
}

/* Each process of a chain forks the next, waits for it and adds one to its exit code. */
static int fork_chain(int depth)
{
    if (depth == 0)
        return 0;
    pid_t pid = fork();
    if (pid < 0)
        return 100;
    if (pid == 0)
        _exit(fork_chain(depth - 1));
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return 100;
    return WEXITSTATUS(status) + 1;
}

static void nested_fork_chain_of_five(void) { CHECK_EQ(fork_chain(5), 5); }

/* --- execve ----------------------------------------------------------- */

static void exec_passes_argv(void)
{
    char *argv[] = {(char *)self_path, "--child-print-args", "one", "two words", "", "last", NULL};
    char *envp[] = {NULL};
    char out[1024], want[1024];
    CHECK_EQ(run_capture(self_path, argv, envp, out, sizeof out), 0);
    snprintf(want, sizeof want,
             "argc=6\n0=%s\n1=--child-print-args\n2=one\n3=two words\n4=\n5=last\n", self_path);
    CHECK_STR(out, want);
}

static void exec_passes_envp(void)
{
    char *argv[] = {(char *)self_path, "--child-print-env", NULL};
    char *envp[] = {"ALPHA=1", "BETA=two words", "EMPTY=", NULL};
    char out[1024];
    CHECK_EQ(run_capture(self_path, argv, envp, out, sizeof out), 0);
    CHECK_STR(out, "ALPHA=1\nBETA=two words\nEMPTY=\nend\n");
}

static void exec_with_empty_envp_gives_empty_environment(void)
{
    char *argv[] = {(char *)self_path, "--child-print-env", NULL};
    char *envp[] = {NULL};
    char out[1024];
    CHECK_EQ(run_capture(self_path, argv, envp, out, sizeof out), 0);
    CHECK_STR(out, "end\n");
}

/* exec keeps the PID and the parent. */
static void exec_keeps_pid_and_parent(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char *argv[] = {(char *)self_path, "--child-print-pid", NULL};
        execve(self_path, argv, environ);
        _exit(127);
    }
    close(fds[1]);
    char out[128], want[128];
    read_all(fds[0], out, sizeof out);
    close(fds[0]);
    CHECK_EQ(wait_status(pid), 0);
    snprintf(want, sizeof want, "pid=%d ppid=%d\n", (int)pid, (int)getpid());
    CHECK_STR(out, want);
}

static int initialized_data = 7;
static int zeroed_bss;

/* The new program starts with its own initial data and a zeroed bss, not the old values. */
static void exec_starts_with_fresh_data_and_bss(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        initialized_data = 99;
        zeroed_bss = 99;
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char *argv[] = {(char *)self_path, "--child-print-globals", NULL};
        execve(self_path, argv, environ);
        _exit(127);
    }
    close(fds[1]);
    char out[128];
    read_all(fds[0], out, sizeof out);
    close(fds[0]);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_STR(out, "data=7 bss=0\n");
}

/* An fd without FD_CLOEXEC survives exec; one with it is closed. */
static void exec_closes_only_cloexec_fds(void)
{
    int keep = open("/bin/echo", O_RDONLY);
    int drop = open("/bin/echo", O_RDONLY | O_CLOEXEC);
    CHECK(keep >= 0);
    CHECK(drop >= 0);
    char keep_arg[16], drop_arg[16];
    snprintf(keep_arg, sizeof keep_arg, "%d", keep);
    snprintf(drop_arg, sizeof drop_arg, "%d", drop);
    char *argv[] = {(char *)self_path, "--child-check-fds", keep_arg, drop_arg, NULL};
    char out[256], want[256];
    CHECK_EQ(run_capture(self_path, argv, environ, out, sizeof out), 0);
    snprintf(want, sizeof want, "%d:open %d:closed\n", keep, drop);
    CHECK_STR(out, want);
}

static void exec_echo_output_through_pipe(void)
{
    char *argv[] = {"echo", "hello", "big world", NULL};
    char *envp[] = {NULL};
    char out[256];
    CHECK_EQ(run_capture("/bin/echo", argv, envp, out, sizeof out), 0);
    CHECK_STR(out, "hello big world\n");
}

static void exec_env_prints_given_environment(void)
{
    char *argv[] = {"env", NULL};
    char *envp[] = {"A=1", "B=two", NULL};
    char out[256];
    CHECK_EQ(run_capture("/bin/env", argv, envp, out, sizeof out), 0);
    CHECK_STR(out, "A=1\nB=two\n");
}

static void exec_exit_code_reaches_parent(void)
{
    char *argv[] = {"false", NULL};
    char *envp[] = {NULL};
    char out[16];
    int status = run_capture("/bin/false", argv, envp, out, sizeof out);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 1);
}

static void exec_missing_file_gives_enoent(void)
{
    expect_exec_errno("/bin/no-such-program", ENOENT, "ENOENT");
}

static void exec_missing_directory_gives_enoent(void)
{
    expect_exec_errno("/no-such-dir/prog", ENOENT, "ENOENT");
}

static void exec_through_a_file_gives_enotdir(void)
{
    expect_exec_errno("/bin/echo/prog", ENOTDIR, "ENOTDIR");
}

static void exec_directory_gives_eacces(void) { expect_exec_errno("/bin", EACCES, "EACCES"); }

static void exec_text_file_gives_enoexec(void)
{
    const char text[] = "this is not a program\n";
    const char *path = make_file("txt", text, sizeof text - 1, 0755);
    expect_exec_errno(path, ENOEXEC, "ENOEXEC");
    unlink(path);
}

static void exec_empty_file_gives_enoexec(void)
{
    const char *path = make_file("empty", "", 0, 0755);
    expect_exec_errno(path, ENOEXEC, "ENOEXEC");
    unlink(path);
}

/* An ELF magic followed by zeros: not an executable (type 0, machine 0). */
static void exec_truncated_elf_gives_enoexec(void)
{
    unsigned char header[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    const char *path = make_file("elf", header, sizeof header, 0755);
    expect_exec_errno(path, ENOEXEC, "ENOEXEC");
    unlink(path);
}

/* A real program's first 200 bytes: headers promise segments that are not in the file. */
static void exec_cut_short_program_gives_enoexec_or_eio(void)
{
    unsigned char head[200];
    int fd = open("/bin/echo", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(read(fd, head, sizeof head), (long)sizeof head);
    close(fd);
    const char *path = make_file("short", head, sizeof head, 0755);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *argv[] = {(char *)path, NULL};
        execve(path, argv, environ);
        _exit(errno & 0x7f);
    }
    int status = wait_status(pid);
    unlink(path);
    /* Linux fails the execve with EIO or ENOEXEC, or (past the point of no
     * return) kills the process with SIGSEGV/SIGKILL; it must never "run". */
    if (WIFEXITED(status))
        CHECK(WEXITSTATUS(status) == ENOEXEC || WEXITSTATUS(status) == EIO);
    else
        CHECK(WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGKILL));
}

static void exec_file_without_execute_permission_gives_eacces(void)
{
    const char text[] = "#!/bin/echo\n";
    const char *path = make_file("noexec", text, sizeof text - 1, 0644);
    expect_exec_errno(path, EACCES, "EACCES");
    unlink(path);
}

/* "#!/bin/echo from-script" runs echo with the interpreter argument, the script path, then
 * argv[1..]. */
static void exec_script_runs_its_interpreter(void)
{
    const char text[] = "#!/bin/echo from-script\n";
    const char *path = make_file("script", text, sizeof text - 1, 0755);
    char script[128], want[256], out[256];
    snprintf(script, sizeof script, "%s", path);
    char *argv[] = {"whatever", "arg1", "arg 2", NULL};
    char *envp[] = {NULL};
    int status = run_capture(script, argv, envp, out, sizeof out);
    unlink(script);
    CHECK_EQ(status, 0);
    snprintf(want, sizeof want, "from-script %s arg1 arg 2\n", script);
    CHECK_STR(out, want);
}

/* --- vfork, posix_spawn, system --------------------------------------- */

static void vfork_exec_true_then_parent_resumes(void)
{
    char *argv[] = {"true", NULL};
    char *envp[] = {NULL};
    pid_t pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execve("/bin/true", argv, envp);
        _exit(127);
    }
    CHECK_EQ(wait_status(pid), 0);
}

static void vfork_child_exit_code_reaches_parent(void)
{
    pid_t pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(7);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 7);
}

/* The parent is suspended until the child execs: the child's byte comes first. */
static void vfork_parent_waits_until_child_execs(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    char *argv[] = {"true", NULL};
    char *envp[] = {NULL};
    pid_t pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL); /* give a wrongly running parent time to write first */
        write(fds[1], "c", 1);
        execve("/bin/true", argv, envp);
        _exit(127);
    }
    write(fds[1], "p", 1);
    close(fds[1]);
    char out[8];
    read_all(fds[0], out, sizeof out);
    close(fds[0]);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_STR(out, "cp");
}

static volatile int vfork_shared;

/* vfork's child runs in the parent's memory (Linux semantics): its store is seen. */
static void vfork_child_shares_parent_memory(void)
{
    vfork_shared = 0;
    pid_t pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0) {
        vfork_shared = 42;
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(vfork_shared, 42);
}

static int spawn_and_wait(const char *path, const posix_spawn_file_actions_t *actions)
{
    char *argv[] = {(char *)path, NULL};
    pid_t pid = -1;
    int error = posix_spawn(&pid, path, actions, NULL, argv, environ);
    CHECK_EQ(error, 0);
    CHECK(pid > 0);
    return wait_status(pid);
}

static void posix_spawn_true_exits_0(void) { CHECK_EQ(spawn_and_wait("/bin/true", NULL), 0); }

static void posix_spawn_false_exits_1(void)
{
    int status = spawn_and_wait("/bin/false", NULL);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 1);
}

static void posix_spawn_missing_file_returns_enoent(void)
{
    char *argv[] = {"missing", NULL};
    pid_t pid = -1;
    CHECK_EQ(posix_spawn(&pid, "/bin/no-such-program", NULL, NULL, argv, environ), ENOENT);
    /* musl's child has exited with 127; nothing else is left behind */
    errno = 0;
    while (waitpid(-1, NULL, 0) > 0)
        ;
    CHECK_EQ(errno, ECHILD);
}

static void posix_spawn_dup2_captures_output(void)
{
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    posix_spawn_file_actions_t actions;
    CHECK_EQ(posix_spawn_file_actions_init(&actions), 0);
    CHECK_EQ(posix_spawn_file_actions_adddup2(&actions, fds[1], 1), 0);
    CHECK_EQ(posix_spawn_file_actions_addclose(&actions, fds[0]), 0);
    char *argv[] = {"echo", "spawned", NULL};
    pid_t pid = -1;
    CHECK_EQ(posix_spawn(&pid, "/bin/echo", &actions, NULL, argv, environ), 0);
    close(fds[1]);
    char out[64];
    read_all(fds[0], out, sizeof out);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_STR(out, "spawned\n");
}

static void system_returns_command_exit_status(void)
{
    CHECK_EQ(system("/bin/true"), 0);
    int status = system("/bin/false");
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 1);
    status = system("exit 3");
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 3);
}

static const struct utest_case cases[] = {
    UTEST(many_forks_give_distinct_pids),
    UTEST(getppid_in_child_is_parent_pid),
    UTEST(fork_returns_child_pid_to_parent),
    UTEST(child_changes_are_invisible_to_parent),
    UTEST(parent_changes_are_invisible_to_child),
    UTEST(large_heap_block_is_copied_on_fork),
    UTEST(nested_fork_chain_of_five),
    UTEST(exec_passes_argv),
    UTEST(exec_passes_envp),
    UTEST(exec_with_empty_envp_gives_empty_environment),
    UTEST(exec_keeps_pid_and_parent),
    UTEST(exec_starts_with_fresh_data_and_bss),
    UTEST(exec_closes_only_cloexec_fds),
    UTEST(exec_echo_output_through_pipe),
    UTEST(exec_env_prints_given_environment),
    UTEST(exec_exit_code_reaches_parent),
    UTEST(exec_missing_file_gives_enoent),
    UTEST(exec_missing_directory_gives_enoent),
    UTEST(exec_through_a_file_gives_enotdir),
    UTEST(exec_directory_gives_eacces),
    UTEST(exec_text_file_gives_enoexec),
    UTEST(exec_empty_file_gives_enoexec),
    UTEST(exec_truncated_elf_gives_enoexec),
    UTEST(exec_cut_short_program_gives_enoexec_or_eio),
    UTEST(exec_file_without_execute_permission_gives_eacces),
    UTEST(exec_script_runs_its_interpreter),
    UTEST(vfork_exec_true_then_parent_resumes),
    UTEST(vfork_child_exit_code_reaches_parent),
    UTEST(vfork_parent_waits_until_child_execs),
    UTEST(vfork_child_shares_parent_memory),
    UTEST(posix_spawn_true_exits_0),
    UTEST(posix_spawn_false_exits_1),
    UTEST(posix_spawn_missing_file_returns_enoent),
    UTEST(posix_spawn_dup2_captures_output),
    UTEST(system_returns_command_exit_status),
};

/* Exec targets: print what this program was started with, then exit. */
static int child_mode(int argc, char **argv)
{
    const char *mode = argv[1];
    if (strcmp(mode, "--child-print-args") == 0) {
        printf("argc=%d\n", argc);
        for (int i = 0; i < argc; i++)
            printf("%d=%s\n", i, argv[i]);
    } else if (strcmp(mode, "--child-print-env") == 0) {
        for (char **e = environ; *e; e++)
            printf("%s\n", *e);
        printf("end\n");
    } else if (strcmp(mode, "--child-print-pid") == 0) {
        printf("pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
    } else if (strcmp(mode, "--child-print-globals") == 0) {
        printf("data=%d bss=%d\n", initialized_data, zeroed_bss);
    } else if (strcmp(mode, "--child-check-fds") == 0) {
        for (int i = 2; i < argc; i++) {
            int fd = atoi(argv[i]);
            printf("%d:%s%s", fd, fcntl(fd, F_GETFD) >= 0 ? "open" : "closed",
                   i + 1 < argc ? " " : "\n");
        }
    } else {
        fprintf(stderr, "t_proc: unknown mode %s\n", mode);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc > 1 && strncmp(argv[1], "--child-", 8) == 0)
        return child_mode(argc, argv);
    return utest_main("proc", cases, sizeof cases / sizeof cases[0], argc, argv);
}
