/*
 * futex.c - wait queues for user-space locks (see futex.h).
 *
 * Every sleeper is a struct futex_waiter on its own kernel stack, linked
 * into one of FUTEX_BUCKETS lists chosen by a hash of its key.  Waking
 * takes waiters off the list and marks them woken; requeueing moves them to
 * another key's list without waking them (pthread_cond_broadcast moves the
 * waiters of a condition variable onto its mutex, so they wake one by one).
 *
 * sprout runs on one CPU with interrupts as its lock: "check *uaddr == val,
 * then sleep" happens with interrupts off, so no FUTEX_WAKE from another
 * thread can slip between the check and the sleep (the lost-wakeup race).
 *
 * PI futexes (FUTEX_LOCK_PI ...) are different: the kernel knows the word's
 * meaning, Linux's owner-TID protocol:
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
 */
#include "proc/futex.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/panic.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/pagetable.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sched/wait.h"

#define FUTEX_BUCKETS 64 /* hash chains; a power of two */
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define CLOCK_REALTIME 0

/* Which word a waiter sleeps on: (mm, virtual) or (NULL, physical). */
struct futex_key {
    const struct mm *mm;
    u64 address;
};

struct futex_waiter {
    struct list_node node; /* in futex_buckets[hash(key)] */
    struct futex_key key;  /* changed by requeue */
    u32 bitset;            /* FUTEX_WAIT_BITSET: which wakers may wake us */
    bool woken;            /* taken off the list by a waker */
    struct wait_queue wq;  /* where its thread sleeps */
    /* FUTEX_LOCK_PI waiters only: */
    bool pi;
    struct proc *task; /* the waiting thread */
    int pi_owner;      /* the TID it waits for (whom it lends its priority) */
};

static struct list futex_buckets[FUTEX_BUCKETS];
static bool futex_buckets_ready;
static int futex_sleepers;

static struct list *futex_bucket(const struct futex_key *key)
{
    if (!futex_buckets_ready) {
        for (int i = 0; i < FUTEX_BUCKETS; i++)
            list_init(&futex_buckets[i]);
        futex_buckets_ready = true;
    }
    u64 h = (key->address >> 2) ^ ((u64)key->mm >> 4);
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return &futex_buckets[h >> 58]; /* the top 6 bits: 64 buckets */
}

static bool futex_key_equal(const struct futex_key *a, const struct futex_key *b)
{
    return a->mm == b->mm && a->address == b->address;
}

/*
 * Find the key of the word at uaddr and read its value.  -EINVAL when it is
 * not 4-byte aligned, -EFAULT when it is not mapped and readable.  A shared
 * futex in a MAP_SHARED region is keyed by its frame, so processes mapping
 * the page at different addresses find each other; any other word is keyed
 * by (mm, address).  Interrupts off (the value must not change before the
 * caller decides).
 */
static long futex_key_get(struct mm *mm, u64 uaddr, bool private, struct futex_key *key, u32 *value)
{
    ASSERT(!interrupts_enabled());
    if (uaddr & 3)
        return -EINVAL;
    u32 word;
    if (!mm || copy_from_user(&word, (const void *)uaddr, sizeof word) < 0)
        return -EFAULT;
    if (value)
        *value = word;
    key->mm = mm;
    key->address = uaddr;
    if (!private) {
        struct vma *vma = vm_find(mm, uaddr);
        phys_addr_t phys;
        u64 flags;
        if (vma && vma->shared && pagetable_translate(mm->pml4, uaddr, &phys, &flags)) {
            key->mm = NULL;
            key->address = phys;
        }
    }
    return 0;
}

/* Wake up to nr_wake waiters on key whose bitset meets `bitset`.  Linux wakes
 * at least one waiter even when nr_wake is 0. */
static int futex_wake_key(const struct futex_key *key, int nr_wake, u32 bitset)
{
    struct list *bucket = futex_bucket(key);
    struct futex_waiter *w, *tmp;
    int woken = 0;
    list_for_each_entry_safe (w, tmp, bucket, node) {
        if (!futex_key_equal(&w->key, key) || !(w->bitset & bitset))
            continue;
        list_remove(&w->node);
        w->woken = true;
        wake_up(&w->wq);
        if (++woken >= nr_wake)
            break;
    }
    return woken;
}

/*
 * Sleep while *uaddr == val, until woken, the deadline (jiffies; 0 = never)
 * passes (-ETIMEDOUT) or a signal arrives.  -EAGAIN at once if the word
 * already holds another value.
 */
static long futex_wait(u64 uaddr, bool private, u32 val, u64 deadline, bool timed, u32 bitset)
{
    bool irq = irq_save();
    struct futex_waiter waiter = {.bitset = bitset};
    u32 now;
    long error = futex_key_get(current->mm, uaddr, private, &waiter.key, &now);
    if (error)
        goto out;
    if (now != val) {
        error = -EAGAIN;
        goto out;
    }
    if (timed && deadline <= jiffies) {
        error = -ETIMEDOUT;
        goto out;
    }
    wait_queue_init(&waiter.wq);
    list_push_back(futex_bucket(&waiter.key), &waiter.node);
    futex_sleepers++;
    while (!waiter.woken && error == 0)
        error = sleep_on(&waiter.wq, "futex", timed ? deadline : 0);
    futex_sleepers--;
    if (waiter.woken) {
        error = 0; /* a wake counts, even if a signal or the timeout came too */
    } else {
        list_remove(&waiter.node);
        /* Untimed waits restart after an SA_RESTART handler, as on Linux. */
        if (error == -EINTR && !timed)
            error = -ERESTARTSYS;
    }
out:
    irq_restore(irq);
    return error;
}

/*
 * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wake nr_wake waiters of uaddr and move
 * up to nr_requeue others to uaddr2.  The CMP form first checks *uaddr ==
 * cmpval (-EAGAIN otherwise).  Returns how many were woken plus how many
 * were moved, as Linux does for both (its manual page says "woken" for
 * FUTEX_REQUEUE).
 */
static long futex_requeue(u64 uaddr, u64 uaddr2, bool private, int nr_wake, int nr_requeue,
                          bool compare, u32 cmpval)
{
    if (nr_wake < 0 || nr_requeue < 0)
        return -EINVAL;
    bool irq = irq_save();
    struct futex_key key1, key2;
    u32 now;
    long result = futex_key_get(current->mm, uaddr, private, &key1, &now);
    if (result == 0)
        result = futex_key_get(current->mm, uaddr2, private, &key2, NULL);
    if (result)
        goto out;
    if (compare && now != cmpval) {
        result = -EAGAIN;
        goto out;
    }
    int woken = 0, moved = 0;
    struct list *bucket = futex_bucket(&key1), *bucket2 = futex_bucket(&key2);
    struct futex_waiter *w, *tmp;
    list_for_each_entry_safe (w, tmp, bucket, node) {
        if (!futex_key_equal(&w->key, &key1))
            continue;
        if (woken < nr_wake) {
            list_remove(&w->node);
            w->woken = true;
            wake_up(&w->wq);
            woken++;
        } else if (w->pi) {
            continue; /* a FUTEX_LOCK_PI waiter stays with its lock */
        } else if (moved < nr_requeue) {
            if (futex_key_equal(&key1, &key2))
                break; /* same word: nothing to move */
            list_remove(&w->node);
            w->key = key2;
            list_push_back(bucket2, &w->node);
            moved++;
        } else {
            break;
        }
    }
    result = woken + moved;
out:
    irq_restore(irq);
    return result;
}

/* Store `value` in the futex word at uaddr (interrupts off): 0 or -EFAULT. */
static long futex_put(u64 uaddr, u32 value)
{
    return copy_to_user((void *)uaddr, &value, sizeof value) < 0 ? -EFAULT : 0;
}

static int sign_extend_12(u32 bits) { return (int)(bits << 20) >> 20; }

/*
 * FUTEX_WAKE_OP (what glibc's condition variables once used): in one step,
 * change the word at uaddr2 (*uaddr2 = old OP oparg), wake nr_wake waiters
 * of uaddr, and if (old CMP cmparg) also nr_wake2 waiters of uaddr2.  The
 * operation is packed in val3:
 *
 *   bits 28-31 op (SET ADD OR ANDN XOR; +8: oparg is a shift, 1 << oparg)
 *   bits 24-27 cmp (EQ NE LT LE GT GE)   bits 12-23 oparg   bits 0-11 cmparg
 *
 * Returns how many woke; -ENOSYS for an unknown op or cmp (an unknown cmp
 * after the word was changed, as on Linux).
 */
static long futex_wake_op(u64 uaddr, u64 uaddr2, bool private, int nr_wake, int nr_wake2,
                          u32 encoded)
{
    u32 op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
    int oparg = sign_extend_12((encoded >> 12) & 0xfff), cmparg = sign_extend_12(encoded & 0xfff);
    if (encoded & (8u << 28))
        oparg = (int)(1u << (oparg & 31));
    bool irq = irq_save();
    struct futex_key key1, key2;
    u32 old;
    long result = futex_key_get(current->mm, uaddr, private, &key1, NULL);
    if (result == 0)
        result = futex_key_get(current->mm, uaddr2, private, &key2, &old);
    if (result == 0 && op > 4)
        result = -ENOSYS;
    if (result)
        goto out;
    u32 arg = (u32)oparg, new = op == 0   ? arg
                                : op == 1 ? old + arg
                                : op == 2 ? old | arg
                                : op == 3 ? old & ~arg
                                          : old ^ arg;
    if ((result = futex_put(uaddr2, new)))
        goto out;
    int was = (int)old;
    bool condition;
    switch (cmp) {
    case 0:
        condition = was == cmparg;
        break;
    case 1:
        condition = was != cmparg;
        break;
    case 2:
        condition = was < cmparg;
        break;
    case 3:
        condition = was <= cmparg;
        break;
    case 4:
        condition = was > cmparg;
        break;
    case 5:
        condition = was >= cmparg;
        break;
    default:
        result = -ENOSYS;
        goto out;
    }
    result = futex_wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
    if (condition)
        result += futex_wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
out:
    irq_restore(irq);
    return result;
}

/* ---- PI futexes: Linux's owner-TID protocol and priority inheritance ---- */

#define PI_CHAIN_MAX 8 /* how far a boost travels down "A waits for B waits for C" */

/* The PI waiter on `key` (every PI waiter if key is NULL) with the best nice
 * (the earliest among equals) whose pi_owner is `owner` (any if 0). */
static struct futex_waiter *pi_best_waiter(const struct futex_key *key, int owner)
{
    struct futex_waiter *w, *best = NULL;
    if (!futex_buckets_ready)
        return NULL;
    for (int i = 0; i < FUTEX_BUCKETS; i++) {
        if (key && &futex_buckets[i] != futex_bucket(key))
            continue;
        list_for_each_entry (w, &futex_buckets[i], node) {
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
    for (int i = 0; futex_buckets_ready && i < FUTEX_BUCKETS; i++)
        list_for_each_entry (w, &futex_buckets[i], node)
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
static long futex_lock_pi(u64 uaddr, bool private, u64 deadline, bool timed, bool try)
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
            error = futex_put(uaddr, mine);
            break;
        }
        if (owner_dead) {
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
        if (!(word & FUTEX_WAITERS) && (error = futex_put(uaddr, word | FUTEX_WAITERS)))
            break;
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
static long futex_unlock_pi(u64 uaddr, bool private)
{
    bool irq = irq_save();
    struct futex_key key;
    u32 word;
    int me = current->pid;
    /* Linux looks at the owner before anything else (even the alignment). */
    long error = copy_from_user(&word, (const void *)uaddr, sizeof word) < 0 ? -EFAULT : 0;
    if (error == 0 && (int)(word & FUTEX_TID_MASK) != me)
        error = -EPERM;
    if (error == 0)
        error = futex_key_get(current->mm, uaddr, private, &key, &word);
    if (error)
        goto out;
    struct futex_waiter *next = pi_best_waiter(&key, 0);
    if ((error = futex_put(uaddr, next ? (u32)next->task->pid | FUTEX_WAITERS : 0)))
        goto out;
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
    struct futex_waiter *w;
    while ((w = pi_best_waiter(NULL, self->pid))) {
        list_remove(&w->node);
        w->woken = true; /* it finds the owner dead and takes the lock */
        wake_up(&w->wq);
    }
}

/* The deadline in jiffies of a futex timeout; *timed false when there is none. */
static long futex_deadline(int cmd, int op, u64 user_timeout, u64 *deadline, bool *timed)
{
    *timed = false;
    *deadline = 0;
    if (!user_timeout)
        return 0;
    i64 ns;
    long error = timespec_from_user((const void *)user_timeout, &ns);
    if (error)
        return error;
    *timed = true;
    u64 relative = (u64)ns;
    /* WAIT_BITSET and the PI locks take an absolute time on the chosen clock
     * (FUTEX_LOCK_PI's is always CLOCK_REALTIME). */
    if (cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2) {
        bool realtime = (op & FUTEX_CLOCK_REALTIME) || cmd == FUTEX_LOCK_PI;
        i64 now = realtime ? (i64)realtime_ns() : (i64)uptime_ns();
        relative = ns > now ? (u64)(ns - now) : 0;
    }
    *deadline = relative ? deadline_after_ns(relative) : jiffies;
    return 0;
}

long sys_futex(u32 *uaddr, int op, u32 val, u64 timeout_or_val2, u32 *uaddr2, u32 val3)
{
    int cmd = op & FUTEX_CMD_MASK;
    bool private = op & FUTEX_PRIVATE_FLAG;
    /* FUTEX_CLOCK_REALTIME only means something to the waits. */
    if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET &&
        cmd != FUTEX_LOCK_PI2)
        return -ENOSYS;
    u64 deadline;
    bool timed;
    long error;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        u32 bitset = cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3;
        if (!bitset)
            return -EINVAL;
        if ((error = futex_deadline(cmd, op, timeout_or_val2, &deadline, &timed)))
            return error;
        return futex_wait((u64)uaddr, private, val, deadline, timed, bitset);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
        u32 bitset = cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3;
        if (!bitset)
            return -EINVAL;
        bool irq = irq_save();
        struct futex_key key;
        error = futex_key_get(current->mm, (u64)uaddr, private, &key, NULL);
        if (error == 0)
            error = futex_wake_key(&key, (int)val, bitset);
        irq_restore(irq);
        return error;
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        return futex_requeue((u64)uaddr, (u64)uaddr2, private, (int)val, (int)timeout_or_val2,
                             cmd == FUTEX_CMP_REQUEUE, val3);
    case FUTEX_WAKE_OP:
        return futex_wake_op((u64)uaddr, (u64)uaddr2, private, (int)val, (int)timeout_or_val2,
                             val3);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_TRYLOCK_PI: {
        bool try = cmd == FUTEX_TRYLOCK_PI;
        if (!try && (error = futex_deadline(cmd, op, timeout_or_val2, &deadline, &timed)))
            return error;
        return futex_lock_pi((u64)uaddr, private, try ? 0 : deadline, !try && timed, try);
    }
    case FUTEX_UNLOCK_PI:
        return futex_unlock_pi((u64)uaddr, private);
    default:
        return -ENOSYS; /* FUTEX_FD (gone from Linux) and the requeue-to-PI pair */
    }
}

long futex_wake_address(struct mm *mm, u64 uaddr, int count)
{
    bool irq = irq_save();
    long result = 0;
    /* Private and shared waiters may both sleep on this word: wake both kinds. */
    for (int pass = 0; pass < 2 && result >= 0; pass++) {
        struct futex_key key;
        long error = futex_key_get(mm, uaddr, pass == 0, &key, NULL);
        if (error) {
            result = error;
            break;
        }
        if (pass == 1 && key.mm == mm)
            break; /* not a shared page: the same key as the first pass */
        result += futex_wake_key(&key, count, FUTEX_BITSET_MATCH_ANY);
    }
    irq_restore(irq);
    return result;
}

int futex_waiters_count(void) { return futex_sleepers; }
