/*
 * ktest_string.c - memset, memcpy and the user copy (all by 8-byte words,
 * kernel/lib/memory.asm and kernel/uaccess_copy.asm) give exactly what a
 * byte loop would, for every small size and alignment, and touch nothing
 * outside the range they were given.
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "tests/ktest/ktests.h"

#define AREA 256     /* bytes checked around each operation */
#define MAX_OFFSET 9 /* start offsets 0..8: every alignment of an 8-byte word */
#define MAX_SIZE 140 /* sizes 0..139: under, at and over the 8-, 32- and 64-byte steps */
#define GUARD 0xa5
#define TEST_USER_VA 0x500000ul

static u8 pattern_byte(size_t i) { return (u8)(i * 7 + 3); }

/* The first index of area[0..AREA) that is not the guard byte outside
 * [start, start + size) and, inside it, not expected[i - start] (or `byte`
 * when expected is NULL); -1 if there is none. */
static long first_difference(const u8 *area, size_t start, size_t size, const u8 *expected, u8 byte)
{
    for (size_t i = 0; i < AREA; i++) {
        u8 want = GUARD;
        if (i >= start && i < start + size)
            want = expected ? expected[i - start] : byte;
        if (area[i] != want)
            return (long)i;
    }
    return -1;
}

static void fill(u8 *area, size_t count, u8 byte)
{
    for (size_t i = 0; i < count; i++)
        ((volatile u8 *)area)[i] = byte; /* volatile: not turned into memset */
}

void ktest_string_memset_memcpy(struct ktest_context *t)
{
    static u8 area[AREA], source[AREA];
    for (size_t i = 0; i < AREA; i++)
        ((volatile u8 *)source)[i] = pattern_byte(i);
    int reported = 0;
    for (size_t offset = 0; offset < MAX_OFFSET; offset++)
        for (size_t size = 0; size < MAX_SIZE; size++) {
            fill(area, AREA, GUARD);
            void *ret = memset(area + offset, 0x3c, size);
            long bad = first_difference(area, offset, size, NULL, 0x3c);
            if ((bad >= 0 || ret != area + offset) && reported++ < 3)
                ktest_fail(t, __FILE__, __LINE__, "memset offset %lu size %lu: byte %ld wrong",
                           offset, size, bad);
            fill(area, AREA, GUARD);
            /* The source at a different alignment from the destination. */
            const u8 *from = source + size % 5;
            ret = memcpy(area + offset, from, size);
            bad = first_difference(area, offset, size, from, 0);
            if ((bad >= 0 || ret != area + offset) && reported++ < 3)
                ktest_fail(t, __FILE__, __LINE__, "memcpy offset %lu size %lu: byte %ld wrong",
                           offset, size, bad);
        }
    /* A whole page, the size the kernel zeroes and copies most. */
    u8 *page = phys_to_virt(frame_alloc());
    fill(page, PAGE_SIZE, GUARD);
    memset(page, 0, PAGE_SIZE);
    size_t nonzero = 0;
    for (size_t i = 0; i < PAGE_SIZE; i++)
        nonzero += page[i] != 0;
    KT_EXPECT_EQ(t, nonzero, 0);
    frame_put(virt_to_phys(page));
}

/* copy_to_user / copy_from_user at every small size and alignment, and a copy
 * running off the end of the mapped page fails with -EFAULT wherever it starts. */
void ktest_string_user_copy(struct ktest_context *t)
{
    static u8 area[AREA], source[AREA];
    for (size_t i = 0; i < AREA; i++)
        ((volatile u8 *)source)[i] = pattern_byte(i);
    phys_addr_t pml4 = pagetable_create();
    phys_addr_t frame = frame_alloc();
    KT_EXPECT(t, pml4 && frame);
    KT_EXPECT_EQ(t, pagetable_map(pml4, TEST_USER_VA, frame, PTE_USER | PTE_WRITE), 0);
    u8 *user = (u8 *)TEST_USER_VA;
    u8 *kernel_view = phys_to_virt(frame);
    int reported = 0;

    bool irq = irq_save();
    pagetable_activate(pml4);
    for (size_t offset = 0; offset < MAX_OFFSET; offset++)
        for (size_t size = 0; size < MAX_SIZE; size++) {
            fill(kernel_view, AREA, GUARD);
            int to = copy_to_user(user + offset, source, size);
            long bad = first_difference(kernel_view, offset, size, source, 0);
            fill(area, AREA, GUARD);
            int from = copy_from_user(area + offset, user + offset, size);
            long bad_from = first_difference(area, offset, size, source, 0);
            if ((to || from || bad >= 0 || bad_from >= 0) && reported++ < 3)
                ktest_fail(t, __FILE__, __LINE__,
                           "offset %lu size %lu: to %d (byte %ld), from %d (byte %ld)", offset,
                           size, to, bad, from, bad_from);
        }
    /* Off the end of the page: the next one is unmapped. */
    for (size_t before = 1; before < 70; before++) {
        u8 *start = user + PAGE_SIZE - before;
        int to = copy_to_user(start, source, before + 1);
        int from = copy_from_user(area, start, before + 40);
        if ((to != -EFAULT || from != -EFAULT) && reported++ < 3)
            ktest_fail(t, __FILE__, __LINE__, "%lu bytes before the end: to %d, from %d", before,
                       to, from);
    }
    pagetable_activate(kernel_pml4);
    irq_restore(irq);

    pagetable_unmap(pml4, TEST_USER_VA);
    frame_put(frame);
    pagetable_destroy(pml4);
}
