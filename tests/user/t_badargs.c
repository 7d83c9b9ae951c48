/*
 * t_badargs.c - bad arguments to system calls get an errno, never a crash:
 * NULL, kernel, unmapped and read-only buffers give EFAULT, bad file
 * descriptors EBADF, bad codes and ids EINVAL/ESRCH/ENOSYS, oversized
 * argument lists E2BIG; and the calling process carries on afterwards.
 * Each case makes the calls itself, so a kernel that kills the caller (or
 * panics) instead of returning an error fails it.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define PAGE 4096ul
#define KERNEL_TEXT 0xffffffff80000000ul   /* the kernel image (sprout and Linux) */
#define KERNEL_DIRECT 0xffff800000000000ul /* start of the upper half */
#define NON_CANONICAL 0x8000000000000000ul
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

extern char **environ;

/* --- helpers ---------------------------------------------------------- */

/* A pipe with `data` already in it (so reads do not block). */
static void pipe_with_data(int fds[2], const char *data)
{
    CHECK_EQ(pipe(fds), 0);
    if (*data)
        CHECK_EQ(write(fds[1], data, strlen(data)), (long)strlen(data));
}

/* The pipe still carries data after the failed calls. */
static void check_pipe_works(int fds[2])
{
    char buf[8] = "";
    while (1) { /* drain what the case put there */
        int flags = fcntl(fds[0], F_GETFL);
        fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
        ssize_t n = read(fds[0], buf, sizeof buf);
        fcntl(fds[0], F_SETFL, flags);
        if (n <= 0)
            break;
    }
    CHECK_EQ(write(fds[1], "ok", 2), 2);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(fds[0], buf, sizeof buf), 2);
    CHECK_STR(buf, "ok");
}

/* An address whose page is unmapped (mapped, then unmapped). */
static void *unmapped_page(void)
{
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(munmap(p, PAGE), 0);
    return p;
}

/* Two pages: the first readable and writable, the second unmapped; returns the first. */
static char *page_before_hole(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(munmap(p + PAGE, PAGE), 0);
    return p;
}

/* execve in a child; the case fails unless it failed with `want` (the child
 * exits with the errno, so a wrongly successful exec shows up as /bin/false's 1). */
#define EXPECT_EXEC_ERRNO(path, argv, envp, want)                                                  \
    expect_exec_errno(path, argv, envp, want, #want, __LINE__)
static void expect_exec_errno(const char *path, char *const *argv, char *const *envp, int want,
                              const char *want_name, int line)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(errno & 0x7f);
    }
    int status = wait_status(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != want)
        utest_fail(__FILE__, line,
                   "expected execve to fail with %s (%d), got wait status 0x%x "
                   "(exit code = the errno if it failed)",
                   want_name, want, status);
}

/* A system call made with no help from the C library (no errno, no TLS):
 * for calls that, if wrongly accepted, would break the library's state. */
static long raw_syscall2(long number, long a, long b)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(number), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return ret;
}

static __attribute__((noreturn)) void raw_exit(long code)
{
    __asm__ volatile("syscall" : : "a"((long)SYS_exit_group), "D"(code) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/* Run arch_prctl(code, arg) in a child by a raw syscall; returns minus its result. */
static int arch_prctl_errno_in_child(long code, long arg)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        raw_exit(-raw_syscall2(SYS_arch_prctl, code, arg) & 0xff);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static uintptr_t brk_now(void) { return (uintptr_t)syscall(SYS_brk, 0); }

static void code_marker(void) {}

/* --- read and write --------------------------------------------------- */

static void write_null_buffer_gives_efault(void)
{
    int fds[2];
    pipe_with_data(fds, "");
    CHECK_ERRNO(write(fds[1], NULL, 10), EFAULT);
    check_pipe_works(fds);
}

static void write_kernel_buffer_gives_efault(void)
{
    int fds[2];
    pipe_with_data(fds, "");
    CHECK_ERRNO(write(fds[1], (void *)KERNEL_DIRECT, 10), EFAULT);
    CHECK_ERRNO(write(fds[1], (void *)KERNEL_TEXT, 10), EFAULT);
    CHECK_ERRNO(write(fds[1], (void *)NON_CANONICAL, 10), EFAULT);
    check_pipe_works(fds);
}

static void write_unmapped_buffer_gives_efault(void)
{
    int fds[2];
    pipe_with_data(fds, "");
    CHECK_ERRNO(write(fds[1], unmapped_page(), 10), EFAULT);
    check_pipe_works(fds);
}

static void write_huge_length_gives_efault(void)
{
    int fds[2];
    char buf[16] = "0123456789";
    pipe_with_data(fds, "");
    CHECK_ERRNO(write(fds[1], buf, SIZE_MAX / 2), EFAULT);
    check_pipe_works(fds);
}

static void read_null_buffer_gives_efault(void)
{
    int fds[2];
    pipe_with_data(fds, "data");
    CHECK_ERRNO(read(fds[0], NULL, 4), EFAULT);
    check_pipe_works(fds);
}

static void read_kernel_buffer_gives_efault(void)
{
    int fds[2];
    pipe_with_data(fds, "data");
    CHECK_ERRNO(read(fds[0], (void *)KERNEL_DIRECT, 4), EFAULT);
    CHECK_ERRNO(read(fds[0], (void *)KERNEL_TEXT, 4), EFAULT);
    CHECK_ERRNO(read(fds[0], (void *)NON_CANONICAL, 4), EFAULT);
    check_pipe_works(fds);
}

static void read_huge_length_gives_efault(void)
{
    int fds[2];
    char buf[16];
    pipe_with_data(fds, "data");
    CHECK_ERRNO(read(fds[0], buf, SIZE_MAX / 2), EFAULT);
    check_pipe_works(fds);
}

/* The kernel must not write into a read-only page on the caller's behalf. */
static void read_into_code_gives_efault(void)
{
    int fds[2];
    unsigned char before = *(volatile unsigned char *)(uintptr_t)code_marker;
    pipe_with_data(fds, "XXXX");
    CHECK_ERRNO(read(fds[0], (void *)(uintptr_t)code_marker, 4), EFAULT);
    CHECK_EQ(*(volatile unsigned char *)(uintptr_t)code_marker, before);
    code_marker(); /* and the code still runs */
    check_pipe_works(fds);
}

static void read_into_read_only_mapping_gives_efault(void)
{
    int fds[2];
    char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    pipe_with_data(fds, "XXXX");
    CHECK_ERRNO(read(fds[0], p, 4), EFAULT);
    CHECK_EQ(p[0], 0);
    check_pipe_works(fds);
}

static void write_to_bad_fds_gives_ebadf(void)
{
    CHECK_ERRNO(write(-1, "x", 1), EBADF);
    CHECK_ERRNO(write(9999, "x", 1), EBADF);
    CHECK_ERRNO(write(INT_MAX, "x", 1), EBADF);
    int fd = dup(1);
    CHECK(fd >= 0);
    CHECK_EQ(close(fd), 0);
    CHECK_ERRNO(write(fd, "x", 1), EBADF); /* closed */
}

static void read_from_bad_fds_gives_ebadf(void)
{
    char c;
    CHECK_ERRNO(read(-1, &c, 1), EBADF);
    CHECK_ERRNO(read(9999, &c, 1), EBADF);
}

static void read_from_write_only_fd_gives_ebadf(void)
{
    char path[64], c;
    snprintf(path, sizeof path, "/tmp/t_badargs.%d", (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "abc", 3), 3);
    CHECK_ERRNO(read(fd, &c, 1), EBADF);
    close(fd);
    unlink(path);
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    CHECK_ERRNO(read(fds[1], &c, 1), EBADF);
}

static void write_to_read_only_fd_gives_ebadf(void)
{
    int fd = open("/bin/echo", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_ERRNO(write(fd, "x", 1), EBADF);
    close(fd);
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    CHECK_ERRNO(write(fds[0], "x", 1), EBADF);
}

static void close_bad_fds_gives_ebadf(void)
{
    CHECK_ERRNO(close(-1), EBADF);
    CHECK_ERRNO(close(9999), EBADF);
    int fd = dup(1);
    CHECK(fd >= 0);
    CHECK_EQ(close(fd), 0);
    CHECK_ERRNO(close(fd), EBADF);
}

static void dup2_to_negative_fd_gives_ebadf(void)
{
    CHECK_ERRNO(dup2(1, -1), EBADF);
    CHECK_ERRNO(dup2(-1, 5), EBADF);
}

/* --- paths ------------------------------------------------------------ */

static void open_bad_path_pointer_gives_efault(void)
{
    CHECK_ERRNO(syscall(SYS_open, NULL, O_RDONLY), EFAULT);
    CHECK_ERRNO(syscall(SYS_open, KERNEL_TEXT, O_RDONLY), EFAULT);
    CHECK_ERRNO(syscall(SYS_open, NON_CANONICAL, O_RDONLY), EFAULT);
}

/* "aaa..." up to an unmapped page, with no NUL before it. */
static void path_running_into_unmapped_page_gives_efault(void)
{
    char *page = page_before_hole();
    memset(page, 'a', PAGE);
    CHECK_ERRNO(open(page + PAGE - 100, O_RDONLY), EFAULT);
}

static void path_too_long_gives_enametoolong(void)
{
    static char path[5000];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    CHECK_ERRNO(open(path, O_RDONLY), ENAMETOOLONG);
    static char component[300];
    component[0] = '/';
    memset(component + 1, 'b', sizeof component - 2);
    CHECK_ERRNO(open(component, O_RDONLY), ENAMETOOLONG);
}

/* --- execve ----------------------------------------------------------- */

static char *true_argv[] = {"true", NULL};
static char *empty_envp[] = {NULL};

static void execve_bad_path_pointer_gives_efault(void)
{
    EXPECT_EXEC_ERRNO((const char *)1, true_argv, empty_envp, EFAULT);
    EXPECT_EXEC_ERRNO((const char *)KERNEL_TEXT, true_argv, empty_envp, EFAULT);
}

static void execve_bad_argv_pointer_gives_efault(void)
{
    EXPECT_EXEC_ERRNO("/bin/false", (char *const *)8, empty_envp, EFAULT);
    EXPECT_EXEC_ERRNO("/bin/false", (char *const *)KERNEL_TEXT, empty_envp, EFAULT);
}

static void execve_argv_with_bad_string_gives_efault(void)
{
    char *argv[] = {"false", (char *)8, NULL};
    EXPECT_EXEC_ERRNO("/bin/false", argv, empty_envp, EFAULT);
    char *kernel_argv[] = {"false", (char *)KERNEL_TEXT, NULL};
    EXPECT_EXEC_ERRNO("/bin/false", kernel_argv, empty_envp, EFAULT);
}

static void execve_bad_envp_gives_efault(void)
{
    char *argv[] = {"false", NULL};
    EXPECT_EXEC_ERRNO("/bin/false", argv, (char *const *)8, EFAULT);
    char *envp[] = {"A=1", (char *)8, NULL};
    EXPECT_EXEC_ERRNO("/bin/false", argv, envp, EFAULT);
}

/* argv's pointer array reaches the end of a page without its NULL. */
static void execve_argv_array_running_into_unmapped_page_gives_efault(void)
{
    char *page = page_before_hole();
    char **argv = (char **)(page + PAGE - 2 * sizeof(char *));
    argv[0] = "false";
    argv[1] = "more";
    EXPECT_EXEC_ERRNO("/bin/false", argv, empty_envp, EFAULT);
}

#define ARG_CHUNK (64 * 1024) /* under Linux's 128 KiB limit for one string */

/* argv with `count` strings of ARG_CHUNK-1 characters each. */
static char **big_argv(int count)
{
    char **argv = calloc((size_t)count + 2, sizeof(char *));
    char *text = malloc(ARG_CHUNK);
    CHECK(argv && text);
    memset(text, 'x', ARG_CHUNK - 1);
    text[ARG_CHUNK - 1] = '\0';
    argv[0] = "true";
    for (int i = 1; i <= count; i++)
        argv[i] = text;
    return argv;
}

static void execve_argv_over_2mib_gives_e2big(void)
{
    /* With RLIMIT_STACK at 8 MiB, Linux allows a quarter of it: 2 MiB. */
    struct rlimit limit = {8 * 1024 * 1024, 8 * 1024 * 1024};
    CHECK_EQ(setrlimit(RLIMIT_STACK, &limit), 0);
    EXPECT_EXEC_ERRNO("/bin/true", big_argv(48), empty_envp, E2BIG); /* 3 MiB */
}

static void execve_envp_over_2mib_gives_e2big(void)
{
    struct rlimit limit = {8 * 1024 * 1024, 8 * 1024 * 1024};
    CHECK_EQ(setrlimit(RLIMIT_STACK, &limit), 0);
    char **envp = big_argv(48);
    envp[0] = "A=1";
    EXPECT_EXEC_ERRNO("/bin/true", true_argv, envp, E2BIG);
}

/* The other side of the limit: 1 MiB of arguments is fine. */
static void execve_with_1mib_of_arguments_works(void)
{
    char **argv = big_argv(16);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execve("/bin/true", argv, empty_envp);
        _exit(100 + (errno & 0x7f));
    }
    CHECK_EQ(wait_status(pid), 0); /* (exit 100+N: execve failed with errno N) */
}

/* One string may be up to MAX_ARG_STRLEN (128 KiB) bytes with its NUL, as on
 * Linux: 128 KiB - 1 characters reach the new program whole (echo prints them
 * back through a pipe), one more is E2BIG.  (The kernel copies each string
 * into a buffer that starts small and grows: this crosses every doubling.) */
#define MAX_ARG_STRLEN (128 * 1024)
static void execve_one_argument_at_the_string_limit(void)
{
    char *text = malloc(MAX_ARG_STRLEN + 1);
    CHECK(text);
    memset(text, 'x', MAX_ARG_STRLEN);
    text[MAX_ARG_STRLEN - 1] = '\0';
    char *argv[] = {"echo", text, NULL};
    static char got[MAX_ARG_STRLEN + 16];
    CHECK_EQ(run_capture("/bin/echo", argv, empty_envp, got, sizeof got), 0);
    size_t total = strlen(got);
    CHECK_EQ(total, (size_t)MAX_ARG_STRLEN); /* 128 KiB - 1 x's and a newline */
    size_t xs = 0;
    while (xs < total && got[xs] == 'x')
        xs++;
    CHECK_EQ(xs, (size_t)MAX_ARG_STRLEN - 1);

    text[MAX_ARG_STRLEN - 1] = 'x';
    text[MAX_ARG_STRLEN] = '\0';
    EXPECT_EXEC_ERRNO("/bin/echo", argv, empty_envp, E2BIG);
    char *envp[] = {text, NULL};
    EXPECT_EXEC_ERRNO("/bin/true", true_argv, envp, E2BIG);
    free(text);
}

/* --- wait ------------------------------------------------------------- */

/* A bad status pointer gives EFAULT; the child is not lost as an unreapable
 * zombie: it can be waited for again (with its real status) or, as Linux
 * does, it was reaped by the failed call and is gone. */
static void wait4_bad_status_pointer_gives_efault(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(3);
    sleep_ms(100); /* a zombie by now */
    CHECK_ERRNO(wait4(pid, (int *)8, 0, NULL), EFAULT);
    int status = -1;
    errno = 0;
    pid_t again = waitpid(pid, &status, WNOHANG);
    if (again == pid)
        CHECK_EQ(status, 3 << 8);
    else if (!(again == -1 && errno == ECHILD))
        utest_fail(__FILE__, __LINE__,
                   "after the failed wait4, waitpid gave %d (errno %d): the "
                   "child is neither waitable nor gone",
                   (int)again, errno);
    CHECK_ERRNO(kill(pid, 0), ESRCH);
}

static void wait4_bad_rusage_pointer_gives_efault(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(4);
    sleep_ms(100);
    CHECK_ERRNO(wait4(pid, NULL, 0, (struct rusage *)KERNEL_TEXT), EFAULT);
    errno = 0;
    pid_t again = waitpid(pid, NULL, WNOHANG);
    CHECK(again == pid || (again == -1 && errno == ECHILD));
    CHECK_ERRNO(kill(pid, 0), ESRCH);
}

/* --- identity, time, signals ------------------------------------------ */

static void uname_null_gives_efault(void)
{
    CHECK_ERRNO(syscall(SYS_uname, NULL), EFAULT);
    CHECK_ERRNO(syscall(SYS_uname, KERNEL_TEXT), EFAULT);
    struct utsname u;
    CHECK_EQ(uname(&u), 0); /* and the good call still works */
}

static void clock_gettime_unknown_clock_gives_einval(void)
{
    struct timespec ts;
    CHECK_ERRNO(syscall(SYS_clock_gettime, 12345, &ts), EINVAL);
    CHECK_ERRNO(syscall(SYS_clock_getres, 12345, &ts), EINVAL);
}

static void clock_gettime_bad_pointer_gives_efault(void)
{
    CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL), EFAULT);
    CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_REALTIME, KERNEL_TEXT), EFAULT);
    CHECK_ERRNO(syscall(SYS_gettimeofday, KERNEL_TEXT, NULL), EFAULT);
}

static void kill_with_bad_signal_gives_einval(void)
{
    CHECK_ERRNO(kill(getpid(), 65), EINVAL);
    CHECK_ERRNO(kill(getpid(), -1), EINVAL);
    CHECK_ERRNO(kill(getpid(), 1000), EINVAL);
}

static void kill_missing_process_gives_esrch(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_ERRNO(kill(pid, 0), ESRCH);
    CHECK_ERRNO(kill(pid, SIGTERM), ESRCH);
    CHECK_ERRNO(kill(INT_MAX, 0), ESRCH);
}

static void rt_sigaction_bad_pointer_gives_efault(void)
{
    CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, 8, NULL, 8), EFAULT);
    CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, KERNEL_TEXT, 8), EFAULT);
}

/* --- process control -------------------------------------------------- */

static void arch_prctl_unknown_code_gives_einval(void)
{
    CHECK_ERRNO(syscall(SYS_arch_prctl, 0x9999, 0), EINVAL);
}

/* A kernel or non-canonical FS base is refused (Linux: EPERM); loading it
 * into the MSR would fault inside the kernel. */
static void arch_prctl_set_fs_outside_user_space_gives_eperm(void)
{
    CHECK_EQ(arch_prctl_errno_in_child(ARCH_SET_FS, (long)KERNEL_TEXT), EPERM);
    CHECK_EQ(arch_prctl_errno_in_child(ARCH_SET_FS, (long)NON_CANONICAL), EPERM);
}

static void arch_prctl_get_fs_bad_pointer_gives_efault(void)
{
    CHECK_EQ(arch_prctl_errno_in_child(ARCH_GET_FS, 8), EFAULT);
    CHECK_EQ(arch_prctl_errno_in_child(ARCH_GET_FS, (long)KERNEL_TEXT), EFAULT);
}

static void unknown_syscall_gives_enosys(void)
{
    CHECK_ERRNO(syscall(500), ENOSYS);
    CHECK_ERRNO(syscall(100000), ENOSYS);
    CHECK_ERRNO(syscall(-1), ENOSYS);
    CHECK_EQ(getpid() > 0, 1); /* the next call works */
}

static void getrlimit_unknown_resource_gives_einval(void)
{
    struct rlimit limit;
    CHECK_ERRNO(syscall(SYS_getrlimit, 99, &limit), EINVAL);
    CHECK_ERRNO(syscall(SYS_setrlimit, 99, &limit), EINVAL);
}

static void getrlimit_bad_pointer_gives_efault(void)
{
    CHECK_ERRNO(syscall(SYS_getrlimit, RLIMIT_STACK, KERNEL_TEXT), EFAULT);
    CHECK_ERRNO(syscall(SYS_setrlimit, RLIMIT_STACK, 8), EFAULT);
}

static void setrlimit_soft_above_hard_gives_einval(void)
{
    struct rlimit limit = {2 * 1024 * 1024, 1024 * 1024};
    CHECK_ERRNO(setrlimit(RLIMIT_STACK, &limit), EINVAL);
}

static void sysinfo_and_pipe_bad_pointers_give_efault(void)
{
    CHECK_ERRNO(syscall(SYS_sysinfo, NULL), EFAULT);
    CHECK_ERRNO(syscall(SYS_pipe, 8), EFAULT);
    CHECK_ERRNO(syscall(SYS_pipe, KERNEL_TEXT), EFAULT);
    CHECK_ERRNO(syscall(SYS_getcwd, KERNEL_TEXT, 100), EFAULT);
}

/* --- memory calls ----------------------------------------------------- */

static void brk_kernel_address_leaves_break_unchanged(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ((uintptr_t)syscall(SYS_brk, KERNEL_TEXT), b);
    CHECK_EQ((uintptr_t)syscall(SYS_brk, NON_CANONICAL), b);
    CHECK_EQ((uintptr_t)syscall(SYS_brk, 0x7ffffffff000ul), b); /* over the stack */
    CHECK_EQ(brk_now(), b);
}

/* Below the start of the heap would cut into data and code: refused. */
static void brk_below_heap_start_leaves_break_unchanged(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ((uintptr_t)syscall(SYS_brk, 0x1000), b);
    CHECK_EQ((uintptr_t)syscall(SYS_brk, 0x400000), b);
    CHECK_EQ(brk_now(), b);
    code_marker(); /* the code is still there */
}

static void mmap_fixed_at_kernel_address_fails(void)
{
    errno = 0;
    void *p = mmap((void *)KERNEL_TEXT, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p != MAP_FAILED || (errno != ENOMEM && errno != EINVAL))
        utest_fail(__FILE__, __LINE__,
                   "expected mmap(MAP_FIXED at %#lx) to fail with ENOMEM or "
                   "EINVAL, got %p (errno %d)",
                   KERNEL_TEXT, p, errno);
}

/* A kernel address as a mere hint is ignored: the mapping lands in user space. */
static void mmap_kernel_hint_gives_user_address(void)
{
    char *p =
        mmap((void *)KERNEL_TEXT, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK((uintptr_t)p < 0x800000000000ul);
    p[0] = 1;
    CHECK_EQ(p[0], 1);
}

static void munmap_kernel_address_gives_einval(void)
{
    CHECK_ERRNO(munmap((void *)KERNEL_TEXT, PAGE), EINVAL);
    CHECK_ERRNO(munmap((void *)KERNEL_DIRECT, 1024 * PAGE), EINVAL);
}

static void mprotect_kernel_address_gives_enomem(void)
{
    CHECK_ERRNO(mprotect((void *)KERNEL_TEXT, PAGE, PROT_READ | PROT_WRITE), ENOMEM);
}

static void mmap_huge_length_gives_enomem(void)
{
    errno = 0;
    void *p = mmap(NULL, 1ul << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p == MAP_FAILED);
    CHECK_EQ(errno, ENOMEM);
}

static const struct utest_case cases[] = {
    UTEST(write_null_buffer_gives_efault),
    UTEST(write_kernel_buffer_gives_efault),
    UTEST(write_unmapped_buffer_gives_efault),
    UTEST(write_huge_length_gives_efault),
    UTEST(read_null_buffer_gives_efault),
    UTEST(read_kernel_buffer_gives_efault),
    UTEST(read_huge_length_gives_efault),
    UTEST(read_into_code_gives_efault),
    UTEST(read_into_read_only_mapping_gives_efault),
    UTEST(write_to_bad_fds_gives_ebadf),
    UTEST(read_from_bad_fds_gives_ebadf),
    UTEST(read_from_write_only_fd_gives_ebadf),
    UTEST(write_to_read_only_fd_gives_ebadf),
    UTEST(close_bad_fds_gives_ebadf),
    UTEST(dup2_to_negative_fd_gives_ebadf),
    UTEST(open_bad_path_pointer_gives_efault),
    UTEST(path_running_into_unmapped_page_gives_efault),
    UTEST(path_too_long_gives_enametoolong),
    UTEST(execve_bad_path_pointer_gives_efault),
    UTEST(execve_bad_argv_pointer_gives_efault),
    UTEST(execve_argv_with_bad_string_gives_efault),
    UTEST(execve_bad_envp_gives_efault),
    UTEST(execve_argv_array_running_into_unmapped_page_gives_efault),
    UTEST(execve_argv_over_2mib_gives_e2big),
    UTEST(execve_envp_over_2mib_gives_e2big),
    UTEST(execve_with_1mib_of_arguments_works),
    UTEST(execve_one_argument_at_the_string_limit),
    UTEST(wait4_bad_status_pointer_gives_efault),
    UTEST(wait4_bad_rusage_pointer_gives_efault),
    UTEST(uname_null_gives_efault),
    UTEST(clock_gettime_unknown_clock_gives_einval),
    UTEST(clock_gettime_bad_pointer_gives_efault),
    UTEST(kill_with_bad_signal_gives_einval),
    UTEST(kill_missing_process_gives_esrch),
    UTEST(rt_sigaction_bad_pointer_gives_efault),
    UTEST(arch_prctl_unknown_code_gives_einval),
    UTEST(arch_prctl_set_fs_outside_user_space_gives_eperm),
    UTEST(arch_prctl_get_fs_bad_pointer_gives_efault),
    UTEST(unknown_syscall_gives_enosys),
    UTEST(getrlimit_unknown_resource_gives_einval),
    UTEST(getrlimit_bad_pointer_gives_efault),
    UTEST(setrlimit_soft_above_hard_gives_einval),
    UTEST(sysinfo_and_pipe_bad_pointers_give_efault),
    UTEST(brk_kernel_address_leaves_break_unchanged),
    UTEST(brk_below_heap_start_leaves_break_unchanged),
    UTEST(mmap_fixed_at_kernel_address_fails),
    UTEST(mmap_kernel_hint_gives_user_address),
    UTEST(munmap_kernel_address_gives_einval),
    UTEST(mprotect_kernel_address_gives_enomem),
    UTEST(mmap_huge_length_gives_enomem),
};
UTEST_MAIN("badargs", cases)
