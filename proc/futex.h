/*
 * futex.h - fast user-space mutexes: the kernel half of every pthread lock.
 *
 * A futex is a 32-bit word in user memory.  Locking and unlocking happen in
 * user space with atomic instructions; the kernel is called only to sleep
 * ("wait while *uaddr still equals val") and to wake sleepers ("wake n of
 * those waiting on uaddr").  The kernel keeps no state per word, only queues
 * of sleepers, hashed by the word's identity (its key):
 *
 *   private futex (threads of one process):  (mm, virtual address)
 *   shared futex in a MAP_SHARED page:        (NULL, physical address)
 *
 * so two processes sharing a page meet on the same queue although they map
 * it at different addresses.
 */
#ifndef PROC_FUTEX_H
#define PROC_FUTEX_H

#include "kernel/types.h"

/* futex() operations (Linux's values); the low bits of `op`. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_LOCK_PI2 13
/* ...and flags or'ed into it. */
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* Robust futex word bits (set_robust_list, the owner's TID in the low bits). */
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

struct mm;
struct proc;

long sys_futex(u32 *uaddr, int op, u32 val, u64 timeout_or_val2, u32 *uaddr2, u32 val3);

/*
 * Wake up to `count` threads of `mm` waiting on the private or shared futex
 * at `uaddr` (thread exit: CLONE_CHILD_CLEARTID, robust lists).  Returns how
 * many woke, or -EFAULT.  Process context.
 */
long futex_wake_address(struct mm *mm, u64 uaddr, int count);

/*
 * Thread `self` is exiting (interrupts off, already a zombie or invisible to
 * proc_find): wake the threads waiting for PI futexes it owns, so that one
 * takes each over with FUTEX_OWNER_DIED set instead of waiting forever.
 */
void futex_pi_owner_exited(struct proc *self);

/* How many threads sleep in futex waits right now (for tests and /proc). */
int futex_waiters_count(void);

#endif
