/*
 * signals.c - which signals the shell ignores, what its children reset, and
 * how a process's death is put into words.
 *
 * With job control the terminal sends ^C (SIGINT), ^\ (SIGQUIT) and ^Z
 * (SIGTSTP) to the *foreground process group* only. The shell keeps itself
 * out of that group while a job runs, and ignores those signals anyway in
 * case one arrives while it is the foreground group (at the prompt). It
 * ignores SIGTTOU too, so it may call tcsetpgrp() from the background, and
 * SIGTTIN, which stops a background reader of the terminal.
 *
 * An ignored signal stays ignored across execve (a caught one is reset),
 * so every child puts all of these back to SIG_DFL before it runs a program:
 * otherwise nobody could ^C the programs the shell starts.
 */
#include "user/sh/sh.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
    int number;
    const char *name;        /* for kill -NAME */
    const char *description; /* what a shell prints when a job dies of it */
} signal_table[] = {
    {SIGHUP, "HUP", "Hangup"},
    {SIGINT, "INT", "Interrupt"},
    {SIGQUIT, "QUIT", "Quit"},
    {SIGILL, "ILL", "Illegal instruction"},
    {SIGTRAP, "TRAP", "Trace/breakpoint trap"},
    {SIGABRT, "ABRT", "Aborted"},
    {SIGBUS, "BUS", "Bus error"},
    {SIGFPE, "FPE", "Floating point exception"},
    {SIGKILL, "KILL", "Killed"},
    {SIGUSR1, "USR1", "User defined signal 1"},
    {SIGSEGV, "SEGV", "Segmentation fault"},
    {SIGUSR2, "USR2", "User defined signal 2"},
    {SIGPIPE, "PIPE", "Broken pipe"},
    {SIGALRM, "ALRM", "Alarm clock"},
    {SIGTERM, "TERM", "Terminated"},
    {SIGCHLD, "CHLD", "Child exited"},
    {SIGCONT, "CONT", "Continued"},
    {SIGSTOP, "STOP", "Stopped (signal)"},
    {SIGTSTP, "TSTP", "Stopped"},
    {SIGTTIN, "TTIN", "Stopped (tty input)"},
    {SIGTTOU, "TTOU", "Stopped (tty output)"},
    {SIGURG, "URG", "Urgent I/O condition"},
    {SIGXCPU, "XCPU", "CPU time limit exceeded"},
    {SIGXFSZ, "XFSZ", "File size limit exceeded"},
    {SIGVTALRM, "VTALRM", "Virtual timer expired"},
    {SIGPROF, "PROF", "Profiling timer expired"},
    {SIGWINCH, "WINCH", "Window changed"},
    {SIGSYS, "SYS", "Bad system call"},
};
#define SIGNAL_COUNT (sizeof signal_table / sizeof signal_table[0])

/* The signals a terminal sends, and the two it uses to stop background jobs. */
static const int job_control_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
#define JOB_CONTROL_SIGNAL_COUNT (sizeof job_control_signals / sizeof job_control_signals[0])

static void set_disposition(int signo, void (*handler)(int))
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: a ^C must interrupt read() and waitpid() */
    sigaction(signo, &action, NULL);
}

/* ^C at the prompt: the terminal has thrown the typed line away; read()
 * returns EINTR and input.c starts a fresh prompt. */
static void on_interrupt(int signo) { shell.interrupted = 1; }

/* Did this process change the dispositions? A non-interactive shell leaves
 * them as it found them: what its parent ignored stays ignored (nohup). */
static bool dispositions_changed;

/* Every shell, at start-up: if SIGCHLD came to us ignored, the kernel
 * would reap our children itself and waitpid() could never report how
 * they ended. */
void signals_init_children(void) { set_disposition(SIGCHLD, SIG_DFL); }

/* An interactive shell's dispositions (call once, before the first job). */
void signals_init_shell(void)
{
    for (size_t i = 0; i < JOB_CONTROL_SIGNAL_COUNT; i++)
        set_disposition(job_control_signals[i], SIG_IGN);
    set_disposition(SIGINT, on_interrupt);
    dispositions_changed = true;
}

/*
 * In a child, between fork and execve: undo what signals_init_shell() did.
 * A background command of a shell without job control ignores ^C and ^\
 * instead (it shares the terminal's process group, so a ^C meant for the
 * foreground job would reach it too).
 */
void signals_reset_for_child(bool ignore_interrupts)
{
    if (dispositions_changed) {
        for (size_t i = 0; i < JOB_CONTROL_SIGNAL_COUNT; i++)
            set_disposition(job_control_signals[i], SIG_DFL);
        dispositions_changed = false;
    }
    if (ignore_interrupts) {
        set_disposition(SIGINT, SIG_IGN);
        set_disposition(SIGQUIT, SIG_IGN);
    }
}

/* "Segmentation fault" for SIGSEGV; "Signal 40" for one without a name. */
const char *signals_describe(int signo)
{
    static char unknown[32];
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        if (signal_table[i].number == signo)
            return signal_table[i].description;
    snprintf(unknown, sizeof unknown, "Signal %d", signo);
    return unknown;
}

/* 2 -> "INT"; "?" for a signal without a name. */
const char *signals_name(int signo)
{
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        if (signal_table[i].number == signo)
            return signal_table[i].name;
    return "?";
}

/* "9", "KILL" or "SIGKILL" -> 9. Returns -1 when it names no signal. */
int signals_from_name(const char *name)
{
    if (name[0] >= '0' && name[0] <= '9') {
        int number = 0;
        for (const char *c = name; *c; c++) {
            if (*c < '0' || *c > '9' || number > 1000)
                return -1;
            number = number * 10 + (*c - '0');
        }
        return number < 65 ? number : -1;
    }
    if (strncmp(name, "SIG", 3) == 0)
        name += 3;
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        if (strcmp(signal_table[i].name, name) == 0)
            return signal_table[i].number;
    return -1;
}

/* kill -l: " 1) HUP   Hangup" per line. */
void signals_list(int fd)
{
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        fd_printf(fd, "%2d) %-7s %s\n", signal_table[i].number, signal_table[i].name,
                  signal_table[i].description);
}

/* A wait status as $? shows it: the exit code, or 128 + the signal that
 * killed or stopped the process (139 = 128 + 11, SIGSEGV). */
int status_to_exit_code(int wait_status)
{
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    if (WIFSTOPPED(wait_status))
        return 128 + WSTOPSIG(wait_status);
    return 0;
}
