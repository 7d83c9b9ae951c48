/* test_mlfq.c - the multi-level feedback queue (sched/policies/mlfq.c) in the simulator. */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"

/* mlfq.c's constants: slices of 2, 4 and 8 quanta; a boost every 100 ticks. */
#define BOOST_TICKS 100

static struct sim sim;

/* A hog alone: one whole slice at each level, then it stays at the bottom. */
static void hog_sinks_one_level_per_slice(void)
{
    static const struct sim_job jobs[] = {{.name = 'A', .script = {RUN(FOREVER)}}};
    static const int level_after[] = {0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    sim_start(&sim, &mlfq_policy, 1, jobs, 1);
    for (u64 t = 0; t < ARRAY_SIZE(level_after); t++) {
        CHECK_EQ(sim_proc(&sim, 0)->sched.level, level_after[t]);
        sim_step(&sim);
    }
}

/* Two hogs share each level round-robin with that level's slice: 2, then 4, then 8. */
static void two_hogs_take_longer_turns_lower_down(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 2);
    sim_run(&sim, 44);
    CHECK_STR(sim.timeline, "AABBAAAABBBBAAAAAAAABBBBBBBBAAAAAAAABBBBBBBB");
}

/*
 * An interactive job (1 tick of CPU, then 3 ticks of waiting) blocks
 * before its 2-tick slice is over, so it never leaves the top; it preempts
 * the hog at the tick it wakes up, so after its first turn it never waits.
 */
static void interactive_job_stays_on_top(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'I', .repeat = true, .script = {RUN(1), BLOCK(3)}},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 2);
    for (int t = 0; t < 3 * BOOST_TICKS; t++) {
        CHECK_EQ(sim_proc(&sim, 1)->sched.level, 0);
        sim_step(&sim);
    }
    struct sim_job_stats interactive;
    sim_job_stats(&sim, 1, &interactive);
    CHECK_EQ(interactive.wait_ticks, 2); /* only at the start, behind A's first slice */
    CHECK_EQ(interactive.run_ticks, (3 * BOOST_TICKS - 2) / 4 + 1);
}

/* At tick 100 the boost puts both hogs back on the top level; they sink again. */
static void boost_brings_hogs_back_up(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 2);
    sim_run(&sim, BOOST_TICKS - 1);
    CHECK_EQ(sim_proc(&sim, 0)->sched.level, 2);
    CHECK_EQ(sim_proc(&sim, 1)->sched.level, 2);
    sim_step(&sim);
    CHECK_EQ(sim_proc(&sim, 0)->sched.level, 0);
    CHECK_EQ(sim_proc(&sim, 1)->sched.level, 0);
    sim_run(&sim, BOOST_TICKS + 12);
    CHECK_EQ(sim_proc(&sim, 0)->sched.level, 2);
    CHECK_EQ(sim_proc(&sim, 1)->sched.level, 2);
}

/* A job asleep when the boost happens is moved to the top when it wakes. */
static void sleeper_gets_the_boost_when_it_wakes(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'S', .script = {RUN(20), BLOCK(BOOST_TICKS), RUN(FOREVER)}},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 2);
    struct proc *sleeper = sim_proc(&sim, 1);
    while (sleeper->state != SIM_BLOCKED) /* S sinks while it runs its 20 ticks */
        sim_step(&sim);
    CHECK_EQ(sleeper->sched.level, 2);
    while (sleeper->state == SIM_BLOCKED) /* the boost at tick 100 comes and goes */
        sim_step(&sim);
    CHECK(sim.clock > BOOST_TICKS);
    CHECK_EQ(sleeper->sched.level, 0);           /* woke up on the top level */
    CHECK_EQ(sim_proc(&sim, 0)->sched.level, 2); /* the hog has sunk again since */
}

/*
 * Without the boost, a hog would starve behind two jobs that keep the top
 * level busy between them; with it, the hog runs in every period.
 */
static void boost_prevents_starvation(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'H', .script = {RUN(FOREVER)}},
        {.name = 'C', .repeat = true, .script = {RUN(1), BLOCK(1)}},
        {.name = 'D', .arrival = 1, .repeat = true, .script = {RUN(1), BLOCK(1)}},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 3);
    sim_run(&sim, 10 * BOOST_TICKS);
    for (u64 period = 1; period < 10; period++) {
        u64 h = sim_count(&sim, 'H', period * BOOST_TICKS, (period + 1) * BOOST_TICKS);
        CHECK(h >= 1);
        CHECK(h <= 10);
    }
}

/* A short job arriving while two hogs run gets the CPU at once and finishes fast. */
static void late_short_job_responds_at_once(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'S', .arrival = 50, .script = {RUN(3)}},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 3);
    sim_run(&sim, 80);
    struct sim_job_stats s;
    sim_job_stats(&sim, 2, &s);
    CHECK_EQ(s.response, 0);
    CHECK_EQ(s.turnaround, 3);
    sim_start(&sim, &rr_policy, 1, jobs, 3); /* for contrast: rr takes 3 turns of 3 */
    sim_run(&sim, 80);
    sim_job_stats(&sim, 2, &s);
    CHECK(s.turnaround >= 7);
}

/*
 * The trace of a lone hog: down to level 1 at tick 2 and level 2 at tick 6
 * (sched_trace_level), then the boost at tick 100 (sched_trace_boost) and,
 * after it, the hog's move back to level 0.  Nothing else: no "change" to
 * the level a process already has.
 */
static void level_changes_are_traced(void)
{
    static const struct sim_job jobs[] = {{.name = 'A', .script = {RUN(FOREVER)}}};
    static const struct sim_note expected[] = {
        {NOTE_LEVEL, 'A', 2, 1, 0},
        {NOTE_LEVEL, 'A', 6, 2, 0},
        {NOTE_BOOST, '-', BOOST_TICKS, 0, 0},
        {NOTE_LEVEL, 'A', BOOST_TICKS, 0, 0},
    };
    sim_start(&sim, &mlfq_policy, 1, jobs, 1);
    sim_run(&sim, BOOST_TICKS + 1);
    CHECK_EQ(sim.nr_notes, ARRAY_SIZE(expected));
    for (int i = 0; i < sim.nr_notes && i < (int)ARRAY_SIZE(expected); i++) {
        const struct sim_note *got = &sim.notes[i], *want = &expected[i];
        char why[160];
        snprintf(why, sizeof why,
                 "note %d: expected %c %c level %lu at tick %lu, got %c %c level %lu at tick %lu",
                 i, want->kind, want->name, (unsigned long)want->value, (unsigned long)want->clock,
                 got->kind, got->name, (unsigned long)got->value, (unsigned long)got->clock);
        if (got->kind != want->kind || got->name != want->name || got->value != want->value ||
            got->clock != want->clock)
            unit_fail(__FILE__, __LINE__, why);
    }
}

static const struct unit_case cases[] = {
    UNIT(sleeper_gets_the_boost_when_it_wakes),
    UNIT(hog_sinks_one_level_per_slice),
    UNIT(two_hogs_take_longer_turns_lower_down),
    UNIT(interactive_job_stays_on_top),
    UNIT(boost_brings_hogs_back_up),
    UNIT(boost_prevents_starvation),
    UNIT(late_short_job_responds_at_once),
    UNIT(level_changes_are_traced),
};
UNIT_MAIN("sched.mlfq", cases)
