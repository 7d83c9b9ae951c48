/* ktest_proc.c - PID allocation and copy-on-write address spaces. */
#include "kernel/param.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "tests/ktest/ktests.h"

void pid_set_last(int pid);
int pid_get_last(void);

void ktest_pid_increasing_and_wrap(struct ktest_context *t)
{
    int saved = pid_get_last();
    int a = pid_alloc(), b = pid_alloc();
    KT_EXPECT_EQ(t, b, a + 1); /* like Linux: the next number, not the lowest free one */
    pid_free(a);
    int c = pid_alloc();
    KT_EXPECT_EQ(t, c, b + 1); /* a freed PID is not reused straight away */

    pid_set_last(PID_MAX - 3);
    int d = pid_alloc(), e = pid_alloc(), f = pid_alloc();
    KT_EXPECT_EQ(t, d, PID_MAX - 2);
    KT_EXPECT_EQ(t, e, PID_MAX - 1);
    KT_EXPECT_EQ(t, f, PID_FIRST_AFTER_WRAP); /* wrapped, past the low PIDs */
    pid_free(b);
    pid_free(c);
    pid_free(d);
    pid_free(e);
    pid_free(f);
    pid_set_last(saved);
}

void ktest_pid_skips_used_after_wrap(struct ktest_context *t)
{
    int saved = pid_get_last();
    pid_set_last(PID_FIRST_AFTER_WRAP - 1);
    int held = pid_alloc(); /* PID_FIRST_AFTER_WRAP stays in use, like a zombie */
    KT_EXPECT_EQ(t, held, PID_FIRST_AFTER_WRAP);
    pid_set_last(PID_MAX - 1);
    int next = pid_alloc();
    KT_EXPECT_EQ(t, next, PID_FIRST_AFTER_WRAP + 1); /* skipped the one in use */
    KT_EXPECT(t, pid_in_use(held) && pid_in_use(next));
    pid_free(held);
    pid_free(next);
    KT_EXPECT(t, !pid_in_use(held));
    pid_set_last(saved);
}

#define PAGE 0x400000ul

/* Read or write one u64 of an address space through vm_access (like ptrace would). */
static u64 peek(struct mm *mm)
{
    u64 v = 0;
    vm_access(mm, PAGE, &v, sizeof v, VM_ACCESS_READ);
    return v;
}

static void poke(struct mm *mm, u64 v) { vm_access(mm, PAGE, &v, sizeof v, VM_ACCESS_WRITE); }

static phys_addr_t frame_of(struct mm *mm)
{
    phys_addr_t phys = 0;
    pagetable_translate(mm->pml4, PAGE, &phys, NULL);
    return ALIGN_DOWN(phys, PAGE_SIZE);
}

/* One fork and write, undone: the kernel heap takes its pages for these
 * structures once, so a test run alone (ktest=cow.) measures only itself. */
static void warm_up_heap(void)
{
    struct mm *parent = mm_create();
    if (!parent)
        return;
    vm_map(parent, PAGE, PAGE_SIZE, VM_READ | VM_WRITE, VMA_ANON);
    poke(parent, 1);
    struct mm *child = mm_fork(parent);
    if (child) {
        poke(child, 2);
        mm_put(child);
    }
    mm_put(parent);
}

void ktest_cow_diverge_after_write(struct ktest_context *t)
{
    warm_up_heap();
    u64 baseline = frames_free();
    struct mm *parent = mm_create();
    KT_EXPECT(t, parent != NULL);
    KT_EXPECT_EQ(t, vm_map(parent, PAGE, PAGE_SIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
    poke(parent, 111);
    struct mm *child = mm_fork(parent);
    KT_EXPECT(t, child != NULL);
    KT_EXPECT_EQ(t, frame_of(child), frame_of(parent)); /* shared after fork */
    KT_EXPECT_EQ(t, frame_refcount(frame_of(parent)), 2);
    u64 flags = 0;
    pagetable_translate(parent->pml4, PAGE, NULL, &flags);
    KT_EXPECT(t, !(flags & PTE_WRITE) && (flags & PTE_COW)); /* read-only until written */

    poke(child, 222); /* the first write copies */
    KT_EXPECT(t, frame_of(child) != frame_of(parent));
    KT_EXPECT_EQ(t, peek(child), 222);
    KT_EXPECT_EQ(t, peek(parent), 111);
    KT_EXPECT_EQ(t, frame_refcount(frame_of(parent)), 1);

    poke(parent, 333); /* now alone: made writable in place, no copy */
    phys_addr_t before = frame_of(parent);
    KT_EXPECT_EQ(t, peek(parent), 333);
    KT_EXPECT_EQ(t, frame_of(parent), before);
    mm_put(child);
    mm_put(parent);
    KT_EXPECT_EQ(t, frames_free(), baseline);
}

void ktest_cow_frame_freed_with_last_user(struct ktest_context *t)
{
    warm_up_heap();
    u64 baseline = frames_free();
    struct mm *a = mm_create();
    vm_map(a, PAGE, PAGE_SIZE, VM_READ | VM_WRITE, VMA_ANON);
    poke(a, 7);
    struct mm *b = mm_fork(a), *c = mm_fork(b);
    KT_EXPECT(t, b && c);
    phys_addr_t shared = frame_of(a);
    KT_EXPECT_EQ(t, frame_refcount(shared), 3); /* three processes, one frame */
    mm_put(a);
    KT_EXPECT_EQ(t, frame_refcount(shared), 2);
    mm_put(c);
    KT_EXPECT_EQ(t, frame_refcount(shared), 1);
    KT_EXPECT_EQ(t, peek(b), 7); /* the last user still sees the data */
    mm_put(b);
    KT_EXPECT_EQ(t, frame_refcount(shared), 0); /* freed with its last user */
    KT_EXPECT_EQ(t, frames_free(), baseline);
}

void ktest_vm_demand_zero_and_protect(struct ktest_context *t)
{
    u64 baseline = frames_free();
    struct mm *mm = mm_create();
    KT_EXPECT_EQ(t, vm_map(mm, PAGE, 4 * PAGE_SIZE, VM_READ | VM_WRITE, VMA_ANON), 0);
    KT_EXPECT_EQ(t, mm->rss, 0); /* nothing is allocated until touched */
    KT_EXPECT_EQ(t, vm_fault(mm, PAGE + PAGE_SIZE + 5, VM_WRITE, 0), 0);
    KT_EXPECT_EQ(t, mm->rss, 1);
    KT_EXPECT_EQ(t, vm_fault(mm, PAGE - 1, VM_READ, 0), -14 /* -EFAULT: no region */);
    KT_EXPECT_EQ(t, vm_protect(mm, PAGE, PAGE_SIZE * 2, VM_READ), 0);
    KT_EXPECT_EQ(t, vm_fault(mm, PAGE, VM_WRITE, 0), -13 /* -EACCES: read-only */);
    KT_EXPECT_EQ(t, vm_fault(mm, PAGE, VM_EXEC, 0), -13 /* no execute */);
    KT_EXPECT_EQ(t, vm_unmap(mm, PAGE + PAGE_SIZE, PAGE_SIZE), 0); /* splits the region */
    KT_EXPECT(t, vm_find(mm, PAGE + PAGE_SIZE) == NULL);
    KT_EXPECT(t, vm_find(mm, PAGE) != NULL && vm_find(mm, PAGE + 2 * PAGE_SIZE) != NULL);
    KT_EXPECT_EQ(t, mm->rss, 0); /* the touched page went with the unmap */
    mm_put(mm);
    KT_EXPECT_EQ(t, frames_free(), baseline);
}
