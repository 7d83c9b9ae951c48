/*
 * fault.c - the page-fault handler: where virtual memory becomes real.
 *
 * The CPU raises a page fault (vector 14) when a translation is missing or
 * forbids the access; CR2 holds the address, the error code says why.
 *
 *   user address, inside a region   -> allocate the page now (demand paging),
 *                                       or copy a shared one (copy-on-write)
 *   user address, just below stack   -> grow the stack (up to RLIMIT_STACK)
 *   anything else from user mode     -> SIGSEGV for the process
 *   user address from kernel code    -> the same, if inside copy_from_user and
 *                                       friends; the copy returns -EFAULT
 *   kernel address from the kernel   -> a kernel bug: panic
 */
#include "mm/fault.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "mm/frame.h"
#include "mm/oom.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "mm/vmstat.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/wait.h"

void page_fault_describe(u64 error_code, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s %s from %s mode", error_code & PF_RESERVED ? "reserved-bit " : "",
             error_code & PF_PRESENT ? "protection violation on" : "not-present page,",
             error_code & PF_INSTRUCTION ? "instruction fetch"
             : error_code & PF_WRITE     ? "write"
                                         : "read",
             error_code & PF_USER ? "user" : "kernel");
}

/* Which protection (kernel/cpu.h) stopped a kernel access, if one did: a hint for the panic. */
static const char *protection_hint(u64 error_code, u64 address)
{
    if (!(error_code & PF_PRESENT))
        return "";
    if (is_user_address(address) && (error_code & PF_INSTRUCTION))
        return cpu_protections.smep ? " (SMEP: the kernel may not execute user pages)" : "";
    if (is_user_address(address))
        return cpu_protections.smap
                   ? " (SMAP: the kernel touched user memory outside copy_from_user/copy_to_user)"
                   : "";
    if (error_code & PF_INSTRUCTION)
        return " (NX: kernel data is not executable)";
    if (error_code & PF_WRITE)
        return " (W^X: kernel text and rodata are read-only)";
    return "";
}

static NORETURN void kernel_fault(struct trap_frame *frame, u64 address)
{
    trap_check_stack_overflow(frame, address);
    char why[96], where[128];
    page_fault_describe(frame->error_code, why, sizeof why);
    ksym_format(frame->rip, where, sizeof where);
    panic_with_frame(frame, "page fault at address %#018lx: %s%s, RIP %s", address, why,
                     protection_hint(frame->error_code, address), where);
}

/*
 * Resolve a fault on a user address.  Low memory first swaps pages out
 * (direct reclaim, mm/reclaim.c); memory exhaustion with nothing left to
 * swap calls the OOM killer and retries while the victim dies.  Returns 0 or
 * VM_FAULT_MAJOR, -EFAULT/-EACCES, -EIO (swap failed), or -ENOMEM if memory
 * could not be found (we were the victim, or a signal arrived while waiting).
 */
static int resolve_user_fault(struct proc *p, u64 address, u32 access)
{
    if (frames_free() < reclaim_low_watermark()) {
        reclaim_wake_kswapd(); /* background reclaim up to the high watermark */
        if (frames_free() < reclaim_min_watermark())
            reclaim_pages(SWAP_CLUSTER_MAX); /* it did not keep up: reclaim ourselves */
    }
    for (int attempt = 0;; attempt++) {
        p->mm->memcg_over = NULL;
        int error = vm_fault(p->mm, address, access, p->rlimits[RLIMIT_STACK].cur);
        if (error != -ENOMEM)
            return error;
        struct memcg *full = p->mm->memcg_over; /* a group's memory.max, not the RAM, ran out */
        p->mm->memcg_over = NULL;
        if (!full && reclaim_pages(SWAP_CLUSTER_MAX) > 0)
            continue;
        /* The group's own pages go to swap first; its OOM killer only if none could. */
        if (full && reclaim_memcg(full, SWAP_CLUSTER_MAX) > 0)
            continue;
        struct proc *victim = full ? oom_kill_memcg(full) : oom_kill();
        if (!victim || victim == p || attempt > 10 * HZ)
            return -ENOMEM;
        /* Let the victim run and exit; its frames come back then. */
        if (sleep_until(jiffies + 1, "oom") < 0)
            return -ENOMEM;
    }
}

void page_fault_handler(struct trap_frame *frame)
{
    u64 address = read_cr2();
    bool from_user = frame->error_code & PF_USER;
    struct proc *p = current;

    if (!from_user && !(is_user_address(address) && uaccess_active(frame)))
        kernel_fault(frame, address);

    /* The fault may need memory, or wait for the OOM victim: allow interrupts
     * as they were at the time of the fault. */
    if (frame->rflags & RFLAGS_IF)
        sti();
    u32 access = frame->error_code & PF_INSTRUCTION ? VM_EXEC
                 : frame->error_code & PF_WRITE     ? VM_WRITE
                                                    : VM_READ;
    int error = -EFAULT;
    if (is_user_address(address) && p->mm)
        error = resolve_user_fault(p, address, access);
    if (error >= 0) {
        vm_events.pgfault++;
        if (error == VM_FAULT_MAJOR) {
            p->maj_flt++;
            vm_events.pgmajfault++;
        } else {
            p->min_flt++;
        }
        return;
    }
    if (!from_user) {
        uaccess_fixup(frame); /* copy_*_user returns -EFAULT */
        if (error == -ENOMEM)
            signal_send(p, SIGKILL, NULL);
        return;
    }
    if (error == -ENOMEM) {
        signal_send(p, SIGKILL, NULL); /* no memory for us: the OOM killer chose us */
        return;
    }
    if (error == -ENXIO) { /* a file mapping's page past the end of its file */
        signal_force_fault(SIGBUS, BUS_ADRERR, address);
        return;
    }
    if (error == -EIO) { /* the swap device lost the page: the process cannot go on */
        pr_err("%s[%d]: swap read error at %lx: SIGBUS\n", p->name, p->pid, address);
        signal_force_fault(SIGBUS, BUS_ADRERR, address);
        return;
    }
    char why[96];
    page_fault_describe(frame->error_code, why, sizeof why);
    pr_info("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx (%s)\n", p->name, p->pid,
            address, frame->rip, frame->rsp, frame->error_code, why);
    signal_force_fault(
        SIGSEGV, error == -EACCES || (frame->error_code & PF_PRESENT) ? SEGV_ACCERR : SEGV_MAPERR,
        address);
}
