/*
 * replace.h - the page-replacement policy: which resident page reclaim takes
 * (the replacement lab, docs/labs/replace.md).
 *
 * Reclaim (mm/reclaim.c) runs a clock: a hand that moves round the resident
 * pages of every address space, in a fixed circular order.  When memory runs
 * short, the hand moves on one page at a time and asks the policy about each
 * page it reaches:
 *
 *      ... [page] [page] [page] [page] ...
 *                   ^ hand: replace_choose(&page) -> KEEP: move on
 *                                                 -> EVICT: swap it out
 *
 * The policy sees the two bits the MMU keeps in the page-table entry and may
 * clear `referenced` (the caller writes that back and flushes the TLB).  It
 * must not sleep, allocate or keep pointers: it is a pure decision, which is
 * what lets the host simulator (tests/mm-sim/) compile the same file.
 *
 * The caller clears the referenced bit of a page it takes, too, so a use of
 * the page between the choice and the disk write is noticed (and the page
 * kept).  It bounds the search (two turns of the hand), so a policy that
 * keeps everything frees nothing: the fault then ends in the OOM killer.
 */
#ifndef MM_REPLACE_H
#define MM_REPLACE_H

#include "kernel/types.h"

/* What the hand sees of the page it has reached. */
struct replace_page {
    bool referenced; /* PTE_ACCESSED: used since this bit was last cleared */
    bool dirty;      /* PTE_DIRTY: written since it was last read in (its swap copy is stale) */
};

enum replace_verdict {
    REPLACE_KEEP,  /* pass it by: the hand moves on to the next page */
    REPLACE_EVICT, /* take it: it is swapped out and its frame freed */
};

/* The policies: the lab's (mm/replace_clock.c: the clock, second chance) and
 * the baseline it is measured against (mm/replace_fifo.c: take every page). */
enum replace_verdict replace_clock(struct replace_page *page);
enum replace_verdict replace_fifo(struct replace_page *page);

#ifndef HOST_TEST
struct textbuf;
/* The active policy's decision (reclaim calls this for every page the hand reaches). */
enum replace_verdict replace_choose(struct replace_page *page);
/* /proc/replace: the active policy's name; writing "clock" or "fifo" selects it. */
void replace_show(struct textbuf *out);
int replace_store(const char *text);
#endif

#endif
