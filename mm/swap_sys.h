/* swap_sys.h - swapon, swapoff, swap= at boot, /proc/swaps (mm/swap_sys.c). */
#ifndef MM_SWAP_SYS_H
#define MM_SWAP_SYS_H

#include "kernel/types.h"

struct textbuf;

long sys_swapon(const char *path, int flags);
long sys_swapoff(const char *path);

/* The boot option swap=DEVICE (vdb or /dev/vdb): activate it; a warning if
 * it cannot be used.  NULL: nothing to do.  May sleep. */
void swap_boot_activate(const char *device);

/* /proc/swaps, in Linux's format. */
void swap_show_swaps(struct textbuf *out);

#endif
