/*
 * cpio.h - reading "newc" cpio archives, the format of sprout's initrd.
 *
 * Each member is a 110-byte ASCII header ("070701" and thirteen 8-digit hex
 * fields), the name, padding to 4 bytes, the data, padding to 4 bytes.  The
 * archive ends with a member named "TRAILER!!!".  Plain C, tested on the host.
 */
#ifndef KERNEL_FS_CPIO_H
#define KERNEL_FS_CPIO_H

#include "kernel/types.h"

struct cpio_entry {
    const char *name; /* points into the archive; NUL-terminated */
    u32 mode;         /* S_IF* type and permissions */
    const u8 *data;   /* points into the archive */
    u64 size;
    u64 mtime; /* seconds since 1970 */
};

/*
 * Read the member at *offset into *entry and advance *offset.  Returns 1 for
 * a member, 0 at the trailer (or the end of the archive), -1 if the archive
 * is malformed (bad magic, sizes running past the end, a name without NUL).
 */
int cpio_next(const u8 *archive, u64 size, u64 *offset, struct cpio_entry *entry);

#endif
