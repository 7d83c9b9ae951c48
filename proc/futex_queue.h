/*
 * futex_queue.h - the sleepers of futex.c, shared with futex_pi.c (and no
 * other module): their keys, the waiter each one leaves on the hash, and
 * the helpers both files use.  Interrupts off around all of it.
 */
#ifndef PROC_FUTEX_QUEUE_H
#define PROC_FUTEX_QUEUE_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "sched/wait.h"

#define FUTEX_BUCKETS 64 /* hash chains; a power of two */

struct mm;
struct proc;

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

extern int futex_sleepers; /* threads asleep in futex waits */

/* The hash chain of `key`; the i-th chain (0 <= i < FUTEX_BUCKETS). */
struct list *futex_bucket(const struct futex_key *key);
struct list *futex_bucket_number(int i);
bool futex_key_equal(const struct futex_key *a, const struct futex_key *b);
/*
 * Find the key of the word at uaddr and read its value.  -EINVAL when it is
 * not 4-byte aligned, -EFAULT when it is not mapped and readable.
 * Interrupts off (the value must not change before the caller decides).
 */
long futex_key_get(struct mm *mm, u64 uaddr, bool private, struct futex_key *key, u32 *value);
/* The futex word is changed only with cmpxchg_user32 (kernel/uaccess.h):
 * user code on another CPU changes it with atomic instructions at any time. */

/* The PI operations (futex_pi.c), called by sys_futex. */
long futex_lock_pi(u64 uaddr, bool private, u64 deadline, bool timed, bool try);
long futex_unlock_pi(u64 uaddr, bool private);

#endif
