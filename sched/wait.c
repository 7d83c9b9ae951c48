/* wait.c - blocking and waking (see wait.h). */
#include "sched/wait.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

void wait_queue_init(struct wait_queue *wq) { list_init(&wq->waiters); }

bool wait_queue_active(const struct wait_queue *wq) { return !list_empty(&wq->waiters); }

void wake_up_process(struct proc *p)
{
    bool irq = irq_save();
    if (p->state == PROC_BLOCKED)
        sched_make_ready(p);
    irq_restore(irq);
}

void wake_up(struct wait_queue *wq)
{
    /* Nobody waits: the usual case (every sleep_lock_release, a pipe whose
     * reader is running).  Looking before interrupts are off sees what the
     * loop below would: an interrupt handler never adds a waiter (it never
     * sleeps), and another CPU's process does so only holding the big
     * kernel lock, which this CPU holds. */
    if (list_empty(&wq->waiters))
        return;
    bool irq = irq_save();
    struct waiter *w;
    list_for_each_entry (w, &wq->waiters, node) {
        if (w->wake)
            w->wake(w);
        else
            wake_up_process(w->proc);
    }
    irq_restore(irq);
}

/* Timer callback for a sleep with a deadline. */
static void sleep_timeout(struct timer *timer) { wake_up_process(timer->data); }

int sleep_on(struct wait_queue *wq, const char *channel, u64 deadline)
{
    ASSERT(!interrupts_enabled());
    struct proc *self = current;
    if (signal_pending(self))
        return -EINTR;

    struct waiter waiter = {.proc = self};
    struct timer timer;
    if (wq)
        list_push_back(&wq->waiters, &waiter.node);
    if (deadline) {
        timer_init_event(&timer, sleep_timeout, self);
        timer_add(&timer, deadline);
    }
    self->state = PROC_BLOCKED;
    self->wait_channel = channel;
    schedule(); /* returns when someone made us ready again */
    self->wait_channel = NULL;
    if (wq)
        list_remove(&waiter.node);
    if (deadline)
        timer_cancel(&timer);

    if (signal_pending(self))
        return -EINTR;
    if (deadline && jiffies >= deadline)
        return -ETIMEDOUT;
    return 0;
}

void sleep_on_uninterruptible(struct wait_queue *wq, const char *channel)
{
    ASSERT(!interrupts_enabled());
    struct proc *self = current;
    struct waiter waiter = {.proc = self};
    list_push_back(&wq->waiters, &waiter.node);
    self->state = PROC_BLOCKED;
    self->wait_channel = channel;
    schedule(); /* a signal may wake us early too: the caller loops */
    self->wait_channel = NULL;
    list_remove(&waiter.node);
}

int sleep_until(u64 deadline, const char *channel)
{
    bool irq = irq_save();
    int error = 0;
    while (jiffies < deadline && error == 0)
        error = sleep_on(NULL, channel, deadline);
    irq_restore(irq);
    return error == -ETIMEDOUT ? 0 : error;
}

void sleep_lock_init(struct sleep_lock *lock, const char *name)
{
    lock->held = false;
    wait_queue_init(&lock->waiters);
    lock->name = name;
}

void sleep_lock_acquire(struct sleep_lock *lock)
{
    bool irq = irq_save();
    while (lock->held)
        sleep_on_uninterruptible(&lock->waiters, lock->name);
    lock->held = true;
    irq_restore(irq);
}

void sleep_lock_release(struct sleep_lock *lock)
{
    ASSERT(lock->held);
    lock->held = false;
    wake_up(&lock->waiters);
}
