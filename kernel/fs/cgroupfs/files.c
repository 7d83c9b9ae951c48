/*
 * files.c - the files of a control group's directory: what each shows and
 * what a write to it may say (Linux's formats; anything else is EINVAL).
 *
 *   cgroup.procs            PIDs, one a line; write one PID to move that process here
 *   cgroup.controllers      the controllers the parent gives this group
 *   cgroup.subtree_control  the ones this group gives its children: "+pids -cpu"
 *   cgroup.events           "populated 1": a live process here or below
 *   cgroup.kill             write "1": SIGKILL to every process here and below
 *   pids.max/current/events       "max" or a number of tasks
 *   memory.max/current/events     bytes ("max", or a number with K/M/G)
 *   memory.swap.max/current/events  the same for the group's pages on swap
 *   cpu.max  "QUOTA PERIOD"  cpu.weight 1..10000  cpu.stat (microseconds)
 */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/cgroupfs/cgroupfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "proc/cgroup.h"
#include "proc/ns.h"
#include "proc/proc.h"

/* --- parsing --------------------------------------------------------------------- */

/* "max" (-> CGROUP_NO_LIMIT) or a decimal number. */
static bool parse_limit(const char *text, u64 *value)
{
    if (strcmp(text, "max") == 0) {
        *value = CGROUP_NO_LIMIT;
        return true;
    }
    return cmdline_parse_u64(text, value);
}

/* "max" or bytes with an optional K, M or G suffix (either case), as memory.max takes. */
static bool parse_bytes(const char *text, u64 *value)
{
    if (strcmp(text, "max") == 0) {
        *value = CGROUP_NO_LIMIT;
        return true;
    }
    char digits[24];
    size_t len = strlen(text);
    if (len == 0 || len >= sizeof digits)
        return false;
    u64 shift = 0;
    switch (text[len - 1]) {
    case 'k':
    case 'K':
        shift = 10;
        break;
    case 'm':
    case 'M':
        shift = 20;
        break;
    case 'g':
    case 'G':
        shift = 30;
        break;
    default:
        break;
    }
    memcpy(digits, text, len + 1);
    if (shift)
        digits[--len] = '\0';
    u64 number;
    if (!cmdline_parse_u64(digits, &number) || (number << shift) >> shift != number)
        return false;
    *value = number << shift;
    return true;
}

static void show_limit(struct textbuf *out, u64 value, u64 unit)
{
    if (value == CGROUP_NO_LIMIT)
        textbuf_printf(out, "max\n");
    else
        textbuf_printf(out, "%lu\n", value * unit);
}

/* --- core files -------------------------------------------------------------------- */

static void procs_show(struct textbuf *out, struct cgroup *cg)
{
    bool irq = irq_save();
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        if (p->cgroup == cg && p->pid != 0 && p->state != PROC_ZOMBIE &&
            cgroup_process_thread(p) == p)            /* one line per process */
            textbuf_printf(out, "%d\n", tgid_vnr(p)); /* as the reader's PID namespace
                                                          sees it: 0 if outside, as Linux */
    irq_restore(irq);
}

static int procs_store(struct cgroup *cg, const char *text)
{
    u64 pid;
    if (!cmdline_parse_u64(text, &pid) || pid >= PID_MAX)
        return pid >= PID_MAX && cmdline_parse_u64(text, &pid) ? -ESRCH : -EINVAL;
    return cgroup_move_process(cg, (int)pid);
}

static void controllers_show(struct textbuf *out, struct cgroup *cg)
{
    cgroup_show_controllers(out, cg->parent ? cg->parent->subtree_control : CGROUP_ALL_CONTROLLERS);
}

static void subtree_show(struct textbuf *out, struct cgroup *cg)
{
    cgroup_show_controllers(out, cg->subtree_control);
}

static void events_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "populated %d\nfrozen 0\n", cg->nr_populated > 0);
}

static int kill_store(struct cgroup *cg, const char *text)
{
    if (strcmp(text, "1") != 0)
        return -EINVAL;
    cgroup_kill(cg);
    return 0;
}

#define PIDS_LIMIT_MAX 4194304 /* Linux's PID_MAX_LIMIT: the largest pids.max it takes */

/* --- pids -------------------------------------------------------------------------- */

static void pids_max_show(struct textbuf *out, struct cgroup *cg)
{
    show_limit(out, cg->pids_max, 1);
}
static void pids_current_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "%lu\n", cg->pids_current);
}
static void pids_events_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "max %lu\n", cg->pids_events_max);
}

static int pids_max_store(struct cgroup *cg, const char *text)
{
    u64 value;
    if (!parse_limit(text, &value) || (value != CGROUP_NO_LIMIT && value > PIDS_LIMIT_MAX))
        return -EINVAL;
    cg->pids_max = value;
    return 0;
}

/* --- memory ------------------------------------------------------------------------ */

static void memory_current_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "%lu\n", cg->memcg.pages * PAGE_SIZE);
}
static void memory_max_show(struct textbuf *out, struct cgroup *cg)
{
    show_limit(out, cg->memcg.max_pages, PAGE_SIZE);
}
static void memory_events_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "low 0\nhigh 0\nmax %lu\noom %lu\noom_kill %lu\n", cg->memcg.events_max,
                   cg->memcg.events_oom, cg->memcg.events_oom_kill);
}

/* Lowering the limit below what is used does not reclaim at once: the next
 * charge fails, reclaims from the group (swap) and, failing that, the group's
 * OOM killer makes room. */
static int memory_max_store(struct cgroup *cg, const char *text)
{
    u64 bytes;
    if (!parse_bytes(text, &bytes))
        return -EINVAL;
    bool irq = irq_save();
    cg->memcg.max_pages = bytes == CGROUP_NO_LIMIT ? MEMCG_NO_LIMIT : bytes / PAGE_SIZE;
    irq_restore(irq);
    return 0;
}

static void memory_swap_current_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "%lu\n", cg->memcg.swap_pages * PAGE_SIZE);
}
static void memory_swap_max_show(struct textbuf *out, struct cgroup *cg)
{
    show_limit(out, cg->memcg.swap_max_pages, PAGE_SIZE);
}
static void memory_swap_events_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "high 0\nmax %lu\nfail 0\n", cg->memcg.events_swap_max);
}

/* Lowering it below what is on swap takes nothing back; new swap-outs stop. */
static int memory_swap_max_store(struct cgroup *cg, const char *text)
{
    u64 bytes;
    if (!parse_bytes(text, &bytes))
        return -EINVAL;
    bool irq = irq_save();
    cg->memcg.swap_max_pages = bytes == CGROUP_NO_LIMIT ? MEMCG_NO_LIMIT : bytes / PAGE_SIZE;
    irq_restore(irq);
    return 0;
}

/* --- cpu --------------------------------------------------------------------------- */

#define CPU_PERIOD_MIN_US 1000
#define CPU_PERIOD_MAX_US 1000000
#define CPU_QUOTA_MIN_US 1000

static void cpu_max_show(struct textbuf *out, struct cgroup *cg)
{
    if (cg->cpu_quota_ns == CGROUP_NO_LIMIT)
        textbuf_printf(out, "max %lu\n", cg->cpu_period_ns / 1000);
    else
        textbuf_printf(out, "%lu %lu\n", cg->cpu_quota_ns / 1000, cg->cpu_period_ns / 1000);
}

/* "QUOTA PERIOD", "max PERIOD", or the quota alone (the period stays). */
static int cpu_max_store(struct cgroup *cg, const char *text)
{
    char quota_text[24];
    const char *space = strchr(text, ' ');
    size_t quota_len = space ? (size_t)(space - text) : strlen(text);
    if (quota_len == 0 || quota_len >= sizeof quota_text)
        return -EINVAL;
    memcpy(quota_text, text, quota_len);
    quota_text[quota_len] = '\0';
    u64 quota, period = cg->cpu_period_ns / 1000;
    if (!parse_limit(quota_text, &quota))
        return -EINVAL;
    if (space && !cmdline_parse_u64(space + 1, &period))
        return -EINVAL;
    if (period < CPU_PERIOD_MIN_US || period > CPU_PERIOD_MAX_US)
        return -EINVAL;
    if (quota != CGROUP_NO_LIMIT && (quota < CPU_QUOTA_MIN_US || quota > (1ull << 40)))
        return -EINVAL;
    bool irq = irq_save();
    cg->cpu_quota_ns = quota == CGROUP_NO_LIMIT ? CGROUP_NO_LIMIT : quota * 1000;
    cg->cpu_period_ns = period * 1000;
    irq_restore(irq);
    return 0;
}

static void cpu_stat_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "usage_usec %lu\nuser_usec %lu\nsystem_usec 0\n", cg->usage_ns / 1000,
                   cg->usage_ns / 1000);
    if (cg != &cgroup_root)
        textbuf_printf(out, "nr_periods %lu\nnr_throttled %lu\nthrottled_usec %lu\n",
                       cg->nr_periods, cg->nr_throttled, cg->throttled_ns / 1000);
}

static void cpu_weight_show(struct textbuf *out, struct cgroup *cg)
{
    textbuf_printf(out, "%lu\n", cg->cpu_weight);
}

static int cpu_weight_store(struct cgroup *cg, const char *text)
{
    u64 weight;
    if (!cmdline_parse_u64(text, &weight) || weight < 1 || weight > 10000)
        return -EINVAL;
    bool irq = irq_save();
    cg->cpu_weight = weight;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        if (p->cgroup == cg)
            cgroup_cpu_update_weight(p);
    irq_restore(irq);
    return 0;
}

#define ROOT CGROUPFS_ROOT
#define NON_ROOT CGROUPFS_NON_ROOT
#define BOTH CGROUPFS_BOTH

const struct cgroupfs_file cgroupfs_files[] = {
    {"cgroup.procs", 0, BOTH, 0644, procs_show, procs_store},
    {"cgroup.controllers", 0, BOTH, 0444, controllers_show, NULL},
    {"cgroup.subtree_control", 0, BOTH, 0644, subtree_show, cgroup_set_subtree_control},
    {"cgroup.events", 0, NON_ROOT, 0444, events_show, NULL},
    {"cgroup.kill", 0, NON_ROOT, 0200, NULL, kill_store},
    {"cpu.stat", 0, BOTH, 0444, cpu_stat_show, NULL},
    {"cpu.max", CGROUP_CPU, NON_ROOT, 0644, cpu_max_show, cpu_max_store},
    {"cpu.weight", CGROUP_CPU, NON_ROOT, 0644, cpu_weight_show, cpu_weight_store},
    {"memory.current", CGROUP_MEMORY, NON_ROOT, 0444, memory_current_show, NULL},
    {"memory.max", CGROUP_MEMORY, NON_ROOT, 0644, memory_max_show, memory_max_store},
    {"memory.events", CGROUP_MEMORY, NON_ROOT, 0444, memory_events_show, NULL},
    {"memory.swap.current", CGROUP_MEMORY, NON_ROOT, 0444, memory_swap_current_show, NULL},
    {"memory.swap.max", CGROUP_MEMORY, NON_ROOT, 0644, memory_swap_max_show, memory_swap_max_store},
    {"memory.swap.events", CGROUP_MEMORY, NON_ROOT, 0444, memory_swap_events_show, NULL},
    {"pids.current", CGROUP_PIDS, NON_ROOT, 0444, pids_current_show, NULL},
    {"pids.max", CGROUP_PIDS, NON_ROOT, 0644, pids_max_show, pids_max_store},
    {"pids.events", CGROUP_PIDS, NON_ROOT, 0444, pids_events_show, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};
