/* mlock.h - locking memory in RAM: mlock and friends (see mlock.c). */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include "kernel/types.h"

struct mm;

/* Bytes in locked regions (VmLck in /proc/<pid>/status). */
u64 mm_locked_bytes(struct mm *mm);

long sys_mlock(u64 start, u64 length);
long sys_mlock2(u64 start, u64 length, int flags);
long sys_munlock(u64 start, u64 length);
long sys_mlockall(int flags);
long sys_munlockall(void);

#endif
