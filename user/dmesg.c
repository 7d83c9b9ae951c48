/*
 * dmesg.c - print the kernel's log.
 *
 * The kernel keeps its messages (printk) in a ring buffer in memory; the
 * syslog(2) system call copies it out.  glibc and musl call it klogctl()
 * so it is not confused with syslog(3), which sends messages to a daemon.
 * Each line starts with its level, "<6>" for info: we leave that out,
 * as dmesg does, unless -r (raw) is given.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#define SYSLOG_ACTION_READ_ALL 3     /* copy the whole buffer, leave it in place */
#define SYSLOG_ACTION_SIZE_BUFFER 10 /* how big the buffer is */
#define DEFAULT_LOG_SIZE (256 * 1024)

/* Writes the log, dropping the "<N>" at the start of each line unless raw. */
static void print_log(const char *log, size_t length, bool raw)
{
    bool line_start = true;

    for (size_t i = 0; i < length; i++) {
        if (line_start && !raw && log[i] == '<') {
            size_t j = i + 1;
            while (j < length && log[j] >= '0' && log[j] <= '9')
                j++;
            if (j < length && j > i + 1 && log[j] == '>')
                i = j + 1;
            if (i >= length)
                break;
        }
        putchar(log[i]);
        line_start = log[i] == '\n';
    }
    if (length > 0 && log[length - 1] != '\n')
        putchar('\n');
}

int main(int argc, char **argv)
{
    bool raw = argc == 2 && strcmp(argv[1], "-r") == 0;
    int size, length;
    char *log;

    if (argc > 2 || (argc == 2 && !raw)) {
        fprintf(stderr, "usage: dmesg [-r]\n");
        return 2;
    }
    size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
    if (size <= 0)
        size = DEFAULT_LOG_SIZE;
    log = malloc((size_t)size);
    if (!log) {
        fprintf(stderr, "dmesg: out of memory\n");
        return 1;
    }
    length = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
    if (length < 0) {
        fprintf(stderr, "dmesg: read kernel buffer failed: %s\n", strerror(errno));
        free(log);
        return 1;
    }
    print_log(log, (size_t)length, raw);
    free(log);
    return 0;
}
