/*
 * t_httpd.c - the seed servers: /bin/httpd in each model serves /bin/httpload
 * with no failures; with 64 descriptors under 100 connections it logs EMFILE
 * and still answers every request; SIGTERM during slow requests finishes
 * them and exits 0, SIGKILL leaves them failed; bad requests get 400/404/405;
 * httpload -d runs for a time instead of a number of requests.
 * On Linux it runs the programs from build/initrd/bin.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/socket.h>

static const char *bin(const char *name)
{
    static char path[2][128];
    static int which;
    which ^= 1;
    snprintf(path[which], sizeof path[which], "%s/%s", is_sprout() ? "/bin" : "build/initrd/bin",
             name);
    return path[which];
}

static int try_connect(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
        return s;
    close(s);
    return -1;
}

/* Starts httpd -m MODEL on port with at most nofile descriptors (0: as
 * inherited), its output in log, and waits until it answers connections. */
static pid_t start_httpd(const char *model, int port, int nofile, const char *log)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        CHECK(fd >= 0);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        if (nofile) {
            struct rlimit r = {nofile, nofile};
            CHECK_EQ(setrlimit(RLIMIT_NOFILE, &r), 0);
        }
        char p[16];
        snprintf(p, sizeof p, "%d", port);
        execl(bin("httpd"), "httpd", "-m", model, "-w", "4", "-p", p, (char *)NULL);
        _exit(127);
    }
    for (int i = 0;; i++) {
        int s = try_connect(port);
        if (s >= 0) {
            close(s);
            return pid;
        }
        CHECK(i < 200); /* 10 s */
        CHECK_EQ(waitpid(pid, NULL, WNOHANG), 0);
        sleep_ms(50);
    }
}

/* Starts httpload with argv, its output (and with_stderr, its errors too)
 * in a pipe; *out_fd receives the read end. */
static pid_t spawn_httpload(char *const argv[], bool with_stderr, int *out_fd)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        dup2(p[1], 1);
        if (with_stderr)
            dup2(p[1], 2);
        close(p[0]);
        execv(bin("httpload"), argv);
        _exit(127);
    }
    close(p[1]);
    *out_fd = p[0];
    return pid;
}

/* Starts httpload's load on port: conns connections, requests GETs of path. */
static pid_t start_load(int port, int conns, int requests, const char *path, int *out_fd)
{
    char c[16], n[16], po[16];
    snprintf(c, sizeof c, "%d", conns);
    snprintf(n, sizeof n, "%d", requests);
    snprintf(po, sizeof po, "%d", port);
    char *argv[] = {"httpload", "-c", c, "-n", n, "-p", po, "-u", (char *)path, "-t", "25", NULL};
    return spawn_httpload(argv, false, out_fd);
}

/* Reads the rest of fd into buf and waits for pid; returns its status. */
static int finish(pid_t pid, int fd, char *buf, size_t size)
{
    size_t got = 0;
    for (ssize_t n; got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0;)
        got += (size_t)n;
    buf[got] = 0;
    close(fd);
    return wait_status(pid);
}

static int run_load(int port, int conns, int requests, const char *path, char *buf, size_t size)
{
    int fd;
    pid_t pid = start_load(port, conns, requests, path, &fd);
    return finish(pid, fd, buf, size);
}

static void stop_httpd(pid_t pid)
{
    CHECK_EQ(kill(pid, SIGTERM), 0);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static void serves_load(const char *model, int port)
{
    pid_t httpd = start_httpd(model, port, 0, "/tmp/httpd.log");
    char out[512];
    int status = run_load(port, 8, 200, "/", out, sizeof out);
    if (!strstr(out, "200 completed, 0 failed"))
        utest_fail(__FILE__, __LINE__, "httpload said: %s", out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strstr(out, "latency ms: p50 "));
    stop_httpd(httpd);
}

static void epoll_serves_load(void) { serves_load("epoll", 18081); }
static void prefork_serves_load(void) { serves_load("prefork", 18082); }
static void thread_serves_load(void) { serves_load("thread", 18083); }

/* 64 descriptors, 100 clients: accept fails with EMFILE, the server says so
 * and keeps serving; as clients finish, the rest get in. */
static void emfile_logged_and_recovered(void)
{
    pid_t httpd = start_httpd("epoll", 18084, 64, "/tmp/httpd-emfile.log");
    char out[512];
    int status = run_load(18084, 100, 400, "/", out, sizeof out);
    if (!strstr(out, "400 completed, 0 failed"))
        utest_fail(__FILE__, __LINE__, "httpload said: %s", out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    stop_httpd(httpd);
    char log[1024] = {0};
    int fd = open("/tmp/httpd-emfile.log", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, log, sizeof log - 1) > 0);
    close(fd);
    if (!strstr(log, "accept: EMFILE"))
        utest_fail(__FILE__, __LINE__, "no EMFILE in the log: %s", log);
}

/* The kernel's part: accept at the descriptor limit fails with EMFILE and
 * leaves the connection queued (as Linux), so a server can take it later. */
static void accept_at_limit_keeps_connection(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    CHECK(l >= 0);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(18089)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(l, 4), 0);
    int c = try_connect(18089);
    CHECK(c >= 0);
    struct rlimit r = {16, 16};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &r), 0);
    int last = -1;
    for (int fd; (fd = dup(0)) >= 0;)
        last = fd;
    CHECK_ERRNO(accept(l, NULL, NULL), EMFILE);
    CHECK_ERRNO(accept(l, NULL, NULL), EMFILE);
    close(last);
    int s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    CHECK_EQ(write(c, "ping", 4), 4);
    char buf[8] = {0};
    CHECK_EQ(read(s, buf, sizeof buf), 4);
    CHECK_STR(buf, "ping");
}

/* A signal while every connection has a slow request of ms out (or, beyond
 * the prefork model's 4 workers, queued on the listener). */
static void stop_during_slow(const char *model, int port, int sig, int conns, int ms)
{
    pid_t httpd = start_httpd(model, port, 0, "/tmp/httpd-stop.log");
    int fd;
    char path[32];
    snprintf(path, sizeof path, "/slow?ms=%d", ms);
    pid_t load = start_load(port, conns, conns, path, &fd);
    sleep_ms(1000); /* the requests are in; their answers are still to come */
    CHECK_EQ(kill(httpd, sig), 0);
    int hs = wait_status(httpd);
    char out[512];
    int ls = finish(load, fd, out, sizeof out);
    char want[64];
    if (sig == SIGTERM) {
        CHECK(WIFEXITED(hs) && WEXITSTATUS(hs) == 0);
        snprintf(want, sizeof want, "%d completed, 0 failed", conns);
        CHECK(WIFEXITED(ls) && WEXITSTATUS(ls) == 0);
        CHECK_EQ(try_connect(port), -1); /* no longer listening */
    } else {
        CHECK(WIFSIGNALED(hs) && WTERMSIG(hs) == SIGKILL);
        snprintf(want, sizeof want, "0 completed, %d failed", conns);
        CHECK(WIFEXITED(ls) && WEXITSTATUS(ls) == 1);
    }
    if (!strstr(out, want))
        utest_fail(__FILE__, __LINE__, "wanted '%s'; httpload said: %s", want, out);
}

static void sigterm_finishes_requests_epoll(void)
{
    stop_during_slow("epoll", 18085, SIGTERM, 8, 3000);
}
/* 4 workers, 8 clients: at the signal 4 requests are being served and 4
 * connections wait, handshaken, in the listener's queue; the workers take
 * those before exiting instead of letting the listener's close reset them. */
static void sigterm_serves_queued_prefork(void)
{
    stop_during_slow("prefork", 18086, SIGTERM, 8, 1500);
}
static void sigkill_fails_requests(void) { stop_during_slow("epoll", 18087, SIGKILL, 8, 3000); }

/* Sends raw and returns the status line's code. */
static int ask(int port, const char *raw)
{
    int s = try_connect(port);
    CHECK(s >= 0);
    CHECK_EQ(write(s, raw, strlen(raw)), (ssize_t)strlen(raw));
    char buf[512] = {0};
    size_t got = 0;
    for (ssize_t n; got < sizeof buf - 1 && (n = read(s, buf + got, sizeof buf - 1 - got)) > 0;)
        got += (size_t)n;
    close(s);
    int code = 0;
    CHECK_EQ(sscanf(buf, "HTTP/1.1 %d", &code), 1);
    return code;
}

/* A client that sends half a request and stalls cannot keep a stopping
 * server alive: it is dropped after a grace period and httpd exits 0. */
static void sigterm_drops_stalled_client(const char *model, int port)
{
    pid_t httpd = start_httpd(model, port, 0, "/tmp/httpd-stall.log");
    int s = try_connect(port);
    CHECK(s >= 0);
    CHECK_EQ(write(s, "GET / HT", 8), 8);
    sleep_ms(200);
    stop_httpd(httpd);
    char buf[64];
    CHECK_EQ(read(s, buf, sizeof buf), 0); /* closed without an answer */
    close(s);
}

static void sigterm_drops_stalled_client_epoll(void)
{
    sigterm_drops_stalled_client("epoll", 18090);
}
static void sigterm_drops_stalled_client_thread(void)
{
    sigterm_drops_stalled_client("thread", 18091);
}

static void bad_requests_answered(void)
{
    pid_t httpd = start_httpd("epoll", 18088, 0, "/tmp/httpd-bad.log");
    CHECK_EQ(ask(18088, "GET / HTTP/1.0\r\n\r\n"), 200);
    CHECK_EQ(ask(18088, "GET /nothing HTTP/1.1\r\nConnection: close\r\n\r\n"), 404);
    CHECK_EQ(ask(18088, "POST / HTTP/1.1\r\n\r\n"), 405);
    CHECK_EQ(ask(18088, "garbage\r\n\r\n"), 400);
    stop_httpd(httpd);
}

/* Runs httpload with these arguments, its output and errors in buf; returns its status. */
static int run_httpload(char *const argv[], char *buf, size_t size)
{
    int fd;
    pid_t pid = spawn_httpload(argv, true, &fd);
    return finish(pid, fd, buf, size);
}

/* -d 2: requests go out for two seconds, however many that is; those out
 * when the time is up are answered, not counted as failed.  With -n too,
 * whichever ends first ends it.  A duration below one second is refused. */
static void duration_bounds_the_load(void)
{
    pid_t httpd = start_httpd("epoll", 18092, 0, "/tmp/httpd-duration.log");
    char out[512];
    char *timed[] = {"httpload", "-c", "4", "-d", "2", "-p", "18092", NULL};
    int status = run_httpload(timed, out, sizeof out);
    int total = 0, conns = 0, completed = 0, failed = -1;
    double seconds = 0;
    if (sscanf(out, "httpload: %d requests over %d connections: %d completed, %d failed in %lf s",
               &total, &conns, &completed, &failed, &seconds) != 5)
        utest_fail(__FILE__, __LINE__, "httpload said: %s", out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(conns, 4);
    CHECK(total >= 4);
    CHECK_EQ(completed, total);
    CHECK_EQ(failed, 0);
    CHECK(seconds >= 2.0);
    char *both[] = {"httpload", "-c", "2", "-n", "30", "-d", "20", "-p", "18092", NULL};
    status = run_httpload(both, out, sizeof out);
    if (!strstr(out, "30 requests over 2 connections: 30 completed, 0 failed"))
        utest_fail(__FILE__, __LINE__, "httpload said: %s", out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    stop_httpd(httpd);
    char *zero[] = {"httpload", "-d", "0", "-p", "18092", NULL};
    status = run_httpload(zero, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    CHECK(strstr(out, "usage: httpload"));
    char *negative[] = {"httpload", "-t", "-1", "-p", "18092", NULL};
    status = run_httpload(negative, out, sizeof out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

static const struct utest_case cases[] = {
    UTEST(epoll_serves_load),
    UTEST(prefork_serves_load),
    UTEST(thread_serves_load),
    UTEST(emfile_logged_and_recovered),
    UTEST(accept_at_limit_keeps_connection),
    UTEST(sigterm_finishes_requests_epoll),
    UTEST(sigterm_serves_queued_prefork),
    UTEST(sigkill_fails_requests),
    UTEST(sigterm_drops_stalled_client_epoll),
    UTEST(sigterm_drops_stalled_client_thread),
    UTEST(bad_requests_answered),
    UTEST(duration_bounds_the_load),
};

UTEST_MAIN("httpd", cases)
