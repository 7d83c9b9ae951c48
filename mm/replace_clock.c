/*
 * replace_clock.c - the clock (second chance): the replacement lab's
 * reference (docs/labs/replace.md).
 *
 * A page the hand reaches with its referenced bit set was used since the
 * hand last passed: it loses the bit and stays, a second chance.  A page
 * found with the bit clear was not used for a whole turn of the hand: it
 * goes.  So a page in use is never taken, and one left alone goes within
 * two turns: an approximation of "least recently used" that needs nothing
 * but the bit the MMU sets.  If every page was used, the first turn clears
 * them all and the hand takes the page it started at: FIFO again.
 */
#include "mm/replace.h"

enum replace_verdict replace_clock(struct replace_page *page)
{
    if (page->referenced) {
        page->referenced = false;
        return REPLACE_KEEP;
    }
    return REPLACE_EVICT;
}
