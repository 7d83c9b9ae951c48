/*
 * bench.c - what the basic operations of a process cost, in one table.
 *
 *   bench [-q] [-n SCALE]
 *
 * Each benchmark repeats one operation many times, in ROUNDS rounds, and
 * reports the median round's cost per operation (the median shrugs off a
 * round disturbed by something else running):
 *
 *   getpid           a system call that does nearly nothing: the price of
 *                    entering and leaving the kernel
 *   pipe_switch      two processes bounce a byte through two pipes; one
 *                    round trip is two switches, so this is half a round trip
 *   fork_exit_wait   create a process, let it exit, collect it
 *   fork_exec_wait   the same, but the child loads a new program (/bin/true)
 *   page_fault       first touch of a fresh anonymous page: the kernel finds
 *                    a frame, zeroes it and maps it
 *   file_fault       first read of a page of a file mapping whose data is
 *                    already in the page cache: the kernel maps the cache's
 *                    frame (nothing to zero, nothing to read from a disk)
 *   pipe_throughput  bulk data through a pipe in 64 KiB writes (MB/s)
 *   thread_create    pthread_create + pthread_join of a thread that returns
 *                    at once: compare with fork_exit_wait
 *   futex_pingpong   two threads take turns through one futex word; like
 *                    pipe_switch, the cost of one switch (half a round trip)
 *   tcp_roundtrip    a byte to another process over a TCP connection on
 *                    127.0.0.1 and back: a whole round trip through the stack
 *   unix_roundtrip   the same over a Unix-domain stream socket pair
 *   tcp_throughput   bulk data over a TCP connection on 127.0.0.1 in 64 KiB
 *                    writes (MB/s): segments, checksums, ACKs, windows
 *   unix_throughput  the same over a Unix-domain stream socket pair
 *
 * -q runs small counts (for tests), -n SCALE multiplies every count. The same
 * program runs on Linux, so the two kernels can be compared line by line:
 * tools/bench-linux boots a Linux kernel with this very binary as /init (PID 1),
 * and then bench powers the machine off when it is done, as init must not exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 5
#define PAGE_SIZE 4096
#define PIPE_CHUNK (64 * 1024)

/* ---- pure helpers (tested by tests/unit/test_user_bench.c) --------------- */

/* The middle value of n (sorts values in place); the mean of the middle two if n is even. */
static double median(double *values, int n)
{
    for (int i = 1; i < n; i++) /* insertion sort: n is tiny */
        for (int j = i; j > 0 && values[j - 1] > values[j]; j--) {
            double swap = values[j];
            values[j] = values[j - 1];
            values[j - 1] = swap;
        }
    if (n <= 0)
        return 0;
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* A count times the -n scale, never below 1. */
static long scaled(long count, double scale)
{
    double v = count * scale;
    return v < 1 ? 1 : (long)v;
}

struct options {
    bool quick;         /* -q */
    double scale;       /* -n SCALE */
    unsigned long only; /* bit i: benchmarks[i] was named (0: none named, run all) */
};

static int benchmark_index(const char *name); /* -1: no benchmark has that name */

/* Returns NULL on success, else what was wrong. */
static const char *parse_options(int argc, char **argv, struct options *o)
{
    o->quick = false;
    o->scale = 1;
    o->only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) {
            o->quick = true;
        } else if (strcmp(argv[i], "-n") == 0) {
            char *end;
            if (i + 1 >= argc)
                return "-n needs a number";
            o->scale = strtod(argv[++i], &end);
            if (*end || !(o->scale > 0))
                return "-n needs a positive number";
        } else if (argv[i][0] == '-') {
            return "unknown argument";
        } else {
            int b = benchmark_index(argv[i]);
            if (b < 0)
                return "no such benchmark";
            o->only |= 1ul << b;
        }
    }
    return NULL;
}

#define ROW_FORMAT "%-16s %10s %12s  %s\n"

/* One table row; a failed benchmark (value < 0) says so instead of a number. */
static void format_row(char *buf, size_t size, const char *name, long iterations, double value,
                       const char *unit)
{
    char count[24], number[24];
    snprintf(count, sizeof count, "%ld", iterations);
    if (value < 0)
        snprintf(number, sizeof number, "failed");
    else
        snprintf(number, sizeof number, value < 100 ? "%.3f" : "%.1f", value);
    snprintf(buf, size, ROW_FORMAT, name, count, number, unit);
}

/* ---- the benchmarks: each runs one round and returns its cost, <0 on error */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per getpid. syscall() because a C library may cache getpid(). */
static double bench_getpid(long n)
{
    double start = now_ns();
    for (long i = 0; i < n; i++)
        syscall(SYS_getpid);
    return (now_ns() - start) / n;
}

/* us per switch: n round trips of one byte between two processes. */
static double bench_pipe_switch(long n)
{
    int to_child[2], to_parent[2];
    char c = 'x';
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) { /* the echo side: leaves at EOF */
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &c, 1) == 1 && write(to_parent[1], &c, 1) == 1)
            ;
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    double start = now_ns();
    long done = 0;
    while (done < n && write(to_child[1], &c, 1) == 1 && read(to_parent[0], &c, 1) == 1)
        done++;
    double elapsed = now_ns() - start;
    close(to_child[1]);
    close(to_parent[0]);
    waitpid(pid, NULL, 0);
    return done == n ? elapsed / 1000 / (2.0 * n) : -1;
}

/* us per fork + _exit + waitpid. */
static double bench_fork_exit_wait(long n)
{
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0)
            _exit(0);
        if (waitpid(pid, &status, 0) != pid || status != 0)
            return -1;
    }
    return (now_ns() - start) / 1000 / n;
}

static void *return_at_once(void *arg) { return arg; }

/* us per pthread_create + pthread_join. */
static double bench_thread_create_join(long n)
{
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, return_at_once, NULL) != 0 || pthread_join(t, NULL) != 0)
            return -1;
    }
    return (now_ns() - start) / 1000 / n;
}

/* The futex ping-pong: `turn` says whose move it is (0: main, 1: the other thread). */
struct pingpong {
    volatile int turn;
    long rounds;
};

static void futex_wait_while(volatile int *word, int value)
{
    while (*word == value)
        syscall(SYS_futex, word, 128 /* FUTEX_WAIT_PRIVATE */, value, NULL, NULL, 0);
}

static void futex_hand_over(volatile int *word, int value)
{
    *word = value;
    syscall(SYS_futex, word, 129 /* FUTEX_WAKE_PRIVATE */, 1, NULL, NULL, 0);
}

static void *pong(void *arg)
{
    struct pingpong *pp = arg;
    for (long i = 0; i < pp->rounds; i++) {
        futex_wait_while(&pp->turn, 0);
        futex_hand_over(&pp->turn, 0);
    }
    return NULL;
}

/* us per switch between two threads that wake each other through a futex. */
static double bench_futex_pingpong(long n)
{
    struct pingpong pp = {0, n};
    pthread_t t;
    if (pthread_create(&t, NULL, pong, &pp) != 0)
        return -1;
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        futex_hand_over(&pp.turn, 1);
        futex_wait_while(&pp.turn, 1);
    }
    double elapsed = now_ns() - start;
    pthread_join(t, NULL);
    return elapsed / 1000 / (2.0 * n);
}

static char *exec_argv[3]; /* what fork_exec_wait runs; chosen by choose_exec_target() */

/* us per fork + execve + waitpid. */
static double bench_fork_exec_wait(long n)
{
    static char *no_env[] = {NULL};
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            execve(exec_argv[0], exec_argv, no_env);
            _exit(127);
        }
        if (waitpid(pid, &status, 0) != pid || status != 0)
            return -1;
    }
    return (now_ns() - start) / 1000 / n;
}

/* ns per first touch of an anonymous page (n pages, mapped fresh each round). */
static double bench_page_fault(long n)
{
    size_t bytes = (size_t)n * PAGE_SIZE;
    char *region = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED)
        return -1;
    double start = now_ns();
    for (size_t offset = 0; offset < bytes; offset += PAGE_SIZE)
        ((volatile char *)region)[offset] = 1;
    double elapsed = now_ns() - start;
    munmap(region, bytes);
    return elapsed / n;
}

/* A file of at least `bytes` in the page cache (/tmp: ramfs in sprout, tmpfs
 * in Linux), already unlinked so that nothing is left behind: its descriptor. */
static int cached_file(size_t bytes)
{
    static int fd = -1;
    static size_t size;
    if (fd >= 0 && size >= bytes)
        return fd;
    if (fd >= 0)
        close(fd);
    mkdir("/tmp", 01777); /* Linux's initramfs has none */
    fd = open("/tmp/bench-file-fault", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    unlink("/tmp/bench-file-fault");
    static char chunk[PIPE_CHUNK];
    memset(chunk, 'f', sizeof chunk);
    for (size = 0; size < bytes; size += sizeof chunk) {
        if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) {
            close(fd);
            return fd = -1;
        }
    }
    return fd;
}

/* ns per first read of a cached file page (n pages, mapped fresh each round). */
static double bench_file_fault(long n)
{
    size_t bytes = (size_t)n * PAGE_SIZE;
    int fd = cached_file(bytes);
    if (fd < 0)
        return -1;
    char *region = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
    if (region == MAP_FAILED)
        return -1;
    unsigned sum = 0;
    double start = now_ns();
    for (size_t offset = 0; offset < bytes; offset += PAGE_SIZE)
        sum += ((volatile char *)region)[offset];
    double elapsed = now_ns() - start;
    munmap(region, bytes);
    return sum == (unsigned)n * 'f' ? elapsed / n : -1;
}

/* MB/s: n writes of 64 KiB into fds[1], for a child that reads fds[0] and
 * discards what it reads (a pipe, or the two ends of a connection). */
static double stream_throughput(int fds[2], long n)
{
    static char chunk[PIPE_CHUNK];
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[1]);
        while (read(fds[0], chunk, sizeof chunk) > 0)
            ;
        _exit(0);
    }
    close(fds[0]);
    double start = now_ns();
    long written = 0;
    for (long i = 0; i < n; i++) {
        for (size_t done = 0; done < sizeof chunk;) {
            ssize_t w = write(fds[1], chunk + done, sizeof chunk - done);
            if (w <= 0)
                break;
            done += w;
            written += w;
        }
    }
    close(fds[1]);
    waitpid(pid, NULL, 0); /* the child has read everything once it exits */
    double elapsed = now_ns() - start;
    return written == n * PIPE_CHUNK ? written / (elapsed / 1e9) / 1e6 : -1;
}

static double bench_pipe_throughput(long n)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    return stream_throughput(fds, n);
}

/* us per round trip of one byte between this process and an echoing child
 * over the connected stream sockets a (ours) and b (the child's). */
static double socket_roundtrip(int a, int b, long n)
{
    char c = 'x';
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) { /* the echo side: leaves at EOF */
        close(a);
        while (read(b, &c, 1) == 1 && write(b, &c, 1) == 1)
            ;
        _exit(0);
    }
    close(b);
    double start = now_ns();
    long done = 0;
    while (done < n && write(a, &c, 1) == 1 && read(a, &c, 1) == 1)
        done++;
    double elapsed = now_ns() - start;
    close(a);
    waitpid(pid, NULL, 0);
    return done == n ? elapsed / 1000 / n : -1;
}

static double bench_unix_roundtrip(long n)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    return socket_roundtrip(sv[0], sv[1], n);
}

/* A TCP connection on 127.0.0.1 (a listener on a free port, connect,
 * accept): *a is the connecting end, *b the accepted one.  0 or -1. */
static int tcp_pair(int *a_out, int *b_out)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int l = socket(AF_INET, SOCK_STREAM, 0), a = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (l < 0 || a < 0 || bind(l, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(l, 1) < 0 ||
        getsockname(l, (struct sockaddr *)&addr, &len) < 0 ||
        connect(a, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(l);
        close(a);
        return -1;
    }
    int b = accept(l, NULL, NULL);
    close(l);
    if (b < 0) {
        close(a);
        return -1;
    }
    setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *a_out = a;
    *b_out = b;
    return 0;
}

static double bench_tcp_roundtrip(long n)
{
    int a, b;
    return tcp_pair(&a, &b) < 0 ? -1 : socket_roundtrip(a, b, n);
}

static double bench_tcp_throughput(long n)
{
    int fds[2]; /* the child reads the accepted end; we write the other */
    return tcp_pair(&fds[1], &fds[0]) < 0 ? -1 : stream_throughput(fds, n);
}

static double bench_unix_throughput(long n)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0)
        return -1;
    return stream_throughput(fds, n);
}

struct benchmark {
    const char *name;
    long iterations, quick_iterations; /* per round */
    const char *unit;
    double (*round)(long iterations);
};

static const struct benchmark benchmarks[] = {
    {"getpid", 200000, 2000, "ns", bench_getpid},
    {"pipe_switch", 20000, 200, "us", bench_pipe_switch},
    {"fork_exit_wait", 500, 10, "us", bench_fork_exit_wait},
    {"fork_exec_wait", 200, 5, "us", bench_fork_exec_wait},
    {"page_fault", 8192, 128, "ns", bench_page_fault},
    {"file_fault", 4096, 128, "ns", bench_file_fault},
    {"pipe_throughput", 1024, 16, "MB/s", bench_pipe_throughput},
    {"thread_create", 500, 10, "us", bench_thread_create_join},
    {"futex_pingpong", 20000, 200, "us", bench_futex_pingpong},
    {"tcp_roundtrip", 5000, 100, "us", bench_tcp_roundtrip},
    {"unix_roundtrip", 10000, 100, "us", bench_unix_roundtrip},
    {"tcp_throughput", 256, 8, "MB/s", bench_tcp_throughput},
    {"unix_throughput", 1024, 16, "MB/s", bench_unix_throughput},
};
static const size_t nbenchmarks = sizeof benchmarks / sizeof benchmarks[0];
_Static_assert(sizeof benchmarks / sizeof benchmarks[0] <= 64, "options.only has a bit each");

static int benchmark_index(const char *name)
{
    for (size_t b = 0; b < nbenchmarks; b++)
        if (strcmp(name, benchmarks[b].name) == 0)
            return (int)b;
    return -1;
}

#ifndef HOST_TEST
/* /bin/true if there is one; else this program again with --exit. */
static int choose_exec_target(char *argv0)
{
    static char *candidates[][2] = {
        {"/bin/true", NULL}, {NULL, "--exit"}, {"/bin/bench", "--exit"}};
    candidates[1][0] = strchr(argv0, '/') ? argv0 : "/bin/bench";
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        int fd = open(candidates[i][0], O_RDONLY);
        if (fd >= 0) {
            close(fd);
            exec_argv[0] = candidates[i][0];
            exec_argv[1] = candidates[i][1];
            if (i > 0)
                fprintf(stderr, "bench: no /bin/true; fork_exec_wait runs %s --exit\n",
                        exec_argv[0]);
            return 0;
        }
    }
    return -1;
}

/* As PID 1 of tools/bench-linux's initramfs nobody has brought up Linux's
 * loopback interface (which gets 127.0.0.1 when it goes up), so the TCP rows
 * would fail: bring it up.  sprout's is up from boot. */
static void loopback_up(void)
{
    struct ifreq ifr = {0};
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return;
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
            perror("bench: bringing up lo");
    }
    close(fd);
}

/* As PID 1 (/init of tools/bench-linux's initramfs) there is nobody to return
 * to, and the kernel panics if init exits: power off instead. */
static int finish(int status)
{
    if (getpid() == 1) {
        fflush(NULL);
        sync();
        reboot(RB_POWER_OFF);
    }
    return status;
}

int main(int argc, char **argv)
{
    struct options o;
    const char *problem;
    char row[128];
    if (argc > 1 && strcmp(argv[1], "--exit") == 0)
        return 0; /* we are fork_exec_wait's child: nothing to do */
    if ((problem = parse_options(argc, argv, &o))) {
        fprintf(stderr, "bench: %s\nusage: bench [-q] [-n SCALE] [NAME...]\n", problem);
        return finish(2);
    }
    if (getpid() == 1)
        loopback_up();
    if (choose_exec_target(argv[0]) < 0)
        fprintf(stderr, "bench: nothing to exec: fork_exec_wait will fail\n");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf(ROW_FORMAT, "benchmark", "iterations", "median", "unit");
    for (size_t b = 0; b < nbenchmarks; b++) {
        const struct benchmark *bench = &benchmarks[b];
        if (o.only && !(o.only & (1ul << b)))
            continue;
        long n = scaled(o.quick ? bench->quick_iterations : bench->iterations, o.scale);
        double results[ROUNDS], value = 0;
        for (int r = 0; r < ROUNDS && value >= 0; r++)
            value = results[r] = bench->round(n);
        format_row(row, sizeof row, bench->name, n, value < 0 ? -1 : median(results, ROUNDS),
                   bench->unit);
        fputs(row, stdout);
    }
    return finish(0);
}
#endif /* HOST_TEST */
