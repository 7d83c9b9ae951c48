/*
 * jobs.c - the job table: what the shell started, and what became of it.
 *
 * A job is one pipeline: its processes share one process group (with job
 * control), so one kill(-pgid, sig) or one tcsetpgrp() covers all of them.
 *
 *   $ sleep 100 | cat &         job 1: pgid 41, processes 41 (sleep), 42 (cat)
 *   [1] 42
 *   $ spin                      job 2: in the foreground; ^Z stops it
 *   ^Z
 *   [2]+  Stopped                 spin
 *   $ fg %2                     terminal to pgid of job 2, SIGCONT, wait again
 *
 * The shell learns what happened to its children only through waitpid():
 * with WUNTRACED it also hears when one stops, with WCONTINUED when one
 * resumes, and with WNOHANG it can look without blocking. Every status is
 * recorded against the process it is about (jobs_record); the rest of the
 * shell then just asks a job whether it is done or stopped.
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct job job_table[JOBS_MAX];
static unsigned long touch_clock; /* grows by one whenever a job is touched */

static void jobs_touch(struct job *job) { job->touched = ++touch_clock; }

struct job *jobs_at(int index)
{
    return index >= 0 && index < JOBS_MAX && job_table[index].id ? &job_table[index] : NULL;
}

bool jobs_is_done(const struct job *job)
{
    for (int i = 0; i < job->proc_count; i++)
        if (!job->procs[i].done)
            return false;
    return true;
}

/* Stopped: not done, and every process that is still alive is stopped. */
bool jobs_is_stopped(const struct job *job)
{
    bool any_stopped = false;
    for (int i = 0; i < job->proc_count; i++) {
        if (!job->procs[i].done && !job->procs[i].stopped)
            return false;
        any_stopped |= job->procs[i].stopped;
    }
    return any_stopped;
}

/* A job's status is its last process's, as for a pipeline in POSIX. */
int jobs_exit_status(const struct job *job)
{
    if (job->proc_count == 0)
        return 0;
    if (jobs_is_stopped(job))
        for (int i = 0; i < job->proc_count; i++)
            if (job->procs[i].stopped)
                return status_to_exit_code(job->procs[i].status);
    return status_to_exit_code(job->procs[job->proc_count - 1].status);
}

/* A free slot, or when none is left a finished job nobody asked about. */
static struct job *jobs_free_slot(void)
{
    struct job *oldest_done = NULL;
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *job = &job_table[i];
        if (job->id == 0)
            return job;
        if (jobs_is_done(job) && (!oldest_done || job->touched < oldest_done->touched))
            oldest_done = job;
    }
    if (oldest_done)
        jobs_discard(oldest_done);
    return oldest_done;
}

/* A new job for a pipeline of up to process_capacity processes. Returns
 * NULL when the table is full of running and stopped jobs. */
struct job *jobs_create(const char *text, int process_capacity)
{
    jobs_reap(); /* so jobs that have ended are seen as ended, and their slots reused */
    struct job *job = jobs_free_slot();
    if (!job)
        return NULL;
    *job = (struct job){
        .id = (int)(job - job_table) + 1,
        .text = mem_strdup(text),
        .procs = mem_alloc((size_t)process_capacity * sizeof *job->procs),
    };
    jobs_touch(job);
    return job;
}

void jobs_add_process(struct job *job, pid_t pid)
{
    job->procs[job->proc_count++] = (struct process){.pid = pid};
}

void jobs_discard(struct job *job)
{
    free(job->text);
    free(job->procs);
    *job = (struct job){0};
}

/* In a forked subshell: these jobs belong to the parent shell. */
void jobs_forget_all(void)
{
    for (int i = 0; i < JOBS_MAX; i++)
        if (job_table[i].id)
            jobs_discard(&job_table[i]);
}

/* One status from waitpid(), recorded against its process. */
static void jobs_record(pid_t pid, int status)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *job = &job_table[i];
        for (int j = 0; job->id && j < job->proc_count; j++) {
            struct process *p = &job->procs[j];
            if (p->pid != pid)
                continue;
            if (WIFCONTINUED(status)) {
                p->stopped = false; /* keep the last real status: nothing to report */
                return;
            }
            if (WIFSTOPPED(status)) {
                p->stopped = true;
            } else {
                p->done = true;
                p->stopped = false;
            }
            p->status = status;
            job->changed = true;
            return;
        }
    }
    /* Not ours (a process that outlived a forgotten job): nothing to do. */
}

/*
 * Blocks until the job is done or stopped, recording everything waitpid()
 * reports meanwhile (other jobs' too). With interruptible, a ^C makes it
 * return -1 early (the wait builtin); else returns 0.
 */
int jobs_wait_running(struct job *job, bool interruptible)
{
    while (!jobs_is_done(job) && !jobs_is_stopped(job)) {
        int status;
        pid_t pid = waitpid(-1, &status, WUNTRACED);
        if (pid > 0) {
            jobs_record(pid, status);
        } else if (errno == EINTR) {
            if (interruptible && shell.interrupted)
                return -1;
        } else {
            /* ECHILD: the children are gone and we never saw them end;
             * waiting longer would wait forever. Count them as done. */
            for (int i = 0; i < job->proc_count; i++)
                job->procs[i].done = true;
        }
    }
    return 0;
}

/* The first process killed by a signal a user should hear about: not ^C
 * (they pressed it) and not SIGPIPE (the normal end of "yes | head"). */
static const struct process *jobs_signal_death(const struct job *job)
{
    for (int i = 0; i < job->proc_count; i++) {
        const struct process *p = &job->procs[i];
        if (p->done && WIFSIGNALED(p->status) && WTERMSIG(p->status) != SIGINT &&
            WTERMSIG(p->status) != SIGPIPE)
            return p;
    }
    return NULL;
}

/* After a foreground job ended: "Segmentation fault (core dumped)". */
static void jobs_report_death(const struct job *job)
{
    const struct process *p = jobs_signal_death(job);
    if (p) {
        fd_printf(2, "%s%s\n", signals_describe(WTERMSIG(p->status)),
                  WCOREDUMP(p->status) ? " (core dumped)" : "");
        return;
    }
    int last = job->procs[job->proc_count - 1].status;
    if (shell.interactive && WIFSIGNALED(last) && WTERMSIG(last) == SIGINT)
        fd_printf(2, "\n"); /* after "^C", start the prompt on a new line */
}

/*
 * Runs a job in the foreground: gives it the terminal, (with resume, sends
 * SIGCONT: the fg builtin), waits until it ends or stops, takes the terminal
 * back. Returns its exit status for $?. A job that ended is discarded; a job
 * that stopped stays in the table, announced as "[1]+  Stopped  text".
 */
int jobs_wait_foreground(struct job *job, bool resume)
{
    job->background = false;
    if (shell.job_control)
        tcsetpgrp(shell.tty_fd, job->pgid); /* fails harmlessly if all already exited */
    if (resume)
        jobs_continue(job, false);
    jobs_wait_running(job, false);
    if (shell.job_control)
        tcsetpgrp(shell.tty_fd, shell.pgid);

    int status = jobs_exit_status(job);
    if (jobs_is_stopped(job)) {
        job->background = true;
        job->changed = false;
        jobs_touch(job);
        fd_printf(2, "\n");
        jobs_print(job, 2, false);
        shell.terminal_suspect = true; /* it may have left the terminal in raw mode */
        return status;
    }
    jobs_report_death(job);
    int last = job->procs[job->proc_count - 1].status;
    if (WIFSIGNALED(last))
        shell.terminal_suspect = true; /* killed before it could restore the terminal */
    if (shell.interactive && WIFSIGNALED(last) && WTERMSIG(last) == SIGINT)
        shell.skip = SKIP_INTERRUPT; /* ^C in "while :; do sleep 1; done" ends the loop too */
    jobs_discard(job);
    return status;
}

/* Sends signo to every process of the job: to its process group with job
 * control, else one by one (they share the shell's group then). */
int jobs_signal(struct job *job, int signo)
{
    if (shell.job_control && job->pgid > 0)
        return kill(-job->pgid, signo);
    int result = 0;
    for (int i = 0; i < job->proc_count; i++)
        if (!job->procs[i].done && kill(job->procs[i].pid, signo) < 0)
            result = -1;
    return result;
}

/* fg and bg: SIGCONT, and mark it running now rather than when (or if)
 * waitpid reports WCONTINUED. */
void jobs_continue(struct job *job, bool background)
{
    job->background = background;
    for (int i = 0; i < job->proc_count; i++)
        job->procs[i].stopped = false;
    jobs_touch(job);
    jobs_signal(job, SIGCONT);
}

/* Collects every status change that is ready, without blocking. */
void jobs_reap(void)
{
    static int options = WNOHANG | WUNTRACED | WCONTINUED;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, options);
        if (pid > 0) {
            jobs_record(pid, status);
        } else if (pid < 0 && errno == EINVAL && (options & WCONTINUED)) {
            options &= ~WCONTINUED; /* a kernel without WCONTINUED: do without */
        } else if (pid < 0 && errno == EINTR) {
            continue;
        } else {
            return; /* 0: children left but none changed; -1 ECHILD: no children */
        }
    }
}

/* Before a prompt: tell the user about background jobs that ended or
 * stopped ("[1]+  Done  sleep 1"); forget the ended ones. */
void jobs_notify(int fd)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *job = &job_table[i];
        if (!job->id || !job->changed)
            continue;
        job->changed = false;
        if (jobs_is_done(job)) {
            jobs_print(job, fd, false);
            jobs_discard(job);
        } else if (jobs_is_stopped(job)) {
            jobs_print(job, fd, false);
        }
    }
}

/* %+ (the current job) is the one most recently started, stopped or
 * resumed; %- is the one before it. which is 0 for %+, 1 for %-. */
static struct job *jobs_by_recency(int which)
{
    struct job *best[2] = {NULL, NULL};
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *job = &job_table[i];
        if (!job->id)
            continue;
        if (!best[0] || job->touched > best[0]->touched) {
            best[1] = best[0];
            best[0] = job;
        } else if (!best[1] || job->touched > best[1]->touched) {
            best[1] = job;
        }
    }
    return best[which];
}

struct job *jobs_current(void) { return jobs_by_recency(0); }

/* "Running", "Stopped", "Done", "Exit 3", "Killed", ... */
static const char *jobs_state_text(const struct job *job, char *buffer, size_t size)
{
    if (jobs_is_stopped(job)) {
        for (int i = 0; i < job->proc_count; i++)
            if (job->procs[i].stopped)
                return signals_describe(WSTOPSIG(job->procs[i].status));
    }
    if (!jobs_is_done(job))
        return "Running";
    const struct process *dead = jobs_signal_death(job);
    int status = dead ? dead->status : job->procs[job->proc_count - 1].status;
    if (WIFSIGNALED(status))
        snprintf(buffer, size, "%s%s", signals_describe(WTERMSIG(status)),
                 WCOREDUMP(status) ? " (core dumped)" : "");
    else if (WEXITSTATUS(status) != 0)
        snprintf(buffer, size, "Exit %d", WEXITSTATUS(status));
    else
        return "Done";
    return buffer;
}

/* One line of "jobs":  [1]+  Running                 sleep 10 &  */
void jobs_print(const struct job *job, int fd, bool with_pid)
{
    char buffer[64], pid_column[24] = "";
    char mark = job == jobs_by_recency(0) ? '+' : job == jobs_by_recency(1) ? '-' : ' ';
    const char *state = jobs_state_text(job, buffer, sizeof buffer);
    bool running = !jobs_is_done(job) && !jobs_is_stopped(job);
    if (with_pid)
        snprintf(pid_column, sizeof pid_column, " %d", (int)job->pgid);
    fd_printf(fd, "[%d]%c%s  %-24s%s%s\n", job->id, mark, pid_column, state, job->text,
              running && job->background ? " &" : "");
}

/*
 * A job named the way users name them: %1 (job 1), %+ or %% (current),
 * %- (previous). A bare number is a process id when number_is_pid (wait,
 * kill), else a job number (fg, bg). NULL when there is no such job.
 */
struct job *jobs_from_spec(const char *spec, bool number_is_pid)
{
    if (spec[0] == '%') {
        spec++;
        if (spec[0] == '\0' || strcmp(spec, "%") == 0 || strcmp(spec, "+") == 0)
            return jobs_by_recency(0);
        if (strcmp(spec, "-") == 0)
            return jobs_by_recency(1);
        number_is_pid = false;
    }
    long number = 0;
    for (const char *c = spec; *c; c++) {
        if (*c < '0' || *c > '9' || number > 10000000)
            return NULL;
        number = number * 10 + (*c - '0');
    }
    if (spec[0] == '\0')
        return NULL;
    if (!number_is_pid)
        return jobs_at((int)number - 1);
    for (int i = 0; i < JOBS_MAX; i++)
        for (int j = 0; job_table[i].id && j < job_table[i].proc_count; j++)
            if (job_table[i].procs[j].pid == number)
                return &job_table[i];
    return NULL;
}

bool jobs_any_stopped(void)
{
    for (int i = 0; i < JOBS_MAX; i++)
        if (job_table[i].id && jobs_is_stopped(&job_table[i]))
            return true;
    return false;
}

/* Leaving an interactive shell: a stopped job would wait forever for a fg
 * that cannot come, so hang it up (SIGHUP), and wake it so it sees that. */
void jobs_hang_up_stopped(void)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        if (job_table[i].id && jobs_is_stopped(&job_table[i])) {
            jobs_signal(&job_table[i], SIGHUP);
            jobs_signal(&job_table[i], SIGCONT);
        }
    }
}
