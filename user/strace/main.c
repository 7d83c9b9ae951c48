/*
 * strace - watch a program talk to the kernel, one line per system call.
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
 * This file is the tracer; names.c and decode.c turn registers plus a way to
 * read the child's memory into text (see strace.h).  The tracing loop below
 * (under #ifndef HOST_TEST) uses only these ptrace requests, which is all
 * sprout's kernel has to provide:
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
#include "user/strace/strace.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the command line ---------------------------------------------------- */

struct options {
    bool follow_forks;  /* -f */
    const char *output; /* -o FILE, or NULL for stderr */
    char **command;     /* PROG and its arguments */
    pid_t attach;       /* -p PID: trace a running process instead */
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
        } else if (strcmp(argv[i], "-p") == 0) {
            char *end;
            long pid = i + 1 < argc ? strtol(argv[++i], &end, 10) : 0;
            if (pid <= 0 || *end)
                return "-p needs a process ID";
            o->attach = (pid_t)pid;
        } else if (strncmp(argv[i], "-o", 2) == 0) {
            o->output = argv[i][2] ? argv[i] + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!o->output)
                return "-o needs a file name";
        } else {
            return "unknown option";
        }
    }
    if (o->attach)
        return i < argc ? "-p and a program: one or the other" : NULL;
    if (i >= argc)
        return "no program to run";
    o->command = argv + i;
    return NULL;
}

#ifndef HOST_TEST
/* ---- the tracer: ptrace, wait4, and nothing else ------------------------- */

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
        fprintf(stderr, "strace: %s\nusage: strace [-f] [-o FILE] {PROG [ARGS...] | -p PID}\n",
                problem);
        return 2;
    }
    follow_forks = o.follow_forks;
    if (o.output && (out_fd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
        fprintf(stderr, "strace: cannot write %s: %s\n", o.output, strerror(errno));
        return 1;
    }
    if (o.attach) { /* the kernel decides whether we may (ptrace's access rules) */
        if (ptrace(PTRACE_ATTACH, o.attach, NULL, NULL) < 0) {
            fprintf(stderr, "strace: attach: ptrace(PTRACE_ATTACH, %d): %s\n", (int)o.attach,
                    strerror(errno));
            return 1;
        }
        fprintf(stderr, "strace: Process %d attached\n", (int)o.attach);
        main_pid = o.attach;
        if (setup_child(main_pid) < 0)
            return 1;
        /* ^C ends strace; the kernel lets the process go on untraced. */
    } else {
        main_pid = start_child(o.command);
        if (main_pid < 0 || setup_child(main_pid) < 0)
            return 1;
        /* ^C reaches the child too: let it die of it while we watch and report. */
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
    }
    while ((pid = waitpid(-1, &status, 0)) > 0) {
        if (WIFSTOPPED(status))
            on_stop(pid, status);
        else if (WIFEXITED(status) || WIFSIGNALED(status))
            on_exit_status(pid, status);
    }
    return exit_like(main_status);
}
#endif /* HOST_TEST */
