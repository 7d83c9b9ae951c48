/*
 * syscall.h - system-call dispatch.
 *
 * The table of calls is kernel/syscalls.tbl; each handler is named
 * sys_<linux name> and declared in its module's header, all gathered in
 * kernel/syscalls.h.  Handlers return a value or -EXXX.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/interrupts.h"

typedef long (*syscall_fn)(u64, u64, u64, u64, u64, u64);

/* Program the syscall MSRs (STAR, LSTAR, FMASK) and enable `syscall`. */
void syscall_init(void);
/* Called by syscall_entry (kernel/syscall_entry.asm) with interrupts on. */
void syscall_dispatch(struct trap_frame *frame);
/* The name of system call `number` ("?" if unknown), for logs and ptrace. */
const char *syscall_name(u64 number);

#endif
