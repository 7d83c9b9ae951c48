/* kstack.c - kernel stacks in their own area, each above an unmapped guard (see kstack.h). */
#include "mm/kstack.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/pagetable.h"

/* One slot per possible process: a PID can never need more. */
#define KSTACK_SLOTS PID_MAX
#define KSTACK_PAGES (KSTACK_SIZE / PAGE_SIZE)
#define WORD_BITS 64

/*
 * Slots in use.  The lowest free slot is always taken, so the page tables
 * behind the area (allocated on first use, never freed) stay as few as the
 * most processes that ever lived at once need.
 */
static u64 slots_used[KSTACK_SLOTS / WORD_BITS];

static u64 slot_stack(int slot)
{
    return KSTACK_AREA_BASE + (u64)slot * KSTACK_SLOT_SIZE + KSTACK_GUARD_SIZE;
}

static int slot_take(void)
{
    bool irq = irq_save();
    int slot = -1;
    for (int word = 0; word < KSTACK_SLOTS / WORD_BITS && slot < 0; word++) {
        if (slots_used[word] == ~0ull)
            continue;
        int bit = __builtin_ctzll(~slots_used[word]);
        slots_used[word] |= 1ull << bit;
        slot = word * WORD_BITS + bit;
    }
    irq_restore(irq);
    return slot;
}

static void slot_release(int slot)
{
    bool irq = irq_save();
    slots_used[slot / WORD_BITS] &= ~(1ull << (slot % WORD_BITS));
    irq_restore(irq);
}

static bool slot_in_use(int slot)
{
    return slots_used[slot / WORD_BITS] & (1ull << (slot % WORD_BITS));
}

/* Unmap the first `pages` pages of the stack at `stack` and free their frames. */
static void unmap_pages(u64 stack, int pages)
{
    for (int i = 0; i < pages; i++) {
        pte_t old = pagetable_unmap(kernel_pml4, stack + (u64)i * PAGE_SIZE);
        if (old)
            frame_put(PTE_ADDRESS(old));
    }
}

/*
 * Stacks freed recently, still mapped, for the next kstack_alloc: a fork
 * then costs no frames, no zeroing and no page-table edits for its stack
 * (four of each: 5,000 of the 71,000 instructions of a fork + exit + wait).
 * Their slots stay in use.  What a stack held before is kernel data only.
 */
static void *cache[KSTACK_CACHE];
static int cached;

static void *cache_take(void)
{
    bool irq = irq_save();
    void *stack = cached > 0 ? cache[--cached] : NULL;
    irq_restore(irq);
    return stack;
}

static bool cache_keep(void *stack)
{
    bool irq = irq_save();
    bool kept = cached < KSTACK_CACHE;
    if (kept)
        cache[cached++] = stack;
    irq_restore(irq);
    return kept;
}

void *kstack_alloc(void)
{
    void *reused = cache_take();
    if (reused)
        return reused;
    int slot = slot_take();
    if (slot < 0)
        return NULL;
    u64 stack = slot_stack(slot);
    for (int i = 0; i < KSTACK_PAGES; i++) {
        phys_addr_t frame = frame_alloc();
        /* The kernel half's top-level entry exists since boot (pagetable_init),
         * so tables made here are seen by every address space. */
        if (!frame || pagetable_map(kernel_pml4, stack + (u64)i * PAGE_SIZE, frame,
                                    PTE_WRITE | PTE_GLOBAL | pte_nx) < 0) {
            if (frame)
                frame_put(frame);
            unmap_pages(stack, i);
            slot_release(slot);
            return NULL;
        }
    }
    return (void *)stack;
}

/* Unmap a stack and free its frames and slot. */
static void release(void *stack)
{
    u64 offset = (u64)stack - KSTACK_AREA_BASE - KSTACK_GUARD_SIZE;
    unmap_pages((u64)stack, KSTACK_PAGES);
    slot_release((int)(offset / KSTACK_SLOT_SIZE));
}

void kstack_free(void *stack)
{
    if (!cache_keep(stack))
        release(stack);
}

void kstack_drain_cache(void)
{
    void *stack;
    while ((stack = cache_take()))
        release(stack);
}

/* The slot holding `address`, or -1 outside the area. */
static int slot_of(u64 address)
{
    if (address < KSTACK_AREA_BASE ||
        address >= KSTACK_AREA_BASE + (u64)KSTACK_SLOTS * KSTACK_SLOT_SIZE)
        return -1;
    return (int)((address - KSTACK_AREA_BASE) / KSTACK_SLOT_SIZE);
}

void *kstack_of_guard(u64 address)
{
    if (address >= (u64)boot_stack_guard && address < (u64)boot_stack)
        return boot_stack;
    int slot = slot_of(address);
    if (slot < 0 || address >= slot_stack(slot))
        return NULL;
    return (void *)slot_stack(slot);
}

bool kstack_contains(u64 address)
{
    if (address >= (u64)boot_stack && address < (u64)boot_stack_top)
        return true;
    int slot = slot_of(address);
    return slot >= 0 && address >= slot_stack(slot) && slot_in_use(slot);
}
