/*
 * graceful.c - a "server" that shuts down cleanly when asked to.
 *
 *   graceful [MAX_REQUESTS]
 *
 * Orchestrators (docker stop, Kubernetes, init at shutdown) ask a process to
 * stop by sending SIGTERM; ^C sends SIGINT. By default either signal kills the
 * process on the spot, dropping whatever request it was in the middle of.
 * This server installs a handler (sigaction) instead. The handler only sets a
 * flag - almost nothing is safe to do inside a handler - and the main loop
 * notices it, finishes the request in flight, cleans up, and exits 0.
 * SIGKILL (kill -9) cannot be caught: try it and see the difference.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal; /* set by the handler, read by the main loop */

static void on_stop_signal(int sig) { stop_signal = sig; }

static int announced; /* has the main loop reported the signal yet? */

static void announce_stop(long request)
{
    if (announced++)
        return;
    printf("%s received: finishing in-flight work (request %ld)\n",
           stop_signal == SIGTERM ? "SIGTERM" : "SIGINT", request);
}

/* One "request": 0.2 s of work. A signal cuts nanosleep short; finish the rest anyway. */
static void handle_request(long n)
{
    struct timespec left = {0, 200 * 1000 * 1000};
    printf("handling request %ld\n", n);
    while (nanosleep(&left, &left) < 0 && errno == EINTR)
        if (stop_signal)
            announce_stop(n);
}

int main(int argc, char **argv)
{
    long max_requests = argc > 1 ? atol(argv[1]) : 0, n = 0;
    struct sigaction sa;
    setvbuf(stdout, NULL, _IOLBF, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal; /* no SA_RESTART: let the signal interrupt the sleep */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0) {
        perror("graceful: sigaction");
        return 1;
    }
    printf("graceful: server pid %d; stop it with kill -TERM %d or ^C.\n", getpid(), getpid());
    printf("It catches SIGTERM/SIGINT, finishes the request in flight, then exits 0.\n");
    while (!stop_signal && (max_requests == 0 || n < max_requests))
        handle_request(++n);
    if (!stop_signal) {
        printf("graceful: served %ld requests, no signal came; exiting\n", n);
        return 0;
    }
    announce_stop(n); /* in case it came between two requests */
    printf("request %ld done; accepting no new requests\n", n);
    printf("closing connections, flushing logs...\n");
    printf("graceful shutdown complete after %ld requests\n", n);
    return 0;
}
