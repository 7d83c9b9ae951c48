/*
 * yes.c - print "y" (or the arguments) forever, to answer every question a
 * program asks, or just to keep a CPU and a pipe busy.  It stops when the
 * reader goes away: the next write() raises SIGPIPE, which ends it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char line[4096] = "y";
    size_t length = 1;

    if (argc > 1)
        length = 0;
    for (int i = 1; i < argc; i++) {
        int n = snprintf(line + length, sizeof line - length, "%s%s", i > 1 ? " " : "", argv[i]);
        if (n < 0 || (size_t)n >= sizeof line - length - 1) {
            length = sizeof line - 2; /* cut a very long line, keeping room for '\n' */
            break;
        }
        length += (size_t)n;
    }
    line[length++] = '\n';
    /* Fill a buffer with copies of the line: one write() per buffer, not per line. */
    char buf[8192];
    size_t used = 0;
    while (used + length <= sizeof buf) {
        memcpy(buf + used, line, length);
        used += length;
    }
    for (;;)
        if (write(STDOUT_FILENO, buf, used) < 0)
            return 1;
}
