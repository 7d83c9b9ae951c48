/* test_stride.c - stride scheduling (sched/policies/stride.c) in the simulator. */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"
#include <string.h>

static struct sim sim;

static const struct sim_job one_two_three[] = {
    {.name = 'A', .tickets = 1, .script = {RUN(FOREVER)}},
    {.name = 'B', .tickets = 2, .script = {RUN(FOREVER)}},
    {.name = 'C', .tickets = 3, .script = {RUN(FOREVER)}},
};

/* Tickets 1 : 2 : 3 over 600 ticks: 100, 200 and 300 ticks, give or take one. */
static void exact_proportions(void)
{
    sim_start(&sim, &stride_policy, 1, one_two_three, 3);
    sim_run(&sim, 600);
    CHECK_NEAR(sim_count(&sim, 'A', 0, 600), 100, 1);
    CHECK_NEAR(sim_count(&sim, 'B', 0, 600), 200, 1);
    CHECK_NEAR(sim_count(&sim, 'C', 0, 600), 300, 1);
}

/* Not just in the end: at every moment each has its share to within one tick. */
static void proportional_at_every_moment(void)
{
    sim_start(&sim, &stride_policy, 1, one_two_three, 3);
    sim_run(&sim, 600);
    double worst = 0;
    for (u64 t = 1; t <= 600; t++)
        for (int j = 0; j < 3; j++) {
            double expected = t * (j + 1) / 6.0;
            double error = (double)sim_count(&sim, "ABC"[j], 0, t) - expected;
            worst = MAX(worst, error < 0 ? -error : error);
        }
    CHECK_NEAR(worst, 0, 1.0);
}

/* Equal tickets: plain round-robin, in FIFO order. */
static void equal_tickets_take_turns(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &stride_policy, 1, jobs, 3);
    sim_run(&sim, 12);
    CHECK_STR(sim.timeline, "ABCABCABCABC");
}

/*
 * C (200 tickets) sleeps for 300 ticks while A and B (100 each) run.  When
 * it wakes, its pass is raised to the current minimum, so from then on it
 * gets its half of the CPU -- not the long run of ticks in a row that its
 * old pass would entitle it to.
 */
static void sleeper_does_not_monopolise(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'B', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'C', .tickets = 200, .script = {RUN(1), BLOCK(300), RUN(FOREVER)}},
    };
    sim_start(&sim, &stride_policy, 1, jobs, 3);
    sim_run(&sim, 3 + 300 + 300);
    u64 woke = 3 + 300; /* C ran at tick 2, blocked from 3 */
    CHECK_EQ(sim_count(&sim, 'C', 3, woke), 0);
    CHECK_NEAR(sim_count(&sim, 'C', woke, woke + 300), 150, 1);
    CHECK(strstr(sim.timeline, "CCCC") == NULL); /* one catch-up turn at most, no long run */
}

/* New tickets take effect at once: B goes from 1 : 1 to 3 : 1 against A. */
static void changing_tickets(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'B', .tickets = 100, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &stride_policy, 1, jobs, 2);
    sim_run(&sim, 100);
    sim_set_tickets(&sim, 1, 300);
    sim_run(&sim, 500);
    CHECK_EQ(sim_count(&sim, 'A', 0, 100), 50);
    CHECK_NEAR(sim_count(&sim, 'B', 100, 500), 300, 1);
}

/*
 * sched_yield() moves a process up to the smallest ready pass, behind it.
 * A holds 100 times B's tickets, so after one tick its pass is still far
 * below B's; without the yield hook it would run on alone for ~100 ticks.
 */
static void yield_lets_the_other_run(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'B', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'A', .tickets = 10000, .repeat = true, .script = {RUN(1), YIELD}},
    };
    sim_start(&sim, &stride_policy, 1, jobs, 2);
    sim_run(&sim, 8);
    CHECK_STR(sim.timeline, "BABABABA");
}

/*
 * Every decision is one sched_trace_pick naming the job that runs in that
 * tick, with its pass: tickets 1:2:3 have strides BIG, BIG/2, BIG/3, and
 * nobody sleeps, so a job's pass is its stride times the ticks it has run.
 */
static void picks_are_traced(void)
{
    static const u64 big = 1 << 20;
    sim_start(&sim, &stride_policy, 1, one_two_three, 3);
    sim_run(&sim, 60);
    int picks = 0, wrong_job = 0, wrong_pass = 0, decreasing = 0;
    u64 last = 0;
    for (int i = 0; i < sim.nr_notes; i++) {
        const struct sim_note *n = &sim.notes[i];
        if (n->kind != NOTE_PICK || n->clock >= 60)
            continue;
        picks++;
        char job = sim.timeline[n->clock];
        wrong_job += n->name != job;
        u64 tickets = (u64)(strchr("ABC", job) - "ABC") + 1;
        wrong_pass += n->value != big / tickets * sim_count(&sim, job, 0, n->clock);
        decreasing += n->value < last;
        last = n->value;
    }
    CHECK_EQ(picks, 60);
    CHECK_EQ(wrong_job, 0);
    CHECK_EQ(wrong_pass, 0);
    CHECK_EQ(decreasing, 0);
}

static const struct unit_case cases[] = {
    UNIT(exact_proportions),        UNIT(proportional_at_every_moment),
    UNIT(equal_tickets_take_turns), UNIT(sleeper_does_not_monopolise),
    UNIT(changing_tickets),         UNIT(yield_lets_the_other_run),
    UNIT(picks_are_traced),
};
UNIT_MAIN("sched.stride", cases)
