/*
 * trap.c - trap 'commands' SIGNAL...: run shell commands when a signal
 * arrives, or (EXIT, 0) when the shell leaves.
 *
 *   trap 'echo bye' EXIT      trap 'n=$((n+1))' USR1      trap '' INT (ignore)
 *   trap - INT (default)      trap (list them)
 *
 * A signal handler may not run shell code (it could arrive in the middle of
 * a malloc), so it only marks the signal pending; the commands run between
 * two commands of the shell (exec_list) or when a wait is interrupted.
 */
#include "user/sh/sh.h"

#include <stdlib.h>
#include <string.h>

#define TRAP_SIGNALS 65 /* 0 = EXIT, then 1..64 */

static char *traps[TRAP_SIGNALS];
static volatile sig_atomic_t pending[TRAP_SIGNALS];
volatile sig_atomic_t trap_pending;
static bool running_trap;

static void on_trapped_signal(int signo)
{
    pending[signo] = 1;
    trap_pending = 1;
    if (signo == SIGINT)
        shell.interrupted = 1;
}

static void set_handler(int signo, void (*handler)(int))
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(signo, &action, NULL);
}

/* "EXIT", "0", "INT", "SIGINT", "2" -> 0, 2, ... or -1. */
static int trap_signal_number(const char *name)
{
    if (strcmp(name, "EXIT") == 0 || strcmp(name, "0") == 0)
        return 0;
    int signo = signals_from_name(name);
    return signo > 0 && signo < TRAP_SIGNALS ? signo : -1;
}

static void trap_set(int signo, const char *action)
{
    free(traps[signo]);
    traps[signo] = action ? mem_strdup(action) : NULL;
    if (signo == 0)
        return;
    if (!action)
        set_handler(signo, signo == SIGINT && shell.interactive ? SIG_IGN : SIG_DFL);
    else if (*action == '\0')
        set_handler(signo, SIG_IGN);
    else
        set_handler(signo, on_trapped_signal);
    if (!action && signo == SIGINT && shell.interactive)
        signals_init_shell(); /* back to the prompt's own ^C handling */
}

int trap_builtin(int argc, char **argv, struct builtin_io *io)
{
    if (argc == 1) {
        for (int i = 0; i < TRAP_SIGNALS; i++) {
            if (!traps[i])
                continue;
            fd_printf(io->fd[1], "trap -- '%s' %s\n", traps[i], i == 0 ? "EXIT" : signals_name(i));
        }
        return 0;
    }
    int first = 2;
    const char *action = argv[1];
    if (strcmp(action, "-") == 0) {
        action = NULL;
    } else if (trap_signal_number(action) >= 0 && action[0] >= '0' && action[0] <= '9') {
        action = NULL; /* "trap 2": a number first means reset, as POSIX */
        first = 1;
    }
    if (argc < first + 1 && action) {
        builtin_error(io, "trap: usage: trap [ACTION] SIGNAL...");
        return 2;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        int signo = trap_signal_number(argv[i]);
        if (signo < 0 || signo == SIGKILL || signo == SIGSTOP) {
            builtin_error(io, "trap: %s: bad trap", argv[i]);
            status = 1;
            continue;
        }
        trap_set(signo, action);
    }
    return status;
}

/* Runs the commands of the signals that arrived; $? is kept. */
void trap_run_pending(void)
{
    if (running_trap)
        return;
    running_trap = true;
    while (trap_pending) {
        trap_pending = 0;
        for (int signo = 1; signo < TRAP_SIGNALS; signo++) {
            if (!pending[signo])
                continue;
            pending[signo] = 0;
            if (traps[signo] && *traps[signo]) {
                int status = shell.last_status;
                exec_string(traps[signo], NULL);
                shell.last_status = status;
            }
        }
    }
    running_trap = false;
}

void trap_run_exit(void)
{
    if (!traps[0])
        return;
    char *action = traps[0];
    traps[0] = NULL; /* exit inside the trap must not run it again */
    int status = shell.last_status;
    shell.exit_requested = false;
    shell.skip = SKIP_NONE;
    exec_string(action, NULL);
    if (!shell.exit_requested)
        shell.last_status = status;
    free(action);
}

/* A subshell starts with the traps reset, except ignored signals. */
void trap_reset_for_subshell(void)
{
    for (int i = 0; i < TRAP_SIGNALS; i++) {
        if (traps[i] && *traps[i]) {
            free(traps[i]);
            traps[i] = NULL;
            if (i > 0)
                set_handler(i, SIG_DFL);
        }
    }
}
