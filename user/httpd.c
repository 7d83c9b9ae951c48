/*
 * httpd - a small HTTP/1.1 server with three ways to serve many clients:
 *
 *   httpd [-m epoll|prefork|thread] [-w WORKERS] [-p PORT] [-n COUNT] [-q]
 *
 *   -m epoll    one process, one epoll event loop over every connection
 *               (Node's model); /slow requests wait on a timer, not a thread
 *   -m prefork  WORKERS processes (default 4) that share one listening socket
 *               and each serve one connection at a time (NGINX's, simplified)
 *   -m thread   one thread per connection, blocking reads and sleeps
 *
 * Pages: GET / answers "hello from sprout httpd"; GET /slow?ms=N sleeps N ms
 * first.  Connections stay open (HTTP/1.1 keep-alive) until the client
 * closes or asks "Connection: close".  With -n (epoll and thread models) it
 * stops as on SIGTERM once it has answered COUNT requests.
 *
 * Lessons it shows: accept failing with EMFILE when the descriptor limit is
 * reached (logged once per episode; the server stops accepting until a
 * connection closes, instead of spinning on the ready listener), and a
 * graceful shutdown: on SIGTERM it stops accepting, finishes every request
 * already received, also serves the connections already queued on the
 * listener (the kernel completed their handshakes; closing the listener would
 * reset them), closes idle connections and exits 0 (a request still
 * half-sent 5 s later is dropped).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_MAX 4096 /* a request's header must fit */
#define REPLY_MAX 512
#define SLOW_MAX_MS 60000
#define STOP_GRACE_MS 5000 /* after SIGTERM, how long a half-sent request may take */

static volatile sig_atomic_t stopping; /* SIGTERM seen: finish up and exit */
static int quiet;
static long max_requests, answered; /* -n: stop after this many answers */
static int wake_pipe[2] = {-1, -1}; /* the epoll loop's self-pipe for SIGTERM */

static void on_sigterm(int sig)
{
    (void)sig;
    stopping = 1;
    if (wake_pipe[1] >= 0) {
        int saved = errno;
        (void)!write(wake_pipe[1], "", 1);
        errno = saved;
    }
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/* One request parsed from the head of a buffer. */
struct request {
    size_t length;  /* bytes of the header, up to and including the blank line */
    int keep_alive; /* the client wants the connection kept */
    int status;     /* 200, 404, 405, 400 */
    long slow_ms;   /* /slow: how long to wait before answering */
};

/* Parses the request at the start of buf[0..len): 1 when a whole header is
 * there, 0 when more bytes are needed, -1 when it can never fit. */
static int parse_request(const char *buf, size_t len, struct request *r)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        return len >= REQUEST_MAX - 1 ? -1 : 0;
    memset(r, 0, sizeof *r);
    r->length = (size_t)(end - buf) + 4;
    size_t line = strcspn(buf, "\r");
    char method[16], path[256], version[16];
    char first[300];
    snprintf(first, sizeof first, "%.*s", (int)(line < 299 ? line : 299), buf);
    if (sscanf(first, "%15s %255s %15s", method, path, version) != 3 ||
        strncmp(version, "HTTP/1.", 7) != 0) {
        r->status = 400;
        return 1;
    }
    /* HTTP/1.1 keeps the connection unless told otherwise; 1.0 closes unless asked. */
    r->keep_alive = strcmp(version, "HTTP/1.0") != 0;
    for (const char *h = buf + line; h < end; h++) {
        if (*h != '\n')
            continue;
        if (!strncasecmp(h + 1, "connection: close", 17))
            r->keep_alive = 0;
        else if (!strncasecmp(h + 1, "connection: keep-alive", 22))
            r->keep_alive = 1;
    }
    if (strcmp(method, "GET") != 0) {
        r->status = 405;
        r->keep_alive = 0;
    } else if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0) {
        r->status = 200;
    } else if (strncmp(path, "/slow", 5) == 0 && (path[5] == 0 || path[5] == '?')) {
        const char *ms = strstr(path, "ms=");
        r->slow_ms = ms ? atol(ms + 3) : 1000;
        if (r->slow_ms < 0 || r->slow_ms > SLOW_MAX_MS)
            r->slow_ms = SLOW_MAX_MS;
        r->status = 200;
    } else {
        r->status = 404;
    }
    return 1;
}

/* Writes the response to r into out; a server that is stopping closes. */
static int format_reply(const struct request *r, char *out, size_t size)
{
    char body[128];
    const char *reason = "OK";
    if (r->status == 200 && r->slow_ms)
        snprintf(body, sizeof body, "slept %ld ms\n", r->slow_ms);
    else if (r->status == 200)
        snprintf(body, sizeof body, "hello from sprout httpd\n");
    else {
        reason = r->status == 404   ? "Not Found"
                 : r->status == 405 ? "Method Not Allowed"
                                    : "Bad Request";
        snprintf(body, sizeof body, "%d %s\n", r->status, reason);
    }
    if (max_requests && __atomic_add_fetch(&answered, 1, __ATOMIC_RELAXED) >= max_requests)
        stopping = 1;
    int keep = r->keep_alive && !stopping;
    return snprintf(out, size,
                    "HTTP/1.1 %d %s\r\nServer: sprout-httpd\r\nContent-Type: text/plain\r\n"
                    "Content-Length: %zu\r\nConnection: %s\r\n\r\n%s",
                    r->status, reason, strlen(body), keep ? "keep-alive" : "close", body);
}

static int make_listener(int port)
{
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (l < 0) {
        perror("httpd: socket");
        exit(1);
    }
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 256) < 0) {
        perror("httpd: bind/listen");
        exit(1);
    }
    fcntl(l, F_SETFL, fcntl(l, F_GETFL) | O_NONBLOCK);
    return l;
}

/* accept() failed: say why, once per episode of EMFILE/ENFILE. */
static void log_accept_error(int *in_episode)
{
    if (errno == EMFILE || errno == ENFILE) {
        if (!*in_episode)
            fprintf(stderr, "httpd[%d]: accept: %s (%s): pausing accepts\n", getpid(),
                    errno == EMFILE ? "EMFILE" : "ENFILE", strerror(errno));
        *in_episode = 1;
    } else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
        fprintf(stderr, "httpd[%d]: accept: %s\n", getpid(), strerror(errno));
    }
}

/* ---- the epoll model ---------------------------------------------------- */

struct conn {
    int fd;
    char in[REQUEST_MAX];
    size_t in_len;
    char out[REPLY_MAX];
    size_t out_len, out_done;
    struct request req; /* the request being answered */
    long wake_at;       /* /slow: when to answer; 0 when not waiting */
    int close_after;    /* close once out is sent */
    int answers;        /* requests answered so far: 0 means not yet idle */
    struct conn *next;  /* every open connection, for the timer scan */
};

static struct conn *conns;
static int ep, nconns;

static void watch(int fd, uint32_t events, void *ptr, int op)
{
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    epoll_ctl(ep, op, fd, &ev);
}

static void conn_close(struct conn *c)
{
    for (struct conn **p = &conns; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    close(c->fd);
    free(c);
    nconns--;
}

/* Sends what is left of c->out; returns -1 when c was closed. */
static int conn_flush(struct conn *c)
{
    while (c->out_done < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_done, c->out_len - c->out_done);
        if (n < 0 && errno == EAGAIN) {
            watch(c->fd, EPOLLOUT, c, EPOLL_CTL_MOD);
            return 0;
        }
        if (n <= 0) {
            conn_close(c);
            return -1;
        }
        c->out_done += (size_t)n;
    }
    c->out_len = c->out_done = 0;
    if (c->close_after) {
        conn_close(c);
        return -1;
    }
    watch(c->fd, EPOLLIN, c, EPOLL_CTL_MOD);
    return 0;
}

/* Answers c->req now (its wait is over) and sends it. */
static int conn_answer(struct conn *c)
{
    c->wake_at = 0;
    c->answers++;
    c->out_len = (size_t)format_reply(&c->req, c->out, sizeof c->out);
    c->close_after = !c->req.keep_alive || stopping;
    memmove(c->in, c->in + c->req.length, c->in_len - c->req.length);
    c->in_len -= c->req.length;
    return conn_flush(c);
}

/* Starts on every whole request buffered in c, until one has to wait. */
static void conn_serve(struct conn *c)
{
    while (c->wake_at == 0 && c->out_len == 0) {
        int got = parse_request(c->in, c->in_len, &c->req);
        if (got < 0) {
            c->req = (struct request){.length = c->in_len, .status = 400};
            got = 1;
        }
        if (got == 0)
            return;
        if (c->req.slow_ms > 0) {
            c->wake_at = now_ms() + c->req.slow_ms;
            watch(c->fd, 0, c, EPOLL_CTL_MOD); /* read nothing more while waiting */
            return;
        }
        if (conn_answer(c) < 0)
            return;
    }
}

static void conn_readable(struct conn *c)
{
    ssize_t n = read(c->fd, c->in + c->in_len, sizeof c->in - c->in_len);
    if (n <= 0) {
        if (n == 0 || errno != EAGAIN)
            conn_close(c);
        return;
    }
    c->in_len += (size_t)n;
    conn_serve(c);
}

/* Accepts every pending connection; on EMFILE stops watching the listener
 * (it would stay ready and spin the loop) until a connection closes. */
static void accept_all(int l, int *paused)
{
    for (;;) {
        int fd = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct conn *c = fd >= 0 ? calloc(1, sizeof *c) : NULL;
        if (fd >= 0 && !c) {
            close(fd);
            errno = ENOMEM;
        }
        if (!c) {
            log_accept_error(paused);
            if (*paused)
                epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
            return;
        }
        c->fd = fd;
        c->next = conns;
        conns = c;
        nconns++;
        watch(fd, EPOLLIN, c, EPOLL_CTL_ADD);
    }
}

/* The loop's timeout: until the earliest /slow answer is due, at most 1 s. */
static int next_timeout(int paused)
{
    long now = now_ms(), wait = paused ? 100 : 1000;
    for (struct conn *c = conns; c; c = c->next)
        if (c->wake_at && c->wake_at - now < wait)
            wait = c->wake_at - now;
    return wait < 0 ? 0 : (int)wait;
}

static int serve_epoll(int l)
{
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0 || pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        perror("httpd: epoll/pipe");
        return 1;
    }
    int paused = 0, listening = 1;
    long give_up = 0; /* once stopping: when to drop half-sent requests */
    watch(l, EPOLLIN, NULL, EPOLL_CTL_ADD);
    watch(wake_pipe[0], EPOLLIN, &wake_pipe, EPOLL_CTL_ADD);
    while (listening || nconns > 0) {
        struct epoll_event evs[64];
        int before = nconns;
        int n = epoll_wait(ep, evs, 64, next_timeout(paused));
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == NULL)
                accept_all(l, &paused);
            else if (evs[i].data.ptr != &wake_pipe) {
                struct conn *c = evs[i].data.ptr;
                if (c->out_len) {
                    if (conn_flush(c) == 0)
                        conn_serve(c);
                } else
                    conn_readable(c);
            }
        }
        long now = now_ms();
        for (struct conn *c = conns, *next; c; c = next) {
            next = c->next;
            if (c->wake_at && c->wake_at <= now && conn_answer(c) == 0)
                conn_serve(c);
        }
        if (stopping && listening) {
            /* Take the connections already queued, then stop accepting.
             * Idle connections (answered, nothing new) have no request in
             * flight; a fresh one's first request may still be on its way. */
            if (!paused)
                accept_all(l, &paused);
            close(l);
            listening = 0;
            give_up = now + STOP_GRACE_MS;
            for (struct conn *c = conns, *next; c; c = next) {
                next = c->next;
                if (!c->wake_at && !c->out_len && c->in_len == 0 && c->answers > 0)
                    conn_close(c);
            }
        }
        if (!listening && now >= give_up) {
            /* A client that never finishes its request (or never reads its
             * answer) must not keep the server from exiting. */
            for (struct conn *c = conns, *next; c; c = next) {
                next = c->next;
                if (!c->wake_at)
                    conn_close(c);
            }
        }
        /* A descriptor freed, or time to try again: listen once more. */
        if (paused && listening && (nconns < before || n == 0)) {
            paused = 0;
            watch(l, EPOLLIN, NULL, EPOLL_CTL_ADD);
        }
    }
    return 0;
}

/* ---- the blocking models: prefork and thread ------------------------------ */

/* Serves one connection to the end with blocking calls.  Waits for input in
 * short polls so that a SIGTERM closes an idle connection promptly. */
static void serve_blocking(int fd)
{
    char in[REQUEST_MAX], out[REPLY_MAX];
    size_t len = 0;
    int answers = 0;  /* a fresh connection's first request may be on its way */
    long give_up = 0; /* once stopping: when to drop a half-sent request */
    for (;;) {
        struct request r;
        int got = parse_request(in, len, &r);
        if (got < 0)
            r = (struct request){.length = len, .status = 400};
        if (got != 0) {
            for (struct timespec t = {r.slow_ms / 1000, r.slow_ms % 1000 * 1000000};
                 nanosleep(&t, &t) < 0 && errno == EINTR;)
                ; /* a SIGTERM does not cut a request short */
            int n = format_reply(&r, out, sizeof out);
            answers++;
            if (write(fd, out, (size_t)n) != n || !r.keep_alive || stopping)
                break;
            memmove(in, in + r.length, len - r.length);
            len -= r.length;
            continue;
        }
        if (stopping && ((len == 0 && answers > 0) || (give_up && now_ms() >= give_up)))
            break;
        if (stopping && !give_up)
            give_up = now_ms() + STOP_GRACE_MS;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = read(fd, in + len, sizeof in - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
}

/* Accepts until SIGTERM; after it, only the connections already queued (a
 * listener closed with a queue resets them).  Returns -1 when done. */
static int accept_blocking(int l, int *emfile)
{
    for (;;) {
        if (stopping) {
            int fd = accept4(l, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0)
                fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        struct pollfd p = {.fd = l, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int fd = accept4(l, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            *emfile = 0;
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        log_accept_error(emfile);
        if (*emfile)
            usleep(50000); /* wait for a descriptor to free */
    }
}

static int serve_prefork(int l, int workers)
{
    pid_t pids[64];
    if (workers < 1 || workers > 64)
        workers = 4;
    /* The parent sleeps in sigsuspend with SIGTERM blocked until then, so a
     * signal cannot slip in between the test of stopping and the sleep. */
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    for (int i = 0; i < workers; i++) {
        pids[i] = fork();
        if (pids[i] < 0) {
            perror("httpd: fork");
            workers = i;
            break;
        }
        if (pids[i] == 0) {
            sigprocmask(SIG_SETMASK, &old, NULL);
            int emfile = 0;
            for (int fd; (fd = accept_blocking(l, &emfile)) >= 0;)
                serve_blocking(fd);
            exit(0);
        }
    }
    close(l); /* the parent only supervises */
    while (!stopping)
        sigsuspend(&old);
    int status, ok = 1;
    for (int i = 0; i < workers; i++)
        kill(pids[i], SIGTERM);
    for (int i = 0; i < workers; i++)
        if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
            ok = 0;
    return ok ? 0 : 1;
}

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t live_done = PTHREAD_COND_INITIALIZER;
static int live_threads;

static void *connection_thread(void *arg)
{
    serve_blocking((int)(long)arg);
    pthread_mutex_lock(&live_lock);
    if (--live_threads == 0)
        pthread_cond_signal(&live_done);
    pthread_mutex_unlock(&live_lock);
    return NULL;
}

static int serve_threads(int l)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    /* Threads run with SIGTERM blocked: it interrupts the accepting thread. */
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    int emfile = 0;
    for (int fd; (fd = accept_blocking(l, &emfile)) >= 0;) {
        pthread_t t;
        pthread_sigmask(SIG_BLOCK, &term, &old);
        pthread_mutex_lock(&live_lock);
        live_threads++;
        pthread_mutex_unlock(&live_lock);
        if (pthread_create(&t, &attr, connection_thread, (void *)(long)fd) != 0) {
            fprintf(stderr, "httpd: no thread for a connection\n");
            close(fd);
            pthread_mutex_lock(&live_lock);
            live_threads--;
            pthread_mutex_unlock(&live_lock);
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    close(l);
    pthread_mutex_lock(&live_lock);
    while (live_threads > 0)
        pthread_cond_wait(&live_done, &live_lock);
    pthread_mutex_unlock(&live_lock);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: httpd [-m epoll|prefork|thread] [-w WORKERS] [-p PORT] [-n COUNT] [-q]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *model = "epoll";
    int port = 8080, workers = 4;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-q"))
            quiet = 1;
        else if (i + 1 >= argc)
            usage();
        else if (!strcmp(argv[i], "-m"))
            model = argv[++i];
        else if (!strcmp(argv[i], "-p"))
            port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-w"))
            workers = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n"))
            max_requests = atol(argv[++i]);
        else
            usage();
    }
    if (strcmp(model, "epoll") && strcmp(model, "prefork") && strcmp(model, "thread"))
        usage();
    if (max_requests && !strcmp(model, "prefork"))
        usage(); /* each worker would count its own */
    /* No SA_RESTART: a SIGTERM wakes pause() and the waits. */
    struct sigaction sa = {.sa_handler = on_sigterm};
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int l = make_listener(port);
    if (!quiet) {
        printf("httpd: %s model listening on port %d\n", model, port);
        fflush(stdout);
    }
    int status = !strcmp(model, "epoll")     ? serve_epoll(l)
                 : !strcmp(model, "prefork") ? serve_prefork(l, workers)
                                             : serve_threads(l);
    if (!quiet)
        printf("httpd: %s exiting with status %d\n", stopping ? "stopped;" : "failed;", status);
    return status;
}
