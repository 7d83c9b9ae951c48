/*
 * wait.h - how a process waits for something: wait queues.
 *
 * A process that needs an event (data in a pipe, a child's exit, a key
 * press) puts itself on the event's wait queue and blocks; whoever makes the
 * event happen calls wake_up() on the queue.  The sleeper then re-checks its
 * condition: wakeups say "something changed", not "your turn".
 *
 *     int error = WAIT_EVENT(&pipe->readers_wait, "pipe_read", pipe->count > 0);
 *     if (error)
 *         return error;   (-EINTR: a signal arrived while waiting)
 *
 * Sleeping is "interruptible": a signal wakes the sleeper, and the call
 * returns -EINTR (or is restarted, see proc/signal.c).
 */
#ifndef SCHED_WAIT_H
#define SCHED_WAIT_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "kernel/x86.h"

struct proc;

struct wait_queue {
    struct list waiters; /* struct waiter, one per sleeping process */
};

struct waiter {
    struct list_node node;
    struct proc *proc;
    /* Optional (NULL for a sleeping process): called by wake_up(), with
     * interrupts off, instead of waking proc.  epoll uses it to learn that a
     * file it watches changed while nobody sleeps (kernel/net/epoll.c). */
    void (*wake)(struct waiter *waiter);
    void *private; /* for wake() */
};

#define WAIT_QUEUE_INIT(name)                                                                      \
    {                                                                                              \
        LIST_INIT((name).waiters)                                                                  \
    }

void wait_queue_init(struct wait_queue *wq);
bool wait_queue_active(const struct wait_queue *wq);

/* Make every process sleeping on wq ready.  Safe in interrupt handlers. */
void wake_up(struct wait_queue *wq);
/* Make one blocked process ready (wherever it sleeps). */
void wake_up_process(struct proc *p);

/*
 * Block the current process on wq (interrupts must be off; the caller
 * checked its condition with them off, so no wakeup is lost).  `channel`
 * names the wait for ps/top ("pipe_read", "wait4", ...).  Returns 0 when
 * woken, -EINTR if a signal is pending, -ETIMEDOUT when `deadline` (in
 * jiffies; 0 = none) passes.
 */
int sleep_on(struct wait_queue *wq, const char *channel, u64 deadline);

/*
 * Block on wq like sleep_on, but signals do not end the sleep (Linux's
 * TASK_UNINTERRUPTIBLE, "D" in ps): for waits that must not be abandoned,
 * such as a disk transfer into a buffer the caller owns.  Interrupts off;
 * the caller re-checks its condition in a loop.
 */
void sleep_on_uninterruptible(struct wait_queue *wq, const char *channel);

/* Wait until `condition` is true; 0, or -EINTR if a signal interrupted. */
#define WAIT_EVENT(wq, channel, condition)                                                         \
    ({                                                                                             \
        int wait_error_ = 0;                                                                       \
        bool wait_irq_ = irq_save();                                                               \
        while (!(condition)) {                                                                     \
            wait_error_ = sleep_on((wq), (channel), 0);                                            \
            if (wait_error_)                                                                       \
                break;                                                                             \
        }                                                                                          \
        irq_restore(wait_irq_);                                                                    \
        wait_error_;                                                                               \
    })

/* Sleep until jiffies reaches `deadline`; 0, or -EINTR if a signal came first. */
int sleep_until(u64 deadline, const char *channel);

/* A lock whose waiters sleep (uninterruptibly): held across disk I/O (the
 * block cache, ext2) and across one write to the terminal (kernel/tty.c). */
struct sleep_lock {
    bool held;
    struct wait_queue waiters;
    const char *name; /* the wait channel ps shows */
};
#define SLEEP_LOCK_INIT(lock, channel)                                                             \
    {                                                                                              \
        .held = false, .waiters = WAIT_QUEUE_INIT((lock).waiters), .name = (channel)               \
    }
void sleep_lock_init(struct sleep_lock *lock, const char *name);
/* May sleep; never returns with an error. */
void sleep_lock_acquire(struct sleep_lock *lock);
void sleep_lock_release(struct sleep_lock *lock);

#endif
