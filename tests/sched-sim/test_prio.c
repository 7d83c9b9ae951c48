/* test_prio.c - priorities with aging (sched/policies/prio.c) in the simulator. */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"
#include <string.h>

#define AGING_TICKS 5 /* prio.c's PRIO_AGING_TICKS: one step of priority per 5 ticks waited */

static struct sim sim;

/* The first tick at or after `from` in which `name` ran, or -1. */
static long first_run_after(char name, u64 from)
{
    const char *hit = strchr(sim.timeline + from, name);
    return hit ? hit - sim.timeline : -1;
}

/*
 * Nice -5 (priority 15) against nice 0 (priority 20): B runs first and
 * keeps the CPU until A has waited 5 steps * 5 ticks = 25 ticks; the tie
 * then goes to A, who waited longer.  Then A waits another 25 ticks.
 */
static void lower_nice_runs_first(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .nice = 0, .script = {RUN(FOREVER)}},
        {.name = 'B', .nice = -5, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &prio_policy, 1, jobs, 2);
    sim_run(&sim, 260);
    CHECK_EQ(first_run_after('A', 0), 5 * AGING_TICKS);
    CHECK_EQ(first_run_after('A', 26), 26 + 5 * AGING_TICKS);
    CHECK_EQ(sim_count(&sim, 'A', 0, 260), 10); /* one tick in every 26 */
}

/* Equal nice values take turns, one quantum each, in FIFO order. */
static void equal_nice_alternates(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .nice = 4, .script = {RUN(FOREVER)}},
        {.name = 'B', .nice = 4, .script = {RUN(FOREVER)}},
        {.name = 'C', .nice = 4, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &prio_policy, 1, jobs, 3);
    sim_run(&sim, 9);
    CHECK_STR(sim.timeline, "ABCABCABC");
    sim_start(&sim, &prio_policy, 2, jobs, 2);
    sim_run(&sim, 12);
    CHECK_STR(sim.timeline, "AABBAABBAABB");
}

/*
 * Nice 19 (priority 39) behind a nice -20 hog (priority 0): without aging
 * it would never run.  With aging it reaches priority 0 after
 * 39 * AGING_TICKS = 195 ticks of waiting and runs then -- every time.
 */
static void aging_prevents_starvation(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'H', .nice = -20, .script = {RUN(FOREVER)}},
        {.name = 'L', .nice = 19, .script = {RUN(FOREVER)}},
    };
    const long bound = 39 * AGING_TICKS;
    sim_start(&sim, &prio_policy, 1, jobs, 2);
    sim_run(&sim, 2000);
    struct sim_job_stats low;
    sim_job_stats(&sim, 1, &low);
    CHECK_EQ(low.response, bound);
    long previous = first_run_after('L', 0), worst_gap = 0;
    for (long next; (next = first_run_after('L', (u64)previous + 1)) >= 0; previous = next)
        worst_gap = MAX(worst_gap, next - previous - 1);
    CHECK_EQ(worst_gap, bound); /* it never waits longer than the bound */
    CHECK_EQ(low.run_ticks, 2000 / (bound + 1));
}

/*
 * A nice -10 job that wakes up while a nice 0 hog is in the middle of a
 * 4-tick slice does not wait for the slice to end: the hog is preempted at
 * that very tick, so the important job never waits at all.
 */
static void waking_important_job_preempts(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .nice = -10, .arrival = 1, .repeat = true, .script = {RUN(1), BLOCK(5)}},
    };
    sim_start(&sim, &prio_policy, 4, jobs, 2);
    sim_run(&sim, 61);
    CHECK_STR(sim.timeline, "ABAAAAABAAAAABAAAAABAAAAABAAAAABAAAAABAAAAABAAAAABAAAAABAAAAA");
    struct sim_job_stats b;
    sim_job_stats(&sim, 1, &b);
    CHECK_EQ(b.wait_ticks, 0);
}

/*
 * Renicing a process in the middle of the queue (the core dequeues it,
 * changes nice, enqueues it again) takes effect at once: D at nice -1 runs
 * until the others have waited 5 ticks and caught up with it.
 */
static void renice_in_the_middle_of_the_queue(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
        {.name = 'D', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &prio_policy, 1, jobs, 4);
    sim_run(&sim, 1); /* A ran; B is running now, C D A are waiting */
    sim_set_nice(&sim, 3, -1);
    sim_run(&sim, 9);
    CHECK_STR(sim.timeline, "ABDDDCABD");
    CHECK_EQ(sim_proc(&sim, 3)->sched.nice, -1);
}

static const struct unit_case cases[] = {
    UNIT(lower_nice_runs_first),
    UNIT(equal_nice_alternates),
    UNIT(aging_prevents_starvation),
    UNIT(waking_important_job_preempts),
    UNIT(renice_in_the_middle_of_the_queue),
};
UNIT_MAIN("sched.prio", cases)
