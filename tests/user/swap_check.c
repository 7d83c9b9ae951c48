/*
 * swap_check.c - swapping: memory bigger than RAM keeps every byte, fork's
 * copy-on-write stays right for pages that went to swap and came back,
 * swapoff brings pages back (or says ENOMEM), and swapon/swapoff refuse bad
 * input with Linux's errno values.
 *
 * Meant for a small machine with a swap area: tests/qemu/test_swap.sh boots
 * sprout with `tools/run-qemu --mem 20M --swap 64M` (the area is /dev/vda)
 * and runs /bin/swap_check.  Its name does not start with "t_", so utest-all
 * (the normal boot, without swap) does not run it.  On Linux it runs nothing.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <arpa/inet.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include "tests/user/utest.h"

#define MIB (1024L * 1024)
#define SWAP_DEVICE "/dev/vda"

/* --- helpers ---------------------------------------------------------- */

static int skipped_on_linux(void)
{
    if (is_sprout())
        return 0;
    printf("note: %s: needs sprout's test machine with a swap area; skipped on Linux\n",
           utest_case_name);
    return 1;
}

/* The number after `key` in a /proc file (key includes its ':' or ' '), or -1. */
static long proc_value(const char *path, const char *key)
{
    static char buf[4096];
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    CHECK(n > 0);
    buf[n] = '\0';
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, key, strlen(key)) == 0)
            return atol(line + strlen(key));
    return -1;
}

static long mem_total_bytes(void) { return proc_value("/proc/meminfo", "MemTotal:") * 1024; }
static long mem_free_bytes(void) { return proc_value("/proc/meminfo", "MemFree:") * 1024; }
static long swap_used_kib(void)
{
    return proc_value("/proc/meminfo", "SwapTotal:") - proc_value("/proc/meminfo", "SwapFree:");
}

/* The 64-bit word at index i of a block filled with `seed`. */
static uint64_t pattern(size_t i, uint64_t seed) { return (i * 0x9E3779B97F4A7C15ull) ^ seed; }

static uint64_t *map_block(size_t bytes)
{
    void *block = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(block != MAP_FAILED);
    return block;
}

static void fill(uint64_t *block, size_t bytes, uint64_t seed)
{
    for (size_t i = 0; i < bytes / 8; i++)
        block[i] = pattern(i, seed);
}

/* Every word as fill() left it; fails the case at the first difference. */
static void verify(const uint64_t *block, size_t bytes, uint64_t seed)
{
    for (size_t i = 0; i < bytes / 8; i++)
        if (block[i] != pattern(i, seed))
            utest_fail(__FILE__, __LINE__, "word %zu of %zu (page %zu): expected %#llx, got %#llx",
                       i, bytes / 8, i / 512, (unsigned long long)pattern(i, seed),
                       (unsigned long long)block[i]);
}

/* Field 12 of /proc/self/stat: major faults. */
static long my_major_faults(void)
{
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    CHECK(n > 0);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    CHECK(p != NULL);
    long value = -1;
    for (int field = 3; field <= 12; field++) {
        p = strchr(p + 1, ' ');
        CHECK(p != NULL);
        if (field == 12)
            value = atol(p + 1);
    }
    return value;
}

/* --- cases ------------------------------------------------------------ */

static void boot_area_is_listed(void)
{
    if (skipped_on_linux())
        return;
    char buf[512];
    int fd = open("/proc/swaps", O_RDONLY);
    CHECK(fd >= 0);
    size_t n = read_all(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n] = '\0';
    CHECK(strncmp(buf, "Filename", 8) == 0);
    CHECK(strstr(buf, SWAP_DEVICE) != NULL && strstr(buf, "partition") != NULL);
    /* mkswap of 64 MiB: 16384 pages, the header is not counted. */
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 65532);
}

static void more_than_ram_keeps_every_byte(void)
{
    if (skipped_on_linux())
        return;
    long out_before = proc_value("/proc/vmstat", "pswpout ");
    long in_before = proc_value("/proc/vmstat", "pswpin ");
    size_t bytes = (size_t)mem_total_bytes() + MIB; /* more than all of RAM */
    uint64_t *block = map_block(bytes);
    fill(block, bytes, 0x5eed);
    verify(block, bytes, 0x5eed);
    CHECK(proc_value("/proc/vmstat", "pswpout ") - out_before >= MIB / 4096);
    CHECK(proc_value("/proc/vmstat", "pswpin ") > in_before);
    CHECK(my_major_faults() > 0);
    CHECK_EQ(munmap(block, bytes), 0);
}

static void exit_frees_the_slots(void)
{
    if (skipped_on_linux())
        return;
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) { /* swap some pages out and exit without unmapping them */
        size_t bytes = (size_t)mem_free_bytes() + 2 * MIB;
        fill(map_block(bytes), bytes, 5);
        long report[2] = {proc_value("/proc/self/status", "VmSwap:"), swap_used_kib()};
        _exit(write(fds[1], report, sizeof report) == sizeof report ? 0 : 1);
    }
    close(fds[1]);
    long report[2];
    CHECK_EQ(read(fds[0], report, sizeof report), (ssize_t)sizeof report);
    CHECK_EQ(wait_status(pid), 0);
    CHECK(report[0] >= 2048); /* the child had at least 2 MiB on swap */
    /* ... and they are free again.  Other processes' pages may have gone out
     * meanwhile (the parent's wake-up needs frames): 1 MiB of slack.  kswapd0
     * may still hold the dead address space for the write it sleeps on: its
     * slots come back when that ends, so wait up to 2 s. */
    long used = swap_used_kib();
    for (int tries = 0; tries < 40 && used > report[1] - report[0] + 1024; tries++) {
        sleep_ms(50);
        used = swap_used_kib();
    }
    if (used > report[1] - report[0] + 1024)
        utest_fail(__FILE__, __LINE__,
                   "swap used %ld KiB after the exit, %ld before it with %ld KiB "
                   "of the child's",
                   used, report[1], report[0]);
}

static void fork_copy_on_write_across_swap(void)
{
    if (skipped_on_linux())
        return;
    size_t shared = (size_t)mem_free_bytes() / 2, pressure = (size_t)mem_free_bytes() * 3 / 4;
    uint64_t *block = map_block(shared);
    fill(block, shared, 1);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        /* Push the shared pages out, then read them back and change half. */
        uint64_t *other = map_block(pressure);
        fill(other, pressure, 2);
        verify(block, shared, 1);
        fill(block, shared / 2, 3);
        verify(block, shared / 2, 3);
        verify(other, pressure, 2);
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0);
    verify(block, shared, 1); /* the child's writes are its own */
    fill(block, shared, 4);
    verify(block, shared, 4);
}

/*
 * A block pushed (mostly) out to swap by a bigger one, mapped above it and
 * unmapped afterwards: the clock walks an address space upwards, so the
 * block's pages, idle since they were filled, are the first to go.  A
 * PROT_NONE page follows the block, so mremap cannot grow it in place.
 */
static uint64_t *swapped_out_block(size_t bytes, uint64_t seed)
{
    size_t pressure = (size_t)mem_free_bytes() + 2 * MIB;
    uint64_t *other = map_block(pressure);
    uint64_t *block = map_block(bytes + 4096);
    CHECK((char *)block < (char *)other);
    CHECK_EQ(mprotect((char *)block + bytes, 4096, PROT_NONE), 0);
    fill(block, bytes, seed);
    fill(other, pressure, seed + 1);
    CHECK_EQ(munmap(other, pressure), 0);
    CHECK(proc_value("/proc/self/status", "VmSwap:") >= (long)(bytes / 2048)); /* half of it */
    return block;
}

static void swapped_pages_survive_fork_mprotect_mremap(void)
{
    if (skipped_on_linux())
        return;
    size_t bytes = 4 * MIB;
    uint64_t *block = swapped_out_block(bytes, 11);
    pid_t pid = fork_or_fail(); /* the child inherits the swap entries */
    if (pid == 0) {
        verify(block, bytes, 11);
        fill(block, MIB, 12);
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(mprotect(block, bytes, PROT_READ), 0);
    verify(block, bytes, 11);
    CHECK_EQ(mprotect(block, bytes, PROT_READ | PROT_WRITE), 0);
    CHECK_EQ(munmap(block, bytes + 4096), 0);

    block = swapped_out_block(bytes, 13);
    uint64_t *moved = mremap(block, bytes, bytes + MIB, MREMAP_MAYMOVE);
    CHECK(moved != MAP_FAILED && moved != block); /* the swap entries moved with it */
    verify(moved, bytes, 13);
    CHECK_EQ(munmap(moved, bytes + MIB), 0);
    CHECK_EQ(munmap((char *)block + bytes, 4096), 0);

    block = swapped_out_block(bytes, 15);
    long used = swap_used_kib();
    CHECK_EQ(madvise(block, bytes, MADV_DONTNEED), 0); /* drops the slots too */
    CHECK(swap_used_kib() <= used - (long)(bytes / 2048));
    for (size_t i = 0; i < bytes / 8; i += 512)
        CHECK_EQ(block[i], 0);
    CHECK_EQ(munmap(block, bytes + 4096), 0);
}

static void swapoff_without_room_is_enomem(void)
{
    if (skipped_on_linux())
        return;
    size_t bytes = (size_t)mem_free_bytes() + 2 * MIB;
    uint64_t *block = map_block(bytes);
    fill(block, bytes, 7);
    CHECK_ERRNO(swapoff(SWAP_DEVICE), ENOMEM);
    CHECK(proc_value("/proc/meminfo", "SwapTotal:") > 0); /* still on */
    verify(block, bytes, 7);
}

static void swapoff_brings_pages_back(void)
{
    if (skipped_on_linux())
        return;
    size_t total = (size_t)mem_free_bytes() + 2 * MIB, keep = 2 * MIB;
    uint64_t *block = map_block(total);
    fill(block, total, 9);
    /* The first pages went out first; drop the rest to make room for them. */
    CHECK_EQ(munmap((char *)block + keep, total - keep), 0);
    CHECK(swap_used_kib() > 0);
    CHECK_EQ(swapoff(SWAP_DEVICE), 0);
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 0);
    long major = my_major_faults();
    verify(block, keep, 9);
    CHECK_EQ(my_major_faults(), major); /* all in memory: no disk reads */
    CHECK_EQ(swapon(SWAP_DEVICE, 0), 0);
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 65532);
}

/* Write `page` (4096 bytes) over the swap header, then try swapon. */
static int swapon_with_header(const char *page)
{
    int fd = open(SWAP_DEVICE, O_WRONLY);
    CHECK(fd >= 0);
    CHECK_EQ(pwrite(fd, page, 4096, 0), 4096);
    close(fd);
    return swapon(SWAP_DEVICE, 0) == 0 ? 0 : errno;
}

static void bad_headers_are_einval(void)
{
    if (skipped_on_linux())
        return;
    static char good[4096], bad[4096];
    CHECK_EQ(swapoff(SWAP_DEVICE), 0);
    int fd = open(SWAP_DEVICE, O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(pread(fd, good, sizeof good, 0), 4096);
    close(fd);
    CHECK(memcmp(good + 4086, "SWAPSPACE2", 10) == 0);

    memcpy(bad, good, sizeof bad);
    memcpy(bad + 4086, "SWAP-SPACE", 10); /* the old version-0 signature */
    CHECK_EQ(swapon_with_header(bad), EINVAL);
    memcpy(bad, good, sizeof bad);
    bad[1024] = 2; /* version 2 */
    CHECK_EQ(swapon_with_header(bad), EINVAL);
    memcpy(bad, good, sizeof bad);
    uint32_t one_bad[2] = {1, 100000}; /* a bad page past last_page */
    memcpy(bad + 1032, &one_bad[0], 4);
    memcpy(bad + 1536, &one_bad[1], 4);
    CHECK_EQ(swapon_with_header(bad), EINVAL);
    memcpy(bad, good, sizeof bad);
    memset(bad + 1028, 0, 4); /* last_page 0: nothing usable */
    CHECK_EQ(swapon_with_header(bad), EINVAL);
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 0);

    /* Two bad pages listed: the area is two pages smaller. */
    memcpy(bad, good, sizeof bad);
    uint32_t bad_pages[3] = {2, 5, 9};
    memcpy(bad + 1032, &bad_pages[0], 4);
    memcpy(bad + 1536, &bad_pages[1], 8);
    CHECK_EQ(swapon_with_header(bad), 0);
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 65532 - 8);
    CHECK_EQ(swapoff(SWAP_DEVICE), 0);

    CHECK_EQ(swapon_with_header(good), 0);
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 65532);
}

static void bad_calls_get_linux_errnos(void)
{
    if (skipped_on_linux())
        return;
    CHECK_ERRNO(swapon(SWAP_DEVICE, 0), EBUSY);  /* already on */
    CHECK_ERRNO(swapon("/dev/null", 0), EINVAL); /* not a block device */
    CHECK_ERRNO(swapon("/bin/sh", 0), EINVAL);   /* a file: swap files are not supported */
    CHECK_ERRNO(swapon("/no/such/disk", 0), ENOENT);
    CHECK_ERRNO(swapon((const char *)1, 0), EFAULT);
    CHECK_ERRNO(swapon(SWAP_DEVICE, 0x40000000), EINVAL); /* unknown flag */
    CHECK_ERRNO(swapoff("/dev/null"), EINVAL);            /* not a swap area */
    CHECK_ERRNO(swapoff((const char *)1), EFAULT);
    CHECK_ERRNO(swapoff(""), ENOENT);
    CHECK_EQ(swapoff(SWAP_DEVICE), 0);
    CHECK_ERRNO(swapoff(SWAP_DEVICE), EINVAL); /* no longer active */
    CHECK_EQ(swapon(SWAP_DEVICE, 0), 0);
}

static void only_root_may_swapon(void)
{
    if (skipped_on_linux())
        return;
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        if (setuid(1000) != 0)
            _exit(2);
        if (swapoff(SWAP_DEVICE) == 0 || errno != EPERM)
            _exit(3);
        if (swapon(SWAP_DEVICE, 0) == 0 || errno != EPERM)
            _exit(4);
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(proc_value("/proc/meminfo", "SwapTotal:"), 65532);
}

/* --- copies that sleep: two readers share one queue -------------------- */

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static void madv_pageout_swaps_a_range_out(void)
{
    if (skipped_on_linux())
        return;
    size_t bytes = 16 * 4096;
    uint64_t *block = map_block(bytes);
    fill(block, bytes, 0xabc);
    long out_before = proc_value("/proc/vmstat", "pswpout ");
    CHECK_EQ(madvise(block, bytes, MADV_PAGEOUT), 0);
    CHECK(proc_value("/proc/vmstat", "pswpout ") - out_before >= 16);
    long majors = my_major_faults();
    verify(block, bytes, 0xabc); /* read back from the disk */
    CHECK(my_major_faults() > majors);
    CHECK_EQ(munmap(block, bytes), 0);
    CHECK_ERRNO(madvise(block, bytes, MADV_PAGEOUT), ENOMEM); /* unmapped now */
}

/* Make the caller's next `count` swap-in reads fail (/proc/swap_read_errors). */
static int inject_swap_read_errors(const char *count)
{
    int fd = open("/proc/swap_read_errors", O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, count, strlen(count));
    close(fd);
    return n == (ssize_t)strlen(count) ? 0 : -1;
}

/*
 * A swap-in whose read fails: the page is lost, so a user access gets SIGBUS
 * (BUS_ADRERR at the address) and the kernel goes on; a system call copying
 * from such a page gets EFAULT, as on Linux.
 */
static void swap_read_error_is_sigbus(void)
{
    if (skipped_on_linux())
        return;
    long used_before = swap_used_kib();
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    pid_t child = fork_or_fail();
    if (child == 0) {
        uint64_t *block = map_block(2 * 4096);
        fill(block, 2 * 4096, 0xbad);
        if (madvise(block, 2 * 4096, MADV_PAGEOUT) != 0)
            _exit(2);
        if (inject_swap_read_errors("1") != 0)
            _exit(3);
        errno = 0;
        if (write(fds[1], (char *)block + 4096, 64) != -1 || errno != EFAULT)
            _exit(4);
        if (inject_swap_read_errors("1") != 0)
            _exit(5);
        volatile uint64_t lost = block[0]; /* SIGBUS here */
        (void)lost;
        _exit(6);
    }
    close(fds[1]);
    int status = wait_status(child);
    close(fds[0]);
    if (WIFEXITED(status))
        utest_fail(__FILE__, __LINE__, "child exited with %d, expected SIGBUS",
                   WEXITSTATUS(status));
    CHECK_EQ(WTERMSIG(status), SIGBUS);
    CHECK_EQ(proc_value("/proc/swap_read_errors", ""), 0); /* both were used */
    CHECK_EQ(swap_used_kib(), used_before);                /* its slots were freed */
    errno = 0;
    CHECK_EQ(inject_swap_read_errors("many"), -1);
    CHECK_EQ(errno, EINVAL);
}

/*
 * MAP_SHARED anonymous memory goes to swap too, and its sharers still see
 * each other's writes: a child pages the block out and writes it (the pages
 * come from the swap cache, the very frames the parent maps); then, with both
 * mappings out on swap, a child writes half of it and exits, and the parent
 * reads the child's bytes, kept in memory for it, not the older disk copy.
 */
static void shared_memory_swaps_and_stays_shared(void)
{
    if (skipped_on_linux())
        return;
    size_t bytes = 16 * 4096;
    uint64_t *block = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(block != MAP_FAILED);
    fill(block, bytes, 1);
    pid_t child = fork_or_fail();
    if (child == 0) {
        if (madvise(block, bytes, MADV_PAGEOUT) != 0)
            _exit(2);
        fill(block, bytes, 2);
        _exit(0);
    }
    CHECK_EQ(WEXITSTATUS(wait_status(child)), 0);
    verify(block, bytes, 2);
    /* Alone now: out to the disk and back. */
    long out_before = proc_value("/proc/vmstat", "pswpout ");
    CHECK_EQ(madvise(block, bytes, MADV_PAGEOUT), 0);
    CHECK(proc_value("/proc/vmstat", "pswpout ") - out_before >= 16);
    long majors = my_major_faults();
    verify(block, bytes, 2);
    CHECK(my_major_faults() > majors);
    /* Both out, then the child writes the first half. */
    child = fork_or_fail();
    if (child == 0) {
        if (madvise(block, bytes, MADV_PAGEOUT) != 0)
            _exit(2);
        fill(block, bytes / 2, 3);
        _exit(0);
    }
    CHECK_EQ(madvise(block, bytes, MADV_PAGEOUT), 0);
    CHECK_EQ(WEXITSTATUS(wait_status(child)), 0);
    verify(block, bytes / 2, 3);
    for (size_t i = bytes / 16; i < bytes / 8; i++)
        if (block[i] != pattern(i, 2))
            utest_fail(__FILE__, __LINE__, "word %zu of the second half changed", i);
    long used = swap_used_kib();
    CHECK_EQ(munmap(block, bytes), 0);
    CHECK(swap_used_kib() <= used);
}

enum shared_queue { Q_PIPE, Q_UNIX_STREAM, Q_UNIX_DGRAM, Q_TCP };

#define SQ_VALUES 16384 /* u32 sequence numbers sent: 64 KiB */
#define SQ_CHUNK 256    /* values per write or datagram: 1 KiB */

/*
 * A reader of the shared queue: before most reads its buffer is swapped out
 * (MADV_PAGEOUT), so the kernel's copy to it sleeps on a swap-in, and the
 * other reader runs meanwhile.  Not before every read: MADV_PAGEOUT takes the
 * reclaim lock, and two readers that both page out each time fall into step,
 * one always paging out while the other reads.  It counts every sequence number it gets in
 * `seen` (shared with the parent) until end of file (or an empty datagram).
 */
static void shared_queue_reader(int fd, int reader, unsigned char *seen, long *bytes_read)
{
    uint32_t *buf =
        mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        _exit(10);
    memset(buf, 1, 2 * 4096);
    for (int round = reader;; round++) {
        if (round % 3 != 0 && madvise(buf, 2 * 4096, MADV_PAGEOUT) != 0)
            _exit(11);
        ssize_t n = read(fd, buf, SQ_CHUNK * 4);
        if (n == 0)
            _exit(0);
        if (n < 0 || n % 4 != 0)
            _exit(12);
        for (ssize_t i = 0; i < n / 4; i++) {
            if (buf[i] >= SQ_VALUES)
                _exit(13);
            __atomic_fetch_add(&seen[buf[i]], 1, __ATOMIC_SEQ_CST);
        }
        __atomic_fetch_add(bytes_read, (long)n, __ATOMIC_SEQ_CST);
    }
}

/* A connected TCP pair on 127.0.0.1: fds[0] writes, fds[1] reads. */
static void tcp_pair(int fds[2])
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(listener >= 0);
    CHECK_EQ(bind(listener, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(listener, 1), 0);
    CHECK_EQ(getsockname(listener, (struct sockaddr *)&a, &len), 0);
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fds[0] >= 0);
    CHECK_EQ(connect(fds[0], (struct sockaddr *)&a, sizeof a), 0);
    fds[1] = accept(listener, NULL, NULL);
    CHECK(fds[1] >= 0);
    close(listener);
}

/* Two readers with swapped-out buffers share one queue: every byte the
 * writer sent arrives exactly once, and the kernel survives. */
static void two_readers_share(enum shared_queue kind)
{
    if (skipped_on_linux())
        return;
    int fds[2];
    if (kind == Q_PIPE)
        CHECK_EQ(pipe(fds), 0);
    else if (kind == Q_UNIX_STREAM)
        CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    else if (kind == Q_UNIX_DGRAM)
        CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, fds), 0);
    else
        tcp_pair(fds);
    int wfd = kind == Q_PIPE ? fds[1] : fds[0], rfd = kind == Q_PIPE ? fds[0] : fds[1];
    unsigned char *shared =
        mmap(NULL, SQ_VALUES + 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    unsigned char *seen = shared;
    long *bytes_read = (long *)(shared + SQ_VALUES);
    pid_t readers[2];
    for (int r = 0; r < 2; r++) {
        readers[r] = fork_or_fail();
        if (readers[r] == 0) {
            close(wfd);
            shared_queue_reader(rfd, r, seen, bytes_read);
        }
    }
    close(rfd);
    uint32_t chunk[SQ_CHUNK];
    for (uint32_t v = 0; v < SQ_VALUES; v += SQ_CHUNK) {
        for (int i = 0; i < SQ_CHUNK; i++)
            chunk[i] = v + (uint32_t)i;
        CHECK_EQ(write(wfd, chunk, sizeof chunk), (ssize_t)sizeof chunk);
    }
    if (kind == Q_UNIX_DGRAM) /* no end of file: an empty datagram for each reader */
        for (int r = 0; r < 2; r++)
            CHECK_EQ(write(wfd, chunk, 0), 0);
    close(wfd);
    for (int r = 0; r < 2; r++)
        CHECK_EQ(wait_status(readers[r]), 0);
    CHECK_EQ(*bytes_read, (long)SQ_VALUES * 4);
    for (uint32_t v = 0; v < SQ_VALUES; v++)
        if (seen[v] != 1)
            utest_fail(__FILE__, __LINE__, "sequence number %u arrived %d times", v, seen[v]);
    CHECK_EQ(munmap(shared, SQ_VALUES + 4096), 0);
}

static void two_readers_share_a_pipe(void) { two_readers_share(Q_PIPE); }
static void two_readers_share_a_unix_stream(void) { two_readers_share(Q_UNIX_STREAM); }
static void two_readers_share_a_unix_dgram(void) { two_readers_share(Q_UNIX_DGRAM); }
static void two_readers_share_a_tcp_socket(void) { two_readers_share(Q_TCP); }

/* Two receivers wait on one object, their buffers swapped out; one item
 * comes: only one of them may get it (in `got`, shared), the other waits for
 * the second.  Before the fix both took the same item. */
enum one_item { ITEM_EVENTFD, ITEM_MQUEUE };

static void receiver_of(enum one_item kind, int fd, mqd_t q, long *got, int slot)
{
    char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        _exit(10);
    memset(buf, 1, 4096);
    if (madvise(buf, 4096, MADV_PAGEOUT) != 0)
        _exit(11);
    if (kind == ITEM_EVENTFD) {
        if (read(fd, buf, 8) != 8)
            _exit(12);
        uint64_t value;
        memcpy(&value, buf, sizeof value);
        got[slot] = (long)value;
    } else {
        if (mq_receive(q, buf, 64, NULL) != 8)
            _exit(13);
        memcpy(&got[slot], buf, sizeof got[slot]);
    }
    _exit(0);
}

static void one_item_two_receivers(enum one_item kind)
{
    if (skipped_on_linux())
        return;
    int fd = -1;
    mqd_t q = (mqd_t)-1;
    if (kind == ITEM_EVENTFD) {
        fd = eventfd(0, 0);
        CHECK(fd >= 0);
    } else {
        struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
        mq_unlink("/swap_check");
        q = mq_open("/swap_check", O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
        CHECK(q != (mqd_t)-1);
    }
    long *got = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(got != MAP_FAILED);
    pid_t pids[2];
    for (int r = 0; r < 2; r++) {
        pids[r] = fork_or_fail();
        if (pids[r] == 0)
            receiver_of(kind, fd, q, got, r);
    }
    sleep_ms(300); /* both are waiting */
    long first = 5, second = 7;
    if (kind == ITEM_EVENTFD)
        CHECK_EQ(write(fd, &(uint64_t){(uint64_t)first}, 8), 8);
    else
        CHECK_EQ(mq_send(q, (char *)&first, 8, 0), 0);
    sleep_ms(300);
    int done = 0, status;
    bool reaped[2] = {false, false};
    for (int r = 0; r < 2; r++) {
        if (waitpid(pids[r], &status, WNOHANG) == pids[r]) {
            reaped[r] = true;
            CHECK_EQ(status, 0);
            done++;
        }
    }
    CHECK_EQ(done, 1); /* one item, one receiver */
    if (kind == ITEM_EVENTFD)
        CHECK_EQ(write(fd, &(uint64_t){(uint64_t)second}, 8), 8);
    else
        CHECK_EQ(mq_send(q, (char *)&second, 8, 0), 0);
    for (int r = 0; r < 2; r++)
        if (!reaped[r])
            CHECK_EQ(wait_status(pids[r]), 0);
    CHECK(got[0] + got[1] == first + second && got[0] != got[1]);
    if (kind == ITEM_EVENTFD) {
        close(fd);
    } else {
        mq_close(q);
        mq_unlink("/swap_check");
    }
    CHECK_EQ(munmap(got, 4096), 0);
}

static void two_readers_wait_on_an_eventfd(void) { one_item_two_receivers(ITEM_EVENTFD); }
static void two_receivers_wait_on_a_message_queue(void) { one_item_two_receivers(ITEM_MQUEUE); }

/* A thread reads a socket while another closes the descriptor: as on Linux,
 * the read still completes (the file is pinned for the call), whether it
 * slept waiting for data or in a copy to a swapped-out buffer. */
static int closing_fds[2];
static char *closing_buf;
static ssize_t closing_got;

static void *closing_reader(void *arg)
{
    (void)arg;
    closing_got = read(closing_fds[1], closing_buf, 64);
    return NULL;
}

static void close_under_a_sleeping_read(void)
{
    if (skipped_on_linux())
        return;
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, closing_fds), 0);
    closing_buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(closing_buf != MAP_FAILED);
    memset(closing_buf, 0, 4096);
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, NULL, closing_reader, NULL), 0);
    sleep_ms(200); /* it waits for data */
    CHECK_EQ(madvise(closing_buf, 4096, MADV_PAGEOUT), 0);
    CHECK_EQ(write(closing_fds[0], "hello", 5), 5);
    CHECK_EQ(close(closing_fds[1]), 0); /* before the reader even ran */
    CHECK_EQ(pthread_join(thread, NULL), 0);
    CHECK_EQ(closing_got, 5);
    CHECK(memcmp(closing_buf, "hello", 5) == 0);
    CHECK_EQ(close(closing_fds[0]), 0);
    CHECK_EQ(munmap(closing_buf, 4096), 0);
}

/* --- memory cgroups with swap ------------------------------------------ */

#define CGROUP_DIR "/sys/fs/cgroup/swapgrp"

/* Write text to CGROUP_DIR/file: 0, or -1 with errno. */
static int group_write(const char *file, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", CGROUP_DIR, file);
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The number in CGROUP_DIR/file after `key` (with its space; "" for a one-number file). */
static long group_value(const char *file, const char *key)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", CGROUP_DIR, file);
    return proc_value(path, key);
}

/*
 * A child in the group with memory.max=8M touches 16M and checks every byte:
 * 0 if it survived, with memory.swap.current above 0 at the end (the group's
 * own pages went to swap), 3 if the swap did not show; its wait status.
 */
static int group_child_touches_16m(void)
{
    pid_t child = fork_or_fail();
    if (child == 0) {
        if (group_write("cgroup.procs", "0") < 0)
            _exit(2);
        size_t bytes = 16 * MIB;
        uint64_t *block = map_block(bytes);
        fill(block, bytes, 0x5eed);
        verify(block, bytes, 0x5eed);
        _exit(group_value("memory.swap.current", "") > 0 ? 0 : 3);
    }
    return wait_status(child);
}

static void memcg_limit_swaps_the_group_out(void)
{
    if (skipped_on_linux())
        return;
    rmdir(CGROUP_DIR);
    CHECK_EQ(mkdir(CGROUP_DIR, 0755), 0);
    CHECK_EQ(group_write("memory.max", "8M"), 0);
    int status = group_child_touches_16m();
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    CHECK(group_value("memory.events", "max ") >= 1);       /* the limit was reached... */
    CHECK_EQ(group_value("memory.events", "oom_kill "), 0); /* ...and reclaim sufficed */
    CHECK_EQ(group_value("memory.current", ""), 0);
    CHECK_EQ(group_value("memory.swap.current", ""), 0); /* exit freed its slots */
    CHECK_EQ(rmdir(CGROUP_DIR), 0);
}

/* memory.swap.max=0: no swap for the group, so the same child is OOM-killed
 * inside it (the kernel log names the group: test_swap.sh checks). */
static void memcg_without_swap_is_oom_killed(void)
{
    if (skipped_on_linux())
        return;
    rmdir(CGROUP_DIR);
    CHECK_EQ(mkdir(CGROUP_DIR, 0755), 0);
    CHECK_EQ(group_write("memory.max", "8M"), 0);
    CHECK_EQ(group_write("memory.swap.max", "0"), 0);
    errno = 0;
    CHECK_EQ(group_write("memory.swap.max", "lots"), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(group_value("memory.swap.max", ""), 0);
    int status = group_child_touches_16m();
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
    CHECK_EQ(group_value("memory.events", "oom_kill "), 1);
    CHECK(group_value("memory.swap.events", "max ") >= 1);
    CHECK_EQ(group_value("memory.swap.current", ""), 0);
    CHECK_EQ(rmdir(CGROUP_DIR), 0);
}

static const struct utest_case cases[] = {
    UTEST(boot_area_is_listed),
    UTEST(more_than_ram_keeps_every_byte),
    UTEST(exit_frees_the_slots),
    UTEST(fork_copy_on_write_across_swap),
    UTEST(swapped_pages_survive_fork_mprotect_mremap),
    UTEST(swapoff_without_room_is_enomem),
    UTEST(swapoff_brings_pages_back),
    UTEST(bad_headers_are_einval),
    UTEST(bad_calls_get_linux_errnos),
    UTEST(only_root_may_swapon),
    UTEST(madv_pageout_swaps_a_range_out),
    UTEST(swap_read_error_is_sigbus),
    UTEST(shared_memory_swaps_and_stays_shared),
    UTEST(two_readers_share_a_pipe),
    UTEST(two_readers_share_a_unix_stream),
    UTEST(two_readers_share_a_unix_dgram),
    UTEST(two_readers_share_a_tcp_socket),
    UTEST(two_readers_wait_on_an_eventfd),
    UTEST(two_receivers_wait_on_a_message_queue),
    UTEST(close_under_a_sleeping_read),
    UTEST(memcg_limit_swaps_the_group_out),
    UTEST(memcg_without_swap_is_oom_killed),
};
UTEST_MAIN("swap", cases)
