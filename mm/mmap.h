/* mmap.h - the system calls that shape an address space: brk, mmap, munmap, mprotect. */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include "kernel/types.h"

long sys_brk(u64 addr);
long sys_mmap(u64 addr, u64 length, int prot, int flags, int fd, i64 offset);
long sys_munmap(u64 addr, u64 length);
long sys_mprotect(u64 addr, u64 length, int prot);
long sys_madvise(u64 addr, u64 length, int advice);
long sys_mremap(u64 old_addr, u64 old_size, u64 new_size, int flags, u64 new_addr);
long sys_msync(u64 addr, u64 length, int flags);
long sys_mincore(u64 addr, u64 length, u8 *vec);

#endif
