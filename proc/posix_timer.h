/*
 * posix_timer.h - per-process timers: timer_create, timer_settime,
 * timer_gettime, timer_getoverrun, timer_delete.
 *
 * Unlike setitimer's three fixed timers, a process may create many
 * (POSIX_TIMER_MAX), each on a clock of its choice and each telling the
 * process in its own way when it expires (a struct sigevent):
 *
 *   SIGEV_SIGNAL      send sigev_signo to the process (any thread not blocking it)
 *   SIGEV_THREAD_ID   send it to one thread (sigev_notify_thread_id)
 *   SIGEV_NONE        nothing: the program polls with timer_gettime
 *
 * SIGEV_THREAD ("run this function in a new thread") is not the kernel's:
 * musl makes a helper thread that waits in sigwaitinfo and creates the
 * timer as SIGEV_THREAD_ID towards it.
 *
 * The signal's siginfo has si_code SI_TIMER, the timer's ID and its overrun
 * count: how many more expirations happened while the signal was still
 * pending (a timer never has more than one signal queued).
 *
 * The timers belong to the process (its thread group): they are deleted
 * when the last thread exits and at execve.
 */
#ifndef PROC_POSIX_TIMER_H
#define PROC_POSIX_TIMER_H

#include "kernel/types.h"
#include "proc/signal.h"

struct proc;
struct thread_group;

long sys_timer_create(int clock, const void *sigevent, int *timer_id);
long sys_timer_settime(int timer_id, int flags, const void *new_value, void *old_value);
long sys_timer_gettime(int timer_id, void *value);
long sys_timer_getoverrun(int timer_id);
long sys_timer_delete(int timer_id);

/* /proc/PID/timers: each timer of p's process, in Linux's format. */
struct textbuf;
void posix_timers_show(struct textbuf *out, struct proc *p);

/* Delete every timer of the process (last thread exits, execve). */
void posix_timers_release(struct thread_group *group);

/* The timer interrupt charged a tick to thread p: count down the process's
 * CPU-time timers (CLOCK_PROCESS_CPUTIME_ID, and p's CLOCK_THREAD_CPUTIME_ID
 * ones).  Interrupts off. */
void posix_timers_cpu_tick(struct proc *p);

/* A signal with si_code SI_TIMER is being taken by thread p: fill in the
 * overrun count (info->uid, which is si_overrun in the siginfo) and let the
 * timer queue its next signal.  Interrupts off. */
void posix_timer_signal_taken(struct proc *p, struct pending_info *info);

#endif
