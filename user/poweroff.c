/*
 * poweroff.c - ask init to shut the machine down.
 *
 * Shutting down is init's job: it must stop the other processes first.
 * Like busybox's init, sprout's init shuts down gracefully when it receives
 * SIGUSR2, so all this program does is send that signal to PID 1.
 *
 * (On Linux, PID 1 is usually systemd, which treats SIGUSR2 differently:
 * it only logs its state.  Use the real poweroff there.)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "usage: poweroff\n");
        return 2;
    }
    printf("poweroff: asking init (PID 1) to shut the system down\n");
    fflush(stdout);
    if (kill(1, SIGUSR2) < 0) {
        fprintf(stderr, "poweroff: cannot signal init: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
