/*
 * diskstats.c - /proc/diskstats in Linux's format (20 columns since Linux 5.5):
 *
 *   major minor name  reads merged sectors ms  writes merged sectors ms
 *   in-flight io-ms weighted-ms  discards merged sectors ms  flushes ms
 *
 * sprout merges no requests, has no discards, and the block layer's counters
 * (block.h) keep no busy time or flush time, so those columns are 0; the
 * weighted time is the sum of the read and write times, which is what it
 * means when requests do not overlap.
 */
#include "kernel/drivers/diskstats.h"
#include "kernel/drivers/block.h"

void diskstats_show(struct textbuf *out, struct proc *unused)
{
    for (struct block_device *d = block_first(); d; d = d->next) {
        const struct block_stats *s = &d->stats;
        textbuf_printf(
            out, "%4u %7u %s %lu %u %lu %lu %lu %u %lu %lu %u %u %lu %u %u %u %u %lu %u\n",
            d->major, d->minor, d->name, s->reads_completed, 0, s->sectors_read, s->read_ticks_ms,
            s->writes_completed, 0, s->sectors_written, s->write_ticks_ms, 0, 0,
            s->read_ticks_ms + s->write_ticks_ms, 0, 0, 0, 0, s->flushes_completed, 0);
    }
}
