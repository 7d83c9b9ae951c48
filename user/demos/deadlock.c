/*
 * deadlock.c - two threads take two mutexes in opposite orders and hang.
 *
 *   deadlock &        then find them: ps -L, grep '' /proc/PID/task/STAR/wchan
 *
 * Thread A locks mutex 1 then wants mutex 2; thread B locks mutex 2 then
 * wants mutex 1.  Each holds what the other waits for, so neither ever
 * runs again: both sleep in the kernel in futex(FUTEX_WAIT), which is what
 * /proc/PID/task/TID/wchan shows.  A barrier makes sure each thread holds
 * its first mutex before either asks for its second: the deadlock happens
 * every time, however the threads are scheduled.  Stop it with kill (or ^C).
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t mutex[2] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static pthread_barrier_t both_hold_one; /* threads A and B, and main */

static void *take(void *arg)
{
    int one = (int)(long)arg, other = 1 - one;
    pthread_mutex_lock(&mutex[one]);
    printf("deadlock: thread %ld holds mutex %d, wants mutex %d\n", syscall(SYS_gettid), one + 1,
           other + 1);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&mutex[other]); /* never returns: the other thread holds it */
    pthread_mutex_unlock(&mutex[other]);
    pthread_mutex_unlock(&mutex[one]);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid = getpid();
    printf("deadlock: PID %d starts two threads\n", pid);
    pthread_t a, b;
    pthread_barrier_init(&both_hold_one, NULL, 3);
    pthread_create(&a, NULL, take, (void *)0L);
    pthread_create(&b, NULL, take, (void *)1L);
    pthread_barrier_wait(&both_hold_one);
    printf("deadlock: both threads are stuck; find them: ps -L; grep '' /proc/%d/task/*/wchan\n",
           pid);
    pthread_join(a, NULL); /* waits forever */
    pthread_join(b, NULL);
    return 0;
}
