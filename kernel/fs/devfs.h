/* devfs.h - /dev: the console, the terminal, null, zero and the random devices. */
#ifndef KERNEL_FS_DEVFS_H
#define KERNEL_FS_DEVFS_H

/* Create /dev in the root file system and mount the device directory on it. */
void devfs_mount(void);

#endif
