/*
 * race.c - two threads, one counter: shared memory without and with a lock.
 *
 *   race [N]      each of two threads adds 1 to a shared counter N times
 *                 (default 10000000), first without a lock, then with a mutex
 *
 * `counter++` is three steps: load, add, store.  When the scheduler switches
 * threads between a load and its store, the other thread's increments in
 * between are overwritten: lost.  Without the lock the total comes out
 * wrong, and differently each run (unless no switch happens to land
 * mid-increment: then nothing is lost); with the mutex, exactly 2N every time.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long counter; /* volatile: really load and store it every time */
static long iterations;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *add_unlocked(void *arg)
{
    for (long i = 0; i < iterations; i++) {
        /* counter++, spelled out.  (The test between the load and the store
         * also matters under QEMU's emulation, which takes interrupts only
         * at jumps: without one, no switch could land in the middle.) */
        long value = counter;
        if (value < 0)
            abort();
        counter = value + 1;
    }
    return NULL;
}

static void *add_locked(void *arg)
{
    for (long i = 0; i < iterations; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static long run_two(void *(*body)(void *))
{
    pthread_t a, b;
    counter = 0;
    pthread_create(&a, NULL, body, NULL);
    pthread_create(&b, NULL, body, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return counter;
}

int main(int argc, char **argv)
{
    iterations = argc > 1 ? atol(argv[1]) : 10000000;
    if (iterations <= 0) {
        fprintf(stderr, "usage: race [N]\n");
        return 2;
    }
    long expected = 2 * iterations;
    long unlocked = run_two(add_unlocked);
    printf("without a lock: %ld (expected %ld, %ld increments lost)\n", unlocked, expected,
           expected - unlocked);
    long locked = run_two(add_locked);
    if (locked == expected)
        printf("with a mutex:   %ld (expected %ld, exact)\n", locked, expected);
    else
        printf("with a mutex:   %ld (expected %ld, WRONG)\n", locked, expected);
    return locked == expected ? 0 : 1;
}
