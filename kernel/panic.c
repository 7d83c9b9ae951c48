/* panic.c - the last words of a kernel that found a bug in itself. */
#include "kernel/panic.h"
#include "kernel/arch/smp.h"
#include "kernel/cpu.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/kstack.h"
#include "mm/layout.h"

static int panicking_cpu = -1; /* the CPU that panicked first */

/* Is it safe to read 16 bytes at this kernel address? (stays off user and unmapped memory) */
static bool plausible_frame(u64 rbp)
{
    if (rbp & 7)
        return false;
    /* Kernel stacks (the boot stack included); not their unmapped guards. */
    return kstack_contains(rbp) && kstack_contains(rbp + 8);
}

int backtrace_save(u64 rbp, u64 *return_addresses, int max)
{
    int depth = 0;
    /* Each frame: [rbp] = caller's rbp, [rbp+8] = return address. */
    while (depth < max && plausible_frame(rbp)) {
        u64 *frame = (u64 *)rbp;
        u64 return_address = frame[1];
        if (return_address == 0)
            break;
        if (return_address < (u64)_text_start || return_address >= (u64)_text_end)
            break; /* left the kernel: boot code or the bottom of a trap frame */
        return_addresses[depth++] = return_address;
        if (frame[0] <= rbp) /* stacks grow down: callers are above us */
            break;
        rbp = frame[0];
    }
    return depth;
}

void backtrace_print(u64 rbp, u64 first_rip)
{
    char name[128];
    u64 chain[32];
    int depth = 0;
    if (first_rip) {
        ksym_format(first_rip, name, sizeof name);
        printk(KERN_EMERG "  #%-2d 0x%016lx %s\n", depth++, first_rip, name);
    }
    int n = backtrace_save(rbp, chain, 32 - depth);
    for (int i = 0; i < n; i++) {
        /* A return address points after the call: look up address-1. */
        ksym_format(chain[i] - 1, name, sizeof name);
        printk(KERN_EMERG "  #%-2d 0x%016lx %s\n", depth++, chain[i], name);
    }
}

static void print_frame(const struct trap_frame *f)
{
    char where[128];
    ksym_format(f->rip, where, sizeof where);
    printk(KERN_EMERG "  RIP: %04lx:%016lx %s\n", f->cs, f->rip,
           trap_from_user(f) ? "(user)" : where);
    printk(KERN_EMERG "  RSP: %04lx:%016lx  RFLAGS: %08lx  ERR: %lx\n", f->ss, f->rsp, f->rflags,
           f->error_code);
    printk(KERN_EMERG "  RAX: %016lx RBX: %016lx RCX: %016lx\n", f->rax, f->rbx, f->rcx);
    printk(KERN_EMERG "  RDX: %016lx RSI: %016lx RDI: %016lx\n", f->rdx, f->rsi, f->rdi);
    printk(KERN_EMERG "  RBP: %016lx R08: %016lx R09: %016lx\n", f->rbp, f->r8, f->r9);
    printk(KERN_EMERG "  R10: %016lx R11: %016lx R12: %016lx\n", f->r10, f->r11, f->r12);
    printk(KERN_EMERG "  R13: %016lx R14: %016lx R15: %016lx\n", f->r13, f->r14, f->r15);
}

static NORETURN void panic_finish(const struct trap_frame *frame, const char *fmt, va_list args)
{
    cli();
    int me = smp_this_cpu_id();
    int first = -1;
    if (!__atomic_compare_exchange_n(&panicking_cpu, &first, me, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST)) {
        if (first == me) /* a panic while panicking: say nothing more */
            qemu_exit(QEMU_EXIT_PANIC);
        for (;;) /* another CPU is reporting its panic: leave it the console */
            hlt();
    }
    /* The other CPUs stop first (an NMI each), so nothing changes under the report. */
    smp_stop_others();
    printk_panicking = true; /* a stopped CPU may hold printk's or the console's lock */
    console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

    char message[256];
    vsnprintf(message, sizeof message, fmt, args);
    printk(KERN_EMERG "\nKERNEL PANIC: %s\n", message);
    if (cpu_count > 1)
        printk(KERN_EMERG "  on CPU %d of %d\n", me, cpu_count);
    if (frame)
        print_frame(frame);
    printk(KERN_EMERG "  CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(), read_cr2(),
           read_cr3(), read_cr4());
    printk(KERN_EMERG "Backtrace:\n");
    if (frame && !trap_from_user(frame))
        backtrace_print(frame->rbp, frame->rip);
    else
        backtrace_print(read_rbp(), 0);
    smp_report_stopped();
    printk(KERN_EMERG "sprout: system halted.\n");
    qemu_exit(QEMU_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    panic_finish(NULL, fmt, args);
}

void panic_with_frame(const struct trap_frame *frame, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    panic_finish(frame, fmt, args);
}
