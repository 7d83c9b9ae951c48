/* test_sim.c - the simulator itself: its metrics, and every policy under its rules. */
#include "tests/sched-sim/sim.h"
#include "kernel/errno.h"
#include "sched/deadline.h"
#include "tests/unit/unit.h"

static struct sim sim;

static const struct sched_policy *const all_policies[] = {
    &rr_policy,     &prio_policy, &mlfq_policy, &lottery_policy,
    &stride_policy, &cfs_policy,  &edf_policy,  &rm_policy,
};

/*
 * Worked by hand, rr with quantum 1: A needs 3 ticks, B needs 1.
 *   tick:  0 1 2 3
 *          A B A A      A: response 0, turnaround 4, waited 1 (tick 1)
 *                       B: response 1, turnaround 2, waited 1 (tick 0)
 * Jain over run ticks (3, 1): 16 / (2 * 10) = 0.8.
 */
static void metrics_by_hand(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(3)}},
        {.name = 'B', .script = {RUN(1)}},
    };
    sim_start(&sim, &rr_policy, 1, jobs, 2);
    sim_run(&sim, 100);
    CHECK_STR(sim.timeline, "ABAA");
    struct sim_job_stats a, b;
    sim_job_stats(&sim, 0, &a);
    sim_job_stats(&sim, 1, &b);
    CHECK_EQ(a.run_ticks, 3);
    CHECK_EQ(a.wait_ticks, 1);
    CHECK_EQ(a.response, 0);
    CHECK_EQ(a.turnaround, 4);
    CHECK_EQ(a.times_scheduled, 2); /* ticks 2 and 3 are one turn: picked again at once */
    CHECK_EQ(b.run_ticks, 1);
    CHECK_EQ(b.wait_ticks, 1);
    CHECK_EQ(b.response, 1);
    CHECK_EQ(b.turnaround, 2);
    struct sim_summary s;
    sim_summary(&sim, &s);
    CHECK_EQ(s.ticks, 4);
    CHECK_EQ(s.completed, 2);
    CHECK_EQ(s.context_switches, 4);      /* idle->A, A->B, B->A, A->idle at the end */
    CHECK_NEAR(s.throughput, 50.0, 1e-9); /* 2 jobs in 4 ticks = 50 per 100 ticks */
    CHECK_NEAR(s.avg_turnaround, 3.0, 1e-9);
    CHECK_NEAR(s.worst_turnaround, 4.0, 1e-9);
    CHECK_NEAR(s.avg_response, 0.5, 1e-9);
    CHECK_NEAR(s.worst_response, 1.0, 1e-9);
    CHECK_NEAR(s.fairness, 0.8, 1e-9);
    /* The core's own statistics in the entity agree. */
    CHECK_EQ(sim_proc(&sim, 0)->sched.run_ticks, 3);
    CHECK_EQ(sim_proc(&sim, 1)->sched.wait_ticks, 1);
}

static void jain_index(void)
{
    const double equal[] = {5, 5, 5, 5}, one_hog[] = {8, 0, 0, 0}, ramp[] = {1, 2, 3};
    CHECK_NEAR(sim_jain(equal, 4), 1.0, 1e-12);
    CHECK_NEAR(sim_jain(one_hog, 4), 0.25, 1e-12);
    CHECK_NEAR(sim_jain(ramp, 3), 36.0 / 42.0, 1e-12);
}

/* Blocked time is neither running nor waiting; a job arriving at an idle CPU waits 0. */
static void blocked_and_late_jobs(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(2), BLOCK(3), RUN(1)}},
        {.name = 'B', .arrival = 10, .script = {RUN(2)}},
    };
    sim_start(&sim, &rr_policy, 1, jobs, 2);
    sim_run(&sim, 100);
    CHECK_STR(sim.timeline, "AA...A....BB");
    struct sim_job_stats a, b;
    sim_job_stats(&sim, 0, &a);
    sim_job_stats(&sim, 1, &b);
    CHECK_EQ(a.run_ticks, 3);
    CHECK_EQ(a.wait_ticks, 0);
    CHECK_EQ(a.turnaround, 6);
    CHECK_EQ(b.response, 0);
    CHECK_EQ(b.turnaround, 2);
    CHECK_EQ(sim_count(&sim, '.', 0, 12), 7);
}

/* sched_random() repeats from the default seed; sim_seed() changes it. */
static void random_is_seeded(void)
{
    sim_seed(0);
    u64 first = sched_random(), second = sched_random();
    sim_seed(SIM_DEFAULT_SEED);
    CHECK_EQ(sched_random(), first);
    CHECK_EQ(sched_random(), second);
    sim_seed(42);
    CHECK(sched_random() != first);
}

/* A forked child inherits its parent's nice value and tickets. */
static void child_inherits_nice_and_tickets(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'P', .nice = 3, .tickets = 77, .script = {RUN(FOREVER)}},
        {.name = 'C', .arrival = 2, .parent = 'P', .nice = -5, .script = {RUN(1)}},
    };
    sim_start(&sim, &rr_policy, 1, jobs, 2);
    sim_run(&sim, 3);
    CHECK_EQ(sim_proc(&sim, 1)->sched.nice, 3);
    CHECK_EQ(sim_proc(&sim, 1)->sched.tickets, 77);
}

/*
 * Every policy, a mixed workload: hogs, sleepers, a yielder, a late arrival,
 * and renicing processes in the middle of the queue every few ticks.  Nobody
 * is lost (every short job finishes), the CPU never idles while someone is
 * ready, and nr_ready always matches the processes in SIM_READY.
 */
static void every_policy_keeps_its_queue_intact(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .nice = 5, .script = {RUN(FOREVER)}},
        {.name = 'C', .repeat = true, .script = {RUN(1), BLOCK(2)}},
        {.name = 'D', .script = {RUN(2), YIELD, RUN(2), YIELD, RUN(30)}},
        {.name = 'E', .arrival = 20, .tickets = 50, .script = {RUN(5), BLOCK(5), RUN(20)}},
        {.name = 'F', .nice = -3, .repeat = true, .script = {RUN(3), BLOCK(7)}},
    };
    for (size_t i = 0; i < ARRAY_SIZE(all_policies); i++) {
        sim_start(&sim, all_policies[i], 2, jobs, 6);
        for (int t = 0; t < 2000; t++) {
            if (t % 3 == 0)
                sim_set_nice(&sim, 1, t % 2 ? 5 : -5); /* B, wherever it is */
            if (t % 7 == 0 && t >= 20)
                sim_set_tickets(&sim, 4, (u64)(t % 5 + 1) * 40); /* E */
            sim_step(&sim);
            u64 ready = 0;
            for (int j = 0; j < 6; j++)
                ready += sim_proc(&sim, j)->state == SIM_READY;
            if (ready != sim.cpu[0].rq.nr_ready || (ready && !sim.cpu[0].running)) {
                printf("  %s at tick %d: %lu ready, nr_ready %lu\n", all_policies[i]->name, t,
                       (unsigned long)ready, (unsigned long)sim.cpu[0].rq.nr_ready);
                CHECK(!"the queue and nr_ready agree, and the CPU is busy");
                break;
            }
        }
        CHECK_EQ(sim_proc(&sim, 3)->state, SIM_EXITED);
        CHECK_EQ(sim_proc(&sim, 4)->state, SIM_EXITED);
        CHECK_EQ(sim_count(&sim, '.', 0, 2000), 0);
    }
}

/* sched/deadline.c's rules, which the kernel's sched_setattr uses too. */
static void deadline_parameters_and_admission(void)
{
    const u64 ms = 1000000;
    CHECK_EQ(dl_check_params(10 * ms, 30 * ms, 100 * ms), 0);
    CHECK_EQ(dl_check_params(10 * ms, 30 * ms, 0), 0); /* period = deadline */
    CHECK_EQ(dl_check_params(40 * ms, 30 * ms, 100 * ms), -EINVAL);
    CHECK_EQ(dl_check_params(10 * ms, 300 * ms, 100 * ms), -EINVAL);
    CHECK_EQ(dl_check_params(1023, 30 * ms, 100 * ms), -EINVAL);
    CHECK_EQ(dl_check_params(1024, 99999, 99999), -EINVAL);
    CHECK_EQ(dl_check_params(1024, 100000, 100000), 0);
    CHECK_EQ(dl_check_params(ms, ms, DL_MAX_PERIOD_NS + 1), -EINVAL);
    CHECK_EQ(dl_check_params(ms, 0, 100 * ms), -EINVAL);
    CHECK_EQ(dl_bandwidth(25 * ms, 100 * ms), DL_BW_ONE / 4);
    /* Three thirds fit (rounded down), a fourth task does not. */
    u64 third = dl_bandwidth(10 * ms, 30 * ms), total = 0;
    for (int i = 0; i < 3; i++) {
        CHECK(dl_admit(total, 0, third));
        total += third;
    }
    CHECK(!dl_admit(total, 0, dl_bandwidth(1024, 100 * ms)));
    CHECK(dl_admit(total, third, third)); /* a task may keep what it has */
    CHECK(!dl_admit(DL_BW_ONE / 2, 0, DL_BW_ONE / 2 + 1));
    CHECK_EQ(dl_ns_to_ticks(1024), 1); /* whole ticks, rounded up */
    CHECK_EQ(dl_ns_to_ticks(10 * ms), 1);
    CHECK_EQ(dl_ns_to_ticks(10 * ms + 1), 2);
}

/* --- several CPUs: the core's side, with balancers made for the test ----------- */

static int balancer_calls;

/* Places on the least loaded CPU it may use (the lowest among equals); never pulls. */
static int least_loaded(const struct balance_view *view, u64 allowed, int prev_cpu)
{
    int best = -1;
    balancer_calls++;
    for (int cpu = 0; cpu < view->ncpus; cpu++)
        if ((allowed & (1ull << cpu)) &&
            (best < 0 || view->cpu[cpu].nr_running < view->cpu[best].nr_running))
            best = cpu;
    return best;
}
static int never(const struct balance_view *view)
{
    balancer_calls++;
    return -1;
}
/* Wrong on purpose: CPU 7 of 2, and "pull from yourself". */
static int out_of_range(const struct balance_view *view, u64 allowed, int prev_cpu) { return 7; }
static int itself(const struct balance_view *view) { return view->this_cpu; }
/* Every CPU but 0 pulls from CPU 0, whatever the loads. */
static int from_cpu_0(const struct balance_view *view) { return view->this_cpu ? 0 : -1; }
static int stay(const struct balance_view *view, u64 allowed, int prev_cpu) { return prev_cpu; }

/* With one CPU the balancer is never asked, and sim.timeline is CPU 0's. */
static void one_cpu_never_asks_the_balancer(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .repeat = true, .script = {RUN(1), BLOCK(2)}},
    };
    static const struct sim_balancer counting = {least_loaded, never};
    balancer_calls = 0;
    sim_start_cpus(&sim, &rr_policy, 1, 1, &counting, jobs, 2);
    sim_run(&sim, 100);
    CHECK_EQ(balancer_calls, 0);
    CHECK(sim.timeline == sim.cpu[0].timeline);
    CHECK_EQ(sim_count(&sim, 'A', 0, 100) + sim_count(&sim, 'B', 0, 100), 100);
}

/* Each CPU runs the policy on its own queue: two pairs of hogs alternate on two CPUs,
 * for every policy that keeps its state in struct run_queue. */
static void each_cpu_runs_the_policy_on_its_own_queue(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .script = {RUN(FOREVER)}},
        {.name = 'D', .script = {RUN(FOREVER)}},
    };
    static const struct sim_balancer spread = {least_loaded, never};
    const struct sched_policy *per_queue[] = {&rr_policy, &prio_policy, &lottery_policy};
    for (size_t i = 0; i < ARRAY_SIZE(per_queue); i++) {
        sim_start_cpus(&sim, per_queue[i], 1, 2, &spread, jobs, 4);
        sim_run(&sim, 400);
        CHECK_EQ(sim_count_on(&sim, 0, 'A', 0, 400) + sim_count_on(&sim, 0, 'C', 0, 400), 400);
        CHECK_EQ(sim_count_on(&sim, 1, 'B', 0, 400) + sim_count_on(&sim, 1, 'D', 0, 400), 400);
        CHECK(sim_count(&sim, 'C', 0, 400) >= 100 && sim_count(&sim, 'D', 0, 400) >= 100);
        CHECK_EQ(sim.cpu[0].rq.nr_ready + sim.cpu[1].rq.nr_ready, 2);
    }
}

/* Answers the core cannot use are counted and replaced; nothing runs outside its mask. */
static void the_core_refuses_bad_answers(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .affinity = 2, .script = {RUN(FOREVER)}},
        {.name = 'B', .repeat = true, .script = {RUN(1), BLOCK(1)}},
    };
    static const struct sim_balancer wrong = {out_of_range, itself};
    sim_start_cpus(&sim, &rr_policy, 1, 2, &wrong, jobs, 2);
    sim_run(&sim, 100);
    CHECK(sim.bad_answers >= 100); /* every wake-up, and every idle or periodic pull */
    CHECK_EQ(sim.affinity_violations, 0);
    CHECK_EQ(sim.migrations, 0);
    CHECK_EQ(sim_count_on(&sim, 1, 'A', 0, 100), 100); /* replaced by the first it may use */
}

/* A pull takes the ready process that waited longest and may run here: not the running
 * one, not one pinned to the busy CPU. */
static void a_pull_takes_the_longest_waiting_allowed(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'P', .affinity = 1, .script = {RUN(FOREVER)}}, /* pinned to CPU 0 */
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .script = {RUN(FOREVER)}},
        {.name = 'C', .affinity = 3, .arrival = 40, .script = {RUN(FOREVER)}},
    };
    static const struct sim_balancer pulling = {stay, from_cpu_0};
    sim_start_cpus(&sim, &rr_policy, 1, 2, &pulling, jobs, 3);
    sim.balance_every = 1000; /* only CPU 1's pulls when it has nothing */
    /* Tick 0: P runs on CPU 0, A and B wait there; CPU 1, empty, pulls A (ready first). */
    CHECK_EQ(sim_cpu_of(&sim, 1), 1);
    CHECK_EQ(sim.migrations, 1);
    sim_run(&sim, 30);
    CHECK_EQ(sim.migrations, 1); /* CPU 1 is never empty again */
    CHECK_STR(sim.cpu[1].timeline, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK_EQ(sim_count_on(&sim, 0, 'P', 0, 30), 15);
    CHECK_EQ(sim.affinity_violations, 0);
}

/* sched_setaffinity away from the CPU a process runs on moves it at once. */
static void set_affinity_moves_a_running_process(void)
{
    static const struct sim_job jobs[] = {
        {.name = 'A', .script = {RUN(FOREVER)}},
        {.name = 'B', .affinity = 1, .script = {RUN(FOREVER)}},
    };
    static const struct sim_balancer spread = {least_loaded, never};
    sim_start_cpus(&sim, &rr_policy, 1, 2, &spread, jobs, 2);
    sim_run(&sim, 2);
    CHECK_EQ(sim_cpu_of(&sim, 0), 0); /* A first, on the empty CPU 0; B pinned there too */
    sim_set_affinity(&sim, 0, 2);
    CHECK_EQ(sim_cpu_of(&sim, 0), 1);
    sim_run(&sim, 10);
    CHECK_STR(sim.cpu[0].timeline, "ABBBBBBBBB");
    CHECK_STR(sim.cpu[1].timeline, "..AAAAAAAA");
    CHECK_EQ(sim.affinity_violations, 0);
}

static const struct unit_case cases[] = {
    UNIT(metrics_by_hand),
    UNIT(jain_index),
    UNIT(blocked_and_late_jobs),
    UNIT(random_is_seeded),
    UNIT(child_inherits_nice_and_tickets),
    UNIT(every_policy_keeps_its_queue_intact),
    UNIT(deadline_parameters_and_admission),
    UNIT(one_cpu_never_asks_the_balancer),
    UNIT(each_cpu_runs_the_policy_on_its_own_queue),
    UNIT(the_core_refuses_bad_answers),
    UNIT(a_pull_takes_the_longest_waiting_allowed),
    UNIT(set_affinity_moves_a_running_process),
};
UNIT_MAIN("sched.sim", cases)
