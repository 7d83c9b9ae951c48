/*
 * ktest_protect.c - the CPU protections are on and the kernel keeps their rules:
 * SMEP/SMAP/UMIP in CR4 wherever CPUID offers them, AC clear outside the copy
 * routine, W^X for the kernel image (also through the direct map), and an
 * unmapped guard below every kernel stack.
 */
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/param.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "tests/ktest/ktests.h"

#define TEST_USER_VA 0x500000ul

void ktest_protect_cr4_matches_cpuid(struct ktest_context *t)
{
    u32 a, b, c, d;
    cpuid(7, 0, &a, &b, &c, &d);
    static const struct {
        const char *name;
        u64 cr4_bit;
    } features[] = {
        {"SMEP", CR4_SMEP},
        {"SMAP", CR4_SMAP},
        {"UMIP", CR4_UMIP},
    };
    bool offered[] = {b & (1u << 7), b & (1u << 20), c & (1u << 2)};
    u64 cr4 = read_cr4();
    for (size_t i = 0; i < ARRAY_SIZE(features); i++) {
        /* tools/run-qemu boots a CPU model that has all three. */
        if (!offered[i])
            ktest_fail(t, __FILE__, __LINE__, "the test CPU does not offer %s", features[i].name);
        else if (!(cr4 & features[i].cr4_bit))
            ktest_fail(t, __FILE__, __LINE__, "CPUID offers %s but CR4 (%#lx) lacks bit %#lx",
                       features[i].name, cr4, features[i].cr4_bit);
    }
    KT_EXPECT(t, cpu_protections.smep && cpu_protections.smap && cpu_protections.umip);
    KT_EXPECT_EQ(t, cpu_smap_enabled, 1);
    KT_EXPECT(t, rdmsr(MSR_EFER) & EFER_NXE);
    /* `syscall` clears AC on entry (FMASK), so user flags cannot open SMAP. */
    KT_EXPECT(t, rdmsr(MSR_FMASK) & RFLAGS_AC);
}

/* The copy routine opens SMAP only while it copies: AC is clear before and after. */
void ktest_protect_copy_leaves_ac_clear(struct ktest_context *t)
{
    phys_addr_t pml4 = pagetable_create();
    phys_addr_t frame = frame_alloc();
    KT_EXPECT(t, pml4 && frame);
    KT_EXPECT_EQ(t, pagetable_map(pml4, TEST_USER_VA, frame, PTE_USER | PTE_WRITE | pte_nx), 0);
    u64 value = 0x5350524f5554ul, back = 0;

    bool irq = irq_save();
    pagetable_activate(pml4);
    u64 flags_before = read_rflags();
    int to = copy_to_user((void *)TEST_USER_VA, &value, sizeof value);
    u64 flags_after_copy = read_rflags();
    int from = copy_from_user(&back, (const void *)TEST_USER_VA, sizeof back);
    /* Unmapped: the copy faults, the fixup returns -EFAULT, and AC is clear again. */
    int bad = copy_from_user(&back, (const void *)(TEST_USER_VA + PAGE_SIZE), sizeof back);
    u64 flags_after_fault = read_rflags();
    pagetable_activate(kernel_pml4);
    irq_restore(irq);

    KT_EXPECT_EQ(t, to, 0);
    KT_EXPECT_EQ(t, from, 0);
    KT_EXPECT_EQ(t, back, value);
    KT_EXPECT_EQ(t, bad, -EFAULT);
    KT_EXPECT_EQ(t, flags_before & RFLAGS_AC, 0);
    KT_EXPECT_EQ(t, flags_after_copy & RFLAGS_AC, 0);
    KT_EXPECT_EQ(t, flags_after_fault & RFLAGS_AC, 0);
    KT_EXPECT_EQ(t, *(u64 *)phys_to_virt(frame), value);

    pagetable_unmap(pml4, TEST_USER_VA);
    frame_put(frame);
    pagetable_destroy(pml4);
}

/* Text r-x, rodata r--, data rw-: in the kernel image and in the direct map's alias of it. */
void ktest_protect_kernel_image_wx(struct ktest_context *t)
{
    static const struct {
        const char *name;
        const char *address;
        bool writable, executable;
    } parts[] = {
        {"text", _text_start, false, true},      {"text end", _text_end - 1, false, true},
        {"rodata", _rodata_start, false, false}, {"data", _data_start, true, false},
        {"bss", _bss_end - 1, true, false},
    };
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        u64 image = (u64)parts[i].address;
        u64 alias = (u64)phys_to_virt(virt_to_phys(parts[i].address));
        u64 flags;
        KT_EXPECT(t, pagetable_translate(kernel_pml4, image, NULL, &flags));
        if (!!(flags & PTE_WRITE) != parts[i].writable || !(flags & PTE_NX) != parts[i].executable)
            ktest_fail(t, __FILE__, __LINE__, "%s at %#lx has flags %#lx", parts[i].name, image,
                       flags);
        KT_EXPECT(t, pagetable_translate(kernel_pml4, alias, NULL, &flags));
        /* The direct map never executes; it may write only where the image may. */
        if (!!(flags & PTE_WRITE) != parts[i].writable || !(flags & PTE_NX))
            ktest_fail(t, __FILE__, __LINE__, "direct-map alias of %s at %#lx has flags %#lx",
                       parts[i].name, alias, flags);
    }
}

void ktest_protect_kernel_stack_guard(struct ktest_context *t)
{
    kstack_drain_cache(); /* the stacks of processes that exited */
    u64 free_before = frames_free();
    u8 *stack = kstack_alloc();
    KT_EXPECT(t, stack != NULL);
    u64 flags;
    /* The stack is mapped rw-, every page of the guard below it is not mapped. */
    for (u64 offset = 0; offset < KSTACK_SIZE; offset += PAGE_SIZE) {
        KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)stack + offset, NULL, &flags));
        KT_EXPECT(t, (flags & PTE_WRITE) && (flags & PTE_NX) == pte_nx && !(flags & PTE_USER));
    }
    for (u64 offset = PAGE_SIZE; offset <= KSTACK_GUARD_SIZE; offset += PAGE_SIZE)
        KT_EXPECT(t, !pagetable_translate(kernel_pml4, (u64)stack - offset, NULL, NULL));
    KT_EXPECT(t, kstack_of_guard((u64)stack - 8) == stack);
    KT_EXPECT(t, kstack_of_guard((u64)stack) == NULL);
    KT_EXPECT(t, kstack_contains((u64)stack + KSTACK_SIZE - 8));

    /* A second stack does not share the first one's pages or guard. */
    u8 *other = kstack_alloc();
    KT_EXPECT(t, other != NULL && other != stack);
    KT_EXPECT(t, (u64)(other > stack ? other - stack : stack - other) >= KSTACK_SLOT_SIZE);
    stack[0] = 1;
    other[0] = 2;
    KT_EXPECT_EQ(t, stack[0], 1);

    /* A freed stack stays mapped for the next kstack_alloc (the cache)... */
    kstack_free(other);
    KT_EXPECT(t, kstack_alloc() == other);
    KT_EXPECT_EQ(t, other[0], 2);
    kstack_free(other);
    kstack_free(stack);
    /* ... until the cache is drained: then unmapped, its frames free. */
    kstack_drain_cache();
    KT_EXPECT(t, !pagetable_translate(kernel_pml4, (u64)stack, NULL, NULL));
    KT_EXPECT(t, !kstack_contains((u64)stack + 8));
    /* The frames came back (the first slots' page tables were made at boot). */
    KT_EXPECT_EQ(t, frames_free(), free_before);

    /* The boot stack (idle, PID 0) has its guard page too. */
    KT_EXPECT(t, !pagetable_translate(kernel_pml4, (u64)boot_stack - 8, NULL, NULL));
    KT_EXPECT(t, pagetable_translate(kernel_pml4, (u64)boot_stack, NULL, NULL));
    KT_EXPECT(t, kstack_of_guard((u64)boot_stack - 8) == boot_stack);
}

struct kernel_walk {
    u64 pages;          /* 4 KiB pages seen (a 2 MiB page counts 512) */
    u64 writable_exec;  /* pages both writable and executable: W^X broken */
    u64 user_reachable; /* pages ring 3 could use: the kernel half leaks */
    u64 first_bad;      /* the first such address */
};

/* Visit table `t` at `level` (3 = PML4 ... 0 = PT); `rights` are the flags
 * of the entries above: W and U only if every level has them, NX if any has. */
static void walk_kernel(struct kernel_walk *w, phys_addr_t t, int level, u64 base, u64 rights)
{
    const pte_t *entries = phys_to_virt(t);
    u64 span = 1ull << (12 + 9 * level);
    for (int i = level == 3 ? 256 : 0; i < 512; i++) {
        pte_t e = entries[i];
        if (!(e & PTE_PRESENT))
            continue;
        u64 va = base + (u64)i * span;
        if (level == 3)
            va |= 0xFFFF000000000000ull; /* sign-extend the kernel half */
        u64 now = (rights & e & (PTE_WRITE | PTE_USER)) | ((rights | e) & PTE_NX);
        if (level > 0 && !(e & PTE_HUGE)) {
            walk_kernel(w, PTE_ADDRESS(e), level - 1, va, now);
            continue;
        }
        w->pages += span / PAGE_SIZE;
        bool bad_wx = (now & PTE_WRITE) && !(now & PTE_NX), bad_user = now & PTE_USER;
        w->writable_exec += bad_wx;
        w->user_reachable += bad_user;
        if ((bad_wx || bad_user) && !w->first_bad)
            w->first_bad = va;
    }
}

/* Every page of the kernel half: none both writable and executable, none reachable from ring 3. */
void ktest_protect_no_writable_exec_kernel_page(struct ktest_context *t)
{
    struct kernel_walk w = {0};
    walk_kernel(&w, kernel_pml4, 3, 0, PTE_WRITE | PTE_USER);
    KT_EXPECT(t, w.pages > frames_total()); /* the direct map alone covers RAM */
    if (pte_nx && w.writable_exec)
        ktest_fail(t, __FILE__, __LINE__,
                   "%lu kernel pages are writable and executable, first %#lx", w.writable_exec,
                   w.first_bad);
    if (w.user_reachable)
        ktest_fail(t, __FILE__, __LINE__, "%lu kernel pages are user-accessible, first %#lx",
                   w.user_reachable, w.first_bad);
}
