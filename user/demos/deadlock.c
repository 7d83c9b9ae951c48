/*
 * deadlock.c - two threads take two mutexes in opposite orders and hang.
 *
 *   deadlock &        then find them: ps -L, cat /proc/PID/task/STAR/wchan
 *
 * Thread A locks `first` then wants `second`; thread B locks `second` then
 * wants `first`.  Each holds what the other waits for, so neither ever
 * runs again: both sleep in the kernel in futex(FUTEX_WAIT), which is what
 * /proc/PID/task/TID/wchan shows.  Stop it with kill (or ^C).
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;

static void *take(pthread_mutex_t *one, pthread_mutex_t *other, const char *name)
{
    pthread_mutex_lock(one);
    printf("deadlock: thread %s (TID %ld) holds one lock, waits for the other\n", name,
           syscall(SYS_gettid));
    usleep(100000);            /* let the other thread take its first lock */
    pthread_mutex_lock(other); /* never returns */
    pthread_mutex_unlock(other);
    pthread_mutex_unlock(one);
    return NULL;
}

static void *thread_a(void *arg) { return take(&first, &second, "A"); }
static void *thread_b(void *arg) { return take(&second, &first, "B"); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("deadlock: PID %d; try: ps -L; cat /proc/%d/task/*/wchan\n", getpid(), getpid());
    pthread_t a, b;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_join(a, NULL); /* waits forever */
    pthread_join(b, NULL);
    return 0;
}
