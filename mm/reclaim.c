/*
 * reclaim.c - page reclaim: choosing pages to swap out, swapping them out,
 * and reading them back on a fault (see swap.h; the slots and the swap cache
 * are in swap.c).
 *
 * Which page goes?  The one not used for the longest time would be best
 * (LRU), but nothing tells the kernel when a page is used: the MMU only sets
 * the ACCESSED bit of the entry it used.  Like Linux 2.4's swap_out(), sprout
 * runs a clock over the page tables of every address space:
 *
 *      all_mms:  [mm A] --> [mm B] --> [mm C] --> (back to A)
 *                            ^ hand (mm B, address 0x7f..)
 *
 *   the hand moves over the present entries of private regions and asks
 *   the replacement policy (mm/replace.h) about each; the clock's answer
 *   (mm/replace_clock.c, the default; /proc/replace) is:
 *     ACCESSED set   -> clear it and move on: a second chance, the page was
 *                       used since the hand last passed;
 *     ACCESSED clear -> not used for a whole turn of the clock: swap it out.
 *
 * A page used all the time is always found with its bit set again and stays;
 * a page left alone loses its bit on one pass and goes on the next.  That is
 * the "clock" (second-chance) approximation of LRU; it needs no list of
 * pages, and its cost is proportional to what it scans.  Linux today keeps
 * active and inactive lists of pages instead, which needs a reverse map from
 * a frame to the entries that map it; sprout has none, so it walks from the
 * entries, as 2.4 did.
 *
 * Who runs it, with three watermarks of free frames (min < low < high):
 *
 *   free < low   a user page fault wakes kswapd0, a kernel thread that
 *                reclaims in the background until free >= high;
 *   free < min   the faulting process reclaims itself first (direct
 *                reclaim): kswapd did not keep up;
 *   no frame     the fault reclaims once more, and only if that frees
 *                nothing the OOM killer picks a victim (mm/fault.c).
 *
 * Before the clock runs, the page cache gives back the pages of files that
 * no process maps (kernel/fs/pagecache.c): they are clean and cost only a
 * disk read to get back.  File regions (mmap of a file, a program's
 * segments) are not swapped: their pages are the cache's; kswapd writes
 * back what MAP_SHARED changed in them when it wakes.
 *
 * Locked (mlock) and file regions are skipped, as are PROT_NONE pages;
 * MAP_SHARED anonymous memory is swapped (swap.c says how).  Reclaimers
 * take reclaim_lock one at a time: the disk write sleeps, and two clocks
 * would fight over the same hand.
 */
#include "kernel/lock/mutex.h"
#include "kernel/errno.h"
#include "kernel/fs/pagecache.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/filemap.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/memcg.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "mm/vmstat.h"
#include "proc/proc.h" /* only to start the kswapd0 thread */
#include "sched/sched.h"
#include "sched/wait.h"

#define SCAN_BATCH 32 /* candidates collected per step of the hand */

struct vm_events vm_events;

static struct mutex reclaim_lock = MUTEX_INIT(reclaim_lock, "reclaim");
static struct mm *hand_mm; /* where the clock points: NULL = the start of all_mms */
static u64 hand_va;

static struct wait_queue kswapd_wait = WAIT_QUEUE_INIT(kswapd_wait);
static bool kswapd_started, kswapd_kicked; /* kicked: there is work; interrupts off */
static bool kswapd_stopped;                /* /proc/kswapd "off": direct reclaim only */

u64 reclaim_low_watermark(void) { return frames_total() / 32 + 64; }
u64 reclaim_min_watermark(void) { return reclaim_low_watermark() / 2; }
u64 reclaim_high_watermark(void) { return reclaim_low_watermark() * 3 / 2; }

/* /proc/swap_read_errors: reads of swap-ins for inject_mm that fail. */
static struct mm *inject_mm; /* compared, never followed; cleared when it is freed */
static u64 inject_reads;

void swap_inject_read_errors(struct mm *mm, u64 count)
{
    inject_mm = count ? mm : NULL;
    inject_reads = count;
}
u64 swap_read_errors_pending(void) { return inject_reads; }

void reclaim_forget_mm(struct mm *mm)
{
    if (inject_mm == mm)
        swap_inject_read_errors(NULL, 0);
    if (hand_mm != mm)
        return;
    struct list_node *next = mm->all_node.next;
    hand_mm = next == &all_mms.head ? NULL : list_entry(next, struct mm, all_node);
    hand_va = 0;
}

struct scan {
    struct mm *mm;
    u64 found[SCAN_BATCH];
    int count;
    u64 resume;   /* the first entry not looked at once the batch was full */
    u64 scanned;  /* present entries looked at */
    bool cleared; /* an accessed bit was cleared: the TLBs need a flush */
};

static void scan_one(u64 va, pte_t *entry, void *arg)
{
    struct scan *s = arg;
    if (!(*entry & PTE_PRESENT))
        return; /* PROT_NONE */
    if (s->count == SCAN_BATCH) {
        if (!s->resume)
            s->resume = va;
        return;
    }
    s->scanned++;
    /* The policy decides (mm/replace.h); a page it takes loses its bit too,
     * so a use before swap_out_page() gets to it is noticed. */
    struct replace_page page = {.referenced = *entry & PTE_ACCESSED, .dirty = *entry & PTE_DIRTY};
    enum replace_verdict verdict = replace_choose(&page);
    if ((*entry & PTE_ACCESSED) && (!page.referenced || verdict == REPLACE_EVICT)) {
        *entry &= ~PTE_ACCESSED;
        s->cleared = true; /* flushed once, after the walk (scan_from) */
    }
    if (verdict == REPLACE_EVICT)
        s->found[s->count++] = va;
}

static bool reclaimable(const struct vma *vma)
{
    /* A file region's pages are page-cache pages or private copies of them:
     * not swapped (a clean cache page can be read again from its file).
     * Shared anonymous memory is: see swap.c on dirty swap-cache entries. */
    return !vma->locked && vma->prot != 0 && !vma->file;
}

/* Look at s->mm's pages from `from` on, collecting up to SCAN_BATCH; s->resume
 * says where to go on (0: the address space is done). */
static void scan_from(struct scan *s, u64 from)
{
    struct vma *vma;
    list_for_each_entry (vma, &s->mm->vmas, node) {
        if (vma->end <= from || !reclaimable(vma))
            continue;
        pagetable_walk(s->mm->pml4, MAX(vma->start, from), vma->end, scan_one, s);
        if (s->resume)
            break;
    }
    /* One flush for the whole walk, not one per page: each is an IPI to
     * every CPU running this address space, and thousands of them under the
     * big kernel lock kept the other CPU out for 20 s on a busy host. */
    if (s->cleared)
        pagetable_flush_all(s->mm->pml4);
}

/* Move the hand over `mm` from hand_va, collecting up to SCAN_BATCH pages. */
static void scan_mm(struct scan *s)
{
    scan_from(s, hand_va);
    if (s->resume) {
        hand_va = s->resume;
    } else { /* this address space is done: on to the next */
        struct list_node *next = s->mm->all_node.next;
        hand_mm = next == &all_mms.head ? NULL : list_entry(next, struct mm, all_node);
        hand_va = 0;
    }
}

/* Is `va` in a MAP_SHARED anonymous region of `mm`? */
static bool shared_anonymous(struct mm *mm, u64 va)
{
    struct vma *vma = vm_find(mm, va);
    return vma && vma->shared && !vma->file;
}

/*
 * The last mapping of a dirty (shared, written) cached frame went to swap:
 * nobody can write it now, so write it out again and drop it.  Returns 1 if
 * its frame was freed.  Sleeps for the disk write.
 */
static u64 write_back_dirty(swap_entry_t swap, phys_addr_t frame)
{
    swap_cache_busy(swap);
    int error = swap_write_page(swap, frame);
    swap_cache_unbusy(swap);
    if (error)
        return 0; /* kept, dirty, until its swap PTEs are gone */
    vm_events.pswpout++;
    if (frame_refcount(frame) == 1)
        swap_cache_set_dirty(swap, false); /* else mapped again while we wrote */
    swap_cache_trim(swap);
    return swap_cache_lookup(swap, NULL) ? 0 : 1;
}

/*
 * Swap out the page at `va` of `mm` (pinned by the caller).  Returns 1 if
 * its frame was freed.  Sleeps for the disk write.
 */
static u64 swap_out_page(struct mm *mm, u64 va)
{
    pte_t *entry = pagetable_lookup(mm->pml4, va);
    if (!entry || !(*entry & PTE_PRESENT) || (*entry & PTE_ACCESSED))
        return 0;
    bool shared = shared_anonymous(mm, va);
    phys_addr_t frame = PTE_ADDRESS(*entry);
    swap_entry_t swap;
    bool busy = false;
    if (swap_cache_entry_of(frame, &swap)) {
        swap_cache_lookup(swap, &busy); /* written already (a page shared by fork) */
        if (busy)
            return 0;
    } else {
        u8 owner = frame_owner_of(frame); /* its group pays for the slot too */
        if (owner && !memcg_swap_charge(owner))
            return 0; /* memory.swap.max: it stays in memory */
        if (!swap_slot_alloc(&swap)) {
            if (owner)
                memcg_swap_uncharge(owner);
            return 0;
        }
        swap_slot_set_memcg(swap, owner);
        frame_get(frame);
        swap_cache_add(swap, frame); /* the cache's frame and slot references */
        if (shared && frame_refcount(frame) > 2)
            swap_cache_set_dirty(swap, true); /* others map it writable meanwhile */
        /* Read-only while it is written, so the copy on disk stays right: a
         * write now copies the page (swap_write_fault) and leaves this frame alone. */
        *entry = (*entry & ~PTE_WRITE) | PTE_COW | PTE_SWAP_COW;
        pagetable_flush(mm->pml4, va);
        int error = swap_write_page(swap, frame);
        swap_cache_unbusy(swap);
        if (error) {
            swap_cache_trim(swap); /* no swap PTE names it: the slot is freed */
            return 0;
        }
        vm_events.pswpout++;
        entry = pagetable_lookup(mm->pml4, va); /* the tables live as long as mm */
        if (!entry || !(*entry & PTE_PRESENT) || PTE_ADDRESS(*entry) != frame) {
            swap_cache_trim(swap); /* copied or unmapped while we slept */
            return 0;
        }
    }
    *entry = swap_pte(swap);
    pagetable_flush(mm->pml4, va);
    swap_slot_get(swap); /* the swap PTE's reference */
    mm->rss--;
    mm->swap_pages++;
    bool last = frame_refcount(frame) == 2; /* this entry's reference and the cache's */
    if (last && swap_cache_dirty(swap)) {
        frame_put(frame); /* the cache's alone now */
        return write_back_dirty(swap, frame);
    }
    swap_frame_put(frame); /* frees it with the cache entry if last */
    return last ? 1 : 0;
}

static u64 resident_pages(void)
{
    u64 rss = 0;
    struct mm *mm;
    list_for_each_entry (mm, &all_mms, all_node)
        rss += mm->rss;
    return rss;
}

static u64 reclaim(u64 target, bool by_kswapd)
{
    /* Clean page-cache pages nobody maps cost only a disk read to get back:
     * they go first, before any anonymous page is written to swap. */
    u64 dropped = pagecache_shrink(target);
    vm_events.pgsteal += dropped;
    if (dropped >= target || swap_free_pages() == 0)
        return dropped;
    target -= dropped;
    mutex_lock(&reclaim_lock);
    /* Two turns of the clock at most: one clears the bits, one swaps. */
    u64 limit = 2 * resident_pages() + 2 * SCAN_BATCH, scanned = 0, freed = 0;
    while (freed < target && scanned < limit && swap_free_pages() > 0) {
        if (!hand_mm) {
            if (list_empty(&all_mms))
                break;
            hand_mm = list_entry(all_mms.head.next, struct mm, all_node);
            hand_va = 0;
        }
        struct scan s = {.mm = hand_mm};
        scan_mm(&s);
        scanned += s.scanned + 1; /* + 1: an empty address space is a step too */
        vm_events.pgscan += s.scanned;
        if (by_kswapd)
            vm_events.pgscan_kswapd += s.scanned;
        if (s.count == 0)
            continue;
        mm_get(s.mm); /* it may exit while we sleep on the disk */
        for (int i = 0; i < s.count; i++)
            freed += swap_out_page(s.mm, s.found[i]);
        mm_put(s.mm);
    }
    vm_events.pgsteal += freed;
    if (by_kswapd)
        vm_events.pgsteal_kswapd += freed;
    mutex_unlock(&reclaim_lock);
    return dropped + freed;
}

u64 reclaim_pages(u64 target) { return reclaim(target, false); }

/* One pass of the clock over `mm` (pinned), swapping out until `target`. */
static u64 reclaim_mm(struct mm *mm, u64 target)
{
    u64 freed = 0, from = 0;
    while (freed < target && swap_free_pages() > 0) {
        struct scan s = {.mm = mm};
        scan_from(&s, from);
        vm_events.pgscan += s.scanned;
        for (int i = 0; i < s.count && freed < target; i++)
            freed += swap_out_page(mm, s.found[i]);
        if (!s.resume || sched_preempt_point() < 0)
            break;
        from = s.resume;
    }
    return freed;
}

/*
 * A group at its memory.max: Linux reclaims from the group's own LRU lists;
 * sprout runs the clock over the address spaces charged to the group (two
 * passes at most: the first may only clear ACCESSED bits).  Each address
 * space restarts at its lowest address, so the group has no hand of its own.
 */
u64 reclaim_memcg(struct memcg *group, u64 target)
{
    u64 freed = 0;
    if (swap_free_pages() == 0)
        return 0;
    mutex_lock(&reclaim_lock);
    for (int pass = 0; pass < 2 && freed < target; pass++) {
        struct mm *mm =
            list_empty(&all_mms) ? NULL : list_entry(all_mms.head.next, struct mm, all_node);
        if (mm)
            mm_get(mm);
        while (mm) {
            if (freed < target && memcg_within(mm->memcg, group))
                freed += reclaim_mm(mm, target - freed);
            struct list_node *next = mm->all_node.next; /* still listed: we hold it */
            struct mm *following =
                next == &all_mms.head ? NULL : list_entry(next, struct mm, all_node);
            if (following)
                mm_get(following);
            mm_put(mm);
            mm = following;
        }
    }
    vm_events.pgsteal += freed;
    mutex_unlock(&reclaim_lock);
    return freed;
}

u64 reclaim_range(struct mm *mm, u64 start, u64 end)
{
    u64 freed = 0;
    mutex_lock(&reclaim_lock);
    /* Regions may change while the disk writes sleep: look each page up again. */
    for (u64 va = start; va < end && swap_free_pages() > 0;) {
        struct vma *vma = vm_find(mm, va);
        if (!vma || vma->start >= end)
            break;
        if (va < vma->start)
            va = vma->start;
        if (!reclaimable(vma)) {
            va = vma->end;
            continue;
        }
        pte_t *entry = pagetable_lookup(mm->pml4, va);
        if (entry && (*entry & PTE_PRESENT)) {
            *entry &= ~PTE_ACCESSED; /* asked for: no second chance */
            pagetable_flush(mm->pml4, va);
            freed += swap_out_page(mm, va);
            if (sched_preempt_point() < 0)
                break;
        }
        va += PAGE_SIZE;
    }
    vm_events.pgsteal += freed;
    mutex_unlock(&reclaim_lock);
    return freed;
}

/* kswapd0: woken below the low watermark, reclaims up to the high one. */
static NORETURN void kswapd_main(void)
{
    sti();
    for (;;) {
        cli();
        while (!kswapd_kicked)
            sleep_on_uninterruptible(&kswapd_wait, "kswapd");
        kswapd_kicked = false;
        sti();
        filemap_writeback_all(); /* MAP_SHARED pages clean: what they wrote goes to the disk */
        while (!kswapd_stopped && frames_free() < reclaim_high_watermark() &&
               reclaim(SWAP_CLUSTER_MAX, true) > 0)
            sched_preempt_point(); /* let the processes we work for run */
    }
}

/*
 * /proc/kswapd: "off" leaves reclaim to the faulting processes alone (direct
 * reclaim, below the min watermark).  Then the clock's hand moves only when a
 * process allocates, between that process's own accesses, so a workload's
 * faults no longer depend on how a background thread's runs interleave with
 * it: tests/labs/replace/t_replace.c measures the replacement policy so.
 * Returns once a batch kswapd0 had started is done.
 */
void reclaim_set_kswapd(bool on)
{
    kswapd_stopped = !on;
    if (!on) { /* kswapd holds the mutex for a batch: wait for it to end */
        mutex_lock(&reclaim_lock);
        mutex_unlock(&reclaim_lock);
    }
}

bool reclaim_kswapd_on(void) { return !kswapd_stopped; }

void reclaim_wake_kswapd(void)
{
    if (swap_free_pages() == 0 || kswapd_stopped)
        return;
    bool irq = irq_save();
    kswapd_kicked = true;
    wake_up(&kswapd_wait);
    irq_restore(irq);
    if (!kswapd_started) {     /* the first time memory runs low with swap on */
        kswapd_started = true; /* before: creating it may sleep, and others call here */
        kswapd_started = proc_start_kernel_thread("kswapd0", kswapd_main) != NULL;
    }
}

int swap_in_page(struct mm *mm, u64 page, pte_t pte, u32 prot)
{
    swap_entry_t swap = pte_swap_entry(pte);
    bool busy;
    int result = 0;
    phys_addr_t frame = swap_cache_lookup(swap, &busy);
    if (frame && busy) {
        swap_cache_wait(swap); /* another process is reading or writing it */
        return 0;
    }
    if (!frame) {
        /* Charged to our group again (the disk fills every byte); at its
         * memory.max this is -ENOMEM with mm->memcg_over set, and the fault
         * reclaims from the group and retries. */
        frame = memcg_user_frame_alloc(mm, false);
        if (!frame)
            return -ENOMEM;
        swap_slot_get(swap);
        swap_cache_add(swap, frame); /* others sharing the slot find it now */
        int error;
        if (inject_reads && inject_mm == mm) { /* a test's broken disk */
            error = -EIO;
            if (--inject_reads == 0)
                inject_mm = NULL;
        } else {
            error = swap_read_page(swap, frame);
        }
        swap_cache_unbusy(swap);
        if (error) {
            swap_cache_trim(swap); /* nobody maps the frame: dropped */
            return -EIO;
        }
        vm_events.pswpin++;
        result = 1;
    }
    pte_t *entry = pagetable_lookup(mm->pml4, page);
    if (!entry || *entry != pte) { /* unmapped, or brought in, while we slept */
        swap_cache_trim(swap);
        return result;
    }
    /* Mapped read-only first: while the cache holds the frame, a write copies. */
    /* ACCESSED: it is being used right now, so the clock's next pass must
     * not take it straight back out. */
    u64 flags = pte_flags_supported(vm_pte_flags(prot)) | PTE_ACCESSED;
    u64 present = prot ? PTE_PRESENT : 0;
    bool shared = shared_anonymous(mm, page);
    frame_get(frame);
    *entry = frame | (flags & ~PTE_WRITE) | PTE_COW | PTE_SWAP_COW | present;
    if (shared) /* the sharers' one page: writable, and the cache's copy dirty */
        *entry = frame | flags | present;
    mm->rss++;
    mm->swap_pages--;
    swap_slot_put(swap); /* the swap PTE's reference: may drop the cache entry */
    swap_entry_t still;
    bool cached = swap_cache_entry_of(frame, &still);
    if (shared && cached) /* even read-only now: mprotect may let it be written */
        swap_cache_set_dirty(swap, true);
    else if (!shared && frame_refcount(frame) == 1 && !cached)
        *entry = frame | flags | present; /* ours alone: writable at once */
    pagetable_flush(mm->pml4, page);
    return result;
}

int swap_write_fault(struct mm *mm, u64 page, pte_t *entry, u32 prot)
{
    phys_addr_t old = PTE_ADDRESS(*entry);
    swap_entry_t swap;
    bool busy = false;
    if (shared_anonymous(mm, page)) {
        /* Shared memory is never copied: write the one page, once it is on
         * disk, and remember the disk copy is old now. */
        bool cached = swap_cache_entry_of(old, &swap);
        if (cached && (swap_cache_lookup(swap, &busy), busy)) {
            swap_cache_wait(swap);
            return 0; /* the access is retried */
        }
        if (cached)
            swap_cache_set_dirty(swap, true);
        *entry = old | pte_flags_supported(vm_pte_flags(prot)) | PTE_PRESENT;
        pagetable_flush(mm->pml4, page);
        return 0;
    }
    if (swap_cache_entry_of(old, &swap)) {
        swap_cache_lookup(swap, &busy);
        if (!busy && frame_refcount(old) == 2)
            swap_cache_drop(swap); /* the cache was its only other user: ours now */
    }
    u64 flags = pte_flags_supported(vm_pte_flags(prot)) | PTE_PRESENT; /* the marks cleared */
    if (frame_refcount(old) == 1) {
        *entry = old | flags;
        pagetable_flush(mm->pml4, page);
        return 0;
    }
    phys_addr_t copy = memcg_user_frame_alloc(mm, false); /* every byte is copied over */
    if (!copy)
        return -ENOMEM;
    memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
    *entry = copy | flags;
    pagetable_flush(mm->pml4, page);
    swap_frame_put(old); /* may free it with its cache entry */
    return 0;
}

struct unuse {
    int area;
    u64 found[SCAN_BATCH];
    int count;
    u64 resume;
};

static void unuse_one(u64 va, pte_t *entry, void *arg)
{
    struct unuse *u = arg;
    if (!pte_is_swap(*entry) || SWAP_AREA(pte_swap_entry(*entry)) != u->area)
        return;
    if (u->count == SCAN_BATCH) {
        if (!u->resume)
            u->resume = va;
        return;
    }
    u->found[u->count++] = va;
}

/* Bring back the pages of `area` that `mm` (pinned) has swapped out. */
static int unuse_mm(struct mm *mm, int area)
{
    u64 from = 0;
    for (;;) {
        struct unuse u = {.area = area};
        struct vma *vma;
        list_for_each_entry (vma, &mm->vmas, node) {
            if (vma->end > from)
                pagetable_walk_all(mm->pml4, MAX(vma->start, from), vma->end, unuse_one, &u);
            if (u.resume)
                break;
        }
        for (int i = 0; i < u.count; i++) {
            if (frames_free() <= reclaim_low_watermark())
                return -ENOMEM;
            if (sched_preempt_point() < 0)
                return -EINTR;
            pte_t *entry = pagetable_lookup(mm->pml4, u.found[i]);
            struct vma *where = vm_find(mm, u.found[i]);
            if (!entry || !pte_is_swap(*entry) || !where)
                continue;
            int error = swap_in_page(mm, u.found[i], *entry, where->prot);
            if (error < 0)
                return error;
        }
        if (!u.resume)
            return 0;
        from = u.resume;
    }
}

int swap_unuse_area(int area)
{
    int error = 0;
    swap_area_set_draining(area, true);
    for (int pass = 0; pass < 4 && !error && swap_area_used(area) > 0; pass++) {
        struct list_node *node = all_mms.head.next;
        while (node != &all_mms.head && !error) {
            struct mm *mm = list_entry(node, struct mm, all_node);
            mm_get(mm);
            error = unuse_mm(mm, area);
            node = node->next; /* read while mm is pinned: still on the list */
            mm_put(mm);
        }
    }
    if (!error && swap_area_used(area) > 0)
        error = -EBUSY; /* a page still in flight */
    if (error)
        swap_area_set_draining(area, false);
    return error;
}
