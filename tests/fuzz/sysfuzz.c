/*
 * sysfuzz - random system calls with interesting arguments, to find the calls
 * that crash, freeze or leak the kernel.
 *
 *   sysfuzz [-t SECONDS] [-s SEED] [-w WORKERS] [-x NAME,NAME...]
 *
 * -x leaves out the named calls (to look past a bug already known).
 *
 * Runs inside sprout (or Linux, to compare).  Layout:
 *
 *   supervisor (this process: never makes a random call)
 *     |  every 250 ms: was my own sleep late?  (a frozen kernel makes it late)
 *     |  every second: "fuzz: alive ..." heartbeat for the host
 *     +-- worker 1  random calls, each first written to a ring in shared memory
 *     +-- worker 2  ...    a worker that dies (it will: munmap of its own code,
 *                          SIGSEGV, exit) is replaced by a new one with the
 *                          next seed; one that makes no progress for 5 s is
 *                          reported with its last calls and killed.
 *
 * Every argument comes from a table of values that find bugs: 0, -1, page
 * sizes, lengths near 2^31, 2^63 and 2^64, kernel addresses, non-canonical
 * addresses, valid user buffers, open descriptors.  A few calls would end the
 * experiment rather than test the kernel (reboot, kill of other processes,
 * vfork, clone sharing memory): they are skipped or their target is forced
 * to the worker's own process group.
 *
 * The last lines: "fuzz: done: N calls, W workers started, latest sleep K ms
 * late, MemFree A -> B kB" and the exit status 0, or 1 if the supervisor's
 * own sleep was ever late by more than a second (the machine froze).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ftw.h>
#include <unistd.h>

#include "tests/fuzz/fuzz_random.h"

#include "syscall_names.h"

#define MAX_WORKERS 8
#define RING_SIZE 32    /* calls remembered per worker */
#define STUCK_SECONDS 5 /* no progress this long: report and kill the worker */
#define FROZEN_MS 1000  /* supervisor's sleep this late: the machine froze */
#define STATES_HINT 0x500000000000ULL
#define HIGHEST_NR 460 /* numbers above the table too: they must be ENOSYS */

struct call_record {
    uint64_t nr, args[6];
};

/* One page per worker, shared with the supervisor (MAP_SHARED). */
struct worker_state {
    volatile uint64_t calls; /* calls started */
    volatile uint64_t seed;
    struct call_record ring[RING_SIZE];
};

static struct worker_state *states;

/* --- interesting argument values ------------------------------------------- */

static char *buffer; /* 64 KiB of valid, writable memory */
#define BUFFER_SIZE (64 * 1024)
static const char *const paths[] = {
    "/tmp/fz",
    "/tmp/fz/a",
    "/tmp/fz/b/c",
    "/tmp",
    "/",
    "",
    ".",
    "..",
    "/proc/self/status",
    "/proc/self/maps",
    "/proc/1/mem",
    "/dev/null",
    "/dev/zero",
    "/dev/tty",
    "/tmp/fz/prog",
    "/proc",
    "/dev",
    "/tmp/fz/link",
    "/nonexistent/x",
};

static uint64_t interesting_number(void)
{
    static const uint64_t numbers[] = {
        0,
        1,
        2,
        3,
        7,
        16,
        64,
        255,
        256,
        4095,
        4096,
        4097,
        65536,
        1u << 20,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000ULL,
        1ULL << 40,
        1ULL << 47,
        1ULL << 50,
        0x7fffffffffffULL,
        0x7ffffffff000ULL,
        0x8000000000000000ULL,
        0x7fffffffffffffffULL,
        ~0ULL,
        ~0ULL - 4095,
        (uint64_t)-2,
        (uint64_t)-4096,
        0xffffffff80000000ULL,
        0xffffffff80100000ULL,
        0xffffffff80129000ULL,
        0xffff800000000000ULL,
        0x400000,
        0x401000,
    };
    return numbers[random_below(sizeof numbers / sizeof numbers[0])];
}

static uint64_t interesting_pointer(void)
{
    switch (random_below(6)) {
    case 0:
        return (uint64_t)(buffer + random_below(BUFFER_SIZE));
    case 1:
        return (uint64_t)buffer;
    case 2:
        return (uint64_t)paths[random_below(sizeof paths / sizeof paths[0])];
    case 3:
        return (uint64_t)(buffer + BUFFER_SIZE - random_below(16)); /* runs off the end */
    case 4:
        return (uint64_t)&rng; /* the stack-ish data */
    default:
        return interesting_number();
    }
}

static uint64_t random_argument(void)
{
    switch (random_below(8)) {
    case 0:
    case 1:
        return interesting_number();
    case 2:
    case 3:
        return interesting_pointer();
    case 4:
        return random_below(12); /* a descriptor, a small flag */
    case 5:
        return 1ULL << random_below(64); /* one flag bit */
    case 6:
        return random64() & 0xffff;
    default:
        return random64();
    }
}

/* --- the worker --------------------------------------------------------- */

/* Calls that would test something other than the kernel's robustness. */
static unsigned char excluded[HIGHEST_NR + 50]; /* -x */

static int skipped(uint64_t nr, uint64_t *args)
{
    if (nr < sizeof excluded && excluded[nr])
        return 1;
    switch (nr) {
    case SYS_reboot:
    case SYS_vfork:
    case SYS_pause:
        return 1;
    case SYS_clone:
        return (args[0] & CLONE_VM) != 0; /* shared memory with a random stack: not a test */
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_rt_sigqueueinfo:
    case SYS_rt_tgsigqueueinfo:
    case SYS_ptrace:
    case SYS_setpgid:
    case SYS_setpriority:
    case SYS_sched_setscheduler:
    case SYS_sched_setparam:
    case SYS_prlimit64:
        /* Only ourselves or our own group: pid/tgid 0 or our pid. */
        args[0] = random_below(2) ? 0 : (uint64_t)getpid();
        if (nr == SYS_tgkill)
            args[1] = args[0];
        if (nr == SYS_ptrace)
            args[1] = (uint64_t)getpid();
        return 0;
    default:
        return 0;
    }
}

static void worker_run(struct worker_state *state, uint64_t seed)
{
    rng = seed ? seed : 1;
    state->seed = seed;
    /* Away from the console: random writes to fd 1 and reads of fd 0 would steal it. */
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++)
        dup2(null, fd);
    setpgid(0, 0);
    alarm(0);
    mkdir("/tmp/fz", 0755);
    for (;;) {
        uint64_t nr =
            random_below(10) == 0 ? random64() % (HIGHEST_NR + 50) : random_below(HIGHEST_NR);
        uint64_t args[6];
        for (int i = 0; i < 6; i++)
            args[i] = random_argument();
        if (skipped(nr, args))
            continue;
        struct call_record *slot = &state->ring[state->calls % RING_SIZE];
        slot->nr = nr;
        memcpy(slot->args, args, sizeof args);
        state->calls++;
        long result = syscall((long)nr, args[0], args[1], args[2], args[3], args[4], args[5]);
        /* A new process from fork or clone must not go on fuzzing: that is a fork bomb. */
        if (result == 0 && (nr == SYS_fork || nr == SYS_clone || nr == SYS_clone3))
            _exit(0);
        /* Reap children so they do not pile up as zombies. */
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
    }
}

/* --- the supervisor ------------------------------------------------------- */

static const char *call_name(uint64_t nr)
{
    return nr < SYSCALL_NAMES_COUNT && syscall_names[nr] ? syscall_names[nr] : "?";
}

static void print_ring(int index, struct worker_state *state)
{
    uint64_t end = state->calls, start = end > RING_SIZE ? end - RING_SIZE : 0;
    printf("fuzz: worker %d (seed %llu) last calls, oldest first:\n", index,
           (unsigned long long)state->seed);
    for (uint64_t i = start; i < end; i++) {
        struct call_record *r = &state->ring[i % RING_SIZE];
        printf("fuzz:   #%llu %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n",
               (unsigned long long)i, call_name(r->nr), (unsigned long long)r->args[0],
               (unsigned long long)r->args[1], (unsigned long long)r->args[2],
               (unsigned long long)r->args[3], (unsigned long long)r->args[4],
               (unsigned long long)r->args[5]);
    }
}

static long long mem_free_kb(void)
{
    char text[4096];
    int fd = open("/proc/meminfo", O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    char *line = strstr(text, "MemFree:");
    return line ? atoll(line + 8) : -1;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* What the workers created in /tmp/fz goes, so MemFree can come back. */
static void remove_scratch(void) { nftw("/tmp/fz", remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

struct worker_slot {
    pid_t pid;
    uint64_t last_calls;
    double last_progress_ms;
};

static pid_t start_worker(int index, uint64_t seed)
{
    memset(&states[index], 0, sizeof states[index]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        worker_run(&states[index], seed);
        _exit(0);
    }
    return pid;
}

int main(int argc, char **argv)
{
    long seconds = 10;
    uint64_t seed = (uint64_t)time(NULL);
    int workers = 2, opt;
    while ((opt = getopt(argc, argv, "t:s:w:x:")) != -1) {
        switch (opt) {
        case 'x':
            for (char *name = strtok(optarg, ","); name; name = strtok(NULL, ",")) {
                int found = 0;
                for (int nr = 0; nr < SYSCALL_NAMES_COUNT; nr++)
                    if (syscall_names[nr] && strcmp(syscall_names[nr], name) == 0)
                        excluded[nr] = found = 1;
                if (!found) {
                    fprintf(stderr, "sysfuzz: no system call named %s\n", name);
                    return 2;
                }
            }
            break;
        case 't':
            seconds = atol(optarg);
            break;
        case 's':
            seed = strtoull(optarg, NULL, 0);
            break;
        case 'w':
            workers = atoi(optarg);
            break;
        default:
            fprintf(stderr, "usage: sysfuzz [-t SECONDS] [-s SEED] [-w WORKERS] [-x NAME,...]\n");
            return 2;
        }
    }
    if (workers < 1 || workers > MAX_WORKERS) {
        fprintf(stderr, "sysfuzz: 1 to %d workers\n", MAX_WORKERS);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* The workers' records live far from the buffer they pass to calls, so a
     * call that writes past the buffer's end cannot scribble on them. */
    states = mmap((void *)STATES_HINT, sizeof(struct worker_state) * MAX_WORKERS,
                  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    buffer = mmap(NULL, BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (states == MAP_FAILED || buffer == MAP_FAILED) {
        perror("sysfuzz: mmap");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    long long free_before = mem_free_kb();
    printf("fuzz: seed %llu, %d workers, %ld s, MemFree %lld kB\n", (unsigned long long)seed,
           workers, seconds, free_before);

    struct worker_slot slots[MAX_WORKERS] = {0};
    uint64_t next_seed = seed, started = 0, total_calls = 0, stuck = 0;
    double start = now_ms(), worst_late = 0, last_beat = start;
    for (int i = 0; i < workers; i++) {
        slots[i].pid = start_worker(i, next_seed++);
        slots[i].last_progress_ms = start;
        started++;
    }
    while (now_ms() - start < seconds * 1000.0) {
        double before = now_ms();
        struct timespec tick = {0, 250 * 1000000L};
        nanosleep(&tick, NULL);
        double late = now_ms() - before - 250;
        if (late > worst_late)
            worst_late = late;
        if (late > FROZEN_MS)
            printf("fuzz: the supervisor's 250 ms sleep was %.0f ms late\n", late);

        /* Replace dead workers; report and kill stuck ones. */
        int status;
        pid_t dead;
        while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
            for (int i = 0; i < workers; i++) {
                if (slots[i].pid != dead)
                    continue;
                total_calls += states[i].calls;
                slots[i].pid = start_worker(i, next_seed++);
                slots[i].last_calls = 0;
                slots[i].last_progress_ms = now_ms();
                started++;
            }
        }
        for (int i = 0; i < workers; i++) {
            if (states[i].calls != slots[i].last_calls) {
                slots[i].last_calls = states[i].calls;
                slots[i].last_progress_ms = now_ms();
            } else if (now_ms() - slots[i].last_progress_ms > STUCK_SECONDS * 1000.0) {
                printf("fuzz: worker %d made no progress for %d s (a blocking call, or a "
                       "kernel loop)\n",
                       i, STUCK_SECONDS);
                print_ring(i, &states[i]);
                kill(slots[i].pid, SIGKILL);
                slots[i].last_progress_ms = now_ms();
                stuck++;
            }
        }
        if (now_ms() - last_beat >= 1000) {
            uint64_t running = total_calls;
            for (int i = 0; i < workers; i++)
                running += states[i].calls;
            printf("fuzz: alive %.0f s, %llu calls\n", (now_ms() - start) / 1000,
                   (unsigned long long)running);
            last_beat = now_ms();
        }
    }
    for (int i = 0; i < workers; i++) {
        kill(slots[i].pid, SIGKILL);
        waitpid(slots[i].pid, NULL, 0);
        total_calls += states[i].calls;
    }
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    remove_scratch();
    /* Let exiting processes' memory come back before measuring. */
    struct timespec settle = {0, 500 * 1000000L};
    nanosleep(&settle, NULL);
    long long free_after = mem_free_kb();
    printf("fuzz: done: %llu calls, %llu workers started, %llu stuck, worst sleep %.0f ms late, "
           "MemFree %lld -> %lld kB\n",
           (unsigned long long)total_calls, (unsigned long long)started, (unsigned long long)stuck,
           worst_late, free_before, free_after);
    return worst_late > FROZEN_MS ? 1 : 0;
}
