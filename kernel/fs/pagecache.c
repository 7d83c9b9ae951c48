/* pagecache.c - pages of files kept in memory (see pagecache.h). */
#include "kernel/fs/pagecache.h"
#include "mm/frame.h"

u64 pagecache_pages_total;

phys_addr_t pagecache_find(struct page_cache *cache, u64 index)
{
    return index < PAGE_TREE_MAX_PAGES ? page_tree_lookup(&cache->tree, index) : 0;
}

int pagecache_insert(struct page_cache *cache, u64 index, phys_addr_t frame)
{
    int error = page_tree_insert(&cache->tree, index, frame);
    if (error)
        return error;
    cache->pages++;
    pagecache_pages_total++;
    return 0;
}

static void drop_one(phys_addr_t frame, void *arg)
{
    struct page_cache *cache = arg;
    cache->pages--;
    pagecache_pages_total--;
    frame_put(frame); /* freed now unless a mapping still holds it */
}

void pagecache_truncate(struct page_cache *cache, u64 first)
{
    page_tree_truncate(&cache->tree, first, drop_one, cache);
}
