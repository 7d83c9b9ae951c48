/*
 * t_protect.c - the CPU protections as a user program sees them.
 *
 * NX: code copied into the stack, the heap, .data or a PROT_READ|PROT_WRITE
 * mapping cannot be run (SIGSEGV at that address); the same bytes in a
 * PROT_EXEC mapping run (so the method itself works).
 * UMIP: sgdt, sidt, sldt, smsw and str would show user mode where the
 * kernel's tables are; with UMIP on (the CPU has it) they raise SIGSEGV.
 * (Linux emulates these for old programs instead, so those cases only
 * check sprout.)
 */
#include "tests/user/utest.h"
#include <cpuid.h>
#include <stdint.h>
#include <sys/mman.h>

#define RET 0xc3 /* x86 `ret`: a function that returns at once */

static void *expected_fault_address;

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    /* 42: faulted exactly at the code we jumped to; 43: somewhere else. */
    _exit(info->si_addr == expected_fault_address && info->si_code == SEGV_ACCERR ? 42 : 43);
}

/*
 * In a child: put `ret` at `code` and call it.  Returns the child's exit
 * status: 0 if the call returned, 42 if SIGSEGV came for that address.
 */
static int run_code_at(unsigned char *code)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
        sigaction(SIGSEGV, &sa, NULL);
        code[0] = RET;
        expected_fault_address = code;
        ((void (*)(void))(uintptr_t)code)();
        _exit(0);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static unsigned char data_code[64] = {1}; /* in .data */

static void nx_stack(void)
{
    unsigned char stack_code[64];
    CHECK_EQ(run_code_at(stack_code), 42);
}

static void nx_heap(void)
{
    unsigned char *heap_code = malloc(64);
    CHECK(heap_code != NULL);
    CHECK_EQ(run_code_at(heap_code), 42);
}

static void nx_data(void) { CHECK_EQ(run_code_at(data_code), 42); }

static void nx_mmap_without_prot_exec(void)
{
    unsigned char *page =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    CHECK_EQ(run_code_at(page), 42);
}

static void exec_mapping_runs(void)
{
    unsigned char *page =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    CHECK_EQ(run_code_at(page), 0);
}

/* --- SMAP's flag ------------------------------------------------------- */

#define RFLAGS_AC (1ul << 18)

static unsigned long read_flags(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return flags;
}

/*
 * AC is the flag that opens SMAP for the kernel, and a user program may set
 * it.  Entering the kernel with AC set (system call, page fault, timer
 * interrupt) must not carry it into the kernel (sprout asserts that on every
 * interrupt), and the program gets its own AC back afterwards.
 */
static void ac_flag_set_by_user_stays_in_user_mode(void)
{
    volatile unsigned long *page =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    long pid;
    __asm__ volatile("pushfq; orq %0, (%%rsp); popfq" ::"i"(RFLAGS_AC) : "cc");
    __asm__ volatile("syscall" : "=a"(pid) : "a"(39L) : "rcx", "r11", "memory"); /* getpid */
    page[0] = 1;                                          /* a page fault: demand-zero */
    for (volatile long spin = 0; spin < 20000000; spin++) /* timer interrupts */
        ;
    unsigned long flags = read_flags();
    __asm__ volatile("pushfq; andq %0, (%%rsp); popfq" ::"i"(~RFLAGS_AC) : "cc");
    CHECK_EQ(pid, getpid());
    CHECK_EQ(page[0], 1);
    CHECK(flags & RFLAGS_AC);
}

/* --- UMIP --------------------------------------------------------------- */

static int cpu_has_umip(void)
{
    unsigned a, b, c, d;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 2));
}

static void do_sgdt(void)
{
    unsigned char table[10];
    __asm__ volatile("sgdt %0" : "=m"(table));
}
static void do_sidt(void)
{
    unsigned char table[10];
    __asm__ volatile("sidt %0" : "=m"(table));
}
static void do_sldt(void)
{
    unsigned short selector;
    __asm__ volatile("sldt %0" : "=r"(selector));
}
static void do_smsw(void)
{
    unsigned long cr0_low;
    __asm__ volatile("smsw %0" : "=r"(cr0_low));
}
static void do_str(void)
{
    unsigned short selector;
    __asm__ volatile("str %0" : "=r"(selector));
}

static void umip_blocks_descriptor_table_reads(void)
{
    if (!is_sprout())
        return;            /* Linux emulates these instructions with dummy values */
    CHECK(cpu_has_umip()); /* tests/qemu boots a CPU with UMIP (tools/run-qemu --cpu) */
    static const struct {
        const char *name;
        void (*run)(void);
    } instructions[] = {
        {"sgdt", do_sgdt}, {"sidt", do_sidt}, {"sldt", do_sldt}, {"smsw", do_smsw}, {"str", do_str},
    };
    for (size_t i = 0; i < sizeof instructions / sizeof instructions[0]; i++) {
        pid_t pid = fork_or_fail();
        if (pid == 0) {
            instructions[i].run();
            _exit(0);
        }
        int status = wait_status(pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
            utest_fail(__FILE__, __LINE__, "%s from user mode: expected SIGSEGV, got status %#x",
                       instructions[i].name, status);
    }
}

static const struct utest_case cases[] = {
    UTEST(nx_stack),
    UTEST(nx_heap),
    UTEST(nx_data),
    UTEST(nx_mmap_without_prot_exec),
    UTEST(exec_mapping_runs),
    UTEST(ac_flag_set_by_user_stays_in_user_mode),
    UTEST(umip_blocks_descriptor_table_reads),
};
UTEST_MAIN("protect", cases)
