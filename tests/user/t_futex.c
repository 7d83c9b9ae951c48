/*
 * t_futex.c - futex(2): wait, wake, bitsets, requeue, timeouts and signals,
 * between processes that share a MAP_SHARED page (threads are tested in
 * t_pthread.c), FUTEX_WAKE_OP, the PI operations' owner-TID protocol, plus
 * gettid/tkill and the bad-argument cases.  Runs on Linux too.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>

/* Linux's values (musl has no <linux/futex.h>). */
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
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
/* FUTEX_WAKE_OP's val3: op and cmp, each with its argument */
#define FUTEX_OP(op, oparg, cmp, cmparg)                                                           \
    ((unsigned)(((op)&15) << 28) | (((cmp)&15) << 24) | (((oparg)&0xfff) << 12) | ((cmparg)&0xfff))
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

static long futex(void *uaddr, int op, unsigned val, const void *timeout_or_val2, void *uaddr2,
                  unsigned val3)
{
    return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

/* A page shared with the children we fork. */
static uint32_t *shared_words(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    memset(p, 0, 4096);
    return p;
}

/* Wake one waiter on word (op: FUTEX_WAKE or a variant), retrying until a
 * child has gone to sleep there; returns how many the successful call woke. */
static long wake_when_waiting(uint32_t *word, int op, unsigned count)
{
    for (int tries = 0; tries < 500; tries++) {
        long woken = futex(word, op, count, NULL, NULL, FUTEX_BITSET_MATCH_ANY);
        if (woken != 0)
            return woken;
        sleep_ms(5);
    }
    return 0;
}

/* A child that waits on word (expecting value 0) and exits 0 when woken. */
static pid_t fork_waiter(uint32_t *word, int op, unsigned bitset)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        long r = futex(word, op, 0, NULL, NULL, bitset);
        _exit(r == 0 ? 0 : 10 + errno);
    }
    return pid;
}

static void wake_without_waiters_wakes_nobody(void)
{
    uint32_t word = 0;
    CHECK_EQ(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0), 0);
    CHECK_EQ(futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0), 0);
}

static void wait_on_changed_value_is_eagain(void)
{
    uint32_t word = 5;
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0), EAGAIN);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0), EAGAIN);
}

static void wait_times_out(void)
{
    uint32_t word = 0;
    struct timespec rel = {0, 50 * 1000000L};
    double t0 = now_seconds();
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0), ETIMEDOUT);
    CHECK(now_seconds() - t0 >= 0.045);
    /* WAIT_BITSET takes an absolute time, CLOCK_MONOTONIC or (flag) CLOCK_REALTIME. */
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 30 * 1000000L;
    if (abs.tv_nsec >= 1000000000L)
        abs.tv_sec++, abs.tv_nsec -= 1000000000L;
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
    CHECK(now_seconds() - t0 >= 0.07);
    clock_gettime(CLOCK_REALTIME, &abs); /* already in the past a moment later */
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, ~0u),
                ETIMEDOUT);
    /* A zero relative timeout returns at once. */
    struct timespec zero = {0, 0};
    CHECK_ERRNO(futex(&word, FUTEX_WAIT, 0, &zero, NULL, 0), ETIMEDOUT);
}

static void wake_reaches_another_process(void)
{
    uint32_t *word = shared_words();
    pid_t pid = fork_waiter(word, FUTEX_WAIT, 0);
    CHECK_EQ(wake_when_waiting(word, FUTEX_WAKE, 1), 1);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static void wake_counts_waiters(void)
{
    uint32_t *word = shared_words();
    pid_t pids[3];
    for (int i = 0; i < 3; i++)
        pids[i] = fork_waiter(word, FUTEX_WAIT, 0);
    sleep_ms(100); /* all three asleep */
    CHECK_EQ(futex(word, FUTEX_WAKE, 2, NULL, NULL, 0), 2);
    CHECK_EQ(wake_when_waiting(word, FUTEX_WAKE, 5), 1);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(wait_status(pids[i]), 0);
}

static void private_futexes_stay_in_their_process(void)
{
    uint32_t *word = shared_words();
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct timespec rel = {0, 300 * 1000000L};
        long r = futex(word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
        _exit(r == -1 && errno == ETIMEDOUT ? 0 : 1);
    }
    sleep_ms(50);
    /* Our private key is (our mm, address): the child is not on it. */
    CHECK_EQ(futex(word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
    CHECK_EQ(wait_status(pid), 0);
}

static void bitsets_choose_who_wakes(void)
{
    uint32_t *word = shared_words();
    pid_t pid = fork_waiter(word, FUTEX_WAIT_BITSET, 0x1);
    sleep_ms(50);
    CHECK_EQ(futex(word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x2), 0);
    CHECK_EQ(wake_when_waiting(word, FUTEX_WAKE_BITSET, 1), 1);
    CHECK_EQ(wait_status(pid), 0);
}

static void requeue_moves_waiters(void)
{
    uint32_t *words = shared_words(), *a = &words[0], *b = &words[1];
    pid_t pids[2] = {fork_waiter(a, FUTEX_WAIT, 0), fork_waiter(a, FUTEX_WAIT, 0)};
    sleep_ms(100);
    CHECK_ERRNO(futex(a, FUTEX_CMP_REQUEUE, 0, (void *)2, b, 1), EAGAIN); /* *a is 0, not 1 */
    /* Wake none, move both: CMP_REQUEUE returns woken + moved. */
    CHECK_EQ(futex(a, FUTEX_CMP_REQUEUE, 0, (void *)2, b, 0), 2);
    CHECK_EQ(futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 0);
    CHECK_EQ(futex(b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 2);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(wait_status(pids[i]), 0);
    /* Plain REQUEUE too returns woken + moved (the man page says woken; Linux counts both). */
    pids[0] = fork_waiter(a, FUTEX_WAIT, 0);
    pids[1] = fork_waiter(a, FUTEX_WAIT, 0);
    sleep_ms(100);
    CHECK_EQ(futex(a, FUTEX_REQUEUE, 1, (void *)1, b, 0), 2);
    CHECK_EQ(futex(b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0), 1);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(wait_status(pids[i]), 0);
}

static void on_alarm(int sig) { (void)sig; }

static void signal_interrupts_wait(void)
{
    struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 0}, {0, 50000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
    uint32_t word = 0;
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EINTR);
    struct timespec rel = {5, 0};
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
    CHECK_ERRNO(futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0), EINTR);
}

static void bad_arguments(void)
{
    uint32_t words[2] = {0, 0};
    char *unaligned = (char *)words + 1;
    CHECK_ERRNO(futex(unaligned, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(unaligned, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
    CHECK_ERRNO(futex(NULL, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
    CHECK_ERRNO(futex((void *)0xffff800000000000ull, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
    char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    CHECK_EQ(munmap(page, 4096), 0);
    CHECK_ERRNO(futex(page, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
    struct timespec bad_nsec = {0, 1000000000L}, negative = {-1, 0};
    CHECK_ERRNO(futex(words, FUTEX_WAIT, 0, &bad_nsec, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(words, FUTEX_WAIT, 0, &negative, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(words, FUTEX_WAIT, 0, (void *)16, NULL, 0), EFAULT);
    CHECK_ERRNO(futex(words, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0), EINVAL); /* bitset 0 */
    CHECK_ERRNO(futex(words, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(words, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
    CHECK_ERRNO(futex(words, 99, 0, NULL, NULL, 0), ENOSYS);
    CHECK_ERRNO(futex(words, FUTEX_CMP_REQUEUE, (unsigned)-1, (void *)1, &words[1], 0), EINVAL);
    CHECK_ERRNO(futex(words, FUTEX_CMP_REQUEUE, 1, (void *)1, NULL, 0), EFAULT);
    /* A requeue onto the same word is allowed (Linux refuses it only for PI). */
    CHECK_EQ(futex(words, FUTEX_CMP_REQUEUE, 1, (void *)1, words, 0), 0);
}

/* Wait (up to 2 s) until process pid sleeps in a futex call (its wchan). */
static void wait_until_in_futex(pid_t pid)
{
    char path[64], wchan[64];
    snprintf(path, sizeof path, "/proc/%d/wchan", pid);
    for (int i = 0; i < 400; i++) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, wchan, sizeof wchan - 1) : -1;
        if (fd >= 0)
            close(fd);
        if (n >= 5 && strncmp(wchan, "futex", 5) == 0)
            return;
        sleep_ms(5);
    }
}

/* FUTEX_WAKE_OP: change the second word, wake waiters of the first, and
 * those of the second if the old value passed the comparison. */
static void wake_op_changes_a_word_and_wakes(void)
{
    uint32_t *w = shared_words(); /* w[0], w[1]: the two futexes */
    pid_t a = fork_waiter(&w[0], FUTEX_WAIT, 0), b = fork_waiter(&w[1], FUTEX_WAIT, 0);
    wait_until_in_futex(a);
    wait_until_in_futex(b);
    CHECK_EQ(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, &w[1],
                   FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_EQ, 0)),
             2);
    CHECK_EQ(w[1], 5);
    CHECK_EQ(wait_status(a), 0);
    CHECK_EQ(wait_status(b), 0);
    /* The comparison fails (5 > 100 is false): only the first word's waiter wakes. */
    a = fork_waiter(&w[0], FUTEX_WAIT, 0);
    pid_t c = fork_or_fail();
    if (c == 0)
        _exit(futex(&w[1], FUTEX_WAIT, 5, NULL, NULL, 0) == 0 ? 0 : 1);
    wait_until_in_futex(a);
    wait_until_in_futex(c);
    CHECK_EQ(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, &w[1],
                   FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 100)),
             1);
    CHECK_EQ(w[1], 6);
    CHECK_EQ(wait_status(a), 0);
    CHECK_EQ(futex(&w[1], FUTEX_WAKE, 1, NULL, NULL, 0), 1); /* c still slept */
    CHECK_EQ(wait_status(c), 0);
    /* OPARG_SHIFT: oparg is a bit number. */
    CHECK_EQ(futex(&w[0], FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, &w[1],
                   FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0)),
             0);
    CHECK_EQ(w[1], 6 | 16);
    /* Bad operations and words. */
    CHECK_ERRNO(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, &w[1], FUTEX_OP(6, 0, 0, 0)), ENOSYS);
    CHECK_EQ(w[1], 22);
    CHECK_ERRNO(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, &w[1], FUTEX_OP(0, 9, 9, 0)), ENOSYS);
    CHECK_EQ(w[1], 9); /* a bad comparison comes after the change, as on Linux */
    CHECK_ERRNO(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, (char *)&w[1] + 1, 0), EINVAL);
    CHECK_ERRNO(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, NULL, 0), EFAULT);
    CHECK_ERRNO(futex(NULL, FUTEX_WAKE_OP, 1, (void *)1, &w[1], 0), EFAULT);
    uint32_t *readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(readonly != MAP_FAILED);
    CHECK_ERRNO(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1, readonly, 0), EFAULT);
}

static pid_t my_tid(void) { return (pid_t)syscall(SYS_gettid); }

/* A child that takes the PI lock w[0], says so in w[1], waits until someone
 * waits for it (FUTEX_WAITERS), holds it hold_ms longer and then unlocks it
 * (or exits holding it). */
static pid_t fork_pi_holder(uint32_t *w, long hold_ms, int unlock)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        if (futex(&w[0], FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0) != 0)
            _exit(1);
        w[1] = 1;
        for (int i = 0; i < 400 && !(__atomic_load_n(&w[0], __ATOMIC_SEQ_CST) & FUTEX_WAITERS); i++)
            sleep_ms(5);
        sleep_ms(hold_ms);
        if (unlock && futex(&w[0], FUTEX_UNLOCK_PI, 0, NULL, NULL, 0) != 0)
            _exit(2);
        _exit(0);
    }
    while (!__atomic_load_n(&w[1], __ATOMIC_SEQ_CST))
        sleep_ms(1);
    return pid;
}

/* The PI operations follow Linux's owner-TID protocol on the word. */
static void pi_lock_protocol(void)
{
    uint32_t word = 0;
    CHECK_EQ(futex(&word, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), 0); /* free: ours */
    CHECK_EQ(word, (uint32_t)my_tid());
    CHECK_ERRNO(futex(&word, FUTEX_LOCK_PI, 0, NULL, NULL, 0), EDEADLK);
    CHECK_ERRNO(futex(&word, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EDEADLK);
    CHECK_EQ(futex(&word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), 0); /* no waiters: 0 */
    CHECK_EQ(word, 0);
    CHECK_ERRNO(futex(&word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EPERM); /* not ours */
    word = FUTEX_OWNER_DIED; /* a robust owner died: the next locker takes it, bit kept */
    CHECK_EQ(futex(&word, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), 0);
    CHECK_EQ(word, FUTEX_OWNER_DIED | (uint32_t)my_tid());
    word = 0x3ffffff0; /* nobody has this TID */
    CHECK_ERRNO(futex(&word, FUTEX_LOCK_PI, 0, NULL, NULL, 0), ESRCH);

    /* Contended: we sleep; the owner's unlock hands the lock to us. */
    uint32_t *w = shared_words();
    pid_t holder = fork_pi_holder(w, 20, 1);
    CHECK_EQ(w[0], (uint32_t)holder);
    CHECK_ERRNO(futex(&w[0], FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EAGAIN);
    CHECK_EQ(futex(&w[0], FUTEX_LOCK_PI, 0, NULL, NULL, 0), 0);
    CHECK_EQ(w[0] & FUTEX_TID_MASK, (uint32_t)my_tid());
    CHECK_EQ(wait_status(holder), 0);
    CHECK_EQ(futex(&w[0], FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), 0);
    CHECK_EQ(w[0], 0);

    /* A timeout (absolute, CLOCK_REALTIME). */
    w[1] = 0;
    holder = fork_pi_holder(w, 300, 1);
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += 50000000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000;
    }
    CHECK_ERRNO(futex(&w[0], FUTEX_LOCK_PI, 0, &at, NULL, 0), ETIMEDOUT);
    CHECK_EQ(wait_status(holder), 0);
    CHECK_EQ(w[0], 0);

    /* The owner exits holding it: the waiter gets it instead of hanging. */
    w[1] = 0;
    holder = fork_pi_holder(w, 20, 0);
    CHECK_EQ(futex(&w[0], FUTEX_LOCK_PI, 0, NULL, NULL, 0), 0);
    CHECK_EQ(w[0] & FUTEX_TID_MASK, (uint32_t)my_tid());
    CHECK_EQ(wait_status(holder), 0);
}

static void pi_bad_arguments(void)
{
    uint32_t words[2] = {0, 0};
    char *unaligned = (char *)words + 1;
    CHECK_ERRNO(futex(unaligned, FUTEX_LOCK_PI, 0, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(unaligned, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EPERM); /* owner first */
    CHECK_ERRNO(futex(unaligned, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(NULL, FUTEX_LOCK_PI, 0, NULL, NULL, 0), EFAULT);
    CHECK_ERRNO(futex(NULL, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EFAULT);
    CHECK_ERRNO(futex(NULL, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EFAULT);
    words[0] = (uint32_t)getppid(); /* held by someone else, so the timeout is read */
    struct timespec bad_nsec = {0, 1000000000L};
    CHECK_ERRNO(futex(words, FUTEX_LOCK_PI, 0, &bad_nsec, NULL, 0), EINVAL);
    CHECK_ERRNO(futex(words, FUTEX_LOCK_PI, 0, (void *)16, NULL, 0), EFAULT);
    CHECK_ERRNO(futex(words, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0), ENOSYS);
    struct timespec past = {0, 0}; /* LOCK_PI2 may use CLOCK_REALTIME; a past time: ETIMEDOUT */
    CHECK_ERRNO(futex(words, FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, 0, &past, NULL, 0), ETIMEDOUT);
    CHECK_ERRNO(futex(words, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), EPERM);
    uint32_t *readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(readonly != MAP_FAILED);
    CHECK_ERRNO(futex(readonly, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), EFAULT); /* cannot write */
}

static void gettid_and_tkill(void)
{
    CHECK_EQ(syscall(SYS_gettid), getpid());
    CHECK_EQ(syscall(SYS_tkill, syscall(SYS_gettid), 0), 0);
    CHECK_EQ(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0), 0);
    CHECK_ERRNO(syscall(SYS_tkill, -5, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 65), EINVAL);
    CHECK_ERRNO(syscall(SYS_tgkill, getpid() + 100000, syscall(SYS_gettid), 0), ESRCH);
}

static const struct utest_case cases[] = {
    UTEST(wake_without_waiters_wakes_nobody),
    UTEST(wait_on_changed_value_is_eagain),
    UTEST(wait_times_out),
    UTEST(wake_reaches_another_process),
    UTEST(wake_counts_waiters),
    UTEST(private_futexes_stay_in_their_process),
    UTEST(bitsets_choose_who_wakes),
    UTEST(requeue_moves_waiters),
    UTEST(signal_interrupts_wait),
    UTEST(bad_arguments),
    UTEST(wake_op_changes_a_word_and_wakes),
    UTEST(pi_lock_protocol),
    UTEST(pi_bad_arguments),
    UTEST(gettid_and_tkill),
};
UTEST_MAIN("futex", cases)
