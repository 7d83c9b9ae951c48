/* ktest_paging.c - page tables: the MMU really does what the entries say. */
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "tests/ktest/ktests.h"

#define TEST_VA 0x400000ul

void ktest_paging_map_translate_unmap(struct ktest_context *t)
{
    phys_addr_t pml4 = pagetable_create();
    phys_addr_t frame = frame_alloc();
    KT_EXPECT(t, pml4 && frame);

    KT_EXPECT_EQ(t, pagetable_map(pml4, TEST_VA, frame, PTE_USER | PTE_WRITE | PTE_NX), 0);
    phys_addr_t phys = 0;
    u64 flags = 0;
    KT_EXPECT(t, pagetable_translate(pml4, TEST_VA + 0x123, &phys, &flags));
    KT_EXPECT_EQ(t, phys, frame + 0x123);
    KT_EXPECT(t, flags & PTE_USER);
    KT_EXPECT(t, flags & PTE_WRITE);
    KT_EXPECT_EQ(t, flags & PTE_NX, pte_nx); /* set when the CPU supports NX */

    /* A neighbouring page is not mapped. */
    KT_EXPECT(t, !pagetable_translate(pml4, TEST_VA + PAGE_SIZE, NULL, NULL));
    /* The kernel half is shared: kernel text translates the same everywhere. */
    phys_addr_t in_kernel = 0, in_new = 0;
    KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)_text_start, &in_kernel, NULL));
    KT_EXPECT(t, pagetable_translate(pml4, (u64)_text_start, &in_new, NULL));
    KT_EXPECT_EQ(t, in_new, in_kernel);

    pte_t old = pagetable_unmap(pml4, TEST_VA);
    KT_EXPECT_EQ(t, PTE_ADDRESS(old), frame);
    KT_EXPECT(t, !pagetable_translate(pml4, TEST_VA, NULL, NULL));
    KT_EXPECT_EQ(t, pagetable_unmap(pml4, TEST_VA), 0);

    frame_put(frame);
    pagetable_destroy(pml4);
}

void ktest_paging_access_through_mmu(struct ktest_context *t)
{
    phys_addr_t pml4 = pagetable_create();
    phys_addr_t frame = frame_alloc();
    KT_EXPECT(t, pml4 && frame);
    KT_EXPECT_EQ(t, pagetable_map(pml4, TEST_VA, frame, PTE_WRITE | PTE_NX), 0);

    /* Switch to the new address space (the kernel half keeps us running),
     * write through the user-half address, switch back. */
    bool irq = irq_save();
    pagetable_activate(pml4);
    *(volatile u64 *)(TEST_VA + 8) = 0x5350524F5554ul; /* "SPROUT" */
    pagetable_activate(kernel_pml4);
    irq_restore(irq);

    /* The bytes landed in the frame the entry points to. */
    KT_EXPECT_EQ(t, ((u64 *)phys_to_virt(frame))[1], 0x5350524F5554ul);
    pagetable_unmap(pml4, TEST_VA);
    frame_put(frame);
    pagetable_destroy(pml4);
}

void ktest_paging_kernel_sections(struct ktest_context *t)
{
    u64 flags;
    KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)_text_start, NULL, &flags));
    KT_EXPECT(t, !(flags & PTE_WRITE) && !(flags & PTE_NX) && !(flags & PTE_USER));
    KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)_rodata_start, NULL, &flags));
    KT_EXPECT(t, !(flags & PTE_WRITE));
    KT_EXPECT_EQ(t, flags & PTE_NX, pte_nx);
    KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)_data_start, NULL, &flags));
    KT_EXPECT(t, flags & PTE_WRITE);
    KT_EXPECT_EQ(t, flags & PTE_NX, pte_nx);
    /* The direct map covers RAM and translates back to the same physical address. */
    phys_addr_t phys;
    KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)phys_to_virt(0x123456), &phys, NULL));
    KT_EXPECT_EQ(t, phys, 0x123456);
    /* NULL is not mapped in the kernel either. */
    KT_EXPECT(t, !pagetable_translate(kernel_pml4, 0, NULL, NULL));
}

void ktest_paging_protect(struct ktest_context *t)
{
    phys_addr_t pml4 = pagetable_create();
    phys_addr_t frame = frame_alloc();
    KT_EXPECT_EQ(t, pagetable_map(pml4, TEST_VA, frame, PTE_USER | PTE_WRITE), 0);
    KT_EXPECT_EQ(t, pagetable_protect(pml4, TEST_VA, PTE_USER | PTE_NX), 0);
    u64 flags;
    phys_addr_t phys;
    KT_EXPECT(t, pagetable_translate(pml4, TEST_VA, &phys, &flags));
    KT_EXPECT_EQ(t, phys, frame); /* same frame, new rights */
    KT_EXPECT(t, !(flags & PTE_WRITE));
    KT_EXPECT(t, flags & PTE_USER);
    KT_EXPECT_EQ(t, pagetable_protect(pml4, TEST_VA + PAGE_SIZE, PTE_USER), -2 /* -ENOENT */);
    pagetable_unmap(pml4, TEST_VA);
    frame_put(frame);
    pagetable_destroy(pml4);
}

void ktest_paging_no_leak(struct ktest_context *t)
{
    u64 baseline = frames_free();
    for (int round = 0; round < 20; round++) {
        phys_addr_t pml4 = pagetable_create();
        /* Spread mappings so every level needs new tables. */
        for (u64 i = 0; i < 16; i++)
            pagetable_map(pml4, (i << 30) + (i << 21) + TEST_VA, 0x200000, PTE_USER);
        for (u64 i = 0; i < 16; i++)
            pagetable_unmap(pml4, (i << 30) + (i << 21) + TEST_VA);
        pagetable_destroy(pml4);
    }
    KT_EXPECT_EQ(t, frames_free(), baseline);
}
