/*
 * sim.c - the scheduling simulator: sched/sched.c's part, played on a
 * virtual clock (see sim.h and README.md).
 *
 * One call of sim_step() is one tick of 10 ms:
 *
 *     tick t:   the running task (if any) uses the CPU; ready tasks wait
 *     clock++   then, in the order the kernel's timer interrupt does it:
 *               1. arrivals and wake-ups due now are enqueued
 *                  (with several CPUs: on the CPU balance_select_cpu chose)
 *               2. policy->tick() for the task that ran
 *               3. that task's burst ended? it blocks, exits or yields;
 *                  else if tick() said so, it is preempted (enqueued)
 *               4. several CPUs: a CPU with nothing to run, and every CPU
 *                  at a multiple of balance_every, pulls a ready task from
 *                  the CPU balance_find_busiest names
 *               5. the CPU is free? policy->pick_next()
 *
 * With several CPUs each step is done for CPU 0, then CPU 1, and so on.
 *
 * Every call into the policy is made exactly where the core makes it, and
 * the core's bookkeeping (rq->nr_ready, rq->clock, the entity statistics)
 * is kept the same way, so a policy cannot tell the two apart.
 */
#include "tests/sched-sim/sim.h"
#include "sched/deadline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the services policy.h promises ------------------------------------- */

static u64 random_state = SIM_DEFAULT_SEED;

void sim_seed(u64 seed) { random_state = seed ? seed : SIM_DEFAULT_SEED; }

/* Marsaglia's xorshift64: small, fast, and the same sequence every run. */
u64 sched_random(void)
{
    u64 x = random_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return random_state = x;
}

/* The trace services record into the simulation that is running (sim_start sets it). */
static struct sim *tracing;

static void note(enum sim_note_kind kind, const struct proc *p, u64 value, u64 total)
{
    if (!tracing)
        return;
    if (tracing->nr_notes == SIM_MAX_NOTES) {
        tracing->notes_lost++;
        return;
    }
    tracing->notes[tracing->nr_notes++] = (struct sim_note){.kind = kind,
                                                            .name = p ? p->name : '-',
                                                            .clock = tracing->clock,
                                                            .value = value,
                                                            .total = total};
}

void sched_trace_level(const struct proc *p, int level) { note(NOTE_LEVEL, p, (u64)level, 0); }
void sched_trace_boost(void) { note(NOTE_BOOST, NULL, 0, 0); }
void sched_trace_draw(const struct proc *winner, u64 ticket, u64 total)
{
    note(NOTE_DRAW, winner, ticket, total);
}
void sched_trace_pick(const struct proc *p, u64 key) { note(NOTE_PICK, p, key, 0); }
void sched_trace_deadline(const struct proc *p, u64 deadline)
{
    note(NOTE_DEADLINE, p, deadline, 0);
}
void sched_trace_miss(const struct proc *p, u64 deadline) { note(NOTE_MISS, p, deadline, 0); }

int sim_notes(const struct sim *sim, enum sim_note_kind kind, char name)
{
    int n = 0;
    for (int i = 0; i < sim->nr_notes; i++)
        n += sim->notes[i].kind == kind && (!name || sim->notes[i].name == name);
    return n;
}

/* --- the core's side of the interface (mirrors sched/sched.c) ----------- */

static struct sim_task *task_of(struct proc *p) { return container_of(p, struct sim_task, proc); }
static struct run_queue *rq_of(struct sim *sim, struct sim_task *t) { return &sim->cpu[t->cpu].rq; }

/* sched_make_ready(), and the "still runnable" half of schedule(): onto t->cpu's queue. */
static void make_ready(struct sim *sim, struct sim_task *t)
{
    struct run_queue *rq = rq_of(sim, t);
    t->proc.state = SIM_READY;
    t->proc.sched.ready_since = sim->clock;
    rq->nr_ready++;
    sim->policy->enqueue(rq, &t->proc);
}

/* The other half of schedule(): CPU `cpu` is free, ask the policy who is next. */
static void pick_next(struct sim *sim, int cpu, struct sim_task *prev)
{
    struct sim_cpu *c = &sim->cpu[cpu];
    struct proc *next = sim->policy->pick_next(&c->rq);
    c->running = next ? task_of(next) : NULL;
    if (c->running != prev)
        sim->context_switches++; /* to and from idle count too, as in the core */
    if (!next)
        return;
    if (next->state != SIM_READY || task_of(next)->cpu != cpu) {
        fprintf(stderr, "sim: %s picked %c on CPU %d, which is not ready there\n",
                sim->policy->name, next->name, cpu);
        abort();
    }
    c->rq.nr_ready--;
    next->sched.wait_ticks += sim->clock - next->sched.ready_since;
    next->state = SIM_RUNNING;
    if (c->running == prev)
        return; /* the core returns early too: not a new scheduling */
    next->sched.times_scheduled++;
    if (next->sched.first_run == 0)
        next->sched.first_run = sim->clock ? sim->clock : 1;
    if (!task_of(next)->has_run) {
        task_of(next)->has_run = true;
        task_of(next)->first_run = sim->clock;
    }
}

/* --- several CPUs: where a process goes (sched/balance.h) ---------------- */

static u64 all_cpus(const struct sim *sim)
{
    return sim->ncpus >= 64 ? ~0ull : (1ull << sim->ncpus) - 1;
}

static bool may_run_on(const struct sim *sim, u64 allowed, int cpu)
{
    return cpu >= 0 && cpu < sim->ncpus && (allowed & (1ull << cpu));
}

/* The snapshot the core hands the balancer: every CPU's load right now. */
static void balance_view(const struct sim *sim, int this_cpu, struct balance_view *view)
{
    memset(view, 0, sizeof *view);
    view->ncpus = sim->ncpus;
    view->this_cpu = this_cpu;
    for (int cpu = 0; cpu < sim->ncpus; cpu++) {
        const struct sim_cpu *c = &sim->cpu[cpu];
        view->cpu[cpu].online = true;
        view->cpu[cpu].nr_running = (u32)c->rq.nr_ready + (c->running ? 1 : 0);
        view->cpu[cpu].idle = view->cpu[cpu].nr_running == 0;
    }
}

/*
 * t becomes ready (new, woken, or its CPU was taken from it): choose its CPU.
 * With one CPU there is nothing to choose.  An answer outside t's mask is
 * counted in bad_answers and replaced by prev_cpu, or the first CPU t may use.
 */
static void place(struct sim *sim, struct sim_task *t, int prev_cpu)
{
    int cpu = 0;
    if (sim->ncpus > 1) {
        struct balance_view view;
        balance_view(sim, prev_cpu, &view);
        cpu = sim->balancer.select_cpu(&view, t->allowed, prev_cpu);
        if (!may_run_on(sim, t->allowed, cpu)) {
            sim->bad_answers++;
            cpu = prev_cpu;
            for (int c = 0; !may_run_on(sim, t->allowed, cpu); c++)
                cpu = c;
        }
    }
    t->cpu = cpu;
}

/* Move ready task t to CPU `to`'s queue (its waiting so far is kept). */
static void migrate(struct sim *sim, struct sim_task *t, int to)
{
    struct run_queue *from = rq_of(sim, t);
    sim->policy->dequeue(from, &t->proc);
    from->nr_ready--;
    t->proc.sched.wait_ticks += sim->clock - t->proc.sched.ready_since;
    t->cpu = to;
    t->migrations++;
    sim->migrations++;
    make_ready(sim, t);
}

/*
 * CPU `cpu` asks the balancer whom to pull from; the core then moves the
 * ready process of that CPU that may run here and has waited longest (the
 * lowest index among equals), never the one running there.
 */
static void pull(struct sim *sim, int cpu)
{
    struct balance_view view;
    balance_view(sim, cpu, &view);
    int from = sim->balancer.find_busiest(&view);
    if (from == -1)
        return;
    if (from < 0 || from >= sim->ncpus || from == cpu) {
        sim->bad_answers++;
        return;
    }
    struct sim_task *oldest = NULL;
    for (int i = 0; i < sim->nr_tasks; i++) {
        struct sim_task *t = &sim->tasks[i];
        if (t->proc.state != SIM_READY || t->cpu != from || !may_run_on(sim, t->allowed, cpu))
            continue;
        if (!oldest || t->proc.sched.ready_since < oldest->proc.sched.ready_since)
            oldest = t;
    }
    if (oldest)
        migrate(sim, oldest, cpu);
}

/*
 * After the ticks, before the CPUs pick: a CPU with nothing to run pulls
 * (schedule() finding its queue empty), and at every clock multiple of
 * balance_every every CPU does (the periodic balancing tick), CPU 0 first.
 */
static void balance(struct sim *sim)
{
    if (sim->ncpus < 2)
        return;
    bool periodic = sim->clock % sim->balance_every == 0;
    for (int cpu = 0; cpu < sim->ncpus; cpu++) {
        struct sim_cpu *c = &sim->cpu[cpu];
        if (periodic || (!c->running && c->rq.nr_ready == 0))
            pull(sim, cpu);
    }
}

/* The parent of task t: the job named by .parent (it must be alive), or init. */
static struct proc *parent_of(struct sim *sim, struct sim_task *t)
{
    if (!t->job->parent)
        return &sim->init;
    for (int i = 0; i < sim->nr_tasks; i++) {
        struct proc *p = &sim->tasks[i].proc;
        if (p->name == t->job->parent && p->state != SIM_UNBORN && p->state != SIM_EXITED)
            return p;
    }
    fprintf(stderr, "sim: job %c's parent %c is not alive at tick %lu\n", t->job->name,
            t->job->parent, (unsigned long)sim->clock);
    abort();
}

/*
 * sched_fork() on the parent's CPU; then a child of init sets its own nice and
 * tickets, as setpriority() would.  It inherits the parent's affinity unless
 * the job names its own; where it is enqueued is place()'s choice, from the
 * parent's CPU.
 */
static void fork_task(struct sim *sim, struct sim_task *t)
{
    struct proc *parent = parent_of(sim, t), *p = &t->proc;
    struct sim_task *parent_task = parent == &sim->init ? NULL : task_of(parent);
    t->cpu = parent_task ? parent_task->cpu : 0;
    t->allowed = t->job->affinity ? t->job->affinity
                 : parent_task    ? parent_task->allowed
                                  : all_cpus(sim);
    struct run_queue *rq = rq_of(sim, t);
    memset(&p->sched, 0, sizeof p->sched);
    list_node_init(&p->sched.run_node);
    p->sched.nice = parent->sched.nice;
    p->sched.tickets = parent->sched.tickets;
    if (sim->policy->fork)
        sim->policy->fork(rq, parent, p);
    if (parent != &sim->init)
        return;
    p->sched.nice = t->job->nice;
    p->sched.tickets = t->job->tickets;
    if (sim->policy->reweight)
        sim->policy->reweight(rq, p);
    if (t->job->dl.period) /* sched_set_deadline(), before it is first enqueued */
        dl_start(rq, p, t->job->dl.runtime, t->job->dl.deadline, t->job->dl.period);
}

/* --- scripts ------------------------------------------------------------- */

/*
 * The task's current step is over: move on to the next one that takes
 * time.  Returns SIM_RUN (t->left set), SIM_BLOCK (t is blocked) or SIM_END
 * (t exited).  *yielded tells whether a YIELD was passed on the way.
 */
static enum sim_op next_step(struct sim *sim, struct sim_task *t, bool *yielded)
{
    for (int guard = 0; guard < 2 * SIM_MAX_BURSTS + 2; guard++) {
        t->step++;
        if (t->step >= SIM_MAX_BURSTS || t->job->script[t->step].op == SIM_END) {
            if (!t->job->repeat) {
                t->proc.state = SIM_EXITED;
                t->completion = sim->clock;
                return SIM_END;
            }
            t->step = 0;
        }
        const struct sim_burst *b = &t->job->script[t->step];
        if (b->op == SIM_YIELD)
            *yielded = true;
        else if (b->op == SIM_RUN && b->ticks > 0) {
            t->left = b->ticks;
            return SIM_RUN;
        } else if (b->op == SIM_BLOCK && b->ticks > 0) {
            t->proc.state = SIM_BLOCKED;
            t->wake_at = sim->clock + b->ticks;
            return SIM_BLOCK;
        }
    }
    fprintf(stderr, "sim: job %c's script never runs or blocks\n", t->job->name);
    abort();
}

/* Step 1 of the interrupt: jobs whose arrival or wake-up time is now, in job order,
 * each placed on a CPU as it becomes ready. */
static void arrivals_and_wakeups(struct sim *sim)
{
    for (int i = 0; i < sim->nr_tasks; i++) {
        struct sim_task *t = &sim->tasks[i];
        bool yielded = false;
        if (t->proc.state == SIM_UNBORN && t->job->arrival == sim->clock) {
            fork_task(sim, t);
            t->step = -1;
        } else if (t->proc.state == SIM_BLOCKED && t->wake_at == sim->clock) {
            dl_wakeup(rq_of(sim, t), &t->proc); /* sched_make_ready() of a blocked task */
        } else {
            continue;
        }
        if (next_step(sim, t, &yielded) == SIM_RUN) {
            place(sim, t, t->cpu);
            make_ready(sim, t);
        }
    }
}

/* Steps 2 and 3 on CPU `cpu`: the tick for the task that ran, and what it does next.
 * A preempted or yielding task goes back on the same CPU's queue. */
static void tick_running(struct sim *sim, int cpu)
{
    struct sim_task *t = sim->cpu[cpu].running;
    t->proc.sched.run_ticks++;
    bool preempt = sim->policy->tick(&sim->cpu[cpu].rq, &t->proc);
    bool yielded = false;
    if (t->left == 0) {
        enum sim_op op = next_step(sim, t, &yielded);
        if (op != SIM_RUN) {
            sim->cpu[cpu].running = NULL; /* blocked or exited: the core does not enqueue it */
            return;
        }
    }
    if (yielded && sim->policy->yield)
        sim->policy->yield(&sim->cpu[cpu].rq, &t->proc);
    if (preempt || yielded) {
        make_ready(sim, t);
        sim->cpu[cpu].running = NULL;
    }
}

/* --- the public interface ----------------------------------------------- */

void sim_start_cpus(struct sim *sim, const struct sched_policy *policy, u64 quantum, int ncpus,
                    const struct sim_balancer *balancer, const struct sim_job *jobs, int nr_jobs)
{
    if (nr_jobs > SIM_MAX_JOBS || ncpus < 1 || ncpus > SIM_MAX_CPUS) {
        fprintf(stderr, "sim: %d jobs on %d CPUs: at most %d jobs and %d CPUs\n", nr_jobs, ncpus,
                SIM_MAX_JOBS, SIM_MAX_CPUS);
        abort();
    }
    memset(sim, 0, sizeof *sim);
    tracing = sim;
    sim_seed(SIM_DEFAULT_SEED);
    sim->policy = policy;
    sim->ncpus = ncpus;
    sim->timeline = sim->cpu[0].timeline;
    sim->balancer =
        balancer ? *balancer : (struct sim_balancer){balance_select_cpu, balance_find_busiest};
    sim->balance_every = SIM_BALANCE_TICKS;
    sim->init.pid = 1;
    sim->init.name = '1';
    list_node_init(&sim->init.sched.run_node);
    sim->nr_tasks = nr_jobs;
    for (int i = 0; i < nr_jobs; i++) {
        sim->tasks[i].job = &jobs[i];
        sim->tasks[i].proc.pid = i + 2;
        sim->tasks[i].proc.name = jobs[i].name;
        sim->tasks[i].proc.state = SIM_UNBORN;
    }
    for (int cpu = 0; cpu < ncpus; cpu++) {
        sim->cpu[cpu].rq.quantum = quantum ? quantum : 1;
        policy->init(&sim->cpu[cpu].rq);
    }
    arrivals_and_wakeups(sim); /* tick 0's interrupt: arrivals, balancing, picks */
    balance(sim);
    for (int cpu = 0; cpu < ncpus; cpu++)
        pick_next(sim, cpu, NULL);
}

void sim_start(struct sim *sim, const struct sched_policy *policy, u64 quantum,
               const struct sim_job *jobs, int nr_jobs)
{
    sim_start_cpus(sim, policy, quantum, 1, NULL, jobs, nr_jobs);
}

/*
 * The running task's burst ended in the tick that just passed: if its script
 * now yields or blocks, a deadline task's job ended then, before this tick's
 * deadlines are checked (the core: sched_yield_current, or schedule() for a
 * task that blocks).
 */
static void job_end(struct sim *sim, struct sim_task *t)
{
    if (!t || t->left || !sched_is_deadline(&t->proc.sched))
        return;
    int next = t->step + 1;
    if ((next >= SIM_MAX_BURSTS || t->job->script[next].op == SIM_END) && t->job->repeat)
        next = 0;
    enum sim_op op = next < SIM_MAX_BURSTS ? t->job->script[next].op : SIM_END;
    if (op == SIM_YIELD || op == SIM_BLOCK)
        dl_job_end(rq_of(sim, t), &t->proc, op == SIM_BLOCK);
}

/* sched_timer_tick()'s dl_update() of every deadline task (after dl_charge of the one
 * that ran, which sim_step() does with job_end()). */
static void update_deadlines(struct sim *sim)
{
    for (int i = 0; i < sim->nr_tasks; i++) {
        struct sim_task *t = &sim->tasks[i];
        if (t->proc.state != SIM_UNBORN && t->proc.state != SIM_EXITED)
            dl_update(rq_of(sim, t), &t->proc);
    }
}

u64 sim_misses(struct sim *sim, int index) { return sim_proc(sim, index)->sched.dl_misses; }

void sim_step(struct sim *sim)
{
    struct sim_task *ran[SIM_MAX_CPUS];
    if (sim->clock >= SIM_MAX_TICKS) {
        fprintf(stderr, "sim: more than SIM_MAX_TICKS (%d) ticks\n", SIM_MAX_TICKS);
        abort();
    }
    for (int i = 0; i < sim->nr_tasks; i++)
        if (sim->tasks[i].proc.state == SIM_READY)
            sim->tasks[i].wait_ticks++;
    for (int cpu = 0; cpu < sim->ncpus; cpu++) {
        struct sim_task *t = ran[cpu] = sim->cpu[cpu].running;
        sim->cpu[cpu].timeline[sim->clock] = t ? t->proc.name : '.';
        if (!t)
            continue;
        t->run_ticks++;
        t->left--;
        sim->affinity_violations += !may_run_on(sim, t->allowed, cpu);
    }
    sim->clock++;
    for (int cpu = 0; cpu < sim->ncpus; cpu++) {
        sim->cpu[cpu].rq.clock = sim->clock;
        job_end(sim, ran[cpu]);
        if (ran[cpu])
            dl_charge(&ran[cpu]->proc);
    }
    arrivals_and_wakeups(sim);
    update_deadlines(sim);
    for (int cpu = 0; cpu < sim->ncpus; cpu++)
        if (sim->cpu[cpu].running)
            tick_running(sim, cpu);
    balance(sim);
    for (int cpu = 0; cpu < sim->ncpus; cpu++)
        if (!sim->cpu[cpu].running)
            pick_next(sim, cpu, ran[cpu]);
}

static bool all_exited(const struct sim *sim)
{
    for (int i = 0; i < sim->nr_tasks; i++)
        if (sim->tasks[i].proc.state != SIM_EXITED)
            return false;
    return true;
}

void sim_run(struct sim *sim, u64 until)
{
    while (sim->clock < until && !all_exited(sim))
        sim_step(sim);
}

/* The core's reweight(): off the queue, change, tell the policy, back on. */
static void reweight(struct sim *sim, int index, int nice, u64 tickets)
{
    struct sim_task *t = &sim->tasks[index];
    struct proc *p = &t->proc;
    bool queued = p->state == SIM_READY;
    if (queued)
        sim->policy->dequeue(rq_of(sim, t), p);
    p->sched.nice = nice;
    p->sched.tickets = tickets;
    if (sim->policy->reweight)
        sim->policy->reweight(rq_of(sim, t), p);
    if (queued)
        sim->policy->enqueue(rq_of(sim, t), p);
}

void sim_set_nice(struct sim *sim, int index, int nice)
{
    reweight(sim, index, nice, sim_proc(sim, index)->sched.tickets);
}

void sim_set_tickets(struct sim *sim, int index, u64 tickets)
{
    reweight(sim, index, sim_proc(sim, index)->sched.nice, tickets);
}

void sim_set_affinity(struct sim *sim, int index, u64 mask)
{
    struct sim_task *t = &sim->tasks[index];
    t->allowed = mask & all_cpus(sim);
    if (!t->allowed) {
        fprintf(stderr, "sim: job %c: affinity %#lx names no CPU\n", t->job->name,
                (unsigned long)mask);
        abort();
    }
    int cpu = t->cpu;
    if (may_run_on(sim, t->allowed, cpu))
        return;
    if (t->proc.state == SIM_READY) {
        sim->policy->dequeue(rq_of(sim, t), &t->proc);
        rq_of(sim, t)->nr_ready--;
    } else if (t->proc.state == SIM_RUNNING) {
        sim->cpu[cpu].running = NULL; /* preempted, and its CPU picks another */
    } else {
        return; /* not ready: it is placed when it wakes */
    }
    place(sim, t, cpu);
    make_ready(sim, t);
    if (!sim->cpu[cpu].running)
        pick_next(sim, cpu, t);
    if (!sim->cpu[t->cpu].running) /* the reschedule IPI to its new CPU */
        pick_next(sim, t->cpu, NULL);
}

int sim_cpu_of(const struct sim *sim, int index) { return sim->tasks[index].cpu; }

struct proc *sim_proc(struct sim *sim, int index) { return &sim->tasks[index].proc; }

/* --- metrics -------------------------------------------------------------- */

void sim_job_stats(const struct sim *sim, int index, struct sim_job_stats *out)
{
    const struct sim_task *t = &sim->tasks[index];
    out->run_ticks = t->run_ticks;
    out->wait_ticks = t->wait_ticks;
    out->times_scheduled = t->proc.sched.times_scheduled;
    out->response = t->has_run ? (long)(t->first_run - t->job->arrival) : -1;
    out->turnaround = t->proc.state == SIM_EXITED ? (long)(t->completion - t->job->arrival) : -1;
}

double sim_jain(const double *x, int n)
{
    double sum = 0, squares = 0;
    for (int i = 0; i < n; i++) {
        sum += x[i];
        squares += x[i] * x[i];
    }
    return squares > 0 ? sum * sum / (n * squares) : 1.0;
}

void sim_summary(const struct sim *sim, struct sim_summary *out)
{
    double shares[SIM_MAX_JOBS], turnaround = 0, response = 0;
    int nr_born = 0, nr_ran = 0;
    memset(out, 0, sizeof *out);
    out->ticks = sim->clock;
    out->context_switches = sim->context_switches;
    for (int i = 0; i < sim->nr_tasks; i++) {
        struct sim_job_stats s;
        sim_job_stats(sim, i, &s);
        if (sim->tasks[i].proc.state != SIM_UNBORN)
            shares[nr_born++] = (double)s.run_ticks;
        if (s.response >= 0) {
            nr_ran++;
            response += (double)s.response;
            out->worst_response = MAX(out->worst_response, (double)s.response);
        }
        if (s.turnaround >= 0) {
            out->completed++;
            turnaround += (double)s.turnaround;
            out->worst_turnaround = MAX(out->worst_turnaround, (double)s.turnaround);
        }
    }
    out->throughput = sim->clock ? out->completed * 100.0 / (double)sim->clock : 0;
    out->avg_turnaround = out->completed ? turnaround / (double)out->completed : 0;
    out->avg_response = nr_ran ? response / nr_ran : 0;
    out->fairness = sim_jain(shares, nr_born);
}

u64 sim_count_on(const struct sim *sim, int cpu, char name, u64 from, u64 to)
{
    u64 n = 0;
    for (u64 t = from; t < to && t < sim->clock; t++)
        n += sim->cpu[cpu].timeline[t] == name;
    return n;
}

u64 sim_count(const struct sim *sim, char name, u64 from, u64 to)
{
    u64 n = 0;
    for (int cpu = 0; cpu < sim->ncpus; cpu++)
        n += sim_count_on(sim, cpu, name, from, to);
    return n;
}
