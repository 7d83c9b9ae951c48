/* test_lottery.c - lottery scheduling (sched/policies/lottery.c) in the simulator. */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"
#include <string.h>

#define TICKS 10000

static struct sim sim;

/* The share of the CPU (0..1) that job `name` had over the whole run. */
static double share(char name) { return (double)sim_count(&sim, name, 0, sim.clock) / sim.clock; }

/*
 * Tickets 100 : 200 : 300 over 10,000 one-tick draws: shares within 2
 * percentage points of 1/6, 2/6, 3/6.  (One standard deviation is about
 * half a point, so with the fixed seed this is not luck.)
 */
static void shares_follow_tickets(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'B', .tickets = 200, .script = {RUN(FOREVER)}},
        {.name = 'C', .tickets = 300, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &lottery_policy, 1, jobs, 3);
    sim_run(&sim, TICKS);
    CHECK_NEAR(share('A'), 1.0 / 6, 0.02);
    CHECK_NEAR(share('B'), 2.0 / 6, 0.02);
    CHECK_NEAR(share('C'), 3.0 / 6, 0.02);
}

/* Without explicit tickets, nice decides: nice 0 holds 100, nice 5 holds 32. */
static void tickets_from_nice(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .nice = 0, .script = {RUN(FOREVER)}},
        {.name = 'B', .nice = 5, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &lottery_policy, 1, jobs, 2);
    sim_run(&sim, TICKS);
    CHECK_EQ(sched_tickets(sim_proc(&sim, 1)), 32);
    CHECK_NEAR(share('A'), 100.0 / 132, 0.02);
}

/* A forked child holds its parent's tickets, and so gets as much CPU as the parent. */
static void child_inherits_tickets(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'P', .tickets = 300, .script = {RUN(FOREVER)}},
        {.name = 'B', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'C', .arrival = 1, .parent = 'P', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &lottery_policy, 1, jobs, 3);
    sim_run(&sim, TICKS);
    CHECK_EQ(sched_tickets(sim_proc(&sim, 2)), 300);
    CHECK_NEAR(share('P'), 3.0 / 7, 0.02);
    CHECK_NEAR(share('B'), 1.0 / 7, 0.02);
    CHECK_NEAR(share('C'), 3.0 / 7, 0.02);
}

/* The same seed gives the same schedule; another seed, another one. */
static void repeatable_with_the_seed(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
    };
    static char first[101];
    sim_start(&sim, &lottery_policy, 1, jobs, 2);
    sim_run(&sim, 100);
    memcpy(first, sim.timeline, sizeof first);
    sim_start(&sim, &lottery_policy, 1, jobs, 2);
    sim_run(&sim, 100);
    CHECK_STR(sim.timeline, first);
    sim_start(&sim, &lottery_policy, 1, jobs, 2);
    sim_seed(12345);
    sim_run(&sim, 100);
    CHECK(strcmp(sim.timeline, first) != 0);
}

/* With quantum 4, a winner keeps the CPU for the whole 4-tick slice. */
static void a_win_lasts_a_quantum(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &lottery_policy, 4, jobs, 3);
    sim_run(&sim, 400);
    int cut_short = 0;
    for (int t = 0; t < 400; t++)
        cut_short += sim.timeline[t] != sim.timeline[t - t % 4];
    CHECK_EQ(cut_short, 0);
}

/*
 * Every decision is one sched_trace_draw: the job it names is the one that
 * runs in that tick, the total is the ready tickets (all three jobs are
 * ready at every draw: the one that ran has just been preempted), and the
 * ticket drawn is inside the holder's range in list order.
 */
static void draws_are_traced(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .tickets = 100, .script = {RUN(FOREVER)}},
        {.name = 'B', .tickets = 200, .script = {RUN(FOREVER)}},
        {.name = 'C', .tickets = 300, .script = {RUN(FOREVER)}},
    };
    sim_start(&sim, &lottery_policy, 1, jobs, 3);
    sim_run(&sim, 100);
    int draws = 0, wrong_total = 0, wrong_winner = 0, out_of_range = 0;
    for (int i = 0; i < sim.nr_notes; i++) {
        const struct sim_note *n = &sim.notes[i];
        if (n->kind != NOTE_DRAW || n->clock >= 100)
            continue;
        draws++;
        wrong_total += n->total != 600;
        wrong_winner += n->name != sim.timeline[n->clock];
        out_of_range += n->value >= n->total;
    }
    CHECK_EQ(draws, 100);
    CHECK_EQ(wrong_total, 0);
    CHECK_EQ(wrong_winner, 0);
    CHECK_EQ(out_of_range, 0);
}

static const struct unit_case cases[] = {
    UNIT(shares_follow_tickets),    UNIT(tickets_from_nice),     UNIT(child_inherits_tickets),
    UNIT(repeatable_with_the_seed), UNIT(a_win_lasts_a_quantum), UNIT(draws_are_traced),
};
UNIT_MAIN("sched.lottery", cases)
