/*
 * names.c - strace's dictionary: numbers as the names a C programmer knows.
 *
 * The kernel speaks in numbers: -2 is ENOENT, 0101 is O_WRONLY|O_CREAT,
 * 15 is SIGTERM.  These tables and formatters turn them back into names.
 */
#include "user/strace/strace.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "syscall_names.h"

/* ---- text ---------------------------------------------------------------- */

void text_init(struct text *t, char *buf, size_t size)
{
    t->buf = buf;
    t->size = size;
    t->len = 0;
    buf[0] = '\0';
}

void text_add(struct text *t, const char *fmt, ...)
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

const char *syscall_name(unsigned long nr)
{
    return nr < SYSCALL_NAMES_COUNT ? syscall_names[nr] : NULL;
}

void format_signal(struct text *t, long sig)
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
    {0x20000, "CLONE_NEWNS"},   {0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"},
    {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
};
static const struct flag_name wait_flags[] = {
    {1, "WNOHANG"}, {2, "WUNTRACED"}, {8, "WCONTINUED"}, {0x40000000, "__WALL"},
};
static const struct flag_name msg_flags[] = {
    {0x1, "MSG_OOB"},          {0x2, "MSG_PEEK"},        {0x4, "MSG_DONTROUTE"},
    {0x8, "MSG_CTRUNC"},       {0x20, "MSG_TRUNC"},      {0x40, "MSG_DONTWAIT"},
    {0x80, "MSG_EOR"},         {0x100, "MSG_WAITALL"},   {0x4000, "MSG_NOSIGNAL"},
    {0x8000, "MSG_MORE"},      {0x40000000, "MSG_CMSG_CLOEXEC"},
};
static const struct flag_name sock_flags[] = {
    {04000, "SOCK_NONBLOCK"}, {02000000, "SOCK_CLOEXEC"},
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
void format_open_flags(struct text *t, unsigned long flags)
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

/* Small numbers that are names: index = value (NULL: no name, show the number). */
static const char *const families[] = {
    [0] = "AF_UNSPEC", [1] = "AF_UNIX",     [2] = "AF_INET",
    [10] = "AF_INET6", [16] = "AF_NETLINK", [17] = "AF_PACKET",
};
static const char *const sock_types[] = {
    [1] = "SOCK_STREAM",
    [2] = "SOCK_DGRAM",
    [3] = "SOCK_RAW",
    [5] = "SOCK_SEQPACKET",
};
static const char *const clock_ids[] = {
    "CLOCK_REALTIME",          "CLOCK_MONOTONIC",     "CLOCK_PROCESS_CPUTIME_ID",
    "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
    "CLOCK_MONOTONIC_COARSE",  "CLOCK_BOOTTIME",      "CLOCK_REALTIME_ALARM",
    "CLOCK_BOOTTIME_ALARM",    [11] = "CLOCK_TAI",
};
static const char *const futex_ops[] = {
    "FUTEX_WAIT",           "FUTEX_WAKE",        "FUTEX_FD",          "FUTEX_REQUEUE",
    "FUTEX_CMP_REQUEUE",    "FUTEX_WAKE_OP",     "FUTEX_LOCK_PI",     "FUTEX_UNLOCK_PI",
    "FUTEX_TRYLOCK_PI",     "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
    "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
};

/* futex()'s op: the command, then _PRIVATE and |FUTEX_CLOCK_REALTIME as strace shows them. */
static void format_futex_op(struct text *t, unsigned long value)
{
    unsigned long command = value & ~(128UL | 256UL);
    if (command < COUNT(futex_ops))
        text_add(t, "%s%s", futex_ops[command], value & 128 ? "_PRIVATE" : "");
    else
        text_add(t, "%#lx", value & ~256UL);
    if (value & 256)
        text_add(t, "|FUTEX_CLOCK_REALTIME");
}

static const char *const shutdown_hows[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
static const char *const epoll_ops[] = {
    [1] = "EPOLL_CTL_ADD", [2] = "EPOLL_CTL_DEL", [3] = "EPOLL_CTL_MOD"};
static const char *const sol_socket_options[] = {
    [2] = "SO_REUSEADDR",  [3] = "SO_TYPE",        [4] = "SO_ERROR",     [6] = "SO_BROADCAST",
    [7] = "SO_SNDBUF",     [8] = "SO_RCVBUF",      [9] = "SO_KEEPALIVE", [13] = "SO_LINGER",
    [15] = "SO_REUSEPORT", [16] = "SO_PASSCRED",   [17] = "SO_PEERCRED", [20] = "SO_RCVTIMEO",
    [21] = "SO_SNDTIMEO",  [30] = "SO_ACCEPTCONN", [38] = "SO_PROTOCOL", [39] = "SO_DOMAIN",
};

static bool format_enum(struct text *t, const char *const *names, size_t count, unsigned long value)
{
    if (value < count && names[value])
        text_add(t, "%s", names[value]);
    else
        text_add(t, "%ld", (long)(int)value);
    return true;
}

void format_sockopt_name(struct text *t, long level, unsigned long name)
{
    if (level == 1) /* SOL_SOCKET */
        format_enum(t, sol_socket_options, COUNT(sol_socket_options), name);
    else
        text_add(t, "%lu", name);
}

/* A socket type with its SOCK_* flags: "SOCK_STREAM|SOCK_CLOEXEC". */
static void format_sock_type(struct text *t, unsigned long value)
{
    unsigned long type = value & 0xf;
    if (type)
        format_enum(t, sock_types, COUNT(sock_types), type);
    else if (!(value & ~0xfUL))
        text_add(t, "0");
    if (value & ~0xfUL)
        format_flags(t, value & ~0xfUL, sock_flags, COUNT(sock_flags), type != 0);
}

/* The kinds that are sets of flags, and how each shows zero. */
static const struct flag_kind {
    char kind;
    const struct flag_name *flags;
    size_t count;
    const char *zero;
} flag_kinds[] = {
    {'k', open_flags, COUNT(open_flags), "0"}, {'p', prot_flags, COUNT(prot_flags), "PROT_NONE"},
    {'f', map_flags, COUNT(map_flags), "0"},   {'w', wait_flags, COUNT(wait_flags), "0"},
    {'G', msg_flags, COUNT(msg_flags), "0"},
};

bool format_named_arg(struct text *t, char kind, unsigned long value)
{
    for (size_t k = 0; k < COUNT(flag_kinds); k++) {
        if (flag_kinds[k].kind != kind)
            continue;
        if (value == 0)
            text_add(t, "%s", flag_kinds[k].zero);
        else
            format_flags(t, value, flag_kinds[k].flags, flag_kinds[k].count, false);
        return true;
    }
    switch (kind) {
    case 'o':
        format_open_flags(t, value);
        return true;
    case 'c':
        format_clone_flags(t, value);
        return true;
    case 'S':
        format_signal(t, (int)value);
        return true;
    case 'F':
        return format_enum(t, families, COUNT(families), value);
    case 'T':
        format_sock_type(t, value);
        return true;
    case 'H':
        return format_enum(t, shutdown_hows, COUNT(shutdown_hows), value);
    case 'E':
        return format_enum(t, epoll_ops, COUNT(epoll_ops), value);
    case 'C':
        return format_enum(t, clock_ids, COUNT(clock_ids), value);
    case 'X':
        format_futex_op(t, value);
        return true;
    case 'I': /* timer_settime's flags */
        text_add(t, (int)value == 1 ? "TIMER_ABSTIME" : "%ld", (long)(int)value);
        return true;
    case 'L':
        if ((int)value == 1)
            text_add(t, "SOL_SOCKET");
        else if (value == 6)
            text_add(t, "SOL_TCP");
        else
            text_add(t, "%ld", (long)(int)value);
        return true;
    case 'M':
        if (value < COUNT(sigmask_hows))
            text_add(t, "%s", sigmask_hows[value]);
        else
            text_add(t, "%lu", value);
        return true;
    default:
        return false;
    }
}

void format_result(struct text *t, char kind, long result)
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

void format_wait_status(struct text *t, int status)
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
