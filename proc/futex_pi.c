/*
 * futex_pi.c - priority-inheritance futexes: FUTEX_LOCK_PI, FUTEX_LOCK_PI2,
 * FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI (what PTHREAD_PRIO_INHERIT mutexes use).
 *
 * Here, unlike in futex.c, the kernel knows what the word means, Linux's
 * owner-TID protocol:
 *
 *   bit 31 FUTEX_WAITERS  bit 30 FUTEX_OWNER_DIED  bits 0..29 the owner's TID (0: free)
 *
 * User space takes a free lock with one compare-and-swap 0 -> TID and frees
 * it with TID -> 0; only when that fails (the lock is held, or WAITERS is
 * set) does it call the kernel.  FUTEX_LOCK_PI sets WAITERS and sleeps;
 * FUTEX_UNLOCK_PI hands the lock straight to the best waiter by writing its
 * TID into the word.  While a thread waits, the owner inherits its priority
 * (sched_set_inherited_nice: the prio policy runs the owner with the
 * waiter's nice), so a low-priority owner cannot keep a high-priority waiter
 * behind medium-priority work -- priority inversion.
 *
 * The waiters sleep on futex.c's hash (futex_queue.h), marked `pi`.
 *
 * The kernel changes the word only with a compare-and-swap (cmpxchg_user32),
 * never by reading it and writing it back: user code on another CPU changes
 * it at any moment without the kernel (musl's unlock is a CAS TID -> 0), and
 * a plain store would undo that.  Seen at two CPUs: a waiter's kernel read
 * TID, the owner freed the lock in user space, the kernel wrote back
 * TID|WAITERS -- a lock held by nobody, whose "owner" then got EDEADLK from
 * FUTEX_LOCK_PI, on which musl waits forever.  When the CAS finds the word
 * changed, the operation starts again from the new value, as Linux's does.
 */
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/panic.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "proc/futex.h"
#include "proc/futex_queue.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sched/wait.h"

#define PI_CHAIN_MAX 8 /* how far a boost travels down "A waits for B waits for C" */

/* Make the word at uaddr `new` if it still holds `old`: 0 and *swapped, or
 * -EFAULT. */
static long pi_replace(u64 uaddr, u32 old, u32 new, bool *swapped)
{
    u32 found;
    if (cmpxchg_user32((u32 *)uaddr, old, new, &found) < 0)
        return -EFAULT;
    *swapped = found == old;
    return 0;
}

/* The PI waiter on `key` (every PI waiter if key is NULL) with the best nice
 * (the earliest among equals) whose pi_owner is `owner` (any if 0). */
static struct futex_waiter *pi_best_waiter(const struct futex_key *key, int owner)
{
    struct futex_waiter *w, *best = NULL;
    for (int i = 0; i < FUTEX_BUCKETS; i++) {
        struct list *bucket = futex_bucket_number(i);
        if (key && bucket != futex_bucket(key))
            continue;
        list_for_each_entry (w, bucket, node) {
            if (!w->pi || (key && !futex_key_equal(&w->key, key)) ||
                (owner && w->pi_owner != owner))
                continue;
            if (!best || sched_entity_nice(&w->task->sched) < sched_entity_nice(&best->task->sched))
                best = w;
        }
    }
    return best;
}

/* The PI wait `task` sleeps in, or NULL. */
static struct futex_waiter *pi_waiter_of(const struct proc *task)
{
    struct futex_waiter *w;
    for (int i = 0; i < FUTEX_BUCKETS; i++)
        list_for_each_entry (w, futex_bucket_number(i), node)
            if (w->pi && w->task == task)
                return w;
    return NULL;
}

/*
 * Give the thread `owner_tid` the best nice of the threads waiting for the
 * PI futexes it holds (or take it back when none is better), then do the
 * same for whoever *it* waits for, and so on down the chain.  Interrupts off.
 */
static void pi_update(int owner_tid)
{
    for (int depth = 0; depth < PI_CHAIN_MAX && owner_tid > 0; depth++) {
        struct proc *owner = proc_find(owner_tid);
        if (!owner || owner->state == PROC_ZOMBIE)
            return;
        struct futex_waiter *best = pi_best_waiter(NULL, owner_tid);
        sched_set_inherited_nice(owner, best != NULL,
                                 best ? sched_entity_nice(&best->task->sched) : 0);
        struct futex_waiter *blocked = pi_waiter_of(owner);
        owner_tid = blocked ? blocked->pi_owner : 0;
    }
}

/*
 * FUTEX_LOCK_PI / FUTEX_LOCK_PI2 / FUTEX_TRYLOCK_PI: the caller found the
 * word held.  Take it if it is free after all (or its owner died), else
 * set FUTEX_WAITERS and sleep, lending the owner our priority, until
 * FUTEX_UNLOCK_PI hands it to us.  -EDEADLK if we own it already, -ESRCH if
 * its owner does not exist, -EAGAIN for a held lock when trying, -ETIMEDOUT.
 * Signals do not end the wait (it restarts after a handler, as on Linux).
 */
long futex_lock_pi(u64 uaddr, bool private, u64 deadline, bool timed, bool try)
{
    bool irq = irq_save();
    struct futex_waiter waiter = {.bitset = FUTEX_BITSET_MATCH_ANY, .pi = true, .task = current};
    int me = current->pid;
    bool waited = false;
    long error;
    for (;;) {
        u32 word;
        if ((error = futex_key_get(current->mm, uaddr, private, &waiter.key, &word)))
            break;
        int owner_tid = (int)(word & FUTEX_TID_MASK);
        if (owner_tid == me) { /* handed to us by FUTEX_UNLOCK_PI, or a bug of the caller's */
            error = waited ? 0 : -EDEADLK;
            break;
        }
        struct proc *owner = owner_tid ? proc_find(owner_tid) : NULL;
        bool owner_dead = owner_tid && (!owner || owner->state == PROC_ZOMBIE);
        if (!owner_tid || (owner_dead && waited)) {
            /* Free, or its owner died while we waited: ours (OWNER_DIED stays
             * if a robust list set it). */
            u32 mine = (u32)me | (word & FUTEX_OWNER_DIED);
            if (pi_best_waiter(&waiter.key, 0))
                mine |= FUTEX_WAITERS;
            bool swapped;
            if ((error = pi_replace(uaddr, word, mine, &swapped)) || swapped)
                break;
            continue; /* another CPU's user code took it first: look again */
        }
        if (owner_dead) {
            /* The owner may have freed the word and exited since we read it
             * (as Linux's handle_exit_race): -ESRCH only if the word still
             * names it, else look again. */
            bool unchanged;
            if ((error = pi_replace(uaddr, word, word, &unchanged)))
                break;
            if (!unchanged)
                continue;
            error = -ESRCH; /* a TID that names nobody */
            break;
        }
        if (try) {
            error = -EAGAIN;
            break;
        }
        if (timed && deadline <= jiffies) {
            error = -ETIMEDOUT;
            break;
        }
        if (!(word & FUTEX_WAITERS)) {
            /* From now on the owner's unlock must come to the kernel: its CAS
             * TID -> 0 fails.  If it freed the lock first, our CAS fails. */
            bool swapped;
            if ((error = pi_replace(uaddr, word, word | FUTEX_WAITERS, &swapped)))
                break;
            if (!swapped)
                continue;
        }
        waiter.pi_owner = owner_tid;
        waiter.woken = false;
        wait_queue_init(&waiter.wq);
        list_push_back(futex_bucket(&waiter.key), &waiter.node);
        futex_sleepers++;
        pi_update(owner_tid); /* the owner runs with our priority while we wait */
        while (!waiter.woken && error == 0)
            error = sleep_on(&waiter.wq, "futex", timed ? deadline : 0);
        futex_sleepers--;
        if (!waiter.woken)
            list_remove(&waiter.node);
        pi_update(waiter.pi_owner); /* ... and no longer once we stop waiting */
        waited = true;
        if (waiter.woken) {
            error = 0;
            continue; /* handed over, or the owner died: look at the word again */
        }
        if (error == -EINTR)
            error = -ERESTARTNOINTR;
        break;
    }
    irq_restore(irq);
    return error;
}

/*
 * FUTEX_UNLOCK_PI: the owner releases a lock that has waiters.  The best
 * waiter becomes the owner (its TID, with FUTEX_WAITERS, goes into the word)
 * and wakes; with none left the word becomes 0.  -EPERM unless we own it.
 */
long futex_unlock_pi(u64 uaddr, bool private)
{
    bool irq = irq_save();
    struct futex_key key;
    u32 word;
    int me = current->pid;
    /* Linux looks at the owner before anything else (even the alignment). */
    long error;
    struct futex_waiter *next;
    for (;;) {
        error = copy_from_user(&word, (const void *)uaddr, sizeof word) < 0 ? -EFAULT : 0;
        if (error == 0 && (int)(word & FUTEX_TID_MASK) != me)
            error = -EPERM;
        if (error == 0)
            error = futex_key_get(current->mm, uaddr, private, &key, &word);
        if (error == 0 && (int)(word & FUTEX_TID_MASK) != me)
            error = -EPERM;
        if (error)
            goto out;
        next = pi_best_waiter(&key, 0);
        bool swapped;
        if ((error = pi_replace(uaddr, word, next ? (u32)next->task->pid | FUTEX_WAITERS : 0,
                                &swapped)))
            goto out;
        if (swapped)
            break;
        /* User code changed the word meanwhile (a locker's CAS setting
         * nothing, or a bad program's store): decide again from what it holds. */
    }
    if (next) {
        list_remove(&next->node);
        next->woken = true;
        wake_up(&next->wq);
        /* The others now wait for the new owner, and lend it their priority. */
        struct futex_waiter *w;
        list_for_each_entry (w, futex_bucket(&key), node)
            if (w->pi && futex_key_equal(&w->key, &key))
                w->pi_owner = next->task->pid;
        pi_update(next->task->pid);
    }
    pi_update(me); /* what we inherited through this lock is gone */
out:
    irq_restore(irq);
    return error;
}

void futex_pi_owner_exited(struct proc *self)
{
    ASSERT(!interrupts_enabled());
    if (futex_sleepers == 0)
        return; /* no waiter in any bucket (the usual exit): skip the scan of all 64 */
    struct futex_waiter *w;
    while ((w = pi_best_waiter(NULL, self->pid))) {
        list_remove(&w->node);
        w->woken = true; /* it finds the owner dead and takes the lock */
        wake_up(&w->wq);
    }
}
