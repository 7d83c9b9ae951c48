/* test_cfs.c - the simplified CFS (sched/policies/cfs.c) in the simulator. */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"

static struct sim sim;

static double share(char name, u64 from, u64 to)
{
    return (double)sim_count(&sim, name, from, to) / (double)(to - from);
}

/*
 * Two nice-0 hogs, worked by hand: the slice is 6 / 2 = 3 ticks, and a
 * process is also preempted once it is more than one tick (granularity)
 * ahead of the other.  A: 1024, 2048 > 0 + 1024: preempted after 2.  B runs
 * its 3-tick slice (3072 is not more than 2048 + 1024), and so on.
 */
static void two_hogs_by_hand(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &cfs_policy, 1, jobs, 2);
    sim_run(&sim, 17);
    CHECK_STR(sim.timeline, "AABBBAAABBBAAABBB");
    CHECK_EQ(sim_proc(&sim, 0)->sched.vruntime, 8 * 1024);
}

/* Equal nice, equal shares: within 1% over 1000 ticks (three hogs this time). */
static void equal_nice_equal_shares(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &cfs_policy, 1, jobs, 3);
    sim_run(&sim, 1000);
    CHECK_NEAR(share('A', 0, 1000), 1.0 / 3, 0.01);
    CHECK_NEAR(share('B', 0, 1000), 1.0 / 3, 0.01);
    CHECK_NEAR(share('C', 0, 1000), 1.0 / 3, 0.01);
}

/* nice 0 against nice 5: the CPU splits 1024 : 335 (75.3% : 24.7%). */
static void nice_shares_follow_weights(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .nice = 0, .script = {RUN(FOREVER)}},
        {.name = 'B', .nice = 5, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &cfs_policy, 1, jobs, 2);
    sim_run(&sim, 3000);
    CHECK_NEAR(share('A', 0, 3000), 1024.0 / (1024 + 335), 0.01);
    /* Renicing B to -5 turns it round: 1024 : 3121. */
    sim_set_nice(&sim, 1, -5);
    sim_run(&sim, 6000);
    CHECK_NEAR(share('B', 3000, 6000), 3121.0 / (1024 + 3121), 0.01);
}

/*
 * C sleeps 200 ticks while A and B run.  When it wakes it starts a little
 * behind the others (min_vruntime - bonus), so the hog on the CPU is
 * preempted at that tick and C runs at once -- but only until it has caught
 * up: soon the three share the CPU evenly, and A and B are never starved.
 */
static void sleeper_runs_soon_but_does_not_starve_others(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .arrival = 10, .script = {RUN(1), BLOCK(200), RUN(FOREVER)}},
    };
    sim_start(&sim, &cfs_policy, 1, jobs, 3);
    sim_run(&sim, 600);
    const char *woke = strchr(sim.timeline + 20, 'C');
    CHECK(woke != NULL);
    if (!woke)
        return;
    u64 first = (u64)(woke - sim.timeline);
    CHECK(first <= 10 + 200 + 3); /* its one tick, the sleep, and at most the 2-tick queue */
    CHECK(sim_count(&sim, 'C', first, first + 10) <= 6); /* the bonus is 3 ticks, not 200 */
    CHECK(sim_count(&sim, 'A', first, first + 10) >= 2);
    CHECK(sim_count(&sim, 'B', first, first + 10) >= 2);
    CHECK_NEAR(share('C', first, first + 300), 1.0 / 3, 0.02);
}

/*
 * A process forked at tick 100 starts at min_vruntime, with no sleeper
 * bonus: a fair half from then on, and never more than one slice in a row.
 */
static void newcomer_gets_a_fair_share_not_a_backlog(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .arrival = 100, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &cfs_policy, 1, jobs, 2);
    sim_run(&sim, 300);
    CHECK_EQ(sim_count(&sim, 'A', 0, 100), 100);
    CHECK_NEAR(share('B', 100, 300), 0.5, 0.02);
    CHECK(strstr(sim.timeline + 100, "BBBB") == NULL);
}

/*
 * sched_yield() steps behind the leftmost ready process.  A is nice -20, so
 * after one tick its vruntime (11) is still far below B's (2048); without
 * the yield hook it would be picked again at once.  With it, B runs next.
 */
static void yield_steps_behind(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'A', .nice = -20, .repeat = true, .script = {RUN(1), YIELD}},
    };
    sim_start(&sim, &cfs_policy, 1, jobs, 2);
    sim_run(&sim, 6);
    CHECK_STR(sim.timeline, "BBABBA");
}

static const struct unit_case cases[] = {
    UNIT(two_hogs_by_hand),
    UNIT(equal_nice_equal_shares),
    UNIT(nice_shares_follow_weights),
    UNIT(sleeper_runs_soon_but_does_not_starve_others),
    UNIT(newcomer_gets_a_fair_share_not_a_backlog),
    UNIT(yield_steps_behind),
};
UNIT_MAIN("sched.cfs", cases)
