/* procfs_system.c - the system-wide files of /proc: memory, time, load, scheduling. */
#include "kernel/arch/cpuinfo.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/bkl.h"
#include "kernel/drivers/diskstats.h"
#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/pagecache.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/ramfs.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "kernel/param.h"
#include "kernel/timer.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "mm/swap_sys.h"
#include "mm/vmstat.h"
#include "proc/fork.h"
#include "proc/proc.h"
#include "sched/policy.h"
#include "sched/sched.h"
#include "sched/trace.h"

static void line_kb(struct textbuf *out, const char *name, u64 kb)
{
    textbuf_printf(out, "%-15s %8lu kB\n", name, kb);
}

static void show_meminfo(struct textbuf *out, struct proc *unused)
{
    struct kheap_stats heap;
    kheap_get_stats(&heap);
    u64 total = frames_total() * 4, free = frames_free() * 4, files = ramfs_pages_in_use() * 4;
    u64 stacks = (u64)proc_count() * KSTACK_SIZE / 1024;
    line_kb(out, "MemTotal:", total);
    line_kb(out, "MemFree:", free);
    line_kb(out, "MemAvailable:", free); /* file contents live in RAM only: nothing to drop */
    struct bcache_stats blocks;
    bcache_get_stats(&blocks); /* each valid buffer holds BCACHE_MAX_BLOCK bytes */
    line_kb(out, "Buffers:", blocks.buffers * (BCACHE_MAX_BLOCK / 1024));
    line_kb(out, "Cached:", files + pagecache_pages_total * 4);
    line_kb(out, "SwapCached:", swap_cached_pages() * 4);
    line_kb(out, "Shmem:", files);
    line_kb(out, "Slab:", heap.pages * 4);
    line_kb(out, "SReclaimable:", 0);
    line_kb(out, "KernelStack:", stacks);
    line_kb(out, "SwapTotal:", swap_total_pages() * 4);
    line_kb(out, "SwapFree:", (swap_total_pages() - swap_used_pages()) * 4);
    /* Blocks changed and not yet on the disk, and those being written now (the flusher and
     * sync, kernel/fs/writeback.h).  A MAP_SHARED page counts once written back into them. */
    line_kb(out, "Dirty:", blocks.dirty_bytes / 1024);
    line_kb(out, "Writeback:", blocks.writeback_bytes / 1024);
}

static void show_swaps(struct textbuf *out, struct proc *unused) { swap_show_swaps(out); }

/* Linux's names; the event counters only grow (vmstat 1 prints their rates). */
static void show_vmstat(struct textbuf *out, struct proc *unused)
{
    textbuf_printf(out, "nr_free_pages %lu\n", frames_free());
    textbuf_printf(out, "nr_swap_cached %lu\n", swap_cached_pages());
    textbuf_printf(out, "pgfault %lu\npgmajfault %lu\n", vm_events.pgfault, vm_events.pgmajfault);
    textbuf_printf(out, "pswpin %lu\npswpout %lu\n", vm_events.pswpin, vm_events.pswpout);
    textbuf_printf(out, "pgscan %lu\npgsteal %lu\n", vm_events.pgscan, vm_events.pgsteal);
    textbuf_printf(out, "pgscan_direct %lu\npgsteal_direct %lu\n",
                   vm_events.pgscan - vm_events.pgscan_kswapd,
                   vm_events.pgsteal - vm_events.pgsteal_kswapd);
    textbuf_printf(out, "pgscan_kswapd %lu\npgsteal_kswapd %lu\n", vm_events.pgscan_kswapd,
                   vm_events.pgsteal_kswapd);
}

/*
 * Linux's slabinfo 2.1 format, one line per kmalloc size class; the last
 * line, kmalloc-large, counts the big blocks (one object per run of frames,
 * its slabs column in frames).  The numbers are copied first, then printed,
 * so the buffer this text grows in is not counted half-way.
 */
static void show_slabinfo(struct textbuf *out, struct proc *unused)
{
    struct kheap_class_info classes[16];
    int n = kheap_class_info(classes, ARRAY_SIZE(classes));
    textbuf_printf(out,
                   "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> "
                   "<objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> "
                   ": slabdata <active_slabs> <num_slabs> <sharedavail>\n");
    for (int i = 0; i < n; i++) {
        const struct kheap_class_info *c = &classes[i];
        char name[24];
        if (c->object_size)
            snprintf(name, sizeof name, "kmalloc-%u", c->object_size);
        else
            strlcpy(name, "kmalloc-large", sizeof name);
        textbuf_printf(out, "%-17s %6lu %6lu %6u %4u %4u : tunables 0 0 0 : slabdata %6lu %6lu 0\n",
                       name, c->active_objects, c->objects, c->object_size, c->objects_per_slab,
                       c->pages_per_slab, c->slabs, c->slabs);
    }
}

/* Sort sites by bytes, biggest first (a few hundred lines: insertion sort). */
struct alloc_line {
    u64 bytes, count, caller;
    const char *kind;
};

static void sort_lines(struct alloc_line *lines, int n)
{
    for (int i = 1; i < n; i++) {
        struct alloc_line key = lines[i];
        int j = i - 1;
        for (; j >= 0 && lines[j].bytes < key.bytes; j--)
            lines[j + 1] = lines[j];
        lines[j + 1] = key;
    }
}

/*
 * Who holds kernel memory: every kmalloc caller with live objects and every
 * frame_alloc caller with frames, by the function that called (as Linux's
 * /proc/allocinfo, with functions instead of source lines).  The way to find
 * a leak: read it, repeat something, read it again, and look for a line
 * that grew.
 */
static void show_allocinfo(struct textbuf *out, struct proc *unused)
{
    struct kheap_site *heap = kmalloc(KHEAP_SITES * sizeof *heap);
    struct frame_site *frames = kmalloc(FRAME_SITES * sizeof *frames);
    struct alloc_line *lines = kmalloc((KHEAP_SITES + FRAME_SITES) * sizeof *lines);
    if (!heap || !frames || !lines)
        goto out_free;
    int nheap = kheap_sites(heap, KHEAP_SITES), nframes = frame_sites(frames, FRAME_SITES), n = 0;
    for (int i = 0; i < nheap; i++)
        lines[n++] = (struct alloc_line){heap[i].bytes, heap[i].live, heap[i].caller, "kmalloc"};
    for (int i = 0; i < nframes; i++)
        lines[n++] = (struct alloc_line){frames[i].frames * PAGE_SIZE, frames[i].frames,
                                         frames[i].caller, "frame"};
    sort_lines(lines, n);
    textbuf_printf(out, "allocinfo - version: 1.0\n#     <size>  <calls> <tag info>\n");
    for (int i = 0; i < n; i++) {
        char where[64] = "other";
        if (lines[i].caller)
            ksym_format(lines[i].caller, where, sizeof where);
        textbuf_printf(out, "%12lu %8lu %s func:%s\n", lines[i].bytes, lines[i].count,
                       lines[i].kind, where);
    }
out_free:
    kfree(lines);
    kfree(frames);
    kfree(heap);
}

static void show_uptime(struct textbuf *out, struct proc *unused)
{
    u64 up = uptime_ns() / 10000000, idle = cpu_ticks.idle * (100 / HZ); /* hundredths */
    textbuf_printf(out, "%lu.%02lu %lu.%02lu\n", up / 100, up % 100, idle / 100, idle % 100);
}

static void show_loadavg(struct textbuf *out, struct proc *unused)
{
    u64 load[3];
    sched_loadavg(load);
    int last_pid = 0;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        last_pid = MAX(last_pid, p->pid);
    textbuf_printf(out, "%lu.%02lu %lu.%02lu %lu.%02lu %lu/%d %d\n", load[0] / 100, load[0] % 100,
                   load[1] / 100, load[1] % 100, load[2] / 100, load[2] % 100, sched_nr_running(),
                   proc_count(), last_pid);
}

static void show_stat(struct textbuf *out, struct proc *unused)
{
    const struct cpu_ticks *t = &cpu_ticks;
    if (smp_scheduling) { /* every CPU runs processes: each counts its own ticks */
        textbuf_printf(out, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", t->user, t->system, t->idle);
        for (int i = 0; i < cpu_count; i++)
            if (cpus[i].online)
                textbuf_printf(out, "cpu%d %lu 0 %lu %lu 0 0 0 0 0 0\n", i, cpus[i].user_ticks,
                               cpus[i].system_ticks, cpus[i].idle_ticks);
    } else {
        /* The other CPUs run no processes (docs/smp.md): each of their
         * clock ticks is idle time.  The first line sums every CPU, as Linux's. */
        u64 other_idle = 0;
        for (int i = 1; i < cpu_count; i++)
            other_idle += cpus[i].online ? cpus[i].ticks : 0;
        textbuf_printf(out, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", t->user, t->system,
                       t->idle + other_idle);
        textbuf_printf(out, "cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", t->user, t->system, t->idle);
        for (int i = 1; i < cpu_count; i++)
            if (cpus[i].online)
                textbuf_printf(out, "cpu%d 0 0 0 %lu 0 0 0 0 0 0\n", i, cpus[i].ticks);
    }
    u64 blocked = 0;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        blocked += p->state == PROC_BLOCKED;
    textbuf_printf(out,
                   "ctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %lu\nprocs_blocked %lu\n",
                   context_switches, (u64)((realtime_ns() - uptime_ns()) / NS_PER_SEC),
                   forks_total + 1, sched_nr_running(), blocked);
}

static void show_cmdline(struct textbuf *out, struct proc *unused)
{
    for (int i = 0; i < boot_cmdline.count; i++) {
        textbuf_printf(out, "%s%s", i ? " " : "", boot_cmdline.keys[i]);
        if (boot_cmdline.values[i][0])
            textbuf_printf(out, "=%s", boot_cmdline.values[i]);
    }
    textbuf_printf(out, "\n");
}

static void show_version(struct textbuf *out, struct proc *unused)
{
    textbuf_printf(out, "sprout version 0.1 (x86_64) #1 " SPROUT_BUILD_DATE "\n");
}

static void show_cpuinfo(struct textbuf *out, struct proc *unused) { cpuinfo_show(out); }
static void show_interrupts(struct textbuf *out, struct proc *unused) { interrupts_show(out); }

static void show_sched(struct textbuf *out, struct proc *unused)
{
    const struct sched_policy *policy = sched_active_policy();
    textbuf_printf(out, "policy %s: %s\n", policy->name, policy->description);
    textbuf_printf(out,
                   "quantum_ms %lu\nhz %d\ncontext_switches %lu\npreempt_points %lu\navailable",
                   sched_quantum_ms(), HZ, context_switches, preempt_points_taken);
    for (int i = 0; sched_policies[i]; i++)
        textbuf_printf(out, " %s", sched_policies[i]->name);
    /* What SCHED_DEADLINE tasks have reserved (runtime/period summed), of 1 << 20. */
    textbuf_printf(out, "\ndeadline_bandwidth %lu\n", sched_deadline_bandwidth());
    sched_show_queues(out); /* one line per CPU: what it runs and its run queue */
}

/* Linux's format ("address type name"), every function of the kernel's own
 * table (kernel/ksyms.h), so user tools (prof) can name kernel addresses.
 * sprout has no address randomisation to hide, so everyone sees them. */
static void show_kallsyms(struct textbuf *out, struct proc *unused)
{
    u64 address;
    const char *name;
    for (u64 i = 0; ksym_at(i, &address, &name) && !out->failed; i++)
        textbuf_printf(out, "%016lx T %s\n", address, name);
}

static void show_schedtrace(struct textbuf *out, struct proc *unused) { sched_trace_show(out); }
static void show_replace(struct textbuf *out, struct proc *unused) { replace_show(out); }
static int store_replace(struct proc *unused, const char *text) { return replace_store(text); }

/* Fault injection for tests: "N" makes the writer's next N swap-in reads
 * fail as a broken disk would (root only: the file is 0644 and root's). */
static void show_swap_read_errors(struct textbuf *out, struct proc *unused)
{
    textbuf_printf(out, "%lu\n", swap_read_errors_pending());
}
static int store_swap_read_errors(struct proc *unused, const char *text)
{
    u64 count;
    if (!cmdline_parse_u64(text, &count) || !current->mm)
        return -EINVAL;
    swap_inject_read_errors(current->mm, count);
    return 0;
}

/* "on" or "off": whether kswapd0 runs (off: only direct reclaim; for tests
 * that measure the replacement policy, mm/reclaim.c).  Root only (0644). */
static void show_kswapd(struct textbuf *out, struct proc *unused)
{
    textbuf_printf(out, "%s\n", reclaim_kswapd_on() ? "on" : "off");
}
static int store_kswapd(struct proc *unused, const char *text)
{
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    if (len == 2 && strncmp(text, "on", 2) == 0)
        reclaim_set_kswapd(true);
    else if (len == 3 && strncmp(text, "off", 3) == 0)
        reclaim_set_kswapd(false);
    else
        return -EINVAL;
    return 0;
}

static int store_schedtrace(struct proc *unused, const char *text)
{
    return sched_trace_control(text);
}

const struct procfs_file procfs_system_files[] = {
    {"diskstats", diskstats_show, NULL},
    {"meminfo", show_meminfo, NULL},
    {"swaps", show_swaps, NULL},
    {"vmstat", show_vmstat, NULL},
    {"replace", show_replace, store_replace}, /* the page-replacement policy */
    {"swap_read_errors", show_swap_read_errors, store_swap_read_errors}, /* fault injection */
    {"kswapd", show_kswapd, store_kswapd}, /* "off": direct reclaim only (tests) */
    {"mounts", procfs_show_mounts, NULL},
    {"slabinfo", show_slabinfo, NULL},
    {"allocinfo", show_allocinfo, NULL},
    {"uptime", show_uptime, NULL},
    {"loadavg", show_loadavg, NULL},
    {"stat", show_stat, NULL},
    {"cmdline", show_cmdline, NULL},
    {"version", show_version, NULL},
    {"cpuinfo", show_cpuinfo, NULL},
    {"interrupts", show_interrupts, NULL},
    {"sched", show_sched, NULL},
    {"schedtrace", show_schedtrace, store_schedtrace},
    {"kallsyms", show_kallsyms, NULL}, /* kernel function names, for prof */
    {NULL, NULL, NULL},
};
