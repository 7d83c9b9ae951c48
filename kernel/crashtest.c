/*
 * crashtest.c - crash the kernel on purpose, so students (and tests) can see
 * what a kernel bug looks like: the message, registers and a backtrace that
 * names the crashtest_ function, and which CPU protection caught it.
 *
 * Each protection test first sets up a situation the protection must stop;
 * if the CPU lets it through, we panic anyway with "... was not stopped",
 * so a boot that expects the protection's message fails visibly.
 */
#include "kernel/crashtest.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lock/spinlock.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "proc/proc.h"

/* volatile: the compiler may not assume it is NULL and turn the load into a trap. */
static volatile int *volatile null_pointer;

/* Where crash=smap and crash=smep put their user page (user half of the boot page tables). */
#define CRASHTEST_USER_PAGE 0x10000000ul

/* noinline so that each function shows up in the backtrace under its own name. */
__attribute__((noinline)) static void crashtest_null_dereference(void)
{
    (void)*null_pointer; /* page fault: address 0 is never mapped */
}

/* Map one user-accessible page holding `byte` at CRASHTEST_USER_PAGE. */
static void *map_user_page(u8 byte, u64 flags)
{
    phys_addr_t frame = frame_alloc();
    if (!frame || pagetable_map(read_cr3(), CRASHTEST_USER_PAGE, frame, PTE_USER | flags) < 0)
        panic("crashtest: no memory for a user page");
    memset(phys_to_virt(frame), byte, PAGE_SIZE);
    return (void *)CRASHTEST_USER_PAGE;
}

/* A plain kernel load from a user page, as a buggy system call would do. */
__attribute__((noinline)) static void crashtest_smap(void)
{
    volatile u8 *user = map_user_page(0x5a, pte_nx);
    u8 value = *user; /* SMAP: page fault, the copy routines are not in use */
    panic("crashtest: the kernel read %#x from a user page and was not stopped (SMAP is off)",
          value);
}

/* Kernel code jumping into a user page (0xc3 = `ret`), as an exploit would. */
__attribute__((noinline)) static void crashtest_smep(void)
{
    void (*user_code)(void) = (void (*)(void))map_user_page(0xc3, 0);
    user_code(); /* SMEP: page fault on the instruction fetch */
    panic("crashtest: the kernel executed a user page and was not stopped (SMEP is off)");
}

/* Writing into the kernel's own code. */
__attribute__((noinline)) static void crashtest_write_text(void)
{
    volatile u8 *text = (volatile u8 *)(u64)&crashtest_null_dereference;
    *text = 0xcc; /* W^X: .text is mapped read-only */
    panic("crashtest: the kernel wrote into its own text and was not stopped (W^X is off)");
}

/* Executing kernel data (0xc3 = `ret`). */
static u8 crashtest_data_code[16] = {0xc3};

__attribute__((noinline)) static void crashtest_execute_data(void)
{
    void (*data_code)(void) = (void (*)(void))(u64)crashtest_data_code;
    data_code(); /* NX: .data is mapped no-execute */
    panic("crashtest: the kernel executed its data and was not stopped (NX is off)");
}

/* Recursion with a kilobyte of locals per call, far deeper than any kernel stack. */
__attribute__((noinline, used)) static u64 crashtest_recurse(u64 depth)
{
    volatile u8 locals[1024];
    for (size_t i = 0; i < sizeof locals; i += 64) /* every part used: the compiler keeps it all */
        locals[i] = (u8)depth;
    if (depth > (1ul << 30))
        return 0;
    return crashtest_recurse(depth + 1) + locals[0];
}

/*
 * Run crashtest_recurse on the kernel stack of a real (never started)
 * process, so the guard page of an ordinary kernel stack is what stops it.
 */
__attribute__((noinline)) static void crashtest_stack_overflow(void)
{
    struct proc *p = proc_alloc();
    if (IS_ERR(p))
        panic("crashtest: cannot create a process for crash=stack");
    proc_set_name(p, "crashtest");
    u64 top = (u64)p->kstack + KSTACK_SIZE;
    __asm__ volatile("movq %0, %%rsp\n\t"
                     "xorl %%edi, %%edi\n\t"
                     "call crashtest_recurse" ::"r"(top)
                     : "memory");
    panic("crashtest: the kernel stack overflowed and was not stopped");
}

__attribute__((noinline)) static void crashtest_panic_on_this_cpu(void *unused)
{
    panic("crashtest: you asked for a panic on CPU %d (crash=panic-ap)", smp_this_cpu_id());
}

/* Panic on the second CPU: the boot CPU must be stopped by it, not stop it. */
static void crashtest_panic_on_ap(void)
{
    if (cpu_count < 2)
        panic("crashtest: crash=panic-ap needs a second CPU (boot with CPUS=2)");
    smp_call_on(1, crashtest_panic_on_this_cpu, NULL, 5000000);
    panic("crashtest: CPU 1 did not panic within 5 s");
}

/* Two locks taken in both orders, one after the other: the lock validator
 * (kernel/lock/lockdep.h) panics at the second order, printing both chains. */
static struct spinlock crashtest_lock_a = SPINLOCK_INIT("crashtest-A");
static struct spinlock crashtest_lock_b = SPINLOCK_INIT("crashtest-B");

__attribute__((noinline)) static void crashtest_lock_a_then_b(void)
{
    spin_lock(&crashtest_lock_a);
    spin_lock(&crashtest_lock_b);
    spin_unlock(&crashtest_lock_b);
    spin_unlock(&crashtest_lock_a);
}

__attribute__((noinline)) static void crashtest_lock_b_then_a(void)
{
    spin_lock(&crashtest_lock_b);
    spin_lock(&crashtest_lock_a);
    spin_unlock(&crashtest_lock_a);
    spin_unlock(&crashtest_lock_b);
}

static void crashtest_lock_inversion(void)
{
    crashtest_lock_a_then_b();
    crashtest_lock_b_then_a();
    panic("crashtest: a lock order inversion was not reported (%s)",
          LOCKDEP ? "the validator missed it" : "built with LOCKDEP=0");
}

void crashtest_run(const char *how)
{
    static const struct {
        const char *name;
        void (*crash)(void);
    } crashes[] = {
        {"null", crashtest_null_dereference},
        {"smap", crashtest_smap},
        {"smep", crashtest_smep},
        {"wx", crashtest_write_text},
        {"nx", crashtest_execute_data},
        {"stack", crashtest_stack_overflow},
        {"panic-ap", crashtest_panic_on_ap},
        {"lockdep", crashtest_lock_inversion},
    };
    if (!how)
        return;
    pr_warn("crashtest: crashing the kernel on purpose (crash=%s)\n", how);
    if (strcmp(how, "panic") == 0)
        panic("crashtest: you asked for a panic (crash=panic)");
    for (size_t i = 0; i < ARRAY_SIZE(crashes); i++)
        if (strcmp(how, crashes[i].name) == 0)
            crashes[i].crash();
    pr_warn("crashtest: unknown crash=%s (try null, panic, smap, smep, wx, nx, stack, panic-ap or "
            "lockdep)\n",
            how);
}
