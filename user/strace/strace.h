/*
 * strace.h - what the three parts of strace share.
 *
 *   names.c    numbers as names: errno values, signals, flags, results
 *   decode.c   one system call: registers plus the child's memory in, a line of text out
 *   main.c     the command line and the tracer (ptrace and wait4)
 *
 * names.c and decode.c never call ptrace, so tests/unit/test_user_strace.c
 * checks them on canned input.
 */
#ifndef USER_STRACE_STRACE_H
#define USER_STRACE_STRACE_H

#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>

#define STRING_MAX 32  /* show at most this many bytes of a string or buffer, then "..." */
#define ARGV_MAX 8     /* show at most this many argv elements */
#define ENVP_MAX 4096  /* stop counting environment variables here */
#define ARG_TEXT 256   /* room for one formatted argument */
#define LINE_TEXT 2048 /* room for one output line */
#define SYSCALL_ARGS 6

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- text: a bounded string builder that never overflows (names.c) ------ */

struct text {
    char *buf;
    size_t size, len;
};

void text_init(struct text *t, char *buf, size_t size);
/* Appends like printf; output that does not fit is cut off, never overrun. */
__attribute__((format(printf, 2, 3))) void text_add(struct text *t, const char *fmt, ...);

/* ---- names (names.c) ----------------------------------------------------- */

/* The name of system call nr ("openat"), or NULL. */
const char *syscall_name(unsigned long nr);
/* SIGTERM, or the number if it has no name. */
void format_signal(struct text *t, long sig);
/* open()'s flags: "O_WRONLY|O_CREAT|O_TRUNC". */
void format_open_flags(struct text *t, unsigned long flags);
/* Arguments that are names, not numbers, by their kind letter (see decode.c):
 * o k p f c w G flags, S a signal, M sigprocmask's how, F address family,
 * C a clock ID, X a futex operation, I timer_settime's flags,
 * T socket type, H shutdown's how, L socket option level, E epoll_ctl's op.
 * False for other kinds. */
bool format_named_arg(struct text *t, char kind, unsigned long value);
/* setsockopt/getsockopt's option name: SO_REUSEADDR at SOL_SOCKET, else the number. */
void format_sockopt_name(struct text *t, long level, unsigned long name);
/* A system call's result: a number, an address ('x'), or -errno decoded. */
void format_result(struct text *t, char kind, long result);
/* What wait4() stored: spelled with the macros a C programmer would test. */
void format_wait_status(struct text *t, int status);

/* ---- one system call (decode.c) ------------------------------------------ */

/*
 * The child's memory is not ours: we can only ask for one aligned 8-byte word
 * at a time. peek returns false if addr is not mapped in the child.
 */
struct memory {
    bool (*peek)(void *ctx, unsigned long addr, unsigned long *word);
    void *ctx;
};

/* How to show a call's arguments and result (the letters are listed in decode.c). */
struct syscall_format {
    const char *args;
    char result;
};

/* What strace knows about one call in progress: saved at entry, completed at exit. */
struct call {
    unsigned long nr;
    unsigned long args[SYSCALL_ARGS];
    const struct syscall_format *format;
    int nargs;                         /* how many arguments to show */
    char text[SYSCALL_ARGS][ARG_TEXT]; /* each argument, formatted */
};

/* At the entry stop: remember the call and format what the child passes in. */
void call_enter(struct call *c, unsigned long nr, const unsigned long args[SYSCALL_ARGS],
                const struct memory *m);
/* exit and exit_group: no exit stop will come. */
bool call_never_returns(const struct call *c);
/*
 * Writes "name(args) = result" into line. With returned false (exit_group, or
 * a child killed inside a call) the result is "?" and output arguments stay
 * as addresses.
 */
void call_line(struct call *c, const struct memory *m, bool returned, long result,
               struct text *line);

#endif
