/* test_rr.c - round-robin (sched/policies/rr.c) in the simulator. */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"

static struct sim sim;

/* Three hogs, quantum 2: each runs two ticks in turn, in arrival order. */
static void turns_in_order_quantum_2(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &rr_policy, 2, jobs, 3);
    sim_run(&sim, 18);
    CHECK_STR(sim.timeline, "AABBCCAABBCCAABBCC");
}

/* Quantum 1 is a strict rotation; a job arriving later joins the back of the line. */
static void late_arrival_joins_the_back(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .arrival = 3, .script = {RUN(3)}},
    };
    sim_start(&sim, &rr_policy, 1, jobs, 3);
    sim_run(&sim, 12);
    CHECK_STR(sim.timeline, "ABABCABCABCA");
}

/*
 * B runs one tick of its two-tick slice, then blocks for one tick.  When it
 * wakes it must get a whole new slice (rr.c: "a process that blocks before
 * its slice ends ... gets a fresh slice next time"), so it runs two ticks,
 * not just the one tick left over from before it blocked.
 */
static void blocked_job_gets_a_fresh_slice(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(1), BLOCK(1), RUN(FOREVER)}},
    };
    sim_start(&sim, &rr_policy, 2, jobs, 2);
    sim_run(&sim, 9);
    /* A's slice, B one tick then blocks, A's slice, B's fresh slice of two, A again. */
    CHECK_STR(sim.timeline, "AABAABBAA");
}

/* Nobody ready: the CPU idles ('.'), and a woken job runs at once. */
static void idle_when_nothing_is_ready(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(2), BLOCK(3), RUN(1)}},
        {.name = 'B', .arrival = 7, .script = {RUN(1)}},
    };
    sim_start(&sim, &rr_policy, 1, jobs, 2);
    sim_run(&sim, 100);
    CHECK_STR(sim.timeline, "AA...A.B");
}

/* A job that yields after each tick gives its turn to the other. */
static void yield_gives_the_turn_away(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .repeat = true, .script = {RUN(1), YIELD}},
        {.name = 'B', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &rr_policy, 3, jobs, 2);
    sim_run(&sim, 12);
    CHECK_STR(sim.timeline, "ABBBABBBABBB");
}

static const struct unit_case cases[] = {
    UNIT(turns_in_order_quantum_2),       UNIT(late_arrival_joins_the_back),
    UNIT(blocked_job_gets_a_fresh_slice), UNIT(idle_when_nothing_is_ready),
    UNIT(yield_gives_the_turn_away),
};
UNIT_MAIN("sched.rr", cases)
