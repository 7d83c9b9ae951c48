/*
 * smp.c - bringing up the application processors, and IPIs (see smp.h).
 *
 * Start-up of one AP, step by step:
 *
 *   BSP                                      AP
 *   ---                                      --
 *   copy the trampoline to 0x8000,           (waiting since reset)
 *   page tables for it at 0x9000-0xBFFF,
 *   a kernel stack, the params
 *   INIT, wait 10 ms, STARTUP x2  ------->   real mode at 0x8000
 *                                            -> protected -> long mode
 *                                            smp_ap_entry(cpu): kernel page
 *                                            tables, its own GDT/TSS, GS ->
 *                                            its struct cpu, IDT, FPU,
 *                                            local APIC and its timer
 *   wait for cpu->online   <-------------    print "online", cpu->online = 1,
 *                                            sti; hlt forever (idle)
 *
 * One AP at a time: they share the trampoline and its parameters.
 */
#include "kernel/arch/smp.h"
#include "kernel/arch/acpi.h"
#include "kernel/arch/apic.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "kernel/interrupts.h"
#include "kernel/ksyms.h"
#include "kernel/lock/spinlock.h"
#include "kernel/panic.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "kernel/bkl.h"
#include "kernel/cmdline.h"
#include "proc/itimer.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "mm/pagetable.h"

/* Low memory the frame allocator never hands out (mm/frame.c: below 1 MiB). */
#define TRAMPOLINE_BASE 0x8000 /* boot/trampoline.asm is assembled for this address */
#define TRAMPOLINE_PML4 0x9000
#define TRAMPOLINE_PDPT 0xA000
#define TRAMPOLINE_PD 0xB000
#define AP_START_TIMEOUT_US 2000000 /* TCG on a busy host can be slow to start a vCPU */
#define STOP_TIMEOUT_US 200000

/* The parameters at the end of the trampoline (ap_trampoline_params). */
struct trampoline_params {
    u32 cr3;
    u32 efer;
    u64 stack;
    u64 entry;
    u64 cpu;
} PACKED;

extern const u8 ap_trampoline_start[], ap_trampoline_end[], ap_trampoline_params[];
NORETURN void smp_ap_entry(struct cpu *cpu);

static volatile bool stop_requested;

int smp_this_cpu_id(void)
{
    if (!apic_enabled)
        return 0;
    u32 apic_id = apic_this_id();
    for (int i = 0; i < cpu_count; i++)
        if (cpus[i].apic_id == apic_id)
            return i;
    return 0;
}

/* The first 2 MiB mapped 1:1 (where the trampoline runs when paging turns
 * on) plus the kernel's half, in page tables below 4 GiB (CR3 is loaded in
 * 32-bit mode). */
static void build_trampoline_tables(void)
{
    u64 *pml4 = phys_to_virt(TRAMPOLINE_PML4);
    u64 *pdpt = phys_to_virt(TRAMPOLINE_PDPT);
    u64 *pd = phys_to_virt(TRAMPOLINE_PD);
    memset(pml4, 0, PAGE_SIZE);
    memset(pdpt, 0, PAGE_SIZE);
    memset(pd, 0, PAGE_SIZE);
    memcpy(pml4 + 256, (u64 *)phys_to_virt(kernel_pml4) + 256, 256 * sizeof(u64));
    pml4[0] = TRAMPOLINE_PDPT | PTE_PRESENT | PTE_WRITE;
    pdpt[0] = TRAMPOLINE_PD | PTE_PRESENT | PTE_WRITE;
    pd[0] = 0 | PTE_PRESENT | PTE_WRITE | PTE_HUGE;
    memcpy(phys_to_virt(TRAMPOLINE_BASE), ap_trampoline_start,
           (size_t)(ap_trampoline_end - ap_trampoline_start));
}

static bool start_ap(struct cpu *cpu)
{
    cpu->idle_stack = kstack_alloc();
    if (!cpu->idle_stack) {
        pr_warn("smp: no memory for CPU %d's stack\n", cpu->id);
        return false;
    }
    struct trampoline_params *params =
        phys_to_virt(TRAMPOLINE_BASE + (u64)(ap_trampoline_params - ap_trampoline_start));
    params->cr3 = TRAMPOLINE_PML4;
    params->efer = (u32)(EFER_LME | (pte_nx ? EFER_NXE : 0));
    params->stack = (u64)cpu->idle_stack + KSTACK_SIZE;
    proc_init_ap_idle(cpu);
    params->entry = (u64)smp_ap_entry;
    params->cpu = (u64)cpu;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_start_cpu(cpu->apic_id, TRAMPOLINE_BASE / PAGE_SIZE);
    for (u64 waited = 0; !cpu->online && waited < AP_START_TIMEOUT_US; waited += 100)
        apic_udelay(100);
    return cpu->online;
}

void smp_init(const struct madt_info *madt)
{
    u32 boot_id = apic_this_id();
    cpus[0].apic_id = boot_id;
    int next = 1;
    for (int i = 0; i < madt->cpu_count && next < MAX_CPUS; i++) {
        if (madt->apic_ids[i] == boot_id)
            continue;
        cpus[next].id = next;
        cpus[next].apic_id = madt->apic_ids[i];
        cpus[next].present = true;
        next++;
    }
    pr_info("smp: CPU 0 (APIC %u) is the boot CPU; starting %d more\n", boot_id, next - 1);
    if (next == 1)
        return;
    build_trampoline_tables();
    for (int i = 1; i < next; i++) {
        cpu_count = i + 1; /* smp_this_cpu_id finds it from here on */
        if (!start_ap(&cpus[i])) {
            pr_warn("smp: CPU %d (APIC %u) did not start; continuing with %d CPU%s\n", i,
                    cpus[i].apic_id, i, i == 1 ? "" : "s");
            cpu_count = i; /* it may still wake on the old parameters: start no more */
            break;
        }
    }
    for (int i = 1; i < cpu_count; i++) {
        long us = smp_ping_round_trip(i, 1000000);
        if (us < 0)
            pr_warn("smp: IPI round trip CPU 0 -> CPU %d -> CPU 0: no answer\n", i);
        else
            pr_info("smp: IPI round trip CPU 0 -> CPU %d -> CPU 0: ok (%ld us)\n", i, us);
    }
    if (cpu_count > 1 && smp_wanted())
        pr_info("smp: %d CPUs online; processes run on all of them (smp=on)\n", cpu_count);
    else
        pr_info("smp: %d CPUs online; processes run on CPU 0 only (the others idle)\n", cpu_count);
}

/* C entry of an AP, on its own kernel stack, from boot/trampoline.asm. */
void smp_ap_entry(struct cpu *cpu)
{
    write_cr3(kernel_pml4); /* the trampoline's tables were only for getting here */
    gdt_init_cpu(cpu);
    idt_load();
    cpu_init_ap(cpu);
    fpu_init();
    syscall_init();
    apic_init_this_cpu();
    apic_timer_start();
    pr_info("smp: CPU %d (APIC %u) online: %s; idle, %s\n", cpu->id, cpu->apic_id, cpu->model_name,
            smp_wanted() ? "scheduling once init starts" : "not yet scheduling");
    __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
    /* Idle: wake for the timer and IPIs, count them, sleep again, until the
     * boot CPU turns scheduling on (smp=on); then run processes too. */
    while (!__atomic_load_n(&smp_scheduling, __ATOMIC_ACQUIRE))
        sti_hlt();
    sched_idle_loop();
}

/* Every CPU runs processes unless the command line says smp=off (stage 1:
 * the other CPUs come up but only idle).  Only matters with two or more. */
bool smp_wanted(void)
{
    const char *opt = boot_option("smp");
    return !opt || strcmp(opt, "off") != 0;
}

void smp_timer_interrupt(struct trap_frame *frame)
{
    struct cpu *cpu = this_cpu();
    cpu->ticks++;
    if (cpu->id == 0)
        timer_tick(frame);
    else if (smp_scheduling) {
        /* This CPU's process: ITIMER_VIRTUAL/PROF count its CPU time here
         * too (CPU 0's timer_tick does the same), then accounting and preemption. */
        if (current != cpu->idle)
            itimer_cpu_tick(current, trap_from_user(frame));
        sched_timer_tick(frame);
    }
    apic_eoi();
}

void smp_ping_interrupt(void)
{
    struct cpu *cpu = this_cpu();
    cpu->ipis_received++;
    int reply_to = __atomic_exchange_n(&cpu->ping_reply_to, 0, __ATOMIC_ACQ_REL);
    apic_eoi();
    if (reply_to)
        apic_send_ipi(cpus[reply_to - 1].apic_id, VEC_IPI_RESCHEDULE);
}

long smp_ping_round_trip(int target, u64 timeout_us)
{
    if (target <= 0 || target >= cpu_count || !cpus[target].online)
        return -1;
    struct cpu *me = this_cpu();
    u64 before = me->ipis_received;
    u64 start = rdtsc();
    __atomic_store_n(&cpus[target].ping_reply_to, me->id + 1, __ATOMIC_RELEASE);
    apic_send_ipi(cpus[target].apic_id, VEC_IPI_RESCHEDULE);
    for (u64 waited = 0; waited < timeout_us; waited += 10) {
        if (me->ipis_received != before)
            return (long)((rdtsc() - start) / apic_tsc_per_us());
        apic_udelay(10);
    }
    return -1;
}

/* protected by: call_lock -- the callers' side of every CPU's call slot
 * (cpu->call_fn, cpu->call_arg): one request in flight at a time, whichever
 * CPU sends it.  Held while the caller waits, so the caller polls its own
 * slot meanwhile (two CPUs calling each other must not wait forever). */
static struct spinlock call_lock = SPINLOCK_INIT("smp_call");

int smp_call_on(int target, void (*fn)(void *arg), void *arg, u64 timeout_us)
{
    if (target < 0 || target >= cpu_count || !cpus[target].online || target == smp_this_cpu_id())
        return -EINVAL;
    struct cpu *cpu = &cpus[target];
    int result = -ETIMEDOUT;
    spin_lock(&call_lock);
    /* A request that timed out earlier may still be running there: not over it. */
    for (u64 waited = 0; cpu->call_fn && waited < timeout_us; waited += 10)
        apic_udelay(10);
    u64 before = cpu->calls_done;
    cpu->call_arg = arg;
    __atomic_store_n(&cpu->call_fn, fn, __ATOMIC_RELEASE);
    apic_send_ipi(cpu->apic_id, VEC_IPI_CALL);
    for (u64 waited = 0; waited < timeout_us; waited += 10) {
        if (__atomic_load_n(&cpu->calls_done, __ATOMIC_ACQUIRE) != before) {
            result = 0;
            break;
        }
        smp_call_poll();
        apic_udelay(10);
    }
    spin_unlock(&call_lock);
    return result;
}

void smp_call_interrupt(void)
{
    struct cpu *cpu = this_cpu();
    void (*fn)(void *arg) = __atomic_exchange_n(&cpu->call_fn, NULL, __ATOMIC_ACQ_REL);
    void *arg = cpu->call_arg;
    apic_eoi(); /* before fn: a fn that panics must not leave the APIC waiting */
    if (fn) {
        fn(arg);
        __atomic_store_n(&cpu->calls_done, cpu->calls_done + 1, __ATOMIC_RELEASE);
    }
}

void smp_call_poll(void)
{
    struct cpu *cpu = this_cpu();
    if (!__atomic_load_n(&cpu->call_fn, __ATOMIC_ACQUIRE))
        return;
    void (*fn)(void *arg) = __atomic_exchange_n(&cpu->call_fn, NULL, __ATOMIC_ACQ_REL);
    void *arg = cpu->call_arg;
    if (fn) {
        fn(arg);
        __atomic_store_n(&cpu->calls_done, cpu->calls_done + 1, __ATOMIC_RELEASE);
    }
}

void smp_stop_others(void)
{
    if (cpu_count <= 1)
        return;
    stop_requested = true;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int me = smp_this_cpu_id();
    for (int i = 0; i < cpu_count; i++)
        if (i != me && cpus[i].online)
            apic_send_nmi(cpus[i].apic_id);
    for (int i = 0; i < cpu_count; i++)
        for (u64 waited = 0;
             i != me && cpus[i].online && !cpus[i].stopped && waited < STOP_TIMEOUT_US;
             waited += 10)
            apic_udelay(10);
}

void smp_handle_nmi(struct trap_frame *frame)
{
    if (!stop_requested)
        return;
    struct cpu *cpu = &cpus[smp_this_cpu_id()];
    cpu->stopped_rip = frame->rip;
    cpu->stopped_rbp = trap_from_user(frame) ? 0 : frame->rbp;
    __atomic_store_n(&cpu->stopped, true, __ATOMIC_RELEASE);
    for (;;) {
        cli();
        hlt();
    }
}

void smp_report_stopped(void)
{
    int me = smp_this_cpu_id();
    for (int i = 0; i < cpu_count; i++) {
        if (i == me || !cpus[i].online)
            continue;
        if (!cpus[i].stopped) {
            printk(KERN_EMERG "CPU %d (APIC %u): did not answer the stop NMI\n", i,
                   cpus[i].apic_id);
            continue;
        }
        char where[128];
        u64 rip = cpus[i].stopped_rip;
        if (is_user_address(rip))
            strlcpy(where, "(user)", sizeof where);
        else
            ksym_format(rip, where, sizeof where);
        printk(KERN_EMERG "CPU %d (APIC %u): stopped at RIP %016lx %s\n", i, cpus[i].apic_id, rip,
               where);
        if (!is_user_address(rip)) /* its stack stays as it was: the CPU is halted */
            backtrace_print(cpus[i].stopped_rbp, rip);
    }
}
