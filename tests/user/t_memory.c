/*
 * t_memory.c - a process's memory: the heap (brk) grows, shrinks and obeys
 * RLIMIT_DATA; the stack grows on demand up to RLIMIT_STACK and an overflow
 * kills only the process (SIGSEGV); NULL, kernel, non-canonical, code and
 * no-execute accesses are faults; anonymous mmap/munmap/mprotect behave like
 * Linux; and fork/exit, exec and mmap cycles give all their memory back.
 *
 * Run with "--child-recurse KIB" the program recurses through KIB KiB of
 * stack and exits 0: the exec target for the RLIMIT_STACK cases.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include "tests/user/utest.h"

#define KIB 1024ul
#define MIB (1024ul * 1024)
#define PAGE 4096ul

extern char **environ;
extern char end[]; /* the linker's end of bss */

static const char *self_path; /* argv[0]: to exec this program again */

/* --- helpers ---------------------------------------------------------- */

/* Hide a pointer's origin from the compiler, so it emits the access as written. */
static volatile char *opaque(uintptr_t address)
{
    __asm__ volatile("" : "+r"(address));
    return (volatile char *)address;
}

static uintptr_t brk_now(void) { return (uintptr_t)syscall(SYS_brk, 0); }
static uintptr_t brk_set(uintptr_t address) { return (uintptr_t)syscall(SYS_brk, address); }
static uintptr_t page_up(uintptr_t address) { return (address + PAGE - 1) & ~(PAGE - 1); }

/* Run fn in a child; the case fails unless the child is killed by `sig`. */
#define EXPECT_KILLED_BY(fn, sig) expect_killed_by(fn, sig, #sig, __LINE__)
static void expect_killed_by(void (*fn)(void), int sig, const char *sig_name, int line)
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int status = wait_status(pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig) {
        if (WIFEXITED(status))
            utest_fail(__FILE__, line,
                       "expected the child to be killed by %s, but it exited with %d", sig_name,
                       WEXITSTATUS(status));
        utest_fail(__FILE__, line, "expected the child to be killed by %s, got signal %d", sig_name,
                   WTERMSIG(status));
    }
}

/* Free memory in bytes, by sysinfo(). */
static unsigned long free_ram(void)
{
    struct sysinfo info;
    CHECK_EQ(sysinfo(&info), 0);
    return info.freeram * (info.mem_unit ? info.mem_unit : 1);
}

/* How much free memory may shrink across a leak check: exact-ish in sprout,
 * loose on Linux where other processes and caches move freeram around. */
static unsigned long leak_tolerance(void) { return is_sprout() ? 64 * KIB : 256 * MIB; }

static void check_no_leak(unsigned long before, unsigned long after, const char *what, int line)
{
    if (after + leak_tolerance() < before)
        utest_fail(__FILE__, line,
                   "%s: free memory fell from %lu KiB to %lu KiB (lost %lu KiB, "
                   "allowed %lu KiB)",
                   what, before / KIB, after / KIB, (before - after) / KIB, leak_tolerance() / KIB);
}

/* Recurse through `frames` frames of a little over 4 KiB each; returns 0 if every
 * frame still holds what it wrote when the calls unwind. */
static __attribute__((noinline)) int recurse(long frames)
{
    volatile char frame[4096];
    frame[0] = (char)frames;
    frame[sizeof frame - 1] = (char)(frames >> 8);
    if (frames <= 1)
        return 0;
    int bad = recurse(frames - 1);
    return bad || frame[0] != (char)frames || frame[sizeof frame - 1] != (char)(frames >> 8);
}

/* --- brk -------------------------------------------------------------- */

static void brk_zero_returns_current_break(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ(brk_now(), b);
    CHECK(b >= (uintptr_t)end);
    CHECK(b < 0x800000000000ul);
}

static void brk_grow_1mib_gives_zeroed_writable_memory(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ(brk_set(b + MIB), b + MIB);
    CHECK_EQ(brk_now(), b + MIB);
    volatile unsigned char *p = (volatile unsigned char *)page_up(b);
    size_t n = b + MIB - page_up(b);
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            utest_fail(__FILE__, __LINE__, "new heap byte at %p is 0x%x, want 0", (void *)&p[i],
                       p[i]);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 13);
    for (size_t i = 0; i < n; i += 4093)
        CHECK_EQ(p[i], (unsigned char)(i * 13));
    CHECK_EQ(brk_set(b), b);
}

static void brk_shrink_returns_to_old_break(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ(brk_set(b + MIB), b + MIB);
    *opaque(b + MIB - 1) = 1;
    CHECK_EQ(brk_set(b), b);
    CHECK_EQ(brk_now(), b);
}

static uintptr_t shrunk_heap_address;
static void touch_shrunk_heap(void) { *opaque(shrunk_heap_address) = 1; }

static void brk_memory_is_gone_after_shrink(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ(brk_set(b + MIB), b + MIB);
    shrunk_heap_address = page_up(b) + 64 * KIB;
    *opaque(shrunk_heap_address) = 1;
    CHECK_EQ(brk_set(b), b);
    EXPECT_KILLED_BY(touch_shrunk_heap, SIGSEGV);
}

static void brk_regrow_after_shrink_is_zeroed(void)
{
    uintptr_t b = brk_now();
    uintptr_t start = page_up(b);
    CHECK_EQ(brk_set(b + MIB), b + MIB);
    memset((void *)start, 0xAB, b + MIB - start);
    CHECK_EQ(brk_set(b), b);
    CHECK_EQ(brk_set(b + MIB), b + MIB);
    for (uintptr_t a = start; a < b + MIB; a++)
        if (*opaque(a) != 0)
            utest_fail(__FILE__, __LINE__, "regrown heap byte at %#lx is 0x%x, want 0",
                       (unsigned long)a, (unsigned char)*opaque(a));
    CHECK_EQ(brk_set(b), b);
}

static void brk_beyond_rlimit_data_fails(void)
{
    struct rlimit limit = {16 * MIB, 16 * MIB};
    CHECK_EQ(setrlimit(RLIMIT_DATA, &limit), 0);
    uintptr_t b = brk_now();
    CHECK_EQ(brk_set(b + 64 * MIB), b); /* refused: the break stays */
    CHECK_EQ(brk_now(), b);
    CHECK_EQ(brk_set(b + MIB), b + MIB); /* within the limit it still grows */
    CHECK_EQ(brk_set(b), b);
}

/* --- stack ------------------------------------------------------------ */

static void default_stack_limit_is_8mib(void)
{
    struct rlimit limit;
    CHECK_EQ(getrlimit(RLIMIT_STACK, &limit), 0);
    if (is_sprout())
        CHECK_EQ(limit.rlim_cur, 8 * MIB);
    else /* Linux: whatever the shell set; these tests need at least 8 MiB */
        CHECK(limit.rlim_cur >= 8 * MIB);
}

static void recurse_6mib(void) { _exit(recurse(6 * MIB / 4096)); }

static void stack_grows_to_6mib(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        recurse_6mib();
    int status = wait_status(pid);
    CHECK_EQ(status, 0); /* (a signal number here: the child died; 256: a frame was corrupted) */
}

static void recurse_forever(void)
{
    struct rlimit limit = {8 * MIB, 8 * MIB};
    setrlimit(RLIMIT_STACK, &limit); /* (Linux with an unlimited stack would eat all memory) */
    recurse(1L << 40);
}

static void stack_overflow_kills_with_sigsegv(void)
{
    EXPECT_KILLED_BY(recurse_forever, SIGSEGV);
    /* and the parent carries on: it can still fork */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(3);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 3);
}

/* Exec this program with "--child-recurse KIB" under a given RLIMIT_STACK (0: unchanged). */
static int recurse_after_exec(unsigned long limit_bytes, unsigned long kib)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (limit_bytes) {
            struct rlimit limit = {limit_bytes, limit_bytes};
            if (setrlimit(RLIMIT_STACK, &limit) != 0)
                _exit(100);
        }
        char amount[32];
        snprintf(amount, sizeof amount, "%lu", kib);
        char *argv[] = {(char *)self_path, "--child-recurse", amount, NULL};
        execve(self_path, argv, environ);
        _exit(101);
    }
    return wait_status(pid);
}

static void exec_with_default_stack_limit_recurses_2mib(void)
{
    CHECK_EQ(recurse_after_exec(0, 2048), 0);
}

static void exec_with_1mib_stack_limit_recurses_512kib(void)
{
    CHECK_EQ(recurse_after_exec(MIB, 512), 0);
}

static void exec_with_1mib_stack_limit_dies_at_2mib(void)
{
    int status = recurse_after_exec(MIB, 2048);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGSEGV);
}

/* Lowering RLIMIT_STACK applies to the running process's further growth too. */
static void recurse_2mib_under_1mib_limit(void)
{
    struct rlimit limit = {MIB, MIB};
    if (setrlimit(RLIMIT_STACK, &limit) != 0)
        _exit(100);
    _exit(recurse(2 * MIB / 4096));
}

static void lowered_stack_limit_stops_running_process(void)
{
    EXPECT_KILLED_BY(recurse_2mib_under_1mib_limit, SIGSEGV);
}

/* --- faults ----------------------------------------------------------- */

static void read_null(void) { (void)*opaque(0); }
static void write_null(void) { *opaque(0) = 1; }
static void jump_to_null(void) { ((void (*)(void))(uintptr_t)opaque(0))(); }
static void read_kernel(void) { (void)*opaque(0xffffffff80000000ul); }
static void write_kernel(void) { *opaque(0xffffffff80000000ul) = 1; }
static void read_direct_map(void) { (void)*opaque(0xffff800000000000ul); }
static void read_noncanonical(void) { (void)*opaque(0x8000000000000000ul); }
static void read_top_of_user_space(void) { (void)*opaque(0x00007ffffffff000ul); }
static void write_code(void) { *opaque((uintptr_t)&write_code) = 0; }

static const char read_only_text[] = "constant";
static void write_rodata(void) { *opaque((uintptr_t)read_only_text) = 'X'; }

static void run_heap_data(void)
{
    unsigned char *page =
        mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        _exit(100);
    page[0] = 0xC3; /* ret */
    ((void (*)(void))(uintptr_t)opaque((uintptr_t)page))();
}

static void run_stack_data(void)
{
    volatile unsigned char code[16] = {0xC3};
    ((void (*)(void))(uintptr_t)opaque((uintptr_t)code))();
}

static void null_read_segfaults(void) { EXPECT_KILLED_BY(read_null, SIGSEGV); }
static void null_write_segfaults(void) { EXPECT_KILLED_BY(write_null, SIGSEGV); }
static void jump_to_null_segfaults(void) { EXPECT_KILLED_BY(jump_to_null, SIGSEGV); }
static void kernel_address_read_segfaults(void) { EXPECT_KILLED_BY(read_kernel, SIGSEGV); }
static void kernel_address_write_segfaults(void) { EXPECT_KILLED_BY(write_kernel, SIGSEGV); }
static void direct_map_read_segfaults(void) { EXPECT_KILLED_BY(read_direct_map, SIGSEGV); }
static void noncanonical_read_segfaults(void) { EXPECT_KILLED_BY(read_noncanonical, SIGSEGV); }
static void top_user_page_read_segfaults(void)
{
    EXPECT_KILLED_BY(read_top_of_user_space, SIGSEGV);
}
static void code_write_segfaults(void) { EXPECT_KILLED_BY(write_code, SIGSEGV); }
static void rodata_write_segfaults(void) { EXPECT_KILLED_BY(write_rodata, SIGSEGV); }
static void executing_heap_data_segfaults(void) { EXPECT_KILLED_BY(run_heap_data, SIGSEGV); }
static void executing_stack_data_segfaults(void) { EXPECT_KILLED_BY(run_stack_data, SIGSEGV); }

/* --- mmap, munmap, mprotect ------------------------------------------- */

static unsigned char *map_anonymous(size_t length, int prot)
{
    void *p = mmap(NULL, length, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ((uintptr_t)p % PAGE, 0);
    return p;
}

static void anonymous_mmap_is_zeroed_and_writable(void)
{
    size_t length = 256 * KIB;
    unsigned char *p = map_anonymous(length, PROT_READ | PROT_WRITE);
    for (size_t i = 0; i < length; i++)
        if (p[i] != 0)
            utest_fail(__FILE__, __LINE__, "mapped byte %zu is 0x%x, want 0", i, p[i]);
    for (size_t i = 0; i < length; i++)
        p[i] = (unsigned char)(i ^ (i >> 8));
    for (size_t i = 0; i < length; i++)
        if (p[i] != (unsigned char)(i ^ (i >> 8)))
            utest_fail(__FILE__, __LINE__, "byte %zu reads 0x%x after writing 0x%x", i, p[i],
                       (unsigned char)(i ^ (i >> 8)));
    CHECK_EQ(munmap(p, length), 0);
}

static void two_mappings_do_not_overlap(void)
{
    unsigned char *a = map_anonymous(64 * KIB, PROT_READ | PROT_WRITE);
    unsigned char *b = map_anonymous(64 * KIB, PROT_READ | PROT_WRITE);
    CHECK(a + 64 * KIB <= b || b + 64 * KIB <= a);
    memset(a, 1, 64 * KIB);
    memset(b, 2, 64 * KIB);
    CHECK_EQ(a[64 * KIB - 1], 1);
    CHECK_EQ(b[0], 2);
}

static uintptr_t fault_address;
static void touch_fault_address(void) { (void)*opaque(fault_address); }
static void write_fault_address(void) { *opaque(fault_address) = 1; }

static void access_after_munmap_segfaults(void)
{
    unsigned char *p = map_anonymous(4 * PAGE, PROT_READ | PROT_WRITE);
    p[PAGE] = 5;
    CHECK_EQ(munmap(p, 4 * PAGE), 0);
    fault_address = (uintptr_t)p + PAGE;
    EXPECT_KILLED_BY(touch_fault_address, SIGSEGV);
}

static void munmap_middle_page_keeps_neighbours(void)
{
    unsigned char *p = map_anonymous(3 * PAGE, PROT_READ | PROT_WRITE);
    p[0] = 1;
    p[PAGE] = 2;
    p[2 * PAGE] = 3;
    CHECK_EQ(munmap(p + PAGE, PAGE), 0);
    CHECK_EQ(p[0], 1);
    CHECK_EQ(p[2 * PAGE], 3);
    p[2 * PAGE + 1] = 4; /* still writable */
    CHECK_EQ(p[2 * PAGE + 1], 4);
    fault_address = (uintptr_t)p + PAGE;
    EXPECT_KILLED_BY(touch_fault_address, SIGSEGV);
}

static void munmap_of_unmapped_range_succeeds(void)
{
    unsigned char *p = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE);
    CHECK_EQ(munmap(p, 2 * PAGE), 0);
    CHECK_EQ(munmap(p, 2 * PAGE), 0); /* nothing there any more: still not an error */
}

static void write_after_mprotect_read_segfaults(void)
{
    unsigned char *p = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE);
    p[10] = 77;
    CHECK_EQ(mprotect(p, 2 * PAGE, PROT_READ), 0);
    CHECK_EQ(p[10], 77); /* reading still works and the data stayed */
    fault_address = (uintptr_t)p + 10;
    EXPECT_KILLED_BY(write_fault_address, SIGSEGV);
}

static void read_after_mprotect_none_segfaults(void)
{
    unsigned char *p = map_anonymous(PAGE, PROT_READ | PROT_WRITE);
    p[0] = 1;
    CHECK_EQ(mprotect(p, PAGE, PROT_NONE), 0);
    fault_address = (uintptr_t)p;
    EXPECT_KILLED_BY(touch_fault_address, SIGSEGV);
}

static void mprotect_back_to_writable_works(void)
{
    unsigned char *p = map_anonymous(PAGE, PROT_READ | PROT_WRITE);
    p[0] = 1;
    CHECK_EQ(mprotect(p, PAGE, PROT_READ), 0);
    CHECK_EQ(mprotect(p, PAGE, PROT_READ | PROT_WRITE), 0);
    p[0] = 2;
    CHECK_EQ(p[0], 2);
}

/* mprotect on one page of three splits the mapping: only that page is read-only. */
static void mprotect_one_page_of_three(void)
{
    unsigned char *p = map_anonymous(3 * PAGE, PROT_READ | PROT_WRITE);
    CHECK_EQ(mprotect(p + PAGE, PAGE, PROT_READ), 0);
    p[0] = 1;
    p[2 * PAGE] = 3;
    CHECK_EQ(p[PAGE], 0);
    fault_address = (uintptr_t)p + PAGE;
    EXPECT_KILLED_BY(write_fault_address, SIGSEGV);
}

static void prot_none_mapping_read_segfaults(void)
{
    unsigned char *p = map_anonymous(PAGE, PROT_NONE);
    fault_address = (uintptr_t)p;
    EXPECT_KILLED_BY(touch_fault_address, SIGSEGV);
}

static void read_only_mapping_is_zero_and_write_segfaults(void)
{
    unsigned char *p = map_anonymous(PAGE, PROT_READ);
    CHECK_EQ(p[0], 0);
    CHECK_EQ(p[PAGE - 1], 0);
    fault_address = (uintptr_t)p;
    EXPECT_KILLED_BY(write_fault_address, SIGSEGV);
}

static void mmap_without_private_or_shared_gives_einval(void)
{
    CHECK_EQ((long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS, -1, 0),
             (long)MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
}

static void mmap_length_zero_gives_einval(void)
{
    CHECK_EQ((long)mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
             (long)MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
}

static void munmap_unaligned_gives_einval(void)
{
    unsigned char *p = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE);
    CHECK_ERRNO(munmap(p + 1, PAGE), EINVAL);
    p[0] = 1; /* still mapped */
    CHECK_EQ(p[0], 1);
}

static void mprotect_unaligned_gives_einval(void)
{
    unsigned char *p = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE);
    /* (the raw call: musl's mprotect() rounds the address down to a page) */
    CHECK_ERRNO(syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
    p[1] = 1; /* still writable */
    CHECK_EQ(p[1], 1);
}

static void munmap_length_zero_gives_einval(void)
{
    unsigned char *p = map_anonymous(PAGE, PROT_READ | PROT_WRITE);
    CHECK_ERRNO(munmap(p, 0), EINVAL);
}

/* Reserve a range, unmap it, then map part of it again with MAP_FIXED. */
static void mmap_fixed_at_free_address_returns_it(void)
{
    unsigned char *area = map_anonymous(8 * PAGE, PROT_READ | PROT_WRITE);
    CHECK_EQ(munmap(area, 8 * PAGE), 0);
    unsigned char *want = area + 2 * PAGE;
    unsigned char *p = mmap(want, 3 * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK_EQ((uintptr_t)p, (uintptr_t)want);
    CHECK_EQ(p[0], 0);
    CHECK_EQ(p[3 * PAGE - 1], 0);
    p[3 * PAGE - 1] = 9;
    CHECK_EQ(p[3 * PAGE - 1], 9);
}

static void mmap_fixed_replaces_existing_mapping(void)
{
    unsigned char *p = map_anonymous(4 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 0x55, 4 * PAGE);
    unsigned char *q = mmap(p + PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK_EQ((uintptr_t)q, (uintptr_t)(p + PAGE));
    CHECK_EQ(p[0], 0x55); /* before: untouched */
    CHECK_EQ(p[PAGE], 0); /* replaced: fresh zero pages */
    CHECK_EQ(p[3 * PAGE - 1], 0);
    CHECK_EQ(p[3 * PAGE], 0x55); /* after: untouched */
}

static void mmap_fixed_unaligned_gives_einval(void)
{
    unsigned char *area = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE);
    CHECK_EQ((long)mmap(area + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
             (long)MAP_FAILED);
    CHECK_EQ(errno, EINVAL);
}

static void shared_anonymous_mapping_is_shared_with_child(void)
{
    volatile int *shared =
        mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    *shared = 1;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        *shared = (*shared == 1) ? 2 : 3;
        _exit(0);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(*shared, 2);
}

static void private_anonymous_mapping_is_copied_on_fork(void)
{
    volatile int *priv = (volatile int *)map_anonymous(PAGE, PROT_READ | PROT_WRITE);
    *priv = 1;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int saw = *priv;
        *priv = 2;
        _exit(saw == 1 ? 0 : 1);
    }
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(*priv, 1);
}

/* A 128 MiB reservation is only address space: touching a few pages costs a few pages. */
static void large_mapping_is_demand_paged(void)
{
    size_t length = 128 * MIB;
    unsigned long before = free_ram();
    unsigned char *p = map_anonymous(length, PROT_READ | PROT_WRITE);
    for (size_t off = 0; off < length; off += 16 * MIB)
        p[off] = (unsigned char)(off >> 24);
    for (size_t off = 0; off < length; off += 16 * MIB)
        CHECK_EQ(p[off], (unsigned char)(off >> 24));
    unsigned long after = free_ram();
    if (is_sprout()) /* 8 pages touched, plus page tables: far less than 128 MiB */
        CHECK(after + 4 * MIB > before);
    CHECK_EQ(munmap(p, length), 0);
}

/* --- leaks ------------------------------------------------------------ */

static void fork_exit_cycle(void)
{
    pid_t pid = fork();
    if (pid < 0)
        utest_fail(__FILE__, __LINE__, "fork failed: %s", strerror(errno));
    if (pid == 0)
        _exit(0);
    int status = wait_status(pid);
    CHECK_EQ(status, 0);
}

static void fork_exit_cycles_do_not_leak_memory(void)
{
    for (int i = 0; i < 20; i++) /* warm up: let caches and the case's own memory settle */
        fork_exit_cycle();
    unsigned long before = free_ram();
    for (int i = 0; i < 1000; i++)
        fork_exit_cycle();
    check_no_leak(before, free_ram(), "1000 fork/exit/wait cycles", __LINE__);
}

/* More forks than RLIMIT_NPROC (1024 in sprout): each reaped child gives its slot back. */
static void fork_keeps_working_past_1100_children(void)
{
    pid_t previous = 0;
    for (int i = 0; i < 1100; i++) {
        pid_t pid = fork();
        if (pid < 0)
            utest_fail(__FILE__, __LINE__, "fork number %d failed: %s", i + 1, strerror(errno));
        if (pid == 0)
            _exit(0);
        CHECK(pid > 0);
        CHECK(pid != previous);
        CHECK(pid != getpid());
        previous = pid;
        CHECK_EQ(wait_status(pid), 0);
    }
}

static void exec_cycles_do_not_leak_memory(void)
{
    char *argv[] = {"true", NULL};
    char *envp[] = {NULL};
    unsigned long before = 0;
    for (int i = 0; i < 1010; i++) {
        if (i == 10) /* after a warm-up */
            before = free_ram();
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            execve("/bin/true", argv, envp);
            _exit(127);
        }
        CHECK_EQ(wait_status(pid), 0);
    }
    check_no_leak(before, free_ram(), "1000 fork/exec/exit cycles", __LINE__);
}

static void mmap_munmap_cycles_do_not_leak_memory(void)
{
    unsigned long before = 0;
    for (int i = 0; i < 520; i++) {
        if (i == 20)
            before = free_ram();
        unsigned char *p = map_anonymous(64 * KIB, PROT_READ | PROT_WRITE);
        for (size_t off = 0; off < 64 * KIB; off += PAGE)
            p[off] = 1;
        CHECK_EQ(munmap(p, 64 * KIB), 0);
    }
    check_no_leak(before, free_ram(), "500 cycles of mmap 64 KiB, touch, munmap", __LINE__);
}

static void brk_cycles_do_not_leak_memory(void)
{
    uintptr_t b = brk_now();
    unsigned long before = 0;
    for (int i = 0; i < 220; i++) {
        if (i == 20)
            before = free_ram();
        CHECK_EQ(brk_set(b + MIB), b + MIB);
        for (uintptr_t a = page_up(b); a < b + MIB; a += PAGE)
            *opaque(a) = 1;
        CHECK_EQ(brk_set(b), b);
    }
    check_no_leak(before, free_ram(), "200 cycles of brk +1 MiB, touch, brk back", __LINE__);
}

static const struct utest_case cases[] = {
    UTEST(brk_zero_returns_current_break),
    UTEST(brk_grow_1mib_gives_zeroed_writable_memory),
    UTEST(brk_shrink_returns_to_old_break),
    UTEST(brk_memory_is_gone_after_shrink),
    UTEST(brk_regrow_after_shrink_is_zeroed),
    UTEST(brk_beyond_rlimit_data_fails),
    UTEST(default_stack_limit_is_8mib),
    UTEST(stack_grows_to_6mib),
    UTEST(stack_overflow_kills_with_sigsegv),
    UTEST(exec_with_default_stack_limit_recurses_2mib),
    UTEST(exec_with_1mib_stack_limit_recurses_512kib),
    UTEST(exec_with_1mib_stack_limit_dies_at_2mib),
    UTEST(lowered_stack_limit_stops_running_process),
    UTEST(null_read_segfaults),
    UTEST(null_write_segfaults),
    UTEST(jump_to_null_segfaults),
    UTEST(kernel_address_read_segfaults),
    UTEST(kernel_address_write_segfaults),
    UTEST(direct_map_read_segfaults),
    UTEST(noncanonical_read_segfaults),
    UTEST(top_user_page_read_segfaults),
    UTEST(code_write_segfaults),
    UTEST(rodata_write_segfaults),
    UTEST(executing_heap_data_segfaults),
    UTEST(executing_stack_data_segfaults),
    UTEST(anonymous_mmap_is_zeroed_and_writable),
    UTEST(two_mappings_do_not_overlap),
    UTEST(access_after_munmap_segfaults),
    UTEST(munmap_middle_page_keeps_neighbours),
    UTEST(munmap_of_unmapped_range_succeeds),
    UTEST(write_after_mprotect_read_segfaults),
    UTEST(read_after_mprotect_none_segfaults),
    UTEST(mprotect_back_to_writable_works),
    UTEST(mprotect_one_page_of_three),
    UTEST(prot_none_mapping_read_segfaults),
    UTEST(read_only_mapping_is_zero_and_write_segfaults),
    UTEST(mmap_without_private_or_shared_gives_einval),
    UTEST(mmap_length_zero_gives_einval),
    UTEST(munmap_unaligned_gives_einval),
    UTEST(mprotect_unaligned_gives_einval),
    UTEST(munmap_length_zero_gives_einval),
    UTEST(mmap_fixed_at_free_address_returns_it),
    UTEST(mmap_fixed_replaces_existing_mapping),
    UTEST(mmap_fixed_unaligned_gives_einval),
    UTEST(shared_anonymous_mapping_is_shared_with_child),
    UTEST(private_anonymous_mapping_is_copied_on_fork),
    UTEST(large_mapping_is_demand_paged),
    UTEST(fork_exit_cycles_do_not_leak_memory),
    UTEST(fork_keeps_working_past_1100_children),
    UTEST(exec_cycles_do_not_leak_memory),
    UTEST(mmap_munmap_cycles_do_not_leak_memory),
    UTEST(brk_cycles_do_not_leak_memory),
};

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 3 && strcmp(argv[1], "--child-recurse") == 0)
        return recurse((long)(strtoul(argv[2], NULL, 10) * KIB / 4096));
    return utest_main("memory", cases, sizeof cases / sizeof cases[0], argc, argv);
}
