/*
 * test_replace.c - the replacement lab's policy (mm/replace_clock.c) in the
 * simulator (docs/labs/replace.md: every check and its points).  The traces
 * are fixed and the machine deterministic, so each expected count is exact:
 * the clock's, worked out by hand in the comments.  Each case also prints
 * what FIFO and OPT do with the same trace, for comparison.
 */
#include "tests/mm-sim/sim.h"
#include "tests/unit/unit.h"

static struct mm_sim sim;

static void compare(const char *name, int frames, const char *trace)
{
    printf("  %-34s %2d frames: clock %3ld, FIFO %3ld, OPT %3ld faults\n", name, frames,
           sim_faults(replace_clock, frames, trace), sim_faults(replace_fifo, frames, trace),
           sim_opt(frames, trace));
}

/*
 * 3 frames, "1 2 3 4 2 5".  1 2 3 fill the frames, referenced.  4: the hand
 * clears 1, 2, 3 and comes back to 1: evicted.  2 is used again.  5: the
 * hand spares 2 (clearing its bit) and takes 3.  FIFO would take 2.
 */
static void second_chance_spares_a_used_page(void)
{
    const char *trace = "1 2 3 4 2 5";
    sim_init(&sim, replace_clock, 3);
    CHECK_EQ(sim_run(&sim, trace), 5);
    CHECK_STR(sim.evicted, "1 3");
    CHECK_STR(sim_resident(&sim), "4 2 5");
    CHECK_STR(sim_referenced(&sim), "101"); /* 2 lost its bit when spared */
    CHECK_EQ(sim.stalls, 0);
    compare("second_chance", 3, trace);
}

/*
 * Every page used: one turn clears every bit, and the hand takes the page
 * it started at.  3 frames, "1 2 3 4": 1 goes, and 2 and 3 are left with
 * their bits clear (the next fault takes 2 without another turn).
 */
static void all_used_clears_every_bit_then_takes_the_oldest(void)
{
    sim_init(&sim, replace_clock, 3);
    CHECK_EQ(sim_run(&sim, "1 2 3 4"), 4);
    CHECK_STR(sim.evicted, "1");
    CHECK_STR(sim_referenced(&sim), "100");
    CHECK_EQ(sim_run(&sim, "5"), 1);
    CHECK_STR(sim.evicted, "1 2");
    CHECK_STR(sim_resident(&sim), "4 5 3");
}

/*
 * A hot page: 4 frames, page 1 used between every two other pages (2..41,
 * each used once).  After the first turn (when every page is referenced and
 * 1 is the oldest) the clock never takes 1 again: it is always found
 * referenced.  FIFO takes it on every turn of the hand.
 */
static void hot_page_stays(void)
{
    static char trace[1024];
    trace[0] = 0;
    for (int p = 2; p <= 41; p++)
        snprintf(trace + strlen(trace), sizeof(trace) - strlen(trace), "1 %d ", p);
    sim_init(&sim, replace_clock, 4);
    CHECK_EQ(sim_run(&sim, trace), 42); /* 1 twice (once more after that turn), 2..41 once */
    CHECK_EQ(sim.evictions_of[1], 1);
    CHECK_EQ(sim.stalls, 0);
    compare("hot_page", 4, trace);
}

/*
 * A working set and a stream: 16 frames; pages 1..4 used in turn, and
 * between two of them a fresh page (100, 101, ... 499, written once, never
 * again).  Each hot page is used every 8 accesses, well within a turn of
 * the hand, so the clock keeps them, but for one eviction on the first turn
 * (when every page is referenced and the hand takes the oldest): 405 faults,
 * one more than OPT's 404 (4 + the 400 streamed pages, which fault whatever
 * the policy).  FIFO takes every hot page on every turn: 500.
 */
static void working_set_survives_a_stream(void)
{
    static char trace[8192];
    trace[0] = 0;
    for (int i = 0; i < 400; i++)
        snprintf(trace + strlen(trace), sizeof(trace) - strlen(trace), "%d %dw ", 1 + i % 4,
                 100 + i);
    sim_init(&sim, replace_clock, 16);
    CHECK_EQ(sim_run(&sim, trace), 405);
    CHECK_EQ(sim.writebacks, 388); /* 389 evictions: every streamed page but one hot */
    long hot_evictions = 0;
    for (int p = 1; p <= 4; p++)
        hot_evictions += sim.evictions_of[p];
    CHECK_EQ(hot_evictions, 1);
    CHECK_EQ(sim.stalls, 0);
    compare("working_set", 16, trace);
}

/*
 * The bit is cleared only when the hand passes: a page spared once and not
 * used again goes on the next turn.  2 frames, "1 2 3 1 4 5":
 *   3: clears 1 and 2, takes 1 -> [3 2]; 1: takes 2 (clear) -> [3 1];
 *   4: clears 3 and 1, takes 3 -> [4 1]; 5: 1 was spared and unused: taken.
 */
static void spared_page_goes_on_the_next_turn(void)
{
    sim_init(&sim, replace_clock, 2);
    CHECK_EQ(sim_run(&sim, "1 2 3"), 3);
    CHECK_STR(sim_referenced(&sim), "10"); /* 2 was passed: cleared */
    CHECK_EQ(sim_run(&sim, "1 4 5"), 3);
    CHECK_STR(sim.evicted, "1 2 3 1");
    CHECK_STR(sim_referenced(&sim), "11");
    CHECK_EQ(sim.stalls, 0);
}

static const struct unit_case cases[] = {
    UNIT(second_chance_spares_a_used_page),
    UNIT(all_used_clears_every_bit_then_takes_the_oldest),
    UNIT(hot_page_stays),
    UNIT(working_set_survives_a_stream),
    UNIT(spared_page_goes_on_the_next_turn),
};
UNIT_MAIN("replace.sim", cases)
