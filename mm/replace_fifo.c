/*
 * replace_fifo.c - first in, first out: take whatever page the hand reaches.
 *
 * The hand goes round the pages in a fixed order and never skips one, so a
 * page goes when the hand comes back to it, however much it was used: in a
 * circle of frames that the pages fill as they come in (the simulator's),
 * that is exactly the order they came in.  The baseline the lab is measured
 * against (cat /proc/replace; echo fifo > /proc/replace).
 */
#include "mm/replace.h"

enum replace_verdict replace_fifo(struct replace_page *page)
{
    (void)page;
    return REPLACE_EVICT;
}
