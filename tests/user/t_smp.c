/*
 * t_smp.c - processes on several CPUs (docs/smp.md, stage 2): CPU affinity
 * (sched_setaffinity/getaffinity, their bad arguments as Linux answers
 * them), a process pinned to a CPU runs there (/proc/PID/stat field 39),
 * two CPU hogs each get a CPU, a pipe ping-pong of thousands of rounds loses
 * no wake-up, and a fork/exit/wait storm reaps every child and gives its
 * memory back.  The per-CPU run queues (sched/runqueue.h): four hogs with no
 * affinity end up two on each CPU, an idle CPU pulls a process queued on a
 * busy one, wake-ups across CPUs (pipes, futexes, wait4) are never lost, and
 * fork/exit/wait storms from several parents at once reap everything, and a
 * PI lock shared by two CPUs never loses a user-space unlock to the kernel.
 *
 * It runs in every test_user boot (one CPU: the multi-CPU cases check the
 * one-CPU answer) and in test_smp's boot with two CPUs and smp=on.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "tests/user/utest.h"

#define FUTEX_WAIT 0 /* musl has no <linux/futex.h> */
#define FUTEX_WAKE 1

static int cpus_that_run_processes(void)
{
    cpu_set_t set;
    CHECK_EQ(sched_getaffinity(0, sizeof set, &set), 0);
    return CPU_COUNT(&set);
}

/* Field 39 of /proc/PID/stat: the CPU the process runs or last ran on. */
static int processor_of(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    char *p = strrchr(text, ')'); /* after the name, which may hold spaces */
    if (!p)
        return -1;
    int field = 2;
    for (; *p && field < 39; p++)
        if (*p == ' ')
            field++;
    return atoi(p);
}

/* The "cpu: N" line of /proc/PID/sched (where it runs, is queued, or last ran). */
static int sched_cpu_of(pid_t pid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/sched", (int)pid);
    FILE *f = fopen(path, "r");
    int cpu = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "cpu: %d", &cpu) == 1)
            break;
    if (f)
        fclose(f);
    return cpu;
}

/* Write "clear", "on" or "off" to /proc/schedtrace. */
static void trace_control(const char *command)
{
    int fd = open("/proc/schedtrace", O_WRONLY);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, command, strlen(command)), (ssize_t)strlen(command));
    close(fd);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void empty_mask_gives_einval(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), EINVAL);
}

static void mask_of_absent_cpus_gives_einval(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(63, &set); /* no such CPU */
    CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), EINVAL);
    CPU_ZERO(&set);
    CPU_SET(cpus_that_run_processes(), &set); /* one past the last CPU that runs processes */
    CHECK_ERRNO(sched_setaffinity(0, sizeof set, &set), EINVAL);
}

static void bad_pointers_give_efault(void)
{
    CHECK_ERRNO(syscall(SYS_sched_setaffinity, 0, 8, (void *)1), EFAULT);
    CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0, 8, (void *)1), EFAULT);
}

static void bad_sizes_and_pids(void)
{
    unsigned long mask;
    CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0, 4, &mask), EINVAL); /* smaller than the mask */
    CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0, 9, &mask), EINVAL); /* not whole longs */
    CHECK_ERRNO(syscall(SYS_sched_getaffinity, 99999, 8, &mask), ESRCH);
    mask = 1;
    CHECK_ERRNO(syscall(SYS_sched_setaffinity, 99999, 8, &mask), ESRCH);
    CHECK_EQ(syscall(SYS_sched_getaffinity, 0, 8, &mask), 8); /* the bytes written */
}

static void other_users_process_needs_cap_sys_nice(void)
{
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    pid_t meddler = fork();
    if (meddler == 0) {
        if (setuid(1000) != 0)
            _exit(2);
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        _exit(sched_setaffinity(child, sizeof set, &set) == -1 && errno == EPERM ? 0 : 1);
    }
    int status;
    CHECK_EQ(waitpid(meddler, &status, 0), meddler);
    CHECK_EQ(status, 0);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
}

/* Pinned to each CPU in turn, the process is seen running there. */
static void pinned_process_runs_on_its_cpu(void)
{
    int n = cpus_that_run_processes();
    for (int cpu = 0; cpu < n; cpu++) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        CHECK_EQ(sched_setaffinity(0, sizeof set, &set), 0);
        sched_yield(); /* moves at the latest here */
        CHECK_EQ(processor_of(getpid()), cpu);
        CHECK_EQ(sched_cpu_of(getpid()), cpu);
        cpu_set_t got;
        CHECK_EQ(sched_getaffinity(0, sizeof got, &got), 0);
        CHECK_EQ(CPU_COUNT(&got), 1);
        CHECK(CPU_ISSET(cpu, &got));
    }
    cpu_set_t all;
    CPU_ZERO(&all);
    for (int cpu = 0; cpu < n; cpu++)
        CPU_SET(cpu, &all);
    CHECK_EQ(sched_setaffinity(0, sizeof all, &all), 0);
}

/* A child inherits its parent's mask (as on Linux). */
static void affinity_is_inherited(void)
{
    cpu_set_t set, saved;
    CHECK_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    CHECK_EQ(sched_setaffinity(0, sizeof set, &set), 0);
    pid_t child = fork();
    if (child == 0) {
        cpu_set_t got;
        _exit(sched_getaffinity(0, sizeof got, &got) == 0 && CPU_COUNT(&got) == 1 &&
                      CPU_ISSET(0, &got)
                  ? 0
                  : 1);
    }
    int status;
    CHECK_EQ(waitpid(child, &status, 0), child);
    CHECK_EQ(status, 0);
    CHECK_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
}

/* Two hogs pinned to different CPUs each run there at once: with two CPUs,
 * each gets nearly a whole CPU (CPU time close to the wall time). */
static void two_hogs_each_get_a_cpu(void)
{
    if (cpus_that_run_processes() < 2) {
        printf("  (one CPU runs processes: nothing to share)\n");
        return;
    }
    int pipes[2][2];
    pid_t hog[2];
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(pipe(pipes[i]), 0);
        hog[i] = fork();
        if (hog[i] == 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(i, &set);
            sched_setaffinity(0, sizeof set, &set);
            sched_yield();
            long long start = now_ms();
            volatile unsigned long spin = 0;
            while (now_ms() - start < 1500)
                spin++;
            struct timespec cpu;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
            long long used = (long long)cpu.tv_sec * 1000 + cpu.tv_nsec / 1000000;
            int where = processor_of(getpid());
            long long report[2] = {used, where};
            write(pipes[i][1], report, sizeof report);
            _exit(0);
        }
        close(pipes[i][1]);
    }
    long long report[2][2];
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(read(pipes[i][0], report[i], sizeof report[i]), (ssize_t)sizeof report[i]);
        close(pipes[i][0]);
        int status;
        CHECK_EQ(waitpid(hog[i], &status, 0), hog[i]);
    }
    printf("  hog 0: CPU %lld, %lld ms of CPU; hog 1: CPU %lld, %lld ms of CPU (1500 ms wall)\n",
           report[0][1], report[0][0], report[1][1], report[1][0]);
    CHECK_EQ(report[0][1], 0);
    CHECK_EQ(report[1][1], 1);
    /* One CPU would give them about 750 ms each. */
    CHECK(report[0][0] > 1000 && report[1][0] > 1000);
}

/* Ping-pong over two pipes: every round a sleeper must be woken. */
static void pipe_ping_pong_loses_no_wakeup(void)
{
    /* A few thousand rounds across CPUs; fewer on one CPU, to keep test_user short. */
    const int ROUNDS = cpus_that_run_processes() > 1 ? 3000 : 1000;
    int to_child[2], to_parent[2];
    CHECK_EQ(pipe(to_child), 0);
    CHECK_EQ(pipe(to_parent), 0);
    pid_t child = fork();
    if (child == 0) {
        unsigned v;
        for (int i = 0; i < ROUNDS; i++) {
            if (read(to_child[0], &v, sizeof v) != sizeof v)
                _exit(1);
            v++;
            if (write(to_parent[1], &v, sizeof v) != sizeof v)
                _exit(2);
        }
        _exit(0);
    }
    unsigned v = 0;
    for (int i = 0; i < ROUNDS; i++) {
        CHECK_EQ(write(to_child[1], &v, sizeof v), (ssize_t)sizeof v);
        CHECK_EQ(read(to_parent[0], &v, sizeof v), (ssize_t)sizeof v);
    }
    CHECK_EQ(v, (unsigned)ROUNDS);
    int status;
    CHECK_EQ(waitpid(child, &status, 0), child);
    CHECK_EQ(status, 0);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
}

static long memfree_kib(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

/* Waves of children that exit at once, reaped by wait: all come back, and so does the memory. */
static void fork_exit_wait_storm_reaps_all(void)
{
    long before = memfree_kib();
    int waves = cpus_that_run_processes() > 1 ? 20 : 8;
    for (int wave = 0; wave < waves; wave++) {
        pid_t kids[16];
        for (int i = 0; i < 16; i++) {
            kids[i] = fork();
            if (kids[i] == 0)
                _exit(i);
            CHECK(kids[i] > 0);
        }
        int reaped = 0, sum = 0, status;
        pid_t pid;
        while ((pid = wait(&status)) > 0) {
            reaped++;
            sum += WEXITSTATUS(status);
        }
        CHECK_EQ(errno, ECHILD);
        CHECK_EQ(reaped, 16);
        CHECK_EQ(sum, 120);
    }
    long after = memfree_kib();
    printf("  MemFree %ld kB before, %ld kB after %d children\n", before, after, waves * 16);
    CHECK(after > before - 256); /* a little slack for caches */
}

/* A CPU-bound child with no affinity (killed by the caller). */
static pid_t start_hog(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        volatile unsigned long spin = 0;
        for (;;)
            spin++;
    }
    return pid;
}

static void stop_hogs(pid_t *hogs, int n)
{
    for (int i = 0; i < n; i++)
        kill(hogs[i], SIGKILL);
    for (int i = 0; i < n; i++)
        waitpid(hogs[i], NULL, 0);
}

/* Four hogs with no affinity: the wake-up placement and the balancer spread
 * them two per CPU (one CPU: all four on CPU 0).  Sampled from field 39 for
 * a second, most samples must show the even spread, and the last one too. */
static void four_hogs_spread_two_per_cpu(void)
{
    int ncpus = cpus_that_run_processes();
    pid_t hogs[4];
    trace_control("clear");
    trace_control("on");
    for (int i = 0; i < 4; i++)
        CHECK((hogs[i] = start_hog()) > 0);
    int samples = 0, even = 0, last[2] = {0, 0};
    usleep(200 * 1000); /* settle */
    for (int round = 0; round < (ncpus > 1 ? 10 : 4); round++) {
        int on[2] = {0, 0};
        for (int i = 0; i < 4; i++) {
            int cpu = processor_of(hogs[i]);
            if (cpu == 0 || cpu == 1)
                on[cpu]++;
        }
        samples++;
        even += ncpus > 1 ? on[0] == 2 && on[1] == 2 : on[0] == 4;
        last[0] = on[0];
        last[1] = on[1];
        usleep(100 * 1000);
    }
    trace_control("off");
    stop_hogs(hogs, 4);
    printf("  %d of %d samples spread evenly; last: %d on CPU 0, %d on CPU 1\n", even, samples,
           last[0], last[1]);
    /* The trace says which CPU switched to each hog: "T switch A B reason cpu=N". */
    int switched_to[2] = {0, 0};
    FILE *f = fopen("/proc/schedtrace", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        int from, to, cpu;
        char reason[32];
        if (sscanf(line, "%*u switch %d %d %31s", &from, &to, reason) != 3)
            continue;
        char *at = strstr(line, " cpu=");
        CHECK(at != NULL); /* every switch line says its CPU */
        cpu = at ? atoi(at + 5) : -1;
        for (int i = 0; i < 4; i++)
            if (to == hogs[i] && (cpu == 0 || cpu == 1))
                switched_to[cpu]++;
    }
    if (f)
        fclose(f);
    printf("  trace: switches to the hogs on CPU 0: %d, on CPU 1: %d\n", switched_to[0],
           switched_to[1]);
    CHECK(switched_to[0] > 0);
    if (ncpus > 1)
        CHECK(switched_to[1] > 0);
    else
        CHECK_EQ(switched_to[1], 0);
    CHECK(even * 4 >= samples * 3);
    CHECK_EQ(last[0], ncpus > 1 ? 2 : 4);
    CHECK_EQ(last[1], ncpus > 1 ? 2 : 0);
}

/* "pulls N" of cpuN's line in /proc/sched: processes it pulled while balancing. */
static long pulls_of(int cpu)
{
    FILE *f = fopen("/proc/sched", "r");
    char line[512];
    long pulls = -1;
    int which;
    while (f && fgets(line, sizeof line, f)) {
        char *at = strstr(line, " pulls ");
        if (sscanf(line, "cpu%d ", &which) == 1 && which == cpu && at)
            pulls = atol(at + 7);
    }
    if (f)
        fclose(f);
    return pulls;
}

/* Three hogs queued on CPU 0 (pinned there), then allowed everywhere: none of
 * them wakes up, so only a pull can move one; idle CPU 1 pulls one within a
 * few ticks, and /proc/sched counts the pull. */
static void idle_cpu_pulls_work(void)
{
    int ncpus = cpus_that_run_processes();
    cpu_set_t only0, all;
    CPU_ZERO(&only0);
    CPU_SET(0, &only0);
    CPU_ZERO(&all);
    for (int cpu = 0; cpu < ncpus; cpu++)
        CPU_SET(cpu, &all);
    cpu_set_t saved;
    CHECK_EQ(sched_getaffinity(0, sizeof saved, &saved), 0);
    CHECK_EQ(sched_setaffinity(0, sizeof only0, &only0), 0); /* the children inherit it */
    pid_t hogs[3];
    for (int i = 0; i < 3; i++)
        CHECK((hogs[i] = start_hog()) > 0);
    CHECK_EQ(sched_setaffinity(0, sizeof saved, &saved), 0);
    usleep(100 * 1000);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(processor_of(hogs[i]), 0);
    long pulls_before = pulls_of(ncpus - 1);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(sched_setaffinity(hogs[i], sizeof all, &all), 0);
    int moved = 0;
    int patience_ms = ncpus > 1 ? 2000 : 100; /* one CPU: nowhere to move to */
    for (int waited = 0; waited < patience_ms && !moved; waited += 20) {
        usleep(20 * 1000);
        for (int i = 0; i < 3; i++)
            moved += processor_of(hogs[i]) != 0;
    }
    long pulls_after = pulls_of(ncpus - 1);
    /* Narrowed to the last CPU, queued and running hogs alike move there. */
    cpu_set_t last;
    CPU_ZERO(&last);
    CPU_SET(ncpus - 1, &last);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(sched_setaffinity(hogs[i], sizeof last, &last), 0);
    int there = 0;
    for (int waited = 0; waited < 2000 && there < 3; waited += 20) {
        usleep(20 * 1000);
        there = 0;
        for (int i = 0; i < 3; i++)
            there += processor_of(hogs[i]) == ncpus - 1;
    }
    stop_hogs(hogs, 3);
    CHECK_EQ(there, 3);
    printf("  %d hog(s) moved off CPU 0; CPU %d pulled %ld\n", moved, ncpus - 1,
           pulls_after - pulls_before);
    CHECK(pulls_before >= 0); /* /proc/sched has a line per CPU */
    if (ncpus > 1) {
        CHECK(moved >= 1);
        CHECK(pulls_after > pulls_before);
    } else {
        CHECK_EQ(moved, 0);
    }
}

/* Pipe ping-pong in a child pair: `rounds` wake-ups each way. */
static pid_t start_pipe_pair(int rounds)
{
    pid_t pair = fork();
    if (pair != 0)
        return pair;
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent))
        _exit(10);
    pid_t child = fork();
    if (child == 0) {
        unsigned v;
        for (int i = 0; i < rounds; i++)
            if (read(to_child[0], &v, sizeof v) != sizeof v || (v++, 0) ||
                write(to_parent[1], &v, sizeof v) != sizeof v)
                _exit(1);
        _exit(0);
    }
    unsigned v = 0;
    for (int i = 0; i < rounds; i++)
        if (write(to_child[1], &v, sizeof v) != sizeof v ||
            read(to_parent[0], &v, sizeof v) != sizeof v)
            _exit(11);
    int status;
    _exit(waitpid(child, &status, 0) == child && status == 0 && v == (unsigned)rounds ? 0 : 12);
}

static long futex(volatile int *word, int op, int value)
{
    return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

/* Futex ping-pong between two processes sharing a page: each waits for its
 * turn (FUTEX_WAIT while the word says the other's), then hands it over. */
static pid_t start_futex_pair(int rounds)
{
    pid_t pair = fork();
    if (pair != 0)
        return pair;
    volatile int *turn =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (turn == MAP_FAILED)
        _exit(20);
    *turn = 0;
    pid_t child = fork();
    int me = child == 0 ? 1 : 0;
    for (int i = 0; i < rounds; i++) {
        while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != me)
            futex(turn, FUTEX_WAIT, 1 - me);
        __atomic_store_n(turn, 1 - me, __ATOMIC_RELEASE);
        futex(turn, FUTEX_WAKE, 1);
    }
    if (child == 0)
        _exit(0);
    int status;
    _exit(waitpid(child, &status, 0) == child && status == 0 ? 0 : 21);
}

/* wait4 round trips: a child that exits at once, reaped, `rounds` times. */
static pid_t start_wait_loop(int rounds)
{
    pid_t loop = fork();
    if (loop != 0)
        return loop;
    for (int i = 0; i < rounds; i++) {
        pid_t child = fork();
        if (child == 0)
            _exit(i & 0x7f);
        int status;
        if (child < 0 || wait4(child, &status, 0, NULL) != child ||
            WEXITSTATUS(status) != (i & 0x7f))
            _exit(30);
    }
    _exit(0);
}

/* Sleepers woken from the other CPU, thousands of times, all at once: two
 * pipe pairs, two futex pairs and a wait4 loop.  A lost wake-up hangs one
 * of them (the case's timeout says which test). */
static void wakeups_across_cpus_are_not_lost(void)
{
    int many = cpus_that_run_processes() > 1;
    int rounds = many ? 2000 : 300;
    pid_t pids[5] = {start_pipe_pair(rounds), start_pipe_pair(rounds), start_futex_pair(rounds),
                     start_futex_pair(rounds), start_wait_loop(many ? 300 : 50)};
    const char *what[5] = {"pipe pair", "pipe pair", "futex pair", "futex pair", "wait4 loop"};
    for (int i = 0; i < 5; i++) {
        int status;
        CHECK_EQ(waitpid(pids[i], &status, 0), pids[i]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            printf("  %s: status %#x\n", what[i], status);
        CHECK_EQ(status, 0);
    }
}

/* A PI lock taken and released in user space as musl does it (CAS 0 -> TID,
 * CAS TID -> 0; FUTEX_LOCK_PI / FUTEX_UNLOCK_PI only when that fails), by
 * a process pinned to `cpu`, `rounds` times, around a shared counter.
 * Exits 40 if FUTEX_LOCK_PI says it holds the lock already (EDEADLK): the
 * kernel wrote TID|WAITERS back over the unlock this process had just done
 * on its CPU -- the race of a plain store in futex_pi.c, which left a lock
 * held by nobody (musl then waits forever). */
#ifndef FUTEX_LOCK_PI
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#endif
static pid_t start_pi_locker(volatile int *lock, volatile int *counter, volatile int *ready,
                             int cpu, int rounds)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0)
        _exit(41);
    int tid = getpid();
    __atomic_add_fetch(ready, 1, __ATOMIC_ACQ_REL); /* both start together */
    while (__atomic_load_n(ready, __ATOMIC_ACQUIRE) < 2)
        ;
    for (int i = 0; i < rounds; i++) {
        int expected = 0;
        if (!__atomic_compare_exchange_n(lock, &expected, tid, 0, __ATOMIC_ACQUIRE,
                                         __ATOMIC_RELAXED)) {
            if (futex(lock, FUTEX_LOCK_PI, 0) < 0)
                _exit(errno == EDEADLK ? 40 : 42);
            if ((*lock & 0x3fffffff) != tid)
                _exit(43); /* "success" without the lock */
        }
        (*counter)++;
        expected = tid;
        if (!__atomic_compare_exchange_n(lock, &expected, 0, 0, __ATOMIC_RELEASE,
                                         __ATOMIC_RELAXED) &&
            futex(lock, FUTEX_UNLOCK_PI, 0) < 0)
            _exit(44);
    }
    _exit(0);
}

/* Two processes, one pinned to each CPU, share a PI lock: the kernel's
 * updates of the word (FUTEX_WAITERS, the hand-over) race with the other
 * CPU's user-space CAS, and must not undo it.  The count comes out exact. */
static void pi_lock_across_cpus_keeps_user_unlocks(void)
{
    int n = cpus_that_run_processes();
    int rounds = n > 1 ? 5000 : 300;
    volatile int *shared =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    shared[0] = shared[1] = shared[2] = 0; /* the lock, the counter, how many are ready */
    pid_t pids[2] = {start_pi_locker(&shared[0], &shared[1], &shared[2], 0, rounds),
                     start_pi_locker(&shared[0], &shared[1], &shared[2], n > 1 ? 1 : 0, rounds)};
    for (int i = 0; i < 2; i++) {
        int status;
        CHECK_EQ(waitpid(pids[i], &status, 0), pids[i]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            printf("  locker %d: status %#x\n", i, status);
        CHECK_EQ(status, 0);
    }
    CHECK_EQ(shared[1], 2 * rounds);
    CHECK_EQ(shared[0], 0);
}

/* Three parents fork and reap waves of children at once, on both CPUs. */
static void fork_storms_from_several_parents(void)
{
    long before = memfree_kib();
    int waves = cpus_that_run_processes() > 1 ? 10 : 3;
    pid_t parents[3];
    for (int k = 0; k < 3; k++) {
        parents[k] = fork();
        if (parents[k] == 0) {
            for (int wave = 0; wave < waves; wave++) {
                for (int i = 0; i < 8; i++) {
                    pid_t kid = fork();
                    if (kid == 0)
                        _exit(i);
                    if (kid < 0)
                        _exit(40);
                }
                int reaped = 0, sum = 0, status;
                while (wait(&status) > 0) {
                    reaped++;
                    sum += WEXITSTATUS(status);
                }
                if (errno != ECHILD || reaped != 8 || sum != 28)
                    _exit(41);
            }
            _exit(0);
        }
    }
    for (int k = 0; k < 3; k++) {
        int status;
        CHECK_EQ(waitpid(parents[k], &status, 0), parents[k]);
        CHECK_EQ(status, 0);
    }
    long after = memfree_kib();
    printf("  MemFree %ld kB before, %ld kB after 3 x %d children\n", before, after, waves * 8);
    CHECK(after > before - 256);
}

static const struct utest_case cases[] = {
    UTEST(empty_mask_gives_einval),
    UTEST(mask_of_absent_cpus_gives_einval),
    UTEST(bad_pointers_give_efault),
    UTEST(bad_sizes_and_pids),
    UTEST(other_users_process_needs_cap_sys_nice),
    UTEST(pinned_process_runs_on_its_cpu),
    UTEST(affinity_is_inherited),
    UTEST(two_hogs_each_get_a_cpu),
    UTEST(pipe_ping_pong_loses_no_wakeup),
    UTEST(fork_exit_wait_storm_reaps_all),
    UTEST(four_hogs_spread_two_per_cpu),
    UTEST(idle_cpu_pulls_work),
    UTEST(wakeups_across_cpus_are_not_lost),
    UTEST(fork_storms_from_several_parents),
    UTEST(pi_lock_across_cpus_keeps_user_unlocks),
};
UTEST_MAIN("smp", cases)
