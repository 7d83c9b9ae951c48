/*
 * layout.h - the virtual address map, kernel and user.
 *
 *   0xffff_ffff_ffff_ffff +-------------------------------+
 *                         | kernel image (text, data, bss)|  KERNEL_VMA + physical
 *   0xffff_ffff_8000_0000 +-------------------------------+  (top 2 GiB)
 *                         |            unused             |
 *   0xffff_ff00_4000_0000 +-------------------------------+
 *                         | kernel stacks, each with an   |  KSTACK_AREA_BASE, see mm/kstack.h
 *                         | unmapped guard below it       |
 *   0xffff_ff00_0000_0000 +-------------------------------+
 *                         |            unused             |
 *   0xffff_8000_0000_0000 +-------------------------------+
 *                         | direct map of all physical RAM|  DIRECT_MAP_BASE + physical
 *                         +-------------------------------+
 *                         |  non-canonical hole (faults)  |
 *   0x0000_8000_0000_0000 +-------------------------------+
 *                         | user space: one per process   |  see mm/vm.h
 *   0x0000_0000_0000_0000 +-------------------------------+
 *
 * The upper half is the same in every address space: each process's top-level
 * page table (PML4) shares the kernel's entries 256..511.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include "kernel/types.h"

#define KERNEL_VMA 0xFFFFFFFF80000000ul
#define DIRECT_MAP_BASE 0xFFFF800000000000ul
#define KSTACK_AREA_BASE 0xFFFFFF0000000000ul
#define USER_TOP 0x00007FFFFFFFF000ul /* first address above user space (Linux's TASK_SIZE) */

/* Where physical address `phys` can be read and written by the kernel. */
static inline void *phys_to_virt(phys_addr_t phys) { return (void *)(phys + DIRECT_MAP_BASE); }

/* The physical address behind a direct-map or kernel-image pointer. */
static inline phys_addr_t virt_to_phys(const void *virt)
{
    u64 v = (u64)virt;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}

static inline bool is_user_address(u64 address) { return address < USER_TOP; }

/* Symbols from linker.ld. */
extern char _kernel_start[], _kernel_end[];
extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _bss_start[], _bss_end[];

#endif
