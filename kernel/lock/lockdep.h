/*
 * lockdep.h - the lock validator: checks the locking rules while the kernel
 * runs, so a deadlock that needs an unlucky interleaving to happen is
 * reported the first time both halves of it are merely *possible*.
 *
 * Every lock belongs to a class, one per lock name ("frames", "kheap",
 * "printk", "pipe_copy", ...): all the pipes' locks are one class.  The
 * validator remembers, for each pair of classes, whether a CPU (or a
 * process, for sleeping locks) ever took B while holding A -- an edge A->B
 * of a directed graph -- together with the chain of locks held that first
 * time and where each was taken (return addresses, symbolised).  Taking B
 * while holding A when B->...->A is already in the graph closes a cycle:
 * two CPUs doing both could wait for each other forever.  The report prints
 * both chains and panics.
 *
 *   held by this CPU (spinlocks)      the graph (first time each edge was seen)
 *   +-----------+                     A --> B    chain: A at f+0x12, B at g+0x30
 *   | A  f+0x12 |  take B: edge A->B  B --> C    chain: ...
 *   +-----------+                     taking A while holding C: C->A closes A->B->C->A
 *
 * Also checked: sleeping (schedule(), mutex_lock) with a spinlock held.
 * Recursion and "held too long" are checked by the locks themselves
 * (kernel/lock/spinlock.c, mutex.c), which report through here.
 *
 * On with LOCKDEP=1, the Makefile's default for every build (make test and
 * make bench included: a few tens of instructions per lock operation).
 * LOCKDEP=0 compiles every hook below to nothing.
 */
#ifndef KERNEL_LOCK_LOCKDEP_H
#define KERNEL_LOCK_LOCKDEP_H

#include "kernel/types.h"

#ifndef LOCKDEP
#define LOCKDEP 1
#endif

#define LOCKDEP_CLASSES 96  /* distinct lock names */
#define LOCKDEP_EDGES 512   /* distinct "A held while taking B" pairs */
#define LOCKDEP_CHAIN 6     /* locks remembered per edge's chain */
#define LOCKDEP_DEPTH 16    /* spinlocks one CPU may hold at once */
#define LOCKDEP_MUTEXES 64  /* sleeping locks held at once, system-wide */
#define LOCKDEP_REPORT 2048 /* bytes of the last report kept in test mode */

/* The validator's part of a lock: its class, found on first use. */
struct lockdep_map {
    const char *name;
    u16 class_id; /* 1 + index in the class table; 0 = not looked up yet */
};

#if LOCKDEP
/*
 * `lock` is about to be taken at `where` (a return address).  Checks the
 * order against every lock this CPU (spinlocks) or the current process
 * (sleeping locks) holds, records new edges, then pushes it as held.
 * `sleeping`: a mutex (held per process, may be held across schedule()).
 * `check_order` false for a trylock: it never waits, so it adds no edge.
 * Interrupts off for spinlocks; mutexes may call it with them on.
 */
void lockdep_acquire(struct lockdep_map *map, const void *lock, bool sleeping, bool check_order,
                     void *where);
/* `lock` was released: pop it from the held locks. */
void lockdep_release(const void *lock, bool sleeping);
/* The current CPU is about to sleep in `what` ("schedule", a mutex's
 * name): a spinlock held now is a bug. */
void lockdep_might_sleep(const char *what);
/* How many spinlocks this CPU holds (per the validator). */
int lockdep_depth(void);
#else
static inline void lockdep_acquire(struct lockdep_map *map, const void *lock, bool sleeping,
                                   bool check_order, void *where)
{
}
static inline void lockdep_release(const void *lock, bool sleeping) {}
static inline void lockdep_might_sleep(const char *what) {}
static inline int lockdep_depth(void) { return 0; }
#endif

/*
 * A locking bug was found: print `report` (several lines) and panic with
 * `summary`, or, in test mode on this CPU, keep the report for the test and
 * return.  Used by the validator and by the locks' own checks (recursion,
 * held too long).  Returns only in test mode.
 */
void lockdep_bug(const char *report, const char *summary);

/*
 * Test mode (tests/ktest/ktest_lock.c): on this CPU, bugs are recorded
 * instead of panicking, and the operation that found one carries on as if
 * it had not (no deadlock results in a single-threaded test).
 * lockdep_test_end() returns how many reports came, the last in `report`.
 */
void lockdep_test_begin(void);
int lockdep_test_end(char *report, size_t size);
/* Is this CPU in test mode? */
bool lockdep_testing(void);

#endif
