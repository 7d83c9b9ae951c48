/*
 * vmstat.h - system-wide memory event counters, as /proc/vmstat shows them
 * (kernel/fs/procfs_system.c) and the vmstat tool turns into rates.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/types.h"

struct vm_events {
    u64 pgfault;                       /* user page faults resolved (minor and major) */
    u64 pgmajfault;                    /* of which read a page from the disk */
    u64 pswpin;                        /* pages read from swap */
    u64 pswpout;                       /* pages written to swap */
    u64 pgscan;                        /* page-table entries the reclaim clock looked at */
    u64 pgsteal;                       /* frames reclaim freed */
    u64 pgscan_kswapd, pgsteal_kswapd; /* of which by kswapd0 (the rest: direct reclaim) */
};

extern struct vm_events vm_events;

#endif
