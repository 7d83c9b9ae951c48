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
 * The PI operations (FUTEX_LOCK_PI ...) share this hash; they live in
 * futex_pi.c.
 */
#include "proc/futex.h"
#include "proc/futex_queue.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/panic.h"
#include "kernel/sys_time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/pagetable.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "sched/wait.h"

#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define CLOCK_REALTIME 0

static struct list futex_buckets[FUTEX_BUCKETS];
static bool futex_buckets_ready;
int futex_sleepers;

struct list *futex_bucket(const struct futex_key *key)
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

struct list *futex_bucket_number(int i)
{
    static const struct futex_key any;
    futex_bucket(&any); /* (makes the buckets if they are not there yet) */
    return &futex_buckets[i];
}

bool futex_key_equal(const struct futex_key *a, const struct futex_key *b)
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
long futex_key_get(struct mm *mm, u64 uaddr, bool private, struct futex_key *key, u32 *value)
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

static int sign_extend_12(u32 bits) { return (int)(bits << 20) >> 20; }

/* FUTEX_WAKE_OP's operations: SET ADD OR ANDN XOR (the caller checked op <= 4). */
static u32 futex_op_apply(u32 op, u32 old, u32 arg)
{
    switch (op) {
    case 0:
        return arg;
    case 1:
        return old + arg;
    case 2:
        return old | arg;
    case 3:
        return old & ~arg;
    default:
        return old ^ arg;
    }
}

/* ... and its comparisons EQ NE LT LE GT GE: 1 or 0, or -ENOSYS. */
static int futex_op_compare(u32 cmp, int was, int arg)
{
    switch (cmp) {
    case 0:
        return was == arg;
    case 1:
        return was != arg;
    case 2:
        return was < arg;
    case 3:
        return was <= arg;
    case 4:
        return was > arg;
    case 5:
        return was >= arg;
    default:
        return -ENOSYS;
    }
}

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
    /* *uaddr2 = old OP oparg as one atomic step (user code on another CPU may
     * change the word meanwhile): retry with what the word then holds. */
    for (;;) {
        u32 found;
        if (cmpxchg_user32((u32 *)uaddr2, old, futex_op_apply(op, old, (u32)oparg), &found) < 0) {
            result = -EFAULT;
            goto out;
        }
        if (found == old)
            break;
        old = found;
    }
    int condition = futex_op_compare(cmp, (int)old, cmparg);
    if (condition < 0) { /* (after the change, as on Linux) */
        result = condition;
        goto out;
    }
    result = futex_wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
    if (condition)
        result += futex_wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
out:
    irq_restore(irq);
    return result;
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
