/*
 * vm.h - a process's address space: its page tables and its memory regions.
 *
 * The user half of every process looks like this (place_regions() in
 * proc/exec.c sets it up; mm/layout.h has the whole address map):
 *
 *   0x0000_7fff_ffff_f000  +-----------------------------+ stack_top
 *                          | stack (grows down on demand |
 *                          |   up to RLIMIT_STACK)       |
 *                          +- - - - - - - - - - - - - - -+ stack_top - RLIMIT_STACK
 *                          | guard gap (never mapped)    |
 *                          +-----------------------------+ mmap_base
 *                          | mmap area (grows down)      |
 *                          |            ...              |
 *                          | heap (brk, grows up)        |
 *                          +-----------------------------+ brk_start
 *                          | data + bss       rw-  NX    |
 *                          | rodata           r--  NX    |
 *   0x0000_0000_0040_0000  | code             r-x        |
 *                          | (unmapped: NULL faults)     |
 *   0x0                    +-----------------------------+
 *
 * (0x40_0000 is where a static ET_EXEC links its code; a static PIE is
 * placed at ELF_DYN_LOAD_BIAS instead, see proc/elf.h.)
 *
 * A region (struct vma) only *promises* memory; frames are allocated when a
 * page is first touched (mm/fault.c), and fork shares them copy-on-write.
 */
#ifndef MM_VM_H
#define MM_VM_H

#include "kernel/list.h"
#include "kernel/types.h"

#define VM_READ 0x1 /* the same values as PROT_READ/WRITE/EXEC */
#define VM_WRITE 0x2
#define VM_EXEC 0x4

enum vma_kind {
    VMA_CODE,  /* a segment of the executable (text, rodata, data, bss) */
    VMA_HEAP,  /* [heap]: grown by brk */
    VMA_STACK, /* [stack]: grows down on faults */
    VMA_ANON,  /* an anonymous mmap */
    VMA_FILE,  /* an mmap of a file: its pages come from the page cache */
};

struct file;

struct vma {
    u64 start, end; /* [start, end), page-aligned */
    u32 prot;       /* VM_READ | VM_WRITE | VM_EXEC */
    enum vma_kind kind;
    bool shared;           /* MAP_SHARED: fork shares the frames instead of copying */
    bool locked;           /* mlock: stays in memory (not inherited by fork) */
    u64 file_offset;       /* VMA_CODE, VMA_FILE: where in the file `start` is */
    struct file *file;     /* VMA_FILE: the mapped file (a reference, as Linux's vm_file) */
    struct list_node node; /* in mm->vmas, sorted by address */
};

struct memcg;

struct mm {
    phys_addr_t pml4;          /* the page tables (the kernel half is shared) */
    struct list vmas;          /* the regions, sorted, never overlapping */
    int users;                 /* processes using it (a vfork child borrows its parent's) */
    u64 rss;                   /* frames mapped: the resident set, in pages */
    u64 swap_pages;            /* swap PTEs: pages out on swap (VmSwap) */
    struct list_node all_node; /* in all_mms (the reclaim clock walks it) */

    u64 start_code, end_code; /* for /proc/<pid>/stat and status */
    u64 start_data, end_data;
    u64 brk_start, brk;       /* the heap is [brk_start, brk) */
    u64 stack_top;            /* the stack grows down from here */
    u64 mmap_base;            /* anonymous mappings go below this */
    u64 arg_start, arg_end;   /* argv strings on the stack (/proc/<pid>/cmdline) */
    bool lock_future;         /* mlockall(MCL_FUTURE): new regions are locked too */
    u64 env_start, env_end;   /* environment strings (/proc/<pid>/environ) */
    char exe_path[128];       /* the executable, for /proc/<pid>/maps and exe */
    struct inode *exe_inode;  /* the executable, referenced, its writes denied (ETXTBSY) */
    struct memcg *memcg;      /* who pays for its new pages (mm/memcg.h); NULL: the root group */
    struct memcg *memcg_over; /* set when a charge failed: the group at its memory.max */
};

/* Every address space, oldest first. */
extern struct list all_mms;

/* An empty address space (kernel half only); NULL when out of memory. */
struct mm *mm_create(void);
/* One more / one less user; the last mm_put frees every frame and table. */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* fork: a copy sharing every frame copy-on-write; NULL when out of memory. */
struct mm *mm_fork(struct mm *parent);

/* The region containing addr, or NULL. */
struct vma *vm_find(struct mm *mm, u64 addr);
/* Does any region overlap [start, end)?  Costs one walk of the region list,
 * whatever the size of the range. */
bool vm_range_used(struct mm *mm, u64 start, u64 end);
/* Add a region [start, start+length) (no frames yet).  -EINVAL if it overlaps
 * another or leaves user space, -ENOMEM if out of memory. */
int vm_map(struct mm *mm, u64 start, u64 length, u32 prot, enum vma_kind kind);
/* Remove [start, start+length) from every region it touches, freeing frames. */
int vm_unmap(struct mm *mm, u64 start, u64 length);
/* Change protection of [start, start+length); -ENOMEM if part of it is unmapped. */
int vm_protect(struct mm *mm, u64 start, u64 length, u32 prot);
/* Mark the regions of [start, end) locked or not (mlock), splitting them at the
 * edges.  All of the range must be mapped (-ENOMEM), page-aligned. */
int vm_set_locked(struct mm *mm, u64 start, u64 end, bool locked);
/* MADV_DONTNEED: free the frames of the private anonymous pages (heap, stack,
 * mmap) in [start, end): they read as zeros again.  -ENOMEM if part of the
 * range is not mapped or lies outside user space; the mapped parts are
 * discarded anyway, as on Linux. */
int vm_discard(struct mm *mm, u64 start, u64 end);
/*
 * The file `inode` shrank to `size` bytes (truncate): every process's pages
 * that map it from the first page wholly past the end on are unmapped, private
 * copies too (as Linux's truncate_pagecache), so a later touch faults and gets
 * SIGBUS.  The last partial page stays mapped (the file system zeroed its tail).
 * Never sleeps.
 */
void vm_unmap_file_from(struct inode *inode, u64 size);
/* Allocate and map every page of [start, end) now (MAP_SHARED regions). */
int vm_populate(struct mm *mm, u64 start, u64 end);
/* A free range of `length` bytes below mmap_base (top-down), or 0. */
u64 vm_find_free(struct mm *mm, u64 length);

/*
 * Make the page at addr present for an access of kind `access` (VM_READ,
 * VM_WRITE or VM_EXEC): allocate a zeroed frame, copy a copy-on-write one,
 * or read it back from swap (may sleep then).
 * A file region's page past the end of its file gives -ENXIO (SIGBUS).
 * Returns 0, VM_FAULT_MAJOR (it read the disk), -EIO (swap failed), -EFAULT (no region: SIGSEGV,
 * SEGV_MAPERR), -EACCES (region forbids it: SEGV_ACCERR) or -ENOMEM.  Grows the stack when addr is
 * just below it and within RLIMIT_STACK (`stack_limit` bytes).
 */
#define VM_FAULT_MAJOR 1
int vm_fault(struct mm *mm, u64 addr, u32 access, u64 stack_limit);

/*
 * Read or write any address space's memory through the direct map, faulting
 * pages in as needed (exec, ptrace, /proc).  VM_ACCESS_FORCE lets exec fill
 * pages of read-only regions (the code it is loading).  Returns 0 or -EFAULT.
 */
#define VM_ACCESS_READ 0
#define VM_ACCESS_WRITE 1
#define VM_ACCESS_FORCE 2
int vm_access(struct mm *mm, u64 addr, void *buf, size_t length, int how);

/* The flags for a user page with protection `prot`. */
u64 vm_pte_flags(u32 prot);

#endif
