/*
 * cgroup.c - the control-group tree, who is in which group, and the pids
 * controller (see cgroup.h).  The cpu controller's accounting is in
 * proc/cgroup_cpu.c, the memory controller's in mm/memcg.c.
 */
#include "proc/cgroup.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc/cred.h"
#include "proc/ns.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/thread.h"

struct cgroup cgroup_root;

static const char *const controller_names[] = {"cpu", "memory", "pids"}; /* bit 0, 1, 2 */

static void cgroup_defaults(struct cgroup *cg)
{
    list_init(&cg->children);
    list_node_init(&cg->sibling);
    cg->pids_max = CGROUP_NO_LIMIT;
    cg->cpu_quota_ns = CGROUP_NO_LIMIT;
    cg->cpu_period_ns = CGROUP_DEFAULT_PERIOD_US * 1000ull;
    cg->cpu_weight = CGROUP_DEFAULT_WEIGHT;
}

void cgroup_init(struct proc *idle)
{
    cgroup_defaults(&cgroup_root);
    cgroup_root.path = "/";
    cgroup_root.refs = 1; /* never freed */
    /* As a systemd-booted Linux leaves it: every controller available below the root. */
    cgroup_root.subtree_control = CGROUP_ALL_CONTROLLERS;
    idle->cgroup = &cgroup_root;
    cgroup_root.refs++;
}

void cgroup_get(struct cgroup *cg)
{
    bool irq = irq_save();
    cg->refs++;
    irq_restore(irq);
}

void cgroup_put(struct cgroup *cg)
{
    bool irq = irq_save();
    bool last = --cg->refs == 0;
    irq_restore(irq);
    if (!last)
        return;
    /* An address space shared across groups (a vfork child that moved) may
     * still name this one: it charges its own process's group from now on. */
    irq = irq_save();
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        if (p->mm && p->mm->memcg == &cg->memcg)
            p->mm->memcg = cgroup_memcg(p) == &cg->memcg ? NULL : cgroup_memcg(p);
    irq_restore(irq);
    memcg_unregister(&cg->memcg);
    struct cgroup *parent = cg->parent;
    kfree(cg->path);
    kfree(cg);
    cgroup_put(parent);
}

struct cgroup *cgroup_child(struct cgroup *parent, const char *name)
{
    struct cgroup *child;
    list_for_each_entry (child, &parent->children, sibling)
        if (strcmp(child->name, name) == 0)
            return child;
    return NULL;
}

struct cgroup *cgroup_create(struct cgroup *parent, const char *name)
{
    if (strlen(name) >= CGROUP_NAME_MAX)
        return ERR_PTR(-ENAMETOOLONG);
    if (parent->removed)
        return ERR_PTR(-ENOENT);
    struct cgroup *cg = kzalloc(sizeof *cg);
    size_t parent_len = strlen(parent->path);
    char *path = kmalloc(parent_len + strlen(name) + 2);
    if (!cg || !path) {
        kfree(cg);
        kfree(path);
        return ERR_PTR(-ENOMEM);
    }
    cgroup_defaults(cg);
    strlcpy(cg->name, name, sizeof cg->name);
    strlcpy(path, parent == &cgroup_root ? "" : parent->path, parent_len + 1);
    strlcat(path, "/", parent_len + strlen(name) + 2);
    strlcat(path, name, parent_len + strlen(name) + 2);
    cg->path = path;
    int error = memcg_register(&cg->memcg, parent == &cgroup_root ? NULL : &parent->memcg);
    if (error) {
        kfree(path);
        kfree(cg);
        return ERR_PTR(error);
    }
    cg->memcg.path = path;
    cg->refs = 1; /* the tree's */
    cg->parent = parent;
    bool irq = irq_save();
    cgroup_get(parent); /* a child keeps its parent's struct (and counters) */
    list_push_back(&parent->children, &cg->sibling);
    irq_restore(irq);
    return cg;
}

int cgroup_remove(struct cgroup *cg)
{
    bool irq = irq_save();
    int error = 0;
    if (cg == &cgroup_root || cg->removed)
        error = cg == &cgroup_root ? -EBUSY : -ENOENT;
    else if (cg->nr_populated || !list_empty(&cg->children))
        error = -EBUSY;
    else {
        cg->removed = true;
        list_remove(&cg->sibling);
    }
    irq_restore(irq);
    if (!error)
        cgroup_put(cg); /* the tree's reference */
    return error;
}

bool cgroup_controller_on(const struct cgroup *cg, u32 controller)
{
    return cg->parent && (cg->parent->subtree_control & controller);
}

void cgroup_show_controllers(struct textbuf *out, u32 mask)
{
    bool first = true;
    for (u32 i = 0; i < ARRAY_SIZE(controller_names); i++) {
        if (mask & (1u << i)) {
            textbuf_printf(out, "%s%s", first ? "" : " ", controller_names[i]);
            first = false;
        }
    }
    textbuf_printf(out, "\n");
}

/* A controller switched off for cg's children: their limits go (Linux hides them). */
static void reset_controller(struct cgroup *cg, u32 controller)
{
    struct cgroup *child;
    list_for_each_entry (child, &cg->children, sibling) {
        if (controller == CGROUP_PIDS)
            child->pids_max = CGROUP_NO_LIMIT;
        if (controller == CGROUP_MEMORY)
            child->memcg.max_pages = MEMCG_NO_LIMIT;
        if (controller == CGROUP_CPU) {
            child->cpu_quota_ns = CGROUP_NO_LIMIT;
            child->throttled = false;
        }
    }
}

int cgroup_set_subtree_control(struct cgroup *cg, const char *text)
{
    u32 enable = 0, disable = 0;
    u32 available = cg->parent ? cg->parent->subtree_control : CGROUP_ALL_CONTROLLERS;
    char word[16];
    while (*text) {
        while (*text == ' ' || *text == '\n')
            text++;
        if (!*text)
            break;
        size_t len = 0;
        while (text[len] && text[len] != ' ' && text[len] != '\n')
            len++;
        if (len >= sizeof word || (text[0] != '+' && text[0] != '-'))
            return -EINVAL;
        memcpy(word, text + 1, len - 1);
        word[len - 1] = '\0';
        u32 bit = 0;
        for (u32 i = 0; i < ARRAY_SIZE(controller_names); i++)
            if (strcmp(word, controller_names[i]) == 0)
                bit = 1u << i;
        if (!bit || !(available & bit))
            return -EINVAL; /* unknown, or the parent does not give it to us */
        if (text[0] == '+')
            enable |= bit, disable &= ~bit;
        else
            disable |= bit, enable &= ~bit;
        text += len;
    }
    /* "No internal processes": a group either holds tasks or hands out controllers. */
    if ((enable & ~cg->subtree_control) && cg != &cgroup_root && cg->nr_tasks)
        return -EBUSY;
    /* A child still using a controller keeps it on (Linux: EBUSY). */
    struct cgroup *child;
    list_for_each_entry (child, &cg->children, sibling)
        if (disable & child->subtree_control)
            return -EBUSY;
    bool irq = irq_save();
    for (u32 i = 0; i < ARRAY_SIZE(controller_names); i++)
        if ((disable & cg->subtree_control) & (1u << i))
            reset_controller(cg, 1u << i);
    cg->subtree_control = (cg->subtree_control | enable) & ~disable;
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node)
        if (p->cgroup && p->cgroup->parent == cg)
            cgroup_cpu_update_weight(p); /* cpu.weight counts only while cpu is on */
    irq_restore(irq);
    return 0;
}

/* --- membership ------------------------------------------------------------------- */

/* A live task joins / leaves cg: the populated counts up the tree. */
static void count_task(struct cgroup *cg, int delta)
{
    cg->nr_tasks += delta;
    for (struct cgroup *g = cg; g; g = g->parent)
        g->nr_populated += delta;
}

/* pids: the first group from cg up whose limit one more task would cross, or NULL. */
static struct cgroup *pids_full(struct cgroup *cg)
{
    for (struct cgroup *g = cg; g; g = g->parent)
        if (cgroup_controller_on(g, CGROUP_PIDS) && g->pids_current + 1 > g->pids_max)
            return g;
    return NULL;
}

static void pids_charge(struct cgroup *cg, i64 delta)
{
    for (struct cgroup *g = cg; g; g = g->parent)
        g->pids_current += (u64)delta;
}

int cgroup_fork(struct proc *child, struct proc *parent)
{
    bool irq = irq_save();
    struct cgroup *cg = parent->cgroup;
    struct cgroup *full = pids_full(cg);
    if (full) {
        full->pids_events_max++;
        irq_restore(irq);
        return -EAGAIN;
    }
    pids_charge(cg, 1);
    count_task(cg, 1);
    cg->refs++;
    child->cgroup = cg;
    irq_restore(irq);
    return 0;
}

void cgroup_exit(struct proc *p)
{
    bool irq = irq_save();
    if (p->cgroup) {
        pids_charge(p->cgroup, -1);
        count_task(p->cgroup, -1);
    }
    irq_restore(irq);
}

void cgroup_release(struct proc *p)
{
    struct cgroup *cg = p->cgroup;
    if (!cg)
        return;
    if (p->state != PROC_ZOMBIE)
        cgroup_exit(p); /* a fork that failed after cgroup_fork: it never ran */
    p->cgroup = NULL;
    cgroup_put(cg);
}

struct memcg *cgroup_memcg(const struct proc *p)
{
    return p->cgroup && p->cgroup != &cgroup_root ? &p->cgroup->memcg : NULL;
}

/* Move one live task (interrupts off). */
static void move_task(struct proc *t, struct cgroup *dst)
{
    struct cgroup *src = t->cgroup;
    pids_charge(src, -1); /* a move is never refused by pids.max, as on Linux */
    count_task(src, -1);
    pids_charge(dst, 1);
    count_task(dst, 1);
    dst->refs++;
    t->cgroup = dst;
    if (t->mm)
        t->mm->memcg = cgroup_memcg(t); /* new pages are the new group's; old ones stay charged */
    cgroup_cpu_update_weight(t);
    src->refs--; /* never the last: src is in the tree, or a live task was in it */
}

/* The nearest group that contains both a and b. */
static struct cgroup *common_ancestor(struct cgroup *a, struct cgroup *b)
{
    for (struct cgroup *g = a; g; g = g->parent)
        for (struct cgroup *h = b; h; h = h->parent)
            if (g == h)
                return g;
    return &cgroup_root;
}

/*
 * May the current process move p into dst?  As Linux's cgroup v2 (delegation):
 * it must be allowed to write the cgroup.procs of the common ancestor of
 * p's group and dst (a file's owner is its directory's), else EACCES; and
 * a process that is not root may only move processes of its own user, else
 * EPERM (as kill's rule).
 */
static int may_move(struct proc *p, struct cgroup *dst)
{
    if (capable(CAP_SYS_ADMIN))
        return 0;
    struct cgroup *ancestor = common_ancestor(p->cgroup, dst);
    if (!capable(CAP_DAC_OVERRIDE) && (!ancestor->dir || ancestor->dir->uid != current->cred.fsuid))
        return -EACCES;
    if (current->cred.euid != p->cred.uid && current->cred.euid != p->cred.suid)
        return -EPERM;
    return 0;
}

struct proc *cgroup_process_thread(struct proc *p)
{
    struct proc *t;
    list_for_each_entry (t, &p->group->threads, thread_node)
        if (t->state != PROC_ZOMBIE)
            return t;
    return NULL;
}

int cgroup_move_process(struct cgroup *dst, int pid)
{
    /* The PID as the writer's PID namespace numbers it (Linux's find_task_by_vpid). */
    struct proc *p = pid == 0 ? current : proc_find_vnr(pid);
    if (!p || p->pid == 0 || !(p = cgroup_process_thread(p)) || !p->cgroup)
        return -ESRCH;
    int error = may_move(p, dst);
    if (error)
        return error;
    if (dst->removed)
        return -ENOENT;
    if (dst != &cgroup_root && dst->subtree_control)
        return -EBUSY;
    bool irq = irq_save();
    struct proc *t;
    list_for_each_entry (t, &p->group->threads, thread_node)
        if (t->state != PROC_ZOMBIE && t->cgroup != dst)
            move_task(t, dst);
    irq_restore(irq);
    return 0;
}

void cgroup_show_proc(struct textbuf *out, struct proc *p)
{
    textbuf_printf(out, "0::%s\n", p->cgroup ? p->cgroup->path : "/");
}

void cgroup_kill(struct cgroup *cg)
{
    bool irq = irq_save();
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p->state == PROC_ZOMBIE || !p->cgroup || cgroup_process_thread(p) != p)
            continue;
        for (struct cgroup *g = p->cgroup; g; g = g->parent)
            if (g == cg)
                signal_send(p, SIGKILL, NULL);
    }
    irq_restore(irq);
}
