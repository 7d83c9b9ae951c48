/* ktest_frame.c - the physical frame allocator, on the real memory map. */
#include "kernel/param.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "tests/ktest/ktests.h"

void ktest_frame_alloc_all_free_all(struct ktest_context *t)
{
    u64 baseline = frames_free();
    /* Chain every frame we get through its own first word. */
    phys_addr_t head = 0;
    u64 count = 0;
    bool zeroed = true;
    for (;;) {
        phys_addr_t f = frame_alloc();
        if (!f)
            break;
        u64 *words = phys_to_virt(f);
        if (words[0] != 0 || words[511] != 0)
            zeroed = false;
        words[0] = head;
        head = f;
        count++;
    }
    KT_EXPECT_EQ(t, count, baseline);
    KT_EXPECT_EQ(t, frames_free(), 0);
    KT_EXPECT(t, zeroed);
    KT_EXPECT_EQ(t, frame_alloc(), 0); /* exhausted: 0, not a crash */
    while (head) {
        phys_addr_t next = *(u64 *)phys_to_virt(head);
        frame_put(head);
        head = next;
    }
    KT_EXPECT_EQ(t, frames_free(), baseline);
}

void ktest_frame_refcount(struct ktest_context *t)
{
    u64 baseline = frames_free();
    phys_addr_t f = frame_alloc();
    KT_EXPECT(t, f != 0);
    KT_EXPECT_EQ(t, frame_refcount(f), 1);
    frame_get(f);
    frame_get(f);
    KT_EXPECT_EQ(t, frame_refcount(f), 3);
    frame_put(f);
    frame_put(f);
    KT_EXPECT_EQ(t, frames_free(), baseline - 1); /* still one user */
    frame_put(f);
    KT_EXPECT_EQ(t, frame_refcount(f), 0);
    KT_EXPECT_EQ(t, frames_free(), baseline);
}

void ktest_frame_contiguous(struct ktest_context *t)
{
    u64 baseline = frames_free();
    phys_addr_t first = frame_alloc_contiguous(8);
    KT_EXPECT(t, first != 0 && first % PAGE_SIZE == 0);
    for (int i = 0; i < 8; i++)
        KT_EXPECT_EQ(t, frame_refcount(first + (u64)i * PAGE_SIZE), 1);
    KT_EXPECT_EQ(t, frames_free(), baseline - 8);
    frame_put_contiguous(first, 8);
    KT_EXPECT_EQ(t, frames_free(), baseline);
}
