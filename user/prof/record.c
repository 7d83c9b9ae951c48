/*
 * record.c - prof record: run a command with /dev/prof sampling it.
 *
 * The child waits on a pipe until the session is on, so the profile starts
 * with its first instruction of CMD (its execve is in it too).  While it
 * runs we drain the kernel's ring every few milliseconds into the data
 * file; when it has exited we stop the clock and take what is left.
 */
#include "kernel/prof_abi.h"
#include "user/prof/prof.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SEEN_MAX 64

static void usage(void)
{
    fprintf(stderr, "usage: prof record [-F HZ] [-o FILE] CMD [ARGS...]\n");
    exit(2);
}

/* Processes whose program we have already written an "exe" line for. */
static struct {
    int pid;
    char comm[16];
} seen[SEEN_MAX];
static int seen_count;

/* The executable of a live process: the path on its first executable mapping. */
static int exe_of(int pid, char *path, size_t size)
{
    char name[64], line[512];
    snprintf(name, sizeof name, "/proc/%d/maps", pid);
    FILE *f = fopen(name, "r");
    if (!f)
        return -1;
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        char perms[8];
        char *slash = strchr(line, '/');
        if (sscanf(line, "%*s %7s", perms) == 1 && perms[2] == 'x' && slash) {
            slash[strcspn(slash, "\n")] = '\0';
            snprintf(path, size, "%s", slash);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

/* Write "exe" the first time a (process, command) shows up, while it still lives. */
static void note_program(FILE *out, const struct prof_sample *s)
{
    for (int i = 0; i < seen_count; i++)
        if (seen[i].pid == s->pid && strncmp(seen[i].comm, s->comm, 16) == 0)
            return;
    char path[256];
    if (seen_count == SEEN_MAX || exe_of(s->pid, path, sizeof path) < 0)
        return;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strncmp(base, s->comm, 15) != 0)
        return; /* it has exec'd something else since: ask again for a later sample */
    seen[seen_count].pid = s->pid;
    memcpy(seen[seen_count].comm, s->comm, 16);
    seen_count++;
    fprintf(out, "exe %d %s %s\n", s->pid, s->comm, path);
}

static void write_sample(FILE *out, const struct prof_sample *s)
{
    note_program(out, s);
    fprintf(out, "s %d %d %s %c %llx", s->pid, s->tid, s->comm,
            (s->flags & PROF_SAMPLE_KERNEL) ? 'k' : 'u', s->user_rip);
    for (unsigned i = 0; i < s->kernel_depth && i < PROF_MAX_DEPTH; i++)
        fprintf(out, " %llx", s->kernel_chain[i]);
    fputc('\n', out);
}

/* Copy every sample the kernel holds now into the file. */
static long drain(int fd, FILE *out)
{
    static struct prof_sample batch[BATCH];
    long total = 0, n;
    while ((n = read(fd, batch, sizeof batch)) > 0) {
        for (long i = 0; i < n / (long)sizeof batch[0]; i++)
            write_sample(out, &batch[i]);
        total += n / (long)sizeof batch[0];
    }
    if (n < 0)
        perror("prof: read /dev/prof");
    return total;
}

int prof_record(int argc, char **argv)
{
    const char *output = PROF_DEFAULT_FILE;
    unsigned hz = 1024;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-F") == 0 && i + 1 < argc)
            hz = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else
            usage();
    }
    if (i >= argc)
        usage();

    FILE *out = fopen(output, "w");
    if (!out) {
        fprintf(stderr, "prof: %s: %s\n", output, strerror(errno));
        return 1;
    }
    int fd = open("/dev/prof", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        perror("prof: /dev/prof");
        return 1;
    }
    int go[2];
    if (pipe(go) < 0) {
        perror("prof: pipe");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("prof: fork");
        return 1;
    }
    if (child == 0) {
        char byte;
        close(go[1]);
        if (read(go[0], &byte, 1) != 1)
            _exit(126); /* the profiler could not start */
        close(go[0]);
        execvp(argv[i], &argv[i]);
        fprintf(stderr, "prof: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    close(go[0]);
    struct prof_config config = {.pid = child, .hz = hz};
    if (ioctl(fd, PROF_IOC_START, &config) < 0) {
        fprintf(stderr, "prof: cannot start sampling at %u Hz: %s\n", hz, strerror(errno));
        close(go[1]);
        waitpid(child, NULL, 0);
        return 1;
    }
    fprintf(out, "hz %u\n", config.hz);
    /* The command's program, in case it exits before we look at /proc. */
    const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    seen[0].pid = child;
    snprintf(seen[0].comm, sizeof seen[0].comm, "%s", base);
    seen_count = 1;
    fprintf(out, "exe %d %s %s%s\n", child, seen[0].comm, strchr(argv[i], '/') ? "" : "/bin/",
            argv[i]);
    if (write(go[1], "g", 1) != 1)
        perror("prof: write");
    close(go[1]);

    int status = 0;
    const struct timespec pause = {0, 20 * 1000 * 1000};
    for (;;) {
        drain(fd, out);
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child || (done < 0 && errno != EINTR))
            break;
        nanosleep(&pause, NULL);
    }
    ioctl(fd, PROF_IOC_STOP, 0);
    drain(fd, out);
    struct prof_stats stats = {0};
    ioctl(fd, PROF_IOC_STATS, &stats);
    fprintf(out, "stats %llu %llu %llu\n", stats.samples, stats.dropped, stats.interrupts);
    close(fd);
    if (fclose(out) != 0) {
        fprintf(stderr, "prof: %s: %s\n", output, strerror(errno));
        return 1;
    }
    fprintf(stderr, "prof: %llu samples (%llu dropped) at %u Hz in %s\n", stats.samples,
            stats.dropped, config.hz, output);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
