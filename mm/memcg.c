/*
 * memcg.c - charging user pages to memory cgroups (see memcg.h).
 *
 * The counters are plain numbers changed with interrupts off: a charge walks
 * from the group up to the root's child, checking each limit on the way, and
 * only then adds the page to all of them, so a refused charge changes
 * nothing but the "max" event.
 */
#include "mm/memcg.h"
#include "kernel/errno.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/swap.h"
#include "mm/vm.h"

static struct memcg *memcg_by_id[MEMCG_MAX]; /* [0] unused: "not charged" */

int memcg_register(struct memcg *m, struct memcg *parent)
{
    bool irq = irq_save();
    int id = 1;
    while (id < MEMCG_MAX && memcg_by_id[id])
        id++;
    if (id < MEMCG_MAX)
        memcg_by_id[id] = m;
    irq_restore(irq);
    if (id == MEMCG_MAX)
        return -ENOSPC;
    m->id = (u8)id;
    m->parent = parent;
    m->pages = 0;
    m->max_pages = MEMCG_NO_LIMIT;
    m->events_max = m->events_oom = m->events_oom_kill = 0;
    m->swap_pages = m->events_swap_max = 0;
    m->swap_max_pages = MEMCG_NO_LIMIT;
    return 0;
}

void memcg_unregister(struct memcg *m)
{
    /* The parent already counts these pages (charges are hierarchical); the
     * root does not count at all, so handing them to it uncharges them. */
    if (m->pages) /* 0: no frame carries its tag (its children are gone already) */
        frame_change_owner(m->id, m->parent ? m->parent->id : 0);
    if (m->swap_pages) /* its slots likewise */
        swap_change_owner(m->id, m->parent ? m->parent->id : 0);
    bool irq = irq_save();
    memcg_by_id[m->id] = NULL;
    irq_restore(irq);
}

bool memcg_within(const struct memcg *m, const struct memcg *ancestor)
{
    for (; m; m = m->parent)
        if (m == ancestor)
            return true;
    return false;
}

/* Charge one page to m and its ancestors; the group at its limit if one is. */
static struct memcg *try_charge(struct memcg *m)
{
    for (struct memcg *g = m; g; g = g->parent) {
        if (g->pages + 1 > g->max_pages) {
            g->events_max++;
            return g;
        }
    }
    for (struct memcg *g = m; g; g = g->parent)
        g->pages++;
    return NULL;
}

phys_addr_t memcg_user_frame_alloc(struct mm *mm, bool zero)
{
    struct memcg *m = mm->memcg;
    if (m) {
        bool irq = irq_save();
        struct memcg *full = try_charge(m);
        irq_restore(irq);
        if (full) {
            mm->memcg_over = full;
            return 0;
        }
    }
    /* /proc/allocinfo names our caller (vm_fault, cow_write_fault...), not us. */
    phys_addr_t frame = frame_alloc_for(zero, (u64)__builtin_return_address(0));
    if (m && !frame)
        memcg_frame_freed(m->id); /* give the charge back */
    else if (m)
        frame_set_owner(frame, m->id);
    return frame;
}

void memcg_frame_freed(u8 owner)
{
    bool irq = irq_save();
    for (struct memcg *g = memcg_by_id[owner]; g; g = g->parent)
        g->pages--;
    irq_restore(irq);
}

bool memcg_swap_charge(u8 owner)
{
    bool irq = irq_save();
    bool ok = true;
    for (struct memcg *g = memcg_by_id[owner]; g && ok; g = g->parent)
        if (g->swap_pages + 1 > g->swap_max_pages) {
            g->events_swap_max++;
            ok = false;
        }
    for (struct memcg *g = memcg_by_id[owner]; g && ok; g = g->parent)
        g->swap_pages++;
    irq_restore(irq);
    return ok;
}

void memcg_swap_uncharge(u8 owner)
{
    bool irq = irq_save();
    for (struct memcg *g = memcg_by_id[owner]; g; g = g->parent)
        g->swap_pages--;
    irq_restore(irq);
}
