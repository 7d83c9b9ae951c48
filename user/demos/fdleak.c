/*
 * fdleak.c - descriptor exhaustion: open files and never close them.
 *
 *   fdleak [LIMIT]
 *
 * Every open file, pipe or socket is a small number (a file descriptor) in the
 * process's table, and the table has a size limit: RLIMIT_NOFILE, which the
 * shell shows and sets with `ulimit -n`. A server that forgets to close a
 * connection leaks one descriptor per request; when the table is full, every
 * open/accept/pipe fails with EMFILE and the server stops serving. This demo
 * leaks /dev/null descriptors until that happens, then reports and exits 0.
 * LIMIT first lowers the soft limit, to reach the wall quickly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define GUARD 1000000 /* stop here even if the kernel never says no */

static void print_limit(const char *label, rlim_t value)
{
    if (value == RLIM_INFINITY)
        printf("%s unlimited", label);
    else
        printf("%s %lu", label, (unsigned long)value);
}

/* One more descriptor: /dev/null if there is one, else a copy of stdout. */
static int leak_one(void)
{
    static int use_dup;
    if (!use_dup) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd >= 0 || errno == EMFILE)
            return fd;
        printf("(cannot open /dev/null: %s; leaking dup(1) copies instead)\n", strerror(errno));
        use_dup = 1;
    }
    return dup(STDOUT_FILENO);
}

int main(int argc, char **argv)
{
    struct rlimit limit;
    long opened = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getrlimit(RLIMIT_NOFILE, &limit) < 0) {
        perror("fdleak: getrlimit");
        return 1;
    }
    if (argc > 1) {
        limit.rlim_cur = strtoul(argv[1], NULL, 0);
        if (setrlimit(RLIMIT_NOFILE, &limit) < 0)
            printf("fdleak: setrlimit(%s) failed: %s\n", argv[1], strerror(errno));
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    printf("fdleak: pid %d opens descriptors and never closes them.\n", getpid());
    printf(
        "Each one takes a slot in this process's table; the table is limited by RLIMIT_NOFILE (");
    print_limit("soft", limit.rlim_cur);
    print_limit(", hard", limit.rlim_max);
    printf(").\n");
    for (;;) {
        int fd = leak_one();
        if (fd < 0) {
            int why = errno;
            printf("open failed: %s after %ld descriptors (%s)\n",
                   why == EMFILE ? "EMFILE" : strerror(why), opened, strerror(why));
            break;
        }
        if (++opened >= GUARD) {
            printf("fdleak: %ld descriptors and still no EMFILE; stopping here\n", opened);
            return 0;
        }
    }
    printf("The table already held 0, 1 and 2 (stdin, stdout, stderr) and anything\n"
           "inherited, so %ld more filled it. A leaking server now refuses every connection.\n"
           "`ulimit -n N` raises the soft limit (up to the hard one) for programs the shell\n"
           "starts next, but that only delays it: the fix is to close() what you open.\n"
           "Exiting closes them all.\n",
           opened);
    return 0;
}
