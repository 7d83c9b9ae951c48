/*
 * uaccess.h - reading and writing user memory from the kernel, safely.
 *
 * A user program can pass any pointer.  These helpers first check that the
 * whole range lies in user space, then copy with a routine whose page faults
 * are expected: mm/fault.c either brings the page in (demand paging, copy-on-
 * write) or, if the address is bad, resumes at a fixup that makes the copy
 * return -EFAULT.  A bad pointer is an error for the caller, never a crash.
 *
 * These are the only way the kernel touches user memory: with SMAP on
 * (kernel/cpu.h) any other kernel load or store to a user page faults, and
 * the copy routine is the one place that opens SMAP (stac/clac).  They read
 * and write the *current* process's address space; code that needs another
 * process's memory (ptrace, /proc/PID/..., a core dump written on behalf of
 * a dying process that is not current) uses vm_access() (mm/vm.h), which
 * goes through the direct map and never touches a user mapping.  A dying
 * process dumping its own core is current, so copy_from_user works there.
 * Any of them may sleep (a page may have to be brought in).
 *
 * The rule that follows (docs/swap.md, "Copies that sleep"): while a copy
 * sleeps, any other process runs, and it may change or free whatever the
 * copy reads from or writes to.  Never hold a pointer into a shared object (a
 * queued message, a ring buffer's head, a file's page, a counter you are about
 * to subtract from) across copy_*_user without one of:
 *   - a sleeping lock of that object held from choosing the data until it
 *     is consumed (pipe copy_lock, socket recv_lock/send_lock, mq receive_lock);
 *   - a reference that keeps it alive (frame_get on a tmpfs page, file_get
 *     on the file of a read or write, a block-cache buffer held);
 *   - or a private copy: take the data out first (a kernel bounce buffer, a
 *     local), then copy that to the user.
 * Interrupts off do not help: the sleep lets others run all the same.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

/* Is [ptr, ptr+size) entirely inside user space? */
bool user_range_ok(const void *ptr, size_t size);

/* 0, or -EFAULT if any byte could not be copied. */
int copy_from_user(void *dest, const void *user_src, size_t size);
int copy_to_user(void *user_dest, const void *src, size_t size);
int clear_user(void *user_dest, size_t size);

/*
 * Copy a NUL-terminated string of at most max-1 characters.  Returns its
 * length, -EFAULT for a bad pointer, or -ENAMETOOLONG if no NUL was found
 * within max bytes (callers with other limits map it to their errno).
 */
long strncpy_from_user(char *dest, const char *user_src, size_t max);

/*
 * Atomically: if the aligned user word *uaddr holds `old`, make it `new`.
 * *found gets what it held (== old: swapped).  0, or -EFAULT for a bad or
 * misaligned pointer.  The futex code's read-modify-write of a word that
 * user code on another CPU changes with its own atomic instructions (a
 * copy_from_user then copy_to_user would lose that change).
 */
int cmpxchg_user32(u32 *uaddr, u32 old, u32 new, u32 *found);

/* For mm/fault.c: was the kernel inside the user-copy routine, and resume it at its fixup. */
bool uaccess_active(const struct trap_frame *frame);
void uaccess_fixup(struct trap_frame *frame);

#endif
