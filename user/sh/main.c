/*
 * main.c - the shell's start and end: where commands come from, and whether
 * the shell runs interactively, with job control.
 *
 *   sh                      commands from stdin; interactive if it is a terminal
 *   sh -c 'cmds' [$0 $1..]  commands from the string
 *   sh script [$1 ...]      commands from the file
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
    fd_printf(2, "usage: sh [-c 'COMMANDS' [NAME [ARG...]] | SCRIPT [ARG...]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct input in;
    shell_init(argc > 0 ? argv[0] : "sh");

    if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3) {
            shell_error("-c: option requires an argument");
            return 2;
        }
        if (argc > 3) { /* sh -c 'echo $0 $1' zero one */
            shell.name = argv[3];
            shell.params = argv + 4;
            shell.param_count = argc - 4;
        }
        input_from_text(&in, argv[2], NULL);
        return input_run(&in);
    }
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0')
        return usage(argv[1]);
    if (argc > 1) {
        shell.name = argv[1];
        shell.params = argv + 2;
        shell.param_count = argc - 2;
        int status = input_run_file(argv[1], 2);
        return status < 0 ? 127 : status;
    }

    shell.interactive = isatty(0);
    if (shell.interactive)
        job_control_start();
    input_from_fd(&in, 0, shell.interactive);
    int status = input_run(&in);
    if (shell.interactive)
        job_control_stop();
    return status;
}
