/*
 * prof.h - the sampling profiler behind /dev/prof.
 *
 * While a session is on, the CMOS clock interrupts at the chosen rate
 * (kernel/drivers/rtc_periodic.c, independent of the scheduler's tick).
 * At each interrupt, if the running task belongs to the session, one
 * struct prof_sample goes into a ring allocated when the session started:
 * user or kernel mode, the user rip, and in kernel mode the kernel call
 * chain from the frame pointers (the same walk as a panic's backtrace).
 * The interrupt never allocates; when the reader falls behind, samples are
 * dropped and counted.  The interface is in kernel/prof_abi.h.
 */
#ifndef KERNEL_PROF_H
#define KERNEL_PROF_H

#include "kernel/fs/file.h"

/* /dev/prof (kernel/fs/devfs.c). */
extern const struct file_ops prof_fops;

struct trap_frame;
/* VEC_IPI_PROFILE: CPU 0's profiling tick passed on to this CPU.  Samples
 * this CPU's process; interrupts off, without the big kernel lock. */
void prof_ipi_interrupt(struct trap_frame *frame);

#endif
