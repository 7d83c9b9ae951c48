/*
 * jobctl.c - the job-control builtins: jobs, fg, bg, wait, kill.
 *
 * They must be builtins: only the shell that started a job can wait for it
 * (waitpid works only on one's own children), and only the shell knows which
 * processes "%1" means.
 *
 *   fg %1     tcsetpgrp(tty, pgid of %1); kill(-pgid, SIGCONT); wait for it
 *   bg %1     kill(-pgid, SIGCONT); do not wait
 *   kill %1   kill(-pgid, SIGTERM): every process of the pipeline at once
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The job that fg/bg were given ("%2", "2"), or the current one. */
static struct job *job_argument(const char *builtin, const char *spec, struct builtin_io *io)
{
    struct job *job = spec ? jobs_from_spec(spec, false) : jobs_current();
    if (!job)
        builtin_error(io, "%s: %s: no such job", builtin, spec ? spec : "current");
    return job;
}

static bool job_control_required(const char *builtin, struct builtin_io *io)
{
    if (!shell.job_control)
        builtin_error(io, "%s: no job control in this shell (it needs a terminal)", builtin);
    return shell.job_control;
}

/* jobs [-l] [-p]: list jobs; -l adds the process group, -p prints only it. */
int builtin_jobs(int argc, char **argv, struct builtin_io *io)
{
    bool with_pid = false, pids_only = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-l") == 0) {
            with_pid = true;
        } else if (strcmp(argv[i], "-p") == 0) {
            pids_only = true;
        } else {
            builtin_error(io, "jobs: %s: unknown option (usage: jobs [-l] [-p])", argv[i]);
            return 2;
        }
    }
    jobs_reap();
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *job = jobs_at(i);
        if (!job || !job->background)
            continue;
        if (pids_only)
            fd_printf(io->fd[1], "%d\n", (int)job->pgid);
        else
            jobs_print(job, io->fd[1], with_pid);
        job->changed = false;
        if (jobs_is_done(job)) /* its end has now been reported */
            jobs_discard(job);
    }
    return 0;
}

/* fg [%n]: continue a job in the foreground and wait for it. */
int builtin_fg(int argc, char **argv, struct builtin_io *io)
{
    if (!job_control_required("fg", io))
        return 1;
    struct job *job = job_argument("fg", argc > 1 ? argv[1] : NULL, io);
    if (!job)
        return 1;
    if (jobs_is_done(job)) {
        builtin_error(io, "fg: %%%d: the job has already ended", job->id);
        return 1;
    }
    fd_printf(io->fd[1], "%s\n", job->text);
    return jobs_wait_foreground(job, true);
}

/* bg [%n ...]: continue stopped jobs in the background. */
int builtin_bg(int argc, char **argv, struct builtin_io *io)
{
    if (!job_control_required("bg", io))
        return 1;
    int status = 0;
    for (int i = 1; i < argc || i == 1; i++) {
        struct job *job = job_argument("bg", i < argc ? argv[i] : NULL, io);
        if (!job) {
            status = 1;
        } else if (!jobs_is_stopped(job)) {
            builtin_error(io, "bg: job %d is not stopped", job->id);
        } else {
            jobs_continue(job, true);
            fd_printf(io->fd[1], "[%d]+ %s &\n", job->id, job->text);
        }
    }
    return status;
}

/* Waits for one job; returns its status, or -1 if ^C ended the wait. */
static int wait_for_job(struct job *job, struct builtin_io *io)
{
    if (jobs_wait_running(job, true) < 0) {
        fd_printf(io->fd[2], "\n"); /* after the terminal's "^C" */
        return -1;
    }
    int status = jobs_exit_status(job);
    if (jobs_is_done(job)) {
        /* Like bash, say so when a signal ended it ("[1]+  Terminated  sleep 9"). */
        if (job->proc_count > 0 && WIFSIGNALED(job->procs[job->proc_count - 1].status))
            jobs_print(job, io->fd[2], false);
        jobs_discard(job); /* its status has been collected: forget it */
    }
    return status;
}

/* wait [pid|%n ...]: with no argument, wait for every background job and
 * return 0; else return the status of the last one named. */
int builtin_wait(int argc, char **argv, struct builtin_io *io)
{
    shell.interrupted = 0;
    int status = 0;
    if (argc == 1) {
        for (int i = 0; i < JOBS_MAX; i++) {
            struct job *job = jobs_at(i);
            if (job && job->background && wait_for_job(job, io) < 0)
                return 128 + SIGINT;
        }
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        struct job *job = jobs_from_spec(argv[i], true);
        if (!job) {
            builtin_error(io, "wait: %s: no such job or child process", argv[i]);
            status = 127;
            continue;
        }
        status = wait_for_job(job, io);
        if (status < 0)
            return 128 + SIGINT;
    }
    return status;
}

/* Sends signo to "%n" (the whole job) or to a pid (negative: a group). */
static int kill_target(const char *target, int signo, struct builtin_io *io)
{
    if (target[0] == '%') {
        struct job *job = jobs_from_spec(target, false);
        if (!job) {
            builtin_error(io, "kill: %s: no such job", target);
            return 1;
        }
        int result = jobs_signal(job, signo);
        /* A stopped process only acts on TERM or HUP once running again. */
        if (result == 0 && jobs_is_stopped(job) && (signo == SIGTERM || signo == SIGHUP))
            jobs_signal(job, SIGCONT);
        if (result < 0)
            builtin_error(io, "kill: %s: %s", target, strerror(errno));
        return result < 0;
    }
    const char *digits = target[0] == '-' ? target + 1 : target;
    long pid = 0;
    bool valid = digits[0] != '\0';
    for (const char *c = digits; *c && valid; c++) {
        valid = *c >= '0' && *c <= '9' && pid < 100000000;
        pid = pid * 10 + (*c - '0');
    }
    if (!valid || pid <= 0) {
        builtin_error(io, "kill: %s: not a pid or %%job", target);
        return 1;
    }
    if (kill((pid_t)(target[0] == '-' ? -pid : pid), signo) < 0) {
        builtin_error(io, "kill: (%s): %s", target, strerror(errno));
        return 1;
    }
    return 0;
}

/* kill [-SIGNAL | -s SIGNAL] pid|%n ...   and   kill -l */
int builtin_kill(int argc, char **argv, struct builtin_io *io)
{
    int signo = SIGTERM, first = 1;
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        signals_list(io->fd[1]);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "-s") == 0) {
        signo = signals_from_name(argv[2]);
        first = 3;
    } else if (argc > 1 && strcmp(argv[1], "--") == 0) {
        first = 2;
    } else if (argc > 1 && argv[1][0] == '-') {
        signo = signals_from_name(argv[1] + 1);
        first = 2;
    }
    if (signo < 0) {
        builtin_error(io, "kill: %s: unknown signal (kill -l lists them)", argv[first - 1]);
        return 1;
    }
    if (first >= argc) {
        builtin_error(io, "kill: usage: kill [-SIGNAL] pid|%%job ...");
        return 2;
    }
    int status = 0;
    for (int i = first; i < argc; i++)
        status |= kill_target(argv[i], signo, io);
    return status;
}
