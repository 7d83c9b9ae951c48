/*
 * strace.c - watch a program talk to the kernel, one line per system call.
 *
 *   strace [-f] [-o FILE] PROG [ARGS...]
 *
 * A process can do nothing on its own but compute: every file it opens, every
 * byte it prints, every child it starts is a request to the kernel. strace
 * makes those requests visible. It starts PROG as a traced child, and the
 * kernel then stops the child twice per system call: on the way in (the call
 * number and arguments are in its registers) and on the way out (the result is
 * in rax). At each stop strace reads the registers and prints
 *
 *   open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)
 *
 * -f also follows the children PROG forks; -o FILE writes the trace to FILE
 * instead of stderr. strace exits the way PROG did.
 *
 * The file has two halves. The first turns registers plus a way to read the
 * child's memory into text; it never calls ptrace, so
 * tests/unit/test_user_strace.c checks it on canned input. The second half
 * (under #ifndef HOST_TEST) is the tracing loop, and it uses only these
 * ptrace requests, which is all sprout's kernel has to provide:
 *
 *   PTRACE_TRACEME      the child asks to be traced by its parent
 *   PTRACE_SETOPTIONS   TRACESYSGOOD, and with -f TRACEFORK|TRACEVFORK|TRACECLONE
 *   PTRACE_SYSCALL      resume until the next syscall entry or exit (data = signal)
 *   PTRACE_CONT         resume without syscall stops (a child we cannot track)
 *   PTRACE_GETREGS      orig_rax (number), rdi rsi rdx r10 r8 r9 (args), rax (result)
 *   PTRACE_PEEKDATA     one 8-byte word of the child's memory (strings, argv, buffers)
 *   PTRACE_GETEVENTMSG  the pid of a child created by fork/vfork/clone
 *   PTRACE_KILL         give up on a child we could not set up
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscall_names.h"

#define STRING_MAX 32  /* show at most this many bytes of a string or buffer, then "..." */
#define ARGV_MAX 8     /* show at most this many argv elements */
#define ENVP_MAX 4096  /* stop counting environment variables here */
#define ARG_TEXT 256   /* room for one formatted argument */
#define LINE_TEXT 2048 /* room for one output line */
#define SYSCALL_ARGS 6

/* ---- text: a bounded string builder that never overflows ---------------- */

struct text {
    char *buf;
    size_t size, len;
};

static void text_init(struct text *t, char *buf, size_t size)
{
    t->buf = buf;
    t->size = size;
    t->len = 0;
    buf[0] = '\0';
}

/* Appends like printf; output that does not fit is cut off, never overrun. */
__attribute__((format(printf, 2, 3))) static void text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = (size_t)n < t->size - t->len ? t->len + n : t->size - 1;
}

/* ---- names: errors, signals, flags --------------------------------------- */

#define NAME(x) [x] = #x
/* clang-format off */
static const char *const errno_names[] = {
    NAME(EPERM), NAME(ENOENT), NAME(ESRCH), NAME(EINTR), NAME(EIO), NAME(ENXIO), NAME(E2BIG),
    NAME(ENOEXEC), NAME(EBADF), NAME(ECHILD), NAME(EAGAIN), NAME(ENOMEM), NAME(EACCES),
    NAME(EFAULT), NAME(ENOTBLK), NAME(EBUSY), NAME(EEXIST), NAME(EXDEV), NAME(ENODEV),
    NAME(ENOTDIR), NAME(EISDIR), NAME(EINVAL), NAME(ENFILE), NAME(EMFILE), NAME(ENOTTY),
    NAME(ETXTBSY), NAME(EFBIG), NAME(ENOSPC), NAME(ESPIPE), NAME(EROFS), NAME(EMLINK), NAME(EPIPE),
    NAME(EDOM), NAME(ERANGE), NAME(EDEADLK), NAME(ENAMETOOLONG), NAME(ENOLCK), NAME(ENOSYS),
    NAME(ENOTEMPTY), NAME(ELOOP), NAME(ENOMSG), NAME(EIDRM), NAME(ENOSTR), NAME(ENODATA),
    NAME(ETIME), NAME(ENOSR), NAME(EREMOTE), NAME(ENOLINK), NAME(EPROTO), NAME(EMULTIHOP),
    NAME(EBADMSG), NAME(EOVERFLOW), NAME(EBADFD), NAME(EILSEQ), NAME(ENOTSOCK), NAME(EDESTADDRREQ),
    NAME(EMSGSIZE), NAME(EPROTOTYPE), NAME(ENOPROTOOPT), NAME(EPROTONOSUPPORT), NAME(EOPNOTSUPP),
    NAME(EAFNOSUPPORT), NAME(EADDRINUSE), NAME(EADDRNOTAVAIL), NAME(ENETDOWN), NAME(ENETUNREACH),
    NAME(ECONNABORTED), NAME(ECONNRESET), NAME(ENOBUFS), NAME(EISCONN), NAME(ENOTCONN),
    NAME(ETIMEDOUT), NAME(ECONNREFUSED), NAME(EHOSTUNREACH), NAME(EALREADY), NAME(EINPROGRESS),
    NAME(ESTALE), NAME(EDQUOT), NAME(ECANCELED), NAME(EOWNERDEAD), NAME(ENOTRECOVERABLE),
};
/* clang-format on */

static const char *const signal_names[] = {
    NAME(SIGHUP),  NAME(SIGINT),    NAME(SIGQUIT), NAME(SIGILL),    NAME(SIGTRAP), NAME(SIGABRT),
    NAME(SIGBUS),  NAME(SIGFPE),    NAME(SIGKILL), NAME(SIGUSR1),   NAME(SIGSEGV), NAME(SIGUSR2),
    NAME(SIGPIPE), NAME(SIGALRM),   NAME(SIGTERM), NAME(SIGSTKFLT), NAME(SIGCHLD), NAME(SIGCONT),
    NAME(SIGSTOP), NAME(SIGTSTP),   NAME(SIGTTIN), NAME(SIGTTOU),   NAME(SIGURG),  NAME(SIGXCPU),
    NAME(SIGXFSZ), NAME(SIGVTALRM), NAME(SIGPROF), NAME(SIGWINCH),  NAME(SIGIO),   NAME(SIGPWR),
    NAME(SIGSYS),
};
#undef NAME

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Linux's "restart me" codes: a tracer sees them when a signal interrupts a call. */
static const struct {
    int code;
    const char *name, *why;
} restart_codes[] = {
    {512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
    {513, "ERESTARTNOINTR", "To be restarted"},
    {514, "ERESTARTNOHAND", "To be restarted if no handler"},
    {516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
};

static const char *errno_name(long e)
{
    return e > 0 && e < (long)COUNT(errno_names) ? errno_names[e] : NULL;
}

static const char *signal_name(long sig)
{
    return sig > 0 && sig < (long)COUNT(signal_names) ? signal_names[sig] : NULL;
}

static const char *syscall_name(unsigned long nr)
{
    return nr < SYSCALL_NAMES_COUNT ? syscall_names[nr] : NULL;
}

static void format_signal(struct text *t, long sig)
{
    const char *name = signal_name(sig);
    if (name)
        text_add(t, "%s", name);
    else
        text_add(t, "%ld", sig);
}

/*
 * One bit pattern and its name. Values are Linux x86-64's, written out rather
 * than taken from headers: glibc defines O_LARGEFILE as 0 on 64-bit, but the
 * kernel sees 0100000 from musl programs, and we must name what it sees.
 */
struct flag_name {
    unsigned long bits;
    const char *name;
};

/* clang-format off */
static const struct flag_name open_flags[] = {
    {0100, "O_CREAT"},        {0200, "O_EXCL"},         {0400, "O_NOCTTY"},
    {01000, "O_TRUNC"},       {02000, "O_APPEND"},      {04000, "O_NONBLOCK"},
    {04010000, "O_SYNC"},     {010000, "O_DSYNC"},      {020000, "O_ASYNC"},
    {040000, "O_DIRECT"},     {0100000, "O_LARGEFILE"}, {020200000, "O_TMPFILE"},
    {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"},  {01000000, "O_NOATIME"},
    {02000000, "O_CLOEXEC"},  {010000000, "O_PATH"},
};
static const struct flag_name prot_flags[] = {
    {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"},
};
static const struct flag_name map_flags[] = {
    {0x1, "MAP_SHARED"},     {0x2, "MAP_PRIVATE"},      {0x10, "MAP_FIXED"},
    {0x20, "MAP_ANONYMOUS"}, {0x100, "MAP_GROWSDOWN"},  {0x800, "MAP_DENYWRITE"},
    {0x2000, "MAP_LOCKED"},  {0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"},
    {0x20000, "MAP_STACK"},  {0x100000, "MAP_FIXED_NOREPLACE"},
};
static const struct flag_name clone_flags[] = {
    {0x100, "CLONE_VM"},        {0x200, "CLONE_FS"},      {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},   {0x1000, "CLONE_PIDFD"},  {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},    {0x8000, "CLONE_PARENT"}, {0x10000, "CLONE_THREAD"},
    {0x40000, "CLONE_SYSVSEM"}, {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x1000000, "CLONE_CHILD_SETTID"},
};
static const struct flag_name wait_flags[] = {
    {1, "WNOHANG"}, {2, "WUNTRACED"}, {8, "WCONTINUED"}, {0x40000000, "__WALL"},
};
/* clang-format on */
static const char *const sigmask_hows[] = {"SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"};

/* Names every pattern wholly present in value, joined by '|'; leftovers in hex. */
static void format_flags(struct text *t, unsigned long value, const struct flag_name *flags,
                         size_t count, bool named_something)
{
    for (size_t i = 0; i < count; i++) {
        if ((value & flags[i].bits) == flags[i].bits) {
            text_add(t, "%s%s", named_something ? "|" : "", flags[i].name);
            value &= ~flags[i].bits;
            named_something = true;
        }
    }
    if (value || !named_something)
        text_add(t, named_something ? "|%#lx" : "%#lx", value);
}

/* open()'s flags: the access mode is a 2-bit number, not a bit, so it goes first. */
static void format_open_flags(struct text *t, unsigned long flags)
{
    static const char *const modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    text_add(t, "%s", modes[flags & 3]);
    format_flags(t, flags & ~3UL, open_flags, COUNT(open_flags), true);
}

/* clone()'s low byte is the signal the parent gets when the child dies. */
static void format_clone_flags(struct text *t, unsigned long flags)
{
    unsigned long sig = flags & 0xff;
    format_flags(t, flags & ~0xffUL, clone_flags, COUNT(clone_flags), false);
    if (sig) {
        text_add(t, "|");
        format_signal(t, (long)sig);
    }
}

/* A system call's result: a number, an address, or -errno decoded. */
static void format_result(struct text *t, char kind, long result)
{
    if (result < 0 && result >= -4095) {
        long e = -result;
        for (size_t i = 0; i < COUNT(restart_codes); i++)
            if (restart_codes[i].code == e) {
                text_add(t, "? %s (%s)", restart_codes[i].name, restart_codes[i].why);
                return;
            }
        const char *name = errno_name(e);
        if (name)
            text_add(t, "-1 %s (%s)", name, strerror((int)e));
        else
            text_add(t, "-1 E%ld (Unknown error %ld)", e, e);
    } else if (kind == 'x') {
        text_add(t, "%#lx", (unsigned long)result);
    } else {
        text_add(t, "%ld", result);
    }
}

/* What wait4() stored: spelled with the macros a C programmer would test. */
static void format_wait_status(struct text *t, int status)
{
    if (WIFEXITED(status)) {
        text_add(t, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        text_add(t, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
        format_signal(t, WTERMSIG(status));
        text_add(t, "%s}]", WCOREDUMP(status) ? " && WCOREDUMP(s)" : "");
    } else if (WIFSTOPPED(status)) {
        text_add(t, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
        format_signal(t, WSTOPSIG(status));
        text_add(t, "}]");
    } else {
        text_add(t, "[%#x]", (unsigned)status);
    }
}

/* ---- reading the traced process's memory --------------------------------- */

/*
 * The child's memory is not ours: we can only ask for one aligned 8-byte word
 * at a time. peek returns false if addr is not mapped in the child.
 */
struct memory {
    bool (*peek)(void *ctx, unsigned long addr, unsigned long *word);
    void *ctx;
};

/* Copies up to n bytes at addr into out, stopping early at a NUL if stop_at_nul.
 * Returns how many bytes were copied (fewer than n if memory ran out). */
static size_t memory_read(const struct memory *m, unsigned long addr, void *out, size_t n,
                          bool stop_at_nul)
{
    unsigned char *dst = out;
    size_t done = 0;
    while (done < n) {
        unsigned long at = addr + done, base = at & ~7UL, word;
        if (!m->peek(m->ctx, base, &word))
            break;
        for (size_t off = at - base; off < 8 && done < n; off++) {
            dst[done++] = ((unsigned char *)&word)[off];
            if (stop_at_nul && dst[done - 1] == '\0')
                return done;
        }
    }
    return done;
}

/* Bytes as a C string literal: quoted, escaped, "..." if there was more. */
static void format_bytes(struct text *t, const unsigned char *data, size_t len, bool more)
{
    text_add(t, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = data[i];
        if (c == '\n')
            text_add(t, "\\n");
        else if (c == '\t')
            text_add(t, "\\t");
        else if (c == '"' || c == '\\')
            text_add(t, "\\%c", c);
        else if (c < ' ' || c >= 127)
            text_add(t, "\\%03o", c);
        else
            text_add(t, "%c", c);
    }
    text_add(t, more ? "\"..." : "\"");
}

/* A NUL-terminated string in the child (a path, an argv element). */
static void format_string(struct text *t, const struct memory *m, unsigned long addr)
{
    unsigned char s[STRING_MAX + 1];
    if (addr == 0) {
        text_add(t, "NULL");
        return;
    }
    size_t n = memory_read(m, addr, s, sizeof s, true);
    if (n == 0)
        text_add(t, "%#lx", addr); /* unreadable: the call will say EFAULT */
    else if (s[n - 1] == '\0')
        format_bytes(t, s, n - 1, false);
    else
        format_bytes(t, s, n < sizeof s ? n : STRING_MAX, true);
}

/* A buffer of len bytes (what write() sends, what read() received). */
static void format_buffer(struct text *t, const struct memory *m, unsigned long addr,
                          unsigned long len)
{
    unsigned char data[STRING_MAX];
    size_t want = len < STRING_MAX ? len : STRING_MAX;
    size_t got = memory_read(m, addr, data, want, false);
    if (got < want)
        text_add(t, "%#lx", addr);
    else
        format_bytes(t, data, got, len > want);
}

/* writev's buffers: [{iov_base="hello", iov_len=5}, ...], the first few of count. */
static void format_iovec(struct text *t, const struct memory *m, unsigned long addr,
                         unsigned long count)
{
    unsigned long iov[2]; /* struct iovec: base, length */
    text_add(t, "[");
    for (unsigned long i = 0; i < count && i < ARGV_MAX; i++) {
        if (memory_read(m, addr + 16 * i, iov, 16, false) < 16) {
            text_add(t, "%s%#lx", i ? ", " : "", addr + 16 * i);
            break;
        }
        text_add(t, "%s{iov_base=", i ? ", " : "");
        format_buffer(t, m, iov[0], iov[1]);
        text_add(t, ", iov_len=%lu}", iov[1]);
    }
    text_add(t, count > ARGV_MAX ? ", ...]" : "]");
}

/* execve's argv: ["ls", "-l"]. envp is only counted: it is long and rarely the point. */
static void format_string_array(struct text *t, const struct memory *m, unsigned long addr,
                                bool count_only)
{
    unsigned long element;
    size_t i = 0;
    if (addr == 0) {
        text_add(t, "NULL");
        return;
    }
    if (!count_only)
        text_add(t, "[");
    for (; i < (count_only ? ENVP_MAX : ARGV_MAX); i++) {
        if (memory_read(m, addr + 8 * i, &element, 8, false) < 8 || element == 0)
            break;
        if (!count_only) {
            text_add(t, i ? ", " : "");
            format_string(t, m, element);
        }
    }
    if (count_only)
        text_add(t, "%#lx /* %zu vars */", addr, i);
    else
        text_add(t, i == ARGV_MAX ? ", ...]" : "]");
}

/* ---- one system call: registers in, a line of text out ------------------- */

/*
 * How to show each argument, one letter per argument:
 *   d signed decimal      u unsigned decimal    s string
 *   x pointer in hex (0 is NULL)                h number in hex (0 is 0)
 *   b buffer going in, its length is the next argument
 *   i iovec array going in (writev), its length is the next argument
 *   o open flags          k O_CLOEXEC-like flags (pipe2, dup3)
 *   m mode in octal, shown only if the flags before it have O_CREAT
 *   a directory fd (AT_FDCWD)
 *   v argv array          e envp (counted)      S signal
 *   p mmap prot           f mmap flags          c clone flags         w wait4 options
 *   M sigprocmask's how (SIG_BLOCK...)
 * Three letters are for what the kernel fills in, so they are shown on exit:
 *   B buffer coming out, its length is the result
 *   P the two fds pipe() made      W the status wait4() stored
 * The result is 'd' (default), 'x' for addresses, 'n' for calls that never return.
 * Calls not listed show three hex numbers.
 */
struct syscall_format {
    const char *args;
    char result;
};

/* clang-format off */
static const struct syscall_format syscall_formats[] = {
    [SYS_read] = {"dBu", 0},          [SYS_write] = {"dbu", 0},
    [SYS_open] = {"som", 0},          [SYS_close] = {"d", 0},
    [SYS_stat] = {"sx", 0},           [SYS_fstat] = {"dx", 0},
    [SYS_lstat] = {"sx", 0},          [SYS_lseek] = {"ddd", 0},
    [SYS_mmap] = {"xupfdh", 'x'},     [SYS_mprotect] = {"xup", 0},
    [SYS_munmap] = {"xu", 0},         [SYS_brk] = {"x", 'x'},
    [SYS_rt_sigaction] = {"Sxxu", 0}, [SYS_rt_sigprocmask] = {"Mxxu", 0},
    [SYS_rt_sigreturn] = {"", 0},     [SYS_ioctl] = {"dxx", 0},
    [SYS_pread64] = {"dBud", 0},      [SYS_readv] = {"dxd", 0},
    [SYS_writev] = {"did", 0},        [SYS_access] = {"sd", 0},
    [SYS_pipe] = {"P", 0},            [SYS_dup] = {"d", 0},
    [SYS_dup2] = {"dd", 0},           [SYS_nanosleep] = {"xx", 0},
    [SYS_getpid] = {"", 0},           [SYS_clone] = {"cxxxx", 0},
    [SYS_fork] = {"", 0},             [SYS_vfork] = {"", 0},
    [SYS_execve] = {"sve", 0},        [SYS_exit] = {"d", 'n'},
    [SYS_wait4] = {"dWwx", 0},        [SYS_kill] = {"dS", 0},
    [SYS_fcntl] = {"ddx", 0},         [SYS_getcwd] = {"xu", 0},
    [SYS_chdir] = {"s", 0},           [SYS_mkdir] = {"sm", 0},
    [SYS_unlink] = {"s", 0},          [SYS_readlink] = {"sxu", 0},
    [SYS_getrlimit] = {"dx", 0},      [SYS_getuid] = {"", 0},
    [SYS_getgid] = {"", 0},           [SYS_geteuid] = {"", 0},
    [SYS_getegid] = {"", 0},          [SYS_getppid] = {"", 0},
    [SYS_setpgid] = {"dd", 0},        [SYS_arch_prctl] = {"xx", 0},
    [SYS_setrlimit] = {"dx", 0},      [SYS_gettid] = {"", 0},
    [SYS_tkill] = {"dS", 0},          [SYS_getdents64] = {"dxu", 0},
    [SYS_set_tid_address] = {"x", 0}, [SYS_clock_gettime] = {"dx", 0},
    [SYS_exit_group] = {"d", 'n'},    [SYS_openat] = {"asom", 0},
    [SYS_newfstatat] = {"asxh", 0},   [SYS_faccessat] = {"asd", 0},
    [SYS_pipe2] = {"Pk", 0},          [SYS_dup3] = {"ddk", 0},
    [SYS_prlimit64] = {"ddxx", 0},    [SYS_getrandom] = {"xud", 0},
    [SYS_statx] = {"ashhx", 0},
};
/* clang-format on */

static const struct syscall_format fallback_format = {"hhh", 0};

/* What strace knows about one call in progress: saved at entry, completed at exit. */
struct call {
    unsigned long nr;
    unsigned long args[SYSCALL_ARGS];
    const struct syscall_format *format;
    int nargs;                         /* how many arguments to show */
    char text[SYSCALL_ARGS][ARG_TEXT]; /* each argument, formatted */
};

static bool is_output_kind(char kind) { return kind == 'B' || kind == 'P' || kind == 'W'; }

/* The kinds that are sets of flags, and how each shows zero. */
static const struct flag_kind {
    char kind;
    const struct flag_name *flags;
    size_t count;
    const char *zero;
} flag_kinds[] = {
    {'k', open_flags, COUNT(open_flags), "0"},
    {'p', prot_flags, COUNT(prot_flags), "PROT_NONE"},
    {'f', map_flags, COUNT(map_flags), "0"},
    {'w', wait_flags, COUNT(wait_flags), "0"},
};

/* Formats an argument the child passed in. */
static void format_input_arg(struct text *t, char kind, const struct call *c, int i,
                             const struct memory *m)
{
    unsigned long v = c->args[i], next = i + 1 < SYSCALL_ARGS ? c->args[i + 1] : 0;
    for (size_t k = 0; k < COUNT(flag_kinds); k++) {
        if (flag_kinds[k].kind != kind)
            continue;
        if (v == 0)
            text_add(t, "%s", flag_kinds[k].zero);
        else
            format_flags(t, v, flag_kinds[k].flags, flag_kinds[k].count, false);
        return;
    }
    switch (kind) {
    case 'd': /* fds and pids are C ints: only the low 32 bits of the register count */
    case 'a':
        if (kind == 'a' && (int)v == -100)
            text_add(t, "AT_FDCWD");
        else
            text_add(t, "%d", (int)v);
        break;
    case 'u':
        text_add(t, "%lu", v);
        break;
    case 'm':
        text_add(t, "%#lo", v);
        break;
    case 's':
        format_string(t, m, v);
        break;
    case 'b':
        format_buffer(t, m, v, next);
        break;
    case 'i':
        format_iovec(t, m, v, next);
        break;
    case 'v':
    case 'e':
        format_string_array(t, m, v, kind == 'e');
        break;
    case 'o':
        format_open_flags(t, v);
        break;
    case 'c':
        format_clone_flags(t, v);
        break;
    case 'S':
        format_signal(t, (int)v);
        break;
    case 'M':
        if (v < COUNT(sigmask_hows))
            text_add(t, "%s", sigmask_hows[v]);
        else
            text_add(t, "%lu", v);
        break;
    default: /* 'x' and 'h' */
        if (v)
            text_add(t, "%#lx", v);
        else
            text_add(t, kind == 'x' ? "NULL" : "0");
        break;
    }
}

/* Formats an argument the kernel filled in, once the result is known. */
static void format_output_arg(struct text *t, char kind, unsigned long addr, long result,
                              const struct memory *m)
{
    int values[2];
    if (kind == 'B' && result >= 0) {
        format_buffer(t, m, addr, (unsigned long)result);
    } else if (kind == 'P' && result == 0 && memory_read(m, addr, values, 8, false) == 8) {
        text_add(t, "[%d, %d]", values[0], values[1]);
    } else if (kind == 'W' && result > 0 && addr && memory_read(m, addr, values, 4, false) == 4) {
        format_wait_status(t, values[0]);
    } else if (addr) {
        text_add(t, "%#lx", addr);
    } else {
        text_add(t, "NULL");
    }
}

/* How many arguments to show: open()'s mode means something only with O_CREAT. */
static int call_arg_count(const struct call *c)
{
    const char *kinds = c->format->args;
    for (int i = 0; kinds[i]; i++) {
        unsigned long flags = c->args[i];
        bool creates = (flags & 0100) || (flags & 020200000) == 020200000; /* O_CREAT, O_TMPFILE */
        if (kinds[i] == 'o' && kinds[i + 1] == 'm' && !creates)
            return i + 1;
    }
    return (int)strlen(kinds);
}

/* At the entry stop: remember the call and format what the child passes in. */
static void call_enter(struct call *c, unsigned long nr, const unsigned long args[SYSCALL_ARGS],
                       const struct memory *m)
{
    c->nr = nr;
    memcpy(c->args, args, sizeof c->args);
    c->format = nr < COUNT(syscall_formats) && syscall_formats[nr].args ? &syscall_formats[nr]
                                                                        : &fallback_format;
    c->nargs = call_arg_count(c);
    for (int i = 0; i < c->nargs; i++) {
        struct text t;
        text_init(&t, c->text[i], ARG_TEXT);
        char kind = c->format->args[i];
        if (is_output_kind(kind))
            format_output_arg(&t, kind, c->args[i], -EFAULT, m); /* placeholder */
        else
            format_input_arg(&t, kind, c, i, m);
    }
}

static bool call_never_returns(const struct call *c) { return c->format->result == 'n'; }

/*
 * Writes "name(args) = result" into line. With returned false (exit_group, or
 * a child killed inside a call) the result is "?" and output arguments stay
 * as addresses.
 */
static void call_line(struct call *c, const struct memory *m, bool returned, long result,
                      struct text *line)
{
    const char *name = syscall_name(c->nr);
    if (name)
        text_add(line, "%s(", name);
    else
        text_add(line, "syscall_%lu(", c->nr);
    for (int i = 0; i < c->nargs; i++) {
        char kind = c->format->args[i];
        if (returned && is_output_kind(kind)) {
            struct text t;
            text_init(&t, c->text[i], ARG_TEXT);
            format_output_arg(&t, kind, c->args[i], result, m);
        }
        text_add(line, "%s%s", i ? ", " : "", c->text[i]);
    }
    text_add(line, ") = ");
    if (returned)
        format_result(line, c->format->result, result);
    else
        text_add(line, "?");
}

/* ---- the command line ---------------------------------------------------- */

struct options {
    bool follow_forks;  /* -f */
    const char *output; /* -o FILE, or NULL for stderr */
    char **command;     /* PROG and its arguments */
};

/* Returns NULL on success, else a message for the usage line. */
static const char *parse_options(int argc, char **argv, struct options *o)
{
    int i = 1;
    memset(o, 0, sizeof *o);
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-f") == 0) {
            o->follow_forks = true;
        } else if (strncmp(argv[i], "-o", 2) == 0) {
            o->output = argv[i][2] ? argv[i] + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!o->output)
                return "-o needs a file name";
        } else {
            return "unknown option";
        }
    }
    if (i >= argc)
        return "no program to run";
    o->command = argv + i;
    return NULL;
}

#ifndef HOST_TEST
/* ---- the tracer: ptrace, wait4, and nothing else ------------------------- */

#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/user.h>

#define MAX_TRACEES 64

struct tracee {
    pid_t pid;       /* 0: free slot */
    bool in_syscall; /* between the entry stop and the exit stop */
    bool fresh;      /* new child: its first stop is the SIGSTOP of auto-attach */
    bool exec_trap;  /* after a successful execve the kernel sends a SIGTRAP: not the child's */
    struct call call;
};

static struct tracee tracees[MAX_TRACEES];
static int out_fd = STDERR_FILENO;
static bool follow_forks;
static pid_t main_pid;
static int main_status;

static void print_line(pid_t pid, const char *s)
{
    char buf[LINE_TEXT + 32];
    int n = follow_forks ? snprintf(buf, sizeof buf, "[pid %d] %s\n", pid, s)
                         : snprintf(buf, sizeof buf, "%s\n", s);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    for (int done = 0, w; done < n; done += w)
        if ((w = write(out_fd, buf + done, n - done)) <= 0)
            return;
}

static bool peek_tracee(void *ctx, unsigned long addr, unsigned long *word)
{
    errno = 0; /* a word may legitimately be -1: only errno tells failure */
    long v = ptrace(PTRACE_PEEKDATA, (pid_t)(intptr_t)ctx, (void *)addr, NULL);
    if (v == -1 && errno)
        return false;
    *word = (unsigned long)v;
    return true;
}

static struct tracee *tracee_find(pid_t pid)
{
    for (int i = 0; i < MAX_TRACEES; i++)
        if (tracees[i].pid == pid)
            return &tracees[i];
    return NULL;
}

static struct tracee *tracee_add(pid_t pid)
{
    struct tracee *t = tracee_find(0);
    if (t) {
        memset(t, 0, sizeof *t);
        t->pid = pid;
        t->fresh = true;
    }
    return t;
}

/* A syscall stop: the first of a pair is the entry, the second the exit. */
static void on_syscall_stop(struct tracee *t)
{
    struct user_regs_struct regs;
    struct memory m = {peek_tracee, (void *)(intptr_t)t->pid};
    char buf[LINE_TEXT];
    struct text line;
    if (ptrace(PTRACE_GETREGS, t->pid, NULL, &regs) < 0)
        return;
    text_init(&line, buf, sizeof buf);
    t->exec_trap = false;
    if (!t->in_syscall) {
        unsigned long args[SYSCALL_ARGS] = {regs.rdi, regs.rsi, regs.rdx,
                                            regs.r10, regs.r8,  regs.r9};
        t->in_syscall = true;
        call_enter(&t->call, regs.orig_rax, args, &m);
        if (call_never_returns(&t->call)) {
            call_line(&t->call, &m, false, 0, &line);
            print_line(t->pid, buf);
        }
        return;
    }
    t->in_syscall = false;
    call_line(&t->call, &m, true, (long)regs.rax, &line);
    print_line(t->pid, buf);
    if (t->call.nr == SYS_execve && regs.rax == 0)
        t->exec_trap = true;
}

/* fork/vfork/clone made a child: the kernel attached it to us, stopped. */
static void on_new_child(struct tracee *parent)
{
    unsigned long child = 0;
    if (ptrace(PTRACE_GETEVENTMSG, parent->pid, NULL, &child) < 0 || child == 0)
        return;
    if (!tracee_find((pid_t)child) && !tracee_add((pid_t)child)) {
        char msg[80];
        snprintf(msg, sizeof msg, "strace: too many processes; pid %lu runs untraced", child);
        print_line(parent->pid, msg);
    }
}

/* The child exited or was killed: report it like the shell would see it. */
static void on_exit_status(pid_t pid, int status)
{
    struct tracee *t = tracee_find(pid);
    char buf[LINE_TEXT];
    struct text line;
    text_init(&line, buf, sizeof buf);
    if (t && t->in_syscall && !call_never_returns(&t->call)) {
        struct memory m = {peek_tracee, (void *)(intptr_t)pid};
        call_line(&t->call, &m, false, 0, &line);
        text_add(&line, " <unfinished ...>");
        print_line(pid, buf);
        text_init(&line, buf, sizeof buf);
    }
    if (WIFEXITED(status)) {
        text_add(&line, "+++ exited with %d +++", WEXITSTATUS(status));
    } else {
        text_add(&line, "+++ killed by ");
        format_signal(&line, WTERMSIG(status));
        text_add(&line, " +++");
    }
    print_line(pid, buf);
    if (t)
        t->pid = 0;
    if (pid == main_pid)
        main_status = status;
}

/* A stopped child we have no slot for: let it run without syscall stops. */
static void continue_untracked(pid_t pid, int status)
{
    int sig = WSTOPSIG(status);
    bool ours = sig == SIGSTOP || (sig & 0x80) || (status >> 16);
    ptrace(PTRACE_CONT, pid, NULL, (void *)(intptr_t)(ours ? 0 : sig));
}

/* Decides what a stop means and resumes the child until its next syscall. */
static void on_stop(pid_t pid, int status)
{
    struct tracee *t = tracee_find(pid);
    int sig = WSTOPSIG(status), deliver = 0;
    /* An unknown pid stopped by SIGSTOP is a new child whose attach stop beat the
     * parent's fork event: start tracking it. Any other unknown pid is one we had
     * no room for. */
    if (!t && (sig != SIGSTOP || !(t = tracee_add(pid)))) {
        continue_untracked(pid, status);
        return;
    }
    bool first = t->fresh;
    t->fresh = false;
    if (sig == (SIGTRAP | 0x80)) {
        on_syscall_stop(t);
    } else if (status >> 16) {
        on_new_child(t); /* PTRACE_EVENT_FORK, _VFORK or _CLONE */
    } else if ((sig == SIGSTOP && first) || (sig == SIGTRAP && t->exec_trap)) {
        t->exec_trap = false; /* a stop ptrace caused: the child must not see it */
    } else {
        char buf[64];
        struct text line;
        text_init(&line, buf, sizeof buf);
        text_add(&line, "--- ");
        format_signal(&line, sig);
        text_add(&line, " ---");
        print_line(pid, buf);
        deliver = sig; /* a real signal: pass it on */
    }
    ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(intptr_t)deliver);
}

/* Forks the child, which stops itself so we can set options before it execs. */
static pid_t start_child(char **command)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("strace: fork");
        return -1;
    }
    if (pid == 0) {
        if (out_fd != STDERR_FILENO)
            close(out_fd);
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
            perror("strace: PTRACE_TRACEME");
            _exit(127);
        }
        kill(getpid(), SIGSTOP);
        execvp(command[0], command);
        fprintf(stderr, "strace: cannot run %s: %s\n", command[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

static int setup_child(pid_t pid)
{
    int status;
    long options = PTRACE_O_TRACESYSGOOD;
    if (follow_forks)
        options |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
        fprintf(stderr, "strace: the child did not stop for tracing\n");
        return -1;
    }
    if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)options) < 0) {
        perror("strace: PTRACE_SETOPTIONS");
        ptrace(PTRACE_KILL, pid, NULL, NULL);
        waitpid(pid, &status, 0);
        return -1;
    }
    tracee_add(pid)->fresh = false; /* its SIGSTOP is already consumed */
    ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
    return 0;
}

/* Exit the way the child did, so `strace prog; echo $?` matches `prog; echo $?`. */
static int exit_like(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core); /* the child's crash is the news, not ours */
    signal(WTERMSIG(status), SIG_DFL);
    kill(getpid(), WTERMSIG(status));
    return 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
    struct options o;
    const char *problem = parse_options(argc, argv, &o);
    int status;
    pid_t pid;
    if (problem) {
        fprintf(stderr, "strace: %s\nusage: strace [-f] [-o FILE] PROG [ARGS...]\n", problem);
        return 2;
    }
    follow_forks = o.follow_forks;
    if (o.output && (out_fd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
        fprintf(stderr, "strace: cannot write %s: %s\n", o.output, strerror(errno));
        return 1;
    }
    main_pid = start_child(o.command);
    if (main_pid < 0 || setup_child(main_pid) < 0)
        return 1;
    /* ^C reaches the child too: let it die of it while we watch and report. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    while ((pid = waitpid(-1, &status, 0)) > 0) {
        if (WIFSTOPPED(status))
            on_stop(pid, status);
        else if (WIFEXITED(status) || WIFSIGNALED(status))
            on_exit_status(pid, status);
    }
    return exit_like(main_status);
}
#endif /* HOST_TEST */
