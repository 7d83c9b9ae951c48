/*
 * sim.h - a page-replacement simulator: a few frames in a circle, a clock
 * hand, and a policy from mm/ (the same file the kernel runs) deciding what
 * the hand takes.  It replays a trace of page accesses and counts the major
 * faults (a page not resident) and the write-backs (a dirty page evicted).
 *
 * The machine, as in the textbooks:
 *   - frames fill in order 0, 1, 2, ...; the hand starts at frame 0;
 *   - an access to a resident page sets its referenced bit (and dirty bit
 *     for a write); nothing else runs;
 *   - a fault with every frame full moves the hand: the policy is asked
 *     about the page at the hand (replace_choose in mm/replace.h); KEEP
 *     moves the hand on, EVICT frees that frame; the new page goes in it,
 *     referenced (and dirty for a write), and the hand moves past it;
 *   - if the policy keeps every page for two whole turns, that is a stall
 *     (the kernel would find nothing to reclaim): counted, and the page at
 *     the hand is taken anyway so the trace can go on.
 * With a policy that takes every page (mm/replace_fifo.c) the hand order is
 * the order pages came in: FIFO.  sim_opt() is Belady's optimal policy,
 * which needs the future and so is not a replace_choose: the lower bound.
 *
 * A trace is text: page numbers (0 to SIM_MAX_PAGES-1) separated by spaces,
 * "7w" for a write to page 7: "1 2 3w 1 4".
 */
#ifndef TESTS_MM_SIM_SIM_H
#define TESTS_MM_SIM_SIM_H

#include "mm/replace.h"

#define SIM_MAX_FRAMES 64
#define SIM_MAX_PAGES 4096
#define SIM_LOG 1024 /* bytes of the eviction log kept */

typedef enum replace_verdict (*sim_policy)(struct replace_page *page);

struct mm_sim {
    sim_policy choose;
    int frames;
    int page[SIM_MAX_FRAMES]; /* the page in each frame; -1: free */
    struct replace_page bits[SIM_MAX_FRAMES];
    int hand;
    long accesses, faults, writebacks, stalls;
    long evictions_of[SIM_MAX_PAGES];
    char evicted[SIM_LOG]; /* "1 3 2": the pages evicted, in order */
};

void sim_init(struct mm_sim *s, sim_policy choose, int frames);
/* One access; returns 1 if it faulted. */
int sim_access(struct mm_sim *s, int page, bool write);
/* Replay a trace; returns the faults it caused (-1: a malformed trace). */
long sim_run(struct mm_sim *s, const char *trace);
/* The faults of a fresh machine with `frames` frames replaying `trace`. */
long sim_faults(sim_policy choose, int frames, const char *trace);
/* Belady's optimal policy (evict the page used furthest in the future). */
long sim_opt(int frames, const char *trace);
/* The resident pages in frame order, "4 2 5" ("-" for a free frame). */
const char *sim_resident(const struct mm_sim *s);
/* The referenced bits in frame order, "100". */
const char *sim_referenced(const struct mm_sim *s);

#endif
