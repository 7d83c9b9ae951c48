/*
 * cpu.h - one struct cpu per processor, reached through the GS segment base,
 * and the CPU's protection features.
 *
 * Each CPU has its own GS base (MSR_GS_BASE), pointing at its own struct
 * cpu in cpus[].  So the same instruction, `mov %gs:16, %rax`, gives every
 * CPU its own answer: that is how this_cpu() works, and how the system-call
 * entry (kernel/syscall_entry.asm), which does not switch stacks, finds the
 * kernel stack of the process running on *this* CPU at %gs:0, after `swapgs`
 * has exchanged the user's GS base (always 0 in sprout) for this address.
 *
 * Protections (each turned on only if CPUID reports it, so sprout still
 * boots on an older CPU):
 *   NX    pages without execute permission (user data and stacks, kernel data)
 *   SMEP  the kernel may not execute user pages      (CR4 bit 20)
 *   SMAP  the kernel may not read or write user pages, except between
 *         `stac` and `clac` in the user-copy routine  (CR4 bit 21)
 *   UMIP  user mode may not run sgdt/sidt/sldt/smsw/str (CR4 bit 11)
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "kernel/gdt.h"
#include "kernel/interrupts.h"
#include "kernel/param.h"
#include "kernel/types.h"

#define DOUBLE_FAULT_STACK_SIZE 8192

struct proc;

struct cpu {
    /* Read by assembly at fixed offsets (CPU_* in kernel/asm_constants.inc): */
    u64 syscall_kernel_rsp; /* %gs:0  top of the running process's kernel stack */
    u64 syscall_user_rsp;   /* %gs:8  scratch: the user's rsp during entry */
    struct cpu *self;       /* %gs:16 this struct's own address, for this_cpu() */

    /* Set once at bring-up (kernel/arch/smp.c), read-only afterwards: */
    int id;       /* 0 = the boot CPU; the order the MADT lists them */
    u32 apic_id;  /* the local APIC's ID: where IPIs are addressed */
    bool present; /* listed in the MADT as usable */
    char vendor[13];
    char model_name[49];
    u32 family, model, stepping;
    u32 cpuid_level;                        /* the highest standard CPUID leaf */
    u32 features_edx, features_ecx;         /* CPUID leaf 1 */
    u32 ext_features_edx, ext_features_ecx; /* CPUID leaf 0x80000001 */
    u32 leaf7_ebx, leaf7_ecx;               /* CPUID leaf 7 */

    /* Only this CPU touches (its descriptor tables and emergency stack): */
    u64 gdt[GDT_ENTRIES];
    struct tss tss;
    u8 double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));
    void *idle_stack;  /* an AP's kernel stack (mm/kstack.c); the boot CPU uses boot_stack */
    int irq_off_depth; /* irq_push_off() calls not yet popped (kernel/lock/spinlock.c) */
    bool irq_were_on;  /* interrupts were on before the outermost irq_push_off() */

    /* The scheduler's per-CPU state (sched/sched.c; docs/smp.md): */
    struct proc *running; /* the process this CPU runs (`current` in proc/proc.h) */
    struct proc *idle;    /* this CPU's idle process: runs when nothing else can */
    u64 kernel_tlb_seen;  /* the kernel-mapping generation its TLB has (mm/pagetable.c) */
    u64 user_ticks, system_ticks, idle_ticks; /* its clock ticks by what it ran (/proc/stat) */

    /* Written by this CPU, read by anyone (counters and flags: no lock, single words): */
    volatile bool online;       /* reached its idle loop with interrupts on */
    volatile u64 ticks;         /* local APIC timer interrupts taken */
    volatile u64 ipis_received; /* reschedule ("ping") IPIs taken */
    volatile u64 irqs[NR_IRQS]; /* device interrupts taken, by IRQ (/proc/interrupts) */
    volatile int ping_reply_to; /* 1 + the CPU to ping back, or 0 (set by the sender) */
    volatile bool stopped;      /* halted by a STOP IPI (panic) */
    volatile u64 stopped_rip;   /* where the STOP found it, */
    volatile u64 stopped_rbp;   /* and its frame pointer, for a backtrace */

    /* The call-function IPI (smp_call_on): set by the caller, cleared here. */
    void (*volatile call_fn)(void *arg);
    void *volatile call_arg;
    volatile u64 calls_done; /* call-function IPIs completed */
};
/* kernel/syscall_entry.asm uses these offsets (CPU_* in kernel/asm_constants.inc). */
STATIC_ASSERT_OFFSET(struct cpu, syscall_kernel_rsp, 0);
STATIC_ASSERT_OFFSET(struct cpu, syscall_user_rsp, 8);
STATIC_ASSERT_OFFSET(struct cpu, self, 16);

extern struct cpu cpus[MAX_CPUS];
extern int cpu_count; /* CPUs brought online (1 until smp_init starts the others) */

/* The struct cpu of the CPU running this code.  Valid once cpu_init (or, on
 * an AP, smp_ap_main) has set the GS base. */
static inline struct cpu *this_cpu(void)
{
    struct cpu *cpu;
    __asm__ volatile("mov %%gs:16, %0" : "=r"(cpu));
    return cpu;
}

/* this_cpu()->running in one %gs-relative load instead of two: `current`
 * (proc/proc.h), read on every system call. */
static ALWAYS_INLINE struct proc *this_cpu_running(void)
{
    struct proc *p;
    __asm__ volatile("mov %%gs:%c1, %0" : "=r"(p) : "i"(offsetof(struct cpu, running)));
    return p;
}

/* True once the boot CPU's GS base is set (cpu_init); before that there is one CPU. */
extern bool cpu_gs_ready;
/* this_cpu(), also before cpu_init: the locks printk and the frame allocator take run that early.
 */
static inline struct cpu *this_cpu_early(void) { return cpu_gs_ready ? this_cpu() : &cpus[0]; }

#define CR4_PGE (1ul << 7)
#define CR4_UMIP (1ul << 11)
#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)

/* Which protections are on (set once by cpu_init, read by the fault handler and tests). */
struct cpu_protections {
    bool nx, smep, smap, umip;
};
extern struct cpu_protections cpu_protections;

/*
 * 1 when SMAP is on.  The assembly routines that must clear or set RFLAGS.AC
 * (kernel/smap.inc) test this byte first: `stac`/`clac` are invalid
 * instructions on a CPU without SMAP.
 */
extern u8 cpu_smap_enabled;

/* Point GS at cpus[0] (MSR_GS_BASE; the user's GS base, 0, waits in
 * MSR_KERNEL_GS_BASE for the first swapgs), read what CPUID says about the
 * processor, and turn on SMEP, SMAP and UMIP where the CPU has them.  The
 * `syscall` MSRs (STAR, LSTAR, FMASK) are programmed by syscall_init() in
 * kernel/syscall.c. */
void cpu_init(void);
/* The same for an application processor `cpu`, on that processor (kernel/arch/smp.c). */
void cpu_init_ap(struct cpu *cpu);

#endif
