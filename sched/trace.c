/*
 * trace.c - the scheduling trace ring buffer (see trace.h).
 *
 * Text format, one event per line (times in microseconds since boot):
 *
 *   # sprout schedtrace policy=rr quantum_ms=10 hz=100
 *   # proc 1 init                 (a process that existed when tracing began)
 *   1234567 switch 4 5 preempt cpu=0   (4 stopped running because its slice ended;
 *                                       5 runs, on CPU 0)
 *   1234890 switch 5 0 block pipe_read cpu=1
 *   1240000 wakeup 5 cpu=1        (5 is ready, on CPU 1's run queue)
 *   1240000 migrate 5 0 1         (5 moved from CPU 0's run queue to CPU 1's)
 *   1250000 fork 2 6 sh
 *   1250500 exec 6 spin
 *   1300000 exit 6
 *   1300100 level 5 1             (MLFQ: 5 moved to level 1)
 *   1300200 boost                 (MLFQ: everyone back to level 0)
 *   1300300 draw 5 412 600        (lottery: ticket 412 of 600 drawn, 5 holds it)
 *   1300400 pick 5 1048576        (stride/CFS: 5 picked with pass/vruntime 1048576)
 *   1300500 deadline 5 1350500    (deadline task 5: a job released, due at 1350500 us)
 *   1350500 miss 5 1350500        (5's job due at 1350500 us had not ended by then)
 */
#include "sched/trace.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "sched/policy.h"
#include "sched/sched.h"

#define TRACE_CAPACITY 16384

struct record {
    u64 time_us;
    u8 event, reason;
    u16 cpu; /* switch: the CPU switching; wakeup: the CPU whose queue it joined */
    i32 a, b;
    union {
        char name[PROC_NAME_LEN]; /* fork/exec: the command; block: the wait channel */
        u64 value[2];             /* level, draw, pick: the policy's numbers */
    };
};

bool sched_trace_enabled;
static struct record *ring;
static u64 written; /* records ever written; the ring keeps the last TRACE_CAPACITY */
static u64 started_us;

static const char *const reason_names[] = {"preempt", "yield", "block", "stop", "exit"};

static int start(void)
{
    if (!ring && !(ring = kmalloc(TRACE_CAPACITY * sizeof *ring)))
        return -ENOMEM;
    written = 0;
    started_us = uptime_ns() / 1000;
    sched_trace_enabled = true;
    return 0;
}

void sched_trace_init(void)
{
    const char *option = boot_option("schedtrace");
    if (option && strcmp(option, "1") == 0 && start() < 0)
        pr_warn("schedtrace: no memory for the trace buffer\n");
}

void sched_trace(enum trace_event event, const struct proc *a, const struct proc *b, int reason)
{
    if (!sched_trace_enabled)
        return;
    bool irq = irq_save();
    struct record *r = &ring[written % TRACE_CAPACITY];
    r->time_us = uptime_ns() / 1000;
    r->event = (u8)event;
    r->reason = (u8)reason;
    r->a = a ? a->pid : 0;
    r->b = b ? b->pid : 0;
    r->cpu = (u16)(event == TRACE_WAKEUP && a ? a->last_cpu : this_cpu()->id);
    r->name[0] = '\0';
    if (event == TRACE_FORK || event == TRACE_EXEC)
        strlcpy(r->name, event == TRACE_FORK ? b->name : a->name, sizeof r->name);
    else if (event == TRACE_SWITCH && reason == REASON_BLOCK && a->wait_channel)
        strlcpy(r->name, a->wait_channel, sizeof r->name);
    written++;
    irq_restore(irq);
}

/* The policies' events (sched/policy.h): one record with up to two numbers. */
static void trace_policy_event(enum trace_event event, const struct proc *p, u64 first, u64 second)
{
    if (!sched_trace_enabled)
        return;
    bool irq = irq_save();
    struct record *r = &ring[written % TRACE_CAPACITY];
    r->time_us = uptime_ns() / 1000;
    r->event = (u8)event;
    r->reason = 0;
    r->a = p ? p->pid : 0;
    r->b = 0;
    r->cpu = (u16)this_cpu()->id;
    r->value[0] = first;
    r->value[1] = second;
    written++;
    irq_restore(irq);
}

void sched_trace_level(const struct proc *p, int level)
{
    trace_policy_event(TRACE_LEVEL, p, (u64)level, 0);
}
void sched_trace_boost(void) { trace_policy_event(TRACE_BOOST, NULL, 0, 0); }
void sched_trace_draw(const struct proc *winner, u64 ticket, u64 total)
{
    trace_policy_event(TRACE_DRAW, winner, ticket, total);
}
void sched_trace_pick(const struct proc *p, u64 key) { trace_policy_event(TRACE_PICK, p, key, 0); }

/* A deadline in ticks, on the trace's clock (microseconds since boot). */
static u64 deadline_us(u64 deadline)
{
    i64 ahead = (i64)deadline - (i64)jiffies;
    return (u64)((i64)(uptime_ns() / 1000) + ahead * (1000000 / HZ));
}
void sched_trace_deadline(const struct proc *p, u64 deadline)
{
    trace_policy_event(TRACE_DEADLINE, p, deadline_us(deadline), 0);
}
void sched_trace_miss(const struct proc *p, u64 deadline)
{
    trace_policy_event(TRACE_MISS, p, deadline_us(deadline), 0);
}

void sched_trace_migrate(const struct proc *p, int from, int to)
{
    trace_policy_event(TRACE_MIGRATE, p, (u64)from, (u64)to);
}

void sched_trace_show(struct textbuf *out)
{
    textbuf_printf(out, "# sprout schedtrace policy=%s quantum_ms=%lu hz=%d %s\n",
                   sched_active_policy()->name, sched_quantum_ms(), HZ,
                   sched_trace_enabled ? "on" : "off");
    textbuf_printf(out, "# started %lu\n", started_us);
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        textbuf_printf(out, "# proc %d %s\n", p->pid, p->name);
    if (!ring)
        return;
    u64 first = written > TRACE_CAPACITY ? written - TRACE_CAPACITY : 0;
    if (first)
        textbuf_printf(out, "# lost %lu older events\n", first);
    for (u64 i = first; i < written; i++) {
        const struct record *r = &ring[i % TRACE_CAPACITY];
        switch (r->event) {
        case TRACE_SWITCH:
            textbuf_printf(out, "%lu switch %d %d %s%s%s cpu=%u\n", r->time_us, r->a, r->b,
                           reason_names[r->reason], r->name[0] ? " " : "", r->name, r->cpu);
            break;
        case TRACE_WAKEUP:
            textbuf_printf(out, "%lu wakeup %d cpu=%u\n", r->time_us, r->a, r->cpu);
            break;
        case TRACE_MIGRATE:
            textbuf_printf(out, "%lu migrate %d %lu %lu\n", r->time_us, r->a, r->value[0],
                           r->value[1]);
            break;
        case TRACE_FORK:
            textbuf_printf(out, "%lu fork %d %d %s\n", r->time_us, r->a, r->b, r->name);
            break;
        case TRACE_EXEC:
            textbuf_printf(out, "%lu exec %d %s\n", r->time_us, r->a, r->name);
            break;
        case TRACE_EXIT:
            textbuf_printf(out, "%lu exit %d\n", r->time_us, r->a);
            break;
        case TRACE_LEVEL:
            textbuf_printf(out, "%lu level %d %lu\n", r->time_us, r->a, r->value[0]);
            break;
        case TRACE_BOOST:
            textbuf_printf(out, "%lu boost\n", r->time_us);
            break;
        case TRACE_DRAW:
            textbuf_printf(out, "%lu draw %d %lu %lu\n", r->time_us, r->a, r->value[0],
                           r->value[1]);
            break;
        case TRACE_PICK:
            textbuf_printf(out, "%lu pick %d %lu\n", r->time_us, r->a, r->value[0]);
            break;
        case TRACE_DEADLINE:
            textbuf_printf(out, "%lu deadline %d %lu\n", r->time_us, r->a, r->value[0]);
            break;
        case TRACE_MISS:
            textbuf_printf(out, "%lu miss %d %lu\n", r->time_us, r->a, r->value[0]);
            break;
        }
    }
}

int sched_trace_control(const char *command)
{
    if (strcmp(command, "on") == 0 || strcmp(command, "1") == 0)
        return start();
    if (strcmp(command, "off") == 0 || strcmp(command, "0") == 0) {
        sched_trace_enabled = false;
        return 0;
    }
    if (strcmp(command, "clear") == 0) {
        written = 0;
        started_us = uptime_ns() / 1000;
        return 0;
    }
    return -EINVAL;
}
