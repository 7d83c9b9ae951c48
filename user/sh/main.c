/*
 * main.c - the shell's start and end: where commands come from, and whether
 * the shell runs interactively, with job control.
 *
 *   sh                      commands from stdin; interactive if it is a terminal
 *   sh -i                   interactive even if stdin is not a terminal
 *   sh -c 'cmds' [$0 $1..]  commands from the string
 *   sh script [$1 ...]      commands from the file
 *   sh -s [$1 ...]          commands from stdin, with arguments
 *   -e -x -f -u             as set -e (exit on error), -x (trace), -f (no globbing), -u
 *                           (unset variables are errors)
 *
 * Interactive means: a prompt, job notices, and job control, which needs
 * the shell to own the terminal's foreground process group.
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static pid_t original_foreground = -1; /* the terminal's group when we started */

/*
 * Takes charge of the terminal: our own process group, in the foreground.
 * Afterwards each job gets a group of its own and the terminal while it runs
 * in the foreground, so ^C and ^Z reach the job and not the shell.
 */
static void job_control_start(void)
{
    signals_init_shell();
    shell.tty_fd = 0;
    pid_t foreground = tcgetpgrp(shell.tty_fd);
    if (foreground < 0) {
        shell_error("no job control: stdin is not our controlling terminal (%s)", strerror(errno));
        return;
    }
    /* Started in the background ("sh &" from another shell)? Stop until
     * someone brings us to the foreground, like any background reader. */
    while (foreground >= 0 && foreground != getpgrp()) {
        kill(-getpgrp(), SIGTTIN);
        foreground = tcgetpgrp(shell.tty_fd);
    }
    original_foreground = foreground;
    /* A session leader (started by init with setsid) already leads its group. */
    if (getpgrp() != getpid() && setpgid(0, 0) < 0) {
        shell_error("no job control: setpgid: %s", strerror(errno));
        return;
    }
    shell.pgid = getpid();
    if (tcsetpgrp(shell.tty_fd, shell.pgid) < 0) {
        shell_error("no job control: tcsetpgrp: %s", strerror(errno));
        return;
    }
    shell.job_control = true;
}

static void job_control_stop(void)
{
    jobs_hang_up_stopped();
    if (shell.job_control && original_foreground > 0 && original_foreground != shell.pgid)
        tcsetpgrp(shell.tty_fd, original_foreground);
}

static void shell_init(const char *name)
{
    char cwd[SH_CWD_MAX];
    shell.pid = getpid();
    shell.name = name;
    signals_init_children();
    vars_import(environ);
    if (!vars_get("PATH")) {
        vars_set("PATH", DEFAULT_PATH);
        vars_export("PATH");
    }
    if (getcwd(cwd, sizeof cwd))
        vars_set("PWD", cwd);
}

static int usage(const char *bad_option)
{
    shell_error("%s: unknown option", bad_option);
    fd_printf(2, "usage: sh [-eifsux] [-c 'COMMANDS' [NAME [ARG...]] | SCRIPT [ARG...]]\n");
    return 2;
}

struct start_options {
    bool command;     /* -c: commands from the first argument */
    bool interactive; /* -i: prompts and job control even when stdin is no terminal */
    bool stdin_only;  /* -s: commands from stdin; arguments are $1 ... */
};

/* Reads -c -i -s -e -x -f -u (and +e ...) up to the first other argument
 * or "--". Returns the index of that argument, or -1 after a message. */
static int parse_options(int argc, char **argv, struct start_options *options)
{
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0)
            return i + 1;
        if ((arg[0] != '-' && arg[0] != '+') || arg[1] == '\0')
            break;
        bool on = arg[0] == '-';
        for (const char *c = arg + 1; *c; c++) {
            char set_argument[3] = {arg[0], *c, '\0'};
            char *set_argv[] = {"set", set_argument, NULL};
            struct builtin_io io;
            if (*c == 'c')
                options->command = on;
            else if (*c == 'i')
                options->interactive = on;
            else if (*c == 's')
                options->stdin_only = on;
            else if (strchr("efux", *c)) {
                redir_io_init(&io);
                builtin_set(2, set_argv, &io);
            } else
                return usage(arg) ? -1 : -1;
        }
    }
    return i;
}

int main(int argc, char **argv)
{
    struct input in;
    struct start_options options = {0};
    shell_init(argc > 0 ? argv[0] : "sh");
    int first = parse_options(argc, argv, &options);
    if (first < 0)
        return 2;

    if (options.command) {
        if (first >= argc) {
            shell_error("-c: option requires an argument");
            return 2;
        }
        if (first + 1 < argc) { /* sh -c 'echo $0 $1' zero one */
            shell.name = argv[first + 1];
            vars_set_params(argv + first + 2, argc - first - 2);
        }
        input_from_text(&in, argv[first], NULL);
        shell_exit(input_run(&in));
    }
    if (first < argc && !options.stdin_only) {
        shell.name = argv[first];
        vars_set_params(argv + first + 1, argc - first - 1);
        int status = input_run_file(argv[first], 2);
        shell_exit(status < 0 ? 127 : status);
    }
    vars_set_params(argv + first, argc - first);

    shell.interactive = options.interactive || isatty(0);
    if (shell.interactive && isatty(0))
        job_control_start();
    else if (shell.interactive)
        signals_init_shell();
    input_from_fd(&in, 0, shell.interactive);
    int status = input_run(&in);
    if (shell.interactive)
        job_control_stop();
    shell_exit(status);
}
