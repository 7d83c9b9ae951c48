/*
 * test_page_tree.c - the sparse page index of ramfs files (kernel/fs/page_tree.c):
 * lookups, growth by levels, EFBIG, truncation that frees exactly the pages
 * past the cut and every node left empty, and an allocation failure midway.
 * The kernel file is included whole, with kzalloc/kfree over the host's heap.
 */
#include <stdlib.h>
#include "tests/unit/unit.h"

static long live_nodes;      /* kzalloc'd and not freed */
static long fail_after = -1; /* kzalloc fails once this many more have succeeded */

void *kzalloc(size_t size);
void kfree(void *ptr);

void *kzalloc(size_t size)
{
    if (fail_after == 0)
        return NULL;
    if (fail_after > 0)
        fail_after--;
    live_nodes++;
    return calloc(1, size);
}

void kfree(void *ptr)
{
    if (ptr)
        live_nodes--;
    free(ptr);
}

#include "kernel/fs/page_tree.c"

/* Fake data pages: any non-zero value will do, derived from the index. */
static phys_addr_t page_for(u64 index) { return (index + 1) * 4096; }

static long dropped;
static u64 dropped_sum;
static void drop(phys_addr_t page, void *arg)
{
    dropped++;
    dropped_sum += page;
}

static void empty_tree_has_nothing(void)
{
    struct page_tree t = {0};
    CHECK_EQ(page_tree_lookup(&t, 0), 0);
    CHECK_EQ(page_tree_lookup(&t, 1ull << 40), 0);
    CHECK_EQ(page_tree_truncate(&t, 0, drop, NULL), 0);
    CHECK_EQ(live_nodes, 0);
}

static void one_page_needs_no_node(void)
{
    struct page_tree t = {0};
    CHECK_EQ(page_tree_insert(&t, 0, page_for(0)), 0);
    CHECK_EQ(t.height, 0);
    CHECK_EQ(live_nodes, 0);
    CHECK_EQ(page_tree_lookup(&t, 0), page_for(0));
    CHECK_EQ(page_tree_lookup(&t, 1), 0);
    CHECK_EQ(page_tree_insert(&t, 1, page_for(1)), 0); /* the second page: one node */
    CHECK_EQ(t.height, 1);
    CHECK_EQ(live_nodes, 1);
    CHECK_EQ(page_tree_lookup(&t, 0), page_for(0));
    CHECK_EQ(page_tree_lookup(&t, 1), page_for(1));
    dropped = 0;
    CHECK_EQ(page_tree_truncate(&t, 0, drop, NULL), 2);
    CHECK_EQ(dropped, 2);
    CHECK_EQ(live_nodes, 0);
    CHECK_EQ(t.root, 0);
}

/* One page at 1 TiB (index 2^28): one node per level, nothing for the gap. */
static void far_page_costs_one_node_per_level(void)
{
    struct page_tree t = {0};
    u64 far = 1ull << 28;
    CHECK_EQ(page_tree_insert(&t, far, page_for(far)), 0);
    CHECK_EQ(t.height, 5); /* 64^5 = 2^30 > 2^28 */
    CHECK_EQ(live_nodes, 5);
    CHECK_EQ(page_tree_lookup(&t, far), page_for(far));
    CHECK_EQ(page_tree_lookup(&t, far - 1), 0);
    CHECK_EQ(page_tree_lookup(&t, far + 1), 0);
    CHECK_EQ(page_tree_lookup(&t, 0), 0);
    CHECK_EQ(page_tree_insert(&t, 0, page_for(0)), 0); /* shares only the root */
    CHECK_EQ(live_nodes, 9);
    dropped = 0;
    CHECK_EQ(page_tree_truncate(&t, 1, drop, NULL), 1); /* the far page goes */
    CHECK_EQ(dropped, 1);
    CHECK_EQ(t.height, 0); /* and the tree shrinks back to a bare page */
    CHECK_EQ(live_nodes, 0);
    CHECK_EQ(page_tree_lookup(&t, 0), page_for(0));
    CHECK_EQ(page_tree_truncate(&t, 0, drop, NULL), 1);
}

static void past_the_top_is_efbig(void)
{
    struct page_tree t = {0};
    CHECK_EQ(page_tree_insert(&t, PAGE_TREE_MAX_PAGES, 4096), -EFBIG);
    CHECK_EQ(page_tree_insert(&t, ~0ull, 4096), -EFBIG);
    CHECK_EQ(live_nodes, 0);
    CHECK_EQ(page_tree_insert(&t, PAGE_TREE_MAX_PAGES - 1, 4096), 0);
    CHECK_EQ(t.height, PAGE_TREE_MAX_HEIGHT);
    CHECK_EQ(page_tree_lookup(&t, PAGE_TREE_MAX_PAGES - 1), 4096);
    CHECK_EQ(page_tree_lookup(&t, PAGE_TREE_MAX_PAGES), 0);
    CHECK_EQ(page_tree_truncate(&t, 0, drop, NULL), 1);
    CHECK_EQ(live_nodes, 0);
}

/* Out of memory half-way down: -ENOMEM, nothing inserted, nothing lost for good. */
static void out_of_memory_midway(void)
{
    struct page_tree t = {0};
    CHECK_EQ(page_tree_insert(&t, 5, page_for(5)), 0);
    fail_after = 1;
    CHECK_EQ(page_tree_insert(&t, 1ull << 20, page_for(1ull << 20)), -ENOMEM);
    fail_after = -1;
    CHECK_EQ(page_tree_lookup(&t, 1ull << 20), 0);
    CHECK_EQ(page_tree_lookup(&t, 5), page_for(5));
    CHECK_EQ(page_tree_insert(&t, 1ull << 20, page_for(1ull << 20)), 0); /* later it works */
    CHECK_EQ(page_tree_lookup(&t, 1ull << 20), page_for(1ull << 20));
    CHECK_EQ(page_tree_truncate(&t, 0, drop, NULL), 2);
    CHECK_EQ(live_nodes, 0);
}

/* Random pages, near and far, against a plain list; then random cuts. */
#define NRANDOM 3000
static void random_pages_match_a_reference(void)
{
    static u64 indexes[NRANDOM];
    struct page_tree t = {0};
    srand(7);
    int n = 0;
    while (n < NRANDOM) {
        u64 r = ((u64)rand() << 31) ^ (u64)rand();
        u64 index = n % 3 == 0 ? r % 5000 : n % 3 == 1 ? r % (1ull << 24) : r % PAGE_TREE_MAX_PAGES;
        if (page_tree_lookup(&t, index))
            continue; /* already there */
        CHECK_EQ(page_tree_insert(&t, index, page_for(index)), 0);
        indexes[n++] = index;
    }
    for (int i = 0; i < n; i++)
        CHECK_EQ(page_tree_lookup(&t, indexes[i]), page_for(indexes[i]));
    u64 cuts[] = {1ull << 34, 1ull << 24, 2500, 1};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        long expect = 0;
        u64 expect_sum = 0;
        for (int i = 0; i < n; i++)
            if (indexes[i] >= cuts[c] && page_tree_lookup(&t, indexes[i])) {
                expect++;
                expect_sum += page_for(indexes[i]);
            }
        dropped = 0;
        dropped_sum = 0;
        CHECK_EQ(page_tree_truncate(&t, cuts[c], drop, NULL), expect);
        CHECK_EQ(dropped, expect);
        CHECK(dropped_sum == expect_sum);
        for (int i = 0; i < n; i++)
            CHECK_EQ(page_tree_lookup(&t, indexes[i]),
                     indexes[i] < cuts[c] ? page_for(indexes[i]) : 0);
    }
    page_tree_truncate(&t, 0, drop, NULL);
    CHECK_EQ(live_nodes, 0);
    CHECK_EQ(t.root, 0);
    CHECK_EQ(t.height, 0);
}

/* Reclaim's pass: drop only the pages the callback accepts, at most `budget`. */
static bool drop_odd_ones(phys_addr_t page, void *arg)
{
    (void)arg;
    if ((page / 4096 - 1) / 70 % 2 == 0)
        return false; /* the even ones of the test's pages (index i * 70): kept, as if mapped */
    dropped++;
    return true;
}

static void prune_drops_what_it_is_told(void)
{
    struct page_tree t = {0};
    for (u64 i = 0; i < 200; i++)
        CHECK_EQ(page_tree_insert(&t, i * 70, page_for(i * 70)), 0);
    dropped = 0;
    CHECK_EQ(page_tree_prune(&t, 10, drop_odd_ones, NULL), 10); /* the budget stops it */
    CHECK_EQ(dropped, 10);
    CHECK_EQ(page_tree_prune(&t, 1000, drop_odd_ones, NULL), 90);
    for (u64 i = 0; i < 200; i++)
        CHECK_EQ(page_tree_lookup(&t, i * 70), i % 2 ? 0 : page_for(i * 70));
    CHECK_EQ(page_tree_truncate(&t, 0, drop, NULL), 100);
    CHECK_EQ(live_nodes, 0);
    CHECK_EQ(t.height, 0);
}

static const struct unit_case cases[] = {
    UNIT(empty_tree_has_nothing),
    UNIT(one_page_needs_no_node),
    UNIT(far_page_costs_one_node_per_level),
    UNIT(past_the_top_is_efbig),
    UNIT(out_of_memory_midway),
    UNIT(random_pages_match_a_reference),
    UNIT(prune_drops_what_it_is_told),
};
UNIT_MAIN("page_tree", cases)
