/*
 * httpload - a small HTTP load generator: C concurrent keep-alive
 * connections share N GET requests; it reports how many completed and
 * failed, and the latency percentiles.  Plain POSIX (poll), so it builds on
 * the host too:  cc -O2 -o httpload user/httpload.c
 *
 *   httpload [-c CONNS] [-n REQUESTS | -d SECONDS] [-p PORT] [-H HOST-IP] [-u PATH] [-t SECONDS]
 *
 * -d sends requests for that long instead of a number of them (as wrk's -d
 * does): the load lasts as long on a fast machine as on a slow one, and the
 * requests still out when it ends are waited for, not counted as failed.
 * A request fails when its connection breaks (reset, closed early, refused)
 * or the time limit (-t, default 60 s, counted after -d's) passes first;
 * requests that could never be sent count as failed too.  Exit status: 0
 * when none failed.
 * The first connection is retried for 5 s while it is refused, so that a
 * server started just before has time to listen.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct client {
    int fd;         /* -1 once the connection is gone */
    int busy;       /* a request is out */
    double sent_at; /* when it went */
    char in[8192];
    size_t in_len;
};

static struct sockaddr_in server;
static char request[512];
static size_t request_len;
static int issued, completed, failed, total;
static double stop_sending_at; /* with -d: no new request after this; else 0 */
static double *latency_ms;
static int latency_capacity;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int open_connection(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The connection broke: its request (if one was out) failed; say why. */
static void drop(struct client *c, const char *why)
{
    static int told; /* say why for the first few only */
    if (c->busy) {
        failed++;
        if (told++ < 3)
            fprintf(stderr, "httpload: a request failed: %s\n", why);
        else if (told == 4)
            fprintf(stderr, "httpload: (further failures not shown)\n");
    }
    c->busy = 0;
    close(c->fd);
    c->fd = -1;
}

/* May another request go out: some are left, and -d's time is not up? */
static bool more_to_send(void)
{
    return issued < total && !(stop_sending_at && now() >= stop_sending_at);
}

/* Sends c's next request if any are left, else closes it. */
static void send_next(struct client *c)
{
    if (!more_to_send()) {
        close(c->fd);
        c->fd = -1;
        return;
    }
    issued++;
    c->busy = 1;
    c->sent_at = now();
    if (write(c->fd, request, request_len) != (ssize_t)request_len)
        drop(c, strerror(errno));
}

/* A whole response at the head of c->in: its length, or 0 for not yet. */
static size_t response_length(struct client *c, int *closes)
{
    c->in[c->in_len] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end)
        return 0;
    size_t body = 0;
    *closes = 0;
    for (char *h = c->in; h && h < end; h = strchr(h, '\n')) {
        h += *h == '\n';
        if (!strncasecmp(h, "content-length:", 15))
            body = strtoul(h + 15, NULL, 10);
        if (!strncasecmp(h, "connection: close", 17))
            *closes = 1;
    }
    size_t length = (size_t)(end + 4 - c->in) + body;
    return length <= c->in_len ? length : 0;
}

static void readable(struct client *c)
{
    ssize_t n = read(c->fd, c->in + c->in_len, sizeof c->in - 1 - c->in_len);
    if (n <= 0) {
        drop(c, n == 0 ? "the server closed the connection" : strerror(errno));
        return;
    }
    c->in_len += (size_t)n;
    int closes;
    size_t length = response_length(c, &closes);
    if (!length) {
        if (c->in_len >= sizeof c->in - 1)
            drop(c, "response too long");
        return;
    }
    if (!c->busy || strncmp(c->in, "HTTP/1.1 200", 12) != 0) {
        drop(c, "not a 200 answer");
        return;
    }
    if (completed == latency_capacity) {
        double *more = realloc(latency_ms, (size_t)latency_capacity * 2 * sizeof *latency_ms);
        if (!more) {
            drop(c, "out of memory");
            return;
        }
        latency_ms = more;
        latency_capacity *= 2;
    }
    latency_ms[completed++] = (now() - c->sent_at) * 1000;
    c->busy = 0;
    memmove(c->in, c->in + length, c->in_len - length);
    c->in_len -= length;
    if (closes) { /* the server is done with this connection: open another */
        close(c->fd);
        c->fd = more_to_send() ? open_connection() : -1;
        c->in_len = 0;
        if (c->fd < 0)
            return;
    }
    send_next(c);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(int p)
{
    if (completed == 0)
        return 0;
    int i = (int)((long)completed * p / 100);
    return latency_ms[i < completed ? i : completed - 1];
}

static void usage(void)
{
    fprintf(stderr, "usage: httpload [-c CONNS] [-n REQUESTS | -d SECONDS] [-p PORT] [-H HOST-IP] "
                    "[-u PATH] [-t SECONDS]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int conns = 8, port = 8080, limit = 0, duration = 0;
    bool counted = false;
    const char *host = "127.0.0.1", *path = "/";
    total = 100;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc || argv[i][0] != '-' || strlen(argv[i]) != 2)
            usage();
        const char *v = argv[++i];
        switch (argv[i - 1][1]) {
        case 'c':
            conns = atoi(v);
            break;
        case 'n':
            total = atoi(v);
            counted = true;
            break;
        case 'p':
            port = atoi(v);
            break;
        case 'H':
            host = v;
            break;
        case 'u':
            path = v;
            break;
        case 't':
            limit = atoi(v);
            if (limit < 1)
                usage();
            break;
        case 'd':
            duration = atoi(v);
            if (duration < 1)
                usage();
            break;
        default:
            usage();
        }
    }
    if (conns < 1 || total < 1)
        usage();
    if (duration && !counted)
        total = INT_MAX; /* as many as the duration allows: counted at the end */
    if (limit == 0)      /* no -t: 60 s, after -d's time */
        limit = duration + 60;
    if (conns > total)
        conns = total;
    signal(SIGPIPE, SIG_IGN);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1)
        usage();
    request_len =
        (size_t)snprintf(request, sizeof request,
                         "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: httpload\r\n\r\n", path, host);
    struct client *clients = calloc((size_t)conns, sizeof *clients);
    struct pollfd *polls = calloc((size_t)conns, sizeof *polls);
    latency_capacity = total < 1024 ? total : 1024;
    latency_ms = calloc((size_t)latency_capacity, sizeof *latency_ms);
    if (!clients || !polls || !latency_ms) {
        fprintf(stderr, "httpload: out of memory\n");
        return 1;
    }
    double start = now();
    if (duration)
        stop_sending_at = start + duration;
    for (int i = 0; i < conns; i++) {
        clients[i].fd = open_connection();
        /* The server may still be starting: the first connection retries for 5 s. */
        for (int tries = 0; i == 0 && clients[i].fd < 0 && errno == ECONNREFUSED && tries < 50;
             tries++) {
            nanosleep(&(struct timespec){0, 100000000}, NULL);
            clients[i].fd = open_connection();
        }
        if (clients[i].fd < 0)
            fprintf(stderr, "httpload: connect: %s\n", strerror(errno));
        else
            send_next(&clients[i]);
    }
    for (;;) {
        int live = 0;
        for (int i = 0; i < conns; i++) {
            polls[i].fd = clients[i].fd; /* poll skips negative descriptors */
            polls[i].events = POLLIN;
            live += clients[i].fd >= 0;
        }
        if (!live || now() - start > limit)
            break;
        if (poll(polls, (nfds_t)conns, 200) < 0 && errno != EINTR) {
            perror("httpload: poll");
            break;
        }
        for (int i = 0; i < conns; i++)
            if (clients[i].fd >= 0 && polls[i].revents)
                readable(&clients[i]);
    }
    for (int i = 0; i < conns; i++)
        if (clients[i].fd >= 0)
            drop(&clients[i], "out of time");
    double seconds = now() - start;
    if (total == INT_MAX)
        total = issued;         /* -d: the requests it had time to send */
    failed = total - completed; /* those never sent failed too */
    qsort(latency_ms, (size_t)completed, sizeof *latency_ms, by_value);
    printf("httpload: %d requests over %d connections: %d completed, %d failed in %.2f s "
           "(%.0f req/s)\n",
           total, conns, completed, failed, seconds, seconds > 0 ? completed / seconds : 0);
    printf("httpload: latency ms: p50 %.2f p90 %.2f p99 %.2f\n", percentile(50), percentile(90),
           percentile(99));
    return failed ? 1 : 0;
}
