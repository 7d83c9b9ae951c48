/*
 * t_pipe.c - pipes: bytes come out in order and intact (4 MiB between two
 * processes), end of file once every write end is closed, SIGPIPE/EPIPE
 * when no reader is left, O_NONBLOCK (EAGAIN both ways), the 64 KiB
 * capacity, atomic writes of up to PIPE_BUF bytes, pipe2 flags, EFAULT,
 * and poll readiness (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLNVAL, timeouts).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define PIPE_CAPACITY 65536
#define ATOMIC_SIZE 4096 /* PIPE_BUF */

/* --- helpers ---------------------------------------------------------- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

/* Read exactly n bytes unless end of file comes first; returns bytes read. */
static size_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static int write_full(int fd, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *)buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

/* Fill the write end (made non-blocking) until EAGAIN; returns bytes written. */
static long fill(int wfd, size_t chunk)
{
    static char junk[ATOMIC_SIZE];
    CHECK_EQ(fcntl(wfd, F_SETFL, fcntl(wfd, F_GETFL) | O_NONBLOCK), 0);
    long total = 0;
    for (;;) {
        ssize_t n = write(wfd, junk, chunk);
        if (n < 0) {
            if (errno != EAGAIN)
                utest_fail(__FILE__, __LINE__, "write to a full pipe: errno %d (%s), want EAGAIN",
                           errno, strerror(errno));
            return total;
        }
        total += n;
        if (total > 16 * PIPE_CAPACITY)
            utest_fail(__FILE__, __LINE__, "wrote %ld bytes and the pipe is still not full", total);
    }
}

/* --- data -------------------------------------------------------------- */

static void data_comes_out_in_order(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(write(p[1], "abc", 3), 3);
    CHECK_EQ(write(p[1], "defg", 4), 4);
    char buf[32] = "";
    CHECK_EQ(read(p[0], buf, sizeof buf), 7); /* what is there, without waiting for more */
    CHECK_STR(buf, "abcdefg");
    /* Small reads take it piece by piece. */
    CHECK_EQ(write(p[1], "0123456789", 10), 10);
    for (int i = 0; i < 10; i++) {
        char c;
        CHECK_EQ(read(p[0], &c, 1), 1);
        CHECK_EQ(c, '0' + i);
    }
    CHECK_EQ(write(p[1], "", 0), 0);
    struct stat st;
    CHECK_EQ(fstat(p[0], &st), 0);
    CHECK(S_ISFIFO(st.st_mode));
    CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
    CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
    CHECK_ERRNO(write(p[0], "x", 1), EBADF); /* the ends are one-way */
    CHECK_ERRNO(read(p[1], buf, 1), EBADF);
    CHECK_ERRNO(lseek(p[0], 0, SEEK_CUR), ESPIPE);
}

/* The byte at position i of the big transfer. */
static unsigned char pattern(uint64_t i)
{
    uint64_t x = i * 0x9E3779B97F4A7C15ull;
    return (unsigned char)(x >> 56);
}

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

#define BIG (4 * 1024 * 1024)

static void four_mib_between_two_processes(void)
{
    int data[2], sums[2];
    CHECK_EQ(pipe(data), 0);
    CHECK_EQ(pipe(sums), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) { /* the writer: odd-sized writes, then its checksum */
        close(data[0]);
        close(sums[0]);
        static const size_t sizes[] = {1, 4093, 7, 65537, 333, 10000, 4096, 99999, 3};
        static unsigned char buf[100000];
        uint64_t sum = 14695981039346656037ull, pos = 0;
        for (int k = 0; pos < BIG; k++) {
            size_t n = sizes[k % 9];
            if (n > BIG - pos)
                n = BIG - pos;
            for (size_t i = 0; i < n; i++)
                buf[i] = pattern(pos + i);
            sum = fnv(sum, buf, n);
            if (write_full(data[1], buf, n) != 0)
                _exit(2);
            pos += n;
        }
        close(data[1]);
        _exit(write(sums[1], &sum, sizeof sum) == sizeof sum ? 0 : 3);
    }
    close(data[1]);
    close(sums[1]);
    static const size_t sizes[] = {3001, 17, 65541, 1, 8192, 777};
    static unsigned char buf[65541];
    uint64_t sum = 14695981039346656037ull, pos = 0;
    for (int k = 0;; k++) {
        ssize_t n = read(data[0], buf, sizes[k % 6]);
        if (n < 0 && errno == EINTR)
            continue;
        CHECK(n >= 0);
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != pattern(pos + (uint64_t)i))
                utest_fail(__FILE__, __LINE__, "byte %llu is 0x%02x, want 0x%02x",
                           (unsigned long long)(pos + (uint64_t)i), buf[i],
                           pattern(pos + (uint64_t)i));
        sum = fnv(sum, buf, (size_t)n);
        pos += (uint64_t)n;
        if (pos > BIG)
            break;
    }
    CHECK_EQ(pos, BIG);
    uint64_t writer_sum = 0;
    CHECK_EQ(read_full(sums[0], &writer_sum, sizeof writer_sum), sizeof writer_sum);
    if (writer_sum != sum)
        utest_fail(__FILE__, __LINE__, "reader's checksum %016llx, writer's %016llx",
                   (unsigned long long)sum, (unsigned long long)writer_sum);
    CHECK_EQ(wait_status(pid), 0);
}

/* --- end of file and broken pipes ---------------------------------------------- */

static void eof_only_after_every_writer_closed(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) { /* holds a write end for a while, then writes and exits */
        close(p[0]);
        sleep_ms(300);
        _exit(write(p[1], "late", 4) == 4 ? 0 : 1);
    }
    CHECK_EQ(close(p[1]), 0); /* our own copy: only the child's is left */
    char buf[16] = "";
    long long start = now_ms();
    CHECK_EQ(read_full(p[0], buf, 4), 4); /* no EOF while the child holds its end */
    CHECK_STR(buf, "late");
    CHECK(now_ms() - start >= 200);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0); /* the child exited: EOF */
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
    CHECK_EQ(wait_status(pid), 0);

    /* Data written before the close is still delivered before the EOF. */
    CHECK_EQ(pipe(p), 0);
    int extra = dup(p[1]);
    CHECK_EQ(write(p[1], "xy", 2), 2);
    CHECK_EQ(close(p[1]), 0);
    CHECK_EQ(write(extra, "z", 1), 1); /* a dup is a writer too */
    CHECK_EQ(close(extra), 0);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read_full(p[0], buf, sizeof buf), 3);
    CHECK_STR(buf, "xyz");
}

static void a_reader_blocked_in_read_sees_eof(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(p[1]);
        char c;
        _exit(read(p[0], &c, 1) == 0 ? 0 : 1); /* blocks, then EOF */
    }
    sleep_ms(200); /* let the child block */
    CHECK_EQ(close(p[1]), 0);
    CHECK_EQ(close(p[0]), 0);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static void no_reader_kills_the_writer_with_sigpipe(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        close(p[0]);
        write(p[1], "x", 1);
        _exit(0); /* not reached */
    }
    CHECK_EQ(close(p[0]), 0);
    CHECK_EQ(close(p[1]), 0);
    int status = wait_status(pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGPIPE)
        utest_fail(__FILE__, __LINE__, "writer's status 0x%x, want killed by SIGPIPE (%d)", status,
                   SIGPIPE);
}

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int sig) { got_sigpipe = sig; }

static void no_reader_with_sigpipe_ignored_is_epipe(void)
{
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(close(p[0]), 0);
    CHECK_ERRNO(write(p[1], "x", 1), EPIPE);
    CHECK_ERRNO(write(p[1], "x", 1), EPIPE);
    /* With a handler: the handler runs, and write still says EPIPE. */
    struct sigaction sa = {0};
    sa.sa_handler = on_sigpipe;
    CHECK_EQ(sigaction(SIGPIPE, &sa, NULL), 0);
    CHECK_ERRNO(write(p[1], "x", 1), EPIPE);
    CHECK_EQ(got_sigpipe, SIGPIPE);
}

/* A writer blocked on a full pipe is woken when the last reader goes. */
static void blocked_writer_gets_epipe_when_reader_closes(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        close(p[0]);
        static char buf[PIPE_CAPACITY * 2];
        ssize_t n = write(p[1], buf, sizeof buf); /* fills the pipe, then blocks */
        /* Part of it went in before the reader left: a short count or EPIPE. */
        if (n > 0 && n < (ssize_t)sizeof buf)
            n = write(p[1], buf, 1);
        _exit(n == -1 && errno == EPIPE ? 0 : 1);
    }
    CHECK_EQ(close(p[1]), 0);
    sleep_ms(300);
    CHECK_EQ(close(p[0]), 0);
    CHECK_EQ(wait_status(pid), 0);
}

/* --- non-blocking and capacity --------------------------------------------------- */

static void nonblocking_read_of_empty_pipe_is_eagain(void)
{
    int p[2];
    CHECK_EQ(pipe2(p, O_NONBLOCK), 0);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    char buf[8];
    CHECK_ERRNO(read(p[0], buf, sizeof buf), EAGAIN);
    CHECK_EQ(write(p[1], "ab", 2), 2);
    CHECK_EQ(read(p[0], buf, sizeof buf), 2);
    CHECK_ERRNO(read(p[0], buf, sizeof buf), EAGAIN);
    /* With every writer gone it is end of file, not EAGAIN. */
    CHECK_EQ(close(p[1]), 0);
    CHECK_EQ(read(p[0], buf, sizeof buf), 0);
}

static void capacity_is_64k_in_4k_writes(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(fill(p[1], 4096), PIPE_CAPACITY);
    CHECK_ERRNO(write(p[1], "x", 1), EAGAIN);
    /* Reading makes room again. */
    static char buf[4096];
    CHECK_EQ(read(p[0], buf, sizeof buf), 4096);
    CHECK_EQ(write(p[1], buf, 4096), 4096);
    CHECK_ERRNO(write(p[1], buf, 1), EAGAIN);
}

static void capacity_is_64k_in_1_byte_writes(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(fill(p[1], 1), PIPE_CAPACITY);
    /* Every byte is there, in order of writing. */
    long total = 0;
    static char buf[8192];
    CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        total += n;
    CHECK_EQ(n, -1);
    CHECK_EQ(errno, EAGAIN);
    CHECK_EQ(total, PIPE_CAPACITY);
}

/* A non-blocking write of at most PIPE_BUF bytes that does not fit is
 * refused whole (EAGAIN), not cut. */
static void nonblocking_small_write_is_all_or_nothing(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(fill(p[1], 4096), PIPE_CAPACITY);
    static char buf[4096];
    CHECK_EQ(read(p[0], buf, 100), 100); /* 100 bytes free */
    CHECK_ERRNO(write(p[1], buf, 4096), EAGAIN);
}

/* --- atomic writes ------------------------------------------------------------ */

#define WRITERS 4
#define RECORDS 100

static void writes_up_to_pipe_buf_are_atomic(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        CHECK(pids[w] >= 0);
        if (pids[w] == 0) {
            close(p[0]);
            static char record[ATOMIC_SIZE];
            memset(record, 'A' + w, sizeof record);
            for (int i = 0; i < RECORDS; i++)
                if (write(p[1], record, sizeof record) != (ssize_t)sizeof record)
                    _exit(1);
            _exit(0);
        }
    }
    CHECK_EQ(close(p[1]), 0);
    int count[WRITERS] = {0};
    static char record[ATOMIC_SIZE];
    int records = 0;
    size_t got;
    while ((got = read_full(p[0], record, sizeof record)) == sizeof record) {
        char c = record[0];
        if (c < 'A' || c >= 'A' + WRITERS)
            utest_fail(__FILE__, __LINE__, "record %d starts with byte 0x%02x", records, c);
        for (size_t i = 1; i < sizeof record; i++)
            if (record[i] != c)
                utest_fail(
                    __FILE__, __LINE__,
                    "record %d is mixed: byte 0 is '%c', byte %zu is '%c' (a write was split)",
                    records, c, i, record[i]);
        count[c - 'A']++;
        records++;
    }
    CHECK_EQ(got, 0);
    for (int w = 0; w < WRITERS; w++) {
        CHECK_EQ(wait_status(pids[w]), 0);
        CHECK_EQ(count[w], RECORDS);
    }
}

/* --- pipe2 and bad pointers ------------------------------------------------------ */

static void pipe2_flags(void)
{
    int p[2];
    CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
    CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
    CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(fcntl(p[0], F_GETFD), 0);
    CHECK_EQ(fcntl(p[1], F_GETFD), 0);
    CHECK_EQ(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    CHECK_ERRNO(pipe2(p, O_APPEND), EINVAL);
}

static void pipe_with_a_bad_pointer_is_efault(void)
{
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    CHECK_ERRNO(syscall(SYS_pipe, NULL), EFAULT);
    CHECK_ERRNO(syscall(SYS_pipe, (int *)0xffff800000000000ul), EFAULT);
    CHECK_ERRNO(syscall(SYS_pipe2, NULL, O_CLOEXEC), EFAULT);
    /* Read-only memory cannot receive the descriptors either. */
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED);
    CHECK_ERRNO(syscall(SYS_pipe, ro), EFAULT);
    /* No descriptor was left behind by the failed calls. */
    int fd = dup(0);
    CHECK_EQ(fd, 3);
}

/* --- poll ---------------------------------------------------------------------- */

static short poll_one(int fd, short events, int timeout_ms)
{
    struct pollfd pfd = {fd, events, 0x7fff};
    int n = poll(&pfd, 1, timeout_ms);
    CHECK(n >= 0);
    CHECK_EQ(n, pfd.revents ? 1 : 0);
    return pfd.revents;
}

static void poll_pollin_only_when_there_is_data(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(poll_one(p[0], POLLIN, 0), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(poll_one(p[0], POLLIN, 0), POLLIN);
    char c;
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_EQ(poll_one(p[0], POLLIN, 0), 0);
}

static void poll_pollout_while_there_is_room(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(poll_one(p[1], POLLOUT, 0), POLLOUT);
    CHECK_EQ(poll_one(p[1], POLLIN, 0), 0); /* only what was asked for */
    fill(p[1], 4096);
    CHECK_EQ(poll_one(p[1], POLLOUT, 0), 0);
    static char buf[PIPE_CAPACITY];
    CHECK_EQ(read_full(p[0], buf, sizeof buf), sizeof buf);
    CHECK_EQ(poll_one(p[1], POLLOUT, 0), POLLOUT);
}

static void poll_pollhup_after_writers_close(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(close(p[1]), 0);
    CHECK_EQ(poll_one(p[0], POLLIN, 0), POLLIN | POLLHUP); /* data, and no writer */
    char c;
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_EQ(poll_one(p[0], POLLIN, 0), POLLHUP);
    CHECK_EQ(poll_one(p[0], 0, 0), POLLHUP); /* reported even when not asked for */
}

static void poll_pollerr_on_write_end_without_readers(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(close(p[0]), 0);
    CHECK(poll_one(p[1], POLLOUT, 0) & POLLERR);
}

static void poll_times_out_on_an_empty_pipe(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    long long start = now_ms();
    CHECK_EQ(poll_one(p[0], POLLIN, 100), 0);
    long long elapsed = now_ms() - start;
    if (elapsed < 90 || elapsed > 5000)
        utest_fail(__FILE__, __LINE__, "poll with a 100 ms timeout returned after %lld ms",
                   elapsed);
}

static void poll_wakes_up_when_data_arrives(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        sleep_ms(200);
        _exit(write(p[1], "x", 1) == 1 ? 0 : 1);
    }
    long long start = now_ms();
    CHECK_EQ(poll_one(p[0], POLLIN, 10000), POLLIN);
    long long elapsed = now_ms() - start;
    if (elapsed < 100 || elapsed > 5000)
        utest_fail(__FILE__, __LINE__, "poll woke after %lld ms; the data came after 200 ms",
                   elapsed);
    CHECK_EQ(wait_status(pid), 0);
}

static void poll_reports_pollnval_for_a_bad_fd(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    struct pollfd fds[3] = {
        {200, POLLIN, 0x7fff}, /* never opened */
        {-1, POLLIN, 0x7fff},  /* negative: ignored */
        {p[0], POLLIN, 0x7fff},
    };
    CHECK_EQ(poll(fds, 3, 0), 2);
    CHECK_EQ(fds[0].revents, POLLNVAL);
    CHECK_EQ(fds[1].revents, 0);
    CHECK_EQ(fds[2].revents, POLLIN);
    CHECK_ERRNO(poll((struct pollfd *)0xffff800000000000ul, 1, 0), EFAULT);
}

#define MANY_PIPES 20

/* poll on more pipes than fit in a small table: data on any of them wakes it. */
static void poll_on_many_pipes_wakes_for_any(void)
{
    int p[MANY_PIPES][2];
    struct pollfd fds[MANY_PIPES * 2];
    for (int i = 0; i < MANY_PIPES; i++) {
        CHECK_EQ(pipe(p[i]), 0);
        fds[i] = (struct pollfd){p[i][0], POLLIN, 0};
        fds[MANY_PIPES + i] = (struct pollfd){p[i][0], POLLIN, 0}; /* each twice */
    }
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        sleep_ms(200);
        _exit(write(p[15][1], "x", 1) == 1 ? 0 : 1);
    }
    CHECK_EQ(poll(fds, MANY_PIPES * 2, 10000), 2);
    for (int i = 0; i < MANY_PIPES * 2; i++)
        CHECK_EQ(fds[i].revents, i % MANY_PIPES == 15 ? POLLIN : 0);
    CHECK_EQ(wait_status(pid), 0);
    struct rlimit limit;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
    CHECK_ERRNO(poll(fds, limit.rlim_cur + 1, 0), EINVAL); /* more than RLIMIT_NOFILE entries */
}

/* A failed copy (bad buffer) neither loses nor invents pipe data. */
static void bad_buffers_are_efault_and_keep_the_data(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_ERRNO(write(p[1], NULL, 3), EFAULT);
    CHECK_ERRNO(write(p[1], (void *)0xffff800000000000ul, 3), EFAULT);
    CHECK_EQ(poll_one(p[0], POLLIN, 0), 0); /* nothing went in */
    CHECK_EQ(write(p[1], "abc", 3), 3);
    CHECK_ERRNO(read(p[0], NULL, 3), EFAULT);
    CHECK_ERRNO(read(p[0], (void *)0xffff800000000000ul, 3), EFAULT);
    char buf[8] = "";
    CHECK_EQ(read(p[0], buf, sizeof buf), 3); /* all still there */
    CHECK_STR(buf, "abc");
}

/* --- signals -------------------------------------------------------------------- */

static void on_alarm(int sig) { (void)sig; }

static void read_blocked_on_a_pipe_is_interrupted_by_a_signal(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm; /* no SA_RESTART: the read must end with EINTR */
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 0}, {0, 200 * 1000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
    char c;
    CHECK_ERRNO(read(p[0], &c, 1), EINTR);
    /* With SA_RESTART the read goes on and gets the data written later. */
    sa.sa_flags = SA_RESTART;
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        sleep_ms(500);
        _exit(write(p[1], "r", 1) == 1 ? 0 : 1);
    }
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
    CHECK_EQ(read(p[0], &c, 1), 1);
    CHECK_EQ(c, 'r');
    CHECK_EQ(wait_status(pid), 0);
}

/* poll is never restarted after a handler ran, even with SA_RESTART. */
static void poll_is_interrupted_by_a_signal(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 0}, {0, 200 * 1000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
    struct pollfd pfd = {p[0], POLLIN, 0};
    long long start = now_ms();
    CHECK_ERRNO(poll(&pfd, 1, 10000), EINTR);
    CHECK(now_ms() - start < 5000);
}

static const struct utest_case cases[] = {
    UTEST(data_comes_out_in_order),
    UTEST(four_mib_between_two_processes),
    UTEST(eof_only_after_every_writer_closed),
    UTEST(a_reader_blocked_in_read_sees_eof),
    UTEST(no_reader_kills_the_writer_with_sigpipe),
    UTEST(no_reader_with_sigpipe_ignored_is_epipe),
    UTEST(blocked_writer_gets_epipe_when_reader_closes),
    UTEST(nonblocking_read_of_empty_pipe_is_eagain),
    UTEST(capacity_is_64k_in_4k_writes),
    UTEST(capacity_is_64k_in_1_byte_writes),
    UTEST(nonblocking_small_write_is_all_or_nothing),
    UTEST(writes_up_to_pipe_buf_are_atomic),
    UTEST(pipe2_flags),
    UTEST(pipe_with_a_bad_pointer_is_efault),
    UTEST(poll_pollin_only_when_there_is_data),
    UTEST(poll_pollout_while_there_is_room),
    UTEST(poll_pollhup_after_writers_close),
    UTEST(poll_pollerr_on_write_end_without_readers),
    UTEST(poll_times_out_on_an_empty_pipe),
    UTEST(poll_wakes_up_when_data_arrives),
    UTEST(poll_reports_pollnval_for_a_bad_fd),
    UTEST(poll_on_many_pipes_wakes_for_any),
    UTEST(bad_buffers_are_efault_and_keep_the_data),
    UTEST(read_blocked_on_a_pipe_is_interrupted_by_a_signal),
    UTEST(poll_is_interrupted_by_a_signal),
};
UTEST_MAIN("pipe", cases)
