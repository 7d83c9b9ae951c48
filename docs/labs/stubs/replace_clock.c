/*
 * replace_clock.c - the page-replacement policy (the replacement lab,
 * docs/labs/replace.md).
 *
 * LAB: this stub is FIFO: it takes every page the hand reaches, used or not,
 * so a page in constant use is swapped out once per turn of the hand and
 * read straight back in.  Make it the clock (second chance): a page whose
 * referenced bit is set loses the bit and stays; a page whose bit is clear
 * goes.  The contract is in mm/replace.h; the rules and the graded checks in
 * the handout.
 */
#include "mm/replace.h"

enum replace_verdict replace_clock(struct replace_page *page)
{
    (void)page;
    return REPLACE_EVICT;
}
