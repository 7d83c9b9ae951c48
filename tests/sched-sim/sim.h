/*
 * sim.h - a discrete-event scheduling simulator for sprout's policies.
 *
 * The same policy files (sched/policies/) that run in the kernel run here on the host:
 * the simulator plays the part of sched/sched.c (enqueue on arrival, wake-up
 * and preemption; pick_next when the CPU is free; tick every tick for the
 * running process; yield; the fork hook; nice and tickets changes) on a
 * virtual clock counted in ticks.  See README.md for a walk-through.
 *
 *   static const struct sim_job jobs[] = {
 *       { .name = 'A', .script = { RUN(FOREVER) } },             // a CPU hog
 *       { .name = 'B', .arrival = 5, .script = { RUN(3) } },      // short job
 *       { .name = 'C', .repeat = true, .script = { RUN(1), BLOCK(4) } }, // interactive
 *   };
 *   static struct sim sim;
 *   sim_start(&sim, &rr_policy, 1, jobs, ARRAY_SIZE(jobs));
 *   sim_run(&sim, 100);
 *   puts(sim.timeline);                 // "ACAAABBB..." -- '.' is idle
 *
 * With several CPUs (sim_start_cpus), each CPU has its own run queue and its
 * own timeline (sim.cpu[N].timeline), the policy runs on each queue, and the
 * load balancer of sched/balance.h places processes that become ready and
 * moves ready ones between CPUs, where the kernel's core does (README.md).
 */
#ifndef TESTS_SCHED_SIM_SIM_H
#define TESTS_SCHED_SIM_SIM_H

#include "sched/balance.h"
#include "sched/policy.h"

#define SIM_MAX_JOBS 16
#define SIM_MAX_BURSTS 16
#define SIM_MAX_TICKS 50000
#define SIM_DEFAULT_SEED 0x5eed5eed5eedULL /* sched_random()'s seed unless told */
#define SIM_MAX_CPUS 8
#define SIM_BALANCE_TICKS 10 /* periodic balancing: at every clock multiple of this (100 ms) */

/* One step of a job's script. */
enum sim_op {
    SIM_END,   /* the script is over: the job exits (or starts again if .repeat) */
    SIM_RUN,   /* use the CPU for `ticks` ticks of running */
    SIM_BLOCK, /* wait (not ready) for `ticks` ticks, e.g. for the disk or a key */
    SIM_YIELD, /* call sched_yield() */
};
struct sim_burst {
    enum sim_op op;
    u64 ticks;
};
/* clang-format off */
#define RUN(n) { SIM_RUN, (n) }
#define BLOCK(n) { SIM_BLOCK, (n) }
#define YIELD { SIM_YIELD, 0 }
/* clang-format on */
#define FOREVER ((u64)-1) /* RUN(FOREVER): a hog that runs until the simulation ends */

/* One job of a workload.  Scripts start with a RUN. */
struct sim_job {
    char name;    /* its letter in the timeline */
    u64 arrival;  /* the tick it is forked */
    char parent;  /* the job that forks it (its letter), or 0 for init */
    int nice;     /* -20..19; a job with a parent inherits the parent's instead */
    u64 tickets;  /* lottery and stride; 0 = derived from nice; inherited likewise */
    bool repeat;  /* after the last step, start the script again instead of exiting */
    u64 affinity; /* the CPUs it may run on (bit N: CPU N); 0 = its parent's (init: all) */
    struct sim_burst script[SIM_MAX_BURSTS];
    /* SCHED_DEADLINE, in ticks (period 0: a normal job), set as it arrives, the way
     * sched_setattr() does (no admission control: a test may overload the CPU).  A job of
     * the task ends when its script yields or blocks; see sched/deadline.h. */
    struct {
        u64 runtime, deadline, period;
    } dl;
};
/* A periodic deadline task that works `c` ticks per period `p` (deadline = period). */
#define PERIODIC(c, p) .repeat = true, .dl = {(c), (p), (p)}, .script = {RUN(c), YIELD}

/* A simulated process: the struct proc the policy sees, plus its script. */
struct sim_task {
    struct proc proc;
    const struct sim_job *job;
    int step;    /* index into job->script */
    u64 left;    /* ticks left in the current RUN or BLOCK */
    u64 wake_at; /* BLOCKED: the tick it becomes ready */
    /* metrics, counted tick by tick */
    u64 run_ticks, wait_ticks;
    u64 first_run;  /* tick it first got the CPU (valid if has_run) */
    u64 completion; /* tick it exited (valid if state == SIM_EXITED) */
    bool has_run;
    /* several CPUs */
    int cpu;        /* the CPU whose queue it is on, or that runs it, or that it last ran on */
    u64 allowed;    /* its affinity mask (never empty) */
    u64 migrations; /* times the balancer moved it while it was ready */
};

/* A policy's decision, as it called sched_trace_level/_boost/_draw/_pick (sched/policy.h). */
enum sim_note_kind {
    NOTE_LEVEL = 'L',
    NOTE_BOOST = 'B',
    NOTE_DRAW = 'D',
    NOTE_PICK = 'P',
    NOTE_DEADLINE = 'R', /* a deadline task's job was released: value = its absolute deadline */
    NOTE_MISS = 'M',     /* a job missed: value = the deadline it missed */
};
struct sim_note {
    enum sim_note_kind kind;
    char name; /* the job it is about ('-' for a boost) */
    u64 clock; /* sim.clock when the policy made the call */
    u64 value; /* level; the ticket drawn; the pass or vruntime picked */
    u64 total; /* draws: the tickets in the draw */
};
#define SIM_MAX_NOTES 4096

/* One simulated CPU: its run queue, what it runs, and what it ran. */
struct sim_cpu {
    struct run_queue rq;
    struct sim_task *running;         /* NULL: idle */
    char timeline[SIM_MAX_TICKS + 1]; /* who ran in each tick: a job letter, '.' idle */
};

/* The load balancer a simulation asks (sim_start_cpus): sched/balance.c's unless told. */
struct sim_balancer {
    int (*select_cpu)(const struct balance_view *view, u64 allowed, int prev_cpu);
    int (*find_busiest)(const struct balance_view *view);
};

struct sim {
    const struct sched_policy *policy;
    struct proc init; /* the parent of every job; never runs (on CPU 0) */
    struct sim_task tasks[SIM_MAX_JOBS];
    int nr_tasks;
    int ncpus;
    struct sim_cpu cpu[SIM_MAX_CPUS];
    char *timeline; /* CPU 0's: with one CPU, the timeline */
    u64 clock;      /* ticks simulated so far */
    u64 context_switches;
    struct sim_note notes[SIM_MAX_NOTES]; /* the policy's traced decisions, the first ones */
    int nr_notes;
    u64 notes_lost; /* calls after notes[] was full */
    /* several CPUs */
    struct sim_balancer balancer;
    u64 balance_every;       /* periodic balancing interval in ticks (SIM_BALANCE_TICKS) */
    u64 migrations;          /* ready processes the balancer moved */
    u64 bad_answers;         /* balancer answers the core refused (outside allowed, offline...) */
    u64 affinity_violations; /* ticks a process ran on a CPU outside its mask (a core bug) */
};

/* Metrics of one job.  Times are in ticks; -1 where it does not apply. */
struct sim_job_stats {
    u64 run_ticks, wait_ticks, times_scheduled;
    long response;   /* first run - arrival, or -1 if it never ran */
    long turnaround; /* exit - arrival, or -1 if it has not finished */
};

/* Metrics of the whole run.  Averages and worst cases are over the jobs it applies to. */
struct sim_summary {
    u64 ticks, completed, context_switches;
    double throughput;                       /* completed jobs per 100 ticks (1 s at HZ=100) */
    double avg_turnaround, worst_turnaround; /* over completed jobs */
    double avg_response, worst_response;     /* over jobs that ran */
    double fairness;                         /* Jain's index of the jobs' run ticks */
};

/* Set up a simulation of `jobs` under `policy` with a slice of `quantum` ticks. */
void sim_start(struct sim *sim, const struct sched_policy *policy, u64 quantum,
               const struct sim_job *jobs, int nr_jobs);
/* The same with `ncpus` CPUs (1..SIM_MAX_CPUS), asking `balancer` (NULL: sched/balance.c's
 * balance_select_cpu and balance_find_busiest) where processes go.  With one CPU the
 * balancer is never asked. */
void sim_start_cpus(struct sim *sim, const struct sched_policy *policy, u64 quantum, int ncpus,
                    const struct sim_balancer *balancer, const struct sim_job *jobs, int nr_jobs);
/* Simulate one tick. */
void sim_step(struct sim *sim);
/* Simulate until the clock reads `until` or every job has exited. */
void sim_run(struct sim *sim, u64 until);
/* setpriority() / tickets for job `index`, now (between ticks), the way the core does it. */
void sim_set_nice(struct sim *sim, int index, int nice);
void sim_set_tickets(struct sim *sim, int index, u64 tickets);
/* sched_setaffinity() for job `index`, now: a process ready or running on a CPU it may no
 * longer use moves to one it may (chosen by balance_select_cpu). */
void sim_set_affinity(struct sim *sim, int index, u64 mask);
/* The CPU job `index` is on (running or queued), or last ran on. */
int sim_cpu_of(const struct sim *sim, int index);

struct proc *sim_proc(struct sim *sim, int index);
void sim_job_stats(const struct sim *sim, int index, struct sim_job_stats *out);
void sim_summary(const struct sim *sim, struct sim_summary *out);
/* How many ticks the job named `name` ran in ticks [from, to), on any CPU. */
u64 sim_count(const struct sim *sim, char name, u64 from, u64 to);
/* The same on CPU `cpu` only. */
u64 sim_count_on(const struct sim *sim, int cpu, char name, u64 from, u64 to);
/* Jain's fairness index (sum x)^2 / (n * sum x^2): 1 when all are equal, 1/n at worst. */
double sim_jain(const double *x, int n);

/* How many notes of `kind` the policy made (about job `name`, or any job if 0). */
int sim_notes(const struct sim *sim, enum sim_note_kind kind, char name);

/* sched_random()'s seed; sim_start() resets it to SIM_DEFAULT_SEED. */
void sim_seed(u64 seed);

/* For tests (with tests/unit/unit.h): a number within `tolerance` of `expected`. */
#define CHECK_NEAR(actual, expected, tolerance)                                                    \
    do {                                                                                           \
        double got_ = (double)(actual), want_ = (double)(expected), tol_ = (tolerance);            \
        if (got_ < want_ - tol_ || got_ > want_ + tol_) {                                          \
            char why_[256];                                                                        \
            snprintf(why_, sizeof why_, "expected %s == %g +- %g: got %g", #actual, want_, tol_,   \
                     got_);                                                                        \
            unit_fail(__FILE__, __LINE__, why_);                                                   \
        }                                                                                          \
    } while (0)

/* The policies, for tests. */
extern const struct sched_policy rr_policy, prio_policy, mlfq_policy, lottery_policy, stride_policy,
    cfs_policy, edf_policy, rm_policy;

/* Deadlines the job at `index` has missed so far (its dl_misses). */
u64 sim_misses(struct sim *sim, int index);

#endif
