/*
 * test_user_bench.c - bench's arithmetic and table (user/bench.c).
 *
 * Timings are never asserted (they belong to `make bench`); these cases check
 * the median, the scaling of counts, option parsing and the row layout, and
 * that a tiny round of each portable benchmark returns a positive number.
 */
#include "user/bench.c"
#include "tests/unit/unit.h"

/* Compares doubles as integers in thousandths, so a failure prints readable numbers. */
#define CHECK_NEAR(actual, expected)                                                               \
    CHECK_EQ((long long)((actual)*1000), (long long)((expected)*1000))

static void median_of_odd_and_even_counts(void)
{
    const struct {
        double values[5];
        int n;
        double want;
    } table[] = {
        {{7}, 1, 7},
        {{3, 1, 2}, 3, 2},
        {{5, 4, 3, 2, 1}, 5, 3},
        {{1, 100, 2, 3, 4}, 5, 3}, /* one disturbed round does not move it */
        {{4, 1, 3, 2}, 4, 2.5},    /* even: the mean of the middle two */
        {{2, 2, 2, 9, 2}, 5, 2},
        {{0}, 0, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        double copy[5];
        memcpy(copy, table[i].values, sizeof copy);
        CHECK_NEAR(median(copy, table[i].n), table[i].want);
    }
}

static void median_sorts_in_place(void)
{
    double v[5] = {9, 7, 5, 3, 1};
    median(v, 5);
    for (int i = 1; i < 5; i++)
        CHECK(v[i - 1] <= v[i]);
}

static void counts_scale_but_never_reach_zero(void)
{
    CHECK_EQ(scaled(1000, 1), 1000);
    CHECK_EQ(scaled(1000, 2.5), 2500);
    CHECK_EQ(scaled(1000, 0.01), 10);
    CHECK_EQ(scaled(5, 0.01), 1);
}

static void options(void)
{
    struct options o;
    char *none[] = {"bench", NULL};
    char *quick[] = {"bench", "-q", NULL};
    char *both[] = {"bench", "-n", "0.5", "-q", NULL};
    char *missing[] = {"bench", "-n", NULL};
    char *bad[] = {"bench", "-n", "abc", NULL};
    char *negative[] = {"bench", "-n", "-2", NULL};
    char *unknown[] = {"bench", "--fast", NULL};
    char *named[] = {"bench", "-q", "page_fault", "getpid", NULL};
    char *misnamed[] = {"bench", "getpidd", NULL};
    CHECK(parse_options(1, none, &o) == NULL);
    CHECK(!o.quick);
    CHECK_NEAR(o.scale, 1);
    CHECK(parse_options(2, quick, &o) == NULL);
    CHECK(o.quick);
    CHECK(parse_options(4, both, &o) == NULL);
    CHECK(o.quick);
    CHECK_NEAR(o.scale, 0.5);
    CHECK_STR(parse_options(2, missing, &o), "-n needs a number");
    CHECK_STR(parse_options(3, bad, &o), "-n needs a positive number");
    CHECK_STR(parse_options(3, negative, &o), "-n needs a positive number");
    CHECK_STR(parse_options(2, unknown, &o), "unknown argument");
    CHECK(parse_options(1, none, &o) == NULL);
    CHECK_EQ(o.only, 0); /* no names: every benchmark */
    CHECK(parse_options(4, named, &o) == NULL);
    CHECK(o.quick);
    CHECK_EQ(o.only, (1ul << 0) | (1ul << 4)); /* getpid is row 0, page_fault row 4 */
    CHECK_STR(parse_options(2, misnamed, &o), "no such benchmark");
}

static void rows_line_up(void)
{
    char row[128];
    format_row(row, sizeof row, "getpid", 200000, 52.3456, "ns");
    CHECK_STR(row, "getpid               200000       52.346  ns\n");
    format_row(row, sizeof row, "pipe_throughput", 1024, 1823.25, "MB/s");
    CHECK_STR(row, "pipe_throughput        1024       1823.2  MB/s\n");
    format_row(row, sizeof row, "fork_exec_wait", 5, -1, "us");
    CHECK_STR(row, "fork_exec_wait            5       failed  us\n");
    char header[128];
    snprintf(header, sizeof header, ROW_FORMAT, "benchmark", "iterations", "median", "unit");
    CHECK_EQ(strstr(header, "unit") - header, strstr(row, "us") - row); /* columns line up */
}

static void benchmark_table_is_sane(void)
{
    for (size_t i = 0; i < sizeof benchmarks / sizeof benchmarks[0]; i++) {
        CHECK(benchmarks[i].name && strchr(benchmarks[i].name, ' ') == NULL);
        CHECK(benchmarks[i].quick_iterations > 0);
        CHECK(benchmarks[i].quick_iterations < benchmarks[i].iterations);
        CHECK(benchmarks[i].round != NULL);
    }
}

static void small_rounds_measure_something(void)
{
    CHECK(bench_getpid(10) > 0);
    CHECK(bench_page_fault(4) > 0);
    CHECK(bench_file_fault(4) > 0);
    CHECK(bench_file_fault(8) > 0); /* a bigger file than the first call made */
    CHECK(bench_pipe_switch(10) > 0);
    CHECK(bench_fork_exit_wait(2) > 0);
    CHECK(bench_pipe_throughput(2) > 0);
    CHECK(bench_thread_create_join(2) > 0);
    CHECK(bench_futex_pingpong(10) > 0);
    CHECK(bench_tcp_throughput(2) > 0);
    CHECK(bench_unix_throughput(2) > 0);
}

static const struct unit_case cases[] = {
    UNIT(median_of_odd_and_even_counts),
    UNIT(median_sorts_in_place),
    UNIT(counts_scale_but_never_reach_zero),
    UNIT(options),
    UNIT(rows_line_up),
    UNIT(benchmark_table_is_sane),
    UNIT(small_rounds_measure_something),
};
UNIT_MAIN("user.bench", cases)
