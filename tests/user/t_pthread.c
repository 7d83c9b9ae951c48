/*
 * t_pthread.c - threads: musl's pthreads running unmodified on clone,
 * futex and set_tid_address.  Create/join, a mutex-protected counter,
 * condition variables, thread-local storage, signals to one thread, a
 * thread's exit versus exit_group, a fatal signal ending every thread,
 * execve from a thread, and clone's bad flag combinations.  Runs on Linux too.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

static long gettid_now(void) { return syscall(SYS_gettid); }
static int run_command(const char *command, char *out, size_t size);

/* --- create and join ----------------------------------------------------- */

struct ids {
    long tid;
    pid_t pid, ppid;
};

static void *record_ids(void *arg)
{
    struct ids *ids = arg;
    ids->tid = gettid_now();
    ids->pid = getpid();
    ids->ppid = getppid();
    return (void *)(ids->tid * 2);
}

static void create_join_and_ids(void)
{
    enum { N = 8 };
    pthread_t threads[N];
    struct ids ids[N];
    for (int i = 0; i < N; i++)
        CHECK_EQ(pthread_create(&threads[i], NULL, record_ids, &ids[i]), 0);
    for (int i = 0; i < N; i++) {
        void *result;
        CHECK_EQ(pthread_join(threads[i], &result), 0);
        CHECK_EQ((long)result, ids[i].tid * 2); /* the value the thread returned */
        CHECK_EQ(ids[i].pid, getpid());         /* one process ... */
        CHECK_EQ(ids[i].ppid, getppid());
        CHECK(ids[i].tid != getpid()); /* ... many threads */
        for (int j = 0; j < i; j++)
            CHECK(ids[i].tid != ids[j].tid);
    }
    CHECK_EQ(gettid_now(), getpid()); /* the main thread's TID is the PID */
}

/* --- a mutex-protected counter ------------------------------------------- */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
    for (long i = 0; i < (long)(intptr_t)arg; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        if ((i & 1023) == 0)
            sched_yield(); /* hand the lock over while others wait on it */
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static void mutex_counter_is_exact(void)
{
    enum { N = 4, PER_THREAD = 100000 };
    pthread_t threads[N];
    for (int i = 0; i < N; i++)
        CHECK_EQ(pthread_create(&threads[i], NULL, count_up, (void *)(intptr_t)PER_THREAD), 0);
    for (int i = 0; i < N; i++)
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
    CHECK_EQ(counter, N * PER_THREAD);
}

/* --- condition variables --------------------------------------------------- */

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int queue[16], queue_count, go_flag, waiting;

static void *consumer(void *arg)
{
    long sum = 0;
    for (int taken = 0; taken < 100; taken++) {
        pthread_mutex_lock(&queue_lock);
        while (queue_count == 0)
            pthread_cond_wait(&queue_nonempty, &queue_lock);
        sum += queue[--queue_count];
        pthread_mutex_unlock(&queue_lock);
    }
    return (void *)sum;
}

static void *wait_for_go(void *arg)
{
    pthread_mutex_lock(&queue_lock);
    waiting++;
    while (!go_flag)
        pthread_cond_wait(&go, &queue_lock);
    waiting--;
    pthread_mutex_unlock(&queue_lock);
    return NULL;
}

static void condvar_signal_and_broadcast(void)
{
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, consumer, NULL), 0);
    for (int i = 1; i <= 100; i++) {
        pthread_mutex_lock(&queue_lock);
        while (queue_count == 16) { /* full: let the consumer run */
            pthread_mutex_unlock(&queue_lock);
            sched_yield();
            pthread_mutex_lock(&queue_lock);
        }
        queue[queue_count++] = i;
        pthread_cond_signal(&queue_nonempty);
        pthread_mutex_unlock(&queue_lock);
    }
    void *sum;
    CHECK_EQ(pthread_join(t, &sum), 0);
    CHECK_EQ((long)sum, 5050);

    /* Broadcast wakes every waiter. */
    enum { N = 5 };
    pthread_t waiters[N];
    for (int i = 0; i < N; i++)
        CHECK_EQ(pthread_create(&waiters[i], NULL, wait_for_go, NULL), 0);
    for (int tries = 0; tries < 200; tries++) {
        pthread_mutex_lock(&queue_lock);
        int w = waiting;
        pthread_mutex_unlock(&queue_lock);
        if (w == N)
            break;
        sleep_ms(5);
    }
    pthread_mutex_lock(&queue_lock);
    CHECK_EQ(waiting, N);
    go_flag = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&queue_lock);
    for (int i = 0; i < N; i++)
        CHECK_EQ(pthread_join(waiters[i], NULL), 0);
    CHECK_EQ(waiting, 0);
}

static void condvar_timedwait_times_out(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 50 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L)
        deadline.tv_sec++, deadline.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&m);
    double t0 = now_seconds();
    CHECK_EQ(pthread_cond_timedwait(&c, &m, &deadline), ETIMEDOUT);
    CHECK(now_seconds() - t0 >= 0.04);
    pthread_mutex_unlock(&m);
}

/* --- the other pthread objects -------------------------------------------- */

static void mutex_kinds(void)
{
    pthread_mutexattr_t attr;
    pthread_mutex_t m;
    pthread_mutexattr_init(&attr);
    CHECK_EQ(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE), 0);
    CHECK_EQ(pthread_mutex_init(&m, &attr), 0);
    CHECK_EQ(pthread_mutex_lock(&m), 0);
    CHECK_EQ(pthread_mutex_lock(&m), 0); /* again, by its owner: fine */
    CHECK_EQ(pthread_mutex_unlock(&m), 0);
    CHECK_EQ(pthread_mutex_unlock(&m), 0);
    CHECK_EQ(pthread_mutex_destroy(&m), 0);
    CHECK_EQ(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK), 0);
    CHECK_EQ(pthread_mutex_init(&m, &attr), 0);
    CHECK_EQ(pthread_mutex_unlock(&m), EPERM); /* not ours */
    CHECK_EQ(pthread_mutex_lock(&m), 0);
    CHECK_EQ(pthread_mutex_lock(&m), EDEADLK); /* would wait for ourselves */
    CHECK_EQ(pthread_mutex_trylock(&m), EBUSY);
    CHECK_EQ(pthread_mutex_unlock(&m), 0);
}

static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_inside, max_readers_inside, writer_saw_readers;
static pthread_barrier_t rw_barrier;

static void *reader(void *arg)
{
    pthread_barrier_wait(&rw_barrier);
    pthread_rwlock_rdlock(&rwlock);
    __atomic_add_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
    sleep_ms(50); /* the other readers come in meanwhile */
    if (readers_inside > max_readers_inside)
        max_readers_inside = readers_inside;
    __atomic_sub_fetch(&readers_inside, 1, __ATOMIC_SEQ_CST);
    pthread_rwlock_unlock(&rwlock);
    return NULL;
}

static void *writer(void *arg)
{
    pthread_barrier_wait(&rw_barrier);
    sleep_ms(10);
    pthread_rwlock_wrlock(&rwlock);
    writer_saw_readers = readers_inside; /* alone: no reader inside */
    pthread_rwlock_unlock(&rwlock);
    return NULL;
}

static void rwlock_and_barrier(void)
{
    enum { READERS = 3 };
    pthread_t t[READERS + 1];
    CHECK_EQ(pthread_barrier_init(&rw_barrier, NULL, READERS + 1), 0);
    for (int i = 0; i < READERS; i++)
        CHECK_EQ(pthread_create(&t[i], NULL, reader, NULL), 0);
    CHECK_EQ(pthread_create(&t[READERS], NULL, writer, NULL), 0);
    for (int i = 0; i <= READERS; i++)
        CHECK_EQ(pthread_join(t[i], NULL), 0);
    CHECK(max_readers_inside >= 2); /* readers share the lock */
    CHECK_EQ(writer_saw_readers, 0);
    CHECK_EQ(pthread_barrier_destroy(&rw_barrier), 0);
}

static sem_t items;

static void *post_three(void *arg)
{
    for (int i = 0; i < 3; i++) {
        sleep_ms(10);
        sem_post(&items);
    }
    return NULL;
}

static void unnamed_semaphores(void)
{
    CHECK_EQ(sem_init(&items, 0, 0), 0);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, post_three, NULL), 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(sem_wait(&items), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_ERRNO(sem_trywait(&items), EAGAIN);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 30 * 1000000L;
    if (deadline.tv_nsec >= 1000000000L)
        deadline.tv_sec++, deadline.tv_nsec -= 1000000000L;
    CHECK_ERRNO(sem_timedwait(&items, &deadline), ETIMEDOUT);
    CHECK_EQ(sem_destroy(&items), 0);
}

static void *sleep_long(void *arg)
{
    for (;;)
        sleep(10); /* a cancellation point */
    return NULL;
}

static volatile int detached_ran;

static void *detached_work(void *arg)
{
    detached_ran = 1;
    return NULL;
}

static void cancel_and_detach(void)
{
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, sleep_long, NULL), 0);
    sleep_ms(20);
    CHECK_EQ(pthread_cancel(t), 0);
    void *result;
    CHECK_EQ(pthread_join(t, &result), 0);
    CHECK(result == PTHREAD_CANCELED);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    CHECK_EQ(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), 0);
    CHECK_EQ(pthread_create(&t, &attr, detached_work, NULL), 0);
    for (int tries = 0; tries < 200 && !detached_ran; tries++)
        sleep_ms(5);
    CHECK(detached_ran);
}

/* --- thread-local storage -------------------------------------------------- */

static __thread long tls_value = 42;
static __thread char tls_buffer[64];

static void *tls_worker(void *arg)
{
    long mine = (long)(intptr_t)arg;
    if (tls_value != 42) /* a fresh copy of the initial value */
        return (void *)-1;
    tls_value = mine;
    snprintf(tls_buffer, sizeof tls_buffer, "thread %ld", mine);
    sched_yield();
    sleep_ms(10); /* the others write theirs meanwhile */
    char expect[64];
    snprintf(expect, sizeof expect, "thread %ld", mine);
    return (void *)(intptr_t)(tls_value == mine && strcmp(tls_buffer, expect) == 0);
}

static void tls_is_per_thread(void)
{
    enum { N = 4 };
    pthread_t threads[N];
    tls_value = 7;
    for (int i = 0; i < N; i++)
        CHECK_EQ(pthread_create(&threads[i], NULL, tls_worker, (void *)(intptr_t)(100 + i)), 0);
    for (int i = 0; i < N; i++) {
        void *ok;
        CHECK_EQ(pthread_join(threads[i], &ok), 0);
        CHECK_EQ((long)ok, 1);
    }
    CHECK_EQ(tls_value, 7); /* ours untouched */
}

/* --- signals to one thread ------------------------------------------------- */

static volatile long handled_in_tid;

static void note_tid(int sig) { handled_in_tid = gettid_now(); }

static void *sleep_until_signalled(void *arg)
{
    *(volatile long *)arg = gettid_now();
    while (!handled_in_tid)
        sleep_ms(5);
    return NULL;
}

static void pthread_kill_reaches_that_thread(void)
{
    struct sigaction sa = {.sa_handler = note_tid};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    volatile long tid = 0;
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, sleep_until_signalled, (void *)&tid), 0);
    while (!tid)
        sleep_ms(1);
    CHECK_EQ(pthread_kill(t, SIGUSR1), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(handled_in_tid, tid);
    /* Gone after join (join may return a moment before the kernel is done with it). */
    for (int tries = 0; tries < 100 && syscall(SYS_tgkill, getpid(), tid, 0) == 0; tries++)
        sleep_ms(5);
    CHECK_ERRNO(syscall(SYS_tgkill, getpid(), tid, SIGUSR1), ESRCH);
    CHECK_ERRNO(syscall(SYS_tgkill, getpid() + 1, getpid(), 0), ESRCH); /* wrong group */
}

static void *sigwait_later(void *arg)
{
    sleep_ms(50); /* the signal arrives before we wait for it */
    int sig = 0;
    return sigwait((sigset_t *)arg, &sig) == 0 ? (void *)(intptr_t)sig : NULL;
}

static void blocked_everywhere_waits_for_the_process(void)
{
    /* The classic signal-handling thread: every thread blocks SIGUSR2, one
     * waits for it with sigwait.  A kill() that comes first stays pending for
     * the process, and the waiting thread takes it. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, sigwait_later, &set), 0);
    CHECK_EQ(kill(getpid(), SIGUSR2), 0);
    sigset_t pending;
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(sigismember(&pending, SIGUSR2)); /* pending for the process: we see it too */
    void *got;
    CHECK_EQ(pthread_join(t, &got), 0);
    CHECK_EQ((long)got, SIGUSR2);
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(!sigismember(&pending, SIGUSR2)); /* taken once */
}

/* --- how threads end ------------------------------------------------------- */

static void *exit_group_later(void *arg)
{
    sleep_ms(50);
    exit((int)(intptr_t)arg); /* exit(3) is exit_group: the whole process */
}

static void *spin_forever(void *arg)
{
    for (volatile int forever = 1; forever;)
        ;
    return NULL;
}

static void *exit_only_me(void *arg)
{
    syscall(SYS_exit, 9); /* the raw exit: this thread alone */
    return NULL;
}

static void main_thread_exits_first(void)
{
    /* The main thread leaves with pthread_exit; the process lives on in its
     * other thread, whose exit_group gives the status wait4 reports -- once. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, exit_group_later, (void *)(intptr_t)7);
        pthread_exit(NULL);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 7);
    CHECK_ERRNO(waitpid(pid, &status, WNOHANG), ECHILD);
}

static void *sleep_forever(void *arg)
{
    for (;;)
        sleep_ms(10);
    return NULL;
}

/* Wait (polling, so a missing report fails instead of hanging) for an event of pid. */
static int wait_event(pid_t pid, int options)
{
    int status = 0;
    for (int i = 0; i < 400; i++) {
        pid_t got = waitpid(pid, &status, options | WNOHANG);
        CHECK(got >= 0);
        if (got == pid)
            return status;
        sleep_ms(5);
    }
    utest_fail(__FILE__, __LINE__, "no wait event for %d (options %#x)", pid, options);
    return 0;
}

/* The main thread has exited; the process still stops and continues, and
 * its parent hears of both (WUNTRACED, WCONTINUED). */
static void job_control_after_the_main_thread_exits(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, sleep_forever, NULL);
        pthread_exit(NULL);
    }
    sleep_ms(100); /* the main thread is gone by now */
    CHECK_EQ(kill(pid, SIGSTOP), 0);
    int status = wait_event(pid, WUNTRACED);
    CHECK(WIFSTOPPED(status));
    CHECK_EQ(WSTOPSIG(status), SIGSTOP);
    CHECK_EQ(kill(pid, SIGCONT), 0);
    status = wait_event(pid, WCONTINUED);
    CHECK(WIFCONTINUED(status));
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static void exit_ends_one_thread_exit_group_all(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pthread_t t, spinner;
        pthread_create(&t, NULL, exit_only_me, NULL);
        sleep_ms(50); /* it is gone; we are not */
        pthread_create(&spinner, NULL, spin_forever, NULL);
        sleep_ms(20);
        exit(3); /* ends the spinner too */
    }
    double t0 = now_seconds();
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 3);
    CHECK(now_seconds() - t0 < 10);
}

static void *crash(void *arg)
{
    sleep_ms(30);
    *(volatile int *)arg = 1; /* NULL: SIGSEGV */
    return NULL;
}

static void fatal_signal_kills_every_thread(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        pthread_t t, spinner;
        pthread_create(&spinner, NULL, spin_forever, NULL);
        pthread_create(&t, NULL, crash, NULL);
        for (;;)
            sleep_ms(1000);
    }
    int status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGSEGV);

    /* SIGKILL to the process ends all its threads too. */
    pid = fork_or_fail();
    if (pid == 0) {
        pthread_t spinner;
        pthread_create(&spinner, NULL, spin_forever, NULL);
        for (;;)
            sleep_ms(1000);
    }
    sleep_ms(50);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
}

static volatile long *spin_counter;

static void *count_forever(void *arg)
{
    for (;;)
        (*spin_counter)++;
    return NULL;
}

static void stop_and_continue_every_thread(void)
{
    /* SIGSTOP stops the whole process, not just the thread that takes it;
     * SIGCONT runs them all again. */
    spin_counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(spin_counter != MAP_FAILED);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pthread_t t;
        pthread_create(&t, NULL, count_forever, NULL);
        for (;;)
            pause();
    }
    while (*spin_counter == 0)
        sleep_ms(5);
    CHECK_EQ(kill(pid, SIGSTOP), 0);
    int status = wait_options(pid, WUNTRACED);
    CHECK(WIFSTOPPED(status));
    CHECK_EQ(WSTOPSIG(status), SIGSTOP);
    sleep_ms(30); /* (on Linux the spinner may take a moment to see the stop) */
    long stopped_at = *spin_counter;
    sleep_ms(100);
    CHECK_EQ(*spin_counter, stopped_at);
    CHECK_EQ(kill(pid, SIGCONT), 0);
    status = wait_options(pid, WCONTINUED);
    CHECK(WIFCONTINUED(status));
    for (int tries = 0; tries < 100 && *spin_counter == stopped_at; tries++)
        sleep_ms(5);
    CHECK(*spin_counter != stopped_at);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    status = wait_status(pid);
    CHECK(WIFSIGNALED(status));
}

static void *exec_true(void *arg)
{
    char *argv[] = {"true", NULL};
    execv("/bin/true", argv);
    _exit(99);
}

static void execve_from_a_thread(void)
{
    /* The other threads die; the process keeps its PID and runs the new program. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pthread_t t, spinner;
        pthread_create(&spinner, NULL, spin_forever, NULL);
        pthread_create(&t, NULL, exec_true, NULL);
        for (;;)
            sleep_ms(1000);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* --- priority-inheritance mutexes (FUTEX_LOCK_PI) ------------------------- */

static pthread_mutex_t pi_mutex;
static atomic_int pi_owner_ready;
static int pi_before, pi_during, pi_after;

/* Field 18 of /proc/self/task/TID/stat: the priority the thread runs with
 * now (20 + nice, or better while it inherits a waiter's). */
static int task_priority(long tid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    CHECK(n > 0);
    text[n] = '\0';
    char *p = strrchr(text, ')'); /* the name may hold spaces: count from after it */
    CHECK(p != NULL);
    int field = 2, priority = -1;
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " "))
        if (++field == 18)
            priority = atoi(tok);
    return priority;
}

static void *low_priority_owner(void *arg)
{
    long tid = gettid_now();
    CHECK_EQ(setpriority(PRIO_PROCESS, (id_t)tid, 10), 0);
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), 0);
    pi_before = task_priority(tid);
    atomic_store(&pi_owner_ready, 1);
    /* The main thread (nice 0) now blocks on the mutex: we inherit its priority. */
    for (int i = 0; i < 400 && (pi_during = task_priority(tid)) == pi_before; i++)
        sleep_ms(5);
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), 0);
    pi_after = task_priority(tid);
    return NULL;
}

static void *count_up_pi(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&pi_mutex);
        counter++;
        pthread_mutex_unlock(&pi_mutex);
    }
    return NULL;
}

static void *try_pi(void *arg) { return (void *)(intptr_t)pthread_mutex_trylock(&pi_mutex); }

static void *lock_pi_and_die(void *arg)
{
    pthread_mutex_lock(&pi_mutex);
    return NULL;
}

static void priority_inheritance_mutexes(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    /* musl asks the kernel for FUTEX_LOCK_PI first: ENOSYS without it. */
    CHECK_EQ(pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT), 0);
    int protocol = -1;
    CHECK_EQ(pthread_mutexattr_getprotocol(&attr, &protocol), 0);
    CHECK_EQ(protocol, PTHREAD_PRIO_INHERIT);
    CHECK_EQ(pthread_mutexattr_setprotocol(&attr, 99), EINVAL);
    CHECK_EQ(pthread_mutex_init(&pi_mutex, &attr), 0);

    /* Mutual exclusion under contention. */
    counter = 0;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        CHECK_EQ(pthread_create(&t[i], NULL, count_up_pi, NULL), 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(pthread_join(t[i], NULL), 0);
    CHECK_EQ(counter, 4 * 20000);

    /* A nice 10 owner runs at the priority of the nice 0 thread waiting for it. */
    CHECK_EQ(getpriority(PRIO_PROCESS, 0), 0);
    CHECK_EQ(pthread_create(&t[0], NULL, low_priority_owner, NULL), 0);
    while (!atomic_load(&pi_owner_ready))
        sleep_ms(1);
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), 0); /* blocks until the owner unlocks */
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), 0);
    CHECK_EQ(pthread_join(t[0], NULL), 0);
    CHECK_EQ(pi_before, 30);
    CHECK_EQ(pi_during, 20);
    CHECK_EQ(pi_after, 30);

    /* trylock from another thread, errorcheck, and a robust owner's death. */
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), 0);
    void *r;
    CHECK_EQ(pthread_create(&t[0], NULL, try_pi, NULL), 0);
    CHECK_EQ(pthread_join(t[0], &r), 0);
    CHECK_EQ((intptr_t)r, EBUSY);
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), 0);
    CHECK_EQ(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK), 0);
    CHECK_EQ(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST), 0);
    CHECK_EQ(pthread_mutex_init(&pi_mutex, &attr), 0);
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), 0);
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), EDEADLK);
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), 0);
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), EPERM);
    CHECK_EQ(pthread_create(&t[0], NULL, lock_pi_and_die, NULL), 0);
    CHECK_EQ(pthread_join(t[0], NULL), 0);
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), EOWNERDEAD);
    CHECK_EQ(pthread_mutex_consistent(&pi_mutex), 0);
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), 0);
    CHECK_EQ(pthread_mutex_lock(&pi_mutex), 0);
    CHECK_EQ(pthread_mutex_unlock(&pi_mutex), 0);
}

/* --- robust mutexes ---------------------------------------------------------- */

static pthread_mutex_t robust;

static void *lock_and_die(void *arg)
{
    pthread_mutex_lock(&robust);
    return NULL; /* ends holding it */
}

static void robust_mutex_owner_died(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    CHECK_EQ(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST), 0);
    CHECK_EQ(pthread_mutex_init(&robust, &attr), 0);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, lock_and_die, NULL), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(pthread_mutex_lock(&robust), EOWNERDEAD);
    CHECK_EQ(pthread_mutex_consistent(&robust), 0);
    CHECK_EQ(pthread_mutex_unlock(&robust), 0);
    CHECK_EQ(pthread_mutex_lock(&robust), 0);
}

static void *lock_and_vanish(void *arg)
{
    pthread_mutex_lock(&robust);
    *(volatile long *)arg = gettid_now();
    syscall(SYS_exit, 0); /* gone without pthread_exit's cleanup: the kernel's robust list walk */
    return NULL;
}

static void robust_mutex_owner_killed(void)
{
    /* Process-shared: musl hands those to the kernel's robust list (it keeps
     * private ones to itself), and the kernel marks them at the thread's exit. */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    CHECK_EQ(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST), 0);
    CHECK_EQ(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED), 0);
    CHECK_EQ(pthread_mutex_init(&robust, &attr), 0);
    /* (pthread_join cannot be used: musl learns of a thread's end from
     * pthread_exit only, so we wait until its TID is gone.) */
    volatile long tid = 0;
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, lock_and_vanish, (void *)&tid), 0);
    while (!tid)
        sleep_ms(1);
    for (int tries = 0; tries < 200 && syscall(SYS_tgkill, getpid(), tid, 0) == 0; tries++)
        sleep_ms(5);
    CHECK_ERRNO(syscall(SYS_tgkill, getpid(), tid, 0), ESRCH);
    CHECK_EQ(pthread_mutex_lock(&robust), EOWNERDEAD);
    CHECK_EQ(pthread_mutex_consistent(&robust), 0);
    CHECK_EQ(pthread_mutex_unlock(&robust), 0);
}

static void robust_list_calls(void)
{
    long head[3] = {0};
    long *got_head = NULL;
    size_t got_len = 0;
    CHECK_EQ(syscall(SYS_set_robust_list, head, sizeof head), 0);
    CHECK_EQ(syscall(SYS_get_robust_list, 0, &got_head, &got_len), 0);
    CHECK(got_head == head);
    CHECK_EQ(got_len, sizeof head);
    CHECK_ERRNO(syscall(SYS_set_robust_list, head, sizeof head - 1), EINVAL);
    CHECK_ERRNO(syscall(SYS_get_robust_list, 0, NULL, &got_len), EFAULT);
    CHECK_ERRNO(syscall(SYS_get_robust_list, 0, &got_head, (void *)8), EFAULT);
    CHECK_ERRNO(syscall(SYS_get_robust_list, 999999, &got_head, &got_len), ESRCH);
}

/* --- clone's rules ------------------------------------------------------------- */

#define CLONE_NEWNS_FLAG 0x00020000

static void bad_clone_flags(void)
{
    static char stack[4096];
    void *top = stack + sizeof stack;
    /* A thread must share handlers; shared handlers need shared memory. */
    CHECK_ERRNO(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, top, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_clone, CLONE_SIGHAND, top, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_clone, CLONE_SIGHAND | CLONE_THREAD, top, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_clone, CLONE_FS | CLONE_NEWNS_FLAG, top, NULL, NULL, 0), EINVAL);
}

static int move_and_mask(void *arg)
{
    (void)arg;
    if (chdir("/tmp") != 0)
        return 1;
    umask(077);
    return 0;
}

static void *move_and_mask_thread(void *arg) { return (void *)(intptr_t)move_and_mask(arg); }

/* clone(CLONE_FS) without CLONE_THREAD: a separate process (its own memory)
 * that shares our working directory and umask; without the flag it does not. */
static void clone_fs_shares_cwd_and_umask(void)
{
    static char stack[2][16384];
    char cwd[256];
    CHECK_EQ(chdir("/"), 0);
    umask(022);
    pid_t pid = clone(move_and_mask, stack[0] + sizeof stack[0], SIGCHLD, NULL);
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_STR(getcwd(cwd, sizeof cwd), "/");
    CHECK_EQ(umask(022), 022);
    pid = clone(move_and_mask, stack[1] + sizeof stack[1], CLONE_FS | SIGCHLD, NULL);
    CHECK(pid > 0);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_STR(getcwd(cwd, sizeof cwd), "/tmp");
    CHECK_EQ(umask(022), 077);
    /* Threads share them too. */
    pthread_t t;
    CHECK_EQ(chdir("/"), 0);
    CHECK_EQ(pthread_create(&t, NULL, move_and_mask_thread, NULL), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_STR(getcwd(cwd, sizeof cwd), "/tmp");
    CHECK_EQ(umask(022), 077);
}

/* MemFree from /proc/meminfo, in kB. */
static long mem_free_kb(void)
{
    char text[2048];
    FILE *f = fopen("/proc/meminfo", "r");
    CHECK(f != NULL);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    char *line = strstr(text, "MemFree:");
    CHECK(line != NULL);
    return atol(line + 8);
}

static void create_and_join(int count)
{
    for (int i = 0; i < count; i++) {
        pthread_t t;
        CHECK_EQ(pthread_create(&t, NULL, record_ids, &(struct ids){0}), 0);
        CHECK_EQ(pthread_join(t, NULL), 0);
    }
}

static double clock_seconds(clockid_t clock)
{
    struct timespec ts;
    CHECK_EQ(clock_gettime(clock, &ts), 0);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *spin_100ms_of_cpu(void *arg)
{
    while (clock_seconds(CLOCK_THREAD_CPUTIME_ID) < 0.1)
        ;
    return NULL;
}

static void cpu_time_counts_every_thread(void)
{
    /* The process's clock counts the thread's work, even after it ended;
     * the main thread's own clock does not. */
    double process0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    double mine0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, spin_100ms_of_cpu, NULL), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK(clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - process0 >= 0.095);
    CHECK(clock_seconds(CLOCK_THREAD_CPUTIME_ID) - mine0 < 0.05);
    struct rusage self, thread;
    CHECK_EQ(getrusage(RUSAGE_SELF, &self), 0);
    CHECK_EQ(getrusage(RUSAGE_THREAD, &thread), 0);
    double self_s = (double)self.ru_utime.tv_sec + self.ru_utime.tv_usec / 1e6 +
                    (double)self.ru_stime.tv_sec + self.ru_stime.tv_usec / 1e6;
    double thread_s = (double)thread.ru_utime.tv_sec + thread.ru_utime.tv_usec / 1e6 +
                      (double)thread.ru_stime.tv_sec + thread.ru_stime.tv_usec / 1e6;
    CHECK(self_s >= 0.09);
    CHECK(self_s > thread_s);

    /* A parent's wait4 learns the CPU time of all the child's threads. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        pthread_create(&t, NULL, spin_100ms_of_cpu, NULL);
        pthread_join(t, NULL);
        _exit(0);
    }
    struct rusage child;
    int status;
    CHECK_EQ(wait4(pid, &status, 0, &child), pid);
    CHECK(child.ru_utime.tv_sec * 1000000L + child.ru_utime.tv_usec +
              child.ru_stime.tv_sec * 1000000L + child.ru_stime.tv_usec >=
          90000);
}

static void strace_follows_threads(void)
{
    if (!is_sprout())
        return; /* sprout's strace and /bin/threads */
    FILE *out = popen("/bin/strace -f /bin/threads -s 0 2>&1", "r");
    CHECK(out != NULL);
    char line[512];
    int pids[16], npids = 0, thread_exits = 0, clones = 0;
    while (fgets(line, sizeof line, out)) {
        int pid;
        if (sscanf(line, "[pid %d]", &pid) == 1) {
            int seen = 0;
            for (int i = 0; i < npids; i++)
                seen |= pids[i] == pid;
            if (!seen && npids < 16)
                pids[npids++] = pid;
        }
        clones +=
            strstr(line, "clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD") != 0;
        thread_exits += strstr(line, "] exit(0)") != 0;
    }
    CHECK_EQ(pclose(out), 0);
    CHECK_EQ(clones, 3);
    CHECK_EQ(npids, 4);        /* the process and its three threads, each traced */
    CHECK_EQ(thread_exits, 3); /* each thread's own exit (the process ends with exit_group) */
}

/* Run a shell command; its output in out (NUL-terminated), its exit status returned. */
static int run_command(const char *command, char *out, size_t size)
{
    FILE *f = popen(command, "r");
    CHECK(f != NULL);
    size_t n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    return pclose(f);
}

static void thread_demos(void)
{
    if (!is_sprout())
        return; /* the demos of sprout's /bin */
    char out[4096];
    CHECK_EQ(run_command("/bin/race 200000", out, sizeof out), 0);
    CHECK(strstr(out, "with a mutex:   400000 (expected 400000, exact)") != NULL);
    CHECK_EQ(run_command("/bin/threadcrash", out, sizeof out), 0);
    CHECK(strstr(out, "its parent (me, PID") != NULL);
    CHECK(strstr(out, "(all three threads) died of Segmentation fault") != NULL);
    CHECK_EQ(run_command("/bin/threads 20", out, sizeof out), 0);
    CHECK(strstr(out, "we see 100 (its own copy)") != NULL);
    CHECK(strstr(out, "we see 2 (the same memory)") != NULL);

    /* deadlock: both threads end up asleep in futex, as wchan shows. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        execl("/bin/deadlock", "deadlock", (char *)NULL);
        _exit(127);
    }
    int in_futex = 0;
    for (int tries = 0; tries < 100 && in_futex < 3; tries++) {
        sleep_ms(20);
        in_futex = 0;
        char path[300], wchan[64];
        DIR *dir;
        snprintf(path, sizeof path, "/proc/%d/task", pid);
        if (!(dir = opendir(path)))
            continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "/proc/%d/task/%s/wchan", pid, e->d_name);
            FILE *f = fopen(path, "r");
            if (f && fgets(wchan, sizeof wchan, f) && strncmp(wchan, "futex", 5) == 0)
                in_futex++;
            if (f)
                fclose(f);
        }
        closedir(dir);
    }
    CHECK_EQ(in_futex, 3); /* the main thread in pthread_join, A and B on the mutexes */
    kill(pid, SIGKILL);
    wait_status(pid);
}

struct clone3_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static long clone3(struct clone3_args *args, size_t size) { return syscall(435, args, size); }

static void clone3_forks_and_checks_its_arguments(void)
{
    struct clone3_args a = {.exit_signal = SIGCHLD};
    long pid = clone3(&a, sizeof a);
    if (pid == 0)
        _exit(5);
    CHECK(pid > 0);
    int status = wait_status((pid_t)pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 5);

    static char big[8192];
    memcpy(big, &a, sizeof a);
    CHECK_ERRNO(clone3(&a, 32), EINVAL);           /* smaller than the first version */
    CHECK_ERRNO(clone3((void *)big, 4097), E2BIG); /* more than a page */
    big[200] = 1;                                  /* an unknown field that is not zero */
    CHECK_ERRNO(clone3((void *)big, 256), E2BIG);
    CHECK_ERRNO(clone3(NULL, sizeof a), EFAULT);
    struct clone3_args bad = {.flags = SIGCHLD}; /* the signal has its own field */
    CHECK_ERRNO(clone3(&bad, sizeof bad), EINVAL);
    bad = (struct clone3_args){.exit_signal = 0x100};
    CHECK_ERRNO(clone3(&bad, sizeof bad), EINVAL);
    bad = (struct clone3_args){.stack = (uintptr_t)big}; /* a stack needs its size */
    CHECK_ERRNO(clone3(&bad, sizeof bad), EINVAL);
    bad = (struct clone3_args){.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM,
                               .exit_signal = SIGCHLD}; /* threads send no exit signal */
    CHECK_ERRNO(clone3(&bad, sizeof bad), EINVAL);
    bad = (struct clone3_args){.flags = CLONE_THREAD | CLONE_VM};
    CHECK_ERRNO(clone3(&bad, sizeof bad), EINVAL);
}

static void affinity_of_threads(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    CHECK_EQ(sched_setaffinity(0, sizeof set, &set), 0);
    CHECK_EQ(sched_getaffinity(0, sizeof set, &set), 0);
    CHECK(CPU_ISSET(0, &set));
    CPU_ZERO(&set);
    CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), EINVAL); /* no CPU at all */
    CHECK_ERRNO(syscall(SYS_sched_setaffinity, 0, sizeof set, NULL), EFAULT);
    CPU_SET(0, &set);
    CHECK_ERRNO(sched_setaffinity(999999, sizeof set, &set), ESRCH);
}

static void many_threads_come_and_go(void)
{
    /* Thread stacks, kernel stacks and task structures all come back: after
     * a warm-up (the kernel heap keeps its slabs), 1000 more threads (10,000
     * in make soak) leave free memory where it was.  (Only on sprout: Linux's
     * MemFree moves with everything else the machine does.) */
    create_and_join(100);
    sleep_ms(20);
    long before = mem_free_kb();
    create_and_join(soak_or(1000, 10000));
    sleep_ms(20);
    long after = mem_free_kb();
    if (is_sprout() && after < before - 64)
        utest_fail(__FILE__, __LINE__, "MemFree went from %ld kB to %ld kB", before, after);
}

/* --- /proc/PID/task and ps -L ------------------------------------------------- */

static pthread_barrier_t hold;

static void *wait_at_barrier(void *arg)
{
    *(volatile long *)arg = gettid_now();
    pthread_barrier_wait(&hold);
    return NULL;
}

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    for (const char *at = text; (at = strstr(at, needle)); at += strlen(needle))
        n++;
    return n;
}

static void read_text(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    size_t n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
}

static void proc_task_lists_threads(void)
{
    volatile long tids[2] = {0, 0};
    pthread_t threads[2];
    CHECK_EQ(pthread_barrier_init(&hold, NULL, 3), 0);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(pthread_create(&threads[i], NULL, wait_at_barrier, (void *)&tids[i]), 0);
    while (!tids[0] || !tids[1])
        sleep_ms(1);

    char path[128], text[4096], want[64];
    read_text("/proc/self/status", text, sizeof text);
    CHECK(strstr(text, "Threads:\t3\n") != NULL);
    snprintf(want, sizeof want, "Tgid:\t%d\n", getpid());
    CHECK(strstr(text, want) != NULL);
    /* /proc/self/task: one directory per thread, ours included. */
    int found = 0;
    DIR *dir = opendir("/proc/self/task");
    CHECK(dir != NULL);
    struct dirent *e;
    while ((e = readdir(dir))) {
        long tid = atol(e->d_name);
        found += tid == getpid() || tid == tids[0] || tid == tids[1];
    }
    closedir(dir);
    CHECK_EQ(found, 3);
    /* A thread's own status: its Pid is its TID, its Tgid the process. */
    snprintf(path, sizeof path, "/proc/%d/task/%ld/status", getpid(), tids[1]);
    read_text(path, text, sizeof text);
    snprintf(want, sizeof want, "Pid:\t%ld\n", tids[1]);
    CHECK(strstr(text, want) != NULL);
    snprintf(want, sizeof want, "Tgid:\t%d\n", getpid());
    CHECK(strstr(text, want) != NULL);
    snprintf(path, sizeof path, "/proc/%d/task/%ld/stat", getpid(), tids[0]);
    read_text(path, text, sizeof text);
    CHECK_EQ(atol(text), tids[0]);
    /* The /proc listing shows processes, not threads. */
    dir = opendir("/proc");
    CHECK(dir != NULL);
    while ((e = readdir(dir)))
        CHECK(atol(e->d_name) != tids[0] && atol(e->d_name) != tids[1]);
    closedir(dir);
    if (is_sprout()) { /* /proc/PID/task/TID/sched names its thread */
        snprintf(path, sizeof path, "/proc/%d/task/%ld/sched", getpid(), tids[0]);
        read_text(path, text, sizeof text);
        snprintf(want, sizeof want, "tid: %ld\ntgid: %d\nthreads: 3\n", tids[0], getpid());
        CHECK(strstr(text, want) != NULL);
    }
    if (is_sprout()) { /* ps -L: a row per thread, LWP after PID */
        FILE *ps = popen("/bin/ps -L", "r");
        CHECK(ps != NULL);
        size_t n = fread(text, 1, sizeof text - 1, ps);
        text[n] = '\0';
        CHECK_EQ(pclose(ps), 0);
        CHECK(strstr(text, "  PID   LWP") != NULL);
        for (int i = 0; i < 2; i++) {
            snprintf(want, sizeof want, "%5d %5ld ", getpid(), tids[i]);
            CHECK_EQ(count_lines_with(text, want), 1);
        }
        /* pstree: the two threads hang below us; top -H: a row each. */
        char command[64];
        snprintf(command, sizeof command, "/bin/pstree %d", getpid());
        CHECK_EQ(run_command(command, text, sizeof text), 0);
        CHECK_STR(text, "t_pthread-+-sh---pstree\n" /* popen's shell, and its child */
                        "          `-2*[{t_pthread}]\n");
        CHECK_EQ(run_command("/bin/top -b -H -n 1 -d 0.1", text, sizeof text), 0);
        for (int i = 0; i < 2; i++) {
            snprintf(want, sizeof want, "\n%5ld %-8s S ", tids[i],
                     getuid() == 0 ? "root" : "student"); /* PID USER S */
            CHECK_EQ(count_lines_with(text, want), 1);
        }
    }
    pthread_barrier_wait(&hold);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
}

static const struct utest_case cases[] = {
    UTEST(create_join_and_ids),
    UTEST(mutex_counter_is_exact),
    UTEST(condvar_signal_and_broadcast),
    UTEST(condvar_timedwait_times_out),
    UTEST(tls_is_per_thread),
    UTEST(mutex_kinds),
    UTEST(rwlock_and_barrier),
    UTEST(unnamed_semaphores),
    UTEST(cancel_and_detach),
    UTEST(pthread_kill_reaches_that_thread),
    UTEST(blocked_everywhere_waits_for_the_process),
    UTEST(main_thread_exits_first),
    UTEST(exit_ends_one_thread_exit_group_all),
    UTEST(fatal_signal_kills_every_thread),
    UTEST(execve_from_a_thread),
    UTEST(stop_and_continue_every_thread),
    UTEST(robust_mutex_owner_died),
    UTEST(robust_mutex_owner_killed),
    UTEST(robust_list_calls),
    UTEST(bad_clone_flags),
    UTEST(clone3_forks_and_checks_its_arguments),
    UTEST(affinity_of_threads),
    UTEST(cpu_time_counts_every_thread),
    UTEST(strace_follows_threads),
    UTEST(priority_inheritance_mutexes),
    UTEST(clone_fs_shares_cwd_and_umask),
    UTEST(job_control_after_the_main_thread_exits),
    UTEST(thread_demos),
    UTEST(many_threads_come_and_go),
    UTEST(proc_task_lists_threads),
};
UTEST_MAIN("pthread", cases)
