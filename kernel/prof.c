/*
 * prof.c - the sampling profiler: /dev/prof (see kernel/prof.h, prof_abi.h).
 *
 * One session at a time (there is one clock chip).  Which tasks belong to
 * it is a number in each struct proc, prof_session: START writes the new
 * session's number into every thread of the target, fork and clone copy it,
 * and a number left over from an old session matches nothing.  So the
 * interrupt decides with one comparison, and the session follows the
 * program into its children without any list to keep.
 *
 * The clock (the RTC, IRQ 8) interrupts CPU 0 only.  With several CPUs
 * running processes, CPU 0 passes each tick on to every other CPU whose
 * process is in the session, as an IPI (VEC_IPI_PROFILE); each CPU then
 * samples its own process from its own interrupted registers, and the
 * sample says which CPU it was.
 *
 * The ring is a queue with one consumer: the sampling interrupts (one CPU
 * at a time, under `producer_lock`) write at `head` and only move head;
 * read() copies out at `tail` and only moves tail.  A full ring drops the
 * new sample (counted).  The lock also keeps `active` still: stopping a
 * session clears it under the lock, so no CPU is still writing into a
 * session that is being freed.
 */
#include "kernel/prof.h"
#include "kernel/arch/apic.h"
#include "kernel/cpu.h"
#include "kernel/drivers/rtc_periodic.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/lock/spinlock.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/prof_abi.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/thread.h"

#define PROF_RING_SAMPLES 2048 /* 2 s at 1024 Hz before the reader must drain (336 KiB) */

struct prof_session {
    u32 id;                   /* the value in prof_session of the tasks sampled */
    bool running;             /* the clock is on for us */
    struct prof_sample *ring; /* PROF_RING_SAMPLES entries */
    volatile u64 head, tail;  /* written by the interrupt / by read() */
    struct prof_stats stats;  /* samples and dropped by the interrupt */
};

static struct spinlock producer_lock = SPINLOCK_INIT("prof");
/* producer_lock: */
static struct prof_session *active; /* the one whose clock is on, or NULL */
static u32 last_session_id;

/*
 * Did our interrupt wait behind another one that came in user mode?  That
 * handler ran with interrupts off, and ours arrived at the first sti on the
 * way back to user mode, in exit_to_user or signal_deliver: the CPU was in
 * user mode when our sample was due.  Without this, QEMU -- which raises
 * the clock chip's interrupt together with the scheduler's tick far more
 * often than chance -- shows a busy loop spending up to half its time in
 * exit_to_user.  Real work on that path (a signal that kills the process
 * and frees its memory) is deeper in the stack and stays a kernel sample.
 * The user frame's vector says how the process entered the kernel: an
 * exception (< 32), a system call, or a hardware interrupt.
 */
static struct {
    const char *name;
    u64 start, end; /* found by name when the first session starts */
} return_path[] = {{"exit_to_user", 0, 0}, {"signal_deliver", 0, 0}};

static void find_return_path(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(return_path); i++) {
        u64 offset, size, start = ksym_address(return_path[i].name);
        if (start && ksym_lookup(start, &offset, &size)) {
            return_path[i].start = start;
            return_path[i].end = start + size;
        }
    }
}

static bool came_behind_interrupt(const struct proc *p, const struct trap_frame *frame)
{
    if (!p->tf || !trap_from_user(p->tf) || p->tf->vector < IRQ_BASE ||
        p->tf->vector == VEC_SYSCALL)
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(return_path); i++)
        if (frame->rip >= return_path[i].start && frame->rip < return_path[i].end)
            return true;
    return false;
}

/* Record one sample of what this CPU's process was doing at `frame`.
 * Interrupts off, producer_lock held. */
static void record_sample(struct prof_session *s, struct proc *p, struct trap_frame *frame)
{
    if (s->head - __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE) >= PROF_RING_SAMPLES) {
        s->stats.dropped++;
        return;
    }
    struct prof_sample *out = &s->ring[s->head % PROF_RING_SAMPLES];
    out->pid = p->tgid;
    out->tid = p->pid;
    out->cpu = (unsigned int)this_cpu()->id;
    out->reserved = 0;
    memcpy(out->comm, p->name, sizeof out->comm);
    out->comm[sizeof out->comm - 1] = '\0';
    if (trap_from_user(frame) || came_behind_interrupt(p, frame)) {
        out->flags = 0;
        out->user_rip = trap_from_user(frame) ? frame->rip : p->tf->rip;
        out->kernel_depth = 0;
    } else {
        /* In the kernel on the process's behalf (a system call, a page
         * fault, an interrupt that came while it ran): its user registers
         * are at the top of its kernel stack. */
        out->flags = PROF_SAMPLE_KERNEL;
        out->user_rip = p->tf ? p->tf->rip : 0;
        out->kernel_chain[0] = frame->rip;
        out->kernel_depth =
            1 + (u32)backtrace_save(frame->rbp, (u64 *)&out->kernel_chain[1], PROF_MAX_DEPTH - 1);
    }
    __atomic_store_n(&s->head, s->head + 1, __ATOMIC_RELEASE); /* the slot is whole */
    s->stats.samples++;
}

/* Sample the process this CPU runs, if it is in the session.  Interrupts off. */
static void sample_this_cpu(struct trap_frame *frame)
{
    spin_lock(&producer_lock);
    struct prof_session *s = active;
    struct proc *p = current;
    if (s) {
        s->stats.interrupts++;                       /* the clock's, or its IPI on another CPU */
        if (p->pid != 0 && p->prof_session == s->id) /* not idle, nor someone else's time */
            record_sample(s, p, frame);
    }
    spin_unlock(&producer_lock);
}

/* IRQ 8, on CPU 0, interrupts off.  Must not allocate, sleep, or touch user
 * memory.  Passes the tick on to the other CPUs running the session's tasks
 * (the look at their `running` may be stale: the IPI handler checks again). */
static void prof_tick(struct trap_frame *frame)
{
    struct prof_session *s = active;
    if (!s)
        return;
    for (int i = 0; i < cpu_count; i++) {
        struct proc *p = __atomic_load_n(&cpus[i].running, __ATOMIC_RELAXED);
        if (&cpus[i] != this_cpu() && cpus[i].online && p && p->pid != 0 &&
            p->prof_session == s->id)
            apic_send_ipi(cpus[i].apic_id, VEC_IPI_PROFILE);
    }
    sample_this_cpu(frame);
}

void prof_ipi_interrupt(struct trap_frame *frame)
{
    apic_eoi();
    sample_this_cpu(frame);
}

/* Mark every thread of `target`'s process as part of session `id`. */
static void mark_process(struct proc *target, u32 id)
{
    struct proc *t;
    list_for_each_entry (t, &target->group->threads, thread_node)
        t->prof_session = id;
}

static long prof_start(struct file *file, u64 arg)
{
    struct prof_config config;
    if (copy_from_user(&config, (const void *)arg, sizeof config) < 0)
        return -EFAULT;
    if (config.flags || config.reserved || config.pid < 0)
        return -EINVAL;
    if (config.hz < RTC_PERIODIC_MIN_HZ || config.hz > RTC_PERIODIC_MAX_HZ)
        return -EINVAL;
    if (file->private || active)
        return -EBUSY;
    struct proc *target = config.pid ? proc_find(config.pid) : current;
    if (!target || target->state == PROC_ZOMBIE)
        return -ESRCH;
    /* Samples show where another user's program is: as ptrace would. */
    if (target->tgid != current->tgid && !cred_may_inspect(target))
        return -EACCES;
    config.hz = rtc_periodic_round(config.hz);
    if (copy_to_user((void *)arg, &config, sizeof config) < 0)
        return -EFAULT;

    struct prof_session *s = kzalloc(sizeof *s);
    if (!s)
        return -ENOMEM;
    s->ring = kmalloc(PROF_RING_SAMPLES * sizeof(struct prof_sample));
    if (!s->ring) {
        kfree(s);
        return -ENOMEM;
    }
    if (!return_path[0].end)
        find_return_path();
    s->id = ++last_session_id;
    mark_process(target, s->id);
    file->private = s;
    spin_lock(&producer_lock);
    active = s;
    spin_unlock(&producer_lock);
    int error = rtc_periodic_start(config.hz, prof_tick);
    if (error < 0) {
        spin_lock(&producer_lock);
        active = NULL;
        spin_unlock(&producer_lock);
        file->private = NULL;
        kfree(s->ring);
        kfree(s);
        return error;
    }
    s->running = true;
    return 0;
}

/* Turn the clock off; the ring stays readable until the file is closed. */
static void prof_stop(struct prof_session *s)
{
    if (!s->running)
        return;
    rtc_periodic_stop();
    spin_lock(&producer_lock); /* no CPU is sampling into s after this */
    active = NULL;
    s->running = false;
    spin_unlock(&producer_lock);
}

static long prof_ioctl(struct file *file, u64 command, u64 arg)
{
    struct prof_session *s = file->private;
    /* The command is an unsigned int (Linux's ioctl takes one); musl passes
     * an int, sign-extended, so _IOR numbers arrive with the top bits set. */
    switch ((u32)command) {
    case PROF_IOC_START:
        return prof_start(file, arg);
    case PROF_IOC_STOP:
        if (!s)
            return -EINVAL;
        prof_stop(s);
        return 0;
    case PROF_IOC_STATS: {
        if (!s)
            return -EINVAL;
        spin_lock(&producer_lock);
        struct prof_stats stats = s->stats;
        spin_unlock(&producer_lock);
        return copy_to_user((void *)arg, &stats, sizeof stats) < 0 ? -EFAULT : 0;
    }
    default:
        return -ENOTTY;
    }
}

/* Whole samples only, oldest first; 0 when the ring is empty (never blocks). */
static long prof_read(struct file *file, void *user_buf, size_t size, u64 *offset)
{
    struct prof_session *s = file->private;
    if (!s)
        return -EINVAL;
    if (size < sizeof(struct prof_sample))
        return -EINVAL;
    size_t done = 0;
    while (done + sizeof(struct prof_sample) <= size &&
           s->tail != __atomic_load_n(&s->head, __ATOMIC_ACQUIRE)) {
        /* The interrupt never writes the slot at tail while it is unread.
         * Take the sample before the user copy, which may sleep (a page on
         * swap): another reader of this file would read the same slot, and
         * once it moved tail on, the interrupt could overwrite it. */
        struct prof_sample sample = s->ring[s->tail % PROF_RING_SAMPLES];
        __atomic_store_n(&s->tail, s->tail + 1, __ATOMIC_RELEASE);
        if (copy_to_user((u8 *)user_buf + done, &sample, sizeof sample) < 0)
            return done ? (long)done : -EFAULT;
        done += sizeof sample;
    }
    return (long)done;
}

static void prof_release(struct file *file)
{
    struct prof_session *s = file->private;
    if (!s)
        return;
    prof_stop(s);
    file->private = NULL;
    kfree(s->ring);
    kfree(s);
}

const struct file_ops prof_fops = {
    .read = prof_read,
    .ioctl = prof_ioctl,
    .release = prof_release,
};
