/*
 * sched.c - the scheduler core.
 *
 * This file decides *when* the CPU changes hands and does the bookkeeping;
 * the policy (sched/policies/) decides *who* gets it.  Each CPU has its own
 * run queue (sched/runqueue.h: where a process is placed, how idle CPUs
 * pull work, and the lock order); schedule() picks from this CPU's.
 */
#include "sched/sched.h"
#include "kernel/lock/lockdep.h"
#include "kernel/cmdline.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "kernel/cpu.h"
#include "kernel/bkl.h"
#include "kernel/arch/apic.h"
#include "kernel/arch/smp.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/pagetable.h"
#include "mm/vm.h"
#include "proc/cgroup.h"
#include "proc/proc.h"
#include "sched/deadline.h"
#include "sched/policy.h"
#include "sched/runqueue.h"
#include "sched/trace.h"
#include "kernel/errno.h"
#include "kernel/random.h"
#include "proc/signal.h"

extern const struct sched_policy rr_policy;
extern const struct sched_policy prio_policy;
extern const struct sched_policy mlfq_policy;
extern const struct sched_policy lottery_policy;
extern const struct sched_policy stride_policy;
extern const struct sched_policy cfs_policy;
extern const struct sched_policy edf_policy;
extern const struct sched_policy rm_policy;

/* The policies sched= can choose; the first is the default. */
const struct sched_policy *const sched_policies[] = {
    &rr_policy,  &prio_policy, &mlfq_policy, &lottery_policy, &stride_policy, &cfs_policy,
    &edf_policy, &rm_policy,   NULL,
};

static const struct sched_policy *policy;
/* This CPU's idle process (each CPU has its own: struct cpu). */
#define idle_proc (this_cpu()->idle)
/* READY processes whose control group is out of CPU quota until its period
 * ends (cpu.max): linked by sched.run_node, on no CPU's queue, not in any
 * nr_ready.  The policies never see them.  protected by: the big kernel lock
 * (kernel/bkl.h), like the deadline list below. */
static struct list throttled = LIST_INIT(throttled);
u64 context_switches;
u64 preempt_points_taken;
struct cpu_ticks cpu_ticks;

/* Load average, Linux's fixed-point recipe: every 5 s,
 * load = load * e + active * (1 - e), with e = exp(-5 s / 1, 5, 15 min). */
#define FSHIFT 11
#define FIXED_1 (1 << FSHIFT)
static const u64 load_decay[3] = {1884, 2014, 2037};
static u64 load_fixed[3];

u64 sched_nr_running(void)
{
    u64 running = 0;
    for (int i = 0; i < cpu_count; i++)
        running += cpu_queues[i].rq.nr_ready + (cpus[i].running && cpus[i].running != cpus[i].idle);
    return running;
}

static void update_loadavg(void)
{
    u64 active = sched_nr_running() * FIXED_1;
    for (int i = 0; i < 3; i++)
        load_fixed[i] =
            (load_fixed[i] * load_decay[i] + active * (FIXED_1 - load_decay[i])) >> FSHIFT;
}

void sched_loadavg(u64 out[3])
{
    for (int i = 0; i < 3; i++)
        out[i] = (load_fixed[i] * 100 + FIXED_1 / 2) >> FSHIFT;
}

const struct sched_policy *sched_active_policy(void) { return policy; }
u64 sched_random(void) { return random_u64(); }
static bool yielding; /* the running process called sched_yield */

/* SCHED_DEADLINE tasks (sched_setattr), whatever the policy: each one's jobs
 * are released and its misses counted every tick (sched/deadline.c), and
 * together they may not ask for more than the whole CPU (admission). */
static struct list deadline_tasks = LIST_INIT(deadline_tasks);
static u64 deadline_bw; /* the sum of their dl_bw, out of DL_BW_ONE */
u64 sched_quantum_ms(void) { return cpu_queues[0].rq.quantum * 1000 / HZ; }

/* The deadline bookkeeping (sched/deadline.c) reads only rq->clock: this
 * CPU's queue, its clock brought up to date (every writer stores jiffies). */
static struct run_queue *deadline_clock(void)
{
    struct run_queue *rq = &runqueue_this()->rq;
    rq->clock = jiffies;
    return rq;
}

static const struct sched_policy *find_policy(const char *name)
{
    for (int i = 0; sched_policies[i]; i++)
        if (strcmp(sched_policies[i]->name, name) == 0)
            return sched_policies[i];
    return NULL;
}

/* How long an idle CPU polls its queue before it halts (idle_poll()). */
#define IDLE_POLL_US 0
static u64 idle_poll_us = IDLE_POLL_US;

void sched_init(struct proc *idle)
{
    ASSERT(idle_proc == idle); /* proc_init_idle made it CPU 0's */
    policy = sched_policies[0];
    const char *wanted = boot_option("sched");
    if (wanted && !(policy = find_policy(wanted))) {
        char names[128] = "";
        for (int i = 0; sched_policies[i]; i++) {
            strlcat(names, i ? ", " : "", sizeof names);
            strlcat(names, sched_policies[i]->name, sizeof names);
        }
        pr_warn("sched: unknown policy '%s'; available: %s; using %s\n", wanted, names,
                sched_policies[0]->name);
        policy = sched_policies[0];
    }
    u64 quantum_ms = DEFAULT_QUANTUM_MS;
    const char *q = boot_option("quantum");
    if (q && (!cmdline_parse_u64(q, &quantum_ms) || quantum_ms == 0 || quantum_ms > 10000)) {
        pr_warn("sched: bad quantum=%s (milliseconds, 1-10000); using %d\n", q, DEFAULT_QUANTUM_MS);
        quantum_ms = DEFAULT_QUANTUM_MS;
    }
    const char *poll = boot_option("idle_poll");
    if (poll && (!cmdline_parse_u64(poll, &idle_poll_us) || idle_poll_us > 10000)) {
        pr_warn("sched: bad idle_poll=%s (microseconds, 0-10000); not polling\n", poll);
        idle_poll_us = IDLE_POLL_US;
    }
    runqueue_init(policy, MAX(ms_to_ticks(quantum_ms), 1)); /* every CPU's queue */
    sched_trace_init();
    pr_info("sched: policy %s (%s), quantum %lu ms\n", policy->name, policy->description,
            sched_quantum_ms());
}

/* The CPUs that run processes: all of them with smp=on, else CPU 0. */
u64 sched_online_mask(void)
{
    return smp_scheduling ? (cpu_count >= 64 ? ~0ul : (1ul << cpu_count) - 1) : 1;
}

u64 sched_affinity(const struct proc *p)
{
    u64 online = sched_online_mask();
    return p->affinity & online ? p->affinity & online : online;
}

void sched_make_ready(struct proc *p)
{
    bool irq = irq_save();
    ASSERT(p->state != PROC_READY && p->state != PROC_ZOMBIE);
    bool woken = p->state == PROC_BLOCKED;
    if (woken && sched_is_deadline(&p->sched))
        dl_wakeup(deadline_clock(), p); /* maybe a new job */
    p->state = PROC_READY;
    p->sched.ready_since = jiffies;
    runqueue_place(p); /* on the CPU the balancer chooses (CPU 0 if only one) */
    if (woken)
        sched_trace(TRACE_WAKEUP, p, NULL, 0);
    irq_restore(irq);
}

void sched_remove_ready(struct proc *p)
{
    bool irq = irq_save();
    if (p->state == PROC_READY && p->sched.throttled) {
        list_remove(&p->sched.run_node);
        p->sched.throttled = false;
    } else if (p->state == PROC_READY) {
        struct cpu_queue *q = &cpu_queues[p->last_cpu];
        runqueue_lock(q);
        runqueue_remove(q, p);
        runqueue_unlock(q);
    }
    irq_restore(irq);
}

void sched_fork(struct proc *parent, struct proc *child)
{
    /* A fresh entity: the child inherits only its parent's nice value and tickets. */
    memset(&child->sched, 0, sizeof child->sched);
    list_node_init(&child->sched.run_node);
    list_node_init(&child->sched.dl_node); /* a deadline task's child is a normal task */
    child->sched.nice = parent->sched.nice;
    child->sched.tickets = parent->sched.tickets;
    child->sched.group_weight = parent->sched.group_weight;
    child->affinity = parent->affinity; /* inherited, as on Linux */
    list_node_init(&child->sched.queue_node);
    child->last_cpu = this_cpu()->id; /* where it is placed from (balance_select_cpu) */
    struct cpu_queue *q = runqueue_this();
    runqueue_lock(q);
    if (policy->fork)
        policy->fork(&q->rq, parent, child);
    runqueue_unlock(q);
    sched_trace(TRACE_FORK, parent, child, 0);
}

/* Change a scheduling parameter with p off its CPU's queue, then tell the policy. */
static void reweight(struct proc *p, int nice, u64 tickets)
{
    struct cpu_queue *q = &cpu_queues[p->last_cpu];
    runqueue_lock(q);
    bool queued = p->state == PROC_READY && !p->sched.throttled;
    if (queued)
        policy->dequeue(&q->rq, p);
    p->sched.nice = nice;
    p->sched.tickets = tickets;
    if (policy->reweight)
        policy->reweight(&q->rq, p);
    if (queued)
        policy->enqueue(&q->rq, p);
    runqueue_unlock(q);
}

void sched_set_nice(struct proc *p, int nice) { reweight(p, nice, p->sched.tickets); }

int sched_set_deadline(struct proc *p, const struct sched_deadline_params *params)
{
    if (p->state == PROC_ZOMBIE)
        return -ESRCH; /* it will not run again to give its bandwidth back */
    /* What the policies will grant, in whole ticks: admission counts that,
     * so a promise is never bigger than what the budget enforces. */
    u64 runtime = dl_ns_to_ticks(params->runtime_ns);
    u64 deadline = MAX(dl_ns_to_ticks(params->deadline_ns), runtime);
    u64 period = MAX(dl_ns_to_ticks(params->period_ns), deadline);
    u64 bw = dl_bandwidth(runtime, period);
    bool irq = irq_save();
    struct sched_entity *s = &p->sched;
    if (!dl_admit(deadline_bw, s->dl_bw, bw)) {
        irq_restore(irq);
        return -EBUSY;
    }
    struct cpu_queue *q = &cpu_queues[p->last_cpu];
    runqueue_lock(q);
    bool queued = p->state == PROC_READY && !p->sched.throttled;
    if (queued)
        policy->dequeue(&q->rq, p);
    if (!sched_is_deadline(s))
        list_push_back(&deadline_tasks, &s->dl_node);
    deadline_bw = deadline_bw - s->dl_bw + bw;
    s->dl_bw = bw;
    s->dl_runtime_ns = params->runtime_ns;
    s->dl_deadline_ns = params->deadline_ns;
    s->dl_period_ns = params->period_ns;
    s->dl_flags = params->flags;
    q->rq.clock = jiffies;
    dl_start(&q->rq, p, runtime, deadline, period);
    if (queued)
        policy->enqueue(&q->rq, p);
    runqueue_unlock(q);
    if (p == current)
        p->need_resched = true; /* let the policy look at it again */
    irq_restore(irq);
    return 0;
}

/* Off the deadline list, its bandwidth given back.  Interrupts off. */
static void forget_deadline(struct proc *p)
{
    struct sched_entity *s = &p->sched;
    if (!sched_is_deadline(s))
        return;
    list_remove(&s->dl_node);
    deadline_bw -= s->dl_bw;
    s->dl_bw = 0;
    dl_stop(p);
}

void sched_set_normal(struct proc *p)
{
    bool irq = irq_save();
    struct cpu_queue *q = &cpu_queues[p->last_cpu];
    runqueue_lock(q);
    bool queued = p->state == PROC_READY && !p->sched.throttled;
    if (queued)
        policy->dequeue(&q->rq, p);
    forget_deadline(p);
    if (queued)
        policy->enqueue(&q->rq, p);
    runqueue_unlock(q);
    if (p == current)
        p->need_resched = true;
    irq_restore(irq);
}

u64 sched_deadline_bandwidth(void) { return deadline_bw; }
void sched_set_tickets(struct proc *p, u64 tickets) { reweight(p, p->sched.nice, tickets); }

void sched_set_inherited_nice(struct proc *p, bool boosted, int nice)
{
    bool irq = irq_save();
    if (p->sched.pi_boosted != boosted || p->sched.pi_nice != nice) {
        p->sched.pi_boosted = boosted;
        p->sched.pi_nice = nice;
        reweight(p, p->sched.nice, p->sched.tickets);
    }
    irq_restore(irq);
}

/*
 * Switch the CPU from prev to next: the address space (CR3), the stack the
 * CPU uses when entering the kernel (TSS rsp0, and the syscall stack), the
 * thread pointer (FS base), and finally the registers and kernel stack
 * (context_switch).  When context_switch returns, we are `next` -- or
 * rather, much later, prev again, when someone switches back to it.
 */
static void switch_to(struct proc *prev, struct proc *next)
{
    u64 kstack_top = (u64)next->kstack + KSTACK_SIZE;
    tss_set_kernel_stack(kstack_top);
    this_cpu()->syscall_kernel_rsp = kstack_top;
    pagetable_activate(next->mm ? next->mm->pml4 : kernel_pml4);
    prev->fs_base = rdmsr(MSR_FS_BASE);
    wrmsr(MSR_FS_BASE, next->fs_base);
    fpu_save(prev->fpu); /* the user's floating-point and SSE registers */
    fpu_restore(next->fpu);
    this_cpu()->running = next;
    context_switch(&prev->context, next->context);
}

/*
 * The policy's choice from this CPU's queue (every process on it may run
 * here), parking those whose control group is out of CPU time (cpu.max).
 */
static struct proc *pick_ready(struct cpu_queue *q)
{
    for (;;) {
        runqueue_lock(q);
        struct proc *next = runqueue_pick(q);
        runqueue_unlock(q);
        if (!next || !cgroup_cpu_throttled_groups || !cgroup_cpu_throttled(next))
            return next;
        next->sched.throttled = true; /* until its group's period ends */
        list_push_back(&throttled, &next->sched.run_node);
    }
}

int sched_set_affinity(struct proc *p, u64 mask)
{
    u64 online = sched_online_mask();
    if (!(mask & online))
        return -EINVAL;
    bool irq = irq_save();
    p->affinity = mask & online;
    if (p->state == PROC_READY && !p->sched.throttled && !runqueue_allowed(p, p->last_cpu)) {
        struct cpu_queue *q = &cpu_queues[p->last_cpu]; /* on a queue it may not use now */
        runqueue_lock(q);
        runqueue_remove(q, p);
        runqueue_unlock(q);
        runqueue_place(p);
    } else if (p->state == PROC_RUNNING && !runqueue_allowed(p, p->last_cpu)) {
        p->need_resched = true; /* schedule() places it on an allowed CPU */
        if (p->last_cpu != this_cpu()->id)
            apic_send_ipi(cpus[p->last_cpu].apic_id, VEC_IPI_RESCHEDULE);
    }
    irq_restore(irq);
    return 0;
}

void schedule(void)
{
    ASSERT(!interrupts_enabled());
    lockdep_might_sleep("schedule"); /* a spinlock held here would be held by a sleeper */
    struct proc *prev = current;
    struct cpu_queue *q = runqueue_this();
    q->rq.clock = jiffies;
    prev->need_resched = false;
    if (prev->kstack && *(u64 *)prev->kstack != KSTACK_CANARY)
        panic("kernel stack overflow in process %d (%s)", prev->pid, prev->name);

    bool still_runnable = prev->state == PROC_RUNNING && prev != idle_proc;
    if (prev->state == PROC_BLOCKED)
        dl_job_end(&q->rq, prev, true); /* a deadline task's job ends when it sleeps */
    else if (prev->state == PROC_ZOMBIE)
        forget_deadline(prev);
    if (still_runnable) {
        prev->state = PROC_READY;
        prev->sched.ready_since = jiffies;
        if (runqueue_allowed(prev, this_cpu()->id)) {
            runqueue_lock(q);
            runqueue_add(q, prev);
            runqueue_unlock(q);
        } else {
            runqueue_place(prev); /* its affinity no longer includes this CPU */
        }
    }

    struct proc *next = pick_ready(q);
    if (!next && runqueue_balance(true)) /* about to idle: pull from a busy CPU */
        next = pick_ready(q);
    if (next) {
        next->sched.wait_ticks += jiffies - next->sched.ready_since;
    } else {
        next = idle_proc;
    }
    if (next == prev) {
        prev->state = PROC_RUNNING;
        yielding = false;
        return;
    }

    if (prev != idle_proc) {
        if (still_runnable)
            prev->nivcsw++; /* involuntary: preempted while it still wanted to run */
        else
            prev->nvcsw++; /* voluntary: it blocked, stopped or exited */
    }
    int reason = still_runnable                ? (yielding ? REASON_YIELD : REASON_PREEMPT)
                 : prev->state == PROC_BLOCKED ? REASON_BLOCK
                 : prev->state == PROC_STOPPED ? REASON_STOP
                 : prev == idle_proc           ? REASON_PREEMPT
                                               : REASON_EXIT;
    yielding = false;
    sched_trace(TRACE_SWITCH, prev, next, reason);
    next->state = PROC_RUNNING;
    next->last_cpu = this_cpu()->id;
    next->sched.times_scheduled++;
    if (next->sched.first_run == 0)
        next->sched.first_run = jiffies ? jiffies : 1;
    context_switches++;
    u64 now = uptime_ns();
    prev->cpu_ns += now - prev->running_since_ns;
    next->running_since_ns = now;
    switch_to(prev, next);
}

void sched_yield_current(void)
{
    bool irq = irq_save();
    struct cpu_queue *q = runqueue_this();
    runqueue_lock(q);
    q->rq.clock = jiffies;
    dl_job_end(&q->rq, current, false); /* a deadline task's job ends when it yields */
    if (policy->yield)
        policy->yield(&q->rq, current);
    runqueue_unlock(q);
    yielding = true;
    schedule();
    irq_restore(irq);
}

/* Give the CPU back to parked processes whose control group has a new period. */
static void unthrottle_ready(void)
{
    struct proc *p, *tmp;
    list_for_each_entry_safe (p, tmp, &throttled, sched.run_node) {
        if (cgroup_cpu_throttled(p))
            continue;
        list_remove(&p->sched.run_node);
        p->sched.throttled = false;
        p->sched.ready_since = jiffies;
        runqueue_place(p);
        if (p->last_cpu == this_cpu()->id)
            current->need_resched = true; /* the policy decides whether it goes first */
    }
}

void sched_timer_tick(struct trap_frame *frame)
{
    struct proc *p = current;
    struct cpu_queue *q = runqueue_this();
    q->rq.clock = jiffies;
    if (!list_empty(&throttled))
        unthrottle_ready();
    bool clock_cpu = this_cpu()->id == 0; /* the kernel's tick: once per jiffy */
    if (clock_cpu && jiffies % (5 * HZ) == 0)
        update_loadavg();
    if (p != idle_proc)
        dl_charge(p); /* a deadline task spent a tick of its budget */
    struct proc *task;
    if (clock_cpu)
        list_for_each_entry (task, &deadline_tasks, sched.dl_node)
            dl_update(&q->rq, task); /* new periods begin, missed deadlines are counted */
    struct cpu *cpu = this_cpu();
    if (p == idle_proc) {
        cpu_ticks.idle++;
        cpu->idle_ticks++;
        if (smp_scheduling)
            runqueue_balance(true); /* an idle CPU looks for work every tick */
        if (q->rq.nr_ready)
            p->need_resched = true;
        return;
    }
    if (trap_from_user(frame)) {
        p->utime_ticks++;
        cpu_ticks.user++;
        cpu->user_ticks++;
    } else {
        p->stime_ticks++;
        cpu_ticks.system++;
        cpu->system_ticks++;
    }
    p->sched.run_ticks++;
    runqueue_lock(q);
    if (policy->tick(&q->rq, p))
        p->need_resched = true;
    runqueue_unlock(q);
    /* Only this CPU touches its balance_ticks. */
    if (smp_scheduling && ++q->balance_ticks >= BALANCE_INTERVAL_TICKS) {
        q->balance_ticks = 0;
        runqueue_balance(false); /* periodic: pull one if another CPU has two more */
    }
    if (cgroup_cpu_charge(p, NS_PER_TICK))
        p->need_resched = true; /* its group used its cpu.max quota */
}

bool sched_need_resched(void) { return current->need_resched; }

bool sched_idle_has_work(void) { return current == idle_proc && runqueue_this()->rq.nr_ready; }

int sched_preempt_point(void)
{
    struct proc *p = current;
    if (smp_scheduling && interrupts_enabled() && p != idle_proc)
        bkl_let_others_in(); /* the other CPUs' interrupts and system calls */
    if (p->need_resched && interrupts_enabled() && p != idle_proc) {
        preempt_points_taken++;
        cli();
        schedule(); /* still PROC_RUNNING: we stay on the run queue */
        sti();
    }
    return (p->signals.pending & SIGMASK(SIGKILL)) ? -EINTR : 0;
}

u64 sched_runtime_ns(const struct proc *p)
{
    bool on_cpu = p == current || (smp_scheduling && p->state == PROC_RUNNING && p->pid != 0);
    return p->cpu_ns + (on_cpu ? uptime_ns() - p->running_since_ns : 0);
}

/*
 * The timer interrupt samples who is running (sched_timer_tick): cheap and
 * right on average, but a process that runs for one millisecond across a
 * tick is charged a whole tick, so a short-lived process could show 300%
 * CPU.  Like Linux (cputime_adjust), report the precise run time measured
 * at each context switch, split between user and system in the sampled
 * proportion.  The sum never runs backwards; the split may shift a little.
 */
void sched_cputime(const struct proc *p, u64 *utime, u64 *stime)
{
    u64 total = sched_runtime_ns(p) / NS_PER_TICK;
    u64 sampled = p->utime_ticks + p->stime_ticks;
    *utime = sampled ? total * p->utime_ticks / sampled : total;
    *stime = total - *utime;
}

/*
 * Before halting, an idle CPU may look at its queue for a while (the boot
 * option idle_poll=US; 0, the default, never polls), as Linux's guests do
 * (cpuidle-haltpoll): under QEMU each virtual CPU is a host thread, and
 * waking a halted one (the reschedule IPI) costs a host thread wake-up, 100
 * us to several ms on a busy host, where a polling one sees the new process
 * at once.  On the 2-core host shared with other QEMUs where it was tried
 * (docs/smp.md, "Waking another CPU"), polling for 200 us did not pay: the
 * polling thread takes host time from the one doing the work.  True if
 * something arrived.  Interrupts off; on while it polls.
 */
static bool idle_poll(const struct cpu_queue *q)
{
    u64 tsc_per_us = apic_tsc_per_us();
    if (!smp_scheduling || !tsc_per_us || !idle_poll_us)
        return false;
    u64 start = rdtsc(), limit = tsc_per_us * idle_poll_us;
    bool found = false;
    sti(); /* interrupts (the tick, the reschedule IPI) come in while it polls */
    while (!(found = __atomic_load_n(&q->rq.nr_ready, __ATOMIC_RELAXED) != 0) &&
           rdtsc() - start < limit)
        __asm__ volatile("pause");
    cli();
    return found;
}

void sched_idle_loop(void)
{
    for (;;) {
        cli();
        /* Several CPUs: look at the run queue only under the big lock.  With
         * a process queued here (placed, and pinged, while another CPU held
         * the lock), wait for the lock as a waiter -- a long system call
         * elsewhere then lets us in at its next preemption point; sleeping
         * until the next tick would leave the process waiting up to 10 ms,
         * and no other CPU takes it (it is not theirs).  With nothing queued,
         * just look, and sleep if another CPU holds it. */
        struct cpu_queue *q = runqueue_this();
        bool locked = q->rq.nr_ready ? (bkl_lock(), true) : bkl_trylock();
        if (locked) {
            if (q->rq.nr_ready)
                schedule();
            bkl_release_to_user(); /* idle holds no lock while it sleeps */
        } else if (q->rq.nr_ready) {
            sti(); /* something arrived while another CPU held the lock: look again */
            continue;
        }
        /* Nothing to run, or nothing that may run yet (a throttled deadline
         * task stays queued): sleep until the next interrupt (sti;hlt is
         * atomic).  Looping back at once would leave interrupts off but for
         * one instruction, and the tick that unthrottles it never comes. */
        if (!q->rq.nr_ready && idle_poll(q))
            continue;
        sti_hlt();
    }
}
