/* ktest_pagecache.c - the page cache: reclaim drops only the pages no mapping holds. */
#include "kernel/fs/pagecache.h"
#include "kernel/param.h"
#include "mm/frame.h"
#include "tests/ktest/ktests.h"

void ktest_pagecache_shrink_spares_mapped(struct ktest_context *t)
{
    u64 cached = pagecache_pages_total;
    struct page_cache cache = {0};
    phys_addr_t frames[3];
    for (u64 i = 0; i < 3; i++) {
        frames[i] = frame_alloc();
        KT_EXPECT(t, frames[i] != 0);
        KT_EXPECT_EQ(t, pagecache_insert(&cache, i * 100, frames[i]), 0); /* sparse: nodes */
    }
    KT_EXPECT_EQ(t, pagecache_pages_total, cached + 3);
    frame_get(frames[1]); /* as a mapping would */
    /* Other caches (files of mounted disks) may give pages too: count ours. */
    while (cache.pages > 1 && pagecache_shrink(1) > 0)
        ;
    KT_EXPECT_EQ(t, cache.pages, 1);
    KT_EXPECT_EQ(t, pagecache_find(&cache, 100), frames[1]);
    KT_EXPECT_EQ(t, pagecache_find(&cache, 0), 0);
    KT_EXPECT_EQ(t, pagecache_find(&cache, 200), 0);
    KT_EXPECT_EQ(t, frame_refcount(frames[0]), 0); /* freed, not just forgotten */
    KT_EXPECT_EQ(t, frame_refcount(frames[2]), 0);
    pagecache_truncate(&cache, 0);
    KT_EXPECT_EQ(t, cache.pages, 0);
    KT_EXPECT_EQ(t, frame_refcount(frames[1]), 1); /* the "mapping" still holds it */
    frame_put(frames[1]);
    KT_EXPECT_EQ(t, pagecache_pages_total, cached);
}
