/* test_frame_pool.c - frame allocator bookkeeping (mm/frame_pool.c). */
#include <stdlib.h>
#include "mm/frame_pool.h"
#include "tests/unit/unit.h"

#define NFRAMES 1000

static struct frame_pool pool;
static void *storage;

static void fresh(void)
{
    free(storage);
    storage = malloc(frame_pool_storage_bytes(NFRAMES));
    frame_pool_init(&pool, NFRAMES, storage);
}

static void starts_all_used(void)
{
    fresh();
    CHECK_EQ(pool.free, 0);
    CHECK_EQ(pool.total, 0);
    CHECK_EQ(frame_pool_alloc(&pool), -1);
}

static void add_and_reserve_ranges(void)
{
    fresh();
    frame_pool_add_free(&pool, 256, 700); /* 256..955 usable */
    CHECK_EQ(pool.total, 700);
    CHECK_EQ(pool.free, 700);
    frame_pool_reserve(&pool, 256, 10); /* e.g. the kernel image */
    CHECK_EQ(pool.free, 690);
    frame_pool_reserve(&pool, 0, 5); /* never usable anyway: no change */
    CHECK_EQ(pool.free, 690);
    frame_pool_add_free(&pool, 990, 100); /* clipped at nframes */
    CHECK_EQ(pool.total, 710);
    CHECK(frame_pool_is_used(&pool, 256));
    CHECK(!frame_pool_is_used(&pool, 266));
    CHECK(frame_pool_is_used(&pool, NFRAMES + 5)); /* out of range counts as used */
}

static void alloc_all_then_free_all(void)
{
    fresh();
    frame_pool_add_free(&pool, 100, 500);
    frame_pool_reserve(&pool, 300, 50);
    static int64_t got[NFRAMES];
    int n = 0;
    for (int64_t f; (f = frame_pool_alloc(&pool)) >= 0;)
        got[n++] = f;
    CHECK_EQ(n, 450);
    CHECK_EQ(pool.free, 0);
    int in_reserved = 0, duplicates = 0;
    static char seen[NFRAMES];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < n; i++) {
        if (got[i] >= 300 && got[i] < 350)
            in_reserved++;
        if (seen[got[i]]++)
            duplicates++;
        CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)got[i]), 1);
    }
    CHECK_EQ(in_reserved, 0);
    CHECK_EQ(duplicates, 0);
    for (int i = 0; i < n; i++)
        CHECK_EQ(frame_pool_put(&pool, (uint64_t)got[i]), 0);
    CHECK_EQ(pool.free, 450);
}

static void refcount_sharing(void)
{
    fresh();
    frame_pool_add_free(&pool, 10, 10);
    int64_t f = frame_pool_alloc(&pool);
    CHECK(f >= 10 && f < 20);
    CHECK(frame_pool_get(&pool, (uint64_t)f));
    CHECK(frame_pool_get(&pool, (uint64_t)f));
    CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)f), 3);
    CHECK_EQ(frame_pool_put(&pool, (uint64_t)f), 2);
    CHECK_EQ(frame_pool_put(&pool, (uint64_t)f), 1);
    CHECK_EQ(pool.free, 9);
    CHECK_EQ(frame_pool_put(&pool, (uint64_t)f), 0);
    CHECK_EQ(pool.free, 10);
}

/* The lock-free pair takes only the common cases and leaves the rest to
 * frame_pool_get/put: a free frame, a full count, the last user. */
static void try_get_and_put_leave_the_rare_cases(void)
{
    fresh();
    frame_pool_add_free(&pool, 10, 10);
    CHECK(!frame_pool_try_get(&pool, 10));      /* free */
    CHECK(!frame_pool_try_get(&pool, NFRAMES)); /* past the end */
    int64_t f = frame_pool_alloc(&pool);
    CHECK(frame_pool_try_get(&pool, (uint64_t)f));
    CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)f), 2);
    CHECK(frame_pool_try_put(&pool, (uint64_t)f));
    CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)f), 1);
    CHECK(!frame_pool_try_put(&pool, (uint64_t)f)); /* the last user: the locked put frees */
    CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)f), 1);
    CHECK_EQ(pool.free, 9);
    while (frame_pool_try_get(&pool, (uint64_t)f))
        ;
    CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)f), 0xFFFF); /* stops at the maximum */
}

static void double_free_and_bad_get_are_refused(void)
{
    fresh();
    frame_pool_add_free(&pool, 10, 10);
    int64_t f = frame_pool_alloc(&pool);
    CHECK_EQ(frame_pool_put(&pool, (uint64_t)f), 0);
    CHECK_EQ(frame_pool_put(&pool, (uint64_t)f), -1); /* double free detected */
    CHECK_EQ(pool.free, 10);                          /* and nothing changed */
    CHECK(!frame_pool_get(&pool, (uint64_t)f));       /* cannot share a free frame */
    CHECK(!frame_pool_get(&pool, 5));                 /* nor a reserved one */
    CHECK_EQ(frame_pool_put(&pool, 5), -1);
    CHECK_EQ(frame_pool_put(&pool, NFRAMES + 1), -1);
}

static void refcount_saturates_instead_of_wrapping(void)
{
    fresh();
    frame_pool_add_free(&pool, 10, 1);
    int64_t f = frame_pool_alloc(&pool);
    int gets = 0;
    while (frame_pool_get(&pool, (uint64_t)f))
        gets++;
    CHECK_EQ(gets, 65534);
    CHECK_EQ(frame_pool_refcount(&pool, (uint64_t)f), 65535);
}

static void contiguous_runs(void)
{
    fresh();
    frame_pool_add_free(&pool, 0, 64);
    frame_pool_reserve(&pool, 5, 1);
    frame_pool_reserve(&pool, 20, 1);
    int64_t first = frame_pool_alloc_contiguous(&pool, 10); /* 0..4 too short; 6..15 fits */
    CHECK_EQ(first, 6);
    first = frame_pool_alloc_contiguous(&pool, 30); /* 21..50 */
    CHECK_EQ(first, 21);
    CHECK_EQ(frame_pool_alloc_contiguous(&pool, 30), -1); /* no run that long is left */
    CHECK_EQ(frame_pool_alloc_contiguous(&pool, 0), -1);
    CHECK_EQ(pool.free, 62 - 40);
}

/* The scan steps over whole words of taken frames; a run may still begin in
 * the last bits of a word and go on into the next. */
static void contiguous_runs_across_full_words(void)
{
    fresh();
    frame_pool_add_free(&pool, 0, 256);
    frame_pool_reserve(&pool, 0, 124); /* words 0 and 1 (but frames 124..127) taken */
    frame_pool_reserve(&pool, 130, 1);
    CHECK_EQ(frame_pool_alloc_contiguous(&pool, 6), 124); /* 124..129: across the word edge */
    CHECK_EQ(frame_pool_alloc_contiguous(&pool, 64), 131);
    CHECK_EQ(frame_pool_alloc_contiguous(&pool, 62), -1); /* 195..255 is 61 long */
    CHECK_EQ(frame_pool_alloc_contiguous(&pool, 61), 195);
}

static void freed_frames_are_found_again(void)
{
    fresh();
    frame_pool_add_free(&pool, 0, 200);
    int64_t a = frame_pool_alloc(&pool);
    for (int i = 0; i < 150; i++)
        frame_pool_alloc(&pool);
    frame_pool_put(&pool, (uint64_t)a);
    CHECK_EQ(frame_pool_alloc(&pool), a); /* the search restarts at the freed frame */
}

static const struct unit_case cases[] = {
    UNIT(starts_all_used),
    UNIT(add_and_reserve_ranges),
    UNIT(alloc_all_then_free_all),
    UNIT(refcount_sharing),
    UNIT(try_get_and_put_leave_the_rare_cases),
    UNIT(double_free_and_bad_get_are_refused),
    UNIT(refcount_saturates_instead_of_wrapping),
    UNIT(contiguous_runs),
    UNIT(contiguous_runs_across_full_words),
    UNIT(freed_frames_are_found_again),
};
UNIT_MAIN("unit.frame_pool", cases)
