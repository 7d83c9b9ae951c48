/*
 * test_user_strace.c - strace's decoding (user/strace/) on canned input.
 *
 * Each case builds the registers of one system call and a fake child memory
 * (strings, argv arrays, buffers at made-up addresses), runs the same
 * formatting code the tracer runs, and compares the whole line.
 */
#include "user/strace/names.c"
#include "user/strace/decode.c"
#include "user/strace/main.c"
#include "tests/unit/unit.h"

/* ---- a fake traced process: 512 bytes of memory at FAKE_BASE ------------ */

#define FAKE_BASE 0x10000UL
#define FAKE_SIZE 512

static unsigned char fake[FAKE_SIZE];
static size_t fake_used;

static bool fake_peek(void *ctx, unsigned long addr, unsigned long *word)
{
    if (addr % 8 || addr < FAKE_BASE || addr + 8 > FAKE_BASE + FAKE_SIZE)
        return false;
    memcpy(word, fake + (addr - FAKE_BASE), 8);
    return true;
}

static const struct memory fake_memory = {fake_peek, NULL};

static void fake_reset(void)
{
    memset(fake, 0xAA, sizeof fake); /* not zero: a missing NUL must show */
    fake_used = 0;
}

/* Puts len bytes in the fake memory (8-aligned) and returns their address. */
static unsigned long fake_put(const void *data, size_t len)
{
    unsigned long addr = FAKE_BASE + fake_used;
    memcpy(fake + fake_used, data, len);
    fake_used += (len + 7) & ~7UL;
    return addr;
}

static unsigned long fake_string(const char *s) { return fake_put(s, strlen(s) + 1); }

/* A NULL-terminated array of pointers to the given strings. */
static unsigned long fake_string_array(const char *const *strings, size_t count)
{
    unsigned long pointers[16] = {0};
    for (size_t i = 0; i < count; i++)
        pointers[i] = fake_string(strings[i]);
    return fake_put(pointers, (count + 1) * sizeof pointers[0]);
}

/* ---- running one call through the decoder -------------------------------- */

static char line_buf[LINE_TEXT];

/* Formats a whole call: entry with args, exit with result (unless it never returns). */
static const char *trace(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
                         unsigned long a3, unsigned long a4, unsigned long a5, long result)
{
    static struct call c;
    unsigned long args[SYSCALL_ARGS] = {a0, a1, a2, a3, a4, a5};
    struct text line;
    call_enter(&c, nr, args, &fake_memory);
    text_init(&line, line_buf, sizeof line_buf);
    call_line(&c, &fake_memory, !call_never_returns(&c), result, &line);
    return line_buf;
}
#define TRACE6(nr, a0, a1, a2, a3, a4, a5, result) trace(nr, a0, a1, a2, a3, a4, a5, result)
#define TRACE3(nr, a0, a1, a2, result) trace(nr, a0, a1, a2, 0, 0, 0, result)

/* "PREFIX (strerror(e))": the C library words the reasons, so ask it. */
static const char *with_strerror(const char *prefix, int e)
{
    static char want[512];
    snprintf(want, sizeof want, "%s (%s)", prefix, strerror(e));
    return want;
}

/* ---- cases ---------------------------------------------------------------- */

static void open_missing_file(void)
{
    fake_reset();
    unsigned long path = fake_string("/nope");
    CHECK_STR(TRACE3(SYS_open, path, 0, 0, -ENOENT),
              "open(\"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)");
}

static void open_with_create_shows_mode(void)
{
    fake_reset();
    unsigned long path = fake_string("out.txt");
    CHECK_STR(TRACE3(SYS_open, path, 01 | 0100 | 01000, 0644, 3),
              "open(\"out.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3");
    CHECK_STR(TRACE6(SYS_openat, (unsigned long)-100, path, 02 | 02000000 | 0100000, 0, 0, 0, 4),
              "openat(AT_FDCWD, \"out.txt\", O_RDWR|O_LARGEFILE|O_CLOEXEC) = 4");
}

static void open_flag_names(void)
{
    char buf[128];
    struct text t;
    const struct {
        unsigned long flags;
        const char *want;
    } table[] = {
        {0, "O_RDONLY"},
        {02 | 0200 | 0100, "O_RDWR|O_CREAT|O_EXCL"},
        {01 | 02000 | 04000, "O_WRONLY|O_APPEND|O_NONBLOCK"},
        {04010000, "O_RDONLY|O_SYNC"}, /* O_SYNC includes the O_DSYNC bit */
        {010000, "O_RDONLY|O_DSYNC"},
        {0200000 | 02000000, "O_RDONLY|O_DIRECTORY|O_CLOEXEC"},
        {01 | 0x80000000UL, "O_WRONLY|0x80000000"}, /* unknown bits stay visible */
        {3, "O_ACCMODE"},
    };
    for (size_t i = 0; i < COUNT(table); i++) {
        text_init(&t, buf, sizeof buf);
        format_open_flags(&t, table[i].flags);
        CHECK_STR(buf, table[i].want);
    }
}

static void errno_names_and_results(void)
{
    char buf[160];
    struct text t;
    const struct {
        char kind;
        long result;
        const char *want; /* NULL: "-1 NAME (strerror)" built from errnum */
        const char *name;
        int errnum;
    } table[] = {
        {'d', 0, "0", NULL, 0},
        {'d', 42, "42", NULL, 0},
        {'d', -EMFILE, NULL, "-1 EMFILE", EMFILE},
        {'d', -EAGAIN, NULL, "-1 EAGAIN", EAGAIN},
        {'d', -ECHILD, NULL, "-1 ECHILD", ECHILD},
        {'x', 0x7f0000001000L, "0x7f0000001000", NULL, 0},
        {'x', -ENOMEM, NULL, "-1 ENOMEM", ENOMEM},
        {'d', -300, "-1 E300 (Unknown error 300)", NULL, 0},
        {'d', -512, "? ERESTARTSYS (To be restarted if SA_RESTART is set)", NULL, 0},
        {'d', -4096, "-4096", NULL, 0}, /* below the errno range: a plain number */
    };
    for (size_t i = 0; i < COUNT(table); i++) {
        text_init(&t, buf, sizeof buf);
        format_result(&t, table[i].kind, table[i].result);
        CHECK_STR(buf,
                  table[i].want ? table[i].want : with_strerror(table[i].name, table[i].errnum));
    }
    CHECK_STR(errno_name(ENOENT), "ENOENT");
    CHECK_STR(errno_name(EMFILE), "EMFILE");
    CHECK(errno_name(0) == NULL);
    CHECK(errno_name(100000) == NULL);
}

static void long_paths_are_cut_at_32(void)
{
    fake_reset();
    unsigned long exact = fake_string("/abcdefghijklmnopqrstuvwxyz/1234"); /* 32 chars */
    unsigned long longer = fake_string("/abcdefghijklmnopqrstuvwxyz/12345");
    CHECK_STR(TRACE3(SYS_stat, exact, 0x2000, 0, 0),
              "stat(\"/abcdefghijklmnopqrstuvwxyz/1234\", 0x2000) = 0");
    CHECK_STR(TRACE3(SYS_stat, longer, 0x2000, 0, 0),
              "stat(\"/abcdefghijklmnopqrstuvwxyz/1234\"..., 0x2000) = 0");
}

static void unreadable_and_null_strings(void)
{
    fake_reset();
    CHECK_STR(TRACE3(SYS_open, 0xdead0000UL, 0, 0, -EFAULT),
              with_strerror("open(0xdead0000, O_RDONLY) = -1 EFAULT", EFAULT));
    CHECK_STR(TRACE3(SYS_chdir, 0, 0, 0, -EFAULT),
              with_strerror("chdir(NULL) = -1 EFAULT", EFAULT));
}

static void write_shows_escaped_data(void)
{
    fake_reset();
    unsigned long hi = fake_put("hi\n", 3);
    unsigned long odd = fake_put("a\t\"b\\\001", 6);
    unsigned long big = fake_put("0123456789012345678901234567890123456789", 40);
    CHECK_STR(TRACE3(SYS_write, 1, hi, 3, 3), "write(1, \"hi\\n\", 3) = 3");
    CHECK_STR(TRACE3(SYS_write, 2, odd, 6, 6), "write(2, \"a\\t\\\"b\\\\\\001\", 6) = 6");
    CHECK_STR(TRACE3(SYS_write, 1, big, 40, 40),
              "write(1, \"01234567890123456789012345678901\"..., 40) = 40");
}

static void writev_shows_each_buffer(void)
{
    fake_reset();
    unsigned long hello = fake_put("hello", 5), newline = fake_put("\n", 1);
    unsigned long iov[4] = {hello, 5, newline, 1};
    unsigned long at = fake_put(iov, sizeof iov);
    CHECK_STR(TRACE3(SYS_writev, 1, at, 2, 6),
              "writev(1, [{iov_base=\"hello\", iov_len=5}, {iov_base=\"\\n\", iov_len=1}], 2)"
              " = 6");
    CHECK_STR(TRACE3(SYS_writev, 1, 0xbad0, 1, -EFAULT),
              with_strerror("writev(1, [0xbad0], 1) = -1 EFAULT", EFAULT));
}

static void read_shows_data_on_exit(void)
{
    fake_reset();
    unsigned long buf = fake_put("abcdef", 6);
    CHECK_STR(TRACE3(SYS_read, 0, buf, 100, 3), "read(0, \"abc\", 100) = 3");
    CHECK_STR(TRACE3(SYS_read, 0, buf, 100, 0), "read(0, \"\", 100) = 0");
    CHECK_STR(TRACE3(SYS_read, 9, buf, 100, -EBADF),
              with_strerror("read(9, 0x10000, 100) = -1 EBADF", EBADF));
}

static void execve_shows_argv_and_counts_envp(void)
{
    fake_reset();
    const char *argv[] = {"ls", "-l", "/"};
    const char *envp[] = {"PATH=/bin", "HOME=/"};
    unsigned long path = fake_string("/bin/ls");
    unsigned long a = fake_string_array(argv, 3), e = fake_string_array(envp, 2);
    char want[200];
    snprintf(want, sizeof want,
             "execve(\"/bin/ls\", [\"ls\", \"-l\", \"/\"], %#lx /* 2 vars */) = 0", e);
    CHECK_STR(TRACE3(SYS_execve, path, a, e, 0), want);
}

static void long_argv_is_cut(void)
{
    fake_reset();
    const char *argv[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    unsigned long a = fake_string_array(argv, 10);
    CHECK_STR(TRACE3(SYS_execve, fake_string("/x"), a, 0, -ENOENT),
              "execve(\"/x\", [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", ...], NULL)"
              " = -1 ENOENT (No such file or directory)");
}

static void huge_arguments_never_overflow(void)
{
    fake_reset();
    const char *s = "\001\002\003\004\005\006\007\010\001\002\003\004\005\006\007\010"
                    "\001\002\003\004\005\006\007\010\001\002\003\004\005\006\007\010xx";
    const char *argv[] = {s, s, s, s, s, s, s, s, s};
    unsigned long a = fake_string_array(argv, 9);
    const char *line = TRACE3(SYS_execve, fake_string(s), a, 0, 0);
    CHECK(strlen(line) < LINE_TEXT);
    CHECK(strncmp(line, "execve(\"\\001\\002", 15) == 0);
    CHECK(strstr(line, ") = 0") != NULL); /* each argument is cut, the line is whole */
}

static void pipe_shows_the_new_fds(void)
{
    fake_reset();
    int fds[2] = {3, 4};
    unsigned long at = fake_put(fds, sizeof fds);
    CHECK_STR(TRACE3(SYS_pipe, at, 0, 0, 0), "pipe([3, 4]) = 0");
    CHECK_STR(TRACE3(SYS_pipe2, at, 02000000, 0, 0), "pipe2([3, 4], O_CLOEXEC) = 0");
    CHECK_STR(TRACE3(SYS_pipe2, at, 0, 0, 0), "pipe2([3, 4], 0) = 0");
    char want[160];
    snprintf(want, sizeof want, "pipe(%#lx) = -1 EMFILE (%s)", at, strerror(EMFILE));
    CHECK_STR(TRACE3(SYS_pipe, at, 0, 0, -EMFILE), want);
}

static void wait4_shows_the_status(void)
{
    fake_reset();
    int exited = 3 << 8, killed = SIGSEGV;
    unsigned long e = fake_put(&exited, 4), k = fake_put(&killed, 4);
    CHECK_STR(TRACE6(SYS_wait4, (unsigned long)-1, e, 0, 0, 0, 0, 42),
              "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 42");
    CHECK_STR(TRACE6(SYS_wait4, 42, k, 1, 0, 0, 0, 42),
              "wait4(42, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}], WNOHANG, NULL) = 42");
}

static void socket_calls(void)
{
    fake_reset();
    CHECK_STR(TRACE3(SYS_socket, 1, 1 | 02000000, 0, 3),
              "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3");
    unsigned char un[2 + 7] = {1, 0, '/', 't', 'm', 'p', '/', 's', 0};
    unsigned long path = fake_put(un, sizeof un);
    CHECK_STR(TRACE3(SYS_bind, 3, path, sizeof un, 0),
              "bind(3, {sa_family=AF_UNIX, sun_path=\"/tmp/s\"}, 9) = 0");
    unsigned char abstract[2 + 4] = {1, 0, 0, 'a', 'b', 'c'};
    unsigned long abs_at = fake_put(abstract, sizeof abstract);
    CHECK_STR(TRACE3(SYS_connect, 4, abs_at, sizeof abstract, -ECONNREFUSED),
              with_strerror("connect(4, {sa_family=AF_UNIX, sun_path=@\"abc\"}, 6) = -1 "
                            "ECONNREFUSED",
                            ECONNREFUSED));
    unsigned char in[16] = {2, 0, 0x1f, 0x90, 127, 0, 0, 1};
    unsigned long in_at = fake_put(in, sizeof in);
    CHECK_STR(TRACE3(SYS_connect, 5, in_at, 16, 0),
              "connect(5, {sa_family=AF_INET, sin_port=htons(8080), "
              "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");
    int len = sizeof un;
    unsigned long len_at = fake_put(&len, sizeof len);
    char want[160];
    snprintf(want, sizeof want, "accept(3, {sa_family=AF_UNIX, sun_path=\"/tmp/s\"}, %#lx) = 6",
             len_at);
    CHECK_STR(TRACE3(SYS_accept, 3, path, len_at, 6), want);
    CHECK_STR(TRACE6(SYS_sendto, 6, fake_string("hi"), 2, 0x4000, 0, 0, 2),
              "sendto(6, \"hi\", 2, MSG_NOSIGNAL, NULL, 0) = 2");
    CHECK_STR(TRACE3(SYS_shutdown, 6, 1, 0, 0), "shutdown(6, SHUT_WR) = 0");
    CHECK_STR(TRACE6(SYS_setsockopt, 3, 1, 2, 0x5000, 4, 0, 0),
              "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 0x5000, 4) = 0");
    CHECK_STR(TRACE6(SYS_epoll_ctl, 7, 1, 3, 0x5000, 0, 0, 0),
              "epoll_ctl(7, EPOLL_CTL_ADD, 3, 0x5000) = 0");
}

static void process_calls(void)
{
    fake_reset();
    CHECK_STR(TRACE3(SYS_fork, 0, 0, 0, 1234), "fork() = 1234");
    CHECK_STR(TRACE3(SYS_getpid, 0, 0, 0, 7), "getpid() = 7");
    CHECK_STR(TRACE3(SYS_kill, 1234, SIGTERM, 0, 0), "kill(1234, SIGTERM) = 0");
    CHECK_STR(TRACE3(SYS_kill, 1, 99, 0, -EINVAL),
              with_strerror("kill(1, 99) = -1 EINVAL", EINVAL));
    CHECK_STR(TRACE3(SYS_dup2, 3, 1, 0, 1), "dup2(3, 1) = 1");
    CHECK_STR(TRACE3(SYS_clone, 0x100 | 0x4000 | SIGCHLD, 0x7000, 0, 55),
              "clone(CLONE_VM|CLONE_VFORK|SIGCHLD, 0x7000, NULL, NULL, NULL) = 55");
    CHECK_STR(TRACE6(SYS_rt_sigaction, SIGINT, 0x5000, 0, 8, 0, 0, 0),
              "rt_sigaction(SIGINT, 0x5000, NULL, 8) = 0");
    CHECK_STR(TRACE6(SYS_rt_sigprocmask, 2, 0x5000, 0, 8, 0, 0, 0),
              "rt_sigprocmask(SIG_SETMASK, 0x5000, NULL, 8) = 0");
    CHECK_STR(TRACE3(SYS_exit_group, 0, 0, 0, 0), "exit_group(0) = ?");
}

static void futex_and_timer_calls(void)
{
    fake_reset();
    CHECK_STR(TRACE6(SYS_futex, 0x5000, 128, 2, 0, 0, 0, 0),
              "futex(0x5000, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0) = 0");
    CHECK_STR(TRACE6(SYS_futex, 0x5000, 6, 0, 0x6000, 0, 0, 0),
              "futex(0x5000, FUTEX_LOCK_PI, 0, 0x6000, NULL, 0) = 0");
    CHECK_STR(
        TRACE6(SYS_futex, 0x5000, 9 | 256, 1, 0, 0, 0xffffffff, 0),
        "futex(0x5000, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0xffffffff) = 0");
    CHECK_STR(TRACE6(SYS_futex, 0x5000, 99, 0, 0, 0, 0, -ENOSYS),
              with_strerror("futex(0x5000, 0x63, 0, NULL, NULL, 0) = -1 ENOSYS", ENOSYS));
    CHECK_STR(TRACE3(SYS_timer_create, 1, 0x5000, 0x6000, 0),
              "timer_create(CLOCK_MONOTONIC, 0x5000, 0x6000) = 0");
    CHECK_STR(TRACE3(SYS_timer_create, 99, 0, 0x6000, -EINVAL),
              with_strerror("timer_create(99, NULL, 0x6000) = -1 EINVAL", EINVAL));
    CHECK_STR(TRACE6(SYS_timer_settime, 0, 1, 0x5000, 0, 0, 0, 0),
              "timer_settime(0, TIMER_ABSTIME, 0x5000, NULL) = 0");
    CHECK_STR(TRACE3(SYS_timer_getoverrun, 2, 0, 0, 5), "timer_getoverrun(2) = 5");
    CHECK_STR(TRACE3(SYS_timer_delete, 2, 0, 0, 0), "timer_delete(2) = 0");
}

static void memory_calls(void)
{
    fake_reset();
    CHECK_STR(TRACE6(SYS_mmap, 0, 4096, 3, 0x22, (unsigned long)-1, 0, 0x7f0000000000L),
              "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
              " = 0x7f0000000000");
    CHECK_STR(TRACE6(SYS_mmap, 0x400000, 8192, 0, 0x12, 3, 0x1000, 0x400000),
              "mmap(0x400000, 8192, PROT_NONE, MAP_PRIVATE|MAP_FIXED, 3, 0x1000) = 0x400000");
    CHECK_STR(TRACE3(SYS_brk, 0, 0, 0, 0x601000), "brk(NULL) = 0x601000");
    CHECK_STR(TRACE3(SYS_munmap, 0x7000, 4096, 0, 0), "munmap(0x7000, 4096) = 0");
}

static void unknown_calls_fall_back_to_hex(void)
{
    fake_reset();
    CHECK_STR(TRACE3(999, 1, 0, 0x20, -ENOSYS),
              with_strerror("syscall_999(0x1, 0, 0x20) = -1 ENOSYS", ENOSYS));
    CHECK_STR(TRACE3(SYS_getpriority, 0, 0, 0, 20), "getpriority(0, 0, 0) = 20");
}

static void wait_status_texts(void)
{
    char buf[128];
    struct text t;
    text_init(&t, buf, sizeof buf);
    format_wait_status(&t, (0x7f) | (SIGSTOP << 8));
    CHECK_STR(buf, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
    text_init(&t, buf, sizeof buf);
    format_wait_status(&t, SIGKILL);
    CHECK_STR(buf, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");
}

static void memory_read_crosses_words(void)
{
    fake_reset();
    unsigned long at = fake_string("0123456789abcdefXYZ");
    char out[12] = {0};
    CHECK_EQ(memory_read(&fake_memory, at + 5, out, 11, false), 11);
    CHECK_STR(out, "56789abcdef");
    /* Memory that ends part way: the readable part, then stop. */
    CHECK_EQ(memory_read(&fake_memory, FAKE_BASE + FAKE_SIZE - 4, out, 8, false), 4);
    CHECK_EQ(memory_read(&fake_memory, FAKE_BASE + FAKE_SIZE, out, 8, false), 0);
}

static void command_line_options(void)
{
    struct options o;
    char *a1[] = {"strace", "ls", "-l", NULL};
    char *a2[] = {"strace", "-f", "-o", "log", "sh", "-c", "true", NULL};
    char *a3[] = {"strace", "-olog", "--", "-weird", NULL};
    char *a4[] = {"strace", "-f", NULL};
    char *a5[] = {"strace", "-x", "ls", NULL};
    char *a6[] = {"strace", "-o", NULL};
    CHECK(parse_options(3, a1, &o) == NULL);
    CHECK(!o.follow_forks && o.output == NULL);
    CHECK_STR(o.command[0], "ls");
    CHECK_STR(o.command[1], "-l"); /* options after PROG are PROG's */
    CHECK(parse_options(7, a2, &o) == NULL);
    CHECK(o.follow_forks);
    CHECK_STR(o.output, "log");
    CHECK_STR(o.command[0], "sh");
    CHECK(parse_options(4, a3, &o) == NULL);
    CHECK_STR(o.output, "log");
    CHECK_STR(o.command[0], "-weird");
    CHECK_STR(parse_options(2, a4, &o), "no program to run");
    CHECK_STR(parse_options(3, a5, &o), "unknown option");
    CHECK_STR(parse_options(2, a6, &o), "-o needs a file name");
    /* -p PID: a running process instead of a program. */
    char *p1[] = {"strace", "-f", "-p", "42", NULL};
    char *p2[] = {"strace", "-p", NULL};
    char *p3[] = {"strace", "-p", "4x", NULL};
    char *p4[] = {"strace", "-p", "0", NULL};
    char *p5[] = {"strace", "-p", "7", "ls", NULL};
    CHECK(parse_options(4, p1, &o) == NULL);
    CHECK_EQ(o.attach, 42);
    CHECK(o.follow_forks && o.command == NULL);
    CHECK_STR(parse_options(2, p2, &o), "-p needs a process ID");
    CHECK_STR(parse_options(3, p3, &o), "-p needs a process ID");
    CHECK_STR(parse_options(3, p4, &o), "-p needs a process ID");
    CHECK_STR(parse_options(4, p5, &o), "-p and a program: one or the other");
    CHECK_EQ(parse_options(3, a1, &o) == NULL && o.attach == 0, 1);
}

static void every_name_comes_from_the_table(void)
{
    CHECK_STR(syscall_name(0), "read");
    CHECK_STR(syscall_name(SYS_execve), "execve");
    CHECK_STR(syscall_name(SYS_exit_group), "exit_group");
    CHECK(syscall_name(100000) == NULL);
    CHECK_STR(signal_name(SIGSEGV), "SIGSEGV");
    CHECK(signal_name(0) == NULL);
    CHECK(signal_name(64) == NULL);
}

static const struct unit_case cases[] = {
    UNIT(open_missing_file),
    UNIT(futex_and_timer_calls),
    UNIT(open_with_create_shows_mode),
    UNIT(open_flag_names),
    UNIT(errno_names_and_results),
    UNIT(long_paths_are_cut_at_32),
    UNIT(unreadable_and_null_strings),
    UNIT(write_shows_escaped_data),
    UNIT(writev_shows_each_buffer),
    UNIT(read_shows_data_on_exit),
    UNIT(execve_shows_argv_and_counts_envp),
    UNIT(long_argv_is_cut),
    UNIT(huge_arguments_never_overflow),
    UNIT(pipe_shows_the_new_fds),
    UNIT(wait4_shows_the_status),
    UNIT(socket_calls),
    UNIT(process_calls),
    UNIT(memory_calls),
    UNIT(unknown_calls_fall_back_to_hex),
    UNIT(wait_status_texts),
    UNIT(memory_read_crosses_words),
    UNIT(command_line_options),
    UNIT(every_name_comes_from_the_table),
};
UNIT_MAIN("user.strace", cases)
