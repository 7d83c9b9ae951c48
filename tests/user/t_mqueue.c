/*
 * t_mqueue.c - POSIX message queues, sigqueue's values, and signals that
 * wait while blocked.  Runs on Linux too, which proves the expectations.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define QUEUE "/t_mqueue"

static mqd_t open_queue(long maxmsg, long msgsize)
{
    struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    mq_unlink(QUEUE);
    mqd_t q = mq_open(QUEUE, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    CHECK(q != (mqd_t)-1);
    return q;
}

static void messages_come_out_by_priority(void)
{
    mqd_t q = open_queue(8, 32);
    CHECK_EQ(mq_send(q, "low", 3, 1), 0);
    CHECK_EQ(mq_send(q, "high", 4, 9), 0);
    CHECK_EQ(mq_send(q, "low2", 4, 1), 0);
    CHECK_EQ(mq_send(q, "mid", 3, 5), 0);
    const char *want[] = {"high", "mid", "low", "low2"};
    unsigned want_prio[] = {9, 5, 1, 1};
    for (int i = 0; i < 4; i++) {
        char buf[32] = {0};
        unsigned prio = 99;
        ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
        CHECK_EQ(n, (ssize_t)strlen(want[i]));
        CHECK_STR(buf, want[i]);
        CHECK_EQ(prio, want_prio[i]);
    }
    mq_close(q);
    CHECK_EQ(mq_unlink(QUEUE), 0);
}

static void attributes_and_nonblocking(void)
{
    mqd_t q = open_queue(2, 16);
    struct mq_attr attr;
    CHECK_EQ(mq_getattr(q, &attr), 0);
    CHECK_EQ(attr.mq_maxmsg, 2);
    CHECK_EQ(attr.mq_msgsize, 16);
    CHECK_EQ(attr.mq_curmsgs, 0);
    CHECK_EQ(attr.mq_flags, 0);
    struct mq_attr nb = {.mq_flags = O_NONBLOCK};
    CHECK_EQ(mq_setattr(q, &nb, NULL), 0);
    char buf[16];
    CHECK_ERRNO(mq_receive(q, buf, sizeof buf, NULL), EAGAIN);
    CHECK_EQ(mq_send(q, "a", 1, 0), 0);
    CHECK_EQ(mq_send(q, "b", 1, 0), 0);
    CHECK_ERRNO(mq_send(q, "c", 1, 0), EAGAIN); /* full */
    CHECK_EQ(mq_getattr(q, &attr), 0);
    CHECK_EQ(attr.mq_curmsgs, 2);
    CHECK_EQ(attr.mq_flags, O_NONBLOCK);
    mq_close(q);
    mq_unlink(QUEUE);
}

static void a_receiver_waits_for_a_sender(void)
{
    mqd_t q = open_queue(4, 16);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(100);
        mqd_t mine = mq_open(QUEUE, O_WRONLY);
        _exit(mq_send(mine, "later", 5, 2) == 0 ? 0 : 1);
    }
    char buf[16] = {0};
    double start = now_seconds();
    CHECK_EQ(mq_receive(q, buf, sizeof buf, NULL), 5);
    CHECK(now_seconds() - start >= 0.05);
    CHECK_STR(buf, "later");
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    mq_close(q);
    mq_unlink(QUEUE);
}

static void timed_receive_times_out(void)
{
    mqd_t q = open_queue(4, 16);
    struct timespec when;
    clock_gettime(CLOCK_REALTIME, &when);
    when.tv_nsec += 100 * 1000000;
    if (when.tv_nsec >= 1000000000) {
        when.tv_sec++;
        when.tv_nsec -= 1000000000;
    }
    char buf[16];
    double start = now_seconds();
    CHECK_ERRNO(mq_timedreceive(q, buf, sizeof buf, NULL, &when), ETIMEDOUT);
    CHECK(now_seconds() - start >= 0.08);
    struct timespec bad = {0, 2000000000};
    CHECK_ERRNO(mq_timedreceive(q, buf, sizeof buf, NULL, &bad), EINVAL);
    mq_close(q);
    mq_unlink(QUEUE);
}

static volatile sig_atomic_t notified_value, notified_code;
static void on_notify(int sig, siginfo_t *info, void *context)
{
    notified_value = info->si_value.sival_int;
    notified_code = info->si_code;
}

static void notify_signals_the_first_arrival(void)
{
    mqd_t q = open_queue(4, 16);
    struct sigaction sa = {.sa_sigaction = on_notify, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    ev.sigev_value.sival_int = 4242;
    CHECK_EQ(mq_notify(q, &ev), 0);
    /* Another process may not register while we are. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        mqd_t mine = mq_open(QUEUE, O_RDWR);
        struct sigevent none = {.sigev_notify = SIGEV_NONE};
        _exit(mq_notify(mine, &none) == -1 && errno == EBUSY ? 0 : 1);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    CHECK_EQ(mq_send(q, "x", 1, 0), 0);
    for (int i = 0; i < 100 && !notified_value; i++)
        sleep_ms(10);
    CHECK_EQ(notified_value, 4242);
    CHECK_EQ(notified_code, SI_MESGQ);
    /* One notification per registration: a second message is quiet. */
    notified_value = 0;
    char buf[16];
    CHECK_EQ(mq_receive(q, buf, sizeof buf, NULL), 1);
    CHECK_EQ(mq_send(q, "y", 1, 0), 0);
    sleep_ms(50);
    CHECK_EQ(notified_value, 0);
    mq_close(q);
    mq_unlink(QUEUE);
}

static void an_unlinked_queue_lives_while_open(void)
{
    mqd_t q = open_queue(4, 16);
    CHECK_EQ(mq_send(q, "kept", 4, 0), 0);
    CHECK_EQ(mq_unlink(QUEUE), 0);
    CHECK_ERRNO(mq_open(QUEUE, O_RDONLY), ENOENT);
    char buf[16] = {0};
    CHECK_EQ(mq_receive(q, buf, sizeof buf, NULL), 4);
    CHECK_STR(buf, "kept");
    mq_close(q);
}

static void queues_are_files_in_dev_mqueue(void)
{
    if (!is_sprout())
        return; /* /dev/mqueue is mounted on Linux only by choice */
    mqd_t q = open_queue(4, 16);
    CHECK_EQ(mq_send(q, "hello", 5, 0), 0);
    struct stat st;
    CHECK_EQ(stat("/dev/mqueue/t_mqueue", &st), 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_mode & 0777, 0600);
    /* Reading the file shows the queue's state, in Linux's format. */
    int fd = open("/dev/mqueue/t_mqueue", O_RDONLY);
    CHECK(fd >= 0);
    char text[128] = {0};
    CHECK(read(fd, text, sizeof text - 1) > 0);
    close(fd);
    CHECK(strncmp(text, "QSIZE:5 ", 8) == 0);
    /* rm removes the name, as mq_unlink does. */
    CHECK_EQ(unlink("/dev/mqueue/t_mqueue"), 0);
    CHECK_ERRNO(mq_open(QUEUE, O_RDONLY), ENOENT);
    CHECK_ERRNO(stat("/dev/mqueue/t_mqueue", &st), ENOENT);
    /* Queues are made only by mq_open. */
    CHECK(open("/dev/mqueue/made_by_open", O_CREAT | O_RDWR, 0600) < 0);
    mq_close(q);
}

static void mqueue_bad_arguments(void)
{
    struct mq_attr zero = {.mq_maxmsg = 0, .mq_msgsize = 16};
    mq_unlink(QUEUE);
    CHECK_ERRNO(mq_open(QUEUE, O_CREAT | O_RDWR, 0600, &zero), EINVAL);
    struct mq_attr huge = {.mq_maxmsg = 1L << 40, .mq_msgsize = 16};
    CHECK_ERRNO(mq_open(QUEUE, O_CREAT | O_RDWR, 0600, &huge), EINVAL);
    CHECK_ERRNO(mq_open(QUEUE, O_RDWR), ENOENT);
    CHECK_ERRNO(mq_unlink(QUEUE), ENOENT);
    CHECK_ERRNO(syscall(SYS_mq_open, "", O_RDWR, 0, NULL), ENOENT);
    CHECK_ERRNO(syscall(SYS_mq_open, (void *)1, O_RDWR, 0, NULL), EFAULT);
    CHECK_ERRNO(syscall(SYS_mq_open, "t_mq", O_RDWR | O_CREAT, 0600, (void *)1), EFAULT);
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    CHECK_ERRNO(syscall(SYS_mq_open, long_name, O_RDWR | O_CREAT, 0600, NULL), ENAMETOOLONG);

    mqd_t q = open_queue(2, 16);
    CHECK_ERRNO(mq_open(QUEUE, O_CREAT | O_EXCL | O_RDWR, 0600, NULL), EEXIST);
    char buf[64];
    CHECK_ERRNO(mq_receive(q, buf, 8, NULL), EMSGSIZE); /* smaller than msgsize */
    CHECK_ERRNO(mq_send(q, buf, 17, 0), EMSGSIZE);      /* bigger than msgsize */
    CHECK_ERRNO(mq_send(q, "a", 1, 1u << 20), EINVAL);  /* priority too high */
    CHECK_ERRNO(mq_send(q, (void *)1, 4, 0), EFAULT);
    CHECK_ERRNO(mq_send(-1, "a", 1, 0), EBADF);
    CHECK_ERRNO(mq_send(1, "a", 1, 0), EBADF); /* not a queue */
    struct sigevent bad = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = 1000};
    CHECK_ERRNO(mq_notify(q, &bad), EINVAL);
    bad.sigev_notify = 77;
    CHECK_ERRNO(mq_notify(q, &bad), EINVAL);
    CHECK_ERRNO(syscall(SYS_mq_getsetattr, q, (void *)1, NULL), EFAULT);
    /* A bad receive buffer loses nothing: the message is still there. */
    CHECK_EQ(mq_send(q, "safe", 4, 0), 0);
    CHECK_ERRNO(mq_receive(q, (void *)1, 16, NULL), EFAULT);
    if (is_sprout()) {
        memset(buf, 0, sizeof buf);
        CHECK_EQ(mq_receive(q, buf, sizeof buf, NULL), 4);
        CHECK_STR(buf, "safe");
    }
    /* A write-only descriptor cannot receive, a read-only one cannot send. */
    mqd_t wo = mq_open(QUEUE, O_WRONLY), ro = mq_open(QUEUE, O_RDONLY);
    CHECK_ERRNO(mq_receive(wo, buf, sizeof buf, NULL), EBADF);
    CHECK_ERRNO(mq_send(ro, "a", 1, 0), EBADF);
    mq_close(wo);
    mq_close(ro);
    mq_close(q);
    mq_unlink(QUEUE);
}

/* --- sigqueue, and blocked signals that stay pending --------------------- */

static volatile sig_atomic_t queued_value, queued_code, queued_pid;
static void on_queued(int sig, siginfo_t *info, void *context)
{
    queued_value = info->si_value.sival_int;
    queued_code = info->si_code;
    queued_pid = info->si_pid;
}

static void sigqueue_delivers_its_value(void)
{
    struct sigaction sa = {.sa_sigaction = on_queued, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR2, &sa, NULL);
    pid_t parent = getpid();
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        union sigval v = {.sival_int = 777};
        _exit(sigqueue(parent, SIGUSR2, v) == 0 ? 0 : 1);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    for (int i = 0; i < 100 && !queued_value; i++)
        sleep_ms(10);
    CHECK_EQ(queued_value, 777);
    CHECK_EQ(queued_code, SI_QUEUE);
    CHECK_EQ(queued_pid, pid);
}

static void sigqueue_bad_arguments(void)
{
    union sigval v = {.sival_int = 1};
    CHECK_ERRNO(sigqueue(getpid(), 1000, v), EINVAL);
    CHECK_ERRNO(sigqueue(99999, SIGUSR2, v), ESRCH);
    siginfo_t info = {.si_signo = SIGUSR2, .si_code = SI_USER};
    /* Posing as kill() or the kernel towards another process is refused. */
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        alarm(5); /* never outlive a failed check */
        for (;;)
            pause();
    }
    CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR2, &info), EPERM);
    info.si_code = SI_KERNEL;
    CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR2, &info), EPERM);
    CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR2, (void *)1), EFAULT);
    info.si_code = SI_QUEUE;
    CHECK_ERRNO(syscall(SYS_rt_tgsigqueueinfo, pid, pid + 1, SIGUSR2, &info), ESRCH);
    CHECK_ERRNO(syscall(SYS_rt_tgsigqueueinfo, 0, pid, SIGUSR2, &info), EINVAL);
    kill(pid, SIGKILL);
    wait_status(pid);
}

static void a_blocked_ignored_signal_stays_pending(void)
{
    /* SIGCONT and SIGCHLD are ignored by default; blocked, they still wait. */
    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGCONT);
    sigaddset(&block, SIGWINCH);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGCONT);
    kill(getpid(), SIGWINCH);
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(sigismember(&pending, SIGCONT));
    CHECK(sigismember(&pending, SIGWINCH));
    /* Unblocked, the default action (ignore) applies and they are gone. */
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(!sigismember(&pending, SIGCONT));
    CHECK(!sigismember(&pending, SIGWINCH));
}

static const struct utest_case cases[] = {
    UTEST(messages_come_out_by_priority),
    UTEST(attributes_and_nonblocking),
    UTEST(a_receiver_waits_for_a_sender),
    UTEST(timed_receive_times_out),
    UTEST(notify_signals_the_first_arrival),
    UTEST(an_unlinked_queue_lives_while_open),
    UTEST(queues_are_files_in_dev_mqueue),
    UTEST(mqueue_bad_arguments),
    UTEST(sigqueue_delivers_its_value),
    UTEST(sigqueue_bad_arguments),
    UTEST(a_blocked_ignored_signal_stays_pending),
};
UTEST_MAIN("mqueue", cases)
