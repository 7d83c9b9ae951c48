/*
 * test_edf.c - real-time scheduling (sched/policies/edf.c) in the simulator:
 * earliest deadline first, rate-monotonic, budgets and periods.
 *
 * A PERIODIC(c, p) job is a SCHED_DEADLINE task with runtime c, deadline and
 * period p (ticks) that runs c ticks and yields, every period.  The schedules
 * below were worked out by hand (docs/labs/edf.md draws the first one).
 */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"
#include <string.h>

static struct sim sim;

/* U = 2/8 + 7/10 = 0.95: feasible under EDF, but not under RM. */
static const struct sim_job set95[] = {
    {.name = 'A', PERIODIC(2, 8)},
    {.name = 'B', PERIODIC(7, 10)},
};

/*
 * EDF over one hyperperiod (40 ticks).  At 8, A's second job (due 16) waits
 * for B (due 10); at 16 A (due 24) preempts B (due 20); at 24 A (due 32)
 * waits again; at 32 A's job and B's are both due at 40, and B, running,
 * keeps the CPU.  Idle ticks are the 5% nobody reserved.
 */
static void earliest_deadline_runs_first(void)
{
    sim_start(&sim, &edf_policy, 1, set95, 2);
    sim_run(&sim, 40);
    CHECK_STR(sim.timeline, "AABBBBBBBAABBBBBBBAABBBBBBBAA.BBBBBBBAA.");
}

/* The same set beside a normal CPU hog: no deadline is missed in 400 ticks,
 * and the hog gets exactly the 5% left over. */
static void feasible_at_95_percent_meets_every_deadline(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', PERIODIC(2, 8)},
        {.name = 'B', PERIODIC(7, 10)},
        {.name = 'N', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 3);
    sim_run(&sim, 400);
    CHECK_EQ(sim_misses(&sim, 0), 0);
    CHECK_EQ(sim_misses(&sim, 1), 0);
    CHECK_EQ(sim_count(&sim, 'A', 0, 400), 100);
    CHECK_EQ(sim_count(&sim, 'B', 0, 400), 280);
    CHECK_EQ(sim_count(&sim, 'N', 0, 400), 20);
}

/*
 * Rate-monotonic: A (period 8) always before B (period 10).  B's first job
 * gets only 6 of its 7 ticks before its deadline at 10 (A's second job takes
 * 8 and 9): a miss.  B does its last tick of work at 10 and yields, which
 * ends its second job early (a task cannot know its job was late), so it
 * idles until 20.  One miss per 40 ticks, which EDF avoids.
 */
static void rate_monotonic_misses_where_edf_does_not(void)
{
    sim_start(&sim, &rm_policy, 1, set95, 2);
    sim_run(&sim, 400);
    CHECK_EQ(strncmp(sim.timeline, "AABBBBBBAAB.....AA..BBBBAABBB.BBAABBBBB.", 40), 0);
    CHECK_EQ(sim_misses(&sim, 0), 0);
    CHECK_EQ(sim_misses(&sim, 1), 10);
}

/* A task that wants more than it reserved (2 ticks every 10) gets its 2 and
 * is throttled until its next period; a normal hog gets the rest. */
static void budget_is_enforced(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'O', .dl = {2, 10, 10}, .script = {RUN(FOREVER)}},
        {.name = 'N', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 2);
    sim_run(&sim, 30);
    CHECK_STR(sim.timeline, "OONNNNNNNNOONNNNNNNNOONNNNNNNN");
    CHECK_EQ(sim_misses(&sim, 0), 3); /* its jobs never end: deadlines 10, 20 and 30 pass */
}

/* A throttled task runs again exactly when its next period begins, with a
 * full budget, even in the middle of a normal task's slice. */
static void replenished_at_each_period(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'N', .script = {RUN(FOREVER)}},
        {.name = 'D', .arrival = 3, .dl = {3, 7, 7}, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &edf_policy, 5, jobs, 2);
    sim_run(&sim, 24);
    CHECK_STR(sim.timeline, "NNNDDDNNNNDDDNNNNDDDNNNN");
}

/* With no deadline task ready, normal tasks share the CPU round-robin
 * (quantum 2), and a deadline task that arrives takes the CPU at once. */
static void normal_tasks_run_when_no_deadline_task_can(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'M', .script = {RUN(FOREVER)}},
        {.name = 'N', .script = {RUN(FOREVER)}},
        {.name = 'D', .arrival = 5, PERIODIC(1, 4)},
    };
    sim_start(&sim, &edf_policy, 2, jobs, 3);
    sim_run(&sim, 16);
    CHECK_STR(sim.timeline, "MMNNMDNNMDNNMDNN");
}

/* A running deadline task is preempted by a job due earlier: C (due 20)
 * runs alone until A's job (due 6) is released at 2. */
static void earlier_deadline_preempts(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'C', .repeat = true, .dl = {6, 20, 20}, .script = {RUN(6), YIELD}},
        {.name = 'A', .arrival = 2, .repeat = true, .dl = {2, 4, 10}, .script = {RUN(2), YIELD}},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 2);
    sim_run(&sim, 14);
    CHECK_STR(sim.timeline, "CCAACCCC....AA");
    CHECK_EQ(sim_misses(&sim, 0) + sim_misses(&sim, 1), 0);
}

/* A deadline before the end of the period: B (due 10) arrives first, but A
 * (due 3) must run first, and does. */
static void constrained_deadline_is_honoured(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'B', .repeat = true, .dl = {4, 10, 10}, .script = {RUN(4), YIELD}},
        {.name = 'A', .repeat = true, .dl = {2, 3, 10}, .script = {RUN(2), YIELD}},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 2);
    sim_run(&sim, 20);
    CHECK_STR(sim.timeline, "AABBBB....AABBBB....");
    CHECK_EQ(sim_misses(&sim, 0) + sim_misses(&sim, 1), 0);
}

/* Equal deadlines: the lower pid (the job listed first) goes first. */
static void ties_go_to_the_lower_pid(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'X', PERIODIC(1, 3)},
        {.name = 'Y', PERIODIC(1, 3)},
        {.name = 'Z', PERIODIC(1, 3)},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 3);
    sim_run(&sim, 9);
    CHECK_STR(sim.timeline, "XYZXYZXYZ");
}

/*
 * A task that sleeps instead of yielding (a sporadic task): no jobs are
 * released while it sleeps, so a long sleep is no miss; it wakes to a new
 * job at once if its period is over (S, period 5, sleeps 12), and waits,
 * throttled, for the period's end if not (E sleeps 1 and runs again at 5, 10...).
 * At 14 S (due 19) goes before E (due 20).
 */
static void sleeping_task_gets_a_job_when_it_wakes(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'S', .repeat = true, .dl = {2, 5, 5}, .script = {RUN(2), BLOCK(12)}},
        {.name = 'E', .repeat = true, .dl = {1, 5, 5}, .script = {RUN(1), BLOCK(1)}},
        {.name = 'N', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 3);
    sim_run(&sim, 30);
    CHECK_STR(sim.timeline, "SSENNENNNNENNNSSENNNENNNNENNSS");
    CHECK_EQ(sim_misses(&sim, 0) + sim_misses(&sim, 1), 0);
}

/*
 * Overload (the simulator skips admission control): U = 3/4 + 3/6 > 1.  Every
 * miss is counted once, in the task that missed, and traced at its deadline.
 */
static void misses_are_counted_and_traced(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', PERIODIC(3, 4)},
        {.name = 'B', PERIODIC(3, 6)},
    };
    sim_start(&sim, &edf_policy, 1, jobs, 2);
    sim_run(&sim, 120);
    u64 a = sim_misses(&sim, 0), b = sim_misses(&sim, 1);
    CHECK(a + b >= 10);
    CHECK_EQ(sim_notes(&sim, NOTE_MISS, 'A'), (int)a);
    CHECK_EQ(sim_notes(&sim, NOTE_MISS, 'B'), (int)b);
    int late = 0;
    for (int i = 0; i < sim.nr_notes; i++)
        late += sim.notes[i].kind == NOTE_MISS && sim.notes[i].clock != sim.notes[i].value;
    CHECK_EQ(late, 0);
    CHECK(strstr(sim.timeline, ".") == NULL); /* never idle while work is due */
}

static const struct unit_case cases[] = {
    UNIT(earliest_deadline_runs_first),
    UNIT(feasible_at_95_percent_meets_every_deadline),
    UNIT(rate_monotonic_misses_where_edf_does_not),
    UNIT(budget_is_enforced),
    UNIT(replenished_at_each_period),
    UNIT(normal_tasks_run_when_no_deadline_task_can),
    UNIT(earlier_deadline_preempts),
    UNIT(constrained_deadline_is_honoured),
    UNIT(ties_go_to_the_lower_pid),
    UNIT(sleeping_task_gets_a_job_when_it_wakes),
    UNIT(misses_are_counted_and_traced),
};
UNIT_MAIN("sched.edf", cases)
