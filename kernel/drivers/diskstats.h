/* diskstats.h - /proc/diskstats: every registered block device's counters. */
#ifndef KERNEL_DRIVERS_DISKSTATS_H
#define KERNEL_DRIVERS_DISKSTATS_H

#include "kernel/lib/textbuf.h"

struct proc;

/* One line per block device, in Linux's format (Documentation/admin-guide/iostats.rst). */
void diskstats_show(struct textbuf *out, struct proc *unused);

#endif
