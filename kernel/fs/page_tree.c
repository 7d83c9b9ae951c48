/* page_tree.c - the sparse page index of a ramfs file (see page_tree.h). */
#include "kernel/fs/page_tree.h"
#include "kernel/errno.h"
#include "kernel/param.h"
#include "mm/kheap.h"

u64 page_tree_nodes;

/* A node's entries: data frames' physical addresses at height 1, nodes above. */
static ALWAYS_INLINE u64 *node_entries(u64 node) { return (u64 *)node; }

/* How many page indexes a subtree of this height covers. */
static ALWAYS_INLINE u64 span(u32 height) { return 1ull << (PAGE_TREE_SHIFT * height); }

/* The entry that leads toward `index` in a node of `height` (>= 1). */
static ALWAYS_INLINE u64 slot(u64 index, u32 height)
{
    return (index >> (PAGE_TREE_SHIFT * (height - 1))) % PAGE_TREE_FANOUT;
}

phys_addr_t page_tree_lookup(const struct page_tree *tree, u64 index)
{
    if (index >= span(tree->height))
        return 0;
    u64 at = tree->root;
    for (u32 h = tree->height; h > 0 && at; h--)
        at = node_entries(at)[slot(index, h)];
    return at;
}

static u64 node_alloc(void)
{
    u64 *node = kzalloc(PAGE_TREE_FANOUT * sizeof *node); /* every entry empty */
    if (node)
        page_tree_nodes++;
    return (u64)node;
}

static void node_free(u64 node)
{
    kfree((void *)node);
    page_tree_nodes--;
}

/* Add levels above the root until `index` is within reach. */
static int grow(struct page_tree *tree, u64 index)
{
    while (index >= span(tree->height)) {
        if (tree->height == PAGE_TREE_MAX_HEIGHT)
            return -EFBIG;
        if (tree->root) {
            u64 node = node_alloc();
            if (!node)
                return -ENOMEM;
            node_entries(node)[0] = tree->root; /* the old tree is the first child */
            tree->root = node;
        }
        tree->height++;
    }
    return 0;
}

int page_tree_insert(struct page_tree *tree, u64 index, phys_addr_t page)
{
    int error = grow(tree, index);
    if (error)
        return error;
    u64 *link = &tree->root;
    for (u32 h = tree->height; h > 0; h--) {
        if (!*link && !(*link = node_alloc()))
            return -ENOMEM; /* nodes made on the way stay, empty; truncate frees them */
        link = &node_entries(*link)[slot(index, h)];
    }
    *link = page;
    return 0;
}

/*
 * Drop the pages of the subtree `*link` (of `height`, first index `base`)
 * whose index is >= first; free the nodes that end up empty.
 */
static u64 truncate_subtree(u64 *link, u32 height, u64 base, u64 first,
                            void (*drop)(phys_addr_t, void *), void *arg)
{
    if (!*link || base + span(height) <= first)
        return 0;
    if (height == 0) {
        drop(*link, arg);
        *link = 0;
        return 1;
    }
    u64 *entries = node_entries(*link);
    u64 removed = 0;
    bool empty = true;
    for (u64 i = 0; i < PAGE_TREE_FANOUT; i++) {
        removed += truncate_subtree(&entries[i], height - 1, base + i * span(height - 1), first,
                                    drop, arg);
        empty = empty && !entries[i];
    }
    if (empty) {
        node_free(*link);
        *link = 0;
    }
    return removed;
}

static u64 prune_subtree(u64 *link, u32 height, u64 budget, bool (*drop)(phys_addr_t, void *),
                         void *arg)
{
    if (!*link || budget == 0)
        return 0;
    if (height == 0) {
        if (!drop(*link, arg))
            return 0;
        *link = 0;
        return 1;
    }
    u64 *entries = node_entries(*link);
    u64 removed = 0;
    bool empty = true;
    for (u64 i = 0; i < PAGE_TREE_FANOUT; i++) {
        removed += prune_subtree(&entries[i], height - 1, budget - removed, drop, arg);
        empty = empty && !entries[i];
    }
    if (empty) {
        node_free(*link);
        *link = 0;
    }
    return removed;
}

static void shrink_height(struct page_tree *tree);

u64 page_tree_prune(struct page_tree *tree, u64 budget, bool (*drop)(phys_addr_t page, void *arg),
                    void *arg)
{
    u64 removed = prune_subtree(&tree->root, tree->height, budget, drop, arg);
    shrink_height(tree);
    return removed;
}

u64 page_tree_truncate(struct page_tree *tree, u64 first, void (*drop)(phys_addr_t page, void *arg),
                       void *arg)
{
    u64 removed = truncate_subtree(&tree->root, tree->height, 0, first, drop, arg);
    shrink_height(tree);
    return removed;
}

static void shrink_height(struct page_tree *tree)
{
    /* Shrink while only the first child is used, so a file cut back to one
     * page is again a bare page with no node. */
    while (tree->height > 0 && tree->root) {
        u64 *entries = node_entries(tree->root);
        for (u64 i = 1; i < PAGE_TREE_FANOUT; i++)
            if (entries[i])
                return;
        u64 only = entries[0];
        node_free(tree->root);
        tree->root = only;
        tree->height--;
    }
    if (!tree->root)
        tree->height = 0;
}
