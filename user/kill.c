/*
 * kill.c - send a signal to processes.
 *
 *   kill PID...                 SIGTERM: "please exit"
 *   kill -9 PID / kill -KILL PID / kill -s KILL PID
 *   kill -TERM -- -PGID         a negative PID means a whole process group
 *   kill -l [NUMBER|NAME]       list signal names, or translate one
 *   kill -L                     the list as a table with numbers
 *
 * Only the first argument (and the one after -s) can be an option, so
 * after it "-1234" is process group 1234, as in util-linux's kill.
 *
 * A signal the kernel refuses (no such process: ESRCH, not allowed: EPERM)
 * is reported, and kill exits 1.  `kill -9 1` is not refused: as on Linux,
 * the kernel accepts a signal for init (PID 1) and drops it unless init has
 * a handler for it, so init survives and kill, told the signal was sent,
 * exits 0 without a word (proc/sys_signal.c, init_drops).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/signame.h"

static int usage(void)
{
    fprintf(stderr, "usage: kill [-s SIGNAL | -SIGNAL] [--] PID...\n"
                    "       kill -l [SIGNAL] | kill -L\n");
    return 2;
}

/* kill -l: the names, as many on a line as fit in 80 columns. */
static void list_names(void)
{
    int column = 0;

    for (int number = 1; number <= SIGNAME_LAST; number++) {
        const char *name = signame_from_number(number);
        int width = (int)strlen(name) + (column > 0);
        if (column + width > 79) {
            printf("\n");
            column = 0;
            width--;
        }
        printf("%s%s", column > 0 ? " " : "", name);
        column += width;
    }
    printf("\n");
}

/* kill -L: " 1 HUP      2 INT ..." five to a line. */
static void list_table(void)
{
    for (int number = 1; number <= SIGNAME_LAST; number++)
        printf("%2d %-8s%s", number, signame_from_number(number),
               number % 5 == 0 || number == SIGNAME_LAST ? "\n" : " ");
}

/*
 * kill -l ARG: a number gives its name, a name its number.  128+N gives
 * N's name too: it is what $? holds after a signal N killed a command.
 */
static int translate(const char *arg)
{
    char *end;
    long number = strtol(arg, &end, 10);

    if (end != arg && *end == '\0') {
        if (number > 128)
            number -= 128;
        const char *name = signame_from_number((int)number);
        if (!name) {
            fprintf(stderr, "kill: unknown signal: %s\n", arg);
            return 1;
        }
        printf("%s\n", name);
        return 0;
    }
    int signal_number = signame_to_number(arg);
    if (signal_number <= 0) {
        fprintf(stderr, "kill: unknown signal: %s\n", arg);
        return 1;
    }
    printf("%d\n", signal_number);
    return 0;
}

/* Sends the signal to each PID argument; returns 0 if all succeeded, else 1. */
static int send_all(int signal_number, char **pids, int count)
{
    int status = 0;

    for (int i = 0; i < count; i++) {
        char *end;
        long pid = strtol(pids[i], &end, 10);
        if (end == pids[i] || *end != '\0') {
            fprintf(stderr, "kill: invalid process id: %s\n", pids[i]);
            status = 1;
            continue;
        }
        if (kill((pid_t)pid, signal_number) < 0) {
            fprintf(stderr, "kill: (%ld) - %s\n", pid, strerror(errno));
            status = 1;
        }
    }
    return status;
}

int main(int argc, char **argv)
{
    int signal_number = SIGTERM;
    int next = 1;

    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "-l") == 0)
        return argc == 2 ? (list_names(), 0) : argc == 3 ? translate(argv[2]) : usage();
    if (strcmp(argv[1], "-L") == 0)
        return argc == 2 ? (list_table(), 0) : usage();

    if (strcmp(argv[1], "-s") == 0) {
        if (argc < 3)
            return usage();
        signal_number = signame_to_number(argv[2]);
        if (signal_number < 0) {
            fprintf(stderr, "kill: unknown signal: %s\n", argv[2]);
            return 1;
        }
        next = 3;
    } else if (argv[1][0] == '-' && argv[1][1] != '\0' && strcmp(argv[1], "--") != 0) {
        signal_number = signame_to_number(argv[1] + 1);
        if (signal_number < 0) {
            fprintf(stderr, "kill: unknown signal: %s\n", argv[1] + 1);
            return 1;
        }
        next = 2;
    }
    if (next < argc && strcmp(argv[next], "--") == 0)
        next++;
    if (next >= argc)
        return usage();
    return send_all(signal_number, argv + next, argc - next);
}
