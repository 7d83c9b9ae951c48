/*
 * test_mmsim.c - the simulator itself (tests/mm-sim/sim.c) on the textbook
 * traces, with the FIFO baseline (mm/replace_fifo.c) and Belady's OPT.  Not
 * a lab check: it holds in the student edition too.
 */
#include "tests/mm-sim/sim.h"
#include "tests/unit/unit.h"

/* Belady's trace (the one in every textbook since 1969). */
static const char *belady = "1 2 3 4 1 2 5 1 2 3 4 5";

/* FIFO with more frames faults more on it: Belady's anomaly. */
static void fifo_shows_beladys_anomaly(void)
{
    CHECK_EQ(sim_faults(replace_fifo, 3, belady), 9);
    CHECK_EQ(sim_faults(replace_fifo, 4, belady), 10);
}

/* OPT is a stack algorithm: more frames never hurt. */
static void opt_has_no_anomaly(void)
{
    CHECK_EQ(sim_opt(3, belady), 7);
    CHECK_EQ(sim_opt(4, belady), 6);
    CHECK_EQ(sim_opt(5, belady), 5);
}

/* FIFO takes pages in the order they came in, whatever their bits. */
static void fifo_evicts_in_arrival_order(void)
{
    static struct mm_sim s;
    sim_init(&s, replace_fifo, 3);
    CHECK_EQ(sim_run(&s, "1 2 3 1 1 4 2 5 6"), 6);
    CHECK_STR(s.evicted, "1 2 3");
    CHECK_STR(sim_resident(&s), "4 5 6");
}

/* Hits and faults, the dirty bit and write-backs. */
static void counts_faults_and_write_backs(void)
{
    static struct mm_sim s;
    sim_init(&s, replace_fifo, 2);
    CHECK_EQ(sim_run(&s, "1w 2 1 3 4 1"), 5);
    CHECK_EQ(s.accesses, 6);
    CHECK_EQ(s.writebacks, 1); /* 1 was written, then evicted by 3 */
    CHECK_EQ(s.stalls, 0);
    CHECK_EQ(sim_run(&s, "1 x"), -1);
}

/* No policy beats OPT: the lower bound, on a loop one page too big. */
static void loop_larger_than_memory(void)
{
    const char *loop = "1 2 3 4 1 2 3 4 1 2 3 4 1 2 3 4";
    CHECK_EQ(sim_faults(replace_fifo, 3, loop), 16); /* FIFO: every access */
    CHECK_EQ(sim_opt(3, loop), 8);
}

static enum replace_verdict keep_all(struct replace_page *page) { return REPLACE_KEEP; }

/* A policy that keeps everything stalls; the simulator says so. */
static void keeping_everything_is_a_stall(void)
{
    static struct mm_sim s;
    sim_init(&s, keep_all, 2);
    sim_run(&s, "1 2 3");
    CHECK_EQ(s.stalls, 1);
}

/* FIFO and OPT on the replacement lab's longer traces (the handout quotes them). */
static void fifo_and_opt_on_the_lab_traces(void)
{
    static char hot[1024], stream[8192];
    hot[0] = stream[0] = 0;
    for (int p = 2; p <= 41; p++) /* page 1 between each of 2..41 */
        snprintf(hot + strlen(hot), sizeof(hot) - strlen(hot), "1 %d ", p);
    for (int i = 0; i < 400; i++) /* pages 1..4 in turn, a fresh page between */
        snprintf(stream + strlen(stream), sizeof(stream) - strlen(stream), "%d %dw ", 1 + i % 4,
                 100 + i);
    CHECK_EQ(sim_faults(replace_fifo, 4, hot), 50);
    CHECK_EQ(sim_opt(4, hot), 41);
    CHECK_EQ(sim_faults(replace_fifo, 16, stream), 500);
    CHECK_EQ(sim_opt(16, stream), 404);
}

static const struct unit_case cases[] = {
    UNIT(fifo_shows_beladys_anomaly),     UNIT(opt_has_no_anomaly),
    UNIT(fifo_evicts_in_arrival_order),   UNIT(counts_faults_and_write_backs),
    UNIT(loop_larger_than_memory),        UNIT(keeping_everything_is_a_stall),
    UNIT(fifo_and_opt_on_the_lab_traces),
};
UNIT_MAIN("mmsim", cases)
