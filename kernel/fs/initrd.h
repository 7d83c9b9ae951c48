/* initrd.h - unpack the boot modules (cpio archives) into the root file system. */
#ifndef KERNEL_FS_INITRD_H
#define KERNEL_FS_INITRD_H

#include "kernel/multiboot.h"

/* Unpack every module in order (later files replace earlier ones); then
 * give the modules' frames back to the allocator. */
void initrd_unpack_all(const struct boot_info *boot);
/* Give the modules' memory back without unpacking them (the root is a disk). */
void initrd_release_all(const struct boot_info *boot);

#endif
