/*
 * t_epoll.c - epoll (level- and edge-triggered, EPOLLONESHOT, nesting) and
 * eventfd, on pipes, sockets and eventfds, with every call's bad arguments
 * and a leak check.  Runs on Linux too, which proves the expectations.
 */
#define _GNU_SOURCE
#include "tests/user/leaktest.h"
#include "tests/user/utest.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>

static void *volatile bad_address = (void *)1;
#define BAD_PTR ((void *)bad_address)

static int new_epoll(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    CHECK(fcntl(ep, F_GETFD) & FD_CLOEXEC);
    return ep;
}

static void watch(int ep, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event ev = {.events = events, .data.u64 = data};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
}

/* epoll_wait with a zero timeout: how many events, the first in *ev. */
static int ready(int ep, struct epoll_event *ev)
{
    struct epoll_event dummy;
    return epoll_wait(ep, ev ? ev : &dummy, 1, 0);
}

static void level_triggered_reports_while_readable(void)
{
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    watch(ep, p[0], EPOLLIN, 42);
    CHECK_EQ(ready(ep, NULL), 0);
    CHECK_EQ(write(p[1], "ab", 2), 2);
    struct epoll_event ev;
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ev.events, EPOLLIN);
    CHECK_EQ(ev.data.u64, 42);
    CHECK_EQ(ready(ep, &ev), 1); /* still readable, still reported */
    char buf[4];
    CHECK_EQ(read(p[0], buf, sizeof buf), 2);
    CHECK_EQ(ready(ep, NULL), 0);
    close(p[1]);
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK(ev.events & EPOLLHUP);
}

static void edge_triggered_reports_each_change_once(void)
{
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    watch(ep, p[0], EPOLLIN | EPOLLET, 7);
    CHECK_EQ(write(p[1], "a", 1), 1);
    struct epoll_event ev;
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ready(ep, NULL), 0); /* nothing new, though still readable */
    CHECK_EQ(write(p[1], "b", 1), 1);
    CHECK_EQ(ready(ep, &ev), 1); /* new data is a new edge */
    CHECK_EQ(ev.data.u64, 7);
    CHECK_EQ(ready(ep, NULL), 0);
}

static void oneshot_fires_once_until_rearmed(void)
{
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    watch(ep, p[0], EPOLLIN | EPOLLONESHOT, 1);
    CHECK_EQ(write(p[1], "a", 1), 1);
    CHECK_EQ(ready(ep, NULL), 1);
    CHECK_EQ(write(p[1], "b", 1), 1);
    CHECK_EQ(ready(ep, NULL), 0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 2};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), 0);
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ev.data.u64, 2);
    CHECK_EQ(ready(ep, NULL), 0);
}

static void sockets_report_in_out_and_hangup(void)
{
    int ep = new_epoll(), sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    watch(ep, sv[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP, 5);
    struct epoll_event ev;
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ev.events, EPOLLOUT);
    CHECK_EQ(write(sv[1], "x", 1), 1);
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ev.events, EPOLLIN | EPOLLOUT);
    close(sv[1]);
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK(ev.events & EPOLLIN);
    CHECK(ev.events & EPOLLHUP);
    CHECK(ev.events & EPOLLRDHUP);
}

static void listening_socket_is_readable_when_a_client_connects(void)
{
    int ep = new_epoll();
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_un {
        sa_family_t f;
        char p[108];
    } addr = {AF_UNIX, ""};
    snprintf(addr.p + 1, 100, "ep-%d", (int)getpid());
    socklen_t len = (socklen_t)(2 + 1 + strlen(addr.p + 1));
    CHECK_EQ(bind(ls, (struct sockaddr *)&addr, len), 0);
    CHECK_EQ(listen(ls, 8), 0);
    watch(ep, ls, EPOLLIN, 9);
    CHECK_EQ(ready(ep, NULL), 0);
    CHECK_ERRNO(accept(ls, NULL, NULL), EAGAIN);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, len), 0);
    struct epoll_event ev;
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ev.data.u64, 9);
    CHECK(accept(ls, NULL, NULL) >= 0);
    CHECK_EQ(ready(ep, NULL), 0);
}

static void wait_blocks_until_another_process_writes(void)
{
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    watch(ep, p[0], EPOLLIN, 3);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(50);
        _exit(write(p[1], "w", 1) == 1 ? 0 : 1);
    }
    struct epoll_event ev;
    CHECK_EQ(epoll_wait(ep, &ev, 1, 5000), 1);
    CHECK_EQ(ev.data.u64, 3);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    /* A timeout with nothing ready returns 0 after waiting. */
    char c;
    CHECK_EQ(read(p[0], &c, 1), 1);
    double start = now_seconds();
    CHECK_EQ(epoll_wait(ep, &ev, 1, 100), 0);
    CHECK(now_seconds() - start >= 0.09);
}

static void on_alarm(int sig) {}

static void a_signal_interrupts_the_wait(void)
{
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    watch(ep, p[0], EPOLLIN, 0);
    struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    struct epoll_event ev;
    CHECK_ERRNO(epoll_wait(ep, &ev, 1, 5000), EINTR); /* even with SA_RESTART */
    /* epoll_pwait with SIGALRM blocked sleeps through it and times out. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK_EQ(epoll_pwait(ep, &ev, 1, 200, &block), 0);
}

static void many_ready_items_take_turns(void)
{
    int ep = new_epoll(), p[3][2];
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(pipe(p[i]), 0);
        CHECK_EQ(write(p[i][1], "x", 1), 1);
        watch(ep, p[i][0], EPOLLIN, (uint64_t)i);
    }
    int seen = 0;
    for (int round = 0; round < 3; round++) {
        struct epoll_event ev;
        CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 1);
        seen |= 1 << ev.data.u64;
    }
    CHECK_EQ(seen, 7);
    struct epoll_event evs[8];
    CHECK_EQ(epoll_wait(ep, evs, 8, 0), 3);
}

static void closing_a_file_removes_it(void)
{
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    watch(ep, p[0], EPOLLIN, 1);
    CHECK_EQ(ready(ep, NULL), 1);
    close(p[0]);
    CHECK_EQ(ready(ep, NULL), 0);
    struct epoll_event ev = {.events = EPOLLIN};
    int again[2];
    CHECK_EQ(pipe(again), 0); /* likely the same descriptor number: a fresh item */
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, again[0], &ev), 0);
}

static void nested_epoll_reports_its_inner_events(void)
{
    int outer = new_epoll(), inner = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    watch(inner, p[0], EPOLLIN, 1);
    watch(outer, inner, EPOLLIN, 2);
    CHECK_EQ(ready(outer, NULL), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    struct epoll_event ev;
    CHECK_EQ(ready(outer, &ev), 1);
    CHECK_EQ(ev.data.u64, 2);
    struct epoll_event loop = {.events = EPOLLIN};
    CHECK_ERRNO(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &loop), ELOOP);
}

/* --- eventfd ------------------------------------------------------------------------------ */

static void eventfd_counts(void)
{
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(e >= 0);
    CHECK(fcntl(e, F_GETFD) & FD_CLOEXEC);
    uint64_t v = 4;
    CHECK_EQ(write(e, &v, sizeof v), 8);
    CHECK_EQ(read(e, &v, sizeof v), 8);
    CHECK_EQ(v, 7);
    CHECK_ERRNO(read(e, &v, sizeof v), EAGAIN);
    int ep = new_epoll();
    watch(ep, e, EPOLLIN | EPOLLET, 11);
    CHECK_EQ(ready(ep, NULL), 0);
    v = 1;
    CHECK_EQ(write(e, &v, sizeof v), 8);
    struct epoll_event ev;
    CHECK_EQ(ready(ep, &ev), 1);
    CHECK_EQ(ev.data.u64, 11);
    struct pollfd pfd = {e, POLLIN, 0};
    CHECK_EQ(poll(&pfd, 1, 0), 1);
    /* A semaphore hands out one at a time. */
    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK_EQ(read(s, &v, sizeof v), 8);
    CHECK_EQ(v, 1);
    CHECK_EQ(read(s, &v, sizeof v), 8);
    CHECK_EQ(v, 1);
    CHECK_ERRNO(read(s, &v, sizeof v), EAGAIN);
    /* The count stops below 2^64-1: a write that would pass it waits. */
    v = 0xfffffffffffffffeull;
    CHECK_EQ(write(s, &v, sizeof v), 8);
    v = 1;
    CHECK_ERRNO(write(s, &v, sizeof v), EAGAIN);
}

static void eventfd_wakes_a_blocked_reader(void)
{
    int e = eventfd(0, 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(50);
        uint64_t one = 1;
        _exit(write(e, &one, sizeof one) == 8 ? 0 : 1);
    }
    uint64_t v = 0;
    CHECK_EQ(read(e, &v, sizeof v), 8);
    CHECK_EQ(v, 1);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
}

/* --- bad arguments ---------------------------------------------------------------------------- */

static void bad_arguments(void)
{
    /* (musl's epoll_create calls epoll_create1: ask the kernel directly) */
    CHECK_ERRNO(syscall(SYS_epoll_create, 0), EINVAL);
    CHECK_ERRNO(syscall(SYS_epoll_create, -1), EINVAL);
    int old = (int)syscall(SYS_epoll_create, 1);
    CHECK(old >= 0);
    CHECK(!(fcntl(old, F_GETFD) & FD_CLOEXEC));
    CHECK_ERRNO(epoll_create1(1), EINVAL);
    int ep = new_epoll(), p[2];
    CHECK_EQ(pipe(p), 0);
    struct epoll_event ev = {.events = EPOLLIN};
    CHECK_ERRNO(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev), EBADF);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, -1, &ev), EBADF);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
    CHECK_ERRNO(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev), EINVAL); /* not an epoll */
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);     /* itself */
    CHECK_ERRNO(epoll_ctl(ep, 99, p[0], &ev), EINVAL);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], BAD_PTR), EFAULT);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev), ENOENT);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0);
    int f = open("/tmp/epoll-regular", O_CREAT | O_RDWR, 0600);
    CHECK(f >= 0);
    CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev), EPERM);
    unlink("/tmp/epoll-regular");

    struct epoll_event out[2];
    CHECK_ERRNO(epoll_wait(ep, out, 0, 0), EINVAL);
    CHECK_ERRNO(epoll_wait(ep, out, -1, 0), EINVAL);
    CHECK_ERRNO(epoll_wait(-1, out, 2, 0), EBADF);
    CHECK_ERRNO(epoll_wait(p[0], out, 2, 0), EINVAL);
    CHECK_ERRNO(epoll_wait(ep, (void *)0xffff800000000000ul, 2, 0), EFAULT); /* kernel space */
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
    CHECK_ERRNO(epoll_wait(ep, BAD_PTR, 2, 0), EFAULT); /* something to report, nowhere to put it */
    sigset_t mask;
    sigemptyset(&mask);
    CHECK_ERRNO(syscall(SYS_epoll_pwait, ep, out, 2, 0, &mask, 4), EINVAL);
    CHECK_ERRNO(syscall(SYS_epoll_pwait, ep, out, 2, 0, BAD_PTR, 8), EFAULT);

    CHECK_ERRNO(eventfd(0, 0x1234), EINVAL);
    int e = eventfd(0, EFD_NONBLOCK);
    uint64_t v = 1;
    char small[4];
    CHECK_ERRNO(read(e, small, sizeof small), EINVAL);
    CHECK_ERRNO(write(e, small, sizeof small), EINVAL);
    v = ~0ull;
    CHECK_ERRNO(write(e, &v, sizeof v), EINVAL);
    CHECK_ERRNO(write(e, BAD_PTR, 8), EFAULT);
    v = 1;
    CHECK_EQ(write(e, &v, sizeof v), 8);
    CHECK_ERRNO(read(e, BAD_PTR, 8), EFAULT);
}

/* --- leaks
 * ---------------------------------------------------------------------------------------- */

static void churn(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        int ep = new_epoll(), e = eventfd(1, 0), sv[2];
        CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        watch(ep, e, EPOLLIN, 1);
        watch(ep, sv[0], EPOLLIN | EPOLLET, 2);
        CHECK_EQ(write(sv[1], "x", 1), 1);
        struct epoll_event evs[4];
        CHECK_EQ(epoll_wait(ep, evs, 4, 0), 2);
        if (i % 2) { /* close the watched files first, or the epoll first */
            close(e);
            close(sv[0]);
            close(ep);
        } else {
            close(ep);
            close(e);
            close(sv[0]);
        }
        close(sv[1]);
    }
}

static void thousands_of_epolls_leak_nothing(void) { check_churn_leaks_nothing(churn, 1000); }

static const struct utest_case cases[] = {
    UTEST(level_triggered_reports_while_readable),
    UTEST(edge_triggered_reports_each_change_once),
    UTEST(oneshot_fires_once_until_rearmed),
    UTEST(sockets_report_in_out_and_hangup),
    UTEST(listening_socket_is_readable_when_a_client_connects),
    UTEST(wait_blocks_until_another_process_writes),
    UTEST(a_signal_interrupts_the_wait),
    UTEST(many_ready_items_take_turns),
    UTEST(closing_a_file_removes_it),
    UTEST(nested_epoll_reports_its_inner_events),
    UTEST(eventfd_counts),
    UTEST(eventfd_wakes_a_blocked_reader),
    UTEST(bad_arguments),
    UTEST(thousands_of_epolls_leak_nothing),
};
UTEST_MAIN("epoll", cases)
