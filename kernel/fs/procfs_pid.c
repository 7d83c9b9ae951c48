/*
 * procfs_pid.c - the files of /proc/<pid>, in Linux's formats (man 5 proc).
 *
 * Every number ps, top, pmap and lsof show about a process comes from here:
 * its state, its memory regions, its open descriptors, its CPU time.
 */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/pipe.h"
#include "kernel/net/socket.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/tty.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/oom.h"
#include "proc/cgroup.h"
#include "mm/pagetable.h"
#include "mm/swap.h"
#include "mm/mlock.h"
#include "mm/vm.h"
#include "proc/ns.h"
#include "proc/posix_timer.h"
#include "proc/proc.h"
#include "proc/thread.h"
#include "kernel/timer.h"
#include "sched/policy.h"
#include "sched/sched.h"

static u64 kib(u64 bytes) { return bytes / 1024; }

/* Bytes in regions of one kind (and, optionally, writable ones only). */
static u64 region_bytes(const struct proc *p, int kind, bool writable_only)
{
    u64 total = 0;
    if (!p->mm)
        return 0;
    struct vma *vma;
    list_for_each_entry (vma, &p->mm->vmas, node) {
        if ((kind < 0 || (int)vma->kind == kind) && (!writable_only || (vma->prot & VM_WRITE)))
            total += vma->end - vma->start;
    }
    return total;
}

static u64 signal_mask_of(const struct proc *p, u64 handler_kind)
{
    u64 mask = 0;
    for (int sig = 1; sig <= NSIG; sig++) {
        u64 h = p->signals.actions[sig - 1].handler;
        bool match = handler_kind == SIG_IGN ? h == SIG_IGN : (h != SIG_IGN && h != SIG_DFL);
        if (match)
            mask |= SIGMASK(sig);
    }
    return mask;
}

/* "NStgid:" or "NSpid:" and the ID at each PID-namespace level from the reader's down. */
static void show_ns_ids(struct textbuf *out, const char *label, const struct proc *p)
{
    textbuf_printf(out, "%s", label);
    int from = pid_ns_current()->level;
    for (int level = from; p->pid_ns && level <= p->pid_ns->level; level++)
        textbuf_printf(out, "\t%d", p->ns_pids[level]);
    textbuf_printf(out, "\n");
}

static void show_status(struct textbuf *out, struct proc *p)
{
    textbuf_printf(out, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n",
                   p->name, p->umask, proc_state_name(p), tgid_vnr(p), pid_vnr(p));
    const struct cred *c = &p->cred;
    textbuf_printf(out, "PPid:\t%d\nTracerPid:\t%d\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
                   p->parent ? tgid_vnr(p->parent) : 0, p->tracer ? tgid_vnr(p->tracer) : 0, c->uid,
                   c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid);
    show_ns_ids(out, "NStgid:", p->group ? p->group->leader : p);
    show_ns_ids(out, "NSpid:", p);
    textbuf_printf(out, "FDSize:\t%d\nGroups:\t", p->files ? p->files->capacity : 0);
    for (u32 i = 0; i < c->ngroups; i++)
        textbuf_printf(out, "%u ", c->groups[i]);
    textbuf_printf(out, "\n");
    if (p->mm) {
        struct mm *mm = p->mm;
        u64 data = region_bytes(p, VMA_HEAP, false) + region_bytes(p, VMA_ANON, true) +
                   region_bytes(p, VMA_CODE, true);
        u64 exe = 0;
        struct vma *vma;
        list_for_each_entry (vma, &mm->vmas, node) {
            if (vma->kind == VMA_CODE && (vma->prot & VM_EXEC))
                exe += vma->end - vma->start;
        }
        textbuf_printf(out,
                       "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n",
                       mm_total_kib(p), mm_total_kib(p), kib(mm_locked_bytes(mm)), 0ul);
        textbuf_printf(out,
                       "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\nRssFile:\t%8lu kB\n",
                       mm->rss * 4, mm->rss * 4, mm->rss * 4, 0ul);
        textbuf_printf(out,
                       "RssShmem:\t%8lu kB\nVmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
                       0ul, kib(data), kib(region_bytes(p, VMA_STACK, false)), kib(exe));
        textbuf_printf(out, "VmLib:\t%8lu kB\nVmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n", 0ul,
                       pagetable_count_tables(mm->pml4) * 4, mm->swap_pages * 4);
    }
    int queued = 0;
    for (u64 pending = p->signals.pending; pending; pending &= pending - 1)
        queued++;
    textbuf_printf(out, "Threads:\t%d\nSigQ:\t%d/%d\n", p->group->live, queued, NSIG);
    textbuf_printf(out, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n", p->signals.pending,
                   p->group->shared_pending, p->signals.blocked);
    textbuf_printf(out, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", signal_mask_of(p, SIG_IGN),
                   signal_mask_of(p, 2));
    textbuf_printf(out, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\n",
                   c->cap_inheritable, c->cap_permitted, c->cap_effective, c->cap_bset);
    textbuf_printf(out, "CapAmb:\t%016lx\n", 0ul);
    textbuf_printf(out, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
                   p->nvcsw, p->nivcsw);
}

static void show_stat(struct textbuf *out, struct proc *p)
{
    struct mm *mm = p->mm;
    bool on_console = tty_session() && p->sid == tty_session();
    u64 vsize = mm_total_kib(p) * 1024;
    struct proc *group_leader = proc_find(p->pgid), *session_leader = proc_find(p->sid);
    bool outer = pid_ns_current()->level == 0; /* the kernel's numbers are ours */
    textbuf_printf(out, "%d (%s) %c %d %d %d %d %d %u ", pid_vnr(p), p->name, proc_state_letter(p),
                   p->parent ? tgid_vnr(p->parent) : 0, outer ? p->pgid : pid_vnr(group_leader),
                   outer ? p->sid : pid_vnr(session_leader), on_console ? TTY_CONSOLE_RDEV : 0,
                   on_console ? tty_foreground_pgrp() : -1, 0u);
    u64 utime, stime;
    if (p->pid == p->tgid)
        thread_group_cputime(p, &utime, &stime); /* the process's: all its threads */
    else
        sched_cputime(p, &utime, &stime); /* a thread's (task/TID/stat) */
    textbuf_printf(out, "%lu 0 %lu 0 %lu %lu %lu %lu ", p->min_flt, p->maj_flt, utime, stime,
                   p->cutime_ticks, p->cstime_ticks);
    /* priority is the effective one (raised by priority inheritance), nice the set one */
    textbuf_printf(out, "%d %d %d 0 %lu %lu %lu %lu ", 20 + sched_entity_nice(&p->sched),
                   p->sched.nice, p->group->live, p->start_time, vsize, mm ? mm->rss : 0, ~0ul);
    textbuf_printf(out, "%lu %lu %lu 0 0 ", mm ? mm->start_code : 0, mm ? mm->end_code : 0,
                   mm ? mm->stack_top : 0);
    textbuf_printf(out, "%lu %lu %lu %lu 0 0 0 17 %d 0 0 0 0 0 ", p->signals.pending,
                   p->signals.blocked, signal_mask_of(p, SIG_IGN), signal_mask_of(p, 2),
                   p->last_cpu);
    textbuf_printf(out, "%lu %lu %lu %lu %lu %lu %lu %d\n", mm ? mm->start_data : 0,
                   mm ? mm->end_data : 0, mm ? mm->brk_start : 0, mm ? mm->arg_start : 0,
                   mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0,
                   p->state == PROC_ZOMBIE ? p->exit_status : 0);
}

/* One line of maps: range, rights, offset, device, inode, name. */
static void show_region(struct textbuf *out, struct proc *p, const struct vma *vma)
{
    const struct file *file = vma->file; /* an mmap of a file, or a program segment */
    const char *name = vma->kind == VMA_HEAP    ? "[heap]"
                       : vma->kind == VMA_STACK ? "[stack]"
                       : file && file->path    ? file->path /* the program, its loader, a library */
                       : vma->kind == VMA_CODE ? p->mm->exe_path
                       : file                  ? "?"
                                               : "";
    bool from_file = vma->kind == VMA_CODE || file;
    u32 dev = file ? file->inode->dev : from_file ? 1 : 0;
    u64 ino = file ? file->inode->ino : 0;
    size_t start = out->len;
    textbuf_printf(out, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu", vma->start, vma->end,
                   vma->prot & VM_READ ? 'r' : '-', vma->prot & VM_WRITE ? 'w' : '-',
                   vma->prot & VM_EXEC ? 'x' : '-', vma->shared ? 's' : 'p',
                   from_file ? vma->file_offset : 0, dev >> 8, dev & 0xff, ino);
    if (*name) { /* Linux pads the name to a column */
        size_t width = out->len - start;
        textbuf_printf(out, "%*s%s%s", width < 73 ? (int)(73 - width) : 1, "", name,
                       file && S_ISREG(file->inode->mode) && file->inode->nlink == 0 ? " (deleted)"
                                                                                     : "");
    }
    textbuf_printf(out, "\n");
}

static void show_maps(struct textbuf *out, struct proc *p)
{
    if (!p->mm)
        return;
    struct vma *vma;
    list_for_each_entry (vma, &p->mm->vmas, node)
        show_region(out, p, vma);
}

struct smaps_count {
    const struct vma *vma;
    u64 rss, shared_clean, shared_dirty, private_clean, private_dirty; /* pages */
};

static void count_page(u64 va, pte_t *entry, void *arg)
{
    struct smaps_count *c = arg;
    if (pte_is_swap(*entry))
        return;
    phys_addr_t frame = PTE_ADDRESS(*entry);
    /* Mappings of the frame: its references, less the page cache's own. */
    int users = frame_refcount(frame);
    const struct vma *vma = c->vma;
    if (vma->file && vma->file->inode->ops->find_page) {
        u64 index = (vma->file_offset + (va - vma->start)) / PAGE_SIZE;
        if (vma->file->inode->ops->find_page(vma->file->inode, index) == frame)
            users--;
    }
    bool dirty = *entry & PTE_DIRTY;
    c->rss++;
    if (users > 1)
        *(dirty ? &c->shared_dirty : &c->shared_clean) += 1;
    else
        *(dirty ? &c->private_dirty : &c->private_clean) += 1;
}

/* smaps: maps, and under each region what of it is resident and shared (Linux's fields, the
 * ones sprout can count; a page is shared when another mapping uses its frame). */
static void show_smaps(struct textbuf *out, struct proc *p)
{
    if (!p->mm)
        return;
    struct vma *vma;
    list_for_each_entry (vma, &p->mm->vmas, node) {
        show_region(out, p, vma);
        struct smaps_count c = {.vma = vma};
        pagetable_walk(p->mm->pml4, vma->start, vma->end, count_page, &c);
        textbuf_printf(out,
                       "Size:           %8lu kB\nRss:            %8lu kB\n"
                       "Shared_Clean:   %8lu kB\nShared_Dirty:   %8lu kB\n"
                       "Private_Clean:  %8lu kB\nPrivate_Dirty:  %8lu kB\n",
                       (vma->end - vma->start) / 1024, c.rss * 4, c.shared_clean * 4,
                       c.shared_dirty * 4, c.private_clean * 4, c.private_dirty * 4);
    }
}

/* argv or envp: the strings as they sit on the process's stack. */
static void show_strings(struct textbuf *out, struct proc *p, bool environment)
{
    if (!p->mm || p->state == PROC_ZOMBIE)
        return;
    u64 start = environment ? p->mm->env_start : p->mm->arg_start;
    u64 end = environment ? p->mm->env_end : p->mm->arg_end;
    if (end <= start || end - start > ARG_MAX)
        return;
    char *buf = kmalloc(end - start);
    if (buf && vm_access(p->mm, start, buf, end - start, VM_ACCESS_READ) == 0)
        textbuf_append(out, buf, end - start);
    kfree(buf);
}

static void show_cmdline(struct textbuf *out, struct proc *p) { show_strings(out, p, false); }
static void show_environ(struct textbuf *out, struct proc *p) { show_strings(out, p, true); }
static void show_comm(struct textbuf *out, struct proc *p) { textbuf_printf(out, "%s\n", p->name); }

static void show_wchan(struct textbuf *out, struct proc *p)
{
    textbuf_printf(out, "%s", p->state == PROC_BLOCKED && p->wait_channel ? p->wait_channel : "0");
}

static void show_limits(struct textbuf *out, struct proc *p)
{
    static const char *const names[] = {
        "Max cpu time",       "Max file size",     "Max data size", "Max stack size",
        "Max core file size", "Max resident set",  "Max processes", "Max open files",
        "Max locked memory",  "Max address space",
    };
    static const char *const units[] = {"seconds", "bytes",     "bytes", "bytes", "bytes",
                                        "bytes",   "processes", "files", "bytes", "bytes"};
    textbuf_printf(out, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        char soft[24], hard[24];
        const struct rlimit *r = &p->rlimits[i];
        if (r->cur == RLIM_INFINITY)
            strlcpy(soft, "unlimited", sizeof soft);
        else
            snprintf(soft, sizeof soft, "%lu", r->cur);
        if (r->max == RLIM_INFINITY)
            strlcpy(hard, "unlimited", sizeof hard);
        else
            snprintf(hard, sizeof hard, "%lu", r->max);
        textbuf_printf(out, "%-25s %-20s %-20s %-10s\n", names[i], soft, hard, units[i]);
    }
}

void procfs_fd_target(struct textbuf *out, struct proc *p, int fd)
{
    if (!p->files || fd < 0 || fd >= p->files->capacity || !p->files->files[fd])
        return;
    struct file *file = p->files->files[fd];
    if (file_is_pipe(file))
        textbuf_printf(out, "pipe:[%lu]", pipe_id(file));
    else if (file_is_socket(file))
        textbuf_printf(out, "socket:[%lu]", file->inode->ino);
    else if (file->path) /* (an open file whose last name is gone: as Linux, "(deleted)") */
        textbuf_printf(out, "%s%s", file->path,
                       S_ISREG(file->inode->mode) && file->inode->nlink == 0 ? " (deleted)" : "");
    else
        textbuf_printf(out, "anon_inode:[%lu]", file->inode->ino);
}

void procfs_show_fdinfo(struct textbuf *out, struct proc *p, int fd)
{
    if (!p->files || fd < 0 || fd >= p->files->capacity || !p->files->files[fd])
        return;
    struct file *file = p->files->files[fd];
    u32 flags = file->flags | (p->files->cloexec[fd] ? O_CLOEXEC : 0);
    textbuf_printf(out, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t%u\nino:\t%lu\n", file->offset, flags,
                   file->inode->dev, file->inode->ino);
}

/*
 * /proc/<pid>/sched: the scheduler's view of the process's first thread (and
 * task/<tid>/sched of each thread), one "name: value" per line -- which
 * thread it is (name, tid, tgid, and how many threads its process has), its
 * parameters (nice, tickets and the active policy's fields)
 * and its statistics (times in ticks of 1000/HZ ms).  Writing "nice N" or
 * "tickets N" changes them.
 */
static void show_sched(struct textbuf *out, struct proc *p)
{
    const struct sched_entity *s = &p->sched;
    u64 end = p->state == PROC_ZOMBIE ? p->exit_time : jiffies;
    /* Which thread this is: the scheduler runs threads, not processes. */
    textbuf_printf(out, "name: %s\ntid: %d\ntgid: %d\nthreads: %d\n", p->name, p->pid, p->tgid,
                   p->group->live);
    textbuf_printf(out, "policy: %s\nnice: %d\ntickets: %lu\nweight: %lu\n",
                   sched_active_policy()->name, s->nice, sched_tickets(p),
                   sched_nice_to_weight(s->nice));
    textbuf_printf(out, "priority: %d\nlevel: %d\nlevel_ticks: %lu\npass: %lu\nstride: %lu\n",
                   s->priority, s->level, s->level_ticks, s->pass, s->stride);
    textbuf_printf(out, "vruntime: %lu\nslice_left: %lu\n", s->vruntime, s->slice_left);
    if (sched_is_deadline(s)) /* SCHED_DEADLINE (sched_setattr): parameters in ticks */
        textbuf_printf(out,
                       "dl_runtime: %lu\ndl_deadline: %lu\ndl_period: %lu\ndl_budget: %lu\n"
                       "dl_throttled: %d\ndl_abs_deadline: %lu\ndl_jobs: %lu\ndl_misses: %lu\n",
                       s->dl_runtime, s->dl_deadline, s->dl_period, s->dl_budget, s->dl_throttled,
                       s->dl_abs_deadline, s->dl_jobs, s->dl_misses);
    u64 cpu_ns = sched_runtime_ns(p);
    textbuf_printf(out, "run_ticks: %lu\nwait_ticks: %lu\ntimes_scheduled: %lu\n", s->run_ticks,
                   s->wait_ticks, s->times_scheduled);
    textbuf_printf(out, "runtime_us: %lu\n", cpu_ns / 1000);
    textbuf_printf(out, "voluntary_switches: %lu\ninvoluntary_switches: %lu\n", p->nvcsw,
                   p->nivcsw);
    textbuf_printf(out, "start_ticks: %lu\nresponse_ticks: %ld\nturnaround_ticks: %lu\n",
                   p->start_time, s->first_run ? (long)(s->first_run - p->start_time) : -1L,
                   end - p->start_time);
    textbuf_printf(out, "hz: %d\n", HZ);
    textbuf_printf(out, "cpu: %d\n", p->last_cpu); /* where it runs, is queued, or last ran */
}

static int store_sched(struct proc *p, const char *text)
{
    char key[16];
    size_t k = 0;
    while (*text && *text != ' ' && *text != '=' && k < sizeof key - 1)
        key[k++] = *text++;
    key[k] = '\0';
    while (*text == ' ' || *text == '=')
        text++;
    bool negative = *text == '-';
    if (negative)
        text++;
    u64 value;
    if (!cmdline_parse_u64(text, &value) || value > 1000000)
        return -EINVAL;
    if (strcmp(key, "nice") == 0) {
        long nice = negative ? -(long)value : (long)value;
        if (nice < -20 || nice > 19)
            return -EINVAL;
        if (nice < p->sched.nice && !capable(CAP_SYS_NICE))
            return -EACCES; /* more CPU is root's to give, as with setpriority */
        sched_set_nice(p, (int)nice);
        return 0;
    }
    if (strcmp(key, "tickets") == 0 && !negative && value >= 1) {
        sched_set_tickets(p, value);
        return 0;
    }
    return -EINVAL;
}

const struct procfs_file procfs_pid_files[] = {
    {"status", show_status, NULL},
    {"stat", show_stat, NULL},
    {"maps", show_maps, NULL},
    {"smaps", show_smaps, NULL},
    {"cmdline", show_cmdline, NULL},
    {"environ", show_environ, NULL},
    {"comm", show_comm, NULL},
    {"wchan", show_wchan, NULL},
    {"limits", show_limits, NULL},
    {"sched", show_sched, store_sched},
    {"cgroup", cgroup_show_proc, NULL},
    {"timers", posix_timers_show, NULL},
    {NULL, NULL, NULL},
};
