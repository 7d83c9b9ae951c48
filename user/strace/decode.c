/*
 * decode.c - one system call: registers in, a line of text out.
 *
 * At the entry stop the registers hold the call number and six arguments;
 * some arguments are pointers into the child (a path, a buffer, argv), read
 * a word at a time through struct memory.  At the exit stop rax holds the
 * result, and buffers the kernel filled in (read, pipe, wait4) can be shown.
 */
#include "user/strace/strace.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

/* ---- reading the traced process's memory --------------------------------- */

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

/* A socket address of len bytes: {sa_family=AF_UNIX, sun_path="/tmp/s"},
 * {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.2.15")}. */
static void format_sockaddr(struct text *t, const struct memory *m, unsigned long addr,
                            unsigned long len)
{
    unsigned char sa[112];
    if (len > sizeof sa)
        len = sizeof sa;
    if (addr == 0) {
        text_add(t, "NULL");
        return;
    }
    if (len < 2 || memory_read(m, addr, sa, len, false) < len) {
        text_add(t, "%#lx", addr);
        return;
    }
    unsigned family = sa[0] | (unsigned)sa[1] << 8;
    text_add(t, "{sa_family=");
    format_named_arg(t, 'F', family);
    if (family == 1 && len > 2) { /* AF_UNIX: a path, or '@' then an abstract name */
        text_add(t, ", sun_path=");
        if (sa[2] == '\0') {
            text_add(t, "@");
            format_bytes(t, sa + 3, len - 3 < STRING_MAX ? len - 3 : STRING_MAX,
                         len - 3 > STRING_MAX);
        } else {
            size_t n = strnlen((char *)sa + 2, len - 2);
            format_bytes(t, sa + 2, n < STRING_MAX ? n : STRING_MAX, n > STRING_MAX);
        }
    } else if (family == 2 && len >= 8) { /* AF_INET */
        text_add(t, ", sin_port=htons(%u), sin_addr=inet_addr(\"%u.%u.%u.%u\")",
                 (unsigned)sa[2] << 8 | sa[3], sa[4], sa[5], sa[6], sa[7]);
    }
    text_add(t, "}");
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
 *   F address family (AF_UNIX)     T socket type and flags   H shutdown's how
 *   G send/recv flags (MSG_*)      L socket option level     O option name (after L)
 *   A socket address going in, its length is the next argument
 *   E epoll_ctl's op
 *   C clock ID (CLOCK_MONOTONIC)   X futex operation   I timer_settime's flags
 * Four letters are for what the kernel fills in, so they are shown on exit:
 *   B buffer coming out, its length is the result
 *   P the two fds pipe() made      W the status wait4() stored
 *   R socket address coming out, a pointer to its length is the next argument
 * The result is 'd' (default), 'x' for addresses, 'n' for calls that never return.
 * Calls not listed show three hex numbers.
 */
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
    [SYS_sethostname] = {"bd", 0}, /* the system-call lab: docs/labs/syscall.md */
    [SYS_socket] = {"FTd", 0},        [SYS_socketpair] = {"FTdP", 0},
    [SYS_bind] = {"dAu", 0},          [SYS_connect] = {"dAu", 0},
    [SYS_listen] = {"dd", 0},         [SYS_accept] = {"dRx", 0},
    [SYS_accept4] = {"dRxT", 0},      [SYS_shutdown] = {"dH", 0},
    [SYS_sendto] = {"dbuGAu", 0},     [SYS_recvfrom] = {"dBuGRx", 0},
    [SYS_sendmsg] = {"dxG", 0},       [SYS_recvmsg] = {"dxG", 0},
    [SYS_getsockname] = {"dRx", 0},   [SYS_getpeername] = {"dRx", 0},
    [SYS_setsockopt] = {"dLOxd", 0},  [SYS_getsockopt] = {"dLOxx", 0},
    [SYS_epoll_create1] = {"k", 0},   [SYS_epoll_ctl] = {"dEdx", 0},
    [SYS_epoll_wait] = {"dxdd", 0},   [SYS_epoll_pwait] = {"dxddxu", 0},
    [SYS_eventfd2] = {"uk", 0},
    [SYS_unshare] = {"c", 0},         [SYS_setns] = {"dc", 0},
    [SYS_chroot] = {"s", 0},          [SYS_setdomainname] = {"bd", 0},
    [SYS_futex] = {"xXuxxh", 0},      [SYS_timer_create] = {"Cxx", 0},
    [SYS_timer_settime] = {"dIxx", 0}, [SYS_timer_gettime] = {"dx", 0},
    [SYS_timer_getoverrun] = {"d", 0}, [SYS_timer_delete] = {"d", 0},
};
/* clang-format on */

static const struct syscall_format fallback_format = {"hhh", 0};

static bool is_output_kind(char kind)
{
    return kind == 'B' || kind == 'P' || kind == 'W' || kind == 'R';
}

/* Formats an argument the child passed in. */
static void format_input_arg(struct text *t, char kind, const struct call *c, int i,
                             const struct memory *m)
{
    unsigned long v = c->args[i], next = i + 1 < SYSCALL_ARGS ? c->args[i + 1] : 0;
    if (format_named_arg(t, kind, v))
        return;
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
    case 'A':
        format_sockaddr(t, m, v, next);
        break;
    case 'O':
        format_sockopt_name(t, i > 0 ? (long)(int)c->args[i - 1] : 0, v);
        break;
    case 'v':
    case 'e':
        format_string_array(t, m, v, kind == 'e');
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
static void format_output_arg(struct text *t, char kind, unsigned long addr, unsigned long next,
                              long result, const struct memory *m)
{
    int values[2];
    if (kind == 'R' && result >= 0 && addr && next && memory_read(m, next, values, 4, false) == 4 &&
        values[0] >= 0) {
        format_sockaddr(t, m, addr, (unsigned long)values[0]);
    } else if (kind == 'B' && result >= 0) {
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

void call_enter(struct call *c, unsigned long nr, const unsigned long args[SYSCALL_ARGS],
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
            format_output_arg(&t, kind, c->args[i], 0, -EFAULT, m); /* placeholder */
        else
            format_input_arg(&t, kind, c, i, m);
    }
}

bool call_never_returns(const struct call *c) { return c->format->result == 'n'; }

void call_line(struct call *c, const struct memory *m, bool returned, long result,
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
            format_output_arg(&t, kind, c->args[i], i + 1 < SYSCALL_ARGS ? c->args[i + 1] : 0,
                              result, m);
        }
        text_add(line, "%s%s", i ? ", " : "", c->text[i]);
    }
    text_add(line, ") = ");
    if (returned)
        format_result(line, c->format->result, result);
    else
        text_add(line, "?");
}
