/* pagecache.c - pages of files kept in memory (see pagecache.h). */
#include "kernel/fs/pagecache.h"
#include "mm/frame.h"

u64 pagecache_pages_total;
static struct list caches = LIST_INIT(caches); /* the page caches that hold pages */

phys_addr_t pagecache_find(struct page_cache *cache, u64 index)
{
    return index < PAGE_TREE_MAX_PAGES ? page_tree_lookup(&cache->tree, index) : 0;
}

int pagecache_insert(struct page_cache *cache, u64 index, phys_addr_t frame)
{
    int error = page_tree_insert(&cache->tree, index, frame);
    if (error)
        return error;
    if (cache->pages++ == 0)
        list_push_back(&caches, &cache->all_node);
    pagecache_pages_total++;
    return 0;
}

static void forget_page(struct page_cache *cache, phys_addr_t frame)
{
    if (--cache->pages == 0)
        list_remove(&cache->all_node);
    pagecache_pages_total--;
    frame_put(frame); /* freed now unless a mapping still holds it */
}

static void drop_one(phys_addr_t frame, void *arg) { forget_page(arg, frame); }

void pagecache_truncate(struct page_cache *cache, u64 first)
{
    page_tree_truncate(&cache->tree, first, drop_one, cache);
}

static bool drop_if_unused(phys_addr_t frame, void *arg)
{
    if (frame_refcount(frame) != 1)
        return false; /* mapped (or being copied by read()): it stays */
    forget_page(arg, frame);
    return true;
}

u64 pagecache_shrink(u64 target)
{
    u64 freed = 0;
    struct list_node *node = caches.head.next;
    while (node != &caches.head && freed < target) {
        struct page_cache *cache = list_entry(node, struct page_cache, all_node);
        node = node->next; /* the cache may leave the list when emptied */
        freed += page_tree_prune(&cache->tree, target - freed, drop_if_unused, cache);
    }
    return freed;
}
