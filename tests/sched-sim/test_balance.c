/*
 * test_balance.c - the load balancer (sched/balance.c, the multi-core lab:
 * docs/labs/balance.md): first its two answers on hand-made load snapshots,
 * then whole workloads on several simulated CPUs, each running round-robin.
 */
#include "tests/sched-sim/sim.h"
#include "tests/unit/unit.h"

static struct sim sim;

/* --- the answers, on snapshots ------------------------------------------------- */

#define ALL 0xffull
#define OFF 0xffffffffu /* a load that marks an offline CPU in the tables below */

/* A snapshot of up to 4 CPUs: loads[i] processes on CPU i (OFF: offline); idle = none. */
static struct balance_view view_of(int ncpus, int this_cpu, const u32 *loads)
{
    struct balance_view view;
    memset(&view, 0, sizeof view);
    view.ncpus = ncpus;
    view.this_cpu = this_cpu;
    for (int cpu = 0; cpu < ncpus; cpu++) {
        view.cpu[cpu].online = loads[cpu] != OFF;
        view.cpu[cpu].nr_running = loads[cpu] == OFF ? 0 : loads[cpu];
        view.cpu[cpu].idle = loads[cpu] == 0;
    }
    return view;
}

struct select_case {
    const char *why;
    int ncpus;
    u32 loads[4];
    u64 allowed;
    int prev_cpu, want;
};

static void check_select(const struct select_case *cases, int n)
{
    for (int i = 0; i < n; i++) {
        const struct select_case *c = &cases[i];
        struct balance_view view = view_of(c->ncpus, c->prev_cpu, c->loads);
        int got = balance_select_cpu(&view, c->allowed, c->prev_cpu);
        if (got != c->want) {
            char why[256];
            snprintf(why, sizeof why,
                     "%s: loads {%d,%d,%d,%d} (-1 offline), allowed %#llx, prev_cpu %d: want "
                     "CPU %d, got %d",
                     c->why, (int)c->loads[0], (int)c->loads[1], (int)c->loads[2], (int)c->loads[3],
                     (unsigned long long)c->allowed, c->prev_cpu, c->want, got);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

/* Rules 1 and 2: an idle prev_cpu; otherwise the lowest-numbered idle CPU it may use. */
static void wakes_on_an_idle_cpu(void)
{
    static const struct select_case cases[] = {
        {"every CPU idle: stay on prev_cpu", 4, {0, 0, 0, 0}, ALL, 2, 2},
        {"prev_cpu idle, others busy", 4, {3, 1, 0, 2}, ALL, 2, 2},
        {"prev_cpu busy: the lowest idle", 4, {1, 2, 0, 0}, ALL, 1, 2},
        {"an idle CPU beats a lighter prev_cpu", 4, {2, 1, 3, 0}, ALL, 1, 3},
        {"idle but not allowed", 4, {0, 1, 1, 0}, 0xe, 1, 3},
        {"prev_cpu idle but not allowed", 4, {1, 1, 0, 0}, 0x9, 2, 3},
        {"prev_cpu offline", 4, {OFF, 2, 0, 0}, ALL, 0, 2},
        {"an idle CPU that is offline", 3, {2, OFF, 0, 0}, ALL, 0, 2},
        {"one CPU", 1, {5, 0, 0, 0}, ALL, 0, 0},
    };
    check_select(cases, ARRAY_SIZE(cases));
}

/* Rule 3: no idle CPU it may use: the least loaded; prev_cpu among equals, else the lowest. */
static void wakes_on_the_least_loaded_cpu(void)
{
    static const struct select_case cases[] = {
        {"the least loaded", 4, {3, 1, 2, 4}, ALL, 0, 1},
        {"prev_cpu among the least loaded", 4, {2, 2, 2, 2}, ALL, 2, 2},
        {"prev_cpu not among them: the lowest", 4, {3, 2, 2, 4}, ALL, 3, 1},
        {"prev_cpu least loaded alone", 4, {3, 2, 2, 1}, ALL, 3, 3},
        {"only among the allowed", 4, {1, 5, 3, 1}, 0x6, 1, 2},
        {"prev_cpu not allowed", 4, {2, 3, 3, 4}, 0xe, 0, 1},
        {"an offline CPU is never chosen", 4, {OFF, 4, 3, 5}, ALL, 0, 2},
        {"the only allowed CPU, however loaded", 4, {1, 1, 1, 9}, 0x8, 0, 3},
    };
    check_select(cases, ARRAY_SIZE(cases));
}

/* Rule 4 and 5: from the most loaded other online CPU (the lowest among equals), only
 * when it has at least two more than this CPU; -1 otherwise. */
static void pulls_from_the_busiest_only_when_two_apart(void)
{
    static const struct {
        const char *why;
        int ncpus, this_cpu;
        u32 loads[4];
        int want;
    } cases[] = {
        {"idle, the other has two", 2, 1, {2, 0}, 0},
        {"idle, the other has one", 2, 1, {1, 0}, -1},
        {"the busiest", 4, 0, {0, 2, 5, 3}, 2},
        {"the lowest of equals", 4, 3, {1, 4, 4, 0}, 1},
        {"busy too: three against one", 2, 1, {3, 1}, 0},
        {"busy too: two against one", 2, 1, {2, 1}, -1},
        {"equal", 3, 0, {2, 2, 2}, -1},
        {"this CPU is the busiest", 3, 0, {4, 1, 0}, -1},
        {"an offline CPU is never named", 3, 2, {OFF, 1, 0}, -1},
        {"past an offline CPU", 4, 3, {OFF, 3, 2, 0}, 1},
        {"one CPU", 1, 0, {0}, -1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct balance_view view = view_of(cases[i].ncpus, cases[i].this_cpu, cases[i].loads);
        int got = balance_find_busiest(&view);
        if (got != cases[i].want) {
            char why[256];
            snprintf(why, sizeof why,
                     "%s: loads {%d,%d,%d,%d} (-1 offline), this_cpu %d: want %d, got %d",
                     cases[i].why, (int)cases[i].loads[0], (int)cases[i].loads[1],
                     (int)cases[i].loads[2], (int)cases[i].loads[3], cases[i].this_cpu,
                     cases[i].want, got);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

/* Whatever the loads: an answer the core can use (rule 6), on 20,000 random snapshots. */
static void answers_are_always_allowed_and_online(void)
{
    u64 x = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 20000; round++) {
        struct balance_view view;
        memset(&view, 0, sizeof view);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        view.ncpus = 1 + (int)(x % SIM_MAX_CPUS);
        view.this_cpu = (int)((x >> 8) % (u64)view.ncpus);
        u64 allowed = (x >> 16) & ((1ull << view.ncpus) - 1);
        for (int cpu = 0; cpu < view.ncpus; cpu++) {
            u32 bits = (u32)(x >> (24 + 4 * cpu));
            view.cpu[cpu].online = cpu == view.this_cpu || (bits & 3) != 0;
            view.cpu[cpu].nr_running = view.cpu[cpu].online ? (bits >> 2) % 4 : 0;
            view.cpu[cpu].idle = view.cpu[cpu].nr_running == 0;
        }
        allowed |= 1ull << view.this_cpu; /* never empty: at least one online CPU */
        int prev_cpu = (int)((x >> 56) % (u64)view.ncpus);
        int cpu = balance_select_cpu(&view, allowed, prev_cpu);
        if (cpu < 0 || cpu >= view.ncpus || !(allowed & (1ull << cpu)) || !view.cpu[cpu].online)
            unit_fail(__FILE__, __LINE__,
                      "balance_select_cpu answered a CPU outside allowed, "
                      "offline, or out of range");
        int busiest = balance_find_busiest(&view);
        if (busiest != -1 && (busiest < 0 || busiest >= view.ncpus || busiest == view.this_cpu ||
                              !view.cpu[busiest].online))
            unit_fail(__FILE__, __LINE__,
                      "balance_find_busiest answered itself, an offline CPU, "
                      "or one out of range");
    }
}

/* --- whole workloads on several CPUs ------------------------------------------- */

/* The first `n` ticks of CPU `cpu`'s timeline. */
static const char *lane(int cpu, int n)
{
    static char text[SIM_MAX_CPUS][128];
    snprintf(text[cpu], sizeof text[cpu], "%.*s", n, sim.cpu[cpu].timeline);
    return text[cpu];
}

/* Four hogs forked at once on two CPUs: two on each, and there they stay. */
static void four_hogs_spread_two_and_two(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
        {.name = 'D', .script = {RUN(FOREVER)}},
    };
    sim_start_cpus(&sim, &rr_policy, 1, 2, NULL, jobs, 4);
    sim_run(&sim, 1000);
    /* A: every CPU idle, its parent's CPU 0.  B: CPU 1 is the idle one.  C: one each, stay
     * on CPU 0.  D: CPU 1 is the less loaded. */
    CHECK_STR(lane(0, 12), "ACACACACACAC");
    CHECK_STR(lane(1, 12), "BDBDBDBDBDBD");
    CHECK_EQ(sim.migrations, 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(sim.tasks[i].run_ticks, 500);
    CHECK_EQ(sim.bad_answers, 0);
}

/* B exits at tick 5; CPU 1 has nothing, CPU 0 has A and C: CPU 1 takes C, the one that
 * has waited longer, in the same tick. */
static void idle_cpu_pulls_a_waiting_process(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(5)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
    };
    sim_start_cpus(&sim, &rr_policy, 1, 2, NULL, jobs, 3);
    sim_run(&sim, 12);
    CHECK_STR(lane(0, 12), "ACACAAAAAAAA");
    CHECK_STR(lane(1, 12), "BBBBBCCCCCCC");
    CHECK_EQ(sim.migrations, 1);
    CHECK_EQ(sim_cpu_of(&sim, 2), 1);
    CHECK_EQ(sim.bad_answers, 0);
}

/*
 * Four hogs pinned to CPU 0, E pinned to CPU 1; at tick 3 the four may use both.
 * No CPU is ever idle, so only the periodic balancing (every SIM_BALANCE_TICKS = 10
 * ticks) moves one, at tick 10: 4 against 1 becomes 3 against 2, and stays.
 */
static void periodic_balancing_evens_out_busy_cpus(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .affinity = 1, .script = {RUN(FOREVER)}},
        {.name = 'B', .affinity = 1, .script = {RUN(FOREVER)}},
        {.name = 'C', .affinity = 1, .script = {RUN(FOREVER)}},
        {.name = 'D', .affinity = 1, .script = {RUN(FOREVER)}},
        {.name = 'E', .affinity = 2, .script = {RUN(FOREVER)}},
    };
    sim_start_cpus(&sim, &rr_policy, 1, 2, NULL, jobs, 5);
    sim_run(&sim, 3);
    for (int i = 0; i < 4; i++)
        sim_set_affinity(&sim, i, 3);
    sim_run(&sim, 9);
    CHECK_EQ(sim.migrations, 0);
    sim_run(&sim, 10);
    CHECK_EQ(sim.migrations, 1);
    sim_run(&sim, 500);
    CHECK_EQ(sim.migrations, 1);
    /* C had waited longest on CPU 0 at tick 10 (it last ran in tick 6). */
    CHECK_STR(lane(1, 16), "EEEEEEEEEEECECEC");
    CHECK_EQ(sim_cpu_of(&sim, 2), 1);
    CHECK_EQ(sim.bad_answers, 0);
}

/* Three hogs on two CPUs: CPU 1 pulls one when it is free to, and then 2 against 1 is
 * as even as it gets: nothing moves back and forth, balancing tick after balancing tick. */
static void no_ping_pong_between_near_equal_cpus(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .affinity = 1, .script = {RUN(FOREVER)}},
        {.name = 'B', .affinity = 1, .script = {RUN(FOREVER)}},
        {.name = 'C', .affinity = 1, .script = {RUN(FOREVER)}},
    };
    sim_start_cpus(&sim, &rr_policy, 1, 2, NULL, jobs, 3);
    sim_run(&sim, 2);
    for (int i = 0; i < 3; i++)
        sim_set_affinity(&sim, i, 3);
    sim_run(&sim, 2000);
    CHECK_EQ(sim.migrations, 1);
    CHECK_EQ(sim_count_on(&sim, 1, '.', 3, 2000), 0); /* CPU 1 busy from tick 3 on */
    CHECK_EQ(sim.bad_answers, 0);
}

/*
 * Four CPUs; P, Q, R, S may use CPUs 0 and 1 only, W, X, Y, Z CPUs 2 and 3 only; each
 * group has two hogs and two that run a little and sleep.  Processes never run outside
 * their masks, every CPU does work, and the balancer never gives an answer the core
 * has to refuse.
 */
static void affinity_is_never_violated(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'P', .affinity = 3, .script = {RUN(FOREVER)}},
        {.name = 'Q', .affinity = 3, .script = {RUN(FOREVER)}},
        {.name = 'R', .affinity = 3, .repeat = true, .script = {RUN(2), BLOCK(3)}},
        {.name = 'S', .affinity = 3, .repeat = true, .script = {RUN(1), BLOCK(5)}},
        {.name = 'W', .affinity = 12, .script = {RUN(FOREVER)}},
        {.name = 'X', .affinity = 12, .script = {RUN(FOREVER)}},
        {.name = 'Y', .affinity = 12, .repeat = true, .script = {RUN(3), BLOCK(2)}},
        {.name = 'Z', .affinity = 12, .repeat = true, .script = {RUN(1), BLOCK(4)}},
    };
    sim_start_cpus(&sim, &rr_policy, 2, 4, NULL, jobs, 8);
    sim_run(&sim, 2000);
    CHECK_EQ(sim.affinity_violations, 0);
    CHECK_EQ(sim.bad_answers, 0);
    for (int cpu = 0; cpu < 4; cpu++) {
        const char *forbidden = cpu < 2 ? "WXYZ" : "PQRS";
        for (const char *name = forbidden; *name; name++)
            CHECK_EQ(sim_count_on(&sim, cpu, *name, 0, 2000), 0);
        CHECK(sim_count_on(&sim, cpu, '.', 0, 2000) < 100); /* each CPU has a hog */
    }
}

/*
 * Three CPUs: H is a hog on CPU 0; I (on CPU 1) and J (on CPU 2) run a tick and sleep,
 * J waking while CPUs 1 and 2 are both idle.  Each wakes on its own idle CPU (a warm
 * cache), not on the lowest-numbered idle one.
 */
static void wakes_where_it_last_ran(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'H', .script = {RUN(FOREVER)}},
        {.name = 'I', .repeat = true, .script = {RUN(1), BLOCK(5)}},
        {.name = 'J', .repeat = true, .script = {RUN(1), BLOCK(2)}},
    };
    sim_start_cpus(&sim, &rr_policy, 1, 3, NULL, jobs, 3);
    sim_run(&sim, 600);
    CHECK_STR(lane(1, 13), "I.....I.....I");
    CHECK_STR(lane(2, 13), "J..J..J..J..J");
    CHECK_EQ(sim_count_on(&sim, 0, 'H', 0, 600), 600);
    CHECK_EQ(sim_count_on(&sim, 1, 'J', 0, 600) + sim_count_on(&sim, 2, 'I', 0, 600), 0);
    CHECK_EQ(sim.bad_answers, 0);
}

static const struct unit_case cases[] = {
    UNIT(wakes_on_an_idle_cpu),
    UNIT(wakes_on_the_least_loaded_cpu),
    UNIT(pulls_from_the_busiest_only_when_two_apart),
    UNIT(answers_are_always_allowed_and_online),
    UNIT(four_hogs_spread_two_and_two),
    UNIT(idle_cpu_pulls_a_waiting_process),
    UNIT(periodic_balancing_evens_out_busy_cpus),
    UNIT(no_ping_pong_between_near_equal_cpus),
    UNIT(affinity_is_never_violated),
    UNIT(wakes_where_it_last_ran),
};
UNIT_MAIN("sched.balance", cases)
