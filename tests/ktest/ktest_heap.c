/* ktest_heap.c - kmalloc/kfree: sizes, overlap, reuse, accounting. */
#include "kernel/lib/string.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "tests/ktest/ktests.h"

#define NALLOC 200

static size_t size_for(int i) { return (size_t)(1 + (i * 37) % 3000) + (i % 10 == 0 ? 9000 : 0); }

void ktest_heap_many_sizes(struct ktest_context *t)
{
    static u8 *blocks[NALLOC];
    struct kheap_stats before, after;
    kheap_get_stats(&before);
    u64 frames_before = frames_free();

    for (int i = 0; i < NALLOC; i++) {
        blocks[i] = kmalloc(size_for(i));
        KT_EXPECT(t, blocks[i] != NULL);
        KT_EXPECT(t, ((u64)blocks[i] & 15) == 0);
        memset(blocks[i], i & 0xFF, size_for(i));
    }
    /* If any two blocks overlapped, a later memset would have changed an earlier block. */
    int damaged = 0;
    for (int i = 0; i < NALLOC; i++)
        for (size_t b = 0; b < size_for(i); b++)
            if (blocks[i][b] != (u8)(i & 0xFF)) {
                damaged++;
                break;
            }
    KT_EXPECT_EQ(t, damaged, 0);
    KT_EXPECT_EQ(t, kmalloc_size(blocks[3]), size_for(3));

    for (int i = 0; i < NALLOC; i++)
        kfree(blocks[i]);
    kheap_get_stats(&after);
    KT_EXPECT_EQ(t, after.bytes_in_use, before.bytes_in_use);
    KT_EXPECT_EQ(t, after.allocations, before.allocations);
    /* Empty slabs go back to the frame allocator (at most one kept per size class). */
    KT_EXPECT(t, frames_free() + 10 >= frames_before);
}

void ktest_heap_free_and_reuse(struct ktest_context *t)
{
    void *a = kmalloc(100);
    kfree(a);
    void *b = kmalloc(100);
    KT_EXPECT(t, a == b); /* the freed object is the first one handed out again */
    void *c = kzalloc(500);
    bool zero = true;
    for (int i = 0; i < 500; i++)
        if (((u8 *)c)[i])
            zero = false;
    KT_EXPECT(t, zero);
    kfree(b);
    kfree(c);
    kfree(NULL); /* allowed, does nothing */
}

void ktest_heap_large_blocks(struct ktest_context *t)
{
    u64 baseline = frames_free();
    u8 *big = kmalloc(64 * 1024);
    KT_EXPECT(t, big != NULL);
    memset(big, 0x5A, 64 * 1024);
    KT_EXPECT_EQ(t, kmalloc_size(big), 64 * 1024);
    KT_EXPECT(t, frames_free() <= baseline - 16);
    kfree(big);
    KT_EXPECT_EQ(t, frames_free(), baseline);
    KT_EXPECT(t, kmalloc(1ul << 40) == NULL); /* absurd sizes fail cleanly */
}
